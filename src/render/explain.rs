//! One student's path through the tree, for `tierplan explain`: each test
//! with the values it read, whether it held, and the plan reached.

use std::io::{self, Write};

use crate::condition::eval::{Seen, Tri};
use crate::condition::format_number;
use crate::engine::decide::{Step, show};
use crate::engine::{Decision, Student};
use crate::rules::{IfMissing, Rules};

/// Everything `explain` shows.
pub(crate) struct Explanation<'a> {
    pub rules: &'a Rules,
    pub student: &'a Student<'a>,
    pub section: &'a str,
    pub steps: &'a [Step<'a>],
    pub decision: &'a Decision,
    pub reason: &'a str,
    pub caveat: Option<&'a str>,
}

/// The whole explanation: who, from where, the scores, the probes when the
/// rules monitor progress, the path and the plan reached.
pub(crate) fn write(out: &mut dyn Write, e: &Explanation<'_>) -> io::Result<()> {
    let s = e.student;
    let rules = e.rules;
    let name = String::from_utf8_lossy(s.name);
    let id = String::from_utf8_lossy(s.id);
    if name == id {
        writeln!(out, "Student {id} · section {}", e.section)?;
    } else {
        writeln!(out, "Student {id} · {name} · section {}", e.section)?;
    }
    // `quiz.csv line 4`, or `quiz.xlsx, sheet `Quiz`, row 4`.
    let at = crate::diagnostic::Location::line(s.file, s.line);
    let from = match at.sheet_place() {
        Some(_) => at.to_string(),
        None => format!("{} line {}", s.file, s.line),
    };
    writeln!(
        out,
        "From {from}; rules: {} ({})",
        rules.name, rules.source.name
    )?;
    scores(out, e)?;
    if rules.monitors_progress() {
        probes(out, e)?;
    }
    path(out, e)?;
    outcome(out, e)?;
    out.flush()
}

/// Each skill's score, beside mastery and the section's reteaching.
fn scores(out: &mut dyn Write, e: &Explanation<'_>) -> io::Result<()> {
    let (s, rules) = (e.student, e.rules);
    let skills = s.env.skill_names;
    if !skills.is_empty() {
        writeln!(out, "\nScores (mastery {}):", format_number(rules.mastery))?;
        let width = skills.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for (skill, name) in skills.iter().enumerate() {
            let stat = s.env.section.get(skill);
            let score = s.env.scores.get(skill).copied().flatten();
            let mut notes = Vec::new();
            if score.is_some_and(|v| v < rules.mastery) {
                notes.push("below mastery".to_owned());
            }
            if let Some(stat) = stat.filter(|st| st.whole_class) {
                let share = stat
                    .share_below()
                    .map_or(String::new(), |v| format!(", {:.0}% below", v * 100.0));
                notes.push(format!("retaught to the whole section{share}"));
            }
            let value = score.map_or("not assessed".to_owned(), format_number);
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join("; "))
            };
            writeln!(out, "  {name:<width$}  {value:>3}{notes}")?;
        }
    }
    Ok(())
}

/// Progress monitoring: the probes, the aimline and the rates.
fn probes(out: &mut dyn Write, e: &Explanation<'_>) -> io::Result<()> {
    let (s, rules) = (e.student, e.rules);
    let text = |name: &str| {
        rules.field_text(&s.env, name).map_or_else(
            || "missing".to_owned(),
            |t| String::from_utf8_lossy(t).into_owned(),
        )
    };
    writeln!(
        out,
        "\nProbes: {}",
        crate::progress::recent(&text("recent"))
    )?;
    writeln!(out, "Aimline at those probes: {}", text("aimline"))?;
    writeln!(
        out,
        "Baseline {}, goal {} by {}; slope {} a week against the goal's {}; {} points over {} weeks",
        text("baseline"),
        text("goal"),
        text("goal_date"),
        text("slope"),
        text("goal_roi"),
        text("points"),
        text("weeks")
    )?;
    Ok(())
}

/// Each test on the path, with the values it read and its result.
fn path(out: &mut dyn Write, e: &Explanation<'_>) -> io::Result<()> {
    let skills = e.student.env.skill_names;
    writeln!(out, "\nPath (first match wins):")?;
    for (i, step) in e.steps.iter().enumerate() {
        let indent = "  ".repeat(step.depth + 1);
        let text = crate::condition::one_line(&step.when.text);
        let outcome = match (step.result, step.taken) {
            (Tri::True, _) => "true, taken".to_owned(),
            (Tri::False, _) => "false".to_owned(),
            (Tri::Missing, true) => "missing data, taken (if_missing: match)".to_owned(),
            (Tri::Missing, false) => match step.if_missing {
                IfMissing::Skip => "missing data, skipped".to_owned(),
                IfMissing::Match => "missing data".to_owned(),
            },
        };
        writeln!(
            out,
            "{indent}{}. {text}  [line {}]",
            i + 1,
            step.when.pos.line
        )?;
        let seen: Vec<String> = step
            .seen
            .iter()
            .map(|(n, v)| match v {
                Seen::Skills(_) => format!("{n} holds for {}", show(v, skills)),
                _ => format!("{n} = {}", show(v, skills)),
            })
            .collect();
        if seen.is_empty() {
            writeln!(out, "{indent}   → {outcome}")?;
        } else {
            writeln!(out, "{indent}   {} → {outcome}", seen.join(", "))?;
        }
    }
    if e.steps.last().is_none_or(|s| !s.taken) {
        writeln!(out, "  → no branch matched: the default applies")?;
    }
    Ok(())
}

/// The plan reached: tier, focus, reason, caveat, what to do.
fn outcome(out: &mut dyn Write, e: &Explanation<'_>) -> io::Result<()> {
    let (s, rules) = (e.student, e.rules);
    let skills = s.env.skill_names;
    let plan = &rules.plans[e.decision.plan];
    let tier = match (plan.tier, rules.field_text(&s.env, "tier")) {
        (Some(t), _) => format!("Tier {t}"),
        (None, Some(t)) => format!("stays in Tier {}", String::from_utf8_lossy(t)),
        (None, None) => "no tier".to_owned(),
    };
    writeln!(out, "\nPlan: {} ({}, {tier})", plan.label, plan.id)?;
    if let Some(focus) = e.decision.focus {
        let score = e
            .decision
            .focus_score
            .map_or(String::new(), |v| format!(" ({})", format_number(v)));
        writeln!(out, "Focus: {}{score}", skills[focus])?;
    }
    writeln!(out, "Reason: {}", e.reason)?;
    if let Some(caveat) = e.caveat {
        writeln!(out, "Caveat: {caveat}; check before acting")?;
    }
    if let Some(next) = crate::progress::next_probe(rules, &s.env, plan) {
        writeln!(out, "Next probe: {next}")?;
    } else if let Some(monitor) = &plan.monitor {
        writeln!(out, "Progress monitoring: {}", monitor.text)?;
    }
    if !plan.description.is_empty() {
        writeln!(
            out,
            "What to do: {}",
            crate::condition::one_line(&plan.description)
        )?;
    }
    Ok(())
}
