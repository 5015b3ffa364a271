//! Compiles the selected rules into the matchers the pipeline runs: one Aho-Corasick automaton
//! over every literal pattern (`exact` and `phrase`, case-folded), one `RegexSet` over every
//! regex (plus the single regexes, to find spans for `strip-span`), and one leftmost-longest
//! automaton over every `replace` key. Built once per run in `RuleSetBuilder::build`.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::{Kind, MatchMode, Rule};
use crate::error::Error;
use crate::fold::{at_word_boundary, fold_into};

/// Size limit for one compiled regex and for the whole set: a rule set beyond it is refused.
const REGEX_SIZE_LIMIT: usize = 2 << 20;
const REGEX_SET_SIZE_LIMIT: usize = 32 << 20;
/// The lazy DFA's cache per thread: large enough for the whole set of built-in regexes, so
/// the search does not fall back to the slower engines.
const REGEX_DFA_CACHE: usize = 16 << 20;

/// Which rule a pattern belongs to, and in which role: `rule << 1` for the rule's patterns
/// (a `drop-block`'s start markers included), `rule << 1 | 1` for a `drop-block`'s end markers.
pub(crate) type Slot = u32;

/// The slot of rule `rule`'s patterns.
pub(crate) fn main_slot(rule: u32) -> Slot {
    rule << 1
}

/// The slot of rule `rule`'s `drop-block` end markers.
pub(crate) fn end_slot(rule: u32) -> Slot {
    (rule << 1) | 1
}

#[derive(Debug, Clone, Copy)]
struct LiteralMeta {
    slot: Slot,
    exact: bool,
}

/// Every matcher of a rule set, compiled once.
#[derive(Debug)]
pub(crate) struct Matchers {
    literal: Option<AhoCorasick>,
    literal_meta: Vec<LiteralMeta>,
    regex_set: Option<RegexSet>,
    regexes: Vec<Regex>,
    regex_slot: Vec<Slot>,
    /// For each rule, the indices of its own regexes (not block ends) in `regexes`.
    rule_regexes: Vec<Range<usize>>,
    replacer: Option<Replacer>,
}

/// The `replace` rules as one automaton: key i becomes `to[i]`, on behalf of rule `rule[i]`.
#[derive(Debug)]
pub(crate) struct Replacer {
    ac: AhoCorasick,
    to: Vec<String>,
    rule: Vec<u32>,
    ascii_keys: bool,
}

/// Checks that one regex compiles within the size limit; the error text is for people.
pub(crate) fn check_regex(pattern: &str) -> Result<(), String> {
    single_regex(pattern).map(|_| ())
}

fn single_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => format!(
                "regex \"{pattern}\" compiles too large (over {limit} bytes): simplify it or \
                 split it into several patterns"
            ),
            e => format!("invalid regex \"{pattern}\": {}", one_line(&e.to_string())),
        })
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The patterns of all rules, gathered before compiling.
#[derive(Default)]
struct Patterns {
    literals: Vec<String>,
    literal_meta: Vec<LiteralMeta>,
    regex_src: Vec<String>,
    regexes: Vec<Regex>,
    regex_slot: Vec<Slot>,
}

impl Patterns {
    fn add(
        &mut self,
        rule: &Rule,
        mode: MatchMode,
        patterns: &[String],
        slot: Slot,
    ) -> Result<(), Error> {
        for p in patterns {
            if mode == MatchMode::Regex {
                let re = single_regex(p).map_err(|m| {
                    Error::rule(&rule.file, Some((rule.line, 1)), Some(&rule.id), m)
                })?;
                self.regex_src.push(p.clone());
                self.regexes.push(re);
                self.regex_slot.push(slot);
            } else {
                self.literals.push(crate::fold::fold(p));
                self.literal_meta.push(LiteralMeta {
                    slot,
                    exact: mode == MatchMode::Exact,
                });
            }
        }
        Ok(())
    }
}

/// True when byte `at` of `text` lies inside a quotation ("…" or «…»): a phrase quoted in
/// running text is reported speech about the debris, not the debris.
fn inside_quotes(text: &str, at: usize) -> bool {
    let before = &text.as_bytes()[..at];
    if memchr::memchr_iter(b'"', before).count() % 2 == 1 {
        return true;
    }
    let before = &text[..at];
    before.matches('«').count() > before.matches('»').count()
}

impl Matchers {
    pub(crate) fn compile(rules: &[Rule]) -> Result<Matchers, Error> {
        let mut acc = Patterns::default();
        let mut rule_regexes = Vec::with_capacity(rules.len());
        let mut rep_keys: Vec<String> = Vec::new();
        let mut rep_to = Vec::new();
        let mut rep_rule: Vec<u32> = Vec::new();

        for (i, rule) in rules.iter().enumerate() {
            let idx = u32::try_from(i).expect("fewer than 2^31 rules");
            let start = acc.regexes.len();
            if let Some(mode) = rule.mode {
                acc.add(rule, mode, &rule.patterns, main_slot(idx))?;
            }
            if let Some(b) = &rule.block {
                acc.add(rule, b.start_mode, &b.start, main_slot(idx))?;
            }
            rule_regexes.push(start..acc.regexes.len());
            if let Some(b) = &rule.block
                && let Some(mode) = b.end_mode
            {
                acc.add(rule, mode, &b.end, end_slot(idx))?;
            }
            if rule.kind == Kind::Replace {
                for (from, to) in &rule.map {
                    if let Some(j) = rep_keys.iter().position(|k| k == from) {
                        let other: &Rule = &rules[rep_rule[j] as usize];
                        return Err(Error::rule(
                            &rule.file,
                            Some((rule.line, 1)),
                            Some(&rule.id),
                            format!(
                                "map key \"{from}\" is also mapped by rule \"{}\"; a character \
                                 may be mapped by one rule only",
                                other.id
                            ),
                        ));
                    }
                    rep_keys.push(from.clone());
                    rep_to.push(to.clone());
                    rep_rule.push(idx);
                }
            }
        }
        let Patterns {
            literals,
            literal_meta,
            regex_src,
            regexes,
            regex_slot,
        } = acc;

        let literal = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&literals)
                    .map_err(|e| {
                        Error::rule("rule set", None, None, format!("literal patterns: {e}"))
                    })?,
            )
        };
        let regex_set = if regex_src.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(&regex_src)
                    .size_limit(REGEX_SET_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_DFA_CACHE)
                    .build()
                    .map_err(|e| {
                        Error::rule(
                            "rule set",
                            None,
                            None,
                            format!(
                                "the regexes of all rules together compile too large: {}; \
                                 select fewer rules or simplify the regexes",
                                one_line(&e.to_string())
                            ),
                        )
                    })?,
            )
        };
        let replacer = if rep_keys.is_empty() {
            None
        } else {
            Some(Replacer {
                ascii_keys: rep_keys.iter().any(|k| k.is_ascii()),
                ac: AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&rep_keys)
                    .map_err(|e| Error::rule("rule set", None, None, format!("map keys: {e}")))?,
                to: rep_to,
                rule: rep_rule,
            })
        };
        Ok(Matchers {
            literal,
            literal_meta,
            regex_set,
            regexes,
            regex_slot,
            rule_regexes,
            replacer,
        })
    }

    /// Collects into `out` the slots (see [`Slot`]) whose patterns match `line` (trimmed),
    /// sorted and unique. `buf` is scratch space for the folded line.
    pub(crate) fn hits(&self, line: &str, buf: &mut String, out: &mut Vec<Slot>) {
        out.clear();
        if let Some(ac) = &self.literal {
            fold_into(line, buf);
            for m in ac.find_overlapping_iter(buf.as_str()) {
                let meta = self.literal_meta[m.pattern().as_usize()];
                let ok = if meta.exact {
                    m.start() == 0 && m.end() == buf.len()
                } else {
                    at_word_boundary(buf, m.start(), m.end()) && !inside_quotes(buf, m.start())
                };
                if ok {
                    out.push(meta.slot);
                }
            }
        }
        // Most lines match no regex: `is_match` answers that on the lazy DFA and stops early,
        // while `matches` (which patterns?) runs the slower PikeVM over the whole line.
        if let Some(set) = self.regex_set.as_ref().filter(|set| set.is_match(line)) {
            out.extend(set.matches(line).iter().map(|i| self.regex_slot[i]));
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// The regexes of rule `rule`, for finding spans.
    pub(crate) fn rule_regexes(&self, rule: u32) -> &[Regex] {
        &self.regexes[self.rule_regexes[rule as usize].clone()]
    }

    /// Applies the `replace` maps to `s`; `None` when nothing changed. Pushes onto `rules` the
    /// index of each rule that replaced something (unique, in first-use order).
    pub(crate) fn replace(&self, s: &str, rules: &mut Vec<u32>) -> Option<String> {
        let rep = self.replacer.as_ref()?;
        if s.is_ascii() && !rep.ascii_keys {
            return None;
        }
        let mut out: Option<String> = None;
        let mut last = 0;
        for m in rep.ac.find_iter(s) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(&s[last..m.start()]);
            o.push_str(&rep.to[m.pattern().as_usize()]);
            last = m.end();
            let r = rep.rule[m.pattern().as_usize()];
            if !rules.contains(&r) {
                rules.push(r);
            }
        }
        let mut o = out?;
        o.push_str(&s[last..]);
        Some(o)
    }
}
