//! Reading what a front end hands to the library: rule folders, and IO errors worded for
//! people. The command-line tool and the Python module share these; the pipeline itself
//! (rules, heuristics, repair) never touches the file system.

use std::io;
use std::path::{Path, PathBuf};

/// A short lower-case message for an IO error, without Rust's "(os error N)" noise.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a folder, expected a file".to_string(),
        _ => {
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            };
            // The walker's errors name the path again ("io error for operation on PATH:
            // file name too long"); the caller names it already.
            match s.strip_prefix("io error for operation on ") {
                Some(rest) => rest
                    .rfind(": ")
                    .map_or(rest, |i| &rest[i + 2..])
                    .to_string(),
                None => s,
            }
        }
    }
}

/// The `*.toml` files of a rule folder (or one rule file), sorted by name, as `(path, text)`,
/// for [`crate::RuleSetBuilder::add_source`]; errors name the folder as `--rules DIR` does.
pub fn read_rule_dir(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let shown = dir.display();
    let meta =
        std::fs::metadata(dir).map_err(|e| format!("--rules {shown}: {}", io_message(&e)))?;
    let paths: Vec<PathBuf> = if meta.is_file() {
        vec![dir.to_path_buf()]
    } else {
        let mut paths = Vec::new();
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("--rules {shown}: {}", io_message(&e)))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("--rules {shown}: {}", io_message(&e)))?;
            let p = entry.path();
            if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                paths.push(p);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(format!(
                "--rules {shown}: no rule files found, expected *.toml files in the folder"
            ));
        }
        paths
    };
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: {}", p.display(), io_message(&e)))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}
