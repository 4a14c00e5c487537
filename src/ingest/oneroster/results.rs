//! `results.csv`: each student's score on each line item, as points above
//! the line item's minimum out of its range, and the notes on the results
//! left out (exempt, blank, not a student, repeated).

use std::collections::{HashMap, HashSet};

use super::MAX_PROBLEMS;
use super::container::Bundle;
use super::manifest::{Manifest, Need};
use super::records::{LineItems, Students};
use super::sheet::{Sheet, cell_error, stop_if};
use crate::condition::format_number;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::Result;
use crate::ingest::score::cell_number;

/// The percent a student scored over `items`: the points above each line
/// item's minimum over the range, summed over the results the student has.
#[cfg(test)]
pub(super) fn skill_score(scores: &HashMap<usize, Score>, items: &[usize]) -> Option<f64> {
    let (mut points, mut range) = (0.0, 0.0);
    for item in items {
        if let Some(score) = scores.get(item) {
            points += score.points;
            range += score.range;
        }
    }
    skill_percent(points, range)
}

/// A skill's percent from the points and ranges of its results.
pub(super) fn skill_percent(points: f64, range: f64) -> Option<f64> {
    (range > 0.0).then(|| percent(points, 0.0, range).clamp(0.0, 100.0))
}

/// One result: points above the line item's minimum, out of its range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Score {
    pub(super) points: f64,
    pub(super) range: f64,
}

/// The percent of a score on a line item from `min` to `max`.
pub(super) fn percent(score: f64, min: f64, max: f64) -> f64 {
    (score - min) / (max - min) * 100.0 + 0.0
}

/// Each student's scores: line item index → score.
pub(super) type Scores = Vec<HashMap<usize, Score>>;

/// The columns of `results.csv` tierplan reads.
struct Columns {
    item: usize,
    student: usize,
    score: usize,
    status: Option<usize>,
    score_status: Option<usize>,
}

/// What reading `results.csv` gathers besides the scores: the problems
/// that stop it, and the lines of the results left out, for notes.
#[derive(Default)]
struct Tally {
    problems: Vec<Diagnostic>,
    /// Line items whose range error was reported.
    reported_items: HashSet<usize>,
    /// Ids reported unknown, reported once each.
    unknown: HashSet<(usize, String)>,
    not_scored: Vec<u64>,
    blank: Vec<u64>,
    not_students: Vec<u64>,
    repeated: Vec<u64>,
}

pub(super) fn read_results(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
    students: &Students,
    items: &LineItems,
) -> Result<Scores> {
    let mut scores: Scores = vec![HashMap::new(); students.list.len()];
    let Some(mut sheet) = Sheet::from_bundle(
        bundle,
        manifest,
        notes,
        "results.csv",
        Need::Required("the scores"),
    )?
    else {
        return Ok(scores);
    };
    let columns = Columns {
        item: sheet.need("lineItemSourcedId")?,
        student: sheet.need("studentSourcedId")?,
        score: sheet.need("score")?,
        status: sheet.column("status")?,
        score_status: sheet.column("scoreStatus")?,
    };
    let mut tally = Tally::default();
    while sheet.next()? && tally.problems.len() < MAX_PROBLEMS {
        if let Some((student, item, score)) = tally.result(&sheet, &columns, students, items)
            && scores[student].insert(item, score).is_some()
        {
            tally.repeated.push(sheet.line());
        }
    }
    stop_if(std::mem::take(&mut tally.problems))?;
    sheet.note_if_empty(notes);
    tally.notes(sheet.name(), notes);
    Ok(scores)
}

impl Tally {
    /// The current row's student, line item and score; `None` for a row
    /// left out, noted or reported.
    fn result(
        &mut self,
        sheet: &Sheet,
        columns: &Columns,
        students: &Students,
        items: &LineItems,
    ) -> Option<(usize, usize, Score)> {
        if sheet.deleted(columns.status) {
            return None;
        }
        let state = sheet.text(columns.score_status);
        if state.eq_ignore_ascii_case("exempt") || state.eq_ignore_ascii_case("not submitted") {
            self.not_scored.push(sheet.line());
            return None;
        }
        let student_column = columns.student;
        let student_id = sheet.text(Some(student_column));
        let student = match students.index.get(&student_id) {
            Some(&i) => i,
            None if students.others.contains(&student_id) => {
                self.not_students.push(sheet.line());
                return None;
            }
            None => {
                if !self.unknown.insert((student_column, student_id.clone())) {
                    return None;
                }
                self.problems.push(cell_error(
                    sheet,
                    student_column,
                    Code::UnknownStudent,
                    if student_id.is_empty() {
                        "this result names no student".into()
                    } else {
                        format!(
                            "student `{student_id}` is not in `{}`",
                            students.users_display
                        )
                    },
                    "every result's `studentSourcedId` is the `sourcedId` of a user in \
                     `users.csv`; export the roster and the gradebook together",
                ));
                return None;
            }
        };
        let item_column = columns.item;
        let item_id = sheet.text(Some(item_column));
        let item = match items.index.get(&item_id) {
            Some(&i) => i,
            None if items.deleted.contains(&item_id) => return None,
            None => {
                if !self.unknown.insert((item_column, item_id.clone())) {
                    return None;
                }
                self.problems.push(cell_error(
                    sheet,
                    item_column,
                    Code::UnknownLineItem,
                    if item_id.is_empty() {
                        "this result names no line item".into()
                    } else {
                        format!("line item `{item_id}` is not in `lineItems.csv`")
                    },
                    "every result's `lineItemSourcedId` is the `sourcedId` of a row of \
                     `lineItems.csv`; export the whole gradebook",
                ));
                return None;
            }
        };
        let score = self.score(sheet, columns.score, items, item, &item_id)?;
        Some((student, item, score))
    }

    /// The score in the current row on line item `item`, checked against
    /// its range.
    fn score(
        &mut self,
        sheet: &Sheet,
        score_column: usize,
        items: &LineItems,
        item: usize,
        item_id: &str,
    ) -> Option<Score> {
        let text = sheet.text(Some(score_column));
        if text.is_empty() {
            self.blank.push(sheet.line());
            return None;
        }
        let Some(value) = cell_number(text.as_bytes(), false) else {
            self.problems.push(cell_error(
                sheet,
                score_column,
                Code::BadScore,
                format!("`{}` is not a score", crate::diagnostic::clip(&text)),
                "a OneRoster score is a number of points, such as 8 or 8.5",
            ));
            return None;
        };
        let (min, max) = match &items.list[item].range {
            Ok(range) => *range,
            Err(d) => {
                if self.reported_items.insert(item) {
                    self.problems.push(d.clone());
                }
                return None;
            }
        };
        if value < min || value > max {
            self.problems.push(cell_error(
                sheet,
                score_column,
                Code::ScoreOutOfRange,
                format!(
                    "score {} is outside {} to {}, the range of line item `{item_id}`",
                    text,
                    format_number(min),
                    format_number(max)
                ),
                "check the score, or the line item's `resultValueMin` and `resultValueMax` in \
                 `lineItems.csv`",
            ));
            return None;
        }
        Some(Score {
            points: value - min,
            range: max - min,
        })
    }

    /// A note for each kind of result left out.
    fn notes(&self, name: &str, notes: &mut Vec<Diagnostic>) {
        let mut note = |lines: &[u64], code: crate::diagnostic::Code, what: &str, help: &str| {
            if let Some(&first) = lines.first() {
                notes.push(
                    Diagnostic::warning(
                        code,
                        format!(
                            "{} {what} (first on line {first})",
                            crate::diagnostic::count(lines.len(), "result")
                        ),
                    )
                    .at(Location::line(name, first))
                    .help(help),
                );
            }
        };
        note(
            &self.not_scored,
            Code::NotScored,
            "marked `exempt` or `not submitted` are left empty",
            "a skill with no score is not assessed, which is not a score of 0",
        );
        note(
            &self.blank,
            Code::NoScore,
            "with an empty `score` are left empty",
            "a skill with no score is not assessed, which is not a score of 0",
        );
        note(
            &self.not_students,
            Code::NotAStudent,
            "for users who are not students, or are to be deleted, are left out",
            "tierplan plans for the users with the role `student` in `users.csv`",
        );
        note(
            &self.repeated,
            Code::RepeatedResult,
            "repeat a student's line item; the last one in the file is used",
            "keep one result per student and line item",
        );
    }
}
