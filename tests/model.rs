//! The line model from the command line: `thresh train` on a labelled folder, `--model` and
//! `--ignore model`, and the errors a user meets.

use crate::util::Dir;

/// A small labelled set: pages of four sites, each an article between a menu and an appeal.
fn labelled(d: &Dir) {
    let topics = [
        (
            "council",
            "The council met on Monday and voted to fund twelve new schools across the city.",
        ),
        (
            "harbour",
            "The harbour reopened on Tuesday after a week of repairs to the old sea wall.",
        ),
        (
            "library",
            "The library will open on Sundays from March, the city's culture office said.",
        ),
        (
            "rail",
            "Rail services between the two towns resume next week after the bridge inspection.",
        ),
        (
            "market",
            "Traders at the covered market said rents had doubled since the renovation.",
        ),
        (
            "museum",
            "The museum's new wing shows three centuries of maritime maps and charts.",
        ),
        (
            "park",
            "The park's lake will be drained in autumn so that the reeds can be cleared.",
        ),
        (
            "school",
            "Parents asked the school board to keep the music classes it planned to cut.",
        ),
    ];
    let mut manifest = String::new();
    for (n, (id, lead)) in topics.iter().enumerate() {
        let body = format!(
            "{lead} Officials said the plan had been debated for more than a year before the \
             vote.\nResidents who spoke at the meeting said they welcomed the decision but \
             wanted the work to start sooner.\n"
        );
        let page = format!(
            "Home\nNews\nSport\nWeather\n{body}Subscribe to our newsletter\nShare this \
             article\nMost read\nSign up for our daily email and never miss a story\n"
        );
        d.write(&format!("set/input/{id}.txt"), page);
        d.write(&format!("set/gold/{id}.txt"), body);
        manifest.push_str(&format!(
            "{{\"id\": \"{id}\", \"host\": \"site{}.example\"}}\n",
            n % 4
        ));
    }
    d.write("set/manifest.jsonl", manifest);
}

#[test]
fn train_writes_a_model_that_clean_and_explain_use() {
    let d = Dir::new();
    labelled(&d);
    let r = d.run(&[
        "train", "set", "--folds", "2", "-o", "my.model", "--bits", "12", "-j", "1",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Cross-validation, 2 folds by site (4 sites)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("set"), "{}", r.stdout);
    let first = std::fs::read(d.join("my.model")).unwrap();
    // The same pages and options give the same bytes, at any thread count.
    let r = d.run(&[
        "train",
        "set",
        "--folds",
        "2",
        "-o",
        "again.model",
        "--bits",
        "12",
        "-j",
        "2",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "-q prints nothing: {}", r.stdout);
    assert_eq!(first, std::fs::read(d.join("again.model")).unwrap());

    let r = d.run(&["clean", "set/input/council.txt", "--model", "my.model"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("The council met on Monday"),
        "{}",
        r.stdout
    );
    let r = d.run(&[
        "explain",
        "set/input/council.txt",
        "--model",
        "my.model",
        "--color",
        "never",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("The council met on Monday"),
        "{}",
        r.stdout
    );
}

#[test]
fn ignore_model_runs_the_rules_and_heuristics_alone() {
    let d = Dir::new();
    labelled(&d);
    // A model trained with thresholds of 1 drops every line it decides: with --ignore model
    // the page comes through as the rules leave it.
    let r = d.run(&[
        "train",
        "set",
        "--folds",
        "0",
        "--threshold",
        "1",
        "--prose-threshold",
        "1",
        "-o",
        "all.model",
        "--bits",
        "12",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let with = d.run(&[
        "clean",
        "set/input/harbour.txt",
        "--model",
        "all.model",
        "--stats",
    ]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(
        !with.stdout.contains("The harbour reopened"),
        "{}",
        with.stdout
    );
    assert!(with.stderr.contains("model/line"), "{}", with.stderr);
    let without = d.run(&[
        "clean",
        "set/input/harbour.txt",
        "--model",
        "all.model",
        "--ignore",
        "model",
    ]);
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert!(
        without.stdout.contains("The harbour reopened"),
        "{}",
        without.stdout
    );
}

#[test]
fn bad_model_files_and_folders_are_named_in_errors() {
    let d = Dir::new();
    d.write("page.txt", "Some text here for the test.\n");
    d.write("bad.model", "not a model at all");
    let r = d.run(&["clean", "page.txt", "--model", "bad.model"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.model: not a thresh line model"),
        "{}",
        r.stderr
    );
    let r = d.run(&["clean", "page.txt", "--model", "missing.model"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.model"), "{}", r.stderr);

    d.write("lonely/input/a.txt", "A page.\n");
    let r = d.run(&["train", "lonely", "-o", "x.model"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no gold for this page"), "{}", r.stderr);
    let r = d.run(&["train", "nowhere", "-o", "x.model"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
    let r = d.run(&["train", "lonely", "--folds", "0"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nothing to do"), "{}", r.stderr);
    assert!(!d.join("x.model").exists(), "no model written on error");
}

#[test]
fn train_reports_a_standard_output_that_cannot_be_written() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let d = Dir::new();
    labelled(&d);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["train", "set", "--folds", "2", "--bits", "12", "-j", "1"])
        .current_dir(d.path())
        .stdout(std::fs::File::create(full).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
