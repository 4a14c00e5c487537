//! `tierplan check`: problems in a rules file, each at its line and column
//! with the line underlined, and, given data, what the rules recognised in
//! it. `check` prints its report on standard output. This file holds the
//! shape of the tree; `names` the names the rules use, with and without
//! data; `values` the values, keys and kinds the rules give.

mod names;
mod values;

use crate::util::{Test, unindent};

/// Rules whose tree starts on line 20: `tree` (unindented) is indented by
/// two spaces under `tree:`.
fn rules_with_tree(tree: &str) -> String {
    let head = unindent(
        "
        tierplan: 1
        name: Small
        columns:
          student_id: [student_id, id]
          name: {names: [name], optional: true}
          section: {names: [section], optional: true}
          screening: {names: [screening_pctl], optional: true}
        skills:
          columns: rest
        params:
          mastery: 80
        plans:
          tier3:
            label: Tier 3
            kind: tier3_intervention
          core:
            label: Core
            kind: core
        tree:
        ",
    );
    let tree: String = unindent(tree)
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect();
    head + &tree
}

/// `tierplan check` on the rules with this tree, ready to run.
fn check(tree: &str) -> Test {
    Test::new()
        .file("rules.yaml", rules_with_tree(tree))
        .args(&["check", "--rules", "rules.yaml"])
}

#[test]
fn the_default_rules_are_ok() {
    Test::new()
        .args(&["check"])
        .run()
        .assert_stderr("")
        .assert_stdout(
            "
            rules `After a quiz` (<built-in rules `default`>): 6 plans, 5 branches, 5 parameters
            ok
            ",
        );
}

#[test]
fn with_data_check_lists_the_columns_and_skills_it_recognised() {
    Test::new()
        .quiz()
        .args(&["check", "quiz.csv"])
        .run()
        .assert_stdout(
            "
            rules `After a quiz` (<built-in rules `default`>): 6 plans, 5 branches, 5 parameters
            quiz.csv: columns student_id = `student_id`, name = `name`, section = `section`, grade = (none), screening = `screening_pctl`
              skills: `NBT.1`, `NBT.2`, `NF.1`, `NF.2`, `OA.1` and `MD.1`
            28 students in 1 section: every row reads
              branches: line 118 → no_data: 1 student; line 122 → tier3: 1 student; line 127 → tier2: 3 students; line 133 → small_group_reteach: 10 students; line 137 → core: 13 students
            ok
            ",
        );
}

#[test]
fn check_lists_the_columns_it_ignores() {
    Test::new()
        .csv(
            "class.csv",
            "
            Student ID,Email,Period,Q1,Total
            S1,a@b.c,2,80,80
            ",
        )
        .args(&["check", "class.csv"])
        .run()
        .assert_stdout_contains(
            "
            class.csv: columns student_id = `Student ID`, name = (none), section = `Period`, grade = (none), screening = (none)
              skills: `Q1`
              ignored: `Email` and `Total`
            1 student in 1 section: every row reads
              branches: line 118 → no_data: 0 students; line 122 → tier3: 0 students; line 127 → tier2: 0 students; line 133 → small_group_reteach: 0 students; line 137 → core: 1 student
            ok
            ",
        );
}

#[test]
fn a_small_rules_file_is_ok() {
    check(
        "
          - when: screening <= 10
            plan: tier3
          - default: core
        ",
    )
    .run()
    .assert_stdout(
        "
        rules `Small` (rules.yaml): 2 plans, 2 branches, 1 parameter
        ok
        ",
    );
}

#[test]
fn an_unknown_plan_is_underlined_with_the_closest_plan() {
    check(
        "
          - when: screening <= 10
            plan: tier4
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stderr("")
    .assert_stdout(
        "
        error[unknown-plan]: unknown plan `tier4`
          --> rules.yaml, line 21, column 11
            |
         21 |     plan: tier4
            |           ^^^^^
          = help: did you mean `tier3`?

        warning[unused-plan]: plan `tier3` is declared but no branch leads to it

        1 error found, 1 warning
        ",
    );
}

#[test]
fn a_condition_that_does_not_parse_points_at_the_bad_token() {
    check(
        "
          - when: screening << 10
            plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[bad-condition]: expected a value, found `<`
          --> rules.yaml, line 20, column 22
            |
         20 |   - when: screening << 10
            |                      ^
        ",
    );
}

#[test]
fn a_condition_that_ends_too_early_points_after_its_end() {
    check(
        "
          - when: screening <= 10 and
            plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[bad-condition]: expected a value, found the end of the condition
          --> rules.yaml, line 20, column 30
            |
         20 |   - when: screening <= 10 and
            |                              ^
        ",
    );
}

#[test]
fn a_branch_after_the_default_is_unreachable() {
    check(
        "
          - when: screening <= 10
            plan: tier3
          - default: core
          - when: screening <= 20
            plan: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout(
        "
        error[unreachable-branch]: this branch comes after the `default` and can never be reached
          --> rules.yaml, line 23, column 11
            |
         23 |   - when: screening <= 20
            |           ^
          = help: move it above the `default`, or remove it

        1 error found, 0 warnings
        ",
    );
}

#[test]
fn a_branch_repeating_an_earlier_test_is_unreachable() {
    check(
        "
          - when: screening <= 10
            plan: tier3
          - when: screening  <=  10
            plan: core
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[unreachable-branch]: this branch repeats the test on line 20 and can never be reached
          --> rules.yaml, line 22, column 11
        ",
    );
}

#[test]
fn an_unknown_key_is_an_error_with_the_closest_key() {
    check(
        "
          - whn: screening <= 10
            plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout(
        "
        error[unknown-key]: unknown field `whn`, expected one of when, default, plan, then, focus, reason, if_missing
          --> rules.yaml, line 20, column 5
            |
         20 |   - whn: screening <= 10
            |     ^
          = help: did you mean `when`?

        1 error found, 0 warnings
        ",
    );
}

#[test]
fn an_unknown_top_level_key_is_an_error() {
    Test::new()
        .file(
            "rules.yaml",
            rules_with_tree("- default: core") + "gudeline: {tier1: 80, tier2: 15, tier3: 5}\n",
        )
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains("--> rules.yaml, line 21, column 1\n")
        .assert_stdout_contains("= help: did you mean `guideline`?\n");
}

#[test]
fn a_key_written_twice_is_an_error_at_the_second() {
    check(
        "
          - when: screening <= 10
            plan: tier3
            plan: core
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout(
        "
        error[duplicate-key]: duplicate mapping key: plan
          --> rules.yaml, line 22, column 5
            |
         22 |     plan: core
            |     ^
          = help: each name may be declared once; remove or rename one

        1 error found, 0 warnings
        ",
    );
}

#[test]
fn a_tree_without_a_default_is_an_error_at_the_list() {
    check(
        "
          - when: screening <= 10
            plan: tier3
        ",
    )
    .status(1)
    .run()
    .assert_stdout(
        "
        error[missing-default]: this list of branches has no `default`
          --> rules.yaml, line 20, column 3
            |
         20 |   - when: screening <= 10
            |   ^
          = help: end it with `- default: <plan>`, the plan when no branch matches

        1 error found, 0 warnings
        ",
    );
}

#[test]
fn a_nested_list_without_a_default_is_an_error_at_that_list() {
    check(
        "
          - when: screening <= 10
            then:
              - when: screening <= 5
                plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[missing-default]: this list of branches has no `default`
          --> rules.yaml, line 22, column 7
        ",
    );
}

#[test]
fn when_true_and_when_false_are_errors() {
    check(
        "
          - when: false
            plan: tier3
          - when: true
            plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[unreachable-branch]: `when: false` never matches
          --> rules.yaml, line 20, column 11
        ",
    )
    .assert_stdout_contains(
        "
        error[always-true]: `when: true` always matches; write it as the `default`
          --> rules.yaml, line 22, column 11
        ",
    )
    .assert_stdout_contains("2 errors found, 0 warnings\n");
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    check(
        "
          - when: screening <= 10
            plan: tier4
          - when: screening <= 20
            plan: cor
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains("--> rules.yaml, line 21, column 11\n")
    .assert_stdout_contains("--> rules.yaml, line 23, column 11\n")
    .assert_stdout_contains("2 errors found, 1 warning\n");
}
