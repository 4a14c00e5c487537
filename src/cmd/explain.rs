//! `tierplan explain`: one student's path through the rules.

use std::io::{self, BufWriter, Write};

use crate::cli::ExplainArgs;
use crate::diagnostic::did_you_mean;
use crate::engine::{ReadOptions, Run, SetAside};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::{RulesChoice, inputs};
use crate::printable::Printable;
use crate::render::explain::{Explanation, write};
use crate::rules;

pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let choice = RulesChoice::from(args.rules);
    let inputs = inputs(args.data, &args.input)?;
    let read = ReadOptions {
        redact: args.redact,
        ..ReadOptions::from(&args.input)
    };
    let built_in = choice.built_in(&inputs, &read.reading)?;
    let rules = rules::load(choice.path.as_deref(), built_in, &choice.overrides)?;
    let run = Run::prepare(&rules, &inputs, &read)?;
    // Rows `--only` left out are said, as `plan` says them: the student
    // asked for may be one of them.
    let left_out = run
        .recognised
        .iter()
        .flat_map(|r| &r.notes)
        .filter(|d| d.code == "not-selected");
    crate::output::warn(left_out, &SetAside::default());
    // Under `--redact` an e-mail id is read redacted: look for it so.
    let wanted = if args.redact {
        crate::redact::redact_id(args.student.trim())
    } else {
        args.student.trim().into()
    };
    let wanted = &*wanted;
    // Names and values come from the user's file: no control characters.
    crate::output::stdout_open()?;
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    let mut found = 0;
    let mut ids = Vec::new();
    run.for_each(|student| {
        if student.id != wanted.as_bytes() {
            if found == 0 {
                ids.push(String::from_utf8_lossy(student.id).into_owned());
            }
            return Ok(());
        }
        if found > 0 {
            writeln!(out, "\n---\n").map_err(write_error("<stdout>"))?;
        }
        found += 1;
        let (steps, decision) = run.program.explain(&rules, &student.env);
        let reason = run.program.reason(&rules, &decision, &student.env);
        let caveat = student.caveat(&rules, &run.program);
        let section = run.sections.list[student.section].display_name();
        let explanation = Explanation {
            rules: &rules,
            student,
            section: &section,
            steps: &steps,
            decision: &decision,
            reason: &reason,
            caveat: caveat.as_deref(),
        };
        write(&mut out, &explanation).map_err(write_error("<stdout>"))
    })?;
    out.flush().map_err(write_error("<stdout>"))?;
    if found == 0 {
        let files: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        let hint = did_you_mean(wanted, ids.iter().map(String::as_str))
            .map_or(String::new(), |h| format!("; {h}"));
        let only: Vec<String> = args
            .input
            .only
            .iter()
            .map(|(field, value)| format!("--only {field}={value}"))
            .collect();
        let only = if only.is_empty() {
            String::new()
        } else {
            format!(" with `{}`", only.join(" "))
        };
        return Err(Error::usage(format!(
            "no student with id `{wanted}` in {}{only}{hint}",
            crate::diagnostic::list(&files)
        )));
    }
    Ok(ExitCode::Success)
}
