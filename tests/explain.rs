//! `tierplan explain`: one student's path through the rules, with the
//! values each test read.

use crate::util::{QUIZ, Test, data, repo};

#[test]
fn explain_shows_each_test_the_values_it_read_and_the_plan() {
    Test::new()
        .quiz()
        .args(&["explain", "quiz.csv", "--student", "S07"])
        .run()
        .assert_stderr("")
        .assert_stdout(
            "
            Student S07 · Ethan Brown · section 5A
            From quiz.csv line 8; rules: After a quiz (<built-in rules `default`>)

            Scores (mastery 80):
              NBT.1   70  (below mastery)
              NBT.2   65  (below mastery)
              NF.1    50  (below mastery; retaught to the whole section, 70% below)
              NF.2    60  (below mastery)
              OA.1    75  (below mastery)
              MD.1    80

            Path (first match wins):
              1. assessed == 0  [line 117]
                 assessed = 6 → false
              2. screening <= tier3_cut  [line 121]
                 screening = 22, tier3_cut = 10 → false
              3. screening <= tier2_cut  [line 126]
                 screening = 22, tier2_cut = 25 → true, taken

            Plan: Tier 2 small-group intervention (tier2, Tier 2)
            Focus: NF.1 (50)
            Reason: screening percentile 22 is at or below 25
            Progress monitoring: every 2 weeks
            What to do: Small-group intervention (3 to 5 students) on the focus skill, 20-30 minutes 3-4 times a week, progress checked every two weeks.
            ",
        );
}

/// The README's tour shows part of `explain ... --student S04`; every line
/// it shows is in the real output, in that order.
#[test]
fn the_readme_explain_example_is_the_real_output() {
    let readme = std::fs::read_to_string(repo("README.md")).expect("read README.md");
    let marker = "$ tierplan explain examples/quiz.csv --student S04\n";
    let start = readme.find(marker).expect("the README example is there") + marker.len();
    let block = &readme[start..start + readme[start..].find("```").expect("a closed block")];
    let output = Test::new()
        .quiz()
        .args(&["explain", "quiz.csv", "--student", "S04"])
        .run();
    let mut rest = output.stdout.as_str();
    for part in block.split("...\n") {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => panic!(
                "the README shows this, and explain does not print it (in order):\n{part}\n--- explain printed\n{}",
                output.stdout
            ),
        }
    }
}

#[test]
fn a_missing_screening_percentile_is_shown_as_skipped() {
    Test::new()
        .quiz()
        .args(&["explain", "quiz.csv", "--student", "S04"])
        .run()
        .assert_stdout_contains(concat!(
            "  2. screening <= tier3_cut  [line 121]\n",
            "     screening = missing, tier3_cut = 10 → missing data, skipped\n",
        ));
}

#[test]
fn a_student_with_no_scores_is_shown_as_not_assessed() {
    Test::new()
        .quiz()
        .args(&["explain", "quiz.csv", "--student", "S14"])
        .run()
        .assert_stdout_contains(
            "
            Scores (mastery 80):
              NBT.1  not assessed
            ",
        )
        .assert_stdout_contains(
            "
              1. assessed == 0  [line 117]
                 assessed = 0 → true, taken

            Plan: No quiz data (no_data, no tier)
            Reason: no skill was scored on this quiz
            ",
        );
}

#[test]
fn an_unknown_student_is_a_usage_error_with_the_closest_id() {
    let t = Test::new().quiz();
    t.status(2)
        .run_with(&["explain", "quiz.csv", "--student", "S7"])
        .assert_stdout("")
        .assert_stderr("error: no student with id `S7` in `quiz.csv`; did you mean `S07`?\n");
    t.status(2)
        .run_with(&["explain", "quiz.csv", "--student", "X1234"])
        .assert_stdout("")
        .assert_stderr("error: no student with id `X1234` in `quiz.csv`\n");
}

#[test]
fn the_student_option_is_required() {
    Test::new()
        .quiz()
        .args(&["explain", "quiz.csv"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr_contains("--student <ID>");
}

#[test]
fn explain_reads_standard_input_and_follows_the_duplicate_rule() {
    let data = "student_id,name,A\nS1,Ann,50\nS2,Bo,70\nS1,Ann B,90\n";
    Test::new()
        .stdin(data)
        .args(&["explain", "-", "--student", "S1"])
        .status(1)
        .run()
        .assert_stderr_contains("error[duplicate-student]: student `S1` appears twice (also on line 2)\n  --> <stdin>, line 4\n");
    Test::new()
        .stdin(data)
        .args(&["explain", "-", "--student", "S1", "--duplicates", "last"])
        .run()
        .assert_stdout_contains("Student S1 · Ann B · section (no section)\nFrom <stdin> line 4;");
}

#[test]
fn explain_reads_the_line_of_a_student_in_the_second_file() {
    let second = "student_id,name,A\nT1,Tom,40\nT2,Tia,95\n";
    Test::new()
        .quiz()
        .file("more.csv", second)
        .args(&["explain", "quiz.csv", "more.csv", "--student", "T2"])
        .run()
        .assert_stdout_contains("Student T2 · Tia · section (no section)\nFrom more.csv line 3;");
}

#[test]
fn explain_indents_the_tests_of_a_nested_tree() {
    Test::new()
        .file("reading.yaml", data("reading.yaml"))
        .file("reading.csv", data("reading.csv"))
        .args(&[
            "explain",
            "--rules",
            "reading.yaml",
            "reading.csv",
            "--student",
            "A2",
        ])
        .run()
        .assert_stdout(
            "
            Student A2 · Ben Ortiz · section (no section)
            From reading.csv line 3; rules: Reading screen (reading.yaml)

            Path (first match wins):
              1. orf is missing  [line 32]
                 orf = '25' → false
              2. grade >= 3  [line 35]
                 grade = 4 → true, taken
                3. orf < orf_cut  [line 37]
                   orf = 25, orf_cut = 30 → true, taken

            Plan: Reading intervention (intervene, Tier 2)
            Reason: orf 25 is below the cut of 30
            Progress monitoring: weekly
            ",
        );
}

#[test]
fn explain_shows_a_branch_taken_on_missing_data() {
    Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [id]
              orf: {names: [orf], optional: true}
            plans:
              check: {label: Check fluency, kind: tier2_intervention}
              core: {label: Core, kind: core}
            tree:
              - when: orf < 20
                if_missing: match
                plan: check
              - default: core
            ",
        )
        .csv("class.csv", "id,orf\nB1,10\nB2,\n")
        .args(&[
            "explain",
            "--rules",
            "rules.yaml",
            "class.csv",
            "--student",
            "B2",
        ])
        .run()
        .assert_stdout_contains(
            "
              1. orf < 20  [line 9]
                 orf = missing → missing data, taken (if_missing: match)

            Plan: Check fluency (check, Tier 2)
            ",
        );
}

#[test]
fn explain_stops_on_a_problem_in_the_data() {
    Test::new()
        .file(
            "quiz.csv",
            QUIZ.replace("S09,Mason Wilson,5A,,85,90", "S09,Mason Wilson,5A,,85,9O"),
        )
        .args(&["explain", "quiz.csv", "--student", "S01"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr_contains(
            "
            error[bad-score]: `9O` is not a score
              --> quiz.csv, line 10, column 6 (`NBT.2`)
            ",
        );
}

/// See: issue 13. A student in two courses of a gradebook is explained in
/// each, after a line saying so; `--section` chooses one, and a section
/// they are not in names the ones they are.
#[test]
fn a_student_in_two_sections_is_explained_in_each_or_the_one_asked() {
    let t = Test::new().file("gradebook.csv", data("gradebook.csv"));
    let both = t.run_with(&["explain", "gradebook.csv", "--student", "70148"]);
    assert!(
        both.stdout.starts_with(
            "Student 70148 is in 2 sections, `Math 7` and `ELA 7`, and is planned once in each: every section's decision follows (`--section NAME` shows one).\n\nStudent 70148 · Diego Salas · section Math 7\n"
        ),
        "{}",
        both.stdout
    );
    both.assert_stdout_contains("\n---\n\nStudent 70148 · Diego Salas · section ELA 7\n")
        .assert_stdout_contains("Plan: Small-group reteach")
        .assert_stdout_contains("Plan: Tier 3 intensive intervention");
    let one = t.run_with(&[
        "explain",
        "gradebook.csv",
        "-s",
        "70148",
        "--section",
        "ELA 7",
    ]);
    assert!(
        one.stdout.starts_with(
            "Student 70148 is in 2 sections, `Math 7` and `ELA 7`: this is section `ELA 7`, as `--section` asked.\n\nStudent 70148 · Diego Salas · section ELA 7\n"
        ),
        "{}",
        one.stdout
    );
    assert!(!one.stdout.contains("section Math 7"), "{}", one.stdout);
    assert!(!one.stdout.contains("---"), "{}", one.stdout);
    t.status(2)
        .run_with(&["explain", "gradebook.csv", "-s", "70148", "--section", "ELA7"])
        .assert_stderr_contains(
            "student `70148` is not in section `ELA7`; they are in `Math 7` and `ELA 7`; did you mean `ELA 7`?",
        );
    // A student in one section is explained as before, with no such line.
    let single = t.run_with(&["explain", "gradebook.csv", "-s", "70127"]);
    assert!(
        single
            .stdout
            .starts_with("Student 70127 · Theo Lindqvist · section Math 7\n"),
        "{}",
        single.stdout
    );
}
