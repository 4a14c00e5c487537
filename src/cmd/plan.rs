//! `tierplan plan`: decide every student and write the plan.

use std::io::Write;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{ReadOptions, Run, SetAside, Student};
use crate::error::{Error, ExitCode, Result, write_error};
use crate::ingest::Input;
use crate::meter::{Counter, Meter};
use crate::options::PlanOptions;
use crate::options::RulesChoice;
use crate::output::{Output, Protected, canonical};
use crate::plan::Collector;
use crate::plan::ProgressDetail;
use crate::printable::Printable;
use crate::render::csv::CsvSink;
use crate::render::{self, Column, Fields, Format, Placed, Report, Sink};
use crate::rules::{self, Rules};

/// Add every file a run of `rules` on `inputs` reads to `protected`: the
/// data (each file of a roster folder), the rules file, the blueprint and
/// the tables' CSV files.
pub fn protect(
    protected: &mut Protected,
    inputs: &[Input],
    choice: &RulesChoice,
    read: &ReadOptions,
    rules: &Rules,
) {
    let files = inputs.iter().filter_map(Input::path);
    let files = files.chain(choice.path.as_deref());
    let files = files.chain(read.reading.blueprint.as_deref());
    let files = files.chain(rules.blueprint.as_deref());
    for file in files.chain(rules.table_files.iter().map(|p| p.as_path())) {
        protected.add(file);
    }
}

pub fn run(opts: PlanOptions) -> Result<ExitCode> {
    let built_in = opts.rules.built_in(&opts.inputs, &opts.read.reading)?;
    let rules = rules::load(opts.rules.path.as_deref(), built_in, &opts.rules.overrides)?;
    if opts.format == Format::Csv && rules.chosen_for.is_some() {
        // The CSV has no header line to say it; a pipeline should know.
        let _ = writeln!(std::io::stderr(), "note: rules: {}", rules.provenance());
    }
    let mut protected = Protected::default();
    protect(
        &mut protected,
        &opts.inputs,
        &opts.rules,
        &opts.read,
        &rules,
    );
    if let (Some(output), Some(summary)) = (&opts.output, &opts.summary)
        && canonical(output) == canonical(summary)
    {
        return Err(Error::usage(
            "`--output` and `--summary` name the same file; give each its own",
        ));
    }
    let mut output = match &opts.output {
        Some(path) => Output::file(path, &protected)?,
        None => Output::stdout()?,
    };
    let mut summary = opts
        .summary
        .as_deref()
        .map(|p| Output::file(p, &protected))
        .transpose()?;
    // Every input is read twice: once for the sections, once to decide.
    let total = 2 * opts.inputs.iter().map(Input::size).sum::<u64>();
    let counter = Counter::default();
    let meter = Meter::start(&counter, total, opts.quiet);
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
    let notes = run.recognised.iter().flat_map(|r| &r.notes);
    warn(notes.chain(&run.set_aside.problems), &run.set_aside);
    let output_name = output.name();
    check_columns(&opts.columns, &rules)?;
    let section_names: Vec<String> = run
        .sections
        .list
        .iter()
        .map(|s| String::from_utf8_lossy(&s.name).into_owned())
        .collect();
    let placer = Placer {
        rules: &rules,
        run: &run,
        section_names: &section_names,
        progress: rules.monitors_progress(),
        // What was missing is worked out only where it is shown (with
        // `--columns` and no `caveat`, such students are only counted).
        wants_caveat: !(opts.format == Format::Csv
            && !opts.columns.is_empty()
            && !opts.columns.contains(&Column::Caveat)),
    };
    let sections = run.sections.list.len();
    let mut collector = Collector::new(sections, opts.format.groups_students());
    {
        let mut sink = render::sink(
            opts.format,
            &opts.columns,
            opts.style,
            &rules,
            output.writer(),
        );
        let wants_reason = sink.wants_reason();
        if opts.format == Format::Csv && run.chunk_count() > 1 {
            // Every part on its own thread, each into its own buffer but the
            // first, which writes straight out; then the buffers in order.
            let later: Vec<Result<(Vec<u8>, Collector)>> = std::thread::scope(|scope| {
                let (placer, columns) = (&placer, &opts.columns);
                // The later parts on a few threads (see `engine::bounded`).
                let threads = scope.spawn(move || {
                    crate::engine::bounded(placer.run.chunk_count() - 1, |i| {
                        let mut buffer = Vec::new();
                        let mut collector = Collector::new(sections, false);
                        {
                            let mut sink =
                                CsvSink::new(&mut buffer, columns, placer.rules).without_header();
                            placer.run.for_each_in(i + 1, |student| {
                                placer
                                    .place(student, &mut sink, &mut collector, wants_reason)
                                    .map_err(write_error("<memory>"))
                            })?;
                            sink.finish_rows().map_err(write_error("<memory>"))?;
                        }
                        Ok((buffer, collector))
                    })
                });
                let first = run.for_each_in(0, |student| {
                    placer
                        .place(student, &mut *sink, &mut collector, wants_reason)
                        .map_err(write_error(&output_name))
                });
                let mut results: Vec<Result<(Vec<u8>, Collector)>> =
                    vec![first.map(|()| (Vec::new(), Collector::new(0, false)))];
                let failed = || Err(Error::internal("a planning thread failed"));
                match threads.join() {
                    Ok(later) => {
                        results.extend(later.into_iter().map(|r| r.unwrap_or_else(failed)));
                    }
                    Err(_) => results.push(failed()),
                }
                results
            });
            let mut parts = later.into_iter();
            if let Some(first) = parts.next() {
                first?;
            }
            for part in parts {
                let (buffer, part_collector) = part?;
                sink.raw(&buffer).map_err(write_error(&output_name))?;
                collector.absorb(part_collector);
            }
        } else {
            run.for_each(|student| {
                placer
                    .place(student, &mut *sink, &mut collector, wants_reason)
                    .map_err(write_error(&output_name))
            })?;
        }
        let plans = collector.finish(&rules, &run.sections);
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
            set_aside: &run.set_aside,
        };
        sink.finish(&report).map_err(write_error(&output_name))?;
        if let Some(summary) = &mut summary {
            let summary_name = summary.name();
            render::csv::write_summary(summary.writer(), &report)
                .map_err(write_error(&summary_name))?;
        }
    }
    output.commit()?;
    if let Some(summary) = summary {
        summary.commit()?;
    }
    Ok(ExitCode::Success)
}

/// What reading left out or combined, and every problem set aside, as
/// warnings on standard error: the run went on.
pub(crate) fn warn<'a>(notes: impl Iterator<Item = &'a Diagnostic>, set_aside: &SetAside) {
    let mut stderr = Printable::new(std::io::stderr().lock());
    for note in notes {
        let warning = Diagnostic {
            severity: Severity::Warning,
            ..note.clone()
        };
        let _ = writeln!(stderr, "{warning}");
    }
    if !set_aside.is_empty() {
        let _ = writeln!(stderr, "{}", set_aside.summary());
    }
}

/// What every student's row needs, shared by the threads that place them.
struct Placer<'a> {
    rules: &'a Rules,
    run: &'a Run<'a>,
    section_names: &'a [String],
    progress: bool,
    wants_caveat: bool,
}

impl Placer<'_> {
    /// Hand one student to a renderer and count them.
    fn place(
        &self,
        student: &Student<'_>,
        sink: &mut dyn Sink,
        collector: &mut Collector,
        wants_reason: bool,
    ) -> std::io::Result<()> {
        let (rules, run) = (self.rules, self.run);
        let decision = &student.decision;
        let plan = &rules.plans[decision.plan];
        let next_probe = self
            .progress
            .then(|| crate::progress::next_probe(rules, &student.env, plan))
            .flatten();
        let fields = Fields {
            rules,
            env: &student.env,
        };
        let detail = self
            .progress
            .then(|| progress_detail(fields, next_probe.as_deref()));
        let name = String::from_utf8_lossy(student.name);
        let caveat = if self.wants_caveat {
            student.caveat(rules, &run.program)
        } else {
            student.has_caveat().then(String::new)
        };
        collector.add(student, &name, plan, detail, caveat.as_deref());
        let reason = wants_reason.then(|| run.program.reason(rules, decision, &student.env));
        let id = String::from_utf8_lossy(student.id);
        sink.student(&Placed {
            id: &id,
            name: &name,
            section: &self.section_names[student.section],
            plan,
            focus: decision.focus.map(|f| &*run.skills.names[f]),
            focus_score: decision.focus_score,
            reason: reason.as_deref(),
            caveat: caveat.as_deref(),
            next_probe,
            fields,
        })
    }
}

/// `--columns` names built-in columns or the rules' fields.
fn check_columns(columns: &[Column], rules: &Rules) -> Result<()> {
    for column in columns {
        if let Column::Field(name) = column
            && !rules.fields.iter().any(|f| &f.name == name)
        {
            let mut known: Vec<&str> = Column::ALL.iter().map(Column::name).collect();
            for field in &rules.fields {
                if !known.contains(&field.name.as_str()) {
                    known.push(&field.name);
                }
            }
            let hint = crate::diagnostic::did_you_mean(name, known.iter().copied())
                .map_or(String::new(), |h| format!("{h} "));
            return Err(Error::usage(format!(
                "unknown column `{name}`; {hint}the columns are {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// What the progress table shows of a student, read from their fields.
fn progress_detail(fields: Fields<'_>, next_probe: Option<&str>) -> ProgressDetail {
    let text = |name: &str| {
        fields
            .rules
            .field_text(fields.env, name)
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .unwrap_or_default()
    };
    ProgressDetail {
        tier: text("tier"),
        recent: crate::progress::recent(&text("recent")),
        aimline: text("aimline"),
        slope: text("slope"),
        goal_roi: text("goal_roi"),
        next_probe: next_probe.unwrap_or_default().to_owned(),
    }
}
