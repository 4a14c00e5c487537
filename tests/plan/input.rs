//! Where the class comes from: standard input, several files as one class,
//! and the score notations a cell may use.

use crate::util::{QUIZ, QUIZ_NOTE, Test};

#[test]
fn dash_reads_the_class_from_standard_input() {
    let t = Test::new().quiz().stdin(QUIZ);
    let from_file = t.run_with(&["plan", "quiz.csv", "--format", "csv"]);
    t.run_with(&["plan", "-", "--format", "csv"])
        .assert_stderr(QUIZ_NOTE)
        .assert_stdout(&from_file.stdout);
    // No DATA at all reads standard input too, when it is not a terminal.
    t.run_with(&["plan", "--format", "csv"])
        .assert_stdout(&from_file.stdout);
}

#[test]
fn standard_input_well_under_its_limit_is_read_whole() {
    // Far more than a pipe's buffer, far less than the 4 GiB limit.
    let class = crate::util::big_class(20_000);
    assert!(class.len() > 1 << 19);
    let t = Test::new().file("class.csv", &class).stdin(&class);
    let from_file = t.run_with(&["plan", "class.csv", "--format", "csv"]);
    t.run_with(&["plan", "-", "--format", "csv"])
        .assert_stdout(&from_file.stdout);
}

#[test]
fn standard_input_is_named_stdin_in_messages() {
    Test::new()
        .stdin("student_id,A\nS1,high\n")
        .args(&["plan", "-"])
        .status(1)
        .run()
        .assert_stderr_contains("--> <stdin>, line 2, column 2 (`A`)");
}

/// See: issue 12. A pipe named as a path (`/dev/stdin` here; `<(cat
/// quiz.csv)` is `/dev/fd/63`) cannot be read twice: it is read once into
/// memory, as `-` is, rather than found empty the second time.
#[cfg(unix)]
#[test]
fn a_pipe_named_as_a_path_is_read_as_standard_input_is() {
    let t = Test::new().quiz().stdin(QUIZ);
    let from_file = t.run_with(&["plan", "quiz.csv", "--format", "csv"]);
    t.run_with(&["plan", "/dev/stdin", "--format", "csv"])
        .assert_stdout(&from_file.stdout);
    let table = t.run_with(&["plan", "quiz.csv"]);
    t.run_with(&["plan", "/dev/stdin"])
        .assert_stdout(&table.stdout);
    // Messages name it as given.
    Test::new()
        .stdin("student_id,A\nS1,high\n")
        .args(&["plan", "/dev/stdin"])
        .status(1)
        .run()
        .assert_stderr_contains("--> /dev/stdin, line 2, column 2 (`A`)");
}

#[test]
fn standard_input_can_be_read_once_only() {
    Test::new()
        .stdin(QUIZ)
        .args(&["plan", "-", "-"])
        .status(2)
        .run()
        .assert_stderr("error: `-` (standard input) can be read only once\n");
}

#[test]
fn several_files_are_one_class_and_a_section_may_span_them() {
    let t = Test::new()
        .csv(
            "monday.csv",
            "
            id,name,section,A
            S1,Ann,5A,50
            S2,Bo,5B,95
            ",
        )
        .csv(
            "tuesday.csv",
            "
            Student ID,section,B,A
            S3,5A,90,60
            S4,5B,,
            ",
        );
    // Section 5A spans the files: its whole-class decision on A counts
    // both (two students, so `min_assessed` is lowered for this class).
    t.run_with(&[
        "plan",
        "monday.csv",
        "tuesday.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,name,section,plan",
        "--set",
        "min_assessed=1",
    ])
    .assert_stdout(
        "
            student_id,name,section,plan
            S1,Ann,5A,core
            S2,Bo,5B,core
            S3,S3,5A,core
            S4,S4,5B,no_data
            ",
    );
    t.run_with(&[
        "plan",
        "monday.csv",
        "tuesday.csv",
        "-f",
        "markdown",
        "--set",
        "min_assessed=1",
    ])
    .assert_stdout_contains(
        "
            ## Section 5A (2 students)

            **Reteach to the whole class**

            - A: 2 of 2 below mastery (100%)
            ",
    )
    .assert_stdout_contains("## Section 5B (2 students)");
}

/// Rules that make every student's only skill their focus, so the CSV shows
/// how each score cell was read.
const FOCUS_RULES: &str = "
    tierplan: 1
    columns:
      student_id: [id]
    skills:
      columns: rest
      scale: SCALE
    params:
      mastery: 80
    plans:
      look: {label: Look, kind: core}
    tree:
      - default: look
        focus: weakest
    ";

#[test]
fn scores_read_as_percent_percent_sign_and_points() {
    Test::new()
        .rules(&FOCUS_RULES.replace("SCALE", "percent"))
        .csv(
            "scores.csv",
            "
            id,score
            S1,85
            S2,85%
            S3,7/10
            S4,7 / 10
            S5, 92.5 
            S6,0
            S7,100%
            S8,0.85
            ",
        )
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "scores.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,focus,focus_score",
        ])
        .run()
        .assert_stdout(
            "
            student_id,focus,focus_score
            S1,score,85
            S2,score,85
            S3,score,70
            S4,score,70
            S5,score,92.5
            S6,score,0
            S7,score,100
            S8,score,0.85
            ",
        );
}

#[test]
fn the_fraction_scale_reads_decimals_as_percents() {
    let t = Test::new()
        .rules(&FOCUS_RULES.replace("SCALE", "fraction"))
        .csv(
            "scores.csv",
            "
            id,score
            S1,0.85
            S2,85%
            S3,7/10
            S4,1
            ",
        );
    let args = [
        "plan",
        "--rules",
        "rules.yaml",
        "scores.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,focus_score",
    ];
    t.run_with(&args).assert_stdout(
        "
        student_id,focus_score
        S1,85
        S2,85
        S3,70
        S4,100
        ",
    );
    let t = t.csv("scores.csv", "id,score\nS1,0.85\nS2,85\n");
    t.status(1).run_with(&args).assert_stderr(
        "
        error[bad-score]: score `85` is above 1, and these rules read skill scores as fractions
          --> scores.csv, line 3, column 2 (`score`)
          = help: write it as a fraction (0.85), as a percent (85%), or set `skills: {scale: percent}` in the rules
        ",
    );
}
