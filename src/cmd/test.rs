//! `tierplan test`: run the test cases of rules files and report failures
//! and coverage; glue only (load → run → render).
//!
//! Exit status: 0 when every case passes, 1 when one fails, 2 when the
//! rules or a test file cannot be read or have problems. The last differs
//! from other commands (1 for problems in the rules), so that a CI script
//! can tell a failing test from a broken one; the problems are printed here
//! for that reason.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::{TestOptions, TestTarget};
use crate::printable::Printable;
use crate::rules::{self, BuiltIn, Rules, Shipped, shipped};
use crate::testing;

pub(crate) fn run(opts: TestOptions) -> Result<ExitCode> {
    match test(opts) {
        Err(Error::Problems(problems)) => {
            // Messages quote the user's files: no control characters.
            let mut stderr = Printable::new(io::stderr().lock());
            for (i, d) in problems.iter().enumerate() {
                let gap = if i > 0 { "\n" } else { "" };
                writeln!(stderr, "{gap}{d}").map_err(write_error("<stderr>"))?;
            }
            Ok(ExitCode::Usage)
        }
        other => other,
    }
}

fn test(opts: TestOptions) -> Result<ExitCode> {
    let TestOptions {
        targets,
        overrides,
        boundaries,
    } = opts;
    // Names and values come from the user's files: no control characters.
    crate::output::stdout_open()?;
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    if boundaries {
        for target in &targets {
            let (rules, _, _, _) = load(target, &overrides)?;
            let (cases, skipped) = testing::boundaries::generate(&rules)?;
            write!(out, "{cases}").map_err(write_error("<stdout>"))?;
            if skipped > 0 {
                let _ = writeln!(
                    io::stderr(),
                    "note: {} left out: a key cell that is `any` or a range names no single value",
                    crate::diagnostic::count(skipped, "table row")
                );
            }
        }
        out.flush().map_err(write_error("<stdout>"))?;
        return Ok(ExitCode::Success);
    }
    let (mut passed, mut failed) = (0, 0);
    for (i, target) in targets.iter().enumerate() {
        let (rules, set, rules_path, test_file) = load(target, &overrides)?;
        let suite = testing::read_suite(
            &rules,
            Some(set),
            rules_path.as_deref(),
            test_file.as_deref(),
        )?;
        let report = testing::run(&rules, &suite)?;
        passed += report.passed();
        failed += report.failed();
        let gap = if i > 0 { "\n" } else { "" };
        write!(out, "{gap}").map_err(write_error("<stdout>"))?;
        crate::render::testing::write(&mut out, &report).map_err(write_error("<stdout>"))?;
    }
    writeln!(out, "\n{passed} passed, {failed} failed").map_err(write_error("<stdout>"))?;
    out.flush().map_err(write_error("<stdout>"))?;
    Ok(if failed == 0 {
        ExitCode::Success
    } else {
        ExitCode::Problems
    })
}

/// A target's rules, the shipped set they are or stand in for, and where
/// the rules file and its cases are.
fn load(
    target: &TestTarget,
    overrides: &[(String, String)],
) -> Result<(Rules, &'static Shipped, Option<PathBuf>, Option<PathBuf>)> {
    let (set, (rules_path, test_file)) = match target {
        TestTarget::File(path) => {
            let (rules, tests) = testing::locate(path);
            (shipped::DEFAULT, (Some(rules), Some(tests)))
        }
        TestTarget::Shipped(set) => (*set, (None, None)),
    };
    let rules = rules::load(rules_path.as_deref(), BuiltIn::named(set), overrides)?;
    Ok((rules, set, rules_path, test_file))
}
