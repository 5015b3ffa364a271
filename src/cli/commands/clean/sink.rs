//! Where cleaned text goes (`thresh clean`'s sinks): standard output, an output folder (`-o`),
//! the inputs themselves (`--in-place`), or nowhere (`--check`, `--diff`); what each needs
//! before the run, and the writing of one cleaned file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::args::CleanArgs;
use crate::cli::error::{Error, Failures};
use crate::cli::input::{Input, is_stdin};
use crate::cli::temp::{self, write_atomic};

/// Where cleaned text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sink {
    /// One input's cleaned text to standard output.
    Stdout,
    /// Cleaned copies under this folder.
    Dir(PathBuf),
    /// Each input replaced atomically.
    InPlace,
    /// Nothing written: report which files would change.
    Check,
    /// Nothing written: print what would change, as unified diffs.
    Diff,
}

const STDIN_TO_STDOUT: &str =
    "standard input is cleaned to standard output; -o and --in-place need files";

impl Sink {
    /// The sink the arguments ask for; `stdin`: the input is standard input.
    pub(super) fn choose(args: &CleanArgs, stdin: bool) -> Result<Sink, Error> {
        let sink = if args.check {
            Sink::Check
        } else if args.diff {
            Sink::Diff
        } else if let Some(dir) = &args.output {
            if stdin {
                return Err(Error::Usage(STDIN_TO_STDOUT.into()));
            }
            Sink::Dir(dir.clone())
        } else if args.in_place {
            if stdin {
                return Err(Error::Usage(STDIN_TO_STDOUT.into()));
            }
            Sink::InPlace
        } else if stdin {
            Sink::Stdout
        } else if args.paths.len() > 1 {
            return Err(Error::Usage(
                "several inputs: choose -o DIR to write cleaned copies, --in-place to rewrite \
                 the files, or --check / --diff to see what would change"
                    .into(),
            ));
        } else if args.paths[0].is_dir() {
            return Err(Error::Usage(format!(
                "{}: is a folder: choose -o DIR to write cleaned copies, --in-place to rewrite \
                 its files, or --check / --diff to see what would change",
                args.paths[0].display()
            )));
        } else {
            Sink::Stdout
        };
        Ok(sink)
    }

    /// Makes ready to write: with `-o`, creates the folder and gives its canonical path (a
    /// folder the walk must not enter).
    pub(super) fn prepare(&self, inputs: &[PathBuf]) -> Result<Option<PathBuf>, Error> {
        match self {
            Sink::Dir(dir) => prepare_output(dir, inputs).map(Some),
            _ => Ok(None),
        }
    }

    /// Temporary files of interrupted runs in the folders this sink writes to.
    pub(super) fn stale_temp_files(&self, inputs: &[PathBuf], found: &[PathBuf]) -> Vec<PathBuf> {
        match self {
            Sink::InPlace => temp::stale_beside(inputs, found),
            Sink::Dir(dir) => temp::stale_below(dir),
            _ => Vec::new(),
        }
    }

    /// With `-o`, two inputs that map to the same output path: the second is refused, with
    /// why (named by its path).
    pub(super) fn split_clashes(&self, inputs: Vec<Input>) -> (Vec<Input>, Failures) {
        let Sink::Dir(dir) = self else {
            return (inputs, Vec::new());
        };
        let mut seen: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
        let mut keep = Vec::with_capacity(inputs.len());
        let mut clashes = Vec::new();
        for input in inputs {
            match seen.get(&input.rel) {
                Some(first) => clashes.push((
                    input.path.display().to_string(),
                    format!(
                        "skipped: its output {} is already written for {}",
                        dir.join(&input.rel).display(),
                        first.display()
                    ),
                )),
                None => {
                    seen.insert(input.rel.clone(), input.path.clone());
                    keep.push(input);
                }
            }
        }
        (keep, clashes)
    }

    /// Writes the cleaned text `out` of `input` where this sink wants it; `changed`: it
    /// differs from the input.
    pub(super) fn write(&self, input: &Input, out: &str, changed: bool) -> Result<(), Error> {
        match self {
            Sink::Dir(dir) => {
                let dest = dir.join(&input.rel);
                if dest.exists() && same_file(&dest, &input.path) {
                    return Err(Error::Usage(format!(
                        "output {} is the input itself; use --in-place to rewrite files",
                        dest.display()
                    )));
                }
                // A copy takes its source's permissions, as the input would have them (the
                // temporary file it is written through starts private).
                let perms = match is_stdin(&input.path) {
                    true => None,
                    false => fs::metadata(&input.path).ok().map(|m| m.permissions()),
                };
                write_atomic(&dest, out.as_bytes(), perms, false)
            }
            Sink::InPlace if changed => {
                let perms = fs::metadata(&input.path)
                    .map_err(Error::Read)?
                    .permissions();
                // A symbolic link stays a link: its target is what gets cleaned.
                let is_link =
                    fs::symlink_metadata(&input.path).is_ok_and(|m| m.file_type().is_symlink());
                let dest = if is_link {
                    fs::canonicalize(&input.path).map_err(Error::Read)?
                } else {
                    input.path.clone()
                };
                write_atomic(&dest, out.as_bytes(), Some(perms), true)
            }
            Sink::InPlace | Sink::Stdout | Sink::Check | Sink::Diff => Ok(()),
        }
    }
}

/// Creates the output folder and returns its canonical path, refusing a folder that is one of
/// the inputs or a path that is a file.
fn prepare_output(dir: &Path, inputs: &[PathBuf]) -> Result<PathBuf, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "-o {}: exists and is not a folder; expected a folder (it is created if missing)",
            dir.display()
        )));
    }
    let cannot = |e| Error::io(format_args!("-o {}", dir.display()), e);
    fs::create_dir_all(dir).map_err(cannot)?;
    let canonical = dir.canonicalize().map_err(cannot)?;
    for input in inputs {
        if input.canonicalize().is_ok_and(|c| c == canonical) {
            return Err(Error::Usage(format!(
                "-o {}: is also an input folder; choose another folder, or --in-place to \
                 rewrite the files",
                dir.display()
            )));
        }
    }
    Ok(canonical)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
