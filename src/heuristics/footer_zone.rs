//! `heuristic/footer-zone`.
//!
//! Drops what follows the article: every kept line after its end, except the lines that
//! continue it right after its last prose line (short sentences, a lead-in ending with a
//! colon and the list under it) and protected lines. The article ends with its last prose
//! line, or with its main block when the prose blocks after that are small.

use std::sync::Arc;

use serde::Deserialize;

use super::context::{Block, Context, starts_numbered};
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "A line after the last prose paragraph that is not prose: author boxes, tag rows, link \
     lists.";

/// The `[footer-zone]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct FooterZone {
    /// A sentence that continues the article has at least this many words.
    min_sentence_words: usize,
    /// The blocks after the main one are furniture when they hold at most this share of the
    /// prose words or lines.
    max_tail_share: f64,
}

impl Heuristic for FooterZone {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], _memo: &mut Memo, id: &Arc<str>) {
        let (s, a) = (cx.settings, cx.article());
        let end = self.main_block_end(&a.blocks, a.last);
        let start = self.article_continues(cx, lines, end);
        let reason: Arc<str> = Arc::from(if end == a.last {
            "not prose, after the last prose paragraph"
        } else {
            "after the article's main block, past a run of short lines"
        });
        for line in &mut lines[start..] {
            if line.is_kept_text() && !s.protect.is_match(&line.text) {
                line.drop(id, &reason);
            }
        }
    }
}

impl FooterZone {
    /// The last prose line of the article: the end of its main block, the prose block with
    /// the most words, when the blocks after it hold at most `max-tail-share` of the prose
    /// words or of the prose lines (they are page furniture written as sentences: a site's
    /// self-description, a data disclaimer, comments); otherwise the last prose line.
    fn main_block_end(&self, blocks: &[Block], last: usize) -> usize {
        let f = self;
        let total: usize = blocks.iter().map(|b| b.words).sum();
        let main = blocks
            .iter()
            .enumerate()
            .max_by_key(|&(k, b)| (b.words, std::cmp::Reverse(k)))
            .map_or(0, |(k, _)| k);
        let tail = blocks[main + 1..].iter();
        let (tail_words, tail_lines) = tail.fold((0, 0), |(w, l), b| (w + b.words, l + b.lines));
        let total_lines: usize = blocks.iter().map(|b| b.lines).sum();
        let small = |part: usize, whole: usize| part as f64 <= f.max_tail_share * whole as f64;
        if small(tail_words, total) || small(tail_lines, total_lines) {
            blocks[main].end
        } else {
            last
        }
    }

    /// The first line after the article that ends at `last_prose`: sentences, a long sentence
    /// cut short, a lead-in ending with a colon and the list under it (bulleted or numbered
    /// items, or any lines up to the next blank one) continue it.
    fn article_continues(&self, cx: &Context<'_>, lines: &[Line<'_>], last_prose: usize) -> usize {
        let shapes = cx.shapes;
        let min = self.min_sentence_words;
        let mut in_list = lines[last_prose].text.ends_with(':');
        let mut plain_list = in_list;
        let mut start = last_prose + 1;
        for (i, (line, sh)) in lines.iter().zip(shapes).enumerate().skip(last_prose + 1) {
            if !line.is_kept_text() {
                plain_list &= !line.verdict.is_keep();
                continue;
            }
            let sentence = sh.words >= min && sh.terminal && sh.sentence_start;
            let lead_in = sh.words >= min && sh.colon && sh.sentence_start;
            let item = plain_list || (in_list && (sh.bullet || starts_numbered(&line.text)));
            if !(sentence || lead_in || item || cx.open_sentence(sh)) {
                break;
            }
            in_list = lead_in || (in_list && item);
            plain_list = lead_in || plain_list;
            start = i + 1;
        }
        start
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/footer-zone");
    }
}
