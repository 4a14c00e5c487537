//! `tierplan sql`: the compiled query, run on real engines, gives the rows
//! `tierplan plan --format csv` gives: on DuckDB (the Python package), on a
//! PostgreSQL 15 server started for the test in a temporary folder, and on
//! Spark SQL (pyspark in local mode). The inputs: the example class, a file
//! with hostile headers, a B1-shaped file of 50,000 students, the shipped
//! vendor rule sets over classes in their profiles' shape, and random
//! rules over random classes (empty cells, ties, shares of exactly 0.5).
//! The per-student plan is compared with the CSV's columns (the caveat as
//! `decided_on_missing`), the summary with `--summary`'s file; a file
//! `tierplan plan` refuses stops the query with an error quoting the cell.
//! An engine that is missing fails the test and says how to install it.
//!
//! See: issue 15.

mod engines;
mod groups;
mod inputs;
mod random;
mod refusals;

use std::collections::HashMap;
use std::fmt::Write as _;

use self::inputs::{b1, dibels, probes, shaped, without};
pub(crate) use self::refusals::{Refusal, refusals};
use crate::util::{Test, parse_csv, repo};

/// One input, planned by one rule set.
pub(crate) struct Case {
    pub csv: String,
    /// `--rules FILE`, or nothing for the built-in rules.
    pub rules: Vec<String>,
    /// Progress-monitoring rules: the plan has the progress CSV's columns.
    pub progress: bool,
}

impl Case {
    fn new(csv: &str, rules: &[&str]) -> Case {
        Case {
            csv: csv.into(),
            rules: rules.iter().map(|r| (*r).to_owned()).collect(),
            progress: false,
        }
    }
}

/// What the engine must give for a case: the queries and tierplan's rows.
pub(crate) struct Expected {
    pub queries: [String; 2],
    pub plan: Vec<Vec<String>>,
    pub summary: Vec<Vec<String>>,
    /// The groups of the Markdown plan, and each plan's label.
    pub groups: groups::Groups,
    pub labels: HashMap<String, String>,
}

/// The shipped rule sets for vendor exports, run on a class in the shape
/// their profiles give (`dibels8-composite` has an export of its own).
const SHAPED: [&str; 5] = ["star", "dibels8", "iready", "fastbridge", "map-growth"];

/// How many random rule sets each engine runs.
const RANDOM_CASES: usize = 20;

const COLUMNS: &str = "student_id,name,section,plan,kind,tier,focus,focus_score,reason,caveat";

/// A number as the CSV writes it (`crate::condition::format_number`).
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// `true`, `t` → `true`; `false`, `f` → `false`.
fn boolean(cell: &str) -> String {
    match cell {
        "true" | "t" | "True" => "true".into(),
        "false" | "f" | "False" => "false".into(),
        other => other.into(),
    }
}

/// An engine's plan row as the CSV writes it (its group number taken
/// out): the score's number written as a teacher does, the tier as an
/// integer.
pub(crate) fn plan_row(mut row: Vec<String>) -> Vec<String> {
    if let Ok(score) = row[7].parse::<f64>() {
        row[7] = format_number(score);
    }
    if let Ok(tier) = row[5].parse::<f64>() {
        row[5] = format_number(tier);
    }
    row[9] = boolean(&row[9]);
    row
}

/// An engine's summary row: the share with 4 decimals.
pub(crate) fn summary_row(mut row: Vec<String>) -> Vec<String> {
    if let Ok(share) = row[2].parse::<f64>() {
        row[2] = format!("{share:.4}");
    }
    row[3] = boolean(&row[3]);
    row
}

/// `tierplan sql` for `dialect` over the table `results` (the name run.py
/// and the PostgreSQL test load each case under), its columns from
/// `--header-from csv`.
pub(crate) fn sql_args<'a>(dialect: &'a str, csv: &'a str) -> Vec<&'a str> {
    [
        "sql",
        "--dialect",
        dialect,
        "--table",
        "results",
        "--header-from",
        csv,
    ]
    .to_vec()
}

/// The queries for `dialect` (printed with `form`'s flags: a view, a dbt
/// model) and tierplan's own rows for `case`.
pub(crate) fn expected<'a>(
    t: &Test,
    case: &'a Case,
    dialect: &'a str,
    form: &[&'a str],
) -> Expected {
    fn with<'a>(args: &[&'a str], case: &'a Case) -> Vec<&'a str> {
        let mut all = args.to_vec();
        all.extend(case.rules.iter().map(String::as_str));
        all
    }
    let with_rules = |args: &[&'a str]| with(args, case);
    let query = |summary: bool| {
        let mut args = with_rules(&sql_args(dialect, &case.csv));
        if summary {
            args.push("--summary");
        }
        args.extend(form);
        t.run_with(&args).stdout
    };
    // Progress rules: the progress CSV's own columns.
    let columns: &[&str] = if case.progress {
        &[]
    } else {
        &["--columns", COLUMNS]
    };
    let mut args = vec!["plan", &case.csv, "-f", "csv"];
    args.extend(columns);
    let plan = t.run_with(&with_rules(&args));
    let mut plan: Vec<Vec<String>> = parse_csv(&plan.stdout, ',')[1..]
        .iter()
        .map(|row| {
            let mut row = row.clone();
            let caveat = row.len() - 1;
            row[caveat] = (!row[caveat].is_empty()).to_string();
            row
        })
        .collect();
    plan.sort();
    t.run_with(&with_rules(&[
        "plan",
        &case.csv,
        "-f",
        "csv",
        "-o",
        "plan.csv",
        "--summary",
        "summary.csv",
    ]));
    let mut summary = parse_csv(&t.read("summary.csv"), ',')[1..].to_vec();
    summary.sort();
    // A progress plan's Markdown is a table per decision, not groups.
    let markdown = if case.progress {
        String::new()
    } else {
        t.run_with(&with_rules(&["plan", &case.csv, "-f", "markdown"]))
            .stdout
    };
    let json = t.run_with(&with_rules(&["plan", &case.csv, "-f", "json"]));
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let labels = json["students"]
        .as_array()
        .expect("students")
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap_or_default().to_owned();
            (text("plan"), text("label"))
        })
        .collect();
    Expected {
        queries: [query(false), query(true)],
        plan,
        summary,
        groups: groups::from_markdown(&markdown),
        labels,
    }
}

/// Fail, naming the case and the first rows that differ, unless the
/// engine's rows are tierplan's; the reason text too unless the table was
/// typed (`with_reason` false), where a reason quotes a number cell as
/// the engine writes the number (`356.0`), as the table's own CSV would.
pub(crate) fn assert_same(
    engine: &str,
    case: &Case,
    expected: &Expected,
    got: [Vec<Vec<String>>; 2],
    with_reason: bool,
) {
    let [mut plan, mut summary] = got;
    // The group number, then the caveat as `decided_on_missing`, end a row;
    // the reason is before them.
    let numbers: Vec<String> = plan
        .iter_mut()
        .map(|row| row.remove(row.len() - 2))
        .collect();
    let unreasoned = |mut row: Vec<String>| {
        if !with_reason {
            let reason = row.len() - 2;
            row[reason].clear();
        }
        row
    };
    let as_written = |row: Vec<String>| {
        if case.progress {
            let mut row = row;
            let caveat = row.len() - 1;
            row[caveat] = boolean(&row[caveat]);
            row
        } else {
            plan_row(row)
        }
    };
    plan = plan.into_iter().map(as_written).map(unreasoned).collect();
    let want_plan: Vec<Vec<String>> = expected.plan.iter().cloned().map(unreasoned).collect();
    summary = summary.into_iter().map(summary_row).collect();
    // A progress plan has no groups of its own: one per plan and section.
    let groups = if case.progress {
        assert!(numbers.iter().all(|n| n == "1"), "{engine}: {numbers:?}");
        groups::Groups::new()
    } else {
        groups::from_rows(&plan, &numbers, &expected.labels)
    };
    if groups != expected.groups {
        let differ: Vec<_> = groups
            .iter()
            .filter(|(k, v)| expected.groups.get(*k) != Some(*v))
            .take(3)
            .collect();
        panic!(
            "{engine}: the groups of `{}` {} differ from the Markdown plan's: {differ:#?}\nwant {:#?}",
            case.csv,
            case.rules.join(" "),
            expected.groups.iter().take(6).collect::<Vec<_>>()
        );
    }
    plan.sort();
    summary.sort();
    for (what, got, want, query) in [
        ("plan", &plan, &want_plan, &expected.queries[0]),
        ("summary", &summary, &expected.summary, &expected.queries[1]),
    ] {
        if got == want {
            continue;
        }
        let mut report = format!(
            "{engine}: the {what} of `{}` {} differs from tierplan plan's ({} rows, {} expected)\n",
            case.csv,
            case.rules.join(" "),
            got.len(),
            want.len()
        );
        let mut shown = 0;
        for (g, w) in got.iter().zip(want) {
            if g != w && shown < 5 {
                let _ = writeln!(report, "  got  {g:?}\n  want {w:?}");
                shown += 1;
            }
        }
        panic!("{report}--- query\n{query}");
    }
}

/// The inputs every engine runs: written into `t`.
pub(crate) fn cases(t: Test) -> (Test, Vec<Case>) {
    let mut cases = vec![
        Case::new("quiz.csv", &[]),
        Case::new("hostile.csv", &[]),
        Case::new("b1.csv", &["--rules", "bench.yaml"]),
        Case::new("dibels.csv", &["--rules", "dibels8-composite"]),
    ];
    // The progress rules, over the example's probes and random ones, and
    // over probes without goals or measures, the rules giving the goal.
    let progress = [
        ("progress.csv", "progress"),
        ("progress.csv", "progress-referral"),
        ("probes.csv", "progress"),
        ("probes.csv", "progress-referral"),
        ("ungoaled.csv", "defaults.yaml"),
    ];
    for (csv, rules) in progress {
        cases.push(Case {
            progress: true,
            ..Case::new(csv, &["--rules", rules])
        });
    }
    let defaults = include_str!("../../rules/progress.yaml").replace(
        "params:\n",
        "params:\n  default_goal: 70\n  default_goal_date: \"1/26/2027\"\n",
    );
    let mut t = t
        .quiz()
        .file(
            "hostile.csv",
            "student_id,name,section,\"x\"\"; drop table results; --\",a'b,`tick`,Ünïcode skill,select\n\
             S1,Ann,5A,50,60,,,70\n\
             S2,\"O'Brien, \"\"Bo\"\"\",5A,90,,80,85%,7/10\n\
             S3,Cy,'); drop table results; --,,,,,\n",
        )
        .file("bench.yaml", include_str!("../../examples/bench/rules.yaml"))
        .file("b1.csv", b1(50_000))
        .file("dibels.csv", dibels())
        .file("progress.csv", include_str!("../../examples/progress.csv"))
        .file("probes.csv", probes(3))
        .file("defaults.yaml", defaults)
        .file(
            "ungoaled.csv",
            without(&probes(4), &["goal", "goal_date", "measure"]),
        );
    for (k, name) in SHAPED.into_iter().enumerate() {
        let rules = std::fs::read_to_string(repo(&format!("rules/{name}.yaml"))).unwrap();
        let csv = format!("{name}.csv");
        t = t.file(&csv, shaped(&rules, k as u64));
        // The class reaches most of the tree: three plans or more.
        let plan = t
            .run_with(&["plan", &csv, "--rules", name, "-f", "csv"])
            .stdout;
        let plans: std::collections::BTreeSet<String> = parse_csv(&plan, ',')[1..]
            .iter()
            .map(|row| row[3].clone())
            .collect();
        assert!(plans.len() >= 3, "{name}: {plans:?}");
        cases.push(Case::new(&csv, &["--rules", name]));
    }
    // The random probes reach most of the progress tree.
    for rules in ["progress", "progress-referral"] {
        let plan = t
            .run_with(&["plan", "probes.csv", "--rules", rules, "-f", "csv"])
            .stdout;
        let plans: std::collections::BTreeSet<String> = parse_csv(&plan, ',')[1..]
            .iter()
            .map(|row| row[5].clone())
            .collect();
        assert!(plans.len() >= 4, "{rules}: {plans:?}");
    }
    // Random rules that `tierplan check` refuses (a branch that can never
    // be reached) are not a case: the next seed is tried.
    let mut seed = 0;
    let fixed = cases.len();
    while cases.len() < fixed + RANDOM_CASES {
        let (rules, data) = random::case(seed);
        seed += 1;
        let (r, d) = (format!("random-{seed}.yaml"), format!("random-{seed}.csv"));
        t = t.file(&r, rules).file(&d, data);
        let args = ["check".to_owned(), "--rules".to_owned(), r.clone()];
        if !t.command(&args).output().unwrap().status.success() {
            continue;
        }
        cases.push(Case::new(&d, &["--rules", &r]));
    }
    (t, cases)
}

#[test]
fn duckdb_gives_the_plans_rows() {
    engines::through_run_py("duckdb");
}

#[test]
fn postgres_gives_the_plans_rows() {
    engines::postgres();
}

#[test]
fn spark_gives_the_plans_rows() {
    engines::through_run_py("spark");
}

#[test]
fn views_give_the_plans_rows() {
    engines::through_run_py("duckdb-view");
}

#[test]
fn dbt_models_rendered_by_jinja_give_the_plans_rows() {
    engines::through_run_py("dbt");
}

#[test]
fn a_dbt_model_reads_its_relation_with_jinja_and_nothing_else() {
    let t = Test::new().quiz().file(
        "h.csv",
        "student_id,section,{{ 7 * 7 }},endraw\nS1,5A,50,60\n",
    );
    let args = |table: &'static str, header: &'static str| {
        [
            "sql",
            "--dialect",
            "duckdb",
            "--dbt",
            "--table",
            table,
            "--header-from",
            header,
        ]
    };
    let sql = t.run_with(&args("assessment.results", "quiz.csv")).stdout;
    assert!(
        sql.starts_with("{% raw %}") && sql.ends_with("{% endraw %}\n"),
        "{sql}"
    );
    assert!(
        sql.contains("FROM {% endraw %}{{ source('assessment', 'results') }}{% raw %}"),
        "{sql}"
    );
    // A header that would end the raw block early is refused.
    t.status(2)
        .run_with(&args("results", "h.csv"))
        .assert_stderr_contains("hold `endraw`");
    t.status(2)
        .run_with(&args("a.b.c", "quiz.csv"))
        .assert_stderr_contains("is not a dbt relation");
}

#[test]
fn bigquery_queries_read_by_sqlglot_give_the_plans_rows() {
    engines::through_run_py("bigquery");
}

#[test]
fn snowflake_queries_read_by_sqlglot_give_the_plans_rows() {
    engines::through_run_py("snowflake");
}

/// BigQuery and Snowflake have no server here: besides sqlglot's reading,
/// their queries for the example class are kept as files, so a change to
/// what they are sent is seen in review. `TIERPLAN_BLESS=1` rewrites them.
/// The header is the example's with `_` for `.`, as BigQuery needs.
#[test]
fn bigquery_and_snowflake_queries_match_their_golden_files() {
    let quiz = include_str!("../../examples/quiz.csv");
    let (header, rows) = quiz.split_once('\n').unwrap();
    let t = Test::new()
        .file("quiz.csv", format!("{}\n{rows}", header.replace('.', "_")))
        .file("progress.csv", include_str!("../../examples/progress.csv"));
    let bless = std::env::var_os("TIERPLAN_BLESS").is_some();
    for dialect in ["bigquery", "snowflake"] {
        for (query, extra, csv) in [
            ("plan", None, "quiz.csv"),
            ("summary", Some("--summary"), "quiz.csv"),
            ("progress", None, "progress.csv"),
        ] {
            let mut args = vec!["sql", "--dialect", dialect, "--table", "district.results"];
            args.extend(["--header-from", csv]);
            args.extend(extra);
            let got = t.run_with(&args).stdout;
            let path = crate::util::repo(&format!("tests/sql/golden/{dialect}-{query}.sql"));
            if bless {
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                got == want,
                "{} differs from the query (TIERPLAN_BLESS=1 rewrites it):\n{}",
                path.display(),
                crate::util::diff(&want, &got)
            );
        }
    }
}

#[test]
fn a_column_list_is_read_one_name_a_line_and_refused_by_line() {
    let t = Test::new()
        .quiz()
        .file("columns.txt", "student_id\nname\nsection\nNBT.1\n\n")
        .file("gap.txt", "student_id\n\nsection\n");
    let args = |dialect: &'static str, from: &'static str, file: &'static str| {
        [
            "sql",
            "--dialect",
            dialect,
            "--table",
            "results",
            from,
            file,
        ]
    };
    t.status(1)
        .run_with(&args("bigquery", "--columns-from", "columns.txt"))
        .assert_stderr_contains("--> columns.txt, line 4, column 1 (`NBT.1`)");
    t.status(2)
        .run_with(&args("duckdb", "--columns-from", "gap.txt"))
        .assert_stderr_contains("gap.txt, line 2: an empty line in the column list");
    // The quiz's header as a list (after a byte-order mark) gives the
    // quiz's query.
    let header = t
        .read("quiz.csv")
        .lines()
        .next()
        .unwrap()
        .replace(',', "\n");
    let t = t.file("quiz.txt", format!("\u{feff}{header}"));
    assert_eq!(
        t.run_with(&args("duckdb", "--columns-from", "quiz.txt"))
            .stdout,
        t.run_with(&args("duckdb", "--header-from", "quiz.csv"))
            .stdout
    );
}

#[test]
fn rules_that_are_not_compiled_are_refused_with_where_they_are() {
    // Progress rules over a table that is not probes, and rules that
    // decide on a quantity the pivot does not compile: at the first
    // progress plan's `kind:`.
    let shipped = include_str!("../../rules/progress.yaml");
    let reading = shipped.replace(
        "when: run_below >= run",
        "when: run_below >= run and recent != ''",
    );
    let t = Test::new()
        .quiz()
        .file("p.csv", include_str!("../../examples/progress.csv"))
        .file("recent.yaml", reading);
    let line = shipped
        .lines()
        .position(|l| l.contains("kind: collect_more"))
        .unwrap()
        + 1;
    for (csv, rules, file, why) in [
        (
            "quiz.csv",
            "progress",
            "<built-in rules `progress`>",
            "progress rules compile for a table of probes, and `quiz.csv` is not one",
        ),
        (
            "p.csv",
            "recent.yaml",
            "recent.yaml",
            "the rules read `recent`, which is not compiled to SQL",
        ),
    ] {
        let mut args = sql_args("duckdb", csv);
        args.extend(["--rules", rules]);
        t.status(1)
            .run_with(&args)
            .assert_stdout("")
            .assert_stderr_contains(&format!(
                "error[not-compiled]: {why}\n  --> {file}, line {line}, column 5\n",
            ));
    }
    // A recode of a spelling beyond ASCII, at its `recode:`.
    let rules = include_str!("../../rules/dibels8-composite.yaml").replace("Fall: BOY", "Été: BOY");
    let line = rules
        .lines()
        .position(|l| l.starts_with("recode:"))
        .unwrap()
        + 1;
    let t = t.file("r.yaml", rules).file(
        "d.csv",
        "student_id,grade,season,composite\nS1,K,Fall,300\n",
    );
    let mut args = sql_args("duckdb", "d.csv");
    args.extend(["--rules", "r.yaml"]);
    t.status(1).run_with(&args).assert_stderr_contains(&format!(
        "(`été`) is not compiled to SQL yet\n  --> r.yaml, line {line}, column 1\n"
    ));
}

#[test]
fn a_column_postgres_would_cut_short_is_refused_by_name() {
    let long = "a skill whose name is longer than the sixty-three bytes PostgreSQL keeps";
    let t = Test::new().file("h.csv", format!("student_id,{long}\nS1,50\n"));
    let args = |dialect| sql_args(dialect, "h.csv");
    t.status(1)
        .run_with(&args("postgres"))
        .assert_stderr_contains(
            "error[not-compiled]: column `a skill whose name is longer than the si…` is 72 bytes \
             long, and the dialect names at most 63\n  --> h.csv, line 1, column 2",
        );
    t.run_with(&args("duckdb"));
}

#[test]
fn every_identifier_is_quoted_and_every_text_a_literal() {
    let t = Test::new().file(
        "h.csv",
        "student_id,\"x\"\"; drop table results; --\",`b`\nS1,50,60\n",
    );
    for (dialect, quoted) in [
        ("duckdb", "\"x\"\"; drop table results; --\""),
        ("postgres", "\"x\"\"; drop table results; --\""),
        ("spark", "`x\"; drop table results; --`"),
        ("bigquery", "`x\"; drop table results; --`"),
        ("snowflake", "\"x\"\"; drop table results; --\""),
    ] {
        let sql = t
            .run_with(&[
                "sql",
                "--dialect",
                dialect,
                "--table",
                "my \"table",
                "--header-from",
                "h.csv",
            ])
            .stdout;
        assert!(sql.contains(quoted), "{dialect}:\n{sql}");
        assert!(
            sql.contains("'x\"; drop table results; --'"),
            "{dialect}: the skill's name is a literal"
        );
        if dialect == "bigquery" {
            assert!(sql.contains(r"`\`b\``"), "a backtick is escaped:\n{sql}");
        }
        let table = if matches!(dialect, "spark" | "bigquery") {
            "`my \"table`"
        } else {
            "\"my \"\"table\""
        };
        assert!(sql.contains(&format!("FROM {table}")), "{dialect}:\n{sql}");
    }
}
