//! Tests of [`repair_line`] and the fixtures in `fixtures/repair/`: ftfy's test cases and clean
//! text in many scripts.

use serde::Deserialize;

use super::*;

const FTFY_CASES: &str = include_str!("../../fixtures/repair/ftfy-cases.jsonl");
const SCRIPTS_CLEAN: &str = include_str!("../../fixtures/repair/scripts-clean.txt");

fn repair(s: &str) -> Option<String> {
    repair_line(s, &RepairOptions::default(), &mut Repairs::default())
}

#[derive(Deserialize)]
struct Case {
    source: String,
    label: String,
    check: String,
    input: String,
    expected: String,
    skip: Option<String>,
}

fn ftfy_cases() -> (Vec<Case>, usize) {
    let mut lines = FTFY_CASES.lines();
    let header = lines.next().expect("a header line");
    assert!(header.contains("ftfy 6.1.1") && header.contains("MIT License"));
    let cases: Vec<Case> = lines
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let skipped = cases.iter().filter(|c| c.skip.is_some()).count();
    (cases, skipped)
}

#[test]
fn ftfy_cases_pass() {
    let (cases, skipped) = ftfy_cases();
    let mut failures = Vec::new();
    let mut kept = 0;
    for case in cases.iter().filter(|c| c.skip.is_none()) {
        kept += 1;
        let mut counts = Repairs::default();
        let got = match case.check.as_str() {
            "fix_mojibake" => fix_mojibake(&case.input, &mut counts),
            "decode_entities" => decode_entities(&case.input, &mut counts),
            "repair_line_nfkc" => {
                let opts = RepairOptions {
                    nfkc: true,
                    ..RepairOptions::default()
                };
                repair_line(&case.input, &opts, &mut counts)
            }
            other => panic!("{}: unknown check {other:?}", case.source),
        }
        .unwrap_or_else(|| case.input.clone());
        if got != case.expected {
            failures.push(format!(
                "{} ({}):\n  input    {:?}\n  expected {:?}\n  got      {:?}",
                case.source, case.label, case.input, case.expected, got
            ));
        }
        // Unchanged means nothing was counted, and the other way round.
        assert_eq!(got == case.input, counts.is_empty(), "{}", case.source);
    }
    assert!(
        failures.is_empty(),
        "{} of {kept} ftfy cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 143 cases of test_cases.json and 24 entity cases; see fixtures/repair/README.md.
    assert_eq!((kept, skipped), (126, 41));
}

#[test]
fn ftfy_negative_cases_survive_the_whole_line_repair() {
    // Cases where ftfy changes nothing must survive every default repair too.
    let (cases, _) = ftfy_cases();
    let mut n = 0;
    for case in cases
        .iter()
        .filter(|c| c.skip.is_none() && c.check == "fix_mojibake" && c.input == c.expected)
    {
        let printable = case.input.chars().all(|c| !c.is_control());
        if printable {
            assert_eq!(repair(&case.input), None, "{}", case.source);
            n += 1;
        }
    }
    assert!(n >= 30, "only {n} negative cases");
}

#[test]
fn clean_scripts_are_unchanged() {
    let mut n = 0;
    for line in SCRIPTS_CLEAN.lines() {
        let mut counts = Repairs::default();
        assert_eq!(
            repair_line(line, &RepairOptions::default(), &mut counts),
            None,
            "{line:?}"
        );
        assert!(counts.is_empty(), "{line:?}: {counts:?}");
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn clean_scripts_survive_garbling_round_trip() {
    // Every clean line, encoded as UTF-8 and read as Windows-1252, repairs back to itself
    // wherever Windows-1252 can hold the garbled text.
    for line in SCRIPTS_CLEAN.lines() {
        let (garbled, _, _) = encoding_rs::WINDOWS_1252.decode(line.as_bytes());
        if garbled == line {
            continue;
        }
        let mut counts = Repairs::default();
        let out = fix_mojibake(&garbled, &mut counts);
        assert_eq!(out.as_deref(), Some(line), "{garbled:?}");
        assert!(counts.mojibake > 0);
    }
}

#[test]
fn default_options_are_documented_ones() {
    let o = RepairOptions::default();
    assert!(o.entities && o.mojibake && o.invisible && o.ligatures && o.fullwidth);
    assert!(!o.strip_tags && !o.dashes_ascii && !o.ellipsis_ascii && !o.nfkc);
    let none = RepairOptions::none();
    for line in [
        "Ã©",
        "&amp;",
        "\u{200B}",
        "ﬁ",
        "ＡＢＣ",
        "<p>x</p>",
        "—…",
        "①",
    ] {
        assert_eq!(
            repair_line(line, &none, &mut Repairs::default()),
            None,
            "{line:?}"
        );
    }
}

#[test]
fn repair_line_applies_steps_in_order() {
    // References first, then mojibake: escaped mojibake is repaired.
    assert_eq!(repair("caf&Atilde;&copy;").as_deref(), Some("café"));
    // A reference to a zero-width space is decoded, then removed.
    assert_eq!(repair("a&#8203;b").as_deref(), Some("ab"));
    // Mojibake of a ligature and of full-width text unfolds after repair.
    assert_eq!(repair("signiï¬\u{81}cant").as_deref(), Some("significant"));
    assert_eq!(repair("ï¼¡ï¼¢").as_deref(), Some("AB"));
    // Mojibake of a zero-width space is repaired, then removed.
    assert_eq!(repair("aâ€‹b").as_deref(), Some("ab"));
    // C1 controls that are Windows-1252 become characters; undefined ones are removed.
    assert_eq!(repair("x\u{93}y\u{94}\u{81}").as_deref(), Some("x“y”"));
    // Tags first within a round, so an attribute is read before its references are decoded.
    let tags = RepairOptions {
        strip_tags: true,
        ..RepairOptions::default()
    };
    let mut counts = Repairs::default();
    assert_eq!(
        repair_line(
            "<p title=\"say &quot;hi&quot;\">Hi &amp; bye</p>",
            &tags,
            &mut counts
        )
        .as_deref(),
        Some("Hi & bye")
    );
    assert_eq!((counts.tags, counts.entities), (2, 1));
}

/// Repairs `s` with `opts`, then repairs the result: the second must change nothing.
#[track_caller]
fn repaired_for_good(s: &str, opts: &RepairOptions, want: &str) {
    let once = repair_line(s, opts, &mut Repairs::default());
    assert_eq!(once.as_deref(), Some(want), "{s:?}");
    let again = repair_line(want, opts, &mut Repairs::default());
    assert_eq!(
        again, None,
        "{s:?} repaired to {want:?}, which repairs again"
    );
}

#[test]
fn repair_line_repeats_until_nothing_changes() {
    let opts = RepairOptions::default();
    // A full-width `&` unfolds to a reference, which is decoded in the next round
    // (regression.rs, `repair_fullwidth_ampersand_makes_a_reference`).
    repaired_for_good("＆amp; rates", &opts, "& rates");
    repaired_for_good("Tom ＆amp;＆amp; Jerry", &opts, "Tom && Jerry");
    // Mojibake of a full-width `&`, then the reference it spells, then escaped mojibake.
    repaired_for_good("ï¼†amp;", &opts, "&");
    repaired_for_good("＆Atilde;＆copy;", &opts, "é");
    // A reference to a full-width `&` stays a full-width `&` next to CJK text only.
    repaired_for_good("&#xFF06;lt;", &opts, "<");
    repaired_for_good("你&#xFF06;lt;", &opts, "你＆lt;");
    // Removing a zero-width space or an undefined C1 control joins mojibake.
    repaired_for_good("Ã\u{200B}© and Ð\u{200B}µ", &opts, "é and е");
    repaired_for_good("Ä™\u{9D}b", &opts, "ęb");
    // The `Ã` of a lost `à` after a full-width letter or a ligature.
    repaired_for_good("ｂÃ le", &opts, "bà le");
    let mut counts = Repairs::default();
    repair_line("＆amp;＆lt;", &opts, &mut counts);
    assert_eq!((counts.fullwidth, counts.entities), (2, 2));
}

#[test]
fn strip_tags_strips_markup_however_written() {
    // Escaped and full-width markup is stripped as literal markup is, so that cleaning the
    // result again strips nothing more (regression.rs,
    // `repair_strip_tags_strips_markup_unescaped_by_the_first_pass`).
    let tags = RepairOptions {
        strip_tags: true,
        ..RepairOptions::default()
    };
    repaired_for_good("Use &lt;b&gt;bold&lt;/b&gt; text", &tags, "Use bold text");
    repaired_for_good("Use ＜b＞bold＜/b＞ text", &tags, "Use bold text");
    repaired_for_good("Use &amp;lt;b&amp;gt;bold", &tags, "Use bold");
    repaired_for_good("one&lt;br&gt;two", &tags, "one two");
    repaired_for_good("<p>&lt;i&gt;x&lt;/i&gt;</p>", &tags, "x");
    repaired_for_good("＜Ｂ&gt;x", &tags, "x");
    // What is no tag stays, however written.
    repaired_for_good("a &lt; b and c &gt; d", &tags, "a < b and c > d");
    repaired_for_good("x ＜ y", &tags, "x < y");
    repaired_for_good("Press &lt;Enter&gt;", &tags, "Press <Enter>");
    // Without tag stripping, escaped markup is decoded and kept.
    repaired_for_good(
        "Use &lt;b&gt;bold&lt;/b&gt;",
        &RepairOptions::default(),
        "Use <b>bold</b>",
    );
    let mut counts = Repairs::default();
    repair_line("&lt;b&gt;x&lt;/b&gt;", &tags, &mut counts);
    assert_eq!((counts.entities, counts.tags), (4, 2));
}

#[test]
fn repair_line_optional_steps() {
    let all = RepairOptions {
        strip_tags: true,
        dashes_ascii: true,
        ellipsis_ascii: true,
        nfkc: true,
        ..RepairOptions::default()
    };
    let mut counts = Repairs::default();
    let out = repair_line("<b>2020–2024</b> — wait… x²", &all, &mut counts);
    assert_eq!(out.as_deref(), Some("2020-2024 - wait... x2"));
    assert_eq!(
        (counts.tags, counts.dashes, counts.ellipsis, counts.nfkc),
        (2, 2, 1, 1)
    );
    // Defaults keep dashes, the ellipsis and superscripts.
    assert_eq!(repair("2020–2024 — wait… x²"), None);
}

#[test]
fn repair_line_reports_line_separators() {
    let mut counts = Repairs::default();
    let out = repair_line("one\u{2028}two", &RepairOptions::default(), &mut counts);
    assert_eq!(out.as_deref(), Some("one\ntwo"));
    assert_eq!(counts.line_separators, 1);
}

#[test]
fn repair_line_fast_path() {
    let opts = RepairOptions::default();
    assert!(is_plain(b"plain ascii, with <angles> and tabs\t", &opts));
    assert!(!is_plain(b"a &amp; b", &opts));
    assert!(!is_plain(b"bell \x07", &opts));
    assert!(!is_plain("é".as_bytes(), &opts));
    let tags = RepairOptions {
        strip_tags: true,
        ..opts
    };
    assert!(!is_plain(b"<p>", &tags));
    assert_eq!(repair("AT&T and R&D"), None);
    assert_eq!(repair("a\u{7}b").as_deref(), Some("ab"));
    assert_eq!(repair(""), None);
}

#[test]
fn brief_examples_survive_repair_line() {
    for s in [
        "NESTLÉ®",
        "Ãlvaro",
        "naïve café",
        "The letter Â appears in Romanian.",
        "Україна",
        "Ελληνικά",
        "中文，日本語、한국어",
        "👩\u{200d}👩\u{200d}👧 🇺🇦",
        "می\u{200c}خواهم",
    ] {
        assert_eq!(repair(s), None, "{s:?}");
    }
    for (s, want) in [
        ("â€™", "’"),
        ("Ã©", "é"),
        ("Ð£ÐºÑ€Ð°Ñ—Ð½Ð°", "Україна"),
        ("ÃƒÂ©", "é"),
    ] {
        assert_eq!(repair(s).as_deref(), Some(want), "{s:?}");
    }
}

#[test]
fn repairs_add_up() {
    let mut a = Repairs {
        mojibake: 1,
        tags: 2,
        ..Repairs::default()
    };
    let b = Repairs {
        mojibake: 3,
        nfkc: 1,
        ..Repairs::default()
    };
    a += b;
    assert_eq!((a.mojibake, a.tags, a.nfkc), (4, 2, 1));
    assert_eq!(a.total(), 7);
    assert_eq!((a + b).mojibake, 7);
    assert!(!a.is_empty());
    assert!(Repairs::default().is_empty());
    let names: Vec<_> = a.iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(names, [("mojibake", 4), ("nfkc", 1), ("tags", 2)]);
    assert_eq!(a.iter().count(), Repairs::KINDS.len());
}
