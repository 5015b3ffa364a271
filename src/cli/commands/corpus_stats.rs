//! `thresh corpus-stats`: pass 1 of corpus mode as a command of its own. It counts, over
//! files, folders or JSONL streams, in how many documents each line occurs, and writes the
//! counts as a table (`thresh::corpus::table`); `corpus-stats merge` unites partial tables
//! made over parts of a corpus; `clean --corpus-stats TABLE` cleans with a table. So corpus
//! mode can run on any number of machines: see docs/corpus-stats.md.

use std::io;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use thresh::corpus::table::{self, MergeError, Mismatch, TableReader};
use thresh::{CorpusStats, DocumentKeys, Pipeline};

use crate::cli::args::{CorpusStatsArgs, CorpusStatsCommand, MergeArgs};
use crate::cli::config::Config;
use crate::cli::corpus::{Counted, count_files};
use crate::cli::error::Error;
use crate::cli::input::{self, Input, is_stdin, split_regex, stdin_alone};
use crate::cli::jsonl::{BadRecords, Stream, parse_record};
use crate::cli::progress::Progress;
use crate::cli::stream::{open_output, open_sniffed};
use crate::cli::{Exit, error, walk, workers};

/// `-o FILE`, or `None` for standard output (`-o -` or no `-o`).
fn destination(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| !is_stdin(p))
}

fn shown_dest(dest: Option<&Path>) -> String {
    dest.map_or("standard output".to_string(), |d| d.display().to_string())
}

pub(crate) fn run(args: &CorpusStatsArgs) -> Result<Exit, Error> {
    if let Some(CorpusStatsCommand::Merge(m)) = &args.command {
        return merge(m);
    }
    let (config, pipeline, normalize) =
        Config::for_command(&args.rules, &args.normalize, &args.paths)?;
    let encoding = normalize.encoding.as_deref();
    let split = split_regex(args.split_on.as_deref())?;
    let split = split.as_ref();
    let stdin = stdin_alone(&args.paths)?;
    let dest = destination(args.output.as_deref());
    if let Some(d) = dest
        && d.is_dir()
    {
        return Err(Error::Usage(format!(
            "-o {}: is a folder; -o names the table file",
            d.display()
        )));
    }
    let pool = workers::pool(args.threads)?;
    let started = Instant::now();
    let counted = if args.jsonl {
        pool.install(|| count_jsonl(args, &pipeline, dest))?
    } else if stdin {
        let quiet = Progress::with(None, "files", "", true);
        pool.install(|| count_files(&pipeline, &[Input::stdin()], encoding, split, &quiet))
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

/// Writes the table and reports; errors found while counting make the exit code 2, but the
/// table of the documents that could be read is written, as `clean --corpus` would use it.
fn finish(
    args: &CorpusStatsArgs,
    pipeline: &Pipeline,
    dest: Option<&Path>,
    counted: Counted,
    started: Instant,
) -> Result<Exit, Error> {
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
    let spec = pipeline.key_spec();
    let trailer = write_table(dest, |w| {
        table::write(&stats, &spec, args.min_count, w)
            .map(|(_, t)| t)
            .map_err(Failed::Io)
    })?;
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
        Ok(Exit::Ok)
    } else {
        Ok(Exit::Failed)
    }
}

/// Why writing a table stopped: the output failed, or an input did.
enum Failed {
    Io(io::Error),
    Input(Error),
}

/// Writes a table to `dest` (through a temporary file, renamed when complete, and removed
/// when anything fails) or to standard output.
fn write_table<T>(
    dest: Option<&Path>,
    write: impl FnOnce(&mut dyn io::Write) -> Result<T, Failed>,
) -> Result<T, Error> {
    let shown = shown_dest(dest);
    let mut out = open_output(dest).map_err(|e| Error::io(format_args!("-o {shown}"), e))?;
    let t = match write(&mut out.writer) {
        Ok(t) => t,
        Err(Failed::Input(e)) => return Err(e),
        Err(Failed::Io(e)) => return Err(Error::io(format_args!("writing {shown}"), e)),
    };
    match out.commit() {
        Ok(()) => Ok(t),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(t),
        Err(e) => Err(Error::io(format_args!("writing {shown}"), e)),
    }
}

/// Pass 1 over JSONL streams: each record's text field is a document. A malformed record
/// stops the run (nothing written) unless --skip-bad.
fn count_jsonl(
    args: &CorpusStatsArgs,
    pipeline: &Pipeline,
    dest: Option<&Path>,
) -> Result<Counted, Error> {
    let mut stats = CorpusStats::new();
    let mut read = 0;
    let mut bad = BadRecords::new(args.skip_bad, args.quiet);
    let field = args.text_field.as_str();
    let progress = Progress::with(None, "records", "counting: ", args.quiet);
    for path in &args.paths {
        let mut stream = Stream::open(path)?;
        while let Some(batch) = stream.next_batch(&progress)? {
            let keys: Vec<Result<Option<DocumentKeys>, Error>> = batch
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
                    Err(e) => bad.skip(&stream, *n, e, || match dest {
                        Some(d) => format!("{} not written", d.display()),
                        None => "no table written".to_string(),
                    })?,
                }
            }
        }
    }
    let skipped = bad.skipped;
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

fn merge(args: &MergeArgs) -> Result<Exit, Error> {
    if input::stdin_count(&args.tables) > 1 {
        return Err(Error::Usage(
            "`-` (standard input) can be given once".into(),
        ));
    }
    let names: Vec<String> = args.tables.iter().map(|p| input::name(p)).collect();
    let mut readers = Vec::with_capacity(args.tables.len());
    for (path, name) in args.tables.iter().zip(&names) {
        let r = open_sniffed(path).map_err(|e| Error::io(name, e))?;
        let t = TableReader::new(r)
            .map_err(|e| Error::Table(format!("{name}:{}: {}", e.line, e.message)))?;
        readers.push(t);
    }
    let dest = destination(args.output.as_deref());
    let merged = write_table(dest, |w| {
        table::merge(readers, args.min_count, w)
            .map(|(_, m)| m)
            .map_err(|e| match e {
                MergeError::Output(e) => Failed::Io(e),
                MergeError::Input { index, error } => Failed::Input(Error::Table(format!(
                    "{}:{}: {}",
                    names[index], error.line, error.message
                ))),
                MergeError::Mismatch { index, mismatch } => Failed::Input(Error::Table(
                    merge_mismatch(&names[index], &names[0], &mismatch),
                )),
            })
    })?;
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
    Ok(Exit::Ok)
}

fn merge_mismatch(name: &str, first: &str, m: &Mismatch) -> String {
    format!(
        "{name}:{}: {} is `{}`, but the first table, {first}, has `{}`: tables merged together \
         must be made with the same settings ({})",
        m.line, m.field, m.found, m.expected, m.hint
    )
}
