//! `tierplan init`: a starter rules file, copied from a shipped set
//! (`--from NAME`, the default rules otherwise), and an example CSV that
//! `plan` runs on as written when one ships for that set. Never overwrites
//! a file.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, ExitCode, Result, write_error};
use crate::options::InitOptions;

/// The example class written by `init` (also `examples/quiz.csv`).
pub(crate) const EXAMPLE_CSV: &str = include_str!("../../examples/quiz.csv");
/// The example probes written with the progress rules.
pub(crate) const EXAMPLE_PROBES: &str = include_str!("../../examples/progress.csv");
const LETTERS: [(&str, &str); 2] = [
    ("letters/en.txt", crate::render::letters::template::DEFAULT),
    ("letters/es.txt", include_str!("../../rules/letters/es.txt")),
];

pub(crate) fn run(opts: InitOptions) -> Result<ExitCode> {
    let (dir, set) = (opts.dir.as_path(), opts.set);
    let mut files = vec![("rules.yaml", set.text)];
    let data = match set.name {
        "default" => Some(("quiz.csv", EXAMPLE_CSV)),
        "progress" | "progress-referral" => Some(("progress.csv", EXAMPLE_PROBES)),
        _ => None,
    };
    files.extend(data);
    // The letter templates, to edit and name in the rules' `letters:`.
    files.extend(LETTERS);
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::usage(format!(
                "`{}` already exists; tierplan init never overwrites a file (choose another folder)",
                path.display()
            )));
        }
    }
    let letters = dir.join("letters");
    fs::create_dir_all(&letters).map_err(|e| Error::io("create", &letters, e))?;
    for (name, text) in &files {
        write_new(&dir.join(name), text)?;
    }
    let shown = |name: &str| dir.join(name).display().to_string();
    let mut written: Vec<String> = files.iter().map(|(name, _)| shown(name)).collect();
    let last = written.pop().expect("files were written");
    let data = data.map_or("YOUR_EXPORT.csv".to_owned(), |(name, _)| shown(name));
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "wrote {} and {last}\nnext: tierplan plan --rules {} {data}",
        written.join(", "),
        shown("rules.yaml"),
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
