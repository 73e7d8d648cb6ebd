//! Small hand-written scanners over pasted text.
//!
//! Everything here works on byte offsets into a `&str`, never panics, and is
//! linear in the length of what it looks at. Positions handed back always sit on
//! ASCII bytes or at the ends of the text, so they are valid `str` boundaries.

use crate::diag::Span;

/// The deepest nesting of `{`/`[` that [`json_objects`] follows. Deeper
/// structures are skipped with a problem report; serde_json's own recursion
/// limit is 128, so everything handed on parses without hitting it.
pub const MAX_JSON_DEPTH: usize = 100;

/// The first position at or after `from` where `needle` occurs, case-sensitively.
#[must_use]
pub fn find(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let rest = hay.get(from..)?;
    if rest.len() < RARE_BYTE_MIN_HAY || needle.len() < 2 || needle.len() > 64 {
        return rest.find(needle).map(|i| i + from);
    }
    find_by_rare_byte(hay, needle, from)
}

/// Below this many bytes of haystack, the standard search is as fast.
const RARE_BYTE_MIN_HAY: usize = 4096;

/// Bytes from the most to the least frequent in logs and English prose; a byte
/// not listed counts as rarer than all of them.
const COMMON_BYTES: &[u8] =
    b" etaoinsrhldcum0123456789fpgwybv.:/-_\",=kxjqz()[]{}'ETAOINSRHLDCUMFPGWYBVKXJQZ";

fn commonness(b: u8) -> usize {
    COMMON_BYTES
        .iter()
        .position(|&c| c == b)
        .unwrap_or(COMMON_BYTES.len())
}

/// [`find`] for a long haystack: the recognisers look for some forty anchors,
/// each over the whole paste, and `str::find` walked every byte each time
/// (most of the time `explain` spent on a 1 MB paste). Here the search jumps
/// between occurrences of the anchor's rarest ASCII byte with `str::find(char)`,
/// which skips a machine word at a time, and compares the anchor around each.
/// Each occurrence costs at most one comparison of the anchor (at most 64
/// bytes), so the search stays linear in the haystack.
fn find_by_rare_byte(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let n = needle.as_bytes();
    let Some((off, rare)) = n
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, b)| b.is_ascii())
        .max_by_key(|&(i, b)| (commonness(b), std::cmp::Reverse(i)))
    else {
        // No ASCII byte to jump to: the standard search.
        return hay.get(from..)?.find(needle).map(|i| i + from);
    };
    let h = hay.as_bytes();
    if let Some(found) = ByteIndex::search(hay, rare, off, n, from) {
        return found;
    }
    let mut at = from.checked_add(off)?;
    loop {
        // `at` may sit inside a multi-byte character; an ASCII byte never
        // does, so searching from the boundary below it finds the same bytes.
        let start = floor_boundary(hay, at);
        let i = start + hay.get(start..)?.find(char::from(rare))?;
        if let Some(cand) = i.checked_sub(off).filter(|&c| c >= from) {
            // A match of a whole `str` starts and ends on character boundaries.
            if h.get(cand..cand + n.len()) == Some(n) {
                return Some(cand);
            }
        }
        at = i + 1;
    }
}

/// Where each of the less common ASCII bytes sits in one text, built once per
/// `explain` of a long paste so that the recognisers' hundred-odd anchor
/// searches walk the short list of their anchor's rarest byte instead of the
/// whole text each time (one pass over the text instead of one per anchor).
///
/// The index is installed for exactly one text (its address and length) for the
/// life of an [`IndexGuard`]; a search over any other text, or over a part of
/// it, does not use it. Positions are `u32` (inputs are capped at 16 MiB), and
/// the most common bytes are not indexed, so it takes at most about twice the
/// text's size.
pub struct ByteIndex {
    at: usize,
    len: usize,
    lists: Vec<Vec<u32>>,
}

/// Bytes at least this far down [`COMMON_BYTES`] are indexed.
const INDEX_FROM_COMMONNESS: usize = 20;

/// Texts shorter than this are searched directly: building the index would
/// cost more than it saves.
const INDEX_MIN_TEXT: usize = 64 * 1024;

thread_local! {
    static INDEX: std::cell::RefCell<Option<ByteIndex>> = const { std::cell::RefCell::new(None) };
}

/// Keeps a [`ByteIndex`] installed; dropping it puts back whatever was
/// installed before (a nested `explain` of a decoded body has its own).
pub struct IndexGuard {
    previous: Option<ByteIndex>,
}

impl Drop for IndexGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        INDEX.with(|ix| *ix.borrow_mut() = previous);
    }
}

impl ByteIndex {
    /// Installs an index of `text` until the guard is dropped; for a short or
    /// too long text, installs none.
    #[must_use]
    pub fn install(text: &str) -> IndexGuard {
        let index = (text.len() >= INDEX_MIN_TEXT && u32::try_from(text.len()).is_ok())
            .then(|| Self::build(text));
        let previous = INDEX.with(|ix| std::mem::replace(&mut *ix.borrow_mut(), index));
        IndexGuard { previous }
    }

    fn build(text: &str) -> ByteIndex {
        let mut indexed = [false; 128];
        for (b, slot) in indexed.iter_mut().enumerate() {
            *slot = u8::try_from(b).is_ok_and(|b| commonness(b) >= INDEX_FROM_COMMONNESS);
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); 128];
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if indexed.get(usize::from(b)).copied().unwrap_or(false) {
                if let (Some(list), Ok(i)) = (lists.get_mut(usize::from(b)), u32::try_from(i)) {
                    list.push(i);
                }
            }
        }
        ByteIndex {
            at: text.as_ptr() as usize,
            len: text.len(),
            lists,
        }
    }

    /// `Some(answer)` when an index of `hay` covers `rare`: the first match of
    /// `needle` (whose byte `off` is `rare`) at or after `from`. `None` when the
    /// caller must search itself.
    fn search(
        hay: &str,
        rare: u8,
        off: usize,
        needle: &[u8],
        from: usize,
    ) -> Option<Option<usize>> {
        INDEX.with(|ix| {
            let ix = ix.borrow();
            let ix = ix.as_ref()?;
            if ix.at != hay.as_ptr() as usize || ix.len != hay.len() {
                return None;
            }
            if commonness(rare) < INDEX_FROM_COMMONNESS {
                return None;
            }
            let list = ix.lists.get(usize::from(rare))?;
            let h = hay.as_bytes();
            let start = from.saturating_add(off);
            let first = list.partition_point(|&p| (p as usize) < start);
            for &p in list.get(first..).unwrap_or_default() {
                let Some(cand) = (p as usize).checked_sub(off) else {
                    continue;
                };
                if h.get(cand..cand + needle.len()) == Some(needle) {
                    return Some(Some(cand));
                }
            }
            Some(None)
        })
    }
}

/// The first position at or after `from` where `needle` occurs, ignoring ASCII case.
#[must_use]
pub fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    let first = *n.first()?;
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut i = from;
    while i.saturating_add(n.len()) <= h.len() {
        let c = *h.get(i)?;
        if (c == lo || c == up)
            && h.get(i..i + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The first position of `needle` lying wholly inside `from..to`. Bounded
/// searches like this keep per-anchor work local, so scans stay linear.
#[must_use]
pub fn find_in(hay: &str, needle: &str, from: usize, to: usize) -> Option<usize> {
    let to = floor_boundary(hay, to.min(hay.len()));
    let rest = hay.get(from..to)?;
    rest.find(needle).map(|i| i + from)
}

/// The same search ignoring ASCII case.
#[must_use]
pub fn find_ci_in(hay: &str, needle: &str, from: usize, to: usize) -> Option<usize> {
    let to = to.min(hay.len());
    find_ci(hay.get(..floor_boundary(hay, to))?, needle, from)
}

/// The largest char boundary at or before `pos`.
#[must_use]
pub fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut p = pos.min(text.len());
    while p > 0 && !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// The smallest char boundary at or after `pos`.
#[must_use]
pub fn ceil_boundary(text: &str, pos: usize) -> usize {
    let mut p = pos.min(text.len());
    while p < text.len() && !text.is_char_boundary(p) {
        p += 1;
    }
    p
}

/// Lines longer than this are treated as cut into pieces of this size around
/// each anchor, so that many anchors on one huge line cost linear time.
pub const LINE_CAP: usize = 2048;

/// How far back [`line_start`] looks: every phrase that starts a message sits
/// within this distance of the anchor that follows it.
pub const BACK_CAP: usize = 768;

/// A sort key: compared component by component, smallest first. To sort a
/// component largest first, use `usize::MAX - x`.
pub type SortKey = (usize, usize, usize);

/// Sorts `items` by the key `key` gives each, smallest first, keeping items with
/// equal keys in their original order. O(n log n).
///
/// Every caller shares one compiled sort: each `sort_by` on its own element type
/// and comparison would be compiled into its own copy of the standard library's
/// sort, about 4 KB of wasm apiece.
pub fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> SortKey) {
    let mut order = sorted_order(items.iter().map(key).collect());
    // The permutation is applied in place, one cycle at a time (item `k` of
    // the result is item `order[k]` of the input), so sorting a flood's
    // hundreds of thousands of hits holds no second copy of them.
    const DONE: usize = usize::MAX;
    for i in 0..order.len() {
        let mut cur = i;
        while let Some(next) = order.get_mut(cur).map(|o| std::mem::replace(o, DONE)) {
            if next == DONE || next == i {
                break;
            }
            items.swap(cur, next);
            cur = next;
        }
    }
}

/// The indices of `keys` in sorted order, equal keys in their original order.
///
/// A bottom-up merge sort written out here: the standard library's sort would
/// add its own (larger) copy to the wasm for this one element type.
pub fn sorted_order(keys: Vec<SortKey>) -> Vec<usize> {
    let n = keys.len();
    let key = |i: usize| keys.get(i).copied().unwrap_or_default();
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        merged.clear();
        for run in order.chunks(width.saturating_mul(2)) {
            let (left, right) = run.split_at(width.min(run.len()));
            let (mut l, mut r) = (
                left.iter().copied().peekable(),
                right.iter().copied().peekable(),
            );
            // Stable: on equal keys the left (earlier) run goes first.
            while let (Some(&a), Some(&b)) = (l.peek(), r.peek()) {
                if key(b) < key(a) {
                    merged.push(b);
                    r.next();
                } else {
                    merged.push(a);
                    l.next();
                }
            }
            merged.extend(l);
            merged.extend(r);
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    order
}

/// Every position where `needle` occurs (non-overlapping), case-sensitively.
#[must_use]
pub fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = find(hay, needle, from) {
        out.push(i);
        from = i + needle.len();
    }
    out
}

/// Whether `text` has `word` at `pos`, ignoring ASCII case.
#[must_use]
pub fn at_ci(text: &str, pos: usize, word: &str) -> bool {
    text.as_bytes()
        .get(pos..pos.saturating_add(word.len()))
        .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

/// If `phrase` starts at `pos`, where each single space in `phrase` may be any
/// run of ASCII whitespace in the text (a message wrapped over lines), the
/// position just past it. Each run is bounded, so a check costs at most a few
/// hundred bytes.
#[must_use]
pub fn at_phrase(text: &str, pos: usize, phrase: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = pos;
    for (n, word) in phrase.split(' ').enumerate() {
        if n > 0 {
            let run = i;
            while b.get(i).is_some_and(u8::is_ascii_whitespace) && i - run < 64 {
                i += 1;
            }
            if i == run {
                return None;
            }
        }
        if !at(text, i, word) {
            return None;
        }
        i += word.len();
    }
    Some(i)
}

/// Whether `text` has `word` at `pos`, case-sensitively.
#[must_use]
pub fn at(text: &str, pos: usize, word: &str) -> bool {
    text.as_bytes().get(pos..pos.saturating_add(word.len())) == Some(word.as_bytes())
}

/// The byte at `pos`, or 0 past the end.
#[must_use]
pub fn byte(text: &str, pos: usize) -> u8 {
    text.as_bytes().get(pos).copied().unwrap_or(0)
}

/// The start of the line holding `pos` (at most [`BACK_CAP`] bytes back).
#[must_use]
pub fn line_start(text: &str, pos: usize) -> usize {
    line_start_within(text, pos, BACK_CAP)
}

/// The start of the line `n` lines above the one starting at `ls` (the first
/// line's start when there are fewer).
#[must_use]
pub fn lines_up(text: &str, ls: usize, n: usize) -> usize {
    let mut cur = ls;
    for _ in 0..n {
        match cur.checked_sub(1) {
            Some(p) => cur = line_start(text, p),
            None => break,
        }
    }
    cur
}

/// The start of the line holding `pos`, looking back at most `n` bytes.
#[must_use]
pub fn line_start_within(text: &str, pos: usize, n: usize) -> usize {
    let pos = pos.min(text.len());
    let floor = ceil_boundary(text, pos.saturating_sub(n));
    text.as_bytes()
        .get(floor..pos)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(floor, |i| floor + i + 1)
}

/// The end of the line holding `pos` (the position of its `\n`, or the end of the text,
/// at most [`LINE_CAP`] bytes on),
/// without a trailing `\r`.
#[must_use]
pub fn line_end(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let pos = pos.min(b.len());
    let cap = floor_boundary(text, pos.saturating_add(LINE_CAP)).max(pos);
    let end = b
        .get(pos..cap)
        .and_then(|r| r.iter().position(|&c| c == b'\n'))
        .map_or(cap, |i| i + pos);
    if end > pos && byte(text, end - 1) == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The start of the line after the one holding `pos`, or `None` on the last line.
#[must_use]
pub fn next_line(text: &str, pos: usize) -> Option<usize> {
    let b = text.as_bytes();
    let cap = floor_boundary(text, pos.saturating_add(LINE_CAP)).max(pos);
    let nl = b.get(pos..cap)?.iter().position(|&c| c == b'\n')? + pos;
    Some(nl + 1)
}

/// The text of `span`, or `""` if it does not fit.
#[must_use]
pub fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

/// The first position at or after `pos` that is not ASCII whitespace.
#[must_use]
pub fn skip_ws(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The first position at or after `pos` that is not a space or tab.
#[must_use]
pub fn skip_blank(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

fn is_token_end(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'\\' | 0)
}

/// The run of non-whitespace, non-quote bytes starting at `pos` (possibly empty).
#[must_use]
pub fn token(text: &str, pos: usize) -> Span {
    let b = text.as_bytes();
    let mut i = pos;
    while b.get(i).is_some_and(|&c| !is_token_end(c)) {
        i += 1;
    }
    Span::new(pos.min(b.len()), i.min(b.len()))
}

/// The span of an ARN starting at `pos`, placeholders included: people mask
/// the account or names before they paste (`arn:aws:iam::<account-ID>:user/<name>`,
/// `arn:aws:sts::[redacted]:...`, `arn:aws:sts:: ... :assumed-role/...`), and a
/// plain token would stop at the first `<` or blank. A `)` that closes a
/// parenthesis opened before the ARN is not part of it.
#[must_use]
pub fn arn(text: &str, pos: usize) -> Span {
    let b = text.as_bytes();
    let mut i = pos;
    let mut open = 0usize;
    // Each byte is looked at once; a placeholder is at most 64 bytes.
    while let Some(&c) = b.get(i) {
        match c {
            b'<' | b'[' => {
                let close = if c == b'<' { b'>' } else { b']' };
                let end = (i + 1..(i + 64).min(b.len()))
                    .take_while(|&k| b.get(k).is_some_and(|&x| x != b'\n'))
                    .find(|&k| b.get(k) == Some(&close));
                match end {
                    Some(e) => i = e + 1,
                    None => break,
                }
            }
            b' ' if b.get(i.wrapping_sub(1)) == Some(&b':')
                && text.get(i..i + 6) == Some(" ... :") =>
            {
                i += 5;
            }
            b'(' => {
                open += 1;
                i += 1;
            }
            b')' if open == 0 => break,
            b')' => {
                open -= 1;
                i += 1;
            }
            _ if is_token_end(c) || c == b',' => break,
            _ => i += 1,
        }
    }
    trim_trailing(text, Span::new(pos, i.min(b.len())), b".;:")
}

/// If a quote starts at `pos` (`"`, `'`, `` ` ``, `‘` or `“`, or an escaped
/// `\"` or `\'` as a JSON string or a Python repr holds it), the
/// span of what it encloses, up to the matching quote on the same line.
#[must_use]
pub fn quoted(text: &str, pos: usize) -> Option<Span> {
    // A quote escaped once or more (`\"`, or `\\\"` in a JSON string
    // inside a JSON string) closes with the same escaping.
    let mut n = 0;
    while byte(text, pos + n) == b'\\' && n < 16 {
        n += 1;
    }
    // Typographic quotes, as chat and rich-text editors turn `'` and `"`
    // into: `‘...’` and `“...”`.
    for (open, close) in [("\u{2018}", "\u{2019}"), ("\u{201c}", "\u{201d}")] {
        if at(text, pos, open) {
            let start = pos + open.len();
            let end = find_in(text, close, start, line_end(text, start))?;
            return Some(Span::new(start, end));
        }
    }
    let (close, start): (&str, usize) = match byte(text, pos) {
        b'"' => ("\"", pos + 1),
        b'\'' => ("'", pos + 1),
        b'`' => ("`", pos + 1),
        b'\\' if matches!(byte(text, pos + n), b'"' | b'\'') => {
            (text.get(pos..pos + n + 1)?, pos + n + 1)
        }
        _ => return None,
    };
    let end_line = line_end(text, start);
    let end = find_in(text, close, start, end_line)?;
    Some(Span::new(start, end))
}

/// A value at `pos` after optional blanks: quoted content if a quote starts
/// there, otherwise a token with trailing `.,;)` trimmed.
#[must_use]
pub fn value(text: &str, pos: usize) -> Option<Span> {
    let p = skip_blank(text, pos);
    if let Some(q) = quoted(text, p) {
        return Some(q);
    }
    let t = trim_trailing(text, token(text, p), b".,;)");
    if t.is_empty() {
        None
    } else {
        Some(t)
    }
}

/// `span` with any of `chars` removed from its end.
#[must_use]
pub fn trim_trailing(text: &str, span: Span, chars: &[u8]) -> Span {
    let mut end = span.end;
    while end > span.start && chars.contains(&byte(text, end - 1)) {
        end -= 1;
    }
    Span::new(span.start, end)
}

/// Whether the byte is part of an identifier-like word.
#[must_use]
pub fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `pos..pos+len` is a whole word (no word byte on either side).
#[must_use]
pub fn whole_word(text: &str, pos: usize, len: usize) -> bool {
    let before = pos.checked_sub(1).map_or(0, |p| byte(text, p));
    !is_word(before) && !is_word(byte(text, pos + len))
}

/// A decimal number of exactly three digits at `pos` (an HTTP status).
#[must_use]
pub fn status_at(text: &str, pos: usize) -> Option<u16> {
    let d = text.as_bytes().get(pos..pos + 3)?;
    if d.iter().all(u8::is_ascii_digit) && !byte(text, pos + 3).is_ascii_digit() {
        let v = d
            .iter()
            .fold(0u16, |acc, &c| acc * 10 + u16::from(c - b'0'));
        Some(v)
    } else {
        None
    }
}

/// Why a brace-balanced region that looked like JSON was given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonProblem {
    /// A string ran into the end of its line.
    UnterminatedString,
    /// A `}` closed a `[` or the reverse.
    Mismatched,
    /// The text ended inside the object.
    Unterminated,
    /// Deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
}

/// Complete, brace-balanced `{...}` regions that look like JSON (their first
/// non-blank byte after `{` is `"` or `}`) in noisy text, outermost only.
///
/// One pass, strings respected, a bounded stack: deeper nesting is skipped
/// and reported, and a string that runs into a newline abandons the region
/// (JSON strings cannot hold raw newlines). Problems are reported only for
/// regions that looked like JSON, at the position where they start.
#[must_use]
pub fn json_objects(text: &str) -> (Vec<Span>, Vec<(usize, JsonProblem)>) {
    let b = text.as_bytes();
    let mut stack: Vec<(usize, u8)> = Vec::new();
    let mut completed: Vec<Span> = Vec::new();
    let mut problems = Vec::new();
    let mut in_str = false;
    let mut esc = false;
    let mut skip_depth: usize = 0;
    let looks_json = |open: usize| matches!(byte(text, skip_ws(text, open + 1)), b'"' | b'}');
    let outer_json = |stack: &[(usize, u8)]| {
        stack
            .first()
            .filter(|&&(p, k)| k == b'{' && looks_json(p))
            .map(|&(p, _)| p)
    };
    for (i, &c) in b.iter().enumerate() {
        if stack.is_empty() && skip_depth == 0 {
            if c == b'{' {
                stack.push((i, b'{'));
            }
            continue;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            } else if c == b'\n' {
                if let Some(p) = outer_json(&stack) {
                    problems.push((p, JsonProblem::UnterminatedString));
                }
                stack.clear();
                skip_depth = 0;
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'{' | b'[' => {
                if skip_depth > 0 {
                    skip_depth += 1;
                } else if stack.len() >= MAX_JSON_DEPTH {
                    if let Some(p) = outer_json(&stack) {
                        problems.push((p, JsonProblem::TooDeep));
                    }
                    skip_depth = stack.len() + 1;
                    stack.clear();
                } else {
                    stack.push((i, c));
                }
            }
            b'}' | b']' => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let want = if c == b'}' { b'{' } else { b'[' };
                match stack.last().copied() {
                    Some((open, kind)) if kind == want => {
                        stack.pop();
                        if c == b'}' && looks_json(open) {
                            completed.push(Span::new(open, i + 1));
                        }
                    }
                    _ => {
                        if let Some(p) = outer_json(&stack) {
                            problems.push((p, JsonProblem::Mismatched));
                        }
                        stack.clear();
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(p) = outer_json(&stack) {
        problems.push((p, JsonProblem::Unterminated));
    }
    // Keep only the outermost regions. Nested pairs close before their container,
    // so sort by start (longest first) and drop any span inside the last kept.
    sort_by_key(&mut completed, |s| (s.start, usize::MAX - s.end, 0));
    let mut out: Vec<Span> = Vec::new();
    for s in completed {
        if out.last().is_some_and(|l| s.start < l.end) {
            continue;
        }
        out.push(s);
    }
    (out, problems)
}

/// The end (one past) of the JSON value starting at `pos` in already-validated
/// JSON text. Iterative, so nesting depth costs no stack.
#[must_use]
pub fn json_value_end(text: &str, pos: usize) -> Option<usize> {
    let b = text.as_bytes();
    match *b.get(pos)? {
        b'"' => {
            let mut i = pos + 1;
            while i < b.len() {
                match b.get(i)? {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            let mut in_str = false;
            while i < b.len() {
                let c = *b.get(i)?;
                if in_str {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        in_str = false;
                    }
                } else {
                    match c {
                        b'"' => in_str = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        _ => {}
                    }
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = pos;
            while b
                .get(i)
                .is_some_and(|&c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                i += 1;
            }
            (i > pos).then_some(i)
        }
    }
}

/// The members of the object at `obj` (which must be valid JSON): for each, the
/// span of the key's content (without quotes) and the span of the raw value.
#[must_use]
pub fn json_members(text: &str, obj: Span) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    if byte(text, obj.start) != b'{' {
        return out;
    }
    let mut i = obj.start + 1;
    loop {
        i = skip_ws(text, i);
        if i >= obj.end || byte(text, i) != b'"' {
            break;
        }
        let Some(key_end) = json_value_end(text, i) else {
            break;
        };
        let key = Span::new(i + 1, key_end.saturating_sub(1).max(i + 1));
        i = skip_ws(text, key_end);
        if byte(text, i) != b':' {
            break;
        }
        i = skip_ws(text, i + 1);
        let Some(v_end) = json_value_end(text, i) else {
            break;
        };
        out.push((key, Span::new(i, v_end)));
        i = skip_ws(text, v_end);
        if byte(text, i) != b',' {
            break;
        }
        i += 1;
    }
    out
}

/// The raw value of the member `key` of the object at `obj` (valid JSON),
/// stopping at the first match.
#[must_use]
pub fn json_member(text: &str, obj: Span, key: &str) -> Option<Span> {
    if byte(text, obj.start) != b'{' {
        return None;
    }
    let mut i = obj.start + 1;
    loop {
        i = skip_ws(text, i);
        if i >= obj.end || byte(text, i) != b'"' {
            return None;
        }
        let key_end = json_value_end(text, i)?;
        let k = Span::new(i + 1, key_end.saturating_sub(1).max(i + 1));
        i = skip_ws(text, key_end);
        if byte(text, i) != b':' {
            return None;
        }
        i = skip_ws(text, i + 1);
        let v_end = json_value_end(text, i)?;
        if slice(text, k) == key {
            return Some(Span::new(i, v_end));
        }
        i = skip_ws(text, v_end);
        if byte(text, i) != b',' {
            return None;
        }
        i += 1;
    }
}

/// The spans of the elements of the array at `arr` (which must be valid JSON).
#[must_use]
pub fn json_elements(text: &str, arr: Span) -> Vec<Span> {
    let mut out = Vec::new();
    if byte(text, arr.start) != b'[' {
        return out;
    }
    let mut i = skip_ws(text, arr.start + 1);
    while i < arr.end && byte(text, i) != b']' {
        let Some(end) = json_value_end(text, i) else {
            break;
        };
        out.push(Span::new(i, end));
        i = skip_ws(text, end);
        if byte(text, i) != b',' {
            break;
        }
        i = skip_ws(text, i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index answers exactly what a direct search answers, for anchors
    /// whose rarest byte is indexed and for those whose is not, for the text it
    /// was built for and (not used) for a part of that text.
    #[test]
    fn byte_index_answers_as_a_direct_search() {
        let mut text = String::new();
        let mut seed = 0x2545_f491_u32;
        let words = [
            "AccessDenied",
            "(Service: ",
            "Forbidden",
            "é",
            "operation error ",
            "Q",
            "xyz",
            "\n",
            " ",
            "403",
            "\"Z\"",
            "{\"a\":1}",
        ];
        while text.len() < 200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            text.push_str(words[(seed as usize) % words.len()]);
        }
        let needles = [
            "AccessDenied",
            "(Service: ",
            "Forbidden",
            "é4",
            "operation error ",
            "QQ",
            "Zxyz",
            "3 Forbidden",
            "\"Z\"",
            "zzz-not-there",
        ];
        let direct: Vec<Vec<usize>> = needles
            .iter()
            .map(|n| text.match_indices(n).map(|(i, _)| i).collect())
            .collect();
        let guard = ByteIndex::install(&text);
        for (n, want) in needles.iter().zip(&direct) {
            assert_eq!(&find_all(&text, n), want, "{n:?}");
            let part = &text[1..];
            let shifted: Vec<usize> = part.match_indices(n).map(|(i, _)| i).collect();
            assert_eq!(find_all(part, n), shifted, "{n:?} in a part");
        }
        drop(guard);
        for (n, want) in needles.iter().zip(&direct) {
            assert_eq!(&find_all(&text, n), want, "{n:?} after the guard");
        }
    }

    #[test]
    fn sort_by_key_orders_by_key_and_keeps_ties_in_place() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e'), (3, 'f')];
        sort_by_key(&mut v, |&(k, _)| (k, 0, 0));
        assert_eq!(
            v,
            [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c'), (3, 'f')]
        );
        // Later components break ties in earlier ones; `MAX - x` sorts descending.
        let mut spans = vec![(5, 6), (1, 2), (1, 9), (5, 6), (0, 3)];
        sort_by_key(&mut spans, |&(s, e)| (s, usize::MAX - e, 0));
        assert_eq!(spans, [(0, 3), (1, 9), (1, 2), (5, 6), (5, 6)]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_key(&mut empty, |_| (0, 0, 0));
        assert!(empty.is_empty());
    }

    #[test]
    fn find_on_long_text_agrees_with_the_standard_search() {
        // Long haystacks take the rare-byte path: compare it with `str::find`
        // for anchors of every shape, from every kind of starting point,
        // including non-ASCII text around and inside the anchor.
        let mut hay = String::new();
        for i in 0..400 {
            hay.push_str(match i % 7 {
                0 => "2024-03-01T10:02:00Z INFO worker processed batch, 0 errors\n",
                1 => "User: arn:aws:iam::1:user/a is not authorized to perform: s3:GetObject\n",
                2 => "Résumé naïve — 終わり 🚫 AccessDenied\n",
                3 => "PERMISSION_DENIED: Permission 'storage.objects.get' denied\n",
                4 => "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n",
                5 => "AADSTS700213: No matching federated identity record\n",
                _ => "(Forbidden) \"quoted\" [x] {y}\n",
            });
        }
        let needles = [
            "not authorized to perform",
            "AccessDenied",
            "AADSTS",
            "終わり",
            "— 終",
            "zz",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "\n(Forbidden)",
            "PERMISSION_DENIED: Permission '",
            "absent anchor",
            "e",
        ];
        for needle in needles {
            for from in (0..hay.len()).step_by(97).chain([hay.len(), hay.len() + 5]) {
                let expected = hay
                    .get(from..)
                    .and_then(|r| r.find(needle).map(|i| i + from));
                assert_eq!(find(&hay, needle, from), expected, "{needle:?} from {from}");
            }
        }
        let all = find_all(&hay, "AccessDenied");
        assert_eq!(all.len(), hay.matches("AccessDenied").count());
    }

    #[test]
    fn sort_by_key_matches_the_standard_stable_sort_at_every_small_length() {
        for n in 0..70 {
            let v: Vec<(usize, usize)> = (0..n).map(|i| ((i * 7 + n) % 5, i)).collect();
            let mut expected = v.clone();
            expected.sort_by_key(|&(k, _)| k);
            let mut got = v;
            sort_by_key(&mut got, |&(k, _)| (k, 0, 0));
            assert_eq!(got, expected, "length {n}");
        }
    }

    #[test]
    fn sort_by_key_matches_the_standard_stable_sort() {
        // A pseudo-random sequence with many ties.
        let mut x: usize = 12345;
        let mut v: Vec<(usize, usize)> = (0..2000)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345) % (1 << 31);
                (x % 37, i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|&(k, _)| k);
        sort_by_key(&mut v, |&(k, _)| (k, 0, 0));
        assert_eq!(v, expected);
    }

    #[test]
    fn arns_keep_their_placeholders() {
        // Masked ARNs as published in the field corpus (aws-s3-003,
        // aws-wafv2-001, aws-dynamodb-001, aws-apigw-001).
        for (t, want) in [
            (
                "arn:aws:iam::<account-ID>:user/<username> is",
                "arn:aws:iam::<account-ID>:user/<username>",
            ),
            (
                "arn:aws:sts::<redacted>:assumed-role/<redacted> is",
                "arn:aws:sts::<redacted>:assumed-role/<redacted>",
            ),
            (
                "arn:aws:sts:: ... :assumed-role/...-Role/...-Fn is",
                "arn:aws:sts:: ... :assumed-role/...-Role/...-Fn",
            ),
            (
                "arn:aws:execute-api:eu-west-1:******:<idOfGateway>/test/GET/x\n",
                "arn:aws:execute-api:eu-west-1:******:<idOfGateway>/test/GET/x",
            ),
            ("(role arn:aws:iam::1:role/r)", "arn:aws:iam::1:role/r"),
            ("arn:aws:s3:::b/k.", "arn:aws:s3:::b/k"),
        ] {
            let p = t.find("arn:").unwrap();
            assert_eq!(slice(t, arn(t, p)), want, "{t}");
        }
    }

    #[test]
    fn finds_ignoring_case() {
        assert_eq!(find_ci("xx Access DENIED", "access denied", 0), Some(3));
        assert_eq!(find_ci("abc", "abcd", 0), None);
        assert_eq!(find_ci("é Ab", "ab", 0), Some(3));
    }

    #[test]
    fn quoted_handles_escaped_quotes_and_stays_on_the_line() {
        let t = r#"User \"jane\" cannot"#;
        let q = quoted(t, 5).unwrap();
        assert_eq!(slice(t, q), "jane");
        assert_eq!(quoted("'abc\ndef'", 0), None);
        let v = value("  'x.y' rest", 0).unwrap();
        assert_eq!(slice("  'x.y' rest", v), "x.y");
        let v = value(" arn:aws:s3:::b. next", 0).unwrap();
        assert_eq!(slice(" arn:aws:s3:::b. next", v), "arn:aws:s3:::b"); // A Python repr escapes single quotes; chat turns quotes typographic.
        let t = r"Permission \'a.b\' denied";
        assert_eq!(quoted(t, 11).map(|q| slice(t, q)), Some("a.b"));
        let t = "Permission \u{2018}a.b\u{2019} denied, \u{201c}c d\u{201d}";
        assert_eq!(quoted(t, 11).map(|q| slice(t, q)), Some("a.b"));
        let d = t.find('\u{201c}').unwrap();
        assert_eq!(quoted(t, d).map(|q| slice(t, q)), Some("c d"));
        // An opening typographic quote with no closing one on the line.
        assert_eq!(quoted("\u{2018}a\nb\u{2019}", 0), None);
    }

    #[test]
    fn json_objects_are_found_in_noise() {
        let t =
            "log { not json } then {\"a\": {\"b\": \"}{\"}, \"c\": [1, {\"d\": 2}]} tail {\"x\":1}";
        let (objs, problems) = json_objects(t);
        assert!(problems.is_empty());
        let got: Vec<&str> = objs.iter().map(|s| slice(t, *s)).collect();
        assert_eq!(
            got,
            vec![
                "{\"a\": {\"b\": \"}{\"}, \"c\": [1, {\"d\": 2}]}",
                "{\"x\":1}"
            ]
        );
    }

    #[test]
    fn json_objects_survive_deep_nesting() {
        let deep = format!("{}{}", "{\"a\":".repeat(100_000), "1");
        let (objs, problems) = json_objects(&deep);
        assert!(objs.is_empty());
        assert_eq!(problems.first(), Some(&(0, JsonProblem::TooDeep)));
        let closed = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        let (objs, problems) = json_objects(&closed);
        assert!(objs.is_empty());
        assert_eq!(problems, vec![(0, JsonProblem::TooDeep)]);
        let arrays = "[".repeat(100_000);
        assert_eq!(json_objects(&arrays), (vec![], vec![]));
    }

    #[test]
    fn unterminated_string_abandons_region() {
        let t = "{\"a\": \"oops\n{\"b\": 1}";
        let (objs, problems) = json_objects(t);
        assert_eq!(
            objs.iter().map(|s| slice(t, *s)).collect::<Vec<_>>(),
            vec!["{\"b\": 1}"]
        );
        assert_eq!(problems, vec![(0, JsonProblem::UnterminatedString)]);
    }

    #[test]
    fn members_and_elements() {
        let t = r#"{"k": "v\"x", "n": 1, "o": {"z": [1,2]}, "a": [ {"p":1} , "s" ]}"#;
        let m = json_members(t, Span::new(0, t.len()));
        let keys: Vec<&str> = m.iter().map(|(k, _)| slice(t, *k)).collect();
        assert_eq!(keys, vec!["k", "n", "o", "a"]);
        assert_eq!(slice(t, m[0].1), r#""v\"x""#);
        assert_eq!(slice(t, m[2].1), r#"{"z": [1,2]}"#);
        let e = json_elements(t, m[3].1);
        assert_eq!(
            e.iter().map(|s| slice(t, *s)).collect::<Vec<_>>(),
            vec![r#"{"p":1}"#, r#""s""#]
        );
    }
}
