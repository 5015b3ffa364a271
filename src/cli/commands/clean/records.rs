//! `thresh clean --jsonl`: streams of JSON objects, one a line (see `cli::jsonl`). Records are
//! read in batches, cleaned in parallel and written in input order, so memory holds one
//! batch. `.gz` and `.zst` files are read and written compressed.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use thresh::{CorpusStats, Pipeline, Stats};

use crate::cli::Exit;
use crate::cli::args::{CleanArgs, Format};
use crate::cli::error::Error;
use crate::cli::input::stdin_count;
use crate::cli::jsonl::{BadRecords, Cleaned, Stream, clean_record};
use crate::cli::progress::Progress;
use crate::cli::report::stats::StatsTable;
use crate::cli::report::text::{Summary, plural};
use crate::cli::report::{self, FileReport, RunReport};
use crate::cli::stream::open_output;

pub(super) fn run(
    args: &CleanArgs,
    pipeline: &Pipeline,
    corpus: Option<&CorpusStats>,
    pool: &rayon::ThreadPool,
) -> Result<Exit, Error> {
    if args.in_place || args.diff {
        return Err(Error::Usage(
            "--jsonl cleans streams to standard output or -o FILE (or checks them with \
             --check); --in-place and --diff work on files"
                .into(),
        ));
    }
    if stdin_count(&args.paths) > 1 {
        return Err(Error::Usage(
            "standard input (-) can be read once: give - at most once".into(),
        ));
    }
    if args.corpus {
        return Err(Error::Usage(
            "--corpus reads its inputs twice, and a stream can be read once: count the stream \
             first with `thresh corpus-stats --jsonl IN -o TABLE`, then clean it with \
             --corpus-stats TABLE"
                .into(),
        ));
    }
    if let Some(dest) = &args.output
        && dest.is_dir()
    {
        return Err(Error::Usage(format!(
            "-o {}: is a folder; with --jsonl, -o names the output file",
            dest.display()
        )));
    }
    // Every input opens before anything is written: a missing file is found at once.
    let streams = args
        .paths
        .iter()
        .map(|p| Stream::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    // --check writes nothing.
    let mut out = match args.check {
        true => None,
        false => Some(open_output(args.output.as_deref()).map_err(|e| {
            let dest = args.output.as_deref().unwrap_or(Path::new("-"));
            Error::io(format_args!("-o {}", dest.display()), e)
        })?),
    };
    let started = Instant::now();
    let field = args.text_field.as_str();
    let want_detail = args.format != Format::Text;
    let mut total = Stats::default();
    let mut changed = 0usize;
    let mut bad = BadRecords::new(args.skip_bad, args.quiet);
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
    for mut stream in streams {
        while let Some(batch) = stream.next_batch(&progress)? {
            let results: Vec<Result<Cleaned, Error>> = pool.install(|| {
                batch
                    .par_iter()
                    .map(|(_, raw)| clean_record(pipeline, raw, field, corpus, want_detail))
                    .collect()
            });
            for ((n, _), r) in batch.iter().zip(results) {
                let c = match r {
                    Ok(c) => c,
                    Err(e) => {
                        bad.skip(&stream, *n, e, || match &args.output {
                            Some(dest) => format!("{} not written", dest.display()),
                            None => "stopped".to_string(),
                        })?;
                        continue;
                    }
                };
                let Some(line) = &c.line else { continue };
                total += &c.stats;
                changed += usize::from(c.changed);
                let file = FileReport {
                    name: format!("{}:{n}", stream.name),
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
                        return Ok(Exit::Ok);
                    }
                    return Err(Error::io("writing the output", e));
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
        return Err(Error::io("writing the output", e));
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
            crate::cli::print_bytes(report_text.as_bytes())?;
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
        if bad.skipped > 0 {
            line.push_str(&format!("; {} bad records skipped", bad.skipped));
        }
        eprintln!("{line}");
    }
    Ok(if bad.skipped > 0 {
        Exit::Failed
    } else if args.check && changed > 0 {
        Exit::Changed
    } else {
        Exit::Ok
    })
}
