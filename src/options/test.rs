//! `test`, resolved: the rules files and shipped sets whose cases run.

use std::path::PathBuf;

use crate::cli::{RulesArgs, TestArgs};
use crate::options::RulesChoice;
use crate::rules::{Shipped, shipped};

/// What `test` tests: a rules file (with its cases beside it), or a shipped
/// set and its own cases.
#[derive(Debug, Clone)]
pub(crate) enum TestTarget {
    File(PathBuf),
    Shipped(&'static Shipped),
}

/// `test`, resolved.
#[derive(Debug)]
pub(crate) struct TestOptions {
    /// In order: `--rules`, then each file named; the default rules when
    /// none is.
    pub targets: Vec<TestTarget>,
    /// `--set name=value` overrides, for every target.
    pub overrides: Vec<(String, String)>,
    /// Print cases at every table cut instead of running the cases.
    pub boundaries: bool,
}

impl TestOptions {
    pub(crate) fn resolve(args: TestArgs) -> Self {
        let choice = RulesChoice::from(args.rules);
        // Each file named, or a shipped set by name (`tierplan test star`).
        let mut targets: Vec<TestTarget> = Vec::new();
        targets.extend(choice.shipped.map(TestTarget::Shipped));
        targets.extend(choice.path.map(TestTarget::File));
        for file in args.files {
            let named = RulesChoice::from(RulesArgs {
                rules: Some(file),
                set: Vec::new(),
            });
            targets.push(match (named.shipped, named.path) {
                (Some(set), _) => TestTarget::Shipped(set),
                (None, path) => TestTarget::File(path.unwrap_or_default()),
            });
        }
        if targets.is_empty() {
            targets.push(TestTarget::Shipped(shipped::DEFAULT));
        }
        TestOptions {
            targets,
            overrides: choice.overrides,
            boundaries: args.boundaries,
        }
    }
}
