//! Reports: what `thresh clean` says about the files it cleaned, in the formats users ask for.
//! Workers build a [`Detail`] per file (only when a format needs it); the printing in
//! `clean.rs` walks the results in input order, so reports are the same at any thread count.
//!
//! - text: a summary line, `would change: PATH` lines with `--check`, unified diffs with
//!   `--diff`;
//! - json: one document (schema: docs/report-schema.json);
//! - github: workflow annotations, one per dropped line or block;
//! - `--stats`: a table per rule, sorted by hits.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Serialize;
use thresh::{Documents, Outcome, Part, Stats, doc};

use super::args::Color;

impl Color {
    /// Whether to colour output written to standard output.
    pub(crate) fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paint {
    on: bool,
}

impl Paint {
    pub(crate) fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub(crate) fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    pub(crate) fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    pub(crate) fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }

    pub(crate) fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }

    pub(crate) fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    pub(crate) fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
}

/// A non-blank line that was dropped.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct DroppedLine {
    /// 1-based line number.
    #[schemars(range(min = 1))]
    pub(crate) line: usize,
    /// Byte offset where the line starts in the file (after a byte-order mark, if any).
    pub(crate) start: usize,
    /// Byte offset where the line ends, without its line break.
    pub(crate) end: usize,
    /// Rule, heuristic or model id, e.g. ads/label, heuristic/footer-zone or model/line
    /// (whose reason gives its probability and weightiest features).
    #[serde(serialize_with = "str_of")]
    #[schemars(with = "String")]
    pub(crate) rule: Arc<str>,
    /// Why, for people.
    #[serde(serialize_with = "str_of")]
    #[schemars(with = "String")]
    pub(crate) reason: Arc<str>,
    /// First line of the hit this line belongs to (a block, a tail, a run).
    #[schemars(range(min = 1))]
    pub(crate) event: usize,
    /// The line as it was in the input.
    pub(crate) text: String,
}

fn str_of<S: serde::Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// What a report needs to know about one file beyond its stats.
#[derive(Debug, Clone, Default)]
pub(crate) struct Detail {
    pub(crate) dropped: Vec<DroppedLine>,
    pub(crate) diff: Option<String>,
}

/// Builds the detail of one cleaned file: the dropped lines (for json and github) and the
/// diff (for `--diff`). `label` names the file in the diff headers; `bom`: the file started
/// with a byte-order mark.
pub(crate) fn detail(
    docs: &Documents<'_>,
    input: &str,
    label: &str,
    dropped: bool,
    diff: bool,
    bom: bool,
) -> Detail {
    let dropped = if dropped {
        docs.outcomes()
            .flat_map(|outcome| outcome.dropped().map(move |l| (outcome, l)))
            .filter(|(_, l)| !l.is_blank())
            .map(|(outcome, l)| {
                let d = l.verdict.dropped().expect("a dropped line");
                DroppedLine {
                    line: l.number,
                    start: l.span.start,
                    end: l.span.end,
                    rule: Arc::clone(&d.by),
                    reason: Arc::clone(&d.reason),
                    event: d.event,
                    // A piece of a line that a repair split holds only part of the input line.
                    text: if outcome.lines_numbered(l.number) > 1 {
                        l.text.to_string()
                    } else {
                        input[l.span.clone()].to_string()
                    },
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Detail {
        dropped,
        diff: diff.then(|| unified_diff(docs, input, label, bom)),
    }
}

/// One line of an edit script: unchanged, removed from the input, added in the output.
enum Op<'a> {
    Same(&'a str),
    Del(Cow<'a, str>),
    Add(&'a str),
}

/// A unified diff (3 lines of context) from the input to the cleaned text, exact because
/// every output line comes from one input line: dropped lines are removed, edited lines are
/// replaced, and the header is split off the first line. A line that ended in CRLF (or CR) is
/// removed with its `\r` and added without, and with `bom` the first line is removed with its
/// byte-order mark, so `patch` applies the diff to the file as it is.
pub(crate) fn unified_diff(docs: &Documents<'_>, input: &str, label: &str, bom: bool) -> String {
    let mut ops: Vec<(usize, Op<'_>)> = Vec::new(); // (1-based input line, op)
    for part in &docs.parts {
        match part {
            Part::Document(outcome) => push_ops(outcome, input, &mut ops),
            Part::Separator { number, text } => ops.push((*number, Op::Same(text))),
        }
    }
    if bom && let Some(k) = ops.iter().position(|(_, op)| !matches!(op, Op::Add(_))) {
        let (n, old) = match &ops[k] {
            (n, Op::Same(t)) => (*n, Cow::Borrowed(*t)),
            (n, Op::Del(t)) => (*n, t.clone()),
            _ => unreachable!("not an addition"),
        };
        let same = matches!(ops[k].1, Op::Same(_));
        ops[k] = (n, Op::Del(Cow::Owned(format!("\u{FEFF}{old}"))));
        if same && let Cow::Borrowed(t) = old {
            ops.insert(k + 1, (n, Op::Add(t)));
        }
    }
    hunks(ops, input, label)
}

/// The edit script of one cleaned document, onto `ops`.
fn push_ops<'i>(outcome: &'i Outcome<'_>, input: &'i str, ops: &mut Vec<(usize, Op<'i>)>) {
    let rendered = doc::rendered_lines(&outcome.lines);
    let raw_lines: Vec<&str> = outcome
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            // The first line's raw text includes a lifted header.
            let start = if i == 0 {
                outcome.start()
            } else {
                l.span.start
            };
            // With the `\r` of a CRLF or CR line end: the output's line ends in LF alone.
            let end = l.span.end + usize::from(input[l.span.end..].starts_with('\r'));
            &input[start.min(end)..end]
        })
        .collect();
    let mut i = 0;
    while i < outcome.lines.len() {
        let line = &outcome.lines[i];
        let raw = raw_lines[i];
        let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
        // A line that a repair split into pieces (they share its number): removed once, and
        // each piece in the output added.
        let pieces = outcome.lines[i..]
            .iter()
            .take_while(|l| l.number == line.number)
            .count();
        if pieces > 1 {
            ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
            if i == 0
                && let Some(h) = &outcome.header
            {
                ops.push((line.number, Op::Add(h.as_ref())));
            }
            for out in rendered[i..i + pieces].iter().flatten() {
                ops.push((line.number, Op::Add(out)));
            }
            i += pieces;
            continue;
        }
        i += 1;
        match (i - 1, &outcome.header, rendered[i - 1]) {
            (0, Some(h), out) => {
                let mut new: Vec<&str> = vec![h.as_ref()];
                new.extend(out);
                if new.len() == 1 && raw == h.as_ref() || new == [raw] {
                    ops.push((line.number, Op::Same(raw)));
                } else {
                    ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
                    for n in new {
                        ops.push((line.number, Op::Add(n)));
                    }
                }
            }
            (_, _, Some(out)) if out == raw => ops.push((line.number, Op::Same(raw))),
            (_, _, Some(out)) => {
                ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
                ops.push((line.number, Op::Add(out)));
            }
            (_, _, None) => ops.push((line.number, Op::Del(Cow::Borrowed(raw)))),
        }
    }
}

/// The unified diff of an edit script: hunks of changes with 3 lines of context. Within a
/// run of changes the removed lines come first, then the added ones, as diff(1) prints them.
/// Linear in the length of the script.
fn hunks(mut ops: Vec<(usize, Op<'_>)>, input: &str, label: &str) -> String {
    // Without a final newline, the input's last line differs from the output's: it is
    // removed (marked) and added again.
    let no_final_newline = !input.is_empty() && !input.ends_with(['\n', '\r']);
    let mut marked = None;
    if no_final_newline && let Some(k) = ops.iter().rposition(|(_, op)| !matches!(op, Op::Add(_))) {
        if let (n, Op::Same(t)) = ops[k] {
            ops[k] = (n, Op::Del(Cow::Borrowed(t)));
            ops.insert(k + 1, (n, Op::Add(t)));
        }
        marked = Some(k);
    }
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, (_, op))| !matches!(op, Op::Same(_)))
        .map(|(k, _)| k)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    // Input and output lines before each op.
    let mut seen = Vec::with_capacity(ops.len() + 1);
    let (mut old_seen, mut new_seen) = (0usize, 0usize);
    for (_, op) in &ops {
        seen.push((old_seen, new_seen));
        match op {
            Op::Same(_) => (old_seen, new_seen) = (old_seen + 1, new_seen + 1),
            Op::Del(_) => old_seen += 1,
            Op::Add(_) => new_seen += 1,
        }
    }
    seen.push((old_seen, new_seen));
    let mut out = format!("--- {label}\n+++ {label} (cleaned)\n");
    // Hunks: changed ops with up to 3 unchanged ops of context, merged when close.
    const CONTEXT: usize = 3;
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k].saturating_sub(CONTEXT);
        let mut last = changed[k];
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        let last = (last + CONTEXT).min(ops.len() - 1);
        let (old_start, new_start) = (seen[first].0 + 1, seen[first].1 + 1);
        let (old_len, new_len) = (
            seen[last + 1].0 - seen[first].0,
            seen[last + 1].1 - seen[first].1,
        );
        let range = |start: usize, len: usize| {
            if len == 0 {
                format!("{},0", start - 1)
            } else {
                format!("{start},{len}")
            }
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_len),
            range(new_start, new_len)
        ));
        let mut j = first;
        while j <= last {
            if let Op::Same(t) = &ops[j].1 {
                out.push_str(&format!(" {t}\n"));
                j += 1;
                continue;
            }
            // A run of changes: its removals, then its additions.
            let run_end = (j..=last)
                .find(|&x| matches!(ops[x].1, Op::Same(_)))
                .unwrap_or(last + 1);
            for (x, (_, op)) in ops.iter().enumerate().take(run_end).skip(j) {
                if let Op::Del(t) = op {
                    out.push_str(&format!("-{t}\n"));
                    if marked == Some(x) {
                        out.push_str("\\ No newline at end of file\n");
                    }
                }
            }
            for (_, op) in &ops[j..run_end] {
                if let Op::Add(t) = op {
                    out.push_str(&format!("+{t}\n"));
                }
            }
            j = run_end;
        }
        k += 1;
    }
    out
}

/// Colours a unified diff for a terminal.
pub(crate) fn paint_diff(diff: &str, paint: Paint) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 8);
    // Split on LF alone: a removed line keeps the `\r` of its CRLF end, so the diff applies.
    for line in diff.split_terminator('\n') {
        let styled = if line.starts_with("---") || line.starts_with("+++") {
            paint.bold(line)
        } else if line.starts_with("@@") {
            paint.cyan(line)
        } else if line.starts_with('-') {
            paint.red(line)
        } else if line.starts_with('+') {
            paint.green(line)
        } else {
            line.to_string()
        };
        out.push_str(&styled);
        out.push('\n');
    }
    out
}

/// A file that was cleaned.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct JsonFile<'a> {
    /// As given or found by walking; <stdin> for standard input; with --jsonl, IN:LINE.
    pub(crate) path: &'a str,
    /// The cleaned text differs from the input bytes.
    pub(crate) changed: bool,
    /// Input lines.
    pub(crate) lines: usize,
    /// Input bytes.
    pub(crate) bytes: usize,
    /// Every non-blank line that was dropped.
    pub(crate) dropped: &'a [DroppedLine],
    /// Per rule or normalizer id, the lines whose text it changed.
    pub(crate) edits: BTreeMap<&'a str, usize>,
}

/// A file that could not be read, decoded or written.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct JsonError<'a> {
    /// The file.
    pub(crate) path: &'a str,
    /// What went wrong.
    pub(crate) message: &'a str,
}

/// What one rule or heuristic dropped.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct JsonRule {
    /// Times it fired: a block, a tail or a run counts once.
    #[schemars(range(min = 1))]
    pub(crate) hits: usize,
    /// Non-blank lines dropped.
    #[schemars(range(min = 1))]
    pub(crate) lines: usize,
    /// Their bytes.
    pub(crate) bytes: usize,
}

/// Totals of the run.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct JsonTotals {
    /// Files cleaned (with --jsonl: records).
    pub(crate) files: usize,
    /// Documents cleaned: one per file, or with --split-on the documents in the files (with
    /// --jsonl, one per record).
    pub(crate) documents: usize,
    /// Files (or records) that changed.
    pub(crate) changed: usize,
    /// Files that failed.
    pub(crate) errors: usize,
    /// Input lines.
    pub(crate) lines: usize,
    /// Non-blank lines dropped.
    pub(crate) lines_dropped: usize,
    /// Input bytes.
    pub(crate) bytes: usize,
    /// Bytes of the dropped lines.
    pub(crate) bytes_dropped: usize,
    /// Per rule or normalizer id, the lines whose text it changed.
    pub(crate) edits: BTreeMap<String, usize>,
    /// With --stats only: the run's wall-clock time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) seconds: Option<f64>,
}

/// One report per run of `thresh clean --format json`. Line numbers are 1-based; byte
/// offsets count in the file after a UTF-8 byte-order mark, if any. `version` changes when a
/// field changes meaning or is removed; new fields may be added within a version.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields, title = "thresh clean --format json report")]
pub(crate) struct JsonReport<'a> {
    /// The report format's version: 1.
    #[schemars(range(min = 1, max = 1))]
    pub(crate) version: u32,
    /// Every file that was cleaned, in input order.
    pub(crate) files: Vec<JsonFile<'a>>,
    /// Files that could not be read, decoded or written.
    pub(crate) errors: Vec<JsonError<'a>>,
    /// Per rule or heuristic id: what it dropped.
    pub(crate) rules: BTreeMap<String, JsonRule>,
    /// Totals of the run.
    pub(crate) totals: JsonTotals,
}

/// The JSON Schema of the report, derived from the types that write it
/// (`docs/report-schema.json` is this, and a test keeps it so).
#[cfg(test)]
pub(crate) fn report_schema() -> String {
    let schema = schemars::schema_for!(JsonReport<'static>);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

/// The per-rule table and totals of the json report.
pub(crate) fn json_rules_and_totals(
    total: &Stats,
    files: usize,
    changed: usize,
    errors: usize,
) -> (BTreeMap<String, JsonRule>, JsonTotals) {
    let rules = total
        .by_rule
        .iter()
        .map(|(id, r)| {
            (
                id.to_string(),
                JsonRule {
                    hits: r.hits,
                    lines: r.lines,
                    bytes: r.bytes,
                },
            )
        })
        .collect();
    let totals = JsonTotals {
        files,
        documents: total.documents,
        changed,
        errors,
        lines: total.lines,
        lines_dropped: total.lines_dropped,
        bytes: total.bytes,
        bytes_dropped: total.bytes_dropped,
        edits: total
            .edits
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        seconds: None,
    };
    (rules, totals)
}

/// GitHub workflow annotations for one file: one per dropped line or block.
pub(crate) fn github(path: &str, dropped: &[DroppedLine]) -> String {
    let mut out = String::new();
    let mut k = 0;
    while k < dropped.len() {
        let d = &dropped[k];
        let mut end = d.line;
        while k + 1 < dropped.len()
            && dropped[k + 1].event == d.event
            && dropped[k + 1].rule == d.rule
        {
            k += 1;
            end = dropped[k].line;
        }
        out.push_str(&format!(
            "::warning file={},line={},endLine={},title={}::{}\n",
            escape_property(path),
            d.line,
            end,
            escape_property(&format!("thresh ({})", d.rule)),
            escape_data(&d.reason)
        ));
        k += 1;
    }
    out
}

/// A GitHub Actions annotation on line 1 of `path` that says what changes in it besides
/// dropped lines (`form`, see `clean::form_changes`).
pub(crate) fn github_form(path: &str, form: &[String]) -> String {
    format!(
        "::warning file={},line=1,title={}::{}\n",
        escape_property(path),
        escape_property("thresh (normalize)"),
        escape_data(&format!("would change: {}", form.join("; ")))
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The `--stats` table: per rule, hits, lines and bytes dropped, most hits first; then the
/// normalization counts and the totals with throughput.
pub(crate) fn stats_table(
    total: &Stats,
    files: usize,
    changed: usize,
    elapsed: Duration,
    noun: &str,
) -> String {
    let mut rows: Vec<(&Arc<str>, &thresh::RuleStats)> = total.by_rule.iter().collect();
    rows.sort_by(|a, b| {
        b.1.hits
            .cmp(&a.1.hits)
            .then(b.1.lines.cmp(&a.1.lines))
            .then(a.0.cmp(b.0))
    });
    let mut out = format!("{:>8} {:>8} {:>10}  {}\n", "hits", "lines", "bytes", "rule");
    for (id, r) in &rows {
        out.push_str(&format!(
            "{:>8} {:>8} {:>10}  {id}\n",
            r.hits, r.lines, r.bytes
        ));
    }
    if !total.edits.is_empty() {
        out.push_str(&format!("\n{:>8} {:>19}  {}\n", "lines", "", "changed by"));
        let mut edits: Vec<_> = total.edits.iter().collect();
        edits.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (id, n) in edits {
            out.push_str(&format!("{n:>8} {:>19}  {id}\n", ""));
        }
    }
    let secs = elapsed.as_secs_f64();
    let mb = total.bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    out.push_str(&format!(
        "\n{files} {}{} ({changed} changed), {} of {} lines dropped ({:.1}% of {:.2} MB) in {:.2} s: {:.1} MB/s\n",
        match files {
            1 => noun.strip_suffix('s').unwrap_or(noun),
            _ => noun,
        },
        match total.documents == files {
            true => String::new(),
            false => format!(" ({} documents)", total.documents),
        },
        total.lines_dropped,
        total.lines,
        if total.bytes > 0 {
            100.0 * total.bytes_dropped as f64 / total.bytes as f64
        } else {
            0.0
        },
        mb,
        secs,
        rate
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use thresh::{Pipeline, RuleSet};

    fn pipeline() -> Pipeline {
        Pipeline::new(
            RuleSet::builder()
                .select(["ads", "quotes"])
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn diff_of_drops_and_edits() {
        let p = pipeline();
        let input = "One.\nAdvertisement\nTwo “quoted”.\nThree.\n";
        let out = p.clean(input);
        let d = unified_diff(&Documents::one(out), input, "a.txt", false);
        assert_eq!(
            d,
            "--- a.txt\n+++ a.txt (cleaned)\n@@ -1,4 +1,3 @@\n One.\n-Advertisement\n-Two “quoted”.\n+Two \"quoted\".\n Three.\n"
        );
    }

    #[test]
    fn diff_is_empty_when_nothing_changes_and_marks_a_missing_newline() {
        let p = pipeline();
        assert_eq!(
            unified_diff(&Documents::one(p.clean("One.\n")), "One.\n", "a", false),
            ""
        );
        let d = unified_diff(&Documents::one(p.clean("One.")), "One.", "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,1 +1,1 @@\n-One.\n\\ No newline at end of file\n+One.\n"
        );
    }

    /// docs/report-schema.json is derived from the report's types, so it cannot drift from
    /// them. After a change to the types, `THRESH_BLESS=1 cargo test report_schema` writes it.
    #[test]
    fn report_schema_is_derived_from_the_types() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report-schema.json");
        let derived = report_schema();
        if std::env::var_os("THRESH_BLESS").is_some() {
            std::fs::write(path, &derived).unwrap();
        }
        let file = std::fs::read_to_string(path).unwrap();
        assert!(
            file == derived,
            "docs/report-schema.json differs from the schema derived from the report's types; \
             run THRESH_BLESS=1 cargo test report_schema and commit the file"
        );
    }

    #[test]
    fn diff_groups_removals_before_additions() {
        let p = pipeline();
        let input = "One “a”.\nTwo “b”.\nThree.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,3 +1,3 @@\n-One “a”.\n-Two “b”.\n+One \"a\".\n+Two \"b\".\n Three.\n"
        );
    }

    #[test]
    fn diff_shows_line_ends_and_the_byte_order_mark() {
        let p = pipeline();
        // CRLF only on the first line: it changes, the others are context.
        let input = "One.\r\nTwo.\nThree.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,3 +1,3 @@\n-One.\r\n+One.\n Two.\n Three.\n"
        );
        // The byte-order mark (gone from the decoded text): the first line changes.
        let input = "One.\nTwo.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", true);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,2 +1,2 @@\n-\u{FEFF}One.\n+One.\n Two.\n"
        );
        // Painting keeps the `\r`.
        assert_eq!(
            paint_diff("-One.\r\n+One.\n", Paint::new(false)),
            "-One.\r\n+One.\n"
        );
    }

    #[test]
    fn diff_splits_the_header() {
        let p = pipeline();
        let input = " date 2025-04-28 Title here\nBody.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert!(
            d.contains("- date 2025-04-28 Title here\n+date 2025-04-28\n+Title here\n"),
            "{d}"
        );
    }

    #[test]
    fn github_groups_blocks_and_escapes() {
        let mk = |line, event| DroppedLine {
            line,
            start: 0,
            end: 1,
            rule: Arc::from("related/tail-marker"),
            reason: Arc::from("a, b: 100%"),
            event,
            text: String::new(),
        };
        let out = github("dir/a,b.txt", &[mk(3, 3), mk(4, 3), mk(5, 3), mk(9, 9)]);
        assert_eq!(
            out,
            "::warning file=dir/a%2Cb.txt,line=3,endLine=5,title=thresh (related/tail-marker)::a, b: 100%25\n\
             ::warning file=dir/a%2Cb.txt,line=9,endLine=9,title=thresh (related/tail-marker)::a, b: 100%25\n"
        );
    }
}
