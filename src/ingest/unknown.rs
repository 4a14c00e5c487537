//! A file tierplan does not know: an export no profile recognised, read
//! with the default rules, which take every column that is not a student
//! field for a skill score. Such a file fails on whichever column is read
//! first (`` `2022-2023` is not a score ``, no student id column); this
//! module adds to that error what the user needs: that the file is not an
//! export tierplan knows, a few of its columns, and what to do.
//!
//! The decision is a property of the file and the rules, never of a vendor's
//! name: the default rules, a file read as it is (no profile reshaped it),
//! and either a cell that is not a score in a column that mostly holds no
//! scores, or no id column in a file whose skill columns mostly hold no
//! scores (see [`Sample`]). A quiz sheet with one bad cell keeps the plain
//! message.

use super::columns::skill_headers;
use super::input::Input;
use super::score::parse_score;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Result;
use crate::rules::{Rules, shipped};

/// How many rows of a file are looked at to tell whether it is a quiz sheet.
const SAMPLE_ROWS: usize = 50;

/// A column is judged on at least this many values: in a file of one or
/// two students, a bad cell is as likely a typo as anything.
const MIN_VALUES: usize = 3;

/// At most this many of the file's columns are named in the advice.
const COLUMNS_SHOWN: usize = 8;

/// `d`, a problem reading `input` with `rules`, with advice for a file that
/// is not an export tierplan knows when it is one; otherwise `d` unchanged.
pub(crate) fn advise(rules: &Rules, input: &Input, d: Diagnostic) -> Diagnostic {
    if input.origin.is_some() || rules.source.name != shipped::DEFAULT.source_name() {
        return d;
    }
    // A file that cannot be read again gives its own error when it is read
    // for the plan: keep the plain message.
    let Ok(sample) = Sample::read(rules, input) else {
        return d;
    };
    let foreign = match d.code {
        Code::MissingColumn => !sample.reads_as_quiz(),
        Code::BadScore => d
            .location
            .as_ref()
            .and_then(|l| l.column)
            .and_then(|c| usize::try_from(c).ok()?.checked_sub(1))
            .is_some_and(|column| !sample.reads_as_scores(column)),
        _ => false,
    };
    if foreign {
        d.help(advice(&input.name, &sample.header))
    } else {
        d
    }
}

/// The help for `file`, whose columns are `header`.
fn advice(file: &str, header: &[String]) -> String {
    format!(
        "`{file}` is not an export tierplan knows (its columns are {}), and the default rules \
         read every column they do not know as a skill score: `tierplan profiles` lists the \
         exports tierplan knows; to plan this file, write rules whose `columns:` name its \
         headers (`tierplan init` starts a rules file; rules/README.md explains `columns:` and \
         `skills:`), or use a shipped set with `--rules NAME`",
        super::only::some_of(header, COLUMNS_SHOWN)
    )
}

/// The first rows of a file, as the default rules would read them.
///
/// A quiz sheet is a column per skill, each holding scores: a typo leaves
/// its column mostly scores. An export of another kind has names, dates,
/// terms and scale scores where the default rules look for skills. So, over
/// the first [`SAMPLE_ROWS`] rows, a column *reads as scores* unless it has
/// [`MIN_VALUES`] non-empty cells or more and fewer than half of them are
/// scores: a cell that is not a score in a
/// column that reads as scores is a typo (the plain message), and one in a
/// column that does not shows the file is not a quiz sheet. Without an id
/// column there is no bad cell to judge by, and the file *reads as a quiz
/// sheet* when at least half of its skill columns with a value read as
/// scores (a quiz whose id column has another name).
struct Sample {
    header: Vec<String>,
    /// Each skill column: its index, its non-empty cells, how many are
    /// scores.
    columns: Vec<(usize, usize, usize)>,
}

impl Sample {
    fn read(rules: &Rules, input: &Input) -> Result<Sample> {
        let mut file = input.csv()?;
        let header = file.header.clone();
        let mut columns: Vec<(usize, usize, usize)> = skill_headers(rules, &header, &input.name, 0)
            .unwrap_or_default()
            .into_iter()
            .map(|(i, _)| (i, 0, 0))
            .collect();
        let decimal_comma = file.delimiter == b';';
        let mut rows = 0;
        while rows < SAMPLE_ROWS && file.read_row()? {
            rows += 1;
            for (column, seen, scores) in &mut columns {
                let cell = file.record.get(*column).unwrap_or_default();
                match parse_score(cell, rules.scale, decimal_comma) {
                    Ok(None) => {}
                    Ok(Some(_)) => {
                        *seen += 1;
                        *scores += 1;
                    }
                    Err(_) => *seen += 1,
                }
            }
        }
        Ok(Sample { header, columns })
    }

    /// Whether skill column `column` reads as scores (one the rules do not
    /// read as a skill does not).
    fn reads_as_scores(&self, column: usize) -> bool {
        self.columns
            .iter()
            .find(|c| c.0 == column)
            .is_some_and(|&(_, seen, scores)| seen < MIN_VALUES || 2 * scores >= seen)
    }

    /// Whether at least half of the skill columns with a value read as
    /// scores.
    fn reads_as_quiz(&self) -> bool {
        let with_values: Vec<usize> = self
            .columns
            .iter()
            .filter(|c| c.1 > 0)
            .map(|c| c.0)
            .collect();
        let of_scores = with_values
            .iter()
            .filter(|&&c| self.reads_as_scores(c))
            .count();
        2 * of_scores >= with_values.len()
    }
}
