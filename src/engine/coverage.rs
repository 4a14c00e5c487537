//! What the rules do with the data, for `tierplan check`: the students each
//! branch takes, the table rows each student matches and the students a
//! table has no row for. It counts over a prepared [`Run`]; `render::check`
//! says it.

use crate::diagnostic::{Code, Diagnostic, Location, count};
use crate::engine::Run;
use crate::error::Result;
use crate::rules::Rules;

/// The students a table has no row for, with one set of keys.
#[derive(Debug, Clone)]
pub(crate) struct Missed {
    pub table: String,
    /// The students' keys: "grade `7`, season `BOY`".
    pub keys: String,
    pub students: u64,
    /// Where the first of them is.
    pub file: String,
    pub line: u64,
}

/// Counts over every student of a run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Coverage {
    /// Students each leaf took, by leaf id (its index in [`Rules::leaves`]).
    pub took: Vec<u64>,
    /// For each of the rules' tables, the students each row matched.
    pub matched: Vec<Vec<u64>>,
    /// Students a table has no row for, by table and keys, in order of
    /// first sight.
    pub missed: Vec<Missed>,
}

impl Coverage {
    /// Decide every student of `run` and count.
    pub(crate) fn of(rules: &Rules, run: &Run<'_>) -> Result<Self> {
        let mut took = vec![0u64; rules.leaves().len()];
        let mut matched: Vec<Vec<u64>> = rules
            .tables
            .iter()
            .map(|t| vec![0; t.table.rows.len()])
            .collect();
        let mut missed: Vec<Missed> = Vec::new();
        run.for_each(|student| {
            // A leaf's id is its index in `leaves`.
            if let Some(n) = took.get_mut(student.decision.leaf) {
                *n += 1;
            }
            for (t, table) in run.program.tables.iter().enumerate() {
                if let Some(row) = table.matching_row(&student.env) {
                    matched[t][row] += 1;
                }
            }
            for (table, keys) in &student.no_row {
                match missed
                    .iter_mut()
                    .find(|m| m.table == *table && m.keys == *keys)
                {
                    Some(m) => m.students += 1,
                    None => missed.push(Missed {
                        table: table.clone(),
                        keys: keys.clone(),
                        students: 1,
                        file: student.file.to_owned(),
                        line: student.line,
                    }),
                }
            }
            Ok(())
        })?;
        Ok(Coverage {
            took,
            matched,
            missed,
        })
    }

    /// A warning for each table and keys with students and no row, at the
    /// first of them.
    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        self.missed
            .iter()
            .map(|m| {
                Diagnostic::warning(
                    Code::NoTableRow,
                    format!(
                        "table `{}` has no row for {}: {} planned without it",
                        m.table,
                        m.keys,
                        count(m.students as usize, "student")
                    ),
                )
                .at(Location::line(&m.file, m.line))
                .help("add the row, or recode the file's spelling with `recode:`; without `no_match: missing` on the table, `plan` stops on these students")
            })
            .collect()
    }
}
