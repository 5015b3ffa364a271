//! Corpus mode's shared steps: pass 1 over files (in how many documents each line occurs),
//! for `clean --corpus` and `corpus-stats`; and reading a table made by `corpus-stats` for
//! `clean --corpus-stats` and `explain --corpus-stats`.

use std::path::Path;

use rayon::prelude::*;
use regex::Regex;
use thresh::corpus::table::TableReader;
use thresh::{CorpusStats, DocumentKeys, Pipeline};

use super::error;
use super::error::{Error, Failures};
use super::input::{Input, decode, is_stdin};
use super::progress::Progress;
use super::stream::open_sniffed;

/// The outcome of pass 1.
pub(crate) struct Counted {
    pub(crate) stats: CorpusStats,
    /// Documents read (identical ones included).
    pub(crate) read: usize,
    /// Inputs that could not be read or decoded, with the reason.
    pub(crate) errors: Failures,
    /// Bad records skipped (`--skip-bad`): the run still exits 2.
    pub(crate) skipped: usize,
}

/// Pass 1 over files: the line counts of every input, the number of documents read, and the
/// inputs that could not be read or decoded (left out of the counts). Files are read in
/// parallel, a chunk at a time, and added in input order, so identical files are counted
/// once whatever the thread count, and memory holds one chunk of key lists at most.
pub(crate) fn count_files(
    pipeline: &Pipeline,
    inputs: &[Input],
    encoding: Option<&str>,
    split: Option<&Regex>,
    progress: &Progress,
) -> Counted {
    const CHUNK: usize = 4096;
    let mut stats = CorpusStats::new();
    let mut read = 0;
    let mut errors = Vec::new();
    for chunk in inputs.chunks(CHUNK) {
        let keys: Vec<Result<Vec<DocumentKeys>, Error>> = chunk
            .par_iter()
            .map(|input| {
                let bytes = input.read().map_err(Error::Read)?;
                progress.file_done(bytes.len());
                let text = decode(&bytes, encoding)?;
                Ok(match split {
                    Some(sep) => thresh::documents::segments(&text, sep)
                        .par_iter()
                        .filter(|s| !s.separator)
                        .map(|s| pipeline.keys(&text[s.range.clone()]))
                        .collect(),
                    None => vec![pipeline.keys(&text)],
                })
            })
            .collect();
        for (input, k) in chunk.iter().zip(keys) {
            match k {
                Ok(docs) => {
                    read += docs.len();
                    for k in &docs {
                        stats.add(k);
                    }
                }
                Err(e) => errors.push((input.name(), e.to_string())),
            }
        }
    }
    Counted {
        stats,
        read,
        errors,
        skipped: 0,
    }
}

/// Reads `--corpus-stats FILE` for cleaning with `pipeline`: its settings must match the
/// pipeline's. A note is printed (unless `quiet`) when the table overcounts.
pub(crate) fn load_table(
    path: &Path,
    pipeline: &Pipeline,
    quiet: bool,
) -> Result<CorpusStats, Error> {
    let name = path.display();
    if is_stdin(path) {
        return Err(Error::Usage(
            "--corpus-stats -: the table must be a file (standard input carries the text)".into(),
        ));
    }
    let r = open_sniffed(path).map_err(|e| Error::io(format_args!("--corpus-stats {name}"), e))?;
    let at = |line: usize, message: &str| Error::Table(format!("{name}:{line}: {message}"));
    let reader = TableReader::new(r).map_err(|e| at(e.line, &e.message))?;
    if let Some(m) = pipeline.table_mismatch(reader.header()) {
        return Err(Error::Table(format!(
            "{name}:{}: {} is `{}` in the table, but cleaning here needs `{}` ({}); make the \
             table with the settings you clean with",
            m.line, m.field, m.found, m.expected, m.hint
        )));
    }
    let (_, stats) = reader
        .into_stats(false)
        .map_err(|e| at(e.line, &e.message))?;
    if stats.overcounted() > 0 && !quiet {
        error(format!(
            "note: {name}: {} documents were counted more than once when partial tables were \
             merged, so some counts are too high (docs/corpus-stats.md)",
            stats.overcounted()
        ));
    }
    Ok(stats)
}
