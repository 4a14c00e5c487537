//! `tierplan test`: unit tests for rules files, run by the engine itself.
//!
//! Each case ([`cases`]) becomes a small CSV in memory (one row per student:
//! the student, then the classmates, all in one section) that goes through
//! the same pipeline as `tierplan plan` ([`Run::prepare`], the section pass,
//! then [`Run::for_each`]); the student's [`Decision`](crate::engine::Decision)
//! is compared with what the case expects. So a test sees exactly what a
//! plan would: whole-class decisions, missing data, profiles for raw rows.
//! The [`Report`] keeps, for each failure, the path the student took (as
//! `explain` shows it), and the coverage: the leaves no case reached and the
//! table rows no case read. This module decides nothing and prints nothing;
//! `render::testing` writes the report.

pub(crate) mod boundaries;
pub(crate) mod cases;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(crate) use cases::{Branch, Case, LeafInfo, Mode, Suite};

use crate::condition::eval::{Seen, Tri};
use crate::condition::one_line;
use crate::diagnostic::{Code, Diagnostic, Location, list};
use crate::engine::decide::show;
use crate::engine::{ReadOptions, Run};
use crate::error::{Error, Result};
use crate::ingest::columns::same_header;
use crate::ingest::{Input, Reading};
use crate::rules::yaml::{MAX_RULES_BYTES, Source, too_large};
use crate::rules::{IfMissing, Rules, Shipped};

/// One test on a student's path, as a failure shows it.
#[derive(Debug, Clone)]
pub(crate) struct TraceStep {
    pub depth: usize,
    pub line: u64,
    /// The condition, whitespace collapsed.
    pub text: String,
    /// What each name read: `screening = 8, tier3_cut = 10`.
    pub seen: String,
    pub outcome: &'static str,
}

/// A key of `expect` whose value differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub key: &'static str,
    pub expected: String,
    pub actual: String,
}

/// One case, run.
#[derive(Debug, Clone)]
pub(crate) struct CaseResult {
    pub name: String,
    pub location: Location,
    /// Empty when the case passed.
    pub mismatches: Vec<Mismatch>,
    pub path: Vec<TraceStep>,
    /// The leaf reached: its label and line.
    pub leaf: String,
    pub reason: String,
}

/// A table row no case read.
#[derive(Debug, Clone)]
pub(crate) struct UnusedRow {
    pub table: String,
    /// 1-based.
    pub row: usize,
    pub rows: usize,
    pub line: u64,
}

/// The outcome of one rules file's tests.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    /// `After a quiz` (`rules/default.yaml`).
    pub rules_name: String,
    pub rules_file: String,
    /// The files the cases came from.
    pub tests_from: Vec<String>,
    pub results: Vec<CaseResult>,
    /// Leaves of the tree, and those no case reached, with their plan ids.
    pub leaves: usize,
    pub unreached: Vec<(LeafInfo, String)>,
    pub unused_rows: Vec<UnusedRow>,
}

impl Report {
    pub(crate) fn failed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| !r.mismatches.is_empty())
            .count()
    }

    pub(crate) fn passed(&self) -> usize {
        self.results.len() - self.failed()
    }
}

/// Which rules file `path` names and where its test file is: a rules file
/// (`NAME.yaml`, tests in `NAME.test.yaml`), or the test file itself.
pub(crate) fn locate(path: &Path) -> (PathBuf, PathBuf) {
    match cases::rules_of_test_file(path) {
        Some(rules) => (rules, path.to_path_buf()),
        None => (path.to_path_buf(), cases::sidecar_path(path)),
    }
}

/// The cases for `rules`, read from the rules file's `tests:` and from
/// `test_file`, or the shipped set's own tests when the rules are `shipped`.
pub(crate) fn read_suite(
    rules: &Rules,
    shipped: Option<&Shipped>,
    rules_path: Option<&Path>,
    test_file: Option<&Path>,
) -> Result<Suite> {
    let sidecar = match (rules_path, test_file) {
        (None, _) => shipped.map(|set| Source {
            name: set.tests_name(),
            text: set.tests.to_owned(),
        }),
        (Some(_), Some(path)) if path.exists() => Some(read_source(path)?),
        (Some(_), _) => None,
    };
    let suite = Suite::read(rules, sidecar).map_err(Error::Problems)?;
    if suite.cases.is_empty() {
        let beside = test_file.map_or(String::new(), |p| format!(" `{}`", p.display()));
        return Err(Error::usage(format!(
            "no test cases for `{}`: write them in{beside} (rules/README.md, \"Testing your rules\")",
            rules.source.name
        )));
    }
    Ok(suite)
}

fn read_source(path: &Path) -> Result<Source> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("read", path, e))?
        .len();
    if size > MAX_RULES_BYTES as u64 {
        return Err(Error::problem(too_large(&name, size)));
    }
    let bytes = crate::rules::yaml::read_bounded(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::problem(
            Diagnostic::error(Code::TestsNotText, format!("`{name}` is not UTF-8 text"))
                .at(Location::file(&name))
                .help("save the test file as UTF-8 text (YAML)"),
        )
    })?;
    Ok(Source { name, text })
}

/// What one case's student got.
struct Actual {
    plan: usize,
    focus: Option<String>,
    leaf: usize,
    whole_class: Vec<String>,
    path: Vec<TraceStep>,
    reason: String,
    /// (table, row) read on the path.
    table_rows: Vec<(usize, usize)>,
    skills: Vec<String>,
}

/// Run every case of `suite` against `rules`.
pub(crate) fn run(rules: &Rules, suite: &Suite) -> Result<Report> {
    let leaves = cases::leaves(rules);
    let mut problems = Vec::new();
    let mut results = Vec::new();
    let mut reached = BTreeSet::new();
    let mut rows_used = BTreeSet::new();
    for case in &suite.cases {
        let actual = match run_case(rules, suite, case) {
            Ok(actual) => actual,
            Err(Error::Problems(more)) => {
                problems.extend(more);
                continue;
            }
            Err(other) => return Err(other),
        };
        reached.insert(actual.leaf);
        rows_used.extend(actual.table_rows.iter().copied());
        let at = |pos| suite.sources[case.source].location(pos, 0, 1);
        let known = |name: &str| actual.skills.iter().any(|s| same_header(s, name));
        let skills = || list(&actual.skills);
        if let Some(focus) = &case.expect.focus
            && let Some(name) = &focus.value
            && !known(name)
        {
            problems.push(
                Diagnostic::error(
                    Code::UnknownSkill,
                    format!(
                        "case `{}` expects focus `{name}`, which is no skill of its data",
                        case.name
                    ),
                )
                .at(at(focus.pos))
                .help(format!("the skills are {}, or `none`", skills())),
            );
            continue;
        }
        if let Some(unknown) = case
            .expect
            .whole_class
            .iter()
            .flatten()
            .find(|s| !known(&s.value))
        {
            problems.push(
                Diagnostic::error(
                    Code::UnknownSkill,
                    format!(
                        "case `{}` expects `{}` retaught to the whole class, which is no skill of its data",
                        case.name, unknown.value
                    ),
                )
                .at(at(unknown.pos))
                .help(format!("the skills are {}", skills())),
            );
            continue;
        }
        let leaf_label = |id: usize| {
            leaves.iter().find(|l| l.id == id).map_or_else(
                || format!("leaf {id}"),
                |l| format!("{} [line {}]", l.label(), l.line),
            )
        };
        let mismatches = compare(rules, case, &actual, &leaf_label);
        results.push(CaseResult {
            name: case.name.clone(),
            location: cases::case_location(suite, case),
            mismatches,
            path: actual.path,
            leaf: leaf_label(actual.leaf),
            reason: actual.reason,
        });
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let unreached = leaves
        .iter()
        .filter(|l| !reached.contains(&l.id))
        .map(|l| (l.clone(), rules.plans[l.plan].id.clone()))
        .collect();
    let mut unused_rows = Vec::new();
    for (t, table) in rules.tables.iter().enumerate() {
        for row in 0..table.table.rows.len() {
            if !rows_used.contains(&(t, row)) {
                unused_rows.push(UnusedRow {
                    table: table.name.clone(),
                    row: row + 1,
                    rows: table.table.rows.len(),
                    line: table.pos.line,
                });
            }
        }
    }
    Ok(Report {
        rules_name: rules.name.clone(),
        rules_file: rules.source.name.clone(),
        tests_from: suite.sources.iter().map(|s| s.name.clone()).collect(),
        results,
        leaves: leaves.len(),
        unreached,
        unused_rows,
    })
}

fn compare(
    rules: &Rules,
    case: &Case,
    actual: &Actual,
    leaf_label: &dyn Fn(usize) -> String,
) -> Vec<Mismatch> {
    let expect = &case.expect;
    let mut out = Vec::new();
    let mut differ = |key, expected: String, actual: String| {
        if expected != actual {
            out.push(Mismatch {
                key,
                expected,
                actual,
            });
        }
    };
    let quoted = |s: &str| format!("`{s}`");
    differ(
        "plan",
        quoted(&rules.plans[expect.plan].id),
        quoted(&rules.plans[actual.plan].id),
    );
    let tier = |t: Option<u8>| t.map_or("none".to_owned(), |t| t.to_string());
    if let Some(expected) = expect.tier {
        differ("tier", tier(expected), tier(rules.plans[actual.plan].tier));
    }
    let focus = |f: Option<&str>| f.map_or("none".to_owned(), quoted);
    if let Some(expected) = &expect.focus {
        // Skill names match as headers do (`NF.1` is `nf 1`).
        let same = match (&expected.value, &actual.focus) {
            (Some(a), Some(b)) => same_header(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            differ(
                "focus",
                focus(expected.value.as_deref()),
                focus(actual.focus.as_deref()),
            );
        }
    }
    match &expect.branch {
        Some(Branch::Leaf(expected)) => {
            differ("branch", leaf_label(*expected), leaf_label(actual.leaf));
        }
        Some(Branch::Unknown { text, hint }) => {
            let hint = hint.as_ref().map_or(String::new(), |h| format!("; {h}"));
            differ(
                "branch",
                format!("{text} (no branch of these rules is that{hint})"),
                leaf_label(actual.leaf),
            );
        }
        None => {}
    }
    if let Some(expected) = &expect.whole_class {
        let mut wanted: Vec<&str> = actual
            .skills
            .iter()
            .filter(|s| expected.iter().any(|e| same_header(&e.value, s)))
            .map(String::as_str)
            .collect();
        wanted.dedup();
        let shown = |skills: &[&str]| {
            if skills.is_empty() {
                "no skill".to_owned()
            } else {
                list(skills)
            }
        };
        let got: Vec<&str> = actual.whole_class.iter().map(String::as_str).collect();
        differ("whole_class", shown(&wanted), shown(&got));
    }
    out
}

/// The case's rows as CSV: one header, the union of the columns named.
fn csv_of(rules: &Rules, case: &Case) -> Vec<u8> {
    // In `student:` a field is written under the first header the rules
    // know it by, so any name or header of the field reads.
    let header_of = |key: &str| -> String {
        if case.mode == Mode::Rows {
            return key.to_owned();
        }
        rules
            .fields
            .iter()
            .find(|f| same_header(&f.name, key) || f.aliases.iter().any(|a| same_header(a, key)))
            .map_or_else(
                || key.to_owned(),
                |f| f.aliases.first().cloned().unwrap_or_else(|| f.name.clone()),
            )
    };
    let mut header: Vec<String> = Vec::new();
    for row in &case.rows {
        for (key, _) in &row.cells {
            let h = header_of(key);
            if !header.iter().any(|x| same_header(x, &h)) {
                header.push(h);
            }
        }
    }
    // A required field the case leaves out is an empty column: missing.
    if case.mode == Mode::Fields {
        for field in rules.fields.iter().filter(|f| !f.optional) {
            let present = header.iter().any(|h| {
                same_header(h, &field.name) || field.aliases.iter().any(|a| same_header(a, h))
            });
            if !present {
                header.push(header_of(&field.name));
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut record = vec![String::new(); header.len()];
    // Writing to a `Vec` cannot fail.
    let _ = writer.write_record(&header);
    for row in &case.rows {
        record.iter_mut().for_each(String::clear);
        for (key, cell) in &row.cells {
            let h = header_of(key);
            if let Some(i) = header.iter().position(|x| same_header(x, &h)) {
                record[i].clone_from(cell);
            }
        }
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

fn run_case(rules: &Rules, suite: &Suite, case: &Case) -> Result<Actual> {
    let name = format!("case `{}`", case.name);
    let input = Input::memory(&name, csv_of(rules, case));
    let read = ReadOptions {
        reading: Reading {
            // `student:` gives the fields as the rules read them: no profile.
            profile: (case.mode == Mode::Fields).then(|| "none".to_owned()),
            ..Reading::default()
        },
        ..ReadOptions::default()
    };
    let located = |e: Error| match e {
        Error::Problems(ds) => Error::Problems(
            ds.into_iter()
                .map(|d| relocate(suite, case, &name, d))
                .collect(),
        ),
        other => other,
    };
    let run = Run::prepare(rules, &[input], &read).map_err(located)?;
    let mut actual = None;
    run.for_each(|student| {
        if actual.is_some() || student.id != case.id.as_bytes() {
            return Ok(());
        }
        let env = &student.env;
        let (steps, decision) = run.program.explain(rules, env);
        let reason = run.program.reason(rules, &decision, env);
        let skills = env.skill_names;
        let mut table_rows = Vec::new();
        let path = steps
            .iter()
            .map(|step| {
                for (n, _) in &step.seen {
                    if let Some(t) = rules.tables.iter().position(|t| &t.name == n)
                        && let Some(row) = run.program.tables[t].matching_row(env)
                    {
                        table_rows.push((t, row));
                    }
                }
                TraceStep {
                    depth: step.depth,
                    line: step.when.pos.line,
                    text: one_line(&step.when.text),
                    seen: step
                        .seen
                        .iter()
                        .map(|(n, v)| match v {
                            Seen::Skills(_) => format!("{n} holds for {}", show(v, skills)),
                            _ => format!("{n} = {}", show(v, skills)),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    outcome: match (step.result, step.taken) {
                        (Tri::True, _) => "true, taken",
                        (Tri::False, _) => "false",
                        (Tri::Missing, true) => "missing data, taken (if_missing: match)",
                        (Tri::Missing, false) => match step.if_missing {
                            IfMissing::Skip => "missing data, skipped",
                            IfMissing::Match => "missing data",
                        },
                    },
                }
            })
            .collect();
        let section = &run.sections.list[student.section];
        actual = Some(Actual {
            plan: decision.plan,
            focus: decision.focus.map(|f| skills[f].to_string()),
            leaf: decision.leaf,
            whole_class: section
                .stats
                .iter()
                .zip(skills)
                .filter(|(s, _)| s.whole_class)
                .map(|(_, n)| n.to_string())
                .collect(),
            path,
            reason,
            table_rows,
            skills: skills.iter().map(|s| s.to_string()).collect(),
        });
        Ok(())
    })
    .map_err(located)?;
    actual.ok_or_else(|| {
        Error::problem(
            Diagnostic::error(
                Code::StudentNotPlanned,
                format!(
                    "case `{}`: student `{}` is not in the plan",
                    case.name, case.id
                ),
            )
            .at(cases::case_location(suite, case))
            .help("check the student's rows: the rules (or the export's profile) left them out"),
        )
    })
}

/// A problem in a case's data, placed at the row of the test file it is on.
fn relocate(suite: &Suite, case: &Case, input: &str, mut d: Diagnostic) -> Diagnostic {
    let Some(location) = d.location.as_deref().filter(|l| l.file == input) else {
        return d;
    };
    // Line 1 is the header; each row is one line.
    let row = location
        .line
        .and_then(|line| usize::try_from(line.checked_sub(2)?).ok())
        .and_then(|i| case.rows.get(i));
    let column = location.column_name.clone();
    let pos = row.map_or(case.pos, |r| r.pos);
    d.message = match column {
        Some(column) => format!("in case `{}`, `{column}`: {}", case.name, d.message),
        None => format!("in case `{}`: {}", case.name, d.message),
    };
    d.location = Some(Box::new(suite.sources[case.source].location(pos, 0, 1)));
    d
}
