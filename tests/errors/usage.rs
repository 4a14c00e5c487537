//! Usage errors (exit 2): a missing file, an unknown flag, format or
//! field, no subcommand; and `--help`, `--version` (exit 0).

use crate::util::Test;

#[test]
fn a_missing_data_file_is_a_usage_error() {
    Test::new()
        .args(&["plan", "nothere.csv"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr_contains("error: cannot open `nothere.csv`: ");
}

#[test]
fn a_missing_rules_file_is_a_usage_error() {
    Test::new()
        .quiz()
        .args(&["plan", "--rules", "nothere.yaml", "quiz.csv"])
        .status(2)
        .run()
        .assert_stderr_contains("error: cannot read `nothere.yaml`: ");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--bogus"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr_contains("error: unexpected argument '--bogus' found");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--format", "pdf"])
        .status(2)
        .run()
        .assert_stderr_contains("invalid value 'pdf'");
}

#[test]
fn no_subcommand_is_a_usage_error_with_the_exit_codes() {
    Test::new()
        .status(2)
        .run_with(&[])
        .assert_stderr_contains("Usage: tierplan [OPTIONS] <COMMAND>")
        .assert_stderr_contains(
            "
            Exit status:
              0  success
              1  the rules or the data have problems (each is printed with its file, line and column)
              2  usage error: a bad option, or a file that cannot be read or written
            ",
        );
}

#[test]
fn help_and_version_exit_0() {
    let t = Test::new();
    t.run_with(&["--help"])
        .assert_stdout_contains("Turn assessment results into an instructional plan");
    t.run_with(&["plan", "--help"])
        .assert_stdout_contains("tierplan plan quiz.csv --set mastery=70");
    t.run_with(&["--version"])
        .assert_stdout(&format!("tierplan {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn only_naming_no_field_or_column_is_a_usage_error_listing_them() {
    let t = Test::new().csv(
        "class.csv",
        "
        student_id,name,section,A
        S1,Ann,5A,90
        ",
    );
    t.status(2).run_with(&["plan", "class.csv", "--only", "bogus=1"])
        .assert_stdout("")
        .assert_stderr(
            "error: `--only bogus=...`: `class.csv` has no field or column `bogus`: its fields are `student_id`, `name` and `section`; its columns are `student_id`, `name`, `section` and `A`\n",
        );
    t.status(2).run_with(&["plan", "class.csv", "--only", "sectoin=5A"])
        .assert_stderr(
            "error: `--only sectoin=...`: `class.csv` has no field or column `sectoin`: its fields are `student_id`, `name` and `section`; its columns are `student_id`, `name`, `section` and `A`; did you mean `section`?\n",
        );
}
