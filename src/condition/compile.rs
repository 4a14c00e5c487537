//! [`Expr`] → typed [`Cond`], [`Num`] or [`Text`], with every name resolved.
//!
//! Names are looked up in this order: the domain's own quantities for the
//! scope the expression is in (see [`Scope`]), then the rules' parameters,
//! tables and column fields, then skills by name ([`Names`]). A comparison is
//! numeric unless one side is text. Type errors and unknown names are
//! reported with the span of the offending text and, where one is close, a
//! suggestion.

use super::eval::{Cond, Num, Operand, Text};
use super::parse::{CmpOp, Expr, ExprKind, Span};
use crate::diagnostic::did_you_mean;

/// Where an expression is evaluated, which decides the built-in names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One student: `assessed`, `min_score`, `max_score`, `mean_score`,
    /// `count(..)`, `any(..)`, `all(..)`, `section`.
    Student,
    /// One of a student's skills, inside `any`, `all`, `count` and a focus:
    /// adds `score`, `skill`, `whole_class`, `share_below`.
    Skill,
    /// One section and skill, in the whole-class rule: `skill`, `section`,
    /// `share_below`, `below`, `assessed`, `mean`, `students`.
    Section,
}

/// The built-in names of each scope, for documentation and suggestions.
pub fn builtins(scope: Scope) -> &'static [&'static str] {
    match scope {
        Scope::Student => &[
            "assessed",
            "min_score",
            "max_score",
            "mean_score",
            "section",
            "count",
            "any",
            "all",
        ],
        Scope::Skill => &[
            "score",
            "skill",
            "whole_class",
            "share_below",
            "assessed",
            "min_score",
            "max_score",
            "mean_score",
            "section",
        ],
        Scope::Section => &[
            "skill",
            "section",
            "share_below",
            "below",
            "assessed",
            "mean",
            "students",
        ],
    }
}

/// What a name that is not built in refers to.
#[derive(Debug, Clone)]
pub enum Resolved {
    Number(f64),
    Text(Box<str>),
    /// A column field, by slot; read as a number or as text by its use.
    Field(usize),
    /// A skill's score, by skill index.
    Skill(usize),
    /// A lookup table, by index, and whether its values are text.
    Table(usize, bool),
    /// Not known yet: it may be a column of data not yet seen. Compiles to a
    /// placeholder; only valid when checking rules without data.
    Deferred,
}

/// The rules' names: parameters, tables, fields and skills.
pub trait Names {
    fn resolve(&self, name: &str) -> Option<Resolved>;
    /// Every name, for "did you mean".
    fn candidates(&self) -> Vec<String>;
    /// Whether a table's keys read columns (tables are then unusable in the
    /// whole-class rule, which sees no student).
    fn table_reads_fields(&self, _table: usize) -> bool {
        false
    }
}

/// A compile error at a span of the condition.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

type Result<T> = std::result::Result<T, CompileError>;

fn error(span: Span, message: impl Into<String>) -> CompileError {
    CompileError {
        message: message.into(),
        span,
        help: None,
    }
}

/// Compiles expressions against one set of names, remembering which fields
/// are read as numbers (the reader parses those cells once per row).
pub struct Compiler<'n> {
    names: &'n dyn Names,
    /// Field slots that some expression reads as a number.
    pub numeric_fields: Vec<usize>,
    /// Names left for the data's header to resolve, with their spans.
    pub deferred: Vec<(String, Span)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Text,
    Bool,
    /// A column: number or text, decided by its use.
    Field,
}

impl<'n> Compiler<'n> {
    pub fn new(names: &'n dyn Names) -> Self {
        Compiler {
            names,
            numeric_fields: Vec::new(),
            deferred: Vec::new(),
        }
    }

    pub fn cond(&mut self, e: &Expr, scope: Scope) -> Result<Cond> {
        Ok(match &e.kind {
            ExprKind::Bool(b) => Cond::Const(*b),
            ExprKind::Not(inner) => Cond::Not(Box::new(self.cond(inner, scope)?)),
            ExprKind::And(a, b) => Cond::And(
                Box::new(self.cond(a, scope)?),
                Box::new(self.cond(b, scope)?),
            ),
            ExprKind::Or(a, b) => Cond::Or(
                Box::new(self.cond(a, scope)?),
                Box::new(self.cond(b, scope)?),
            ),
            ExprKind::Compare(op, a, b) => {
                let text = self.ty(a, scope)? == Ty::Text || self.ty(b, scope)? == Ty::Text;
                if text {
                    let equal = match op {
                        CmpOp::Eq => true,
                        CmpOp::Ne => false,
                        _ => {
                            return Err(error(
                                e.span,
                                format!(
                                    "`{}` compares numbers, and this compares text",
                                    op.symbol()
                                ),
                            )
                            .with_help("compare text with `==`, `!=` or `in [...]`"));
                        }
                    };
                    Cond::TextEq {
                        equal,
                        left: self.text(a, scope)?,
                        right: self.text(b, scope)?,
                        span: e.span,
                    }
                } else {
                    Cond::Compare {
                        op: *op,
                        left: self.num(a, scope)?,
                        right: self.num(b, scope)?,
                        span: e.span,
                    }
                }
            }
            ExprKind::In {
                value,
                list,
                negated,
            } => {
                let text = self.ty(value, scope)? == Ty::Text
                    || list
                        .iter()
                        .any(|item| matches!(item.kind, ExprKind::Text(_)));
                if text {
                    let items = list
                        .iter()
                        .map(|item| match &item.kind {
                            ExprKind::Text(s) => Ok(s.as_str().into()),
                            ExprKind::Number(n) => Ok(format_number(*n).into()),
                            _ => Err(error(
                                item.span,
                                "list items must be literal text or numbers",
                            )),
                        })
                        .collect::<Result<Vec<Box<str>>>>()?;
                    Cond::InText {
                        value: self.text(value, scope)?,
                        list: items.into(),
                        negated: *negated,
                        span: e.span,
                    }
                } else {
                    let items = list
                        .iter()
                        .map(|item| match self.num(item, scope)? {
                            Num::Literal(n) | Num::Param(n, _) => Ok(n),
                            _ => Err(error(item.span, "list items must be numbers or parameters")),
                        })
                        .collect::<Result<Vec<f64>>>()?;
                    Cond::InNum {
                        value: self.num(value, scope)?,
                        list: items.into(),
                        negated: *negated,
                        span: e.span,
                    }
                }
            }
            ExprKind::Is { value, missing } => {
                let operand = match self.ty(value, scope)? {
                    Ty::Text | Ty::Field => Operand::Text(self.text(value, scope)?),
                    Ty::Num => Operand::Num(self.num(value, scope)?),
                    Ty::Bool => {
                        return Err(error(
                            value.span,
                            "a test is never missing; `is missing` applies to values",
                        ));
                    }
                };
                Cond::IsMissing {
                    value: operand,
                    missing: *missing,
                    span: e.span,
                }
            }
            ExprKind::Call(name, name_span, args) if matches!(name.as_str(), "any" | "all") => {
                let inner = self.skill_argument(name, *name_span, args, scope)?;
                if name == "any" {
                    Cond::Any(Box::new(inner), e.span)
                } else {
                    Cond::All(Box::new(inner), e.span)
                }
            }
            ExprKind::Name(name) if name == "whole_class" && scope == Scope::Skill => {
                Cond::WholeClass(e.span)
            }
            _ => {
                let found = self.describe(e, scope)?;
                return Err(error(e.span, format!("expected a test, found {found}"))
                    .with_help("compare it with something, e.g. `score < mastery`"));
            }
        })
    }

    /// `any(P)`, `all(P)`, `count(P)`: P is a test about each skill.
    fn skill_argument(
        &mut self,
        name: &str,
        span: Span,
        args: &[Expr],
        scope: Scope,
    ) -> Result<Cond> {
        if scope != Scope::Student {
            return Err(error(
                span,
                format!("`{name}(...)` looks at a student's skills and cannot be used here"),
            ));
        }
        match args {
            [p] => self.cond(p, Scope::Skill),
            _ => Err(error(
                span,
                format!("`{name}` takes one test, e.g. `{name}(score < mastery)`"),
            )),
        }
    }

    pub fn num(&mut self, e: &Expr, scope: Scope) -> Result<Num> {
        Ok(match &e.kind {
            ExprKind::Number(n) => Num::Literal(*n),
            ExprKind::Neg(inner) => Num::Neg(Box::new(self.num(inner, scope)?)),
            ExprKind::Arith(op, a, b) => Num::Arith(
                *op,
                Box::new(self.num(a, scope)?),
                Box::new(self.num(b, scope)?),
            ),
            ExprKind::Call(name, name_span, args) if name == "count" => {
                let inner = self.skill_argument(name, *name_span, args, scope)?;
                Num::Count(Box::new(inner), e.span)
            }
            ExprKind::Name(name) => {
                let span = e.span;
                if let Some(builtin) = builtin_num(name, scope, span) {
                    return Ok(builtin);
                }
                match self.resolve(name, span, scope)? {
                    Resolved::Number(n) => Num::Param(n, span),
                    Resolved::Field(slot) => {
                        if !self.numeric_fields.contains(&slot) {
                            self.numeric_fields.push(slot);
                        }
                        Num::Field(slot, span)
                    }
                    Resolved::Skill(skill) => Num::Score(skill, span),
                    Resolved::Table(index, false) => Num::Table(index, span),
                    Resolved::Deferred => {
                        self.deferred.push((name.clone(), span));
                        Num::Literal(0.0)
                    }
                    Resolved::Text(_) | Resolved::Table(_, true) => {
                        return Err(error(
                            span,
                            format!("`{name}` is text, and a number is needed here"),
                        ));
                    }
                }
            }
            _ => {
                let found = self.describe(e, scope)?;
                return Err(error(e.span, format!("expected a number, found {found}")));
            }
        })
    }

    pub fn text(&mut self, e: &Expr, scope: Scope) -> Result<Text> {
        Ok(match &e.kind {
            ExprKind::Text(s) => Text::Literal(s.as_str().into()),
            ExprKind::Number(n) => Text::Literal(format_number(*n).into()),
            ExprKind::Name(name) => {
                let span = e.span;
                match name.as_str() {
                    "skill" if scope != Scope::Student => return Ok(Text::Skill(span)),
                    "section" => return Ok(Text::Section(span)),
                    _ => {}
                }
                match self.resolve(name, span, scope)? {
                    Resolved::Text(s) => Text::Param(s, span),
                    Resolved::Number(n) => Text::Param(format_number(n).into(), span),
                    Resolved::Field(slot) => Text::Field(slot, span),
                    Resolved::Table(index, true) => Text::Table(index, span),
                    Resolved::Deferred => {
                        self.deferred.push((name.clone(), span));
                        Text::Literal("".into())
                    }
                    Resolved::Skill(_) | Resolved::Table(_, false) => {
                        return Err(error(
                            span,
                            format!("`{name}` is a number, and text is needed here"),
                        ));
                    }
                }
            }
            _ => {
                let found = self.describe(e, scope)?;
                return Err(error(e.span, format!("expected text, found {found}")));
            }
        })
    }

    /// A value for a reason placeholder: a number or text.
    pub fn value(&mut self, e: &Expr, scope: Scope) -> Result<Operand> {
        Ok(match self.ty(e, scope)? {
            Ty::Num => Operand::Num(self.num(e, scope)?),
            Ty::Text | Ty::Field => Operand::Text(self.text(e, scope)?),
            Ty::Bool => return Err(error(e.span, "a placeholder shows a value, not a test")),
        })
    }

    fn resolve(&self, name: &str, span: Span, scope: Scope) -> Result<Resolved> {
        match self.names.resolve(name) {
            Some(Resolved::Field(_)) if scope == Scope::Section => Err(error(
                span,
                format!(
                    "`{name}` is a student's column; the whole-class rule sees sections, not students"
                ),
            )),
            Some(Resolved::Table(index, _))
                if scope == Scope::Section && self.names.table_reads_fields(index) =>
            {
                Err(error(
                    span,
                    format!(
                        "table `{name}` is keyed by a student's column; the whole-class rule sees sections, not students"
                    ),
                ))
            }
            Some(resolved) => Ok(resolved),
            None => {
                let mut candidates: Vec<String> =
                    builtins(scope).iter().map(|s| (*s).to_owned()).collect();
                candidates.extend(self.names.candidates());
                let help = did_you_mean(name, candidates.iter().map(String::as_str)).or_else(|| {
                    Some(format!(
                        "a name is a built-in quantity ({}), a parameter, a table, a column or a skill",
                        builtins(scope).join(", ")
                    ))
                });
                Err(CompileError {
                    message: format!("unknown name `{name}`"),
                    span,
                    help,
                })
            }
        }
    }

    /// The static type of an expression, without compiling it.
    fn ty(&self, e: &Expr, scope: Scope) -> Result<Ty> {
        Ok(match &e.kind {
            ExprKind::Number(_) | ExprKind::Neg(_) | ExprKind::Arith(..) => Ty::Num,
            ExprKind::Text(_) => Ty::Text,
            ExprKind::Bool(_)
            | ExprKind::Not(_)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Compare(..)
            | ExprKind::In { .. }
            | ExprKind::Is { .. } => Ty::Bool,
            ExprKind::Call(name, _, _) => match name.as_str() {
                "count" => Ty::Num,
                "any" | "all" => Ty::Bool,
                _ => {
                    return Err(error(e.span, format!("unknown function `{name}`"))
                        .with_help_opt(did_you_mean(name, ["count", "any", "all"])));
                }
            },
            ExprKind::Name(name) => {
                if builtin_num(name, scope, e.span).is_some() {
                    Ty::Num
                } else if name == "section" || (name == "skill" && scope != Scope::Student) {
                    Ty::Text
                } else if name == "whole_class" && scope == Scope::Skill {
                    Ty::Bool
                } else {
                    match self.resolve(name, e.span, scope)? {
                        Resolved::Number(_) | Resolved::Skill(_) | Resolved::Table(_, false) => {
                            Ty::Num
                        }
                        Resolved::Text(_) | Resolved::Table(_, true) => Ty::Text,
                        Resolved::Field(_) | Resolved::Deferred => Ty::Field,
                    }
                }
            }
        })
    }

    fn describe(&self, e: &Expr, scope: Scope) -> Result<&'static str> {
        Ok(match self.ty(e, scope)? {
            Ty::Num => "a number",
            Ty::Text => "text",
            Ty::Bool => "a test",
            Ty::Field => "a column",
        })
    }
}

fn builtin_num(name: &str, scope: Scope, span: Span) -> Option<Num> {
    Some(match (scope, name) {
        (Scope::Student | Scope::Skill, "assessed") => Num::Assessed(span),
        (Scope::Student | Scope::Skill, "min_score") => Num::MinScore(span),
        (Scope::Student | Scope::Skill, "max_score") => Num::MaxScore(span),
        (Scope::Student | Scope::Skill, "mean_score") => Num::MeanScore(span),
        (Scope::Skill, "score") => Num::CurrentScore(span),
        (Scope::Skill | Scope::Section, "share_below") => Num::ShareBelow(span),
        (Scope::Section, "below") => Num::Below(span),
        (Scope::Section, "assessed") => Num::SectionAssessed(span),
        (Scope::Section, "mean") => Num::SectionMean(span),
        (Scope::Section, "students") => Num::SectionStudents(span),
        _ => return None,
    })
}

impl CompileError {
    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// A number as a teacher writes it: `80`, `0.5`, `12.25`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::eval::{Env, NoTrace, SkillStat, Tri};
    use crate::condition::parse::parse;
    use csv::ByteRecord;

    struct TestNames;

    impl Names for TestNames {
        fn resolve(&self, name: &str) -> Option<Resolved> {
            Some(match name {
                "mastery" => Resolved::Number(80.0),
                "season" => Resolved::Text("fall".into()),
                "screening" => Resolved::Field(0),
                "grade" => Resolved::Field(1),
                "NBT.1" => Resolved::Skill(0),
                "NF.1" => Resolved::Skill(1),
                _ => return None,
            })
        }
        fn candidates(&self) -> Vec<String> {
            ["mastery", "season", "screening", "grade", "NBT.1", "NF.1"]
                .map(String::from)
                .to_vec()
        }
    }

    fn eval(src: &str, cells: &[&str], scores: &[Option<f64>], stats: &[SkillStat]) -> Tri {
        let mut compiler = Compiler::new(&TestNames);
        let cond = compiler.cond(&parse(src).unwrap(), Scope::Student).unwrap();
        let record = ByteRecord::from(cells.to_vec());
        let numbers: Vec<Option<f64>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if compiler.numeric_fields.contains(&i) {
                    c.parse().ok()
                } else {
                    None
                }
            })
            .collect();
        let names: Vec<Box<str>> = vec!["NBT.1".into(), "NF.1".into()];
        let quantities = crate::condition::eval::Quantities::default();
        let env = Env {
            quantities: &quantities,
            record: &record,
            field_columns: &[Some(0), Some(1)],
            numbers: &numbers,
            scores,
            skill_names: &names,
            section_name: b"5A",
            section_students: 20,
            section: stats,
            tables: &[],
            skill: 0,
        };
        cond.eval(&env, &mut NoTrace)
    }

    /// See: issue 12. The student's quantities are the same inside a
    /// per-skill test as outside it (worked out once, read many times).
    #[test]
    fn a_student_s_quantities_read_inside_a_count() {
        let scores = [Some(40.0), Some(90.0), None];
        let stats = [SkillStat::default(); 3];
        for (src, want) in [
            (
                "assessed == 2 and min_score == 40 and max_score == 90 and mean_score == 65",
                Tri::True,
            ),
            ("count(score < mean_score) == 1", Tri::True),
            ("count(score < min_score + max_score) == 2", Tri::True),
            ("all(score >= min_score and score <= max_score)", Tri::True),
        ] {
            assert_eq!(eval(src, &["50", "5"], &scores, &stats), want, "{src}");
        }
    }

    fn compile_error(src: &str) -> CompileError {
        Compiler::new(&TestNames)
            .cond(&parse(src).unwrap(), Scope::Student)
            .unwrap_err()
    }

    #[test]
    fn missing_values_make_missing_outcomes() {
        let scores = [Some(70.0), Some(90.0)];
        assert_eq!(
            eval("screening <= 10", &["8", "3"], &scores, &[]),
            Tri::True
        );
        assert_eq!(
            eval("screening <= 10", &["", "3"], &scores, &[]),
            Tri::Missing
        );
        assert_eq!(
            eval(
                "screening <= 10 or NBT.1 < mastery",
                &["", "3"],
                &scores,
                &[]
            ),
            Tri::True
        );
        assert_eq!(
            eval(
                "screening <= 10 and NF.1 < mastery",
                &["", "3"],
                &scores,
                &[]
            ),
            Tri::False
        );
        assert_eq!(
            eval("screening is missing", &["", "3"], &scores, &[]),
            Tri::True
        );
        assert_eq!(
            eval("not screening > 50", &["", "3"], &scores, &[]),
            Tri::Missing
        );
    }

    #[test]
    fn skill_quantities_and_section_flags() {
        let scores = [Some(70.0), None];
        let whole = SkillStat {
            whole_class: true,
            ..SkillStat::default()
        };
        let stats = [whole, SkillStat::default()];
        assert_eq!(
            eval(
                "assessed == 1 and min_score == 70",
                &["", ""],
                &scores,
                &stats
            ),
            Tri::True
        );
        assert_eq!(
            eval("any(score < mastery)", &["", ""], &scores, &stats),
            Tri::True
        );
        assert_eq!(
            eval(
                "any(score < mastery and not whole_class)",
                &["", ""],
                &scores,
                &stats
            ),
            Tri::False
        );
        assert_eq!(
            eval(
                "count(skill in ['NBT.1', 'x']) == 1",
                &["", ""],
                &scores,
                &stats
            ),
            Tri::True
        );
        assert_eq!(
            eval("mean_score is missing", &["", ""], &[None, None], &stats),
            Tri::True
        );
    }

    #[test]
    fn text_compares_without_case_and_numbers_as_numbers() {
        assert_eq!(eval("grade in ['k', '1']", &["", "K"], &[], &[]), Tri::True);
        assert_eq!(eval("grade == 3", &["", "3"], &[], &[]), Tri::True);
        assert_eq!(eval("season == 'Fall'", &["", ""], &[], &[]), Tri::True);
    }

    #[test]
    fn errors_name_the_problem_and_suggest() {
        let e = compile_error("screnning <= 10");
        assert_eq!(e.message, "unknown name `screnning`");
        assert_eq!(e.help.as_deref(), Some("did you mean `screening`?"));
        assert_eq!(e.span, Span { start: 0, end: 9 });
        assert!(
            compile_error("season < 3")
                .message
                .contains("compares numbers")
        );
        assert!(compile_error("mastery").message.contains("expected a test"));
        assert!(
            compile_error("cuont(score < 3) > 1")
                .help
                .unwrap()
                .contains("`count`")
        );
        assert!(
            compile_error("score < 3")
                .message
                .contains("unknown name `score`")
        );
    }
}
