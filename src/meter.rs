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

/// The running progress line; it is cleared when dropped.
pub(crate) struct Meter {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Meter {
    /// Start drawing `counter` against `total` bytes, when worth it and on a
    /// terminal; otherwise a meter that draws nothing.
    pub(crate) fn start(counter: &Counter, total: u64, quiet: bool) -> Meter {
        let done = Arc::new(AtomicBool::new(false));
        if quiet || total < MIN_BYTES || !std::io::stderr().is_terminal() {
            return Meter { done, thread: None };
        }
        let (counter, stop) = (counter.clone(), Arc::clone(&done));
        let thread = std::thread::spawn(move || {
            let mb = |b: u64| b / 1_000_000;
            while !stop.load(Ordering::Relaxed) {
                let read = counter.get().min(total);
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r\x1b[2Kplanning: {}% ({} of {} MB read)",
                    read * 100 / total.max(1),
                    mb(read),
                    mb(total)
                );
                let _ = err.flush();
                drop(err);
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        });
        Meter {
            done,
            thread: Some(thread),
        }
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
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
