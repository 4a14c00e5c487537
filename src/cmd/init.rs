//! `tierplan init`: a starter rules file and an example CSV that `plan`
//! runs on as written. Never overwrites a file.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::cli::InitArgs;
use crate::error::{Error, ExitCode, Result, write_error};
use crate::rules::DEFAULT_RULES;

/// The example class written by `init` (also `examples/quiz.csv`).
pub const EXAMPLE_CSV: &str = include_str!("../../examples/quiz.csv");

pub fn run(args: InitArgs) -> Result<ExitCode> {
    let dir = args.dir.as_path();
    let files = [("rules.yaml", DEFAULT_RULES), ("quiz.csv", EXAMPLE_CSV)];
    for (name, _) in files {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::usage(format!(
                "`{}` already exists; tierplan init never overwrites a file (choose another folder)",
                path.display()
            )));
        }
    }
    fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    for (name, text) in files {
        let path = dir.join(name);
        write_new(&path, text)?;
    }
    let shown = |name: &str| dir.join(name).display().to_string();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "wrote {} and {}\nnext: tierplan plan --rules {} {}",
        shown("rules.yaml"),
        shown("quiz.csv"),
        shown("rules.yaml"),
        shown("quiz.csv")
    )
    .map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("create", path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", path, e))
}
