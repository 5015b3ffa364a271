//! Keeps rules/ healthy: every file built in, ids unique and prefixed by their file's family,
//! every rule described and with at least one example and one keep text, no pattern twice.

use std::collections::HashMap;
use std::fs;

use thresh::rules::{Kind, MatchMode, builtin_files};
use thresh::{RuleSet, fold};

use crate::util::root;

#[test]
fn every_rule_file_is_built_in() {
    let mut on_disk: Vec<String> = fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| format!("rules/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    on_disk.sort();
    let built_in: Vec<String> = builtin_files().iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        on_disk, built_in,
        "list every rules/*.toml in src/rules/builtin.rs"
    );
}

#[test]
fn rules_are_described_tested_and_prefixed() {
    let rules = RuleSet::builder().build().unwrap();
    assert!(rules.rules().len() >= 20);
    for family in rules.families() {
        assert!(
            !family.description.trim().is_empty(),
            "{}: family description",
            family.file
        );
    }
    for r in rules.rules() {
        let (file, _) = r.location();
        assert_eq!(format!("rules/{}.toml", r.family()), file, "{}", r.id());
        assert!(
            r.description().len() >= 10,
            "{}: describe what it removes",
            r.id()
        );
        assert!(
            !r.examples().is_empty(),
            "{}: needs an [[rule.example]]",
            r.id()
        );
        assert!(!r.keeps().is_empty(), "{}: needs a [[rule.keep]]", r.id());
        match r.kind() {
            Kind::Replace => assert!(r.patterns().is_empty() && !r.map().is_empty(), "{}", r.id()),
            Kind::DropBlock => {
                let b = r.block().expect("a drop-block rule has markers");
                assert!(!b.start.is_empty() && b.max_lines >= 2, "{}", r.id());
            }
            _ => assert!(!r.patterns().is_empty(), "{}", r.id()),
        }
    }
}

#[test]
fn no_literal_pattern_is_in_two_rules_of_a_kind() {
    let rules = RuleSet::builder().build().unwrap();
    let mut seen: HashMap<(Kind, String), &str> = HashMap::new();
    for r in rules.rules() {
        if !matches!(r.match_mode(), Some(MatchMode::Exact | MatchMode::Phrase)) {
            continue;
        }
        for p in r.patterns() {
            if let Some(other) = seen.insert((r.kind(), fold(p)), r.id()) {
                panic!("pattern {p:?} is in both {other} and {}", r.id());
            }
        }
    }
}

#[test]
fn builtin_heuristic_settings_parse() {
    let rules = RuleSet::builder().build().unwrap();
    assert_eq!(rules.heuristics().len(), thresh::heuristics::ids().count());
}

#[test]
fn regexes_stay_on_the_fast_engines() {
    // A Unicode word boundary (\b) keeps the regex crate's DFA off any line with non-ASCII
    // text, and a large counted repetition (.{0,60}, \p{L}{3,12}) multiplies its states; one
    // such pattern slows the whole RegexSet down for every line. Use explicit separators
    // ([^\p{L}\p{N}_]) and let max-chars bound the line instead.
    let rules = RuleSet::builder().build().unwrap();
    let counted = regex::Regex::new(r"\{\d+,(\d+)\}").unwrap();
    for r in rules.rules() {
        let mut patterns: Vec<&String> = Vec::new();
        if r.match_mode() == Some(MatchMode::Regex) {
            patterns.extend(r.patterns());
        }
        if let Some(b) = r.block() {
            if b.start_mode == MatchMode::Regex {
                patterns.extend(&b.start);
            }
            if b.end_mode == Some(MatchMode::Regex) {
                patterns.extend(&b.end);
            }
        }
        for p in patterns {
            assert!(!p.contains(r"\b"), "{}: \\b in {p}", r.id());
            for c in counted.captures_iter(p) {
                let n: usize = c[1].parse().unwrap();
                assert!(n <= 20, "{}: counted repetition up to {n} in {p}", r.id());
            }
        }
    }
}
