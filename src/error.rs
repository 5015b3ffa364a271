//! The library's error type. Every message names where (file:line:column, rule id), what is
//! wrong and what was expected, in lower case without a trailing period, so the CLI can print it
//! behind `thresh: ` as it is.

use std::fmt;

pub use crate::repair::encoding::DecodeError;

/// An error from loading rules or settings, or from decoding input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file is malformed, or one of its rules is invalid.
    Rule {
        /// The rule file's name as the user gave it (`rules/cookie.toml`).
        file: String,
        /// 1-based line and column of the offending text, where known.
        position: Option<(usize, usize)>,
        /// The id of the offending rule, where known.
        rule: Option<String>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A selector (`--select`, `--ignore`) names no rule or family.
    Selector {
        /// The selector as given.
        selector: String,
        /// What was expected.
        message: String,
    },
    /// The input is not text thresh can read.
    Decode(DecodeError),
    /// Several errors of one rule file, in the order of the file.
    Many(Vec<Error>),
    /// A line-model file is not one thresh can load.
    Model {
        /// The model file's name as the user gave it.
        file: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn rule(
        file: &str,
        position: Option<(usize, usize)>,
        rule: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind: ErrorKind::Rule {
                file: file.to_string(),
                position,
                rule: rule.map(str::to_string),
                message: message.into(),
            },
        }
    }

    /// One error for `all` (at least one): itself when alone, else [`ErrorKind::Many`].
    pub(crate) fn many(mut all: Vec<Error>) -> Error {
        if all.len() == 1 {
            all.pop().expect("one error")
        } else {
            Error {
                kind: ErrorKind::Many(all),
            }
        }
    }

    pub(crate) fn selector(selector: &str, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Selector {
                selector: selector.to_string(),
                message: message.into(),
            },
        }
    }
}

impl Error {
    pub(crate) fn model(file: &str, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Model {
                file: file.to_string(),
                message: message.into(),
            },
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        Error {
            kind: ErrorKind::Decode(e),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Rule {
                file,
                position,
                rule,
                message,
            } => {
                write!(f, "{file}")?;
                if let Some((line, col)) = position {
                    write!(f, ":{line}:{col}")?;
                }
                if let Some(id) = rule {
                    write!(f, ": rule \"{id}\"")?;
                }
                write!(f, ": {message}")
            }
            ErrorKind::Selector { selector, message } => {
                write!(f, "selector \"{selector}\": {message}")
            }
            ErrorKind::Decode(e) => e.fmt(f),
            ErrorKind::Many(all) => {
                for (i, e) in all.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            ErrorKind::Model { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Converts a byte offset into a 1-based (line, column) pair, counting columns in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// [`line_col`] for many offsets into one text: the line starts are found once, and each
/// position costs a binary search and the characters of its own line.
pub(crate) struct LineIndex<'t> {
    pub(crate) text: &'t str,
    /// The byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The 1-based (line, column) of byte `offset`, as [`line_col`] gives it.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let col = self.text[self.starts[line - 1]..offset].chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\ncd\n\né\nxyz";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }

    #[test]
    fn rule_error_names_file_position_and_rule() {
        let e = Error::rule("rules/ads.toml", Some((9, 3)), Some("ads/label"), "bad");
        assert_eq!(e.to_string(), "rules/ads.toml:9:3: rule \"ads/label\": bad");
    }
}
