//! Case folding and word boundaries: the two text facts every literal matcher relies on.
//!
//! Rule patterns and lines are folded the same way (see [`fold_into`]) before the
//! Aho-Corasick automaton in `rules::compile` runs, so phrases match whatever their case in any
//! script. [`at_word_boundary`] then decides whether a match stands on word boundaries.

/// Folds `s` for caseless comparison into `out` (cleared first).
///
/// Lower-casing plus the full case folds that matter for the rule packs' languages
/// (`ß`/`ẞ` to `ss`, final sigma to sigma). ASCII text takes a byte-wise fast path.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        match c {
            // Latin-1 and Cyrillic capitals, without a table lookup.
            'À'..='Þ' if c != '×' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            'Ѐ'..='Џ' => out.push(char::from_u32(c as u32 + 0x50).unwrap_or(c)),
            'ß'..='ÿ' | 'а'..='џ' if c != 'ß' => out.push(c),
            'ß' | 'ẞ' => out.push_str("ss"),
            'ς' => out.push('σ'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Folds `s` for caseless comparison; see [`fold_into`].
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// True for characters that belong to a word: letters, digits and combining marks.
pub(crate) fn is_word_char(c: char) -> bool {
    is_alphanumeric(c) || (!c.is_ascii() && is_mark(c))
}

/// `c.is_alphanumeric()`, answered without a table lookup (a binary search) for ASCII and the
/// Latin and Cyrillic letters that most scraped text is made of.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    common_letter(c).unwrap_or_else(|| c.is_alphanumeric())
}

/// `c.is_alphabetic()`, with the same fast paths as [`is_alphanumeric`].
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    common_letter(c).unwrap_or_else(|| c.is_alphabetic())
}

/// Whether `c` is a letter, for the Latin-1, Latin Extended and Cyrillic blocks; `None` for
/// other characters.
#[inline]
fn common_letter(c: char) -> Option<bool> {
    match c as u32 {
        0xC0..=0x24F => Some(c != '×' && c != '÷'),
        0x400..=0x481 | 0x48A..=0x52F => Some(true),
        _ => None,
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// True for characters of scripts written without spaces between words (Han, kana, Thai, Lao,
/// Khmer, Myanmar). Word boundaries and word counts made for spaced scripts do not apply there.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F) // CJK extensions B..G
}

/// True when `text[start..end]` starts and ends on word boundaries, as `\b` would say: a match
/// edge that is a word character must not touch another word character outside the match.
/// Edges in unspaced scripts always count as boundaries.
pub(crate) fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let left_ok = match (inner.chars().next(), text[..start].chars().next_back()) {
        (Some(first), Some(before)) => !edge_joins(first, before),
        _ => true,
    };
    let right_ok = match (inner.chars().next_back(), text[end..].chars().next()) {
        (Some(last), Some(after)) => !edge_joins(last, after),
        _ => true,
    };
    left_ok && right_ok
}

fn edge_joins(edge: char, neighbour: char) -> bool {
    is_word_char(edge)
        && is_word_char(neighbour)
        && !is_unspaced_script(edge)
        && !is_unspaced_script(neighbour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_ascii_and_unicode() {
        assert_eq!(fold("We Use COOKIES"), "we use cookies");
        assert_eq!(fold("ЧИТАТИ Українською"), "читати українською");
        assert_eq!(fold("STRASSE Straße"), "strasse strasse");
        assert_eq!(fold("ΔΙΑΦΉΜΙΣΗ"), "διαφήμιση");
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            let slow: String = match c {
                'ß' | 'ẞ' => "ss".into(),
                'ς' => "σ".into(),
                c => c.to_lowercase().collect(),
            };
            assert_eq!(fold(&format!("{c}é")), format!("{slow}é"), "{c:?}");
        }
    }

    #[test]
    fn boundaries() {
        let t = "cookiesheet and cookies, cookies";
        assert!(!at_word_boundary(t, 0, 7));
        assert!(at_word_boundary(t, 16, 23));
        assert!(at_word_boundary(t, 25, 32));
        // A pattern edge that is punctuation needs no boundary.
        assert!(at_word_boundary("Share:now", 0, 6));
        // Unspaced scripts: a phrase inside running Han text still matches.
        let han = "这是广告内容";
        assert!(at_word_boundary(han, 6, 12));
    }
}
