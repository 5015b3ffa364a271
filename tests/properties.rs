//! Property tests (proptest): for arbitrary text, biased toward the shapes of scraped pages,
//! and arbitrary rule selections, cleaning never panics, has the documented output shape, only
//! drops lines or applies the documented edits, is idempotent, and the CLI writes the same
//! files at any thread count.
//!
//! Compiling a rule set takes about half a second in a debug build, too slow to do per case,
//! so selections come from a pool of random subsets of rule ids, families and heuristic ids
//! (drawn once from a fixed seed, each compiled on first use and shared by every property).
//! What these found is kept as tests in `tests/regression.rs`.

use std::collections::HashMap;
use std::fs;
use std::sync::{Arc, LazyLock, Mutex};

use proptest::prelude::*;
use proptest::test_runner::Config;
use thresh::repair::RepairOptions;
use thresh::rules::Kind;
use thresh::{Pipeline, RuleSet};

use crate::util::Dir;

/// Cases per property: moderate in a debug build, more when optimized.
const CASES: u32 = if cfg!(debug_assertions) { 128 } else { 512 };

/// Selections in the pool (index 0 is the default: everything).
const POOL: usize = if cfg!(debug_assertions) { 12 } else { 32 };

/// `cases`, or `PROPTEST_CASES` when set (for a longer run).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        // Failures are reported with their shrunk input; known ones live in regression.rs.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Rule selections

/// A selection: `--select` and `--ignore` lists (an empty select list means everything).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
    /// Every repair on (`--strip-tags`, `--nfkc`, ASCII dashes and ellipsis) instead of the
    /// defaults.
    every_repair: bool,
}

impl Selection {
    fn args(&self) -> Vec<String> {
        let mut a = Vec::new();
        if !self.select.is_empty() {
            a.push(format!("--select={}", self.select.join(",")));
        }
        if !self.ignore.is_empty() {
            a.push(format!("--ignore={}", self.ignore.join(",")));
        }
        if self.every_repair {
            for f in [
                "--strip-tags",
                "--nfkc",
                "--dashes=ascii",
                "--ellipsis=ascii",
            ] {
                a.push(f.to_string());
            }
        }
        a
    }
}

/// Every selector a user can write: rule ids, families, heuristic ids, `heuristic`.
fn selectors() -> Vec<String> {
    let rules = RuleSet::builder().build().expect("built-in rules");
    let mut v: Vec<String> = rules.rules().iter().map(|r| r.id().to_string()).collect();
    for r in rules.rules() {
        let f = r.family().to_string();
        if !v.contains(&f) {
            v.push(f);
        }
    }
    v.extend(thresh::heuristics::ids().map(str::to_string));
    v.push("heuristic".to_string());
    v
}

/// The pool of selections, drawn with a fixed-seed xorshift so runs are reproducible.
static SELECTIONS: LazyLock<Vec<Selection>> = LazyLock::new(|| {
    let all = selectors();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut pool = vec![Selection {
        select: Vec::new(),
        ignore: Vec::new(),
        every_repair: false,
    }];
    while pool.len() < POOL {
        let mut pick = |per_mille: u64| -> Vec<String> {
            all.iter()
                .filter(|_| next() % 1000 < per_mille)
                .cloned()
                .collect()
        };
        let select = if pool.len() % 3 == 0 {
            Vec::new()
        } else {
            pick(300)
        };
        let ignore = pick(100);
        pool.push(Selection {
            select,
            ignore,
            every_repair: pool.len() % 4 == 1,
        });
    }
    pool
});

/// Compiled pipelines, by selection.
static PIPELINES: LazyLock<Mutex<HashMap<usize, Arc<Pipeline>>>> = LazyLock::new(Default::default);

fn pipeline(index: usize) -> Arc<Pipeline> {
    let key = index;
    if let Some(p) = PIPELINES.lock().unwrap().get(&key) {
        return Arc::clone(p);
    }
    let sel = &SELECTIONS[index];
    let mut b = RuleSet::builder();
    b.select(sel.select.iter().cloned())
        .ignore(sel.ignore.iter().cloned());
    let rules = b
        .build()
        .unwrap_or_else(|e| panic!("selection {sel:?} does not build: {e}"));
    let repair = if sel.every_repair {
        every_repair()
    } else {
        RepairOptions::default()
    };
    let p = Arc::new(Pipeline::with_repair(rules, repair));
    PIPELINES
        .lock()
        .unwrap()
        .entry(key)
        .or_insert_with(|| Arc::clone(&p));
    p
}

fn selection() -> impl Strategy<Value = usize> {
    0..POOL
}

// ---------------------------------------------------------------------------------------------
// Text generators

const WORDS: &[&str] = &[
    "rates",
    "rose",
    "again",
    "on",
    "Tuesday",
    "the",
    "central",
    "bank",
    "said",
    "in",
    "a",
    "statement",
    "governor",
    "would",
    "act",
    "if",
    "needed",
    "market",
    "prices",
    "fell",
    "Kyiv",
    "council",
    "vote",
    "Monday",
    "Україна",
    "підписала",
    "угоду",
    "газу",
    "зиму",
    "міністерство",
    "Правительство",
    "заявило",
    "café",
    "crème",
    "naïve",
    "Zürich",
    "über",
    "“quoted”",
    "‘single’",
    "it’s",
    "Russiaʼs",
    "«Україна»",
    "„Genau“",
    "\u{a0}",
    "\u{2009}",
    "😀",
    "👍🏽",
    "🇺🇦",
    "👩‍👩‍👧",
    "—",
    "–",
    "…",
    "ﬁne",
    "ＡＢＣ",
    "²",
    "①",
    "\u{200b}",
    "\u{ad}",
    "\u{feff}",
    "â€™",
    "â€œtestâ€\u{9d}",
    "Ã©",
    "Ã¨",
    "Ð£ÐºÑ€Ð°Ñ—Ð½Ð°",
    "Ã¢â‚¬â„¢",
    "&amp;",
    "&#8217;",
    "&eacute;",
    "&nbsp;",
    "&quot;",
    "&hellip;",
    "&mdash;",
    "&#x27;",
    "&lt;b&gt;",
    "<b>",
    "</p>",
    "a < b",
    "\t",
    "3,054",
    "$41.75",
    "+0.06%",
    "10:45",
    "2025-04-28",
];

const DEBRIS: &[&str] = &[
    "Advertisement",
    "Advertisement:",
    "ADVERTISEMENT",
    "Share",
    "Share this article",
    "Tweet",
    "Поділитися",
    "More on the topic",
    "Related",
    "Read more",
    "Recent news",
    "Subscribe to our newsletter",
    "Home | News | Sport | Business",
    "Kyiv • UNN",
    "• 3054 views",
    "$41.750.06",
    "We use cookies to improve your experience. Accept",
    "Nous utilisons des cookies",
    "Politics",
    "Sociedad",
    "English | Українська | Русский",
    "Photo: Reuters",
    "Support our journalism. Donate",
    "Tags: economy, banks",
    "About the author",
    "Comments",
];

/// Prefixes that `strip-span` rules remove.
const PREFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    "MENAFN - Ukrinform) ",
    "(MENAFN- Jordan Times) ",
];

/// What the Unicode repairs act on, to mix: references, full-width forms, tags, curly
/// quotes, white space, ligatures, decomposed letters and mojibake.
const REPAIR_TOKENS: &[&str] = &[
    "&amp;",
    "&",
    "amp;",
    "＆",
    "＜",
    "＞",
    "&lt;",
    "&gt;",
    "<b>",
    "</b>",
    "b",
    "lt;",
    "＜ｂ＞",
    "&#xFF1C;",
    "&#65286;",
    "&quot;",
    "&nbsp;",
    "&#146;",
    "&#8216;",
    "&rsquo;",
    "&Atilde;",
    "&copy;",
    "‘",
    "’",
    "“",
    "”",
    "„",
    "ʼ",
    "'",
    "\"",
    " ",
    "\t",
    "\u{a0}",
    "\u{2009}",
    "\u{3000}",
    "\u{200b}",
    "\u{ad}",
    "\u{85}",
    "\u{9d}",
    "ﬁ",
    "ｂ",
    "A\u{303}",
    "e\u{301}",
    "Ã©",
    "Ã",
    "Ã ",
    "â€™",
    "â€œ",
    "Ä™",
    "Ð‘",
    "ÃƒÂ©",
    "ï¼†",
    "Î‡",
    "Â",
    "ß",
    "µ",
    "z",
    "s ",
    "voil",
    "Київ",
    "你",
    "…",
    "—",
];

/// A line mixing repair tokens with single characters that mojibake is made of.
fn repair_mix() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(REPAIR_TOKENS).prop_map(str::to_string),
            1 => "[\u{a0}-\u{ff}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]",
        ],
        1..16,
    )
    .prop_map(|v| v.concat())
}

/// A sentence-like line of 1 to 24 words, sometimes ending like a sentence.
fn words_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PREFIXES),
        prop::collection::vec(prop::sample::select(WORDS), 1..24),
        prop::sample::select(&["", ".", ".", "!", "?", ":", ","][..]),
    )
        .prop_map(|(prefix, w, end)| {
            let mut s = prefix.to_string();
            s.push_str(&w.join(" "));
            s.push_str(end);
            s
        })
}

/// A prose line: long enough and ending like a sentence.
fn prose_line() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 10..30).prop_map(|w| {
        let mut s = w.join(" ");
        s.push('.');
        s
    })
}

/// One line of a scraped page (without its line ending).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => words_line(),
        3 => prose_line(),
        3 => (prop::sample::select(PREFIXES), prop::sample::select(DEBRIS))
            .prop_map(|(p, d)| format!("{p}{d}")),
        2 => Just(String::new()),
        1 => prop::sample::select(&["  ", "\t", "\u{a0}", " \u{3000} "][..]).prop_map(str::to_string),
        1 => "[^\r\n\u{2028}\u{2029}]{0,40}",
    ]
}

/// A scraped page: perhaps a `date` header, then lines with mixed line endings.
fn page() -> impl Strategy<Value = String> {
    (
        prop::option::weighted(0.2, Just("date 2025-04-28 ")),
        prop::collection::vec(
            (
                line(),
                prop::sample::select(&["\n", "\n", "\n", "\r\n", "\r"][..]),
            ),
            0..40,
        ),
        any::<bool>(),
    )
        .prop_map(|(header, lines, final_newline)| {
            let mut s = header.unwrap_or("").to_string();
            let n = lines.len();
            for (i, (l, end)) in lines.into_iter().enumerate() {
                s.push_str(&l);
                if i + 1 < n || final_newline {
                    s.push_str(end);
                }
            }
            s
        })
}

/// Any text: mostly page-shaped, sometimes arbitrary characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => page(),
        1 => "\\PC{0,200}",
        1 => any::<String>(),
    ]
}

fn every_repair() -> RepairOptions {
    RepairOptions {
        strip_tags: true,
        nfkc: true,
        dashes_ascii: true,
        ellipsis_ascii: true,
        ..RepairOptions::default()
    }
}

/// Pipelines that only normalize (repairs, NFC, the `replace` rules, white space): with the
/// default repairs and with every repair.
static NORMALIZERS: LazyLock<[Pipeline; 2]> = LazyLock::new(|| {
    let replace: Vec<String> = RuleSet::builder()
        .build()
        .expect("built-in rules")
        .rules()
        .iter()
        .filter(|r| r.kind() == Kind::Replace)
        .map(|r| r.id().to_string())
        .collect();
    [RepairOptions::default(), every_repair()].map(|opts| {
        let rules = RuleSet::builder()
            .select(replace.iter().cloned())
            .build()
            .expect("replace rules");
        Pipeline::with_repair(rules, opts)
    })
});

// ---------------------------------------------------------------------------------------------
// Checks

/// The documented output shape: LF endings, one final newline, no blank line at either end
/// or twice in a row, lines trimmed with single ASCII spaces, NFC.
fn check_shape(out: &str) -> Result<(), TestCaseError> {
    if out.is_empty() {
        return Ok(());
    }
    prop_assert!(out.ends_with('\n'), "no final newline: {out:?}");
    prop_assert!(!out.ends_with("\n\n"), "blank line at the end: {out:?}");
    prop_assert!(!out.starts_with('\n'), "blank line at the start: {out:?}");
    prop_assert!(!out.contains('\r'), "CR in the output: {out:?}");
    prop_assert!(!out.contains("\n\n\n"), "blank run in the output: {out:?}");
    for l in out.lines() {
        prop_assert!(
            !l.starts_with(' ') && !l.ends_with(' ') && !l.contains("  "),
            "spaces not collapsed and trimmed: {l:?}"
        );
        prop_assert!(
            !l.chars().any(|c| c.is_whitespace() && c != ' '),
            "white space other than a space: {l:?}"
        );
        prop_assert!(unicode_normalization::is_nfc(l), "a line not in NFC: {l:?}");
    }
    Ok(())
}

/// Every output line after the header is the text of a kept line, in order, with one blank
/// line standing for a run of blank or dropped-between blank lines; every kept line with text
/// is in the output; a line nobody edited is its input line, byte for byte; and every edit
/// names a repair, a normalizer, or a selected `replace` or `strip-span` rule.
fn check_lines(p: &Pipeline, input: &str) -> Result<(), TestCaseError> {
    let outcome = p.clean(input);
    let out = outcome.text();
    let mut rest: &str = &out;
    if let Some(h) = &outcome.header {
        let first = format!("{h}\n");
        prop_assert!(rest.starts_with(&first), "header {h:?} not first: {out:?}");
        rest = &rest[first.len()..];
    }
    let kept: Vec<&str> = outcome
        .lines
        .iter()
        .filter(|l| l.is_kept_text())
        .map(|l| l.text.as_ref())
        .collect();
    let nonblank: Vec<&str> = rest.lines().filter(|l| !l.is_empty()).collect();
    prop_assert_eq!(&nonblank, &kept, "output lines are not the kept lines");
    for line in &outcome.lines {
        if line.edits.is_empty() {
            prop_assert_eq!(
                line.text.as_ref(),
                &input[line.span.clone()],
                "line {} changed without an edit",
                line.number
            );
        }
        for id in &line.edits {
            let known = id.starts_with("repair/")
                || id.as_ref() == thresh::NFC_ID
                || id.as_ref() == thresh::WHITESPACE_ID
                || p.rules()
                    .get(id)
                    .is_some_and(|r| matches!(r.kind(), Kind::Replace | Kind::StripSpan));
            prop_assert!(known, "line {} edited by {id}", line.number);
        }
        if let Some(d) = line.verdict.dropped() {
            let known = p.rules().get(&d.by).is_some()
                || p.rules().heuristic_enabled(&d.by)
                || (&*d.by == thresh::model::ID && p.model().is_some());
            prop_assert!(
                known,
                "line {} dropped by {} (not selected)",
                line.number,
                d.by
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn cleaning_never_panics_and_has_the_documented_shape(t in text(), sel in selection()) {
        let p = pipeline(sel);
        let out = p.clean(&t).text();
        check_shape(&out)?;
    }

    #[test]
    fn output_lines_are_kept_lines_and_edits_are_named(t in text(), sel in selection()) {
        check_lines(&pipeline(sel), &t)?;
    }

    #[test]
    fn cleaning_is_idempotent(t in text(), sel in selection()) {
        let p = pipeline(sel);
        let once = p.clean(&t).text();
        let twice = p.clean(&once).text();
        prop_assert_eq!(&once, &twice, "cleaning the output changed it");
    }

    #[test]
    fn normalizing_repaired_text_changes_nothing(t in repair_mix()) {
        // With the default repairs and with every repair: a line's repair, NFC, `replace`
        // rules and white space, done again, change nothing; a line separator a repair makes
        // (`&#8233;`, `â€©`) splits the line.
        for norm in NORMALIZERS.iter() {
            for l in &norm.clean(&t).lines {
                prop_assert!(
                    !l.text.contains(['\n', '\r', '\u{2028}', '\u{2029}']),
                    "a line break inside a line: {:?}",
                    l.text
                );
                let again = norm.clean(&l.text);
                let again: Vec<&str> = again.lines.iter().map(|x| x.text.as_ref()).collect();
                prop_assert!(
                    again == [l.text.as_ref()] || (again.is_empty() && l.text.is_empty()),
                    "{t:?} normalized to {:?}, then to {again:?}",
                    l.text
                );
            }
        }
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400),
                                       label in prop::sample::select(
                                           &[None, Some("windows-1251"), Some("latin1"),
                                             Some("shift_jis"), Some("utf-16le"),
                                             Some("utf-16be"), Some("gbk")][..])) {
        match thresh::repair::decode_bytes(&bytes, label) {
            Ok((text, _)) => {
                if label.is_none() && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
                    && let Ok(s) = std::str::from_utf8(&bytes)
                {
                    prop_assert_eq!(text.as_ref(), s, "valid UTF-8 is read as it is");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        // Strict UTF-8: valid UTF-8 without NUL comes back as it is, less a leading BOM.
        let strict = thresh::decode(&bytes);
        if let Ok(s) = std::str::from_utf8(&bytes) && !s.contains('\0') {
            let expected = s.strip_prefix('\u{feff}').unwrap_or(s);
            let got = strict.ok();
            prop_assert_eq!(got.as_deref(), Some(expected));
        } else {
            prop_assert!(strict.is_err());
        }
    }
}

proptest! {
    // Each case runs the binary twice (about a second each in a debug build): few cases, each
    // a folder of many files.
    #![proptest_config(config(if cfg!(debug_assertions) { 6 } else { 24 }))]

    #[test]
    fn cli_output_is_the_same_with_one_or_two_threads(
        pages in prop::collection::vec(safe_page_bytes(), 1..40),
        sel in selection(),
    ) {
        let d = Dir::new();
        for (i, p) in pages.iter().enumerate() {
            d.write(&format!("in/{}/{i:03}.txt", i % 3), p);
        }
        let extra = SELECTIONS[sel].args();
        let mut outputs = Vec::new();
        for j in ["1", "2"] {
            let out = format!("out{j}");
            let mut args: Vec<&str> = vec!["clean", "in", "-o", &out, "-j", j, "-q"];
            args.extend(extra.iter().map(String::as_str));
            let r = d.run(&args);
            prop_assert!(r.code == 0 || r.code == 2, "exit {}: {}", r.code, r.stderr);
            outputs.push((r.code, r.stderr, listing(&d.join(&out))));
        }
        prop_assert_eq!(&outputs[0], &outputs[1], "-j 1 and -j 2 differ");
        prop_assert!(!outputs[0].2.is_empty() || outputs[0].0 == 2);
    }
}

/// File contents: pages as UTF-8, sometimes Windows-1252 or with a BOM.
fn safe_page_bytes() -> impl Strategy<Value = Vec<u8>> {
    (text(), 0u8..6).prop_map(|(t, how)| match how {
        0 => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(t.as_bytes());
            b
        }
        1 => encoding_rs::WINDOWS_1252.encode(&t).0.into_owned(),
        _ => t.into_bytes(),
    })
}

/// `(relative path, contents)` of every file under `dir`, sorted.
fn listing(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(entries) = fs::read_dir(&p) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                v.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}
