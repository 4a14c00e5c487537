//! Files that are not CSV (a PDF, images),
//! found by their first bytes whatever their name: one error saying what
//! the file looks like and to save the results as CSV, never its bytes
//! read as a header.
//!
//! See: issue 13.

use crate::util::Test;

const EXPORT: &str = "export or save the results as CSV (in a spreadsheet: File > Save As > CSV UTF-8; in an assessment platform: its CSV export) and give the CSV file";

fn refused(name: &str, bytes: &[u8], what: &str, help: &str) {
    Test::new()
        .file(name, bytes)
        .args(&["plan", name])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[not-csv]: `{name}` is not a CSV file: it looks like {what}\n  \
             --> {name}\n  \
             = help: {help}\n"
        ));
}

#[test]
fn a_pdf_is_not_read_as_csv() {
    refused(
        "results.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n",
        "a PDF document",
        EXPORT,
    );
}

#[test]
fn a_png_named_csv_is_not_read_as_csv() {
    refused(
        "scores.csv",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "a PNG image",
        EXPORT,
    );
}

#[test]
fn a_jpeg_and_a_gif_are_images() {
    refused(
        "photo.jpg",
        b"\xFF\xD8\xFF\xE0\0\x10JFIF\0",
        "a JPEG image",
        EXPORT,
    );
    refused("chart.gif", b"GIF89a\x01\0\x01\0", "a GIF image", EXPORT);
}

#[test]
fn standard_input_that_is_a_pdf_is_named_too() {
    Test::new()
        .args(&["plan", "-"])
        .stdin(b"%PDF-1.4\n".as_slice())
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr_contains(
            "error[not-csv]: `<stdin>` is not a CSV file: it looks like a PDF document\n",
        );
}

#[test]
fn check_and_diff_refuse_it_too() {
    let t = Test::new()
        .quiz()
        .file("winter.csv", b"%PDF-1.7\n".as_slice());
    t.status(1)
        .run_with(&["check", "winter.csv"])
        .assert_stdout_contains("error[not-csv]: `winter.csv` is not a CSV file");
    // `diff` keeps 1 for "students changed" (`--exit-code`): its errors exit 2.
    t.status(2)
        .run_with(&["diff", "quiz.csv", "winter.csv"])
        .assert_stderr_contains("error[not-csv]: `winter.csv` is not a CSV file");
}
