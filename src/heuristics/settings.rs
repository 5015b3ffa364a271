//! The heuristics' thresholds, loaded from `rules/heuristics/settings.toml` (built in) or a
//! file of the same shape. Unknown fields are errors, like in rule files.

use regex::RegexSet;
use serde::Deserialize;

use crate::error::{Error, line_col};

const BUILTIN: &str = include_str!("../../rules/heuristics/settings.toml");
const BUILTIN_NAME: &str = "rules/heuristics/settings.toml";

/// Thresholds of the structural heuristics; see `rules/heuristics/settings.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) prose: Prose,
    pub(crate) duplicate_line: DuplicateLine,
    pub(crate) header_zone: HeaderZone,
    pub(crate) inline_teaser: InlineTeaser,
    pub(crate) protect: RegexSet,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Prose {
    pub(crate) min_words: usize,
    pub(crate) terminal: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct DuplicateLine {
    pub(crate) max_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct HeaderZone {
    pub(crate) max_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct InlineTeaser {
    pub(crate) min_words: usize,
    pub(crate) max_words: usize,
    pub(crate) content_word_chars: usize,
    pub(crate) min_content_words: usize,
    pub(crate) min_shared: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Protect {
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    prose: Prose,
    duplicate_line: DuplicateLine,
    header_zone: HeaderZone,
    inline_teaser: InlineTeaser,
    protect: Protect,
}

impl Settings {
    /// The built-in settings.
    pub fn builtin() -> Settings {
        Settings::parse(BUILTIN_NAME, BUILTIN).expect("the built-in settings are valid")
    }

    /// Parses settings from TOML text; `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<Settings, Error> {
        let file: File = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| line_col(text, s.start));
            Error::rule(name, pos, None, e.message().trim().to_string())
        })?;
        let protect = RegexSet::new(&file.protect.patterns).map_err(|e| {
            Error::rule(
                name,
                None,
                None,
                format!("[protect] patterns: {}", e.to_string().replace('\n', " ")),
            )
        })?;
        Ok(Settings {
            prose: file.prose,
            duplicate_line: file.duplicate_line,
            header_zone: file.header_zone,
            inline_teaser: file.inline_teaser,
            protect,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let s = Settings::builtin();
        assert!(s.prose.min_words > 0);
        assert!(s.protect.is_match("Source: KCNA"));
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = BUILTIN.replace("[header-zone]", "[header-zone]\nmax-wrods = 3");
        let e = Settings::parse("s.toml", &text).unwrap_err().to_string();
        assert!(e.starts_with("s.toml:"), "{e}");
        assert!(e.contains("unknown field `max-wrods`"), "{e}");
    }
}
