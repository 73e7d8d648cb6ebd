//! JSON error bodies found in the text: AWS `__type` bodies, decoded
//! authorization messages, CloudTrail events, `google.rpc.Status`, Azure
//! Resource Manager errors and Kubernetes `Status` objects.
//!
//! Objects are located with the bounded scanner in [`crate::scan`], validated
//! with serde_json (whose recursion limit bounds the stack), and read through
//! member spans so that every value keeps its place in the text.

use super::{code_info, Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{DenyKind, Gate, PolicyType, Provider};
use crate::scan::{self, json_elements, slice, JsonProblem};

/// A JSON value in the text: its raw span.
#[derive(Clone, Copy)]
struct Node<'a> {
    text: &'a str,
    span: Span,
}

impl<'a> Node<'a> {
    fn get(&self, key: &str) -> Option<Node<'a>> {
        scan::json_member(self.text, self.span, key).map(|v| Node {
            text: self.text,
            span: v,
        })
    }

    fn path(&self, keys: &[&str]) -> Option<Node<'a>> {
        let mut n = *self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    fn raw(&self) -> &'a str {
        slice(self.text, self.span)
    }

    /// The decoded string, if this is a string.
    fn string(&self) -> Option<String> {
        unescape(self.raw(), 0, None)
    }

    /// The span of a string's content, without its quotes.
    fn inner(&self) -> Span {
        if self.raw().starts_with('"') && self.span.len() >= 2 {
            Span::new(self.span.start + 1, self.span.end - 1)
        } else {
            self.span
        }
    }

    fn number(&self) -> Option<i64> {
        self.raw().parse().ok()
    }

    fn elements(&self) -> Vec<Node<'a>> {
        json_elements(self.text, self.span)
            .into_iter()
            .map(|s| Node {
                text: self.text,
                span: s,
            })
            .collect()
    }

    fn is_object(&self) -> bool {
        self.raw().starts_with('{')
    }
}

pub(super) fn find(text: &str, hits: &mut Vec<Hit>, diags: &mut Vec<Diagnostic>) {
    let (objects, problems) = scan::json_objects(text);
    for (pos, p) in problems {
        let (code, msg) = match p {
            JsonProblem::TooDeep => (
                "json.too-deep",
                format!(
                    "json nesting is deeper than {} levels; skipped",
                    scan::MAX_JSON_DEPTH
                ),
            ),
            JsonProblem::UnterminatedString => (
                "json.syntax",
                "json string runs past the end of its line".to_owned(),
            ),
            JsonProblem::Mismatched => ("json.syntax", "json brackets do not match".to_owned()),
            JsonProblem::Unterminated => ("json.syntax", "json object is not closed".to_owned()),
        };
        diags.push(
            Diagnostic::new(code, Severity::Warning, msg)
                .with_help("the rest of the text was still analysed")
                .with_label(text, char_at(text, pos)),
        );
    }
    for obj in objects {
        let raw = slice(text, obj);
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(raw) {
            // Braces in a stack trace or a language literal (`{"name": name}` in a
            // Python traceback) are not worth a warning; a broken error body is.
            if !looks_like_error_body(raw) {
                continue;
            }
            let at = offset_of(raw, e.line(), e.column()) + obj.start;
            // serde_json counts columns in bytes, so `at` may fall inside a
            // multi-byte character: the label covers that whole character.
            diags.push(
                Diagnostic::new(
                    "json.syntax",
                    Severity::Warning,
                    format!("text that looks like json does not parse: {e}"),
                )
                .with_help("the rest of the text was still analysed")
                .with_label(text, char_at(text, at)),
            );
            continue;
        }
        object(Node { text, span: obj }, hits, 0);
    }
}

/// Whether text between braces names a key that error bodies carry.
fn looks_like_error_body(raw: &str) -> bool {
    [
        "\"error",
        "\"Error",
        "\"__type",
        "\"code\"",
        "\"status\"",
        "\"message",
        "\"Message",
        "\"errorCode",
        "\"Records",
        "\"allowed",
    ]
    .iter()
    .any(|k| raw.contains(k))
}

/// The span of the character holding byte `pos` (empty at the end of the text),
/// so that a label always sits on character boundaries.
fn char_at(text: &str, pos: usize) -> Span {
    let start = scan::floor_boundary(text, pos);
    let end = if start < text.len() {
        scan::ceil_boundary(text, start + 1)
    } else {
        start
    };
    Span::new(start, end)
}

/// The byte offset of serde_json's 1-based line and column in `s`.
fn offset_of(s: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (n, l) in s.split('\n').enumerate() {
        if n + 1 == line {
            return (off + column.saturating_sub(1)).min(s.len());
        }
        off += l.len() + 1;
    }
    s.len()
}

fn object(n: Node<'_>, hits: &mut Vec<Hit>, nesting: u8) {
    if nesting > 4 || !n.is_object() {
        return;
    }
    for key in ["Records", "Events", "items"] {
        if let Some(list) = n.get(key).filter(|l| l.raw().starts_with('[')) {
            for e in list.elements() {
                object(e, hits, nesting + 1);
            }
            return;
        }
    }
    // JSON carried in a string: CloudTrail lookup output, the CLI's
    // `decode-authorization-message` output, and an Azure activity-log event's
    // `statusMessage` / `responseBody` (which repeat one error: one finding).
    let mut carried = false;
    for key in [
        "CloudTrailEvent",
        "DecodedMessage",
        "statusMessage",
        "responseBody",
    ] {
        if let Some(sn) = n.get(key).filter(|e| e.raw().starts_with("\"{")) {
            nested(n, sn, hits);
            carried = true;
        }
    }
    if carried {
        return;
    }
    if cloudtrail(n, hits) || decoded(n, hits) || aws_type(n, hits) || k8s_status(n, hits) {
        return;
    }
    if let Some(err) = n.get("error").filter(Node::is_object) {
        if gcp_status(n, err, hits) || gcp_v1(n, err, hits) || azure_error(n, err, hits) {
            return;
        }
    }
    if let Some(err) = n.get("Error").filter(Node::is_object) {
        aws_error(n, err, hits);
        return;
    }
    sdk_error(n, hits);
}

/// An SDK's error object as logged: `{"message": "...", "code": "AccessDenied",
/// "statusCode": 403, "requestId": "..."}` (the JavaScript SDK v2), or with
/// `errorCode` / `Code`. Any catalogue code in those members makes it a finding.
fn sdk_error(n: Node<'_>, hits: &mut Vec<Hit>) {
    let Some(code) = ["code", "Code", "errorCode", "ErrorCode"]
        .iter()
        .filter_map(|k| n.get(k))
        .find(|c| c.raw().starts_with('"') && code_info(slice(n.text, c.inner())).is_some())
    else {
        return;
    };
    // A lone code is an inner detail of some other error (Key Vault's
    // `innererror: {"code": "AccessDenied"}`); an error object also says what
    // happened or carries the response's status or request id.
    let described = ["message", "Message", "statusCode", "requestId", "RequestId"]
        .iter()
        .any(|k| n.get(k).is_some());
    if !described {
        return;
    }
    // The Azure SDKs' `RestError` carries the service's answer in
    // `details.error`, whose `innerError.code` says more than `Forbidden`.
    let rest_error = n.get("name").and_then(|v| v.string()).as_deref() == Some("RestError");
    let inner = n
        .path(&["details", "error", "innerError", "code"])
        .filter(|c| rest_error && c.string().and_then(|v| code_info(&v)).is_some());
    let code = inner.unwrap_or(code);
    let provider = code_info(slice(n.text, code.inner())).map_or(Provider::Unknown, |i| i.provider);
    let mut h = Hit::new(n.span, provider, P_CODE);
    h.code(n.text, code.inner(), P_CODE);
    if rest_error {
        h.provider = Some((Provider::Azure, Some(code.inner()), P_CODE));
    } else if provider == Provider::Kubernetes {
        // Kubernetes' Status reasons (`Forbidden`) are plain words other
        // services use as codes too; a Status object is read by
        // `k8s_status`, so here they name no provider.
        h.provider = None;
    }
    for key in ["statusCode", "httpStatusCode", "status", "StatusCode"] {
        if let Some(st) = n.get(key) {
            if let Some(v) = st.number().and_then(|v| u16::try_from(v).ok()) {
                if (400..600).contains(&v) {
                    h.status(v, st.span);
                    break;
                }
            }
        }
    }
    fact_from(
        &mut h,
        "requestId",
        n.get("requestId").or_else(|| n.get("RequestId")),
    );
    // SQS and others name only the endpoint: `Access to the resource
    // https://sqs.eu-west-1.amazonaws.com/ is denied.`
    if let Some(m) = n.get("message").or_else(|| n.get("Message")) {
        const LEAD: &str = "Access to the resource ";
        let inner = m.inner();
        if let Some(p) = scan::find_in(n.text, LEAD, inner.start, inner.end) {
            let r = scan::token(n.text, p + LEAD.len());
            if r.end <= inner.end && !r.is_empty() {
                Hit::set_str(&mut h.resource, n.text, r, P_DETAIL);
            }
        }
    }
    hits.push(h);
}

/// JSON held in a string (CloudTrail lookup output, `decode-authorization-message`
/// output, Azure activity-log `statusMessage`): recognised on its own, then every
/// span mapped back through the string's escapes to the exact bytes of the outer
/// text, so evidence points at the occurrence inside this string and nowhere else.
fn nested(outer: Node<'_>, string: Node<'_>, hits: &mut Vec<Hit>) {
    /// Strings longer than this are recognised without evidence spans, to keep the
    /// offset map small.
    const MAP_LIMIT: usize = 1 << 20;
    let Some((inner, map)) = unescape_with_map(string.raw(), string.span.start) else {
        return;
    };
    if serde_json::from_str::<serde::de::IgnoredAny>(&inner).is_err() {
        return;
    }
    let mut local = Vec::new();
    object(
        Node {
            text: &inner,
            span: Span::new(0, inner.len()),
        },
        &mut local,
        1,
    );
    let mapped = |sp: Span| -> Option<Span> {
        if inner.len() > MAP_LIMIT {
            return None;
        }
        let s = *map.get(sp.start)?;
        let e = *map.get(sp.end)?;
        (s < e).then(|| Span::new(s, e))
    };
    let outer_span = outer.span;
    for mut h in local {
        h.span = outer_span;
        macro_rules! fix {
            ($f:expr) => {
                if let Some(v) = $f.as_mut() {
                    v.1 = v.1.and_then(|sp| mapped(sp));
                }
            };
        }
        fix!(h.provider);
        fix!(h.error_code);
        fix!(h.http_status);
        fix!(h.gate);
        fix!(h.deny);
        fix!(h.policy_type);
        fix!(h.principal);
        fix!(h.action);
        fix!(h.resource);
        for f in &mut h.facts {
            f.span = mapped(f.span).unwrap_or(string.span);
        }
        hits.push(h);
    }
}

/// Decodes a JSON string literal (with its quotes) that starts at byte `base` of
/// the text, and maps every byte offset of the decoded string (and its end) to
/// the offset in the text of the escape or character it came from.
fn unescape_with_map(raw: &str, base: usize) -> Option<(String, Vec<usize>)> {
    let mut map = Vec::with_capacity(raw.len());
    let out = unescape(raw, base, Some(&mut map))?;
    Some((out, map))
}

/// Decodes a JSON string literal (with its quotes), or `None` when `raw` is not
/// one: an escape JSON does not have, a lone or mismatched surrogate, or a
/// control character. When `map` is given, every byte offset of the decoded
/// string (and its end) is pushed to it as the offset in the text of the escape
/// or character it came from, for a literal that starts at byte `base`.
///
/// Hand-written rather than `serde_json::from_str::<String>`, which would bring
/// typed deserialisation and its float-formatting error messages into the wasm.
fn unescape(raw: &str, base: usize, mut map: Option<&mut Vec<usize>>) -> Option<String> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let base = base + 1;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let decoded = if c == '\\' {
            let (_, e) = chars.next()?;
            match e {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => {
                    let hex = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
                        let mut v = 0u32;
                        for _ in 0..4 {
                            v = v * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        Some(v)
                    };
                    let hi = hex(&mut chars)?;
                    if (0xD800..0xDC00).contains(&hi) {
                        if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
                            return None;
                        }
                        let lo = hex(&mut chars)?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return None;
                        }
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                    } else {
                        char::from_u32(hi)?
                    }
                }
                _ => return None,
            }
        } else if c < ' ' || c == '"' {
            return None;
        } else {
            c
        };
        if let Some(map) = map.as_deref_mut() {
            for _ in 0..decoded.len_utf8() {
                map.push(base + i);
            }
        }
        out.push(decoded);
    }
    if let Some(map) = map {
        map.push(base + body.len());
    }
    Some(out)
}

fn set_from(field: &mut super::Val<String>, node: Option<Node<'_>>, prio: u8) {
    if let Some(n) = node {
        if let Some(s) = n.string().filter(|s| !s.is_empty()) {
            *field = Some((s, Some(n.inner()), prio));
        }
    }
}

fn fact_from(h: &mut Hit, key: &str, node: Option<Node<'_>>) {
    if let Some(n) = node {
        if let Some(s) = n.string().filter(|s| !s.is_empty()) {
            h.fact_value(key, s, n.inner());
        }
    }
}

/// Whether a CloudTrail `errorCode` is a denial.
fn denial_code(code: &str) -> bool {
    code_info(code).is_some_and(|i| i.provider == Provider::Aws)
        || code.ends_with("AccessDenied")
        || code.ends_with("AccessDeniedException")
        || code.ends_with("UnauthorizedOperation")
}

/// A CloudTrail event whose `errorCode` is a denial. The action is built from
/// `eventSource` (`s3.amazonaws.com` gives `s3`) and `eventName`.
fn cloudtrail(n: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    let (Some(src), Some(name)) = (n.get("eventSource"), n.get("eventName")) else {
        return false;
    };
    let Some(code) = n.get("errorCode") else {
        console_login_failure(n, name, hits);
        return true;
    };
    let Some(c) = code.string() else { return true };
    if !denial_code(&c) {
        return true;
    }
    let mut h = Hit::new(n.span, Provider::Aws, P_CODE);
    h.code(n.text, code.inner(), P_CODE);
    if code_info(&c).is_none() {
        h.error_code = Some((c, Some(code.inner()), P_CODE));
        h.gate = Some((Gate::Authorization, Some(code.inner()), P_CODE));
        h.http_status = Some(((403, false), Some(code.inner()), P_CODE));
    }
    // `eventName` is the API operation, which is not always the IAM action it
    // needs (S3's `ListObjects` is authorised by `s3:ListBucket`; CloudTrail
    // "record contents"): it is kept as the `operation` fact, and the action is
    // the IAM message's in `errorMessage`, or else the catalogue's for the
    // operation and `eventSource`.
    fact_from(&mut h, "eventSource", Some(src));
    let ui = n.get("userIdentity");
    set_from(&mut h.principal, ui.and_then(|u| u.get("arn")), P_CODE);
    if h.principal.is_none() {
        set_from(
            &mut h.principal,
            ui.and_then(|u| u.get("principalId")),
            P_CODE,
        );
    }
    if let Some(r) = n
        .get("resources")
        .and_then(|r| r.elements().into_iter().next())
    {
        set_from(
            &mut h.resource,
            r.get("ARN").or_else(|| r.get("arn")),
            P_CODE,
        );
    }
    fact_from(&mut h, "requestId", n.get("requestID"));
    fact_from(&mut h, "region", n.get("awsRegion"));
    fact_from(&mut h, "operation", Some(name));
    hits.push(h);
    true
}

/// A failed console sign-in as CloudTrail records it: `eventName` `ConsoleLogin`,
/// no `errorCode`, `responseElements.ConsoleLogin` `Failure` and an
/// `errorMessage` such as `Failed authentication` (CloudTrail, "AWS console
/// sign-in events"). The password or MFA was refused: authentication.
fn console_login_failure(n: Node<'_>, name: Node<'_>, hits: &mut Vec<Hit>) {
    if name.string().as_deref() != Some("ConsoleLogin") {
        return;
    }
    let Some(result) = n.path(&["responseElements", "ConsoleLogin"]) else {
        return;
    };
    if result.string().as_deref() != Some("Failure") {
        return;
    }
    let mut h = Hit::new(n.span, Provider::Aws, P_DETAIL);
    h.provider = Some((Provider::Aws, Some(result.inner()), P_DETAIL));
    h.gate = Some((Gate::Authentication, Some(result.inner()), P_DETAIL));
    let ui = n.get("userIdentity");
    set_from(&mut h.principal, ui.and_then(|u| u.get("arn")), P_DETAIL);
    fact_from(&mut h, "reason", n.get("errorMessage"));
    fact_from(&mut h, "operation", Some(name));
    hits.push(h);
}

/// The decoded authorization message from `aws sts decode-authorization-message`.
fn decoded(n: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    let (Some(allowed), Some(ctx)) = (n.get("allowed"), n.get("context")) else {
        return false;
    };
    if allowed.raw() != "false" {
        return true;
    }
    let mut h = Hit::new(n.span, Provider::Aws, P_STRONG);
    h.provider = Some((Provider::Aws, Some(allowed.span), P_STRONG));
    h.gate = Some((Gate::Authorization, Some(allowed.span), P_STRONG));
    if let Some(x) = n.get("explicitDeny") {
        let d = if x.raw() == "true" {
            DenyKind::Explicit
        } else {
            DenyKind::Implicit
        };
        h.deny = Some((d, Some(x.span), P_STRONG));
    }
    set_from(&mut h.principal, ctx.path(&["principal", "arn"]), P_STRONG);
    set_from(&mut h.action, ctx.get("action"), P_STRONG);
    set_from(&mut h.resource, ctx.get("resource"), P_STRONG);
    // The statements that matched the request (for an explicit deny, the Deny
    // statements that decided it), by their Sid: `matchedStatements.items[].statementId`.
    if let Some(items) = n.path(&["matchedStatements", "items"]) {
        for st in items.elements().into_iter().take(8) {
            if let Some(id) = st.get("statementId") {
                fact_from(&mut h, "matchedStatement", Some(id));
            }
        }
    }
    hits.push(h);
    true
}

/// `{"__type": "AccessDeniedException", "message": "..."}` (JSON protocol services);
/// the type may carry a namespace: `com.amazon.coral.service#AccessDeniedException`.
fn aws_type(n: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    let Some(t) = n.get("__type") else {
        return false;
    };
    let inner = t.inner();
    let raw = slice(n.text, inner);
    let code = raw
        .rfind('#')
        .map_or(inner, |i| Span::new(inner.start + i + 1, inner.end));
    if code_info(slice(n.text, code)).is_none() {
        return true;
    }
    let mut h = Hit::new(n.span, Provider::Aws, P_CODE);
    h.code(n.text, code, P_CODE);
    hits.push(h);
    true
}

/// `{"Error": {"Code": "AccessDenied", "Message": "..."}}` as some SDKs log it.
fn aws_error(n: Node<'_>, err: Node<'_>, hits: &mut Vec<Hit>) {
    let Some(code) = err.get("Code") else { return };
    if code_info(slice(n.text, code.inner())).is_none() {
        return;
    }
    let mut h = Hit::new(n.span, Provider::Aws, P_CODE);
    h.code(n.text, code.inner(), P_CODE);
    hits.push(h);
}

/// Google's older JSON API error (Cloud Storage JSON API, Drive, Gmail, and
/// the discovery-based clients): `{"error": {"code": 403, "message": ...,
/// "errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded", ...}]}}`
/// without a `status`. The first `reason` the catalogue knows is the code.
fn gcp_v1(n: Node<'_>, err: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    if err.get("status").is_some() {
        return false;
    }
    let Some(errors) = err.get("errors") else {
        return false;
    };
    let reason = errors.elements().into_iter().find_map(|e| {
        e.get("domain")?;
        let r = e.get("reason")?;
        let v = r.string()?;
        super::code_info(&v).filter(|i| i.provider == Provider::Gcp)?;
        Some(r)
    });
    let Some(reason) = reason else {
        return false;
    };
    let mut h = Hit::new(n.span, Provider::Gcp, P_CODE);
    if let Some(c) = err.get("code") {
        if let Some(v) = c.number().and_then(|v| u16::try_from(v).ok()) {
            h.status(v, c.span);
        }
    }
    h.code(n.text, reason.inner(), P_CODE);
    hits.push(h);
    true
}

/// `google.rpc.Status`: `{"error": {"code": 403, "message": ..., "status": "PERMISSION_DENIED",
/// "details": [{"@type": ".../google.rpc.ErrorInfo", "reason": ..., "metadata": {...}}]}}`.
fn gcp_status(n: Node<'_>, err: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    let Some(status) = err.get("status") else {
        return false;
    };
    let Some(st) = status.string() else {
        return false;
    };
    let constraint_violation = st == "FAILED_PRECONDITION" && names_constraint(err);
    if st != "PERMISSION_DENIED" && st != "UNAUTHENTICATED" && !constraint_violation {
        return true;
    }
    let mut h = Hit::new(n.span, Provider::Gcp, P_CODE);
    h.code(n.text, status.inner(), P_CODE);
    if constraint_violation {
        // An organization policy constraint refused the request; google.rpc.Code
        // maps FAILED_PRECONDITION to 400.
        h.error_code = Some((st.clone(), Some(status.inner()), P_CODE));
        h.provider = Some((Provider::Gcp, Some(status.inner()), P_CODE));
        h.http_status = Some(((400, false), Some(status.inner()), P_CODE));
        h.gate = Some((Gate::Authorization, Some(status.inner()), P_CODE));
    }
    if let Some(c) = err.get("code") {
        if let Some(v) = c.number().and_then(|v| u16::try_from(v).ok()) {
            h.status(v, c.span);
        }
    }
    let message = err
        .get("message")
        .and_then(|m| m.string())
        .unwrap_or_default();
    let mut policy: Option<(PolicyType, DenyKind, Span, u8)> = None;
    {
        let authz = st != "UNAUTHENTICATED";
        for d in err.get("details").map(|d| d.elements()).unwrap_or_default() {
            let ty = d.get("@type").and_then(|t| t.string()).unwrap_or_default();
            if ty.ends_with("google.rpc.ErrorInfo") {
                if let Some(r) = d.get("reason") {
                    let reason = r.string().unwrap_or_default();
                    h.fact_value("reason", reason.clone(), r.inner());
                    if reason == "SERVICE_DISABLED" {
                        // The API is not enabled in the project (googleapis
                        // error_reason.proto): no grant would change that. The
                        // project is the `consumer` the metadata names.
                        h.gate = Some((Gate::NotAuth, Some(r.inner()), P_STRONG));
                        set_from(&mut h.resource, d.path(&["metadata", "consumer"]), P_STRONG);
                        fact_from(&mut h, "service", d.path(&["metadata", "service"]));
                    }
                    if authz {
                        policy = policy.or(reason_policy(&reason, &message, r.inner()));
                    }
                }
                if !authz {
                    continue;
                }
                fact_from(&mut h, "domain", d.get("domain"));
                set_from(&mut h.action, d.path(&["metadata", "permission"]), P_CODE);
                // ErrorInfo's metadata names the resource as IAM checked it
                // (`projects/p`), which wins over the message's wording of it.
                set_from(&mut h.resource, d.path(&["metadata", "resource"]), P_STRONG);
                set_from(&mut h.principal, d.path(&["metadata", "principal"]), P_CODE);
            } else if authz && ty.ends_with("google.rpc.PreconditionFailure") {
                for v in d
                    .get("violations")
                    .map(|v| v.elements())
                    .unwrap_or_default()
                {
                    if let Some(t) = v.get("type") {
                        let tv = t.string().unwrap_or_default();
                        if tv.contains("VPC_SERVICE_CONTROLS") {
                            // A perimeter overrides any IAM grant: explicit, as
                            // the text recognisers read it too.
                            policy = Some((
                                PolicyType::GcpVpcServiceControls,
                                DenyKind::Explicit,
                                t.inner(),
                                P_STRONG,
                            ));
                        } else if tv.starts_with("constraints/") {
                            h.fact_value("constraint", tv, t.inner());
                            policy = Some((
                                PolicyType::GcpOrgPolicy,
                                DenyKind::Explicit,
                                t.inner(),
                                P_STRONG,
                            ));
                        }
                    }
                    if let Some(s) = v.get("subject") {
                        if let Some(sv) = s.string().filter(|x| !x.is_empty()) {
                            h.fact_value("vpcServiceControlsUniqueIdentifier", sv, s.inner());
                        }
                    }
                }
            }
        }
    }
    if let Some((p, d, span, prio)) = policy {
        h.policy_type = Some((p, Some(span), prio));
        h.deny = Some((d, Some(span), prio));
    }
    hits.push(h);
    true
}

/// Whether a `google.rpc.Status` carries a `PreconditionFailure` violation whose
/// type names an organization policy constraint.
fn names_constraint(err: Node<'_>) -> bool {
    err.get("details")
        .map(|d| d.elements())
        .unwrap_or_default()
        .into_iter()
        .flat_map(|d| {
            d.get("violations")
                .map(|v| v.elements())
                .unwrap_or_default()
        })
        .filter_map(|v| v.get("type").and_then(|t| t.string()))
        .any(|t| t.starts_with("constraints/"))
}

/// What an `ErrorInfo` reason says about the policy that refused.
fn reason_policy(
    reason: &str,
    message: &str,
    span: Span,
) -> Option<(PolicyType, DenyKind, Span, u8)> {
    let (p, d, prio) = match reason {
        "SECURITY_POLICY_VIOLATED" | "VPC_SERVICE_CONTROLS" => (
            PolicyType::GcpVpcServiceControls,
            DenyKind::Explicit,
            P_STRONG,
        ),
        "ORG_POLICY_CONSTRAINT_FAILED" => (PolicyType::GcpOrgPolicy, DenyKind::Explicit, P_STRONG),
        // The same reason covers a missing allow binding, a deny policy and a
        // principal access boundary (Google Cloud, "Troubleshoot permission error
        // messages"): only a message naming a deny policy decides the type.
        "IAM_PERMISSION_DENIED" if message.to_ascii_lowercase().contains("deny polic") => {
            (PolicyType::GcpIamDeny, DenyKind::Explicit, P_STRONG)
        }
        _ => return None,
    };
    Some((p, d, span, prio))
}

/// Azure Resource Manager: `{"error": {"code": "AuthorizationFailed", "message": "..."}}`.
fn azure_error(n: Node<'_>, err: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    let Some(code) = err.get("code") else {
        return false;
    };
    let Some(info) = code_info(slice(n.text, code.inner())) else {
        return false;
    };
    // Key Vault (and other Azure data planes) answer `{"error": {"code":
    // "Forbidden", "message": ..., "innererror": {"code": "SecretDisabled"}}}`:
    // the inner code is the one that says what happened, and the shape is
    // Azure's.
    let inner = ["innererror", "innerError"]
        .iter()
        .find_map(|k| err.path(&[k, "code"]));
    let known_inner = inner.filter(|c| c.string().and_then(|v| code_info(&v)).is_some());
    let mut h = Hit::new(n.span, info.provider, P_CODE);
    h.code(n.text, known_inner.unwrap_or(code).inner(), P_CODE);
    if inner.is_some() {
        h.provider = Some((Provider::Azure, Some(code.inner()), P_CODE));
    } else if info.provider == Provider::Kubernetes {
        // `Forbidden` alone is Kubernetes' only inside a Status object
        // (`kind: Status`), which `k8s_status` reads.
        h.provider = None;
    }
    hits.push(h);
    true
}

/// Kubernetes `{"kind": "Status", "status": "Failure", "reason": "Forbidden", "code": 403, ...}`.
fn k8s_status(n: Node<'_>, hits: &mut Vec<Hit>) -> bool {
    if n.get("kind").and_then(|k| k.string()).as_deref() != Some("Status") {
        return false;
    }
    let Some(reason) = n.get("reason") else {
        return true;
    };
    let r = reason.string().unwrap_or_default();
    let (gate, status) = match r.as_str() {
        "Forbidden" => (Gate::Authorization, 403),
        "Unauthorized" => (Gate::Authentication, 401),
        _ => return true,
    };
    let mut h = Hit::new(n.span, Provider::Kubernetes, P_CODE);
    h.provider = Some((Provider::Kubernetes, Some(reason.inner()), P_CODE));
    h.error_code = Some((r, Some(reason.inner()), P_CODE));
    h.gate = Some((gate, Some(reason.inner()), P_CODE));
    h.http_status = Some(((status, false), Some(reason.inner()), P_CODE));
    if let Some(c) = n.get("code") {
        if let Some(v) = c.number().and_then(|v| u16::try_from(v).ok()) {
            h.status(v, c.span);
        }
    }
    if let Some(d) = n.get("details") {
        fact_from(&mut h, "name", d.get("name"));
        if let Some(k) = d.get("kind") {
            Hit::set_str(&mut h.resource, n.text, k.inner(), P_GENERIC);
        }
    }
    let _ = P_DETAIL;
    hits.push(h);
    true
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::super::test_util::*;
    use crate::model::*;

    #[test]
    fn unescape_decodes_json_strings_as_serde_json_does() {
        // RFC 8259 section 7 (strings): the escapes, surrogate pairs, and the
        // characters that must be escaped.
        let cases = [
            r#""""#,
            r#""plain""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""caf\u00e9 \u20AC""#,
            r#""\ud83d\ude00 pair""#,
            r#""\uD83D\uDE00""#,
            "\"raw é € 😀\"",
            r#""lone \ud83d""#,
            r#""lone \ude00""#,
            r#""leading then not trailing \ud83d\u0041""#,
            r#""leading then private use \ud83d\ue000""#,
            r#""bad \x escape""#,
            r#""short \u12""#,
            r#""trailing backslash \""#,
            "\"tab\tinside\"",
            "\"nul\u{0}inside\"",
            r#""quote " inside""#,
            r#""unterminated"#,
            r#"not a string"#,
            "\"",
        ];
        for raw in cases {
            let ours = super::unescape(raw, 0, None);
            let serde = serde_json::from_str::<String>(raw).ok();
            assert_eq!(ours, serde, "{raw}");
        }
        // The offset map points each decoded byte at its source in the text.
        let (s, map) = super::unescape_with_map(r#""a\nb\u00e9""#, 10).unwrap();
        assert_eq!(s, "a\nb\u{e9}");
        assert_eq!(map, [11, 12, 14, 15, 15, 21]);
    }

    #[test]
    fn aws_json_body_with_message() {
        // Shape from the AWS JSON protocol error responses (x-amzn-ErrorType / __type).
        let t = r#"{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows the dynamodb:GetItem action"}"#;
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDeniedException"));
        assert_eq!(ev(t, &f, "errorCode"), "AccessDeniedException");
        // DynamoDB developer guide, "Error handling": AccessDeniedException is
        // an HTTP 400 error, as for every JSON-protocol service.
        assert_eq!(f.http_status, Some(400));
        assert_eq!(
            f.principal.as_deref(),
            Some("arn:aws:iam::123456789012:user/dev")
        );
        assert_eq!(f.action.as_deref(), Some("dynamodb:GetItem"));
        assert_eq!(
            f.resource.as_deref(),
            Some("arn:aws:dynamodb:us-east-1:123456789012:table/Orders")
        );
        assert_eq!(f.policy_type, Some(PolicyType::Identity));
        assert_eq!(f.span, crate::diag::Span::new(0, t.len()));
    }

    #[test]
    fn decoded_authorization_message() {
        // Fields as documented for sts:DecodeAuthorizationMessage.
        let t = r#"{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"DenyAll","effect":"DENY"}]},"failures":{"items":[]},"context":{"principal":{"id":"AROAEXAMPLE:dev","arn":"arn:aws:sts::123456789012:assumed-role/Dev/dev"},"action":"ec2:RunInstances","resource":"arn:aws:ec2:us-east-1:123456789012:instance/*","conditions":{"items":[]}}}"#;
        let f = one(t);
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(ev(t, &f, "deny"), "true");
        assert_eq!(
            f.principal.as_deref(),
            Some("arn:aws:sts::123456789012:assumed-role/Dev/dev")
        );
        assert_eq!(f.action.as_deref(), Some("ec2:RunInstances"));
        assert_eq!(ev(t, &f, "action"), "ec2:RunInstances");
        assert_eq!(
            f.resource.as_deref(),
            Some("arn:aws:ec2:us-east-1:123456789012:instance/*")
        );
        // The CLI wraps it in a string.
        let w = r#"{"DecodedMessage": "{\"allowed\":false,\"explicitDeny\":false,\"context\":{\"principal\":{\"arn\":\"arn:aws:iam::1:user/u\"},\"action\":\"ec2:StopInstances\",\"resource\":\"arn:aws:ec2:us-east-1:1:instance/i-1\"}}"}"#;
        let f = one(w);
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(f.action.as_deref(), Some("ec2:StopInstances"));
        assert_eq!(ev(w, &f, "principal"), "arn:aws:iam::1:user/u");
    }

    #[test]
    fn console_sign_in_failure() {
        // CloudTrail, "AWS console sign-in events": a failed sign-in has no
        // errorCode; responseElements.ConsoleLogin is "Failure".
        let t = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/anaya","userName":"anaya"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"Yes"},"errorMessage":"Failed authentication"}"#;
        let f = one(t);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(
            f.principal.as_deref(),
            Some("arn:aws:iam::111122223333:user/anaya")
        );
        assert_eq!(fact(&f, "reason"), Some("Failed authentication"));
        // A successful one is no denial.
        let ok = t
            .replace("\"Failure\"", "\"Success\"")
            .replace(",\"errorMessage\":\"Failed authentication\"", "");
        assert!(find(&ok).0.is_empty());
    }

    #[test]
    fn cloudtrail_records() {
        // Fields from the CloudTrail record contents reference.
        let t = r#"{"Records":[
 {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/App/i-1"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","errorCode":"AccessDenied","errorMessage":"Access Denied","requestID":"RQ1"},
 {"eventVersion":"1.08","userIdentity":{"arn":"arn:aws:iam::1:user/ok"},"eventSource":"s3.amazonaws.com","eventName":"ListBuckets"},
 {"userIdentity":{"arn":"arn:aws:iam::1:user/bob"},"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation. Encoded authorization failure message: ZZ9"}
]}"#;
        let (f, d) = find(t);
        assert!(d.is_empty());
        assert_eq!(f.len(), 2, "{f:#?}");
        // The event names the operation and the service: the action follows.
        assert_eq!(f[0].action.as_deref(), Some("s3:GetObject"));
        assert_eq!(fact(&f[0], "operation"), Some("GetObject"));
        assert_eq!(fact(&f[0], "eventSource"), Some("s3.amazonaws.com"));
        assert_eq!(
            f[0].principal.as_deref(),
            Some("arn:aws:sts::1:assumed-role/App/i-1")
        );
        assert_eq!(f[0].error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(fact(&f[0], "region"), Some("eu-west-1"));
        assert_eq!(fact(&f[0], "requestId"), Some("RQ1"));
        assert_eq!(
            f[1].error_code.as_deref(),
            Some("Client.UnauthorizedOperation")
        );
        assert_eq!(fact(&f[1], "operation"), Some("RunInstances"));
        assert_eq!(fact(&f[1], "encodedMessage"), Some("ZZ9"));
    }

    #[test]
    fn gcp_rpc_status_variants() {
        // Shapes from the Google Cloud APIs "Errors" guide (google.rpc.Status + ErrorInfo).
        let t = r#"{"error":{"code":403,"message":"Permission 'storage.buckets.get' denied on resource (or it may not exist).","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"IAM_PERMISSION_DENIED","domain":"iam.googleapis.com","metadata":{"permission":"storage.buckets.get","resource":"projects/_/buckets/b1"}}]}}"#;
        let f = one(t);
        assert_eq!(f.provider, Provider::Gcp);
        assert_eq!(f.error_code.as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        // IAM_PERMISSION_DENIED alone does not say which policy refused.
        assert_eq!(f.policy_type, None);
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.action.as_deref(), Some("storage.buckets.get"));
        assert_eq!(f.resource.as_deref(), Some("projects/_/buckets/b1"));
        assert_eq!(fact(&f, "reason"), Some("IAM_PERMISSION_DENIED"));
        let t = r#"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#;
        let f = one(t);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.http_status, Some(401));
        let t = r#"{"error":{"code":403,"message":"Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: ABC123","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.PreconditionFailure","violations":[{"type":"VPC_SERVICE_CONTROLS","description":"ABC123"}]},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SECURITY_POLICY_VIOLATED","domain":"googleapis.com"}]}}"#;
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::GcpVpcServiceControls));
        assert_eq!(
            fact(&f, "vpcServiceControlsUniqueIdentifier"),
            Some("ABC123")
        );
    }

    #[test]
    fn azure_arm_and_k8s_status() {
        // ARM error shape from "Troubleshoot common Azure deployment errors".
        let t = r#"{"error":{"code":"AuthorizationFailed","message":"The client 'dev@contoso.com' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/1111/resourceGroups/rg1' or the scope is invalid. If access was recently granted, please refresh your credentials."}}"#;
        let f = one(t);
        assert_eq!(f.provider, Provider::Azure);
        assert_eq!(f.error_code.as_deref(), Some("AuthorizationFailed"));
        assert_eq!(f.policy_type, Some(PolicyType::AzureRbac));
        // The object id names the principal; the client name is a fact.
        assert_eq!(
            f.principal.as_deref(),
            Some("00000000-0000-0000-0000-000000000001")
        );
        assert_eq!(
            f.action.as_deref(),
            Some("Microsoft.Compute/virtualMachines/read")
        );
        assert_eq!(
            f.resource.as_deref(),
            Some("/subscriptions/1111/resourceGroups/rg1")
        );
        assert_eq!(
            fact(&f, "objectId"),
            Some("00000000-0000-0000-0000-000000000001")
        );
        // Kubernetes API Status object (API concepts, "Responses").
        let t = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-1\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"prod\"","reason":"Forbidden","details":{"name":"web-1","kind":"pods"},"code":403}"#;
        let f = one(t);
        assert_eq!(f.provider, Provider::Kubernetes);
        assert_eq!(f.error_code.as_deref(), Some("Forbidden"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.principal.as_deref(), Some("jane"));
        assert_eq!(f.action.as_deref(), Some("get"));
        assert_eq!(f.resource.as_deref(), Some("pods"));
        assert_eq!(fact(&f, "namespace"), Some("prod"));
        assert_eq!(fact(&f, "apiGroup"), Some(""));
        assert_eq!(f.policy_type, None);
    }

    #[test]
    fn invalid_json_gives_a_located_diagnostic_and_the_rest_is_analysed() {
        let t = "line one\n{\"error\": {\"code\": 403,, \"status\": \"PERMISSION_DENIED\"}}\nUser: arn:aws:iam::1:user/a is not authorized to perform: s3:ListBucket";
        let (f, d) = find(t);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "json.syntax");
        assert_eq!(d[0].labels[0].line, 2);
        assert_eq!(f.iter().filter(|x| x.provider == Provider::Aws).count(), 1);
    }

    #[test]
    fn deep_nesting_and_garbage_do_not_panic() {
        let deep = "{\"a\":".repeat(100_000);
        let (_, d) = find(&deep);
        assert!(d.iter().any(|x| x.code == "json.too-deep"));
        let _ = find(&"[".repeat(100_000));
        let garbage: String = (0..20_000u32)
            .filter_map(|i| char::from_u32((i * 7919) % 0x10FFFF))
            .collect();
        let _ = find(&garbage);
    }
}
