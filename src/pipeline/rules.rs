//! Applying the rules: one forward pass over the lines in which `cut-tail` markers end the
//! document, `drop-block` starts drop their blocks (block.rs), `strip-span` rules edit a line
//! (strip.rs) and `drop-line` rules drop it; and what the rules know of each line from one
//! settle round to the next.

use std::sync::Arc;

use rayon::prelude::*;

use super::{CHUNK_LINES, MATCH_AHEAD, Pipeline};
use crate::doc::Line;
use crate::doc::shape::{Shape, shape};
use crate::heuristics::{Memo, Settings};
use crate::model::features::Infos;
use crate::rules::{Kind, Matchers, Rule, Slot};

impl Pipeline {
    /// One forward pass: at each non-blank line, a `cut-tail` marker ends the document, a
    /// `drop-block` start drops its block, a `drop-line` rule drops the line, and otherwise the
    /// `strip-span` rules edit it.
    pub(super) fn apply_rules(&self, lines: &mut [Line<'_>], facts: &mut Facts) {
        let rules = self.rules.rules();
        let matchers = &self.rules.matchers;
        let mut place = Place {
            lines: lines.iter().filter(|l| !l.is_blank()).count(),
            len: 0,
            k: 0,
            offset: 0,
        };
        // Prose bytes before each line, for fractional positions: computed the first time a
        // rule with one is consulted.
        let mut prefix: Option<Vec<usize>> = None;
        let mut hits = Vec::new();
        let mut buf = String::new();
        // Lines before this one have been matched ahead (large documents only).
        let mut ahead = 0;
        let mut i = 0;
        while i < lines.len() {
            if lines[i].is_blank() {
                i += 1;
                continue;
            }
            if facts.parallel && i >= ahead {
                ahead = (i + MATCH_AHEAD).min(lines.len());
                facts.match_ahead(&lines[..ahead], i, matchers);
            }
            facts.hits_into(i, &lines[i].text, matchers, &mut buf, &mut hits);
            let mut next = i + 1;
            if !hits.is_empty() {
                if hits
                    .iter()
                    .any(|&h| rules[h.rule() as usize].has_fraction())
                {
                    let p = prefix.get_or_insert_with(|| self.prose_prefix(lines, &facts.shapes));
                    place.offset = p[i];
                    place.len = p[lines.len()];
                }
                let chars = lines[i].text.chars().count();
                let firing = || {
                    hits.iter()
                        .filter(|slot| slot.is_main())
                        .map(|slot| (slot.rule(), &rules[slot.rule() as usize]))
                        .filter(move |(_, r)| applies(r, chars, &place))
                };
                if let Some((_, rule)) = firing().find(|(_, r)| r.kind == Kind::CutTail) {
                    let marker = lines[i].number;
                    lines[i].drop(&rule.id, &rule.description);
                    let reason: Arc<str> =
                        Arc::from(format!("after the tail marker on line {marker}"));
                    for line in &mut lines[i + 1..] {
                        line.drop_in(&rule.id, &reason, marker);
                    }
                    return;
                }
                let block = firing()
                    .filter(|(_, r)| r.kind == Kind::DropBlock)
                    .find_map(|(idx, r)| {
                        self.block_end(lines, facts, i, idx, r).map(|end| (r, end))
                    });
                if let Some((rule, end)) = block {
                    let reason: Arc<str> = Arc::from(format!(
                        "{} (block of lines {}-{})",
                        rule.description, lines[i].number, lines[end].number
                    ));
                    let event = lines[i].number;
                    for line in &mut lines[i..=end] {
                        line.drop_in(&rule.id, &reason, event);
                    }
                    next = end + 1;
                } else {
                    // Spans are stripped before lines are dropped: a credit glued to the
                    // first sentence goes, the sentence stays.
                    let strips: Vec<u32> = firing()
                        .filter(|(_, r)| r.kind == Kind::StripSpan)
                        .map(|(idx, _)| idx)
                        .collect();
                    let mut stripped = false;
                    for idx in strips {
                        stripped |= self.strip(&mut lines[i], idx);
                    }
                    if stripped {
                        facts.changed(i, &lines[i].text, self.rules.settings());
                        // The rest of a stripped line may be what a rule drops (a menu after
                        // a wire prefix): it is matched again, as cleaning the output would.
                        // Each strip shortens the line, so this ends.
                        if lines[i].verdict.is_keep() {
                            continue;
                        }
                    } else if let Some((_, rule)) = firing().find(|(_, r)| r.kind == Kind::DropLine)
                    {
                        lines[i].drop(&rule.id, &rule.description);
                    }
                }
            }
            place.k += lines[i..next].iter().filter(|l| !l.is_blank()).count();
            i = next;
        }
    }

    /// `p[i]` = bytes of prose lines before line `i`; `p[n]` = all of them. Without prose, all
    /// text counts: fractional positions then measure the text.
    pub(super) fn prose_prefix(&self, lines: &[Line<'_>], shapes: &[Shape]) -> Vec<usize> {
        let settings = self.rules.settings();
        let weigh = |prose_only: bool| {
            let mut p = Vec::with_capacity(lines.len() + 1);
            let mut sum = 0;
            for (l, sh) in lines.iter().zip(shapes) {
                p.push(sum);
                if !prose_only || sh.prose(&settings.prose) {
                    sum += l.text.len() + 1;
                }
            }
            p.push(sum);
            p
        };
        let p = weigh(true);
        if p[lines.len()] > 0 { p } else { weigh(false) }
    }
}

/// What the rules and heuristics know of each line of a document, kept from round to round
/// (see `Pipeline::settle`): its shape, and the rule slots that match its text, `None` until
/// it is matched or after its text changed; and what the heuristics keep.
pub(super) struct Facts {
    pub(super) shapes: Vec<Shape>,
    pub(super) hits: Vec<Option<Box<[Slot]>>>,
    pub(super) memo: Memo,
    /// What the line model read of each line.
    pub(super) infos: Infos,
    /// A large document: match lines ahead in parallel (see [`PARALLEL_BYTES`]).
    pub(super) parallel: bool,
}

impl Facts {
    /// Line `i`'s text changed to `text`: its shape is measured again, and what was matched
    /// or read of it is forgotten.
    pub(super) fn changed(&mut self, i: usize, text: &str, settings: &Settings) {
        self.shapes[i] = shape(text, &settings.prose);
        self.hits[i] = None;
        self.infos.forget(i);
    }

    /// Moves the facts of line `a` to `b` and back, as the lines move.
    pub(super) fn swap(&mut self, a: usize, b: usize) {
        self.shapes.swap(a, b);
        self.hits.swap(a, b);
        self.infos.swap(a, b);
    }

    /// Matches the non-blank lines from `from` to the end of `lines` that are not matched
    /// yet, in parallel: what [`hits_into`](Self::hits_into) would find for each, found ahead.
    pub(super) fn match_ahead(&mut self, lines: &[Line<'_>], from: usize, matchers: &Matchers) {
        self.hits[from..lines.len()]
            .par_chunks_mut(CHUNK_LINES)
            .zip(lines[from..].par_chunks(CHUNK_LINES))
            .for_each(|(hits, lines)| {
                let mut buf = String::new();
                let mut out = Vec::new();
                for (h, line) in hits.iter_mut().zip(lines) {
                    if h.is_none() && !line.is_blank() {
                        matchers.hits(&line.text, &mut buf, &mut out);
                        *h = Some(out.as_slice().into());
                    }
                }
            });
    }

    /// The slots that match line `i` (whose text is `text`) into `out`, matched at most once.
    pub(super) fn hits_into(
        &mut self,
        i: usize,
        text: &str,
        matchers: &Matchers,
        buf: &mut String,
        out: &mut Vec<Slot>,
    ) {
        match &self.hits[i] {
            Some(h) => {
                out.clear();
                out.extend_from_slice(h);
            }
            None => {
                matchers.hits(text, buf, out);
                self.hits[i] = Some(out.as_slice().into());
            }
        }
    }
}

/// Where a line sits: its index `k` among the `lines` non-blank lines, and the bytes of prose
/// before it (`offset`) out of `len`.
#[derive(Debug, Clone, Copy)]
struct Place {
    lines: usize,
    len: usize,
    k: usize,
    offset: usize,
}

/// True when `rule`'s constraints allow it to fire on a line of `chars` characters at `p`.
fn applies(rule: &Rule, chars: usize, p: &Place) -> bool {
    rule.max_chars.is_none_or(|m| chars <= m)
        && rule
            .within_first
            .is_none_or(|w| w.covers(true, p.k, p.lines, p.offset, p.len))
        && rule
            .within_last
            .is_none_or(|w| w.covers(false, p.k, p.lines, p.offset, p.len))
}
