//! Word overlap between a line and the document's prose: how much of a line the article
//! shares. Words are compared folded, without stop words, by their stems in inflected
//! languages; the document's language is voted on by its stop words.

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Deserialize;

use super::Settings;
#[cfg(test)]
use super::language::Word;
use super::language::{ascii_word_hash, word_hash};
use crate::doc::Line;
use crate::fold::{fold_into, is_alphanumeric};

/// A document of at least this many lines builds its prose vocabulary in parallel, over
/// chunks of `CHUNK_LINES` lines, on the caller's rayon pool.
const PARALLEL_LINES: usize = 1 << 14;
const CHUNK_LINES: usize = 2048;

/// Which words count when a line is compared with the prose: the `[cohesion]` table of the
/// settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct CohesionSettings {
    /// Content words have at least this many characters (stop words never count).
    pub(crate) content_word_chars: usize,
}

/// vocabulary, rebuilt only when the prose lines change.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// A hash of the prose lines (numbers and text), the language and the vocabulary.
    vocab: Option<(u64, Option<&'static str>, FxHashMap<u64, u32>)>,
}

/// The words of a document's prose, for asking how much of a line the article shares. Words
/// are kept as hashes of their folded stems: building this touches every prose word, and a
/// hash collision can only make a line look more like the article, which keeps it.
pub(crate) struct Cohesion<'s> {
    /// Content word → the number of prose lines it occurs in.
    pub(crate) vocab: &'s FxHashMap<u64, u32>,
    settings: &'s Settings,
    /// The stop-word bits of the document's language.
    stop: u16,
    stemmed: bool,
    min_chars: usize,
}

impl<'s> Cohesion<'s> {
    pub(crate) fn new(
        settings: &'s Settings,
        lines: &[Line<'_>],
        prose: &[bool],
        memo: &'s mut Memo,
    ) -> Cohesion<'s> {
        let prose_lines = || lines.iter().zip(prose).filter(|(_, p)| **p).map(|(l, _)| l);
        let key = {
            let mut h = FxHasher::default();
            for l in prose_lines() {
                h.write_usize(l.number);
                h.write(l.text.as_bytes());
            }
            h.finish()
        };
        if memo.vocab.as_ref().is_none_or(|(k, _, _)| *k != key) {
            // The language is voted on the first words of the prose. The lines those words
            // are in wait, each word folded, hashed and looked up once (a few thousand words
            // at most); once the language is known they are counted from that, and the
            // remaining lines are read once. Nothing is kept per word of a huge document: it
            // costs time, not memory.
            let mut buf = String::new();
            let mut votes = settings.language_votes();
            let mut voting = true;
            // Per word read while voting: its length in characters, hash, stem hash and
            // stop-word bits; per line, where its words end.
            let mut words: Vec<(usize, u64, u64, u16)> = Vec::new();
            let mut line_ends: Vec<usize> = Vec::new();
            let stem_chars = settings.language.stem_chars;
            let mut rest = lines.len();
            for (i, (l, _)) in lines
                .iter()
                .zip(prose)
                .enumerate()
                .filter(|(_, (_, p))| **p)
            {
                if !voting {
                    rest = i;
                    break;
                }
                for_each_word(&l.text, &mut buf, |w| {
                    let hash = w.hash();
                    let stop = settings.stop_mask(hash);
                    voting = voting && votes.add_stop(stop);
                    words.push((w.chars(), hash, w.stem_hash(stem_chars, hash), stop));
                    true
                });
                line_ends.push(words.len());
            }
            let lang = votes.language();
            let empty = FxHashMap::default();
            let c = Cohesion::with(settings, &empty, lang);
            let mut vocab: FxHashMap<u64, u32> = FxHashMap::default();
            let mut keys = Vec::new();
            let mut w = 0;
            for end in line_ends {
                keys.clear();
                for &(chars, hash, stem, stop) in &words[w..end] {
                    if chars >= c.min_chars {
                        keys.extend(c.key_of(hash, stem, stop));
                    }
                }
                w = end;
                count_keys(&mut vocab, &mut keys);
            }
            // Each prose line adds one to each of its distinct content words: the counts add
            // up the same over any split of the lines, so a long document counts its chunks
            // in parallel and adds their tallies.
            let count = |vocab: &mut FxHashMap<u64, u32>,
                         keys: &mut Vec<u64>,
                         buf: &mut String,
                         lines: &[Line<'_>],
                         prose: &[bool]| {
                for (l, _) in lines.iter().zip(prose).filter(|(_, p)| **p) {
                    keys.clear();
                    for_each_word(&l.text, buf, |w| {
                        keys.extend(c.word_key(w));
                        true
                    });
                    count_keys(vocab, keys);
                }
            };
            let (lines, prose) = (&lines[rest..], &prose[rest..]);
            if lines.len() >= PARALLEL_LINES {
                let more = lines
                    .par_chunks(CHUNK_LINES)
                    .zip(prose.par_chunks(CHUNK_LINES))
                    .fold(
                        || (FxHashMap::default(), Vec::new(), String::new()),
                        |(mut vocab, mut keys, mut buf), (lines, prose)| {
                            count(&mut vocab, &mut keys, &mut buf, lines, prose);
                            (vocab, keys, buf)
                        },
                    )
                    .map(|(vocab, _, _)| vocab)
                    .reduce(FxHashMap::default, add_counts);
                vocab = add_counts(vocab, more);
            } else {
                count(&mut vocab, &mut keys, &mut buf, lines, prose);
            }
            memo.vocab = Some((key, lang, vocab));
        }
        let (_, lang, vocab) = memo.vocab.as_ref().expect("built above");
        Cohesion::with(settings, vocab, *lang)
    }

    fn with(
        settings: &'s Settings,
        vocab: &'s FxHashMap<u64, u32>,
        lang: Option<&'static str>,
    ) -> Cohesion<'s> {
        Cohesion {
            vocab,
            settings,
            stop: settings.stop_bits(lang),
            stemmed: settings.stem_chars(lang) > 0,
            min_chars: settings.cohesion.content_word_chars,
        }
    }

    /// The key of a content word (its stem's hash, or its own); `None` for a stop word or a
    /// short word. [`word_key`](Self::word_key) answers the same from the folded text.
    #[cfg(test)]
    fn key(&self, w: &Word) -> Option<u64> {
        (w.chars >= self.min_chars && w.stop & self.stop == 0).then_some(if self.stemmed {
            w.stem
        } else {
            w.hash
        })
    }

    /// `self.key(&self.settings.word(folded))`, computing only what the answer needs: no
    /// hash for a short word, no stem for a language compared whole.
    fn word_key(&self, w: FoldedWord<'_>) -> Option<u64> {
        if w.chars() < self.min_chars {
            return None;
        }
        let hash = w.hash();
        let stop = self.settings.stop_mask(hash);
        if stop & self.stop != 0 {
            return None;
        }
        Some(if self.stemmed {
            w.stem_hash(self.settings.language.stem_chars, hash)
        } else {
            hash
        })
    }

    /// [`word_key`](Self::word_key) of a word of at least `min_chars` characters whose hash,
    /// stem hash and stop-word bits are known.
    fn key_of(&self, hash: u64, stem: u64, stop: u16) -> Option<u64> {
        (stop & self.stop == 0).then_some(if self.stemmed { stem } else { hash })
    }

    /// The distinct content words of `text`, as keys.
    pub(crate) fn content_words(&self, text: &str) -> Vec<u64> {
        let mut words = Vec::new();
        for_each_word(text, &mut String::new(), |w| {
            words.extend(self.word_key(w));
            true
        });
        words.sort_unstable();
        words.dedup();
        words
    }

    /// How many of `words` occur in the prose.
    pub(crate) fn shared(&self, words: &[u64]) -> usize {
        self.shared_beyond(words, 0)
    }

    /// How many of `words` occur in more than `own` prose lines: with `own` 1, the words of a
    /// prose line that the rest of the prose shares.
    pub(crate) fn shared_beyond(&self, words: &[u64], own: u32) -> usize {
        words
            .iter()
            .filter(|w| self.vocab.get(*w).is_some_and(|&n| n > own))
            .count()
    }
}

/// Adds one to the count of each distinct key of one line (`keys`, sorted here).
fn count_keys(vocab: &mut FxHashMap<u64, u32>, keys: &mut Vec<u64>) {
    keys.sort_unstable();
    keys.dedup();
    for &k in keys.iter() {
        *vocab.entry(k).or_default() += 1;
    }
}

/// Characters in `s`.
fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// `b`'s counts added to `a`'s (the larger map takes the smaller's).
fn add_counts(mut a: FxHashMap<u64, u32>, mut b: FxHashMap<u64, u32>) -> FxHashMap<u64, u32> {
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    for (k, n) in b {
        *a.entry(k).or_default() += n;
    }
    a
}

/// One word of a text as the heuristics compare it: folded ([`fold_into`]), or, for a run of
/// ASCII letters and digits, as it stands (its folding is its lower case, which the hashes
/// below apply as they read it).
#[derive(Clone, Copy)]
enum FoldedWord<'a> {
    Ascii(&'a [u8]),
    Folded(&'a str),
}

impl FoldedWord<'_> {
    /// [`word_hash`] of the folded word.
    fn hash(self) -> u64 {
        match self {
            FoldedWord::Ascii(b) => ascii_word_hash(b),
            FoldedWord::Folded(s) => word_hash(s),
        }
    }

    /// Its length in characters.
    fn chars(self) -> usize {
        match self {
            FoldedWord::Ascii(b) => b.len(),
            FoldedWord::Folded(s) => char_len(s),
        }
    }

    /// [`word_hash`] of its first `n` characters when it is longer than that and `n` is not
    /// 0; `hash` (its own) otherwise.
    fn stem_hash(self, n: usize, hash: u64) -> u64 {
        match self {
            FoldedWord::Ascii(b) if n > 0 && b.len() > n => ascii_word_hash(&b[..n]),
            FoldedWord::Ascii(_) => hash,
            FoldedWord::Folded(s) => match s.char_indices().nth(n) {
                Some((i, _)) if n > 0 => word_hash(&s[..i]),
                _ => hash,
            },
        }
    }

    /// The folded text, for tests.
    #[cfg(test)]
    fn text(self) -> String {
        match self {
            FoldedWord::Ascii(b) => std::str::from_utf8(b).expect("ASCII").to_ascii_lowercase(),
            FoldedWord::Folded(s) => s.to_string(),
        }
    }
}

/// Calls `f` with each word of `text` ([`words_of`]), folded ([`FoldedWord`]; `buf` holds a
/// folded non-ASCII word), while `f` returns true; false when `f` stopped it. ASCII text is
/// split byte by byte, which gives the same words.
fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(FoldedWord<'_>) -> bool) -> bool {
    if !text.is_ascii() {
        for w in words_of(text) {
            fold_into(w, buf);
            if !f(FoldedWord::Folded(buf)) {
                return false;
            }
        }
        return true;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if !f(FoldedWord::Ascii(&b[start..i])) {
            return false;
        }
    }
    true
}

/// The words of `text`: runs of letters and digits.
fn words_of(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !is_alphanumeric(c))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn words_stems_and_content() {
        let s = Settings::builtin();
        let w: Vec<String> = words_of("What Russia's use").map(fold).collect();
        assert_eq!(w, ["what", "russia", "s", "use"]);
        let empty = FxHashMap::default();
        let en = Cohesion::with(&s, &empty, Some("en"));
        assert!(en.key(&s.word("what")).is_none(), "a stop word");
        assert!(en.key(&s.word("war")).is_none(), "too short");
        assert_eq!(en.key(&s.word("russia")), Some(s.word("russia").hash));
        // Inflected languages compare the first five characters.
        let pl = Cohesion::with(&s, &empty, Some("pl"));
        assert_eq!(pl.key(&s.word("szkoła")), pl.key(&s.word("szkoły")));
        assert_ne!(en.key(&s.word("szkoła")), en.key(&s.word("szkoły")));
        assert_eq!(
            pl.content_words("Szkoła i szkoły"),
            vec![s.word("szkoł").hash]
        );
    }

    #[test]
    fn ascii_words_agree_with_words_of() {
        let all: String = (0u8..128).map(char::from).collect();
        for t in ["", "What Russia's use", "  a-b_c 12x,Y.  ", all.as_str()] {
            let mut fast = Vec::new();
            for_each_word(t, &mut String::new(), |w| {
                fast.push(w.text());
                true
            });
            let slow: Vec<String> = words_of(t).map(fold).collect();
            assert_eq!(fast, slow, "{t:?}");
        }
    }

    #[test]
    fn word_key_agrees_with_key() {
        let s = Settings::builtin();
        let empty = FxHashMap::default();
        let words = [
            "what",
            "war",
            "russia",
            "szkoła",
            "szkoły",
            "the",
            "und",
            "україна",
            "это",
            "straße",
            "ss",
            "a",
            "1234567",
            "naïve",
            "",
            "What RUSSIA Said",
            "Szkoła 1234567890abcdefXYZ",
        ];
        for lang in [
            None,
            Some("en"),
            Some("pl"),
            Some("de"),
            Some("uk"),
            Some("ru"),
        ] {
            let c = Cohesion::with(&s, &empty, lang);
            for w in words {
                let f = fold(w);
                let mut keys = Vec::new();
                for_each_word(w, &mut String::new(), |w| {
                    keys.push(c.word_key(w));
                    true
                });
                let expected: Vec<_> = words_of(&f).map(|w| c.key(&s.word(w))).collect();
                assert_eq!(keys, expected, "{lang:?} {w}");
            }
        }
    }
}
