//! `tierplan check`'s report: the problems, what was recognised in each
//! file (the profile, the columns of each field, the skills, the columns
//! nothing reads), the students each branch takes and the table rows no
//! student matched, then the verdict. Lines of text; it decides nothing.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, count, list};
use crate::engine::Run;
use crate::engine::coverage::Coverage;
use crate::ingest::{ColumnMap, CsvFile, Recognition, Skills};
use crate::rules::{Outcome, Rules, Tree};

/// How the check came out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verdict {
    pub errors: usize,
    pub warnings: usize,
    /// `--deny warnings` with warnings found.
    pub denied: bool,
}

/// The problems, the report's lines and the verdict.
pub(crate) fn write(
    out: &mut dyn Write,
    problems: &[Diagnostic],
    report: &[String],
    verdict: Verdict,
) -> io::Result<()> {
    let Verdict {
        errors,
        warnings,
        denied,
    } = verdict;
    for d in problems {
        writeln!(out, "{d}\n")?;
    }
    for line in report {
        writeln!(out, "{line}")?;
    }
    if errors == 0 && denied {
        writeln!(
            out,
            "{} found, and `--deny warnings` makes {} fail the check",
            count(warnings, "warning"),
            if warnings == 1 { "it" } else { "them" }
        )?;
    } else if errors == 0 {
        let suffix = if warnings > 0 {
            format!(" ({})", count(warnings, "warning"))
        } else {
            String::new()
        };
        writeln!(out, "ok{suffix}")?;
    } else {
        writeln!(
            out,
            "{} found, {}",
            count(errors, "error"),
            count(warnings, "warning")
        )?;
    }
    out.flush()
}

/// `rules `default` (built in): 4 plans, 5 branches, 3 parameters`.
pub(crate) fn summary(rules: &Rules) -> String {
    fn branches(tree: &Tree) -> usize {
        tree.branches
            .iter()
            .map(|b| match &b.outcome {
                Outcome::Leaf(_) => 1,
                Outcome::Tree(sub) => 1 + branches(sub),
            })
            .sum::<usize>()
            + 1
    }
    format!(
        "rules `{}` ({}): {}, {}, {}",
        rules.name,
        rules.source.name,
        count(rules.plans.len(), "plan"),
        count(branches(&rules.tree), "branch"),
        count(rules.params.len(), "parameter"),
    )
}

/// What was recognised in one file: its profile (see [`recognition`]), the
/// column of each field, its skills and, unless a profile listed them, the
/// columns nothing reads.
pub(crate) fn file(
    rules: &Rules,
    file: &CsvFile,
    skills: &Skills,
    map: &ColumnMap,
    seen: &Recognition,
) -> Vec<String> {
    let mut report = recognition(seen);
    let fields: Vec<String> = rules
        .fields
        .iter()
        .zip(&map.field_columns)
        .map(|(f, c)| match c {
            Some(c) => format!("{} = `{}`", f.name, file.header[*c]),
            None => format!("{} = (none)", f.name),
        })
        .collect();
    let file_skills: Vec<&str> = map
        .skill_columns
        .iter()
        .zip(&skills.names)
        .filter(|(c, _)| c.is_some())
        .map(|(_, n)| &**n)
        .collect();
    report.push(format!("{}: columns {}", file.name, fields.join(", ")));
    report.push(format!(
        "  skills: {}",
        if file_skills.is_empty() {
            "none".to_owned()
        } else {
            list(&file_skills)
        }
    ));
    // A profiled file's unread columns were listed with its profile.
    let ignored: Vec<&str> = map
        .ignored
        .iter()
        .map(|&i| file.header[i].as_str())
        .collect();
    if seen.profile.is_none() && !ignored.is_empty() {
        report.push(format!("  ignored: {}", list(&ignored)));
    }
    report
}

/// `export.csv: read as NWEA MAP Growth ...` and its columns.
fn recognition(seen: &Recognition) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(read) = &seen.sheet {
        let above = match read.header_row {
            1 => String::new(),
            2 => "; row 1 above it skipped as a title".to_owned(),
            n => format!("; rows 1-{} above it skipped as titles", n - 1),
        };
        lines.push(format!(
            "{}: sheet `{}`, header on row {}{above}",
            seen.file, read.sheet, read.header_row
        ));
    }
    let Some(profile) = &seen.profile else {
        return lines;
    };
    lines.push(format!("{}: read as {profile}", seen.file));
    let fields: Vec<String> = seen
        .fields
        .iter()
        .map(|(field, from)| format!("{field} <- `{from}`"))
        .collect();
    lines.push(format!("  recognised: {}", fields.join(", ")));
    if !seen.ignored.is_empty() {
        lines.push(format!("  ignored: {}", list(&seen.ignored)));
    }
    lines
}

/// `24 students in 2 sections: every row reads`, or what was set aside.
pub(crate) fn students(run: &Run<'_>) -> String {
    let several = match run.in_several_sections {
        0 => String::new(),
        n => format!(
            " ({} in more than one, counted and planned in each)",
            crate::render::thousands(n)
        ),
    };
    let students = format!(
        "{} in {}{several}",
        count(run.students as usize, "student"),
        count(run.sections.list.len(), "section")
    );
    if run.set_aside.is_empty() {
        format!("{students}: every row reads")
    } else {
        format!("{students}. {}", run.set_aside.summary())
    }
}

/// The students each branch took, then each table's rows no student
/// matched.
pub(crate) fn coverage(rules: &Rules, coverage: &Coverage) -> Vec<String> {
    let taken: Vec<String> = rules
        .leaves()
        .iter()
        .zip(&coverage.took)
        .map(|(leaf, n)| {
            format!(
                "line {} → {}: {}",
                leaf.pos.line,
                rules.plans[leaf.plan].id,
                count(*n as usize, "student")
            )
        })
        .collect();
    let mut report = vec![format!("  branches: {}", taken.join("; "))];
    let mut seen_tables: Vec<&str> = Vec::new();
    for (def, rows) in rules.tables.iter().zip(&coverage.matched) {
        if seen_tables.contains(&def.table_name.as_str()) {
            continue;
        }
        seen_tables.push(&def.table_name);
        let unused: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(_, n)| **n == 0)
            .map(|(r, _)| (r + 1).to_string())
            .collect();
        if !unused.is_empty() {
            report.push(format!(
                "  table `{}`: no student matched row{} {}",
                def.table_name,
                if unused.len() == 1 { "" } else { "s" },
                unused.join(", ")
            ));
        }
    }
    report
}
