//! `tierplan diff`: two rules files over the same data, and two windows'
//! data through the same rules.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::util::{CSV_COLUMNS, Test, csv_records, repo};

const DIFF_COLUMNS: [&str; 10] = [
    "student_id",
    "name",
    "section",
    "change",
    "old_plan",
    "old_tier",
    "old_focus",
    "new_plan",
    "new_tier",
    "new_focus",
];

/// The default rules as `rules.yaml` and, as `rules-70.yaml`, the same with
/// `mastery: 70`, and the example class.
fn mastery_70() -> Test {
    let default = std::fs::read_to_string(repo("rules/default.yaml")).expect("read the rules");
    assert_eq!(default.matches("  mastery: 80\n").count(), 1);
    let lower = default.replace("  mastery: 80\n", "  mastery: 70\n");
    Test::new()
        .quiz()
        .file("rules.yaml", &default)
        .file("rules-70.yaml", lower)
}

/// `plan --format csv` for the example class, by student id: (plan, tier,
/// focus).
fn plans(t: &Test, extra: &[&str]) -> BTreeMap<String, (String, String, String)> {
    let mut args = vec![
        "plan",
        "quiz.csv",
        "--rules",
        "rules.yaml",
        "--format",
        "csv",
    ];
    args.extend(extra);
    let out = t.run_with(&args);
    let id = |c: &str| CSV_COLUMNS.iter().position(|x| *x == c).unwrap();
    csv_records(&out.stdout, &CSV_COLUMNS)
        .into_iter()
        .map(|r| {
            let cell = |c: &str| r[id(c)].clone();
            (
                cell("student_id"),
                (cell("plan"), cell("tier"), cell("focus")),
            )
        })
        .collect()
}

#[test]
fn diff_of_two_rules_files_lists_exactly_the_students_whose_plan_changes() {
    let t = mastery_70();
    // Expected, independently: the plan with `--set mastery=70` and without.
    let before = plans(&t, &[]);
    let after = plans(&t, &["--set", "mastery=70"]);
    assert_eq!(before.len(), 28);
    let mut expected = BTreeMap::new();
    for (id, old) in &before {
        let new = &after[id];
        if old.0 != new.0 || old.1 != new.1 {
            expected.insert(id.clone(), "plan or tier");
        } else if old.2 != new.2 {
            expected.insert(id.clone(), "focus");
        }
    }
    assert!(!expected.is_empty(), "mastery 70 changes someone's plan");

    let out = t.run_with(&[
        "diff",
        "rules.yaml",
        "rules-70.yaml",
        "quiz.csv",
        "-f",
        "csv",
    ]);
    out.assert_stderr("");
    let rows = csv_records(&out.stdout, &DIFF_COLUMNS);
    let mut listed = BTreeMap::new();
    for row in &rows {
        let kind = match row[3].as_str() {
            "focus" => "focus",
            "plan" | "entered" | "left" | "tier_up" | "tier_down" => "plan or tier",
            other => panic!("unexpected change `{other}` in {row:?}"),
        };
        let (old, new) = (&before[&row[0]], &after[&row[0]]);
        assert_eq!((&row[4], &row[5], &row[6]), (&old.0, &old.1, &old.2));
        assert_eq!((&row[7], &row[8], &row[9]), (&new.0, &new.1, &new.2));
        assert!(listed.insert(row[0].clone(), kind).is_none(), "listed once");
    }
    assert_eq!(listed, expected);

    // Two students, inline: S04's only skill below 80 is OA.1 at 70, which
    // is at mastery once mastery is 70; S07 is in Tier 2 either way.
    assert!(
        out.stdout
            .contains("\nS04,Nguyễn Thị Lan,5A,plan,small_group_reteach,1,OA.1,core,1,\n")
    );
    assert!(!out.stdout.contains("\nS07,"));
}

#[test]
fn diff_table_counts_the_section_and_lists_the_changed() {
    mastery_70()
        .args(&["diff", "rules.yaml", "rules-70.yaml", "quiz.csv"])
        .run()
        .assert_stdout(
            "
            Rules: rules.yaml → rules-70.yaml · data: quiz.csv

            Section 5A · 28 students: 7 changed plan, 21 unchanged
            ┌────────┬─────┬────────────────┬──────────────────────────────────────┬───────────────────────────┐
            │ Change ┆ ID  ┆ Student        ┆ Old plan                             ┆ New plan                  │
            ╞════════╪═════╪════════════════╪══════════════════════════════════════╪═══════════════════════════╡
            │ plan   ┆ S04 ┆ Nguyễn Thị Lan ┆ Small-group reteach · Tier 1 · OA.1  ┆ Core instruction · Tier 1 │
            │ plan   ┆ S09 ┆ Mason Wilson   ┆ Small-group reteach · Tier 1 · NF.2  ┆ Core instruction · Tier 1 │
            │ plan   ┆ S11 ┆ Lucas Taylor   ┆ Small-group reteach · Tier 1 · MD.1  ┆ Core instruction · Tier 1 │
            │ plan   ┆ S13 ┆ Aiden Thomas   ┆ Small-group reteach · Tier 1 · OA.1  ┆ Core instruction · Tier 1 │
            │ plan   ┆ S16 ┆ Harper Harris  ┆ Small-group reteach · Tier 1 · NF.2  ┆ Core instruction · Tier 1 │
            │ plan   ┆ S19 ┆ James Garcia   ┆ Small-group reteach · Tier 1 · NBT.2 ┆ Core instruction · Tier 1 │
            │ plan   ┆ S26 ┆ Ella King      ┆ Small-group reteach · Tier 1 · OA.1  ┆ Core instruction · Tier 1 │
            └────────┴─────┴────────────────┴──────────────────────────────────────┴───────────────────────────┘
            ",
        );
}

/// The JSON shape, declared: a field added or renamed fails here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffJson {
    tierplan: String,
    old: SideJson,
    new: SideJson,
    matched_by: String,
    students: Vec<StudentJson>,
    sections: Vec<SectionJson>,
    total: CountsJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SideJson {
    rules: String,
    data: Vec<String>,
    in_several_sections: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudentJson {
    student_id: String,
    name: String,
    section: String,
    change: String,
    old: Option<OutcomeJson>,
    new: Option<OutcomeJson>,
    moved_from: Option<String>,
    moved_to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeJson {
    plan: String,
    label: String,
    tier: Option<u8>,
    focus: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionJson {
    section: String,
    #[serde(flatten)]
    counts: CountsJson,
}

#[derive(Debug, Deserialize, PartialEq)]
struct CountsJson {
    students: u64,
    changed: u64,
    entered: u64,
    left: u64,
    tier_up: u64,
    tier_down: u64,
    plan: u64,
    focus: u64,
    new_student: u64,
    gone: u64,
    unchanged: u64,
}

#[test]
fn diff_json_has_the_documented_shape() {
    let out = mastery_70()
        .args(&[
            "diff",
            "rules.yaml",
            "rules-70.yaml",
            "quiz.csv",
            "-f",
            "json",
            "--all",
        ])
        .run();
    let doc: DiffJson = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("diff json ({e}):\n{}", out.stdout));
    assert_eq!(doc.tierplan, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        (doc.old.rules.as_str(), doc.new.rules.as_str()),
        ("rules.yaml", "rules-70.yaml")
    );
    assert_eq!(doc.old.data, ["quiz.csv"]);
    assert_eq!(doc.new.data, ["quiz.csv"]);
    // One section, so no student is in several, and none moved.
    assert_eq!(
        (doc.old.in_several_sections, doc.new.in_several_sections),
        (0, 0)
    );
    assert!(
        doc.students
            .iter()
            .all(|s| s.moved_from.is_none() && s.moved_to.is_none())
    );
    assert_eq!(doc.matched_by, "section_and_id");
    // `--all`: every student, once.
    assert_eq!(doc.students.len(), 28);
    assert_eq!(
        doc.students
            .iter()
            .filter(|s| s.change == "unchanged")
            .count(),
        21
    );
    let s04 = doc.students.iter().find(|s| s.student_id == "S04").unwrap();
    assert_eq!(
        (s04.name.as_str(), s04.section.as_str(), s04.change.as_str()),
        ("Nguyễn Thị Lan", "5A", "plan")
    );
    let (old, new) = (s04.old.as_ref().unwrap(), s04.new.as_ref().unwrap());
    assert_eq!(
        (
            old.plan.as_str(),
            old.label.as_str(),
            old.tier,
            old.focus.as_deref()
        ),
        (
            "small_group_reteach",
            "Small-group reteach",
            Some(1),
            Some("OA.1")
        )
    );
    assert_eq!(
        (new.plan.as_str(), new.tier, new.focus.as_deref()),
        ("core", Some(1), None)
    );
    assert_eq!(doc.sections.len(), 1);
    assert_eq!(doc.sections[0].section, "5A");
    assert_eq!(doc.sections[0].counts, doc.total);
    assert_eq!(
        (
            doc.total.students,
            doc.total.changed,
            doc.total.plan,
            doc.total.unchanged
        ),
        (28, 7, 7, 21)
    );
}

const FALL: &str = "
    student_id,name,section,screening_pctl,A,B
    F1,Ana Lima,5A,20,85,95
    F2,Ben Okafor,5A,50,90,90
    F3,Cal Reyes,5A,5,85,95
    F4,Dee Park,5A,50,70,90
    F5,Eve Stone,5A,50,90,90
    F6,Fay Wong,5B,20,85,95
    F8,Hal Ito,5B,50,90,90
    F9,Ivy Chen,5B,50,60,90
    ";

const WINTER: &str = "
    student_id,name,section,screening_pctl,A,B
    F1,Ana Lima,5A,50,90,90
    F2,Ben Okafor,5A,8,85,95
    F3,Cal Reyes,5A,20,85,95
    F4,Dee Park,5A,50,90,70
    F7,Gus Hale,5A,50,90,90
    F6,Fay Wong,5B,8,85,95
    F8,Hal Ito,5B,50,90,90
    F9,Ivy Chen,5B,50,90,90
    ";

fn windows() -> Test {
    Test::new().csv("fall.csv", FALL).csv("winter.csv", WINTER)
}

#[test]
fn diff_of_two_windows_shows_tier_movement_as_csv() {
    windows()
        .args(&["diff", "fall.csv", "winter.csv", "--format", "csv"])
        .run()
        .assert_stderr("")
        .assert_stdout(
            "
            student_id,name,section,change,old_plan,old_tier,old_focus,new_plan,new_tier,new_focus
            F1,Ana Lima,5A,left,tier2,2,A,core,1,
            F2,Ben Okafor,5A,entered,core,1,,tier3,3,A
            F3,Cal Reyes,5A,tier_down,tier3,3,A,tier2,2,A
            F4,Dee Park,5A,focus,small_group_reteach,1,A,small_group_reteach,1,B
            F5,Eve Stone,5A,gone,core,1,,,,
            F7,Gus Hale,5A,new_student,,,,core,1,
            F6,Fay Wong,5B,tier_up,tier2,2,A,tier3,3,A
            F9,Ivy Chen,5B,plan,small_group_reteach,1,A,core,1,
            ",
        );
}

#[test]
fn diff_of_two_windows_as_a_table_and_with_all() {
    windows()
        .args(&["diff", "fall.csv", "winter.csv", "--all"])
        .run()
        .assert_stdout(
            "
            Data: fall.csv → winter.csv · rules: <built-in rules `default`>

            Section 5A · 6 students: 1 entered tier support, 1 left tier support, 1 moved down a tier, 1 changed focus, 1 new, 1 gone
            ┌────────────────┬────┬────────────┬───────────────────────────────┬───────────────────────────────┐
            │ Change         ┆ ID ┆ Student    ┆ Old plan                      ┆ New plan                      │
            ╞════════════════╪════╪════════════╪═══════════════════════════════╪═══════════════════════════════╡
            │ left Tier 2    ┆ F1 ┆ Ana Lima   ┆ Tier 2 small-group            ┆ Core instruction · Tier 1     │
            │                ┆    ┆            ┆ intervention · A              ┆                               │
            │ entered Tier 3 ┆ F2 ┆ Ben Okafor ┆ Core instruction · Tier 1     ┆ Tier 3 intensive intervention │
            │                ┆    ┆            ┆                               ┆ · A                           │
            │ Tier 3 → 2     ┆ F3 ┆ Cal Reyes  ┆ Tier 3 intensive intervention ┆ Tier 2 small-group            │
            │                ┆    ┆            ┆ · A                           ┆ intervention · A              │
            │ focus          ┆ F4 ┆ Dee Park   ┆ Small-group reteach · Tier 1  ┆ Small-group reteach · Tier 1  │
            │                ┆    ┆            ┆ · A                           ┆ · B                           │
            │ gone           ┆ F5 ┆ Eve Stone  ┆ Core instruction · Tier 1     ┆ —                             │
            │ new student    ┆ F7 ┆ Gus Hale   ┆ —                             ┆ Core instruction · Tier 1     │
            └────────────────┴────┴────────────┴───────────────────────────────┴───────────────────────────────┘

            Section 5B · 3 students: 1 moved up a tier, 1 changed plan, 1 unchanged
            ┌────────────┬────┬──────────┬──────────────────────────────────┬──────────────────────────────────┐
            │ Change     ┆ ID ┆ Student  ┆ Old plan                         ┆ New plan                         │
            ╞════════════╪════╪══════════╪══════════════════════════════════╪══════════════════════════════════╡
            │ Tier 2 → 3 ┆ F6 ┆ Fay Wong ┆ Tier 2 small-group intervention  ┆ Tier 3 intensive intervention ·  │
            │            ┆    ┆          ┆ · A                              ┆ A                                │
            │ unchanged  ┆ F8 ┆ Hal Ito  ┆ Core instruction · Tier 1        ┆ Core instruction · Tier 1        │
            │ plan       ┆ F9 ┆ Ivy Chen ┆ Small-group reteach · Tier 1 · A ┆ Core instruction · Tier 1        │
            └────────────┴────┴──────────┴──────────────────────────────────┴──────────────────────────────────┘

            All sections · 9 students: 1 entered tier support, 1 left tier support, 1 moved up a tier, 1 moved down a tier, 1 changed plan, 1 changed focus, 1 new, 1 gone, 1 unchanged
            ",
        );
}

#[test]
fn diff_json_of_two_windows_is_exact() {
    windows()
        .args(&["diff", "fall.csv", "winter.csv", "-f", "json"])
        .run()
        .assert_stdout_contains(
            r#"
            "matched_by": "section_and_id",
            "students": [
            {"student_id":"F1","name":"Ana Lima","section":"5A","change":"left","old":{"plan":"tier2","label":"Tier 2 small-group intervention","tier":2,"focus":"A"},"new":{"plan":"core","label":"Core instruction","tier":1,"focus":null},"moved_from":null,"moved_to":null},
            "#,
        )
        .assert_stdout_contains(
            r#"
            {"student_id":"F5","name":"Eve Stone","section":"5A","change":"gone","old":{"plan":"core","label":"Core instruction","tier":1,"focus":null},"new":null,"moved_from":null,"moved_to":null},
            {"student_id":"F7","name":"Gus Hale","section":"5A","change":"new_student","old":null,"new":{"plan":"core","label":"Core instruction","tier":1,"focus":null},"moved_from":null,"moved_to":null},
            "#,
        )
        .assert_stdout_contains(
            r#"
            "sections": [
            {"section":"5A","students":6,"changed":6,"entered":1,"left":1,"tier_up":0,"tier_down":1,"plan":0,"focus":1,"new_student":1,"gone":1,"unchanged":0},
            {"section":"5B","students":3,"changed":2,"entered":0,"left":0,"tier_up":1,"tier_down":0,"plan":1,"focus":0,"new_student":0,"gone":0,"unchanged":1}
            ],
            "total": {"students":9,"changed":8,"entered":1,"left":1,"tier_up":1,"tier_down":1,"plan":1,"focus":1,"new_student":1,"gone":1,"unchanged":1}}
            "#,
        );
}

#[test]
fn diff_exit_code_is_1_only_with_exit_code_and_differences() {
    let t = windows().csv("fall-again.csv", FALL);
    // Differences, without `--exit-code`: it ran, 0.
    t.run_with(&["diff", "fall.csv", "winter.csv"]);
    t.status(1)
        .run_with(&["diff", "fall.csv", "winter.csv", "--exit-code", "-q"])
        .assert_stdout("");
    t.run_with(&["diff", "fall.csv", "fall-again.csv", "--exit-code"])
        .assert_stdout(
            "
            Data: fall.csv → fall-again.csv · rules: <built-in rules `default`>

            Section 5A · 5 students: 5 unchanged

            Section 5B · 3 students: 3 unchanged

            All sections · 8 students: 8 unchanged
            ",
        );
}

#[test]
fn diff_errors_exit_2_and_name_the_file() {
    let t = mastery_70();
    // A missing rules file, with `--exit-code`: 2, not 1.
    t.status(2)
        .run_with(&[
            "diff",
            "rules.yaml",
            "missing.yaml",
            "quiz.csv",
            "--exit-code",
        ])
        .assert_stdout("")
        .assert_stderr_contains("cannot read `missing.yaml`");
    t.status(2)
        .run_with(&["diff", "quiz.csv", "absent.csv"])
        .assert_stderr_contains("`absent.csv`");
    // Problems in the rules are printed as diagnostics, and exit 2 too.
    let broken = t
        .read("rules.yaml")
        .replace("plan: tier3\n", "plan: tier9\n");
    let t = t.file("broken.yaml", broken);
    t.status(2)
        .run_with(&[
            "diff",
            "rules.yaml",
            "broken.yaml",
            "quiz.csv",
            "--exit-code",
        ])
        .assert_stderr_contains("broken.yaml");
    // Two rules files and no data.
    t.status(2)
        .run_with(&["diff", "rules.yaml", "rules-70.yaml"])
        .assert_stderr_contains("look like rules files");
    // `-o` is written atomically and never over an input.
    t.status(2)
        .run_with(&[
            "diff",
            "rules.yaml",
            "rules-70.yaml",
            "quiz.csv",
            "-o",
            "quiz.csv",
        ])
        .assert_stderr_contains("one of the files tierplan reads");
    // Nor over a hard link to one.
    #[cfg(unix)]
    {
        std::fs::hard_link(t.path("quiz.csv"), t.path("link.csv")).expect("make a hard link");
        let quiz = t.read("quiz.csv");
        t.status(2)
            .run_with(&[
                "diff",
                "rules.yaml",
                "rules-70.yaml",
                "quiz.csv",
                "-o",
                "link.csv",
            ])
            .assert_stderr_contains("`link.csv` is one of the files tierplan reads");
        assert_eq!(t.read("link.csv"), quiz);
    }
}

#[test]
fn diff_writes_the_output_file_and_redacts_names() {
    let t = mastery_70();
    t.run_with(&[
        "diff",
        "rules.yaml",
        "rules-70.yaml",
        "quiz.csv",
        "-f",
        "csv",
        "-o",
        "changes.csv",
        "--redact",
    ])
    .assert_stdout("");
    let text = t.read("changes.csv");
    assert!(text.starts_with("student_id,name,section,change,"));
    assert!(text.contains("\nS04,N. T. L.,5A,plan,"), "{text}");
    assert!(!text.contains("Nguyễn"));
}

#[test]
fn diff_names_from_the_data_cannot_drive_the_terminal() {
    Test::new()
        .csv(
            "fall.csv",
            "student_id,name,section,screening_pctl,A\nS1,Ana\u{1b}[31m,5A,50,90\n",
        )
        .csv(
            "winter.csv",
            "student_id,name,section,screening_pctl,A\nS1,Ana\u{1b}[31m,5A,5,90\n",
        )
        .args(&["diff", "fall.csv", "winter.csv"])
        .run()
        .assert_stdout_contains("Ana�[31m");
}

/// The text of the README's code block that follows `marker`.
fn readme_block(marker: &str) -> String {
    let readme = std::fs::read_to_string(repo("README.md")).expect("read README.md");
    let start = readme.find(marker).expect("the README example is there") + marker.len();
    let end = readme[start..].find("```").expect("a closed block");
    readme[start..start + end].to_owned()
}

/// The README's "Comparing plans" shows real output.
#[test]
fn the_readme_diff_examples_are_the_real_output() {
    let rules_change = readme_block("$ tierplan diff rules.yaml rules-70.yaml quiz.csv\n");
    mastery_70()
        .args(&["diff", "rules.yaml", "rules-70.yaml", "quiz.csv"])
        .run()
        .assert_stdout(&rules_change);
    let windows_csv = readme_block("$ tierplan diff fall.csv winter.csv --format csv\n");
    windows()
        .args(&["diff", "fall.csv", "winter.csv", "--format", "csv"])
        .run()
        .assert_stdout(&windows_csv);
}

#[test]
fn diff_help_documents_both_shapes_and_the_exit_status() {
    Test::new()
        .args(&["diff", "--help"])
        .run()
        .assert_stdout_contains("tierplan diff OLD.yaml NEW.yaml DATA...")
        .assert_stdout_contains("tierplan diff OLD.csv NEW.csv")
        .assert_stdout_contains("1  with `--exit-code`: at least one student changed");
}

/// See: issue 13. Two windows of a two-course gradebook: a student in both
/// courses is matched in each (Diego Salas leaves Tier 3 in ELA 7 only),
/// and a student who moved course reads as a move in every format.
#[test]
fn a_gradebook_diff_matches_each_course_and_shows_a_move() {
    let fall = crate::util::data("gradebook.csv");
    let winter = fall
        .replace(
            "70169,Owen Tran,Math 7,Ms. Brandt,33,78,82,74,,,",
            "70169,Owen Tran,ELA 7,Mr. Ferreira,33,,,,78,82,74",
        )
        .replace(
            "70148,Diego Salas,ELA 7,Mr. Ferreira,9,",
            "70148,Diego Salas,ELA 7,Mr. Ferreira,40,",
        );
    assert_ne!(fall, winter);
    let t = Test::new()
        .file("fall.csv", &fall)
        .file("winter.csv", &winter);
    let note = "4 students are in more than one section on each side; each is planned and matched once per section";
    let table = t.run_with(&["diff", "fall.csv", "winter.csv"]);
    table
        .assert_stdout_contains(&format!("Note: {note}.\n"))
        .assert_stdout_contains("Section Math 7 · 6 students: 1 gone, 5 unchanged\n")
        .assert_stdout_contains(
            "Section ELA 7 · 7 students: 1 left tier support, 1 new, 5 unchanged\n",
        )
        .assert_stdout_contains(
            "All sections · 13 students: 1 left tier support, 1 new, 1 gone, 10 unchanged\n",
        );
    let row = |needles: &[&str]| {
        table
            .stdout
            .lines()
            .any(|line| needles.iter().all(|n| line.contains(n)))
    };
    assert!(
        row(&["moved to ELA 7", "70169", "Owen Tran"]),
        "{}",
        table.stdout
    );
    assert!(
        row(&["moved from Math 7", "70169", "Owen Tran"]),
        "{}",
        table.stdout
    );
    assert!(
        row(&["left Tier 3", "70148", "Diego Salas"]),
        "{}",
        table.stdout
    );
    // Diego is unchanged in Math 7: listed with `--all` only, once there.
    assert!(!row(&["70148", "Math 7"]));

    let csv = t.run_with(&["diff", "fall.csv", "winter.csv", "-f", "csv"]);
    let records = csv_records(&csv.stdout, &DIFF_COLUMNS);
    let keyed: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|r| (r[2].as_str(), r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        keyed,
        [
            ("Math 7", "70169", "gone"),
            ("ELA 7", "70148", "left"),
            ("ELA 7", "70169", "new_student"),
        ]
    );
    csv.assert_stderr(&format!(
        "note: {note}\nnote: 1 student moved section: each is a `gone` row in the old section and a `new_student` row in the new\n"
    ));

    let json = t.run_with(&["diff", "fall.csv", "winter.csv", "-f", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(doc["matched_by"], "section_and_id");
    assert_eq!(doc["old"]["in_several_sections"], 4);
    assert_eq!(doc["new"]["in_several_sections"], 4);
    let students = doc["students"].as_array().expect("students");
    let owen: Vec<(&str, &serde_json::Value, &serde_json::Value)> = students
        .iter()
        .filter(|s| s["student_id"] == "70169")
        .map(|s| {
            (
                s["change"].as_str().unwrap_or(""),
                &s["moved_to"],
                &s["moved_from"],
            )
        })
        .collect();
    assert_eq!(
        owen,
        [
            ("gone", &"ELA 7".into(), &serde_json::Value::Null),
            ("new_student", &serde_json::Value::Null, &"Math 7".into()),
        ]
    );
    assert_eq!(doc["total"]["students"], 13);
}

/// When one side has no section column students are matched by id alone;
/// an id in two sections on the other side cannot be, and is refused.
#[test]
fn a_side_without_sections_cannot_match_a_student_in_two() {
    let t = Test::new().file("fall.csv", "id,a\nS1,80\nS2,70\n").file(
        "winter.csv",
        "id,section,a\nS1,Math 7,80\nS2,Math 7,70\nS1,ELA 7,60\n",
    );
    t.status(2)
        .run_with(&["diff", "fall.csv", "winter.csv"])
        .assert_stderr_contains("error[duplicate-student]: student `S1` is in two sections of `winter.csv with <built-in rules `default`>`, `Math 7` and `ELA 7`, and `fall.csv with <built-in rules `default`>` has no section column to match them by\n");
}
