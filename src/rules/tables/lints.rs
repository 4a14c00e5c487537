//! What `check` shows a reviewer about a lookup table, found when the
//! rules are read: rows an earlier row wholly matches (repeated or
//! shadowed), key values outside `cover` and combinations with no row, a
//! value written once beside a common near-spelling, cut points out of
//! order along a row, and gaps and overlaps between score ranges, each
//! with a witness. Only `tables` calls these.

use super::Cx;
use crate::condition::compile::format_number;
use crate::condition::lookup::Matcher;
use crate::condition::number::parse_number;
use crate::diagnostic::{Code, Location, did_you_mean, list};
use crate::rules::model::Cell;
use crate::rules::yaml::{OrderedMap, Pos, Sp};

/// Whether every key value `b` matches, `a` matches too.
fn covers(a: &Matcher, b: &Matcher) -> bool {
    match (a, b) {
        (Matcher::Any, _) => true,
        (_, Matcher::Any) => false,
        (_, Matcher::OneOf(each)) => each.iter().all(|m| covers(a, m)),
        (Matcher::OneOf(each), _) => each.iter().any(|m| covers(m, b)),
        (Matcher::Equal { text, number }, Matcher::Equal { text: t, number: n }) => {
            match (number, n) {
                (Some(x), Some(y)) => x == y,
                _ => text.eq_ignore_ascii_case(t),
            }
        }
        (Matcher::Range { .. }, Matcher::Equal { text, .. }) => a.matches(text.as_bytes()),
        (Matcher::Range { low, high }, Matcher::Range { low: l, high: h }) => {
            let low_ok = match (low, l) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((x, xi)), Some((y, yi))) => x < y || (x == y && (*xi || !*yi)),
            };
            let high_ok = match (high, h) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((x, xi)), Some((y, yi))) => x > y || (x == y && (*xi || !*yi)),
            };
            low_ok && high_ok
        }
        (Matcher::Equal { .. }, Matcher::Range { .. }) => false,
    }
}

/// A row that an earlier row matches wholly is never used.
pub(super) fn shadowed(table: &str, rows: &[&[Matcher]], at: &[Location], cx: &mut Cx<'_>) {
    for (j, later) in rows.iter().enumerate() {
        let Some(i) = (0..j).find(|&i| rows[i].iter().zip(later.iter()).all(|(a, b)| covers(a, b)))
        else {
            continue;
        };
        let repeats = rows[i].iter().zip(later.iter()).all(|(a, b)| covers(b, a));
        let earlier = line_of(&at[i]);
        let message = if repeats {
            format!(
                "row {} of table `{table}` repeats row {} ({earlier}): it is never used",
                j + 1,
                i + 1
            )
        } else {
            format!(
                "row {} of table `{table}` is never used: row {} ({earlier}) matches every student it would",
                j + 1,
                i + 1
            )
        };
        cx.warn(
            Code::ShadowedRow,
            message,
            at[j].clone(),
            Some("rows are tried in order and the first match wins: remove the row, or move it above the broader one".into()),
        );
    }
}

fn line_of(at: &Location) -> String {
    match at.line {
        Some(line) => format!("line {line}"),
        None => at.file.clone(),
    }
}

/// Key values outside `cover` (a misspelt window), and combinations of
/// covered values no row matches (a grade with no row), with a witness.
pub(super) fn covered(
    table: &str,
    keys: &[&str],
    cover: &Sp<OrderedMap<Vec<Cell>>>,
    rows: &[&[Matcher]],
    at: &[Location],
    cx: &mut Cx<'_>,
) {
    let mut domains: Vec<Option<Vec<String>>> = vec![None; keys.len()];
    for (key, values) in &cover.value.0 {
        let Some(k) = keys.iter().position(|k| *k == key.value) else {
            let here = cx.at(key.pos);
            cx.error(
                Code::UnknownTableKey,
                format!(
                    "`cover` names `{}`, which is not a key of table `{table}`",
                    key.value
                ),
                here,
                did_you_mean(&key.value, keys.iter().copied()),
            );
            return;
        };
        domains[k] = Some(
            values
                .iter()
                .filter_map(|c| match c {
                    Cell::Number(n) => Some(format_number(*n)),
                    Cell::Text(s) => Some(s.trim().to_owned()),
                    _ => None,
                })
                .collect(),
        );
    }
    // Every exact value in a covered key's cells must be covered.
    for (row, at) in rows.iter().zip(at) {
        for (k, m) in row.iter().enumerate() {
            let Some(domain) = &domains[k] else { continue };
            // A list is one value in several spellings: one covered is enough.
            if matches!(m, Matcher::OneOf(_)) && domain.iter().any(|d| m.matches(d.as_bytes())) {
                continue;
            }
            for text in exact_values(m) {
                if !domain.iter().any(|d| {
                    Matcher::Equal {
                        text: d.as_str().into(),
                        number: parse_number(d.as_bytes()),
                    }
                    .matches(text.as_bytes())
                }) {
                    let hint = did_you_mean(&text, domain.iter().map(String::as_str));
                    let hint = hint.map_or(String::new(), |h| format!("; {h}"));
                    cx.error(
                        Code::UncoveredValue,
                        format!(
                            "`{text}` is not one of the values of `{}` the table covers ({}){hint}",
                            keys[k],
                            list(domain)
                        ),
                        at.clone(),
                        Some("correct the cell, or add the value to `cover`".into()),
                    );
                }
            }
        }
    }
    // Each combination of covered values (keys without `cover` take any).
    let mut combos: Vec<Vec<Option<&str>>> = vec![Vec::new()];
    for domain in &domains {
        let choices: Vec<Option<&str>> = match domain {
            Some(values) => values.iter().map(|v| Some(v.as_str())).collect(),
            None => vec![None],
        };
        combos = combos
            .into_iter()
            .flat_map(|c| {
                choices.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(*v);
                    c
                })
            })
            .collect();
        if combos.len() > 100_000 {
            return;
        }
    }
    let mut gaps = Vec::new();
    for combo in &combos {
        let found = rows.iter().any(|row| {
            row.iter()
                .zip(combo)
                .all(|(m, v)| v.is_none_or(|v| m.matches(v.as_bytes())))
        });
        if !found {
            let named: Vec<String> = keys
                .iter()
                .zip(combo)
                .filter_map(|(k, v)| v.map(|v| format!("{k} `{v}`")))
                .collect();
            gaps.push(named.join(", "));
        }
    }
    if !gaps.is_empty() {
        let shown: Vec<&str> = gaps.iter().take(5).map(String::as_str).collect();
        let more = if gaps.len() > 5 {
            format!(" and {} more", gaps.len() - 5)
        } else {
            String::new()
        };
        let here = cx.at(cover.pos);
        cx.warn(
            Code::TableGap,
            format!("table `{table}` has no row for {}{more}", shown.join("; ")),
            here,
            Some("a student with these values matches no row; add the rows".into()),
        );
    }
}

/// The exact values a key cell names (its spellings), for `cover`.
fn exact_values(m: &Matcher) -> Vec<String> {
    match m {
        Matcher::Equal { text, .. } => vec![text.to_string()],
        Matcher::OneOf(each) => each.iter().flat_map(exact_values).collect(),
        Matcher::Any | Matcher::Range { .. } => Vec::new(),
    }
}

/// Without `cover`: a key value written once, close to a value the other
/// rows use several times (`BYO` among `BOY`s), is likely misspelt.
pub(super) fn misspelt(
    table: &str,
    keys: &[&str],
    rows: &[&[Matcher]],
    at: &[Location],
    cx: &mut Cx<'_>,
) {
    for (k, key) in keys.iter().enumerate() {
        let mut seen: Vec<(String, usize, usize)> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for text in exact_values(&row[k]) {
                match seen
                    .iter_mut()
                    .find(|(t, _, _)| t.eq_ignore_ascii_case(&text))
                {
                    Some(entry) => entry.1 += 1,
                    None => seen.push((text, 1, r)),
                }
            }
        }
        // Only in a table whose values of this key mostly repeat (a grade x
        // window table lists each window once per grade).
        let repeated = seen.iter().filter(|(_, n, _)| *n > 1).count();
        if repeated * 2 < seen.len() {
            continue;
        }
        for (text, count, row) in &seen {
            if *count > 1 || parse_number(text.as_bytes()).is_some() {
                continue;
            }
            let common = seen
                .iter()
                .filter(|(t, n, _)| *n > 1 && t != text)
                .map(|(t, _, _)| t.as_str());
            if let Some(hint) = did_you_mean(text, common) {
                cx.warn(
                    Code::MisspeltKey,
                    format!("`{text}` appears once as `{key}` in table `{table}`; {hint}"),
                    at[*row].clone(),
                    Some(format!("a student whose {key} is written otherwise matches no row; list the values with `cover:` to make this an error")),
                );
            }
        }
    }
}

/// With `ascending: [a, b]`: in every row a <= b.
pub(super) fn ascending(
    table: &str,
    values: &[String],
    order: &[String],
    pos: Pos,
    numbers: &[Vec<Option<f64>>],
    at: &[Location],
    cx: &mut Cx<'_>,
) {
    let mut columns = Vec::new();
    for name in order {
        match values.iter().position(|v| v == name) {
            Some(v) => columns.push(v),
            None => {
                let here = cx.at(pos);
                cx.error(
                    Code::UnknownTableKey,
                    format!("`ascending` names `{name}`, which is not a value of table `{table}`"),
                    here,
                    did_you_mean(name, values.iter().map(String::as_str)),
                );
                return;
            }
        }
    }
    for (row, at) in numbers.iter().zip(at) {
        for pair in columns.windows(2) {
            if let (Some(a), Some(b)) = (row[pair[0]], row[pair[1]])
                && a > b
            {
                cx.error(
                    Code::CutsOutOfOrder,
                    format!(
                        "in this row of table `{table}`, `{}` {} is above `{}` {}",
                        values[pair[0]],
                        format_number(a),
                        values[pair[1]],
                        format_number(b)
                    ),
                    at.clone(),
                    Some(format!(
                        "`ascending` says each of {} is at most the next",
                        list(order)
                    )),
                );
            }
        }
    }
}

/// Without `ascending`: two numeric values in the same order in every row
/// but one (a `risk_cut` above its `goal`) are likely a typo.
pub(super) fn out_of_order(
    table: &str,
    values: &[String],
    numbers: &[Vec<Option<f64>>],
    at: &[Location],
    cx: &mut Cx<'_>,
) {
    if numbers.len() < 3 {
        return;
    }
    for a in 0..values.len() {
        for b in 0..values.len() {
            if a == b {
                continue;
            }
            let pairs: Vec<(usize, f64, f64)> = numbers
                .iter()
                .enumerate()
                .filter_map(|(r, row)| Some((r, row[a]?, row[b]?)))
                .collect();
            let above: Vec<&(usize, f64, f64)> = pairs.iter().filter(|(_, x, y)| x > y).collect();
            let below = pairs.iter().filter(|(_, x, y)| x < y).count();
            if let [(r, x, y)] = above.as_slice()
                && below >= 2
                && below + 1 == pairs.len()
            {
                cx.warn(
                    Code::CutsOutOfOrder,
                    format!(
                        "in this row of table `{table}`, `{}` {} is above `{}` {}, and in every other row it is below",
                        values[a],
                        format_number(*x),
                        values[b],
                        format_number(*y)
                    ),
                    at[*r].clone(),
                    Some(format!(
                        "check the row against the published table; `ascending: [{}, {}]` makes this an error",
                        values[a], values[b]
                    )),
                );
            }
        }
    }
}

/// A range's bound: the value and whether it is inclusive.
type Bound = Option<(f64, bool)>;

/// A key whose every cell is a score range: between rows that agree on the
/// other keys, a score no range holds (a gap) or two ranges hold (an
/// overlap), with the score as witness. Scores are taken to be whole
/// numbers when every bound is one.
pub(super) fn ranges(
    table: &str,
    keys: &[&str],
    rows: &[&[Matcher]],
    at: &[Location],
    cx: &mut Cx<'_>,
) {
    for (k, key) in keys.iter().enumerate() {
        if !rows.iter().all(|r| matches!(r[k], Matcher::Range { .. })) {
            continue;
        }
        // Rows grouped by their other keys' cells, compared as written.
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let others: String = row
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, m)| {
                    exact_values(m).join("|") + if matches!(m, Matcher::Any) { "*" } else { "" }
                })
                .collect::<Vec<_>>()
                .join(",");
            match groups.iter_mut().find(|(g, _)| *g == others) {
                Some((_, members)) => members.push(r),
                None => groups.push((others, vec![r])),
            }
        }
        for (_, members) in groups {
            let mut spans: Vec<(usize, Bound, Bound)> = members
                .iter()
                .filter_map(|&r| match &rows[r][k] {
                    Matcher::Range { low, high } => Some((r, *low, *high)),
                    _ => None,
                })
                .collect();
            spans.sort_by(|a, b| {
                let x = a.1.map_or(f64::NEG_INFINITY, |l| l.0);
                let y = b.1.map_or(f64::NEG_INFINITY, |l| l.0);
                x.total_cmp(&y)
            });
            let whole = spans.iter().all(|(_, l, h)| {
                l.is_none_or(|l| l.0.fract() == 0.0) && h.is_none_or(|h| h.0.fract() == 0.0)
            });
            for pair in spans.windows(2) {
                let (r1, _, high) = pair[0];
                let (r2, low, _) = pair[1];
                let (Some((hi, hi_in)), Some((lo, lo_in))) = (high, low) else {
                    continue;
                };
                // The largest score the first range holds, the smallest the next.
                let (last, first) = if whole {
                    (
                        if hi_in { hi } else { hi - 1.0 },
                        if lo_in { lo } else { lo + 1.0 },
                    )
                } else {
                    (hi, lo)
                };
                let gap = if whole {
                    first > last + 1.0
                } else {
                    lo > hi || (lo == hi && !hi_in && !lo_in)
                };
                let overlap = if whole {
                    first <= last
                } else {
                    lo < hi || (lo == hi && hi_in && lo_in)
                };
                if gap {
                    let witness = if whole { last + 1.0 } else { (hi + lo) / 2.0 };
                    cx.warn(
                        Code::TableGap,
                        format!(
                            "no row of table `{table}` holds `{key}` {} (between row {} and row {})",
                            format_number(witness),
                            r1 + 1,
                            r2 + 1
                        ),
                        at[r2].clone(),
                        Some("a student with that score matches no row; close the gap".into()),
                    );
                } else if overlap {
                    cx.warn(
                        Code::TableOverlap,
                        format!(
                            "rows {} and {} of table `{table}` both hold `{key}` {}: the first wins",
                            r1 + 1,
                            r2 + 1,
                            format_number(if whole { first } else { lo })
                        ),
                        at[r2].clone(),
                        Some("make each range start where the one before ends (`below` and `at_least` meet without overlap)".into()),
                    );
                }
            }
        }
    }
}
