//! Renderers: the plan as a table, CSV, JSON, Markdown, an Excel workbook
//! or an HTML report.
//!
//! Every renderer writes to an `impl Write` it is given and never prints.
//! CSV and JSON stream one student at a time, in input order; the table and
//! Markdown list students by group, so they hold the class in memory (one
//! name per student, at most [`MAX_GROUPED_STUDENTS`]) and write it section
//! by section. The CSV and JSON shapes are a documented contract for
//! pipelines (README, "Output formats").

pub(crate) mod check;
pub(crate) mod codes;
pub(crate) mod csv;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod letters;
pub(crate) mod markdown;
pub(crate) mod place;
pub(crate) mod profiles;
pub(crate) mod table;
pub(crate) mod testing;
pub(crate) mod xlsx;

use std::io;

use crate::condition::eval::Env;
use crate::engine::{Sections, SetAside};
use crate::plan::SectionPlan;
use crate::rules::{Plan, Rules};

pub use self::csv::{Column, Formulas};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    Xlsx,
    Html,
}

impl Format {
    /// Whether the format lists students by group (and so holds them all).
    pub fn groups_students(self) -> bool {
        matches!(
            self,
            Format::Table | Format::Markdown | Format::Xlsx | Format::Html
        )
    }

    /// The format a file's extension names (`plan.xlsx`), if any.
    pub(crate) fn of_extension(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "md" | "markdown" => Format::Markdown,
            "xlsx" => Format::Xlsx,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// The format's name on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// The most students the table and Markdown list: they hold every student
/// (a name, an id, a score: about 100 bytes) until the plan is written, so
/// past this a plan would take gigabytes of memory for a document no one
/// reads whole (issue 12: 5,000,000 students take 0.9 GiB, 0.45 of it the
/// reading that CSV needs too). CSV and JSON stream any number.
pub(crate) const MAX_GROUPED_STUDENTS: u64 = 5_000_000;

/// Refuse, before any student is decided, to list more than `limit`
/// students in a format that holds them all.
pub(crate) fn check_size(format: Format, students: u64, limit: u64) -> crate::error::Result<()> {
    // A sheet holds a header and at most this many students.
    let limit = match format {
        Format::Xlsx => limit.min(xlsx::MAX_ROWS - 1),
        _ => limit,
    };
    if !format.groups_students() || students <= limit {
        return Ok(());
    }
    Err(crate::error::Error::usage(format!(
        "`--format {}` lists at most {} students, and the data has {}: use `--format csv` \
         (one row per student) or `--format json`, which stream any number of students, or plan \
         fewer at once (`--only section=...`)",
        format.name(),
        thousands(limit),
        thousands(students)
    )))
}

/// `5000000` → `5,000,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One student's outcome, ready to write.
pub struct Placed<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub section: &'a str,
    pub plan: &'a Plan,
    pub focus: Option<&'a str>,
    pub focus_score: Option<f64>,
    /// Present when the renderer asked for reasons.
    pub reason: Option<&'a str>,
    /// What the decision did without (missing or unreadable data); `None`
    /// when it rests on the student's data alone.
    pub caveat: Option<&'a str>,
    /// Progress monitoring: the next probe date.
    pub next_probe: Option<String>,
    /// The rules' fields for this student, by name.
    pub fields: Fields<'a>,
}

/// A student's fields, read on demand.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    pub rules: &'a Rules,
    pub env: &'a Env<'a>,
}

impl<'a> Placed<'a> {
    /// The text of the rules' field `name`, if the student has one.
    pub fn field(&self, name: &str) -> Option<&'a str> {
        let bytes = self.fields.rules.field_text(self.fields.env, name)?;
        std::str::from_utf8(bytes).ok()
    }
}

/// Everything known once every student is decided.
pub struct Report<'a> {
    pub rules: &'a Rules,
    pub skills: &'a [Box<str>],
    pub sections: &'a Sections,
    /// One per section, sorted by section name.
    pub plans: &'a [SectionPlan],
    /// One for each section a student is in.
    pub students: u64,
    /// Students (ids) in more than one section, each planned once per
    /// section.
    pub in_several_sections: u64,
    /// Rows and cells left out of the plan, and why.
    pub set_aside: &'a SetAside,
}

/// A renderer.
pub trait Sink {
    /// Whether [`Placed::reason`] is needed (computing it costs time).
    fn wants_reason(&self) -> bool;
    fn student(&mut self, student: &Placed<'_>) -> io::Result<()>;
    /// Whether the sink takes rows another sink of its format wrote
    /// ([`Sink::raw`]), so that its students may be placed on several
    /// threads. Only CSV does.
    fn takes_parts(&self) -> bool {
        false
    }
    /// Rows another sink of the same format wrote, to follow this one's
    /// (parts of a file planned on their own threads). Only CSV is split.
    fn raw(&mut self, _rows: &[u8]) -> io::Result<()> {
        Err(io::Error::other("only CSV output is written in parts"))
    }
    fn finish(&mut self, report: &Report<'_>) -> io::Result<()>;
}

/// Two sinks given every student: the plan and the letters home.
pub(crate) struct Both<'a, 'w> {
    pub first: &'a mut (dyn Sink + 'w),
    pub second: &'a mut (dyn Sink + 'w),
}

impl Sink for Both<'_, '_> {
    fn wants_reason(&self) -> bool {
        self.first.wants_reason() || self.second.wants_reason()
    }

    fn student(&mut self, student: &Placed<'_>) -> io::Result<()> {
        self.first.student(student)?;
        self.second.student(student)
    }

    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        self.first.finish(report)?;
        self.second.finish(report)
    }
}

/// Settings for the human formats.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Output goes to a terminal: wrap the table to its width, and replace
    /// control characters in CSV.
    pub terminal: bool,
    /// What CSV does with a text cell a spreadsheet would read as a formula.
    pub formulas: Formulas,
    /// Colour the table's tiers (`--color`); never CSV, JSON or Markdown.
    pub color: bool,
    /// The tables' width; `None`: the terminal's, or 100 for a file or pipe.
    pub width: Option<u16>,
}

/// The renderer for `format`, writing to `out`.
pub fn sink<'w>(
    format: Format,
    columns: &[Column],
    style: Style,
    rules: &'w Rules,
    out: &'w mut dyn io::Write,
) -> Box<dyn Sink + 'w> {
    match format {
        Format::Csv => Box::new(
            csv::CsvSink::new(out, columns, rules)
                .for_terminal(style.terminal)
                .formulas(style.formulas),
        ),
        Format::Json => Box::new(json::JsonSink::new(out, rules)),
        Format::Table => Box::new(table::TableSink::new(out, style)),
        Format::Markdown => Box::new(markdown::MarkdownSink::new(out)),
        Format::Xlsx => Box::new(xlsx::XlsxSink::new(out, columns, rules)),
        Format::Html => Box::new(html::HtmlSink::new(out, rules)),
    }
}

/// The heading of a section's list of students decided on missing or
/// unreadable data, or `None` when there are none.
pub fn caveat_heading(plan: &SectionPlan) -> Option<String> {
    (plan.caveats > 0).then(|| {
        format!(
            "Decided without some of their data ({}; check before acting)",
            crate::diagnostic::count(plan.caveats as usize, "student")
        )
    })
}

/// What every output says when some students are in more than one section
/// (a gradebook with a row per student per course), or `None`.
pub fn several_sections(students: u64) -> Option<String> {
    match students {
        0 => None,
        1 => Some(
            "1 student is in more than one section, and is planned once per section".to_owned(),
        ),
        n => Some(format!(
            "{} students are in more than one section; each is planned once per section",
            thousands(n)
        )),
    }
}

/// A share as a whole percent: `0.667` → `67%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_and_markdown_refuse_more_students_than_they_hold() {
        assert!(check_size(Format::Table, 10, 10).is_ok());
        assert!(check_size(Format::Csv, 11, 10).is_ok());
        assert!(check_size(Format::Json, u64::MAX, 10).is_ok());
        let message = check_size(Format::Markdown, 5_000_001, 5_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("`--format markdown` lists at most 5,000,000 students, and the data has 5,000,001: use `--format csv`"),
            "{message}"
        );
        assert!(check_size(Format::Table, 11, 10).is_err());
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
