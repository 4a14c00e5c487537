//! CSV injection: a text cell that a spreadsheet would read as a formula
//! (`=`, `+`, `-`, `@`, a tab or a carriage return first) is written with a
//! `'` before it in every CSV tierplan writes (the plan, `--summary`, `diff`),
//! as OWASP advises; `--csv-formulas keep` writes it as it is. Numbers
//! (a score, a field's `-5`) are never changed; JSON and Markdown are not
//! CSV and are left alone.
//!
//! See: issue 13.

use crate::util::Test;

const RULES: &str = "
    tierplan: 1
    columns:
      student_id: [id]
      name: [name]
      section: [section]
      points: [points]
    skills:
      columns: rest
    params:
      mastery: 80
    plans:
      look: {label: Look, kind: core}
    tree:
      - default: look
        focus: weakest
    ";

/// Hostile names, a section and a skill header that start like formulas,
/// negative numbers in the `points` field, and a `points` cell that is a
/// formula.
const HOSTILE: &str = "id,name,section,points,-neg,NF.1\n\
    S1,\"=HYPERLINK(\"\"http://x\"\")\",5A,-5,50,90\n\
    S2,@SUM(A1),5A,-2.5,90,95\n\
    S3,+1,-B,3,80,70\n\
    S4,-2+3,5A,=1+1,40,30\n\
    S5,\"\t=Tab\",5A,0,85,85\n\
    S6,\"\r=CR\",5A,-0,85,85\n";

const COLUMNS: &str = "student_id,name,section,focus,focus_score,points";

fn hostile() -> Test {
    Test::new().rules(RULES).file("hostile.csv", HOSTILE)
}

#[test]
fn formulas_in_a_csv_plan_are_escaped_and_numbers_are_not() {
    hostile()
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "hostile.csv",
            "-f",
            "csv",
            "--columns",
            COLUMNS,
        ])
        .run()
        .assert_stdout(
            "
            student_id,name,section,focus,focus_score,points
            S1,\"'=HYPERLINK(\"\"http://x\"\")\",5A,'-neg,50,-5
            S2,'@SUM(A1),5A,'-neg,90,-2.5
            S3,'+1,'-B,NF.1,70,3
            S4,'-2+3,5A,NF.1,30,'=1+1
            S5,'=Tab,5A,'-neg,85,0
            S6,'=CR,5A,'-neg,85,-0
            ",
        );
}

#[test]
fn csv_formulas_keep_writes_the_cells_as_they_are() {
    hostile()
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "hostile.csv",
            "-f",
            "csv",
            "--columns",
            COLUMNS,
            "--csv-formulas",
            "keep",
        ])
        .run()
        .assert_stdout(
            "
            student_id,name,section,focus,focus_score,points
            S1,\"=HYPERLINK(\"\"http://x\"\")\",5A,-neg,50,-5
            S2,@SUM(A1),5A,-neg,90,-2.5
            S3,+1,-B,NF.1,70,3
            S4,-2+3,5A,NF.1,30,=1+1
            S5,=Tab,5A,-neg,85,0
            S6,=CR,5A,-neg,85,-0
            ",
        );
}

#[test]
fn a_reason_that_starts_with_a_skill_name_is_escaped() {
    Test::new()
        .csv(
            "quiz.csv",
            "
            student_id,name,section,-neg
            S1,Ava,5A,40
            ",
        )
        .args(&["plan", "quiz.csv", "-f", "csv", "--columns", "focus,reason"])
        .run()
        .assert_stdout_contains("'-neg,\"'-neg is 40, below mastery");
}

#[test]
fn the_summary_csv_escapes_sections_and_skills() {
    let t = hostile();
    t.run_with(&[
        "plan",
        "--rules",
        "rules.yaml",
        "hostile.csv",
        "-f",
        "json",
        "--summary",
        "summary.csv",
    ]);
    t.assert_file(
        "summary.csv",
        "
        section,skill,share_below,whole_class
        '-B,'-neg,0.0000,false
        '-B,NF.1,1.0000,false
        5A,'-neg,0.4000,false
        5A,NF.1,0.2000,false
        ",
    );
    t.run_with(&[
        "plan",
        "--rules",
        "rules.yaml",
        "hostile.csv",
        "--csv-formulas",
        "keep",
        "--summary",
        "summary.csv",
    ]);
    t.assert_file(
        "summary.csv",
        "
        section,skill,share_below,whole_class
        -B,-neg,0.0000,false
        -B,NF.1,1.0000,false
        5A,-neg,0.4000,false
        5A,NF.1,0.2000,false
        ",
    );
}

#[test]
fn the_diff_csv_escapes_names_ids_sections_and_skills() {
    let t = Test::new()
        .csv(
            "fall.csv",
            "
            student_id,name,section,-neg
            @S1,=HYPERLINK(\"http://x\"),-B,40
            ",
        )
        .csv(
            "winter.csv",
            "
            student_id,name,section,-neg
            @S1,=HYPERLINK(\"http://x\"),-B,95
            ",
        );
    let escaped = t.run_with(&["diff", "fall.csv", "winter.csv", "-f", "csv"]);
    let row = escaped.stdout.lines().nth(1).unwrap().to_owned();
    assert!(
        row.starts_with("'@S1,\"'=HYPERLINK(\"\"http://x\"\")\",'-B,plan,"),
        "{row}"
    );
    assert!(row.contains(",'-neg,"), "{row}");
    let kept = t.run_with(&[
        "diff",
        "fall.csv",
        "winter.csv",
        "-f",
        "csv",
        "--csv-formulas",
        "keep",
    ]);
    let row = kept.stdout.lines().nth(1).unwrap().to_owned();
    assert!(
        row.starts_with("@S1,\"=HYPERLINK(\"\"http://x\"\")\",-B,"),
        "{row}"
    );
    assert!(!row.contains('\''), "{row}");
}

#[test]
fn json_and_markdown_are_not_escaped() {
    let t = hostile();
    let args = ["plan", "--rules", "rules.yaml", "hostile.csv", "-f"];
    let json = t.run_with(&[&args[..], &["json"]].concat());
    json.assert_stdout_contains("\"name\":\"@SUM(A1)\"");
    assert!(!json.stdout.contains("'@"), "{}", json.stdout);
    let markdown = t.run_with(&[&args[..], &["markdown"]].concat());
    markdown.assert_stdout_contains("@SUM(A1)");
    assert!(!markdown.stdout.contains("'@"), "{}", markdown.stdout);
}

/// Names that need quotes in CSV (a comma, a quote) are quoted in the
/// summary as the csv crate quotes them, and an empty section stays empty.
#[test]
fn the_summary_csv_quotes_names_with_commas_and_quotes() {
    let t = Test::new().file(
        "room.csv",
        "student_id,section,\"NF,1\"\nS1,\"Room \"\"7\"\", East\",40\nS2,\"Room \"\"7\"\", East\",90\nS3,,50\n",
    );
    t.run_with(&["plan", "room.csv", "--summary", "summary.csv"]);
    let text = t.read("summary.csv");
    assert!(
        text.contains("\"Room \"\"7\"\", East\",\"NF,1\","),
        "{text}"
    );
    let rows = crate::util::parse_csv(&text, ',');
    let names: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(names, [("", "NF,1"), ("Room \"7\", East", "NF,1")]);
}
