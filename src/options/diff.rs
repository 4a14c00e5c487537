//! `diff`, resolved: which two sides are compared (two rules files over
//! the same data, or two data files through the same rules) and how the
//! comparison is written.

use std::path::PathBuf;

use crate::cli::{CsvFormulasArg, DiffArgs, DiffFormatArg, RulesArgs};
use crate::engine::ReadOptions;
use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice, inputs};
use crate::render::diff::DiffFormat;
use crate::render::{Formulas, Style};

/// One side of `diff`: a rules file over some data.
#[derive(Debug)]
pub(crate) struct DiffSide {
    /// The side's rules.
    pub rules: RulesChoice,
    /// The side's data.
    pub inputs: Vec<Input>,
}

/// `diff`, resolved: two rules files over the same data, or one rules file
/// over two windows' data, both as two sides.
#[derive(Debug)]
pub(crate) struct DiffOptions {
    /// The side compared from.
    pub old: DiffSide,
    /// The side compared to.
    pub new: DiffSide,
    /// How both sides' data is read.
    pub read: ReadOptions,
    /// The output format.
    pub format: DiffFormat,
    /// A file to write atomically, or standard output.
    pub output: Option<PathBuf>,
    /// List unchanged students too.
    pub all: bool,
    /// Exit 1 when any student changed.
    pub exit_code: bool,
    /// Write nothing.
    pub quiet: bool,
    /// Whether the output is a terminal.
    pub style: Style,
}

impl DiffOptions {
    /// With DATA, OLD and NEW are rules files; without, data files.
    pub(crate) fn resolve(mut args: DiffArgs, global: &Global) -> Result<Self> {
        let mut applied = Applied::default();
        // Two rules files are compared as they are: the defaults file
        // names no rules for them, only parameters.
        let with_rules = args.data.is_empty();
        global
            .config
            .rules(&mut args.rules, with_rules, &mut applied);
        let redact = global
            .config
            .redact(args.redact, args.no_redact, &mut applied);
        let config = global.config.note(&applied);
        let config_set = applied.set_at;
        let style = global.style(
            args.output.is_none(),
            match args.csv_formulas {
                CsvFormulasArg::Escape => Formulas::Escape,
                CsvFormulasArg::Keep => Formulas::Keep,
            },
        );
        let format = match args.format {
            DiffFormatArg::Table => DiffFormat::Table,
            DiffFormatArg::Csv => DiffFormat::Csv,
            DiffFormatArg::Json => DiffFormat::Json,
        };
        let looks_like = |path: &PathBuf, extensions: &[&str]| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
        };
        let yaml = ["yaml", "yml"];
        let (old, new) = if args.data.is_empty() {
            if looks_like(&args.old, &yaml) && looks_like(&args.new, &yaml) {
                return Err(Error::usage(format!(
                    "`{}` and `{}` look like rules files, and no data follows; name the data after them, e.g. `tierplan diff {} {} quiz.csv`",
                    args.old.display(),
                    args.new.display(),
                    args.old.display(),
                    args.new.display()
                )));
            }
            if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
                return Err(Error::usage("`-` (standard input) can be read only once"));
            }
            let mut rules = RulesChoice::from(args.rules);
            rules.config.clone_from(&config);
            rules.config_set.clone_from(&config_set);
            (
                DiffSide {
                    rules: rules.clone(),
                    inputs: inputs(vec![args.old], &args.input)?,
                },
                DiffSide {
                    rules,
                    inputs: inputs(vec![args.new], &args.input)?,
                },
            )
        } else {
            if let Some(rules) = &args.rules.rules {
                return Err(Error::usage(format!(
                    "`--rules {}` with two rules files: OLD and NEW are the rules compared; give `--rules` only to compare two data files, e.g. `tierplan diff --rules {} fall.csv winter.csv`",
                    rules.display(),
                    rules.display()
                )));
            }
            for path in [&args.old, &args.new] {
                if looks_like(path, &["csv", "tsv", "txt", "xlsx"]) {
                    return Err(Error::usage(format!(
                        "`{}` looks like a data file, but with DATA after them OLD and NEW are rules files; to compare two data files give just the two, e.g. `tierplan diff fall.csv winter.csv`",
                        path.display()
                    )));
                }
            }
            let data = inputs(args.data, &args.input)?;
            // Either side may name a shipped set: `diff default mine.yaml quiz.csv`.
            let side = |path: PathBuf| DiffSide {
                rules: RulesChoice {
                    config: config.clone(),
                    config_set: config_set.clone(),
                    ..RulesChoice::from(RulesArgs {
                        rules: Some(path),
                        set: args.rules.set.clone(),
                    })
                },
                inputs: data.clone(),
            };
            (side(args.old), side(args.new))
        };
        Ok(DiffOptions {
            old,
            new,
            read: ReadOptions {
                redact,
                ..ReadOptions::from(&args.input)
            },
            format,
            output: args.output,
            all: args.all,
            exit_code: args.exit_code,
            quiet: args.quiet,
            style,
        })
    }
}
