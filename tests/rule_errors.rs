//! A bad rule file is refused with a message that names the file, line and column, the rule,
//! what is wrong and what was expected. The messages are asserted verbatim.

use thresh::RuleSet;

fn error_of(toml: &str) -> String {
    RuleSet::builder()
        .no_builtin(true)
        .add_source("my/local.toml", toml)
        .build()
        .expect_err("the rule file is invalid")
        .to_string()
}

const HEAD: &str = "description = \"Local debris.\"\n\n[[rule]]\nid = \"local/x\"\n";

#[test]
fn unknown_field() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"exact\"\npattern = [\"a\"]\ndescription = \"d\"\n"
    ));
    assert!(
        e.starts_with("my/local.toml:7:1: unknown field `pattern`, expected one of `id`, `kind`,"),
        "{e}"
    );
}

#[test]
fn unknown_kind() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-lines\"\nmatch = \"exact\"\npatterns = [\"a\"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:5:8: unknown variant `drop-lines`, expected one of `replace`, `cut-tail`, \
         `drop-block`, `drop-line`, `strip-span`"
    );
}

#[test]
fn invalid_regex() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"regex\"\npatterns = ['ok', '(unclosed']\ndescription = \"d\"\n"
    ));
    assert!(
        e.starts_with(
            "my/local.toml:7:19: rule \"local/x\": invalid regex \"(unclosed\": regex parse error:"
        ),
        "{e}"
    );
    assert!(e.contains("unclosed group"), "{e}");
}

#[test]
fn regex_too_large() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"regex\"\npatterns = ['(?:\\w{{50}}){{50}}\\w{{100}}']\ndescription = \"d\"\n"
    ));
    assert!(
        e.starts_with("my/local.toml:7:13: rule \"local/x\": regex "),
        "{e}"
    );
    assert!(e.contains("compiles too large"), "{e}");
}

#[test]
fn duplicate_id() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"a\"]\ndescription = \"d\"\n\n\
         [[rule]]\nid = \"local/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"b\"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:11:1: rule \"local/x\": duplicate id: first defined at my/local.toml:4"
    );
}

#[test]
fn empty_pattern_list() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"exact\"\npatterns = []\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:7:12: rule \"local/x\": patterns is empty: expected at least one pattern"
    );
}

#[test]
fn empty_and_duplicate_patterns() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"phrase\"\npatterns = [\"a\", \" \"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:7:18: rule \"local/x\": empty pattern: expected some text to match"
    );
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"phrase\"\npatterns = [\"We use\", \"WE USE\"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:7:23: rule \"local/x\": duplicate pattern \"WE USE\""
    );
}

#[test]
fn id_must_carry_the_family() {
    let e = error_of(
        "description = \"d\"\n[[rule]]\nid = \"other/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"a\"]\ndescription = \"d\"\n",
    );
    assert_eq!(
        e,
        "my/local.toml:3:6: rule \"other/x\": id must start with \"local/\", the name of its file"
    );
}

#[test]
fn kind_needs_its_fields() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\npatterns = [\"a\"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:5:8: rule \"local/x\": kind \"drop-line\" needs match = \"exact\", \"phrase\" or \"regex\""
    );
    let e = error_of(&format!(
        "{HEAD}kind = \"strip-span\"\nmatch = \"phrase\"\npatterns = [\"a\"]\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:6:9: rule \"local/x\": kind \"strip-span\" needs match = \"regex\", found \"phrase\""
    );
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-block\"\nstart = {{ match = \"exact\", patterns = [\"Tags\"] }}\nend = {{ blank-line = true }}\ndescription = \"d\"\n"
    ));
    assert_eq!(
        e,
        "my/local.toml:5:8: rule \"local/x\": kind \"drop-block\" needs max-lines, so a missing end never drops the rest of the document"
    );
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"a\"]\nmax-lines = 3\ndescription = \"d\"\n"
    ));
    assert!(
        e.contains("max-lines is not a field of kind \"drop-line\""),
        "{e}"
    );
}

#[test]
fn bad_position() {
    let e = error_of(&format!(
        "{HEAD}kind = \"cut-tail\"\nmatch = \"exact\"\npatterns = [\"a\"]\nwithin-last = 1.5\ndescription = \"d\"\n"
    ));
    assert!(
        e.starts_with("my/local.toml:8:15: invalid value: floating point `1.5`, expected a whole number of lines (>= 1) or a share of the prose in (0, 1]"),
        "{e}"
    );
}

#[test]
fn toml_syntax_error() {
    let e = error_of("description = \"d\"\n[[rule]\n");
    assert!(e.starts_with("my/local.toml:2:"), "{e}");
}

#[test]
fn regexes_too_large_together() {
    // Each regex compiles within the limit for one; together they pass the limit for all.
    let patterns: Vec<String> = (0..20).map(|i| format!("\"\\\\w{{40}}q{i}\"")).collect();
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"regex\"\npatterns = [{}]\ndescription = \"d\"\n",
        patterns.join(", ")
    ));
    assert_eq!(
        e,
        "rule set: the regexes of all rules together compile too large (over 33554432 bytes): \
         select fewer rules (--select, --ignore) or simplify the regexes"
    );
}

/// The file's own `description` (the family's) is optional; each rule's is not.
#[test]
fn file_description_is_optional_and_a_rule_description_is_named() {
    let body =
        "[[rule]]\nid = \"local/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"a\"]\n";
    let set = RuleSet::builder()
        .no_builtin(true)
        .add_source("my/local.toml", format!("{body}description = \"d\"\n"))
        .build()
        .expect("a rule file without a top-level description loads");
    assert_eq!(set.rules().len(), 1);
    let e = error_of(body);
    assert!(e.starts_with("my/local.toml:1:1: "), "{e}");
    assert!(e.contains("description"), "{e}");
}

/// A regex in a double-quoted string fails on its backslash; the message says what to do.
#[test]
fn regex_in_double_quotes_gets_a_hint() {
    let e = error_of(&format!(
        "{HEAD}kind = \"drop-line\"\nmatch = \"regex\"\npatterns = [\"^\\s*Share$\"]\ndescription = \"d\"\n"
    ));
    assert!(e.starts_with("my/local.toml:7:16: "), "{e}");
    assert!(
        e.ends_with(
            "; in a double-quoted TOML string a backslash starts an escape: write regexes in \
             single quotes ('^\\s*Share$', or \'\'\'…\'\'\' when they hold a quote)"
        ),
        "{e}"
    );
}

/// Every broken rule of a file is reported, in file order, each at its place.
#[test]
fn all_errors_of_a_file_in_order() {
    let text = "[[rule]]\nid = \"local/x\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"a\"]\n\n\
                [[rule]]\nid = \"local/y\"\nkind = \"drop-lines\"\nmatch = \"exact\"\npatterns = [\"a\"]\ndescription = \"d\"\n\n\
                [[rule]]\nid = \"local/ok\"\nkind = \"drop-line\"\nmatch = \"exact\"\npatterns = [\"c\"]\ndescription = \"d\"\n\n\
                [[rule]]\nid = \"local/z\"\nkind = \"drop-line\"\nmatch = \"regex\"\npatterns = [\"(b\"]\ndescription = \"d\"\n";
    let e = error_of(text);
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 3, "{e}");
    assert_eq!(lines[0], "my/local.toml:1:1: missing field `description`");
    assert!(
        lines[1].starts_with("my/local.toml:9:8: unknown variant `drop-lines`"),
        "{e}"
    );
    assert!(
        lines[2].starts_with("my/local.toml:25:13: rule \"local/z\": invalid regex"),
        "{e}"
    );
}

/// An unknown selector gets the nearest id or family.
#[test]
fn unknown_selector_says_what_was_meant() {
    let e = RuleSet::builder()
        .select(["cookie/consent-notise"])
        .build()
        .expect_err("no such rule")
        .to_string();
    assert!(e.contains("did you mean \"cookie/consent-notice\"?"), "{e}");
    let e = RuleSet::builder()
        .ignore(["cookei"])
        .build()
        .expect_err("no such family")
        .to_string();
    assert!(e.contains("did you mean \"cookie\"?"), "{e}");
}
