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
use super::super::table::StudentTable;
use super::source::{Field, Narrowing, Rows, SourceRow};
use crate::condition::format_number;
use crate::date::{format_day, parse_date};
use crate::diagnostic::{Code, Diagnostic, Location, list};
use crate::error::{Error, Result};
use crate::progress::{Goal, Probe, Progress, RECENT, percentiles};
use crate::rules::{ParamValue, Rules};

/// The row type of the pivot's quantities, its column list and which of
/// them the plan's CSV shows by default, from one list: a column's name is
/// its field's name, so the order of the cells cannot drift from the header.
macro_rules! progress_columns {
    ($($(#[$doc:meta])* $name:ident: $in_csv:literal,)*) => {
        /// The quantities the pivot adds after a student's fields, written
        /// as cells (empty when not known).
        #[derive(Debug, Default)]
        pub(crate) struct ProgressRow {
            $($(#[$doc])* pub $name: String,)*
        }

        impl ProgressRow {
            /// The columns, in the order they follow the student's fields.
            pub(crate) const COLUMNS: &[&str] = &[$(stringify!($name)),*];
            /// For each column, whether the plan's CSV shows it without
            /// `--columns` (when the rules read it).
            const IN_CSV: &[bool] = &[$($in_csv),*];

            /// The cells, in the order of [`ProgressRow::COLUMNS`].
            pub(crate) fn into_cells(self) -> Vec<String> {
                vec![$(self.$name),*]
            }
        }
    };
}

progress_columns! {
    points: true,
    weeks: true,
    baseline: true,
    goal: true,
    goal_date: true,
    goal_roi: true,
    slope: true,
    tukey_slope: false,
    latest: true,
    median_last3: false,
    run_above: false,
    run_below: false,
    slope_percentile: false,
    first_probe: false,
    last_probe: false,
    /// The most recent probes' scores, space-separated.
    recent: false,
    /// The aimline at the most recent probes, space-separated.
    aimline: false,
    /// Every probe, oldest first: `2026-09-08:40 2026-09-15:42`, for the
    /// report's graph.
    probes: false,
    /// Where the intervention changed, from the probes' `phase` column:
    /// `2026-09-08 Phonics | 2026-10-13 Phonics, intensified` (each phase
    /// from its first probe; a `|` in a phase's name is written `/`).
    phases: false,
}

/// The columns the pivot adds after the student's fields.
pub(crate) const COLUMNS: &[&str] = ProgressRow::COLUMNS;

/// The columns the plan's CSV shows by default for progress rules, in
/// order (each when the rules read it).
pub(crate) fn shown_in_csv() -> impl Iterator<Item = &'static str> {
    COLUMNS
        .iter()
        .zip(ProgressRow::IN_CSV)
        .filter(|(_, shown)| **shown)
        .map(|(name, _)| *name)
}

/// Fields read from each probe row that are not shown as they are: the
/// pivot turns them into `goal`, `goal_date`, `first_probe`, `last_probe`
/// and `phases`.
pub(crate) const INPUTS: [&str; 4] = ["date", "goal", "goal_date", "phase"];

/// One student (and measure): their first row, probes and goal.
struct Student {
    first: usize,
    probes: Vec<Probe>,
    /// The `phase` cell of each probe, beside `probes`.
    phases: Vec<String>,
    goal: Option<(String, u64)>,
    goal_date: Option<(String, u64)>,
}

/// The fields of a probe row the pivot reads besides the student's id.
struct ProbeFields<'a> {
    score: usize,
    date: &'a Field,
    measure: Option<&'a Field>,
    goal: Option<&'a Field>,
    goal_date: Option<&'a Field>,
    phase: Option<&'a Field>,
}

/// Where a table of probes holds what the pivot reads, for `tierplan sql`:
/// the student's fields it carries (each with its one column, `None` when
/// the field joins columns or is recoded), and the probe's own columns.
pub(crate) struct ProbeColumns {
    /// The fields the pivot keeps, in its header's order (the id first).
    pub carried: Vec<(String, Option<usize>)>,
    pub score: usize,
    pub date: Option<usize>,
    pub measure: Option<usize>,
    pub goal: Option<usize>,
    pub goal_date: Option<usize>,
}

/// The columns of `header` a probes profile reads.
pub(crate) fn probe_columns(
    profile: &super::super::profile::Profile,
    spec: &Probes,
    header: &[String],
    file: &str,
) -> Result<ProbeColumns> {
    let names = super::source::Header::new(header);
    let fields = super::source::resolve_fields(profile, &names, file)?;
    let rows = Rows {
        rows: &[],
        fields: &fields,
        id: 0,
        header: &names,
        file,
    };
    let score = probe_fields(spec, &rows)?.score;
    let one = |f: &Field| f.column().filter(|_| f.recode.is_empty());
    let column = |name: &str| fields.iter().find(|f| f.name == name).and_then(one);
    let carried: Vec<(String, Option<usize>)> = fields
        .iter()
        .filter(|f| !INPUTS.contains(&f.name.as_str()))
        .map(|f| (f.name.clone(), one(f)))
        .collect();
    Ok(ProbeColumns {
        carried,
        score,
        date: column("date"),
        measure: column("measure"),
        goal: column("goal"),
        goal_date: column("goal_date"),
    })
}

/// The students in order of first appearance (by id and measure), each
/// with their probes and goal.
type Students = (Vec<(String, String)>, HashMap<(String, String), Student>);

/// Probes (one row each) → a row per student and measure with the
/// quantities of [`ProgressRow`]; returns the source columns read.
pub(super) fn pivot(
    spec: &Probes,
    source: &Rows<'_>,
    rules: &Rules,
    narrowing: &Narrowing,
    table: &mut StudentTable,
) -> Result<Vec<usize>> {
    let probe_fields = probe_fields(spec, source)?;
    let (order, students) = gather(source, &probe_fields, narrowing, table)?;
    let mut results = Vec::with_capacity(order.len());
    for key in &order {
        let s = &students[key];
        let goal = goal_of(s, &key.0, source, &probe_fields, rules, table.decimal_comma)?;
        results.push((Progress::of(&s.probes, goal), goal));
    }
    let slope_percentile = slope_percentiles(&order, &results);
    let first_new = table.header.len();
    for name in COLUMNS {
        table.column(name, None)?;
    }
    table.fields = table.header.len();
    for (i, key) in order.iter().enumerate() {
        let s = &students[key];
        let mut cells: Vec<String> = source
            .fields
            .iter()
            .filter(|f| !INPUTS.contains(&f.name.as_str()))
            .map(|f| f.read(&source.rows[s.first]))
            .collect();
        cells.resize(first_new, String::new());
        let (progress, goal) = &results[i];
        match progress {
            Some(p) => cells.extend(ProgressRow::of(s, p, *goal, slope_percentile[i]).into_cells()),
            None => cells.resize(first_new + COLUMNS.len(), String::new()),
        }
        table.push_row(cells, source.rows[s.first].line);
    }
    Ok(vec![probe_fields.score])
}

/// The probe score column and the fields a probe row is read by.
fn probe_fields<'a>(spec: &Probes, source: &Rows<'a>) -> Result<ProbeFields<'a>> {
    let file = source.file;
    let score = source.header.first(&spec.score).ok_or_else(|| {
        Error::problem(
            Diagnostic::error(
                Code::MissingColumn,
                format!(
                    "`{file}` has no probe score column (looked for {})",
                    list(&spec.score)
                ),
            )
            .at(Location::line(file, 1)),
        )
    })?;
    let field = |name: &str| source.fields.iter().find(|f| f.name == name);
    let Some(date) = field("date") else {
        return Err(Error::problem(
            Diagnostic::error(
                Code::MissingColumn,
                format!("`{file}` has no date column for its probes"),
            )
            .at(Location::line(file, 1))
            .help("add a `date` column (2026-09-14 or 9/14/2026)"),
        ));
    };
    Ok(ProbeFields {
        score,
        date,
        measure: field("measure"),
        goal: field("goal"),
        goal_date: field("goal_date"),
        phase: field("phase"),
    })
}

/// Each student's probes and goal cells, from the rows in file order.
fn gather(
    source: &Rows<'_>,
    f: &ProbeFields<'_>,
    narrowing: &Narrowing,
    table: &mut StudentTable,
) -> Result<Students> {
    let (file, header, score_col) = (source.file, source.header, f.score);
    let cell_at = |f: &Field, row: &SourceRow| {
        let column = f.column().unwrap_or(0);
        Location::cell(file, row.line, column + 1, &header.names[column])
    };
    let mut order: Vec<(String, String)> = Vec::new();
    let mut students: HashMap<(String, String), Student> = HashMap::new();
    for (i, row) in source.rows.iter().enumerate() {
        let key = (
            source.fields[source.id].read(row),
            f.measure.map(|m| m.read(row)).unwrap_or_default(),
        );
        let text = row.cell(score_col).trim();
        let student = students.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Student {
                first: i,
                probes: Vec::new(),
                phases: Vec::new(),
                goal: None,
                goal_date: None,
            }
        });
        for (target, field) in [
            (&mut student.goal, f.goal),
            (&mut student.goal_date, f.goal_date),
        ] {
            if let Some(field) = field {
                let value = field.read(row);
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
                Code::BadScore,
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
        let when = f.date.read(row);
        let Some(day) = parse_date(&when) else {
            let d = Diagnostic::error(
                Code::BadDate,
                format!("`{}` is not a date", crate::diagnostic::clip(&when)),
            )
            .at(cell_at(f.date, row))
            .help("write dates as 2026-09-14 or 9/14/2026 (month first)");
            narrowing.problem(d, table)?;
            continue;
        };
        student.probes.push(Probe { day, score });
        if let Some(phase) = f.phase {
            student.phases.push(phase.read(row));
        }
    }
    Ok((order, students))
}

/// A student's goal: from their `goal` and `goal_date` cells, else the
/// rules' `default_goal` and `default_goal_date`; an error when a student
/// with probes has neither.
fn goal_of(
    s: &Student,
    id: &str,
    source: &Rows<'_>,
    f: &ProbeFields<'_>,
    rules: &Rules,
    decimal_comma: bool,
) -> Result<Option<Goal>> {
    let (file, header, fields) = (source.file, source.header, source.fields);
    let param = |name: &str| {
        rules
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
    };
    let goal_score = match &s.goal {
        Some((text, line)) => {
            Some(cell_number(text.as_bytes(), decimal_comma).ok_or_else(|| {
                let f = f.goal.unwrap_or(&fields[source.id]);
                let column = f.column().unwrap_or(0);
                Error::problem(
                    Diagnostic::error(Code::BadGoal, format!("goal `{text}` is not a number")).at(
                        Location::cell(file, *line, column + 1, &header.names[column]),
                    ),
                )
            })?)
        }
        None => match param("default_goal") {
            Some(ParamValue::Number(n)) => Some(*n),
            _ => None,
        },
    };
    let goal_day = match &s.goal_date {
        Some((text, line)) => Some(parse_date(text).ok_or_else(|| {
            let f = f.goal_date.unwrap_or(&fields[source.id]);
            let column = f.column().unwrap_or(0);
            Error::problem(
                Diagnostic::error(Code::BadDate, format!("goal date `{text}` is not a date"))
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
    match (goal_score, goal_day) {
        (Some(score), Some(day)) => Ok(Some(Goal { score, day })),
        _ if s.probes.is_empty() => Ok(None),
        _ => Err(Error::problem(
            Diagnostic::error(
                Code::MissingGoal,
                format!("student `{id}` has no goal{}", if goal_score.is_some() { " date" } else { "" }),
            )
            .at(Location::line(file, source.rows[s.first].line))
            .help("give each student `goal` and `goal_date` columns, or set the parameters `default_goal` and `default_goal_date` in the rules"),
        )),
    }
}

/// Each student's slope as a percentile among the students of the same
/// measure.
fn slope_percentiles(
    order: &[(String, String)],
    results: &[(Option<Progress>, Option<Goal>)],
) -> Vec<Option<f64>> {
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
    slope_percentile
}

/// Where student `s`'s intervention changed: each phase named in the
/// probes' `phase` column, from its first probe (`order`: the probes
/// oldest first).
fn phases(s: &Student, order: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<&str> = None;
    for &i in order {
        let Some(phase) = s.phases.get(i).map(|p| p.trim()) else {
            continue;
        };
        if phase.is_empty() || current == Some(phase) {
            continue;
        }
        current = Some(phase);
        let name: String = phase
            .chars()
            .map(|c| if c == '|' || c.is_control() { '/' } else { c })
            .collect();
        out.push(format!("{} {name}", format_day(s.probes[i].day)));
    }
    out.join(" | ")
}

impl ProgressRow {
    /// The cells of student `s`'s progress `p`.
    fn of(s: &Student, p: &Progress, goal: Option<Goal>, slope_percentile: Option<f64>) -> Self {
        let number = |v: Option<f64>| v.map(format_number).unwrap_or_default();
        let start = s.probes.len().saturating_sub(RECENT);
        // Oldest first; probes on one date keep their file order.
        let mut order: Vec<usize> = (0..s.probes.len()).collect();
        order.sort_by_key(|&i| s.probes[i].day);
        let sorted: Vec<Probe> = order.iter().map(|&i| s.probes[i]).collect();
        let probes: Vec<String> = sorted
            .iter()
            .map(|p| format!("{}:{}", format_day(p.day), format_number(p.score)))
            .collect();
        let recent: Vec<String> = sorted[start..]
            .iter()
            .map(|p| format_number(p.score))
            .collect();
        let aimline: Vec<String> = p.aimline_recent.iter().map(|&v| format_number(v)).collect();
        ProgressRow {
            points: p.points.to_string(),
            weeks: format_number(p.weeks),
            baseline: format_number(p.baseline),
            goal: number(goal.map(|g| g.score)),
            goal_date: goal.map(|g| format_day(g.day)).unwrap_or_default(),
            goal_roi: number(p.goal_roi),
            slope: number(p.slope),
            tukey_slope: number(p.tukey_slope),
            latest: format_number(p.latest),
            median_last3: format_number(p.median_last3),
            run_above: p.run_above.map(|r| r.to_string()).unwrap_or_default(),
            run_below: p.run_below.map(|r| r.to_string()).unwrap_or_default(),
            slope_percentile: number(slope_percentile),
            first_probe: format_day(p.first),
            last_probe: format_day(p.last),
            recent: recent.join(" "),
            aimline: aimline.join(" "),
            probes: probes.join(" "),
            phases: phases(s, &order),
        }
    }
}
