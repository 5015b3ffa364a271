//! The document's language, voted on by stop words (`rules/heuristics/stopwords/*.txt`), and
//! the hashes words are compared by.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::Settings;

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

/// The languages with stop-word lists, in the order of the bits of [`stop_masks`].
pub(super) fn languages() -> Vec<&'static str> {
    STOPWORDS.iter().map(|(lang, _)| *lang).collect()
}

/// The hash ([`word_hash`]) of every stop word (folded), with a bit per language of
/// [`languages`] it belongs to.
pub(super) fn stop_masks() -> FxHashMap<u64, u16> {
    let mut m: FxHashMap<u64, u16> = FxHashMap::default();
    for (i, (_, set)) in stopwords().into_iter().enumerate() {
        for w in set {
            *m.entry(word_hash(&w)).or_default() |= 1 << i;
        }
    }
    m
}
