//! `explain`, resolved: the data, the rules and the student asked for.

use crate::cli::ExplainArgs;
use crate::engine::ReadOptions;
use crate::error::Result;
use crate::ingest::Input;
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice, inputs};

/// `explain`, resolved.
#[derive(Debug)]
pub(crate) struct ExplainOptions {
    /// The data files, or standard input.
    pub inputs: Vec<Input>,
    /// How to read them.
    pub read: ReadOptions,
    /// The rules file, or the shipped set to choose from.
    pub rules: RulesChoice,
    /// The id to look for, trimmed; under `--redact`, redacted as the ids
    /// are read (an e-mail id is looked for so).
    pub student: String,
    /// The section to show the student in, trimmed; `None`: every section
    /// they are in.
    pub section: Option<String>,
    /// The id is an e-mail address `--redact` shortens: other students'
    /// addresses may read the same.
    pub shortened: bool,
}

impl ExplainOptions {
    pub(crate) fn resolve(mut args: ExplainArgs, global: &Global) -> Result<Self> {
        let mut applied = Applied::default();
        global.config.rules(&mut args.rules, true, &mut applied);
        let redact = global
            .config
            .redact(args.redact, args.no_redact, &mut applied);
        let rules = RulesChoice::configured(args.rules, &global.config, applied);
        let inputs = inputs(args.data, &args.input)?;
        let student = if redact {
            crate::redact::redact_id(args.student.trim()).into_owned()
        } else {
            args.student.trim().to_owned()
        };
        let shortened = student != args.student.trim();
        Ok(ExplainOptions {
            inputs,
            read: ReadOptions {
                redact,
                ..ReadOptions::from(&args.input)
            },
            rules,
            student,
            section: args.section.map(|s| s.trim().to_owned()),
            shortened,
        })
    }
}
