//! Texts that hold several documents: pages joined into one file and kept apart by separator
//! lines (a form feed, `<<<END>>>`, whatever wrote the file put there). Each document is
//! cleaned alone, as a file of its own would be, so that what one page's zones, tails and
//! titles decide never reaches into the next; documents are cleaned in parallel. Separator
//! lines are written back as they were, so the output splits the same way.

use std::ops::Range;

use rayon::prelude::*;
use regex::Regex;

use super::{Outcome, Pipeline, Stats};
use crate::corpus::CorpusStats;
use crate::doc::next_break;

/// Where one document or one separator line lies in a text (see [`segments`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Its bytes: a document's lines with their line breaks; a separator line without its
    /// line break.
    pub range: Range<usize>,
    /// The number of its first line in the text.
    pub first_number: usize,
    /// True for a separator line.
    pub separator: bool,
}

/// The documents and separator lines of `text`, in order. A line is a separator when
/// `separator` matches it (without its line break); the lines between two separators, or
/// before the first or after the last, are a document. A document is never empty: two
/// separators in a row have none between them.
///
/// ```
/// let sep = regex::Regex::new("^---$").unwrap();
/// let parts = thresh::documents::segments("a\nb\n---\nc\n", &sep);
/// assert_eq!(parts.len(), 3);
/// assert!(parts[1].separator);
/// assert_eq!((parts[2].range.clone(), parts[2].first_number), (8..10, 4));
/// ```
pub fn segments(text: &str, separator: &Regex) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut doc_start, mut doc_number) = (0, 1);
    let (mut start, mut number) = (0, 1);
    while start < bytes.len() {
        let (end, next) = match next_break(&bytes[start..]) {
            Some((i, len)) => (start + i, start + i + len),
            None => (bytes.len(), bytes.len()),
        };
        if separator.is_match(&text[start..end]) {
            if doc_start < start {
                out.push(Segment {
                    range: doc_start..start,
                    first_number: doc_number,
                    separator: false,
                });
            }
            out.push(Segment {
                range: start..end,
                first_number: number,
                separator: true,
            });
            (doc_start, doc_number) = (next, number + 1);
        }
        start = next;
        number += 1;
    }
    if doc_start < bytes.len() {
        out.push(Segment {
            range: doc_start..bytes.len(),
            first_number: doc_number,
            separator: false,
        });
    }
    out
}

/// One part of a cleaned text of several documents.
#[derive(Debug, Clone)]
pub enum Part<'a> {
    /// A document, cleaned alone; its line numbers and spans are those of the whole text.
    Document(Outcome<'a>),
    /// A separator line, written back as it is.
    Separator {
        /// Its line number in the text.
        number: usize,
        /// Its text, without the line break.
        text: &'a str,
    },
}

impl Part<'_> {
    /// What the output holds for this part: the cleaned document, or the separator line.
    pub fn text(&self) -> String {
        match self {
            Part::Document(o) => o.text(),
            Part::Separator { text, .. } => format!("{text}\n"),
        }
    }

    /// The number of its last input line (0 for an empty document).
    fn last_number(&self) -> usize {
        match self {
            Part::Document(o) => o.lines.last().map_or(0, |l| l.number),
            Part::Separator { number, .. } => *number,
        }
    }
}

/// A text of several documents, cleaned: its parts in order.
#[derive(Debug, Clone)]
pub struct Documents<'a> {
    /// The documents and separator lines, in input order.
    pub parts: Vec<Part<'a>>,
    input_len: usize,
    lines: usize,
}

impl<'a> Documents<'a> {
    /// A whole text cleaned as one document.
    pub fn one(outcome: Outcome<'a>) -> Documents<'a> {
        Documents {
            lines: outcome.lines.last().map_or(0, |l| l.number),
            input_len: outcome.input_len,
            parts: vec![Part::Document(outcome)],
        }
    }

    /// The cleaned text: each document as [`Outcome::text`] writes it, each separator line
    /// as it was, with a final newline.
    pub fn text(&self) -> String {
        if let [Part::Document(o)] = self.parts.as_slice() {
            return o.text();
        }
        // Documents are rendered in parallel, then joined.
        let texts: Vec<String> = self.parts.par_iter().map(Part::text).collect();
        texts.concat()
    }

    /// The cleaned documents, in order.
    pub fn outcomes(&self) -> impl Iterator<Item = &Outcome<'a>> {
        self.parts.iter().filter_map(|p| match p {
            Part::Document(o) => Some(o),
            Part::Separator { .. } => None,
        })
    }

    /// What cleaning removed and changed, over all documents. `documents` counts the
    /// documents; `lines` and `bytes` are the whole text's, separators included.
    pub fn stats(&self) -> Stats {
        let mut s = Stats::default();
        for o in self.outcomes() {
            s += &o.stats();
        }
        s.lines = self.lines;
        s.bytes = self.input_len;
        s
    }
}

impl Documents<'_> {
    /// Lets go of the documents, in parallel on the rayon pool when there are many: a file
    /// of thousands of documents holds as many line lists, and freeing them one by one would
    /// leave the other workers idle.
    pub fn free(self) {
        if self.parts.len() > 1 {
            self.parts.into_par_iter().for_each(drop);
        }
    }
}

impl Pipeline {
    /// Cleans a text that holds several documents, split where `separator` matches a whole
    /// line (see [`segments`]; `None`: the whole text is one document): each document as
    /// [`clean`](Pipeline::clean) cleans a text (or as
    /// [`clean_in_corpus`](Pipeline::clean_in_corpus) does, with `corpus`), in parallel on
    /// the rayon pool. The result is the same at any thread count.
    ///
    /// ```
    /// let pipeline = thresh::Pipeline::new(thresh::RuleSet::builder().build().unwrap());
    /// let sep = regex::Regex::new("^\u{c}$").unwrap();
    /// let text = "Advertisement\nOne.\n\u{c}\nTwo.\n";
    /// let docs = pipeline.clean_documents(text, Some(&sep), None);
    /// assert_eq!(docs.text(), "One.\n\u{c}\nTwo.\n");
    /// assert_eq!(docs.stats().documents, 2);
    /// assert_eq!(pipeline.clean_documents(text, None, None).stats().documents, 1);
    /// ```
    pub fn clean_documents<'a>(
        &self,
        text: &'a str,
        separator: Option<&Regex>,
        corpus: Option<&CorpusStats>,
    ) -> Documents<'a> {
        let Some(separator) = separator else {
            return Documents::one(self.clean_part(text, 0..text.len(), 1, corpus));
        };
        let parts: Vec<Part<'a>> = segments(text, separator)
            .par_iter()
            .map(|s| self.clean_segment(text, s, corpus))
            .collect();
        Documents {
            lines: parts.last().map_or(0, Part::last_number),
            parts,
            input_len: text.len(),
        }
    }

    /// One segment of `text`: a separator as it is, a document cleaned alone.
    fn clean_segment<'a>(
        &self,
        text: &'a str,
        s: &Segment,
        corpus: Option<&CorpusStats>,
    ) -> Part<'a> {
        match s.separator {
            true => Part::Separator {
                number: s.first_number,
                text: &text[s.range.clone()],
            },
            false => Part::Document(self.clean_part(text, s.range.clone(), s.first_number, corpus)),
        }
    }

    /// The text and stats of [`clean_documents`](Pipeline::clean_documents), without keeping
    /// every document's lines: documents are cleaned in parallel batches, each rendered and
    /// counted, and the batch let go before the next, so memory holds the text, the output
    /// and one batch. For a dump of many documents when no per-line report is wanted.
    ///
    /// ```
    /// let pipeline = thresh::Pipeline::new(thresh::RuleSet::builder().build().unwrap());
    /// let sep = regex::Regex::new("^\u{c}$").unwrap();
    /// let text = "Advertisement\nOne.\n\u{c}\nTwo.\n";
    /// let (out, stats) = pipeline.clean_documents_text(text, &sep, None);
    /// assert_eq!(out, pipeline.clean_documents(text, Some(&sep), None).text());
    /// assert_eq!(stats, pipeline.clean_documents(text, Some(&sep), None).stats());
    /// ```
    pub fn clean_documents_text(
        &self,
        text: &str,
        separator: &Regex,
        corpus: Option<&CorpusStats>,
    ) -> (String, Stats) {
        let segments = segments(text, separator);
        let mut out = String::new();
        let mut stats = Stats::default();
        let mut lines = 0;
        for batch in segments.chunks(BATCH_DOCUMENTS) {
            let done: Vec<(String, Option<Stats>, usize)> = batch
                .par_iter()
                .map(|s| {
                    let part = self.clean_segment(text, s, corpus);
                    let stats = match &part {
                        Part::Document(o) => Some(o.stats()),
                        Part::Separator { .. } => None,
                    };
                    (part.text(), stats, part.last_number())
                })
                .collect();
            for (t, s, last) in done {
                out.push_str(&t);
                if let Some(s) = s {
                    stats += &s;
                }
                lines = lines.max(last);
            }
        }
        stats.lines = lines;
        stats.bytes = text.len();
        (out, stats)
    }
}

/// Documents cleaned together by [`Pipeline::clean_documents_text`] before their lines are
/// let go: enough to keep every worker busy, few enough to keep memory small.
const BATCH_DOCUMENTS: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn sep() -> Regex {
        Regex::new("^={3,}$").unwrap()
    }

    #[test]
    fn segments_cover_the_text() {
        let text = "===\na\r\nb\n===\n===\nc";
        let s = segments(text, &sep());
        let kinds: Vec<(&str, bool, usize)> = s
            .iter()
            .map(|s| (&text[s.range.clone()], s.separator, s.first_number))
            .collect();
        assert_eq!(
            kinds,
            [
                ("===", true, 1),
                ("a\r\nb\n", false, 2),
                ("===", true, 4),
                ("===", true, 5),
                ("c", false, 6)
            ]
        );
        assert!(segments("", &sep()).is_empty());
        assert_eq!(segments("a\n", &sep()).len(), 1);
    }

    #[test]
    fn documents_are_cleaned_alone_with_their_own_numbers() {
        let p = Pipeline::new(RuleSet::builder().build().unwrap());
        // The second page's header is lifted off its own first line, and its title found.
        let text = "Home\nThe council met on Tuesday and agreed the plan for the new \
                    school, officials said.\n===\ndate 2025-04-28 Central bank raises \
                    rates\nThe central bank raised rates again on Tuesday, its third rise \
                    this year.\n";
        let docs = p.clean_documents(text, Some(&sep()), None);
        assert_eq!(docs.parts.len(), 3);
        let Part::Document(second) = &docs.parts[2] else {
            panic!("a document")
        };
        assert_eq!(second.header.as_deref(), Some("date 2025-04-28"));
        assert_eq!(second.lines[0].number, 4);
        assert_eq!(
            &text[second.lines[0].span.clone()],
            "Central bank raises rates"
        );
        assert_eq!(second.start(), text.find("date").unwrap());
        let whole = docs.text();
        assert!(
            whole.starts_with("The council met")
                && whole.contains("===\ndate 2025-04-28\nCentral bank raises rates\n"),
            "{whole}"
        );
        let s = docs.stats();
        assert_eq!((s.documents, s.lines, s.bytes), (2, 5, text.len()));
        // Idempotent: cleaning the output changes nothing.
        assert_eq!(p.clean_documents(&whole, Some(&sep()), None).text(), whole);
    }

    #[test]
    fn same_output_at_any_thread_count() {
        let p = Pipeline::new(RuleSet::builder().build().unwrap());
        let page = "Menu\nNews\nSport\nThe council met on Tuesday and agreed the plan, \
                    officials said.\nShare on Facebook\n";
        // More documents than one batch of `clean_documents_text`.
        let text = format!("{page}===\n").repeat(BATCH_DOCUMENTS + 300);
        let run = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| {
                    let docs = p.clean_documents(&text, Some(&sep()), None);
                    let batched = p.clean_documents_text(&text, &sep(), None);
                    assert_eq!((docs.text(), docs.stats()), batched);
                    batched.0
                })
        };
        assert_eq!(run(1), run(4));
    }
}
