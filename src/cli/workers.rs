//! The worker threads of a run: one rayon pool of `-j N` threads (all cores when not given).
//! Results are collected in input order, so the output is the same at any count.

use std::num::NonZeroUsize;

use super::error::Error;

/// The pool for `-j N`.
pub(crate) fn pool(threads: Option<NonZeroUsize>) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.map_or(0, NonZeroUsize::get))
        .build()
        .map_err(Error::Threads)
}
