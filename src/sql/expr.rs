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

use std::fmt::Write as _;

use super::dialect::Dialect;
use crate::condition::compile::CompileError;
use crate::condition::eval::{Cond, Num, Operand, Text};
use crate::condition::lookup::{Key, Lookup, Matcher, Value};
use crate::condition::parse::{ArithOp, CmpOp, Span};

/// What an expression is translated against.
pub(crate) struct Cx<'a> {
    pub dialect: Dialect,
    pub skills: &'a [Box<str>],
    /// The rules' lookup tables, compiled against the header.
    pub tables: &'a [Lookup],
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
            Num::MinScore(_) => d.least(&scores(&|i| format!("s{i}"))),
            Num::MaxScore(_) => d.greatest(&scores(&|i| format!("s{i}"))),
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
            Num::Table(index, _) => self.lookup(*index, false),
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
            Text::Table(index, _) => self.lookup(*index, true),
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

impl Cx<'_> {
    /// Table `index`'s keys as SQL texts: a field's trimmed cell, or a
    /// parameter's value.
    fn keys(&self, index: usize) -> Vec<String> {
        self.tables[index]
            .keys
            .iter()
            .map(|key| match key {
                Key::Field(slot) => format!("f{slot}"),
                Key::Const(value) => self.dialect.text(value),
            })
            .collect()
    }

    /// Whether row `row` of table `index` matches the student's keys (all
    /// present), as `Matcher::matches` decides.
    fn row_matches(&self, index: usize, row: usize) -> String {
        let keys = self.keys(index);
        let parts: Vec<String> = self.tables[index].rows[row]
            .matchers
            .iter()
            .zip(&keys)
            .map(|(m, key)| self.matcher(m, key))
            .collect();
        format!("({})", parts.join(" AND "))
    }

    fn matcher(&self, m: &Matcher, key: &str) -> String {
        let d = self.dialect;
        let number = format!(
            "(CASE WHEN {} THEN CAST({key} AS {}) END)",
            d.full_match(key, super::NUMBER),
            d.double()
        );
        match m {
            Matcher::Any => "TRUE".to_owned(),
            Matcher::OneOf(each) => {
                let parts: Vec<String> = each.iter().map(|m| self.matcher(m, key)).collect();
                format!("({})", parts.join(" OR "))
            }
            Matcher::Equal { text, number: want } => {
                let as_text = format!("({} = {})", fold(key), d.text(&text.to_ascii_lowercase()));
                match want {
                    Some(n) => format!(
                        "(CASE WHEN {number} IS NOT NULL THEN {number} = {} ELSE {as_text} END)",
                        d.number(*n)
                    ),
                    None => as_text,
                }
            }
            Matcher::Range { low, high } => {
                let mut tests = Vec::new();
                if let Some((lo, inclusive)) = low {
                    let op = if *inclusive { ">=" } else { ">" };
                    tests.push(format!("{number} {op} {}", d.number(*lo)));
                }
                if let Some((hi, inclusive)) = high {
                    let op = if *inclusive { "<=" } else { "<" };
                    tests.push(format!("{number} {op} {}", d.number(*hi)));
                }
                tests.push(format!("{number} IS NOT NULL"));
                format!("COALESCE({}, FALSE)", tests.join(" AND "))
            }
        }
    }

    /// Whether any of table `index`'s keys is missing for the student.
    fn key_missing(&self, index: usize) -> String {
        let parts: Vec<String> = self
            .keys(index)
            .iter()
            .map(|k| format!("{k} IS NULL"))
            .collect();
        if parts.is_empty() {
            "FALSE".to_owned()
        } else {
            format!("({})", parts.join(" OR "))
        }
    }

    /// The value of the first row of table `index` that matches: missing
    /// when a key is, or no row matches, or the value is not of the kind
    /// read (`text`).
    fn lookup(&self, index: usize, text: bool) -> String {
        let d = self.dialect;
        let kind = if text { d.varchar() } else { d.double() };
        let mut out = format!(
            "(CASE WHEN {} THEN CAST(NULL AS {kind})",
            self.key_missing(index)
        );
        for (r, row) in self.tables[index].rows.iter().enumerate() {
            let value = match (&row.value, text) {
                (Value::Num(n), false) => d.number(*n),
                (Value::Text(t), true) => format!("CAST({} AS {kind})", d.text(t)),
                _ => format!("CAST(NULL AS {kind})"),
            };
            let _ = write!(out, " WHEN {} THEN {value}", self.row_matches(index, r));
        }
        out.push_str(" END)");
        out
    }

    /// Whether every key of table `index` is present and no row matches:
    /// a grade or window the table does not list.
    pub(crate) fn no_row(&self, index: usize) -> String {
        let rows: Vec<String> = (0..self.tables[index].rows.len())
            .map(|r| self.row_matches(index, r))
            .collect();
        let any = if rows.is_empty() {
            "FALSE".to_owned()
        } else {
            rows.join(" OR ")
        };
        format!(
            "(CASE WHEN {} THEN FALSE WHEN {any} THEN FALSE ELSE TRUE END)",
            self.key_missing(index)
        )
    }
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
