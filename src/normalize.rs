//! Fixed text hygiene applied to every line before any matching: Unicode NFC and white space
//! (every Unicode space character becomes a space, runs collapse, ends are trimmed). Character
//! maps such as curly quotes are data (`replace` rules in `rules/quotes.toml`), applied by the
//! pipeline between the two steps here.
//!
//! Both steps return `None` when the text is already normal, so unchanged lines are never
//! copied; ASCII lines skip NFC entirely.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The NFC form of `s`, or `None` when `s` is already NFC.
pub(crate) fn nfc(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => None,
        _ => {
            let n: String = s.nfc().collect();
            (n != s).then_some(n)
        }
    }
}

/// `s` with every white-space character as a plain space, runs collapsed to one, and no space
/// at either end; `None` when `s` is already so.
pub(crate) fn whitespace(s: &str) -> Option<String> {
    if is_clean(s) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    Some(out)
}

fn is_clean(s: &str) -> bool {
    if s.is_ascii() {
        // No white space but single spaces between words: none at either end, no other
        // white-space character, no two spaces in a row.
        let b = s.as_bytes();
        return b.first() != Some(&b' ')
            && b.last() != Some(&b' ')
            && !b.iter().any(|c| matches!(c, b'\t'..=b'\r'))
            && memchr::memmem::find(b, b"  ").is_none();
    }
    is_clean_chars(s)
}

/// [`is_clean`], character by character.
fn is_clean_chars(s: &str) -> bool {
    let mut prev_space = true;
    for c in s.chars() {
        let ws = c.is_whitespace();
        if ws && (c != ' ' || prev_space) {
            return false;
        }
        prev_space = ws;
    }
    !prev_space || s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(whitespace("a b"), None);
        assert_eq!(whitespace(""), None);
        assert_eq!(whitespace("  • a\u{a0} b\t"), Some("• a b".into()));
        assert_eq!(
            whitespace("Kyiv\u{a0}•\u{a0}UNN"),
            Some("Kyiv • UNN".into())
        );
        assert_eq!(whitespace(" "), Some(String::new()));
        assert_eq!(whitespace("a\u{2003}\u{3000}b"), Some("a b".into()));
    }

    #[test]
    fn ascii_clean_check_agrees_with_the_char_loop() {
        for s in [
            "", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\x0Bb", "a\x0Cb", "a\rb", "a\nb",
            "a\x1Cb", "ab cd ef",
        ] {
            assert_eq!(is_clean(s), is_clean_chars(s), "{s:?}");
        }
    }

    #[test]
    fn nfc_composes_and_skips_normal_text() {
        assert_eq!(nfc("plain"), None);
        assert_eq!(nfc("Café"), None);
        assert_eq!(nfc("Cafe\u{301}"), Some("Café".into()));
        assert_eq!(nfc("й"), None);
    }
}
