//! `tierplan explain`: one student's path through the rules; glue only
//! (load → prepare → find the student → render).

use std::io::{self, BufWriter, Write};

use crate::diagnostic::{Code, did_you_mean};
use crate::engine::{Run, SetAside};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::ExplainOptions;
use crate::printable::Printable;
use crate::render::explain::{Explanation, write};

pub(crate) fn run(opts: ExplainOptions) -> Result<ExitCode> {
    let rules = opts.rules.load(&opts.inputs, &opts.read.reading)?;
    crate::output::config_note(rules.config.as_ref());
    let run = Run::prepare(&rules, &opts.inputs, &opts.read)?;
    // Rows `--only` left out are said, as `plan` says them: the student
    // asked for may be one of them.
    let left_out = run
        .recognised
        .iter()
        .flat_map(|r| &r.notes)
        .filter(|d| d.code == Code::NotSelected);
    crate::output::warn(left_out, &SetAside::default());
    let wanted = opts.student.as_str();
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
        return Err(not_found(&opts, &ids));
    }
    Ok(ExitCode::Success)
}

/// No student has the id asked for: the files read, `--only` if given, and
/// the closest id.
fn not_found(opts: &ExplainOptions, ids: &[String]) -> Error {
    let wanted = opts.student.as_str();
    let files: Vec<&str> = opts.inputs.iter().map(|i| i.name.as_str()).collect();
    let hint = did_you_mean(wanted, ids.iter().map(String::as_str))
        .map_or(String::new(), |h| format!("; {h}"));
    let only: Vec<String> = opts
        .read
        .reading
        .narrowing
        .only
        .iter()
        .map(|(field, value)| format!("--only {field}={value}"))
        .collect();
    let only = if only.is_empty() {
        String::new()
    } else {
        format!(" with `{}`", only.join(" "))
    };
    Error::usage(format!(
        "no student with id `{wanted}` in {}{only}{hint}",
        crate::diagnostic::list(&files)
    ))
}
