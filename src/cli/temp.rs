//! Atomic writes and thresh's temporary files. Every file thresh writes (`-o`, `--in-place`,
//! JSONL output, tables, models) is written to a temporary file beside its destination and
//! renamed over it when complete, so the destination is either its old self or complete. The
//! temporary file is named `.thresh-PID-RANDOM.tmp`, PID being the writer's process id.
//!
//! A run that is killed (SIGKILL, power loss) cannot remove its temporary file. Such files are
//! never taken as inputs, and a later run that writes into the same folder removes those whose
//! writer is no longer running: they hold an incomplete copy, never the only copy of anything.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::error::Error;

/// The folder of `dest`, where its temporary file goes (a rename does not cross file systems).
fn folder_of(dest: &Path) -> &Path {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new temporary file beside `dest`, created with `permissions` (else private), removed
/// when dropped unless persisted over `dest`.
pub(crate) fn beside(
    dest: &Path,
    permissions: Option<fs::Permissions>,
) -> io::Result<NamedTempFile> {
    let prefix = prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(SUFFIX);
    if let Some(p) = permissions {
        builder.permissions(p);
    }
    builder.tempfile_in(folder_of(dest))
}

/// Writes `data` to `dest` through a temporary file in the same folder and a rename, so
/// `dest` is either its old self or complete; the folder is created if missing. `perms`: the
/// permissions `dest` gets; `sync`: the data reaches the disk before the rename. The
/// temporary file is removed on any failure.
pub(crate) fn write_atomic(
    dest: &Path,
    data: &[u8],
    perms: Option<fs::Permissions>,
    sync: bool,
) -> Result<(), Error> {
    let parent = folder_of(dest);
    let shown = dest.display();
    fs::create_dir_all(parent)
        .map_err(|e| Error::io(format_args!("cannot create folder {}", parent.display()), e))?;
    let cannot_write = |e| Error::io(format_args!("cannot write {shown}"), e);
    let mut tmp = beside(dest, None).map_err(cannot_write)?;
    tmp.write_all(data).map_err(cannot_write)?;
    if let Some(p) = perms {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| Error::io(format_args!("cannot set permissions of {shown}"), e))?;
    }
    if sync {
        tmp.as_file().sync_all().map_err(cannot_write)?;
    }
    tmp.persist(dest).map_err(|e| cannot_write(e.error))?;
    Ok(())
}

/// The start of the name of a temporary file this process writes.
pub(crate) fn prefix() -> String {
    format!(".thresh-{}-", std::process::id())
}

/// The end of the name of every temporary file thresh writes.
pub(crate) const SUFFIX: &str = ".tmp";

/// True when `name` is the name of a temporary file of thresh (of any run).
pub(crate) fn is_temp(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with(".thresh-") && n.ends_with(SUFFIX))
}

/// The process id of the run that wrote temporary file `name`, when its name carries one.
fn writer(name: &OsStr) -> Option<u32> {
    let rest = name.to_str()?.strip_prefix(".thresh-")?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok()
}

/// True when `path` is a temporary file of thresh whose writer is known to have ended: its
/// process id is not running on this machine. Without `/proc` (not Linux) nothing is known to
/// have ended, and nothing is removed.
pub(crate) fn is_stale(path: &Path) -> bool {
    let Some(name) = path.file_name().filter(|n| is_temp(n)) else {
        return false;
    };
    let Some(pid) = writer(name) else {
        return false;
    };
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// The stale temporary files an in-place run over `inputs` may remove: below each input
/// folder, and directly beside each input file; with `found`, those the walk met.
pub(crate) fn stale_beside(inputs: &[PathBuf], found: &[PathBuf]) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = found.to_vec();
    // Each folder once: `thresh clean *.txt --in-place` names thousands of files in one.
    let mut parents: Vec<&Path> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            all.extend(stale_below(input));
        } else if let Some(parent) = input.parent() {
            parents.push(parent);
        }
    }
    parents.sort_unstable();
    parents.dedup();
    for parent in parents {
        let dir = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        all.extend(
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| {
                    // Named as the input is (`in/.thresh-….tmp`, not `./in/…`).
                    if parent.as_os_str().is_empty() {
                        PathBuf::from(e.file_name())
                    } else {
                        parent.join(e.file_name())
                    }
                })
                .filter(|p| is_stale(p)),
        );
    }
    all.sort();
    all.dedup();
    all
}

/// The stale temporary files directly in folder `dir` and below it.
pub(crate) fn stale_below(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_stale(e.path()))
        .map(ignore::DirEntry::into_path)
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_temp(OsStr::new(".thresh-123-abcDEF.tmp")));
        assert!(is_temp(OsStr::new(".thresh-Xy12ab.tmp")));
        assert!(!is_temp(OsStr::new("thresh-123-abc.tmp")));
        assert!(!is_temp(OsStr::new(".thresh-123-abc.txt")));
        assert_eq!(writer(OsStr::new(".thresh-123-abc.tmp")), Some(123));
        assert_eq!(writer(OsStr::new(".thresh-Xy12ab.tmp")), None);
        assert!(prefix().starts_with(".thresh-"));
        assert_eq!(
            writer(OsStr::new(&format!("{}x.tmp", prefix()))),
            Some(std::process::id())
        );
    }

    #[test]
    fn a_running_writer_is_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join(format!("{}abc.tmp", prefix()));
        fs::write(&own, "x").unwrap();
        assert!(!is_stale(&own), "this process is running");
        let other = dir.path().join("notes.txt");
        fs::write(&other, "x").unwrap();
        assert!(!is_stale(&other));
        assert!(stale_below(dir.path()).is_empty());
    }
}
