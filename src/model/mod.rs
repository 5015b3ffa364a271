//! The line model: a classifier trained on pages with gold article text, that decides last
//! which lines are content.
//!
//! It runs after the rules and heuristics, in every settle round, and reads their verdicts as
//! features (see [`features`]). Stage 1 is a logistic regression over hashed features of a
//! line and its neighbours' shapes; stage 2 is a second logistic regression over the stage-1
//! probabilities of the line and of its neighbours in windows of up to ten lines, so that a
//! comment thread or a run of teasers is judged as a run and a list inside the article as part
//! of it. A line whose stage-2 probability of being content is below the model's threshold is
//! dropped (`model/line`); a line the built-in rules or heuristics dropped is kept again when
//! the model is sure of it (at or above the restore threshold). Verdicts of a user's own rule
//! files, and of `heuristic/corpus-repeat`, stand: they are what the user asked for.
//!
//! The model is data, like the rules: `models/line.model` is compiled into the binary, and
//! [`Model::from_bytes`] loads another one (`thresh train` writes them, `--model FILE` uses
//! one). [`label`] makes training labels from gold text, and [`train`] fits and
//! cross-validates a model.

pub mod features;
pub mod label;
pub mod score;
pub mod train;

use std::sync::{Arc, OnceLock};

use crate::doc::{Line, Verdict};
use crate::error::Error;
use crate::heuristics::Settings;
use features::{Context, Dot, Feats, Infos, Page, Part};

/// The id in the verdicts of lines the model dropped; `--ignore model` switches it off.
pub const ID: &str = "model/line";

/// [`ID`], shared by every verdict of the model.
fn shared_id() -> Arc<str> {
    static SHARED: OnceLock<Arc<str>> = OnceLock::new();
    SHARED.get_or_init(|| Arc::from(ID)).clone()
}

/// The built-in model's bytes.
const BUILTIN: &[u8] = include_bytes!("../../models/line.model");

/// The first bytes of a model file.
const MAGIC: &[u8; 8] = b"THRESHLM";
/// The format version this build reads and writes.
const VERSION: u32 = 1;

/// A trained line model: two tables of weights and the decision thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) bits1: u32,
    pub(crate) bits2: u32,
    pub(crate) w1: Vec<f32>,
    pub(crate) w2: Vec<f32>,
    /// Below this stage-2 probability a kept line is dropped.
    pub(crate) threshold: f32,
    /// At or above this stage-2 probability a line the built-in rules dropped is kept.
    pub(crate) restore: f32,
    /// Below this stage-2 probability a kept prose line (long enough and ending like a
    /// sentence) is dropped: a sentence needs stronger evidence than a label.
    pub(crate) prose: f32,
    /// What the model was trained on, its settings and cross-validation scores: text for
    /// people, stored in the file.
    pub(crate) about: String,
}

/// How sure the model is of one line, and why: for `explain` and the JSON report.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The stage-1 probability that the line is content (the line alone).
    pub line_probability: f32,
    /// The stage-2 probability (the line with its neighbours): what the model decides on.
    pub probability: f32,
    /// The features that weighed most, by the size of their contribution to the stage-1
    /// score, with that contribution (positive: towards content).
    pub top: Vec<(String, f32)>,
}

impl Model {
    /// The model compiled into the binary, if the build has one.
    pub fn builtin() -> Option<&'static Model> {
        Model::shared_builtin().map(|m| &**m)
    }

    /// The built-in model, read once and shared by every pipeline.
    pub(crate) fn shared_builtin() -> Option<&'static Arc<Model>> {
        static MODEL: OnceLock<Option<Arc<Model>>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                (!BUILTIN.is_empty()).then(|| {
                    Arc::new(
                        Model::from_bytes("models/line.model", BUILTIN)
                            .expect("the built-in model is valid"),
                    )
                })
            })
            .as_ref()
    }

    /// Reads a model file's bytes; `name` is used in error messages.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Model, Error> {
        let err = |m: String| Error::model(name, m);
        let mut r = Reader { bytes, at: 0 };
        let magic = r.take(8).map_err(&err)?;
        if magic != MAGIC {
            return Err(err(
                "not a thresh line model: expected a file written by `thresh train`".into(),
            ));
        }
        let version = r.u32().map_err(&err)?;
        if version != VERSION {
            return Err(err(format!(
                "model format version {version}, expected {VERSION}: retrain it with this \
                 version of `thresh train`"
            )));
        }
        let bits1 = r.u32().map_err(&err)?;
        let bits2 = r.u32().map_err(&err)?;
        if !(8..=24).contains(&bits1) || !(4..=24).contains(&bits2) {
            return Err(err(format!(
                "table sizes 2^{bits1} and 2^{bits2}, expected 2^8..2^24 and 2^4..2^24"
            )));
        }
        let threshold = r.f32().map_err(&err)?;
        let restore = r.f32().map_err(&err)?;
        let prose = r.f32().map_err(&err)?;
        if ![threshold, restore, prose]
            .iter()
            .all(|p| (0.0..=1.0).contains(p))
        {
            return Err(err(format!(
                "thresholds {threshold}, {restore} and {prose}, expected probabilities in 0..1"
            )));
        }
        let about_len = r.u32().map_err(&err)? as usize;
        let about = String::from_utf8(r.take(about_len).map_err(&err)?.to_vec())
            .map_err(|_| err("the description is not UTF-8".into()))?;
        let w1 = r.weights(1 << bits1).map_err(&err)?;
        let w2 = r.weights(1 << bits2).map_err(&err)?;
        if r.at != bytes.len() {
            return Err(err(format!(
                "{} bytes after the weights, expected the end of the file",
                bytes.len() - r.at
            )));
        }
        if w1.iter().chain(&w2).any(|w| !w.is_finite()) {
            return Err(err("a weight is not a finite number".into()));
        }
        Ok(Model {
            bits1,
            bits2,
            w1,
            w2,
            threshold,
            restore,
            prose,
            about,
        })
    }

    /// The model file's bytes: the same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(40 + self.about.len() + 4 * (self.w1.len() + self.w2.len()));
        out.extend_from_slice(MAGIC);
        for v in [VERSION, self.bits1, self.bits2] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&self.restore.to_le_bytes());
        out.extend_from_slice(&self.prose.to_le_bytes());
        out.extend_from_slice(&(self.about.len() as u32).to_le_bytes());
        out.extend_from_slice(self.about.as_bytes());
        for w in self.w1.iter().chain(&self.w2) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// What the model was trained on, with its settings and cross-validation scores.
    pub fn about(&self) -> &str {
        &self.about
    }

    /// The stage-2 probability below which a kept line is dropped.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The stage-2 probability at or above which a line the built-in rules or heuristics
    /// dropped is kept (1: never).
    pub fn restore_threshold(&self) -> f32 {
        self.restore
    }

    /// The page's features and the stage-1 and stage-2 probabilities of its non-blank lines.
    /// `infos` are the facts of `lines` kept from an earlier round, brought up to date here.
    fn score(&self, lines: &[Line<'_>], settings: &Settings, infos: &mut Infos) -> Scored {
        infos.update(lines, settings);
        let page = features::page(lines, infos);
        let p1 = features::stage1_probabilities(&page, infos, lines, &self.w1);
        let cx = Context::new(&page, infos, &p1);
        let mut dot = Dot::new(&self.w2, Part::All);
        // Without restores only the kept lines are decided.
        let skip = |k: usize| !self.restores() && !lines[page.lines()[k]].verdict.is_keep();
        let p2 = (0..p1.len())
            .map(|k| {
                if skip(k) {
                    return 0.0;
                }
                features::stage2(&cx, k, &mut dot);
                sigmoid(dot.sum)
            })
            .collect();
        Scored { page, p1, p2 }
    }

    /// True when the model keeps again lines the built-in rules dropped (a restore
    /// threshold below 1).
    pub(crate) fn restores(&self) -> bool {
        self.restore < 1.0
    }

    /// Decides the non-blank lines of `lines` (a page, or the lines a settle round shows):
    /// drops those below the threshold and keeps again those at or above the restore
    /// threshold, unless their verdict `stands` (a user's rule). The `titles`, protected
    /// lines (`[protect]` in the heuristic settings) and lines without words are left as
    /// they are. `infos` are what the model read of `lines` in earlier rounds (empty at
    /// first).
    pub(crate) fn decide(
        &self,
        lines: &mut [Line<'_>],
        infos: &mut Infos,
        settings: &Settings,
        titles: &[usize],
        is_prose: impl Fn(usize) -> bool,
        stands: impl Fn(&str) -> bool,
    ) {
        let scored = self.score(lines, settings, infos);
        let (threshold, restore) = (self.threshold, self.restore);
        // Decided on the lines as they came in, then applied.
        let mut drops: Vec<(usize, Arc<str>)> = Vec::new();
        let mut restores: Vec<usize> = Vec::new();
        for (k, &i) in scored.page.lines().iter().enumerate() {
            if titles.contains(&i) || !infos[i].has_words() {
                continue;
            }
            let p = scored.p2[k];
            match &lines[i].verdict {
                // Protected lines (attributions, bylines, cited studies) stay, as they do
                // against every heuristic.
                Verdict::Keep
                    if p < threshold
                        && (p < self.prose || !is_prose(i))
                        && !settings.protect.is_match(&lines[i].text) =>
                {
                    let top = self.top_features(&scored, infos, k, lines, 3);
                    let weighed: Vec<String> =
                        top.iter().map(|(n, w)| format!("{n} {w:+.2}")).collect();
                    drops.push((
                        i,
                        Arc::from(format!(
                            "the line model puts the chance that this is article text at \
                             {p:.2}, below {threshold:.2}; weighed most: {}",
                            weighed.join(", ")
                        )),
                    ));
                }
                Verdict::Drop(d) if self.restores() && p >= restore && !stands(&d.by) => {
                    restores.push(i)
                }
                _ => {}
            }
        }
        let id = shared_id();
        for (i, reason) in drops {
            lines[i].drop(&id, &reason);
        }
        for i in restores {
            lines[i].verdict = Verdict::Keep;
        }
    }

    /// Why the model scores line `index` of `lines` as it does: its probabilities and the
    /// `top` features that weighed most in stage 1, strongest first.
    pub fn explain(
        &self,
        lines: &[Line<'_>],
        settings: &Settings,
        index: usize,
        top: usize,
    ) -> Option<Explanation> {
        let mut infos = Infos::default();
        let scored = self.score(lines, settings, &mut infos);
        let k = scored.page.lines().iter().position(|&i| i == index)?;
        Some(Explanation {
            line_probability: scored.p1[k],
            probability: scored.p2[k],
            top: self.top_features(&scored, &infos, k, lines, top),
        })
    }

    /// The `n` stage-1 features of the `k`-th non-blank line that weighed most, by the size
    /// of their contribution, strongest first (ties by name).
    fn top_features(
        &self,
        scored: &Scored,
        infos: &Infos,
        k: usize,
        lines: &[Line<'_>],
        n: usize,
    ) -> Vec<(String, f32)> {
        // Weighed without names first; then only the strongest are named.
        let mut f = Feats::new(self.bits1);
        features::stage1(&scored.page, infos, k, lines, &mut f);
        let mut order: Vec<(usize, f32)> = (f.idx.iter().zip(&f.val).enumerate())
            .skip(1) // the bias
            .map(|(at, (&i, &v))| (at, self.w1[i as usize] * v))
            .collect();
        order.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        order.truncate(n);
        let mut named = Feats::named_at(self.bits1, order.iter().map(|&(at, _)| at).collect());
        features::stage1(&scored.page, infos, k, lines, &mut named);
        let names = named.names.take().unwrap_or_default();
        let contributions: Vec<(String, f32)> = order
            .into_iter()
            .map(|(at, w)| (names[at].clone(), w))
            .collect();
        contributions
    }
}

struct Scored {
    page: Page,
    p1: Vec<f32>,
    p2: Vec<f32>,
}

/// The logistic function.
#[inline]
pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x.clamp(-30.0, 30.0)).exp())
}

/// Reads a model file front to back.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "the file ends at byte {}, expected {n} more bytes at byte {}: a truncated \
                 model file",
                self.bytes.len(),
                self.at
            ));
        };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn weights(&mut self, n: usize) -> Result<Vec<f32>, String> {
        let raw = self.take(n * 4)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        Model {
            bits1: 8,
            bits2: 4,
            w1: (0..256).map(|i| i as f32 / 100.0 - 1.0).collect(),
            w2: (0..16).map(|i| i as f32 / 10.0).collect(),
            threshold: 0.4,
            restore: 0.9,
            prose: 0.1,
            about: "a test model".into(),
        }
    }

    #[test]
    fn explain_names_the_weightiest_features() {
        let m = tiny();
        let settings = Settings::builtin();
        let (_, lines) = crate::doc::split("Menu\nThe mayor said the budget would pass.\n");
        let e = m
            .explain(&lines, &settings, 1, 3)
            .expect("a line with words");
        assert_eq!(e.top.len(), 3);
        assert!(
            e.top.iter().all(|(name, _)| name.contains('=')),
            "{:?}",
            e.top
        );
        let sizes: Vec<f32> = e.top.iter().map(|(_, w)| w.abs()).collect();
        assert!(
            sizes.windows(2).all(|w| w[0] >= w[1]),
            "strongest first: {sizes:?}"
        );
        assert!((0.0..=1.0).contains(&e.probability));
        assert!(m.explain(&lines, &settings, 5, 3).is_none(), "no such line");
    }

    #[test]
    fn decide_drops_below_the_threshold_and_leaves_titles_and_stand_alone() {
        // Every feature weighs against: every line is below the thresholds.
        let mut m = tiny();
        m.w1 = vec![-0.5; 256];
        m.w2 = vec![-0.5; 16];
        m.threshold = 0.5;
        m.prose = 0.5;
        let settings = Settings::builtin();
        let (_, mut lines) = crate::doc::split("Title here\nSome words on a line.\nSource: AFP\n");
        let mut infos = Infos::default();
        m.decide(
            &mut lines,
            &mut infos,
            &settings,
            &[0],
            |_| false,
            |_| false,
        );
        assert!(lines[0].verdict.is_keep(), "the title stays");
        assert_eq!(lines[1].verdict.dropped().map(|d| &*d.by), Some(ID));
        assert!(
            lines[1]
                .verdict
                .dropped()
                .unwrap()
                .reason
                .contains("weighed most")
        );
        assert!(lines[2].verdict.is_keep(), "a protected attribution stays");
    }

    #[test]
    fn bytes_round_trip() {
        let m = tiny();
        let bytes = m.to_bytes();
        assert_eq!(Model::from_bytes("m", &bytes).unwrap(), m);
        assert_eq!(m.to_bytes(), bytes);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = Model::from_bytes("x.model", b"hello").unwrap_err();
        assert!(e.to_string().starts_with("x.model: "), "{e}");
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = Model::from_bytes("x.model", b"NOTAMODEL___________").unwrap_err();
        assert!(e.to_string().contains("not a thresh line model"), "{e}");
        let mut bytes = tiny().to_bytes();
        bytes.pop();
        let e = Model::from_bytes("x.model", &bytes).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let mut bytes = tiny().to_bytes();
        bytes.push(0);
        let e = Model::from_bytes("x.model", &bytes).unwrap_err();
        assert!(e.to_string().contains("after the weights"), "{e}");
        let mut bytes = tiny().to_bytes();
        bytes[8] = 9;
        let e = Model::from_bytes("x.model", &bytes).unwrap_err();
        assert!(e.to_string().contains("version 9"), "{e}");
    }
}
