//! Cut tables as they are published (issue 10): named values, spellings,
//! `recode:`, rows from a CSV file; a student no row matches never lands in
//! a tier silently; and what `check` tells a reviewer about a table.

use crate::util::{Run, Test, csv_records, repo};

/// A grade x window table with two cut points a row, written from a
/// published sheet the obvious way, and a tree that reads both.
const CUTS: &str = "
    tierplan: 1
    name: cuts
    columns:
      student_id: [id]
      grade: [grade]
      season: [season]
      composite: [composite]
    recode:
      season: {Fall: BOY, Winter: MOY, Spring: EOY}
    tables:
      cuts:
        keys: [grade, season]
        rows:
          - {grade: [K, KG], season: BOY, risk_cut: 280, goal: 306}
          - {grade: [K, KG], season: MOY, risk_cut: 356, goal: 371}
          - {grade: [K, KG], season: EOY, risk_cut: 406, goal: 420}
          - {grade: 1, season: BOY, risk_cut: 300, goal: 320}
          - {grade: 1, season: MOY, risk_cut: 330, goal: 350}
          - {grade: 1, season: EOY, risk_cut: 360, goal: 380}
          - {grade: 2, season: BOY, risk_cut: 320, goal: 340}
          - {grade: 2, season: MOY, risk_cut: 350, goal: 370}
          - {grade: 2, season: EOY, risk_cut: 380, goal: 400}
    plans:
      t3: {label: Intensive, kind: tier3_intervention}
      t2: {label: Strategic, kind: tier2_intervention}
      core: {label: Core, kind: core}
      none: {label: No score, kind: no_data}
    tree:
      - when: composite is missing
        plan: none
      - when: composite < cuts.risk_cut
        plan: t3
      - when: composite < cuts.goal
        plan: t2
      - default: core
    ";

/// `tierplan plan DATA` with the rules of the folder, `-f csv`, in a run
/// that expects a status (`plans(t.status(1), ..)`).
fn plans(run: Run<'_>, data: &str) -> crate::util::Output {
    run.run_with(&[
        "plan",
        "--rules",
        "rules.yaml",
        data,
        "-f",
        "csv",
        "--columns",
        "student_id,plan,tier,caveat",
    ])
}

#[test]
fn a_published_cut_table_tiers_every_boundary_exactly() {
    let mut data = String::from("id,grade,season,composite\n");
    let mut expected = String::from("student_id,plan,tier,caveat\n");
    let cuts = [
        ("K", "BOY", 280, 306),
        ("K", "MOY", 356, 371),
        ("K", "EOY", 406, 420),
        ("1", "BOY", 300, 320),
        ("1", "MOY", 330, 350),
        ("1", "EOY", 360, 380),
        ("2", "BOY", 320, 340),
        ("2", "MOY", 350, 370),
        ("2", "EOY", 380, 400),
    ];
    let mut n = 0;
    for (grade, season, risk, goal) in cuts {
        for (score, plan, tier) in [
            (risk - 1, "t3", 3),
            (risk, "t2", 2),
            (risk + 1, "t2", 2),
            (goal - 1, "t2", 2),
            (goal, "core", 1),
            (goal + 1, "core", 1),
        ] {
            n += 1;
            data.push_str(&format!("S{n},{grade},{season},{score}\n"));
            expected.push_str(&format!("S{n},{plan},{tier},\n"));
        }
    }
    // The spellings the rules list or recode, and a no-break space.
    data.push_str("R1,KG,Fall,279\nR2,K,Winter,371\nR3,1\u{a0},Spring,379\n");
    expected.push_str("R1,t3,3,\nR2,core,1,\nR3,t2,2,\n");
    let t = Test::new().rules(CUTS).file("d.csv", data);
    plans(t.status(0), "d.csv")
        .assert_stdout(&expected)
        .assert_stderr("");
}

/// The decide pass names a student's line in a file read in parts, with the
/// lines of the parts before counted: the grade no row has is at the end of
/// a file over 4 MiB, and blank lines come before it.
#[test]
fn a_student_no_row_matches_is_named_at_their_line_in_a_large_file() {
    let mut data = String::from("id,grade,season,composite\n");
    let mut line = 1;
    while data.len() < (4 << 20) + (64 << 10) {
        line += 1;
        data.push_str(&format!("S{line},K,BOY,300\n"));
        if line % 50 == 0 {
            line += 1;
            data.push('\n');
        }
    }
    data.push_str("T1,7,BOY,300\n");
    let t = Test::new().rules(CUTS).file("d.csv", &data).stdin(&data);
    let file = t
        .status(1)
        .run_with(&["plan", "--rules", "rules.yaml", "d.csv"]);
    let stdin = t
        .status(1)
        .run_with(&["plan", "--rules", "rules.yaml", "-"]);
    file.assert_stderr_contains(&format!("  --> d.csv, line {}\n", line + 1));
    assert_eq!(file.stderr, stdin.stderr.replace("<stdin>", "d.csv"));
}

/// See: issue 10. A grade, window or spelling no row has (`7`, `Kinder`, a
/// window the rules do not recode) fell through to the default as Tier 1.
#[test]
fn a_student_no_row_matches_never_lands_in_a_tier_silently() {
    for (row, keys) in [
        ("S9,7,BOY,300", "grade `7`, season `BOY`"),
        ("S9,Kinder,BOY,300", "grade `Kinder`, season `BOY`"),
        ("S9,K,Autumn,300", "grade `K`, season `Autumn`"),
    ] {
        let t = Test::new().rules(CUTS).file(
            "d.csv",
            format!("id,grade,season,composite\nS1,K,BOY,300\n{row}\n"),
        );
        plans(t.status(1), "d.csv")
            .assert_stderr_contains(&format!(
                "error[no-table-row]: student `S9`: table `cuts` has no row for {keys} (rules.yaml, line 11)\n  --> d.csv, line 3\n"
            ));
        // Planned without the table when asked, and flagged.
        let lenient = t.run_with(&[
            "plan",
            "--rules",
            "rules.yaml",
            "d.csv",
            "--lenient",
            "-f",
            "csv",
            "--columns",
            "student_id,plan,tier,caveat",
        ]);
        lenient.assert_stdout_contains(&format!(
            "S9,core,1,\"table `cuts` has no row for {keys}\"\n"
        ));
    }
}

#[test]
fn check_reports_what_a_reviewer_would() {
    // A repeated row, a misspelt window, a risk cut above its goal, and the
    // tier 2 test written before tier 3's with fixed cuts.
    let rules = CUTS
        .replace(
            "      - {grade: 1, season: EOY, risk_cut: 360, goal: 380}",
            "      - {grade: 1, season: BYO, risk_cut: 390, goal: 380}\n          - {grade: 1, season: MOY, risk_cut: 330, goal: 350}",
        )
        .replace(
            "      - when: composite is missing\n        plan: none",
            "      - when: composite is missing\n        plan: none\n      - when: composite < 400\n        plan: t2\n      - when: composite < 300\n        plan: t3",
        );
    let out = Test::new()
        .rules(&rules)
        .args(&["check", "--rules", "rules.yaml", "--deny", "warnings"])
        .status(1)
        .run();
    out
        .assert_stdout_contains("warning[shadowed-row]: row 7 of table `cuts` repeats row 5 (line 18): it is never used\n  --> rules.yaml, line 20, column 9\n")
        .assert_stdout_contains("warning[misspelt-key]: `BYO` appears once as `season` in table `cuts`; did you mean `BOY`?\n  --> rules.yaml, line 19, column 9\n")
        .assert_stdout_contains("warning[cuts-out-of-order]: in this row of table `cuts`, `risk_cut` 390 is above `goal` 380, and in every other row it is below\n  --> rules.yaml, line 19, column 9\n")
        .assert_stdout_contains("warning[unreachable-branch]: no student can reach `composite < 300`: no value of `composite` passes it here, as the branch on line 32 takes every such student first\n  --> rules.yaml, line 34, column 11\n")
        .assert_stdout_contains("4 warnings found, and `--deny warnings` makes them fail the check\n");
    // Without --deny the rules pass, with the same findings.
    Test::new()
        .rules(&rules)
        .args(&["check", "--rules", "rules.yaml"])
        .run()
        .assert_stdout_contains("ok (4 warnings)\n");
}

#[test]
fn cover_makes_a_misspelt_window_an_error_and_lists_the_missing_rows() {
    let rules = CUTS
        .replace("        keys: [grade, season]\n", "        keys: [grade, season]\n        cover: {grade: [K, 1, 2], season: [BOY, MOY, EOY]}\n        ascending: [risk_cut, goal]\n")
        .replace("season: EOY, risk_cut: 360, goal: 380", "season: BYO, risk_cut: 390, goal: 380");
    let out = Test::new()
        .rules(&rules)
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run();
    out
        .assert_stdout_contains("error[uncovered-value]: `BYO` is not one of the values of `season` the table covers (`BOY`, `MOY` and `EOY`); did you mean `BOY`?\n")
        .assert_stdout_contains("error[cuts-out-of-order]: in this row of table `cuts`, `risk_cut` 390 is above `goal` 380\n")
        .assert_stdout_contains("warning[table-gap]: table `cuts` has no row for grade `1`, season `EOY`\n");
}

#[test]
fn a_table_read_from_the_published_sheet_beside_the_rules() {
    // The rows of CUTS replaced by `csv: cuts.csv`.
    let (head, rest) = CUTS.split_once("        rows:\n").expect("CUTS has rows");
    let tail = &rest[rest.find("    plans:").expect("CUTS has plans")..];
    let rules = format!("{head}        csv: cuts.csv\n{tail}");
    assert!(rules.contains("csv: cuts.csv"));
    let sheet = "grade,season,risk_cut,goal\nK,BOY,280,306\nK,MOY,356,371\n1,BOY,300,320\n";
    let t = Test::new()
        .file("school/rules.yaml", crate::util::unindent(&rules))
        .file("school/cuts.csv", sheet)
        .file(
            "d.csv",
            "id,grade,season,composite\nS1,K,BOY,305\nS2,1,BOY,320\n",
        );
    t.run_with(&[
        "plan",
        "--rules",
        "school/rules.yaml",
        "d.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan",
    ])
    .assert_stdout("student_id,plan\nS1,t2\nS2,core\n");
    // The sheet is read by the run: `-o` and `--summary` refuse it.
    for flag in ["-o", "--summary"] {
        t.status(2)
            .run_with(&["plan", "--rules", "school/rules.yaml", "d.csv", flag, "school/cuts.csv"])
            .assert_stderr(
                "error: `school/cuts.csv` is one of the files tierplan reads; write the output to another file\n",
            );
    }
    assert_eq!(t.read("school/cuts.csv"), sheet);
    // A cell of the sheet is reported with the sheet's own line and column.
    let t = t.file(
        "school/cuts.csv",
        "grade,season,risk_cut,goal\nK,BOY,280,306\nK,MOY,356\n",
    );
    t.status(1).run_with(&["check", "--rules", "school/rules.yaml"])
        .assert_stdout_contains("error[ragged-row]: this row has 3 fields, and the header has 4\n  --> school/cuts.csv, line 3\n");
    let t = t.file(
        "school/cuts.csv",
        "grade,season,risk_cut,gaol\nK,BOY,280,306\n",
    );
    t.status(1)
        .run_with(&["check", "--rules", "school/rules.yaml"])
        .assert_stdout_contains("error[bad-condition]: unknown name `cuts.goal`");
}

#[test]
fn score_ranges_with_a_gap_or_an_overlap_are_reported_with_a_witness() {
    let rules = "
        tierplan: 1
        name: bands
        columns:
          student_id: [id]
          composite: [composite]
        tables:
          band:
            keys: [composite]
            rows:
              - {composite: {at_least: 200, at_most: 279}, value: intensive}
              - {composite: {at_least: 281, at_most: 305}, value: strategic}
              - {composite: {at_least: 300, at_most: 331}, value: core}
              - {composite: {at_least: 332}, value: above}
        plans:
          t3: {label: Intensive, kind: tier3_intervention}
          core: {label: Core, kind: core}
        tree:
          - when: band == 'intensive'
            plan: t3
          - default: core
        ";
    Test::new()
        .rules(rules)
        .args(&["check", "--rules", "rules.yaml"])
        .run()
        .assert_stdout_contains("warning[table-gap]: no row of table `band` holds `composite` 280 (between row 1 and row 2)\n")
        .assert_stdout_contains("warning[table-overlap]: rows 2 and 3 of table `band` both hold `composite` 300: the first wins\n");
}

/// The shipped composite rules, from the published kindergarten goals,
/// agree with the vendor's own level on every student of the mCLASS sample.
#[test]
fn the_composite_cut_table_agrees_with_the_vendor_levels_on_the_mclass_sample() {
    let file = repo("tests/data/real/edfi-bundles/Dibels_8_Benchmark/sample_anonymized_file.csv");
    let file = file.display().to_string();
    let out = Test::new().run_with(&[
        "plan",
        "--rules",
        "dibels8-composite",
        &file,
        "-f",
        "csv",
        "--columns",
        "student_id,placement,composite,plan,tier",
    ]);
    let rows = csv_records(
        &out.stdout,
        &["student_id", "placement", "composite", "plan", "tier"],
    );
    assert_eq!(rows.len(), 5, "{}", out.stdout);
    for row in &rows {
        let vendor_tier = match row[1].as_str() {
            "Well Below Benchmark" => "3",
            "Below Benchmark" => "2",
            "At Benchmark" | "Above Benchmark" => "1",
            other => panic!("unexpected level {other}"),
        };
        assert_eq!(
            row[4], vendor_tier,
            "student {}: composite {} is {}",
            row[0], row[2], row[1]
        );
    }
}

/// The worked example of rules/README.md runs as written: its sheet, its
/// rules, a window the export spells `Fall`, and a grade with no row.
#[test]
fn the_rules_readme_cut_table_example_runs() {
    let readme = std::fs::read_to_string(repo("rules/README.md")).expect("read rules/README.md");
    let at = readme
        .find("### Worked example: a cut table")
        .expect("the section");
    let block = |fence: &str, from: usize| {
        let start = from + readme[from..].find(fence).expect("a block") + fence.len();
        let end = start + readme[start..].find("```").expect("a closed block");
        (readme[start..end].to_owned(), end)
    };
    let (sheet, after) = block("```csv\n", at);
    let (rules, _) = block("```yaml\n", after);
    Test::new()
        .file("dibels8-k.csv", sheet)
        .file("rules.yaml", rules)
        .file("export.csv", "student_id,grade,season,composite\nS1,K,Fall,279\nS2,K,BOY,305\nS3,K,MOY,371\nS4,1,BOY,300\n")
        .args(&["plan", "--rules", "rules.yaml", "export.csv", "-f", "csv", "--columns", "student_id,plan,tier,caveat"])
        .run()
        .assert_stdout(
            "
            student_id,plan,tier,caveat
            S1,intensive,3,
            S2,strategic,2,
            S3,core,1,
            S4,no_cut,,\"table `goals` has no row for grade `1`, season `BOY`\"
            ",
        );
}

/// See: issue 10. Boundary cases generated from a cut table, saved, catch a
/// `<` later written as `<=`.
#[test]
fn generated_boundary_cases_catch_a_comparison_written_wrong() {
    let t = Test::new().rules(CUTS);
    let generated = t.run_with(&["test", "--rules", "rules.yaml", "--boundaries"]);
    generated.assert_stderr("");
    // Two cuts a row, nine rows, three students a cut.
    assert_eq!(
        generated.stdout.matches("  - name: ").count(),
        54,
        "{}",
        generated.stdout
    );
    assert!(generated.stdout.contains(
        "  - name: \"cuts.goal (K, BOY) = 306: composite 306\"\n    student: {student_id: B29, grade: K, season: BOY, composite: 306}\n    expect: {plan: core, tier: 1}\n"
    ), "{}", generated.stdout);
    let t = t.file("rules.test.yaml", &generated.stdout);
    t.run_with(&["test", "--rules", "rules.yaml"])
        .assert_stdout_contains("\n54 passed, 0 failed\n");
    let broken =
        crate::util::unindent(CUTS).replace("composite < cuts.goal", "composite <= cuts.goal");
    let t = t.file("rules.yaml", broken);
    let out = t.status(1).run_with(&["test", "--rules", "rules.yaml"]);
    out.assert_stdout_contains("FAIL `cuts.goal (K, BOY) = 306: composite 306`")
        .assert_stdout_contains("\n45 passed, 9 failed\n");
}

/// A table's `csv:` is read with the rules' own bound, an endless device
/// included (it was read whole when it was not a regular file).
#[cfg(unix)]
#[test]
fn a_table_file_that_never_ends_is_refused_at_the_rules_limit() {
    let (head, rest) = CUTS.split_once("        rows:\n").expect("CUTS has rows");
    let tail = &rest[rest.find("    plans:").expect("CUTS has plans")..];
    Test::new()
        .rules(&format!("{head}        csv: /dev/zero\n{tail}"))
        .args(&["check", "--rules", "rules.yaml"])
        .status(1)
        .run()
        .assert_stdout_contains("error[rules-too-large]: rules file is over 1048576 bytes")
        .assert_stdout_contains("--> /dev/zero\n");
}
