//! `tierplan sql`: the rules compiled to a query for a warehouse table;
//! glue only (rules and header → `sql::compile` → standard output).

use std::io::Write;

use crate::cli::{DialectArg, SqlArgs};
use crate::error::{ExitCode, Result, write_error};
use crate::ingest::{Input, Reading};
use crate::options::config::Applied;
use crate::options::{Global, RulesChoice};
use crate::sql::{self, Dialect, Target};

pub(crate) fn run(mut args: SqlArgs, global: &Global) -> Result<ExitCode> {
    let mut applied = Applied::default();
    global.config.rules(&mut args.rules, true, &mut applied);
    let mut choice = RulesChoice::from(args.rules);
    choice.config = global.config.note(&applied);
    choice.config_set = applied.set_at;
    let input = Input::named(args.header_from)?;
    let rules = choice.load(std::slice::from_ref(&input), &Reading::default())?;
    let header = input.csv()?.header;
    let target = Target {
        dialect: match args.dialect {
            DialectArg::Duckdb => Dialect::Duckdb,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Spark => Dialect::Spark,
        },
        table: &args.table,
        header: &header,
        header_file: &input.name,
        summary: args.summary,
    };
    let query = sql::compile(&rules, &target)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{query};").map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
