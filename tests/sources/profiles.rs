//! Profiles: how an export is recognised (and planned with its own rules
//! without flags), what `check` says it recognised, `tierplan profiles`,
//! `--profile` and rules that name a vendor's headers themselves.

use std::fs;

use super::{
    DIBELS8, FASTBRIDGE_CBMR, FASTBRIDGE_ENGLISH, IREADY_ELA, IREADY_MATH, MAP, STAR,
    STAR_SKILL_AREAS, STAR_STANDARDS, assert_each_once, assert_name, assert_plan, file_ids,
    fixture, json_of, plan_rows, real, rows_of, run, vendor_rules,
};
use crate::util::{Test, repo};

/// See: issue 10. A recognised export is planned with its own rules when
/// no `--rules` is given (it was planned with the quiz rules: "no quiz
/// data" for every student, whatever the vendor's risk level), and the
/// header of every format says which rules decided.
#[test]
fn every_recognised_export_is_planned_with_its_rules_without_flags() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (STAR, "star", &[], "Renaissance Star assessment export (v2)"),
        (
            DIBELS8,
            "dibels8",
            &[],
            "mCLASS DIBELS 8th Edition benchmark (StudentSummary)",
        ),
        (
            IREADY_ELA,
            "iready",
            &[],
            "i-Ready Diagnostic Results (per subject)",
        ),
        (
            IREADY_MATH,
            "iready",
            &[],
            "i-Ready Diagnostic Results (per subject)",
        ),
        (
            FASTBRIDGE_CBMR,
            "fastbridge",
            &[],
            "FastBridge earlyReading / CBMreading screening export",
        ),
        (
            FASTBRIDGE_ENGLISH,
            "fastbridge",
            &[],
            "FastBridge earlyReading / CBMreading screening export",
        ),
        (
            MAP,
            "map-growth",
            &["--only", "subject=Mathematics"],
            "NWEA MAP Growth, Comprehensive Data File (AssessmentResults.csv)",
        ),
    ];
    for (file, rules, extra, label) in cases {
        let path = real(file);
        let mut plain = vec!["plan", path.as_str()];
        plain.extend_from_slice(extra);
        let mut named = plain.clone();
        named.extend_from_slice(&["--rules", rules]);
        let mut by_path = plain.clone();
        let rules_path = vendor_rules(rules);
        by_path.extend_from_slice(&["--rules", &rules_path]);
        let csv = |args: &[&str]| {
            let mut args = args.to_vec();
            args.extend_from_slice(&["-f", "csv"]);
            Test::new().run_with(&args)
        };
        let auto = csv(&plain);
        assert_eq!(
            auto.stdout,
            csv(&named).stdout,
            "{file}: no flags vs --rules {rules}"
        );
        assert_eq!(
            auto.stdout,
            csv(&by_path).stdout,
            "{file}: --rules {rules} vs its file"
        );
        let provenance = format!(
            "(<built-in rules `{rules}`>, chosen for the export it recognised: {label}; `--rules` chooses others)"
        );
        auto.assert_stderr_contains("note: rules: ");
        auto.assert_stderr_contains(&provenance);
        let table = Test::new().run_with(&plain);
        assert!(
            table.stdout.starts_with("Rules: ")
                && table.stdout.lines().next().unwrap().ends_with(&provenance),
            "{file}: {}",
            table.stdout
        );
        let mut json = plain.clone();
        json.extend_from_slice(&["-f", "json"]);
        let doc = json_of(&Test::new().run_with(&json));
        assert_eq!(
            doc["rules"]["source"],
            format!("<built-in rules `{rules}`>")
        );
        assert_eq!(doc["rules"]["chosen_for"], *label);
    }
}

/// The `recognised:` line `tierplan check` prints for a profiled file.
#[track_caller]
fn recognised_line(stdout: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with("  recognised: "))
        .unwrap_or_else(|| panic!("no `recognised:` line in:\n{stdout}"))
        .to_owned()
}

/// `tierplan check --rules rules/<vendor>.yaml FILE`: exit 0, the file is
/// read with `label`, and the `recognised:` line holds every fragment.
#[track_caller]
fn assert_check(vendor: &str, file: &str, extra: &[&str], label: &str, fragments: &[&str]) {
    let rules = vendor_rules(vendor);
    let path = real(file);
    let mut args = vec!["check", "--rules", rules.as_str(), path.as_str()];
    args.extend_from_slice(extra);
    let out = run(&args);
    out.assert_stdout_contains(&format!("{path}: read as {label}\n"));
    let line = recognised_line(&out.stdout);
    for fragment in fragments {
        assert!(
            line.contains(fragment),
            "the recognised line lacks {fragment:?}:\n{line}"
        );
    }
    assert!(
        out.stdout.ends_with("ok\n") || out.stdout.contains("\nok ("),
        "check ends with ok:\n{}",
        out.stdout
    );
}

#[test]
fn check_names_the_profile_and_the_vendor_columns() {
    assert_check(
        "map-growth",
        MAP,
        &["--only", "subject=Mathematics"],
        "NWEA MAP Growth, Comprehensive Data File (AssessmentResults.csv)",
        &[
            "student_id <- `StudentID`",
            "section <- `SchoolName`",
            "screening <- `TestPercentile`",
            "placement <- `AchievementQuintile`",
            "subject <- `Subject`",
            "date <- `TestStartDate`",
            "term <- `TermName`",
        ],
    );
    for file in [IREADY_ELA, IREADY_MATH] {
        assert_check(
            "iready",
            file,
            &[],
            "i-Ready Diagnostic Results (per subject)",
            &[
                "student_id <- `Student ID`, name <- `First Name + Last Name`, section <- `Class(es)`, \
                 grade <- `Student Grade`, screening <- `Percentile`, placement <- `Overall Relative Placement`, \
                 date <- `Completion Date`, term <- `Norming Window`",
            ],
        );
    }
    assert_check(
        "star",
        STAR,
        &[],
        "Renaissance Star assessment export (v2)",
        &[
            "student_id <- `StudentIdentifier`, name <- `StudentFirstName + StudentLastName`, \
             section <- `GroupOrClassName`, grade <- `CurrentGrade`, screening <- `PercentileRank`, \
             placement <- `RenaissanceBenchmarkCategoryName`, date <- `CompletedDate`, \
             term <- `ScreeningPeriodWindowName`",
        ],
    );
    assert_check(
        "star",
        STAR_STANDARDS,
        &[],
        "Renaissance Star standards mastery (Dashboard Standards v2, one row per standard)",
        &["student_id <- `StudentIdentifier`, date <- `CompletedDate`"],
    );
    assert_check(
        "star",
        STAR_SKILL_AREAS,
        &[],
        "Renaissance Star skill areas (SkillArea v1, one row per skill area)",
        &["student_id <- `StudentIdentifier`, date <- `CompletedDate`"],
    );
    assert_check(
        "dibels8",
        DIBELS8,
        &[],
        "mCLASS DIBELS 8th Edition benchmark (StudentSummary)",
        &[
            "student_id <- `Student Primary ID`, name <- `Student First Name + Student Last Name`, \
             section <- `Reporting Class Name`, grade <- `Enrollment Grade`, \
             screening <- `Composite - National Norm Percentile`, placement <- `Composite Level`, \
             composite <- `Composite Score`, form_grade <- `Assessment Grade`, \
             date <- `Client Date`, term <- `Benchmark Period`",
        ],
    );
    for file in [FASTBRIDGE_CBMR, FASTBRIDGE_ENGLISH] {
        assert_check(
            "fastbridge",
            file,
            &[],
            "FastBridge earlyReading / CBMreading screening export",
            &[
                "student_id <- `FAST ID or Local ID or State ID`, name <- `First Name + Last Name`, \
                 section <- `School`, grade <- `Grade`, screening <- `Screening Period 5 ",
                "Fall CBMR-English Percentile at Nation`",
                "placement <- `Screening Period 5 ",
                "Fall CBMR-English Risk Level`",
            ],
        );
    }
}

#[test]
fn check_lists_the_skills_a_profile_finds() {
    let out = run(&["check", "--rules", &vendor_rules("dibels8"), &real(DIBELS8)]);
    out.assert_stdout_contains(
        "  skills: `Letter Names (LNF)`, `Phonemic Awareness (PSF)`, `Letter Sounds (NWF-CLS)`, \
         `Decoding (NWF-WRC)`, `Word Reading (WRF)`, `Reading Accuracy (ORF-Accu)`, \
         `Reading Fluency (ORF)` and `Reading Comprehension (Maze)`\n",
    );
    let out = run(&[
        "check",
        "--rules",
        &vendor_rules("iready"),
        &real(IREADY_MATH),
    ]);
    out.assert_stdout_contains(
        "  skills: `Number and Operations`, `Algebra and Algebraic Thinking`, `Measurement and Data` and `Geometry`\n",
    );
}

#[test]
fn profiles_lists_every_profile_with_its_headers() {
    let out = run(&["profiles"]);
    // Each profile of this work, in detection order (most specific first),
    // the headers its `recognised by:` line names, and its rules file.
    let expected: [(&str, &[&str], Option<&str>); 10] = [
        (
            "map-growth",
            &["StudentID, TestRITScore, TestPercentile, Goal1Name"],
            Some(
                "`map-growth`, built in and used by themselves (`tierplan init --from map-growth` copies them)",
            ),
        ),
        (
            "iready",
            &["Student ID, Overall Relative Placement, Completion Date or Start Date"],
            Some(
                "`iready`, built in and used by themselves (`tierplan init --from iready` copies them)",
            ),
        ),
        (
            "star-standards",
            &["StudentIdentifier, StandardName, StandardPercentMastery"],
            None,
        ),
        (
            "star-skill-areas",
            &["StudentIdentifier, SkillAreaName, SkillAreaMasteryScore"],
            None,
        ),
        (
            "star",
            &["StudentIdentifier, PercentileRank, ScaledScore"],
            Some(
                "`star`, built in and used by themselves (`tierplan init --from star` copies them)",
            ),
        ),
        (
            "dibels8",
            &["Student Primary ID, Composite Level, Benchmark Period"],
            Some(
                "`dibels8`, built in and used by themselves (`tierplan init --from dibels8` copies them)",
            ),
        ),
        (
            "fastbridge",
            &[
                "FAST ID, Grade, ",
                "Fall CBMR-English Risk Level",
                "Winter Early Reading English Risk Level",
            ],
            Some(
                "`fastbridge`, built in and used by themselves (`tierplan init --from fastbridge` copies them)",
            ),
        ),
        (
            "canvas-quiz",
            &["name, id, section, submitted, n correct, n incorrect, score"],
            None,
        ),
        (
            "google-forms",
            &["Timestamp, Email Address or Email address, Score"],
            None,
        ),
        ("long", &["student_id or ", "skill or ", "score or "], None),
    ];
    let lines: Vec<&str> = out.stdout.lines().collect();
    let listed: Vec<&str> = lines
        .iter()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .filter_map(|l| l.split_once("  ").map(|(name, _)| name))
        .collect();
    let order: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|n| expected.iter().any(|e| e.0 == *n))
        .collect();
    assert_eq!(order, expected.map(|e| e.0), "{}", out.stdout);
    // Every profile shipped in profiles/ is listed.
    for entry in fs::read_dir(repo("profiles")).expect("list profiles/") {
        let text = fs::read_to_string(entry.expect("an entry").path()).expect("a profile");
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name: "))
            .expect("a profile has a name");
        assert!(
            listed.contains(&name),
            "profile {name} is listed:\n{}",
            out.stdout
        );
    }
    for (name, headers, rules) in expected {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{name}  ")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{}", out.stdout));
        let recognised = lines[at + 1]
            .strip_prefix("    recognised by: ")
            .unwrap_or_else(|| panic!("{name}: no `recognised by:` line:\n{}", out.stdout));
        for header in headers {
            assert!(
                recognised.contains(header),
                "{name}: {header:?} in {recognised:?}"
            );
        }
        let shipped = lines
            .get(at + 2)
            .and_then(|l| l.strip_prefix("    rules: "));
        assert_eq!(shipped, rules, "{name}: its rules");
    }
    out.assert_stdout_contains("`--profile none` reads the file as plain CSV");
}

#[test]
fn profile_none_reads_a_vendor_file_as_plain_csv() {
    let t = Test::new().rules(
        "
        tierplan: 1
        name: Star read as plain CSV
        columns:
          student_id: [StudentIdentifier]
          name: {names: [StudentLastName], optional: true}
          section: {names: [GroupOrClassName], optional: true}
          screening: [PercentileRank]
        params:
          cut: 10
        plans:
          tier3: {label: Tier 3, kind: tier3_intervention}
          core: {label: Core, kind: core}
        tree:
          - when: screening <= cut
            plan: tier3
            reason: \"percentile rank {screening}\"
          - default: core
        ",
    );
    let path = real(STAR);
    let out = t.run_with(&[
        "plan",
        "--rules",
        "rules.yaml",
        "--profile",
        "none",
        &path,
        "--format",
        "csv",
    ]);
    let rows = rows_of(&out);
    assert_each_once(&rows, &file_ids(&path, &["StudentIdentifier"], None));
    // The raw headers: the last name alone, the percentile rank itself.
    assert_name(&rows, "605000", "One");
    assert_plan(
        &rows,
        "605002",
        "tier3 | tier3_intervention | 3 |  |  | percentile rank 2",
    );
    let check = t.run_with(&["check", "--rules", "rules.yaml", "--profile", "none", &path]);
    check.assert_stdout_contains(&format!(
        "{path}: columns student_id = `StudentIdentifier`, name = `StudentLastName`, section = `GroupOrClassName`, screening = `PercentileRank`\n"
    ));
    assert!(!check.stdout.contains(": read as "), "{}", check.stdout);
    // An explicit profile reads as detection does.
    let rows = plan_rows(&["--profile", "star", &path]);
    assert_each_once(&rows, &file_ids(&path, &["StudentIdentifier"], None));
}

#[test]
fn rules_naming_vendor_headers_read_the_file_as_it_is() {
    let t = Test::new().rules(
        "
        tierplan: 1
        columns:
          student_id: [StudentIdentifier]
          screening: [PercentileRank]
        plans:
          core: {label: Core, kind: core}
        tree:
          - default: core
        ",
    );
    let out = t.run_with(&[
        "plan",
        "--rules",
        "rules.yaml",
        &real(STAR),
        "-f",
        "csv",
        "--columns",
        "student_id",
    ]);
    out
        .assert_stdout("student_id\n605000\n605001\n605002\n605003\n605004\n")
        .assert_stderr_contains("warning[profile-not-used]: ")
        .assert_stderr_contains("looks like a Renaissance Star assessment export (v2) file, but the rules name its own columns: read as it is (`--profile star` to use the profile)\n");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let path = real(STAR);
    let out = Test::new()
        .status(2)
        .run_with(&["plan", "--profile", "nope", &path]);
    out.assert_stdout("");
    assert!(
        out.stderr
            .starts_with("error: no profile `nope`; the profiles are `map-growth`, `iready`, ")
            && out.stderr.ends_with(" (`tierplan profiles` lists them)\n"),
        "{}",
        out.stderr
    );
    for name in [
        "star-standards",
        "star-skill-areas",
        "star",
        "dibels8",
        "fastbridge",
        "canvas-quiz",
        "google-forms",
        "long",
    ] {
        out.assert_stderr_contains(&format!("`{name}`"));
    }
    Test::new()
        .status(2)
        .run_with(&["plan", "--profile", "googleforms", &fixture("google-forms.csv")])
        .assert_stderr(
            "error: no profile `googleforms`; did you mean `google-forms`? (`tierplan profiles` lists them)\n",
        );
    Test::new()
        .status(2)
        .run_with(&["check", "--profile", "star-standard", &path])
        .assert_stderr_contains("did you mean `star-standards`?");
}
