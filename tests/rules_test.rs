//! `tierplan test`: the cases beside a rules file, run through the engine;
//! failures as expected vs actual with the path taken; coverage.

use crate::util::{Test, repo};

/// A screen with one cut, for the cases below.
const RULES: &str = "
    tierplan: 1
    name: Screen
    columns:
      student_id: [id]
      screening: {names: [pctl], optional: true}
    params:
      cut: 25
    plans:
      tier2: {label: Tier 2, kind: tier2_intervention}
      core: {label: Core, kind: core}
      absent: {label: Not screened, kind: no_data}
    tree:
      - when: screening is missing
        plan: absent
      - when: screening <= cut
        plan: tier2
        reason: percentile {screening} is at or below {cut}
      - default: core
    ";

#[test]
fn a_passing_suite_exits_0_with_the_summary_line() {
    Test::new()
        .rules(RULES)
        .file(
            "rules.test.yaml",
            "tests:
  - name: at the cut
    student: {student_id: S1, screening: 25}
    expect: {plan: tier2, tier: 2, branch: screening <= cut}
  - name: above the cut
    student: {pctl: 26}
    expect: {plan: core, tier: 1, branch: default}
  - name: not screened
    student: {student_id: S3}
    expect: {plan: absent, tier: none, branch: screening is missing}
",
        )
        .args(&["test", "--rules", "rules.yaml"])
        .run()
        .assert_stderr("")
        .assert_stdout(
            "
            rules `Screen` (rules.yaml): 3 cases from `rules.test.yaml`

            coverage: every branch reached (3 of 3)

            3 passed, 0 failed
            ",
        );
}

#[test]
fn a_wrong_expected_tier_fails_with_expected_actual_and_the_path() {
    Test::new()
        .rules(RULES)
        .file(
            "rules.test.yaml",
            "tests:
  - name: at the cut
    student: {student_id: S1, screening: 25}
    expect: {plan: tier2, tier: 3}
  - name: above the cut
    student: {screening: 26}
    expect: {plan: core}
  - name: not screened
    student: {}
    expect: {plan: absent}
",
        )
        .args(&["test", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout(
            "
            rules `Screen` (rules.yaml): 3 cases from `rules.test.yaml`

            FAIL `at the cut` (rules.test.yaml, line 2, column 5)
              tier:  expected 3, got 2
              path (first match wins):
                1. screening is missing  [line 13]
                   screening = '25' → false
                2. screening <= cut  [line 15]
                   screening = 25, cut = 25 → true, taken
              reached: screening <= cut [line 15]
              reason: percentile 25 is at or below 25

            coverage: every branch reached (3 of 3)

            2 passed, 1 failed
            ",
        );
}

#[test]
fn a_boundary_case_catches_at_or_above_written_as_above() {
    let rules =
        std::fs::read_to_string(repo("rules/default.yaml")).expect("read the default rules");
    let broken = rules.replace(
        "when: share_below >= whole_class_share and",
        "when: share_below > whole_class_share and",
    );
    assert_ne!(
        rules, broken,
        "the default rules have the `>=` this test breaks"
    );
    let tests = std::fs::read_to_string(repo("rules/default.test.yaml")).expect("read the tests");
    let output = Test::new()
        .file("default.yaml", broken)
        .file("default.test.yaml", tests)
        .args(&["test", "default.yaml"])
        .status(1)
        .run();
    output.assert_stdout_contains(
        "
        FAIL `half of ten students below mastery reteaches the skill to the whole class` (default.test.yaml, line 73, column 5)
          plan:         expected `core`, got `small_group_reteach`
          branch:       expected default [line 137], got any(score < mastery and not whole_class) [line 132]
          whole_class:  expected `NF.1`, got no skill
        ",
    );
    assert!(
        output.stdout.ends_with("\n16 passed, 1 failed\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_changed_cut_fails_the_cases_at_it() {
    Test::new()
        .rules(&RULES.replace("screening <= cut", "screening < cut"))
        .file(
            "rules.test.yaml",
            "tests:
  - name: at the cut
    student: {screening: 25}
    expect: {plan: tier2}
",
        )
        .args(&["test", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains("  plan:  expected `tier2`, got `core`\n");
}

#[test]
fn an_unknown_plan_in_the_test_file_is_an_error_with_its_place() {
    Test::new()
        .rules(RULES)
        .file(
            "rules.test.yaml",
            "tests:
  - name: at the cut
    student: {screening: 25}
    expect: {plan: tier_2}
",
        )
        .args(&["test", "rules.yaml"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "
            error[unknown-plan]: case `at the cut` expects plan `tier_2`, which the rules do not declare
              --> rules.test.yaml, line 4, column 20
               |
             4 |     expect: {plan: tier_2}
               |                    ^
              = help: did you mean `tier2`?
            ",
        );
}

#[test]
fn a_bad_key_in_the_test_file_is_an_error_with_its_place() {
    Test::new()
        .rules(RULES)
        .file(
            "rules.test.yaml",
            "tests:
  - name: at the cut
    studnet: {screening: 25}
    expect: {plan: tier2}
",
        )
        .args(&["test", "rules.yaml"])
        .status(2)
        .run()
        .assert_stderr_contains(
            "
            error[unknown-key]: unknown field `studnet`, expected one of name, student, rows, classmates, expect
              --> rules.test.yaml, line 3, column 5
            ",
        )
        .assert_stderr_contains("= help: did you mean `student`?");
}

#[test]
fn a_misspelt_field_is_an_error_not_a_skill() {
    Test::new()
        .rules(&RULES.replace(
            "    params:",
            "    skills:\n      columns: rest\n    params:\n      mastery: 80",
        ))
        .file(
            "rules.test.yaml",
            "tests:
  - name: typo
    student: {screenign: 25}
    expect: {plan: tier2}
",
        )
        .args(&["test", "rules.yaml"])
        .status(2)
        .run()
        .assert_stderr_contains(
            "
            error[unknown-field]: `screenign` is not a field of the rules; it would be read as a skill
              --> rules.test.yaml, line 3, column 15
            ",
        );
}

#[test]
fn coverage_lists_the_branches_no_case_reaches() {
    Test::new()
        .rules(RULES)
        .file(
            "rules.test.yaml",
            "tests:
  - name: above the cut
    student: {screening: 60}
    expect: {plan: core}
",
        )
        .args(&["test", "rules.yaml"])
        .run()
        .assert_stdout(
            "
            rules `Screen` (rules.yaml): 1 case from `rules.test.yaml`

            coverage: 1 of 3 branches reached; no case reaches:
              line 13: screening is missing → `absent`
              line 15: screening <= cut → `tier2`

            1 passed, 0 failed
            ",
        );
}

#[test]
fn coverage_lists_the_table_rows_no_case_reads() {
    Test::new()
        .file("reading.yaml", crate::util::data("reading.yaml"))
        .file(
            "reading.test.yaml",
            "tests:
  - name: grade 3 in the fall, below the cut
    student: {student_id: R1, name: Ana, grade: 3, orf: 19}
    expect: {plan: intervene, branch: grade >= 3 > orf < orf_cut}
  - name: grade 3 in the fall, at the cut
    student: {student_id: R1, name: Ana, grade: 3, orf: 20}
    expect: {plan: watch, branch: grade >= 3 > default}
",
        )
        .args(&["test", "reading.test.yaml"])
        .run()
        .assert_stdout_contains(
            "
            coverage: 2 of 4 branches reached; no case reaches:
              line 32: orf is missing → `absent`
              line 42: default → `core`
              table `orf_cut` (line 17): no case reads row 2 of 3
              table `orf_cut` (line 17): no case reads row 3 of 3
            ",
        );
}

#[test]
fn cases_may_sit_in_the_rules_file_under_tests() {
    let rules = format!(
        "{RULES}
    tests:
      - name: below the cut
        student: {{screening: 3}}
        expect: {{plan: tier2}}
    "
    );
    Test::new()
        .rules(&rules)
        .args(&["test", "--rules", "rules.yaml"])
        .run()
        .assert_stdout_contains("rules `Screen` (rules.yaml): 1 case from `rules.yaml`\n");
    // ...and the rules still plan.
    Test::new()
        .rules(&rules)
        .csv("class.csv", "id,pctl\nS1,3\n")
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "class.csv",
            "--format",
            "csv",
            "--columns",
            "student_id,plan",
        ])
        .run()
        .assert_stdout("student_id,plan\nS1,tier2\n");
}

#[test]
fn rules_without_tests_are_a_usage_error() {
    Test::new()
        .rules(RULES)
        .args(&["test", "--rules", "rules.yaml"])
        .status(2)
        .run()
        .assert_stderr_contains(
            "error: no test cases for `rules.yaml`: write them in `rules.test.yaml`",
        );
}

#[test]
fn without_rules_the_built_in_rules_run_their_shipped_tests() {
    let output = Test::new().args(&["test"]).run();
    output
        .assert_stdout_contains(
            "rules `After a quiz` (<built-in rules `default`>): 17 cases from `<built-in tests of `default`>`\n",
        )
        .assert_stdout_contains("\ncoverage: every branch reached (5 of 5)\n");
    assert!(
        output.stdout.ends_with("\n17 passed, 0 failed\n"),
        "{}",
        output.stdout
    );
}

/// Every rule set in `rules/` has a test file beside it, whose cases pass
/// and reach every branch.
#[test]
fn every_shipped_rule_set_passes_its_tests() {
    let mut files: Vec<String> = std::fs::read_dir(repo("rules"))
        .expect("list rules/")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".yaml") && !name.ends_with(".test.yaml")
        })
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 9, "{files:?}");
    let mut args = vec!["test"];
    args.extend(files.iter().map(String::as_str));
    let output = Test::new().args(&args).run();
    output.assert_stderr("");
    assert_eq!(
        output
            .stdout
            .matches("coverage: every branch reached")
            .count(),
        files.len(),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.ends_with(" passed, 0 failed\n"),
        "{}",
        output.stdout
    );
}

/// The worked example of rules/README.md, "Testing your rules", passes
/// against the README's complete small example.
#[test]
fn the_rules_readme_worked_example_passes() {
    let readme = std::fs::read_to_string(repo("rules/README.md")).expect("read rules/README.md");
    let block_after = |marker: &str| {
        let at = readme.find(marker).expect("the README section is there");
        let start = at + readme[at..].find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
        readme[start..start + readme[start..].find("```").expect("a closed block")].to_owned()
    };
    Test::new()
        .file("rules.yaml", block_after("## A complete small example"))
        .file("rules.test.yaml", block_after("### A worked example"))
        .args(&["test", "rules.yaml"])
        .run()
        .assert_stdout_contains("\n3 passed, 0 failed\n");
}

/// Shipped sets carry their tests in the binary: `tierplan test NAME`
/// runs them from any folder.
#[test]
fn a_shipped_set_is_tested_by_name() {
    let output = Test::new().args(&["test", "star", "fastbridge"]).run();
    output
        .assert_stdout_contains(
            "(<built-in rules `star`>): 14 cases from `<built-in tests of `star`>`\n",
        )
        .assert_stdout_contains(
            "(<built-in rules `fastbridge`>): 12 cases from `<built-in tests of `fastbridge`>`\n",
        );
}
