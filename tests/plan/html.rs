//! `--format html`: the report for the data meeting. One file that opens
//! offline (nothing fetched, no script), every student exactly once, every
//! text from the data or the rules escaped, a summary before the sections,
//! charts whose numbers are also written as text, and a progress graph per
//! student with the aimline, trend, phase lines and the run that decided.
//! The browser test (`tests/browser.rs`) loads it in Chromium.
//!
//! See: issue 14.

use crate::util::{Test, parse_csv};

/// The report `tierplan plan ARGS -o plan.html` writes.
fn report(t: &Test, args: &[&str]) -> String {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "plan.html"]);
    t.run_with(&all).assert_stdout("");
    t.read("plan.html")
}

/// The values of attribute `name` (`data-id="S01"` → `S01`), in order.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let key = format!("{name}=\"");
    html.match_indices(&key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// Nothing in the report makes a browser fetch anything: no tag has a
/// `src`, a link leaves the page or a style loads a resource, and the page
/// forbids loading anything. (Text is escaped, so `<` only opens tags.)
fn assert_offline(html: &str) {
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("a tag ends")];
        assert!(
            !tag.starts_with("script") && !tag.starts_with("link"),
            "<{tag}>"
        );
        for attribute in [" src=", " srcset=", " xlink:href=", " action="] {
            assert!(!tag.contains(attribute), "<{tag}>");
        }
        if let Some(at) = tag.find(" href=\"") {
            assert!(tag[at + 7..].starts_with('#'), "<{tag}>");
        }
    }
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    for needle in ["url(", "@import", "http"] {
        assert!(!style.contains(needle), "the style has `{needle}`");
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn the_example_class_has_every_student_once_in_a_group_card() {
    let t = Test::new().quiz();
    let html = report(&t, &["quiz.csv"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\"><head>"));
    assert!(html.ends_with("</body></html>\n"));
    assert_offline(&html);
    let mut ids = attributes(&html, "data-id");
    ids.sort();
    let csv = parse_csv(&t.run_with(&["plan", "quiz.csv", "-f", "csv"]).stdout, ',');
    let mut expected: Vec<String> = csv[1..].iter().map(|r| r[0].clone()).collect();
    expected.sort();
    assert_eq!(ids, expected);
    // The summary comes first and links to the section, which starts a
    // printed page.
    let summary = html
        .find("<section class=\"summary\" id=\"summary\">")
        .unwrap();
    let section = html.find("<section class=\"section\" id=\"s-1\"").unwrap();
    assert!(summary < section);
    assert!(html.contains("<a href=\"#s-1\">5A</a>"));
    assert!(html.contains("section.section { break-before: page;"));
    // The whole-class skill, the groups and the students without data.
    assert!(
        html.contains("<strong>Reteach to the whole class: </strong>NF.1 (19 of 27 below mastery)")
    );
    assert!(html.contains("<h4>Tier 3 intensive intervention</h4>"));
    assert!(html.contains("<li data-id=\"S03\">José Álvarez <span class=\"score\">30</span></li>"));
    assert!(html.contains("<div class=\"card no-data\"><h4>No quiz data</h4>"));
    assert!(html.contains("Decided without some of their data (8 students; check before acting)"));
}

#[test]
fn every_number_on_a_chart_is_also_text() {
    let t = Test::new().quiz();
    let html = report(&t, &["quiz.csv"]);
    // The tiers: bars labelled with their count and share, the guideline
    // marked, and the same numbers in the table beside them.
    assert!(html.contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\"tiers-1-title\""));
    assert!(html.contains(">23 · 85%</text>"));
    assert!(html.contains("<title>guideline 80%</title>"));
    assert!(html.contains(
        "<td>Tier 1</td><td class=\"n\">23</td><td class=\"n\">85%</td><td>about 80%</td>"
    ));
    // The skills: each bar says how many of how many are below mastery.
    assert!(html.contains(">19 of 27 · 70% · whole class</text>"));
    assert!(html.contains(">4 of 27 · 15%</text>"));
}

#[test]
fn names_sections_skills_and_labels_from_the_files_are_text() {
    let t = Test::new()
        .rules(
            "
            tierplan: 1
            name: <script>alert('rules')</script>
            columns:
              student_id: [id]
              name: [name]
              section: [section]
            skills:
              columns: rest
            params:
              mastery: 80
            plans:
              look: {label: \"<b>Look</b>\", kind: core, description: \"<i>x</i>\"}
            tree:
              - default: look
                focus: weakest
            ",
        )
        .csv(
            "hostile.csv",
            "
            id,name,section,<img src=x onerror=alert(1)>
            S1,<script>alert(1)</script>,\"\"\"><img src=x onerror=alert(2)>\",50
            S2,\"\"\"><img onerror=alert(3)>\",A&B,90
            ",
        );
    let html = report(&t, &["hostile.csv", "--rules", "rules.yaml"]);
    assert_offline(&html);
    for raw in ["<script", "<img", "<b>Look", "<i>x"] {
        assert!(!html.contains(raw), "`{raw}` is markup in the report");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img onerror=alert(3)&gt;"));
    assert!(html.contains("A&amp;B"));
    assert!(html.contains("<title>Plan: &lt;script&gt;alert('rules')&lt;/script&gt;</title>"));
    assert_eq!(attributes(&html, "data-id"), ["S1", "S2"]);
}

#[test]
fn the_format_follows_the_file_name_and_writes_to_standard_output_too() {
    let t = Test::new().quiz();
    let by_name = report(&t, &["quiz.csv"]);
    let by_format = t.run_with(&["plan", "quiz.csv", "--format", "html"]).stdout;
    assert_eq!(by_name, by_format);
    let htm = t.run_with(&["plan", "quiz.csv", "-f", "htm"]).stdout;
    assert_eq!(htm, by_format);
}

/// Probes of two students: one whose last 4 probes are below the aimline
/// after the intervention changed, one with too few probes.
const PROBES: &str = "
    student_id,name,section,tier,date,score,goal,goal_date,phase
    P1,Ben Okafor,Group A,3,2026-09-07,30,60,2027-01-25,Phonics
    P1,Ben Okafor,Group A,3,2026-09-14,31,60,2027-01-25,Phonics
    P1,Ben Okafor,Group A,3,2026-09-21,31,60,2027-01-25,Phonics
    P1,Ben Okafor,Group A,3,2026-09-28,32,60,2027-01-25,Phonics
    P1,Ben Okafor,Group A,3,2026-10-05,32,60,2027-01-25,Phonics | intensified
    P1,Ben Okafor,Group A,3,2026-10-12,33,60,2027-01-25,Phonics | intensified
    P1,Ben Okafor,Group A,3,2026-10-19,33,60,2027-01-25,Phonics | intensified
    P2,<b>Ana</b>,Group A,2,2026-09-07,40,70,2027-01-25,
    P2,<b>Ana</b>,Group A,2,2026-09-14,42,70,2027-01-25,
    ";

#[test]
fn a_progress_graph_per_student_with_the_run_that_decided_and_the_phase_lines() {
    let t = Test::new().csv("probes.csv", PROBES);
    let html = report(&t, &["probes.csv"]);
    assert_offline(&html);
    assert_eq!(attributes(&html, "data-id"), ["P2", "P1"]);
    assert_eq!(html.matches("<svg class=\"graph\"").count(), 2);
    let ben = &html[html.find("data-id=\"P1\"").unwrap()..];
    let ben = &ben[..ben.find("</div>").unwrap()];
    // Seven probes, the last 6 below the aimline ringed (the run that
    // decided), one phase line where the intervention changed.
    assert_eq!(ben.matches("<circle class=\"probe\"").count(), 7);
    assert_eq!(ben.matches("<circle class=\"ring\"").count(), 6, "{ben}");
    assert_eq!(ben.matches("<line class=\"phase\"").count(), 1);
    assert!(ben.contains(">Phonics / intensified</text>"), "{ben}");
    // The dotted stroke is the line's: on the label it struck the text.
    assert!(html.contains("svg line.phase { stroke: var(--muted);"));
    assert!(!html.contains("svg .phase {"));
    assert!(ben.contains("<line class=\"aim\""));
    assert!(ben.contains("<line class=\"trend\""));
    assert!(ben.contains("<p class=\"decision\">Change the intervention</p>"));
    assert!(ben.contains("<p>Why: the last 6 probes are below the aimline"));
    assert!(ben.contains("<li>Sep 7: 30</li>"));
    // Too few probes: points, no trend decision ringed.
    let ana = &html[html.find("data-id=\"P2\"").unwrap()..];
    let ana = &ana[..ana.find("</div>").unwrap()];
    assert!(ana.contains("&lt;b&gt;Ana&lt;/b&gt;"));
    assert_eq!(ana.matches("<circle class=\"ring\"").count(), 0);
    assert!(ana.contains("<p class=\"decision\">Keep collecting data</p>"));
}

#[test]
fn the_json_plan_lists_every_probe_and_phase() {
    let t = Test::new().csv("probes.csv", PROBES);
    let out = t.run_with(&["plan", "probes.csv", "-f", "json"]).stdout;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ben = &json["students"][0]["progress"];
    assert_eq!(
        ben["probes"][0],
        serde_json::json!({"date": "2026-09-07", "score": 30.0})
    );
    assert_eq!(ben["probes"].as_array().unwrap().len(), 7);
    assert_eq!(
        ben["phases"],
        serde_json::json!([
            {"date": "2026-09-07", "phase": "Phonics"},
            {"date": "2026-10-05", "phase": "Phonics / intensified"},
        ])
    );
}
