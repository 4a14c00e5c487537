//! Lookup tables: the rules' `tables:` (rows written inline, or a CSV file
//! beside the rules as the vendor or the state publishes it) checked and
//! compiled to the [`Lookup`]s conditions read, and the lints `check` shows
//! a reviewer: repeated and shadowed rows, key values outside `cover` (a
//! misspelt window), combinations with no row, cut points out of order, and
//! gaps and overlaps between score ranges, each with a witness.
//!
//! A table with one `value` is read by its name (`orf_cut`); a table with
//! named values is read one value at a time (`cuts.goal`, `cuts.risk_cut`),
//! each a [`TableDef`] of its own over the same rows. The lints are in
//! `lints`.

mod lints;

use lints::{ascending, covered, misspelt, out_of_order, ranges, shadowed};

use super::model::{Cell, TableSpec};
use super::yaml::{OrderedMap, Pos, Source, Sp, read_bounded};
use super::{Field, Param, ParamValue, TableDef};
use crate::condition::compile::format_number;
use crate::condition::lookup::{self, Key, Lookup, MAX_TABLE_KEYS, Matcher};
use crate::condition::number::parse_number;
use crate::diagnostic::{Code, Diagnostic, Location, did_you_mean, list};
use crate::error::Error;

/// Where problems go, and the rules file they are found in.
pub(super) struct Cx<'a> {
    pub source: &'a Source,
    pub problems: &'a mut Vec<Diagnostic>,
    /// The table files read, for the output not to overwrite them.
    pub files: &'a mut Vec<std::path::PathBuf>,
}

impl Cx<'_> {
    pub(super) fn at(&self, pos: Pos) -> Location {
        self.source.location(pos, 0, 0)
    }

    pub(super) fn error(
        &mut self,
        code: crate::diagnostic::Code,
        message: String,
        at: Location,
        help: Option<String>,
    ) {
        self.problems
            .push(Diagnostic::error(code, message).at(at).help_opt(help));
    }

    pub(super) fn warn(
        &mut self,
        code: crate::diagnostic::Code,
        message: String,
        at: Location,
        help: Option<String>,
    ) {
        self.problems
            .push(Diagnostic::warning(code, message).at(at).help_opt(help));
    }
}

/// One row as written: its cells by column name, and where each is.
struct RawRow {
    at: Location,
    cells: Vec<(String, Cell, Location)>,
}

/// Check and compile table `name`; one [`TableDef`] per value column, or
/// none when the table has errors (they are in `cx`).
pub(super) fn build(
    name: Sp<String>,
    mut spec: TableSpec,
    fields: &[Field],
    params: &[Param],
    cx: &mut Cx<'_>,
) -> Vec<TableDef> {
    let table = &name.value;
    let at = cx.at(name.pos);
    let Some(key_names) = spec.keys.take() else {
        cx.error(
            Code::MissingKey,
            format!("table `{table}` has no `keys`"),
            at,
            Some(
                "name the fields or parameters a row is matched on, e.g. `keys: [grade, season]`"
                    .into(),
            ),
        );
        return Vec::new();
    };
    if key_names.is_empty() || key_names.len() > MAX_TABLE_KEYS {
        cx.error(
            Code::BadTable,
            format!("table `{table}` needs between 1 and {MAX_TABLE_KEYS} keys"),
            at,
            Some("e.g. `keys: [grade, season]`".into()),
        );
        return Vec::new();
    }
    let Some(keys) = keys_of(table, &key_names, fields, params, cx) else {
        return Vec::new();
    };
    let Some(rows) = raw_rows(table, spec.rows.take(), spec.csv.take(), &at, cx) else {
        return Vec::new();
    };
    let key_list: Vec<&str> = key_names.iter().map(|k| k.value.as_str()).collect();
    // The value columns: the first row's cells that are not keys.
    let values: Vec<String> = rows.first().map_or_else(Vec::new, |row| {
        row.cells
            .iter()
            .map(|(c, _, _)| c.clone())
            .filter(|c| !key_list.contains(&c.as_str()))
            .collect()
    });
    let Some(first) = rows.first() else {
        cx.error(
            Code::BadTable,
            format!("table `{table}` has no rows"),
            at,
            None,
        );
        return Vec::new();
    };
    if values.is_empty() {
        cx.error(
            Code::BadTable,
            format!("a row of table `{table}` has no value"),
            first.at.clone(),
            Some("give each row a `value`, or named values such as `goal: 26`".into()),
        );
        return Vec::new();
    }
    let mut compiled: Vec<(Vec<Matcher>, Vec<Cell>)> = Vec::new();
    let mut ok = true;
    for row in &rows {
        match compile_row(table, row, &key_list, &values, cx) {
            Some(r) => compiled.push(r),
            None => ok = false,
        }
    }
    if !ok {
        return Vec::new();
    }
    let no_match = spec.no_match.as_ref().map(|n| n.value).unwrap_or_default();
    let rows_at: Vec<Location> = rows.iter().map(|r| r.at.clone()).collect();
    let mut defs = Vec::new();
    for (v, value_name) in values.iter().enumerate() {
        let Some((table_rows, text_values)) =
            value_rows(table, value_name, v, &compiled, &rows, cx)
        else {
            return Vec::new();
        };
        defs.push(TableDef {
            name: if values.len() == 1 && value_name == "value" {
                table.clone()
            } else {
                format!("{table}.{value_name}")
            },
            table_name: table.clone(),
            pos: name.pos,
            keys: key_names.iter().map(|k| (k.value.clone(), k.pos)).collect(),
            table: Lookup {
                keys: keys.clone(),
                rows: table_rows,
            },
            text_values,
            no_match,
            rows_at: rows_at.clone(),
        });
    }
    lint(table, &key_list, &values, &compiled, &rows_at, &spec, cx);
    defs
}

/// The rows as written, inline under `rows` or in the CSV file `csv`
/// names; `None` when there are none or both (the error is in `cx`).
fn raw_rows(
    table: &str,
    rows: Option<Vec<Sp<OrderedMap<Sp<Cell>>>>>,
    csv: Option<Sp<String>>,
    at: &Location,
    cx: &mut Cx<'_>,
) -> Option<Vec<RawRow>> {
    match (rows, csv) {
        (Some(rows), None) => Some(
            rows.into_iter()
                .map(|row| RawRow {
                    at: cx.at(row.pos),
                    cells: row
                        .value
                        .0
                        .into_iter()
                        .map(|(column, cell)| (column.value, cell.value, cx.at(cell.pos)))
                        .collect(),
                })
                .collect(),
        ),
        (None, Some(file)) => csv_rows(cx.source, &file, cx),
        (Some(_), Some(file)) => {
            cx.error(
                Code::BadTable,
                format!("table `{table}` has both `rows` and `csv`"),
                cx.at(file.pos),
                Some("give the rows in one place".into()),
            );
            None
        }
        (None, None) => {
            cx.error(
                Code::MissingKey,
                format!("table `{table}` has no `rows`"),
                at.clone(),
                Some(
                    "write its rows under `rows:`, or name a CSV file of them with `csv: FILE`"
                        .into(),
                ),
            );
            None
        }
    }
}

/// Value column `v` (`value_name`) of every row, with whether its values
/// are text; `None` when a value is a range or a list, or numbers and text
/// are mixed (the error is in `cx`).
fn value_rows(
    table: &str,
    value_name: &str,
    v: usize,
    compiled: &[(Vec<Matcher>, Vec<Cell>)],
    rows: &[RawRow],
    cx: &mut Cx<'_>,
) -> Option<(Vec<lookup::Row>, bool)> {
    let mut text_values = None;
    let mut table_rows = Vec::new();
    for ((matchers, cells), row) in compiled.iter().zip(rows) {
        let value = match &cells[v] {
            Cell::Number(n) => lookup::Value::Num(*n),
            Cell::Text(s) => lookup::Value::Text(s.as_str().into()),
            Cell::Range(_) | Cell::List(_) => {
                cx.error(
                    Code::BadTable,
                    format!("`{value_name}` in table `{table}` is a number or text, not a range or a list"),
                    row.at.clone(),
                    None,
                );
                return None;
            }
        };
        let is_text = matches!(value, lookup::Value::Text(_));
        if text_values.is_some_and(|t| t != is_text) {
            cx.error(
                Code::BadTable,
                format!("table `{table}` mixes numbers and text in `{value_name}`"),
                row.at.clone(),
                Some(format!(
                    "make every `{value_name}` a number, or every one text"
                )),
            );
            return None;
        }
        text_values = Some(is_text);
        table_rows.push(lookup::Row {
            matchers: matchers.clone(),
            value,
        });
    }
    Some((table_rows, text_values.unwrap_or(false)))
}

/// The lints `check` shows a reviewer, over a table that compiled.
fn lint(
    table: &str,
    key_list: &[&str],
    values: &[String],
    compiled: &[(Vec<Matcher>, Vec<Cell>)],
    rows_at: &[Location],
    spec: &TableSpec,
    cx: &mut Cx<'_>,
) {
    let matchers: Vec<&[Matcher]> = compiled.iter().map(|(m, _)| m.as_slice()).collect();
    shadowed(table, &matchers, rows_at, cx);
    ranges(table, key_list, &matchers, rows_at, cx);
    match &spec.cover {
        Some(cover) => covered(table, key_list, cover, &matchers, rows_at, cx),
        None => misspelt(table, key_list, &matchers, rows_at, cx),
    }
    let numbers: Vec<Vec<Option<f64>>> = compiled
        .iter()
        .map(|(_, cells)| {
            cells
                .iter()
                .map(|c| match c {
                    Cell::Number(n) => Some(*n),
                    _ => None,
                })
                .collect()
        })
        .collect();
    match &spec.ascending {
        Some(order) => ascending(
            table,
            values,
            &order.value,
            order.pos,
            &numbers,
            rows_at,
            cx,
        ),
        None => out_of_order(table, values, &numbers, rows_at, cx),
    }
}

/// The keys: each a field (read per student) or a parameter (fixed).
fn keys_of(
    table: &str,
    names: &[Sp<String>],
    fields: &[Field],
    params: &[Param],
    cx: &mut Cx<'_>,
) -> Option<Vec<Key>> {
    let mut keys = Vec::new();
    for key in names {
        let constant = params
            .iter()
            .find(|p| p.name == key.value)
            .map(|p| match &p.value {
                ParamValue::Number(n) => format_number(*n),
                ParamValue::Text(s) => s.clone(),
            });
        match constant {
            Some(value) => keys.push(Key::Const(value.into())),
            // The field's slot is set when the rules are compiled.
            None if fields.iter().any(|f| f.name == key.value) => keys.push(Key::Const("".into())),
            None => {
                let candidates = fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(params.iter().map(|p| p.name.as_str()));
                let help = did_you_mean(&key.value, candidates)
                    .or_else(|| Some("a key is a field from `columns` or a parameter".into()));
                let at = cx.at(key.pos);
                cx.error(
                    Code::UnknownTableKey,
                    format!(
                        "table `{table}` is keyed by `{}`, which is neither a column nor a parameter",
                        key.value
                    ),
                    at,
                    help,
                );
                return None;
            }
        }
    }
    Some(keys)
}

/// A row's matchers (one per key, in key order) and its value cells (one
/// per value column, in order).
fn compile_row(
    table: &str,
    row: &RawRow,
    keys: &[&str],
    values: &[String],
    cx: &mut Cx<'_>,
) -> Option<(Vec<Matcher>, Vec<Cell>)> {
    let mut matchers: Vec<Option<Matcher>> = vec![None; keys.len()];
    let mut cells: Vec<Option<Cell>> = vec![None; values.len()];
    for (column, cell, at) in &row.cells {
        if let Some(k) = keys.iter().position(|k| k == column) {
            matchers[k] = Some(matcher(table, cell, at, cx)?);
        } else if let Some(v) = values.iter().position(|v| v == column) {
            cells[v] = Some(cell.clone());
        } else {
            let known = keys
                .iter()
                .copied()
                .chain(values.iter().map(String::as_str));
            let help = did_you_mean(column, known).or_else(|| {
                Some(format!(
                    "the first row's columns are {}; every row has the same",
                    list(
                        &keys
                            .iter()
                            .chain(values.iter().map(String::as_str).collect::<Vec<_>>().iter())
                            .collect::<Vec<_>>()
                    )
                ))
            });
            cx.error(
                Code::UnknownTableKey,
                format!("`{column}` is neither a key nor a value of table `{table}`"),
                at.clone(),
                help,
            );
            return None;
        }
    }
    let mut out = Vec::new();
    for (k, m) in matchers.into_iter().enumerate() {
        let Some(m) = m else {
            let key = keys[k];
            cx.error(
                Code::BadTable,
                format!("a row of table `{table}` has no `{key}`"),
                row.at.clone(),
                Some(format!("write `{key}: any` to match every {key}")),
            );
            return None;
        };
        out.push(m);
    }
    let mut row_values = Vec::new();
    for (v, cell) in cells.into_iter().enumerate() {
        let Some(cell) = cell else {
            cx.error(
                Code::BadTable,
                format!("a row of table `{table}` has no `{}`", values[v]),
                row.at.clone(),
                Some("every row gives the same values as the first".into()),
            );
            return None;
        };
        row_values.push(cell);
    }
    Some((out, row_values))
}

fn matcher(table: &str, cell: &Cell, at: &Location, cx: &mut Cx<'_>) -> Option<Matcher> {
    Some(match cell {
        Cell::Number(n) => Matcher::Equal {
            text: format_number(*n).into(),
            number: Some(*n),
        },
        Cell::Text(s) if s.eq_ignore_ascii_case("any") || s == "*" => Matcher::Any,
        Cell::Text(s) => Matcher::Equal {
            number: parse_number(s.trim().as_bytes()),
            text: s.trim().into(),
        },
        Cell::List(spellings) => {
            let mut each = Vec::new();
            for spelling in spellings {
                if matches!(spelling, Cell::List(_) | Cell::Range(_)) {
                    cx.error(
                        Code::BadTable,
                        format!("a list in table `{table}` holds spellings of one value: numbers or words"),
                        at.clone(),
                        Some("e.g. `grade: [K, 0, KG, Kindergarten]`".into()),
                    );
                    return None;
                }
                each.push(matcher(table, spelling, at, cx)?);
            }
            Matcher::OneOf(each)
        }
        Cell::Range(r) => {
            if (r.at_least.is_some() && r.above.is_some())
                || (r.at_most.is_some() && r.below.is_some())
            {
                cx.error(
                    Code::BadRange,
                    format!("a range in table `{table}` has two lower or two upper bounds"),
                    at.clone(),
                    Some("use `at_least` or `above`, and `at_most` or `below`".into()),
                );
                return None;
            }
            let low = r
                .at_least
                .map(|v| (v, true))
                .or(r.above.map(|v| (v, false)));
            let high = r.at_most.map(|v| (v, true)).or(r.below.map(|v| (v, false)));
            if low.is_none() && high.is_none() {
                cx.error(
                    Code::BadRange,
                    format!("a range in table `{table}` has no bound"),
                    at.clone(),
                    Some("write e.g. `{at_least: 1, at_most: 9}` (both inclusive)".into()),
                );
                return None;
            }
            Matcher::Range { low, high }
        }
    })
}

/// The rows of a CSV file beside the rules: the header names the keys and
/// values; a cell is a number, a word, or `any`.
fn csv_rows(source: &Source, file: &Sp<String>, cx: &mut Cx<'_>) -> Option<Vec<RawRow>> {
    let path = source.beside(&file.value);
    let shown = path.display().to_string();
    cx.files.push(path.clone());
    // Bounded like the rules file itself, a pipe or device included.
    let bytes = match read_bounded(&path) {
        Ok(bytes) => bytes,
        Err(Error::Problems(found)) => {
            cx.problems.extend(found);
            return None;
        }
        Err(e) => {
            let reason = match &e {
                Error::Io { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            let at = cx.at(file.pos);
            cx.error(
                Code::TableFile,
                format!("cannot read the table file `{shown}`: {reason}"),
                at,
                Some("the path is relative to the rules file's folder".into()),
            );
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            cx.error(
                Code::TableFile,
                format!("`{shown}` is not a CSV file: {e}"),
                Location::file(&shown),
                None,
            );
            return None;
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                cx.error(
                    Code::TableFile,
                    format!("`{shown}` cannot be read as CSV: {e}"),
                    Location::line(&shown, line),
                    None,
                );
                return None;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            cx.error(
                Code::RaggedRow,
                format!(
                    "this row has {} fields, and the header has {}",
                    record.len(),
                    header.len()
                ),
                Location::line(&shown, line),
                Some("check for a missing or extra comma".into()),
            );
            return None;
        }
        let cells = record
            .iter()
            .zip(&header)
            .enumerate()
            .map(|(i, (text, column))| {
                let text = text.trim();
                let cell = match parse_number(text.as_bytes()) {
                    Some(n) => Cell::Number(n),
                    None => Cell::Text(text.to_owned()),
                };
                (
                    column.clone(),
                    cell,
                    Location::cell(&shown, line, i + 1, column),
                )
            })
            .collect();
        rows.push(RawRow {
            at: Location::line(&shown, line),
            cells,
        });
    }
    Some(rows)
}
