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

mod block;
mod check;
mod corpus;
pub mod documents;
mod normalize;
mod options;
mod outcome;
mod rules;
mod settle;
mod strip;

pub use check::CheckFailure;
pub use options::{PipelineBuilder, RuleSet, RuleSetBuilder, Style};
pub use outcome::{Outcome, RuleStats, Stats};

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::corpus::{CorpusStats, DocumentKeys, Fnv, line_key};
use crate::doc::shape::{Shape, shape};
use crate::doc::{self, Line};
use crate::heuristics::{Heuristics, Memo};
use crate::model::Model;
use crate::model::features::Infos;
use crate::repair::{RepairOptions, Repairs};
use rules::Facts;

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
    /// Ids whose verdicts the model leaves as they are: the user's own rules and the corpus
    /// mode's repeats.
    standing: Vec<Arc<str>>,
}

impl Pipeline {
    /// A builder of every option a pipeline is made from, at their defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

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

    /// Runs the line model over `lines`, whose shapes are `shapes` and of which the model
    /// read `infos` in earlier rounds, if there is one.
    fn run_model(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        infos: &mut Infos,
        model: Option<&Model>,
    ) {
        if let Some(m) = model {
            let titles = self.heuristics.titles(lines, shapes);
            let settings = self.rules.settings();
            m.decide(
                lines,
                infos,
                settings,
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
        self.run_model(&mut lines, &facts.shapes, &mut facts.infos, model);
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
            infos: Infos::default(),
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
}
