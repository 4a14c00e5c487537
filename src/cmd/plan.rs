//! `tierplan plan`: decide every student and write the plan; glue only
//! (load → prepare → place → render → output).

use std::io::Write;

use crate::engine::Run;
use crate::error::{Error, ExitCode, Result, write_error};
use crate::ingest::Input;
use crate::meter::{Counter, Meter};
use crate::options::{PlanOptions, protect};
use crate::output::{Output, Protected, canonical, warn};
use crate::render::place::Placer;
use crate::render::{self, Format, Report};
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
    let (mut output, mut summary) = outputs(&opts, &rules)?;
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
        let plans = placer.place_all(&mut *sink, &output_name)?;
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
        if let Some(summary) = &mut summary {
            let summary_name = summary.name();
            render::csv::write_summary(summary.writer(), &report, opts.style.formulas)
                .map_err(write_error(&summary_name))?;
        }
    }
    meter.finish();
    output.commit()?;
    if let Some(summary) = summary {
        summary.commit()?;
    }
    Ok(ExitCode::Success)
}

/// The plan's output and the summary's, if asked: files written atomically
/// that must not replace a file the run reads, or standard output.
fn outputs(opts: &PlanOptions, rules: &Rules) -> Result<(Output, Option<Output>)> {
    let mut protected = Protected::default();
    protect(&mut protected, &opts.inputs, &opts.rules, &opts.read, rules);
    if let (Some(output), Some(summary)) = (&opts.output, &opts.summary)
        && canonical(output) == canonical(summary)
    {
        return Err(Error::usage(
            "`--output` and `--summary` name the same file; give each its own",
        ));
    }
    let output = match &opts.output {
        Some(path) => Output::file(path, &protected)?,
        None => Output::stdout()?,
    };
    let summary = opts
        .summary
        .as_deref()
        .map(|p| Output::file(p, &protected))
        .transpose()?;
    Ok((output, summary))
}
