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
    /// A bar for `total` units called `noun` (a counter when the total is not known, as for a
    /// stream of records), its line starting with `phase` ("pass 1/2: "); inert when
    /// progress should not show.
    pub(crate) fn with(total: Option<usize>, noun: &str, phase: &str, quiet: bool) -> Progress {
        let wanted = !quiet && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let template = template(total.is_some(), noun, phase);
            let bar = ProgressBar::with_draw_target(
                total.map(|t| t as u64),
                ProgressDrawTarget::hidden(),
            );
            bar.set_style(
                ProgressStyle::with_template(&template)
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
        self.done(1, bytes);
    }

    /// Counts `n` units (files, records) of `bytes` bytes in all.
    pub(crate) fn done(&self, n: u64, bytes: usize) {
        let Some(bar) = &self.bar else { return };
        let before = self.files.fetch_add(n, Ordering::Relaxed);
        let files = before + n;
        let total = self.bytes.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
        if before / EVERY == files / EVERY {
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

/// The bar's indicatif template: with a known total a bar and an ETA, else a counter.
fn template(known_total: bool, noun: &str, phase: &str) -> String {
    if known_total {
        format!(
            "{phase}{{elapsed_precise}} [{{wide_bar}}] {{pos}}/{{len}} {noun} {{msg}} ETA {{eta}}"
        )
    } else {
        format!("{phase}{{elapsed_precise}} {{pos}} {noun} {{msg}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_count_records_and_passes_say_which() {
        let t = template(false, "records", "");
        assert!(t.contains("{pos} records") && !t.contains("ETA"), "{t}");
        let t = template(true, "files", "pass 1/2: ");
        assert!(
            t.starts_with("pass 1/2: ") && t.contains("{pos}/{len} files"),
            "{t}"
        );
        ProgressStyle::with_template(&t).expect("a valid template");
        // Quiet: no bar at all, and counting is a no-op.
        let p = Progress::with(None, "records", "", true);
        assert!(p.bar.is_none());
        p.done(10, 100);
        p.finish();
    }
}
