//! Progress-monitoring probes (one row per probe) → one row per student and
//! measure, with the quantities the progress rules read: `points`, `weeks`,
//! `baseline`, `goal`, `goal_date`, `goal_roi`, `slope`, `tukey_slope`,
//! `latest`, `median_last3`, `run_above`, `run_below`, `slope_percentile`,
//! `first_probe`, `last_probe`, and for display `recent` and `aimline`.
//!
//! A student's goal comes from the `goal` and `goal_date` columns (the last
//! non-empty value on their rows) or, failing those, the rules' parameters
//! `goal` and `goal_date`; a student with neither is an error naming them.

use std::collections::HashMap;

use super::super::profile::Probes;
use super::super::score::cell_number;
use super::super::table::{Table, TableRow};
use super::source::{Field, Header, Narrowing, SourceRow};
use crate::condition::format_number;
use crate::date::{format_day, parse_date};
use crate::diagnostic::{Diagnostic, Location, list};
use crate::error::{Error, Result};
use crate::progress::{Goal, Probe, Progress, RECENT, percentiles};
use crate::rules::{ParamValue, Rules};

/// The columns the pivot adds after the student's fields.
pub const COLUMNS: [&str; 17] = [
    "points",
    "weeks",
    "baseline",
    "goal",
    "goal_date",
    "goal_roi",
    "slope",
    "tukey_slope",
    "latest",
    "median_last3",
    "run_above",
    "run_below",
    "slope_percentile",
    "first_probe",
    "last_probe",
    "recent",
    "aimline",
];

/// Fields read from each probe row that are not shown as they are: the
/// pivot turns them into `goal`, `goal_date`, `first_probe` and `last_probe`.
pub const INPUTS: [&str; 3] = ["date", "goal", "goal_date"];

/// One student (and measure): their first row, probes and goal.
struct Student {
    first: usize,
    probes: Vec<Probe>,
    goal: Option<(String, u64)>,
    goal_date: Option<(String, u64)>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn pivot(
    spec: &Probes,
    rows: &[SourceRow],
    fields: &[Field],
    id: usize,
    header: &Header<'_>,
    rules: &Rules,
    narrowing: &Narrowing,
    file: &str,
    table: &mut Table,
) -> Result<Vec<usize>> {
    let score_col = header.first(&spec.score).ok_or_else(|| {
        Error::problem(
            Diagnostic::error(
                "missing-column",
                format!(
                    "`{file}` has no probe score column (looked for {})",
                    list(&spec.score)
                ),
            )
            .at(Location::line(file, 1)),
        )
    })?;
    let field = |name: &str| fields.iter().find(|f| f.name == name);
    let (date, measure) = (field("date"), field("measure"));
    let (goal, goal_date) = (field("goal"), field("goal_date"));
    let Some(date) = date else {
        return Err(Error::problem(
            Diagnostic::error(
                "missing-column",
                format!("`{file}` has no date column for its probes"),
            )
            .at(Location::line(file, 1))
            .help("add a `date` column (2026-09-14 or 9/14/2026)"),
        ));
    };
    let cell_at = |f: &Field, row: &SourceRow| {
        let column = f.column().unwrap_or(0);
        Location::cell(file, row.line, column + 1, &header.names[column])
    };
    let mut order: Vec<(String, String)> = Vec::new();
    let mut students: HashMap<(String, String), Student> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let key = (
            fields[id].read(row),
            measure.map(|m| m.read(row)).unwrap_or_default(),
        );
        let text = row.cells[score_col].trim();
        let student = students.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Student {
                first: i,
                probes: Vec::new(),
                goal: None,
                goal_date: None,
            }
        });
        for (target, source) in [
            (&mut student.goal, goal),
            (&mut student.goal_date, goal_date),
        ] {
            if let Some(f) = source {
                let value = f.read(row);
                if !value.is_empty() {
                    *target = Some((value, row.line));
                }
            }
        }
        if text.is_empty() {
            continue;
        }
        let Some(score) = cell_number(text.as_bytes(), table.decimal_comma) else {
            let d = Diagnostic::error(
                "bad-score",
                format!("`{}` is not a probe score", crate::diagnostic::clip(text)),
            )
            .at(Location::cell(
                file,
                row.line,
                score_col + 1,
                &header.names[score_col],
            ))
            .help("a probe's score is a number (words correct per minute, digits correct...)");
            narrowing.problem(d, table)?;
            continue;
        };
        let when = date.read(row);
        let Some(day) = parse_date(&when) else {
            let d = Diagnostic::error(
                "bad-date",
                format!("`{}` is not a date", crate::diagnostic::clip(&when)),
            )
            .at(cell_at(date, row))
            .help("write dates as 2026-09-14 or 9/14/2026 (month first)");
            narrowing.problem(d, table)?;
            continue;
        };
        student.probes.push(Probe { day, score });
    }
    let param = |name: &str| {
        rules
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
    };
    let mut results = Vec::with_capacity(order.len());
    for key in &order {
        let s = &students[key];
        let goal_score = match &s.goal {
            Some((text, line)) => Some(
                cell_number(text.as_bytes(), table.decimal_comma).ok_or_else(|| {
                    let f = goal.unwrap_or(&fields[id]);
                    let column = f.column().unwrap_or(0);
                    Error::problem(
                        Diagnostic::error("bad-goal", format!("goal `{text}` is not a number")).at(
                            Location::cell(file, *line, column + 1, &header.names[column]),
                        ),
                    )
                })?,
            ),
            None => match param("default_goal") {
                Some(ParamValue::Number(n)) => Some(*n),
                _ => None,
            },
        };
        let goal_day = match &s.goal_date {
            Some((text, line)) => Some(parse_date(text).ok_or_else(|| {
                let f = goal_date.unwrap_or(&fields[id]);
                let column = f.column().unwrap_or(0);
                Error::problem(
                    Diagnostic::error("bad-date", format!("goal date `{text}` is not a date"))
                        .at(Location::cell(
                            file,
                            *line,
                            column + 1,
                            &header.names[column],
                        ))
                        .help("write dates as 2026-09-14 or 9/14/2026 (month first)"),
                )
            })?),
            None => match param("default_goal_date") {
                Some(ParamValue::Text(t)) => parse_date(t),
                _ => None,
            },
        };
        let goal = match (goal_score, goal_day) {
            (Some(score), Some(day)) => Some(Goal { score, day }),
            _ if s.probes.is_empty() => None,
            _ => {
                return Err(Error::problem(
                    Diagnostic::error(
                        "missing-goal",
                        format!("student `{}` has no goal{}", key.0, if goal_score.is_some() { " date" } else { "" }),
                    )
                    .at(Location::line(file, rows[s.first].line))
                    .help("give each student `goal` and `goal_date` columns, or set the parameters `default_goal` and `default_goal_date` in the rules"),
                ));
            }
        };
        results.push((Progress::of(&s.probes, goal), goal));
    }
    // The slope's percentile among the students of the same measure.
    let mut slope_percentile = vec![None; order.len()];
    let mut measures: Vec<&str> = order.iter().map(|k| k.1.as_str()).collect();
    measures.dedup();
    measures.sort_unstable();
    measures.dedup();
    for m in measures {
        let members: Vec<usize> = (0..order.len()).filter(|&i| order[i].1 == m).collect();
        let slopes: Vec<Option<f64>> = members
            .iter()
            .map(|&i| results[i].0.as_ref().and_then(|p| p.slope))
            .collect();
        for (&i, p) in members.iter().zip(percentiles(&slopes)) {
            slope_percentile[i] = p;
        }
    }
    let first_new = table.header.len();
    for name in COLUMNS {
        table.column(name, None);
    }
    table.fields = table.header.len();
    for (i, key) in order.iter().enumerate() {
        let s = &students[key];
        let mut cells: Vec<String> = fields
            .iter()
            .filter(|f| !INPUTS.contains(&f.name.as_str()))
            .map(|f| f.read(&rows[s.first]))
            .collect();
        cells.resize(first_new, String::new());
        let (progress, goal) = &results[i];
        let number = |v: Option<f64>| v.map(format_number).unwrap_or_default();
        if let Some(p) = progress {
            let start = s.probes.len().saturating_sub(RECENT);
            let mut sorted = s.probes.clone();
            sorted.sort_by_key(|p| p.day);
            let recent: Vec<String> = sorted[start..]
                .iter()
                .map(|p| format_number(p.score))
                .collect();
            let aimline: Vec<String> = p.aimline_recent.iter().map(|&v| format_number(v)).collect();
            cells.extend([
                p.points.to_string(),
                format_number(p.weeks),
                format_number(p.baseline),
                number(goal.map(|g| g.score)),
                goal.map(|g| format_day(g.day)).unwrap_or_default(),
                number(p.goal_roi),
                number(p.slope),
                number(p.tukey_slope),
                format_number(p.latest),
                format_number(p.median_last3),
                p.run_above.map(|r| r.to_string()).unwrap_or_default(),
                p.run_below.map(|r| r.to_string()).unwrap_or_default(),
                number(slope_percentile[i]),
                format_day(p.first),
                format_day(p.last),
                recent.join(" "),
                aimline.join(" "),
            ]);
        } else {
            cells.resize(first_new + COLUMNS.len(), String::new());
        }
        table.rows.push(TableRow {
            cells,
            line: rows[s.first].line,
        });
    }
    Ok(vec![score_col])
}
