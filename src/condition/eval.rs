//! Compiled conditions and their evaluation against one student.
//!
//! A compiled [`Cond`] refers to columns by index and to parameters by value,
//! so evaluating it reads a few cells and compares numbers: no lookups by
//! name and no allocation. Missing data is its own outcome: a test that reads
//! an empty cell is [`Tri::Missing`], and `and`/`or`/`not` follow three-valued
//! (Kleene) logic, as SQL does, so that the caller decides explicitly what a
//! missing answer means. An optional [`Trace`] records what each test saw;
//! with [`NoTrace`] the recording compiles away.

use csv::ByteRecord;

use super::lookup::{self, Key, Lookup};
use super::number::trim;
use super::parse::{ArithOp, CmpOp, Span};

/// The outcome of a condition: true, false, or not decidable because a value
/// it needs is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    False,
    True,
    Missing,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    fn not(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::True => Tri::False,
            Tri::Missing => Tri::Missing,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tri::False => "false",
            Tri::True => "true",
            Tri::Missing => "missing",
        }
    }
}

/// A boolean condition.
#[derive(Debug, Clone)]
pub enum Cond {
    Const(bool),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Compare {
        op: CmpOp,
        left: Num,
        right: Num,
        span: Span,
    },
    TextEq {
        equal: bool,
        left: Text,
        right: Text,
        span: Span,
    },
    InNum {
        value: Num,
        list: Box<[f64]>,
        negated: bool,
        span: Span,
    },
    InText {
        value: Text,
        list: Box<[Box<str>]>,
        negated: bool,
        span: Span,
    },
    IsMissing {
        value: Operand,
        missing: bool,
        span: Span,
    },
    /// `any(P)`: P holds for at least one skill the student has a score on.
    Any(Box<Cond>, Span),
    /// `all(P)`: P holds for every skill the student has a score on.
    All(Box<Cond>, Span),
    /// In a skill context: the skill is retaught to the student's whole
    /// section.
    WholeClass(Span),
}

/// Either kind of value, for `is missing`.
#[derive(Debug, Clone)]
pub enum Operand {
    Num(Num),
    Text(Text),
}

/// A numeric value.
#[derive(Debug, Clone)]
pub enum Num {
    /// A literal number (not traced: its value is in the text).
    Literal(f64),
    /// A parameter, folded to its value (traced, so `explain` shows it).
    Param(f64, Span),
    /// A column read as a number: the field's slot.
    Field(usize, Span),
    /// One skill's score, by skill index.
    Score(usize, Span),
    /// The student's own quantities over their skill scores.
    Assessed(Span),
    MinScore(Span),
    MaxScore(Span),
    MeanScore(Span),
    /// `count(P)`: the number of the student's scored skills where P holds.
    Count(Box<Cond>, Span),
    /// A lookup table with numeric values.
    Table(usize, Span),
    /// In a skill context: the current skill's score.
    CurrentScore(Span),
    /// In a skill or section context: the section's aggregates for the
    /// current skill.
    ShareBelow(Span),
    Below(Span),
    SectionAssessed(Span),
    SectionMean(Span),
    SectionStudents(Span),
    Neg(Box<Num>),
    Arith(ArithOp, Box<Num>, Box<Num>),
}

/// A text value.
#[derive(Debug, Clone)]
pub enum Text {
    Literal(Box<str>),
    Param(Box<str>, Span),
    Field(usize, Span),
    Table(usize, Span),
    /// In a skill or section context: the current skill's name.
    Skill(Span),
    /// The student's section.
    Section(Span),
}

/// The section-level numbers for one skill.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SkillStat {
    /// Students of the section with a score on the skill.
    pub assessed: u32,
    /// Of those, students below mastery.
    pub below: u32,
    /// Sum of their scores.
    pub sum: f64,
    /// Whether the skill is retaught to the whole section.
    pub whole_class: bool,
}

impl SkillStat {
    pub fn share_below(&self) -> Option<f64> {
        (self.assessed > 0).then(|| f64::from(self.below) / f64::from(self.assessed))
    }

    pub fn mean(&self) -> Option<f64> {
        (self.assessed > 0).then(|| self.sum / f64::from(self.assessed))
    }
}

/// A student's assessed count, lowest, highest and mean score, computed
/// once per student: a `count(...)` over thousands of skills that reads
/// `min_score` in its test would otherwise rescan every score per skill.
#[derive(Debug, Default)]
pub struct Quantities(std::cell::OnceCell<Computed>);

#[derive(Debug, Clone, Copy)]
struct Computed {
    assessed: f64,
    min: Option<f64>,
    max: Option<f64>,
    mean: Option<f64>,
}

/// Everything a condition can read about one student (or, for the
/// whole-class rule, one section and skill).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The student's quantities over their scores, worked out at most once
    /// however often and however deep a condition reads them (issue 12).
    pub quantities: &'a Quantities,
    pub record: &'a ByteRecord,
    /// Column index of each field slot; `None` for an absent optional column.
    pub field_columns: &'a [Option<usize>],
    /// Each field slot's cell as a number, where conditions read it as one.
    pub numbers: &'a [Option<f64>],
    /// The student's score on each skill, as a percent.
    pub scores: &'a [Option<f64>],
    pub skill_names: &'a [Box<str>],
    pub section_name: &'a [u8],
    pub section_students: u32,
    pub section: &'a [SkillStat],
    pub tables: &'a [Lookup],
    /// The skill a skill- or section-context expression is about.
    pub skill: usize,
}

/// What a traced test saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    Num(Option<f64>),
    Text(Option<String>),
    /// The outcome of a test (a comparison, `any`, `all`...).
    Test(Tri),
    /// The skills for which `any`/`all`/`count` found the test true.
    Skills(Vec<usize>),
}

/// Receives what evaluation sees, for `explain` and reasons.
pub trait Trace {
    /// False for the no-op tracer, so recording compiles away.
    const ON: bool;
    fn seen(&mut self, span: Span, seen: Seen);
}

/// The tracer that records nothing.
pub struct NoTrace;

impl Trace for NoTrace {
    const ON: bool = false;
    fn seen(&mut self, _: Span, _: Seen) {}
}

/// Records every observation in order.
#[derive(Debug, Default)]
pub struct Recorder {
    pub seen: Vec<(Span, Seen)>,
}

impl Trace for Recorder {
    const ON: bool = true;
    fn seen(&mut self, span: Span, seen: Seen) {
        self.seen.push((span, seen));
    }
}

impl<'a> Env<'a> {
    fn cell(&self, slot: usize) -> Option<&'a [u8]> {
        let column = self.field_columns.get(slot).copied().flatten()?;
        let cell = trim(self.record.get(column)?);
        (!cell.is_empty()).then_some(cell)
    }

    /// The student's quantities, worked out on first use.
    fn quantities(&self) -> &'a Computed {
        self.quantities.0.get_or_init(|| {
            let (mut n, mut sum) = (0usize, 0.0);
            let (mut min, mut max): (Option<f64>, Option<f64>) = (None, None);
            for (_, s) in self.present_scores() {
                n += 1;
                sum += s;
                min = Some(min.map_or(s, |m| m.min(s)));
                max = Some(max.map_or(s, |m| m.max(s)));
            }
            Computed {
                assessed: n as f64,
                min,
                max,
                mean: (n > 0).then(|| sum / n as f64),
            }
        })
    }

    fn present_scores(&self) -> impl Iterator<Item = (usize, f64)> + 'a {
        self.scores
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|s| (i, s)))
    }

    fn stat(&self) -> Option<&'a SkillStat> {
        self.section.get(self.skill)
    }
}

impl Cond {
    pub fn eval<T: Trace>(&self, env: &Env<'_>, t: &mut T) -> Tri {
        match self {
            Cond::Const(b) => Tri::from_bool(*b),
            Cond::Not(inner) => inner.eval(env, t).not(),
            Cond::And(a, b) => match a.eval(env, t) {
                Tri::False => Tri::False,
                left => match b.eval(env, t) {
                    Tri::False => Tri::False,
                    Tri::True => left,
                    Tri::Missing => Tri::Missing,
                },
            },
            Cond::Or(a, b) => match a.eval(env, t) {
                Tri::True => Tri::True,
                left => match b.eval(env, t) {
                    Tri::True => Tri::True,
                    Tri::False => left,
                    Tri::Missing => Tri::Missing,
                },
            },
            Cond::Compare {
                op,
                left,
                right,
                span,
            } => {
                let result = match (left.eval(env, t), right.eval(env, t)) {
                    (Some(l), Some(r)) => Tri::from_bool(match op {
                        CmpOp::Lt => l < r,
                        CmpOp::Le => l <= r,
                        CmpOp::Gt => l > r,
                        CmpOp::Ge => l >= r,
                        CmpOp::Eq => l == r,
                        CmpOp::Ne => l != r,
                    }),
                    _ => Tri::Missing,
                };
                traced(t, *span, result)
            }
            Cond::TextEq {
                equal,
                left,
                right,
                span,
            } => {
                let result = match (left.eval(env, t), right.eval(env, t)) {
                    (Some(l), Some(r)) => Tri::from_bool(l.eq_ignore_ascii_case(r) == *equal),
                    _ => Tri::Missing,
                };
                traced(t, *span, result)
            }
            Cond::InNum {
                value,
                list,
                negated,
                span,
            } => {
                let result = match value.eval(env, t) {
                    Some(v) => Tri::from_bool(list.contains(&v) != *negated),
                    None => Tri::Missing,
                };
                traced(t, *span, result)
            }
            Cond::InText {
                value,
                list,
                negated,
                span,
            } => {
                let result = match value.eval(env, t) {
                    Some(v) => Tri::from_bool(
                        list.iter()
                            .any(|item| item.as_bytes().eq_ignore_ascii_case(v))
                            != *negated,
                    ),
                    None => Tri::Missing,
                };
                traced(t, *span, result)
            }
            Cond::IsMissing {
                value,
                missing,
                span,
            } => {
                let absent = match value {
                    Operand::Num(n) => n.eval(env, t).is_none(),
                    Operand::Text(x) => x.eval(env, t).is_none(),
                };
                traced(t, *span, Tri::from_bool(absent == *missing))
            }
            Cond::Any(p, span) => quantified(p, false, *span, env, t),
            Cond::All(p, span) => quantified(p, true, *span, env, t),
            Cond::WholeClass(span) => {
                let result = Tri::from_bool(env.stat().is_some_and(|s| s.whole_class));
                traced(t, *span, result)
            }
        }
    }
}

/// `any(P)` (`want_all` false) or `all(P)` over the skills the student has
/// a score on. Traced, the walk goes on past the deciding skill to record
/// every skill P holds for.
fn quantified<T: Trace>(p: &Cond, want_all: bool, span: Span, env: &Env<'_>, t: &mut T) -> Tri {
    let mut missing = false;
    let mut decided = false;
    let mut hits = Vec::new();
    // One copy of the environment, its skill changed in place.
    let mut each = *env;
    for (skill, _) in env.present_scores() {
        each.skill = skill;
        match p.eval(&each, &mut NoTrace) {
            Tri::True if !want_all => {
                decided = true;
                if !T::ON {
                    break;
                }
                hits.push(skill);
            }
            Tri::True => hits.push(skill),
            Tri::False if want_all => {
                decided = true;
                if !T::ON {
                    break;
                }
            }
            Tri::False => {}
            Tri::Missing => missing = true,
        }
    }
    let result = if decided {
        Tri::from_bool(!want_all)
    } else if missing {
        Tri::Missing
    } else {
        Tri::from_bool(want_all)
    };
    if T::ON {
        t.seen(span, Seen::Skills(hits));
    }
    traced(t, span, result)
}

fn traced<T: Trace>(t: &mut T, span: Span, result: Tri) -> Tri {
    if T::ON {
        t.seen(span, Seen::Test(result));
    }
    result
}

fn seen_num<T: Trace>(t: &mut T, span: Span, value: Option<f64>) -> Option<f64> {
    if T::ON {
        t.seen(span, Seen::Num(value));
    }
    value
}

impl Num {
    pub fn eval<T: Trace>(&self, env: &Env<'_>, t: &mut T) -> Option<f64> {
        match self {
            Num::Literal(n) => Some(*n),
            Num::Param(n, span) => seen_num(t, *span, Some(*n)),
            Num::Field(slot, span) => seen_num(t, *span, env.numbers.get(*slot).copied().flatten()),
            Num::Score(skill, span) => {
                seen_num(t, *span, env.scores.get(*skill).copied().flatten())
            }
            Num::Assessed(span) => seen_num(t, *span, Some(env.quantities().assessed)),
            Num::MinScore(span) => seen_num(t, *span, env.quantities().min),
            Num::MaxScore(span) => seen_num(t, *span, env.quantities().max),
            Num::MeanScore(span) => seen_num(t, *span, env.quantities().mean),
            Num::Count(p, span) => {
                let mut n = 0usize;
                let mut missing = false;
                let mut hits = Vec::new();
                let mut each = *env;
                for (skill, _) in env.present_scores() {
                    each.skill = skill;
                    match p.eval(&each, &mut NoTrace) {
                        Tri::True => {
                            n += 1;
                            if T::ON {
                                hits.push(skill);
                            }
                        }
                        Tri::False => {}
                        Tri::Missing => missing = true,
                    }
                }
                if T::ON {
                    t.seen(*span, Seen::Skills(hits));
                }
                seen_num(t, *span, (!missing).then_some(n as f64))
            }
            Num::Table(index, span) => {
                let v = match env.tables.get(*index).and_then(|table| table.lookup(env)) {
                    Some(lookup::Value::Num(n)) => Some(*n),
                    _ => None,
                };
                seen_num(t, *span, v)
            }
            Num::CurrentScore(span) => {
                seen_num(t, *span, env.scores.get(env.skill).copied().flatten())
            }
            Num::ShareBelow(span) => {
                seen_num(t, *span, env.stat().and_then(SkillStat::share_below))
            }
            Num::Below(span) => seen_num(t, *span, env.stat().map(|s| f64::from(s.below))),
            Num::SectionAssessed(span) => {
                seen_num(t, *span, env.stat().map(|s| f64::from(s.assessed)))
            }
            Num::SectionMean(span) => seen_num(t, *span, env.stat().and_then(SkillStat::mean)),
            Num::SectionStudents(span) => seen_num(t, *span, Some(f64::from(env.section_students))),
            Num::Neg(inner) => inner.eval(env, t).map(|v| -v),
            Num::Arith(op, a, b) => {
                let (a, b) = (a.eval(env, t)?, b.eval(env, t)?);
                let v = match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    ArithOp::Div => a / b,
                };
                v.is_finite().then_some(v)
            }
        }
    }
}

impl Text {
    pub fn eval<'e, T: Trace>(&'e self, env: &Env<'e>, t: &mut T) -> Option<&'e [u8]> {
        let (value, span) = match self {
            Text::Literal(s) => return Some(s.as_bytes()),
            Text::Param(s, span) => (Some(s.as_bytes()), *span),
            Text::Field(slot, span) => (env.cell(*slot), *span),
            Text::Table(index, span) => {
                let v = match env.tables.get(*index).and_then(|table| table.lookup(env)) {
                    Some(lookup::Value::Text(s)) => Some(s.as_bytes()),
                    _ => None,
                };
                (v, *span)
            }
            Text::Skill(span) => (env.skill_names.get(env.skill).map(|s| s.as_bytes()), *span),
            Text::Section(span) => (Some(env.section_name), *span),
        };
        if T::ON {
            let text = value.map(|v| String::from_utf8_lossy(v).into_owned());
            t.seen(span, Seen::Text(text));
        }
        value
    }
}

/// A lookup table read for one student.
impl Lookup {
    /// The value of the first row whose keys all match, or `None` when a key
    /// is missing or no row matches.
    pub fn lookup<'t>(&'t self, env: &Env<'t>) -> Option<&'t lookup::Value> {
        self.matching_row(env).map(|row| &self.rows[row].value)
    }

    /// The index of the first row whose keys all match (what [`Lookup::lookup`]
    /// reads), for `tierplan test`'s coverage.
    /// The student's key values when every key has one and no row matches
    /// them (a grade the table has no row for); `None` otherwise.
    pub fn unmatched_keys<'t>(&self, env: &Env<'t>) -> Option<Vec<&'t [u8]>> {
        let mut keys = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            match key {
                Key::Field(field) => keys.push(env.cell(*field)?),
                Key::Const(_) => keys.push(&b""[..]),
            }
        }
        self.matching_row(env).is_none().then_some(keys)
    }

    pub fn matching_row(&self, env: &Env<'_>) -> Option<usize> {
        let mut keys: [Option<&[u8]>; 8] = [None; 8];
        for (slot, key) in keys.iter_mut().zip(&self.keys) {
            *slot = Some(match key {
                Key::Field(field) => env.cell(*field)?,
                Key::Const(value) => value.as_bytes(),
            });
        }
        self.rows.iter().position(|row| {
            row.matchers
                .iter()
                .zip(&keys)
                .all(|(m, key)| key.is_some_and(|key| m.matches(key)))
        })
    }
}
