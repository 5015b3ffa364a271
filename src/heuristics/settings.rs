//! The heuristics' thresholds, loaded from `rules/heuristics/settings.toml` (built in) or a
//! file of the same shape. A file need only hold what it changes: its tables and values are
//! laid over the built-in ones (a list replaces the built-in list). Unknown tables and fields
//! are errors, like in rule files.

use std::sync::Arc;

use regex::RegexSet;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::cohesion::CohesionSettings;
use super::context::BlockSettings;
use super::corpus_repeat::CorpusRepeat;
use super::language::{Language, stop_masks};
use super::{Heuristic, REGISTRY};
use crate::doc::shape::ProseSettings;
use crate::error::{Error, line_col};

const BUILTIN: &str = include_str!("../../rules/heuristics/settings.toml");
const BUILTIN_NAME: &str = "rules/heuristics/settings.toml";
/// The built-in settings' name and text, for messages.
pub(crate) const SETTINGS_NAME: &str = BUILTIN_NAME;
pub(crate) const SETTINGS_TEXT: &str = BUILTIN;

/// Thresholds of the structural heuristics; see `rules/heuristics/settings.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `[prose]`: which lines are prose, for every stage after the rules.
    pub(crate) prose: ProseSettings,
    /// `[blocks]`: how the article's prose splits into blocks.
    pub(crate) blocks: BlockSettings,
    /// `[cohesion]`: which words count when a line is compared with the prose.
    pub(crate) cohesion: CohesionSettings,
    /// `[corpus]`: also which lines have a key in the corpus statistics.
    pub(crate) corpus: CorpusRepeat,
    pub(crate) protect: RegexSet,
    /// The languages with stop-word lists, in the order of the bits of `stop_masks`.
    pub(super) languages: Vec<&'static str>,
    /// The hash ([`word_hash`]) of every stop word (folded), with a bit per language it
    /// belongs to.
    pub(super) stop_masks: FxHashMap<u64, u16>,
    pub(crate) language: Language,
    /// Every heuristic of the registry, read from its table, in registry order.
    heuristics: Vec<Arc<dyn Heuristic>>,
    /// The merged TOML the settings were read from.
    effective: toml::Table,
}

/// The tables every heuristic shares.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Shared {
    prose: ProseSettings,
    blocks: BlockSettings,
    cohesion: CohesionSettings,
    corpus: CorpusRepeat,
    language: Language,
    protect: Protect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Protect {
    patterns: Vec<String>,
}

impl Settings {
    /// The built-in settings.
    pub fn builtin() -> Settings {
        Settings::parse(BUILTIN_NAME, BUILTIN).expect("the built-in settings are valid")
    }

    /// Parses settings from TOML text laid over the built-in settings: the text need only
    /// hold what it changes. `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<Settings, Error> {
        Settings::parse_layers(&[Layer {
            name,
            text,
            table: None,
        }])
    }

    /// Lays each layer over the built-in settings, in order (a settings file, then the
    /// `[heuristics.…]` tables of a configuration file).
    pub fn parse_layers(layers: &[Layer<'_>]) -> Result<Settings, Error> {
        let mut merged: toml::Table =
            toml::from_str(BUILTIN).expect("the built-in settings are valid TOML");
        let mut last = BUILTIN_NAME;
        for layer in layers {
            let (name, text) = (layer.name, layer.text);
            last = name;
            let err = |span: Option<std::ops::Range<usize>>, msg: String| {
                Error::rule(name, span.map(|s| line_col(text, s.start)), None, msg)
            };
            let user = toml::de::DeTable::parse(text)
                .map_err(|e| err(e.span(), e.message().trim().to_string()))?;
            match layer.table {
                None => overlay(&mut merged, user.get_ref(), "", text, &err)?,
                Some(table) => {
                    let Some(t) = user.get_ref().get(table) else {
                        continue;
                    };
                    let toml::de::DeValue::Table(t) = t.get_ref() else {
                        return Err(err(Some(t.span()), format!("`{table}` must be a table")));
                    };
                    // Its own keys (a settings file's path) are the caller's, not settings.
                    overlay_tables(&mut merged, t, text, &err)?;
                }
            }
        }
        let file = Shared::deserialize(merged.clone())
            .map_err(|e| Error::rule(last, None, None, e.message().trim().to_string()))?;
        let heuristics = REGISTRY
            .iter()
            .map(|r| {
                let table = merged
                    .get(r.table)
                    .cloned()
                    .unwrap_or(toml::Value::Table(toml::Table::new()));
                (r.build)(table).map_err(|e| {
                    Error::rule(
                        last,
                        None,
                        None,
                        format!("[{}]: {}", r.table, e.message().trim()),
                    )
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let protect = RegexSet::new(&file.protect.patterns).map_err(|e| {
            Error::rule(
                last,
                None,
                None,
                format!("[protect] patterns: {}", e.to_string().replace('\n', " ")),
            )
        })?;
        Ok(Settings {
            prose: file.prose,
            blocks: file.blocks,
            cohesion: file.cohesion,
            corpus: file.corpus,
            protect,
            languages: super::language::languages(),
            stop_masks: stop_masks(),
            language: file.language,
            heuristics,
            effective: merged,
        })
    }

    /// Every heuristic of the registry as these settings make it, in registry order.
    pub(crate) fn heuristics(&self) -> &[Arc<dyn Heuristic>] {
        &self.heuristics
    }

    /// The settings that name rules or heuristics: (table, field, selectors).
    pub(crate) fn selectors(
        &self,
    ) -> impl Iterator<Item = (&'static str, &'static str, &[String])> {
        self.heuristics.iter().filter_map(|h| h.selectors())
    }

    /// The settings in force as TOML: the built-in ones with every layer laid over them.
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.effective).expect("settings serialize")
    }

    /// True when `name` is a table of the settings (`corpus`, `header-zone`). Reads only the
    /// built-in file's table names, once: no settings are built.
    pub fn is_table(name: &str) -> bool {
        static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        NAMES
            .get_or_init(|| {
                let t: toml::Table = toml::from_str(BUILTIN).expect("the built-in settings parse");
                t.keys().cloned().collect()
            })
            .iter()
            .any(|n| n == name)
    }

    /// One table of the settings in force (`header-zone`), as TOML with its header.
    pub fn table_toml(&self, table: &str) -> Option<String> {
        let t = self.effective.get(table)?.as_table()?;
        let mut wrap = toml::Table::new();
        wrap.insert(table.to_string(), toml::Value::Table(t.clone()));
        Some(toml::to_string(&wrap).expect("settings serialize"))
    }
}

/// Settings that moved to a table of their own when several heuristics came to share them:
/// (old path, where it is now).
const MOVED: &[(&str, &str)] = &[
    ("footer-zone.min-gap", "min-gap in [blocks]"),
    (
        "footer-zone.min-open-sentence-words",
        "min-open-sentence-words in [blocks]",
    ),
    (
        "inline-teaser.content-word-chars",
        "content-word-chars in [cohesion]",
    ),
];

/// One layer of settings text for [`Settings::parse_layers`].
#[derive(Debug, Clone, Copy)]
pub struct Layer<'a> {
    /// The file's name, for messages.
    pub name: &'a str,
    /// Its TOML text.
    pub text: &'a str,
    /// The table of the text that holds the settings (`heuristics` in a configuration
    /// file, whose tables under it are settings tables); `None`: the whole text.
    pub table: Option<&'a str>,
}

/// [`overlay`] for the tables of `user` only: its other keys belong to whoever holds it.
fn overlay_tables(
    base: &mut toml::Table,
    user: &toml::de::DeTable<'_>,
    text: &str,
    err: &impl Fn(Option<std::ops::Range<usize>>, String) -> Error,
) -> Result<(), Error> {
    for (key, value) in user {
        if let toml::de::DeValue::Table(_) = value.get_ref() {
            let mut one = toml::de::DeTable::new();
            one.insert(key.clone(), value.clone());
            overlay(base, &one, "", text, err)?;
        }
    }
    Ok(())
}

/// Lays the user's table `user` over `base`, key by key: a table over a table merges, any
/// other value replaces. A key `base` does not have is an error at its place in the text;
/// `at` is the path of the table, for messages.
fn overlay(
    base: &mut toml::Table,
    user: &toml::de::DeTable<'_>,
    at: &str,
    text: &str,
    err: &impl Fn(Option<std::ops::Range<usize>>, String) -> Error,
) -> Result<(), Error> {
    for (key, value) in user {
        let k: &str = key.get_ref();
        let path = if at.is_empty() {
            k.to_string()
        } else {
            format!("{at}.{k}")
        };
        let Some(slot) = base.get_mut(k) else {
            let mut known: Vec<&str> = base.keys().map(String::as_str).collect();
            known.sort_unstable();
            if let Some((_, to)) = MOVED.iter().find(|(from, _)| *from == path) {
                return Err(err(
                    Some(key.span()),
                    format!("`{path}` has moved: write it as {to}"),
                ));
            }
            let what = if at.is_empty() {
                format!("unknown table [{k}]")
            } else {
                format!("unknown field `{k}` in [{at}]")
            };
            return Err(err(
                Some(key.span()),
                format!("{what}, expected one of {}", known.join(", ")),
            ));
        };
        match (slot, value.get_ref()) {
            (toml::Value::Table(b), toml::de::DeValue::Table(u)) => {
                overlay(b, u, &path, text, err)?
            }
            (toml::Value::Table(_), _) => {
                return Err(err(
                    Some(value.span()),
                    format!("`{path}` is a table: write it as [{path}]"),
                ));
            }
            (slot, _) => {
                let raw = &value.span();
                let bad =
                    |e: toml::de::Error| err(Some(raw.clone()), e.message().trim().to_string());
                let v = toml::Value::deserialize(
                    toml::de::ValueDeserializer::parse(&text[raw.clone()]).map_err(bad)?,
                )
                .map_err(bad)?;
                if std::mem::discriminant(&v) != std::mem::discriminant(slot)
                    && !matches!(
                        (&v, &*slot),
                        (toml::Value::Integer(_), toml::Value::Float(_))
                    )
                {
                    return Err(err(
                        Some(raw.clone()),
                        format!(
                            "`{path}`: expected {}, found {}",
                            slot.type_str(),
                            v.type_str()
                        ),
                    ));
                }
                *slot = match (v, &*slot) {
                    (toml::Value::Integer(i), toml::Value::Float(_)) => {
                        toml::Value::Float(i as f64)
                    }
                    (v, _) => v,
                };
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let s = Settings::builtin();
        assert!(s.prose.min_words > 0);
        assert!(s.protect.is_match("Source: KCNA"));
        let all = s.stop_bits(None);
        assert!(s.word("which").stop & all != 0 && s.word("über").stop & all != 0);
        assert!(s.word("which").stop & s.stop_bits(Some("en")) != 0);
        assert!(s.word("which").stop & s.stop_bits(Some("de")) == 0);
        assert!(s.word("rates").stop == 0);
        let words = "the vote is on monday and they said that it would be over before they knew";
        assert_eq!(s.detect_language(words.split(' ')), Some("en"));
        let words =
            "dyrekcja szkoły przyjęła w tym roku uczniów ale nie było więcej niż oraz także";
        assert_eq!(s.detect_language(words.split(' ')), Some("pl"));
        assert_eq!(s.detect_language("a b c".split(' ')), None);
        assert_eq!(super::super::stopword_languages().count(), 9);
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = BUILTIN.replace("[header-zone]", "[header-zone]\nmax-wrods = 3");
        let e = Settings::parse("s.toml", &text).unwrap_err().to_string();
        assert!(e.starts_with("s.toml:"), "{e}");
        assert!(e.contains("unknown field `max-wrods`"), "{e}");
    }

    #[test]
    fn a_file_need_only_hold_what_it_changes() {
        let s = Settings::parse("s.toml", "[corpus]\nmin-files = 2\n").unwrap();
        assert_eq!(s.corpus.min_files, 2);
        let builtin = Settings::builtin();
        assert_eq!(s.corpus.min_letters, builtin.corpus.min_letters);
        assert_eq!(s.prose.min_words, builtin.prose.min_words);
        // An integer where a float is expected is taken; other types are errors, placed.
        let s = Settings::parse("s.toml", "[footer-zone]\nmax-tail-share = 1\n").unwrap();
        assert!(
            s.table_toml("footer-zone")
                .unwrap()
                .contains("max-tail-share = 1.0")
        );
        for (text, want) in [
            (
                "[corpus]\nmin-files = \"2\"\n",
                "s.toml:2:13: `corpus.min-files`: expected integer, found string",
            ),
            (
                "[corpus]\nmin-flies = 2\n",
                "s.toml:2:1: unknown field `min-flies` in [corpus], expected one of min-files, min-letters",
            ),
            (
                "[corpse]\n",
                "s.toml:1:2: unknown table [corpse], expected one of author-box,",
            ),
            (
                "[footer-zone]\nmin-gap = 2\n",
                "s.toml:2:1: `footer-zone.min-gap` has moved: write it as min-gap in [blocks]",
            ),
            (
                "corpus = 3\n",
                "s.toml:1:10: `corpus` is a table: write it as [corpus]",
            ),
        ] {
            let e = Settings::parse("s.toml", text).unwrap_err().to_string();
            assert!(e.starts_with(want), "{e}");
        }
        // Layers apply in order; a configuration's tables live under [heuristics].
        let config =
            "[heuristics]\nsettings = \"s.toml\"\n\n[heuristics.corpus]\nmin-letters = 9\n";
        let s = Settings::parse_layers(&[
            Layer {
                name: "s.toml",
                text: "[corpus]\nmin-files = 2\nmin-letters = 5\n",
                table: None,
            },
            Layer {
                name: "thresh.toml",
                text: config,
                table: Some("heuristics"),
            },
        ])
        .unwrap();
        assert_eq!((s.corpus.min_files, s.corpus.min_letters), (2, 9));
        assert!(
            s.to_toml()
                .contains("[corpus]\nmin-files = 2\nmin-letters = 9\n"),
            "{}",
            s.to_toml()
        );
    }
}
