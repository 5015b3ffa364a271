//! Integration tests: one binary, one module per concern.

// Helpers: `eqnice!` for readable text diffs, temporary folders, running the binary.
#[macro_use]
mod util;

// Every fixtures/**/*.in.txt and every seed through the full default pipeline, byte-exact,
// plus idempotence. THRESH_BLESS=1 rewrites the .out.txt goldens.
mod fixtures;

// Each rule's `example` and `keep` texts, each rule alone.
mod rule_examples;

// Bad rule files: the messages name file, line, column, rule, problem and expectation.
mod rule_errors;

// Matching semantics: word boundaries, case folding, positions, blocks.
mod matching;

// The health of rules/: ids, descriptions, examples, patterns, the built-in file list.
mod rule_data;

// The `thresh` binary: modes, files on disk, exit codes, error messages.
mod cli;

// JSONL streams, completions and the man page.
mod jsonl;

// Files of several documents (--split-on): each cleaned alone, separators kept, reports in
// file line numbers.
mod split;

// Corpus statistics as a table: corpus-stats, merge, clean --corpus-stats; bad tables.
mod corpus;

// CI modes and reports: --check, --diff, --format json|github, --stats; the JSON schema.
mod report;

// Property tests: no panics, output shape, only drops and named edits, idempotence, -j 1 = -j 2.
mod properties;

// Inputs found by fuzzing, the property tests and the bad-input suite; open bugs are ignored.
mod regression;

// Bad input end to end: each bad file reported and skipped, the others cleaned, exit 2.
mod bad_input;

// --in-place killed with SIGKILL mid-run: every file old or new, never truncated or lost.
mod in_place_kill;

// The line model: `thresh train`, `--model`, `--ignore model`.
mod model;

// The direction of the library's imports: rules a leaf, heuristics apart from rules.
mod layers;
