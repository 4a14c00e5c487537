//! The files teachers have, one module per kind of source, as `src/ingest`
//! reads them: real vendor exports read as they are
//! (`tests/data/real/edfi-bundles`, copied byte for byte, see its README), and fixtures
//! written by hand for the formats with no real file (`tests/data/sources/`,
//! see its README): Google Forms, Canvas Student Analysis, long results,
//! item responses with a blueprint, and files in Windows-1252 and UTF-16.
//!
//! Every expected outcome below was worked out by reading the data, not by
//! copying tierplan's output. This file holds what the modules share: the
//! paths of the real exports and fixtures, and the asserts on a plan.

mod blueprint;
mod encodings;
mod forms;
mod long;
mod memory;
mod not_csv;
mod oneroster;
mod only;
mod profiles;
mod unknown;
mod vendors;
mod workbooks;
mod zips;

use std::fs;

use serde_json::Value;

use crate::util::{CSV_COLUMNS, Output, Test, csv_records, parse_csv, repo, sorted};

const MAP: &str = "MAP_Growth/sample_anonymized_file.csv";

const IREADY_ELA: &str = "i-Ready/sample_anonymized_file_ela.csv";

const IREADY_MATH: &str = "i-Ready/sample_anonymized_file_math.csv";

const STAR: &str = "STAR/SR_sample_anonymized_file.csv";

const STAR_STANDARDS: &str = "STAR/SR_Dashboard_Standards_v2_sample_anonymized_file.csv";

const STAR_SKILL_AREAS: &str = "STAR/SR_SkillArea_v1_sample_anonymized_file.csv";

const DIBELS8: &str = "Dibels_8_Benchmark/sample_anonymized_file.csv";

const FASTBRIDGE_CBMR: &str =
    "FastBridge_CBMreading/sample_anonymized_file_fastbridge_cbmreading.csv";

const FASTBRIDGE_ENGLISH: &str = "FastBridge_English/sample_anonymized_file.csv";

/// The absolute path of a real export under `tests/data/real/edfi-bundles`.
fn real(path: &str) -> String {
    format!(
        "{}/tests/data/real/edfi-bundles/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The absolute path of a vendor rules file, `rules/<vendor>.yaml`.
fn vendor_rules(vendor: &str) -> String {
    repo(&format!("rules/{vendor}.yaml")).display().to_string()
}

/// The absolute path of a fixture under `tests/data/sources/`.
fn fixture(name: &str) -> String {
    repo("tests/data/sources").join(name).display().to_string()
}

/// The bytes of a fixture under `tests/data/sources/`.
fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixture(name);
    fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The student ids of a real export, each once, in order of first
/// appearance: per row the first non-empty cell of `id_columns` (the
/// profile's id headers, in its order), for the rows whose column `only.0`
/// holds `only.1`.
fn file_ids(path: &str, id_columns: &[&str], only: Option<(&str, &str)>) -> Vec<String> {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let text = String::from_utf8(bytes).expect("the real exports are UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let rows = parse_csv(text, ',');
    let (header, rows) = rows.split_first().expect("a header row");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{path} has no column {name}"))
    };
    let ids: Vec<usize> = id_columns.iter().map(|c| column(c)).collect();
    let only = only.map(|(c, v)| (column(c), v));
    let cell = |row: &[String], c: usize| row.get(c).map_or("", |s| s.trim()).to_owned();
    let mut out: Vec<String> = Vec::new();
    for row in rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some((c, value)) = only
            && cell(row, c) != value
        {
            continue;
        }
        let id = ids
            .iter()
            .map(|&c| cell(row, c))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| panic!("a row of {path} without an id: {row:?}"));
        if !out.contains(&id) {
            out.push(id);
        }
    }
    assert!(!out.is_empty(), "{path} has students");
    out
}

/// Run `tierplan` with these arguments in a fresh folder.
fn run(args: &[&str]) -> Output {
    Test::new().run_with(args)
}

/// The rows of `--format csv` output (of a run that succeeded).
#[track_caller]
fn rows_of(output: &Output) -> Vec<Vec<String>> {
    csv_records(&output.stdout, &CSV_COLUMNS)
}

/// `tierplan plan ARGS --format csv`: exit 0 and the rows.
#[track_caller]
fn plan_rows(args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    rows_of(&run(&all))
}

/// `tierplan plan ARGS --format csv` in the folder of `t`: exit 0 and the rows.
#[track_caller]
fn plan_rows_in(t: Test, args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    rows_of(&t.run_with(&all))
}

/// Every student of the file appears exactly once (`expected` holds each
/// id once).
#[track_caller]
fn assert_each_once(rows: &[Vec<String>], expected: &[String]) {
    let ids: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        sorted(&ids),
        sorted(expected),
        "every student of the file, exactly once"
    );
}

/// The one row of student `id`: `plan | kind | tier | focus | focus_score |
/// reason`, and `| caveat` when the decision was made on missing data (an
/// empty caveat otherwise).
#[track_caller]
fn assert_plan(rows: &[Vec<String>], id: &str, expected: &str) {
    let mut expected: Vec<&str> = expected.split('|').map(str::trim).collect();
    if expected.len() == 6 {
        expected.push("");
    }
    assert_eq!(
        expected.len(),
        7,
        "plan | kind | tier | focus | focus_score | reason [| caveat]"
    );
    let found: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == id).collect();
    assert_eq!(found.len(), 1, "student {id} appears once in {rows:#?}");
    assert_eq!(&found[0][3..], &expected[..], "the plan of student {id}");
}

/// The one row of student `id`: its name.
#[track_caller]
fn assert_name(rows: &[Vec<String>], id: &str, name: &str) {
    let row = rows
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("student {id} in {rows:#?}"));
    assert_eq!(row[1], name, "the name of student {id}");
}

/// `--format json` output, parsed.
#[track_caller]
fn json_of(output: &Output) -> Value {
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", output.stdout))
}

/// The one student `id` of a JSON plan.
#[track_caller]
fn student<'a>(doc: &'a Value, id: &str) -> &'a Value {
    let found: Vec<&Value> = doc["students"]
        .as_array()
        .expect("a list of students")
        .iter()
        .filter(|s| s["student_id"] == id)
        .collect();
    assert_eq!(found.len(), 1, "student {id} appears once in {doc:#}");
    found[0]
}

/// The plan, focus and focus score of student `id` of a JSON plan.
#[track_caller]
fn focus(doc: &Value, id: &str) -> (Value, Value, Value) {
    let s = student(doc, id);
    (
        s["plan"].clone(),
        s["focus"].clone(),
        s["focus_score"].clone(),
    )
}

/// The skills of the only section of a JSON plan: name, assessed, below,
/// mean.
fn section_skills(doc: &Value) -> Vec<(String, u64, u64, f64)> {
    let sections = doc["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 1, "one section: {doc:#}");
    sections[0]["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| {
            (
                s["skill"].as_str().expect("skill").to_owned(),
                s["assessed"].as_u64().expect("assessed"),
                s["below"].as_u64().expect("below"),
                s["mean"].as_f64().expect("mean"),
            )
        })
        .collect()
}

/// `tierplan explain DATA --blueprint BLUEPRINT --student ID`.
fn explain_student(data: &str, blueprint: &str, id: &str) -> Output {
    run(&["explain", data, "--blueprint", blueprint, "--student", id])
}

/// The `Scores` block of `tierplan explain`: each skill and its score as
/// shown (`not assessed` for none).
fn explain_scores(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Scores"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l
                .trim()
                .split("  ")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            (
                parts[0].to_owned(),
                parts.get(1).copied().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// `expected` as owned pairs, to compare with [`explain_scores`].
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// How many times `needle` occurs in `haystack`.
fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The built-in default rules (`rules/default.yaml`) with one line changed.
fn default_rules_with(from: &str, to: &str) -> String {
    let text = fs::read_to_string(repo("rules/default.yaml")).expect("read rules/default.yaml");
    assert!(text.contains(from), "rules/default.yaml has {from:?}");
    text.replacen(from, to, 1)
}
