//! Every decided student into a renderer: the row a [`Sink`] writes
//! ([`Placed`]) and the count the [`Collector`] keeps, in input order. CSV
//! of an input cut into chunks is written on the engine's threads
//! ([`Run::fan_out`]), each chunk into its own buffer, the buffers then
//! written in order. It decides nothing and prints nothing.

use crate::engine::{Run, Student};
use crate::error::{Result, write_error};
use crate::plan::{Collector, ProgressDetail, SectionPlan};
use crate::render::csv::CsvSink;
use crate::render::{Column, Fields, Format, Formulas, Placed, Sink};
use crate::rules::Rules;

/// What every student's row needs, shared by the threads that place them.
pub(crate) struct Placer<'a> {
    rules: &'a Rules,
    run: &'a Run<'a>,
    format: Format,
    columns: &'a [Column],
    formulas: Formulas,
    section_names: Vec<String>,
    progress: bool,
    wants_caveat: bool,
}

impl<'a> Placer<'a> {
    /// The students of `run` in `format`, with `columns` and `formulas`
    /// for CSV.
    pub(crate) fn new(
        rules: &'a Rules,
        run: &'a Run<'a>,
        format: Format,
        columns: &'a [Column],
        formulas: Formulas,
    ) -> Self {
        let section_names: Vec<String> = run
            .sections
            .list
            .iter()
            .map(|s| String::from_utf8_lossy(&s.name).into_owned())
            .collect();
        Placer {
            rules,
            run,
            format,
            columns,
            formulas,
            section_names,
            progress: rules.monitors_progress(),
            // What was missing is worked out only where it is shown (with
            // `--columns` and no `caveat`, such students are only counted).
            wants_caveat: !(format == Format::Csv
                && !columns.is_empty()
                && !columns.contains(&Column::Caveat)),
        }
    }

    /// Every student into `sink` (written as `name`) and a collector; the
    /// plan of every section.
    pub(crate) fn place_all(&self, sink: &mut dyn Sink, name: &str) -> Result<Vec<SectionPlan>> {
        let run = self.run;
        let sections = run.sections.list.len();
        let mut collector = Collector::new(sections, self.format.groups_students());
        let wants_reason = sink.wants_reason();
        if sink.takes_parts() && run.chunk_count() > 1 {
            // Every chunk on its own thread, each into its own buffer but the
            // first, which writes straight out; then the buffers in order.
            let later = run.fan_out(
                |student| {
                    self.place(student, &mut *sink, &mut collector, wants_reason)
                        .map_err(write_error(name))
                },
                |chunk| {
                    let mut buffer = Vec::new();
                    let mut collector = Collector::new(sections, false);
                    {
                        let mut sink = CsvSink::new(&mut buffer, self.columns, self.rules)
                            .formulas(self.formulas)
                            .without_header();
                        run.for_each_in(chunk, |student| {
                            self.place(student, &mut sink, &mut collector, wants_reason)
                                .map_err(write_error("<memory>"))
                        })?;
                        sink.finish_rows().map_err(write_error("<memory>"))?;
                    }
                    Ok((buffer, collector))
                },
            )?;
            for chunk in later {
                let (buffer, theirs) = chunk?;
                sink.raw(&buffer).map_err(write_error(name))?;
                collector.absorb(theirs);
            }
        } else {
            run.for_each(|student| {
                self.place(student, &mut *sink, &mut collector, wants_reason)
                    .map_err(write_error(name))
            })?;
        }
        Ok(collector.finish(self.rules, &run.sections))
    }

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
        let reason = wants_reason.then(|| run.program.reason(rules, decision, &student.env));
        let detail = self
            .progress
            .then(|| progress_detail(fields, next_probe.as_deref(), reason.as_deref()));
        let name = String::from_utf8_lossy(student.name);
        let caveat = if self.wants_caveat {
            student.caveat(rules, &run.program)
        } else {
            student.has_caveat().then(String::new)
        };
        collector.add(student, &name, plan, detail, caveat.as_deref());
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
/// What the progress table shows of a student, read from their fields.
fn progress_detail(
    fields: Fields<'_>,
    next_probe: Option<&str>,
    reason: Option<&str>,
) -> ProgressDetail {
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
        probes: text("probes"),
        phases: text("phases"),
        baseline: text("baseline"),
        goal: text("goal"),
        goal_date: text("goal_date"),
        run_above: text("run_above"),
        run_below: text("run_below"),
        reason: reason.unwrap_or_default().to_owned(),
    }
}
