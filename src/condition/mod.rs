//! The condition language: text in the rules → syntax tree → compiled,
//! typed conditions evaluated per student.
//!
//! `parse` knows the grammar, `compile` resolves names and types against the
//! rules and the data's header, `eval` runs compiled conditions; `lookup`
//! holds the lookup tables they read and `number` the reading of a cell as
//! a number. The language
//! has comparisons, `and`/`or`/`not`, membership, `is missing`, arithmetic
//! and a few aggregate functions over a student's skills; no loops, no calls
//! to arbitrary code, so every condition terminates and translates to SQL.

pub mod compile;
pub mod eval;
pub mod lookup;
pub mod number;
pub mod parse;

pub use compile::{Compiler, Names, Resolved, Scope, format_number};
pub use eval::{Cond, Env, NoTrace, Num, Operand, Recorder, Seen, SkillStat, Text, Trace, Tri};
pub use parse::{Expr, Span, parse};
