//! `thresh clean`: standard input or one file to standard output, many files to an output
//! folder (`-o`) or in place, or nothing written at all (`--check`, `--diff`); JSONL streams
//! with `--jsonl` (`records`). A run goes in steps: the setup (configuration, pipeline,
//! corpus table), the sink and the inputs, the jobs (workers clean chunks of files and return
//! data, `job`), the reports of each file in input order, and the summary. Only this module
//! prints, so the output is the same at any thread count.

mod job;
mod records;
mod sink;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use regex::Regex;
use thresh::{CorpusStats, Pipeline, Stats};

use self::job::{FileResult, Job, Want};
use self::sink::Sink;
use crate::cli::args::{CleanArgs, Format, WalkArgs};
use crate::cli::config::Config;
use crate::cli::corpus::{count_files, load_table};
use crate::cli::error::{Error, Failures};
use crate::cli::input::{self, Input};
use crate::cli::progress::Progress;
use crate::cli::report::stats::StatsTable;
use crate::cli::report::text::Summary;
use crate::cli::report::{self, FileReport, Paint, Reporter, RunReport};
use crate::cli::{Exit, error, io_message, stdout_written, walk, workers};

const CORPUS_NEEDS_FILES: &str = "--corpus compares files with each other: give folders or \
     several files, with -o DIR, --in-place, --check or --diff; to clean one file or standard \
     input in a corpus, count the corpus with `thresh corpus-stats` and pass --corpus-stats \
     TABLE";

/// Files cleaned before what they print is printed and their results let go.
const CHUNK: usize = 4096;

/// No PATH: standard input, when it is not a terminal (`thresh clean < page.txt`).
pub(crate) fn stdin_by_default(args: &mut CleanArgs) -> Result<(), Error> {
    if args.paths.is_empty() {
        if io::stdin().is_terminal() {
            return Err(Error::Usage(
                "nothing to clean: give files or folders, or - to read standard input \
                 (see thresh clean --help)"
                    .into(),
            ));
        }
        args.paths.push("-".into());
    }
    Ok(())
}

/// What a run cleans with, read before any input.
struct Setup {
    config: Config,
    pipeline: Pipeline,
    encoding: Option<String>,
    split: Option<Regex>,
    walk: WalkArgs,
    /// `--corpus-stats TABLE`.
    table: Option<CorpusStats>,
}

impl Setup {
    fn new(args: &CleanArgs) -> Result<Setup, Error> {
        let (config, pipeline, normalize) =
            Config::for_command(&args.rules, &args.normalize, &args.paths)?;
        let split = input::split_regex(args.split_on.as_deref())?;
        let walk = config.walk(&args.walk);
        let table = match &args.corpus_stats {
            Some(path) => Some(load_table(path, &pipeline, args.quiet)?),
            None => None,
        };
        Ok(Setup {
            config,
            pipeline,
            encoding: normalize.encoding,
            split,
            walk,
            table,
        })
    }
}

/// The counts of a run.
#[derive(Default)]
struct Tally {
    total: Stats,
    cleaned: usize,
    changed: usize,
}

pub(crate) fn run(args: &CleanArgs) -> Result<Exit, Error> {
    // The pool first: compiling the rules' automata runs on it too, within -j.
    let pool = workers::pool(args.threads)?;
    let Setup {
        config,
        pipeline,
        encoding,
        split,
        walk,
        table,
    } = pool.install(|| Setup::new(args))?;
    // The process ends with this command: freeing the compiled automata would only cost time.
    let pipeline = std::mem::ManuallyDrop::new(pipeline);
    if args.jsonl {
        return records::run(args, &pipeline, table.as_ref(), &pool);
    }
    // Throughput counts reading, cleaning and writing, not compiling the rules.
    let started = Instant::now();
    let stdin = input::stdin_alone(&args.paths)?;
    let sink = Sink::choose(args, stdin)?;
    if args.corpus && (sink == Sink::Stdout || stdin) {
        return Err(Error::Usage(CORPUS_NEEDS_FILES.into()));
    }
    let (inputs, errors) = find_inputs(args, &sink, stdin, &walk)?;
    warn_of_jsonl(args, &inputs);
    let encoding = encoding.as_deref();
    let quiet = args.quiet || sink == Sink::Stdout;
    // Corpus mode: pass 1 counts the lines of every input, unless a table has them.
    let corpus = match table {
        Some(t) => Some(t),
        None if args.corpus => {
            let progress = Progress::with(Some(inputs.len()), "files", "pass 1/2: ", quiet);
            let counted = pool
                .install(|| count_files(&pipeline, &inputs, encoding, split.as_ref(), &progress));
            progress.finish();
            Some(counted.stats)
        }
        None => None,
    };
    let phase = if args.corpus { "pass 2/2: " } else { "" };
    let progress = Progress::with(Some(inputs.len()), "files", phase, quiet);
    let job = Job {
        pipeline: &pipeline,
        sink: &sink,
        corpus: corpus.as_ref(),
        want: Want {
            dropped: args.format != Format::Text,
            diff: sink == Sink::Diff,
            form: args.format == Format::Github,
        },
        encoding,
        split: split.as_ref(),
    };
    let mut printing = Printing::new(args, &sink, &config, errors);
    // Files are cleaned in chunks, and what a chunk prints is printed before the next starts,
    // so memory does not grow with the number of files: per-file statistics are added up as
    // workers go, and only the JSON and GitHub reports, which list every file, keep results.
    let per_file = args.format != Format::Text;
    let chunk_len = if per_file { inputs.len().max(1) } else { CHUNK };
    for chunk in inputs.chunks(chunk_len) {
        let (results, sum) = job.clean_chunk(&pool, chunk, &progress, per_file);
        printing.tally.total += &sum;
        for (input, r) in chunk.iter().zip(results) {
            printing.file(input, r);
        }
    }
    progress.finish();
    let (tally, failed) = printing.end(started)?;
    if !args.quiet
        && args.format == Format::Text
        && let Some(line) = summary(&sink, &tally, failed)
    {
        eprintln!("{line}");
    }
    Ok(if failed > 0 {
        Exit::Failed
    } else if tally.changed > 0 && matches!(sink, Sink::Check | Sink::Diff) {
        Exit::Changed
    } else {
        Exit::Ok
    })
}

/// What a run prints as the results come in, in input order: the cleaned text (to standard
/// output), what the reports say of each file and at the end, the files that failed.
struct Printing {
    reporters: Vec<Box<dyn Reporter>>,
    out: io::StdoutLock<'static>,
    /// A write to standard output that failed ends writing there, and is the run's error.
    written: io::Result<()>,
    /// The reports at the end go to standard error: the cleaned text or the diffs are on
    /// standard output.
    reports_to_stderr: bool,
    quiet: bool,
    tally: Tally,
    errors: Failures,
}

impl Printing {
    /// `errors`: the inputs that failed before cleaning began.
    fn new(args: &CleanArgs, sink: &Sink, config: &Config, errors: Failures) -> Printing {
        let reporters = report::reporters(
            args.format,
            *sink == Sink::Check && !args.quiet,
            (*sink == Sink::Diff).then(|| Paint::new(args.color.enabled())),
            args.stats.then(|| StatsTable {
                noun: "files",
                config: Some(match config.path() {
                    Some(p) => p.display().to_string(),
                    None => "none (built-in settings)".to_string(),
                }),
            }),
        );
        Printing {
            reporters,
            out: io::stdout().lock(),
            written: Ok(()),
            reports_to_stderr: matches!(sink, Sink::Stdout | Sink::Diff),
            quiet: args.quiet,
            tally: Tally::default(),
            errors,
        }
    }

    /// Takes the result of one file: a failure is kept for the end; a cleaned file is
    /// counted, its note said, and its text and what the reports say of it printed.
    fn file(&mut self, input: &Input, result: Result<FileResult, Error>) {
        let name = input.name();
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                self.errors.push((name, e.to_string()));
                return;
            }
        };
        if let Some(note) = r.note
            && !self.quiet
        {
            eprintln!("thresh: note: {name}: {note}");
        }
        self.tally.cleaned += 1;
        self.tally.changed += usize::from(r.changed);
        let mut printed = r.text.unwrap_or_default();
        let file = FileReport {
            name,
            changed: r.changed,
            stats: r.stats,
            detail: r.detail,
            form: r.form,
        };
        for reporter in &mut self.reporters {
            printed.push_str(&reporter.file(&file));
        }
        self.print(&printed);
    }

    /// Writes `text` to standard output, unless a write there failed.
    fn print(&mut self, text: &str) {
        if !text.is_empty() && self.written.is_ok() {
            self.written = self.out.write_all(text.as_bytes());
        }
    }

    /// Reports the files that failed, then prints the reports' ends. Gives the counts and
    /// the number of files that failed, or the error of writing to standard output.
    fn end(mut self, started: Instant) -> Result<(Tally, usize), Error> {
        for (p, m) in &self.errors {
            error(format!("{p}: {m}"));
        }
        let ended = RunReport {
            total: &self.tally.total,
            cleaned: self.tally.cleaned,
            changed: self.tally.changed,
            errors: &self.errors,
            started,
        };
        let texts: Vec<String> = self
            .reporters
            .iter_mut()
            .map(|r| r.finish(&ended))
            .collect();
        for text in texts.iter().filter(|t| !t.is_empty()) {
            if self.reports_to_stderr {
                eprint!("{text}");
            } else {
                self.print(text);
            }
        }
        let written = std::mem::replace(&mut self.written, Ok(()));
        stdout_written(written.and_then(|()| self.out.flush()))?;
        Ok((self.tally, self.errors.len()))
    }
}

/// The inputs to clean, and the paths that failed already (not found, unreadable folders,
/// clashes of output paths), each with why. Stale temporary files of interrupted runs in the
/// folders the sink writes to are removed on the way.
fn find_inputs(
    args: &CleanArgs,
    sink: &Sink,
    stdin: bool,
    walk_args: &WalkArgs,
) -> Result<(Vec<Input>, Failures), Error> {
    let skip = sink.prepare(&args.paths)?;
    if stdin {
        return Ok((vec![Input::stdin()], Vec::new()));
    }
    let found = walk::discover(&args.paths, walk_args, skip.as_deref());
    remove_stale(
        &sink.stale_temp_files(&args.paths, &found.stale),
        args.quiet,
    );
    let mut errors: Failures = found
        .errors
        .iter()
        .map(|(p, m)| (p.display().to_string(), m.clone()))
        .collect();
    let (inputs, clashes) = sink.split_clashes(found.inputs);
    errors.extend(clashes);
    // Folders that yield no file: a filter that matched nothing is a mistake to report.
    if inputs.is_empty() && errors.is_empty() {
        let folders: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        if !walk_args.globs.is_empty() {
            return Err(Error::Usage(format!(
                "--glob {} matched no file in {}: nothing was cleaned",
                walk_args.globs.join(" --glob "),
                folders.join(", ")
            )));
        }
        if !args.quiet {
            eprintln!(
                "thresh: warning: no files to clean in {} (hidden files and paths in \
                 .gitignore are left out; --no-ignore takes them)",
                folders.join(", ")
            );
        }
    }
    Ok((inputs, errors))
}

/// Removes temporary files that interrupted runs left, saying so (unless `quiet`).
fn remove_stale(stale: &[PathBuf], quiet: bool) {
    for path in stale {
        if let Err(e) = std::fs::remove_file(path)
            && e.kind() != io::ErrorKind::NotFound
        {
            eprintln!(
                "thresh: note: cannot remove {}, a temporary file of an interrupted run: {}",
                path.display(),
                io_message(&e)
            );
        } else if !quiet {
            eprintln!(
                "thresh: note: removed {}, a temporary file of an interrupted run",
                path.display()
            );
        }
    }
}

/// A JSONL file cleaned as text loses its structure: say so before anything is written.
fn warn_of_jsonl(args: &CleanArgs, inputs: &[Input]) {
    if args.quiet {
        return;
    }
    for input in inputs.iter().filter(|i| looks_like_jsonl(&i.path)) {
        eprintln!(
            "thresh: warning: {} looks like JSONL: it is cleaned as plain text (JSON and \
             all); use --jsonl to clean the text field of each record",
            input.name()
        );
    }
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

/// The summary line: what was cleaned or checked, where to, what changed; none when the
/// cleaned text went to standard output.
fn summary(sink: &Sink, tally: &Tally, failed: usize) -> Option<String> {
    let (checked, place) = match sink {
        Sink::Dir(d) => (false, format!(" into {}", d.display())),
        Sink::InPlace => (false, " in place".to_string()),
        Sink::Check | Sink::Diff => (true, String::new()),
        Sink::Stdout => return None,
    };
    let mut line = Summary {
        checked,
        count: tally.cleaned,
        noun: ("file", "files"),
        place,
        changed: tally.changed,
        total: &tally.total,
    }
    .line();
    if failed > 0 {
        line.push_str(&format!("; {failed} failed"));
    }
    Some(line)
}
