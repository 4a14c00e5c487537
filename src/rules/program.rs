//! The compiled program: the rules' tree with every condition compiled
//! against one data file's columns, which is what the engine runs.
//!
//! [`Rules::compile`] builds it. Its types mirror the validated rules'
//! [`rules::Tree`], [`rules::Branch`] and [`rules::Leaf`], but hold
//! [`Cond`]s that read columns by index instead of expressions that name
//! them; where both meet (here and in `explain`) they are written
//! qualified: `rules::Tree` beside `program::Tree`.

use super::names::RuleNames;
use super::{IfMissing, Rules};
use crate::condition::compile::{Compiler, Scope};
use crate::condition::eval::{Cond, Operand};
use crate::condition::lookup::{Key, Lookup};
use crate::condition::parse::{Expr, ExprKind};
use crate::condition::visit::walk;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules;

/// Conditions compiled against one data file's columns.
#[derive(Debug)]
pub struct Program {
    pub tree: Tree,
    pub whole_class: Option<Cond>,
    pub tables: Vec<Lookup>,
    /// Field slots read as numbers, parsed once per row.
    pub numeric_fields: Vec<usize>,
}

#[derive(Debug)]
pub struct Tree {
    pub branches: Vec<Branch>,
    pub default: Leaf,
}

#[derive(Debug)]
pub struct Branch {
    pub cond: Cond,
    pub if_missing: IfMissing,
    pub outcome: Outcome,
    /// The field slots the test reads (directly or as a table's keys).
    pub reads: Vec<usize>,
    /// The tables the test reads, as a bit set ([`table_bit`]).
    pub tables: u64,
}

/// A table's bit in [`Branch::tables`]: tables past the 63rd share the
/// last bit, which then stands for all of them.
pub(crate) fn table_bit(table: usize) -> u64 {
    1 << table.min(63)
}

#[derive(Debug)]
pub enum Outcome {
    Leaf(Leaf),
    Tree(Box<Tree>),
}

#[derive(Debug)]
pub struct Leaf {
    pub id: usize,
    pub plan: usize,
    pub focus: Focus,
    pub reason: Option<Vec<Part>>,
}

#[derive(Debug)]
pub enum Focus {
    None,
    Weakest(Option<Cond>),
}

#[derive(Debug)]
pub enum Part {
    Text(String),
    Focus,
    FocusScore,
    Value(Operand),
}

impl Rules {
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
                .map_err(|e| {
                    problems.push(self.condition_error(&rule.when, &e, Code::BadCondition))
                })
                .ok()
        });
        let tables = self
            .tables
            .iter()
            .map(|def| {
                let mut table = def.table.clone();
                for (key, (name, _)) in table.keys.iter_mut().zip(&def.keys) {
                    if let Some(slot) = self.fields.iter().position(|f| &f.name == name) {
                        *key = Key::Field(slot);
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
    tree: &rules::Tree,
    compiler: &mut Compiler<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Tree {
    let branches = tree
        .branches
        .iter()
        .map(|branch| {
            let cond = compiler
                .cond(&branch.when.expr, Scope::Student)
                .unwrap_or_else(|e| {
                    problems.push(rules.condition_error(&branch.when, &e, Code::BadCondition));
                    Cond::Const(false)
                });
            let outcome = match &branch.outcome {
                rules::Outcome::Leaf(leaf) => {
                    Outcome::Leaf(compile_leaf(rules, leaf, compiler, problems))
                }
                rules::Outcome::Tree(sub) => {
                    Outcome::Tree(Box::new(compile_tree(rules, sub, compiler, problems)))
                }
            };
            let mut reads = Reads::default();
            reads.of(rules, &branch.when.expr);
            Branch {
                cond,
                if_missing: branch.if_missing,
                outcome,
                reads: reads.fields,
                tables: reads.tables,
            }
        })
        .collect();
    Tree {
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
        walk(expr, &mut |e| {
            let ExprKind::Name(name) = &e.kind else {
                return;
            };
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
        });
    }
}

fn compile_leaf(
    rules: &Rules,
    leaf: &rules::Leaf,
    compiler: &mut Compiler<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Leaf {
    let focus = match &leaf.focus {
        rules::Focus::None => Focus::None,
        rules::Focus::Weakest(None) => Focus::Weakest(None),
        rules::Focus::Weakest(Some(test)) => match compiler.cond(&test.expr, Scope::Skill) {
            Ok(cond) => Focus::Weakest(Some(cond)),
            Err(e) => {
                problems.push(rules.condition_error(test, &e, Code::BadFocus));
                Focus::None
            }
        },
    };
    let reason = leaf.reason.as_ref().map(|template| {
        template
            .parts
            .iter()
            .map(|part| match part {
                rules::Part::Text(s) => Part::Text(s.clone()),
                rules::Part::Focus => Part::Focus,
                rules::Part::FocusScore => Part::FocusScore,
                rules::Part::Value(located) => {
                    match compiler.value(&located.expr, Scope::Student) {
                        Ok(value) => Part::Value(value),
                        Err(e) => {
                            problems.push(rules.condition_error(located, &e, Code::BadReason));
                            Part::Text(String::new())
                        }
                    }
                }
            })
            .collect()
    });
    Leaf {
        id: leaf.id,
        plan: leaf.plan,
        focus,
        reason,
    }
}
