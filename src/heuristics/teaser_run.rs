//! `heuristic/teaser-run`.
//!
//! Drops runs of teasers: units of one or more short lines that are not prose (a headline,
//! a byline, a time) followed by one prose paragraph (the blurb, at most `max-blurb-words`
//! words, few of them numbers), at least `min-units` units in a row (blank and dropped
//! lines between them aside), where at least `min-units` and `min-foreign` of the blurbs
//! share fewer than `min-shared` of their content words with the prose outside the run;
//! those units go. An article's own
//! sections share its words, or hold several paragraphs to a heading, so they stay; and a
//! run that holds more than `max-share` of the document's prose is the document itself.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::cohesion::Cohesion;
use super::context::{Context, drop_run, numbers};
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "Teasers for other articles: a headline (perhaps with a byline or a time) and a \
     one-paragraph blurb, several in a row, none sharing enough words with the rest of the \
     document's prose.";

/// The `[teaser-run]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct TeaserRun {
    min_units: usize,
    max_head_lines: usize,
    max_head_words: usize,
    max_blurb_words: usize,
    min_open_blurb_words: usize,
    max_numbers: f64,
    /// A blurb with fewer content words than this is never foreign.
    min_content_words: usize,
    min_shared: f64,
    min_foreign: f64,
    max_share: f64,
}

impl Heuristic for TeaserRun {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes, prose) = (cx.settings, cx.shapes, &cx.prose);
        let t = self;
        let kept: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].is_kept_text())
            .collect();
        #[derive(PartialEq, Clone, Copy)]
        enum Part {
            Head,
            Blurb,
            Other,
        }
        let part = |i: usize| {
            let sh = &shapes[i];
            let text = lines[i].text.as_ref();
            // A blurb may lack its final stop; it still reads as a sentence, not a title.
            let open_blurb = lines[i].is_kept_text()
                && !sh.terminal
                && sh.sentence_start
                && sh.words >= t.min_open_blurb_words
                && sh.lower_words * 2 >= sh.words;
            if !prose[i] && !open_blurb {
                if sh.words <= t.max_head_words && !cx.protected(text) {
                    Part::Head
                } else {
                    Part::Other
                }
            } else if sh.words <= t.max_blurb_words
                && (numbers(text) as f64) <= t.max_numbers * sh.words as f64
            {
                Part::Blurb
            } else {
                Part::Other
            }
        };
        // Runs of units over `kept`; a unit is (its first head, its blurb), as indices of
        // `kept`. More than `max-head-lines` heads in a row are a list, not a unit's head.
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut heads: Option<(usize, usize)> = None; // (first head, count)
        for (k, &i) in kept.iter().enumerate() {
            match part(i) {
                Part::Head => match &mut heads {
                    Some((_, n)) if *n < t.max_head_lines => *n += 1,
                    Some(_) => {
                        runs.push(std::mem::take(&mut run));
                        heads = Some((k, 1));
                    }
                    None => heads = Some((k, 1)),
                },
                Part::Blurb if heads.is_some() => {
                    let (first, _) = heads.take().expect("a head");
                    run.push((first, k));
                }
                Part::Blurb | Part::Other => {
                    runs.push(std::mem::take(&mut run));
                    heads = None;
                }
            }
        }
        runs.push(run);
        runs.retain(|units| units.len() >= t.min_units);
        if runs.is_empty() {
            return;
        }
        let total: usize = kept
            .iter()
            .filter(|&&i| prose[i])
            .map(|&i| lines[i].text.len())
            .sum();
        let c = Cohesion::new(s, lines, prose, memo);
        // The title: the line before the article's body (bylines aside). A unit that shares
        // a content word with it is on the article's subject.
        let title: Vec<u64> = cx
            .find_article(lines)
            .and_then(|a| a.title)
            .map(|i| c.content_words(&lines[i].text))
            .unwrap_or_default();
        let mut drops = Vec::new();
        for units in runs {
            let blurbs: Vec<usize> = units.iter().map(|&(_, b)| kept[b]).collect();
            let bytes: usize = blurbs.iter().map(|&i| lines[i].text.len()).sum();
            if bytes as f64 > t.max_share * total as f64 {
                continue;
            }
            // How many blurbs of the run each word occurs in: the prose outside the run has
            // a word when the whole prose has it more often.
            let words: Vec<Vec<u64>> = blurbs
                .iter()
                .map(|&i| c.content_words(&lines[i].text))
                .collect();
            let mut inside: FxHashMap<u64, u32> = FxHashMap::default();
            for w in words.iter().flatten() {
                *inside.entry(*w).or_default() += 1;
            }
            let foreign: Vec<bool> = words
                .iter()
                .zip(&units)
                .map(|(ws, &(h, b))| {
                    let on_subject = kept[h..=b].iter().any(|&i| {
                        c.content_words(&lines[i].text)
                            .iter()
                            .any(|w| title.binary_search(w).is_ok())
                    });
                    !on_subject && ws.len() >= t.min_content_words && {
                        let shared = ws
                            .iter()
                            .filter(|w| c.vocab.get(*w).copied().unwrap_or(0) > inside[*w])
                            .count();
                        (shared as f64) < t.min_shared * ws.len() as f64
                    }
                })
                .collect();
            let n = foreign.iter().filter(|&&f| f).count();
            if n < t.min_units || (n as f64) < t.min_foreign * units.len() as f64 {
                continue;
            }
            // Only the foreign units go: a unit on the article's subject may be its own.
            let (first, last) = (kept[units[0].0], kept[units[units.len() - 1].1]);
            for (&(h, b), _) in units.iter().zip(&foreign).filter(|(_, f)| **f) {
                drops.push((kept[h], kept[b], n, first, last));
            }
        }
        for (from, to, units, first, last) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "one of {units} teasers in a row (lines {}-{}): a headline with a blurb that \
                 shares few words with the article",
                lines[first].number, lines[last].number
            ));
            drop_run(lines, (from, to), id, &reason, lines[first].number);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/teaser-run");
    }
}
