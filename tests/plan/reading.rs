//! Rules with a nested tree and a lookup table keyed by grade and season
//! (`tests/data/reading.yaml`), and `if_missing: match`.

use crate::util::{Test, data};

fn reading() -> Test {
    Test::new()
        .file("reading.yaml", data("reading.yaml"))
        .file("reading.csv", data("reading.csv"))
}

#[test]
fn a_nested_tree_and_a_table_keyed_by_grade_and_season_decide_the_plan() {
    reading()
        .args(&[
            "plan",
            "--rules",
            "reading.yaml",
            "reading.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,plan,tier,reason,caveat",
        ])
        .run()
        .assert_stdout(
            "
            student_id,plan,tier,reason,caveat
            A1,watch,1,orf 30 is not below the cut of 20,
            A2,intervene,2,orf 25 is below the cut of 30,
            A3,core,1,grade 2 is not screened,
            A4,absent,,no fluency score,
            A5,watch,1,orf 5 is not below the cut of missing,table `orf_cut` has no row for grade `6`
            A6,intervene,2,orf 15 is below the cut of 20,
            ",
        );
}

/// See: issue 10. A grade the cut table has no row for once fell through to
/// the default as Tier 1, without a word. By default (`no_match: error`)
/// the run stops on that student, naming the keys, the table and what to do.
#[test]
fn a_table_with_no_row_for_a_student_stops_the_run_by_default() {
    let rules = data("reading.yaml").replace("no_match: missing", "no_match: error");
    assert!(rules.contains("no_match: error"));
    let t = Test::new()
        .file("reading.yaml", rules)
        .file("reading.csv", data("reading.csv"));
    t.status(1)
        .run_with(&["plan", "--rules", "reading.yaml", "reading.csv", "-f", "csv", "-o", "plan.csv"])
        .assert_stderr(
            "
            error[no-table-row]: student `A5`: table `orf_cut` has no row for grade `6` (reading.yaml, line 17)
              --> reading.csv, line 6
              = help: add a row for these values, recode the file's spelling with `recode:`, or give the table `no_match: missing` to plan such students without it (each is flagged in the plan); `tierplan check --rules ... reading.csv` lists every student the table misses
            ",
        );
    assert!(!t.path("plan.csv").exists(), "no plan is written");
    // With --lenient the student is planned and flagged.
    t.run_with(&[
        "plan",
        "--rules",
        "reading.yaml",
        "reading.csv",
        "--lenient",
        "-f",
        "csv",
        "--columns",
        "student_id,caveat",
    ])
    .assert_stdout_contains("A5,table `orf_cut` has no row for grade `6`\n");
}

#[test]
fn set_season_picks_another_row_of_the_table() {
    reading()
        .args(&[
            "plan",
            "--rules",
            "reading.yaml",
            "reading.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,plan,reason",
            "--set",
            "season=winter",
        ])
        .run()
        .assert_stdout(
            "
            student_id,plan,reason
            A1,intervene,orf 30 is below the cut of 40
            A2,intervene,orf 25 is below the cut of 30
            A3,core,grade 2 is not screened
            A4,absent,no fluency score
            A5,watch,orf 5 is not below the cut of missing
            A6,intervene,orf 15 is below the cut of 40
            ",
        );
}

#[test]
fn the_reading_plan_groups_students_by_plan() {
    reading()
        .args(&[
            "plan",
            "--rules",
            "reading.yaml",
            "reading.csv",
            "-f",
            "markdown",
        ])
        .run()
        .assert_stdout(
            "
            # Plan: Reading screen

            Rules: Reading screen (reading.yaml)

            ## Section (no section) (6 students)

            | Group | Focus | Monitor | Students | Names |
            | --- | --- | --- | ---: | --- |
            | Reading intervention |  | weekly | 2 | Ben Ortiz; Flo Diaz |
            | Watch |  |  | 2 | Ann Lee; Ed Wong |
            | Core |  |  | 1 | Cy Park |
            | Not screened |  |  | 1 | Di Shah |

            | Tier | Students | Share | Guideline |
            | --- | ---: | ---: | --- |
            | Tier 1 | 3 | 60% |  |
            | Tier 2 | 2 | 40% |  |
            | Tier 3 | 0 | 0% |  |
            | No tier (no data) | 1 | | |

            **Decided without some of their data (1 student; check before acting)**

            - Ed Wong: table `orf_cut` has no row for grade `6`
            ",
        );
}

const IF_MISSING: &str = "
    tierplan: 1
    columns:
      student_id: [id]
      orf: {names: [orf], optional: true}
    plans:
      check: {label: Check fluency, kind: tier2_intervention}
      core: {label: Core, kind: core}
    tree:
      - when: orf < 20
        IF_MISSING
        plan: check
      - default: core
    ";

#[test]
fn if_missing_match_takes_the_branch_when_a_value_is_missing() {
    let t = Test::new()
        .csv(
            "class.csv",
            "
            id,orf
            B1,10
            B2,
            B3,50
            ",
        )
        .file(
            "skip.yaml",
            crate::util::unindent(&IF_MISSING.replace("IF_MISSING", "if_missing: skip")),
        )
        .file(
            "match.yaml",
            crate::util::unindent(&IF_MISSING.replace("IF_MISSING", "if_missing: match")),
        );
    let plan = |rules: &str| {
        t.run_with(&[
            "plan",
            "--rules",
            rules,
            "class.csv",
            "-f",
            "csv",
            "--columns",
            "student_id,plan",
        ])
    };
    plan("skip.yaml").assert_stdout(
        "
        student_id,plan
        B1,check
        B2,core
        B3,core
        ",
    );
    plan("match.yaml").assert_stdout(
        "
        student_id,plan
        B1,check
        B2,check
        B3,core
        ",
    );
}
