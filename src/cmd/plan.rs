//! `tierplan plan`: decide every student and write the plan; glue only
//! (load → prepare → place → render → output).

use std::io::Write;

use crate::engine::Run;
use crate::error::{Error, ExitCode, Result, write_error};
use crate::ingest::Input;
use crate::meter::{Counter, Meter};
use crate::options::{PlanOptions, protect};
use crate::output::{Output, Protected, canonical, warn};
use crate::render::letters::LetterSink;
use crate::render::place::Placer;
use crate::render::{self, Format, Report, Sink};
use crate::rules::Rules;

pub(crate) fn run(opts: PlanOptions) -> Result<ExitCode> {
    let rules = opts.rules.load(&opts.inputs, &opts.read.reading)?;
    if opts.format == Format::Csv && rules.chosen_for.is_some() {
        // The CSV has no header line to say it; a pipeline should know.
        let _ = writeln!(std::io::stderr(), "note: rules: {}", rules.provenance());
    }
    if opts.format == Format::Csv {
        crate::output::config_note(rules.config.as_ref());
    }
    let (mut output, mut summary, mut letters) = outputs(&opts, &rules)?;
    // A template that does not fit the rules is refused before any work.
    let template = letters
        .as_ref()
        .map(|_| crate::render::letters::Template::load(&rules))
        .transpose()?;
    // Every input is read twice: once for the sections, once to decide;
    // the line counts its bytes once a pass (issue 13).
    let size = opts.inputs.iter().map(Input::size).sum::<u64>();
    let counter = Counter::default();
    let meter = Meter::start(&counter, size, opts.quiet);
    let inputs: Vec<Input> = opts
        .inputs
        .iter()
        .map(|input| {
            let mut input = input.clone();
            input.counter = meter.drawing().then(|| counter.clone());
            input
        })
        .collect();
    let run = Run::prepare(&rules, &inputs, &opts.read)?;
    meter.second_pass();
    // The section pass counted the students: refuse a table too large to
    // hold before deciding anyone, rather than run out of memory.
    render::check_size(opts.format, run.students, render::MAX_GROUPED_STUDENTS)?;
    let notes = run.recognised.iter().flat_map(|r| &r.notes);
    warn(notes.chain(&run.set_aside.problems), &run.set_aside);
    if opts.format == Format::Csv
        && let Some(note) = render::several_sections(run.in_several_sections)
    {
        // The table, Markdown and JSON say it; a CSV has no place for it.
        let _ = writeln!(std::io::stderr(), "note: {note}");
    }
    let output_name = output.name();
    let letters_name = letters.as_ref().map(Output::name).unwrap_or_default();
    opts.check_columns(&rules)?;
    {
        let placer = Placer::new(
            &rules,
            &run,
            opts.format,
            &opts.columns,
            opts.style.formulas,
        );
        let mut sink = render::sink(
            opts.format,
            &opts.columns,
            opts.style,
            &rules,
            output.writer(),
        );
        let mut letter_sink = match (&mut letters, template) {
            (Some(file), Some(template)) => {
                let html =
                    opts.letters.as_deref().and_then(Format::of_extension) == Some(Format::Html);
                Some(
                    LetterSink::new(file.writer(), &rules, template, html)
                        .map_err(write_error(&letters_name))?,
                )
            }
            _ => None,
        };
        let plans = match &mut letter_sink {
            Some(letter_sink) => {
                let mut both = render::Both {
                    first: &mut *sink,
                    second: letter_sink,
                };
                placer.place_all(&mut both, &output_name)?
            }
            None => placer.place_all(&mut *sink, &output_name)?,
        };
        let caveats: u64 = plans.iter().map(|p| u64::from(p.caveats)).sum();
        if caveats > 0 && !opts.format.groups_students() {
            // The table and Markdown list them; CSV and JSON say it per row.
            let _ = writeln!(
                std::io::stderr(),
                "note: {} decided without some of their data (the `caveat` of each says what was missing)",
                crate::diagnostic::count(caveats as usize, "student")
            );
        }
        let report = Report {
            rules: &rules,
            skills: &run.skills.names,
            sections: &run.sections,
            plans: &plans,
            students: run.students,
            in_several_sections: run.in_several_sections,
            set_aside: &run.set_aside,
        };
        sink.finish(&report).map_err(write_error(&output_name))?;
        if let Some(letter_sink) = &mut letter_sink {
            letter_sink
                .finish(&report)
                .map_err(write_error(&letters_name))?;
            let _ = writeln!(
                std::io::stderr(),
                "note: {} home in `{letters_name}` (the students whose support changes)",
                crate::diagnostic::count(letter_sink.written as usize, "letter")
            );
            if let Some(held) = letter_sink.held_note() {
                let _ = writeln!(std::io::stderr(), "note: {held}");
            }
        }
        if let Some(summary) = &mut summary {
            let summary_name = summary.name();
            render::csv::write_summary(summary.writer(), &report, opts.style.formulas)
                .map_err(write_error(&summary_name))?;
        }
    }
    meter.finish();
    output.commit()?;
    for file in [summary, letters].into_iter().flatten() {
        file.commit()?;
    }
    Ok(ExitCode::Success)
}

/// The plan's output, and the summary's and the letters' if asked: files
/// written atomically that must not replace a file the run reads, each
/// other, or standard output.
fn outputs(opts: &PlanOptions, rules: &Rules) -> Result<(Output, Option<Output>, Option<Output>)> {
    let mut protected = Protected::default();
    protect(&mut protected, &opts.inputs, &opts.rules, &opts.read, rules);
    let named = [
        ("--output", &opts.output),
        ("--summary", &opts.summary),
        ("--letters", &opts.letters),
    ];
    for (i, (one, a)) in named.iter().enumerate() {
        for (other, b) in &named[i + 1..] {
            if let (Some(a), Some(b)) = (a, b)
                && canonical(a) == canonical(b)
            {
                return Err(Error::usage(format!(
                    "`{one}` and `{other}` name the same file; give each its own"
                )));
            }
        }
    }
    let output = match &opts.output {
        Some(path) => Output::file(path, &protected)?,
        None => Output::stdout()?,
    };
    let file = |path: &Option<std::path::PathBuf>| {
        path.as_deref()
            .map(|p| Output::file(p, &protected))
            .transpose()
    };
    Ok((output, file(&opts.summary)?, file(&opts.letters)?))
}
