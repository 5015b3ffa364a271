//! `heuristic/corpus-repeat`.
//!
//! Drops lines that recur in at least `min-files` documents of the corpus, unless they
//! are prose, the title or protected. Inside the article (between its first and last prose line),
//! recurring lines are also shared structure, so these stay: a sub-heading standing alone
//! between paragraphs, list items (a bullet, a number or a quantity first) and lines
//! after a lead-in ending with a colon.

use std::sync::Arc;

use serde::Deserialize;

use super::context::Context;
use super::{Heuristic, Memo};
use crate::corpus::line_key;
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "With --corpus: a line that is not prose and recurs in many documents of the corpus (a \
     site's menu, footer or newsletter box).";

/// The `[corpus]` settings, which also say which lines have a key in the corpus statistics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct CorpusRepeat {
    /// A line in at least this many documents recurs.
    pub(crate) min_files: u32,
    /// Inside the article, a sub-heading must recur in this share of the documents.
    pub(crate) min_share_inside: f64,
    /// Lines with fewer letters have no key.
    pub(crate) min_letters: usize,
}

impl Heuristic for CorpusRepeat {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], _memo: &mut Memo, id: &Arc<str>) {
        let Some(stats) = cx.corpus else {
            return;
        };
        let (shapes, prose, a) = (cx.shapes, &cx.prose, cx.article());
        let (first, last, title) = (a.first, a.last, a.title);
        let c = self;
        let is_prose = |i: usize| prose[i];
        let prev = |i: usize| (0..i).rev().find(|&j| lines[j].is_kept_text());
        let next = |i: usize| (i + 1..lines.len()).find(|&j| lines[j].is_kept_text());
        let mut buf = String::new();
        let mut drops = Vec::new();
        for (i, sh) in shapes.iter().enumerate() {
            let line = &lines[i];
            if !line.is_kept_text() || is_prose(i) || Some(i) == title || cx.protected(&line.text) {
                continue;
            }
            let Some(key) = line_key(&line.text, c.min_letters, &mut buf) else {
                continue;
            };
            let n = stats.count(key);
            if n < c.min_files {
                continue;
            }
            if (first..=last).contains(&i) {
                let text = line.text.as_ref();
                let subheading = prev(i).is_some_and(is_prose) && next(i).is_some_and(is_prose);
                let item = sh.bullet || text.starts_with(|c: char| c.is_ascii_digit());
                let after_lead_in = prev(i).is_some_and(|j| shapes[j].colon);
                // A sub-heading on most pages of the corpus is the site's, not the article's.
                let everywhere = f64::from(n) >= c.min_share_inside * stats.documents() as f64;
                if item || after_lead_in || (subheading && !everywhere) {
                    continue;
                }
            }
            drops.push((i, n));
        }
        for (i, n) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "recurs in {n} of the corpus's {} documents",
                stats.documents()
            ));
            lines[i].drop(id, &reason);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone(super::super::CORPUS_REPEAT);
    }
}
