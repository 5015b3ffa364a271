//! Corpus statistics for `--corpus`: in how many documents of a corpus each line occurs.
//!
//! A line that recurs across many pages of a crawl (a site's menu, its footer, its newsletter
//! box) is page furniture, even when no rule names it. Pass 1 reduces every document to the
//! keys of its lines ([`DocumentKeys`], from `Pipeline::keys`) and counts them
//! ([`CorpusStats`]); pass 2 cleans each document with the counts at hand
//! (`Pipeline::clean_in_corpus`). Only 64-bit hashes and counts are kept, never lines, and the
//! counts do not depend on the order documents are added in.
//!
//! Statistics travel between processes and machines as a table ([`table`]): a versioned,
//! sorted text file that records what its keys depend on, and that partial tables made over
//! disjoint parts of a corpus merge into exactly.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::fold::fold_into;

pub mod table;

/// The distinct line keys of one document, and a key of the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentKeys {
    /// A hash of the whole normalized document: identical documents are counted once.
    pub document: u64,
    /// The distinct keys of its lines, sorted.
    pub lines: Vec<u64>,
}

/// In how many distinct documents each line key occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// The hashes of the documents counted, when kept.
    documents: FxHashSet<u64>,
    /// Documents counted whose hashes were not kept (a table read only to clean with).
    unhashed: u64,
    counts: Counts,
    /// Document counts beyond the first, from merging statistics that shared documents.
    overcounted: u64,
}

/// Line counts: a hash map while counting; a sorted vector when read from a table, which
/// loads as fast as the file parses and takes 16 bytes a key.
#[derive(Debug, Clone)]
enum Counts {
    Map(FxHashMap<u64, u32>),
    Sorted(Vec<(u64, u32)>),
}

impl Default for Counts {
    fn default() -> Counts {
        Counts::Map(FxHashMap::default())
    }
}

impl Counts {
    /// The counts as a map, to add to.
    fn map(&mut self) -> &mut FxHashMap<u64, u32> {
        if let Counts::Sorted(v) = self {
            *self = Counts::Map(v.iter().copied().collect());
        }
        match self {
            Counts::Map(m) => m,
            Counts::Sorted(_) => unreachable!("converted above"),
        }
    }

    fn get(&self, key: u64) -> u32 {
        match self {
            Counts::Map(m) => m.get(&key).copied().unwrap_or(0),
            Counts::Sorted(v) => v
                .binary_search_by_key(&key, |&(k, _)| k)
                .map_or(0, |i| v[i].1),
        }
    }

    fn len(&self) -> usize {
        match self {
            Counts::Map(m) => m.len(),
            Counts::Sorted(v) => v.len(),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (u64, u32)> + '_> {
        match self {
            Counts::Map(m) => Box::new(m.iter().map(|(&k, &n)| (k, n))),
            Counts::Sorted(v) => Box::new(v.iter().copied()),
        }
    }
}

impl PartialEq for Counts {
    fn eq(&self, other: &Counts) -> bool {
        self.len() == other.len() && self.iter().all(|(k, n)| other.get(k) == n)
    }
}

impl Eq for Counts {}

impl CorpusStats {
    /// Empty statistics.
    pub fn new() -> CorpusStats {
        CorpusStats::default()
    }

    /// Counts one document's lines, unless an identical document was counted already.
    pub fn add(&mut self, keys: &DocumentKeys) {
        if self.documents.insert(keys.document) {
            let counts = self.counts.map();
            for &k in &keys.lines {
                let n = counts.entry(k).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }

    /// Adds the counts of `other`, which should come from a disjoint set of documents. A
    /// document counted on both sides has its lines counted twice: the number of such
    /// documents is returned, and added to [`overcounted`](Self::overcounted).
    pub fn merge(&mut self, other: CorpusStats) -> u64 {
        let mut shared = 0;
        for d in other.documents {
            if !self.documents.insert(d) {
                shared += 1;
            }
        }
        self.unhashed += other.unhashed;
        self.overcounted += other.overcounted + shared;
        let counts = self.counts.map();
        for (k, n) in other.counts.iter() {
            let m = counts.entry(k).or_insert(0);
            *m = m.saturating_add(n);
        }
        shared
    }

    /// The number of distinct documents counted.
    pub fn documents(&self) -> usize {
        self.documents.len() + self.unhashed as usize
    }

    /// The hashes of the documents counted, in no particular order (empty for statistics
    /// read from a table without them).
    pub fn document_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.documents.iter().copied()
    }

    /// The number of distinct line keys.
    pub fn keys(&self) -> usize {
        self.counts.len()
    }

    /// Every line key with its count, in no particular order.
    pub fn counts(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.counts.iter()
    }

    /// In how many documents the line with this key occurs.
    pub fn count(&self, key: u64) -> u32 {
        self.counts.get(key)
    }

    /// How many documents were counted more than once, because statistics merged into these
    /// had documents in common (0 for statistics gathered in one pass).
    pub fn overcounted(&self) -> u64 {
        self.overcounted
    }
}

/// The key of a normalized line: case-folded, digits folded to `0`, punctuation and white
/// space dropped, hashed (FNV-1a, 64 bits: stable across platforms and versions). `None` for
/// a line with fewer than `min_letters` letters, which is too short to say anything by
/// recurring.
pub fn line_key(text: &str, min_letters: usize, buf: &mut String) -> Option<u64> {
    fold_into(text, buf);
    let mut h = Fnv::new();
    let mut letters = 0;
    let mut space = false;
    for c in buf.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if space {
                h.write_char(' ');
                space = false;
            }
            h.write_char(c);
        } else if c.is_numeric() {
            if space {
                h.write_char(' ');
                space = false;
            }
            h.write_char('0');
        } else if c.is_whitespace() {
            space = true;
        }
    }
    (letters >= min_letters).then_some(h.0)
}

/// FNV-1a, 64 bits.
pub(crate) struct Fnv(pub(crate) u64);

impl Fnv {
    pub(crate) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_char(&mut self, c: char) {
        let mut b = [0; 4];
        self.write(c.encode_utf8(&mut b).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_digits_and_punctuation() {
        let mut b = String::new();
        let k = |t: &str, b: &mut String| line_key(t, 3, b);
        assert_eq!(
            k("Sign up: our newsletter!", &mut b),
            k("SIGN UP our   newsletter", &mut b)
        );
        assert_eq!(
            k("© 2024 Example Media", &mut b),
            k("© 2025, Example Media", &mut b)
        );
        assert_ne!(k("Example Media", &mut b), k("Example Medium", &mut b));
        assert_eq!(k("12:05", &mut b), None);
        assert_eq!(k("Ok", &mut b), None);
    }

    #[test]
    fn identical_documents_count_once_and_order_does_not_matter() {
        let a = DocumentKeys {
            document: 1,
            lines: vec![10, 20],
        };
        let b = DocumentKeys {
            document: 2,
            lines: vec![20, 30],
        };
        let mut one = CorpusStats::new();
        for d in [&a, &b, &a] {
            one.add(d);
        }
        let mut two = CorpusStats::new();
        two.add(&b);
        let mut three = CorpusStats::new();
        three.add(&a);
        assert_eq!(two.merge(three), 0);
        assert_eq!(one, two);
        assert_eq!((one.count(20), one.count(10), one.count(99)), (2, 1, 0));
        assert_eq!(one.documents(), 2);
    }

    #[test]
    fn merging_shared_documents_counts_them_as_overcounted() {
        let doc = |d, lines: &[u64]| DocumentKeys {
            document: d,
            lines: lines.to_vec(),
        };
        let mut a = CorpusStats::new();
        a.add(&doc(1, &[10]));
        a.add(&doc(2, &[10, 20]));
        let mut b = CorpusStats::new();
        b.add(&doc(2, &[10, 20]));
        b.add(&doc(3, &[20]));
        assert_eq!(a.merge(b), 1);
        assert_eq!(a.documents(), 3);
        assert_eq!(a.overcounted(), 1);
        assert_eq!(
            (a.count(10), a.count(20)),
            (3, 3),
            "document 2 counted twice"
        );
    }
}
