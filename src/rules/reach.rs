//! Branches no student can reach: a test on one number against a fixed
//! value (`screening <= 20`) that the tests before it already decide
//! (`screening <= 25` earlier in the list takes every such student), or
//! that contradicts the branch it sits under. First match wins, so the
//! students a branch can see are those for whom every earlier sibling's
//! test was false and every enclosing test true.
//!
//! Only tests of the form `NAME op VALUE` (and `and` of them) are reasoned
//! about, VALUE a number or a numeric parameter; anything else is taken to
//! allow every value, so a finding is always a real dead branch.

use super::model::ParamValue;
use super::{Branch, Outcome, Rules, Tree};
use crate::condition::one_line;
use crate::condition::parse::{CmpOp, Expr, ExprKind};
use crate::diagnostic::{Code, Diagnostic};

/// The values one name may still have: a range with open or closed ends.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Range {
    low: f64,
    low_in: bool,
    high: f64,
    high_in: bool,
}

impl Range {
    const ALL: Range = Range {
        low: f64::NEG_INFINITY,
        low_in: false,
        high: f64::INFINITY,
        high_in: false,
    };

    /// The values `op value` holds for, when it is one range.
    fn of(op: CmpOp, value: f64) -> Option<Range> {
        let all = Range::ALL;
        Some(match op {
            CmpOp::Lt => Range {
                high: value,
                high_in: false,
                ..all
            },
            CmpOp::Le => Range {
                high: value,
                high_in: true,
                ..all
            },
            CmpOp::Gt => Range {
                low: value,
                low_in: false,
                ..all
            },
            CmpOp::Ge => Range {
                low: value,
                low_in: true,
                ..all
            },
            CmpOp::Eq => Range {
                low: value,
                low_in: true,
                high: value,
                high_in: true,
            },
            CmpOp::Ne => return None,
        })
    }

    /// The values `op value` is false for (the value present), when one range.
    fn not(op: CmpOp, value: f64) -> Option<Range> {
        match op {
            CmpOp::Lt => Range::of(CmpOp::Ge, value),
            CmpOp::Le => Range::of(CmpOp::Gt, value),
            CmpOp::Gt => Range::of(CmpOp::Le, value),
            CmpOp::Ge => Range::of(CmpOp::Lt, value),
            CmpOp::Ne => Range::of(CmpOp::Eq, value),
            CmpOp::Eq => None,
        }
    }

    fn and(self, other: Range) -> Range {
        let (low, low_in) = if other.low > self.low || (other.low == self.low && !other.low_in) {
            (other.low, other.low_in)
        } else {
            (self.low, self.low_in)
        };
        let (high, high_in) =
            if other.high < self.high || (other.high == self.high && !other.high_in) {
                (other.high, other.high_in)
            } else {
                (self.high, self.high_in)
            };
        Range {
            low,
            low_in,
            high,
            high_in,
        }
    }

    fn is_empty(self) -> bool {
        self.low > self.high || (self.low == self.high && !(self.low_in && self.high_in))
    }
}

/// What is known on the way to a branch: per name, the values left.
type Known = Vec<(String, Range)>;

fn narrow(known: &mut Known, name: &str, range: Range) {
    match known.iter_mut().find(|(n, _)| n == name) {
        Some((_, r)) => *r = r.and(range),
        None => known.push((name.to_owned(), Range::ALL.and(range))),
    }
}

/// `name op value` with `value` a number or a numeric parameter (either
/// side), as (name, op with the name on the left, value).
fn comparison(rules: &Rules, expr: &Expr) -> Option<(String, CmpOp, f64)> {
    let ExprKind::Compare(op, left, right) = &expr.kind else {
        return None;
    };
    let number = |e: &Expr| match &e.kind {
        ExprKind::Number(n) => Some(*n),
        ExprKind::Name(name) => rules
            .params
            .iter()
            .find(|p| &p.name == name)
            .and_then(|p| match p.value {
                ParamValue::Number(n) => Some(n),
                ParamValue::Text(_) => None,
            }),
        _ => None,
    };
    let name = |e: &Expr| match &e.kind {
        ExprKind::Name(n) if !rules.params.iter().any(|p| &p.name == n) => Some(n.clone()),
        _ => None,
    };
    if let (Some(n), Some(v)) = (name(left), number(right)) {
        return Some((n, *op, v));
    }
    let flipped = match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => *other,
    };
    Some((name(right)?, flipped, number(left)?))
}

/// The ranges a test being true implies (each conjunct a comparison).
fn when_true(rules: &Rules, expr: &Expr, known: &mut Known) {
    match &expr.kind {
        ExprKind::And(a, b) => {
            when_true(rules, a, known);
            when_true(rules, b, known);
        }
        _ => {
            if let Some((name, op, value)) = comparison(rules, expr)
                && let Some(range) = Range::of(op, value)
            {
                narrow(known, &name, range);
            }
        }
    }
}

/// Every branch no student can reach, as a warning at its test.
pub(super) fn unreachable(rules: &Rules) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(rules, &rules.tree, &Known::new(), &mut out);
    out
}

fn walk(rules: &Rules, tree: &Tree, above: &Known, out: &mut Vec<Diagnostic>) {
    let mut known = above.clone();
    // Which earlier branch ruled out each name's values, for the message.
    let mut why: Vec<(String, u64)> = Vec::new();
    for branch in &tree.branches {
        let mut here = known.clone();
        when_true(rules, &branch.when.expr, &mut here);
        if let Some((name, _)) = here.iter().find(|(_, r)| r.is_empty()) {
            out.push(finding(rules, branch, name, &why));
            continue;
        }
        if let Outcome::Tree(sub) = &branch.outcome {
            walk(rules, sub, &here, out);
        }
        // Later branches see only the students this test was false for.
        if let Some((name, op, value)) = comparison(rules, &branch.when.expr)
            && let Some(range) = Range::not(op, value)
        {
            narrow(&mut known, &name, range);
            why.push((name, branch.when.pos.line));
        }
    }
}

fn finding(rules: &Rules, branch: &Branch, name: &str, why: &[(String, u64)]) -> Diagnostic {
    let text = one_line(&branch.when.text);
    let earlier: Vec<String> = why
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, line)| format!("line {line}"))
        .collect();
    let because = if earlier.is_empty() {
        "the test it sits under rules it out".to_owned()
    } else {
        format!(
            "the branch on {} takes every such student first",
            earlier.join(" and ")
        )
    };
    Diagnostic::warning(
        Code::UnreachableBranch,
        format!("no student can reach `{text}`: no value of `{name}` passes it here, as {because}"),
    )
    .at(rules.source.location(branch.when.pos, 0, 0))
    .help("first match wins: put the narrower test first (`<= 10` before `<= 25`), or fix the cut")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_meet_and_empty_as_written() {
        let le25 = Range::of(CmpOp::Le, 25.0).unwrap();
        let gt25 = Range::not(CmpOp::Le, 25.0).unwrap();
        assert!(le25.and(gt25).is_empty());
        assert!(!Range::of(CmpOp::Le, 30.0).unwrap().and(gt25).is_empty());
        let eq25 = Range::of(CmpOp::Eq, 25.0).unwrap();
        assert!(!eq25.and(le25).is_empty());
        assert!(eq25.and(gt25).is_empty());
    }
}
