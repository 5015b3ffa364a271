//! `heuristic/duplicate-line`.
//!
//! Drops a heading-like line that repeats an earlier one, when the first copy stands
//! before the article (a title repeated) or the repeat after it (an author box repeated).
//! Repeats inside the article are structure (table rows, a refrain) and stay.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::context::Context;
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "A heading-like line that repeats an earlier line verbatim (a duplicated title or author \
     name), or a long line repeated right after itself (a carousel's caption).";

/// The `[duplicate-line]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct DuplicateLine {
    /// A heading-like repeat has at most this many characters.
    max_chars: usize,
    /// A repeat right after itself has at least this many words.
    min_near_words: usize,
}

impl Heuristic for DuplicateLine {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], _memo: &mut Memo, id: &Arc<str>) {
        let (shapes, a) = (cx.shapes, cx.article());
        let (first_prose, last_prose) = (a.first, a.last);
        let d = self;
        // Per text: where it was first seen, and where last.
        let mut seen: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
        let mut drops = Vec::new();
        // The kept line before this one, blank lines aside.
        let mut prev_kept = None;
        for (i, sh) in shapes.iter().enumerate() {
            let prev = prev_kept;
            if lines[i].is_kept_text() {
                prev_kept = Some(i);
            }
            if !sh.letters || lines[i].is_blank() {
                continue;
            }
            let text = lines[i].text.as_ref();
            match seen.get_mut(text) {
                Some((j, last)) if lines[i].verdict.is_keep() => {
                    let heading = sh.chars <= d.max_chars
                        && !sh.terminal
                        && (*j < first_prose || i > last_prose);
                    // A long line repeated right after itself, blank or dropped lines aside: a
                    // photo carousel's caption.
                    let near = sh.words >= d.min_near_words && prev == Some(*last);
                    if heading || near {
                        drops.push((i, *j));
                    }
                    *last = i;
                }
                Some(_) => {}
                // Only a kept line can be repeated: a menu entry dropped before the article
                // does not make the same words inside it (a table's header cell) a repeat.
                None if lines[i].verdict.is_keep() => {
                    seen.insert(text, (i, i));
                }
                None => {}
            }
        }
        for (i, j) in drops {
            let reason: Arc<str> = Arc::from(format!("repeats line {}", lines[j].number));
            lines[i].drop(id, &reason);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/duplicate-line");
    }
}
