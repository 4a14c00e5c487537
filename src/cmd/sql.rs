//! `tierplan sql`: the rules compiled to a query for a warehouse table;
//! glue only (rules and header → `sql::compile` → standard output).

use std::io::Write;

use crate::error::{ExitCode, Result, write_error};
use crate::ingest::Reading;
use crate::options::SqlOptions;
use crate::sql::{self, Target};

pub(crate) fn run(opts: SqlOptions) -> Result<ExitCode> {
    let input = &opts.header_from;
    let rules = opts
        .rules
        .load(std::slice::from_ref(input), &Reading::default())?;
    let header = input.csv()?.header;
    let target = Target {
        dialect: opts.dialect,
        table: &opts.table,
        header: &header,
        header_file: &input.name,
        summary: opts.summary,
    };
    let query = sql::compile(&rules, &target)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{query};").map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
