//! Each heuristic alone over its fixtures, cleaned by the rules and that one heuristic (no
//! other heuristic, no line model): each `fixtures/heuristic/<name>-<case>.in.txt` as a
//! document, and each folder `fixtures/heuristic/<name>-<case>/` as a corpus (its files
//! cleaned with the corpus statistics of all of them). What the heuristic drops is compared
//! with `<name>-<case>.alone.txt`, one dropped line a line (`number: text`, after `file:` in a
//! corpus), and at least one case must drop something. Set THRESH_BLESS=1 to rewrite the `.alone.txt` files, then review the diff.

use std::fs;
use std::path::PathBuf;

use crate::{CorpusStats, Pipeline, RuleSet};

/// Runs heuristic `id`'s fixtures with only it selected; panics on the first difference.
pub(super) fn fixtures_alone(id: &str) {
    let name = id.strip_prefix("heuristic/").expect("a heuristic id");
    let others: Vec<&str> = super::ids().filter(|&h| h != id).collect();
    let rules = RuleSet::builder()
        .ignore(others)
        .ignore([crate::model::ID])
        .build()
        .expect("built-in rules");
    assert_eq!(rules.heuristics(), [id]);
    let pipeline = Pipeline::new(rules);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/heuristic");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures/heuristic")
        .map(|e| e.expect("a fixture").path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&format!("{name}-")) && (n.ends_with(".in.txt") || p.is_dir())
            })
        })
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no fixtures for {id} in {}",
        dir.display()
    );
    let bless = std::env::var_os("THRESH_BLESS").is_some();
    let mut dropping = 0;
    for input in cases {
        let file = input.file_name().and_then(|n| n.to_str()).expect("UTF-8");
        let stem = file.strip_suffix(".in.txt").unwrap_or(file);
        let got = if input.is_dir() {
            corpus_drops(&pipeline, &input, id)
        } else {
            let text = fs::read_to_string(&input).expect("fixtures are UTF-8");
            drops(&pipeline, &text, None, id, "")
        };
        dropping += usize::from(!got.is_empty());
        let golden = dir.join(format!("{stem}.alone.txt"));
        if bless {
            fs::write(&golden, &got).expect("write the golden");
            continue;
        }
        let want = fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e} (THRESH_BLESS=1 writes it)", golden.display()));
        assert_eq!(want, got, "{file}: the lines {id} drops alone");
    }
    assert!(
        dropping > 0,
        "{id} alone drops nothing in any of its fixtures"
    );
}

/// The lines of `text` that heuristic `id` drops, as `{prefix}number: text` lines.
fn drops(
    pipeline: &Pipeline,
    text: &str,
    corpus: Option<&CorpusStats>,
    id: &str,
    prefix: &str,
) -> String {
    let outcome = match corpus {
        Some(stats) => pipeline.clean_in_corpus(text, stats),
        None => pipeline.clean(text),
    };
    let mut out = String::new();
    for line in &outcome.lines {
        if line.verdict.dropped().is_some_and(|d| &*d.by == id) {
            out.push_str(&format!("{prefix}{}: {}\n", line.number, line.text));
        }
    }
    out
}

/// [`drops`] of every file of the folder `dir`, cleaned as one corpus, in name order.
fn corpus_drops(pipeline: &Pipeline, dir: &std::path::Path, id: &str) -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("a corpus folder")
        .map(|e| e.expect("a document").path())
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(f).expect("fixtures are UTF-8"))
        .collect();
    let mut stats = CorpusStats::new();
    for text in &texts {
        stats.add(&pipeline.keys(text));
    }
    let mut out = String::new();
    for (f, text) in files.iter().zip(&texts) {
        let name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8");
        out.push_str(&drops(
            pipeline,
            text,
            Some(&stats),
            id,
            &format!("{name}:"),
        ));
    }
    out
}
