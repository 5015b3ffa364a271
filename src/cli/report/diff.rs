//! The diff report (`--diff`): a unified diff per file from the input to the cleaned text,
//! exact because every output line comes from one input line; coloured for a terminal.

use std::borrow::Cow;

use thresh::{Documents, Outcome, Part, doc};

use super::{FileReport, Paint, Reporter};

/// Each changed file's diff, as soon as it is cleaned.
pub(crate) struct Diff {
    pub(crate) paint: Paint,
}

impl Reporter for Diff {
    fn file(&mut self, file: &FileReport) -> String {
        match file.detail.diff.as_deref() {
            Some(d) if !d.is_empty() => paint_diff(d, self.paint),
            _ => String::new(),
        }
    }
}

/// One line of an edit script: unchanged, removed from the input, added in the output.
enum Op<'a> {
    Same(&'a str),
    Del(Cow<'a, str>),
    Add(&'a str),
}

/// A unified diff (3 lines of context) from the input to the cleaned text, exact because
/// every output line comes from one input line: dropped lines are removed, edited lines are
/// replaced, and the header is split off the first line. A line that ended in CRLF (or CR) is
/// removed with its `\r` and added without, and with `bom` the first line is removed with its
/// byte-order mark, so `patch` applies the diff to the file as it is.
pub(crate) fn unified_diff(docs: &Documents<'_>, input: &str, label: &str, bom: bool) -> String {
    let mut ops: Vec<(usize, Op<'_>)> = Vec::new(); // (1-based input line, op)
    for part in &docs.parts {
        match part {
            Part::Document(outcome) => push_ops(outcome, input, &mut ops),
            Part::Separator { number, text } => ops.push((*number, Op::Same(text))),
        }
    }
    if bom && let Some(k) = ops.iter().position(|(_, op)| !matches!(op, Op::Add(_))) {
        let (n, old) = match &ops[k] {
            (n, Op::Same(t)) => (*n, Cow::Borrowed(*t)),
            (n, Op::Del(t)) => (*n, t.clone()),
            _ => unreachable!("not an addition"),
        };
        let same = matches!(ops[k].1, Op::Same(_));
        ops[k] = (n, Op::Del(Cow::Owned(format!("\u{FEFF}{old}"))));
        if same && let Cow::Borrowed(t) = old {
            ops.insert(k + 1, (n, Op::Add(t)));
        }
    }
    hunks(ops, input, label)
}

/// The edit script of one cleaned document, onto `ops`.
fn push_ops<'i>(outcome: &'i Outcome<'_>, input: &'i str, ops: &mut Vec<(usize, Op<'i>)>) {
    let rendered = doc::rendered_lines(&outcome.lines);
    let raw_lines: Vec<&str> = outcome
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            // The first line's raw text includes a lifted header.
            let start = if i == 0 {
                outcome.start()
            } else {
                l.span.start
            };
            // With the `\r` of a CRLF or CR line end: the output's line ends in LF alone.
            let end = l.span.end + usize::from(input[l.span.end..].starts_with('\r'));
            &input[start.min(end)..end]
        })
        .collect();
    let mut i = 0;
    while i < outcome.lines.len() {
        let line = &outcome.lines[i];
        let raw = raw_lines[i];
        let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
        // A line that a repair split into pieces (they share its number): removed once, and
        // each piece in the output added.
        let pieces = outcome.lines[i..]
            .iter()
            .take_while(|l| l.number == line.number)
            .count();
        if pieces > 1 {
            ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
            if i == 0
                && let Some(h) = &outcome.header
            {
                ops.push((line.number, Op::Add(h.as_ref())));
            }
            for out in rendered[i..i + pieces].iter().flatten() {
                ops.push((line.number, Op::Add(out)));
            }
            i += pieces;
            continue;
        }
        i += 1;
        match (i - 1, &outcome.header, rendered[i - 1]) {
            (0, Some(h), out) => {
                let mut new: Vec<&str> = vec![h.as_ref()];
                new.extend(out);
                if new.len() == 1 && raw == h.as_ref() || new == [raw] {
                    ops.push((line.number, Op::Same(raw)));
                } else {
                    ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
                    for n in new {
                        ops.push((line.number, Op::Add(n)));
                    }
                }
            }
            (_, _, Some(out)) if out == raw => ops.push((line.number, Op::Same(raw))),
            (_, _, Some(out)) => {
                ops.push((line.number, Op::Del(Cow::Borrowed(raw))));
                ops.push((line.number, Op::Add(out)));
            }
            (_, _, None) => ops.push((line.number, Op::Del(Cow::Borrowed(raw)))),
        }
    }
}

/// The unified diff of an edit script: hunks of changes with 3 lines of context. Within a
/// run of changes the removed lines come first, then the added ones, as diff(1) prints them.
/// Linear in the length of the script.
fn hunks(mut ops: Vec<(usize, Op<'_>)>, input: &str, label: &str) -> String {
    // Without a final newline, the input's last line differs from the output's: it is
    // removed (marked) and added again.
    let no_final_newline = !input.is_empty() && !input.ends_with(['\n', '\r']);
    let mut marked = None;
    if no_final_newline && let Some(k) = ops.iter().rposition(|(_, op)| !matches!(op, Op::Add(_))) {
        if let (n, Op::Same(t)) = ops[k] {
            ops[k] = (n, Op::Del(Cow::Borrowed(t)));
            ops.insert(k + 1, (n, Op::Add(t)));
        }
        marked = Some(k);
    }
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, (_, op))| !matches!(op, Op::Same(_)))
        .map(|(k, _)| k)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    // Input and output lines before each op.
    let mut seen = Vec::with_capacity(ops.len() + 1);
    let (mut old_seen, mut new_seen) = (0usize, 0usize);
    for (_, op) in &ops {
        seen.push((old_seen, new_seen));
        match op {
            Op::Same(_) => (old_seen, new_seen) = (old_seen + 1, new_seen + 1),
            Op::Del(_) => old_seen += 1,
            Op::Add(_) => new_seen += 1,
        }
    }
    seen.push((old_seen, new_seen));
    let mut out = format!("--- {label}\n+++ {label} (cleaned)\n");
    // Hunks: changed ops with up to 3 unchanged ops of context, merged when close.
    const CONTEXT: usize = 3;
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k].saturating_sub(CONTEXT);
        let mut last = changed[k];
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        let last = (last + CONTEXT).min(ops.len() - 1);
        let (old_start, new_start) = (seen[first].0 + 1, seen[first].1 + 1);
        let (old_len, new_len) = (
            seen[last + 1].0 - seen[first].0,
            seen[last + 1].1 - seen[first].1,
        );
        let range = |start: usize, len: usize| {
            if len == 0 {
                format!("{},0", start - 1)
            } else {
                format!("{start},{len}")
            }
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_len),
            range(new_start, new_len)
        ));
        let mut j = first;
        while j <= last {
            if let Op::Same(t) = &ops[j].1 {
                out.push_str(&format!(" {t}\n"));
                j += 1;
                continue;
            }
            // A run of changes: its removals, then its additions.
            let run_end = (j..=last)
                .find(|&x| matches!(ops[x].1, Op::Same(_)))
                .unwrap_or(last + 1);
            for (x, (_, op)) in ops.iter().enumerate().take(run_end).skip(j) {
                if let Op::Del(t) = op {
                    out.push_str(&format!("-{t}\n"));
                    if marked == Some(x) {
                        out.push_str("\\ No newline at end of file\n");
                    }
                }
            }
            for (_, op) in &ops[j..run_end] {
                if let Op::Add(t) = op {
                    out.push_str(&format!("+{t}\n"));
                }
            }
            j = run_end;
        }
        k += 1;
    }
    out
}

/// Colours a unified diff for a terminal.
fn paint_diff(diff: &str, paint: Paint) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 8);
    // Split on LF alone: a removed line keeps the `\r` of its CRLF end, so the diff applies.
    for line in diff.split_terminator('\n') {
        let styled = if line.starts_with("---") || line.starts_with("+++") {
            paint.bold(line)
        } else if line.starts_with("@@") {
            paint.cyan(line)
        } else if line.starts_with('-') {
            paint.red(line)
        } else if line.starts_with('+') {
            paint.green(line)
        } else {
            line.to_string()
        };
        out.push_str(&styled);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use thresh::{Pipeline, RuleSet};

    fn pipeline() -> Pipeline {
        Pipeline::new(
            RuleSet::builder()
                .select(["ads", "quotes"])
                .build()
                .unwrap(),
        )
    }
    #[test]
    fn diff_of_drops_and_edits() {
        let p = pipeline();
        let input = "One.\nAdvertisement\nTwo “quoted”.\nThree.\n";
        let out = p.clean(input);
        let d = unified_diff(&Documents::one(out), input, "a.txt", false);
        assert_eq!(
            d,
            "--- a.txt\n+++ a.txt (cleaned)\n@@ -1,4 +1,3 @@\n One.\n-Advertisement\n-Two “quoted”.\n+Two \"quoted\".\n Three.\n"
        );
    }

    #[test]
    fn diff_is_empty_when_nothing_changes_and_marks_a_missing_newline() {
        let p = pipeline();
        assert_eq!(
            unified_diff(&Documents::one(p.clean("One.\n")), "One.\n", "a", false),
            ""
        );
        let d = unified_diff(&Documents::one(p.clean("One.")), "One.", "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,1 +1,1 @@\n-One.\n\\ No newline at end of file\n+One.\n"
        );
    }

    #[test]
    fn diff_groups_removals_before_additions() {
        let p = pipeline();
        let input = "One “a”.\nTwo “b”.\nThree.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,3 +1,3 @@\n-One “a”.\n-Two “b”.\n+One \"a\".\n+Two \"b\".\n Three.\n"
        );
    }

    #[test]
    fn diff_shows_line_ends_and_the_byte_order_mark() {
        let p = pipeline();
        // CRLF only on the first line: it changes, the others are context.
        let input = "One.\r\nTwo.\nThree.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,3 +1,3 @@\n-One.\r\n+One.\n Two.\n Three.\n"
        );
        // The byte-order mark (gone from the decoded text): the first line changes.
        let input = "One.\nTwo.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", true);
        assert_eq!(
            d,
            "--- a\n+++ a (cleaned)\n@@ -1,2 +1,2 @@\n-\u{FEFF}One.\n+One.\n Two.\n"
        );
        // Painting keeps the `\r`.
        assert_eq!(
            paint_diff("-One.\r\n+One.\n", Paint::new(false)),
            "-One.\r\n+One.\n"
        );
    }

    #[test]
    fn diff_splits_the_header() {
        let p = pipeline();
        let input = " date 2025-04-28 Title here\nBody.\n";
        let d = unified_diff(&Documents::one(p.clean(input)), input, "a", false);
        assert!(
            d.contains("- date 2025-04-28 Title here\n+date 2025-04-28\n+Title here\n"),
            "{d}"
        );
    }
}
