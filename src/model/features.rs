//! The line model's features: one implementation, used by the trainer and by cleaning.
//!
//! Every feature is an indicator (or a small real value) named by a namespace and a key, and
//! hashed into a fixed table of weights: numbers are put in bins, words and character n-grams
//! are hashed as they are, so the cues of any language the training pages hold are learned
//! rather than listed. Stage 1 sees one line: its shape (length, words, stop-word density in
//! the page's language, punctuation, digits, capitals, how it starts and ends, a headline glued
//! to a blurb), its words, its place in the page and in its block, repetition inside the page,
//! how many of its words the page's long paragraphs share, the verdict the rules and
//! heuristics gave it, and the shape of its neighbours. Stage 2 sees the stage-1 probabilities
//! of the line and of its neighbours in a window, so that a run of comments or teasers is
//! judged as a run.
//!
//! With [`Feats::named`], each feature also carries a readable name (`word=subscribe`,
//! `prev.ends=colon`): `explain` and the JSON report show the ones that weighed most.

use rustc_hash::FxHashMap;

use crate::doc::Line;
use crate::fold::{fold_into, is_alphanumeric};
use crate::heuristics::Settings;

/// The sparse features of one line: table indexes with values, and names on request.
#[derive(Debug, Clone, Default)]
pub struct Feats {
    /// Indexes into the weight table.
    pub idx: Vec<u32>,
    /// The feature values (1 for indicators).
    pub val: Vec<f32>,
    /// Readable names, parallel to `idx`, when asked for.
    pub names: Option<Vec<String>>,
    /// Name only the features at these places (all when empty); the others get "".
    only: Vec<usize>,
    mask: u32,
}

impl Feats {
    /// An empty feature list for a table of `2^bits` weights.
    pub fn new(bits: u32) -> Feats {
        Feats {
            mask: (1u32 << bits) - 1,
            ..Feats::default()
        }
    }

    /// The same, keeping a readable name for each feature.
    pub fn named(bits: u32) -> Feats {
        Feats {
            names: Some(Vec::new()),
            ..Feats::new(bits)
        }
    }

    /// The same, naming only the features at places `only` (in the order they are added).
    pub(crate) fn named_at(bits: u32, only: Vec<usize>) -> Feats {
        Feats {
            only,
            ..Feats::named(bits)
        }
    }

    /// Empties the list, keeping its table size and naming.
    pub fn clear(&mut self) {
        self.idx.clear();
        self.val.clear();
        if let Some(n) = &mut self.names {
            n.clear();
        }
    }

    /// The dot product with `weights`.
    pub fn dot(&self, weights: &[f32]) -> f32 {
        let mut sum = 0.0;
        for (&i, &v) in self.idx.iter().zip(&self.val) {
            sum += weights[i as usize] * v;
        }
        sum
    }
}

/// Where the features of a line go: a list ([`Feats`]), or straight into a weighted sum
/// ([`Dot`]). The features are the same either way; a sink may take only some of them.
pub(crate) trait Sink {
    /// Starts a new line.
    fn start(&mut self);

    /// True when the sink takes features of namespace `ns`.
    fn takes(&self, ns: Ns) -> bool;

    /// True when the sink keeps the features' names.
    fn named(&self) -> bool {
        false
    }

    /// Adds feature `ns`=`key` with value `v`; `name` gives its readable key when names are
    /// kept.
    fn put(&mut self, ns: Ns, key: u64, v: f32, name: impl FnOnce() -> String);

    /// Adds the indicator `ns`=`bin` of a small number.
    #[inline]
    fn bin(&mut self, ns: Ns, bin: u32) {
        self.put(ns, u64::from(bin), 1.0, || bin.to_string());
    }

    /// Adds the indicator `ns`=`word` of a hashed word, with the word's text as its name.
    #[inline]
    fn word(&mut self, ns: Ns, hash: u64, text: impl FnOnce() -> String) {
        self.put(ns, hash, 1.0, text);
    }
}

impl Sink for Feats {
    fn start(&mut self) {
        self.clear();
    }

    fn named(&self) -> bool {
        self.names.is_some()
    }

    #[inline]
    fn takes(&self, _: Ns) -> bool {
        true
    }

    #[inline]
    fn put(&mut self, ns: Ns, key: u64, v: f32, name: impl FnOnce() -> String) {
        self.idx.push(index(ns as u64, key) & self.mask);
        self.val.push(v);
        if let Some(n) = &mut self.names {
            if self.only.is_empty() || self.only.contains(&n.len()) {
                n.push(format!("{}={}", ns.name(), name()));
            } else {
                n.push(String::new());
            }
        }
    }
}

/// Which of a line's stage-1 features a [`Dot`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// All of them (stage 2 has no parts).
    All,
    /// Those of the line's text alone ([`Ns::local`]): the same in every settle round.
    Local,
    /// The others: the page, the verdicts, the neighbours.
    Context,
}

/// A weighted sum of features, added in the order they come, without keeping them.
pub(crate) struct Dot<'w> {
    weights: &'w [f32],
    mask: u32,
    part: Part,
    /// The sum so far.
    pub(crate) sum: f32,
}

impl<'w> Dot<'w> {
    /// A sum over a table of `weights` (a power of two long) of the features in `part`.
    pub(crate) fn new(weights: &'w [f32], part: Part) -> Dot<'w> {
        debug_assert!(weights.len().is_power_of_two());
        Dot {
            weights,
            mask: weights.len() as u32 - 1,
            part,
            sum: 0.0,
        }
    }
}

impl Sink for Dot<'_> {
    fn start(&mut self) {
        self.sum = 0.0;
    }

    #[inline]
    fn takes(&self, ns: Ns) -> bool {
        match self.part {
            Part::All => true,
            Part::Local => ns.local(),
            Part::Context => !ns.local(),
        }
    }

    #[inline]
    fn put(&mut self, ns: Ns, key: u64, v: f32, _: impl FnOnce() -> String) {
        if self.takes(ns) {
            self.sum += self.weights[(index(ns as u64, key) & self.mask) as usize] * v;
        }
    }
}

/// A feature's namespace: which fact of the line it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Ns {
    Bias = 1,
    Chars,
    Words,
    Stop,
    StopCount,
    Starts,
    Ends,
    Caps,
    LeadCaps,
    Digits,
    Punct,
    Seps,
    Link,
    Verdict,
    Family,
    Word,
    FirstWord,
    LastWord,
    FirstTwo,
    WholeLine,
    Bigram,
    Trigram,
    Position,
    FromStart,
    FromEnd,
    BlankAround,
    Repeat,
    Cohesion,
    ShortRun,
    ProseBefore,
    ProseAfter,
    MassBefore,
    LenByMass,
    EndsByLen,
    VerdictByLen,
    Neighbour,
    NeighbourWord,
    // Stage 2.
    P1,
    P1Logit,
    P1Near,
    P1Window,
    P1Cross,
    P1MassBefore,
    P1Doc,
    P1ByLen,
}

impl Ns {
    /// True for the facts of the line's text alone, which no settle round changes: its
    /// shape, words and characters. (Stop words count in the page's language, which the
    /// round decides, and the verdicts change between rounds.)
    fn local(self) -> bool {
        matches!(
            self,
            Ns::Bias
                | Ns::Chars
                | Ns::Words
                | Ns::Starts
                | Ns::Ends
                | Ns::Caps
                | Ns::LeadCaps
                | Ns::Digits
                | Ns::Punct
                | Ns::Seps
                | Ns::Link
                | Ns::Word
                | Ns::FirstWord
                | Ns::LastWord
                | Ns::FirstTwo
                | Ns::WholeLine
                | Ns::Bigram
                | Ns::Trigram
                | Ns::EndsByLen
        )
    }

    fn name(self) -> &'static str {
        match self {
            Ns::Bias => "bias",
            Ns::Chars => "chars",
            Ns::Words => "words",
            Ns::Stop => "stop-share",
            Ns::StopCount => "stop-words",
            Ns::Starts => "starts",
            Ns::Ends => "ends",
            Ns::Caps => "capitalised",
            Ns::LeadCaps => "leading-capitals",
            Ns::Digits => "digits",
            Ns::Punct => "punctuation",
            Ns::Seps => "separators",
            Ns::Link => "link",
            Ns::Verdict => "verdict",
            Ns::Family => "verdict-family",
            Ns::Word => "word",
            Ns::FirstWord => "first-word",
            Ns::LastWord => "last-word",
            Ns::FirstTwo => "first-words",
            Ns::WholeLine => "line",
            Ns::Bigram => "bigram",
            Ns::Trigram => "chars3",
            Ns::Position => "position",
            Ns::FromStart => "from-start",
            Ns::FromEnd => "from-end",
            Ns::BlankAround => "blank-around",
            Ns::Repeat => "repeats",
            Ns::Cohesion => "shared-words",
            Ns::ShortRun => "short-run",
            Ns::ProseBefore => "prose-before",
            Ns::ProseAfter => "prose-after",
            Ns::MassBefore => "prose-mass-before",
            Ns::LenByMass => "chars*mass-before",
            Ns::EndsByLen => "ends*chars",
            Ns::VerdictByLen => "verdict*chars",
            Ns::Neighbour => "neighbour",
            Ns::NeighbourWord => "neighbour-first-word",
            Ns::P1 => "p",
            Ns::P1Logit => "logit",
            Ns::P1Near => "near-p",
            Ns::P1Window => "window-p",
            Ns::P1Cross => "p*window-p",
            Ns::P1MassBefore => "content-before",
            Ns::P1Doc => "page-p",
            Ns::P1ByLen => "p*chars",
        }
    }
}

/// The table index of feature `key` in namespace `ns`: a 64-bit mix (splitmix64's finalizer)
/// of both.
#[inline]
fn index(ns: u64, key: u64) -> u32 {
    let mut z = key ^ ns.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as u32
}

/// A 64-bit FNV-1a hash of `bytes`, for words and short texts.
#[inline]
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Most words of a line whose hashes are kept (its first ones; the last word is kept apart).
const MAX_WORDS: usize = 24;
/// Characters of a line's start whose 3-grams are features.
const TRIGRAM_CHARS: usize = 12;
/// A line of at least this many words is a "long" line: the page's paragraphs.
const LONG_WORDS: u32 = 20;
/// Words of at least this many characters are content words for [`Ns::Cohesion`].
const CONTENT_CHARS: usize = 4;

/// What stage 1 reads of one line, computed once per line.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineInfo {
    chars: u32,
    words: u32,
    letters: u32,
    upper_words: u32,
    lead_caps: u32,
    digits: u32,
    punct: u32,
    seps: u32,
    link: bool,
    first: u8,
    last: u8,
    /// Stop words of the page's language (of any language when it is unknown).
    stops: u32,
    /// Where the hashes of the folded words (the first [`MAX_WORDS`]) start in
    /// [`Infos::hashes`], and how many there are; then the content words' (no stop word, at
    /// least [`CONTENT_CHARS`] characters).
    words_at: u32,
    words_len: u32,
    content_len: u32,
    /// Where the stop-word bits of each of its words start in [`Infos::stops`], and how many.
    stops_at: u32,
    stops_len: u32,
    last_h: u64,
    /// A hash of the line's folded words, in order.
    key: u64,
    /// The verdict: 0 kept, else the hashes of the dropping id and of its family.
    by: Option<(u64, u64)>,
}

/// Character classes for how a line starts and ends.
mod class {
    pub(super) const UPPER: u8 = 1;
    pub(super) const LOWER: u8 = 2;
    pub(super) const DIGIT: u8 = 3;
    pub(super) const UNCASED: u8 = 4;
    pub(super) const STOP: u8 = 5;
    pub(super) const EXCLAIM: u8 = 6;
    pub(super) const QUESTION: u8 = 7;
    pub(super) const COLON: u8 = 8;
    pub(super) const COMMA: u8 = 9;
    pub(super) const CLOSE: u8 = 10;
    pub(super) const QUOTE: u8 = 11;
    pub(super) const BULLET: u8 = 12;
    pub(super) const ELLIPSIS: u8 = 13;
    pub(super) const BAR: u8 = 14;
    pub(super) const OPEN: u8 = 15;
    pub(super) const DASH: u8 = 16;
    pub(super) const AT: u8 = 17;
    pub(super) const OTHER: u8 = 18;

    pub(super) fn of(c: char) -> u8 {
        match c {
            'A'..='Z' => UPPER,
            'a'..='z' => LOWER,
            '0'..='9' => DIGIT,
            '.' | '。' => STOP,
            '!' => EXCLAIM,
            '?' => QUESTION,
            ':' => COLON,
            ',' | ';' => COMMA,
            ')' | ']' | '}' => CLOSE,
            '"' | '\'' | '»' | '«' | '“' | '”' | '„' | '’' | '‘' => QUOTE,
            '•' | '·' | '*' | '►' | '▶' | '■' | '◆' | '→' => BULLET,
            '…' => ELLIPSIS,
            '|' | '/' | '\\' => BAR,
            '(' | '[' | '{' => OPEN,
            '-' | '–' | '—' => DASH,
            '@' | '#' => AT,
            c if c.is_uppercase() => UPPER,
            c if c.is_lowercase() => LOWER,
            c if c.is_numeric() => DIGIT,
            c if c.is_alphabetic() => UNCASED,
            _ => OTHER,
        }
    }

    pub(super) fn name(c: u8) -> &'static str {
        [
            "nothing",
            "upper",
            "lower",
            "digit",
            "uncased-letter",
            "stop",
            "exclamation",
            "question",
            "colon",
            "comma",
            "bracket",
            "quote",
            "bullet",
            "ellipsis",
            "bar",
            "open-bracket",
            "dash",
            "at-or-hash",
            "other",
        ][c as usize]
    }
}

/// A log-like bin of a count: 0, 1, 2, 3, 4–5, 6–8, 9–12, 13–20, 21–30, …
fn log_bin(n: u32) -> u32 {
    const EDGES: [u32; 17] = [
        1, 2, 3, 4, 6, 9, 13, 21, 31, 46, 71, 101, 151, 221, 331, 501, 801,
    ];
    EDGES.iter().take_while(|&&e| n >= e).count() as u32
}

/// The bin of a share in `0..=1`, in `steps` equal steps.
fn share_bin(part: u32, whole: u32, steps: u32) -> u32 {
    if whole == 0 {
        return steps + 1;
    }
    (part.min(whole) * steps / whole).min(steps)
}

/// The bin of a probability in `steps` equal steps.
fn p_bin(p: f32, steps: u32) -> u32 {
    ((p * steps as f32) as u32).min(steps - 1)
}

/// What stage 1 reads of every line of a page: per line, and the word hashes of all lines.
///
/// It lasts from one settle round to the next, as the pipeline's other line facts do: what
/// a line's text alone gives is read once, and [`update`](Self::update) only counts again
/// what depends on the round (the page's language, the verdicts). The pipeline moves its
/// entries with the lines ([`swap`](Self::swap)) and forgets a line whose text a rule changed
/// ([`forget`](Self::forget)).
#[derive(Debug, Default)]
pub(crate) struct Infos {
    lines: Vec<LineInfo>,
    /// Per line: stage 1's weighted sum of the line's text alone ([`Part::Local`]), NaN
    /// until it is needed.
    local: Vec<f32>,
    /// Per line: its facts are read.
    known: Vec<bool>,
    /// The word hashes of the lines, each line's in one run (see [`LineInfo::words_at`]).
    hashes: Vec<u64>,
    /// The stop-word bits of every word of the lines, each line's in one run.
    stops: Vec<u16>,
}

impl std::ops::Index<usize> for Infos {
    type Output = LineInfo;

    fn index(&self, i: usize) -> &LineInfo {
        &self.lines[i]
    }
}

impl Infos {
    /// The hashes of line `i`'s first words.
    fn words(&self, i: usize) -> &[u64] {
        let l = &self.lines[i];
        &self.hashes[l.words_at as usize..(l.words_at + l.words_len) as usize]
    }

    /// The hashes of line `i`'s content words.
    fn content(&self, i: usize) -> &[u64] {
        let l = &self.lines[i];
        let at = (l.words_at + l.words_len) as usize;
        &self.hashes[at..at + l.content_len as usize]
    }

    /// The stop-word bits of each of line `i`'s words.
    fn stop_bits(&self, i: usize) -> &[u16] {
        let l = &self.lines[i];
        &self.stops[l.stops_at as usize..(l.stops_at + l.stops_len) as usize]
    }

    /// Brings the facts of `lines` (the first lines of the page these facts are kept for)
    /// up to date: reads the lines not read yet, then counts their stop words in the
    /// page's language, detected from its first words (in every language when it is
    /// unknown), and takes their verdicts.
    pub(crate) fn update(&mut self, lines: &[Line<'_>], settings: &Settings) {
        if self.lines.len() < lines.len() {
            self.lines.resize_with(lines.len(), LineInfo::default);
            self.local.resize(lines.len(), f32::NAN);
            self.known.resize(lines.len(), false);
        }
        let mut fold = String::new();
        for (i, line) in lines.iter().enumerate() {
            if self.known[i] {
                continue;
            }
            self.known[i] = true;
            self.local[i] = f32::NAN;
            self.lines[i] = if line.is_blank() {
                LineInfo {
                    stops_at: self.stops.len() as u32,
                    words_at: self.hashes.len() as u32,
                    ..LineInfo::default()
                }
            } else {
                read_line(
                    &line.text,
                    settings,
                    &mut self.hashes,
                    &mut self.stops,
                    &mut fold,
                )
            };
        }
        let mut votes = settings.language_votes();
        'vote: for i in 0..lines.len() {
            for &stop in self.stop_bits(i) {
                if !votes.add_stop(stop) {
                    break 'vote;
                }
            }
        }
        let bits = settings.stop_bits(votes.language());
        for (i, line) in lines.iter().enumerate() {
            let stops = self.stop_bits(i).iter().filter(|&&m| m & bits != 0).count() as u32;
            let info = &mut self.lines[i];
            info.stops = stops;
            info.by = line.verdict.dropped().map(|d| {
                let family = d.by.split('/').next().unwrap_or("");
                (hash(d.by.as_bytes()), hash(family.as_bytes()))
            });
        }
    }

    /// Line `i`'s stage-1 sum over the features of its text alone, under `weights`; read
    /// once.
    fn local_sum(&mut self, page: &Page, k: usize, lines: &[Line<'_>], weights: &[f32]) -> f32 {
        let i = page.nonblank[k];
        if self.local[i].is_nan() {
            let mut dot = Dot::new(weights, Part::Local);
            stage1(page, self, k, lines, &mut dot);
            self.local[i] = dot.sum;
        }
        self.local[i]
    }

    /// Moves the facts of line `a` to `b` and back, as the lines move.
    pub(crate) fn swap(&mut self, a: usize, b: usize) {
        if b < self.lines.len() && a < self.lines.len() {
            self.lines.swap(a, b);
            self.local.swap(a, b);
            self.known.swap(a, b);
        }
    }

    /// Forgets what line `i`'s text gave: it changed.
    pub(crate) fn forget(&mut self, i: usize) {
        if let Some(k) = self.known.get_mut(i) {
            *k = false;
        }
    }
}

/// Reads what stage 1 needs of every line of a page (see [`Infos::update`]).
pub(crate) fn line_infos(lines: &[Line<'_>], settings: &Settings) -> Infos {
    let mut infos = Infos::default();
    infos.update(lines, settings);
    infos
}

/// Stage 1's probability of each of the page's non-blank lines, under `weights`: the sums of
/// what their text alone gives are kept in `infos` for the next round.
pub(crate) fn stage1_probabilities(
    page: &Page,
    infos: &mut Infos,
    lines: &[Line<'_>],
    weights: &[f32],
) -> Vec<f32> {
    let mut context = Dot::new(weights, Part::Context);
    (0..page.nonblank.len())
        .map(|k| {
            let local = infos.local_sum(page, k, lines, weights);
            stage1(page, infos, k, lines, &mut context);
            crate::model::sigmoid(local + context.sum)
        })
        .collect()
}

/// One pass over a line's characters: its counts and classes; its word hashes go to
/// `hashes`, each word's stop-word bits to `stops`.
fn read_line(
    text: &str,
    settings: &Settings,
    hashes: &mut Vec<u64>,
    stops: &mut Vec<u16>,
    fold: &mut String,
) -> LineInfo {
    let mut info = LineInfo {
        words_at: hashes.len() as u32,
        stops_at: stops.len() as u32,
        ..LineInfo::default()
    };
    let mut content: [u64; 64] = [0; 64];
    let mut n_content = 0usize;
    let mut leading = true;
    let mut key: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut word_start: Option<usize> = None;
    let mut first = None;
    let mut last = 'x';
    let mut finish = |info: &mut LineInfo, start: usize, end: usize| {
        let w = &text[start..end];
        let upper = w.chars().next().is_some_and(char::is_uppercase);
        info.words += 1;
        if upper {
            info.upper_words += 1;
            if leading {
                info.lead_caps += 1;
            }
        } else {
            leading = false;
        }
        let (h, chars) = if w.is_ascii() {
            (crate::heuristics::ascii_word_hash(w.as_bytes()), w.len())
        } else {
            fold_into(w, fold);
            (crate::heuristics::word_hash(fold), fold.chars().count())
        };
        let stop = settings.stop_mask(h);
        stops.push(stop);
        if info.words_len < MAX_WORDS as u32 {
            hashes.push(h);
            info.words_len += 1;
        }
        if stop == 0 && chars >= CONTENT_CHARS && n_content < content.len() {
            content[n_content] = h;
            n_content += 1;
        }
        info.last_h = h;
        key = (key.rotate_left(5) ^ h).wrapping_mul(0x0000_0100_0000_01b3);
    };
    if text.is_ascii() {
        // The common case, byte by byte: the same counts as the loop below.
        let bytes = text.as_bytes();
        info.chars = bytes.len() as u32;
        for (at, &b) in bytes.iter().enumerate() {
            if b.is_ascii_alphanumeric() {
                if word_start.is_none() {
                    word_start = Some(at);
                }
                if b.is_ascii_digit() {
                    info.digits += 1;
                } else {
                    info.letters += 1;
                }
                continue;
            }
            if let Some(start) = word_start.take() {
                finish(&mut info, start, at);
            }
            if !b.is_ascii_whitespace() && b != 0x0b {
                info.punct += 1;
                if matches!(b, b'|' | b'/' | b'>') {
                    info.seps += 1;
                }
            }
        }
        let visible = |b: &&u8| !(b.is_ascii_whitespace() || **b == 0x0b);
        first = bytes.iter().find(visible).map(|&b| char::from(b));
        if let Some(&b) = bytes.iter().rev().find(visible) {
            last = char::from(b);
        }
    } else {
        for (at, c) in text.char_indices() {
            info.chars += 1;
            if !c.is_whitespace() {
                if first.is_none() {
                    first = Some(c);
                }
                last = c;
            }
            if is_alphanumeric(c) {
                if word_start.is_none() {
                    word_start = Some(at);
                }
                if c.is_numeric() {
                    info.digits += 1;
                } else {
                    info.letters += 1;
                }
            } else {
                if let Some(start) = word_start.take() {
                    finish(&mut info, start, at);
                }
                if !c.is_whitespace() {
                    info.punct += 1;
                    if matches!(c, '|' | '•' | '·' | '›' | '»' | '/' | '>') {
                        info.seps += 1;
                    }
                }
            }
        }
    }
    if let Some(start) = word_start {
        finish(&mut info, start, text.len());
    }
    hashes.extend_from_slice(&content[..n_content]);
    info.content_len = n_content as u32;
    info.stops_len = stops.len() as u32 - info.stops_at;
    info.first = first.map_or(0, class::of);
    info.last = class::of(last);
    let bytes = text.as_bytes();
    info.link = memchr::memmem::find(bytes, b"http").is_some()
        || memchr::memmem::find(bytes, b"www.").is_some()
        || (memchr::memchr(b'@', bytes).is_some() && memchr::memchr(b'.', bytes).is_some());
    info.key = key;
    info
}

/// What stage 1 knows of the page around each line.
pub(crate) struct Page {
    /// Indexes of the non-blank lines.
    nonblank: Vec<usize>,
    /// Per line: how many lines of the page have the same folded text.
    repeats: Vec<u32>,
    /// Per line: the share of its content words found in the page's other long lines, in
    /// tenths (11: too few content words to say).
    cohesion: Vec<u32>,
    /// Per line: the length of the run of short non-blank lines it stands in (0: not short).
    short_run: Vec<u32>,
    /// Per line: non-blank lines to the nearest long line before and after (capped).
    prose_before: Vec<u32>,
    prose_after: Vec<u32>,
    /// Per line: the share of the page's long-line characters before it, in tenths.
    mass_before: Vec<u32>,
    blank_before: Vec<bool>,
    blank_after: Vec<bool>,
}

/// Lines of up to this many characters are short, for [`Ns::ShortRun`].
const SHORT_CHARS: u32 = 60;

pub(crate) fn page(lines: &[Line<'_>], infos: &Infos) -> Page {
    let n = lines.len();
    let nonblank: Vec<usize> = (0..n).filter(|&i| !lines[i].is_blank()).collect();
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    for &i in &nonblank {
        *counts.entry(infos[i].key).or_default() += 1;
    }
    let repeats = (0..n)
        .map(|i| counts.get(&infos[i].key).copied().unwrap_or(0))
        .collect();
    // Content words of the long lines, each counted once per line.
    let long = |i: usize| infos[i].words >= LONG_WORDS;
    let mut vocab: FxHashMap<u64, u32> = FxHashMap::default();
    let mut seen: Vec<u64> = Vec::new();
    for &i in nonblank.iter().filter(|&&i| long(i)) {
        seen.clear();
        seen.extend_from_slice(infos.content(i));
        seen.sort_unstable();
        seen.dedup();
        for &h in &seen {
            *vocab.entry(h).or_default() += 1;
        }
    }
    let cohesion = (0..n)
        .map(|i| {
            let c = infos.content(i);
            if c.len() < 2 {
                return 11;
            }
            let own = u32::from(long(i));
            let shared = c
                .iter()
                .filter(|h| vocab.get(h).copied().unwrap_or(0) > own)
                .count() as u32;
            share_bin(shared, c.len() as u32, 10)
        })
        .collect();
    let mut short_run = vec![0; n];
    let mut k = 0;
    while k < nonblank.len() {
        let short = |j: usize| infos[nonblank[j]].chars <= SHORT_CHARS;
        if !short(k) {
            k += 1;
            continue;
        }
        let start = k;
        while k < nonblank.len() && short(k) {
            k += 1;
        }
        for j in start..k {
            short_run[nonblank[j]] = (k - start) as u32;
        }
    }
    let cap = 12;
    let mut prose_before = vec![cap; n];
    let mut prose_after = vec![cap; n];
    let mut last: Option<usize> = None;
    for (k, &i) in nonblank.iter().enumerate() {
        if let Some(l) = last {
            prose_before[i] = ((k - l) as u32).min(cap);
        }
        if long(i) {
            last = Some(k);
        }
    }
    last = None;
    for (k, &i) in nonblank.iter().enumerate().rev() {
        if let Some(l) = last {
            prose_after[i] = ((l - k) as u32).min(cap);
        }
        if long(i) {
            last = Some(k);
        }
    }
    let total: u64 = nonblank
        .iter()
        .filter(|&&i| long(i))
        .map(|&i| u64::from(infos[i].chars))
        .sum();
    let mut mass_before = vec![11; n];
    let mut sum = 0u64;
    for &i in &nonblank {
        if let Some(tenths) = (sum * 10).checked_div(total) {
            mass_before[i] = (tenths as u32).min(10);
        }
        if long(i) {
            sum += u64::from(infos[i].chars);
        }
    }
    let blank = |i: usize| lines[i].is_blank();
    let blank_before = (0..n).map(|i| i > 0 && blank(i - 1)).collect();
    let blank_after = (0..n).map(|i| i + 1 < n && blank(i + 1)).collect();
    Page {
        nonblank,
        repeats,
        cohesion,
        short_run,
        prose_before,
        prose_after,
        mass_before,
        blank_before,
        blank_after,
    }
}

impl LineInfo {
    /// True when the line has a word (letters or digits).
    pub(crate) fn has_words(&self) -> bool {
        self.words > 0
    }
}

impl Page {
    /// The indexes of the non-blank lines, the lines the model decides.
    pub(crate) fn lines(&self) -> &[usize] {
        &self.nonblank
    }
}

/// The coarse length class of a line: tiny, short, medium, long, very long.
fn len_class(chars: u32) -> u32 {
    match chars {
        0..=15 => 0,
        16..=40 => 1,
        41..=100 => 2,
        101..=250 => 3,
        _ => 4,
    }
}

/// Stage 1's features of the `k`-th non-blank line of the page `lines` into `f` (started
/// afresh). The features are added in one order whatever the sink takes.
pub(crate) fn stage1<S: Sink>(page: &Page, infos: &Infos, k: usize, lines: &[Line<'_>], f: &mut S) {
    f.start();
    let i = page.nonblank[k];
    let text: &str = &lines[i].text;
    let info = &infos[i];
    let named = f.named();
    let words_text = |n: usize, from_end: bool| -> String {
        if !named {
            return String::new();
        }
        let ws: Vec<String> = text
            .split(|c: char| !is_alphanumeric(c))
            .filter(|w| !w.is_empty())
            .map(crate::fold::fold)
            .collect();
        if from_end {
            ws.last().cloned().unwrap_or_default()
        } else {
            ws.get(n).cloned().unwrap_or_default()
        }
    };
    f.put(Ns::Bias, 0, 1.0, String::new);
    f.bin(Ns::Chars, log_bin(info.chars));
    f.bin(Ns::Words, log_bin(info.words));
    f.bin(Ns::Stop, share_bin(info.stops, info.words, 20));
    f.bin(Ns::StopCount, log_bin(info.stops));
    f.put(Ns::Starts, u64::from(info.first), 1.0, || {
        class::name(info.first).into()
    });
    f.put(Ns::Ends, u64::from(info.last), 1.0, || {
        class::name(info.last).into()
    });
    f.bin(Ns::Caps, share_bin(info.upper_words, info.words, 10));
    f.bin(Ns::LeadCaps, info.lead_caps.min(8));
    f.bin(Ns::Digits, share_bin(info.digits, info.chars, 20));
    f.bin(Ns::Punct, share_bin(info.punct, info.chars, 20));
    f.bin(Ns::Seps, info.seps.min(6));
    f.bin(Ns::Link, u32::from(info.link));
    let len = len_class(info.chars);
    match info.by {
        None => {
            f.put(Ns::Verdict, 0, 1.0, || "kept".into());
            f.put(Ns::VerdictByLen, u64::from(len), 1.0, || {
                format!("kept*{len}")
            });
        }
        Some((by, family)) => {
            f.put(Ns::Verdict, by, 1.0, || "dropped-by-a-rule".into());
            f.put(Ns::Family, family, 1.0, || "dropped".into());
            f.put(Ns::VerdictByLen, family ^ u64::from(len + 1), 1.0, || {
                format!("dropped*{len}")
            });
        }
    }
    // The words and characters are the line's own: a sink that does not take them skips
    // their loops.
    if f.takes(Ns::Word) {
        let words_h = infos.words(i);
        for (n, &h) in words_h.iter().enumerate() {
            f.word(Ns::Word, h, || words_text(n, false));
        }
        if let Some(&w0) = words_h.first() {
            f.word(Ns::FirstWord, w0, || words_text(0, false));
            f.word(Ns::LastWord, info.last_h, || words_text(0, true));
            if let Some(&w1) = words_h.get(1) {
                f.word(Ns::FirstTwo, w0.rotate_left(17) ^ w1, || {
                    format!("{} {}", words_text(0, false), words_text(1, false))
                });
            }
            for (n, pair) in words_h.windows(2).take(8).enumerate() {
                f.word(Ns::Bigram, pair[0].rotate_left(17) ^ pair[1], || {
                    format!("{} {}", words_text(n, false), words_text(n + 1, false))
                });
            }
        }
        if info.words <= 6 {
            f.word(Ns::WholeLine, info.key, || crate::fold::fold(text));
        }
        // Character 3-grams of the line's start: cues in scripts written without spaces.
        let mut window = [0u32; 3];
        for (n, c) in text.chars().take(TRIGRAM_CHARS).enumerate() {
            window = [
                window[1],
                window[2],
                c.to_lowercase().next().unwrap_or(c) as u32,
            ];
            if n >= 2 {
                let key = (u64::from(window[0]) << 42)
                    ^ (u64::from(window[1]) << 21)
                    ^ u64::from(window[2]);
                f.put(Ns::Trigram, key, 1.0, || {
                    window.iter().filter_map(|&c| char::from_u32(c)).collect()
                });
            }
        }
    }
    let n = page.nonblank.len();
    f.bin(Ns::Position, share_bin(k as u32, n as u32, 10));
    f.bin(Ns::FromStart, log_bin(k as u32));
    f.bin(Ns::FromEnd, log_bin((n - 1 - k) as u32));
    f.bin(
        Ns::BlankAround,
        u32::from(page.blank_before[i]) + 2 * u32::from(page.blank_after[i]),
    );
    f.bin(Ns::Repeat, page.repeats[i].min(4));
    f.bin(Ns::Cohesion, page.cohesion[i]);
    f.bin(Ns::ShortRun, page.short_run[i].min(10));
    f.bin(Ns::ProseBefore, page.prose_before[i]);
    f.bin(Ns::ProseAfter, page.prose_after[i]);
    let mass = page.mass_before[i];
    f.bin(Ns::MassBefore, mass);
    f.bin(Ns::LenByMass, len * 16 + mass);
    f.bin(Ns::EndsByLen, u32::from(info.last) * 8 + len);
    // The neighbours' shapes.
    let neighbours = if f.takes(Ns::Neighbour) {
        &[-2i32, -1, 1, 2][..]
    } else {
        &[]
    };
    for (slot, &d) in neighbours.iter().enumerate() {
        let j = k as i32 + d;
        let slot = slot as u64 + 1;
        if j < 0 || j >= n as i32 {
            f.put(Ns::Neighbour, slot << 56, 1.0, || format!("{d}:none"));
            continue;
        }
        let oi = page.nonblank[j as usize];
        let o = &infos[oi];
        let olen = len_class(o.chars);
        let stop = share_bin(o.stops, o.words, 5);
        let facts: [(u64, u64, &dyn Fn() -> String); 4] = [
            (1, u64::from(olen), &|| format!("chars-class {olen}")),
            (2, u64::from(o.last), &|| {
                format!("ends {}", class::name(o.last))
            }),
            (3, u64::from(stop), &|| format!("stop-share {stop}/5")),
            (4, o.by.map_or(0, |(_, family)| family | 1), &|| {
                if o.by.is_some() { "dropped" } else { "kept" }.into()
            }),
        ];
        for (what, value, label) in facts {
            f.put(
                Ns::Neighbour,
                (slot << 56) ^ (what << 48) ^ value,
                1.0,
                || format!("{d}:{}", label()),
            );
        }
        f.put(
            Ns::Neighbour,
            (slot << 56) ^ (5 << 48) ^ u64::from(olen * 16 + len),
            1.0,
            || format!("{d}:chars*chars:{olen}*{len}"),
        );
        if d.abs() == 1
            && let Some(&w0) = infos.words(oi).first()
        {
            f.put(Ns::NeighbourWord, w0 ^ slot, 1.0, || {
                let text = &lines[page.nonblank[j as usize]].text;
                let first = text
                    .split(|c: char| !is_alphanumeric(c))
                    .find(|w| !w.is_empty())
                    .unwrap_or("");
                format!("{d}:{}", crate::fold::fold(first))
            });
        }
    }
}

/// What stage 2 reads of the whole page: the stage-1 probabilities of its non-blank lines
/// and running sums over them.
pub(crate) struct Context<'p> {
    p: &'p [f32],
    /// `sum[j]`: the sum of `p[..j]`.
    sum: Vec<f32>,
    /// `mass[j]`: the sum of `p * chars` over the first `j` lines.
    mass: Vec<f32>,
    lens: Vec<u32>,
}

impl<'p> Context<'p> {
    pub(crate) fn new(page: &Page, infos: &Infos, p: &'p [f32]) -> Context<'p> {
        let chars: Vec<u32> = page.nonblank.iter().map(|&i| infos[i].chars).collect();
        Context::from_chars(p, &chars)
    }

    /// The context of lines of `chars` characters with stage-1 probabilities `p`.
    pub(crate) fn from_chars(p: &'p [f32], chars: &[u32]) -> Context<'p> {
        let mut sum = Vec::with_capacity(p.len() + 1);
        let mut mass = Vec::with_capacity(p.len() + 1);
        let (mut s, mut m) = (0.0f32, 0.0f32);
        sum.push(0.0);
        mass.push(0.0);
        for (&pj, &c) in p.iter().zip(chars) {
            s += pj;
            m += pj * c as f32;
            sum.push(s);
            mass.push(m);
        }
        let lens = chars.iter().map(|&c| len_class(c)).collect();
        Context { p, sum, mass, lens }
    }

    fn mean(&self, from: usize, to: usize) -> f32 {
        (self.sum[to] - self.sum[from]) / (to - from).max(1) as f32
    }
}

/// Stage 2's features of the `k`-th non-blank line, from the stage-1 probabilities of the
/// page's non-blank lines.
pub(crate) fn stage2<S: Sink>(cx: &Context<'_>, k: usize, f: &mut S) {
    f.start();
    let p = cx.p;
    let n = p.len();
    let me = p[k];
    let len = cx.lens[k];
    f.put(Ns::Bias, 1, 1.0, String::new);
    f.bin(Ns::P1, p_bin(me, 20));
    let logit = (me.max(1e-4) / (1.0 - me).max(1e-4)).ln();
    f.put(Ns::P1Logit, 0, logit / 4.0, || "stage-1".into());
    f.bin(Ns::P1ByLen, p_bin(me, 5) * 8 + len);
    for d in [-3i32, -2, -1, 1, 2, 3] {
        let j = k as i32 + d;
        let bin = if j < 0 || j >= n as i32 {
            10
        } else {
            p_bin(p[j as usize], 10)
        };
        f.put(
            Ns::P1Near,
            (((d + 8) as u64) << 8) | u64::from(bin),
            1.0,
            || format!("{d}:{bin}"),
        );
    }
    for (w, width) in [(1u64, 2usize), (2, 5), (3, 10)] {
        let from = k.saturating_sub(width);
        let to = (k + width + 1).min(n);
        let before = if k > from { cx.mean(from, k) } else { -1.0 };
        let after = if to > k + 1 { cx.mean(k + 1, to) } else { -1.0 };
        for (side, v) in [(0u64, before), (1, after)] {
            let bin = if v < 0.0 { 10 } else { p_bin(v, 10) };
            f.put(
                Ns::P1Window,
                (w << 16) | (side << 8) | u64::from(bin),
                1.0,
                || format!("{}{}:{bin}", if side == 0 { "-" } else { "+" }, width),
            );
        }
        let cross = p_bin(me, 5) * 8 + p_bin(cx.mean(from, to), 5);
        f.put(Ns::P1Cross, (w << 16) | u64::from(cross), 1.0, || {
            format!("{width}:{cross}")
        });
    }
    // Where the content lies: the share of the page's likely content before this line.
    let total = cx.mass[n];
    let share = if total > 0.0 { cx.mass[k] / total } else { 0.0 };
    f.bin(Ns::P1MassBefore, p_bin(share, 10) * 8 + len);
    f.bin(Ns::P1Doc, p_bin(cx.mean(0, n), 10));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos(text: &str) -> (Vec<Line<'_>>, Infos) {
        let (_, lines) = crate::doc::split(text);
        let infos = line_infos(&lines, &Settings::builtin());
        (lines, infos)
    }

    #[test]
    fn ascii_and_other_lines_are_counted_alike() {
        // The same line in ASCII and with one non-ASCII letter takes both paths.
        let (_, a) = infos("Reply | Share: 42 comments from readers\n");
        let (_, b) = infos("Réply | Share: 42 comments from readers\n");
        let (x, y) = (&a[0], &b[0]);
        let counts = |l: &LineInfo| (l.chars, l.words, l.letters, l.digits, l.punct, l.seps);
        assert_eq!(counts(x), counts(y));
        let shape = |l: &LineInfo| (l.upper_words, l.first, l.last, l.lead_caps);
        assert_eq!(shape(x), shape(y));
        assert_eq!(
            (a[0].words, a[0].digits, a[0].seps, a[0].lead_caps),
            (6, 2, 1, 2)
        );
        assert_eq!(a.words(0).len(), 6);
    }

    #[test]
    fn page_facts_see_repeats_runs_and_shared_words() {
        let long = "The council approved the harbour budget after a long debate about the \
                    harbour wall, the ferry terminal and the fishing fleet on Monday evening.";
        let text =
            format!("Menu\nNews\nMenu\n{long}\nHarbour budget approved\nUnrelated gadget review\n");
        let (lines, infos) = infos(&text);
        let page = page(&lines, &infos);
        assert_eq!(page.repeats[0], 2, "Menu twice");
        assert_eq!(page.short_run[0], 3, "three short lines in a row");
        assert!(page.cohesion[4] > page.cohesion[5], "{:?}", page.cohesion);
        assert_eq!(page.mass_before[3], 0);
        assert_eq!(page.mass_before[4], 10);
    }

    /// Weights that differ from feature to feature, the same on every run.
    fn weights(bits: u32) -> Vec<f32> {
        (0..1u32 << bits)
            .map(|i| (index(7, u64::from(i)) % 2001) as f32 / 1000.0 - 1.0)
            .collect()
    }

    #[test]
    fn the_two_parts_sum_to_the_whole_list() {
        let text = "Menu | News\nReply\nThe mayor said the harbour budget would pass on Monday, \
                    after a long debate.\nÉté 2024 : la mairie répond\n\n42 comments\n";
        let (lines, infos) = infos(text);
        let page = page(&lines, &infos);
        let w = weights(12);
        for k in 0..page.lines().len() {
            let mut all = Feats::new(12);
            stage1(&page, &infos, k, &lines, &mut all);
            let (mut local, mut context) = (Dot::new(&w, Part::Local), Dot::new(&w, Part::Context));
            stage1(&page, &infos, k, &lines, &mut local);
            stage1(&page, &infos, k, &lines, &mut context);
            let whole = all.dot(&w);
            assert!(
                (local.sum + context.sum - whole).abs() < 1e-4,
                "line {k}: {} + {} against {whole}",
                local.sum,
                context.sum
            );
            let mut every = Dot::new(&w, Part::All);
            stage1(&page, &infos, k, &lines, &mut every);
            assert_eq!(every.sum, whole, "line {k}: the same sum in the same order");
        }
    }

    #[test]
    fn facts_kept_from_a_round_match_facts_read_afresh() {
        let text = "Home\nDer Bürgermeister sagte, der Haushalt werde am Montag beschlossen.\n\
                    Teilen\nDie Debatte über die Hafenmauer dauerte lange.\nAnzeige\n";
        let settings = Settings::builtin();
        let (_, mut lines) = crate::doc::split(text);
        let mut kept = Infos::default();
        kept.update(&lines, &settings);
        // A round: the first line is dropped, lines 2 and 4 trade places, line 4's text
        // changes.
        let id: std::sync::Arc<str> = std::sync::Arc::from("menu/x");
        lines[0].drop(&id, &id);
        lines.swap(2, 4);
        kept.swap(2, 4);
        lines[4].text = "Anzeige: Jetzt abonnieren".into();
        kept.forget(4);
        kept.update(&lines, &settings);
        let fresh = line_infos(&lines, &settings);
        let w = weights(12);
        let page = page(&lines, &fresh);
        for i in 0..lines.len() {
            let facts = |x: &Infos| {
                let l = &x[i];
                (
                    l.chars,
                    l.words,
                    l.stops,
                    l.by,
                    l.key,
                    x.words(i).to_vec(),
                    x.content(i).to_vec(),
                )
            };
            assert_eq!(facts(&kept), facts(&fresh), "line {i}");
        }
        let p = stage1_probabilities(&page, &mut kept, &lines, &w);
        let q = stage1_probabilities(&page, &mut line_infos(&lines, &settings), &lines, &w);
        assert_eq!(p, q);
    }

    #[test]
    fn names_follow_the_features() {
        let (lines, infos) = infos("Reply\nThe mayor said the budget would pass on Monday.\n");
        let page = page(&lines, &infos);
        let mut plain = Feats::new(16);
        let mut named = Feats::named(16);
        stage1(&page, &infos, 0, &lines, &mut plain);
        stage1(&page, &infos, 0, &lines, &mut named);
        assert_eq!(plain.idx, named.idx, "names change nothing");
        let names = named.names.unwrap();
        assert!(names.contains(&"line=reply".to_string()), "{names:?}");
        assert!(names.contains(&"first-word=reply".to_string()), "{names:?}");
    }
}
