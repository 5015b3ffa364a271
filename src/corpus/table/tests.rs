use super::*;
use crate::repair::RepairOptions;
use crate::{DocumentKeys, Pipeline, RuleSet};

fn pipeline() -> Pipeline {
    Pipeline::new(RuleSet::builder().build().unwrap())
}

/// The default key spec, computed once (compiling the rules takes a while in debug builds).
fn spec() -> KeySpec {
    static SPEC: std::sync::OnceLock<KeySpec> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| pipeline().key_spec()).clone()
}

fn doc(d: u64, lines: &[u64]) -> DocumentKeys {
    DocumentKeys {
        document: d,
        lines: lines.to_vec(),
    }
}

/// Statistics of documents `ids`, each with keys derived from its id (so parts agree).
fn stats_of(ids: impl IntoIterator<Item = u64>) -> CorpusStats {
    let mut s = CorpusStats::new();
    for id in ids {
        let d = id.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut lines: Vec<u64> = (0..5).map(|j| (id * 7 + j * 13) % 40).collect();
        lines.push(u64::MAX - id % 3);
        lines.sort_unstable();
        lines.dedup();
        s.add(&doc(d, &lines));
    }
    s
}

fn to_text(stats: &CorpusStats, min_count: u32) -> String {
    let (out, _) = write(stats, &spec(), min_count, Vec::new()).unwrap();
    String::from_utf8(out).unwrap()
}

fn read(text: &str) -> Result<(TableHeader, CorpusStats), TableError> {
    TableReader::new(text.as_bytes())?.into_stats(true)
}

fn merge_texts(texts: &[&str], min_count: u32) -> Result<(String, Merged), MergeError> {
    let readers = texts
        .iter()
        .enumerate()
        .map(|(index, t)| {
            TableReader::new(t.as_bytes()).map_err(|error| MergeError::Input { index, error })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (out, m) = merge(readers, min_count, Vec::new())?;
    Ok((String::from_utf8(out).unwrap(), m))
}

#[test]
fn round_trip_is_exact_and_canonical() {
    let stats = stats_of(0..50);
    let text = to_text(&stats, 1);
    let (header, back) = read(&text).unwrap();
    assert_eq!(back, stats);
    assert_eq!(header.spec, spec());
    assert_eq!(header.min_count, 1);
    assert!(header.mismatch(&spec()).is_none());
    assert_eq!(to_text(&back, 1), text, "write(read(t)) == t");
    // Another order of adding gives the same bytes.
    assert_eq!(to_text(&stats_of((0..50).rev()), 1), text);
    assert!(text.starts_with("thresh-corpus-stats 1\n# "), "{text}");
    assert!(text.ends_with(&format!(
        "end documents 50 keys {} overcounted 0\n",
        stats.keys()
    )));
}

#[test]
fn reading_only_to_clean_keeps_counts_and_the_number_of_documents() {
    let stats = stats_of(0..20);
    let text = to_text(&stats, 1);
    let (_, lean) = TableReader::new(text.as_bytes())
        .unwrap()
        .into_stats(false)
        .unwrap();
    assert_eq!(lean.documents(), 20);
    assert_eq!(lean.document_hashes().count(), 0);
    for (k, n) in stats.counts() {
        assert_eq!(lean.count(k), n);
    }
    assert!(
        write(&lean, &spec(), 1, Vec::new()).is_err(),
        "a complete table needs the hashes"
    );
    assert_eq!(to_text(&lean, 2), to_text(&stats, 2));
}

#[test]
fn empty_statistics_make_a_valid_table() {
    let text = to_text(&CorpusStats::new(), 1);
    let (_, back) = read(&text).unwrap();
    assert_eq!((back.documents(), back.keys()), (0, 0));
    assert!(text.ends_with("min-count 1\nend documents 0 keys 0 overcounted 0\n"));
}

#[test]
fn merging_disjoint_parts_gives_the_table_of_the_whole() {
    let whole = to_text(&stats_of(0..90), 1);
    let a = to_text(&stats_of(0..30), 1);
    let b = to_text(&stats_of(30..60), 1);
    let c = to_text(&stats_of(60..90), 1);
    let (abc, m) = merge_texts(&[&a, &b, &c], 1).unwrap();
    assert_eq!(abc, whole);
    assert_eq!(m.shared, 0);
    assert!(m.examples.is_empty());
}

#[test]
fn merging_is_associative_and_order_independent_byte_for_byte() {
    // Overlapping parts, so shared documents and overcounts are part of what must agree.
    let a = to_text(&stats_of(0..40), 1);
    let b = to_text(&stats_of(30..70), 1);
    let c = to_text(&stats_of((60..100).chain(5..8)), 1);
    let m = |x: &str, y: &str| merge_texts(&[x, y], 1).unwrap().0;
    let left = m(&m(&a, &b), &c);
    let right = m(&a, &m(&b, &c));
    assert_eq!(left, right);
    for order in [[&a, &b, &c], [&c, &b, &a], [&b, &c, &a]] {
        let texts: Vec<&str> = order.iter().map(|s| s.as_str()).collect();
        assert_eq!(merge_texts(&texts, 1).unwrap().0, left);
    }
    assert_eq!(m(&m(&c, &a), &b), left);
    // 10 shared by a and b, 10 by b and c, 3 by a and c.
    let (_, merged) = merge_texts(&[&a, &b, &c], 1).unwrap();
    assert_eq!(merged.shared, 23);
    assert_eq!(merged.trailer.overcounted, 23);
    assert_eq!(merged.trailer.documents, 100);
    assert!(left.ends_with(" overcounted 23\n"), "{left}");
    // The sums equal CorpusStats::merge of the same parts.
    let mut s = stats_of(0..40);
    s.merge(stats_of(30..70));
    s.merge(stats_of((60..100).chain(5..8)));
    assert_eq!(to_text(&s, 1), left);
}

#[test]
fn a_pruned_table_keeps_frequent_keys_and_cannot_be_merged() {
    let stats = stats_of(0..60);
    let full = to_text(&stats, 1);
    let pruned = to_text(&stats, 3);
    assert!(!pruned.contains("\nd "), "no document hashes");
    assert!(pruned.contains("min-count 3\n"));
    assert!(pruned.len() < full.len());
    let (h, p) = read(&pruned).unwrap();
    assert_eq!(h.min_count, 3);
    assert_eq!(p.documents(), 60);
    for (k, n) in stats.counts() {
        assert_eq!(p.count(k), if n >= 3 { n } else { 0 });
    }
    // Pruning while merging gives the same bytes as pruning the whole.
    assert_eq!(merge_texts(&[&full], 3).unwrap().0, pruned);
    match merge_texts(&[&full, &pruned], 1) {
        Err(MergeError::Input { index: 1, error }) => {
            assert_eq!(error.line, h.min_count_line());
            assert!(error.message.contains("pruned to min-count 3"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_truncation_of_a_table_is_an_error() {
    let text = to_text(&stats_of(0..6), 1);
    for cut in 0..text.len() {
        let r = read(&text[..cut]);
        assert!(r.is_err(), "a table cut at byte {cut} was accepted");
    }
    assert!(read(&text).is_ok());
}

fn error_of(text: &str) -> TableError {
    read(text).expect_err("an error")
}

#[test]
fn bad_tables_say_where_what_and_what_was_expected() {
    let good = to_text(&stats_of(0..3), 1);
    let lines: Vec<&str> = good.lines().collect();
    let with = |i: usize, line: &str| {
        let mut l = lines.clone();
        l[i] = line;
        l.join("\n") + "\n"
    };
    let cases: Vec<(String, usize, &str)> = vec![
        (
            String::new(),
            1,
            "the file is empty: expected `thresh-corpus-stats 1`",
        ),
        (
            "id\ttext\n".into(),
            1,
            "not a thresh corpus-stats table: the first line is `id\ttext`, expected \
             `thresh-corpus-stats 1`",
        ),
        (
            "\u{1f}\u{8b}\u{8}\0junk\n".into(),
            1,
            "the first line is binary data",
        ),
        (
            with(0, "thresh-corpus-stats 2"),
            1,
            "table format version 2: this thresh reads version 1",
        ),
        (
            with(4, "min-letters three"),
            5,
            "min-letters `three` is not a number",
        ),
        (
            with(4, "min-words 3"),
            5,
            "expected the header line `min-letters N`, found `min-words 3`",
        ),
        (
            with(6, "replace-rules xyz -"),
            7,
            "replace-rules digest `xyz` is not 16 lower-case hex",
        ),
        (
            with(8, "min-count 0"),
            9,
            "min-count `0` is not a number from 1 up",
        ),
        (
            with(9, "d 12345"),
            10,
            "document hash `12345` is not 16 lower-case hex digits",
        ),
        (
            with(9, "d 00000000000000FF"),
            10,
            "is not 16 lower-case hex digits",
        ),
        (with(10, lines[9]), 11, "is listed twice; a table is sorted"),
        (
            with(lines.len() - 2, "k 0000000000000000 1"),
            lines.len() - 1,
            "comes after",
        ),
        (
            with(lines.len() - 2, "k ffffffffffffffff 0"),
            lines.len() - 1,
            "count `0` is not a number from 1",
        ),
        (
            with(lines.len() - 2, "k ffffffffffffffff"),
            lines.len() - 1,
            "count `` is not a number",
        ),
        (
            with(lines.len() - 2, "k ffffffffffffffff 4294967296"),
            lines.len() - 1,
            "is not a number from 1 to 4294967295",
        ),
        (
            with(lines.len() - 2, "x y"),
            lines.len() - 1,
            "expected `d HASH`, `k KEY COUNT` or `end",
        ),
        (
            with(lines.len() - 1, "end documents 3 keys 1 overcounted 0"),
            lines.len(),
            "the `end` line counts 1 keys, but the table has",
        ),
        (
            with(lines.len() - 1, "end documents 4 keys 0 overcounted 0").replace(
                "keys 0",
                &format!(
                    "keys {}",
                    lines.iter().filter(|l| l.starts_with("k ")).count()
                ),
            ),
            lines.len(),
            "counts 4 documents, but the table lists 3",
        ),
        (
            with(lines.len() - 1, "end"),
            lines.len(),
            "expected `end documents N keys N overcounted N`",
        ),
        (
            good.clone() + "k 0000000000000001 1\n",
            lines.len() + 1,
            "after the `end` line",
        ),
        (
            good[..good.len() - 1].to_string(),
            lines.len(),
            "no newline): the table is truncated",
        ),
        (
            lines[..lines.len() - 1].join("\n") + "\n",
            lines.len(),
            "without its `end` line: the table is truncated",
        ),
        (
            lines[..5].join("\n") + "\n",
            6,
            "the file ends in the header: expected `repairs",
        ),
    ];
    for (text, line, want) in cases {
        let e = error_of(&text);
        assert!(
            e.message.contains(want) && e.line == line,
            "for\n{text}\nexpected line {line}: …{want}…\ngot {e}"
        );
    }
    // A `d` line after the keys.
    let mut l = lines.clone();
    let last_k = l.len() - 2;
    l.insert(last_k + 1, "d ffffffffffffffff");
    let e = error_of(&(l.join("\n") + "\n"));
    assert_eq!(e.line, last_k + 2);
    assert!(e.message.contains("all documents come first"), "{e}");
    // Comments in the header are allowed; CRLF line ends too.
    let commented = good.replacen("made-by", "# a note\nmade-by", 1);
    assert!(read(&commented).is_ok());
    assert!(read(&good.replace('\n', "\r\n")).is_ok());
}

#[test]
fn no_panic_on_garbage() {
    let good = to_text(&stats_of(0..4), 1);
    // Every byte flipped in turn: an error or (for a harmless flip) a table, never a panic.
    let bytes = good.as_bytes();
    for i in 0..bytes.len() {
        for x in [0x01u8, 0x20, 0x80] {
            let mut b = bytes.to_vec();
            b[i] ^= x;
            let _ = TableReader::new(&b[..]).and_then(|r| r.into_stats(false));
        }
    }
}

#[test]
fn key_specs_record_what_keys_depend_on() {
    let base = spec();
    assert_eq!(base.key, KEY);
    assert_eq!(
        base.repairs,
        [
            "entities",
            "mojibake",
            "invisible",
            "ligatures",
            "fullwidth"
        ]
    );
    assert_eq!(
        base.replace_rules,
        ["quotes/curly-double", "quotes/curly-single"]
    );
    assert_eq!(base, spec(), "deterministic");
    let header = read(&to_text(&CorpusStats::new(), 1)).unwrap().0;

    let settings = include_str!("../../../rules/heuristics/settings.toml");
    assert!(settings.contains("min-letters = "));
    let changed = settings
        .lines()
        .map(|l| match l.starts_with("min-letters") {
            true => "min-letters = 9",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p = Pipeline::new(
        RuleSet::builder()
            .settings_source("s.toml", changed)
            .build()
            .unwrap(),
    );
    let m = header.mismatch(&p.key_spec()).unwrap();
    assert_eq!(
        (m.field, m.line, m.expected.as_str()),
        ("min-letters", 5, "9")
    );

    let nfkc = RepairOptions {
        nfkc: true,
        ..RepairOptions::default()
    };
    let p = Pipeline::with_repair(RuleSet::builder().build().unwrap(), nfkc);
    let m = header.mismatch(&p.key_spec()).unwrap();
    assert_eq!((m.field, m.line), ("repairs", 6));
    assert!(m.expected.ends_with(" nfkc"), "{m:?}");

    let p = Pipeline::new(RuleSet::builder().ignore(["quotes"]).build().unwrap());
    let m = header.mismatch(&p.key_spec()).unwrap();
    assert_eq!((m.field, m.line), ("replace-rules", 7));
    assert!(m.expected.ends_with(" -"), "{m:?}");
    // Other selections leave keys alone.
    let p = Pipeline::new(RuleSet::builder().ignore(["cookie"]).build().unwrap());
    assert_eq!(header.mismatch(&p.key_spec()), None);
}

#[test]
fn the_probe_catches_a_normalization_the_other_fields_miss() {
    let mut other = spec();
    other.probe ^= 1;
    let header = read(&to_text(&CorpusStats::new(), 1)).unwrap().0;
    let m = header.mismatch(&other).unwrap();
    assert_eq!((m.field, m.line), ("probe", 8));
    // And the probe does depend on normalization.
    let dashes = RepairOptions {
        dashes_ascii: true,
        ..RepairOptions::default()
    };
    let p = Pipeline::with_repair(RuleSet::builder().build().unwrap(), dashes);
    assert_ne!(p.key_spec().probe, spec().probe);
}

#[test]
fn mismatched_inputs_are_refused_by_merge() {
    let a = to_text(&stats_of(0..3), 1);
    let b = a.replace("min-letters ", "min-letters 1");
    match merge_texts(&[&a, &b], 1) {
        Err(MergeError::Mismatch { index: 1, mismatch }) => {
            assert_eq!(mismatch.field, "min-letters");
            assert_eq!(mismatch.line, 5);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_table_pruned_above_min_files_is_refused_for_cleaning() {
    let stats = stats_of(0..10);
    let p = pipeline();
    let min_files = p.rules().settings().corpus.min_files;
    let ok = read(&to_text(&stats, min_files)).unwrap().0;
    assert_eq!(p.table_mismatch(&ok), None);
    let pruned = read(&to_text(&stats, min_files + 1)).unwrap().0;
    let m = p.table_mismatch(&pruned).unwrap();
    assert_eq!((m.field, m.line), ("min-count", 9));
    assert_eq!(m.expected, format!("{min_files} or less"));
}

#[test]
fn statistics_read_from_a_table_can_be_added_to() {
    let mut back = read(&to_text(&stats_of(0..10), 1)).unwrap().1;
    let mut more = stats_of(0..10);
    let extra = doc(77, &[1, 1000]);
    back.add(&extra);
    more.add(&extra);
    assert_eq!(back, more);
    assert_eq!(back.count(1000), 1);
}
