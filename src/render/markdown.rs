//! The plan as Markdown, to paste into a document or a team's notes: the
//! same content as the table.

use std::io::{self, Write};

use super::table::{PROGRESS_HEADER, group_label, member_list, progress_rows, tier1_note};
use super::{Placed, Report, Sink, caveat_heading, percent};
use crate::condition::format_number;
use crate::diagnostic::count;
use crate::plan::{SectionPlan, whole_class};

pub(crate) struct MarkdownSink<'w> {
    out: &'w mut dyn Write,
}

impl<'w> MarkdownSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        MarkdownSink { out }
    }
}

/// Text safe inside a Markdown table cell or list item, for every text that
/// comes from the user's files (names, ids, sections, labels, messages): a
/// name cannot become HTML (`<img onerror=...>`), a link or an image
/// (`[x](javascript:...)`), emphasis or a table column. `<`, `>` and `&` are
/// written as entities; `[` and `]` (links and images), `` ` `` (code), `*`
/// and `_` (emphasis), `|` (a column) and `\` are escaped with `\`. `(`, `)`
/// and `!` are inert once no bracket can open a link or an image, so they
/// stay as written (`Ana Lima (30)` reads as it is). A newline is a space
/// and other control characters (an escape sequence) are left out.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '[' | ']' | '`' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// tierplan's own sentences with values in backticks (a caveat, a message,
/// the rules line): each `` `value` `` stays a code span, in which Markdown
/// reads no HTML, link or emphasis, and the text around it is [`cell`]. Text
/// with an odd number of backticks (a value holding one) is all [`cell`].
fn prose(text: &str) -> String {
    if text.matches('`').count() % 2 == 1 {
        return cell(text);
    }
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                cell(part)
            } else {
                let code: String = part
                    .chars()
                    .filter_map(|c| match c {
                        '\n' | '\r' | '\t' => Some(' '),
                        c if c.is_control() => None,
                        c => Some(c),
                    })
                    .collect();
                // GitHub's tables end a cell at `|` even in a code span.
                format!("`{}`", code.replace('|', "\\|"))
            }
        })
        .collect()
}

impl MarkdownSink<'_> {
    /// The students decided on missing or unreadable data, a list item each.
    fn caveats(&mut self, plan: &SectionPlan) -> io::Result<()> {
        if let Some(heading) = caveat_heading(plan) {
            writeln!(self.out, "\n**{heading}**\n")?;
            for (name, caveat) in &plan.caveated {
                writeln!(self.out, "- {}: {}", cell(name), prose(caveat))?;
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
        writeln!(self.out, "\nRules: {}", prose(&report.rules.provenance()))?;
        if let Some(config) = &report.rules.config {
            writeln!(self.out, "\nConfig: {}", prose(&config.note()))?;
        }
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
                writeln!(self.out, "\n> {}", prose(&note))?;
            }
            self.caveats(plan)?;
        }
        if let Some(note) = super::several_sections(report.in_several_sections) {
            writeln!(self.out, "\n> {note}.")?;
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
                writeln!(self.out, "- {}{}", prose(&at), prose(&problem.message))?;
            }
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_inert_markdown() {
        assert_eq!(
            cell("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            cell("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(cell("A|B\nC \u{1b}[31mD\u{9b}"), "A\\|B C \\[31mD");
        assert_eq!(cell("Zoë Nguyễn"), "Zoë Nguyễn");
    }

    #[test]
    fn values_in_backticks_stay_code() {
        use super::prose;
        assert_eq!(
            prose("table `orf_cut` has no row for <grade> `a|b`"),
            "table `orf_cut` has no row for &lt;grade&gt; `a\\|b`"
        );
        assert_eq!(
            prose("`<img>` and ` [x]"),
            "\\`&lt;img&gt;\\` and \\` \\[x\\]"
        );
    }
}
