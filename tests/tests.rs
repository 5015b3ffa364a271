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

// CI modes and reports: --check, --diff, --format json|github, --stats; the JSON schema.
mod report;
