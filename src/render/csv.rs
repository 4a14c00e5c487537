//! One CSV row per student, in input order; and the section summary.
//!
//! Default columns: `student_id,name,section,plan,kind,tier,focus,focus_score,reason,caveat`,
//! and for progress monitoring the progress quantities instead of the focus.
//! `--columns` chooses others, in any order, from [`Column::ALL`] and the
//! rules' fields.
//!
//! A text cell a spreadsheet would read as a formula (it starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is written with a `'` before
//! it, as OWASP advises against CSV injection, so a name such as
//! `=HYPERLINK(...)` is shown, never run, when a teacher opens the plan
//! (issue 13); [`Formulas::Keep`] writes it as it is, for pipelines. A
//! number tierplan formatted, or a field's cell that reads as a number
//! (`-5`), is never changed.
//!
//! Written to a terminal, every control character of the data is shown as
//! `�` ([`crate::printable`]), so a name cannot drive the terminal; written
//! to a file or a pipe, the CSV holds the data as it is.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::str::FromStr;

use super::{Placed, Report, Sink};
use crate::condition::format_number;
use crate::condition::number::parse_number;
use crate::hash::FxBuild;
use crate::printable::printable;
use crate::rules::Rules;

/// A column of the per-student CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    StudentId,
    Name,
    Section,
    Plan,
    Label,
    Kind,
    Tier,
    Focus,
    FocusScore,
    Monitor,
    /// Progress monitoring: the last probe plus the tier's cadence.
    NextProbe,
    Reason,
    /// What a decision did without (missing or unreadable data), or empty.
    Caveat,
    /// Any field of the rules, by name (`points`, `slope`, `grade`...).
    Field(String),
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::StudentId,
        Column::Name,
        Column::Section,
        Column::Plan,
        Column::Label,
        Column::Kind,
        Column::Tier,
        Column::Focus,
        Column::FocusScore,
        Column::Monitor,
        Column::NextProbe,
        Column::Reason,
        Column::Caveat,
    ];

    /// The columns without `--columns`.
    pub fn default_for(rules: &Rules) -> Vec<Column> {
        if rules.monitors_progress() {
            let field = |name: &str| Column::Field(name.to_owned());
            let mut columns = vec![Column::StudentId, Column::Name, Column::Section];
            columns.extend(
                ["measure"]
                    .into_iter()
                    .filter(|f| rules.fields.iter().any(|x| x.name == *f))
                    .map(field),
            );
            columns.extend([Column::Tier, Column::Plan, Column::Kind]);
            // The progress quantities it shows are marked where the pivot
            // lists its columns.
            columns.extend(
                crate::ingest::reshape::probes::shown_in_csv()
                    .filter(|f| rules.fields.iter().any(|x| x.name == *f))
                    .map(field),
            );
            columns.extend([Column::NextProbe, Column::Reason, Column::Caveat]);
            return columns;
        }
        vec![
            Column::StudentId,
            Column::Name,
            Column::Section,
            Column::Plan,
            Column::Kind,
            Column::Tier,
            Column::Focus,
            Column::FocusScore,
            Column::Reason,
            Column::Caveat,
        ]
    }

    pub fn name(&self) -> &str {
        match self {
            Column::StudentId => "student_id",
            Column::Name => "name",
            Column::Section => "section",
            Column::Plan => "plan",
            Column::Label => "label",
            Column::Kind => "kind",
            Column::Tier => "tier",
            Column::Focus => "focus",
            Column::FocusScore => "focus_score",
            Column::Monitor => "monitor",
            Column::NextProbe => "next_probe",
            Column::Reason => "reason",
            Column::Caveat => "caveat",
            Column::Field(name) => name,
        }
    }
}

impl FromStr for Column {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("a column name is empty".to_owned());
        }
        Ok(Column::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .unwrap_or_else(|| Column::Field(s.to_owned())))
    }
}

/// What the CSV does with a text cell a spreadsheet would read as a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formulas {
    /// Put a `'` before it, as OWASP advises (the spreadsheet shows the text).
    #[default]
    Escape,
    /// Write it as it is (`--csv-formulas keep`, for a program that reads the CSV).
    Keep,
}

impl Formulas {
    /// Whether `text`, a text cell, is written with a `'` before it.
    fn escapes(self, text: &[u8]) -> bool {
        self == Formulas::Escape
            && matches!(
                text.first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            )
    }

    /// `text`, a cell that is text (not a number tierplan formatted), as the
    /// CSV writes it: with a `'` before it when a spreadsheet would read it
    /// as a formula, under [`Formulas::Escape`].
    pub(crate) fn text(self, text: &[u8]) -> Cow<'_, [u8]> {
        if self.escapes(text) {
            Cow::Owned([b"'", text].concat())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// [`Formulas::text`] of a `str`.
    pub(crate) fn text_str(self, text: &str) -> Cow<'_, str> {
        if self.escapes(text.as_bytes()) {
            Cow::Owned(format!("'{text}"))
        } else {
            Cow::Borrowed(text)
        }
    }
}

fn new_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

pub(crate) struct CsvSink<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    columns: Vec<Column>,
    header_written: bool,
    /// The output is a terminal: control characters are replaced.
    terminal: bool,
    /// What a text cell a spreadsheet would read as a formula becomes.
    formulas: Formulas,
}

impl<'w> CsvSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, columns: &[Column], rules: &Rules) -> Self {
        CsvSink {
            writer: new_writer(out),
            columns: if columns.is_empty() {
                Column::default_for(rules)
            } else {
                columns.to_vec()
            },
            header_written: false,
            terminal: false,
            formulas: Formulas::Escape,
        }
    }

    /// A sink that writes text cells a spreadsheet would read as formulas
    /// as `formulas` says.
    pub(crate) fn formulas(mut self, formulas: Formulas) -> Self {
        self.formulas = formulas;
        self
    }

    /// A sink whose output is a terminal when `terminal`: every control
    /// character in a cell is written as `�` (a file or pipe gets the data
    /// as it is).
    pub(crate) fn for_terminal(mut self, terminal: bool) -> Self {
        self.terminal = terminal;
        self
    }

    /// A sink for rows that follow another's: no header.
    pub(crate) fn without_header(mut self) -> Self {
        self.header_written = true;
        self
    }

    /// Flush the rows written (for a part whose rows follow another's).
    pub(crate) fn finish_rows(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            self.writer
                .write_record(self.columns.iter().map(|c| c.name()))?;
        }
        Ok(())
    }
}

/// The csv crate wraps I/O errors in its own type; unwrap them so that a
/// closed pipe is still recognised as one.
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl Sink for CsvSink<'_> {
    fn takes_parts(&self) -> bool {
        true
    }

    fn raw(&mut self, rows: &[u8]) -> io::Result<()> {
        self.header()?;
        // The csv writer owns the output: take it back, write, and wrap it
        // again (the writer keeps no state between records). The stand-in
        // is a zero-sized sink: leaking it allocates nothing.
        let placeholder =
            csv::Writer::from_writer(Box::leak(Box::new(io::sink())) as &mut dyn Write);
        let writer = std::mem::replace(&mut self.writer, placeholder);
        let out = writer
            .into_inner()
            .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))?;
        if self.terminal {
            out.write_all(printable(&String::from_utf8_lossy(rows)).as_bytes())?;
        } else {
            out.write_all(rows)?;
        }
        self.writer = new_writer(out);
        Ok(())
    }

    fn wants_reason(&self) -> bool {
        self.columns.contains(&Column::Reason)
    }

    fn student(&mut self, s: &Placed<'_>) -> io::Result<()> {
        self.header()?;
        let (formulas, terminal) = (self.formulas, self.terminal);
        let writer = &mut self.writer;
        cells(&self.columns, s, |field, is_number| {
            let cell = if is_number {
                Cow::Borrowed(field)
            } else {
                formulas.text_str(field)
            };
            let shown = if terminal {
                printable(&cell)
            } else {
                Cow::Borrowed(&*cell)
            };
            writer.write_field(&*shown).map_err(io_error)
        })?;
        self.writer.write_record(None::<&[u8]>).map_err(io_error)
    }

    fn finish(&mut self, _: &Report<'_>) -> io::Result<()> {
        self.header()?;
        self.writer.flush()
    }
}

/// Each of `columns`' cells for student `s`, in order, to `write` with
/// whether it is a number (which no spreadsheet reads as a formula) or text.
pub(crate) fn cells(
    columns: &[Column],
    s: &Placed<'_>,
    mut write: impl FnMut(&str, bool) -> io::Result<()>,
) -> io::Result<()> {
    let mut number = String::new();
    for column in columns {
        let mut is_number = false;
        let field: &str = match column {
            Column::StudentId => s.id,
            Column::Name => s.name,
            Column::Section => s.section,
            Column::Plan => &s.plan.id,
            Column::Label => &s.plan.label,
            Column::Kind => s.plan.kind.as_str(),
            Column::Tier => match s.plan.tier {
                Some(1) => "1",
                Some(2) => "2",
                Some(3) => "3",
                // A progress decision keeps the student's own tier.
                _ => s.field("tier").unwrap_or(""),
            },
            Column::Focus => s.focus.unwrap_or(""),
            Column::FocusScore => {
                is_number = s.focus_score.is_some();
                number.clear();
                if let Some(v) = s.focus_score {
                    number.push_str(&format_number(v));
                }
                &number
            }
            Column::Monitor => s.plan.monitor.as_ref().map_or("", |m| m.text.as_str()),
            Column::Reason => s.reason.unwrap_or(""),
            Column::Caveat => s.caveat.unwrap_or(""),
            Column::NextProbe => s.next_probe.as_deref().unwrap_or(""),
            Column::Field(name) => s.field(name).unwrap_or(""),
        };
        // A field's cell (a `tier` too) is a number when it reads as one,
        // the way the rules' tests read it: `-5` stays `-5`.
        is_number |= matches!(column, Column::Field(_) | Column::Tier)
            && parse_number(field.as_bytes()).is_some();
        write(field, is_number)?;
    }
    Ok(())
}

/// The section summary: `section,skill,share_below,whole_class`, one row per
/// section and skill that anyone in the section was assessed on, sections by
/// name and skills in column order.
pub(crate) fn write_summary(
    out: &mut dyn Write,
    report: &Report<'_>,
    formulas: Formulas,
) -> io::Result<()> {
    // A row is four cells from a few hundred thousand: each section's and
    // skill's name is escaped and quoted once, by the csv crate (whose
    // quoting depends on the cell alone), and each share formatted once
    // (exact decimal formatting is slow; many sections share a share).
    let cell = |text: &str| -> io::Result<Vec<u8>> {
        let text = formulas.text_str(text);
        if text.is_empty() {
            // Alone in a record the csv crate writes it `""`; among others,
            // as nothing.
            return Ok(Vec::new());
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([&*text]).map_err(io_error)?;
        let mut bytes = w.into_inner().map_err(|e| e.into_error())?;
        bytes.pop(); // the record's newline
        Ok(bytes)
    };
    let skills = report
        .skills
        .iter()
        .map(|skill| cell(skill))
        .collect::<io::Result<Vec<_>>>()?;
    let mut shares: HashMap<u64, String, FxBuild> = HashMap::default();
    let mut buf = Vec::with_capacity(1 << 16);
    buf.extend_from_slice(b"section,skill,share_below,whole_class\n");
    for plan in report.plans {
        let section = &report.sections.list[plan.section];
        let name = cell(&String::from_utf8_lossy(&section.name))?;
        for (stat, skill) in section.stats.iter().zip(&skills) {
            let Some(share) = stat.share_below() else {
                continue;
            };
            let share = shares
                .entry(share.to_bits())
                .or_insert_with(|| format!("{share:.4}"));
            let whole_class: &[u8] = if stat.whole_class { b"true" } else { b"false" };
            for (i, part) in [&name[..], skill, share.as_bytes(), whole_class]
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    buf.push(b',');
                }
                buf.extend_from_slice(part);
            }
            buf.push(b'\n');
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::Formulas;

    #[test]
    fn text_a_spreadsheet_reads_as_a_formula_gets_a_quote_first() {
        for text in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(Formulas::Escape.text_str(text), format!("'{text}"));
            assert_eq!(Formulas::Keep.text_str(text), text);
            assert_eq!(
                &*Formulas::Escape.text(text.as_bytes()),
                format!("'{text}").as_bytes()
            );
        }
        for text in ["", "Ava", "5A", "'=x", " =x"] {
            assert_eq!(Formulas::Escape.text_str(text), text);
        }
    }
}
