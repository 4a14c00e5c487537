//! Text from the user's files made safe for a terminal: control characters
//! (an escape sequence in a header, a bell in a name) are shown as `�`, so
//! the bytes of a file can never move the cursor, recolour or retitle the
//! terminal that shows a plan or an error. Newlines and tabs stay.
//!
//! The formats meant to be read on a terminal are filtered (messages, the
//! table, `explain`), and CSV when it is written to a terminal; CSV to a
//! file or pipe and JSON keep the data verbatim, and Markdown leaves
//! control characters out (see `render::markdown`).

use std::borrow::Cow;
use std::io::{self, Write};

const REPLACEMENT: &str = "\u{FFFD}";

/// Whether `c` would be acted on by a terminal rather than shown.
fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character but newline and tab replaced.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_control(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// A writer that passes text through [`printable`]. C0 controls and DEL
/// are single bytes in UTF-8, C1 controls (U+0080 to U+009F) are `C2 80` to
/// `C2 9F`, so the filter works on bytes, across writes.
pub struct Printable<W: Write> {
    inner: W,
    /// The last write ended with `C2`, the first byte of a C1 control or of
    /// an ordinary character.
    after_c2: bool,
}

impl<W: Write> Printable<W> {
    pub fn new(inner: W) -> Self {
        Printable {
            inner,
            after_c2: false,
        }
    }
}

impl<W: Write> Printable<W> {
    /// The writer underneath, unfiltered: for text tierplan wrote itself
    /// (the colours of the tiers table), never for text from a file.
    pub fn unfiltered(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        for &b in buf {
            if std::mem::take(&mut self.after_c2) {
                if (0x80..=0x9F).contains(&b) {
                    out.extend_from_slice(REPLACEMENT.as_bytes());
                    continue;
                }
                out.push(0xC2);
            }
            match b {
                b'\n' | b'\t' => out.push(b),
                0x00..=0x1F | 0x7F => out.extend_from_slice(REPLACEMENT.as_bytes()),
                0xC2 => self.after_c2 = true,
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.after_c2) {
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_replaced_and_text_kept() {
        let text = "Zoë\u{1b}[31m\u{7}\tNguyễn\n\u{9b}2J";
        let expected = "Zoë�[31m�\tNguyễn\n�2J";
        assert_eq!(printable(text), expected);
        assert!(matches!(printable("Ana\tLima\n"), Cow::Borrowed(_)));
        // Byte by byte, so every C2 falls at the end of a write.
        let mut out = Printable::new(Vec::new());
        for b in text.as_bytes() {
            out.write_all(std::slice::from_ref(b)).unwrap();
        }
        out.flush().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), expected);
    }
}
