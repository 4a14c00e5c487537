//! See: issue 13. A student in several sections (a gradebook export with a
//! row per student per course) is planned once per section: the student is
//! the (section, id) pair, each section's shares count them once, and every
//! output says how many students are in more than one section.

use serde_json::Value;

use crate::util::{Test, csv_records, data};

const NOTE: &str = "4 students are in more than one section; each is planned once per section";

fn gradebook() -> Test {
    Test::new().file("gradebook.csv", data("gradebook.csv"))
}

#[test]
fn a_two_course_gradebook_plans_each_student_once_per_course_in_csv() {
    let out = gradebook().run_with(&[
        "plan",
        "gradebook.csv",
        "-f",
        "csv",
        "--columns",
        "section,student_id,plan,focus",
    ]);
    out.assert_stdout(
        "
        section,student_id,plan,focus
        Math 7,70114,tier2,7.RP.2
        Math 7,70127,core,
        Math 7,70133,tier3,7.RP.2
        Math 7,70148,small_group_reteach,7.RP.2
        Math 7,70152,core,
        Math 7,70169,small_group_reteach,7.EE.1
        ELA 7,70114,core,
        ELA 7,70133,small_group_reteach,RL.7.2
        ELA 7,70148,tier3,RL.7.2
        ELA 7,70171,core,
        ELA 7,70185,tier2,RL.7.1
        ELA 7,70152,core,
        ",
    )
    .assert_stderr(&format!("note: {NOTE}\n"));
}

#[test]
fn a_two_course_gradebook_plans_each_student_once_per_course_in_json() {
    let out = gradebook().run_with(&["plan", "gradebook.csv", "-f", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["in_several_sections"], 4);
    assert_eq!(doc["students_total"], 12);
    let rows = doc["students"].as_array().expect("students");
    let key = |r: &Value| {
        (
            r["section"].as_str().unwrap_or_default().to_owned(),
            r["student_id"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let mut keys: Vec<(String, String)> = rows.iter().map(key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 12, "each (section, id) once: {keys:?}");
    let diego: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["student_id"] == "70148")
        .map(|r| {
            (
                r["section"].as_str().unwrap_or(""),
                r["plan"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        diego,
        [("Math 7", "small_group_reteach"), ("ELA 7", "tier3")]
    );
    // Each section counts its own six students, whoever else they are in.
    let sections = doc["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 2);
    for section in sections {
        assert_eq!(section["students"], 6, "{section}");
    }
    assert_eq!(out.stderr, "", "JSON says it in `in_several_sections`");
}

#[test]
fn the_table_and_markdown_say_how_many_students_are_in_several_sections() {
    let t = gradebook();
    t.run_with(&["plan", "gradebook.csv"])
        .assert_stdout_contains("Section Math 7 · 6 students\n")
        .assert_stdout_contains("Section ELA 7 · 6 students\n")
        .assert_stdout_contains(&format!("\nNote: {NOTE}.\n"));
    t.run_with(&["plan", "gradebook.csv", "-f", "markdown"])
        .assert_stdout_contains(&format!("\n> {NOTE}.\n"));
    t.run_with(&["check", "gradebook.csv"]).assert_stdout_contains(
        "12 students in 2 sections (4 in more than one, counted and planned in each): every row reads\n",
    );
    // One student in two sections is said in the singular; none, not at all.
    let one = "id,name,section,a\nS1,Ann,5A,80\nS2,Bo,5A,70\nS1,Ann,5B,60\n";
    let t = Test::new().file("f.csv", one);
    t.run_with(&[
        "plan",
        "f.csv",
        "-f",
        "csv",
        "--columns",
        "section,student_id,focus",
    ])
    .assert_stdout("section,student_id,focus\n5A,S1,\n5A,S2,a\n5B,S1,a\n")
    .assert_stderr(
        "note: 1 student is in more than one section, and is planned once per section\n",
    );
    let none = Test::new().file("f.csv", "id,section,a\nS1,5A,80\nS2,5B,70\n");
    let table = none.run_with(&["plan", "f.csv"]);
    assert!(
        !table.stdout.contains("more than one section"),
        "{}",
        table.stdout
    );
    let json: Value = serde_json::from_str(&none.run_with(&["plan", "f.csv", "-f", "json"]).stdout)
        .expect("json");
    assert_eq!(json["in_several_sections"], 0);
}

/// Whole-class reteaching is decided per section from that section's rows:
/// a student in two sections counts once in each.
#[test]
fn each_sections_whole_class_share_counts_a_shared_student_once() {
    // In 5A two of four are below on `a` (50%: the whole class); in 5B,
    // with S1 again, one of three (S1), so S1 is retaught in a small group
    // there.
    let rows =
        "id,section,a\nS1,5A,50\nS2,5A,60\nS3,5A,90\nS4,5A,95\nS1,5B,50\nS5,5B,90\nS6,5B,85\n";
    let t = Test::new().file("f.csv", rows);
    let args = ["plan", "f.csv", "--set", "min_assessed=1", "-f"];
    let out = t.run_with(&[&args[..], &["csv", "--columns", "section,student_id,plan"]].concat());
    let records = csv_records(&out.stdout, &["section", "student_id", "plan"]);
    assert_eq!(records[0], ["5A", "S1", "core"]);
    assert_eq!(records[4], ["5B", "S1", "small_group_reteach"]);
    let json = t.run_with(&[&args[..], &["json"]].concat());
    let doc: Value = serde_json::from_str(&json.stdout).expect("json");
    let shares: Vec<(Value, Value)> = doc["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| (s["section"].clone(), s["skills"][0]["below"].clone()))
        .collect();
    assert_eq!(
        shares,
        [("5A".into(), 2.into()), ("5B".into(), 1.into())],
        "{}",
        json.stdout
    );
}

#[test]
fn duplicates_first_and_last_keep_one_row_in_each_section() {
    let rows = "id,name,section,a\nS1,Ann,5A,40\nS1,Ann,5B,90\nS2,Bo,5A,95\nS1,Ann,5A,95\n";
    let t = Test::new().file("f.csv", rows);
    let run = |rule: &str| {
        t.run_with(&[
            "plan",
            "f.csv",
            "--duplicates",
            rule,
            "-f",
            "csv",
            "--columns",
            "section,student_id,focus",
        ])
    };
    run("last")
        .assert_stdout("section,student_id,focus\n5B,S1,\n5A,S2,\n5A,S1,\n")
        .assert_stderr_contains("warning[replaced-row]: student `S1` has a later row in section `5A` (on line 5), which replaces this one\n  --> f.csv, line 2\n")
        .assert_stderr_contains("note: 1 student is in more than one section");
    run("first")
        .assert_stdout("section,student_id,focus\n5A,S1,a\n5B,S1,\n5A,S2,\n")
        .assert_stderr_contains("warning[duplicate-student]: student `S1` appears twice in section `5A` (also on line 2)\n  --> f.csv, line 5\n")
        .assert_stderr_contains("note: 1 student is in more than one section");
    t.status(1)
        .run_with(&["plan", "f.csv"])
        .assert_stderr_contains("error[duplicate-student]: student `S1` appears twice in section `5A` (also on line 2)\n  --> f.csv, line 5\n");
}

/// Without a section column every row is in one section: the same id twice
/// is the duplicate it always was.
#[test]
fn without_sections_the_same_id_twice_is_a_duplicate() {
    Test::new()
        .file("f.csv", "id,a\nS1,80\nS1,70\n")
        .status(1)
        .run_with(&["plan", "f.csv"])
        .assert_stderr_contains(
            "error[duplicate-student]: student `S1` appears twice (also on line 2)\n",
        );
}
