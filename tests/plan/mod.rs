//! `tierplan plan`: the example class in every format, the options that
//! shape the output (`--columns`, `--summary`, `--set`) and the shipped
//! rules named by `--rules NAME`; one module each for where the plan goes
//! (`-o`), where the class comes from (standard input, several files,
//! score notations) and rules with a nested tree and a lookup table.

mod html;
mod input;
mod letters;
mod output;
mod reading;
mod sections;
mod xlsx;

use crate::util::{CSV_COLUMNS, QUIZ_NOTE, Test, csv_records, readme_block};

#[test]
fn table_of_the_example_class_is_the_readme_example() {
    let output = Test::new().quiz().args(&["plan", "quiz.csv"]).run();
    output.assert_stdout(&readme_block(
        "`tierplan plan examples/quiz.csv`, with the built-in rules:",
    ));
}

#[test]
fn table_names_the_section_the_whole_class_skill_and_the_groups() {
    let output = Test::new().quiz().args(&["plan", "quiz.csv"]).run();
    output
        .assert_stdout_contains("Section 5A · 28 students\n")
        .assert_stdout_contains(
            "
            Reteach to the whole class:
              NF.1: 19 of 27 below mastery (70%)
            ",
        );
    let row = |needles: &[&str]| {
        output
            .stdout
            .lines()
            .any(|line| needles.iter().all(|n| line.contains(n)))
    };
    assert!(
        row(&[
            "Tier 3 intensive intervention",
            "NF.1",
            "weekly",
            " 1 ",
            "José Álvarez (30)"
        ]),
        "a Tier 3 row with José Álvarez:\n{}",
        output.stdout
    );
    assert!(
        row(&["No quiz data", " 1 ", "Amelia Jackson"]),
        "a `No quiz data` row with Amelia Jackson:\n{}",
        output.stdout
    );
    assert!(row(&["Tier 2 ", " 3 ", "11%", "at most 15%"]));
    assert!(row(&["No tier (no data)", " 1 "]));
}

#[test]
fn csv_has_one_row_per_student_in_input_order() {
    let output = Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--format", "csv"])
        .run();
    let rows = csv_records(&output.stdout, &CSV_COLUMNS);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<String> = (1..=28).map(|i| format!("S{i:02}")).collect();
    assert_eq!(ids, expected);
    assert!(rows.iter().all(|r| r[2] == "5A"));
    assert_eq!(
        rows[2],
        [
            "S03",
            "José Álvarez",
            "5A",
            "tier3",
            "tier3_intervention",
            "3",
            "NF.1",
            "30",
            "screening percentile 8 is at or below 10",
            ""
        ]
    );
    assert_eq!(rows[5][1], "Chen, Mei", "a quoted name with a comma");
    assert_eq!(
        rows[13],
        [
            "S14",
            "Amelia Jackson",
            "5A",
            "no_data",
            "no_data",
            "",
            "",
            "",
            "no skill was scored on this quiz",
            ""
        ]
    );
    output.assert_stdout_contains(
        "
        student_id,name,section,plan,kind,tier,focus,focus_score,reason,caveat
        S01,Ava Martinez,5A,core,core,1,,,every skill is at mastery or retaught to the whole class,
        S02,Liam O'Brien,5A,core,core,1,,,every skill is at mastery or retaught to the whole class,decided without `screening`
        S03,José Álvarez,5A,tier3,tier3_intervention,3,NF.1,30,screening percentile 8 is at or below 10,
        S04,Nguyễn Thị Lan,5A,small_group_reteach,small_group_reteach,1,OA.1,70,\"OA.1 is 70, below mastery (80), and not retaught to the whole class\",
        ",
    );
}

#[test]
fn json_is_one_document_with_every_student_and_the_section_summary() {
    let output = Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--format", "json"])
        .run();
    let doc: serde_json::Value = serde_json::from_str(&output.stdout).expect("valid JSON");
    let keys: Vec<&str> = doc
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "tierplan",
        "rules",
        "students",
        "sections",
        "students_total",
    ] {
        assert!(keys.contains(&key), "key `{key}` in {keys:?}");
    }
    assert_eq!(doc["tierplan"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc["rules"],
        serde_json::json!({"name": "After a quiz", "source": "<built-in rules `default`>", "chosen_for": null, "config": null})
    );
    assert_eq!(doc["students_total"], 28);
    let students = doc["students"].as_array().expect("an array");
    assert_eq!(students.len(), 28);
    assert_eq!(
        students[6],
        serde_json::json!({
            "student_id": "S07",
            "name": "Ethan Brown",
            "section": "5A",
            "plan": "tier2",
            "label": "Tier 2 small-group intervention",
            "kind": "tier2_intervention",
            "tier": 2,
            "focus": "NF.1",
            "focus_score": 50.0,
            "monitor": "every 2 weeks",
            "reason": "screening percentile 22 is at or below 25",
            "caveat": null
        })
    );
    assert_eq!(students[13]["tier"], serde_json::Value::Null);
    assert_eq!(students[1]["caveat"], "decided without `screening`");
    assert_eq!(doc["sections"][0]["decided_on_missing"], 8);
    let sections = doc["sections"].as_array().expect("an array");
    assert_eq!(sections.len(), 1);
    let section = &sections[0];
    assert_eq!(section["section"], "5A");
    assert_eq!(section["students"], 28);
    assert_eq!(
        section["tiers"],
        serde_json::json!({"tier1": 23, "tier2": 3, "tier3": 1, "no_tier": 1})
    );
    assert_eq!(section["whole_class"], serde_json::json!(["NF.1"]));
    let skills: Vec<&str> = section["skills"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|s| s["skill"].as_str().expect("a skill name"))
        .collect();
    assert_eq!(skills, ["NBT.1", "NBT.2", "NF.1", "NF.2", "OA.1", "MD.1"]);
    assert_eq!(
        section["skills"][2],
        serde_json::json!({
            "skill": "NF.1", "assessed": 27, "below": 19, "share_below": 0.7037,
            "mean": 66.7778, "whole_class": true
        })
    );
}

#[test]
fn markdown_has_a_heading_per_section_and_the_group_table() {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--format", "markdown"])
        .run()
        .assert_stdout(
            "
            # Plan: After a quiz

            Rules: After a quiz (&lt;built-in rules `default`&gt;)

            ## Section 5A (28 students)

            **Reteach to the whole class**

            - NF.1: 19 of 27 below mastery (70%)

            | Group | Focus | Monitor | Students | Names |
            | --- | --- | --- | ---: | --- |
            | Tier 3 intensive intervention | NF.1 | weekly | 1 | José Álvarez (30) |
            | Tier 2 small-group intervention | NF.1 | every 2 weeks | 3 | Mia Anderson (40); Ethan Brown (50); Evelyn Thompson (55) |
            | Small-group reteach | NBT.2 |  | 1 | James Garcia (75) |
            | Small-group reteach | NF.2 |  | 2 | Mason Wilson (70); Harper Harris (75) |
            | Small-group reteach | OA.1 |  | 5 | Sophia Davis (65); Benjamin Clark (68); Nguyễn Thị Lan (70); Aiden Thomas (72); Ella King (75) |
            | Small-group reteach | MD.1 |  | 2 | Henry Walker (65); Lucas Taylor (70) |
            | Core instruction |  |  | 13 | Abigail Robinson; Alexander Young; Ava Martinez; Charlotte Hall; Chen, Mei; Daniel Wright; Elijah White; Emily Lewis; Grace Lopez; Isabella Moore; Liam O'Brien; Noah Williams; Oliver Martin |
            | No quiz data |  |  | 1 | Amelia Jackson |

            | Tier | Students | Share | Guideline |
            | --- | ---: | ---: | --- |
            | Tier 1 | 23 | 85% | about 80% |
            | Tier 2 | 3 | 11% | at most 15% |
            | Tier 3 | 1 | 4% | at most 5% |
            | No tier (no data) | 1 | | |

            **Decided without some of their data (8 students; check before acting)**

            - Abigail Robinson: decided without `screening`
            - Charlotte Hall: decided without `screening`
            - Chen, Mei: decided without `screening`
            - Daniel Wright: decided without `screening`
            - Emily Lewis: decided without `screening`
            - Grace Lopez: decided without `screening`
            - Liam O'Brien: decided without `screening`
            - Oliver Martin: decided without `screening`
            ",
        );
}

#[test]
fn md_is_an_alias_of_markdown() {
    let t = Test::new().quiz();
    let long = t.run_with(&["plan", "quiz.csv", "--format", "markdown"]);
    t.run_with(&["plan", "quiz.csv", "-f", "md"])
        .assert_stdout(&long.stdout);
}

#[test]
fn columns_choose_the_csv_columns_and_their_order() {
    let output = Test::new()
        .quiz()
        .args(&[
            "plan",
            "quiz.csv",
            "--format",
            "csv",
            "--columns",
            "student_id,section,plan,focus",
        ])
        .run();
    let rows = csv_records(&output.stdout, &["student_id", "section", "plan", "focus"]);
    assert_eq!(rows.len(), 28);
    output.assert_stdout_contains(
        "
        student_id,section,plan,focus
        S01,5A,core,
        S02,5A,core,
        S03,5A,tier3,NF.1
        S04,5A,small_group_reteach,OA.1
        ",
    );
}

#[test]
fn columns_can_add_the_label_and_the_monitoring_cadence() {
    Test::new()
        .csv(
            "class.csv",
            "
            student_id,name,screening_pctl,A
            S1,Ann,5,40
            S2,Bo,,90
            ",
        )
        .args(&[
            "plan",
            "class.csv",
            "-f",
            "csv",
            "--columns",
            "name,label,monitor,tier,focus_score",
        ])
        .run()
        .assert_stdout(
            "
            name,label,monitor,tier,focus_score
            Ann,Tier 3 intensive intervention,weekly,3,40
            Bo,Core instruction,,1,
            ",
        );
}

#[test]
fn columns_apply_to_the_csv_and_xlsx_formats_only() {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "--columns", "student_id"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr("error: `--columns` applies to `--format csv` and `--format xlsx` only\n");
}

#[test]
fn an_unknown_column_is_a_usage_error_listing_the_columns_and_fields() {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "-f", "csv", "--columns", "student_id,grde"])
        .status(2)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "error: unknown column `grde`; did you mean `grade`? the columns are student_id, name, section, plan, label, kind, tier, focus, focus_score, monitor, next_probe, reason, caveat, grade, screening\n",
        );
}

#[test]
fn summary_writes_the_share_below_mastery_per_section_and_skill() {
    let t = Test::new().quiz();
    let plain = t.run_with(&["plan", "quiz.csv"]);
    let output = t.run_with(&["plan", "quiz.csv", "--summary", "summary.csv"]);
    output.assert_stdout(&plain.stdout);
    t.assert_file(
        "summary.csv",
        "
        section,skill,share_below,whole_class
        5A,NBT.1,0.1481,false
        5A,NBT.2,0.1852,false
        5A,NF.1,0.7037,true
        5A,NF.2,0.2308,false
        5A,OA.1,0.3333,false
        5A,MD.1,0.1852,false
        ",
    );
}

#[test]
fn summary_lists_sections_by_name_and_only_skills_someone_took() {
    let t = Test::new().csv(
        "class.csv",
        "
        student_id,section,A,B
        S1,7B,50,
        S2,7A,90,60
        S3,7B,70,
        ",
    );
    // Whole-class decisions on sections of one or two students, for the
    // shape of the summary (the default needs ten, `min_assessed`).
    t.run_with(&[
        "plan",
        "class.csv",
        "-f",
        "csv",
        "--summary",
        "s.csv",
        "--set",
        "min_assessed=1",
    ]);
    t.assert_file(
        "s.csv",
        "
        section,skill,share_below,whole_class
        7A,A,0.0000,false
        7A,B,1.0000,true
        7B,A,1.0000,true
        ",
    );
}

#[test]
fn set_changes_a_parameter_for_one_run() {
    let t = Test::new().quiz();
    let row = |output: &crate::util::Output| {
        output
            .stdout
            .lines()
            .find(|l| l.starts_with("S04,"))
            .expect("a row for S04")
            .to_owned()
    };
    let before = t.run_with(&[
        "plan",
        "quiz.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,focus",
    ]);
    assert_eq!(row(&before), "S04,small_group_reteach,OA.1");
    let after = t.run_with(&[
        "plan",
        "quiz.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,focus",
        "--set",
        "mastery=70",
    ]);
    assert_eq!(row(&after), "S04,core,");
}

#[test]
fn set_names_an_existing_parameter() {
    let t = Test::new().quiz();
    t.status(2).run_with(&["plan", "quiz.csv", "--set", "mastry=70"])
        .assert_stdout("")
        .assert_stderr(
            "error: `--set mastry=...`: the rules have no parameter `mastry`; did you mean `mastery`?\n",
        );
    t.status(2)
        .run_with(&["plan", "quiz.csv", "--set", "mastery"])
        .assert_stderr_contains("`mastery` is not NAME=VALUE, e.g. `mastery=70`");
}

#[test]
fn set_of_a_number_parameter_to_no_finite_number_is_a_usage_error() {
    let t = Test::new().quiz();
    for value in ["NaN", "nan", "inf", "-infinity", "1e400", "abc"] {
        t.status(2).run_with(&["plan", "quiz.csv", "--set", &format!("mastery={value}")])
            .assert_stdout("")
            .assert_stderr(&format!(
                "error: `--set mastery={value}`: parameter `mastery` is a number, and `{value}` is not a finite number; e.g. `--set mastery=80`\n"
            ));
    }
    // In `check` and `diff` too, which load the rules the same way.
    t.status(2)
        .run_with(&["check", "--set", "mastery=NaN"])
        .assert_stderr_contains("`--set mastery=NaN`");
}

/// See: issue 10. Shipped rules are named by `--rules NAME`; a misspelt
/// name says which exist; files that need different rules are refused.
#[test]
fn shipped_rules_are_named_and_a_misspelt_name_is_suggested() {
    let t = Test::new().quiz().csv(
        "star.csv",
        "
        StudentIdentifier,StudentFirstName,StudentLastName,PercentileRank,ScaledScore,RenaissanceBenchmarkCategoryName,CompletedDate
        S1,Ann,Lee,5,400,Urgent Intervention,2026-09-10
        S2,Bo,Kim,30,500,On Watch,2026-09-10
        ",
    );
    let by_name = t.run_with(&["plan", "--rules", "default", "quiz.csv", "-f", "csv"]);
    by_name.assert_stderr(QUIZ_NOTE);
    assert_eq!(
        by_name.stdout,
        t.run_with(&["plan", "quiz.csv", "-f", "csv"]).stdout
    );
    t.run_with(&[
        "plan",
        "star.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,tier",
    ])
    .assert_stdout(
        "
            student_id,plan,tier
            S1,tier3,3
            S2,on_watch,1
            ",
    );
    t.status(2)
        .run_with(&["plan", "--rules", "stra", "quiz.csv"])
        .assert_stderr_contains(
            "error: no rules file `stra` and no shipped rules of that name; did you mean `star`?",
        );
    t.status(2).run_with(&["plan", "star.csv", "quiz.csv"])
        .assert_stderr_contains("error: the files need different rules: `star.csv` is Renaissance Star assessment export (v2) (rules `star`), `quiz.csv` is plain results (rules `default`)");
    // A file called like a shipped set is read as a file when written as a path.
    let t = t.file("star", include_str!("../../rules/default.yaml"));
    t.run_with(&["check", "--rules", "./star"])
        .assert_stdout_contains("(./star)");
}
