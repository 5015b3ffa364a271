//! Corpus statistics as a file: the table format, version 1 (described for users in
//! `docs/corpus-stats.md`).
//!
//! ```text
//! thresh-corpus-stats 1
//! # thresh corpus statistics; the format is described in docs/corpus-stats.md
//! made-by thresh 0.1.0
//! key line-fold-fnv1a64 1
//! min-letters 3
//! repairs entities mojibake invisible ligatures fullwidth
//! replace-rules 5e0bd2ac3b02a71f quotes/curly-double quotes/curly-single
//! probe 8d2b4e1fb0a1c0e3
//! min-count 1
//! d 00a1b2c3d4e5f607
//! d 7f00000000000001
//! k 0000f00dcafe0001 2
//! k 93aa00000000beef 1
//! end documents 2 keys 2 overcounted 0
//! ```
//!
//! The header says what the keys depend on ([`KeySpec`]): the key algorithm, `min-letters`,
//! the repairs and `replace` rules that normalize a line before it is keyed, and a probe (the
//! keys of a fixed text) that changes when a thresh version normalizes differently. Then the
//! sorted hashes of the documents counted (`d`), the sorted line keys with the number of
//! documents each occurs in (`k`), and an `end` line whose totals catch truncation. Hashes are
//! 16 lower-case hex digits, so text order is numeric order; the file is canonical: the same
//! statistics always give the same bytes.
//!
//! Tables made over disjoint parts of a corpus [`merge`] into the table of the whole, in any
//! order and grouping: document hashes are united, counts summed. A document found in more
//! than one part is reported, and counted in the `end` line's `overcounted`. A table pruned
//! with `min-count` above 1 keeps only keys counted in that many documents and no document
//! hashes: it is smaller and cleans the same while `min-files` is at least its `min-count`,
//! but cannot be merged again.
//!
//! No IO happens here beyond the `Read`/`Write` handed in; nothing panics on bad input.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::io::{self, BufRead, Read, Write};

use super::CorpusStats;

/// The first word of every table.
pub const MAGIC: &str = "thresh-corpus-stats";
/// The table format version this thresh reads and writes.
pub const VERSION: u32 = 1;
/// The line key algorithm ([`super::line_key`]) and its version, as recorded in tables.
pub const KEY: &str = "line-fold-fnv1a64 1";

/// The longest line a table may have (a header with very many `replace` rules fits).
const MAX_LINE: u64 = 1 << 20;

/// A fixed text whose keys change when normalizing or keying changes: quotes, dashes,
/// ellipses, ligatures, full-width and compatibility forms, case folds, combining marks,
/// invisible characters, entities, tags, mojibake, digits and a metadata header.
pub(crate) const PROBE: &str = "date 2025-01-02 Probe header\r\n\
    \u{201c}Curly\u{201d} \u{2018}quotes\u{2019} \u{2014} dashes \u{2013} and \u{2026} ellipses\n\
    \u{fb01}ne \u{ff26}\u{ff55}\u{ff4c}\u{ff4c} \u{2460} x\u{b2} Stra\u{df}e \u{3a3}\u{3af}\u{3c3}\u{3c5}\u{3c6}\u{3bf}\u{3c2}\n\
    Caf\u{e9} Cafe\u{301} zero\u{200b}width soft\u{ad}hyphen non\u{a0}breaking   spaces\n\
    &amp; &eacute; &#8217; <p>tagged</p> a < b\n\
    CafÃ© itâ€™s Ð£ÐºÑ€Ð°Ñ—Ð½Ð°\n\
    \u{423}\u{43a}\u{440}\u{430}\u{457}\u{43d}\u{430} 12:05 \u{ff12}\u{ff10}\u{ff12}\u{ff15}\n";

/// What the keys of a table depend on. Two tables merge, and a table cleans with a pipeline,
/// only when their key specs are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    /// The key algorithm and its version ([`KEY`]).
    pub key: String,
    /// Lines with fewer letters have no key (`[corpus] min-letters` of the settings).
    pub min_letters: usize,
    /// The repairs applied before keying, by name, in a fixed order.
    pub repairs: Vec<String>,
    /// A digest of the `replace` rules (ids and maps, in order) applied before keying.
    pub replace_digest: u64,
    /// The ids of those `replace` rules, in order.
    pub replace_rules: Vec<String>,
    /// A digest of the keys of a fixed probe text under this pipeline.
    pub probe: u64,
}

impl KeySpec {
    fn repairs_text(&self) -> String {
        list_text(&self.repairs)
    }

    fn replace_text(&self) -> String {
        format!(
            "{:016x} {}",
            self.replace_digest,
            list_text(&self.replace_rules)
        )
    }
}

fn list_text(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items.join(" ")
    }
}

/// A table's header: who made it, what its keys depend on, how far it was pruned.
#[derive(Debug, Clone)]
pub struct TableHeader {
    /// The program that wrote the table (`thresh 0.1.0`); informational.
    pub made_by: String,
    /// What the keys depend on.
    pub spec: KeySpec,
    /// Keys counted in fewer documents were left out; 1 for a complete table.
    pub min_count: u32,
    lines: FieldLines,
}

/// The line of each header field, for messages.
#[derive(Debug, Clone, Copy)]
struct FieldLines {
    key: usize,
    min_letters: usize,
    repairs: usize,
    replace_rules: usize,
    probe: usize,
    min_count: usize,
}

/// A setting in which a table's header differs from what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The header line of the setting.
    pub line: usize,
    /// The setting (`min-letters`, `repairs`, …).
    pub field: &'static str,
    /// Its value in the table.
    pub found: String,
    /// The value expected.
    pub expected: String,
    /// What decides the setting, for people.
    pub hint: &'static str,
}

impl TableHeader {
    /// The first setting in which this table's keys differ from keys made under `expected`,
    /// in the order key, min-letters, repairs, replace-rules, probe.
    pub fn mismatch(&self, expected: &KeySpec) -> Option<Mismatch> {
        let (s, l) = (&self.spec, &self.lines);
        let m = |line, field, found: String, expected: String, hint| {
            Some(Mismatch {
                line,
                field,
                found,
                expected,
                hint,
            })
        };
        if s.key != expected.key {
            return m(
                l.key,
                "key",
                s.key.clone(),
                expected.key.clone(),
                "the line key algorithm differs: the table comes from another version of thresh",
            );
        }
        if s.min_letters != expected.min_letters {
            return m(
                l.min_letters,
                "min-letters",
                s.min_letters.to_string(),
                expected.min_letters.to_string(),
                "[corpus] min-letters of the heuristic settings sets it",
            );
        }
        if s.repairs != expected.repairs {
            return m(
                l.repairs,
                "repairs",
                s.repairs_text(),
                expected.repairs_text(),
                "--nfkc, --strip-tags, --dashes, --ellipsis and [normalize] of the config file \
                 set them",
            );
        }
        if (s.replace_digest, &s.replace_rules)
            != (expected.replace_digest, &expected.replace_rules)
        {
            return m(
                l.replace_rules,
                "replace-rules",
                s.replace_text(),
                expected.replace_text(),
                "--quotes, --select, --ignore, --rules, --no-builtin and the config file choose \
                 them",
            );
        }
        if s.probe != expected.probe {
            return m(
                l.probe,
                "probe",
                format!("{:016x}", s.probe),
                format!("{:016x}", expected.probe),
                "the same settings key a fixed text differently: the table comes from a version \
                 of thresh that normalizes text differently",
            );
        }
        None
    }

    /// Why this table cannot clean with a pipeline whose key spec is `spec` and whose
    /// `[corpus] min-files` is `min_files`, if it cannot: its keys were made under other
    /// settings ([`mismatch`](Self::mismatch)), or it was pruned to a `min-count` above
    /// `min_files`, so it lacks keys the pipeline would drop lines by.
    /// [`Pipeline::table_mismatch`](crate::Pipeline::table_mismatch) asks this for a pipeline.
    pub fn check(&self, spec: &KeySpec, min_files: u32) -> Option<Mismatch> {
        if let Some(m) = self.mismatch(spec) {
            return Some(m);
        }
        (self.min_count > min_files).then(|| Mismatch {
            line: self.lines.min_count,
            field: "min-count",
            found: self.min_count.to_string(),
            expected: format!("{min_files} or less"),
            hint: "the table was pruned to keys counted in min-count documents, and [corpus] \
                   min-files of the heuristic settings is lower: prune to min-files or less",
        })
    }

    /// The line of the `min-count` field.
    pub fn min_count_line(&self) -> usize {
        self.lines.min_count
    }
}

/// A table that cannot be read: where and what is wrong, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// The line (1-based) where the problem is.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TableError {}

/// One record of a table, in file order: every document, then every key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The hash of a document counted.
    Document(u64),
    /// A line key and the number of documents it occurs in.
    Key(u64, u32),
}

/// The totals of a table's `end` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Trailer {
    /// Distinct documents counted (listed as `d` lines in a complete table).
    pub documents: u64,
    /// `k` lines.
    pub keys: u64,
    /// Documents counted more than once because merged tables shared them.
    pub overcounted: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Documents,
    Keys,
    Done,
}

/// Reads a table record by record, checking as it goes: header fields in order, hashes
/// sorted and unique, counts in range, the totals of the `end` line, nothing after it.
#[derive(Debug)]
pub struct TableReader<R> {
    r: R,
    buf: Vec<u8>,
    line: usize,
    header: TableHeader,
    section: Section,
    last: Option<u64>,
    documents: u64,
    keys: u64,
    trailer: Option<Trailer>,
}

fn err(line: usize, message: impl Into<String>) -> TableError {
    TableError {
        line,
        message: message.into(),
    }
}

/// A line as shown in messages: lossy, at most 60 characters.
fn shown(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// 16 lower-case hex digits.
fn hex16(b: &[u8]) -> Option<u64> {
    if b.len() != 16 {
        return None;
    }
    let mut v = 0u64;
    for &c in b {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u64::from(d);
    }
    Some(v)
}

/// A decimal number of ASCII digits only.
fn decimal(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 20 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

const HEX_EXPECTED: &str = "16 lower-case hex digits";

impl<R: BufRead> TableReader<R> {
    /// Reads and checks the header.
    pub fn new(r: R) -> Result<TableReader<R>, TableError> {
        let mut t = TableReader {
            r,
            buf: Vec::new(),
            line: 0,
            header: TableHeader {
                made_by: String::new(),
                spec: KeySpec {
                    key: String::new(),
                    min_letters: 0,
                    repairs: Vec::new(),
                    replace_digest: 0,
                    replace_rules: Vec::new(),
                    probe: 0,
                },
                min_count: 1,
                lines: FieldLines {
                    key: 0,
                    min_letters: 0,
                    repairs: 0,
                    replace_rules: 0,
                    probe: 0,
                    min_count: 0,
                },
            },
            section: Section::Documents,
            last: None,
            documents: 0,
            keys: 0,
            trailer: None,
        };
        t.read_header()?;
        Ok(t)
    }

    /// The header.
    pub fn header(&self) -> &TableHeader {
        &self.header
    }

    /// The number of the line read last.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The totals of the `end` line, once [`next_entry`](Self::next_entry) returned `None`.
    pub fn trailer(&self) -> Option<Trailer> {
        self.trailer
    }

    /// Reads the next line into `self.buf`, without its line ending; false at the end of the
    /// input. A last line without a newline is an error: the file was cut short.
    fn next_line(&mut self) -> Result<bool, TableError> {
        self.buf.clear();
        let at = self.line + 1;
        let n = (&mut self.r)
            .take(MAX_LINE)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| err(at, format!("cannot read the table: {e}")))?;
        if n == 0 {
            return Ok(false);
        }
        self.line = at;
        if self.buf.last() != Some(&b'\n') {
            if n as u64 == MAX_LINE {
                return Err(err(
                    at,
                    format!("a line longer than {MAX_LINE} bytes: this is not a table"),
                ));
            }
            return Err(err(
                at,
                format!(
                    "the file ends inside a line (`{}`, no newline): the table is truncated",
                    shown(&self.buf)
                ),
            ));
        }
        self.buf.pop();
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(true)
    }

    /// The next header line that is not a comment.
    fn header_line(&mut self, expected: &str) -> Result<(), TableError> {
        loop {
            if !self.next_line()? {
                return Err(err(
                    self.line + 1,
                    format!(
                        "the file ends in the header: expected `{expected}`; the table is truncated"
                    ),
                ));
            }
            if !self.buf.starts_with(b"#") {
                return Ok(());
            }
        }
    }

    /// The value of the header field `name`, read from the next line.
    fn field(&mut self, name: &str, form: &str) -> Result<String, TableError> {
        let expected = format!("{name} {form}");
        self.header_line(&expected)?;
        let line = &self.buf;
        let value = line
            .strip_prefix(name.as_bytes())
            .and_then(|rest| rest.strip_prefix(b" "))
            .filter(|v| !v.is_empty());
        match value.map(std::str::from_utf8) {
            Some(Ok(v)) => Ok(v.to_string()),
            _ => Err(err(
                self.line,
                format!(
                    "expected the header line `{expected}`, found `{}`",
                    shown(line)
                ),
            )),
        }
    }

    fn read_header(&mut self) -> Result<(), TableError> {
        let first = format!("{MAGIC} {VERSION}");
        if !self.next_line()? {
            return Err(err(1, format!("the file is empty: expected `{first}`")));
        }
        let line = self.buf.clone();
        match line.strip_prefix(format!("{MAGIC} ").as_bytes()) {
            Some(v) if v == VERSION.to_string().as_bytes() => {}
            Some(v) => {
                return Err(err(
                    1,
                    format!(
                        "table format version {}: this thresh reads version {VERSION} only \
                         (make the table again with this thresh)",
                        shown(v)
                    ),
                ));
            }
            None => {
                let what = if line.contains(&0) || std::str::from_utf8(&line).is_err() {
                    "binary data".to_string()
                } else {
                    format!("`{}`", shown(&line))
                };
                return Err(err(
                    1,
                    format!(
                        "not a thresh corpus-stats table: the first line is {what}, expected \
                         `{first}`"
                    ),
                ));
            }
        }
        self.header.made_by = self.field("made-by", "PROGRAM VERSION")?;

        self.header.spec.key = self.field("key", "ALGORITHM VERSION")?;
        self.header.lines.key = self.line;

        let v = self.field("min-letters", "N")?;
        self.header.spec.min_letters = decimal(v.as_bytes())
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                err(
                    self.line,
                    format!("min-letters `{v}` is not a number: expected `min-letters N`"),
                )
            })?;
        self.header.lines.min_letters = self.line;

        let v = self.field("repairs", "NAME... (or -)")?;
        self.header.spec.repairs = words(&v);
        self.header.lines.repairs = self.line;

        let v = self.field("replace-rules", "DIGEST ID... (or DIGEST -)")?;
        let (digest, ids) = v.split_once(' ').unwrap_or((&v, ""));
        self.header.spec.replace_digest = hex16(digest.as_bytes()).ok_or_else(|| {
            err(
                self.line,
                format!(
                    "replace-rules digest `{}` is not {HEX_EXPECTED}: expected \
                     `replace-rules DIGEST ID...`",
                    shown(digest.as_bytes())
                ),
            )
        })?;
        if ids.is_empty() {
            return Err(err(
                self.line,
                "replace-rules has a digest but no ids: expected `replace-rules DIGEST ID...`, \
                 or `-` for none",
            ));
        }
        self.header.spec.replace_rules = words(ids);
        self.header.lines.replace_rules = self.line;

        let v = self.field("probe", "DIGEST")?;
        self.header.spec.probe = hex16(v.as_bytes()).ok_or_else(|| {
            err(
                self.line,
                format!("probe `{}` is not {HEX_EXPECTED}", shown(v.as_bytes())),
            )
        })?;
        self.header.lines.probe = self.line;

        let v = self.field("min-count", "N")?;
        self.header.min_count = decimal(v.as_bytes())
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n >= 1)
            .ok_or_else(|| {
                err(
                    self.line,
                    format!(
                        "min-count `{}` is not a number from 1 up",
                        shown(v.as_bytes())
                    ),
                )
            })?;
        self.header.lines.min_count = self.line;
        Ok(())
    }

    /// The next document or key; `None` after the `end` line, whose totals are then checked
    /// and available from [`trailer`](Self::trailer).
    pub fn next_entry(&mut self) -> Result<Option<Entry>, TableError> {
        if self.section == Section::Done {
            return Ok(None);
        }
        if !self.next_line()? {
            return Err(err(
                self.line + 1,
                format!(
                    "the file ends after {} documents and {} keys without its `end` line: the \
                     table is truncated",
                    self.documents, self.keys
                ),
            ));
        }
        let line = &self.buf;
        let n = self.line;
        if let Some(rest) = line.strip_prefix(b"d ") {
            let d = hex16(rest).ok_or_else(|| {
                err(
                    n,
                    format!(
                        "document hash `{}` is not {HEX_EXPECTED}: expected `d HASH`",
                        shown(rest)
                    ),
                )
            })?;
            if self.section != Section::Documents {
                return Err(err(
                    n,
                    "a `d` line after the `k` lines: all documents come first",
                ));
            }
            if self.header.min_count > 1 {
                return Err(err(
                    n,
                    format!(
                        "a `d` line in a table pruned to min-count {}: pruned tables list no \
                         documents",
                        self.header.min_count
                    ),
                ));
            }
            self.order(d, "document hashes")?;
            self.documents += 1;
            return Ok(Some(Entry::Document(d)));
        }
        if let Some(rest) = line.strip_prefix(b"k ") {
            let (key, count) = match rest.iter().position(|&b| b == b' ') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &b""[..]),
            };
            let k = hex16(key).ok_or_else(|| {
                err(
                    n,
                    format!(
                        "line key `{}` is not {HEX_EXPECTED}: expected `k KEY COUNT`",
                        shown(key)
                    ),
                )
            })?;
            let c = decimal(count)
                .and_then(|c| u32::try_from(c).ok())
                .filter(|&c| c >= 1)
                .ok_or_else(|| {
                    err(
                        n,
                        format!(
                            "count `{}` is not a number from 1 to {}: expected `k KEY COUNT`",
                            shown(count),
                            u32::MAX
                        ),
                    )
                })?;
            if c < self.header.min_count {
                return Err(err(
                    n,
                    format!(
                        "count {c} is below the table's min-count {} (line {})",
                        self.header.min_count, self.header.lines.min_count
                    ),
                ));
            }
            if self.section == Section::Documents {
                self.section = Section::Keys;
                self.last = None;
            }
            self.order(k, "line keys")?;
            self.keys += 1;
            return Ok(Some(Entry::Key(k, c)));
        }
        if line == b"end" || line.starts_with(b"end ") {
            let rest = line.get(4..).unwrap_or_default();
            let t = parse_trailer(rest).ok_or_else(|| {
                err(
                    n,
                    format!(
                        "expected `end documents N keys N overcounted N`, found `{}`",
                        shown(line)
                    ),
                )
            })?;
            if t.keys != self.keys {
                return Err(err(
                    n,
                    format!(
                        "the `end` line counts {} keys, but the table has {}: the table is \
                         damaged",
                        t.keys, self.keys
                    ),
                ));
            }
            if self.header.min_count == 1 && t.documents != self.documents {
                return Err(err(
                    n,
                    format!(
                        "the `end` line counts {} documents, but the table lists {}: the table \
                         is damaged",
                        t.documents, self.documents
                    ),
                ));
            }
            self.section = Section::Done;
            self.trailer = Some(t);
            if self.next_line()? {
                return Err(err(
                    self.line,
                    format!(
                        "`{}` after the `end` line: a table ends with its `end` line",
                        shown(&self.buf)
                    ),
                ));
            }
            return Ok(None);
        }
        Err(err(
            n,
            format!(
                "expected `d HASH`, `k KEY COUNT` or `end documents N keys N overcounted N`, \
                 found `{}`",
                shown(line)
            ),
        ))
    }

    fn order(&mut self, v: u64, what: &str) -> Result<(), TableError> {
        if let Some(last) = self.last
            && v <= last
        {
            let how = if v == last {
                format!("{v:016x} is listed twice")
            } else {
                format!("{v:016x} comes after {last:016x}")
            };
            return Err(err(
                self.line,
                format!("{what} out of order: {how}; a table is sorted, without repeats"),
            ));
        }
        self.last = Some(v);
        Ok(())
    }

    /// Reads the rest of the table into statistics to clean with. `keep_documents` keeps the
    /// document hashes (to add to or write the statistics again); without it only their
    /// number is kept, which is all cleaning needs.
    pub fn into_stats(
        mut self,
        keep_documents: bool,
    ) -> Result<(TableHeader, CorpusStats), TableError> {
        let mut stats = CorpusStats::new();
        let mut counts = Vec::new();
        while let Some(e) = self.next_entry()? {
            match e {
                Entry::Document(d) if keep_documents => {
                    stats.documents.insert(d);
                }
                Entry::Document(_) => {}
                // Ascending, as the reader checked.
                Entry::Key(k, n) => counts.push((k, n)),
            }
        }
        stats.counts = super::Counts::Sorted(counts);
        let t = self.trailer.unwrap_or_default();
        stats.unhashed = t.documents.saturating_sub(stats.documents.len() as u64);
        stats.overcounted = t.overcounted;
        Ok((self.header, stats))
    }
}

fn words(v: &str) -> Vec<String> {
    if v == "-" {
        Vec::new()
    } else {
        v.split(' ').map(str::to_string).collect()
    }
}

fn parse_trailer(rest: &[u8]) -> Option<Trailer> {
    let s = std::str::from_utf8(rest).ok()?;
    let w: Vec<&str> = s.split(' ').collect();
    match w[..] {
        ["documents", d, "keys", k, "overcounted", o] => Some(Trailer {
            documents: decimal(d.as_bytes())?,
            keys: decimal(k.as_bytes())?,
            overcounted: decimal(o.as_bytes())?,
        }),
        _ => None,
    }
}

/// Writes a table record by record: the header at once, then documents and keys in
/// ascending order, then [`finish`](Self::finish) writes the `end` line.
#[derive(Debug)]
pub struct TableWriter<W: Write> {
    w: W,
    buf: Vec<u8>,
    min_count: u32,
    section: Section,
    last: Option<u64>,
    documents: u64,
    keys: u64,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(buf: &mut Vec<u8>, v: u64) {
    for i in (0..16).rev() {
        buf.push(HEX[((v >> (i * 4)) & 0xf) as usize]);
    }
}

fn push_decimal(buf: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

fn misuse(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

impl<W: Write> TableWriter<W> {
    /// Writes the header of a table of keys made under `spec`, keeping keys counted in at
    /// least `min_count` documents (1: all, and the document hashes).
    pub fn new(mut w: W, spec: &KeySpec, min_count: u32) -> io::Result<TableWriter<W>> {
        let min_count = min_count.max(1);
        let header = format!(
            "{MAGIC} {VERSION}\n\
             # thresh corpus statistics; the format is described in docs/corpus-stats.md\n\
             made-by thresh {}\n\
             key {}\n\
             min-letters {}\n\
             repairs {}\n\
             replace-rules {}\n\
             probe {:016x}\n\
             min-count {min_count}\n",
            env!("CARGO_PKG_VERSION"),
            spec.key,
            spec.min_letters,
            spec.repairs_text(),
            spec.replace_text(),
            spec.probe,
        );
        w.write_all(header.as_bytes())?;
        Ok(TableWriter {
            w,
            buf: Vec::with_capacity(64),
            min_count,
            section: Section::Documents,
            last: None,
            documents: 0,
            keys: 0,
        })
    }

    /// Counts a document, and lists it unless the table is pruned. Hashes must ascend.
    pub fn document(&mut self, hash: u64) -> io::Result<()> {
        if self.section != Section::Documents || self.last.is_some_and(|l| hash <= l) {
            return Err(misuse(
                "table documents must ascend and come before the keys",
            ));
        }
        self.last = Some(hash);
        self.documents += 1;
        if self.min_count == 1 {
            self.buf.clear();
            self.buf.extend_from_slice(b"d ");
            push_hex(&mut self.buf, hash);
            self.buf.push(b'\n');
            self.w.write_all(&self.buf)?;
        }
        Ok(())
    }

    /// Lists a key with its count, if the count reaches the table's `min-count`. Keys must
    /// ascend.
    pub fn key(&mut self, key: u64, count: u32) -> io::Result<()> {
        if self.section == Section::Documents {
            self.section = Section::Keys;
            self.last = None;
        }
        if self.section != Section::Keys || self.last.is_some_and(|l| key <= l) {
            return Err(misuse("table keys must ascend"));
        }
        self.last = Some(key);
        if count < self.min_count {
            return Ok(());
        }
        self.keys += 1;
        self.buf.clear();
        self.buf.extend_from_slice(b"k ");
        push_hex(&mut self.buf, key);
        self.buf.push(b' ');
        push_decimal(&mut self.buf, u64::from(count));
        self.buf.push(b'\n');
        self.w.write_all(&self.buf)
    }

    /// Writes the `end` line and returns the writer and the totals.
    pub fn finish(mut self, overcounted: u64) -> io::Result<(W, Trailer)> {
        let t = Trailer {
            documents: self.documents,
            keys: self.keys,
            overcounted,
        };
        writeln!(
            self.w,
            "end documents {} keys {} overcounted {}",
            t.documents, t.keys, t.overcounted
        )?;
        self.w.flush()?;
        Ok((self.w, t))
    }
}

/// Writes `stats` as a table (sorted, so the same statistics always give the same bytes).
/// With `min_count` above 1 the table is pruned: only keys counted in that many documents,
/// and no document hashes. Statistics read without their document hashes can only be
/// written pruned.
pub fn write<W: Write>(
    stats: &CorpusStats,
    spec: &KeySpec,
    min_count: u32,
    w: W,
) -> io::Result<(W, Trailer)> {
    if stats.unhashed > 0 && min_count <= 1 {
        return Err(misuse(
            "statistics read without their document hashes can only be written pruned",
        ));
    }
    let mut docs: Vec<u64> = stats.documents.iter().copied().collect();
    docs.sort_unstable();
    let mut keys: Vec<(u64, u32)> = stats.counts().collect();
    keys.sort_unstable();
    let mut t = TableWriter::new(w, spec, min_count)?;
    for d in docs {
        t.document(d)?;
    }
    t.documents += stats.unhashed;
    for (k, n) in keys {
        t.key(k, n)?;
    }
    t.finish(stats.overcounted)
}

/// Why a merge failed.
#[derive(Debug)]
pub enum MergeError {
    /// Input `index` could not be read.
    Input {
        /// The input, counted from 0.
        index: usize,
        /// What is wrong with it.
        error: TableError,
    },
    /// Input `index` was made under other settings than input 0.
    Mismatch {
        /// The input, counted from 1 (input 0 sets the expectation).
        index: usize,
        /// How it differs.
        mismatch: Mismatch,
    },
    /// Writing the output failed.
    Output(io::Error),
}

/// What a merge found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The totals written in the `end` line.
    pub trailer: Trailer,
    /// Documents found in more than one input (counted once per input they are in).
    pub shared: u64,
    /// The first few shared documents, with the inputs they are in.
    pub examples: Vec<(u64, Vec<usize>)>,
}

/// Merges tables into one, streaming: memory holds one record per input. Document hashes
/// are united and counts summed, so merging is associative and does not depend on the order
/// of the inputs. Every input must be complete (`min-count 1`) and made under the same
/// [`KeySpec`]; the output keeps keys counted in at least `min_count` documents.
pub fn merge<R: BufRead, W: Write>(
    mut inputs: Vec<TableReader<R>>,
    min_count: u32,
    out: W,
) -> Result<(W, Merged), MergeError> {
    let Some(first) = inputs.first() else {
        return Err(MergeError::Output(misuse("no tables to merge")));
    };
    let spec = first.header.spec.clone();
    for (index, input) in inputs.iter().enumerate() {
        if input.header.min_count > 1 {
            return Err(MergeError::Input {
                index,
                error: err(
                    input.header.lines.min_count,
                    format!(
                        "the table is pruned to min-count {}: its counts below that were \
                         dropped, so sums would be wrong; merge complete tables \
                         (min-count 1), then prune the result with --min-count",
                        input.header.min_count
                    ),
                ),
            });
        }
        if let Some(mismatch) = input.header.mismatch(&spec) {
            return Err(MergeError::Mismatch { index, mismatch });
        }
    }
    let mut w = TableWriter::new(out, &spec, min_count).map_err(MergeError::Output)?;
    let next = |inputs: &mut Vec<TableReader<R>>, i: usize| {
        inputs[i]
            .next_entry()
            .map_err(|error| MergeError::Input { index: i, error })
    };
    let mut heads = Vec::with_capacity(inputs.len());
    for i in 0..inputs.len() {
        heads.push(next(&mut inputs, i)?);
    }
    let mut merged = Merged::default();

    // Documents: each hash once; one found in several inputs is shared.
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = heads
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match h {
            Some(Entry::Document(d)) => Some(Reverse((*d, i))),
            _ => None,
        })
        .collect();
    while let Some(Reverse((d, i))) = heap.pop() {
        let mut who = vec![i];
        while let Some(&Reverse((d2, j))) = heap.peek()
            && d2 == d
        {
            heap.pop();
            who.push(j);
        }
        for &j in &who {
            heads[j] = next(&mut inputs, j)?;
            if let Some(Entry::Document(d)) = heads[j] {
                heap.push(Reverse((d, j)));
            }
        }
        if who.len() > 1 {
            merged.shared += who.len() as u64 - 1;
            if merged.examples.len() < 3 {
                who.sort_unstable();
                merged.examples.push((d, who));
            }
        }
        w.document(d).map_err(MergeError::Output)?;
    }

    // Keys: counts summed.
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = heads
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match h {
            Some(Entry::Key(k, _)) => Some(Reverse((*k, i))),
            _ => None,
        })
        .collect();
    while let Some(Reverse((k, i))) = heap.pop() {
        let mut who = vec![i];
        while let Some(&Reverse((k2, j))) = heap.peek()
            && k2 == k
        {
            heap.pop();
            who.push(j);
        }
        let mut sum = 0u32;
        for j in who {
            if let Some(Entry::Key(_, n)) = heads[j] {
                sum = sum.saturating_add(n);
            }
            heads[j] = next(&mut inputs, j)?;
            if let Some(Entry::Key(k, _)) = heads[j] {
                heap.push(Reverse((k, j)));
            }
        }
        w.key(k, sum).map_err(MergeError::Output)?;
    }

    let overcounted = inputs
        .iter()
        .map(|r| r.trailer.unwrap_or_default().overcounted)
        .sum::<u64>()
        + merged.shared;
    let (out, trailer) = w.finish(overcounted).map_err(MergeError::Output)?;
    merged.trailer = trailer;
    Ok((out, merged))
}

#[cfg(test)]
mod tests;
