//! Bytes → decode → `Pipeline::clean` → text, as `thresh clean` does it: never a panic, the
//! documented output shape, and cleaning the result again changes nothing.
//!
//! The first byte picks the decoder (strict UTF-8, detection, or a forced encoding) and the
//! repairs (the defaults, or every repair on); the rest is the file.
//!
//! Known bugs are kept out of the assertions so the fuzzer looks for new ones (each has an
//! ignored test in tests/regression.rs): rules with `within-first` / `within-last`
//! (`positional_rule_*`), `strip-span` rules (`strip_span_*`) and the inline-teaser heuristic
//! (`inline_teaser_*`) are left out of the idempotence check, and a text where normalizing a line (repairs, NFC, `replace` rules, white
//! space) is not idempotent or makes a line break skips the checks (`repair_entity_*`: a
//! reference to U+2028/U+2029 is the open one; the property
//! `normalizing_repaired_text_changes_nothing` in tests/properties.rs checks the rest).

#![no_main]

use std::borrow::Cow;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use thresh::repair::{RepairOptions, decode_bytes};
use thresh::{Pipeline, RuleSet};

fn every_repair() -> RepairOptions {
    RepairOptions {
        strip_tags: true,
        dashes_ascii: true,
        ellipsis_ascii: true,
        nfkc: true,
        ..RepairOptions::default()
    }
}

/// Every built-in rule and heuristic, or all but the positional and `strip-span` rules and
/// the inline-teaser heuristic.
fn rules(all: bool) -> RuleSet {
    let every = RuleSet::builder().build().expect("built-in rules");
    if all {
        return every;
    }
    let ids: Vec<String> = every
        .rules()
        .iter()
        .filter(|r| {
            r.within_first().is_some()
                || r.within_last().is_some()
                || r.kind() == thresh::rules::Kind::StripSpan
        })
        .map(|r| r.id().to_string())
        .chain(["heuristic/inline-teaser".to_string()])
        .collect();
    RuleSet::builder()
        .ignore(ids)
        .build()
        .expect("built-in rules")
}

/// `[default repairs, every repair]` × `[all rules, the rules the idempotence check uses]`.
static PIPELINES: LazyLock<[[Pipeline; 2]; 2]> = LazyLock::new(|| {
    [RepairOptions::default(), every_repair()]
        .map(|opts| [true, false].map(|all| Pipeline::with_repair(rules(all), opts)))
});

/// Pipelines that only normalize (repairs, NFC, the `replace` rules, white space), with the
/// default repairs and with every repair.
static NORMALIZERS: LazyLock<[Pipeline; 2]> = LazyLock::new(|| {
    let replace: Vec<String> = RuleSet::builder()
        .build()
        .expect("built-in rules")
        .rules()
        .iter()
        .filter(|r| r.kind() == thresh::rules::Kind::Replace)
        .map(|r| r.id().to_string())
        .collect();
    [RepairOptions::default(), every_repair()].map(|opts| {
        let rules = RuleSet::builder().select(replace.iter().cloned()).build();
        Pipeline::with_repair(rules.expect("replace rules"), opts)
    })
});

/// True when normalizing a line of `text` is not idempotent, or makes a line break inside
/// the line.
fn normalization_is_unstable(norm: &Pipeline, text: &str) -> bool {
    norm.clean(text).lines.iter().any(|l| {
        let again = norm.clean(&l.text);
        l.text.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
            || again.lines.len() > 1
            || again.lines.first().map_or("", |x| x.text.as_ref()) != l.text
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let text: Cow<'_, str> = match mode % 4 {
        0 => match thresh::decode(bytes) {
            Ok(t) => t,
            Err(_) => return,
        },
        1 => match decode_bytes(bytes, None) {
            Ok((t, _)) => t,
            Err(_) => return,
        },
        2 => match decode_bytes(bytes, Some("windows-1251")) {
            Ok((t, _)) => t,
            Err(_) => return,
        },
        _ => match decode_bytes(bytes, Some("shift_jis")) {
            Ok((t, _)) => t,
            Err(_) => return,
        },
    };
    let k = usize::from(mode & 4 != 0);
    let [full, stable] = &PIPELINES[k];
    let once = full.clean(&text).text();
    if normalization_is_unstable(&NORMALIZERS[k], &text) {
        return;
    }
    // The documented output shape: LF endings, one final newline, no run of blank lines.
    assert!(once.is_empty() || once.ends_with('\n'), "no final newline");
    assert!(!once.ends_with("\n\n"), "blank line at the end");
    assert!(!once.contains('\r'), "a CR in the output");
    assert!(
        !once.contains("\n\n\n"),
        "a run of blank lines in the output"
    );
    let once = stable.clean(&text).text();
    let twice = stable.clean(&once).text();
    assert!(once == twice, "not idempotent:\n{once:?}\n{twice:?}");
});
