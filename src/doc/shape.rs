//! Line facts: the shape of a line as rules, heuristics and the line model read it, computed
//! once per line from its normalized text.

use serde::Deserialize;

use crate::fold::{is_alphabetic, is_unspaced_script};

/// What makes a line prose: the `[prose]` table of the heuristic settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct ProseSettings {
    pub(crate) min_words: usize,
    pub(crate) terminal: String,
    pub(crate) min_capitalised: usize,
    pub(crate) max_capitalised_share: f64,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    pub(crate) words: usize,
    pub(crate) chars: usize,
    /// Ends like a sentence (closing quotes and brackets aside).
    pub(crate) terminal: bool,
    /// Starts like a sentence: a capital letter, a digit or an opening quote.
    pub(crate) sentence_start: bool,
    /// Words after the first that start with a lower-case letter.
    pub(crate) lower_words: usize,
    /// In title case or in capitals: nearly every word after the first starts with a capital
    /// letter (a headline or a banner, even when it ends with a stop).
    pub(crate) capitalised: bool,
    /// Ends with a colon: a label introducing what follows.
    pub(crate) colon: bool,
    /// Starts with a list bullet.
    pub(crate) bullet: bool,
    pub(crate) letters: bool,
}

impl Shape {
    /// Long enough and ending like a sentence.
    pub(crate) fn prose(&self, settings: &ProseSettings) -> bool {
        self.words >= settings.min_words && self.terminal && !self.capitalised
    }
}

/// The counts behind a [`Shape`].
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    words: usize,
    lower_words: usize,
    /// Words after the first that start with an upper-case letter.
    upper_words: usize,
    /// Characters of unspaced scripts.
    unspaced: usize,
    chars: usize,
    letters: bool,
}

impl Counts {
    fn chars(text: &str) -> Counts {
        let mut n = Counts {
            words: 0,
            lower_words: 0,
            upper_words: 0,
            unspaced: 0,
            chars: 0,
            letters: false,
        };
        let mut in_word = false;
        for c in text.chars() {
            n.chars += 1;
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            if !in_word {
                n.words += 1;
                in_word = true;
                // Words after the first that start with a lower-case letter.
                if n.words > 1 && (c.is_ascii_lowercase() || (!c.is_ascii() && c.is_lowercase())) {
                    n.lower_words += 1;
                }
                if n.words > 1 && (c.is_ascii_uppercase() || (!c.is_ascii() && c.is_uppercase())) {
                    n.upper_words += 1;
                }
            }
            if c.is_ascii() {
                n.letters |= c.is_ascii_alphabetic();
            } else if is_alphabetic(c) {
                n.letters = true;
                if is_unspaced_script(c) {
                    n.unspaced += 1;
                }
            }
        }
        n
    }

    /// [`Counts::chars`] of ASCII text, byte by byte: white space there is `\t`..`\r` and
    /// the space.
    fn ascii(text: &str) -> Counts {
        let ws = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
        let b = text.as_bytes();
        // Without branches on the bytes: a word starts where white space ends.
        let (mut words, mut lower_starts, mut upper_starts) = (0, 0, 0);
        let (mut letters, mut prev_ws) = (false, true);
        for &c in b {
            let space = ws(c);
            let start = prev_ws & !space;
            words += usize::from(start);
            lower_starts += usize::from(start & c.is_ascii_lowercase());
            upper_starts += usize::from(start & c.is_ascii_uppercase());
            letters |= c.is_ascii_alphabetic();
            prev_ws = space;
        }
        // Only words after the first count.
        let first = b.iter().find(|&&c| !ws(c));
        Counts {
            words,
            lower_words: lower_starts - usize::from(first.is_some_and(u8::is_ascii_lowercase)),
            upper_words: upper_starts - usize::from(first.is_some_and(u8::is_ascii_uppercase)),
            unspaced: 0,
            chars: b.len(),
            letters,
        }
    }
}

/// The shape of one normalized line.
pub(crate) fn shape(text: &str, settings: &ProseSettings) -> Shape {
    let Counts {
        mut words,
        lower_words,
        upper_words,
        unspaced,
        chars,
        letters,
    } = if text.is_ascii() {
        Counts::ascii(text)
    } else {
        Counts::chars(text)
    };
    // Two characters of an unspaced script count as about one word.
    words = words.max(unspaced / 2);
    let core = text.trim_end_matches(['"', '\'', '»', '«', ')', ']', '}', '*']);
    let last = core.chars().next_back();
    // Posts end sentences with emoji as often as with a full stop.
    let emoji_end = last.is_some_and(is_pictograph);
    Shape {
        words,
        chars,
        terminal: emoji_end || last.is_some_and(|c| settings.terminal.contains(c)),
        sentence_start: text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'«(".contains(c)),
        lower_words,
        capitalised: upper_words >= settings.min_capitalised
            && upper_words as f64
                > settings.max_capitalised_share * (upper_words + lower_words) as f64,
        colon: text.ends_with(':'),
        bullet: text.starts_with(['•', '-', '*', '–', '—', '·', '▪', '●', '◦', '►', '✓']),
        letters,
    }
}

/// True for emoji and pictographs, and the selectors and joiners that end an emoji sequence.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF     // emoji, pictographs, skin tones, flags
        | 0x2600..=0x27BF     // miscellaneous symbols, dingbats
        | 0x2B50 | 0x2B55     // star, circle
        | 0xFE0F | 0x200D     // variation selector 16, zero-width joiner
        | 0xE0020..=0xE007F) // tag characters of subdivision flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = crate::heuristics::Settings::builtin();
        let s = &s.prose;
        let sh = shape("He said \"no.\"", s);
        assert!(sh.terminal && sh.sentence_start && sh.words == 3);
        let banner = "GET BREAKING NEWS IN YOUR BROWSER. CLICK HERE TO TURN ON NOTIFICATIONS.";
        let headline = "Newest Gigabyte Motherboards Are Going To Be Pricey, Says Report!";
        for text in [banner, headline] {
            let sh = shape(text, s);
            assert!(sh.capitalised && sh.terminal && !sh.prose(s), "{text}");
        }
        // The same counts for non-ASCII text.
        assert!(
            shape(
                "Über Die Neuesten Motherboards Der Großen Hersteller Heute.",
                s
            )
            .capitalised
        );
        for text in [
            "Portion Fix Containers: 1 Green, 1 Purple, 1 Red, 1 Yellow, 1 tsp.",
            "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday.",
            "우선 <그녀말>은 숨바꼭질에 비해 차분하게 이야기의 고리를 하나하나 풀어간다.",
        ] {
            assert!(shape(text, s).prose(s), "{text}");
        }
        let sh = shape("Background:", s);
        assert!(sh.colon && !sh.terminal);
        let sh = shape("这是一个很长的中文句子没有空格。", s);
        assert!(sh.words >= 7 && sh.terminal);
        let sh = shape("We spent the whole day at the beach with the kids 😍", s);
        assert!(sh.terminal && sh.prose(s));
        let sh = shape("Best day ever! 👩\u{200d}👩\u{200d}👧\u{fe0f}", s);
        assert!(sh.terminal);
        assert!(!shape("Beaches of the south coast", s).terminal);
    }

    #[test]
    fn ascii_counts_agree_with_char_counts() {
        let all: String = (0u8..128).map(char::from).collect();
        for t in [
            "",
            " ",
            "He said \"no.\" and left",
            "a\tb\nc\x0Bd\x0Ce\rf\x1Cg\x1Fh i",
            "  Lead and trailing  ",
            "123 abc DEF _x -y",
            "lower first word, then Upper and lower",
            "\tx",
            all.as_str(),
        ] {
            assert_eq!(Counts::ascii(t), Counts::chars(t), "{t:?}");
        }
    }
}
