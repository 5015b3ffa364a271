//! The command-line interface: argument parsing, configuration of the rule set, the commands
//! (one module each under `commands/`), and all printing. The library below it does no IO.
//! Commands return how they ended or a typed [`Error`]; this module prints the error, once,
//! and turns either into the exit code.

mod args;
mod commands;
mod config;
mod corpus;
mod error;
mod input;
mod jsonl;
mod progress;
mod report;
mod stream;
mod temp;
mod walk;
mod workers;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
pub(crate) use thresh::files::{io_message, read_rule_dir};

use args::Cli;
use error::Error;

/// How a command that ran to its end ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Success: exit code 0.
    Ok,
    /// A check found something to change, or a rule test failed: exit code 1.
    Changed,
    /// Errors were reported along the way (files that failed, bad records skipped), and the
    /// rest was done: exit code 2.
    Failed,
}

/// Exit code: bad arguments, bad rules, or a file that failed.
const EXIT_ERROR: u8 = 2;

impl Exit {
    fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Changed => 1,
            Exit::Failed => EXIT_ERROR,
        }
    }
}

pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli.command) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            error(e);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints an error: `thresh: {message}`, each line of a message of several.
pub(crate) fn error(message: impl std::fmt::Display) {
    for line in message.to_string().lines() {
        eprintln!("thresh: {line}");
    }
}

/// Writes `bytes` to standard output; a reader that stops early (a closed pipe) is no error.
pub(crate) fn print_bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    stdout_written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// The outcome of writing to standard output: a reader that stopped early (a closed pipe) is
/// no error.
pub(crate) fn stdout_written(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::io("standard output", e)),
        _ => Ok(()),
    }
}
