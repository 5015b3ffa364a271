//! The direction of the library's imports (see ARCHITECTURE.md, "Dependencies between
//! modules"): rules are a leaf below the pipeline, heuristics do not reach into rules, the
//! corpus statistics do not know the pipeline. Read from the sources; test code is exempt.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::root;

/// The non-test source lines of every `.rs` file under `dir`, with their file and number.
fn source_lines(dir: &Path) -> Vec<(PathBuf, usize, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name == "tests.rs" || name == "testing.rs" {
                continue;
            }
            let text = fs::read_to_string(&p).unwrap();
            for (i, line) in text.lines().enumerate() {
                // Unit tests sit at the end of a file, behind `#[cfg(test)]`.
                if line.starts_with("#[cfg(test)]")
                    && text
                        .lines()
                        .nth(i + 1)
                        .is_some_and(|l| l.starts_with("mod "))
                {
                    break;
                }
                out.push((p.clone(), i + 1, line.to_string()));
            }
        }
    }
    out
}

/// Every place under `src/<dir>` that names one of `forbidden` (`crate::pipeline`, …).
fn offending(dir: &str, forbidden: &[&str]) -> Vec<String> {
    source_lines(&root().join("src").join(dir))
        .into_iter()
        .filter(|(_, _, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, _, l)| forbidden.iter().any(|f| l.contains(f)))
        .map(|(p, n, l)| format!("{}:{n}: {}", p.display(), l.trim()))
        .collect()
}

#[test]
fn rules_are_a_leaf() {
    let bad = offending(
        "rules",
        &[
            "crate::heuristics",
            "crate::pipeline",
            "crate::documents",
            "crate::model",
            "crate::corpus",
            "crate::Pipeline",
            "crate::RuleSet",
        ],
    );
    assert!(
        bad.is_empty(),
        "rules import what sits above them:\n{}",
        bad.join("\n")
    );
}

#[test]
fn heuristics_do_not_import_rules_or_the_pipeline() {
    let bad = offending(
        "heuristics",
        &[
            "crate::rules",
            "crate::pipeline",
            "crate::Pipeline",
            "crate::RuleSet",
        ],
    );
    assert!(
        bad.is_empty(),
        "heuristics import rules or the pipeline:\n{}",
        bad.join("\n")
    );
}

#[test]
fn corpus_statistics_do_not_know_the_pipeline() {
    let bad = offending(
        "corpus",
        &["crate::pipeline", "crate::Pipeline", "crate::RuleSet"],
    );
    assert!(
        bad.is_empty(),
        "corpus imports the pipeline:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_an_import() {
    // The check itself: a forbidden name in a source line is found.
    let found = offending("rules", &["use crate::error"]);
    assert!(!found.is_empty(), "rules/mod.rs imports crate::error");
}
