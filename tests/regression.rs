//! Inputs that the fuzz targets (fuzz/), the property tests (tests/properties.rs) and the
//! bad-input suite (tests/bad_input.rs) found to break a documented promise, one test each,
//! with where it was found. Tests of open bugs are ignored with the bug in one line; run them
//! with `cargo test -- --ignored`.

use thresh::repair::RepairOptions;
use thresh::{Pipeline, RuleSet};

use crate::util::Dir;

fn default_pipeline() -> Pipeline {
    Pipeline::new(RuleSet::builder().build().expect("built-in rules"))
}

/// Cleans `text`, then cleans the result: README, "Cleaning cleaned text changes nothing."
fn assert_idempotent(p: &Pipeline, text: &str) {
    let once = p.clean(text).text();
    let twice = p.clean(&once).text();
    eqnice!(
        once,
        twice,
        "cleaning the cleaned text of {text:?} changed it"
    );
}

// --- Positional rules (`within-first`, `within-last`) -----------------------------------------

/// Fuzz target `pipeline` (minimized). `nav/section-label` fires only within the first 10% of
/// the text; the dropped cookie line counts toward that share on the first pass but is gone on
/// the second, so "Sociedad" is kept once, then dropped.
#[test]
fn positional_rule_section_label_fires_only_on_the_second_pass() {
    assert_idempotent(&default_pipeline(), "Nous utilisons des cookies\nSociedad");
}

/// Property `cleaning_is_idempotent` (shrunk). The cut-tail marker "More on the topic" is
/// not within the last half of the prose until a later prose line is dropped.
#[test]
fn positional_rule_tail_marker_fires_only_on_the_second_pass() {
    assert_idempotent(
        &default_pipeline(),
        "rates rates rates rates rates rates rates rates rates rates.\n\
         rates Україна rates rates rates rates rates rates rates rates rates.\n\
         More on the topic\n\
         rates rates rates rates rates rates rates rates rates rates.\n\
         Recent news\n\
         Tuesday rates rates rates rates rates rates міністерство Tuesday rates.",
    );
}

// --- strip-span rules ------------------------------------------------------------------------

/// Fuzz target `pipeline`. `wire/aggregator-prefix` strips "MENAFN - UkrinForm) " but the rest
/// of the line is not matched against the `drop-line` rules again, so the menu row stays in
/// the output and the second clean drops it (`nav/breadcrumb`).
#[test]
fn strip_span_leaves_a_line_that_a_drop_rule_matches() {
    let text = "MENAFN - UkrinForm) Home | News | Sport\n\
                Rates rose again on Tuesday, the central bank said in a statement.\n";
    let p = default_pipeline();
    eqnice!(
        "Rates rose again on Tuesday, the central bank said in a statement.\n",
        p.clean(text).text()
    );
    assert_idempotent(&p, text);
}

// --- Heuristics ------------------------------------------------------------------------------

/// Fuzz target `pipeline` (hand-minimized). `heuristic/inline-teaser` spares the long
/// headline on the first pass, when the lines before it are a link list (dropped by
/// `heuristic/link-list`), and drops it on the second, when prose comes right before it.
#[test]
fn inline_teaser_fires_only_on_the_second_pass() {
    assert_idempotent(
        &default_pipeline(),
        "Residents said the new lanes would remove parking their customers rely on every day.\n\
         The mayor said the\n\
         The city council voted\n\
         Things to Do\n\
         Letters to the editors on the main street had opposed the plan, saying that ordered \
         disc galaxies formed much earlier than most models of the young universe\n\
         The galaxy, nicknamed Zhulong by the team, is roughly the size of the Milky Way and \
         has a bright central bulge.\n\
         The mayor said the lanes would be reviewed after a year, and parking would be added \
         in two new garages.\n",
    );
}

// --- Unicode repair --------------------------------------------------------------------------

/// Found while writing the property generators. `&#8232;` decodes to a line separator,
/// which the repair turns into `\n` inside the line's text (its doc says "split it into
/// lines"; the pipeline does not), so "Share" escapes the share rule on the first pass.
#[test]
fn repair_entity_line_separator_is_not_split_into_lines() {
    let p = default_pipeline();
    let out = p.clean("Rates rose again on Tuesday.&#8232;Share\n").text();
    eqnice!("Rates rose again on Tuesday.\n", out);
    assert_idempotent(&p, "Rates rose again on Tuesday.&#8232;Share\n");
}

/// As above: three paragraph separators make a run of blank lines inside one line, which
/// the output never holds ("runs of blank lines collapsed to one").
#[test]
fn repair_entity_paragraph_separators_make_a_blank_run() {
    let p = default_pipeline();
    let text = "Rates rose again.&#8233;&#8233;&#8233;Second paragraph here.\n";
    let out = p.clean(text).text();
    assert!(!out.contains("\n\n\n"), "a run of blank lines: {out:?}");
    assert_idempotent(&p, text);
}

/// Found while writing the property generators. Full-width forms are unfolded after
/// character references are decoded, so `＆amp;` became `&amp;` on the first pass and `&`
/// on the second (default options). Fixed: `repair_line` repeats its steps until nothing
/// changes.
#[test]
fn repair_fullwidth_ampersand_makes_a_reference() {
    assert_idempotent(&default_pipeline(), "＆amp; rates rose again on Tuesday.\n");
}

/// Found while writing the property generators. With `--strip-tags`, tags were stripped
/// before references were decoded (on purpose: "escaped markup survives as text"), but the
/// second pass then stripped the markup the first pass unescaped. Fixed: with
/// `--strip-tags`, markup is stripped however it is written (literally, with references, in
/// full-width forms), since `repair_line` repeats its steps until nothing changes.
#[test]
fn repair_strip_tags_strips_markup_unescaped_by_the_first_pass() {
    let repair = RepairOptions {
        strip_tags: true,
        ..RepairOptions::default()
    };
    let p = Pipeline::with_repair(RuleSet::builder().build().unwrap(), repair);
    assert_idempotent(
        &p,
        "Use &lt;b&gt;bold&lt;/b&gt; text, the style guide said.\n",
    );
    assert_idempotent(&p, "Use ＜b＞bold＜/b＞ text, the style guide said.\n");
}

/// Fuzz target `pipeline` (hand-minimized). Mojibake is repaired before the `replace` rules
/// map curly quotes; a Windows-1252 `‘` next to mojibake kept the repair from applying on
/// the first pass, and once the quote was `'` the second pass repaired `Ä™` to `ę`. Fixed:
/// mojibake is weighed in segments that such a stray character delimits, so the quote no
/// longer spoils the decision for the text after it.
#[test]
fn repair_mojibake_only_after_the_quotes_are_mapped() {
    assert_idempotent(
        &default_pipeline(),
        "Ports along the coast were closed \u{2018}\u{2018}ßµhursday as a storm brought winds \
         of up to 120 kilometres ajÄ™zyn hour.\n",
    );
}

/// Found by an idempotence sweep over random mixes of references, full-width forms, quotes,
/// white space and mojibake (now the property `normalizing_repaired_text_changes_nothing`),
/// after the three bugs above were fixed: a removed undefined C1 control joining mojibake, a
/// no-break space in mojibake that was kept, `Ã` before a tab, decomposed mojibake, a decoded
/// character that NFC changes, and a no-break space inside a tag.
#[test]
fn repair_sweep_inputs_clean_to_themselves() {
    let p = default_pipeline();
    for x in [
        "Ä™\u{9d}b",
        "™Ð\u{a0}ÃƒÂ©",
        "©Ð‘Ã¯",
        "voilÃ\tle",
        "“Ã perturber la rÃ©flexion",
        "cafA\u{303}©",
        "ÂÎ‡",
        "ﬁ‘Â¼",
    ] {
        assert_idempotent(
            &p,
            &format!("Rates rose again on Tuesday, {x} the bank said.\n"),
        );
    }
    let repair = RepairOptions {
        strip_tags: true,
        ..RepairOptions::default()
    };
    let p = Pipeline::with_repair(RuleSet::builder().build().unwrap(), repair);
    for x in [
        "＜Ｂ&nbsp;&gt;",
        "<b\u{a0}>",
        "&lt;a href=x&nbsp;target=_blank&gt;",
    ] {
        assert_idempotent(
            &p,
            &format!("Rates rose again on Tuesday, {x} the bank said.\n"),
        );
    }
}

// --- The CLI ---------------------------------------------------------------------------------

/// Bad-input suite. Cleaned copies under `-o DIR` were created through a temporary file,
/// which is private (0600), and kept that mode; a copy now takes its source's permissions.
#[cfg(unix)]
#[test]
fn output_copies_get_the_usual_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.write(
        "in/a.txt",
        "Rates rose again on Tuesday, the central bank said.\n",
    );
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // What the umask gives a new file (the test process shares the binary's umask).
    let usual = std::fs::metadata(d.write("probe", "x"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    let mode = std::fs::metadata(d.join("out/a.txt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, usual, "mode {mode:o}, expected {usual:o}");
}

// --- The header ------------------------------------------------------------------------------

/// Fuzz target `pipeline` (all exclusions removed). A control character before `date …` kept
/// the raw first line from reading as a header; the repair removed it, and the second clean
/// lifted the header onto a line of its own. The header is now also looked for in the
/// normalized first line.
#[test]
fn a_header_behind_a_control_character_is_lifted_on_the_first_clean() {
    let p = default_pipeline();
    let text = "\u{5} date 2024-11-19\u{14} Rates rose again on Tuesday, the bank said.\n";
    eqnice!(
        "date 2024-11-19\nRates rose again on Tuesday, the bank said.\n",
        p.clean(text).text()
    );
    assert_idempotent(&p, text);
}

/// Fuzz target `pipeline`. A header line after a blank line (or after lines that are
/// dropped) is the output's first line, where the next clean lifts it: it is lifted from
/// the output's first line on the first clean too.
#[test]
fn a_header_that_becomes_the_first_line_is_lifted_on_the_first_clean() {
    let p = default_pipeline();
    for text in [
        "\n\u{5} date 2024-11-19 Rates rose again on Tuesday, the bank said.\n",
        "Advertisement\ndate 2024-11-19 Rates rose again on Tuesday, the bank said.\n",
    ] {
        eqnice!(
            "date 2024-11-19\nRates rose again on Tuesday, the bank said.\n",
            p.clean(text).text()
        );
        assert_idempotent(&p, text);
    }
}

/// Property `cleaning_is_idempotent` (shrunk by hand). The strip-span rule shortened the
/// MENAFN line in the first clean, but no line was dropped, so no second round ran; the
/// positions of the tail marker "About the author" (measured in prose bytes) moved, and the
/// next clean cut there. A round now follows any edit.
#[test]
fn a_strip_span_edit_moves_a_positional_marker() {
    assert_idempotent(
        &default_pipeline(),
        "rates rates Україна rates rates rates Україна rates rates rates.\n\
         👩‍👩‍👧 needed Україна rates statement rates rates rates rates rates rates rates rates rates rates rates заявило.\n\
         rates rates rates rates rates rates rates rates.\n\
         rates Monday statement rates council 3,054 statement rates rates rates rates rates rates rates.\n\
         needed central міністерство rates rates rates rates rates міністерство rates rates rates rates rates rates rates rates rates needed “quoted” rates central rates rates rates.\n\
         rates rates council Україна rates Tuesday Україна rates statement rates rates rates rates rates rates rates rates rates міністерство.\n\
         About the author\n\
         підписала 😀 rates rates rates rates central statement rates rates needed rates rates Україна rates rates needed rates needed 😀 rates.\n\
         rates міністерство rates central rates міністерство rates rates rates rates it’s bank rates rates   rates rates rates rates.\n\
         MENAFN - Ukrinform) міністерство statement statement rates rates rates міністерство   rates ‘single’ „Genau“.\n\
         rates rates заявило act bank rates ‘single’ \u{200b} rates rates.",
    );
}
