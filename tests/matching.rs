//! How patterns match and where rules may fire: word boundaries, Unicode case folding, exact
//! lines, max-chars, positions, blocks bounded by max-lines.

use thresh::{Pipeline, RuleSet};

fn with_rules(toml: &str) -> Pipeline {
    Pipeline::new(
        RuleSet::builder()
            .no_builtin(true)
            .add_source("t.toml", format!("description = \"test\"\n{toml}"))
            .select(["t"])
            .build()
            .unwrap(),
    )
}

fn drop_line(mode: &str, patterns: &str, extra: &str) -> Pipeline {
    with_rules(&format!(
        "[[rule]]\nid = \"t/r\"\nkind = \"drop-line\"\nmatch = \"{mode}\"\npatterns = {patterns}\n{extra}\ndescription = \"d\"\n"
    ))
}

fn clean(p: &Pipeline, text: &str) -> String {
    p.clean(text).text()
}

#[test]
fn phrases_match_on_word_boundaries_only() {
    let p = drop_line("phrase", "[\"cookies\"]", "");
    assert_eq!(
        clean(&p, "We use cookies.\nA cookiesheet.\nMilkcookies\n"),
        "A cookiesheet.\nMilkcookies\n"
    );
}

#[test]
fn phrases_ignore_case_in_every_script() {
    let p = drop_line(
        "phrase",
        "[\"читайте також\", \"διαφήμιση\", \"straße\"]",
        "",
    );
    let text = "ЧИТАЙТЕ ТАКОЖ: новина\nΔΙΑΦΉΜΙΣΗ\nDIE STRASSE\nKept line.\n";
    assert_eq!(clean(&p, text), "Kept line.\n");
}

#[test]
fn phrases_in_unspaced_scripts_match_inside_text() {
    let p = drop_line("phrase", "[\"广告\"]", "");
    assert_eq!(clean(&p, "这是广告内容\n正文。\n"), "正文。\n");
}

#[test]
fn exact_needs_the_whole_line() {
    let p = drop_line("exact", "[\"Details\"]", "");
    assert_eq!(
        clean(&p, "  DETAILS \nDetails of the deal\nDetails:\n"),
        "Details of the deal\nDetails:\n"
    );
}

#[test]
fn patterns_see_normalized_text() {
    // Curly quotes become plain and NBSP a space before matching; rules are written plainly.
    let p = Pipeline::new(
        RuleSet::builder()
            .no_builtin(false)
            .select(["quotes", "nav/menu-item"])
            .build()
            .unwrap(),
    );
    assert_eq!(clean(&p, "Today’s\u{a0}Paper\nText.\n"), "Text.\n");
}

#[test]
fn max_chars_keeps_long_prose() {
    let p = drop_line("phrase", "[\"we use cookies\"]", "max-chars = 40");
    let long =
        "In a long report the regulator wrote that \"we use cookies\" banners mislead users.";
    assert_eq!(
        clean(&p, &format!("We use cookies.\n{long}\n")),
        format!("{long}\n")
    );
}

#[test]
fn within_first_and_last_lines() {
    let p = drop_line("exact", "[\"Menu\"]", "within-first = 2");
    assert_eq!(
        clean(&p, "Menu\n\nA.\nB.\nMenu\nC.\n"),
        "A.\nB.\nMenu\nC.\n"
    );
    // Positions are those of the output: once the first "Menu" is gone, the second is within
    // the first two lines, and cleaning the output again would drop it.
    assert_eq!(clean(&p, "Menu\n\nA.\nMenu\nB.\n"), "A.\nB.\n");
    let p = drop_line("exact", "[\"Menu\"]", "within-last = 1");
    assert_eq!(clean(&p, "Menu\nA.\nMenu\n"), "Menu\nA.\n");
}

#[test]
fn fractions_count_prose_not_lines_or_text() {
    let rule = "[[rule]]\nid = \"t/tail\"\nkind = \"cut-tail\"\nmatch = \"exact\"\npatterns = [\"Related\"]\nwithin-last = 0.5\ndescription = \"d\"\n";
    let p = with_rules(rule);
    let long = "A long paragraph of the article that carries most of the text of the page.";
    // Two prose lines, then the marker and a footer of link titles longer than the article:
    // by lines and by text the marker is in the first half, by prose in the second.
    let footer =
        "Farmers count losses after week of heavy rain and floods in the valley\n".repeat(6);
    let text = format!("{long}\n{long}\nRelated\n{footer}");
    assert_eq!(clean(&p, &text), format!("{long}\n{long}\n"));
    // A marker with most of the prose after it never cuts the article.
    let text = format!("{long}\nRelated\n{long}\n{long}\n");
    assert_eq!(clean(&p, &text), text);
    // Without prose, text is counted.
    let text = "Menu\nMore menu items here\nRelated\nx\n";
    assert_eq!(clean(&p, text), "Menu\nMore menu items here\n");
}

#[test]
fn blocks_need_their_end_within_max_lines() {
    let rule = "[[rule]]\nid = \"t/block\"\nkind = \"drop-block\"\nstart = { match = \"exact\", patterns = [\"Cookie settings\"] }\nend = { match = \"exact\", patterns = [\"Accept all\"] }\nmax-lines = 4\ndescription = \"d\"\n";
    let p = with_rules(rule);
    assert_eq!(
        clean(
            &p,
            "Cookie settings\nWe store data.\nAccept all\nArticle.\n"
        ),
        "Article.\n"
    );
    // No end within four lines: nothing is a block, nothing is dropped.
    let text = "Cookie settings\nOne.\nTwo.\nThree.\nAccept all\nArticle.\n";
    assert_eq!(clean(&p, text), text);
}

#[test]
fn blank_line_blocks_stop_before_the_blank() {
    let rule = "[[rule]]\nid = \"t/tags\"\nkind = \"drop-block\"\nstart = { match = \"exact\", patterns = [\"Tags:\"] }\nend = { blank-line = true }\nmax-lines = 5\ndescription = \"d\"\n";
    let p = with_rules(rule);
    assert_eq!(clean(&p, "A.\n\nTags:\nx\ny\n\nB.\n"), "A.\n\nB.\n");
    assert_eq!(clean(&p, "A.\n\nTags:\nx\ny\n"), "A.\n");
    let text = "Tags:\n1\n2\n3\n4\n5\n\nB.\n";
    assert_eq!(clean(&p, text), text);
}

#[test]
fn explain_records_who_dropped_each_line() {
    let p = drop_line("exact", "[\"Menu\"]", "");
    let out = p.clean("Menu\nText.\n");
    let d = out.lines[0].verdict.dropped().unwrap();
    assert_eq!((&*d.by, &*d.reason), ("t/r", "d"));
    assert!(out.lines[1].verdict.is_keep());
}
