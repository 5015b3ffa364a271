//! Encodings of whole files: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! byte-order mark, an encoding the caller names, or a legacy encoding detected with
//! confidence. Never guesses silently: when detection is unsure, or the chosen encoding does
//! not decode the bytes cleanly, the answer is an error that says what to pass instead.

use std::borrow::Cow;
use std::fmt;

use chardetng::EncodingDetector;
use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Labels suggested in error messages.
const EXAMPLE_LABELS: &str = "utf-8, windows-1252, latin1, iso-8859-2, windows-1250, \
    windows-1251, koi8-r, shift_jis, euc-jp, gbk, big5, euc-kr or utf-16le";

/// How the encoding of a file was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodingSource {
    /// The bytes are valid UTF-8 without a byte-order mark.
    Utf8,
    /// A byte-order mark named the encoding.
    ByteOrderMark,
    /// The caller named the encoding.
    Forced,
    /// The bytes are not UTF-8, and detection named the encoding with confidence.
    Detected,
    /// The bytes are not UTF-8 and detection was unsure (often: too few accented letters to
    /// judge by), but they read cleanly as Windows-1252 with every non-ASCII character a
    /// letter inside a word or common punctuation: a legacy Western page.
    Fallback,
}

/// The encoding [`decode_bytes`] used, and how it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingUsed {
    /// The encoding's canonical WHATWG name: `UTF-8`, `UTF-16LE`, `windows-1251`, `Shift_JIS`.
    pub name: &'static str,
    /// How it was chosen.
    pub source: EncodingSource,
}

impl EncodingUsed {
    /// True for UTF-8, with or without a byte-order mark: the text needed no conversion.
    pub fn is_utf8(&self) -> bool {
        self.name == UTF_8.name()
    }
}

impl fmt::Display for EncodingUsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.source {
            EncodingSource::Utf8 => "",
            EncodingSource::ByteOrderMark => " (byte-order mark)",
            EncodingSource::Forced => " (forced)",
            EncodingSource::Detected => " (detected)",
            EncodingSource::Fallback => " (fallback)",
        };
        write!(f, "{}{how}", self.name)
    }
}

/// Why [`decode_bytes`] or [`decode_utf8`] refused the bytes: the one decode error of thresh.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not valid UTF-8 ([`decode_utf8`], which reads nothing else).
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A NUL byte outside UTF-16: the file is binary.
    Binary {
        /// Byte offset of the first NUL byte (or NUL code unit in UTF-16).
        offset: usize,
    },
    /// The forced label names no encoding.
    UnknownEncoding {
        /// The label as given.
        label: String,
    },
    /// The forced label names an encoding that cannot decode text (`iso-2022-kr`, `hz-gb-2312`,
    /// which the Encoding Standard maps to its "replacement" encoding).
    UnsupportedEncoding {
        /// The label as given.
        label: String,
    },
    /// The bytes are not UTF-8 and detection was not confident.
    Undetected {
        /// Byte offset of the first invalid UTF-8 byte.
        utf8_offset: usize,
    },
    /// The bytes are not UTF-8, and the detected encoding does not decode them cleanly either.
    DetectedMalformed {
        /// Byte offset of the first invalid UTF-8 byte.
        utf8_offset: usize,
        /// The detected encoding's name.
        encoding: &'static str,
        /// Byte offset of the first byte that encoding cannot decode.
        offset: usize,
    },
    /// The encoding named by a byte-order mark or by the caller does not decode the bytes
    /// cleanly.
    Malformed {
        /// The encoding's name.
        encoding: &'static str,
        /// Byte offset of the first byte it cannot decode.
        offset: usize,
        /// Who named it: [`EncodingSource::ByteOrderMark`] or [`EncodingSource::Forced`].
        source: EncodingSource,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::InvalidUtf8 { offset } => write!(
                f,
                "invalid UTF-8 at byte {offset}: expected UTF-8 text (with or without a BOM)"
            ),
            DecodeError::Binary { offset } => {
                write!(f, "binary file: NUL byte at byte {offset}, expected text")
            }
            DecodeError::UnknownEncoding { label } => write!(
                f,
                "unknown encoding \"{label}\": expected an encoding label such as {EXAMPLE_LABELS}"
            ),
            DecodeError::UnsupportedEncoding { label } => write!(
                f,
                "encoding \"{label}\" cannot be decoded: expected an encoding label such as \
                 {EXAMPLE_LABELS}"
            ),
            DecodeError::Undetected { utf8_offset } => write!(
                f,
                "invalid UTF-8 at byte {utf8_offset} and the encoding could not be detected with \
                 confidence: pass --encoding NAME"
            ),
            DecodeError::DetectedMalformed {
                utf8_offset,
                encoding,
                offset,
            } => write!(
                f,
                "invalid UTF-8 at byte {utf8_offset}, and the likeliest other encoding, {encoding}, \
                 fails at byte {offset}: pass --encoding NAME"
            ),
            DecodeError::Malformed {
                encoding,
                offset,
                source,
            } => {
                let who = match source {
                    EncodingSource::ByteOrderMark => "the byte-order mark",
                    _ => "the encoding given",
                };
                write!(
                    f,
                    "invalid {encoding} at byte {offset}: expected {encoding} text, as {who} says"
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes the bytes of one file as UTF-8 and nothing else: a UTF-8 byte-order mark is
/// stripped, a NUL byte marks a binary file, invalid UTF-8 is an error that names the byte
/// offset. [`decode_bytes`] also reads other encodings. (`thresh::decode` is this function.)
///
/// ```
/// assert_eq!(thresh::decode(b"\xEF\xBB\xBFhi\r\n").unwrap(), "hi\r\n");
/// assert!(thresh::decode(b"a\xFFb").is_err());
/// ```
pub fn decode_utf8(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let (skip, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    if let Some(i) = memchr::memchr(0, body) {
        return Err(DecodeError::Binary { offset: skip + i });
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => Err(DecodeError::InvalidUtf8 {
            offset: skip + e.valid_up_to(),
        }),
    }
}

/// Decodes the bytes of one file into text. UTF-8 input is borrowed, never copied.
///
/// Order of decisions:
///
/// 1. A byte-order mark wins (as in the WHATWG Encoding Standard): UTF-8, UTF-16LE or
///    UTF-16BE, stripped, even when an encoding is forced.
/// 2. A forced encoding label (`windows-1251`, `latin1`, `shift_jis`, any WHATWG label) is used
///    as given. Note that, as in browsers, `latin1` and `iso-8859-1` mean `windows-1252`, which
///    differs only where Latin-1 has C1 control characters.
/// 3. Without either: NUL bytes mean a binary file; valid UTF-8 is borrowed as it is. Bytes
///    that are mostly valid UTF-8 are damaged UTF-8 and refused. Anything else goes to
///    `chardetng` when there are at least 8 non-ASCII bytes to judge by, and its guess is
///    used only when it is confident, decodes every byte, and
///    yields no control characters (which Windows-1252 makes of its undefined bytes, and
///    binary data of anything). `chardetng`'s confidence flag (`guess_assess`, 0.1.17) is
///    honoured, but it is true for every input (it tests `max >= 0` on a maximum that starts
///    at zero), so these checks carry the weight.
/// 4. When detection is unsure, bytes that read cleanly as Windows-1252, every non-ASCII
///    character a letter beside another letter or common punctuation, are read so
///    ([`EncodingSource::Fallback`]): a short Latin-1 page (`Caf\xE9 au lait`) is not an error.
///    A stray byte in ASCII text (`\xFF` alone) stays one.
///
/// ```
/// use thresh::repair::{EncodingSource, decode_bytes};
///
/// let (text, used) = decode_bytes(b"\xEF\xBB\xBFcaf\xC3\xA9", None)?;
/// assert_eq!((text.as_ref(), used.source), ("café", EncodingSource::ByteOrderMark));
///
/// let (text, used) = decode_bytes(b"\xCF\xF0\xE8\xE2\xE5\xF2", Some("windows-1251"))?;
/// assert_eq!((text.as_ref(), used.name), ("Привет", "windows-1251"));
///
/// let err = decode_bytes(b"x", Some("klingon")).unwrap_err();
/// assert!(err.to_string().starts_with("unknown encoding \"klingon\": expected"));
/// # Ok::<(), thresh::repair::DecodeError>(())
/// ```
pub fn decode_bytes<'a>(
    bytes: &'a [u8],
    forced: Option<&str>,
) -> Result<(Cow<'a, str>, EncodingUsed), DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_declared(bytes, bom_len, encoding, EncodingSource::ByteOrderMark);
    }
    if let Some(label) = forced {
        let encoding = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            DecodeError::UnknownEncoding {
                label: label.to_string(),
            }
        })?;
        if encoding == encoding_rs::REPLACEMENT {
            return Err(DecodeError::UnsupportedEncoding {
                label: label.to_string(),
            });
        }
        return decode_declared(bytes, 0, encoding, EncodingSource::Forced);
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary { offset });
    }
    let utf8_offset = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((Cow::Borrowed(s), used(UTF_8, EncodingSource::Utf8))),
        Err(e) => e.valid_up_to(),
    };
    if mostly_utf8(bytes) {
        // Damaged UTF-8, not a legacy encoding: decoding it as one would garble every
        // character that is intact.
        return Err(DecodeError::Undetected { utf8_offset });
    }
    detect(bytes, utf8_offset).or_else(|e| match western_fallback(bytes) {
        Some(text) => Ok((
            Cow::Owned(text),
            used(WINDOWS_1252, EncodingSource::Fallback),
        )),
        None => Err(e),
    })
}

/// Bytes that are not UTF-8 as Windows-1252, when that reads as Western text: no control
/// characters, every non-ASCII character a letter next to another letter (`Café`, `Müller`)
/// or common punctuation (`’`, `–`, `…`, `«`, `€`).
fn western_fallback(bytes: &[u8]) -> Option<String> {
    let text = decode_strict(WINDOWS_1252, bytes).ok()?;
    // `â€` is the start of a UTF-8 punctuation mark read as Windows-1252: UTF-8, damaged.
    if text.contains("â€") {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            if is_implausible_control(c) {
                return None;
            }
            continue;
        }
        if c.is_alphabetic() {
            let near = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|n| n.is_alphabetic())
            };
            if !near(i.checked_sub(1)) && !near(Some(i + 1)) {
                return None;
            }
            // A capital after a small letter (`cafÃ`) is a UTF-8 lead byte that lost its
            // continuation, not a Western word: damaged UTF-8 stays refused.
            if c.is_uppercase() && i > 0 && chars[i - 1].is_lowercase() {
                return None;
            }
        } else if !"’‘“”‚„–—…«»‹›€£¥¢©®™°§¶·´¨¼½¾¿¡\u{a0}".contains(c)
        {
            return None;
        }
    }
    Some(text)
}

/// Detection for bytes that are not UTF-8 (see [`decode_bytes`], step 3).
fn detect(
    bytes: &[u8],
    utf8_offset: usize,
) -> Result<(Cow<'static, str>, EncodingUsed), DecodeError> {
    if bytes.iter().filter(|b| !b.is_ascii()).count() < MIN_EVIDENCE {
        // A stray byte or two in ASCII text says nothing about an encoding: any guess would
        // be a coin toss.
        return Err(DecodeError::Undetected { utf8_offset });
    }
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    let (encoding, confident) = detector.guess_assess(None, false);
    if !confident {
        return Err(DecodeError::Undetected { utf8_offset });
    }
    let text = decode_strict(encoding, bytes).map_err(|offset| DecodeError::DetectedMalformed {
        utf8_offset,
        encoding: encoding.name(),
        offset,
    })?;
    if text.chars().any(is_implausible_control) {
        // Bytes that the guess decodes to control characters (Windows-1252 passes its five
        // undefined bytes through as C1 controls): the guess is wrong or the file is binary.
        return Err(DecodeError::Undetected { utf8_offset });
    }
    Ok((Cow::Owned(text), used(encoding, EncodingSource::Detected)))
}

/// The fewest non-ASCII bytes a file needs for its encoding to be detected.
const MIN_EVIDENCE: usize = 8;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when at least half of the non-ASCII bytes form valid UTF-8 sequences: UTF-8 with a
/// few damaged bytes. Legacy multi-byte encodings form such sequences only by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().len() - chunk.valid().bytes().filter(u8::is_ascii).count();
        invalid += chunk.invalid().len();
    }
    valid >= invalid
}

/// Controls that no text holds: C0 controls other than tab, line feed, form feed and carriage
/// return, and C1 controls.
fn is_implausible_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

fn used(encoding: &'static Encoding, source: EncodingSource) -> EncodingUsed {
    EncodingUsed {
        name: encoding.name(),
        source,
    }
}

/// Decodes `bytes[skip..]` with an encoding named by a byte-order mark or the caller.
fn decode_declared<'a>(
    bytes: &'a [u8],
    skip: usize,
    encoding: &'static Encoding,
    source: EncodingSource,
) -> Result<(Cow<'a, str>, EncodingUsed), DecodeError> {
    let body = &bytes[skip..];
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    let nul = if utf16 {
        body.chunks_exact(2)
            .position(|u| u == [0, 0])
            .map(|k| 2 * k)
    } else {
        memchr::memchr(0, body)
    };
    if let Some(k) = nul {
        return Err(DecodeError::Binary { offset: skip + k });
    }
    let malformed = |offset: usize| DecodeError::Malformed {
        encoding: encoding.name(),
        offset: skip + offset,
        source,
    };
    let text = if encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => return Err(malformed(e.valid_up_to())),
        }
    } else {
        Cow::Owned(decode_strict(encoding, body).map_err(malformed)?)
    };
    Ok((text, used(encoding, source)))
}

/// Decodes all of `bytes` with `encoding`, or returns the offset of the first malformed byte.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(capacity);
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(bytes.len() - read + 16),
            DecoderResult::Malformed(bad, after) => {
                return Err(read.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, bad) = encoding.encode(s);
        assert!(!bad, "{s:?} is not encodable in {}", encoding.name());
        bytes.into_owned()
    }

    const RUSSIAN: &str = "Правительство страны объявило в понедельник о новых мерах \
        поддержки экономики. По словам министра финансов, программа рассчитана на три года \
        и затронет малый и средний бизнес, а также семьи с детьми.";
    const FRENCH: &str = "Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir \
        l'économie. Selon le ministre, le programme durera trois ans et concernera les petites \
        entreprises, les familles et les élèves des écoles déjà très éprouvées.";
    const JAPANESE: &str = "政府は月曜日、経済を支援するための新たな措置を発表した。\
        財務大臣によると、この計画は三年間続き、中小企業や子育て世帯を対象とする。";
    const CHINESE: &str = "政府星期一宣布了支持经济的新措施。据财政部长说，\
        该计划将持续三年，涉及中小企业和有孩子的家庭。";
    const KOREAN: &str = "정부는 월요일 경제를 지원하기 위한 새로운 조치를 발표했다. \
        재무장관에 따르면 이 계획은 삼 년 동안 계속되며 중소기업과 가정을 대상으로 한다.";

    #[test]
    fn utf8_is_borrowed() {
        let (text, used) = decode_bytes("naïve".as_bytes(), None).unwrap();
        assert!(matches!(text, Cow::Borrowed("naïve")));
        assert_eq!(used.source, EncodingSource::Utf8);
        assert!(used.is_utf8());
        let (text, _) = decode_bytes(b"", None).unwrap();
        assert_eq!(text, "");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, used) = decode_bytes(b"\xEF\xBB\xBFhi\r\n", None).unwrap();
        assert!(matches!(text, Cow::Borrowed("hi\r\n")));
        assert_eq!(used.source, EncodingSource::ByteOrderMark);
        assert_eq!(used.to_string(), "UTF-8 (byte-order mark)");
        // A BOM inside the text is text.
        let (text, _) = decode_bytes("a\u{FEFF}b".as_bytes(), None).unwrap();
        assert_eq!(text, "a\u{FEFF}b");
        // A BOM wins over a forced encoding.
        let (text, used) = decode_bytes(b"\xEF\xBB\xBF\xC3\xA9", Some("windows-1251")).unwrap();
        assert_eq!((text.as_ref(), used.name), ("é", "UTF-8"));
    }

    #[test]
    fn utf8_bom_with_invalid_bytes_is_an_error() {
        let err = decode_bytes(b"\xEF\xBB\xBFab\xFF", None).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 5,
                source: EncodingSource::ByteOrderMark
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 5: expected UTF-8 text, as the byte-order mark says"
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Київ 😀\n".encode_utf16().flat_map(u16::to_le_bytes));
        let (text, used) = decode_bytes(&le, None).unwrap();
        assert_eq!((text.as_ref(), used.name), ("Київ 😀\n", "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("hi".encode_utf16().flat_map(u16::to_be_bytes));
        let (text, used) = decode_bytes(&be, None).unwrap();
        assert_eq!((text.as_ref(), used.name), ("hi", "UTF-16BE"));
        assert_eq!(used.source, EncodingSource::ByteOrderMark);
    }

    #[test]
    fn a_stray_byte_is_no_evidence() {
        for bytes in [
            &b"ok\n\xFF\n"[..],
            b"Good start\n\xC3\x28 broken\n",
            b"Caf\xE9 \x81 lait",
            b"A \xE9 alone",
            // Damaged UTF-8: a lead byte without its continuation.
            b"caf\xC3 au lait and more text\n",
            b"It\xE2\x80s over\n",
        ] {
            let err = decode_bytes(bytes, None).unwrap_err();
            assert!(matches!(err, DecodeError::Undetected { .. }), "{err:?}");
            assert!(err.to_string().contains("pass --encoding NAME"), "{err}");
        }
        // Told the encoding, the same bytes decode.
        let (text, _) = decode_bytes(b"Caf\xE9 au lait", Some("latin1")).unwrap();
        assert_eq!(text, "Café au lait");
    }

    #[test]
    fn short_western_text_falls_back_to_windows_1252() {
        for (bytes, text) in [
            (&b"Caf\xE9 au lait"[..], "Café au lait"),
            (
                b"M\xFCller sagte, der Br\xFCckenbau beginne im M\xE4rz.",
                "Müller sagte, der Brückenbau beginne im März.",
            ),
            (
                b"It\x92s \x93fine\x94 \x96 really\x85",
                "It’s “fine” – really…",
            ),
        ] {
            let (decoded, used) = decode_bytes(bytes, None).unwrap();
            assert_eq!(decoded, text);
            assert_eq!(
                (used.name, used.source),
                ("windows-1252", EncodingSource::Fallback)
            );
            assert_eq!(used.to_string(), "windows-1252 (fallback)");
        }
    }

    #[test]
    fn utf16_errors() {
        // An unpaired surrogate.
        let err = decode_bytes(&[0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0], None).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Malformed {
                    encoding: "UTF-16LE",
                    ..
                }
            ),
            "{err:?}"
        );
        // A NUL code unit.
        let err = decode_bytes(&[0xFF, 0xFE, b'a', 0, 0, 0], None).unwrap_err();
        assert_eq!(err, DecodeError::Binary { offset: 4 });
        // UTF-16 without a BOM has NUL bytes: binary.
        let err = decode_bytes(&[b'a', 0, b'b', 0], None).unwrap_err();
        assert_eq!(err, DecodeError::Binary { offset: 1 });
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode_bytes(b"ab\0c", None).unwrap_err().to_string(),
            "binary file: NUL byte at byte 2, expected text"
        );
        assert_eq!(
            decode_bytes(b"ab\0c", Some("windows-1252")).unwrap_err(),
            DecodeError::Binary { offset: 2 }
        );
    }

    #[test]
    fn forced_encodings() {
        let bytes = encode(encoding_rs::WINDOWS_1251, RUSSIAN);
        let (text, used) = decode_bytes(&bytes, Some("windows-1251")).unwrap();
        assert_eq!(text, RUSSIAN);
        assert_eq!(used.source, EncodingSource::Forced);
        assert_eq!(used.to_string(), "windows-1251 (forced)");
        let (text, used) = decode_bytes(b"caf\xE9 \x93x\x94", Some(" Latin1 ")).unwrap();
        assert_eq!((text.as_ref(), used.name), ("café “x”", "windows-1252"));
        let sjis = encode(encoding_rs::SHIFT_JIS, JAPANESE);
        let (text, used) = decode_bytes(&sjis, Some("shift_jis")).unwrap();
        assert_eq!((text.as_ref(), used.name), (JAPANESE, "Shift_JIS"));
        // Forced UTF-8 borrows.
        let (text, _) = decode_bytes("é".as_bytes(), Some("utf-8")).unwrap();
        assert!(matches!(text, Cow::Borrowed("é")));
        // Forced UTF-16 without a BOM.
        let le: Vec<u8> = "hé".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (text, _) = decode_bytes(&le, Some("utf-16le")).unwrap();
        assert_eq!(text, "hé");
    }

    #[test]
    fn forced_encoding_errors() {
        let err = decode_bytes(b"x", Some("klingon")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "unknown encoding \"klingon\": expected an encoding label such as {EXAMPLE_LABELS}"
            )
        );
        let err = decode_bytes(b"x", Some("iso-2022-kr")).unwrap_err();
        assert!(matches!(err, DecodeError::UnsupportedEncoding { .. }));
        assert!(
            err.to_string()
                .starts_with("encoding \"iso-2022-kr\" cannot be decoded")
        );
        let err = decode_bytes(b"ab\xFFcd", Some("utf-8")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 2: expected UTF-8 text, as the encoding given says"
        );
        // 0x82 0x20 is no Shift_JIS character.
        let err = decode_bytes(b"abc\x82 ", Some("shift_jis")).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Malformed {
                    encoding: "Shift_JIS",
                    offset: 3,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn detects_legacy_encodings() {
        for (encoding, text) in [
            (encoding_rs::WINDOWS_1251, RUSSIAN),
            (encoding_rs::KOI8_U, RUSSIAN),
            (WINDOWS_1252, FRENCH),
            (encoding_rs::SHIFT_JIS, JAPANESE),
            (encoding_rs::EUC_JP, JAPANESE),
            (encoding_rs::GBK, CHINESE),
            (encoding_rs::EUC_KR, KOREAN),
        ] {
            let bytes = encode(encoding, text);
            let (decoded, used) =
                decode_bytes(&bytes, None).unwrap_or_else(|e| panic!("{}: {e}", encoding.name()));
            assert_eq!(decoded, text, "{}", encoding.name());
            assert_eq!(used.source, EncodingSource::Detected);
            assert_eq!(used.name, encoding.name());
        }
    }

    #[test]
    fn refuses_when_unsure() {
        // High bytes that Windows-1252 leaves undefined decode to C1 controls: refused.
        let noise: Vec<u8> = (0x80..=0xFFu8).collect();
        assert_eq!(
            decode_bytes(&noise, None).unwrap_err(),
            DecodeError::Undetected { utf8_offset: 0 }
        );
        // Control characters: binary data, not text in some legacy encoding.
        let binary: Vec<u8> = (1..=0xFFu8).collect();
        assert_eq!(
            decode_bytes(&binary, None).unwrap_err(),
            DecodeError::Undetected { utf8_offset: 127 }
        );
        // UTF-8 with one damaged byte is not re-read as Windows-1252.
        let damaged = "Müller’s café, déjà vu: ";
        let mut bytes = damaged.as_bytes().to_vec();
        bytes.push(0xFF);
        assert_eq!(
            decode_bytes(&bytes, None).unwrap_err(),
            DecodeError::Undetected {
                utf8_offset: damaged.len()
            }
        );
        let err = DecodeError::Undetected { utf8_offset: 12 };
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 12 and the encoding could not be detected with confidence: \
             pass --encoding NAME"
        );
        let err = DecodeError::DetectedMalformed {
            utf8_offset: 3,
            encoding: "Shift_JIS",
            offset: 9,
        };
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 3, and the likeliest other encoding, Shift_JIS, fails at byte \
             9: pass --encoding NAME"
        );
    }

    #[test]
    fn decode_strict_reports_offsets() {
        assert_eq!(decode_strict(encoding_rs::SHIFT_JIS, b"ab\x82"), Err(2));
        assert_eq!(decode_strict(UTF_8, b"abc\xE2\x82"), Err(3));
        let long = "é".repeat(10_000);
        assert_eq!(
            decode_strict(WINDOWS_1252, &encode(WINDOWS_1252, &long)),
            Ok(long)
        );
    }
}

#[cfg(test)]
mod utf8_tests {
    use super::*;

    #[test]
    fn strips_bom_only_at_start() {
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFa").unwrap(), "a");
        assert_eq!(decode_utf8("a\u{FEFF}b".as_bytes()).unwrap(), "a\u{FEFF}b");
    }

    #[test]
    fn reports_offsets() {
        assert_eq!(
            decode_utf8(b"ab\xC3").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 2 }
        );
        assert_eq!(
            decode_utf8(b"\xEF\xBB\xBFab\xFF").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 5 }
        );
        assert_eq!(
            decode_utf8(b"ab\0c").unwrap_err(),
            DecodeError::Binary { offset: 2 }
        );
    }

    #[test]
    fn empty_is_text() {
        assert_eq!(decode_utf8(b"").unwrap(), "");
    }
}
