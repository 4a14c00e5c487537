//! Wide reshaped tables: a OneRoster bundle whose classes each have their
//! own line items, and long files whose students have skills of their own.
//! The table tierplan builds holds the scores present, never a grid of every
//! student and skill, and one past the column limit is refused before it is
//! built, saying what to do.
//!
//! The sizes here prove the shape and stay fast; the memory each reader
//! takes at scale is measured by `benches/memory.sh` (README, "Memory").
//!
//! See: issue 12, part 1.

use std::fmt::Write as _;

use crate::util::{Test, csv_records};

/// The most columns tierplan reads (`MAX_COLUMNS` in `src/ingest/reader.rs`).
const MAX_COLUMNS: usize = 16_384;

/// A OneRoster bundle folder: `students` students in classes of 25, each
/// class with `items` line items of its own; every student has a result on
/// each of their class's line items. `results` replaces `results.csv`.
fn bundle(t: Test, students: usize, items: usize, results: Option<&str>) -> Test {
    let classes = students.div_ceil(25);
    let mut users = String::from("sourcedId,status,role,givenName,familyName,identifier\n");
    let mut enrollments = String::from("sourcedId,classSourcedId,userSourcedId,role\n");
    let mut result_rows =
        String::from("sourcedId,lineItemSourcedId,studentSourcedId,scoreStatus,score\n");
    for s in 0..students {
        let c = s / 25;
        writeln!(users, "u{s},active,student,Given{s},Family{s},{}", 1000 + s).unwrap();
        writeln!(enrollments, "e{s},c{c},u{s},student").unwrap();
        for i in 0..items {
            writeln!(
                result_rows,
                "r{s}-{i},li{c}-{i},u{s},fully graded,{}",
                (s + i) % 11
            )
            .unwrap();
        }
    }
    let mut classes_csv = String::from("sourcedId,title\n");
    let mut line_items =
        String::from("sourcedId,title,classSourcedId,resultValueMin,resultValueMax\n");
    for c in 0..classes {
        writeln!(classes_csv, "c{c},Class {c}").unwrap();
        for i in 0..items {
            writeln!(line_items, "li{c}-{i},Quiz {c}-{i},c{c},0,10").unwrap();
        }
    }
    let manifest = "propertyName,value\nfile.users,bulk\nfile.enrollments,bulk\n\
                    file.classes,bulk\nfile.lineItems,bulk\nfile.results,bulk\n";
    t.file("bundle/manifest.csv", manifest)
        .file("bundle/users.csv", users)
        .file("bundle/enrollments.csv", enrollments)
        .file("bundle/classes.csv", classes_csv)
        .file("bundle/lineItems.csv", line_items)
        .file("bundle/results.csv", results.unwrap_or(&result_rows))
}

/// Each of `ids` is planned once, and no one else is.
fn planned_once(stdout: &str, ids: impl Iterator<Item = String>) {
    let mut planned: Vec<String> = csv_records(stdout, &["student_id", "plan"])
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    let mut expected: Vec<String> = ids.collect();
    planned.sort();
    expected.sort();
    assert_eq!(planned, expected);
}

#[test]
fn a_bundle_whose_classes_have_their_own_line_items_plans_every_student_once() {
    // 40 classes × 10 line items: 400 skill columns, 10 scores a student.
    let output = bundle(Test::new(), 1000, 10, None)
        .args(&[
            "plan",
            "bundle",
            "-f",
            "csv",
            "--columns",
            "student_id,plan",
        ])
        .run();
    planned_once(&output.stdout, (0..1000).map(|s| (1000 + s).to_string()));
}

#[test]
fn a_bundle_with_more_line_items_than_columns_is_refused_before_its_results_are_read() {
    // One class with a line item past the limit; results.csv is not even
    // read (its bad score would be the error otherwise).
    let items = MAX_COLUMNS - 3;
    let results = "sourcedId,lineItemSourcedId,studentSourcedId,scoreStatus,score\n\
                   r1,li0-0,u0,fully graded,not a score\n";
    let output = bundle(Test::new(), 1, items, Some(results))
        .args(&["plan", "bundle", "-f", "csv"])
        .status(1)
        .run();
    output
        .assert_stdout("")
        .assert_stderr_contains(&format!(
            "error[too-many-columns]: `bundle` has {items} line items, a column each: with its 4 \
             other columns, {} columns; tierplan reads at most {MAX_COLUMNS}",
            items + 4
        ))
        .assert_stderr_contains(
            "plan the bundle by grading category (`skills: {group_by: category}` in the rules)",
        );
    // One line item fewer fits, and then the results are read.
    let output = bundle(Test::new(), 1, items - 1, Some(results))
        .args(&["plan", "bundle", "-f", "csv"])
        .status(1)
        .run();
    output.assert_stderr_contains("error[bad-score]");
}

/// A long file: each student of `sections` has `skills` skills of their own.
fn long_file(sections: &[&str], students: usize, skills: usize) -> String {
    let mut text = String::from("student_id,section,skill,score\n");
    for section in sections {
        for s in 0..students {
            for k in 0..skills {
                writeln!(
                    text,
                    "{section}{s},{section},{section}{s}-K{k},{}",
                    (s + k) % 101
                )
                .unwrap();
            }
        }
    }
    text
}

#[test]
fn a_long_file_whose_students_have_skills_of_their_own_plans_every_student_once() {
    let output = Test::new()
        .file("long.csv", long_file(&["A", "B"], 1000, 1))
        .args(&[
            "plan",
            "long.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,plan",
        ])
        .run();
    let ids = ["A", "B"]
        .iter()
        .flat_map(|section| (0..1000).map(move |s| format!("{section}{s}")));
    planned_once(&output.stdout, ids);
}

#[test]
fn a_long_file_with_more_skills_than_columns_is_refused_and_only_plans_a_part() {
    // Two sections of 10 students with 900 skills each: 18,000 skills in
    // all, 9,000 in one section.
    let t = Test::new().file("long.csv", long_file(&["A", "B"], 10, 900));
    t.status(1)
        .run_with(&["plan", "long.csv", "-f", "csv"])
        .assert_stdout("")
        .assert_stderr_contains(&format!(
            "error[too-many-columns]: `long.csv` has 18000 skills, a column each: with its 2 \
             other columns, 18002 columns; tierplan reads at most {MAX_COLUMNS}"
        ))
        .assert_stderr_contains("plan a part of the file at a time (`--only section=NAME`");
    let output = t.run_with(&[
        "plan",
        "long.csv",
        "--only",
        "section=A",
        "-f",
        "csv",
        "--columns",
        "student_id,plan",
    ]);
    planned_once(&output.stdout, (0..10).map(|s| format!("A{s}")));
}
