//! A table tierplan builds in memory from a file that is not one row per
//! student with a column per skill: a vendor export, long rows, item
//! responses, a roster bundle. Every builder ends here; the table then reads
//! like any CSV, and its [`Origin`] keeps messages pointing at the user's
//! file, line and column.
//!
//! Tables are class- or school-sized exports, so holding one in memory is
//! fine; a plain wide CSV never comes through here and streams.
//!
//! [`StudentTable`] is the common form of every reshaped source (a profile,
//! item responses, a OneRoster bundle): [`StudentTable::into_input`] writes
//! it out as an in-memory CSV, so the engine reads every source through the
//! one CSV reader (`reader.rs`).

use std::sync::Arc;

use super::input::{Input, Origin};
use crate::diagnostic::Diagnostic;

/// A student's row in a built table.
#[derive(Debug, Clone)]
pub(crate) struct StudentRow {
    pub cells: Vec<String>,
    /// The source line the row came from (its first line, for rows built
    /// from several).
    pub line: u64,
}

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
    pub rows: Vec<StudentRow>,
    /// What building it noticed: rows left out, values not understood.
    pub notes: Vec<Diagnostic>,
}

impl StudentTable {
    /// Add a column; returns its index.
    pub(crate) fn column(&mut self, header: &str, source: Option<(usize, String)>) -> usize {
        self.header.push(header.to_owned());
        self.sources.push(source);
        for row in &mut self.rows {
            row.cells.push(String::new());
        }
        self.header.len() - 1
    }

    /// The table as an input the reader takes like any CSV file.
    pub(crate) fn into_input(self) -> Input {
        let mut bytes = Vec::new();
        {
            let mut w = csv::Writer::from_writer(&mut bytes);
            // Writing to memory cannot fail.
            let _ = w.write_record(&self.header);
            for row in &self.rows {
                let _ = w.write_record(&row.cells);
            }
            let _ = w.flush();
        }
        let mut input = Input::memory(&self.file, bytes);
        input.protect = self.path;
        input.origin = Some(Arc::new(Origin {
            lines: self.rows.iter().map(|r| r.line).collect(),
            columns: self.sources,
            fields: self.fields,
            decimal_comma: self.decimal_comma,
        }));
        input
    }
}
