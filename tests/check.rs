//! `tierplan check`: problems in a rules file, each at its line and column
//! with the line underlined, and, given data, what the rules recognised in
//! it. `check` prints its report on standard output.

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

#[test]
fn a_rules_file_that_cannot_be_read_is_a_usage_error() {
    Test::new()
        .args(&["check", "--rules", "missing.yaml"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr_contains("error: cannot read `missing.yaml`");
}

#[test]
fn a_data_file_passed_as_rules_is_a_yaml_error_at_line_1() {
    Test::new()
        .quiz()
        .args(&["check", "--rules", "quiz.csv"])
        .status(1)
        .run()
        .assert_stdout_contains("--> quiz.csv, line 1, column 1\n");
}

#[test]
fn a_curly_quote_in_a_condition_is_named_in_the_message() {
    check(
        "
          - when: screening <= 10 and section == ’5A’
            plan: tier3
          - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[bad-condition]: unexpected `’` in condition
          --> rules.yaml, line 20, column 42
        ",
    );
}

#[test]
fn an_unknown_plan_kind_suggests_the_closest_kind() {
    Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [id]
            plans:
              core:
                label: Core
                kind: tier4_intervention
            tree:
              - default: core
            ",
        )
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[unknown-value]: unknown variant `tier4_intervention`, expected one of core, whole_class_reteach, small_group_reteach, tier2_intervention, tier3_intervention, referral_review, no_data, collect_more, continue, change_intervention, raise_goal
              --> rules.yaml, line 7, column 11
               |
             7 |     kind: tier4_intervention
               |           ^
              = help: did you mean `tier2_intervention`?
            ",
        );
}

#[test]
fn values_out_of_range_are_located() {
    Test::new()
        .rules(
            "
            tierplan: 2
            columns:
              student_id: [id]
            plans:
              core:
                label: Core
                kind: core
                tier: 9
                monitor: every 2 fortnights
            tree:
              - default: core
            ",
        )
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[unsupported-version]: rules format version 2 is not supported
              --> rules.yaml, line 1, column 11
            ",
        )
        .assert_stdout_contains(
            "
            error[bad-tier]: plan `core`: tier 9 is not 1, 2 or 3
              --> rules.yaml, line 8, column 11
            ",
        )
        .assert_stdout_contains(
            "
            error[bad-cadence]: `every 2 fortnights`: `fortnights` is not days, weeks or months
              --> rules.yaml, line 9, column 14
            ",
        )
        .assert_stdout_contains("3 errors found, 0 warnings\n");
}

#[test]
fn a_missing_key_is_reported_at_the_mapping_that_lacks_it() {
    Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [id]
            plans:
              core:
                label: Core
                tier: 1
            tree:
              - default: core
            ",
        )
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[missing-key]: plan `core` has no `kind`
              --> rules.yaml, line 5, column 3
            ",
        );
}

#[test]
fn a_missing_top_level_key_is_reported_at_the_start() {
    Test::new()
        .rules("name: only a name\n")
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "
            error[missing-key]: the rules file has no `columns`
              --> rules.yaml, line 1, column 1
            ",
        )
        .assert_stdout_contains("error[missing-key]: the rules file has no `tree`\n");
}

#[test]
fn a_plan_without_a_label_is_labelled_by_its_id() {
    Test::new()
        .quiz()
        .rules(
            "
            columns:
              student_id: [student_id]
            plans:
              core: {kind: core}
            tree:
              - default: core
            ",
        )
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "quiz.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,label",
        ])
        .run()
        .assert_stdout_contains("S01,core\n");
}

#[test]
fn an_unknown_function_suggests_the_closest_function() {
    check(
        "
        - when: cuont(score < 3) > 1
          plan: tier3
        - default: core
        ",
    )
    .status(1)
    .run()
    .assert_stdout_contains(
        "
        error[bad-condition]: unknown function `cuont`
          --> rules.yaml, line 20, column 11
        ",
    )
    .assert_stdout_contains("  = help: did you mean `count`?\n");
}
