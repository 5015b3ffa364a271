//! The work on one file, done by the workers: read, decode, clean, write where the sink wants
//! it, and note what the reports need. Workers return data and print nothing; files are
//! cleaned a chunk at a time, their results in input order.

use rayon::prelude::*;
use regex::Regex;
use thresh::{CorpusStats, Pipeline, Stats};

use super::sink::Sink;
use crate::cli::error::Error;
use crate::cli::input::Input;
use crate::cli::progress::Progress;
use crate::cli::report::{self, Detail};

/// Which report details the workers build.
#[derive(Debug, Clone, Copy)]
pub(super) struct Want {
    pub(super) dropped: bool,
    pub(super) diff: bool,
    /// What changes besides dropped lines (the GitHub report).
    pub(super) form: bool,
}

/// What every worker needs to clean a file.
pub(super) struct Job<'a> {
    pub(super) pipeline: &'a Pipeline,
    pub(super) sink: &'a Sink,
    pub(super) corpus: Option<&'a CorpusStats>,
    pub(super) want: Want,
    pub(super) encoding: Option<&'a str>,
    /// `--split-on`: files hold several documents, split at the lines this matches.
    pub(super) split: Option<&'a Regex>,
}

/// What happened to one file that was cleaned.
pub(super) struct FileResult {
    pub(super) stats: Option<Stats>,
    pub(super) changed: bool,
    pub(super) detail: Detail,
    /// The cleaned text, for [`Sink::Stdout`].
    pub(super) text: Option<String>,
    /// A note for the user about the file (an encoding read by fallback).
    pub(super) note: Option<&'static str>,
    /// What changes in the file besides dropped lines, for people (empty: nothing).
    pub(super) form: Vec<String>,
}

impl Job<'_> {
    /// Cleans `chunk` in parallel on `pool`: the result of each file in input order, and
    /// their statistics added up. Each file's own statistics are kept only with `per_file`.
    pub(super) fn clean_chunk(
        &self,
        pool: &rayon::ThreadPool,
        chunk: &[Input],
        progress: &Progress,
        per_file: bool,
    ) -> (Vec<Result<FileResult, Error>>, Stats) {
        pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let r = self.clean(input);
                    let bytes = r.as_ref().ok().and_then(|r| r.stats.as_ref());
                    progress.file_done(bytes.map_or(0, |s| s.bytes));
                    r
                })
                .fold(
                    || (Vec::new(), Stats::default()),
                    |(mut results, mut total), mut r| {
                        if let Ok(r) = &mut r {
                            if let Some(s) = &r.stats {
                                total += s;
                            }
                            if !per_file {
                                r.stats = None;
                            }
                        }
                        results.push(r);
                        (results, total)
                    },
                )
                .reduce(
                    || (Vec::new(), Stats::default()),
                    |(mut a, mut ta), (b, tb)| {
                        a.extend(b);
                        ta += &tb;
                        (a, ta)
                    },
                )
        })
    }

    /// Cleans one file.
    fn clean(&self, input: &Input) -> Result<FileResult, Error> {
        let (pipeline, want) = (self.pipeline, self.want);
        let bytes = input.read().map_err(Error::Read)?;
        let (text, used) =
            thresh::repair::decode_bytes(&bytes, self.encoding).map_err(Error::Decode)?;
        let note = (used.source == thresh::repair::EncodingSource::Fallback).then_some(
            "not UTF-8: read as windows-1252, which decodes it cleanly \
             (pass --encoding NAME to choose another)",
        );
        // Without per-line reports, a dump of many documents is cleaned in batches that are
        // let go as they are written out.
        if let Some(sep) = self.split
            && !want.dropped
            && !want.diff
        {
            let (out, stats) = pipeline.clean_documents_text(&text, sep, self.corpus);
            return self
                .finish(input, &bytes, out, stats, Detail::default())
                .map(|r| FileResult { note, ..r });
        }
        let docs = pipeline.clean_documents(&text, self.split, self.corpus);
        let out = docs.text();
        let detail = report::detail(
            &docs,
            &text,
            &input.name(),
            want.dropped,
            want.diff,
            bytes.starts_with(b"\xEF\xBB\xBF"),
        );
        let stats = docs.stats();
        docs.free();
        self.finish(input, &bytes, out, stats, detail)
            .map(|r| FileResult { note, ..r })
    }

    /// Writes a cleaned file where the sink wants it, and gives its result.
    fn finish(
        &self,
        input: &Input,
        bytes: &[u8],
        out: String,
        stats: Stats,
        detail: Detail,
    ) -> Result<FileResult, Error> {
        let changed = out.as_bytes() != bytes;
        self.sink.write(input, &out, changed)?;
        let form = if changed && self.want.form {
            form_changes(bytes, &out, &stats)
        } else {
            Vec::new()
        };
        Ok(FileResult {
            stats: Some(stats),
            changed,
            detail,
            form,
            text: (*self.sink == Sink::Stdout).then_some(out),
            note: None,
        })
    }
}

/// What cleaning changes in a file besides dropping lines: its encoding, byte-order mark and
/// line endings, and the lines each normalizer or rule edited.
fn form_changes(bytes: &[u8], out: &str, stats: &Stats) -> Vec<String> {
    let mut what = Vec::new();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF");
    if body.is_some() {
        what.push("the byte-order mark is removed".to_string());
    }
    if std::str::from_utf8(body.unwrap_or(bytes)).is_err() {
        what.push("the text is re-encoded as UTF-8".to_string());
    }
    if memchr::memchr(b'\r', bytes).is_some() {
        what.push("CRLF or CR line endings become LF".to_string());
    }
    for (id, n) in &stats.edits {
        what.push(format!(
            "{id} edits {n} line{}",
            if *n == 1 { "" } else { "s" }
        ));
    }
    if what.is_empty() && stats.lines_dropped == 0 {
        let trimmed = |b: &[u8]| {
            b.iter()
                .rposition(|c| !c.is_ascii_whitespace())
                .map(|k| k + 1)
        };
        what.push(if trimmed(bytes) == trimmed(out.as_bytes()) {
            "the final newline changes".to_string()
        } else {
            "blank lines or white space change".to_string()
        });
    }
    what
}
