//! The normalize stage: each line repaired (encodings, references, invisible characters,
//! typography), put in NFC, rewritten by the `replace` rules, and its white space tidied,
//! before any rule matches it.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use super::{CHUNK_LINES, Pipeline};
use crate::doc::Line;
use crate::normalize;
use crate::repair::{Repairs, repair_line};

impl Pipeline {
    /// Normalizes every line: repairs and NFC, then the `replace` rules and white space. A
    /// repair that makes a line break (a character reference to U+2028 or U+2029) splits the
    /// line into pieces, which keep the line's number and span: the output never holds a line
    /// break inside a line.
    ///
    /// `parallel`: over chunks of lines on the rayon pool (see [`PARALLEL_BYTES`]).
    pub(super) fn normalize<'a>(&self, mut lines: Vec<Line<'a>>, parallel: bool) -> Vec<Line<'a>> {
        let repair = |chunk: &mut [Line<'a>]| {
            let mut broken = false;
            for line in chunk {
                self.repair_one(line);
                broken |= matches!(&line.text, Cow::Owned(t) if t.contains('\n'));
            }
            broken
        };
        let broken = if parallel {
            lines
                .par_chunks_mut(CHUNK_LINES)
                .map(repair)
                .reduce(|| false, |a, b| a || b)
        } else {
            repair(&mut lines)
        };
        if broken {
            lines = lines.into_iter().flat_map(split_pieces).collect();
        }
        let finish = |chunk: &mut [Line<'a>]| {
            let mut scratch = Vec::new();
            for line in chunk {
                self.finish(line, &mut scratch);
            }
        };
        if parallel {
            lines.par_chunks_mut(CHUNK_LINES).for_each(finish);
        } else {
            finish(&mut lines);
        }
        lines
    }

    /// The repairs and NFC.
    pub(super) fn repair_one(&self, line: &mut Line<'_>) {
        let mut counts = Repairs::default();
        if let Some(r) = repair_line(&line.text, &self.repair, &mut counts) {
            line.text = Cow::Owned(r);
            for ((_, n), id) in counts.iter().zip(&self.repair_ids) {
                if n > 0 {
                    line.edits.push(Arc::clone(id));
                }
            }
        }
        if let Some(n) = normalize::nfc(&line.text) {
            line.text = Cow::Owned(n);
            line.edits.push(Arc::clone(&self.nfc_id));
        }
    }

    /// The `replace` rules and white space.
    pub(super) fn finish(&self, line: &mut Line<'_>, scratch: &mut Vec<u32>) {
        scratch.clear();
        if let Some(r) = self.rules.matchers.replace(&line.text, scratch) {
            line.text = Cow::Owned(r);
            let rules = self.rules.rules();
            line.edits
                .extend(scratch.iter().map(|&i| Arc::clone(&rules[i as usize].id)));
        }
        if let Some(w) = normalize::whitespace(&line.text) {
            line.text = Cow::Owned(w);
            line.edits.push(Arc::clone(&self.whitespace_id));
        }
    }
}

/// The pieces of a line whose repaired text holds line breaks, each with the line's number,
/// span and edits.
fn split_pieces(line: Line<'_>) -> Vec<Line<'_>> {
    if !line.text.contains('\n') {
        return vec![line];
    }
    line.text
        .split('\n')
        .map(|piece| Line {
            number: line.number,
            span: line.span.clone(),
            text: Cow::Owned(piece.to_string()),
            verdict: line.verdict.clone(),
            edits: line.edits.clone(),
        })
        .collect()
}
