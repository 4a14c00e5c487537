//! `tierplan test`: run the test cases of rules files and report failures
//! and coverage; glue only (load → run → render).
//!
//! Exit status: 0 when every case passes, 1 when one fails, 2 when the
//! rules or a test file cannot be read or have problems. The last differs
//! from other commands (1 for problems in the rules), so that a CI script
//! can tell a failing test from a broken one; the problems are printed here
//! for that reason.

use std::io::{self, BufWriter, Write};

use crate::cli::TestArgs;
use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::RulesChoice;
use crate::printable::Printable;
use crate::rules::{self, BuiltIn};
use crate::testing;

pub fn run(args: TestArgs) -> Result<ExitCode> {
    match test(args) {
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

fn test(args: TestArgs) -> Result<ExitCode> {
    let choice = RulesChoice::from(args.rules);
    let mut targets: Vec<_> = choice.path.iter().chain(&args.files).map(Some).collect();
    if targets.is_empty() {
        targets.push(None);
    }
    // Names and values come from the user's files: no control characters.
    let mut out = Printable::new(BufWriter::new(io::stdout().lock()));
    let (mut passed, mut failed) = (0, 0);
    for (i, target) in targets.into_iter().enumerate() {
        let (rules_path, test_file) = testing::locate(target.map(|p| p.as_path()));
        let rules = rules::load(rules_path.as_deref(), BuiltIn::Quiz, &choice.overrides)?;
        let suite = testing::read_suite(&rules, rules_path.as_deref(), test_file.as_deref())?;
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
