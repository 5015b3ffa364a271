//! `thresh corpus-stats`, `corpus-stats merge` and `clean --corpus-stats`: a table made apart
//! cleans exactly as `--corpus` does in one process; partial tables merge into the whole.

use std::path::Path;

use crate::util::{Dir, root};

/// Pages of two sites: each site's header and footer lines recur on every page of the site,
/// and the articles differ. Corpus mode drops the recurring lines; no rule names them.
fn site_pages() -> Vec<(String, String)> {
    let ships = [
        "Aurora",
        "Borealis",
        "Cassiopeia",
        "Dione",
        "Europa",
        "Fornax",
    ];
    let mut pages = Vec::new();
    for (n, ship) in ships.iter().enumerate() {
        let (site, head, foot) = if n % 2 == 0 {
            (
                "harbour",
                "Get the best of the city delivered every week",
                "Harbour Gazette is published by the Harbour Media Group",
            )
        } else {
            (
                "valley",
                "Valley Courier weekend edition with puzzles and recipes",
                "All pictures courtesy of the Valley Courier photo desk",
            )
        };
        let text = format!(
            "{head}\nThe {ship} docks after the storm\nThe harbour authority said on Monday that the {ship} had docked safely after the storm.\nDock workers unloaded the cargo overnight, and the port reopened to traffic in the morning.\n{foot}\n"
        );
        pages.push((format!("{site}/p{n}.txt"), text));
    }
    pages
}

/// A corpus folder: the site pages and the bundled seeds.
fn corpus(d: &Dir) {
    for (rel, text) in site_pages() {
        d.write(&format!("corpus/{rel}"), text);
    }
    for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        d.write(&format!("corpus/seeds/{name}"), std::fs::read(&p).unwrap());
    }
}

/// Every file under `dir`, as (relative path, contents), sorted.
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else {
                let rel = e.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&e).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The records of a JSONL stream of the corpus's files, in file order.
fn jsonl_of(d: &Dir) -> String {
    tree(&d.join("corpus"))
        .into_iter()
        .map(|(rel, text)| serde_json::json!({"id": rel, "text": text}).to_string() + "\n")
        .collect()
}

#[test]
fn a_table_made_apart_cleans_exactly_as_corpus_mode() {
    let d = Dir::new();
    corpus(&d);
    let r = d.run(&["clean", "corpus", "--corpus", "-o", "one-pass", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&["corpus-stats", "corpus", "-o", "t.tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("counted 11 files (11 distinct documents)"),
        "{}",
        r.stderr
    );
    let r = d.run(&[
        "clean",
        "corpus",
        "--corpus-stats",
        "t.tsv",
        "-o",
        "two-pass",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let one = tree(&d.join("one-pass"));
    assert_eq!(one.len(), 11);
    assert_eq!(one, tree(&d.join("two-pass")), "byte for byte");
    // And corpus mode did something here, so the comparison means something.
    let r = d.run(&["clean", "corpus", "-o", "plain", "-q"]);
    assert_eq!(r.code, 0);
    assert_ne!(one, tree(&d.join("plain")));
    let p0 = d.read("two-pass/harbour/p0.txt");
    assert!(p0.starts_with("The Aurora docks"), "{p0}");
    assert!(!p0.contains("Harbour Media Group"), "{p0}");
    // The table does not depend on the thread count.
    let r = d.run(&["corpus-stats", "corpus", "-j", "1", "-o", "t1.tsv", "-q"]);
    assert_eq!(r.code, 0);
    assert_eq!(d.read("t1.tsv"), d.read("t.tsv"));
}

#[test]
fn jsonl_tables_and_partial_tables_merge_into_the_table_of_the_files() {
    let d = Dir::new();
    corpus(&d);
    let records = jsonl_of(&d);
    d.write("all.jsonl", &records);
    let r = d.run(&["corpus-stats", "corpus", "-o", "files.tsv", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&[
        "corpus-stats",
        "--jsonl",
        "all.jsonl",
        "-o",
        "jsonl.tsv",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(d.read("jsonl.tsv"), d.read("files.tsv"));

    // Three parts: one plain, one gzip-compressed from standard input, one to a zstd table.
    let lines: Vec<&str> = records.lines().collect();
    let part = |r: std::ops::Range<usize>| {
        lines[r]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    d.write("a.jsonl", part(0..4));
    let r = d.run(&["corpus-stats", "--jsonl", "a.jsonl", "-o", "a.tsv", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run_stdin(
        &["corpus-stats", "--jsonl", "-", "-o", "b.tsv.gz", "-q"],
        part(4..8).as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    d.write("c.jsonl", part(8..lines.len()));
    let r = d.run(&[
        "corpus-stats",
        "--jsonl",
        "c.jsonl",
        "-o",
        "c.tsv.zst",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&[
        "corpus-stats",
        "merge",
        "c.tsv.zst",
        "a.tsv",
        "b.tsv.gz",
        "-o",
        "merged.tsv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert_eq!(
        d.read("merged.tsv"),
        d.read("files.tsv"),
        "merge of the parts = the whole"
    );

    // Cleaning the stream with the table equals corpus mode on the files.
    let r = d.run(&[
        "clean",
        "--jsonl",
        "all.jsonl",
        "--corpus-stats",
        "merged.tsv",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r2 = d.run(&["clean", "corpus", "--corpus", "-o", "one-pass", "-q"]);
    assert_eq!(r2.code, 0);
    let cleaned: Vec<(String, String)> = r
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // A record keeps its text's lack of a final newline.
    let inputs = tree(&d.join("corpus"));
    let expected: Vec<(String, String)> = tree(&d.join("one-pass"))
        .into_iter()
        .zip(&inputs)
        .map(|((rel, mut text), (_, input))| {
            if !input.ends_with('\n') {
                text.pop();
            }
            (rel, text)
        })
        .collect();
    assert!(
        cleaned == expected,
        "clean --jsonl --corpus-stats differs from clean --corpus"
    );
    let plain = d.run(&["clean", "--jsonl", "all.jsonl", "-q"]);
    assert_ne!(plain.stdout, r.stdout, "the table changed something");
    // Part by part with the merged table, the same records.
    let mut by_parts = String::new();
    for p in ["a.jsonl", "-", "c.jsonl"] {
        let r = if p == "-" {
            d.run_stdin(
                &[
                    "clean",
                    "--jsonl",
                    "-",
                    "--corpus-stats",
                    "merged.tsv",
                    "-q",
                ],
                part(4..8).as_bytes(),
            )
        } else {
            d.run(&["clean", "--jsonl", p, "--corpus-stats", "merged.tsv", "-q"])
        };
        assert_eq!(r.code, 0, "{}", r.stderr);
        by_parts.push_str(&r.stdout);
    }
    assert_eq!(by_parts, r.stdout);
}

#[test]
fn one_file_and_standard_input_clean_with_a_table_and_explain_says_why() {
    let d = Dir::new();
    corpus(&d);
    let r = d.run(&["corpus-stats", "corpus", "-o", "t.tsv", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&["clean", "corpus", "--corpus", "-o", "one-pass", "-q"]);
    assert_eq!(r.code, 0);
    let want = d.read("one-pass/valley/p1.txt");
    let r = d.run(&["clean", "corpus/valley/p1.txt", "--corpus-stats", "t.tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, want);
    let input = d.read("corpus/valley/p1.txt");
    let r = d.run_stdin(&["clean", "-", "--corpus-stats", "t.tsv"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, want);
    let r = d.run(&[
        "explain",
        "corpus/valley/p1.txt",
        "--corpus-stats",
        "t.tsv",
        "--only-dropped",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("heuristic/corpus-repeat: recurs in 3 of the corpus's 11 documents"),
        "{}",
        r.stdout
    );
    // --corpus still needs files, and says how to do without.
    let r = d.run_stdin(&["clean", "-", "--corpus"], input.as_bytes());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("thresh corpus-stats"), "{}", r.stderr);
    let r = d.run(&["clean", "--jsonl", "x.jsonl", "--corpus"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--corpus-stats TABLE"), "{}", r.stderr);
    let r = d.run(&[
        "clean",
        "corpus",
        "--corpus",
        "--corpus-stats",
        "t.tsv",
        "--check",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn merging_on_disk_is_associative_and_reports_shared_documents() {
    let d = Dir::new();
    corpus(&d);
    let records = jsonl_of(&d);
    let lines: Vec<&str> = records.lines().collect();
    // Overlapping parts: records 3 and 4 are in two parts each.
    let parts = [(0, 5), (3, 8), (7, 11)];
    for (i, (a, b)) in parts.iter().enumerate() {
        let text: String = lines[*a..*b].iter().map(|l| format!("{l}\n")).collect();
        d.write(&format!("p{i}.jsonl"), text);
        let r = d.run(&[
            "corpus-stats",
            "--jsonl",
            &format!("p{i}.jsonl"),
            "-o",
            &format!("p{i}.tsv"),
            "-q",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let merge = |inputs: &[&str], out: &str| {
        let mut args = vec!["corpus-stats", "merge"];
        args.extend(inputs);
        args.extend(["-o", out]);
        let r = d.run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stderr
    };
    merge(&["p0.tsv", "p1.tsv"], "ab.tsv");
    merge(&["ab.tsv", "p2.tsv"], "ab-c.tsv");
    merge(&["p1.tsv", "p2.tsv"], "bc.tsv");
    merge(&["p0.tsv", "bc.tsv"], "a-bc.tsv");
    let all = merge(&["p2.tsv", "p0.tsv", "p1.tsv"], "cab.tsv");
    assert_eq!(d.read("ab-c.tsv"), d.read("a-bc.tsv"));
    assert_eq!(d.read("ab-c.tsv"), d.read("cab.tsv"));
    assert!(
        all.contains("warning: 3 documents are in more than one table"),
        "{all}"
    );
    assert!(all.contains("p0.tsv, p1.tsv"), "{all}");
    assert!(d.read("cab.tsv").ends_with(" overcounted 3\n"));
    // Cleaning with an overcounting table says so.
    d.write(
        "x.txt",
        "Some text that is long enough to be a document of its own here.\n",
    );
    let r = d.run(&["clean", "x.txt", "--corpus-stats", "cab.tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 documents were counted more than once"),
        "{}",
        r.stderr
    );
    // Merging a table with itself is the extreme case.
    let r = d.run(&["corpus-stats", "merge", "p0.tsv", "p0.tsv", "-o", "-"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning: 5 documents"), "{}", r.stderr);
    assert!(r.stdout.starts_with("thresh-corpus-stats 1\n"));
}

#[test]
fn bad_tables_are_errors_naming_file_line_and_expectation() {
    let d = Dir::new();
    corpus(&d);
    let r = d.run(&["corpus-stats", "corpus", "-o", "t.tsv", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let good = d.read("t.tsv");
    let n = good.lines().count();
    d.write("trunc.tsv", &good[..good.len() / 2]);
    d.write(
        "noend.tsv",
        good.lines()
            .take(n - 1)
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    d.write("garbage.tsv", b"\x00\x01\x02 not a table\n");
    d.write(
        "v2.tsv",
        good.replacen("thresh-corpus-stats 1", "thresh-corpus-stats 2", 1),
    );
    d.write(
        "letters.tsv",
        good.replacen("min-letters 4", "min-letters 5", 1),
    );
    let sorted = good.lines().collect::<Vec<_>>();
    let mut swapped = sorted.clone();
    swapped.swap(n - 2, n - 3);
    d.write("unsorted.tsv", swapped.join("\n") + "\n");
    let cases: &[(&str, &[&str], &str)] = &[
        ("trunc.tsv", &[], "trunc.tsv:"),
        ("trunc.tsv", &[], "the table is truncated"),
        (
            "noend.tsv",
            &[],
            &format!("noend.tsv:{n}: the file ends after"),
        ),
        (
            "garbage.tsv",
            &[],
            "garbage.tsv:1: not a thresh corpus-stats table: the first line is binary data, expected `thresh-corpus-stats 1`",
        ),
        (
            "v2.tsv",
            &[],
            "v2.tsv:1: table format version 2: this thresh reads version 1 only",
        ),
        (
            "letters.tsv",
            &[],
            "letters.tsv:5: min-letters is `5` in the table, but cleaning here needs `4`",
        ),
        (
            "unsorted.tsv",
            &[],
            &format!("unsorted.tsv:{}: line keys out of order", n - 1),
        ),
        (
            "t.tsv",
            &["--nfkc"],
            "t.tsv:6: repairs is `entities mojibake invisible ligatures fullwidth` in the table, but cleaning here needs `entities mojibake invisible ligatures fullwidth nfkc` (--nfkc",
        ),
        ("t.tsv", &["--quotes", "keep"], "t.tsv:7: replace-rules is"),
        (
            "missing.tsv",
            &[],
            "--corpus-stats missing.tsv: no such file or folder",
        ),
    ];
    for (table, extra, want) in cases {
        let mut args = vec!["clean", "corpus", "--check", "--corpus-stats", table];
        args.extend(*extra);
        let r = d.run(&args);
        assert_eq!(r.code, 2, "{table} {extra:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(want),
            "{table} {extra:?}: want …{want}…, got {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    // The same errors from merge, with nothing written.
    let r = d.run(&["corpus-stats", "merge", "t.tsv", "trunc.tsv", "-o", "m.tsv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("trunc.tsv:") && r.stderr.contains("truncated"),
        "{}",
        r.stderr
    );
    assert!(!d.join("m.tsv").exists());
    let r = d.run(&[
        "corpus-stats",
        "merge",
        "t.tsv",
        "letters.tsv",
        "-o",
        "m.tsv",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("letters.tsv:5: min-letters is `5`, but the first table, t.tsv, has `4`"),
        "{}",
        r.stderr
    );
    // A pruned table: cleans while min-files allows, is refused above it and by merge.
    let r = d.run(&[
        "corpus-stats",
        "merge",
        "t.tsv",
        "--min-count",
        "3",
        "-o",
        "p3.tsv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&[
        "corpus-stats",
        "corpus",
        "--min-count",
        "4",
        "-o",
        "p4.tsv.zst",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let full = d.run(&[
        "clean",
        "corpus",
        "--diff",
        "--corpus-stats",
        "t.tsv",
        "--color",
        "never",
    ]);
    let pruned = d.run(&[
        "clean",
        "corpus",
        "--diff",
        "--corpus-stats",
        "p3.tsv",
        "--color",
        "never",
    ]);
    assert_eq!(full.stdout, pruned.stdout);
    let r = d.run(&["clean", "corpus", "--check", "--corpus-stats", "p4.tsv.zst"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "p4.tsv.zst:9: min-count is `4` in the table, but cleaning here needs `3 or less`"
        ),
        "{}",
        r.stderr
    );
    let r = d.run(&["corpus-stats", "merge", "t.tsv", "p3.tsv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("p3.tsv:9: the table is pruned to min-count 3"),
        "{}",
        r.stderr
    );
}

#[test]
fn unreadable_files_are_reported_and_left_out() {
    let d = Dir::new();
    corpus(&d);
    d.write("corpus/broken.txt", b"\xff\xfe\xfd\x00binary\x00");
    let r = d.run(&["corpus-stats", "corpus", "-o", "t.tsv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("corpus/broken.txt: "), "{}", r.stderr);
    assert!(
        d.read("t.tsv").contains("end documents 11 "),
        "the others are counted"
    );
    // The table made here, next to its inputs, is not counted as a document next time.
    let r = d.run(&[
        "corpus-stats",
        "corpus",
        "--glob",
        "!broken.txt",
        "-o",
        "corpus/t.tsv",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&[
        "corpus-stats",
        "corpus",
        "--glob",
        "!broken.txt",
        "-o",
        "corpus/t.tsv",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(d.read("corpus/t.tsv").contains("end documents 11 "));
}

#[test]
fn malformed_records_stop_the_count_unless_skipped() {
    let d = Dir::new();
    d.write(
        "in.jsonl",
        "{\"text\":\"Rates rose again on Tuesday, the bank said.\"}\n\n{\"text\":7}\nnot json\n",
    );
    let r = d.run(&["corpus-stats", "--jsonl", "in.jsonl", "-o", "t.tsv"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "thresh: in.jsonl:3: field \"text\" is not a string; t.tsv not written (--skip-bad goes on past bad records)\n"
    );
    assert!(!d.join("t.tsv").exists());
    let r = d.run(&[
        "corpus-stats",
        "--jsonl",
        "in.jsonl",
        "-o",
        "t.tsv",
        "--skip-bad",
    ]);
    // The table of the good records is written; the exit code says records were skipped.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("in.jsonl:4: malformed JSON"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("counted 1 records"), "{}", r.stderr);
    assert!(d.read("t.tsv").contains("end documents 1 "));
    // Another field.
    d.write(
        "c.jsonl",
        "{\"content\":\"Rates rose again on Tuesday.\"}\n",
    );
    let r = d.run(&[
        "corpus-stats",
        "--jsonl",
        "c.jsonl",
        "--text-field",
        "content",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("end documents 1 keys 1 "), "{}", r.stdout);
}

#[cfg(unix)]
#[test]
fn a_pipe_or_device_as_output_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let d = Dir::new();
    d.write(
        "in.jsonl",
        "{\"text\":\"Rates rose again on Tuesday, the bank said.\"}\n",
    );
    let fifo = d.join("fifo");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = d.run(&["corpus-stats", "--jsonl", "in.jsonl", "-o", "fifo", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = reader.join().unwrap();
    assert!(got.starts_with("thresh-corpus-stats 1\n"), "{got}");
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "still a FIFO"
    );
}

#[test]
fn help_explains_the_table() {
    let d = Dir::new();
    let r = d.run(&["corpus-stats", "--help"]);
    assert_eq!(r.code, 0);
    for want in [
        "docs/corpus-stats.md",
        "corpus-stats merge",
        "--min-count",
        "standard output",
    ] {
        assert!(r.stdout.contains(want), "{want}: {}", r.stdout);
    }
    let r = d.run(&["corpus-stats", "merge", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("merge(a, merge(b, c))"), "{}", r.stdout);
    let r = d.run(&["clean", "--help"]);
    assert!(r.stdout.contains("--corpus-stats <TABLE>"), "{}", r.stdout);
    let r = d.run(&["corpus-stats"]);
    assert_eq!(r.code, 2);
}

/// A call to action between paragraphs on every page of a site goes in corpus mode; a
/// sub-heading that recurs on a few pages only stays, one on most pages goes.
#[test]
fn a_recurring_call_to_action_inside_the_article_goes() {
    let d = Dir::new();
    for i in 0..10 {
        // The call to action on every page; one sub-heading on 3 pages, another on 7.
        let heading = if i < 3 {
            "What the vote means"
        } else {
            "A look back"
        };
        d.write(
            &format!("in/p{i}.txt"),
            format!(
                "Harbour budget vote number {i} passes\n\nThe council met on Monday to vote on \
                 budget {i} for the harbour wall and the ferry terminal, officials said.\n\
                 Subscribe to our weekly digest now\nCouncillors argued for {i} hours before \
                 the vote, and the mayor thanked the fishing fleet for its patience.\n{heading}\n\
                 The work on wall {i} starts in March and should end before the winter storms, \
                 the harbour master said.\n"
            ),
        );
    }
    let r = d.run(&["clean", "in", "--corpus", "-o", "out", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for i in 0..10 {
        let out = d.read(&format!("out/p{i}.txt"));
        assert!(!out.contains("Subscribe"), "p{i}: {out}");
        assert_eq!(out.contains("What the vote means"), i < 3, "p{i}: {out}");
        assert!(!out.contains("A look back"), "p{i}: {out}");
    }
}
