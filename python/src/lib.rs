//! `thresh._thresh`: the Python extension module. The pure-Python package `thresh` (in
//! `python/thresh/`) re-exports it and adds module-level functions over cached cleaners.
//!
//! A [`Cleaner`] compiles its rule set once, like one run of the CLI, and then cleans any number
//! of texts from any number of Python threads: every call releases the GIL while it cleans, and
//! `clean_batch` fans out over a rayon thread pool. The options and their defaults are the CLI's
//! (`thresh clean --help`), and so is every error message, without the `thresh: ` prefix.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;
use thresh::files::{io_message, read_rule_dir};
use thresh::repair::decode_bytes;
use thresh::{CorpusStats, Pipeline, Stats};

pyo3::create_exception!(
    thresh,
    RuleError,
    PyValueError,
    "A rule file, rule folder, heuristic settings file or selector is bad. The message is the \
     CLI's: file:line:column, the rule id, what is wrong and what was expected."
);
pyo3::create_exception!(
    thresh,
    DecodeError,
    PyValueError,
    "Bytes given to clean could not be decoded: not UTF-8, UTF-16 with a byte-order mark, the \
     named encoding or one detected with confidence. The message is the CLI's."
);

/// `--quotes`, `--dashes`, `--ellipsis`: make ASCII, or keep as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Ascii,
    Keep,
}

impl From<Style> for thresh::Style {
    fn from(s: Style) -> thresh::Style {
        match s {
            Style::Ascii => thresh::Style::Ascii,
            Style::Keep => thresh::Style::Keep,
        }
    }
}

impl Style {
    fn parse(option: &str, value: &str) -> PyResult<Style> {
        match value {
            "ascii" => Ok(Style::Ascii),
            "keep" => Ok(Style::Keep),
            _ => Err(PyValueError::new_err(format!(
                "{option} must be \"ascii\" or \"keep\", got {value:?}"
            ))),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Style::Ascii => "ascii",
            Style::Keep => "keep",
        }
    }
}

/// What the cleaned text ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FinalNewline {
    /// Exactly one final newline, as `thresh clean FILE` writes (empty output stays empty).
    Always,
    /// A final newline only if the input had one, as `thresh clean --jsonl` writes a text field.
    AsInput,
}

impl FinalNewline {
    fn parse(value: &str) -> PyResult<FinalNewline> {
        match value {
            "always" => Ok(FinalNewline::Always),
            "as-input" => Ok(FinalNewline::AsInput),
            _ => Err(PyValueError::new_err(format!(
                "final_newline must be \"always\" or \"as-input\", got {value:?}"
            ))),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            FinalNewline::Always => "always",
            FinalNewline::AsInput => "as-input",
        }
    }
}

/// Everything a [`Cleaner`] is made from. Rule files and the settings file are held as text, so
/// a pickled cleaner rebuilds on another machine without the files.
#[derive(Debug, Clone)]
struct Options {
    select: Vec<String>,
    ignore: Vec<String>,
    /// The rule folders or files as given (for `repr` only: their texts are in `sources`).
    rule_paths: Vec<String>,
    /// The user rule files, `(name, text)`, in the order the CLI reads them.
    sources: Vec<(String, String)>,
    no_builtin: bool,
    /// The heuristic settings file, `(name, text)`.
    settings: Option<(String, String)>,
    quotes: Style,
    dashes: Style,
    ellipsis: Style,
    nfkc: bool,
    strip_tags: bool,
    encoding: Option<String>,
    final_newline: FinalNewline,
    threads: Option<usize>,
}

impl Options {
    /// Builds the pipeline with the library's builder, as the CLI does: the same options give
    /// the same pipeline.
    fn pipeline(&self) -> PyResult<Pipeline> {
        let mut builder = Pipeline::builder();
        builder
            .quotes(self.quotes.into())
            .dashes(self.dashes.into())
            .ellipsis(self.ellipsis.into())
            .nfkc(self.nfkc)
            .strip_tags(self.strip_tags);
        let rules = builder.rules();
        rules.no_builtin(self.no_builtin);
        for (name, text) in &self.sources {
            rules.add_source(name.as_str(), text.as_str());
        }
        if let Some((name, text)) = &self.settings {
            rules.settings_source(name.as_str(), text.as_str());
        }
        rules.select(self.select.iter().cloned());
        rules.ignore(self.ignore.iter().cloned());
        builder
            .build()
            .map_err(|e| RuleError::new_err(e.to_string()))
    }

    /// The options as a dict: the state a pickled cleaner carries.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("select", &self.select)?;
        d.set_item("ignore", &self.ignore)?;
        d.set_item("rules", &self.rule_paths)?;
        d.set_item("sources", &self.sources)?;
        d.set_item("no_builtin", self.no_builtin)?;
        d.set_item("settings", &self.settings)?;
        d.set_item("quotes", self.quotes.as_str())?;
        d.set_item("dashes", self.dashes.as_str())?;
        d.set_item("ellipsis", self.ellipsis.as_str())?;
        d.set_item("nfkc", self.nfkc)?;
        d.set_item("strip_tags", self.strip_tags)?;
        d.set_item("encoding", &self.encoding)?;
        d.set_item("final_newline", self.final_newline.as_str())?;
        d.set_item("threads", self.threads)?;
        Ok(d)
    }

    fn from_dict(d: &Bound<'_, PyDict>) -> PyResult<Options> {
        fn get<'py>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Bound<'py, PyAny>> {
            d.get_item(key)?
                .ok_or_else(|| PyValueError::new_err(format!("cleaner state has no {key:?}")))
        }
        Ok(Options {
            select: get(d, "select")?.extract()?,
            ignore: get(d, "ignore")?.extract()?,
            rule_paths: get(d, "rules")?.extract()?,
            sources: get(d, "sources")?.extract()?,
            no_builtin: get(d, "no_builtin")?.extract()?,
            settings: get(d, "settings")?.extract()?,
            quotes: Style::parse("quotes", &get(d, "quotes")?.extract::<String>()?)?,
            dashes: Style::parse("dashes", &get(d, "dashes")?.extract::<String>()?)?,
            ellipsis: Style::parse("ellipsis", &get(d, "ellipsis")?.extract::<String>()?)?,
            nfkc: get(d, "nfkc")?.extract()?,
            strip_tags: get(d, "strip_tags")?.extract()?,
            encoding: get(d, "encoding")?.extract()?,
            final_newline: FinalNewline::parse(&get(d, "final_newline")?.extract::<String>()?)?,
            threads: get(d, "threads")?.extract()?,
        })
    }
}

/// A thread pool that is rebuilt in a forked child. A pool made before `fork()` has no threads
/// in the child (only the forking thread survives), and work sent to it would wait forever;
/// multiprocessing's fork start method, which datatrove and Ray workers may use, does exactly
/// that.
#[derive(Debug)]
struct Pool {
    threads: Option<usize>,
    slot: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>>,
}

/// The pool of every cleaner made without `threads`: as many threads as cores (or
/// `RAYON_NUM_THREADS`), shared.
static SHARED_POOL: Pool = Pool::new(None);

impl Pool {
    const fn new(threads: Option<usize>) -> Pool {
        Pool {
            threads,
            slot: Mutex::new(None),
        }
    }

    fn get(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        let pid = std::process::id();
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, pool)) = &*slot
            && *owner == pid
        {
            return Ok(Arc::clone(pool));
        }
        if let Some(stale) = slot.take() {
            // Made in the parent before a fork: its threads do not exist here. Dropping it
            // would signal them through state copied from the parent, so it is leaked.
            std::mem::forget(stale);
        }
        let mut builder = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("thresh-{i}"));
        if let Some(n) = self.threads {
            builder = builder.num_threads(n);
        }
        let pool =
            Arc::new(builder.build().map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!("thread pool: {e}"))
            })?);
        *slot = Some((pid, Arc::clone(&pool)));
        Ok(pool)
    }
}

impl Drop for Pool {
    /// A cleaner's own pool, dropped in a forked child: leaked, as in [`Pool::get`].
    fn drop(&mut self) {
        let slot = self.slot.get_mut().unwrap_or_else(|e| e.into_inner());
        if slot
            .as_ref()
            .is_some_and(|(owner, _)| *owner != std::process::id())
        {
            std::mem::forget(slot.take());
        }
    }
}

/// One text to clean: a `str`, or `bytes` to decode as the CLI decodes a file.
enum Input {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Input {
    /// `what` names the argument in the message (`text`, `texts[3]`).
    fn extract(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Input::Str(PyBackedStr::try_from(s.clone())?));
        }
        if let Ok(b) = obj.extract::<PyBackedBytes>() {
            return Ok(Input::Bytes(b));
        }
        Err(PyTypeError::new_err(format!(
            "{what}: expected str or bytes, got {}",
            obj.get_type().name()?
        )))
    }
}

/// A compiled cleaning pipeline: the rule set is loaded, selected and compiled once, here.
///
/// The options are the CLI's (see the documentation of the thresh module). Thread-safe: every
/// method releases the GIL while it cleans. Picklable: a pickle carries the options and the
/// rule files' texts, so it unpickles where the rule files do not exist. Raises RuleError for
/// bad rules, rule folders, settings files or selectors, and ValueError for a bad option value
/// or encoding label.
#[pyclass(frozen, module = "thresh", name = "Cleaner")]
struct Cleaner {
    options: Options,
    pipeline: Pipeline,
    /// A pool of its own when `threads` was given.
    pool: Option<Pool>,
}

impl Cleaner {
    fn from_options(options: Options) -> PyResult<Cleaner> {
        if let Some(label) = &options.encoding {
            // The CLI's check_encoding: an unknown label fails before any text is read.
            decode_bytes(b"", Some(label))
                .map_err(|e| PyValueError::new_err(format!("encoding={label:?}: {e}")))?;
        }
        if options.threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let pipeline = options.pipeline()?;
        let pool = options.threads.map(|n| Pool::new(Some(n)));
        Ok(Cleaner {
            options,
            pipeline,
            pool,
        })
    }

    /// The text the pipeline sees: a `str` as the CLI sees the same text in a UTF-8 file (a
    /// leading byte-order mark dropped), or as the text field of a JSON record with
    /// `final_newline = "as-input"`; `bytes` decoded as the CLI decodes a file.
    fn text<'a>(&self, input: &'a Input) -> Result<Cow<'a, str>, String> {
        match input {
            Input::Str(s) => {
                let s: &str = s;
                Ok(Cow::Borrowed(match self.options.final_newline {
                    FinalNewline::Always => s.strip_prefix('\u{FEFF}').unwrap_or(s),
                    FinalNewline::AsInput => s,
                }))
            }
            Input::Bytes(b) => decode_bytes(b, self.options.encoding.as_deref())
                .map(|(text, _)| text)
                .map_err(|e| e.to_string()),
        }
    }

    /// Cleans one input as `thresh clean` does with `--split-on` (`split`) and in a corpus
    /// (`corpus`), with its statistics.
    fn clean_with(
        &self,
        input: &Input,
        split: Option<&regex::Regex>,
        corpus: Option<&CorpusStats>,
    ) -> Result<(String, Stats), String> {
        let text = self.text(input)?;
        let docs = self.pipeline.clean_documents(&text, split, corpus);
        let stats = docs.stats();
        let mut out = docs.text();
        // As `thresh clean --jsonl` does with a text field (src/cli/jsonl.rs).
        if self.options.final_newline == FinalNewline::AsInput
            && !text.ends_with('\n')
            && out.ends_with('\n')
        {
            out.pop();
        }
        Ok((out, stats))
    }

    /// The corpus-repeat keys of one input, for corpus mode over a batch.
    fn keys(
        &self,
        input: &Input,
        split: Option<&regex::Regex>,
    ) -> Result<Vec<thresh::DocumentKeys>, String> {
        let text = self.text(input)?;
        Ok(match split {
            Some(sep) => thresh::documents::segments(&text, sep)
                .iter()
                .filter(|s| !s.separator)
                .map(|s| self.pipeline.keys(&text[s.range.clone()]))
                .collect(),
            None => vec![self.pipeline.keys(&text)],
        })
    }

    fn pool(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        self.pool.as_ref().unwrap_or(&SHARED_POOL).get()
    }
}

/// Compiles `split_on` as the CLI compiles `--split-on`: a regex that matches an empty line
/// is refused (blank lines part the paragraphs of nearly every page).
fn split_regex(split_on: Option<&str>) -> PyResult<Option<regex::Regex>> {
    let Some(pattern) = split_on else {
        return Ok(None);
    };
    let re = regex::Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let detail = detail.lines().last().unwrap_or("").trim().to_string();
        PyValueError::new_err(format!("split_on={pattern:?}: invalid regex: {detail}"))
    })?;
    if re.is_match("") {
        return Err(PyValueError::new_err(format!(
            "split_on={pattern:?} matches an empty line, so every paragraph would be a \
             document of its own: anchor it to a separator line, e.g. '^\\f$'"
        )));
    }
    Ok(Some(re))
}

/// A document's statistics as a dict: what `--stats` counts for it.
fn stats_dict<'py>(py: Python<'py>, s: &Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("documents", s.documents)?;
    d.set_item("lines", s.lines)?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("lines_dropped", s.lines_dropped)?;
    d.set_item("bytes_dropped", s.bytes_dropped)?;
    let rules = PyDict::new(py);
    for (id, r) in &s.by_rule {
        let one = PyDict::new(py);
        one.set_item("hits", r.hits)?;
        one.set_item("lines", r.lines)?;
        one.set_item("bytes", r.bytes)?;
        rules.set_item(id.as_ref(), one)?;
    }
    d.set_item("rules", rules)?;
    let edits = PyDict::new(py);
    for (id, n) in &s.edits {
        edits.set_item(id.as_ref(), *n)?;
    }
    d.set_item("edits", edits)?;
    Ok(d)
}

/// A message of the library or the CLI's helpers worded for Python: options as keyword
/// arguments (`encoding=NAME`, `rules='DIR'`) instead of command-line flags.
fn for_python(msg: &str) -> String {
    let msg = msg.replace("pass --encoding NAME", "pass encoding=NAME");
    match msg.strip_prefix("--rules ") {
        Some(rest) => match rest.split_once(": ") {
            Some((dir, why)) => format!("rules={dir:?}: {why}"),
            None => format!("rules={rest}"),
        },
        None => msg,
    }
}

/// `None`, a string (`"cookie,ads"`, split at commas like `--select`) or an iterable of
/// strings, each split at commas too; empty items are left out, as the CLI leaves them out.
fn selectors(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items: Vec<String> = if let Ok(s) = value.cast::<PyString>() {
        vec![s.to_str()?.to_string()]
    } else {
        let mut items = Vec::new();
        for item in value.try_iter().map_err(|_| {
            PyTypeError::new_err(format!("{option} must be a str or an iterable of str"))
        })? {
            let item = item?;
            items.push(item.extract::<String>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{option} must be a str or an iterable of str, found {}",
                    item.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?);
        }
        items
    };
    Ok(items
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// `None`, one path (`str` or `os.PathLike`) or an iterable of paths.
fn paths(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if let Ok(p) = value.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    let wrong = || {
        PyTypeError::new_err(format!(
            "{option} must be a path (str or os.PathLike) or an iterable of paths"
        ))
    };
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| wrong())? {
        out.push(item?.extract::<PathBuf>().map_err(|_| wrong())?);
    }
    Ok(out)
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (
        *,
        select = None,
        ignore = None,
        rules = None,
        no_builtin = false,
        settings = None,
        quotes = "ascii",
        dashes = "keep",
        ellipsis = "keep",
        nfkc = false,
        strip_tags = false,
        encoding = None,
        final_newline = "always",
        threads = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        select: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        rules: Option<&Bound<'_, PyAny>>,
        no_builtin: bool,
        settings: Option<PathBuf>,
        quotes: &str,
        dashes: &str,
        ellipsis: &str,
        nfkc: bool,
        strip_tags: bool,
        encoding: Option<String>,
        final_newline: &str,
        threads: Option<usize>,
    ) -> PyResult<Cleaner> {
        let rule_paths = paths("rules", rules)?;
        let mut sources = Vec::new();
        for dir in &rule_paths {
            sources.extend(read_rule_dir(dir).map_err(|e| RuleError::new_err(for_python(&e)))?);
        }
        let settings = match settings {
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| {
                    RuleError::new_err(format!("{}: {}", p.display(), io_message(&e)))
                })?;
                Some((p.display().to_string(), text))
            }
            None => None,
        };
        Cleaner::from_options(Options {
            select: selectors("select", select)?,
            ignore: selectors("ignore", ignore)?,
            rule_paths: rule_paths.iter().map(|p| p.display().to_string()).collect(),
            sources,
            no_builtin,
            settings,
            quotes: Style::parse("quotes", quotes)?,
            dashes: Style::parse("dashes", dashes)?,
            ellipsis: Style::parse("ellipsis", ellipsis)?,
            nfkc,
            strip_tags,
            encoding,
            final_newline: FinalNewline::parse(final_newline)?,
            threads,
        })
    }

    /// Cleans one text: the bytes `thresh clean` writes for it with the same options.
    ///
    /// A str is taken as the text of a UTF-8 file (a leading U+FEFF is dropped, as the CLI
    /// drops a byte-order mark) or, with final_newline="as-input", as `thresh clean --jsonl`
    /// takes a record's text field (nothing dropped). A str is never refused: a NUL, for which
    /// the CLI refuses a file as binary, goes like any control character. Bytes are decoded as
    /// the CLI decodes a file; DecodeError if they cannot be.
    ///
    /// split_on="REGEX": the text holds several documents, split at the lines REGEX matches
    /// and each cleaned alone, as `thresh clean --split-on` does.
    #[pyo3(signature = (text, *, split_on = None))]
    fn clean(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        split_on: Option<&str>,
    ) -> PyResult<String> {
        let input = Input::extract(text, "text")?;
        let split = split_regex(split_on)?;
        py.detach(|| self.clean_with(&input, split.as_ref(), None))
            .map(|(out, _)| out)
            .map_err(|e| DecodeError::new_err(for_python(&e)))
    }

    /// Cleans many texts on a thread pool with the GIL released; results in input order.
    ///
    /// Each result equals clean(text). `texts` is any iterable of str or bytes (a list, a
    /// tuple, a NumPy object array...), not one str. The first text that fails raises, naming
    /// its index (`texts[3]: ...`).
    ///
    /// split_on="REGEX" splits each text into documents as clean does. corpus=True cleans the
    /// batch as a corpus, as `thresh clean --corpus` cleans a folder: a first pass counts in
    /// how many documents each line occurs, and lines that are not prose and recur in
    /// several of them go too (heuristic/corpus-repeat). stats=True returns (text, stats)
    /// pairs, stats a dict of what `--stats` counts for that text: documents, lines, bytes,
    /// lines_dropped, bytes_dropped, rules ({id: {hits, lines, bytes}}) and edits ({id: lines}).
    #[pyo3(signature = (texts, *, split_on = None, corpus = false, stats = false))]
    fn clean_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        split_on: Option<&str>,
        corpus: bool,
        stats: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let inputs = batch_inputs(texts, "clean_batch")?;
        let split = split_regex(split_on)?;
        let fail =
            |i: usize, e: String| DecodeError::new_err(format!("texts[{i}]: {}", for_python(&e)));
        let counted: Option<CorpusStats> = if corpus {
            let keys: Vec<Result<Vec<thresh::DocumentKeys>, String>> = py.detach(|| {
                let pool = self.pool()?;
                PyResult::Ok(pool.install(|| {
                    inputs
                        .par_iter()
                        .map(|t| self.keys(t, split.as_ref()))
                        .collect()
                }))
            })?;
            let mut table = CorpusStats::new();
            for (i, k) in keys.into_iter().enumerate() {
                for doc in k.map_err(|e| fail(i, e))? {
                    table.add(&doc);
                }
            }
            Some(table)
        } else {
            None
        };
        let results: Vec<Result<(String, Stats), String>> = py.detach(|| -> PyResult<_> {
            let pool = self.pool()?;
            Ok(pool.install(|| {
                inputs
                    .par_iter()
                    .map(|t| self.clean_with(t, split.as_ref(), counted.as_ref()))
                    .collect()
            }))
        })?;
        let out = PyList::empty(py);
        for (i, r) in results.into_iter().enumerate() {
            let (text, s) = r.map_err(|e| fail(i, e))?;
            if stats {
                out.append((text, stats_dict(py, &s)?))?;
            } else {
                out.append(text)?;
            }
        }
        Ok(out)
    }

    /// explain for many texts: the cleaning runs on a thread pool with the GIL released;
    /// one list of thresh.Line dicts per text, in input order.
    fn explain_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let inputs = batch_inputs(texts, "explain_batch")?;
        let decoded: Vec<Result<Cow<'_, str>, String>> =
            inputs.iter().map(|t| self.text(t)).collect();
        let mut texts_ok = Vec::with_capacity(decoded.len());
        for (i, d) in decoded.into_iter().enumerate() {
            texts_ok.push(
                d.map_err(|e| DecodeError::new_err(format!("texts[{i}]: {}", for_python(&e))))?,
            );
        }
        let outcomes = py.detach(|| -> PyResult<_> {
            let pool = self.pool()?;
            Ok(pool.install(|| {
                texts_ok
                    .par_iter()
                    .map(|t| self.pipeline.clean(t))
                    .collect::<Vec<_>>()
            }))
        })?;
        let out = PyList::empty(py);
        for (text, outcome) in texts_ok.iter().zip(&outcomes) {
            out.append(explain_list(py, text, outcome)?)?;
        }
        Ok(out)
    }

    /// Every line with its verdict: what `thresh explain` prints, as data.
    ///
    /// One thresh.Line dict per input line, in order, after the metadata header if one was
    /// lifted off the first line. Keys: number, text (what the line became), original (what it
    /// was), kept, header, rule and reason (None when kept), event (the line where the drop
    /// began), edits (ids of what changed the text).
    fn explain<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let input = Input::extract(text, "text")?;
        let text = self
            .text(&input)
            .map_err(|e| DecodeError::new_err(for_python(&e)))?;
        let outcome = py.detach(|| self.pipeline.clean(&text));
        explain_list(py, &text, &outcome)
    }

    /// The ids of the selected rules, then of the selected heuristics.
    #[getter]
    fn rule_ids(&self) -> Vec<String> {
        let rules = self.pipeline.rules();
        rules
            .rules()
            .iter()
            .map(|r| r.id().to_string())
            .chain(rules.heuristics().iter().map(|h| h.to_string()))
            .collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let o = &self.options;
        let repr =
            |v: Bound<'_, PyAny>| -> PyResult<String> { Ok(v.repr()?.to_str()?.to_string()) };
        let mut parts = Vec::new();
        let mut add = |name: &str, value: PyResult<String>| -> PyResult<()> {
            parts.push(format!("{name}={}", value?));
            Ok(())
        };
        if !o.select.is_empty() {
            add(
                "select",
                repr(o.select.clone().into_pyobject(py)?.into_any()),
            )?;
        }
        if !o.ignore.is_empty() {
            add(
                "ignore",
                repr(o.ignore.clone().into_pyobject(py)?.into_any()),
            )?;
        }
        if !o.rule_paths.is_empty() {
            add(
                "rules",
                repr(o.rule_paths.clone().into_pyobject(py)?.into_any()),
            )?;
        }
        if o.no_builtin {
            add("no_builtin", Ok("True".into()))?;
        }
        if let Some((name, _)) = &o.settings {
            add("settings", repr(PyString::new(py, name).into_any()))?;
        }
        for (name, style, default) in [
            ("quotes", o.quotes, Style::Ascii),
            ("dashes", o.dashes, Style::Keep),
            ("ellipsis", o.ellipsis, Style::Keep),
        ] {
            if style != default {
                add(name, Ok(format!("'{}'", style.as_str())))?;
            }
        }
        if o.nfkc {
            add("nfkc", Ok("True".into()))?;
        }
        if o.strip_tags {
            add("strip_tags", Ok("True".into()))?;
        }
        if let Some(e) = &o.encoding {
            add("encoding", repr(PyString::new(py, e).into_any()))?;
        }
        if o.final_newline != FinalNewline::Always {
            add(
                "final_newline",
                Ok(format!("'{}'", o.final_newline.as_str())),
            )?;
        }
        if let Some(n) = o.threads {
            add("threads", Ok(n.to_string()))?;
        }
        Ok(format!("Cleaner({})", parts.join(", ")))
    }

    /// Pickles as the options and the rule files' texts; unpickling recompiles the rule set.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("thresh._thresh")?.getattr("_restore")?;
        let state = self.options.to_dict(py)?;
        PyTuple::new(py, [restore, PyTuple::new(py, [state])?.into_any()])
    }
}

/// Rebuilds a pickled Cleaner from its state.
/// The thresh.Line dicts of one cleaned text.
fn explain_list<'py>(
    py: Python<'py>,
    text: &str,
    outcome: &thresh::Outcome<'_>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    let none = py.None();
    if let Some(header) = &outcome.header {
        let d = PyDict::new(py);
        d.set_item("number", 1)?;
        d.set_item("text", header.as_ref())?;
        d.set_item("original", header.as_ref())?;
        d.set_item("kept", true)?;
        d.set_item("header", true)?;
        d.set_item("rule", &none)?;
        d.set_item("reason", &none)?;
        d.set_item("event", &none)?;
        d.set_item("edits", PyList::empty(py))?;
        list.append(d)?;
    }
    for line in &outcome.lines {
        let d = PyDict::new(py);
        d.set_item("number", line.number)?;
        d.set_item("text", line.text.as_ref())?;
        d.set_item("original", &text[line.span.clone()])?;
        let dropped = line.verdict.dropped();
        d.set_item("kept", dropped.is_none())?;
        d.set_item("header", false)?;
        d.set_item("rule", dropped.map(|d| d.by.as_ref()))?;
        d.set_item("reason", dropped.map(|d| d.reason.as_ref()))?;
        d.set_item("event", dropped.map(|d| d.event))?;
        let edits: Vec<&str> = line.edits.iter().map(|e| e.as_ref()).collect();
        d.set_item("edits", edits)?;
        list.append(d)?;
    }
    Ok(list)
}

/// The items of a batch: any iterable of str or bytes, not one str or bytes.
fn batch_inputs(texts: &Bound<'_, PyAny>, method: &str) -> PyResult<Vec<Input>> {
    if texts.is_instance_of::<PyString>() || texts.extract::<PyBackedBytes>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "{method} takes a list of texts, not one text; use {} for one",
            method.trim_end_matches("_batch")
        )));
    }
    let mut inputs = Vec::new();
    for (i, item) in texts.try_iter()?.enumerate() {
        inputs.push(Input::extract(&item?, &format!("texts[{i}]"))?);
    }
    Ok(inputs)
}

#[pyfunction]
fn _restore(state: &Bound<'_, PyDict>) -> PyResult<Cleaner> {
    Cleaner::from_options(Options::from_dict(state)?)
}

#[pymodule]
fn _thresh(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Cleaner>()?;
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("DecodeError", py.get_type::<DecodeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
