//! `thresh corpus-stats`: pass 1 of corpus mode as a command of its own. It counts, over
//! files, folders or JSONL streams, in how many documents each line occurs, and writes the
//! counts as a table (`thresh::corpus::table`); `corpus-stats merge` unites partial tables
//! made over parts of a corpus; `clean --corpus-stats TABLE` cleans with a table. So corpus
//! mode can run on any number of machines: see docs/corpus-stats.md.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use regex::Regex;
use thresh::corpus::table::{self, KeySpec, MergeError, Mismatch, TableReader};
use thresh::{CorpusStats, DocumentKeys, Pipeline};

use super::args::{CorpusStatsArgs, CorpusStatsCommand, MergeArgs};
use super::config::Config;
use super::jsonl::{parse_record, read_batch};
use super::progress::Progress;
use super::stream::{open_input, open_output, open_sniffed};
use super::walk::{self, Input};
use super::{EXIT_ERROR, EXIT_OK, decode, error, fail, io_message, split_regex};

/// `-o FILE`, or `None` for standard output (`-o -` or no `-o`).
fn destination(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

fn shown_dest(dest: Option<&Path>) -> String {
    dest.map_or("standard output".to_string(), |d| d.display().to_string())
}

pub(crate) fn run(args: &CorpusStatsArgs) -> u8 {
    if let Some(CorpusStatsCommand::Merge(m)) = &args.command {
        return merge(m);
    }
    let (config, pipeline, normalize) =
        match Config::for_command(&args.rules, &args.normalize, &args.paths) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
    let encoding = normalize.encoding.as_deref();
    let split = match split_regex(args.split_on.as_deref()) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let split = split.as_ref();
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.paths.len() > 1 {
        return fail("`-` (standard input) cannot be mixed with other paths");
    }
    let dest = destination(args.output.as_deref());
    if let Some(d) = dest
        && d.is_dir()
    {
        return fail(format!(
            "-o {}: is a folder; -o names the table file",
            d.display()
        ));
    }
    let threads = args.threads.map_or(0, |n| n.get());
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => return fail(format!("cannot start worker threads: {e}")),
    };
    let started = Instant::now();
    let counted = if args.jsonl {
        match pool.install(|| count_jsonl(args, &pipeline, dest)) {
            Ok(c) => c,
            Err(code) => return code,
        }
    } else if stdin {
        let input = Input {
            path: PathBuf::from("-"),
            rel: PathBuf::from("<stdin>"),
        };
        let quiet = Progress::with(None, "files", "", true);
        pool.install(|| count_files(&pipeline, &[input], encoding, split, &quiet))
    } else {
        let found = walk::discover(&args.paths, &config.walk(&args.walk), None);
        // The table itself, left by an earlier run, is not a document.
        let own = dest.and_then(|d| d.canonicalize().ok());
        let inputs: Vec<Input> = found
            .inputs
            .into_iter()
            .filter(|i| own.is_none() || i.path.canonicalize().ok() != own)
            .collect();
        let progress = Progress::with(Some(inputs.len()), "files", "counting: ", args.quiet);
        let mut counted =
            pool.install(|| count_files(&pipeline, &inputs, encoding, split, &progress));
        progress.finish();
        let walk_errors = found
            .errors
            .iter()
            .map(|(p, m)| (p.display().to_string(), m.clone()));
        counted.errors.splice(0..0, walk_errors);
        counted
    };
    finish(args, &pipeline, dest, counted, started)
}

/// The outcome of pass 1.
pub(crate) struct Counted {
    pub(crate) stats: CorpusStats,
    /// Documents read (identical ones included).
    read: usize,
    /// Inputs that could not be read or decoded, with the reason.
    errors: Vec<(String, String)>,
    /// Bad records skipped (`--skip-bad`): the run still exits 2.
    skipped: usize,
}

/// Writes the table and reports; errors found while counting make the exit code 2, but the
/// table of the documents that could be read is written, as `clean --corpus` would use it.
fn finish(
    args: &CorpusStatsArgs,
    pipeline: &Pipeline,
    dest: Option<&Path>,
    counted: Counted,
    started: Instant,
) -> u8 {
    let Counted {
        stats,
        read,
        errors,
        skipped,
    } = counted;
    let noun = match (args.jsonl, &args.split_on) {
        (true, _) => "records",
        (false, Some(_)) => "documents",
        (false, None) => "files",
    };
    for (p, m) in &errors {
        error(format!("{p}: {m}"));
    }
    let spec = KeySpec::of(pipeline);
    let written = write_table(dest, |w| {
        table::write(&stats, &spec, args.min_count, w)
            .map(|(_, t)| t)
            .map_err(Failed::Io)
    });
    let trailer = match written {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    if !args.quiet {
        let identical = read - stats.documents();
        eprintln!(
            "thresh: counted {read} {noun} ({} distinct documents{}), {} distinct line keys; \
             wrote {} keys to {} in {:.2} s",
            stats.documents(),
            if identical > 0 {
                format!(", {identical} identical to another")
            } else {
                String::new()
            },
            stats.keys(),
            trailer.keys,
            shown_dest(dest),
            started.elapsed().as_secs_f64()
        );
    }
    if errors.is_empty() && skipped == 0 {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}

/// Why writing a table stopped: the output failed, or an input did (a message that names it).
enum Failed {
    Io(io::Error),
    Input(String),
}

/// Writes a table to `dest` (through a temporary file, renamed when complete, and removed
/// when anything fails) or to standard output.
fn write_table<T>(
    dest: Option<&Path>,
    write: impl FnOnce(&mut dyn io::Write) -> Result<T, Failed>,
) -> Result<T, String> {
    let shown = shown_dest(dest);
    let mut out = open_output(dest).map_err(|e| format!("-o {shown}: {}", io_message(&e)))?;
    let t = match write(&mut out.writer) {
        Ok(t) => t,
        Err(Failed::Input(msg)) => return Err(msg),
        Err(Failed::Io(e)) => return Err(format!("writing {shown}: {}", io_message(&e))),
    };
    match out.commit() {
        Ok(()) => Ok(t),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(t),
        Err(e) => Err(format!("writing {shown}: {}", io_message(&e))),
    }
}

/// Pass 1 over files: the line counts of every input, the number of documents read, and the
/// inputs that could not be read or decoded (left out of the counts). Files are read in parallel, a chunk at a time,
/// and added in input order, so identical files are counted once whatever the thread count,
/// and memory holds one chunk of key lists at most.
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
        let keys: Vec<Result<Vec<DocumentKeys>, String>> = chunk
            .par_iter()
            .map(|input| {
                let bytes = if input.path.as_os_str() == "-" {
                    let mut buf = Vec::new();
                    io::stdin()
                        .lock()
                        .read_to_end(&mut buf)
                        .map(|_| buf)
                        .map_err(|e| io_message(&e))?
                } else {
                    fs::read(&input.path).map_err(|e| io_message(&e))?
                };
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
                Err(e) => {
                    let name = if input.path.as_os_str() == "-" {
                        "<stdin>".to_string()
                    } else {
                        input.path.display().to_string()
                    };
                    errors.push((name, e));
                }
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

/// Pass 1 over JSONL streams: each record's text field is a document. A malformed record
/// stops the run (nothing written) unless --skip-bad.
fn count_jsonl(
    args: &CorpusStatsArgs,
    pipeline: &Pipeline,
    dest: Option<&Path>,
) -> Result<Counted, u8> {
    let mut stats = CorpusStats::new();
    let mut read = 0;
    let mut skipped = 0;
    let field = args.text_field.as_str();
    let progress = Progress::with(None, "records", "counting: ", args.quiet);
    for path in &args.paths {
        let name = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let mut reader =
            open_input(path).map_err(|e| fail(format!("{name}: {}", io_message(&e))))?;
        let mut line_no = 0;
        loop {
            let batch = read_batch(&mut reader, &mut line_no)
                .map_err(|e| fail(format!("{name}:{}: {}", line_no + 1, io_message(&e))))?;
            if batch.is_empty() {
                break;
            }
            progress.done(batch.len() as u64, batch.iter().map(|(_, b)| b.len()).sum());
            let keys: Vec<Result<Option<DocumentKeys>, String>> = batch
                .par_iter()
                .map(|(_, raw)| Ok(parse_record(raw, field)?.map(|r| pipeline.keys(&r.text))))
                .collect();
            for ((n, _), k) in batch.iter().zip(keys) {
                match k {
                    Ok(Some(k)) => {
                        read += 1;
                        stats.add(&k);
                    }
                    Ok(None) => {}
                    Err(msg) if args.skip_bad => {
                        skipped += 1;
                        if !args.quiet {
                            error(format!("{name}:{n}: {msg} (skipped)"));
                        }
                    }
                    Err(msg) => {
                        let what = match dest {
                            Some(d) => format!("{} not written", d.display()),
                            None => "no table written".to_string(),
                        };
                        return Err(fail(format!(
                            "{name}:{n}: {msg}; {what} (--skip-bad goes on past bad records)"
                        )));
                    }
                }
            }
        }
    }
    if skipped > 0 && !args.quiet {
        error(format!("{skipped} bad records skipped"));
    }
    progress.finish();
    Ok(Counted {
        stats,
        read,
        errors: Vec::new(),
        skipped,
    })
}

fn merge(args: &MergeArgs) -> u8 {
    if args.tables.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return fail("`-` (standard input) can be given once");
    }
    let names: Vec<String> = args
        .tables
        .iter()
        .map(|p| match p.as_os_str() == "-" {
            true => "<stdin>".to_string(),
            false => p.display().to_string(),
        })
        .collect();
    let mut readers = Vec::with_capacity(args.tables.len());
    for (path, name) in args.tables.iter().zip(&names) {
        let r = match open_sniffed(path) {
            Ok(r) => r,
            Err(e) => return fail(format!("{name}: {}", io_message(&e))),
        };
        match TableReader::new(r) {
            Ok(t) => readers.push(t),
            Err(e) => return fail(format!("{name}:{}: {}", e.line, e.message)),
        }
    }
    let dest = destination(args.output.as_deref());
    let merged = write_table(dest, |w| {
        table::merge(readers, args.min_count, w)
            .map(|(_, m)| m)
            .map_err(|e| match e {
                MergeError::Output(e) => Failed::Io(e),
                MergeError::Input { index, error } => Failed::Input(format!(
                    "{}:{}: {}",
                    names[index], error.line, error.message
                )),
                MergeError::Mismatch { index, mismatch } => {
                    Failed::Input(merge_mismatch(&names[index], &names[0], &mismatch))
                }
            })
    });
    let merged = match merged {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    if merged.shared > 0 {
        let examples: Vec<String> = merged
            .examples
            .iter()
            .map(|(d, who)| {
                let tables: Vec<&str> = who.iter().map(|&i| names[i].as_str()).collect();
                format!("{d:016x} in {}", tables.join(", "))
            })
            .collect();
        error(format!(
            "warning: {} documents are in more than one table (e.g. {}): their lines were \
             counted once per table, {} counts too many in all; partial tables should come \
             from disjoint parts of the corpus (docs/corpus-stats.md)",
            merged.shared,
            examples.join("; "),
            merged.trailer.overcounted
        ));
    }
    if !args.quiet {
        eprintln!(
            "thresh: merged {} {}: {} documents, {} keys written to {}",
            names.len(),
            if names.len() == 1 { "table" } else { "tables" },
            merged.trailer.documents,
            merged.trailer.keys,
            shown_dest(dest)
        );
    }
    EXIT_OK
}

fn merge_mismatch(name: &str, first: &str, m: &Mismatch) -> String {
    format!(
        "{name}:{}: {} is `{}`, but the first table, {first}, has `{}`: tables merged together \
         must be made with the same settings ({})",
        m.line, m.field, m.found, m.expected, m.hint
    )
}

/// Reads `--corpus-stats FILE` for cleaning with `pipeline`: its settings must match the
/// pipeline's. A note is printed (unless `quiet`) when the table overcounts.
pub(crate) fn load_table(
    path: &Path,
    pipeline: &Pipeline,
    quiet: bool,
) -> Result<CorpusStats, String> {
    let name = path.display();
    if path.as_os_str() == "-" {
        return Err(
            "--corpus-stats -: the table must be a file (standard input carries the text)".into(),
        );
    }
    let r = open_sniffed(path).map_err(|e| format!("--corpus-stats {name}: {}", io_message(&e)))?;
    let reader = TableReader::new(r).map_err(|e| format!("{name}:{}: {}", e.line, e.message))?;
    if let Some(m) = reader.header().check(pipeline) {
        return Err(format!(
            "{name}:{}: {} is `{}` in the table, but cleaning here needs `{}` ({}); make the \
             table with the settings you clean with",
            m.line, m.field, m.found, m.expected, m.hint
        ));
    }
    let (_, stats) = reader
        .into_stats(false)
        .map_err(|e| format!("{name}:{}: {}", e.line, e.message))?;
    if stats.overcounted() > 0 && !quiet {
        error(format!(
            "note: {name}: {} documents were counted more than once when partial tables were \
             merged, so some counts are too high (docs/corpus-stats.md)",
            stats.overcounted()
        ));
    }
    Ok(stats)
}
