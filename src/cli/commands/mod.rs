//! The commands, one module each, each with `run(args) -> Result<Exit, Error>`.

mod clean;
mod completions;
mod corpus_stats;
mod explain;
mod man;
mod rules;
mod train;

use super::Exit;
use super::args::Command;
use super::error::Error;

/// Runs the command the arguments name.
pub(crate) fn run(command: Command) -> Result<Exit, Error> {
    match command {
        Command::Clean(mut args) => {
            clean::stdin_by_default(&mut args)?;
            clean::run(&args)
        }
        Command::CorpusStats(args) => corpus_stats::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    }
}
