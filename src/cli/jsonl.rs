//! JSONL records (the document convention of datatrove and dolma): one JSON object a line,
//! read in batches. A record's text field is cleaned and the record written back with every
//! other field as it was, byte for byte, in its place. `clean --jsonl` and `corpus-stats
//! --jsonl` read records through here.

use std::fmt;
use std::io::{self, BufRead};
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use thresh::{CorpusStats, Documents, Pipeline, Stats};

use super::error;
use super::error::Error;
use super::input;
use super::progress::Progress;
use super::report::{self, Detail};
use super::stream::open_input;

/// Records per batch, and the most bytes a batch holds before it is cleaned.
const BATCH_RECORDS: usize = 4096;
const BATCH_BYTES: usize = 32 << 20;

/// A JSON object as its fields in order, each value as its raw JSON text.
struct Object(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((k, v));
                }
                Ok(Object(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// A record's fields in order (each value as its raw JSON), which of them holds the text,
/// and the text.
pub(crate) struct Record {
    fields: Vec<(String, Box<RawValue>)>,
    slot: usize,
    pub(crate) text: String,
}

/// Parses one JSONL line; `None` for a blank line. Errors say what is wrong with the record.
pub(crate) fn parse_record(raw: &[u8], field: &str) -> Result<Option<Record>, Error> {
    let line = std::str::from_utf8(raw)
        .map_err(|e| Error::Record(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let line = line.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return Ok(None);
    }
    let Object(fields) =
        serde_json::from_str(line).map_err(|e| Error::Record(format!("malformed JSON: {e}")))?;
    let slot = fields.iter().position(|(k, _)| k == field).ok_or_else(|| {
        Error::Record(format!(
            "no field \"{field}\" (choose one with --text-field)"
        ))
    })?;
    let text: String = serde_json::from_str(fields[slot].1.get())
        .map_err(|_| Error::Record(format!("field \"{field}\" is not a string")))?;
    Ok(Some(Record { fields, slot, text }))
}

/// Lines of a stream, each with its line number.
pub(crate) type Batch = Vec<(usize, Vec<u8>)>;

/// One JSONL stream, read a batch of lines at a time.
pub(crate) struct Stream {
    /// Its name in messages: the path as given, or `<stdin>`.
    pub(crate) name: String,
    reader: Box<dyn BufRead>,
    /// Lines read so far.
    line_no: usize,
}

impl Stream {
    /// Opens `path` (`-`: standard input; gzip and zstd are told by their first bytes).
    pub(crate) fn open(path: &Path) -> Result<Stream, Error> {
        let name = input::name(path);
        match open_input(path) {
            Ok(reader) => Ok(Stream {
                name,
                reader,
                line_no: 0,
            }),
            Err(e) => Err(Error::io(name, e)),
        }
    }

    /// The next batch of lines (`BATCH_RECORDS` lines or `BATCH_BYTES` bytes at most), each
    /// with its line number, counted on `progress`; `None` at the end of the stream.
    pub(crate) fn next_batch(&mut self, progress: &Progress) -> Result<Option<Batch>, Error> {
        let batch = read_batch(&mut self.reader, &mut self.line_no)
            .map_err(|e| Error::io(format_args!("{}:{}", self.name, self.line_no + 1), e))?;
        if batch.is_empty() {
            return Ok(None);
        }
        progress.done(batch.len() as u64, batch.iter().map(|(_, b)| b.len()).sum());
        Ok(Some(batch))
    }
}

/// Reads up to one batch of lines, each with its line number; empty at the end of the input.
/// `line_no` counts the lines read so far.
fn read_batch(reader: &mut dyn BufRead, line_no: &mut usize) -> io::Result<Batch> {
    let mut batch: Batch = Vec::with_capacity(BATCH_RECORDS);
    let mut bytes = 0;
    while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
        let mut buf = Vec::new();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        *line_no += 1;
        bytes += n;
        batch.push((*line_no, buf));
    }
    Ok(batch)
}

/// What becomes of bad records: with `--skip-bad` each is reported (unless quiet) and
/// counted, and the run goes on to exit 2; without, the first stops the run.
pub(crate) struct BadRecords {
    skip: bool,
    quiet: bool,
    /// Records skipped so far.
    pub(crate) skipped: usize,
}

impl BadRecords {
    pub(crate) fn new(skip: bool, quiet: bool) -> BadRecords {
        BadRecords {
            skip,
            quiet,
            skipped: 0,
        }
    }

    /// Record `n` of `stream` is bad (`e`): skipped, or the error that stops the run, saying
    /// what is left `unwritten`.
    pub(crate) fn skip(
        &mut self,
        stream: &Stream,
        n: usize,
        e: Error,
        unwritten: impl FnOnce() -> String,
    ) -> Result<(), Error> {
        let at = format!("{}:{n}", stream.name);
        if !self.skip {
            return Err(Error::StoppedAt {
                at,
                source: Box::new(e),
                outcome: unwritten(),
            });
        }
        self.skipped += 1;
        if !self.quiet {
            error(format!("{at}: {e} (skipped)"));
        }
        Ok(())
    }
}

/// What became of one record.
pub(crate) struct Cleaned {
    /// The record to write (with its newline), or `None` for a blank line.
    pub(crate) line: Option<String>,
    /// The text cleaned to nothing but white space.
    pub(crate) empty: bool,
    pub(crate) stats: Stats,
    pub(crate) changed: bool,
    pub(crate) detail: Detail,
}

/// Cleans the `field` of one JSONL record, in a corpus when `corpus` is given; with
/// `want_detail`, notes the dropped lines for a report.
pub(crate) fn clean_record(
    pipeline: &Pipeline,
    raw: &[u8],
    field: &str,
    corpus: Option<&CorpusStats>,
    want_detail: bool,
) -> Result<Cleaned, Error> {
    let Some(Record {
        mut fields,
        slot,
        text: value,
    }) = parse_record(raw, field)?
    else {
        return Ok(Cleaned {
            line: None,
            empty: false,
            stats: Stats::default(),
            changed: false,
            detail: Detail::default(),
        });
    };
    let outcome = Documents::one(match corpus {
        Some(stats) => pipeline.clean_in_corpus(&value, stats),
        None => pipeline.clean(&value),
    });
    let mut cleaned = outcome.text();
    // A text without a final newline gets none.
    if !value.ends_with('\n') && cleaned.ends_with('\n') {
        cleaned.pop();
    }
    let changed = cleaned != value;
    let empty = cleaned.trim().is_empty();
    let detail = report::detail(&outcome, &value, "", want_detail, false, false);
    let stats = outcome.stats();
    drop(outcome);
    fields[slot].1 = RawValue::from_string(serde_json::to_string(&cleaned).expect("a string"))
        .expect("valid JSON");
    let mut line = String::with_capacity(raw.len() + 2);
    line.push('{');
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::to_string(k).expect("a string"));
        line.push(':');
        line.push_str(v.get());
    }
    line.push_str("}\n");
    Ok(Cleaned {
        line: Some(line),
        empty,
        stats,
        changed,
        detail,
    })
}
