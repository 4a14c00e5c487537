//! The rules: loaded from YAML, validated, and compiled against a data
//! file's columns.
//!
//! [`load`] reads a rules file (or the built-in default) and returns a
//! validated [`Rules`] or every problem found, each with its line and column.
//! [`Rules::compile`] then resolves the names in every condition against one
//! data file's [`ColumnMap`] and returns the [`Program`] the engine runs.

mod model;
mod reach;
pub mod shipped;
mod table_lints;
mod tables;
mod validate;
pub mod yaml;

use std::path::Path;

pub use model::{Combine, GroupBy, IfMissing, NoMatch, ParamValue, PlanKind, Scale};
use yaml::{Pos, Source};

use crate::condition::compile::{CompileError, Compiler, Names, Resolved, Scope};
use crate::condition::eval::{Cond, Env, Operand, Table};
use crate::condition::parse::Expr;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

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
    /// Why shipped rules were chosen without `--rules` (a recognised
    /// export), for the plan's header; `None` when they were named.
    pub chosen_for: Option<String>,
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
    pub table: Table,
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

fn source(path: Option<&Path>, built_in: &BuiltIn) -> Result<Source> {
    let Some(path) = path else {
        return Ok(built_in.source());
    };
    // Refuse a huge file before reading it into memory.
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.extension().is_none() => {
            // `--rules stra`: a shipped set's name, misspelt.
            let names = shipped::names();
            let wanted = path.display().to_string();
            let hint = crate::diagnostic::did_you_mean(&wanted, names.iter().copied())
                .map_or(String::new(), |h| format!("{h} "));
            return Err(Error::usage(format!(
                "no rules file `{wanted}` and no shipped rules of that name; {hint}the shipped rules are {}",
                crate::diagnostic::list(&names)
            )));
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    if size > yaml::MAX_RULES_BYTES as u64 {
        return Err(Error::problem(yaml::too_large(
            &path.display().to_string(),
            size,
        )));
    }
    let bytes = yaml::read_bounded(path)?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::problem(
            Diagnostic::error("rules-not-text", format!("`{name}` is not UTF-8 text"))
                .at(crate::diagnostic::Location::file(&name))
                .help(format!(
                    "the first byte that is not is at offset {}; save the rules as UTF-8 text (YAML)",
                    e.utf8_error().valid_up_to()
                )),
        )
    })?;
    Ok(Source { name, text })
}

/// Load rules from a file, or built-in ones when `path` is `None`.
/// `overrides` replace parameter values (`--set name=value`).
pub fn load(
    path: Option<&Path>,
    built_in: BuiltIn,
    overrides: &[(String, String)],
) -> Result<Rules> {
    let source = source(path, &built_in)?;
    let (rules, problems) = validate::validate(source, overrides)?;
    match rules {
        Some(mut rules) if !problems.iter().any(Diagnostic::is_error) => {
            if path.is_none() {
                rules.chosen_for = built_in.chosen_for;
            }
            Ok(rules)
        }
        _ => Err(Error::Problems(problems)),
    }
}

/// Load and validate, returning warnings too (for `check`).
pub fn check(
    path: Option<&Path>,
    built_in: BuiltIn,
    overrides: &[(String, String)],
) -> Result<(Option<Rules>, Vec<Diagnostic>)> {
    validate::validate(source(path, &built_in)?, overrides)
}

/// Validate rules given as text, named `name` in messages (for fuzzing and
/// for tools that hold the rules in memory).
pub fn from_text(name: &str, text: &str) -> Result<(Option<Rules>, Vec<Diagnostic>)> {
    if text.len() > yaml::MAX_RULES_BYTES {
        return Err(Error::problem(yaml::too_large(name, text.len() as u64)));
    }
    let source = Source {
        name: name.to_owned(),
        text: text.to_owned(),
    };
    validate::validate(source, &[])
}

/// How a cell is compared with a `recode:` spelling: without the spaces
/// around it (no-break spaces too), ignoring case.
pub fn recode_key(cell: &[u8]) -> String {
    String::from_utf8_lossy(crate::condition::eval::trim(cell)).to_lowercase()
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

/// Conditions compiled against one data file's columns.
#[derive(Debug)]
pub struct Program {
    pub tree: CTree,
    pub whole_class: Option<Cond>,
    pub tables: Vec<Table>,
    /// Field slots read as numbers, parsed once per row.
    pub numeric_fields: Vec<usize>,
}

#[derive(Debug)]
pub struct CTree {
    pub branches: Vec<CBranch>,
    pub default: CLeaf,
}

#[derive(Debug)]
pub struct CBranch {
    pub cond: Cond,
    pub if_missing: IfMissing,
    pub outcome: COutcome,
    /// The field slots the test reads (directly or as a table's keys).
    pub reads: Vec<usize>,
    /// The tables the test reads, as a bit set ([`table_bit`]).
    pub tables: u64,
}

/// A table's bit in [`CBranch::tables`]: tables past the 63rd share the
/// last bit, which then stands for all of them.
pub fn table_bit(table: usize) -> u64 {
    1 << table.min(63)
}

#[derive(Debug)]
pub enum COutcome {
    Leaf(CLeaf),
    Tree(Box<CTree>),
}

#[derive(Debug)]
pub struct CLeaf {
    pub id: usize,
    pub plan: usize,
    pub focus: CFocus,
    pub reason: Option<Vec<CPart>>,
}

#[derive(Debug)]
pub enum CFocus {
    None,
    Weakest(Option<Cond>),
}

#[derive(Debug)]
pub enum CPart {
    Text(String),
    Focus,
    FocusScore,
    Value(Operand),
}

/// Name resolution for conditions: the rules' parameters, tables and fields,
/// and the skills (known only once a header is seen when they are `rest`).
pub struct RuleNames<'a> {
    pub rules: &'a Rules,
    pub skills: Option<&'a [Box<str>]>,
}

impl Names for RuleNames<'_> {
    fn resolve(&self, name: &str) -> Option<Resolved> {
        let rules = self.rules;
        if let Some(p) = rules.params.iter().find(|p| p.name == name) {
            return Some(match &p.value {
                ParamValue::Number(n) => Resolved::Number(*n),
                ParamValue::Text(s) => Resolved::Text(s.as_str().into()),
            });
        }
        if let Some(i) = rules.tables.iter().position(|t| t.name == name) {
            return Some(Resolved::Table(i, rules.tables[i].text_values));
        }
        if let Some(i) = rules.fields.iter().position(|f| f.name == name) {
            return Some(Resolved::Field(i));
        }
        match (self.skills, &rules.skills) {
            (Some(skills), _) => skills
                .iter()
                .position(|s| crate::header::same_header(s, name))
                .map(Resolved::Skill),
            (None, SkillColumns::Rest { .. }) => Some(Resolved::Deferred),
            (None, _) => None,
        }
    }

    fn candidates(&self) -> Vec<String> {
        let rules = self.rules;
        let mut names: Vec<String> = rules.params.iter().map(|p| p.name.clone()).collect();
        names.extend(rules.tables.iter().map(|t| t.name.clone()));
        names.extend(rules.fields.iter().map(|f| f.name.clone()));
        if let Some(skills) = self.skills {
            names.extend(skills.iter().map(|s| s.to_string()));
        }
        names
    }

    fn table_reads_fields(&self, table: usize) -> bool {
        self.rules.tables[table]
            .keys
            .iter()
            .any(|(key, _)| self.rules.fields.iter().any(|f| &f.name == key))
    }
}

impl Rules {
    /// Whether these rules decide on progress-monitoring data (their plans
    /// are progress decisions).
    pub fn monitors_progress(&self) -> bool {
        self.plans.iter().any(|p| {
            matches!(
                p.kind,
                PlanKind::CollectMore
                    | PlanKind::Continue
                    | PlanKind::ChangeIntervention
                    | PlanKind::RaiseGoal
            )
        })
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
        code: &'static str,
    ) -> Diagnostic {
        let (extra, len) = validate::offset_in_scalar(&self.source, located, e.span);
        Diagnostic::error(code, e.message.clone())
            .at(self.source.location(located.pos, extra, len))
            .help_opt(e.help.clone())
    }

    /// Compile every condition against a data file's columns.
    pub fn compile(&self, skill_names: &[Box<str>]) -> Result<Program, Vec<Diagnostic>> {
        let names = RuleNames {
            rules: self,
            skills: Some(skill_names),
        };
        let mut compiler = Compiler::new(&names);
        let mut problems = Vec::new();
        let tree = compile_tree(self, &self.tree, &mut compiler, &mut problems);
        let whole_class = self.whole_class.as_ref().and_then(|rule| {
            compiler
                .cond(&rule.when.expr, Scope::Section)
                .map_err(|e| problems.push(self.condition_error(&rule.when, &e, "bad-condition")))
                .ok()
        });
        let tables = self
            .tables
            .iter()
            .map(|def| {
                let mut table = def.table.clone();
                for (key, (name, _)) in table.keys.iter_mut().zip(&def.keys) {
                    if let Some(slot) = self.fields.iter().position(|f| &f.name == name) {
                        *key = crate::condition::eval::Key::Field(slot);
                    }
                }
                table
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Program {
            tree,
            whole_class,
            tables,
            numeric_fields: compiler.numeric_fields,
        })
    }
}

fn compile_tree(
    rules: &Rules,
    tree: &Tree,
    compiler: &mut Compiler<'_>,
    problems: &mut Vec<Diagnostic>,
) -> CTree {
    let branches = tree
        .branches
        .iter()
        .map(|branch| {
            let cond = compiler
                .cond(&branch.when.expr, Scope::Student)
                .unwrap_or_else(|e| {
                    problems.push(rules.condition_error(&branch.when, &e, "bad-condition"));
                    Cond::Const(false)
                });
            let outcome = match &branch.outcome {
                Outcome::Leaf(leaf) => {
                    COutcome::Leaf(compile_leaf(rules, leaf, compiler, problems))
                }
                Outcome::Tree(sub) => {
                    COutcome::Tree(Box::new(compile_tree(rules, sub, compiler, problems)))
                }
            };
            let mut reads = Reads::default();
            reads.of(rules, &branch.when.expr);
            CBranch {
                cond,
                if_missing: branch.if_missing,
                outcome,
                reads: reads.fields,
                tables: reads.tables,
            }
        })
        .collect();
    CTree {
        branches,
        default: compile_leaf(rules, &tree.default, compiler, problems),
    }
}

/// What a test reads: field slots (directly or as the keys of a table it
/// names), each once, and tables.
#[derive(Default)]
struct Reads {
    fields: Vec<usize>,
    tables: u64,
}

impl Reads {
    fn field(&mut self, slot: usize) {
        if !self.fields.contains(&slot) {
            self.fields.push(slot);
        }
    }

    fn of(&mut self, rules: &Rules, expr: &Expr) {
        use crate::condition::parse::ExprKind;
        match &expr.kind {
            ExprKind::Name(name) => {
                if let Some(slot) = rules.fields.iter().position(|f| &f.name == name) {
                    self.field(slot);
                } else if let Some(t) = rules.tables.iter().position(|t| &t.name == name) {
                    self.tables |= table_bit(t);
                    for (key, _) in &rules.tables[t].keys {
                        if let Some(slot) = rules.fields.iter().position(|f| &f.name == key) {
                            self.field(slot);
                        }
                    }
                }
            }
            ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
            ExprKind::Call(_, _, args) => args.iter().for_each(|a| self.of(rules, a)),
            ExprKind::Not(e) | ExprKind::Neg(e) | ExprKind::Is { value: e, .. } => {
                self.of(rules, e)
            }
            ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Compare(_, a, b)
            | ExprKind::Arith(_, a, b) => {
                self.of(rules, a);
                self.of(rules, b);
            }
            ExprKind::In { value, list, .. } => {
                self.of(rules, value);
                list.iter().for_each(|e| self.of(rules, e));
            }
        }
    }
}

fn compile_leaf(
    rules: &Rules,
    leaf: &Leaf,
    compiler: &mut Compiler<'_>,
    problems: &mut Vec<Diagnostic>,
) -> CLeaf {
    let focus = match &leaf.focus {
        Focus::None => CFocus::None,
        Focus::Weakest(None) => CFocus::Weakest(None),
        Focus::Weakest(Some(test)) => match compiler.cond(&test.expr, Scope::Skill) {
            Ok(cond) => CFocus::Weakest(Some(cond)),
            Err(e) => {
                problems.push(rules.condition_error(test, &e, "bad-focus"));
                CFocus::None
            }
        },
    };
    let reason = leaf.reason.as_ref().map(|template| {
        template
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(s) => CPart::Text(s.clone()),
                Part::Focus => CPart::Focus,
                Part::FocusScore => CPart::FocusScore,
                Part::Value(located) => match compiler.value(&located.expr, Scope::Student) {
                    Ok(value) => CPart::Value(value),
                    Err(e) => {
                        problems.push(rules.condition_error(located, &e, "bad-reason"));
                        CPart::Text(String::new())
                    }
                },
            })
            .collect()
    });
    CLeaf {
        id: leaf.id,
        plan: leaf.plan,
        focus,
        reason,
    }
}
