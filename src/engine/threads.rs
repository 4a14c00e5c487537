//! The engine's threads: at most [`MAX_THREADS`] at once, with results in
//! index order whatever ran where ([`bounded`]), and the decide pass fanned
//! out over the chunks of the input ([`Run::fan_out`]). A thread that
//! panics is a bug in tierplan, reported as [`Error::Internal`].

use crate::engine::{Run, Student};
use crate::error::{Error, Result};

/// Most threads used: the work is reading, and a third thread does not pay
/// on the two-core machines schools have.
pub(super) const MAX_THREADS: usize = 4;

/// `f(0)`, …, `f(count - 1)` on at most [`MAX_THREADS`] threads at once (a
/// thread per input would fail to start with hundreds of files), each
/// thread taking the next index when it is done. The results are in index
/// order, so what runs on which thread never shows; `None` for a call whose
/// thread panicked.
pub(crate) fn bounded<R: Send>(count: usize, f: impl Fn(usize) -> R + Sync) -> Vec<Option<R>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..count.min(MAX_THREADS))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            break done;
                        }
                        done.push((i, f(i)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, result) in worker.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    results
}

impl Run<'_> {
    /// Decide every student, chunk 0 on this thread and the later chunks on
    /// at most [`MAX_THREADS`] others: `first` is handed chunk 0's students
    /// in order, while `later(chunk)` decides the students of one later
    /// chunk (with [`Run::for_each_in`]) into what it returns. The later
    /// results are in chunk order, so what ran on which thread never shows;
    /// chunk 0's error, if any, is the one returned, once every thread is
    /// done.
    pub fn fan_out<R: Send>(
        &self,
        first: impl FnMut(&Student<'_>) -> Result<()>,
        later: impl Fn(usize) -> Result<R> + Sync,
    ) -> Result<Vec<Result<R>>> {
        let count = self.chunk_count();
        if count < 2 {
            self.for_each(first)?;
            return Ok(Vec::new());
        }
        let failed = || Err(Error::internal("a planning thread failed"));
        std::thread::scope(|scope| {
            let later = &later;
            let threads = scope.spawn(move || bounded(count - 1, |i| later(i + 1)));
            let first = self.for_each_in(0, first);
            let later = match threads.join() {
                Ok(later) => later
                    .into_iter()
                    .map(|r| r.unwrap_or_else(failed))
                    .collect(),
                Err(_) => vec![failed()],
            };
            first.map(|()| later)
        })
    }
}
