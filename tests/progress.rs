//! Progress monitoring: probes in, a decision per student out.

use crate::util::{Test, readme_block, repo};

const HEADER: &str = "student_id,name,tier,date,score,goal,goal_date\n";

/// Weekly probes from 2026-09-07 for one student.
fn weekly(id: &str, tier: u8, scores: &[f64], goal: f64, goal_week: i64) -> String {
    let start = 20_703; // 2026-09-07 as days since 1970-01-01
    let day = |d: i64| tierplan::date::format_day(start + d);
    scores
        .iter()
        .enumerate()
        .map(|(w, s)| {
            format!(
                "{id},Student {id},{tier},{},{s},{goal},{}\n",
                day(7 * w as i64),
                day(7 * goal_week)
            )
        })
        .collect()
}

/// `tierplan plan` on these probes with these rules, ready to run.
fn plan(data: &str, rules: &str) -> Test {
    Test::new().file("probes.csv", data).args(&[
        "plan",
        "--rules",
        rules,
        "probes.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,points,slope,goal_roi,run_above,run_below",
    ])
}

fn rules(name: &str) -> String {
    format!("{}/rules/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_worked_example_has_an_ols_slope_of_1_914_a_week() {
    let data = format!(
        "{HEADER}{}",
        weekly("S1", 2, &[40.0, 42.0, 45.0, 44.0, 48.0, 50.0], 70.0, 20)
    );
    plan(&data, &rules("progress.yaml")).run()
        .assert_stdout("student_id,plan,points,slope,goal_roi,run_above,run_below\nS1,collect_more,5,1.9143,1.5,2,0\n");
}

#[test]
fn each_decision_of_the_four_point_rule() {
    let data = format!(
        "{HEADER}{}{}{}{}",
        // 5 points after the baseline: too few.
        weekly("FEW", 2, &[40.0, 41.0, 42.0, 43.0, 44.0, 45.0], 60.0, 20),
        // Aimline 30 -> 60 over 20 weeks (1.5 a week); the last 4 below it.
        weekly(
            "LOW",
            3,
            &[30.0, 31.0, 31.0, 32.0, 32.0, 33.0, 33.0, 34.0],
            60.0,
            20
        ),
        // The last 4 above it.
        weekly(
            "HIGH",
            2,
            &[30.0, 36.0, 40.0, 43.0, 46.0, 50.0, 53.0, 56.0],
            60.0,
            20
        ),
        // Around it.
        weekly(
            "MID",
            2,
            &[30.0, 32.0, 32.5, 35.0, 35.5, 38.0, 38.5, 41.0],
            60.0,
            20
        ),
    );
    plan(&data, &rules("progress.yaml")).run().assert_stdout(
        "student_id,plan,points,slope,goal_roi,run_above,run_below
FEW,collect_more,5,1,1,0,0
LOW,change_intervention,7,0.5238,1.5,0,7
HIGH,raise_goal,7,3.5714,1.5,7,0
MID,continue,7,1.506,1.5,1,0
",
    );
}

#[test]
fn a_probe_on_the_aimline_ends_a_run() {
    // Aimline 40 -> 60 over 10 weeks: 2 a week. Week 3 is exactly on it (46),
    // then three above: a run of 3, not 4.
    let data = format!(
        "{HEADER}{}",
        weekly(
            "S1",
            2,
            &[40.0, 43.0, 45.0, 46.0, 49.0, 51.0, 53.0],
            60.0,
            10
        )
    );
    plan(&data, &rules("progress.yaml")).run().assert_stdout(
        "student_id,plan,points,slope,goal_roi,run_above,run_below\nS1,continue,6,2.1071,2,3,0\n",
    );
}

#[test]
fn unsorted_rows_and_several_probes_on_one_date_give_the_same_answer() {
    let sorted = weekly(
        "S1",
        3,
        &[30.0, 31.0, 31.0, 32.0, 32.0, 33.0, 33.0, 34.0],
        60.0,
        20,
    );
    let mut lines: Vec<&str> = sorted.lines().collect();
    lines.reverse();
    lines.swap(1, 5);
    let shuffled = format!("{HEADER}{}\n", lines.join("\n"));
    let a = plan(&format!("{HEADER}{sorted}"), &rules("progress.yaml")).run();
    let b = plan(&shuffled, &rules("progress.yaml")).run();
    b.assert_stdout(&a.stdout);
    // Three probes on the first date: the baseline is their median.
    let first = "S2,Student S2,3,2026-09-07,";
    let data = format!(
        "{HEADER}{first}20,50,2027-01-25\n{first}24,50,2027-01-25\n{first}22,50,2027-01-25\n{}",
        weekly(
            "S2",
            3,
            &[22.0, 23.0, 23.0, 24.0, 24.0, 25.0, 25.0],
            50.0,
            20
        )
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect::<String>()
    );
    let output = Test::new()
        .file("probes.csv", &data)
        .args(&[
            "plan",
            "probes.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,points,baseline,goal_roi",
        ])
        .run();
    output.assert_stdout("student_id,points,baseline,goal_roi\nS2,6,22,1.4\n");
}

#[test]
fn us_and_iso_dates_are_both_read() {
    let data = "student_id,date,score,goal,goal_date\nS1,9/7/2026,40,60,2026-11-16\nS1,2026-09-14,42,60,11/16/2026\n";
    Test::new()
        .file("probes.csv", data)
        .args(&[
            "plan",
            "probes.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,weeks,slope,goal_roi",
        ])
        .run()
        .assert_stdout("student_id,weeks,slope,goal_roi\nS1,1,2,2\n");
}

#[test]
fn a_missing_goal_is_a_clear_error_or_the_parameter_goal() {
    let data = "student_id,date,score\nS1,2026-09-07,40\nS1,2026-09-14,42\n";
    Test::new()
        .file("probes.csv", data)
        .args(&["plan", "probes.csv"])
        .status(1)
        .run()
        .assert_stderr(
            "
            error[missing-goal]: student `S1` has no goal
              --> probes.csv, line 2
              = help: give each student `goal` and `goal_date` columns, or set the parameters `default_goal` and `default_goal_date` in the rules
            ",
        );
    let rules = std::fs::read_to_string(rules("progress.yaml"))
        .unwrap()
        .replace(
            "  min_points: 6\n",
            "  min_points: 6\n  default_goal: 60\n  default_goal_date: 2026-11-16\n",
        );
    Test::new()
        .file("probes.csv", data)
        .file("rules.yaml", rules)
        .args(&[
            "plan",
            "--rules",
            "rules.yaml",
            "probes.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,goal,goal_roi",
        ])
        .run()
        .assert_stdout("student_id,goal,goal_roi\nS1,60,2\n");
}

#[test]
fn dual_discrepancy_sends_a_tier_3_non_responder_to_referral_review() {
    let data = format!(
        "{HEADER}{}{}{}",
        // Tier 3, 8 points, low and flat: referral review.
        weekly(
            "FLAT",
            3,
            &[22.0, 23.0, 23.0, 24.0, 24.0, 25.0, 25.0, 26.0, 26.0],
            50.0,
            20
        ),
        // Peers growing faster.
        weekly(
            "P1",
            2,
            &[30.0, 32.0, 33.0, 35.0, 36.0, 38.0, 39.0, 41.0, 42.0],
            60.0,
            20
        ),
        weekly(
            "P2",
            2,
            &[30.0, 31.5, 33.0, 34.5, 36.0, 37.5, 39.0, 40.5, 42.0],
            60.0,
            20
        ),
    );
    let output = plan(&data, &rules("progress-referral.yaml")).run();
    output.assert_stdout_contains("FLAT,referral_review,8,");
    // Without the referral branch, the same student needs a change.
    plan(&data, &rules("progress.yaml"))
        .run()
        .assert_stdout_contains("FLAT,change_intervention,8,");
}

#[test]
fn the_table_groups_by_decision_with_probes_aimline_and_next_probe() {
    Test::new()
        .args(&["plan", &format!("{}/examples/progress.csv", env!("CARGO_MANIFEST_DIR"))])
        .run()
        .assert_stdout_contains(
            "│ Change the intervention   ┆ Ben Okafor ┆ 3    ┆ ▁▃▃▅▅▆▆█ 32 33 33 34   ┆ 36 37.5 39 40.5 ┆ 0.52 / 1.5   ┆ 2026-11-03 │\n",
        );
}

#[test]
fn explain_shows_the_probes_and_the_path() {
    Test::new()
        .args(&[
            "explain",
            &format!("{}/examples/progress.csv", env!("CARGO_MANIFEST_DIR")),
            "--student",
            "P02",
        ])
        .run()
        .assert_stdout_contains("Probes: ▁▃▃▅▅▆▆█ 32 33 33 34\n")
        .assert_stdout_contains("run_below = 7, run = 4 → true, taken\n")
        .assert_stdout_contains(
            "Plan: Change the intervention (change_intervention, stays in Tier 3)\n",
        )
        .assert_stdout_contains("Next probe: 2026-11-03\n");
}

/// The README's progress example is what `plan` prints for
/// `examples/progress.csv`, its rules line included.
#[test]
fn the_readme_progress_table_is_the_real_output() {
    let expected =
        readme_block("tierplan plan --rules rules/progress-referral.yaml examples/progress.csv");
    let probes = std::fs::read_to_string(repo("examples/progress.csv")).expect("the example");
    Test::new()
        .file("progress.csv", probes)
        .args(&["plan", "progress.csv"])
        .run()
        .assert_stdout(&expected);
}
