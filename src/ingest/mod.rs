//! Reading students: plain CSV files streamed row by row, and the exports
//! that need reshaping first (a vendor's layout, long rows, item responses,
//! a roster bundle) turned into one row per student.
//!
//! [`prepare`] is the one entry point: [`Source::detect`] decides, per
//! input, what it is (a OneRoster bundle, an export a built-in profile
//! recognises from its header or `--profile` names, item responses a
//! blueprint scores, or CSV as it is), and each is read into the common
//! form, a [`table::StudentTable`], or streamed as it is. Every cell
//! problem is an error naming the user's file, line and column.

pub(crate) mod binary;
pub(crate) mod cells;
pub mod columns;
pub(crate) mod decode;
pub(crate) mod input;
pub(crate) mod oneroster;
pub(crate) mod only;
pub(crate) mod profile;
pub(crate) mod quoting;
pub(crate) mod reader;
pub(crate) mod reshape;
pub mod score;
pub(crate) mod source;
pub(crate) mod table;
pub(crate) mod unknown;
pub(crate) mod workbook;
pub(crate) mod zipped;

use std::path::PathBuf;

pub use columns::{ColumnMap, Row, Skills};
pub use input::Input;
pub use reader::CsvFile;
pub use reshape::Narrowing;
pub(crate) use source::{ProfileChoice, Source};

use crate::diagnostic::{Code, Diagnostic};
use crate::error::Result;
use crate::rules::{GroupBy, Rules, SkillColumns};

/// How inputs are read beyond plain CSV.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// `--profile NAME`: read every input with this profile; `none` reads
    /// them as plain CSV; absent: recognise each from its header.
    pub profile: Option<String>,
    pub narrowing: Narrowing,
    /// `--blueprint FILE`, over the rules' own.
    pub blueprint: Option<PathBuf>,
    /// `--sheet NAME`: the sheet of a workbook to read.
    pub sheet: Option<String>,
}

/// What was recognised in one input, for `check` and notes.
#[derive(Debug, Clone, Default)]
pub struct Recognition {
    pub file: String,
    /// The profile's label, when one read the file.
    pub profile: Option<String>,
    /// Each field and the column(s) it came from (for a profiled file).
    pub fields: Vec<(String, String)>,
    pub ignored: Vec<String>,
    pub notes: Vec<Diagnostic>,
    /// `--only` was applied as the file was reshaped; otherwise the engine
    /// applies it to the rows as it reads them.
    pub narrowed: bool,
}

impl Recognition {
    /// What building `table` from `input` recognised; `narrowed` when
    /// building it applied `--only`.
    fn of(input: &Input, table: &table::StudentTable, narrowed: bool) -> Recognition {
        Recognition {
            file: input.name.clone(),
            profile: table.profile.clone(),
            fields: table.recognised.clone(),
            ignored: table.ignored.clone(),
            notes: table.notes.clone(),
            narrowed,
        }
    }
}

/// Each input as the engine reads it, and what was recognised in it.
pub fn prepare(
    rules: &Rules,
    inputs: &[Input],
    reading: &Reading,
) -> Result<(Vec<Input>, Vec<Recognition>)> {
    let choice = ProfileChoice::of(reading.profile.as_deref())?;
    let blueprint = reading.blueprint.as_deref().or(rules.blueprint.as_deref());
    // Answers to questions, with a blueprint: the rules say where the
    // student's fields are.
    let items = blueprint.map(|_| items_profile(rules));
    let mut prepared = Vec::with_capacity(inputs.len());
    let mut recognised = Vec::with_capacity(inputs.len());
    let sheets = profile::sheets();
    let preferred: Vec<&str> = sheets.iter().map(String::as_str).collect();
    for input in inputs {
        let mut source = Source::detect(input, &choice, items.as_ref())?;
        // A workbook's sheet is CSV from here on: what it is is decided
        // again, from its header.
        let sheet;
        let input = match source {
            Source::Workbook(kind) => {
                sheet = workbook::read(input, kind, reading.sheet.as_deref(), &preferred)?;
                source = Source::detect(&sheet, &choice, items.as_ref())?;
                &sheet
            }
            _ => input,
        };
        let (profile, recognised_from) = match source {
            Source::Bundle(path) => {
                let group_by = match rules.group_by {
                    GroupBy::LineItem => oneroster::SkillsFrom::LineItem,
                    GroupBy::Category => oneroster::SkillsFrom::Category,
                };
                let table = oneroster::read_bundle(&path, group_by)?;
                // The bundle becomes a table with a column per field: the
                // engine applies `--only` to it as to a plain file.
                recognised.push(Recognition::of(input, &table, false));
                prepared.push(table.into_input());
                continue;
            }
            // (A sheet read as CSV starts with a quote: it is never a
            // workbook again.)
            Source::Plain | Source::Workbook(_) => {
                recognised.push(Recognition {
                    file: input.name.clone(),
                    ..Recognition::default()
                });
                prepared.push(input.clone());
                continue;
            }
            Source::Export {
                profile,
                recognised_from,
            } => (profile, recognised_from),
        };
        let table = reshape::apply(&profile, input, rules, &reading.narrowing, blueprint)?;
        // Rules that name the export's own columns read it as it is: the
        // profile was only a guess from the header.
        if let Some(header) = recognised_from
            && !resolves(rules, &table.header, table.fields)
            && resolves(rules, &header, 0)
        {
            recognised.push(Recognition {
                file: input.name.clone(),
                notes: vec![Diagnostic::warning(
                    Code::ProfileNotUsed,
                    format!(
                        "`{}` looks like a {} file, but the rules name its own columns: read as it is (`--profile {}` to use the profile)",
                        input.name, profile.label, profile.name
                    ),
                )],
                ..Recognition::default()
            });
            prepared.push(input.clone());
            continue;
        }
        recognised.push(Recognition::of(input, &table, true));
        prepared.push(table.into_input());
    }
    Ok((prepared, recognised))
}

/// Whether the rules find every column they need in `header`.
fn resolves(rules: &Rules, header: &[String], fixed: usize) -> bool {
    ColumnMap::resolve(rules, header, "", &Skills::default(), fixed).is_ok()
}

/// A profile for item responses in a file of the rules' own layout: the
/// rules' columns are the fields, every other column a question.
fn items_profile(rules: &Rules) -> profile::Profile {
    use crate::rules::yaml::{OrderedMap, Pos, Sp};
    let fields = rules
        .fields
        .iter()
        .map(|f| {
            let alternatives = f
                .aliases
                .iter()
                .cloned()
                .map(profile::Alt::Column)
                .collect();
            (
                Sp {
                    value: f.name.clone(),
                    pos: Pos::default(),
                },
                profile::FieldSource::Alternatives(alternatives),
            )
        })
        .collect();
    let ignore = match &rules.skills {
        SkillColumns::Rest { ignore } => ignore.clone(),
        _ => Vec::new(),
    };
    profile::Profile {
        name: "items".to_owned(),
        label: "item responses scored by a blueprint".to_owned(),
        rules: None,
        sheet: None,
        detect: Vec::new(),
        fields: OrderedMap(fields),
        recode: OrderedMap::default(),
        skills: profile::SkillSource {
            items: Some(profile::Items {
                layout: profile::ItemLayout::Rest,
                total: None,
            }),
            exclude: ignore,
            ..profile::SkillSource::default()
        },
        rows: profile::RowRule::default(),
    }
}
