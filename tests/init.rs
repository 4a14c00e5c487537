//! `tierplan init`: a starter rules file and the example class, which `plan`
//! and `check` run on as written; never overwriting a file.

use crate::util::{QUIZ, Test};

const DEFAULT_RULES: &str = include_str!("../rules/default.yaml");

#[test]
fn init_writes_the_default_rules_and_the_example_class() {
    let t = Test::new();
    t.run_with(&["init", "myclass"])
        .assert_stderr("")
        .assert_stdout(
            "
            wrote myclass/rules.yaml, myclass/quiz.csv, myclass/letters/en.txt and myclass/letters/es.txt
            next: tierplan plan --rules myclass/rules.yaml myclass/quiz.csv
            ",
        );
    t.assert_file("myclass/rules.yaml", DEFAULT_RULES);
    t.assert_file("myclass/quiz.csv", QUIZ);
    t.assert_file(
        "myclass/letters/en.txt",
        include_str!("../rules/letters/en.txt"),
    );
    t.assert_file(
        "myclass/letters/es.txt",
        include_str!("../rules/letters/es.txt"),
    );
}

#[test]
fn the_written_files_plan_like_the_built_in_rules() {
    let t = Test::new().quiz();
    t.run_with(&["init", "myclass"]);
    let built_in = t.run_with(&["plan", "quiz.csv"]);
    // The same plan; only the header's rules line names the file.
    let expected = built_in.stdout.replace(
        "Rules: After a quiz (<built-in rules `default`>)",
        "Rules: After a quiz (myclass/rules.yaml)",
    );
    t.run_with(&["plan", "--rules", "myclass/rules.yaml", "myclass/quiz.csv"])
        .assert_stderr("")
        .assert_stdout(&expected);
    t.run_with(&["check", "--rules", "myclass/rules.yaml", "myclass/quiz.csv"])
        .assert_stdout_contains("28 students in 1 section: every row reads\n")
        .assert_stdout_contains("line 137 → core: 13 students\nok\n");
}

#[test]
fn the_suggested_next_command_runs() {
    let t = Test::new();
    let output = t.run_with(&["init", "myclass"]);
    let next = output
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("next: tierplan "))
        .expect("init suggests a command");
    let args: Vec<&str> = next.split(' ').collect();
    t.run_with(&args)
        .assert_stdout_contains("Section 5A · 28 students\n");
}

#[test]
fn init_without_a_folder_writes_into_the_current_folder() {
    let t = Test::new();
    t.run_with(&["init"]);
    assert_eq!(t.listing(), ["letters", "quiz.csv", "rules.yaml"]);
}

#[test]
fn init_never_overwrites_a_file() {
    let t = Test::new();
    t.run_with(&["init", "myclass"]);
    let edited = DEFAULT_RULES.replace("mastery: 80", "mastery: 75");
    std::fs::write(t.path("myclass/rules.yaml"), &edited).expect("edit the rules");
    t.status(2).run_with(&["init", "myclass"])
        .assert_stdout("")
        .assert_stderr(
            "error: `myclass/rules.yaml` already exists; tierplan init never overwrites a file (choose another folder)\n",
        );
    t.assert_file("myclass/rules.yaml", &edited);
    t.assert_file("myclass/quiz.csv", QUIZ);
}

#[test]
fn init_writes_nothing_when_one_of_the_files_exists() {
    let t = Test::new().file("myclass/quiz.csv", "student_id\nS1\n");
    t.status(2)
        .run_with(&["init", "myclass"])
        .assert_stderr_contains("`myclass/quiz.csv` already exists");
    assert!(
        !t.path("myclass/rules.yaml").exists(),
        "rules.yaml was not written"
    );
    t.assert_file("myclass/quiz.csv", "student_id\nS1\n");
}

/// See: issue 10. `init --from NAME` starts a school's copy of any shipped
/// set, byte for byte, and its next command plans with it.
#[test]
fn init_from_a_shipped_set_copies_it() {
    let t = Test::new();
    t.run_with(&["init", "star-rules", "--from", "star"])
        .assert_stdout(
            "
            wrote star-rules/rules.yaml, star-rules/letters/en.txt and star-rules/letters/es.txt
            next: tierplan plan --rules star-rules/rules.yaml YOUR_EXPORT.csv
            ",
        );
    t.assert_file("star-rules/rules.yaml", include_str!("../rules/star.yaml"));
    t.run_with(&["init", "p", "--from", "progress"]);
    t.assert_file("p/progress.csv", include_str!("../examples/progress.csv"));
    t.run_with(&["plan", "--rules", "p/rules.yaml", "p/progress.csv"]);
    t.status(2)
        .run_with(&["init", "x", "--from", "stars"])
        .assert_stderr_contains("no shipped rules `stars`; did you mean `star`?");
}
