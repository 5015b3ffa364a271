//! Bytes → decode → `Pipeline::clean` → text, as `thresh clean` does it: never a panic, the
//! documented output shape, and cleaning the result again changes nothing.
//!
//! The first byte picks the decoder (strict UTF-8, detection, or a forced encoding) and the
//! repairs (the defaults, or every repair on); the rest is the file. Every built-in rule and
//! heuristic runs. What this target found is kept as tests in tests/regression.rs.

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

/// Every built-in rule and heuristic, with the default repairs and with every repair.
static PIPELINES: LazyLock<[Pipeline; 2]> = LazyLock::new(|| {
    [RepairOptions::default(), every_repair()].map(|opts| {
        Pipeline::with_repair(RuleSet::builder().build().expect("built-in rules"), opts)
    })
});

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
    let pipeline = &PIPELINES[usize::from(mode & 4 != 0)];
    let once = pipeline.clean(&text).text();
    // The documented output shape: LF endings, one final newline, no run of blank lines.
    assert!(once.is_empty() || once.ends_with('\n'), "no final newline");
    assert!(!once.ends_with("\n\n"), "blank line at the end");
    assert!(!once.contains('\r'), "a CR in the output");
    assert!(
        !once.contains("\n\n\n"),
        "a run of blank lines in the output"
    );
    let twice = pipeline.clean(&once).text();
    assert!(once == twice, "not idempotent:\n{once:?}\n{twice:?}");
});
