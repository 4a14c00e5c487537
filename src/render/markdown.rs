//! The plan as Markdown, to paste into a document or a team's notes: the
//! same content as the table.

use std::io::{self, Write};

use super::table::{PROGRESS_HEADER, group_label, member_list, progress_rows, tier1_note};
use super::{Placed, Report, Sink, caveat_heading, percent};
use crate::condition::format_number;
use crate::diagnostic::count;
use crate::plan::{SectionPlan, whole_class};

pub struct MarkdownSink<'w> {
    out: &'w mut dyn Write,
}

impl<'w> MarkdownSink<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        MarkdownSink { out }
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

impl MarkdownSink<'_> {
    /// The students decided on missing or unreadable data, a list item each.
    fn caveats(&mut self, plan: &SectionPlan) -> io::Result<()> {
        if let Some(heading) = caveat_heading(plan) {
            writeln!(self.out, "\n**{heading}**\n")?;
            for (name, caveat) in &plan.caveated {
                writeln!(self.out, "- {}: {}", cell(name), cell(caveat))?;
            }
        }
        Ok(())
    }
}

impl Sink for MarkdownSink<'_> {
    fn wants_reason(&self) -> bool {
        false
    }

    fn student(&mut self, _: &Placed<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        writeln!(self.out, "# Plan: {}", cell(&report.rules.name))?;
        writeln!(self.out, "\nRules: {}", cell(&report.rules.provenance()))?;
        for plan in report.plans {
            let section = &report.sections.list[plan.section];
            let name = section.display_name();
            writeln!(
                self.out,
                "\n## Section {} ({})",
                cell(&name),
                count(section.students as usize, "student")
            )?;
            if report.rules.monitors_progress() {
                writeln!(self.out, "\n| {} |", PROGRESS_HEADER.join(" | "))?;
                writeln!(self.out, "|{}", " --- |".repeat(PROGRESS_HEADER.len()))?;
                for row in progress_rows(report, &plan.groups) {
                    let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                    writeln!(self.out, "| {} |", cells.join(" | "))?;
                }
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
                writeln!(self.out, "\n**{}**\n", cell(label))?;
                for (skill, stat) in whole {
                    writeln!(
                        self.out,
                        "- {}: {} of {} below mastery ({})",
                        cell(skill),
                        stat.below,
                        stat.assessed,
                        percent(stat.share_below().unwrap_or(0.0))
                    )?;
                }
            }
            writeln!(self.out, "\n| Group | Focus | Monitor | Students | Names |")?;
            writeln!(self.out, "| --- | --- | --- | ---: | --- |")?;
            for group in &plan.groups {
                let p = &report.rules.plans[group.plan];
                writeln!(
                    self.out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&group_label(report, group)),
                    group
                        .focus
                        .map_or(String::new(), |f| cell(&report.skills[f])),
                    p.monitor.as_ref().map_or(String::new(), |m| cell(&m.text)),
                    group.members.len(),
                    cell(&member_list(group))
                )?;
            }
            writeln!(self.out, "\n| Tier | Students | Share | Guideline |")?;
            writeln!(self.out, "| --- | ---: | ---: | --- |")?;
            for tier in 1..=3 {
                let guideline = report.rules.guideline.map_or(String::new(), |g| {
                    let value = format_number(g.tiers[tier - 1]);
                    if tier == 1 {
                        format!("about {value}%")
                    } else {
                        format!("at most {value}%")
                    }
                });
                writeln!(
                    self.out,
                    "| Tier {tier} | {} | {} | {guideline} |",
                    plan.tiers.counts[tier - 1],
                    percent(plan.tiers.share(tier))
                )?;
            }
            if plan.tiers.no_tier > 0 {
                writeln!(
                    self.out,
                    "| No tier (no data) | {} | | |",
                    plan.tiers.no_tier
                )?;
            }
            if let Some(note) = tier1_note(report, &name, plan.tiers.share(1)) {
                writeln!(self.out, "\n> {}", cell(&note))?;
            }
            self.caveats(plan)?;
        }
        if !report.set_aside.is_empty() {
            writeln!(
                self.out,
                "\n## Set aside\n\n{}\n",
                report.set_aside.summary()
            )?;
            for problem in &report.set_aside.problems {
                let at = problem
                    .location
                    .as_ref()
                    .map_or(String::new(), |l| format!("{l}: "));
                writeln!(self.out, "- {}{}", cell(&at), cell(&problem.message))?;
            }
        }
        self.out.flush()
    }
}
