//! Every student of the input appears exactly once in every output format,
//! whatever the file looks like: several sections, empty cells, duplicate
//! names, quoted names with commas, CRLF, semicolons or tabs, a byte-order
//! mark. Checked on hand-written classes and on generated ones.

use std::fmt::Write as _;

use crate::util::{Lcg, Test, csv_records, markdown_group_names, sorted, table_count};

/// A class as cells, before it is written in some CSV dialect.
struct Class {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Column of the id, the name (if any) and the section (if any).
    id: usize,
    name: Option<usize>,
    section: Option<usize>,
}

/// How a class is written to a file.
#[derive(Debug, Clone, Copy)]
struct Dialect {
    delimiter: char,
    crlf: bool,
    bom: bool,
    quote_all: bool,
    blank_lines: bool,
}

const PLAIN: Dialect = Dialect {
    delimiter: ',',
    crlf: false,
    bom: false,
    quote_all: false,
    blank_lines: false,
};

impl Class {
    fn ids(&self) -> Vec<String> {
        self.rows.iter().map(|r| r[self.id].clone()).collect()
    }

    /// The name each student is shown under: the name, or the id without one.
    fn shown_names(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| match self.name.map(|c| r[c].as_str()) {
                Some(name) if !name.is_empty() => name.to_owned(),
                _ => r[self.id].clone(),
            })
            .collect()
    }

    fn sections(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| self.section.map_or(String::new(), |c| r[c].clone()))
            .collect()
    }

    fn write(&self, d: Dialect) -> Vec<u8> {
        let end = if d.crlf { "\r\n" } else { "\n" };
        let field = |s: &str| {
            let needs = s.contains(d.delimiter) || s.contains('"') || s.contains('\n');
            if needs || d.quote_all {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        };
        let line = |cells: &[String]| {
            let fields: Vec<String> = cells.iter().map(|c| field(c)).collect();
            fields.join(&d.delimiter.to_string()) + end
        };
        let mut out = String::new();
        if d.bom {
            out.push('\u{feff}');
        }
        out.push_str(&line(&self.header));
        for (i, row) in self.rows.iter().enumerate() {
            if d.blank_lines && i % 3 == 1 {
                out.push_str(end);
            }
            out.push_str(&line(row));
        }
        if d.blank_lines {
            out.push_str(end);
        }
        out.into_bytes()
    }
}

/// Run the class through csv, json, markdown and table, and check that each
/// student is there exactly once.
fn assert_every_student_once(class: &Class, d: Dialect, what: &str) {
    let t = Test::new().file("class.csv", class.write(d));
    let ids = class.ids();
    let names = class.shown_names();
    let sections = class.sections();
    let n = ids.len();
    let context = format!("{what} ({d:?})");

    let csv = t.run_with(&[
        "plan",
        "class.csv",
        "--format",
        "csv",
        "--columns",
        "student_id,name,section,plan",
    ]);
    let rows = csv_records(&csv.stdout, &["student_id", "name", "section", "plan"]);
    let got: Vec<[String; 3]> = rows
        .iter()
        .map(|r| [r[0].clone(), r[1].clone(), r[2].clone()])
        .collect();
    let expected: Vec<[String; 3]> = (0..n)
        .map(|i| [ids[i].clone(), names[i].clone(), sections[i].clone()])
        .collect();
    assert_eq!(got, expected, "csv rows, in input order: {context}");

    let json = t.run_with(&["plan", "class.csv", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "json output does not parse ({e}): {context}\n{}",
            json.stdout
        )
    });
    let students = doc["students"].as_array().expect("students");
    let got: Vec<&str> = students
        .iter()
        .map(|s| s["student_id"].as_str().expect("an id"))
        .collect();
    assert_eq!(got, ids, "json students, in input order: {context}");
    assert_eq!(doc["students_total"], n, "students_total: {context}");
    let sections_json = doc["sections"].as_array().expect("sections");
    let in_sections: u64 = sections_json
        .iter()
        .map(|s| s["students"].as_u64().expect("a count"))
        .sum();
    assert_eq!(
        in_sections, n as u64,
        "students over the sections: {context}"
    );
    let in_tiers: u64 = sections_json
        .iter()
        .flat_map(|s| {
            let tiers = &s["tiers"];
            ["tier1", "tier2", "tier3", "no_tier"].map(|k| tiers[k].as_u64().expect("a count"))
        })
        .sum();
    assert_eq!(in_tiers, n as u64, "students over the tiers: {context}");

    let markdown = t.run_with(&["plan", "class.csv", "--format", "markdown"]);
    assert_eq!(
        sorted(&markdown_group_names(&markdown.stdout)),
        sorted(&names),
        "names in the markdown groups: {context}\n{}",
        markdown.stdout
    );

    let table = t.run_with(&["plan", "class.csv"]);
    let in_headings = table_count(&table.stdout);
    assert_eq!(
        in_headings, n,
        "students over the table's sections: {context}"
    );
}

fn class(header: &[&str], rows: &[&[&str]]) -> Class {
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    Class {
        id: find(&["student_id", "Student ID", "id"]).expect("an id column"),
        name: find(&["name", "Student Name"]),
        section: find(&["section", "Period"]),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect(),
        header,
    }
}

/// A class with what real exports have: several sections, empty cells,
/// duplicate names, names with commas, quotes and accents, no name at all.
fn messy() -> Class {
    class(
        &[
            "Student ID",
            "Student Name",
            "Period",
            "Screening Percentile",
            "NF.1",
            "NF.2",
            "OA.1",
            "Email",
        ],
        &[
            &[
                "1001",
                "Chen, Mei",
                "2",
                "",
                "85",
                "90%",
                "7/10",
                "mei@school.org",
            ],
            &["1002", "Bob Ray", "1", "8", "40", "", "", ""],
            &["1003", "Bob Ray", "2", "", "", "", "", ""],
            &["1004", "O'Brien, Liam", "1", "22", "7 / 10", "55", "95", ""],
            &[
                "1005",
                "José \"Pepe\" Álvarez",
                "3",
                "",
                "60",
                "60",
                "60",
                "",
            ],
            &["1006", "", "3", "50", "100", "100", "100", ""],
            &["1007", "Nguyễn Thị Lan", "", "", "79", "81", "", ""],
            &["1008", "Ann Lee", "1", "15", "", "62.5", "0", ""],
            &["1009", "Bob Ray", "1", "", "90", "90", "90", ""],
            &["1010", "Mia Anderson", "2", "95", "10", "20", "30", ""],
            &["1011", "Kai", "2", "", "85", "85", "85", ""],
            &[
                "1012",
                "Zoë Wright, Jr.",
                "3",
                "5",
                "50%",
                "5/10",
                "0/10",
                "",
            ],
        ],
    )
}

#[test]
fn every_student_once_in_a_plain_file() {
    assert_every_student_once(&messy(), PLAIN, "messy class");
}

#[test]
fn every_student_once_with_crlf_line_ends() {
    let d = Dialect {
        crlf: true,
        ..PLAIN
    };
    assert_every_student_once(&messy(), d, "messy class");
}

#[test]
fn every_student_once_with_semicolons() {
    let d = Dialect {
        delimiter: ';',
        ..PLAIN
    };
    assert_every_student_once(&messy(), d, "messy class");
}

#[test]
fn every_student_once_with_tabs() {
    let d = Dialect {
        delimiter: '\t',
        ..PLAIN
    };
    assert_every_student_once(&messy(), d, "messy class");
}

#[test]
fn every_student_once_with_a_byte_order_mark() {
    let d = Dialect { bom: true, ..PLAIN };
    assert_every_student_once(&messy(), d, "messy class");
}

#[test]
fn every_student_once_with_every_field_quoted_and_blank_lines() {
    let d = Dialect {
        quote_all: true,
        blank_lines: true,
        crlf: true,
        bom: true,
        delimiter: ';',
    };
    assert_every_student_once(&messy(), d, "messy class");
}

#[test]
fn every_student_once_without_names_or_sections() {
    let c = class(&["id", "A"], &[&["S1", "50"], &["S2", ""], &["S3", "100"]]);
    assert_every_student_once(&c, PLAIN, "ids and one skill");
}

#[test]
fn every_student_once_in_a_large_group_split_by_group_size() {
    // Eleven Tier 2 students: groups of at most 5, split 4, 4, 3.
    let rows: Vec<Vec<String>> = (1..=11)
        .map(|i| {
            vec![
                format!("S{i}"),
                format!("Student {i}"),
                "20".to_owned(),
                format!("{}", 30 + i),
            ]
        })
        .collect();
    let c = Class {
        header: ["id", "name", "screening", "A"].map(str::to_owned).to_vec(),
        rows,
        id: 0,
        name: Some(1),
        section: None,
    };
    assert_every_student_once(&c, PLAIN, "eleven in Tier 2");
    let t = Test::new().file("class.csv", c.write(PLAIN));
    t.run_with(&["plan", "class.csv", "-f", "markdown"])
        .assert_stdout_contains(
            "| Tier 2 small-group intervention, group 1 of 3 | A | every 2 weeks | 4 | ",
        )
        .assert_stdout_contains(
            "| Tier 2 small-group intervention, group 3 of 3 | A | every 2 weeks | 3 | ",
        );
}

const FIRST: [&str; 10] = [
    "Ava", "Liam", "José", "Mei", "Noah", "Zoë", "Kai", "Amara", "Ola", "Bo",
];
const LAST: [&str; 8] = [
    "Martinez", "O'Brien", "Chen", "Nguyễn", "Smith", "Álvarez", "Lee", "Okafor",
];
const SKILLS: [&str; 8] = [
    "NBT.1", "NBT.2", "NF.1", "NF.2", "OA.1", "MD.1", "RL.3", "W 2",
];

/// A random class for the default rules: random headers (from the rules'
/// aliases), column order, sections, names, score notations and empty
/// cells, and a random CSV dialect.
fn random_class(rng: &mut Lcg, number: usize) -> (Class, Dialect) {
    let mut columns: Vec<(&str, String)> = vec![(
        "id",
        rng.pick(&["student_id", "Student ID", "id", "SIS ID"])
            .to_string(),
    )];
    if rng.chance(85) {
        columns.push((
            "name",
            rng.pick(&["name", "Student Name", "Full Name"]).to_string(),
        ));
    }
    if rng.chance(75) {
        columns.push((
            "section",
            rng.pick(&["section", "Period", "class", "Homeroom"])
                .to_string(),
        ));
    }
    if rng.chance(60) {
        columns.push((
            "screening",
            rng.pick(&["screening_pctl", "Screening Percentile", "percentile"])
                .to_string(),
        ));
    }
    let skills = rng.below(7) as usize;
    for skill in &SKILLS[..skills] {
        columns.push(("skill", (*skill).to_owned()));
    }
    if rng.chance(30) {
        columns.push((
            "ignored",
            rng.pick(&["Email", "Total", "Teacher"]).to_string(),
        ));
    }
    // Shuffle: columns are found by name, never by position.
    for i in (1..columns.len()).rev() {
        let j = rng.below(i as u32 + 1) as usize;
        columns.swap(i, j);
    }
    let sections = ["5A", "5B", "6C", "", "Room 12"];
    let students = 1 + rng.below(60) as usize;
    let mut rows = Vec::with_capacity(students);
    for i in 0..students {
        let row = columns
            .iter()
            .map(|(kind, _)| match *kind {
                "id" => format!("G{number}-{i:03}"),
                "name" => match rng.below(10) {
                    0 => String::new(),
                    1..=3 => format!("{}, {}", rng.pick(&LAST), rng.pick(&FIRST)),
                    4 => format!(
                        "{} \"{}\" {}",
                        rng.pick(&FIRST),
                        rng.pick(&FIRST),
                        rng.pick(&LAST)
                    ),
                    _ => format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST)),
                },
                "section" => rng.pick(&sections).to_string(),
                "screening" if rng.chance(50) => String::new(),
                "screening" => (1 + rng.below(99)).to_string(),
                "skill" => {
                    let score = rng.below(101);
                    match rng.below(8) {
                        0 => String::new(),
                        1 => format!("{score}%"),
                        2 => format!("{}/10", score / 10),
                        3 => format!("{} / 20", score / 5),
                        4 => format!("{score}.5").replace("100.5", "99.5"),
                        _ => score.to_string(),
                    }
                }
                _ => "x".to_owned(),
            })
            .collect();
        rows.push(row);
    }
    let find = |k: &str| columns.iter().position(|(kind, _)| *kind == k);
    let class = Class {
        id: find("id").expect("an id column"),
        name: find("name"),
        section: find("section"),
        header: columns.iter().map(|(_, h)| h.clone()).collect(),
        rows,
    };
    let dialect = Dialect {
        delimiter: *rng.pick(&[',', ',', ';', '\t']),
        crlf: rng.chance(40),
        bom: rng.chance(25),
        quote_all: rng.chance(20),
        blank_lines: rng.chance(20),
    };
    (class, dialect)
}

#[test]
fn every_student_once_in_generated_classes() {
    let mut rng = Lcg::new(2024);
    for number in 0..20 {
        let (class, dialect) = random_class(&mut rng, number);
        let mut what = format!("generated class {number}: header");
        for h in &class.header {
            let _ = write!(what, " {h:?}");
        }
        assert_every_student_once(&class, dialect, &what);
    }
}
