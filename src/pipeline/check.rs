//! Runs every rule's `example` and `keep` texts: each rule alone (no other rules, no
//! heuristics) must turn each `before` into its `after` exactly, and must leave each `keep`
//! text as the bare pipeline (normalization only) leaves it. `thresh rules test` and the test
//! suite both call this, so the rule docs and the tests cannot drift apart.

use super::{Pipeline, RuleSet};
use crate::rules::{Matchers, Rule};

/// One example or keep text that did not come out as expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    /// The rule's id.
    pub rule: String,
    /// Where the rule is defined (`rules/ads.toml:12`).
    pub location: String,
    /// Which case: `example 2` or `keep 1`.
    pub case: String,
    /// The input text.
    pub input: String,
    /// What the rule should have produced.
    pub expected: String,
    /// What it produced.
    pub got: String,
}

impl RuleSet {
    /// A rule set holding only `rules`, with no heuristics; the matchers are compiled anew.
    fn only(&self, rules: Vec<Rule>) -> RuleSet {
        let matchers =
            Matchers::compile(&rules).expect("rules that compiled together compile alone");
        RuleSet {
            rules,
            families: self.families.clone(),
            heuristics: Vec::new(),
            model: false,
            settings: self.settings.clone(),
            matchers,
        }
    }

    /// Checks every selected rule's examples and keep texts; empty when all pass.
    pub fn check_examples(&self) -> Vec<CheckFailure> {
        let bare = Pipeline::new(self.only(Vec::new()));
        let mut failures = Vec::new();
        for rule in &self.rules {
            let alone = Pipeline::new(self.only(vec![rule.clone()]));
            let (file, line) = rule.location();
            let fail = |case: String, input: &str, expected: String, got: String| CheckFailure {
                rule: rule.id().to_string(),
                location: format!("{file}:{line}"),
                case,
                input: input.to_string(),
                expected,
                got,
            };
            for (i, ex) in rule.examples().iter().enumerate() {
                let got = alone.clean(&ex.before).text();
                if got != ex.after {
                    failures.push(fail(
                        format!("example {}", i + 1),
                        &ex.before,
                        ex.after.clone(),
                        got,
                    ));
                }
            }
            for (i, text) in rule.keeps().iter().enumerate() {
                let expected = bare.clean(text).text();
                let got = alone.clean(text).text();
                if got != expected {
                    failures.push(fail(format!("keep {}", i + 1), text, expected, got));
                }
            }
        }
        failures
    }
}
