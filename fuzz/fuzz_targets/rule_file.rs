//! The rule-file parser: any text as a user rule file builds a rule set or returns an error,
//! never panics; a rule set that builds cleans a small text without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::{Pipeline, RuleSet};

const TEXT: &str = "date 2025-04-28 Kyiv • UNN\nShare\nAdvertisement\n\
    Rates rose again on Tuesday, the central bank said in a statement.\n\n\
    “We will act,” the governor said on Tuesday evening.\nMore on the topic\n\
    Other headline here\n";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let built = RuleSet::builder()
        .no_builtin(true)
        .add_source("f.toml", source)
        .build();
    if let Ok(rules) = built {
        let pipeline = Pipeline::new(rules);
        let out = pipeline.clean(TEXT).text();
        let _ = pipeline.clean(&out).text();
    }
});
