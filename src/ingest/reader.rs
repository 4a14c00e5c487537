//! Reading a CSV input: the header and then one reused record per row,
//! delimiter detected, every cell problem reported with file, line and
//! column. The bytes are decoded first (see [`super::decode`]); what a row
//! means is for [`super::columns`].

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use csv::ByteRecord;
use encoding_rs::{Encoding, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::decode::{
    LineEnds, MAX_ROW, SNIFF_BYTES, TooLong, Utf8OrWindows1252, detect_encoding, memchr_count,
    sniff_delimiter,
};
use super::input::{Input, Origin, Range, Source};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// The most columns a file may have (FastBridge's widest export has 1,336).
pub(crate) const MAX_COLUMNS: usize = 16_384;

impl Input {
    /// Open as CSV: detect the encoding (or use the one chosen) and decode
    /// to UTF-8, skip a byte-order mark, detect the delimiter from the header
    /// line, and read the header.
    pub fn csv(&self) -> Result<CsvFile> {
        self.csv_until(u64::MAX)
    }

    /// [`Input::csv`], reading no further than byte `end` (the end of the
    /// file's first range).
    pub fn csv_until(&self, end: u64) -> Result<CsvFile> {
        let mut raw = self.open(true)?.take(end);
        // Grown as read: a capacity set ahead would be zeroed on every open,
        // however small the file.
        let mut sample = Vec::new();
        (&mut raw)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut sample)
            .map_err(|e| Error::io("read", &self.name, e))?;
        let encoding = self.encoding.unwrap_or_else(|| detect_encoding(&sample));
        let raw = Cursor::new(sample).chain(raw);
        let mut foreign = None;
        let mut reader: Box<dyn Read + Send> = if encoding == UTF_8 && self.encoding.is_none() {
            // Detected from the first 64 KiB only: a Windows-1252 byte
            // further on is read as such.
            let decoder = Utf8OrWindows1252::new(raw);
            foreign = Some((Arc::clone(&decoder.foreign), 0));
            Box::new(decoder)
        } else if encoding == UTF_8 {
            Box::new(raw)
        } else {
            Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(raw),
            )
        };
        let mut head = Vec::with_capacity(4096);
        // Enough of the file to hold the header line.
        let mut chunk = [0u8; 8192];
        while !head.contains(&b'\n') && head.len() < (1 << 20) {
            let n = reader
                .read(&mut chunk)
                .map_err(|e| Error::io("read", &self.name, e))?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&chunk[..n]);
        }
        let start = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        head.drain(..start);
        let delimiter = sniff_delimiter(&head);
        let stream = LineEnds::new(Cursor::new(head).chain(reader), delimiter);
        let row_end = Arc::clone(&stream.ends_on_row_end);
        let stream: Box<dyn Read + Send> = Box::new(stream);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            // Rows with too few or too many fields are reported by
            // `ColumnMap::load`, so that `--lenient` can set them aside.
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(stream);
        let mut record = ByteRecord::new();
        let has_header = csv
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&self.name, &e, 1))?;
        if !has_header || record.iter().all(|f| f.trim_ascii().is_empty()) {
            return Err(Error::problem(
                Diagnostic::error(Code::EmptyFile, format!("`{}` is empty", self.name))
                    .at(Location::file(&self.name))
                    .help("export the results with a header row and one row per student"),
            ));
        }
        if record.len() > MAX_COLUMNS {
            return Err(Error::problem(
                Diagnostic::error(
                    Code::TooManyColumns,
                    format!(
                        "`{}` has {} columns; tierplan reads at most {MAX_COLUMNS}",
                        self.name,
                        record.len()
                    ),
                )
                .at(Location::line(&self.name, 1))
                .help("is the delimiter right? a file of results has a column per field and skill"),
            ));
        }
        let header = record
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        Ok(CsvFile {
            name: self.name.clone(),
            reader: csv,
            header,
            record,
            rows: 0,
            line: 1,
            encoding,
            delimiter,
            origin: self.origin.clone(),
            base_line: 0,
            foreign,
            row_end,
        })
    }

    /// The rows of `range` (not the first range): the file from `range.start`,
    /// read with the header and delimiter of the file's first range.
    pub fn csv_range(&self, range: Range, layout: &Layout) -> Result<CsvFile> {
        let Source::File(path) = &self.source else {
            return self.csv();
        };
        let mut file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        file.seek(SeekFrom::Start(range.start))
            .map_err(|e| Error::io("read", path, e))?;
        let raw = self
            .counted(BufReader::with_capacity(1 << 16, file))
            .take(range.end.saturating_sub(range.start));
        let mut foreign = None;
        let reader: Box<dyn Read + Send> = if self.encoding.is_none() {
            let decoder = Utf8OrWindows1252::new(raw);
            foreign = Some((Arc::clone(&decoder.foreign), range.start));
            Box::new(decoder)
        } else {
            Box::new(raw)
        };
        let stream = LineEnds::new(reader, layout.delimiter);
        let row_end = Arc::clone(&stream.ends_on_row_end);
        let csv = csv::ReaderBuilder::new()
            .delimiter(layout.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(Box::new(stream) as Box<dyn Read + Send>);
        Ok(CsvFile {
            name: self.name.clone(),
            reader: csv,
            header: layout.header.clone(),
            record: ByteRecord::new(),
            rows: 0,
            line: range.first_line,
            encoding: layout.encoding,
            delimiter: layout.delimiter,
            origin: None,
            base_line: range.first_line.saturating_sub(1),
            foreign,
            row_end,
        })
    }
}

/// What reading a part of a file needs from its first part.
#[derive(Debug, Clone)]
pub struct Layout {
    pub header: Vec<String>,
    pub delimiter: u8,
    pub encoding: &'static Encoding,
}

impl CsvFile {
    pub fn layout(&self) -> Layout {
        Layout {
            header: self.header.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding,
        }
    }
}

/// An open CSV file positioned after its header.
pub struct CsvFile {
    pub name: String,
    reader: csv::Reader<Box<dyn Read + Send>>,
    pub header: Vec<String>,
    /// The current row.
    pub record: ByteRecord,
    rows: u64,
    line: u64,
    /// The encoding the file was read in.
    pub encoding: &'static Encoding,
    pub delimiter: u8,
    pub origin: Option<Arc<Origin>>,
    /// Lines before this part of the file (0 for a whole file).
    base_line: u64,
    /// From a UTF-8 file's decoder: the offset of the first byte that is
    /// not UTF-8 (see [`Utf8OrWindows1252`]), and where in the file this
    /// reader started.
    foreign: Option<(Arc<AtomicU64>, u64)>,
    /// Set by the line-end reader once the input is read, when it ended on a
    /// newline that ends a row.
    row_end: Arc<AtomicBool>,
}

impl CsvFile {
    /// Read the next row into `self.record`; false at the end. An empty row
    /// count as none.
    pub fn read_row(&mut self) -> Result<bool> {
        loop {
            // Where the row starts, for a row too long to read to its end.
            let before = self.reader.position().line();
            let start = self.base_line + before;
            let result = self.reader.read_byte_record(&mut self.record);
            // The csv crate gives the position where it started looking for
            // the row, before any blank lines; count back from the row's end
            // too: every row ends with a newline (see `LineEnds`), except one
            // whose quote is never closed, which the start places. The record
            // holds the row's fields even when it has too few or too many.
            // A row of one line (nearly all) is on the line it started on.
            let after = self.reader.position().line();
            self.line = self.base_line
                + if after == before + 1 {
                    before
                } else {
                    let inside = memchr_count(self.record.as_slice());
                    let from_end = after.saturating_sub(1 + inside);
                    let from_start = self.record.position().map_or(0, csv::Position::line);
                    from_end.max(from_start)
                };
            if !result.map_err(|e| csv_error(&self.name, &e, start))? {
                return Ok(false);
            }
            if self.record.len() == 1 && self.record[0].trim_ascii().is_empty() {
                continue;
            }
            self.rows += 1;
            return Ok(true);
        }
    }

    /// The line of the current row in the file (1-based).
    pub fn line(&self) -> u64 {
        match &self.origin {
            Some(origin) => origin
                .lines
                .get(
                    usize::try_from(self.rows)
                        .unwrap_or(usize::MAX)
                        .wrapping_sub(1),
                )
                .copied()
                .unwrap_or(self.line),
            None => self.line,
        }
    }

    /// Leading columns that are fields, never skills (in a built table).
    pub fn fixed_columns(&self) -> usize {
        self.origin.as_ref().map_or(0, |o| o.fields)
    }

    /// Bytes read so far by this reader (from where its part starts).
    pub fn bytes(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Rows read so far, not counting the header.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Where, in bytes from the start of the file, the first byte read so
    /// far that is not UTF-8 was (read as Windows-1252).
    pub fn first_foreign_byte(&self) -> Option<u64> {
        let (offset, start) = self.foreign.as_ref()?;
        let offset = offset.load(Ordering::Relaxed);
        (offset != u64::MAX).then(|| start + offset)
    }

    /// The lines read so far (the header's too, in a file's first range):
    /// once every row is read, where the next range's lines start.
    pub fn lines_read(&self) -> u64 {
        self.reader.position().line() - 1
    }

    /// Once every row is read: whether the input ended on a newline that
    /// ends a row, outside any quoted field. A range cut by
    /// [`Input::ranges`] that does not was cut inside a field.
    pub fn ends_on_row_end(&self) -> bool {
        self.row_end.load(Ordering::Relaxed)
    }
}

fn csv_error(file: &str, e: &csv::Error, line: u64) -> Error {
    let d = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Diagnostic::error(
            Code::RaggedRow,
            format!("this row has {len} fields, and the header has {expected_len}"),
        )
        .at(Location::line(file, line))
        .help("check for a missing or extra delimiter, or a quote that is not closed"),
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<TooLong>()) => {
            Diagnostic::error(
                Code::RowTooLong,
                format!(
                    "a row is longer than {} MiB, the longest tierplan reads",
                    MAX_ROW >> 20
                ),
            )
            .at(Location::line(file, line))
            .help("a row of results is short; is this a CSV file, and is every quote closed?")
        }
        csv::ErrorKind::Io(io) => {
            return Error::io("read", file, io::Error::new(io.kind(), io.to_string()));
        }
        _ => Diagnostic::error(Code::BadCsv, e.to_string()).at(Location::file(file)),
    };
    Error::problem(d)
}
