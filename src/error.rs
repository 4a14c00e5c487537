//! The one error type of the library, and the exit codes it maps to.
//!
//! Problems in the rules or the data are [`Diagnostic`]s with a location;
//! problems with the command line or the file system are usage errors; an
//! internal invariant that does not hold (a reading thread that panicked) is
//! [`Error::Internal`], a bug in tierplan, with its own exit code. The
//! binary turns an [`Error`] into a message on standard error and an
//! [`ExitCode`]; nothing below `cmd/` prints.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// The documented exit codes (see `tierplan --help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The command did what was asked.
    Success = 0,
    /// The rules or the data have problems; each was printed with its place.
    Problems = 1,
    /// The command line was wrong, or a file could not be read or written.
    Usage = 2,
    /// A bug in tierplan ([`Error::Internal`]): nothing the user did. 70 is
    /// `EX_SOFTWARE` of BSD's `sysexits.h`, "internal software error": far
    /// from 1 and 2, which scripts test for (and clap's usage errors exit
    /// 2), and below the 126 to 165 a shell uses for a command it cannot
    /// run or a signal.
    Internal = 70,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the rules or the data, all found in one pass where
    /// possible.
    #[error("{}", render(.0))]
    Problems(Vec<Diagnostic>),

    /// A file that could not be opened, read or written.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    /// The command line asks for something that cannot be done.
    #[error("{message}")]
    Usage { message: String },

    /// An internal invariant that does not hold: a bug in tierplan, never
    /// the user's doing, so it is not a usage error.
    #[error("a bug in tierplan: {message}; please report it with the command that caused it")]
    Internal { message: String },

    /// An error of a command whose exit status 1 means something else
    /// (`diff --exit-code`: the plans differ), so that any error exits 2.
    #[error("{0}")]
    Failed(Box<Error>),
}

impl Error {
    pub fn problem(diagnostic: Diagnostic) -> Self {
        Error::Problems(vec![diagnostic])
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
        }
    }

    /// A bug in tierplan: `message` says which invariant failed.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Problems(_) => ExitCode::Problems,
            Error::Internal { .. } => ExitCode::Internal,
            // A bug is a bug whatever the command's status 1 means.
            Error::Failed(inner) if matches!(**inner, Error::Internal { .. }) => ExitCode::Internal,
            Error::Io { .. } | Error::Usage { .. } | Error::Failed(_) => ExitCode::Usage,
        }
    }

    /// Whether the error is problems in the rules or the data, which print
    /// as diagnostics (each with its own `error:`).
    pub fn is_problems(&self) -> bool {
        match self {
            Error::Problems(_) => true,
            Error::Failed(inner) => inner.is_problems(),
            _ => false,
        }
    }

    /// True when the error is a closed pipe on output (`tierplan plan | head`),
    /// which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Io { source, .. } => source.kind() == io::ErrorKind::BrokenPipe,
            Error::Failed(inner) => inner.is_broken_pipe(),
            _ => false,
        }
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&d.to_string());
    }
    out
}

/// Writing to standard output or a file failed.
pub(crate) fn write_error(path: &str) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::io("write", path, source)
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for ExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", *self as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bug_has_its_own_exit_code() {
        let bug = Error::internal("a reading thread failed");
        assert_eq!(bug.exit_code(), ExitCode::Internal);
        assert_eq!(ExitCode::Internal as u8, 70);
        assert_eq!(
            bug.to_string(),
            "a bug in tierplan: a reading thread failed; please report it with the command that caused it"
        );
        // `diff` makes every error exit 2, but a bug stays a bug.
        assert_eq!(
            Error::Failed(Box::new(Error::internal("x"))).exit_code(),
            ExitCode::Internal
        );
        assert_eq!(
            Error::Failed(Box::new(Error::usage("x"))).exit_code(),
            ExitCode::Usage
        );
        assert_eq!(Error::usage("x").exit_code(), ExitCode::Usage);
    }
}
