//! Invisible and control characters: removed where they carry nothing, kept where a script
//! needs them.
//!
//! | kind | characters | done |
//! |---|---|---|
//! | `invisible` | zero-width space U+200B, word joiner U+2060, invisible operators U+2061–U+2064, deprecated format characters U+206A–U+206F, BOM U+FEFF, soft hyphen U+00AD, Mongolian vowel separator U+180E, interlinear annotation U+FFF9–U+FFFB | removed |
//! | `invisible` | zero-width joiner U+200D, zero-width non-joiner U+200C | removed, except where they join (see below) |
//! | `controls` | C0 controls except tab, line feed and carriage return; DEL; C1 controls U+0080–U+009F | removed |
//! | `bidi` | embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, LRM U+200E, RLM U+200F, Arabic letter mark U+061C | removed |
//! | `line_separators` | line separator U+2028, paragraph separator U+2029 | become `\n` |
//!
//! A zero-width joiner stays between two emoji or symbols (`👩‍👩‍👧`, `🏳️‍🌈`, `👨🏽‍💻`), where
//! it builds one picture. Both joiners stay between two characters of the scripts that shape
//! with them: Arabic and Persian (`می‌خواهم`), Syriac, N'Ko, the Indic scripts from Devanagari to
//! Sinhala, Myanmar, Khmer and Mongolian. Everywhere else they are removed.
//!
//! Run this after mojibake repair, which turns C1 controls it can identify into the
//! Windows-1252 characters they stand for.

use super::Repairs;

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// What to do with one character, out of context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Keep,
    Invisible,
    Control,
    Bidi,
    LineSeparator,
    /// A joiner: kept or removed depending on its neighbours.
    Joiner,
}

fn action(c: char) -> Action {
    match c {
        '\t' | '\n' | '\r' => Action::Keep,
        '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Action::Control,
        '\u{AD}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{2060}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}' => Action::Invisible,
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Action::Bidi
        }
        '\u{2028}' | '\u{2029}' => Action::LineSeparator,
        ZWNJ | ZWJ => Action::Joiner,
        _ => Action::Keep,
    }
}

/// `s` without the invisible, control and bidi characters above, and with line and paragraph
/// separators as `\n`; `None` when there are none. Counts each character under its kind in
/// `counts` (`invisible`, `controls`, `bidi`, `line_separators`).
///
/// ```
/// use thresh::repair::{Repairs, remove_invisible};
///
/// let mut counts = Repairs::default();
/// let out = remove_invisible("zero\u{200B}width\u{AD} and \u{202E}bidi\u{202C}", &mut counts);
/// assert_eq!(out.as_deref(), Some("zerowidth and bidi"));
/// assert_eq!((counts.invisible, counts.bidi), (2, 2));
/// assert_eq!(remove_invisible("👩\u{200D}👩\u{200D}👧", &mut counts), None);
/// ```
pub fn remove_invisible(s: &str, counts: &mut Repairs) -> Option<String> {
    let first = first_candidate(s)?;
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `s` already in `out`
    let mut local = Repairs::default();
    for (i, c) in s[first..].char_indices().map(|(k, c)| (first + k, c)) {
        let act = match action(c) {
            Action::Joiner if joins(s, i, c) => Action::Keep,
            Action::Joiner => Action::Invisible,
            a => a,
        };
        if act == Action::Keep {
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
        o.push_str(&s[copied..i]);
        copied = i + c.len_utf8();
        match act {
            Action::Invisible => local.invisible += 1,
            Action::Control => local.controls += 1,
            Action::Bidi => local.bidi += 1,
            Action::LineSeparator => {
                local.line_separators += 1;
                o.push('\n');
            }
            Action::Keep | Action::Joiner => unreachable!("handled above"),
        }
    }
    let mut o = out?;
    o.push_str(&s[copied..]);
    *counts += local;
    Some(o)
}

/// Byte offset of the first character that might change, or `None` when none can. ASCII text
/// is checked byte by byte; elsewhere only characters whose UTF-8 starts with one of the few
/// lead bytes of the characters above are decoded.
fn first_candidate(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        match x {
            b'\t' | b'\n' | b'\r' => {}
            0..=0x1F | 0x7F => return Some(i),
            0xC2 | 0xD8 | 0xE1 | 0xE2 | 0xEF => {
                let c = s[i..].chars().next()?;
                if action(c) != Action::Keep {
                    return Some(i);
                }
                i += c.len_utf8();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether the joiner `j` at byte `i` of `s` joins its neighbours (the nearest characters on
/// each side that are not joiners) and must stay.
fn joins(s: &str, i: usize, j: char) -> bool {
    let not_joiner = |c: &char| !matches!(c, &ZWJ | &ZWNJ);
    let before = s[..i].chars().rev().find(not_joiner);
    let after = s[i + j.len_utf8()..].chars().find(not_joiner);
    let (Some(before), Some(after)) = (before, after) else {
        return false;
    };
    if is_joining_script(before) && is_joining_script(after) {
        return true;
    }
    j == ZWJ && is_emoji_part(before) && is_emoji_part(after)
}

/// Letters and marks of scripts whose shaping uses the zero-width (non-)joiner.
fn is_joining_script(c: char) -> bool {
    matches!(c as u32,
        0x0600..=0x06FF        // Arabic (Persian, Urdu, ...)
        | 0x0700..=0x074F      // Syriac
        | 0x0750..=0x077F      // Arabic supplement
        | 0x07C0..=0x07FF      // N'Ko
        | 0x0860..=0x08FF      // Syriac supplement, Arabic extended
        | 0x0900..=0x0DFF      // Devanagari .. Sinhala
        | 0x1000..=0x109F      // Myanmar
        | 0x1780..=0x17FF      // Khmer
        | 0x1800..=0x18AF      // Mongolian
        | 0xA8E0..=0xA8FF      // Devanagari extended
        | 0xFB50..=0xFDFF      // Arabic presentation forms A
        | 0xFE70..=0xFEFE) // Arabic presentation forms B
}

/// Characters that take part in emoji ZWJ sequences: pictographs and symbols, their variation
/// selectors, skin-tone modifiers and tag characters.
fn is_emoji_part(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139
        | 0x2194..=0x21FF      // arrows
        | 0x2300..=0x23FF      // technical (⌚, ⏩)
        | 0x2460..=0x24FF      // enclosed alphanumerics
        | 0x25A0..=0x27BF      // shapes, misc symbols, dingbats (♀, ♂, ⚕, ❤)
        | 0x2900..=0x297F
        | 0x2B00..=0x2BFF      // arrows, stars (⬛, ⭐)
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0xFE0E | 0xFE0F      // variation selectors
        | 0x1F000..=0x1FAFF    // emoji blocks, skin tones, regional indicators
        | 0xE0020..=0xE007F) // tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rm(s: &str) -> Option<String> {
        remove_invisible(s, &mut Repairs::default())
    }

    #[track_caller]
    fn same(s: &str) {
        assert_eq!(rm(s), None, "{s:?} must stay");
    }

    #[test]
    fn removes_invisible_characters() {
        let mut c = Repairs::default();
        let out = remove_invisible(
            "a\u{200B}b\u{2060}c\u{FEFF}d\u{AD}e\u{2062}f\u{180E}g",
            &mut c,
        );
        assert_eq!(out.as_deref(), Some("abcdefg"));
        assert_eq!(c.invisible, 6);
        assert_eq!(c.total(), 6);
        assert_eq!(rm("\u{FEFF}start").as_deref(), Some("start"));
        assert_eq!(
            rm("hy\u{AD}phen\u{AD}ation").as_deref(),
            Some("hyphenation")
        );
    }

    #[test]
    fn removes_controls_but_keeps_tab() {
        let mut c = Repairs::default();
        let out = remove_invisible("a\u{1}b\tc\u{1B}[0m\u{7F}d\u{85}e\u{9D}", &mut c);
        assert_eq!(out.as_deref(), Some("ab\tc[0mde"));
        assert_eq!(c.controls, 5);
        same("tab\tseparated\tvalues");
        same("line\r\n");
        assert_eq!(rm("\0").as_deref(), Some(""));
    }

    #[test]
    fn removes_bidi_controls() {
        let mut c = Repairs::default();
        let out = remove_invisible(
            "\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}e\u{2066}f\u{2067}g\u{2068}h\u{2069}\u{200E}\u{200F}\u{61C}",
            &mut c,
        );
        assert_eq!(out.as_deref(), Some("abcdefgh"));
        assert_eq!(c.bidi, 12);
        assert_eq!(rm("שלום\u{200F} world").as_deref(), Some("שלום world"));
    }

    #[test]
    fn line_separators_become_newlines() {
        let mut c = Repairs::default();
        let out = remove_invisible("one\u{2028}two\u{2029}three", &mut c);
        assert_eq!(out.as_deref(), Some("one\ntwo\nthree"));
        assert_eq!(c.line_separators, 2);
        assert_eq!(c.invisible, 0);
    }

    #[test]
    fn zero_width_joiner_stays_in_emoji_sequences() {
        for s in [
            "👩\u{200D}👩\u{200D}👧",
            "family 👨\u{200D}👩\u{200D}👧\u{200D}👦 here",
            "🏳\u{FE0F}\u{200D}🌈",
            "👨🏽\u{200D}💻",
            "❤\u{FE0F}\u{200D}🔥",
            "🧑\u{200D}⚕\u{FE0F}",
            "🏴\u{200D}☠\u{FE0F}",
            "👁\u{FE0F}\u{200D}🗨\u{FE0F}",
            "🇺🇦 🇵🇱",
        ] {
            same(s);
        }
    }

    #[test]
    fn joiners_stay_in_scripts_that_need_them() {
        for s in [
            "می\u{200C}خواهم",                  // Persian
            "نمی\u{200C}دانم و کتاب\u{200C}ها", // Persian
            "क्\u{200D}ष",                       // Devanagari half form
            "र\u{200D}्",                        // Devanagari eyelash ra
            "ক্\u{200C}ষ",                       // Bengali
        ] {
            same(s);
        }
        // A joiner at the end of the text joins nothing.
        assert_eq!(rm("ന്\u{200D}").as_deref(), Some("ന്"));
    }

    #[test]
    fn stray_joiners_are_removed() {
        let mut c = Repairs::default();
        assert_eq!(
            remove_invisible("a\u{200D}b c\u{200C}d \u{200D}👍 👍\u{200D}", &mut c).as_deref(),
            Some("ab cd 👍 👍")
        );
        assert_eq!(c.invisible, 4);
        assert_eq!(rm("\u{200C}می").as_deref(), Some("می"));
        assert_eq!(rm("👍\u{200D}a").as_deref(), Some("👍a"));
        // A joiner between an emoji and a Persian letter joins nothing.
        assert_eq!(rm("👍\u{200D}م").as_deref(), Some("👍م"));
    }

    #[test]
    fn clean_text_is_not_copied() {
        for s in [
            "",
            "plain ascii",
            "naïve café — “quotes”",
            "Ελληνικά Русский עברית العربية",
            "日本語 中文 한국어",
            "non\u{a0}breaking",
            "…•€™",
        ] {
            same(s);
        }
        assert_eq!(first_candidate("abc\u{200B}"), Some(3));
        assert_eq!(first_candidate("é\u{1}"), Some(2));
        assert_eq!(first_candidate("\u{2014}\u{2019}"), None);
    }
}
