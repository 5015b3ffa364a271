//! The seeds and every fixture through the full default pipeline, byte-exact; and cleaning a
//! cleaned text changes nothing. Set THRESH_BLESS=1 to rewrite the `.out.txt` goldens, then
//! review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use thresh::{Pipeline, RuleSet};

use crate::util::{diff, root};

fn pipeline() -> Pipeline {
    Pipeline::new(RuleSet::builder().build().expect("built-in rules"))
}

fn clean(p: &Pipeline, bytes: &[u8]) -> String {
    let text = thresh::decode(bytes).expect("fixtures are UTF-8");
    p.clean(&text).text()
}

/// `(input, expected output)` for every `fixtures/<family>/<case>.in.txt`.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for family in fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = family.unwrap().path();
        if !dir.is_dir() || dir.ends_with("seeds") {
            continue;
        }
        for f in fs::read_dir(&dir).unwrap() {
            let p = f.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".in.txt") {
                out.push((p.clone(), dir.join(format!("{stem}.out.txt"))));
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn seeds_are_byte_exact() {
    let p = pipeline();
    let mut n = 0;
    for entry in fs::read_dir(root().join("seeds")).unwrap() {
        let input = entry.unwrap().path();
        let expected_path = root()
            .join("fixtures/seeds")
            .join(input.file_name().unwrap());
        let expected = fs::read_to_string(&expected_path).unwrap();
        let got = clean(&p, &fs::read(&input).unwrap());
        eqnice!(expected, got, "{} -> {}", rel(&input), rel(&expected_path));
        n += 1;
    }
    assert_eq!(n, 5, "the five seeds");
}

#[test]
fn fixtures_are_byte_exact() {
    let p = pipeline();
    let bless = std::env::var_os("THRESH_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 24, "at least two fixtures per rule family");
    let mut failures = Vec::new();
    for (input, output) in &cases {
        let got = clean(&p, &fs::read(input).unwrap());
        if bless {
            fs::write(output, &got).unwrap();
            continue;
        }
        let expected = fs::read_to_string(output)
            .unwrap_or_else(|e| panic!("{}: {e} (run THRESH_BLESS=1 cargo test)", rel(output)));
        if expected != got {
            failures.push(format!("{}:\n{}", rel(input), diff(&expected, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn cleaning_is_idempotent() {
    let p = pipeline();
    let mut outputs: Vec<PathBuf> = cases().into_iter().map(|(_, o)| o).collect();
    for entry in fs::read_dir(root().join("fixtures/seeds")).unwrap() {
        outputs.push(entry.unwrap().path());
    }
    for out in outputs {
        let Ok(text) = fs::read_to_string(&out) else {
            continue;
        };
        let again = clean(&p, text.as_bytes());
        eqnice!(text, again, "cleaning {} again changed it", rel(&out));
    }
}
