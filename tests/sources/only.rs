//! `--only` on every kind of input: a plain CSV, standard input, a file
//! read in parts, `explain` and `check`, and a recoded value.

use crate::util::{Test, big_class, parse_csv, unindent};

/// Two sections of a plain sheet: S1 and S3 in 5A (Ms Ruiz), S2 and S4 in
/// 5B (Mr Kim). `teacher` is a column the default rules ignore.
const TWO_SECTIONS: &str = "
    student_id,name,section,teacher,screening_pctl,A,B
    S1,Ann,5A,Ruiz,50,90,80
    S2,Bo,5B,Kim,40,60,85
    S3,Cy,5A,Ruiz,60,85,95
    S4,Di,5B,Kim,30,50,40
";

#[test]
fn only_keeps_one_section_of_a_plain_csv() {
    Test::new()
        .csv("class.csv", TWO_SECTIONS)
        .args(&[
            "plan",
            "class.csv",
            "--only",
            "section=5A",
            "-f",
            "csv",
            "--columns",
            "student_id,section,plan",
        ])
        .run()
        .assert_stdout("student_id,section,plan\nS1,5A,core\nS3,5A,core\n")
        .assert_stderr(
            "warning[not-selected]: 2 rows whose `section` is not `5A` left out (--only)\n",
        );
}

#[test]
fn only_reads_a_column_by_its_header_and_a_value_in_any_case() {
    // `Teacher` is no field of the rules: the column headed `teacher`.
    Test::new()
        .csv("class.csv", TWO_SECTIONS)
        .args(&[
            "plan",
            "class.csv",
            "--only",
            "Teacher=kim",
            "-f",
            "csv",
            "--columns",
            "student_id,section",
        ])
        .run()
        .assert_stdout("student_id,section\nS2,5B\nS4,5B\n")
        .assert_stderr(
            "warning[not-selected]: 2 rows whose `Teacher` is not `kim` left out (--only)\n",
        );
}

#[test]
fn only_on_standard_input() {
    Test::new()
        .stdin(unindent(TWO_SECTIONS))
        .args(&[
            "plan",
            "-",
            "--only",
            "section=5B",
            "-f",
            "csv",
            "--columns",
            "student_id,section",
        ])
        .run()
        .assert_stdout("student_id,section\nS2,5B\nS4,5B\n")
        .assert_stderr(
            "warning[not-selected]: 2 rows whose `section` is not `5B` left out (--only)\n",
        );
}

/// A file over 4 MiB is read in parts on several threads, standard input in
/// one piece: with `--only`, both give exactly the rows of the section, in
/// order, and the same count of rows left out.
#[test]
fn only_on_a_file_read_in_parts_gives_the_rows_of_a_single_read() {
    const MIN_SPLIT: usize = 4 << 20;
    let text = big_class(150_000);
    assert!(text.len() > MIN_SPLIT + (64 << 10), "{} bytes", text.len());
    let rows = parse_csv(&text, ',');
    let expected: Vec<String> = rows[1..]
        .iter()
        .filter(|r| r[2] == "5B")
        .map(|r| r[0].clone())
        .collect();
    let left = rows.len() - 1 - expected.len();
    let t = Test::new().file("big.csv", &text).stdin(&text);
    let args = |input: &'static str| {
        [
            "plan",
            input,
            "--only",
            "section=5B",
            "-f",
            "csv",
            "--columns",
            "student_id,section",
        ]
    };
    let file = t.run_with(&args("big.csv"));
    let stdin = t.run_with(&args("-"));
    let ids: Vec<String> = parse_csv(&file.stdout, ',')
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(ids.len(), expected.len(), "every 5B student once");
    assert!(ids == expected, "the 5B students, in input order");
    assert!(
        file.stdout == stdin.stdout,
        "the file read in parts and standard input give different plans"
    );
    let note = format!(
        "warning[not-selected]: {left} rows whose `section` is not `5B` left out (--only)\n"
    );
    file.assert_stderr_contains(&note);
    stdin.assert_stderr_contains(&note);
    assert_eq!(file.stderr, stdin.stderr);
}

#[test]
fn explain_and_check_honour_only() {
    let t = Test::new().csv("class.csv", TWO_SECTIONS);
    let note = "warning[not-selected]: 2 rows whose `section` is not `5A` left out (--only)\n";
    t.run_with(&[
        "explain",
        "class.csv",
        "--student",
        "S3",
        "--only",
        "section=5A",
    ])
    .assert_stdout_contains("Student S3 · Cy · section 5A\n")
    .assert_stderr(note);
    t.status(2).run_with(&["explain", "class.csv", "--student", "S2", "--only", "section=5A"])
        .assert_stdout("")
        .assert_stderr(&format!(
            "{note}error: no student with id `S2` in `class.csv` with `--only section=5A`; did you mean `S1`?\n"
        ));
    t.run_with(&["check", "class.csv", "--only", "section=5A"])
        .assert_stdout_contains(note)
        .assert_stdout_contains("\n2 students in 1 section: every row reads\n")
        .assert_stdout_contains("\nok (1 warning)\n");
    t.status(2)
        .run_with(&["check", "class.csv", "--only", "bogus=1"])
        .assert_stderr_contains("`class.csv` has no field or column `bogus`");
}

#[test]
fn only_with_duplicates_last_keeps_the_row_it_selects() {
    // S1's later row is in 5B: with `--only section=5A` it is left out,
    // and replaces nothing.
    Test::new()
        .csv(
            "class.csv",
            "
            student_id,name,section,A
            S1,Ann,5A,90
            S2,Bo,5A,60
            S1,Ann,5B,50
            ",
        )
        .args(&[
            "plan",
            "class.csv",
            "--only",
            "section=5A",
            "--duplicates",
            "last",
            "-f",
            "csv",
            "--columns",
            "student_id,section,focus_score",
        ])
        .run()
        .assert_stdout("student_id,section,focus_score\nS1,5A,\nS2,5A,60\n")
        .assert_stderr_contains(
            "warning[not-selected]: 1 row whose `section` is not `5A` left out (--only)\n",
        );
}

#[test]
fn only_that_keeps_no_row_lists_the_values() {
    Test::new()
        .csv("class.csv", TWO_SECTIONS)
        .args(&["plan", "class.csv", "--only", "section=9Z"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "
            error[nothing-selected]: no row of `class.csv` has `section` = `9Z`
              --> class.csv
              = help: its values are `5A` and `5B`
            ",
        );
}

/// `--only` compares the value the rules read: after `recode:`, so
/// `--only season=BOY` keeps the rows the file writes `Fall`.
#[test]
fn only_reads_a_recoded_value_as_the_rules_do() {
    let rules = "
        tierplan: 1
        columns:
          student_id: [id]
          season: [season]
          composite: [composite]
        recode:
          season: {Fall: BOY}
        plans:
          core: {label: Core, kind: core}
        tree:
          - default: core
        ";
    Test::new()
        .rules(rules)
        .csv(
            "d.csv",
            "id,season,composite\nS1,Fall,300\nS2,MOY,310\nS3,BOY,320\n",
        )
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "d.csv",
            "--only",
            "season=BOY",
            "-f",
            "csv",
            "--columns",
            "student_id",
        ])
        .run()
        .assert_stdout("student_id\nS1\nS3\n");
}
