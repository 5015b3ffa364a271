//! Inputs as every command takes them: a path, or `-` for standard input; their bytes, their
//! names in messages, and their text (decoded, and split into documents with `--split-on`).

use std::borrow::Cow;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::error::Error;

/// One file to clean or count.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// Where to read it (`-`: standard input).
    pub(crate) path: PathBuf,
    /// Its path relative to the folder it was found in (its file name, for an explicit file).
    pub(crate) rel: PathBuf,
}

impl Input {
    /// Standard input.
    pub(crate) fn stdin() -> Input {
        Input {
            path: PathBuf::from("-"),
            rel: PathBuf::from("<stdin>"),
        }
    }

    /// Its name in messages and reports.
    pub(crate) fn name(&self) -> String {
        name(&self.path)
    }

    /// Its bytes.
    pub(crate) fn read(&self) -> io::Result<Vec<u8>> {
        read(&self.path)
    }
}

/// True for `-`, standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name of an input in messages: `<stdin>` for `-`, else the path as given.
pub(crate) fn name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// The bytes of a file, or of standard input for `-`.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    if is_stdin(path) {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path)
    }
}

/// Whether the inputs are standard input alone; `-` among other paths is an error.
pub(crate) fn stdin_alone(paths: &[PathBuf]) -> Result<bool, Error> {
    let stdin = paths.iter().any(|p| is_stdin(p));
    if stdin && paths.len() > 1 {
        return Err(Error::Usage(
            "`-` (standard input) cannot be mixed with other paths".into(),
        ));
    }
    Ok(stdin)
}

/// How many times `-` (standard input) is among `paths`.
pub(crate) fn stdin_count(paths: &[PathBuf]) -> usize {
    paths.iter().filter(|p| is_stdin(p)).count()
}

/// Decodes a file's bytes: UTF-8 (a BOM stripped), UTF-16 with a BOM, the named encoding, or
/// an encoding detected with confidence; anything else is an error, never a guess.
pub(crate) fn decode<'a>(bytes: &'a [u8], encoding: Option<&str>) -> Result<Cow<'a, str>, Error> {
    thresh::repair::decode_bytes(bytes, encoding)
        .map(|(text, _)| text)
        .map_err(Error::Decode)
}

/// Checks an `--encoding` label before any file is read.
pub(crate) fn check_encoding(encoding: Option<&str>) -> Result<(), Error> {
    match encoding {
        Some(label) => thresh::repair::decode_bytes(b"", Some(label))
            .map(|_| ())
            .map_err(|source| Error::Encoding {
                label: label.to_string(),
                source,
            }),
        None => Ok(()),
    }
}

/// Compiles `--split-on REGEX`, refusing a regex that matches an empty line: blank lines part
/// the paragraphs of nearly every page, and each paragraph would be cleaned alone.
pub(crate) fn split_regex(pattern: Option<&str>) -> Result<Option<regex::Regex>, Error> {
    let Some(pattern) = pattern else {
        return Ok(None);
    };
    let re = regex::Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let detail = detail.lines().last().unwrap_or("").trim().to_string();
        Error::Usage(format!(
            "--split-on {pattern:?}: invalid regex ({detail}); expected a regex for the \
             separator line, e.g. '^\\f$' (a form feed alone on its line)"
        ))
    })?;
    if re.is_match("") {
        return Err(Error::Usage(format!(
            "--split-on {pattern:?}: matches an empty line, so every blank line would end a \
             document; expected a regex that only the separator line matches, e.g. \
             '^<<<END>>>$'"
        )));
    }
    Ok(Some(re))
}
