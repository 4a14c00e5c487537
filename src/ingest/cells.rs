//! The compact store of a built table's cells, and the table written out
//! as CSV a row at a time. A [`super::table::StudentTable`] keeps only the
//! cells that were set, their text in one buffer, never a dense grid of
//! every student and skill (issue 12); [`Written`] is that store sorted by
//! row and column, which the engine reads through [`Rendered`] as it reads
//! a CSV file, so the wide CSV is never held whole.

use std::io::{self, Read};
use std::sync::Arc;

/// One cell that was set: its row, column and text in [`Cells::text`].
#[derive(Debug, Clone, Copy)]
struct Cell {
    row: u32,
    column: u32,
    start: u64,
    len: u32,
}

/// The cells of a table that were set, in the order they were set; a cell
/// set twice keeps its last value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cells {
    text: String,
    cells: Vec<Cell>,
}

impl Cells {
    pub(super) fn push(&mut self, row: usize, column: usize, value: &str) {
        // Rows and columns are bounded (a table has fewer than 2^32 rows
        // and at most MAX_COLUMNS columns); a cell is shorter than a row,
        // which the reader bounds at 1 MiB.
        let (Ok(row), Ok(column), Ok(len)) = (
            u32::try_from(row),
            u32::try_from(column),
            u32::try_from(value.len()),
        ) else {
            unreachable!("a cell past the bounds of a table: report it as a bug");
        };
        self.cells.push(Cell {
            row,
            column,
            start: self.text.len() as u64,
            len,
        });
        self.text.push_str(value);
    }

    /// The cell of `row` under `column`, as it reads now; slow (every cell
    /// set is looked at): for tests.
    #[cfg(test)]
    pub(super) fn get(&self, row: usize, column: usize) -> &str {
        self.cells
            .iter()
            .rev()
            .find(|c| c.row as usize == row && c.column as usize == column)
            .map_or("", |c| self.text(c))
    }

    /// The table of `header` and `rows` rows, ready to be read.
    pub(super) fn into_written(self, header: Vec<String>, rows: usize) -> Written {
        Written {
            header,
            frozen: self.into_rows(rows),
        }
    }

    fn text(&self, cell: &Cell) -> &str {
        let start = usize::try_from(cell.start).unwrap_or(usize::MAX);
        &self.text[start..start + cell.len as usize]
    }

    /// Row by row, each row's cells by column, the last value of a cell set
    /// twice; empty cells are dropped (they read as unset).
    fn into_rows(mut self, rows: usize) -> Frozen {
        // A stable sort keeps the order cells were set among equal keys.
        self.cells.sort_by_key(|c| (c.row, c.column));
        let mut kept: Vec<Cell> = Vec::with_capacity(self.cells.len());
        for cell in self.cells {
            match kept.last_mut() {
                Some(last) if (last.row, last.column) == (cell.row, cell.column) => *last = cell,
                _ => kept.push(cell),
            }
        }
        kept.retain(|c| c.len > 0);
        kept.shrink_to_fit();
        let mut starts = Vec::with_capacity(rows + 1);
        let mut at = 0;
        for row in 0..=rows {
            while at < kept.len() && (kept[at].row as usize) < row {
                at += 1;
            }
            starts.push(at);
        }
        Frozen {
            cells: Cells {
                text: self.text,
                cells: kept,
            },
            starts,
        }
    }
}

/// A table's cells sorted by row and column, for writing out.
#[derive(Debug)]
struct Frozen {
    /// The cells that were set.
    pub(super) cells: Cells,
    /// Where each row's cells start in `cells.cells`; one more entry than
    /// rows.
    starts: Vec<usize>,
}

/// A table ready to be read: its header and its cells by row.
#[derive(Debug)]
pub(crate) struct Written {
    header: Vec<String>,
    frozen: Frozen,
}

impl Written {
    /// Its bytes as CSV, written a row at a time as they are read.
    pub(crate) fn reader(self: &Arc<Self>) -> Rendered {
        Rendered {
            table: Arc::clone(self),
            next: None,
            buf: Vec::new(),
            at: 0,
        }
    }

    fn rows(&self) -> usize {
        self.frozen.starts.len() - 1
    }

    /// Row `row` (`None`: the header) as CSV, appended to `out`: exactly
    /// what `csv::Writer` writes for the dense row. Most cells need no
    /// quotes, and most of a wide table's are empty: such a row is written
    /// directly, a comma per column, and the others by `csv::Writer`.
    fn write_row(&self, row: Option<usize>, out: &mut Vec<u8>) {
        if let Some(row) = row
            && self.header.len() > 1
        {
            let frozen = &self.frozen;
            let cells = &frozen.cells.cells[frozen.starts[row]..frozen.starts[row + 1]];
            let plain = |cell: &Cell| {
                !frozen
                    .cells
                    .text(cell)
                    .bytes()
                    .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
            };
            if cells.iter().all(plain) {
                // Before column c's cell, c commas: one after each column
                // before it.
                let mut column = 0;
                for cell in cells {
                    let c = cell.column as usize;
                    out.resize(out.len() + (c - column), b',');
                    out.extend_from_slice(frozen.cells.text(cell).as_bytes());
                    column = c;
                }
                out.resize(out.len() + (self.header.len() - 1 - column), b',');
                out.push(b'\n');
                return;
            }
        }
        let mut w = csv::Writer::from_writer(out);
        // Writing to memory cannot fail.
        match row {
            None => {
                let _ = w.write_record(&self.header);
            }
            Some(row) => {
                let frozen = &self.frozen;
                let cells = &frozen.cells.cells[frozen.starts[row]..frozen.starts[row + 1]];
                let mut cells = cells.iter().peekable();
                let fields = (0..self.header.len()).map(|column| {
                    match cells.next_if(|c| c.column as usize == column) {
                        Some(cell) => frozen.cells.text(cell).as_bytes(),
                        None => b"",
                    }
                });
                let _ = w.write_record(fields);
            }
        }
        let _ = w.flush();
    }
}

/// A [`Written`] table's CSV bytes, made a row at a time.
pub(crate) struct Rendered {
    table: Arc<Written>,
    /// The next row to write; `None` before the header.
    next: Option<usize>,
    /// The row being read, from `at` on.
    buf: Vec<u8>,
    at: usize,
}

impl Read for Rendered {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.buf.len() {
            let row = match self.next {
                None => None,
                Some(row) if row < self.table.rows() => Some(row),
                Some(_) => return Ok(0),
            };
            self.buf.clear();
            self.at = 0;
            self.table.write_row(row, &mut self.buf);
            self.next = Some(row.map_or(0, |r| r + 1));
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
