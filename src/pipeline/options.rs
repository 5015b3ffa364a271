//! What a pipeline is built from: the rule set (built-in and user rule files, validated and
//! compiled), the selection of rules, heuristics and the line model, and the heuristics'
//! settings. Rules know nothing of heuristics or the model; this is where they meet.

use super::Pipeline;
use crate::error::{Error, line_col};
use crate::heuristics::{self, Layer, Settings};
use crate::repair::RepairOptions;
use crate::rules::builtin;
use crate::rules::{Family, Matchers, Origin, Rule, check_unique_ids, load_file};
use crate::select::{did_you_mean, selects};

/// The compiled, selected rules and heuristics: immutable, `Send + Sync`, built once per run.
#[derive(Debug)]
pub struct RuleSet {
    pub(super) rules: Vec<Rule>,
    pub(super) families: Vec<Family>,
    pub(super) heuristics: Vec<&'static str>,
    /// The line model is selected.
    pub(super) model: bool,
    pub(super) settings: Settings,
    pub(crate) matchers: Matchers,
}

impl RuleSet {
    /// A builder that starts from the built-in rules.
    ///
    /// ```
    /// let rules = thresh::RuleSet::builder().select(["cookie", "ads"]).build().unwrap();
    /// assert!(rules.rules().iter().all(|r| r.family() == "cookie" || r.family() == "ads"));
    /// ```
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    /// The selected rules, in the order they are applied within each kind.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id, if selected.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// Every family that was loaded (selected or not).
    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// The ids of the selected heuristics.
    pub fn heuristics(&self) -> &[&'static str] {
        &self.heuristics
    }

    /// True when the heuristic with this id is selected.
    pub fn heuristic_enabled(&self, id: &str) -> bool {
        self.heuristics.contains(&id)
    }

    /// True when the line model (`model/line`) is selected.
    pub fn model_enabled(&self) -> bool {
        self.model
    }

    /// The heuristics' thresholds.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// Builds a [`RuleSet`]: built-in rules (unless turned off), user rule files, selection.
///
/// Setters take `&mut self` and return it; [`build`](Self::build) does not consume the builder.
#[derive(Debug, Clone, Default)]
pub struct RuleSetBuilder {
    no_builtin: bool,
    sources: Vec<(String, String)>,
    settings: Vec<(String, String, Option<String>)>,
    select: Vec<String>,
    ignore: Vec<String>,
}

impl RuleSetBuilder {
    /// Leaves out the built-in rules (heuristics stay, subject to selection).
    pub fn no_builtin(&mut self, yes: bool) -> &mut Self {
        self.no_builtin = yes;
        self
    }

    /// Adds a rule file's text. `name` is used in messages; its file stem is the family every
    /// rule id in it must start with.
    pub fn add_source(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.sources.push((name.into(), text.into()));
        self
    }

    /// Lays this TOML text over the built-in heuristic settings (after any laid before): it
    /// need only hold what it changes.
    pub fn settings_source(
        &mut self,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> &mut Self {
        self.settings.push((name.into(), text.into(), None));
        self
    }

    /// Lays the settings tables under `[table.…]` of this TOML text (a configuration file's
    /// `[heuristics.corpus]`, …) over the heuristic settings, after any laid before.
    pub fn settings_tables_in(
        &mut self,
        name: impl Into<String>,
        text: impl Into<String>,
        table: &str,
    ) -> &mut Self {
        self.settings
            .push((name.into(), text.into(), Some(table.to_string())));
        self
    }

    /// Keeps only these rules and heuristics: ids (`cookie/consent-notice`) or families
    /// (`cookie`, `heuristic`). Empty means all.
    pub fn select<I, S>(&mut self, selectors: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.select.extend(selectors.into_iter().map(Into::into));
        self
    }

    /// Leaves out these rules and heuristics, by id or family; applied after `select`.
    pub fn ignore<I, S>(&mut self, selectors: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ignore.extend(selectors.into_iter().map(Into::into));
        self
    }

    /// Loads, validates, selects and compiles.
    pub fn build(&self) -> Result<RuleSet, Error> {
        let mut rules = Vec::new();
        let mut families = Vec::new();
        // The built-in rules are known good: each of their regexes compiles alone within the
        // limit (tested), so only the users' regexes are compiled one by one to check them.
        let builtin = builtin::FILES
            .iter()
            .map(|(n, t)| (*n, *t, Origin::Builtin));
        let user = (self.sources.iter()).map(|(n, t)| (n.as_str(), t.as_str(), Origin::User));
        let sources: Vec<(&str, &str, Origin)> = if self.no_builtin {
            user.collect()
        } else {
            builtin.chain(user).collect()
        };
        for (name, text, origin) in sources {
            families.push(load_file(name, text, origin, &mut rules)?);
        }
        check_unique_ids(&rules)?;
        let settings = if self.settings.is_empty() {
            Settings::builtin()
        } else {
            let layers: Vec<Layer<'_>> = self
                .settings
                .iter()
                .map(|(name, text, table)| Layer {
                    name,
                    text,
                    table: table.as_deref(),
                })
                .collect();
            Settings::parse_layers(&layers)?
        };

        let heuristic_ids: Vec<&'static str> = heuristics::ids().collect();
        for sel in self.select.iter().chain(&self.ignore) {
            let known = rules.iter().any(|r| selects(sel, &r.id))
                || heuristic_ids.iter().any(|id| selects(sel, id))
                || selects(sel, crate::model::ID);
            if !known {
                let mut names: Vec<&str> = rules.iter().map(|r| &*r.id).collect();
                names.extend(heuristic_ids.iter().copied());
                names.push(crate::model::ID);
                let families: Vec<&str> = names
                    .iter()
                    .filter_map(|n| n.split_once('/'))
                    .map(|(f, _)| f)
                    .collect();
                names.extend(families);
                let hint = match did_you_mean(sel, &names) {
                    Some(near) => format!("did you mean \"{near}\"? "),
                    None => String::new(),
                };
                return Err(Error::selector(
                    sel,
                    format!(
                        "matches no rule or heuristic; {hint}expected an id such as \
                         \"cookie/consent-notice\" or a family such as \"cookie\" (see `thresh \
                         rules list`)"
                    ),
                ));
            }
        }
        self.check_transparent(&settings, &rules, &heuristic_ids)?;
        let chosen = |id: &str| {
            (self.select.is_empty() || self.select.iter().any(|s| selects(s, id)))
                && !self.ignore.iter().any(|s| selects(s, id))
        };
        rules.retain(|r| chosen(&r.id));
        let heuristics = heuristic_ids.into_iter().filter(|id| chosen(id)).collect();
        let model = chosen(crate::model::ID);
        let matchers = Matchers::compile(&rules)?;
        Ok(RuleSet {
            rules,
            families,
            heuristics,
            model,
            settings,
            matchers,
        })
    }
}

impl RuleSetBuilder {
    /// Each selector in the settings (`[between-debris] transparent`) must name a rule or a
    /// heuristic, or a family, of the rules loaded or of the built-in ones.
    fn check_transparent(
        &self,
        settings: &Settings,
        rules: &[Rule],
        heuristic_ids: &[&str],
    ) -> Result<(), Error> {
        let mut builtin: Option<Vec<Rule>> = None;
        for (table, field, selectors) in settings.selectors() {
            for t in selectors {
                let known = rules.iter().any(|r| selects(t, &r.id))
                    || heuristic_ids.iter().any(|id| selects(t, id))
                    || builtin
                        .get_or_insert_with(|| {
                            let mut all = Vec::new();
                            for (name, text) in builtin::FILES {
                                load_file(name, text, Origin::Builtin, &mut all)
                                    .expect("the built-in rules are valid");
                            }
                            all
                        })
                        .iter()
                        .any(|r| selects(t, &r.id));
                if known {
                    continue;
                }
                // The last layer that names it, or the built-in settings.
                let quoted = format!("\"{t}\"");
                let header = format!("{table}]");
                let find = |text: &str| {
                    text.find(&header)
                        .and_then(|from| text[from..].find(&quoted).map(|i| from + i))
                };
                let (name, text, at) = self
                    .settings
                    .iter()
                    .rev()
                    .find_map(|(name, text, _)| {
                        find(text).map(|i| (name.as_str(), text.as_str(), i))
                    })
                    .map_or(
                        (heuristics::SETTINGS_NAME, heuristics::SETTINGS_TEXT, None),
                        |(n, t, i)| (n, t, Some(i)),
                    );
                let at = at.map(|i| line_col(text, i));
                return Err(Error::rule(
                    name,
                    at,
                    None,
                    format!(
                        "[{table}] {field}: {quoted} matches no rule or heuristic; expected an \
                         id such as \"ads/label\" or a family such as \"ads\""
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// How a kind of typography comes out (`--quotes`, `--dashes`, `--ellipsis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Made ASCII: straight quotes, `-`, `...`.
    Ascii,
    /// Kept as written.
    Keep,
}

/// Everything a [`Pipeline`] is built from: the rule set (rules, selection, heuristic
/// settings) and the normalization. The command line and the Python module both build their
/// pipelines here, so the same options give the same pipeline.
///
/// ```
/// use thresh::{Pipeline, Style};
/// let mut builder = Pipeline::builder();
/// builder.quotes(Style::Keep).rules().ignore(["heuristic/footer-zone"]);
/// let pipeline = builder.build().unwrap();
/// assert_eq!(pipeline.clean("“Hi,” she said.\n").text(), "“Hi,” she said.\n");
/// ```
#[derive(Debug, Clone)]
pub struct PipelineBuilder {
    rules: RuleSetBuilder,
    quotes: Style,
    dashes: Style,
    ellipsis: Style,
    nfkc: bool,
    strip_tags: bool,
}

impl Default for PipelineBuilder {
    fn default() -> PipelineBuilder {
        PipelineBuilder {
            rules: RuleSetBuilder::default(),
            quotes: Style::Ascii,
            dashes: Style::Keep,
            ellipsis: Style::Keep,
            nfkc: false,
            strip_tags: false,
        }
    }
}

impl PipelineBuilder {
    /// The rule set's builder: rule files, selection and heuristic settings.
    pub fn rules(&mut self) -> &mut RuleSetBuilder {
        &mut self.rules
    }

    /// Quotes: ASCII (the default; the built-in `quotes` rules straighten them) or kept, which
    /// leaves the `quotes` family out.
    pub fn quotes(&mut self, style: Style) -> &mut Self {
        self.quotes = style;
        self
    }

    /// Dashes: kept (the default) or ASCII.
    pub fn dashes(&mut self, style: Style) -> &mut Self {
        self.dashes = style;
        self
    }

    /// The ellipsis: kept (the default) or ASCII.
    pub fn ellipsis(&mut self, style: Style) -> &mut Self {
        self.ellipsis = style;
        self
    }

    /// Applies NFKC last (off by default).
    pub fn nfkc(&mut self, yes: bool) -> &mut Self {
        self.nfkc = yes;
        self
    }

    /// Removes HTML tags and comments (off by default).
    pub fn strip_tags(&mut self, yes: bool) -> &mut Self {
        self.strip_tags = yes;
        self
    }

    /// The repairs these options come to.
    pub fn repair_options(&self) -> RepairOptions {
        RepairOptions {
            strip_tags: self.strip_tags,
            dashes_ascii: self.dashes == Style::Ascii,
            ellipsis_ascii: self.ellipsis == Style::Ascii,
            nfkc: self.nfkc,
            ..RepairOptions::default()
        }
    }

    /// The rule set these options select: with quotes kept, without the built-in `quotes`
    /// family.
    pub fn rule_set(&self) -> Result<RuleSet, Error> {
        if self.quotes == Style::Keep && !self.rules.no_builtin {
            let mut rules = self.rules.clone();
            rules.ignore(["quotes"]);
            return rules.build();
        }
        self.rules.build()
    }

    /// Loads, validates, selects and compiles.
    pub fn build(&self) -> Result<Pipeline, Error> {
        Ok(Pipeline::with_repair(
            self.rule_set()?,
            self.repair_options(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_entries_must_name_rules() {
        let settings = heuristics::SETTINGS_TEXT;
        let bad = settings.replace(r#"transparent = ["ads""#, r#"transparent = ["adz""#);
        assert_ne!(bad, settings);
        let e = RuleSet::builder()
            .settings_source("s.toml", bad)
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:"), "{e}");
        assert!(
            e.contains(r#"transparent: "adz" matches no rule or heuristic"#),
            "{e}"
        );
        // The built-in families count without the built-in rules too.
        RuleSet::builder().no_builtin(true).build().unwrap();
    }
}
