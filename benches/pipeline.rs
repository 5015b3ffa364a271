//! Stage benchmarks, in bytes per second (divan): the repair and normalize stage alone, the
//! rules alone, the heuristics' share, and the whole pipeline on one document. Inputs are the
//! bundled seeds and fixtures (scraped text with curly quotes, NBSP, Cyrillic), and the same
//! text folded to ASCII to show the fast path.
//!
//! Run: `cargo bench --bench pipeline`. The whole-program benchmark is scripts/bench.sh.

use std::fs;
use std::path::Path;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use thresh::repair::{RepairOptions, Repairs, repair_line};
use thresh::{Pipeline, RuleSet};

fn main() {
    divan::main();
}

/// Every seed and fixture input, concatenated: about 100 KB of scraped text.
fn corpus() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = fs::read_dir(root.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for family in fs::read_dir(root.join("fixtures")).unwrap() {
        let dir = family.unwrap().path();
        if dir.is_dir() {
            for f in fs::read_dir(&dir).unwrap() {
                let p = f.unwrap().path();
                if p.to_string_lossy().ends_with(".in.txt") {
                    paths.push(p);
                }
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The corpus with every non-ASCII character replaced: the normalize fast path.
fn ascii_corpus() -> String {
    corpus()
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'x' })
        .collect()
}

fn pipeline(builtin: bool, heuristics: bool) -> Pipeline {
    let mut b = RuleSet::builder();
    b.no_builtin(!builtin);
    if !heuristics {
        b.ignore(["heuristic"]);
    }
    Pipeline::new(b.build().unwrap())
}

#[divan::bench(args = ["scraped", "ascii"])]
fn repair_lines(bencher: Bencher<'_, '_>, input: &str) {
    let text = if input == "ascii" {
        ascii_corpus()
    } else {
        corpus()
    };
    let opts = RepairOptions::default();
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        let mut counts = Repairs::default();
        for line in text.lines() {
            black_box(repair_line(black_box(line), &opts, &mut counts));
        }
        counts
    });
}

/// Split, repair and normalize only: no rules, no heuristics.
#[divan::bench(args = ["scraped", "ascii"])]
fn normalize_stage(bencher: Bencher<'_, '_>, input: &str) {
    let text = if input == "ascii" {
        ascii_corpus()
    } else {
        corpus()
    };
    let p = pipeline(false, false);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| black_box(p.clean(black_box(&text)).text()));
}

/// Normalize plus every built-in rule, no heuristics.
#[divan::bench]
fn rules_stage(bencher: Bencher<'_, '_>) {
    let text = corpus();
    let p = pipeline(true, false);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| black_box(p.clean(black_box(&text)).text()));
}

/// Normalize plus the heuristics, no rules.
#[divan::bench]
fn heuristics_stage(bencher: Bencher<'_, '_>) {
    let text = corpus();
    let p = pipeline(false, true);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| black_box(p.clean(black_box(&text)).text()));
}

/// The whole default pipeline, one document at a time (the seeds and fixtures one by one).
#[divan::bench]
fn whole_pipeline(bencher: Bencher<'_, '_>) {
    let text = corpus();
    let docs: Vec<&str> = text.split("\n\n\n").collect();
    let p = pipeline(true, true);
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        for d in &docs {
            black_box(p.clean(black_box(d)).text());
        }
    });
}
