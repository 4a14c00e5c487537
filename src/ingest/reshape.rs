//! A profile applied to a file: vendor headers renamed to tierplan's
//! fields, one row kept per student, skill scores read from words, numbered
//! pairs, long rows or item responses. The result is a [`Table`] with one row
//! per student, which the engine then reads like any CSV.
//!
//! Nothing is dropped quietly: rows left out (an older test, a row of
//! another subject, a form submitted again) are counted in notes, and a
//! cell that cannot be read is an error at its line and column.

use std::collections::HashMap;
use std::path::Path;

use super::blueprint::Blueprint;
use super::columns::normalize;
use super::input::Input;
use super::only;
use super::profile::{Alt, FieldSource, ItemLayout, Keep, Profile, SkillSource};
use super::score::{cell_number, parse_score};
use super::table::{Table, TableRow};
use crate::condition::format_number;
use crate::date::{Day, parse_date};
use crate::diagnostic::{Diagnostic, Location, count, list};
use crate::error::{Error, Result};
use crate::rules::{Combine, Rules};

/// What the command line adds to a profile.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    /// `--only FIELD=VALUE`: keep the rows whose field (or column) has this
    /// value.
    pub only: Vec<(String, String)>,
    /// `--lenient`: a cell or row that cannot be read becomes a note and is
    /// left out, instead of stopping the run.
    pub lenient: bool,
}

impl Narrowing {
    /// A problem: the run's error, or with `--lenient` a note in `table`.
    pub(super) fn problem(&self, d: Diagnostic, table: &mut Table) -> Result<()> {
        if self.lenient {
            table.notes.push(Diagnostic {
                severity: crate::diagnostic::Severity::Warning,
                ..d
            });
            Ok(())
        } else {
            Err(Error::problem(d))
        }
    }
}

/// One row of the source file.
pub struct SourceRow {
    pub cells: Vec<String>,
    pub line: u64,
}

/// How a field is read from a row.
enum FieldPlan {
    /// These columns, joined with a space.
    Join(Vec<usize>),
    /// The first non-empty of these columns.
    FirstOf(Vec<usize>),
}

/// A resolved field: its name, how to read it, and what to replace.
pub(super) struct Field {
    pub(super) name: String,
    plan: FieldPlan,
    recode: Vec<(String, String)>,
}

impl Field {
    pub(super) fn read(&self, row: &SourceRow) -> String {
        let value = match &self.plan {
            FieldPlan::Join(columns) => {
                let parts: Vec<&str> = columns
                    .iter()
                    .map(|&c| row.cells[c].trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                parts.join(" ")
            }
            FieldPlan::FirstOf(columns) => columns
                .iter()
                .map(|&c| row.cells[c].trim())
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_owned(),
        };
        match self
            .recode
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(&value))
        {
            Some((_, to)) => to.clone(),
            None => value,
        }
    }

    /// The one source column, when the field has one.
    pub(super) fn column(&self) -> Option<usize> {
        match &self.plan {
            FieldPlan::Join(c) | FieldPlan::FirstOf(c) if c.len() == 1 => Some(c[0]),
            _ => None,
        }
    }

    /// `First Name + Last Name`, `FAST ID or Local ID`: where it is read.
    fn describe(&self, header: &[String]) -> String {
        let (columns, joint) = match &self.plan {
            FieldPlan::Join(c) => (c, " + "),
            FieldPlan::FirstOf(c) => (c, " or "),
        };
        let names: Vec<&str> = columns.iter().map(|&c| header[c].as_str()).collect();
        names.join(joint)
    }

    fn columns(&self) -> &[usize] {
        match &self.plan {
            FieldPlan::Join(c) | FieldPlan::FirstOf(c) => c,
        }
    }
}

/// The file's header, for lookups by name.
pub(super) struct Header<'a> {
    pub(super) names: &'a [String],
    keys: Vec<String>,
}

impl<'a> Header<'a> {
    fn new(names: &'a [String]) -> Self {
        Header {
            names,
            keys: names.iter().map(|h| normalize(h)).collect(),
        }
    }

    /// The first column headed `name` (duplicated headers: the first).
    fn find(&self, name: &str) -> Option<usize> {
        let key = normalize(name);
        self.keys.iter().position(|k| !k.is_empty() && *k == key)
    }

    pub(super) fn first(&self, names: &[String]) -> Option<usize> {
        names.iter().find_map(|n| self.find(n))
    }
}

/// Apply `profile` to `input`.
pub fn apply(
    profile: &Profile,
    input: &Input,
    rules: &Rules,
    narrowing: &Narrowing,
    blueprint: Option<&Path>,
) -> Result<Table> {
    let mut file = input.csv()?;
    let header_names = file.header.clone();
    let header = Header::new(&header_names);
    let name = &input.name;
    let mut table = Table {
        file: name.clone(),
        path: input.path().map(Path::to_path_buf),
        profile: Some(profile.label.clone()),
        // A `;`-separated file writes decimals with a comma.
        decimal_comma: file.delimiter == b';',
        ..Table::default()
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
                "ragged-row",
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
        let cells = file
            .record
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .chain(std::iter::repeat(String::new()))
            .take(header_names.len())
            .collect();
        rows.push(SourceRow {
            cells,
            line: file.line(),
        });
    }
    if let Some(first) = short.first() {
        table.notes.push(
            Diagnostic::warning(
                "short-rows",
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
        if profile.skills.probes.is_some() && super::probes::INPUTS.contains(&f.name.as_str()) {
            // The probes' own date and goal become computed columns.
            continue;
        }
        let source = f.column().map(|c| (c + 1, header_names[c].clone()));
        table.column(&f.name, source);
    }
    table.fields = fields.len();
    let rows = skip_pseudo_rows(profile, rows, &mut table);
    let rows = narrow(rows, &fields, &header, narrowing, profile, name, &mut table)?;
    let skills = &profile.skills;
    let used: Vec<usize> = if let Some(probes) = &skills.probes {
        super::probes::pivot(
            probes, &rows, &fields, id, &header, rules, narrowing, name, &mut table,
        )?
    } else if let Some(long) = &skills.long {
        long_rows(
            long, skills, &rows, &fields, id, &header, rules, narrowing, name, &mut table,
        )?
    } else {
        let kept = keep_rows(profile, &rows, &fields, id, &header, name, &mut table);
        for &i in &kept {
            let cells = fields.iter().map(|f| f.read(&rows[i])).collect();
            table.rows.push(TableRow {
                cells,
                line: rows[i].line,
            });
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
            wide_skills(skills, &kept, &rows, &header, &mut table)
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

fn resolve_fields(profile: &Profile, header: &Header<'_>, file: &str) -> Result<Vec<Field>> {
    let mut fields = Vec::new();
    for (name, source) in &profile.fields.0 {
        let plan = match source {
            FieldSource::One(column) => header.find(column).map(|c| FieldPlan::Join(vec![c])),
            FieldSource::Alternatives(alternatives) => {
                alternatives.iter().find_map(|alt| match alt {
                    Alt::Column(column) => header.find(column).map(|c| FieldPlan::Join(vec![c])),
                    Alt::Join(columns) => {
                        let found: Option<Vec<usize>> =
                            columns.iter().map(|c| header.find(c)).collect();
                        found.map(FieldPlan::Join)
                    }
                })
            }
            FieldSource::FirstOf { first_of } => {
                let found: Vec<usize> = first_of.iter().filter_map(|c| header.find(c)).collect();
                (!found.is_empty()).then_some(FieldPlan::FirstOf(found))
            }
        };
        let recode = profile
            .recode
            .0
            .iter()
            .find(|(field, _)| field.value == name.value)
            .map(|(_, map)| {
                map.0
                    .iter()
                    .map(|(from, to)| (from.value.clone(), to.clone()))
                    .collect()
            })
            .unwrap_or_default();
        match plan {
            Some(plan) => fields.push(Field {
                name: name.value.clone(),
                plan,
                recode,
            }),
            None if name.value == "student_id" => {
                return Err(Error::problem(
                    Diagnostic::error(
                        "missing-column",
                        format!(
                            "`{file}` looks like a {} file but has no student id column",
                            profile.label
                        ),
                    )
                    .at(Location::line(file, 1))
                    .help(format!(
                        "the profile `{}` looks for {}; choose another with `--profile`",
                        profile.name,
                        describe(source)
                    )),
                ));
            }
            None => {}
        }
    }
    Ok(fields)
}

fn describe(source: &FieldSource) -> String {
    match source {
        FieldSource::One(c) => format!("`{c}`"),
        FieldSource::Alternatives(alts) => {
            let names: Vec<String> = alts
                .iter()
                .map(|a| match a {
                    Alt::Column(c) => c.clone(),
                    Alt::Join(cs) => cs.join(" + "),
                })
                .collect();
            list(&names)
        }
        FieldSource::FirstOf { first_of } => list(first_of),
    }
}

/// Rows that are not students (Canvas's `Points Possible`) are left out.
fn skip_pseudo_rows(profile: &Profile, rows: Vec<SourceRow>, table: &mut Table) -> Vec<SourceRow> {
    if profile.rows.skip.is_empty() {
        return rows;
    }
    let before = rows.len();
    let rows: Vec<SourceRow> = rows
        .into_iter()
        .filter(|row| {
            let first = row
                .cells
                .iter()
                .map(|c| c.trim())
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
            "not-a-student",
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
    table: &mut Table,
) -> Result<Vec<SourceRow>> {
    let mut rows = rows;
    for (name, value) in &narrowing.only {
        let field = fields.iter().find(|f| f.name == *name);
        let column = only::column_named(header.names, name);
        let read = |row: &SourceRow| match (field, column) {
            (Some(f), _) => f.read(row),
            (None, Some(c)) => row.cells[c].trim().to_owned(),
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
                    "several-subjects",
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

/// One row per student: the preferred row if the profile marks one, else
/// the last, first or latest; the others are counted in a note.
fn keep_rows(
    profile: &Profile,
    rows: &[SourceRow],
    fields: &[Field],
    id: usize,
    header: &Header<'_>,
    file: &str,
    table: &mut Table,
) -> Vec<usize> {
    let prefer = profile
        .rows
        .prefer
        .as_ref()
        .and_then(|p| header.first(&p.column).map(|c| (c, p.value.as_str())));
    let date = fields.iter().find(|f| f.name == "date");
    // Students in order of first appearance, each with its rows.
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let key = fields[id].read(row);
        if key.is_empty() {
            // Kept as is: the reader reports a row without an id.
            order.push(format!("\u{0}{i}"));
            by_id.insert(format!("\u{0}{i}"), vec![i]);
            continue;
        }
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
                .filter(|&i| rows[i].cells[column].trim().eq_ignore_ascii_case(value))
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
                "older-rows",
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

/// The words and empty values of a skill cell, as a score the reader takes.
fn score_text(cell: &str, skills: &SkillSource) -> String {
    let cell = cell.trim();
    if skills.missing.iter().any(|m| m.eq_ignore_ascii_case(cell)) {
        return String::new();
    }
    match skills
        .values
        .0
        .iter()
        .find(|(word, _)| word.value.eq_ignore_ascii_case(cell))
    {
        Some((_, value)) => format_number(*value),
        None => cell.to_owned(),
    }
}

/// Skills from columns, a pattern or numbered pairs, for the kept rows.
fn wide_skills(
    skills: &SkillSource,
    kept: &[usize],
    rows: &[SourceRow],
    header: &Header<'_>,
    table: &mut Table,
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

/// One result of a long row.
struct Result1 {
    day: Option<Day>,
    score: f64,
}

/// Long rows pivoted: one row per student, a column per skill, each skill's
/// results combined by the rules' `combine`.
#[allow(clippy::too_many_arguments)]
fn long_rows(
    long: &super::profile::Long,
    skills: &SkillSource,
    rows: &[SourceRow],
    fields: &[Field],
    id: usize,
    header: &Header<'_>,
    rules: &Rules,
    narrowing: &Narrowing,
    file: &str,
    table: &mut Table,
) -> Result<Vec<usize>> {
    let find = |names: &[String], what: &str| {
        header.first(names).ok_or_else(|| {
            Error::problem(
                Diagnostic::error(
                    "missing-column",
                    format!("`{file}` has no {what} column (looked for {})", list(names)),
                )
                .at(Location::line(file, 1)),
            )
        })
    };
    let skill_col = find(&long.skill, "skill")?;
    let score_col = find(&long.score, "score")?;
    let date = fields.iter().find(|f| f.name == "date");
    let mut students: Vec<(String, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut skill_names: Vec<String> = Vec::new();
    // (student, skill) → results in file order.
    let mut results: HashMap<(usize, usize), Vec<Result1>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let key = fields[id].read(row);
        let student = match index.get(&key) {
            Some(&s) if !key.is_empty() => s,
            _ => {
                students.push((key.clone(), i));
                index.insert(key.clone(), students.len() - 1);
                students.len() - 1
            }
        };
        let skill = row.cells[skill_col].trim();
        if skill.is_empty() {
            continue;
        }
        let text = score_text(&row.cells[score_col], skills);
        let score = match parse_score(text.as_bytes(), rules.scale, table.decimal_comma) {
            Ok(Some(score)) => score,
            Ok(None) => continue,
            Err(e) => {
                let d = Diagnostic::error("bad-score", e.message(Some(text.trim())))
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
            let d = Diagnostic::error("bad-date", format!("`{}` is not a date", crate::diagnostic::clip(&when)))
                .at(Location::cell(file, row.line, column + 1, &header.names[column]))
                .help("write dates as 2026-09-14 or 9/14/2026 (month first); without a date, results count in file order");
            narrowing.problem(d, table)?;
            continue;
        }
        let skill_index = match skill_names.iter().position(|s| s == skill) {
            Some(s) => s,
            None => {
                skill_names.push(skill.to_owned());
                skill_names.len() - 1
            }
        };
        results
            .entry((student, skill_index))
            .or_default()
            .push(Result1 { day, score });
    }
    for &(_, first) in &students {
        let cells = fields.iter().map(|f| f.read(&rows[first])).collect();
        table.rows.push(TableRow {
            cells,
            line: rows[first].line,
        });
    }
    let several = results.values().filter(|r| r.len() > 1).count();
    for (s, skill) in skill_names.iter().enumerate() {
        let column = table.column(skill, None);
        for (student, row) in table.rows.iter_mut().enumerate() {
            if let Some(list) = results.get_mut(&(student, s)) {
                row.cells[column] = format_number(combine(list, rules.combine, rules.decay));
            }
        }
    }
    if several > 0 {
        table.notes.push(Diagnostic::warning(
            "combined",
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

/// Several results for one skill → the one that counts. Results are taken
/// oldest first: by date, and in file order among equal or missing dates.
pub fn combine_scores(scores: &[(Option<Day>, f64)], rule: Combine, decay: f64) -> f64 {
    let mut list: Vec<Result1> = scores
        .iter()
        .map(|&(day, score)| Result1 { day, score })
        .collect();
    combine(&mut list, rule, decay)
}

fn combine(list: &mut [Result1], rule: Combine, decay: f64) -> f64 {
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

/// Item responses → skill percents, by the blueprint; without one, the
/// quiz's total (Google Forms) or all its questions (Canvas) as one skill.
#[allow(clippy::too_many_arguments)]
fn item_scores(
    layout: ItemLayout,
    total: Option<&[String]>,
    rows: &[&SourceRow],
    header: &Header<'_>,
    fields: &[Field],
    blueprint: Option<&Path>,
    file: &str,
    table: &mut Table,
) -> Result<Vec<usize>> {
    let field_columns: Vec<usize> = fields.iter().flat_map(|f| f.columns().to_vec()).collect();
    // Each question: its name (header, or the id before `:` for Canvas), its
    // answer column, and for Canvas the points column and its maximum.
    let mut questions: Vec<super::blueprint::Question> = Vec::new();
    let total_col = total.and_then(|t| header.first(t));
    for (c, h) in header.names.iter().enumerate() {
        if field_columns.contains(&c) || Some(c) == total_col || h.trim().is_empty() {
            continue;
        }
        match layout {
            ItemLayout::Rest => questions.push(super::blueprint::Question {
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
                questions.push(super::blueprint::Question {
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
                let column = table.column(&skill, None);
                for (row, score) in table.rows.iter_mut().zip(scores) {
                    row.cells[column] = score.map(format_number).unwrap_or_default();
                }
            }
            table
                .notes
                .extend(blueprint.notes(&questions, header.names));
        }
        None => match (layout, total_col) {
            (ItemLayout::Rest, Some(c)) => {
                let column = table.column(&header.names[c], Some((c + 1, header.names[c].clone())));
                for (row, source) in table.rows.iter_mut().zip(rows) {
                    row.cells[column] = source.cells[c].trim().to_owned();
                }
                used.retain(|_| false);
                used.push(c);
            }
            (ItemLayout::Canvas, _) => {
                let column = table.column("quiz", None);
                for (row, source) in table.rows.iter_mut().zip(rows) {
                    let (mut earned, mut possible) = (0.0, 0.0);
                    for q in &questions {
                        if let Some((points_col, max)) = q.points
                            && let Some(points) = cell_number(
                                source.cells[points_col].trim().as_bytes(),
                                table.decimal_comma,
                            )
                        {
                            earned += points;
                            possible += max;
                        }
                    }
                    if possible > 0.0 {
                        row.cells[column] = format_number(100.0 * earned / possible);
                    }
                }
            }
            (ItemLayout::Rest, None) => {
                return Err(Error::problem(
                    Diagnostic::error("no-blueprint", format!("`{file}` holds answers to questions, and no blueprint says how they score"))
                        .at(Location::file(file))
                        .help("give `--blueprint FILE` (a CSV `item,skill,points,key`) or `skills: {blueprint: FILE}` in the rules"),
                ));
            }
        },
    }
    Ok(used)
}

#[cfg(test)]
mod tests {
    use super::*;

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
