//! `tierplan diff`: run both sides, compare them, write the comparison.
//!
//! Glue only: each side is loaded and decided as `plan` does, collected into
//! a [`diff::Side`]; [`diff::compare`] does the comparing and
//! `render::diff` the writing. Every error exits 2, since with
//! `--exit-code` status 1 means "the plans differ".

use std::io::Write as _;

use crate::diff::{self, Entry, Outcome, Side};
use crate::engine::{ReadOptions, Run};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::{DiffOptions, DiffSide};
use crate::output::{Output, Protected};
use crate::render::diff::{DiffFormat, Shown, SideInfo};
use crate::rules::Rules;

pub(crate) fn run(opts: DiffOptions) -> Result<ExitCode> {
    compare(opts).map_err(|e| Error::Failed(Box::new(e)))
}

fn compare(opts: DiffOptions) -> Result<ExitCode> {
    let old_rules = load(&opts.old, &opts.read)?;
    crate::output::config_note(old_rules.config.as_ref());
    let new_rules = load(&opts.new, &opts.read)?;
    let mut protected = Protected::default();
    for (side, rules) in [(&opts.old, &old_rules), (&opts.new, &new_rules)] {
        crate::options::protect(&mut protected, &side.inputs, &side.rules, &opts.read, rules);
    }
    let mut output = match &opts.output {
        Some(path) => Some(Output::file(path, &protected)?),
        None if opts.quiet => None,
        None => Some(Output::stdout()?),
    };
    let (old, old_info) = decide(&opts.old, &old_rules, &opts.read)?;
    let (new, new_info) = decide(&opts.new, &new_rules, &opts.read)?;
    let diff = diff::compare(&old, &new)?;
    if let Some(output) = &mut output {
        let name = output.name();
        let shown = Shown {
            diff: &diff,
            old: &old_info,
            new: &new_info,
            all: opts.all,
        };
        if opts.format == DiffFormat::Csv {
            // The table and JSON say these; a CSV has no place for them.
            let mut stderr = std::io::stderr();
            if let Some(note) = crate::render::diff::several_sections(&shown) {
                let _ = writeln!(stderr, "note: {note}");
            }
            if diff.moved > 0 {
                let _ = writeln!(
                    stderr,
                    "note: {} moved section: each is a `gone` row in the old section and a `new_student` row in the new",
                    crate::diagnostic::count(
                        usize::try_from(diff.moved).unwrap_or(usize::MAX),
                        "student"
                    )
                );
            }
        }
        let out = output.writer();
        match opts.format {
            DiffFormat::Table => crate::render::diff::table(out, &shown, opts.style),
            DiffFormat::Csv => crate::render::diff::csv(out, &shown, opts.style.formulas),
            DiffFormat::Json => crate::render::diff::json(out, &shown),
        }
        .map_err(write_error(&name))?;
    }
    if let Some(output) = output {
        output.commit()?;
    }
    Ok(if opts.exit_code && diff.has_changes() {
        ExitCode::Problems
    } else {
        ExitCode::Success
    })
}

/// Load one side's rules.
fn load(side: &DiffSide, read: &ReadOptions) -> Result<Rules> {
    side.rules.load(&side.inputs, &read.reading)
}

/// Decide every student of one side, and keep what `diff` compares.
fn decide(side: &DiffSide, rules: &Rules, read: &ReadOptions) -> Result<(Side, SideInfo)> {
    let run = Run::prepare(rules, &side.inputs, read)?;
    let notes = run.recognised.iter().flat_map(|r| &r.notes);
    crate::output::warn(notes.chain(&run.set_aside.problems), &run.set_aside);
    let info = SideInfo {
        rules: rules.source.name.clone(),
        data: side.inputs.iter().map(|i| i.name.clone()).collect(),
        in_several_sections: run.in_several_sections,
    };
    let mut entries = Vec::with_capacity(usize::try_from(run.students).unwrap_or(0));
    run.for_each(|student| {
        let plan = &rules.plans[student.decision.plan];
        entries.push(Entry {
            section: run.sections.list[student.section].name.to_vec(),
            id: student.id.to_vec(),
            name: String::from_utf8_lossy(student.name).into_owned(),
            outcome: Outcome {
                plan: plan.id.clone(),
                label: plan.label.clone(),
                tier: plan.tier,
                focus: student
                    .decision
                    .focus
                    .map(|f| run.skills.names[f].to_string()),
            },
        });
        Ok(())
    })?;
    let name = format!("{} with {}", info.data.join(", "), info.rules);
    Ok((Side { name, entries }, info))
}
