//! The report of `tierplan test` for one rules file: each failing case with
//! what it expected and what the student got, the path they took (as
//! `explain` shows it), then the coverage. The summary line over every file
//! is the caller's.

use std::io::{self, Write};

use crate::diagnostic::{count, list};
use crate::testing::Report;

pub(crate) fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(
        out,
        "rules `{}` ({}): {} from {}",
        report.rules_name,
        report.rules_file,
        count(report.results.len(), "case"),
        list(&report.tests_from)
    )?;
    for result in report.results.iter().filter(|r| !r.mismatches.is_empty()) {
        writeln!(out, "\nFAIL `{}` ({})", result.name, result.location)?;
        let width = result
            .mismatches
            .iter()
            .map(|m| m.key.len())
            .max()
            .unwrap_or(0);
        for m in &result.mismatches {
            writeln!(
                out,
                "  {:<width$}  expected {}, got {}",
                format!("{}:", m.key),
                m.expected,
                m.actual,
                width = width + 1
            )?;
        }
        writeln!(out, "  path (first match wins):")?;
        for (i, step) in result.path.iter().enumerate() {
            let indent = "  ".repeat(step.depth + 2);
            writeln!(
                out,
                "{indent}{}. {}  [line {}]",
                i + 1,
                step.text,
                step.line
            )?;
            if step.seen.is_empty() {
                writeln!(out, "{indent}   → {}", step.outcome)?;
            } else {
                writeln!(out, "{indent}   {} → {}", step.seen, step.outcome)?;
            }
        }
        writeln!(out, "  reached: {}", result.leaf)?;
        writeln!(out, "  reason: {}", result.reason)?;
    }
    let reached = report.leaves - report.unreached.len();
    if report.unreached.is_empty() {
        writeln!(
            out,
            "\ncoverage: every branch reached ({} of {})",
            reached, report.leaves
        )?;
    } else {
        writeln!(
            out,
            "\ncoverage: {reached} of {} reached; no case reaches:",
            count(report.leaves, "branch")
        )?;
        for (leaf, plan) in &report.unreached {
            writeln!(out, "  line {}: {} → `{plan}`", leaf.line, leaf.label())?;
        }
    }
    for row in &report.unused_rows {
        writeln!(
            out,
            "  table `{}` (line {}): no case reads row {} of {}",
            row.table, row.line, row.row, row.rows
        )?;
    }
    Ok(())
}
