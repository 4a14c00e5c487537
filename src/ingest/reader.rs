//! Reading result files: one reused record per row, delimiter detected,
//! every cell problem reported with file, line and column.
//!
//! A file (or standard input, named `-`) is read twice: once for the
//! section-level numbers, once to decide each student. Files are simply
//! reopened; standard input is held in memory, since it cannot be rewound
//! and tierplan never writes student data to a temporary file.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use csv::ByteRecord;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::columns::ColumnMap;
use super::quoting::Quoting;
use super::score::{cell_number, parse_score};
use crate::diagnostic::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::rules::Scale;

/// The most standard input is read: it is kept in memory for both passes,
/// while a file is read from disk twice and may be of any size.
pub const MAX_STDIN_BYTES: u64 = 4 << 30;

/// Read standard input (`reader`) whole when it holds at most `limit` bytes,
/// reading no more than one byte past the limit, and refuse it past it.
fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", "<stdin>", e))?;
    if bytes.len() as u64 > limit {
        let shown = if limit.is_multiple_of(1 << 30) {
            format!("{} GiB", limit >> 30)
        } else {
            format!("{limit} bytes")
        };
        return Err(Error::problem(
            Diagnostic::error(
                "stdin-too-large",
                format!("standard input is larger than {shown}, the limit for standard input"),
            )
            .at(Location::file("<stdin>"))
            .help("standard input is kept in memory; pass the data as a file instead: `tierplan plan FILE`"),
        ));
    }
    Ok(bytes)
}

/// One data source on the command line.
#[derive(Debug, Clone)]
pub struct Input {
    /// As the user named it; `<stdin>` for `-`.
    pub name: String,
    source: Source,
    /// The text encoding, when the user chose one; detected otherwise.
    pub encoding: Option<&'static Encoding>,
    /// For a table tierplan built from another file (a vendor export, long
    /// rows, a roster bundle): where each row and column came from, so that
    /// messages name the user's file, line and column.
    pub origin: Option<Arc<Origin>>,
    /// The file a built table came from, which output must not overwrite.
    pub protect: Option<PathBuf>,
    /// Counts the bytes read, for the progress line.
    pub counter: Option<crate::meter::Counter>,
}

/// Where the rows and columns of a built table came from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The source line of each data row.
    pub lines: Vec<u64>,
    /// The source column (1-based) and header of each column, when one
    /// column gave it.
    pub columns: Vec<Option<(usize, String)>>,
    /// How many leading columns are fields (never skills).
    pub fields: usize,
    /// Numbers are written with a decimal comma.
    pub decimal_comma: bool,
}

#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Memory(Arc<[u8]>),
}

impl Input {
    pub fn file(path: PathBuf) -> Self {
        Input {
            name: path.display().to_string(),
            source: Source::File(path),
            encoding: None,
            origin: None,
            protect: None,
            counter: None,
        }
    }

    /// Standard input, read now and kept for both passes, up to
    /// [`MAX_STDIN_BYTES`].
    pub fn stdin() -> Result<Self> {
        let bytes = read_bounded(io::stdin().lock(), MAX_STDIN_BYTES)?;
        Ok(Self::memory("<stdin>", bytes))
    }

    pub fn memory(name: &str, bytes: Vec<u8>) -> Self {
        Input {
            name: name.to_owned(),
            source: Source::Memory(bytes.into()),
            encoding: None,
            origin: None,
            protect: None,
            counter: None,
        }
    }

    /// `reader`, counted when a progress line is drawn.
    fn counted<R: Read + Send + 'static>(&self, reader: R) -> Box<dyn Read + Send> {
        match &self.counter {
            Some(counter) => Box::new(crate::meter::Counted {
                inner: reader,
                counter: counter.clone(),
            }),
            None => Box::new(reader),
        }
    }

    /// The line (1-based) that the byte at `offset` is on.
    pub fn line_at(&self, offset: u64) -> Result<u64> {
        let mut before = self.open(false)?.take(offset);
        let mut buf = vec![0u8; 1 << 16];
        let mut line = 1;
        loop {
            let n = before
                .read(&mut buf)
                .map_err(|e| Error::io("read", &self.name, e))?;
            if n == 0 {
                return Ok(line);
            }
            line += memchr_count(&buf[..n]);
        }
    }

    /// The file's size in bytes, when it is a file.
    pub fn size(&self) -> u64 {
        match &self.source {
            Source::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            Source::Memory(bytes) => bytes.len() as u64,
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Memory(_) => self.protect.as_deref(),
        }
    }

    /// The input's bytes; with `count`, a file's are added to the progress
    /// line as they are read.
    fn open(&self, count: bool) -> Result<Box<dyn Read + Send>> {
        Ok(match &self.source {
            Source::File(path) => {
                let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
                let file = BufReader::with_capacity(1 << 16, file);
                if count {
                    self.counted(file)
                } else {
                    Box::new(file)
                }
            }
            Source::Memory(bytes) => Box::new(Cursor::new(Arc::clone(bytes))),
        })
    }

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
        let mut sample = Vec::with_capacity(SNIFF_BYTES);
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
        let stream: Box<dyn Read + Send> =
            Box::new(LineEnds::new(Cursor::new(head).chain(reader), delimiter));
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
                Diagnostic::error("empty-file", format!("`{}` is empty", self.name))
                    .at(Location::file(&self.name))
                    .help("export the results with a header row and one row per student"),
            ));
        }
        if record.len() > MAX_COLUMNS {
            return Err(Error::problem(
                Diagnostic::error(
                    "too-many-columns",
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
        })
    }

    /// Where to cut this input into at most `parts` ranges of whole rows, to
    /// read them in parallel: cuts fall on a newline that ends a row (a
    /// quoted field may hold newlines; see [`Quoting`]). Only a plain UTF-8 file of at least
    /// [`MIN_SPLIT`] bytes with `\n` line ends is cut; anything else is one
    /// range. Scanning for quotes up to the last cut is the price: memchr
    /// does it at memory speed.
    pub fn ranges(&self, parts: usize) -> Result<Vec<Range>> {
        let whole = vec![Range::WHOLE];
        let Source::File(path) = &self.source else {
            return Ok(whole);
        };
        let encoding_ok = self.encoding.is_none_or(|e| e == UTF_8);
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if parts < 2 || !encoding_ok || self.origin.is_some() || size < MIN_SPLIT {
            return Ok(whole);
        }
        let mut file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        let mut buf = vec![0u8; 1 << 20];
        let (mut offset, mut newlines) = (0u64, 0u64);
        let mut quoting = None;
        let mut ranges = Vec::with_capacity(parts);
        let mut start = Range::WHOLE;
        let mut target = size / parts as u64;
        while ranges.len() < parts - 1 {
            let n = file
                .read(&mut buf)
                .map_err(|e| Error::io("read", path, e))?;
            if n == 0 {
                break;
            }
            let chunk = &buf[..n];
            if offset == 0
                && (detect_encoding(chunk) != UTF_8 || chunk.starts_with(b"\xEF\xBB\xBF"))
            {
                return Ok(whole);
            }
            if memchr::memchr(b'\r', chunk).is_some() {
                return Ok(whole);
            }
            let quoting = quoting.get_or_insert_with(|| Quoting::new(sniff_delimiter(chunk)));
            quoting.feed(chunk, |i, ends_row| {
                newlines += 1;
                let at = offset + i as u64 + 1;
                if at >= target && ends_row && newlines > 1 {
                    ranges.push(Range { end: at, ..start });
                    start = Range {
                        start: at,
                        end: u64::MAX,
                        first_line: newlines + 1,
                    };
                    target = size / parts as u64 * (ranges.len() as u64 + 1);
                }
                ranges.len() < parts - 1
            });
            offset += n as u64;
        }
        ranges.push(start);
        Ok(ranges)
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
        let csv = csv::ReaderBuilder::new()
            .delimiter(layout.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(Box::new(LineEnds::new(reader, layout.delimiter)) as Box<dyn Read + Send>);
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
            base_line: range.first_line - 1,
            foreign,
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

/// Files smaller than this are read by one thread: starting a second costs
/// more than it saves.
pub const MIN_SPLIT: u64 = 4 << 20;

/// A range of a file's bytes holding whole rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: u64,
    /// One past the last byte; `u64::MAX` for the end of the file.
    pub end: u64,
    /// The line the range starts on (1 for the whole file, whose first line
    /// is the header).
    pub first_line: u64,
}

impl Range {
    pub const WHOLE: Range = Range {
        start: 0,
        end: u64::MAX,
        first_line: 1,
    };
}

/// Bytes read to detect a file's encoding.
const SNIFF_BYTES: usize = 1 << 16;

/// The encoding of a file from its first bytes: a byte-order mark says
/// UTF-8 or UTF-16; otherwise text with UTF-8 characters is UTF-8 (bytes
/// that are not are mended as they are read), and anything else is
/// Windows-1252, what Excel writes for "CSV" on Windows.
pub fn detect_encoding(sample: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return encoding;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => UTF_8,
        // Cut off in the middle of a character at the end of the sample.
        Err(e) if e.error_len().is_none() => UTF_8,
        // UTF-8 characters beside bytes that are not: a UTF-8 file that
        // someone edited on Windows, read as UTF-8 and mended.
        Err(_) if sample.utf8_chunks().any(|c| !c.valid().is_ascii()) => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

/// The delimiter that splits the header line into the most fields: comma,
/// semicolon or tab (quotes respected).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// UTF-8 passed through as it is; a byte that is not UTF-8 (a name typed in
/// Excel on Windows into a file saved as UTF-8 elsewhere) is read as
/// Windows-1252 and turned into UTF-8, and the UTF-8 around it stays UTF-8.
/// Where the first such byte was is kept for a warning.
struct Utf8OrWindows1252<R> {
    inner: R,
    /// The start of a character cut off at the end of the last read.
    carry: Vec<u8>,
    /// Decoded text not yet handed out, and how much of it was.
    out: Vec<u8>,
    pos: usize,
    /// Bytes read from `inner` so far.
    consumed: u64,
    /// The offset in `inner` of the first byte that is not UTF-8, shared
    /// with the file's reader; `u64::MAX` while there is none.
    foreign: Arc<AtomicU64>,
}

impl<R: Read> Utf8OrWindows1252<R> {
    fn new(inner: R) -> Self {
        Utf8OrWindows1252 {
            inner,
            carry: Vec::new(),
            out: Vec::new(),
            pos: 0,
            consumed: 0,
            foreign: Arc::new(AtomicU64::new(u64::MAX)),
        }
    }

    /// Decode `bytes`, which start at `offset` in `inner` with a byte that
    /// is not UTF-8, into `out`. A character cut off at the end waits for the
    /// next read, unless `inner` has ended.
    fn mend(&mut self, bytes: &[u8], offset: u64, ended: bool) {
        self.foreign.fetch_min(offset, Ordering::Relaxed);
        self.out.clear();
        self.pos = 0;
        let mut rest = bytes;
        while !rest.is_empty() {
            let (valid, foreign) = match std::str::from_utf8(rest) {
                Ok(_) => (rest.len(), 0),
                Err(e) => match e.error_len() {
                    Some(len) => (e.valid_up_to(), len),
                    None if ended => (e.valid_up_to(), rest.len() - e.valid_up_to()),
                    None => {
                        self.carry.extend_from_slice(&rest[e.valid_up_to()..]);
                        (e.valid_up_to(), 0)
                    }
                },
            };
            self.out.extend_from_slice(&rest[..valid]);
            if foreign == 0 {
                break;
            }
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(&rest[valid..valid + foreign]);
            self.out.extend_from_slice(text.as_bytes());
            rest = &rest[valid + foreign..];
        }
    }

    fn serve(&mut self, buf: &mut [u8]) -> usize {
        let n = (self.out.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        n
    }
}

impl<R: Read> Read for Utf8OrWindows1252<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos < self.out.len() {
                return Ok(self.serve(buf));
            }
            if buf.len() < 8 {
                // Room for a cut-off character and more: read through `out`.
                let mut small = [0u8; 64];
                let n = self.read(&mut small)?;
                if n == 0 {
                    return Ok(0);
                }
                let mut out = small[..n].to_vec();
                out.extend_from_slice(&self.out[self.pos..]);
                self.out = out;
                self.pos = 0;
                continue;
            }
            let k = self.carry.len();
            buf[..k].copy_from_slice(&self.carry);
            self.carry.clear();
            let n = self.inner.read(&mut buf[k..])?;
            self.consumed += n as u64;
            let total = k + n;
            if total == 0 {
                return Ok(0);
            }
            // The fast check first; the standard library's says where an
            // error is.
            if simdutf8::basic::from_utf8(&buf[..total]).is_ok() {
                return Ok(total);
            }
            let Err(e) = std::str::from_utf8(&buf[..total]) else {
                return Ok(total);
            };
            let valid = e.valid_up_to();
            if e.error_len().is_none() && n > 0 {
                // A character cut off by the read: keep its start for later.
                self.carry.extend_from_slice(&buf[valid..total]);
            } else {
                let offset = self.consumed - (total - valid) as u64;
                let rest = buf[valid..total].to_vec();
                self.mend(&rest, offset, n == 0);
            }
            if valid > 0 {
                return Ok(valid);
            }
        }
    }
}

/// Newlines in `bytes`.
fn memchr_count(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Line ends made uniform: `\r\n` and a lone `\r` become `\n`, and a file
/// that does not end with a newline gets one. Line numbers in messages then
/// count lines the way an editor does, whatever system wrote the file.
struct LineEnds<R> {
    inner: R,
    /// The last byte read was `\r` (already written as `\n`).
    after_cr: bool,
    /// The last byte written, to add a final newline when missing.
    last: Option<u8>,
    done: bool,
    /// Where rows end, quoted newlines aside.
    quoting: Quoting,
    /// Bytes since the last row ended, to refuse a row over [`MAX_ROW`].
    row: usize,
}

/// The longest row tierplan reads (the header included), in bytes, quoted
/// newlines and all. Longer is not a class's row, and reading it would hold
/// it all in memory.
pub const MAX_ROW: usize = 1 << 20;

/// The most columns a file may have (FastBridge's widest export has 1,336).
pub const MAX_COLUMNS: usize = 16_384;

/// A limit passed while reading, carried through `io::Error`.
#[derive(Debug)]
struct TooLong;

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row longer than {MAX_ROW} bytes")
    }
}

impl std::error::Error for TooLong {}

impl<R> LineEnds<R> {
    /// Count the bytes of `written` since the last row ended.
    fn measure(&mut self, written: &[u8]) -> io::Result<()> {
        self.row = match self.quoting.last_row_end(written) {
            Some(i) => written.len() - i - 1,
            None => self.row + written.len(),
        };
        if self.row > MAX_ROW {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TooLong));
        }
        Ok(())
    }
}

impl<R: Read> LineEnds<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            last: None,
            done: false,
            quoting: Quoting::new(delimiter),
            row: 0,
        }
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            let n = self.inner.read(buf)?;
            if n == 0 {
                self.done = true;
                if self.last.is_some_and(|b| b != b'\n') {
                    buf[0] = b'\n';
                    return Ok(1);
                }
                return Ok(0);
            }
            // Most files have no carriage return at all: nothing to change.
            if !self.after_cr && memchr::memchr(b'\r', &buf[..n]).is_none() {
                self.last = Some(buf[n - 1]);
                self.measure(&buf[..n])?;
                return Ok(n);
            }
            let mut out = 0;
            for i in 0..n {
                let b = buf[i];
                if std::mem::take(&mut self.after_cr) && b == b'\n' {
                    continue;
                }
                if b == b'\r' {
                    self.after_cr = true;
                    buf[out] = b'\n';
                } else {
                    buf[out] = b;
                }
                out += 1;
            }
            if out > 0 {
                self.last = Some(buf[out - 1]);
                self.measure(&buf[..out])?;
                return Ok(out);
            }
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
}

impl CsvFile {
    /// Read the next row into `self.record`; false at the end. An empty row
    /// count as none.
    pub fn read_row(&mut self) -> Result<bool> {
        loop {
            // Where the row starts, for a row too long to read to its end.
            let start = self.base_line + self.reader.position().line();
            let result = self.reader.read_byte_record(&mut self.record);
            // The csv crate gives the position where it started looking for
            // the row, before any blank lines; count back from the row's end
            // too: every row ends with a newline (see `LineEnds`), except one
            // whose quote is never closed, which the start places. The record
            // holds the row's fields even when it has too few or too many.
            let inside = memchr_count(self.record.as_slice());
            let from_end = self.reader.position().line().saturating_sub(1 + inside);
            let from_start = self.record.position().map_or(0, csv::Position::line);
            self.line = self.base_line + from_end.max(from_start);
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
}

fn csv_error(file: &str, e: &csv::Error, line: u64) -> Error {
    let d = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Diagnostic::error(
            "ragged-row",
            format!("this row has {len} fields, and the header has {expected_len}"),
        )
        .at(Location::line(file, line))
        .help("check for a missing or extra delimiter, or a quote that is not closed"),
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<TooLong>()) => {
            Diagnostic::error(
                "row-too-long",
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
        _ => Diagnostic::error("bad-csv", e.to_string()).at(Location::file(file)),
    };
    Error::problem(d)
}

/// One student's values, parsed once: reused from row to row.
#[derive(Debug, Default)]
pub struct Row {
    /// A number for each field slot a condition reads as a number.
    pub numbers: Vec<Option<f64>>,
    /// The score on each skill of the run, as a percent.
    pub scores: Vec<Option<f64>>,
    /// The columns whose cells could not be read and were left empty
    /// (`--lenient`), so that every test reads them as missing.
    pub unread: Vec<usize>,
}

/// What loading a row does with a cell it cannot read.
pub enum Problems<'a> {
    /// Stop: the cell's problem is the run's error.
    Stop,
    /// Record the problem, leave the cell empty, and go on (`--lenient`).
    Collect(&'a mut Vec<Diagnostic>),
    /// Leave the cell empty without a word (the second pass, which already
    /// reported it in the first).
    Quiet,
}

impl ColumnMap {
    /// Parse `record` into `row`: the numeric fields and the skill scores.
    /// `Ok(false)` when the row cannot be a student (no id, or not as many
    /// fields as the header) and problems are collected, not stopped at.
    pub fn load(
        &self,
        record: &ByteRecord,
        line: u64,
        numeric_fields: &[usize],
        scale: Scale,
        row: &mut Row,
        mut problems: Problems<'_>,
    ) -> Result<bool, Diagnostic> {
        let mut report = |d: Diagnostic| match &mut problems {
            Problems::Stop => Err(d),
            Problems::Collect(list) => {
                list.push(d);
                Ok(())
            }
            Problems::Quiet => Ok(()),
        };
        if record.len() != self.header.len() {
            report(
                Diagnostic::error(
                    "ragged-row",
                    format!(
                        "this row has {} fields, and the header has {}",
                        record.len(),
                        self.header.len()
                    ),
                )
                .at(Location::line(&self.file, line))
                .help("check for a missing or extra delimiter, or a quote that is not closed"),
            )?;
            return Ok(false);
        }
        let cell = |column: usize| record.get(column).unwrap_or_default();
        if cell(self.id).trim_ascii().is_empty() {
            report(
                Diagnostic::error("missing-id", "this student has no id")
                    .at(self.cell_at(line, self.id))
                    .help("every row needs a student id; fill it in or remove the row"),
            )?;
            return Ok(false);
        }
        row.unread.clear();
        row.numbers.clear();
        row.numbers.resize(self.field_columns.len(), None);
        for &slot in numeric_fields {
            let Some(column) = self.field_columns[slot] else {
                continue;
            };
            let text = cell(column);
            let text = self
                .recoded(column, text)
                .map_or_else(|| text.trim_ascii(), str::as_bytes);
            if text.is_empty() {
                continue;
            }
            let number = cell_number(text.strip_suffix(b"%").unwrap_or(text), self.decimal_comma);
            if number.is_none() {
                report(
                    Diagnostic::error(
                        "not-a-number",
                        if self.redact {
                            "the cell is not a number".to_owned()
                        } else {
                            format!("`{}` is not a number", crate::diagnostic::clip(&String::from_utf8_lossy(text)))
                        },
                    )
                    .at(self.cell_at(line, column))
                    .help("the rules compare this column with numbers; leave the cell empty when there is no value"),
                )?;
                row.unread.push(column);
            }
            row.numbers[slot] = number;
        }
        row.scores.clear();
        for column in &self.skill_columns {
            let score = match column {
                Some(column) => match parse_score(cell(*column), scale, self.decimal_comma) {
                    Ok(score) => score,
                    Err(e) => {
                        let text = String::from_utf8_lossy(cell(*column).trim_ascii()).into_owned();
                        report(
                            Diagnostic::error(
                                "bad-score",
                                e.message((!self.redact).then_some(&*text)),
                            )
                            .at(self.cell_at(line, *column))
                            .help(e.help()),
                        )?;
                        row.unread.push(*column);
                        None
                    }
                },
                None => None,
            };
            row.scores.push(score);
        }
        Ok(true)
    }

    /// The location of a cell, in the user's file when this table was built
    /// from another.
    pub fn cell_at(&self, line: u64, column: usize) -> Location {
        let from = self
            .origin
            .as_ref()
            .and_then(|o| o.columns.get(column).cloned().flatten());
        match from {
            Some((number, header)) => Location::cell(&self.file, line, number, &header),
            None => Location::cell(&self.file, line, column + 1, &self.header[column]),
        }
    }

    pub fn text<'r>(&self, record: &'r ByteRecord, column: Option<usize>) -> &'r [u8] {
        column
            .and_then(|c| record.get(c))
            .unwrap_or_default()
            .trim_ascii()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_is_read_up_to_the_limit_and_refused_past_it() {
        assert_eq!(read_bounded(&b""[..], 10).unwrap(), b"");
        assert_eq!(read_bounded(&b"0123456789"[..], 10).unwrap(), b"0123456789");
        let Err(Error::Problems(problems)) = read_bounded(&b"0123456789A"[..], 10) else {
            panic!("11 bytes pass a limit of 10");
        };
        assert_eq!(problems[0].code, "stdin-too-large");
        assert!(
            problems[0].message.contains("larger than 10 bytes"),
            "{}",
            problems[0].message
        );
        assert!(
            problems[0]
                .help
                .as_deref()
                .unwrap()
                .contains("as a file instead")
        );
        // An endless input is refused, not read whole.
        assert!(read_bounded(std::io::repeat(b'x'), 10).is_err());
        // No more than one byte past the limit is read.
        let mut rest = &b"0123456789ABCDEF"[..];
        assert!(read_bounded(&mut rest, 10).is_err());
        assert_eq!(rest, b"BCDEF");
    }

    /// A reader that hands out its bytes `n` at a time, to cut input
    /// anywhere.
    struct Chunks<'a>(&'a [u8], usize);

    impl Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn normalized(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        LineEnds::new(Chunks(input, chunk), b',')
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn line_ends_become_newlines_even_across_reads() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(normalized(b"a\r\nb\rc\nd", chunk), b"a\nb\nc\nd\n");
            assert_eq!(normalized(b"a\r\n\r\n", chunk), b"a\n\n");
            assert_eq!(normalized(b"", chunk), b"");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_read_as_windows_1252() {
        let decoded = |bytes: &[u8], chunk: usize| {
            let mut out = String::new();
            let mut decoder = Utf8OrWindows1252::new(Chunks(bytes, chunk));
            decoder.read_to_string(&mut out).unwrap();
            (out, decoder.foreign.load(Ordering::Relaxed))
        };
        let mut text = "a,b\n".repeat(20_000).into_bytes();
        let at = text.len() as u64 + 3;
        text.extend_from_slice(b"Jos\xE9 N\xFA\xF1ez, Zo\xC3\xAB, \xC3\n");
        for chunk in [1, 2, 5, 7, 64, 4096] {
            let (out, foreign) = decoded(&text, chunk);
            assert!(out.ends_with("José Núñez, Zoë, Ã\n"), "chunk {chunk}");
            assert_eq!(foreign, at, "chunk {chunk}");
        }
        // A character cut off by the end of the input.
        assert_eq!(decoded(b"ab\xC3", 64), ("abÃ".to_owned(), 2));
        // UTF-8 cut anywhere stays UTF-8.
        let utf8 = "Nguyễn Thị Lan, José\n".repeat(50);
        for chunk in [1, 2, 3, 5, 64] {
            assert_eq!(
                decoded(utf8.as_bytes(), chunk),
                (utf8.clone(), u64::MAX),
                "chunk {chunk}"
            );
        }
    }

    proptest::proptest! {
        /// However the input arrives in reads, the text is the UTF-8 in it
        /// with every other byte read as Windows-1252, and the offset is
        /// that of the first other byte.
        #[test]
        fn decoding_does_not_depend_on_the_reads(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(&b"ab,\n\xC3\xA9\xE2\x82\xAC\xE9\x80\xF0\x9F"[..]),
                    proptest::num::u8::ANY,
                ],
                0..200,
            ),
            chunk in 1usize..70,
        ) {
            let mut expected = String::new();
            let mut offset = 0;
            let mut first = u64::MAX;
            for piece in bytes.utf8_chunks() {
                expected.push_str(piece.valid());
                offset += piece.valid().len();
                if !piece.invalid().is_empty() {
                    first = first.min(offset as u64);
                    let (text, _) = WINDOWS_1252.decode_without_bom_handling(piece.invalid());
                    expected.push_str(&text);
                    offset += piece.invalid().len();
                }
            }
            let mut decoder = Utf8OrWindows1252::new(Chunks(&bytes, chunk));
            let mut out = String::new();
            decoder.read_to_string(&mut out).unwrap();
            proptest::prop_assert_eq!(out, expected);
            proptest::prop_assert_eq!(decoder.foreign.load(Ordering::Relaxed), first);
        }
    }

    #[test]
    fn detects_the_encoding_from_the_first_bytes() {
        assert_eq!(detect_encoding(b"id,name\nS1,Jos\xC3\xA9"), UTF_8);
        assert_eq!(detect_encoding(b"id,name\nS1,Jos\xE9\n"), WINDOWS_1252);
        assert_eq!(
            detect_encoding(b"id,name\nS1,Jos\xE9\nS2,Zo\xC3\xAB"),
            UTF_8
        );
        assert_eq!(detect_encoding(b"\xFF\xFEi\0d\0"), encoding_rs::UTF_16LE);
        assert_eq!(detect_encoding(b"\xFE\xFF\0i\0d"), encoding_rs::UTF_16BE);
        // A sample cut inside a two-byte character is still UTF-8.
        assert_eq!(detect_encoding(b"id,Jos\xC3"), UTF_8);
    }

    #[test]
    fn sniffs_the_delimiter_of_the_header_line() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x,y\";b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
