//! `thresh clean --jsonl`: records in, records out, every other field untouched; errors with
//! line numbers; compressed streams; order at any thread count. Also completions and man.

use std::io::{Read, Write};

use crate::util::Dir;

const RECORD: &str = r#"{"id":1,"text":"Share\nRates rose again on Tuesday, the central bank said.\nAdvertisement:\n\u201cWe will act,\u201d the governor said.","meta":{"url":"http://x","score":1.50e2,"tags":["a", "b"]}}"#;
const CLEANED: &str = r#"{"id":1,"text":"Rates rose again on Tuesday, the central bank said.\n\"We will act,\" the governor said.","meta":{"url":"http://x","score":1.50e2,"tags":["a", "b"]}}"#;

#[test]
fn cleans_the_text_field_and_leaves_the_rest() {
    let d = Dir::new();
    let input = format!("{RECORD}\n\n{{\"text\":\"Already clean.\",\"id\":2}}\n");
    d.write("in.jsonl", &input);
    let r = d.run(&["clean", "--jsonl", "in.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!("{CLEANED}\n{{\"text\":\"Already clean.\",\"id\":2}}\n")
    );
    assert_eq!(
        r.stderr,
        "thresh: cleaned 2 records: 1 changed, 2 of 5 lines dropped\n"
    );
    // Idempotent: cleaning the output again changes nothing.
    let again = d.run_stdin(&["clean", "--jsonl", "-", "-q"], r.stdout.as_bytes());
    assert_eq!(again.stdout, r.stdout);
}

#[test]
fn another_text_field() {
    let d = Dir::new();
    let r = d.run_stdin(
        &["clean", "--jsonl", "-", "--text-field", "content", "-q"],
        b"{\"content\":\"Advertisement\\nText here.\"}\n",
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "{\"content\":\"Text here.\"}\n")
    );
}

#[test]
fn malformed_records_stop_the_run_unless_skipped() {
    let d = Dir::new();
    d.write(
        "in.jsonl",
        format!("{RECORD}\n{{\"text\": 3}}\nnot json\n{{\"body\":\"x\"}}\n{RECORD}\n"),
    );
    let r = d.run(&["clean", "--jsonl", "in.jsonl", "-o", "out.jsonl"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "thresh: in.jsonl:2: field \"text\" is not a string; out.jsonl not written (--skip-bad goes on past bad records)\n"
    );
    assert!(!d.join("out.jsonl").exists());
    let r = d.run(&[
        "clean",
        "--jsonl",
        "in.jsonl",
        "-o",
        "out.jsonl",
        "--skip-bad",
    ]);
    // The good records are written; the exit code says some were skipped.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(d.read("out.jsonl"), format!("{CLEANED}\n{CLEANED}\n"));
    assert!(
        r.stderr.contains("thresh: in.jsonl:3: malformed JSON: "),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("thresh: in.jsonl:4: no field \"text\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .ends_with("2 records: 2 changed, 4 of 8 lines dropped; 3 bad records skipped\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn gzip_and_zstd_in_and_out() {
    let d = Dir::new();
    let plain = format!("{RECORD}\n{RECORD}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(plain.as_bytes()).unwrap();
    d.write("in.jsonl.gz", gz.finish().unwrap());
    let r = d.run(&[
        "clean",
        "--jsonl",
        "in.jsonl.gz",
        "-o",
        "out.jsonl.zst",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let zst = std::fs::read(d.join("out.jsonl.zst")).unwrap();
    let mut out = String::new();
    zstd::Decoder::new(&zst[..])
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, format!("{CLEANED}\n{CLEANED}\n"));
    let r = d.run(&[
        "clean",
        "--jsonl",
        "out.jsonl.zst",
        "-o",
        "back.jsonl.gz",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut back = String::new();
    flate2::read::MultiGzDecoder::new(&std::fs::read(d.join("back.jsonl.gz")).unwrap()[..])
        .read_to_string(&mut back)
        .unwrap();
    assert_eq!(back, out);
}

/// Compressed standard input is told by its first bytes, as compressed files are.
#[test]
fn compressed_standard_input_is_decompressed() {
    let d = Dir::new();
    let plain = format!("{RECORD}\n{RECORD}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(plain.as_bytes()).unwrap();
    let zst = zstd::encode_all(plain.as_bytes(), 3).unwrap();
    for bytes in [gz.finish().unwrap(), zst] {
        let r = d.run_stdin(&["clean", "--jsonl", "-", "-q"], &bytes);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout, format!("{CLEANED}\n{CLEANED}\n"));
    }
}

/// Compression formats thresh does not handle are refused, not written plain or read as
/// garbage.
#[test]
fn unknown_compression_is_refused() {
    let d = Dir::new();
    d.write("in.jsonl", format!("{RECORD}\n"));
    let r = d.run(&["clean", "--jsonl", "in.jsonl", "-o", "out.jsonl.bz2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "bzip2 compression is not written: name the output .gz or .zst (compressed), or \
             anything else (plain)"
        ),
        "{}",
        r.stderr
    );
    assert!(!d.join("out.jsonl.bz2").exists());
    let r = d.run_stdin(&["clean", "--jsonl", "-"], b"BZh91AY&SY\x00\x01");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bzip2-compressed input, which thresh does not read"),
        "{}",
        r.stderr
    );
}

#[test]
fn order_is_kept_at_any_thread_count() {
    let d = Dir::new();
    let mut input = String::new();
    for i in 0..10_000 {
        input.push_str(&format!(
            "{{\"n\":{i},\"text\":\"Share\\nLine {i} of the stream, with text enough to be prose here.\"}}\n"
        ));
    }
    d.write("in.jsonl", &input);
    let one = d.run(&["clean", "--jsonl", "in.jsonl", "-j", "1", "-q"]);
    let two = d.run(&["clean", "--jsonl", "in.jsonl", "-j", "2", "-q"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let lines: Vec<&str> = one.stdout.lines().collect();
    assert_eq!(lines.len(), 10_000);
    assert!(
        lines[9_999].starts_with("{\"n\":9999,\"text\":\"Line 9999 of"),
        "{}",
        lines[9_999]
    );
}

#[test]
fn jsonl_reports_and_refusals() {
    let d = Dir::new();
    d.write("in.jsonl", format!("{RECORD}\n"));
    let r = d.run(&[
        "clean",
        "--jsonl",
        "in.jsonl",
        "-o",
        "out.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "in.jsonl:1");
    assert_eq!(v["rules"]["ads/label"]["hits"], 1);
    let r = d.run(&["clean", "--jsonl", "in.jsonl", "--stats"]);
    assert!(r.stderr.contains("1 record (1 changed)"), "{}", r.stderr);
    for bad in [
        &["clean", "--jsonl", "in.jsonl", "--in-place"][..],
        &["clean", "--jsonl", "in.jsonl", "--diff"][..],
        &["clean", "--jsonl", "-", "-"][..],
    ] {
        let r = d.run(bad);
        assert_eq!(r.code, 2, "{bad:?}");
    }
    let r = d.run(&["clean", "in.jsonl", "--skip-bad"]);
    assert_eq!(r.code, 2, "--skip-bad needs --jsonl");
}

/// Several streams are cleaned one after the other into one output, each record's errors
/// naming its stream and line.
#[test]
fn several_streams_make_one_output() {
    let d = Dir::new();
    d.write("a.jsonl", format!("{RECORD}\n"));
    d.write("b.jsonl", format!("{RECORD}\nnot json\n"));
    let r = d.run(&[
        "clean",
        "--jsonl",
        "a.jsonl",
        "b.jsonl",
        "-o",
        "out.jsonl",
        "--skip-bad",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("thresh: b.jsonl:2: malformed JSON"),
        "{}",
        r.stderr
    );
    assert_eq!(d.read("out.jsonl"), format!("{CLEANED}\n{CLEANED}\n"));
    let r = d.run(&[
        "clean",
        "--jsonl",
        "a.jsonl",
        "missing.jsonl",
        "-o",
        "out2.jsonl",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("missing.jsonl: "), "{}", r.stderr);
    assert!(!d.join("out2.jsonl").exists(), "nothing written");
}

/// --drop-empty leaves out records whose text cleans to nothing, and says how many.
#[test]
fn records_cleaned_to_nothing_can_be_left_out() {
    let d = Dir::new();
    d.write(
        "in.jsonl",
        format!("{RECORD}\n{{\"id\": 2, \"text\": \"Share\\nAdvertisement\"}}\n"),
    );
    let r = d.run(&["clean", "--jsonl", "in.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2, "kept by default: {}", r.stdout);
    let r = d.run(&["clean", "--jsonl", "in.jsonl", "--drop-empty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{CLEANED}\n"));
    assert!(
        r.stderr.contains("; 1 empty record left out"),
        "{}",
        r.stderr
    );
}

/// --check with --jsonl writes nothing, lists the records that would change and exits 1.
#[test]
fn jsonl_check_lists_records_that_would_change() {
    let d = Dir::new();
    d.write("in.jsonl", format!("{CLEANED}\n{RECORD}\n"));
    let r = d.run(&["clean", "--jsonl", "in.jsonl", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "would change: in.jsonl:2\n");
    assert!(
        r.stderr
            .contains("thresh: checked 2 records: 1 would change"),
        "{}",
        r.stderr
    );
    d.write("clean.jsonl", format!("{CLEANED}\n"));
    let r = d.run(&["clean", "--jsonl", "clean.jsonl", "--check", "-q"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

/// A file named like JSONL but cleaned without --jsonl is cleaned as text, with a warning.
#[test]
fn jsonl_named_files_cleaned_as_text_are_warned_about() {
    let d = Dir::new();
    d.write("in/a.jsonl", format!("{RECORD}\n"));
    d.write(
        "in/b.txt",
        "Rates rose again on Tuesday, the central bank said.\n",
    );
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "thresh: warning: in/a.jsonl looks like JSONL: it is cleaned as plain text (JSON \
             and all); use --jsonl to clean the text field of each record"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("b.txt"), "{}", r.stderr);
    let r = d.run(&["clean", "in", "-o", "out2", "-q"]);
    assert_eq!(r.stderr, "");
}

#[test]
fn completions_and_man_page() {
    let d = Dir::new();
    for shell in ["bash", "zsh", "fish"] {
        let r = d.run(&["completions", shell]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("clean") && r.stdout.contains("in-place"),
            "{shell}"
        );
    }
    let r = d.run(&["man"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(".TH thresh 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    assert_eq!(d.run(&["completions", "tcsh"]).code, 2);
    // Every command has its page, which thresh(1) refers to.
    let r = d.run(&["man", "clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(".TH thresh-clean 1"),
        "{}",
        &r.stdout[..200]
    );
    let r = d.run(&["man", "--dir", "pages"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "thresh.1",
        "thresh-clean.1",
        "thresh-rules-test.1",
        "thresh-train.1",
    ] {
        assert!(d.join(&format!("pages/{page}")).is_file(), "{page}");
    }
    let r = d.run(&["man", "nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("man nope: no such command, expected one of clean"),
        "{}",
        r.stderr
    );
}

/// A reader that stops early (`thresh completions zsh | head -3`) is not an error.
#[cfg(unix)]
#[test]
fn completions_and_man_stop_quietly_when_the_reader_goes() {
    use std::process::{Command, Stdio};
    for args in [&["completions", "zsh"][..], &["man", "clean"][..]] {
        // A pipe whose reader is gone before anything is written.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_thresh"))
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.code() == Some(0),
            "{args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
