//! Unicode and encoding repair: pure functions that undo what went wrong between a page's
//! bytes and the text thresh sees. Like ftfy, whose heuristics much of this follows, they
//! repair only where certain and never change text that was decoded correctly.
//!
//! | step | function | default |
//! |---|---|---|
//! | HTML tags (`<p>`, `</div>`) | [`strip_tags`] | off |
//! | HTML character references (`&amp;`, `&#8217;`) | [`decode_entities`] | on |
//! | mojibake (`cafÃ©`, `â€™`; `РЈРєСЂР°С—РЅР°`, `ZaĹĽĂłĹ‚Ä‡`) | [`fix_mojibake`] | on |
//! | invisible, control and bidi characters; U+2028/U+2029 | [`remove_invisible`] | on |
//! | ligatures (`ﬁ`) and full-width forms (`ＡＢＣ`) | [`unfold_ligatures`], [`unfold_fullwidth`] | on |
//! | dashes and the ellipsis as ASCII | [`dashes_ascii`], [`ellipsis_ascii`] | off (kept) |
//! | NFKC | [`nfkc`] | off |
//!
//! [`repair_line`] applies them in that order, as [`RepairOptions`] says, and again until
//! nothing changes (a step can make work for an earlier one: `＆amp;` unfolds to a reference),
//! so repairing repaired text changes nothing. Every function takes a `&str`, returns `None`
//! when it changes nothing (so unchanged text is never copied), and adds what it did to a
//! [`Repairs`] tally. ASCII lines without `&` (or `<`, with tags on) and without control
//! characters return at once.
//!
//! [`decode_bytes`] is the step before: bytes of a whole file to text, in UTF-8, UTF-16 with a
//! byte-order mark, a named encoding or a detected one.
//!
//! ```
//! use thresh::repair::{RepairOptions, Repairs, repair_line};
//!
//! let opts = RepairOptions::default();
//! let mut counts = Repairs::default();
//! let line = "Itâ€™s &quot;naÃ¯ve&quot;\u{200B} to ﬁx";
//! assert_eq!(repair_line(line, &opts, &mut counts).as_deref(), Some("It’s \"naïve\" to fix"));
//! assert_eq!((counts.mojibake, counts.entities, counts.invisible, counts.ligatures), (2, 2, 1, 1));
//! assert_eq!(repair_line("Україна, café, 👩‍👩‍👧", &opts, &mut counts), None);
//! ```

use std::borrow::Cow;
use std::ops::{Add, AddAssign};

pub(crate) mod encoding;
mod entities;
mod entity_table;
mod invisible;
mod legacy;
mod mojibake;
mod tags;
mod typography;

pub use encoding::{DecodeError, EncodingSource, EncodingUsed, decode_bytes, decode_utf8};
/// The former name of [`DecodeError`], the one decode error of thresh.
pub type EncodingError = DecodeError;
pub use entities::decode_entities;
pub use invisible::remove_invisible;
pub use mojibake::fix_mojibake;
pub use tags::strip_tags;
pub use typography::{dashes_ascii, ellipsis_ascii, nfkc, unfold_fullwidth, unfold_ligatures};

/// How many repairs of each kind were made. Each counter counts occurrences (characters,
/// references, tags, runs of mojibake); `nfkc` counts lines changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Runs of mojibake re-decoded (once per layer) and C1 controls read as Windows-1252.
    pub mojibake: usize,
    /// HTML character references decoded.
    pub entities: usize,
    /// Invisible characters removed (zero-width spaces, soft hyphens, stray joiners, BOMs).
    pub invisible: usize,
    /// C0 and C1 control characters removed.
    pub controls: usize,
    /// Bidirectional formatting characters removed.
    pub bidi: usize,
    /// Latin ligatures unfolded.
    pub ligatures: usize,
    /// Full-width forms and ideographic spaces unfolded.
    pub fullwidth: usize,
    /// Dashes made ASCII.
    pub dashes: usize,
    /// Ellipses made ASCII.
    pub ellipsis: usize,
    /// Line and paragraph separators turned into `\n`: the line must be split there.
    pub line_separators: usize,
    /// Lines changed by NFKC.
    pub nfkc: usize,
    /// HTML tags and comments removed.
    pub tags: usize,
}

impl Repairs {
    /// The kinds' names as `--stats` shows them, in the order [`Repairs::iter`] yields them.
    pub const KINDS: [&'static str; 12] = [
        "mojibake",
        "entities",
        "invisible",
        "controls",
        "bidi",
        "ligatures",
        "fullwidth",
        "dashes",
        "ellipsis",
        "line-separators",
        "nfkc",
        "tags",
    ];

    /// Each kind's name (see [`Repairs::KINDS`]) with its count, zero counts included.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> + use<> {
        let counts = [
            self.mojibake,
            self.entities,
            self.invisible,
            self.controls,
            self.bidi,
            self.ligatures,
            self.fullwidth,
            self.dashes,
            self.ellipsis,
            self.line_separators,
            self.nfkc,
            self.tags,
        ];
        Self::KINDS.into_iter().zip(counts)
    }

    /// All repairs, of every kind.
    pub fn total(&self) -> usize {
        self.iter().map(|(_, n)| n).sum()
    }

    /// True when nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

impl AddAssign for Repairs {
    fn add_assign(&mut self, o: Repairs) {
        self.mojibake += o.mojibake;
        self.entities += o.entities;
        self.invisible += o.invisible;
        self.controls += o.controls;
        self.bidi += o.bidi;
        self.ligatures += o.ligatures;
        self.fullwidth += o.fullwidth;
        self.dashes += o.dashes;
        self.ellipsis += o.ellipsis;
        self.line_separators += o.line_separators;
        self.nfkc += o.nfkc;
        self.tags += o.tags;
    }
}

impl Add for Repairs {
    type Output = Repairs;

    fn add(mut self, o: Repairs) -> Repairs {
        self += o;
        self
    }
}

/// Which repairs [`repair_line`] makes. `Default` is the documented default: entities,
/// mojibake, invisible characters, ligatures and full-width forms on; dashes and the ellipsis
/// kept; NFKC and tag stripping off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairOptions {
    /// Remove HTML tags and comments ([`strip_tags`]), also when written with character
    /// references (`&lt;b&gt;`) or full-width forms (`＜b＞`); see [`repair_line`]. Default off.
    pub strip_tags: bool,
    /// Decode HTML character references ([`decode_entities`]). Default on.
    pub entities: bool,
    /// Repair mojibake ([`fix_mojibake`]). Default on.
    pub mojibake: bool,
    /// Remove invisible, control and bidi characters ([`remove_invisible`]). Default on.
    pub invisible: bool,
    /// Unfold Latin ligatures ([`unfold_ligatures`]). Default on.
    pub ligatures: bool,
    /// Unfold full-width forms ([`unfold_fullwidth`]). Default on.
    pub fullwidth: bool,
    /// Make dashes ASCII ([`dashes_ascii`]). Default off: dashes are kept.
    pub dashes_ascii: bool,
    /// Make the ellipsis ASCII ([`ellipsis_ascii`]). Default off: `…` is kept.
    pub ellipsis_ascii: bool,
    /// Apply NFKC last ([`nfkc`]). Default off.
    pub nfkc: bool,
}

impl Default for RepairOptions {
    fn default() -> RepairOptions {
        RepairOptions {
            strip_tags: false,
            entities: true,
            mojibake: true,
            invisible: true,
            ligatures: true,
            fullwidth: true,
            dashes_ascii: false,
            ellipsis_ascii: false,
            nfkc: false,
        }
    }
}

impl RepairOptions {
    /// Every repair off: [`repair_line`] returns `None` for every line.
    pub fn none() -> RepairOptions {
        RepairOptions {
            strip_tags: false,
            entities: false,
            mojibake: false,
            invisible: false,
            ligatures: false,
            fullwidth: false,
            dashes_ascii: false,
            ellipsis_ascii: false,
            nfkc: false,
        }
    }
}

/// Repairs one line as `opts` says. Returns `None` when the line is unchanged; adds what was
/// done to `counts`.
///
/// One round applies the steps in this order: tags, character references, mojibake, invisible
/// and control characters, ligatures and full-width forms, dashes and the ellipsis, NFKC.
/// Rounds repeat until one changes nothing (at most eight), because a step can make
/// work for an earlier one: a decoded reference can be mojibake (`&Atilde;&copy;`), repaired
/// mojibake or an unfolded full-width form can spell a reference or a tag (`＆amp;`,
/// `ï¼†amp;`, `＜b＞`), a removed zero-width space can join mojibake (`Ã\u{200B}©`). So the
/// result is what repeated repair would reach, and repairing it again changes nothing.
///
/// With [`RepairOptions::strip_tags`], markup is stripped however it is written: literally
/// (`<b>`), as character references (`&lt;b&gt;`, decoded in one round and stripped in the
/// next) or in full-width forms (`＜b＞`). Within a round tags go first, so attribute values
/// are read before their references are decoded.
///
/// When `counts.line_separators` grows, the result holds `\n`: split it into lines.
pub fn repair_line(line: &str, opts: &RepairOptions, counts: &mut Repairs) -> Option<String> {
    let mut cur: Option<String> = None;
    for _ in 0..MAX_ROUNDS {
        let text = cur.as_deref().unwrap_or(line);
        if is_plain(text.as_bytes(), opts) {
            break;
        }
        match repair_round(text, opts, counts) {
            Some(next) => cur = Some(next),
            None => break,
        }
    }
    cur.filter(|s| s != line)
}

/// Rounds of [`repair_line`] at most. Ordinary text needs one, and one more finds that nothing
/// is left to do; each further round takes input nested on purpose (mojibake of a full-width
/// `&` before the escaped mojibake of another, and so on).
const MAX_ROUNDS: usize = 8;

/// One round of [`repair_line`]: every enabled step once, in order; `None` when none changed
/// anything.
fn repair_round(line: &str, opts: &RepairOptions, counts: &mut Repairs) -> Option<String> {
    let mut cur: Cow<'_, str> = Cow::Borrowed(line);
    let mut step = |on: bool, f: fn(&str, &mut Repairs) -> Option<String>| {
        if on && let Some(next) = f(&cur, counts) {
            cur = Cow::Owned(next);
        }
    };
    step(opts.strip_tags, strip_tags);
    step(opts.entities, decode_entities);
    step(opts.mojibake, fix_mojibake);
    step(opts.invisible, remove_invisible);
    step(opts.ligatures, unfold_ligatures);
    step(opts.fullwidth, unfold_fullwidth);
    step(opts.dashes_ascii, dashes_ascii);
    step(opts.ellipsis_ascii, ellipsis_ascii);
    step(opts.nfkc, nfkc);
    match cur {
        Cow::Owned(s) if s != line => Some(s),
        _ => None,
    }
}

/// True when no enabled repair can change `b`: printable ASCII (and tabs) with no `&` (when
/// entities are on) and no `<` (when tags are on). One pass over the bytes.
fn is_plain(b: &[u8], opts: &RepairOptions) -> bool {
    let amp = opts.entities;
    let lt = opts.strip_tags;
    let controls = opts.invisible;
    b.iter().all(|&c| match c {
        b'&' => !amp,
        b'<' => !lt,
        0x20..=0x7E | b'\t' => true,
        0x00..=0x1F | 0x7F => !controls,
        _ => false,
    })
}

#[cfg(test)]
mod tests;
