//! A data file that is a document or an image, not text (found by its
//! first bytes, whatever its name): a PDF, a PNG, JPEG or GIF, or an Excel
//! 97-2003 workbook. Each is an error naming what the file looks like and
//! how to get CSV from it, rather than compressed bytes read as a header
//! (issue 13). Zip files are [`super::zipped`]'s.

use std::io::Read;

use super::input::Input;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// The longest signature below.
const HEAD: u64 = 8;

/// What to do with a results file that is not CSV.
const EXPORT: &str = "export or save the results as CSV (in a spreadsheet: File > Save As > CSV \
                      UTF-8; in an assessment platform: its CSV export) and give the CSV file";

/// Signatures, and what a file that starts with one is.
const KINDS: [(&[u8], &str); 6] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an Excel 97-2003 workbook (.xls), and tierplan does not read spreadsheets yet",
    ),
];

/// What `head`, a file's first bytes, says the file is, when it is one of
/// the kinds tierplan knows it cannot read.
fn kind(head: &[u8]) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, what)| *what)
}

/// An error when `input` starts like a PDF, an image or an `.xls` workbook.
pub(crate) fn refuse(input: &Input) -> Result<()> {
    let Ok(reader) = input.open(false) else {
        // Not readable: reading it as CSV says why.
        return Ok(());
    };
    let mut head = Vec::with_capacity(HEAD as usize);
    if reader.take(HEAD).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    let Some(what) = kind(&head) else {
        return Ok(());
    };
    let name = &input.name;
    let help = if what.contains(".xls") {
        "save it as CSV (in Excel: File > Save As > CSV UTF-8) and give the CSV file"
    } else {
        EXPORT
    };
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
    use super::kind;

    #[test]
    fn signatures_are_recognised_and_text_is_not() {
        assert_eq!(kind(b"%PDF-1.7\n"), Some("a PDF document"));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n"), Some("a PNG image"));
        assert_eq!(kind(b"\xFF\xD8\xFF\xE0"), Some("a JPEG image"));
        assert_eq!(kind(b"GIF89a"), Some("a GIF image"));
        assert!(kind(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").is_some());
        // A UTF-16 byte-order mark is text, not an image.
        assert_eq!(kind(b"\xFF\xFEi\0d\0"), None);
        assert_eq!(kind(b"id,name"), None);
        assert_eq!(kind(b""), None);
    }
}
