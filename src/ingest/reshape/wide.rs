//! The wide layout: a column per skill, found by name, by a pattern
//! (`{skill} Score`) or as numbered pairs of name and score columns, with
//! words (`Mastered`) read as the profile's numbers.

use std::collections::HashMap;

use super::super::profile::SkillSource;
use super::super::table::StudentTable;
use super::source::{Header, SourceRow, score_text};
use crate::error::Result;

/// Skills from columns, a pattern or numbered pairs, for the kept rows.
pub(super) fn wide_skills(
    skills: &SkillSource,
    kept: &[usize],
    rows: &[SourceRow],
    header: &Header<'_>,
    table: &mut StudentTable,
) -> Result<Vec<usize>> {
    let mut used = Vec::new();
    let mut columns: Vec<(usize, String)> = skills
        .columns
        .iter()
        .filter_map(|name| header.find(name).map(|c| (c, header.names[c].clone())))
        .collect();
    if let Some(pattern) = &skills.pattern
        && let Some((before, after)) = pattern.split_once("{skill}")
    {
        for (c, h) in header.names.iter().enumerate() {
            let Some(skill) = h
                .strip_prefix(before)
                .and_then(|rest| rest.strip_suffix(after))
            else {
                continue;
            };
            let skill = skill.trim();
            if skill.is_empty() || skills.exclude.iter().any(|e| e.eq_ignore_ascii_case(skill)) {
                continue;
            }
            if !columns
                .iter()
                .any(|(_, name)| name.eq_ignore_ascii_case(skill))
            {
                columns.push((c, skill.to_owned()));
            }
        }
    }
    for (column, skill) in &columns {
        let index = table.column(skill, Some((column + 1, header.names[*column].clone())))?;
        for (row, &i) in kept.iter().enumerate() {
            let score = score_text(rows[i].cell(*column), skills);
            // A new column: an empty cell needs no entry.
            if !score.is_empty() {
                table.set(row, index, &score);
            }
        }
        used.push(*column);
    }
    if let Some(pairs) = &skills.pairs {
        // Each header's first column, as `position` would find it.
        let mut columns_by_name: HashMap<String, usize> = HashMap::new();
        for (index, h) in table.header.iter().enumerate() {
            columns_by_name.entry(h.clone()).or_insert(index);
        }
        for n in 1..100 {
            let (Some(name_col), Some(score_col)) = (
                header.find(&pairs.name.replace("{n}", &n.to_string())),
                header.find(&pairs.score.replace("{n}", &n.to_string())),
            ) else {
                break;
            };
            used.extend([name_col, score_col]);
            for (r, &i) in kept.iter().enumerate() {
                let skill = rows[i].cell(name_col).trim();
                if skill.is_empty() {
                    continue;
                }
                let index = match columns_by_name.get(skill) {
                    Some(&index) => index,
                    None => {
                        let index = table.column(skill, None)?;
                        columns_by_name.insert(skill.to_owned(), index);
                        index
                    }
                };
                table.set(r, index, &score_text(rows[i].cell(score_col), skills));
            }
        }
    }
    if let Some(tally) = &skills.tally
        && let (Some(correct), Some(incorrect)) =
            (header.first(&tally.correct), header.first(&tally.incorrect))
    {
        let index = table.column(
            &tally.skill,
            Some((correct + 1, header.names[correct].clone())),
        )?;
        for (row, &i) in kept.iter().enumerate() {
            let score = tally_score(rows[i].cell(correct), rows[i].cell(incorrect));
            if !score.is_empty() {
                table.set(row, index, &score);
            }
        }
        used.extend([correct, incorrect]);
    }
    Ok(used)
}

/// `7/10` for 7 correct and 3 incorrect answers, read as points over a
/// maximum; empty when neither was counted; a cell that is not a count
/// as it is, for the score reader to refuse with its place.
fn tally_score(correct: &str, incorrect: &str) -> String {
    let (correct, incorrect) = (correct.trim(), incorrect.trim());
    if correct.is_empty() && incorrect.is_empty() {
        return String::new();
    }
    match (correct.parse::<u64>(), incorrect.parse::<u64>()) {
        (Ok(c), Ok(i)) => format!("{c}/{}", c + i),
        (Err(_), _) => correct.to_owned(),
        (_, Err(_)) => incorrect.to_owned(),
    }
}
