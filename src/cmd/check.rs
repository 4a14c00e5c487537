//! `tierplan check`: every problem in the rules and, given data, in how the
//! data's columns and cells meet the rules; then what was recognised in each
//! file: the profile that read it, the columns of each field, the skills and
//! the columns nothing reads.

use std::io::{self, BufWriter, Write};

use crate::cli::CheckArgs;
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
    // Headers and names come from the user's files: no control characters.
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    let write = |out: &mut Printable<BufWriter<io::StdoutLock<'_>>>| -> io::Result<()> {
        for d in &problems {
            writeln!(out, "{d}\n")?;
        }
        for line in &report {
            writeln!(out, "{line}")?;
        }
        if errors == 0 {
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
    Ok(if errors == 0 {
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
        problems.extend(run.set_aside.problems);
    }
    Ok(problems)
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
