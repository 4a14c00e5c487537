//! `tierplan profiles`: the exports tierplan recognises, the headers each
//! is known by, and the rules file that goes with it; glue only (the
//! profiles → `render::profiles`).

use std::io;

use crate::error::{ExitCode, Result, write_error};
use crate::ingest::profile;

pub(crate) fn run() -> Result<ExitCode> {
    let profiles = profile::built_in()?;
    crate::output::stdout_open()?;
    let mut out = io::stdout().lock();
    crate::render::profiles::write(&mut out, &profiles).map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
