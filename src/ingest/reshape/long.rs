//! The long layout: a row per student, skill and result, pivoted to a row
//! per student (and section, for a student in several) with a column per
//! skill, several results for one skill combined as the rules' `combine`
//! says.

use std::collections::HashMap;

use super::super::profile::{Long, SkillSource};
use super::super::score::parse_score;
use super::super::table::StudentTable;
use super::source::{Field, Narrowing, Rows, score_text};
use crate::condition::format_number;
use crate::date::{Day, parse_date};
use crate::diagnostic::{Code, Diagnostic, Location, count, list};
use crate::error::{Error, Result};
use crate::rules::{Combine, Rules};

/// What to do about more skills than a table has columns.
const TOO_MANY_SKILLS_HELP: &str = "plan a part of the file at a time (`--only section=NAME`, \
                                    `--only subject=NAME`), or write the results by skill area \
                                    rather than by standard";

/// One result of a long row.
#[derive(Clone, Copy)]
struct DatedScore {
    day: Option<Day>,
    score: f64,
}

/// Long rows pivoted: one row per student, a column per skill, each skill's
/// results combined by the rules' `combine`.
pub(super) fn long_rows(
    long: &Long,
    skills: &SkillSource,
    source: &Rows<'_>,
    rules: &Rules,
    narrowing: &Narrowing,
    table: &mut StudentTable,
) -> Result<Vec<usize>> {
    let &Rows {
        rows,
        fields,
        id,
        header,
        file,
    } = source;
    let find = |names: &[String], what: &str| {
        header.first(names).ok_or_else(|| {
            Error::problem(
                Diagnostic::error(
                    Code::MissingColumn,
                    format!("`{file}` has no {what} column (looked for {})", list(names)),
                )
                .at(Location::line(file, 1)),
            )
        })
    };
    let skill_col = find(&long.skill, "skill")?;
    let score_col = find(&long.score, "score")?;
    let date = fields.iter().find(|f| f.name == "date");
    // A student is a section and an id: a student's rows in two sections
    // (a row per course) are two students, each planned there.
    let section = fields.iter().find(|f| f.name == "section");
    let mut students: Vec<((String, String), usize)> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut skill_names: Vec<String> = Vec::new();
    let mut skill_index: HashMap<String, usize> = HashMap::new();
    // (student, skill, result), in file order: only the results present,
    // never a grid of every student and skill (issue 12).
    let mut results: Vec<(usize, usize, DatedScore)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let key = (
            section.map(|f| f.read(row)).unwrap_or_default(),
            fields[id].read(row),
        );
        let student = match index.get(&key) {
            Some(&s) if !key.1.is_empty() => s,
            _ => {
                students.push((key.clone(), i));
                index.insert(key, students.len() - 1);
                students.len() - 1
            }
        };
        let skill = row.cell(skill_col).trim();
        if skill.is_empty() {
            continue;
        }
        let text = score_text(row.cell(score_col), skills);
        let score = match parse_score(text.as_bytes(), rules.scale, table.decimal_comma) {
            Ok(Some(score)) => score,
            Ok(None) => continue,
            Err(e) => {
                let d = Diagnostic::error(Code::BadScore, e.message(Some(text.trim())))
                    .at(Location::cell(
                        file,
                        row.line,
                        score_col + 1,
                        &header.names[score_col],
                    ))
                    .help(e.help());
                narrowing.problem(d, table)?;
                continue;
            }
        };
        let when = date.map(|d| d.read(row)).unwrap_or_default();
        let day = parse_date(&when);
        if day.is_none() && !when.is_empty() {
            let column = date.and_then(Field::column).unwrap_or(0);
            let d = Diagnostic::error(Code::BadDate, format!("`{}` is not a date", crate::diagnostic::clip(&when)))
                .at(Location::cell(file, row.line, column + 1, &header.names[column]))
                .help("write dates as 2026-09-14 or 9/14/2026 (month first); without a date, results count in file order");
            narrowing.problem(d, table)?;
            continue;
        }
        let skill = match skill_index.get(skill) {
            Some(&s) => s,
            None => {
                skill_names.push(skill.to_owned());
                skill_index.insert(skill.to_owned(), skill_names.len() - 1);
                skill_names.len() - 1
            }
        };
        results.push((student, skill, DatedScore { day, score }));
    }
    drop(skill_index);
    table.room_for(skill_names.len(), "skills", TOO_MANY_SKILLS_HELP)?;
    for &(_, first) in &students {
        table.push_row(
            fields.iter().map(|f| f.read(&rows[first])),
            rows[first].line,
        );
    }
    let first_skill = table.header.len();
    for skill in &skill_names {
        table.column(skill, None)?;
    }
    // A stable sort: each student's results for a skill stay in file order.
    results.sort_by_key(|&(student, skill, _)| (student, skill));
    let mut several = 0;
    let mut list = Vec::new();
    for same in results.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (student, skill, _) = same[0];
        several += usize::from(same.len() > 1);
        list.clear();
        list.extend(same.iter().map(|(_, _, r)| DatedScore { ..*r }));
        let combined = combine(&mut list, rules.combine, rules.decay);
        table.set(student, first_skill + skill, &format_number(combined));
    }
    if several > 0 {
        table.notes.push(Diagnostic::warning(
            Code::Combined,
            format!(
                "{} had several results for one skill; the rules combine them ({})",
                count(several, "student-skill pair"),
                match rules.combine {
                    Combine::MostRecent => "the most recent",
                    Combine::Highest => "the highest",
                    Combine::Mean => "the mean",
                    Combine::DecayingAverage => "a decaying average",
                }
            ),
        ));
    }
    Ok(vec![skill_col, score_col])
}

fn combine(list: &mut [DatedScore], rule: Combine, decay: f64) -> f64 {
    // A stable sort keeps file order among equal dates.
    list.sort_by_key(|r| r.day);
    let scores = list.iter().map(|r| r.score);
    match rule {
        Combine::MostRecent => list.last().map_or(0.0, |r| r.score),
        Combine::Highest => scores.fold(f64::NEG_INFINITY, f64::max),
        Combine::Mean => scores.sum::<f64>() / list.len() as f64,
        Combine::DecayingAverage => scores
            .reduce(|average, next| average * (1.0 - decay) + next * decay)
            .unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Several results for one skill → the one that counts. Results are taken
    /// oldest first: by date, and in file order among equal or missing dates.
    fn combine_scores(scores: &[(Option<Day>, f64)], rule: Combine, decay: f64) -> f64 {
        let mut list: Vec<DatedScore> = scores
            .iter()
            .map(|&(day, score)| DatedScore { day, score })
            .collect();
        combine(&mut list, rule, decay)
    }

    #[test]
    fn combines_several_results_as_the_rules_say() {
        let scores = [
            (Some(3), 3.0),
            (Some(1), 1.0),
            (Some(4), 4.0),
            (Some(2), 2.0),
        ];
        assert_eq!(combine_scores(&scores, Combine::MostRecent, 0.65), 4.0);
        assert_eq!(combine_scores(&scores, Combine::Highest, 0.65), 4.0);
        assert_eq!(combine_scores(&scores, Combine::Mean, 0.65), 2.5);
        // MasteryConnect's worked example: 1, 2, 3, 4 with 65% → 3.48.
        let decaying = combine_scores(&scores, Combine::DecayingAverage, 0.65);
        assert!((decaying - 3.484_625).abs() < 1e-9, "{decaying}");
        // Without dates, file order.
        let undated = [(None, 90.0), (None, 40.0)];
        assert_eq!(combine_scores(&undated, Combine::MostRecent, 0.65), 40.0);
    }
}
