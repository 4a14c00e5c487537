//! Bytes to text: the encoding detected from a file's first bytes, UTF-8
//! with stray Windows-1252 bytes mended, line ends made uniform, rows over
//! [`MAX_ROW`] refused, and the delimiter sniffed from the header line.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::quoting::Quoting;

/// Bytes read to detect a file's encoding.
pub(super) const SNIFF_BYTES: usize = 1 << 16;

/// The encoding of a file from its first bytes: a byte-order mark says
/// UTF-8 or UTF-16; otherwise text with UTF-8 characters is UTF-8 (bytes
/// that are not are mended as they are read), and anything else is
/// Windows-1252, what Excel writes for "CSV" on Windows.
pub(crate) fn detect_encoding(sample: &[u8]) -> &'static Encoding {
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
pub(super) fn sniff_delimiter(head: &[u8]) -> u8 {
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
pub(super) struct Utf8OrWindows1252<R> {
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
    pub(super) foreign: Arc<AtomicU64>,
}

impl<R: Read> Utf8OrWindows1252<R> {
    pub(super) fn new(inner: R) -> Self {
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
pub(super) fn memchr_count(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Line ends made uniform: `\r\n` and a lone `\r` become `\n`, and a file
/// that does not end with a newline gets one. Line numbers in messages then
/// count lines the way an editor does, whatever system wrote the file.
pub(super) struct LineEnds<R> {
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
    /// Set at the end of the input when its last byte is a newline that
    /// ends a row (not one inside a quoted field).
    pub(super) ends_on_row_end: Arc<AtomicBool>,
}

/// The longest row tierplan reads (the header included), in bytes, quoted
/// newlines and all. Longer is not a class's row, and reading it would hold
/// it all in memory.
pub(crate) const MAX_ROW: usize = 1 << 20;

/// A limit passed while reading, carried through `io::Error`.
#[derive(Debug)]
pub(super) struct TooLong;

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
    pub(super) fn new(inner: R, delimiter: u8) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            last: None,
            done: false,
            quoting: Quoting::new(delimiter),
            row: 0,
            ends_on_row_end: Arc::default(),
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
                let row_end = self.last == Some(b'\n') && self.quoting.is_outside();
                self.ends_on_row_end.store(row_end, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::*;

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
