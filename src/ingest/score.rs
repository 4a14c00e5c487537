//! Score cells → percent, without allocating.
//!
//! A score is written `85`, `85%`, `7/10` or `7 / 10` (points over a maximum),
//! or `0.85` where the rules say skills are on the fraction scale. An empty
//! cell is not assessed. Anything else, or a value outside 0-100 percent, is
//! an error the reader reports with its row and column.

use crate::condition::number::{parse_number, small_integer};
use crate::rules::Scale;

/// Why a cell is not a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScoreError {
    NotAScore,
    OutOfRange(f64),
    ZeroMaximum,
    AboveMaximum,
    FractionAboveOne(f64),
}

impl ScoreError {
    /// The message for `cell`, quoted cut to
    /// [`crate::diagnostic::QUOTE_WIDTH`] characters; `None` (`--redact`)
    /// quotes no cell text and says "the cell".
    pub fn message(self, cell: Option<&str>) -> String {
        let cell = cell.map_or("the cell".to_owned(), |c| {
            format!("`{}`", crate::diagnostic::clip(c))
        });
        match self {
            ScoreError::NotAScore => format!("{cell} is not a score"),
            ScoreError::OutOfRange(v) => {
                format!(
                    "score {cell} is {}%, outside 0 to 100",
                    crate::condition::format_number(v)
                )
            }
            ScoreError::ZeroMaximum => format!("score {cell} is out of a maximum of 0"),
            ScoreError::AboveMaximum => format!("score {cell} has more points than the maximum"),
            ScoreError::FractionAboveOne(_) => {
                format!("score {cell} is above 1, and these rules read skill scores as fractions")
            }
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            ScoreError::FractionAboveOne(_) => {
                "write it as a fraction (0.85), as a percent (85%), or set `skills: {scale: percent}` in the rules"
            }
            _ => {
                "write a percent (85 or 85%), points over a maximum (7/10), or leave the cell empty when the skill was not assessed"
            }
        }
    }
}

/// A number in a cell; with `decimal_comma` (files separated by `;`, as
/// European spreadsheets write them), `85,5` is 85.5.
#[inline]
pub fn cell_number(cell: &[u8], decimal_comma: bool) -> Option<f64> {
    if !decimal_comma || !cell.contains(&b',') {
        return parse_number(cell);
    }
    let mut buf = [0u8; 64];
    let text = buf.get_mut(..cell.len())?;
    for (to, &from) in text.iter_mut().zip(cell) {
        *to = if from == b',' { b'.' } else { from };
    }
    parse_number(text)
}

/// Parse one score cell to a percent in 0..=100; `Ok(None)` when empty.
#[inline]
pub fn parse_score(
    cell: &[u8],
    scale: Scale,
    decimal_comma: bool,
) -> Result<Option<f64>, ScoreError> {
    if scale == Scale::Percent
        && let Some(n) = small_integer(cell)
        && n <= 100
    {
        return Ok(Some(f64::from(n)));
    }
    let parse_number = |bytes: &[u8]| cell_number(bytes, decimal_comma);
    let cell = cell.trim_ascii();
    if cell.is_empty() {
        return Ok(None);
    }
    let percent = if let Some(slash) = cell.iter().position(|&b| b == b'/') {
        let points = parse_number(&cell[..slash]).ok_or(ScoreError::NotAScore)?;
        let maximum = parse_number(&cell[slash + 1..]).ok_or(ScoreError::NotAScore)?;
        if maximum <= 0.0 {
            return Err(ScoreError::ZeroMaximum);
        }
        if points > maximum {
            return Err(ScoreError::AboveMaximum);
        }
        points / maximum * 100.0
    } else if let Some(number) = cell.strip_suffix(b"%") {
        parse_number(number).ok_or(ScoreError::NotAScore)?
    } else {
        let value = parse_number(cell).ok_or(ScoreError::NotAScore)?;
        match scale {
            Scale::Percent => value,
            Scale::Fraction if value > 1.0 => return Err(ScoreError::FractionAboveOne(value)),
            Scale::Fraction => value * 100.0,
        }
    };
    if !(0.0..=100.0).contains(&percent) {
        return Err(ScoreError::OutOfRange(percent));
    }
    // `-0` is a zero score, not a negative one.
    Ok(Some(percent + 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(s: &str) -> Result<Option<f64>, ScoreError> {
        parse_score(s.as_bytes(), Scale::Percent, false)
    }

    #[test]
    fn reads_every_documented_notation() {
        assert_eq!(pct("85"), Ok(Some(85.0)));
        assert_eq!(pct(" 85% "), Ok(Some(85.0)));
        assert_eq!(pct("7/10"), Ok(Some(70.0)));
        assert_eq!(pct("7 / 10"), Ok(Some(70.0)));
        assert_eq!(pct("0.85"), Ok(Some(0.85)));
        assert_eq!(parse_score(b"0.85", Scale::Fraction, false), Ok(Some(85.0)));
        assert_eq!(parse_score(b"85%", Scale::Fraction, false), Ok(Some(85.0)));
        assert_eq!(parse_score(b"85,5", Scale::Percent, true), Ok(Some(85.5)));
        assert_eq!(
            parse_score(b"7,5 / 10", Scale::Percent, true),
            Ok(Some(75.0))
        );
        assert_eq!(
            parse_score(b"85,5", Scale::Percent, false),
            Err(ScoreError::NotAScore)
        );
        assert_eq!(pct(""), Ok(None));
        assert_eq!(pct("   "), Ok(None));
    }

    #[test]
    fn whole_percents_read_as_any_other_percent() {
        for n in 0..=100 {
            let text = n.to_string();
            assert_eq!(pct(&text), pct(&format!(" {text}%")), "{text}");
            assert_eq!(pct(&text), Ok(Some(f64::from(n))), "{text}");
        }
        assert_eq!(pct("101"), Err(ScoreError::OutOfRange(101.0)));
        assert_eq!(pct("999"), Err(ScoreError::OutOfRange(999.0)));
        assert_eq!(parse_score(b"1", Scale::Fraction, false), Ok(Some(100.0)));
        assert_eq!(
            parse_score(b"2", Scale::Fraction, false),
            Err(ScoreError::FractionAboveOne(2.0))
        );
    }

    #[test]
    fn rejects_what_is_not_a_score() {
        assert_eq!(pct("abc"), Err(ScoreError::NotAScore));
        assert_eq!(pct("120%"), Err(ScoreError::OutOfRange(120.0)));
        assert_eq!(pct("-5"), Err(ScoreError::OutOfRange(-5.0)));
        assert_eq!(pct("11 / 10"), Err(ScoreError::AboveMaximum));
        assert_eq!(pct("3/0"), Err(ScoreError::ZeroMaximum));
        assert_eq!(pct("NaN"), Err(ScoreError::NotAScore));
        assert_eq!(pct("inf"), Err(ScoreError::NotAScore));
        assert_eq!(pct("1e309"), Err(ScoreError::NotAScore));
        assert_eq!(pct("-0"), Ok(Some(0.0)));
        assert_eq!(
            parse_score(b"85", Scale::Fraction, false),
            Err(ScoreError::FractionAboveOne(85.0))
        );
    }
}
