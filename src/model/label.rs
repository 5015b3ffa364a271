//! Training labels from gold text.
//!
//! A page's line is content when at least half of its word tokens align, in order, with the
//! gold article's: the page's tokens and the gold's are aligned as a diff aligns two texts
//! (the longest run of common tokens in order, found with patience diff), and each line counts
//! the share of its tokens that the alignment pairs with gold tokens. A line in the gold but
//! written differently (quotes, case, Unicode forms) still aligns: tokens are compared as the
//! benchmark compares them, NFKC-normalized and lower-cased.

use std::hash::{Hash, Hasher};

use similar::{Algorithm, DiffOp, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;

/// The word tokens of `text` as the benchmark's scorer counts them: runs of word characters
/// (letters, digits and `_`), after NFKC
/// normalization and lower-casing.
pub fn tokens(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in norm.chars() {
        if is_word(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A character of a `\w` run: alphanumeric, or `_`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn token_hash(t: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    t.hash(&mut h);
    h.finish()
}

/// For each line, whether it is content: `Some(true)` when at least half of its word tokens
/// align in order with `gold`'s, `Some(false)` when fewer do, `None` for a line without
/// tokens.
///
/// ```
/// use thresh::model::label::labels;
/// let lines = ["Menu", "Rates rose on Monday.", "Share this", "The bank said so."];
/// let gold = "Rates rose on Monday.\n\nThe bank said so.\n";
/// assert_eq!(
///     labels(&lines, gold),
///     [Some(false), Some(true), Some(false), Some(true)]
/// );
/// ```
pub fn labels(lines: &[&str], gold: &str) -> Vec<Option<bool>> {
    let per_line: Vec<Vec<u64>> = lines
        .iter()
        .map(|l| tokens(l).iter().map(|t| token_hash(t)).collect())
        .collect();
    let page: Vec<u64> = per_line.iter().flatten().copied().collect();
    let gold: Vec<u64> = tokens(gold).iter().map(|t| token_hash(t)).collect();
    let mut aligned = vec![false; page.len()];
    for op in capture_diff_slices(Algorithm::Patience, &page, &gold) {
        if let DiffOp::Equal { old_index, len, .. } = op {
            aligned[old_index..old_index + len].fill(true);
        }
    }
    let mut at = 0;
    per_line
        .iter()
        .map(|toks| {
            let n = toks.len();
            let hit = aligned[at..at + n].iter().filter(|&&a| a).count();
            at += n;
            (n > 0).then_some(2 * hit >= n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lower_cased_word_runs() {
        assert_eq!(
            tokens("Hello, WORLD! ﬁne_day 3.5"),
            ["hello", "world", "fine_day", "3", "5"]
        );
        assert_eq!(tokens("Grüße aus Köln"), ["grüße", "aus", "köln"]);
        assert!(tokens(" — ").is_empty());
    }

    #[test]
    fn a_line_is_content_when_half_its_tokens_align_in_order() {
        let gold = "The council met on Monday to vote on the budget.\nIt passed.";
        let lines = [
            "Photo: Reuters The council met on Monday to vote on the budget.",
            "Photo: Reuters Getty Images AFP staff the council",
            "It passed.",
            "Related: council budget news",
        ];
        // Line 2 shares "the council" with the gold, but its tokens come after the gold's
        // "the council" was used by line 1: out of order, so not aligned.
        assert_eq!(
            labels(&lines, gold),
            [Some(true), Some(false), Some(true), Some(false)]
        );
    }

    #[test]
    fn blank_and_symbol_lines_have_no_label() {
        assert_eq!(
            labels(&["", "***", "Text here."], "Text here."),
            [None, None, Some(true)]
        );
    }

    #[test]
    fn repeated_text_aligns_once() {
        let lines = ["Breaking news today", "Breaking news today"];
        assert_eq!(
            labels(&lines, "Breaking news today"),
            [Some(true), Some(false)]
        );
    }
}
