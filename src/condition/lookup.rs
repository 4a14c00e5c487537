//! Lookup tables as conditions read them: rows of matchers tried in order,
//! the first whose every key matches giving the value (a cut score by grade
//! and season). Built by `rules` from the rules' `tables:`; read for one
//! student by [`Lookup::lookup`] in `eval`.

use super::number::parse_number;

/// A lookup table, compiled: rows are tried in order, the first whose every
/// key matches gives the value.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub keys: Vec<Key>,
    pub rows: Vec<Row>,
}

/// Where a table key's value comes from.
#[derive(Debug, Clone)]
pub enum Key {
    /// A column, by field slot.
    Field(usize),
    /// A parameter's value, fixed for the run.
    Const(Box<str>),
}

#[derive(Debug, Clone)]
pub struct Row {
    /// One matcher per key, in the order of [`Lookup::keys`].
    pub matchers: Vec<Matcher>,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub enum Matcher {
    Any,
    /// Any of several spellings of one value (`K`, `0`, `KG`).
    OneOf(Vec<Matcher>),
    /// Equal as numbers when both are numbers, otherwise as text ignoring
    /// ASCII case.
    Equal {
        text: Box<str>,
        number: Option<f64>,
    },
    /// A numeric range; each bound says whether it is inclusive.
    Range {
        low: Option<(f64, bool)>,
        high: Option<(f64, bool)>,
    },
}

#[derive(Debug, Clone)]
pub enum Value {
    Num(f64),
    Text(Box<str>),
}

/// Most keys a table may have (grade and season need two).
pub(crate) const MAX_TABLE_KEYS: usize = 8;

impl Matcher {
    /// Whether a key's text matches (numbers as numbers, text ignoring case).
    pub fn matches(&self, key: &[u8]) -> bool {
        match self {
            Matcher::Any => true,
            Matcher::OneOf(each) => each.iter().any(|m| m.matches(key)),
            Matcher::Equal { text, number } => match (number, parse_number(key)) {
                (Some(want), Some(have)) => *want == have,
                _ => text.as_bytes().eq_ignore_ascii_case(key),
            },
            Matcher::Range { low, high } => parse_number(key).is_some_and(|v| {
                low.is_none_or(|(lo, inclusive)| if inclusive { v >= lo } else { v > lo })
                    && high.is_none_or(|(hi, inclusive)| if inclusive { v <= hi } else { v < hi })
            }),
        }
    }
}
