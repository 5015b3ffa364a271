//! `thresh clean`: standard input or one file to standard output, or many files to an output
//! folder (`-o`) or in place. Workers read, clean and write; they return data, and this module
//! alone prints, in input order, so the output is the same at any thread count.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thresh::{CorpusStats, DocumentKeys, Pipeline, Stats};

use super::args::CleanArgs;
use super::config::Config;
use super::walk::{self, Input};
use super::{EXIT_ERROR, EXIT_OK, error, io_message};

const CORPUS_NEEDS_FILES: &str = "--corpus compares files with each other: give folders or \
     several files, with -o DIR or --in-place";

/// Where cleaned text goes.
enum Sink {
    /// Cleaned copies under this folder.
    Dir(PathBuf),
    /// Each input replaced atomically.
    InPlace,
}

/// What happened to one file.
struct FileResult {
    stats: Option<Stats>,
    changed: bool,
    error: Option<String>,
}

pub(crate) fn run(args: &CleanArgs) -> u8 {
    let config = match Config::load(&args.rules.config) {
        Ok(c) => c,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let rules = match config.rule_set(&args.rules) {
        Ok(r) => r,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let walk_args = config.walk(&args.walk);
    let pipeline = Pipeline::new(rules);

    let stdin = Path::new("-");
    if args.paths.iter().any(|p| p == stdin) {
        if args.paths.len() > 1 {
            error("`-` (standard input) cannot be mixed with other paths");
            return EXIT_ERROR;
        }
        if args.output.is_some() || args.in_place {
            error("standard input is cleaned to standard output; -o and --in-place need files");
            return EXIT_ERROR;
        }
        if args.corpus {
            error(CORPUS_NEEDS_FILES);
            return EXIT_ERROR;
        }
        return to_stdout(&pipeline, None);
    }

    let sink = match (&args.output, args.in_place) {
        (Some(dir), _) => Sink::Dir(dir.clone()),
        (None, true) => Sink::InPlace,
        (None, false) => {
            if args.paths.len() > 1 {
                error(
                    "several inputs: choose -o DIR to write cleaned copies, or --in-place to \
                     rewrite the files",
                );
                return EXIT_ERROR;
            }
            let path = &args.paths[0];
            if path.is_dir() {
                error(format!(
                    "{}: is a folder: choose -o DIR to write cleaned copies, or --in-place to \
                     rewrite its files",
                    path.display()
                ));
                return EXIT_ERROR;
            }
            if args.corpus {
                error(CORPUS_NEEDS_FILES);
                return EXIT_ERROR;
            }
            return to_stdout(&pipeline, Some(path));
        }
    };

    let skip = match &sink {
        Sink::Dir(dir) => match prepare_output(dir, &args.paths) {
            Ok(canonical) => Some(canonical),
            Err(e) => {
                error(e);
                return EXIT_ERROR;
            }
        },
        Sink::InPlace => None,
    };
    let found = walk::discover(&args.paths, &walk_args, skip.as_deref());
    let mut failed = found.errors.len();
    for (path, msg) in &found.errors {
        error(format!("{}: {msg}", path.display()));
    }
    let (inputs, clashes) = split_clashes(found.inputs, &sink);
    failed += clashes.len();
    for msg in &clashes {
        error(msg);
    }

    let threads = args.threads.map_or(0, |n| n.get());
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => {
            error(format!("cannot start worker threads: {e}"));
            return EXIT_ERROR;
        }
    };
    let stats = args
        .corpus
        .then(|| pool.install(|| corpus_stats(&pipeline, &inputs)));
    let results: Vec<FileResult> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| process(&pipeline, input, &sink, stats.as_ref()))
            .collect()
    });

    let mut total = Stats::default();
    let mut changed = 0;
    for (input, r) in inputs.iter().zip(&results) {
        if let Some(msg) = &r.error {
            error(format!("{}: {msg}", input.path.display()));
            failed += 1;
        }
        if let Some(s) = &r.stats {
            total += s;
        }
        changed += usize::from(r.changed);
    }
    if !args.quiet {
        let place = match &sink {
            Sink::Dir(d) => format!("into {}", d.display()),
            Sink::InPlace => "in place".to_string(),
        };
        let mut line = format!(
            "thresh: cleaned {} {} {place}: {changed} changed, {} of {} lines dropped",
            total.documents,
            plural(total.documents, "file", "files"),
            total.lines_dropped,
            total.lines,
        );
        if failed > 0 {
            line.push_str(&format!("; {failed} failed"));
        }
        eprintln!("{line}");
    }
    if failed > 0 { EXIT_ERROR } else { EXIT_OK }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Creates the output folder and returns its canonical path, refusing a folder that is one of
/// the inputs or a path that is a file.
fn prepare_output(dir: &Path, inputs: &[PathBuf]) -> Result<PathBuf, String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!(
            "-o {}: exists and is not a folder; expected a folder (it is created if missing)",
            dir.display()
        ));
    }
    fs::create_dir_all(dir).map_err(|e| format!("-o {}: {}", dir.display(), io_message(&e)))?;
    let canonical = dir
        .canonicalize()
        .map_err(|e| format!("-o {}: {}", dir.display(), io_message(&e)))?;
    for input in inputs {
        if input.canonicalize().is_ok_and(|c| c == canonical) {
            return Err(format!(
                "-o {}: is also an input folder; choose another folder, or --in-place to \
                 rewrite the files",
                dir.display()
            ));
        }
    }
    Ok(canonical)
}

/// With `-o`, two inputs that map to the same output path are both refused.
fn split_clashes(inputs: Vec<Input>, sink: &Sink) -> (Vec<Input>, Vec<String>) {
    let Sink::Dir(dir) = sink else {
        return (inputs, Vec::new());
    };
    let mut seen: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
    let mut keep = Vec::with_capacity(inputs.len());
    let mut clashes = Vec::new();
    for input in inputs {
        match seen.get(&input.rel) {
            Some(first) => clashes.push(format!(
                "{}: skipped: its output {} is already written for {}",
                input.path.display(),
                dir.join(&input.rel).display(),
                first.display()
            )),
            None => {
                seen.insert(input.rel.clone(), input.path.clone());
                keep.push(input);
            }
        }
    }
    (keep, clashes)
}

/// Pass 1 of corpus mode: the line counts of every input. Files are read in parallel, a
/// chunk at a time, and added in input order, so identical files are counted once whatever
/// the thread count, and memory holds one chunk of key lists at most. A file that cannot be
/// read or decoded is left out here and reported by pass 2.
fn corpus_stats(pipeline: &Pipeline, inputs: &[Input]) -> CorpusStats {
    const CHUNK: usize = 4096;
    let mut stats = CorpusStats::new();
    for chunk in inputs.chunks(CHUNK) {
        let keys: Vec<Option<DocumentKeys>> = chunk
            .par_iter()
            .map(|input| {
                let bytes = fs::read(&input.path).ok()?;
                let text = thresh::decode(&bytes).ok()?;
                Some(pipeline.keys(&text))
            })
            .collect();
        for k in keys.iter().flatten() {
            stats.add(k);
        }
    }
    stats
}

fn process(
    pipeline: &Pipeline,
    input: &Input,
    sink: &Sink,
    corpus: Option<&CorpusStats>,
) -> FileResult {
    match try_process(pipeline, input, sink, corpus) {
        Ok((stats, changed)) => FileResult {
            stats: Some(stats),
            changed,
            error: None,
        },
        Err(e) => FileResult {
            stats: None,
            changed: false,
            error: Some(e),
        },
    }
}

fn try_process(
    pipeline: &Pipeline,
    input: &Input,
    sink: &Sink,
    corpus: Option<&CorpusStats>,
) -> Result<(Stats, bool), String> {
    let bytes = fs::read(&input.path).map_err(|e| io_message(&e))?;
    let text = thresh::decode(&bytes).map_err(|e| e.to_string())?;
    let outcome = match corpus {
        Some(stats) => pipeline.clean_in_corpus(&text, stats),
        None => pipeline.clean(&text),
    };
    let out = outcome.text();
    let changed = out.as_bytes() != bytes.as_slice();
    match sink {
        Sink::Dir(dir) => {
            let dest = dir.join(&input.rel);
            if dest.exists() && same_file(&dest, &input.path) {
                return Err(format!(
                    "output {} is the input itself; use --in-place to rewrite files",
                    dest.display()
                ));
            }
            write_atomic(&dest, out.as_bytes(), None, false)?;
        }
        Sink::InPlace => {
            if changed {
                let perms = fs::metadata(&input.path)
                    .map_err(|e| io_message(&e))?
                    .permissions();
                write_atomic(&input.path, out.as_bytes(), Some(perms), true)?;
            }
        }
    }
    Ok((outcome.stats(), changed))
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Writes `data` to `dest` through a temporary file in the same folder and a rename, so
/// `dest` is either its old self or complete. The temporary file is removed on any failure.
fn write_atomic(
    dest: &Path,
    data: &[u8],
    perms: Option<fs::Permissions>,
    sync: bool,
) -> Result<(), String> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let shown = dest.display();
    fs::create_dir_all(parent).map_err(|e| {
        format!(
            "cannot create folder {}: {}",
            parent.display(),
            io_message(&e)
        )
    })?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".thresh-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|e| format!("cannot write {shown}: {}", io_message(&e)))?;
    tmp.write_all(data)
        .map_err(|e| format!("cannot write {shown}: {}", io_message(&e)))?;
    if let Some(p) = perms {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| format!("cannot set permissions of {shown}: {}", io_message(&e)))?;
    }
    if sync {
        tmp.as_file()
            .sync_all()
            .map_err(|e| format!("cannot write {shown}: {}", io_message(&e)))?;
    }
    tmp.persist(dest)
        .map_err(|e| format!("cannot write {shown}: {}", io_message(&e.error)))?;
    Ok(())
}

/// Cleans standard input (`path` = None) or one file to standard output.
fn to_stdout(pipeline: &Pipeline, path: Option<&Path>) -> u8 {
    let name = path.map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let bytes = match path {
        Some(p) => fs::read(p),
        None => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            error(format!("{name}: {}", io_message(&e)));
            return EXIT_ERROR;
        }
    };
    let text = match thresh::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            error(format!("{name}: {e}"));
            return EXIT_ERROR;
        }
    };
    let out = pipeline.clean(&text).text();
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            error(format!("standard output: {}", io_message(&e)));
            EXIT_ERROR
        }
    }
}
