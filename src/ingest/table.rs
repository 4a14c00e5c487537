//! A table tierplan builds in memory from a file that is not one row per
//! student with a column per skill: a vendor export, long rows, item
//! responses, a roster bundle. Every builder ends here; the table then reads
//! like any CSV, and its [`Origin`] keeps messages pointing at the user's
//! file, line and column.
//!
//! [`StudentTable`] is the common form of every reshaped source (a profile,
//! item responses, a OneRoster bundle). It holds only the cells that were
//! set, their text in one buffer (a [`Cells`] store, `cells.rs`), never a dense grid:
//! a bundle of 20,000 students whose classes have 10 line items each has
//! 8,000 skill columns but only 200,000 scores, and memory follows the
//! scores (issue 12). [`StudentTable::column`] refuses a column past
//! [`MAX_COLUMNS`] before anything is allocated for it.
//!
//! [`StudentTable::into_input`] hands the table to the engine as an input
//! that reads like a CSV file: the rows are written out as CSV one at a
//! time, as the reader asks for them (see [`super::cells::Rendered`]), so the engine
//! reads every source through the one CSV reader (`reader.rs`) and the
//! wide CSV is never held whole.

use std::sync::Arc;

use super::cells::Cells;
use super::input::{Input, Origin};
use super::reader::MAX_COLUMNS;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// A wide table: one row per student, fields first, then skills.
#[derive(Debug, Clone, Default)]
pub(crate) struct StudentTable {
    /// The file it was built from, as messages name it.
    pub file: String,
    /// Its path, so that `-o` never overwrites it.
    pub path: Option<std::path::PathBuf>,
    /// The profile that read it, for `check`.
    pub profile: Option<String>,
    /// Each field and the column(s) it was read from, for `check`.
    pub recognised: Vec<(String, String)>,
    /// Columns nothing read, for `check`.
    pub ignored: Vec<String>,
    /// How many leading columns are fields; the rest are skills.
    pub fields: usize,
    /// Numbers in its cells are written with a decimal comma (`85,5`), as
    /// in the `;`-separated file it was built from.
    pub decimal_comma: bool,
    pub header: Vec<String>,
    /// The source column (1-based) and header of each column, when one
    /// column gave it.
    pub sources: Vec<Option<(usize, String)>>,
    /// The source line of each row (its first line, for rows built from
    /// several).
    pub lines: Vec<u64>,
    /// The cells that were set.
    pub(super) cells: Cells,
    /// What building it noticed: rows left out, values not understood.
    pub notes: Vec<Diagnostic>,
}

impl StudentTable {
    /// Add a column; returns its index. A column past [`MAX_COLUMNS`] is
    /// refused: the reader would refuse the table anyway, and refusing it
    /// here stops before the rest of it is built.
    pub(crate) fn column(
        &mut self,
        header: &str,
        source: Option<(usize, String)>,
    ) -> Result<usize> {
        if self.header.len() >= MAX_COLUMNS {
            return Err(Error::problem(
                Diagnostic::error(
                    Code::TooManyColumns,
                    format!(
                        "`{}` makes a table of more than {MAX_COLUMNS} columns, a column per field and skill; tierplan reads at most {MAX_COLUMNS}",
                        self.file
                    ),
                )
                .at(Location::file(&self.file))
                .help("plan a part of it at a time (`--only section=NAME`), or with fewer skills"),
            ));
        }
        self.header.push(header.to_owned());
        self.sources.push(source);
        Ok(self.header.len() - 1)
    }

    /// An error unless `more` columns, one per `what` (plural: `line
    /// items`; `more` is past the limit when it fails), fit beside the ones
    /// the table has: checked before they are built. `help` says what to
    /// do instead.
    pub(crate) fn room_for(&self, more: usize, what: &str, help: &str) -> Result<()> {
        let total = self.header.len().saturating_add(more);
        if total <= MAX_COLUMNS {
            return Ok(());
        }
        Err(Error::problem(
            Diagnostic::error(
                Code::TooManyColumns,
                format!(
                    "`{}` has {more} {what}, a column each: with its {} other columns, {total} \
                     columns; tierplan reads at most {MAX_COLUMNS}",
                    self.file,
                    self.header.len()
                ),
            )
            .at(Location::file(&self.file))
            .help(help),
        ))
    }

    /// Add a row whose first cells are `cells`; returns its index.
    pub(crate) fn push_row<S: AsRef<str>>(
        &mut self,
        cells: impl IntoIterator<Item = S>,
        line: u64,
    ) -> usize {
        let row = self.lines.len();
        self.lines.push(line);
        for (column, cell) in cells.into_iter().enumerate() {
            let cell = cell.as_ref();
            if !cell.is_empty() {
                self.cells.push(row, column, cell);
            }
        }
        row
    }

    /// Set the cell of `row` under `column` (the last value set wins; an
    /// empty value clears it).
    pub(crate) fn set(&mut self, row: usize, column: usize, value: &str) {
        self.cells.push(row, column, value);
    }

    /// How many rows it has.
    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }

    /// The cell of `row` under `column`, as it reads now; slow (every cell
    /// set is looked at): for tests.
    #[cfg(test)]
    pub(crate) fn cell(&self, row: usize, column: usize) -> &str {
        self.cells.get(row, column)
    }

    /// Every cell of `row`, as it reads now; for tests.
    #[cfg(test)]
    pub(crate) fn row(&self, row: usize) -> Vec<String> {
        (0..self.header.len())
            .map(|c| self.cell(row, c).to_owned())
            .collect()
    }

    /// The table as an input the reader takes like any CSV file.
    pub(crate) fn into_input(self) -> Input {
        let rows = self.lines.len();
        let table = Arc::new(self.cells.into_written(self.header, rows));
        let mut input = Input::table(&self.file, table);
        input.protect = self.path;
        input.origin = Some(Arc::new(Origin {
            lines: self.lines,
            columns: self.sources,
            fields: self.fields,
            decimal_comma: self.decimal_comma,
        }));
        input
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// The table written whole, as `into_input` wrote it before issue 12.
    fn dense(table: &StudentTable) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut w = csv::Writer::from_writer(&mut bytes);
        w.write_record(&table.header).unwrap();
        for r in 0..table.len() {
            w.write_record(table.row(r)).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        bytes
    }

    #[test]
    fn writes_what_the_dense_table_would() {
        let mut table = StudentTable::default();
        for h in ["id", "name", "A", "B \"quoted\"", "C"] {
            table.column(h, None).unwrap();
        }
        table.push_row(["1", "Ana, Lima"], 2);
        table.push_row(["2", ""], 3);
        table.push_row([""], 4);
        table.push_row(["4", "Dee\nPark"], 5);
        table.set(0, 4, "90");
        table.set(0, 2, "80");
        table.set(1, 3, "7");
        table.set(1, 3, "");
        table.set(3, 2, "1");
        table.set(3, 2, "2");
        let expected = dense(&table);
        assert_eq!(table.row(3), ["4", "Dee\nPark", "2", "", ""]);
        let input = table.into_input();
        let mut bytes = Vec::new();
        input.open(false).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        assert_eq!(input.origin.unwrap().lines, [2, 3, 4, 5]);
    }

    #[test]
    fn rows_without_quotes_are_written_as_csv_would() {
        for columns in 1..4 {
            let mut table = StudentTable::default();
            for c in 0..columns {
                table.column(&format!("c{c}"), None).unwrap();
            }
            // Every combination of set and unset cells, and one cell quoted.
            for mask in 0..(1 << columns) {
                let row = table.push_row(std::iter::empty::<&str>(), 2);
                for c in 0..columns {
                    if mask & (1 << c) != 0 {
                        table.set(row, c, &format!("{mask}.{c}"));
                    }
                }
            }
            let row = table.push_row([" a\r"], 9);
            table.set(row, columns - 1, "x\"y");
            let expected = dense(&table);
            let mut bytes = Vec::new();
            let input = table.into_input();
            input.open(false).unwrap().read_to_end(&mut bytes).unwrap();
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn a_column_past_the_limit_is_refused() {
        let mut table = StudentTable {
            file: "big.csv".into(),
            ..StudentTable::default()
        };
        for c in 0..MAX_COLUMNS {
            table.column(&c.to_string(), None).unwrap();
        }
        let Err(Error::Problems(ds)) = table.column("one more", None) else {
            panic!("a column past the limit");
        };
        assert_eq!(ds[0].code, Code::TooManyColumns);
        assert_eq!(table.header.len(), MAX_COLUMNS);
    }
}
