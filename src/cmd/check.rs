//! `tierplan check`: every problem in the rules and, given data, in how the
//! data's columns and cells meet the rules; then what was recognised in each
//! file: the profile that read it, the columns of each field, the skills and
//! the columns nothing reads; and, given data, what the rules do with it:
//! the students each branch takes, the students a table has no row for,
//! the table rows no student matched. `--deny warnings` fails on warnings.

use std::io::{self, BufWriter, Write};

use crate::cli::{CheckArgs, DenyArg};
use crate::diagnostic::{Diagnostic, count, list};
use crate::engine::{self, ReadOptions, Run};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::ingest::{self, Input, Recognition};
use crate::options::{RulesChoice, inputs};
use crate::printable::Printable;
use crate::rules::{self, Outcome, Rules, Tree};

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let choice = RulesChoice::from(args.rules);
    let inputs = if args.data.is_empty() {
        Vec::new()
    } else {
        inputs(args.data, &args.input)?
    };
    let built_in = choice.built_in(&inputs, &ReadOptions::from(&args.input).reading)?;
    // A rules file refused before it is parsed (too large, not text) is
    // reported like any other problem in it.
    let (rules, mut problems) =
        match rules::check(choice.path.as_deref(), built_in, &choice.overrides) {
            Err(Error::Problems(problems)) => (None, problems),
            checked => checked?,
        };
    let mut report = Vec::new();
    if let Some(rules) = rules
        .as_ref()
        .filter(|_| !problems.iter().any(Diagnostic::is_error))
    {
        report.push(summary(rules));
        if !inputs.is_empty() {
            // Every problem in the data, not only the first.
            let read = ReadOptions {
                lenient: true,
                ..ReadOptions::from(&args.input)
            };
            match data(rules, &inputs, &read, &mut report) {
                Ok(more) => problems.extend(more),
                Err(Error::Problems(more)) => problems.extend(more),
                Err(other) => return Err(other),
            }
        }
    }
    // A name the rules left for the data's columns is an error once the data
    // is read; drop the earlier warning about it.
    let located_errors: Vec<_> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.location.clone())
        .collect();
    problems
        .retain(|d| d.is_error() || d.location.is_none() || !located_errors.contains(&d.location));
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    let denied = args.deny == Some(DenyArg::Warnings) && warnings > 0;
    // Headers and names come from the user's files: no control characters.
    crate::output::stdout_open()?;
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    let write = |out: &mut Printable<BufWriter<io::StdoutLock<'_>>>| -> io::Result<()> {
        for d in &problems {
            writeln!(out, "{d}\n")?;
        }
        for line in &report {
            writeln!(out, "{line}")?;
        }
        if errors == 0 && denied {
            writeln!(
                out,
                "{} found, and `--deny warnings` makes {} fail the check",
                count(warnings, "warning"),
                if warnings == 1 { "it" } else { "them" }
            )?;
        } else if errors == 0 {
            let suffix = if warnings > 0 {
                format!(" ({})", count(warnings, "warning"))
            } else {
                String::new()
            };
            writeln!(out, "ok{suffix}")?;
        } else {
            writeln!(
                out,
                "{} found, {}",
                count(errors, "error"),
                count(warnings, "warning")
            )?;
        }
        out.flush()
    };
    write(&mut out).map_err(write_error("<stdout>"))?;
    Ok(if errors == 0 && !denied {
        ExitCode::Success
    } else {
        ExitCode::Problems
    })
}

/// What each file holds, appended to `report`; the problems found.
fn data(
    rules: &Rules,
    inputs: &[Input],
    read: &ReadOptions,
    report: &mut Vec<String>,
) -> Result<Vec<Diagnostic>> {
    let (prepared, recognised) = ingest::prepare(rules, inputs, &read.reading)?;
    let (files, skills, maps) = engine::open(rules, &prepared)?;
    for ((file, map), seen) in files.iter().zip(&maps).zip(&recognised) {
        report.extend(recognition(seen));
        let fields: Vec<String> = rules
            .fields
            .iter()
            .zip(&map.field_columns)
            .map(|(f, c)| match c {
                Some(c) => format!("{} = `{}`", f.name, file.header[*c]),
                None => format!("{} = (none)", f.name),
            })
            .collect();
        let file_skills: Vec<&str> = map
            .skill_columns
            .iter()
            .zip(&skills.names)
            .filter(|(c, _)| c.is_some())
            .map(|(_, n)| &**n)
            .collect();
        report.push(format!("{}: columns {}", file.name, fields.join(", ")));
        report.push(format!(
            "  skills: {}",
            if file_skills.is_empty() {
                "none".to_owned()
            } else {
                list(&file_skills)
            }
        ));
        // A profiled file's unread columns were listed with its profile.
        let ignored: Vec<&str> = map
            .ignored
            .iter()
            .map(|&i| file.header[i].as_str())
            .collect();
        if seen.profile.is_none() && !ignored.is_empty() {
            report.push(format!("  ignored: {}", list(&ignored)));
        }
    }
    drop(files);
    // The run's notes are reading's, and what it left out (`--only`).
    let run = Run::prepare(rules, inputs, read)?;
    let mut problems: Vec<Diagnostic> = run
        .recognised
        .iter()
        .flat_map(|r| r.notes.clone())
        .collect();
    let students = format!(
        "{} in {}",
        count(run.students as usize, "student"),
        count(run.sections.list.len(), "section")
    );
    if run.set_aside.is_empty() {
        report.push(format!("{students}: every row reads"));
    } else {
        report.push(format!("{students}. {}", run.set_aside.summary()));
        problems.extend(run.set_aside.problems.iter().cloned());
    }
    coverage(rules, &run, report, &mut problems)?;
    Ok(problems)
}

/// What the rules do with the data: students per branch, students a table
/// has no row for (a warning each, with the keys and the first row), and
/// table rows no student matched.
fn coverage(
    rules: &Rules,
    run: &Run<'_>,
    report: &mut Vec<String>,
    problems: &mut Vec<Diagnostic>,
) -> Result<()> {
    let leaves = rules.leaves();
    let mut took = vec![0u64; leaves.len()];
    let mut matched: Vec<Vec<u64>> = rules
        .tables
        .iter()
        .map(|t| vec![0; t.table.rows.len()])
        .collect();
    // (table, keys) → students, and the first one's place.
    let mut missed: Vec<(String, String, u64, String, u64)> = Vec::new();
    run.for_each(|student| {
        // A leaf's id is its index in `leaves`.
        if let Some(n) = took.get_mut(student.decision.leaf) {
            *n += 1;
        }
        for (t, table) in run.program.tables.iter().enumerate() {
            if let Some(row) = table.matching_row(&student.env) {
                matched[t][row] += 1;
            }
        }
        for (table, keys) in &student.no_row {
            match missed.iter_mut().find(|m| m.0 == *table && m.1 == *keys) {
                Some(m) => m.2 += 1,
                None => missed.push((
                    table.clone(),
                    keys.clone(),
                    1,
                    student.file.to_owned(),
                    student.line,
                )),
            }
        }
        Ok(())
    })?;
    let taken: Vec<String> = leaves
        .iter()
        .zip(&took)
        .map(|(leaf, n)| {
            format!(
                "line {} → {}: {}",
                leaf.pos.line,
                rules.plans[leaf.plan].id,
                count(*n as usize, "student")
            )
        })
        .collect();
    report.push(format!("  branches: {}", taken.join("; ")));
    for (table, keys, n, file, line) in missed {
        problems.push(
            Diagnostic::warning(
                "no-table-row",
                format!(
                    "table `{table}` has no row for {keys}: {} planned without it",
                    count(n as usize, "student")
                ),
            )
            .at(crate::diagnostic::Location::line(&file, line))
            .help("add the row, or recode the file's spelling with `recode:`; without `no_match: missing` on the table, `plan` stops on these students"),
        );
    }
    let mut seen_tables: Vec<&str> = Vec::new();
    for (def, rows) in rules.tables.iter().zip(&matched) {
        if seen_tables.contains(&def.table_name.as_str()) {
            continue;
        }
        seen_tables.push(&def.table_name);
        let unused: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(_, n)| **n == 0)
            .map(|(r, _)| (r + 1).to_string())
            .collect();
        if !unused.is_empty() {
            report.push(format!(
                "  table `{}`: no student matched row{} {}",
                def.table_name,
                if unused.len() == 1 { "" } else { "s" },
                unused.join(", ")
            ));
        }
    }
    Ok(())
}

/// `export.csv: read as NWEA MAP Growth ...` and its columns.
fn recognition(seen: &Recognition) -> Vec<String> {
    let Some(profile) = &seen.profile else {
        return Vec::new();
    };
    let mut lines = vec![format!("{}: read as {profile}", seen.file)];
    let fields: Vec<String> = seen
        .fields
        .iter()
        .map(|(field, from)| format!("{field} <- `{from}`"))
        .collect();
    lines.push(format!("  recognised: {}", fields.join(", ")));
    if !seen.ignored.is_empty() {
        lines.push(format!("  ignored: {}", list(&seen.ignored)));
    }
    lines
}

fn summary(rules: &Rules) -> String {
    fn branches(tree: &Tree) -> usize {
        tree.branches
            .iter()
            .map(|b| match &b.outcome {
                Outcome::Leaf(_) => 1,
                Outcome::Tree(sub) => 1 + branches(sub),
            })
            .sum::<usize>()
            + 1
    }
    format!(
        "rules `{}` ({}): {}, {}, {}",
        rules.name,
        rules.source.name,
        count(rules.plans.len(), "plan"),
        count(branches(&rules.tree), "branch"),
        count(rules.params.len(), "parameter"),
    )
}
