//! `tierplan config`: where the defaults file was looked for, which one is
//! used and the defaults it sets; glue only (`options::config` decides).

use std::io::Write;

use crate::cli::ConfigArgs;
use crate::error::{ExitCode, Result, write_error};
use crate::options::Global;
use crate::printable::Printable;

pub(crate) fn run(global: &Global, args: &ConfigArgs) -> Result<ExitCode> {
    let config = &global.config;
    crate::output::stdout_open()?;
    // Paths come from the environment: no control characters.
    let mut out = Printable::new(std::io::stdout().lock());
    if args.path {
        let Some(path) = &config.path else {
            return Ok(ExitCode::Problems);
        };
        writeln!(out, "{}", path.display()).map_err(write_error("<stdout>"))?;
        return Ok(ExitCode::Success);
    }
    out.write_all(config.describe().as_bytes())
        .and_then(|()| out.flush())
        .map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
