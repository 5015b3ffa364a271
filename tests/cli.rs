//! The `thresh` binary as a user runs it: modes, files on disk, exit codes and messages.

use std::fs;

use crate::util::{Dir, root};

const PAGE: &str = "Share\nRates rose again on Tuesday, the central bank said in a statement.\nAdvertisement:\n“We will act,” the governor said on Tuesday evening.\n";
const CLEAN: &str = "Rates rose again on Tuesday, the central bank said in a statement.\n\"We will act,\" the governor said on Tuesday evening.\n";

#[test]
fn one_file_to_stdout() {
    let d = Dir::new();
    d.write("page.txt", PAGE);
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, r.stdout);
    assert_eq!(d.read("page.txt"), PAGE, "input untouched");
}

#[test]
fn stdin_to_stdout() {
    let d = Dir::new();
    let r = d.run_stdin(&["clean", "-"], PAGE.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, r.stdout);
}

#[test]
fn folder_to_output_folder_mirrors_paths() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write("in/sub/deeper/b.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, d.read("out/a.txt"));
    eqnice!(CLEAN, d.read("out/sub/deeper/b.txt"));
    assert_eq!(d.read("in/a.txt"), PAGE, "inputs untouched");
    assert!(r.stderr.contains("cleaned 2 files"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn many_files_report_in_order_across_chunks() {
    // More files than one chunk (4,096) of the clean loop: reports stay in input order and
    // the totals count every file.
    let d = Dir::new();
    let n: usize = 4_200;
    for i in 0..n {
        let text = if i % 3 == 0 { PAGE } else { CLEAN };
        d.write(&format!("in/{i:05}.txt"), text);
    }
    let r = d.run(&["clean", "in", "--check", "-j", "2"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let expected: String = (0..n)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("would change: in/{i:05}.txt\n"))
        .collect();
    eqnice!(expected, r.stdout);
    assert!(
        r.stderr.contains(&format!(
            "checked {n} files: {} would change",
            n.div_ceil(3)
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn quiet_prints_nothing_on_success() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "out", "-q"]);
    assert_eq!((r.code, r.stderr.as_str(), r.stdout.as_str()), (0, "", ""));
}

#[test]
fn seeds_match_fixtures_through_the_binary() {
    let d = Dir::new();
    let seeds = root().join("seeds");
    let out = d.join("cleaned");
    let r = d.run(&[
        "clean",
        seeds.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for e in fs::read_dir(root().join("fixtures/seeds")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap();
        eqnice!(
            fs::read_to_string(&p).unwrap(),
            d.read(&format!("cleaned/{name}")),
            "{name}"
        );
    }
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let d = Dir::new();
    let fixtures = root().join("fixtures");
    let seeds = root().join("seeds");
    for j in ["1", "2"] {
        let out = format!("out{j}");
        let r = d.run(&[
            "clean",
            seeds.to_str().unwrap(),
            fixtures.to_str().unwrap(),
            "-o",
            &out,
            "-j",
            j,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let listing = |dir: &str| {
        let mut v: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![d.join(dir)];
        while let Some(p) = stack.pop() {
            for e in fs::read_dir(&p).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(d.join(dir)).unwrap().display().to_string();
                    v.push((rel, fs::read(&p).unwrap()));
                }
            }
        }
        v.sort();
        v
    };
    let (a, b) = (listing("out1"), listing("out2"));
    assert!(a.len() > 20);
    assert!(a == b, "-j 1 and -j 2 wrote different files");
}

#[test]
fn in_place_rewrites_changed_files_and_keeps_permissions() {
    let d = Dir::new();
    let dirty = d.write("docs/dirty.txt", PAGE);
    let clean = d.write("docs/clean.txt", CLEAN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&dirty, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    let r = d.run(&["clean", "docs", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, d.read("docs/dirty.txt"));
    eqnice!(CLEAN, d.read("docs/clean.txt"));
    assert_eq!(
        fs::metadata(&clean).unwrap().modified().unwrap(),
        before,
        "unchanged file not rewritten"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&dirty).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    let leftovers: Vec<_> = fs::read_dir(d.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".thresh-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn folder_without_a_destination_is_an_error() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    let r = d.run(&["clean", "in"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "thresh: in: is a folder: choose -o DIR to write cleaned copies, --in-place to rewrite its files, or --check / --diff to see what would change\n"
    );
    let r = d.run(&["clean", "in/a.txt", "in/a.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("several inputs: choose -o DIR"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write("in/b.txt", b"Good start\n\xC3\x28 broken\n");
    d.write("in/c.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("in/b.txt: invalid UTF-8 at byte 11 and the encoding could not be detected with confidence: pass --encoding NAME"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 failed"), "{}", r.stderr);
    eqnice!(CLEAN, d.read("out/a.txt"));
    eqnice!(CLEAN, d.read("out/c.txt"));
    assert!(!d.join("out/b.txt").exists(), "no output for a failed file");
}

#[test]
fn two_inputs_for_one_output_path_are_refused() {
    let d = Dir::new();
    d.write("a/x.txt", PAGE);
    d.write("b/x.txt", PAGE);
    let r = d.run(&["clean", "a", "b", "-o", "out"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("b/x.txt: skipped: its output out/x.txt is already written for a/x.txt"),
        "{}",
        r.stderr
    );
    eqnice!(CLEAN, d.read("out/x.txt"));
}

#[test]
fn missing_input_is_an_error() {
    let d = Dir::new();
    let r = d.run(&["clean", "nope.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "thresh: nope.txt: no such file or folder\n");
}

#[test]
fn stdin_cannot_go_to_a_folder() {
    let d = Dir::new();
    let r = d.run_stdin(&["clean", "-", "-o", "out"], b"x\n");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("standard input is cleaned to standard output"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_naming_a_file_is_an_error() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write("out", "a file");
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("-o out: exists and is not a folder"),
        "{}",
        r.stderr
    );
    assert_eq!(d.read("out"), "a file");
}

#[test]
fn output_inside_the_input_is_never_walked() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "in/cleaned"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&["clean", "in", "-o", "in/cleaned"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("cleaned 1 file "), "{}", r.stderr);
    assert!(!d.join("in/cleaned/cleaned").exists());
    let r = d.run(&["clean", "in", "-o", "in"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is also an input folder"), "{}", r.stderr);
}

#[test]
fn hidden_and_ignored_files_are_skipped_unless_asked() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write("in/.hidden.txt", PAGE);
    d.write("in/.gitignore", "skip/\n");
    d.write("in/skip/b.txt", PAGE);
    d.write("in/notes.md", PAGE);
    d.write("in/.hidden/c.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "o1", "--glob", "*.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(d.join("o1/a.txt").exists());
    assert!(!d.join("o1/.hidden.txt").exists());
    assert!(!d.join("o1/skip/b.txt").exists());
    assert!(!d.join("o1/notes.md").exists(), "--glob filters");
    let r = d.run(&["clean", "in", "-o", "o2", "--no-ignore"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(d.join("o2/.hidden.txt").exists());
    assert!(d.join("o2/skip/b.txt").exists());
    assert!(d.join("o2/notes.md").exists());
    assert!(d.join("o2/.hidden/c.txt").exists());
}

#[test]
fn a_bad_rule_file_stops_the_run_before_any_file_is_touched() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write(
        "myrules/local.toml",
        "description = \"x\"\n\n[[rule]]\nid = \"local/bad\"\nkind = \"drop-line\"\nmatch = \"regex\"\ndescription = \"broken\"\npatterns = ['(unclosed']\n",
    );
    let r = d.run(&["clean", "in", "-o", "out", "--rules", "myrules"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with(
            "thresh: myrules/local.toml:8:13: rule \"local/bad\": invalid regex \"(unclosed\":"
        ),
        "{}",
        r.stderr
    );
    assert!(!d.join("out").exists(), "nothing written");
}

#[test]
fn user_rules_apply() {
    let d = Dir::new();
    d.write(
        "page.txt",
        "Sponsored by ACME\nThe vote is on Monday, officials said.\n",
    );
    d.write(
        "myrules/local.toml",
        "description = \"Local debris.\"\n\n[[rule]]\nid = \"local/sponsor\"\nkind = \"drop-line\"\nmatch = \"phrase\"\ndescription = \"Sponsor lines.\"\npatterns = [\"sponsored by\"]\n",
    );
    let r = d.run(&["clean", "page.txt", "--rules", "myrules", "--no-builtin"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!("The vote is on Monday, officials said.\n", r.stdout);
}

#[test]
fn unknown_selector_is_an_error() {
    let d = Dir::new();
    d.write("page.txt", PAGE);
    let r = d.run(&["clean", "page.txt", "--ignore", "cookies"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("thresh: selector \"cookies\": matches no rule or heuristic"),
        "{}",
        r.stderr
    );
}

#[test]
fn ignore_turns_a_rule_off() {
    let d = Dir::new();
    d.write("page.txt", PAGE);
    let r = d.run(&["clean", "page.txt", "--ignore", "share,ads/label,heuristic"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Share\n"), "{}", r.stdout);
    assert!(r.stdout.contains("Advertisement:\n"), "{}", r.stdout);
}

#[test]
fn explain_names_rule_and_reason() {
    let d = Dir::new();
    d.write("page.txt", PAGE);
    let r = d.run(&["explain", "page.txt", "--only-dropped"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("    1 - Share\n        share/button: "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    3 - Advertisement:\n        ads/label: "),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Rates rose"), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let d = Dir::new();
    assert_eq!(d.run(&["clean", "--no-such-flag"]).code, 2);
    assert_eq!(d.run(&["clean", "x", "-o", "o", "--in-place"]).code, 2);
    // No PATH and standard input not a terminal (here empty): standard input is cleaned.
    let r = d.run(&["clean"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let help = d.run(&["clean", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--in-place"));
    assert_eq!(d.run(&["--version"]).code, 0);
}

#[test]
fn config_is_found_upward_and_flags_win() {
    let d = Dir::new();
    d.write(
        "thresh.toml",
        "[rules]\nignore = [\"share\", \"heuristic\"]\n",
    );
    d.write("work/deep/page.txt", PAGE);
    let r = crate::util::run_in(&d.join("work/deep"), &["clean", "page.txt"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Share\n"),
        "config ignores share: {}",
        r.stdout
    );
    let r = crate::util::run_in(
        &d.join("work/deep"),
        &["clean", "page.txt", "--isolated"],
        None,
    );
    assert!(
        !r.stdout.contains("Share"),
        "--isolated ignores the config: {}",
        r.stdout
    );
    // --select on the command line replaces the file's selection.
    d.write("other.toml", "[rules]\nselect = [\"ads\"]\n");
    let r = d.run(&[
        "clean",
        "work/deep/page.txt",
        "-c",
        "other.toml",
        "--select",
        "share",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Advertisement:"), "{}", r.stdout);
    assert!(!r.stdout.contains("Share"), "{}", r.stdout);
}

#[test]
fn config_rule_dirs_are_relative_to_the_config() {
    let d = Dir::new();
    d.write("proj/.thresh.toml", "[rules]\ndirs = [\"my-rules\"]\n");
    d.write(
        "proj/my-rules/local.toml",
        "description = \"Local.\"\n[[rule]]\nid = \"local/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"Zap\"]\ndescription = \"d\"\n",
    );
    d.write(
        "proj/page.txt",
        "Zap\nThe vote is on Monday, officials said.\n",
    );
    let r = crate::util::run_in(&d.join("proj"), &["clean", "page.txt"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "The vote is on Monday, officials said.\n");
}

#[test]
fn unknown_config_key_is_an_error() {
    let d = Dir::new();
    d.write("thresh.toml", "[rules]\nselct = [\"ads\"]\n");
    d.write("page.txt", PAGE);
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("thresh: ") && r.stderr.contains("thresh.toml:2:1: unknown field `selct`, expected one of `select`, `ignore`, `dirs`, `no-builtin`"),
        "{}",
        r.stderr
    );
    let r = d.run(&["clean", "page.txt", "-c", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "thresh: missing.toml: no such file or folder\n");
}

#[test]
fn rules_list_show_and_test() {
    let d = Dir::new();
    let r = d.run(&["rules", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("cookie/consent-notice") && l.contains("drop-line"))
    );
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("heuristic/footer-zone") && l.contains("heuristic"))
    );
    let r = d.run(&["rules", "list", "--format", "json", "--select", "ads"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ads/inline-label", "ads/label"]);
    let r = d.run(&["rules", "show", "meta/tag-block"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("meta/tag-block (drop-block, rules/meta.toml:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("end: a blank line"), "{}", r.stdout);
    let r = d.run(&["rules", "show", "nope/x"]);
    assert_eq!(r.code, 2);
    let r = d.run(&["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains(" 0 failed"), "{}", r.stdout);
}

#[test]
fn rules_test_names_failing_rules() {
    let d = Dir::new();
    d.write(
        "mine/local.toml",
        "description = \"L.\"\n[[rule]]\nid = \"local/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"Zap\"]\ndescription = \"d\"\n[[rule.example]]\nbefore = \"Zap\\nA.\\n\"\nafter = \"Zap\\nA.\\n\"\n",
    );
    let r = d.run(&["rules", "test", "--rules", "mine", "--no-builtin"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .starts_with("FAIL local/x (mine/local.toml:3) example 1\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  expected:\n    |Zap\n    |A.\n  got:\n    |A.\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("failing rules: local/x\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn config_can_replace_heuristic_settings() {
    let d = Dir::new();
    let builtin = fs::read_to_string(root().join("rules/heuristics/settings.toml")).unwrap();
    d.write(
        "s.toml",
        builtin
            .replace("[header-zone]\n", "[header-zone]\n# none\n")
            .replace("max-words = 4", "max-words = 0"),
    );
    d.write(
        "thresh.toml",
        "[rules]\nignore = [\"share\"]\n[heuristics]\nsettings = \"s.toml\"\n",
    );
    d.write("page.txt", PAGE);
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Share\n"),
        "header zone of 0 words drops nothing: {}",
        r.stdout
    );
    // A file need only hold what it changes; an unknown field is still an error.
    d.write("s.toml", "[prose]\nmin-words = 8\n");
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    d.write("s.toml", "[prose]\nmin-wrods = 8\n");
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("s.toml:2:1: unknown field `min-wrods` in [prose]"),
        "{}",
        r.stderr
    );
}

/// A page of a site whose header carries a line no rule names.
fn site_page(n: usize) -> String {
    let ship = ["Aurora", "Borealis", "Cassiopeia"][n % 3];
    format!(
        "Get the best of the city delivered every week\nThe {ship} docks after the storm\nThe harbour authority said on Monday that the {ship} had docked safely after the storm.\nDock workers unloaded the cargo overnight, and the port reopened to traffic in the morning.\n"
    )
}

#[test]
fn corpus_mode_drops_lines_that_recur_across_files() {
    let d = Dir::new();
    for n in 1..=3 {
        d.write(&format!("site/p{n}.txt"), site_page(n));
    }
    let r = d.run(&["clean", "site", "-o", "plain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        d.read("plain/p1.txt")
            .starts_with("Get the best of the city"),
        "without --corpus the line stays"
    );
    for j in ["1", "2"] {
        let out = format!("corpus{j}");
        let r = d.run(&["clean", "site", "-o", &out, "--corpus", "-j", j]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for n in 1..=3 {
        let a = d.read(&format!("corpus1/p{n}.txt"));
        assert!(
            a.starts_with("The ") && a.contains("docks after the storm\n"),
            "{a}"
        );
        assert_eq!(
            a,
            d.read(&format!("corpus2/p{n}.txt")),
            "-j 1 and -j 2 agree"
        );
    }
    let r = d.run(&["explain", "site/p1.txt"]);
    assert!(
        r.stdout.contains("+ Get the best of the city"),
        "explain has no corpus: {}",
        r.stdout
    );
}

#[test]
fn corpus_mode_counts_identical_files_once() {
    let d = Dir::new();
    for n in 1..=3 {
        d.write(&format!("site/copy{n}.txt"), site_page(7));
    }
    let r = d.run(&["clean", "site", "-o", "out", "--corpus"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        d.read("out/copy1.txt")
            .starts_with("Get the best of the city"),
        "three copies are one document"
    );
}

#[test]
fn corpus_mode_needs_files() {
    let d = Dir::new();
    d.write("page.txt", PAGE);
    for args in [
        &["clean", "page.txt", "--corpus"][..],
        &["clean", "-", "--corpus"][..],
    ] {
        let r = d.run_stdin(args, PAGE.as_bytes());
        assert_eq!(r.code, 2);
        assert!(
            r.stderr.contains("--corpus compares files with each other"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn other_encodings_are_detected_or_named() {
    let d = Dir::new();
    // Windows-1251 Ukrainian, enough text to detect.
    let ukr = "Україна підписала угоду про постачання газу на зиму, повідомило міністерство енергетики.\n";
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(ukr);
    d.write("in/ua.txt", &cp1251[..]);
    // UTF-16 with a byte-order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Rates rose again on Tuesday, the central bank said in a statement.\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    d.write("in/u16.txt", &utf16);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(ukr, d.read("out/ua.txt"));
    eqnice!(
        "Rates rose again on Tuesday, the central bank said in a statement.\n",
        d.read("out/u16.txt")
    );
    // A file too short to detect is read as Windows-1252 by fallback, with a note, or as
    // --encoding says; an unknown label is refused up front.
    d.write(
        "short.txt",
        b"Caf\xE9 au lait, she said, was the best in the whole town.\n",
    );
    let r = d.run(&["clean", "short.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("read as windows-1252"), "{}", r.stderr);
    let r = d.run(&["clean", "short.txt", "--encoding", "latin1"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "Café au lait, she said, was the best in the whole town.\n"
        )
    );
    let r = d.run(&["clean", "in", "-o", "o2", "--encoding", "klingon"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("thresh: --encoding klingon: unknown encoding \"klingon\""),
        "{}",
        r.stderr
    );
    assert!(
        !d.join("o2").exists(),
        "refused before anything was written"
    );
}

#[test]
fn repairs_and_typography_profile() {
    let d = Dir::new();
    let page = "Itâ€™s a â€œtestâ€\u{9d} of caf&eacute; culture\u{200B} — with ﬁne ﬂour…\n";
    d.write("page.txt", page);
    let r = d.run(&["clean", "page.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "It's a \"test\" of café culture — with fine flour…\n"
    );
    let r = d.run(&[
        "clean",
        "page.txt",
        "--quotes",
        "keep",
        "--dashes",
        "ascii",
        "--ellipsis",
        "ascii",
    ]);
    assert_eq!(
        r.stdout,
        "It’s a “test” of café culture - with fine flour...\n"
    );
    let r = d.run(&["explain", "page.txt"]);
    assert!(
        r.stdout.contains(
            "changed by repair/mojibake, repair/entities, repair/invisible, repair/ligatures"
        ),
        "{}",
        r.stdout
    );
    d.write("tags.txt", "<p>Rates rose <b>again</b>, and a < b.</p>\n");
    let r = d.run(&["clean", "tags.txt", "--strip-tags"]);
    assert_eq!(r.stdout, "Rates rose again, and a < b.\n");
    let r = d.run(&["clean", "tags.txt"]);
    assert_eq!(
        r.stdout, "<p>Rates rose <b>again</b>, and a < b.</p>\n",
        "tags stay unless asked"
    );
    d.write("nfkc.txt", "Area: 5 m² and ① item.\n");
    let r = d.run(&["clean", "nfkc.txt", "--nfkc"]);
    assert_eq!(r.stdout, "Area: 5 m2 and 1 item.\n");
    let r = d.run(&["clean", "page.txt", "--stats", "-q"]);
    assert!(r.stderr.contains("repair/mojibake"), "{}", r.stderr);
}

#[test]
fn clean_text_in_many_scripts_comes_through() {
    // Normalization alone (no rules but the quote maps, no heuristics) changes nothing in
    // correctly decoded text of over twenty scripts.
    let d = Dir::new();
    let path = root().join("fixtures/repair/scripts-clean.txt");
    let text = fs::read_to_string(&path).unwrap();
    let r = d.run(&[
        "clean",
        path.to_str().unwrap(),
        "--select",
        "quotes",
        "--quotes",
        "keep",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The documented profile: every white-space character becomes a space.
    let expected: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{}\n", l.trim().replace('\t', " ")))
        .collect::<String>();
    eqnice!(expected.trim_start_matches('\n'), r.stdout);
}

/// Heuristic settings are overridden value by value: a settings file with one table, and
/// `[heuristics.…]` tables in thresh.toml; `rules settings` prints what is in force, and a
/// settings table at the top of thresh.toml is pointed to its place.
#[test]
fn partial_heuristic_settings_and_the_settings_in_force() {
    let d = Dir::new();
    d.write("s.toml", "[corpus]\nmin-files = 2\n");
    d.write(
        "thresh.toml",
        "[heuristics]\nsettings = \"s.toml\"\n\n[heuristics.header-zone]\nmax-words = 3\n",
    );
    let r = d.run(&["rules", "settings"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("[corpus]\nmin-files = 2\nmin-letters = 4\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("[header-zone]\nmax-words = 3\n"),
        "{}",
        r.stdout
    );
    let r = d.run(&["rules", "show", "heuristic/header-zone"]);
    assert!(r.stdout.contains("max-words = 3"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("rules/heuristics/settings.toml"),
        "{}",
        r.stdout
    );
    // The cleaning uses them: a run with the partial file works.
    d.write(
        "in/a.txt",
        "The council met on Monday to vote on the budget for the harbour wall.\n",
    );
    let r = d.run(&["clean", "in", "-o", "out", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    d.write("thresh.toml", "[corpus]\nmin-files = 2\n");
    let r = d.run(&["rules", "settings"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "thresh.toml:1:2: [corpus] is a table of the heuristic settings: write it as \
             [heuristics.corpus] in this file"
        ),
        "{}",
        r.stderr
    );
    d.write("thresh.toml", "[heuristics.corpus]\nmin-flies = 2\n");
    let r = d.run(&["rules", "settings"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("thresh.toml:2:1: unknown field `min-flies` in [corpus], expected one of min-files, min-letters"),
        "{}",
        r.stderr
    );
}

/// Help and small command-line details a new user trips over.
#[test]
fn help_and_command_line_details() {
    let d = Dir::new();
    // Each style option says what it does, once; no shared line repeated under all three.
    let r = d.run(&["clean", "--help"]);
    assert!(!r.stdout.contains("Plain ASCII"), "{}", r.stdout);
    assert!(r.stdout.contains("Dashes: ascii maps"), "{}", r.stdout);
    let r = d.run(&["corpus-stats", "--help"]);
    assert!(!r.stdout.contains("Only clean files"), "{}", r.stdout);
    // explain has a legend and a JSON form.
    let r = d.run(&["explain", "--help"]);
    assert!(
        r.stdout.contains("~ kept, changed by the rules"),
        "{}",
        r.stdout
    );
    d.write(
        "p.txt",
        "Share\nRates rose again on Tuesday, the central bank said in a statement.\n",
    );
    let r = d.run(&["explain", "p.txt", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["verdict"], "dropped");
    assert_eq!(v[0]["rule"], "share/button");
    assert_eq!(v[1]["verdict"], "kept");
    // Standard input without `-`.
    let r = d.run_stdin(
        &["clean"],
        b"Share\nRates rose again on Tuesday, the central bank said.\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Rates rose again on Tuesday, the central bank said.\n"
    );
    // A folder without a destination names every way on.
    d.write(
        "in/a.txt",
        "Rates rose again on Tuesday, the central bank said.\n",
    );
    let r = d.run(&["clean", "in"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("or --check / --diff to see what would change"),
        "{}",
        r.stderr
    );
    // A --glob that matches nothing is an error, not a quiet success.
    let r = d.run(&["clean", "in", "--glob", "*.md", "-o", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--glob *.md matched no file in in"),
        "{}",
        r.stderr
    );
}

/// The pre-commit hooks take only plain-text files unless told otherwise: thresh-fix would
/// strip the indentation of code.
#[test]
fn pre_commit_hooks_default_to_text_files() {
    let hooks = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let blocks: Vec<&str> = hooks.split("\n- id: ").skip(1).collect();
    assert_eq!(blocks.len(), 2, "{hooks}");
    for b in blocks {
        assert!(b.contains("\n  files: \\.txt$"), "no files filter in:\n{b}");
    }
}

/// The config file is found from the inputs' folders, as ruff finds it; inputs under two
/// different config files are refused; --stats says which one was used.
#[test]
fn config_is_found_from_the_inputs() {
    let d = Dir::new();
    let page =
        "Advertisement\nRates rose again on Tuesday, the central bank said in a statement.\n";
    d.write("proj/thresh.toml", "[rules]\nignore = [\"ads\"]\n");
    d.write("proj/in/p.txt", page);
    d.write("other/thresh.toml", "[rules]\n");
    d.write("other/q.txt", page);
    // Run from the top folder, which has no config: the input's own is used.
    let r = d.run(&["clean", "proj/in/p.txt", "--stats"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("ads/label"), "ads ignored: {}", r.stderr);
    assert!(
        r.stderr.contains("config: ") && r.stderr.contains("proj/thresh.toml"),
        "{}",
        r.stderr
    );
    let r = d.run(&["clean", "other/q.txt", "--stats"]);
    assert!(r.stderr.contains("ads/label"), "ads selected: {}", r.stderr);
    let r = d.run(&["clean", "proj/in/p.txt", "other/q.txt", "-o", "out"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("the inputs are under different config files"),
        "{}",
        r.stderr
    );
    // -c chooses one for all.
    let r = d.run(&[
        "clean",
        "proj/in/p.txt",
        "other/q.txt",
        "-o",
        "out",
        "-c",
        "other/thresh.toml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = d.run(&["clean", "proj/in/p.txt", "--isolated", "--stats"]);
    assert!(
        r.stderr.contains("config: none (built-in settings)"),
        "{}",
        r.stderr
    );
}
