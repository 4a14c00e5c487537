//! Problems in the data (exit 1, each with file, line and column): cells,
//! rows, encodings and files; one module each for a student's rows
//! (duplicates, `--lenient`), usage errors (exit 2), `--set` and the ranges
//! of parameters, and the exit status when the output goes away.

mod output;
mod set;
mod students;
mod usage;

use crate::util::Test;

const SCORE_HELP: &str = "  = help: write a percent (85 or 85%), points over a maximum (7/10), or leave the cell empty when the skill was not assessed\n";

/// `tierplan plan f.csv` on these bytes, ready to run.
fn plan(bytes: impl AsRef<[u8]>) -> Test {
    Test::new().file("f.csv", bytes).args(&["plan", "f.csv"])
}

#[test]
fn a_cell_that_is_not_a_score() {
    plan("id,name,a,b\nS1,Ann,80,90\nS2,Bo,70,abc\n")
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[bad-score]: `abc` is not a score\n  --> f.csv, line 3, column 4 (`b`)\n{SCORE_HELP}"
        ));
}

#[test]
fn a_percent_above_100() {
    plan("id,name,a,b\nS1,Ann,120%,90\n")
        .status(1)
        .run()
        .assert_stderr(&format!(
            "error[bad-score]: score `120%` is 120%, outside 0 to 100\n  --> f.csv, line 2, column 3 (`a`)\n{SCORE_HELP}"
        ));
}

#[test]
fn a_negative_score() {
    plan("id,a\nS1,-5\n")
        .status(1)
        .run()
        .assert_stderr_contains("error[bad-score]: score `-5` is -5%, outside 0 to 100\n  --> f.csv, line 2, column 2 (`a`)\n");
}

#[test]
fn more_points_than_the_maximum() {
    plan("id,name,a,b\nS1,Ann,8/10,11 / 10\n")
        .status(1)
        .run()
        .assert_stderr(&format!(
            "error[bad-score]: score `11 / 10` has more points than the maximum\n  --> f.csv, line 2, column 4 (`b`)\n{SCORE_HELP}"
        ));
}

#[test]
fn points_out_of_zero() {
    plan("id,a\nS1,3/0\n")
        .status(1)
        .run()
        .assert_stderr_contains("error[bad-score]: score `3/0` is out of a maximum of 0\n  --> f.csv, line 2, column 2 (`a`)\n");
}

#[test]
fn a_screening_percentile_that_is_not_a_number() {
    plan("id,name,screening percentile,a\nS1,Ann,12,90\nS2,Bo,high,90\n")
        .status(1)
        .run()
        .assert_stderr(
            "
            error[not-a-number]: `high` is not a number
              --> f.csv, line 3, column 3 (`screening percentile`)
              = help: the rules compare this column with numbers; leave the cell empty when there is no value
            ",
        );
}

#[test]
fn a_row_with_too_few_fields() {
    plan("id,name,a,b\nS1,Ann,80,90\nS2,Bo,70\n")
        .status(1)
        .run()
        .assert_stderr(
            "
            error[ragged-row]: this row has 3 fields, and the header has 4
              --> f.csv, line 3
              = help: check for a missing or extra delimiter, or a quote that is not closed
            ",
        );
}

#[test]
fn a_row_with_too_many_fields() {
    plan("id,name,a\nS1,Ann,80\nS2,Bo,70,\n")
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[ragged-row]: this row has 4 fields, and the header has 3\n  --> f.csv, line 3\n",
        );
}

#[test]
fn an_unclosed_quote() {
    plan("id,name,a\nS1,\"Ann,80\nS2,Bo,70\n")
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[ragged-row]: this row has 2 fields, and the header has 3\n  --> f.csv, line 2\n",
        );
}

#[test]
fn an_empty_file() {
    for bytes in ["", "\n", "\u{feff}", ",,\n"] {
        plan(bytes).status(1).run().assert_stderr(
            "
            error[empty-file]: `f.csv` is empty
              --> f.csv
              = help: export the results with a header row and one row per student
            ",
        );
    }
}

#[test]
fn a_header_without_students() {
    for bytes in ["id,name,a\n", "id,name,a", "id,name,a\r\n\r\n"] {
        plan(bytes).status(1).run().assert_stderr(
            "
            error[no-students]: `f.csv` has a header but no students
              --> f.csv
              = help: export the results again, with one row per student
            ",
        );
    }
}

#[test]
fn a_row_without_a_student_id() {
    plan("id,name,a,b\nS1,Ann,80,90\n,Bo,70,60\n")
        .status(1)
        .run()
        .assert_stderr(
            "
            error[missing-id]: this student has no id
              --> f.csv, line 3, column 1 (`id`)
              = help: every row needs a student id; fill it in or remove the row
            ",
        );
}

/// The names of the class, as `--format csv --columns name` prints them.
fn names(bytes: impl AsRef<[u8]>, extra: &[&str]) -> String {
    let mut args = vec!["plan", "f.csv", "-f", "csv", "--columns", "name"];
    args.extend_from_slice(extra);
    let output = Test::new().file("f.csv", bytes).args(&args).run();
    output.stdout
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_read() {
    let text = "id,name,a\r\nS1,Nguyễn Thị Lan,80\r\nS2,José,90\r\n";
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for bytes in [utf16le, utf16be] {
        assert_eq!(names(bytes, &[]), "name\nNguyễn Thị Lan\nJosé\n");
    }
}

#[test]
fn windows_1252_files_are_detected_and_read() {
    // Excel's plain "CSV" on Windows: `é` is the single byte E9.
    let bytes = b"id,name,a\r\nS1,Jos\xe9 \x80lvarez,80\r\n".to_vec();
    assert_eq!(names(bytes.clone(), &[]), "name\nJosé €lvarez\n");
    assert_eq!(
        names(bytes, &["--encoding", "windows-1252"]),
        "name\nJosé €lvarez\n"
    );
}

#[test]
fn the_encoding_can_be_chosen() {
    // Valid UTF-8 read as Latin-1 on purpose: each byte is one character.
    let bytes = "id,name,a\nS1,José,80\n";
    assert_eq!(names(bytes, &["--encoding", "utf-8"]), "name\nJosé\n");
    assert_eq!(names(bytes, &["--encoding", "latin1"]), "name\nJosÃ©\n");
    Test::new()
        .file("f.csv", bytes)
        .args(&["plan", "f.csv", "--encoding", "klingon"])
        .status(2)
        .run()
        .assert_stderr_contains("unknown encoding `klingon`");
}

#[test]
fn semicolon_files_may_use_decimal_commas() {
    let output = Test::new()
        .file(
            "f.csv",
            "id;name;a;screening_pctl\nS1;Ann;85,5;7,5\nS2;Bo;\"70,5\";\nS3;Cy;95;\n",
        )
        .args(&[
            "plan",
            "f.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,plan,focus_score",
        ])
        .run();
    output.assert_stdout(
        "student_id,plan,focus_score\nS1,tier3,85.5\nS2,small_group_reteach,70.5\nS3,core,\n",
    );
}

#[test]
fn a_file_with_no_id_column_names_the_field_in_the_rules() {
    plan("name,a\nAnn,80\n")
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[missing-column]: `f.csv` has no column for `student_id` (looked for `student_id`, `student id`, `id`, `student number`, `sis id` and `local id`)\n  --> <built-in rules `default`>, line 21, column 3\n",
        );
}

#[test]
fn two_columns_for_the_same_field() {
    plan("student_id,Student ID,a\nS1,S1,80\n")
        .status(1)
        .run()
        .assert_stderr_contains(
            "
            error[ambiguous-column]: columns 1, 2 of `f.csv` are all headed `student_id`, and `student_id` needs one
              --> f.csv, line 1, column 1 (`student_id`)
              = help: rename the extra columns, or remove them
            ",
        );
}

#[test]
fn a_duplicate_skill_column_is_reported_once() {
    plan("id,Q1,q 1\nS1,80,90\n").status(1).run().assert_stderr(
        "
            error[duplicate-column]: columns 2 and 3 are both headed `q 1`
              --> f.csv, line 1, column 3 (`q 1`)
              = help: rename one of them so each skill has one column
            ",
    );
}

#[test]
fn lines_count_the_newlines_inside_quoted_names() {
    plan("id,name,a\nS1,\"Ann\nMarie\",80\nS2,Bo,abc\n")
        .status(1)
        .run()
        .assert_stderr_contains("--> f.csv, line 4, column 3 (`a`)\n");
}

#[test]
fn lines_are_counted_in_crlf_files() {
    plan("id,name,a\r\nS1,Ann,80\r\nS2,Bo,abc\r\n")
        .status(1)
        .run()
        .assert_stderr_contains("--> f.csv, line 3, column 3 (`a`)\n");
    Test::new()
        .file("f.csv", "id,name,a\r\nS1,Ann,80\r\nS2,Bo,70\r\n")
        .args(&["explain", "f.csv", "--student", "S1"])
        .run()
        .assert_stdout_contains("From f.csv line 2;");
}

#[test]
fn lines_count_blank_lines() {
    plan("id,name,a\nS1,Ann,80\n\nS2,Bo,abc\n")
        .status(1)
        .run()
        .assert_stderr_contains("--> f.csv, line 4, column 3 (`a`)\n");
}

#[test]
fn blank_lines_are_not_students() {
    Test::new()
        .file("f.csv", "id,name,a\n\nS1,Ann,80\n\n\nS2,Bo,70\n\n")
        .args(&["plan", "f.csv", "-f", "csv", "--columns", "student_id"])
        .run()
        .assert_stdout("student_id\nS1\nS2\n");
}

#[test]
fn a_problem_in_the_second_file_names_that_file() {
    Test::new()
        .file("a.csv", "id,a\nS1,80\n")
        .file("b.csv", "id,a\nS2,80\nS3,8O\n")
        .args(&["plan", "a.csv", "b.csv"])
        .status(1)
        .run()
        .assert_stderr_contains("--> b.csv, line 3, column 2 (`a`)\n");
}

#[test]
fn a_quiz_with_one_bad_cell_gets_the_plain_message() {
    // Twenty good rows and a typo: a quiz sheet, not an unknown export.
    let mut text = String::from("student_id,name,NBT.1,NBT.2,NF.1\n");
    for i in 1..=20 {
        text.push_str(&format!(
            "S{i:02},Student {i},{},{},{}\n",
            60 + i,
            70 + i,
            50 + i
        ));
    }
    text.push_str("S21,Student 21,80,abc,90\n");
    plan(text)
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[bad-score]: `abc` is not a score\n  --> f.csv, line 22, column 4 (`NBT.2`)\n{SCORE_HELP}"
        ));
}
