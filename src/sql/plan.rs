//! The per-student plan, the query's last steps: the focus skill of each
//! leaf with `focus: weakest` (`focused`), the plan's columns (`planned`),
//! each student's place among the students of their section with the same
//! plan and focus (`ranked`), how many groups they make (`sized`) and of
//! what sizes (`grouped`), and the reason and group number.
//!
//! The groups are `plan::split`'s: the students with the same plan and
//! focus in a section, ordered by focus score (missing last), name and id,
//! cut into the fewest groups of at most the plan's `group_size`, as even
//! as possible, larger groups first.

use std::fmt::Write;

use super::reason::{Path, paths};
use super::{Dialect, Query};
use crate::error::Result;
use crate::rules::{self as rules_mod, program};

impl Query<'_> {
    /// The per-student plan, from `sql`'s steps.
    pub(super) fn plan(&self, mut sql: String) -> Result<String> {
        let d = self.target.dialect;
        let paths = paths(&self.program.tree, &self.rules.tree);
        let (candidates, weakest, focus, score) = self.focus(&paths)?;
        write!(
            sql,
            "focused AS (\n  SELECT {}\n  FROM decided\n),\nweakest AS (\n  SELECT {}\n  FROM focused\n),\n",
            candidates.join(",\n    "),
            weakest.join(",\n    ")
        )
        .expect("a String");
        let by_leaf = |f: &dyn Fn(&rules_mod::Plan) -> String| {
            let cases: Vec<String> = paths
                .iter()
                .map(|p| {
                    let plan = &self.rules.plans[p.leaf.plan];
                    format!("WHEN {} THEN {}", p.leaf.id, f(plan))
                })
                .collect();
            format!("CASE leaf {} END", cases.join(" "))
        };
        let double = d.double();
        write!(
            sql,
            "planned AS (\n  SELECT weakest.*,\n    {} AS plan,\n    {} AS kind,\n    {} AS tier,\n    {focus} AS focus,\n    {score} AS focus_score,\n    {} AS group_size,\n    COALESCE(name, id) AS shown\n  FROM weakest\n),\n",
            by_leaf(&|p| d.text(&p.id)),
            by_leaf(&|p| d.text(p.kind.as_str())),
            by_leaf(&|p| p.tier.map_or("CAST(NULL AS INTEGER)".to_owned(), |t| t.to_string())),
            by_leaf(&|p| p
                .group_size
                .map_or(format!("CAST(NULL AS {double})"), |s| format!(
                    "CAST({} AS {double})",
                    s.max(1)
                ))),
        )
        .expect("a String");
        let alike = "PARTITION BY section, plan, focus";
        write!(
            sql,
            "ranked AS (\n  SELECT planned.*,\n    CAST(ROW_NUMBER() OVER ({alike} ORDER BY CASE WHEN focus_score IS NULL THEN 1 ELSE 0 END, focus_score, {}, {}) - 1 AS {double}) AS place,\n    CAST(COUNT(*) OVER ({alike}) AS {double}) AS alike\n  FROM planned\n),\n",
            d.binary("shown"),
            d.binary("id"),
        )
        .expect("a String");
        // `plan::split`: `parts` groups, the first `r` of them with
        // `q + 1` students, the others with `q`.
        write!(
            sql,
            "sized AS (\n  SELECT ranked.*, CEIL(alike / COALESCE(group_size, alike)) AS parts\n  FROM ranked\n),\ngrouped AS (\n  SELECT sized.*, FLOOR(alike / parts) AS q, alike - FLOOR(alike / parts) * parts AS r\n  FROM sized\n)\n"
        )
        .expect("a String");
        let reasons = paths
            .iter()
            .map(|p| Ok(format!("WHEN {} THEN {}", p.leaf.id, self.reason(p)?)))
            .collect::<Result<Vec<_>>>()?;
        let reason = format!("CASE leaf {} END", reasons.join("\n    "));
        let group = "CAST(CASE WHEN place < r * (q + 1) THEN FLOOR(place / (q + 1)) + 1 ELSE r + FLOOR((place - r * (q + 1)) / q) + 1 END AS INTEGER)";
        let columns: Vec<(String, &str)> = if self.rules.monitors_progress() {
            self.progress_columns(&by_leaf, reason, group)
        } else {
            [
                ("id", "student_id"),
                ("shown", "name"),
                ("section", "section"),
                ("plan", "plan"),
                ("kind", "kind"),
                ("tier", "tier"),
                ("focus", "focus"),
                ("focus_score", "focus_score"),
                (&reason, "reason"),
                (group, "group_number"),
                ("on_missing", "decided_on_missing"),
            ]
            .map(|(v, n)| (v.to_owned(), n))
            .to_vec()
        };
        let columns: Vec<(&str, &str)> = columns.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        write!(
            sql,
            "{}\nFROM grouped\nORDER BY section, id",
            select(d, &columns)
        )
        .expect("a String");
        Ok(sql)
    }

    /// The columns of a progress plan, as `--format csv` gives them: the
    /// student's measure and tier (the plan's, else their own), the
    /// quantities it shows (each that the rules read), the next probe date
    /// (the last probe plus the cadence of the student's tier, else of
    /// the plan: `progress::next_probe`).
    fn progress_columns(
        &self,
        by_leaf: &ByLeaf<'_>,
        reason: String,
        group: &str,
    ) -> Vec<(String, &'static str)> {
        let d = self.target.dialect;
        let text = d.varchar();
        let field = |name: &str| {
            let slot = self.rules.fields.iter().position(|f| f.name == name)?;
            self.map
                .field_columns
                .get(slot)?
                .map(|_| format!("f{slot}"))
        };
        let has = |name: &str| self.rules.fields.iter().any(|f| f.name == name);
        let null = format!("CAST(NULL AS {text})");
        let mut columns = vec![
            ("id".to_owned(), "student_id"),
            ("shown".to_owned(), "name"),
            ("section".to_owned(), "section"),
        ];
        if has("measure") {
            columns.push((field("measure").unwrap_or(null.clone()), "measure"));
        }
        let own = field("tier").unwrap_or(null.clone());
        columns.push((format!("COALESCE(CAST(tier AS {text}), {own})"), "tier"));
        columns.push(("plan".to_owned(), "plan"));
        columns.push(("kind".to_owned(), "kind"));
        for name in crate::ingest::reshape::probes::shown_in_csv().filter(|n| has(n)) {
            columns.push((field(name).unwrap_or(null.clone()), name));
        }
        let mut cadence = String::from("CASE");
        for (t, days) in self.rules.monitoring.iter().enumerate() {
            if let (Some(days), Some(tier)) = (days, field("tier")) {
                let pattern = format!("[^0-9]*0*{}", t + 1);
                cadence.push_str(&format!(
                    " WHEN {} THEN {}",
                    d.full_match(&tier, &pattern),
                    days.days
                ));
            }
        }
        let by_plan = by_leaf(&|p| {
            p.monitor
                .as_ref()
                .map_or("CAST(NULL AS INTEGER)".to_owned(), |m| m.days.to_string())
        });
        let cadence = if cadence == "CASE" {
            by_plan
        } else {
            format!("{cadence} ELSE {by_plan} END")
        };
        let next = match field("last_probe") {
            Some(last) => d.date_after(&format!("CAST({last} AS DATE)"), &cadence),
            None => null,
        };
        columns.push((next, "next_probe"));
        columns.push((reason, "reason"));
        columns.push((group.to_owned(), "group_number"));
        columns.push(("on_missing".to_owned(), "decided_on_missing"));
        columns
    }

    /// The `focused` step's columns (every leaf's candidate scores,
    /// `c{leaf}_{i}`), the `weakest` step's (each leaf's least candidate,
    /// `weakest{leaf}`), and the focus and its score as `CASE`s over the leaf:
    /// the least candidate, column order on a tie.
    fn focus(&self, paths: &[Path<'_>]) -> Result<(Vec<String>, Vec<String>, String, String)> {
        let d = self.target.dialect;
        let skills = self.cx.skills.len();
        let mut candidates = vec!["decided.*".to_owned()];
        let mut weakest = vec!["focused.*".to_owned()];
        let mut focus_cases = Vec::new();
        let mut score_cases = Vec::new();
        for path in paths {
            let (leaf, written) = (path.leaf, path.written);
            let program::Focus::Weakest(test) = &leaf.focus else {
                continue;
            };
            let located = match &written.focus {
                rules_mod::Focus::Weakest(test) => test.as_ref(),
                rules_mod::Focus::None => None,
            };
            for i in 0..skills {
                let holds = match (test, located) {
                    (Some(test), Some(written)) => {
                        self.located(written, self.cx.cond(test, Some(i)))?
                    }
                    _ => "TRUE".to_owned(),
                };
                candidates.push(format!(
                    "CASE WHEN s{i} IS NOT NULL AND {holds} THEN s{i} END AS c{}_{i}",
                    leaf.id
                ));
            }
            if skills == 0 {
                continue;
            }
            let c = |i: usize| format!("c{}_{i}", leaf.id);
            let least = format!("weakest{}", leaf.id);
            weakest.push(format!(
                "{} AS {least}",
                d.least(&(0..skills).map(c).collect::<Vec<_>>())
            ));
            let pick: Vec<String> = (0..skills)
                .map(|i| {
                    format!(
                        "WHEN {} = {least} THEN {}",
                        c(i),
                        d.text(&self.cx.skills[i])
                    )
                })
                .collect();
            focus_cases.push(format!("WHEN {} THEN CASE {} END", leaf.id, pick.join(" ")));
            score_cases.push(format!("WHEN {} THEN {least}", leaf.id));
        }
        let or_null = |cases: &[String], kind: &str| {
            if cases.is_empty() {
                format!("CAST(NULL AS {kind})")
            } else {
                format!("CASE leaf {} END", cases.join(" "))
            }
        };
        Ok((
            candidates,
            weakest,
            or_null(&focus_cases, d.varchar()),
            or_null(&score_cases, d.double()),
        ))
    }
}

/// A `CASE` over the leaf of what each leaf's plan gives.
type ByLeaf<'a> = dyn Fn(&dyn Fn(&rules_mod::Plan) -> String) -> String + 'a;

/// `SELECT` of the result's columns, each named as `--format csv` names
/// it (quoted, so that Snowflake keeps it in lower case).
pub(super) fn select(d: Dialect, columns: &[(&str, &str)]) -> String {
    let columns: Vec<String> = columns
        .iter()
        .map(|(value, name)| format!("{value} AS {}", d.ident(name)))
        .collect();
    format!("SELECT {}", columns.join(",\n  "))
}
