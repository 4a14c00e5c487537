//! The inputs named on the command line: a file, standard input (`-`) or a
//! pipe named as a path (`<(...)`, `/dev/stdin`), both held in memory up to
//! [`MAX_STDIN_BYTES`], or a table tierplan built in memory (read as CSV,
//! written a row at a time); and where to cut a large file into ranges of
//! whole rows to read them in parallel.
//!
//! A file (or standard input, named `-`) is read twice: once for the
//! section-level numbers, once to decide each student. Files are simply
//! reopened; standard input and pipes are held in memory, since they cannot
//! be rewound and tierplan never writes student data to a temporary file.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

use encoding_rs::{Encoding, UTF_8};

use super::decode::{MAX_ROW, detect_encoding, memchr_count};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// The most standard input (or a pipe named as a path) is read: it is kept
/// in memory for both passes, while a file is read from disk twice and may
/// be of any size.
pub(crate) const MAX_STDIN_BYTES: u64 = 4 << 30;

/// Read standard input or a pipe (`reader`, named `name`: `<stdin>` or the
/// path) whole when it holds at most `limit` bytes, reading no more than
/// one byte past the limit, and refuse it past it.
fn read_bounded(reader: impl Read, limit: u64, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", name, e))?;
    if bytes.len() as u64 > limit {
        let shown = if limit.is_multiple_of(1 << 30) {
            format!("{} GiB", limit >> 30)
        } else {
            format!("{limit} bytes")
        };
        let what = if name == "<stdin>" {
            "standard input".to_owned()
        } else {
            format!("`{name}` (a pipe, not a file)")
        };
        return Err(Error::problem(
            Diagnostic::error(
                Code::StdinTooLarge,
                format!("{what} is larger than {shown}, the limit for standard input and pipes"),
            )
            .at(Location::file(name))
            .help("standard input and pipes are kept in memory; pass the data as a file instead: `tierplan plan FILE`"),
        ));
    }
    Ok(bytes)
}

/// Whether `path` is read as it streams by rather than as a file: a pipe
/// (`<(...)` is `/dev/fd/63`), a socket or a character device
/// (`/dev/stdin` on a terminal). Such a path cannot be read twice, so it is
/// held in memory, as standard input is.
#[cfg(unix)]
fn is_stream(path: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let t = m.file_type();
        t.is_fifo() || t.is_socket() || t.is_char_device()
    })
}

#[cfg(not(unix))]
fn is_stream(_: &std::path::Path) -> bool {
    false
}

/// One data source on the command line.
#[derive(Debug, Clone)]
pub struct Input {
    /// As the user named it; `<stdin>` for `-`.
    pub name: String,
    pub(super) source: Source,
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
pub(super) enum Source {
    File(PathBuf),
    Memory(Arc<[u8]>),
    /// A table tierplan built, written out as CSV as it is read.
    Table(Arc<super::cells::Written>),
}

impl Input {
    /// The file at `path`; a pipe or device named as a path (`<(...)`,
    /// `/dev/stdin`) is read now and kept, as standard input is.
    pub fn named(path: PathBuf) -> Result<Self> {
        if !is_stream(&path) {
            return Ok(Self::file(path));
        }
        let name = path.display().to_string();
        let file = File::open(&path).map_err(|e| Error::io("open", &path, e))?;
        let bytes = read_bounded(file, MAX_STDIN_BYTES, &name)?;
        Ok(Self::memory(&name, bytes))
    }

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
        let bytes = read_bounded(io::stdin().lock(), MAX_STDIN_BYTES, "<stdin>")?;
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

    /// A table tierplan built, read as CSV.
    pub(super) fn table(name: &str, table: Arc<super::cells::Written>) -> Self {
        Input {
            name: name.to_owned(),
            source: Source::Table(table),
            encoding: None,
            origin: None,
            protect: None,
            counter: None,
        }
    }

    /// `reader`, counted when a progress line is drawn.
    pub(super) fn counted<R: Read + Send + 'static>(&self, reader: R) -> Box<dyn Read + Send> {
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
            // Written as it is read: its size is not known before.
            Source::Table(_) => 0,
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Memory(_) | Source::Table(_) => self.protect.as_deref(),
        }
    }

    /// The input's bytes; with `count`, a file's are added to the progress
    /// line as they are read.
    pub(super) fn open(&self, count: bool) -> Result<Box<dyn Read + Send>> {
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
            Source::Table(table) => Box::new(table.reader()),
        })
    }

    /// Where to cut this input into at most `parts` ranges of rows, to read
    /// them in parallel: each cut is the first newline past an equal share
    /// of the bytes, past the header, found by reading a little of the file
    /// there. Whether that newline ends a row (a quoted field may hold
    /// newlines) is known only from the quotes before it, so the reader of
    /// the range before a cut checks it as it reads
    /// ([`CsvFile::ends_on_row_end`](crate::ingest::CsvFile::ends_on_row_end)),
    /// and a cut inside a quoted field sends the run to one range. A later
    /// range's first line is not known until the ranges before it are read
    /// (`first_line` 0). Only a plain UTF-8 file of at least [`MIN_SPLIT`]
    /// bytes with `\n` line ends is cut; anything else is one range.
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
        // A row is at most `MAX_ROW` bytes, so a newline is in this much of
        // any row's bytes, and the header ends in the first.
        let mut buf = Vec::with_capacity(MAX_ROW + 1);
        let mut read_at = |at: u64, buf: &mut Vec<u8>| -> Result<()> {
            buf.clear();
            file.seek(SeekFrom::Start(at))
                .and_then(|_| (&mut file).take(MAX_ROW as u64 + 1).read_to_end(buf))
                .map(|_| ())
                .map_err(|e| Error::io("read", path, e))
        };
        read_at(0, &mut buf)?;
        if detect_encoding(&buf) != UTF_8 || buf.starts_with(b"\xEF\xBB\xBF") {
            return Ok(whole);
        }
        let Some(header_end) = memchr::memchr(b'\n', &buf) else {
            return Ok(whole);
        };
        if memchr::memchr(b'\r', &buf).is_some() {
            return Ok(whole);
        }
        let mut ranges = Vec::with_capacity(parts);
        let mut start = Range::WHOLE;
        for cut in 1..parts as u64 {
            let target = (size / parts as u64 * cut)
                .max(start.start)
                .max(header_end as u64 + 1);
            read_at(target, &mut buf)?;
            if memchr::memchr(b'\r', &buf).is_some() {
                return Ok(whole);
            }
            let Some(i) = memchr::memchr(b'\n', &buf) else {
                break;
            };
            let at = target + i as u64 + 1;
            if at >= size {
                break;
            }
            ranges.push(Range { end: at, ..start });
            start = Range {
                start: at,
                end: u64::MAX,
                first_line: 0,
            };
        }
        ranges.push(start);
        Ok(ranges)
    }
}

/// Files smaller than this are read by one thread: starting a second costs
/// more than it saves.
pub(crate) const MIN_SPLIT: u64 = 4 << 20;

/// A range of a file's bytes holding whole rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: u64,
    /// One past the last byte; `u64::MAX` for the end of the file.
    pub end: u64,
    /// The line the range starts on (1 for the whole file, whose first line
    /// is the header); 0 until the ranges before it are read.
    pub first_line: u64,
}

impl Range {
    pub const WHOLE: Range = Range {
        start: 0,
        end: u64::MAX,
        first_line: 1,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_is_read_up_to_the_limit_and_refused_past_it() {
        assert_eq!(read_bounded(&b""[..], 10, "<stdin>").unwrap(), b"");
        assert_eq!(
            read_bounded(&b"0123456789"[..], 10, "<stdin>").unwrap(),
            b"0123456789"
        );
        let Err(Error::Problems(problems)) = read_bounded(&b"0123456789A"[..], 10, "<stdin>")
        else {
            panic!("11 bytes pass a limit of 10");
        };
        assert_eq!(problems[0].code, Code::StdinTooLarge);
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
        assert!(read_bounded(std::io::repeat(b'x'), 10, "<stdin>").is_err());
        // No more than one byte past the limit is read.
        let mut rest = &b"0123456789ABCDEF"[..];
        let Err(Error::Problems(problems)) = read_bounded(&mut rest, 10, "/dev/fd/63") else {
            panic!("16 bytes pass a limit of 10");
        };
        assert_eq!(rest, b"BCDEF");
        assert!(
            problems[0]
                .message
                .starts_with("`/dev/fd/63` (a pipe, not a file) is larger than 10 bytes"),
            "{}",
            problems[0].message
        );
    }
}
