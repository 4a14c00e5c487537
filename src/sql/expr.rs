//! A compiled condition ([`Cond`], [`Num`], [`Text`]) as a SQL expression
//! over the columns of the query's `students` relation: `f{k}` the text of
//! field slot `k`, `n{k}` it read as a number, `s{i}` the score on skill
//! `i` as a percent, `section`; and the section's `students`, `a{i}`
//! (assessed), `b{i}` (below mastery), `m{i}` (sum of scores) and `w{i}`
//! (retaught to the whole class).
//!
//! The rules' missing values are SQL's NULL: a comparison with a missing
//! side is NULL, and `and`, `or` and `not` over NULL are the same Kleene
//! logic the engine uses; only `is missing`, `any` and `all` over no
//! skill, and `whole_class` are never NULL.

use super::dialect::Dialect;
use crate::condition::compile::CompileError;
use crate::condition::eval::{Cond, Num, Operand, Text};
use crate::condition::parse::{ArithOp, CmpOp, Span};

/// What an expression is translated against.
pub(crate) struct Cx<'a> {
    pub dialect: Dialect,
    pub skills: &'a [Box<str>],
}

type Result<T> = std::result::Result<T, CompileError>;

fn unsupported(what: &str, span: Span) -> CompileError {
    CompileError {
        message: format!("{what} is not compiled to SQL yet"),
        span,
        help: Some("plan this data with `tierplan plan`, or rewrite the test without it".into()),
    }
}

impl Cx<'_> {
    /// `cond`, with `skill` the current skill of a skill or section context.
    pub(crate) fn cond(&self, cond: &Cond, skill: Option<usize>) -> Result<String> {
        Ok(match cond {
            Cond::Const(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cond::Not(inner) => format!("(NOT {})", self.cond(inner, skill)?),
            Cond::And(a, b) => format!("({} AND {})", self.cond(a, skill)?, self.cond(b, skill)?),
            Cond::Or(a, b) => format!("({} OR {})", self.cond(a, skill)?, self.cond(b, skill)?),
            Cond::Compare {
                op, left, right, ..
            } => format!(
                "({} {} {})",
                self.num(left, skill)?,
                sql_op(*op),
                self.num(right, skill)?
            ),
            Cond::TextEq {
                equal, left, right, ..
            } => format!(
                "({} {} {})",
                fold(&self.text(left, skill)?),
                if *equal { "=" } else { "<>" },
                fold(&self.text(right, skill)?)
            ),
            Cond::InNum {
                value,
                list,
                negated,
                ..
            } => {
                let items: Vec<String> = list.iter().map(|n| self.dialect.number(*n)).collect();
                self.member(&self.num(value, skill)?, &items, *negated)
            }
            Cond::InText {
                value,
                list,
                negated,
                ..
            } => {
                let items: Vec<String> = list
                    .iter()
                    .map(|t| self.dialect.text(&t.to_ascii_lowercase()))
                    .collect();
                self.member(&fold(&self.text(value, skill)?), &items, *negated)
            }
            Cond::IsMissing { value, missing, .. } => {
                let value = match value {
                    Operand::Num(n) => self.num(n, skill)?,
                    Operand::Text(t) => self.text(t, skill)?,
                };
                let is = if *missing { "IS NULL" } else { "IS NOT NULL" };
                format!("({value} {is})")
            }
            // Over the skills the student has a score on: true when one
            // (every one) holds, else missing when one is missing.
            Cond::Any(p, _) => self.over_skills(p, "OR", "FALSE", |s, p| {
                format!("({s} IS NOT NULL AND {p})")
            })?,
            Cond::All(p, _) => {
                self.over_skills(p, "AND", "TRUE", |s, p| format!("({s} IS NULL OR {p})"))?
            }
            Cond::WholeClass(span) => format!("w{}", self.current(skill, *span)?),
        })
    }

    fn over_skills(
        &self,
        p: &Cond,
        join: &str,
        empty: &str,
        each: impl Fn(&str, &str) -> String,
    ) -> Result<String> {
        let parts = (0..self.skills.len())
            .map(|i| Ok(each(&format!("s{i}"), &self.cond(p, Some(i))?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(if parts.is_empty() {
            empty.to_owned()
        } else {
            format!("({})", parts.join(&format!(" {join} ")))
        })
    }

    /// `value IN (items)`, missing when the value is.
    fn member(&self, value: &str, items: &[String], negated: bool) -> String {
        if items.is_empty() {
            let result = if negated { "TRUE" } else { "FALSE" };
            return format!("(CASE WHEN {value} IS NULL THEN NULL ELSE {result} END)");
        }
        let not = if negated { "NOT " } else { "" };
        format!("({value} {not}IN ({}))", items.join(", "))
    }

    fn current(&self, skill: Option<usize>, span: Span) -> Result<usize> {
        // The compiler allows these names only in a skill or section context.
        skill.ok_or_else(|| unsupported("a skill's value outside a skill context", span))
    }

    pub(crate) fn num(&self, num: &Num, skill: Option<usize>) -> Result<String> {
        let d = self.dialect;
        let double = d.double();
        let n = self.skills.len();
        let scores = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>();
        let assessed = || {
            if n == 0 {
                "0".to_owned()
            } else {
                scores(&|i| format!("(CASE WHEN s{i} IS NULL THEN 0 ELSE 1 END)")).join(" + ")
            }
        };
        Ok(match num {
            Num::Literal(v) | Num::Param(v, _) => d.number(*v),
            Num::Field(slot, _) => format!("n{slot}"),
            Num::Score(i, _) => format!("s{i}"),
            Num::Assessed(_) => format!("CAST(({}) AS {double})", assessed()),
            Num::MinScore(_) | Num::MaxScore(_) if n == 0 => format!("CAST(NULL AS {double})"),
            Num::MinScore(_) => format!("LEAST({})", scores(&|i| format!("s{i}")).join(", ")),
            Num::MaxScore(_) => format!("GREATEST({})", scores(&|i| format!("s{i}")).join(", ")),
            Num::MeanScore(_) if n == 0 => format!("CAST(NULL AS {double})"),
            // Summed in column order, as the engine sums them.
            Num::MeanScore(_) => format!(
                "(({}) / NULLIF(CAST(({}) AS {double}), 0))",
                scores(&|i| format!("COALESCE(s{i}, 0)")).join(" + "),
                assessed()
            ),
            Num::Count(p, _) => {
                if n == 0 {
                    return Ok(format!("CAST(0 AS {double})"));
                }
                let mut hits = Vec::new();
                let mut missing = Vec::new();
                for i in 0..n {
                    let p = self.cond(p, Some(i))?;
                    hits.push(format!(
                        "(CASE WHEN s{i} IS NOT NULL AND {p} THEN 1 ELSE 0 END)"
                    ));
                    missing.push(format!("(s{i} IS NOT NULL AND {p} IS NULL)"));
                }
                format!(
                    "(CASE WHEN {} THEN NULL ELSE CAST(({}) AS {double}) END)",
                    missing.join(" OR "),
                    hits.join(" + ")
                )
            }
            Num::Table(_, span) => return Err(unsupported("a lookup table", *span)),
            Num::CurrentScore(span) => format!("s{}", self.current(skill, *span)?),
            Num::ShareBelow(span) => {
                let i = self.current(skill, *span)?;
                format!("(CAST(b{i} AS {double}) / NULLIF(CAST(a{i} AS {double}), 0))")
            }
            Num::Below(span) => format!("CAST(b{} AS {double})", self.current(skill, *span)?),
            Num::SectionAssessed(span) => {
                format!("CAST(a{} AS {double})", self.current(skill, *span)?)
            }
            Num::SectionMean(span) => {
                let i = self.current(skill, *span)?;
                format!("(m{i} / NULLIF(CAST(a{i} AS {double}), 0))")
            }
            Num::SectionStudents(_) => format!("CAST(students AS {double})"),
            Num::Neg(inner) => format!("(-{})", self.num(inner, skill)?),
            Num::Arith(op, a, b) => {
                let (a, b) = (self.num(a, skill)?, self.num(b, skill)?);
                match op {
                    ArithOp::Add => format!("({a} + {b})"),
                    ArithOp::Sub => format!("({a} - {b})"),
                    ArithOp::Mul => format!("({a} * {b})"),
                    // A division by zero is missing, as in the engine.
                    ArithOp::Div => format!("({a} / NULLIF({b}, 0))"),
                }
            }
        })
    }

    pub(crate) fn text(&self, text: &Text, skill: Option<usize>) -> Result<String> {
        let d = self.dialect;
        Ok(match text {
            Text::Literal(s) | Text::Param(s, _) => {
                format!("CAST({} AS {})", d.text(s), d.varchar())
            }
            Text::Field(slot, _) => format!("f{slot}"),
            Text::Table(_, span) => return Err(unsupported("a lookup table", *span)),
            Text::Skill(span) => {
                let i = self.current(skill, *span)?;
                format!("CAST({} AS {})", d.text(&self.skills[i]), d.varchar())
            }
            Text::Section(_) => "section".to_owned(),
        })
    }
}

/// A text folded as the engine compares texts: ASCII letters to lower
/// case, every other character as it is.
pub(crate) fn fold(text: &str) -> String {
    format!("translate({text}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')")
}

fn sql_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
    }
}
