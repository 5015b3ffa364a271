//! HTML character references left in text: `&amp;`, `&nbsp;`, `&eacute;`, `&#8217;`, `&#x2019;`.
//!
//! Only complete references are decoded: a name or a number between `&` and `;`. Names come from
//! the full HTML list (case-sensitive, as in HTML), plus all-capital spellings of lower-case
//! names (`&EACUTE;` → `É`), which shouting databases produce. Without the `;` nothing is decoded,
//! so prose such as `AT&T`, `R&D` or `this &not that` stays as written; unknown names stay too.
//!
//! Numbers follow the HTML rules where they are certain: 128–159 mean the Windows-1252
//! characters (`&#146;` → `’`); a line feed, form feed or carriage return becomes a space, so a
//! line stays one line. References that name no usable character (zero, surrogates, numbers
//! past U+10FFFF, other C0 controls, noncharacters) are left as they are.
//!
//! Double escaping is undone in the same pass: `&amp;quot;` and `&amp;amp;lt;` each count as
//! one reference and decode to `"` and `<`.

use super::Repairs;
use super::entity_table::ENTITIES;
use super::mojibake::cp1252_high;

/// Longest name in the table (`CounterClockwiseContourIntegral`).
const MAX_NAME: usize = 31;

/// `s` with its HTML character references decoded, or `None` when it has none that decode.
/// Adds one to `counts.entities` per reference decoded.
///
/// ```
/// use thresh::repair::{Repairs, decode_entities};
///
/// let mut counts = Repairs::default();
/// let out = decode_entities("Tom &amp; Jerry&#8217;s &eacute;t&eacute;", &mut counts);
/// assert_eq!(out.as_deref(), Some("Tom & Jerry’s été"));
/// assert_eq!(counts.entities, 4);
/// assert_eq!(decode_entities("AT&T and R&D", &mut counts), None);
/// ```
pub fn decode_entities(s: &str, counts: &mut Repairs) -> Option<String> {
    let first = memchr::memchr(b'&', s.as_bytes())?;
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `s` already in `out`
    let mut i = first; // always at a `&`
    loop {
        let next_from = match reference_at(s, i) {
            Some((value, end)) => {
                let (value, end) = undo_double_escape(s, value, end);
                let buf = out.get_or_insert_with(|| String::with_capacity(s.len()));
                buf.push_str(&s[copied..i]);
                value.push_to(buf);
                counts.entities += 1;
                copied = end;
                end
            }
            None => i + 1,
        };
        match memchr::memchr(b'&', &s.as_bytes()[next_from..]) {
            Some(k) => i = next_from + k,
            None => break,
        }
    }
    let mut buf = out?;
    buf.push_str(&s[copied..]);
    Some(buf)
}

/// What a reference decodes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Char(char),
    Str(&'static str),
    /// A single-character named value in upper case (`&EACUTE;`).
    Upper(char),
}

impl Value {
    fn push_to(self, out: &mut String) {
        match self {
            Value::Char(c) => out.push(c),
            Value::Str(v) => {
                for c in v.chars() {
                    out.push(line_safe(c));
                }
            }
            Value::Upper(c) => out.extend(c.to_uppercase()),
        }
    }

    fn is_ampersand(self) -> bool {
        matches!(self, Value::Char('&') | Value::Str("&"))
    }
}

/// `&amp;` directly followed by the rest of another reference (`&amp;quot;`) is a reference
/// escaped twice: decode the inner one instead, as often as it repeats.
fn undo_double_escape(s: &str, mut value: Value, mut end: usize) -> (Value, usize) {
    while value.is_ampersand() && s[..end].ends_with("amp;") {
        // Pretend the decoded `&` stands just before `end` and read a reference from there.
        let Some((inner, inner_end)) = reference_body(s, end) else {
            break;
        };
        value = inner;
        end = inner_end;
    }
    (value, end)
}

/// The reference starting at `s[i] == '&'`: its value and the byte just past its `;`.
fn reference_at(s: &str, i: usize) -> Option<(Value, usize)> {
    debug_assert_eq!(s.as_bytes()[i], b'&');
    reference_body(s, i + 1)
}

/// A reference body (`name;`, `#123;`, `#x7B;`) starting at byte `start`.
fn reference_body(s: &str, start: usize) -> Option<(Value, usize)> {
    let b = s.as_bytes();
    if b.get(start) == Some(&b'#') {
        return numeric(b, start + 1);
    }
    let len = b[start..]
        .iter()
        .take(MAX_NAME + 1)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if len == 0 || len > MAX_NAME || b.get(start + len) != Some(&b';') {
        return None;
    }
    let name = &s[start..start + len];
    Some((named(name)?, start + len + 1))
}

/// A named reference, exact or in all capitals.
fn named(name: &str) -> Option<Value> {
    if let Some(v) = lookup(name) {
        return Some(Value::Str(v));
    }
    // `&EACUTE;` for `&eacute;`: only names that are all lower case in HTML, and only when their
    // value is one character, so the upper-case form is unambiguous.
    if name.bytes().any(|c| c.is_ascii_lowercase()) || !name.bytes().any(|c| c.is_ascii_uppercase())
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let v = lookup(&lower)?;
    let mut chars = v.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(Value::Upper(line_safe(c))),
        _ => None,
    }
}

fn lookup(name: &str) -> Option<&'static str> {
    ENTITIES
        .binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
        .ok()
        .map(|k| ENTITIES[k].1)
}

/// `&#NNN;` or `&#xHHH;` with `start` just past the `#`.
fn numeric(b: &[u8], start: usize) -> Option<(Value, usize)> {
    let (radix, digits_at) = match b.get(start) {
        Some(b'x' | b'X') => (16, start + 1),
        _ => (10, start),
    };
    let len = b[digits_at..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || (radix == 16 && c.is_ascii_hexdigit()))
        .count();
    if len == 0 || b.get(digits_at + len) != Some(&b';') {
        return None;
    }
    let digits = &b[digits_at..digits_at + len];
    let significant = digits.iter().skip_while(|&&d| d == b'0').count();
    if significant > 7 {
        return None; // far past U+10FFFF
    }
    let text = std::str::from_utf8(digits).ok()?;
    let n = u32::from_str_radix(text, radix).ok()?;
    let c = numeric_char(n)?;
    Some((Value::Char(c), digits_at + len + 1))
}

/// The character a numeric reference stands for, or `None` to leave the reference as written.
fn numeric_char(n: u32) -> Option<char> {
    match n {
        0x09 => Some('\t'),
        0x0A | 0x0C | 0x0D => Some(' '),
        0x00..=0x1F | 0x7F => None,
        0x80..=0x9F => Some(cp1252_high(n as u8).unwrap_or(char::from_u32(n)?)),
        0xFDD0..=0xFDEF => None,
        n if n & 0xFFFE == 0xFFFE => None,
        n => char::from_u32(n), // None for surrogates and past U+10FFFF
    }
}

/// Line breaks in a value (`&NewLine;`) become spaces: a line stays one line.
fn line_safe(c: char) -> char {
    if matches!(c, '\n' | '\r' | '\u{0C}') {
        ' '
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Option<String> {
        decode_entities(s, &mut Repairs::default())
    }

    fn same(s: &str) {
        assert_eq!(dec(s), None, "{s:?} must stay");
    }

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(ENTITIES.len(), 2125);
        assert!(ENTITIES.iter().all(|(n, _)| n.len() <= MAX_NAME));
        assert_eq!(lookup("nbsp"), Some("\u{a0}"));
        assert_eq!(lookup("CounterClockwiseContourIntegral"), Some("∳"));
    }

    #[test]
    fn common_named_references() {
        assert_eq!(dec("a &amp; b").as_deref(), Some("a & b"));
        assert_eq!(dec("a&nbsp;b").as_deref(), Some("a\u{a0}b"));
        assert_eq!(dec("&quot;hi&quot;").as_deref(), Some("\"hi\""));
        assert_eq!(dec("&lt;p&gt;").as_deref(), Some("<p>"));
        assert_eq!(dec("caf&eacute;").as_deref(), Some("café"));
        assert_eq!(dec("&apos;").as_deref(), Some("'"));
        assert_eq!(
            dec("&copy; 2024 &mdash; &hellip;").as_deref(),
            Some("© 2024 — …")
        );
        assert_eq!(dec("&laquo;x&raquo;").as_deref(), Some("«x»"));
        assert_eq!(dec("&euro;5").as_deref(), Some("€5"));
        assert_eq!(dec("jednocze&sacute;nie").as_deref(), Some("jednocześnie"));
        assert_eq!(dec("&rsquo;&lsquo;&rdquo;&ldquo;").as_deref(), Some("’‘”“"));
    }

    #[test]
    fn numeric_references() {
        assert_eq!(dec("it&#8217;s").as_deref(), Some("it’s"));
        assert_eq!(dec("it&#x2019;s").as_deref(), Some("it’s"));
        assert_eq!(dec("it&#X2019;s").as_deref(), Some("it’s"));
        assert_eq!(dec("&#0000065;").as_deref(), Some("A"));
        assert_eq!(dec("&#128512;").as_deref(), Some("😀"));
        assert_eq!(dec("&#x1F600;").as_deref(), Some("😀"));
        // 128..159 are Windows-1252, as in HTML.
        assert_eq!(dec("&#146;").as_deref(), Some("’"));
        assert_eq!(dec("euro &#x80;").as_deref(), Some("euro €"));
        assert_eq!(dec("&#x81;").as_deref(), Some("\u{81}"));
        // Line breaks become spaces, tabs stay tabs.
        assert_eq!(dec("a&#10;b&#13;c&#9;d").as_deref(), Some("a b c\td"));
        assert_eq!(dec("a&NewLine;b&Tab;c").as_deref(), Some("a b\tc"));
    }

    #[test]
    fn invalid_numeric_references_stay() {
        same("&#0;");
        same("&#1;");
        same("&#x7f;");
        same("&#xD800;");
        same("&#x110000;");
        same("&#xffffffff;");
        same("&#99999999999999999999;");
        same("&#xFFFF;");
        same("&#xFDD0;");
        same("&#;");
        same("&#x;");
        same("not an entity &#20x6;");
        same("&#65");
    }

    #[test]
    fn unknown_or_unterminated_names_stay() {
        same("&");
        same("a & b");
        same("AT&T");
        same("R&D;");
        same("this is just informal english &not html");
        same("&nosuchentity;");
        same("&amp");
        same("&;");
        same("& amp;");
        same("&nTILDE;");
        same("&ThisNameIsFarTooLongToBeAnyEntityAtAll;");
        same("Q&A: &&&");
    }

    #[test]
    fn all_capital_names() {
        assert_eq!(dec("P&EACUTE;REZ").as_deref(), Some("PÉREZ"));
        assert_eq!(dec("EURO &EURO;").as_deref(), Some("EURO €"));
        assert_eq!(dec("V&SCARON;ICHNI").as_deref(), Some("VŠICHNI"));
        assert_eq!(dec("BUNDESSTRA&SZLIG;E").as_deref(), Some("BUNDESSTRASSE"));
        assert_eq!(
            dec("&ntilde; &Ntilde; &NTILDE; &nTILDE;").as_deref(),
            Some("ñ Ñ Ñ &nTILDE;")
        );
        // Upper-case names that HTML defines keep their own meaning.
        assert_eq!(dec("&AMP;&LT;&GT;&QUOT;&COPY;").as_deref(), Some("&<>\"©"));
    }

    #[test]
    fn double_escaping_is_undone_once_per_reference() {
        let mut c = Repairs::default();
        assert_eq!(
            decode_entities("&amp;amp;amp; and &amp;quot;x&amp;quot;", &mut c).as_deref(),
            Some("& and \"x\"")
        );
        assert_eq!(c.entities, 3);
        assert_eq!(dec("&amp;lt;p&amp;gt;").as_deref(), Some("<p>"));
        assert_eq!(dec("&amp;#8217;").as_deref(), Some("’"));
        // `&amp;` followed by something that is no reference decodes alone.
        assert_eq!(dec("&amp;foo;").as_deref(), Some("&foo;"));
        assert_eq!(dec("&amp;nbsp").as_deref(), Some("&nbsp"));
    }

    #[test]
    fn counts_and_mixed_text() {
        let mut c = Repairs::default();
        let out = decode_entities("x &lt; y &amp;&amp; AT&T &copy;", &mut c);
        assert_eq!(out.as_deref(), Some("x < y && AT&T ©"));
        assert_eq!(c.entities, 4);
        assert_eq!(dec("ünïcödé &amp; ✓").as_deref(), Some("ünïcödé & ✓"));
        same("ünïcödé & ✓");
        same("");
    }
}
