//! A span-preserving JSON parser for pasted policies and scenarios.
//!
//! `serde_json` forgets where things were; the explanations need to point at the
//! statement and the element that decided, and the diagnostics need line and
//! column. This parser keeps, for every value, the byte span it came from, keeps
//! object members in their order (duplicates included, so that they can be
//! diagnosed), and the span of every key.
//!
//! It is iterative, never recursive: nesting deeper than [`MAX_DEPTH`] (or the
//! depth given to [`parse_with_depth`]) is an error, so a hundred thousand `[`
//! cannot overflow the stack. Numbers are kept as their raw text, with an `f64`
//! view for the operators that compare numbers.

use crate::diag::{line_column, Span};
use std::borrow::Cow;

/// The nesting depth [`parse`] accepts.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with the byte span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<'a> {
    /// What the value is.
    pub kind: Kind<'a>,
    /// Where it is in the parsed text.
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number<'a>),
    /// A string, with its escapes decoded (borrowed from the input when it
    /// has no escapes).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, members in the order written, duplicates kept.
    Object(Vec<Member<'a>>),
}

/// A number kept as its raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct Number<'a> {
    /// The text exactly as written, for example `1e3` or `-0.50`.
    pub raw: &'a str,
}

impl Number<'_> {
    /// The number as an `f64` (always available for valid JSON numbers; very
    /// large exponents become infinities).
    #[must_use]
    pub fn as_f64(&self) -> f64 {
        self.raw.parse::<f64>().unwrap_or(f64::NAN)
    }
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key, escapes decoded.
    pub key: Cow<'a, str>,
    /// Where the key (with its quotes) is.
    pub key_span: Span,
    /// The value.
    pub value: Value<'a>,
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
    /// 1-based line of `offset`.
    pub line: usize,
    /// 1-based column of `offset`, in characters.
    pub column: usize,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

impl<'a> Value<'a> {
    /// The members, when this is an object.
    #[must_use]
    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match &self.kind {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, when this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The first member named `key` (exact match), when this is an object.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// A short name of the kind, for messages: `null`, `boolean`, `number`,
    /// `string`, `array`, `object`.
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }

    /// Converts to a `serde_json::Value` (spans are dropped; for duplicate keys
    /// the last one wins, as in most JSON readers).
    #[must_use]
    pub fn to_serde(&self) -> serde_json::Value {
        // Iterative to match the parser's depth guarantees is unnecessary here:
        // depth is already bounded by the parser.
        match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => serde_json::from_str::<serde_json::Number>(n.raw)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Kind::String(s) => serde_json::Value::String(s.to_string()),
            Kind::Array(a) => serde_json::Value::Array(a.iter().map(Value::to_serde).collect()),
            Kind::Object(m) => {
                let mut map = serde_json::Map::new();
                for member in m {
                    map.insert(member.key.to_string(), member.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Parses `text` as one JSON value, with nesting up to [`MAX_DEPTH`].
///
/// # Errors
///
/// Returns a [`JsonError`] with the byte offset, line and column of the first
/// problem: a syntax error, trailing text, or nesting deeper than the limit.
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    parse_with_depth(text, MAX_DEPTH)
}

/// Parses `text` as one JSON value, with nesting up to `max_depth`.
///
/// Values are dropped recursively, so keep `max_depth` in the thousands at most.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_with_depth(text: &str, max_depth: usize) -> Result<Value<'_>, JsonError> {
    parse_inner(text, max_depth, &[])
}

/// Like [`parse`], but the arrays and objects found at `path` are not read:
/// they come back empty, with their full span. For callers that need only the
/// text of such a value (to look it up by its text, say).
///
/// Each step of `path` is `Some(key)` for an object member or `None` for any
/// array element; `[Some("policies"), None, Some("document")]` names every
/// `document` of every element of the top-level `policies`.
///
/// A skipped value is found by matching its brackets outside strings, without
/// checking its grammar, so **the caller must check each skipped slice** (for
/// example by parsing it on its own; at the same nesting depth, since the limit
/// counts the levels around it). A slice that is valid JSON is exactly the value
/// [`parse`] reads there: an array or object ends at its matching bracket. When
/// a skipped value's end cannot be found (it does not close, or nests too
/// deep), or anything else is wrong, the whole text is parsed as by [`parse`].
///
/// # Errors
///
/// Exactly those of [`parse`]; a text whose only errors are inside skipped
/// values is returned as `Ok`.
pub fn parse_skipping<'a>(text: &'a str, path: &[Option<&str>]) -> Result<Value<'a>, JsonError> {
    parse_skipping_known(text, path, &|_, _| None)
}

/// [`parse_skipping`], told where some skipped values end: `known(rest,
/// depth_left)` may return the length of a container at the start of `rest`
/// that is known to be valid JSON nesting at most `depth_left` levels (see
/// [`nesting_depth`]). Such a value ends exactly there (no valid container is
/// a proper prefix of another text's container scan), so the result is the
/// one [`parse_skipping`] gives; only the scan for its end is saved.
///
/// # Errors
///
/// Those of [`parse_skipping`].
pub fn parse_skipping_known<'a>(
    text: &'a str,
    path: &[Option<&str>],
    known: &dyn Fn(&[u8], usize) -> Option<usize>,
) -> Result<Value<'a>, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    match p.run(MAX_DEPTH, path, known) {
        // Any error: the exact one `parse` reports (a skipped value that is not
        // valid JSON can make the text after it look wrong in another place).
        Err(_) => parse(text),
        ok => ok,
    }
}

/// The index of the first `"` or `\\` in `bytes` (and, with `controls`, the
/// first byte below 0x20), or `bytes.len()` if there is none. It reads eight
/// bytes at a time: a byte equal to `c` is a zero byte in `w ^ c×8`, flagged
/// by `(v - 0x01×8) & !v & 0x80×8`, and a byte below 0x20 is flagged by
/// `(w - 0x20×8) & !w & 0x80×8`. A flag can be wrong only above a true
/// match in the same word (a borrow runs upwards), so the lowest flag is exact.
pub(crate) fn find_special(bytes: &[u8], controls: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0usize;
    for c in &mut chunks {
        let w = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
        let q = w ^ (ONES * u64::from(b'"'));
        let b = w ^ (ONES * u64::from(b'\\'));
        let mut f = (q.wrapping_sub(ONES) & !q) | (b.wrapping_sub(ONES) & !b);
        if controls {
            f |= w.wrapping_sub(ONES * 0x20) & !w;
        }
        f &= HIGH;
        if f != 0 {
            return base + (f.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let rest = chunks.remainder();
    base + rest
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || (controls && c < 0x20))
        .unwrap_or(rest.len())
}

/// The index of the quote that closes the string opening at `open`, stepping
/// over escapes; `None` when the string does not close.
fn string_close(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open.checked_add(1)?;
    loop {
        let rest = bytes.get(i..)?;
        let n = find_special(rest, false);
        if n >= rest.len() {
            return None;
        }
        i = i.checked_add(n)?;
        if bytes.get(i) == Some(&b'"') {
            return Some(i);
        }
        // A backslash and the byte it escapes.
        i = i.checked_add(2)?;
    }
}

/// The end (one past the closing bracket) of the array or object that starts at
/// `from`, found by counting brackets outside strings; `None` when it does not
/// close or nests deeper than `max_depth`. The grammar is not checked.
fn container_end(bytes: &[u8], from: usize, max_depth: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = string_close(bytes, i)?,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return None;
                }
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return i.checked_add(1);
                }
            }
            _ => {}
        }
        i = i.checked_add(1)?;
    }
    None
}

fn parse_inner<'a>(
    text: &'a str,
    max_depth: usize,
    skip: &[Option<&str>],
) -> Result<Value<'a>, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    p.run(max_depth, skip, &|_, _| None)
}

/// How many levels of arrays and objects `text` nests (found by matching
/// brackets outside strings, as a skipped value is), or `None` if a string
/// does not close or a bracket closes nothing.
#[must_use]
pub fn nesting_depth(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = string_close(bytes, i)?,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i = i.checked_add(1)?;
    }
    Some(max)
}

enum Frame<'a> {
    /// An open array; its elements so far are `values[base..]`.
    Array { start: usize, base: usize },
    /// An open object; its members so far are `members[base..]`.
    Object {
        start: usize,
        base: usize,
        key: Option<(Cow<'a, str>, Span)>,
    },
}

/// Whether a container opened now, inside the open `stack`, is at `path`.
fn at_path(stack: &[Frame<'_>], path: &[Option<&str>]) -> bool {
    !path.is_empty()
        && stack.len() == path.len()
        && stack
            .iter()
            .zip(path)
            .all(|(frame, step)| match (frame, step) {
                (Frame::Array { .. }, None) => true,
                (
                    Frame::Object {
                        key: Some((k, _)), ..
                    },
                    Some(want),
                ) => k == want,
                _ => false,
            })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    /// Parses the whole text as one value.
    fn run(
        &mut self,
        max_depth: usize,
        skip: &[Option<&str>],
        known: &dyn Fn(&[u8], usize) -> Option<usize>,
    ) -> Result<Value<'a>, JsonError> {
        // A leading byte-order mark is common in files saved by Windows editors.
        if self.text.starts_with('\u{feff}') {
            self.pos = 3;
        }
        let value = self.value(max_depth, skip, known)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error_at(self.pos, "unexpected text after the JSON value"));
        }
        Ok(value)
    }

    fn error_at(&self, offset: usize, message: &str) -> JsonError {
        let (line, column) = line_column(self.text, offset);
        JsonError {
            message: message.to_owned(),
            offset,
            line,
            column,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Where the run of string bytes without `"`, `\\` or control characters
    /// that starts at `from` ends.
    fn plain_run_end(&self, from: usize) -> usize {
        let rest = self.bytes.get(from..).unwrap_or(&[]);
        let n = find_special(rest, true);
        from.saturating_add(n)
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// Parses one value with an explicit stack of open arrays and objects.
    fn value(
        &mut self,
        max_depth: usize,
        skip: &[Option<&str>],
        known: &dyn Fn(&[u8], usize) -> Option<usize>,
    ) -> Result<Value<'a>, JsonError> {
        let mut stack: Vec<Frame<'a>> = Vec::new();

        // Elements and members of every open container, in one buffer each, so
        // that each finished container is allocated once, at its exact size.
        let mut values: Vec<Value<'a>> = Vec::new();
        let mut members: Vec<Member<'a>> = Vec::new();
        loop {
            // Expect a value (or the end of an empty container) here.
            self.skip_ws();
            let start = self.pos;
            let mut done: Option<Value> = match self.peek() {
                None => {
                    return Err(self.error_at(self.pos, "unexpected end of input, expected a value"))
                }
                Some(b'[') | Some(b'{') => {
                    if stack.len() >= max_depth {
                        return Err(self
                            .error_at(start, &format!("nesting deeper than {max_depth} levels")));
                    }
                    let is_array = self.peek() == Some(b'[');
                    if at_path(&stack, skip) {
                        // Find the end without reading the value (see `parse_skipping`).
                        let depth_left = max_depth.saturating_sub(stack.len());
                        let hint = known(self.bytes.get(start..).unwrap_or_default(), depth_left);
                        let Some(end) = hint
                            .map(|len| start.saturating_add(len))
                            .or_else(|| container_end(self.bytes, start, depth_left))
                        else {
                            return Err(self.error_at(start, "skipped value does not close"));
                        };
                        self.pos = end;
                        let kind = if is_array {
                            Kind::Array(Vec::new())
                        } else {
                            Kind::Object(Vec::new())
                        };
                        Some(Value {
                            kind,
                            span: Span::new(start, end),
                        })
                    } else {
                        self.pos += 1;
                        self.skip_ws();
                        let close = if is_array { b']' } else { b'}' };
                        if self.peek() == Some(close) {
                            self.pos += 1;
                            let kind = if is_array {
                                Kind::Array(Vec::new())
                            } else {
                                Kind::Object(Vec::new())
                            };
                            Some(Value {
                                kind,
                                span: Span::new(start, self.pos),
                            })
                        } else if is_array {
                            stack.push(Frame::Array {
                                start,
                                base: values.len(),
                            });
                            continue;
                        } else {
                            let key = self.key()?;
                            stack.push(Frame::Object {
                                start,
                                base: members.len(),
                                key: Some(key),
                            });
                            continue;
                        }
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    Some(Value {
                        kind: Kind::String(s),
                        span: Span::new(start, self.pos),
                    })
                }
                Some(b't') => Some(self.literal("true", Kind::Bool(true))?),
                Some(b'f') => Some(self.literal("false", Kind::Bool(false))?),
                Some(b'n') => Some(self.literal("null", Kind::Null)?),
                Some(b'-' | b'0'..=b'9') => Some(self.number()?),
                Some(_) => return Err(self.error_at(start, "expected a value")),
            };
            // Attach the finished value to its parent, closing containers as they end.
            while let Some(value) = done.take() {
                let Some(frame) = stack.last_mut() else {
                    return Ok(value);
                };
                self.skip_ws();
                match frame {
                    Frame::Array { start, base } => {
                        values.push(value);
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let span = Span::new(*start, self.pos);
                                let items = values.split_off((*base).min(values.len()));
                                stack.pop();
                                done = Some(Value {
                                    kind: Kind::Array(items),
                                    span,
                                });
                            }
                            _ => return Err(self.error_at(self.pos, "expected `,` or `]`")),
                        }
                    }
                    Frame::Object { start, base, key } => {
                        if let Some((k, key_span)) = key.take() {
                            members.push(Member {
                                key: k,
                                key_span,
                                value,
                            });
                        }
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                let next = self.key()?;
                                if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                    *key = Some(next);
                                }
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let span = Span::new(*start, self.pos);
                                let own = members.split_off((*base).min(members.len()));
                                stack.pop();
                                done = Some(Value {
                                    kind: Kind::Object(own),
                                    span,
                                });
                            }
                            _ => return Err(self.error_at(self.pos, "expected `,` or `}`")),
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key"` and the `:` after it.
    fn key(&mut self) -> Result<(Cow<'a, str>, Span), JsonError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.error_at(self.pos, "expected a string key"));
        }
        let key = self.string()?;
        let span = Span::new(start, self.pos);
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error_at(self.pos, "expected `:` after the key"));
        }
        self.pos += 1;
        Ok((key, span))
    }

    fn literal(&mut self, word: &str, kind: Kind<'a>) -> Result<Value<'a>, JsonError> {
        let start = self.pos;
        let end = start.saturating_add(word.len());
        if self.bytes.get(start..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(Value {
                kind,
                span: Span::new(start, end),
            })
        } else {
            Err(self.error_at(start, "expected a value"))
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - from
    }

    fn number(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 {
            return Err(self.error_at(self.pos, "expected a digit"));
        }
        if n > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(self.error_at(int_start, "leading zeros are not allowed in numbers"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error_at(self.pos, "expected a digit after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error_at(self.pos, "expected a digit in the exponent"));
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or("");
        Ok(Value {
            kind: Kind::Number(Number { raw }),
            span: Span::new(start, self.pos),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v: u32 = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => u32::from(b - b'0'),
                Some(b @ b'a'..=b'f') => u32::from(b - b'a') + 10,
                Some(b @ b'A'..=b'F') => u32::from(b - b'A') + 10,
                _ => return Err(self.error_at(self.pos, "expected four hex digits after `\\u`")),
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let open = self.pos;
        self.pos += 1;
        // Fast path: no escapes, so the string is a slice of the input.
        let body = self.pos;
        self.pos = self.plain_run_end(body);
        if self.peek() == Some(b'"') {
            let s = self.text.get(body..self.pos).unwrap_or("");
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        self.pos = body;
        let mut out = String::new();
        loop {
            // Copy the longest run without quotes, escapes or control characters.
            let run_start = self.pos;
            self.pos = self.plain_run_end(run_start);
            // The run ends on an ASCII byte or at the end, so it is on a char boundary.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let esc_at = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.error_at(open, "unterminated string"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by `\u` and a low one.
                                if self.bytes.get(self.pos..self.pos.saturating_add(2))
                                    != Some(b"\\u")
                                {
                                    return Err(
                                        self.error_at(esc_at, "unpaired surrogate in `\\u` escape")
                                    );
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(
                                        self.error_at(esc_at, "unpaired surrogate in `\\u` escape")
                                    );
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else if (0xDC00..0xE000).contains(&hi) {
                                None
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => {
                                    return Err(
                                        self.error_at(esc_at, "unpaired surrogate in `\\u` escape")
                                    )
                                }
                            }
                        }
                        _ => return Err(self.error_at(esc_at, "invalid escape in string")),
                    }
                }
                Some(_) => {
                    return Err(self.error_at(
                        self.pos,
                        "control character in string; write it as an escape",
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_brackets_outside_strings() {
        assert_eq!(nesting_depth("1"), Some(0));
        assert_eq!(nesting_depth("{}"), Some(1));
        assert_eq!(nesting_depth(r#"{"a":[{"b":"[[[\"{"},[]]}"#), Some(3));
        assert_eq!(nesting_depth(r#"{"a":"x}"#), None);
        assert_eq!(nesting_depth("[]]"), None);
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(nesting_depth(&deep), Some(40));
        // The depth is the smallest limit under which the value's end is found.
        assert_eq!(container_end(deep.as_bytes(), 0, 40), Some(80));
        assert_eq!(container_end(deep.as_bytes(), 0, 39), None);
    }

    #[test]
    fn find_special_agrees_with_a_byte_loop() {
        let alphabet = [
            0u8, 0x01, 0x1f, 0x20, 0x21, b'"', b'\\', b'a', 0x7f, 0x80, 0xa2, 0xdc, 0xff,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..40 {
            for _ in 0..300 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        // Mostly plain bytes, so that runs are long.
                        if seed % 5 == 0 {
                            alphabet[(seed >> 8) as usize % alphabet.len()]
                        } else {
                            b'x'
                        }
                    })
                    .collect();
                for controls in [false, true] {
                    let naive = bytes
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\' || (controls && c < 0x20))
                        .unwrap_or(bytes.len());
                    assert_eq!(
                        find_special(&bytes, controls),
                        naive,
                        "{bytes:?} {controls}"
                    );
                }
            }
        }
    }

    fn err(text: &str) -> JsonError {
        parse(text).unwrap_err()
    }

    #[test]
    fn values_carry_spans_and_objects_keep_order_and_duplicates() {
        let text = r#"{"b": 1, "a": [true, null], "b": "x"}"#;
        let v = parse(text).unwrap();
        assert_eq!(v.span, Span::new(0, text.len()));
        let m = v.as_object().unwrap();
        assert_eq!(
            m.iter().map(|m| m.key.as_ref()).collect::<Vec<_>>(),
            ["b", "a", "b"]
        );
        assert_eq!(&text[m[0].key_span.start..m[0].key_span.end], "\"b\"");
        assert_eq!(
            &text[m[1].value.span.start..m[1].value.span.end],
            "[true, null]"
        );
        assert_eq!(&text[m[2].value.span.start..m[2].value.span.end], "\"x\"");
        assert_eq!(v.get("b").unwrap().kind, Kind::Number(Number { raw: "1" }));
    }

    #[test]
    fn numbers_keep_raw_text() {
        let v = parse("[-0.50, 1e3, 0, 12E-2]").unwrap();
        let raws: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| match &x.kind {
                Kind::Number(n) => (n.raw.to_owned(), n.as_f64()),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(raws[0], ("-0.50".to_owned(), -0.5));
        assert_eq!(raws[1], ("1e3".to_owned(), 1000.0));
        assert_eq!(raws[3].1, 0.12);
        assert!(parse("01").is_err());
        assert!(parse("1.").is_err());
        assert!(parse("-").is_err());
        assert!(parse("1e").is_err());
    }

    #[test]
    fn string_escapes_and_surrogate_pairs() {
        let v = parse(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str().unwrap(), "a\"\\/\u{8}\u{c}\n\r\té😀");
        assert!(parse(r#""\ud83d""#).is_err());
        assert!(parse(r#""\ude00""#).is_err());
        assert!(parse(r#""\ud83d\u0041""#).is_err());
        assert!(parse(r#""\x""#).is_err());
        assert!(parse("\"a\nb\"").is_err());
        assert_eq!(parse("\"héllo\"").unwrap().as_str(), Some("héllo"));
    }

    #[test]
    fn errors_carry_offset_line_and_column() {
        let e = err("{\n  \"a\" 1}");
        assert_eq!((e.offset, e.line, e.column), (8, 2, 7));
        assert_eq!(e.message, "expected `:` after the key");
        let e = err("[1, 2");
        assert_eq!(e.message, "expected `,` or `]`");
        assert_eq!(e.offset, 5);
        let e = err("{\"a\": 1,}");
        assert_eq!(e.message, "expected a string key");
        let e = err("[1] x");
        assert_eq!(e.message, "unexpected text after the JSON value");
        assert_eq!(e.offset, 4);
        let e = err("\"abc");
        assert_eq!(e.message, "unterminated string");
        assert_eq!(err("").message, "unexpected end of input, expected a value");
        assert_eq!(err("tru").message, "expected a value");
    }

    #[test]
    fn depth_limit_is_an_error() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.message, "nesting deeper than 128 levels");
        assert_eq!(e.offset, 128);
        let objs = "{\"a\":".repeat(200);
        assert!(parse(&objs)
            .unwrap_err()
            .message
            .starts_with("nesting deeper"));
    }

    #[test]
    fn hundred_thousand_brackets_do_not_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep).unwrap_err().offset, 128);
    }

    #[test]
    fn empty_containers_and_whitespace() {
        let v = parse("\u{feff}{}").unwrap();
        assert_eq!(v.kind, Kind::Object(vec![]));
        let v = parse(" [ ] ").unwrap();
        assert_eq!(v.span, Span::new(1, 4));
        let v = parse("{\"a\":{}}").unwrap();
        assert_eq!(v.get("a").unwrap().span, Span::new(5, 7));
    }

    #[test]
    fn converts_to_serde() {
        let v = parse(r#"{"a":[1,"x",null,false],"a":2}"#).unwrap();
        assert_eq!(v.to_serde(), serde_json::json!({"a": 2}));
    }

    #[test]
    fn skipping_delimits_values_and_keeps_the_rest() {
        const PATH: [Option<&str>; 3] = [Some("policies"), None, Some("document")];
        let text = r#"{"policies":[{"name":"a","document":{"x":[1,{"y":"\u00e9"}]}},{"document":"s"},{"document":[]}],"document":{"k":1},"request":{"policies":[{"document":{"z":1}}]}}"#;
        let full = parse(text).unwrap();
        let lazy = parse_skipping(text, &PATH).unwrap();
        let docs = |v: &Value| -> Vec<(String, Span)> {
            v.get("policies")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let d = p.get("document").unwrap();
                    (d.kind_name().to_owned(), d.span)
                })
                .collect()
        };
        assert_eq!(docs(&full), docs(&lazy));
        let first = lazy.get("policies").unwrap().as_array().unwrap()[0]
            .get("document")
            .unwrap();
        assert_eq!(first.kind, Kind::Object(vec![]));
        assert_eq!(
            &text[first.span.start..first.span.end],
            r#"{"x":[1,{"y":"\u00e9"}]}"#
        );
        // Only that path is skipped.
        assert_eq!(full.get("document"), lazy.get("document"));
        assert_eq!(full.get("request"), lazy.get("request"));
        assert_eq!(
            full.get("policies").unwrap().as_array().unwrap()[1],
            lazy.get("policies").unwrap().as_array().unwrap()[1]
        );
        // A skipped value is delimited, not checked: the caller checks its slice.
        let bad = r#"{"policies":[{"document":{"x" 1,}}],"n":2}"#;
        let lazy = parse_skipping(bad, &PATH).unwrap();
        let d = lazy.get("policies").unwrap().as_array().unwrap()[0]
            .get("document")
            .unwrap();
        assert_eq!(&bad[d.span.start..d.span.end], r#"{"x" 1,}"#);
        assert!(parse(&bad[d.span.start..d.span.end]).is_err());
        // Brackets inside strings and escaped quotes do not count.
        let tricky = r#"{"policies":[{"document":{"a":"}]\"{[","b":["\\"]}}]}"#;
        let lazy = parse_skipping(tricky, &PATH).unwrap();
        let d = lazy.get("policies").unwrap().as_array().unwrap()[0]
            .get("document")
            .unwrap();
        let full = parse(tricky).unwrap();
        let f = full.get("policies").unwrap().as_array().unwrap()[0]
            .get("document")
            .unwrap();
        assert_eq!(d.span, f.span);
        // Errors are exactly `parse`'s.
        let rest = r#"{"policies":[{"document":{"x":1]}}],"n":2}"#;
        assert_eq!(
            parse(rest).unwrap_err(),
            parse_skipping(rest, &PATH).unwrap_err()
        );
        for bad in [
            r#"{"policies":[{"document":{"#,
            r#"{"policies":[{"document":{"x":"}"#,
            r#"{"policies":[{"document":{"x":"\"#,
        ] {
            assert_eq!(
                parse(bad).unwrap_err(),
                parse_skipping(bad, &PATH).unwrap_err(),
                "{bad}"
            );
        }
        let deep = format!(
            r#"{{"policies":[{{"document":{}1{}}}]}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(
            parse(&deep).unwrap_err(),
            parse_skipping(&deep, &PATH).unwrap_err()
        );
        // The depth limit counts the levels around a skipped value.
        let ok = format!(
            r#"{{"policies":[{{"document":{}1{}}}]}}"#,
            "[".repeat(125),
            "]".repeat(125)
        );
        assert!(parse(&ok).is_ok() && parse_skipping(&ok, &PATH).is_ok());
        let over = format!(
            r#"{{"policies":[{{"document":{}1{}}}]}}"#,
            "[".repeat(126),
            "]".repeat(126)
        );
        assert_eq!(
            parse(&over).unwrap_err(),
            parse_skipping(&over, &PATH).unwrap_err()
        );
    }
}
