//! `explain`, resolved: the data, the rules and the student asked for.

use crate::cli::ExplainArgs;
use crate::engine::ReadOptions;
use crate::error::Result;
use crate::ingest::Input;
use crate::options::{RulesChoice, inputs};

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
    pub(crate) fn resolve(args: ExplainArgs) -> Result<Self> {
        let rules = RulesChoice::from(args.rules);
        let inputs = inputs(args.data, &args.input)?;
        let student = if args.redact {
            crate::redact::redact_id(args.student.trim()).into_owned()
        } else {
            args.student.trim().to_owned()
        };
        let shortened = student != args.student.trim();
        Ok(ExplainOptions {
            inputs,
            read: ReadOptions {
                redact: args.redact,
                ..ReadOptions::from(&args.input)
            },
            rules,
            student,
            section: args.section.map(|s| s.trim().to_owned()),
            shortened,
        })
    }
}
