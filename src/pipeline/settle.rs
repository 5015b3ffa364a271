//! The settle rounds: the rules, heuristics and line model run again over the lines the
//! output holds until nothing changes, so that cleaning cleaned text changes nothing.

use std::borrow::Cow;

use super::Pipeline;
use super::rules::Facts;
use crate::corpus::CorpusStats;
use crate::doc::{self, Line};
use crate::model::Model;

impl Pipeline {
    /// Rules and heuristics decide from where a line sits and what surrounds it; once lines
    /// are dropped, the lines that remain sit elsewhere and have other neighbours. Cleaning the
    /// output again would see those, and might drop more: so the rules and heuristics run
    /// again over the lines the output holds, in a round, until a round drops and changes
    /// nothing. Each round drops at least one more line, so the rounds end; in practice there
    /// are one or two.
    ///
    /// `edited`: the rules shortened a line (`strip-span`) in the first pass.
    ///
    /// For a round, the lines the output shows are moved to the front, in order and with their
    /// facts, and the round runs over them; the others wait behind. At the end every line goes
    /// back to its place. No line is copied: the only memory a round takes is a place number
    /// per line.
    ///
    /// The output's first line is where cleaning the output would look for a header (`date
    /// …`): when lines before it were dropped, the header is lifted off it here, and the rest
    /// of the line goes through another round.
    pub(super) fn settle<'a>(
        &self,
        lines: &mut [Line<'a>],
        header: &mut Option<Cow<'a, str>>,
        facts: &mut Facts,
        corpus: Option<&CorpusStats>,
        edited: bool,
        model: Option<&Model>,
    ) {
        // Where each line in `lines` belongs; empty until lines are moved.
        let mut place: Vec<usize> = Vec::new();
        let mut active = lines.len();
        // A `strip-span` rule shortened a line in the last round: positions measured in
        // prose bytes moved, so even with every line shown, another round is due.
        let mut edited = edited;
        loop {
            let shown = doc::shown(&lines[..active]);
            let lifted = header.is_none()
                && shown.iter().position(|&s| s).is_some_and(|i| {
                    *header = doc::lift_normalized_header(&mut lines[i]);
                    if header.is_some() {
                        facts.changed(i, &lines[i].text, self.rules.settings());
                    }
                    header.is_some()
                });
            if !shown.iter().any(|&s| s) || (!lifted && !edited && shown.iter().all(|&s| s)) {
                // The output holds every line as it is: a round would see what this one saw.
                break;
            }
            if place.is_empty() {
                place = (0..lines.len()).collect();
            }
            let mut w = 0;
            for (r, _) in shown.iter().enumerate().filter(|(_, s)| **s) {
                lines.swap(w, r);
                facts.swap(w, r);
                place.swap(w, r);
                w += 1;
            }
            active = w;
            let round = &mut lines[..active];
            let edits = |lines: &[Line<'_>]| lines.iter().map(|l| l.edits.len()).sum::<usize>();
            let before = edits(round);
            self.apply_rules(round, facts);
            self.heuristics
                .run(round, &facts.shapes[..active], corpus, &mut facts.memo);
            self.run_model(round, &facts.shapes[..active], &mut facts.infos, model);
            edited = edits(round) != before;
            if !lifted && !edited && round.iter().all(|l| l.verdict.is_keep()) {
                break;
            }
        }
        // Back to their places: each swap puts one line where it belongs.
        for i in 0..place.len() {
            while place[i] != i {
                let j = place[i];
                lines.swap(i, j);
                place.swap(i, j);
            }
        }
    }
}
