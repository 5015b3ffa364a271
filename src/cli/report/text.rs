//! The text report, for people: with `--check`, a `would change: PATH` line per file that
//! would change; and the summary line of a run on standard error.

use thresh::Stats;

use super::{FileReport, Reporter};

/// `would change: PATH` for each file that would change, when `list` (`--check`, not `-q`).
pub(crate) struct Text {
    pub(crate) list: bool,
}

impl Reporter for Text {
    fn file(&mut self, file: &FileReport) -> String {
        if self.list && file.changed {
            format!("would change: {}\n", file.name)
        } else {
            String::new()
        }
    }
}

/// What a run did, for its summary line.
pub(crate) struct Summary<'a> {
    /// Nothing was written (`--check`, `--diff`): what would change is told.
    pub(crate) checked: bool,
    /// Files (or records) cleaned.
    pub(crate) count: usize,
    /// What they are, one and many: ("file", "files").
    pub(crate) noun: (&'a str, &'a str),
    /// Where the cleaned files went, as said after them (" into out", " in place"), or "".
    pub(crate) place: String,
    /// Of them, those that changed.
    pub(crate) changed: usize,
    pub(crate) total: &'a Stats,
}

impl Summary<'_> {
    /// `thresh: cleaned 3 files into out: 2 changed, 10 of 90 lines dropped`, without a
    /// newline, for the caller to add to (`; 1 failed`).
    pub(crate) fn line(&self) -> String {
        let n = self.count;
        let total = self.total;
        let mut what = format!("{n} {}", plural(n, self.noun.0, self.noun.1));
        if total.documents != n {
            what.push_str(&format!(
                " ({} {})",
                total.documents,
                plural(total.documents, "document", "documents")
            ));
        }
        let (verb, changed, dropped) = match self.checked {
            true => ("checked", "would change", "would be dropped"),
            false => ("cleaned", "changed", "dropped"),
        };
        format!(
            "thresh: {verb} {what}{}: {} {changed}, {} of {} lines {dropped}",
            self.place, self.changed, total.lines_dropped, total.lines
        )
    }
}

/// `one` for 1, else `many`.
pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
