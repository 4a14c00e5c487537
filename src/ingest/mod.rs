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
    /// For a workbook: the sheet read and the row of its header.
    pub sheet: Option<workbook::SheetRead>,
}

impl Recognition {
    /// Nothing recognised in `input`: read as it is.
    fn named(input: &Input) -> Recognition {
        Recognition {
            file: input.name.clone(),
            ..Recognition::default()
        }
    }

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
            sheet: None,
        }
    }
}

/// Each input as the engine reads it, and what was recognised in it.
pub fn prepare(
    rules: &Rules,
    inputs: &[Input],
    reading: &Reading,
) -> Result<(Vec<Input>, Vec<Recognition>)> {
    let blueprint = reading.blueprint.as_deref().or(rules.blueprint.as_deref());
    let sheets = profile::sheets();
    let context = Context {
        rules,
        reading,
        choice: ProfileChoice::of(reading.profile.as_deref())?,
        blueprint,
        // Answers to questions, with a blueprint: the rules say where the
        // student's fields are.
        items: blueprint.map(|_| items_profile(rules)),
        preferred_sheets: sheets.iter().map(String::as_str).collect(),
    };
    let mut prepared = Vec::with_capacity(inputs.len());
    let mut recognised = Vec::with_capacity(inputs.len());
    for input in inputs {
        let (input, seen) = context.prepare(input)?;
        prepared.push(input);
        recognised.push(seen);
    }
    Ok((prepared, recognised))
}

/// What preparing every input shares.
struct Context<'a> {
    rules: &'a Rules,
    reading: &'a Reading,
    choice: ProfileChoice,
    blueprint: Option<&'a std::path::Path>,
    items: Option<profile::Profile>,
    /// The sheets profiles name, read from a workbook that has one.
    preferred_sheets: Vec<&'a str>,
}

impl Context<'_> {
    /// One input as the engine reads it, and what was recognised in it.
    fn prepare(&self, input: &Input) -> Result<(Input, Recognition)> {
        let (rules, reading) = (self.rules, self.reading);
        let mut source = Source::detect(input, &self.choice, self.items.as_ref())?;
        // A workbook's sheet is CSV from here on: what it is is decided
        // again, from its header.
        let (sheet, read_from) = match source {
            Source::Workbook(kind) => {
                let (sheet, place) = workbook::read(
                    input,
                    kind,
                    reading.sheet.as_deref(),
                    &self.preferred_sheets,
                )?;
                source = Source::detect(&sheet, &self.choice, self.items.as_ref())?;
                (Some(sheet), Some(place))
            }
            _ => (None, None),
        };
        let input = sheet.as_ref().unwrap_or(input);
        let (prepared, mut seen) = match source {
            Source::Bundle(path) => {
                let group_by = match rules.group_by {
                    GroupBy::LineItem => oneroster::SkillsFrom::LineItem,
                    GroupBy::Category => oneroster::SkillsFrom::Category,
                };
                let table = oneroster::read_bundle(&path, group_by)?;
                // The bundle becomes a table with a column per field: the
                // engine applies `--only` to it as to a plain file.
                let seen = Recognition::of(input, &table, false);
                (table.into_input(), seen)
            }
            // (A sheet read as CSV starts with a quote: it is never a
            // workbook again.)
            Source::Plain | Source::Workbook(_) => (input.clone(), Recognition::named(input)),
            Source::Export {
                profile,
                recognised_from,
            } => {
                let table =
                    reshape::apply(&profile, input, rules, &reading.narrowing, self.blueprint)?;
                // Rules that name the export's own columns read it as it
                // is: the profile was only a guess from the header.
                if let Some(header) = recognised_from
                    && !resolves(rules, &table.header, table.fields)
                    && resolves(rules, &header, 0)
                {
                    let mut seen = Recognition::named(input);
                    seen.notes.push(Diagnostic::warning(
                        Code::ProfileNotUsed,
                        format!(
                            "`{}` looks like a {} file, but the rules name its own columns: read as it is (`--profile {}` to use the profile)",
                            input.name, profile.label, profile.name
                        ),
                    ));
                    (input.clone(), seen)
                } else {
                    let seen = Recognition::of(input, &table, true);
                    (table.into_input(), seen)
                }
            }
        };
        seen.sheet = read_from;
        Ok((prepared, seen))
    }
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
