//! Mojibake: UTF-8 text that was decoded as Windows-1252 or Latin-1, once or several times
//! (`cafÃ©` for `café`, `â€™` for `’`, `Ã¢â‚¬â„¢` for `’` encoded twice), and Windows-1252
//! text decoded as Latin-1 (C1 control characters where `…` or `“` belong). UTF-8 read as
//! Windows-1251 or Windows-1250 is repaired after, by [`super::legacy`].
//!
//! The method follows ftfy (Robyn Speer, MIT License), whose mojibake heuristic is ported here:
//! repair only where certain, never change text that was decoded correctly.
//!
//! 1. Candidates: maximal runs of characters that, encoded back to bytes with Windows-1252
//!    (Latin-1 for the five bytes Windows-1252 leaves undefined), form valid UTF-8 sequences of
//!    two to four bytes. A `�` in place of a continuation byte stands for a byte lost on the
//!    way (a sequence of three or four keeps at least one real one) and the sequence decodes
//!    to `�`; CESU-8 surrogate pairs decode to the character they encode.
//!    Decodings to private-use characters, noncharacters or unused planes are never candidates.
//! 2. Plausibility: a cost counts mojibake-typical juxtapositions (ftfy's `badness` patterns:
//!    `Ã` or `Â` before a symbol, accented letters before currency signs, C1 controls, and so
//!    on) plus one per IPA letter. When all of the line re-decodes, it is re-decoded if its
//!    cost strictly drops (as in ftfy). Otherwise each run is weighed: it must cost something
//!    on its own, and the cost of the text around it (three characters each side) must
//!    strictly drop.
//!
//!    The pipeline makes white space and curly quotes ASCII after repair, and a second clean
//!    must decide the same, so these characters count as what they become: a stray `‘` or
//!    no-break space cuts the line into segments, each weighed as a line of its own between
//!    stand-ins for what cut it, and one in a candidate that stays (`Ð‘`) counts as the `'`
//!    that ends it being a candidate.
//! 3. Layers: the above repeats (up to four layers) for text encoded several times.
//! 4. Two leftovers of the same accidents: `Ã` plus a space where the no-break space of `à`
//!    became a plain space (`voilÃ le` → `voilà le`; only after a lower-case letter, or before
//!    a lower-case word in a line that had other mojibake), and C1 control characters, which
//!    become their Windows-1252 characters (`\u{85}` → `…`); the five undefined ones are left
//!    for [`remove_invisible`](super::remove_invisible).
//!
//! Text in other scripts never takes part: Cyrillic, Greek, CJK or emoji characters cannot be
//! encoded in Windows-1252, so they end every candidate run. A line without a character in
//! `Â`..`ô` followed by one that can continue it, and without C1 controls, is returned
//! untouched after one byte scan, without allocating.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::Repairs;

/// Layers of encoding undone at most.
const MAX_LAYERS: usize = 4;

/// Context characters on each side of a run when its cost is weighed; the longest badness
/// pattern is four characters.
const CONTEXT: usize = 3;

/// Windows-1252 characters for bytes 0x80..=0x9F; `None` for the five undefined bytes.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The Windows-1252 character for a byte in 0x80..=0x9F, `None` for undefined bytes (and for
/// bytes outside that range).
pub(super) fn cp1252_high(b: u8) -> Option<char> {
    CP1252_HIGH
        .get(usize::from(b.wrapping_sub(0x80)))?
        .as_ref()
        .copied()
}

/// The byte `c` was decoded from, if the bytes were read as Windows-1252 with Latin-1 for the
/// undefined bytes ("sloppy" Windows-1252). ASCII and U+0080..=U+00FF map to themselves.
fn sloppy_byte(c: char) -> Option<u8> {
    let n = c as u32;
    if n < 0x100 {
        return Some(n as u8);
    }
    if !(0x152..=0x2122).contains(&n) {
        return None;
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == Some(c))
        .map(|k| 0x80 + k as u8)
}

/// `s` with its mojibake repaired, or `None` when there is nothing certain to repair. Adds one
/// to `counts.mojibake` per run repaired (a run encoded twice counts twice) and per C1
/// control character replaced. Decomposed text is repaired in NFC, and returned so.
///
/// ```
/// use thresh::repair::{Repairs, fix_mojibake};
///
/// let mut counts = Repairs::default();
/// assert_eq!(fix_mojibake("cafÃ© â€™", &mut counts).as_deref(), Some("café ’"));
/// assert_eq!(fix_mojibake("ÃƒÂ©", &mut counts).as_deref(), Some("é"));
/// assert_eq!(fix_mojibake("NESTLÉ® naïve Ãlvaro", &mut counts), None);
/// ```
pub fn fix_mojibake(s: &str, counts: &mut Repairs) -> Option<String> {
    let first = fix_windows_1252(s, counts);
    let cur = first.as_deref().unwrap_or(s);
    match super::legacy::fix_legacy(cur, &mut counts.mojibake) {
        Some(fixed) => Some(fixed),
        None => first,
    }
}

/// UTF-8 read as Windows-1252 or Latin-1, once or several times; C1 controls.
fn fix_windows_1252(s: &str, counts: &mut Repairs) -> Option<String> {
    // Decomposed mojibake (`A\u{303}©`, as NFD file names on macOS hold it) is looked at
    // composed, as the pipeline's NFC step after repair leaves it; otherwise the next clean
    // would find `Ã©`. Unchanged when there is nothing to repair.
    let composed = composed(s);
    let s = composed.as_deref().unwrap_or(s);
    if !may_have_mojibake(s) {
        return None;
    }
    let mut text: Vec<char> = s.chars().collect();
    let mut fixed = 0;
    for _ in 0..MAX_LAYERS {
        match decode_layer(&text) {
            Some((next, runs)) => {
                text = nfc(next);
                fixed += runs;
            }
            None => break,
        }
    }
    fixed += restore_a_grave(&mut text, fixed > 0);
    fixed += c1_to_cp1252(&mut text);
    if fixed == 0 {
        return None;
    }
    counts.mojibake += fixed;
    Some(text.into_iter().collect())
}

/// The NFC form of `s` when it has combining diacritical marks (U+0300–U+036F, what Latin
/// letters decompose to) and NFC changes it. Scans bytes first; allocates only then.
fn composed(s: &str) -> Option<String> {
    memchr::memchr2(0xCC, 0xCD, s.as_bytes())?;
    let n: String = s.nfc().collect();
    (n != s).then_some(n)
}

/// `t` in NFC. A layer can decode to what NFC changes, as the pipeline does after repair: a
/// singleton (`Î‡` is U+0387, which NFC makes `·`, a continuation byte for the next layer) or
/// a combining mark after its letter.
fn nfc(t: Vec<char>) -> Vec<char> {
    if is_nfc_quick(t.iter().copied()) == IsNormalized::Yes {
        return t;
    }
    t.into_iter().nfc().collect()
}

/// True when `s` holds a character in `Â`..=`ô` (a UTF-8 lead byte read as Windows-1252)
/// followed by a character that continues it (or `�`, or for `Ã` white space), or a C1 control
/// character: every repair here needs one. Scans bytes; allocates nothing.
fn may_have_mojibake(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xC2, 0xC3, b).any(|i| match (b[i], b.get(i + 1)) {
        (0xC2, Some(0x80..=0x9F)) => true,
        (0xC3, Some(&lead @ 0x82..=0xB4)) => s[i + 2..].chars().next().is_some_and(|c| {
            c == '\u{FFFD}'
                || (lead == 0x83 && c.is_whitespace())
                || sloppy_byte(c).is_some_and(|x| (0x80..=0xBF).contains(&x))
        }),
        _ => false,
    })
}

/// One re-decodable UTF-8 sequence: `len` characters from `start` that decode to `out`.
#[derive(Debug, Clone, Copy)]
struct Seq {
    start: usize,
    len: usize,
    out: char,
}

impl Seq {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

/// Undoes one layer: each segment (see [`segments`]) that all re-decodes and is more plausible
/// so, otherwise each run that is. Returns the new text and the number of runs re-decoded.
///
/// After repair the pipeline makes white space and curly quotes ASCII ([`becomes_ascii`]), so
/// the decisions must not depend on which of the two is there, or the next clean would decide
/// differently. Where such a character stands alone, it cuts the line into segments, weighed
/// as lines of their own between stand-ins for it ([`pad`]); a stray `‘` no longer spoils the
/// whole-line rule for the rest of the line. Where it continues a sequence that stays (`Ð‘`,
/// not re-decoded, becomes `Ð'`, where no sequence is left), the decisions are made again
/// without that sequence, until none such is left.
fn decode_layer(t: &[char]) -> Option<(Vec<char>, usize)> {
    let mut seqs = scan(t);
    let mut decisions = 1;
    loop {
        let (accepted, count) = decide(t, &seqs);
        let goes = |k: usize| !accepted[k] && loses_a_byte_later(t, &seqs[k]);
        if decisions < MAX_DECISIONS && (0..seqs.len()).any(goes) {
            let next: Vec<Seq> = (0..seqs.len())
                .filter(|&k| !goes(k))
                .map(|k| seqs[k])
                .collect();
            seqs = next;
            decisions += 1;
            continue;
        }
        if count == 0 {
            return None;
        }
        let chosen: Vec<Seq> = (0..seqs.len())
            .filter(|&k| accepted[k])
            .map(|k| seqs[k])
            .collect();
        return Some((apply(t, &chosen), count));
    }
}

/// Decisions made for one layer at most: each after the first drops at least one sequence.
const MAX_DECISIONS: usize = 8;

/// Characters that the pipeline makes ASCII after repair: white space, which white-space
/// normalization makes a space, and the curly and low quotes that the quote rules
/// (`rules/quotes.toml`) make `'` and `"`. Of these, `‘ ’ “ ”` (bytes 0x91–0x94), `„` (0x84)
/// and the no-break space (0xA0) can continue a sequence.
fn becomes_ascii(c: char) -> bool {
    c.is_whitespace() || matches!(c, '‘' | '’' | '‛' | 'ʼ' | '“' | '”' | '„' | '‟')
}

/// Whether `seq`, if left as it is, stops being a sequence once the pipeline has made its
/// characters ASCII.
fn loses_a_byte_later(t: &[char], seq: &Seq) -> bool {
    t[seq.start + 1..seq.end()]
        .iter()
        .any(|&c| becomes_ascii(c))
}

/// Which of `seqs` to re-decode, and the number of runs that makes.
fn decide(t: &[char], seqs: &[Seq]) -> (Vec<bool>, usize) {
    let mut accepted = vec![false; seqs.len()];
    let mut count = 0;
    for seg in segments(t, seqs) {
        let seg_seqs = &seqs[seg.seqs.clone()];
        let runs = runs(seg_seqs);
        if seg.covered && segment_improves(t, seg.span.clone(), seg_seqs) {
            accepted[seg.seqs].fill(true);
            count += runs.len();
            continue;
        }
        for run in runs {
            if run_improves(t, seg.span.clone(), &seg_seqs[run.clone()]) {
                accepted[seg.seqs.start + run.start..seg.seqs.start + run.end].fill(true);
                count += 1;
            }
        }
    }
    (accepted, count)
}

/// What stands for `c`, the character that delimits a segment (`None`: an end of the line),
/// when the segment is weighed: what the next clean finds there. A space for white space and
/// the ends of the line (where white space is trimmed), `'` for a quote (a `"` weighs the same:
/// the cost patterns tell no ASCII punctuation apart but `.,?!`).
fn pad(c: Option<&char>) -> char {
    match c {
        Some(c) if !c.is_whitespace() => '\'',
        _ => ' ',
    }
}

/// The character before `t[i]`, if any.
fn before(t: &[char], i: usize) -> Option<&char> {
    i.checked_sub(1).map(|k| &t[k])
}

/// Whether re-decoding all of the segment `t[span]` (with sequences `seqs`) makes it more
/// plausible, weighed as a line of its own: between its stand-ins ([`pad`]).
fn segment_improves(t: &[char], span: Range<usize>, seqs: &[Seq]) -> bool {
    let (left, right) = (pad(before(t, span.start)), pad(t.get(span.end)));
    let weigh = |chars: &[char]| {
        let mut w = Vec::with_capacity(chars.len() + 2);
        w.push(left);
        w.extend_from_slice(chars);
        w.push(right);
        cost(&w, 1..w.len() - 1)
    };
    let before = weigh(&t[span.clone()]);
    before > 0 && weigh(&decoded(t, span, seqs)) < before
}

/// Whether re-decoding one run (adjacent sequences) of the segment `t[span]` makes the text
/// around it, within the segment, more plausible.
fn run_improves(t: &[char], span: Range<usize>, run_seqs: &[Seq]) -> bool {
    let (start, end) = (run_seqs[0].start, run_seqs[run_seqs.len() - 1].end());
    // A run right after a stray continuation character is the tail of a larger garble;
    // decoding only the tail would make things worse.
    if before(t, start).is_some_and(|&c| is_strict_continuation(c)) {
        return false;
    }
    // The run must look like mojibake on its own (as in ftfy), and the text around it must
    // become more plausible.
    if cost(&t[start..end], 0..end - start) == 0 {
        return false;
    }
    // The text around: up to CONTEXT characters each side, within the segment, padded where
    // the segment ends.
    let lo = start.saturating_sub(CONTEXT).max(span.start);
    let hi = (end + CONTEXT).min(span.end);
    let weigh = |run: &[char]| {
        let mut w = Vec::with_capacity(hi - lo + 2);
        if lo == span.start {
            w.push(pad(before(t, lo)));
        }
        w.extend_from_slice(&t[lo..start]);
        let run_start = w.len();
        w.extend_from_slice(run);
        let run_end = w.len();
        w.extend_from_slice(&t[end..hi]);
        if hi == span.end {
            w.push(pad(t.get(hi)));
        }
        cost(&w, run_start..run_end)
    };
    let out: Vec<char> = run_seqs.iter().map(|s| s.out).collect();
    weigh(&out) < weigh(&t[start..end])
}

/// `t[span]` with `seqs` (sorted, disjoint, within `span`) replaced by what they decode to.
fn decoded(t: &[char], span: Range<usize>, seqs: &[Seq]) -> Vec<char> {
    let mut out = Vec::with_capacity(span.len());
    let mut i = span.start;
    for s in seqs {
        out.extend_from_slice(&t[i..s.start]);
        out.push(s.out);
        i = s.end();
    }
    out.extend_from_slice(&t[i..span.end]);
    out
}

/// All re-decodable sequences, left to right (UTF-8 is self-synchronizing, so greedy is exact).
fn scan(t: &[char]) -> Vec<Seq> {
    let mut seqs = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match seq_at(t, i) {
            Some(seq) => {
                i += seq.len;
                seqs.push(seq);
            }
            None => i += 1,
        }
    }
    seqs
}

/// The sequence starting at `t[i]`, if there is a plausible one.
fn seq_at(t: &[char], i: usize) -> Option<Seq> {
    let lead = sloppy_byte(t[i])?;
    let n = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let chars = t.get(i..i + n)?;
    let mut bytes = [lead, 0, 0, 0];
    let mut lost = 0; // bytes a strict decoder replaced by `�` on the way
    for (k, &c) in chars.iter().enumerate().skip(1) {
        if c == '\u{FFFD}' {
            lost += 1;
            continue;
        }
        bytes[k] = sloppy_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
    }
    // Two-byte sequences may lose their one continuation byte; longer ones must keep at least
    // one, so `é��` is not taken for a lost character.
    let lossy = lost > 0;
    if lossy && n > 2 && lost == n - 1 {
        return None;
    }
    if bytes[1] != 0 {
        let second_ok = match lead {
            0xE0 => bytes[1] >= 0xA0,
            0xED => bytes[1] <= 0x9F,
            0xF0 => bytes[1] >= 0x90,
            0xF4 => bytes[1] <= 0x8F,
            _ => true,
        };
        if !second_ok {
            return if lead == 0xED && !lossy {
                cesu_pair(t, i, &bytes)
            } else {
                None
            };
        }
    }
    if lossy {
        return Some(Seq {
            start: i,
            len: n,
            out: '\u{FFFD}',
        });
    }
    let cp = match n {
        2 => (u32::from(lead & 0x1F) << 6) | u32::from(bytes[1] & 0x3F),
        3 => {
            (u32::from(lead & 0x0F) << 12)
                | (u32::from(bytes[1] & 0x3F) << 6)
                | u32::from(bytes[2] & 0x3F)
        }
        _ => {
            (u32::from(lead & 0x07) << 18)
                | (u32::from(bytes[1] & 0x3F) << 12)
                | (u32::from(bytes[2] & 0x3F) << 6)
                | u32::from(bytes[3] & 0x3F)
        }
    };
    let out = char::from_u32(cp).filter(|&c| plausible(c))?;
    Some(Seq {
        start: i,
        len: n,
        out,
    })
}

/// A CESU-8 surrogate pair (`ED A0..AF xx ED B0..BF xx`) starting at `t[i]`, whose first three
/// bytes are in `bytes`.
fn cesu_pair(t: &[char], i: usize, bytes: &[u8; 4]) -> Option<Seq> {
    if !(0xA0..=0xAF).contains(&bytes[1]) {
        return None;
    }
    let low = t.get(i + 3..i + 6)?;
    let b: Vec<u8> = low.iter().map(|&c| sloppy_byte(c)).collect::<Option<_>>()?;
    if b[0] != 0xED || !(0xB0..=0xBF).contains(&b[1]) || !(0x80..=0xBF).contains(&b[2]) {
        return None;
    }
    let hi = (u32::from(bytes[1] & 0x0F) << 6) | u32::from(bytes[2] & 0x3F);
    let lo = (u32::from(b[1] & 0x0F) << 6) | u32::from(b[2] & 0x3F);
    let out = char::from_u32(0x10000 + (hi << 10) + lo).filter(|&c| plausible(c))?;
    Some(Seq {
        start: i,
        len: 6,
        out,
    })
}

/// Whether a re-decoded character could be intended text: no private use, noncharacters, or
/// planes beyond the supplementary ones in use (emoji, symbols, historic scripts, CJK
/// extensions, tags). C1 controls pass: they are the bytes of a deeper layer, and the cost
/// counts them as bad.
fn plausible(c: char) -> bool {
    match c as u32 {
        0xE000..=0xF8FF | 0xFDD0..=0xFDEF => false,
        n if n & 0xFFFE == 0xFFFE => false,
        0x10000..=0x2FFFF | 0xE0020..=0xE007F => true,
        n => n < 0x10000,
    }
}

/// Ranges of indexes into `seqs`, one per maximal run of adjacent sequences.
fn runs(seqs: &[Seq]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    for k in 1..=seqs.len() {
        if k == seqs.len() || seqs[k].start != seqs[k - 1].end() {
            runs.push(start..k);
            start = k;
        }
    }
    runs
}

/// A stretch of the line between characters that the pipeline makes ASCII after repair.
struct Segment {
    /// Its characters in `t`.
    span: Range<usize>,
    /// Its sequences, as a range of indexes into `seqs`.
    seqs: Range<usize>,
    /// Whether each of its non-ASCII characters is in a sequence.
    covered: bool,
}

/// The segments of `t` that hold sequences. They end at characters that no sequence covers
/// and that the pipeline makes ASCII after repair ([`becomes_ascii`]).
fn segments(t: &[char], seqs: &[Seq]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut seg = Segment {
        span: 0..0,
        seqs: 0..0,
        covered: true,
    };
    let (mut i, mut k) = (0, 0);
    while i < t.len() {
        if seqs.get(k).is_some_and(|s| s.start == i) {
            i = seqs[k].end();
            k += 1;
        } else if t[i].is_ascii() {
            i += 1;
        } else if becomes_ascii(t[i]) {
            if k > seg.seqs.start {
                seg.span.end = i;
                seg.seqs.end = k;
                out.push(seg);
            }
            i += 1;
            seg = Segment {
                span: i..i,
                seqs: k..k,
                covered: true,
            };
        } else {
            seg.covered = false;
            i += 1;
        }
    }
    if k > seg.seqs.start {
        seg.span.end = t.len();
        seg.seqs.end = k;
        out.push(seg);
    }
    out
}

/// `t` with the given sequences (sorted, disjoint) replaced by what they decode to.
fn apply(t: &[char], seqs: &[Seq]) -> Vec<char> {
    decoded(t, 0..t.len(), seqs)
}

/// Characters that continue a UTF-8 sequence when read as Windows-1252 and do not stand for
/// themselves next to mojibake (ftfy's `utf8_continuation_strict`, Windows-1252 part, less the
/// no-break space, which French typography puts before punctuation).
fn is_strict_continuation(c: char) -> bool {
    matches!(c as u32, 0x80..=0x9F | 0xA1..=0xBF)
        || matches!(
            c,
            'Š' | 'š'
                | 'Œ'
                | 'œ'
                | 'Ž'
                | 'ž'
                | 'Ÿ'
                | 'ƒ'
                | 'ˆ'
                | '˜'
                | '†'
                | '‡'
                | '•'
                | '‰'
                | '‹'
                | '›'
                | '€'
                | '™'
        )
}

/// The plausibility cost of `t[span]` within its context `t`: badness matches that touch the
/// span, plus one per IPA letter in it. The whole of `t` is context, so callers pass a window.
fn cost(t: &[char], span: Range<usize>) -> usize {
    let text: String = t.iter().collect();
    let byte_at = |k: usize| t[..k].iter().map(|c| c.len_utf8()).sum::<usize>();
    let (lo, hi) = (byte_at(span.start), byte_at(span.end));
    let matches = BADNESS
        .find_iter(&text)
        .filter(|m| m.start() < hi && m.end() > lo)
        .count();
    let ipa = t[span]
        .iter()
        .filter(|&&c| ('\u{250}'..='\u{2AF}').contains(&c))
        .count();
    matches + ipa
}

// Character categories of ftfy's `badness` module: the characters that occur in UTF-8
// mojibake, grouped by how they behave. Ranges use `-`.
const COMMON: &str = "\u{a0}\u{ad}\u{b7}\u{b4}\u{2013}\u{2014}\u{2015}\u{2026}\u{2019}";
const C1: &str = "\u{80}-\u{9f}";
const BAD: &str = "\u{a6}\u{a4}\u{a8}\u{ac}\u{af}\u{b6}\u{a7}\u{b8}\u{192}\u{2c6}\u{2c7}\u{2d8}\
    \u{2db}\u{2dc}\u{2020}\u{2021}\u{2030}\u{2310}\u{25ca}\u{fffd}\u{aa}\u{ba}";
const CURRENCY: &str = "\u{a2}\u{a3}\u{a5}\u{20a7}\u{20ac}";
const START: &str = "\u{a1}\u{ab}\u{bf}\u{a9}\u{384}\u{385}\u{2018}\u{201a}\u{201c}\u{201e}\
    \u{2022}\u{2039}\u{f8ff}";
const END: &str = "\u{ae}\u{bb}\u{2dd}\u{201d}\u{203a}\u{2122}";
const NUMERIC: &str = "\u{b2}\u{b3}\u{b9}\u{b1}\u{bc}\u{bd}\u{be}\u{d7}\u{b5}\u{f7}\u{2044}\
    \u{2202}\u{2206}\u{220f}\u{2211}\u{221a}\u{221e}\u{2229}\u{222b}\u{2248}\u{2260}\u{2261}\
    \u{2264}\u{2265}\u{2116}";
const KAOMOJI: &str = "\u{d2}-\u{d6}\u{d9}-\u{dc}\u{f2}-\u{f6}\u{f8}-\u{fc}\u{150}\u{b0}";
const UPPER_ACCENTED: &str = "\u{c0}-\u{d1}\u{d8}\u{dc}\u{dd}\u{102}\u{104}\u{106}\u{10c}\
    \u{10e}\u{110}\u{118}\u{11a}\u{11e}\u{130}\u{139}\u{13d}\u{141}\u{143}\u{147}\u{152}\u{158}\
    \u{15a}\u{15e}\u{160}\u{162}\u{164}\u{16e}\u{170}\u{178}\u{179}\u{17b}\u{17d}\u{490}";
const LOWER_ACCENTED: &str = "\u{df}\u{e0}-\u{f1}\u{103}\u{105}\u{107}\u{10d}\u{10f}\u{111}\
    \u{119}\u{11b}\u{11f}\u{13a}\u{13e}\u{142}\u{153}\u{155}\u{15b}\u{15f}\u{161}\u{165}\u{fc}\
    \u{17a}\u{17c}\u{17e}\u{491}\u{fb01}\u{fb02}";
const UPPER_COMMON: &str = "\u{de}\u{391}-\u{3a9}\u{386}\u{388}\u{389}\u{38a}\u{38c}\u{38e}\
    \u{38f}\u{3aa}\u{3ab}\u{401}-\u{42f}";
const LOWER_COMMON: &str = "\u{3b1}-\u{3c9}\u{3ac}\u{3ad}\u{3ae}\u{3af}\u{3b0}\u{430}-\u{45f}";
const BOX: &str = "\u{2502}\u{250c}\u{2510}\u{2518}\u{251c}\u{2524}\u{252c}\u{253c}\
    \u{2550}-\u{256c}\u{2580}\u{2584}\u{2588}\u{258c}\u{2590}\u{2591}\u{2592}\u{2593}";

/// ftfy's `BADNESS_RE` (version 6.1), limited to the Windows-1252 / Latin-1 patterns, and
/// without the two patterns about `Ã` before a space, which [`restore_a_grave`] handles.
static BADNESS: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = [
        format!("[{C1}]"),
        format!(
            "[{BAD}{LOWER_ACCENTED}{UPPER_ACCENTED}{BOX}{START}{END}{CURRENCY}{NUMERIC}][{BAD}]"
        ),
        format!("[a-zA-Z][{LOWER_COMMON}{UPPER_COMMON}][{BAD}]"),
        format!("[{BAD}][{LOWER_ACCENTED}{UPPER_ACCENTED}{BOX}{START}{END}{CURRENCY}{NUMERIC}]"),
        format!("[{LOWER_ACCENTED}{LOWER_COMMON}{BOX}{END}{CURRENCY}{NUMERIC}][{UPPER_ACCENTED}]"),
        format!("[{BOX}{END}{CURRENCY}{NUMERIC}][{LOWER_ACCENTED}]"),
        format!("[{LOWER_ACCENTED}{BOX}{END}][{CURRENCY}]"),
        format!(r"\s[{UPPER_ACCENTED}][{CURRENCY}]"),
        format!("[{UPPER_ACCENTED}{BOX}][{NUMERIC}]"),
        format!("[{LOWER_ACCENTED}{UPPER_ACCENTED}{BOX}{CURRENCY}{END}][{START}][{NUMERIC}]"),
        format!("[{LOWER_ACCENTED}{UPPER_ACCENTED}{CURRENCY}{NUMERIC}{BOX}][{END}][{START}]"),
        format!("[{CURRENCY}{NUMERIC}{BOX}][{START}]"),
        format!("[a-z][{UPPER_ACCENTED}][{START}{CURRENCY}]"),
        format!("[{BOX}][{KAOMOJI}]"),
        format!("[{LOWER_ACCENTED}{UPPER_ACCENTED}{CURRENCY}{NUMERIC}{START}{END}][{BOX}]"),
        format!("[{BOX}][{END}]"),
        format!(r"[{LOWER_ACCENTED}{UPPER_ACCENTED}][{END}]\w"),
        // The ligature œ when not followed by an unaccented Latin letter.
        "[Œœ][^A-Za-z]".to_string(),
        // Common two-character Windows-1252 mojibake not covered above.
        format!(
            "[ÂÃÎÐ][€Šš¢£Ÿž\u{a0}\u{ad}®©°·»{START}{END}\u{2013}\u{2014}\u{b4}]"
        ),
        "×[²³]".to_string(),
        // Arabic mojibake includes the common characters, so four characters must match.
        format!(
            "[ØÙ][{COMMON}{CURRENCY}{BAD}{NUMERIC}{START}ŸŠ®°µ»][ØÙ][{COMMON}{CURRENCY}{BAD}{NUMERIC}{START}ŸŠ®°µ»]"
        ),
        // Starts of three-character sequences for some South Asian alphabets.
        "à[²µ¹¼½¾]".to_string(),
        // Windows-1252 encodings of `à` and `á`.
        "Ã[\u{a0}¡]".to_string(),
        // `Â` before a character that is exactly the character it encodes.
        format!("[a-z.,?!{END}]Â[ {START}{END}]"),
    ]
    .join("|");
    Regex::new(&pattern).expect("the badness pattern is valid")
});

/// `Ã` plus a space: the UTF-8 of `à` (C3 A0) after a program turned its no-break-space byte
/// into a plain space. Repaired after a lower-case letter (`voilÃ le`), or, in a line that had
/// other mojibake, as a word before a lower-case word (`Ã l’ouest`). Portuguese `Ã s`, `Ã quele`
/// join (`às`, `àquele`), as in ftfy. Returns how many were repaired.
///
/// Any white space counts as the space, and a run of it as one, and a quote before the word
/// counts whether curly or ASCII: the pipeline makes white space a single space and the quotes
/// ASCII after repair, and a second clean must find nothing left to repair.
fn restore_a_grave(t: &mut Vec<char>, line_had_mojibake: bool) -> usize {
    if !t.windows(2).any(|w| w[0] == 'Ã' && w[1].is_whitespace()) {
        return 0;
    }
    let mut out = Vec::with_capacity(t.len());
    let mut n = 0;
    let mut i = 0;
    while i < t.len() {
        if t[i] == 'Ã'
            && let Some(&space) = t.get(i + 1).filter(|c| c.is_whitespace())
        {
            let prev = out.last().copied();
            let rest = &t[i + 2..];
            let after_lower = prev.is_some_and(|p: char| p.is_ascii_lowercase());
            let as_word = line_had_mojibake
                && prev.is_none_or(|p| p.is_whitespace() || is_opening(p))
                && rest
                    .iter()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| c.is_lowercase());
            if after_lower || as_word {
                let joined = rest.first().is_some_and(|c| c.is_whitespace())
                    || ["quele", "quela", "quilo"]
                        .iter()
                        .any(|w| rest.iter().take(w.len()).copied().eq(w.chars()))
                    || (rest.first() == Some(&'s')
                        && rest.get(1).is_some_and(|c| c.is_whitespace()));
                out.push('à');
                if !joined {
                    out.push(space);
                }
                n += 1;
                i += 2;
                continue;
            }
        }
        out.push(t[i]);
        i += 1;
    }
    *t = out;
    n
}

/// Characters before a word that `Ã` may stand for `à` in: an opening parenthesis and the
/// quotes, curly or ASCII (the quote rules make them ASCII after repair).
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '\'' | '"' | '‘' | '’' | '‛' | 'ʼ' | '“' | '”' | '„' | '‟'
    )
}

/// Replaces C1 control characters that Windows-1252 defines by its characters (Windows-1252
/// text read as Latin-1). Returns how many were replaced.
fn c1_to_cp1252(t: &mut [char]) -> usize {
    let mut n = 0;
    for c in t.iter_mut() {
        if let Some(m) = u8::try_from(*c as u32).ok().and_then(cp1252_high) {
            *c = m;
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> Option<String> {
        fix_mojibake(s, &mut Repairs::default())
    }

    #[track_caller]
    fn fixed(s: &str, want: &str) {
        assert_eq!(fix(s).as_deref(), Some(want), "{s:?}");
    }

    #[track_caller]
    fn same(s: &str) {
        assert_eq!(fix(s), None, "{s:?} must stay as it is");
    }

    /// `s` encoded as UTF-8 and read as Windows-1252 (what a confused program shows).
    fn garble(s: &str) -> String {
        encoding_rs::WINDOWS_1252
            .decode(s.as_bytes())
            .0
            .into_owned()
    }

    /// `s` encoded as UTF-8 and read as Latin-1.
    fn garble_latin1(s: &str) -> String {
        s.bytes().map(char::from).collect()
    }

    #[test]
    fn byte_map_matches_windows_1252() {
        for b in 0x80..=0xFFu8 {
            let byte = [b];
            let (c, _, bad) = encoding_rs::WINDOWS_1252.decode(&byte);
            let c = c.chars().next().unwrap();
            assert!(!bad);
            assert_eq!(sloppy_byte(c), Some(b), "{b:#x}");
            if (0x80..=0x9F).contains(&b) && c as u32 > 0x9F {
                assert_eq!(cp1252_high(b), Some(c));
            }
        }
        assert_eq!(cp1252_high(0x81), None);
        assert_eq!(cp1252_high(0x41), None);
        assert_eq!(sloppy_byte('Ā'), None);
        assert_eq!(sloppy_byte('\u{2019}'), Some(0x92));
    }

    #[test]
    fn examples_from_the_brief() {
        fixed("â€™", "’");
        fixed("Ã©", "é");
        fixed("Ð£ÐºÑ€Ð°Ñ—Ð½Ð°", "Україна");
        fixed("ÃƒÂ©", "é");
        fixed("It doesnâ€™t matter", "It doesn’t matter");
    }

    #[test]
    fn single_layer_in_many_languages() {
        for s in [
            "café crème brûlée",
            "Čeština a slovenčina",
            "Zażółć gęślą jaźń",
            "Straße, Köln, Müller",
            "Ελληνικά",
            "Україна і Київ",
            "Русский язык",
            "עברית",
            "العربية",
            "日本語のテキスト",
            "中文简体",
            "한국어",
            "हिन्दी",
            "Tiếng Việt",
            "“quoted” — dash… ‘single’",
            "price: 5 € or £4",
            "👍 and 😀",
            "Hırsızı Büyü",
        ] {
            fixed(&garble(s), s);
        }
    }

    #[test]
    fn latin1_and_mixed_decodings() {
        for s in ["Ecuador’s “quote”", "naïve café", "Україна", "❤ ✔ ♫", "😀"]
        {
            fixed(&garble_latin1(s), s);
        }
        fixed("He's Justinâ\u{9d}¤", "He's Justin❤");
        fixed(
            "Direzione Pd, ok â\u{80}\u{9c}senza modifiche\u{94} all'Italicum.",
            "Direzione Pd, ok “senza modifiche” all'Italicum.",
        );
    }

    #[test]
    fn mojibake_next_to_correct_text() {
        fixed(
            "l’humanitÃ© et la libertÃ© — déjà vu",
            "l’humanité et la liberté — déjà vu",
        );
        fixed(
            "Campeonatos > III DivisÃ£o - SÃ©rie F > Jornadas Classificação",
            "Campeonatos > III Divisão - Série F > Jornadas Classificação",
        );
        fixed("Київ: cafÃ© 😀", "Київ: café 😀");
    }

    #[test]
    fn several_layers() {
        let once = garble("Müller’s “café”");
        let twice = garble(&once);
        let thrice = garble(&twice);
        fixed(&twice, "Müller’s “café”");
        fixed(&thrice, "Müller’s “café”");
        fixed(
            "Iggy Pop (nÃƒÂ© Jim Osterberg)",
            "Iggy Pop (né Jim Osterberg)",
        );
        let mut counts = Repairs::default();
        fix_mojibake("ÃƒÂ©", &mut counts);
        assert_eq!(counts.mojibake, 2);
    }

    #[test]
    fn lossy_and_cesu() {
        fixed("â€œlossy decodingâ€\u{fffd}", "“lossy decoding\u{fffd}");
        fixed("SlovenÄ\u{fffd}ina", "Sloven\u{fffd}ina");
        fixed("Hi guys í\u{a0}½í¸\u{8d}", "Hi guys 😍");
    }

    /// `s` with the quotes that the quote rules make ASCII as ASCII.
    fn ascii_quotes(s: &str) -> String {
        s.replace(['‘', '’'], "'").replace(['“', '”', '„'], "\"")
    }

    /// What the pipeline makes of a line after repair (but NFC): curly quotes ASCII, white
    /// space single spaces, trimmed.
    fn settled(s: &str) -> String {
        ascii_quotes(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Repairing `s`, then settling it as the pipeline does, gives `want`, and repairing that
    /// again changes nothing.
    #[track_caller]
    fn fixed_for_good(s: &str, want: &str) {
        let once = fix(s).unwrap_or_else(|| s.to_string());
        assert_eq!(settled(&once), want, "{s:?}");
        assert_eq!(fix(want), None, "{want:?} repairs again");
    }

    /// As [`fixed_for_good`], and the quotes and white space in `s` are stray ones that make no
    /// difference: settling them first gives `want` too.
    #[track_caller]
    fn fixed_whatever_the_quotes(s: &str, want: &str) {
        fixed_for_good(s, want);
        let mapped = settled(s);
        assert_eq!(
            fix(&mapped).as_deref().unwrap_or(&mapped),
            want,
            "{mapped:?}"
        );
    }

    #[test]
    fn stray_quotes_do_not_change_the_decision() {
        // regression.rs, `repair_mojibake_only_after_the_quotes_are_mapped`: the `‘‘` kept the
        // line from being weighed whole, and `Ä™` does not look like mojibake on its own.
        fixed_whatever_the_quotes(
            "closed \u{2018}\u{2018}ßµhursday as winds of up to 120 kilometres ajÄ™zyn hour.",
            "closed ''\u{7f5}hursday as winds of up to 120 kilometres ajęzyn hour.",
        );
        fixed_whatever_the_quotes("Ä™b’", "ęb'");
        fixed_whatever_the_quotes("ÃƒÂ©”x", "é\"x");
        fixed_whatever_the_quotes("ﬁ‘Â¼ and ‘Â¼", "ﬁ'¼ and '¼");
        // A quote that continues a sequence that stays is treated as the ASCII quote it
        // becomes.
        fixed_for_good("©Ð‘Ã¯", "©Ð'ï");
        // Quotes in sequences that are re-decoded are mojibake like any other byte.
        fixed_for_good(&garble("Беларусь і Грузія"), "Беларусь і Грузія");
        fixed_for_good("â€œquotedâ€\u{9d} â€“ â€”", "\"quoted\" – —");
        // Only quotes and white space cut segments: other characters that no sequence covers
        // keep the rest of the line from being re-decoded whole.
        fixed("l’été, Brontë…” said cafÃ©", "l’été, Brontë…” said café");
        fixed("Київ: Brontë…” said cafÃ©", "Київ: Brontë…” said café");
        // Correct text with quotes stays.
        for s in ["“Brontë…” she said", "‘Ãlvaro’ “São”", "l’été “à” Noël’s"]
        {
            same(s);
            same(&ascii_quotes(s));
        }
    }

    #[test]
    fn no_break_spaces_do_not_change_the_decision() {
        // White-space normalization makes a no-break space a space after repair; one that
        // continues a sequence that stays (`Ð\u{A0}` is `Р`) is treated as that space.
        fixed_for_good("™Ð\u{A0}ÃƒÂ©", "™Ð é");
        fixed_for_good("©Â\u{A0}Ã¯", "©Â ï");
        fixed_whatever_the_quotes("Ä™b\u{A0}x", "ęb x");
        fixed_for_good(&garble("Росія"), "Росія");
    }

    #[test]
    fn decomposed_mojibake_is_repaired_composed() {
        // NFD mojibake shows once composed, which the pipeline does after repair.
        fixed_for_good("cafA\u{303}©", "café");
        fixed_for_good("voilA\u{303} le", "voilà le");
        // What a layer decodes to is composed before the next: `Î‡` is U+0387, which NFC
        // makes `·`, and `Â·` is mojibake of that.
        fixed_for_good("ÂÎ‡", "·");
        fixed_for_good("eÌ\u{81}tÃ©", "été");
        // Decomposed text without mojibake is left to NFC.
        same("cafe\u{301} A\u{303}o");
    }

    #[test]
    fn a_grave_with_any_white_space() {
        // White space of any kind, and runs of it, become one space after repair.
        fixed_for_good("voilÃ\tle travail", "voilà le travail");
        fixed_for_good("voilÃ\u{2009}le travail", "voilà le travail");
        fixed_for_good("Ã s\tcrianÃ§as", "às crianças");
        fixed_for_good("x Ã  perturber la rÃ©flexion", "x à perturber la réflexion");
        // A curly quote before the word counts as the ASCII one it becomes.
        fixed_for_good("“Ã perturber la rÃ©flexion", "\"à perturber la réflexion");
        fixed_for_good("‘Ã perturber la rÃ©flexion", "'à perturber la réflexion");
        same("IRMÃ\tDE NÃO");
    }

    #[test]
    fn c1_controls_become_windows_1252() {
        fixed("parlé\u{85} Tu sais", "parlé… Tu sais");
        fixed("\u{84}Handwerk\u{93}", "„Handwerk“");
        let mut counts = Repairs::default();
        assert_eq!(
            fix_mojibake("a\u{92}b\u{81}", &mut counts).as_deref(),
            Some("a’b\u{81}")
        );
        assert_eq!(counts.mojibake, 1);
        same("undefined \u{81}\u{8d}\u{8f}\u{90}\u{9d} stay for the invisible step");
    }

    #[test]
    fn a_grave_with_a_lost_no_break_space() {
        fixed("voilÃ le travail", "voilà le travail");
        fixed("voilÃ  le travail", "voilà le travail");
        fixed(
            "Ã perturber la rÃ©flexion jusqu'Ã nos jours",
            "à perturber la réflexion jusqu'à nos jours",
        );
        fixed(
            "com especial atenÃ§Ã£o Ã s crianÃ§as",
            "com especial atenção às crianças",
        );
        fixed("semelhante Ã quele observÃ©", "semelhante àquele observé");
        same("C O N C L U S Ã O");
        same("the letter Ã is Portuguese");
        same("IRMÃ DE NÃO");
    }

    #[test]
    fn correct_text_survives() {
        for s in [
            "NESTLÉ® requiere contratar personal",
            "NESTLÉ®",
            "Ãlvaro and Ãngela",
            "naïve café, coöperate, Noël",
            "the letter Â is used in Romanian: Â, â",
            "Â",
            "Ã",
            "São Paulo, NÃO, IRMÃ",
            "Україна, Київ, їжак",
            "Ελληνικά: αβγ",
            "日本語、中文、한국어",
            "👩\u{200d}👩\u{200d}👧 🇺🇦 😀",
            "Join ZZAJÉ’s Official Fan List",
            "L’épisode 8",
            "HUHLL Õ…",
            "RETWEET SE VOCÊ…",
            "PARCE QUE SUR LEURS PLAQUES IL Y MARQUÉ…",
            "TEM QUE SEGUIR, SDV SÓ…",
            "Ôôô VIDA MINHA",
            "[x]\u{a0}©",
            "2012—∞",
            "OK??:(   `¬´    ):",
            "( o¬ô )",
            "∆°",
            "ESSE CARA AI QUEM É¿",
            "!YO SÉ¡",
            "``hogwarts nao existe, voce nao vai pegar o trem pra lá´´",
            "SELKÄ\u{a0}EDELLÄ\u{a0}MAAHAN via @YouTube",
            "Offering 5×£35 pin ups",
            "4288×…",
            "higher values (“+” and “×” curves)",
            "I'm not such a fan of Charlotte Brontë…”",
            "AHÅ™, the new sofa from IKEA",
            "a radius of 10 Å—",
            "There are a lot of Ã’s in mojibake text",
            "MÄ£ÄM ÌÑÌ Q £ÄGÌ GÄLÄW",
            "Con il corpo e lo spirito ammaccato,\u{a0}è come se",
            "plain ASCII",
            "",
            "½ cup, 3¾ miles, 20°C, ±5, µg, ©2024, ®, ¿Qué?, ¡Hola!",
            "Ærø, Ørsted, Åse, Þórr, Ðuro",
        ] {
            same(s);
        }
    }

    #[test]
    fn fast_path_skips_lines_without_candidates() {
        for s in [
            "plain ascii",
            "Київ 😀 ÀÁ õ÷øÿ",
            "naïve café, Noël, São Paulo, Ãlvaro",
            "Â",
            "ô",
            "Ã",
            "",
        ] {
            assert!(!may_have_mojibake(s), "{s:?}");
        }
        for s in [
            "Ã©",
            "â€™",
            "Ã ",
            "Â\u{a0}",
            "Ä\u{fffd}",
            "\u{85}",
            "é…",
            "x\u{9d}",
        ] {
            assert!(may_have_mojibake(s), "{s:?}");
        }
    }

    #[test]
    fn badness_counts_typical_sequences() {
        let c = |s: &str| {
            let t: Vec<char> = s.chars().collect();
            cost(&t, 0..t.len())
        };
        assert_eq!(c("café"), 0);
        assert!(c("cafÃ©") > 0);
        assert!(c("â€™") > 0);
        assert!(c("a\u{85}b") > 0);
        assert_eq!(c("NESTLÉ® x"), 0);
        assert_eq!(c("ɮ"), 1);
    }
}
