//! `plan -o FILE`: the plan goes to the file, atomically and readable by its
//! owner only; a failed run leaves it as it was; never over an input.

use crate::util::{QUIZ, QUIZ_NOTE, Test, repo};

#[test]
fn output_file_holds_the_plan_and_nothing_goes_to_stdout() {
    let t = Test::new().quiz();
    let expected = t.run_with(&["plan", "quiz.csv", "-f", "csv"]);
    t.run_with(&["plan", "quiz.csv", "-f", "csv", "-o", "plan.csv"])
        .assert_stdout("")
        .assert_stderr(QUIZ_NOTE);
    assert_eq!(t.read("plan.csv"), expected.stdout);
    assert_eq!(
        t.listing(),
        ["plan.csv", "quiz.csv"],
        "no temporary file left"
    );
}

#[test]
fn the_output_file_extension_chooses_the_format_unless_format_is_given() {
    let t = Test::new().quiz();
    for (file, format) in [
        ("plan.csv", "csv"),
        ("plan.json", "json"),
        ("plan.md", "markdown"),
        ("plan.txt", "table"),
        ("plan", "table"),
    ] {
        let expected = t.run_with(&["plan", "quiz.csv", "-f", format]).stdout;
        t.run_with(&["plan", "quiz.csv", "-o", file]);
        assert_eq!(t.read(file), expected, "{file}");
    }
    // `--format` wins over the extension.
    let table = t.run_with(&["plan", "quiz.csv"]).stdout;
    t.run_with(&["plan", "quiz.csv", "-f", "table", "-o", "plan.csv"]);
    assert_eq!(t.read("plan.csv"), table);
}

#[test]
fn output_file_replaces_an_earlier_plan() {
    let t = Test::new().quiz().file("plan.csv", "an older plan\n");
    t.run_with(&["plan", "quiz.csv", "-f", "csv", "-o", "plan.csv"]);
    assert!(t.read("plan.csv").starts_with("student_id,name,"));
}

#[cfg(unix)]
#[test]
fn output_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new().quiz();
    t.run_with(&["plan", "quiz.csv", "-o", "plan.txt", "--summary", "s.csv"]);
    for name in ["plan.txt", "s.csv"] {
        let mode = std::fs::metadata(t.path(name))
            .expect("the file exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} has mode {mode:o}");
    }
}

#[test]
fn a_failed_run_leaves_the_output_file_as_it_was() {
    let t = Test::new()
        .csv(
            "class.csv",
            "
            student_id,name,A,B
            S1,Ann,80,90
            S2,Bo,70,abc
            ",
        )
        .file("plan.csv", "yesterday's plan\n");
    t.status(1)
        .run_with(&["plan", "class.csv", "-f", "csv", "-o", "plan.csv"])
        .assert_stdout("")
        .assert_stderr_contains("error[bad-score]: `abc` is not a score");
    t.assert_file("plan.csv", "yesterday's plan\n");
    assert_eq!(
        t.listing(),
        ["class.csv", "plan.csv"],
        "no .tierplan-*.tmp left"
    );
}

#[test]
fn a_summary_that_cannot_be_written_leaves_the_output_file_as_it_was() {
    let t = Test::new().quiz().file("plan.csv", "yesterday's plan\n");
    t.status(2)
        .run_with(&[
            "plan",
            "quiz.csv",
            "-f",
            "csv",
            "-o",
            "plan.csv",
            "--summary",
            "no-such-folder/summary.csv",
        ])
        .assert_stderr_contains("error: cannot write `no-such-folder/summary.csv`");
    t.assert_file("plan.csv", "yesterday's plan\n");
    assert_eq!(
        t.listing(),
        ["plan.csv", "quiz.csv"],
        "no .tierplan-*.tmp left"
    );
}

#[test]
fn output_into_a_missing_folder_is_a_usage_error() {
    let t = Test::new().quiz();
    t.status(2)
        .run_with(&["plan", "quiz.csv", "-o", "no-such-folder/plan.txt"])
        .assert_stdout("")
        .assert_stderr_contains("error: cannot write `no-such-folder/plan.txt`");
    assert_eq!(t.listing(), ["quiz.csv"]);
}

#[test]
fn output_refuses_to_overwrite_an_input() {
    let t = Test::new().quiz();
    for target in ["quiz.csv", "./quiz.csv"] {
        t.status(2).run_with(&["plan", "quiz.csv", "-f", "csv", "-o", target])
            .assert_stdout("")
            .assert_stderr(&format!(
                "error: `{target}` is one of the files tierplan reads; write the output to another file\n"
            ));
    }
    t.status(2)
        .run_with(&["plan", "quiz.csv", "--summary", "quiz.csv"])
        .assert_stderr_contains("is one of the files tierplan reads");
    let absolute = t.path("quiz.csv");
    t.status(2)
        .run_with(&[
            "plan",
            "quiz.csv",
            "-o",
            absolute.to_str().expect("a UTF-8 path"),
        ])
        .assert_stderr_contains("is one of the files tierplan reads");
    assert_eq!(t.read("quiz.csv"), QUIZ);
    assert_eq!(t.listing(), ["quiz.csv"]);
}

#[cfg(unix)]
#[test]
fn output_refuses_a_hard_link_to_an_input() {
    let t = Test::new().quiz();
    std::fs::hard_link(t.path("quiz.csv"), t.path("link.csv")).expect("make a hard link");
    for flag in ["-o", "--summary"] {
        t.status(2).run_with(&["plan", "quiz.csv", flag, "link.csv"])
            .assert_stdout("")
            .assert_stderr(
                "error: `link.csv` is one of the files tierplan reads; write the output to another file\n",
            );
    }
    // And the rules file, by another name.
    let t = t.file(
        "rules.yaml",
        std::fs::read(repo("rules/default.yaml")).unwrap(),
    );
    std::fs::hard_link(t.path("rules.yaml"), t.path("rules-link.yaml")).expect("make a hard link");
    t.status(2)
        .run_with(&[
            "plan",
            "--rules",
            "rules.yaml",
            "quiz.csv",
            "-o",
            "rules-link.yaml",
        ])
        .assert_stderr_contains("is one of the files tierplan reads");
    assert_eq!(t.read("link.csv"), QUIZ);
    assert_eq!(t.read("quiz.csv"), QUIZ);
    assert_eq!(
        t.read("rules-link.yaml"),
        std::fs::read_to_string(repo("rules/default.yaml")).unwrap()
    );
}

#[test]
fn output_refuses_to_overwrite_the_rules_file() {
    let rules = include_str!("../../rules/default.yaml");
    let t = Test::new().quiz().file("rules.yaml", rules);
    t.status(2)
        .run_with(&[
            "plan",
            "--rules",
            "rules.yaml",
            "quiz.csv",
            "-o",
            "rules.yaml",
        ])
        .assert_stderr_contains("rules.yaml");
    assert_eq!(t.read("rules.yaml"), rules);
}

/// Renaming a temporary file over a device would replace the device with a
/// file: `-o /dev/null` must write through it and leave it a device.
#[cfg(unix)]
#[test]
fn output_to_a_device_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let t = Test::new().quiz();
    t.run_with(&["plan", "quiz.csv", "-o", "/dev/null"])
        .assert_stdout("");
    let kind = std::fs::metadata("/dev/null")
        .expect("/dev/null")
        .file_type();
    assert!(kind.is_char_device(), "/dev/null is no longer a device");
}

/// `-o` through a symbolic link replaces the file it points to and keeps the
/// link.
#[cfg(unix)]
#[test]
fn output_through_a_link_replaces_the_linked_file() {
    let t = Test::new().quiz().file("old-plan.txt", "old plan\n");
    std::os::unix::fs::symlink(t.path("old-plan.txt"), t.path("plan.txt")).expect("symlink");
    t.run_with(&["plan", "quiz.csv", "-f", "csv", "-o", "plan.txt"]);
    let link = std::fs::symlink_metadata(t.path("plan.txt")).expect("plan.txt");
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert!(t.read("old-plan.txt").starts_with("student_id,"));
}
