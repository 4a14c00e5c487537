//! A profile applied to a file: vendor headers renamed to tierplan's
//! fields, one row kept per student, skill scores read from words, numbered
//! pairs, long rows or item responses. The result is a [`StudentTable`] with one row
//! per student, which the engine then reads like any CSV.
//!
//! Nothing is dropped quietly: rows left out (an older test, a row of
//! another subject, a form submitted again) are counted in notes, and a
//! cell that cannot be read is an error at its line and column.
//!
//! This file reads the source rows, resolves the fields, applies `--only`
//! and keeps one row per student, then hands the skills to one layout, a
//! file each: [`wide`] (a column per skill), [`long`] (a row per result),
//! [`items`] (answers to questions, scored by a [`blueprint`]) and
//! [`probes`] (progress-monitoring probes). What they share, the source's
//! rows, header and fields, is in [`source`].

pub(crate) mod blueprint;
mod items;
mod long;
pub(crate) mod probes;
mod source;
mod wide;

use std::collections::HashMap;
use std::path::Path;

pub use source::Narrowing;
pub(crate) use source::SourceRow;

use self::items::item_scores;
use self::long::long_rows;
use self::source::{Field, Header, Rows, resolve_fields};
use self::wide::wide_skills;
use super::input::Input;
use super::only;
use super::profile::{Keep, Profile};
use super::table::StudentTable;
use crate::date::parse_date;
use crate::diagnostic::{Code, Diagnostic, Location, count, list};
use crate::error::{Error, Result};
use crate::rules::Rules;

/// Apply `profile` to `input`.
pub(crate) fn apply(
    profile: &Profile,
    input: &Input,
    rules: &Rules,
    narrowing: &Narrowing,
    blueprint: Option<&Path>,
) -> Result<StudentTable> {
    let mut file = input.csv()?;
    let header_names = file.header.clone();
    let header = Header::new(&header_names);
    let name = &input.name;
    let mut table = StudentTable {
        file: name.clone(),
        path: input.path().map(Path::to_path_buf),
        profile: Some(profile.label.clone()),
        // A `;`-separated file writes decimals with a comma.
        decimal_comma: file.delimiter == b';',
        ..StudentTable::default()
    };
    let mut rows = Vec::new();
    let mut short = Vec::new();
    while file.read_row()? {
        // Spreadsheets drop a row's empty cells at its end: a short row
        // reads as if they were there (and is noted); a long one is wrong.
        if file.record.len() < header_names.len() {
            short.push(file.line());
        } else if file.record.len() > header_names.len() {
            let d = Diagnostic::error(
                Code::RaggedRow,
                format!(
                    "this row has {} fields, and the header has {}",
                    file.record.len(),
                    header_names.len()
                ),
            )
            .at(Location::line(name, file.line()))
            .help("check for a missing or extra delimiter, or a quote that is not closed");
            narrowing.problem(d, &mut table)?;
            continue;
        }
        rows.push(SourceRow::new(
            file.record.iter(),
            header_names.len(),
            file.line(),
        ));
    }
    if let Some(first) = short.first() {
        table.notes.push(
            Diagnostic::warning(
                Code::ShortRows,
                format!(
                    "{} fewer fields than the header (first on line {first}); the missing cells at their ends are read as empty",
                    if short.len() == 1 { "1 row has".to_owned() } else { format!("{} rows have", short.len()) }
                ),
            )
            .at(Location::line(name, *first)),
        );
    }
    let fields = resolve_fields(profile, &header, name)?;
    let id = fields
        .iter()
        .position(|f| f.name == "student_id")
        .unwrap_or(0);

    for f in &fields {
        table
            .recognised
            .push((f.name.clone(), f.describe(&header_names)));
        if profile.skills.probes.is_some() && probes::INPUTS.contains(&f.name.as_str()) {
            // The probes' own date and goal become computed columns.
            continue;
        }
        let source = f.column().map(|c| (c + 1, header_names[c].clone()));
        table.column(&f.name, source)?;
    }
    table.fields = fields.len();
    let rows = skip_pseudo_rows(profile, rows, &mut table);
    let rows = narrow(rows, &fields, &header, narrowing, profile, name, &mut table)?;
    let skills = &profile.skills;
    let source = Rows {
        rows: &rows,
        fields: &fields,
        id,
        header: &header,
        file: name,
    };
    let used: Vec<usize> = if let Some(probes) = &skills.probes {
        probes::pivot(probes, &source, rules, narrowing, &mut table)?
    } else if let Some(long) = &skills.long {
        long_rows(long, skills, &source, rules, narrowing, &mut table)?
    } else {
        let kept = keep_rows(profile, &rows, &fields, id, &header, name, &mut table);
        for &i in &kept {
            table.push_row(fields.iter().map(|f| f.read(&rows[i])), rows[i].line);
        }
        if let Some(items) = &skills.items {
            let kept_rows: Vec<&SourceRow> = kept.iter().map(|&i| &rows[i]).collect();
            item_scores(
                items.layout,
                items.total.as_deref(),
                &kept_rows,
                &header,
                &fields,
                blueprint,
                name,
                &mut table,
            )?
        } else {
            wide_skills(skills, &kept, &rows, &header, &mut table)?
        }
    };
    let mut used_columns: Vec<usize> = fields.iter().flat_map(|f| f.columns().to_vec()).collect();
    used_columns.extend(used);
    table.ignored = (0..header_names.len())
        .filter(|i| !used_columns.contains(i) && !header_names[*i].trim().is_empty())
        .map(|i| header_names[i].clone())
        .collect();
    Ok(table)
}

/// Rows that are not students (Canvas's `Points Possible`) are left out.
fn skip_pseudo_rows(
    profile: &Profile,
    rows: Vec<SourceRow>,
    table: &mut StudentTable,
) -> Vec<SourceRow> {
    if profile.rows.skip.is_empty() {
        return rows;
    }
    let before = rows.len();
    let rows: Vec<SourceRow> = rows
        .into_iter()
        .filter(|row| {
            let first = row
                .cells()
                .map(str::trim)
                .find(|c| !c.is_empty())
                .unwrap_or("");
            !profile
                .rows
                .skip
                .iter()
                .any(|s| first.starts_with(s.as_str()))
        })
        .collect();
    let skipped = before - rows.len();
    if skipped > 0 {
        table.notes.push(Diagnostic::warning(
            Code::NotAStudent,
            format!(
                "{} that are not students left out ({})",
                count(skipped, "row"),
                list(&profile.rows.skip)
            ),
        ));
    }
    rows
}

/// Apply `--only`, then check the profile's `split` field has one value.
fn narrow(
    rows: Vec<SourceRow>,
    fields: &[Field],
    header: &Header<'_>,
    narrowing: &Narrowing,
    profile: &Profile,
    file: &str,
    table: &mut StudentTable,
) -> Result<Vec<SourceRow>> {
    let mut rows = rows;
    for (name, value) in &narrowing.only {
        let field = fields.iter().find(|f| f.name == *name);
        let column = only::column_named(header.names, name);
        let read = |row: &SourceRow| match (field, column) {
            (Some(f), _) => f.read(row),
            (None, Some(c)) => row.cell(c).trim().to_owned(),
            (None, None) => String::new(),
        };
        if field.is_none() && column.is_none() {
            let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(only::unknown(name, file, &known, header.names));
        }
        let before = rows.len();
        let mut values: Vec<String> = Vec::new();
        for row in &rows {
            let v = read(row);
            if !v.is_empty() && !values.contains(&v) {
                values.push(v);
            }
        }
        rows.retain(|row| only::matches(&read(row), value));
        if rows.is_empty() && before > 0 {
            return Err(only::nothing_selected(file, name, value, &values));
        }
        let left = before - rows.len();
        if left > 0 {
            table.notes.push(only::left_out(left, name, value));
        }
    }
    if let Some(split) = &profile.rows.split
        && let Some(field) = fields.iter().find(|f| f.name == *split)
    {
        let mut values: Vec<String> = Vec::new();
        for row in &rows {
            let v = field.read(row);
            if !v.is_empty() && !values.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                values.push(v);
            }
        }
        if values.len() > 1 {
            return Err(Error::problem(
                Diagnostic::error(
                    Code::SeveralSubjects,
                    format!(
                        "`{file}` holds results for {} {split}s: {}; plan one at a time",
                        values.len(),
                        list(&values)
                    ),
                )
                .at(Location::file(file))
                .help(format!("add `--only {split}={}` (or another)", values[0])),
            ));
        }
    }
    Ok(rows)
}

/// One row per student (and section, for a student in several): the
/// preferred row if the profile marks one, else the last, first or latest;
/// the others are counted in a note.
fn keep_rows(
    profile: &Profile,
    rows: &[SourceRow],
    fields: &[Field],
    id: usize,
    header: &Header<'_>,
    file: &str,
    table: &mut StudentTable,
) -> Vec<usize> {
    let prefer = profile
        .rows
        .prefer
        .as_ref()
        .and_then(|p| header.first(&p.column).map(|c| (c, p.value.as_str())));
    let date = fields.iter().find(|f| f.name == "date");
    // A student is a section and an id: a student in two classes keeps a
    // row in each, planned there.
    let section = fields.iter().find(|f| f.name == "section");
    // Students in order of first appearance, each with its rows.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut by_id: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let id = fields[id].read(row);
        if id.is_empty() {
            // Kept as is: the reader reports a row without an id.
            let alone = (format!("\u{0}{i}"), String::new());
            order.push(alone.clone());
            by_id.insert(alone, vec![i]);
            continue;
        }
        let key = (section.map(|f| f.read(row)).unwrap_or_default(), id);
        by_id
            .entry(key.clone())
            .or_insert_with(|| {
                order.push(key.clone());
                Vec::new()
            })
            .push(i);
    }
    let mut kept = Vec::with_capacity(order.len());
    let mut left_out = 0;
    for key in &order {
        let candidates = &by_id[key];
        let preferred: Vec<usize> = match prefer {
            Some((column, value)) => candidates
                .iter()
                .copied()
                .filter(|&i| rows[i].cell(column).trim().eq_ignore_ascii_case(value))
                .collect(),
            None => Vec::new(),
        };
        let pool = if preferred.is_empty() {
            candidates.clone()
        } else {
            preferred
        };
        let chosen = match profile.rows.keep {
            Keep::First => pool[0],
            Keep::Last => pool[pool.len() - 1],
            Keep::Latest => {
                let day = |i: usize| date.and_then(|d| parse_date(&d.read(&rows[i])));
                // The latest date; rows without one count as oldest; a tie
                // goes to the later row in the file.
                *pool
                    .iter()
                    .max_by_key(|&&i| (day(i), i))
                    .unwrap_or(&pool[0])
            }
        };
        left_out += candidates.len() - 1;
        kept.push(chosen);
    }
    kept.sort_unstable();
    if left_out > 0 {
        let rule = match (profile.rows.prefer.as_ref(), profile.rows.keep) {
            (Some(p), _) => format!(
                "the row marked `{}` = `{}`, else the latest",
                p.column[0], p.value
            ),
            (None, Keep::Latest) => "the latest by date".to_owned(),
            (None, Keep::Last) => "the last in the file".to_owned(),
            (None, Keep::First) => "the first in the file".to_owned(),
        };
        table.notes.push(
            Diagnostic::warning(
                Code::OlderRows,
                format!(
                    "{} for students with several left out: each student's row is {rule}",
                    count(left_out, "row")
                ),
            )
            .at(Location::file(file)),
        );
    }
    kept
}
