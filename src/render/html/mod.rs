//! The plan as a report to take to a data meeting: one self-contained HTML
//! file (inline style and SVG, no script, nothing fetched) with a summary
//! across sections, then per section the tiers beside the guideline and the
//! share below mastery per skill as charts, the skills retaught to the
//! whole class and the groups as cards to hand out; for progress data, a
//! graph per student. It prints one section a page (Letter or A4).
//!
//! The markup is written with maud, which escapes every value it splices
//! in: a name from the data, a skill from the header or a label from the
//! rules is always text. The only markup not escaped is the stylesheet,
//! compiled in.

mod chart;
mod graph;

use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use self::chart::Bar;
use super::table::{PROGRESS_HEADER, group_label, progress_rows, tier1_note};
use super::{Placed, Report, Sink, caveat_heading, percent, several_sections, thousands};
use crate::condition::format_number;
use crate::diagnostic::count;
use crate::plan::{Group, Member, SectionPlan, Tiers};
use crate::progress::{Goal, parse_phases, parse_probes};
use crate::rules::{PlanKind, Rules};

const STYLE: &str = include_str!("report.css");

/// The start of a page, to `<body>`: in `lang` (a validated tag), with its
/// `title` and its inline `style`, and a policy that lets nothing load,
/// not a font, an image or a script.
pub(crate) fn open_page(
    out: &mut dyn Write,
    lang: &str,
    title: &str,
    style: &str,
) -> io::Result<()> {
    let head = html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta http-equiv="Content-Security-Policy"
                content="default-src 'none'; style-src 'unsafe-inline'";
            meta name="generator" content={"tierplan " (env!("CARGO_PKG_VERSION"))};
            title { (title) }
            style { (PreEscaped(style)) }
        }
    };
    write!(
        out,
        "{}\n<html lang=\"{lang}\">{}<body>",
        DOCTYPE.into_string(),
        head.into_string()
    )
}

/// A group card with more students than this spans the page.
const WIDE_CARD: usize = 24;

pub(crate) struct HtmlSink<'w> {
    out: &'w mut dyn Write,
    /// Progress rules: the graphs show each decision's reason.
    progress: bool,
}

impl<'w> HtmlSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, rules: &Rules) -> Self {
        HtmlSink {
            out,
            progress: rules.monitors_progress(),
        }
    }
}

impl Sink for HtmlSink<'_> {
    fn wants_reason(&self) -> bool {
        self.progress
    }

    fn student(&mut self, _: &Placed<'_>) -> io::Result<()> {
        Ok(())
    }

    /// The head and summary, then each section, written as it is made: a
    /// district's report is never one string in memory.
    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        let title = format!("Plan: {}", report.rules.name);
        open_page(self.out, "en", &title, STYLE)?;
        self.out
            .write_all(summary(report, &title).into_string().as_bytes())?;
        for (i, plan) in report.plans.iter().enumerate() {
            let markup = if report.rules.monitors_progress() {
                progress_section(report, plan, i)
            } else {
                section(report, plan, i)
            };
            self.out.write_all(markup.into_string().as_bytes())?;
        }
        self.out.write_all(b"</body></html>\n")?;
        self.out.flush()
    }
}

/// A number for SVG: at most one decimal, no `-0`.
pub(super) fn px(v: f64) -> String {
    let v = (v * 10.0).round() / 10.0;
    format_number(if v == 0.0 { 0.0 } else { v })
}

/// tierplan's sentences with values in backticks (a caveat, a problem,
/// the rules line): each `` `value` `` becomes code, all of it escaped.
fn prose(text: &str) -> Markup {
    if text.matches('`').count() % 2 == 1 {
        return html! { (text) };
    }
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// The anchor of section number `i`.
fn anchor(i: usize) -> String {
    format!("s-{}", i + 1)
}

/// The summary across sections, with the rules it used.
fn summary(report: &Report<'_>, title: &str) -> Markup {
    let rules = report.rules;
    let mut all = Tiers::default();
    for plan in report.plans {
        for (total, n) in all.counts.iter_mut().zip(plan.tiers.counts) {
            *total += n;
        }
        all.no_tier += plan.tiers.no_tier;
    }
    let caveats: u32 = report.plans.iter().map(|p| p.caveats).sum();
    let progress = rules.monitors_progress();
    html! {
        header {
            h1 { (title) }
            p.meta { "Rules: " (prose(&rules.provenance())) }
            @if let Some(config) = &rules.config {
                p.meta { "Config: " (prose(&config.note())) }
            }
        }
        section.summary id="summary" {
            h2 { "Summary" }
            p {
                (count(usize::try_from(report.students).unwrap_or(usize::MAX), "student"))
                " in " (count(report.plans.len(), "section")) "."
                @if caveats > 0 {
                    " " strong { (thousands(u64::from(caveats))) " decided without some of their data" }
                    ": each section lists them; check before acting."
                }
            }
            @if let Some(note) = several_sections(report.in_several_sections) {
                p.note { (note) "." }
            }
            @if !progress {
                figure {
                    (tier_chart(report, &all, "all"))
                    figcaption { "Students per tier across all sections, beside the guideline (the black mark)." }
                }
            }
            table {
                thead { tr {
                    th { "Section" } th.n { "Students" }
                    @if progress {
                        @for label in decision_labels(report) { th.n { (label) } }
                    } @else {
                        th.n { "Tier 1" } th.n { "Tier 2" } th.n { "Tier 3" } th.n { "No tier" }
                        th.n { "Whole-class skills" }
                    }
                    th.n { "Check first" }
                } }
                tbody {
                    @for (i, plan) in report.plans.iter().enumerate() {
                        @let section = &report.sections.list[plan.section];
                        tr {
                            td { a href={"#" (anchor(i))} { (section.display_name()) } }
                            td.n { (section.students) }
                            @if progress {
                                @for kind in decision_plans(report) {
                                    td.n { (plan.groups.iter().filter(|g| g.plan == kind).map(|g| g.members.len()).sum::<usize>()) }
                                }
                            } @else {
                                @for n in plan.tiers.counts { td.n { (n) } }
                                td.n { (plan.tiers.no_tier) }
                                td.n { (section.stats.iter().filter(|s| s.whole_class).count()) }
                            }
                            td.n { (plan.caveats) }
                        }
                    }
                }
            }
            @if !report.set_aside.is_empty() {
                h3 { "Set aside" }
                p.note.warn { (report.set_aside.summary()) }
                ul {
                    @for problem in &report.set_aside.problems {
                        li {
                            @if let Some(at) = &problem.location { (prose(&at.to_string())) ": " }
                            (prose(&problem.message))
                        }
                    }
                }
            }
        }
    }
}

/// The plans progress decisions use, in the rules' order.
fn decision_plans(report: &Report<'_>) -> Vec<usize> {
    (0..report.rules.plans.len())
        .filter(|&p| {
            report
                .plans
                .iter()
                .any(|s| s.groups.iter().any(|g| g.plan == p))
        })
        .collect()
}

fn decision_labels<'a>(report: &Report<'a>) -> Vec<&'a str> {
    decision_plans(report)
        .into_iter()
        .map(|p| report.rules.plans[p].label.as_str())
        .collect()
}

/// The tiers as bars, each with the guideline's share marked.
fn tier_chart(report: &Report<'_>, tiers: &Tiers, id: &str) -> Markup {
    let placed = f64::from(tiers.placed().max(1));
    let guideline = report.rules.guideline;
    let labels = ["Tier 1", "Tier 2", "Tier 3"];
    let mut bars: Vec<Bar<'_>> = (0..3)
        .map(|t| Bar {
            label: labels[t],
            share: tiers.share(t + 1),
            value: format!("{} · {}", tiers.counts[t], percent(tiers.share(t + 1))),
            class: ["t1", "t2", "t3"][t],
            mark: guideline.map(|g| {
                let value = g.tiers[t];
                (
                    value / 100.0,
                    format!("guideline {}%", format_number(value)),
                )
            }),
        })
        .collect();
    if tiers.no_tier > 0 {
        bars.push(Bar {
            label: "No tier (no data)",
            share: f64::from(tiers.no_tier) / (placed + f64::from(tiers.no_tier)),
            value: tiers.no_tier.to_string(),
            class: "none",
            mark: None,
        });
    }
    chart::bars(&format!("tiers-{id}"), "Students per tier", &bars)
}

/// The tiers as a table: the chart's numbers, and the guideline.
fn tier_table(report: &Report<'_>, tiers: &Tiers) -> Markup {
    html! {
        table {
            thead { tr { th { "Tier" } th.n { "Students" } th.n { "Share" } th { "Guideline" } } }
            tbody {
                @for t in 1..=3 {
                    tr {
                        td { "Tier " (t) }
                        td.n { (tiers.counts[t - 1]) }
                        td.n { (percent(tiers.share(t))) }
                        td {
                            @if let Some(g) = report.rules.guideline {
                                (if t == 1 { "about " } else { "at most " })
                                (format_number(g.tiers[t - 1])) "%"
                            }
                        }
                    }
                }
                @if tiers.no_tier > 0 {
                    tr { td { "No tier (no data)" } td.n { (tiers.no_tier) } td {} td {} }
                }
            }
        }
    }
}

/// A section's heading, with the way back to the summary.
fn heading(report: &Report<'_>, plan: &SectionPlan, i: usize) -> Markup {
    let section = &report.sections.list[plan.section];
    html! {
        h2 id={(anchor(i)) "-h"} {
            "Section " (section.display_name())
            " " small.muted { "· " (count(section.students as usize, "student")) }
        }
        p.back { a href="#summary" { "Back to the summary" } }
    }
}

/// One section of a plan after a quiz or a screening.
fn section(report: &Report<'_>, plan: &SectionPlan, i: usize) -> Markup {
    let section = &report.sections.list[plan.section];
    let name = section.display_name();
    let stats: Vec<_> = section
        .stats
        .iter()
        .zip(report.skills)
        .filter(|(s, _)| s.assessed > 0)
        .collect();
    let whole_label = report
        .rules
        .whole_class
        .as_ref()
        .map_or("Reteach to the whole class", |w| {
            &report.rules.plans[w.plan].label
        });
    let skill_bars: Vec<Bar<'_>> = stats
        .iter()
        .map(|(s, skill)| Bar {
            label: skill,
            share: s.share_below().unwrap_or(0.0),
            value: format!(
                "{} of {} · {}{}",
                s.below,
                s.assessed,
                percent(s.share_below().unwrap_or(0.0)),
                if s.whole_class { " · whole class" } else { "" }
            ),
            class: if s.whole_class { "whole" } else { "below" },
            mark: None,
        })
        .collect();
    html! {
        section.section id=(anchor(i)) aria-labelledby={(anchor(i)) "-h"} {
            (heading(report, plan, i))
            @let whole: Vec<_> = stats.iter().filter(|(s, _)| s.whole_class).collect();
            @if !whole.is_empty() {
                div.note {
                    strong { (whole_label) ": " }
                    @for (k, (s, skill)) in whole.iter().enumerate() {
                        @if k > 0 { "; " }
                        (skill) " (" (s.below) " of " (s.assessed) " below mastery)"
                    }
                }
            }
            @if let Some(note) = tier1_note(report, &name, plan.tiers.share(1)) {
                p.note { (prose(&note)) }
            }
            div.charts {
                figure {
                    (tier_chart(report, &plan.tiers, &(i + 1).to_string()))
                    figcaption { "Students per tier; the black mark is the guideline." }
                    (tier_table(report, &plan.tiers))
                }
                @if !skill_bars.is_empty() {
                    figure {
                        (chart::bars(&format!("skills-{}", i + 1), "Share below mastery per skill", &skill_bars))
                        figcaption { "Share of the students assessed who are below mastery, per skill; dark bars are retaught to the whole class." }
                    }
                }
            }
            h3 { "Groups" }
            div.cards {
                @for group in &plan.groups { (card(report, group, &name)) }
            }
            (caveats(plan))
        }
    }
}

/// A group as a card to cut out and hand to whoever teaches it.
fn card(report: &Report<'_>, group: &Group, section: &str) -> Markup {
    let plan = &report.rules.plans[group.plan];
    let mut class = match (plan.kind, plan.tier) {
        (PlanKind::NoData, _) => "card no-data",
        (_, Some(3)) => "card tier3",
        (_, Some(2)) => "card tier2",
        _ => "card",
    }
    .to_owned();
    if group.members.len() > WIDE_CARD {
        // Core instruction for 600 students: the width of the page, the
        // names in columns, and free to run over pages.
        class.push_str(" wide");
    }
    let focus = group.focus.map(|f| &*report.skills[f]);
    html! {
        div class=(class) {
            h4 { (group_label(report, group)) }
            p.muted {
                "Section " (section)
                @if let Some(tier) = plan.tier { " · Tier " (tier) }
                " · " (count(group.members.len(), "student"))
                @if let Some(size) = plan.group_size { " (groups of up to " (size) ")" }
            }
            @if let Some(focus) = focus { p { strong { "Focus: " } (focus) } }
            @if let Some(monitor) = &plan.monitor { p { strong { "Check progress: " } (monitor.text) } }
            @if !plan.description.is_empty() { p { (plan.description) } }
            ol {
                @for m in &group.members {
                    li data-id=(m.id) {
                        (m.name)
                        @if let (Some(score), Some(_)) = (m.score, focus) {
                            " " span.score { (format_number(score)) }
                        }
                    }
                }
            }
        }
    }
}

/// The students decided on missing or unreadable data.
fn caveats(plan: &SectionPlan) -> Markup {
    html! {
        @if let Some(heading) = caveat_heading(plan) {
            div.note.warn {
                strong { (heading) }
                ul {
                    @for (name, caveat) in &plan.caveated {
                        li { (name) ": " (prose(caveat)) }
                    }
                }
            }
        }
    }
}

/// One section of progress monitoring: the decisions as a table, then a
/// graph for every student.
fn progress_section(report: &Report<'_>, plan: &SectionPlan, i: usize) -> Markup {
    let mut n = 0;
    html! {
        section.section id=(anchor(i)) aria-labelledby={(anchor(i)) "-h"} {
            (heading(report, plan, i))
            table {
                thead { tr { @for h in PROGRESS_HEADER { th { (h) } } } }
                tbody {
                    @for row in progress_rows(report, &plan.groups) {
                        tr { @for cell in &row { td { (cell) } } }
                    }
                }
            }
            (caveats(plan))
            h3 { "Graphs" }
            p.legend.muted {
                span { "● probe" }
                span { "□ baseline" }
                span { span.swatch style="background: var(--t1)" {} "aimline to the goal (dashed) ◆ goal" }
                span { span.swatch style="background: var(--below)" {} "trend (least squares)" }
                span { "◯ the run of probes that decided" }
                span { "┆ the intervention changed" }
            }
            div.graphs {
                @for group in &plan.groups {
                    @for member in &group.members {
                        @let id = { n += 1; format!("g{}-{n}", i + 1) };
                        (student_graph(report, group, member, &id))
                    }
                }
            }
        }
    }
}

/// One student's graph, the decision and its reason under it, and the
/// probes as text.
fn student_graph(report: &Report<'_>, group: &Group, member: &Member, id: &str) -> Markup {
    let plan = &report.rules.plans[group.plan];
    let detail = member.progress.as_deref().cloned().unwrap_or_default();
    let number = |t: &str| t.parse::<f64>().ok();
    let probes = parse_probes(&detail.probes);
    let goal = number(&detail.goal)
        .zip(crate::date::parse_date(&detail.goal_date))
        .map(|(score, day)| Goal { score, day });
    let ringed = match plan.kind {
        PlanKind::ChangeIntervention => number(&detail.run_below),
        PlanKind::RaiseGoal => number(&detail.run_above),
        _ => None,
    };
    let graph = graph::Graph {
        name: &member.name,
        probes,
        phases: parse_phases(&detail.phases),
        baseline: number(&detail.baseline),
        goal,
        slope: number(&detail.slope),
        ringed: ringed.map_or(0, |r| r as usize),
    };
    html! {
        div.student data-id=(member.id) {
            h4 { (member.name) " " small.muted { (member.id) } }
            @match graph.draw(id) {
                Some(svg) => (svg),
                None => p.muted { "No probes to draw." },
            }
            p.decision { (plan.label) }
            @if !detail.reason.is_empty() { p { "Why: " (detail.reason) } }
            p.muted {
                @if !detail.baseline.is_empty() { "Baseline " (detail.baseline) ". " }
                @if let Some(goal) = goal {
                    "Goal " (format_number(goal.score)) " by " (crate::date::format_day(goal.day)) ". "
                }
                @if !detail.slope.is_empty() { "Slope " (detail.slope) " a week" }
                @if !detail.goal_roi.is_empty() { ", goal " (detail.goal_roi) " a week" }
                "."
                @if !detail.next_probe.is_empty() { " Next probe " (detail.next_probe) "." }
            }
            @if !graph.probes.is_empty() {
                ul.probes aria-label="Probes" {
                    @for p in &graph.probes {
                        li { (graph::short_date(p.day)) ": " (format_number(p.score)) }
                    }
                }
            }
        }
    }
}
