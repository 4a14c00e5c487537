//! `tierplan sql`: the rules compiled to one SQL query that gives the same
//! per-student plan as `tierplan plan --format csv` (or, with `summary`,
//! the section summary), for a table with the columns of the CSV export.
//!
//! The query is a chain of named steps, each a `WITH` of the next:
//!
//! - `cells`: each column the rules read, as trimmed text (empty is NULL),
//!   the rules' `recode:` applied;
//! - `readings`, then `students`: the fields (`f{k}` as text, `n{k}` as
//!   a number where a condition reads one) and each skill's score as a
//!   percent (`s{i}`), read as the CSV reader reads them (`85`, `85%`,
//!   `7/10`, empty); a cell that is not a score or a number stops the
//!   query with an error naming it, as `tierplan plan` refuses it;
//! - `sections`: per section, its students and per skill the students
//!   assessed, below mastery and the sum of their scores;
//! - `classes`: the whole-class rule per section and skill (`w{i}`);
//! - `joined`, then `tested`: each student beside their section's numbers,
//!   every branch's test (`t{n}`) and whether each lookup table has no
//!   row for them (`nr{k}`);
//! - `decided`: each student's leaf of the tree, first match wins, and
//!   whether it was reached on missing data;
//! - `focused`, `weakest`, `planned`, `ranked`, `sized`, `grouped`: the
//!   focus skill, the plan's columns, the group number ([`plan`]); last,
//!   the reason ([`reason`]).
//!
//! Every identifier from the rules or the header is quoted and every text
//! a literal ([`Dialect`]). Progress rules read a table of probes, which
//! [`progress`] pivots into the relation the steps above read. Constructs
//! not compiled yet (long or reshaped inputs, a blueprint) are refused
//! with where they are in the rules, never translated approximately.
//! [`form`] prints the query alone, as a view or as a dbt model.

pub(crate) mod dialect;
mod expr;
pub(crate) mod form;
mod plan;
mod progress;
mod reason;

use std::fmt::Write;

pub(crate) use self::dialect::Dialect;
use self::expr::Cx;
pub(crate) use self::form::Form;
use crate::condition::compile::CompileError;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::{ColumnMap, Skills};
use crate::rules::program::{self, Program};
use crate::rules::{self as rules_mod, NoMatch, Rules, Scale};

/// A number as the engine reads one (`12`, `-3.5`, `.5`, `1e3`).
const NUMBER: &str = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?";

/// What to compile.
pub(crate) struct Target<'a> {
    pub dialect: Dialect,
    /// The table (or view) of results, as SQL ([`form::relation`]).
    pub table: &'a str,
    /// The table's columns, as the export's header has them.
    pub header: &'a [String],
    /// The file the header came from, for messages.
    pub header_file: &'a str,
    /// The header file is a column list, one name a line.
    pub header_listed: bool,
    /// The section summary instead of the per-student plan.
    pub summary: bool,
}

/// The query for `target`, or why these rules do not compile.
pub(crate) fn compile(rules: &Rules, target: &Target<'_>) -> Result<String> {
    refuse_unsupported(rules)?;
    // Progress rules: refusals point at the first progress plan's `kind:`.
    let kind = rules
        .plans
        .iter()
        .find(|p| rules_mod::is_progress_kind(p.kind))
        .map(|p| line_of(rules, &format!("kind: {}", p.kind.as_str())));
    let pivot = match kind {
        Some(line) => Some(progress::pivot(rules, target, line)?),
        None => None,
    };
    // With a pivot, the rules read `probed`; the table is the probes'.
    let outer = target;
    let pivoted;
    let target = match &pivot {
        Some(p) => {
            pivoted = Target {
                table: "probed",
                header: &p.header,
                ..*target
            };
            &pivoted
        }
        None => target,
    };
    let header = target.header;
    let names: Vec<Box<str>> =
        crate::ingest::columns::skill_headers(rules, header, target.header_file, 0)
            .map_err(Error::Problems)?
            .into_iter()
            .map(|(_, h)| h.into())
            .collect();
    let skills = Skills { names };
    let map = ColumnMap::resolve(rules, header, target.header_file, &skills, 0)
        .map_err(Error::Problems)?;
    match &pivot {
        Some(pivot) => {
            progress::check_reads(rules, &map, &pivot.line)?;
            check_identifiers(&pivot.read, outer)?;
        }
        None => {
            let read: Vec<usize> = (map.field_columns.iter())
                .chain(&map.skill_columns)
                .flatten()
                .chain([&map.id])
                .copied()
                .collect();
            check_identifiers(&read, target)?;
        }
    }
    let program = rules.compile(&skills.names).map_err(Error::Problems)?;
    let query = Query {
        rules,
        target,
        steps: pivot.as_ref().map_or("", |p| p.steps.as_str()),
        map: &map,
        program: &program,
        cx: Cx {
            dialect: target.dialect,
            skills: &skills.names,
            tables: &program.tables,
        },
    };
    query.build()
}

/// Rules whose meaning needs what a query over one wide table does not
/// have: refused, at the line that asks for it.
fn refuse_unsupported(rules: &Rules) -> Result<()> {
    let refuse = |what: &str, line: Location| {
        Err(Error::problem(
            Diagnostic::error(
                Code::NotCompiled,
                format!("{what} is not compiled to SQL yet"),
            )
            .at(line)
            .help("plan this data with `tierplan plan`"),
        ))
    };
    let line_of = |text: &str| line_of(rules, text);
    // A spelling is matched in lower case: only ASCII letters are folded
    // the same way by every dialect.
    if let Some((from, _)) = rules
        .recode
        .iter()
        .flat_map(|(_, pairs)| pairs)
        .find(|(from, _)| !from.is_ascii())
    {
        return refuse(
            &format!("`recode` of a spelling with letters beyond ASCII (`{from}`)"),
            line_of("recode:"),
        );
    }
    if rules.blueprint.is_some() {
        return refuse("item responses with a blueprint", line_of("blueprint:"));
    }
    Ok(())
}

/// The first line of the rules that holds `text` after its indent (the
/// line of the key that asks for it in block YAML), else line 1.
fn line_of(rules: &Rules, text: &str) -> Location {
    let lines = rules.source.text.lines();
    let (line, indent) = (lines.enumerate())
        .find_map(|(i, l)| {
            let body = l.trim_start();
            body.starts_with(text)
                .then(|| (i + 1, l.len() - body.len()))
        })
        .unwrap_or((1, 0));
    let pos = rules_mod::yaml::Pos {
        line: line as u64,
        column: indent as u64 + 1,
        offset: None,
    };
    rules.source.location(pos, 0, text.len())
}

/// Refuse a column the dialect cannot name: PostgreSQL cuts identifiers
/// to 63 bytes, so a longer header would read another column, or none;
/// BigQuery reads a `.` in a name as a field of a column.
fn check_identifiers(read: &[usize], target: &Target<'_>) -> Result<()> {
    let refuse = |column: usize, name: &str, why: String, help: &str| {
        Err(Error::problem(
            Diagnostic::error(Code::NotCompiled, why)
                .at(if target.header_listed {
                    Location::cell(target.header_file, column as u64 + 1, 1, name)
                } else {
                    Location::cell(target.header_file, 1, column + 1, name)
                })
                .help(help.to_owned()),
        ))
    };
    let limit = target.dialect.max_identifier().unwrap_or(usize::MAX);
    for &column in read {
        let name = &target.header[column];
        if name.len() > limit {
            return refuse(
                column,
                name,
                format!(
                    "column `{}` is {} bytes long, and the dialect names at most {limit}",
                    crate::diagnostic::clip(name),
                    name.len()
                ),
                "rename the column in the table (and in the header file) to a shorter name",
            );
        }
        if target.dialect == Dialect::Bigquery && name.contains('.') {
            return refuse(
                column,
                name,
                format!(
                    "column `{}` has a `.`, which BigQuery reads as a field of a column",
                    crate::diagnostic::clip(name)
                ),
                "BigQuery's column names cannot hold a `.`: take the table's own column names \
                 (--columns-from, from INFORMATION_SCHEMA.COLUMNS), and name the skills in the rules \
                 as the table does",
            );
        }
    }
    Ok(())
}

struct Query<'a> {
    rules: &'a Rules,
    target: &'a Target<'a>,
    /// Steps before `cells`, which read the table into `target.table`
    /// (progress monitoring's pivot), each ending `),\n`.
    steps: &'a str,
    map: &'a ColumnMap,
    program: &'a Program,
    cx: Cx<'a>,
}

impl Query<'_> {
    /// The `cells` step: the trimmed text of every column the rules read
    /// (`x{i}` a skill's), empty as NULL, for the rows with an id.
    fn cells(&self) -> String {
        let d = self.target.dialect;
        let column = |index: usize| d.ident(&self.map.header[index]);
        // A column's text, with the rules' `recode:` of its field applied
        // (the spelling trimmed and in lower case, as `rules::recode_key`).
        let trimmed = |index: usize| {
            let text = format!(
                "NULLIF(TRIM(CAST({} AS {})), '')",
                column(index),
                d.varchar()
            );
            match self.map.recode.iter().find(|(c, _)| *c == index) {
                Some((_, pairs)) => {
                    let arms: String = pairs
                        .iter()
                        .map(|(from, to)| format!(" WHEN {} THEN {}", d.text(from), d.text(to)))
                        .collect();
                    format!("CASE {}{arms} ELSE {text} END", self::expr::fold(&text))
                }
                None => text,
            }
        };
        let null_text = format!("CAST(NULL AS {})", d.varchar());
        // cells: the text of every column read.
        let mut cells = vec![format!("{} AS id", trimmed(self.map.id))];
        cells.push(match self.map.section {
            Some(c) => format!("COALESCE({}, '') AS section", trimmed(c)),
            None => "'' AS section".to_owned(),
        });
        for (slot, at) in self.map.field_columns.iter().enumerate() {
            let cell = at.map_or_else(|| null_text.clone(), trimmed);
            cells.push(format!("{cell} AS f{slot}"));
        }
        for (i, at) in self.map.skill_columns.iter().enumerate() {
            let cell = at.map_or_else(|| null_text.clone(), trimmed);
            cells.push(format!("{cell} AS x{i}"));
        }
        let name = match self.map.name {
            Some(c) => trimmed(c),
            None => null_text.clone(),
        };
        cells.push(format!("{name} AS name"));
        format!(
            "WITH {}cells AS (\n  SELECT {}\n  FROM {}\n  WHERE {} IS NOT NULL\n),\n",
            self.steps,
            cells.join(",\n    "),
            self.target.table,
            trimmed(self.map.id),
        )
    }

    fn build(&self) -> Result<String> {
        let d = self.target.dialect;
        let skills = self.cx.skills.len();
        let mut sql = String::new();
        sql.push_str(&self.cells());
        // readings: numbers, and scores as read; students: scores checked.
        let mut readings = vec!["cells.*".to_owned()];
        for &slot in &self.program.numeric_fields {
            readings.push(format!("{} AS n{slot}", self.number(&format!("f{slot}"))));
        }
        for i in 0..skills {
            readings.push(format!("{} AS r{i}", self.score(&format!("x{i}"))));
        }
        let mut students = vec!["id".to_owned(), "name".to_owned(), "section".to_owned()];
        for slot in 0..self.map.field_columns.len() {
            students.push(format!("f{slot}"));
        }
        for &slot in &self.program.numeric_fields {
            students.push(format!("n{slot}"));
        }
        for i in 0..skills {
            students.push(format!(
                "CASE WHEN r{i} < 0 OR r{i} > 100 THEN {} ELSE r{i} + 0 END AS s{i}",
                self.fail("a score outside 0 to 100", &format!("x{i}"))
            ));
        }
        write!(
            sql,
            "readings AS (\n  SELECT {}\n  FROM cells\n),\nstudents AS (\n  SELECT {}\n  FROM readings\n),\n",
            readings.join(",\n    "),
            students.join(",\n    ")
        )
        .expect("a String");
        // sections: the section's numbers per skill.
        let mastery = d.number(self.rules.mastery);
        let mut sections = vec!["section".to_owned(), "COUNT(*) AS students".to_owned()];
        for i in 0..skills {
            sections.push(format!("COUNT(s{i}) AS a{i}"));
            sections.push(format!(
                "COUNT(CASE WHEN s{i} < {mastery} THEN 1 END) AS b{i}"
            ));
            sections.push(format!("SUM(s{i}) AS m{i}"));
        }
        write!(
            sql,
            "sections AS (\n  SELECT {}\n  FROM students\n  GROUP BY section\n),\n",
            sections.join(",\n    ")
        )
        .expect("a String");
        // classes: the whole-class rule, per skill.
        let mut classes = vec!["sections.*".to_owned()];
        for i in 0..skills {
            let when = match (&self.program.whole_class, &self.rules.whole_class) {
                (Some(cond), Some(rule)) => {
                    let sql = self.located(&rule.when, self.cx.cond(cond, Some(i)))?;
                    format!("COALESCE({sql}, FALSE)")
                }
                _ => "FALSE".to_owned(),
            };
            classes.push(format!("{when} AS w{i}"));
        }
        write!(
            sql,
            "classes AS (\n  SELECT {}\n  FROM sections\n),\n",
            classes.join(",\n    ")
        )
        .expect("a String");
        // decided: the leaf.
        let mut tests = Vec::new();
        let walked = self.walk(&self.program.tree, &self.rules.tree, &mut tests, &[], 0)?;
        // A `no_match: error` table without a row for a student stops the
        // query, as it stops `tierplan plan`: through the leaf, which every
        // output reads, so no optimizer drops the check.
        let leaf = format!(
            "CASE WHEN {} THEN CAST({} AS INTEGER) ELSE {} END",
            walked.no_row,
            self.fail("a lookup table has no row for student", "id"),
            walked.leaf
        );
        let missing = walked.missing;
        let no_rows: String = (0..self.cx.tables.len())
            .map(|k| format!(",\n    {} AS nr{k}", self.cx.no_row(k)))
            .collect();
        let mut of_class = vec!["classes.students".to_owned()];
        for i in 0..skills {
            for prefix in ["a", "b", "m", "w"] {
                of_class.push(format!("classes.{prefix}{i}"));
            }
        }
        write!(
            sql,
            "joined AS (\n  SELECT students.*, {}\n  FROM students JOIN classes ON students.section = classes.section\n),\ntested AS (\n  SELECT joined.*{}\n  FROM joined\n),\ndecided AS (\n  SELECT tested.*,\n    {leaf} AS leaf,\n    {missing} AS on_missing\n  FROM tested\n),\n",
            of_class.join(", "),
            tests
                .iter()
                .enumerate()
                .map(|(n, t)| format!(",\n    {t} AS t{n}"))
                .collect::<String>()
                + &no_rows
        )
        .expect("a String");
        if self.target.summary {
            return Ok(self.summary(sql));
        }
        self.plan(sql)
    }

    /// The section summary: per section and skill someone took, the share
    /// below mastery and whether the whole class relearns it.
    fn summary(&self, mut sql: String) -> String {
        let d = self.target.dialect;
        let double = d.double();
        let rows: Vec<String> = (0..self.cx.skills.len())
            .map(|i| {
                format!(
                    "  SELECT section, {} AS skill, {i} AS skill_order, CAST(b{i} AS {double}) / CAST(a{i} AS {double}) AS share_below, w{i} AS whole_class\n  FROM classes WHERE a{i} > 0",
                    d.text(&self.cx.skills[i])
                )
            })
            .collect();
        if rows.is_empty() {
            sql.push_str(&format!(
                "summary AS (\n  SELECT section, CAST(NULL AS {}) AS skill, 0 AS skill_order, CAST(NULL AS {double}) AS share_below, FALSE AS whole_class FROM classes WHERE FALSE\n)\n",
                d.varchar()
            ));
        } else {
            sql.push_str(&format!(
                "summary AS (\n{}\n)\n",
                rows.join("\n  UNION ALL\n")
            ));
        }
        let columns = ["section", "skill", "share_below", "whole_class"].map(|c| (c, c));
        sql.push_str(&plan::select(d, &columns));
        sql.push_str("\nFROM summary\nORDER BY section, skill_order");
        sql
    }

    /// The tree as nested `CASE`s over the tests `t{n}`, each test's SQL
    /// pushed to `tests` as it is met (`t{n}` is `tests[n]`): the leaf reached and whether it was
    /// reached on missing data, as the engine decides it (`engine::decide`):
    /// a leaf taken on a test that was missing (`if_missing: match`), or a
    /// default reached after a test on the way was skipped for a value the
    /// student lacks. A test reading a column the table does not have is
    /// missing for everyone: the table's shape, not a gap in the student's
    /// data, so it does not count.
    fn walk(
        &self,
        tree: &program::Tree,
        written: &rules_mod::Tree,
        tests: &mut Vec<String>,
        skipped: &[String],
        read: u64,
    ) -> Result<Walked> {
        let mut out = Walked {
            leaf: String::from("CASE"),
            missing: String::from("CASE"),
            no_row: String::from("CASE"),
        };
        let mut prior = skipped.to_vec();
        let mut read = read;
        for (branch, source) in tree.branches.iter().zip(&written.branches) {
            let t = format!("t{}", tests.len());
            tests.push(self.located(&source.when, self.cx.cond(&branch.cond, None))?);
            read |= branch.tables;
            let counted = branch.reads.iter().all(|&slot| {
                self.map
                    .field_columns
                    .get(slot)
                    .is_some_and(Option::is_some)
            });
            let here = if counted {
                format!("({t} IS NULL)")
            } else {
                "FALSE".to_owned()
            };
            let taken = match branch.if_missing {
                rules_mod::IfMissing::Match => format!("COALESCE({t}, TRUE)"),
                _ => t.clone(),
            };
            let mut with = prior.clone();
            with.push(here.clone());
            let arm = match (&branch.outcome, &source.outcome) {
                (program::Outcome::Leaf(l), _) => self.arm(l.id, &here, read),
                (program::Outcome::Tree(sub), rules_mod::Outcome::Tree(sub_source)) => {
                    self.walk(sub, sub_source, tests, &with, read)?
                }
                // Compiled from `written`, so the shapes agree.
                (program::Outcome::Tree(sub), rules_mod::Outcome::Leaf(_)) => {
                    self.arm(sub.default.id, &any(&with), read)
                }
            };
            write!(out.leaf, " WHEN {taken} THEN {}", arm.leaf).expect("a String");
            write!(out.missing, " WHEN {taken} THEN {}", arm.missing).expect("a String");
            write!(out.no_row, " WHEN {taken} THEN {}", arm.no_row).expect("a String");
            prior.push(here);
        }
        let default = self.arm(tree.default.id, &any(&prior), read);
        write!(out.leaf, " ELSE {} END", default.leaf).expect("a String");
        write!(out.missing, " ELSE {} END", default.missing).expect("a String");
        write!(out.no_row, " ELSE {} END", default.no_row).expect("a String");
        Ok(out)
    }

    /// Where a path ends: at `leaf`, on missing data when `missing` holds
    /// or a `no_match: missing` table it `read` has no row for the student;
    /// a `no_match: error` table with no row stops the query (`no_row`).
    fn arm(&self, leaf: usize, missing: &str, read: u64) -> Walked {
        let no_row = |wanted: NoMatch| {
            let flags: Vec<String> = (0..self.cx.tables.len())
                .filter(|&k| read & program::table_bit(k) != 0)
                .filter(|&k| self.rules.tables[k].no_match == wanted)
                .map(|k| format!("nr{k}"))
                .collect();
            any(&flags)
        };
        Walked {
            leaf: leaf.to_string(),
            missing: format!("({missing} OR {})", no_row(NoMatch::Missing)),
            no_row: no_row(NoMatch::Error),
        }
    }

    /// A translation's error at the rules line of `written`.
    fn located(
        &self,
        written: &rules_mod::Located,
        sql: std::result::Result<String, CompileError>,
    ) -> Result<String> {
        sql.map_err(|e| Error::problem(self.rules.condition_error(written, &e, Code::NotCompiled)))
    }

    /// A trimmed cell read as a number (`12`, `-3.5`, `85%`), as the CSV
    /// reader reads a column the rules compare with numbers; a cell that is
    /// not a number stops the query with an error quoting it, as `tierplan
    /// plan` refuses it.
    fn number(&self, cell: &str) -> String {
        let d = self.target.dialect;
        let double = d.double();
        format!(
            "CASE WHEN {cell} IS NULL THEN NULL WHEN {} THEN CAST({cell} AS {double}) WHEN {} THEN CAST(TRIM({}) AS {double}) ELSE {} END",
            d.full_match(cell, NUMBER),
            d.full_match(cell, &format!(r"{NUMBER}\s*%")),
            d.strip_percent(cell),
            self.fail("not a number", cell)
        )
    }

    /// A trimmed cell read as a score in percent, as `ingest::score` reads
    /// one (the range is checked in `students`); a cell that is not a score
    /// stops the query with an error that quotes it.
    fn score(&self, cell: &str) -> String {
        let d = self.target.dialect;
        let double = d.double();
        let fail = |why: &str| self.fail(why, cell);
        let num = |text: &str| format!("CAST({text} AS {double})");
        let points = format!("TRIM({})", d.split_part(cell, '/', 1));
        let maximum = format!("TRIM({})", d.split_part(cell, '/', 2));
        let percent = format!("TRIM({})", d.strip_percent(cell));
        let plain = match self.rules.scale {
            Scale::Percent => num(cell),
            Scale::Fraction => format!(
                "CASE WHEN {} > 1 THEN {} ELSE {} * 100 END",
                num(cell),
                fail("a fraction score above 1"),
                num(cell)
            ),
        };
        let read = format!(
            "CASE\n      WHEN {cell} IS NULL THEN NULL\n      WHEN {} THEN CASE WHEN {} <= 0 THEN {} WHEN {} > {} THEN {} ELSE {} / {} * 100 END\n      WHEN {} THEN {}\n      WHEN {} THEN {plain}\n      ELSE {}\n    END",
            d.full_match(cell, &format!(r"{NUMBER}\s*/\s*{NUMBER}")),
            num(&maximum),
            fail("a score out of 0 points"),
            num(&points),
            num(&maximum),
            fail("more points than the maximum"),
            num(&points),
            num(&maximum),
            d.full_match(cell, &format!(r"{NUMBER}\s*%")),
            num(&percent),
            d.full_match(cell, NUMBER),
            fail("not a score"),
        );
        read
    }

    /// A number that stops the query with an error saying `why` and
    /// quoting `cell` ([`Dialect::fail`]; it reads the row, so no planner
    /// folds it early).
    fn fail(&self, why: &str, cell: &str) -> String {
        let d = self.target.dialect;
        d.fail(&format!(
            "{} || {cell}",
            d.text(&format!("tierplan: {why}: "))
        ))
    }
}

/// A path's ends, as three `CASE`s over the same arms.
struct Walked {
    leaf: String,
    missing: String,
    no_row: String,
}

/// `a OR b OR ...`, or FALSE.
fn any(parts: &[String]) -> String {
    if parts.is_empty() {
        "FALSE".to_owned()
    } else {
        format!("({})", parts.join(" OR "))
    }
}
