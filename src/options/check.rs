//! `check`, resolved: the rules, and the data to check them against, if any.

use crate::cli::{CheckArgs, DenyArg};
use crate::engine::ReadOptions;
use crate::error::Result;
use crate::ingest::Input;
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice, inputs};

/// `check`, resolved.
#[derive(Debug)]
pub(crate) struct CheckOptions {
    /// The data to check the rules against; none to check the rules alone.
    pub inputs: Vec<Input>,
    /// Leniently, to report every problem in the data, not only the first.
    pub read: ReadOptions,
    /// The rules file, or the shipped set to choose from.
    pub rules: RulesChoice,
    /// `--deny warnings`: warnings fail the check too.
    pub deny_warnings: bool,
}

impl CheckOptions {
    pub(crate) fn resolve(mut args: CheckArgs, global: &Global) -> Result<Self> {
        let mut applied = Applied::default();
        global.config.rules(&mut args.rules, true, &mut applied);
        let rules = RulesChoice::configured(args.rules, &global.config, applied);
        let inputs = if args.data.is_empty() {
            Vec::new()
        } else {
            inputs(args.data, &args.input)?
        };
        Ok(CheckOptions {
            inputs,
            read: ReadOptions {
                lenient: true,
                ..ReadOptions::from(&args.input)
            },
            rules,
            deny_warnings: args.deny == Some(DenyArg::Warnings),
        })
    }
}
