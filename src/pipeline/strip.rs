//! `strip-span` rules: removing a span from a line and keeping the rest.

use std::borrow::Cow;
use std::sync::Arc;

use super::Pipeline;
use crate::doc::Line;
use crate::normalize;

impl Pipeline {
    /// Applies `strip-span` rule `rule` to a kept line; true when the text got shorter.
    pub(super) fn strip(&self, line: &mut Line<'_>, rule: u32) -> bool {
        if !line.verdict.is_keep() {
            return false;
        }
        let r = &self.rules.rules()[rule as usize];
        let mut text: Option<String> = None;
        for re in self.rules.matchers.rule_regexes(rule) {
            // A space, not nothing: the words on either side of a span must not run together.
            // White-space normalization below collapses and trims it.
            let current = text.as_deref().unwrap_or(&line.text);
            // A group named `span` is what goes; the rest of the match is context.
            let replaced = re.replace_all(current, |caps: &regex::Captures<'_>| {
                let all = caps.get(0).expect("group 0 is the whole match");
                match caps.name("span") {
                    Some(span) => format!(
                        "{} {}",
                        &current[all.start()..span.start()],
                        &current[span.end()..all.end()]
                    ),
                    None => " ".to_string(),
                }
            });
            if let Cow::Owned(s) = replaced {
                text = Some(s);
            }
        }
        let Some(mut text) = text else {
            return false;
        };
        if let Some(w) = normalize::whitespace(&text) {
            text = w;
        }
        // A span of white space, or an empty match, leaves the text as it was.
        if text.len() >= line.text.len() {
            return false;
        }
        line.text = Cow::Owned(text);
        line.edits.push(Arc::clone(&r.id));
        if line.text.is_empty() {
            line.drop(&r.id, &r.description);
        }
        true
    }
}
