//! A progress line on standard error for long runs: the share of the input
//! read so far, redrawn a few times a second. It only ever appears on a
//! terminal, for inputs over [`MIN_BYTES`], and never with `--quiet`; it
//! writes nothing to standard output and nothing about students.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Inputs smaller than this finish before a progress line would help.
pub(crate) const MIN_BYTES: u64 = 50_000_000;

/// Counts bytes read, shared by every reader of a run.
#[derive(Debug, Clone, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A reader that counts what it reads.
pub(crate) struct Counted<R> {
    pub inner: R,
    pub counter: Counter,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.add(n as u64);
        Ok(n)
    }
}

/// Where a run is: which of the two passes over the input (sections, then
/// decisions), and how many bytes of that pass were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Progress {
    /// The bytes of the input, counted once.
    pub size: u64,
    /// Bytes read so far, both passes together.
    pub read: u64,
    /// `read` when the second pass began; `None` during the first.
    pub second_from: Option<u64>,
    /// The run is done: the line ends at 100%.
    pub finished: bool,
}

impl Progress {
    /// The pass (1 or 2) and the share of the whole run done, in percent:
    /// the first pass is 0 to 50%, the second 50 to 100%, each counting
    /// the input's bytes once (a pass that reads a few bytes twice, a
    /// header, stops at its end).
    pub(crate) fn percent(&self) -> (u8, u64) {
        if self.finished {
            return (2, 100);
        }
        let size = self.size.max(1);
        let half = |bytes: u64| bytes.min(size).saturating_mul(50) / size;
        match self.second_from {
            None => (1, half(self.read)),
            Some(from) => (2, 50 + half(self.read.saturating_sub(from))),
        }
    }

    /// `planning: 75% (deciding, 60 of 120 MB)`.
    pub(crate) fn line(&self) -> String {
        let (pass, percent) = self.percent();
        let size = self.size.max(1);
        let in_pass = match (self.finished, self.second_from) {
            (true, _) => size,
            (false, None) => self.read.min(size),
            (false, Some(from)) => self.read.saturating_sub(from).min(size),
        };
        let what = if pass == 1 {
            "reading sections"
        } else {
            "deciding"
        };
        format!(
            "planning: {percent}% ({what}, {} of {} MB)",
            in_pass / 1_000_000,
            self.size / 1_000_000
        )
    }
}

/// What the drawing thread and the run share.
#[derive(Debug, Default)]
struct Shared {
    /// Stop drawing and clear the line.
    done: AtomicBool,
    /// The run finished: draw 100% before clearing.
    finished: AtomicBool,
    /// The counter when the second pass began, plus one (0: not yet).
    second_from: AtomicU64,
}

/// The running progress line; it is cleared when dropped.
pub(crate) struct Meter {
    shared: Arc<Shared>,
    counter: Counter,
    thread: Option<JoinHandle<()>>,
}

impl Meter {
    /// Start drawing `counter` against an input of `size` bytes (read
    /// twice, once a pass), when worth it and on a terminal; otherwise a
    /// meter that draws nothing.
    pub(crate) fn start(counter: &Counter, size: u64, quiet: bool) -> Meter {
        let shared = Arc::new(Shared::default());
        let meter = |thread| Meter {
            shared: Arc::clone(&shared),
            counter: counter.clone(),
            thread,
        };
        if quiet || size < MIN_BYTES || !std::io::stderr().is_terminal() {
            return meter(None);
        }
        let (counter, state) = (counter.clone(), Arc::clone(&shared));
        let thread = std::thread::spawn(move || {
            let progress = || Progress {
                size,
                read: counter.get(),
                second_from: state.second_from.load(Ordering::Relaxed).checked_sub(1),
                finished: state.finished.load(Ordering::Relaxed),
            };
            let draw = |p: Progress| {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{}", p.line());
                let _ = err.flush();
            };
            while !state.done.load(Ordering::Relaxed) {
                draw(progress());
                std::thread::sleep(Duration::from_millis(200));
            }
            if state.finished.load(Ordering::Relaxed) {
                draw(progress());
            }
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        });
        meter(Some(thread))
    }

    /// The first pass (the sections) is done; the second (deciding) begins.
    pub(crate) fn second_pass(&self) {
        let now = self.counter.get();
        self.shared.second_from.store(now + 1, Ordering::Relaxed);
    }

    /// The run is done: the line shows 100%, then is cleared.
    pub(crate) fn finish(self) {
        self.shared.finished.store(true, Ordering::Relaxed);
    }
}

impl Meter {
    /// Whether a line is drawn (and readers need to count).
    pub(crate) fn drawing(&self) -> bool {
        self.thread.is_some()
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        self.shared.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(read: u64, second_from: Option<u64>) -> Progress {
        Progress {
            size: 200_000_000,
            read,
            second_from,
            finished: false,
        }
    }

    #[test]
    fn the_first_pass_is_the_first_half() {
        assert_eq!(at(0, None).percent(), (1, 0));
        assert_eq!(at(100_000_000, None).percent(), (1, 25));
        assert_eq!(at(200_000_000, None).percent(), (1, 50));
        // A header read twice does not carry the pass past its half.
        assert_eq!(at(200_000_100, None).percent(), (1, 50));
    }

    #[test]
    fn the_second_pass_counts_the_file_again_from_half_way() {
        // The first pass may stop short of the end; the second starts at 50%.
        assert_eq!(at(190_000_000, Some(190_000_000)).percent(), (2, 50));
        assert_eq!(at(290_000_000, Some(190_000_000)).percent(), (2, 75));
        assert_eq!(at(400_000_000, Some(200_000_000)).percent(), (2, 100));
        assert_eq!(at(450_000_000, Some(200_000_000)).percent(), (2, 100));
    }

    #[test]
    fn a_finished_run_ends_at_exactly_100_percent() {
        // Bytes the counter never saw (a pass that skipped a tail) do not
        // leave the last line short of 100%.
        let p = Progress {
            finished: true,
            ..at(350_000_000, Some(200_000_000))
        };
        assert_eq!(p.percent(), (2, 100));
        assert_eq!(p.line(), "planning: 100% (deciding, 200 of 200 MB)");
    }

    #[test]
    fn the_line_counts_the_file_once() {
        assert_eq!(
            at(100_000_000, None).line(),
            "planning: 25% (reading sections, 100 of 200 MB)"
        );
        assert_eq!(
            at(300_000_000, Some(200_000_000)).line(),
            "planning: 75% (deciding, 100 of 200 MB)"
        );
    }

    #[test]
    fn an_empty_input_does_not_divide_by_zero() {
        let p = Progress {
            size: 0,
            read: 0,
            second_from: None,
            finished: false,
        };
        assert_eq!(p.percent(), (1, 0));
    }
}
