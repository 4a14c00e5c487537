//! `sql`, resolved: the rules, the dialect and the table's header.

use crate::cli::{DialectArg, SqlArgs};
use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice};
use crate::sql::{Dialect, Form};

/// `sql`, resolved.
#[derive(Debug)]
pub(crate) struct SqlOptions {
    /// The rules file, or the shipped set to choose from.
    pub rules: RulesChoice,
    pub dialect: Dialect,
    /// The table the query reads, as the warehouse names it.
    pub table: String,
    /// The file whose header is the table's columns.
    pub header_from: Input,
    /// `header_from` is a column list (`--columns-from`), one name a line.
    pub header_listed: bool,
    /// The section summary instead of the plan.
    pub summary: bool,
    /// The query alone, as a view or as a dbt model.
    pub form: Form,
}

impl SqlOptions {
    pub(crate) fn resolve(mut args: SqlArgs, global: &Global) -> Result<Self> {
        let header_listed = args.header_from.is_none();
        let mut applied = Applied::default();
        global.config.rules(&mut args.rules, true, &mut applied);
        Ok(SqlOptions {
            rules: RulesChoice::configured(args.rules, &global.config, applied),
            dialect: match args.dialect {
                DialectArg::Duckdb => Dialect::Duckdb,
                DialectArg::Postgres => Dialect::Postgres,
                DialectArg::Spark => Dialect::Spark,
                DialectArg::Bigquery => Dialect::Bigquery,
                DialectArg::Snowflake => Dialect::Snowflake,
            },
            table: args.table,
            header_from: match (args.header_from, args.columns_from) {
                (Some(path), _) => Input::named(path)?,
                (None, Some(path)) => column_list(&path)?,
                (None, None) => return Err(Error::usage("give --header-from or --columns-from")),
            },
            header_listed,
            summary: args.summary,
            form: match (args.view, args.dbt) {
                (Some(name), _) => Form::View(name),
                (None, true) => Form::Dbt,
                (None, false) => Form::Query,
            },
        })
    }
}

/// `--columns-from`: the table's column names, one a line (as `psql -At`
/// or `duckdb -list` prints `information_schema.columns`), as the header
/// of a CSV of its own; empty lines at the end are not columns.
fn column_list(path: &Path) -> Result<Input> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    // A byte-order mark (as some Windows tools write) is not part of a name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut names: Vec<&str> = text.lines().collect();
    while names.last() == Some(&"") {
        names.pop();
    }
    if let Some(blank) = names.iter().position(|name| name.is_empty()) {
        return Err(Error::usage(format!(
            "{}, line {}: an empty line in the column list, which names one column a line",
            path.display(),
            blank + 1
        )));
    }
    let quoted: Vec<String> = names
        .iter()
        .map(|name| format!("\"{}\"", name.replace('"', "\"\"")))
        .collect();
    let header = format!("{}\n", quoted.join(","));
    Ok(Input::memory(
        &path.display().to_string(),
        header.into_bytes(),
    ))
}
