//! Numbers in cells: a cell's text trimmed of spaces, and parsed as a plain
//! number (`85`, `-3.5`), fast for the common short forms and exactly as
//! the standard parser for the rest.

/// ASCII whitespace trimmed from both ends.
/// A cell without the spaces around it, no-break spaces (U+00A0, which
/// spreadsheets paste) included.
pub(crate) fn trim(mut bytes: &[u8]) -> &[u8] {
    const NBSP: &[u8] = "\u{a0}".as_bytes();
    loop {
        let before = bytes.len();
        bytes = bytes.trim_ascii();
        bytes = bytes.strip_prefix(NBSP).unwrap_or(bytes);
        bytes = bytes.strip_suffix(NBSP).unwrap_or(bytes);
        if bytes.len() == before {
            return bytes;
        }
    }
}

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The most common cell of all, fast: one to three digits (`7`, `85`, `100`).
#[inline]
pub(crate) fn small_integer(bytes: &[u8]) -> Option<u16> {
    let digit = |b: u8| b.is_ascii_digit().then(|| u16::from(b - b'0'));
    match *bytes {
        [a] => digit(a),
        [a, b] => Some(digit(a)? * 10 + digit(b)?),
        [a, b, c] => Some(digit(a)? * 100 + digit(b)? * 10 + digit(c)?),
        _ => None,
    }
}

/// The common case, fast: an optional sign, then at most 15 digits with at
/// most one decimal point. Both the digits and the power of ten are exact in
/// an `f64`, so one division rounds exactly as the standard parser does.
#[inline]
fn short_decimal(bytes: &[u8]) -> Option<f64> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mut value, mut count, mut decimals, mut point) = (0u64, 0usize, 0usize, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(c - b'0');
                count += 1;
                decimals += usize::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
        if count > 15 {
            return None;
        }
    }
    if count == 0 {
        return None;
    }
    let v = value as f64 / POW10[decimals];
    Some(if negative { -v } else { v })
}

/// A plain number (`12`, `-3.5`) from a cell's bytes, or `None`.
#[inline]
pub(crate) fn parse_number(bytes: &[u8]) -> Option<f64> {
    if let Some(n) = small_integer(bytes) {
        return Some(f64::from(n));
    }
    let bytes = trim(bytes);
    if let Some(v) = short_decimal(bytes) {
        return Some(v);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let first = *text.as_bytes().first()?;
    // Rust also accepts `inf`, `NaN` and `infinity`: not numbers in a gradebook.
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn numbers_parse_as_the_standard_parser_does() {
        for text in [
            "0",
            "85",
            "-3",
            "+7",
            "0.85",
            "12.5",
            ".5",
            "1.",
            "99.999",
            "123456789012345",
            "0.1",
            "0.3",
            "1234567.1234567",
            "-0",
            "  42 ",
        ] {
            let expected = text.trim().parse::<f64>().ok();
            assert_eq!(parse_number(text.as_bytes()), expected, "{text}");
        }
        for n in 0..1000 {
            for text in [format!("{n}"), format!("{n:02}"), format!("{n:03}")] {
                assert_eq!(
                    parse_number(text.as_bytes()),
                    text.parse::<f64>().ok(),
                    "{text}"
                );
            }
        }
        for text in ["", ".", "-", "1.2.3", "NaN", "inf", "1e309", "abc", "12a"] {
            assert_eq!(parse_number(text.as_bytes()), None, "{text}");
        }
        // Longer than 15 digits: the standard parser's answer.
        assert_eq!(
            parse_number(b"1234567890123456789"),
            Some(1234567890123456789.0)
        );
    }
}
