//! The condition language: text in the rules → syntax tree → compiled,
//! typed conditions evaluated per student.
//!
//! `parse` knows the grammar, `compile` resolves names and types against the
//! rules and the data's header, `eval` runs compiled conditions; `lookup`
//! holds the lookup tables they read, `number` the reading of a cell as a
//! number, and `visit` one walk over the syntax tree. The language
//! has comparisons, `and`/`or`/`not`, membership, `is missing`, arithmetic
//! and a few aggregate functions over a student's skills; no loops, no calls
//! to arbitrary code, so every condition terminates and translates to SQL.

pub mod compile;
pub mod eval;
pub(crate) mod lookup;
pub(crate) mod number;
pub mod parse;
pub(crate) mod visit;

pub use compile::{Compiler, Names, Resolved, Scope, format_number};
pub use eval::{Cond, Env, NoTrace, Num, Operand, Recorder, Seen, SkillStat, Text, Trace, Tri};
pub use parse::{Expr, Span, parse};

/// A condition's text with each run of whitespace as one space, as messages
/// and test paths show it (a folded `when: >-` reads as one line).
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
