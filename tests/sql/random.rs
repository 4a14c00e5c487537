//! Random rules over random classes for the differential tests: trees of
//! up to two levels whose tests mix skills, a screening that is often
//! missing, the student's quantities, `any`/`all`/`count`, the section and
//! arithmetic; `if_missing: match` now and then; `focus: weakest` with and
//! without a test; a whole-class rule on the share below mastery. The
//! classes have empty cells, scores written as `85%` and `7/10`, a season
//! recoded from the file's spellings, a lookup table by section that has
//! no row for some, a screening written `25%`, ties
//! between skills and shares of exactly 0.5 (sections of even size). The
//! reasons are the engine's own or templates with every kind of
//! placeholder; the groups are cut small, among names that tie.

use std::fmt::Write as _;

use crate::util::Lcg;

const ATOMS: [&str; 24] = [
    "A < cut",
    "cut is missing",
    "season == 'BOY'",
    "season in ['MOY', 'eoy']",
    "count(score < screening) >= 1",
    "any(score < screening)",
    "all(score > screening)",
    "A < 60",
    "B >= 80",
    "C == 100",
    "screening <= 25",
    "screening is missing",
    "min_score < mastery",
    "mean_score >= 70",
    "max_score <= 50",
    "count(score < mastery) >= 2",
    "any(score < mastery and not whole_class)",
    "all(score >= 50)",
    "assessed == 0",
    "A + B > 150",
    "A / B > 1",
    "section == 's1'",
    "section in ['S2', 'S3']",
    "not (A is present)",
];

fn test(rng: &mut Lcg, depth: u32) -> String {
    if depth == 0 || rng.chance(40) {
        return (*rng.pick(&ATOMS)).to_owned();
    }
    let (a, b) = (test(rng, depth - 1), test(rng, depth - 1));
    match rng.below(3) {
        0 => format!("({a}) and ({b})"),
        1 => format!("({a}) or ({b})"),
        _ => format!("not ({a})"),
    }
}

/// A branch's lines at `indent`: a test, then a plan (with a focus, and
/// `if_missing: match` sometimes) or, at the top, a sub-tree.
fn branch(rng: &mut Lcg, out: &mut String, indent: &str, nested: bool) {
    let _ = writeln!(out, "{indent}- when: \"{}\"", test(rng, 2));
    if rng.chance(15) {
        let _ = writeln!(out, "{indent}  if_missing: match");
    }
    if !nested && rng.chance(30) {
        let _ = writeln!(out, "{indent}  then:");
        let inner = format!("{indent}    ");
        for _ in 0..1 + rng.below(2) {
            branch(rng, out, &inner, true);
        }
        let _ = writeln!(out, "{inner}- default: {}", rng.pick(&["p1", "p2", "p3"]));
        return;
    }
    let _ = writeln!(
        out,
        "{indent}  plan: {}",
        rng.pick(&["p0", "p1", "p2", "nd"])
    );
    if rng.chance(40) {
        let _ = writeln!(
            out,
            "{indent}  reason: \"{}\"",
            rng.pick(&[
                "{focus} is {focus_score} (screening {screening}, cut {cut})",
                "A {A}, mean {mean_score}, season {season} in {section}",
                "{A / B} and {count(score < mastery)} below",
            ])
        );
    }
    match rng.below(3) {
        0 => {
            let _ = writeln!(out, "{indent}  focus: weakest");
        }
        1 => {
            let _ = writeln!(
                out,
                "{indent}  focus: weakest(score < mastery and not whole_class)"
            );
        }
        _ => {}
    }
}

fn rules(rng: &mut Lcg) -> String {
    let mut out = format!(
        "tierplan: 1\ncolumns:\n  student_id: [student_id]\n  name: {{names: [name], optional: true}}\n  section: {{names: [section], optional: true}}\n  screening: {{names: [screening], optional: true}}\n  season: {{names: [season], optional: true}}\nskills: {{columns: rest}}\nrecode:\n  season: {{Fall: BOY, Winter: MOY, Spring: EOY}}\ntables:\n  cut:\n    keys: [section]\n    no_match: missing\n    rows:\n      - {{section: S1, value: 60}}\n      - {{section: [S2, x], value: 45.5}}\nparams: {{mastery: {}}}\nwhole_class:\n  when: \"share_below >= {}{}\"\n  plan: wc\nplans:\n  wc: {{kind: whole_class_reteach}}\n  p0: {{kind: tier3_intervention, tier: 3}}\n  p1: {{kind: tier2_intervention, tier: 2, group_size: {}}}\n  p2: {{kind: small_group_reteach, group_size: {}}}\n  p3: {{kind: core}}\n  nd: {{kind: no_data}}\ntree:\n",
        rng.pick(&["80", "70", "75.5"]),
        rng.pick(&["0.5", "0.3", "0.7"]),
        rng.pick(&["", " and assessed >= 4", " or mean < 40"]),
        1 + rng.below(3),
        2 + rng.below(4),
    );
    for _ in 0..1 + rng.below(4) {
        branch(rng, &mut out, "  ", false);
    }
    let _ = writeln!(out, "  - default: p3");
    out
}

fn class(rng: &mut Lcg) -> String {
    const SCORES: [&str; 12] = [
        "", "0", "50", "60", "75", "80", "80", "100", "85%", "7/10", "4 / 8", "79.5",
    ];
    let mut out = String::from("student_id,name,section,screening,season,A,B,C\n");
    // Even sections: a share of 0.5 below mastery happens.
    for i in 0..2 * (10 + rng.below(20)) {
        let screening = match rng.below(10) {
            0..=2 => String::new(),
            3 => format!("{}%", 1 + rng.below(99)),
            _ => (1 + rng.below(99)).to_string(),
        };
        let _ = writeln!(
            out,
            "S{i:03},{},{},{screening},{},{},{},{}",
            rng.pick(&["Ann", "Bo", "", "Cy Do", "ann"]),
            rng.pick(&["S1", "S2", "S3", "s1"]),
            rng.pick(&["Fall", " fall ", "WINTER", "Spring", "BOY", "", "summer"]),
            rng.pick(&SCORES),
            rng.pick(&SCORES),
            rng.pick(&SCORES)
        );
    }
    out
}

/// The rules and class of `seed`, the same on every run.
pub(crate) fn case(seed: u64) -> (String, String) {
    let mut rng = Lcg::new(1000 + seed);
    (rules(&mut rng), class(&mut rng))
}
