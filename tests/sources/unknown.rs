//! Exports tierplan does not know: read with the default rules, they fail
//! with advice on what to do.

use std::fs;

use super::real;
use crate::util::{Test, unindent};

/// `tierplan plan NAME` on a copy of a real export, ready to run.
fn plan_copy(path: &str, name: &str) -> Test {
    Test::new()
        .file(name, fs::read(real(path)).expect("read the real export"))
        .args(&["plan", name])
}

/// The advice for an export no profile knows, read with the default rules.
fn unknown_export(file: &str, columns: &str) -> String {
    format!(
        "  = help: `{file}` is not an export tierplan knows (its columns are {columns}), and the default rules read every column they do not know as a skill score: `tierplan profiles` lists the exports tierplan knows; to plan this file, write rules whose `columns:` name its headers (`tierplan init` starts a rules file; rules/README.md explains `columns:` and `skills:`), or use a shipped set with `--rules NAME`\n"
    )
}

#[test]
fn istation_is_not_an_export_tierplan_knows() {
    plan_copy("iStation/sample_anonymized_file.csv", "istation.csv")
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[bad-score]: `StudentLast1` is not a score\n  --> istation.csv, line 2, column 2 (`LNAME`)\n{}",
            unknown_export(
                "istation.csv",
                "`STUDENT_ID`, `LNAME`, `FNAME`, `DOMAIN`, `GRADE`, `ISIP_ACCOM`, `GENDER`, `RACE` and 73 more"
            )
        ));
}

#[test]
fn map_fluency_is_not_an_export_tierplan_knows() {
    plan_copy("MAP_Fluency/sample_anonymized_file.csv", "fluency.csv")
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "error[bad-score]: `Fall 2023-2024` is not a score\n  --> fluency.csv, line 2, column 1 (`TermName`)\n{}",
            unknown_export(
                "fluency.csv",
                "`TermName`, `DistrictName`, `SchoolName`, `StudentID`, `Grade`, `AssignedTestType`, `ResultType`, `TestLanguage` and 46 more"
            )
        ));
}

#[test]
fn ilearn_is_not_an_export_tierplan_knows() {
    // No column is an id: the advice comes with the missing column.
    plan_copy("IN_ILEARN/ilearn_sample_data.csv", "ilearn.csv")
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(&format!(
            "{}{}",
            unindent(
                "
                error[missing-column]: `ilearn.csv` has no column for `student_id` (looked for `student_id`, `student id`, `id`, `student number`, `sis id` and `local id`)
                  --> <built-in rules `default`>, line 21, column 3
                    |
                 21 |   student_id: [student_id, student id, id, student number, sis id, local id]
                    |   ^^^^^^^^^^
                "
            ),
            unknown_export(
                "ilearn.csv",
                "`Student First Name`, `Student Last Name`, `STN`, `Student DOB`, `Gender`, `Ethnicity`, `Special Education Status`, `Identified English Learner Status` and 50 more"
            )
        ));
}

#[test]
fn rules_that_name_the_columns_get_no_unknown_export_advice() {
    // Rules of one's own: the file is what they say it is.
    Test::new()
        .file(
            "istation.csv",
            fs::read(real("iStation/sample_anonymized_file.csv")).expect("read the real export"),
        )
        .rules(
            "
            name: iStation by hand
            columns:
              student_id: [STUDENT_ID]
            skills: {columns: [LNAME]}
            params: {mastery: 80}
            plans:
              core: {kind: core}
            tree:
              - default: core
            ",
        )
        .args(&["plan", "--rules", "rules.yaml", "istation.csv"])
        .status(1)
        .run()
        .assert_stderr(
            "
            error[bad-score]: `StudentLast1` is not a score
              --> istation.csv, line 2, column 2 (`LNAME`)
              = help: write a percent (85 or 85%), points over a maximum (7/10), or leave the cell empty when the skill was not assessed
            ",
        );
}
