//! Typography helpers: Latin ligatures, full-width forms, dashes, the ellipsis and NFKC.
//!
//! Each is a pure function that returns `None` when it changes nothing; each looks only at the
//! UTF-8 lead byte its characters share (found with `memchr`), so ASCII text and text without
//! those characters cost one fast byte scan and no allocation.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::Repairs;

/// `s` with the Latin typographic ligatures U+FB00–U+FB06 (`ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ`) spelled out
/// (`ﬁ` → `fi`; `ﬅ` and `ﬆ` → `st`), or `None` when it has none. Copy-and-paste from PDFs
/// leaves them in words, where they break search. Counts each in `counts.ligatures`.
///
/// ```
/// use thresh::repair::{Repairs, unfold_ligatures};
///
/// let mut counts = Repairs::default();
/// assert_eq!(unfold_ligatures("signiﬁcant ﬂoor", &mut counts).as_deref(), Some("significant floor"));
/// assert_eq!(counts.ligatures, 2);
/// ```
pub fn unfold_ligatures(s: &str, counts: &mut Repairs) -> Option<String> {
    map_chars(s, 0xEF, &mut counts.ligatures, |c| match c {
        '\u{FB00}' => Some("ff"),
        '\u{FB01}' => Some("fi"),
        '\u{FB02}' => Some("fl"),
        '\u{FB03}' => Some("ffi"),
        '\u{FB04}' => Some("ffl"),
        '\u{FB05}' | '\u{FB06}' => Some("st"),
        _ => None,
    })
}

/// `s` with the dashes `‒ – — ―` (U+2012–U+2015) as `-`, or `None` when it has none. Counts
/// each in `counts.dashes`. Off by default: the dashes are correct typography.
///
/// ```
/// use thresh::repair::{Repairs, dashes_ascii};
///
/// let mut counts = Repairs::default();
/// assert_eq!(dashes_ascii("2020–2024 — done", &mut counts).as_deref(), Some("2020-2024 - done"));
/// ```
pub fn dashes_ascii(s: &str, counts: &mut Repairs) -> Option<String> {
    map_chars(s, 0xE2, &mut counts.dashes, |c| {
        matches!(c, '\u{2012}'..='\u{2015}').then_some("-")
    })
}

/// `s` with the ellipsis `…` as `...`, or `None` when it has none. Counts each in
/// `counts.ellipsis`. Off by default.
///
/// ```
/// use thresh::repair::{Repairs, ellipsis_ascii};
///
/// let mut counts = Repairs::default();
/// assert_eq!(ellipsis_ascii("wait…", &mut counts).as_deref(), Some("wait..."));
/// ```
pub fn ellipsis_ascii(s: &str, counts: &mut Repairs) -> Option<String> {
    map_chars(s, 0xE2, &mut counts.ellipsis, |c| {
        (c == '…').then_some("...")
    })
}

/// Replaces each character `map` maps, looking only at characters whose UTF-8 starts with
/// `lead`; adds the number replaced to `count`.
fn map_chars(
    s: &str,
    lead: u8,
    count: &mut usize,
    map: impl Fn(char) -> Option<&'static str>,
) -> Option<String> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    for i in memchr::memchr_iter(lead, s.as_bytes()) {
        let Some(c) = s[i..].chars().next() else {
            continue;
        };
        let Some(rep) = map(c) else {
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 8));
        o.push_str(&s[copied..i]);
        o.push_str(rep);
        copied = i + c.len_utf8();
        *count += 1;
    }
    let mut o = out?;
    o.push_str(&s[copied..]);
    Some(o)
}

/// `s` with full-width ASCII forms (U+FF01–U+FF5E, `ＡＢＣ１２３！`) as ASCII and the
/// ideographic space U+3000 as a space, or `None` when there is nothing to unfold. Counts each
/// in `counts.fullwidth`.
///
/// Full-width letters and digits always unfold. Full-width punctuation next to Han, kana,
/// Hangul or CJK punctuation is that script's own typography (`你好，世界！`) and stays; looking
/// for that neighbour skips over other full-width punctuation (`好！！`).
///
/// ```
/// use thresh::repair::{Repairs, unfold_fullwidth};
///
/// let mut counts = Repairs::default();
/// assert_eq!(unfold_fullwidth("ＡＢＣ　１２３！", &mut counts).as_deref(), Some("ABC 123!"));
/// assert_eq!(unfold_fullwidth("你好，世界！", &mut counts), None);
/// ```
pub fn unfold_fullwidth(s: &str, counts: &mut Repairs) -> Option<String> {
    let b = s.as_bytes();
    // U+FF01..=U+FF5E is EF BC 81..=EF BD 9E; U+3000 is E3 80 80.
    let first = memchr::memchr2_iter(0xEF, 0xE3, b).find(|&i| {
        matches!(
            (b[i], b.get(i + 1), b.get(i + 2)),
            (0xEF, Some(0xBC), Some(0x81..=0xBF))
                | (0xEF, Some(0xBD), Some(0x80..=0x9E))
                | (0xE3, Some(0x80), Some(0x80))
        )
    })?;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut n = 0;
    for (i, c) in s[first..].char_indices().map(|(k, c)| (first + k, c)) {
        let unfolded = match c as u32 {
            0x3000 => Some(' '),
            0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => ascii_of(c),
            0xFF01..=0xFF5E if !next_to_cjk(s, i, c) => ascii_of(c),
            _ => None,
        };
        if let Some(a) = unfolded {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(&s[copied..i]);
            o.push(a);
            copied = i + c.len_utf8();
            n += 1;
        }
    }
    let mut o = out?;
    o.push_str(&s[copied..]);
    counts.fullwidth += n;
    Some(o)
}

fn ascii_of(c: char) -> Option<char> {
    char::from_u32(c as u32 - 0xFEE0)
}

fn is_fullwidth_punct(c: char) -> bool {
    matches!(c as u32, 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF5E)
}

/// Whether the full-width punctuation `c` at byte `i` of `s` has a CJK neighbour, skipping
/// other full-width punctuation.
fn next_to_cjk(s: &str, i: usize, c: char) -> bool {
    let other = |c: &char| !is_fullwidth_punct(*c);
    let prev = s[..i].chars().rev().find(other);
    let next = s[i + c.len_utf8()..].chars().find(other);
    prev.is_some_and(is_cjk) || next.is_some_and(is_cjk)
}

/// Han, kana, Hangul, bopomofo and CJK punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul jamo
        | 0x2E80..=0x2FDF      // CJK radicals
        | 0x3001..=0x303F      // CJK symbols and punctuation (not the ideographic space)
        | 0x3040..=0x30FF      // hiragana, katakana
        | 0x3100..=0x31FF      // bopomofo, Hangul compatibility jamo, katakana extension
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF61..=0xFFDC      // half-width katakana and Hangul
        | 0x20000..=0x3134F) // CJK extensions B..G
}

/// The NFKC form of `s`, or `None` when it already is NFKC. NFKC folds compatibility
/// characters (ligatures, full-width and circled forms, superscripts, `…`, `ℌ`) into plain
/// ones; it loses distinctions (`²` → `2`), so it runs only when asked. Adds one to
/// `counts.nfkc` per call that changed the text (per line, in [`repair_line`]).
///
/// [`repair_line`]: super::repair_line
///
/// ```
/// use thresh::repair::{Repairs, nfkc};
///
/// let mut counts = Repairs::default();
/// assert_eq!(nfkc("x² ﬁ ①", &mut counts).as_deref(), Some("x2 fi 1"));
/// assert_eq!(nfkc("café", &mut counts), None);
/// ```
pub fn nfkc(s: &str, counts: &mut Repairs) -> Option<String> {
    if s.is_ascii() || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return None;
    }
    let n: String = s.nfkc().collect();
    if n == s {
        return None;
    }
    counts.nfkc += 1;
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str, &mut Repairs) -> Option<String>, s: &str) -> (Option<String>, Repairs) {
        let mut c = Repairs::default();
        let out = f(s, &mut c);
        (out, c)
    }

    #[test]
    fn ligatures() {
        let (out, c) = run(unfold_ligatures, "ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ");
        assert_eq!(out.as_deref(), Some("ff fi fl ffi ffl st st"));
        assert_eq!(c.ligatures, 7);
        assert_eq!(
            run(unfold_ligatures, "eﬃcient oﬃce").0.as_deref(),
            Some("efficient office")
        );
        for s in [
            "",
            "office",
            "æ œ Ĳ ǉ",
            "Straße",
            "ＡＢＣ",
            "\u{FB07}",
            "ｆｉ",
        ] {
            assert_eq!(run(unfold_ligatures, s).0, None, "{s:?}");
        }
    }

    #[test]
    fn fullwidth() {
        let (out, c) = run(unfold_fullwidth, "ＡＢＣ１２３ａｂｃ　！？（）");
        assert_eq!(out.as_deref(), Some("ABC123abc !?()"));
        assert_eq!(c.fullwidth, 14);
        assert_eq!(
            run(unfold_fullwidth, "\u{FF01}\u{FF5E}").0.as_deref(),
            Some("!~")
        );
        assert_eq!(
            run(unfold_fullwidth, "a\u{3000}b").0.as_deref(),
            Some("a b")
        );
        // Letters and digits unfold in CJK text; CJK punctuation stays.
        assert_eq!(
            run(unfold_fullwidth, "ＡＢＣ社の２０２４年（予定）")
                .0
                .as_deref(),
            Some("ABC社の2024年（予定）")
        );
        for s in [
            "",
            "ascii!",
            "你好，世界！",
            "你好！！",
            "日本（東京）",
            "한국어：테스트",
            "ｱｲｳ",
            "\u{FF5F}\u{FF60}",
        ] {
            assert_eq!(run(unfold_fullwidth, s).0, None, "{s:?}");
        }
        // The ideographic space always becomes a space; the punctuation around it stays.
        assert_eq!(
            run(unfold_fullwidth, "「東京」：　").0.as_deref(),
            Some("「東京」： ")
        );
    }

    #[test]
    fn dashes() {
        let (out, c) = run(dashes_ascii, "a‒b–c—d―e");
        assert_eq!(out.as_deref(), Some("a-b-c-d-e"));
        assert_eq!(c.dashes, 4);
        for s in ["a-b", "a‐b", "a‑b", "−5", "…", "“x”"] {
            assert_eq!(run(dashes_ascii, s).0, None, "{s:?}");
        }
    }

    #[test]
    fn ellipsis() {
        let (out, c) = run(ellipsis_ascii, "wait… what…");
        assert_eq!(out.as_deref(), Some("wait... what..."));
        assert_eq!(c.ellipsis, 2);
        for s in ["wait...", "—", "⋯"] {
            assert_eq!(run(ellipsis_ascii, s).0, None, "{s:?}");
        }
    }

    #[test]
    fn nfkc_only_when_needed() {
        let (out, c) = run(nfkc, "ﬁ ① x² ＡＢＣ …");
        assert_eq!(out.as_deref(), Some("fi 1 x2 ABC ..."));
        assert_eq!(c.nfkc, 1);
        for s in ["", "ascii", "café", "Київ", "日本語", "한국어"] {
            assert_eq!(run(nfkc, s).0, None, "{s:?}");
        }
        // NFKC composes as NFC does.
        assert_eq!(run(nfkc, "e\u{301}").0.as_deref(), Some("é"));
    }
}
