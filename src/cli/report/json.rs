//! The JSON report (`--format json`): one document per run, its schema derived from the types
//! here with schemars (docs/report-schema.json).

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use thresh::Stats;

use super::{DroppedLine, FileReport, Reporter, RunReport};

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

/// The JSON report: it keeps what it lists of each file until the end of the run.
pub(crate) struct Json {
    /// The run's time goes in the totals (`--stats`).
    seconds: bool,
    files: Vec<Kept>,
}

/// What the report lists of one file.
struct Kept {
    path: String,
    changed: bool,
    lines: usize,
    bytes: usize,
    dropped: Vec<DroppedLine>,
    edits: Vec<(Arc<str>, usize)>,
}

impl Json {
    pub(crate) fn new(seconds: bool) -> Json {
        Json {
            seconds,
            files: Vec::new(),
        }
    }
}

impl Reporter for Json {
    fn file(&mut self, file: &FileReport) -> String {
        let s = file.stats.as_ref();
        self.files.push(Kept {
            path: file.name.clone(),
            changed: file.changed,
            lines: s.map_or(0, |s| s.lines),
            bytes: s.map_or(0, |s| s.bytes),
            dropped: file.detail.dropped.clone(),
            edits: s
                .map(|s| s.edits.iter().map(|(k, v)| (Arc::clone(k), *v)).collect())
                .unwrap_or_default(),
        });
        String::new()
    }

    fn finish(&mut self, run: &RunReport<'_>) -> String {
        let files = self
            .files
            .iter()
            .map(|f| JsonFile {
                path: &f.path,
                changed: f.changed,
                lines: f.lines,
                bytes: f.bytes,
                dropped: &f.dropped,
                edits: f.edits.iter().map(|(k, v)| (k.as_ref(), *v)).collect(),
            })
            .collect();
        let errors = run
            .errors
            .iter()
            .map(|(p, m)| JsonError {
                path: p,
                message: m,
            })
            .collect();
        let (rules, mut totals) =
            rules_and_totals(run.total, run.cleaned, run.changed, run.errors.len());
        totals.seconds = self.seconds.then(|| run.started.elapsed().as_secs_f64());
        let report = JsonReport {
            version: 1,
            files,
            errors,
            rules,
            totals,
        };
        serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
    }
}

/// The per-rule table and totals of the report.
fn rules_and_totals(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
