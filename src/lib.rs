//! thresh cleans plain text scraped from the web: it keeps the article (title, lead, body,
//! sub-headings, lists, quotes, attributions) and drops the page furniture around it (menus,
//! section labels, language switchers, cookie banners, advertisement labels, share widgets,
//! view counters, tickers, author boxes, tag rows, related-article lists, donation appeals),
//! then normalizes quotes, white space and Unicode.
//!
//! Every line carries a verdict: kept, or dropped by which rule or heuristic and why. Rules are
//! data (TOML, see `rules/README.md`); they compile once into a [`RuleSet`], and a
//! [`Pipeline`] runs them over any number of documents, from any number of threads.
//!
//! ```
//! use thresh::{Pipeline, RuleSet};
//!
//! let rules = RuleSet::builder().build()?;
//! let pipeline = Pipeline::new(rules);
//! let text = "Share\nRates rose again, the central bank said on Monday.\nAdvertisement:\n";
//! let outcome = pipeline.clean(text);
//! assert_eq!(outcome.text(), "Rates rose again, the central bank said on Monday.\n");
//! for line in outcome.dropped() {
//!     let why = line.verdict.dropped().unwrap();
//!     println!("line {}: {} ({})", line.number, why.by, why.reason);
//! }
//! # Ok::<(), thresh::Error>(())
//! ```
//!
//! The library prints nothing, and cleaning does no IO; [`files`] reads rule folders for front
//! ends. The `thresh` binary walks folders, fans out over threads and reports.

#![deny(missing_docs)]

pub mod corpus;
pub mod doc;
mod error;
pub mod files;
mod fold;
pub mod heuristics;
pub mod model;
mod normalize;
mod pipeline;
pub mod repair;
pub mod rules;
mod select;

pub use corpus::{CorpusStats, DocumentKeys};
pub use doc::{Dropped, Line, Verdict};
pub use documents::{Documents, Part};
pub use error::{DecodeError, Error, ErrorKind};
pub use fold::fold;
pub use model::Model;
pub use pipeline::documents;
pub use pipeline::{
    CheckFailure, NFC_ID, Outcome, Pipeline, PipelineBuilder, RuleSet, RuleSetBuilder, RuleStats,
    Stats, Style, WHITESPACE_ID,
};
pub use repair::decode_utf8 as decode;
pub use rules::Rule;
