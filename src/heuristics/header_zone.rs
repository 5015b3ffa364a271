//! `heuristic/header-zone`.
//!
//! Drops the short lines before the first prose paragraph (section labels, tags,
//! counters, menus), except the title, a byline in lower case after it and protected lines.

use std::sync::Arc;

use serde::Deserialize;

use super::context::{Context, lower_byline};
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str =
    "A short line before the first prose paragraph: section labels, tags, counters, menus.";

/// The `[header-zone]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct HeaderZone {
    /// Lines of at most this many words are furniture.
    max_words: usize,
    /// A title has at least this many words.
    min_headline_words: usize,
}

impl Heuristic for HeaderZone {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], _memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes, a) = (cx.settings, cx.shapes, cx.article());
        let (first, title, lead_title) = (a.first, a.title, a.lead_title);
        let h = self;
        let reason: Arc<str> = Arc::from(format!(
            "at most {} words, before the first prose paragraph",
            h.max_words
        ));
        // A short title ("Heathrow reopens after fire", "New Rules for Renters", "Neue
        // Regeln für Mieter") is not a label: the line right before the article, of a few
        // words with letters in both cases and no separators between labels.
        let short_titles: Vec<usize> = [title, lead_title]
            .into_iter()
            .flatten()
            .filter(|&i| {
                let (sh, text) = (&shapes[i], lines[i].text.as_ref());
                sh.words >= h.min_headline_words
                    && text.chars().any(char::is_lowercase)
                    && !text.contains(['|', '•', '·', '/', '›', '»', '>'])
            })
            .collect();
        // A byline in lower case ("by Jane Doe") after the title stays with it.
        let byline = |i: usize, text: &str| {
            lower_byline(text) && [title, lead_title].into_iter().flatten().any(|t| t < i)
        };
        for (i, (line, sh)) in lines[..first].iter_mut().zip(shapes).enumerate() {
            if line.is_kept_text()
                && sh.words <= h.max_words
                && !short_titles.contains(&i)
                && !byline(i, &line.text)
                && !s.protect.is_match(&line.text)
            {
                line.drop(id, &reason);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/header-zone");
    }
}
