//! One walk over a condition's syntax tree, for the questions asked of a
//! test without compiling it (which fields and tables it reads).
//!
//! The walk visits every sub-expression; questions that must stop at some
//! kinds of node (the reachability of branches follows `and` only, the
//! boundary cases `and`/`or`/`not`) match on [`ExprKind`] themselves.

use super::parse::{Expr, ExprKind};

/// Call `f` on `expr` and on every expression inside it, each before its
/// operands, operands left to right.
pub(crate) fn walk(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {}
        ExprKind::Call(_, _, args) => args.iter().for_each(|a| walk(a, f)),
        ExprKind::Not(e) | ExprKind::Neg(e) | ExprKind::Is { value: e, .. } => walk(e, f),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::Arith(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::In { value, list, .. } => {
            walk(value, f);
            list.iter().for_each(|e| walk(e, f));
        }
    }
}
