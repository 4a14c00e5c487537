//! `tierplan explain`: one student's path through the rules; glue only
//! (load → prepare → find the student → render). A student in several
//! sections is explained in each, or in the one `--section` names.

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
    let chosen = opts.section.as_deref();
    // Every section's explanation is kept until the sections are known, to
    // say first how many the student is in.
    let mut text = Vec::new();
    let mut found = 0;
    let mut sections = Vec::new();
    let mut ids = Vec::new();
    run.for_each(|student| {
        if student.id != wanted.as_bytes() {
            if sections.is_empty() {
                ids.push(String::from_utf8_lossy(student.id).into_owned());
            }
            return Ok(());
        }
        let section = &run.sections.list[student.section];
        sections.push(section.display_name());
        if chosen.is_some_and(|c| c.as_bytes() != &*section.name) {
            return Ok(());
        }
        if found > 0 {
            writeln!(text, "\n---\n").map_err(write_error("<stdout>"))?;
        }
        found += 1;
        let (steps, decision) = run.program.explain(&rules, &student.env);
        let reason = run.program.reason(&rules, &decision, &student.env);
        let caveat = student.caveat(&rules, &run.program);
        let section = section.display_name();
        let explanation = Explanation {
            rules: &rules,
            student,
            section: &section,
            steps: &steps,
            decision: &decision,
            reason: &reason,
            caveat: caveat.as_deref(),
        };
        write(&mut text, &explanation).map_err(write_error("<stdout>"))
    })?;
    if sections.is_empty() {
        return Err(not_found(&opts, &ids));
    }
    if found == 0 {
        return Err(not_in_section(
            wanted,
            chosen.unwrap_or_default(),
            &sections,
        ));
    }
    // Names and values come from the user's file: no control characters.
    crate::output::stdout_open()?;
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    let note = if opts.shortened {
        shortened(wanted, &sections, found)
    } else {
        several(wanted, &sections, chosen)
    };
    if let Some(note) = note {
        writeln!(out, "{note}\n").map_err(write_error("<stdout>"))?;
    }
    out.write_all(&text)
        .and_then(|()| out.flush())
        .map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}

/// What `explain` says first when the student is in several sections (a
/// gradebook with a row per course): which it shows, or `None`.
fn several(id: &str, sections: &[String], chosen: Option<&str>) -> Option<String> {
    if sections.len() < 2 {
        return None;
    }
    let listed = crate::diagnostic::list(sections);
    Some(match chosen {
        None => format!(
            "Student {id} is in {} sections, {listed}, and is planned once in each: every section's decision follows (`--section NAME` shows one).",
            sections.len()
        ),
        Some(section) => format!(
            "Student {id} is in {} sections, {listed}: this is section `{section}`, as `--section` asked.",
            sections.len()
        ),
    })
}

/// What `explain --redact` says first when several rows have the shortened
/// e-mail id asked for: they may be one student in several sections, or
/// students whose addresses share a first letter and a domain.
fn shortened(id: &str, sections: &[String], shown: usize) -> Option<String> {
    if sections.len() < 2 {
        return None;
    }
    let mut unique: Vec<&String> = Vec::new();
    for s in sections {
        if !unique.contains(&s) {
            unique.push(s);
        }
    }
    Some(format!(
        "{} rows have the id {id} as `--redact` shows it, in {}: e-mail ids that share a first letter and domain read the same, so they may be different students; {} follow{}.",
        sections.len(),
        crate::diagnostic::list(&unique),
        crate::diagnostic::count(shown, "decision"),
        if shown == 1 { "s" } else { "" }
    ))
}

/// The student is in the data, not in the section `--section` asked for.
fn not_in_section(id: &str, section: &str, sections: &[String]) -> Error {
    let hint = did_you_mean(section, sections.iter().map(String::as_str))
        .map_or(String::new(), |h| format!("; {h}"));
    Error::usage(format!(
        "student `{id}` is not in section `{section}`; they are in {}{hint}",
        crate::diagnostic::list(sections)
    ))
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
