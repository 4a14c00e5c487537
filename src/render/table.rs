//! The plan for people at a terminal: per section, the skills retaught to the
//! whole section, the groups with their students, and the tiers beside the
//! guideline.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, presets};

use super::{Placed, Report, Sink, Style, caveat_heading, percent};
use crate::condition::format_number;
use crate::diagnostic::count;
use crate::plan::{Group, SectionPlan, whole_class};
use crate::printable::Printable;

/// Width of the table when the output is not a terminal.
const FILE_WIDTH: u16 = 100;

pub(crate) struct TableSink<'w> {
    /// Names and headers come from the user's file: no control characters.
    out: Printable<&'w mut dyn Write>,
    style: Style,
}

impl<'w> TableSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, style: Style) -> Self {
        TableSink {
            out: Printable::new(out),
            style,
        }
    }

    fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        if self.style.terminal && self.style.width.is_none() {
            // comfy-table reads the terminal's width and wraps to it.
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            // Not a terminal (a file, a pipe), or `--width`: wrap to the
            // width asked (`COLUMNS`), else one that reads well in an
            // editor or an email.
            table
                .force_no_tty()
                .set_width(self.style.width.unwrap_or(FILE_WIDTH))
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        if self.style.color {
            // Our decision (`--color`, `NO_COLOR`), not comfy-table's.
            table.enforce_styling();
        }
        table
    }
}

/// The cell of tier `tier` (1 to 3) in the tiers table: Tier 3 red and
/// bold, Tier 2 yellow, when colouring.
fn tier_cell(tier: usize, text: String, color: bool) -> Cell {
    let cell = Cell::new(text);
    match (color, tier) {
        (false, _) => cell,
        (true, 3) => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        (true, 2) => cell.fg(Color::Yellow),
        (true, _) => cell.fg(Color::Green),
    }
}

/// `Ana Lima (40); Ben Okafor (45)`: members with their focus scores
/// (`;` because exported names are often `Last, First`).
pub(crate) fn member_list(group: &Group) -> String {
    let names: Vec<String> = group
        .members
        .iter()
        .map(|m| match m.score {
            Some(score) if group.focus.is_some() => {
                format!("{} ({})", m.name, format_number(score))
            }
            _ => m.name.to_string(),
        })
        .collect();
    names.join("; ")
}

/// `Tier 2 intervention, group 1 of 2`.
pub(crate) fn group_label(report: &Report<'_>, group: &Group) -> String {
    let label = &report.rules.plans[group.plan].label;
    if group.of > 1 {
        format!("{label}, group {} of {}", group.number, group.of)
    } else {
        label.clone()
    }
}

/// The columns of a progress-monitoring section.
pub(crate) const PROGRESS_HEADER: [&str; 7] = [
    "Decision",
    "Student",
    "Tier",
    "Recent probes (last 4)",
    "Aimline there",
    "Slope / goal",
    "Next probe",
];

/// One row per student, grouped by decision (named on its first row).
pub(crate) fn progress_rows(report: &Report<'_>, groups: &[Group]) -> Vec<[String; 7]> {
    let mut rows = Vec::new();
    let mut last_plan = None;
    for group in groups {
        for member in &group.members {
            let decision = if last_plan == Some(group.plan) {
                String::new()
            } else {
                report.rules.plans[group.plan].label.clone()
            };
            last_plan = Some(group.plan);
            let p = member.progress.as_deref().cloned().unwrap_or_default();
            let aimline = crate::progress::last_values(&p.aimline);
            let rates = if p.slope.is_empty() && p.goal_roi.is_empty() {
                String::new()
            } else {
                format!("{} / {}", short(&p.slope), short(&p.goal_roi))
            };
            rows.push([
                decision,
                member.name.to_string(),
                p.tier,
                p.recent,
                aimline,
                rates,
                p.next_probe,
            ]);
        }
    }
    rows
}

/// A rate with two decimals at most.
fn short(text: &str) -> String {
    text.parse::<f64>().map_or_else(
        |_| text.to_owned(),
        |v| format_number((v * 100.0).round() / 100.0),
    )
}

/// The note under a section whose Tier 1 share is below the guideline.
pub(crate) fn tier1_note(report: &Report<'_>, name: &str, share: f64) -> Option<String> {
    let guideline = report.rules.guideline?;
    (share * 100.0 + 1e-9 < guideline.tiers[0]).then(|| {
        format!(
            "Only {} of section {name} is in Tier 1, below the {}% guideline: when core instruction \
             does not reach most students, strengthen it for the whole class before adding groups.",
            percent(share),
            format_number(guideline.tiers[0])
        )
    })
}

impl TableSink<'_> {
    /// The students decided on missing or unreadable data, one a line.
    fn caveats(&mut self, plan: &SectionPlan) -> io::Result<()> {
        if let Some(heading) = caveat_heading(plan) {
            writeln!(self.out, "\n{heading}:")?;
            for (name, caveat) in &plan.caveated {
                writeln!(self.out, "  {name}: {caveat}")?;
            }
        }
        Ok(())
    }
}

impl Sink for TableSink<'_> {
    fn wants_reason(&self) -> bool {
        false
    }

    fn student(&mut self, _: &Placed<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        writeln!(self.out, "Rules: {}", report.rules.provenance())?;
        if let Some(config) = &report.rules.config {
            writeln!(self.out, "Config: {}", config.note())?;
        }
        writeln!(self.out)?;
        for (i, plan) in report.plans.iter().enumerate() {
            let section = &report.sections.list[plan.section];
            let name = section.display_name();
            if i > 0 {
                writeln!(self.out)?;
            }
            writeln!(
                self.out,
                "Section {name} · {}",
                count(section.students as usize, "student")
            )?;
            if report.rules.monitors_progress() {
                let mut table = self.table();
                if !self.style.terminal {
                    // One line a student: the row is read across.
                    table.set_content_arrangement(ContentArrangement::Disabled);
                }
                table.set_header(PROGRESS_HEADER);
                for row in progress_rows(report, &plan.groups) {
                    table.add_row(row);
                }
                writeln!(self.out, "\n{table}")?;
                self.caveats(plan)?;
                continue;
            }
            let whole = whole_class(report.sections, plan.section, report.skills);
            if !whole.is_empty() {
                let label = report
                    .rules
                    .whole_class
                    .as_ref()
                    .map_or("Reteach to the whole class", |w| {
                        &report.rules.plans[w.plan].label
                    });
                writeln!(self.out, "\n{label}:")?;
                for (skill, stat) in whole {
                    writeln!(
                        self.out,
                        "  {skill}: {} of {} below mastery ({})",
                        stat.below,
                        stat.assessed,
                        percent(stat.share_below().unwrap_or(0.0))
                    )?;
                }
            }
            let mut groups = self.table();
            groups.set_header(["Group", "Focus", "Monitor", "Students", "Names"]);
            for group in &plan.groups {
                let p = &report.rules.plans[group.plan];
                groups.add_row([
                    group_label(report, group),
                    group
                        .focus
                        .map_or(String::new(), |f| report.skills[f].to_string()),
                    p.monitor.as_ref().map_or(String::new(), |m| m.text.clone()),
                    group.members.len().to_string(),
                    member_list(group),
                ]);
            }
            if let Some(column) = groups.column_mut(3) {
                column.set_cell_alignment(CellAlignment::Right);
            }
            writeln!(self.out, "\n{groups}")?;
            let mut tiers = self.table();
            let guideline = report.rules.guideline;
            tiers.set_header(["Tier", "Students", "Share", "Guideline"]);
            let color = self.style.color;
            for tier in 1..=3 {
                tiers.add_row([
                    tier_cell(tier, format!("Tier {tier}"), color),
                    tier_cell(tier, plan.tiers.counts[tier - 1].to_string(), color),
                    tier_cell(tier, percent(plan.tiers.share(tier)), color),
                    Cell::new(guideline.map_or(String::new(), |g| {
                        let value = format_number(g.tiers[tier - 1]);
                        if tier == 1 {
                            format!("about {value}%")
                        } else {
                            format!("at most {value}%")
                        }
                    })),
                ]);
            }
            if plan.tiers.no_tier > 0 {
                tiers.add_row([
                    "No tier (no data)".to_owned(),
                    plan.tiers.no_tier.to_string(),
                    String::new(),
                    String::new(),
                ]);
            }
            for column in 1..=2 {
                if let Some(c) = tiers.column_mut(column) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            if color {
                // Only tierplan's own words and numbers are in this table,
                // so its colour codes pass unfiltered (issue 13).
                writeln!(self.out.unfiltered(), "{tiers}")?;
            } else {
                writeln!(self.out, "{tiers}")?;
            }
            if let Some(note) = tier1_note(report, &name, plan.tiers.share(1)) {
                writeln!(self.out, "Note: {note}")?;
            }
            self.caveats(plan)?;
        }
        if let Some(note) = super::several_sections(report.in_several_sections) {
            writeln!(self.out, "\nNote: {note}.")?;
        }
        if !report.set_aside.is_empty() {
            writeln!(
                self.out,
                "\n{} The problems are listed on standard error.",
                report.set_aside.summary()
            )?;
        }
        self.out.flush()
    }
}
