//! The `thresh` binary: parses arguments and hands over to `cli`, which owns all IO, the
//! thread pool and the reporting. Errors print as `thresh: {error}`; the exit code is 0 on
//! success, 1 when a check found changes, 2 on any error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
