//! The engine's messages about a file as a whole: advice on a file that is
//! no export tierplan knows, `--only` that left out every row, a byte that
//! is not UTF-8, a file that changed between the passes. They find nothing
//! themselves; the passes call them.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::Error;
use crate::ingest::Input;
use crate::ingest::only::Only;
use crate::ingest::unknown;
use crate::rules::Rules;

/// `error`, with advice on each problem that shows its file is not an
/// export tierplan knows.
pub(super) fn advised(rules: &Rules, inputs: &[Input], error: Error) -> Error {
    let Error::Problems(problems) = error else {
        return error;
    };
    let advise = |d: Diagnostic| {
        let file = d.location.as_ref().map(|l| l.file.clone());
        match inputs.iter().find(|i| Some(&i.name) == file.as_ref()) {
            Some(input) => unknown::advise(rules, input, d),
            None => d,
        }
    };
    Error::Problems(problems.into_iter().map(advise).collect())
}

/// The error when `--only` left out every row of `input`: the test that
/// left out the last rows, and the values its column had in them (read
/// again, since the passes keep no rows).
pub(super) fn nothing_selected(input: &Input, only: &Only, name: &str) -> Error {
    let mut file = match input.csv() {
        Ok(file) => file,
        Err(e) => return e,
    };
    // Tests apply in order, so the one that emptied the file is the last
    // any row reached: the highest first-failing test. A few of each test's
    // values are enough for the message.
    let mut values: Vec<Vec<String>> = vec![Vec::new(); only.len()];
    let mut last = 0;
    loop {
        match file.read_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return e,
        }
        if let Some(test) = only.first_failing(&file.record) {
            last = last.max(test);
            let value = only.cell(test, &file.record);
            let seen = &mut values[test];
            if !value.is_empty() && seen.len() < 20 && !seen.contains(&value) {
                seen.push(value);
            }
        }
    }
    let values = std::mem::take(&mut values[last]);
    only.nothing_selected(last, name, &values)
}

/// The warning for a UTF-8 file with a byte that is not UTF-8 on `line`.
pub(super) fn not_utf8(file: &str, line: u64) -> Diagnostic {
    Diagnostic::warning(
        Code::NotUtf8,
        "this line has a byte that is not UTF-8; it was read as Windows-1252, as was any later one",
    )
    .at(Location::line(file, line))
    .help("check the names on this line; save the file as UTF-8 (Excel: \"CSV UTF-8\") to be sure")
}

pub(super) fn changed(file: &str) -> Error {
    Error::problem(
        Diagnostic::error(
            Code::FileChanged,
            format!("`{file}` changed while tierplan was reading it"),
        )
        .at(Location::file(file))
        .help("run tierplan again once the file is saved"),
    )
}
