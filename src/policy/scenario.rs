//! The scenario format: one JSON document holding a request and its policies.
//!
//! ```json
//! {
//!   "request": {
//!     "principal": "arn:aws:sts::111122223333:assumed-role/Dev/alice",
//!     "action": "s3:GetObject",
//!     "resource": "arn:aws:s3:::example-bucket/report.csv",
//!     "resourceAccount": "111122223333",
//!     "context": { "aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["a", "b"], "aws:MultiFactorAuthPresent": null },
//!     "contextComplete": false
//!   },
//!   "policies": [
//!     { "type": "identity", "name": "DevAccess", "document": { "Version": "2012-10-17", "Statement": [] } },
//!     { "type": "scp", "level": "root", "name": "FullAWSAccess", "document": "{ ... }" }
//!   ]
//! }
//! ```
//!
//! `type` is optional (guessed from the document when absent); `document` is an
//! object, or a string holding the JSON — then the spans of that policy point
//! into the string (see [`PolicyInfo::span_source`]).

use super::eval::{self, Request};
use super::parse::{self, ParsedPolicy};
use crate::diag::{Diagnostic, Severity, Span};
use crate::json::{self, Kind, Value};
use crate::model::{PolicyType, AWS_POLICY_TYPES};
use serde::Serialize;
use std::rc::Rc;

/// The largest scenario accepted, in bytes.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Which text a policy's spans point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanSource {
    /// The scenario text (the document was given as an object).
    Scenario,
    /// The policy's `document` string.
    Document,
}

/// What the result says about each input policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInfo {
    /// Index in `policies`.
    pub index: usize,
    /// The name used in the result.
    pub name: std::rc::Rc<str>,
    /// The type used.
    pub policy_type: PolicyType,
    /// Whether the type was guessed from the document.
    pub type_guessed: bool,
    /// The level, for SCPs and RCPs.
    pub level: Option<std::rc::Rc<str>>,
    /// Which text the spans of this policy point into.
    pub span_source: SpanSource,
}

/// A diagnostic about one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDiagnostic {
    /// The diagnostic.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The policy it is about, by index (`null` for the scenario itself).
    pub policy_index: Option<usize>,
    /// Which text its labels point into.
    pub span_source: SpanSource,
}

/// A scenario that has been read: the request and the parsed policies.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The request.
    pub request: Request,
    /// The policies, in input order.
    pub policies: Vec<ParsedPolicy>,
    /// Per-policy facts for the result.
    pub info: Vec<PolicyInfo>,
    /// Diagnostics about the policies and the scenario.
    pub diagnostics: Vec<PolicyDiagnostic>,
}

fn err(code: &str, message: String, text: &str, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(code, Severity::Error, message);
    match span {
        Some(s) => d.with_label(text, s),
        None => d,
    }
}

/// A context value as strings: scalars become one value, arrays several;
/// `null` is `None` (absent).
fn context_values(v: &Value) -> Result<Option<Vec<String>>, &'static str> {
    let scalar = |x: &Value| match &x.kind {
        Kind::String(s) => Some(s.to_string()),
        Kind::Number(n) => Some(n.raw.to_owned()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &v.kind {
        Kind::Null => Ok(None),
        Kind::Array(items) => items
            .iter()
            .map(|x| scalar(x).ok_or("array elements must be strings, numbers or booleans"))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => scalar(v)
            .map(|s| Some(vec![s]))
            .ok_or("values must be strings, numbers, booleans, arrays of them, or null"),
    }
}

/// Reads a scenario text.
///
/// # Errors
///
/// Returns the diagnostics that make the scenario unusable: invalid JSON (with
/// line and column), a missing or mistyped request field, an unknown policy
/// type, a policy without `document`.
pub fn read(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    read_with(text, None)
}

/// [`read`], reusing the policies of `cache` whose document text is identical.
fn read_with(text: &str, cache: Option<&mut PolicyCache>) -> Result<Scenario, Vec<Diagnostic>> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(vec![Diagnostic::new(
            "scenario.too-large",
            Severity::Error,
            format!(
                "the scenario is {} bytes; the limit is {MAX_SCENARIO_BYTES}",
                text.len()
            ),
        )]);
    }
    // With a cache, policy documents are looked up by their text, so the
    // parser only finds where they are; the cache checks and reads a new one on
    // its own (and a hit is text equal to one already checked).
    // Where the parser met a known document: its offset and the document.
    let hits: std::cell::Cell<Vec<Hit>> = std::cell::Cell::default();
    let parsed = if cache.is_some() {
        let cache = cache.as_deref();
        json::parse_skipping_known(
            text,
            &[Some("policies"), None, Some("document")],
            &|rest, depth_left| {
                let known = cache.and_then(|c| c.known_end(rest, depth_left))?;
                let mut list = hits.take();
                list.push(Hit {
                    offset: text.len().saturating_sub(rest.len()),
                    document: Rc::clone(&known.text),
                    hash: known.hash,
                });
                hits.set(list);
                Some(known.text.len())
            },
        )
    } else {
        json::parse(text)
    };
    let root = match parsed {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![err(
                "scenario.invalid-json",
                format!("the scenario is not valid JSON: {}", e.message),
                text,
                Some(Span::new(e.offset, e.offset)),
            )]);
        }
    };
    let mut errors = Vec::new();
    if root.as_object().is_none() {
        return Err(vec![err(
            "scenario.not-an-object",
            format!(
                "a scenario must be a JSON object, found {}",
                root.kind_name()
            ),
            text,
            Some(root.span),
        )]);
    }
    let mut request = Request::default();
    match root.get("request") {
        None => errors.push(err(
            "scenario.missing-request",
            "the scenario has no `request`".into(),
            text,
            Some(root.span),
        )),
        Some(r) if r.as_object().is_none() => errors.push(err(
            "scenario.wrong-type",
            format!("`request` must be an object, found {}", r.kind_name()),
            text,
            Some(r.span),
        )),
        Some(r) => {
            for (field, slot) in [
                ("principal", &mut request.principal),
                ("action", &mut request.action),
                ("resource", &mut request.resource),
            ] {
                match r.get(field) {
                    Some(Value {
                        kind: Kind::String(s),
                        ..
                    }) if !s.is_empty() => *slot = s.to_string(),
                    Some(v) => errors.push(err(
                        "scenario.wrong-type",
                        format!(
                            "`request.{field}` must be a non-empty string, found {}",
                            v.kind_name()
                        ),
                        text,
                        Some(v.span),
                    )),
                    None => errors.push(err(
                        "scenario.missing-field",
                        format!("the request has no `{field}`"),
                        text,
                        Some(r.span),
                    )),
                }
            }
            match r.get("resourceAccount") {
                None
                | Some(Value {
                    kind: Kind::Null, ..
                }) => {}
                Some(Value {
                    kind: Kind::String(s),
                    ..
                }) => request.resource_account = Some(s.to_string()),
                Some(v) => errors.push(err(
                    "scenario.wrong-type",
                    format!(
                        "`request.resourceAccount` must be a string, found {}",
                        v.kind_name()
                    ),
                    text,
                    Some(v.span),
                )),
            }
            match r.get("contextComplete") {
                None
                | Some(Value {
                    kind: Kind::Null, ..
                }) => {}
                Some(Value {
                    kind: Kind::Bool(b),
                    ..
                }) => request.context_complete = *b,
                Some(v) => errors.push(err(
                    "scenario.wrong-type",
                    format!(
                        "`request.contextComplete` must be a boolean, found {}",
                        v.kind_name()
                    ),
                    text,
                    Some(v.span),
                )),
            }
            match r.get("context") {
                None
                | Some(Value {
                    kind: Kind::Null, ..
                }) => {}
                Some(Value {
                    kind: Kind::Object(members),
                    ..
                }) => {
                    for m in members {
                        match context_values(&m.value) {
                            Ok(v) => request.context.push((m.key.to_string(), v)),
                            Err(why) => errors.push(err(
                                "scenario.wrong-type",
                                format!("context key `{}`: {why}", m.key),
                                text,
                                Some(m.value.span),
                            )),
                        }
                    }
                }
                Some(v) => errors.push(err(
                    "scenario.wrong-type",
                    format!(
                        "`request.context` must be an object, found {}",
                        v.kind_name()
                    ),
                    text,
                    Some(v.span),
                )),
            }
        }
    }
    let mut set = PolicySet::default();
    match root.get("policies") {
        None
        | Some(Value {
            kind: Kind::Null, ..
        }) => {}
        Some(v) => match v.as_array() {
            Some(a) => {
                let hits = hits.take();
                if read_entries(text, a, cache, &hits, &mut set, &mut errors).is_err() {
                    // A cached read met a document that is not valid JSON: the
                    // scenario is not either, and reading it in full gives the
                    // exact error.
                    return read_with(text, None);
                }
            }
            None => errors.push(err(
                "scenario.wrong-type",
                format!("`policies` must be an array, found {}", v.kind_name()),
                text,
                Some(v.span),
            )),
        },
    }
    if errors.is_empty() {
        Ok(Scenario {
            request,
            policies: set.policies,
            info: set.info,
            diagnostics: set.diagnostics,
        })
    } else {
        Err(errors)
    }
}

/// Policies read from a scenario's `policies` array (or from such an array on
/// its own, see [`read_policies`]): parsed once, evaluated against any number
/// of requests with [`run`].
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// The policies, in input order (entries with errors left out).
    pub policies: Vec<ParsedPolicy>,
    /// Per-policy facts for the result.
    pub info: Vec<PolicyInfo>,
    /// Diagnostics about the policies' documents.
    pub diagnostics: Vec<PolicyDiagnostic>,
}

/// Reads a JSON array of policies in the scenario format's `policies` shape
/// (`[{ "type", "name", "level", "document" }]`). `null` is an empty list.
///
/// Returns the policies that could be read, and the errors about the array's
/// shape (not an array, an entry without `document`, an unknown `type`), each
/// naming the entry's index. Problems inside a document are not errors here:
/// they are in [`PolicySet::diagnostics`], as in a simulation.
#[must_use]
pub fn read_policies(text: &str) -> (PolicySet, Vec<Diagnostic>) {
    let mut set = PolicySet::default();
    let mut errors = Vec::new();
    if text.len() > MAX_SCENARIO_BYTES {
        errors.push(Diagnostic::new(
            "scenario.too-large",
            Severity::Error,
            format!(
                "the policies are {} bytes; the limit is {MAX_SCENARIO_BYTES}",
                text.len()
            ),
        ));
        return (set, errors);
    }
    match json::parse(text) {
        Err(e) => errors.push(err(
            "scenario.invalid-json",
            format!("the policies are not valid JSON: {}", e.message),
            text,
            Some(Span::new(e.offset, e.offset)),
        )),
        Ok(root) => match &root.kind {
            Kind::Null => {}
            // Without a cache every document is read in full, so this cannot fail.
            Kind::Array(items) => {
                let _ = read_entries(text, items, None, &[], &mut set, &mut errors);
            }
            _ => errors.push(err(
                "scenario.wrong-type",
                format!("`policies` must be an array, found {}", root.kind_name()),
                text,
                Some(root.span),
            )),
        },
    }
    (set, errors)
}

/// Reads each entry of a `policies` array into `set`; entries that cannot be
/// used add to `errors` and are left out.
///
/// # Errors
///
/// Only with a `cache`: `Err(())` when a document that was skipped rather than
/// parsed turns out not to be valid JSON, so the caller must read the scenario
/// in full to report the exact error.
fn read_entries(
    text: &str,
    policies: &[Value],
    mut cache: Option<&mut PolicyCache>,
    hits: &[Hit],
    set: &mut PolicySet,
    errors: &mut Vec<Diagnostic>,
) -> Result<(), ()> {
    for (i, p) in policies.iter().enumerate() {
        if p.as_object().is_none() {
            errors.push(err(
                "scenario.wrong-type",
                format!("policy {i} must be an object, found {}", p.kind_name()),
                text,
                Some(p.span),
            ));
            continue;
        }
        let name: std::borrow::Cow<'_, str> = match p.get("name") {
            Some(Value {
                kind: Kind::String(s),
                ..
            }) => std::borrow::Cow::Borrowed(s),
            _ => std::borrow::Cow::Owned(format!("policy {i}")),
        };
        let level: Option<&str> = match p.get("level") {
            Some(Value {
                kind: Kind::String(s),
                ..
            }) => Some(s),
            _ => None,
        };
        let declared = match p.get("type") {
            None
            | Some(Value {
                kind: Kind::Null, ..
            }) => None,
            Some(Value {
                kind: Kind::String(s),
                span,
            }) => match PolicyType::from_name(s).filter(|t| AWS_POLICY_TYPES.contains(t)) {
                Some(t) => Some(t),
                None => {
                    let names = AWS_POLICY_TYPES.map(PolicyType::as_str);
                    let mut d = err(
                        "scenario.unknown-policy-type",
                        format!("policy {i} has unknown type `{s}`"),
                        text,
                        Some(*span),
                    );
                    d.help = Some(match parse::suggest(s, &names) {
                        Some(x) => format!("did you mean `{x}`?"),
                        None => format!(
                            "use one of {}",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    errors.push(d);
                    continue;
                }
            },
            Some(v) => {
                errors.push(err(
                    "scenario.wrong-type",
                    format!(
                        "policy {i}: `type` must be a string, found {}",
                        v.kind_name()
                    ),
                    text,
                    Some(v.span),
                ));
                continue;
            }
        };
        let Some(doc) = p.get("document") else {
            errors.push(err(
                "scenario.missing-field",
                format!("policy {i} has no `document`"),
                text,
                Some(p.span),
            ));
            continue;
        };
        // Read the document from the scenario itself, or from the string it is in.
        let (parsed, source) = match cache.as_deref_mut() {
            Some(cache) => match cache.policy(text, doc, hits, declared, &name, level) {
                Some(read) => read,
                None => return Err(()),
            },
            None => read_document(text, doc, declared, &name, level),
        };
        let (mut policy, guessed) = parsed;
        let index = set.policies.len();
        for d in std::mem::take(&mut policy.diagnostics) {
            set.diagnostics.push(PolicyDiagnostic {
                diagnostic: d,
                policy_index: Some(index),
                span_source: source,
            });
        }
        set.info.push(PolicyInfo {
            index,
            name: policy.name.clone(),
            policy_type: policy.policy_type,
            type_guessed: guessed,
            level: policy.level.clone(),
            span_source: source,
        });
        set.policies.push(policy);
    }
    Ok(())
}

/// Reads one policy's `document`: an object inside `text`, or a string holding
/// the JSON (then the spans point into that string). Returns the policy (with
/// its diagnostics), whether its type was guessed, and which text its spans
/// point into.
fn read_document(
    text: &str,
    doc: &Value,
    declared: Option<PolicyType>,
    name: &str,
    level: Option<&str>,
) -> ((ParsedPolicy, bool), SpanSource) {
    match &doc.kind {
        Kind::String(s) => (
            read_document_text(s, declared, name, level),
            SpanSource::Document,
        ),
        _ => {
            let t = declared.unwrap_or_else(|| parse::guess_type(doc));
            (
                (
                    parse::read_policy(doc, text, t, name, level),
                    declared.is_none(),
                ),
                SpanSource::Scenario,
            )
        }
    }
}

/// Reads a policy document given as JSON text; spans point into `s`.
fn read_document_text(
    s: &str,
    declared: Option<PolicyType>,
    name: &str,
    level: Option<&str>,
) -> (ParsedPolicy, bool) {
    match json::parse(s) {
        Ok(d) => {
            let t = declared.unwrap_or_else(|| parse::guess_type(&d));
            (
                parse::read_policy(&d, s, t, name, level),
                declared.is_none(),
            )
        }
        Err(e) => {
            let t = declared.unwrap_or(PolicyType::Identity);
            let d = Diagnostic::new(
                "policy.invalid-json",
                Severity::Error,
                format!("the policy is not valid JSON: {}", e.message),
            )
            .with_label(s, Span::new(e.offset, e.offset));
            (unreadable(t, name, level, d), declared.is_none())
        }
    }
}

/// The most policies a [`Batch`] keeps; past it the cache starts over.
const CACHE_MAX_ENTRIES: usize = 4096;
/// The most document bytes a [`Batch`] keeps; past it the cache starts over.
const CACHE_MAX_BYTES: usize = 64 * 1024 * 1024;

/// How many known documents sharing a first 16 bytes the scenario parser
/// compares at one place (see [`PolicyCache::known_end`]).
const KNOWN_PROBES: usize = 64;

/// One policy read once, kept for the next scenario that holds the same one.
struct CachedPolicy {
    /// The document's text: the object's JSON as written, or the string's value
    /// (for an object, the very text [`PolicyCache::known`] holds).
    document: Rc<str>,
    in_string: bool,
    declared: Option<PolicyType>,
    name: String,
    level: Option<String>,
    /// Read from `document` alone, so its spans are relative to the document's
    /// first byte; diagnostics taken out into `diagnostics`.
    policy: ParsedPolicy,
    diagnostics: Vec<Diagnostic>,
    guessed: bool,
}

/// Policies already read, by their exact document text (and the type, name
/// and level they were read with, which can change how they read).
#[derive(Default)]
struct PolicyCache {
    /// By [`cache_hash`]; a bucket holds the entries whose hashes collide.
    entries: std::collections::HashMap<u64, Vec<CachedPolicy>>,
    /// The object documents among them, by their first 16 bytes, with how deep
    /// they nest: the scenario parser is told where such a document ends
    /// instead of scanning for it (see [`json::parse_skipping_known`]).
    known: std::collections::HashMap<[u8; 16], Vec<KnownDocument>>,
    count: usize,
    bytes: usize,
    /// Policies looked up and found, halved now and then so that they follow
    /// the batch (see [`Batch::simulate`]).
    lookups: u32,
    hits: u32,
}

/// An object document the cache holds, as the scenario parser looks for it.
struct KnownDocument {
    text: Rc<str>,
    /// How deep it nests.
    depth: usize,
    /// [`document_hash`] of `text`.
    hash: u64,
}

/// A known document the scenario parser skipped: where, and which.
struct Hit {
    offset: usize,
    document: Rc<str>,
    hash: u64,
}

fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn hash_bytes(mut h: u64, b: &[u8]) -> u64 {
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes));
    }
    for &x in chunks.remainder() {
        h = mix(h, u64::from(x));
    }
    mix(h, b.len() as u64)
}

/// The document's part of [`cache_hash`].
fn document_hash(document: &str) -> u64 {
    hash_bytes(0, document.as_bytes())
}

/// A fast hash of the cache key (FxHash-style, 8 bytes at a time), from the
/// document's [`document_hash`]. Collisions only cost time: entries are
/// compared in full.
fn cache_hash(
    document_hash: u64,
    in_string: bool,
    declared: Option<PolicyType>,
    name: &str,
    level: Option<&str>,
) -> u64 {
    let mut h = hash_bytes(document_hash, name.as_bytes());
    h = hash_bytes(h, level.unwrap_or("\u{0}").as_bytes());
    h = mix(h, u64::from(in_string));
    mix(h, declared.map_or(u64::MAX, |t| t as u64))
}

impl PolicyCache {
    /// The length of a known object document at the start of `rest`, if it
    /// nests at most `depth_left` levels.
    fn known_end(&self, rest: &[u8], depth_left: usize) -> Option<&KnownDocument> {
        let key = <[u8; 16]>::try_from(rest.get(..16)?).ok()?;
        // Nearly every policy starts `{"Version":"2012`, so one bucket can hold
        // thousands of documents; comparing each at every probe made a batch of
        // varied scenarios quadratic (most of its time in memcmp). Only the most
        // recent few are tried: a repeated document is almost always recent,
        // and a miss costs only a parse, whose result the cache still finds by
        // the document's hash.
        self.known
            .get(&key)?
            .iter()
            .rev()
            .take(KNOWN_PROBES)
            .find(|k| k.depth <= depth_left && rest.starts_with(k.text.as_bytes()))
    }

    /// The policy for `doc` in `text`, read now or reused; `None` when `doc` is
    /// an object or array whose text is not valid JSON. The result is the
    /// same as [`read_document`]'s: a reused policy shares its statements and
    /// has its spans moved to where `doc` is in `text` (see
    /// [`ParsedPolicy::span_offset`]), and its diagnostics' labels are moved
    /// and their lines and columns computed in `text` again.
    fn policy(
        &mut self,
        text: &str,
        doc: &Value,
        hits: &[Hit],
        declared: Option<PolicyType>,
        name: &str,
        level: Option<&str>,
    ) -> Option<((ParsedPolicy, bool), SpanSource)> {
        let (document, in_string, offset) = match &doc.kind {
            Kind::String(s) => (s.as_ref(), true, 0),
            _ => (
                text.get(doc.span.start..doc.span.end).unwrap_or(""),
                false,
                doc.span.start,
            ),
        };
        // A document the parser skipped is that known text: no need to hash
        // or compare it again.
        let hit = if in_string {
            None
        } else {
            hits.iter()
                .find(|h| h.offset == doc.span.start && h.document.len() == document.len())
        };
        let doc_hash = hit.map_or_else(|| document_hash(document), |h| h.hash);
        let hash = cache_hash(doc_hash, in_string, declared, name, level);
        let found = self.entries.get(&hash).and_then(|bucket| {
            bucket.iter().find(|e| {
                e.in_string == in_string
                    && e.declared == declared
                    && &*e.name == name
                    && e.level.as_deref() == level
                    && (hit.is_some_and(|h| Rc::ptr_eq(&h.document, &e.document))
                        || &*e.document == document)
            })
        });
        self.lookups = self.lookups.saturating_add(1);
        self.hits = self.hits.saturating_add(u32::from(found.is_some()));
        if self.lookups >= 4096 {
            self.lookups /= 2;
            self.hits /= 2;
        }
        let entry = match found {
            Some(e) => e,
            None => {
                // The scenario parser did not check an object document (see
                // `json::parse_skipping`): it must be valid JSON on its own.
                if !in_string && json::parse(document).is_err() {
                    return None;
                }
                if self.count >= CACHE_MAX_ENTRIES
                    || self.bytes.saturating_add(document.len()) > CACHE_MAX_BYTES
                {
                    self.entries.clear();
                    self.known.clear();
                    self.count = 0;
                    self.bytes = 0;
                }
                // Read the document on its own: for an object, the same bytes
                // as in the scenario, so the same policy with spans counted from
                // its first byte.
                let (mut policy, guessed) = read_document_text(document, declared, name, level);
                let diagnostics = std::mem::take(&mut policy.diagnostics);
                let mut shared: Option<Rc<str>> = None;
                if !in_string {
                    let key = document
                        .as_bytes()
                        .get(..16)
                        .and_then(|b| <[u8; 16]>::try_from(b).ok());
                    if let (Some(key), Some(depth)) = (key, json::nesting_depth(document)) {
                        let known = self.known.entry(key).or_default();
                        match known.iter().find(|k| &*k.text == document) {
                            Some(k) => shared = Some(Rc::clone(&k.text)),
                            None => {
                                let text: Rc<str> = Rc::from(document);
                                shared = Some(Rc::clone(&text));
                                known.push(KnownDocument {
                                    text,
                                    depth,
                                    hash: doc_hash,
                                });
                            }
                        }
                    }
                }
                self.count += 1;
                self.bytes = self.bytes.saturating_add(document.len());
                let bucket = self.entries.entry(hash).or_default();
                bucket.push(CachedPolicy {
                    document: shared.unwrap_or_else(|| Rc::from(document)),
                    in_string,
                    declared,
                    name: name.to_owned(),
                    level: level.map(str::to_owned),
                    policy,
                    diagnostics,
                    guessed,
                });
                bucket.last()?
            }
        };
        let mut policy = entry.policy.clone();
        policy.span_offset = offset;
        // Labels of an object document move with it; those of a string document
        // already point into the string.
        policy.diagnostics = entry
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                if !in_string {
                    for l in &mut d.labels {
                        let span =
                            Span::new(l.start.saturating_add(offset), l.end.saturating_add(offset));
                        *l = crate::diag::Label::at(text, span);
                    }
                }
                d
            })
            .collect();
        let source = if in_string {
            SpanSource::Document
        } else {
            SpanSource::Scenario
        };
        Some(((policy, entry.guessed), source))
    }
}

/// Runs many scenarios, reading each distinct policy document only once.
///
/// Realistic batches test many requests against the same few policies. A
/// `Batch` keeps every policy it has read, keyed by the exact text of its
/// `document` (the object's JSON as written, or the string's value) together
/// with the type, name and level it was read with, and reuses it for every
/// later scenario that holds the identical document. A reused policy is the
/// policy that reading the document would give: an object document is read on
/// its own, which yields the same statements with spans counted from its first
/// byte, and each use places them at the document's offset in its own scenario
/// (and recomputes its diagnostics' lines and columns there). So
/// [`Batch::simulate`] returns exactly what [`simulate`] returns for the same
/// text; only the time differs. The cache holds at most 4,096 policies and
/// 64 MiB of documents, and starts over when full.
#[derive(Default)]
pub struct Batch {
    cache: PolicyCache,
    /// Scenarios run, to re-check now and then whether the cache pays.
    runs: u64,
}

impl Batch {
    /// An empty batch.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs one scenario given as text; the same result as [`simulate`].
    ///
    /// The cache pays when documents repeat. In a batch where each line has
    /// its own policies it costs a second and third read of every document
    /// (to check it and to read it on its own) and a full cache to drop every
    /// 4,096 policies: so while fewer than one policy in four is found in it,
    /// scenarios are read the plain way, and one in 64 still goes through the
    /// cache to notice when documents start repeating. Either way the result is
    /// what [`simulate`] returns.
    #[must_use]
    pub fn simulate(&mut self, text: &str) -> Simulation {
        self.runs += 1;
        let c = &self.cache;
        let pays = c.lookups < 256 || c.hits.saturating_mul(4) >= c.lookups;
        if pays || self.runs % 64 == 0 {
            simulate_with(text, Some(&mut self.cache))
        } else {
            simulate_with(text, None)
        }
    }
}

fn unreadable(t: PolicyType, name: &str, level: Option<&str>, d: Diagnostic) -> ParsedPolicy {
    ParsedPolicy {
        policy_type: t,
        name: name.into(),
        level: level.map(std::rc::Rc::from),
        version: None,
        variables_enabled: false,
        statements: std::rc::Rc::default(),
        span_offset: 0,
        diagnostics: vec![d],
        usable: false,
    }
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Simulation {
    /// The scenario was usable: the decision and its explanation.
    Success(Box<SimulationResult>),
    /// The scenario could not be used.
    Failure {
        /// Why, with where.
        errors: Vec<Diagnostic>,
    },
}

/// Everything a successful simulation says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResult {
    /// The decision.
    pub decision: eval::Decision,
    /// What decided a denial.
    pub denied_by: Vec<eval::DeniedBy>,
    /// The result of each policy type (and SCP/RCP level) given.
    pub by_policy_type: Vec<eval::TypeResult>,
    /// Every statement matched against the request.
    pub trace: Vec<eval::StatementTrace>,
    /// Context the decision depends on.
    pub missing_context: Vec<eval::MissingContext>,
    /// What could not be evaluated.
    pub unevaluated: Vec<eval::Unevaluated>,
    /// Problems found in the policies.
    pub diagnostics: Vec<PolicyDiagnostic>,
    /// The smallest change that would grant the request, or `null`.
    pub fix: Option<super::fix::Fix>,
    /// Whether principal and resource are in the same account, if known.
    pub same_account: Option<bool>,
    /// Every value the engine filled in that the input did not state.
    pub assumed: Vec<eval::Assumption>,
    /// The policies as read: names, types (and whether guessed), and which text
    /// their spans point into.
    pub policies: Vec<PolicyInfo>,
}

/// Runs a scenario given as text.
#[must_use]
pub fn simulate(text: &str) -> Simulation {
    simulate_with(text, None)
}

fn simulate_with(text: &str, cache: Option<&mut PolicyCache>) -> Simulation {
    let scenario = match read_with(text, cache) {
        Ok(s) => s,
        Err(errors) => return Simulation::Failure { errors },
    };
    let evaluation = evaluate_with_guesses(&scenario.request, &scenario.policies, &scenario.info);
    let fix = super::fix::propose(&scenario.request, &scenario.policies, &evaluation);
    Simulation::Success(Box::new(assemble(
        evaluation,
        fix,
        scenario.diagnostics,
        scenario.info,
    )))
}

/// Evaluates `request` against policies read once with [`read_policies`] (or
/// from a scenario): the same result [`simulate`] gives for a scenario holding
/// this request and these policies.
#[must_use]
pub fn run(request: &Request, set: &PolicySet) -> SimulationResult {
    let evaluation = evaluate_with_guesses(request, &set.policies, &set.info);
    let fix = super::fix::propose(request, &set.policies, &evaluation);
    assemble(evaluation, fix, set.diagnostics.clone(), set.info.clone())
}

/// [`eval::evaluate`], then each guessed policy type recorded in `assumed`.
/// A policy without `Principal` guessed to be identity-based could be a
/// permissions boundary (or a session policy, which limits the same way); if
/// reading it so changes the decision, the guess matters, and an `Allowed`
/// that rests on it becomes `Unknown`.
fn evaluate_with_guesses(
    request: &Request,
    policies: &[ParsedPolicy],
    info: &[PolicyInfo],
) -> eval::Evaluation {
    let mut evaluation = eval::evaluate(request, policies);
    let mut any_matters = false;
    for i in info.iter().filter(|i| i.type_guessed) {
        let alternative = match i.policy_type {
            PolicyType::Identity => Some(PolicyType::PermissionsBoundary),
            _ => None,
        };
        let matters = alternative.is_some_and(|t| {
            let mut other = policies.to_vec();
            if let Some(p) = other.get_mut(i.index) {
                p.policy_type = t;
            }
            eval::evaluate(request, &other).decision != evaluation.decision
        });
        any_matters |= matters;
        evaluation.assumed.push(eval::Assumption {
            code: "assume.policy-type".into(),
            subject: i.name.to_string(),
            value: Some(i.policy_type.as_str().to_owned()),
            basis: match alternative {
                Some(_) => "guessed from the document (no `Principal`); it could also be a permissions boundary or a session policy".into(),
                None => "guessed from the document".into(),
            },
            certainty: "guessed",
            matters,
        });
    }
    if any_matters && evaluation.decision == eval::Decision::Allowed {
        evaluation.decision = eval::Decision::Unknown;
        evaluation.unevaluated.push(eval::Unevaluated {
            code: "eval.policy-type-guessed".into(),
            message: "a policy's type was guessed, and read as another type the decision differs; give each policy's `type`".into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: true,
        });
    }
    evaluation
}

fn assemble(
    evaluation: eval::Evaluation,
    fix: Option<super::fix::Fix>,
    diagnostics: Vec<PolicyDiagnostic>,
    policies: Vec<PolicyInfo>,
) -> SimulationResult {
    SimulationResult {
        decision: evaluation.decision,
        denied_by: evaluation.denied_by,
        by_policy_type: evaluation.by_policy_type,
        trace: evaluation.trace,
        missing_context: evaluation.missing_context,
        unevaluated: evaluation.unevaluated,
        diagnostics,
        fix,
        same_account: evaluation.same_account,
        assumed: evaluation.assumed,
        policies,
    }
}
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    fn fail(text: &str) -> Vec<Diagnostic> {
        match simulate(text) {
            Simulation::Failure { errors } => errors,
            Simulation::Success(_) => panic!("expected failure"),
        }
    }

    #[test]
    fn invalid_json_is_a_failure_with_line_and_column() {
        let e = fail("{\n  \"request\": {\n    \"principal\": \"x\",\n  }\n}");
        assert_eq!(e[0].code, "scenario.invalid-json");
        assert_eq!((e[0].labels[0].line, e[0].labels[0].column), (4, 3));
        let v = serde_json::to_value(Simulation::Failure { errors: e }).unwrap();
        assert_eq!(v["type"], "failure");
    }

    #[test]
    fn missing_request_fields_are_failures() {
        let e =
            fail(r#"{"request":{"principal":"arn:aws:iam::111122223333:user/bob"},"policies":[]}"#);
        let codes: Vec<_> = e.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            codes,
            [
                "the request has no `action`",
                "the request has no `resource`"
            ]
        );
        let e = fail(r#"{"policies":[]}"#);
        assert_eq!(e[0].code, "scenario.missing-request");
        let e = fail(
            r#"{"request":{"principal":"p","action":"s3:GetObject","resource":"*"},"policies":[{"type":"identiy","document":{}}]}"#,
        );
        assert_eq!(e[0].code, "scenario.unknown-policy-type");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `identity`?"));
        // A policy type of another provider is not one a scenario can evaluate.
        let e = fail(
            r#"{"request":{"principal":"p","action":"s3:GetObject","resource":"*"},"policies":[{"type":"azure_rbac","document":{}}]}"#,
        );
        assert_eq!(e[0].code, "scenario.unknown-policy-type");
        assert_eq!(
            e[0].help.as_deref(),
            Some("use one of `identity`, `resource`, `scp`, `rcp`, `permissions_boundary`, `session`, `vpc_endpoint`, `trust`, `kms_key`")
        );
    }

    #[test]
    fn success_serializes_with_the_documented_fields() {
        let s = json!({
            "request": { "principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333", "contextComplete": true },
            "policies": [{ "name": "p", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }] } }]
        });
        let v = serde_json::to_value(simulate(&s.to_string())).unwrap();
        assert_eq!(v["type"], "success");
        // The policy's type is guessed (identity); read as a permissions
        // boundary it would grant nothing, so the Allowed rests on a guess
        // (issue 9): Unknown, with the guess in `assumed`.
        assert_eq!(v["decision"], "Unknown");
        let guess = v["assumed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "assume.policy-type")
            .unwrap();
        assert_eq!(guess["subject"], "p");
        assert_eq!(guess["value"], "identity");
        assert_eq!(guess["certainty"], "guessed");
        assert_eq!(guess["matters"], true);
        let mut typed = s.clone();
        typed["policies"][0]["type"] = json!("identity");
        let t = serde_json::to_value(simulate(&typed.to_string())).unwrap();
        assert_eq!(t["decision"], "Allowed");
        // What was derived rather than stated is listed too.
        let derived: Vec<&str> = t["assumed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["subject"].as_str().unwrap())
            .collect();
        assert!(derived.contains(&"aws:principalaccount"), "{derived:?}");
        assert!(derived.contains(&"aws:resourceaccount"), "{derived:?}");
        for field in [
            "assumed",
            "deniedBy",
            "byPolicyType",
            "trace",
            "missingContext",
            "unevaluated",
            "diagnostics",
            "fix",
            "policies",
        ] {
            assert!(v.get(field).is_some(), "{field}");
        }
        assert_eq!(v["fix"], serde_json::Value::Null);
        assert_eq!(v["policies"][0]["typeGuessed"], true);
        assert_eq!(v["policies"][0]["policyType"], "identity");
    }

    #[test]
    fn invalid_policy_json_in_a_string_is_a_diagnostic_not_a_failure() {
        let s = json!({
            "request": { "principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333" },
            "policies": [{ "type": "identity", "name": "bad", "document": "{\n \"Statement\": [\n}" }]
        });
        match simulate(&s.to_string()) {
            Simulation::Success(r) => {
                assert_eq!(r.decision, eval::Decision::Unknown);
                let d = &r.diagnostics[0];
                assert_eq!(d.diagnostic.code, "policy.invalid-json");
                assert_eq!(d.span_source, SpanSource::Document);
                assert_eq!(d.diagnostic.labels[0].line, 3);
            }
            Simulation::Failure { errors } => panic!("{errors:?}"),
        }
    }

    #[test]
    fn simulate_value_accepts_objects_and_strings() {
        let s = json!({
            "request": { "principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333" },
            "policies": []
        });
        let a = serde_json::to_value(crate::policy::simulate_value(&s)).unwrap();
        let b = serde_json::to_value(crate::policy::simulate_value(&json!(s.to_string()))).unwrap();
        assert_eq!(a["decision"], "ImplicitlyDenied");
        assert_eq!(a["decision"], b["decision"]);
    }

    /// A realistic scenario: `n` identity statements with conditions, an SCP, a
    /// boundary and a bucket policy.
    pub(crate) fn realistic(i: usize, n: usize) -> String {
        let mut statements = Vec::new();
        for k in 0..n {
            statements.push(json!({
                "Sid": format!("S{k}"),
                "Effect": if k % 7 == 6 { "Deny" } else { "Allow" },
                "Action": [format!("s3:Get{k}*"), format!("ec2:Describe{k}*"), "dynamodb:Query"],
                "Resource": [format!("arn:aws:s3:::bucket-{k}/*"), "arn:aws:dynamodb:us-east-1:111122223333:table/t"],
                "Condition": {
                    "StringEquals": { "aws:PrincipalTag/team": ["blue", "red"] },
                    "IpAddress": { "aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"] }
                }
            }));
        }
        statements.push(json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::example-bucket/{}/*", i % 3) }));
        json!({
            "request": {
                "principal": "arn:aws:sts::111122223333:assumed-role/Dev/alice",
                "action": "s3:GetObject",
                "resource": format!("arn:aws:s3:::example-bucket/{}/report.csv", i % 5),
                "resourceAccount": "111122223333",
                "context": { "aws:SourceIp": "10.1.2.3", "aws:PrincipalTag/team": "blue" },
                "contextComplete": i % 2 == 0
            },
            "policies": [
                { "type": "identity", "name": "dev", "document": { "Version": "2012-10-17", "Statement": statements } },
                { "type": "scp", "level": "root", "name": "FullAWSAccess", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] } },
                { "type": "permissions_boundary", "name": "pb", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": "*" }] } },
                { "type": "resource", "name": "bucket", "document": { "Version": "2012-10-17", "Statement": [
                    { "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/*", "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
                ] } }
            ]
        })
        .to_string()
    }

    /// Random edits of valid scenarios never panic and always give an answer.
    #[test]
    fn mutated_scenarios_never_panic() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: [&[u8]; 12] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b",",
            b":",
            b"null",
            b"\\u",
            b"${",
            b"*",
            b"\xc3\xa9",
        ];
        for i in 0..400 {
            let mut bytes = realistic(i, 3).into_bytes();
            for _ in 0..(1 + next() % 4) {
                let at = (next() as usize) % bytes.len().max(1);
                match next() % 3 {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => {
                        let piece = pieces[(next() as usize) % pieces.len()];
                        for (k, b) in piece.iter().enumerate() {
                            bytes.insert(at + k, *b);
                        }
                    }
                    _ => bytes[at] = b"{}[]\",:0a*?$"[(next() as usize) % 12],
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let out = serde_json::to_value(simulate(&text)).unwrap();
            assert!(out["type"] == "success" || out["type"] == "failure");
        }
    }

    #[test]
    fn deeply_nested_scenario_is_a_failure() {
        let text = format!("{{\"request\": {}", "[".repeat(100_000));
        let e = fail(&text);
        assert_eq!(e[0].code, "scenario.invalid-json");
        assert!(e[0].message.contains("nesting deeper than 128 levels"));
    }

    /// Throughput check: `cargo test --release -- --ignored --nocapture throughput`.
    #[test]
    #[ignore = "benchmark; run in release mode"]
    fn throughput() {
        for n in [10, 30] {
            let scenarios: Vec<String> = (0..1000).map(|i| realistic(i, n)).collect();
            let bytes: usize = scenarios.iter().map(String::len).sum::<usize>() / scenarios.len();
            let start = std::time::Instant::now();
            let mut count = 0usize;
            while start.elapsed().as_secs_f64() < 2.0 {
                for s in &scenarios {
                    let out = serde_json::to_string(&simulate(s)).unwrap_or_default();
                    count += usize::from(!out.is_empty());
                }
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{n} statements ({bytes} bytes): {count} scenarios in {secs:.2}s: {:.0}/s",
                count as f64 / secs
            );
        }
    }
}
