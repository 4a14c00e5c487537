//! The wide layout: a column per skill, found by name, by a pattern
//! (`{skill} Score`) or as numbered pairs of name and score columns, with
//! words (`Mastered`) read as the profile's numbers.

use super::super::profile::SkillSource;
use super::super::table::StudentTable;
use super::source::{Header, SourceRow, score_text};

/// Skills from columns, a pattern or numbered pairs, for the kept rows.
pub(super) fn wide_skills(
    skills: &SkillSource,
    kept: &[usize],
    rows: &[SourceRow],
    header: &Header<'_>,
    table: &mut StudentTable,
) -> Vec<usize> {
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
        let index = table.column(skill, Some((column + 1, header.names[*column].clone())));
        for (row, &i) in table.rows.iter_mut().zip(kept) {
            row.cells[index] = score_text(&rows[i].cells[*column], skills);
        }
        used.push(*column);
    }
    if let Some(pairs) = &skills.pairs {
        for n in 1..100 {
            let (Some(name_col), Some(score_col)) = (
                header.find(&pairs.name.replace("{n}", &n.to_string())),
                header.find(&pairs.score.replace("{n}", &n.to_string())),
            ) else {
                break;
            };
            used.extend([name_col, score_col]);
            for (r, &i) in kept.iter().enumerate() {
                let skill = rows[i].cells[name_col].trim();
                if skill.is_empty() {
                    continue;
                }
                let index = match table.header.iter().position(|h| h == skill) {
                    Some(index) => index,
                    None => table.column(skill, None),
                };
                table.rows[r].cells[index] = score_text(&rows[i].cells[score_col], skills);
            }
        }
    }
    used
}
