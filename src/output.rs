//! Where output goes: standard output, or a file written atomically.
//!
//! A file is written to a temporary file beside it and renamed over it only
//! when everything was written, so a failed run leaves the previous file as
//! it was and never a half-written plan. The temporary file is readable by
//! its owner only (it holds student data), and is removed if the run fails.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// A path made absolute and free of `..` and links where it exists, so two
/// names of one file compare equal.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            fs::canonicalize(parent).map_or_else(|_| path.to_owned(), |p| p.join(name))
        }
        _ => path.to_owned(),
    }
}

/// An output being written.
pub struct Output {
    target: Target,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    File {
        path: PathBuf,
        temp: BufWriter<NamedTempFile>,
    },
}

impl Output {
    pub fn stdout() -> Self {
        Output {
            target: Target::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
        }
    }

    /// Start writing `path`, refusing to write over any of `protected` (the
    /// data and rules files of the run).
    pub fn file(path: &Path, protected: &[&Path]) -> Result<Self> {
        let target = canonical(path);
        if protected.iter().any(|p| canonical(p) == target) {
            return Err(Error::usage(format!(
                "`{}` is one of the files tierplan reads; write the output to another file",
                path.display()
            )));
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "cannot write `{}`: the folder `{}` does not exist",
                path.display(),
                dir.display()
            )));
        }
        let temp = tempfile::Builder::new()
            .prefix(".tierplan-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io("write", path, io::Error::new(e.kind(), e.to_string())))?;
        Ok(Output {
            target: Target::File {
                path: path.to_owned(),
                temp: BufWriter::with_capacity(1 << 16, temp),
            },
        })
    }

    /// The name errors report for this output.
    pub fn name(&self) -> String {
        match &self.target {
            Target::Stdout(_) => "<stdout>".to_owned(),
            Target::File { path, .. } => path.display().to_string(),
        }
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.target {
            Target::Stdout(w) => w,
            Target::File { temp, .. } => temp,
        }
    }

    /// Finish: flush standard output, or put the file in place.
    pub fn commit(self) -> Result<()> {
        match self.target {
            Target::Stdout(mut w) => w.flush().map_err(|e| Error::io("write", "<stdout>", e)),
            Target::File { path, temp } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| Error::io("write", &path, e.into_error()))?;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| Error::io("write", &path, e))?;
                temp.persist(&path)
                    .map_err(|e| Error::io("write", &path, e.error))?;
                Ok(())
            }
        }
    }
}
