//! The rule-file schema: serde structs that mirror `rules/*.toml` field by field.
//!
//! `rules/README.md` documents the same format for users; keep the two in step. Unknown fields
//! are errors (`deny_unknown_fields`), so a typo never silently disables a rule. `compile.rs`
//! turns these specs into matchers.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

/// One rule file: a family description and its rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FileSpec {
    /// What this family of debris is; optional (each rule has its own).
    #[serde(default)]
    pub(crate) description: String,
    /// The rules, in `[[rule]]` tables.
    #[serde(default, rename = "rule")]
    pub(crate) rules: Vec<RuleSpec>,
}

/// One `[[rule]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RuleSpec {
    pub(crate) id: Spanned<String>,
    pub(crate) kind: Spanned<Kind>,
    pub(crate) description: String,
    #[serde(rename = "match")]
    pub(crate) mode: Option<Spanned<MatchMode>>,
    #[serde(default)]
    pub(crate) patterns: Option<Spanned<Vec<Spanned<String>>>>,
    pub(crate) map: Option<Spanned<BTreeMap<String, String>>>,
    pub(crate) start: Option<Spanned<MarkerSpec>>,
    pub(crate) end: Option<Spanned<MarkerSpec>>,
    pub(crate) max_lines: Option<usize>,
    pub(crate) max_chars: Option<usize>,
    pub(crate) within_first: Option<Position>,
    pub(crate) within_last: Option<Position>,
    #[serde(default, rename = "example")]
    pub(crate) examples: Vec<ExampleSpec>,
    #[serde(default, rename = "keep")]
    pub(crate) keeps: Vec<KeepSpec>,
}

/// The `start` or `end` table of a `drop-block` rule: patterns, or `blank-line = true` (end
/// only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct MarkerSpec {
    #[serde(rename = "match")]
    pub(crate) mode: Option<MatchMode>,
    pub(crate) patterns: Option<Vec<Spanned<String>>>,
    pub(crate) blank_line: Option<bool>,
}

/// A `[[rule.example]]`: text the rule must turn into `after`, exactly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExampleSpec {
    pub(crate) before: String,
    pub(crate) after: String,
}

/// A `[[rule.keep]]`: text the rule must leave untouched.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeepSpec {
    pub(crate) text: String,
}

/// What a rule does. The kind, not the order in a file, decides when a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Characters mapped to others (`map`), before any matching.
    Replace,
    /// A marker line that starts debris running to the end of the document.
    CutTail,
    /// A start marker line up to an end marker (or a blank line), at most `max-lines` lines.
    DropBlock,
    /// A line removed when it matches.
    DropLine,
    /// A matched span removed from inside a line (regex only).
    StripSpan,
}

impl Kind {
    /// The kind as written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Replace => "replace",
            Kind::CutTail => "cut-tail",
            Kind::DropBlock => "drop-block",
            Kind::DropLine => "drop-line",
            Kind::StripSpan => "strip-span",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule's patterns are matched against a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// The whole trimmed line equals a pattern, ignoring case.
    Exact,
    /// A pattern occurs in the line on word boundaries, ignoring case.
    Phrase,
    /// A regular expression (Rust `regex` syntax) matches the line; case as written.
    Regex,
}

impl MatchMode {
    /// The mode as written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchMode::Exact => "exact",
            MatchMode::Phrase => "phrase",
            MatchMode::Regex => "regex",
        }
    }
}

/// Where in a document a rule may fire: a number of non-blank lines (an integer), or a share of
/// the document's prose (a float in (0, 1]): the bytes of prose lines before the line, over
/// all of them, so that furniture of any length does not move the article's end. A document
/// without prose lines counts all its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Position {
    /// The first or last N non-blank lines.
    Lines(usize),
    /// The first or last share of the document's prose.
    Fraction(f64),
}

impl Position {
    /// True when a line is within the first (`from_start`) or last stretch this position
    /// names. `k` is the line's index among the `lines` non-blank lines; `offset` is the number
    /// of bytes of text before it, out of `len`.
    pub fn covers(
        self,
        from_start: bool,
        k: usize,
        lines: usize,
        offset: usize,
        len: usize,
    ) -> bool {
        match (self, from_start) {
            (Position::Lines(n), true) => k < n,
            (Position::Lines(n), false) => k + n >= lines,
            (Position::Fraction(f), true) => (offset as f64) < f * len as f64,
            (Position::Fraction(f), false) => (offset as f64) >= (1.0 - f) * len as f64,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Lines(n) => write!(f, "{n} lines"),
            Position::Fraction(x) => write!(f, "{x} of the prose"),
        }
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Position, D::Error> {
        struct V;
        const EXPECTED: &str = "a whole number of lines (>= 1) or a share of the prose in (0, 1]";
        impl Visitor<'_> for V {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Position, E> {
                match usize::try_from(v) {
                    Ok(n) if n >= 1 => Ok(Position::Lines(n)),
                    _ => Err(E::invalid_value(de::Unexpected::Signed(v), &EXPECTED)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Position, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Position, E> {
                if v > 0.0 && v <= 1.0 {
                    Ok(Position::Fraction(v))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &EXPECTED))
                }
            }
        }
        d.deserialize_any(V)
    }
}
