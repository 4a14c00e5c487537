//! `tierplan codes`: what each diagnostic code means, like `rustc --explain`;
//! glue only (the list → `diagnostic::Code`, the page → `render::codes`).

use std::io;

use crate::cli::CodesArgs;
use crate::diagnostic::{Code, did_you_mean};
use crate::error::{Error, ExitCode, Result, write_error};

pub(crate) fn run(args: CodesArgs) -> Result<ExitCode> {
    let one;
    let codes: &[Code] = match args.code.as_deref() {
        None => Code::ALL,
        Some(name) => {
            one = [Code::named(name).ok_or_else(|| unknown(name))?];
            &one
        }
    };
    crate::output::stdout_open()?;
    let mut out = io::stdout().lock();
    let written = if args.markdown {
        crate::render::codes::write_markdown(&mut out, codes)
    } else {
        crate::render::codes::write(&mut out, codes)
    };
    written.map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}

fn unknown(name: &str) -> Error {
    let hint = did_you_mean(name, Code::ALL.iter().map(|c| c.as_str()))
        .unwrap_or_else(|| "`tierplan codes` lists every code".to_owned());
    Error::usage(format!(
        "there is no diagnostic code `{}`; {hint}",
        crate::diagnostic::clip(name)
    ))
}
