//! Colour: ANSI styles for diffs and `explain`, on when `--color` says so.

use std::io::IsTerminal;

use crate::cli::args::Color;

impl Color {
    /// Whether to colour output written to standard output.
    pub(crate) fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paint {
    on: bool,
}

impl Paint {
    pub(crate) fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub(crate) fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    pub(crate) fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    pub(crate) fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }

    pub(crate) fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }

    pub(crate) fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    pub(crate) fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
}
