//! The configuration file: `thresh.toml` or `.thresh.toml`, found by searching upward from the
//! working directory (`-c PATH` names one, `--isolated` ignores any). It holds the same settings
//! as the rule and file flags; flags given on the command line win. Unknown keys are errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thresh::RuleSet;

use super::args::{ConfigArgs, RuleArgs, WalkArgs};
use super::io_message;

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
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HeuristicsTable {
    /// A settings file replacing the built-in heuristic thresholds, relative to the config file.
    settings: Option<PathBuf>,
}

/// A loaded configuration (empty when there is none).
#[derive(Debug, Default)]
pub(crate) struct Config {
    file: File,
    /// The folder of the config file; relative paths in it start here.
    base: PathBuf,
}

impl Config {
    /// Finds and parses the configuration as `args` ask.
    pub(crate) fn load(args: &ConfigArgs) -> Result<Config, String> {
        if args.isolated {
            return Ok(Config::default());
        }
        let path = match &args.config {
            Some(p) => Some(p.clone()),
            None => discover(),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {}", path.display(), io_message(&e)))?;
        let file: File = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            format!("{}{at}: {}", path.display(), e.message().trim())
        })?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Config { file, base })
    }

    /// Builds the rule set: config, then flags on top.
    pub(crate) fn rule_set(&self, args: &RuleArgs) -> Result<RuleSet, String> {
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
            for (name, text) in super::read_rule_dir(&dir)? {
                builder.add_source(name, text);
            }
        }
        if let Some(settings) = &self.file.heuristics.settings {
            let p = self.base.join(settings);
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: {}", p.display(), io_message(&e)))?;
            builder.settings_source(p.display().to_string(), text);
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
        builder.build().map_err(|e| e.to_string())
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
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .flat_map(|dir| NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}
