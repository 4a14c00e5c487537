//! `--letters FILE`: a letter home for every student whose support
//! changes, from the rules' template (English by default), as editable
//! HTML (one letter a page) or plain text (form feeds between letters);
//! only what the plan says, the data's text never markup, no letter on a
//! decision made without some of the student's data.
//!
//! See: issue 14.

use crate::util::{QUIZ_NOTE, Test, parse_csv};

/// The ids of the students the plan gives a plan of one of `kinds`.
fn ids_of_kinds(t: &Test, args: &[&str], kinds: &[&str]) -> Vec<String> {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv", "--columns", "student_id,kind"]);
    let rows = parse_csv(&t.run_with(&all).stdout, ',');
    rows[1..]
        .iter()
        .filter(|r| kinds.contains(&r[1].as_str()))
        .map(|r| r[0].clone())
        .collect()
}

#[test]
fn the_example_class_gets_a_text_letter_for_each_student_entering_an_intervention() {
    let t = Test::new().quiz();
    let run = t.run_with(&[
        "plan",
        "quiz.csv",
        "-o",
        "plan.csv",
        "--letters",
        "letters.txt",
    ]);
    run.assert_stdout("").assert_stderr(&format!(
        "{QUIZ_NOTE}note: 4 letters home in `letters.txt` (the students whose support changes)\n"
    ));
    let letters = t.read("letters.txt");
    let letters: Vec<&str> = letters.split("\x0c\n").collect();
    let expected = ids_of_kinds(
        &t,
        &["quiz.csv"],
        &["tier2_intervention", "tier3_intervention"],
    );
    assert_eq!(expected, ["S03", "S07", "S12", "S18"]);
    assert_eq!(letters.len(), expected.len());
    // In input order: José Álvarez (S03) first, in Tier 3.
    assert!(
        letters[0].starts_with(
            "Dear family of José Álvarez,\n\nWe look closely at how every student in 5A is learning"
        ),
        "{}",
        letters[0]
    );
    assert!(letters[0].contains("The focus will be NF.1.\n"));
    assert!(letters[0].contains("What will change: Tier 3 intensive intervention.\nIntensive intervention in groups of 1 to 3"));
    assert!(letters[0].contains("We will check weekly.\n"));
    assert!(letters[1].contains("Dear family of Ethan Brown,"));
    assert!(letters[1].contains("We will check every 2 weeks.\n"));
    for letter in &letters {
        // The quiz has no probe dates: the sentence about the next one is
        // left out, and no placeholder is left in.
        assert!(!letter.contains("next check"), "{letter}");
        assert!(!letter.contains('{') && !letter.contains('}'), "{letter}");
        // The template's notes to its editor stay out of the letter.
        assert!(!letter.contains("# "), "{letter}");
        assert!(letter.ends_with("With kind regards,\n\n______________________\n"));
    }
    // The plan itself is the same with or without letters.
    assert_eq!(
        t.read("plan.csv"),
        t.run_with(&["plan", "quiz.csv", "-f", "csv"]).stdout
    );
}

#[test]
fn html_letters_are_editable_pages_and_the_data_is_text() {
    let t = Test::new().csv(
        "class.csv",
        "
        student_id,name,section,screening_pctl,A
        S1,<script>alert(1)</script>,\"\"\"><img src=x onerror=alert(2)>\",5,40
        S2,Bo\x0cKim,5A,50,95
        S3,Cy\x0cLee,5A,5,30
        ",
    );
    t.run_with(&[
        "plan",
        "class.csv",
        "-f",
        "csv",
        "--letters",
        "letters.html",
    ])
    .assert_stderr_contains("note: 2 letters home in `letters.html`");
    let html = t.read("letters.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\"><head>"));
    assert!(html.ends_with("</body></html>\n"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(html.contains(
        ".letter { box-shadow: none; margin: 0; padding: 0; max-width: none; break-after: page; }"
    ));
    assert_eq!(
        html.matches("<article class=\"letter\" contenteditable=\"true\"")
            .count(),
        2
    );
    for raw in ["<script", "<img"] {
        assert!(!html.contains(raw), "`{raw}` is markup in the letters");
    }
    assert!(html.contains("<p>Dear family of &lt;script&gt;alert(1)&lt;/script&gt;,</p>"));
    assert!(
        html.contains("every student in &quot;&gt;&lt;img src=x onerror=alert(2)&gt; is learning")
    );
    // A control character of a cell is a space: a form feed in a name
    // splits no letter.
    assert!(html.contains("Dear family of Cy Lee,"));
    assert!(!html.contains('\x0c'));
}

#[test]
fn the_rules_name_the_template_its_language_and_the_plans() {
    let t = Test::new()
        .quiz()
        .file("r/rules.yaml", {
            let rules = include_str!("../../rules/default.yaml");
            format!(
                "{rules}\nletters:\n  template: letters/es.txt\n  language: es\n  plans: [small_group_reteach]\n"
            )
        })
        .file("r/letters/es.txt", include_str!("../../rules/letters/es.txt"));
    t.run_with(&[
        "plan",
        "quiz.csv",
        "--rules",
        "r/rules.yaml",
        "--letters",
        "cartas.html",
    ]);
    let html = t.read("cartas.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
    let expected = ids_of_kinds(
        &t,
        &["quiz.csv", "--rules", "r/rules.yaml"],
        &["small_group_reteach"],
    );
    let written: Vec<&str> = html
        .match_indices(" data-id=\"")
        .map(|(at, _)| {
            let rest = &html[at + 10..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(written, expected);
    assert!(html.contains("<p>Estimada familia de Nguyễn Thị Lan:</p>"));
    assert!(html.contains("Trabajaremos en especial: OA.1."));
    // Small-group reteaching has no progress schedule: that line is left out.
    assert!(!html.contains("Lo revisaremos cada"));
}

#[test]
fn a_template_placeholder_the_plan_does_not_have_is_an_error_at_its_place() {
    let t = Test::new()
        .quiz()
        .file("letters.txt", "old letters\n")
        .file(
            "rules.yaml",
            format!(
                "{}\nletters: {{template: mine.txt}}\n",
                include_str!("../../rules/default.yaml")
            ),
        )
        .file(
            "mine.txt",
            "# A note {not checked}\nDear {nmae},\n{grade} and {unknown\n",
        );
    let run = t.status(1).run_with(&[
        "plan",
        "quiz.csv",
        "--rules",
        "rules.yaml",
        "--letters",
        "letters.txt",
    ]);
    run.assert_stdout("")
        .assert_stderr_contains(
            "error[bad-template]: unknown placeholder `{nmae}`\n  --> mine.txt, line 2, column 6\n",
        )
        .assert_stderr_contains("did you mean `name`?")
        .assert_stderr_contains(
            "`{` opens a placeholder that no `}` closes\n  --> mine.txt, line 3, column 13\n",
        );
    // A rules field (`grade`) is a placeholder; the letters file is as it was.
    assert!(!run.stderr.contains("`{grade}`"), "{}", run.stderr);
    assert_eq!(t.read("letters.txt"), "old letters\n");
}

#[test]
fn the_letters_plans_and_language_are_checked_with_the_rules() {
    let t = Test::new().quiz().file(
        "rules.yaml",
        format!(
            "{}\nletters: {{plans: [tier9], language: \"e s\"}}\n",
            include_str!("../../rules/default.yaml")
        ),
    );
    t.status(1)
        .run_with(&["check", "--rules", "rules.yaml"])
        .assert_stdout_contains("unknown plan `tier9`")
        .assert_stdout_contains("`e s` is not a language tag");
}

#[test]
fn letters_name_their_own_file() {
    let t = Test::new().quiz();
    for other in ["-o", "--summary"] {
        t.status(2)
            .run_with(&["plan", "quiz.csv", other, "x.txt", "--letters", "x.txt"])
            .assert_stderr_contains("name the same file; give each its own");
    }
    t.status(2)
        .run_with(&["plan", "quiz.csv", "--letters", "quiz.csv"])
        .assert_stderr_contains("`quiz.csv` is one of the files tierplan reads");
    assert!(t.listing().iter().all(|f| f != "x.txt"));
}

#[test]
fn no_letter_goes_home_on_a_decision_made_without_some_data() {
    // A rule on the screening: S2 has none, so is placed in the
    // intervention without it.
    let t = Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [id]
              screening: {names: [pctl], optional: true}
            skills: {columns: rest}
            params: {mastery: 80}
            plans:
              t2: {kind: tier2_intervention, tier: 2}
              core: {kind: core, tier: 1}
            tree:
              - when: screening > 25
                plan: core
              - default: t2
                focus: weakest
            ",
        )
        .csv("c.csv", "id,pctl,A\nS1,10,90\nS2,,40\nS3,90,95\n");
    t.run_with(&["plan", "c.csv", "--rules", "rules.yaml", "-f", "csv", "--letters", "l.txt"])
        .assert_stderr_contains("note: 1 letter home in `l.txt`")
        .assert_stderr_contains(
            "note: 1 letter held back: their plan was decided without some of their data (S2). Check their data, then plan again.\n",
        );
    assert!(t.read("l.txt").starts_with("Dear family of S1,"));
}

#[test]
fn with_the_current_tier_in_the_data_only_a_change_of_tier_gets_a_letter() {
    let t = Test::new()
        .rules(
            "
            tierplan: 1
            columns:
              student_id: [id]
              tier: [tier]
              screening: [pctl]
            plans:
              t2: {kind: tier2_intervention, tier: 2}
              core: {label: Core instruction, kind: core, tier: 1}
            tree:
              - when: screening <= 25
                plan: t2
              - default: core
            ",
        )
        .csv(
            "c.csv",
            "id,tier,pctl\nSTAYS,Tier 2,10\nENTERS,Tier 1,10\nLEAVES,2,90\nCORE,1,90\n",
        );
    t.run_with(&[
        "plan",
        "c.csv",
        "--rules",
        "rules.yaml",
        "-f",
        "csv",
        "--letters",
        "l.html",
    ]);
    let html = t.read("l.html");
    assert!(html.contains("data-id=\"ENTERS\""), "{html}");
    assert!(html.contains("data-id=\"LEAVES\""), "{html}");
    assert!(html.contains("What will change: Core instruction."));
    assert!(!html.contains("data-id=\"STAYS\"") && !html.contains("data-id=\"CORE\""));
}

#[test]
fn progress_letters_name_the_measure_and_the_next_check() {
    let t = Test::new().file("p.csv", include_str!("../../examples/progress.csv"));
    let ids = ids_of_kinds(
        &t,
        &["p.csv"],
        &["change_intervention", "raise_goal", "referral_review"],
    );
    t.run_with(&["plan", "p.csv", "-f", "csv", "--letters", "l.txt"]);
    let text = t.read("l.txt");
    assert_eq!(text.split('\x0c').count(), ids.len());
    assert!(
        text.contains("What will change: Change the intervention."),
        "{text}"
    );
    assert!(text.contains("The next check is planned for 20"), "{text}");
}
