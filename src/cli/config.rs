//! The configuration file: `thresh.toml` or `.thresh.toml`, found by searching upward from the
//! working directory (`-c PATH` names one, `--isolated` ignores any). It holds the same settings
//! as the rule and file flags; flags given on the command line win. Unknown keys are errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thresh::heuristics::Settings;
use thresh::{Pipeline, RuleSet, RuleSetBuilder};

use super::args::{ConfigArgs, NormalizeArgs, RuleArgs, Style, WalkArgs};
use super::error::Error;
use super::input::{check_encoding, is_stdin};

/// What the normalization settings come to: config, then flags on top.
#[derive(Debug, Clone)]
pub(crate) struct Normalize {
    quotes: thresh::Style,
    dashes: thresh::Style,
    ellipsis: thresh::Style,
    nfkc: bool,
    strip_tags: bool,
    /// An encoding to read input in, instead of detecting it.
    pub(crate) encoding: Option<String>,
}

/// The names looked for in each folder, in this order.
const NAMES: &[&str] = &["thresh.toml", ".thresh.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    rules: RulesTable,
    #[serde(default)]
    files: FilesTable,
    #[serde(default)]
    heuristics: HeuristicsTable,
    #[serde(default)]
    normalize: NormalizeTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NormalizeTable {
    /// Like `--quotes`, `--dashes`, `--ellipsis`; the flags win.
    quotes: Option<Style>,
    dashes: Option<Style>,
    ellipsis: Option<Style>,
    /// Like `--nfkc`, `--strip-tags`.
    #[serde(default)]
    nfkc: bool,
    #[serde(default)]
    strip_tags: bool,
    /// Like `--encoding`; the flag wins.
    encoding: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesTable {
    /// Like `--select`; the flag replaces it.
    #[serde(default)]
    select: Vec<String>,
    /// Like `--ignore`; the flag adds to it.
    #[serde(default)]
    ignore: Vec<String>,
    /// Like `--rules`, relative to the config file; the flag adds to it.
    #[serde(default)]
    dirs: Vec<PathBuf>,
    /// Like `--no-builtin`.
    #[serde(default)]
    no_builtin: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FilesTable {
    /// Like `--glob`; the flag replaces it.
    #[serde(default)]
    glob: Vec<String>,
    /// Like `--no-ignore`.
    #[serde(default)]
    no_ignore: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct HeuristicsTable {
    /// A settings file laid over the built-in heuristic thresholds, relative to the config
    /// file.
    settings: Option<PathBuf>,
    /// Settings tables (`[heuristics.corpus]`, …), laid over the settings file; checked by
    /// the settings parser, which knows them.
    #[serde(flatten)]
    tables: toml::Table,
}

/// A loaded configuration (empty when there is none).
#[derive(Debug, Default)]
pub(crate) struct Config {
    file: File,
    /// The folder of the config file; relative paths in it start here.
    base: PathBuf,
    /// The config file's path and text, when there is one.
    source: Option<(PathBuf, String)>,
}

impl Config {
    /// Finds and parses the configuration as `args` ask, searching from the working directory.
    pub(crate) fn load(args: &ConfigArgs) -> Result<Config, Error> {
        Config::load_for(args, &[])
    }

    /// The config file in use, if any.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.source.as_ref().map(|(p, _)| p.as_path())
    }

    /// Finds and parses the configuration as `args` ask, searching upward from each of
    /// `inputs` (then from the working directory when none of them is under one). Inputs
    /// under different config files are an error: one run cleans with one configuration.
    pub(crate) fn load_for(args: &ConfigArgs, inputs: &[PathBuf]) -> Result<Config, Error> {
        if args.isolated {
            return Ok(Config::default());
        }
        let path = match &args.config {
            Some(p) => Some(p.clone()),
            None => {
                let mut found: Vec<(PathBuf, &PathBuf)> = Vec::new();
                for input in inputs.iter().filter(|p| !is_stdin(p)) {
                    let Ok(abs) = std::path::absolute(input) else {
                        continue;
                    };
                    let start = if abs.is_dir() {
                        abs.as_path()
                    } else {
                        abs.parent().unwrap_or(&abs)
                    };
                    if let Some(c) = discover_from(start)
                        && !found.iter().any(|(f, _)| *f == c)
                    {
                        found.push((c, input));
                    }
                }
                if let [(a, x), (b, y), ..] = found.as_slice() {
                    return Err(Error::Config(format!(
                        "the inputs are under different config files: {} (for {}) and {} (for \
                         {}); run thresh once per folder, or choose one with -c PATH",
                        a.display(),
                        x.display(),
                        b.display(),
                        y.display()
                    )));
                }
                match found.pop() {
                    Some((c, _)) => Some(c),
                    None => discover(),
                }
            }
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(path.display(), e))?;
        let place = |span: Option<std::ops::Range<usize>>| {
            span.map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{col}")
            })
            .unwrap_or_default()
        };
        // The heuristic settings' tables belong under [heuristics].
        if let Ok(raw) = toml::de::DeTable::parse(&text) {
            for (key, _) in raw.get_ref() {
                let k: &str = key.get_ref();
                if Settings::is_table(k) {
                    return Err(Error::Config(format!(
                        "{}{}: [{k}] is a table of the heuristic settings: write it as \
                         [heuristics.{k}] in this file (`thresh rules settings` prints them all)",
                        path.display(),
                        place(Some(key.span()))
                    )));
                }
            }
        }
        let file: File = toml::from_str(&text).map_err(|e| {
            Error::Config(format!(
                "{}{}: {}",
                path.display(),
                place(e.span()),
                e.message().trim()
            ))
        })?;
        if let Some((k, _)) = file.heuristics.tables.iter().find(|(_, v)| !v.is_table()) {
            return Err(Error::Config(format!(
                "{}: unknown field `{k}` in [heuristics], expected `settings` or a settings \
                 table such as [heuristics.corpus]",
                path.display()
            )));
        }
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Config {
            file,
            base,
            source: Some((path, text)),
        })
    }

    /// The normalization settings: config, then flags on top.
    pub(crate) fn normalize(&self, args: &NormalizeArgs) -> Normalize {
        let n = &self.file.normalize;
        let style = |flag: Option<Style>, file: Option<Style>, default: Style| match flag
            .or(file)
            .unwrap_or(default)
        {
            Style::Ascii => thresh::Style::Ascii,
            Style::Keep => thresh::Style::Keep,
        };
        Normalize {
            quotes: style(args.quotes, n.quotes, Style::Ascii),
            dashes: style(args.dashes, n.dashes, Style::Keep),
            ellipsis: style(args.ellipsis, n.ellipsis, Style::Keep),
            nfkc: args.nfkc || n.nfkc,
            strip_tags: args.strip_tags || n.strip_tags,
            encoding: args.encoding.clone().or_else(|| n.encoding.clone()),
        }
    }

    /// What a cleaning command runs with: the configuration, the pipeline and the
    /// normalization, with the encoding checked.
    pub(crate) fn for_command(
        rules: &RuleArgs,
        normalize: &NormalizeArgs,
        inputs: &[PathBuf],
    ) -> Result<(Config, Pipeline, Normalize), Error> {
        let config = Config::load_for(&rules.config, inputs)?;
        let (pipeline, normalize) = config.pipeline(rules, normalize)?;
        check_encoding(normalize.encoding.as_deref())?;
        Ok((config, pipeline, normalize))
    }

    /// Builds the pipeline with the library's builder (as the Python module does): the rule
    /// set (config, then flags on top) and the normalization.
    pub(crate) fn pipeline(
        &self,
        rules: &RuleArgs,
        normalize: &NormalizeArgs,
    ) -> Result<(Pipeline, Normalize), Error> {
        let n = self.normalize(normalize);
        let mut builder = Pipeline::builder();
        *builder.rules() = self.rules_builder(rules)?;
        builder
            .quotes(n.quotes)
            .dashes(n.dashes)
            .ellipsis(n.ellipsis)
            .nfkc(n.nfkc)
            .strip_tags(n.strip_tags);
        let mut pipeline = builder.build()?;
        if let Some(path) = &rules.model {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), e))?;
            let model = thresh::Model::from_bytes(&path.display().to_string(), &bytes)?;
            pipeline = pipeline.with_model(model);
        }
        Ok((pipeline, n))
    }

    /// Builds the rule set: config, then flags on top.
    pub(crate) fn rule_set(&self, args: &RuleArgs) -> Result<RuleSet, Error> {
        Ok(self.rules_builder(args)?.build()?)
    }

    /// The rule set's builder: rule folders, heuristic settings and the selection, from the
    /// config, then the flags on top.
    fn rules_builder(&self, args: &RuleArgs) -> Result<RuleSetBuilder, Error> {
        let mut builder = RuleSet::builder();
        builder.no_builtin(args.no_builtin || self.file.rules.no_builtin);
        let dirs = self
            .file
            .rules
            .dirs
            .iter()
            .map(|d| self.base.join(d))
            .chain(args.rule_dirs.iter().cloned());
        for dir in dirs {
            for (name, text) in super::read_rule_dir(&dir).map_err(Error::RuleDir)? {
                builder.add_source(name, text);
            }
        }
        if let Some(settings) = &self.file.heuristics.settings {
            let p = self.base.join(settings);
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(p.display(), e))?;
            builder.settings_source(p.display().to_string(), text);
        }
        if let Some((path, text)) = &self.source
            && !self.file.heuristics.tables.is_empty()
        {
            builder.settings_tables_in(path.display().to_string(), text.clone(), "heuristics");
        }
        let nonempty = |v: &Vec<String>| {
            v.iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        };
        let select = if args.select.is_empty() {
            nonempty(&self.file.rules.select)
        } else {
            nonempty(&args.select)
        };
        builder.select(select);
        builder.ignore(nonempty(&self.file.rules.ignore));
        builder.ignore(nonempty(&args.ignore));
        Ok(builder)
    }

    /// The walking options: config, then flags on top.
    pub(crate) fn walk(&self, args: &WalkArgs) -> WalkArgs {
        WalkArgs {
            no_ignore: args.no_ignore || self.file.files.no_ignore,
            globs: if args.globs.is_empty() {
                self.file.files.glob.clone()
            } else {
                args.globs.clone()
            },
        }
    }
}

/// The first config file found in the working directory or one of its parents.
fn discover() -> Option<PathBuf> {
    discover_from(&std::env::current_dir().ok()?)
}

/// The nearest config file in `dir` or a folder above it.
fn discover_from(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|dir| NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}
