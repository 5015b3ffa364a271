//! Decode: bytes in, text out. The first stage of the pipeline; everything after it sees `&str`.
//!
//! A UTF-8 byte-order mark is stripped; a NUL byte marks a binary file; invalid UTF-8 is an error
//! that names the byte offset. Line endings are left to `doc`, which handles CRLF and lone CR.

use std::borrow::Cow;

use crate::error::DecodeError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes the bytes of one file into text.
///
/// ```
/// assert_eq!(thresh::decode(b"\xEF\xBB\xBFhi\r\n").unwrap(), "hi\r\n");
/// assert!(thresh::decode(b"a\xFFb").is_err());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_only_at_start() {
        assert_eq!(decode(b"\xEF\xBB\xBFa").unwrap(), "a");
        assert_eq!(decode("a\u{FEFF}b".as_bytes()).unwrap(), "a\u{FEFF}b");
    }

    #[test]
    fn reports_offsets() {
        assert_eq!(
            decode(b"ab\xC3").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 2 }
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFab\xFF").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 5 }
        );
        assert_eq!(
            decode(b"ab\0c").unwrap_err(),
            DecodeError::Binary { offset: 2 }
        );
    }

    #[test]
    fn empty_is_text() {
        assert_eq!(decode(b"").unwrap(), "");
    }
}
