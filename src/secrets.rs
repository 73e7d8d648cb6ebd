//! Finding credentials in pasted text, reading (never verifying) their expiry, and
//! masking them.
//!
//! People paste whole requests and logs, and those often carry live credentials.
//! [`scan`] reports each one with its byte span and kind; [`redact`] replaces
//! each span with its mask, giving text that is safe to share.
//!
//! # The mask convention
//!
//! Every mask is ASCII and contains `[redacted`. The bracketed part stands for
//! what was removed; anything outside the brackets is original text kept on
//! purpose because it helps diagnosis and is not secret:
//!
//! | kind | original | mask |
//! | --- | --- | --- |
//! | `aws-access-key-id` | `AKIAIOSFODNN7EXAMPLE` | `AKIA[redacted]` (the prefix says long-term `AKIA` or temporary `ASIA`) |
//! | `jwt` | `eyJhbGciOi...` | `[redacted JWT, expires 2026-11-22T21:57:36Z]` |
//! | `bearer-token`, `basic-auth` | the token after `Bearer `/`Basic ` | `[redacted]` |
//! | `pem-private-key` | the whole armored block | `-----BEGIN RSA PRIVATE KEY----- [redacted] -----END RSA PRIVATE KEY-----` |
//! | `url-password` | the password in `scheme://user:password@host` | `[redacted]`, so the text reads `user:[redacted]@host` |
//! | `aws-presigned-signature`, `azure-sas-signature` | the query value | `[redacted, expires 2026-11-22T22:57:36Z]` |
//! | anything else | the value after its key | `[redacted]` |
//!
//! Where the surrounding text already names the credential (`AccountKey=`,
//! `X-Amz-Signature=`, `"SessionToken":`), only the value is covered by the span,
//! so the key stays readable. An expiry is written as `expires <time>` whatever
//! the analysis time, so the redacted text does not depend on when it was made.
//!
//! # Cost
//!
//! The scan is linear in the input. Every detector finds its anchors with
//! substring search, then examines a bounded stretch after each anchor or a run of
//! token characters that starts where the previous character is not a token
//! character; such runs never overlap, so each byte is examined a bounded number
//! of times. All spans start and end on ASCII bytes, hence on char boundaries.

use crate::diag::Span;
use crate::model::Secret;
use crate::time::format_datetime;

/// The longest run of token characters taken as one token. Real AWS session
/// tokens are a few kilobytes at most; a longer run is not a credential we know.
const MAX_TOKEN: usize = 16 * 1024;
/// The longest JWT header segment that is decoded.
const MAX_JWT_HEADER: usize = 4 * 1024;
/// The longest distance from a PEM `BEGIN` line to its `END` line.
const MAX_PEM: usize = 64 * 1024;
/// The longest `user:password` part of a URL that is examined.
const MAX_USERINFO: usize = 1024;
/// JWT `exp` values past the year 9999 are not read as dates.
const MAX_EPOCH_SECONDS: i64 = 253_402_300_799;

/// What a found credential is. The order is the tie-break when two detectors
/// claim the same span: the earlier variant is the more specific one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    GcpServiceAccountKey,
    PemPrivateKey,
    AwsPresignedSignature,
    AwsPresignedSecurityToken,
    Jwt,
    AzureSasSignature,
    AzureAccountKey,
    AwsSecretAccessKey,
    AwsSessionToken,
    BearerToken,
    BasicAuth,
    UrlPassword,
    AwsAccessKeyId,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::GcpServiceAccountKey => "gcp-service-account-key",
            Kind::PemPrivateKey => "pem-private-key",
            Kind::AwsPresignedSignature => "aws-presigned-signature",
            Kind::AwsPresignedSecurityToken => "aws-presigned-security-token",
            Kind::Jwt => "jwt",
            Kind::AzureSasSignature => "azure-sas-signature",
            Kind::AzureAccountKey => "azure-account-key",
            Kind::AwsSecretAccessKey => "aws-secret-access-key",
            Kind::AwsSessionToken => "aws-session-token",
            Kind::BearerToken => "bearer-token",
            Kind::BasicAuth => "basic-auth",
            Kind::UrlPassword => "url-password",
            Kind::AwsAccessKeyId => "aws-access-key-id",
        }
    }
}

/// A detector's claim, before overlaps are settled.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    kind: Kind,
    masked: String,
    expires: Option<i64>,
}

impl Candidate {
    fn new(start: usize, end: usize, kind: Kind, masked: String) -> Self {
        Candidate { start, end, kind, masked, expires: None }
    }
}

/// Finds every credential-looking value in `text`.
///
/// The result is sorted by start and free of overlaps: where two detectors claim
/// overlapping text, the longer claim wins, and on equal spans the more specific
/// kind. `now_millis` (milliseconds since the Unix epoch) is only used to fill
/// [`Secret::expired`]; without it `expired` is `None`.
#[must_use]
pub fn scan(text: &str, now_millis: Option<i64>) -> Vec<Secret> {
    // ASCII lowercasing keeps every byte offset, so spans found in `lower` are
    // spans in `text`.
    let lower = text.to_ascii_lowercase();
    let s = Source { text, bytes: text.as_bytes(), lower: &lower };
    let mut found = Vec::new();
    access_key_ids(&s, &mut found);
    aws_keyed_values(&s, &mut found);
    bare_session_tokens(&s, &mut found);
    query_strings(&s, &mut found);
    jwts(&s, &mut found);
    authorization_headers(&s, &mut found);
    azure_account_keys(&s, &mut found);
    gcp_private_key_ids(&s, &mut found);
    pem_private_keys(&s, &mut found);
    url_passwords(&s, &mut found);
    settle(found)
        .into_iter()
        .map(|c| Secret {
            kind: c.kind.as_str().to_owned(),
            span: Span::new(c.start, c.end),
            masked: c.masked,
            expires_at: c.expires.map(format_datetime),
            expired: match (c.expires, now_millis) {
                (Some(at), Some(now)) => Some(now >= at),
                _ => None,
            },
        })
        .collect()
}

/// Returns `text` with each secret's span replaced by its mask.
///
/// Secrets may come in any order; a span that is out of range, not on char
/// boundaries, or overlapping an earlier one is left as it is rather than
/// guessed at.
#[must_use]
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut order: Vec<&Secret> = secrets.iter().collect();
    order.sort_by_key(|s| (s.span.start, s.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for secret in order {
        let Span { start, end } = secret.span;
        if start < at || text.get(start..end).is_none() {
            continue;
        }
        if let Some(before) = text.get(at..start) {
            out.push_str(before);
            out.push_str(&secret.masked);
            at = end;
        }
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// Keeps a non-overlapping subset of the candidates, sorted by start.
fn settle(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.retain(|c| c.start < c.end);
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.kind.cmp(&b.kind)));
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        match kept.last_mut() {
            Some(last) if c.start < last.end => {
                let (lc, cc) = (last.end - last.start, c.end - c.start);
                if cc > lc || (cc == lc && c.kind < last.kind) {
                    *last = c;
                }
            }
            _ => kept.push(c),
        }
    }
    kept
}

/// The text three ways: as `str`, as bytes, and ASCII-lowercased for
/// case-insensitive key search.
struct Source<'a> {
    text: &'a str,
    bytes: &'a [u8],
    lower: &'a str,
}

impl Source<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// The byte before `at`, if any.
    fn before(&self, at: usize) -> Option<u8> {
        at.checked_sub(1).and_then(|i| self.byte(i))
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// Positions of `needle` (lowercase) in the lowercased text.
    fn find_ci<'n>(&'n self, needle: &'n str) -> impl Iterator<Item = usize> + 'n {
        self.lower.match_indices(needle).map(|(i, _)| i)
    }

    /// The end of the run of `class` bytes starting at `start`, or `None` when
    /// the run is longer than `max` (then it is not a token of the kind sought).
    fn run(&self, start: usize, max: usize, class: fn(u8) -> bool) -> Option<usize> {
        let limit = start.saturating_add(max);
        let mut i = start;
        while let Some(b) = self.byte(i) {
            if !class(b) {
                return Some(i);
            }
            if i >= limit {
                return None;
            }
            i += 1;
        }
        Some(i)
    }

    /// A base64 value starting at `start` (standard alphabet plus up to two `=`
    /// of padding); returns its end.
    fn base64_value(&self, start: usize) -> Option<usize> {
        let mut end = self.run(start, MAX_TOKEN, is_b64)?;
        for _ in 0..2 {
            if self.byte(end) == Some(b'=') {
                end += 1;
            }
        }
        Some(end)
    }

    /// Skips the separator between a key and its value (`=`, `:`, quotes,
    /// spaces, `=>`, backslashes of escaped JSON), at most 12 bytes. Returns the
    /// value's start, or `None` if nothing separates them.
    fn after_separator(&self, from: usize) -> Option<usize> {
        let mut i = from;
        while i < from + 12 {
            match self.byte(i) {
                Some(b'"' | b'\'' | b' ' | b'\t' | b':' | b'=' | b'>' | b'\\') => i += 1,
                _ => break,
            }
        }
        (i > from).then_some(i)
    }
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// RFC 7235 `token68`, the syntax of a `Bearer` or `Basic` credential, without
/// its trailing `=`.
fn is_token68(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
}

/// A byte that can be part of a URL query string as pasted. `?` is excluded so
/// a query run starts after it; `;` and `,` end it as they end values in
/// connection strings and prose.
fn is_query(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'"' | b'\'' | b'<' | b'>' | b'?' | b'\\' | b'`' | b'#' | b'{' | b'}' | b'|' | b'^' | b'[' | b']' | b'(' | b')' | b',' | b';'
        )
}

fn redacted() -> String {
    "[redacted]".to_owned()
}

fn redacted_until(note: &str, expires: Option<i64>) -> String {
    match (note.is_empty(), expires) {
        (true, None) => redacted(),
        (true, Some(at)) => format!("[redacted, expires {}]", format_datetime(at)),
        (false, None) => format!("[redacted {note}]"),
        (false, Some(at)) => format!("[redacted {note}, expires {}]", format_datetime(at)),
    }
}

/// AWS access key ids: 20 characters, upper-case letters and digits, starting
/// with a documented credential prefix. The IAM User Guide ("IAM identifiers",
/// unique ID prefixes) lists `AKIA` for access keys, `ASIA` for temporary
/// (AWS STS) access keys, `ABIA` for STS service bearer tokens and `ACCA` for
/// context-specific credentials. Other prefixes there (`AIDA` users, `AROA`
/// roles, `AGPA` groups, ...) identify principals, not credentials, and are
/// left alone: they are useful evidence in a denial message.
fn access_key_ids(s: &Source, out: &mut Vec<Candidate>) {
    for prefix in ["AKIA", "ASIA", "ABIA", "ACCA"] {
        for (at, _) in s.text.match_indices(prefix) {
            if s.before(at).is_some_and(is_alnum) {
                continue;
            }
            let end = at + 20;
            let Some(id) = s.bytes.get(at..end) else { continue };
            let shaped = id.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if shaped && !s.byte(end).is_some_and(is_alnum) {
                out.push(Candidate::new(at, end, Kind::AwsAccessKeyId, format!("{prefix}[redacted]")));
            }
        }
    }
}

/// Values after the key names the AWS CLI, SDKs and STS use for secret access
/// keys and session tokens (`aws_secret_access_key = ...`,
/// `"SecretAccessKey": "..."`, `AWS_SESSION_TOKEN=...`,
/// `X-Amz-Security-Token: ...`). A secret key is 40 base64 characters; it is
/// only recognised after such a key, because 40 random-looking characters alone
/// are too common (hashes, request ids).
fn aws_keyed_values(s: &Source, out: &mut Vec<Candidate>) {
    let keys = [
        ("secret_access_key", Kind::AwsSecretAccessKey),
        ("secretaccesskey", Kind::AwsSecretAccessKey),
        ("secret-access-key", Kind::AwsSecretAccessKey),
        ("aws_secret_key", Kind::AwsSecretAccessKey),
        ("session_token", Kind::AwsSessionToken),
        ("sessiontoken", Kind::AwsSessionToken),
        ("security_token", Kind::AwsSessionToken),
        ("x-amz-security-token", Kind::AwsSessionToken),
    ];
    for (key, kind) in keys {
        for at in s.find_ci(key) {
            let Some(start) = s.after_separator(at + key.len()) else { continue };
            let Some(end) = s.base64_value(start) else { continue };
            let value = s.slice(start, end);
            let ok = match kind {
                Kind::AwsSecretAccessKey => looks_like_secret_key(value),
                _ => value.len() >= 32,
            };
            if ok {
                out.push(Candidate::new(start, end, kind, redacted()));
            }
        }
    }
}

/// A secret access key is 40 characters of base64 drawn at random, so it mixes
/// upper case, lower case and digits or `+/`. Requiring the mix keeps a hex
/// SHA-1 or a word from being taken for one.
fn looks_like_secret_key(v: &str) -> bool {
    v.len() == 40
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit() || b == b'+' || b == b'/')
}

/// Session tokens pasted without their key, recognised by the start every STS
/// token of a generation shares (the base64 of its fixed leading bytes).
fn bare_session_tokens(s: &Source, out: &mut Vec<Candidate>) {
    for prefix in ["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE", "FQoGZXIvYXdzE", "AQoDYXdzE"] {
        for (at, _) in s.text.match_indices(prefix) {
            if s.before(at).is_some_and(is_b64) {
                continue;
            }
            let Some(end) = s.base64_value(at) else { continue };
            if end - at >= 100 {
                out.push(Candidate::new(at, end, Kind::AwsSessionToken, redacted()));
            }
        }
    }
}

/// One `name=value` parameter of a query string.
struct Param {
    name: String,
    value: (usize, usize),
}

/// Presigned S3 URLs (SigV4 query authentication) and Azure shared access
/// signatures. Both are query strings; each query string that holds an anchor is
/// split into parameters once.
fn query_strings(s: &Source, out: &mut Vec<Candidate>) {
    let mut anchors: Vec<usize> = ["x-amz-signature=", "x-amz-security-token=", "sig="]
        .iter()
        .flat_map(|needle| s.find_ci(needle).collect::<Vec<_>>())
        .collect();
    anchors.sort_unstable();
    let mut done_until = 0;
    for at in anchors {
        if at < done_until {
            continue;
        }
        let mut start = at;
        while start > done_until && s.before(start).is_some_and(is_query) {
            start -= 1;
        }
        let end = s.run(at, usize::MAX, is_query).unwrap_or(s.bytes.len());
        done_until = end.max(at + 1);
        let params = split_query(s, start, end);
        presigned_url(s, &params, out);
        sas_token(s, &params, out);
    }
}

fn split_query(s: &Source, start: usize, end: usize) -> Vec<Param> {
    let mut params = Vec::new();
    let mut i = start;
    while i < end {
        let seg_end = s.slice(i, end).find('&').map_or(end, |n| i + n);
        if let Some(eq) = s.slice(i, seg_end).find('=') {
            let name = s.lower.get(i..i + eq).unwrap_or_default();
            // An Azure connection string holds its SAS as
            // `SharedAccessSignature=sv=...&sig=...`: the first name is the key.
            let (name, vstart) = match name {
                "sharedaccesssignature" => {
                    let rest = s.slice(i + eq + 1, seg_end);
                    match rest.find('=') {
                        Some(eq2) => (s.lower.get(i + eq + 1..i + eq + 1 + eq2).unwrap_or_default(), i + eq + 2 + eq2),
                        None => (name, i + eq + 1),
                    }
                }
                _ => (name, i + eq + 1),
            };
            params.push(Param { name: name.to_owned(), value: (vstart, seg_end) });
        }
        i = seg_end + 1;
    }
    params
}

fn param<'p>(params: &'p [Param], name: &str) -> Option<&'p Param> {
    params.iter().find(|p| p.name == name)
}

/// SigV4 presigned URL: the signature and the security token are secret. The
/// expiry is `X-Amz-Date` (basic ISO 8601) plus `X-Amz-Expires` seconds, as the
/// Amazon S3 API Reference ("Authenticating Requests: Using Query Parameters")
/// defines them.
fn presigned_url(s: &Source, params: &[Param], out: &mut Vec<Candidate>) {
    let date = param(params, "x-amz-date").and_then(|p| crate::time::parse_datetime(s.slice(p.value.0, p.value.1)));
    let seconds = param(params, "x-amz-expires").and_then(|p| s.slice(p.value.0, p.value.1).parse::<i64>().ok());
    let expires = match (date, seconds) {
        (Some(d), Some(sec)) if (0..=MAX_EPOCH_SECONDS).contains(&sec) => d.checked_add(sec.saturating_mul(1000)),
        _ => None,
    };
    for p in params {
        let kind = match p.name.as_str() {
            "x-amz-signature" => Kind::AwsPresignedSignature,
            "x-amz-security-token" => Kind::AwsPresignedSecurityToken,
            _ => continue,
        };
        let (start, end) = p.value;
        if end.saturating_sub(start) < 16 {
            continue;
        }
        let mut c = Candidate::new(start, end, kind, redacted());
        if kind == Kind::AwsPresignedSignature {
            c.expires = expires;
            c.masked = redacted_until("", expires);
        }
        out.push(c);
    }
}

/// Azure Storage shared access signature: `sig` is the secret, recognised only
/// next to the other SAS parameters; `se` (signed expiry, ISO 8601, usually
/// percent-encoded) is read as the expiry.
fn sas_token(s: &Source, params: &[Param], out: &mut Vec<Candidate>) {
    let Some(sig) = param(params, "sig") else { return };
    let is_sas = ["sv", "se", "sp", "sr", "ss", "srt", "spr", "st", "skoid"].iter().any(|n| param(params, n).is_some());
    let (start, end) = sig.value;
    if !is_sas || end.saturating_sub(start) < 16 {
        return;
    }
    let expires = param(params, "se")
        .and_then(|p| percent_decode(s.slice(p.value.0, p.value.1)))
        .and_then(|v| crate::time::parse_datetime(&v));
    let mut c = Candidate::new(start, end, Kind::AzureSasSignature, redacted_until("", expires));
    c.expires = expires;
    out.push(c);
}

/// Decodes `%XX` escapes in a short value (longer ones are not dates).
fn percent_decode(v: &str) -> Option<String> {
    if v.len() > 64 {
        return None;
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = v.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// JSON Web Tokens (RFC 7519): base64url segments separated by dots whose first
/// segment decodes to a JSON object with an `alg` member. The payload's `exp`
/// (seconds since the epoch) is read as the expiry. Five-segment JWE tokens are
/// covered whole; their payload is encrypted, so they carry no expiry here.
fn jwts(s: &Source, out: &mut Vec<Candidate>) {
    for (at, _) in s.text.match_indices("eyJ") {
        // A header that starts mid-run is not a header; this also keeps the
        // segment runs examined below from overlapping between candidates.
        if s.before(at).is_some_and(|b| is_b64url(b) || b == b'.') {
            continue;
        }
        let Some(seg1) = s.run(at, MAX_TOKEN, is_b64url) else { continue };
        if seg1 - at < 10 || seg1 - at > MAX_JWT_HEADER || s.byte(seg1) != Some(b'.') {
            continue;
        }
        let Some(seg2) = s.run(seg1 + 1, MAX_TOKEN, is_b64url) else { continue };
        if seg2 - seg1 < 3 || s.byte(seg2) != Some(b'.') {
            continue;
        }
        let Some(mut end) = s.run(seg2 + 1, MAX_TOKEN, is_b64url) else { continue };
        let mut segments = 3;
        while segments < 5 && s.byte(end) == Some(b'.') {
            match s.run(end + 1, MAX_TOKEN, is_b64url) {
                Some(e) => end = e,
                None => break,
            }
            segments += 1;
        }
        if segments == 4 {
            continue;
        }
        let Some(header) = decode_json(s.slice(at, seg1)) else { continue };
        if !header.get("alg").is_some_and(serde_json::Value::is_string) {
            continue;
        }
        let expires = if segments == 3 { decode_json(s.slice(seg1 + 1, seg2)).and_then(|p| jwt_exp(&p)) } else { None };
        let mut c = Candidate::new(at, end, Kind::Jwt, redacted_until("JWT", expires));
        c.expires = expires;
        out.push(c);
    }
}

fn decode_json(segment: &str) -> Option<serde_json::Value> {
    let bytes = crate::base64::decode(segment)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.is_object().then_some(value)
}

/// The `exp` claim as milliseconds; RFC 7519 allows a fractional NumericDate.
fn jwt_exp(payload: &serde_json::Value) -> Option<i64> {
    let exp = payload.get("exp")?;
    let seconds = match exp.as_i64() {
        Some(n) => n,
        // Saturating float-to-int conversion; the range check below rejects the extremes.
        None => exp.as_f64()?.floor() as i64,
    };
    (0..=MAX_EPOCH_SECONDS).contains(&seconds).then(|| seconds * 1000)
}

/// `Authorization: Bearer <token>` and `Authorization: Basic <credentials>`, as
/// header lines, curl `-H` arguments or JSON. The word `authorization` must come
/// first so that a `WWW-Authenticate: Bearer realm=...` challenge is not taken
/// for a credential. A JWT bearer token is reported as `jwt` instead (it wins
/// the tie on the same span).
fn authorization_headers(s: &Source, out: &mut Vec<Candidate>) {
    for at in s.find_ci("authorization") {
        let Some(scheme) = s.after_separator(at + "authorization".len()) else { continue };
        let rest = s.lower.get(scheme..).unwrap_or_default();
        let (kind, skip) = if rest.starts_with("bearer ") {
            (Kind::BearerToken, 7)
        } else if rest.starts_with("basic ") {
            (Kind::BasicAuth, 6)
        } else {
            continue;
        };
        let mut start = scheme + skip;
        while s.byte(start) == Some(b' ') && start < scheme + skip + 8 {
            start += 1;
        }
        if s.before(start).is_some_and(is_token68) {
            continue;
        }
        let Some(mut end) = s.run(start, MAX_TOKEN, is_token68) else { continue };
        while s.byte(end) == Some(b'=') && end < start + MAX_TOKEN {
            end += 1;
        }
        if end - start >= 8 {
            out.push(Candidate::new(start, end, kind, redacted()));
        }
    }
}

/// `AccountKey=` in an Azure Storage connection string and `SharedAccessKey=` in
/// Service Bus and Event Hubs connection strings: base64 keys.
fn azure_account_keys(s: &Source, out: &mut Vec<Candidate>) {
    for key in ["accountkey=", "sharedaccesskey="] {
        for at in s.find_ci(key) {
            if s.before(at).is_some_and(is_alnum) {
                continue;
            }
            let start = at + key.len();
            let Some(end) = s.base64_value(start) else { continue };
            if end - start >= 20 {
                out.push(Candidate::new(start, end, Kind::AzureAccountKey, redacted()));
            }
        }
    }
}

/// `"private_key_id": "<40 hex>"` in a Google Cloud service account key file.
fn gcp_private_key_ids(s: &Source, out: &mut Vec<Candidate>) {
    for at in s.find_ci("private_key_id") {
        let Some(start) = s.after_separator(at + "private_key_id".len()) else { continue };
        let Some(end) = s.run(start, 64, |b| b.is_ascii_hexdigit()) else { continue };
        if end - start == 40 && !s.byte(end).is_some_and(is_alnum) {
            out.push(Candidate::new(start, end, Kind::GcpServiceAccountKey, redacted()));
        }
    }
}

/// PEM private keys (RFC 7468 labels ending in `PRIVATE KEY`, plus OpenSSH's),
/// from the `BEGIN` line through the matching `END` line. A block cut short
/// (no `END` within reach) is covered as far as its base64 body goes. The value
/// of a `"private_key"` JSON member is a Google Cloud service account key.
fn pem_private_keys(s: &Source, out: &mut Vec<Candidate>) {
    // The next `-----END ` at or after some position, found at most once per
    // stretch of text so that many `BEGIN` lines cost one pass.
    let mut next_end: Option<Option<usize>> = None;
    let mut searched_from = 0;
    for (at, _) in s.text.match_indices("-----BEGIN ") {
        let label_start = at + "-----BEGIN ".len();
        let Some(label_len) = s.slice(label_start, (label_start + 64).min(s.bytes.len())).find("-----") else {
            continue;
        };
        let label = s.slice(label_start, label_start + label_len);
        if !label.contains("PRIVATE KEY") || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
            continue;
        }
        let header_end = label_start + label_len + 5;
        let end_at = match next_end {
            Some(Some(e)) if e >= header_end => Some(e),
            Some(None) if searched_from <= header_end => None,
            _ => {
                searched_from = header_end;
                let found = s.text.get(header_end..).and_then(|t| t.find("-----END ")).map(|n| header_end + n);
                next_end = Some(found);
                found
            }
        };
        let closing = format!("-----END {label}-----");
        let kind = if is_json_private_key(s, at) { Kind::GcpServiceAccountKey } else { Kind::PemPrivateKey };
        let end = match end_at {
            Some(e) if e - header_end <= MAX_PEM && s.text.get(e..).is_some_and(|t| t.starts_with(&closing)) => {
                Some(e + closing.len())
            }
            _ => None,
        };
        let masked = match end {
            Some(_) => format!("-----BEGIN {label}----- [redacted] -----END {label}-----"),
            None => format!("-----BEGIN {label}----- [redacted]"),
        };
        let end = match end {
            Some(e) => e,
            None => s
                .run(header_end, MAX_PEM, |b| is_b64(b) || b == b'=' || b == b'\\' || b.is_ascii_whitespace())
                .unwrap_or(header_end),
        };
        out.push(Candidate::new(at, end, kind, masked));
    }
}

/// Whether the PEM block at `at` is the value of a `"private_key"` JSON member,
/// as in a Google Cloud service account key file.
fn is_json_private_key(s: &Source, at: usize) -> bool {
    let mut i = at;
    while i + 8 > at {
        match s.before(i) {
            Some(b'"' | b'\\' | b' ' | b':' | b'\t') => i -= 1,
            _ => break,
        }
    }
    let key = "private_key";
    i >= key.len() && s.lower.get(i - key.len()..i) == Some(key) && i < at
}

/// The password in `scheme://user:password@host` (RFC 3986 userinfo). The last
/// `@` before the host ends it, so an unescaped `@` in a password is covered too.
fn url_passwords(s: &Source, out: &mut Vec<Candidate>) {
    for (at, _) in s.text.match_indices("://") {
        let mut scheme = at;
        while scheme + 32 > at && s.before(scheme).is_some_and(|b| is_alnum(b) || matches!(b, b'+' | b'.' | b'-')) {
            scheme -= 1;
        }
        if scheme == at || !s.byte(scheme).is_some_and(|b| b.is_ascii_alphabetic()) {
            continue;
        }
        let from = at + 3;
        let mut colon = None;
        let mut last_at = None;
        let mut i = from;
        while i < from + MAX_USERINFO {
            match s.byte(i) {
                None => break,
                Some(b) if b.is_ascii_whitespace() || b.is_ascii_control() => break,
                Some(b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'|') => break,
                Some(b':') if colon.is_none() => colon = Some(i),
                Some(b'@') => last_at = Some(i),
                Some(_) => {}
            }
            i += 1;
        }
        if let (Some(c), Some(a)) = (colon, last_at) {
            if c + 1 < a {
                out.push(Candidate::new(c + 1, a, Kind::UrlPassword, redacted()));
            }
        }
    }
}
