//! `thresh explain FILE`: every line with its verdict and the rule or heuristic behind it.

use std::io::{self, Write};

use thresh::{Line, Part};

use crate::cli::Exit;
use crate::cli::args::{ExplainArgs, ExplainFormat};
use crate::cli::config::Config;
use crate::cli::corpus::load_table;
use crate::cli::error::Error;
use crate::cli::input::{decode, read, split_regex};
use crate::cli::report::Paint;
use crate::cli::stdout_written;

pub(crate) fn run(args: &ExplainArgs) -> Result<Exit, Error> {
    let (_, pipeline, normalize) = Config::for_command(
        &args.rules,
        &args.normalize,
        std::slice::from_ref(&args.file),
    )?;
    let split = split_regex(args.split_on.as_deref())?;
    let table = match &args.corpus_stats {
        Some(path) => Some(load_table(path, &pipeline, false)?),
        None => None,
    };
    let name = args.file.display();
    let bytes = read(&args.file).map_err(|e| Error::io(&name, e))?;
    let text = decode(&bytes, normalize.encoding.as_deref()).map_err(|e| e.about(&name))?;
    let docs = pipeline.clean_documents(&text, split.as_ref(), table.as_ref());
    let paint = Paint::new(args.color.enabled());
    let mut out = io::stdout().lock();
    let result = (|| -> io::Result<()> {
        if args.format == ExplainFormat::Json {
            serde_json::to_writer_pretty(&mut out, &json_lines(&docs, args.only_dropped))?;
            writeln!(out)?;
            return out.flush();
        }
        for part in &docs.parts {
            let outcome = match part {
                Part::Document(o) => o,
                Part::Separator { number, text } => {
                    if !args.only_dropped {
                        writeln!(out, "{number:>5} = {text}")?;
                    }
                    continue;
                }
            };
            if let (Some(h), Some(first), false) =
                (&outcome.header, outcome.lines.first(), args.only_dropped)
            {
                writeln!(out, "{:>5} h {h}", first.number)?;
            }
            explain_lines(&mut out, &outcome.lines, args.only_dropped, paint)?;
        }
        out.flush()
    })();
    stdout_written(result)?;
    Ok(Exit::Ok)
}

/// Writes each line of one document with its verdict: `+` kept, `~` changed (and by what),
/// `-` dropped (and by what, why).
fn explain_lines(
    out: &mut impl Write,
    lines: &[Line<'_>],
    only_dropped: bool,
    paint: Paint,
) -> io::Result<()> {
    for line in lines {
        match line.verdict.dropped() {
            Some(d) => {
                let row = format!("{:>5} - {}", line.number, line.text);
                writeln!(out, "{}", paint.red(&row))?;
                writeln!(
                    out,
                    "        {}",
                    paint.dim(&format!("{}: {}", d.by, d.reason))
                )?;
            }
            None if only_dropped => {}
            None if line.edits.is_empty() => {
                writeln!(out, "{:>5} + {}", line.number, line.text)?;
            }
            None => {
                let ids: Vec<&str> = line.edits.iter().map(|e| e.as_ref()).collect();
                let row = format!("{:>5} ~ {}", line.number, line.text);
                writeln!(out, "{}", paint.yellow(&row))?;
                writeln!(
                    out,
                    "        {}",
                    paint.dim(&format!("changed by {}", ids.join(", ")))
                )?;
            }
        }
    }
    Ok(())
}

/// One line of `explain --format json`.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    line: usize,
    verdict: &'static str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    edits: Vec<&'a str>,
}

/// The lines of `docs` as `explain --format json` gives them.
fn json_lines<'a>(docs: &'a thresh::Documents<'_>, only_dropped: bool) -> Vec<JsonLine<'a>> {
    let mut out = Vec::new();
    let plain = |line, verdict, text| JsonLine {
        line,
        verdict,
        text,
        rule: None,
        reason: None,
        edits: Vec::new(),
    };
    for part in &docs.parts {
        let outcome = match part {
            Part::Document(o) => o,
            Part::Separator { number, text } => {
                if !only_dropped {
                    out.push(plain(*number, "separator", text));
                }
                continue;
            }
        };
        if let (Some(h), Some(first), false) =
            (&outcome.header, outcome.lines.first(), only_dropped)
        {
            out.push(plain(first.number, "header", h));
        }
        for l in &outcome.lines {
            match l.verdict.dropped() {
                Some(d) => out.push(JsonLine {
                    rule: Some(&d.by),
                    reason: Some(&d.reason),
                    ..plain(l.number, "dropped", &l.text)
                }),
                None if only_dropped => {}
                None if l.edits.is_empty() => out.push(plain(l.number, "kept", &l.text)),
                None => out.push(JsonLine {
                    edits: l.edits.iter().map(|e| e.as_ref()).collect(),
                    ..plain(l.number, "changed", &l.text)
                }),
            }
        }
    }
    out
}
