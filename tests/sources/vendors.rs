//! The real vendor exports, read as they are with their vendor's rules and
//! with the default rules: NWEA MAP Growth, i-Ready, Renaissance Star,
//! mCLASS DIBELS 8 and FastBridge.

use super::{
    DIBELS8, FASTBRIDGE_CBMR, FASTBRIDGE_ENGLISH, IREADY_ELA, IREADY_MATH, MAP, STAR,
    STAR_SKILL_AREAS, STAR_STANDARDS, assert_each_once, assert_name, assert_plan, file_ids,
    json_of, occurrences, plan_rows, real, run, section_skills, vendor_rules,
};
use crate::util::{Test, repo};

/// The id headers of the FastBridge profile, the first non-empty wins.
const FASTBRIDGE_IDS: &[&str] = &["FAST ID", "Local ID", "State ID"];

/// Plan a real export with its vendor's rules (if any) and with the default
/// rules, `--format csv`: both succeed and list every student of the file
/// exactly once. The rows of both runs.
#[track_caller]
fn plan_both(
    file: &str,
    vendor: Option<&str>,
    extra: &[&str],
    ids: &[String],
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let path = real(file);
    let mut args = vec!["--rules", "default", path.as_str()];
    args.extend_from_slice(extra);
    let with_defaults = plan_rows(&args);
    assert_each_once(&with_defaults, ids);
    let with_vendor = match vendor {
        Some(vendor) => {
            let rules = vendor_rules(vendor);
            let mut args = vec!["--rules", rules.as_str(), path.as_str()];
            args.extend_from_slice(extra);
            let rows = plan_rows(&args);
            assert_each_once(&rows, ids);
            rows
        }
        None => Vec::new(),
    };
    (with_vendor, with_defaults)
}

#[test]
fn map_growth_with_three_subjects_needs_only() {
    let path = real(MAP);
    let rules = vendor_rules("map-growth");
    for args in [
        vec!["plan", path.as_str()],
        vec!["plan", "--rules", rules.as_str(), path.as_str()],
    ] {
        Test::new()
            .status(1)
            .run_with(&args)
            .assert_stdout("")
            .assert_stderr_contains(&format!(
                "error[several-subjects]: `{path}` holds results for 3 subjects: \
                 `Science`, `Mathematics` and `Language Arts`; plan one at a time\n"
            ))
            .assert_stderr_contains("help: add `--only subject=Science` (or another)");
    }
}

#[test]
fn map_growth_mathematics() {
    let ids = file_ids(&real(MAP), &["StudentID"], Some(("Subject", "Mathematics")));
    assert_eq!(ids, ["605001", "605003", "605005"]);
    let (vendor, defaults) = plan_both(
        MAP,
        Some("map-growth"),
        &["--only", "subject=Mathematics"],
        &ids,
    );
    // All three: TestPercentile 32, goals Low, LoAvg, LoAvg, Avg. Every goal
    // below Avg is below mastery for all three; three students are too few
    // for a whole-class decision (`min_assessed`), so each is retaught the
    // weakest goal in a small group, in Tier 1.
    for id in ["605001", "605003", "605005"] {
        assert_name(&vendor, id, id);
        assert_plan(
            &vendor,
            id,
            "small_group_reteach | small_group_reteach | 1 | Number and Algebraic Methods | 10 | Number and Algebraic Methods is below average for this student and not retaught to the whole class",
        );
        // Three students are too few for a whole-class decision with the
        // default rules (`min_assessed`, issue 10): each is retaught the
        // weakest goal in a small group.
        assert_plan(
            &defaults,
            id,
            "small_group_reteach | small_group_reteach | 1 | Number and Algebraic Methods | 10 | Number and Algebraic Methods is 10, below mastery (80), and not retaught to the whole class",
        );
    }
    // The goal descriptors read as the middle of their fifth.
    let out = run(&[
        "plan",
        "--rules",
        &vendor_rules("map-growth"),
        &real(MAP),
        "--only",
        "subject=Mathematics",
        "--format",
        "json",
    ]);
    out.assert_stderr_contains(
        "warning[not-selected]: 4 rows whose `subject` is not `Mathematics` left out (--only)\n",
    );
    let doc = json_of(&out);
    assert_eq!(
        section_skills(&doc),
        [
            ("Number and Algebraic Methods".to_owned(), 3, 3, 10.0),
            ("Function Attributes, Inverses, and Data".to_owned(), 3, 3, 30.0),
            (
                "Quadratic, Square Root, Exponential, and Logarithmic Functions, Equations, and Inequalities"
                    .to_owned(),
                3,
                3,
                30.0
            ),
            (
                "Other Functions, Equations, Inequalities, and Systems".to_owned(),
                3,
                0,
                50.0
            ),
        ]
    );
    assert_eq!(doc["sections"][0]["section"], "Grand Bend Middle School");
}

#[test]
fn map_growth_every_subject_on_its_own() {
    for subject in ["Science", "Mathematics", "Language Arts"] {
        let ids = file_ids(&real(MAP), &["StudentID"], Some(("Subject", subject)));
        let only = format!("subject={subject}");
        plan_both(MAP, Some("map-growth"), &["--only", &only], &ids);
    }
    // 605000 has a Science and a Language Arts test; the Language Arts one
    // has a percentile (42) and no goal: no data for the default rules (no
    // skill), core for the MAP rules (a percentile above the cuts).
    let (vendor, defaults) = plan_both(
        MAP,
        Some("map-growth"),
        &["--only", "subject=Language Arts"],
        &["605000".to_owned()],
    );
    assert_plan(
        &vendor,
        "605000",
        "core | core | 1 |  |  | every goal area is average or above, or retaught to the whole class",
    );
    assert_plan(
        &defaults,
        "605000",
        "no_data | no_data |  |  |  | no skill was scored on this quiz",
    );
}

#[test]
fn iready_ela_keeps_the_most_recent_diagnostic() {
    let ids = file_ids(&real(IREADY_ELA), &["Student ID"], None);
    assert_eq!(ids, ["605001", "605002"]);
    let (vendor, defaults) = plan_both(IREADY_ELA, Some("iready"), &[], &ids);
    // 605001's spring diagnostic (marked Y): 2 Grade Levels Below,
    // percentile 17; Phonics, Vocabulary, Comprehension: Overall and
    // Informational Text are 2 levels below (30), Phonics first.
    assert_name(&vendor, "605001", "First 1 Last 1");
    assert_plan(
        &vendor,
        "605001",
        "tier2 | tier2_intervention | 2 | Phonics | 30 | overall placement: 2 Grade Levels Below",
    );
    // The winter row (percentile 10) would be Tier 3 here: the spring row is read.
    assert_plan(
        &defaults,
        "605001",
        "tier2 | tier2_intervention | 2 | Phonics | 30 | screening percentile 17 is at or below 25",
    );
    // 605002 (spring: 1 Grade Level Below): Tier 1, and in two students
    // too few for a whole-class decision, its weakest domain in a group.
    assert_plan(
        &vendor,
        "605002",
        "small_group_reteach | small_group_reteach | 1 | Vocabulary | 30 | Vocabulary is below grade level and not retaught to the whole class",
    );
    // Two students are too few for a whole-class decision (`min_assessed`).
    assert_plan(
        &defaults,
        "605002",
        "small_group_reteach | small_group_reteach | 1 | Vocabulary | 30 | Vocabulary is 30, below mastery (80), and not retaught to the whole class",
    );
    let out = run(&["plan", &real(IREADY_ELA)]);
    assert_eq!(
        occurrences(
            &out.stderr,
            "warning[older-rows]: 3 rows for students with several left out: each student's row is the row marked `Most Recent Diagnostic YTD (Y/N)` = `Y`, else the latest\n"
        ),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn iready_math_keeps_the_most_recent_diagnostic() {
    let ids = file_ids(&real(IREADY_MATH), &["Student ID"], None);
    assert_eq!(ids, ["605001", "605002"]);
    let (vendor, defaults) = plan_both(IREADY_MATH, Some("iready"), &[], &ids);
    // The spring rows: 605001 moved up to 1 Grade Level Below (winter: 2
    // below, which would be Tier 2).
    // Tier 1 both; two students are too few for a whole-class decision.
    for id in ["605001", "605002"] {
        assert_plan(
            &vendor,
            id,
            "small_group_reteach | small_group_reteach | 1 | Number and Operations | 50 | Number and Operations is below grade level and not retaught to the whole class",
        );
    }
    // Two students are too few for a whole-class decision (`min_assessed`).
    for id in ["605001", "605002"] {
        assert_plan(
            &defaults,
            id,
            "small_group_reteach | small_group_reteach | 1 | Number and Operations | 50 | Number and Operations is 50, below mastery (80), and not retaught to the whole class",
        );
    }
}

#[test]
fn star_reading_v2() {
    let ids = file_ids(&real(STAR), &["StudentIdentifier"], None);
    assert_eq!(ids.len(), 5);
    let (vendor, defaults) = plan_both(STAR, Some("star"), &[], &ids);
    assert_name(&vendor, "605000", "Student One");
    for (id, rank) in [("605000", 1), ("605001", 1), ("605002", 2)] {
        assert_plan(
            &vendor,
            id,
            &format!(
                "tier3 | tier3_intervention | 3 | | | Star category: Urgent Intervention (percentile rank {rank})"
            ),
        );
    }
    for id in ["605003", "605004"] {
        assert_plan(
            &vendor,
            id,
            "core | core | 1 |  |  | Star category: At/Above Benchmark",
        );
    }
    // The Star export has no skill scores: the default rules, which plan
    // after a quiz, find nothing scored.
    for id in &ids {
        assert_plan(
            &defaults,
            id,
            "no_data | no_data |  |  |  | no skill was scored on this quiz",
        );
    }
}

#[test]
fn star_standards_one_row_per_standard() {
    let ids = file_ids(&real(STAR_STANDARDS), &["StudentIdentifier"], None);
    assert_eq!(ids.len(), 5);
    let (vendor, defaults) = plan_both(STAR_STANDARDS, Some("star"), &[], &ids);
    // No percentile rank or category in a standards export.
    for id in &ids {
        assert_plan(
            &vendor,
            id,
            "no_data | no_data |  |  |  | no Star test with a percentile rank",
        );
    }
    // See: issue 10. One student per standard, all below 80: "1 of 1 below
    // mastery (100%)" was a whole-class reteach, so the one student who
    // needed help was "core". One student is too few (`min_assessed`):
    // each is retaught their standard in a small group.
    for (id, standard, score) in [
        ("605000", "SCCCR.ELA.5.RL.MC.8.1.b", "74"),
        ("605001", "SCCCR.ELA.5.RL.MC.7.2", "79"),
        ("605004", "SCCCR.ELA.5.RL.LCS.11.1", "78"),
    ] {
        assert_plan(
            &defaults,
            id,
            &format!(
                "small_group_reteach | small_group_reteach | 1 | {standard} | {score} | {standard} is {score}, below mastery (80), and not retaught to the whole class"
            ),
        );
    }
    // Without the whole-class rule (no skill has a million students), each
    // student's own standard.
    let rows = plan_rows(&[&real(STAR_STANDARDS), "--set", "min_assessed=1000000"]);
    assert_each_once(&rows, &ids);
    for (id, standard, score) in [
        ("605000", "SCCCR.ELA.5.RL.MC.8.1.b", "74"),
        ("605001", "SCCCR.ELA.5.RL.MC.7.2", "79"),
        ("605002", "SCCCR.ELA.5.RI.LCS.10", "78"),
        ("605003", "SCCCR.ELA.5.RI.LCS.10.1", "78"),
        ("605004", "SCCCR.ELA.5.RL.LCS.11.1", "78"),
    ] {
        assert_plan(
            &rows,
            id,
            &format!(
                "small_group_reteach | small_group_reteach | 1 | {standard} | {score} | \
                 {standard} is {score}, below mastery (80), and not retaught to the whole class"
            ),
        );
    }
}

#[test]
fn star_skill_areas_one_row_per_skill_area() {
    let ids = file_ids(&real(STAR_SKILL_AREAS), &["StudentIdentifier"], None);
    assert_eq!(ids.len(), 5);
    let (vendor, _) = plan_both(STAR_SKILL_AREAS, Some("star"), &[], &ids);
    for id in &ids {
        assert_plan(
            &vendor,
            id,
            "no_data | no_data |  |  |  | no Star test with a percentile rank",
        );
    }
    // Mastery scores 91, 83, 93, 85 and 78: only 605004 is below 80.
    let rows = plan_rows(&[&real(STAR_SKILL_AREAS), "--set", "min_assessed=1000000"]);
    assert_each_once(&rows, &ids);
    assert_plan(
        &rows,
        "605004",
        "small_group_reteach | small_group_reteach | 1 | Author's Purpose and Perspective | 78 | Author's Purpose and Perspective is 78, below mastery (80), and not retaught to the whole class",
    );
    for id in ["605000", "605001", "605002", "605003"] {
        assert_plan(
            &rows,
            id,
            "core | core | 1 |  |  | every skill is at mastery or retaught to the whole class",
        );
    }
}

#[test]
fn dibels8_benchmark() {
    let ids = file_ids(&real(DIBELS8), &["Student Primary ID"], None);
    assert_eq!(ids.len(), 5);
    let (vendor, defaults) = plan_both(DIBELS8, Some("dibels8"), &[], &ids);
    assert_name(&vendor, "605000", "Student One");
    // Well Below Benchmark; measures LNF 43, PSF 44, NWF-CLS 0, NWF-WRC 0,
    // WRF 0: the first zero is the focus.
    assert_plan(
        &vendor,
        "605000",
        "tier3 | tier3_intervention | 3 | Letter Sounds (NWF-CLS) | 0 | composite: Well Below Benchmark",
    );
    // 605003's three `Discontinue` percentiles are no score: PSF 0 is the
    // weakest.
    assert_plan(
        &vendor,
        "605003",
        "tier3 | tier3_intervention | 3 | Phonemic Awareness (PSF) | 0 | composite: Well Below Benchmark",
    );
    // At Benchmark: Tier 1, its 0th-percentile measure retaught in a group
    // (five students are too few for a whole-class decision).
    assert_plan(
        &vendor,
        "605002",
        "small_group_reteach | small_group_reteach | 1 | Decoding (NWF-WRC) | 0 | Decoding (NWF-WRC) is at the 0th percentile, below 40",
    );
    // Default rules: the composite percentile is the screening percentile.
    assert_plan(
        &defaults,
        "605003",
        "tier2 | tier2_intervention | 2 | Phonemic Awareness (PSF) | 0 | screening percentile 11 is at or below 25",
    );
    // `04` is grade 4.
    let rows = plan_rows(&[
        "--rules",
        &vendor_rules("dibels8"),
        &real(DIBELS8),
        "--only",
        "grade=4",
    ]);
    assert_each_once(&rows, &["605002".to_owned()]);
}

#[test]
fn fastbridge_cbmreading_reads_the_latest_season() {
    let ids = file_ids(&real(FASTBRIDGE_CBMR), FASTBRIDGE_IDS, None);
    assert_eq!(ids.len(), 5);
    let (vendor, defaults) = plan_both(FASTBRIDGE_CBMR, Some("fastbridge"), &[], &ids);
    // No names in the file: the id stands for the name.
    assert_name(&vendor, "2340004", "2340004");
    assert_plan(
        &vendor,
        "2340004",
        "tier3 | tier3_intervention | 3 |  |  | risk level highRisk (national percentile 2)",
    );
    // Some risk in the fall, low risk in the spring: spring counts.
    assert_plan(
        &vendor,
        "2340005",
        "core | core | 1 |  |  | risk level lowRisk",
    );
    assert_plan(&vendor, "2340001", "core | core | 1 |  |  | risk level AD");
    for id in &ids {
        assert_plan(
            &defaults,
            id,
            "no_data | no_data |  |  |  | no skill was scored on this quiz",
        );
    }
    // `Two` is grade 2.
    let rows = plan_rows(&[
        "--rules",
        &vendor_rules("fastbridge"),
        &real(FASTBRIDGE_CBMR),
        "--only",
        "grade=2",
    ]);
    let twos: Vec<String> = ["2340001", "2340003", "2340004"]
        .map(str::to_owned)
        .to_vec();
    assert_each_once(&rows, &twos);
}

#[test]
fn fastbridge_english_1336_columns() {
    let ids = file_ids(&real(FASTBRIDGE_ENGLISH), FASTBRIDGE_IDS, None);
    assert_eq!(ids.len(), 13);
    let (vendor, defaults) = plan_both(FASTBRIDGE_ENGLISH, Some("fastbridge"), &[], &ids);
    // Screening Period 5: high risk at the 10th percentile.
    assert_plan(
        &vendor,
        "605000",
        "tier3 | tier3_intervention | 3 |  |  | risk level highRisk (national percentile 10)",
    );
    assert_plan(
        &vendor,
        "605002",
        "tier2 | tier2_intervention | 2 |  |  | risk level someRisk (national percentile 37)",
    );
    assert_plan(
        &vendor,
        "605006",
        "tier3 | tier3_intervention | 3 |  |  | risk level highRisk (national percentile 6)",
    );
    // Grades Eight and Nine: no early-reading result in any season.
    for id in ["605007", "605009"] {
        assert_plan(
            &vendor,
            id,
            "no_data | no_data |  |  |  | no screening result in any season",
        );
    }
    assert_plan(
        &defaults,
        "605007",
        "no_data | no_data |  |  |  | no skill was scored on this quiz",
    );
}

/// The OpenEduAnalytics i-Ready file (older header variant, 499 students,
/// most with two diagnostics) is recognised and planned with the i-Ready
/// rules without flags: each student once, from their most recent row,
/// Tier 3 for three or more grade levels below and Tier 2 for two below.
#[test]
fn the_openeduanalytics_iready_file_is_planned_with_the_iready_rules() {
    let path = repo("tests/data/real/oea/iready_diagnostic_results_math.csv")
        .display()
        .to_string();
    let plain = plan_rows(&[&path]);
    assert_eq!(plain, plan_rows(&["--rules", "iready", &path]));
    let ids = file_ids(&path, &["Student ID"], None);
    assert_eq!(ids.len(), 499);
    assert_each_once(&plain, &ids);
    for row in &plain {
        let (tier, reason) = (&row[5], &row[8]);
        let expected = if reason.contains("3 or More Grade Levels Below") {
            "3"
        } else if reason.contains("2 Grade Levels Below") {
            "2"
        } else {
            "1"
        };
        assert_eq!(tier, expected, "{row:?}");
    }
}
