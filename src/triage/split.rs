//! Splits a stream of JSON into CloudTrail events without parsing the whole.
//!
//! CloudTrail delivers `{"Records":[event, ...]}` files; `aws cloudtrail
//! lookup-events` prints `{"Events":[...]}`; people also hold a single event, an
//! array of events, or one event per line. The splitter walks the bytes once,
//! keeping only the current event, and hands each event-level object to the
//! caller with what it noticed on the way: whether the event has an
//! `errorCode` or `errorMessage` key (only those are parsed further), and where
//! its `sourceIPAddress` value is (successful calls make a network familiar).

use std::io::Read;

/// The longest event the splitter holds. CloudTrail documents a maximum event
/// size of 256 KB for Lake ingestion; 4 MiB leaves room for any real event.
pub const MAX_EVENT_BYTES: usize = 4 << 20;

/// How deep JSON may nest before the splitter stops.
const MAX_DEPTH: usize = 256;

const CHUNK: usize = 256 << 10;

/// What the splitter saw in one event-level object.
#[derive(Debug, Default, Clone, Copy)]
pub struct Marks {
    /// The object has a top-level `errorCode`, `errorMessage` or
    /// `CloudTrailEvent` key (any letter case), or is a `ConsoleLogin`.
    pub candidate: bool,
    /// The object has a top-level `eventName` key (any letter case).
    pub event_name: bool,
    /// The bytes of the `sourceIPAddress` string value, relative to the event.
    pub ip: Option<(usize, usize)>,
}

/// Why reading stopped.
#[derive(Debug)]
pub enum SplitError {
    /// The reader failed (a truncated gzip stream shows up here).
    Io(std::io::Error),
    /// The bytes are not the JSON the splitter expects.
    Syntax(String),
}

/// Reads events from `reader`, calling `each(event bytes, offset, marks)` for
/// every event-level object, and returns the number of bytes read.
///
/// # Errors
///
/// On the first read error or structural problem, with the byte offset (in the
/// uncompressed stream) where reading stopped; events before it were handed out.
pub fn split<R: Read>(
    mut reader: R,
    mut each: impl FnMut(&[u8], u64, Marks),
) -> Result<u64, (SplitError, u64)> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    // Absolute offset of buf[0].
    let mut base: u64 = 0;
    let mut pos = 0usize;
    let mut st = State::default();
    loop {
        // Keep the current event (or the pending key) and drop what is before it.
        let keep = st.keep_from().unwrap_or(pos).min(pos);
        if keep > 0 {
            buf.drain(..keep);
            base += keep as u64;
            pos -= keep;
            st.shift(keep);
        }
        if buf.len() - st.keep_from().unwrap_or(buf.len()).min(buf.len()) > MAX_EVENT_BYTES {
            return Err((
                SplitError::Syntax(format!(
                    "an object longer than {} MiB (CloudTrail events are far smaller)",
                    MAX_EVENT_BYTES >> 20
                )),
                base + pos as u64,
            ));
        }
        let old = buf.len();
        buf.resize(old + CHUNK, 0);
        let n = loop {
            match reader.read(buf.get_mut(old..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    buf.truncate(old);
                    return Err((SplitError::Io(e), base + old as u64));
                }
            }
        };
        buf.truncate(old + n);
        if n == 0 {
            if !st.stack.is_empty() || st.in_string {
                return Err((
                    SplitError::Syntax(
                        "the input ends inside a JSON value (cut short?)".to_owned(),
                    ),
                    base + buf.len() as u64,
                ));
            }
            return Ok(base + buf.len() as u64);
        }
        pos = st
            .scan(&buf, pos, &mut each, base)
            .map_err(|(m, at)| (SplitError::Syntax(m), base + at as u64))?;
    }
}

#[derive(Default)]
struct State {
    stack: Vec<u8>,
    in_string: bool,
    escape: bool,
    string_start: usize,
    /// Where the current event starts in the buffer, and the stack depth it opened at.
    event: Option<(usize, usize)>,
    marks: Marks,
    /// The top-level object is a `{"Records": [...]}` (or `Events`) wrapper.
    wrapper: bool,
    /// Inside the current event's own object (depth event+1), a key is expected next.
    expect_key: bool,
    /// The last key at the event's own level, by what it means.
    last_key: Key,
    /// A key of the top-level object waiting to be compared: its start.
    top_key: Option<usize>,
    top_last_records: bool,
    /// The last string of the top-level object was `QueryResultRows`.
    top_last_rows: bool,
    /// The wrapper is CloudTrail Lake's `{"QueryResultRows": [[{...}, ...], ...]}`:
    /// each row, an array of one-member objects, is an event.
    rows: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Key {
    #[default]
    Other,
    Ip,
    /// `eventName`: a `ConsoleLogin` may have failed with neither an
    /// `errorCode` nor an `errorMessage`, its outcome only in
    /// `responseElements`, so it is parsed whatever its keys.
    Name,
}

impl State {
    fn keep_from(&self) -> Option<usize> {
        match (self.event, self.in_string) {
            (Some((s, _)), _) => Some(s),
            (None, true) => Some(self.string_start),
            (None, false) => None,
        }
    }

    fn shift(&mut self, by: usize) {
        if let Some((s, d)) = self.event {
            self.event = Some((s - by.min(s), d));
        }
        self.string_start -= by.min(self.string_start);
        if let Some(k) = self.top_key {
            self.top_key = Some(k - by.min(k));
        }
    }

    /// Whether an object opening now (at the current stack) starts an event.
    fn starts_event(&self) -> bool {
        match self.stack.as_slice() {
            [] => true,
            [b'['] => true,
            [b'{', b'['] => self.wrapper && !self.rows,
            _ => false,
        }
    }

    fn scan(
        &mut self,
        buf: &[u8],
        mut i: usize,
        each: &mut impl FnMut(&[u8], u64, Marks),
        base: u64,
    ) -> Result<usize, (String, usize)> {
        let n = buf.len();
        while i < n {
            if self.in_string {
                // Jump to the next quote or backslash.
                let rest = buf.get(i..).unwrap_or_default();
                if self.escape {
                    self.escape = false;
                    i += 1;
                    continue;
                }
                match quote_or_backslash(rest) {
                    None => return Ok(n),
                    Some(k) => {
                        i += k;
                        if buf.get(i) == Some(&b'\\') {
                            self.escape = true;
                            i += 1;
                            continue;
                        }
                        self.in_string = false;
                        self.string_end(buf, i);
                        i += 1;
                        continue;
                    }
                }
            }
            let b = buf.get(i).copied().unwrap_or(b' ');
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_start = i;
                }
                b'{' | b'[' => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err((format!("JSON nested deeper than {MAX_DEPTH} levels"), i));
                    }
                    if b == b'{' && self.event.is_none() && self.starts_event() {
                        self.event = Some((i, self.stack.len()));
                        self.marks = Marks::default();
                        self.expect_key = true;
                    }
                    if b == b'['
                        && self.event.is_none()
                        && self.rows
                        && self.stack.as_slice() == [b'{', b'[']
                    {
                        // A CloudTrail Lake result row: always worth parsing.
                        self.event = Some((i, self.stack.len()));
                        self.marks = Marks {
                            candidate: true,
                            ..Marks::default()
                        };
                    }
                    if b == b'[' && self.stack.as_slice() == [b'{'] && self.top_last_records {
                        // `{"Records": [` : the top-level object is a wrapper, not an event.
                        self.wrapper = true;
                        self.rows = self.top_last_rows;
                        self.event = None;
                    }
                    self.stack.push(b);
                }
                b'}' | b']' => {
                    let open = if b == b'}' { b'{' } else { b'[' };
                    if self.stack.pop() != Some(open) {
                        return Err((format!("unexpected `{}`", b as char), i));
                    }
                    if let Some((s, d)) = self.event {
                        if self.stack.len() == d {
                            let bytes = buf.get(s..=i).unwrap_or_default();
                            each(bytes, base + s as u64, self.marks);
                            self.event = None;
                        }
                    }
                    if self.stack.is_empty() {
                        self.wrapper = false;
                        self.rows = false;
                        self.top_last_records = false;
                        self.top_last_rows = false;
                    }
                }
                b',' => {
                    if self.at_event_level() {
                        self.expect_key = true;
                    }
                }
                b':' => {
                    if self.at_event_level() {
                        self.expect_key = false;
                    }
                }
                b' ' | b'\n' | b'\r' | b'\t' => {}
                0xEF | 0xBB | 0xBF if self.stack.is_empty() => {} // a byte-order mark
                _ => {
                    if self.stack.is_empty() {
                        return Err((
                            format!(
                                "unexpected {} where a JSON object or array should start",
                                describe(b)
                            ),
                            i,
                        ));
                    }
                }
            }
            i += 1;
        }
        Ok(n)
    }

    fn at_event_level(&self) -> bool {
        matches!(self.event, Some((_, d)) if self.stack.len() == d + 1)
            && self.stack.last() == Some(&b'{')
    }

    fn string_end(&mut self, buf: &[u8], end: usize) {
        let start = self.string_start;
        let text = buf.get(start + 1..end).unwrap_or_default();
        if self.stack.as_slice() == [b'{'] {
            // A key or value of the top-level object: is it `Records`/`Events`?
            self.top_last_rows = text == b"QueryResultRows";
            self.top_last_records = text == b"Records" || text == b"Events" || self.top_last_rows;
        }
        // Only keys of these lengths matter: `errorCode`, `eventName` (9),
        // `errorMessage` (12), `sourceIPAddress` and `CloudTrailEvent` (15);
        // and the values of `sourceIPAddress` and `eventName`.
        let interesting = matches!(text.len(), 9 | 12 | 15) || self.last_key != Key::Other;
        if interesting && self.at_event_level() {
            if self.expect_key {
                self.last_key = Key::Other;
                if text.eq_ignore_ascii_case(b"errorCode")
                    || text.eq_ignore_ascii_case(b"errorMessage")
                    || text.eq_ignore_ascii_case(b"CloudTrailEvent")
                {
                    self.marks.candidate = true;
                } else if text.eq_ignore_ascii_case(b"eventName") {
                    self.marks.event_name = true;
                    self.last_key = Key::Name;
                } else if text.eq_ignore_ascii_case(b"sourceIPAddress") {
                    self.last_key = Key::Ip;
                }
            } else if self.last_key == Key::Ip {
                if let Some((s, _)) = self.event {
                    self.marks.ip = Some((start + 1 - s, end - s));
                }
                self.last_key = Key::Other;
            } else if self.last_key == Key::Name {
                if text == b"ConsoleLogin" {
                    self.marks.candidate = true;
                }
                self.last_key = Key::Other;
            }
        }
    }
}

/// The first `"` or `\\` in `s`, eight bytes at a time: most of a CloudTrail
/// event's bytes are inside strings, so this loop is where reading spends its time.
fn quote_or_backslash(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let mut chunks = s.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let v = u64::from_le_bytes(w);
        if has_zero(v ^ (LO * u64::from(b'"'))) | has_zero(v ^ (LO * u64::from(b'\\'))) != 0 {
            return c
                .iter()
                .position(|&b| b == b'"' || b == b'\\')
                .map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|i| at + i)
}

fn describe(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::type_complexity)]
    fn events(text: &str) -> Result<Vec<(String, bool, Option<String>)>, (String, u64)> {
        let mut out = Vec::new();
        split(text.as_bytes(), |e, _, m| {
            let s = String::from_utf8_lossy(e).into_owned();
            let ip = m.ip.map(|(a, b)| s[a..b].to_owned());
            out.push((s, m.candidate, ip));
        })
        .map_err(|(e, at)| {
            (
                match e {
                    SplitError::Io(e) => e.to_string(),
                    SplitError::Syntax(s) => s,
                },
                at,
            )
        })?;
        Ok(out)
    }

    #[test]
    fn a_console_sign_in_is_read_whatever_its_keys() {
        // A failed sign-in may carry its outcome only in `responseElements`;
        // a nested `eventName` or another event's name is not one.
        let t = r#"{"Records":[{"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"}},{"eventName":"GetObject","x":{"eventName":"ConsoleLogin"}},{"eventName":"ConsoleLogins"}]}"#;
        let e = events(t).unwrap();
        assert_eq!(
            e.iter().map(|x| x.1).collect::<Vec<_>>(),
            [true, false, false]
        );
    }

    #[test]
    fn records_wrapper_array_single_and_lines() {
        let t = r#"{"Records":[{"eventName":"A","sourceIPAddress":"1.2.3.4","x":{"errorCode":"no"}},{"eventName":"B","errorCode":"AccessDenied","s":"}{\"]"}]}"#;
        let e = events(t).unwrap();
        assert_eq!(e.len(), 2);
        assert!(!e[0].1, "a nested errorCode is not the event's");
        assert_eq!(e[0].2.as_deref(), Some("1.2.3.4"));
        assert!(e[1].1);
        assert!(e[1].0.ends_with(r#""s":"}{\"]"}"#));
        let e = events(r#"[{"eventName":"A"}, {"eventName":"B","errorMessage":"m"}]"#).unwrap();
        assert_eq!(e.len(), 2);
        assert!(e[1].1);
        let e = events("{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n").unwrap();
        assert_eq!(e.len(), 2);
        // CloudTrail Lake's GetQueryResults: each row is an event.
        let e = events(r#"{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventName":"A"},{"errorCode":"x"}],[{"eventName":"B"}]],"NextToken":null}"#).unwrap();
        assert_eq!(e.len(), 2);
        assert!(e[0].0.starts_with("[{") && e[1].1);
        // An object whose first member is not `Records` is one event.
        let e = events(r#"{"eventVersion":"1.08","Records":"x"}"#).unwrap();
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn events_split_across_reads_keep_their_bytes() {
        let one = r#"{"eventName":"GetObject","errorCode":"AccessDenied","sourceIPAddress":"203.0.113.9","pad":"PAD"}"#
            .replace("PAD", &"x".repeat(1000));
        let text = format!("{{\"Records\":[{}]}}", vec![one.as_str(); 600].join(","));
        let e = events(&text).unwrap();
        assert_eq!(e.len(), 600);
        assert!(e.iter().all(|x| x.0 == one && x.1));
        assert!(e.iter().all(|x| x.2.as_deref() == Some("203.0.113.9")));
    }

    #[test]
    fn finds_quotes_and_backslashes_at_any_position() {
        for n in 0..40 {
            for b in [b'"', b'\\'] {
                let mut s = vec![b'x'; n + 9];
                s[n] = b;
                assert_eq!(quote_or_backslash(&s), Some(n));
            }
        }
        assert_eq!(quote_or_backslash(b"no quotes here at all"), None);
    }

    #[test]
    fn bad_input_says_where() {
        let (m, at) = events(r#"{"Records":[{"eventName":"A"},{"eventN"#).unwrap_err();
        assert_eq!(m, "the input ends inside a JSON value (cut short?)");
        assert_eq!(at, 38);
        let (m, at) = events("eventtime,eventname\n").unwrap_err();
        assert_eq!(
            m,
            "unexpected `e` where a JSON object or array should start"
        );
        assert_eq!(at, 0);
        let (m, _) = events(r#"{"a":]"#).unwrap_err();
        assert_eq!(m, "unexpected `]`");
    }
}
