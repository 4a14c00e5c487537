//! `plan`, resolved: the format, the output files and the CSV columns.

use std::path::PathBuf;

use crate::cli::{CsvFormulasArg, FormatArg, PlanArgs};
use crate::engine::ReadOptions;
use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice, inputs};
use crate::render::{Column, Format, Formulas, Style};
use crate::rules::Rules;

/// `plan`, resolved.
#[derive(Debug)]
pub(crate) struct PlanOptions {
    /// The data files, or standard input.
    pub inputs: Vec<Input>,
    /// How to read them (profiles, `--only`, `--lenient`, `--redact`, ...).
    pub read: ReadOptions,
    /// The rules file, or the shipped set to choose from.
    pub rules: RulesChoice,
    /// The output format.
    pub format: Format,
    /// A file to write atomically, or standard output.
    pub output: Option<PathBuf>,
    /// Columns of the CSV format; empty for the default set.
    pub columns: Vec<Column>,
    /// Where to write the section summary CSV, if asked.
    pub summary: Option<PathBuf>,
    /// Where to write the letters home, if asked.
    pub letters: Option<PathBuf>,
    /// Whether the output is a terminal.
    pub style: Style,
    /// Draw no progress line.
    pub quiet: bool,
}

impl PlanOptions {
    pub(crate) fn resolve(mut args: PlanArgs, global: &Global) -> Result<Self> {
        let mut applied = Applied::default();
        global.config.rules(&mut args.rules, true, &mut applied);
        let redact = global
            .config
            .redact(args.redact, args.no_redact, &mut applied);
        let format = match args.format {
            Some(FormatArg::Table) => Format::Table,
            Some(FormatArg::Csv) => Format::Csv,
            Some(FormatArg::Json) => Format::Json,
            Some(FormatArg::Markdown) => Format::Markdown,
            Some(FormatArg::Xlsx) => Format::Xlsx,
            Some(FormatArg::Html) => Format::Html,
            None => args
                .output
                .as_deref()
                .and_then(Format::of_extension)
                .unwrap_or(Format::Table),
        };
        if !args.columns.is_empty() && !matches!(format, Format::Csv | Format::Xlsx) {
            return Err(Error::usage(
                "`--columns` applies to `--format csv` and `--format xlsx` only",
            ));
        }
        if format == Format::Xlsx
            && args.output.is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stdout())
        {
            return Err(Error::usage(
                "`--format xlsx` writes a workbook, which a terminal cannot show: write it to a \
                 file with `-o plan.xlsx`",
            ));
        }
        let formulas = match args.csv_formulas {
            CsvFormulasArg::Escape => Formulas::Escape,
            CsvFormulasArg::Keep => Formulas::Keep,
        };
        let style = global.style(args.output.is_none(), formulas);
        let rules = RulesChoice::configured(args.rules, &global.config, applied);
        Ok(PlanOptions {
            inputs: inputs(args.data, &args.input)?,
            read: ReadOptions {
                redact,
                ..ReadOptions::from(&args.input)
            },
            rules,
            format,
            output: args.output,
            columns: args.columns,
            summary: args.summary,
            letters: args.letters,
            style,
            quiet: args.quiet,
        })
    }
}

impl PlanOptions {
    /// `--columns` names built-in columns or the rules' fields.
    pub(crate) fn check_columns(&self, rules: &Rules) -> Result<()> {
        for column in &self.columns {
            if let Column::Field(name) = column
                && !rules.fields.iter().any(|f| &f.name == name)
            {
                let mut known: Vec<&str> = Column::ALL.iter().map(Column::name).collect();
                for field in &rules.fields {
                    if !known.contains(&field.name.as_str()) {
                        known.push(&field.name);
                    }
                }
                let hint = crate::diagnostic::did_you_mean(name, known.iter().copied())
                    .map_or(String::new(), |h| format!("{h} "));
                return Err(Error::usage(format!(
                    "unknown column `{name}`; {hint}the columns are {}",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }
}
