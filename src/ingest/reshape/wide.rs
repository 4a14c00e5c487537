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
    Ok(used)
}
