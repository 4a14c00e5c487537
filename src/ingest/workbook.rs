//! Spreadsheets given as data: `.xlsx`, `.xlsm`, `.xls` and `.ods` workbooks
//! (found by their first bytes, whatever their names), read with calamine.
//!
//! One sheet is read into the CSV that saving it from the spreadsheet would
//! give, and from there on it is a CSV file like any other: the same
//! profiles, the same rules, the same plan. Cells are written as the
//! teacher typed them: a number as its value (to the 15 digits a
//! spreadsheet keeps), a cell formatted as a percentage as `85%` (never as
//! the 0.85 it holds, which a score column would read as 0.85 %), a date as
//! `2026-10-04`, a formula as the value it last showed, an error cell as
//! its text (`#DIV/0!`, which the score reader then refuses with its cell).
//! Title rows above the header are skipped: the header is the first row
//! that fills at least half the widest row (two cells at least), as in a
//! Kahoot! report, whose header is on row 3. A cell merged down several
//! rows (a section typed once beside its students) gives its value to each.
//!
//! Messages name the sheet, the row and the column as the spreadsheet
//! shows them (`quiz.xlsx, sheet `Scores`, row 5, column C (cell C5)`):
//! the sheet is registered with [`crate::diagnostic::register_sheet`].
//!
//! `.xls` and `.ods` files carry no number formats through calamine, so a
//! percentage cannot be told from a fraction there: a sheet of those with a
//! number strictly between 0 and 1 is refused, with the advice to save it
//! as `.xlsx` or CSV, rather than read 85 % as 0.85 %.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::sync::Arc;

use calamine::{Data, Dimensions, Range, Reader, Sheets, StyleRange};
use encoding_rs::UTF_8;

use super::input::{Input, Origin, Source};
use crate::diagnostic::{Code, Diagnostic, Location, column_letters, did_you_mean, register_sheet};
use crate::error::{Error, Result};
use crate::ingest::only::some_of;

/// A workbook's format, from its first bytes and, in a zip, its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Office Open XML: `.xlsx`, `.xlsm` (a zip holding `xl/workbook.xml`).
    Xlsx,
    /// Excel 97-2003 (an OLE2 compound file).
    Xls,
    /// OpenDocument (a zip whose `mimetype` says spreadsheet).
    Ods,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Xlsx => "an Excel workbook (.xlsx)",
            Kind::Xls => "an Excel 97-2003 workbook (.xls)",
            Kind::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }

    /// Whether calamine gives the cells' number formats (to tell 85 % from
    /// 0.85).
    fn has_formats(self) -> bool {
        self == Kind::Xlsx
    }
}

/// The first bytes of an OLE2 compound file (`.xls`, but also `.doc`).
pub(crate) const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The workbook format of a zip holding these files, if it is one.
pub(crate) fn kind_of_zip(names: &[String], mimetype: Option<&str>) -> Option<Kind> {
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("xl/workbook.xml"))
    {
        return Some(Kind::Xlsx);
    }
    mimetype
        .is_some_and(|m| m.trim() == "application/vnd.oasis.opendocument.spreadsheet")
        .then_some(Kind::Ods)
}

/// Which sheet of a workbook was read, and where its header is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRead {
    pub sheet: String,
    /// The sheet's row (1-based) of the header; rows above it are titles.
    pub header_row: u64,
}

/// One sheet of the workbook `input` as a CSV input: the sheet named
/// `wanted` (`--sheet`), else the first sheet a profile names (`preferred`,
/// e.g. a Kahoot! report's `Final Scores`), else the first sheet.
pub(crate) fn read(
    input: &Input,
    kind: Kind,
    wanted: Option<&str>,
    preferred: &[&str],
) -> Result<(Input, SheetRead)> {
    let name = &input.name;
    let fail = |e: calamine::Error| unreadable(name, kind, &e);
    let take = || match &input.source {
        Source::File(path) => {
            let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
            let mut book = open(BufReader::new(file), kind).map_err(fail)?;
            Sheet::take(&mut book, name, kind, wanted, preferred)
        }
        Source::Memory(bytes) => {
            let mut book = open(Cursor::new(&bytes[..]), kind).map_err(fail)?;
            Sheet::take(&mut book, name, kind, wanted, preferred)
        }
        // A table tierplan built is CSV: never a workbook.
        Source::Table(_) => Err(Error::usage("a table tierplan built is not a workbook")),
    };
    let sheet = quietly(take).unwrap_or_else(|why| Err(reader_failed(name, kind, &why)))?;
    sheet.into_input(input)
}

/// `f`, with a panic in it (the reader's, on a damaged file: calamine
/// asserts rather than fails on some) caught and its message returned,
/// printed nowhere: the caller turns it into an error naming the file. The
/// panic hook is silenced only while `f` runs, on the one thread that
/// reads inputs before any other starts.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

fn reader_failed(name: &str, kind: Kind, why: &str) -> Error {
    let why = crate::condition::one_line(why);
    Error::problem(
        Diagnostic::error(
            Code::BadWorkbook,
            format!(
                "`{name}` looks like {}, and the spreadsheet reader failed on it ({})",
                kind.label(),
                crate::diagnostic::clip(&why)
            ),
        )
        .at(Location::file(name))
        .help("it may be damaged: open it in its spreadsheet program and save it as .xlsx or CSV, and give that file"),
    )
}

fn open<R: Read + Seek>(reader: R, kind: Kind) -> std::result::Result<Sheets<R>, calamine::Error> {
    use calamine::Error as E;
    Ok(match kind {
        Kind::Xlsx => Sheets::Xlsx(calamine::Xlsx::new(reader).map_err(E::Xlsx)?),
        Kind::Xls => Sheets::Xls(calamine::Xls::new(reader).map_err(E::Xls)?),
        Kind::Ods => Sheets::Ods(calamine::Ods::new(reader).map_err(E::Ods)?),
    })
}

fn unreadable(name: &str, kind: Kind, e: &calamine::Error) -> Error {
    let (what, help) = if kind == Kind::Xls {
        (
            "an Office 97-2003 file, but not a workbook tierplan can read",
            "open it in Excel and save it as .xlsx or CSV (File > Save As), and give that file",
        )
    } else {
        (
            kind.label(),
            "open it in its spreadsheet program and save it again (or as CSV); it may be damaged or cut short",
        )
    };
    Error::problem(
        Diagnostic::error(
            Code::BadWorkbook,
            format!("`{name}` looks like {what}, and it cannot be read: {e}"),
        )
        .at(Location::file(name))
        .help(help),
    )
}

/// One sheet's cells, read.
struct Sheet {
    name: String,
    cells: Range<Data>,
    styles: StyleRange,
    kind: Kind,
}

impl Sheet {
    fn take<R: Read + Seek>(
        book: &mut Sheets<R>,
        file: &str,
        kind: Kind,
        wanted: Option<&str>,
        preferred: &[&str],
    ) -> Result<Sheet> {
        let names = book.sheet_names();
        let find = |want: &str| {
            names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(want.trim()))
        };
        let chosen = match wanted {
            Some(want) => find(want).ok_or_else(|| no_such_sheet(file, want, &names))?,
            None => preferred
                .iter()
                .find_map(|p| find(p))
                .or_else(|| names.first())
                .ok_or_else(|| {
                    Error::problem(
                        Diagnostic::error(Code::EmptyFile, format!("`{file}` has no sheets"))
                            .at(Location::file(file))
                            .help("give a workbook with the results on a sheet, or their CSV"),
                    )
                })?,
        }
        .clone();
        let cells = book
            .worksheet_range(&chosen)
            .map_err(|e| unreadable(file, kind, &e))?;
        let styles = if kind.has_formats() {
            book.worksheet_style(&chosen)
                .map_err(|e| unreadable(file, kind, &e))?
        } else {
            StyleRange::empty()
        };
        let merged = match book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&chosen).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&chosen).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut sheet = Sheet {
            name: chosen,
            cells,
            styles,
            kind,
        };
        sheet.fill_merged_down(&merged);
        Ok(sheet)
    }

    /// Give a cell merged down several rows its value in each of them.
    fn fill_merged_down(&mut self, merged: &[Dimensions]) {
        for region in merged {
            let (top, left) = region.start;
            let (bottom, right) = region.end;
            if bottom == top {
                continue;
            }
            let Some(value) = self.cells.get_value((top, left)).cloned() else {
                continue;
            };
            for row in top + 1..=bottom {
                for column in left..=right {
                    if self
                        .cells
                        .get_value((row, column))
                        .is_some_and(|c| *c == Data::Empty)
                    {
                        self.cells.set_value((row, column), value.clone());
                    }
                }
            }
        }
    }

    /// The sheet as CSV text in memory, the header first, with the sheet's
    /// row of every data row.
    fn into_input(self, input: &Input) -> Result<(Input, SheetRead)> {
        let file = &input.name;
        let Some((first_row, first_column)) = self.cells.start() else {
            return Err(Error::problem(
                Diagnostic::error(
                    Code::EmptyFile,
                    format!("sheet `{}` of `{file}` is empty", self.name),
                )
                .at(Location::file(file))
                .help("choose the sheet with the results with `--sheet NAME`"),
            ));
        };
        let rows: Vec<&[Data]> = self.cells.rows().collect();
        let header = header_row(&rows);
        let mut bytes = Vec::new();
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut bytes);
        let mut lines = Vec::new();
        let mut record: Vec<String> = Vec::new();
        for (r, row) in rows.iter().enumerate().skip(header) {
            let at = first_row + r as u32;
            record.clear();
            // Column A first, so that the CSV's columns are the sheet's.
            record.resize(first_column as usize, String::new());
            for (c, cell) in row.iter().enumerate() {
                let text = self.text(cell, (at, first_column + c as u32), file)?;
                record.push(text);
            }
            if r > header && record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            writer
                .write_record(&record)
                .map_err(|e| Error::io("write", file, e.into()))?;
            if r > header {
                lines.push(u64::from(at) + 1);
            }
        }
        writer.flush().map_err(|e| Error::io("write", file, e))?;
        drop(writer);
        let header_row = u64::from(first_row) + header as u64 + 1;
        register_sheet(file, &self.name, header_row);
        let mut sheet = Input::memory(file, bytes);
        sheet.encoding = Some(UTF_8);
        sheet.protect = input.path().map(std::path::Path::to_owned);
        sheet.origin = Some(Arc::new(Origin {
            lines,
            ..Origin::default()
        }));
        let read = SheetRead {
            sheet: self.name,
            header_row,
        };
        Ok((sheet, read))
    }

    /// A cell as the CSV saved from the spreadsheet would have it.
    fn text(&self, cell: &Data, at: (u32, u32), file: &str) -> Result<String> {
        Ok(match cell {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if self.is_percent(at) => format!("{}%", digits(f * 100.0)),
            Data::Float(f) => {
                if !self.kind.has_formats() && *f > 0.0 && *f < 1.0 {
                    return Err(fraction_unknown(file, &self.name, self.kind, at));
                }
                digits(*f)
            }
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Data::DateTime(d) if d.is_duration() => digits(d.as_f64()),
            Data::DateTime(d) => {
                let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
                if (h, mi, s) == (0, 0, 0) {
                    format!("{y:04}-{mo:02}-{day:02}")
                } else {
                    format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
                }
            }
            Data::Error(e) => e.to_string(),
        })
    }

    /// Whether the cell at `at` is formatted as a percentage (a `%` in its
    /// number format, outside quotes).
    fn is_percent(&self, at: (u32, u32)) -> bool {
        let Some(format) = self.styles.get(at).and_then(|s| s.number_format.as_ref()) else {
            return false;
        };
        let mut quoted = false;
        let mut escaped = false;
        for c in format.format_code.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                '%' if !quoted => return true,
                _ => {}
            }
        }
        false
    }
}

/// The header's index among `rows`: the first row filling at least half
/// the widest of the first 50 rows, and two cells at least; title rows
/// (a quiz's name, the date it was played) come before it.
fn header_row(rows: &[&[Data]]) -> usize {
    let filled = |row: &[Data]| row.iter().filter(|c| !is_blank(c)).count();
    let widest = rows.iter().take(50).map(|r| filled(r)).max().unwrap_or(0);
    let need = widest.div_ceil(2).max(2).min(widest);
    rows.iter().position(|r| filled(r) >= need).unwrap_or(0)
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A number to 15 significant digits, as a spreadsheet keeps and shows it
/// (`0.1 + 0.2` is `0.3`, `0.85 * 100` is `85`).
fn digits(value: f64) -> String {
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    crate::condition::format_number(rounded)
}

fn no_such_sheet(file: &str, want: &str, names: &[String]) -> Error {
    let hint = did_you_mean(want, names.iter().map(String::as_str))
        .map(|s| format!("{s} "))
        .unwrap_or_default();
    Error::problem(
        Diagnostic::error(Code::NoSuchSheet, format!("`{file}` has no sheet `{want}`"))
            .at(Location::file(file))
            .help(format!("{hint}its sheets are {}", some_of(names, 12))),
    )
}

fn fraction_unknown(file: &str, sheet: &str, kind: Kind, (row, column): (u32, u32)) -> Error {
    let cell = format!("{}{}", column_letters(u64::from(column)), row + 1);
    Error::problem(
        Diagnostic::error(
            Code::FormatUnknown,
            format!(
                "cell {cell} of sheet `{sheet}` holds a number between 0 and 1, and in {} tierplan cannot see whether it is shown as a percentage (85 % is stored as 0.85)",
                kind.label()
            ),
        )
        .at(Location::file(file))
        .help("save the workbook as .xlsx (File > Save As > Excel Workbook) or as CSV, and give that file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_fifteen_digits() {
        assert_eq!(digits(0.1 + 0.2), "0.3");
        assert_eq!(digits(0.85 * 100.0), "85");
        assert_eq!(digits(85.5), "85.5");
        assert_eq!(digits(7.0), "7");
        assert_eq!(digits(-3.25), "-3.25");
    }

    #[test]
    fn the_header_is_the_first_row_filling_half_the_widest() {
        let title = [
            Data::String("Fractions quiz".into()),
            Data::Empty,
            Data::Empty,
        ];
        let blank = [Data::Empty, Data::Empty, Data::Empty];
        let header = [
            Data::String("Rank".into()),
            Data::String("Player".into()),
            Data::String("Score".into()),
        ];
        let row = [Data::Int(1), Data::String("ann".into()), Data::Int(900)];
        assert_eq!(header_row(&[&title, &blank, &header, &row]), 2);
        assert_eq!(header_row(&[&header, &row]), 0);
        // One column: its first row.
        let one = [Data::String("id".into())];
        assert_eq!(header_row(&[&one, &one]), 0);
    }
}
