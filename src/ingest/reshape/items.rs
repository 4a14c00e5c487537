//! Item responses: a column per question, scored into skills by a
//! blueprint (see [`super::blueprint`]); without one, the quiz's total
//! (Google Forms) or all its points (Canvas) as one skill.

use std::path::Path;

use super::super::profile::ItemLayout;
use super::super::score::cell_number;
use super::super::table::StudentTable;
use super::blueprint::{Blueprint, Question};
use super::source::{Field, Header, SourceRow};
use crate::condition::format_number;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// Item responses → skill percents, by the blueprint; without one, the
/// quiz's total (Google Forms) or all its questions (Canvas) as one skill.
#[allow(clippy::too_many_arguments)]
pub(super) fn item_scores(
    layout: ItemLayout,
    total: Option<&[String]>,
    rows: &[&SourceRow],
    header: &Header<'_>,
    fields: &[Field],
    blueprint: Option<&Path>,
    file: &str,
    table: &mut StudentTable,
) -> Result<Vec<usize>> {
    let field_columns: Vec<usize> = fields.iter().flat_map(|f| f.columns().to_vec()).collect();
    // Each question: its name (header, or the id before `:` for Canvas), its
    // answer column, and for Canvas the points column and its maximum.
    let mut questions: Vec<Question> = Vec::new();
    let total_col = total.and_then(|t| header.first(t));
    for (c, h) in header.names.iter().enumerate() {
        if field_columns.contains(&c) || Some(c) == total_col || h.trim().is_empty() {
            continue;
        }
        match layout {
            ItemLayout::Rest => questions.push(Question {
                name: h.trim().to_owned(),
                answer: c,
                points: None,
            }),
            ItemLayout::Canvas => {
                let Some((id, _)) = h.split_once(':') else {
                    continue;
                };
                if id.trim().is_empty() || !id.trim().bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                let points = header.names.get(c + 1).and_then(|p| {
                    cell_number(p.trim().as_bytes(), table.decimal_comma).map(|max| (c + 1, max))
                });
                questions.push(Question {
                    name: id.trim().to_owned(),
                    answer: c,
                    points,
                });
            }
        }
    }
    let mut used: Vec<usize> = questions
        .iter()
        .flat_map(|q| [Some(q.answer), q.points.map(|p| p.0)])
        .flatten()
        .collect();
    match blueprint {
        Some(path) => {
            let blueprint = Blueprint::load(path)?;
            let scored =
                blueprint.score(&questions, rows, file, header.names, table.decimal_comma)?;
            for (skill, scores) in scored {
                let column = table.column(&skill, None)?;
                for (row, score) in scores.into_iter().enumerate().take(table.len()) {
                    if let Some(score) = score {
                        table.set(row, column, &format_number(score));
                    }
                }
            }
            table
                .notes
                .extend(blueprint.notes(&questions, header.names));
        }
        None => match (layout, total_col) {
            (ItemLayout::Rest, Some(c)) => {
                let column =
                    table.column(&header.names[c], Some((c + 1, header.names[c].clone())))?;
                for (row, source) in rows.iter().enumerate().take(table.len()) {
                    table.set(row, column, source.cell(c).trim());
                }
                used.retain(|_| false);
                used.push(c);
            }
            (ItemLayout::Canvas, _) => {
                let column = table.column("quiz", None)?;
                for (row, source) in rows.iter().enumerate().take(table.len()) {
                    let (mut earned, mut possible) = (0.0, 0.0);
                    for q in &questions {
                        if let Some((points_col, max)) = q.points
                            && let Some(points) = cell_number(
                                source.cell(points_col).trim().as_bytes(),
                                table.decimal_comma,
                            )
                        {
                            earned += points;
                            possible += max;
                        }
                    }
                    if possible > 0.0 {
                        table.set(row, column, &format_number(100.0 * earned / possible));
                    }
                }
            }
            (ItemLayout::Rest, None) => {
                return Err(Error::problem(
                    Diagnostic::error(Code::NoBlueprint, format!("`{file}` holds answers to questions, and no blueprint says how they score"))
                        .at(Location::file(file))
                        .help("give `--blueprint FILE` (a CSV `item,skill,points,key`) or `skills: {blueprint: FILE}` in the rules"),
                ));
            }
        },
    }
    Ok(used)
}
