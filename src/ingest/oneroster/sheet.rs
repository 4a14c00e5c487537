//! One CSV file of a bundle read by column names: a thin layer over the
//! crate's one CSV reader ([`CsvFile`]) that finds columns by header name
//! (never by position), passes over blank rows and places errors at a cell.

use super::super::columns::normalize;
use crate::diagnostic::{Code, Diagnostic, Location, did_you_mean, list};
use crate::error::{Error, Result};
use crate::ingest::input::Input;
use crate::ingest::reader::CsvFile;

/// A CSV file of the bundle, read row by row.
pub(super) struct Sheet {
    pub(super) csv: CsvFile,
    pub(super) keys: Vec<String>,
}

impl Sheet {
    /// Open an input; `None` (and a note) when it is empty.
    pub(super) fn open(input: &Input, notes: &mut Vec<Diagnostic>) -> Result<Option<Sheet>> {
        match input.csv() {
            Ok(csv) => {
                let keys = csv.header.iter().map(|h| normalize(h)).collect();
                Ok(Some(Sheet { csv, keys }))
            }
            Err(Error::Problems(ds)) if ds.len() == 1 && ds[0].code == Code::EmptyFile => {
                notes.push(
                    Diagnostic::warning(Code::EmptyFile, format!("`{}` is empty", input.name))
                        .at(Location::file(&input.name)),
                );
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn name(&self) -> &str {
        &self.csv.name
    }

    /// The column headed `header` (ignoring case, spaces, `_` and `-`);
    /// an error when two columns are.
    pub(super) fn column(&self, header: &str) -> Result<Option<usize>> {
        let key = normalize(header);
        let mut found = self.keys.iter().enumerate().filter(|(_, k)| **k == key);
        let Some((first, _)) = found.next() else {
            return Ok(None);
        };
        if let Some((second, _)) = found.next() {
            let h = &self.csv.header[second];
            return Err(Error::problem(
                Diagnostic::error(
                    Code::DuplicateColumn,
                    format!(
                        "columns {} and {} of `{}` are both headed `{h}`",
                        first + 1,
                        second + 1,
                        self.name()
                    ),
                )
                .at(Location::cell(self.name(), 1, second + 1, h))
                .help("remove or rename one of them"),
            ));
        }
        Ok(Some(first))
    }

    /// The column headed `header`; an error when there is none.
    pub(super) fn need(&self, header: &str) -> Result<usize> {
        self.column(header)?.ok_or_else(|| {
            Error::problem(
                Diagnostic::error(
                    Code::MissingColumn,
                    format!("`{}` has no `{header}` column", self.name()),
                )
                .at(Location::line(self.name(), 1))
                .help(
                    did_you_mean(header, self.csv.header.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!(
                                "OneRoster 1.1 names its columns in the header row; this file's are {}",
                                list(&self.csv.header)
                            )
                        }),
                ),
            )
        })
    }

    /// Read the next row, passing over rows whose cells are all empty
    /// (what a spreadsheet leaves below the data).
    pub(super) fn next(&mut self) -> Result<bool> {
        while self.csv.read_row()? {
            if self.csv.record.iter().any(|c| !c.trim_ascii().is_empty()) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub(super) fn line(&self) -> u64 {
        self.csv.line()
    }

    /// A cell of the current row, trimmed; empty when the column is
    /// missing or the row short.
    pub(super) fn text(&self, column: Option<usize>) -> String {
        column
            .and_then(|c| self.csv.record.get(c))
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default()
    }

    /// Where a cell of the current row is.
    pub(super) fn at(&self, column: usize) -> Location {
        let header = self.csv.header.get(column).map_or("", String::as_str);
        Location::cell(self.name(), self.line(), column + 1, header)
    }

    /// Whether the current row is marked `tobedeleted`.
    pub(super) fn deleted(&self, status: Option<usize>) -> bool {
        self.text(status).eq_ignore_ascii_case("tobedeleted")
    }

    /// A note when the file had a header and no rows.
    pub(super) fn note_if_empty(&self, notes: &mut Vec<Diagnostic>) {
        if self.csv.rows() == 0 {
            notes.push(
                Diagnostic::warning(Code::EmptyFile, format!("`{}` has no rows", self.name()))
                    .at(Location::file(self.name())),
            );
        }
    }
}

/// An error at a cell.
pub(super) fn cell_error(
    sheet: &Sheet,
    column: usize,
    code: crate::diagnostic::Code,
    message: String,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(code, message)
        .at(sheet.at(column))
        .help(help)
}

/// Stop with the problems gathered, if any.
pub(super) fn stop_if(problems: Vec<Diagnostic>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Problems(problems))
    }
}
