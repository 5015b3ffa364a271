//! `thresh clean --jsonl`: a stream of JSON objects, one a line (the document convention of
//! datatrove and dolma). The text field of each object is cleaned; every other field comes
//! back as it was, byte for byte, in its place. Records are read in batches, cleaned in
//! parallel and written in input order, so memory holds one batch. `.gz` and `.zst` files are
//! read and written compressed.

use std::fmt;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use thresh::{CorpusStats, Documents, Pipeline, Stats};

use super::args::{CleanArgs, Format};
use super::progress::Progress;
use super::report::stats::StatsTable;
use super::report::text::{Summary, plural};
use super::report::{self, Detail, FileReport, RunReport};
use super::stream::{open_input, open_output};
use super::{EXIT_CHANGED, EXIT_ERROR, EXIT_OK, error, io_message};

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

/// What became of one record.
struct Cleaned {
    /// The record to write (with its newline), or `None` for a blank line.
    line: Option<String>,
    /// The text cleaned to nothing but white space.
    empty: bool,
    stats: Stats,
    changed: bool,
    detail: Detail,
}

/// A record's fields in order (each value as its raw JSON), which of them holds the text,
/// and the text.
pub(crate) struct Record {
    fields: Vec<(String, Box<RawValue>)>,
    slot: usize,
    pub(crate) text: String,
}

/// Parses one JSONL line; `None` for a blank line. Errors say what is wrong with the record.
pub(crate) fn parse_record(raw: &[u8], field: &str) -> Result<Option<Record>, String> {
    let line = std::str::from_utf8(raw)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let line = line.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return Ok(None);
    }
    let Object(fields) = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let slot = fields
        .iter()
        .position(|(k, _)| k == field)
        .ok_or_else(|| format!("no field \"{field}\" (choose one with --text-field)"))?;
    let text: String = serde_json::from_str(fields[slot].1.get())
        .map_err(|_| format!("field \"{field}\" is not a string"))?;
    Ok(Some(Record { fields, slot, text }))
}

/// Reads up to one batch of lines (`BATCH_RECORDS` lines or `BATCH_BYTES` bytes), each with
/// its line number; empty at the end of the input. `line_no` counts the lines read so far.
pub(crate) fn read_batch(
    reader: &mut dyn BufRead,
    line_no: &mut usize,
) -> io::Result<Vec<(usize, Vec<u8>)>> {
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH_RECORDS);
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

/// Cleans the `field` of one JSONL record, in a corpus when `corpus` is given.
fn clean_record(
    pipeline: &Pipeline,
    raw: &[u8],
    field: &str,
    corpus: Option<&CorpusStats>,
    want_detail: bool,
) -> Result<Cleaned, String> {
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

pub(crate) fn run(
    args: &CleanArgs,
    pipeline: &Pipeline,
    corpus: Option<&CorpusStats>,
    pool: &rayon::ThreadPool,
) -> u8 {
    if args.in_place || args.diff {
        error(
            "--jsonl cleans streams to standard output or -o FILE (or checks them with \
             --check); --in-place and --diff work on files",
        );
        return EXIT_ERROR;
    }
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        error("standard input (-) can be read once: give - at most once");
        return EXIT_ERROR;
    }
    if args.corpus {
        error(
            "--corpus reads its inputs twice, and a stream can be read once: count the stream \
             first with `thresh corpus-stats --jsonl IN -o TABLE`, then clean it with \
             --corpus-stats TABLE",
        );
        return EXIT_ERROR;
    }
    if let Some(dest) = &args.output
        && dest.is_dir()
    {
        error(format!(
            "-o {}: is a folder; with --jsonl, -o names the output file",
            dest.display()
        ));
        return EXIT_ERROR;
    }
    // Every input opens before anything is written: a missing file is found at once.
    let mut readers = Vec::with_capacity(args.paths.len());
    for input in &args.paths {
        let name = if input.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            input.display().to_string()
        };
        match open_input(input) {
            Ok(r) => readers.push((name, r)),
            Err(e) => {
                error(format!("{name}: {}", io_message(&e)));
                return EXIT_ERROR;
            }
        }
    }
    // --check writes nothing.
    let mut out = match args.check {
        true => None,
        false => match open_output(args.output.as_deref()) {
            Ok(o) => Some(o),
            Err(e) => {
                let dest = args.output.as_deref().unwrap_or(Path::new("-"));
                error(format!("-o {}: {}", dest.display(), io_message(&e)));
                return EXIT_ERROR;
            }
        },
    };
    let started = Instant::now();
    let field = args.text_field.as_str();
    let want_detail = args.format != Format::Text;
    let mut total = Stats::default();
    let mut changed = 0usize;
    let mut skipped = 0usize;
    let mut emptied = 0usize;
    let mut reporters = report::reporters(
        args.format,
        args.check && !args.quiet,
        None,
        args.stats.then_some(StatsTable {
            noun: "records",
            config: None,
        }),
    );
    // A counter of records (a stream's length is not known), unless the records show on
    // this terminal.
    let progress = Progress::with(
        None,
        "records",
        "",
        args.quiet || (args.output.is_none() && !args.check && io::stdout().is_terminal()),
    );
    let mut stdout = io::stdout().lock();
    for (name, mut reader) in readers {
        let mut line_no = 0usize;
        loop {
            let batch = match read_batch(&mut reader, &mut line_no) {
                Ok(b) => b,
                Err(e) => {
                    error(format!("{name}:{}: {}", line_no + 1, io_message(&e)));
                    return EXIT_ERROR;
                }
            };
            if batch.is_empty() {
                break;
            }
            progress.done(batch.len() as u64, batch.iter().map(|(_, b)| b.len()).sum());
            let results: Vec<Result<Cleaned, String>> = pool.install(|| {
                batch
                    .par_iter()
                    .map(|(_, raw)| clean_record(pipeline, raw, field, corpus, want_detail))
                    .collect()
            });
            for ((n, _), r) in batch.iter().zip(results) {
                match r {
                    Ok(c) => {
                        let Some(line) = &c.line else { continue };
                        total += &c.stats;
                        changed += usize::from(c.changed);
                        let file = FileReport {
                            name: format!("{name}:{n}"),
                            changed: c.changed,
                            stats: Some(c.stats),
                            detail: c.detail,
                            form: Vec::new(),
                        };
                        for reporter in &mut reporters {
                            let _ = stdout.write_all(reporter.file(&file).as_bytes());
                        }
                        let keep = !(args.drop_empty && c.empty);
                        emptied += usize::from(!keep);
                        if keep
                            && let Some(out) = &mut out
                            && let Err(e) = out.writer.write_all(line.as_bytes())
                        {
                            if e.kind() == io::ErrorKind::BrokenPipe {
                                return EXIT_OK;
                            }
                            error(format!("writing the output: {}", io_message(&e)));
                            return EXIT_ERROR;
                        }
                    }
                    Err(msg) if args.skip_bad => {
                        skipped += 1;
                        if !args.quiet {
                            error(format!("{name}:{n}: {msg} (skipped)"));
                        }
                    }
                    Err(msg) => {
                        let what = match &args.output {
                            Some(dest) => format!("{} not written", dest.display()),
                            None => "stopped".to_string(),
                        };
                        error(format!(
                            "{name}:{n}: {msg}; {what} (--skip-bad goes on past bad records)"
                        ));
                        return EXIT_ERROR;
                    }
                }
            }
        }
    }
    drop(stdout);
    progress.finish();
    if let Some(out) = out
        && let Err(e) = out.commit()
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        error(format!("writing the output: {}", io_message(&e)));
        return EXIT_ERROR;
    }
    // Reports go to standard error when the records went to standard output.
    let ended = RunReport {
        total: &total,
        cleaned: total.documents,
        changed,
        errors: &[],
        started,
    };
    let report_text: String = reporters.iter_mut().map(|r| r.finish(&ended)).collect();
    if !report_text.is_empty() {
        if args.output.is_none() && !args.check {
            eprint!("{report_text}");
        } else {
            print!("{report_text}");
        }
    }
    if !args.quiet && args.format == Format::Text {
        let mut line = Summary {
            checked: args.check,
            count: total.documents,
            noun: ("record", "records"),
            place: String::new(),
            changed,
            total: &total,
        }
        .line();
        if emptied > 0 {
            line.push_str(&format!(
                "; {emptied} empty {} left out",
                plural(emptied, "record", "records")
            ));
        }
        if skipped > 0 {
            line.push_str(&format!("; {skipped} bad records skipped"));
        }
        eprintln!("{line}");
    }
    if skipped > 0 {
        EXIT_ERROR
    } else if args.check && changed > 0 {
        EXIT_CHANGED
    } else {
        EXIT_OK
    }
}
