//! A corpus of bad input: files that are empty, ragged, huge, binary, in the
//! wrong encoding, or rules that are not YAML, explode when expanded, or nest
//! without end. Each must end with the documented exit status and a message
//! that names its place, never a panic, and print nothing on standard output
//! when it fails.
//!
//! Small cases are files under `tests/data/bad/`; big ones are written into
//! the test's temporary folder when the test runs. How fast the big ones
//! run is measured in `benches/`, not asserted here. This file holds the
//! bad data files; `rules` the bad rules files.

mod rules;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;

use crate::util::{Output, Test, parse_csv, repo};

/// The bytes of a file of the corpus.
fn corpus(name: &str) -> Vec<u8> {
    let path = repo("tests/data/bad").join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A test folder holding the corpus files `names`.
fn with(names: &[&str]) -> Test {
    names
        .iter()
        .fold(Test::new(), |t, name| t.file(name, corpus(name)))
}

/// No panic, whatever the outcome.
#[track_caller]
fn assert_no_panic(out: &Output) {
    for text in ["panicked", "RUST_BACKTRACE"] {
        assert!(
            !out.stderr.contains(text),
            "`{text}` on standard error of `{}`:\n{}",
            out.command,
            out.stderr
        );
    }
}

/// Failed cleanly (with the status its run expected): no panic and nothing
/// on standard output.
#[track_caller]
fn assert_fails(out: &Output) -> &Output {
    assert_no_panic(out);
    out.assert_stdout("")
}

/// Succeeded (its run checked the status), without a panic.
#[track_caller]
fn assert_succeeds(out: &Output) -> &Output {
    assert_no_panic(out);
    out
}

/// Write `size` bytes of `fill` into `file`, 64 KiB at a time.
fn write_repeated(file: &mut File, fill: &[u8], size: usize) {
    let chunk: Vec<u8> = fill.iter().copied().cycle().take(64 << 10).collect();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        file.write_all(&chunk[..n]).expect("write a test file");
        left -= n;
    }
}

const RAGGED_HELP: &str =
    "  = help: check for a missing or extra delimiter, or a quote that is not closed\n";

// ---------------------------------------------------------------- the shape

#[test]
fn an_empty_file() {
    let t = with(&["empty.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "empty.csv"])).assert_stderr(
        "
        error[empty-file]: `empty.csv` is empty
          --> empty.csv
          = help: export the results with a header row and one row per student
        ",
    );
}

#[test]
fn a_header_without_students() {
    let t = with(&["header-only.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "header-only.csv"])).assert_stderr(
        "
        error[no-students]: `header-only.csv` has a header but no students
          --> header-only.csv
          = help: export the results again, with one row per student
        ",
    );
}

#[test]
fn a_row_with_too_few_fields() {
    let t = with(&["ragged-short.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "ragged-short.csv"])).assert_stderr(&format!(
        "error[ragged-row]: this row has 4 fields, and the header has 5\n  --> ragged-short.csv, line 3\n{RAGGED_HELP}"
    ));
}

#[test]
fn a_row_with_too_many_fields() {
    let t = with(&["ragged-long.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "ragged-long.csv"])).assert_stderr(&format!(
        "error[ragged-row]: this row has 6 fields, and the header has 5\n  --> ragged-long.csv, line 3\n{RAGGED_HELP}"
    ));
}

/// The quote opened on line 3 runs to the end of the file: one row of two
/// fields, placed where it starts.
#[test]
fn a_quote_that_is_never_closed() {
    let t = with(&["unclosed-quote.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "unclosed-quote.csv"])).assert_stderr(&format!(
        "error[ragged-row]: this row has 2 fields, and the header has 5\n  --> unclosed-quote.csv, line 3\n{RAGGED_HELP}"
    ));
}

// ---------------------------------------------------------------- the size

const ROW_TOO_LONG: &str =
    "error[row-too-long]: a row is longer than 1 MiB, the longest tierplan reads\n";

/// A 50 MB name on line 2: refused after its first MiB, without reading
/// (or holding) the rest.
#[test]
fn a_50_mb_field() {
    let t = Test::new();
    let mut file = File::create(t.path("big.csv")).expect("create big.csv");
    file.write_all(b"student_id,name,NF.1\nS1,").expect("write");
    write_repeated(&mut file, b"x", 50 << 20);
    file.write_all(b",80\n").expect("write");
    drop(file);
    let out = t.status(1).run_with(&["plan", "big.csv"]);
    assert_fails(&out)
        .assert_stderr_contains(ROW_TOO_LONG)
        .assert_stderr_contains("  --> big.csv, line 2\n");
}

/// The same 50 MB as the header line, with no newline at all.
#[test]
fn a_50_mb_header() {
    let t = Test::new();
    let mut file = File::create(t.path("big.csv")).expect("create big.csv");
    write_repeated(&mut file, b"student_id", 50 << 20);
    drop(file);
    let out = t.status(1).run_with(&["plan", "big.csv"]);
    assert_fails(&out)
        .assert_stderr_contains(ROW_TOO_LONG)
        .assert_stderr_contains("  --> big.csv, line 1\n");
}

/// A quoted field may hold newlines, so the row limit counts a row's bytes,
/// not a line's: a 50 MB name made of short lines is refused at the row it
/// starts on, before it is held in memory.
#[test]
fn a_50_mb_quoted_field_of_short_lines() {
    let t = Test::new();
    let mut file = File::create(t.path("big.csv")).expect("create big.csv");
    file.write_all(b"student_id,name,NF.1\nS1,\"")
        .expect("write");
    write_repeated(&mut file, b"xxxxxxxxx\n", 50 << 20);
    file.write_all(b"\",80\n").expect("write");
    drop(file);
    let out = t
        .status(1)
        .run_with(&["plan", "big.csv", "--format", "csv"]);
    assert_fails(&out).assert_stderr_contains("  --> big.csv, line 2\n");
}

/// A million columns: the header alone is over the row limit.
#[test]
fn a_million_columns() {
    let mut header = String::from("student_id");
    for i in 1..1_000_000 {
        let _ = write!(header, ",c{i}");
    }
    header.push('\n');
    let t = Test::new().file("wide.csv", format!("{header}S1{}\n", ",1".repeat(999_999)));
    let out = t.status(1).run_with(&["plan", "wide.csv"]);
    assert_fails(&out);
    assert!(
        out.stderr.starts_with(ROW_TOO_LONG) || out.stderr.starts_with("error[too-many-columns]"),
        "row-too-long or too-many-columns:\n{}",
        out.stderr
    );
    out.assert_stderr_contains("  --> wide.csv, line 1\n");
}

/// One column over the limit, on a short header line.
#[test]
fn more_columns_than_tierplan_reads() {
    let header: Vec<String> = std::iter::once("id".to_owned())
        .chain((1..=16_384).map(|i| format!("s{i}")))
        .collect();
    let t = Test::new().file(
        "wide.csv",
        format!("{}\nS1{}\n", header.join(","), ",1".repeat(16_384)),
    );
    let out = t.status(1).run_with(&["plan", "wide.csv"]);
    assert_fails(&out).assert_stderr(
        "
        error[too-many-columns]: `wide.csv` has 16385 columns; tierplan reads at most 16384
          --> wide.csv, line 1
          = help: is the delimiter right? a file of results has a column per field and skill
        ",
    );
}

/// The widest header allowed, 16,384 columns (an id and 16,383 skills), is
/// read and every skill planned. Its speed is measured by the `wide header`
/// benchmark (`benches/hot.rs`): matching each header against every other
/// once took 45 s here.
#[test]
fn the_widest_header_allowed_is_read() {
    let skills: Vec<String> = (1..16_384).map(|i| format!("s{i}")).collect();
    let t = Test::new().file(
        "wide.csv",
        format!(
            "id,{}\nS1{}\nS2{}\n",
            skills.join(","),
            ",50".repeat(16_383),
            ",90".repeat(16_383)
        ),
    );
    let out = t.run_with(&["plan", "wide.csv", "--format", "csv"]);
    assert_succeeds(&out);
    assert_eq!(
        parse_csv(&out.stdout, ',').len(),
        3,
        "a header and two students"
    );
}

// ---------------------------------------------------------------- the bytes

/// Random bytes with NUL and 0xFF: a problem naming the file, whether it is
/// a file, standard input, or the rows under a good header.
#[test]
fn binary_garbage() {
    let garbage = corpus("garbage.csv");
    assert!(garbage.contains(&0) && garbage.contains(&0xFF));
    let mut headed = b"student_id,name,NF.1\n".to_vec();
    headed.extend_from_slice(&garbage);
    let t = Test::new()
        .file("garbage.csv", &garbage)
        .file("headed.csv", &headed)
        .stdin(&garbage);
    assert_fails(&t.status(1).run_with(&["plan", "garbage.csv"])).assert_stderr_contains(
        "error[missing-column]: `garbage.csv` has no column for `student_id`",
    );
    assert_fails(&t.status(1).run_with(&["plan", "-"]))
        .assert_stderr_contains("error[missing-column]: `<stdin>` has no column for `student_id`");
    let out = t.status(1).run_with(&["plan", "headed.csv"]);
    assert_fails(&out).assert_stderr_contains("  --> headed.csv, line ");
    let check = t.status(1).run_with(&["check", "garbage.csv"]);
    assert_no_panic(&check);
    check.assert_stdout_contains("`garbage.csv` has no column for `student_id`");
}

/// Escape sequences and bells in a file (a skill headed `ESC[2J`, a name
/// that retitles the window) are shown as `�` on a terminal, in the table,
/// `explain` and messages; CSV keeps the data as it is.
#[test]
fn control_characters_never_reach_the_terminal() {
    let t = Test::new().file(
        "ctl.csv",
        "student_id,name,\u{1b}[2JNF.1\nS1,\u{1b}]0;Ana\u{7},40\nS2,Ben,90\n",
    );
    let controls = |text: &str| text.chars().any(|c| c.is_control() && c != '\n');
    for args in [
        &["plan", "ctl.csv"][..],
        &["explain", "ctl.csv", "--student", "S1"],
        &["check", "ctl.csv"],
    ] {
        let out = t.run_with(args);
        assert_no_panic(&out);
        assert!(
            !controls(&out.stdout),
            "stdout of {}:\n{}",
            out.command,
            out.stdout
        );
        assert!(
            !controls(&out.stderr),
            "stderr of {}:\n{}",
            out.command,
            out.stderr
        );
    }
    let csv = t.run_with(&["plan", "ctl.csv", "-f", "csv"]);
    assert_succeeds(&csv).assert_stdout_contains("S1,\u{1b}]0;Ana\u{7},");
}

/// Not UTF-8 from the start: the whole file is read as Windows-1252.
#[test]
fn a_windows_1252_byte_in_a_short_file() {
    let t = with(&["windows-1252.csv"]);
    let out = t.run_with(&[
        "plan",
        "windows-1252.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,name",
    ]);
    assert_succeeds(&out).assert_stdout("student_id,name\nS1,José Núñez\nS2,Ann Lee\n");
}

/// Detected as UTF-8 from the first 64 KiB, then a Windows-1252 byte (a
/// name typed in Excel on Windows): that byte is read as Windows-1252, the
/// UTF-8 after it stays UTF-8, and a warning names the line.
#[test]
fn a_windows_1252_byte_after_64_kib_is_read_as_such_and_named() {
    let mut text = String::from("student_id,name,NF.1\n");
    let mut rows = 0;
    while text.len() < 70_000 {
        let _ = writeln!(text, "S{rows:05},Zoë Ñúñez {rows},80");
        rows += 1;
    }
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"W1,Jos\xE9 \x80,80\nW2,Zo\xC3\xAB,80\n");
    let t = Test::new().file("late.csv", bytes);
    let out = t.run_with(&[
        "plan",
        "late.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,name",
    ]);
    assert_succeeds(&out);
    let rows_out = parse_csv(&out.stdout, ',');
    assert_eq!(rows_out.len(), rows + 3, "the header and every student");
    assert_eq!(rows_out[1], ["S00000", "Zoë Ñúñez 0"]);
    assert_eq!(
        rows_out[rows],
        [
            format!("S{:05}", rows - 1),
            format!("Zoë Ñúñez {}", rows - 1)
        ]
    );
    assert_eq!(rows_out[rows + 1], ["W1", "José €"]);
    assert_eq!(rows_out[rows + 2], ["W2", "Zoë"]);
    out.assert_stderr_contains(&format!(
        "warning[not-utf8]: this line has a byte that is not UTF-8; it was read as Windows-1252, as was any later one\n  --> late.csv, line {}\n",
        rows + 2
    ));
}

/// A short file with both: the UTF-8 characters decide, and the byte that
/// is not UTF-8 is read as Windows-1252, with a warning. A file of more
/// than 4 MiB, read in parts on several threads, names the same line.
#[test]
fn utf8_and_windows_1252_in_one_file() {
    let t = Test::new().file(
        "mixed.csv",
        &b"student_id,name,NF.1\nS1,Zo\xC3\xAB,80\nS2,Jos\xE9,70\n"[..],
    );
    let out = t.run_with(&[
        "plan",
        "mixed.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,name",
    ]);
    assert_succeeds(&out).assert_stdout("student_id,name\nS1,Zoë\nS2,José\n");
    out.assert_stderr_contains("  --> mixed.csv, line 3\n");

    let mut big = b"student_id,name,NF.1\n".to_vec();
    let mut rows = 0;
    while big.len() < 5 << 20 {
        let _ = writeln!(big, "S{rows:07},Zo\u{eb} N\u{fa}\u{f1}ez,80");
        rows += 1;
    }
    big.extend_from_slice(b"W1,Jos\xE9,70\nW2,Ren\xE9e,60\n");
    let t = Test::new().file("big.csv", big);
    let out = t.run_with(&[
        "plan",
        "big.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,name",
    ]);
    assert_succeeds(&out).assert_stdout_contains("\nW1,José\nW2,Renée\n");
    out.assert_stderr_contains(&format!("  --> big.csv, line {}\n", rows + 2));
    assert_eq!(out.stderr.matches("not-utf8").count(), 1, "{}", out.stderr);
}

// ---------------------------------------------------------------- the header

#[test]
fn a_skill_column_twice_names_both_columns() {
    let t = with(&["duplicate-skill.csv"]);
    assert_fails(&t.status(1).run_with(&["plan", "duplicate-skill.csv"])).assert_stderr(
        "
        error[duplicate-column]: columns 3 and 5 are both headed `NF.1`
          --> duplicate-skill.csv, line 1, column 5 (`NF.1`)
          = help: rename one of them so each skill has one column
        ",
    );
}

/// `Email` and `email`, both ignored by the default rules: no problem.
#[test]
fn an_unused_column_twice_is_fine() {
    let t = with(&["duplicate-unused.csv"]);
    let out = t.run_with(&[
        "plan",
        "duplicate-unused.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan",
    ]);
    assert_succeeds(&out)
        .assert_stdout("student_id,plan\nS1,core\n")
        .assert_stderr("");
}

// ---------------------------------------------------------------- the cells

/// `NaN`, `inf` and `1e309` (infinite as a double) parse as floats in many
/// languages; none is a score.
#[test]
fn scores_that_are_not_finite_numbers() {
    for (file, cell) in [
        ("score-nan.csv", "NaN"),
        ("score-inf.csv", "inf"),
        ("score-1e309.csv", "1e309"),
    ] {
        let t = with(&[file]);
        assert_fails(&t.status(1).run_with(&["plan", file])).assert_stderr(&format!(
            "error[bad-score]: `{cell}` is not a score\n  --> {file}, line 3, column 4 (`NF.2`)\n  = help: write a percent (85 or 85%), points over a maximum (7/10), or leave the cell empty when the skill was not assessed\n"
        ));
    }
}

/// `-0` is 0: below mastery, shown as `0`, never `-0`.
#[test]
fn minus_zero_reads_as_zero() {
    let t = with(&["score-minus-zero.csv"]);
    let csv = t.run_with(&[
        "plan",
        "score-minus-zero.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,focus,focus_score",
    ]);
    assert_succeeds(&csv).assert_stdout(
        "student_id,plan,focus,focus_score\nS1,core,,\nS2,small_group_reteach,NF.2,0\nS3,core,,\n",
    );
    let json = t.run_with(&["plan", "score-minus-zero.csv", "-f", "json"]);
    assert_succeeds(&json)
        .assert_stdout_contains(r#""student_id":"S2","#)
        .assert_stdout_contains(r#""focus_score":0.0,"#);
    assert!(!json.stdout.contains("-0"), "no -0 in:\n{}", json.stdout);
}

// ---------------------------------------------------------------- in parts

/// A `"` inside an unquoted field is a character (`Dwayne "Rock`), not the
/// start of a quoted field: the cuts that split a file over 4 MiB into parts
/// still fall between rows, and the file reads as standard input (never cut)
/// does.
#[test]
fn a_lone_quote_in_an_unquoted_field_does_not_derail_the_parts() {
    let mut text = String::from("student_id,name,section,NF.1,NF.2\n");
    let mut i = 0;
    while text.len() < (9 << 19) {
        let name = match i {
            5 => "Dwayne \"Rock Johnson".to_owned(),
            _ if i % 3 == 0 => format!("\"Last{i},\nFirst {i}\""),
            _ => format!("Student {i}"),
        };
        let _ = writeln!(text, "S{i:06},{name},5A,{},{}", i % 101, i * 7 % 101);
        i += 1;
    }
    let t = Test::new().file("big.csv", &text).stdin(&text);
    let stdin = t.run_with(&["plan", "-", "-f", "csv"]);
    assert_succeeds(&stdin);
    let file = t.run_with(&["plan", "big.csv", "-f", "csv"]);
    assert_succeeds(&file);
    assert!(
        file.stdout == stdin.stdout,
        "the file and standard input differ"
    );
}
