//! What cleaning one document gives: every line with its verdict, the cleaned text, and the
//! statistics of what was dropped and changed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::AddAssign;
use std::sync::Arc;

use crate::doc::{self, Line};

/// The result of cleaning one document: the header, every line with its verdict, and the
/// cleaned text on request.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// The metadata header lifted off the first line (`date 2025-04-28`), if any.
    pub header: Option<Cow<'a, str>>,
    /// Every input line, with its verdict and edits.
    pub lines: Vec<Line<'a>>,
    pub(crate) input_len: usize,
    /// Where the document starts in the text it was cleaned from: 0, or the offset of one
    /// document of several (see [`Pipeline::clean_documents`]).
    pub(super) start: usize,
    /// The number of its first line.
    pub(super) first_number: usize,
}

impl Outcome<'_> {
    /// The cleaned text: the header, then the kept lines, blank runs collapsed, one final
    /// newline.
    pub fn text(&self) -> String {
        doc::render(self.header.as_deref(), &self.lines, self.input_len)
    }

    /// The byte offset of this document in the text it was cleaned from: 0 for a whole text,
    /// the document's own offset for one of several.
    pub fn start(&self) -> usize {
        self.start
    }

    /// How many lines carry input line number `number`: one, or more when a repair split the
    /// line into pieces (a character reference to U+2028 or U+2029).
    pub fn lines_numbered(&self, number: usize) -> usize {
        let from = self.lines.partition_point(|l| l.number < number);
        self.lines[from..]
            .iter()
            .take_while(|l| l.number == number)
            .count()
    }

    /// The dropped lines, in order.
    pub fn dropped(&self) -> impl Iterator<Item = &Line<'_>> {
        self.lines.iter().filter(|l| !l.verdict.is_keep())
    }

    /// Counts of what this document lost and what was changed, per rule and heuristic.
    pub fn stats(&self) -> Stats {
        let mut s = Stats {
            documents: 1,
            // Pieces of a split line share its number.
            lines: self
                .lines
                .last()
                .map_or(0, |l| l.number + 1 - self.first_number),
            bytes: self.input_len,
            ..Stats::default()
        };
        // Per id, a short list searched from the last one used (the lines of one drop, and
        // most edits, share their id's Arc), added to the sorted maps at the end: no string
        // comparison or reference count per line.
        let mut by_rule: Vec<(&Arc<str>, RuleStats)> = Vec::new();
        let mut edits: Vec<(&Arc<str>, usize)> = Vec::new();
        let mut last_event: Option<(&Arc<str>, usize)> = None;
        let mut last_number = None;
        for line in &self.lines {
            if let Some(d) = line.verdict.dropped() {
                if !line.is_blank() {
                    s.lines_dropped += 1;
                    let e = tally(&mut by_rule, &d.by);
                    e.lines += 1;
                    e.bytes += line.span.len();
                    if last_event.is_none_or(|(by, event)| event != d.event || by != &d.by) {
                        e.hits += 1;
                        last_event = Some((&d.by, d.event));
                    }
                }
                s.bytes_dropped += line.span.len();
            }
            if last_number == Some(line.number) {
                continue; // a later piece of a split line: its edits are the line's
            }
            last_number = Some(line.number);
            for id in &line.edits {
                *tally(&mut edits, id) += 1;
            }
        }
        for (id, r) in by_rule {
            let e = s.by_rule.entry(Arc::clone(id)).or_default();
            e.hits += r.hits;
            e.lines += r.lines;
            e.bytes += r.bytes;
        }
        for (id, n) in edits {
            *s.edits.entry(Arc::clone(id)).or_default() += n;
        }
        s
    }
}

/// The tally of `id` in `list` (added if missing): found by pointer from the end, where the
/// last one used stands, else by text.
fn tally<'l, 'a, T: Default>(list: &'l mut Vec<(&'a Arc<str>, T)>, id: &'a Arc<str>) -> &'l mut T {
    let at = match list.iter().rposition(|(k, _)| Arc::ptr_eq(k, id)) {
        Some(at) => at,
        None => match list.iter().position(|(k, _)| *k == id) {
            Some(at) => at,
            None => {
                list.push((id, T::default()));
                list.len() - 1
            }
        },
    };
    // Keep the last one used at the end.
    let last = list.len() - 1;
    list.swap(at, last);
    &mut list[last].1
}

/// What cleaning removed and changed; adds up across documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Documents cleaned.
    pub documents: usize,
    /// Input lines.
    pub lines: usize,
    /// Input bytes.
    pub bytes: usize,
    /// Non-blank lines dropped.
    pub lines_dropped: usize,
    /// Bytes of dropped lines (without line terminators).
    pub bytes_dropped: usize,
    /// Per rule or heuristic id: the lines and bytes it dropped.
    pub by_rule: BTreeMap<Arc<str>, RuleStats>,
    /// Per rule or normalizer id: the lines whose text it changed.
    pub edits: BTreeMap<Arc<str>, usize>,
}

/// Hits, lines and bytes dropped by one rule or heuristic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Times the rule fired: a cut tail, a block or a run counts once.
    pub hits: usize,
    /// Non-blank lines dropped.
    pub lines: usize,
    /// Their bytes.
    pub bytes: usize,
}

impl AddAssign<&Stats> for Stats {
    fn add_assign(&mut self, o: &Stats) {
        self.documents += o.documents;
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.lines_dropped += o.lines_dropped;
        self.bytes_dropped += o.bytes_dropped;
        for (id, r) in &o.by_rule {
            let e = self.by_rule.entry(Arc::clone(id)).or_default();
            e.hits += r.hits;
            e.lines += r.lines;
            e.bytes += r.bytes;
        }
        for (id, n) in &o.edits {
            *self.edits.entry(Arc::clone(id)).or_default() += n;
        }
    }
}
