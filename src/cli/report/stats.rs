//! The `--stats` report: a table per rule of hits, lines and bytes dropped, most hits first;
//! then the normalization counts and the totals with throughput.

use std::sync::Arc;
use std::time::Duration;

use thresh::Stats;

use super::{Reporter, RunReport};

/// The table at the end of a run.
pub(crate) struct StatsTable {
    /// What was cleaned: "files" or "records".
    pub(crate) noun: &'static str,
    /// The config file in use, said under the table (`thresh clean` on files), or `None`.
    pub(crate) config: Option<String>,
}

impl Reporter for StatsTable {
    fn finish(&mut self, run: &RunReport<'_>) -> String {
        let mut out = stats_table(
            run.total,
            run.cleaned,
            run.changed,
            run.started.elapsed(),
            self.noun,
        );
        if let Some(config) = &self.config {
            out.push_str(&format!("config: {config}\n"));
        }
        out
    }
}

/// The `--stats` table: per rule, hits, lines and bytes dropped, most hits first; then the
/// normalization counts and the totals with throughput.
fn stats_table(
    total: &Stats,
    files: usize,
    changed: usize,
    elapsed: Duration,
    noun: &str,
) -> String {
    let mut rows: Vec<(&Arc<str>, &thresh::RuleStats)> = total.by_rule.iter().collect();
    rows.sort_by(|a, b| {
        b.1.hits
            .cmp(&a.1.hits)
            .then(b.1.lines.cmp(&a.1.lines))
            .then(a.0.cmp(b.0))
    });
    let mut out = format!("{:>8} {:>8} {:>10}  {}\n", "hits", "lines", "bytes", "rule");
    for (id, r) in &rows {
        out.push_str(&format!(
            "{:>8} {:>8} {:>10}  {id}\n",
            r.hits, r.lines, r.bytes
        ));
    }
    if !total.edits.is_empty() {
        out.push_str(&format!("\n{:>8} {:>19}  {}\n", "lines", "", "changed by"));
        let mut edits: Vec<_> = total.edits.iter().collect();
        edits.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (id, n) in edits {
            out.push_str(&format!("{n:>8} {:>19}  {id}\n", ""));
        }
    }
    let secs = elapsed.as_secs_f64();
    let mb = total.bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    out.push_str(&format!(
        "\n{files} {}{} ({changed} changed), {} of {} lines dropped ({:.1}% of {:.2} MB) in {:.2} s: {:.1} MB/s\n",
        match files {
            1 => noun.strip_suffix('s').unwrap_or(noun),
            _ => noun,
        },
        match total.documents == files {
            true => String::new(),
            false => format!(" ({} documents)", total.documents),
        },
        total.lines_dropped,
        total.lines,
        if total.bytes > 0 {
            100.0 * total.bytes_dropped as f64 / total.bytes as f64
        } else {
            0.0
        },
        mb,
        secs,
        rate
    ));
    out
}
