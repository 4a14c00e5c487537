//! Zip files given as data that are not a OneRoster bundle tierplan can
//! read: each is an error saying what the file is and what to do, never CSV
//! made of compressed bytes. See: issue 12.

use std::io::Write as _;

use zip::write::SimpleFileOptions;

use crate::util::{QUIZ, Test, repo};

/// A zip of `files` (name, contents), in order.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in files {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(contents).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The example bundle's files, inside `folder/`.
fn bundle_files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = repo("tests/data/oneroster/bundle");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (format!("{folder}{name}"), std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The bundle's files in `bundle/`, and a copy of `users.csv` as `name`.
fn with_second_users(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = bundle_files("bundle/");
    let users = files
        .iter()
        .find(|f| f.0 == "bundle/users.csv")
        .unwrap()
        .1
        .clone();
    files.push((name.to_owned(), users));
    files
}

fn zip_of_owned(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    zip_of(&borrowed)
}

#[test]
fn a_zip_of_csv_files_without_a_manifest_is_not_read_as_csv() {
    Test::new()
        .file("results.zip", zip_of(&[("quiz.csv", QUIZ.as_bytes())]))
        .args(&["plan", "results.zip"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "error[not-a-bundle]: `results.zip` is a zip file that is not a OneRoster bundle (it has no `manifest.csv`): it holds `quiz.csv`\n  \
             --> results.zip\n  \
             = help: unzip it and give the CSV file inside; tierplan reads CSV files, workbooks (.xlsx, .xls, .ods), and OneRoster bundles (a folder or a .zip file holding `manifest.csv`, at its top or in one folder)\n",
        );
}

#[test]
fn a_zip_in_a_zip_says_so_whatever_the_name() {
    let inner = std::fs::read(repo("tests/data/oneroster/bundle.zip")).unwrap();
    Test::new()
        .file("export.dat", zip_of(&[("bundle.zip", &inner)]))
        .args(&["plan", "export.dat", "--profile", "none"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[not-a-bundle]: `export.dat` is a zip file that is not a OneRoster bundle (it has no `manifest.csv`): it holds another zip file, `bundle.zip`\n",
        )
        .assert_stderr_contains("= help: unzip it and give the zip file inside;");
}

#[test]
fn a_damaged_workbook_is_named_and_saving_it_again_advised() {
    let xlsx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
    ]);
    Test::new()
        .file("grades.xlsx", xlsx)
        .args(&["plan", "grades.xlsx"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[bad-workbook]: `grades.xlsx` looks like an Excel workbook (.xlsx), and it cannot be read: ",
        )
        .assert_stderr_contains(
            "  --> grades.xlsx\n  = help: open it in its spreadsheet program and save it again (or as CSV); it may be damaged or cut short\n",
        );
}

#[test]
fn a_truncated_zip_says_it_is_damaged() {
    let whole = std::fs::read(repo("tests/data/oneroster/bundle.zip")).unwrap();
    let t = Test::new()
        .file("bundle.zip", &whole[..whole.len() / 2])
        .file("cut.csv", &whole[..whole.len() / 2]);
    for name in ["bundle.zip", "cut.csv"] {
        t.status(1)
            .run_with(&["plan", name])
            .assert_stdout("")
            .assert_stderr_contains(&format!(
                "error[bad-zip]: `{name}` is a zip file, but a damaged or truncated one"
            ))
            .assert_stderr_contains(
                "= help: copy or download it again (it may have been cut short)",
            );
    }
    // On standard input too.
    Test::new()
        .stdin(&whole[..whole.len() / 2])
        .args(&["plan", "-"])
        .status(1)
        .run()
        .assert_stderr_contains(
            "error[bad-zip]: `<stdin>` is a zip file, but a damaged or truncated one",
        );
}

#[test]
fn a_bundle_zip_under_another_name_is_read_as_a_bundle() {
    let whole = std::fs::read(repo("tests/data/oneroster/bundle.zip")).unwrap();
    let t = Test::new()
        .file("export.bin", &whole)
        .file("bundle.zip", &whole);
    let args = |name| ["plan", name, "-f", "csv", "--columns", "student_id,plan"];
    let expected = t.run_with(&args("bundle.zip")).stdout.clone();
    t.run_with(&args("export.bin")).assert_stdout(&expected);
}

#[test]
fn two_files_of_one_name_in_a_zip_are_an_error_naming_it() {
    // `bundle/userz.csv` renamed in place to a second `bundle/users.csv`:
    // what a tool that appends to a zip leaves.
    let files = with_second_users("bundle/userz.csv");
    let mut bytes = zip_of_owned(&files);
    let (from, to) = (b"bundle/userz.csv", b"bundle/users.csv");
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + at..i + at + to.len()].copy_from_slice(to);
        i += at + to.len();
    }
    Test::new()
        .file("bundle.zip", bytes)
        .args(&["plan", "bundle.zip"])
        .status(1)
        .run()
        .assert_stdout("")
        .assert_stderr(
            "error[duplicate-file]: `bundle.zip` lists `bundle/users.csv` twice, so which copy is the export is unknown\n  \
             --> bundle.zip\n  \
             = help: zip the bundle again from its folder, with one copy of each file\n",
        );
}

#[test]
fn two_files_whose_names_differ_in_case_are_an_error_naming_both() {
    let files = with_second_users("bundle/Users.csv");
    Test::new()
        .file("bundle.zip", zip_of_owned(&files))
        .args(&["plan", "bundle.zip"])
        .status(1)
        .run()
        .assert_stderr(
            "error[duplicate-file]: the OneRoster bundle `bundle.zip` holds 2 files named `users.csv` (ignoring case): `bundle.zip:bundle/Users.csv` and `bundle.zip:bundle/users.csv`\n  \
             --> bundle.zip\n  \
             = help: keep one of them, the export tierplan should read, and remove or rename the others\n",
        );
}

#[test]
fn many_bundles_in_one_zip_are_named_a_few_then_counted() {
    let names: Vec<String> = (0..20).map(|i| format!("b{i:02}/manifest.csv")).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), &b"propertyName,value\n"[..]))
        .collect();
    Test::new()
        .file("many.zip", zip_of(&files))
        .args(&["plan", "many.zip"])
        .status(1)
        .run()
        .assert_stderr(
            "error[several-bundles]: `many.zip` holds 20 OneRoster bundles: `b00/manifest.csv`, `b01/manifest.csv`, `b02/manifest.csv`, `b03/manifest.csv`, `b04/manifest.csv` and 15 more\n  \
             --> many.zip\n  \
             = help: zip one bundle at a time, or unzip it and give the bundle's folder\n",
        );
}
