//! The values, keys and kinds of a rules file: a file that is not YAML or
//! cannot be read, values out of range, missing keys, unknown plan kinds
//! and functions, and a plan without a label.

use super::check;
use crate::util::Test;

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
