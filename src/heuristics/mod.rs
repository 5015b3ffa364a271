//! Heuristics: decisions about lines by their shape and place in the document, where a phrase
//! list cannot reach (runs of short lines before the article, a list of links after it,
//! teasers between its paragraphs). Each heuristic is one file holding what it removes and
//! why, its settings table and its tests; [`REGISTRY`] lists them in the order they run.
//!
//! A heuristic never drops prose (the author box's biography aside) or a protected line, and
//! its verdicts carry the id `heuristic/<name>` and a reason that names the lines it read.
//! Their thresholds are data: `rules/heuristics/settings.toml`, laid over by the user's.

mod author_box;
mod between_debris;
mod cohesion;
mod context;
mod corpus_repeat;
mod duplicate_line;
mod footer_zone;
mod header_zone;
mod inline_teaser;
mod language;
mod link_list;
mod settings;
mod teaser_run;
#[cfg(test)]
mod testing;

use std::fmt::Debug;
use std::sync::Arc;

use serde::de::DeserializeOwned;

pub(crate) use cohesion::Memo;
pub use language::stopword_languages;
pub(crate) use language::{ascii_word_hash, word_hash};
pub use settings::{Layer, Settings};
pub(crate) use settings::{SETTINGS_NAME, SETTINGS_TEXT};

use crate::corpus::CorpusStats;
use crate::doc::Line;
use crate::doc::shape::Shape;
use context::Context;

/// One heuristic. Its settings are the struct that implements it, read from its table of
/// the settings (`[header-zone]` for `heuristic/header-zone`).
pub(crate) trait Heuristic: Debug + Send + Sync {
    /// Drops lines of `lines` (whose shapes, prose and article are in `cx`) with verdicts
    /// of `id`. `memo` keeps what is costly to compute from one settle round to the next.
    fn run(&self, cx: &Context<'_>, lines: &mut [Line<'_>], memo: &mut Memo, id: &Arc<str>);

    /// A setting that names rules or heuristics (`("between-debris", "transparent", …)`),
    /// which the rule set checks against the rules it loads.
    fn selectors(&self) -> Option<(&'static str, &'static str, &[String])> {
        None
    }
}

/// When in the run a heuristic sees the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Before the article's anchors are known: the prose is found again after each
    /// heuristic of this phase, which may drop what others would anchor on.
    Document,
    /// Once the article is known (documents without prose have none, and skip this phase):
    /// every heuristic of this phase sees the same prose and the same article.
    Article,
}

/// A heuristic's entry in the registry.
pub(crate) struct Registration {
    /// Its id, `heuristic/<name>`.
    pub(crate) id: &'static str,
    /// The table of the settings it is read from.
    pub(crate) table: &'static str,
    pub(crate) phase: Phase,
    /// What it removes, in a sentence or two (`thresh rules list`).
    pub(crate) about: &'static str,
    build: fn(toml::Value) -> Result<Arc<dyn Heuristic>, toml::de::Error>,
}

const fn register<H: Heuristic + DeserializeOwned + 'static>(
    id: &'static str,
    table: &'static str,
    phase: Phase,
    about: &'static str,
) -> Registration {
    Registration {
        id,
        table,
        phase,
        about,
        build: build::<H>,
    }
}

fn build<H: Heuristic + DeserializeOwned + 'static>(
    table: toml::Value,
) -> Result<Arc<dyn Heuristic>, toml::de::Error> {
    Ok(Arc::new(H::deserialize(table)?))
}

/// Every heuristic, in the order they run.
pub(crate) const REGISTRY: &[Registration] = &[
    // First: the only heuristic that drops a prose line (the biography), so the prose the
    // others anchor on is the same when cleaned text is cleaned again.
    register::<author_box::AuthorBox>(
        "heuristic/author-box",
        "author-box",
        Phase::Document,
        author_box::ABOUT,
    ),
    register::<teaser_run::TeaserRun>(
        "heuristic/teaser-run",
        "teaser-run",
        Phase::Document,
        teaser_run::ABOUT,
    ),
    register::<corpus_repeat::CorpusRepeat>(
        CORPUS_REPEAT,
        "corpus",
        Phase::Article,
        corpus_repeat::ABOUT,
    ),
    register::<header_zone::HeaderZone>(
        "heuristic/header-zone",
        "header-zone",
        Phase::Article,
        header_zone::ABOUT,
    ),
    // After the header zone, which drops menu entries that the article may repeat.
    register::<duplicate_line::DuplicateLine>(
        "heuristic/duplicate-line",
        "duplicate-line",
        Phase::Article,
        duplicate_line::ABOUT,
    ),
    register::<footer_zone::FooterZone>(
        "heuristic/footer-zone",
        "footer-zone",
        Phase::Article,
        footer_zone::ABOUT,
    ),
    register::<inline_teaser::InlineTeaser>(
        "heuristic/inline-teaser",
        "inline-teaser",
        Phase::Article,
        inline_teaser::ABOUT,
    ),
    register::<link_list::LinkList>(
        "heuristic/link-list",
        "link-list",
        Phase::Article,
        link_list::ABOUT,
    ),
    // Last: its neighbours are what the others dropped.
    register::<between_debris::BetweenDebris>(
        "heuristic/between-debris",
        "between-debris",
        Phase::Article,
        between_debris::ABOUT,
    ),
];

/// The id of the corpus heuristic, whose verdicts the line model leaves as they are.
pub(crate) const CORPUS_REPEAT: &str = "heuristic/corpus-repeat";

/// The id of every heuristic, in the order they run.
pub fn ids() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().map(|r| r.id)
}

/// The description of heuristic `id`.
pub fn description(id: &str) -> Option<&'static str> {
    REGISTRY.iter().find(|r| r.id == id).map(|r| r.about)
}

/// The selected heuristics with their settings and ids, ready to run.
#[derive(Debug)]
pub(crate) struct Heuristics {
    settings: Settings,
    /// The selected heuristics in run order, with their ids.
    selected: Vec<(Phase, Arc<dyn Heuristic>, Arc<str>)>,
}

impl Heuristics {
    pub(crate) fn new(settings: &Settings, enabled: &[&'static str]) -> Heuristics {
        let selected = REGISTRY
            .iter()
            .zip(settings.heuristics())
            .filter(|(r, _)| enabled.contains(&r.id))
            .map(|(r, h)| (r.phase, Arc::clone(h), Arc::from(r.id)))
            .collect();
        Heuristics {
            settings: settings.clone(),
            selected,
        }
    }

    /// The article's title as the heuristics see it, among the kept lines: the line right
    /// before the article's body, and the line right before its first prose paragraph (the
    /// two are often one). The line model never drops them: gold article texts seldom hold
    /// the title, but a cleaned page keeps it.
    pub(crate) fn titles(&self, lines: &[Line<'_>], shapes: &[Shape]) -> Vec<usize> {
        let cx = Context::new(&self.settings, shapes, None, lines);
        let Some(a) = cx.find_article(lines) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = a.title.into_iter().chain(a.lead_title).collect();
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
        let mut article: Option<Context<'_>> = None;
        for (phase, h, id) in &self.selected {
            match phase {
                Phase::Document => {
                    let cx = Context::new(s, shapes, corpus, lines);
                    h.run(&cx, lines, memo, id);
                }
                Phase::Article => {
                    if article.is_none() {
                        let mut cx = Context::new(s, shapes, corpus, lines);
                        match cx.find_article(lines) {
                            Some(a) => cx.article = Some(a),
                            None => return,
                        }
                        article = Some(cx);
                    }
                    let cx = article.as_ref().expect("made above");
                    h.run(cx, lines, memo, id);
                }
            }
        }
    }
}
