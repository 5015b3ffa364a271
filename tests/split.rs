//! `--split-on REGEX`: a file of several documents, each cleaned as a file of its own would
//! be, separator lines written back as they are; reports in the file's own line numbers.

use std::fs;

use crate::util::{Dir, root};

/// The seeds joined into one file, each followed by a form feed alone on its line.
fn joined_seeds() -> (String, Vec<String>) {
    let mut joined = String::new();
    let mut names = Vec::new();
    let mut seeds: Vec<_> = fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    for p in seeds {
        let text = fs::read_to_string(&p).unwrap();
        joined.push_str(&text);
        if !text.ends_with('\n') {
            joined.push('\n');
        }
        joined.push_str("\u{c}\n");
        names.push(p.file_name().unwrap().to_str().unwrap().to_string());
    }
    (joined, names)
}

#[test]
fn each_document_is_cleaned_as_its_own_file() {
    let d = Dir::new();
    let (joined, names) = joined_seeds();
    d.write("all.txt", &joined);
    let r = d.run(&["clean", "all.txt", "--split-on", r"^\f$"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut expected = String::new();
    for name in &names {
        expected.push_str(&fs::read_to_string(root().join("fixtures/seeds").join(name)).unwrap());
        expected.push_str("\u{c}\n");
    }
    eqnice!(expected, r.stdout);
    // Cleaned as one document, the pages' headers, titles and zones are not found.
    let whole = d.run(&["clean", "all.txt"]);
    assert_ne!(whole.stdout, expected);
    // Idempotent, and the same at any thread count.
    d.write("out.txt", &r.stdout);
    let again = d.run(&["clean", "out.txt", "--split-on", r"^\f$"]);
    eqnice!(r.stdout, again.stdout);
    let one = d.run(&["clean", "all.txt", "--split-on", r"^\f$", "-j", "1"]);
    eqnice!(r.stdout, one.stdout);
}

#[test]
fn reports_use_the_files_line_numbers() {
    let d = Dir::new();
    let text = "Rates rose again on Tuesday, the central bank said in a statement.\n\
                Advertisement\n\
                <<<END>>>\n\
                \n\
                Advertisement\n\
                The council met on Tuesday and agreed the plan for the new school.\n";
    d.write("two.txt", text);
    let r = d.run(&[
        "clean",
        "two.txt",
        "--split-on",
        "^<<<END>>>$",
        "--check",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let dropped: Vec<(u64, &str)> = v["files"][0]["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["text"].as_str().unwrap()))
        .collect();
    assert_eq!(dropped, [(2, "Advertisement"), (5, "Advertisement")]);
    assert_eq!(v["totals"]["files"], 1);
    assert_eq!(v["totals"]["documents"], 2);
    assert_eq!(v["totals"]["lines"], 6);

    let diff = d.run(&[
        "clean",
        "two.txt",
        "--split-on",
        "^<<<END>>>$",
        "--diff",
        "--color",
        "never",
    ]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stdout
            .contains("@@ -1,6 +1,3 @@\n Rates rose again on Tuesday, the central bank said in a statement.\n-Advertisement\n <<<END>>>\n-\n-Advertisement\n The council"),
        "{}",
        diff.stdout
    );

    let explain = d.run(&["explain", "two.txt", "--split-on", "^<<<END>>>$"]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(
        explain.stdout.contains("    3 = <<<END>>>\n"),
        "{}",
        explain.stdout
    );
    assert!(
        explain.stdout.contains("    5 - Advertisement\n"),
        "{}",
        explain.stdout
    );

    let stats = d.run(&["clean", "two.txt", "--split-on", "^<<<END>>>$", "--stats"]);
    assert!(
        stats.stderr.contains("1 file (2 documents) (1 changed)"),
        "{}",
        stats.stderr
    );
}

#[test]
fn a_separator_regex_must_compile_and_not_match_blank_lines() {
    let d = Dir::new();
    d.write("a.txt", "One.\n");
    let r = d.run(&["clean", "a.txt", "--split-on", "^("]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--split-on \"^(\": invalid regex"),
        "{}",
        r.stderr
    );
    let r = d.run(&["clean", "a.txt", "--split-on", r"^\s*$"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("matches an empty line"), "{}", r.stderr);
    let r = d.run(&["clean", "--jsonl", "a.txt", "--split-on", "x"]);
    assert_eq!(r.code, 2, "--jsonl splits by record: {}", r.stderr);
}

#[test]
fn corpus_mode_counts_each_document() {
    let d = Dir::new();
    // The same footer line in three documents of one file: with the file split, it recurs in
    // three documents and corpus mode drops it.
    let page = |n: &str| {
        format!(
            "The council met on Tuesday and agreed the plan for school number {n}, officials \
             said.\nAll rights reserved by the Daily Example group\n"
        )
    };
    let text = format!("{}---\n{}---\n{}", page("one"), page("two"), page("three"));
    d.write("in/all.txt", &text);
    d.write("in/other.txt", page("four"));
    let r = d.run(&[
        "corpus-stats",
        "in",
        "--split-on",
        "^---$",
        "-o",
        "table.tsv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("counted 4 documents"), "{}", r.stderr);
    let r = d.run(&[
        "clean",
        "in",
        "--split-on",
        "^---$",
        "--corpus",
        "-o",
        "out",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = d.read("out/all.txt");
    assert!(!out.contains("All rights reserved"), "{out}");
    assert_eq!(out.matches("---\n").count(), 2, "{out}");
    assert!(out.contains("school number three"), "{out}");
}
