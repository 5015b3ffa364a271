//! `heuristic/author-box`.
//!
//! Drops author boxes from the end: while the last prose line starts with the name that
//! stands alone on the kept line before it, both go.

use std::sync::Arc;

use serde::Deserialize;

use super::context::Context;
use super::{Heuristic, Memo};
use crate::doc::Line;

/// What it removes, for `thresh rules list`.
pub(super) const ABOUT: &str = "An author box at the end of the article: a name on its own line followed by a short \
     biography that starts with that name.";

/// The `[author-box]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct AuthorBox {
    /// The most words a name has.
    max_name_words: usize,
    /// Headings before the name ("About", "Sobre").
    about: Vec<String>,
}

impl Heuristic for AuthorBox {
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], _memo: &mut Memo, id: &Arc<str>) {
        let (s, shapes) = (cx.settings, cx.shapes);
        let max_name = self.max_name_words;
        loop {
            let Some(bio) = (0..lines.len())
                .rev()
                .find(|&i| lines[i].is_kept_text() && shapes[i].prose(&s.prose))
            else {
                return;
            };
            let Some(name) = (0..bio).rev().find(|&i| lines[i].is_kept_text()) else {
                return;
            };
            // The name, perhaps under an "About" heading ("Sobre Carlos Nadalim").
            let line = lines[name].text.as_ref();
            let about = self
                .about
                .iter()
                .find_map(|a| line.strip_prefix(a.as_str())?.strip_prefix(' '));
            let n = about.unwrap_or(line);
            let words = n.split_whitespace().count();
            let name_like = (2..=max_name).contains(&words)
                && !shapes[name].terminal
                && n.split_whitespace().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(|c| c.is_alphabetic() || ".-'".contains(c))
                });
            // The biography starts with the name or the first name ("Jane joined the paper
            // in 2017."); under an "About" heading it may name the author later on.
            let bio_text = lines[bio].text.as_ref();
            let starts_with = |prefix: &str| {
                bio_text
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with(' '))
            };
            // The first name alone, when the surname does not follow in lower case: "List
            // Comprehensions" above "List comprehensions are …" is a sub-heading.
            let mut parts = n.split_whitespace();
            let (first_name, surname) = (parts.next().unwrap_or(n), parts.next().unwrap_or(""));
            let by_first_name = starts_with(first_name)
                && bio_text[first_name.len()..]
                    .split_whitespace()
                    .next()
                    .is_none_or(|w| w.to_lowercase() != surname.to_lowercase());
            let names_author =
                starts_with(n) || by_first_name || (about.is_some() && bio_text.contains(n));
            if !(name_like && names_author) {
                return;
            }
            let reason: Arc<str> = Arc::from(format!(
                "author box: a name and a biography of that person (lines {}-{})",
                lines[name].number, lines[bio].number
            ));
            let event = lines[name].number;
            lines[name].drop(id, &reason);
            lines[bio].drop_in(id, &reason, event);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures_alone() {
        super::super::testing::fixtures_alone("heuristic/author-box");
    }
}
