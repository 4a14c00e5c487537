//! Where output goes: standard output, or a file written atomically.
//!
//! A file is written to a temporary file beside it and renamed over it only
//! when everything was written, so a failed run leaves the previous file as
//! it was and never a half-written plan. The temporary file is readable by
//! its owner only (it holds student data), and is removed if the run fails,
//! or is stopped by SIGINT or SIGTERM (see [`temps`]).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::SetAside;
use crate::error::{Error, Result};
use crate::printable::Printable;

/// What reading left out or combined, and every problem set aside, as
/// warnings on standard error: the run went on.
pub(crate) fn warn<'a>(notes: impl Iterator<Item = &'a Diagnostic>, set_aside: &SetAside) {
    let mut stderr = Printable::new(io::stderr().lock());
    for note in notes {
        let warning = Diagnostic {
            severity: Severity::Warning,
            ..note.clone()
        };
        let _ = writeln!(stderr, "{warning}");
    }
    if !set_aside.is_empty() {
        let _ = writeln!(stderr, "{}", set_aside.summary());
    }
}

/// A path made absolute and free of `..` and links where it exists, so two
/// names of one file compare equal.
pub(crate) fn canonical(path: &Path) -> PathBuf {
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

/// Which file a path names: device and inode on Unix (so a hard link or
/// another spelling of an input is the input), its canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    /// The file at `path`, when there is one.
    fn of(path: &Path) -> Option<FileId> {
        let meta = fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            fs::canonicalize(path).ok().map(FileId)
        }
    }
}

/// Every file a run reads (data, rules, blueprint, table files, each file
/// of a roster folder), which `-o` and `--summary` must not replace.
#[derive(Debug, Default)]
pub(crate) struct Protected {
    paths: Vec<PathBuf>,
    ids: Vec<FileId>,
}

impl Protected {
    /// Protect `path`; for a folder (a OneRoster bundle), every file in it.
    pub(crate) fn add(&mut self, path: &Path) {
        if path.is_dir() {
            if let Ok(entries) = fs::read_dir(path) {
                for entry in entries.flatten() {
                    let full = entry.path();
                    if full.is_file() {
                        self.add(&full);
                    }
                }
            }
            return;
        }
        self.paths.push(canonical(path));
        self.ids.extend(FileId::of(path));
    }

    /// Whether writing `path` (canonically `target`) would replace a
    /// protected file.
    fn holds(&self, path: &Path, target: &Path) -> bool {
        self.paths.iter().any(|p| p == target)
            || FileId::of(path).is_some_and(|id| self.ids.contains(&id))
    }
}

impl<'a> FromIterator<&'a Path> for Protected {
    fn from_iter<I: IntoIterator<Item = &'a Path>>(paths: I) -> Self {
        let mut protected = Protected::default();
        for path in paths {
            protected.add(path);
        }
        protected
    }
}

/// Fail when standard output was closed when tierplan started
/// (`tierplan plan quiz.csv >&-`), so the output is not silently lost.
///
/// The Rust runtime reopens a closed standard output on `/dev/null` before
/// `main`, so writes to it succeed and EBADF is never seen. It opens it for
/// reading and writing, while a shell's `>/dev/null` opens it for writing
/// only: standard output that is `/dev/null` and can be read from was closed.
/// (Reading zero bytes checks the access mode without reading anything.) A
/// closed pipe is another matter: that is EPIPE, and a success.
pub(crate) fn stdout_open() -> Result<()> {
    #[cfg(unix)]
    if stdout_was_closed() {
        return Err(Error::io(
            "write",
            "<stdout>",
            io::Error::other("standard output is closed"),
        ));
    }
    Ok(())
}

#[cfg(unix)]
fn stdout_was_closed() -> bool {
    use std::io::Read;
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;

    let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    let mut file = fs::File::from(fd);
    let (Ok(out), Ok(null)) = (file.metadata(), fs::metadata("/dev/null")) else {
        return false;
    };
    out.dev() == null.dev() && out.ino() == null.ino() && file.read(&mut []).is_ok()
}

/// An output being written.
pub(crate) struct Output {
    target: Target,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    /// A device or pipe (`-o /dev/null`): written in place, since renaming
    /// over it would replace the device with a file.
    Special {
        path: PathBuf,
        file: BufWriter<fs::File>,
    },
    File {
        /// Where the file goes (links resolved) and how the user named it.
        path: PathBuf,
        shown: String,
        temp: BufWriter<NamedTempFile>,
        /// Keeps the temporary file's path where a signal finds it.
        _live: temps::Live,
    },
}

impl Output {
    /// Start writing standard output, refusing a closed one (see
    /// [`stdout_open`]).
    pub(crate) fn stdout() -> Result<Self> {
        stdout_open()?;
        Ok(Output {
            target: Target::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
        })
    }

    /// Start writing `path`, refusing to write over any of `protected` (the
    /// files the run reads).
    pub(crate) fn file(path: &Path, protected: &Protected) -> Result<Self> {
        let target = canonical(path);
        if protected.holds(path, &target) {
            return Err(Error::usage(format!(
                "`{}` is one of the files tierplan reads; write the output to another file",
                path.display()
            )));
        }
        if let Ok(meta) = fs::metadata(path)
            && !meta.is_file()
        {
            if meta.is_dir() {
                return Err(Error::usage(format!(
                    "`{}` is a folder; name a file",
                    path.display()
                )));
            }
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io("write", path, e))?;
            return Ok(Output {
                target: Target::Special {
                    path: path.to_owned(),
                    file: BufWriter::new(file),
                },
            });
        }
        let shown = path.display().to_string();
        // Through a symbolic link, replace the file it points to, not the link.
        let path = &target;
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
        let (temp, live) = temps::create(|| {
            tempfile::Builder::new()
                .prefix(".tierplan-")
                .suffix(".tmp")
                .tempfile_in(dir)
        })
        .map_err(|e| Error::io("write", &shown, io::Error::new(e.kind(), e.to_string())))?;
        Ok(Output {
            target: Target::File {
                path: path.to_owned(),
                shown,
                temp: BufWriter::with_capacity(1 << 16, temp),
                _live: live,
            },
        })
    }

    /// The name errors report for this output.
    pub(crate) fn name(&self) -> String {
        match &self.target {
            Target::Stdout(_) => "<stdout>".to_owned(),
            Target::File { shown, .. } => shown.clone(),
            Target::Special { path, .. } => path.display().to_string(),
        }
    }

    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        match &mut self.target {
            Target::Stdout(w) => w,
            Target::File { temp, .. } => temp,
            Target::Special { file, .. } => file,
        }
    }

    /// Finish: flush standard output, or put the file in place.
    pub(crate) fn commit(self) -> Result<()> {
        match self.target {
            Target::Stdout(mut w) => w.flush().map_err(|e| Error::io("write", "<stdout>", e)),
            Target::Special { path, mut file } => {
                file.flush().map_err(|e| Error::io("write", &path, e))
            }
            Target::File {
                path,
                shown,
                temp,
                _live,
            } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| Error::io("write", &shown, e.into_error()))?;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| Error::io("write", &shown, e))?;
                temp.persist(&path)
                    .map_err(|e| Error::io("write", &shown, e.error))?;
                Ok(())
            }
        }
    }
}

/// The temporary files being written, removed when SIGINT or SIGTERM stops
/// the run: they hold student data, and a signal skips every destructor.
///
/// The handler is installed with the first temporary file, so runs that
/// write none keep the default signal behaviour. It runs on a thread of its
/// own (signal-hook's `Signals` iterator), where taking a lock and removing
/// files is safe, unlike in a signal handler proper. It exits with the
/// shell's status for the signal: 130 for SIGINT, 143 for SIGTERM.
mod temps {
    use std::path::PathBuf;
    use std::sync::{Mutex, MutexGuard, PoisonError};

    static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    fn live() -> MutexGuard<'static, Vec<PathBuf>> {
        LIVE.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A temporary file's path in the registry, for as long as it lives.
    pub(super) struct Live(PathBuf);

    /// Create a temporary file with `create` and register it, holding the
    /// registry meanwhile so a signal cannot come between the two.
    pub(super) fn create(
        create: impl FnOnce() -> std::io::Result<tempfile::NamedTempFile>,
    ) -> std::io::Result<(tempfile::NamedTempFile, Live)> {
        install();
        let mut live = live();
        let temp = create()?;
        live.push(temp.path().to_owned());
        let path = temp.path().to_owned();
        Ok((temp, Live(path)))
    }

    impl Drop for Live {
        fn drop(&mut self) {
            let mut live = live();
            if let Some(i) = live.iter().position(|p| *p == self.0) {
                live.swap_remove(i);
            }
        }
    }

    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;

        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // Without a handler, a signal ends the run as it did before.
            let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until exit, so no new temporary file appears.
                    let live = live();
                    for path in live.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    std::process::exit(128 + signal);
                }
            });
        });
    }

    #[cfg(not(unix))]
    fn install() {}
}

/// `note: defaults from `config.yaml`: mastery=70` on standard error, for
/// the outputs that have no header to say it in (issue 13).
pub(crate) fn config_note(config: Option<&crate::rules::Defaulted>) {
    if let Some(config) = config {
        let mut err = crate::printable::Printable::new(std::io::stderr().lock());
        let _ = writeln!(err, "note: {}", config.note());
    }
}
