//! Recognises access-denied errors in pasted text and classifies them.
//!
//! Each provider module scans the text for its own anchor phrases and returns
//! partial findings ([`Hit`]s): a span plus whatever fields the phrase decides,
//! each with the span of the deciding phrase and a priority. Hits whose spans
//! overlap describe the same error (a CLI line wrapping a JSON body, an HTTP
//! response holding an XML error), so [`find`] merges them: for each field the
//! highest-priority value wins. All scanning is anchor-driven and linear.

pub mod answer;
mod aws;
mod azure;
pub mod bound;
pub mod checklist;
mod codes;
mod consul;
mod databases;
pub mod evaluate;
mod firebase;
mod gcp;
mod git_hosts;
mod github;
mod http;
mod json_bodies;
mod k8s;
mod refine;
mod registry;
mod servers;
mod vault;

use crate::diag::{Diagnostic, Span};
use crate::model::{Confidence, DenyKind, Evidence, Fact, Finding, Gate, PolicyType, Provider};

/// A field value with the span of the phrase that decided it (if the text has
/// one) and its priority when hits are merged.
pub(crate) type Val<T> = Option<(T, Option<Span>, u8)>;

/// Priority of a generic wrapper such as an HTTP status line.
pub(crate) const P_GENERIC: u8 = 1;
/// Priority of an error code and what it implies.
pub(crate) const P_CODE: u8 = 2;
/// Priority of the detailed message (principal, action, policy type in words).
pub(crate) const P_DETAIL: u8 = 3;
/// Priority of a structured field that overrides the message's wording.
pub(crate) const P_STRONG: u8 = 4;

/// A partial finding produced by one recogniser.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hit {
    pub span: Span,
    pub provider: Val<Provider>,
    pub error_code: Val<String>,
    /// The bool says whether the status was carried by the text (vs implied).
    pub http_status: Val<(u16, bool)>,
    pub gate: Val<Gate>,
    pub deny: Val<DenyKind>,
    pub policy_type: Val<PolicyType>,
    pub principal: Val<String>,
    pub action: Val<String>,
    pub resource: Val<String>,
    pub facts: Vec<Fact>,
    /// Only supports other hits (a `400` status line): dropped when alone.
    pub support: bool,
    /// The refusal is not an allow-or-deny policy decision (GitHub's SAML
    /// enforcement: the token lacks the organization's SSO authorization), so
    /// the finding has no deny kind although its gate is authorization.
    pub no_deny_kind: bool,
    /// The refusal came over a database's or a broker's own protocol, not
    /// HTTP: a status another hit only implies (a catalogue code that shares
    /// the name, `AuthenticationFailed`) is dropped.
    pub no_http: bool,
    /// How sure this recogniser is; `None` lets the merge decide from the fields.
    pub confidence: Option<Confidence>,
}

impl Hit {
    pub(crate) fn new(span: Span, provider: Provider, prio: u8) -> Self {
        Hit {
            span,
            provider: Some((provider, None, prio)),
            ..Hit::default()
        }
    }

    /// A hit for a phrase that alone names the provider and the gate: its span
    /// is the phrase's line, the phrase its evidence.
    pub(crate) fn phrase(text: &str, phrase: Span, provider: Provider, gate: Gate) -> Self {
        let at = phrase.start;
        let mut h = Hit::new(
            Span::new(
                crate::scan::line_start(text, at),
                crate::scan::line_end(text, at),
            ),
            provider,
            P_DETAIL,
        );
        h.provider = Some((provider, Some(phrase), P_DETAIL));
        h.gate = Some((gate, Some(phrase), P_DETAIL));
        h
    }

    /// Applies what an error code implies, with the code's span as evidence.
    pub(crate) fn code(&mut self, text: &str, code: Span, prio: u8) {
        self.code_value(crate::scan::slice(text, code), code, prio);
    }

    /// [`Hit::code`] for a code whose text is not its span's (one a terminal
    /// wrapped over two lines).
    pub(crate) fn code_value(&mut self, c: &str, code: Span, prio: u8) {
        self.error_code = Some((c.to_owned(), Some(code), prio));
        if let Some(info) = code_info(c) {
            self.provider = Some((info.provider, Some(code), prio));
            if let Some(status) = info.status {
                if !self.http_status.as_ref().is_some_and(|s| s.0 .1) {
                    self.http_status = Some(((status, false), Some(code), prio));
                }
            }
            self.gate = Some((info.gate, Some(code), prio));
            if let Some(d) = info.deny {
                self.deny = Some((d, Some(code), prio));
            }
            if let Some(p) = info.policy {
                self.policy_type = Some((p, Some(code), prio));
            }
        }
    }

    pub(crate) fn status(&mut self, status: u16, span: Span) {
        self.http_status = Some(((status, true), Some(span), P_STRONG));
    }

    pub(crate) fn set_str(field: &mut Val<String>, text: &str, span: Span, prio: u8) {
        let v = crate::scan::slice(text, span);
        if !v.is_empty() {
            *field = Some((v.to_owned(), Some(span), prio));
        }
    }

    pub(crate) fn fact(&mut self, key: &str, text: &str, span: Span) {
        let value = crate::scan::slice(text, span);
        self.facts.push(Fact {
            key: key.to_owned(),
            value: value.to_owned(),
            span,
        });
    }

    /// Moves every span by `to` (each offset `at` becomes `to(at)`): a hit
    /// read in a window of the text goes to the text's offsets and back.
    pub(crate) fn shift(&mut self, to: impl Fn(usize) -> usize) {
        let span = |s: &mut Span| *s = Span::new(to(s.start), to(s.end));
        fn val<T>(v: &mut Val<T>, span: &impl Fn(&mut Span)) {
            if let Some((_, Some(s), _)) = v {
                span(s);
            }
        }
        span(&mut self.span);
        val(&mut self.provider, &span);
        val(&mut self.error_code, &span);
        val(&mut self.http_status, &span);
        val(&mut self.gate, &span);
        val(&mut self.deny, &span);
        val(&mut self.policy_type, &span);
        val(&mut self.principal, &span);
        val(&mut self.action, &span);
        val(&mut self.resource, &span);
        for f in &mut self.facts {
            span(&mut f.span);
        }
    }

    pub(crate) fn fact_value(&mut self, key: &str, value: String, span: Span) {
        self.facts.push(Fact {
            key: key.to_owned(),
            value,
            span,
        });
    }
}

/// What an error code implies, from its row in [`crate::catalogue`] for any
/// service. The status a code implies for one service is applied when the
/// finding is assembled, once its service is known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeInfo {
    pub provider: Provider,
    pub status: Option<u16>,
    pub gate: Gate,
    pub deny: Option<DenyKind>,
    pub policy: Option<PolicyType>,
}

/// The catalogue's row for `code`, for any service.
pub(crate) fn code_info(code: &str) -> Option<CodeInfo> {
    crate::catalogue::lookup(code, None)
        .map(|e| CodeInfo {
            provider: e.provider,
            status: e.status,
            gate: e.gate,
            deny: e.deny,
            policy: e.policy,
        })
        .or_else(|| {
            // A Microsoft Entra code the catalogue does not list: Entra's
            // codes are its sign-in (token service) errors, so the request
            // failed at authentication unless the row says otherwise.
            let digits = code.strip_prefix("AADSTS")?;
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(CodeInfo {
                provider: Provider::Azure,
                status: None,
                gate: Gate::Authentication,
                deny: None,
                policy: None,
            })
        })
}

/// The largest input `explain` analyses: 16 MiB. Past it only the first 16 MiB
/// are read and an `input.too-large` diagnostic says so.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Finds every denial in `text`, in input order, with the problems met on the way
/// (malformed or too deeply nested JSON).
///
/// Findings come back with `summary` empty and no checklist or caveats; those are
/// filled in from the finding's fields by the checklist module.
#[must_use]
pub fn find(text: &str) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = if text.len() > MAX_INPUT_BYTES {
        let mut cut = MAX_INPUT_BYTES;
        while cut > 0 && !text.is_char_boundary(cut) {
            cut -= 1;
        }
        diags.push(
            Diagnostic::new(
                "input.too-large",
                crate::diag::Severity::Warning,
                format!(
                    "input is {} bytes; only the first {} were analysed",
                    text.len(),
                    cut
                ),
            )
            .with_help("paste only the error messages, not the whole log"),
        );
        text.get(..cut).unwrap_or("")
    } else {
        text
    };
    // Recognisers read a copy with decorations blanked byte for byte, so every
    // offset they hand back still points into the pasted text.
    let clean = undecorate(text);
    let orig = text;
    let text = clean.as_deref().unwrap_or(text);
    let mut grouper = bound::Grouper::default();
    find_windowed(text, WINDOW, MARGIN, &mut diags, |mut f| {
        if clean.is_some() {
            on_boundaries(orig, &mut f);
        }
        grouper.push(orig, f);
    });
    (grouper.finish(&mut diags), diags)
}

/// How much of a long paste the grammars read at a time, and how far past
/// each side of that stretch they also read so that a message across the cut
/// is read whole. A flood of one line (455,000 `403 Forbidden` lines in 10 MB)
/// makes a hit per line; read a window at a time, the hits held at once are
/// those of one window, so memory follows the window, not the paste.
const WINDOW: usize = 512 << 10;
const MARGIN: usize = 64 << 10;

/// The grammars over `text` a window at a time, handing `out` each finding
/// whose first byte lies in the window's own stretch.
///
/// JSON bodies are read over the whole text first (one document may be
/// megabytes, and a cut inside it would read as malformed JSON), and no
/// window's stretch ends inside one. The other grammars read the stretch with
/// `margin` bytes on each side, so a message that crosses a cut is read whole
/// by the window where it starts when it is shorter than the margin. A text no
/// longer than `window` is one window: the whole text, as for any paste.
fn find_windowed(
    text: &str,
    window: usize,
    margin: usize,
    diags: &mut Vec<Diagnostic>,
    mut out: impl FnMut(Finding),
) {
    // Every grammar searches its text for its anchors: index it once. A text
    // that is one window keeps this index for the grammars too; a longer one
    // drops it, and each window indexes its own part.
    let one_window = text.len() <= window;
    let mut whole_index = Some(crate::scan::ByteIndex::install(text));
    let mut json = Vec::new();
    json_bodies::find(text, &mut json, diags);
    if !one_window {
        whole_index = None;
    }
    crate::scan::sort_by_key(&mut json, |h| (h.span.start, usize::MAX - h.span.end, 0));
    let mut own_start = 0;
    // One vector for every window's hits, so a long paste allocates it once.
    let mut hits: Vec<Hit> = Vec::new();
    loop {
        let own_end = window_end(text, own_start, window, &json);
        let ws = back_to_line(text, own_start.saturating_sub(margin), margin);
        let we = on_to_line(text, own_end.saturating_add(margin), margin);
        let part = text.get(ws..we).unwrap_or("");
        // The JSON bodies that start in the window go first (as when the
        // whole text is one window, the merge keeps their order on a tie),
        // at the window's offsets like the hits the grammars add.
        let from = json.partition_point(|h| h.span.start < ws);
        let to = json.partition_point(|h| h.span.start < we);
        hits.clear();
        hits.extend_from_slice(json.get(from..to).unwrap_or(&[]));
        // Wrapping both ways: the round trip is exact for any offset.
        hits.iter_mut()
            .for_each(|h| h.shift(|at| at.wrapping_sub(ws)));
        {
            let _index = (!one_window).then(|| crate::scan::ByteIndex::install(part));
            aws::find_hits(part, &mut hits);
            gcp::find_hits(part, &mut hits);
            azure::find_hits(part, &mut hits);
            k8s::find_hits(part, &mut hits);
            http::find_hits(part, &mut hits);
            github::find_hits(part, &mut hits);
            git_hosts::find_hits(part, &mut hits);
            registry::find_hits(part, &mut hits);
            vault::find_hits(part, &mut hits);
            firebase::find_hits(part, &mut hits);
            consul::find_hits(part, &mut hits);
            servers::find_hits(part, &mut hits);
            databases::find_hits(part, &mut hits);
            // Last: the catalogue's net reads what the grammars above left.
            codes::find_hits(part, &mut hits);
            codes::phrase_hits(part, &mut hits);
        }
        hits.iter_mut()
            .for_each(|h| h.shift(|at| at.wrapping_add(ws)));
        let last = own_end >= text.len();
        merge(text, &hits, |f| {
            if f.span.start >= own_start && (f.span.start < own_end || last) {
                out(f);
            }
        });
        if last {
            break;
        }
        own_start = own_end;
    }
    drop(whole_index);
}

/// Where the window that starts at `start` stops owning text: the start of
/// the line after `window` bytes on, moved past any JSON body the cut would
/// fall in; the end of the text when less than a window is left.
fn window_end(text: &str, start: usize, window: usize, json: &[Hit]) -> usize {
    if text.len() - start <= window {
        return text.len();
    }
    let mut cut = on_to_line(text, start + window, window);
    // `json` is sorted by start; a body that starts before the cut and ends
    // after it moves the cut to the line after that body. Bodies do not
    // overlap, so the few last ones that start before the cut are enough.
    loop {
        let n = json.partition_point(|h| h.span.start < cut);
        let inside = json
            .get(..n)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take(64)
            .filter(|h| h.span.end > cut)
            .map(|h| h.span.end)
            .max();
        match inside {
            Some(end) => cut = on_to_line(text, end, window),
            None => return cut,
        }
    }
}

/// The start of the line after `pos` when one starts within `within` bytes,
/// else the first space there, else the first character boundary; the end of
/// the text at most.
fn on_to_line(text: &str, pos: usize, within: usize) -> usize {
    let b = text.as_bytes();
    if pos >= b.len() {
        return b.len();
    }
    let reach = b
        .get(pos..pos.saturating_add(within).min(b.len()))
        .unwrap_or(&[]);
    if let Some(i) = reach.iter().position(|&c| c == b'\n') {
        pos + i + 1
    } else if let Some(i) = reach.iter().position(|&c| c == b' ') {
        pos + i
    } else {
        crate::scan::ceil_boundary(text, pos)
    }
}

/// The start of the line holding `pos` when it starts within `within` bytes
/// back, else a character boundary at `pos`.
fn back_to_line(text: &str, pos: usize, within: usize) -> usize {
    let pos = crate::scan::floor_boundary(text, pos.min(text.len()));
    let b = text.as_bytes();
    let floor = pos.saturating_sub(within);
    match b
        .get(floor..pos)
        .and_then(|r| r.iter().rposition(|&c| c == b'\n'))
    {
        Some(i) => floor + i + 1,
        None if floor == 0 => 0,
        None => pos,
    }
}

/// Widens every span of `f` to character boundaries of `text`: a blanked
/// multi-byte decoration (`│`) may leave a span edge inside its bytes.
fn on_boundaries(text: &str, f: &mut Finding) {
    let widen = |s: &mut Span| {
        s.start = crate::scan::floor_boundary(text, s.start);
        s.end = crate::scan::ceil_boundary(text, s.end);
    };
    widen(&mut f.span);
    f.evidence.iter_mut().for_each(|e| widen(&mut e.span));
    f.facts.iter_mut().for_each(|x| widen(&mut x.span));
}

/// The text with terminal and log decorations replaced by spaces of the same
/// byte length, or `None` when it has none: ANSI escape sequences (a CI log keeps
/// the colours of the tool it ran), and at the start of a line a log timestamp
/// (with a level word and a `[thread]` after it) and Terraform's `│` box edge.
/// Terraform wraps a long error inside its box, and loggers stamp each line, so
/// without this a message wrapped over such lines no longer reads as one.
fn undecorate(text: &str) -> Option<String> {
    let mut b = text.as_bytes().to_vec();
    let mut changed = false;
    // ANSI CSI sequences: ESC `[`, parameter and intermediate bytes, a final byte.
    let mut i = 0;
    while i < b.len() {
        if b.get(i) == Some(&0x1b) && b.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while b.get(j).is_some_and(|c| (0x20..=0x3f).contains(c)) {
                j += 1;
            }
            if b.get(j).is_some_and(|c| (0x40..=0x7e).contains(c)) {
                b.get_mut(i..=j)
                    .into_iter()
                    .flatten()
                    .for_each(|c| *c = b' ');
                changed = true;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    // Line prefixes: up to a few decorations in a row (a CI timestamp before
    // Terraform's box edge).
    let mut ls = 0;
    while ls < b.len() {
        let mut p = ls;
        for _ in 0..4 {
            p = skip_blanks(&b, p);
            let n = timestamp_len(&b, p);
            if n > 0 {
                blank(&mut b, p, p + n);
                p = skip_blanks(&b, p + n);
                let l = level_len(&b, p);
                blank(&mut b, p, p + l);
                p = skip_blanks(&b, p + l);
                let t = thread_len(&b, p);
                blank(&mut b, p, p + t);
                p += t;
                changed = true;
            } else if b.get(p..p + 3) == Some("│".as_bytes()) {
                blank(&mut b, p, p + 3);
                p += 3;
                changed = true;
            } else {
                break;
            }
        }
        ls = match b.get(p..).and_then(|r| r.iter().position(|&c| c == b'\n')) {
            Some(n) => p + n + 1,
            None => b.len(),
        };
        // A box with a right edge too (a terminal UI's log pane): `│` last on
        // a line whose next line starts with one.
        let mut e = ls.saturating_sub(1);
        while e > p && matches!(b.get(e - 1), Some(b' ' | b'\t' | b'\r')) {
            e -= 1;
        }
        let next_boxed = b
            .get(skip_blanks(&b, ls)..)
            .is_some_and(|r| r.starts_with("│".as_bytes()));
        if e >= p + 3 && b.get(e - 3..e) == Some("│".as_bytes()) && next_boxed {
            blank(&mut b, e - 3, e);
            changed = true;
        }
    }
    if changed {
        String::from_utf8(b).ok()
    } else {
        None
    }
}

fn blank(b: &mut [u8], from: usize, to: usize) {
    b.get_mut(from..to)
        .into_iter()
        .flatten()
        .for_each(|c| *c = b' ');
}

fn skip_blanks(b: &[u8], mut p: usize) -> usize {
    while matches!(b.get(p), Some(b' ' | b'\t')) {
        p += 1;
    }
    p
}

/// The length of a timestamp at `p` followed by a blank: `2024-05-02T10:11:12Z`,
/// `2024-05-02 10:11:12,345`, `2024/05/02 10:11:12` (Go's `log`), with optional
/// fraction and zone; 0 when there is none.
fn timestamp_len(b: &[u8], p: usize) -> usize {
    let digits =
        |at: usize, n: usize| (at..at + n).all(|k| b.get(k).is_some_and(u8::is_ascii_digit));
    let sep = b.get(p + 4).copied();
    if !(digits(p, 4)
        && matches!(sep, Some(b'-' | b'/'))
        && digits(p + 5, 2)
        && b.get(p + 7).copied() == sep
        && digits(p + 8, 2)
        && matches!(b.get(p + 10), Some(b'T' | b' '))
        && digits(p + 11, 2)
        && b.get(p + 13) == Some(&b':')
        && digits(p + 14, 2)
        && b.get(p + 16) == Some(&b':')
        && digits(p + 17, 2))
    {
        return 0;
    }
    let mut e = p + 19;
    if matches!(b.get(e), Some(b'.' | b',')) && digits(e + 1, 1) {
        e += 1;
        while b.get(e).is_some_and(u8::is_ascii_digit) {
            e += 1;
        }
    }
    if b.get(e) == Some(&b'Z') {
        e += 1;
    } else if matches!(b.get(e), Some(b'+' | b'-')) && digits(e + 1, 2) {
        e += 3;
        if b.get(e) == Some(&b':') {
            e += 1;
        }
        if digits(e, 2) {
            e += 2;
        }
    }
    if matches!(b.get(e), Some(b' ' | b'\t')) {
        e - p
    } else {
        0
    }
}

/// The length of a log level at `p` (`ERROR`, `[WARN]`) followed by a blank.
fn level_len(b: &[u8], p: usize) -> usize {
    const LEVELS: [&str; 10] = [
        "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL",
    ];
    let open = usize::from(b.get(p) == Some(&b'['));
    for l in LEVELS {
        let e = p + open + l.len();
        if b.get(p + open..e) == Some(l.as_bytes()) {
            let close = if open == 1 {
                if b.get(e) != Some(&b']') {
                    continue;
                }
                e + 1
            } else {
                e
            };
            if matches!(b.get(close), Some(b' ' | b'\t')) {
                return close - p;
            }
        }
    }
    0
}

/// The length of a `[thread]` tag at `p` (no blanks inside, at most 64 bytes)
/// followed by a blank.
fn thread_len(b: &[u8], p: usize) -> usize {
    if b.get(p) != Some(&b'[') {
        return 0;
    }
    let mut e = p + 1;
    while e < p + 64 {
        match b.get(e) {
            Some(b']') => {
                return if matches!(b.get(e + 1), Some(b' ' | b'\t')) {
                    e + 1 - p
                } else {
                    0
                };
            }
            Some(c) if !c.is_ascii_whitespace() => e += 1,
            _ => return 0,
        }
    }
    0
}

fn pick<T: Clone>(group: &[&Hit], get: impl Fn(&Hit) -> &Val<T>) -> Val<T> {
    let mut best: Val<T> = None;
    for h in group {
        if let Some(v) = get(h) {
            if best.as_ref().map_or(true, |b| v.2 > b.2) {
                best = Some(v.clone());
            }
        }
    }
    best
}

/// Hands `out` one finding per run of overlapping hits, in text order. Each is
/// handed over as soon as it is made, so what the caller keeps decides the
/// memory, not the number of hits.
fn merge(text: &str, hits: &[Hit], mut out: impl FnMut(Finding)) {
    // Visited in order through their indices: a hit is a few hundred bytes,
    // and a flood's window holds tens of thousands of them.
    let order = crate::scan::sorted_order(
        hits.iter()
            .map(|h| (h.span.start, usize::MAX - h.span.end, 0))
            .collect(),
    );
    let mut group: Vec<&Hit> = Vec::new();
    let mut end = 0;
    for h in order.into_iter().filter_map(|i| hits.get(i)) {
        if !group.is_empty() && h.span.start >= end {
            if group.iter().any(|g| !g.support) {
                out(finish(text, &group));
            }
            group.clear();
        }
        end = if group.is_empty() {
            h.span.end
        } else {
            end.max(h.span.end)
        };
        group.push(h);
    }
    if group.iter().any(|g| !g.support) {
        out(finish(text, &group));
    }
}

fn finish(text: &str, group: &[&Hit]) -> Finding {
    let start = group.iter().map(|h| h.span.start).min().unwrap_or(0);
    let end = group.iter().map(|h| h.span.end).max().unwrap_or(0);
    let mut evidence = Vec::new();
    let mut ev = |field: &str, span: Option<Span>| {
        if let Some(span) = span {
            evidence.push(Evidence {
                field: field.to_owned(),
                span,
            });
        }
    };
    let provider = pick(group, |h| &h.provider);
    let error_code = pick(group, |h| &h.error_code);
    // A status the text carries beats one implied by a code, whatever the priority.
    let carried = group
        .iter()
        .filter_map(|h| h.http_status.as_ref())
        .find(|v| v.0 .1)
        .cloned();
    let http_status = carried.or_else(|| {
        if group.iter().any(|h| h.no_http) {
            None
        } else {
            pick(group, |h| &h.http_status)
        }
    });
    let mut gate = pick(group, |h| &h.gate);
    // A response that carries 401 failed authentication (RFC 9110, 401
    // Unauthorized), whatever a message inside it says about permissions (Cloud
    // Storage tells an anonymous caller it lacks `storage.objects.get`), unless
    // a recogniser decided the gate strongly for a service known to answer an
    // authorization refusal with 401 (Azure AI services' PermissionDenied).
    if let Some(((401, true), span, _)) = carried.as_ref() {
        if gate
            .as_ref()
            .is_some_and(|g| g.0 == Gate::Authorization && g.2 < P_STRONG)
        {
            gate = Some((Gate::Authentication, *span, P_STRONG));
        }
    }
    let deny = pick(group, |h| &h.deny);
    // A recogniser may say how sure it is; one that does not is sure when it
    // read a provider's code or detailed message, and likely with a status or a
    // generic phrase alone. Per hit, so that a bare status merged into a
    // provider's message does not lower the certainty the message gives: the
    // surest hit decides.
    let strong = |v: Option<u8>| v.is_some_and(|p| p >= P_CODE);
    let confidence = group
        .iter()
        .filter(|h| !h.support)
        .map(|h| {
            h.confidence.unwrap_or(
                if strong(h.error_code.as_ref().map(|v| v.2))
                    || strong(h.gate.as_ref().map(|v| v.2))
                {
                    Confidence::Certain
                } else {
                    Confidence::Likely
                },
            )
        })
        .max()
        .unwrap_or(Confidence::Likely);
    let policy_type = pick(group, |h| &h.policy_type);
    let principal = pick(group, |h| &h.principal);
    let action = pick(group, |h| &h.action);
    let resource = pick(group, |h| &h.resource);
    ev("provider", provider.as_ref().and_then(|v| v.1));
    ev("errorCode", error_code.as_ref().and_then(|v| v.1));
    ev("httpStatus", http_status.as_ref().and_then(|v| v.1));
    ev("gate", gate.as_ref().and_then(|v| v.1));
    let gate_v = gate.map_or(Gate::Unknown, |g| g.0);
    let deny_v = if gate_v == Gate::Authorization && !group.iter().any(|h| h.no_deny_kind) {
        ev("deny", deny.as_ref().and_then(|v| v.1));
        Some(deny.map_or(DenyKind::Unknown, |d| d.0))
    } else {
        None
    };
    ev("policyType", policy_type.as_ref().and_then(|v| v.1));
    ev("principal", principal.as_ref().and_then(|v| v.1));
    ev("action", action.as_ref().and_then(|v| v.1));
    ev("resource", resource.as_ref().and_then(|v| v.1));
    let mut facts: Vec<Fact> = group.iter().flat_map(|h| h.facts.iter().cloned()).collect();
    crate::scan::sort_by_key(&mut facts, |f| (f.span.start, 0, 0));
    let mut seen: Vec<String> = Vec::new();
    facts.retain(|f| {
        if seen.contains(&f.key) {
            false
        } else {
            seen.push(f.key.clone());
            true
        }
    });
    let mut finding = Finding {
        provider: provider.map_or(Provider::Unknown, |p| p.0),
        error_code: error_code.map(|v| v.0),
        http_status: http_status.map(|v| v.0 .0),
        gate: gate_v,
        confidence,
        deny: deny_v,
        policy_type: policy_type.map(|v| v.0),
        principal: principal.map(|v| v.0),
        action: action.map(|v| v.0),
        resource: resource.map(|v| v.0),
        summary: String::new(),
        answer: String::new(),
        span: Span::new(start, end),
        evidence,
        facts,
        checklist: Vec::new(),
        caveats: Vec::new(),
        count: 1,
        occurrences: Vec::new(),
        evaluation: None,
    };
    refine::refine(text, &mut finding, carried.is_some());
    finding
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    /// The one finding in `text`, failing if there is not exactly one.
    pub fn one(text: &str) -> Finding {
        let (f, d) = find(text);
        assert!(d.is_empty(), "diagnostics: {d:?}");
        assert_eq!(f.len(), 1, "findings: {f:#?}");
        f.into_iter().next().unwrap()
    }

    /// The text an evidence entry for `field` points at.
    pub fn ev<'a>(text: &'a str, f: &Finding, field: &str) -> &'a str {
        let e = f
            .evidence
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("no evidence for {field}"));
        &text[e.span.start..e.span.end]
    }

    /// Fails unless every span of every finding (its own, its evidence's and
    /// its facts') lies inside `text` on character boundaries.
    pub fn assert_on_boundaries(text: &str, findings: &[Finding]) {
        let ok = |s: Span| text.is_char_boundary(s.start) && text.is_char_boundary(s.end);
        for f in findings {
            assert!(ok(f.span), "{text:?}: finding {:?}", f.span);
            for e in &f.evidence {
                assert!(ok(e.span), "{text:?}: evidence {} {:?}", e.field, e.span);
            }
            for x in &f.facts {
                assert!(ok(x.span), "{text:?}: fact {} {:?}", x.key, x.span);
            }
        }
    }

    /// The value of the fact `key`.
    pub fn fact<'a>(f: &'a Finding, key: &str) -> Option<&'a str> {
        f.facts
            .iter()
            .find(|x| x.key == key)
            .map(|x| x.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

    /// Every real message in the field corpus and every fixture's input, one
    /// after another with a blank line between them.
    fn corpus_text() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut parts: Vec<String> = Vec::new();
        for file in ["field/cases.jsonl", "field/collected.jsonl"] {
            let body = std::fs::read_to_string(root.join(file)).unwrap();
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                parts.push(v["message"].as_str().unwrap().to_owned());
            }
        }
        let mut names: Vec<_> = std::fs::read_dir(root.join("explain"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        for p in names {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            parts.push(v["input"].as_str().unwrap().to_owned());
        }
        parts.join("\n\n")
    }

    fn windowed(text: &str, window: usize, margin: usize) -> (Vec<Finding>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut out = Vec::new();
        find_windowed(text, window, margin, &mut diags, |f| out.push(f));
        (out, diags)
    }

    #[test]
    fn a_paste_read_a_window_at_a_time_gives_the_findings_of_one_reading() {
        // Window and margin far smaller than the real ones, over a text of
        // every message we have, so that hundreds of cuts fall between and
        // beside real messages; every message is shorter than the margin.
        let text = corpus_text();
        assert!(text.len() > 200_000, "{} bytes", text.len());
        let (whole, whole_diags) = windowed(&text, usize::MAX, 0);
        let (parts, part_diags) = windowed(&text, 2048, 8192);
        assert_eq!(part_diags, whole_diags);
        assert_eq!(parts.len(), whole.len());
        for (a, b) in parts.iter().zip(&whole) {
            assert_eq!(
                a,
                b,
                "at {:?}: {:?}",
                b.span,
                crate::scan::slice(&text, b.span)
            );
        }
    }

    #[test]
    fn a_window_never_ends_inside_a_json_body() {
        // One JSON error body of about 40 KB: read as one document whatever
        // the window, never as malformed JSON cut at a window's end.
        let filler: String = (0..2000)
            .map(|i| format!("\"k{i}\": \"value\", "))
            .collect();
        let text = format!(
            "first line\n{{{filler}\"Error\": {{\"Code\": \"AccessDenied\", \"Message\": \"Access Denied\"}}}}\nlast line\n"
        );
        let (whole, whole_diags) = windowed(&text, usize::MAX, 0);
        let (parts, part_diags) = windowed(&text, 1024, 512);
        assert!(part_diags.is_empty(), "{part_diags:?}");
        assert_eq!(part_diags, whole_diags);
        assert_eq!(parts, whole);
        assert_eq!(parts.len(), 1, "{parts:#?}");
    }

    #[test]
    fn a_window_cut_inside_a_long_line_or_a_character_reads_on() {
        // No newline to cut at: the cut falls at a space or on a character
        // boundary (`é` is two bytes), and every denial is still found once.
        let text: String = (0..400)
            .map(|i| {
                format!(
                    "é User: arn:aws:iam::123456789012:user/u{i} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k{i} é"
                )
            })
            .collect::<Vec<_>>()
            .join("éé");
        let (whole, _) = windowed(&text, usize::MAX, 0);
        assert_eq!(whole.len(), 400);
        // Each message is about 130 bytes: any margin past that reads it whole.
        for (window, margin) in [(1000, 300), (999, 150), (4096, 200)] {
            let (parts, _) = windowed(&text, window, margin);
            assert_eq!(parts.len(), whole.len(), "window {window}, margin {margin}");
            for (a, b) in parts.iter().zip(&whole) {
                assert_eq!(a.principal, b.principal, "window {window}, margin {margin}");
                assert_eq!(a.span, b.span, "window {window}, margin {margin}");
            }
        }
    }

    #[test]
    fn undecorate_blanks_prefixes_and_colours_byte_for_byte() {
        let t = "2024-05-02T10:11:14.1234567Z \u{1b}[31m│\u{1b}[0m Error: x\n2024/05/02 10:11:12 [ERROR] [w-1] y\nERROR: (gcloud.x) z\n12:00 not a stamp";
        let c = undecorate(t).unwrap();
        assert_eq!(c.len(), t.len());
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines[0].trim_start(), "Error: x");
        assert_eq!(lines[1].trim_start(), "y");
        // A level word is blanked only after a timestamp, and `ERROR:` is kept.
        assert_eq!(lines[2], "ERROR: (gcloud.x) z");
        assert_eq!(lines[3], "12:00 not a stamp");
        assert_eq!(undecorate("no decoration here"), None);
    }

    /// Found by fuzzing: spans that reach back a fixed number of bytes must not
    /// land inside a multi-byte character.
    #[test]
    fn spans_reaching_back_stay_on_character_boundaries() {
        let cases = [
            // GCP organization policy violation after 200 bytes of multi-byte text.
            format!("{}Constraint constraints/compute.vmExternalIpAccess violated for project 123456789012.", "é".repeat(150)),
            // EC2's "You are not authorized to perform this operation." after a 3-byte character.
            format!("{}€€€ not authorized to perform this operation.", "é".repeat(3)),
            "x€€ You are not authorized to perform this operation. Encoded authorization failure message: abc".to_owned(),
            // Kubernetes "is forbidden:" after multi-byte text on the same line.
            "€€€€pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"dev\"".to_owned(),
        ];
        for text in &cases {
            let (findings, _) = find(text);
            assert!(!findings.is_empty(), "{text}");
            assert_on_boundaries(text, &findings);
        }
    }

    #[test]
    fn empty_and_unrelated_text_have_no_findings() {
        assert!(find("").0.is_empty());
        assert!(find("INFO starting server on port 8080\nall good")
            .0
            .is_empty());
    }

    #[test]
    fn several_errors_give_several_findings_in_order() {
        let t = "first:\nUser: arn:aws:iam::1:user/a is not authorized to perform: s3:GetObject because no identity-based policy allows the s3:GetObject action\n\
                 then:\npods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"dev\"\n";
        let (f, _) = find(t);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].provider, Provider::Aws);
        assert_eq!(f[1].provider, Provider::Kubernetes);
    }

    #[test]
    fn too_large_input_is_cut_with_a_diagnostic() {
        let mut t = "x".repeat(MAX_INPUT_BYTES + 10);
        t.push_str("User: arn:aws:iam::1:user/a is not authorized to perform: s3:GetObject");
        let (f, d) = find(&t);
        assert!(f.is_empty());
        assert_eq!(d[0].code, "input.too-large");
    }

    #[test]
    fn one_helper_reports_fields() {
        let t = "An error occurred (OptInRequired) when calling the DescribeInstances operation: You are not subscribed to this service.";
        let f = one(t);
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.deny, None);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "errorCode"), "OptInRequired");
        assert_eq!(fact(&f, "operation"), Some("DescribeInstances"));
    }
}

#[cfg(test)]
mod mixed_tests {
    use super::*;

    /// A paste holding one of each kind of error, separated by log noise.
    pub(crate) fn sample() -> String {
        [
            "2024-05-01T10:00:00Z INFO worker started pid=42",
            "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
            "    at com.example.Main.run(Main.java:10)",
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy",
            "DEBUG retrying in 2s {\"attempt\": 2}",
            "ERROR: (gcloud.projects.describe) PERMISSION_DENIED: Permission 'resourcemanager.projects.get' denied on resource 'projects/p' (or it may not exist).",
            "Error from server (Forbidden): secrets is forbidden: User \"dev\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"",
            "ERROR: (AuthorizationFailed) The client 'a@b.c' with object id '1' does not have authorization to perform action 'Microsoft.Web/sites/read' over scope '/subscriptions/1' or the scope is invalid.",
            "HTTP/1.1 425 Too Early",
            "",
            "done",
        ]
        .join("\n")
    }

    #[test]
    fn noise_between_errors_makes_no_findings() {
        let t = sample();
        let (f, d) = find(&t);
        assert!(d.is_empty(), "{d:?}");
        let providers: Vec<Provider> = f.iter().map(|x| x.provider).collect();
        assert_eq!(
            providers,
            vec![
                Provider::Aws,
                Provider::Aws,
                Provider::Gcp,
                Provider::Kubernetes,
                Provider::Azure,
                Provider::Http
            ]
        );
        for x in &f {
            for e in &x.evidence {
                assert!(
                    e.span.start >= x.span.start && e.span.end <= x.span.end,
                    "{x:#?}"
                );
            }
        }
    }

    #[test]
    #[ignore = "timing; run with an optimised profile"]
    fn timing() {
        let one = sample();
        let mut big = String::new();
        while big.len() < 1_000_000 {
            big.push_str(&one);
            big.push('\n');
        }
        let t0 = std::time::Instant::now();
        let (f, _) = find(&big);
        let e = t0.elapsed();
        eprintln!("1 MB mixed: {} findings in {e:?}", f.len());
        let t0 = std::time::Instant::now();
        for _ in 0..1000 {
            let _ = find("An error occurred (AccessDenied) when calling the GetObject operation: Access Denied");
        }
        eprintln!("single message: {:?}", t0.elapsed() / 1000);
        let ten: String = "lorem ipsum dolor: sit amet, {x} \"q\" User: nobody HTTP/ (Service: \n"
            .repeat(150_000);
        let t0 = std::time::Instant::now();
        let _ = find(&ten);
        eprintln!("10 MB noise: {:?}", t0.elapsed());
        let line: String =
            "User \"a\" cannot (Service: x) HTTP/1.1 403 Access Denied: ".repeat(150_000);
        let t0 = std::time::Instant::now();
        let _ = find(&line);
        eprintln!("10 MB one line of anchors: {:?}", t0.elapsed());
        let adv: String = "not authorized to perform:".repeat(400_000);
        let t0 = std::time::Instant::now();
        let _ = find(&adv);
        eprintln!("10 MB anchors: {:?}", t0.elapsed());
    }
}

/// Behaviour added while reconciling the recognisers with the fixture corpus and
/// the weak spots reported by their author. Each message shape comes from the
/// public page named in the test.
#[cfg(test)]
mod reconcile_tests {
    use super::test_util::*;
    use super::*;

    #[test]
    fn aws_message_wrapped_over_lines() {
        // IAM "Troubleshoot access denied error messages", as a CI log wraps it.
        let t = "  User: arn:aws:iam::1:user/ci is not authorized\n  to perform: sqs:SendMessage on resource:\n  arn:aws:sqs:us-east-1:1:q because no\n  identity-based policy allows the sqs:SendMessage action";
        let f = one(t);
        assert_eq!(f.principal.as_deref(), Some("arn:aws:iam::1:user/ci"));
        assert_eq!(f.action.as_deref(), Some("sqs:SendMessage"));
        assert_eq!(f.resource.as_deref(), Some("arn:aws:sqs:us-east-1:1:q"));
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(f.policy_type, Some(PolicyType::Identity));
        assert_eq!(ev(t, &f, "policyType"), "identity-based policy");
    }

    #[test]
    fn sdk_tail_with_400_joins_the_message_and_alone_is_nothing() {
        // AWS SDK for Java 2.x: DynamoDB answers AccessDeniedException with 400.
        let t = "DynamoDbException: User: arn:aws:iam::1:user/u is not authorized to perform: dynamodb:Query because no identity-based policy allows the dynamodb:Query action (Service: DynamoDb, Status Code: 400, Request ID: R1)";
        let f = one(t);
        assert_eq!(f.http_status, Some(400));
        assert_eq!(fact(&f, "requestId"), Some("R1"));
        assert!(find(
            "ValidationException: bad input (Service: DynamoDb, Status Code: 400, Request ID: R2)"
        )
        .0
        .is_empty());
    }

    #[test]
    fn javascript_v2_error_properties() {
        // AWS SDK for JavaScript v2: the error object's `code`, `statusCode`, `requestId`.
        let t = "AccessDenied: Access Denied\n    at Request.extractError (s3.js:1:1) {\n  code: 'AccessDenied',\n  requestId: 'ABC123',\n  statusCode: 403\n}";
        let f = one(t);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(fact(&f, "requestId"), Some("ABC123"));
    }

    #[test]
    fn aws_error_type_and_request_id_headers() {
        // AWS REST-JSON protocol: `x-amzn-ErrorType` names the code.
        let t = "HTTP/1.1 400 Bad Request\nx-amzn-RequestId: RID-9\nx-amzn-ErrorType: AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/\n\n{\"message\":\"no\"}";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDeniedException"));
        assert_eq!(f.http_status, Some(400));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(fact(&f, "requestId"), Some("RID-9"));
    }

    #[test]
    fn expired_presigned_url_is_authentication() {
        // S3 "Sharing objects with presigned URLs": an expired URL gets AccessDenied
        // with `Request has expired`.
        let t = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><RequestId>Q1</RequestId></Error>";
        let f = one(t);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.deny, None);
        assert_eq!(ev(t, &f, "gate"), "Request has expired");
    }

    #[test]
    fn api_gateway_authorizer_denials() {
        // AWS Knowledge Center, 403 errors from an API Gateway Lambda authorizer.
        let t = "{\"message\":\"User is not authorized to access this resource\"}";
        let f = one(t);
        assert_eq!(f.provider, Provider::Aws);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        let t = "{\"message\":\"User is not authorized to access this resource with an explicit deny\"}";
        let f = one(t);
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(ev(t, &f, "deny"), "with an explicit deny");
    }

    #[test]
    fn http_client_one_liners() {
        // curl(1) `--fail`; Python requests `raise_for_status`; .NET
        // `HttpResponseMessage.EnsureSuccessStatusCode`.
        let f = one("curl: (22) The requested URL returned error: 401");
        assert_eq!(f.http_status, Some(401));
        assert_eq!(f.gate, Gate::Authentication);
        let t = "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://api.example.com/v1/items";
        let f = one(t);
        assert_eq!(f.provider, Provider::Http);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(
            f.resource.as_deref(),
            Some("https://api.example.com/v1/items")
        );
        let t = "System.Net.Http.HttpRequestException: Response status code does not indicate success: 403 (Forbidden).";
        let f = one(t);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert!(
            find("500 Server Error: Internal Server Error for url: https://x")
                .0
                .is_empty()
        );
    }

    #[test]
    fn gcp_disabled_api_is_not_an_authorization_failure() {
        // googleapis error_reason.proto, SERVICE_DISABLED.
        let t = "ERROR: (gcloud.pubsub.topics.list) PERMISSION_DENIED: Cloud Pub/Sub API has not been used in project 1234 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/pubsub.googleapis.com/overview?project=1234 then retry.";
        let f = one(t);
        assert_eq!(f.provider, Provider::Gcp);
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.deny, None);
        let t = r#"{"error":{"code":403,"message":"x","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com"}]}}"#;
        let f = one(t);
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(ev(t, &f, "gate"), "SERVICE_DISABLED");
    }

    #[test]
    fn bare_denial_words_need_context() {
        for t in [
            "INFO page template 'Access Denied' rendered in 3ms",
            "DEBUG metric access_denied_total label=Access Denied\n",
            "WARN retry policy skips PERMISSION_DENIED and UNAUTHENTICATED codes",
        ] {
            assert!(find(t).0.is_empty(), "{t}");
        }
        // The S3 console and CLI report the bare message after an error label.
        let f = one("fatal error: Access Denied");
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        let f = one("Access Denied");
        assert_eq!(f.provider, Provider::Aws);
        let f = one("grpc call failed: status: PERMISSION_DENIED");
        assert_eq!(f.provider, Provider::Gcp);
    }

    #[test]
    fn evidence_inside_json_strings_points_at_that_string() {
        // CloudTrail `lookup-events` output: the event is a JSON string, and the
        // same ARN appears earlier in the outer object.
        let t = r#"{"Username":"arn:aws:iam::1:user/bob","CloudTrailEvent":"{\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/bob\"},\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"errorCode\":\"AccessDenied\",\"requestID\":\"R\\/1\"}"}"#;
        let f = one(t);
        let e = f.evidence.iter().find(|e| e.field == "principal").unwrap();
        let inner = t.find("CloudTrailEvent").unwrap();
        assert!(e.span.start > inner, "{e:?}");
        assert_eq!(&t[e.span.start..e.span.end], "arn:aws:iam::1:user/bob");
        // An escaped value maps onto its escaped bytes.
        assert_eq!(fact(&f, "requestId"), Some("R/1"));
        let r = f.facts.iter().find(|x| x.key == "requestId").unwrap();
        assert_eq!(&t[r.span.start..r.span.end], "R\\\\/1");
    }

    #[test]
    fn azure_powershell_record_is_one_finding() {
        // Azure PowerShell error record for ARM AuthorizationFailed (403).
        let msg = "The client 'a@b.c' with object id '1' does not have authorization to perform action 'Microsoft.Web/sites/write' over scope '/subscriptions/1' or the scope is invalid.";
        let t = format!("New-AzWebApp: {msg}\nStatusCode: 403\nReasonPhrase: Forbidden\nErrorCode: AuthorizationFailed\nErrorMessage: {msg}\n");
        let f = one(&t);
        assert_eq!(f.error_code.as_deref(), Some("AuthorizationFailed"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(&t, &f, "httpStatus"), "403");
    }

    #[test]
    fn json_problem_labels_sit_on_character_boundaries() {
        for t in ["{\"a\": é}", "{\"é\": \u{1F600}\u{1F600}}", "{ ü ü"] {
            let (_, d) = find(t);
            for l in d.iter().flat_map(|d| d.labels.iter()) {
                assert!(
                    t.is_char_boundary(l.start) && t.is_char_boundary(l.end),
                    "{t}: {l:?}"
                );
            }
        }
    }

    #[test]
    fn kubernetes_needs_the_forbidden_phrase() {
        // The API server words RBAC refusals `... is forbidden: User "x" cannot ...`.
        assert!(find("the doc says: User \"ann\" cannot edit this page")
            .0
            .is_empty());
        let f = one("pods is forbidden: User \"ann\" cannot list resource \"pods\" in API group \"\" in the namespace \"d\"");
        assert_eq!(f.provider, Provider::Kubernetes);
    }

    #[test]
    fn vpc_endpoint_via_scp_points_at_the_scp_end_to_end() {
        // IAM "Troubleshoot access denied error messages": for this message AWS
        // says to look for the Deny statement in the SCPs.
        let t = "User: arn:aws:iam::111122223333:user/a is not authorized to perform: sns:Publish on resource: arn:aws:sns:us-east-1:111122223333:t with an explicit deny in a VPC endpoint policy transitively through a service control policy";
        let r = crate::explain(t);
        let f = &r.findings[0];
        let ids: Vec<&str> = f.checklist.iter().map(|c| c.id.as_str()).collect();
        assert!(ids.contains(&"aws.vpc-endpoint-via-scp"), "{ids:?}");
        assert!(ids.contains(&"aws.check-scp"), "{ids:?}");
        assert!(!ids.contains(&"aws.vpc-endpoint-policy"), "{ids:?}");
        let fix = f
            .checklist
            .iter()
            .find(|c| c.id == "aws.narrow-deny")
            .unwrap();
        assert!(fix.text.contains("service control polic"), "{}", fix.text);
        assert!(
            f.summary
                .contains("a service control policy explicitly denies it"),
            "{}",
            f.summary
        );
    }

    #[test]
    fn gcp_permission_message_warns_that_the_cause_is_not_named() {
        let r = crate::explain("ERROR: (gcloud.x) PERMISSION_DENIED: Permission 'a.b.c' denied on resource 'projects/p' (or it may not exist).");
        let f = &r.findings[0];
        assert!(f.caveats.iter().any(|c| c.code == "gcp.cause-not-named"));
        let grant = f
            .checklist
            .iter()
            .find(|c| c.id == "gcp.grant-role")
            .unwrap();
        assert!(
            grant.text.starts_with("If the troubleshooter shows"),
            "{}",
            grant.text
        );
    }

    #[test]
    fn braces_in_a_traceback_are_not_reported_as_broken_json() {
        let (_, d) =
            find("  response = client.get(request={\"name\": name})\nPermission 'a.b' denied");
        assert!(d.is_empty(), "{d:?}");
    }
}
