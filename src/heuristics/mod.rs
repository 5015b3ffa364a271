//! Heuristics: detectors that judge lines by their shape and place in the document, for debris
//! no rule names. They run after the rules, on lines already normalized, and only ever drop
//! lines that are still kept. Each has an id (`heuristic/…`) that appears in verdicts and can be
//! selected or ignored like a rule; thresholds live in `rules/heuristics/settings.toml`.
//!
//! The anchor is the *prose line*: long enough and ending like a sentence. Heuristics never drop
//! prose lines, and they decide only from prose lines and the line itself, so cleaning cleaned
//! text changes nothing.

mod settings;

use std::collections::HashSet;
use std::sync::Arc;

pub use settings::Settings;

use crate::doc::Line;
use crate::fold::{fold, is_unspaced_script};

/// Every heuristic: id and description.
pub const IDS: &[(&str, &str)] = &[
    (
        DUPLICATE_LINE,
        "A heading-like line that repeats an earlier line verbatim: a duplicated title or \
         author name.",
    ),
    (
        HEADER_ZONE,
        "A short line before the first prose paragraph: section labels, tags, counters, \
         menus.",
    ),
    (
        FOOTER_ZONE,
        "A line after the last prose paragraph that is not prose: author boxes, tag rows, \
         link lists.",
    ),
    (
        INLINE_TEASER,
        "A headline inside the article that shares few words with the article's prose: a link \
         to another article.",
    ),
];

const DUPLICATE_LINE: &str = "heuristic/duplicate-line";
const HEADER_ZONE: &str = "heuristic/header-zone";
const FOOTER_ZONE: &str = "heuristic/footer-zone";
const INLINE_TEASER: &str = "heuristic/inline-teaser";

/// The description of heuristic `id`.
pub fn description(id: &str) -> Option<&'static str> {
    IDS.iter().find(|(i, _)| *i == id).map(|(_, d)| *d)
}

/// The selected heuristics with their ids ready to attach to verdicts.
#[derive(Debug)]
pub(crate) struct Heuristics {
    settings: Settings,
    duplicate_line: Option<Arc<str>>,
    header_zone: Option<Arc<str>>,
    footer_zone: Option<Arc<str>>,
    inline_teaser: Option<Arc<str>>,
}

/// What the heuristics need to know about a line.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    words: usize,
    chars: usize,
    /// Ends like a sentence (closing quotes and brackets aside).
    terminal: bool,
    /// Ends with a full stop (closing quotes and brackets aside).
    full_stop: bool,
    /// Ends with a colon: a label introducing what follows.
    colon: bool,
    /// Starts with a list bullet.
    bullet: bool,
    letters: bool,
}

fn shape(text: &str, settings: &Settings) -> Shape {
    let mut words = 0;
    let mut unspaced = 0;
    let mut chars = 0;
    let mut letters = false;
    let mut in_word = false;
    for c in text.chars() {
        chars += 1;
        if c.is_whitespace() {
            in_word = false;
        } else {
            if !in_word {
                words += 1;
                in_word = true;
            }
            if c.is_alphabetic() {
                letters = true;
                if is_unspaced_script(c) {
                    unspaced += 1;
                }
            }
        }
    }
    // Two characters of an unspaced script count as about one word.
    words = words.max(unspaced / 2);
    let core = text.trim_end_matches(['"', '\'', '»', '«', ')', ']', '}', '*']);
    let last = core.chars().next_back();
    Shape {
        words,
        chars,
        terminal: last.is_some_and(|c| settings.prose.terminal.contains(c)),
        full_stop: last == Some('.'),
        colon: text.ends_with(':'),
        bullet: text.starts_with(['•', '-', '*', '–', '—', '·', '▪', '●', '◦', '►', '✓']),
        letters,
    }
}

impl Heuristics {
    pub(crate) fn new(settings: &Settings, enabled: &[&'static str]) -> Heuristics {
        let id = |name: &str| enabled.contains(&name).then(|| Arc::from(name));
        Heuristics {
            settings: settings.clone(),
            duplicate_line: id(DUPLICATE_LINE),
            header_zone: id(HEADER_ZONE),
            footer_zone: id(FOOTER_ZONE),
            inline_teaser: id(INLINE_TEASER),
        }
    }

    /// Runs the selected heuristics over the lines.
    pub(crate) fn run(&self, lines: &mut [Line<'_>]) {
        let s = &self.settings;
        let shapes: Vec<Shape> = lines.iter().map(|l| shape(&l.text, s)).collect();
        let is_prose = |l: &Line<'_>, sh: &Shape| {
            l.is_kept_text() && sh.words >= s.prose.min_words && sh.terminal
        };

        if let Some(id) = &self.duplicate_line {
            self.duplicate_lines(lines, &shapes, id);
        }

        let prose: Vec<bool> = lines
            .iter()
            .zip(&shapes)
            .map(|(l, sh)| is_prose(l, sh))
            .collect();
        let (Some(first), Some(last)) = (
            prose.iter().position(|&p| p),
            prose.iter().rposition(|&p| p),
        ) else {
            return;
        };

        if let Some(id) = &self.header_zone {
            let reason: Arc<str> = Arc::from(format!(
                "at most {} words, before the first prose paragraph",
                s.header_zone.max_words
            ));
            for (line, sh) in lines[..first].iter_mut().zip(&shapes) {
                if line.is_kept_text()
                    && sh.words <= s.header_zone.max_words
                    && !s.protect.is_match(&line.text)
                {
                    line.drop(id, &reason);
                }
            }
        }
        if let Some(id) = &self.footer_zone {
            let reason: Arc<str> = Arc::from("not prose, after the last prose paragraph");
            for line in &mut lines[last + 1..] {
                if line.is_kept_text() && !s.protect.is_match(&line.text) {
                    line.drop(id, &reason);
                }
            }
        }
        if let Some(id) = &self.inline_teaser {
            self.inline_teasers(lines, &shapes, &prose, first, last, id);
        }
    }

    fn duplicate_lines(&self, lines: &mut [Line<'_>], shapes: &[Shape], id: &Arc<str>) {
        let max = self.settings.duplicate_line.max_chars;
        let mut first_seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, sh) in shapes.iter().enumerate() {
            if !sh.letters {
                continue;
            }
            let text = lines[i].text.to_string();
            match first_seen.get(&text) {
                Some(&j) if lines[i].verdict.is_keep() && sh.chars <= max && !sh.full_stop => {
                    let reason: Arc<str> = Arc::from(format!("repeats line {}", lines[j].number));
                    lines[i].drop(id, &reason);
                }
                Some(_) => {}
                None => {
                    first_seen.insert(text, i);
                }
            }
        }
    }

    fn inline_teasers(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        first: usize,
        last: usize,
        id: &Arc<str>,
    ) {
        let t = &self.settings.inline_teaser;
        let candidate = |l: &Line<'_>, sh: &Shape| {
            l.is_kept_text()
                && !sh.terminal
                && !sh.colon
                && !sh.bullet
                && (t.min_words..=t.max_words).contains(&sh.words)
        };
        let mut vocab: Option<HashSet<String>> = None;
        for i in first + 1..last {
            if !candidate(&lines[i], &shapes[i]) || self.settings.protect.is_match(&lines[i].text) {
                continue;
            }
            let words = content_words(&lines[i].text, t.content_word_chars);
            if words.len() < t.min_content_words {
                continue;
            }
            let vocab = vocab.get_or_insert_with(|| {
                lines
                    .iter()
                    .zip(prose)
                    .filter(|(_, p)| **p)
                    .flat_map(|(l, _)| content_words(&l.text, t.content_word_chars))
                    .collect()
            });
            let shared = words.iter().filter(|w| vocab.contains(*w)).count();
            if (shared as f64) < t.min_shared * words.len() as f64 {
                let reason: Arc<str> = Arc::from(format!(
                    "headline inside the article; {shared} of its {} content words occur in \
                     the article's prose",
                    words.len()
                ));
                lines[i].drop(id, &reason);
            }
        }
    }
}

/// The distinct folded words of `text` with at least `min_chars` characters.
fn content_words(text: &str, min_chars: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() >= min_chars {
            let f = fold(w);
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = Settings::builtin();
        let sh = shape("He said \"no.\"", &s);
        assert!(sh.terminal && sh.full_stop && sh.words == 3);
        let sh = shape("Background:", &s);
        assert!(sh.colon && !sh.terminal);
        let sh = shape("这是一个很长的中文句子没有空格。", &s);
        assert!(sh.words >= 7 && sh.terminal);
    }

    #[test]
    fn content_words_split_possessives() {
        assert_eq!(
            content_words("Russia's use of troops", 4),
            ["russia", "troops"]
        );
    }
}
