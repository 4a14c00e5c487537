//! The inputs the engines run besides the example class and random rules:
//! vendor-shaped classes for the shipped rule sets and a B1-shaped class.

use std::fmt::Write as _;

use crate::util::Lcg;

/// A DIBELS 8 composite export for the shipped `dibels8-composite` rules:
/// its cut table by grade and window (kindergarten's rows only, so other
/// grades have no row), the windows as the vendor spells them (recoded),
/// composites on and around the cuts, some missing.
pub(crate) fn dibels() -> String {
    let mut rng = Lcg::new(8);
    let mut out = String::from("student_id,name,section,grade,term,composite\n");
    for i in 0..300 {
        let _ = writeln!(
            out,
            "D{i:03},Kid {i},{},{},{},{}",
            rng.pick(&["KA", "KB"]),
            rng.pick(&["K", "KG", "0", "00", "Kindergarten", "1", ""]),
            rng.pick(&[
                "Fall",
                "Beginning of Year",
                "Winter",
                "MOY",
                "End",
                "spring",
                ""
            ]),
            rng.pick(&[
                "", "279", "280", "305.5", "306", "331", "332", "356", "371", "392", "393", "420",
                "449", "450"
            ])
        );
    }
    out
}

/// A B1-shaped class (the benchmark's columns, `examples/bench`): sections
/// of 20 to 32 students, skills scored out of 4 to 6 items (coarse scores,
/// many ties), a section-skill pair now and then mostly missed (shares
/// near and at 0.5), a few empty cells and screenings, names with commas
/// and quotes.
pub(crate) fn b1(students: usize) -> String {
    const SKILLS: [&str; 8] = [
        "NBT.1", "NBT.2", "NF.1", "NF.2", "OA.1", "OA.2", "MD.1", "G.1",
    ];
    let mut rng = Lcg::new(1);
    let mut out = format!(
        "student_id,name,school,section,grade,screening_pctl,score,{}\n",
        SKILLS.join(",")
    );
    let mut made = 0;
    let mut section = 0;
    while made < students {
        section += 1;
        let size = 20 + rng.below(13) as usize;
        let hard: Vec<bool> = SKILLS.iter().map(|_| rng.chance(16)).collect();
        let items: Vec<u32> = SKILLS.iter().map(|_| 4 + rng.below(3)).collect();
        for _ in 0..size.min(students - made) {
            made += 1;
            let screening = if rng.chance(8) {
                String::new()
            } else {
                (1 + rng.below(99)).to_string()
            };
            let _ = write!(
                out,
                "S{made:07},\"{}, \"\"Kid\"\" {made}\",SCH{:04},SCH{:04}-{section},{},{screening},,",
                rng.pick(&["García", "O'Neil", "Nguyễn", "Smith"]),
                section / 20,
                section / 20,
                3 + section % 3
            );
            let absent = rng.chance(1);
            for (skill, (&hard, &n)) in hard.iter().zip(&items).enumerate() {
                let sep = if skill + 1 == SKILLS.len() { "\n" } else { "," };
                if absent || rng.chance(2) {
                    out.push_str(sep);
                    continue;
                }
                let p = if hard { 35 } else { 80 };
                let right = (0..n).filter(|_| rng.chance(p)).count() as u32;
                let _ = write!(out, "{}{sep}", (right * 100 + n / 2) / n);
            }
        }
    }
    out
}

/// A class in the shape the vendor profiles give the shipped rule sets
/// (`student_id, name, section, grade, screening, placement`, then
/// skills): placements drawn from the texts the rules compare with, and
/// one they do not name, screenings on and around every cut, some cells
/// empty.
pub(crate) fn shaped(rules: &str, seed: u64) -> String {
    let mut placements: Vec<&str> = rules
        .lines()
        .filter(|line| line.contains("when:"))
        .flat_map(|line| line.split('\'').skip(1).step_by(2))
        .collect();
    placements.extend(["", "Not A Level"]);
    let mut rng = Lcg::new(seed);
    let mut out =
        String::from("student_id,name,section,grade,screening,placement,Phonics,Vocabulary\n");
    for i in 0..400 {
        let score = |rng: &mut Lcg| {
            if rng.chance(8) {
                String::new()
            } else {
                (rng.below(21) * 5).to_string()
            }
        };
        let screening = if rng.chance(10) {
            String::new()
        } else {
            (rng.below(99) + 1).to_string()
        };
        let (phonics, vocabulary) = (score(&mut rng), score(&mut rng));
        let _ = writeln!(
            out,
            "V{i:03},Kid {i},{},{},{screening},{},{phonics},{vocabulary}",
            rng.pick(&["3A", "3B", "4A"]),
            rng.pick(&["3", "4", ""]),
            rng.pick(&placements),
        );
    }
    out
}

/// `csv` without the columns `names`.
pub(crate) fn without(csv: &str, names: &[&str]) -> String {
    let rows: Vec<Vec<String>> = crate::util::parse_csv(csv, ',');
    let keep: Vec<usize> = (0..rows[0].len())
        .filter(|&c| !names.contains(&rows[0][c].as_str()))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<&str> = keep.iter().map(|&c| row[c].as_str()).collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}

/// Progress-monitoring probes for the shipped progress rules: students of
/// two measures and three tiers, probed every one to three
/// weeks from a start date (some dates month first), with a goal each
/// (its date in either form); some have a baseline of several probes on
/// the first date, some a probe repeated with the same score, some probes
/// exactly on the aimline, some only empty scores. The query stops where
/// file order would decide (`sql::progress`): these never need it.
pub(crate) fn probes(seed: u64) -> String {
    let mut rng = Lcg::new(seed);
    let mut out = String::from("student_id,name,section,tier,measure,date,score,goal,goal_date\n");
    let date = |day: i64, us: bool| {
        // 2026-09-07 is a Monday; days after it, within one school year.
        let (mut m, mut d) = (9, 7 + day);
        for len in [30, 31, 30, 31, 31, 28, 31, 30, 31, 30] {
            if d <= len {
                break;
            }
            d -= len;
            m += 1;
        }
        let y = if m > 12 { 2027 } else { 2026 };
        let m = if m > 12 { m - 12 } else { m };
        if us {
            format!("{m}/{d}/{y}")
        } else {
            format!("{y}-{m:02}-{d:02}")
        }
    };
    for i in 0..120 {
        let measure = rng.pick(&["ORF", "MAZE"]);
        let tier = rng.pick(&["2", "3", "3", "1", ""]);
        let section = rng.pick(&["Group A", "Group B"]);
        let n = rng.below(14) as usize;
        let baseline = 20 + rng.below(40) as i64;
        // A goal `rate` a week for `weeks` weeks: the aimline is a whole
        // number on every week, so some probes fall exactly on it.
        // Some goals are due on the first date: the aimline is the goal.
        let weeks = if rng.chance(5) {
            0
        } else {
            10 + rng.below(10) as i64
        };
        let rate = 1 + rng.below(2) as i64;
        let goal = baseline + rate * weeks;
        let goal_date = date(7 * weeks, rng.below(2) == 0);
        let mut day = 0;
        let first = if n >= 9 { 1 + rng.below(3) as usize } else { 1 };
        let mut rows: Vec<(i64, String)> = Vec::new();
        for k in 0..n.max(1) {
            let score = if n == 0 {
                String::new()
            } else if i % 17 == 0 {
                // One date: the same score, or the latest would be ambiguous.
                baseline.to_string()
            } else if k < first {
                (baseline - 2 + rng.below(5) as i64).to_string()
            } else {
                let on_line = baseline + rate * day / 7;
                (on_line - 3 + rng.below(7) as i64).to_string()
            };
            rows.push((day, score.clone()));
            if k + 1 >= first {
                if k >= first && rng.below(8) == 0 {
                    rows.push((day, score));
                }
                // Some students are probed on one date only.
                if i % 17 != 0 {
                    day += 7 * (1 + rng.below(3) as i64);
                }
            }
        }
        // The rows in an order of their own: a table has none.
        for _ in 0..rows.len() {
            let len = rows.len() as u32;
            let (a, b) = (rng.below(len), rng.below(len));
            rows.swap(a as usize, b as usize);
        }
        for (day, score) in rows {
            let _ = writeln!(
                out,
                "P{i:03},Pupil {i},{section},{tier},{measure},{},{score},{goal},{goal_date}",
                date(day, rng.below(3) == 0)
            );
        }
    }
    out
}
