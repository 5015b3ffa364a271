//! HTML tags left in text: `<p>`, `</div>`, `<br/>`, `<a href="...">`, `<!-- comments -->`.
//!
//! Off by default. A tag is removed only when it is certainly one: `<`, an optional `/`, the
//! name of an HTML element (`p`, `div`, `a`, `span`, `h2`, ... in any case), then attributes
//! that are well formed (`name="value"`, `name='value'`, `name=value`, or a known boolean
//! attribute such as `hidden`), an optional `/`, and `>` on the same line. So prose such as
//! `a < b and c > d`, `x<y`, `<3`, `Press <Enter>` or `if a<b and c>d` stays.
//!
//! Elements that break a line (`br`, `p`, `div`, `li`, `td`, headings, ...) leave a space
//! where they stood between two non-space characters (`one<br>two` → `one two`); inline
//! elements (`a`, `b`, `span`, ...) leave nothing (`<b>bold</b>` → `bold`). Runs of white space
//! this leaves are for white-space normalization. The content of `<script>` and `<style>` is
//! removed with them when the closing tag is on the same line.
//!
//! This function strips literal markup only. [`repair_line`](super::repair_line) repeats its
//! steps until nothing changes, so there markup written with character references
//! (`&lt;b&gt;`) or in full-width forms (`＜b＞`) is decoded or unfolded in one round and
//! stripped in the next: with tags on, markup goes however it is written, and cleaning the
//! result again strips nothing more.

use super::Repairs;

/// HTML elements, sorted; the `bool` is true for elements that break a line.
const ELEMENTS: &[(&str, bool)] = &[
    ("a", false),
    ("abbr", false),
    ("address", true),
    ("article", true),
    ("aside", true),
    ("audio", false),
    ("b", false),
    ("bdi", false),
    ("bdo", false),
    ("big", false),
    ("blockquote", true),
    ("body", true),
    ("br", true),
    ("button", false),
    ("caption", true),
    ("center", true),
    ("cite", false),
    ("code", false),
    ("col", false),
    ("colgroup", false),
    ("dd", true),
    ("del", false),
    ("details", true),
    ("dfn", false),
    ("div", true),
    ("dl", true),
    ("dt", true),
    ("em", false),
    ("embed", false),
    ("figcaption", true),
    ("figure", true),
    ("font", false),
    ("footer", true),
    ("form", true),
    ("h1", true),
    ("h2", true),
    ("h3", true),
    ("h4", true),
    ("h5", true),
    ("h6", true),
    ("head", true),
    ("header", true),
    ("hr", true),
    ("html", true),
    ("i", false),
    ("iframe", true),
    ("img", false),
    ("input", false),
    ("ins", false),
    ("kbd", false),
    ("label", false),
    ("legend", true),
    ("li", true),
    ("link", false),
    ("main", true),
    ("mark", false),
    ("meta", false),
    ("nav", true),
    ("noscript", false),
    ("object", false),
    ("ol", true),
    ("option", true),
    ("p", true),
    ("picture", false),
    ("pre", true),
    ("q", false),
    ("s", false),
    ("samp", false),
    ("script", true),
    ("section", true),
    ("select", false),
    ("small", false),
    ("source", false),
    ("span", false),
    ("strike", false),
    ("strong", false),
    ("style", true),
    ("sub", false),
    ("summary", true),
    ("sup", false),
    ("table", true),
    ("tbody", true),
    ("td", true),
    ("textarea", false),
    ("tfoot", true),
    ("th", true),
    ("thead", true),
    ("time", false),
    ("title", true),
    ("tr", true),
    ("tt", false),
    ("u", false),
    ("ul", true),
    ("var", false),
    ("video", false),
    ("wbr", false),
];

/// Boolean attributes accepted without a value.
const BOOLEAN_ATTRIBUTES: &[&str] = &[
    "allowfullscreen",
    "async",
    "autofocus",
    "autoplay",
    "checked",
    "controls",
    "default",
    "defer",
    "disabled",
    "hidden",
    "itemscope",
    "loop",
    "multiple",
    "muted",
    "nowrap",
    "open",
    "readonly",
    "required",
    "reversed",
    "selected",
];

/// `s` without the HTML tags and comments in it, or `None` when it has none. Adds one to
/// `counts.tags` per tag or comment removed.
///
/// ```
/// use thresh::repair::{Repairs, strip_tags};
///
/// let mut counts = Repairs::default();
/// let out = strip_tags(r#"<p>Read <a href="/x">more</a><br/>now</p>"#, &mut counts);
/// assert_eq!(out.as_deref(), Some("Read more now"));
/// assert_eq!(counts.tags, 5);
/// assert_eq!(strip_tags("a < b and c > d", &mut counts), None);
/// ```
pub fn strip_tags(s: &str, counts: &mut Repairs) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut n = 0;
    let mut search = 0;
    while let Some(k) = memchr::memchr(b'<', &b[search..]) {
        let i = search + k;
        let Some(tag) = tag_at(b, i) else {
            search = i + 1;
            continue;
        };
        let end = match tag.raw_text {
            Some(name) => closing_tag(b, tag.end, name).unwrap_or(tag.end),
            None => tag.end,
        };
        let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
        o.push_str(&s[copied..i]);
        let left = o.chars().next_back();
        let right = s[end..].chars().next();
        if tag.breaks
            && left.is_some_and(|c| !c.is_whitespace())
            && right.is_some_and(|c| !c.is_whitespace() && c != '<')
        {
            o.push(' ');
        }
        n += 1 + usize::from(end != tag.end);
        copied = end;
        search = end;
    }
    let mut o = out?;
    o.push_str(&s[copied..]);
    counts.tags += n;
    Some(o)
}

/// A tag found at some `<`.
struct Tag {
    /// Byte just past the `>`.
    end: usize,
    /// Whether the element breaks a line.
    breaks: bool,
    /// `script` or `style` start tags, whose content goes with them.
    raw_text: Option<&'static str>,
}

/// The tag or comment starting at `b[i] == b'<'`, if it certainly is one.
fn tag_at(b: &[u8], i: usize) -> Option<Tag> {
    let rest = &b[i + 1..];
    if rest.starts_with(b"!--") {
        let close = memchr::memmem::find(&rest[3..], b"-->")?;
        return Some(Tag {
            end: i + 1 + 3 + close + 3,
            breaks: false,
            raw_text: None,
        });
    }
    let mut p = i + 1;
    let closing = b.get(p) == Some(&b'/');
    if closing {
        p += 1;
    }
    let name_len = b[p..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !b[p].is_ascii_alphabetic() || name_len > 10 {
        return None;
    }
    let name = std::str::from_utf8(&b[p..p + name_len])
        .ok()?
        .to_ascii_lowercase();
    let k = ELEMENTS
        .binary_search_by(|(e, _)| e.cmp(&name.as_str()))
        .ok()?;
    let (element, breaks) = ELEMENTS[k];
    p += name_len;
    let mut attributes = 0;
    loop {
        let ws = skip_space(b, p);
        match b.get(ws) {
            Some(b'>') => {
                p = ws + 1;
                break;
            }
            Some(b'/') if !closing && b.get(ws + 1) == Some(&b'>') => {
                p = ws + 2;
                break;
            }
            Some(_) if ws > p && !closing => {
                p = attribute(b, ws)?;
                attributes += 1;
                if attributes > 64 {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let raw_text = (!closing && matches!(element, "script" | "style")).then_some(element);
    Some(Tag {
        end: p,
        breaks,
        raw_text,
    })
}

/// The byte after the white space at `b[p]`. Any white space counts, not only ASCII: the
/// pipeline makes every kind a space after repair, and what is a tag then must be one now, or
/// the next clean would strip it.
fn skip_space(b: &[u8], mut p: usize) -> usize {
    while let Some(n) = space_at(b, p) {
        p += n;
    }
    p
}

/// The length in bytes of the white-space character starting at `b[p]`, if one does.
fn space_at(b: &[u8], p: usize) -> Option<usize> {
    let len = match *b.get(p)? {
        b' ' | b'\t' => return Some(1),
        0..=0xBF => return None,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let c = std::str::from_utf8(b.get(p..p + len)?)
        .ok()?
        .chars()
        .next()?;
    c.is_whitespace().then_some(len)
}

/// One attribute starting at `b[p]`; the byte after it.
fn attribute(b: &[u8], p: usize) -> Option<usize> {
    let first = *b.get(p)?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b':' || first == b'@') {
        return None;
    }
    let len = b[p..]
        .iter()
        .take_while(|&&c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.' | b'@')
        })
        .count();
    let name = &b[p..p + len];
    let after_name = p + len;
    let eq = skip_space(b, after_name);
    if b.get(eq) != Some(&b'=') {
        let lower = name.to_ascii_lowercase();
        let boolean = BOOLEAN_ATTRIBUTES.contains(&std::str::from_utf8(&lower).ok()?);
        let ends =
            matches!(b.get(after_name), Some(b'>' | b'/')) || space_at(b, after_name).is_some();
        return (boolean && ends).then_some(after_name);
    }
    let v = skip_space(b, eq + 1);
    match b.get(v)? {
        q @ (b'"' | b'\'') => {
            let close = memchr::memchr(*q, &b[v + 1..])?;
            let value = &b[v + 1..v + 1 + close];
            if value.contains(&b'<') {
                return None;
            }
            Some(v + 1 + close + 1)
        }
        _ => {
            // Up to white space (any, as in `skip_space`) or a character a value cannot hold.
            let mut end = v;
            while let Some(&c) = b.get(end) {
                if c.is_ascii_whitespace()
                    || matches!(c, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                    || space_at(b, end).is_some()
                {
                    break;
                }
                end += 1;
            }
            (end > v).then_some(end)
        }
    }
}

/// The byte just past `</name>` (any case) at or after `from`.
fn closing_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memchr::memmem::find(&b[at..], b"</") {
        let p = at + k + 2;
        let candidate = b.get(p..p + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            let close = skip_space(b, p + name.len());
            if b.get(close) == Some(&b'>') {
                return Some(close + 1);
            }
        }
        at = p;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> Option<String> {
        strip_tags(s, &mut Repairs::default())
    }

    #[track_caller]
    fn stripped(s: &str, want: &str) {
        assert_eq!(strip(s).as_deref(), Some(want), "{s:?}");
    }

    #[track_caller]
    fn same(s: &str) {
        assert_eq!(strip(s), None, "{s:?} must stay");
    }

    #[test]
    fn elements_are_sorted() {
        assert!(ELEMENTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(BOOLEAN_ATTRIBUTES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn removes_tags() {
        stripped("<p>Hello</p>", "Hello");
        stripped("one<br>two<br/>three<br />four", "one two three four");
        stripped("<div class=\"x\">text</div>", "text");
        stripped("<a href=\"https://example.com/?a=1&b=2\">link</a>", "link");
        stripped(
            "<a href='x' target=_blank rel=\"noopener noreferrer\">x</a>",
            "x",
        );
        stripped("<B>bold</B> and <EM>em</EM>", "bold and em");
        stripped("<img src=\"a.png\" alt=\"A picture\"/>caption", "caption");
        stripped("<input type=\"checkbox\" checked disabled>", "");
        stripped("<h2 id=\"x\">Title</h2>", "Title");
        stripped("before<!-- a comment -->after", "beforeafter");
        stripped("<span data-id=\"7\" aria-label=\"x\">y</span>", "y");
        stripped("<td>a</td><td>b</td>", "a b");
        stripped("<li>item", "item");
        stripped("x <b>y</b> z", "x y z");
        stripped(
            "<script>var a = 1 < 2;</script>text<style>p{}</style>",
            "text",
        );
        stripped("<p >spaced</p >", "spaced");
    }

    #[test]
    fn counts_tags() {
        let mut c = Repairs::default();
        strip_tags("<p><b>x</b></p><!--c--><script>y</script>", &mut c);
        assert_eq!(c.tags, 7);
    }

    #[test]
    fn prose_survives() {
        for s in [
            "a < b and c > d",
            "a<b and c>d",
            "if x<y then y>x",
            "I <3 you",
            "Press <Enter> to continue",
            "<<quoted>>",
            "x < 10 > 5",
            "<p",
            "<p class=\"unterminated>",
            "<b onclick>",
            "<p and q>",
            "</ p>",
            "<-- arrow",
            "<!-- never closed",
            "email <john@example.com>",
            "<https://example.com>",
            "<br/ >",
            "< p>",
            "",
            "no tags at all",
            "Київ <не тег>",
            "<\u{a0}p>",
        ] {
            same(s);
        }
    }

    #[test]
    fn any_white_space_counts_in_tags() {
        // White-space normalization makes these spaces after repair; what is a tag then must
        // be one now, or the next clean would strip it.
        stripped("<b\u{a0}>x</b\u{2009}>", "x");
        stripped("<input checked\u{a0}disabled\u{3000}>y", "y");
        stripped("<a\u{a0}href\u{a0}=\u{a0}\"x\">z</a>", "z");
        stripped("<script\u{a0}>var a;</script\u{a0}>w", "w");
        stripped("<a href=x\u{a0}target=_blank>v</a>", "v");
    }
}
