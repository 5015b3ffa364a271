//! `thresh clean`: standard input or one file to standard output, many files to an output
//! folder (`-o`) or in place, or nothing written at all (`--check`, `--diff`). Workers read,
//! clean, write and build report details; they return data, and this module alone prints, in
//! input order, so the output is the same at any thread count.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use regex::Regex;
use thresh::{CorpusStats, Pipeline, Stats};

use super::args::{CleanArgs, Format};
use super::config::Config;
use super::corpus_cmd::{count_files, load_table};
use super::jsonl;
use super::progress::Progress;
use super::report::stats::StatsTable;
use super::report::text::Summary;
use super::report::{self, Detail, FileReport, Paint, RunReport};
use super::temp;
use super::walk::{self, Input};
use super::{EXIT_CHANGED, EXIT_ERROR, EXIT_OK, error, fail, io_message, split_regex};

const CORPUS_NEEDS_FILES: &str = "--corpus compares files with each other: give folders or \
     several files, with -o DIR, --in-place, --check or --diff; to clean one file or standard \
     input in a corpus, count the corpus with `thresh corpus-stats` and pass --corpus-stats \
     TABLE";

/// Where cleaned text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    /// One input's cleaned text to standard output.
    Stdout,
    /// Cleaned copies under this folder.
    Dir(PathBuf),
    /// Each input replaced atomically.
    InPlace,
    /// Nothing written: report which files would change.
    Check,
    /// Nothing written: print what would change, as unified diffs.
    Diff,
}

/// What happened to one file.
struct FileResult {
    stats: Option<Stats>,
    changed: bool,
    error: Option<String>,
    detail: Detail,
    /// The cleaned text, for [`Sink::Stdout`].
    text: Option<String>,
    /// A note for the user about the file (an encoding read by fallback).
    note: Option<String>,
    /// What changes in the file besides dropped lines, for people (empty: nothing).
    form: Vec<String>,
}

/// Files cleaned before what they print is printed and their results let go.
const CHUNK: usize = 4096;

pub(crate) fn run(args: &CleanArgs) -> u8 {
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
    let walk_args = config.walk(&args.walk);
    let table = match &args.corpus_stats {
        Some(path) => match load_table(path, &pipeline, args.quiet) {
            Ok(t) => Some(t),
            Err(e) => return fail(e),
        },
        None => None,
    };
    if args.jsonl {
        let threads = args.threads.map_or(0, |n| n.get());
        return match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => jsonl::run(args, &pipeline, table.as_ref(), &pool),
            Err(e) => fail(format!("cannot start worker threads: {e}")),
        };
    }
    // Throughput counts reading, cleaning and writing, not compiling the rules.
    let started = Instant::now();

    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.paths.len() > 1 {
        return fail("`-` (standard input) cannot be mixed with other paths");
    }
    let sink = if args.check {
        Sink::Check
    } else if args.diff {
        Sink::Diff
    } else if let Some(dir) = &args.output {
        if stdin {
            return fail(
                "standard input is cleaned to standard output; -o and --in-place need files",
            );
        }
        Sink::Dir(dir.clone())
    } else if args.in_place {
        if stdin {
            return fail(
                "standard input is cleaned to standard output; -o and --in-place need files",
            );
        }
        Sink::InPlace
    } else if stdin {
        Sink::Stdout
    } else if args.paths.len() > 1 {
        return fail(
            "several inputs: choose -o DIR to write cleaned copies, --in-place to rewrite the \
             files, or --check / --diff to see what would change",
        );
    } else if args.paths[0].is_dir() {
        return fail(format!(
            "{}: is a folder: choose -o DIR to write cleaned copies, --in-place to rewrite its \
             files, or --check / --diff to see what would change",
            args.paths[0].display()
        ));
    } else {
        Sink::Stdout
    };
    if args.corpus && (sink == Sink::Stdout || stdin) {
        return fail(CORPUS_NEEDS_FILES);
    }

    let skip = match &sink {
        Sink::Dir(dir) => match prepare_output(dir, &args.paths) {
            Ok(canonical) => Some(canonical),
            Err(e) => return fail(e),
        },
        _ => None,
    };
    let (inputs, mut errors) = if stdin {
        let input = Input {
            path: PathBuf::from("-"),
            rel: PathBuf::from("<stdin>"),
        };
        (vec![input], Vec::new())
    } else {
        let found = walk::discover(&args.paths, &walk_args, skip.as_deref());
        // Temporary files of interrupted runs in the folders this run writes to.
        let stale = match &sink {
            Sink::InPlace => temp::stale_beside(&args.paths, &found.stale),
            Sink::Dir(dir) => temp::stale_below(dir),
            _ => Vec::new(),
        };
        for path in stale {
            if let Err(e) = fs::remove_file(&path)
                && e.kind() != io::ErrorKind::NotFound
            {
                eprintln!(
                    "thresh: note: cannot remove {}, a temporary file of an interrupted run: {}",
                    path.display(),
                    io_message(&e)
                );
            } else if !args.quiet {
                eprintln!(
                    "thresh: note: removed {}, a temporary file of an interrupted run",
                    path.display()
                );
            }
        }
        let errors: Vec<(String, String)> = found
            .errors
            .iter()
            .map(|(p, m)| (p.display().to_string(), m.clone()))
            .collect();
        let (inputs, clashes) = split_clashes(found.inputs, &sink);
        let mut errors = errors;
        errors.extend(clashes);
        (inputs, errors)
    };

    // Folders that yield no file: a filter that matched nothing is a mistake to report.
    if inputs.is_empty() && errors.is_empty() && !stdin {
        let folders: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        if walk_args.globs.is_empty() {
            if !args.quiet {
                eprintln!(
                    "thresh: warning: no files to clean in {} (hidden files and paths in \
                     .gitignore are left out; --no-ignore takes them)",
                    folders.join(", ")
                );
            }
        } else {
            return fail(format!(
                "--glob {} matched no file in {}: nothing was cleaned",
                walk_args.globs.join(" --glob "),
                folders.join(", ")
            ));
        }
    }
    // A JSONL file cleaned as text loses its structure: say so before anything is written.
    if !args.quiet {
        for input in inputs.iter().filter(|i| looks_like_jsonl(&i.path)) {
            eprintln!(
                "thresh: warning: {} looks like JSONL: it is cleaned as plain text (JSON and \
                 all); use --jsonl to clean the text field of each record",
                display_name(input)
            );
        }
    }
    let threads = args.threads.map_or(0, |n| n.get());
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => return fail(format!("cannot start worker threads: {e}")),
    };
    let want = Want {
        dropped: args.format != Format::Text,
        diff: sink == Sink::Diff,
        form: args.format == Format::Github,
    };
    let stats = match table {
        Some(t) => Some(t),
        None if args.corpus => {
            let quiet = args.quiet || sink == Sink::Stdout;
            let progress = Progress::with(Some(inputs.len()), "files", "pass 1/2: ", quiet);
            let counted = pool
                .install(|| count_files(&pipeline, &inputs, encoding, split.as_ref(), &progress));
            progress.finish();
            Some(counted.stats)
        }
        None => None,
    };
    let phase = if args.corpus { "pass 2/2: " } else { "" };
    let progress = Progress::with(
        Some(inputs.len()),
        "files",
        phase,
        args.quiet || sink == Sink::Stdout,
    );
    // Reports go to standard output unless the cleaned text or the diffs are there.
    let mut out = io::stdout().lock();
    let reports_to_stderr = matches!(sink, Sink::Stdout | Sink::Diff);
    let mut reporters = report::reporters(
        args.format,
        sink == Sink::Check && !args.quiet,
        (sink == Sink::Diff).then(|| Paint::new(args.color.enabled())),
        args.stats.then(|| StatsTable {
            noun: "files",
            config: Some(match config.path() {
                Some(p) => p.display().to_string(),
                None => "none (built-in settings)".to_string(),
            }),
        }),
    );
    // Files are cleaned in chunks, and what a chunk prints is printed before the next starts,
    // so memory does not grow with the number of files: per-file statistics are added up as
    // workers go, and only the JSON and GitHub reports, which list every file, keep results.
    let per_file = args.format != Format::Text;
    let chunk_len = if per_file { inputs.len().max(1) } else { CHUNK };
    let job = Job {
        pipeline: &pipeline,
        sink: &sink,
        corpus: stats.as_ref(),
        want,
        encoding,
        split: split.as_ref(),
    };
    let mut total = Stats::default();
    let mut cleaned = 0;
    let mut changed = 0;
    let mut write_result = Ok(());
    for chunk in inputs.chunks(chunk_len) {
        let (results, sum): (Vec<FileResult>, Stats) = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let r = process(&job, input);
                    progress.file_done(r.stats.as_ref().map_or(0, |s| s.bytes));
                    r
                })
                .fold(
                    || (Vec::new(), Stats::default()),
                    |(mut results, mut total), mut r| {
                        if let Some(s) = &r.stats {
                            total += s;
                        }
                        if !per_file {
                            r.stats = None;
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
        });
        total += &sum;
        for (input, r) in chunk.iter().zip(results) {
            let name = display_name(input);
            if let Some(msg) = &r.error {
                errors.push((name, msg.clone()));
                continue;
            }
            if let Some(note) = &r.note
                && !args.quiet
            {
                eprintln!("thresh: note: {name}: {note}");
            }
            cleaned += 1;
            changed += usize::from(r.changed);
            // The cleaned text (to standard output), then what the reports print of the file.
            let mut printed = r.text.unwrap_or_default();
            let file = FileReport {
                name,
                changed: r.changed,
                stats: r.stats,
                detail: r.detail,
                form: r.form,
            };
            for reporter in &mut reporters {
                printed.push_str(&reporter.file(&file));
            }
            if !printed.is_empty() && write_result.is_ok() {
                write_result = out.write_all(printed.as_bytes());
            }
        }
    }
    progress.finish();

    for (p, m) in &errors {
        error(format!("{p}: {m}"));
    }
    let ended = RunReport {
        total: &total,
        cleaned,
        changed,
        errors: &errors,
        started,
    };
    for reporter in &mut reporters {
        let text = reporter.finish(&ended);
        if text.is_empty() {
            continue;
        }
        if reports_to_stderr {
            eprint!("{text}");
        } else if write_result.is_ok() {
            write_result = out.write_all(text.as_bytes());
        }
    }
    if let Err(e) = write_result.and_then(|()| out.flush())
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return fail(format!("standard output: {}", io_message(&e)));
    }
    if !args.quiet && args.format == Format::Text && sink != Sink::Stdout {
        eprintln!("{}", summary(&sink, &total, cleaned, changed, errors.len()));
    }
    if !errors.is_empty() {
        EXIT_ERROR
    } else if changed > 0 && matches!(sink, Sink::Check | Sink::Diff) {
        EXIT_CHANGED
    } else {
        EXIT_OK
    }
}

/// The name of an input in reports.
fn display_name(input: &Input) -> String {
    if input.path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        input.path.display().to_string()
    }
}

fn summary(sink: &Sink, total: &Stats, n: usize, changed: usize, failed: usize) -> String {
    let (checked, place) = match sink {
        Sink::Dir(d) => (false, format!(" into {}", d.display())),
        Sink::InPlace => (false, " in place".to_string()),
        Sink::Check | Sink::Diff => (true, String::new()),
        Sink::Stdout => return String::new(),
    };
    let mut line = Summary {
        checked,
        count: n,
        noun: ("file", "files"),
        place,
        changed,
        total,
    }
    .line();
    if failed > 0 {
        line.push_str(&format!("; {failed} failed"));
    }
    line
}

/// Which report details the workers build.
#[derive(Debug, Clone, Copy)]
struct Want {
    dropped: bool,
    diff: bool,
    /// What changes besides dropped lines (the GitHub report).
    form: bool,
}

/// Reads an input: a file, or standard input for `-`.
fn load(input: &Input) -> Result<Vec<u8>, String> {
    if input.path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| io_message(&e))?;
        Ok(buf)
    } else {
        fs::read(&input.path).map_err(|e| io_message(&e))
    }
}

/// What every worker needs to clean a file.
struct Job<'a> {
    pipeline: &'a Pipeline,
    sink: &'a Sink,
    corpus: Option<&'a CorpusStats>,
    want: Want,
    encoding: Option<&'a str>,
    /// `--split-on`: files hold several documents, split at the lines this matches.
    split: Option<&'a Regex>,
}

fn process(job: &Job<'_>, input: &Input) -> FileResult {
    match try_process(job, input) {
        Ok(r) => r,
        Err(e) => FileResult {
            stats: None,
            changed: false,
            error: Some(e),
            detail: Detail::default(),
            text: None,
            note: None,
            form: Vec::new(),
        },
    }
}

fn try_process(job: &Job<'_>, input: &Input) -> Result<FileResult, String> {
    let (pipeline, want) = (job.pipeline, job.want);
    let bytes = load(input)?;
    let (text, used) =
        thresh::repair::decode_bytes(&bytes, job.encoding).map_err(|e| e.to_string())?;
    let note = (used.source == thresh::repair::EncodingSource::Fallback).then(|| {
        "not UTF-8: read as windows-1252, which decodes it cleanly \
         (pass --encoding NAME to choose another)"
            .to_string()
    });
    // Without per-line reports, a dump of many documents is cleaned in batches that are let
    // go as they are written out.
    if let Some(sep) = job.split
        && !want.dropped
        && !want.diff
    {
        let (out, stats) = pipeline.clean_documents_text(&text, sep, job.corpus);
        return finish_file(job, input, &bytes, out, stats, Detail::default())
            .map(|r| FileResult { note, ..r });
    }
    let docs = pipeline.clean_documents(&text, job.split, job.corpus);
    let out = docs.text();
    let detail = report::detail(
        &docs,
        &text,
        &display_name(input),
        want.dropped,
        want.diff,
        bytes.starts_with(b"\xEF\xBB\xBF"),
    );
    let stats = docs.stats();
    docs.free();
    finish_file(job, input, &bytes, out, stats, detail).map(|r| FileResult { note, ..r })
}

/// Writes a cleaned file where the sink wants it, and gives its result.
fn finish_file(
    job: &Job<'_>,
    input: &Input,
    bytes: &[u8],
    out: String,
    stats: Stats,
    detail: Detail,
) -> Result<FileResult, String> {
    let sink = job.sink;
    let changed = out.as_bytes() != bytes;
    match sink {
        Sink::Dir(dir) => {
            let dest = dir.join(&input.rel);
            if dest.exists() && same_file(&dest, &input.path) {
                return Err(format!(
                    "output {} is the input itself; use --in-place to rewrite files",
                    dest.display()
                ));
            }
            // A copy takes its source's permissions, as the input would have them (the
            // temporary file it is written through starts private).
            let perms = match input.path.as_os_str() == "-" {
                true => None,
                false => fs::metadata(&input.path).ok().map(|m| m.permissions()),
            };
            write_atomic(&dest, out.as_bytes(), perms, false)?;
        }
        Sink::InPlace => {
            if changed {
                let perms = fs::metadata(&input.path)
                    .map_err(|e| io_message(&e))?
                    .permissions();
                // A symbolic link stays a link: its target is what gets cleaned.
                let is_link =
                    fs::symlink_metadata(&input.path).is_ok_and(|m| m.file_type().is_symlink());
                let dest = if is_link {
                    fs::canonicalize(&input.path).map_err(|e| io_message(&e))?
                } else {
                    input.path.clone()
                };
                write_atomic(&dest, out.as_bytes(), Some(perms), true)?;
            }
        }
        Sink::Stdout | Sink::Check | Sink::Diff => {}
    }
    let form = if changed && job.want.form {
        form_changes(bytes, &out, &stats)
    } else {
        Vec::new()
    };
    Ok(FileResult {
        stats: Some(stats),
        changed,
        error: None,
        detail,
        form,
        text: (*sink == Sink::Stdout).then_some(out),
        note: None,
    })
}

/// True for a file named as JSONL streams are: `.jsonl` or `.ndjson`, compressed or not.
fn looks_like_jsonl(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
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

/// With `-o`, two inputs that map to the same output path: the second is refused.
fn split_clashes(inputs: Vec<Input>, sink: &Sink) -> (Vec<Input>, Vec<(String, String)>) {
    let Sink::Dir(dir) = sink else {
        return (inputs, Vec::new());
    };
    let mut seen: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
    let mut keep = Vec::with_capacity(inputs.len());
    let mut clashes = Vec::new();
    for input in inputs {
        match seen.get(&input.rel) {
            Some(first) => clashes.push((
                input.path.display().to_string(),
                format!(
                    "skipped: its output {} is already written for {}",
                    dir.join(&input.rel).display(),
                    first.display()
                ),
            )),
            None => {
                seen.insert(input.rel.clone(), input.path.clone());
                keep.push(input);
            }
        }
    }
    (keep, clashes)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Writes `data` to `dest` through a temporary file in the same folder and a rename, so
/// `dest` is either its old self or complete. The temporary file is removed on any failure.
pub(crate) fn write_atomic(
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
        .prefix(&temp::prefix())
        .suffix(temp::SUFFIX)
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
