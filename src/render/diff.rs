//! A comparison of two plans ([`crate::diff::Diff`]) as a table, CSV or JSON.
//!
//! The table is for people at a data meeting: per section, the counts and a
//! row for each student who changed. CSV and JSON are for pipelines, with
//! fixed shapes (README, "Comparing plans"):
//!
//! - CSV: `student_id,name,section,change,old_plan,old_tier,old_focus,new_plan,new_tier,new_focus`,
//!   one row per listed student.
//! - JSON: `{"tierplan", "old", "new", "matched_by", "students", "sections",
//!   "total"}`, one student or section per line; a student who moved section
//!   has `moved_from` (on the `new_student` row) and `moved_to` (on `gone`).
//!
//! Unchanged students are counted and, only when asked (`--all`), listed.
//! Like every renderer this writes to the writer it is given and never
//! prints.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::Style;
use super::csv::Formulas;
use crate::diagnostic::count;
use crate::diff::{Change, Counts, Diff, Outcome, Row, section_name};
use crate::printable::Printable;

/// The header of `--format csv`.
pub(crate) const CSV_HEADER: [&str; 10] = [
    "student_id",
    "name",
    "section",
    "change",
    "old_plan",
    "old_tier",
    "old_focus",
    "new_plan",
    "new_tier",
    "new_focus",
];

/// Width of the table when the output is not a terminal.
const FILE_WIDTH: u16 = 100;

/// An output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffFormat {
    Table,
    Csv,
    Json,
}

/// What one side of the comparison ran: a rules file over some data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SideInfo {
    /// The rules file as named, or `<built-in default rules>`.
    pub rules: String,
    /// The data files, as named.
    pub data: Vec<String>,
    /// Students in more than one section of the data, each matched once
    /// per section.
    pub in_several_sections: u64,
}

/// The comparison and what to show of it.
pub(crate) struct Shown<'a> {
    pub diff: &'a Diff,
    pub old: &'a SideInfo,
    pub new: &'a SideInfo,
    /// List unchanged students too.
    pub all: bool,
}

impl Shown<'_> {
    /// The rows to list.
    fn rows(&self) -> impl Iterator<Item = &Row> {
        let all = self.all;
        self.diff
            .rows
            .iter()
            .filter(move |r| all || r.change != Change::Unchanged)
    }
}

/// The comparison as tables, one per section, then the totals.
pub(crate) fn table(out: &mut dyn Write, shown: &Shown<'_>, style: Style) -> io::Result<()> {
    // Names and headers come from the user's files: no control characters.
    let mut out = Printable::new(out);
    writeln!(out, "{}", heading(shown.old, shown.new))?;
    let diff = shown.diff;
    if !diff.by_section {
        writeln!(
            out,
            "(matched by student id alone: one side has no section column)"
        )?;
    }
    if let Some(note) = several_sections(shown) {
        writeln!(out, "Note: {note}.")?;
    }
    for (section, counts) in &diff.sections {
        let name = section_name(section);
        writeln!(
            out,
            "\nSection {name} · {}: {}",
            count(usize_of(counts.students()), "student"),
            summary(counts)
        )?;
        let mut table = new_table(style);
        table.set_header(["Change", "ID", "Student", "Old plan", "New plan"]);
        let mut listed = 0;
        for row in shown.rows().filter(|r| &r.section == section) {
            table.add_row([
                change_text(row),
                String::from_utf8_lossy(&row.id).into_owned(),
                row.name.clone(),
                outcome_text(row.old.as_ref()),
                outcome_text(row.new.as_ref()),
            ]);
            listed += 1;
        }
        if listed > 0 {
            writeln!(out, "{table}")?;
        }
    }
    if diff.sections.len() != 1 {
        writeln!(
            out,
            "\nAll sections · {}: {}",
            count(usize_of(diff.total.students()), "student"),
            summary(&diff.total)
        )?;
    }
    out.flush()
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn new_table(style: Style) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    if !style.terminal || style.width.is_some() {
        table
            .force_no_tty()
            .set_width(style.width.unwrap_or(FILE_WIDTH));
    }
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table
}

/// `Rules: old.yaml → new.yaml · data: quiz.csv`, or, for two windows,
/// `Data: fall.csv → winter.csv · rules: rules.yaml`.
fn heading(old: &SideInfo, new: &SideInfo) -> String {
    let data = |side: &SideInfo| side.data.join(", ");
    let rules = if old.rules == new.rules {
        old.rules.clone()
    } else {
        format!("{} → {}", old.rules, new.rules)
    };
    let data = if old.data == new.data {
        data(old)
    } else {
        format!("{} → {}", data(old), data(new))
    };
    if old.rules == new.rules {
        format!("Data: {data} · rules: {rules}")
    } else {
        format!("Rules: {rules} · data: {data}")
    }
}

/// What the comparison says when a side has students in several sections
/// (`diff` prints it on standard error for CSV), or `None`.
pub(crate) fn several_sections(shown: &Shown<'_>) -> Option<String> {
    let (old, new) = (shown.old.in_several_sections, shown.new.in_several_sections);
    let students = |n: u64| crate::diagnostic::count(usize_of(n), "student");
    match (old, new) {
        (0, 0) => None,
        (old, new) if old == new => Some(format!(
            "{} in more than one section on each side; each is planned and matched once per section",
            if old == 1 {
                "1 student is".to_owned()
            } else {
                format!("{} are", students(old))
            }
        )),
        (old, new) => Some(format!(
            "students in more than one section: {old} on the old side, {new} on the new; each is planned and matched once per section"
        )),
    }
}

/// `1 entered tier support, 2 changed plan, 25 unchanged`.
fn summary(counts: &Counts) -> String {
    let parts: Vec<String> = Change::ALL
        .iter()
        .filter(|c| counts.get(**c) > 0)
        .map(|c| {
            let n = counts.get(*c);
            let what = match c {
                Change::Entered => "entered tier support",
                Change::Left => "left tier support",
                Change::TierUp => "moved up a tier",
                Change::TierDown => "moved down a tier",
                Change::Plan => "changed plan",
                Change::Focus => "changed focus",
                Change::NewStudent => "new",
                Change::Gone => "gone",
                Change::Unchanged => "unchanged",
            };
            format!("{n} {what}")
        })
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The change as people read it: `entered Tier 2`, `Tier 3 → 2`.
fn change_text(row: &Row) -> String {
    let tier = |o: Option<&Outcome>| o.and_then(|o| o.tier).unwrap_or(0);
    let (old, new) = (tier(row.old.as_ref()), tier(row.new.as_ref()));
    match row.change {
        Change::Entered => format!("entered Tier {new}"),
        Change::Left => format!("left Tier {old}"),
        Change::TierUp | Change::TierDown => format!("Tier {old} → {new}"),
        Change::Plan => "plan".to_owned(),
        Change::Focus => "focus".to_owned(),
        Change::NewStudent => match &row.moved {
            Some(from) => format!("moved from {}", section_name(from)),
            None => "new student".to_owned(),
        },
        Change::Gone => match &row.moved {
            Some(to) => format!("moved to {}", section_name(to)),
            None => "gone".to_owned(),
        },
        Change::Unchanged => "unchanged".to_owned(),
    }
}

/// `Small-group reteach · Tier 1 · NF.1`, `Tier 2 small-group intervention · NF.1`,
/// or `—` for no side.
fn outcome_text(outcome: Option<&Outcome>) -> String {
    let Some(o) = outcome else {
        return "—".to_owned();
    };
    let mut text = o.label.clone();
    // `Tier 2 small-group intervention` says its tier already.
    if let Some(tier) = o.tier.filter(|t| !o.label.contains(&format!("Tier {t}"))) {
        text.push_str(&format!(" · Tier {tier}"));
    }
    if let Some(focus) = &o.focus {
        text.push_str(&format!(" · {focus}"));
    }
    text
}

/// One row per listed student, header [`CSV_HEADER`]; text cells a
/// spreadsheet would read as formulas as `formulas` says (tiers are numbers).
pub(crate) fn csv(out: &mut dyn Write, shown: &Shown<'_>, formulas: Formulas) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for row in shown.rows() {
        let side = |o: Option<&Outcome>| match o {
            Some(o) => [
                o.plan.clone(),
                o.tier.map_or(String::new(), |t| t.to_string()),
                o.focus.clone().unwrap_or_default(),
            ],
            None => Default::default(),
        };
        let [old_plan, old_tier, old_focus] = side(row.old.as_ref());
        let [new_plan, new_tier, new_focus] = side(row.new.as_ref());
        w.write_record([
            formulas.text(&row.id),
            formulas.text(row.name.as_bytes()),
            formulas.text(&row.section),
            Cow::Borrowed(row.change.code().as_bytes()),
            formulas.text(old_plan.as_bytes()),
            Cow::Borrowed(old_tier.as_bytes()),
            formulas.text(old_focus.as_bytes()),
            formulas.text(new_plan.as_bytes()),
            Cow::Borrowed(new_tier.as_bytes()),
            formulas.text(new_focus.as_bytes()),
        ])?;
    }
    w.flush()
}

#[derive(Serialize)]
struct StudentOut<'a> {
    student_id: &'a str,
    name: &'a str,
    section: &'a str,
    change: &'static str,
    old: Option<OutcomeOut<'a>>,
    new: Option<OutcomeOut<'a>>,
    /// A `new_student` who moved: the section they were in.
    moved_from: Option<Cow<'a, str>>,
    /// A `gone` student who moved: the section they are in now.
    moved_to: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct OutcomeOut<'a> {
    plan: &'a str,
    label: &'a str,
    tier: Option<u8>,
    focus: Option<&'a str>,
}

impl<'a> From<&'a Outcome> for OutcomeOut<'a> {
    fn from(o: &'a Outcome) -> Self {
        OutcomeOut {
            plan: &o.plan,
            label: &o.label,
            tier: o.tier,
            focus: o.focus.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct SectionOut<'a> {
    section: &'a str,
    #[serde(flatten)]
    counts: CountsOut,
}

#[derive(Serialize)]
struct CountsOut {
    students: u64,
    changed: u64,
    entered: u64,
    left: u64,
    tier_up: u64,
    tier_down: u64,
    plan: u64,
    focus: u64,
    new_student: u64,
    gone: u64,
    unchanged: u64,
}

impl From<&Counts> for CountsOut {
    fn from(c: &Counts) -> Self {
        CountsOut {
            students: c.students(),
            changed: c.changed(),
            entered: c.get(Change::Entered),
            left: c.get(Change::Left),
            tier_up: c.get(Change::TierUp),
            tier_down: c.get(Change::TierDown),
            plan: c.get(Change::Plan),
            focus: c.get(Change::Focus),
            new_student: c.get(Change::NewStudent),
            gone: c.get(Change::Gone),
            unchanged: c.get(Change::Unchanged),
        }
    }
}

/// One document, one student or section per line.
pub(crate) fn json(out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
    let diff = shown.diff;
    out.write_all(b"{\"tierplan\": ")?;
    serde_json::to_writer(&mut *out, env!("CARGO_PKG_VERSION"))?;
    out.write_all(b",\n\"old\": ")?;
    serde_json::to_writer(&mut *out, shown.old)?;
    out.write_all(b",\n\"new\": ")?;
    serde_json::to_writer(&mut *out, shown.new)?;
    let matched_by = if diff.by_section {
        "section_and_id"
    } else {
        "id"
    };
    write!(out, ",\n\"matched_by\": \"{matched_by}\",\n\"students\": [")?;
    for (i, row) in shown.rows().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let id = String::from_utf8_lossy(&row.id);
        let section = String::from_utf8_lossy(&row.section);
        let wire = StudentOut {
            student_id: &id,
            name: &row.name,
            section: &section,
            change: row.change.code(),
            old: row.old.as_ref().map(OutcomeOut::from),
            new: row.new.as_ref().map(OutcomeOut::from),
            moved_from: row
                .moved
                .as_ref()
                .filter(|_| row.change == Change::NewStudent)
                .map(|s| String::from_utf8_lossy(s)),
            moved_to: row
                .moved
                .as_ref()
                .filter(|_| row.change == Change::Gone)
                .map(|s| String::from_utf8_lossy(s)),
        };
        serde_json::to_writer(&mut *out, &wire)?;
    }
    out.write_all(b"\n],\n\"sections\": [")?;
    for (i, (section, counts)) in diff.sections.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let name = String::from_utf8_lossy(section);
        let wire = SectionOut {
            section: &name,
            counts: counts.into(),
        };
        serde_json::to_writer(&mut *out, &wire)?;
    }
    out.write_all(b"\n],\n\"total\": ")?;
    serde_json::to_writer(&mut *out, &CountsOut::from(&diff.total))?;
    out.write_all(b"}\n")?;
    out.flush()
}
