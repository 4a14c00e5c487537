//! `tierplan profiles`: the exports tierplan recognises, the headers each
//! is known by, and the rules file that goes with it.

use std::io::{self, Write};

use crate::error::{ExitCode, Result, write_error};
use crate::ingest::profile;
use crate::rules::shipped;

pub fn run() -> Result<ExitCode> {
    let profiles = profile::built_in()?;
    crate::output::stdout_open()?;
    let mut out = io::stdout().lock();
    let write = |out: &mut io::StdoutLock<'_>| -> io::Result<()> {
        for p in &profiles {
            writeln!(out, "{}  {}", p.name, p.label)?;
            writeln!(out, "    recognised by: {}", p.headers().join(", "))?;
            if let Some(set) = p.rules.as_deref().and_then(shipped::find) {
                writeln!(
                    out,
                    "    rules: `{}`, built in and used by themselves (`tierplan init --from {}` copies them)",
                    set.name, set.name
                )?;
            }
        }
        writeln!(
            out,
            "\nA file is read with the first profile whose headers it has; `--profile NAME` chooses one,\n`--profile none` reads the file as plain CSV. `--rules FILE|NAME` plans with other rules."
        )?;
        out.flush()
    };
    write(&mut out).map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
