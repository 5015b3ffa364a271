//! The document model: a text as lines, each carrying a verdict.
//!
//! `split` turns decoded text into [`Line`]s (CRLF, lone CR, the Unicode line and paragraph
//! separators and a missing final newline are handled once, here) and lifts a leading metadata header off the first line. The stages in
//! `pipeline` and `heuristics` only change verdicts and line texts; [`render`] writes the kept
//! lines back out. Reports read the verdicts; nothing re-parses the text.

pub(crate) mod shape;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// What the pipeline decided about one line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    /// The line stays in the output.
    #[default]
    Keep,
    /// The line was removed.
    Drop(Dropped),
}

/// Who removed a line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The id of the rule (`nav/menu-item`) or heuristic (`heuristic/footer-zone`).
    pub by: Arc<str>,
    /// A short explanation for people.
    pub reason: Arc<str>,
    /// The number of the first line of the drop this line belongs to: the line itself, or
    /// the marker of a cut tail, the start of a block or of a run. Lines with the same `by`
    /// and `event` were dropped by one hit of the rule.
    pub event: usize,
}

impl Verdict {
    /// True when the line is kept.
    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep)
    }

    /// The drop record, if the line was dropped.
    pub fn dropped(&self) -> Option<&Dropped> {
        match self {
            Verdict::Keep => None,
            Verdict::Drop(d) => Some(d),
        }
    }
}

/// One line of a document.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number in the input.
    pub number: usize,
    /// Byte range of the original line in the decoded input, without its line terminator (for
    /// the first line, without a lifted header).
    pub span: Range<usize>,
    /// The line's current text: normalized, and with spans stripped by rules.
    pub text: Cow<'a, str>,
    /// Kept, or dropped by which rule and why.
    pub verdict: Verdict,
    /// Ids of the rules and normalizers that changed the text, in the order they ran.
    pub edits: Vec<Arc<str>>,
}

impl Line<'_> {
    /// True when the line is kept and holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        // A visible ASCII character at either end settles it without a scan: normalized
        // lines are trimmed, so nearly every line has one.
        match (self.text.as_bytes().first(), self.text.as_bytes().last()) {
            (None, _) => true,
            (Some(f), Some(l)) if f.is_ascii_graphic() || l.is_ascii_graphic() => false,
            _ => self.text.trim().is_empty(),
        }
    }

    /// True when the line is kept and has visible text.
    pub fn is_kept_text(&self) -> bool {
        self.verdict.is_keep() && !self.is_blank()
    }

    pub(crate) fn drop(&mut self, by: &Arc<str>, reason: &Arc<str>) {
        let event = self.number;
        self.drop_in(by, reason, event);
    }

    /// Drops the line as part of a hit that started at line `event`.
    pub(crate) fn drop_in(&mut self, by: &Arc<str>, reason: &Arc<str>, event: usize) {
        self.verdict = Verdict::Drop(Dropped {
            by: Arc::clone(by),
            reason: Arc::clone(reason),
            event,
        });
    }
}

/// The next line break in `bytes`: its offset and length. Breaks are LF, CRLF, a lone CR, and
/// the Unicode line and paragraph separators (U+2028, U+2029).
pub(crate) fn next_break(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = memchr::memchr3(b'\n', b'\r', 0xE2, &bytes[from..]) {
        let i = from + i;
        match bytes[i] {
            b'\n' => return Some((i, 1)),
            b'\r' => {
                return Some((
                    i,
                    if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    },
                ));
            }
            _ if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                return Some((i, 3));
            }
            _ => from = i + 1,
        }
    }
    None
}

/// The header keys recognised on the first line: `date 2025-04-28 …` and the like, written by
/// scrapers in front of the page text.
const HEADER_KEYS: &[&str] = &[
    "date",
    "published",
    "updated",
    "modified",
    "crawled",
    "fetched",
    "timestamp",
];

/// Splits decoded text into a header (if the first line starts with one) and lines.
pub fn split(text: &str) -> (Option<Cow<'_, str>>, Vec<Line<'_>>) {
    split_part(text, 0..text.len(), 1)
}

/// Splits the part `range` of `text` (one document of several) as [`split`] splits a whole
/// text: its lines are numbered from `first_number`, and their spans are offsets in `text`.
pub(crate) fn split_part(
    text: &str,
    range: Range<usize>,
    first_number: usize,
) -> (Option<Cow<'_, str>>, Vec<Line<'_>>) {
    let bytes = &text.as_bytes()[..range.end];
    let mut lines =
        Vec::with_capacity(memchr::memchr_iter(b'\n', &bytes[range.start..]).count() + 1);
    let mut start = range.start;
    let mut number = first_number;
    while start < bytes.len() {
        let (end, next) = match next_break(&bytes[start..]) {
            Some((i, len)) => (start + i, start + i + len),
            None => (bytes.len(), bytes.len()),
        };
        lines.push(Line {
            number,
            span: start..end,
            text: Cow::Borrowed(&text[start..end]),
            verdict: Verdict::Keep,
            edits: Vec::new(),
        });
        number += 1;
        start = next;
    }
    let header = match lines.first_mut() {
        Some(first) => lift_header(text, first),
        None => None,
    };
    (header, lines)
}

/// If `line` starts with `KEY YYYY-MM-DD…`, takes that off the line and returns it with single
/// spacing. The rest of the line stays as the line's text.
fn lift_header<'a>(text: &'a str, line: &mut Line<'a>) -> Option<Cow<'a, str>> {
    let raw = &text[line.span.clone()];
    let lead = raw.len() - raw.trim_start().len();
    let s = &raw[lead..];
    let h = parse_header(s)?;
    let header = if h.value_start == h.key_len + 1 && s.as_bytes()[h.key_len] == b' ' {
        Cow::Borrowed(&s[..h.value_end])
    } else {
        Cow::Owned(h.header(s))
    };
    line.span = line.span.start + lead + h.rest_start..line.span.end;
    line.text = Cow::Borrowed(&text[line.span.clone()]);
    Some(header)
}

/// Lifts a header off the first line's normalized text, when the raw line did not show one
/// (a control character or an entity before it, say): cleaning the output would find it there.
/// The line's span stays the whole raw line.
pub(crate) fn lift_normalized_header<'a>(line: &mut Line<'a>) -> Option<Cow<'a, str>> {
    let (header, rest) = {
        let s = line.text.as_ref();
        let h = parse_header(s)?;
        (h.header(s), h.rest_start)
    };
    line.text = match std::mem::take(&mut line.text) {
        Cow::Borrowed(b) => Cow::Borrowed(&b[rest..]),
        Cow::Owned(o) => Cow::Owned(o[rest..].to_string()),
    };
    Some(Cow::Owned(header))
}

/// Where the parts of a header line are, in a line that starts with its key.
struct HeaderParts {
    key_len: usize,
    value_start: usize,
    value_end: usize,
    /// Where the rest of the line starts, white space after the value skipped.
    rest_start: usize,
}

impl HeaderParts {
    /// The header with single spacing.
    fn header(&self, s: &str) -> String {
        format!(
            "{} {}",
            &s[..self.key_len],
            &s[self.value_start..self.value_end]
        )
    }
}

/// `KEY YYYY-MM-DD…` at the start of `s`.
fn parse_header(s: &str) -> Option<HeaderParts> {
    let key_len = s.bytes().take_while(u8::is_ascii_lowercase).count();
    if !HEADER_KEYS.contains(&&s[..key_len]) {
        return None;
    }
    let after_key = &s[key_len..];
    let gap = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
    if gap == 0 {
        return None;
    }
    let value_start = key_len + gap;
    let value_len = s[value_start..]
        .find(|c: char| c.is_whitespace())
        .unwrap_or(s.len() - value_start);
    let value_end = value_start + value_len;
    if !is_iso_date_token(&s[value_start..value_end]) {
        return None;
    }
    let rest = &s[value_end..];
    Some(HeaderParts {
        key_len,
        value_start,
        value_end,
        rest_start: value_end + (rest.len() - rest.trim_start().len()),
    })
}

/// `2025-04-28`, optionally followed by a time and zone (`T10:00:00Z`, `T10:00+02:00`).
fn is_iso_date_token(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 10 {
        return false;
    }
    let date_ok = b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    date_ok
        && (b.len() == 10
            || (b[10] == b'T'
                && b[11..]
                    .iter()
                    .all(|c| c.is_ascii_digit() || b":+-.Z".contains(c))))
}

/// For each line, the text [`render`] writes for it: `Some("")` for the one blank line kept
/// of a run, `None` for a line left out (dropped, or a blank line collapsed away).
pub fn rendered_lines<'l>(lines: &'l [Line<'_>]) -> Vec<Option<&'l str>> {
    shown(lines)
        .into_iter()
        .zip(lines)
        .map(|(s, l)| match (s, l.is_blank()) {
            (false, _) => None,
            (true, true) => Some(""),
            (true, false) => Some(l.text.as_ref()),
        })
        .collect()
}

/// For each line, whether the output shows it: kept lines with text, and of each run of kept
/// blank lines between two of them, the first.
pub(crate) fn shown(lines: &[Line<'_>]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut any = false;
    let mut pending: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if !line.verdict.is_keep() {
            continue;
        }
        if line.is_blank() {
            if any && pending.is_none() {
                pending = Some(i);
            }
            continue;
        }
        if let Some(b) = pending.take() {
            out[b] = true;
        }
        out[i] = true;
        any = true;
    }
    out
}

/// Writes the header and the kept lines: runs of blank lines collapse to one, no blank line
/// at the start (or right after the header) or at the end, exactly one final newline. An empty
/// result is the empty string.
pub fn render(header: Option<&str>, lines: &[Line<'_>], capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    if let Some(h) = header {
        out.push_str(h);
        out.push('\n');
    }
    let mut any = false;
    let mut blank_pending = false;
    for line in lines.iter().filter(|l| l.verdict.is_keep()) {
        if line.is_blank() {
            blank_pending = any;
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        out.push_str(&line.text);
        out.push('\n');
        any = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(lines: &'a [Line<'_>]) -> Vec<&'a str> {
        lines.iter().map(|l| l.text.as_ref()).collect()
    }

    #[test]
    fn splits_all_line_endings() {
        let (_, lines) = split("a\r\nb\rc\nd");
        assert_eq!(texts(&lines), ["a", "b", "c", "d"]);
        assert_eq!(lines[3].number, 4);
        assert_eq!(lines[1].span, 3..4);
        let (_, lines) = split("a\n\n");
        assert_eq!(texts(&lines), ["a", ""]);
        assert!(split("").1.is_empty());
    }

    #[test]
    fn unicode_line_and_paragraph_separators_break_lines() {
        let (_, lines) = split("a\u{2028}b\u{2029}c’d");
        assert_eq!(texts(&lines), ["a", "b", "c’d"]);
    }

    #[test]
    fn lifts_header() {
        let (h, lines) = split(" date 2025-04-28 North Korea admitted\nx");
        assert_eq!(h.as_deref(), Some("date 2025-04-28"));
        assert_eq!(lines[0].text, "North Korea admitted");
        assert_eq!(lines[0].span, 17..37);
        let (h, lines) = split("date  2025-04-28T10:00:00Z");
        assert_eq!(h.as_deref(), Some("date 2025-04-28T10:00:00Z"));
        assert_eq!(lines[0].text, "");
    }

    #[test]
    fn no_header_without_key_and_date() {
        for t in [
            "dated 2025-04-28 x",
            "date of birth",
            "on 2025-04-28 the board met",
            "date 2025-4-28",
        ] {
            assert_eq!(split(t).0, None, "{t}");
        }
    }

    #[test]
    fn rendered_lines_agree_with_render() {
        let (h, mut lines) = split("\nA\n\n\nB\nC\n\n");
        lines[4].verdict = Verdict::Drop(Dropped {
            by: "x/y".into(),
            reason: "r".into(),
            event: 5,
        });
        let map = rendered_lines(&lines);
        assert_eq!(
            map,
            [None, Some("A"), Some(""), None, None, Some("C"), None]
        );
        let joined: String = map.iter().flatten().map(|l| format!("{l}\n")).collect();
        assert_eq!(joined, render(h.as_deref(), &lines, 0));
    }

    #[test]
    fn renders_collapsed_blanks_and_one_newline() {
        let (h, mut lines) = split("date 2025-04-28\n\n\nA\n\n\n\nB\n\n");
        assert_eq!(render(h.as_deref(), &lines, 0), "date 2025-04-28\nA\n\nB\n");
        lines[3].verdict = Verdict::Drop(Dropped {
            by: "x/y".into(),
            reason: "r".into(),
            event: 4,
        });
        assert_eq!(render(None, &lines, 0), "B\n");
        assert_eq!(render(None, &[], 0), "");
    }
}
