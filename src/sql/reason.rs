//! The `reason` column, as `Program::reason` writes it: a leaf's `reason:`
//! with its placeholders filled, or else the tests on the path that led
//! there, each with the values its names read (`describe`), in the order
//! the engine evaluates them, with its short cuts (`a and b` reads `b` only
//! when `a` is not false), each name shown once.

use super::Query;
use super::expr::Cx;
use crate::condition::compile::{CompileError, format_number};
use crate::condition::eval::{Cond, Num, Operand, Text};
use crate::condition::parse::Span;
use crate::diagnostic::Code;
use crate::error::{Error, Result};
use crate::rules::program::{self, Part};
use crate::rules::{self as rules_mod, Located};

/// A leaf and the tests taken to reach it, outermost first.
pub(super) struct Path<'a> {
    pub leaf: &'a program::Leaf,
    pub written: &'a rules_mod::Leaf,
    pub taken: Vec<(&'a Cond, &'a Located)>,
}

/// Every leaf of `tree` with its path.
pub(super) fn paths<'a>(tree: &'a program::Tree, written: &'a rules_mod::Tree) -> Vec<Path<'a>> {
    fn walk<'a>(
        tree: &'a program::Tree,
        written: &'a rules_mod::Tree,
        above: &[(&'a Cond, &'a Located)],
        out: &mut Vec<Path<'a>>,
    ) {
        for (branch, source) in tree.branches.iter().zip(&written.branches) {
            let mut taken = above.to_vec();
            taken.push((&branch.cond, &source.when));
            match (&branch.outcome, &source.outcome) {
                (program::Outcome::Leaf(leaf), rules_mod::Outcome::Leaf(w)) => out.push(Path {
                    leaf,
                    written: w,
                    taken,
                }),
                (program::Outcome::Tree(sub), rules_mod::Outcome::Tree(w)) => {
                    walk(sub, w, &taken, out);
                }
                // Compiled from `written`, so the shapes agree.
                _ => {}
            }
        }
        out.push(Path {
            leaf: &tree.default,
            written: &written.default,
            taken: above.to_vec(),
        });
    }
    let mut out = Vec::new();
    walk(tree, written, &[], &mut out);
    out
}

impl Query<'_> {
    /// The reason for a student who reached `path`'s leaf, over the
    /// columns of the `planned` step (`focus`, `focus_score`).
    pub(super) fn reason(&self, path: &Path<'_>) -> Result<String> {
        let d = self.target.dialect;
        let (Some(parts), Some(template)) = (&path.leaf.reason, &path.written.reason) else {
            if path.taken.is_empty() {
                return Ok(d.text("no branch matched; the default applies"));
            }
            let steps = path
                .taken
                .iter()
                .map(|(cond, when)| self.describe(cond, when))
                .collect::<Result<Vec<_>>>()?;
            return Ok(steps.join(&format!(" || {} || ", d.text("; "))));
        };
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            out.push(match part {
                Part::Text(s) => d.text(s),
                Part::Focus => format!("COALESCE(focus, {})", d.text("no skill")),
                Part::FocusScore => format!(
                    "COALESCE({}, {})",
                    d.format_number("focus_score"),
                    d.text("no score")
                ),
                Part::Value(value) => {
                    let written = match template.parts.get(i) {
                        Some(rules_mod::Part::Value(located)) => Some(located),
                        _ => None,
                    };
                    let sql = match value {
                        // A number from the rules, written here.
                        Operand::Num(Num::Literal(v) | Num::Param(v, _)) => {
                            Ok(d.text(&format_number(*v)))
                        }
                        Operand::Num(n) => self.cx.num(n, None).map(|n| d.format_number(&n)),
                        Operand::Text(t) => self.cx.text(t, None),
                    };
                    let sql = match (sql, written) {
                        (Ok(sql), _) => sql,
                        (Err(e), Some(w)) => {
                            return Err(Error::problem(self.rules.condition_error(
                                w,
                                &e,
                                Code::NotCompiled,
                            )));
                        }
                        (Err(e), None) => {
                            return Err(Error::Internal {
                                message: format!(
                                    "a reason's parts differ from its template: {}",
                                    e.message
                                ),
                            });
                        }
                    };
                    format!("COALESCE({sql}, {})", d.text("missing"))
                }
            });
        }
        Ok(if out.is_empty() {
            d.text("")
        } else {
            out.join(" || ")
        })
    }

    /// One taken test as `describe` writes it: its text, then what each
    /// name read, `screening < 25 (screening 8)`.
    fn describe(&self, cond: &Cond, when: &Located) -> Result<String> {
        let d = self.target.dialect;
        let mut tracer = Tracer {
            cx: &self.cx,
            when,
            seen: Vec::new(),
        };
        tracer
            .cond(cond, "TRUE")
            .map_err(|e| Error::problem(self.rules.condition_error(when, &e, Code::NotCompiled)))?;
        let text = d.text(&crate::condition::one_line(&when.text));
        // Each name once, where it was first read.
        let mut parts = Vec::new();
        for (k, seen) in tracer.seen.iter().enumerate() {
            let earlier: Vec<&str> = tracer.seen[..k]
                .iter()
                .filter(|s| s.name == seen.name)
                .map(|s| s.when.as_str())
                .collect();
            if earlier.contains(&"TRUE") {
                continue;
            }
            let shown = earlier
                .iter()
                .fold(seen.when.clone(), |acc, e| both(&acc, &format!("NOT {e}")));
            let entry = format!("{} || {}", d.text(&format!(", {} ", seen.name)), seen.value);
            parts.push(if shown == "TRUE" {
                entry
            } else {
                format!("CASE WHEN {shown} THEN {entry} ELSE '' END")
            });
        }
        if parts.is_empty() {
            return Ok(text);
        }
        let list = format!("({})", parts.join(" || "));
        Ok(format!(
            "{text} || CASE WHEN {list} = '' THEN '' ELSE ' (' || SUBSTR({list}, 3) || ')' END"
        ))
    }
}

/// `a AND b`, with TRUE left out.
fn both(a: &str, b: &str) -> String {
    match (a, b) {
        ("TRUE", b) => b.to_owned(),
        (a, "TRUE") => a.to_owned(),
        (a, b) => format!("({a} AND {b})"),
    }
}

/// A name a test read: its text in the rules, its value as text (never
/// NULL) and when the engine reads it (a SQL test, or `TRUE`).
struct Seen {
    name: String,
    value: String,
    when: String,
}

/// What `Recorder` would see evaluating a test, as SQL.
struct Tracer<'a> {
    cx: &'a Cx<'a>,
    when: &'a Located,
    seen: Vec<Seen>,
}

type Traced = std::result::Result<(), CompileError>;

impl Tracer<'_> {
    fn see(&mut self, span: Span, value: String, when: &str) {
        let (start, end) = (self.when.base + span.start, self.when.base + span.end);
        let name = self.when.text.get(start..end).unwrap_or("?").to_owned();
        self.seen.push(Seen {
            name,
            value,
            when: when.to_owned(),
        });
    }

    fn number(&self, sql: &str) -> String {
        let d = self.cx.dialect;
        format!("COALESCE({}, {})", d.format_number(sql), d.text("missing"))
    }

    /// The skills of the student's scores for which `p` holds, as
    /// `Seen::Skills` shows them.
    fn skills(&self, p: &Cond) -> std::result::Result<String, CompileError> {
        let d = self.cx.dialect;
        let mut hits = Vec::new();
        for (i, skill) in self.cx.skills.iter().enumerate() {
            let p = self.cx.cond(p, Some(i))?;
            hits.push(format!(
                "CASE WHEN s{i} IS NOT NULL AND COALESCE({p}, FALSE) THEN {} ELSE '' END",
                d.text(&format!(", {skill}"))
            ));
        }
        if hits.is_empty() {
            return Ok(d.text("no skill"));
        }
        Ok(format!(
            "COALESCE(NULLIF(SUBSTR({}, 3), ''), {})",
            hits.join(" || "),
            d.text("no skill")
        ))
    }

    fn cond(&mut self, cond: &Cond, when: &str) -> Traced {
        match cond {
            Cond::Const(_) | Cond::WholeClass(_) => {}
            Cond::Not(inner) => self.cond(inner, when)?,
            Cond::And(a, b) => {
                self.cond(a, when)?;
                let left = self.cx.cond(a, None)?;
                self.cond(b, &both(when, &format!("COALESCE({left}, TRUE)")))?;
            }
            Cond::Or(a, b) => {
                self.cond(a, when)?;
                let left = self.cx.cond(a, None)?;
                self.cond(b, &both(when, &format!("COALESCE(NOT {left}, TRUE)")))?;
            }
            Cond::Compare { left, right, .. } => {
                self.num(left, when)?;
                self.num(right, when)?;
            }
            Cond::TextEq { left, right, .. } => {
                self.text(left, when)?;
                self.text(right, when)?;
            }
            Cond::InNum { value, .. } => self.num(value, when)?,
            Cond::InText { value, .. } => self.text(value, when)?,
            Cond::IsMissing { value, .. } => match value {
                Operand::Num(n) => self.num(n, when)?,
                Operand::Text(t) => self.text(t, when)?,
            },
            Cond::Any(p, span) | Cond::All(p, span) => {
                let hits = self.skills(p)?;
                self.see(*span, hits, when);
            }
        }
        Ok(())
    }

    fn num(&mut self, num: &Num, when: &str) -> Traced {
        match num {
            Num::Literal(_) => {}
            Num::Param(v, span) => {
                let value = self.cx.dialect.text(&format_number(*v));
                self.see(*span, value, when);
            }
            // `count` shows the skills it counted (recorded first, under
            // the same name as the number).
            Num::Count(p, span) => {
                let hits = self.skills(p)?;
                self.see(*span, hits, when);
            }
            Num::Neg(inner) => self.num(inner, when)?,
            Num::Arith(_, a, b) => {
                self.num(a, when)?;
                let left = self.cx.num(a, None)?;
                self.num(b, &both(when, &format!("{left} IS NOT NULL")))?;
            }
            Num::Field(_, span)
            | Num::Score(_, span)
            | Num::Assessed(span)
            | Num::MinScore(span)
            | Num::MaxScore(span)
            | Num::MeanScore(span)
            | Num::Table(_, span)
            | Num::CurrentScore(span)
            | Num::ShareBelow(span)
            | Num::Below(span)
            | Num::SectionAssessed(span)
            | Num::SectionMean(span)
            | Num::SectionStudents(span) => {
                let value = self.number(&self.cx.num(num, None)?);
                self.see(*span, value, when);
            }
        }
        Ok(())
    }

    fn text(&mut self, text: &Text, when: &str) -> Traced {
        let d = self.cx.dialect;
        let span = match text {
            Text::Literal(_) => return Ok(()),
            Text::Param(_, span)
            | Text::Field(_, span)
            | Text::Table(_, span)
            | Text::Skill(span)
            | Text::Section(span) => *span,
        };
        let quote = d.text("'");
        let value = format!(
            "COALESCE({quote} || {} || {quote}, {})",
            self.cx.text(text, None)?,
            d.text("missing")
        );
        self.see(span, value, when);
        Ok(())
    }
}
