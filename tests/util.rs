//! Test helpers: `eqnice!`, a temporary folder, and a way to run the `thresh` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Asserts two texts are equal, printing both and the first differing line when they are not.
macro_rules! eqnice {
    ($expected:expr, $got:expr) => {
        eqnice!($expected, $got, "texts differ")
    };
    ($expected:expr, $got:expr, $($ctx:tt)+) => {{
        let (e, g): (&str, &str) = (&$expected, &$got);
        if e != g {
            panic!("{}\n{}", format!($($ctx)+), $crate::util::diff(e, g));
        }
    }};
}

/// A readable account of how `got` differs from `expected`.
pub(crate) fn diff(expected: &str, got: &str) -> String {
    let el: Vec<&str> = expected.lines().collect();
    let gl: Vec<&str> = got.lines().collect();
    let first = el
        .iter()
        .zip(&gl)
        .position(|(a, b)| a != b)
        .unwrap_or(el.len().min(gl.len()));
    let mut s = format!("first difference at line {}\n", first + 1);
    for (name, lines) in [("expected", &el), ("got", &gl)] {
        s.push_str(&format!("--- {name} (lines {}..):\n", first + 1));
        for l in lines.iter().skip(first).take(6) {
            s.push_str(&format!("  |{l}|\n"));
        }
    }
    if expected.ends_with('\n') != got.ends_with('\n') || el.len() != gl.len() {
        s.push_str(&format!(
            "expected {} lines (final newline: {}), got {} lines (final newline: {})\n",
            el.len(),
            expected.ends_with('\n'),
            gl.len(),
            got.ends_with('\n')
        ));
    }
    s
}

/// The project's root folder.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder, removed when dropped.
pub(crate) struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub(crate) fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub(crate) fn join(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Writes `rel` (creating folders) and returns its path.
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Runs `thresh ARGS` with this folder as the working directory.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args, None)
    }

    /// Runs `thresh ARGS` feeding `stdin`.
    pub(crate) fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Run {
        run_in(self.path(), args, Some(stdin))
    }
}

/// The result of one run of the binary.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run_in(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thresh"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("CI")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run thresh");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}
