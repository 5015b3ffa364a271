//! `heuristic/link-list`.
//!
//! Drops runs of headline-shaped lines (with fillers such as times, dates and short
//! labels between them) that hold at least `min-items` headlines. Blank lines and lines
//! dropped already do not break a run; anything else does. A run introduced by a lead-in
//! ending with a colon is a list of the article's own and stays; so is a run inside the
//! article (between its first and last prose lines) whose words the prose shares, such as
//! a table or a menu plan.

use std::sync::Arc;

use serde::Deserialize;

use super::cohesion::Cohesion;
use super::context::{Context, drop_run, run_text, starts_numbered};
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "A run of three or more headline-shaped lines, perhaps with times, dates or short labels \
     between them: a list of links to other articles or a menu.";

/// The `[link-list]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct LinkList {
    min_items: usize,
    min_item_words: usize,
    max_item_words: usize,
    max_filler_words: usize,
    /// Inside the article, a run whose content words the prose shares at least this much
    /// is the article's own.
    min_shared: f64,
}

impl Heuristic for LinkList {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes, prose, a) = (cx.settings, cx.shapes, &cx.prose, cx.article());
        let (first, last, title) = (a.first, a.last, a.title);
        let l = self;
        #[derive(PartialEq, Clone, Copy)]
        enum Kind {
            Item,
            Filler,
            Other,
        }
        let kind = |i: usize| -> Kind {
            let (line, sh) = (&lines[i], &shapes[i]);
            let text = line.text.as_ref();
            if sh.terminal || sh.colon || sh.bullet || Some(i) == title {
                return Kind::Other;
            }
            // Outside the article, "7 key moments from the hearing" is a headline that starts
            // with a number: it sits in a run without breaking it. Only lines that start with a
            // word count as items, so a numbered list never makes a run of its own; inside the
            // article, "30 minutes before bed" is a step of the article's own list.
            if starts_numbered(text) {
                let number = text.split(' ').next().unwrap_or(text);
                let headline = (i < first || i > last)
                    && number.bytes().all(|b| b.is_ascii_digit())
                    && sh.words >= l.min_item_words;
                return if headline { Kind::Filler } else { Kind::Other };
            }
            if s.protect.is_match(text) {
                return Kind::Other;
            }
            let first_upper = text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || "\"'«".contains(c));
            if first_upper && (l.min_item_words..=l.max_item_words).contains(&sh.words) {
                Kind::Item
            } else if sh.words <= l.max_filler_words || !sh.letters {
                Kind::Filler
            } else {
                Kind::Other
            }
        };
        let mut drops: Vec<(usize, usize)> = Vec::new();
        let mut cohesion: Option<Cohesion<'_>> = None;
        let mut memo = Some(memo);
        let mut i = 0;
        while i < lines.len() {
            if !lines[i].is_kept_text() || kind(i) == Kind::Other {
                i += 1;
                continue;
            }
            // A run starts here: extend it over items, fillers, blanks and dropped lines.
            let start = i;
            let mut end = i;
            let mut items = 0;
            let mut j = i;
            while j < lines.len() {
                if lines[j].is_kept_text() {
                    match kind(j) {
                        Kind::Item => items += 1,
                        Kind::Filler => {}
                        Kind::Other => break,
                    }
                    end = j;
                }
                j += 1;
            }
            let lead_in = (0..start)
                .rev()
                .find(|&k| lines[k].is_kept_text())
                .is_some_and(|k| shapes[k].colon);
            let inside = start > first && end < last;
            let foreign = !inside || {
                let c = cohesion.get_or_insert_with(|| {
                    Cohesion::new(s, lines, prose, memo.take().expect("once"))
                });
                let words = c.content_words(&run_text(&lines[start..=end]));
                (c.shared(&words) as f64) < l.min_shared * words.len() as f64
            };
            if items >= l.min_items && !lead_in && foreign {
                drops.push((start, end));
            }
            i = j.max(end + 1);
        }
        for (start, end) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "a run of headline-shaped lines (lines {}-{})",
                lines[start].number, lines[end].number
            ));
            drop_run(lines, (start, end), id, &reason, lines[start].number);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/link-list");
    }
}
