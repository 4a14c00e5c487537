//! The `tierplan` binary: parse the command line, run, map the outcome to an
//! exit code. All work lives in the library.

use std::io::Write;

use clap::Parser;
use tierplan::ExitCode;
use tierplan::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match tierplan::run(cli) {
        Ok(code) => code.into(),
        Err(e) if e.is_broken_pipe() => ExitCode::Success.into(),
        Err(e) => {
            // Messages quote the user's files: no control characters.
            let mut stderr = tierplan::printable::Printable::new(std::io::stderr().lock());
            let _ = if e.is_problems() {
                writeln!(stderr, "{e}")
            } else {
                writeln!(stderr, "error: {e}")
            };
            e.exit_code().into()
        }
    }
}
