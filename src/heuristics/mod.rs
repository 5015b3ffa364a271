//! Heuristics: detectors that judge lines by their shape and place in the document, for debris
//! no rule names. They run after the rules, on lines already normalized, and only ever drop
//! lines that are still kept. Each has an id (`heuristic/…`) that appears in verdicts and can be
//! selected or ignored like a rule; thresholds live in `rules/heuristics/settings.toml`.
//!
//! The anchor is the *prose line*: long enough and ending like a sentence. Heuristics never drop
//! prose lines (the author box's biography aside). Their decisions depend on neighbours, so the
//! pipeline runs them again over what they kept until nothing more drops.

mod settings;

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use std::sync::Arc;

#[cfg(test)]
use settings::Word;
pub use settings::{Layer, Settings, stopword_languages};
pub(crate) use settings::{SETTINGS_NAME, SETTINGS_TEXT};
pub(crate) use settings::{ascii_word_hash, word_hash};

use crate::corpus::{CorpusStats, line_key};
use crate::doc::Line;
use crate::fold::{fold_into, is_alphabetic, is_alphanumeric, is_unspaced_script};

/// Every heuristic: id and description.
pub const IDS: &[(&str, &str)] = &[
    (
        CORPUS_REPEAT,
        "With --corpus: a line that is not prose and recurs in many documents of the corpus \
         (a site's menu, footer or newsletter box).",
    ),
    (
        DUPLICATE_LINE,
        "A heading-like line that repeats an earlier line verbatim (a duplicated title or \
         author name), or a long line repeated right after itself (a carousel's caption).",
    ),
    (
        HEADER_ZONE,
        "A short line before the first prose paragraph: section labels, tags, counters, \
         menus.",
    ),
    (
        FOOTER_ZONE,
        "A line after the last prose paragraph that is not prose: author boxes, tag rows, \
         link lists.",
    ),
    (
        AUTHOR_BOX,
        "An author box at the end of the article: a name on its own line followed by a short \
         biography that starts with that name.",
    ),
    (
        LINK_LIST,
        "A run of three or more headline-shaped lines, perhaps with times, dates or short \
         labels between them: a list of links to other articles or a menu.",
    ),
    (
        TEASER_RUN,
        "Teasers for other articles: a headline (perhaps with a byline or a time) and a \
         one-paragraph blurb, several in a row, none sharing enough words with the rest of the \
         document's prose.",
    ),
    (
        INLINE_TEASER,
        "A headline inside the article that shares few words with the article's prose: a link \
         to another article.",
    ),
    (
        BETWEEN_DEBRIS,
        "Short lines between two lines dropped as debris, that share few words with the \
         article's prose: what is left of a menu, a share bar or a list of links.",
    ),
];

/// A document of at least this many lines builds its prose vocabulary in parallel, over
/// chunks of `CHUNK_LINES` lines, on the caller's rayon pool.
const PARALLEL_LINES: usize = 1 << 14;
const CHUNK_LINES: usize = 2048;

const DUPLICATE_LINE: &str = "heuristic/duplicate-line";
const HEADER_ZONE: &str = "heuristic/header-zone";
const FOOTER_ZONE: &str = "heuristic/footer-zone";
const INLINE_TEASER: &str = "heuristic/inline-teaser";
const AUTHOR_BOX: &str = "heuristic/author-box";
const LINK_LIST: &str = "heuristic/link-list";
const TEASER_RUN: &str = "heuristic/teaser-run";
pub(crate) const CORPUS_REPEAT: &str = "heuristic/corpus-repeat";
const BETWEEN_DEBRIS: &str = "heuristic/between-debris";

/// The description of heuristic `id`.
pub fn description(id: &str) -> Option<&'static str> {
    IDS.iter().find(|(i, _)| *i == id).map(|(_, d)| *d)
}

/// The selected heuristics with their ids ready to attach to verdicts.
#[derive(Debug)]
pub(crate) struct Heuristics {
    settings: Settings,
    duplicate_line: Option<Arc<str>>,
    header_zone: Option<Arc<str>>,
    footer_zone: Option<Arc<str>>,
    inline_teaser: Option<Arc<str>>,
    author_box: Option<Arc<str>>,
    link_list: Option<Arc<str>>,
    teaser_run: Option<Arc<str>>,
    corpus_repeat: Option<Arc<str>>,
    between_debris: Option<Arc<str>>,
}

/// What the heuristics need to know about a line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    words: usize,
    chars: usize,
    /// Ends like a sentence (closing quotes and brackets aside).
    terminal: bool,
    /// Starts like a sentence: a capital letter, a digit or an opening quote.
    sentence_start: bool,
    /// Words after the first that start with a lower-case letter.
    lower_words: usize,
    /// In title case or in capitals: nearly every word after the first starts with a capital
    /// letter (a headline or a banner, even when it ends with a stop).
    capitalised: bool,
    /// Ends with a colon: a label introducing what follows.
    colon: bool,
    /// Starts with a list bullet.
    bullet: bool,
    letters: bool,
}

impl Shape {
    /// Long enough and ending like a sentence.
    pub(crate) fn prose(&self, settings: &Settings) -> bool {
        self.words >= settings.prose.min_words && self.terminal && !self.capitalised
    }
}

/// The counts behind a [`Shape`].
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    words: usize,
    lower_words: usize,
    /// Words after the first that start with an upper-case letter.
    upper_words: usize,
    /// Characters of unspaced scripts.
    unspaced: usize,
    chars: usize,
    letters: bool,
}

impl Counts {
    fn chars(text: &str) -> Counts {
        let mut n = Counts {
            words: 0,
            lower_words: 0,
            upper_words: 0,
            unspaced: 0,
            chars: 0,
            letters: false,
        };
        let mut in_word = false;
        for c in text.chars() {
            n.chars += 1;
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            if !in_word {
                n.words += 1;
                in_word = true;
                // Words after the first that start with a lower-case letter.
                if n.words > 1 && (c.is_ascii_lowercase() || (!c.is_ascii() && c.is_lowercase())) {
                    n.lower_words += 1;
                }
                if n.words > 1 && (c.is_ascii_uppercase() || (!c.is_ascii() && c.is_uppercase())) {
                    n.upper_words += 1;
                }
            }
            if c.is_ascii() {
                n.letters |= c.is_ascii_alphabetic();
            } else if is_alphabetic(c) {
                n.letters = true;
                if is_unspaced_script(c) {
                    n.unspaced += 1;
                }
            }
        }
        n
    }

    /// [`Counts::chars`] of ASCII text, byte by byte: white space there is `\t`..`\r` and
    /// the space.
    fn ascii(text: &str) -> Counts {
        let ws = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
        let b = text.as_bytes();
        // Without branches on the bytes: a word starts where white space ends.
        let (mut words, mut lower_starts, mut upper_starts) = (0, 0, 0);
        let (mut letters, mut prev_ws) = (false, true);
        for &c in b {
            let space = ws(c);
            let start = prev_ws & !space;
            words += usize::from(start);
            lower_starts += usize::from(start & c.is_ascii_lowercase());
            upper_starts += usize::from(start & c.is_ascii_uppercase());
            letters |= c.is_ascii_alphabetic();
            prev_ws = space;
        }
        // Only words after the first count.
        let first = b.iter().find(|&&c| !ws(c));
        Counts {
            words,
            lower_words: lower_starts - usize::from(first.is_some_and(u8::is_ascii_lowercase)),
            upper_words: upper_starts - usize::from(first.is_some_and(u8::is_ascii_uppercase)),
            unspaced: 0,
            chars: b.len(),
            letters,
        }
    }
}

/// The shape of one normalized line.
pub(crate) fn shape(text: &str, settings: &Settings) -> Shape {
    let Counts {
        mut words,
        lower_words,
        upper_words,
        unspaced,
        chars,
        letters,
    } = if text.is_ascii() {
        Counts::ascii(text)
    } else {
        Counts::chars(text)
    };
    // Two characters of an unspaced script count as about one word.
    words = words.max(unspaced / 2);
    let core = text.trim_end_matches(['"', '\'', '»', '«', ')', ']', '}', '*']);
    let last = core.chars().next_back();
    // Posts end sentences with emoji as often as with a full stop.
    let emoji_end = last.is_some_and(is_pictograph);
    Shape {
        words,
        chars,
        terminal: emoji_end || last.is_some_and(|c| settings.prose.terminal.contains(c)),
        sentence_start: text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'«(".contains(c)),
        lower_words,
        capitalised: upper_words >= settings.prose.min_capitalised
            && upper_words as f64
                > settings.prose.max_capitalised_share * (upper_words + lower_words) as f64,
        colon: text.ends_with(':'),
        bullet: text.starts_with(['•', '-', '*', '–', '—', '·', '▪', '●', '◦', '►', '✓']),
        letters,
    }
}

impl Heuristics {
    pub(crate) fn new(settings: &Settings, enabled: &[&'static str]) -> Heuristics {
        let id = |name: &str| enabled.contains(&name).then(|| Arc::from(name));
        Heuristics {
            settings: settings.clone(),
            duplicate_line: id(DUPLICATE_LINE),
            header_zone: id(HEADER_ZONE),
            footer_zone: id(FOOTER_ZONE),
            inline_teaser: id(INLINE_TEASER),
            author_box: id(AUTHOR_BOX),
            link_list: id(LINK_LIST),
            teaser_run: id(TEASER_RUN),
            corpus_repeat: id(CORPUS_REPEAT),
            between_debris: id(BETWEEN_DEBRIS),
        }
    }

    /// The article's title as the heuristics see it, among the kept lines: the line right
    /// before the article's body, and the line right before its first prose paragraph (the
    /// two are often one). The line model never drops them: gold article texts seldom hold
    /// the title, but a cleaned page keeps it.
    pub(crate) fn titles(&self, lines: &[Line<'_>], shapes: &[Shape]) -> Vec<usize> {
        let s = &self.settings;
        let shapes = &shapes[..lines.len()];
        let prose = prose_lines(lines, shapes, s);
        let (Some(first), Some(last)) = (
            prose.iter().position(|&p| p),
            prose.iter().rposition(|&p| p),
        ) else {
            return Vec::new();
        };
        let blocks = self.prose_blocks(lines, shapes, &prose, (first, last));
        let title = article_start(&blocks).and_then(|a| title_before(lines, a, s));
        let lead_title = title_before(lines, first, s);
        let mut out: Vec<usize> = title.into_iter().chain(lead_title).collect();
        out.dedup();
        out
    }

    /// Runs the selected heuristics over the lines, whose shapes are `shapes`; `corpus` is
    /// given in corpus mode.
    pub(crate) fn run(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        corpus: Option<&CorpusStats>,
        memo: &mut Memo,
    ) {
        let s = &self.settings;
        let shapes = &shapes[..lines.len()];

        // The author box runs first: it is the only heuristic that drops a prose line (the
        // biography), so the prose anchors below are the same when cleaned text is cleaned again.
        if let Some(id) = &self.author_box {
            self.author_boxes(lines, shapes, id);
        }

        let prose = |lines: &[Line<'_>]| prose_lines(lines, shapes, s);
        if let Some(id) = &self.teaser_run {
            self.teaser_runs(lines, shapes, &prose(lines), id, memo);
        }
        let prose = prose(lines);
        let (Some(first), Some(last)) = (
            prose.iter().position(|&p| p),
            prose.iter().rposition(|&p| p),
        ) else {
            return;
        };

        let blocks = self.prose_blocks(lines, shapes, &prose, (first, last));
        // The title: the kept line right before the article's body (bylines and sources
        // aside). A short line right before the first prose paragraph, when that is a
        // standfirst or a tagline, may be the title too.
        let title = article_start(&blocks).and_then(|a| title_before(lines, a, s));
        let lead_title = title_before(lines, first, s);
        if let (Some(id), Some(stats)) = (&self.corpus_repeat, corpus) {
            self.corpus_repeats(lines, shapes, &prose, stats, (first, last, title), id);
        }
        if let Some(id) = &self.header_zone {
            let h = &s.header_zone;
            let reason: Arc<str> = Arc::from(format!(
                "at most {} words, before the first prose paragraph",
                h.max_words
            ));
            // A short title ("Heathrow reopens after fire", "New Rules for Renters", "Neue
            // Regeln für Mieter") is not a label: the line right before the article, of a few
            // words with letters in both cases and no separators between labels.
            let short_titles: Vec<usize> = [title, lead_title]
                .into_iter()
                .flatten()
                .filter(|&i| {
                    let (sh, text) = (&shapes[i], lines[i].text.as_ref());
                    sh.words >= h.min_headline_words
                        && text.chars().any(char::is_lowercase)
                        && !text.contains(['|', '•', '·', '/', '›', '»', '>'])
                })
                .collect();
            // A byline in lower case ("by Jane Doe") after the title stays with it.
            let byline = |i: usize, text: &str| {
                lower_byline(text) && [title, lead_title].into_iter().flatten().any(|t| t < i)
            };
            for (i, (line, sh)) in lines[..first].iter_mut().zip(shapes).enumerate() {
                if line.is_kept_text()
                    && sh.words <= h.max_words
                    && !short_titles.contains(&i)
                    && !byline(i, &line.text)
                    && !s.protect.is_match(&line.text)
                {
                    line.drop(id, &reason);
                }
            }
        }
        // After the header zone, which drops menu entries that the article may repeat.
        if let Some(id) = &self.duplicate_line {
            self.duplicate_lines(lines, shapes, first, last, id);
        }
        if let Some(id) = &self.footer_zone {
            let end = self.main_block_end(&blocks, last);
            let start = self.article_continues(lines, shapes, end);
            let reason: Arc<str> = Arc::from(if end == last {
                "not prose, after the last prose paragraph"
            } else {
                "after the article's main block, past a run of short lines"
            });
            for line in &mut lines[start..] {
                if line.is_kept_text() && !s.protect.is_match(&line.text) {
                    line.drop(id, &reason);
                }
            }
        }
        if let Some(id) = &self.inline_teaser {
            self.inline_teasers(lines, shapes, &prose, (first, last), id, memo);
        }
        if let Some(id) = &self.link_list {
            self.link_lists(lines, shapes, &prose, (first, last, title), id, memo);
        }
        // Last: its neighbours are what the others dropped.
        if let Some(id) = &self.between_debris {
            self.between_debris(lines, shapes, &prose, [title, lead_title], id, memo);
        }
    }

    /// Drops runs of short lines (kept, not prose, at most `max-words` words) whose nearest
    /// lines on both sides were dropped as debris, looking past blank lines and drops by the
    /// `transparent` rules; protected lines, the title and lines that share at least
    /// `min-shared` of their content words with the prose stay.
    fn between_debris(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        titles: [Option<usize>; 2],
        id: &Arc<str>,
        memo: &mut Memo,
    ) {
        let s = &self.settings;
        let b = &s.between_debris;
        #[derive(PartialEq, Clone, Copy)]
        enum Side {
            /// Dropped: the line's neighbours may be debris too.
            Debris,
            /// Kept, not prose, short: decided by its neighbours.
            Short,
            /// Kept and telling: prose, or a long line.
            Other,
            /// Blank, or a drop that says nothing about its neighbours.
            Skip,
        }
        let side = |i: usize| {
            let line = &lines[i];
            match line.verdict.dropped() {
                Some(d) if b.is_transparent(&d.by) => Side::Skip,
                Some(_) => Side::Debris,
                None if line.is_blank() => Side::Skip,
                None if !prose[i] && shapes[i].words <= b.max_words => Side::Short,
                None => Side::Other,
            }
        };
        // Runs of short lines with the debris lines before and after them.
        let mut runs: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        let mut before: Option<usize> = None;
        let mut run: Vec<usize> = Vec::new();
        for i in 0..lines.len() {
            match side(i) {
                Side::Skip => {}
                Side::Short => run.push(i),
                other => {
                    let debris = other == Side::Debris;
                    if let (true, Some(above), false) = (debris, before, run.is_empty()) {
                        runs.push((above, std::mem::take(&mut run), i));
                    }
                    run.clear();
                    before = debris.then_some(i);
                }
            }
        }
        if runs.is_empty() {
            return;
        }
        let cohesion = Cohesion::new(s, lines, prose, memo);
        let mut drops = Vec::new();
        for (above, run, below) in runs {
            let by = |i: usize| lines[i].verdict.dropped().map_or("", |d| d.by.as_ref());
            let reason: Arc<str> = Arc::from(format!(
                "short lines between debris: line {} ({}) and line {} ({})",
                lines[above].number,
                by(above),
                lines[below].number,
                by(below)
            ));
            let event = lines[run[0]].number;
            for i in run {
                let text = lines[i].text.as_ref();
                if titles.contains(&Some(i)) || s.protect.is_match(text) {
                    continue;
                }
                let words = cohesion.content_words(text);
                if !words.is_empty() && cohesion.shared(&words) < b.min_shared_words {
                    drops.push((i, Arc::clone(&reason), event));
                }
            }
        }
        for (i, reason, event) in drops {
            lines[i].drop_in(id, &reason, event);
        }
    }

    /// Drops runs of teasers: units of one or more short lines that are not prose (a headline,
    /// a byline, a time) followed by one prose paragraph (the blurb, at most `max-blurb-words`
    /// words, few of them numbers), at least `min-units` units in a row (blank and dropped
    /// lines between them aside), where at least `min-units` and `min-foreign` of the blurbs
    /// share fewer than `min-shared` of their content words with the prose outside the run;
    /// those units go. An article's own
    /// sections share its words, or hold several paragraphs to a heading, so they stay; and a
    /// run that holds more than `max-share` of the document's prose is the document itself.
    fn teaser_runs(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        id: &Arc<str>,
        memo: &mut Memo,
    ) {
        let s = &self.settings;
        let t = &s.teaser_run;
        let kept: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].is_kept_text())
            .collect();
        #[derive(PartialEq, Clone, Copy)]
        enum Part {
            Head,
            Blurb,
            Other,
        }
        let part = |i: usize| {
            let sh = &shapes[i];
            let text = lines[i].text.as_ref();
            // A blurb may lack its final stop; it still reads as a sentence, not a title.
            let open_blurb = lines[i].is_kept_text()
                && !sh.terminal
                && sh.sentence_start
                && sh.words >= t.min_open_blurb_words
                && sh.lower_words * 2 >= sh.words;
            if !prose[i] && !open_blurb {
                if sh.words <= t.max_head_words && !s.protect.is_match(text) {
                    Part::Head
                } else {
                    Part::Other
                }
            } else if sh.words <= t.max_blurb_words
                && (numbers(text) as f64) <= t.max_numbers * sh.words as f64
            {
                Part::Blurb
            } else {
                Part::Other
            }
        };
        // Runs of units over `kept`; a unit is (its first head, its blurb), as indices of
        // `kept`. More than `max-head-lines` heads in a row are a list, not a unit's head.
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut heads: Option<(usize, usize)> = None; // (first head, count)
        for (k, &i) in kept.iter().enumerate() {
            match part(i) {
                Part::Head => match &mut heads {
                    Some((_, n)) if *n < t.max_head_lines => *n += 1,
                    Some(_) => {
                        runs.push(std::mem::take(&mut run));
                        heads = Some((k, 1));
                    }
                    None => heads = Some((k, 1)),
                },
                Part::Blurb if heads.is_some() => {
                    let (first, _) = heads.take().expect("a head");
                    run.push((first, k));
                }
                Part::Blurb | Part::Other => {
                    runs.push(std::mem::take(&mut run));
                    heads = None;
                }
            }
        }
        runs.push(run);
        runs.retain(|units| units.len() >= t.min_units);
        if runs.is_empty() {
            return;
        }
        let total: usize = kept
            .iter()
            .filter(|&&i| prose[i])
            .map(|&i| lines[i].text.len())
            .sum();
        let c = Cohesion::new(s, lines, prose, memo);
        // The title: the line before the article's body (bylines aside). A unit that shares
        // a content word with it is on the article's subject.
        let title: Vec<u64> = (prose.iter().position(|&p| p))
            .zip(prose.iter().rposition(|&p| p))
            .and_then(|span| article_start(&self.prose_blocks(lines, shapes, prose, span)))
            .and_then(|a| title_before(lines, a, s))
            .map(|i| c.content_words(&lines[i].text))
            .unwrap_or_default();
        let mut drops = Vec::new();
        for units in runs {
            let blurbs: Vec<usize> = units.iter().map(|&(_, b)| kept[b]).collect();
            let bytes: usize = blurbs.iter().map(|&i| lines[i].text.len()).sum();
            if bytes as f64 > t.max_share * total as f64 {
                continue;
            }
            // How many blurbs of the run each word occurs in: the prose outside the run has
            // a word when the whole prose has it more often.
            let words: Vec<Vec<u64>> = blurbs
                .iter()
                .map(|&i| c.content_words(&lines[i].text))
                .collect();
            let mut inside: FxHashMap<u64, u32> = FxHashMap::default();
            for w in words.iter().flatten() {
                *inside.entry(*w).or_default() += 1;
            }
            let foreign: Vec<bool> = words
                .iter()
                .zip(&units)
                .map(|(ws, &(h, b))| {
                    let on_subject = kept[h..=b].iter().any(|&i| {
                        c.content_words(&lines[i].text)
                            .iter()
                            .any(|w| title.binary_search(w).is_ok())
                    });
                    !on_subject && ws.len() >= s.inline_teaser.min_content_words && {
                        let shared = ws
                            .iter()
                            .filter(|w| c.vocab.get(*w).copied().unwrap_or(0) > inside[*w])
                            .count();
                        (shared as f64) < t.min_shared * ws.len() as f64
                    }
                })
                .collect();
            let n = foreign.iter().filter(|&&f| f).count();
            if n < t.min_units || (n as f64) < t.min_foreign * units.len() as f64 {
                continue;
            }
            // Only the foreign units go: a unit on the article's subject may be its own.
            let (first, last) = (kept[units[0].0], kept[units[units.len() - 1].1]);
            for (&(h, b), _) in units.iter().zip(&foreign).filter(|(_, f)| **f) {
                drops.push((kept[h], kept[b], n, first, last));
            }
        }
        for (from, to, units, first, last) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "one of {units} teasers in a row (lines {}-{}): a headline with a blurb that \
                 shares few words with the article",
                lines[first].number, lines[last].number
            ));
            let event = lines[first].number;
            for line in &mut lines[from..=to] {
                if line.is_kept_text() {
                    line.drop_in(id, &reason, event);
                }
            }
        }
    }

    /// Drops runs of headline-shaped lines (with fillers such as times, dates and short
    /// labels between them) that hold at least `min-items` headlines. Blank lines and lines
    /// dropped already do not break a run; anything else does. A run introduced by a lead-in
    /// ending with a colon is a list of the article's own and stays; so is a run inside the
    /// article (between its first and last prose lines) whose words the prose shares, such as
    /// a table or a menu plan.
    fn link_lists(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        (first, last, title): (usize, usize, Option<usize>),
        id: &Arc<str>,
        memo: &mut Memo,
    ) {
        let s = &self.settings;
        let l = &s.link_list;
        #[derive(PartialEq, Clone, Copy)]
        enum Kind {
            Item,
            Filler,
            Other,
        }
        let kind = |i: usize| -> Kind {
            let (line, sh) = (&lines[i], &shapes[i]);
            let text = line.text.as_ref();
            if sh.terminal || sh.colon || sh.bullet || Some(i) == title {
                return Kind::Other;
            }
            // Outside the article, "7 key moments from the hearing" is a headline that starts
            // with a number: it sits in a run without breaking it. Only lines that start with a
            // word count as items, so a numbered list never makes a run of its own; inside the
            // article, "30 minutes before bed" is a step of the article's own list.
            if starts_numbered(text) {
                let number = text.split(' ').next().unwrap_or(text);
                let headline = (i < first || i > last)
                    && number.bytes().all(|b| b.is_ascii_digit())
                    && sh.words >= l.min_item_words;
                return if headline { Kind::Filler } else { Kind::Other };
            }
            if s.protect.is_match(text) {
                return Kind::Other;
            }
            let first_upper = text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || "\"'«".contains(c));
            if first_upper && (l.min_item_words..=l.max_item_words).contains(&sh.words) {
                Kind::Item
            } else if sh.words <= l.max_filler_words || !sh.letters {
                Kind::Filler
            } else {
                Kind::Other
            }
        };
        let mut drops: Vec<(usize, usize)> = Vec::new();
        let mut cohesion: Option<Cohesion<'_>> = None;
        let mut memo = Some(memo);
        let mut i = 0;
        while i < lines.len() {
            if !lines[i].is_kept_text() || kind(i) == Kind::Other {
                i += 1;
                continue;
            }
            // A run starts here: extend it over items, fillers, blanks and dropped lines.
            let start = i;
            let mut end = i;
            let mut items = 0;
            let mut j = i;
            while j < lines.len() {
                if lines[j].is_kept_text() {
                    match kind(j) {
                        Kind::Item => items += 1,
                        Kind::Filler => {}
                        Kind::Other => break,
                    }
                    end = j;
                }
                j += 1;
            }
            let lead_in = (0..start)
                .rev()
                .find(|&k| lines[k].is_kept_text())
                .is_some_and(|k| shapes[k].colon);
            let inside = start > first && end < last;
            let foreign = !inside || {
                let c = cohesion.get_or_insert_with(|| {
                    Cohesion::new(s, lines, prose, memo.take().expect("once"))
                });
                let words = c.content_words(&run_text(&lines[start..=end]));
                (c.shared(&words) as f64) < s.inline_teaser.min_shared * words.len() as f64
            };
            if items >= l.min_items && !lead_in && foreign {
                drops.push((start, end));
            }
            i = j.max(end + 1);
        }
        for (start, end) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "a run of headline-shaped lines (lines {}-{})",
                lines[start].number, lines[end].number
            ));
            let event = lines[start].number;
            for line in &mut lines[start..=end] {
                if line.is_kept_text() {
                    line.drop_in(id, &reason, event);
                }
            }
        }
    }

    /// Drops lines that recur in at least `min-files` documents of the corpus, unless they
    /// are prose, the title or protected. Inside the article (between its first and last prose line),
    /// recurring lines are also shared structure, so these stay: a sub-heading standing alone
    /// between paragraphs, list items (a bullet, a number or a quantity first) and lines
    /// after a lead-in ending with a colon.
    fn corpus_repeats(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        stats: &CorpusStats,
        (first, last, title): (usize, usize, Option<usize>),
        id: &Arc<str>,
    ) {
        let s = &self.settings;
        let c = &s.corpus;
        let is_prose = |i: usize| prose[i];
        let prev = |i: usize| (0..i).rev().find(|&j| lines[j].is_kept_text());
        let next = |i: usize| (i + 1..lines.len()).find(|&j| lines[j].is_kept_text());
        let mut buf = String::new();
        let mut drops = Vec::new();
        for (i, sh) in shapes.iter().enumerate() {
            let line = &lines[i];
            if !line.is_kept_text()
                || is_prose(i)
                || Some(i) == title
                || s.protect.is_match(&line.text)
            {
                continue;
            }
            let Some(key) = line_key(&line.text, c.min_letters, &mut buf) else {
                continue;
            };
            let n = stats.count(key);
            if n < c.min_files {
                continue;
            }
            if (first..=last).contains(&i) {
                let text = line.text.as_ref();
                let subheading = prev(i).is_some_and(is_prose) && next(i).is_some_and(is_prose);
                let item = sh.bullet || text.starts_with(|c: char| c.is_ascii_digit());
                let after_lead_in = prev(i).is_some_and(|j| shapes[j].colon);
                // A sub-heading on most pages of the corpus is the site's, not the article's.
                let everywhere = f64::from(n) >= c.min_share_inside * stats.documents() as f64;
                if item || after_lead_in || (subheading && !everywhere) {
                    continue;
                }
            }
            drops.push((i, n));
        }
        for (i, n) in drops {
            let reason: Arc<str> = Arc::from(format!(
                "recurs in {n} of the corpus's {} documents",
                stats.documents()
            ));
            lines[i].drop(id, &reason);
        }
    }

    /// Where the footer zone starts: after the last prose line and the lines that still
    /// continue the article right after it (short sentences, a lead-in ending with a colon and
    /// the list items under it). Blank lines and lines dropped by rules are passed over.
    /// The prose blocks between the first and the last prose line: prose lines, split where
    /// at least `min-gap` short lines stand between two of them (a menu, a list of links);
    /// lead-ins ending with a colon, the lists under them, bulleted or numbered items, long
    /// sentences that lack only the stop and lines wrapped by hand do not count.
    fn prose_blocks(
        &self,
        lines: &[Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        (first, last): (usize, usize),
    ) -> Vec<Block> {
        let f = &self.settings.footer_zone;
        let mut blocks: Vec<Block> = Vec::new();
        let mut gap = 0;
        let mut plain_list = false;
        let mut wrapped = false;
        for i in first..=last {
            let (line, sh) = (&lines[i], &shapes[i]);
            if prose[i] {
                match blocks.last_mut() {
                    Some(b) if gap < f.min_gap => {
                        b.end = i;
                        b.words += sh.words;
                        b.lines += 1;
                    }
                    _ => blocks.push(Block {
                        start: i,
                        end: i,
                        words: sh.words,
                        lines: 1,
                    }),
                }
                gap = 0;
                plain_list = false;
            } else if !line.is_kept_text() {
                // A blank line ends a list without bullets.
                plain_list &= !line.verdict.is_keep();
            } else if sh.colon {
                plain_list = true;
            } else if !(plain_list
                || sh.bullet
                || starts_numbered(&line.text)
                || self.open_sentence(sh)
                || (!sh.sentence_start && wrapped))
            {
                gap += 1;
            }
            // A line right under a kept line, starting in lower case, continues a paragraph
            // wrapped by hand.
            wrapped = line.is_kept_text();
        }
        blocks
    }

    /// The last prose line of the article: the end of its main block, the prose block with
    /// the most words, when the blocks after it hold at most `max-tail-share` of the prose
    /// words or of the prose lines (they are page furniture written as sentences: a site's
    /// self-description, a data disclaimer, comments); otherwise the last prose line.
    fn main_block_end(&self, blocks: &[Block], last: usize) -> usize {
        let f = &self.settings.footer_zone;
        let total: usize = blocks.iter().map(|b| b.words).sum();
        let main = blocks
            .iter()
            .enumerate()
            .max_by_key(|&(k, b)| (b.words, std::cmp::Reverse(k)))
            .map_or(0, |(k, _)| k);
        let tail = blocks[main + 1..].iter();
        let (tail_words, tail_lines) = tail.fold((0, 0), |(w, l), b| (w + b.words, l + b.lines));
        let total_lines: usize = blocks.iter().map(|b| b.lines).sum();
        let small = |part: usize, whole: usize| part as f64 <= f.max_tail_share * whole as f64;
        if small(tail_words, total) || small(tail_lines, total_lines) {
            blocks[main].end
        } else {
            last
        }
    }

    /// A long sentence that lacks only its stop (a paragraph cut short by the scrape).
    fn open_sentence(&self, sh: &Shape) -> bool {
        sh.words >= self.settings.footer_zone.min_open_sentence_words && sh.sentence_start
    }

    /// The first line after the article that ends at `last_prose`: sentences, a long sentence
    /// cut short, a lead-in ending with a colon and the list under it (bulleted or numbered
    /// items, or any lines up to the next blank one) continue it.
    fn article_continues(&self, lines: &[Line<'_>], shapes: &[Shape], last_prose: usize) -> usize {
        let min = self.settings.footer_zone.min_sentence_words;
        let mut in_list = lines[last_prose].text.ends_with(':');
        let mut plain_list = in_list;
        let mut start = last_prose + 1;
        for (i, (line, sh)) in lines.iter().zip(shapes).enumerate().skip(last_prose + 1) {
            if !line.is_kept_text() {
                plain_list &= !line.verdict.is_keep();
                continue;
            }
            let sentence = sh.words >= min && sh.terminal && sh.sentence_start;
            let lead_in = sh.words >= min && sh.colon && sh.sentence_start;
            let item = plain_list || (in_list && (sh.bullet || starts_numbered(&line.text)));
            if !(sentence || lead_in || item || self.open_sentence(sh)) {
                break;
            }
            in_list = lead_in || (in_list && item);
            plain_list = lead_in || plain_list;
            start = i + 1;
        }
        start
    }

    /// Drops author boxes from the end: while the last prose line starts with the name that
    /// stands alone on the kept line before it, both go.
    fn author_boxes(&self, lines: &mut [Line<'_>], shapes: &[Shape], id: &Arc<str>) {
        let s = &self.settings;
        let max_name = s.author_box.max_name_words;
        loop {
            let Some(bio) = (0..lines.len())
                .rev()
                .find(|&i| lines[i].is_kept_text() && shapes[i].prose(s))
            else {
                return;
            };
            let Some(name) = (0..bio).rev().find(|&i| lines[i].is_kept_text()) else {
                return;
            };
            // The name, perhaps under an "About" heading ("Sobre Carlos Nadalim").
            let line = lines[name].text.as_ref();
            let about = s
                .author_box
                .about
                .iter()
                .find_map(|a| line.strip_prefix(a.as_str())?.strip_prefix(' '));
            let n = about.unwrap_or(line);
            let words = n.split_whitespace().count();
            let name_like = (2..=max_name).contains(&words)
                && !shapes[name].terminal
                && n.split_whitespace().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(|c| c.is_alphabetic() || ".-'".contains(c))
                });
            // The biography starts with the name or the first name ("Jane joined the paper
            // in 2017."); under an "About" heading it may name the author later on.
            let bio_text = lines[bio].text.as_ref();
            let starts_with = |prefix: &str| {
                bio_text
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with(' '))
            };
            // The first name alone, when the surname does not follow in lower case: "List
            // Comprehensions" above "List comprehensions are …" is a sub-heading.
            let mut parts = n.split_whitespace();
            let (first_name, surname) = (parts.next().unwrap_or(n), parts.next().unwrap_or(""));
            let by_first_name = starts_with(first_name)
                && bio_text[first_name.len()..]
                    .split_whitespace()
                    .next()
                    .is_none_or(|w| w.to_lowercase() != surname.to_lowercase());
            let names_author =
                starts_with(n) || by_first_name || (about.is_some() && bio_text.contains(n));
            if !(name_like && names_author) {
                return;
            }
            let reason: Arc<str> = Arc::from(format!(
                "author box: a name and a biography of that person (lines {}-{})",
                lines[name].number, lines[bio].number
            ));
            let event = lines[name].number;
            lines[name].drop(id, &reason);
            lines[bio].drop_in(id, &reason, event);
        }
    }

    /// Drops a heading-like line that repeats an earlier one, when the first copy stands
    /// before the article (a title repeated) or the repeat after it (an author box repeated).
    /// Repeats inside the article are structure (table rows, a refrain) and stay.
    fn duplicate_lines(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        first_prose: usize,
        last_prose: usize,
        id: &Arc<str>,
    ) {
        let d = &self.settings.duplicate_line;
        // Per text: where it was first seen, and where last.
        let mut seen: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
        let mut drops = Vec::new();
        // The kept line before this one, blank lines aside.
        let mut prev_kept = None;
        for (i, sh) in shapes.iter().enumerate() {
            let prev = prev_kept;
            if lines[i].is_kept_text() {
                prev_kept = Some(i);
            }
            if !sh.letters || lines[i].is_blank() {
                continue;
            }
            let text = lines[i].text.as_ref();
            match seen.get_mut(text) {
                Some((j, last)) if lines[i].verdict.is_keep() => {
                    let heading = sh.chars <= d.max_chars
                        && !sh.terminal
                        && (*j < first_prose || i > last_prose);
                    // A long line repeated right after itself, blank or dropped lines aside: a
                    // photo carousel's caption.
                    let near = sh.words >= d.min_near_words && prev == Some(*last);
                    if heading || near {
                        drops.push((i, *j));
                    }
                    *last = i;
                }
                Some(_) => {}
                // Only a kept line can be repeated: a menu entry dropped before the article
                // does not make the same words inside it (a table's header cell) a repeat.
                None if lines[i].verdict.is_keep() => {
                    seen.insert(text, (i, i));
                }
                None => {}
            }
        }
        for (i, j) in drops {
            let reason: Arc<str> = Arc::from(format!("repeats line {}", lines[j].number));
            lines[i].drop(id, &reason);
        }
    }

    fn inline_teasers(
        &self,
        lines: &mut [Line<'_>],
        shapes: &[Shape],
        prose: &[bool],
        (first, last): (usize, usize),
        id: &Arc<str>,
        memo: &mut Memo,
    ) {
        let s = &self.settings;
        let t = &s.inline_teaser;
        let kept = |i: usize| lines[i].is_kept_text();
        let candidate = |i: usize| {
            let (l, sh) = (&lines[i], &shapes[i]);
            let text = l.text.as_ref();
            kept(i)
                && !sh.terminal
                && !sh.colon
                && !sh.bullet
                && (t.min_words..=t.max_words).contains(&sh.words)
                && text.chars().next().is_some_and(char::is_uppercase)
                // A line in capitals is the article's own sub-heading.
                && text.chars().any(char::is_lowercase)
                && !text.contains(['(', '[', '{'])
                && !text.contains("://")
                && !starts_numbered(text)
                // Standing alone between paragraphs, not one item of a list of short lines.
                && (0..i).rev().find(|&j| kept(j)).is_some_and(|j| prose[j])
                && (i + 1..lines.len()).find(|&j| kept(j)).is_some_and(|j| prose[j])
        };
        let mut cohesion: Option<Cohesion<'_>> = None;
        let mut memo = Some(memo);
        let mut drops = Vec::new();
        for i in first + 1..last {
            if !candidate(i) || s.protect.is_match(&lines[i].text) {
                continue;
            }
            let c = cohesion
                .get_or_insert_with(|| Cohesion::new(s, lines, prose, memo.take().expect("once")));
            let words = c.content_words(&lines[i].text);
            if words.len() < t.min_content_words {
                continue;
            }
            let shared = c.shared(&words);
            if (shared as f64) < t.min_shared * words.len() as f64 {
                let reason: Arc<str> = Arc::from(format!(
                    "headline inside the article; {shared} of its {} content words occur in \
                     the article's prose",
                    words.len()
                ));
                drops.push((i, reason));
            }
        }
        for (i, reason) in drops {
            lines[i].drop(id, &reason);
        }
    }
}

/// What the heuristics keep from one round to the next (see `Pipeline::settle`): the prose
/// vocabulary, rebuilt only when the prose lines change.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// A hash of the prose lines (numbers and text), the language and the vocabulary.
    vocab: Option<(u64, Option<&'static str>, FxHashMap<u64, u32>)>,
}

/// The words of a document's prose, for asking how much of a line the article shares. Words
/// are kept as hashes of their folded stems: building this touches every prose word, and a
/// hash collision can only make a line look more like the article, which keeps it.
struct Cohesion<'s> {
    /// Content word → the number of prose lines it occurs in.
    vocab: &'s FxHashMap<u64, u32>,
    settings: &'s Settings,
    /// The stop-word bits of the document's language.
    stop: u16,
    stemmed: bool,
    min_chars: usize,
}

impl<'s> Cohesion<'s> {
    fn new(
        settings: &'s Settings,
        lines: &[Line<'_>],
        prose: &[bool],
        memo: &'s mut Memo,
    ) -> Cohesion<'s> {
        let prose_lines = || lines.iter().zip(prose).filter(|(_, p)| **p).map(|(l, _)| l);
        let key = {
            let mut h = FxHasher::default();
            for l in prose_lines() {
                h.write_usize(l.number);
                h.write(l.text.as_bytes());
            }
            h.finish()
        };
        if memo.vocab.as_ref().is_none_or(|(k, _, _)| *k != key) {
            // The language is voted on the first words of the prose. The lines those words
            // are in wait, each word folded, hashed and looked up once (a few thousand words
            // at most); once the language is known they are counted from that, and the
            // remaining lines are read once. Nothing is kept per word of a huge document: it
            // costs time, not memory.
            let mut buf = String::new();
            let mut votes = settings.language_votes();
            let mut voting = true;
            // Per word read while voting: its length in characters, hash, stem hash and
            // stop-word bits; per line, where its words end.
            let mut words: Vec<(usize, u64, u64, u16)> = Vec::new();
            let mut line_ends: Vec<usize> = Vec::new();
            let stem_chars = settings.language.stem_chars;
            let mut rest = lines.len();
            for (i, (l, _)) in lines
                .iter()
                .zip(prose)
                .enumerate()
                .filter(|(_, (_, p))| **p)
            {
                if !voting {
                    rest = i;
                    break;
                }
                for_each_word(&l.text, &mut buf, |w| {
                    let hash = w.hash();
                    let stop = settings.stop_mask(hash);
                    voting = voting && votes.add_stop(stop);
                    words.push((w.chars(), hash, w.stem_hash(stem_chars, hash), stop));
                    true
                });
                line_ends.push(words.len());
            }
            let lang = votes.language();
            let empty = FxHashMap::default();
            let c = Cohesion::with(settings, &empty, lang);
            let mut vocab: FxHashMap<u64, u32> = FxHashMap::default();
            let mut keys = Vec::new();
            let mut w = 0;
            for end in line_ends {
                keys.clear();
                for &(chars, hash, stem, stop) in &words[w..end] {
                    if chars >= c.min_chars {
                        keys.extend(c.key_of(hash, stem, stop));
                    }
                }
                w = end;
                count_keys(&mut vocab, &mut keys);
            }
            // Each prose line adds one to each of its distinct content words: the counts add
            // up the same over any split of the lines, so a long document counts its chunks
            // in parallel and adds their tallies.
            let count = |vocab: &mut FxHashMap<u64, u32>,
                         keys: &mut Vec<u64>,
                         buf: &mut String,
                         lines: &[Line<'_>],
                         prose: &[bool]| {
                for (l, _) in lines.iter().zip(prose).filter(|(_, p)| **p) {
                    keys.clear();
                    for_each_word(&l.text, buf, |w| {
                        keys.extend(c.word_key(w));
                        true
                    });
                    count_keys(vocab, keys);
                }
            };
            let (lines, prose) = (&lines[rest..], &prose[rest..]);
            if lines.len() >= PARALLEL_LINES {
                let more = lines
                    .par_chunks(CHUNK_LINES)
                    .zip(prose.par_chunks(CHUNK_LINES))
                    .fold(
                        || (FxHashMap::default(), Vec::new(), String::new()),
                        |(mut vocab, mut keys, mut buf), (lines, prose)| {
                            count(&mut vocab, &mut keys, &mut buf, lines, prose);
                            (vocab, keys, buf)
                        },
                    )
                    .map(|(vocab, _, _)| vocab)
                    .reduce(FxHashMap::default, add_counts);
                vocab = add_counts(vocab, more);
            } else {
                count(&mut vocab, &mut keys, &mut buf, lines, prose);
            }
            memo.vocab = Some((key, lang, vocab));
        }
        let (_, lang, vocab) = memo.vocab.as_ref().expect("built above");
        Cohesion::with(settings, vocab, *lang)
    }

    fn with(
        settings: &'s Settings,
        vocab: &'s FxHashMap<u64, u32>,
        lang: Option<&'static str>,
    ) -> Cohesion<'s> {
        Cohesion {
            vocab,
            settings,
            stop: settings.stop_bits(lang),
            stemmed: settings.stem_chars(lang) > 0,
            min_chars: settings.inline_teaser.content_word_chars,
        }
    }

    /// The key of a content word (its stem's hash, or its own); `None` for a stop word or a
    /// short word. [`word_key`](Self::word_key) answers the same from the folded text.
    #[cfg(test)]
    fn key(&self, w: &Word) -> Option<u64> {
        (w.chars >= self.min_chars && w.stop & self.stop == 0).then_some(if self.stemmed {
            w.stem
        } else {
            w.hash
        })
    }

    /// `self.key(&self.settings.word(folded))`, computing only what the answer needs: no
    /// hash for a short word, no stem for a language compared whole.
    fn word_key(&self, w: FoldedWord<'_>) -> Option<u64> {
        if w.chars() < self.min_chars {
            return None;
        }
        let hash = w.hash();
        let stop = self.settings.stop_mask(hash);
        if stop & self.stop != 0 {
            return None;
        }
        Some(if self.stemmed {
            w.stem_hash(self.settings.language.stem_chars, hash)
        } else {
            hash
        })
    }

    /// [`word_key`](Self::word_key) of a word of at least `min_chars` characters whose hash,
    /// stem hash and stop-word bits are known.
    fn key_of(&self, hash: u64, stem: u64, stop: u16) -> Option<u64> {
        (stop & self.stop == 0).then_some(if self.stemmed { stem } else { hash })
    }

    /// The distinct content words of `text`, as keys.
    fn content_words(&self, text: &str) -> Vec<u64> {
        let mut words = Vec::new();
        for_each_word(text, &mut String::new(), |w| {
            words.extend(self.word_key(w));
            true
        });
        words.sort_unstable();
        words.dedup();
        words
    }

    /// How many of `words` occur in the prose.
    fn shared(&self, words: &[u64]) -> usize {
        self.shared_beyond(words, 0)
    }

    /// How many of `words` occur in more than `own` prose lines: with `own` 1, the words of a
    /// prose line that the rest of the prose shares.
    fn shared_beyond(&self, words: &[u64], own: u32) -> usize {
        words
            .iter()
            .filter(|w| self.vocab.get(*w).is_some_and(|&n| n > own))
            .count()
    }
}

/// Adds one to the count of each distinct key of one line (`keys`, sorted here).
fn count_keys(vocab: &mut FxHashMap<u64, u32>, keys: &mut Vec<u64>) {
    keys.sort_unstable();
    keys.dedup();
    for &k in keys.iter() {
        *vocab.entry(k).or_default() += 1;
    }
}

/// Characters in `s`.
fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// `b`'s counts added to `a`'s (the larger map takes the smaller's).
fn add_counts(mut a: FxHashMap<u64, u32>, mut b: FxHashMap<u64, u32>) -> FxHashMap<u64, u32> {
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    for (k, n) in b {
        *a.entry(k).or_default() += n;
    }
    a
}

/// One word of a text as the heuristics compare it: folded ([`fold_into`]), or, for a run of
/// ASCII letters and digits, as it stands (its folding is its lower case, which the hashes
/// below apply as they read it).
#[derive(Clone, Copy)]
enum FoldedWord<'a> {
    Ascii(&'a [u8]),
    Folded(&'a str),
}

impl FoldedWord<'_> {
    /// [`word_hash`] of the folded word.
    fn hash(self) -> u64 {
        match self {
            FoldedWord::Ascii(b) => ascii_word_hash(b),
            FoldedWord::Folded(s) => word_hash(s),
        }
    }

    /// Its length in characters.
    fn chars(self) -> usize {
        match self {
            FoldedWord::Ascii(b) => b.len(),
            FoldedWord::Folded(s) => char_len(s),
        }
    }

    /// [`word_hash`] of its first `n` characters when it is longer than that and `n` is not
    /// 0; `hash` (its own) otherwise.
    fn stem_hash(self, n: usize, hash: u64) -> u64 {
        match self {
            FoldedWord::Ascii(b) if n > 0 && b.len() > n => ascii_word_hash(&b[..n]),
            FoldedWord::Ascii(_) => hash,
            FoldedWord::Folded(s) => match s.char_indices().nth(n) {
                Some((i, _)) if n > 0 => word_hash(&s[..i]),
                _ => hash,
            },
        }
    }

    /// The folded text, for tests.
    #[cfg(test)]
    fn text(self) -> String {
        match self {
            FoldedWord::Ascii(b) => std::str::from_utf8(b).expect("ASCII").to_ascii_lowercase(),
            FoldedWord::Folded(s) => s.to_string(),
        }
    }
}

/// Calls `f` with each word of `text` ([`words_of`]), folded ([`FoldedWord`]; `buf` holds a
/// folded non-ASCII word), while `f` returns true; false when `f` stopped it. ASCII text is
/// split byte by byte, which gives the same words.
fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(FoldedWord<'_>) -> bool) -> bool {
    if !text.is_ascii() {
        for w in words_of(text) {
            fold_into(w, buf);
            if !f(FoldedWord::Folded(buf)) {
                return false;
            }
        }
        return true;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if !f(FoldedWord::Ascii(&b[start..i])) {
            return false;
        }
    }
    true
}

/// The words of `text`: runs of letters and digits.
/// A run of prose lines with few short lines between them.
struct Block {
    start: usize,
    end: usize,
    words: usize,
    lines: usize,
}

/// The first line of the article's body: the start of the first prose block that holds at
/// least half as many words as the largest (a standfirst or a site's tagline before it is
/// smaller).
fn article_start(blocks: &[Block]) -> Option<usize> {
    let most = blocks.iter().map(|b| b.words).max()?;
    blocks.iter().find(|b| 2 * b.words >= most).map(|b| b.start)
}

/// The title before line `at`: the kept line before it, bylines and sources aside.
fn title_before(lines: &[Line<'_>], at: usize, s: &Settings) -> Option<usize> {
    (0..at).rev().find(|&i| {
        let text = lines[i].text.as_ref();
        lines[i].is_kept_text() && !s.protect.is_match(text) && !lower_byline(text)
    })
}

/// "by Jane Doe": a byline that starts in lower case. (Bylines are protected when they start
/// with a capital; in lower case the same words end many a menu entry, so they are only kept
/// out of the title.)
fn lower_byline(text: &str) -> bool {
    text.strip_prefix("by ")
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_uppercase)
}

/// Which kept lines are prose: each prose line, and each line of a paragraph wrapped by hand
/// (lines that start in lower case continue the kept line above them) that is prose as a
/// whole.
fn prose_lines(lines: &[Line<'_>], shapes: &[Shape], s: &Settings) -> Vec<bool> {
    let mut prose: Vec<bool> = lines
        .iter()
        .zip(shapes)
        .map(|(l, sh)| l.is_kept_text() && sh.prose(s))
        .collect();
    // The kept lines of the paragraph being read, and its words.
    let mut para: Vec<usize> = Vec::new();
    let mut words = 0;
    let close = |para: &mut Vec<usize>, words: usize, prose: &mut [bool]| {
        if let [.., end] = para[..]
            && para.len() > 1
            && words >= s.prose.min_words
            && shapes[end].terminal
        {
            for &i in para.iter() {
                prose[i] = true;
            }
        }
        para.clear();
    };
    for (i, (line, sh)) in lines.iter().zip(shapes).enumerate() {
        if !line.verdict.is_keep() {
            continue;
        }
        let continues = !para.is_empty()
            && !line.is_blank()
            && line.text.chars().next().is_some_and(char::is_lowercase);
        if !continues {
            close(&mut para, words, &mut prose);
            words = 0;
        }
        if !line.is_blank() {
            para.push(i);
            words += sh.words;
        }
    }
    close(&mut para, words, &mut prose);
    prose
}

fn words_of(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !is_alphanumeric(c))
        .filter(|w| !w.is_empty())
}

/// The kept lines of a run, joined.
fn run_text(lines: &[Line<'_>]) -> String {
    lines
        .iter()
        .filter(|l| l.is_kept_text())
        .map(|l| l.text.as_ref())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True for emoji and pictographs, and the selectors and joiners that end an emoji sequence.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF     // emoji, pictographs, skin tones, flags
        | 0x2600..=0x27BF     // miscellaneous symbols, dingbats
        | 0x2B50 | 0x2B55     // star, circle
        | 0xFE0F | 0x200D     // variation selector 16, zero-width joiner
        | 0xE0020..=0xE007F) // tag characters of subdivision flags
}

/// The words of `text` that hold a digit: scores, prices, dates.
fn numbers(text: &str) -> usize {
    let b = text.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return 0;
    }
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
            .count();
    }
    // ASCII: the same words, split byte by byte (white space is \t..\r and the space).
    b.split(|c| matches!(c, b'\t'..=b'\r' | b' '))
        .filter(|w| w.iter().any(u8::is_ascii_digit))
        .count()
}

/// True for a numbered list item: `1.`, `2)`, `10 -`.
fn starts_numbered(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && matches!(text.as_bytes().get(digits), Some(b'.' | b')' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn shapes() {
        let s = Settings::builtin();
        let sh = shape("He said \"no.\"", &s);
        assert!(sh.terminal && sh.sentence_start && sh.words == 3);
        let banner = "GET BREAKING NEWS IN YOUR BROWSER. CLICK HERE TO TURN ON NOTIFICATIONS.";
        let headline = "Newest Gigabyte Motherboards Are Going To Be Pricey, Says Report!";
        for text in [banner, headline] {
            let sh = shape(text, &s);
            assert!(sh.capitalised && sh.terminal && !sh.prose(&s), "{text}");
        }
        // The same counts for non-ASCII text.
        assert!(
            shape(
                "Über Die Neuesten Motherboards Der Großen Hersteller Heute.",
                &s
            )
            .capitalised
        );
        for text in [
            "Portion Fix Containers: 1 Green, 1 Purple, 1 Red, 1 Yellow, 1 tsp.",
            "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday.",
            "우선 <그녀말>은 숨바꼭질에 비해 차분하게 이야기의 고리를 하나하나 풀어간다.",
        ] {
            assert!(shape(text, &s).prose(&s), "{text}");
        }
        let sh = shape("Background:", &s);
        assert!(sh.colon && !sh.terminal);
        let sh = shape("这是一个很长的中文句子没有空格。", &s);
        assert!(sh.words >= 7 && sh.terminal);
        let sh = shape("We spent the whole day at the beach with the kids 😍", &s);
        assert!(sh.terminal && sh.prose(&s));
        let sh = shape("Best day ever! 👩\u{200d}👩\u{200d}👧\u{fe0f}", &s);
        assert!(sh.terminal);
        assert!(!shape("Beaches of the south coast", &s).terminal);
    }

    #[test]
    fn words_stems_and_content() {
        let s = Settings::builtin();
        let w: Vec<String> = words_of("What Russia's use").map(fold).collect();
        assert_eq!(w, ["what", "russia", "s", "use"]);
        let empty = FxHashMap::default();
        let en = Cohesion::with(&s, &empty, Some("en"));
        assert!(en.key(&s.word("what")).is_none(), "a stop word");
        assert!(en.key(&s.word("war")).is_none(), "too short");
        assert_eq!(en.key(&s.word("russia")), Some(s.word("russia").hash));
        // Inflected languages compare the first five characters.
        let pl = Cohesion::with(&s, &empty, Some("pl"));
        assert_eq!(pl.key(&s.word("szkoła")), pl.key(&s.word("szkoły")));
        assert_ne!(en.key(&s.word("szkoła")), en.key(&s.word("szkoły")));
        assert_eq!(
            pl.content_words("Szkoła i szkoły"),
            vec![s.word("szkoł").hash]
        );
    }

    #[test]
    fn ascii_counts_agree_with_char_counts() {
        let all: String = (0u8..128).map(char::from).collect();
        for t in [
            "",
            " ",
            "He said \"no.\" and left",
            "a\tb\nc\x0Bd\x0Ce\rf\x1Cg\x1Fh i",
            "  Lead and trailing  ",
            "123 abc DEF _x -y",
            "lower first word, then Upper and lower",
            "\tx",
            all.as_str(),
        ] {
            assert_eq!(Counts::ascii(t), Counts::chars(t), "{t:?}");
        }
    }

    #[test]
    fn ascii_words_agree_with_words_of() {
        let all: String = (0u8..128).map(char::from).collect();
        for t in ["", "What Russia's use", "  a-b_c 12x,Y.  ", all.as_str()] {
            let mut fast = Vec::new();
            for_each_word(t, &mut String::new(), |w| {
                fast.push(w.text());
                true
            });
            let slow: Vec<String> = words_of(t).map(fold).collect();
            assert_eq!(fast, slow, "{t:?}");
        }
    }

    #[test]
    fn word_key_agrees_with_key() {
        let s = Settings::builtin();
        let empty = FxHashMap::default();
        let words = [
            "what",
            "war",
            "russia",
            "szkoła",
            "szkoły",
            "the",
            "und",
            "україна",
            "это",
            "straße",
            "ss",
            "a",
            "1234567",
            "naïve",
            "",
            "What RUSSIA Said",
            "Szkoła 1234567890abcdefXYZ",
        ];
        for lang in [
            None,
            Some("en"),
            Some("pl"),
            Some("de"),
            Some("uk"),
            Some("ru"),
        ] {
            let c = Cohesion::with(&s, &empty, lang);
            for w in words {
                let f = fold(w);
                let mut keys = Vec::new();
                for_each_word(w, &mut String::new(), |w| {
                    keys.push(c.word_key(w));
                    true
                });
                let expected: Vec<_> = words_of(&f).map(|w| c.key(&s.word(w))).collect();
                assert_eq!(keys, expected, "{lang:?} {w}");
            }
        }
    }

    #[test]
    fn numbers_in_ascii_and_unicode_text() {
        assert_eq!(numbers("no digits here"), 0);
        assert_eq!(numbers("3:1 win in 2025,\tscore 10\x0B9x"), 4);
        assert_eq!(numbers("  12  a1  "), 2);
        assert_eq!(numbers("ціна 12\u{a0}грн 3"), 2);
    }

    #[test]
    fn numbered_items() {
        assert!(starts_numbered("1. Passport"));
        assert!(starts_numbered("12) Visa"));
        assert!(!starts_numbered("2025 was a year"));
        assert!(!starts_numbered("Passport"));
    }
}
