//! `--set NAME=VALUE` held to what the rules file's own value is held to:
//! `mastery` from 0 to 100 (it is compared with skill scores, percents),
//! and a parameter the rules give a range (`{value, min, max}`) within it.
//! A `--set` out of range is a usage error naming `--set` (exit 2); the
//! file's value out of range is a problem at its line (exit 1). See: issue
//! 12.

use crate::util::Test;

/// The built-in rules, which give `whole_class_share` the range 0 to 1.
fn ranged() -> String {
    let rules = std::fs::read_to_string(crate::util::repo("rules/default.yaml")).unwrap();
    assert!(rules.contains("  whole_class_share: {value: 0.5, min: 0, max: 1}\n"));
    rules
}

#[test]
fn set_mastery_outside_the_score_range_is_a_usage_error() {
    let t = Test::new().quiz();
    for value in ["-1e308", "-1", "100.5", "1e300"] {
        t.status(2)
            .run_with(&["plan", "quiz.csv", "--set", &format!("mastery={value}")])
            .assert_stdout("")
            .assert_stderr(&format!(
                "error: `--set mastery={value}`: parameter `mastery` must be a number from 0 to 100 (it is compared with skill scores, which are percents); e.g. `--set mastery=80`\n"
            ));
    }
    // The ends of the range are in it.
    t.run_with(&["plan", "quiz.csv", "--set", "mastery=0", "-f", "csv"]);
    t.run_with(&["plan", "quiz.csv", "--set", "mastery=100", "-f", "csv"]);
}

#[test]
fn set_is_held_to_the_range_the_rules_declare() {
    let t = Test::new().quiz().file("rules.yaml", ranged());
    t.status(2)
        .run_with(&["plan", "--rules", "rules.yaml", "quiz.csv", "--set", "whole_class_share=50"])
        .assert_stderr(
            "error: `--set whole_class_share=50`: parameter `whole_class_share` must be a number from 0 to 1 (the range the rules give it with `min` and `max`); e.g. `--set whole_class_share=0.5`\n",
        );
    let table = |extra: &[&str]| {
        let mut args = vec!["plan", "--rules", "rules.yaml", "quiz.csv"];
        args.extend_from_slice(extra);
        t.run_with(&args).stdout.clone()
    };
    // A value in range is used: with a share of 1, no skill is retaught to
    // the whole class, so NF.1 (70% below) no longer is.
    let whole = "Reteach to the whole class:\n  NF.1";
    assert!(table(&[]).contains(whole));
    assert!(!table(&["--set", "whole_class_share=1"]).contains(whole));
}

#[test]
fn the_rules_own_value_out_of_range_is_an_error_at_its_line() {
    let rules = ranged()
        .replace("{value: 0.5, min: 0, max: 1}", "{value: 5, min: 0, max: 1}")
        .replace("  mastery: 80\n", "  mastery: -1e308\n");
    Test::new()
        .file("rules.yaml", rules)
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains(
            "error[bad-parameter]: parameter `mastery` is -1e308, and must be a number from 0 to 100 (it is compared with skill scores, which are percents)\n  --> rules.yaml, line 38, column 3\n",
        )
        .assert_stdout_contains(
            "error[bad-parameter]: parameter `whole_class_share` is 5, and must be a number from 0 to 1 (the range the rules give it with `min` and `max`)\n  --> rules.yaml, line 43, column 3\n",
        );
}

#[test]
fn a_range_is_written_with_min_max_or_both() {
    let t = Test::new();
    let bad = |spec: &str| ranged().replace("{value: 0.5, min: 0, max: 1}", spec);
    let t = t
        .file("inverted.yaml", bad("{value: 0.5, min: 1, max: 0}"))
        .file("none.yaml", bad("{value: 0.5}"))
        .file("typo.yaml", bad("{value: 0.5, mn: 0}"));
    t.status(1)
        .run_with(&["check", "--rules", "inverted.yaml"])
        .assert_stdout_contains(
            "error[bad-parameter]: the parameter's `min` (1) is above its `max` (0)\n",
        );
    t.status(1)
        .run_with(&["check", "--rules", "none.yaml"])
        .assert_stdout_contains("error[bad-parameter]: a parameter written as `{value: ...}` needs `min`, `max` or both\n");
    t.status(1)
        .run_with(&["check", "--rules", "typo.yaml"])
        .assert_stdout_contains("a parameter is a number, a word, or a number with its range: `{value: 80, min: 0, max: 100}`\n");
}
