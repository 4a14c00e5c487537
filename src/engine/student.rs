//! One student as the decide pass hands them to the caller ([`Student`]),
//! and what their decision did without: the caveat every output shows. It
//! reads no file and decides nothing.

use crate::condition::eval::Env;
use crate::engine::Decision;
use crate::rules::Rules;
use crate::rules::program::Program;

/// One student, as the second pass sees them.
pub struct Student<'a> {
    pub env: Env<'a>,
    pub decision: Decision,
    /// Index into [`Sections::list`].
    pub section: usize,
    pub id: &'a [u8],
    /// The `name` column, or the id when the rules map no name.
    pub name: &'a [u8],
    pub file: &'a str,
    pub line: u64,
    /// The headers of the cells `--lenient` set aside (read as missing).
    pub unread: Vec<String>,
    /// The tables the decision read that have no row for the student, as
    /// (table, the student's keys): (`cuts`, "grade `7`, season `BOY`").
    pub no_row: Vec<(String, String)>,
}

impl Student<'_> {
    /// Whether the decision rests on missing or unreadable data.
    pub fn has_caveat(&self) -> bool {
        self.decision.on_missing || !self.unread.is_empty() || !self.no_row.is_empty()
    }

    /// What the decision did without, for every output (issue 10): e.g.
    /// "decided without `screening`", "`NF.1` could not be read
    /// (--lenient): read as missing". `None` when nothing was missing.
    pub fn caveat(&self, rules: &Rules, program: &Program) -> Option<String> {
        if !self.has_caveat() {
            return None;
        }
        let mut parts = Vec::new();
        if !self.unread.is_empty() {
            parts.push(format!(
                "{} could not be read (--lenient): read as missing",
                crate::diagnostic::list(&self.unread)
            ));
        }
        for (table, keys) in &self.no_row {
            parts.push(format!("table `{table}` has no row for {keys}"));
        }
        if self.decision.on_missing {
            let mut names = program.missing_names(rules, &self.env);
            // A table with no row is said above.
            names.retain(|n| {
                !rules.tables.iter().any(|t| {
                    &t.name == n && self.no_row.iter().any(|(table, _)| *table == t.table_name)
                })
            });
            if !names.is_empty() {
                parts.push(format!(
                    "decided without {}",
                    crate::diagnostic::list(&names)
                ));
            } else if self.no_row.is_empty() {
                parts.push("decided with a test that had no value".to_owned());
            }
        }
        Some(parts.join("; "))
    }
}
