//! Streams in and out: standard input and output, plain files, `.gz` and `.zst`. Outputs to
//! a file go through a temporary file beside it, renamed over it only once complete, so a
//! failed run never leaves a half-written file under the destination's name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub(crate) fn compression(path: &Path) -> Option<&'static str> {
    let name = path.to_string_lossy();
    if name.ends_with(".gz") {
        Some("gz")
    } else if name.ends_with(".zst") {
        Some("zst")
    } else {
        None
    }
}

/// Opens an input stream: a file or standard input (`-`), decompressed when it starts as
/// gzip or zstd does, whatever it is called.
pub(crate) fn open_input(path: &Path) -> io::Result<Box<dyn BufRead>> {
    open_sniffed(path)
}

/// Compression formats thresh neither reads nor writes, by file name ending and first bytes.
const UNSUPPORTED: &[(&str, &str, &[u8])] = &[
    (".bz2", "bzip2", b"BZh"),
    (".xz", "xz", &[0xFD, b'7', b'z', b'X', b'Z', 0x00]),
    (".lz4", "lz4", &[0x04, 0x22, 0x4D, 0x18]),
    (".lzma", "lzma", &[]),
    (".br", "brotli", &[]),
    (".zip", "zip", b"PK\x03\x04"),
    (".7z", "7z", &[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]),
];

/// The name of a compression format thresh does not write, when `path` ends as its files do.
pub(crate) fn unsupported_compression(path: &Path) -> Option<&'static str> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    UNSUPPORTED
        .iter()
        .find(|(ext, _, _)| name.ends_with(ext))
        .map(|(_, format, _)| *format)
}

/// Where records go: standard output, or a temporary file (plain or compressed) beside
/// `-o FILE`, renamed over it once everything is written.
pub(crate) enum Writer {
    Stdout(BufWriter<io::Stdout>),
    Plain(BufWriter<File>),
    Gz(flate2::write::GzEncoder<BufWriter<File>>),
    Zst(zstd::Encoder<'static, BufWriter<File>>),
}

impl Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Writer::Stdout(w) => w.write(buf),
            Writer::Plain(w) => w.write(buf),
            Writer::Gz(w) => w.write(buf),
            Writer::Zst(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Writer::Stdout(w) => w.flush(),
            Writer::Plain(w) => w.flush(),
            Writer::Gz(w) => w.flush(),
            Writer::Zst(w) => w.flush(),
        }
    }
}

pub(crate) struct Output {
    pub(crate) writer: Writer,
    tmp: Option<(tempfile::TempPath, PathBuf)>,
}

pub(crate) fn open_output(dest: Option<&Path>) -> io::Result<Output> {
    if let Some(format) = dest.and_then(unsupported_compression) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{format} compression is not written: name the output .gz or .zst \
                 (compressed), or anything else (plain)"
            ),
        ));
    }
    let Some(dest) = dest else {
        return Ok(Output {
            writer: Writer::Stdout(BufWriter::with_capacity(1 << 20, io::stdout())),
            tmp: None,
        });
    };
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written to as it is:
    // renaming a temporary file over it would replace the device with a plain file.
    let special = std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let (file, tmp) = if special {
        (File::options().write(true).open(dest)?, None)
    } else {
        // As a new file made by `>` would be (the umask applies), not private.
        #[cfg(unix)]
        let permissions = {
            use std::os::unix::fs::PermissionsExt;
            Some(std::fs::Permissions::from_mode(0o666))
        };
        #[cfg(not(unix))]
        let permissions = None;
        let (file, path) = super::temp::beside(dest, permissions)?.into_parts();
        (file, Some((path, dest.to_path_buf())))
    };
    let buffered = BufWriter::with_capacity(1 << 20, file);
    let writer = match compression(dest) {
        Some("gz") => Writer::Gz(flate2::write::GzEncoder::new(
            buffered,
            flate2::Compression::default(),
        )),
        Some(_) => Writer::Zst(zstd::Encoder::new(buffered, 3)?),
        None => Writer::Plain(buffered),
    };
    Ok(Output { writer, tmp })
}

impl Output {
    /// Finishes the stream and, for a file, renames the temporary file over the
    /// destination. On any error the temporary file is removed and the destination untouched.
    pub(crate) fn commit(self) -> io::Result<()> {
        let file = match self.writer {
            Writer::Stdout(mut w) => {
                w.flush()?;
                None
            }
            Writer::Plain(w) => Some(w.into_inner().map_err(|e| e.into_error())?),
            Writer::Gz(w) => Some(w.finish()?.into_inner().map_err(|e| e.into_error())?),
            Writer::Zst(w) => Some(w.finish()?.into_inner().map_err(|e| e.into_error())?),
        };
        if let (Some(file), Some((tmp, dest))) = (file, self.tmp) {
            file.sync_all()?;
            tmp.persist(&dest).map_err(|e| e.error)?;
        }
        Ok(())
    }
}

/// Opens a file to read, decompressing gzip and zstd whatever the file is called (they are
/// told by their first bytes); `-` is standard input.
pub(crate) fn open_sniffed(path: &Path) -> io::Result<Box<dyn BufRead>> {
    let raw: Box<dyn Read> = if super::input::is_stdin(path) {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    let mut reader = BufReader::with_capacity(1 << 20, raw);
    let head = reader.fill_buf()?;
    if let Some((_, format, _)) = UNSUPPORTED
        .iter()
        .find(|(_, _, magic)| !magic.is_empty() && head.starts_with(magic))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{format}-compressed input, which thresh does not read: decompress it first, \
                 or use gzip or zstd"
            ),
        ));
    }
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(BufReader::with_capacity(
            1 << 20,
            zstd::Decoder::with_buffer(reader)?,
        ))
    } else {
        Box::new(reader)
    })
}
