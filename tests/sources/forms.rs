//! Quiz exports: Google Forms responses and the Canvas Student Analysis
//! report, scored by a blueprint or, without one, by their score column.

use serde_json::{Value, json};

use super::{
    assert_each_once, assert_name, assert_plan, default_rules_with, explain_scores,
    explain_student, fixture, fixture_bytes, focus, json_of, occurrences, pairs, plan_rows,
    plan_rows_in, rows_of, run, section_skills, student,
};
use crate::util::Test;

#[test]
fn google_forms_with_a_blueprint_scores_each_skill() {
    let data = fixture("google-forms.csv");
    let blueprint = fixture("google-forms-blueprint.csv");
    let out = run(&["plan", &data, "--blueprint", &blueprint, "--format", "json"]);
    // Ben submitted twice; the second (8 / 10) counts, not the first (0 / 10).
    assert_eq!(
        occurrences(
            &out.stderr,
            "warning[older-rows]: 1 row for students with several left out: each student's row is the last in the file\n"
        ),
        1,
        "{}",
        out.stderr
    );
    let doc = json_of(&out);
    assert_eq!(doc["students_total"], 6);
    let reteach = json!("small_group_reteach");
    // Ben's later answers: question 3 wrong (6/8 is not the key 3/4), so
    // Fractions is 4 of 6 points.
    assert_eq!(
        focus(&doc, "ben@school.example"),
        (reteach.clone(), json!("Fractions"), json!(66.6667))
    );
    assert_eq!(student(&doc, "ben@school.example")["name"], "Ben Carter");
    // Rounded 4.56 to 4.5.
    assert_eq!(
        focus(&doc, "cara@school.example"),
        (reteach.clone(), json!("Decimals"), json!(0.0))
    );
    // 0.25% is not the key 25%.
    assert_eq!(
        focus(&doc, "dev@school.example"),
        (reteach.clone(), json!("Percents"), json!(0.0))
    );
    // Finn left the comma question empty (with a key: wrong) and wrote 2.5%.
    assert_eq!(
        focus(&doc, "finn@school.example"),
        (reteach, json!("Percents"), json!(0.0))
    );
    for id in ["ana@school.example", "eve@school.example"] {
        assert_eq!(focus(&doc, id), (json!("core"), Value::Null, Value::Null));
    }
    assert_eq!(
        section_skills(&doc),
        [
            ("Fractions".to_owned(), 6, 2, 88.8889),
            ("Decimals".to_owned(), 6, 1, 83.3333),
            ("Percents".to_owned(), 6, 2, 66.6667),
        ]
    );

    let explain = explain_student(&data, &blueprint, "ben@school.example");
    explain
        .assert_stdout_contains("From ")
        .assert_stdout_contains("google-forms.csv line 8;");
    assert_eq!(
        explain_scores(&explain.stdout),
        pairs(&[
            ("Fractions", "66.6667"),
            ("Decimals", "100"),
            ("Percents", "100")
        ])
    );
    let finn = explain_student(&data, &blueprint, "finn@school.example");
    assert_eq!(
        explain_scores(&finn.stdout),
        pairs(&[
            ("Fractions", "66.6667"),
            ("Decimals", "100"),
            ("Percents", "0")
        ])
    );
}

#[test]
fn google_forms_check_lists_the_blueprint_skills() {
    let data = fixture("google-forms.csv");
    let out = run(&[
        "check",
        &data,
        "--blueprint",
        &fixture("google-forms-blueprint.csv"),
    ]);
    out
        .assert_stdout_contains(&format!(
            "{data}: read as Google Forms quiz responses (from the linked Sheet)\n  recognised: student_id <- `Email Address`, name <- `Name`, date <- `Timestamp`\n"
        ))
        .assert_stdout_contains("  skills: `Fractions`, `Decimals` and `Percents`\n")
        .assert_stdout_contains("6 students in 1 section");
}

#[test]
fn google_forms_questions_left_out_of_the_blueprint_are_named() {
    let data = fixture("google-forms.csv");
    let out = Test::new()
        .csv(
            "bp.csv",
            "
            item,skill,points,key
            1. What is 3/4 of 12?,Fractions,2,9
            3,Fractions,2,3/4
            ",
        )
        .run_with(&["plan", &data, "--blueprint", "bp.csv", "--format", "csv"]);
    out.assert_stderr_contains(
        "warning[unscored-questions]: 3 questions in no skill of the blueprint, not scored: \
         `Which is larger,   2/3 or 3/5?`, `Round 4.56 to the nearest tenth` and `What is 0.25 as a percent?`\n",
    );
    let rows = rows_of(&out);
    // Ben's last answers: 9 right, 6/8 wrong.
    assert_plan(
        &rows,
        "ben@school.example",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 50 | Fractions is 50, below mastery (80), and not retaught to the whole class",
    );
}

#[test]
fn google_forms_without_a_blueprint_the_score_is_one_skill() {
    let rows = plan_rows(&[&fixture("google-forms.csv")]);
    assert_eq!(rows.len(), 6);
    assert_plan(
        &rows,
        "finn@school.example",
        "small_group_reteach | small_group_reteach | 1 | Score | 60 | Score is 60, below mastery (80), and not retaught to the whole class",
    );
    // The last submission, 8 / 10, is at mastery (the first was 0 / 10).
    assert_plan(
        &rows,
        "ben@school.example",
        "core | core | 1 |  |  | every skill is at mastery or retaught to the whole class",
    );
}

#[test]
fn google_forms_without_a_blueprint_the_score_is_one_skill_for_rules_that_keep_it() {
    // The default rules without `score` in their `ignore` list.
    let rules = default_rules_with("ignore: [school, score, ", "ignore: [school, ");
    let t = Test::new().file("rules.yaml", rules);
    let data = fixture("google-forms.csv");
    let out = t.run_with(&["plan", "--rules", "rules.yaml", &data, "--format", "csv"]);
    let rows = rows_of(&out);
    assert_eq!(rows.len(), 6);
    assert_plan(
        &rows,
        "finn@school.example",
        "small_group_reteach | small_group_reteach | 1 | Score | 60 | Score is 60, below mastery (80), and not retaught to the whole class",
    );
    assert_plan(
        &rows,
        "ben@school.example",
        "core | core | 1 |  |  | every skill is at mastery or retaught to the whole class",
    );
    let explain = t.run_with(&[
        "explain",
        "--rules",
        "rules.yaml",
        &data,
        "--student",
        "ben@school.example",
    ]);
    assert_eq!(explain_scores(&explain.stdout), pairs(&[("Score", "80")]));
}

#[test]
fn google_forms_without_a_blueprint_or_a_score_column() {
    Test::new()
        .csv(
            "responses.csv",
            "
            Timestamp,Email Address,Name,What is 3/4 of 12?
            2026/09/27 3:00:00 PM GMT+3,ana@school.example,Ana Lopez,9
            ",
        )
        .args(&["plan", "responses.csv", "--profile", "google-forms"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "
            error[no-blueprint]: `responses.csv` holds answers to questions, and no blueprint says how they score
              --> responses.csv
              = help: give `--blueprint FILE` (a CSV `item,skill,points,key`) or `skills: {blueprint: FILE}` in the rules
            ",
        );
}

#[test]
fn canvas_student_analysis_with_a_blueprint_by_question_id() {
    let data = fixture("canvas-student-analysis.csv");
    let blueprint = fixture("canvas-blueprint.csv");
    let out = run(&["plan", &data, "--blueprint", &blueprint, "--format", "csv"]);
    out.assert_stderr_contains(
        "warning[older-rows]: 1 row for students with several left out: each student's row is the last in the file",
    );
    let rows = rows_of(&out);
    let ids: Vec<String> = ["S001", "S002", "S003", "S004", "S005"]
        .map(str::to_owned)
        .to_vec();
    assert_each_once(&rows, &ids);
    assert_name(&rows, "S002", "Ben Carter");
    // Ben's second attempt: 1 of 1 and 1 of 2 points on the fractions.
    assert_plan(
        &rows,
        "S002",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 66.6667 | Fractions is 66.6667, below mastery (80), and not retaught to the whole class",
    );
    assert_plan(
        &rows,
        "S003",
        "small_group_reteach | small_group_reteach | 1 | Decimals | 0 | Decimals is 0, below mastery (80), and not retaught to the whole class",
    );
    assert_plan(
        &rows,
        "S004",
        "small_group_reteach | small_group_reteach | 1 | Decimals | 50 | Decimals is 50, below mastery (80), and not retaught to the whole class",
    );
    for id in ["S001", "S005"] {
        assert_plan(
            &rows,
            id,
            "core | core | 1 |  |  | every skill is at mastery or retaught to the whole class",
        );
    }
    let check = run(&["check", &data, "--blueprint", &blueprint]);
    check
        .assert_stdout_contains(&format!(
            "{data}: read as Canvas quiz Student Analysis report\n  recognised: student_id <- `sis_id or id`, name <- `name`, section <- `section`, date <- `submitted`\n"
        ))
        .assert_stdout_contains(
            "  ignored: `section_id`, `section_sis_id`, `attempt`, `n correct`, `n incorrect` and `score`\n",
        )
        .assert_stdout_contains("  skills: `Fractions` and `Decimals`\n");
}

#[test]
fn canvas_student_analysis_without_a_blueprint_is_one_quiz_skill() {
    let data = fixture("canvas-student-analysis.csv");
    let out = run(&["plan", &data, "--format", "json"]);
    let doc = json_of(&out);
    assert_eq!(doc["students_total"], 5);
    // Points earned over points possible: 5/5, 4/5 (Ben's second attempt),
    // 3/5, 4/5, 5/5.
    assert_eq!(section_skills(&doc), [("quiz".to_owned(), 5, 1, 84.0)]);
    let cara = student(&doc, "S003");
    assert_eq!(cara["focus"], "quiz");
    assert_eq!(cara["focus_score"], 60.0);
    assert_eq!(student(&doc, "S002")["plan"], "core");
    let explain = run(&["explain", &data, "--student", "S002"]);
    explain.assert_stdout_contains("canvas-student-analysis.csv line 7;");
    assert_eq!(explain_scores(&explain.stdout), pairs(&[("quiz", "80")]));
}

#[test]
fn a_ragged_row_in_a_profiled_export_is_reported() {
    // Cara's name written `Diaz, Cara` without quotes: one field too many.
    let text = String::from_utf8(fixture_bytes("google-forms.csv")).expect("UTF-8");
    let text = text.replace(",Cara Diaz,", ",Diaz, Cara,");
    Test::new()
        .file("responses.csv", text)
        .file("bp.csv", fixture_bytes("google-forms-blueprint.csv"))
        .args(&["plan", "responses.csv", "--blueprint", "bp.csv"])
        .status(1)
        .run()
        .assert_stderr_contains("error[ragged-row]: this row has 10 fields, and the header has 9\n  --> responses.csv, line 4\n");
}

#[test]
fn canvas_student_analysis_with_decimal_commas() {
    let rows = plan_rows_in(
        Test::new().csv(
            "analysis.csv",
            "
            name;id;sis_id;section;section_id;section_sis_id;submitted;101: What is 3/4 of 12?;1,0;102: Round 4.56 to the nearest tenth;2,0;n correct;n incorrect;score
            Ana Lopez;9001;S001;P2;77;SEC;2026-10-02 14:05:11 UTC;9;1,0;4.6;2,0;2;0;3,0
            Ben Carter;9002;S002;P2;77;SEC;2026-10-02 14:06:11 UTC;8;0,0;4.6;1,5;1;1;1,5
            Cara Diaz;9003;S003;P2;77;SEC;2026-10-02 14:07:11 UTC;9;1,0;4.6;2,0;2;0;3,0
            ",
        ),
        &["analysis.csv"],
    );
    // Ben: 1.5 of 3 points.
    assert_plan(
        &rows,
        "S002",
        "small_group_reteach | small_group_reteach | 1 | quiz | 50 | \
         quiz is 50, below mastery (80), and not retaught to the whole class",
    );
}

/// See: issue 13. A vendor export keeps one row per student and section:
/// a form submitted twice for Period 2 keeps the last, and the same student
/// answering for Period 4 is planned there too, as a student in two
/// sections (said on standard error).
#[test]
fn a_form_keeps_the_last_row_in_each_class() {
    let data = "Timestamp,Email Address,Score,Name,Class,1. What is 3/4 of 12?\n\
        2026/09/27 2:58:10 PM GMT+3,ben@school.example,0 / 10,Ben Carter,Period 2,8\n\
        2026/09/27 3:00:00 PM GMT+3,ana@school.example,4 / 10,Ana Lopez,Period 2,9\n\
        2026/09/27 3:05:00 PM GMT+3,ana@school.example,9 / 10,Ana Lopez,Period 2,9\n\
        2026/09/28 9:00:00 AM GMT+3,ana@school.example,7 / 10,Ana Lopez,Period 4,9\n";
    Test::new()
        .file("gf.csv", data)
        .args(&["plan", "gf.csv", "-f", "csv", "--columns", "section,student_id,focus_score"])
        .run()
        .assert_stdout(
            "
            section,student_id,focus_score
            Period 2,ben@school.example,0
            Period 2,ana@school.example,
            Period 4,ana@school.example,70
            ",
        )
        .assert_stderr_contains("warning[older-rows]: 1 row for students with several left out: each student's row is the last in the file\n")
        .assert_stderr_contains("note: 1 student is in more than one section, and is planned once per section\n");
}
