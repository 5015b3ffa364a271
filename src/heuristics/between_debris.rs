//! `heuristic/between-debris`.
//!
//! Drops runs of short lines (kept, not prose, at most `max-words` words) whose nearest
//! lines on both sides were dropped as debris, looking past blank lines and drops by the
//! `transparent` rules; protected lines, the title and lines that share at least
//! `min-shared` of their content words with the prose stay.

use std::sync::Arc;

use serde::Deserialize;

use super::cohesion::Cohesion;
use super::context::Context;
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "Short lines between two lines dropped as debris, that share few words with the article's \
     prose: what is left of a menu, a share bar or a list of links.";

/// The `[between-debris]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct BetweenDebris {
    max_words: usize,
    min_shared_words: usize,
    /// Ids or families (`ads`, `heuristic/duplicate-line`) whose drops are looked past.
    transparent: Vec<String>,
}

impl BetweenDebris {
    /// True when a drop by `by` says nothing about its neighbours.
    fn is_transparent(&self, by: &str) -> bool {
        self.transparent
            .iter()
            .any(|t| crate::select::selects(t, by))
    }
}

impl Heuristic for BetweenDebris {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes, prose, a) = (cx.settings, cx.shapes, &cx.prose, cx.article());
        let titles = [a.title, a.lead_title];
        let b = self;
        #[derive(PartialEq, Clone, Copy)]
        enum Side {
            /// Dropped: the line's neighbours may be debris too.
            Debris,
            /// Kept, not prose, short: decided by its neighbours.
            Short,
            /// Kept and telling: prose, or a long line.
            Other,
            /// Blank, or a drop that says nothing about its neighbours.
            Skip,
        }
        let side = |i: usize| {
            let line = &lines[i];
            match line.verdict.dropped() {
                Some(d) if b.is_transparent(&d.by) => Side::Skip,
                Some(_) => Side::Debris,
                None if line.is_blank() => Side::Skip,
                None if !prose[i] && shapes[i].words <= b.max_words => Side::Short,
                None => Side::Other,
            }
        };
        // Runs of short lines with the debris lines before and after them.
        let mut runs: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        let mut before: Option<usize> = None;
        let mut run: Vec<usize> = Vec::new();
        for i in 0..lines.len() {
            match side(i) {
                Side::Skip => {}
                Side::Short => run.push(i),
                other => {
                    let debris = other == Side::Debris;
                    if let (true, Some(above), false) = (debris, before, run.is_empty()) {
                        runs.push((above, std::mem::take(&mut run), i));
                    }
                    run.clear();
                    before = debris.then_some(i);
                }
            }
        }
        if runs.is_empty() {
            return;
        }
        let cohesion = Cohesion::new(s, lines, prose, memo);
        let mut drops = Vec::new();
        for (above, run, below) in runs {
            let by = |i: usize| lines[i].verdict.dropped().map_or("", |d| d.by.as_ref());
            let reason: Arc<str> = Arc::from(format!(
                "short lines between debris: line {} ({}) and line {} ({})",
                lines[above].number,
                by(above),
                lines[below].number,
                by(below)
            ));
            let event = lines[run[0]].number;
            for i in run {
                let text = lines[i].text.as_ref();
                if titles.contains(&Some(i)) || s.protect.is_match(text) {
                    continue;
                }
                let words = cohesion.content_words(text);
                if !words.is_empty() && cohesion.shared(&words) < b.min_shared_words {
                    drops.push((i, Arc::clone(&reason), event));
                }
            }
        }
        for (i, reason, event) in drops {
            lines[i].drop_in(id, &reason, event);
        }
    }

    fn selectors(&self) -> Option<(&'static str, &'static str, &[String])> {
        Some(("between-debris", "transparent", &self.transparent))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/between-debris");
    }
}
