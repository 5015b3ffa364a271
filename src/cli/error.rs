//! The command line's one error type. Commands return it; `cli::main` prints it once, each
//! line behind `thresh: `, and exits 2. Its messages say where, what and what was expected,
//! like the library's.
//!
//! A run over many files does not stop at a file that fails: the error of each is reported
//! (named by the file, in the order of the inputs) and the run exits 2 at the end. Such an
//! error's message leaves out the file's name, which the report puts in front of it.

use std::fmt;
use std::io;

use thresh::repair::EncodingError;

use super::io_message;

/// The files that failed in a run that went on: each file's name and what went wrong.
pub(crate) type Failures = Vec<(String, String)>;

#[derive(Debug)]
pub(crate) enum Error {
    /// Arguments that are wrong or do not go together: what is wrong, and what to give.
    Usage(String),
    /// Reading or writing failed; `context` names what (`-o out.tsv`, `standard output`,
    /// `cannot write out/a.txt`).
    Io { context: String, source: io::Error },
    /// An input that cannot be read, named by whoever reports it.
    Read(io::Error),
    /// An input that is not text in an encoding thresh reads, named by whoever reports it.
    Decode(EncodingError),
    /// `--encoding NAME` names no encoding.
    Encoding {
        label: String,
        source: EncodingError,
    },
    /// Rules, heuristic settings or a line model that do not load.
    Thresh(thresh::Error),
    /// A rule folder that cannot be read (the message names it as `--rules DIR`).
    RuleDir(String),
    /// A configuration file that cannot be used.
    Config(String),
    /// A corpus-statistics table that cannot be read, or does not go with the settings.
    Table(String),
    /// Labelled pages for `thresh train` that are not as expected.
    Pages(String),
    /// A JSONL record that cannot be cleaned or counted: what is wrong with it.
    Record(String),
    /// A bad record stopped a stream: where (`IN:LINE`), why, and what was left unwritten.
    StoppedAt {
        at: String,
        source: Box<Error>,
        outcome: String,
    },
    /// A file that failed, named, where no report of failed files names it.
    In { name: String, source: Box<Error> },
    /// The worker threads (`-j`) could not start.
    Threads(rayon::ThreadPoolBuildError),
}

impl Error {
    /// Reading or writing `context` failed.
    pub(crate) fn io(context: impl fmt::Display, source: io::Error) -> Error {
        Error::Io {
            context: context.to_string(),
            source,
        }
    }

    /// This error, about the input called `name`.
    pub(crate) fn about(self, name: impl fmt::Display) -> Error {
        Error::In {
            name: name.to_string(),
            source: Box::new(self),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m)
            | Error::RuleDir(m)
            | Error::Config(m)
            | Error::Table(m)
            | Error::Pages(m)
            | Error::Record(m) => f.write_str(m),
            Error::Io { context, source } => write!(f, "{context}: {}", io_message(source)),
            Error::Read(e) => f.write_str(&io_message(e)),
            Error::Decode(e) => write!(f, "{e}"),
            Error::Encoding { label, source } => write!(f, "--encoding {label}: {source}"),
            Error::Thresh(e) => write!(f, "{e}"),
            Error::StoppedAt {
                at,
                source,
                outcome,
            } => write!(
                f,
                "{at}: {source}; {outcome} (--skip-bad goes on past bad records)"
            ),
            Error::In { name, source } => write!(f, "{name}: {source}"),
            Error::Threads(e) => write!(f, "cannot start worker threads: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<thresh::Error> for Error {
    fn from(e: thresh::Error) -> Error {
        Error::Thresh(e)
    }
}
