//! A small, forgiving base64 decoder for reading tokens (never for writing them).
//!
//! Accepts both alphabets of RFC 4648 (standard `+/` and URL-safe `-_`), with or
//! without `=` padding, because JWT segments use the URL-safe alphabet unpadded
//! while HTTP Basic credentials use the standard one padded. Anything else is
//! refused with `None`; the caller treats that as "not a token".

/// The value of one base64 digit in either alphabet.
fn digit(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64 text in either alphabet, padded or not.
///
/// Returns `None` when the text holds a character outside both alphabets, when
/// padding appears anywhere but at the end, or when the length cannot be a whole
/// number of bytes (one leftover digit).
#[must_use]
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len().saturating_sub(body.len()) > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for b in body.bytes() {
        acc = (acc << 6) | digit(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // Truncation to the low byte is the point: `acc >> bits` holds 8 new bits.
            out.push(((acc >> bits) & 0xff) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six leftover bits cannot encode a byte: the input was cut short.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_rfc_4648_test_vectors() {
        // RFC 4648 section 10 test vectors, padded and unpadded.
        let cases = [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
            ("Zm9vYg", "foob"),
            ("Zm9vYmE", "fooba"),
        ];
        for (enc, dec) in cases {
            assert_eq!(decode(enc).as_deref(), Some(dec.as_bytes()), "{enc}");
        }
    }

    #[test]
    fn accepts_both_alphabets() {
        assert_eq!(decode("-_-_"), decode("+/+/"));
        assert_eq!(decode("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
    }

    #[test]
    fn refuses_what_is_not_base64() {
        for bad in ["Zm9v!", "Z", "Zm9vY", "Zm=9v", "Zg===", "é"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
