//! The CI modes and reports of `thresh clean`: --check, --diff, --format json|github, --stats,
//! and a real JSON report validated against docs/report-schema.json.

use serde_json::Value;

use crate::util::{Dir, root};

const PAGE: &str = "Share\nRates rose again on Tuesday, the central bank said in a statement.\nAdvertisement:\n“We will act,” the governor said on Tuesday evening.\n";
const CLEAN: &str = "Rates rose again on Tuesday, the central bank said in a statement.\n\"We will act,\" the governor said on Tuesday evening.\n";

fn setup() -> Dir {
    let d = Dir::new();
    d.write("docs/dirty.txt", PAGE);
    d.write("docs/clean.txt", CLEAN);
    d
}

#[test]
fn check_lists_files_that_would_change_and_writes_nothing() {
    let d = setup();
    let r = d.run(&["clean", "docs", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "would change: docs/dirty.txt\n");
    assert_eq!(
        r.stderr,
        "thresh: checked 2 files: 1 would change, 2 of 6 lines would be dropped\n"
    );
    assert_eq!(d.read("docs/dirty.txt"), PAGE, "nothing written");
    let r = d.run(&["clean", "docs/clean.txt", "--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    let r = d.run_stdin(&["clean", "-", "--check", "-q"], PAGE.as_bytes());
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", ""));
}

#[test]
fn check_exits_2_on_errors() {
    let d = setup();
    d.write("docs/bad.txt", b"ok\n\xFF\n");
    let r = d.run(&["clean", "docs", "--check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("docs/bad.txt: invalid UTF-8 at byte 3"),
        "{}",
        r.stderr
    );
}

#[test]
fn clean_text_passes_the_check() {
    let d = Dir::new();
    let r = crate::util::run_in(&root(), &["clean", "fixtures/seeds", "--check"], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    drop(d);
}

#[test]
fn diff_prints_unified_diffs() {
    let d = setup();
    let r = d.run(&["clean", "docs", "--diff"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "--- docs/dirty.txt\n+++ docs/dirty.txt (cleaned)\n@@ -1,4 +1,2 @@\n-Share\n Rates rose again on Tuesday, the central bank said in a statement.\n-Advertisement:\n-“We will act,” the governor said on Tuesday evening.\n+\"We will act,\" the governor said on Tuesday evening.\n"
    );
    assert!(!r.stdout.contains('\x1b'), "no colour when not a terminal");
    let r = d.run(&["clean", "docs", "--diff", "--color", "always"]);
    assert!(r.stdout.contains("\x1b[31m-Share\x1b[0m"), "{}", r.stdout);
    assert_eq!(d.read("docs/dirty.txt"), PAGE, "nothing written");
}

#[test]
fn diff_applies_with_patch() {
    // The diff is a real unified diff: applying it to the input gives the cleaned text.
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no patch(1) on this machine");
        return;
    }
    let d = Dir::new();
    let seed = std::fs::read(root().join("seeds/001_3b5528ce4bb0199d.txt")).unwrap();
    d.write("a.txt", &seed);
    let r = d.run(&["clean", "a.txt", "--diff"]);
    assert_eq!(r.code, 1);
    d.write("a.diff", r.stdout.as_bytes());
    let out = std::process::Command::new("patch")
        .args(["-s", "-o", "patched.txt", "a.txt", "a.diff"])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected =
        std::fs::read_to_string(root().join("fixtures/seeds/001_3b5528ce4bb0199d.txt")).unwrap();
    eqnice!(expected, d.read("patched.txt"));
}

#[test]
fn a_line_split_by_a_repair_is_one_line_in_reports() {
    // `&#8232;` is a line separator: the repair splits the line in two, and the share button
    // after it is dropped on its own.
    let d = Dir::new();
    d.write(
        "a.txt",
        "Title here\nRates rose again on Tuesday.&#8232;Share\nMore text follows here.\n",
    );
    let r = d.run(&["clean", "a.txt", "--diff"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    eqnice!(
        "--- a.txt\n+++ a.txt (cleaned)\n@@ -1,3 +1,3 @@\n Title here\n\
         -Rates rose again on Tuesday.&#8232;Share\n+Rates rose again on Tuesday.\n\
         \x20More text follows here.\n",
        r.stdout
    );
    let r = d.run(&["clean", "a.txt", "--check", "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["lines"], 3, "input lines, not pieces: {file}");
    assert_eq!(file["dropped"][0]["line"], 2);
    assert_eq!(
        file["dropped"][0]["text"], "Share",
        "the piece, not the whole line"
    );
    assert_eq!(file["edits"]["repair/entities"], 1);
}

#[test]
fn github_annotations() {
    let d = setup();
    let r = d.run(&["clean", "docs/dirty.txt", "--check", "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert_eq!(
        lines[2],
        "::warning file=docs/dirty.txt,line=1,title=thresh (normalize)::would change: \
         quotes/curly-double edits 1 line"
    );
    assert!(
        lines[0].starts_with(
            "::warning file=docs/dirty.txt,line=1,endLine=1,title=thresh (share/button)::"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "::warning file=docs/dirty.txt,line=3,endLine=3,title=thresh (ads/label)::"
        ),
        "{}",
        lines[1]
    );
}

/// A file that would change only by normalization fails the check and says what changes.
#[test]
fn github_annotations_for_normalization_only_changes() {
    let d = Dir::new();
    let para = "The council met on Monday to vote on the budget for the harbour wall.";
    d.write("docs/crlf.txt", format!("{para}\r\n"));
    d.write("docs/bom.txt", format!("\u{feff}{para}\n"));
    d.write(
        "docs/quotes.txt",
        format!("{para} \u{201c}Yes,\u{201d} she said.\n"),
    );
    d.write(
        "docs/latin1.txt",
        b"Caf\xE9 au lait, the council said on Monday.\n",
    );
    d.write("docs/clean.txt", format!("{para}\n"));
    let r = d.run(&["clean", "docs", "--check", "--format", "github", "-q"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let expected = [
        "::warning file=docs/bom.txt,line=1,title=thresh (normalize)::would change: the \
         byte-order mark is removed",
        "::warning file=docs/crlf.txt,line=1,title=thresh (normalize)::would change: CRLF or \
         CR line endings become LF",
        "::warning file=docs/latin1.txt,line=1,title=thresh (normalize)::would change: the \
         text is re-encoded as UTF-8",
        "::warning file=docs/quotes.txt,line=1,title=thresh (normalize)::would change: \
         quotes/curly-double edits 1 line",
    ];
    eqnice!(expected.join("\n") + "\n", r.stdout);
}

/// `--diff` shows CRLF and byte-order-mark changes, with the `\r` kept on removed lines so
/// that the diff applies to the file as it is.
#[test]
fn diff_shows_line_end_and_byte_order_mark_changes() {
    let d = Dir::new();
    let para = "The council met on Monday to vote on the budget for the harbour wall.";
    d.write("docs/a.txt", format!("\u{feff}{para}\r\n{para}\n"));
    let r = d.run(&["clean", "docs/a.txt", "--diff", "-q"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    eqnice!(
        format!(
            "--- docs/a.txt\n+++ docs/a.txt (cleaned)\n@@ -1,2 +1,2 @@\n-\u{feff}{para}\r\n+{para}\n {para}\n"
        ),
        r.stdout
    );
}

/// `--stats --format json` puts the statistics in the one JSON document (no text table
/// after it), for files and for JSONL records.
#[test]
fn stats_with_json_stay_one_json_document() {
    let d = setup();
    d.write(
        "in.jsonl",
        "{\"text\": \"Share\\nRates rose again on Tuesday, the central bank said.\\n\"}\n",
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report-schema.json")).unwrap(),
    )
    .unwrap();
    for (args, code) in [
        (
            &["clean", "docs", "--check", "--format", "json", "--stats"][..],
            1,
        ),
        (
            &[
                "clean",
                "--jsonl",
                "in.jsonl",
                "-o",
                "out.jsonl",
                "--format",
                "json",
                "--stats",
            ][..],
            0,
        ),
    ] {
        let r = d.run(args);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        // The JSONL report goes to standard error when the records go to a file.
        let text = if r.stdout.is_empty() {
            &r.stderr
        } else {
            &r.stdout
        };
        let report: Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{args:?}: not one JSON document ({e}):\n{text}"));
        assert!(
            report["totals"]["seconds"].as_f64().is_some(),
            "{args:?}: {text}"
        );
        assert!(
            report["rules"].as_object().is_some_and(|r| !r.is_empty()),
            "{args:?}"
        );
        let mut errors = Vec::new();
        validate(&schema, &report, "$", &mut errors);
        assert!(errors.is_empty(), "{args:?}: {}", errors.join("\n"));
    }
    // Without --stats the time is left out: the report is the same bytes on every run.
    let r = d.run(&["clean", "docs", "--check", "--format", "json"]);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(report["totals"].get("seconds").is_none());
}

#[test]
fn stats_table() {
    let d = setup();
    let r = d.run(&["clean", "docs", "-o", "out", "--stats", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["hits", "lines", "bytes", "rule"]
    );
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["1", "1", "14", "ads/label"]
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["1", "1", "5", "share/button"]
    );
    assert!(
        r.stdout
            .contains("2 files (1 changed), 2 of 6 lines dropped"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(" MB/s\nconfig: none (built-in settings)\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn stats_go_to_stderr_when_text_is_on_stdout() {
    let d = setup();
    let r = d.run(&["clean", "docs/dirty.txt", "--stats"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, CLEAN);
    assert!(r.stderr.contains("ads/label"), "{}", r.stderr);
}

#[test]
fn explain_colours_only_when_asked_or_on_a_terminal() {
    let d = setup();
    let r = d.run(&["explain", "docs/dirty.txt"]);
    assert!(!r.stdout.contains('\x1b'));
    let r = d.run(&["explain", "docs/dirty.txt", "--color", "always"]);
    assert!(
        r.stdout.contains("\x1b[31m    1 - Share\x1b[0m"),
        "{}",
        r.stdout
    );
}

/// A minimal JSON Schema check (type, const, required, properties, additionalProperties,
/// items, minimum, maximum, local $ref): the subset docs/report-schema.json uses.
fn validate(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    check(schema, schema, value, at, errors);
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("a local $ref");
        check(root, &root["$defs"][name], value, at, errors);
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            other => panic!("schema type {other} not handled"),
        });
        if !ok {
            errors.push(format!("{at}: expected {types:?}, got {value}"));
            return;
        }
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: expected {c}, got {value}"));
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if let (Some(max), Some(n)) = (
        schema.get("maximum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n > max
    {
        errors.push(format!("{at}: {n} > {max}"));
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{at}: missing {req}"));
            }
        }
        for (k, v) in obj {
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => check(root, s, v, &format!("{at}.{k}"), errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{at}: unexpected {k}")),
                (None, Some(s)) if s.is_object() => check(root, s, v, &format!("{at}.{k}"), errors),
                _ => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(root, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// The checker catches what the schema forbids: a report with an extra field, a wrong type
/// or a missing field fails.
#[test]
fn the_schema_check_can_fail() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report-schema.json")).unwrap(),
    )
    .unwrap();
    let d = setup();
    let r = d.run(&["clean", "docs", "--check", "--format", "json"]);
    let good: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut errors = Vec::new();
    validate(&schema, &good, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    for (path, bad) in [
        ("/files/0/extra", Value::Bool(true)),
        ("/files/1/dropped/0/line", Value::from("one")),
        ("/totals/files", Value::from(-1)),
        ("/version", Value::from(2)),
    ] {
        let mut report = good.clone();
        let (parent, key) = path.rsplit_once('/').unwrap();
        report
            .pointer_mut(parent)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert(key.into(), bad);
        let mut errors = Vec::new();
        validate(&schema, &report, "$", &mut errors);
        assert!(!errors.is_empty(), "{path} passed");
    }
}

#[test]
fn json_report_matches_its_schema() {
    let d = setup();
    d.write("docs/bad.txt", b"\xFF");
    let r = crate::util::run_in(
        &root(),
        &[
            "clean",
            "seeds",
            "fixtures/heuristic",
            d.join("docs").to_str().unwrap(),
            "--check",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(r.code, 2, "a bad file is in the set");
    let report: Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report-schema.json")).unwrap(),
    )
    .unwrap();
    let mut errors = Vec::new();
    validate(&schema, &report, "$", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report["totals"]["errors"], 1);
    assert!(
        report["errors"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("bad.txt")
    );
    let seed = &report["files"][1];
    assert_eq!(seed["path"], "seeds/001_3b5528ce4bb0199d.txt");
    let tail: Vec<&Value> = seed["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "related/tail-marker")
        .collect();
    assert!(
        tail.len() > 10 && tail.iter().all(|d| d["event"] == 37),
        "one tail, many lines"
    );
    // Seeds 001 and 004 each end in one tail: two hits, many lines.
    let tail_rule = &report["rules"]["related/tail-marker"];
    assert_eq!(tail_rule["hits"].as_u64(), Some(2));
    assert!(tail_rule["lines"].as_u64().unwrap() > 40);
    // Schema validation really checks: a report with a stray field fails.
    let mut broken = report.clone();
    broken["files"][0]["extra"] = Value::Bool(true);
    let mut errors = Vec::new();
    validate(&schema, &broken, "$", &mut errors);
    assert_eq!(errors, ["$.files[0]: unexpected extra"]);
}
