//! Item responses scored by a blueprint (`item,skill,points,key`): the
//! default layout of one column per question, the blueprint given by
//! `--blueprint` or named in the rules, and a blueprint that is wrong.

use std::fs;

use serde_json::{Value, json};

use super::{
    assert_plan, default_rules_with, explain_scores, explain_student, fixture, fixture_bytes,
    focus, json_of, pairs, rows_of, run, section_skills,
};
use crate::util::Test;

#[test]
fn a_blueprint_naming_a_question_the_data_lacks() {
    let data = fixture("google-forms.csv");
    // A blank line and a question written over two lines before the bad item:
    // the line is the file's own.
    Test::new()
        .file(
            "bp.csv",
            "item,skill,points,key\n1. What is 3/4 of 12?,Fractions,2,9\n\n\"Which is larger,\n 2/3 or 3/5?\",Fractions,2,2/3\nRound 4.56 to the nearest tenths,Decimals,2,4.6\n",
        )
        .args(&["plan", &data, "--blueprint", "bp.csv"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[unknown-item]: item `Round 4.56 to the nearest tenths` is not a question of `{data}`\n  --> bp.csv, line 6\n  = help: did you mean `Round 4.56 to the nearest tenth`?\n"
        ));
}

#[test]
fn a_blueprint_with_points_that_are_not_a_number() {
    let data = fixture("google-forms.csv");
    Test::new()
        .csv(
            "bp.csv",
            "
            item,skill,points,key
            1. What is 3/4 of 12?,Fractions,two,9
            ",
        )
        .args(&["plan", &data, "--blueprint", "bp.csv"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[bad-blueprint]: `two` is not a number of points\n  --> bp.csv, line 2, column 3 (`points`)\n",
        );
}

#[test]
fn item_points_in_the_default_layout_with_a_blueprint() {
    let data = fixture("items.csv");
    let blueprint = fixture("items-blueprint.csv");
    let out = run(&["plan", &data, "--blueprint", &blueprint, "--format", "json"]);
    let doc = json_of(&out);
    let reteach = json!("small_group_reteach");
    // Ben: 0.5 of 1 and `1 / 2` of 2 points: 1.5 of 3.
    assert_eq!(
        focus(&doc, "I02"),
        (reteach.clone(), json!("Fractions"), json!(50.0))
    );
    // Cara: `0 / 2` and `incorrect`.
    assert_eq!(
        focus(&doc, "I03"),
        (reteach.clone(), json!("Decimals"), json!(0.0))
    );
    // Dev: Decimals 1 + 1 of 3 (66.6667), Percents `incorrect`.
    assert_eq!(focus(&doc, "I04"), (reteach, json!("Percents"), json!(0.0)));
    for id in ["I01", "I05"] {
        assert_eq!(focus(&doc, id), (json!("core"), Value::Null, Value::Null));
    }
    // Eve left Q5 empty: Percents not assessed for her.
    assert_eq!(
        section_skills(&doc),
        [
            ("Fractions".to_owned(), 5, 1, 90.0),
            ("Decimals".to_owned(), 5, 2, 73.3333),
            ("Percents".to_owned(), 4, 1, 75.0),
        ]
    );
    let explain = explain_student(&data, &blueprint, "I04");
    assert_eq!(
        explain_scores(&explain.stdout),
        pairs(&[
            ("Fractions", "100"),
            ("Decimals", "66.6667"),
            ("Percents", "0")
        ])
    );
    let eve = explain_student(&data, &blueprint, "I05");
    assert_eq!(
        explain_scores(&eve.stdout),
        pairs(&[
            ("Fractions", "100"),
            ("Decimals", "100"),
            ("Percents", "not assessed")
        ])
    );
}

#[test]
fn item_points_with_the_blueprint_named_in_the_rules() {
    // The rules in a folder of their own, the blueprint beside them: its
    // path is relative to the rules file, not to where tierplan runs.
    let rules = default_rules_with(
        "  scale: percent\n",
        "  scale: percent\n  blueprint: quiz-blueprint.csv\n",
    );
    let t = Test::new()
        .file("rules/quiz.yaml", rules)
        .file(
            "rules/quiz-blueprint.csv",
            fixture_bytes("items-blueprint.csv"),
        )
        .file("items.csv", fixture_bytes("items.csv"));
    let with_rules = t.run_with(&[
        "plan",
        "--rules",
        "rules/quiz.yaml",
        "items.csv",
        "--format",
        "csv",
    ]);
    let flag = t.run_with(&[
        "plan",
        "items.csv",
        "--blueprint",
        "rules/quiz-blueprint.csv",
        "--format",
        "csv",
    ]);
    let rows = rows_of(&with_rules);
    assert_eq!(rows.len(), 5);
    assert_plan(
        &rows,
        "I02",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 50 | Fractions is 50, below mastery (80), and not retaught to the whole class",
    );
    assert_eq!(with_rules.stdout, flag.stdout, "the same plan either way");
}

#[test]
fn item_words_need_a_blueprint() {
    // Without a blueprint the questions are skills of their own, and
    // `correct` is not a score.
    Test::new()
        .status(1)
        .run_with(&["plan", &fixture("items.csv")])
        .assert_stderr_contains("error[bad-score]: `correct` is not a score\n  --> ")
        .assert_stderr_contains("items.csv, line 2, column 7 (`Q4`)\n");
}

#[test]
fn an_item_cell_that_is_not_points() {
    let items = String::from_utf8(fixture_bytes("items.csv")).expect("UTF-8");
    let items = items.replace("I03,Cara Diaz,5B,1,2,", "I03,Cara Diaz,5B,1,maybe,");
    Test::new()
        .file("items.csv", items)
        .file("bp.csv", fixture_bytes("items-blueprint.csv"))
        .args(&["plan", "items.csv", "--blueprint", "bp.csv"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr_contains(
            "error[bad-item]: `maybe` is not a score for question `Q2` (out of 2)\n  --> items.csv, line 4, column 5 (`Q2`)\n",
        );
}

#[test]
fn output_refuses_to_overwrite_the_blueprint() {
    let rules = default_rules_with(
        "  scale: percent\n",
        "  scale: percent\n  blueprint: quiz-blueprint.csv\n",
    );
    let blueprint = fixture_bytes("items-blueprint.csv");
    let t = Test::new()
        .file("rules/quiz.yaml", rules)
        .file("rules/quiz-blueprint.csv", &blueprint)
        .file("items.csv", fixture_bytes("items.csv"));
    // Named by `--blueprint`, for `-o` and for `--summary`.
    for flag in ["-o", "--summary"] {
        t.status(2).run_with(&[
            "plan",
            "items.csv",
            "--blueprint",
            "rules/quiz-blueprint.csv",
            flag,
            "rules/quiz-blueprint.csv",
        ])
        .assert_stdout("")
        .assert_stderr(
            "error: `rules/quiz-blueprint.csv` is one of the files tierplan reads; write the output to another file\n",
        );
    }
    // Named by the rules, relative to the rules file.
    for flag in ["-o", "--summary"] {
        t.status(2)
            .run_with(&[
                "plan",
                "--rules",
                "rules/quiz.yaml",
                "items.csv",
                flag,
                "rules/quiz-blueprint.csv",
            ])
            .assert_stderr_contains("is one of the files tierplan reads");
    }
    assert_eq!(
        fs::read(t.path("rules/quiz-blueprint.csv")).unwrap(),
        blueprint
    );
}
