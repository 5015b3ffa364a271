//! The pipeline: one document in, verdicts and cleaned text out. Pure: no IO, no printing, no
//! globals; a [`Pipeline`] is `Send + Sync` and shared by every worker thread.
//!
//! Stage order is fixed: split into lines and lift the header (`doc`) → normalize each line
//! (Unicode repair, NFC, the `replace` rules, white space) → rules (`cut-tail`, then
//! `drop-block`, then `drop-line`, then `strip-span`, in one forward pass) → heuristics →
//! line model → render. Decoding bytes happens before, in [`crate::decode`].
//!
//! Rules, heuristics and the line model look at a line's place or neighbours, so they run
//! again over the lines the output holds, until nothing more changes (`Pipeline::settle`):
//! the cleaned text is what cleaning it again gives.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::{AddAssign, Range};
use std::sync::Arc;

use rayon::prelude::*;

use crate::corpus::{CorpusStats, DocumentKeys, Fnv, line_key};
use crate::doc::shape::{Shape, shape};
use crate::doc::{self, Line};
use crate::heuristics::{Heuristics, Memo};
use crate::model::{self, Model};
use crate::normalize;
use crate::repair::{RepairOptions, Repairs, repair_line};
use crate::rules::{Kind, Rule, RuleSet, end_slot, main_slot};

/// The id recorded when NFC changed a line.
pub const NFC_ID: &str = "normalize/nfc";
/// The id recorded when white space in a line was changed.
pub const WHITESPACE_ID: &str = "normalize/whitespace";

/// A document longer than this (in bytes) runs its per-line stages (repair, normalization,
/// shapes, rule matching) in parallel over chunks of lines, on the caller's rayon pool. Each
/// line's result depends on that line alone and lands in its place, so the output is the
/// same; below this size the work is too small to share.
const PARALLEL_BYTES: usize = 1 << 20;
/// Lines per parallel task.
const CHUNK_LINES: usize = 2048;
/// Lines whose rule matches are computed ahead, in parallel, by `apply_rules` on a large
/// document: a `cut-tail` marker can end the pass early, so matching runs at most this far
/// past it.
const MATCH_AHEAD: usize = 1 << 16;

/// A compiled cleaning pipeline.
///
/// ```
/// let pipeline = thresh::Pipeline::new(thresh::RuleSet::builder().build().unwrap());
/// let out = pipeline.clean("Advertisement\n“Rates rose,” she said.\n");
/// assert_eq!(out.text(), "\"Rates rose,\" she said.\n");
/// ```
#[derive(Debug)]
pub struct Pipeline {
    rules: RuleSet,
    heuristics: Heuristics,
    repair: RepairOptions,
    /// `repair/<kind>` for each kind of [`Repairs`], in [`Repairs::iter`] order.
    repair_ids: Vec<Arc<str>>,
    nfc_id: Arc<str>,
    whitespace_id: Arc<str>,
    /// The line model, when selected: the built-in one or one loaded by the user.
    model: Option<Arc<Model>>,
    model_id: Arc<str>,
    /// Ids whose verdicts the model leaves as they are: the user's own rules and the corpus
    /// mode's repeats.
    standing: Vec<Arc<str>>,
}

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
    start: usize,
    /// The number of its first line.
    first_number: usize,
}

impl Pipeline {
    /// Compiles a pipeline from a rule set (which carries the heuristic selection), with the
    /// default repairs (see [`RepairOptions`]).
    pub fn new(rules: RuleSet) -> Pipeline {
        Pipeline::with_repair(rules, RepairOptions::default())
    }

    /// Compiles a pipeline with the given Unicode repairs and typography profile.
    pub fn with_repair(rules: RuleSet, repair: RepairOptions) -> Pipeline {
        let heuristics = Heuristics::new(rules.settings(), rules.heuristics());
        let repair_ids = Repairs::default()
            .iter()
            .map(|(kind, _)| Arc::from(format!("repair/{kind}")))
            .collect();
        let model = rules
            .model_enabled()
            .then(Model::shared_builtin)
            .flatten()
            .map(Arc::clone);
        let mut standing: Vec<Arc<str>> = rules
            .rules()
            .iter()
            .filter(|r| r.user)
            .map(|r| Arc::clone(&r.id))
            .collect();
        standing.push(Arc::from(crate::heuristics::CORPUS_REPEAT));
        Pipeline {
            rules,
            heuristics,
            repair,
            repair_ids,
            nfc_id: Arc::from(NFC_ID),
            whitespace_id: Arc::from(WHITESPACE_ID),
            model,
            model_id: Arc::from(model::ID),
            standing,
        }
    }

    /// Uses `model` as the line model instead of the built-in one. The rule set's selection
    /// still decides: with `--ignore model` (the rule set leaves it out) no model runs.
    pub fn with_model(mut self, model: Model) -> Pipeline {
        if self.rules.model_enabled() {
            self.model = Some(Arc::new(model));
        }
        self
    }

    /// The line model this pipeline runs, if any.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_deref()
    }

    /// Cleans one document with `model` as the line model instead of the pipeline's own
    /// (`None`: without a model); for training and comparing models.
    pub fn clean_using<'a>(&self, text: &'a str, model: Option<&Model>) -> Outcome<'a> {
        self.clean_part_with(text, 0..text.len(), 1, None, model)
    }

    /// The lines of one document as the line model first sees them: normalized, with the
    /// verdicts of one pass of the rules and heuristics; and the indexes of the title lines,
    /// which the model leaves as they are. The trainer learns from this view.
    pub fn model_view<'a>(&self, text: &'a str) -> (Vec<Line<'a>>, Vec<usize>) {
        let (lines, facts, _, _) = self.first_pass(text, 0..text.len(), 1, None);
        let titles = self.heuristics.titles(&lines, &facts.shapes);
        (lines, titles)
    }

    /// True when line verdicts by `by` stand against the model.
    fn stands(&self, by: &str) -> bool {
        self.standing.iter().any(|s| &**s == by)
    }

    /// Runs the line model over `lines`, whose shapes are `shapes`, if there is one.
    fn run_model(&self, lines: &mut [Line<'_>], shapes: &[Shape], model: Option<&Model>) {
        if let Some(m) = model {
            let titles = self.heuristics.titles(lines, shapes);
            let settings = self.rules.settings();
            m.decide(
                lines,
                settings,
                &self.model_id,
                &titles,
                |i| shapes[i].prose(&settings.prose),
                |by| self.stands(by),
            );
        }
    }

    /// The rule set this pipeline runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The Unicode repairs and typography profile this pipeline applies.
    pub fn repair(&self) -> &RepairOptions {
        &self.repair
    }

    /// Cleans one decoded document.
    pub fn clean<'a>(&self, text: &'a str) -> Outcome<'a> {
        self.clean_with(text, None)
    }

    /// Cleans one document of a corpus: like [`clean`](Self::clean), and a line that is not
    /// prose and recurs in enough documents of the corpus is dropped too
    /// (`heuristic/corpus-repeat`). `stats` come from [`keys`](Self::keys) of every document.
    pub fn clean_in_corpus<'a>(&self, text: &'a str, stats: &CorpusStats) -> Outcome<'a> {
        self.clean_with(text, Some(stats))
    }

    fn clean_with<'a>(&self, text: &'a str, corpus: Option<&CorpusStats>) -> Outcome<'a> {
        self.clean_part(text, 0..text.len(), 1, corpus)
    }

    /// Cleans the part `range` of `text` as a document of its own, its lines numbered from
    /// `first_number` and spanned in `text`.
    pub(crate) fn clean_part<'a>(
        &self,
        text: &'a str,
        range: Range<usize>,
        first_number: usize,
        corpus: Option<&CorpusStats>,
    ) -> Outcome<'a> {
        self.clean_part_with(text, range, first_number, corpus, self.model.as_deref())
    }

    fn clean_part_with<'a>(
        &self,
        text: &'a str,
        range: Range<usize>,
        first_number: usize,
        corpus: Option<&CorpusStats>,
        model: Option<&Model>,
    ) -> Outcome<'a> {
        let start = range.start;
        let input_len = range.len();
        let (mut lines, mut facts, mut header, edited) =
            self.first_pass(text, range, first_number, corpus);
        self.run_model(&mut lines, &facts.shapes, model);
        self.settle(&mut lines, &mut header, &mut facts, corpus, edited, model);
        Outcome {
            header,
            lines,
            input_len,
            start,
            first_number,
        }
    }

    /// Split, normalize, and one pass of the rules and heuristics: the lines, their facts,
    /// the header, and whether a rule shortened a line.
    #[allow(clippy::type_complexity)]
    fn first_pass<'a>(
        &self,
        text: &'a str,
        range: Range<usize>,
        first_number: usize,
        corpus: Option<&CorpusStats>,
    ) -> (Vec<Line<'a>>, Facts, Option<Cow<'a, str>>, bool) {
        let parallel = range.len() > PARALLEL_BYTES;
        let (header, lines) = doc::split_part(text, range, first_number);
        let mut lines = self.normalize(lines, parallel);
        let header = header.or_else(|| lines.first_mut().and_then(doc::lift_normalized_header));
        let settings = self.rules.settings();
        let shapes = if parallel {
            lines
                .par_iter()
                .with_min_len(CHUNK_LINES)
                .map(|l| shape(&l.text, &settings.prose))
                .collect()
        } else {
            lines
                .iter()
                .map(|l| shape(&l.text, &settings.prose))
                .collect()
        };
        let mut facts = Facts {
            shapes,
            hits: vec![None; lines.len()],
            memo: Memo::default(),
            parallel,
        };
        let edits = |lines: &[Line<'_>]| lines.iter().map(|l| l.edits.len()).sum::<usize>();
        let before = edits(&lines);
        self.apply_rules(&mut lines, &mut facts);
        self.heuristics
            .run(&mut lines, &facts.shapes, corpus, &mut facts.memo);
        let edited = edits(&lines) != before;
        (lines, facts, header, edited)
    }

    /// Pass 1 of corpus mode: the keys of a document's normalized lines, to add to a
    /// [`CorpusStats`].
    pub fn keys(&self, text: &str) -> DocumentKeys {
        let (header, lines) = doc::split(text);
        let mut lines = self.normalize(lines, text.len() > PARALLEL_BYTES);
        if header.is_none()
            && let Some(first) = lines.first_mut()
        {
            doc::lift_normalized_header(first);
        }
        let mut buf = String::new();
        let mut doc = Fnv::new();
        let min_letters = self.rules.settings().corpus.min_letters;
        let mut keys = Vec::with_capacity(lines.len());
        for line in &lines {
            doc.write(line.text.as_bytes());
            doc.write(b"\n");
            keys.extend(line_key(&line.text, min_letters, &mut buf));
        }
        keys.sort_unstable();
        keys.dedup();
        DocumentKeys {
            document: doc.0,
            lines: keys,
        }
    }

    /// Normalizes every line: repairs and NFC, then the `replace` rules and white space. A
    /// repair that makes a line break (a character reference to U+2028 or U+2029) splits the
    /// line into pieces, which keep the line's number and span: the output never holds a line
    /// break inside a line.
    ///
    /// `parallel`: over chunks of lines on the rayon pool (see [`PARALLEL_BYTES`]).
    fn normalize<'a>(&self, mut lines: Vec<Line<'a>>, parallel: bool) -> Vec<Line<'a>> {
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
    fn repair_one(&self, line: &mut Line<'_>) {
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
    fn finish(&self, line: &mut Line<'_>, scratch: &mut Vec<u32>) {
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
    fn settle<'a>(
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
                        facts.shapes[i] = shape(&lines[i].text, &self.rules.settings().prose);
                        facts.hits[i] = None;
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
                facts.shapes.swap(w, r);
                facts.hits.swap(w, r);
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
            self.run_model(round, &facts.shapes[..active], model);
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

    /// One forward pass: at each non-blank line, a `cut-tail` marker ends the document, a
    /// `drop-block` start drops its block, a `drop-line` rule drops the line, and otherwise the
    /// `strip-span` rules edit it.
    fn apply_rules(&self, lines: &mut [Line<'_>], facts: &mut Facts) {
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
                    .any(|&h| rules[(h >> 1) as usize].has_fraction())
                {
                    let p = prefix.get_or_insert_with(|| self.prose_prefix(lines, &facts.shapes));
                    place.offset = p[i];
                    place.len = p[lines.len()];
                }
                let chars = lines[i].text.chars().count();
                let firing = || {
                    hits.iter()
                        .filter(|&&slot| slot == main_slot(slot >> 1))
                        .map(|&slot| (slot >> 1, &rules[(slot >> 1) as usize]))
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
                        facts.shapes[i] = shape(&lines[i].text, &self.rules.settings().prose);
                        facts.hits[i] = None;
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
    fn prose_prefix(&self, lines: &[Line<'_>], shapes: &[Shape]) -> Vec<usize> {
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

    /// The last line of the block that `drop-block` rule `idx` starts at line `start`, if its
    /// end comes within `max-lines` lines. A blank-line end leaves the blank line out; the end
    /// of the document also ends such a block.
    fn block_end(
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
                hits.contains(&end_slot(idx))
            }
        })
    }

    /// Applies `strip-span` rule `rule` to a kept line; true when the text got shorter.
    fn strip(&self, line: &mut Line<'_>, rule: u32) -> bool {
        if !line.verdict.is_keep() {
            return false;
        }
        let r = &self.rules.rules()[rule as usize];
        let mut text: Option<String> = None;
        for re in self.rules.matchers.rule_regexes(rule) {
            // A space, not nothing: the words on either side of a span must not run together.
            // White-space normalization below collapses and trims it.
            let current = text.as_deref().unwrap_or(&line.text);
            // A group named `span` is what goes; the rest of the match is context.
            let replaced = re.replace_all(current, |caps: &regex::Captures<'_>| {
                let all = caps.get(0).expect("group 0 is the whole match");
                match caps.name("span") {
                    Some(span) => format!(
                        "{} {}",
                        &current[all.start()..span.start()],
                        &current[span.end()..all.end()]
                    ),
                    None => " ".to_string(),
                }
            });
            if let Cow::Owned(s) = replaced {
                text = Some(s);
            }
        }
        let Some(mut text) = text else {
            return false;
        };
        if let Some(w) = normalize::whitespace(&text) {
            text = w;
        }
        // A span of white space, or an empty match, leaves the text as it was.
        if text.len() >= line.text.len() {
            return false;
        }
        line.text = Cow::Owned(text);
        line.edits.push(Arc::clone(&r.id));
        if line.text.is_empty() {
            line.drop(&r.id, &r.description);
        }
        true
    }
}

/// What the rules and heuristics know of each line of a document, kept from round to round
/// (see `Pipeline::settle`): its shape, and the rule slots that match its text, `None` until
/// it is matched or after its text changed; and what the heuristics keep.
struct Facts {
    shapes: Vec<Shape>,
    hits: Vec<Option<Box<[u32]>>>,
    memo: Memo,
    /// A large document: match lines ahead in parallel (see [`PARALLEL_BYTES`]).
    parallel: bool,
}

impl Facts {
    /// Matches the non-blank lines from `from` to the end of `lines` that are not matched
    /// yet, in parallel: what [`hits_into`](Self::hits_into) would find for each, found ahead.
    fn match_ahead(&mut self, lines: &[Line<'_>], from: usize, matchers: &crate::rules::Matchers) {
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
    fn hits_into(
        &mut self,
        i: usize,
        text: &str,
        matchers: &crate::rules::Matchers,
        buf: &mut String,
        out: &mut Vec<u32>,
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
