//! The rules: loaded from YAML, validated, and compiled against a data
//! file's columns.
//!
//! [`load`] reads a rules file (or the built-in default) and returns a
//! validated [`Rules`] or every problem found, each with its line and column.
//! [`Rules::compile`] then resolves the names in every condition against one
//! data file's [`ColumnMap`] and returns the [`program::Program`] the
//! engine runs.
//!
//! This file holds the validated model, [`Rules`] and its parts. `load`
//! finds and reads the rules text, `yaml` parses it into the serde `model`,
//! `validate` checks that into `Rules` (with `tables` building the lookup
//! tables and `reach` finding branches no student can reach), `names`
//! resolves the names in conditions, and `program` is the compiled form.

mod load;
mod model;
mod names;
pub(crate) mod program;
mod reach;
pub mod shipped;
mod tables;
mod validate;
pub(crate) mod yaml;

pub use model::{Combine, GroupBy, IfMissing, NoMatch, ParamValue, PlanKind, Scale};
use yaml::{Pos, Source};

use crate::condition::compile::CompileError;
use crate::condition::eval::Env;
use crate::condition::lookup::Lookup;
use crate::condition::parse::{Expr, Span};
use crate::diagnostic::Diagnostic;

pub use load::{check, from_text, load};
pub use shipped::Shipped;

/// Validated rules, independent of any data file.
#[derive(Debug)]
pub struct Rules {
    pub source: Source,
    pub name: String,
    pub description: String,
    /// The columns the rules read, in the order declared; the index is the
    /// field's slot.
    pub fields: Vec<Field>,
    pub skills: SkillColumns,
    pub scale: Scale,
    /// How several results for one skill combine, and the decay weight.
    pub combine: Combine,
    pub decay: f64,
    pub group_by: GroupBy,
    /// The blueprint file for item responses, resolved against the rules
    /// file's folder.
    pub blueprint: Option<std::path::PathBuf>,
    pub params: Vec<Param>,
    pub tables: Vec<TableDef>,
    /// The CSV files tables were read from (`csv:`), resolved against the
    /// rules file's folder.
    pub table_files: Vec<std::path::PathBuf>,
    pub plans: Vec<Plan>,
    pub whole_class: Option<WholeClassRule>,
    pub tree: Tree,
    pub guideline: Option<Guideline>,
    /// Progress-monitoring cadence of tiers 1, 2 and 3.
    pub monitoring: [Option<Cadence>; 3],
    /// `recode:` per field slot: (spelling, normalized by [`recode_key`];
    /// what it means).
    pub recode: Vec<(usize, Vec<(String, String)>)>,
    /// The `mastery` parameter: a skill score below it is below mastery.
    pub mastery: f64,
    /// Letters home: the template and who gets one.
    pub letters: Letters,
    /// Why shipped rules were chosen without `--rules` (a recognised
    /// export), for the plan's header; `None` when they were named.
    pub chosen_for: Option<String>,
    /// What a defaults file decided for this run (the rules, parameters,
    /// redaction), for every output to say; `None` when none did.
    pub config: Option<Defaulted>,
}

/// What a defaults file (`tierplan config`) decided for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaulted {
    /// The file, as found.
    pub file: String,
    /// What it decided: `rules `star``, `mastery=70`, `redact`.
    pub applied: Vec<String>,
}

impl Defaulted {
    /// `defaults from `config.yaml`: mastery=70, redact`.
    pub fn note(&self) -> String {
        format!("defaults from `{}`: {}", self.file, self.applied.join(", "))
    }
}

/// A named column, found in the data by any of its aliases.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub aliases: Vec<String>,
    pub optional: bool,
    pub pos: Pos,
}

/// Field names the domain knows; any other field is the rules' own.
pub const STUDENT_ID: &str = "student_id";
pub const NAME: &str = "name";
pub const SECTION: &str = "section";

/// Which columns hold skill scores.
#[derive(Debug, Clone)]
pub enum SkillColumns {
    /// No skills: the rules decide from other columns only.
    None,
    /// Every column not mapped to a field and not ignored.
    Rest { ignore: Vec<String> },
    /// Exactly these headers, in this order.
    Listed { names: Vec<String>, pos: Pos },
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub value: ParamValue,
    pub pos: Pos,
    /// The range a number may take, the file's value and `--set`'s alike.
    pub bounds: Option<Bounds>,
}

/// The values a number parameter may take, bounds included: the rules'
/// `min` and `max`, or for `mastery` the range of skill scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
    /// Given by the rules (`min`, `max`), not by what the parameter is.
    pub declared: bool,
}

/// One value column of a lookup table, as conditions read it: `cuts` for
/// a table with one `value`, `cuts.goal` for one with named values.
#[derive(Debug, Clone)]
pub struct TableDef {
    pub name: String,
    /// The table's name in the rules file.
    pub table_name: String,
    pub pos: Pos,
    /// Each key: a field name or a parameter name.
    pub keys: Vec<(String, Pos)>,
    pub table: Lookup,
    pub text_values: bool,
    pub no_match: NoMatch,
    /// Where each row was written (the rules file, or a CSV file's line).
    pub rows_at: Vec<crate::diagnostic::Location>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub label: String,
    pub kind: PlanKind,
    pub tier: Option<u8>,
    pub group_size: Option<u32>,
    /// Progress-monitoring cadence as written, and in days.
    pub monitor: Option<Cadence>,
    pub description: String,
}

/// Letters home (`--letters`): one to each student whose plan is in
/// `plans`, from `template`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letters {
    /// The template file, resolved against the rules file's folder;
    /// `None`: the English one shipped with tierplan.
    pub template: Option<std::path::PathBuf>,
    /// The template's language (`en`), for the HTML letters.
    pub language: String,
    /// The plans (indexes into `Rules::plans`) whose students get a letter.
    pub plans: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadence {
    pub text: String,
    pub days: u32,
}

/// Expected shares per tier, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guideline {
    pub tiers: [f64; 3],
}

/// A condition as written, with where it was written.
#[derive(Debug, Clone)]
pub struct Located {
    /// The YAML value the expression is part of.
    pub text: String,
    pub pos: Pos,
    /// Byte offset of the expression in `text` (a `{placeholder}` in a
    /// reason, the test inside `weakest(...)`).
    pub base: usize,
    pub expr: Expr,
}

/// Where a span of an expression falls in the YAML source, as characters
/// after the scalar's start and a length, when the scalar maps 1:1 to the
/// source (plain or quoted on one line); otherwise the scalar's start.
pub fn offset_in_scalar(source: &Source, located: &Located, span: Span) -> (usize, usize) {
    let start = located.base + span.start;
    let end = (located.base + span.end).min(located.text.len());
    let Some(offset) = located.pos.offset else {
        return (0, 1);
    };
    let src = source.text.get(offset..).unwrap_or("");
    let quote = usize::from(src.starts_with('"') || src.starts_with('\''));
    let body = src.get(quote..).unwrap_or("");
    let Some(prefix) = located.text.get(..end) else {
        return (0, 1);
    };
    if !body.starts_with(prefix) || prefix.contains('\n') {
        return (0, 1);
    }
    let chars_before = located.text[..start.min(end)].chars().count();
    let len = located.text[start.min(end)..end].chars().count();
    (quote + chars_before, len.max(1))
}

#[derive(Debug, Clone)]
pub struct WholeClassRule {
    pub when: Located,
    pub plan: usize,
}

/// A list of branches tried in order, and the default when none matches.
#[derive(Debug, Clone)]
pub struct Tree {
    pub branches: Vec<Branch>,
    pub default: Leaf,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub when: Located,
    pub if_missing: IfMissing,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Leaf(Box<Leaf>),
    Tree(Box<Tree>),
}

/// Where a path through the tree ends.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Index of the leaf in document order.
    pub id: usize,
    pub plan: usize,
    pub focus: Focus,
    pub reason: Option<Template>,
    pub pos: Pos,
}

/// Which skill a plan is about.
#[derive(Debug, Clone)]
pub enum Focus {
    None,
    /// The lowest-scoring skill, among those where the test holds if given.
    Weakest(Option<Located>),
}

/// A reason text with `{placeholders}`.
#[derive(Debug, Clone)]
pub struct Template {
    pub pos: Pos,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Focus,
    FocusScore,
    Value(Located),
}

/// The shipped rules to use when no file is named, and why they were
/// chosen (`None`: named by `--rules NAME`, or the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltIn {
    pub set: &'static Shipped,
    /// What chose them, e.g. "the file is a Renaissance Star export".
    pub chosen_for: Option<String>,
}

impl BuiltIn {
    pub fn named(set: &'static Shipped) -> Self {
        BuiltIn {
            set,
            chosen_for: None,
        }
    }

    fn source(&self) -> Source {
        Source {
            name: self.set.source_name(),
            text: self.set.text.to_owned(),
        }
    }
}

/// How a cell is compared with a `recode:` spelling: without the spaces
/// around it (no-break spaces too), ignoring case.
pub fn recode_key(cell: &[u8]) -> String {
    String::from_utf8_lossy(crate::condition::number::trim(cell)).to_lowercase()
}

/// What one field's `recode:` pairs make of `cell`, if anything.
pub fn recoded<'p>(pairs: &'p [(String, String)], cell: &[u8]) -> Option<&'p str> {
    let key = recode_key(cell);
    pairs
        .iter()
        .find(|(from, _)| *from == key)
        .map(|(_, to)| to.as_str())
}

impl Rules {
    /// Which rules decide, for the plan's header: the name, where they
    /// come from, and what chose them when `--rules` did not.
    pub fn provenance(&self) -> String {
        match &self.chosen_for {
            Some(export) => format!(
                "{} ({}, chosen for the export it recognised: {export}; `--rules` chooses others)",
                self.name, self.source.name
            ),
            None => format!("{} ({})", self.name, self.source.name),
        }
    }
}

impl Rules {
    /// Whether these rules decide on progress-monitoring data (their plans
    /// are progress decisions).
    pub fn monitors_progress(&self) -> bool {
        self.plans.iter().any(|p| is_progress_kind(p.kind))
    }

    /// The text of the field `name` for the student in `env`.
    pub fn field_text<'e>(&self, env: &Env<'e>, name: &str) -> Option<&'e [u8]> {
        let slot = self.fields.iter().position(|f| f.name == name)?;
        let column = env.field_columns.get(slot).copied().flatten()?;
        let text = env.record.get(column)?.trim_ascii();
        (!text.is_empty()).then_some(text)
    }

    pub fn plan(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// Every leaf, in document order (`leaf.id` indexes this).
    pub fn leaves(&self) -> Vec<&Leaf> {
        fn walk<'a>(tree: &'a Tree, out: &mut Vec<&'a Leaf>) {
            for branch in &tree.branches {
                match &branch.outcome {
                    Outcome::Leaf(leaf) => out.push(leaf),
                    Outcome::Tree(sub) => walk(sub, out),
                }
            }
            out.push(&tree.default);
        }
        let mut out = Vec::new();
        walk(&self.tree, &mut out);
        out.sort_by_key(|leaf| leaf.id);
        out
    }

    /// A diagnostic for a compile error in `located`.
    pub fn condition_error(
        &self,
        located: &Located,
        e: &CompileError,
        code: crate::diagnostic::Code,
    ) -> Diagnostic {
        let (extra, len) = offset_in_scalar(&self.source, located, e.span);
        Diagnostic::error(code, e.message.clone())
            .at(self.source.location(located.pos, extra, len))
            .help_opt(e.help.clone())
    }
}

/// A plan kind that decides on progress-monitoring probes.
pub(crate) fn is_progress_kind(kind: PlanKind) -> bool {
    matches!(
        kind,
        PlanKind::CollectMore
            | PlanKind::Continue
            | PlanKind::ChangeIntervention
            | PlanKind::RaiseGoal
    )
}
