//! The text with the escapes that habitually hide credentials undone, and a
//! map from each decoded byte back to where it came from.
//!
//! A presigned URL pasted from JSON reads `\/` and `\u0026`; one in an HTML
//! page reads `&amp;`; one inside another URL is percent-encoded. Detecting on
//! the decoded text and mapping each span back masks the original bytes,
//! escapes and all.

/// The decoded text and, for each of its bytes plus one past the end, the
/// offset in the original text where that byte's source starts.
pub(super) struct Decoded {
    pub text: String,
    map: Vec<u32>,
}

impl Decoded {
    /// The original span of the decoded span `start..end`: from the start of
    /// the escape that produced `start` to the start of the one that produced
    /// `end`, so whole escapes are covered.
    pub fn original(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let s = usize::try_from(*self.map.get(start)?).ok()?;
        let e = usize::try_from(*self.map.get(end)?).ok()?;
        Some((s, e))
    }
}

/// HTML character references that appear in pasted URLs and JSON.
const ENTITIES: [(&str, u8); 9] = [
    ("&amp;", b'&'),
    ("&quot;", b'"'),
    ("&lt;", b'<'),
    ("&gt;", b'>'),
    ("&apos;", b'\''),
    ("&#39;", b'\''),
    ("&#x27;", b'\''),
    ("&#x2f;", b'/'),
    ("&#47;", b'/'),
];

/// Decodes `\/`, `\uXXXX` (ASCII only), the HTML references above and `%XX`
/// (printable ASCII only, so the result stays UTF-8 and a `%` in a value stays
/// where it is not an escape), once, in one pass. Returns `None` when the text
/// holds none of them. Linear: each input byte is copied or consumed by one
/// escape of at most 8 bytes.
pub(super) fn decode(text: &str) -> Option<Decoded> {
    let b = text.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'\\' | b'&' | b'%')) || u32::try_from(b.len()).is_err() {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut map = Vec::with_capacity(b.len() + 1);
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let (byte, len) = escape(b, i).unwrap_or((c, 1));
        changed |= len > 1;
        out.push(byte);
        map.push(u32::try_from(i).unwrap_or(u32::MAX));
        i += len;
    }
    map.push(u32::try_from(b.len()).unwrap_or(u32::MAX));
    if !changed {
        return None;
    }
    // Every escape decodes to one ASCII byte and other bytes are copied
    // whole, so the result is UTF-8; `ok()` keeps that a checked fact.
    let text = String::from_utf8(out).ok()?;
    Some(Decoded { text, map })
}

/// The byte an escape at `i` stands for and the escape's length.
fn escape(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let hex = |at: usize, n: usize| -> Option<u32> {
        let d = b.get(at..at + n)?;
        d.iter()
            .try_fold(0u32, |acc, &c| Some(acc * 16 + char::from(c).to_digit(16)?))
    };
    let ascii = |v: u32| u8::try_from(v).ok().filter(|c| (0x20..0x7f).contains(c));
    match b.get(i)? {
        b'\\' => match b.get(i + 1)? {
            b'/' => Some((b'/', 2)),
            b'u' => Some((ascii(hex(i + 2, 4)?)?, 6)),
            _ => None,
        },
        b'%' => Some((ascii(hex(i + 1, 2)?)?, 3)),
        b'&' => ENTITIES.iter().find_map(|(name, c)| {
            b.get(i..i + name.len())
                .filter(|w| w.eq_ignore_ascii_case(name.as_bytes()))
                .map(|_| (*c, name.len()))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_escape_and_maps_back() {
        let t = r"a\/b\u0026c&amp;d%3De%zz\u00e9";
        let d = decode(t).unwrap();
        assert_eq!(d.text, r"a/b&c&d=e%zz\u00e9");
        // `&` (decoded byte 3) came from `\u0026` at 4..10.
        assert_eq!(d.original(3, 4), Some((4, 10)));
        assert_eq!(d.original(0, d.text.len()), Some((0, t.len())));
        assert!(decode("plain text").is_none());
        assert!(decode("100% sure & done").is_none());
    }
}
