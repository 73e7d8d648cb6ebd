//! Writing a [`Simulation`] as one line of JSON, fast.
//!
//! The result is the exact bytes `serde_json::to_writer` produces for the same
//! value (the tests check it). The parts every result has — the per-statement
//! `trace`, which is most of a result, `deniedBy`, `byPolicyType`,
//! `unevaluated` and `policies` — are written by hand: their keys are constant
//! byte strings and their values short strings, where serde's general path
//! spends most of its time. The rest (`missingContext`, `diagnostics`, `fix`,
//! and failures) goes through `serde_json`.

use super::eval::{
    ConditionTrace, DeniedBy, ElementTrace, Match, StatementTrace, TypeOutcome, TypeResult,
    Unevaluated,
};
use super::scenario::{PolicyInfo, Simulation, SpanSource};
use crate::diag::Span;
use crate::model::DenyKind;
use std::rc::Rc;

/// Appends `sim` as JSON to `out`: the same bytes as
/// `serde_json::to_writer(out, sim)`.
///
/// # Errors
///
/// Only what `serde_json` reports for the parts it writes (which for these
/// types is nothing in practice: maps have string keys, numbers are finite).
pub fn write_simulation(out: &mut Vec<u8>, sim: &Simulation) -> serde_json::Result<()> {
    write_simulation_with(out, sim, true)
}

/// [`write_simulation`], leaving out the `trace` field unless `trace` is set:
/// `simulate --batch` writes it only when asked (`--trace`), as it is most of a
/// result's bytes and what a caller checking many policy sets rarely reads.
///
/// # Errors
///
/// As [`write_simulation`].
pub fn write_simulation_with(
    out: &mut Vec<u8>,
    sim: &Simulation,
    trace: bool,
) -> serde_json::Result<()> {
    let r = match sim {
        Simulation::Success(r) => r,
        Simulation::Failure { .. } => return serde_json::to_writer(out, sim),
    };
    out.extend_from_slice(b"{\"type\":\"success\",\"decision\":\"");
    out.extend_from_slice(r.decision.as_str().as_bytes());
    out.extend_from_slice(b"\",\"deniedBy\":");
    list(out, &r.denied_by, denied_by);
    out.extend_from_slice(b",\"byPolicyType\":");
    list(out, &r.by_policy_type, type_result);
    if trace {
        out.extend_from_slice(b",\"trace\":[");
        for (i, t) in r.trace.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            statement(out, t);
        }
        out.push(b']');
    }
    out.extend_from_slice(b",\"missingContext\":");
    serde_json::to_writer(&mut *out, &r.missing_context)?;
    out.extend_from_slice(b",\"unevaluated\":");
    list(out, &r.unevaluated, unevaluated);
    out.extend_from_slice(b",\"diagnostics\":");
    serde_json::to_writer(&mut *out, &r.diagnostics)?;
    out.extend_from_slice(b",\"fix\":");
    serde_json::to_writer(&mut *out, &r.fix)?;
    out.extend_from_slice(b",\"sameAccount\":");
    serde_json::to_writer(&mut *out, &r.same_account)?;
    out.extend_from_slice(b",\"assumed\":");
    serde_json::to_writer(&mut *out, &r.assumed)?;
    out.extend_from_slice(b",\"policies\":");
    list(out, &r.policies, policy_info);
    out.push(b'}');
    Ok(())
}

fn list<T>(out: &mut Vec<u8>, items: &[T], write: fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

fn opt_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn denied_by(out: &mut Vec<u8>, d: &DeniedBy) {
    out.extend_from_slice(b"{\"policyType\":\"");
    out.extend_from_slice(d.policy_type.as_str().as_bytes());
    out.extend_from_slice(b"\",\"level\":");
    opt_string(out, d.level.as_deref());
    out.extend_from_slice(b",\"policyName\":");
    opt_string(out, d.policy_name.as_deref());
    out.extend_from_slice(b",\"policyIndex\":");
    opt_number(out, d.policy_index);
    out.extend_from_slice(b",\"sid\":");
    opt_string(out, d.sid.as_deref());
    out.extend_from_slice(b",\"statement\":");
    opt_number(out, d.statement);
    out.extend_from_slice(b",\"statementNumber\":");
    opt_number(out, d.statement_number);
    out.extend_from_slice(b",\"span\":");
    match d.span {
        Some(s) => span(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(match d.kind {
        DenyKind::Explicit => b",\"kind\":\"explicit\",\"code\":",
        DenyKind::Implicit => b",\"kind\":\"implicit\",\"code\":",
        DenyKind::Unknown => b",\"kind\":\"unknown\",\"code\":",
    });
    string(out, &d.code);
    out.push(b'}');
}

fn type_result(out: &mut Vec<u8>, t: &TypeResult) {
    out.extend_from_slice(b"{\"policyType\":\"");
    out.extend_from_slice(t.policy_type.as_str().as_bytes());
    out.extend_from_slice(b"\",\"level\":");
    opt_string(out, t.level.as_deref());
    out.extend_from_slice(match t.result {
        TypeOutcome::Allow => b",\"result\":\"allow\",\"policies\":",
        TypeOutcome::ExplicitDeny => b",\"result\":\"explicit-deny\",\"policies\":",
        TypeOutcome::NoAllow => b",\"result\":\"no-allow\",\"policies\":",
        TypeOutcome::Unknown => b",\"result\":\"unknown\",\"policies\":",
        TypeOutcome::NotApplicable => b",\"result\":\"not-applicable\",\"policies\":",
    });
    strings(out, &t.policies);
    out.push(b'}');
}

fn unevaluated(out: &mut Vec<u8>, u: &Unevaluated) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &u.code);
    out.extend_from_slice(b",\"message\":");
    string(out, &u.message);
    out.extend_from_slice(b",\"policyIndex\":");
    opt_number(out, u.policy_index);
    out.extend_from_slice(b",\"statement\":");
    opt_number(out, u.statement);
    out.extend_from_slice(b",\"span\":");
    match u.span {
        Some(s) => span(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"matters\":");
    boolean(out, u.matters);
    out.push(b'}');
}

fn policy_info(out: &mut Vec<u8>, p: &PolicyInfo) {
    out.extend_from_slice(b"{\"index\":");
    number(out, p.index);
    out.extend_from_slice(b",\"name\":");
    string(out, &p.name);
    out.extend_from_slice(b",\"policyType\":\"");
    out.extend_from_slice(p.policy_type.as_str().as_bytes());
    out.extend_from_slice(b"\",\"typeGuessed\":");
    boolean(out, p.type_guessed);
    out.extend_from_slice(b",\"level\":");
    opt_string(out, p.level.as_deref());
    out.extend_from_slice(match p.span_source {
        SpanSource::Scenario => b",\"spanSource\":\"scenario\"}",
        SpanSource::Document => b",\"spanSource\":\"document\"}",
    });
}

fn statement(out: &mut Vec<u8>, t: &StatementTrace) {
    out.extend_from_slice(b"{\"policyType\":\"");
    out.extend_from_slice(t.policy_type.as_str().as_bytes());
    out.extend_from_slice(b"\",\"policyIndex\":");
    number(out, t.policy_index);
    out.extend_from_slice(b",\"statement\":");
    number(out, t.statement);
    match &t.head {
        Some(h) if h.fits(t.sid.as_ref(), t.effect) => out.extend_from_slice(&h.json),
        _ => sid_and_effect(out, t.sid.as_deref(), t.effect),
    }
    prefixed_span(out, b",\"span\":", t.span);
    out.extend_from_slice(match t.applies {
        Match::Yes => b",\"applies\":\"yes\",\"action\":",
        Match::No => b",\"applies\":\"no\",\"action\":",
        Match::Unknown => b",\"applies\":\"unknown\",\"action\":",
        Match::Skipped => b",\"applies\":\"skipped\",\"action\":",
    });
    element(out, &t.action);
    out.extend_from_slice(b",\"resource\":");
    element(out, &t.resource);
    match &t.principal {
        Some(p) => {
            out.extend_from_slice(b",\"principal\":");
            element(out, p);
            out.extend_from_slice(b",\"conditions\":[");
        }
        None => out.extend_from_slice(b",\"principal\":null,\"conditions\":["),
    }
    for (i, c) in t.conditions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        condition(out, c);
    }
    out.extend_from_slice(b"]}");
}

fn element(out: &mut Vec<u8>, e: &ElementTrace) {
    out.extend_from_slice(match e.matched {
        Match::Yes => b"{\"matched\":\"yes\",\"by\":",
        Match::No => b"{\"matched\":\"no\",\"by\":",
        Match::Unknown => b"{\"matched\":\"unknown\",\"by\":",
        Match::Skipped => b"{\"matched\":\"skipped\",\"by\":",
    });
    opt_string(out, e.by.as_deref());
    if e.resolved.is_empty() && e.note.is_none() {
        out.extend_from_slice(b",\"resolved\":[],\"note\":null}");
        return;
    }
    out.extend_from_slice(b",\"resolved\":");
    strings(out, &e.resolved);
    out.extend_from_slice(b",\"note\":");
    opt_string(out, e.note.as_deref());
    out.push(b'}');
}

/// `,"sid":…,"effect":…` for one statement, written when its policy is read,
/// with the very `Sid` string it was written from.
#[derive(Debug, PartialEq, Eq)]
pub struct StatementHead {
    sid: Option<Rc<str>>,
    effect: Option<&'static str>,
    json: Box<[u8]>,
}

impl StatementHead {
    /// Writes the head for `sid` and `effect`.
    #[must_use]
    pub fn new(sid: Option<&Rc<str>>, effect: Option<&'static str>) -> Rc<Self> {
        let mut json = Vec::new();
        sid_and_effect(&mut json, sid.map(|s| &**s), effect);
        Rc::new(StatementHead {
            sid: sid.cloned(),
            effect,
            json: json.into_boxed_slice(),
        })
    }

    /// Whether this head was written from these very values.
    fn fits(&self, sid: Option<&Rc<str>>, effect: Option<&'static str>) -> bool {
        let same_sid = match (&self.sid, sid) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_sid && self.effect == effect
    }
}

fn sid_and_effect(out: &mut Vec<u8>, sid: Option<&str>, effect: Option<&str>) {
    out.extend_from_slice(b",\"sid\":");
    opt_string(out, sid);
    // The common values are written as one piece each.
    match effect {
        Some("Allow") => out.extend_from_slice(b",\"effect\":\"Allow\""),
        Some("Deny") => out.extend_from_slice(b",\"effect\":\"Deny\""),
        e => {
            out.extend_from_slice(b",\"effect\":");
            opt_string(out, e);
        }
    }
}

/// `{"operator":…,"key":…` for one condition test, written when its policy
/// is read, with the very strings it was written from.
#[derive(Debug, PartialEq, Eq)]
pub struct ConditionHead {
    operator: Rc<str>,
    key: Rc<str>,
    json: Box<[u8]>,
}

impl ConditionHead {
    /// Writes the head for `operator` and `key`.
    #[must_use]
    pub fn new(operator: &Rc<str>, key: &Rc<str>) -> Rc<Self> {
        let mut json = Vec::with_capacity(operator.len() + key.len() + 24);
        json.extend_from_slice(b"{\"operator\":");
        string(&mut json, operator);
        json.extend_from_slice(b",\"key\":");
        string(&mut json, key);
        Rc::new(ConditionHead {
            operator: Rc::clone(operator),
            key: Rc::clone(key),
            json: json.into_boxed_slice(),
        })
    }
}

fn condition(out: &mut Vec<u8>, c: &ConditionTrace) {
    match &c.head {
        // Only while the trace still holds the strings the head was written from.
        Some(h) if Rc::ptr_eq(&h.operator, &c.operator) && Rc::ptr_eq(&h.key, &c.key) => {
            out.extend_from_slice(&h.json);
        }
        _ => {
            out.extend_from_slice(b"{\"operator\":");
            string(out, &c.operator);
            out.extend_from_slice(b",\"key\":");
            string(out, &c.key);
        }
    }
    if c.policy_values.is_empty() && c.request_values.is_none() {
        out.extend_from_slice(b",\"policyValues\":[],\"requestValues\":null");
    } else {
        out.extend_from_slice(b",\"policyValues\":");
        strings(out, &c.policy_values);
        out.extend_from_slice(b",\"requestValues\":");
        match &c.request_values {
            Some(v) => strings(out, v),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(match (c.key_known, c.result) {
        (true, Match::Yes) => b",\"keyKnown\":true,\"result\":\"yes\",\"note\":",
        (true, Match::No) => b",\"keyKnown\":true,\"result\":\"no\",\"note\":",
        (true, Match::Unknown) => b",\"keyKnown\":true,\"result\":\"unknown\",\"note\":",
        (true, Match::Skipped) => b",\"keyKnown\":true,\"result\":\"skipped\",\"note\":",
        (false, Match::Yes) => b",\"keyKnown\":false,\"result\":\"yes\",\"note\":",
        (false, Match::No) => b",\"keyKnown\":false,\"result\":\"no\",\"note\":",
        (false, Match::Unknown) => b",\"keyKnown\":false,\"result\":\"unknown\",\"note\":",
        (false, Match::Skipped) => b",\"keyKnown\":false,\"result\":\"skipped\",\"note\":",
    });
    match c.note.as_deref() {
        Some(n) => {
            string(out, n);
            prefixed_span(out, b",\"span\":", c.span);
        }
        None => prefixed_span(out, b"null,\"span\":", c.span),
    }
    out.push(b'}');
}

fn span(out: &mut Vec<u8>, s: Span) {
    prefixed_span(out, b"", s);
}

/// `prefix` (at most 16 bytes) followed by the span.
fn prefixed_span(out: &mut Vec<u8>, prefix: &[u8], s: Span) {
    // Built on the stack and copied once: the prefix, `{"start":`, `,"end":`
    // and `}` with at most 20 digits each fit in 80 bytes.
    let mut buf = [0u8; 80];
    let mut len = 0usize;
    let mut put = |bytes: &[u8]| {
        if let Some(dst) = buf.get_mut(len..len.saturating_add(bytes.len())) {
            dst.copy_from_slice(bytes);
            len = len.saturating_add(bytes.len());
        }
    };
    let mut digits = [0u8; 20];
    put(prefix);
    put(b"{\"start\":");
    put(decimal(&mut digits, s.start));
    put(b",\"end\":");
    put(decimal(&mut digits, s.end));
    put(b"}");
    out.extend_from_slice(buf.get(..len).unwrap_or_default());
}

/// The decimal digits of `n`, written at the end of `buf`.
fn decimal(buf: &mut [u8; 20], mut n: usize) -> &[u8] {
    let mut at = buf.len();
    for slot in buf.iter_mut().rev() {
        // `n % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        at -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

fn strings<S: AsRef<str>>(out: &mut Vec<u8>, v: &[S]) {
    out.push(b'[');
    for (i, s) in v.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s.as_ref());
    }
    out.push(b']');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A decimal number, as `serde_json` writes a `usize`: the digits are pushed
/// last first, then turned around in place.
fn number(out: &mut Vec<u8>, mut n: usize) {
    let start = out.len();
    loop {
        // `n % 10` is below 10, so the cast cannot truncate.
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if let Some(digits) = out.get_mut(start..) {
        digits.reverse();
    }
}

/// A JSON string with `serde_json`'s escapes: `\"`, `\\`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, and `\u00xx` (lowercase hex) for the other control bytes. Runs
/// without any are found eight bytes at a time and copied whole.
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let first = crate::json::find_special(bytes, true);
    if first >= bytes.len() {
        // Nothing to escape (the usual case): one reservation, one copy.
        out.reserve(bytes.len().saturating_add(2));
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    out.push(b'"');
    let mut rest = bytes;
    loop {
        let n = crate::json::find_special(rest, true);
        out.extend_from_slice(rest.get(..n).unwrap_or(rest));
        let Some(&b) = rest.get(n) else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(b & 0xF)).copied().unwrap_or(b'0'));
            }
        }
        rest = rest.get(n.saturating_add(1)..).unwrap_or_default();
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(sim: &Simulation) {
        let mut fast = Vec::new();
        write_simulation(&mut fast, sim).unwrap();
        let slow = serde_json::to_vec(sim).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&slow)
        );
    }

    #[test]
    fn a_condition_head_is_used_only_with_its_own_strings() {
        let op: Rc<str> = Rc::from("StringEquals");
        let key: Rc<str> = Rc::from("aws:PrincipalTag/\"q\"");
        let mut c = ConditionTrace {
            operator: op.clone(),
            key: key.clone(),
            policy_values: vec!["a".into()],
            request_values: None,
            key_known: false,
            result: Match::No,
            note: Some("n".into()),
            span: Span::new(3, 9),
            head: Some(ConditionHead::new(&op, &key)),
        };
        for _ in 0..2 {
            let mut fast = Vec::new();
            condition(&mut fast, &c);
            assert_eq!(fast, serde_json::to_vec(&c).unwrap());
            // The same text in another string: the head no longer applies.
            c.operator = Rc::from("StringLike");
        }
    }

    #[test]
    fn a_statement_head_is_used_only_with_its_own_sid_and_effect() {
        let sid: Rc<str> = Rc::from("S\\1");
        let head = StatementHead::new(Some(&sid), Some("Allow"));
        assert!(head.fits(Some(&sid), Some("Allow")));
        assert!(!head.fits(Some(&Rc::from("S\\1")), Some("Allow")));
        assert!(!head.fits(Some(&sid), Some("Deny")));
        assert!(!head.fits(None, Some("Allow")));
        assert_eq!(&*head.json, br#","sid":"S\\1","effect":"Allow""#);
        let none = StatementHead::new(None, None);
        assert!(none.fits(None, None));
        assert_eq!(&*none.json, br#","sid":null,"effect":null"#);
    }

    #[test]
    fn strings_escape_like_serde_json() {
        let mut all = String::new();
        for c in 0u8..0x80 {
            all.push(char::from(c));
        }
        all.push_str("é€😀\u{7f}\u{2028}");
        for s in [all.as_str(), "", "\"", "\\", "a\u{1}b", "plain"] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap());
        }
        for n in [0usize, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
            let mut digits = [0u8; 20];
            assert_eq!(decimal(&mut digits, n), &out[..]);
        }
    }

    #[test]
    fn every_variant_is_named_like_serde_json() {
        use crate::model::PolicyType as T;
        let types = [
            T::Identity,
            T::Resource,
            T::PermissionsBoundary,
            T::Session,
            T::Scp,
            T::Rcp,
            T::VpcEndpoint,
            T::Trust,
            T::KmsKey,
        ];
        let outcomes = [
            TypeOutcome::Allow,
            TypeOutcome::ExplicitDeny,
            TypeOutcome::NoAllow,
            TypeOutcome::Unknown,
            TypeOutcome::NotApplicable,
        ];
        let kinds = [DenyKind::Explicit, DenyKind::Implicit, DenyKind::Unknown];
        for (i, &policy_type) in types.iter().enumerate() {
            let t = TypeResult {
                policy_type,
                level: (i % 2 == 0).then(|| "ou-\"x\"".into()),
                result: outcomes[i % outcomes.len()],
                policies: vec!["a".into(), "b\n".into()],
            };
            let mut out = Vec::new();
            type_result(&mut out, &t);
            assert_eq!(out, serde_json::to_vec(&t).unwrap());
            let d = DeniedBy {
                policy_type,
                level: None,
                policy_name: Some("p".into()),
                policy_index: Some(i),
                sid: (i % 3 == 0).then(|| "S".to_owned()),
                statement: (i % 2 == 0).then_some(i),
                statement_number: (i % 2 == 0).then_some(i + 1),
                span: (i % 2 == 1).then(|| Span::new(i, 2 * i)),
                kind: kinds[i % kinds.len()],
                code: "eval.explicit-deny".into(),
            };
            let mut out = Vec::new();
            denied_by(&mut out, &d);
            assert_eq!(out, serde_json::to_vec(&d).unwrap());
            let p = PolicyInfo {
                index: i,
                name: "n".into(),
                policy_type,
                type_guessed: i % 2 == 0,
                level: None,
                span_source: if i % 2 == 0 {
                    SpanSource::Scenario
                } else {
                    SpanSource::Document
                },
            };
            let mut out = Vec::new();
            policy_info(&mut out, &p);
            assert_eq!(out, serde_json::to_vec(&p).unwrap());
        }
    }

    #[test]
    fn realistic_results_are_written_byte_for_byte_like_serde_json() {
        for i in 0..60 {
            same(&super::super::scenario::simulate(
                &super::super::scenario::tests::realistic(i, 8),
            ));
        }
    }

    #[test]
    fn odd_results_are_written_byte_for_byte_like_serde_json() {
        let cases = [
            "not json",
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a\"b\n","action":"s3:GetObject","resource":"arn:aws:s3:::b/k\u0001"},"policies":[{"type":"identity","document":{"Statement":[{"Sid":"x\ty","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"StringLike":{"aws:PrincipalTag/t\"":["a\\*"]},"Bogus":{"k":"v"}}}]}},{"type":"resource","document":{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"NotAction":"s3:Put*","NotResource":"arn:aws:s3:::other/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}}]}"#,
        ];
        for c in cases {
            same(&super::super::scenario::simulate(c));
        }
    }
}
