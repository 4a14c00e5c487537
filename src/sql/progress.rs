//! Progress monitoring compiled: a table of probes (one row per probe) →
//! the relation `probed`, one row per student and measure with the
//! quantities `ingest::reshape::probes` computes, as the text it writes
//! (`format_number`, ISO dates). The rules then run over `probed` as over
//! any table ([`super::Query`]).
//!
//! The steps: `pm_rows` (the cells, trimmed), `pm_read` (scores, goals,
//! the parts of each date), `pm_days` (dates as day numbers), `pm_checked`
//! (what `tierplan plan` refuses), `pm_student` (per student: their fields,
//! goal, first and last date), `pm_goal` (the rules' default goal),
//! `pm_ranked`, `pm_based`, `pm_aimed` (each probe's place, the baseline,
//! the aimline), `pm_sums`, `pm_progress` (the quantities), `pm_ranks`
//! (the slope's percentile) and `probed`.
//!
//! A table has no row order, but the engine reads two things in file
//! order: a student's goal (the last one given) and the order of probes on
//! one date. The query stops, naming the student, where these could change
//! an answer: goals (or goal dates, or a carried field such as the name)
//! that differ between a student's rows, and probes on one date with
//! different scores where the latest probe, the last three or the Tukey
//! thirds would cut between them (a run against the aimline takes a date
//! whole, so it does not depend on that order).

use super::dialect::Dialect;
use super::{NUMBER, Target};
use crate::date::parse_date;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::reshape::probes::{COLUMNS, probe_columns};
use crate::ingest::{ColumnMap, profile};
use crate::rules::{ParamValue, Rules};

/// The probes pivoted: the steps up to `probed`, and its header.
pub(super) struct Pivot {
    pub steps: String,
    pub header: Vec<String>,
    /// The columns of the table of probes it reads.
    pub read: Vec<usize>,
    /// Where the rules ask for progress monitoring, for refusals.
    pub line: Location,
}

/// Quantities the pivot writes for display only; a rule that reads one
/// is refused.
const NOT_COMPILED: [&str; 4] = ["recent", "aimline", "probes", "phases"];

/// The pivot of `target`'s table of probes, or why it does not compile.
pub(super) fn pivot(rules: &Rules, target: &Target<'_>, kind_line: Location) -> Result<Pivot> {
    let d = target.dialect;
    let profile = profile::by_name("progress")?;
    let refuse = |why: String, help: &str| {
        Err(Error::problem(
            Diagnostic::error(Code::NotCompiled, why)
                .at(kind_line.clone())
                .help(help.to_owned()),
        ))
    };
    let Some(spec) = profile
        .skills
        .probes
        .as_ref()
        .filter(|_| profile.matches(target.header))
    else {
        return refuse(
            format!(
                "progress rules compile for a table of probes, and `{}` is not one",
                target.header_file
            ),
            "the table needs a student id, a date and a score per row (see `tierplan profiles`)",
        );
    };
    let columns = probe_columns(&profile, spec, target.header, target.header_file)?;
    let Some(date) = columns.date else {
        return refuse(
            format!("`{}` has no date column for its probes", target.header_file),
            "add a `date` column (2026-09-14 or 9/14/2026)",
        );
    };
    if let Some((name, _)) = columns.carried.iter().find(|(_, c)| c.is_none()) {
        return refuse(
            format!("the field `{name}` is read from several columns, which is not compiled"),
            "give the table one column for it",
        );
    }
    let column = |c: usize| d.ident(&target.header[c]);
    let trim = |c: Option<usize>| match c {
        Some(c) => format!("NULLIF(TRIM(CAST({} AS {})), '')", column(c), d.varchar()),
        None => format!("CAST(NULL AS {})", d.varchar()),
    };
    let carried = &columns.carried[1..];
    let mut steps = String::new();
    // pm_rows: the cells.
    let mut cells = vec![
        format!("{} AS id", trim(columns.carried[0].1)),
        format!("COALESCE({}, '') AS measure", trim(columns.measure)),
    ];
    for (j, (_, c)) in carried.iter().enumerate() {
        cells.push(format!("{} AS k{j}", trim(*c)));
    }
    cells.push(format!("{} AS score_text", trim(Some(columns.score))));
    cells.push(format!("{} AS date_text", trim(Some(date))));
    cells.push(format!("{} AS goal_text", trim(columns.goal)));
    cells.push(format!("{} AS goal_date_text", trim(columns.goal_date)));
    step(&mut steps, "pm_rows", &cells, target.table, "");
    // pm_read: numbers, and the parts of each date.
    let double = d.double();
    let number = |text: &str| {
        format!(
            "CASE WHEN {} THEN CAST({text} AS {double}) END",
            d.full_match(text, NUMBER)
        )
    };
    let mut read = vec![
        "pm_rows.*".to_owned(),
        format!("{} AS score", number("score_text")),
        format!("{} AS goal_n", number("goal_text")),
    ];
    for (text, p) in [("date_text", "d"), ("goal_date_text", "g")] {
        for (part, name) in date_parts(d, text).into_iter().zip(["y", "m", "dd"]) {
            read.push(format!("{part} AS {p}{name}"));
        }
    }
    step(&mut steps, "pm_read", &read, "pm_rows", "");
    let days = vec![
        "pm_read.*".to_owned(),
        format!("{} AS day", days_from_civil(d, "dy", "dm", "ddd")),
        format!("{} AS goal_day", days_from_civil(d, "gy", "gm", "gdd")),
    ];
    step(&mut steps, "pm_days", &days, "pm_read", "");
    // pm_checked: what `tierplan plan` refuses stops the query here.
    let fail = |why: &str, cell: &str| {
        d.fail(&format!(
            "{} || COALESCE({cell}, '')",
            d.text(&format!("tierplan: {why}: "))
        ))
    };
    let check = format!(
        "CASE WHEN id IS NULL THEN {} WHEN score_text IS NOT NULL AND score IS NULL THEN {} WHEN score IS NOT NULL AND day IS NULL THEN {} WHEN goal_text IS NOT NULL AND goal_n IS NULL THEN {} WHEN goal_date_text IS NOT NULL AND goal_day IS NULL THEN {} ELSE 0 END AS chk",
        fail("a probe has no student id", "date_text"),
        fail("not a probe score", "score_text"),
        fail("not a date", "date_text"),
        fail("a goal that is not a number", "goal_text"),
        fail("a goal date that is not a date", "goal_date_text"),
    );
    step(
        &mut steps,
        "pm_checked",
        &["pm_days.*".to_owned(), check],
        "pm_days",
        "",
    );
    student_steps(d, rules, &mut steps, carried.len());
    let seven = d.number(7.0);
    steps.push_str(&probe_steps(d, &seven));
    steps.push_str(&progress_steps(d));
    let header = probed(d, &mut steps, &columns.carried, &fail);
    let read = (columns.carried.iter().filter_map(|(_, c)| *c))
        .chain([columns.score, date])
        .chain(columns.measure)
        .chain(columns.goal)
        .chain(columns.goal_date)
        .collect();
    Ok(Pivot {
        steps,
        header,
        read,
        line: kind_line,
    })
}

/// Per student and measure (`pm_student`): their carried fields
/// (`carried` of them, `k{j}`, and whether their rows differ in one), the
/// goal cells, how many probes and their first and last date; then
/// (`pm_goal`) the goal, else the rules' default, and the Tukey thirds'
/// size.
fn student_steps(d: Dialect, rules: &Rules, steps: &mut String, carried: usize) {
    let double = d.double();
    // pm_student: one row per student and measure.
    let mut student = vec![
        "id".to_owned(),
        "measure".to_owned(),
        "MAX(chk) AS chk".to_owned(),
        "COUNT(DISTINCT goal_n) AS goals".to_owned(),
        "MIN(goal_n) AS goal_cell".to_owned(),
        "COUNT(DISTINCT goal_day) AS goal_days".to_owned(),
        "MIN(goal_day) AS goal_day_cell".to_owned(),
        "COUNT(score) AS n".to_owned(),
        "MIN(day) AS first_day".to_owned(),
        "MAX(day) AS last_day".to_owned(),
    ];
    let mut differ = Vec::new();
    for j in 0..carried {
        student.push(format!("MIN(k{j}) AS k{j}"));
        differ.push(format!(
            "COUNT(DISTINCT k{j}) > 1 OR (COUNT(k{j}) > 0 AND COUNT(k{j}) < COUNT(*))"
        ));
    }
    student.push(format!(
        "CASE WHEN {} THEN 1 ELSE 0 END AS fields_differ",
        super::any(&differ)
    ));
    step(
        steps,
        "pm_student",
        &student,
        "pm_checked",
        "\n  GROUP BY id, measure",
    );
    // pm_goal: the goal, else the rules' default; the Tukey thirds' size.
    let param = |name: &str| {
        rules
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
    };
    let default_goal = match param("default_goal") {
        Some(ParamValue::Number(n)) => d.number(*n),
        _ => format!("CAST(NULL AS {double})"),
    };
    let default_day = match param("default_goal_date") {
        Some(ParamValue::Text(t)) => parse_date(t).map(|day| d.number(day as f64)),
        _ => None,
    }
    .unwrap_or_else(|| format!("CAST(NULL AS {double})"));
    let goal = vec![
        "pm_student.*".to_owned(),
        format!("COALESCE(goal_cell, {default_goal}) AS goal"),
        format!("COALESCE(goal_day_cell, {default_day}) AS goal_on"),
        format!(
            "CASE WHEN n >= 3 THEN LEAST(GREATEST(ROUND(CAST(n AS {double}) / 3), 1), FLOOR(CAST(n AS {double}) / 2)) END AS third"
        ),
    ];
    step(steps, "pm_goal", &goal, "pm_student", "");
}

/// The last step, `probed`: one row per student and measure, with the
/// pivot's header (`carried`, then the quantities) as text; returns the
/// header. The student's id stops the query for what `pm_checked` and
/// the checks of order found.
fn probed(
    d: Dialect,
    steps: &mut String,
    carried: &[(String, Option<usize>)],
    fail: &dyn Fn(&str, &str) -> String,
) -> Vec<String> {
    let seven = d.number(7.0);
    let mut header = vec![carried[0].0.clone()];
    // Every output reads the id, so each check is made: `chk` is 0 unless
    // a row stopped the query already.
    let mut probed = vec![format!(
        "CASE WHEN g.chk <> 0 THEN NULL WHEN g.fields_differ = 1 THEN CAST({} AS {v}) WHEN g.goals > 1 OR g.goal_days > 1 THEN CAST({} AS {v}) WHEN g.n > 0 AND (g.goal IS NULL OR g.goal_on IS NULL) THEN CAST({} AS {v}) WHEN p.cut = 1 THEN CAST({} AS {v}) ELSE g.id END AS {}",
        fail(
            "the student's rows differ in a field, and a table has no first row",
            "g.id"
        ),
        fail(
            "the student's rows give different goals, and a table has no last row",
            "g.id"
        ),
        fail(
            "no goal (add goal and goal_date, or the parameters default_goal and default_goal_date) for student",
            "g.id"
        ),
        fail(
            "probes on one date with different scores, and a table has no order between them, for student",
            "g.id"
        ),
        d.ident(&header[0]),
        v = d.varchar(),
    )];
    for (j, (name, _)) in carried[1..].iter().enumerate() {
        let value = if name == "measure" {
            "NULLIF(g.measure, '')".to_owned()
        } else {
            format!("g.k{j}")
        };
        probed.push(format!("{value} AS {}", d.ident(name)));
        header.push(name.clone());
    }
    let text = |v: &str| d.format_number(v);
    let count = |v: &str| format!("CAST({v} AS {})", d.varchar());
    let date = |v: &str| d.date_text(v);
    for name in COLUMNS {
        let value = match *name {
            "points" => count("p.points"),
            "weeks" => text(&format!("(p.last_day - p.first_day) / {seven}")),
            "baseline" => text("p.baseline"),
            "goal" => text("p.goal"),
            "goal_date" => date("p.goal_on"),
            "goal_roi" => text("p.goal_roi"),
            "slope" => text("p.slope"),
            "tukey_slope" => text("p.tukey_slope"),
            "latest" => text("p.latest"),
            "median_last3" => text("p.median_last3"),
            "run_above" => count("p.run_above"),
            "run_below" => count("p.run_below"),
            "slope_percentile" => text("p.slope_percentile"),
            "first_probe" => date("p.first_day"),
            "last_probe" => date("p.last_day"),
            _ => format!("CAST(NULL AS {})", d.varchar()),
        };
        probed.push(format!("{value} AS {}", d.ident(name)));
        header.push((*name).to_owned());
    }
    step(
        steps,
        "probed",
        &probed,
        "pm_goal g LEFT JOIN pm_ranks p ON g.id = p.id AND g.measure = p.measure",
        "",
    );
    header
}

/// Refuse rules that decide on, or give as a reason, a quantity the pivot
/// does not compile (`map` resolves the rules over its header).
pub(super) fn check_reads(rules: &Rules, map: &ColumnMap, line: &Location) -> Result<()> {
    for (field, column) in rules.fields.iter().zip(&map.field_columns) {
        let Some(column) = column else { continue };
        if NOT_COMPILED.contains(&map.header[*column].as_str()) && reads(rules, &field.name) {
            return Err(Error::problem(
                Diagnostic::error(
                    Code::NotCompiled,
                    format!(
                        "the rules read `{}`, which is not compiled to SQL",
                        field.name
                    ),
                )
                .at(line.clone())
                .help("decide on the other quantities, or plan this data with `tierplan plan`"),
            ));
        }
    }
    Ok(())
}

/// Whether a test or a reason of `rules` names the field `name`.
fn reads(rules: &Rules, name: &str) -> bool {
    fn walk(tree: &crate::rules::Tree, name: &str) -> bool {
        let names = |text: &str| {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == name)
        };
        let leaf = |l: &crate::rules::Leaf| {
            l.reason.as_ref().is_some_and(|t| {
                t.parts.iter().any(|p| match p {
                    // The placeholder's expression, up to its `}`.
                    crate::rules::Part::Value(v) => v
                        .text
                        .get(v.base..)
                        .and_then(|e| e.split('}').next())
                        .is_some_and(names),
                    _ => false,
                })
            })
        };
        tree.branches.iter().any(|b| {
            names(&b.when.text)
                || match &b.outcome {
                    crate::rules::Outcome::Leaf(l) => leaf(l),
                    crate::rules::Outcome::Tree(t) => walk(t, name),
                }
        }) || leaf(&tree.default)
    }
    walk(&rules.tree, name)
}

/// `name AS (SELECT columns FROM from rest),`.
fn step(steps: &mut String, name: &str, columns: &[String], from: &str, rest: &str) {
    steps.push_str(&format!(
        "{name} AS (\n  SELECT {}\n  FROM {from}{rest}\n),\n",
        columns.join(",\n    ")
    ));
}

/// Year, month and day of a date cell as `parse_date` reads it (the text
/// before a space or `T`: `2026-09-14`, `2026/09/14`, `9/14/2026`), as
/// numbers; NULL when it is not in one of these forms.
fn date_parts(d: Dialect, text: &str) -> [String; 3] {
    let date = d.split_part(&d.split_part(text, ' ', 1), 'T', 1);
    let iso = d.full_match(&date, "[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}");
    let us = format!(
        "{} AND {}",
        d.full_match(&date, "[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}"),
        d.full_match(&date, ".*/.*")
    );
    let dashed = format!("REPLACE({date}, '/', '-')");
    let part = |n: usize| format!("CAST({} AS {})", d.split_part(&dashed, '-', n), d.double());
    [(1, 3), (2, 1), (3, 2)].map(|(in_iso, in_us)| {
        format!(
            "CASE WHEN {iso} THEN {} WHEN {us} THEN {} END",
            part(in_iso),
            part(in_us)
        )
    })
}

/// `floor(a / b)` for the non-negative numbers of the calendar.
fn div(a: &str, b: i64) -> String {
    format!("FLOOR(({a}) / {b})")
}

/// Days since 1970-01-01 of year `y`, month `m`, day `dd` (columns), as
/// `date::days_from_civil`; NULL for a date that does not exist.
fn days_from_civil(d: Dialect, y: &str, m: &str, dd: &str) -> String {
    let leap = format!(
        "(({y} - 4 * {}) = 0 AND ({y} - 100 * {}) <> 0 OR ({y} - 400 * {}) = 0)",
        div(y, 4),
        div(y, 100),
        div(y, 400)
    );
    let in_month = format!(
        "CASE WHEN {m} IN (4, 6, 9, 11) THEN 30 WHEN {m} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END ELSE 31 END"
    );
    let yy = format!("({y} - CASE WHEN {m} <= 2 THEN 1 ELSE 0 END)");
    let era = div(&yy, 400);
    let yoe = format!("({yy} - 400 * {era})");
    let mp = format!("({m} + 9 - 12 * {})", div(&format!("{m} + 9"), 12));
    let doy = format!("({} + {dd} - 1)", div(&format!("153 * {mp} + 2"), 5));
    let doe = format!(
        "({yoe} * 365 + {} - {} + {doy})",
        div(&yoe, 4),
        div(&yoe, 100)
    );
    format!(
        "CASE WHEN {y} BETWEEN 1 AND 9999 AND {m} BETWEEN 1 AND 12 AND {dd} BETWEEN 1 AND {in_month} THEN CAST({era} * 146097 + {doe} - 719468 AS {}) END",
        d.double()
    )
}

/// Each probe's place among the student's (by date; on one date by score,
/// which only decides where the scores are equal), the baseline (the
/// median on the first date), its week and the aimline there.
fn probe_steps(d: Dialect, seven: &str) -> String {
    let double = d.double();
    let mut steps = String::new();
    let key = "PARTITION BY r.id, r.measure";
    let ranked = vec![
        "r.id, r.measure, r.day, r.score, g.n, g.first_day, g.goal, g.goal_on, g.third".to_owned(),
        format!("ROW_NUMBER() OVER ({key} ORDER BY r.day, r.score) AS pos"),
        format!("ROW_NUMBER() OVER ({key}, r.day ORDER BY r.score) AS day_rank"),
        format!("COUNT(*) OVER ({key}, r.day) AS day_count"),
        format!(
            "CASE WHEN MIN(r.score) OVER ({key}, r.day) <> MAX(r.score) OVER ({key}, r.day) THEN 1 ELSE 0 END AS mixed"
        ),
        format!("(r.day - g.first_day) / {seven} AS x"),
        format!("(g.goal_on - g.first_day) / {seven} AS span"),
    ];
    step(
        &mut steps,
        "pm_ranked",
        &ranked,
        "pm_checked r JOIN pm_goal g ON r.id = g.id AND r.measure = g.measure",
        "\n  WHERE r.score IS NOT NULL",
    );
    let key = "PARTITION BY id, measure";
    let over = format!(" OVER ({key})");
    let based = vec![
        "pm_ranked.*".to_owned(),
        format!(
            "{} AS baseline",
            median("day_rank", "day_count", "score", "day = first_day", &over)
        ),
        format!("MIN(pos) OVER ({key}, day) AS day_first"),
        format!("MAX(pos) OVER ({key}, day) AS day_last"),
        format!("SUM(x) OVER ({key}) / CAST(n AS {double}) AS mean_x"),
        format!("SUM(score) OVER ({key}) / CAST(n AS {double}) AS mean_y"),
        format!("CASE WHEN pos <= third THEN 1 ELSE 0 END AS in_first"),
        format!("CASE WHEN pos > n - third THEN 1 ELSE 0 END AS in_last"),
        format!("CASE WHEN pos > n - 3 THEN 1 ELSE 0 END AS in_last3"),
    ];
    step(&mut steps, "pm_based", &based, "pm_ranked", "");
    let aim = "CASE WHEN span > 0 THEN baseline + (goal - baseline) * x / span ELSE goal END";
    let above = format!("CASE WHEN score > {aim} THEN 1 ELSE 0 END");
    let below = format!("CASE WHEN score < {aim} THEN 1 ELSE 0 END");
    let aimed = vec![
        "pm_based.*".to_owned(),
        format!("{above} AS above"),
        format!("{below} AS below"),
        format!("ROW_NUMBER() OVER ({key}, in_first ORDER BY score) AS first_rank"),
        format!("ROW_NUMBER() OVER ({key}, in_last ORDER BY score) AS last_rank"),
        format!("ROW_NUMBER() OVER ({key}, in_last3 ORDER BY score) AS last3_rank"),
    ];
    step(&mut steps, "pm_aimed", &aimed, "pm_based", "");
    steps
}

/// The median of `value` over the rows where `when` holds, `rank` their
/// order by `value` and `count` how many there are: the mean of the one
/// or two in the middle, as `progress::median`. An aggregate, or with
/// `over` (` OVER (...)`) a window.
fn median(rank: &str, count: &str, value: &str, when: &str, over: &str) -> String {
    format!(
        "(MAX(CASE WHEN {when} AND {rank} = FLOOR(({count} + 1) / 2) THEN {value} END){over} + MAX(CASE WHEN {when} AND {rank} = FLOOR({count} / 2) + 1 THEN {value} END){over}) / 2"
    )
}

/// Per student: the quantities (`pm_sums`, `pm_progress`), and the slope's
/// percentile among the students of the same measure (`pm_ranks`).
fn progress_steps(d: Dialect) -> String {
    let double = d.double();
    let mut steps = String::new();
    // A cut between places `b` and `b + 1` falls inside a date whose
    // scores differ.
    let cut = |b: &str| format!("(mixed = 1 AND day_first <= {b} AND {b} < day_last)");
    let last3 = "LEAST(n, 3)";
    let sums = vec![
        "id, measure, MIN(n) AS n, MIN(first_day) AS first_day, MAX(day) AS last_day, MIN(baseline) AS baseline, MIN(goal) AS goal, MIN(goal_on) AS goal_on, MIN(span) AS span, MIN(third) AS third".to_owned(),
        "COUNT(CASE WHEN day > first_day THEN 1 END) AS points".to_owned(),
        "SUM((x - mean_x) * (x - mean_x)) AS sxx".to_owned(),
        "SUM((x - mean_x) * (score - mean_y)) AS sxy".to_owned(),
        "MAX(CASE WHEN pos = n THEN score END) AS latest".to_owned(),
        format!(
            "{} AS median_last3",
            median("last3_rank", last3, "score", "in_last3 = 1", "")
        ),
        format!(
            "{} AS x1",
            median("pos", "third", "x", "in_first = 1", "")
        ),
        format!("{} AS y1", median("first_rank", "third", "score", "in_first = 1", "")),
        format!(
            "{} AS x3",
            median("pos - (n - third)", "third", "x", "in_last = 1", "")
        ),
        format!("{} AS y3", median("last_rank", "third", "score", "in_last = 1", "")),
        // A run takes a date whole (`progress::Progress::of`): it ends at
        // the last place of the latest date with a probe off its side.
        "MIN(n) - COALESCE(MAX(CASE WHEN above = 0 THEN day_last END), 0) AS run_above".to_owned(),
        "MIN(n) - COALESCE(MAX(CASE WHEN below = 0 THEN day_last END), 0) AS run_below".to_owned(),
        format!(
            "MAX(CASE WHEN {} OR (n > 3 AND {}) OR (third IS NOT NULL AND ({} OR {})) THEN 1 ELSE 0 END) AS cut_in_order",
            cut("n - 1"),
            cut("n - 3"),
            cut("third"),
            cut("n - third")
        ),
    ];
    step(
        &mut steps,
        "pm_sums",
        &sums,
        "pm_aimed",
        "\n  GROUP BY id, measure",
    );
    let progress = vec![
        "id, measure, points, first_day, last_day, baseline, goal, goal_on, latest, median_last3, run_above, run_below".to_owned(),
        "CASE WHEN n >= 2 AND sxx > 0 THEN sxy / sxx END AS slope".to_owned(),
        "CASE WHEN third IS NOT NULL AND x3 > x1 THEN (y3 - y1) / (x3 - x1) END AS tukey_slope".to_owned(),
        "CASE WHEN span > 0 THEN (goal - baseline) / span END AS goal_roi".to_owned(),
        "cut_in_order AS cut".to_owned(),
    ];
    step(&mut steps, "pm_progress", &progress, "pm_sums", "");
    // The percentile of the slope as shown (4 decimals) among the known
    // slopes of the measure: the share of the others below, ties as half.
    let shown = format!("CAST({} AS {double})", d.format_number("slope"));
    let known = "PARTITION BY measure, CASE WHEN slope IS NULL THEN 0 ELSE 1 END";
    let ranks = vec![
        "pm_progress.*".to_owned(),
        format!(
            "CASE WHEN slope IS NOT NULL AND COUNT(*) OVER ({known}) >= 2 THEN 100 * (CAST(RANK() OVER ({known} ORDER BY {shown}) - 1 AS {double}) + CAST(COUNT(*) OVER ({known}, {shown}) - 1 AS {double}) / 2) / CAST(COUNT(*) OVER ({known}) - 1 AS {double}) END AS slope_percentile"
        ),
    ];
    step(&mut steps, "pm_ranks", &ranks, "pm_progress", "");
    steps
}
