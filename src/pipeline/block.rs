//! `drop-block` rules: where the block a start marker opens ends.

use super::Pipeline;
use super::rules::Facts;
use crate::doc::Line;
use crate::rules::{Rule, Slot};

impl Pipeline {
    /// The last line of the block that `drop-block` rule `idx` starts at line `start`, if its
    /// end comes within `max-lines` lines. A blank-line end leaves the blank line out; the end
    /// of the document also ends such a block.
    pub(super) fn block_end(
        &self,
        lines: &[Line<'_>],
        facts: &mut Facts,
        start: usize,
        idx: u32,
        rule: &Rule,
    ) -> Option<usize> {
        let block = rule.block.as_ref()?;
        let last = (start + block.max_lines - 1).min(lines.len() - 1);
        if block.end_mode.is_none() {
            return match (start + 1..=last).find(|&j| lines[j].is_blank()) {
                Some(j) => Some(j - 1),
                None if last == lines.len() - 1 => Some(last),
                None => None,
            };
        }
        let mut hits = Vec::new();
        let mut buf = String::new();
        (start + 1..=last).find(|&j| {
            !lines[j].is_blank() && {
                facts.hits_into(j, &lines[j].text, &self.rules.matchers, &mut buf, &mut hits);
                hits.contains(&Slot::end(idx))
            }
        })
    }
}
