//! Header → [`ColumnMap`]: which column holds each field and each skill,
//! resolved once per file, by name and never by position.
//!
//! Header names match an alias when they are equal ignoring case, spaces,
//! underscores and hyphens (`Student ID`, `student_id` and `STUDENT-ID` are
//! one name). A field the rules need and the file lacks is an error at the
//! field's place in the rules, with the closest header suggested.

use std::collections::{HashMap, HashSet};

use csv::ByteRecord;

pub use crate::header::{normalize, same_header};

use super::input::Origin;
use super::score::{cell_number, parse_score};
use crate::diagnostic::{Code, Diagnostic, Location, clip, did_you_mean, list};
use crate::rules::{Rules, Scale, SkillColumns};

/// The skills of a run: every file's skill columns map into this list.
#[derive(Debug, Clone, Default)]
pub struct Skills {
    pub names: Vec<Box<str>>,
}

/// Where one file keeps each field and skill.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    pub file: String,
    pub header: Vec<String>,
    /// Column of each field slot (`None`: an optional column the file lacks).
    pub field_columns: Vec<Option<usize>>,
    /// Column of each skill of the run (`None`: this file lacks the skill).
    pub skill_columns: Vec<Option<usize>>,
    pub skill_names: Vec<Box<str>>,
    pub id: usize,
    pub name: Option<usize>,
    pub section: Option<usize>,
    /// Columns nothing reads.
    pub ignored: Vec<usize>,
    /// Numbers are written with a decimal comma (`85,5`).
    pub decimal_comma: bool,
    /// Where the columns came from, for a table tierplan built.
    pub origin: Option<std::sync::Arc<Origin>>,
    /// The rules' `recode:`, by column: (spelling as [`crate::rules::recode_key`]
    /// makes it, what it means).
    pub recode: Vec<(usize, Vec<(String, String)>)>,
    /// `--redact`: messages about a cell quote none of its text (it may be
    /// in a column that holds names), only its line and column.
    pub redact: bool,
}

impl ColumnMap {
    /// What the rules' `recode:` makes of `cell` in `column`, if anything.
    pub fn recoded(&self, column: usize, cell: &[u8]) -> Option<&str> {
        let (_, pairs) = self.recode.iter().find(|(c, _)| *c == column)?;
        crate::rules::recoded(pairs, cell)
    }
}

/// The skill headers of one file, in column order, under `rules`.
/// `fixed` leading columns are fields, never skills (a table tierplan built
/// puts the fields first).
pub fn skill_headers(
    rules: &Rules,
    header: &[String],
    file: &str,
    fixed: usize,
) -> Result<Vec<(usize, String)>, Vec<Diagnostic>> {
    let mut claimed = field_claims(rules, header);
    claimed.extend(0..fixed.min(header.len()));
    match &rules.skills {
        SkillColumns::None => Ok(Vec::new()),
        SkillColumns::Rest { ignore } => {
            // `ignore` names the extra columns of plain exports; a table
            // tierplan built from a profile has only fields and skills.
            let ignore: Vec<String> = if fixed > 0 {
                Vec::new()
            } else {
                ignore.iter().map(|i| normalize(i)).collect()
            };
            let mut out: Vec<(usize, String)> = Vec::new();
            let mut problems = Vec::new();
            // Each skill's column by name, so a wide header is checked for
            // duplicates in one pass.
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (i, h) in header.iter().enumerate() {
                let key = normalize(h);
                if key.is_empty() || claimed.contains(&i) || ignore.contains(&key) {
                    continue;
                }
                if let Some(first) = seen.get(&key) {
                    problems.push(
                        Diagnostic::error(
                            Code::DuplicateColumn,
                            format!(
                                "columns {} and {} are both headed `{}`",
                                first + 1,
                                i + 1,
                                clip(h)
                            ),
                        )
                        .at(Location::cell(file, 1, i + 1, h))
                        .help("rename one of them so each skill has one column"),
                    );
                    continue;
                }
                seen.insert(key, i);
                out.push((i, h.clone()));
            }
            if problems.is_empty() {
                Ok(out)
            } else {
                Err(problems)
            }
        }
        SkillColumns::Listed { names, pos } => {
            let mut out = Vec::new();
            let mut problems = Vec::new();
            for name in names {
                match header.iter().position(|h| same_header(h, name)) {
                    Some(i) => out.push((i, name.clone())),
                    None => problems.push(
                        Diagnostic::error(
                            Code::MissingColumn,
                            format!("`{file}` has no skill column `{name}`"),
                        )
                        .at(rules.source.location(*pos, 0, 1))
                        .help_opt(
                            did_you_mean(name, header.iter().map(String::as_str)).or_else(|| {
                                Some(format!("the file's columns are {}", list(header)))
                            }),
                        ),
                    ),
                }
            }
            if problems.is_empty() {
                Ok(out)
            } else {
                Err(problems)
            }
        }
    }
}

/// Columns that are fields, not skills: every column headed by one of a
/// field's names, even when another of its names was found first (a file
/// with both `Student ID` and `ID` has one id and no skill called `ID`).
fn field_claims(rules: &Rules, header: &[String]) -> HashSet<usize> {
    let names: HashSet<String> = rules
        .fields
        .iter()
        .flat_map(|field| field.aliases.iter().map(|a| normalize(a)))
        .collect();
    (0..header.len())
        .filter(|&i| names.contains(&normalize(&header[i])))
        .collect()
}

/// The column of the first alias found among the header's `keys` (its
/// names, normalized once); an error lists the columns when that alias
/// matches several.
fn find_field(aliases: &[String], keys: &[String]) -> Result<Option<usize>, Vec<usize>> {
    for alias in aliases {
        let key = normalize(alias);
        let hits: Vec<usize> = (0..keys.len()).filter(|&i| keys[i] == key).collect();
        match hits.as_slice() {
            [] => continue,
            [one] => return Ok(Some(*one)),
            many => return Err(many.to_vec()),
        }
    }
    Ok(None)
}

/// The error for a file whose first line is a student's row, not a header:
/// no column for the student id, and a number where a header would have a
/// name. The first line is then student data, so the message quotes none of
/// it (the usual "the file's columns are ..." would print a whole row:
/// an id, a name, scores), with or without `--redact`.
fn no_header(rules: &Rules, header: &[String], file: &str, keys: &[String]) -> Option<Diagnostic> {
    let id = rules
        .fields
        .iter()
        .find(|f| f.name == crate::rules::STUDENT_ID)?;
    if find_field(&id.aliases, keys) != Ok(None) {
        return None;
    }
    let number = header.iter().position(|h| {
        let h = h.trim();
        crate::condition::number::parse_number(h.strip_suffix('%').unwrap_or(h).as_bytes())
            .is_some()
    })?;
    Some(
        Diagnostic::error(
            Code::NoHeader,
            format!(
                "`{file}` seems to have no header row: its first line has a number in column {}, \
                 where a header names the column, and no column for `{}`",
                number + 1,
                id.name
            ),
        )
        .at(Location::line(file, 1))
        .help(format!(
            "tierplan reads the first line as the columns' names: add a line naming them \
             (one of {} for the id, then the other fields and the skills)",
            list(&id.aliases)
        )),
    )
}

impl ColumnMap {
    /// Resolve `rules` against one file's header, mapping its skill columns
    /// into the run's `skills`.
    pub fn resolve(
        rules: &Rules,
        header: &[String],
        file: &str,
        skills: &Skills,
        fixed: usize,
    ) -> Result<ColumnMap, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut field_columns = Vec::with_capacity(rules.fields.len());
        let keys: Vec<String> = header.iter().map(|h| normalize(h)).collect();
        if let Some(d) = no_header(rules, header, file, &keys) {
            return Err(vec![d]);
        }
        for field in &rules.fields {
            match find_field(&field.aliases, &keys) {
                Ok(Some(i)) => field_columns.push(Some(i)),
                Ok(None) if field.optional => field_columns.push(None),
                Ok(None) => {
                    field_columns.push(None);
                    let help = field
                        .aliases
                        .iter()
                        .find_map(|a| crate::diagnostic::suggest(a, header.iter().map(String::as_str)))
                        .map(|h| format!("the file has `{h}`: if that is it, add it to the names of `{}`", field.name))
                        .unwrap_or_else(|| {
                            // Every row needs an id: `optional` is not an
                            // answer for it.
                            let optional = if field.name == crate::rules::STUDENT_ID {
                                ""
                            } else {
                                ", or mark it `optional: true`"
                            };
                            format!(
                                "add the file's header for it to `{}`{optional}; the file's columns are {}",
                                field.name,
                                list(header)
                            )
                        });
                    problems.push(
                        Diagnostic::error(
                            Code::MissingColumn,
                            format!(
                                "`{file}` has no column for `{}` (looked for {})",
                                field.name,
                                list(&field.aliases)
                            ),
                        )
                        .at(rules
                            .source
                            .location(field.pos, 0, field.name.chars().count()))
                        .help(help),
                    );
                }
                Err(columns) => {
                    field_columns.push(None);
                    let numbers: Vec<String> =
                        columns.iter().map(|c| (c + 1).to_string()).collect();
                    problems.push(
                        Diagnostic::error(
                            Code::AmbiguousColumn,
                            format!(
                                "columns {} of `{file}` are all headed `{}`, and `{}` needs one",
                                numbers.join(", "),
                                clip(&header[columns[0]]),
                                field.name
                            ),
                        )
                        .at(Location::cell(file, 1, columns[0] + 1, &header[columns[0]]))
                        .help("rename the extra columns, or remove them"),
                    );
                }
            }
        }
        let local = match skill_headers(rules, header, file, fixed) {
            Ok(local) => local,
            Err(more) => {
                problems.extend(more);
                Vec::new()
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let by_name: HashMap<String, usize> =
            local.iter().map(|(i, h)| (normalize(h), *i)).collect();
        let skill_columns = skills
            .names
            .iter()
            .map(|name| by_name.get(&normalize(name)).copied())
            .collect();
        let slot = |name: &str| {
            rules
                .fields
                .iter()
                .position(|f| f.name == name)
                .and_then(|s| field_columns[s])
        };
        let id = slot(crate::rules::STUDENT_ID).unwrap_or(0);
        let name = slot(crate::rules::NAME);
        let section = slot(crate::rules::SECTION);
        let used: HashSet<usize> = field_columns
            .iter()
            .flatten()
            .copied()
            .chain(local.iter().map(|(i, _)| *i))
            .collect();
        let ignored = (0..header.len()).filter(|i| !used.contains(i)).collect();
        let recode = rules
            .recode
            .iter()
            .filter_map(|(slot, pairs)| {
                Some((field_columns.get(*slot).copied().flatten()?, pairs.clone()))
            })
            .collect();
        Ok(ColumnMap {
            file: file.to_owned(),
            header: header.to_vec(),
            field_columns,
            skill_columns,
            skill_names: skills.names.clone(),
            id,
            name,
            section,
            ignored,
            decimal_comma: false,
            origin: None,
            recode,
            redact: false,
        })
    }
}

/// One student's values, parsed once: reused from row to row.
#[derive(Debug, Default)]
pub struct Row {
    /// A number for each field slot a condition reads as a number.
    pub numbers: Vec<Option<f64>>,
    /// The score on each skill of the run, as a percent.
    pub scores: Vec<Option<f64>>,
    /// The columns whose cells could not be read and were left empty
    /// (`--lenient`), so that every test reads them as missing.
    pub unread: Vec<usize>,
}

/// What loading a row does with a cell it cannot read.
pub enum Problems<'a> {
    /// Stop: the cell's problem is the run's error.
    Stop,
    /// Record the problem, leave the cell empty, and go on (`--lenient`).
    Collect(&'a mut Vec<Diagnostic>),
    /// Leave the cell empty without a word (the second pass, which already
    /// reported it in the first).
    Quiet,
}

impl ColumnMap {
    /// Parse `record` into `row`: the numeric fields and the skill scores.
    /// `Ok(false)` when the row cannot be a student (no id, or not as many
    /// fields as the header) and problems are collected, not stopped at.
    pub fn load(
        &self,
        record: &ByteRecord,
        line: u64,
        numeric_fields: &[usize],
        scale: Scale,
        row: &mut Row,
        mut problems: Problems<'_>,
    ) -> Result<bool, Diagnostic> {
        let mut report = |d: Diagnostic| match &mut problems {
            Problems::Stop => Err(d),
            Problems::Collect(list) => {
                list.push(d);
                Ok(())
            }
            Problems::Quiet => Ok(()),
        };
        if record.len() != self.header.len() {
            report(
                Diagnostic::error(
                    Code::RaggedRow,
                    format!(
                        "this row has {} fields, and the header has {}",
                        record.len(),
                        self.header.len()
                    ),
                )
                .at(Location::line(&self.file, line))
                .help("check for a missing or extra delimiter, or a quote that is not closed"),
            )?;
            return Ok(false);
        }
        let cell = |column: usize| record.get(column).unwrap_or_default();
        if cell(self.id).trim_ascii().is_empty() {
            report(
                Diagnostic::error(Code::MissingId, "this student has no id")
                    .at(self.cell_at(line, self.id))
                    .help("every row needs a student id; fill it in or remove the row"),
            )?;
            return Ok(false);
        }
        row.unread.clear();
        row.numbers.clear();
        row.numbers.resize(self.field_columns.len(), None);
        for &slot in numeric_fields {
            let Some(column) = self.field_columns[slot] else {
                continue;
            };
            let text = cell(column);
            let text = self
                .recoded(column, text)
                .map_or_else(|| text.trim_ascii(), str::as_bytes);
            if text.is_empty() {
                continue;
            }
            let number = cell_number(text.strip_suffix(b"%").unwrap_or(text), self.decimal_comma);
            if number.is_none() {
                report(
                    Diagnostic::error(
                        Code::NotANumber,
                        if self.redact {
                            "the cell is not a number".to_owned()
                        } else {
                            format!("`{}` is not a number", crate::diagnostic::clip(&String::from_utf8_lossy(text)))
                        },
                    )
                    .at(self.cell_at(line, column))
                    .help("the rules compare this column with numbers; leave the cell empty when there is no value"),
                )?;
                row.unread.push(column);
            }
            row.numbers[slot] = number;
        }
        row.scores.clear();
        for column in &self.skill_columns {
            let score = match column {
                Some(column) => match parse_score(cell(*column), scale, self.decimal_comma) {
                    Ok(score) => score,
                    Err(e) => {
                        let text = String::from_utf8_lossy(cell(*column).trim_ascii()).into_owned();
                        report(
                            Diagnostic::error(
                                Code::BadScore,
                                e.message((!self.redact).then_some(&*text)),
                            )
                            .at(self.cell_at(line, *column))
                            .help(e.help()),
                        )?;
                        row.unread.push(*column);
                        None
                    }
                },
                None => None,
            };
            row.scores.push(score);
        }
        Ok(true)
    }

    /// The location of a cell, in the user's file when this table was built
    /// from another.
    pub fn cell_at(&self, line: u64, column: usize) -> Location {
        let from = self
            .origin
            .as_ref()
            .and_then(|o| o.columns.get(column).cloned().flatten());
        match from {
            Some((number, header)) => Location::cell(&self.file, line, number, &header),
            None => Location::cell(&self.file, line, column + 1, &self.header[column]),
        }
    }

    pub fn text<'r>(&self, record: &'r ByteRecord, column: Option<usize>) -> &'r [u8] {
        column
            .and_then(|c| record.get(c))
            .unwrap_or_default()
            .trim_ascii()
    }
}
