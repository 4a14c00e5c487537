//! A data file that is a document or an image, not text (found by its
//! first bytes, whatever its name): a PDF, a PNG, JPEG or GIF. Each is an
//! error naming what the file looks like and how to get CSV from it,
//! rather than compressed bytes read as a header (issue 13). Zip files are
//! [`super::zipped`]'s, Excel 97-2003 workbooks [`super::workbook`]'s.

use super::input::Input;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// The longest signature below: how many first bytes [`refuse`] needs.
pub(crate) const HEAD: usize = 8;

/// What to do with a results file that is not CSV.
const EXPORT: &str = "export or save the results as CSV (in a spreadsheet: File > Save As > CSV \
                      UTF-8; in an assessment platform: its CSV export) and give the CSV file";

/// Signatures, what a file that starts with one is, and what to do.
const KINDS: [(&[u8], &str, &str); 5] = [
    (b"%PDF-", "a PDF document", EXPORT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", EXPORT),
    (b"\xFF\xD8\xFF", "a JPEG image", EXPORT),
    (b"GIF87a", "a GIF image", EXPORT),
    (b"GIF89a", "a GIF image", EXPORT),
];

/// What `head`, a file's first bytes, says the file is, and what to do,
/// when it is one of the kinds tierplan knows it cannot read.
fn kind(head: &[u8]) -> Option<(&'static str, &'static str)> {
    KINDS
        .iter()
        .find(|(magic, _, _)| head.starts_with(magic))
        .map(|&(_, what, help)| (what, help))
}

/// An error when `head`, the first bytes of `input`, start like a PDF or an
/// image.
pub(crate) fn refuse(input: &Input, head: &[u8]) -> Result<()> {
    let Some((what, help)) = kind(head) else {
        return Ok(());
    };
    let name = &input.name;
    Err(Error::problem(
        Diagnostic::error(
            Code::NotCsv,
            format!("`{name}` is not a CSV file: it looks like {what}"),
        )
        .at(Location::file(name))
        .help(help),
    ))
}

#[cfg(test)]
mod tests {
    use super::{EXPORT, kind};

    #[test]
    fn signatures_are_recognised_and_text_is_not() {
        assert_eq!(kind(b"%PDF-1.7\n"), Some(("a PDF document", EXPORT)));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n").map(|k| k.0), Some("a PNG image"));
        assert_eq!(kind(b"\xFF\xD8\xFF\xE0").map(|k| k.0), Some("a JPEG image"));
        assert_eq!(kind(b"GIF89a").map(|k| k.0), Some("a GIF image"));
        // An `.xls` workbook is read, not refused.
        assert_eq!(kind(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), None);
        // A UTF-16 byte-order mark is text, not an image.
        assert_eq!(kind(b"\xFF\xFEi\0d\0"), None);
        assert_eq!(kind(b"id,name"), None);
        assert_eq!(kind(b""), None);
    }
}
