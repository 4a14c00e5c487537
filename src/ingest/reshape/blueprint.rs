//! A quiz blueprint: which question measures which skill, for how many
//! points, and, for exports that hold answers rather than points (Google
//! Forms), the right answer.
//!
//! The blueprint is a small CSV, `item,skill,points[,key]`. An item names a
//! question: its column header (question text, compared ignoring case and
//! spacing), the number it starts with (`3` for `3. What is 3/4 of 12?`), or
//! for Canvas its question id. A skill's score is the percent of its points
//! earned over the questions answered (with a key, an unanswered question
//! earns 0).

use std::path::Path;

use super::super::input::Input;
use super::super::score::cell_number;
use super::source::SourceRow;
use crate::diagnostic::{Code, Diagnostic, Location, count, did_you_mean, list};
use crate::error::{Error, Result};

/// A question in the data.
#[derive(Debug, Clone)]
pub(crate) struct Question {
    /// The header's text, or the Canvas question id.
    pub name: String,
    /// The column of the answer (or of the points earned).
    pub answer: usize,
    /// For Canvas: the column of the points earned and the points possible.
    pub points: Option<(usize, f64)>,
}

/// One line of the blueprint.
#[derive(Debug, Clone)]
struct Item {
    item: String,
    skill: String,
    points: f64,
    key: Option<String>,
    line: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Blueprint {
    file: String,
    items: Vec<Item>,
}

/// A question's text reduced for matching.
fn key(text: &str) -> String {
    crate::condition::one_line(text).to_lowercase()
}

impl Blueprint {
    pub(crate) fn load(path: &Path) -> Result<Blueprint> {
        // A blueprint typed in a spreadsheet may be the workbook itself.
        let input = super::super::source::table_of(Input::file(path.to_path_buf()))?;
        let mut file = input.csv()?;
        let name = file.name.clone();
        let column = |wanted: &str| {
            file.header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(wanted))
        };
        let (Some(item), Some(skill)) = (column("item"), column("skill")) else {
            return Err(Error::problem(
                Diagnostic::error(Code::BadBlueprint, format!("`{name}` needs the columns `item` and `skill`"))
                    .at(Location::line(&name, 1))
                    .help("a blueprint is a CSV `item,skill,points,key`; `points` (default 1) and `key` are optional"),
            ));
        };
        let (points, answer) = (column("points"), column("key"));
        let header = file.header.clone();
        let mut items = Vec::new();
        while file.read_row()? {
            let cell = |c: usize| {
                String::from_utf8_lossy(file.record.get(c).unwrap_or_default())
                    .trim()
                    .to_owned()
            };
            let line = file.line();
            let value = points.map(&cell).filter(|p| !p.is_empty());
            let points = match value {
                None => 1.0,
                Some(text) => match text.parse::<f64>() {
                    Ok(p) if p > 0.0 && p.is_finite() => p,
                    _ => {
                        let c = points.unwrap_or(0);
                        return Err(Error::problem(
                            Diagnostic::error(
                                Code::BadBlueprint,
                                format!(
                                    "`{}` is not a number of points",
                                    crate::diagnostic::clip(&text)
                                ),
                            )
                            .at(Location::cell(&name, line, c + 1, &header[c]))
                            .help("points are a number above 0, such as 1 or 2.5"),
                        ));
                    }
                },
            };
            let (item_name, skill_name) = (cell(item), cell(skill));
            if item_name.is_empty() || skill_name.is_empty() {
                return Err(Error::problem(
                    Diagnostic::error(
                        Code::BadBlueprint,
                        "every item needs a question and a skill",
                    )
                    .at(Location::line(&name, line)),
                ));
            }
            items.push(Item {
                item: item_name,
                skill: skill_name,
                points,
                key: answer.map(&cell).filter(|k| !k.is_empty()),
                line,
            });
        }
        Ok(Blueprint { file: name, items })
    }

    /// The question an item names.
    fn find<'q>(&self, item: &Item, questions: &'q [Question]) -> Option<&'q Question> {
        let wanted = key(&item.item);
        questions
            .iter()
            .find(|q| key(&q.name) == wanted)
            .or_else(|| {
                // `3` names `3. What is...`, `Q3` names `Q3) ...`.
                questions.iter().find(|q| {
                    let name = key(&q.name);
                    name.strip_prefix(&wanted)
                        .is_some_and(|rest| rest.starts_with(['.', ')', ':', ' ']))
                })
            })
    }

    /// Each skill's percent for each row, skills in the blueprint's order.
    pub(crate) fn score(
        &self,
        questions: &[Question],
        rows: &[&SourceRow],
        data: &str,
        header: &[String],
        decimal_comma: bool,
    ) -> Result<Vec<(String, Vec<Option<f64>>)>> {
        let mut resolved = Vec::new();
        for item in &self.items {
            let Some(question) = self.find(item, questions) else {
                let names: Vec<&str> = questions.iter().map(|q| q.name.as_str()).collect();
                return Err(Error::problem(
                    Diagnostic::error(
                        Code::UnknownItem,
                        format!("item `{}` is not a question of `{data}`", item.item),
                    )
                    .at(Location::line(&self.file, item.line))
                    .help_opt(
                        did_you_mean(&item.item, names.iter().copied())
                            .or_else(|| Some(format!("the questions are {}", list(&names)))),
                    ),
                ));
            };
            resolved.push((item, question));
        }
        let mut skills: Vec<String> = Vec::new();
        for item in &self.items {
            if !skills.contains(&item.skill) {
                skills.push(item.skill.clone());
            }
        }
        let mut out: Vec<(String, Vec<Option<f64>>)> =
            skills.iter().map(|s| (s.clone(), Vec::new())).collect();
        for row in rows {
            let mut sums = vec![(0.0f64, 0.0f64); skills.len()];
            for (item, question) in &resolved {
                let s = skills.iter().position(|k| *k == item.skill).unwrap_or(0);
                if let Some(fraction) = earned(item, question, row, data, header, decimal_comma)? {
                    sums[s].0 += fraction * item.points;
                    sums[s].1 += item.points;
                }
            }
            for ((_, scores), (got, possible)) in out.iter_mut().zip(sums) {
                scores.push((possible > 0.0).then(|| 100.0 * got / possible));
            }
        }
        Ok(out)
    }

    /// Questions that no item names, as a note.
    pub(crate) fn notes(&self, questions: &[Question], _header: &[String]) -> Vec<Diagnostic> {
        let named: Vec<&str> = self
            .items
            .iter()
            .filter_map(|item| self.find(item, questions).map(|q| q.name.as_str()))
            .collect();
        let unnamed: Vec<&str> = questions
            .iter()
            .map(|q| q.name.as_str())
            .filter(|n| !named.contains(n))
            .collect();
        if unnamed.is_empty() {
            return Vec::new();
        }
        vec![Diagnostic::warning(
            Code::UnscoredQuestions,
            format!(
                "{} in no skill of the blueprint, not scored: {}",
                count(unnamed.len(), "question"),
                list(&unnamed)
            ),
        )]
    }
}

/// The share of an item's points a student earned; `None` when the question
/// was not assessed.
fn earned(
    item: &Item,
    question: &Question,
    row: &SourceRow,
    data: &str,
    header: &[String],
    decimal_comma: bool,
) -> Result<Option<f64>> {
    let number = |text: &str| cell_number(text.trim().as_bytes(), decimal_comma);
    let answer = row.cell(question.answer).trim();
    if let Some(key) = &item.key {
        // With an answer key, the answer decides; no answer is a wrong one.
        return Ok(Some(if answer.eq_ignore_ascii_case(key.trim()) {
            1.0
        } else {
            0.0
        }));
    }
    let (column, max) = match question.points {
        Some((column, max)) => (column, Some(max)),
        None => (question.answer, None),
    };
    let cell = row.cell(column).trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let lower = cell.to_lowercase();
    let fraction = match lower.as_str() {
        "correct" | "true" | "yes" | "y" | "✓" | "✔" => Some(1.0),
        "incorrect" | "wrong" | "false" | "no" | "n" | "✗" | "✘" => Some(0.0),
        _ => match cell.split_once('/') {
            Some((got, of)) => match (number(got), number(of)) {
                (Some(got), Some(of)) if of > 0.0 && (0.0..=of).contains(&got) => Some(got / of),
                _ => None,
            },
            None => number(cell)
                .map(|got| got / max.unwrap_or(item.points))
                .filter(|f| (0.0..=1.0).contains(f)),
        },
    };
    match fraction {
        Some(f) => Ok(Some(f)),
        None => Err(Error::problem(
            Diagnostic::error(
                Code::BadItem,
                format!("`{}` is not a score for question `{}` (out of {})", crate::diagnostic::clip(cell), item.item, crate::condition::format_number(max.unwrap_or(item.points))),
            )
            .at(Location::cell(data, row.line, column + 1, &header[column]))
            .help("write points earned (1, 0.5), points over the maximum (1 / 2), or correct / incorrect; or give the blueprint a `key` column"),
        )),
    }
}
