//! `--in-place` under SIGKILL: a run over a few thousand files is killed at several moments,
//! and every file must be exactly its old content or exactly its new content, never
//! truncated or mixed, with no file lost. A killed process may leave a temporary file
//! (`.thresh-*.tmp`, hidden, so never walked as input) but never in place of an input.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::Dir;

const FILES: usize = 2000;

/// A page that cleaning changes: debris around numbered prose, a few KB.
fn page(i: usize) -> Vec<u8> {
    let mut s = format!("Share\nAdvertisement\nStory {i}: rates rose again\n");
    for j in 0..25 {
        s.push_str(&format!(
            "Paragraph {j} of story {i}: “rates rose again on Tuesday,” the central bank said in a statement.\n"
        ));
    }
    s.push_str("More on the topic\nOther headline here\nAnd another one\n");
    s.into_bytes()
}

fn write_pages(dir: &Path, pages: &BTreeMap<String, Vec<u8>>) {
    fs::create_dir_all(dir).unwrap();
    for (name, bytes) in pages {
        fs::write(dir.join(name), bytes).unwrap();
    }
}

/// What one kill left behind.
#[derive(Debug, Default)]
struct Seen {
    old: usize,
    new: usize,
    temp: Vec<(String, usize)>,
}

/// Checks every entry of `dir` against the old and new contents; returns the counts.
fn inspect(dir: &Path, old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Seen {
    let mut seen = Seen::default();
    let mut names = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        let bytes = fs::read(e.path()).unwrap();
        if name.starts_with(".thresh-") && name.ends_with(".tmp") {
            // A leftover temporary file: at most the new content of some file.
            assert!(
                new.values().any(|n| n.starts_with(&bytes)),
                "{name}: a temporary file that is not a prefix of any cleaned file"
            );
            seen.temp.push((name, bytes.len()));
            continue;
        }
        let (Some(o), Some(n)) = (old.get(&name), new.get(&name)) else {
            panic!("{name}: an unexpected file");
        };
        if bytes == *o {
            seen.old += 1;
        } else if bytes == *n {
            seen.new += 1;
        } else {
            panic!(
                "{name}: neither its old ({} bytes) nor its new ({} bytes) content, but {} bytes",
                o.len(),
                n.len(),
                bytes.len()
            );
        }
        names.push(name);
    }
    assert_eq!(names.len(), old.len(), "files lost");
    seen
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).map(|m| m.ino()).unwrap_or(0)
}

#[cfg(unix)]
#[test]
fn in_place_is_atomic_per_file_under_sigkill() {
    let d = Dir::new();
    let old: BTreeMap<String, Vec<u8>> = (0..FILES)
        .map(|i| (format!("f{i:04}.txt"), page(i)))
        .collect();

    // The expected new contents: the same run on a copy, left to finish.
    write_pages(&d.join("expected"), &old);
    let started = Instant::now();
    let r = d.run(&["clean", "expected", "--in-place", "-q"]);
    let full = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new: BTreeMap<String, Vec<u8>> = old
        .keys()
        .map(|n| (n.clone(), fs::read(d.join("expected").join(n)).unwrap()))
        .collect();
    assert!(
        old.iter().all(|(n, o)| new[n] != *o),
        "every page changes, so old and new are told apart"
    );

    // Kill when this share of the files has been replaced (0: right after the start).
    let moments = [0.0, 0.0005, 0.2, 0.5, 0.8];
    let mut report = Vec::new();
    let mut caught_mid_run = 0;
    for (k, share) in moments.iter().enumerate() {
        let dir = d.join(&format!("run{k}"));
        write_pages(&dir, &old);
        let paths: Vec<_> = old.keys().map(|n| dir.join(n)).collect();
        let inodes: Vec<u64> = paths.iter().map(|p| inode(p)).collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
            .args(["clean", "--in-place", "-q"])
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let target = ((FILES as f64) * share).ceil() as usize;
        let deadline = Instant::now() + full * 4 + Duration::from_secs(10);
        let mut finished = false;
        let mut stuck = false;
        // A replaced file has a new inode: the renamed temporary file.
        let replaced = || {
            paths
                .iter()
                .zip(&inodes)
                .filter(|(p, i)| inode(p) != **i)
                .count()
        };
        while target > 0 && replaced() < target {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            if Instant::now() > deadline {
                stuck = true;
                break;
            }
        }
        let _ = child.kill(); // SIGKILL; an error only if it had already exited
        child.wait().unwrap();
        assert!(!stuck, "the run did not progress");
        let seen = inspect(&dir, &old, &new);
        if seen.new > 0 && seen.old > 0 {
            caught_mid_run += 1;
        }
        report.push(format!(
            "kill at {:>5.1}%: {} old, {} new, {} temporary file(s) {:?}{}",
            share * 100.0,
            seen.old,
            seen.new,
            seen.temp.len(),
            seen.temp,
            if finished { " (run had finished)" } else { "" }
        ));

        // Once, after the kill at 50% (a run costs a second of rule compiling in a debug
        // build): a second run finishes the job, and removes the leftover temporary files of
        // the killed run, which it neither cleans nor mistakes for inputs.
        if k != moments.len() / 2 {
            continue;
        }
        let r = d.run(&["clean", dir.to_str().unwrap(), "--in-place", "-q"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let after = inspect(&dir, &old, &new);
        assert_eq!((after.old, after.new), (0, FILES), "after a second run");
        assert!(
            after.temp.is_empty(),
            "leftovers of the killed run removed: {:?}",
            after.temp
        );
    }
    eprintln!(
        "in-place under SIGKILL ({FILES} files, full run {:.2} s):\n  {}",
        full.as_secs_f64(),
        report.join("\n  ")
    );
    assert!(
        caught_mid_run > 0,
        "no kill landed mid-run, so atomicity was not exercised:\n{}",
        report.join("\n")
    );
}
