//! The heuristics' thresholds, loaded from `rules/heuristics/settings.toml` (built in) or a
//! file of the same shape. A file need only hold what it changes: its tables and values are
//! laid over the built-in ones (a list replaces the built-in list). Unknown tables and fields
//! are errors, like in rule files.

use regex::RegexSet;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::error::{Error, line_col};

const BUILTIN: &str = include_str!("../../rules/heuristics/settings.toml");
const BUILTIN_NAME: &str = "rules/heuristics/settings.toml";
/// The built-in settings' name and text, for messages.
pub(crate) const SETTINGS_NAME: &str = BUILTIN_NAME;
pub(crate) const SETTINGS_TEXT: &str = BUILTIN;

/// The stop-word lists, one per language of the rule packs: `(language, text)`.
const STOPWORDS: &[(&str, &str)] = &[
    (
        "de",
        include_str!("../../rules/heuristics/stopwords/de.txt"),
    ),
    (
        "en",
        include_str!("../../rules/heuristics/stopwords/en.txt"),
    ),
    (
        "es",
        include_str!("../../rules/heuristics/stopwords/es.txt"),
    ),
    (
        "fr",
        include_str!("../../rules/heuristics/stopwords/fr.txt"),
    ),
    (
        "it",
        include_str!("../../rules/heuristics/stopwords/it.txt"),
    ),
    (
        "pl",
        include_str!("../../rules/heuristics/stopwords/pl.txt"),
    ),
    (
        "pt",
        include_str!("../../rules/heuristics/stopwords/pt.txt"),
    ),
    (
        "ru",
        include_str!("../../rules/heuristics/stopwords/ru.txt"),
    ),
    (
        "uk",
        include_str!("../../rules/heuristics/stopwords/uk.txt"),
    ),
];

/// The languages with a built-in stop-word list.
pub fn stopword_languages() -> impl Iterator<Item = &'static str> {
    STOPWORDS.iter().map(|(l, _)| *l)
}

/// The most words language detection looks at.
const DETECT_WORDS: usize = 2000;

/// The stop words of each language, folded.
fn stopwords() -> Vec<(&'static str, FxHashSet<String>)> {
    STOPWORDS
        .iter()
        .map(|(lang, text)| {
            let words = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(crate::fold::fold)
                .collect();
            (*lang, words)
        })
        .collect()
}

/// The hash of a folded word, as the heuristics compare words: stable within a run, and a
/// collision can only make two words look alike.
pub(crate) fn word_hash(word: &str) -> u64 {
    hash_bytes(word.as_bytes(), 0)
}

/// [`word_hash`] of the lower case of `word`, a run of ASCII letters and digits, without
/// copying it: lower-casing such a byte sets its 0x20 bit (digits have it already).
pub(crate) fn ascii_word_hash(word: &[u8]) -> u64 {
    debug_assert!(word.iter().all(u8::is_ascii_alphanumeric));
    hash_bytes(word, 0x20)
}

/// A multiplicative hash of `bytes`, eight at a time, each byte or-ed with `or` first. Words
/// of up to eight bytes and the same length never collide (each step is a bijection).
#[inline]
fn hash_bytes(bytes: &[u8], or: u8) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let wide = u64::from_ne_bytes([or; 8]);
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        h = (h ^ (w | wide)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut t = [0u8; 8];
        for (d, s) in t.iter_mut().zip(rest) {
            *d = s | or;
        }
        h = (h ^ u64::from_le_bytes(t)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// One folded word as the heuristics see it, for tests: the heuristics compute what they
/// need of it (`Cohesion::word_key`, [`Settings::stop_mask`]).
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    /// [`word_hash`] of the word.
    pub(crate) hash: u64,
    /// [`word_hash`] of its first `stem-chars` characters (the whole word when shorter).
    pub(crate) stem: u64,
    /// Its length in characters.
    pub(crate) chars: usize,
    /// A bit per language whose stop word it is.
    pub(crate) stop: u16,
}

/// Thresholds of the structural heuristics; see `rules/heuristics/settings.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) prose: Prose,
    pub(crate) duplicate_line: DuplicateLine,
    pub(crate) header_zone: HeaderZone,
    pub(crate) footer_zone: FooterZone,
    pub(crate) author_box: AuthorBox,
    pub(crate) link_list: LinkList,
    pub(crate) corpus: Corpus,
    pub(crate) inline_teaser: InlineTeaser,
    pub(crate) teaser_run: TeaserRun,
    pub(crate) between_debris: BetweenDebris,
    pub(crate) protect: RegexSet,
    /// The languages with stop-word lists, in the order of the bits of `stop_masks`.
    languages: Vec<&'static str>,
    /// The hash ([`word_hash`]) of every stop word (folded), with a bit per language it
    /// belongs to.
    stop_masks: FxHashMap<u64, u16>,
    pub(crate) language: Language,
    /// The merged TOML the settings were read from.
    effective: toml::Table,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Language {
    pub(crate) min_hits: usize,
    pub(crate) inflected: Vec<String>,
    pub(crate) stem_chars: usize,
}

impl Settings {
    /// The language of `words` (folded), by stop-word overlap: the language with the most
    /// hits, when it has at least `min-hits` and more than any other.
    #[cfg(test)]
    pub(crate) fn detect_language<'a>(
        &self,
        words: impl Iterator<Item = &'a str>,
    ) -> Option<&'static str> {
        let mut votes = self.language_votes();
        for w in words {
            if !votes.add(w) {
                break;
            }
        }
        votes.language()
    }

    /// A count of stop-word hits per language, fed one word at a time.
    pub(crate) fn language_votes(&self) -> LanguageVotes<'_> {
        LanguageVotes {
            settings: self,
            hits: vec![0; self.languages.len()],
            words: 0,
        }
    }

    /// What the heuristics need to know of one folded word; one hash, one lookup.
    #[cfg(test)]
    pub(crate) fn word(&self, folded: &str) -> Word {
        let hash = word_hash(folded);
        let chars = if folded.is_ascii() {
            folded.len()
        } else {
            folded.chars().count()
        };
        let n = self.language.stem_chars;
        let stem = match folded.char_indices().nth(n) {
            Some((i, _)) if n > 0 => word_hash(&folded[..i]),
            _ => hash,
        };
        Word {
            hash,
            stem,
            chars,
            stop: self.stop_mask(hash),
        }
    }

    /// The stop-word bits of the word whose [`word_hash`] is `hash`: a bit per language whose
    /// stop word it is.
    pub(crate) fn stop_mask(&self, hash: u64) -> u16 {
        self.stop_masks.get(&hash).copied().unwrap_or(0)
    }

    /// The stop-word bits that count in `lang`: its own, or every language's when it is
    /// unknown.
    pub(crate) fn stop_bits(&self, lang: Option<&str>) -> u16 {
        lang.and_then(|l| self.languages.iter().position(|x| *x == l))
            .map_or(u16::MAX, |i| 1 << i)
    }

    /// How many leading characters of a word to compare in `lang` (0: the whole word).
    pub(crate) fn stem_chars(&self, lang: Option<&str>) -> usize {
        match lang {
            Some(l) if self.language.inflected.iter().any(|x| x == l) => self.language.stem_chars,
            _ => 0,
        }
    }
}

/// Stop-word hits per language over the first words of a text; see
/// [`Settings::language_votes`].
pub(crate) struct LanguageVotes<'s> {
    settings: &'s Settings,
    hits: Vec<usize>,
    words: usize,
}

impl LanguageVotes<'_> {
    /// Counts one folded word.
    #[cfg(test)]
    pub(crate) fn add(&mut self, word: &str) -> bool {
        self.add_word(&self.settings.word(word))
    }

    /// Counts one word; false once enough words have been seen.
    #[cfg(test)]
    pub(crate) fn add_word(&mut self, word: &Word) -> bool {
        self.add_stop(word.stop)
    }

    /// Counts one word by its stop-word bits ([`Settings::stop_mask`]); false once enough
    /// words have been seen.
    pub(crate) fn add_stop(&mut self, stop: u16) -> bool {
        // A couple of thousand words settle the language of any page.
        if self.words >= DETECT_WORDS {
            return false;
        }
        self.words += 1;
        if stop != 0 {
            for (i, h) in self.hits.iter_mut().enumerate() {
                *h += usize::from(stop & (1 << i) != 0);
            }
        }
        true
    }

    /// The language with the most hits, if it has enough of them and no other ties it.
    pub(crate) fn language(&self) -> Option<&'static str> {
        let hits = &self.hits;
        let best = (0..hits.len()).max_by_key(|&i| (hits[i], std::cmp::Reverse(i)))?;
        let unique = hits.iter().filter(|&&h| h == hits[best]).count() == 1;
        (hits[best] >= self.settings.language.min_hits && unique)
            .then_some(self.settings.languages[best])
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Prose {
    pub(crate) min_words: usize,
    pub(crate) terminal: String,
    pub(crate) min_capitalised: usize,
    pub(crate) max_capitalised_share: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct DuplicateLine {
    pub(crate) max_chars: usize,
    pub(crate) min_near_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct HeaderZone {
    pub(crate) max_words: usize,
    pub(crate) min_headline_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FooterZone {
    pub(crate) min_sentence_words: usize,
    pub(crate) min_open_sentence_words: usize,
    pub(crate) min_gap: usize,
    pub(crate) max_tail_share: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct LinkList {
    pub(crate) min_items: usize,
    pub(crate) min_item_words: usize,
    pub(crate) max_item_words: usize,
    pub(crate) max_filler_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Corpus {
    pub(crate) min_files: u32,
    pub(crate) min_share_inside: f64,
    pub(crate) min_letters: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct AuthorBox {
    pub(crate) max_name_words: usize,
    pub(crate) about: Vec<String>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct BetweenDebris {
    pub(crate) max_words: usize,
    pub(crate) min_shared_words: usize,
    /// Ids or families (`ads`, `heuristic/duplicate-line`) whose drops are looked past.
    pub(crate) transparent: Vec<String>,
}

impl BetweenDebris {
    /// True when a drop by `by` says nothing about its neighbours.
    pub(crate) fn is_transparent(&self, by: &str) -> bool {
        self.transparent
            .iter()
            .any(|t| crate::rules::selects(t, by))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TeaserRun {
    pub(crate) min_units: usize,
    pub(crate) max_head_lines: usize,
    pub(crate) max_head_words: usize,
    pub(crate) max_blurb_words: usize,
    pub(crate) min_open_blurb_words: usize,
    pub(crate) max_numbers: f64,
    pub(crate) min_shared: f64,
    pub(crate) min_foreign: f64,
    pub(crate) max_share: f64,
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
    footer_zone: FooterZone,
    author_box: AuthorBox,
    link_list: LinkList,
    corpus: Corpus,
    inline_teaser: InlineTeaser,
    teaser_run: TeaserRun,
    between_debris: BetweenDebris,
    language: Language,
    protect: Protect,
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
        let file = File::deserialize(merged.clone())
            .map_err(|e| Error::rule(last, None, None, e.message().trim().to_string()))?;
        let effective = merged;
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
            duplicate_line: file.duplicate_line,
            header_zone: file.header_zone,
            footer_zone: file.footer_zone,
            author_box: file.author_box,
            link_list: file.link_list,
            corpus: file.corpus,
            inline_teaser: file.inline_teaser,
            teaser_run: file.teaser_run,
            between_debris: file.between_debris,
            protect,
            languages: STOPWORDS.iter().map(|(lang, _)| *lang).collect(),
            stop_masks: {
                let mut m: FxHashMap<u64, u16> = FxHashMap::default();
                for (i, (_, set)) in stopwords().into_iter().enumerate() {
                    for w in set {
                        *m.entry(word_hash(&w)).or_default() |= 1 << i;
                    }
                }
                m
            },
            language: file.language,
            effective,
        })
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
        assert_eq!(stopword_languages().count(), 9);
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
        assert_eq!(s.footer_zone.max_tail_share, 1.0);
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
