//! The heuristics' thresholds, loaded from `rules/heuristics/settings.toml` (built in) or a
//! file of the same shape. Unknown fields are errors, like in rule files.

use regex::RegexSet;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::error::{Error, line_col};

const BUILTIN: &str = include_str!("../../rules/heuristics/settings.toml");
const BUILTIN_NAME: &str = "rules/heuristics/settings.toml";

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
    pub(crate) protect: RegexSet,
    /// Per language, its stop words (folded).
    pub(crate) stopwords: Vec<(&'static str, FxHashSet<String>)>,
    /// Every language's stop words together, for text whose language is not known.
    pub(crate) all_stopwords: FxHashSet<String>,
    /// Every stop word, with a bit per language (in `stopwords` order) it belongs to.
    stopword_langs: FxHashMap<String, u16>,
    pub(crate) language: Language,
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

    /// A count of stop-word hits per language, fed one folded word at a time.
    pub(crate) fn language_votes(&self) -> LanguageVotes<'_> {
        LanguageVotes {
            settings: self,
            hits: vec![0; self.stopwords.len()],
            words: 0,
        }
    }

    /// The stop words for `lang`, or all of them when it is unknown.
    pub(crate) fn stopwords_for(&self, lang: Option<&str>) -> &FxHashSet<String> {
        lang.and_then(|l| self.stopwords.iter().find(|(x, _)| *x == l))
            .map_or(&self.all_stopwords, |(_, s)| s)
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
    /// Counts one folded word; false once enough words have been seen.
    pub(crate) fn add(&mut self, word: &str) -> bool {
        // A couple of thousand words settle the language of any page.
        if self.words >= DETECT_WORDS {
            return false;
        }
        self.words += 1;
        if let Some(&mask) = self.settings.stopword_langs.get(word) {
            for (i, h) in self.hits.iter_mut().enumerate() {
                *h += usize::from(mask & (1 << i) != 0);
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
            .then_some(self.settings.stopwords[best].0)
    }
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
    pub(crate) min_headline_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FooterZone {
    pub(crate) min_sentence_words: usize,
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
    pub(crate) min_letters: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct AuthorBox {
    pub(crate) max_name_words: usize,
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
    language: Language,
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
            footer_zone: file.footer_zone,
            author_box: file.author_box,
            link_list: file.link_list,
            corpus: file.corpus,
            inline_teaser: file.inline_teaser,
            teaser_run: file.teaser_run,
            protect,
            all_stopwords: stopwords().into_iter().flat_map(|(_, s)| s).collect(),
            stopword_langs: {
                let mut m: FxHashMap<String, u16> = FxHashMap::default();
                for (i, (_, set)) in stopwords().into_iter().enumerate() {
                    for w in set {
                        *m.entry(w).or_default() |= 1 << i;
                    }
                }
                m
            },
            stopwords: stopwords(),
            language: file.language,
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
        assert!(s.all_stopwords.contains("which") && s.all_stopwords.contains("über"));
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
}
