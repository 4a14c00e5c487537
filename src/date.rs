//! Dates as exports write them, to a day number for ordering and spans.
//!
//! Accepted: ISO `2026-09-14`, with a time after it (`2023-08-21T17:28:05.852Z`,
//! `2026-09-08 14:03:21`); US month-first `9/14/2026` and `09/14/2026`,
//! with a time after it (`8/4/2025 23:25:41`); and `2026/09/14` (year
//! first). Never day-first: the US vendors tierplan reads are all
//! month-first, and guessing between the two would silently swap dates.
//!
//! The readers (`ingest`) parse the dates in cells with it, and `progress`
//! counts days between probes; it depends on neither.

/// A calendar date as days since 1970-01-01.
pub type Day = i64;

/// Parse a date at the start of `text`; `None` when it is not one.
pub fn parse_date(text: &str) -> Option<Day> {
    let text = text.trim();
    let date = text.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 && date.contains('/') {
        (number(c)?, number(a)?, number(b)?)
    } else {
        return None;
    };
    days_from_civil(year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`), or `None` for a date that does not exist.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> Option<Day> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days_in_month).contains(&day) || !(1..=9999).contains(&year) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date of a day number.
pub fn format_day(day: Day) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_exports_use() {
        let day = parse_date("2026-09-14").unwrap();
        assert_eq!(parse_date("9/14/2026"), Some(day));
        assert_eq!(parse_date("09/14/2026"), Some(day));
        assert_eq!(parse_date("2026/09/14"), Some(day));
        assert_eq!(parse_date("2026-09-14T17:28:05.852Z"), Some(day));
        assert_eq!(parse_date("9/14/2026 23:25:41"), Some(day));
        assert_eq!(format_day(day), "2026-09-14");
        assert_eq!(parse_date("1970-01-01"), Some(0));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "",
            "BOY",
            "14.09.2026",
            "2026-02-30",
            "13/01/2026",
            "Fall 2021-2022",
            "01012018",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn round_trips_every_day_of_a_leap_cycle() {
        for day in -800..=146_097 {
            let text = format_day(day);
            assert_eq!(parse_date(&text), Some(day), "{text}");
        }
    }
}
