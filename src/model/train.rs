//! Fitting a line model to pages with gold text, and cross-validating it by site.
//!
//! Each page is cleaned by the pipeline without a model, once, as the model first sees it
//! (normalized, with the rules' and heuristics' verdicts); its non-blank lines get stage-1
//! features and a label from the gold ([`super::label`]). Stage 1 is fitted on every line;
//! stage 2 is fitted on stage-1 probabilities that are out of fold (each page's from a stage 1
//! fitted without its site), so that it learns how far stage 1 is to be trusted on pages it
//! has not seen. Both are logistic regressions fitted by AdaGrad with an L2 penalty, in a
//! shuffled order drawn from a fixed seed: the same pages and options give the same model,
//! bit for bit, at any thread count.

use rayon::prelude::*;

use super::features::{self, Context, Feats};
use super::label::{labels, tokens};
use super::score::{self, Counts};
use super::{Model, sigmoid};
use crate::Pipeline;

/// One training page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its name, for messages.
    pub id: String,
    /// The set it belongs to (the folder), for the report.
    pub set: String,
    /// Its site: cross-validation keeps a site's pages in one fold.
    pub group: String,
    /// The scraped text.
    pub input: String,
    /// The gold article text.
    pub gold: String,
}

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Stage 1's table has `2^bits1` weights.
    pub bits1: u32,
    /// Stage 2's table has `2^bits2` weights.
    pub bits2: u32,
    /// Passes over the lines.
    pub epochs: usize,
    /// AdaGrad's learning rate.
    pub rate: f32,
    /// The L2 penalty.
    pub l2: f32,
    /// Below this probability a line is dropped.
    pub threshold: f32,
    /// At or above this probability a line the rules dropped is kept.
    pub restore: f32,
    /// Below this probability a prose line (a sentence) is dropped.
    pub prose: f32,
    /// The seed of the shuffles.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            bits1: 20,
            bits2: 14,
            epochs: 4,
            rate: 0.1,
            l2: 1e-6,
            threshold: 0.15,
            restore: 1.0,
            prose: 0.05,
            seed: 1,
        }
    }
}

/// A page made ready for fitting: two views of it, the scraped page and the page cleaned to
/// its gold lines. The second teaches the model that text already clean stays as it is, so
/// that cleaning its own output, as the settle rounds do, takes nothing more away.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    views: Vec<View>,
}

/// One view of a page: the stage-1 features and labels of its lines.
#[derive(Debug, Clone, Default)]
struct View {
    /// The feature indexes of all lines, one after the other.
    idx: Vec<u32>,
    val: Vec<f32>,
    /// Where each line's features start in `idx` (and one past the last).
    start: Vec<u32>,
    /// Per non-blank line: 1 content, 0 not, -1 no label (no word tokens).
    label: Vec<f32>,
    /// Per non-blank line: the weight of its example.
    weight: Vec<f32>,
    /// Per non-blank line: its characters (stage 2's context).
    chars: Vec<u32>,
    /// Per non-blank line: the rules or heuristics dropped it.
    dropped: Vec<bool>,
}

impl View {
    fn lines(&self) -> usize {
        self.label.len()
    }

    fn feats(&self, k: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.start[k] as usize, self.start[k + 1] as usize);
        (&self.idx[a..b], &self.val[a..b])
    }
}

/// Cleans `page` without a model and makes its lines' stage-1 features and labels.
/// `pipeline` carries the rules, heuristics and settings the model will run with.
pub fn prepare(pipeline: &Pipeline, page: &Page, bits1: u32) -> Prepared {
    let (full, clean) = view(pipeline, &page.input, &page.gold, bits1);
    let mut views = vec![full];
    if !clean.is_empty() {
        views.push(view(pipeline, &clean, &page.gold, bits1).0);
    }
    Prepared { views }
}

/// The view of `input` with labels from `gold`, and the text of its content lines.
fn view(pipeline: &Pipeline, input: &str, gold: &str, bits1: u32) -> (View, String) {
    let (lines, titles) = pipeline.model_view(input);
    let settings = pipeline.rules().settings();
    let infos = features::line_infos(&lines, settings);
    let fpage = features::page(&lines, &infos);
    let texts: Vec<&str> = fpage
        .lines()
        .iter()
        .map(|&i| lines[i].text.as_ref())
        .collect();
    let gold = labels(&texts, gold);
    let mut clean = String::new();
    let mut blank = false;
    let mut k = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            blank = !clean.is_empty();
        } else {
            debug_assert_eq!(fpage.lines()[k], i);
            if gold[k] == Some(true) {
                if blank {
                    clean.push('\n');
                }
                clean.push_str(&line.text);
                clean.push('\n');
                blank = false;
            }
            k += 1;
        }
    }
    let mut out = View::default();
    let mut f = Feats::new(bits1);
    out.start.push(0);
    for (k, (&i, label)) in fpage.lines().iter().zip(gold).enumerate() {
        features::stage1(&fpage, &infos, k, &lines, &mut f);
        out.idx.extend_from_slice(&f.idx);
        out.val.extend_from_slice(&f.val);
        out.start.push(out.idx.len() as u32);
        // The title is the model's to leave alone, not to learn from.
        out.label.push(match label {
            _ if titles.contains(&i) => -1.0,
            Some(true) => 1.0,
            Some(false) => 0.0,
            None => -1.0,
        });
        let n = tokens(&lines[i].text).len() as f32;
        out.weight.push(n.sqrt().max(1.0));
        out.chars.push(lines[i].text.chars().count() as u32);
        out.dropped.push(!lines[i].verdict.is_keep());
    }
    (out, clean)
}

/// A small deterministic generator (splitmix64) for the shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Fits a logistic regression by AdaGrad over `examples` (index, values, label, weight).
fn fit_lr<'e>(
    bits: u32,
    examples: &[(&'e [u32], &'e [f32], f32, f32)],
    o: &Options,
    seed: u64,
) -> Vec<f32> {
    let mut w = vec![0f32; 1 << bits];
    let mut g2 = vec![0f32; 1 << bits];
    let mut order: Vec<u32> = (0..examples.len() as u32).collect();
    let mut rng = Rng(seed);
    for _ in 0..o.epochs {
        rng.shuffle(&mut order);
        for &e in &order {
            let (idx, val, y, weight) = examples[e as usize];
            let z: f32 = idx.iter().zip(val).map(|(&i, &v)| w[i as usize] * v).sum();
            let err = (sigmoid(z) - y) * weight;
            for (&i, &v) in idx.iter().zip(val) {
                let i = i as usize;
                let g = err * v + o.l2 * w[i];
                g2[i] += g * g;
                w[i] -= o.rate * g / (g2[i].sqrt() + 1e-6);
            }
        }
    }
    w
}

/// The labelled stage-1 examples of `pages`.
fn stage1_examples<'p>(pages: &[&'p Prepared]) -> Vec<(&'p [u32], &'p [f32], f32, f32)> {
    let mut out = Vec::new();
    for p in pages.iter().flat_map(|p| &p.views) {
        for k in 0..p.lines() {
            if p.label[k] >= 0.0 {
                let (idx, val) = p.feats(k);
                out.push((idx, val, p.label[k], p.weight[k]));
            }
        }
    }
    out
}

/// Stage 1's probabilities of a view's lines.
fn predict1(w: &[f32], p: &View) -> Vec<f32> {
    (0..p.lines())
        .map(|k| {
            let (idx, val) = p.feats(k);
            sigmoid(idx.iter().zip(val).map(|(&i, &v)| w[i as usize] * v).sum())
        })
        .collect()
}

/// Stage 2's features of every line of a page, from stage-1 probabilities `p1`.
fn stage2_feats(bits2: u32, p: &View, p1: &[f32]) -> Vec<(Vec<u32>, Vec<f32>)> {
    let cx = Context::from_chars(p1, &p.chars);
    let mut f = Feats::new(bits2);
    (0..p.lines())
        .map(|k| {
            features::stage2(&cx, k, &mut f);
            (f.idx.clone(), f.val.clone())
        })
        .collect()
}

/// The fold (of `k`) of a site: a hash of its name, the same on every machine.
fn fold_of(group: &str, k: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in group.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % k as u64) as usize
}

/// Fits a model to `pages` (prepared in the same order as `meta`). `about` is stored in it.
pub fn fit(prepared: &[&Prepared], groups: &[&str], o: &Options, about: String) -> Model {
    // Out-of-fold stage-1 probabilities for stage 2: three folds by site.
    const INNER: usize = 3;
    let inner: Vec<Vec<Vec<f32>>> = {
        let folds: Vec<usize> = groups.iter().map(|g| fold_of(g, INNER)).collect();
        let weights: Vec<Vec<f32>> = (0..INNER)
            .into_par_iter()
            .map(|f| {
                let train: Vec<&Prepared> = prepared
                    .iter()
                    .zip(&folds)
                    .filter(|(_, x)| **x != f)
                    .map(|(p, _)| *p)
                    .collect();
                fit_lr(o.bits1, &stage1_examples(&train), o, o.seed + f as u64 + 1)
            })
            .collect();
        prepared
            .par_iter()
            .zip(&folds)
            .map(|(p, &f)| (p.views.iter()).map(|v| predict1(&weights[f], v)).collect())
            .collect()
    };
    let (w1, w2) = rayon::join(
        || fit_lr(o.bits1, &stage1_examples(prepared), o, o.seed),
        || {
            let views: Vec<(&View, &Vec<f32>)> = prepared
                .iter()
                .zip(&inner)
                .flat_map(|(p, p1)| p.views.iter().zip(p1))
                .collect();
            let feats: Vec<Vec<(Vec<u32>, Vec<f32>)>> = views
                .par_iter()
                .map(|(v, p1)| stage2_feats(o.bits2, v, p1))
                .collect();
            let mut examples = Vec::new();
            for ((p, _), fs) in views.iter().zip(&feats) {
                for (k, (idx, val)) in fs.iter().enumerate() {
                    if p.label[k] >= 0.0 {
                        examples.push((idx.as_slice(), val.as_slice(), p.label[k], p.weight[k]));
                    }
                }
            }
            fit_lr(o.bits2, &examples, o, o.seed ^ 0x5eed)
        },
    );
    Model {
        bits1: o.bits1,
        bits2: o.bits2,
        w1,
        w2,
        threshold: o.threshold,
        restore: o.restore,
        prose: o.prose,
        about,
    }
}

/// The scores of one set of pages, without and with the model.
#[derive(Debug, Clone, Default)]
pub struct SetScores {
    /// The set's name.
    pub set: String,
    /// The rules and heuristics alone.
    pub without: Counts,
    /// With the model.
    pub with: Counts,
}

/// A site-grouped cross-validation: each fold's pages cleaned by a model fitted without
/// their sites, scored against their gold.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Folds.
    pub folds: usize,
    /// Sites.
    pub sites: usize,
    /// Per set, in name order.
    pub sets: Vec<SetScores>,
    /// Each page's text as its fold's model cleaned it, in the order of the pages.
    pub outputs: Vec<String>,
}

/// Cross-validates over `k` folds of sites. `pipeline` runs without a model; each fold's
/// pages are cleaned by it with the fold's model.
pub fn cross_validate(
    pipeline: &Pipeline,
    pages: &[Page],
    prepared: &[Prepared],
    k: usize,
    o: &Options,
) -> Report {
    let folds: Vec<usize> = pages.iter().map(|p| fold_of(&p.group, k)).collect();
    let models: Vec<Model> = (0..k)
        .map(|f| {
            let (train, groups): (Vec<&Prepared>, Vec<&str>) = prepared
                .iter()
                .zip(pages)
                .zip(&folds)
                .filter(|(_, x)| **x != f)
                .map(|((p, page), _)| (p, page.group.as_str()))
                .unzip();
            fit(&train, &groups, o, String::new())
        })
        .collect();
    let (scored, outputs): (Vec<(Counts, Counts)>, Vec<String>) = pages
        .par_iter()
        .zip(&folds)
        .map(|(page, &f)| {
            let without = pipeline.clean_using(&page.input, None).text();
            let with = pipeline.clean_using(&page.input, Some(&models[f])).text();
            let counts = (
                score::page(&page.input, &page.gold, &without),
                score::page(&page.input, &page.gold, &with),
            );
            (counts, with)
        })
        .unzip();
    let mut sets: Vec<SetScores> = Vec::new();
    for (page, (without, with)) in pages.iter().zip(&scored) {
        let at = match sets.iter().position(|s| s.set == page.set) {
            Some(at) => at,
            None => {
                sets.push(SetScores {
                    set: page.set.clone(),
                    ..SetScores::default()
                });
                sets.len() - 1
            }
        };
        sets[at].without.add(without);
        sets[at].with.add(with);
    }
    sets.sort_by(|a, b| a.set.cmp(&b.set));
    let mut sites: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
    sites.sort_unstable();
    sites.dedup();
    Report {
        folds: k,
        sites: sites.len(),
        sets,
        outputs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn pages() -> Vec<Page> {
        (0..12)
            .map(|n| Page {
                id: format!("p{n}"),
                set: "t".into(),
                group: format!("site{}", n % 6),
                input: format!(
                    "Home\nNews\nSport\nA council vote number {n} passed on Monday after a long debate.\n\
                     The mayor said the budget would fund new schools and roads in the city.\n\
                     Reply\nShare this\nSubscribe to our newsletter for more\n"
                ),
                gold: format!(
                    "A council vote number {n} passed on Monday after a long debate.\n\
                     The mayor said the budget would fund new schools and roads in the city.\n"
                ),
            })
            .collect()
    }

    #[test]
    fn fitting_is_deterministic_and_learns_the_pages() {
        let pipeline = Pipeline::new(RuleSet::builder().ignore(["model"]).build().unwrap());
        let pages = pages();
        let o = Options {
            bits1: 12,
            bits2: 8,
            ..Options::default()
        };
        let prepared: Vec<Prepared> = pages.iter().map(|p| prepare(&pipeline, p, 12)).collect();
        let refs: Vec<&Prepared> = prepared.iter().collect();
        let groups: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
        let a = fit(&refs, &groups, &o, "x".into());
        let b = fit(&refs, &groups, &o, "x".into());
        assert_eq!(a.to_bytes(), b.to_bytes());
        let out = pipeline.clean_using(&pages[0].input, Some(&a)).text();
        assert!(out.contains("The mayor said"), "{out}");
        assert!(!out.contains("Subscribe"), "{out}");
        let report = cross_validate(&pipeline, &pages, &prepared, 3, &o);
        assert_eq!(report.sets.len(), 1);
        assert_eq!(report.sets[0].with.pages, 12);
        assert!(report.sets[0].with.macro_f1() > 0.9, "{report:?}");
    }
}
