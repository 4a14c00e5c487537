//! `tierplan check`: every problem in the rules and, given data, in how the
//! data's columns and cells meet the rules; then what was recognised in each
//! file and, given data, what the rules do with it (`render::check` says
//! it); glue only (load → check → count → render). `--deny warnings` fails
//! on warnings.

use std::io::{self, BufWriter};

use crate::diagnostic::Diagnostic;
use crate::engine::coverage::Coverage;
use crate::engine::{self, ReadOptions, Run};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::ingest::{self, Input};
use crate::options::CheckOptions;
use crate::printable::Printable;
use crate::render::check::{self as report_of, Verdict};
use crate::rules::{self, Rules};

pub(crate) fn run(opts: CheckOptions) -> Result<ExitCode> {
    let choice = &opts.rules;
    crate::output::config_note(choice.config.as_ref());
    let built_in = choice.built_in(&opts.inputs, &opts.read.reading)?;
    // A rules file refused before it is parsed (too large, not text) is
    // reported like any other problem in it.
    let (rules, mut problems) =
        match rules::check(choice.path.as_deref(), built_in, &choice.overrides) {
            Err(Error::Problems(problems)) => (None, problems),
            checked => checked.map_err(|e| choice.locate(e))?,
        };
    let mut report = Vec::new();
    if let Some(rules) = rules
        .as_ref()
        .filter(|_| !problems.iter().any(Diagnostic::is_error))
    {
        report.push(report_of::summary(rules));
        if !opts.inputs.is_empty() {
            match data(rules, &opts.inputs, &opts.read, &mut report) {
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
    let verdict = Verdict {
        errors,
        warnings,
        denied: opts.deny_warnings && warnings > 0,
    };
    // Headers and names come from the user's files: no control characters.
    crate::output::stdout_open()?;
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    report_of::write(&mut out, &problems, &report, verdict).map_err(write_error("<stdout>"))?;
    Ok(if errors == 0 && !verdict.denied {
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
        report.extend(report_of::file(rules, file, &skills, map, seen));
    }
    drop(files);
    // The run's notes are reading's, and what it left out (`--only`).
    let run = Run::prepare(rules, inputs, read)?;
    let mut problems: Vec<Diagnostic> = run
        .recognised
        .iter()
        .flat_map(|r| r.notes.clone())
        .collect();
    report.push(report_of::students(&run));
    if !run.set_aside.is_empty() {
        problems.extend(run.set_aside.problems.iter().cloned());
    }
    let coverage = Coverage::of(rules, &run)?;
    report.extend(report_of::coverage(rules, &coverage));
    problems.extend(coverage.warnings());
    Ok(problems)
}
