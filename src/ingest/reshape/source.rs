//! The source file as a profile reads it: its rows as text, its header for
//! lookups by name, each field resolved to the column(s) it is read from,
//! and what `--only` and `--lenient` add. Every layout reads through these.

use super::super::columns::normalize;
use super::super::profile::{Alt, FieldSource, Profile, SkillSource};
use super::super::table::StudentTable;
use crate::condition::format_number;
use crate::diagnostic::{Code, Diagnostic, Location, list};
use crate::error::{Error, Result};

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
    pub(super) fn problem(&self, d: Diagnostic, table: &mut StudentTable) -> Result<()> {
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

/// One row of the source file: its cells' text in one buffer, and where
/// each cell ends in it. Every row of a reshaped file is held until the
/// table is built, so a row costs two allocations, not one per cell
/// (issue 12).
pub(crate) struct SourceRow {
    text: Box<str>,
    ends: Box<[u32]>,
    pub line: u64,
}

impl SourceRow {
    /// The row of `cells` (bytes read as UTF-8, a byte that is not replaced),
    /// cut or padded with empty cells to `len`.
    pub(super) fn new<'a>(cells: impl Iterator<Item = &'a [u8]>, len: usize, line: u64) -> Self {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(len);
        for cell in cells.take(len) {
            text.push_str(&String::from_utf8_lossy(cell));
            ends.push(offset(text.len()));
        }
        ends.resize(len, offset(text.len()));
        SourceRow {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            line,
        }
    }

    /// The text of cell `c`.
    pub(crate) fn cell(&self, c: usize) -> &str {
        let start = if c == 0 { 0 } else { self.ends[c - 1] as usize };
        &self.text[start..self.ends[c] as usize]
    }

    /// Every cell, in order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|c| self.cell(c))
    }
}

/// An offset in a row's text: a row is at most a few MiB (the reader
/// refuses one longer than 1 MiB).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// How a field is read from a row.
pub(super) enum FieldPlan {
    /// These columns, joined with a space.
    Join(Vec<usize>),
    /// The first non-empty of these columns.
    FirstOf(Vec<usize>),
}

/// A resolved field: its name, how to read it, and what to replace.
pub(super) struct Field {
    pub(super) name: String,
    plan: FieldPlan,
    pub(super) recode: Vec<(String, String)>,
}

impl Field {
    pub(super) fn read(&self, row: &SourceRow) -> String {
        let value = match &self.plan {
            FieldPlan::Join(columns) => {
                let parts: Vec<&str> = columns
                    .iter()
                    .map(|&c| row.cell(c).trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                parts.join(" ")
            }
            FieldPlan::FirstOf(columns) => columns
                .iter()
                .map(|&c| row.cell(c).trim())
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
    pub(super) fn describe(&self, header: &[String]) -> String {
        let (columns, joint) = match &self.plan {
            FieldPlan::Join(c) => (c, " + "),
            FieldPlan::FirstOf(c) => (c, " or "),
        };
        let names: Vec<&str> = columns.iter().map(|&c| header[c].as_str()).collect();
        names.join(joint)
    }

    pub(super) fn columns(&self) -> &[usize] {
        match &self.plan {
            FieldPlan::Join(c) | FieldPlan::FirstOf(c) => c,
        }
    }
}

/// The source's rows as a layout reads them, with the fields resolved.
pub(super) struct Rows<'a> {
    pub(super) rows: &'a [SourceRow],
    pub(super) fields: &'a [Field],
    /// Which of `fields` is the student id.
    pub(super) id: usize,
    pub(super) header: &'a Header<'a>,
    /// The file, as messages name it.
    pub(super) file: &'a str,
}

/// The file's header, for lookups by name.
pub(super) struct Header<'a> {
    pub(super) names: &'a [String],
    keys: Vec<String>,
}

impl<'a> Header<'a> {
    pub(super) fn new(names: &'a [String]) -> Self {
        Header {
            names,
            keys: names.iter().map(|h| normalize(h)).collect(),
        }
    }

    /// The first column headed `name` (duplicated headers: the first).
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        let key = normalize(name);
        self.keys.iter().position(|k| !k.is_empty() && *k == key)
    }

    pub(super) fn first(&self, names: &[String]) -> Option<usize> {
        names.iter().find_map(|n| self.find(n))
    }
}

pub(super) fn resolve_fields(
    profile: &Profile,
    header: &Header<'_>,
    file: &str,
) -> Result<Vec<Field>> {
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
                        Code::MissingColumn,
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

/// The words and empty values of a skill cell, as a score the reader takes.
pub(super) fn score_text(cell: &str, skills: &SkillSource) -> String {
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
