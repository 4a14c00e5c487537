//! OneRoster 1.1 gradebook bundles, as a folder and as a zip.

use crate::util::Test;

fn bundle(name: &str) -> String {
    format!("{}/tests/data/oneroster/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_bundle_folder_and_its_zip_give_the_same_plan() {
    let csv = |path: String| {
        let output = Test::new()
            .args(&[
                "plan",
                &path,
                "-f",
                "csv",
                "--columns",
                "student_id,section,plan",
            ])
            .run();
        output.stdout
    };
    let folder = csv(bundle("bundle"));
    assert_eq!(folder, csv(bundle("bundle.zip")));
    // Every student of users.csv once, a student without results included.
    assert_eq!(folder.lines().count(), 1 + 8);
    assert!(
        folder.contains("usr-s08,Grade 4/5 Math - Room 14,no_data\n"),
        "{folder}"
    );
}

#[test]
fn check_says_it_read_a_oneroster_bundle_and_what_it_left_empty() {
    Test::new()
        .args(&["check", &bundle("bundle")])
        .run()
        .assert_stdout_contains("read as OneRoster 1.1 CSV bundle, a skill per line item\n")
        .assert_stdout_contains(
            "warning[not-scored]: 2 results marked `exempt` or `not submitted` are left empty",
        )
        .assert_stdout_contains("8 students in 2 sections: every row reads\n");
}

#[test]
fn rules_can_group_line_items_into_categories() {
    let rules = "
columns:
  student_id: [student_id]
  name: [name]
  section: [section]
skills: {columns: rest, group_by: category}
params: {mastery: 80}
plans:
  core: {kind: core}
tree:
  - default: core
";
    let output = Test::new()
        .file("rules.yaml", rules)
        .args(&["check", "--rules", "rules.yaml", &bundle("bundle")])
        .run();
    output.assert_stdout_contains("read as OneRoster 1.1 CSV bundle, a skill per category\n");
}

#[test]
fn only_keeps_one_class_of_a_bundle() {
    let output = Test::new()
        .args(&[
            "plan",
            &bundle("bundle.zip"),
            "--only",
            "section=Grade 4 Math - Room 12",
            "-f",
            "csv",
            "--columns",
            "student_id,section",
        ])
        .run();
    output.assert_stdout(
        "
        student_id,section
        100231,Grade 4 Math - Room 12
        100232,Grade 4 Math - Room 12
        100233,Grade 4 Math - Room 12
        100234,Grade 4 Math - Room 12
        100235,Grade 4 Math - Room 12
        ",
    );
    output.assert_stderr_contains(
        "warning[not-selected]: 3 rows whose `section` is not `Grade 4 Math - Room 12` left out (--only)\n",
    );
}

#[test]
fn output_refuses_to_overwrite_a_file_of_the_bundle() {
    let mut t = Test::new();
    for entry in std::fs::read_dir(bundle("bundle")).expect("read the bundle") {
        let path = entry.expect("a bundle file").path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        t = t.file(&format!("bundle/{name}"), std::fs::read(&path).unwrap());
    }
    t = t.file("bundle.zip", std::fs::read(bundle("bundle.zip")).unwrap());
    let results = t.read("bundle/results.csv");
    for flag in ["-o", "--summary"] {
        t.status(2).run_with(&["plan", "bundle", flag, "bundle/results.csv"])
            .assert_stdout("")
            .assert_stderr(
                "error: `bundle/results.csv` is one of the files tierplan reads; write the output to another file\n",
            );
    }
    // The zip itself.
    t.status(2)
        .run_with(&["plan", "bundle.zip", "-o", "bundle.zip"])
        .assert_stderr_contains("is one of the files tierplan reads");
    assert_eq!(t.read("bundle/results.csv"), results);
    // A new file in the folder overwrites nothing.
    t.run_with(&["plan", "bundle", "-o", "bundle/plan.txt"]);
}

/// See: issue 13. A student with results in two classes of a bundle is
/// planned in each class, with that class's results (as a gradebook export
/// with a row per course is), and the plan says so; enrolled in two but
/// with results in one (100235 in the fixture), one row, as before.
#[test]
fn a_student_with_results_in_two_classes_is_planned_in_each() {
    let mut t = Test::new();
    for entry in std::fs::read_dir(bundle("bundle")).expect("read the bundle") {
        let path = entry.expect("a bundle file").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        t = t.file(&format!("bundle/{name}"), std::fs::read(&path).unwrap());
    }
    let columns = [
        "plan",
        "bundle",
        "-f",
        "csv",
        "--columns",
        "student_id,section",
    ];
    let before = t.run_with(&columns);
    assert_eq!(
        before.stdout.matches("100235,").count(),
        1,
        "{}",
        before.stdout
    );
    assert!(
        !before.stderr.contains("more than one section"),
        "{}",
        before.stderr
    );

    let results = t.read("bundle/results.csv");
    let t = t.file(
        "bundle/results.csv",
        format!(
            "{results}res-900,active,2025-10-06T12:00:00Z,li-005,usr-s05,fully graded,5,2025-10-06,\n"
        ),
    );
    let after = t.run_with(&columns);
    after
        .assert_stdout_contains("100235,Grade 4 Math - Room 12\n")
        .assert_stdout_contains("100235,Grade 4/5 Math - Room 14\n")
        .assert_stderr_contains(
            "note: 1 student is in more than one section, and is planned once per section\n",
        );
    assert!(
        !after.stderr.contains("several-classes"),
        "{}",
        after.stderr
    );
    assert_eq!(
        after.stdout.lines().count(),
        before.stdout.lines().count() + 1
    );
    // In Room 14 the student has that class's quiz only.
    let explain = t.run_with(&[
        "explain",
        "bundle",
        "-s",
        "100235",
        "--section",
        "Grade 4/5 Math - Room 14",
    ]);
    explain
        .assert_stdout_contains("Student 100235 · Mia Johnson · section Grade 4/5 Math - Room 14\n")
        .assert_stdout_contains("  Fractions Quiz 1 (li-001)  not assessed\n")
        .assert_stdout_contains("  Fractions Quiz 1 (li-005)   50  (below mastery)\n");
}
