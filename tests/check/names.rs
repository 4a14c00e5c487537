//! The names the rules use: misspelt without data (a warning), unknown
//! given data (an error with the closest name or header), located inside
//! a reason or a focus test; and what `check` reports of the data.

use super::{check, rules_with_tree};
use crate::util::Test;

#[test]
fn a_misspelt_name_is_a_warning_without_data() {
    check(
        "
          - when: screnning <= 10
            plan: tier3
          - default: core
        ",
    ).run()
    .assert_stdout(
        "
        warning[unknown-name]: `screnning` is not a column, parameter or table of the rules; it will be read as a skill column
          --> rules.yaml, line 20, column 11
            |
         20 |   - when: screnning <= 10
            |           ^^^^^^^^^
          = help: did you mean `screening`?

        rules `Small` (rules.yaml): 2 plans, 2 branches, 1 parameter
        ok (1 warning)
        ",
    );
}

#[test]
fn with_data_an_unknown_name_is_an_error_with_the_closest_name() {
    Test::new()
        .quiz()
        .file(
            "rules.yaml",
            rules_with_tree(
                "
                  - when: screnning <= 10
                    plan: tier3
                  - default: core
                ",
            ),
        )
        .args(&["check", "--rules", "rules.yaml", "quiz.csv"])
        .status(1)
        .run()
        .assert_stdout(
            "
            error[bad-condition]: unknown name `screnning`
              --> rules.yaml, line 20, column 11
                |
             20 |   - when: screnning <= 10
                |           ^^^^^^^^^
              = help: did you mean `screening`?

            rules `Small` (rules.yaml): 2 plans, 2 branches, 1 parameter
            quiz.csv: columns student_id = `student_id`, name = `name`, section = `section`, screening = `screening_pctl`
              skills: `NBT.1`, `NBT.2`, `NF.1`, `NF.2`, `OA.1` and `MD.1`
            1 error found, 0 warnings
            ",
        );
}

#[test]
fn with_data_an_unknown_skill_suggests_the_closest_header() {
    Test::new()
        .quiz()
        .file(
            "rules.yaml",
            rules_with_tree(
                "
                  - when: \"`NF.3` < 50\"
                    plan: tier3
                  - default: core
                ",
            ),
        )
        .args(&["check", "--rules", "rules.yaml", "quiz.csv"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[bad-condition]: unknown name `NF.3`
              --> rules.yaml, line 20, column 12
                |
             20 |   - when: \"`NF.3` < 50\"
                |            ^^^^^^
              = help: did you mean `NF.1`?
            ",
        );
}

#[test]
fn a_name_in_a_reason_placeholder_is_located_inside_the_text() {
    check(
        "
        - when: screening <= 10
          plan: tier3
          reason: \"percentile {screnning}\"
        - default: core
        ",
    ).run()
    .assert_stdout_contains(
        "
        warning[unknown-name]: `screnning` is not a column, parameter or table of the rules; it will be read as a skill column
          --> rules.yaml, line 22, column 26
            |
         22 |     reason: \"percentile {screnning}\"
            |                          ^^^^^^^^^
        ",
    );
}

#[test]
fn with_data_a_name_in_a_focus_test_is_located_inside_the_call() {
    Test::new()
        .quiz()
        .file(
            "rules.yaml",
            rules_with_tree(
                "
                - when: screening <= 10
                  plan: tier3
                  focus: weakest(scor < mastery)
                - default: core
                ",
            ),
        )
        .args(&["check", "--rules", "rules.yaml", "quiz.csv"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[bad-focus]: unknown name `scor`
              --> rules.yaml, line 22, column 20
                |
             22 |     focus: weakest(scor < mastery)
                |                    ^^^^
              = help: did you mean `score`?
            ",
        );
}

#[test]
fn columns_are_counted_in_characters_on_lines_with_accents() {
    Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [student_id]
            skills: {columns: rest}
            params: {mastery: 80}
            plans:
              tier3: {label: \"Tïér 3 — ñ\", kind: tier3_intervention}
              core: {label: Core, kind: core}
            tree:
              - {when: \"`NF.1` < 50\", reason: \"Ünï {focus}\", plan: tier4}
              - default: core
            ",
        )
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[unknown-plan]: unknown plan `tier4`
              --> rules.yaml, line 10, column 56
                |
             10 |   - {when: \"`NF.1` < 50\", reason: \"Ünï {focus}\", plan: tier4}
                |                                                        ^^^^^
            ",
        );
}

#[test]
fn a_required_column_missing_from_the_data_points_at_the_rules_and_suggests_a_header() {
    let rules = rules_with_tree("- when: screening <= 10\n  plan: tier3\n- default: core\n")
        .replace("student_id: [student_id, id]", "student_id: [studnt_id]");
    Test::new()
        .quiz()
        .file("rules.yaml", rules)
        .args(&["check", "--rules", "rules.yaml", "quiz.csv"])
        .status(1)
        .run()
        .assert_stdout(
            "
            error[missing-column]: `quiz.csv` has no column for `student_id` (looked for `studnt_id`)
              --> rules.yaml, line 4, column 3
               |
             4 |   student_id: [studnt_id]
               |   ^^^^^^^^^^
              = help: the file has `student_id`: if that is it, add it to the names of `student_id`

            rules `Small` (rules.yaml): 2 plans, 2 branches, 1 parameter
            1 error found, 0 warnings
            ",
        );
}

#[test]
fn a_required_column_with_no_close_header_lists_the_headers() {
    let rules = rules_with_tree("- default: core\n").replace(
        "screening: {names: [screening_pctl], optional: true}",
        "grade: [grade level]",
    );
    Test::new()
        .csv("class.csv", "id,name,Q1\nS1,Ann,80\n")
        .file("rules.yaml", rules)
        .args(&["check", "--rules", "rules.yaml", "class.csv"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[missing-column]: `class.csv` has no column for `grade` (looked for `grade level`)
              --> rules.yaml, line 7, column 3
               |
             7 |   grade: [grade level]
               |   ^^^^^
              = help: add the file's header for it to `grade`, or mark it `optional: true`; the file's columns are `id`, `name` and `Q1`
            ",
        );
}

#[test]
fn check_reports_a_bad_cell_in_the_data() {
    Test::new()
        .csv("bad.csv", "student_id,A\nS1,abc\n")
        .args(&["check", "bad.csv"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[bad-score]: `abc` is not a score
              --> bad.csv, line 2, column 2 (`A`)
            ",
        )
        .assert_stdout_contains("1 error found, 0 warnings\n");
}

#[test]
fn check_reports_an_unknown_set_parameter() {
    Test::new()
        .args(&["check", "--set", "mastry=70"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "error: `--set mastry=...`: the rules have no parameter `mastry`; did you mean `mastery`?\n",
        );
}
