//! A progress bar for long runs: files, megabytes, throughput and ETA on standard error. It
//! shows only on a terminal, never when `CI` is set or with `-q`, and only once a run has
//! taken more than a second, so quick runs and logs stay clean. Workers count with atomics;
//! the bar's own lock is taken once every few files.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);
/// Files between updates of the bar.
const EVERY: u64 = 16;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
    files: AtomicU64,
    bytes: AtomicU64,
}

impl Progress {
    /// A bar for `total` files, or an inert one when progress should not show.
    pub(crate) fn new(total: usize, quiet: bool) -> Progress {
        let wanted = !quiet && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {pos}/{len} files {msg} ETA {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Counts one file of `bytes` bytes.
    pub(crate) fn file_done(&self, bytes: usize) {
        let Some(bar) = &self.bar else { return };
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.bytes.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
        if !files.is_multiple_of(EVERY) {
            return;
        }
        let elapsed = self.started.elapsed();
        if elapsed < DELAY {
            return;
        }
        if !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let mb = total as f64 / 1e6;
        bar.set_message(format!(
            "{mb:.1} MB, {:.1} MB/s",
            mb / elapsed.as_secs_f64()
        ));
        bar.set_position(files);
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
