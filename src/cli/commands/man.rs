//! `thresh man`: the top manual page, one command's page, or every page into a folder.

use clap::CommandFactory;

use crate::cli::Exit;
use crate::cli::args::{Cli, ManArgs};
use crate::cli::error::Error;
use crate::cli::print_bytes;

pub(crate) fn run(args: &ManArgs) -> Result<Exit, Error> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(cmd, dir))
            .map_err(|e| Error::io(format_args!("--dir {}", dir.display()), e))?;
        return Ok(Exit::Ok);
    }
    let page = match args.command.as_deref() {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(Error::Usage(format!(
                    "man {name}: no such command, expected one of {}",
                    known.join(", ")
                )));
            }
        },
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .map_err(|e| Error::io("cannot render the manual page", e))?;
    print_bytes(&buf)?;
    Ok(Exit::Ok)
}
