//! Finds the files to clean: explicit files as given, folders walked with the `ignore` crate
//! (hidden and ignored paths skipped unless `--no-ignore`, `--glob` filters), our own output
//! folder and temporary files never taken. Returns sorted data; prints nothing.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use super::args::WalkArgs;
use super::error::Error;
use super::input::Input;
use super::temp;

/// The files found and the paths that could not be read, each in sorted order per root.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) inputs: Vec<Input>,
    pub(crate) errors: Vec<(PathBuf, String)>,
    /// Temporary files left by interrupted runs whose writer has ended (see [`super::temp`]).
    pub(crate) stale: Vec<PathBuf>,
}

/// Walks `roots`; `skip` is a folder never to enter (the output folder, canonical).
pub(crate) fn discover(roots: &[PathBuf], args: &WalkArgs, skip: Option<&Path>) -> Found {
    let mut found = Found::default();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                found.errors.push((root.clone(), super::io_message(&e)));
                continue;
            }
        };
        if !meta.is_dir() {
            let rel = root
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| root.clone());
            found.inputs.push(Input {
                path: root.clone(),
                rel,
            });
            continue;
        }
        if let Err(e) = walk_dir(root, args, skip, &mut found) {
            found.errors.push((root.clone(), e.to_string()));
        }
    }
    found
}

fn walk_dir(
    root: &Path,
    args: &WalkArgs,
    skip: Option<&Path>,
    found: &mut Found,
) -> Result<(), Error> {
    let mut builder = WalkBuilder::new(root);
    let honour = !args.no_ignore;
    builder
        .hidden(honour)
        .ignore(honour)
        .git_ignore(honour)
        .git_global(honour)
        .git_exclude(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(false);
    // Globs filter the files the walk yields; they never widen it (an `ignore` override would
    // also bring back hidden and ignored files).
    let globs = if args.globs.is_empty() {
        None
    } else {
        let mut ob = OverrideBuilder::new(root);
        for g in &args.globs {
            ob.add(g)
                .map_err(|e| Error::Usage(format!("--glob {g}: {e}")))?;
        }
        Some(
            ob.build()
                .map_err(|e| Error::Usage(format!("--glob: {e}")))?,
        )
    };
    if let Some(skip) = skip {
        let skip = skip.to_path_buf();
        builder.filter_entry(move |e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.path().canonicalize().is_ok_and(|p| p == skip))
        });
    }
    let mut inputs = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(e) => {
                let is_file = match e.file_type() {
                    Some(t) if t.is_file() => true,
                    Some(t) if t.is_symlink() => e.path().is_file(),
                    _ => false,
                };
                let wanted = globs
                    .as_ref()
                    .is_none_or(|ov| match ov.matched(e.path(), false) {
                        ignore::Match::Whitelist(_) => true,
                        ignore::Match::Ignore(_) => false,
                        ignore::Match::None => ov.num_whitelists() == 0,
                    });
                // thresh's own temporary files are never inputs, whatever the filters say.
                let temp = temp::is_temp(e.file_name());
                if is_file && temp {
                    if temp::is_stale(e.path()) {
                        found.stale.push(e.path().to_path_buf());
                    }
                } else if is_file && wanted {
                    let rel = e
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf();
                    inputs.push(Input {
                        path: e.path().to_path_buf(),
                        rel,
                    });
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| root.to_path_buf());
                found.errors.push((path, walk_message(&e)));
            }
        }
    }
    inputs.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.inputs.extend(inputs);
    Ok(())
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn walk_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_message(err),
        ignore::Error::Io(io) => super::io_message(io),
        ignore::Error::Loop { child, .. } => {
            format!("file system loop found at {}", child.display())
        }
        other => other.to_string(),
    }
}
