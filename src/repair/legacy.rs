//! Mojibake of UTF-8 read as Windows-1251 (Cyrillic: `РЈРєСЂР°С—РЅР°` for `Україна`) or
//! Windows-1250 (Central European: `ZaĹĽĂłĹ‚Ä‡` for `Zażółć`).
//!
//! These code pages map the bytes of UTF-8 sequences to letters, so the garble looks like
//! text: a Cyrillic lead letter (`Р`, `С`) before a rare letter or a symbol. The repair holds
//! to the same standard as the Windows-1252 one, never changing text decoded correctly:
//!
//! - a word (a run of characters between spaces) is repaired only when every non-ASCII
//!   character in it is part of a sequence that decodes to a letter of the expected script
//!   (Cyrillic for Windows-1251; Latin with diacritics for Windows-1250), or to common
//!   punctuation (dashes, quotes, `…`, `«`, `»`, `№`);
//! - and a line is repaired only with enough evidence: for Windows-1251 a word of two or more
//!   such sequences (a genuine Russian or Ukrainian word never alternates a lead letter with
//!   `Ђ`, `Ѓ`, `™`…); for Windows-1250 two sequences in the line.
//!
//! `ТАСС»` stays (`С»` would decode to the archaic `ѻ`), as does a word with one genuine
//! Cyrillic letter that no sequence covers.

/// Windows-1251 characters for bytes 0x80..=0xBF (`None`: undefined, 0x98).
const CP1251: [Option<char>; 64] =
    table("ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—\u{0}™љ›њќћџ\u{a0}ЎўЈ¤Ґ¦§Ё©Є«¬\u{ad}®Ї°±Ііґµ¶·ё№є»јЅѕї");

/// Windows-1250 characters for bytes 0x80..=0xBF (`None`: undefined).
const CP1250: [Option<char>; 64] = table(
    "€\u{0}‚\u{0}„…†‡\u{0}‰Š‹ŚŤŽŹ\u{0}‘’“”•–—\u{0}™š›śťžź\u{a0}ˇ˘Ł¤Ą¦§¨©Ş«¬\u{ad}®Ż°±˛ł´µ¶·¸ąş»Ľ˝ľż",
);

/// The 64 characters of `s` as a table, `\0` for undefined bytes.
const fn table(s: &str) -> [Option<char>; 64] {
    let b = s.as_bytes();
    let mut out = [None; 64];
    let (mut i, mut k) = (0, 0);
    while k < 64 {
        // Decode one UTF-8 character (const context: by hand).
        let (c, n) = match b[i] {
            x if x < 0x80 => (x as u32, 1),
            x if x < 0xE0 => (((x as u32 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2),
            x => (
                ((x as u32 & 0x0F) << 12)
                    | ((b[i + 1] as u32 & 0x3F) << 6)
                    | (b[i + 2] as u32 & 0x3F),
                3,
            ),
        };
        if c != 0 {
            out[k] = char::from_u32(c);
        }
        i += n;
        k += 1;
    }
    assert!(i == b.len(), "64 characters");
    out
}

/// One code page: its name, table and what it may decode to.
struct Page {
    high: &'static [Option<char>; 64],
    /// The letters standing for the UTF-8 lead bytes that can start a repair.
    leads: &'static [(char, u8)],
    /// Whether a decoded two-byte character is a letter of the expected script.
    letter: fn(char) -> bool,
    /// Whether one word with two sequences is evidence enough (otherwise two sequences in
    /// the line are).
    word_evidence: bool,
    /// Whether the no-break space and the soft hyphen (0xA0, 0xAD) may continue a sequence.
    /// In Windows-1250 they follow real letters too often (`SELKÄ\u{a0}EDELLÄ`).
    spaces_continue: bool,
}

const WINDOWS_1251: Page = Page {
    high: &CP1251,
    // В С2, Р D0, С D1, Т D2, в E2.
    leads: &[
        ('В', 0xC2),
        ('Р', 0xD0),
        ('С', 0xD1),
        ('Т', 0xD2),
        ('в', 0xE2),
    ],
    letter: |c| matches!(c, '\u{400}'..='\u{45F}' | 'Ґ' | 'ґ'),
    word_evidence: true,
    spaces_continue: true,
};

const WINDOWS_1250: Page = Page {
    high: &CP1250,
    // Ă C3, Ä C4, Ĺ C5.
    leads: &[('Ă', 0xC3), ('Ä', 0xC4), ('Ĺ', 0xC5)],
    letter: |c| matches!(c, '\u{C0}'..='\u{17F}') && c.is_alphabetic(),
    word_evidence: false,
    spaces_continue: false,
};

/// The continuation byte (0x80..=0xBF) `c` stands for in `page`; C1 controls stand for
/// themselves (a decoder that kept undefined bytes).
fn continuation(page: &Page, c: char) -> Option<u8> {
    if !page.spaces_continue && matches!(c, '\u{a0}' | '\u{ad}') {
        return None;
    }
    if ('\u{80}'..='\u{9F}').contains(&c) {
        return Some(c as u32 as u8);
    }
    page.high
        .iter()
        .position(|&x| x == Some(c))
        .map(|k| 0x80 + k as u8)
}

/// The sequence at `t[i]` in `page`: its length in characters and what it decodes to.
fn seq_at(page: &Page, t: &[char], i: usize) -> Option<(usize, char)> {
    let &(_, lead) = page.leads.iter().find(|(c, _)| *c == t[i])?;
    let b1 = continuation(page, *t.get(i + 1)?)?;
    if lead == 0xE2 {
        let b2 = continuation(page, *t.get(i + 2)?)?;
        let cp =
            (u32::from(lead & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
        let c = char::from_u32(cp)?;
        // Dashes, quotes, the ellipsis and `№`.
        return matches!(c, '\u{2010}'..='\u{2026}' | '№').then_some((3, c));
    }
    let cp = (u32::from(lead & 0x1F) << 6) | u32::from(b1 & 0x3F);
    let c = char::from_u32(cp)?;
    let ok = if lead == 0xC2 {
        // `«`, `»`, the no-break space, `°`, `©`…, never a C1 control.
        c >= '\u{A0}'
    } else {
        (page.letter)(c)
    };
    ok.then_some((2, c))
}

/// `s` with its Windows-1251 or Windows-1250 mojibake repaired, or `None`. Adds one to
/// `repaired` per word repaired.
pub(super) fn fix_legacy(s: &str, repaired: &mut usize) -> Option<String> {
    let pages = [&WINDOWS_1251, &WINDOWS_1250];
    if !pages.iter().any(|p| has_pairs(s, p)) {
        return None;
    }
    let t: Vec<char> = s.chars().collect();
    for page in pages {
        if let Some(out) = fix_with(page, &t, repaired) {
            return Some(out);
        }
    }
    None
}

/// True when `s` holds two sequences of `page`, a lead letter (`Р С Т В в`, `Ă Ä Ĺ`) before a
/// character that continues it: what every repair needs at least. Correct Cyrillic text,
/// full of 0xD0 bytes, is passed over after one byte scan and a look at each lead letter.
fn has_pairs(s: &str, page: &Page) -> bool {
    let b = s.as_bytes();
    let mut found = 0;
    for i in memchr::memchr3_iter(0xD0, 0xC3, 0xC4, b) {
        let Some(lead) = s.get(i..).and_then(|r| r.chars().next()) else {
            continue;
        };
        if !page.leads.iter().any(|(c, _)| *c == lead) {
            continue;
        }
        let next = s[i + lead.len_utf8()..].chars().next();
        if next.is_some_and(|c| continuation(page, c).is_some()) {
            found += 1;
            if found == 2 {
                return true;
            }
        }
    }
    false
}

fn fix_with(page: &Page, t: &[char], repaired: &mut usize) -> Option<String> {
    // Words: runs between white space (a no-break space can be a continuation byte).
    let is_gap = |c: char| c.is_whitespace() && c != '\u{a0}';
    // Per eligible word: its sequences (start, length in characters, decoded character).
    let mut words: Vec<Vec<(usize, usize, char)>> = Vec::new();
    let mut evidence = false;
    let mut total = 0;
    let mut i = 0;
    while i < t.len() {
        if is_gap(t[i]) {
            i += 1;
            continue;
        }
        let mut seqs = Vec::new();
        let mut eligible = true;
        while i < t.len() && !is_gap(t[i]) {
            if let Some((n, c)) = seq_at(page, t, i) {
                seqs.push((i, n, c));
                i += n;
            } else {
                eligible &= t[i].is_ascii();
                i += 1;
            }
        }
        if eligible && !seqs.is_empty() {
            let letters = seqs.iter().filter(|s| s.1 == 2).count();
            evidence |= letters >= 2;
            total += seqs.len();
            words.push(seqs);
        }
    }
    let enough = if page.word_evidence {
        evidence
    } else {
        total >= 2
    };
    if !enough {
        return None;
    }
    let mut out = String::with_capacity(t.len() * 2);
    let mut at = 0;
    for seqs in &words {
        for &(i, n, c) in seqs {
            out.extend(&t[at..i]);
            out.push(c);
            at = i + n;
        }
    }
    out.extend(&t[at..]);
    *repaired += words.len();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> Option<String> {
        fix_legacy(s, &mut 0)
    }

    #[test]
    fn tables_hold_64_characters_each() {
        assert_eq!(CP1251[0], Some('Ђ'));
        assert_eq!(CP1251[0x18], None);
        assert_eq!(CP1251[0x3F], Some('ї'));
        assert_eq!(CP1250[0x3F], Some('ż'));
        assert_eq!(CP1250[0x01], None);
    }

    #[test]
    fn cyrillic_read_as_windows_1251_is_repaired() {
        assert_eq!(fix("РЈРєСЂР°С—РЅР°").as_deref(), Some("Україна"));
        assert_eq!(
            fix(
                "Р\u{a0}РѕСЃС–Р№СЃСЊРєР° Р¤РµРґРµСЂР°С†С–СЏ вЂ” В«РўРђРЎРЎВ» РїРѕРІС–РґРѕРјРёРІвЂ¦"
            )
            .as_deref(),
            Some("Російська Федерація — «ТАСС» повідомив…")
        );
        assert_eq!(fix("РЃР»РєР° Рё С‘Р¶").as_deref(), Some("Ёлка и ёж"));
        assert_eq!(fix("ТђР°РЅРѕРє").as_deref(), Some("Ґанок"));
        assert_eq!(
            fix("COVID-19: РЈРєСЂР°С—РЅР° 2024").as_deref(),
            Some("COVID-19: Україна 2024")
        );
    }

    #[test]
    fn central_european_read_as_windows_1250_is_repaired() {
        assert_eq!(
            fix("ZaĹĽĂłĹ‚Ä‡ gÄ™Ĺ›lÄ… jaĹşĹ„").as_deref(),
            Some("Zażółć gęślą jaźń")
        );
        assert_eq!(fix("byĹ‚ i bÄ™dzie").as_deref(), Some("był i będzie"));
    }

    #[test]
    fn text_decoded_correctly_is_left_alone() {
        for s in [
            "Україна",
            "ТАСС» сообщил",
            "«ТАСС» сообщил, что Р. Иванов в Рязани",
            "Р°",
            "Россия и Сѓ",
            "Äpfel, Ärger und Öl",
            "Ĺubica z Ľubochne",
            "Ă la carte, byĹ‚",
            "Zażółć gęślą jaźń",
            "Příliš žluťoučký kůň",
            "Ärzte — «Ä» und Ä…",
            "SELKÄ\u{a0}EDELLÄ\u{a0}MAAHAN via @YouTube",
        ] {
            assert_eq!(fix(s), None, "{s}");
        }
    }
}
