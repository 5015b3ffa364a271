//! `thresh completions SHELL`: a shell completion script.

use clap::CommandFactory;

use crate::cli::Exit;
use crate::cli::args::{Cli, CompletionsArgs};
use crate::cli::error::Error;
use crate::cli::print_bytes;

pub(crate) fn run(args: &CompletionsArgs) -> Result<Exit, Error> {
    // Into a buffer first: the generator panics when standard output closes early
    // (`thresh completions zsh | head -3`).
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "thresh", &mut buf);
    print_bytes(&buf)?;
    Ok(Exit::Ok)
}
