//! What every heuristic reads about a document: its lines' shapes, which kept lines are prose,
//! where the article's prose starts and ends, its blocks and its title; and the helpers that
//! drop a line or a run of lines with one reason.

use std::sync::Arc;

use serde::Deserialize;

use super::Settings;
use crate::corpus::CorpusStats;
use crate::doc::Line;
use crate::doc::shape::Shape;

/// How the article's prose splits into blocks: the `[blocks]` table of the settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct BlockSettings {
    /// Short lines between two prose lines that split them into two blocks.
    pub(crate) min_gap: usize,
    /// A sentence start of at least this many words without a stop is prose cut short.
    pub(crate) min_open_sentence_words: usize,
}

/// One document as the heuristics see it at one point of their run.
pub(crate) struct Context<'d> {
    pub(crate) settings: &'d Settings,
    /// The shape of every line.
    pub(crate) shapes: &'d [Shape],
    /// The corpus statistics, in corpus mode.
    pub(crate) corpus: Option<&'d CorpusStats>,
    /// Which lines are prose ([`prose_lines`]).
    pub(crate) prose: Vec<bool>,
    /// The article, when the document has prose; given to the heuristics that run once the
    /// article is known.
    pub(crate) article: Option<Article>,
}

/// The article's anchors: the first and last prose lines, the prose blocks between them and
/// the title.
pub(crate) struct Article {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) blocks: Vec<Block>,
    /// The kept line right before the article's body (bylines and sources aside).
    pub(crate) title: Option<usize>,
    /// The kept line right before the first prose line, when that is a standfirst or a
    /// tagline: a title too.
    pub(crate) lead_title: Option<usize>,
}

/// A run of prose lines with few short lines between them.
pub(crate) struct Block {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) words: usize,
    pub(crate) lines: usize,
}

impl<'d> Context<'d> {
    /// The context of `lines` as they stand: prose computed, the article not yet.
    pub(crate) fn new(
        settings: &'d Settings,
        shapes: &'d [Shape],
        corpus: Option<&'d CorpusStats>,
        lines: &[Line<'_>],
    ) -> Context<'d> {
        let shapes = &shapes[..lines.len()];
        Context {
            settings,
            shapes,
            corpus,
            prose: prose_lines(lines, shapes, settings),
            article: None,
        }
    }

    /// The article of `lines` as they stand, when they hold prose.
    pub(crate) fn find_article(&self, lines: &[Line<'_>]) -> Option<Article> {
        let s = self.settings;
        let first = self.prose.iter().position(|&p| p)?;
        let last = self.prose.iter().rposition(|&p| p)?;
        let blocks = self.prose_blocks(lines, (first, last));
        let title = article_start(&blocks).and_then(|a| title_before(lines, a, s));
        let lead_title = title_before(lines, first, s);
        Some(Article {
            first,
            last,
            blocks,
            title,
            lead_title,
        })
    }

    /// The article found when the context was made (for the heuristics of the article phase).
    pub(crate) fn article(&self) -> &Article {
        self.article
            .as_ref()
            .expect("the article phase runs only on documents with prose")
    }

    /// The prose blocks between the first and the last prose line: prose lines, split where
    /// at least `min-gap` short lines stand between two of them (a menu, a list of links);
    /// lead-ins ending with a colon, the lists under them, bulleted or numbered items, long
    /// sentences that lack only the stop and lines wrapped by hand do not count.
    fn prose_blocks(&self, lines: &[Line<'_>], (first, last): (usize, usize)) -> Vec<Block> {
        let b = &self.settings.blocks;
        let mut blocks: Vec<Block> = Vec::new();
        let mut gap = 0;
        let mut plain_list = false;
        let mut wrapped = false;
        for (i, line) in lines.iter().enumerate().take(last + 1).skip(first) {
            let sh = &self.shapes[i];
            if self.prose[i] {
                match blocks.last_mut() {
                    Some(block) if gap < b.min_gap => {
                        block.end = i;
                        block.words += sh.words;
                        block.lines += 1;
                    }
                    _ => blocks.push(Block {
                        start: i,
                        end: i,
                        words: sh.words,
                        lines: 1,
                    }),
                }
                gap = 0;
                plain_list = false;
            } else if !line.is_kept_text() {
                // A blank line ends a list without bullets.
                plain_list &= !line.verdict.is_keep();
            } else if sh.colon {
                plain_list = true;
            } else if !(plain_list
                || sh.bullet
                || starts_numbered(&line.text)
                || self.open_sentence(sh)
                || (!sh.sentence_start && wrapped))
            {
                gap += 1;
            }
            // A line right under a kept line, starting in lower case, continues a paragraph
            // wrapped by hand.
            wrapped = line.is_kept_text();
        }
        blocks
    }

    /// A long sentence that lacks only its stop (a paragraph cut short by the scrape).
    pub(crate) fn open_sentence(&self, sh: &Shape) -> bool {
        sh.words >= self.settings.blocks.min_open_sentence_words && sh.sentence_start
    }

    /// True when no heuristic may drop this text ([protect] of the settings).
    pub(crate) fn protected(&self, text: &str) -> bool {
        self.settings.protect.is_match(text)
    }
}

/// Drops the kept lines of `lines[from..=to]` as one drop of heuristic `id`: the event whose
/// first line has number `event`.
pub(crate) fn drop_run(
    lines: &mut [Line<'_>],
    (from, to): (usize, usize),
    id: &Arc<str>,
    reason: &Arc<str>,
    event: usize,
) {
    for line in &mut lines[from..=to] {
        if line.is_kept_text() {
            line.drop_in(id, reason, event);
        }
    }
}

/// The first line of the article's body: the start of the first prose block that holds at
/// least half as many words as the largest (a standfirst or a site's tagline before it is
/// smaller).
fn article_start(blocks: &[Block]) -> Option<usize> {
    let most = blocks.iter().map(|b| b.words).max()?;
    blocks.iter().find(|b| 2 * b.words >= most).map(|b| b.start)
}

/// The title before line `at`: the kept line before it, bylines and sources aside.
fn title_before(lines: &[Line<'_>], at: usize, s: &Settings) -> Option<usize> {
    (0..at).rev().find(|&i| {
        let text = lines[i].text.as_ref();
        lines[i].is_kept_text() && !s.protect.is_match(text) && !lower_byline(text)
    })
}

/// "by Jane Doe": a byline that starts in lower case. (Bylines are protected when they start
/// with a capital; in lower case the same words end many a menu entry, so they are only kept
/// out of the title.)
pub(crate) fn lower_byline(text: &str) -> bool {
    text.strip_prefix("by ")
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_uppercase)
}

/// Which kept lines are prose: each prose line, and each line of a paragraph wrapped by hand
/// (lines that start in lower case continue the kept line above them) that is prose as a
/// whole.
fn prose_lines(lines: &[Line<'_>], shapes: &[Shape], s: &Settings) -> Vec<bool> {
    let mut prose: Vec<bool> = lines
        .iter()
        .zip(shapes)
        .map(|(l, sh)| l.is_kept_text() && sh.prose(&s.prose))
        .collect();
    // The kept lines of the paragraph being read, and its words.
    let mut para: Vec<usize> = Vec::new();
    let mut words = 0;
    let close = |para: &mut Vec<usize>, words: usize, prose: &mut [bool]| {
        if let [.., end] = para[..]
            && para.len() > 1
            && words >= s.prose.min_words
            && shapes[end].terminal
        {
            for &i in para.iter() {
                prose[i] = true;
            }
        }
        para.clear();
    };
    for (i, (line, sh)) in lines.iter().zip(shapes).enumerate() {
        if !line.verdict.is_keep() {
            continue;
        }
        let continues = !para.is_empty()
            && !line.is_blank()
            && line.text.chars().next().is_some_and(char::is_lowercase);
        if !continues {
            close(&mut para, words, &mut prose);
            words = 0;
        }
        if !line.is_blank() {
            para.push(i);
            words += sh.words;
        }
    }
    close(&mut para, words, &mut prose);
    prose
}

/// The kept lines of a run, joined.
pub(crate) fn run_text(lines: &[Line<'_>]) -> String {
    lines
        .iter()
        .filter(|l| l.is_kept_text())
        .map(|l| l.text.as_ref())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of `text` that hold a digit: scores, prices, dates.
pub(crate) fn numbers(text: &str) -> usize {
    let b = text.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return 0;
    }
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
            .count();
    }
    // ASCII: the same words, split byte by byte (white space is \t..\r and the space).
    b.split(|c| matches!(c, b'\t'..=b'\r' | b' '))
        .filter(|w| w.iter().any(u8::is_ascii_digit))
        .count()
}

/// True for a numbered list item: `1.`, `2)`, `10 -`.
pub(crate) fn starts_numbered(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && matches!(text.as_bytes().get(digits), Some(b'.' | b')' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_ascii_and_unicode_text() {
        assert_eq!(numbers("no digits here"), 0);
        assert_eq!(numbers("3:1 win in 2025,\tscore 10\x0B9x"), 4);
        assert_eq!(numbers("  12  a1  "), 2);
        assert_eq!(numbers("ціна 12\u{a0}грн 3"), 2);
    }

    #[test]
    fn numbered_items() {
        assert!(starts_numbered("1. Passport"));
        assert!(starts_numbered("12) Visa"));
        assert!(!starts_numbered("2025 was a year"));
        assert!(!starts_numbered("Passport"));
    }
}
