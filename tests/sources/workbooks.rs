//! Workbooks given as data (`.xlsx`, `.ods`, `.xls`): one sheet read as the
//! CSV saved from it would read, with the same plan; title rows above the
//! header skipped (a Kahoot! report); a cell formatted as a percentage read
//! as the percent it shows; messages that name the sheet, row and cell.
//!
//! No real workbook can be fetched here, so each is written by the test:
//! `.xlsx` with rust_xlsxwriter, `.ods` as the zip of XML the OpenDocument
//! standard describes; the `.xls` once, by a script kept beside it
//! (`tests/data/sources/make_quiz_xls.py`). The Kahoot! layout is the one in
//! `shared/research/domain-anchors.md` 6.4: sheets `Overview`, `Final
//! Scores` (title rows, header on row 3: `Rank`, `Player`, `Total Score
//! (points)`, `Correct Answers`, `Incorrect Answers`) and `Kahoot! Summary`.
//!
//! See: issue 13.

use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::util::{Test, parse_csv, repo};

/// A cell as a teacher typed it.
#[derive(Clone)]
enum Cell {
    Text(&'static str),
    Owned(String),
    Number(f64),
    /// A fraction shown as a percentage (`0.85` shown as `85%`).
    Percent(f64),
    Date(u16, u8, u8),
    Empty,
}

use Cell::{Empty, Number, Percent, Text};

/// An `.xlsx` workbook of these sheets; `merges` are merged ranges
/// `(sheet, first row, first column, last row, last column)` holding the
/// top-left cell's text.
fn xlsx(sheets: &[(&str, Vec<Vec<Cell>>)], merges: &[(usize, u32, u16, u32, u16)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("m/d/yyyy");
    for (s, (name, rows)) in sheets.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Text(t) => {
                        sheet.write_string(r, c, *t).unwrap();
                    }
                    Cell::Owned(t) => {
                        sheet.write_string(r, c, t).unwrap();
                    }
                    Number(n) => {
                        sheet.write_number(r, c, *n).unwrap();
                    }
                    Percent(n) => {
                        sheet.write_number_with_format(r, c, *n, &percent).unwrap();
                    }
                    Cell::Date(y, m, d) => {
                        let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        sheet.write_datetime_with_format(r, c, &day, &date).unwrap();
                    }
                    Empty => {}
                }
            }
        }
        for &(_, r1, c1, r2, c2) in merges.iter().filter(|m| m.0 == s) {
            let text = match &rows[r1 as usize][c1 as usize] {
                Text(t) => t.to_string(),
                Cell::Owned(t) => t.clone(),
                _ => String::new(),
            };
            sheet
                .merge_range(r1, c1, r2, c2, &text, &Format::new())
                .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// The cells of a CSV file, each a number when it reads as one.
fn cells_of(csv: &str) -> Vec<Vec<Cell>> {
    parse_csv(csv, ',')
        .into_iter()
        .map(|line| {
            line.into_iter()
                .map(|cell| match cell.parse::<f64>() {
                    _ if cell.is_empty() => Empty,
                    Ok(n) => Number(n),
                    Err(_) => Cell::Owned(cell),
                })
                .collect()
        })
        .collect()
}

fn quiz_csv() -> String {
    std::fs::read_to_string(repo("examples/quiz.csv")).unwrap()
}

/// The plan of a file as CSV, with every column.
fn plan_csv(name: &str, bytes: &[u8], extra: &[&str]) -> String {
    let mut args = vec!["plan", name, "-f", "csv"];
    args.extend_from_slice(extra);
    Test::new().file(name, bytes).args(&args).run().stdout
}

#[test]
fn the_example_quiz_saved_as_xlsx_gives_the_csv_plan() {
    let csv = quiz_csv();
    let book = xlsx(&[("Quiz", cells_of(&csv))], &[]);
    let from_csv = plan_csv("quiz.csv", csv.as_bytes(), &[]);
    assert!(from_csv.lines().count() > 20, "{from_csv}");
    assert_eq!(plan_csv("quiz.xlsx", &book, &[]), from_csv);
    // The same workbook under another name, or none: found by its bytes.
    assert_eq!(plan_csv("export.dat", &book, &[]), from_csv);
    // The table says the same as the CSV's table.
    let table = |name: &str, bytes: &[u8]| {
        Test::new()
            .file(name, bytes)
            .args(&["plan", name])
            .run()
            .stdout
            .replace(name, "FILE")
    };
    assert_eq!(table("q.xlsx", &book), table("q.csv", csv.as_bytes()));
}

#[test]
fn percentages_and_empty_cells_read_as_the_teacher_typed_them() {
    // NF.1 typed as percentages (0.6 shown as 60%), one empty score: the
    // plan of the CSV that shows 60% and an empty cell.
    let csv = "student_id,name,section,NF.1,NF.2\n\
               S1,Ann,5A,60%,85\n\
               S2,Bo,5A,90%,\n\
               S3,Cy,5A,85.5%,40\n";
    let header = ["student_id", "name", "section", "NF.1", "NF.2"].map(Text);
    let book = xlsx(
        &[(
            "Sheet1",
            vec![
                header.to_vec(),
                vec![
                    Text("S1"),
                    Text("Ann"),
                    Text("5A"),
                    Percent(0.6),
                    Number(85.0),
                ],
                vec![Text("S2"), Text("Bo"), Text("5A"), Percent(0.9), Empty],
                vec![
                    Text("S3"),
                    Text("Cy"),
                    Text("5A"),
                    Percent(0.855),
                    Number(40.0),
                ],
            ],
        )],
        &[],
    );
    let columns = ["--columns", "student_id,focus,focus_score"];
    let from_csv = plan_csv("q.csv", csv.as_bytes(), &columns);
    assert_eq!(
        from_csv,
        "student_id,focus,focus_score\nS1,NF.1,60\nS2,,\nS3,NF.2,40\n"
    );
    assert_eq!(plan_csv("q.xlsx", &book, &columns), from_csv);
}

#[test]
fn dates_typed_as_dates_order_the_probes_as_the_csv_does() {
    let csv = std::fs::read_to_string(repo("examples/progress.csv")).unwrap();
    let rows: Vec<Vec<Cell>> = cells_of(&csv)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match &cell {
                    Cell::Owned(t) if t.len() == 10 && t.as_bytes()[4] == b'-' => {
                        let n = |r: std::ops::Range<usize>| t[r].parse::<u16>().unwrap();
                        Cell::Date(n(0..4), n(5..7) as u8, n(8..10) as u8)
                    }
                    _ => cell,
                })
                .collect()
        })
        .collect();
    let book = xlsx(&[("Probes", rows)], &[]);
    let from_csv = plan_csv("probes.csv", csv.as_bytes(), &["--rules", "progress"]);
    assert!(from_csv.lines().count() > 3, "{from_csv}");
    assert_eq!(
        plan_csv("probes.xlsx", &book, &["--rules", "progress"]),
        from_csv
    );
}

/// A Kahoot! report: `Overview` first, the results on `Final Scores`
/// below a title row merged across the columns and a blank row.
fn kahoot(players: &[(&'static str, f64, f64)]) -> Vec<u8> {
    let mut scores = vec![
        vec![Text("Fractions review"), Empty, Empty, Empty, Empty],
        vec![Empty; 5],
        [
            "Rank",
            "Player",
            "Total Score (points)",
            "Correct Answers",
            "Incorrect Answers",
        ]
        .map(Text)
        .to_vec(),
    ];
    for (rank, &(player, correct, incorrect)) in players.iter().enumerate() {
        scores.push(vec![
            Number(rank as f64 + 1.0),
            Text(player),
            Number(correct * 950.0),
            Number(correct),
            Number(incorrect),
        ]);
    }
    xlsx(
        &[
            (
                "Overview",
                vec![
                    vec![Text("Fractions review")],
                    vec![Text("Played on"), Text("Oct 4, 2026")],
                    vec![Text("Players"), Number(players.len() as f64)],
                ],
            ),
            ("Final Scores", scores),
            (
                "Kahoot! Summary",
                vec![vec![
                    Text("Rank"),
                    Text("Player"),
                    Text("Total Score (points)"),
                ]],
            ),
        ],
        &[(1, 0, 0, 0, 4)],
    )
}

const KAHOOT_PLAYERS: [(&str, f64, f64); 5] = [
    ("ava.m", 9.0, 1.0),
    ("liam", 8.0, 2.0),
    ("jose", 4.0, 6.0),
    ("lan", 10.0, 0.0),
    ("noor", 6.0, 4.0),
];

#[test]
fn a_kahoot_report_is_planned_from_its_final_scores() {
    let book = kahoot(&KAHOOT_PLAYERS);
    // The Final Scores sheet saved as CSV, from its header down.
    let mut csv = "Rank,Player,Total Score (points),Correct Answers,Incorrect Answers\n".to_owned();
    for (rank, (player, correct, incorrect)) in KAHOOT_PLAYERS.iter().enumerate() {
        csv += &format!(
            "{},{player},{},{correct},{incorrect}\n",
            rank + 1,
            correct * 950.0
        );
    }
    let columns = ["--columns", "student_id,plan,focus,focus_score"];
    let from_csv = plan_csv("final.csv", csv.as_bytes(), &columns);
    // Worked out by hand: 9/10 is 90 %, 4/10 is 40 %.
    assert!(
        from_csv.contains("ava.m,") && from_csv.contains(",Kahoot,40"),
        "{from_csv}"
    );
    assert_eq!(plan_csv("kahoot.xlsx", &book, &columns), from_csv);
    assert_eq!(
        plan_csv(
            "kahoot.xlsx",
            &book,
            &[&columns[..], &["--sheet", "final scores"]].concat()
        ),
        from_csv
    );
    // What was read is said: the profile and the columns.
    Test::new()
        .file("kahoot.xlsx", &book)
        .args(&["check", "kahoot.xlsx"])
        .run()
        .assert_stdout_contains(
            "kahoot.xlsx: sheet `Final Scores`, header on row 3; rows 1-2 above it skipped as titles\n\
             kahoot.xlsx: read as Kahoot! report, Final Scores sheet\n",
        );
}

#[test]
fn a_bad_cell_is_named_by_its_sheet_row_and_column() {
    let csv = "student_id,name,NF.1\nS1,Ann,80\nS2,Bo,lots\n";
    let mut rows = vec![vec![Text("Unit 3 quiz")], vec![]];
    rows.extend(cells_of(csv));
    let book = xlsx(&[("Scores", rows)], &[]);
    Test::new()
        .file("q.xlsx", &book)
        .args(&["plan", "q.xlsx"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[bad-score]: `lots` is not a score\n  --> q.xlsx, sheet `Scores`, row 5, column C (cell C5, `NF.1`)\n",
        );
    // Set aside with `--lenient`, the JSON names the same cell.
    let json = Test::new()
        .file("q.xlsx", &book)
        .args(&["plan", "q.xlsx", "--lenient", "-f", "json"])
        .run()
        .stdout;
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let problem = &doc["set_aside"]["problems"][0];
    assert_eq!(
        (&problem["sheet"], &problem["cell"], &problem["line"]),
        (&"Scores".into(), &"C5".into(), &5.into()),
        "{problem}"
    );
    // A header problem names the header's row.
    let book = xlsx(
        &[(
            "Scores",
            vec![
                vec![Text("Unit 3 quiz")],
                ["id", "NF.1", "NF.1"].map(Text).to_vec(),
                vec![Text("S1"), Number(80.0), Number(70.0)],
            ],
        )],
        &[],
    );
    Test::new()
        .file("q.xlsx", &book)
        .args(&["plan", "q.xlsx"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[duplicate-column]: columns 2 and 3 are both headed `NF.1`\n  --> q.xlsx, sheet `Scores`, row 2, column C (cell C2, `NF.1`)\n",
        );
}

#[test]
fn an_unknown_sheet_is_refused_with_the_sheets_it_has() {
    Test::new()
        .file("kahoot.xlsx", kahoot(&KAHOOT_PLAYERS))
        .args(&["plan", "kahoot.xlsx", "--sheet", "Final Score"])
        .status(1)
        .run()
        .assert_stderr(
            "error[no-such-sheet]: `kahoot.xlsx` has no sheet `Final Score`\n  \
             --> kahoot.xlsx\n  \
             = help: did you mean `Final Scores`? its sheets are `Overview`, `Final Scores` and `Kahoot! Summary`\n",
        );
}

#[test]
fn a_formula_in_a_workbook_never_reaches_the_plan_as_one() {
    let book = xlsx(
        &[(
            "Sheet1",
            vec![
                ["student_id", "name", "NF.1"].map(Text).to_vec(),
                vec![
                    Text("S1"),
                    Text("=HYPERLINK(\"http://x.test\",\"Ann\")"),
                    Number(40.0),
                ],
            ],
        )],
        &[],
    );
    let plan = plan_csv("q.xlsx", &book, &["--columns", "student_id,name"]);
    assert_eq!(
        plan,
        "student_id,name\nS1,\"'=HYPERLINK(\"\"http://x.test\"\",\"\"Ann\"\")\"\n"
    );
}

/// An OpenDocument spreadsheet of one sheet: strings and floats.
fn ods(sheet: &str, rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut body = String::new();
    for row in rows {
        body += "<table:table-row>";
        for cell in row {
            body += &match cell {
                Text(t) => format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
                ),
                Cell::Owned(t) => format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
                ),
                Number(n) => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                ),
                _ => "<table:table-cell/>".to_owned(),
            };
        }
        body += "</table:table-row>";
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut bytes = Vec::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", &content),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    bytes
}

#[test]
fn the_example_quiz_as_ods_gives_the_csv_plan() {
    let csv = quiz_csv();
    let book = ods("Quiz", &cells_of(&csv));
    assert_eq!(
        plan_csv("quiz.ods", &book, &[]),
        plan_csv("quiz.csv", csv.as_bytes(), &[])
    );
}

#[test]
fn the_example_quiz_as_xls_gives_the_csv_plan() {
    // Written once by tests/data/sources/make_quiz_xls.py (see its README).
    let book = std::fs::read(repo("tests/data/sources/quiz.xls")).unwrap();
    assert_eq!(
        plan_csv("quiz.xls", &book, &[]),
        plan_csv("quiz.csv", quiz_csv().as_bytes(), &[])
    );
    // `explain` names the student's row in the sheet.
    Test::new()
        .file("quiz.xls", &book)
        .args(&["explain", "quiz.xls", "--student", "S03"])
        .run()
        .assert_stdout_contains("From quiz.xls, sheet `Quiz`, row 4; rules: After a quiz");
}

#[test]
fn a_fraction_where_formats_are_unknown_is_refused() {
    let book = ods(
        "Quiz",
        &[
            ["student_id", "NF.1"].map(Text).to_vec(),
            vec![Text("S1"), Number(0.85)],
        ],
    );
    Test::new()
        .file("quiz.ods", &book)
        .args(&["plan", "quiz.ods"])
        .status(1)
        .run()
        .assert_stderr(
            "error[format-unknown]: cell B2 of sheet `Quiz` holds a number between 0 and 1, and in an OpenDocument spreadsheet (.ods) tierplan cannot see whether it is shown as a percentage (85 % is stored as 0.85)\n  \
             --> quiz.ods\n  \
             = help: save the workbook as .xlsx (File > Save As > Excel Workbook) or as CSV, and give that file\n",
        );
}

#[test]
fn a_damaged_workbook_says_so() {
    // An OLE2 file's signature with nothing after it.
    Test::new()
        .file("grades.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0")
        .args(&["plan", "grades.xls"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[bad-workbook]: `grades.xls` looks like an Office 97-2003 file, but not a workbook tierplan can read",
        )
        .assert_stderr_contains("= help: open it in Excel and save it as .xlsx or CSV");
}

#[test]
fn a_blueprint_typed_in_a_spreadsheet_is_read_from_the_workbook() {
    let data = std::fs::read(repo("tests/data/sources/items.csv")).unwrap();
    let csv = std::fs::read_to_string(repo("tests/data/sources/items-blueprint.csv")).unwrap();
    let book = xlsx(&[("Blueprint", cells_of(&csv))], &[]);
    let t = Test::new()
        .file("items.csv", &data)
        .file("bp.csv", &csv)
        .file("bp.xlsx", &book)
        .file("bp.pdf", b"%PDF-1.7\n".as_slice());
    let from_csv = t.run_with(&["plan", "items.csv", "--blueprint", "bp.csv", "-f", "csv"]);
    assert!(from_csv.stdout.contains("Fractions"), "{}", from_csv.stdout);
    t.run_with(&["plan", "items.csv", "--blueprint", "bp.xlsx", "-f", "csv"])
        .assert_stdout(&from_csv.stdout);
    t.status(1)
        .run_with(&["plan", "items.csv", "--blueprint", "bp.pdf"])
        .assert_stderr_contains(
            "error[not-csv]: `bp.pdf` is not a CSV file: it looks like a PDF document\n",
        );
}

#[test]
fn a_section_merged_down_beside_its_students_is_each_ones_section() {
    let rows = vec![
        ["section", "student_id", "NF.1"].map(Text).to_vec(),
        vec![Text("5A"), Text("S1"), Number(40.0)],
        vec![Empty, Text("S2"), Number(90.0)],
        vec![Text("5B"), Text("S3"), Number(85.0)],
    ];
    let book = xlsx(&[("Quiz", rows)], &[(0, 1, 0, 2, 0)]);
    assert_eq!(
        plan_csv("q.xlsx", &book, &["--columns", "student_id,section"]),
        "student_id,section\nS1,5A\nS2,5A\nS3,5B\n"
    );
}

#[test]
fn a_workbook_the_reader_fails_on_is_an_error_not_a_crash() {
    // Found by the workbook fuzz target: calamine asserts on it.
    let bytes = std::fs::read(repo("tests/data/sources/damaged.xls")).unwrap();
    let out = Test::new()
        .file("grades.xls", &bytes)
        .args(&["plan", "grades.xls"])
        .status(1)
        .run();
    out.assert_stderr_contains(
        "error[bad-workbook]: `grades.xls` looks like an Excel 97-2003 workbook (.xls), and the spreadsheet reader failed on it (",
    )
    .assert_stderr_contains("= help: it may be damaged: open it in its spreadsheet program and save it as .xlsx or CSV");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}
