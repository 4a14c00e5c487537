//! Long results, one row per student and skill: several results for one
//! skill combined as the rules say, and cells that cannot be read.

use super::{
    assert_each_once, assert_plan, explain_scores, fixture, occurrences, pairs, plan_rows_in,
    rows_of, run,
};
use crate::util::Test;

/// Rules that decide on skills only, with a `skills:` block put in: every
/// student's weakest skill is their focus, whatever its score.
const WEAKEST_RULES: &str = "
    tierplan: 1
    name: Weakest skill
    columns:
      student_id: [student_id]
      name: {names: [name], optional: true}
      section: {names: [section], optional: true}
      grade: {names: [grade], optional: true}
    SKILLS
    params:
      mastery: 80
    plans:
      review: {label: Review the weakest skill, kind: small_group_reteach}
      no_data: {label: No results, kind: no_data}
    tree:
      - when: assessed == 0
        plan: no_data
      - when: assessed > 0
        plan: review
        focus: weakest
        reason: \"{focus} is {focus_score}\"
      - default: no_data
    ";

/// [`WEAKEST_RULES`] with this `skills:` block (lines indented by four).
fn weakest_rules(skills: &str) -> String {
    WEAKEST_RULES.replace("SKILLS", skills)
}

#[test]
fn long_results_keep_the_most_recent_by_default() {
    let data = fixture("long.csv");
    let out = run(&["plan", &data, "--format", "csv"]);
    assert_eq!(
        occurrences(
            &out.stderr,
            "warning[combined]: 3 student-skill pairs had several results for one skill; the rules combine them (the most recent)\n"
        ),
        1,
        "{}",
        out.stderr
    );
    let rows = rows_of(&out);
    let ids: Vec<String> = ["L01", "L02", "L03", "L04", "L05"]
        .map(str::to_owned)
        .to_vec();
    assert_each_once(&rows, &ids);
    // L01's Fractions by date: 10 (Sep 1), 20 (9/15), 30 (Oct 1), 40
    // (10/20), written in the file as 30, 10, 40, 20.
    assert_plan(
        &rows,
        "L01",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 40 | Fractions is 40, below mastery (80), and not retaught to the whole class",
    );
    assert_plan(
        &rows,
        "L02",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 60 | Fractions is 60, below mastery (80), and not retaught to the whole class",
    );
    assert_plan(
        &rows,
        "L03",
        "small_group_reteach | small_group_reteach | 1 | Decimals | 55 | Decimals is 55, below mastery (80), and not retaught to the whole class",
    );
    let check = run(&["check", &data]);
    check
        .assert_stdout_contains(&format!(
            "{data}: read as Long results, one row per student and skill\n  recognised: student_id <- `student_id`, name <- `name`, section <- `section`, grade <- `grade`, date <- `date`\n"
        ))
        .assert_stdout_contains("  skills: `Fractions` and `Decimals`\n");
}

#[test]
fn long_results_combined_as_the_rules_say() {
    let data = fixture("long.csv");
    // (skills block, L01 Fractions, L02 Fractions, L02 Decimals, note)
    let cases = [
        (
            "skills: {columns: rest}",
            "40",
            "60",
            "95",
            "the most recent",
        ),
        (
            "skills: {columns: rest, combine: most_recent}",
            "40",
            "60",
            "95",
            "the most recent",
        ),
        (
            "skills: {columns: rest, combine: highest}",
            "40",
            "90",
            "95",
            "the highest",
        ),
        (
            "skills: {columns: rest, combine: mean}",
            "25",
            "66.6667",
            "82.5",
            "the mean",
        ),
        // MasteryConnect's worked example (1, 2, 3, 4 → 3.48), as percents:
        // 34.84625, shown to 4 decimals (the float is just under the tie).
        // L02: 90 → 64 → 61.4; 70 → 86.25.
        (
            "skills: {columns: rest, combine: decaying_average}",
            "34.8462",
            "61.4",
            "86.25",
            "a decaying average",
        ),
        (
            "skills: {columns: rest, combine: decaying_average, decay: 0.65}",
            "34.8462",
            "61.4",
            "86.25",
            "a decaying average",
        ),
        // Half and half: 10 → 15 → 22.5 → 31.25; 90 → 70 → 65; 70 → 82.5.
        (
            "skills: {columns: rest, combine: decaying_average, decay: 0.5}",
            "31.25",
            "65",
            "82.5",
            "a decaying average",
        ),
    ];
    for (skills, l01, l02, l02_decimals, note) in cases {
        let t = Test::new().rules(&weakest_rules(skills));
        let out = t.run_with(&["plan", "--rules", "rules.yaml", &data, "--format", "csv"]);
        out.assert_stderr_contains(&format!(
            "warning[combined]: 3 student-skill pairs had several results for one skill; the rules combine them ({note})\n"
        ));
        let rows = rows_of(&out);
        assert_eq!(rows.len(), 5, "{skills}");
        for (id, score) in [("L01", l01), ("L02", l02)] {
            assert_plan(
                &rows,
                id,
                &format!(
                    "review | small_group_reteach | 1 | Fractions | {score} | Fractions is {score}"
                ),
            );
        }
        // A single result is itself whatever the rule.
        assert_plan(
            &rows,
            "L03",
            "review | small_group_reteach | 1 | Decimals | 55 | Decimals is 55",
        );
        let explain = t.run_with(&[
            "explain",
            "--rules",
            "rules.yaml",
            &data,
            "--student",
            "L02",
        ]);
        assert_eq!(
            explain_scores(&explain.stdout),
            pairs(&[("Fractions", l02), ("Decimals", l02_decimals)]),
            "{skills}"
        );
    }
}

#[test]
fn long_results_only_one_grade() {
    let out = run(&[
        "plan",
        &fixture("long.csv"),
        "--only",
        "grade=4",
        "--format",
        "csv",
    ]);
    out.assert_stderr_contains(
        "warning[not-selected]: 4 rows whose `grade` is not `4` left out (--only)\n",
    );
    let rows = rows_of(&out);
    assert_each_once(&rows, &["L01", "L02", "L05"].map(str::to_owned));
    Test::new()
        .status(2)
        .run_with(&["plan", &fixture("long.csv"), "--only", "grde=4"])
        .assert_stderr_contains("has no field or column `grde`")
        .assert_stderr_contains("did you mean `grade`?");
}

#[test]
fn long_results_with_a_score_that_is_not_one() {
    Test::new()
        .csv(
            "results.csv",
            "
            student_id,name,section,grade,skill,score,date
            L01,Ana Lopez,5A,4,Fractions,80,2026-09-01
            L01,Ana Lopez,5A,4,Decimals,abc,2026-09-01
            L02,Ben Carter,5A,4,Fractions,90,2026-09-01
            ",
        )
        .args(&["plan", "results.csv"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "
            error[bad-score]: `abc` is not a score
              --> results.csv, line 3, column 6 (`score`)
              = help: write a percent (85 or 85%), points over a maximum (7/10), or leave the cell empty when the skill was not assessed
            ",
        );
}

#[test]
fn long_results_with_a_bad_score_and_lenient() {
    let out = Test::new()
        .csv(
            "results.csv",
            "
            student_id,name,section,grade,skill,score,date
            L01,Ana Lopez,5A,4,Fractions,80,2026-09-01
            L01,Ana Lopez,5A,4,Decimals,abc,2026-09-01
            L02,Ben Carter,5A,4,Fractions,90,2026-09-01
            L02,Ben Carter,5A,4,Decimals,85,2026-09-01
            ",
        )
        .args(&["plan", "results.csv", "--lenient", "--format", "csv"])
        .run();
    out.assert_stderr_contains("results.csv, line 3, column 6 (`score`)");
    let rows = rows_of(&out);
    assert_each_once(&rows, &["L01", "L02"].map(str::to_owned));
}

#[test]
fn long_results_with_a_date_that_cannot_be_read() {
    let out = Test::new()
        .csv(
            "results.csv",
            "
            student_id,name,section,skill,score,date
            L01,Ana Lopez,5A,Fractions,30,2026-10-01
            L01,Ana Lopez,5A,Fractions,40,20/10/2026
            L02,Ben Carter,5A,Fractions,90,2026-10-01
            L03,Cara Diaz,5A,Fractions,90,2026-10-01
            ",
        )
        .args(&["plan", "results.csv", "--format", "csv"])
        .status(1)
        .run();
    // Reported at its place (an error: `bad-date`, exit 1).
    out.assert_stderr_contains("results.csv, line 3, column 6 (`date`)");
}

#[test]
fn long_results_with_decimal_commas() {
    let rows = plan_rows_in(
        Test::new().csv(
            "results.csv",
            "
            student_id;name;section;skill;score;date
            L01;Ana Lopez;5A;Fractions;72,5;2026-09-01
            L02;Ben Carter;5A;Fractions;90;2026-09-01
            L03;Cara Diaz;5A;Fractions;95;2026-09-01
            ",
        ),
        &["results.csv"],
    );
    assert_plan(
        &rows,
        "L01",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 72.5 | \
         Fractions is 72.5, below mastery (80), and not retaught to the whole class",
    );
}

/// See: issue 13. Long rows of one student in two courses are pivoted to a
/// row in each course, with that course's results, not one row holding
/// both under the first course's name.
#[test]
fn long_results_of_a_student_in_two_sections_are_a_row_in_each() {
    Test::new()
        .csv(
            "results.csv",
            "
            student_id,name,section,grade,skill,score,date
            L01,Ana Lopez,Math 7,7,Ratios,55,2026-09-01
            L02,Ben Carter,Math 7,7,Ratios,90,2026-09-01
            L01,Ana Lopez,ELA 7,7,Inference,95,2026-09-02
            L01,Ana Lopez,Math 7,7,Expressions,85,2026-09-03
            ",
        )
        .args(&[
            "plan",
            "results.csv",
            "-f",
            "csv",
            "--columns",
            "section,student_id,focus,focus_score",
        ])
        .run()
        .assert_stdout(
            "
            section,student_id,focus,focus_score
            Math 7,L01,Ratios,55
            Math 7,L02,,
            ELA 7,L01,,
            ",
        )
        .assert_stderr_contains(
            "note: 1 student is in more than one section, and is planned once per section\n",
        );
}
