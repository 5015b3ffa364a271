//! The command-line interface: argument parsing, configuration of the rule set, the modes of
//! `thresh clean`, and all printing. The library below it does no IO.

mod args;
mod clean;
mod config;
mod corpus_cmd;
mod explain;
mod jsonl;
mod progress;
mod report;
mod rules_cmd;
mod stream;
mod temp;
mod train;
mod walk;

use std::borrow::Cow;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
pub(crate) use thresh::files::{io_message, read_rule_dir};

use args::{Cli, Command};

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: a check found something to change, or a rule test failed.
pub(crate) const EXIT_CHANGED: u8 = 1;
/// Exit code: bad arguments, bad rules, or a file that failed.
pub(crate) const EXIT_ERROR: u8 = 2;

pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Clean(mut args) => {
            if args.paths.is_empty() {
                use std::io::IsTerminal;
                if io::stdin().is_terminal() {
                    return ExitCode::from(fail(
                        "nothing to clean: give files or folders, or - to read standard input \
                         (see thresh clean --help)",
                    ));
                }
                args.paths.push("-".into());
            }
            clean::run(&args)
        }
        Command::CorpusStats(args) => corpus_cmd::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(args) => rules_cmd::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Completions(args) => {
            // Into a buffer first: the generator panics when standard output closes early
            // (`thresh completions zsh | head -3`).
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "thresh", &mut buf);
            print_bytes(&buf)
        }
        Command::Man(args) => man(args.command.as_deref(), args.dir.as_deref()),
    };
    ExitCode::from(code)
}

/// Writes `bytes` to standard output; a reader that stops early (a closed pipe) is no error.
fn print_bytes(bytes: &[u8]) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => fail(format!("standard output: {}", io_message(&e))),
    }
}

/// `thresh man`: the top page, one command's page, or every page into a folder.
fn man(command: Option<&str>, dir: Option<&std::path::Path>) -> u8 {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = dir {
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
        {
            return fail(format!("--dir {}: {}", dir.display(), io_message(&e)));
        }
        return EXIT_OK;
    }
    let page = match command {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return fail(format!(
                    "man {name}: no such command, expected one of {}",
                    known.join(", ")
                ));
            }
        },
    };
    let mut buf = Vec::new();
    match clap_mangen::Man::new(page).render(&mut buf) {
        Ok(()) => print_bytes(&buf),
        Err(e) => fail(format!("cannot render the manual page: {}", io_message(&e))),
    }
}

/// Prints `msg` as an error and gives the exit code for it.
pub(crate) fn fail(msg: impl std::fmt::Display) -> u8 {
    error(msg);
    EXIT_ERROR
}

/// Prints an error: `thresh: {message}`, each line of a message of several.
pub(crate) fn error(message: impl std::fmt::Display) {
    for line in message.to_string().lines() {
        eprintln!("thresh: {line}");
    }
}

/// Decodes a file's bytes: UTF-8 (a BOM stripped), UTF-16 with a BOM, the named encoding, or
/// an encoding detected with confidence; anything else is an error, never a guess.
pub(crate) fn decode<'a>(bytes: &'a [u8], encoding: Option<&str>) -> Result<Cow<'a, str>, String> {
    thresh::repair::decode_bytes(bytes, encoding)
        .map(|(text, _)| text)
        .map_err(|e| e.to_string())
}

/// Checks an `--encoding` label before any file is read.
pub(crate) fn check_encoding(encoding: Option<&str>) -> Result<(), String> {
    match encoding {
        Some(label) => thresh::repair::decode_bytes(b"", Some(label))
            .map(|_| ())
            .map_err(|e| format!("--encoding {label}: {e}")),
        None => Ok(()),
    }
}

/// Compiles `--split-on REGEX`, refusing a regex that matches an empty line: blank lines part
/// the paragraphs of nearly every page, and each paragraph would be cleaned alone.
pub(crate) fn split_regex(pattern: Option<&str>) -> Result<Option<regex::Regex>, String> {
    let Some(pattern) = pattern else {
        return Ok(None);
    };
    let re = regex::Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let detail = detail.lines().last().unwrap_or("").trim().to_string();
        format!(
            "--split-on {pattern:?}: invalid regex ({detail}); expected a regex for the \
             separator line, e.g. '^\\f$' (a form feed alone on its line)"
        )
    })?;
    if re.is_match("") {
        return Err(format!(
            "--split-on {pattern:?}: matches an empty line, so every blank line would end a \
             document; expected a regex that only the separator line matches, e.g. \
             '^<<<END>>>$'"
        ));
    }
    Ok(Some(re))
}
