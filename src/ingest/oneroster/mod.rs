//! OneRoster 1.1 CSV bundles: a folder or a `.zip` holding `manifest.csv`,
//! `users.csv`, `enrollments.csv`, `lineItems.csv`, `results.csv` and, when
//! the system exports them, `classes.csv` and `categories.csv`.
//!
//! The bundle becomes one wide [`StudentTable`]: a row per student of `users.csv`
//! (role `student`) and class they are enrolled in and have results in (a
//! student in two classes is planned in each, with that class's results;
//! with results in none, one row in their first class), the section being
//! the class, and a column per line item or per grading category holding
//! the student's result as a percent of the line item's
//! `resultValueMin`..`resultValueMax`.
//! Every column is read by its header name, never by position; every problem
//! names the file inside the bundle (`bundle/results.csv`,
//! `bundle.zip:bundle/results.csv`), its line and column.
//!
//! [`read_bundle`] reads it in this order, a file each:
//! [`container`] (the folder or zip and its limits) → [`manifest`]
//! (`manifest.csv`, and opening each file with what it declares) →
//! [`records`] (users, enrollments, classes, categories, line items, each
//! through [`sheet`], the columns-by-name layer over the crate's CSV reader)
//! → [`results`] (the scores) → [`assemble`] (skills and sections).

mod assemble;
mod container;
mod manifest;
mod records;
mod results;
mod sheet;

use std::path::Path;

pub(crate) use container::is_bundle;

use self::assemble::{sections, skills, student_rows};
use self::container::Bundle;
use self::manifest::read_manifest;
use self::records::{
    choose_students, read_categories, read_classes, read_enrollments, read_line_items, read_users,
};
use self::results::read_results;
use super::table::StudentTable;
use crate::error::Result;

/// How results become skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SkillsFrom {
    /// One skill per line item (an assignment or a test), named by its
    /// title.
    #[default]
    LineItem,
    /// One skill per grading category; the score is the points-weighted
    /// percent over the category's line items.
    Category,
}

/// Errors gathered from one file before stopping.
const MAX_PROBLEMS: usize = 20;

/// Notes of one kind (students in several classes, …) before a summary.
const MAX_NOTES: usize = 10;

/// The header of the table, before the skills.
const FIELDS: [&str; 4] = ["student_id", "name", "section", "grade"];

/// What to do about a bundle with more skills than a table has columns.
const TOO_MANY_SKILLS_HELP: &str = "plan the bundle by grading category (`skills: {group_by: \
                                    category}` in the rules), or export a bundle per school or \
                                    class and plan each";

/// The same, when the skills are categories already.
const TOO_MANY_CATEGORIES_HELP: &str = "export a bundle per school or class and plan each";

/// Read a bundle (folder or .zip) into one wide table: one row per student.
pub(crate) fn read_bundle(path: &Path, group_by: SkillsFrom) -> Result<StudentTable> {
    let mut bundle = Bundle::open(path)?;
    let mut notes = Vec::new();
    let manifest = read_manifest(&mut bundle, &mut notes)?;
    let users = read_users(&mut bundle, &manifest, &mut notes)?;
    let enrollments = read_enrollments(&mut bundle, &manifest, &mut notes)?;
    let classes = read_classes(&mut bundle, &manifest, &mut notes)?;
    let categories = read_categories(&mut bundle, &manifest, &mut notes, group_by)?;
    let items = read_line_items(&mut bundle, &manifest, &mut notes)?;
    let students = choose_students(users, &enrollments, &mut notes)?;
    let mut table = empty_table(&bundle.given, path, group_by);
    // The skills are known from the line items: a bundle with more than a
    // table's columns is refused before its results are read (issue 12).
    let mut skill_notes = Vec::new();
    let skills = skills(&items, &categories, group_by, &mut skill_notes);
    let (what, help) = match group_by {
        SkillsFrom::LineItem => ("line items", TOO_MANY_SKILLS_HELP),
        SkillsFrom::Category => ("grading categories", TOO_MANY_CATEGORIES_HELP),
    };
    table.room_for(skills.len(), what, help)?;
    let scores = read_results(&mut bundle, &manifest, &mut notes, &students, &items)?;
    notes.append(&mut skill_notes);
    let sections = sections(
        &students,
        &enrollments,
        &classes,
        &items,
        &scores,
        &mut notes,
    );
    for skill in &skills {
        table.column(&skill.name, None)?;
    }
    student_rows(&mut table, &students, &sections, &items, &skills, &scores);
    table.notes = notes;
    Ok(table)
}

/// The table before its skills: its fields, and what `check` says read it.
fn empty_table(file: &str, path: &Path, group_by: SkillsFrom) -> StudentTable {
    let mut table = StudentTable {
        file: file.to_owned(),
        path: Some(path.to_owned()),
        profile: Some(
            match group_by {
                SkillsFrom::LineItem => "OneRoster 1.1 CSV bundle, a skill per line item",
                SkillsFrom::Category => "OneRoster 1.1 CSV bundle, a skill per category",
            }
            .to_owned(),
        ),
        recognised: [
            ("student_id", "users.csv identifier, else sourcedId"),
            ("name", "users.csv givenName + familyName"),
            ("section", "classes.csv title of the enrollments.csv class"),
            ("grade", "users.csv grades"),
        ]
        .into_iter()
        .map(|(field, from)| (field.to_owned(), from.to_owned()))
        .collect(),
        fields: FIELDS.len(),
        ..StudentTable::default()
    };
    for field in FIELDS {
        table.header.push(field.to_owned());
        table.sources.push(None);
    }
    table
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::fs::File;
    use std::path::PathBuf;

    use super::assemble::unique_names;
    use super::results::{Score, percent, skill_score};
    use super::*;
    use crate::condition::format_number;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::error::Error;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/oneroster")
            .join(name)
    }

    /// A copy of the fixture folder, with files replaced (`Some`) or
    /// removed (`None`).
    fn bundle_with(changes: &[(&str, Option<&str>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(fixture("bundle")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        for (name, content) in changes {
            let path = dir.path().join(name);
            match content {
                Some(text) => std::fs::write(path, text).unwrap(),
                None => std::fs::remove_file(path).unwrap(),
            }
        }
        dir
    }

    fn problem(result: Result<StudentTable>) -> Diagnostic {
        match result {
            Err(Error::Problems(ds)) => ds.into_iter().next().unwrap(),
            Err(e) => panic!("not a problem: {e}"),
            Ok(_) => panic!("read without an error"),
        }
    }

    /// The cell of `student` under `column`.
    fn cell<'a>(table: &'a StudentTable, student: &str, column: &str) -> &'a str {
        let c = table.header.iter().position(|h| h == column).unwrap();
        let row = (0..table.len())
            .find(|&r| table.cell(r, 0) == student)
            .unwrap();
        table.cell(row, c)
    }

    const LINE_ITEMS: &str = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax\n";
    const RESULTS: &str = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\n";

    #[test]
    fn percents_are_of_the_range_and_written_briefly() {
        assert_eq!(percent(8.5, 0.0, 10.0), 85.0);
        assert_eq!(percent(15.0, 0.0, 20.0), 75.0);
        assert!((percent(3.0, 1.0, 4.0) - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(format_number(percent(3.0, 1.0, 4.0)), "66.6667");
        assert_eq!(format_number(percent(0.0, 0.0, 3.0)), "0");
        let scores = HashMap::from([
            (
                0,
                Score {
                    points: 8.0,
                    range: 10.0,
                },
            ),
            (
                2,
                Score {
                    points: 12.0,
                    range: 20.0,
                },
            ),
        ]);
        // Points-weighted: 20 of 30, not the mean of 80% and 60%.
        let weighted = skill_score(&scores, &[0, 1, 2]).unwrap();
        assert!((weighted - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(skill_score(&scores, &[1]), None);
    }

    #[test]
    fn reads_the_folder_one_skill_per_line_item() {
        let table = read_bundle(&fixture("bundle"), SkillsFrom::LineItem).unwrap();
        assert_eq!(
            table.header,
            [
                "student_id",
                "name",
                "section",
                "grade",
                "Fractions Quiz 1 (li-001)",
                "Fractions Quiz 2",
                "Measurement Check",
                "Measurement Unit Test",
                "Fractions Quiz 1 (li-005)",
                "Measurement Project",
            ]
        );
        assert_eq!(table.file, fixture("bundle").display().to_string());
        assert_eq!(table.sources.len(), table.header.len());
        // Eight students, in users.csv order; teachers and the user to be
        // deleted are not students.
        let ids: Vec<&str> = (0..table.len()).map(|r| table.cell(r, 0)).collect();
        assert_eq!(
            ids,
            [
                "100231", "100232", "100233", "100234", "100235", "100236", "100237", "usr-s08"
            ]
        );
        let first = table.row(0);
        assert_eq!(first[1], "Ava Martinez");
        assert_eq!(first[2], "Grade 4 Math - Room 12");
        assert_eq!(first[3], "04");
        assert_eq!(table.lines[0], 4);
        assert_eq!(cell(&table, "100231", "Fractions Quiz 1 (li-001)"), "85");
        assert_eq!(cell(&table, "100231", "Measurement Unit Test"), "75");
        // Exempt and not submitted are empty, not 0.
        assert_eq!(cell(&table, "100233", "Fractions Quiz 2"), "");
        assert_eq!(cell(&table, "100237", "Measurement Project"), "");
        // A rubric from 1 to 4: 3 is two thirds of the way.
        assert_eq!(cell(&table, "100236", "Measurement Project"), "66.6667");
        // A list of grades gives the first.
        assert_eq!(cell(&table, "100236", "grade"), "04");
        // Enrolled in both classes, with results in the first.
        assert_eq!(cell(&table, "100235", "section"), "Grade 4 Math - Room 12");
        // No results: still there, every skill empty.
        let last = table.row(table.len() - 1);
        assert_eq!(last[1], "Noah Kim");
        assert_eq!(last[2], "Grade 4/5 Math - Room 14");
        assert!(last[4..].iter().all(String::is_empty));
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["not-scored"], "{:?}", table.notes);
        assert!(table.notes[0].message.starts_with("2 results"));
    }

    #[test]
    fn the_zip_reads_like_the_folder() {
        for group_by in [SkillsFrom::LineItem, SkillsFrom::Category] {
            let folder = read_bundle(&fixture("bundle"), group_by).unwrap();
            let zipped = read_bundle(&fixture("bundle.zip"), group_by).unwrap();
            assert_eq!(folder.header, zipped.header);
            let cells = |t: &StudentTable| (0..t.len()).map(|r| t.row(r)).collect::<Vec<_>>();
            assert_eq!(cells(&folder), cells(&zipped));
            assert_eq!(folder.lines, zipped.lines);
        }
        assert!(is_bundle(&fixture("bundle")));
        assert!(is_bundle(&fixture("bundle.zip")));
        assert!(!is_bundle(&fixture("README.md")));
        assert!(!is_bundle(&fixture("")));
        assert!(!is_bundle(&fixture("missing.zip")));
    }

    #[test]
    fn groups_by_category_weighting_by_points() {
        let table = read_bundle(&fixture("bundle"), SkillsFrom::Category).unwrap();
        assert_eq!(
            table.header,
            [
                "student_id",
                "name",
                "section",
                "grade",
                "Fractions",
                "Measurement"
            ]
        );
        // Ava: fractions 8.5/10 and 9/10; measurement 7/10 and 15/20.
        assert_eq!(cell(&table, "100231", "Fractions"), "87.5");
        assert_eq!(cell(&table, "100231", "Measurement"), "73.3333");
        // Exempt leaves the item out of the sum: 6/10 only.
        assert_eq!(cell(&table, "100233", "Fractions"), "60");
        assert_eq!(cell(&table, "100233", "Measurement"), "86.6667");
        assert_eq!(cell(&table, "100236", "Measurement"), "66.6667");
        assert_eq!(cell(&table, "100237", "Fractions"), "40");
        // Class B: its own line items land in the same categories.
        assert_eq!(cell(&table, "100236", "Fractions"), "70");
        assert_eq!(cell(&table, "100237", "Measurement"), "");
        assert_eq!(cell(&table, "usr-s08", "Fractions"), "");
    }

    #[test]
    fn status_and_score_status_leave_rows_out() {
        let dir = bundle_with(&[
            (
                "lineItems.csv",
                Some(&format!(
                    "{LINE_ITEMS}li-1,active,,Quiz,,,,cls-001,cat-frac,,0,10\n\
                     li-2,tobedeleted,,Old,,,,cls-001,cat-frac,,0,10\n"
                )),
            ),
            (
                "results.csv",
                Some(&format!(
                    "{RESULTS}r1,,,li-1,usr-s01,fully graded,9,,\n\
                     r2,tobedeleted,,li-1,usr-s02,fully graded,99,,\n\
                     r3,,,li-1,usr-s03,EXEMPT,,,\n\
                     r4,,,li-1,usr-s04,Not Submitted,0,,\n\
                     r5,,,li-2,usr-s05,fully graded,5,,\n\
                     r6,,,li-1,usr-s09,fully graded,5,,\n\
                     r7,,,li-1,usr-t01,fully graded,5,,\n"
                )),
            ),
        ]);
        let table = read_bundle(dir.path(), SkillsFrom::LineItem).unwrap();
        assert_eq!(table.header[4..], ["Quiz"]);
        let quiz: Vec<&str> = (0..table.len()).map(|r| table.cell(r, 4)).collect();
        assert_eq!(quiz, ["90", "", "", "", "", "", "", ""]);
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code.as_str()).collect();
        // Mia, in both classes, now has no results to choose by.
        assert_eq!(codes, ["not-scored", "not-a-student", "several-classes"]);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!(
                "{RESULTS}r1,,,li-001,usr-s01,fully graded,9,,\nr2,,,li-004,usr-s01,fully graded,21,,\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::ScoreOutOfRange);
        let at = d.location.unwrap();
        assert_eq!(
            at.file,
            dir.path().join("results.csv").display().to_string()
        );
        assert_eq!((at.line, at.column), (Some(3), Some(7)));
        assert_eq!(at.column_name.as_deref(), Some("score"));
        assert!(d.help.is_some());

        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!("{RESULTS}r1,,,li-001,usr-s99,fully graded,9,,\n")),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::UnknownStudent);
        let at = d.location.unwrap();
        assert_eq!((at.line, at.column), (Some(2), Some(5)));

        let dir = bundle_with(&[(
            "lineItems.csv",
            Some(&format!(
                "{LINE_ITEMS}li-001,,,Quiz,,,,cls-001,cat-frac,,10,10\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::EmptyRange);
        let at = d.location.unwrap();
        assert_eq!(
            at.file,
            dir.path().join("lineItems.csv").display().to_string()
        );
        assert_eq!((at.line, at.column), (Some(2), Some(12)));

        let dir = bundle_with(&[(
            "lineItems.csv",
            Some(&format!(
                "{LINE_ITEMS}li-001,,,Quiz,,,,cls-001,cat-frac,,,\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::MissingMaximum);

        let dir = bundle_with(&[(
            "users.csv",
            Some("sourcedId,role,identifier\nusr-s01,student,7\n,,\nusr-s02,student,7\n"),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::DuplicateStudent);
        let at = d.location.unwrap();
        assert_eq!((at.line, at.column), (Some(4), Some(3)));
        assert_eq!(at.column_name.as_deref(), Some("identifier"));

        let dir = bundle_with(&[("results.csv", None)]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::MissingFile);
        assert_eq!(
            d.location.unwrap().file,
            dir.path().join("results.csv").display().to_string()
        );

        let dir = bundle_with(&[("manifest.csv", None)]);
        assert!(!is_bundle(dir.path()));
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::MissingFile);
        assert!(d.message.contains("manifest.csv"));

        let dir = bundle_with(&[(
            "results.csv",
            Some("sourcedId,lineItemSourcedId,studentSourcedId,points\n"),
        )]);
        let d = problem(read_bundle(dir.path(), SkillsFrom::LineItem));
        assert_eq!(d.code, Code::MissingColumn);
        assert_eq!(d.location.unwrap().line, Some(1));
    }

    #[test]
    fn zip_errors_name_the_member() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.zip");
        {
            let file = File::create(&path).unwrap();
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for entry in std::fs::read_dir(fixture("bundle")).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                if name == "results.csv" {
                    continue;
                }
                zip.start_file(format!("export/{name}"), options).unwrap();
                std::io::Write::write_all(&mut zip, &std::fs::read(entry.path()).unwrap()).unwrap();
            }
            zip.start_file("export/results.csv", options).unwrap();
            std::io::Write::write_all(
                &mut zip,
                format!("{RESULTS}r1,,,li-001,usr-s01,fully graded,x,,\n").as_bytes(),
            )
            .unwrap();
            zip.finish().unwrap();
        }
        assert!(is_bundle(&path));
        let d = problem(read_bundle(&path, SkillsFrom::LineItem));
        assert_eq!(d.code, Code::BadScore);
        let at = d.location.unwrap();
        assert_eq!(at.file, format!("{}:export/results.csv", path.display()));
        assert_eq!((at.line, at.column), (Some(2), Some(7)));

        std::fs::write(&path, b"PK\x03\x04 not really a zip").unwrap();
        assert!(!is_bundle(&path));
        assert_eq!(
            problem(read_bundle(&path, SkillsFrom::LineItem)).code,
            Code::BadZip
        );
    }

    #[test]
    fn a_zipped_file_over_the_limit_is_an_error() {
        let mut bundle = Bundle::open(&fixture("bundle.zip")).unwrap();
        assert_eq!(bundle.limit, 256 << 20);
        bundle.limit = 100;
        let Err(Error::Problems(ds)) = bundle.input("results.csv") else {
            panic!("read past the limit");
        };
        assert_eq!(ds[0].code, Code::FileTooLarge);
        assert!(ds[0].message.contains("100 bytes"), "{}", ds[0].message);
        assert!(ds[0].to_string().contains("bundle.zip:bundle/results.csv"));
        bundle.limit = 4096;
        assert!(bundle.input("results.csv").unwrap().is_some());
    }

    #[test]
    fn the_manifest_is_read_leniently() {
        let dir = bundle_with(&[
            (
                "manifest.csv",
                Some(
                    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n\
                     fiel.demographics,absent\nfile.scoreScales,\nfile.classes,absent\n\
                     file.users,bulk\nfile.results,delta\nfile.orgs,sometimes\n",
                ),
            ),
            ("categories.csv", Some("")),
        ]);
        let table = read_bundle(dir.path(), SkillsFrom::Category).unwrap();
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "manifest-key",
                "manifest-value",
                "manifest-absent",
                "empty-file",
                "delta-file",
                "not-scored"
            ]
        );
        // Without categories.csv, categories are named by their ids.
        assert_eq!(table.header[4..], ["cat-frac", "cat-meas"]);
    }

    /// See: issue 13. A student with results in two classes is a row in
    /// each, with that class's results, as a gradebook with a row per
    /// course is; the plan says how many students are in several sections.
    #[test]
    fn a_student_with_results_in_two_classes_is_a_row_in_each() {
        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!(
                "{RESULTS}r1,,,li-001,usr-s05,fully graded,9,,\nr2,,,li-005,usr-s05,fully graded,6,,\n"
            )),
        )]);
        let table = read_bundle(dir.path(), SkillsFrom::LineItem).unwrap();
        let section = table.header.iter().position(|h| h == "section").unwrap();
        let rows: Vec<(&str, Vec<&str>)> = (0..table.len())
            .filter(|&r| table.cell(r, 0) == "100235")
            .map(|r| {
                let scores = (4..table.header.len())
                    .map(|c| table.cell(r, c))
                    .filter(|v| !v.is_empty())
                    .collect();
                (table.cell(r, section), scores)
            })
            .collect();
        assert_eq!(
            rows,
            [
                // Enrolled there first; li-005 is its quiz.
                ("Grade 4/5 Math - Room 14", vec!["60"]),
                ("Grade 4 Math - Room 12", vec!["90"]),
            ]
        );
        assert!(
            !table.notes.iter().any(|n| n.code == Code::SeveralClasses),
            "{:?}",
            table.notes
        );
    }

    #[test]
    fn names_are_unique_and_never_a_student_field() {
        let names = unique_names(
            [
                ("Quiz", "a"),
                ("quiz", "b"),
                ("Name", "c"),
                ("", "d"),
                ("Test", "e"),
            ]
            .into_iter(),
        );
        assert_eq!(names, ["Quiz (a)", "quiz (b)", "Name (c)", "d", "Test"]);
    }
}
