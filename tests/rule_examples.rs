//! Every rule's `example` texts come out exactly as written and its `keep` texts untouched,
//! with the rule alone.

use thresh::RuleSet;

use crate::util::diff;

#[test]
fn every_example_and_keep_holds() {
    let rules = RuleSet::builder().build().expect("built-in rules");
    let failures = rules.check_examples();
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{} ({}) {}:\n{}",
                f.rule,
                f.location,
                f.case,
                diff(&f.expected, &f.got)
            )
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn a_failing_example_is_reported() {
    let rules = RuleSet::builder()
        .no_builtin(true)
        .add_source(
            "t.toml",
            r#"
description = "test"
[[rule]]
id = "t/label"
kind = "drop-line"
match = "exact"
patterns = ["Share"]
description = "d"
[[rule.example]]
before = "Share\nText.\n"
after = "Text.\nMore.\n"
[[rule.keep]]
text = "Share\n"
"#,
        )
        .build()
        .unwrap();
    let failures = rules.check_examples();
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].case, "example 1");
    assert_eq!(failures[0].got, "Text.\n");
    assert_eq!(failures[1].case, "keep 1");
    assert_eq!(failures[1].location, "t.toml:4");
}

/// `rules test` shows a difference that does not show (a missing final newline) with the
/// invisible made visible.
#[test]
fn invisible_differences_are_shown() {
    let d = crate::util::Dir::new();
    d.write(
        "r/t.toml",
        r#"[[rule]]
id = "t/label"
kind = "drop-line"
match = "exact"
patterns = ["Share"]
description = "d"
[[rule.example]]
before = "Share\nThe vote is on Monday.\n"
after = "The vote is on Monday."
"#,
    );
    let r = d.run(&["rules", "test", "--rules", "r", "--no-builtin"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "  expected:\n    |The vote is on Monday. (no final newline)\n  got:\n    |The vote is on Monday.⏎\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("differ only in characters that do not show"),
        "{}",
        r.stdout
    );
}

/// A rule with no example and no keep text is named: nothing tests it.
#[test]
fn rules_without_examples_are_warned_about() {
    let d = crate::util::Dir::new();
    d.write(
        "r/t.toml",
        "[[rule]]\nid = \"t/label\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"Share\"]\ndescription = \"d\"\n",
    );
    let r = d.run(&["rules", "test", "--rules", "r", "--no-builtin"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "thresh: warning: r/t.toml:2: rule \"t/label\" has no [[rule.example]] or \
             [[rule.keep]]: nothing tests it"
        ),
        "{}",
        r.stderr
    );
    // The built-in rules all have examples.
    let r = d.run(&["rules", "test"]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}
