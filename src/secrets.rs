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
//! | `aws-presigned-signature`, `gcp-signed-url-signature`, `azure-sas-signature` | the query value | `[redacted, expires 2026-11-22T22:57:36Z]` |
//! | `aws-session-token` next to an STS `Expiration` | the token | `[redacted, expires 2016-03-15T00:05:07Z]` |
//! | `github-token`, `gitlab-token`, `slack-token`, `stripe-secret-key`, `npm-token`, `google-oauth-*`, `azure-client-secret`, ... (rows of `rules::RULES` with a documented prefix) | the token | `ghp_[redacted ...7qR9]`: the prefix and the last four characters |
//! | `aws-access-key-id` alone | | masked, but `alarm: false`: an identifier, not a credential |
//! | anything else | the value after its key | `[redacted]` |
//!
//! Detection runs twice: on the text as pasted, and on the text with `\/`,
//! `\u0026`, `&amp;` and `%XX` undone (module `decode`); spans found in the
//! decoded text are mapped back, so the mask covers the escaped original.
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

mod decode;
pub mod rules;

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
    GcpSignedUrlSignature,
    Jwt,
    AzureSasSignature,
    AzureAccountKey,
    AwsSecretAccessKey,
    AwsSessionToken,
    BearerToken,
    BasicAuth,
    UrlPassword,
    AwsAccessKeyId,
    /// The signature of an `Authorization: AWS <key id>:<signature>` header
    /// (Signature Version 2).
    AwsAuthorizationSignature,
    /// The signature of an `Authorization: SharedKey <account>:<signature>`
    /// header (Azure Storage, "Authorize with Shared Key").
    AzureSharedKeySignature,
    /// A row of `rules::RULES`, by index.
    Rule(u8),
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::GcpServiceAccountKey => "gcp-service-account-key",
            Kind::PemPrivateKey => "pem-private-key",
            Kind::AwsPresignedSignature => "aws-presigned-signature",
            Kind::AwsPresignedSecurityToken => "aws-presigned-security-token",
            Kind::GcpSignedUrlSignature => "gcp-signed-url-signature",
            Kind::Jwt => "jwt",
            Kind::AzureSasSignature => "azure-sas-signature",
            Kind::AzureAccountKey => "azure-account-key",
            Kind::AwsSecretAccessKey => "aws-secret-access-key",
            Kind::AwsSessionToken => "aws-session-token",
            Kind::BearerToken => "bearer-token",
            Kind::BasicAuth => "basic-auth",
            Kind::UrlPassword => "url-password",
            Kind::AwsAccessKeyId => "aws-access-key-id",
            Kind::AwsAuthorizationSignature => "aws-authorization-signature",
            Kind::AzureSharedKeySignature => "azure-shared-key-signature",
            Kind::Rule(i) => rules::RULES.get(usize::from(i)).map_or("secret", |r| r.id),
        }
    }

    /// The tie-break when two detectors claim the same span: lower wins.
    /// Provider-specific detectors and rule rows come before the generic
    /// `Authorization` schemes, so `Bearer ya29....` reads as a Google token.
    fn rank(self) -> usize {
        match self {
            Kind::GcpServiceAccountKey => 0,
            Kind::PemPrivateKey => 1,
            Kind::AwsPresignedSignature => 2,
            Kind::AwsPresignedSecurityToken => 3,
            Kind::GcpSignedUrlSignature => 4,
            Kind::Jwt => 5,
            Kind::AzureSasSignature => 6,
            Kind::AzureAccountKey => 7,
            Kind::AwsSecretAccessKey => 8,
            Kind::AwsSessionToken => 9,
            Kind::AwsAuthorizationSignature => 10,
            Kind::AzureSharedKeySignature => 11,
            Kind::Rule(i) => 20 + usize::from(i),
            Kind::BearerToken => 300,
            Kind::BasicAuth => 301,
            Kind::UrlPassword => 302,
            Kind::AwsAccessKeyId => 303,
        }
    }

    /// Whether finding this should alarm. An access key id alone names a key
    /// (it appears in CloudTrail records and in the IAM console) and cannot
    /// sign anything without its secret: it is masked but does not alarm.
    fn alarm(self) -> bool {
        match self {
            Kind::AwsAccessKeyId => false,
            Kind::Rule(i) => rules::RULES.get(usize::from(i)).map_or(true, |r| r.alarm),
            _ => true,
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
        Candidate {
            start,
            end,
            kind,
            masked,
            expires: None,
        }
    }
}

/// Finds every credential-looking value in `text`.
///
/// The result is sorted by start and free of overlaps: where two detectors claim
/// overlapping text, the longer claim wins, and on equal spans the more specific
/// kind. `now_millis` (milliseconds since the Unix epoch) is only used to fill
/// [`Secret::expired`]; without it `expired` is `None`.
///
/// Kinds: those listed on [`Secret::kind`], plus `basic-auth` (an HTTP Basic
/// `Authorization` header) and `gcp-signed-url-signature` (a Cloud Storage V4
/// signed URL).
///
/// ```
/// use denial_explainer::secrets::{redact, scan};
///
/// let text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE";
/// let found = scan(text, None);
/// assert_eq!(found[0].kind, "aws-access-key-id");
/// assert_eq!(redact(text, &found), "aws_access_key_id = AKIA[redacted]");
/// ```
#[must_use]
pub fn scan(text: &str, now_millis: Option<i64>) -> Vec<Secret> {
    let mut found = detect(text);
    // The same detectors on the text with its escapes undone (`\/`, `\u0026`,
    // `&amp;`, `%26`), each span mapped back to the escaped original.
    if let Some(decoded) = decode::decode(text) {
        for mut c in detect(&decoded.text) {
            if let Some((start, end)) = decoded.original(c.start, c.end) {
                c.start = crate::scan::floor_boundary(text, start);
                c.end = crate::scan::ceil_boundary(text, end);
                found.push(c);
            }
        }
    }
    // Many secrets of one signed URL share an expiry: format each once.
    let mut last: Option<(i64, String)> = None;
    let mut format = |at: i64| match &last {
        Some((t, f)) if *t == at => f.clone(),
        _ => {
            let f = format_datetime(at);
            last = Some((at, f.clone()));
            f
        }
    };
    settle(found)
        .into_iter()
        .map(|c| Secret {
            kind: c.kind.as_str().to_owned(),
            span: Span::new(c.start, c.end),
            masked: c.masked,
            expires_at: c.expires.map(&mut format),
            expired: match (c.expires, now_millis) {
                (Some(at), Some(now)) => Some(now >= at),
                _ => None,
            },
            alarm: c.kind.alarm(),
        })
        .collect()
}

/// Every detector over `text`, before overlaps are settled.
fn detect(text: &str) -> Vec<Candidate> {
    // ASCII lowercasing keeps every byte offset, so spans found in `lower` are
    // spans in `text`.
    let lower = text.to_ascii_lowercase();
    let s = Source {
        text,
        bytes: text.as_bytes(),
        lower: &lower,
        anchors: index_anchors(text.as_bytes(), lower.as_bytes()),
    };
    let mut found = Vec::new();
    access_key_ids(&s, &mut found);
    aws_keyed_values(&s, &mut found);
    secret_keys_after_key_ids(&s, &mut found);
    bare_session_tokens(&s, &mut found);
    query_strings(&s, &mut found);
    jwts(&s, &mut found);
    authorization_headers(&s, &mut found);
    azure_account_keys(&s, &mut found);
    azure_storage_keys(&s, &mut found);
    gcp_private_key_ids(&s, &mut found);
    pem_private_keys(&s, &mut found);
    url_passwords(&s, &mut found);
    rules::scan(&s, &mut found);
    session_token_expiry(&s, &mut found);
    found
}

/// Returns `text` with each secret's span replaced by its mask.
///
/// Secrets may come in any order; a span that is out of range, not on char
/// boundaries, or overlapping an earlier one is left as it is rather than
/// guessed at.
#[must_use]
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut order: Vec<&Secret> = secrets.iter().collect();
    crate::scan::sort_by_key(&mut order, |s| (s.span.start, s.span.end, 0));
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
    crate::scan::sort_by_key(&mut found, |c| (c.start, usize::MAX - c.end, c.kind.rank()));
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        match kept.last_mut() {
            Some(last) if c.start < last.end => {
                let (lc, cc) = (last.end - last.start, c.end - c.start);
                if cc > lc || (cc == lc && c.kind.rank() < last.kind.rank()) {
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
    /// The positions of each of [`ANCHORS`], found in one pass.
    anchors: Vec<Vec<usize>>,
}

/// Every literal the detectors below search the whole text for, and whether
/// it is matched ignoring ASCII case (then it is written in lowercase).
/// [`index_anchors`] finds them all in one pass; a literal missing here is
/// still found, by a search of its own.
const ANCHORS: &[(&str, bool)] = &[
    ("AKIA", false),
    ("ASIA", false),
    ("ABIA", false),
    ("ACCA", false),
    ("IQoJb3JpZ2luX2Vj", false),
    ("FwoGZXIvYXdzE", false),
    ("FQoGZXIvYXdzE", false),
    ("AQoDYXdzE", false),
    ("eyJ", false),
    ("==", false),
    ("-----BEGIN ", false),
    ("://", false),
    ("secret_access_key", true),
    ("secretaccesskey", true),
    ("secret-access-key", true),
    ("aws_secret_key", true),
    ("session_token", true),
    ("sessiontoken", true),
    ("security_token", true),
    ("x-amz-security-token", true),
    ("expiration", true),
    ("signature=", true),
    ("x-amz-security-token=", true),
    ("sig=", true),
    ("authorization", true),
    ("accountkey=", true),
    ("sharedaccesskey=", true),
    ("private_key_id", true),
];

/// Which two-byte starts any of a set of literals has: a filter that lets a
/// scan for many literals skip most positions with one table lookup.
pub(super) struct Pairs {
    text: Vec<bool>,
    lower: Vec<bool>,
}

impl Pairs {
    /// The filter for `literals`: each with whether it is matched in the
    /// lowercased text. Literals are at least two bytes long.
    pub(super) fn new(literals: impl Iterator<Item = (&'static str, bool)>) -> Self {
        let mut p = Pairs {
            text: vec![false; 1 << 16],
            lower: vec![false; 1 << 16],
        };
        for (literal, folded) in literals {
            let b = literal.as_bytes();
            if let (Some(&x), Some(&y)) = (b.first(), b.get(1)) {
                let table = if folded { &mut p.lower } else { &mut p.text };
                if let Some(slot) = table.get_mut(usize::from(x) << 8 | usize::from(y)) {
                    *slot = true;
                }
            }
        }
        p
    }

    /// Whether a literal may start at `at`.
    pub(super) fn may_start(&self, text: &[u8], lower: &[u8], at: usize) -> bool {
        let pair = |h: &[u8]| match (h.get(at), h.get(at + 1)) {
            (Some(&x), Some(&y)) => usize::from(x) << 8 | usize::from(y),
            _ => 0,
        };
        self.text.get(pair(text)).copied().unwrap_or(false)
            || self.lower.get(pair(lower)).copied().unwrap_or(false)
    }
}

/// The positions of every [`ANCHORS`] literal, non-overlapping per literal as
/// `str::match_indices` gives them. One pass: a table from first byte to the
/// literals starting with it, and at each position a byte-by-byte comparison
/// of those few (at most 21 bytes each), so the cost is linear in the text.
/// Searching the text once per literal cost a pass each, most of the scan's
/// time on a long query string.
fn index_anchors(text: &[u8], lower: &[u8]) -> Vec<Vec<usize>> {
    let mut first: Vec<Vec<usize>> = vec![Vec::new(); 256];
    for (n, (literal, _)) in ANCHORS.iter().enumerate() {
        if let Some(slot) = literal
            .bytes()
            .next()
            .and_then(|b| first.get_mut(usize::from(b)))
        {
            slot.push(n);
        }
    }
    let pairs = Pairs::new(ANCHORS.iter().copied());
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); ANCHORS.len()];
    let mut free_from = vec![0usize; ANCHORS.len()];
    for (at, (&b, &l)) in text.iter().zip(lower).enumerate() {
        if !pairs.may_start(text, lower, at) {
            continue;
        }
        for byte in [b, l] {
            for &n in first.get(usize::from(byte)).into_iter().flatten() {
                let Some(&(literal, folded)) = ANCHORS.get(n) else {
                    continue;
                };
                let hay = if folded { lower } else { text };
                let lit = literal.as_bytes();
                let here = hay.get(at..).unwrap_or_default();
                let from = free_from.get(n).copied().unwrap_or(0);
                if at < from || here.len() < lit.len() || !lit.iter().zip(here).all(|(x, y)| x == y)
                {
                    continue;
                }
                if let (Some(list), Some(f)) = (found.get_mut(n), free_from.get_mut(n)) {
                    list.push(at);
                    *f = at + lit.len();
                }
            }
            if b == l {
                break;
            }
        }
    }
    found
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
    fn find_ci(&self, needle: &str) -> std::vec::IntoIter<usize> {
        self.indexed(needle, true)
            .unwrap_or_else(|| occurrences(self.lower, needle).collect())
            .into_iter()
    }

    /// Positions of `needle` in the text, case-sensitively.
    fn find(&self, needle: &str) -> std::vec::IntoIter<usize> {
        self.indexed(needle, false)
            .unwrap_or_else(|| occurrences(self.text, needle).collect())
            .into_iter()
    }

    /// The positions [`index_anchors`] found for `needle`, if it is one of [`ANCHORS`].
    fn indexed(&self, needle: &str, folded: bool) -> Option<Vec<usize>> {
        let n = ANCHORS.iter().position(|&a| a == (needle, folded))?;
        self.anchors.get(n).cloned()
    }

    /// The end of the run of `class` bytes starting at `start`, or `None` when
    /// the run is longer than `max` (then it is not a token of the kind sought).
    fn run(&self, start: usize, max: usize, class: impl Fn(u8) -> bool) -> Option<usize> {
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

/// Non-overlapping positions of `needle` in `hay`, found with
/// [`crate::scan::find`], which jumps between occurrences of the needle's
/// rarest byte: with some forty anchors searched over the whole paste, a
/// byte-by-byte search for each was most of the scan's time.
fn occurrences<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        let at = crate::scan::find(hay, needle, from)?;
        from = at + needle.len();
        Some(at)
    })
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
            b'"' | b'\''
                | b'<'
                | b'>'
                | b'?'
                | b'\\'
                | b'`'
                | b'#'
                | b'{'
                | b'}'
                | b'|'
                | b'^'
                | b'['
                | b']'
                | b'('
                | b')'
                | b','
                | b';'
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
        for at in s.find(prefix) {
            if s.before(at).is_some_and(is_alnum) {
                continue;
            }
            let end = at + 20;
            let Some(id) = s.bytes.get(at..end) else {
                continue;
            };
            let shaped = id
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if shaped && !s.byte(end).is_some_and(is_alnum) {
                out.push(Candidate::new(
                    at,
                    end,
                    Kind::AwsAccessKeyId,
                    format!("{prefix}[redacted]"),
                ));
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
            let Some(start) = s.after_separator(at + key.len()) else {
                continue;
            };
            let Some(end) = s.base64_value(start) else {
                continue;
            };
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
        && v.bytes()
            .any(|b| b.is_ascii_digit() || b == b'+' || b == b'/')
}

/// How far from a session token an `Expiration` may be and still be taken as its
/// expiry: STS answers put the two a few lines apart in one `Credentials` object.
const EXPIRATION_REACH: usize = 1024;

/// Temporary credentials from AWS STS (`aws sts assume-role` output, a
/// `credential_process` answer, an `AWS_CREDENTIAL_EXPIRATION` variable) carry an
/// `Expiration` next to the session token; when one is close by, it is read as
/// the token's expiry.
fn session_token_expiry(s: &Source, found: &mut [Candidate]) {
    let expirations: Vec<(usize, i64)> = s
        .find_ci("expiration")
        .filter_map(|at| {
            let start = s.after_separator(at + "expiration".len())?;
            let end = s.run(start, 40, |b| {
                b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'+' | b'.')
            })?;
            Some((at, crate::time::parse_datetime(s.slice(start, end))?))
        })
        .collect();
    if expirations.is_empty() {
        return;
    }
    for c in found
        .iter_mut()
        .filter(|c| c.kind == Kind::AwsSessionToken && c.expires.is_none())
    {
        let from = c.start.saturating_sub(EXPIRATION_REACH);
        let to = c.end.saturating_add(EXPIRATION_REACH);
        let first = expirations.partition_point(|&(at, _)| at < from);
        let nearest = expirations
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(at, _)| at <= to)
            .min_by_key(|&&(at, _)| {
                if at < c.start {
                    c.start - at
                } else {
                    at.saturating_sub(c.end)
                }
            });
        if let Some(&(_, at)) = nearest {
            c.expires = Some(at);
            c.masked = redacted_until("", Some(at));
        }
    }
}

/// Session tokens pasted without their key, recognised by the start every STS
/// token of a generation shares (the base64 of its fixed leading bytes).
fn bare_session_tokens(s: &Source, out: &mut Vec<Candidate>) {
    for prefix in [
        "IQoJb3JpZ2luX2Vj",
        "FwoGZXIvYXdzE",
        "FQoGZXIvYXdzE",
        "AQoDYXdzE",
    ] {
        for at in s.find(prefix) {
            if s.before(at).is_some_and(is_b64) {
                continue;
            }
            let Some(end) = s.base64_value(at) else {
                continue;
            };
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
    let mut anchors: Vec<usize> = ["signature=", "x-amz-security-token=", "sig="]
        .iter()
        .flat_map(|needle| s.find_ci(needle).collect::<Vec<_>>())
        .collect();
    crate::scan::sort_by_key(&mut anchors, |&a| (a, 0, 0));
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
                        Some(eq2) => (
                            s.lower
                                .get(i + eq + 1..i + eq + 1 + eq2)
                                .unwrap_or_default(),
                            i + eq + 2 + eq2,
                        ),
                        None => (name, i + eq + 1),
                    }
                }
                _ => (name, i + eq + 1),
            };
            params.push(Param {
                name: name.to_owned(),
                value: (vstart, seg_end),
            });
        }
        i = seg_end + 1;
    }
    params
}

fn param<'p>(params: &'p [Param], name: &str) -> Option<&'p Param> {
    params.iter().find(|p| p.name == name)
}

/// Signed URLs: the signature and the security token are secret, and the
/// expiry is read from the other parameters.
///
/// - AWS SigV4 presigned URL: `X-Amz-Signature`; expiry `X-Amz-Date` (basic ISO
///   8601) plus `X-Amz-Expires` seconds, as the Amazon S3 API Reference
///   ("Authenticating Requests: Using Query Parameters (AWS Signature Version 4)")
///   defines them; `X-Amz-Security-Token` carries a session token.
/// - Google Cloud Storage V4 signed URL: the same shape with `X-Goog-` names.
/// - S3 SigV2 query authentication (`AWSAccessKeyId`, `Expires`, `Signature`) and
///   CloudFront signed URLs (`Expires`, `Signature`, `Key-Pair-Id`): `Expires` is
///   seconds since the epoch.
fn presigned_url(s: &Source, params: &[Param], out: &mut Vec<Candidate>) {
    let value = |name: &str| param(params, name).map(|p| s.slice(p.value.0, p.value.1));
    let seconds = |name: &str| {
        value(name)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|n| (0..=MAX_EPOCH_SECONDS).contains(n))
    };
    let v4_expiry = |prefix: &str| {
        let date = value(&format!("{prefix}date")).and_then(crate::time::parse_datetime)?;
        date.checked_add(seconds(&format!("{prefix}expires"))? * 1000)
    };
    let v2 = param(params, "awsaccesskeyid").is_some() || param(params, "key-pair-id").is_some();
    // Each expiry and its mask once per query string: looked up per signature
    // parameter, a query of many signatures and no date made the lookups
    // quadratic (each one a walk over every parameter).
    let with_mask = |e: Option<i64>| (e, redacted_until("", e));
    let amz = with_mask(v4_expiry("x-amz-"));
    let goog = with_mask(v4_expiry("x-goog-"));
    let sigv2 = with_mask(seconds("expires").map(|n| n * 1000));
    let none = with_mask(None);
    for p in params {
        let (kind, (expires, masked)) = match p.name.as_str() {
            "x-amz-signature" => (Kind::AwsPresignedSignature, &amz),
            "x-goog-signature" => (Kind::GcpSignedUrlSignature, &goog),
            "signature" if v2 => (Kind::AwsPresignedSignature, &sigv2),
            "x-amz-security-token" => (Kind::AwsPresignedSecurityToken, &none),
            _ => continue,
        };
        let (start, end) = p.value;
        if end.saturating_sub(start) < 16 {
            continue;
        }
        let mut c = Candidate::new(start, end, kind, masked.clone());
        c.expires = *expires;
        out.push(c);
    }
}

/// Azure Storage shared access signature: `sig` is the secret, recognised only
/// next to the other SAS parameters; `se` (signed expiry, ISO 8601, usually
/// percent-encoded) is read as the expiry.
fn sas_token(s: &Source, params: &[Param], out: &mut Vec<Candidate>) {
    let Some(sig) = param(params, "sig") else {
        return;
    };
    let is_sas = ["sv", "se", "sp", "sr", "ss", "srt", "spr", "st", "skoid"]
        .iter()
        .any(|n| param(params, n).is_some());
    let (start, end) = sig.value;
    if !is_sas || end.saturating_sub(start) < 16 {
        return;
    }
    let expires = param(params, "se")
        .and_then(|p| percent_decode(s.slice(p.value.0, p.value.1)))
        .and_then(|v| crate::time::parse_datetime(&v));
    let mut c = Candidate::new(
        start,
        end,
        Kind::AzureSasSignature,
        redacted_until("", expires),
    );
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
    for at in s.find("eyJ") {
        // A header that starts mid-run is not a header; this also keeps the
        // segment runs examined below from overlapping between candidates.
        if s.before(at).is_some_and(|b| is_b64url(b) || b == b'.') {
            continue;
        }
        let Some(seg1) = s.run(at, MAX_TOKEN, is_b64url) else {
            continue;
        };
        if seg1 - at < 10 || seg1 - at > MAX_JWT_HEADER || s.byte(seg1) != Some(b'.') {
            continue;
        }
        let Some(seg2) = s.run(seg1 + 1, MAX_TOKEN, is_b64url) else {
            continue;
        };
        if seg2 - seg1 < 3 || s.byte(seg2) != Some(b'.') {
            continue;
        }
        let Some(mut end) = s.run(seg2 + 1, MAX_TOKEN, is_b64url) else {
            continue;
        };
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
        let Some(header) = decode_json(s.slice(at, seg1)) else {
            continue;
        };
        if !header.get("alg").is_some_and(serde_json::Value::is_string) {
            continue;
        }
        let payload = if segments == 3 {
            decode_json(s.slice(seg1 + 1, seg2))
        } else {
            None
        };
        let expires = payload.as_ref().and_then(jwt_exp);
        // The issuer says which identity provider minted the token, which is
        // where to look when it is refused; it is not secret.
        let note = match payload.as_ref().and_then(jwt_issuer) {
            Some(iss) => format!("JWT, issuer {iss}"),
            None => "JWT".to_owned(),
        };
        let mut c = Candidate::new(at, end, Kind::Jwt, redacted_until(&note, expires));
        c.expires = expires;
        out.push(c);
    }
}

fn decode_json(segment: &str) -> Option<serde_json::Value> {
    let bytes = crate::base64::decode(segment)?;
    // Text first, then `from_str` (the reader the wasm binding uses too, so
    // the wasm holds one copy of `Value`'s parser, not two): bytes that are not
    // UTF-8 are not JSON either, so `from_slice` would fail on them as well.
    let text = std::str::from_utf8(&bytes).ok()?;
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.is_object().then_some(value)
}

/// The `iss` claim when it is short printable text without brackets.
fn jwt_issuer(payload: &serde_json::Value) -> Option<&str> {
    payload.get("iss")?.as_str().filter(|i| {
        i.len() <= 120
            && i.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'[' && b != b']')
    })
}

/// The `exp` claim as milliseconds; RFC 7519 allows a fractional NumericDate.
fn jwt_exp(payload: &serde_json::Value) -> Option<i64> {
    let exp = payload.get("exp")?;
    let seconds = match exp.as_i64() {
        Some(n) => n,
        // Saturating float-to-int conversion; the range check below rejects the extremes.
        None => exp.as_f64()?.floor() as i64,
    };
    (0..=MAX_EPOCH_SECONDS)
        .contains(&seconds)
        .then(|| seconds * 1000)
}

/// `Authorization: Bearer <token>` and `Authorization: Basic <credentials>`, as
/// header lines, curl `-H` arguments or JSON. The word `authorization` must come
/// first so that a `WWW-Authenticate: Bearer realm=...` challenge is not taken
/// for a credential. A JWT bearer token is reported as `jwt` instead (it wins
/// the tie on the same span).
fn authorization_headers(s: &Source, out: &mut Vec<Candidate>) {
    for at in s.find_ci("authorization") {
        let Some(scheme) = s.after_separator(at + "authorization".len()) else {
            continue;
        };
        let rest = s.lower.get(scheme..).unwrap_or_default();
        let (kind, skip) = if rest.starts_with("bearer ") {
            (Kind::BearerToken, 7)
        } else if rest.starts_with("basic ") {
            (Kind::BasicAuth, 6)
        } else if let Some(sig) = keyed_signature(s, scheme, rest) {
            out.push(sig);
            continue;
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
        let Some(mut end) = s.run(start, MAX_TOKEN, is_token68) else {
            continue;
        };
        while s.byte(end) == Some(b'=') && end < start + MAX_TOKEN {
            end += 1;
        }
        // A run of lowercase letters is a word or a placeholder (`Bearer
        // organization's policy`, `Bearer yourtoken`), not an issued token:
        // those carry digits, capitals or punctuation.
        // Nor is a path (`Bearer .docker/config.json`): no issued token
        // starts with a dot. Nor a short run of letters alone, a word in
        // CamelCase (`Bearer AccessDenied`, `Bearer YourToken`): an issued
        // token that short has digits or punctuation.
        let word = s.bytes.get(start..end).is_some_and(|t| {
            t.iter().all(u8::is_ascii_lowercase)
                || t.first() == Some(&b'.')
                || (t.len() < 20 && t.iter().all(u8::is_ascii_alphabetic))
        });
        if end - start >= 8 && !word {
            out.push(Candidate::new(start, end, kind, redacted()));
        }
    }
}

/// The signature in `AWS <key id>:<signature>` (the S3 Signature Version 2
/// `Authorization` header) and `SharedKey <account>:<signature>` /
/// `SharedKeyLite ...` (Azure Storage, "Authorize with Shared Key"): base64
/// after the first `:`. The key id or account name before it is not secret.
fn keyed_signature(s: &Source, scheme: usize, rest: &str) -> Option<Candidate> {
    let (kind, skip) = if rest.starts_with("aws ") {
        (Kind::AwsAuthorizationSignature, 4)
    } else if rest.starts_with("sharedkey ") {
        (Kind::AzureSharedKeySignature, 10)
    } else if rest.starts_with("sharedkeylite ") {
        (Kind::AzureSharedKeySignature, 14)
    } else {
        return None;
    };
    let name_end = s.run(scheme + skip, 128, |b| is_alnum(b) || b == b'-')?;
    if name_end == scheme + skip || s.byte(name_end) != Some(b':') {
        return None;
    }
    let start = name_end + 1;
    let end = s.base64_value(start)?;
    (end - start >= 20).then(|| Candidate::new(start, end, kind, redacted()))
}

/// An AWS secret access key pasted after its access key id without a key
/// name: the IAM console's `.csv` download (`AKIA...,wJal...`), a `.env` file
/// with unusual names, a chat message. A 40-character base64 run with the
/// mix of cases and digits a random key has, within [`KEY_PAIR_REACH`] bytes
/// after an access key id, is taken for its secret. Each byte is examined for
/// at most one key id (`scanned` only moves forward), so the cost is linear.
fn secret_keys_after_key_ids(s: &Source, out: &mut Vec<Candidate>) {
    let ids: Vec<usize> = out
        .iter()
        .filter(|c| c.kind == Kind::AwsAccessKeyId)
        .map(|c| c.end)
        .collect();
    let mut scanned = 0;
    for from in ids {
        let mut i = from.max(scanned);
        let to = (from + KEY_PAIR_REACH).min(s.bytes.len());
        while i < to {
            if s.byte(i).is_some_and(is_b64) && !s.before(i).is_some_and(is_b64) {
                let Some(end) = s.run(i, 64, is_b64) else {
                    // A run longer than a key: skip it whole.
                    i = s
                        .run(i, MAX_TOKEN, is_b64)
                        .unwrap_or(s.bytes.len())
                        .max(i + 1);
                    continue;
                };
                if looks_like_secret_key(s.slice(i, end)) && s.byte(end) != Some(b'=') {
                    out.push(Candidate::new(i, end, Kind::AwsSecretAccessKey, redacted()));
                }
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
        scanned = scanned.max(to);
    }
}

/// How far after an access key id its secret key is looked for.
const KEY_PAIR_REACH: usize = 256;

/// Azure Storage account keys outside a connection string (`az storage
/// account keys list` output, `--account-key`, `AZURE_STORAGE_KEY=`): 64
/// random bytes are 86 base64 characters and `==`. Taken only with the word
/// `key` shortly before it, and never after `sha512-` (a subresource integrity
/// digest has the same length). Each `==` costs one bounded look back.
fn azure_storage_keys(s: &Source, out: &mut Vec<Candidate>) {
    for eq in s.find("==") {
        if s.byte(eq + 2).is_some_and(|b| is_b64(b) || b == b'=') || eq < 86 {
            continue;
        }
        let start = eq - 86;
        let body = s.bytes.get(start..eq).unwrap_or_default();
        if !body.iter().all(|&b| is_b64(b)) || s.before(start).is_some_and(is_b64) {
            continue;
        }
        let near = s
            .lower
            .get(start.saturating_sub(160)..start)
            .unwrap_or_default();
        if near.contains("key") && !near.ends_with("sha512-") && !near.contains("sha512-") {
            out.push(Candidate::new(
                start,
                eq + 2,
                Kind::AzureAccountKey,
                redacted(),
            ));
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
            let Some(end) = s.base64_value(start) else {
                continue;
            };
            if end - start >= 20 {
                out.push(Candidate::new(
                    start,
                    end,
                    Kind::AzureAccountKey,
                    redacted(),
                ));
            }
        }
    }
}

/// `"private_key_id": "<40 hex>"` in a Google Cloud service account key file.
fn gcp_private_key_ids(s: &Source, out: &mut Vec<Candidate>) {
    for at in s.find_ci("private_key_id") {
        let Some(start) = s.after_separator(at + "private_key_id".len()) else {
            continue;
        };
        let Some(end) = s.run(start, 64, |b| b.is_ascii_hexdigit()) else {
            continue;
        };
        if end - start == 40 && !s.byte(end).is_some_and(is_alnum) {
            out.push(Candidate::new(
                start,
                end,
                Kind::GcpServiceAccountKey,
                redacted(),
            ));
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
    for at in s.find("-----BEGIN ") {
        let label_start = at + "-----BEGIN ".len();
        let Some(label_len) = s
            .slice(label_start, (label_start + 64).min(s.bytes.len()))
            .find("-----")
        else {
            continue;
        };
        let label = s.slice(label_start, label_start + label_len);
        if !label.contains("PRIVATE KEY")
            || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ')
        {
            continue;
        }
        let header_end = label_start + label_len + 5;
        let end_at = match next_end {
            Some(Some(e)) if e >= header_end => Some(e),
            Some(None) if searched_from <= header_end => None,
            _ => {
                searched_from = header_end;
                let found = s
                    .text
                    .get(header_end..)
                    .and_then(|t| t.find("-----END "))
                    .map(|n| header_end + n);
                next_end = Some(found);
                found
            }
        };
        let closing = format!("-----END {label}-----");
        let kind = if is_json_private_key(s, at) {
            Kind::GcpServiceAccountKey
        } else {
            Kind::PemPrivateKey
        };
        let end = match end_at {
            Some(e)
                if e - header_end <= MAX_PEM
                    && s.text.get(e..).is_some_and(|t| t.starts_with(&closing)) =>
            {
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
                .run(header_end, MAX_PEM, |b| {
                    is_b64(b) || b == b'=' || b == b'\\' || b.is_ascii_whitespace()
                })
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
    for at in s.find("://") {
        let mut scheme = at;
        while scheme + 32 > at
            && s.before(scheme)
                .is_some_and(|b| is_alnum(b) || matches!(b, b'+' | b'.' | b'-'))
        {
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
                Some(
                    b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'(' | b')'
                    | b'[' | b']' | b'{' | b'}' | b'|',
                ) => break,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Test-only base64url encoder (no padding), to build JWTs from our own JSON.
    fn b64url(data: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            }
        }
        out
    }

    fn jwt(header: &str, payload: &str) -> String {
        // The signature is not checked by anyone; any base64url text will do.
        format!(
            "{}.{}.{}",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes()),
            b64url(b"not-a-real-signature-bytes")
        )
    }

    /// The spans are sorted, disjoint, in range and on char boundaries.
    fn check_invariants(text: &str, found: &[Secret]) {
        let mut at = 0;
        for s in found {
            assert!(s.span.start >= at && s.span.start < s.span.end, "{found:?}");
            assert!(text.get(s.span.start..s.span.end).is_some(), "{:?}", s.span);
            assert!(s.masked.contains("[redacted"));
            at = s.span.end;
        }
    }

    fn kinds(text: &str) -> Vec<(String, String)> {
        let found = scan(text, None);
        check_invariants(text, &found);
        found
            .iter()
            .map(|s| (s.kind.clone(), text[s.span.start..s.span.end].to_owned()))
            .collect()
    }

    fn one(kind: &str, value: &str) -> Vec<(String, String)> {
        vec![(kind.to_owned(), value.to_owned())]
    }

    fn redacted_text(text: &str) -> String {
        redact(text, &scan(text, None))
    }

    // AWS's documented example keys (IAM User Guide, "Managing access keys";
    // AWS CLI User Guide, configuration files).
    const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    // Shaped like the session token in the AWS STS API Reference examples.
    const SESSION: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    #[test]
    fn access_key_ids_keep_their_prefix() {
        let text = format!("User with key {AKID} and temporary ASIAIOSFODNN7EXAMPLE.");
        let found = scan(&text, None);
        assert_eq!(
            kinds(&text),
            vec![
                ("aws-access-key-id".to_owned(), AKID.to_owned()),
                (
                    "aws-access-key-id".to_owned(),
                    "ASIAIOSFODNN7EXAMPLE".to_owned()
                ),
            ]
        );
        assert_eq!(found[0].masked, "AKIA[redacted]");
        assert_eq!(found[0].expires_at, None);
        assert_eq!(
            redact(&text, &found),
            "User with key AKIA[redacted] and temporary ASIA[redacted]."
        );
    }

    // Found by fuzzing: a key left without a value, then the next JSON key
    // (`secret= "userIdentity": {`). A quoted string followed by `:` is a key,
    // not a value; the same key with a real value is still masked.
    #[test]
    fn a_json_key_after_a_keyword_is_not_its_value() {
        assert_eq!(
            kinds(r#"secret= "userIdentity": {"type": "AssumedRole"}"#),
            vec![]
        );
        assert_eq!(
            kinds(r#"{"webhook_secret": "q8Zr3LpX2mW9tYv4", "next": 1}"#),
            one("secret", "q8Zr3LpX2mW9tYv4")
        );
    }

    #[test]
    fn principal_ids_and_near_misses_are_not_access_keys() {
        // Unique ids of users and roles (IAM User Guide, unique ID prefixes) are
        // evidence in a denial, not credentials.
        let text = "userId AIDACKCEVSQ6C2EXAMPLE, AROADBQP57FF2AEXAMPLE:my-session, group AGPACKCEVSQ6C2EXAMPLE \
                    XAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLE1 AKIAiosfodnn7example AKIAIOSF";
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn secret_keys_in_credential_contexts() {
        let cases = [
            format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
            format!("export AWS_SECRET_ACCESS_KEY={SECRET}"),
            format!("$ aws configure set aws_secret_access_key {SECRET}"),
            format!("{{\"Credentials\": {{\"AccessKeyId\": \"{AKID}\", \"SecretAccessKey\": \"{SECRET}\"}}}}"),
            format!("const credentials = {{ secretAccessKey: '{SECRET}' }};"),
        ];
        for text in &cases {
            let found = kinds(text);
            assert!(
                found.contains(&("aws-secret-access-key".to_owned(), SECRET.to_owned())),
                "{text}: {found:?}"
            );
        }
        assert_eq!(
            redacted_text(&cases[0]),
            "[default]\naws_access_key_id = AKIA[redacted]\naws_secret_access_key = [redacted]\n"
        );
    }

    #[test]
    fn hashes_uuids_and_request_ids_are_not_secret_keys() {
        let text = "aws_secret_access_key = da39a3ee5e6b4b0d3255bfef95601890afd80709\n\
                    SecretAccessKey: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
                    secret_access_key: ****************MPLE\n\
                    x-amz-request-id: 4442587FB7D0A2F9\n\
                    x-amz-id-2: vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=\n\
                    RequestId: 8a4b1d2c-3e4f-5a6b-7c8d-9e0f1a2b3c4d\n\
                    wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
                    arn:aws:iam::123456789012:role/S3Access arn:aws:s3:::amzn-s3-demo-bucket/key";
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn session_tokens_with_and_without_their_key() {
        for text in [
            format!("aws_session_token = {SESSION}\n"),
            format!("\"SessionToken\": \"{SESSION}\","),
            format!("X-Amz-Security-Token: {SESSION}\r\n"),
            format!("token was {SESSION} then"),
        ] {
            assert_eq!(kinds(&text), one("aws-session-token", SESSION), "{text}");
        }
        let modern = format!("IQoJb3JpZ2luX2VjEJr{}", "A".repeat(300));
        assert_eq!(
            kinds(&format!(" {modern} ")),
            one("aws-session-token", &modern)
        );
        // Too short to be a token, or a placeholder.
        assert_eq!(
            kinds("\"SessionToken\": null, aws_session_token = abc, IQoJb3JpZ2luX2VjShort"),
            vec![]
        );
    }

    #[test]
    fn sts_credentials_expiration_is_the_session_token_expiry() {
        // The shape of `aws sts assume-role` output (AWS CLI Command Reference).
        let text = format!(
            "{{\n  \"Credentials\": {{\n    \"AccessKeyId\": \"ASIAIOSFODNN7EXAMPLE\",\n    \"SecretAccessKey\": \"{SECRET}\",\n    \
             \"SessionToken\": \"{SESSION}\",\n    \"Expiration\": \"2016-03-15T00:05:07Z\"\n  }}\n}}"
        );
        let found = scan(&text, crate::time::parse_datetime("2016-03-15T00:05:07Z"));
        let token = found
            .iter()
            .find(|s| s.kind == "aws-session-token")
            .unwrap();
        assert_eq!(token.expires_at.as_deref(), Some("2016-03-15T00:05:07Z"));
        assert_eq!(token.expired, Some(true));
        assert_eq!(token.masked, "[redacted, expires 2016-03-15T00:05:07Z]");
        assert!(redact(&text, &found)
            .contains("\"SessionToken\": \"[redacted, expires 2016-03-15T00:05:07Z]\","));
        // An `x-amz-expiration` lifecycle header is not a date: no expiry.
        let header = format!("x-amz-security-token: {SESSION}\nx-amz-expiration: expiry-date=\"Fri, 23 Dec 2012 00:00:00 GMT\"");
        assert_eq!(scan(&header, None)[0].expires_at, None);
    }

    /// A presigned URL in the form of the Amazon S3 API Reference ("Authenticating
    /// Requests: Using Query Parameters (AWS Signature Version 4)").
    fn presigned(extra: &str) -> String {
        format!(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential={AKID}%2F20130721%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130721T201207Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host{extra}\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        )
    }

    #[test]
    fn presigned_url_signature_carries_the_expiry() {
        let url = presigned("");
        let text = format!("curl '{url}'\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
        // 2013-07-21T20:12:07Z plus 86400 seconds.
        let before = crate::time::parse_datetime("2013-07-22T20:12:06Z");
        let after = crate::time::parse_datetime("2013-07-22T20:12:07Z");
        let found = scan(&text, after);
        check_invariants(&text, &found);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].kind, "aws-access-key-id");
        let sig = &found[1];
        assert_eq!(sig.kind, "aws-presigned-signature");
        assert_eq!(
            &text[sig.span.start..sig.span.end],
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        assert_eq!(sig.expires_at.as_deref(), Some("2013-07-22T20:12:07Z"));
        assert_eq!(sig.expired, Some(true));
        assert_eq!(scan(&text, before)[1].expired, Some(false));
        assert_eq!(scan(&text, None)[1].expired, None);
        assert_eq!(
            redact(&url, &scan(&url, None)),
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIA[redacted]%2F20130721%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130721T201207Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=[redacted, expires 2013-07-22T20:12:07Z]"
        );
    }

    #[test]
    fn presigned_url_security_token_is_reported_whole() {
        let token = "IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQD1"
            .to_owned()
            + &"x".repeat(200);
        let url = presigned(&format!("&X-Amz-Security-Token={token}"));
        let found = kinds(&url);
        assert_eq!(found[1], ("aws-presigned-security-token".to_owned(), token));
        assert_eq!(found[2].0, "aws-presigned-signature");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn older_and_other_signed_url_forms() {
        // S3 query string authentication, Signature Version 2 (Amazon S3 User Guide,
        // "Authenticating REST requests"): `Expires` is seconds since the epoch.
        let v2 = "https://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE\
                  &Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620";
        assert_eq!(
            redacted_text(v2),
            "https://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIA[redacted]\
             &Signature=[redacted, expires 2007-03-29T03:40:20Z]&Expires=1175139620"
        );
        // CloudFront signed URL with a canned policy (CloudFront Developer Guide).
        let cf = "https://d111111abcdef8.cloudfront.net/image.jpg?Expires=1357034400\
                  &Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEijkytL6f3fVYNGQI6&Key-Pair-Id=K2JCJMDEHXQW5F";
        let found = scan(cf, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "aws-presigned-signature");
        assert_eq!(found[0].expires_at.as_deref(), Some("2013-01-01T10:00:00Z"));
        // Google Cloud Storage V4 signed URL (Cloud Storage docs, "V4 signing process").
        let gcs = "https://storage.googleapis.com/example-bucket/cat.jpeg?X-Goog-Algorithm=GOOG4-RSA-SHA256\
                   &X-Goog-Credential=example%40example-project.iam.gserviceaccount.com%2F20190201%2Fus-central1%2Fstorage%2Fgoog4_request\
                   &X-Goog-Date=20190201T190000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host\
                   &X-Goog-Signature=8a6e8f2d0b4c4a1e9f3b7d5c6e2a1f0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
        let found = scan(gcs, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "gcp-signed-url-signature");
        assert_eq!(found[0].expires_at.as_deref(), Some("2019-02-01T19:15:00Z"));
        // A SigV4 `Authorization` header's `Signature=` (IAM User Guide, "Elements
        // of an AWS API request signature": 64 hex digits) can be replayed while
        // the request's time is fresh, so issue 11 counts it as a credential.
        assert_eq!(
            kinds("SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"),
            one("aws-sigv4-signature", "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024")
        );
    }

    #[test]
    fn presigned_url_without_date_has_no_expiry() {
        let text = "https://b.s3.amazonaws.com/k?X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&X-Amz-Expires=abc";
        let found = scan(text, Some(0));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].expires_at, None);
        assert_eq!(found[0].expired, None);
        assert_eq!(found[0].masked, "[redacted]");
    }

    #[test]
    fn jwt_expiry_is_read_not_verified() {
        let header = r#"{"alg":"RS256","typ":"JWT"}"#;
        let token = jwt(
            header,
            r#"{"sub":"1234567890","aud":"api://default","exp":1795392000}"#,
        );
        let text = format!("HTTP/1.1 401 Unauthorized\nAuthorization: Bearer {token}\n");
        let future = crate::time::parse_datetime("2026-11-22T23:59:59Z");
        let past = crate::time::parse_datetime("2026-11-23T00:00:00Z");
        let found = scan(&text, future);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, "jwt");
        assert_eq!(&text[found[0].span.start..found[0].span.end], token);
        assert_eq!(found[0].expires_at.as_deref(), Some("2026-11-23T00:00:00Z"));
        assert_eq!(found[0].expired, Some(false));
        assert_eq!(scan(&text, past)[0].expired, Some(true));
        assert_eq!(
            redact(&text, &found),
            "HTTP/1.1 401 Unauthorized\nAuthorization: Bearer [redacted JWT, expires 2026-11-23T00:00:00Z]\n"
        );
        // A fractional NumericDate (RFC 7519 allows one).
        let frac = jwt(header, r#"{"exp":1700000000.75}"#);
        assert_eq!(
            scan(&frac, None)[0].expires_at.as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
    }

    #[test]
    fn jwt_without_exp_or_with_a_bad_payload_is_still_a_jwt() {
        let header = b64url(br#"{"alg":"HS256"}"#);
        for payload in [
            b64url(br#"{"sub":"x"}"#),
            b64url(b"not json at all"),
            "!!!".to_owned(),
            b64url(br#"{"exp":"tomorrow"}"#),
            b64url(br#"{"exp":1e300}"#),
        ] {
            let text = format!("token={header}.{payload}.c2ln");
            let found = scan(&text, Some(0));
            if payload == "!!!" {
                // `!` ends the payload segment: no second dot, not a JWT; but
                // still a high-entropy value after `token=`.
                assert_eq!(found.len(), 1, "{text}");
                assert_eq!(found[0].kind, "token");
                continue;
            }
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].kind, "jwt");
            assert_eq!(found[0].expires_at, None);
            assert_eq!(found[0].expired, None);
            assert_eq!(found[0].masked, "[redacted JWT]");
        }
    }

    #[test]
    fn dotted_base64_that_is_not_a_jwt_header() {
        let no_alg = jwt(r#"{"typ":"JWT"}"#, r#"{"exp":1}"#);
        let not_json = format!("eyJub3QganNvbg.{}.abc", b64url(b"{}"));
        let text = format!("{no_alg} {not_json} eyJhbGciOiJIUzI1NiJ9.eyJ9 eyJ.eyJ.eyJ");
        assert_eq!(kinds(&text), vec![]);
    }

    #[test]
    fn bearer_and_basic_credentials() {
        // An opaque OAuth 2.0 access token (RFC 6750 section 2.1 uses `mF_9.B5f-4.1JqM`).
        let text = "GET /resource HTTP/1.1\nAuthorization: Bearer mF_9.B5f-4.1JqM\n";
        assert_eq!(kinds(text), one("bearer-token", "mF_9.B5f-4.1JqM"));
        assert_eq!(
            redacted_text(text),
            "GET /resource HTTP/1.1\nAuthorization: Bearer [redacted]\n"
        );
        let curl = r#"curl -H "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" https://api.example.com/"#;
        assert_eq!(
            kinds(curl),
            one("basic-auth", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        let json =
            r#"{"headers": {"authorization": "Bearer ya29.a0AfH6SMBx3example-token_value"}}"#;
        assert_eq!(
            kinds(json),
            one("bearer-token", "ya29.a0AfH6SMBx3example-token_value")
        );
    }

    #[test]
    fn a_short_word_after_bearer_is_not_a_token() {
        // Found by fuzzing: an error code where a token would stand.
        assert_eq!(
            kinds("(Authorization: Bearer AccessDenied) when calling"),
            vec![]
        );
        assert_eq!(kinds("Authorization: Bearer YourTokenHere"), vec![]);
        // Letters alone, but as long as an issued token: still masked.
        assert_eq!(
            kinds("Authorization: Bearer QzXkWmPqRtYvBnLsDfGhJkLa"),
            one("bearer-token", "QzXkWmPqRtYvBnLsDfGhJkLa")
        );
    }

    #[test]
    fn challenges_and_shell_placeholders_are_not_credentials() {
        let text = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"example\", error=\"invalid_token\"\n\
                    curl -H \"Authorization: Bearer $(gcloud auth print-access-token)\" \
                    -H 'Authorization: Bearer <token>' -H \"Authorization: Bearer ${TOKEN}\"\n\
                    headers['Authorization'] = 'Bearer ' + token\n\
                    Authorization: Bearer yourtokenhere\n\
                    Authorization: Bearer organization's policy\n\
                    Authorization: Bearer .docker/config.json";
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn azure_sas_signature_and_its_expiry() {
        // The service SAS example on Microsoft Learn ("Identify URI and SAS parameters").
        let url = "https://myaccount.blob.core.windows.net/?restype=service&comp=properties&sv=2015-04-05&ss=bf\
                   &st=2015-04-29T22%3A18%3A26Z&se=2015-04-30T02%3A23%3A26Z&sr=b&sp=rw&sip=168.1.5.60-168.1.5.70\
                   &spr=https&sig=F%6GRVAZ5Cdj2Pw4tgU7IlSTkWgn7bUkkAg8P6HESXwmf%4B";
        let found = scan(url, crate::time::parse_datetime("2015-05-01"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "azure-sas-signature");
        assert_eq!(
            &url[found[0].span.start..],
            "F%6GRVAZ5Cdj2Pw4tgU7IlSTkWgn7bUkkAg8P6HESXwmf%4B"
        );
        assert_eq!(found[0].expires_at.as_deref(), Some("2015-04-30T02:23:26Z"));
        assert_eq!(found[0].expired, Some(true));
        assert!(redact(url, &found)
            .ends_with("&spr=https&sig=[redacted, expires 2015-04-30T02:23:26Z]"));
        // `sig=` outside a SAS is left alone.
        assert_eq!(
            kinds("https://example.com/?sig=F6GRVAZ5Cdj2Pw4tgU7IlSTkWgn7bUkkAg8P6HESX&page=2"),
            vec![]
        );
    }

    #[test]
    fn azure_connection_strings() {
        // The storage connection string format on Microsoft Learn ("Configure Azure
        // Storage connection strings"); the key is 64 bytes, 88 base64 characters.
        let key = format!(
            "{}==",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq".to_owned()
                + "AbCdEfGhIjKlMnOpQrStUvWxYz"
        );
        let text = format!("DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey={key};EndpointSuffix=core.windows.net");
        assert_eq!(kinds(&text), one("azure-account-key", &key));
        assert_eq!(
            redacted_text(&text),
            "DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=[redacted];EndpointSuffix=core.windows.net"
        );
        let bus = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG=";
        assert_eq!(
            kinds(bus),
            one(
                "azure-account-key",
                "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG="
            )
        );
        let sas = "BlobEndpoint=https://myaccount.blob.core.windows.net/;SharedAccessSignature=sv=2015-04-05&sr=b&si=policy&sig=3XZ2bG9Yc2lnbmF0dXJlZXhhbXBsZQ%3D%3D";
        assert_eq!(
            kinds(sas),
            one(
                "azure-sas-signature",
                "3XZ2bG9Yc2lnbmF0dXJlZXhhbXBsZQ%3D%3D"
            )
        );
    }

    #[test]
    fn gcp_service_account_key_file() {
        // The fields of a service account key file as Google Cloud's IAM
        // documentation shows them ("Create and delete service account keys").
        let text = r#"{
  "type": "service_account",
  "project_id": "my-project",
  "private_key_id": "0123456789abcdef0123456789abcdef01234567",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nFAKEFAKEFAKE==\n-----END PRIVATE KEY-----\n",
  "client_email": "app@my-project.iam.gserviceaccount.com",
  "client_id": "123456789012345678901"
}"#;
        let found = kinds(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (
                "gcp-service-account-key".to_owned(),
                "0123456789abcdef0123456789abcdef01234567".to_owned()
            )
        );
        assert_eq!(found[1].0, "gcp-service-account-key");
        assert!(
            found[1].1.starts_with("-----BEGIN PRIVATE KEY-----\\nMIIE")
                && found[1].1.ends_with("-----END PRIVATE KEY-----")
        );
        let redacted = redacted_text(text);
        assert!(redacted.contains(r#""private_key_id": "[redacted]","#));
        assert!(redacted.contains(r#""private_key": "-----BEGIN PRIVATE KEY----- [redacted] -----END PRIVATE KEY-----\n","#));
        // The redacted key file is still JSON, with every other field intact.
        let parsed: serde_json::Value = serde_json::from_str(&redacted).unwrap();
        assert_eq!(
            parsed["client_email"],
            "app@my-project.iam.gserviceaccount.com"
        );
    }

    #[test]
    fn pem_private_keys() {
        let text = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE/Wm/Rr500P\n-----END RSA PRIVATE KEY-----\ndone";
        assert_eq!(kinds(text)[0].0, "pem-private-key");
        assert_eq!(
            redacted_text(text),
            "key:\n-----BEGIN RSA PRIVATE KEY----- [redacted] -----END RSA PRIVATE KEY-----\ndone"
        );
        let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
        assert_eq!(kinds(openssh), one("pem-private-key", openssh));
        // Cut short: covered as far as the body goes.
        let cut = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBQk\nMHcCAQEE\n\n(truncated)";
        assert_eq!(
            redacted_text(cut),
            "-----BEGIN EC PRIVATE KEY----- [redacted](truncated)"
        );
        // Certificates and public keys are not secret.
        let public = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----";
        assert_eq!(kinds(public), vec![]);
        // A mismatched END does not close the block.
        let mismatched = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END CERTIFICATE-----";
        assert_eq!(
            kinds(mismatched),
            one("pem-private-key", "-----BEGIN PRIVATE KEY-----\nMIIB\n")
        );
    }

    #[test]
    fn url_passwords() {
        let text = "could not connect to postgres://app:s3cr%40t@db.internal:5432/orders; retry https://admin:p@ss@example.com/x";
        assert_eq!(
            redacted_text(text),
            "could not connect to postgres://app:[redacted]@db.internal:5432/orders; retry https://admin:[redacted]@example.com/x"
        );
        for clean in [
            "https://example.com:443/path",
            "https://user@example.com/",
            "s3://bucket/key:with:colons@x",
            "https://:@x",
        ] {
            assert_eq!(kinds(clean), vec![], "{clean}");
        }
    }

    #[test]
    fn sigv2_documentation_example_reports_the_key_id() {
        // Query-string authentication in the older S3 format shows
        // `AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE`: the id is reported, the rest is not a secret key.
        let text = "https://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120";
        assert_eq!(kinds(text), one("aws-access-key-id", AKID));
    }

    #[test]
    fn several_kinds_in_one_paste_in_order() {
        let token = jwt(r#"{"alg":"ES256","kid":"k1"}"#, r#"{"exp":1}"#);
        let text =
            format!("é {AKID} ü aws_secret_access_key={SECRET} — {token} 日本 https://u:pw@h/ ✓");
        let found = kinds(&text);
        let names: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "aws-access-key-id",
                "aws-secret-access-key",
                "jwt",
                "url-password"
            ]
        );
        assert_eq!(
            redacted_text(&text),
            "é AKIA[redacted] ü aws_secret_access_key=[redacted] — [redacted JWT, expires 1970-01-01T00:00:01Z] 日本 https://u:[redacted]@h/ ✓"
        );
    }

    #[test]
    fn redact_skips_bad_spans() {
        let text = "héllo world";
        let secret = |start, end| Secret {
            kind: "x".into(),
            span: Span::new(start, end),
            masked: "[redacted]".into(),
            expires_at: None,
            expired: None,
            alarm: true,
        };
        // 2 is inside `é`; 50 is out of range; the overlap is dropped.
        let secrets = [secret(2, 4), secret(7, 50), secret(7, 12), secret(8, 10)];
        assert_eq!(redact(text, &secrets), "héllo [redacted]");
        assert_eq!(redact(text, &[]), text);
    }

    #[test]
    fn garbage_never_panics() {
        // A fixed linear congruential generator: bytes of every value, lossily decoded.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut bytes = Vec::with_capacity(200_000);
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            bytes.push((x >> 56) as u8);
        }
        let text = String::from_utf8_lossy(&bytes);
        let found = scan(&text, Some(0));
        check_invariants(&text, &found);
        let _ = redact(&text, &found);
        // Fragments of every anchor, glued together and cut at every point.
        let anchors = "AKIA-----BEGIN PRIVATE KEY-----eyJhbGciOiJub25lIn0.eyJ.://a:b@sig=&sv=1&x-amz-signature=x-amz-date=\
                       AccountKey=private_key_id\"private_key\": Authorization: Bearer aws_secret_access_key=IQoJb3JpZ2luX2Vj日";
        for cut in 0..anchors.len() {
            if let (Some(a), Some(b)) = (anchors.get(..cut), anchors.get(cut..)) {
                let text = format!("{b}{a}{b}");
                check_invariants(&text, &scan(&text, Some(0)));
            }
        }
    }

    #[test]
    fn large_adversarial_inputs_finish() {
        // 10 MB of each anchor repeated, the shapes that would be quadratic with
        // naive rescanning.
        let patterns = [
            "eyJhbGciOiJub25lIn0.",
            "-----BEGIN PRIVATE KEY-----",
            "://a:",
            "&sig=",
            "aws_secret_access_key=",
            "authorization: bearer ",
            "AKIA",
            "IQoJb3JpZ2luX2Vj",
            "A",
            "x-amz-signature=",
            "\"Expiration\": \"2016-03-15T00:05:07Z\", SessionToken=AQoDYXdzEPT0123456789abcdefghijklmnop ",
        ];
        for p in patterns {
            let text = p.repeat(10 * 1024 * 1024 / p.len());
            let started = std::time::Instant::now();
            let found = scan(&text, Some(0));
            check_invariants(&text, &found);
            let _ = redact(&text, &found);
            // Generous even for an unoptimised build; quadratic work would take hours.
            assert!(
                started.elapsed().as_secs() < 60,
                "{p}: {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn many_real_secrets_in_a_large_paste() {
        let block = format!(
            "{} aws_secret_access_key={SECRET} {}\n",
            presigned(""),
            jwt(r#"{"alg":"none"}"#, r#"{"exp":2}"#)
        );
        let text = block.repeat(2000);
        let found = scan(&text, None);
        check_invariants(&text, &found);
        assert_eq!(found.len(), 4 * 2000);
    }
}
