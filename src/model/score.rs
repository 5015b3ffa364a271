//! Bag-of-words scores of a cleaned page against its gold article, as the benchmark's scorer
//! computes them: precision, recall and F1 over lower-cased word tokens (multisets), the share
//! of the article's tokens the output kept, and the share of the page's other tokens (debris)
//! it kept.

use std::collections::HashMap;

use super::label::tokens;

/// The counts behind the scores of one page, or of many added up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Pages.
    pub pages: usize,
    /// Output tokens also in the gold (each counted at most as often as the gold has it).
    pub true_positive: usize,
    /// Output tokens.
    pub output: usize,
    /// Gold tokens.
    pub gold: usize,
    /// Tokens of both the input and the gold, and how many of them the output kept.
    pub content: usize,
    /// Those the output kept.
    pub content_kept: usize,
    /// Input tokens beyond the gold's, and how many of them the output kept.
    pub debris: usize,
    /// Those the output kept.
    pub debris_kept: usize,
    /// The sum of per-page F1, for the macro average.
    pub f1_sum: f64,
}

fn bag(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for t in tokens(text) {
        *m.entry(t).or_default() += 1;
    }
    m
}

fn get(m: &HashMap<String, usize>, t: &str) -> usize {
    m.get(t).copied().unwrap_or(0)
}

/// Scores one page: its `input`, its `gold` article and a cleaner's `output`.
pub fn page(input: &str, gold: &str, output: &str) -> Counts {
    let (i, g, o) = (bag(input), bag(gold), bag(output));
    let sum = |m: &HashMap<String, usize>| m.values().sum::<usize>();
    let tp = o.iter().map(|(t, &c)| c.min(get(&g, t))).sum();
    let content = i.iter().map(|(t, &c)| c.min(get(&g, t))).sum();
    let content_kept = o
        .iter()
        .map(|(t, &c)| c.min(get(&g, t)).min(get(&i, t)))
        .sum();
    let mut debris = 0;
    let mut debris_kept = 0;
    for (t, &c) in &i {
        let gc = get(&g, t);
        if c > gc {
            debris += c - gc;
            debris_kept += get(&o, t).saturating_sub(gc).min(c - gc);
        }
    }
    let mut counts = Counts {
        pages: 1,
        true_positive: tp,
        output: sum(&o),
        gold: sum(&g),
        content,
        content_kept,
        debris,
        debris_kept,
        f1_sum: 0.0,
    };
    counts.f1_sum = counts.f1();
    counts
}

impl Counts {
    /// Adds another page's (or set's) counts.
    pub fn add(&mut self, o: &Counts) {
        self.pages += o.pages;
        self.true_positive += o.true_positive;
        self.output += o.output;
        self.gold += o.gold;
        self.content += o.content;
        self.content_kept += o.content_kept;
        self.debris += o.debris;
        self.debris_kept += o.debris_kept;
        self.f1_sum += o.f1_sum;
    }

    /// F1 of the counts as one bag (for one page: the page's F1; an empty output and an empty
    /// gold score 1, an empty one of the two 0).
    pub fn f1(&self) -> f64 {
        if self.output == 0 && self.gold == 0 {
            return 1.0;
        }
        if self.true_positive == 0 {
            return 0.0;
        }
        let p = self.true_positive as f64 / self.output as f64;
        let r = self.true_positive as f64 / self.gold as f64;
        2.0 * p * r / (p + r)
    }

    /// The mean of the pages' F1 (the benchmark's headline figure).
    pub fn macro_f1(&self) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            self.f1_sum / self.pages as f64
        }
    }

    /// The share of the article's tokens kept.
    pub fn content_kept(&self) -> f64 {
        ratio(self.content_kept, self.content)
    }

    /// The share of the debris tokens kept.
    pub fn debris_kept(&self) -> f64 {
        ratio(self.debris_kept, self.debris)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_as_the_benchmark_does() {
        let c = page(
            "Menu\nRates rose today.\nShare",
            "Rates rose today.",
            "Rates rose today.\nShare",
        );
        assert_eq!((c.true_positive, c.output, c.gold), (3, 4, 3));
        assert!((c.f1() - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!((c.content, c.content_kept), (3, 3));
        assert_eq!((c.debris, c.debris_kept), (2, 1));
        assert_eq!(page("a", "", "").f1(), 1.0);
        assert_eq!(page("a", "b", "").f1(), 0.0);
    }
}
