//! The plan as one JSON document, students streamed in input order.
//!
//! Shape (README, "Output formats"):
//! `{"tierplan": VERSION, "rules": {...}, "students": [...], "sections": [...],
//! "students_total": N}`, one student or section per line.
//! The wire structs here are serialization-only; their field names are the
//! contract.

use std::io::{self, Write};

use serde::Serialize;

use super::{Placed, Report, Sink};
use crate::rules::Rules;

#[derive(Serialize)]
struct RulesInfo<'a> {
    name: &'a str,
    source: &'a str,
    /// The export whose profile chose shipped rules, when `--rules` did not.
    chosen_for: Option<&'a str>,
    /// What a defaults file decided (`tierplan config`), when one did.
    config: Option<ConfigInfo<'a>>,
}

#[derive(Serialize)]
struct ConfigInfo<'a> {
    file: &'a str,
    applied: &'a [String],
}

#[derive(Serialize)]
struct StudentOut<'a> {
    student_id: &'a str,
    name: &'a str,
    section: &'a str,
    plan: &'a str,
    label: &'a str,
    kind: &'a str,
    tier: Option<u8>,
    focus: Option<&'a str>,
    focus_score: Option<f64>,
    monitor: Option<&'a str>,
    reason: &'a str,
    /// What the decision did without (missing or unreadable data).
    caveat: Option<&'a str>,
    /// Progress monitoring: the quantities the decision read.
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The progress quantities of a student, numbers as numbers, the recent
/// probes and the aimline as arrays, every probe and phase as an object.
fn progress(s: &Placed<'_>) -> serde_json::Map<String, serde_json::Value> {
    use crate::date::format_day;
    use serde_json::Value;
    let mut map = serde_json::Map::new();
    for name in crate::ingest::reshape::probes::COLUMNS
        .iter()
        .copied()
        .chain(["tier", "measure"])
    {
        let Some(text) = s.field(name) else {
            map.insert(name.to_owned(), Value::Null);
            continue;
        };
        let value = match name {
            "recent" | "aimline" => Value::Array(
                text.split_whitespace()
                    .filter_map(|v| v.parse::<f64>().ok())
                    .map(Value::from)
                    .collect(),
            ),
            "probes" => crate::progress::parse_probes(text)
                .iter()
                .map(|p| serde_json::json!({"date": format_day(p.day), "score": p.score}))
                .collect(),
            "phases" => crate::progress::parse_phases(text)
                .into_iter()
                .map(|(day, phase)| serde_json::json!({"date": format_day(day), "phase": phase}))
                .collect(),
            "goal_date" | "first_probe" | "last_probe" | "measure" | "tier" => Value::from(text),
            _ => text
                .parse::<f64>()
                .map_or_else(|_| Value::from(text), Value::from),
        };
        map.insert(name.to_owned(), value);
    }
    map.insert(
        "next_probe".to_owned(),
        s.next_probe.as_deref().map_or(Value::Null, Value::from),
    );
    map
}

#[derive(Serialize)]
struct SectionOut<'a> {
    section: &'a str,
    students: u32,
    tiers: TiersOut,
    whole_class: Vec<&'a str>,
    skills: Vec<SkillOut<'a>>,
    /// Students decided on missing or unreadable data (their `caveat`).
    decided_on_missing: u32,
}

#[derive(Serialize)]
struct TiersOut {
    tier1: u32,
    tier2: u32,
    tier3: u32,
    no_tier: u32,
}

#[derive(Serialize)]
struct SkillOut<'a> {
    skill: &'a str,
    assessed: u32,
    below: u32,
    share_below: f64,
    mean: f64,
    whole_class: bool,
}

#[derive(Serialize)]
struct SetAsideOut<'a> {
    rows: u64,
    cells: u64,
    replaced: u64,
    problems: Vec<ProblemOut<'a>>,
}

#[derive(Serialize)]
struct ProblemOut<'a> {
    code: &'a str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u64>,
    column: Option<&'a str>,
    /// In a sheet of a workbook: the sheet, and the cell (`C5`); `line` is
    /// then the sheet's row.
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
}

pub(crate) struct JsonSink<'w> {
    out: &'w mut dyn Write,
    rules: &'w Rules,
    started: bool,
    first: bool,
}

impl<'w> JsonSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, rules: &'w Rules) -> Self {
        JsonSink {
            out,
            rules,
            started: false,
            first: true,
        }
    }

    /// `{"tierplan": ..., "rules": {...}, "students": [`
    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        self.out.write_all(b"{\"tierplan\": ")?;
        serde_json::to_writer(&mut *self.out, env!("CARGO_PKG_VERSION"))?;
        self.out.write_all(b",\n\"rules\": ")?;
        let info = RulesInfo {
            name: &self.rules.name,
            source: &self.rules.source.name,
            chosen_for: self.rules.chosen_for.as_deref(),
            config: self.rules.config.as_ref().map(|c| ConfigInfo {
                file: &c.file,
                applied: &c.applied,
            }),
        };
        serde_json::to_writer(&mut *self.out, &info)?;
        self.out.write_all(b",\n\"students\": [\n")
    }
}

fn round(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

impl Sink for JsonSink<'_> {
    fn wants_reason(&self) -> bool {
        true
    }

    fn student(&mut self, s: &Placed<'_>) -> io::Result<()> {
        self.start()?;
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        let wire = StudentOut {
            student_id: s.id,
            name: s.name,
            section: s.section,
            plan: &s.plan.id,
            label: &s.plan.label,
            kind: s.plan.kind.as_str(),
            tier: s.plan.tier,
            focus: s.focus,
            focus_score: s.focus_score.map(round),
            monitor: s.plan.monitor.as_ref().map(|m| m.text.as_str()),
            reason: s.reason.unwrap_or(""),
            caveat: s.caveat,
            progress: self.rules.monitors_progress().then(|| progress(s)),
        };
        serde_json::to_writer(&mut *self.out, &wire)?;
        Ok(())
    }

    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        self.start()?;
        self.out.write_all(b"\n],\n\"sections\": [\n")?;
        for (i, plan) in report.plans.iter().enumerate() {
            let section = &report.sections.list[plan.section];
            let name = String::from_utf8_lossy(&section.name);
            let skills: Vec<SkillOut<'_>> = section
                .stats
                .iter()
                .zip(report.skills)
                .filter_map(|(stat, skill)| {
                    Some(SkillOut {
                        skill,
                        assessed: stat.assessed,
                        below: stat.below,
                        share_below: round(stat.share_below()?),
                        mean: round(stat.mean()?),
                        whole_class: stat.whole_class,
                    })
                })
                .collect();
            let wire = SectionOut {
                section: &name,
                students: section.students,
                tiers: TiersOut {
                    tier1: plan.tiers.counts[0],
                    tier2: plan.tiers.counts[1],
                    tier3: plan.tiers.counts[2],
                    no_tier: plan.tiers.no_tier,
                },
                decided_on_missing: plan.caveats,
                whole_class: skills
                    .iter()
                    .filter(|s| s.whole_class)
                    .map(|s| s.skill)
                    .collect(),
                skills,
            };
            if i > 0 {
                self.out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *self.out, &wire)?;
        }
        self.out.write_all(b"\n],\n\"set_aside\": ")?;
        let set_aside = SetAsideOut {
            rows: report.set_aside.rows,
            cells: report.set_aside.cells,
            replaced: report.set_aside.replaced,
            problems: report
                .set_aside
                .problems
                .iter()
                .map(|d| {
                    let at = d.location.as_deref();
                    let place = at.and_then(crate::diagnostic::Location::sheet_place);
                    ProblemOut {
                        code: d.code.as_str(),
                        message: &d.message,
                        file: at.map(|l| l.file.as_str()),
                        line: place.as_ref().map_or(at.and_then(|l| l.line), |p| p.row),
                        column: at.and_then(|l| l.column_name.as_deref()),
                        sheet: place.as_ref().map(|p| p.sheet.clone()),
                        cell: place.and_then(|p| p.cell()),
                    }
                })
                .collect(),
        };
        serde_json::to_writer(&mut *self.out, &set_aside)?;
        writeln!(
            self.out,
            ",\n\"in_several_sections\": {},\n\"students_total\": {}}}",
            report.in_several_sections, report.students
        )?;
        self.out.flush()
    }
}
