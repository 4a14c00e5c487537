//! `--only FIELD=VALUE`: which rows a run keeps, for every kind of input.
//!
//! One rule decides whether a row is kept and one set of messages reports
//! it: a profile applies it to the rows it reads (`reshape`), the engine to
//! a plain CSV file, standard input or a roster bundle as it streams, in both
//! of its passes (see [`Only::first_failing`]). FIELD is a field by name (the
//! profile's, or the rules') or else a column header, matched as headers are
//! everywhere (ignoring case, spaces, `_` and `-`); VALUE matches a cell
//! ignoring case and the spaces around it.
//!
//! This module decides and words; it does not read files.

use csv::ByteRecord;

use super::columns::{ColumnMap, normalize};
use crate::diagnostic::{Code, Diagnostic, Location, count, did_you_mean, list};
use crate::error::{Error, Result};
use crate::rules::Rules;

/// Whether a cell holds the value `--only` asks for.
pub(crate) fn matches(cell: &str, value: &str) -> bool {
    cell.trim().eq_ignore_ascii_case(value.trim())
}

/// The first column headed `name`, as headers are matched everywhere.
pub(crate) fn column_named(header: &[String], name: &str) -> Option<usize> {
    let key = normalize(name);
    header
        .iter()
        .position(|h| !key.is_empty() && normalize(h) == key)
}

/// `--only` resolved against one plain file: the column each test reads.
#[derive(Debug, Clone)]
pub(crate) struct Only {
    tests: Vec<Test>,
}

#[derive(Debug, Clone)]
struct Test {
    name: String,
    value: String,
    column: usize,
    /// The rules' `recode:` of that column, so that `--only season=BOY`
    /// keeps the rows written `Fall` that the rules read as `BOY`.
    recode: Vec<(String, String)>,
}

impl Only {
    /// Resolve every `--only` against `map` (one file under `rules`): a
    /// field of the rules the file has, else a column of the file.
    pub(crate) fn resolve(
        only: &[(String, String)],
        rules: &Rules,
        map: &ColumnMap,
    ) -> Result<Only> {
        let mut tests = Vec::with_capacity(only.len());
        for (name, value) in only {
            let field = rules
                .fields
                .iter()
                .position(|f| f.name == *name)
                .and_then(|slot| map.field_columns[slot]);
            let Some(column) = field.or_else(|| column_named(&map.header, name)) else {
                let fields: Vec<&str> = rules
                    .fields
                    .iter()
                    .zip(&map.field_columns)
                    .filter(|(_, c)| c.is_some())
                    .map(|(f, _)| f.name.as_str())
                    .collect();
                return Err(unknown(name, &map.file, &fields, &map.header));
            };
            let recode = map
                .recode
                .iter()
                .find(|(c, _)| *c == column)
                .map(|(_, pairs)| pairs.clone())
                .unwrap_or_default();
            tests.push(Test {
                name: name.clone(),
                value: value.clone(),
                column,
                recode,
            });
        }
        Ok(Only { tests })
    }

    pub(crate) fn len(&self) -> usize {
        self.tests.len()
    }

    /// `None` when the row is kept, else the first test it fails. A pure
    /// function of the row's cells, so the section pass and the deciding
    /// pass, on whichever thread, leave out exactly the same rows.
    pub(crate) fn first_failing(&self, record: &ByteRecord) -> Option<usize> {
        self.tests.iter().position(|t| {
            let bytes = record.get(t.column).unwrap_or_default();
            match crate::rules::recoded(&t.recode, bytes) {
                Some(meaning) => !matches(meaning, &t.value),
                None => !matches(&String::from_utf8_lossy(bytes), &t.value),
            }
        })
    }

    /// The cell test `test` reads in `record`, trimmed.
    pub(crate) fn cell(&self, test: usize, record: &ByteRecord) -> String {
        let column = self.tests[test].column;
        String::from_utf8_lossy(record.get(column).unwrap_or_default())
            .trim()
            .to_owned()
    }

    /// A note for each test that left rows out: `left[i]` rows failed test
    /// `i` first (and passed those before it).
    pub(crate) fn notes(&self, left: &[u64]) -> Vec<Diagnostic> {
        self.tests
            .iter()
            .zip(left)
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| left_out(usize::try_from(*n).unwrap_or(usize::MAX), &t.name, &t.value))
            .collect()
    }

    /// The error when test `test` left out the last rows of `file`, whose
    /// values for it were `values`.
    pub(crate) fn nothing_selected(&self, test: usize, file: &str, values: &[String]) -> Error {
        let t = &self.tests[test];
        nothing_selected(file, &t.name, &t.value, values)
    }
}

/// `--only NAME=...` names neither a field nor a column of `file`.
pub(crate) fn unknown(name: &str, file: &str, fields: &[&str], columns: &[String]) -> Error {
    let mut known: Vec<&str> = fields.to_vec();
    known.extend(columns.iter().map(String::as_str));
    let hint =
        did_you_mean(name, known.iter().copied()).map_or(String::new(), |h| format!("; {h}"));
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!("its fields are {}; ", list(fields))
    };
    Error::usage(format!(
        "`--only {name}=...`: `{file}` has no field or column `{name}`: {fields}its columns are {}{hint}",
        some_of(columns, 20)
    ))
}

/// `count` rows left out by `--only NAME=VALUE`.
pub(crate) fn left_out(count_: usize, name: &str, value: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::NotSelected,
        format!(
            "{} whose `{name}` is not `{value}` left out (--only)",
            count(count_, "row")
        ),
    )
}

/// No row of `file` has NAME = VALUE; its values were `values`.
pub(crate) fn nothing_selected(file: &str, name: &str, value: &str, values: &[String]) -> Error {
    Error::problem(
        Diagnostic::error(
            Code::NothingSelected,
            format!("no row of `{file}` has `{name}` = `{value}`"),
        )
        .at(Location::file(file))
        .help(if values.is_empty() {
            format!("every row's `{name}` is empty")
        } else {
            format!("its values are {}", some_of(values, 20))
        }),
    )
}

/// At most `max` names, quoted and joined, then how many more there are:
/// `` `a`, `b` and 12 more ``.
pub(crate) fn some_of(names: &[impl AsRef<str>], max: usize) -> String {
    if names.len() <= max {
        return list(names);
    }
    let shown: Vec<String> = names[..max]
        .iter()
        .map(|s| format!("`{}`", crate::diagnostic::clip(s.as_ref())))
        .collect();
    format!("{} and {} more", shown.join(", "), names.len() - max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_ignoring_case_and_surrounding_spaces() {
        assert!(matches(" 5a ", "5A"));
        assert!(matches("Mathematics", "mathematics "));
        assert!(!matches("5A", "5B"));
        assert!(!matches("", "5A"));
    }

    #[test]
    fn headers_match_as_everywhere() {
        let header: Vec<String> = ["Student ID", "Class Section", "section"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(column_named(&header, "class_section"), Some(1));
        assert_eq!(column_named(&header, "SECTION"), Some(2));
        assert_eq!(column_named(&header, ""), None);
    }

    #[test]
    fn long_lists_are_cut() {
        let names: Vec<String> = (1..=10).map(|i| format!("c{i}")).collect();
        assert_eq!(some_of(&names[..2], 3), "`c1` and `c2`");
        assert_eq!(some_of(&names, 3), "`c1`, `c2`, `c3` and 7 more");
    }
}
