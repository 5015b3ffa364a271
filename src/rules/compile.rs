//! Compiles the selected rules into the matchers the pipeline runs, once per run in
//! `RuleSetBuilder::build`; every thread shares them read-only:
//!
//! - `exact` patterns: one hash map from the case-folded line to the rules it names; looked up
//!   only for lines no longer than the longest pattern;
//! - `phrase` patterns: one Aho-Corasick automaton over the case-folded line; run only on
//!   lines no longer than the phrase rules allow (`max-chars`);
//! - `regex` patterns: one `RegexSet` over the patterns of rules with `max-chars` (run only on
//!   lines short enough for one of them) and one over the rest, plus each regex alone for the
//!   spans of `strip-span`;
//! - `replace` maps: one leftmost-longest automaton over every key.
//!
//! Long prose lines, the bulk of any article, thus skip matching altogether.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use rustc_hash::FxHashMap;

use super::{Kind, MatchMode, Rule};
use crate::error::Error;
use crate::fold::{at_word_boundary, fold_into};

/// Size limit for one compiled regex and for the whole set: a rule set beyond it is refused.
const REGEX_SIZE_LIMIT: usize = 2 << 20;
const REGEX_SET_SIZE_LIMIT: usize = 32 << 20;
/// The lazy DFA's cache per thread: large enough for the whole set of built-in regexes, so
/// the search does not fall back to the slower engines.
const REGEX_DFA_CACHE: usize = 16 << 20;
/// Up to this many regexes without `max-chars` run alone rather than as a set.
const FEW: usize = 4;

/// Which rule a pattern belongs to, and in which role: the rule's own patterns (a
/// `drop-block`'s start markers included), or a `drop-block`'s end markers. What the matchers
/// report for a line; packed in one `u32`, and only read through these methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Slot(u32);

impl Slot {
    /// The slot of rule `rule`'s patterns.
    pub(crate) fn main(rule: u32) -> Slot {
        Slot(rule << 1)
    }

    /// The slot of rule `rule`'s `drop-block` end markers.
    pub(crate) fn end(rule: u32) -> Slot {
        Slot((rule << 1) | 1)
    }

    /// The index of the rule, in the rule set's order.
    pub(crate) fn rule(self) -> u32 {
        self.0 >> 1
    }

    /// True for a rule's own patterns, false for a `drop-block`'s end markers.
    pub(crate) fn is_main(self) -> bool {
        self.0 & 1 == 0
    }
}

/// Every matcher of a rule set, compiled once.
#[derive(Debug)]
pub(crate) struct Matchers {
    /// Folded `exact` pattern → the slots it belongs to.
    exact: FxHashMap<String, Vec<Slot>>,
    /// Bytes of the longest folded exact pattern.
    exact_max_len: usize,
    phrase: Option<AhoCorasick>,
    phrase_slots: Vec<Slot>,
    /// The most characters a line may have for a phrase rule to fire (usize::MAX: any).
    phrase_max_chars: usize,
    /// The patterns with `max-chars`, in sets (see [`groups`]).
    bounded: Vec<Group>,
    unbounded: Option<RegexSet>,
    /// The patterns without `max-chars`, each alone, when they are few (see [`FEW`]).
    unbounded_each: Vec<Regex>,
    unbounded_slots: Vec<Slot>,
    /// Every regex alone, for the spans of `strip-span`.
    regexes: Vec<Regex>,
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
    exact: FxHashMap<String, Vec<Slot>>,
    phrases: Vec<String>,
    phrase_slots: Vec<Slot>,
    phrase_max_chars: usize,
    /// Each pattern with `max-chars`, its slot and its bound.
    bounded: Vec<(String, Slot, usize)>,
    unbounded_src: Vec<String>,
    unbounded_slots: Vec<Slot>,
    regexes: Vec<Regex>,
}

impl Patterns {
    /// Adds `patterns` matched as `mode` for `slot`; `max_chars` is the longest line the slot
    /// may match (None: any).
    fn add(
        &mut self,
        rule: &Rule,
        mode: MatchMode,
        patterns: &[String],
        slot: Slot,
        max_chars: Option<usize>,
    ) -> Result<(), Error> {
        for p in patterns {
            match mode {
                MatchMode::Regex => {
                    // Only a `strip-span` rule needs its own regexes (to replace what they
                    // match); every regex was checked alone when its rule was read.
                    if rule.kind == Kind::StripSpan {
                        let re = single_regex(p).map_err(|m| {
                            Error::rule(&rule.file, Some((rule.line, 1)), Some(&rule.id), m)
                        })?;
                        self.regexes.push(re);
                    }
                    match max_chars {
                        Some(n) => {
                            self.bounded.push((p.clone(), slot, n));
                        }
                        None => {
                            self.unbounded_src.push(p.clone());
                            self.unbounded_slots.push(slot);
                        }
                    }
                }
                MatchMode::Exact => {
                    let slots = self.exact.entry(crate::fold::fold(p)).or_default();
                    if !slots.contains(&slot) {
                        slots.push(slot);
                    }
                }
                MatchMode::Phrase => {
                    self.phrases.push(crate::fold::fold(p));
                    self.phrase_slots.push(slot);
                    self.phrase_max_chars =
                        self.phrase_max_chars.max(max_chars.unwrap_or(usize::MAX));
                }
            }
        }
        Ok(())
    }
}

/// Regexes with `max-chars`, compiled together.
#[derive(Debug)]
struct Group {
    set: RegexSet,
    /// The slot of each pattern of `set`.
    slots: Vec<Slot>,
    /// The longest line (in characters) any of them may match.
    max_chars: usize,
}

/// Whether a regex can only match from the start of the line, so that its search fails a
/// few bytes in on most lines: it begins with `^` (after a leading flag group such as
/// `(?i)`), and not with `^.*` or `^(?:.*`.
fn anchored(pattern: &str) -> bool {
    let rest = pattern
        .strip_prefix("(?")
        .and_then(|r| r.split_once(')'))
        .filter(|(flags, _)| flags.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .map_or(pattern, |(_, rest)| rest);
    rest.strip_prefix('^')
        .is_some_and(|r| !r.starts_with(".*") && !r.starts_with("(?:.*"))
}

/// The regexes with `max-chars`, in sets: those that search the whole line, and the anchored
/// ones ([`anchored`]) in two halves by `max-chars`. Compiled together, the lazy DFA's states
/// are combinations of every pattern's states; the searching patterns alone make enough of them
/// that on real pages the DFA kept filling its cache and building states again (half of all
/// the time). The anchored patterns fail a few bytes into most lines, so two sets of them cost
/// little more to run than one; the half with the smaller bound is skipped on longer lines,
/// and the sets compile side by side, which is most of the time it takes to start.
fn groups(bounded: &[(String, Slot, usize)]) -> Result<Vec<Group>, Error> {
    let group = |members: &[&(String, Slot, usize)]| -> Result<Option<Group>, Error> {
        let src: Vec<String> = members.iter().map(|(p, _, _)| p.clone()).collect();
        Ok(regex_set(&src)?.map(|set| Group {
            set,
            slots: members.iter().map(|(_, slot, _)| *slot).collect(),
            max_chars: members.iter().map(|(_, _, n)| *n).max().unwrap_or(0),
        }))
    };
    let (mut fixed, searching): (Vec<_>, Vec<_>) =
        bounded.iter().partition(|(p, _, _)| anchored(p));
    fixed.sort_by_key(|(_, _, n)| *n);
    let (short, long) = fixed.split_at(fixed.len() / 2);
    let (a, (b, c)) = rayon::join(
        || group(&searching),
        || rayon::join(|| group(short), || group(long)),
    );
    Ok([a?, b?, c?].into_iter().flatten().collect())
}

fn regex_set(src: &[String]) -> Result<Option<RegexSet>, Error> {
    if src.is_empty() {
        return Ok(None);
    }
    RegexSetBuilder::new(src)
        .size_limit(REGEX_SET_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_CACHE)
        .build()
        .map(Some)
        .map_err(|e| {
            let what = match e {
                regex::Error::CompiledTooBig(limit) => format!("over {limit} bytes"),
                e => one_line(&e.to_string()),
            };
            Error::rule(
                "rule set",
                None,
                None,
                format!(
                    "the regexes of all rules together compile too large ({what}): select \
                     fewer rules (--select, --ignore) or simplify the regexes"
                ),
            )
        })
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

/// The phrase patterns in one automaton, or none.
fn phrase_automaton(phrases: &[String]) -> Result<Option<AhoCorasick>, Error> {
    if phrases.is_empty() {
        return Ok(None);
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(phrases)
        .map(Some)
        .map_err(|e| Error::rule("rule set", None, None, format!("phrase patterns: {e}")))
}

/// The regexes without `max-chars`: one set, or each alone when they are few. These run on
/// every line, long prose too. A handful of regexes alone are faster than their set: each gets
/// the regex crate's literal prefilters (a memchr for the `[` of an inline ad label), which a
/// set of several patterns does without.
fn unbounded_regexes(src: &[String]) -> Result<(Option<RegexSet>, Vec<Regex>), Error> {
    if src.len() > FEW {
        return Ok((regex_set(src)?, Vec::new()));
    }
    let each = src
        .iter()
        .map(|p| single_regex(p).map_err(|m| Error::rule("rule set", None, None, m)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((None, each))
}

/// The `replace` rules' maps in one leftmost-longest automaton, or none.
fn replacer(keys: &[String], to: Vec<String>, rule: Vec<u32>) -> Result<Option<Replacer>, Error> {
    if keys.is_empty() {
        return Ok(None);
    }
    Ok(Some(Replacer {
        ascii_keys: keys.iter().any(|k| k.is_ascii()),
        ac: AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(keys)
            .map_err(|e| Error::rule("rule set", None, None, format!("map keys: {e}")))?,
        to,
        rule,
    }))
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
                acc.add(rule, mode, &rule.patterns, Slot::main(idx), rule.max_chars)?;
            }
            if let Some(b) = &rule.block {
                acc.add(
                    rule,
                    b.start_mode,
                    &b.start,
                    Slot::main(idx),
                    rule.max_chars,
                )?;
            }
            rule_regexes.push(start..acc.regexes.len());
            if let Some(b) = &rule.block
                && let Some(mode) = b.end_mode
            {
                acc.add(rule, mode, &b.end, Slot::end(idx), None)?;
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
        // The automata and regex sets are independent of each other, and compiling them is
        // most of the time it takes to start: they are built side by side on the rayon pool.
        let ((phrase, bounded), (unbounded, replacer)) = rayon::join(
            || rayon::join(|| phrase_automaton(&acc.phrases), || groups(&acc.bounded)),
            || {
                rayon::join(
                    || unbounded_regexes(&acc.unbounded_src),
                    || replacer(&rep_keys, rep_to, rep_rule),
                )
            },
        );
        let (phrase, bounded, (unbounded, unbounded_each), replacer) =
            (phrase?, bounded?, unbounded?, replacer?);
        let exact_max_len = acc.exact.keys().map(String::len).max().unwrap_or(0);
        Ok(Matchers {
            exact: acc.exact,
            exact_max_len,
            phrase,
            phrase_slots: acc.phrase_slots,
            phrase_max_chars: acc.phrase_max_chars,
            bounded,
            unbounded,
            unbounded_each,
            unbounded_slots: acc.unbounded_slots,
            regexes: acc.regexes,
            rule_regexes,
            replacer,
        })
    }

    /// Collects into `out` the slots (see [`Slot`]) whose patterns match `line` (trimmed),
    /// sorted and unique. `buf` is scratch space for the folded line.
    pub(crate) fn hits(&self, line: &str, buf: &mut String, out: &mut Vec<Slot>) {
        out.clear();
        // Characters, counted only when the byte length does not settle a bound.
        let mut chars = None;
        let mut fits = |max: usize| {
            line.len() <= max || *chars.get_or_insert_with(|| line.chars().count()) <= max
        };
        let mut folded = false;
        // Folding changes lengths (the Kelvin sign K, 3 bytes, folds to k): allow for it.
        if line.len() <= self.exact_max_len * 3 && !self.exact.is_empty() {
            fold_into(line, buf);
            folded = true;
            if let Some(slots) = self.exact.get(buf.as_str()) {
                out.extend_from_slice(slots);
            }
        }
        if let Some(ac) = &self.phrase
            && fits(self.phrase_max_chars)
        {
            if !folded {
                fold_into(line, buf);
            }
            for m in ac.find_overlapping_iter(buf.as_str()) {
                if at_word_boundary(buf, m.start(), m.end()) && !inside_quotes(buf, m.start()) {
                    out.push(self.phrase_slots[m.pattern().as_usize()]);
                }
            }
        }
        // Most lines match no regex: `is_match` answers that on the lazy DFA and stops early,
        // while `matches` (which patterns?) runs the slower PikeVM over the whole line.
        for g in &self.bounded {
            if fits(g.max_chars) && g.set.is_match(line) {
                out.extend(g.set.matches(line).iter().map(|i| g.slots[i]));
            }
        }
        if let Some(set) = self.unbounded.as_ref().filter(|set| set.is_match(line)) {
            out.extend(set.matches(line).iter().map(|i| self.unbounded_slots[i]));
        }
        for (re, &slot) in self.unbounded_each.iter().zip(&self.unbounded_slots) {
            if re.is_match(line) {
                out.push(slot);
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns() {
        for p in ["^Tags:", "(?i)^more", "(?is)^a.*b$", "^(?:a|b)$", "(?-u)^x"] {
            assert!(anchored(p), "{p}");
        }
        for p in [
            "Tags$",
            "(?i)\\d+ ago$",
            "^.*x$",
            "(?i)^(?:.*\\D)?\\d{1,2}:\\d{2}$",
            "(?:^|\\D)\\d+",
            "(?i:^photo) x",
        ] {
            assert!(!anchored(p), "{p}");
        }
    }
}
