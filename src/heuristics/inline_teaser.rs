//! `heuristic/inline-teaser`.
//!
//! Drops a headline-shaped line standing alone between two paragraphs of the article when
//! fewer than `min-shared` of its content words occur in the article's prose: a link to
//! another article.

use std::sync::Arc;

use serde::Deserialize;

use super::cohesion::Cohesion;
use super::context::{Context, starts_numbered};
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "A headline inside the article that shares few words with the article's prose: a link to \
     another article.";

/// The `[inline-teaser]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct InlineTeaser {
    min_words: usize,
    max_words: usize,
    min_content_words: usize,
    min_shared: f64,
}

impl Heuristic for InlineTeaser {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes, prose, a) = (cx.settings, cx.shapes, &cx.prose, cx.article());
        let (first, last) = (a.first, a.last);
        let t = self;
        let kept = |i: usize| lines[i].is_kept_text();
        let candidate = |i: usize| {
            let (l, sh) = (&lines[i], &shapes[i]);
            let text = l.text.as_ref();
            kept(i)
                && !sh.terminal
                && !sh.colon
                && !sh.bullet
                && (t.min_words..=t.max_words).contains(&sh.words)
                && text.chars().next().is_some_and(char::is_uppercase)
                // A line in capitals is the article's own sub-heading.
                && text.chars().any(char::is_lowercase)
                && !text.contains(['(', '[', '{'])
                && !text.contains("://")
                && !starts_numbered(text)
                // Standing alone between paragraphs, not one item of a list of short lines.
                && (0..i).rev().find(|&j| kept(j)).is_some_and(|j| prose[j])
                && (i + 1..lines.len()).find(|&j| kept(j)).is_some_and(|j| prose[j])
        };
        let mut cohesion: Option<Cohesion<'_>> = None;
        let mut memo = Some(memo);
        let mut drops = Vec::new();
        for i in first + 1..last {
            if !candidate(i) || s.protect.is_match(&lines[i].text) {
                continue;
            }
            let c = cohesion
                .get_or_insert_with(|| Cohesion::new(s, lines, prose, memo.take().expect("once")));
            let words = c.content_words(&lines[i].text);
            if words.len() < t.min_content_words {
                continue;
            }
            let shared = c.shared(&words);
            if (shared as f64) < t.min_shared * words.len() as f64 {
                let reason: Arc<str> = Arc::from(format!(
                    "headline inside the article; {shared} of its {} content words occur in \
                     the article's prose",
                    words.len()
                ));
                drops.push((i, reason));
            }
        }
        for (i, reason) in drops {
            lines[i].drop(id, &reason);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/inline-teaser");
    }
}
