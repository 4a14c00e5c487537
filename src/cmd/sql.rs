//! `tierplan sql`: the rules compiled to a query for a warehouse table;
//! glue only (rules and header → `sql::compile`, as a query, a view or a
//! dbt model → standard output).

use std::io::Write;

use crate::error::{ExitCode, Result, write_error};
use crate::ingest::Reading;
use crate::options::SqlOptions;
use crate::sql::{self, Target, form};

pub(crate) fn run(opts: SqlOptions) -> Result<ExitCode> {
    let input = &opts.header_from;
    let rules = opts
        .rules
        .load(std::slice::from_ref(input), &Reading::default())?;
    let header = input.csv()?.header;
    let table = form::relation(opts.dialect, &opts.table, &opts.form)?;
    let target = Target {
        dialect: opts.dialect,
        table: &table,
        header: &header,
        header_file: &input.name,
        header_listed: opts.header_listed,
        summary: opts.summary,
    };
    let query = form::finish(opts.dialect, &sql::compile(&rules, &target)?, &opts.form)?;
    let mut out = std::io::stdout().lock();
    out.write_all(query.as_bytes())
        .map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
