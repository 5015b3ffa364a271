//! Reports: what `thresh clean` says about the files it cleaned, in the formats users ask for.
//! Workers build a [`Detail`] per file (only what a report needs); the command hands each
//! file's [`FileReport`] to its [`Reporter`]s in input order and prints what they give, so
//! reports are the same at any thread count.
//!
//! - text: `would change: PATH` lines with `--check`, and the summary line;
//! - json: one document (schema: docs/report-schema.json);
//! - github: workflow annotations, one per dropped line or block;
//! - diff: unified diffs with `--diff`;
//! - stats: the `--stats` table per rule, sorted by hits.

pub(crate) mod diff;
pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod paint;
pub(crate) mod stats;
pub(crate) mod text;

use std::sync::Arc;
use std::time::Instant;

use schemars::JsonSchema;
use serde::Serialize;
use thresh::{Documents, Stats};

use self::diff::Diff;
use self::github::Github;
use self::json::Json;
pub(crate) use self::paint::Paint;
use self::stats::StatsTable;
use self::text::Text;
use super::args::Format;

/// A report in one format: it sees every cleaned file in input order, then the run's end.
pub(crate) trait Reporter {
    /// What to print for `file` as soon as it is cleaned (nothing by default).
    fn file(&mut self, _file: &FileReport) -> String {
        String::new()
    }

    /// What to print once every file is cleaned (nothing by default).
    fn finish(&mut self, _run: &RunReport<'_>) -> String {
        String::new()
    }
}

/// The reporters of a run, in the order they print: the one of `--format` (text lists the
/// files that would change when `list_changes`), the diffs with `diff`, and with `stats`
/// (`--stats`) the table, unless the JSON report holds the statistics itself.
pub(crate) fn reporters(
    format: Format,
    list_changes: bool,
    diff: Option<Paint>,
    stats: Option<StatsTable>,
) -> Vec<Box<dyn Reporter>> {
    let mut list: Vec<Box<dyn Reporter>> = vec![match format {
        Format::Text => Box::new(Text { list: list_changes }),
        Format::Json => Box::new(Json::new(stats.is_some())),
        Format::Github => Box::new(Github::default()),
    }];
    if let Some(paint) = diff {
        list.push(Box::new(Diff { paint }));
    }
    if let Some(table) = stats
        && format != Format::Json
    {
        list.push(Box::new(table));
    }
    list
}

/// One cleaned file (with --jsonl, one record), as the reports see it.
pub(crate) struct FileReport {
    /// As given or found by walking; `<stdin>` for standard input; with --jsonl, `IN:LINE`.
    pub(crate) name: String,
    /// The cleaned text differs from the input bytes.
    pub(crate) changed: bool,
    /// Its statistics, where a report lists files.
    pub(crate) stats: Option<Stats>,
    pub(crate) detail: Detail,
    /// What changes in it besides dropped lines, for people (the GitHub report).
    pub(crate) form: Vec<String>,
}

/// The end of a run, as the reports see it.
pub(crate) struct RunReport<'a> {
    pub(crate) total: &'a Stats,
    /// Files (with --jsonl: records) cleaned.
    pub(crate) cleaned: usize,
    /// Of them, those that changed.
    pub(crate) changed: usize,
    /// The files that failed, each with what went wrong.
    pub(crate) errors: &'a [(String, String)],
    /// When reading, cleaning and writing began.
    pub(crate) started: Instant,
}

/// A non-blank line that was dropped.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct DroppedLine {
    /// 1-based line number.
    #[schemars(range(min = 1))]
    pub(crate) line: usize,
    /// Byte offset where the line starts in the file (after a byte-order mark, if any).
    pub(crate) start: usize,
    /// Byte offset where the line ends, without its line break.
    pub(crate) end: usize,
    /// Rule, heuristic or model id, e.g. ads/label, heuristic/footer-zone or model/line
    /// (whose reason gives its probability and weightiest features).
    #[serde(serialize_with = "str_of")]
    #[schemars(with = "String")]
    pub(crate) rule: Arc<str>,
    /// Why, for people.
    #[serde(serialize_with = "str_of")]
    #[schemars(with = "String")]
    pub(crate) reason: Arc<str>,
    /// First line of the hit this line belongs to (a block, a tail, a run).
    #[schemars(range(min = 1))]
    pub(crate) event: usize,
    /// The line as it was in the input.
    pub(crate) text: String,
}

fn str_of<S: serde::Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// What a report needs to know about one file beyond its stats.
#[derive(Debug, Clone, Default)]
pub(crate) struct Detail {
    pub(crate) dropped: Vec<DroppedLine>,
    pub(crate) diff: Option<String>,
}

/// Builds the detail of one cleaned file: the dropped lines (for json and github) and the
/// diff (for `--diff`). `label` names the file in the diff headers; `bom`: the file started
/// with a byte-order mark.
pub(crate) fn detail(
    docs: &Documents<'_>,
    input: &str,
    label: &str,
    dropped: bool,
    diff: bool,
    bom: bool,
) -> Detail {
    let dropped = if dropped {
        docs.outcomes()
            .flat_map(|outcome| outcome.dropped().map(move |l| (outcome, l)))
            .filter(|(_, l)| !l.is_blank())
            .map(|(outcome, l)| {
                let d = l.verdict.dropped().expect("a dropped line");
                DroppedLine {
                    line: l.number,
                    start: l.span.start,
                    end: l.span.end,
                    rule: Arc::clone(&d.by),
                    reason: Arc::clone(&d.reason),
                    event: d.event,
                    // A piece of a line that a repair split holds only part of the input line.
                    text: if outcome.lines_numbered(l.number) > 1 {
                        l.text.to_string()
                    } else {
                        input[l.span.clone()].to_string()
                    },
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Detail {
        dropped,
        diff: diff.then(|| diff::unified_diff(docs, input, label, bom)),
    }
}
