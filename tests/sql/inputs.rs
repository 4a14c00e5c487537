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
