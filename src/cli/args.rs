//! Command-line arguments (clap derive). Help texts here are the user's first documentation:
//! keep them in step with README.md.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use thresh::model::train::Options;

/// Clean plain text scraped from the web: keep the article, drop the page furniture.
#[derive(Debug, Parser)]
#[command(
    name = "thresh",
    version,
    about,
    long_about = "Clean plain text scraped from the web.\n\n\
        thresh keeps the article (title, lead, body, sub-headings, lists, quotes, attributions) \
        and drops the page furniture around it: menus, section labels, language switchers, \
        cookie banners, advertisement labels, share widgets, view counters, tickers, author \
        boxes, tag rows, related-article lists and donation appeals. Then it normalizes quotes, \
        white space and Unicode.\n\n\
        Exit codes: 0 success, 1 --check or --diff found files that would change, 2 error \
        (bad arguments, rules or any file that failed).",
    after_help = "Examples:\n  thresh clean seeds -o cleaned\n  thresh clean page.txt\n  \
        cat page.txt | thresh clean -\n  thresh clean corpus --in-place -j 8"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Clean files, folders or standard input.
    #[command(long_about = "Clean files, folders or standard input.\n\n\
        One FILE or `-` (standard input) is cleaned to standard output. Folders, or several \
        files, need -o DIR (cleaned copies at the same relative paths; inputs untouched), \
        --in-place (each file atomically replaced, permissions kept), or --check / --diff \
        (nothing written; exit 1 when something would change).\n\n\
        Folders are walked recursively; hidden files and paths ignored by .gitignore or \
        .ignore files are skipped unless --no-ignore is given. Files are processed in \
        parallel; the output is the same at any thread count.")]
    Clean(CleanArgs),

    /// Count in how many documents each line occurs, into a table for clean --corpus-stats;
    /// merge such tables.
    #[command(
        name = "corpus-stats",
        long_about = "Count in how many documents each line occurs, into a table for \
        `thresh clean --corpus-stats`; `corpus-stats merge` merges such tables.\n\n\
        This is pass 1 of corpus mode (--corpus) as a command of its own, so that it can run \
        anywhere: over files and folders (walked as clean walks them), standard input, or \
        JSONL streams (--jsonl), on one machine or on many. Each part of a corpus gives a \
        partial table; `thresh corpus-stats merge` sums them into the table of the whole, \
        in any order; `thresh clean --corpus-stats TABLE` then cleans any part with it.\n\n\
        The table is text, sorted and versioned (docs/corpus-stats.md). It keeps 64-bit \
        hashes and counts, never text, and records the settings its keys depend on \
        (min-letters, the repairs and replace rules, the key algorithm): cleaning or merging \
        with other settings is refused. Files that cannot be read are reported (exit 2) and \
        left out, as --corpus leaves them out.",
        after_help = "Examples:\n  \
        thresh corpus-stats corpus -o corpus.tsv\n  \
        thresh clean corpus --corpus-stats corpus.tsv -o cleaned\n  \
        zcat part-0001.jsonl.gz | thresh corpus-stats --jsonl - -o part-0001.tsv\n  \
        thresh corpus-stats merge part-*.tsv -o corpus.tsv\n  \
        thresh clean --jsonl part-0001.jsonl.gz --corpus-stats corpus.tsv -o clean-0001.jsonl.gz"
    )]
    CorpusStats(CorpusStatsArgs),

    /// List, show and test the rules.
    Rules(RulesArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Example: thresh completions bash > /etc/bash_completion.d/thresh")]
    Completions(CompletionsArgs),

    /// Print a manual page (roff), generated from these options: thresh(1), or one command's
    /// (thresh-clean(1), …); or write every page into a folder.
    #[command(after_help = "Examples:\n  \
        thresh man > thresh.1 && man ./thresh.1\n  \
        thresh man clean | man -l -\n  \
        thresh man --dir /usr/local/share/man/man1")]
    Man(ManArgs),

    /// Show every line of a file with its verdict: kept, changed, or dropped by which rule or
    /// heuristic and why.
    #[command(after_help = "Each line is shown as NUMBER MARK TEXT:\n  \
        + kept as it is\n  \
        ~ kept, changed by the rules or normalizers named under it\n  \
        - dropped, by the rule, heuristic or model named under it, with why\n  \
        h a metadata header lifted off the first line (date 2025-04-28)\n  \
        = a separator line between documents (--split-on)\n\
        --format json prints the same as one JSON array, one object per line.")]
    Explain(ExplainArgs),

    /// Train a line model on pages with gold text, and cross-validate it by site.
    #[command(
        long_about = "Train a line model on pages with gold text, and cross-validate it \
        by site.\n\n\
        Each DIR holds input/<id>.txt (a scraped page, as thresh cleans it) and gold/<id>.txt \
        (the page's article text, as it should come out), and optionally manifest.jsonl, one \
        JSON object per page with its \"id\" and its site (\"host\", \"site\" or \"group\"). \
        Pages of one site stay in one fold of the cross-validation, so its scores say how the \
        model does on sites it has not seen; without a manifest each page is its own site.\n\n\
        A line is labelled content when at least half of its words align, in order, with the \
        gold. The model learns from the lines as the rules and heuristics leave them (the same \
        selection and settings as `thresh clean`), so train with the options you clean with. \
        The same pages and options give the same model file, byte for byte.",
        after_help = "Examples:\n  \
        thresh train labelled/ -o my.model\n  \
        thresh train site-a/ site-b/ --folds 5 -o my.model\n  \
        thresh clean pages/ --model my.model -o cleaned"
    )]
    Train(TrainArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// Files or folders to clean; `-` reads standard input, as does no PATH when standard
    /// input is a pipe or a file (`thresh clean < page.txt`).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Write cleaned copies into DIR, at the same paths relative to each input folder (with
    /// --jsonl: the output file; .gz and .zst are compressed).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        conflicts_with = "in_place"
    )]
    pub(crate) output: Option<PathBuf>,

    /// Rewrite the input files (atomically: a temporary file, then a rename).
    #[arg(long)]
    pub(crate) in_place: bool,

    /// Write nothing; list the files that would change and exit 1 if any would (0 if none,
    /// 2 on errors).
    #[arg(long, conflicts_with_all = ["output", "in_place", "diff"])]
    pub(crate) check: bool,

    /// Write nothing; print what would change as unified diffs, and exit as --check does.
    #[arg(long, conflicts_with_all = ["output", "in_place"])]
    pub(crate) diff: bool,

    /// Report format: text for people, json (one document, see docs/report-schema.json), or
    /// github (workflow annotations, one per dropped line or block).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,

    /// Print a table per rule of hits, lines and bytes dropped, with totals and throughput.
    #[arg(long)]
    pub(crate) stats: bool,

    /// Colour diffs: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub(crate) color: Color,

    /// Read JSONL streams (FILEs or -; gzip and zstd too), one after the other, and clean the
    /// text field of each object, writing every other field back as it was, to standard
    /// output or -o FILE. With --check, write nothing and list the records that would change.
    #[arg(long)]
    pub(crate) jsonl: bool,

    /// With --jsonl: the field that holds the text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub(crate) text_field: String,

    /// With --jsonl: skip malformed records (reported and counted) instead of stopping; the
    /// run still exits 2 when any were skipped.
    #[arg(long, requires = "jsonl")]
    pub(crate) skip_bad: bool,

    /// With --jsonl: leave out records whose text cleans to nothing (counted in the summary).
    #[arg(long, requires = "jsonl")]
    pub(crate) drop_empty: bool,

    /// Each file holds several documents, split at the lines that match REGEX (e.g. '^\f$',
    /// a form feed alone on its line): each document is cleaned alone, the documents of a
    /// file in parallel, and the separator lines are written back as they are.
    #[arg(long, value_name = "REGEX", conflicts_with = "jsonl")]
    pub(crate) split_on: Option<String>,

    /// Corpus mode: read all inputs twice. The first pass counts in how many files each line
    /// occurs; the second also drops lines that are not prose and recur in many files (see
    /// heuristic/corpus-repeat).
    #[arg(long)]
    pub(crate) corpus: bool,

    /// Corpus mode with the counts of a table made by `thresh corpus-stats` (and merged with
    /// `corpus-stats merge`) instead of a first pass: works with files, folders, standard
    /// input and --jsonl. The table must be made with the same settings.
    #[arg(long, value_name = "TABLE", conflicts_with = "corpus")]
    pub(crate) corpus_stats: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) walk: WalkArgs,

    #[command(flatten)]
    pub(crate) rules: RuleArgs,

    #[command(flatten)]
    pub(crate) normalize: NormalizeArgs,

    /// Number of worker threads [default: all cores].
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub(crate) threads: Option<NonZeroUsize>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people.
    Text,
    /// One JSON document (see docs/report-schema.json).
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

// `thresh corpus-stats` (no doc comment: clap would take it for the command's about).
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct CorpusStatsArgs {
    #[command(subcommand)]
    pub(crate) command: Option<CorpusStatsCommand>,

    /// Files or folders to count (walked as `clean` walks them), or `-` for standard input.
    /// With --jsonl: JSONL files (.gz and .zst too) or `-`.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Write the table to FILE (.gz and .zst are compressed), replacing it only once it is
    /// complete; `-` or no -o writes to standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Keep only the keys counted in at least N documents, and no document hashes: a much
    /// smaller table that cleans the same as long as min-files of the heuristic settings'
    /// [corpus] table (`thresh rules settings`; [heuristics.corpus] in thresh.toml) is N or
    /// more, but cannot be merged. 1 keeps everything.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) min_count: u32,

    /// Read JSONL streams and count the text field of each object as one document.
    #[arg(long)]
    pub(crate) jsonl: bool,

    /// Each file holds several documents, split at the lines that match REGEX, as `clean
    /// --split-on` splits them: each document is counted as one.
    #[arg(long, value_name = "REGEX", conflicts_with = "jsonl")]
    pub(crate) split_on: Option<String>,

    /// With --jsonl: the field that holds the text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub(crate) text_field: String,

    /// With --jsonl: skip malformed records (reported and counted) instead of stopping.
    #[arg(long, requires = "jsonl")]
    pub(crate) skip_bad: bool,

    #[command(flatten)]
    pub(crate) walk: WalkArgs,

    #[command(flatten)]
    pub(crate) rules: RuleArgs,

    #[command(flatten)]
    pub(crate) normalize: NormalizeArgs,

    /// Number of worker threads [default: all cores]. The table is the same at any count.
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub(crate) threads: Option<NonZeroUsize>,

    /// Print nothing but errors and warnings.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CorpusStatsCommand {
    /// Merge tables made over disjoint parts of a corpus into the table of the whole.
    #[command(
        long_about = "Merge tables made over disjoint parts of a corpus into the table \
        of the whole.\n\n\
        Document hashes are united and counts summed, so the result does not depend on the \
        order or grouping of the merges: merge(a, merge(b, c)) is merge(merge(a, b), c), byte \
        for byte. A document found in more than one table had its lines counted once per \
        table: such documents are reported on standard error and counted as `overcounted` \
        in the table's end line. The tables must be made with the same key settings, and be \
        complete (min-count 1). Merging streams: memory holds one line per table.",
        after_help = "Examples:\n  \
        thresh corpus-stats merge part-*.tsv -o corpus.tsv\n  \
        thresh corpus-stats merge corpus.tsv --min-count 3 -o small.tsv.zst"
    )]
    Merge(MergeArgs),
}

// `thresh corpus-stats merge`.
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The tables to merge: plain, gzip or zstd (told by their first bytes); `-` reads one
    /// from standard input.
    #[arg(required = true, value_name = "TABLE")]
    pub(crate) tables: Vec<PathBuf>,

    /// Write the merged table to FILE (.gz and .zst are compressed), replacing it only once
    /// it is complete (it may be one of the inputs); `-` or no -o writes to standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Keep only the keys counted in at least N documents, and no document hashes (see
    /// `thresh corpus-stats --help`). 1 keeps everything.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) min_count: u32,

    /// Print nothing but errors and warnings.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

// `thresh rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    #[command(subcommand)]
    pub(crate) command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List the selected rules and heuristics: id, kind, description.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show one rule or heuristic: description, patterns, constraints, examples.
    Show {
        /// The rule's id, e.g. cookie/consent-notice.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every selected rule's examples and keep texts; exit 1 naming each failing rule.
    Test {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print the heuristic settings in force, as TOML: the built-in ones with the settings
    /// file and the configuration's [heuristics.…] tables laid over them.
    Settings {
        #[command(flatten)]
        rules: RuleArgs,
    },
}

impl RulesCommand {
    /// The rule selection every `rules` command takes.
    pub(crate) fn rule_args(&self) -> &RuleArgs {
        match self {
            RulesCommand::List { rules, .. }
            | RulesCommand::Show { rules, .. }
            | RulesCommand::Test { rules }
            | RulesCommand::Settings { rules } => rules,
        }
    }
}

/// Output format of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Text,
    Json,
}

// `thresh completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    pub(crate) shell: clap_complete::Shell,
}

// `thresh man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// The command whose page to print (clean, corpus-stats, explain, rules, train,
    /// completions, man); none for thresh(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub(crate) command: Option<String>,

    /// Write every page (thresh.1, thresh-clean.1, thresh-rules-list.1, …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

// `thresh explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The file to explain; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Show only the dropped lines.
    #[arg(long)]
    pub(crate) only_dropped: bool,

    /// Output: text for people (see the markers below), or json (an array of objects:
    /// line, verdict kept|changed|dropped|header|separator, text, and rule and reason for a
    /// dropped line, edits for a changed one).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub(crate) format: ExplainFormat,

    /// Colour the verdicts: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub(crate) color: Color,

    /// Explain the file as a document of the corpus counted in this table (made by `thresh
    /// corpus-stats`): lines dropped by heuristic/corpus-repeat say in how many documents
    /// they occur.
    #[arg(long, value_name = "TABLE")]
    pub(crate) corpus_stats: Option<PathBuf>,

    /// The file holds several documents, split at the lines that match REGEX, as `clean
    /// --split-on` splits them; separator lines are shown with `=`.
    #[arg(long, value_name = "REGEX")]
    pub(crate) split_on: Option<String>,

    #[command(flatten)]
    pub(crate) rules: RuleArgs,

    #[command(flatten)]
    pub(crate) normalize: NormalizeArgs,
}

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    Text,
    Json,
}

// `thresh train`.
#[derive(Debug, Args)]
pub(crate) struct TrainArgs {
    /// Folders of labelled pages: DIR/input/<id>.txt, DIR/gold/<id>.txt, and optionally
    /// DIR/manifest.jsonl naming each page's site.
    #[arg(required = true, value_name = "DIR")]
    pub(crate) dirs: Vec<PathBuf>,

    /// Write the model to FILE (written whole, then renamed into place).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Cross-validation folds, by site (0: none, only fit the model).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(crate) folds: usize,

    /// Drop a line below this probability of being article text.
    #[arg(long, default_value_t = Options::default().threshold, value_name = "P")]
    pub(crate) threshold: f32,

    /// Drop a prose line (long enough, ending like a sentence) only below this probability.
    #[arg(long, default_value_t = Options::default().prose, value_name = "P")]
    pub(crate) prose_threshold: f32,

    /// Keep a line the built-in rules or heuristics dropped at or above this probability.
    #[arg(long, default_value_t = Options::default().restore, value_name = "P")]
    pub(crate) restore: f32,

    /// Passes over the training lines.
    #[arg(long, default_value_t = Options::default().epochs, value_name = "N")]
    pub(crate) epochs: usize,

    /// The L2 penalty on the weights: higher generalizes more and fits less.
    #[arg(long, default_value_t = Options::default().l2, value_name = "X")]
    pub(crate) l2: f32,

    /// Write each page as cross-validation cleaned it to DIR/<set>/<id>.txt, to read or score.
    #[arg(long, value_name = "DIR")]
    pub(crate) cv_output: Option<PathBuf>,

    /// Stage 1 has 2^BITS weights (each 4 bytes in the model file).
    #[arg(long, default_value_t = Options::default().bits1, value_name = "BITS",
          value_parser = clap::value_parser!(u32).range(8..=24))]
    pub(crate) bits: u32,

    /// Number of worker threads [default: all cores]. The model is the same at any count.
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub(crate) threads: Option<NonZeroUsize>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    #[command(flatten)]
    pub(crate) rules: RuleArgs,

    #[command(flatten)]
    pub(crate) normalize: NormalizeArgs,
}

/// How to write quotes, dashes and ellipses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Style {
    // Each option's help says what `ascii` does to it; `keep` leaves the characters as they
    // are. (No doc comments here: clap would repeat one line under all three options.)
    Ascii,
    Keep,
}

#[derive(Debug, Clone, Default, Args)]
pub(crate) struct NormalizeArgs {
    /// Quotes: ascii maps curly and low quotes to " and ' [default: ascii].
    #[arg(long, value_enum, value_name = "STYLE")]
    pub(crate) quotes: Option<Style>,

    /// Dashes: ascii maps – — ‒ ― to - [default: keep].
    #[arg(long, value_enum, value_name = "STYLE")]
    pub(crate) dashes: Option<Style>,

    /// Ellipses: ascii maps … to ... [default: keep].
    #[arg(long, value_enum, value_name = "STYLE")]
    pub(crate) ellipsis: Option<Style>,

    /// Normalize to NFKC instead of NFC (folds compatibility characters such as ① or ²).
    #[arg(long)]
    pub(crate) nfkc: bool,

    /// Remove leftover HTML tags (<p>, </div>, <a href="…">), also escaped (&lt;p&gt;) or
    /// full-width (＜p＞); prose such as "a < b" stays.
    #[arg(long)]
    pub(crate) strip_tags: bool,

    /// Read input in this encoding (e.g. windows-1251, latin1, shift_jis) instead of
    /// detecting it. Output is always UTF-8.
    #[arg(long, value_name = "NAME")]
    pub(crate) encoding: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct WalkArgs {
    /// Include hidden files and paths ignored by .gitignore and .ignore files.
    #[arg(long)]
    pub(crate) no_ignore: bool,

    /// Only take the files under folders that match GLOB (e.g. '*.txt'); '!GLOB' excludes.
    /// Repeatable. Files named on the command line are always taken.
    #[arg(long = "glob", value_name = "GLOB")]
    pub(crate) globs: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// Use only these rules and heuristics: ids or families, comma-separated (e.g.
    /// 'cookie,ads,heuristic/footer-zone').
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub(crate) select: Vec<String>,

    /// Leave out these rules and heuristics: ids or families, comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,

    /// Add the rule files (*.toml) in DIR to the rule set. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rule_dirs: Vec<PathBuf>,

    /// Leave out the built-in rules.
    #[arg(long)]
    pub(crate) no_builtin: bool,

    /// Use this line model (a file written by `thresh train`) instead of the built-in one.
    /// `--ignore model` runs without a model.
    #[arg(long, value_name = "FILE")]
    pub(crate) model: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// Read settings from this config file instead of searching for thresh.toml or
    /// .thresh.toml upward from the inputs' folders (or the working directory).
    #[arg(
        short = 'c',
        long = "config",
        value_name = "PATH",
        conflicts_with = "isolated"
    )]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any config file.
    #[arg(long)]
    pub(crate) isolated: bool,
}
