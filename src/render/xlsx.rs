//! The plan as an Excel workbook (`--format xlsx`): a `Summary` sheet (every
//! section's students, tiers and whole-class skills), a sheet per section
//! (its whole-class skills, then its groups as rosters: a row per student
//! with the group's plan, focus and the student's score), and a `Students`
//! sheet with the CSV's columns, a row per student in input order.
//!
//! Every text is written as a text cell, never as a formula: a name such
//! as `=HYPERLINK(...)` is shown as typed, and no `'` is needed as in CSV.
//! Numbers (scores, counts, shares) are number cells. Each sheet's header
//! row is frozen and its columns are as wide as their text. The workbook is
//! built in memory (as the table is) and written whole at the end, so a run
//! that fails leaves no half workbook; a sheet holds at most
//! [`MAX_ROWS`] rows, which is why [`super::check_size`] refuses more
//! students.

use std::io::{self, Write};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::csv::{Column, cells};
use super::table::{PROGRESS_HEADER, group_label, progress_rows};
use super::{Placed, Report, Sink};
use crate::plan::whole_class;
use crate::rules::Rules;

/// The most rows a sheet holds (Excel's limit), the header among them.
pub(crate) const MAX_ROWS: u64 = 1_048_576;

pub(crate) struct XlsxSink<'w> {
    out: &'w mut dyn Write,
    columns: Vec<Column>,
    /// The `Students` sheet, filled as students are decided.
    students: Worksheet,
    row: u32,
    bold: Format,
}

impl<'w> XlsxSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, columns: &[Column], rules: &Rules) -> Self {
        let columns = if columns.is_empty() {
            Column::default_for(rules)
        } else {
            columns.to_vec()
        };
        let bold = Format::new().set_bold();
        let mut students = Worksheet::new();
        let header: Vec<&str> = columns.iter().map(Column::name).collect();
        // Writing to a new sheet within its limits cannot fail.
        let _ = students.write_row_with_format(0, 0, header, &bold);
        XlsxSink {
            out,
            columns,
            students,
            row: 1,
            bold,
        }
    }
}

fn xlsx_error(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

impl Sink for XlsxSink<'_> {
    fn wants_reason(&self) -> bool {
        self.columns.contains(&Column::Reason)
    }

    fn student(&mut self, s: &Placed<'_>) -> io::Result<()> {
        let (sheet, row) = (&mut self.students, self.row);
        let mut column = 0u16;
        cells(&self.columns, s, |field, is_number| {
            match field.parse::<f64>() {
                Ok(n) if is_number => sheet.write_number(row, column, n),
                _ => sheet.write_string(row, column, field),
            }
            .map_err(xlsx_error)?;
            column += 1;
            Ok(())
        })?;
        self.row += 1;
        Ok(())
    }

    fn finish(&mut self, report: &Report<'_>) -> io::Result<()> {
        let mut book = Workbook::new();
        let mut names = SheetNames::default();
        let mut summary = summary(report, &self.bold).map_err(xlsx_error)?;
        summary
            .set_name(names.unique("Summary"))
            .map_err(xlsx_error)?;
        book.push_worksheet(summary);
        for plan in report.plans {
            let name = report.sections.list[plan.section].display_name();
            let mut sheet = section(report, plan, &self.bold).map_err(xlsx_error)?;
            sheet.set_name(names.unique(&name)).map_err(xlsx_error)?;
            book.push_worksheet(sheet);
        }
        let mut students = std::mem::replace(&mut self.students, Worksheet::new());
        students
            .set_name(names.unique("Students"))
            .map_err(xlsx_error)?;
        finish_sheet(&mut students).map_err(xlsx_error)?;
        book.push_worksheet(students);
        let bytes = book.save_to_buffer().map_err(xlsx_error)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}

/// Freeze the header row and fit the columns to their text.
fn finish_sheet(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

/// A row per section: its students, tiers, and the skills retaught to it.
fn summary(report: &Report<'_>, bold: &Format) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    let header = [
        "section",
        "students",
        "tier_1",
        "tier_2",
        "tier_3",
        "no_tier",
        "decided_without_some_data",
        "whole_class_skills",
    ];
    sheet.write_row_with_format(0, 0, header, bold)?;
    let mut row = 1;
    for plan in report.plans {
        let section = &report.sections.list[plan.section];
        sheet.write_string(row, 0, section.display_name())?;
        sheet.write_number(row, 1, section.students as f64)?;
        for (c, n) in plan.tiers.counts.iter().enumerate() {
            sheet.write_number(row, 2 + c as u16, f64::from(*n))?;
        }
        sheet.write_number(row, 5, f64::from(plan.tiers.no_tier))?;
        sheet.write_number(row, 6, f64::from(plan.caveats))?;
        let skills: Vec<&str> = whole_class(report.sections, plan.section, report.skills)
            .into_iter()
            .map(|(skill, _)| skill)
            .collect();
        sheet.write_string(row, 7, skills.join(", "))?;
        row += 1;
    }
    row += 1;
    sheet.write_string(row, 0, format!("Rules: {}", report.rules.provenance()))?;
    if let Some(config) = &report.rules.config {
        row += 1;
        sheet.write_string(row, 0, format!("Config: {}", config.note()))?;
    }
    if let Some(note) = super::several_sections(report.in_several_sections) {
        row += 1;
        sheet.write_string(row, 0, format!("Note: {note}"))?;
    }
    if !report.set_aside.is_empty() {
        row += 1;
        sheet.write_string(row, 0, format!("Set aside: {}", report.set_aside.summary()))?;
    }
    finish_sheet(&mut sheet)?;
    Ok(sheet)
}

/// One section: its whole-class skills, then a row per student of each
/// group (for progress monitoring, the decisions as the table shows them).
fn section(
    report: &Report<'_>,
    plan: &crate::plan::SectionPlan,
    bold: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    if report.rules.monitors_progress() {
        sheet.write_row_with_format(0, 0, PROGRESS_HEADER, bold)?;
        for (r, cells) in progress_rows(report, &plan.groups).iter().enumerate() {
            sheet.write_row(r as u32 + 1, 0, cells)?;
        }
        finish_sheet(&mut sheet)?;
        return Ok(sheet);
    }
    let header = [
        "group",
        "plan",
        "tier",
        "focus",
        "monitor",
        "student_id",
        "name",
        "focus_score",
    ];
    sheet.write_row_with_format(0, 0, header, bold)?;
    let mut row = 1;
    for group in &plan.groups {
        let p = &report.rules.plans[group.plan];
        let label = group_label(report, group);
        for member in &group.members {
            sheet.write_string(row, 0, &label)?;
            sheet.write_string(row, 1, &p.id)?;
            if let Some(tier) = p.tier {
                sheet.write_number(row, 2, f64::from(tier))?;
            }
            if let Some(focus) = group.focus {
                sheet.write_string(row, 3, &*report.skills[focus])?;
            }
            if let Some(monitor) = &p.monitor {
                sheet.write_string(row, 4, &monitor.text)?;
            }
            sheet.write_string(row, 5, &*member.id)?;
            sheet.write_string(row, 6, &*member.name)?;
            if let Some(score) = member.score.filter(|_| group.focus.is_some()) {
                sheet.write_number(row, 7, score)?;
            }
            row += 1;
        }
    }
    let whole = whole_class(report.sections, plan.section, report.skills);
    if !whole.is_empty() {
        row += 1;
        sheet.write_row_with_format(
            row,
            0,
            ["reteach_whole_class", "below", "assessed", "share_below"],
            bold,
        )?;
        for (skill, stat) in whole {
            row += 1;
            sheet.write_string(row, 0, skill)?;
            sheet.write_number(row, 1, f64::from(stat.below))?;
            sheet.write_number(row, 2, f64::from(stat.assessed))?;
            sheet.write_number(row, 3, stat.share_below().unwrap_or(0.0))?;
        }
    }
    for (name, caveat) in &plan.caveated {
        row += 1;
        sheet.write_string(row, 0, "decided without some data")?;
        sheet.write_string(row, 6, &**name)?;
        sheet.write_string(row, 1, &**caveat)?;
    }
    finish_sheet(&mut sheet)?;
    Ok(sheet)
}

/// Sheet names as Excel takes them: at most 31 characters, none of
/// `[ ] : * ? / \`, not starting or ending with `'`, each different from
/// the others ignoring case (`5A`, `5A (2)`).
#[derive(Default)]
struct SheetNames {
    taken: Vec<String>,
}

impl SheetNames {
    fn unique(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let clean = if clean.is_empty() || clean.eq_ignore_ascii_case("history") {
            "Section"
        } else {
            clean
        };
        let cut = |text: &str, room: usize| text.chars().take(room).collect::<String>();
        let mut name = cut(clean, 31);
        let mut n = 2;
        while self
            .taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
        {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", cut(clean, 31 - suffix.len()));
            n += 1;
        }
        self.taken.push(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::SheetNames;

    #[test]
    fn sheet_names_are_ones_excel_takes_and_each_is_different() {
        let mut names = SheetNames::default();
        assert_eq!(names.unique("Summary"), "Summary");
        assert_eq!(names.unique("5A"), "5A");
        assert_eq!(names.unique("5a"), "5a (2)");
        assert_eq!(
            names.unique("Math 7 [P1]: 2026/27?"),
            "Math 7 _P1__ 2026_27_"
        );
        assert_eq!(names.unique("'quoted'"), "quoted");
        assert_eq!(names.unique(""), "Section");
        assert_eq!(names.unique("History"), "Section (2)");
        let long = "A very long section name that goes on";
        assert_eq!(names.unique(long), "A very long section name that g");
        assert_eq!(names.unique(long), "A very long section name th (2)");
        assert!(names.taken.iter().all(|n| n.chars().count() <= 31));
    }
}
