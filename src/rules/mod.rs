//! Rules: loading, validating, selecting and compiling the rule set.
//!
//! Rule files are TOML (`spec.rs` is the schema, `rules/README.md` the user's reference). The
//! built-in files are compiled into the binary (`builtin.rs`); users add their own as text, so
//! this module does no IO. [`RuleSetBuilder::build`] validates every rule, applies the
//! selection and compiles all matchers once (`compile.rs`); the [`RuleSet`] is then shared
//! read-only by every thread.

pub(crate) mod builtin;
mod compile;
mod spec;

use std::collections::HashMap;
use std::sync::Arc;

pub use spec::{Kind, MatchMode, Position};

pub(crate) use compile::{Matchers, Slot};

use crate::error::{Error, LineIndex, line_col};
pub use crate::select::did_you_mean;
use spec::{FileSpec, RuleSpec};

/// One rule, as loaded from its file.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) id: Arc<str>,
    pub(crate) kind: Kind,
    pub(crate) description: Arc<str>,
    pub(crate) mode: Option<MatchMode>,
    pub(crate) patterns: Vec<String>,
    pub(crate) map: Vec<(String, String)>,
    pub(crate) block: Option<Block>,
    pub(crate) max_chars: Option<usize>,
    pub(crate) within_first: Option<Position>,
    pub(crate) within_last: Option<Position>,
    pub(crate) examples: Vec<Example>,
    pub(crate) keeps: Vec<String>,
    pub(crate) file: Arc<str>,
    pub(crate) line: usize,
    /// From a user's rule file, not a built-in one: its verdicts take precedence over the
    /// line model's.
    pub(crate) user: bool,
}

/// The markers of a `drop-block` rule.
#[derive(Debug, Clone)]
pub struct Block {
    /// How the start patterns match.
    pub start_mode: MatchMode,
    /// The start patterns.
    pub start: Vec<String>,
    /// How the end patterns match; `None` when a blank line ends the block.
    pub end_mode: Option<MatchMode>,
    /// The end patterns (empty when a blank line ends the block).
    pub end: Vec<String>,
    /// The most lines a block may span, start and end included.
    pub max_lines: usize,
}

/// A before/after pair a rule must reproduce exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The input text.
    pub before: String,
    /// The output the rule alone must produce.
    pub after: String,
}

impl Rule {
    /// The rule's id, `family/name`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The family: the part of the id before the slash, equal to the rule file's name.
    pub fn family(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }
    /// What the rule does.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// What the rule removes or changes, for people.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// How the patterns match (none for `replace`).
    pub fn match_mode(&self) -> Option<MatchMode> {
        self.mode
    }
    /// True for a rule from the user's own files (`--rules`), not a built-in one.
    pub fn is_user(&self) -> bool {
        self.user
    }
    /// The patterns, as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
    /// The character map of a `replace` rule, sorted by key.
    pub fn map(&self) -> &[(String, String)] {
        &self.map
    }
    /// True when a position constraint of the rule is a share of the document.
    pub(crate) fn has_fraction(&self) -> bool {
        matches!(self.within_first, Some(Position::Fraction(_)))
            || matches!(self.within_last, Some(Position::Fraction(_)))
    }

    /// The markers of a `drop-block` rule.
    pub fn block(&self) -> Option<&Block> {
        self.block.as_ref()
    }
    /// The longest line (in characters) the rule may drop.
    pub fn max_chars(&self) -> Option<usize> {
        self.max_chars
    }
    /// The rule fires only within the first lines of a document.
    pub fn within_first(&self) -> Option<Position> {
        self.within_first
    }
    /// The rule fires only within the last lines of a document.
    pub fn within_last(&self) -> Option<Position> {
        self.within_last
    }
    /// Texts the rule must transform exactly.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }
    /// Texts the rule must leave untouched.
    pub fn keeps(&self) -> &[String] {
        &self.keeps
    }
    /// The file the rule came from, and the line of its id.
    pub fn location(&self) -> (&str, usize) {
        (&self.file, self.line)
    }
}

/// A family: one rule file.
#[derive(Debug, Clone)]
pub struct Family {
    /// The family name (the file's stem).
    pub name: String,
    /// The file's `description`.
    pub description: String,
    /// The file's name.
    pub file: String,
}

fn family_of(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".toml").unwrap_or(base)
}

/// Where a rule file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Compiled into the binary: its regexes are not compiled one by one at load (a test
    /// does that), only in the rule set's automata.
    Builtin,
    /// Given by the user: each regex is compiled alone at load, so that an error names its
    /// file, line and rule.
    User,
}

/// A TOML error of rule file `name`, whose `text` holds the failing TOML at byte `offset`.
fn toml_error(name: &str, text: &str, offset: usize, e: &toml::de::Error) -> Error {
    let pos = e.span().map(|s| line_col(text, offset + s.start));
    let mut msg = e.message().trim().to_string();
    if msg.contains("escape") {
        // A regex in a double-quoted string: `"^\s*Share$"`.
        msg.push_str(
            "; in a double-quoted TOML string a backslash starts an escape: write regexes \
             in single quotes ('^\\s*Share$', or '''…''' when they hold a quote)",
        );
    }
    Error::rule(name, pos, None, msg)
}

/// The errors of a rule file that does not parse, rule by rule: the text is cut before each
/// `[[rule]]` line and each piece read alone, so every broken rule is named, in order.
fn chunk_errors(name: &str, text: &str, origin: Origin) -> Vec<Error> {
    let mut starts: Vec<usize> = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[rule]]" && at > 0 {
            starts.push(at);
        }
        at += line.len();
    }
    starts.push(text.len());
    let file: Arc<str> = Arc::from(name);
    let index = LineIndex::new(text);
    let mut errors = Vec::new();
    for w in starts.windows(2) {
        // The text before the piece blanked, newlines kept: positions stay the file's.
        let mut piece: Vec<u8> = text.as_bytes()[..w[0]]
            .iter()
            .map(|&b| if b == b'\n' { b'\n' } else { b' ' })
            .collect();
        piece.extend_from_slice(&text.as_bytes()[w[0]..w[1]]);
        let piece = String::from_utf8(piece).expect("ASCII spaces and a slice at line starts");
        match toml::from_str::<FileSpec>(&piece) {
            Err(e) => errors.push(toml_error(name, text, 0, &e)),
            Ok(spec) => {
                for rule in spec.rules {
                    if let Err(e) = validate(rule, family_of(name), &file, &index, origin) {
                        errors.push(e);
                    }
                }
            }
        }
    }
    errors
}

pub(crate) fn load_file(
    name: &str,
    text: &str,
    origin: Origin,
    rules: &mut Vec<Rule>,
) -> Result<Family, Error> {
    let spec: FileSpec = toml::from_str(text).map_err(|e| {
        // Each rule on its own, to report every broken one in order.
        let errors = chunk_errors(name, text, origin);
        if errors.len() > 1 {
            return Error::many(errors);
        }
        toml_error(name, text, 0, &e)
    })?;
    let family = family_of(name);
    let file: Arc<str> = Arc::from(name);
    let index = LineIndex::new(text);
    // Every invalid rule of the file is reported, in order.
    let mut errors = Vec::new();
    for rule in spec.rules {
        match validate(rule, family, &file, &index, origin) {
            Ok(r) => rules.push(r),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(Family {
        name: family.to_string(),
        description: spec.description,
        file: name.to_string(),
    })
}

fn validate(
    spec: RuleSpec,
    family: &str,
    file: &Arc<str>,
    lines: &LineIndex<'_>,
    origin: Origin,
) -> Result<Rule, Error> {
    let at = |span: std::ops::Range<usize>| Some(lines.line_col(span.start));
    let id_pos = at(spec.id.span());
    let id = spec.id.into_inner();
    let err = |pos, msg: String| Error::rule(file, pos, Some(&id), msg);

    let valid_chars = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/');
    if !valid_chars || id.matches('/').count() != 1 || id.ends_with('/') {
        return Err(err(
            id_pos,
            "an id is `family/name` in lower-case letters, digits and '-'".into(),
        ));
    }
    if id.split('/').next() != Some(family) {
        return Err(err(
            id_pos,
            format!("id must start with \"{family}/\", the name of its file"),
        ));
    }
    if spec.description.trim().is_empty() {
        return Err(err(
            id_pos,
            "description is empty: say what the rule removes".into(),
        ));
    }
    let kind_pos = at(spec.kind.span());
    let kind = spec.kind.into_inner();
    if spec.max_chars == Some(0) {
        return Err(err(id_pos, "max-chars must be at least 1".into()));
    }
    let not_for = |field: &str, pos| {
        err(
            pos,
            format!("{field} is not a field of kind \"{kind}\"; see rules/README.md"),
        )
    };
    if kind != Kind::DropBlock {
        if let Some(m) = &spec.start {
            return Err(not_for("start", at(m.span())));
        }
        if let Some(m) = &spec.end {
            return Err(not_for("end", at(m.span())));
        }
        if spec.max_lines.is_some() {
            return Err(not_for("max-lines", id_pos));
        }
    }
    if let (true, Some(m)) = (kind != Kind::Replace, &spec.map) {
        return Err(not_for("map", at(m.span())));
    }

    let mode = spec.mode.map(|m| (at(m.span()), m.into_inner()));
    let mut patterns = Vec::new();
    let mut map = Vec::new();
    let mut block = None;
    match kind {
        Kind::Replace => {
            if let Some((pos, _)) = mode {
                return Err(not_for("match", pos));
            }
            if let Some(p) = &spec.patterns {
                return Err(not_for("patterns", at(p.span())));
            }
            let Some(m) = spec.map else {
                return Err(err(
                    kind_pos,
                    "kind \"replace\" needs a map, e.g. map = { \"“\" = '\"' }".into(),
                ));
            };
            let map_pos = at(m.span());
            map = m.into_inner().into_iter().collect();
            if map.is_empty() {
                return Err(err(
                    map_pos,
                    "map is empty: expected at least one entry".into(),
                ));
            }
            if map.iter().any(|(k, _)| k.is_empty()) {
                return Err(err(map_pos, "map has an empty key".into()));
            }
        }
        Kind::DropBlock => {
            if let Some((pos, _)) = mode {
                return Err(err(
                    pos,
                    "kind \"drop-block\" takes start = { match, patterns } and end, not match"
                        .into(),
                ));
            }
            if let Some(p) = &spec.patterns {
                return Err(err(
                    at(p.span()),
                    "kind \"drop-block\" takes start = { match, patterns } and end, not patterns"
                        .into(),
                ));
            }
            let Some(start) = spec.start else {
                return Err(err(
                    kind_pos,
                    "kind \"drop-block\" needs start = { match = \"…\", patterns = […] }".into(),
                ));
            };
            let Some(end) = spec.end else {
                return Err(err(
                    kind_pos,
                    "kind \"drop-block\" needs end = { blank-line = true } or end = { match = \
                     \"…\", patterns = […] }"
                        .into(),
                ));
            };
            let max_lines = match spec.max_lines {
                Some(n) if n >= 2 => n,
                Some(_) => {
                    return Err(err(
                        id_pos,
                        "max-lines must be at least 2 (a start and an end line)".into(),
                    ));
                }
                None => {
                    return Err(err(
                        kind_pos,
                        "kind \"drop-block\" needs max-lines, so a missing end never drops the \
                         rest of the document"
                            .into(),
                    ));
                }
            };
            let start_pos = at(start.span());
            let start = start.into_inner();
            if start.blank_line.is_some() {
                return Err(err(
                    start_pos,
                    "start cannot be blank-line; expected match and patterns".into(),
                ));
            }
            let Some(start_mode) = start.mode else {
                return Err(err(
                    start_pos,
                    "start needs match = \"exact\", \"phrase\" or \"regex\"".into(),
                ));
            };
            let start_patterns =
                marker_patterns(start_mode, start.patterns, start_pos, origin, &at, &err)?;
            let end_pos = at(end.span());
            let end = end.into_inner();
            let (end_mode, end_patterns) = match (end.blank_line, end.mode, end.patterns) {
                (Some(true), None, None) => (None, Vec::new()),
                (None, Some(m), p) => (Some(m), marker_patterns(m, p, end_pos, origin, &at, &err)?),
                _ => {
                    return Err(err(
                        end_pos,
                        "end is either { blank-line = true } or { match = \"…\", patterns = […] }"
                            .into(),
                    ));
                }
            };
            block = Some(Block {
                start_mode,
                start: start_patterns,
                end_mode,
                end: end_patterns,
                max_lines,
            });
        }
        Kind::CutTail | Kind::DropLine | Kind::StripSpan => {
            let Some((mode_pos, m)) = mode else {
                return Err(err(
                    kind_pos,
                    format!("kind \"{kind}\" needs match = \"exact\", \"phrase\" or \"regex\""),
                ));
            };
            if kind == Kind::StripSpan && m != MatchMode::Regex {
                return Err(err(
                    mode_pos,
                    format!(
                        "kind \"strip-span\" needs match = \"regex\", found \"{}\"",
                        m.as_str()
                    ),
                ));
            }
            let Some(list) = spec.patterns else {
                return Err(err(
                    kind_pos,
                    "patterns is missing: expected a list of at least one pattern".into(),
                ));
            };
            let list_pos = at(list.span());
            patterns = marker_patterns(m, Some(list.into_inner()), list_pos, origin, &at, &err)?;
        }
    }
    Ok(Rule {
        id: Arc::from(id.as_str()),
        kind,
        description: Arc::from(spec.description.trim()),
        mode: mode.map(|(_, m)| m),
        patterns,
        map,
        block,
        max_chars: spec.max_chars,
        within_first: spec.within_first,
        within_last: spec.within_last,
        examples: spec
            .examples
            .into_iter()
            .map(|e| Example {
                before: e.before,
                after: e.after,
            })
            .collect(),
        keeps: spec.keeps.into_iter().map(|k| k.text).collect(),
        file: Arc::clone(file),
        user: origin == Origin::User,
        line: id_pos.map_or(0, |p| p.0),
    })
}

type Pos = Option<(usize, usize)>;

/// Checks a pattern list: not empty, no empty or duplicate pattern, and (for a user's file)
/// every regex compiles.
fn marker_patterns(
    mode: MatchMode,
    list: Option<Vec<toml::Spanned<String>>>,
    list_pos: Pos,
    origin: Origin,
    at: &impl Fn(std::ops::Range<usize>) -> Pos,
    err: &impl Fn(Pos, String) -> Error,
) -> Result<Vec<String>, Error> {
    let list = list.unwrap_or_default();
    if list.is_empty() {
        return Err(err(
            list_pos,
            "patterns is empty: expected at least one pattern".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let pos = at(p.span());
        let p = p.into_inner();
        if p.trim().is_empty() {
            return Err(err(
                pos,
                "empty pattern: expected some text to match".into(),
            ));
        }
        let key = if mode == MatchMode::Regex {
            p.clone()
        } else {
            crate::fold::fold(p.trim())
        };
        if !seen.insert(key) {
            return Err(err(pos, format!("duplicate pattern \"{p}\"")));
        }
        if mode == MatchMode::Regex {
            if origin == Origin::User {
                compile::check_regex(&p).map_err(|e| err(pos, e))?;
            }
            out.push(p);
        } else {
            out.push(p.trim().to_string());
        }
    }
    Ok(out)
}

pub(crate) fn check_unique_ids(rules: &[Rule]) -> Result<(), Error> {
    let mut seen: HashMap<&str, &Rule> = HashMap::new();
    for r in rules {
        if let Some(first) = seen.insert(&r.id, r) {
            return Err(Error::rule(
                &r.file,
                Some((r.line, 1)),
                Some(&r.id),
                format!(
                    "duplicate id: first defined at {}:{}",
                    first.file, first.line
                ),
            ));
        }
    }
    Ok(())
}

/// The built-in rule files, as `(name, text)`.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin::FILES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_regexes_compile_alone() {
        // Loaded as a user's files are, each regex is compiled alone within the limit.
        let mut rules = Vec::new();
        for (name, text) in builtin::FILES {
            if let Err(e) = load_file(name, text, Origin::User, &mut rules) {
                panic!("{e}");
            }
        }
        assert!(rules.iter().any(|r| r.mode == Some(MatchMode::Regex)));
    }

    #[test]
    fn family_is_file_stem() {
        assert_eq!(family_of("rules/cookie.toml"), "cookie");
        assert_eq!(family_of("my.toml"), "my");
    }
}
