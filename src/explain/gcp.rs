//! Google Cloud text forms: `Permission '...' denied on resource '...'` from
//! gcloud, client libraries and Terraform, `PERMISSION_DENIED` / `UNAUTHENTICATED`,
//! VPC Service Controls and organization policy violations, deny policies.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{DenyKind, Gate, PolicyType, Provider};
use crate::scan::{
    at, at_phrase, byte, find_all, find_ci_in, find_in, is_word, line_end, line_start,
    line_start_within, skip_blank, skip_ws, slice, status_at, token, trim_trailing, value,
    whole_word,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    permission(text, hits);
    required(text, hits);
    does_not_have(text, hits);
    codes(text, hits);
    googleapi(text, hits);
    phrases(text, hits);
    vpc_sc(text, hits);
    org_policy(text, hits);
    bigquery(text, hits);
    grpc_status(text, hits);
    missing_permission(text, hits);
    permitted_customer(text, hits);
    project_access(text, hits);
    resource_refusals(text, hits);
    iap_tunnel(text, hits);
    iap_app(text, hits);
    access_token_for(text, hits);
    must_have_permission(text, hits);
}

/// gcloud's and firebase's deploy check before it calls the API: `Missing
/// permissions required for functions deploy. You must have permission
/// iam.serviceAccounts.ActAs on service account SA.` The deployer lacks the
/// Service Account User role on the runtime service account.
fn must_have_permission(text: &str, hits: &mut Vec<Hit>) {
    const LEAD: &str = "You must have permission ";
    for pos in find_all(text, LEAD) {
        let perm = token(text, pos + LEAD.len());
        if !slice(text, perm).contains('.') || !at(text, perm.end, " on ") {
            continue;
        }
        let phrase = Span::new(pos, perm.end);
        let mut h = Hit::phrase(text, phrase, Provider::Gcp, Gate::Authorization);
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::GcpIamAllow, Some(phrase), P_GENERIC));
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        let on = perm.end + " on ".len();
        let target = if at(text, on, "service account ") {
            on + "service account ".len()
        } else {
            on
        };
        let r = trim_trailing(text, token(text, target), b".,");
        if !r.is_empty() {
            Hit::set_str(&mut h.resource, text, r, P_DETAIL);
        }
        hits.push(h);
    }
}

/// google-github-actions/auth impersonating a service account through
/// workload identity federation: `failed to generate Google Cloud access
/// token for SA: {"error": {"code": 403, ...` The federated principal lacks
/// `iam.serviceAccounts.getAccessToken` on the service account (the Service
/// Account Token Creator role, or Workload Identity User for the pool's
/// principals): IAM Service Account Credentials API, generateAccessToken.
fn access_token_for(text: &str, hits: &mut Vec<Hit>) {
    // The step before: exchanging the CI's OIDC token at Google's STS
    // (`failed to generate Google Cloud federated token for PROVIDER:
    // {"error":"invalid_request", ...}`): the exchange itself failed, an
    // authentication problem (a wrong provider name or audience, an
    // attribute condition that rejects the token).
    const FEDERATED: &str = "failed to generate Google Cloud federated token for ";
    for pos in find_all(text, FEDERATED) {
        let le = line_end(text, pos);
        let s = pos + FEDERATED.len();
        let Some(b) = find_in(text, ": {", s, le) else {
            continue;
        };
        let Some(e) = find_in(text, "\"error\":\"", b, le) else {
            continue;
        };
        let cs = e + "\"error\":\"".len();
        let Some(ce) = find_in(text, "\"", cs, le) else {
            continue;
        };
        let phrase = Span::new(pos, pos + FEDERATED.len() - 5);
        let mut h = Hit::phrase(text, phrase, Provider::Gcp, Gate::Authentication);
        h.error_code = Some((
            slice(text, Span::new(cs, ce)).to_owned(),
            Some(Span::new(cs, ce)),
            P_DETAIL,
        ));
        Hit::set_str(&mut h.resource, text, Span::new(s, b), P_DETAIL);
        hits.push(h);
    }
    const LEAD: &str = "failed to generate Google Cloud access token for ";
    for pos in find_all(text, LEAD) {
        let sa = token(text, pos + LEAD.len());
        let sa = Span::new(
            sa.start,
            sa.end - usize::from(slice(text, sa).ends_with(':')),
        );
        if !slice(text, sa).ends_with(".gserviceaccount.com") {
            continue;
        }
        let to = crate::scan::ceil_boundary(text, (sa.end + 200).min(text.len()));
        let Some(c) = find_in(text, "\"code\": ", sa.end, to) else {
            continue;
        };
        let st = c + "\"code\": ".len();
        let Some(code) = status_at(text, st) else {
            continue;
        };
        let gate = match code {
            403 => Gate::Authorization,
            401 => Gate::Authentication,
            _ => continue,
        };
        let phrase = Span::new(pos, pos + LEAD.len() - 5);
        let mut h = Hit::phrase(text, phrase, Provider::Gcp, gate);
        h.status(code, Span::new(st, st + 3));
        h.span = Span::new(h.span.start, line_end(text, st));
        Hit::set_str(&mut h.resource, text, sa, P_DETAIL);
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
            h.policy_type = Some((PolicyType::GcpIamAllow, Some(phrase), P_GENERIC));
            h.action = Some((
                "iam.serviceAccounts.getAccessToken".to_owned(),
                Some(phrase),
                P_GENERIC,
            ));
        }
        hits.push(h);
    }
}

/// IAP in front of a web application, as Google's samples for calling it
/// with a service account's ID token print its 403: `Service account SA does
/// not have permission to access the IAP-protected application.` The caller
/// lacks `iap.webServiceVersions.accessViaIAP` (the IAP-secured Web App User
/// role) on the application (Identity-Aware Proxy, "Managing access").
fn iap_app(text: &str, hits: &mut Vec<Hit>) {
    const LACKS: &str = " does not have permission to access the IAP-protected application";
    for pos in find_all(text, LACKS) {
        let phrase = Span::new(pos + 1, pos + LACKS.len());
        let mut h = Hit::phrase(text, phrase, Provider::Gcp, Gate::Authorization);
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::GcpIamAllow, Some(phrase), P_GENERIC));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        h.action = Some((
            "iap.webServiceVersions.accessViaIAP".to_owned(),
            Some(phrase),
            P_GENERIC,
        ));
        let ls = line_start(text, pos);
        // `Service account SA` or `User U` just before.
        let who = text
            .get(ls..pos)
            .and_then(|b| b.rfind(' '))
            .map(|i| ls + i + 1);
        if let Some(w) = who {
            let v = Span::new(w, pos);
            if slice(text, v).contains('@') {
                Hit::set_str(&mut h.principal, text, v, P_DETAIL);
            }
        }
        hits.push(h);
    }
}

/// IAP TCP forwarding's close codes, as `gcloud compute start-iap-tunnel`
/// (and `ssh --tunnel-through-iap`) print them: `Error while connecting
/// [4033: 'not authorized']`. 4033 is the refusal: the caller lacks
/// `iap.tunnelInstances.accessViaIAP` (the IAP-secured Tunnel User role) on
/// the instance; 4003 (the backend refused the connection: a firewall or the
/// port) and 4047 (the instance could not be found) are not access decisions
/// (Identity-Aware Proxy, "Troubleshooting": TCP forwarding error codes).
fn iap_tunnel(text: &str, hits: &mut Vec<Hit>) {
    const AT: &str = "Error while connecting [";
    for pos in find_all(text, AT) {
        let s = pos + AT.len();
        let code = token(text, s);
        let c = slice(text, code).trim_end_matches(':');
        if c.len() != 4 || !c.starts_with('4') || !c.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let span = Span::new(code.start, code.start + 4);
        let gate = if c == "4033" {
            Gate::Authorization
        } else {
            Gate::NotAuth
        };
        let mut h = Hit::phrase(text, span, Provider::Gcp, gate);
        h.error_code = Some((c.to_owned(), Some(span), P_DETAIL));
        h.fact_value(
            "service",
            "Identity-Aware Proxy TCP forwarding".to_owned(),
            span,
        );
        if let Some(r) = value(text, skip_blank(text, code.end)) {
            h.fact("reason", text, r);
        }
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Implicit, Some(span), P_GENERIC));
            h.policy_type = Some((PolicyType::GcpIamAllow, Some(span), P_GENERIC));
            h.action = Some((
                "iap.tunnelInstances.accessViaIAP".to_owned(),
                Some(span),
                P_GENERIC,
            ));
        }
        hits.push(h);
    }
}

/// Two sentences Google APIs send without a principal: `Unauthenticated
/// requests do not have permission "P" on resource "R" (or it may not exist)`
/// (no credential reached the API: authentication), and `permission denied on
/// resource 'R' (or it may not exist)` (Resource Manager's project lookup:
/// the caller may not see the project, or it does not exist).
fn resource_refusals(text: &str, hits: &mut Vec<Hit>) {
    const UNAUTH: &str = "Unauthenticated requests do not have permission ";
    const DENIED: &str = "permission denied on resource ";
    for (anchor, gate) in [
        (UNAUTH, Gate::Authentication),
        (DENIED, Gate::Authorization),
    ] {
        for pos in find_all(text, anchor) {
            let le = line_end(text, pos);
            let phrase = Span::new(pos, pos + anchor.len() - 1);
            let mut h = Hit::new(
                Span::new(line_start(text, pos), le),
                Provider::Gcp,
                P_DETAIL,
            );
            h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
            h.gate = Some((gate, Some(phrase), P_DETAIL));
            if gate == Gate::Authorization {
                h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
            }
            let mut r = pos + anchor.len();
            if gate == Gate::Authentication {
                let Some(q) = crate::scan::quoted(text, r) else {
                    continue;
                };
                if is_permission(slice(text, q)) {
                    Hit::set_str(&mut h.action, text, q, P_DETAIL);
                }
                r = q.end + 1;
                if !at(text, r, " on resource ") {
                    hits.push(h);
                    continue;
                }
                r += " on resource ".len();
            }
            if let Some(q) = crate::scan::quoted(text, r) {
                Hit::set_str(&mut h.resource, text, q, P_DETAIL);
                if at(text, q.end + 1, " (or it may not exist)") {
                    h.fact_value("mayConceal", "404".to_owned(), phrase);
                }
            }
            hits.push(h);
        }
    }
}

/// Go's gRPC status, which Google's Go clients print: `rpc error: code =
/// PermissionDenied desc = Caller is missing IAM permission
/// spanner.databases.list on resource projects/p`. The code is gRPC's
/// (`PermissionDenied` maps to 403, `Unauthenticated` to 401: gRPC "Status
/// codes and their use", and Google's `google.rpc.Code`); the service is
/// Google's only where the description says so.
fn grpc_status(text: &str, hits: &mut Vec<Hit>) {
    // Also the older Go clients' `spanner: code = "PermissionDenied", desc = "..."`.
    // Ruby's gRPC raises `GRPC::PermissionDenied: 7:message` (or `7:` right
    // after a blank).
    let anchors = find_all(text, "code = ")
        .into_iter()
        .map(|p| (p, "code = ".len()))
        .chain(
            find_all(text, "GRPC::")
                .into_iter()
                .map(|p| (p, "GRPC::".len())),
        );
    for (pos, len) in anchors {
        let cs = pos + len + usize::from(byte(text, pos + len) == b'"');
        let ends = |c: &str| matches!(byte(text, cs + c.len()), b' ' | b'"' | b',' | b':');
        let (code, gate, status) = if at(text, cs, "PermissionDenied") && ends("PermissionDenied") {
            ("PermissionDenied", Gate::Authorization, 403)
        } else if at(text, cs, "Unauthenticated") && ends("Unauthenticated") {
            ("Unauthenticated", Gate::Authentication, 401)
        } else {
            continue;
        };
        let cspan = Span::new(cs, cs + code.len());
        let le = line_end(text, pos);
        // The provider stays open (priority 0) unless the description names Google.
        let mut h = Hit::new(Span::new(pos, le), Provider::Unknown, 0);
        h.error_code = Some((code.to_owned(), Some(cspan), P_CODE));
        h.gate = Some((gate, Some(cspan), P_CODE));
        h.http_status = Some(((status, false), Some(cspan), P_GENERIC));
        // The description, and the line after it where a token endpoint's
        // answer often follows (`Response: {"error":"invalid_scope",...}`).
        let desc = slice(text, Span::new(cspan.end, line_end(text, le + 1)));
        if [
            "IAM permission",
            "googleapis.com",
            "gserviceaccount.com",
            "Google",
            // Google's token endpoint's words for `invalid_scope`.
            "Invalid OAuth scope or ID token audience",
        ]
        .iter()
        .any(|m| desc.contains(m))
        {
            h.provider = Some((Provider::Gcp, Some(cspan), P_DETAIL));
        }
        hits.push(h);
    }
}

/// `missing IAM permission <permission> on resource <name>` and Spanner's
/// `Resource <name> is missing IAM permission: <permission>.` (gRPC APIs, in
/// every client's wrapper): the action and resource.
fn missing_permission(text: &str, hits: &mut Vec<Hit>) {
    const MISSING: &str = "issing IAM permission";
    for m in find_all(text, MISSING) {
        // `missing` or `Missing`.
        let Some(m) = m
            .checked_sub(1)
            .filter(|&p| matches!(byte(text, p), b'm' | b'M'))
        else {
            continue;
        };
        let mut p = m + 1 + MISSING.len();
        if byte(text, p) == b':' {
            p += 1;
        }
        let perm = trim_trailing(text, token(text, skip_blank(text, p)), b".,;");
        if !slice(text, perm).contains('.') {
            continue;
        }
        let ls = line_start(text, m);
        let phrase = Span::new(m, m + 1 + MISSING.len());
        let mut h = Hit::new(Span::new(ls, line_end(text, m)), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        let on = skip_blank(text, perm.end);
        let before = text.get(ls..m).unwrap_or("");
        if at(text, on, "on resource ") {
            let r = trim_trailing(text, token(text, on + 12), b".,;");
            Hit::set_str(&mut h.resource, text, r, P_DETAIL);
        } else if let Some(r) = before.rfind("Resource ") {
            // `Resource <name> is missing ...`
            let rs = ls + r + "Resource ".len();
            let name = token(text, rs);
            if at(text, skip_blank(text, name.end), "is missing") {
                Hit::set_str(&mut h.resource, text, name, P_DETAIL);
            }
        }
        hits.push(h);
    }
}

/// Domain restricted sharing, the organization policy constraint
/// `iam.allowedPolicyMemberDomains` (Google Cloud, "Restricting identities by
/// domain"): an IAM policy that names a member outside the allowed customers
/// is refused with `One or more users named in the policy do not belong to a
/// permitted customer`, without naming the constraint.
fn permitted_customer(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "do not belong to a permitted customer";
    for pos in find_all(text, ANCHOR) {
        let span = Span::new(pos, pos + ANCHOR.len());
        let ls = line_start(text, pos);
        let mut h = Hit::new(Span::new(ls, line_end(text, pos)), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(span), P_DETAIL));
        h.policy_type = Some((PolicyType::GcpOrgPolicy, Some(span), P_DETAIL));
        h.fact_value(
            "constraint",
            "constraints/iam.allowedPolicyMemberDomains".to_owned(),
            span,
        );
        hits.push(h);
    }
}

/// The Terraform Google provider's check of a project: `the user does not have
/// permission to access Project "p" or it may not exist`.
fn project_access(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "does not have permission to access Project ";
    for pos in find_all(text, ANCHOR) {
        let span = Span::new(pos, pos + ANCHOR.len() - 1);
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
        if let Some(q) = crate::scan::quoted(text, pos + ANCHOR.len()) {
            if !q.is_empty() {
                h.resource = Some((format!("projects/{}", slice(text, q)), Some(q), P_DETAIL));
            }
        }
        hits.push(h);
    }
}

/// BigQuery's `accessDenied` message: `Access Denied: Project p: User does not
/// have bigquery.jobs.create permission in project p.` or `Access Denied: Table
/// p:d.t: User does not have permission to query table p:d.t, or perhaps it does
/// not exist.` (bq, the console and the client libraries). BigQuery's 'Error
/// messages' page maps `accessDenied` to HTTP 403.
fn bigquery(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Access Denied: ";
    const KINDS: [&str; 6] = [
        "Project ", "Dataset ", "Table ", "View ", "Routine ", "Model ",
    ];
    let mut prev_end = 0;
    for pos in find_all(text, ANCHOR) {
        if pos < prev_end {
            continue;
        }
        let ks = pos + ANCHOR.len();
        let Some(kind) = KINDS.iter().find(|k| at(text, ks, k)) else {
            continue;
        };
        let ns = ks + kind.len();
        // A placeholder someone put in for the name (`<project-name>`).
        let name = if byte(text, ns) == b'<' {
            match find_in(text, ">:", ns, line_end(text, ns)) {
                Some(e) => Span::new(ns, e + 2),
                None => continue,
            }
        } else {
            token(text, ns)
        };
        // The name ends at the colon before the sentence; a domain-scoped
        // project (`example.com:p`) keeps its own colon.
        if !slice(text, name).ends_with(':') || name.end - ns < 2 {
            continue;
        }
        let name = Span::new(ns, name.end - 1);
        // `User does not have ...`, or `The user a@b.c does not have ...`.
        const USER: &str = " User does not have ";
        const THE_USER: &str = " The user ";
        let mut who = None;
        let us = if at(text, name.end + 1, USER) {
            name.end + 1 + USER.len()
        } else if at(text, name.end + 1, THE_USER) {
            let w = token(text, name.end + 1 + THE_USER.len());
            if !at(text, w.end, " does not have ") {
                continue;
            }
            who = Some(w);
            w.end + " does not have ".len()
        } else {
            continue;
        };
        let le = line_end(text, pos);
        let phrase = Span::new(pos, pos + ANCHOR.len() - 2);
        let mut h = Hit::new(Span::new(pos, le), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        Hit::set_str(&mut h.resource, text, name, P_DETAIL);
        if let Some(w) = who {
            Hit::set_str(&mut h.principal, text, w, P_DETAIL);
        }
        let perm = token(text, us);
        if slice(text, perm).contains('.') && at(text, perm.end, " permission") {
            Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        }
        // One sentence: up to `. ` or `; ` (names hold dots but no blanks).
        let end = [find_in(text, ". ", us, le), find_in(text, "; ", us, le)]
            .into_iter()
            .flatten()
            .min()
            .map_or(le, |e| e + 1);
        h.span = Span::new(pos, end);
        prev_end = end;
        hits.push(h);
    }
}

fn line_of(text: &str, pos: usize) -> Span {
    Span::new(line_start(text, pos), line_end(text, pos))
}

/// Whether the line mentions a deny policy (IAM deny policies name themselves in
/// the message; allow-policy denials do not).
fn deny_wording(text: &str, line: Span) -> Option<Span> {
    let s = find_ci_in(text, "deny polic", line.start, line.end + 9)?;
    Some(Span::new(s, s + "deny polic".len()))
}

/// `Permission 'x.y.z' denied on resource 'r' (or it may not exist).`, also with
/// `for resource` (Python client library) and unquoted (IAM v2 API).
fn permission(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "Permission ") {
        let open = skip_blank(text, pos + "Permission ".len());
        let Some(perm) = value(text, open) else {
            continue;
        };
        // Quoted: the value starts after its opening quote (`'`, `\'`, or
        // the typographic `‘` a rich-text paste turns it into).
        let quoted = perm.start > open;
        if !quoted && !slice(text, perm).contains('.') {
            continue;
        }
        let after = if quoted {
            let esc = usize::from(byte(text, perm.end) == b'\\');
            let close = text
                .get(perm.end + esc..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
            perm.end + esc + close
        } else {
            perm.end
        };
        let after = skip_blank(text, after);
        // The IAM Service Account Credentials API says `Permission X is
        // required to perform this operation on service account NAME.`
        const REQUIRED: &str = "is required to perform this operation on ";
        if at(text, after, REQUIRED) {
            required_on(text, pos, perm, after + REQUIRED.len(), hits);
            continue;
        }
        if !at(text, after, "denied") {
            continue;
        }
        let line = line_of(text, pos);
        let mut end = after + "denied".len();
        let mut h = Hit::new(Span::new(pos, end), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(Span::new(pos, end)), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(Span::new(pos, end)), P_DETAIL));
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        let r = skip_blank(text, end);
        if at(text, r, "on service account ") {
            // The IAM message for `actAs` and token creation names the
            // service account, bare or as a Markdown link `[sa](mailto:sa)`.
            let rs = r + "on service account ".len();
            let b = usize::from(byte(text, rs) == b'[');
            let name = if b == 1 {
                find_in(text, "]", rs, line_end(text, rs)).map(|e| Span::new(rs + 1, e))
            } else {
                value(text, rs)
            };
            if let Some(res) = name.filter(|n| !n.is_empty()) {
                Hit::set_str(&mut h.resource, text, res, P_DETAIL);
                end = res.end;
            }
        } else if at(text, r, "on resource ") || at(text, r, "for resource ") {
            let label = if at(text, r, "on") { 11 } else { 12 };
            let rs = skip_blank(text, r + label + 1);
            if matches!(byte(text, rs), b'\'' | b'"' | b'\\') {
                if let Some(res) = value(text, rs) {
                    Hit::set_str(&mut h.resource, text, res, P_DETAIL);
                    end = res.end + 1;
                }
            } else if !quoted && byte(text, rs) != b'(' {
                // The unquoted form names the resource as a bare token.
                if let Some(res) = value(text, rs) {
                    Hit::set_str(&mut h.resource, text, res, P_DETAIL);
                    end = res.end;
                }
            } else {
                end = r + label;
            }
        }
        if let Some(p) = find_in(text, "(or it may not exist)", end, end + 2 + 21) {
            end = p + "(or it may not exist)".len();
        }
        // Google Cloud's "Troubleshoot permission error messages" page: the same
        // message is shown for a missing allow binding, a deny policy and a
        // principal access boundary, so only a message that names a deny policy
        // decides the policy type and deny kind.
        if let Some(d) = deny_wording(text, line) {
            h.policy_type = Some((PolicyType::GcpIamDeny, Some(d), P_STRONG));
            h.deny = Some((DenyKind::Explicit, Some(d), P_STRONG));
        }
        principal_near(text, line, &mut h);
        if h.principal.is_none() {
            audit_log_principal(text, pos, &mut h);
        }
        h.span = Span::new(pos, end);
        hits.push(h);
    }
}

/// `Permission X is required to perform this operation on [service account]
/// NAME.`: the permission and the resource, both named; NAME ends at the
/// sentence's period (an e-mail address holds periods of its own).
fn required_on(text: &str, pos: usize, perm: Span, rs: usize, hits: &mut Vec<Hit>) {
    const KINDS: [&str; 2] = ["service account ", "resource "];
    let rs = KINDS
        .iter()
        .find(|k| at(text, rs, k))
        .map_or(rs, |k| rs + k.len());
    let name = trim_trailing(text, token(text, rs), b".,;'\"");
    let end = name.end.max(rs);
    let span = Span::new(pos, end);
    let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
    h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
    h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
    Hit::set_str(&mut h.action, text, perm, P_DETAIL);
    if !name.is_empty() {
        Hit::set_str(&mut h.resource, text, name, P_DETAIL);
    }
    principal_near(text, line_of(text, pos), &mut h);
    hits.push(h);
}

/// Whether `phrase` ends right before `pos` (`... grant Storage Object Viewer`
/// before ` permission to`).
fn at_phrase_before(text: &str, pos: usize, phrase: &str) -> bool {
    pos.checked_sub(phrase.len())
        .is_some_and(|s| at(text, s, phrase))
}

/// Whether `near` names a URL whose host is not one of Google Cloud's
/// serving domains.
fn other_host(near: &str) -> bool {
    const GOOGLE: [&str; 7] = [
        ".run.app",
        ".appspot.com",
        ".cloudfunctions.net",
        ".googleapis.com",
        ".googleusercontent.com",
        ".web.app",
        ".firebaseapp.com",
    ];
    ["http://", "https://"].iter().any(|scheme| {
        near.match_indices(scheme).any(|(i, _)| {
            let rest = near.get(i + scheme.len()..).unwrap_or("");
            let host = rest
                .split(|c: char| c == '/' || c == ':' || c == '"' || c.is_whitespace())
                .next()
                .unwrap_or("");
            !host.is_empty() && !GOOGLE.iter().any(|g| host.ends_with(g))
        })
    })
}

/// A principal named on the line: `for principal 'x'`, gcloud's `[x] does not
/// have permission`, or Cloud Storage's `x does not have storage.objects.get access`.
fn principal_near(text: &str, line: Span, h: &mut Hit) {
    if let Some(p) = find_in(text, "for principal ", line.start, line.end + 13) {
        if let Some(v) = value(text, p + "for principal ".len()) {
            Hit::set_str(&mut h.principal, text, v, P_DETAIL);
        }
    }
    // gcloud adds `This command is authenticated as ACCOUNT using the
    // credentials in ...` to a refusal.
    const AS: &str = "command is authenticated as ";
    if h.principal.is_none() {
        if let Some(p) = find_in(text, AS, line.start, line.end) {
            if let Some(v) = value(text, p + AS.len()).filter(|v| slice(text, *v).contains('@')) {
                Hit::set_str(&mut h.principal, text, v, P_DETAIL);
            }
        }
    }
}

/// Cloud Audit Logs entries name the caller in `authenticationInfo.principalEmail`,
/// a few lines above the status message (YAML or JSON, as the Logs Explorer
/// shows them).
fn audit_log_principal(text: &str, pos: usize, h: &mut Hit) {
    const KEY: &str = "principalEmail";
    let from = pos.saturating_sub(crate::scan::BACK_CAP);
    let window = text
        .get(crate::scan::ceil_boundary(text, from)..pos)
        .unwrap_or("");
    let Some(k) = window.rfind(KEY) else { return };
    let k = pos - window.len() + k;
    let mut v = k + KEY.len();
    if byte(text, v) == b'"' {
        v += 1;
    }
    if byte(text, v) != b':' {
        return;
    }
    if let Some(val) = value(text, v + 1) {
        Hit::set_str(&mut h.principal, text, val, P_DETAIL);
        h.span.start = h.span.start.min(k);
    }
}

/// `Required 'compute.instances.list' permission for 'projects/p'`, as gcloud
/// compute and the Compute Engine API (through Terraform) word a missing permission.
fn required(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Required";
    // (permission, resource, index in `hits`) of the previous message, so that
    // googleapi's `More details:` repetition of it joins the same finding.
    let mut prev: Option<(String, String, usize)> = None;
    for pos in find_all(text, ANCHOR) {
        // Terraform wraps long messages, so the parts may be on separate lines.
        let ps = skip_ws(text, pos + ANCHOR.len());
        if ps == pos + ANCHOR.len() || ps > pos + ANCHOR.len() + 64 {
            continue;
        }
        let Some(perm) = value(text, ps).filter(|_| matches!(byte(text, ps), b'\'' | b'"')) else {
            continue;
        };
        let after = perm.end + 1;
        let Some(pe) = at_phrase(text, after, " permission")
            .filter(|_| byte(text, after).is_ascii_whitespace())
        else {
            continue;
        };
        if !slice(text, perm).contains('.') {
            continue;
        }
        let phrase = Span::new(pos, pe);
        let mut h = Hit::new(phrase, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        let mut end = phrase.end;
        let mut res = String::new();
        if let Some(f) =
            at_phrase(text, end, " for ").filter(|_| byte(text, end).is_ascii_whitespace())
        {
            let rs = skip_ws(text, f);
            if rs <= f + 64 && matches!(byte(text, rs), b'\'' | b'"') {
                if let Some(r) = value(text, rs) {
                    Hit::set_str(&mut h.resource, text, r, P_DETAIL);
                    res = slice(text, r).to_owned();
                    end = r.end + 1;
                }
            }
        }
        let end = end.min(text.len());
        let perm_s = slice(text, perm).to_owned();
        if let Some((pp, pr, i)) = &prev {
            let between = text.get(hits.get(*i).map_or(pos, |h| h.span.end).min(pos)..pos);
            if *pp == perm_s && *pr == res && between.is_some_and(|b| b.contains("More details:")) {
                if let Some(ph) = hits.get_mut(*i) {
                    ph.span.end = ph.span.end.max(end);
                }
                continue;
            }
        }
        h.span = Span::new(pos, end);
        prev = Some((perm_s, res, hits.len()));
        hits.push(h);
    }
}

/// `x@y.iam.gserviceaccount.com does not have storage.objects.get access to ...`
/// and gcloud's `[user@x.com] does not have permission to access projects instance [p]`.
/// Whether `s` reads as an IAM permission: `service.resource.verb`, lowercase
/// words (verbs may be camelCase) joined by dots, three parts or more.
fn is_permission(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().next().is_some_and(|c| c.is_ascii_lowercase())
                && p.bytes().all(|c| c.is_ascii_alphanumeric())
        })
}

fn does_not_have(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = " does not have ";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let before = text.get(ls..pos).unwrap_or("");
        let ps = before
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(ls, |i| ls + i + 1);
        let mut principal = Span::new(ps, pos);
        let raw = slice(text, principal);
        let bracketed = raw.starts_with('[') && raw.ends_with(']');
        if bracketed {
            principal = Span::new(ps + 1, pos - 1);
        } else if raw.starts_with(['"', '\'']) {
            // The start of a JSON string (`"message" : "sa@p... does not have`).
            principal = Span::new(ps + 1, pos);
        }
        let pv = slice(text, principal);
        let named =
            pv.contains('@') || pv.starts_with("serviceAccount:") || pv.starts_with("user:");
        let a = pos + ANCHOR.len();
        let le = line_end(text, pos);
        let perm = token(text, a);
        let pt = slice(text, perm);
        // Without a named principal the sentence still settles it when what the
        // caller lacks is an IAM permission (`service.resource.verb`): Cloud
        // Storage writes `Caller does not have storage.objects.get access to
        // object b/o.` and masks the caller as `***` or `<account>`.
        let permission_access = is_permission(pt) && at(text, perm.end, " access");
        if !(named || permission_access) {
            continue;
        }
        let mut h = Hit::new(Span::new(ps, le), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(perm), P_DETAIL));
        if named || pv == "***" || (pv.starts_with('<') && pv.ends_with('>') && pv.len() > 2) {
            Hit::set_str(&mut h.principal, text, principal, P_DETAIL);
        }
        if pt.contains('.') && at(text, perm.end, " access") {
            Hit::set_str(&mut h.action, text, perm, P_DETAIL);
            // `... access to object b/o.`, `... access to b`; not `... to the
            // Google Cloud Storage bucket`, which names none.
            let to = perm.end + " access".len();
            if at(text, to, " to ") && !at(text, to + 4, "the ") {
                let mut r = to + 4;
                for kind in ["object ", "bucket "] {
                    if at(text, r, kind) {
                        r += kind.len();
                    }
                }
                let res = trim_trailing(text, token(text, r), b".,;:");
                if !res.is_empty() {
                    Hit::set_str(&mut h.resource, text, res, P_DETAIL);
                }
            }
            h.gate = Some((
                Gate::Authorization,
                Some(Span::new(pos + 1, perm.end + 7)),
                P_DETAIL,
            ));
            // Cloud Storage answers a named caller with 403 (an anonymous one,
            // which has no `@`, with 401). The same words are used for a missing
            // grant, a deny policy and a principal access boundary (Google Cloud,
            // 'Troubleshoot permission error messages'), so neither the deny kind
            // nor the policy type is known.
            h.http_status = Some(((403, false), Some(perm), P_GENERIC));
        } else if at(text, a, "permission to access ") && bracketed {
            h.gate = Some((
                Gate::Authorization,
                Some(Span::new(pos + 1, a + 20)),
                P_DETAIL,
            ));
            if let Some(o) = find_in(text, " [", a, le + 1) {
                if let Some(c) = find_in(text, "]", o, le) {
                    // gcloud appends the IAM method it called: `[p:setIamPolicy]`.
                    let inner = slice(text, Span::new(o + 2, c));
                    let method = ["getIamPolicy", "setIamPolicy", "testIamPermissions"]
                        .into_iter()
                        .find(|m| {
                            inner.len() > m.len() + 1
                                && inner.ends_with(m)
                                && inner.as_bytes().get(inner.len() - m.len() - 1) == Some(&b':')
                        });
                    let mut r = Span::new(o + 2, c);
                    if let Some(m) = method {
                        r.end = c - m.len() - 1;
                        h.fact("operation", text, Span::new(c - m.len(), c));
                    }
                    // `... to access projects instance [p:setIamPolicy]`: the
                    // collection names the resource and, with the method, the
                    // Resource Manager permission it needs.
                    let kind = slice(text, token(text, a + "permission to access ".len()));
                    let rm = ["projects", "organizations", "folders"]
                        .into_iter()
                        .find(|k| *k == kind);
                    match rm {
                        Some(k) => {
                            let name = slice(text, r);
                            // Composed, not read: the id's own span stays with
                            // the `operation` fact and the text.
                            h.resource = Some((format!("{k}/{name}"), None, P_DETAIL));
                            if let Some(m) = method {
                                h.action =
                                    Some((format!("resourcemanager.{k}.{m}"), None, P_DETAIL));
                            }
                            // gcloud's wording for Resource Manager's 403.
                            h.http_status = Some(((403, false), Some(r), P_GENERIC));
                        }
                        None => Hit::set_str(&mut h.resource, text, r, P_DETAIL),
                    }
                }
            }
        } else {
            continue;
        }
        hits.push(h);
    }
}

/// `PERMISSION_DENIED` and `UNAUTHENTICATED` as words (gcloud's `ERROR: (gcloud.x)
/// PERMISSION_DENIED: ...`, gRPC `StatusCode.PERMISSION_DENIED`), and the Python
/// client library classes ([`api_core_exceptions`]).
fn codes(text: &str, hits: &mut Vec<Hit>) {
    for code in ["PERMISSION_DENIED", "UNAUTHENTICATED"] {
        for pos in find_all(text, code) {
            if !whole_word(text, pos, code.len()) || byte(text, pos.wrapping_sub(1)) == b'"' {
                continue;
            }
            let span = Span::new(pos, pos + code.len());
            let mut end = line_end(text, pos);
            // gRPC's error prints the status, then the message on the next
            // line: `status = StatusCode.PERMISSION_DENIED` / `details = "..."`.
            if at(text, pos.saturating_sub(11), "StatusCode.") {
                if let Some(n) = crate::scan::next_line(text, end) {
                    if at(text, skip_ws(text, n), "details = ") {
                        end = line_end(text, n);
                    }
                }
            }
            let mut h = Hit::new(Span::new(pos, end), Provider::Gcp, P_CODE);
            h.code(text, span, P_CODE);
            // A bare code word in a log line (`retrying on PERMISSION_DENIED`)
            // only supports a message around it; alone it is a denial only when
            // reported as a status.
            h.support = !code_context(text, pos, span.end);
            hits.push(h);
        }
    }
    api_core_exceptions(text, hits);
}

/// The exception classes of Google's Python client libraries
/// (`google-api-core`): `google.api_core.exceptions.PermissionDenied: 403 ...`,
/// and as Jupyter and logging print them without the module,
/// `PermissionDenied: 403 Permission denied on resource project x.`. The class
/// names the gRPC code (`PermissionDenied`, `Unauthenticated`) or the HTTP
/// status (`Forbidden`, `Unauthorized`); the status and message follow.
fn api_core_exceptions(text: &str, hits: &mut Vec<Hit>) {
    // Class, the code it names, its status, and whether the class alone (no
    // module before it) is read: only where the status follows it, and only
    // for the classes no other library uses.
    const CLASSES: [(&str, Option<&str>, u16, Gate, bool); 4] = [
        (
            "PermissionDenied",
            Some("PERMISSION_DENIED"),
            403,
            Gate::Authorization,
            true,
        ),
        ("Forbidden", None, 403, Gate::Authorization, false),
        (
            "Unauthenticated",
            Some("UNAUTHENTICATED"),
            401,
            Gate::Authentication,
            true,
        ),
        ("Unauthorized", None, 401, Gate::Authentication, false),
    ];
    const EXC: &str = "google.api_core.exceptions.";
    let hit = |start: usize, class: Span, row: &(&str, Option<&str>, u16, Gate, bool)| {
        let (_, code, status, gate, _) = *row;
        let mut h = Hit::new(
            Span::new(start, line_end(text, class.start)),
            Provider::Gcp,
            P_CODE,
        );
        h.provider = Some((Provider::Gcp, Some(Span::new(start, class.end)), P_CODE));
        if let Some(c) = code {
            h.error_code = Some((c.to_owned(), Some(class), P_CODE));
        }
        h.gate = Some((gate, Some(class), P_CODE));
        h.http_status = Some(((status, false), Some(class), P_CODE));
        if byte(text, class.end) == b':' {
            let s = skip_blank(text, class.end + 1);
            if let Some(st) = status_at(text, s) {
                h.status(st, Span::new(s, s + 3));
            }
        }
        h
    };
    // With the module: any of the classes, with or without a status after it.
    for pos in find_all(text, EXC) {
        let cs = pos + EXC.len();
        let mut ce = cs;
        while is_word(byte(text, ce)) {
            ce += 1;
        }
        let class = Span::new(cs, ce);
        if let Some(row) = CLASSES.iter().find(|r| r.0 == slice(text, class)) {
            hits.push(hit(pos, class, row));
        }
    }
    // Without it: `Class: NNN ` with the class's own status, at the start of a
    // line or after a logger's `...: `. The hit covers the line.
    for row in CLASSES.iter().filter(|r| r.4) {
        let anchor = format!("{}: {} ", row.0, row.2);
        for pos in find_all(text, &anchor) {
            let ls = line_start(text, pos);
            let before = slice(text, Span::new(ls, pos));
            if !(before.trim_start_matches(['`', ' ', '\t']).is_empty() || before.ends_with(": ")) {
                continue;
            }
            hits.push(hit(ls, Span::new(pos, pos + row.0.len()), row));
        }
    }
}

/// Whether a `PERMISSION_DENIED` / `UNAUTHENTICATED` word at `pos..end` is reported
/// as the status of a failed call: gcloud's `PERMISSION_DENIED: ...`, gRPC's
/// `StatusCode.PERMISSION_DENIED` and `code = ...`, `status: ...` in logs.
fn code_context(text: &str, pos: usize, end: usize) -> bool {
    if matches!(byte(text, end), b':' | b']' | b'>') {
        return true;
    }
    let ls = line_start(text, pos);
    let head = text.get(ls..pos).unwrap_or("").trim_end();
    let head = head.to_ascii_lowercase();
    [
        "statuscode.",
        "code =",
        "code:",
        "code=",
        "status:",
        "status =",
        "status=",
        "error:",
        ")",
    ]
    .iter()
    .any(|w| head.ends_with(w))
}

/// Terraform and Go clients: `googleapi: Error 403: <message>, forbidden`.
fn googleapi(text: &str, hits: &mut Vec<Hit>) {
    // Go's `googleapi: Error 403: ...`, and the Python discovery client's
    // `<HttpError 403 when requesting URL returned "...">`.
    const GO: &str = "googleapi: Error ";
    const PY: &str = "<HttpError ";
    let anchors = find_all(text, GO)
        .into_iter()
        .map(|p| (p, GO.len()))
        .chain(find_all(text, PY).into_iter().map(|p| (p, PY.len())));
    for (pos, len) in anchors {
        let s = pos + len;
        let Some(st) = status_at(text, s) else {
            continue;
        };
        if len == PY.len() && !at(text, s + 3, " when requesting ") {
            continue;
        }
        if !(400..500).contains(&st) {
            continue;
        }
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(pos, le), Provider::Gcp, P_CODE);
        h.provider = Some((Provider::Gcp, Some(Span::new(pos, pos + 9)), P_CODE));
        h.status(st, Span::new(s, s + 3));
        match st {
            401 => h.gate = Some((Gate::Authentication, Some(Span::new(s, s + 3)), P_GENERIC)),
            403 => h.gate = Some((Gate::Authorization, Some(Span::new(s, s + 3)), P_GENERIC)),
            // Other statuses (Cloud Storage's 412 for an organization policy
            // constraint) only carry their status into a message on the line.
            _ => h.support = true,
        }
        let line = slice(text, Span::new(s, le));
        // Go's message ends with the reason: `..., forbidden`.
        if let Some(c) = line.rfind(", ").filter(|_| len == GO.len()) {
            let r = trim_trailing(text, token(text, s + c + 2), b".,");
            let rv = slice(text, r);
            if !rv.is_empty() && rv.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                h.fact("reason", text, r);
            }
        }
        hits.push(h);
    }
}

/// Fixed phrases: `The caller does not have permission` and the 401 text.
fn phrases(text: &str, hits: &mut Vec<Hit>) {
    // The Python client libraries print the `ErrorInfo` in protobuf text form
    // after the message: `[reason: "IAM_PERMISSION_DENIED"\ndomain: "..."`.
    const REASON: &str = "[reason: \"";
    for pos in find_all(text, REASON) {
        let vs = pos + REASON.len();
        let Some(ve) = find_in(text, "\"", vs, line_end(text, vs) + 1) else {
            continue;
        };
        let v = Span::new(vs, ve);
        let rv = slice(text, v);
        if rv.is_empty() || !rv.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            continue;
        }
        let mut h = Hit::new(Span::new(pos, ve + 1), Provider::Gcp, P_GENERIC);
        h.support = true;
        h.fact("reason", text, v);
        hits.push(h);
    }
    // gcloud's own refusal before `container clusters get-credentials` calls
    // GKE: the account may not read the cluster in that project.
    const GET_CREDENTIALS: &str = "get-credentials requires edit permission on ";
    for pos in find_all(text, GET_CREDENTIALS) {
        let phrase = Span::new(pos, pos + GET_CREDENTIALS.len() - 4);
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC));
        let r = pos + GET_CREDENTIALS.len();
        let b = usize::from(byte(text, r) == b'[');
        if let Some(e) = find_in(text, if b == 1 { "]" } else { " " }, r, line_end(text, r)) {
            if e > r + b {
                h.fact("project", text, Span::new(r + b, e));
            }
        }
        hits.push(h);
    }
    // Pub/Sub's PERMISSION_DENIED message. Web applications print the same
    // sentence, so it names Google only beside a gRPC status or Pub/Sub's
    // own words (a subscription, a streaming pull) within a few lines.
    const PUBSUB: &str = "User not authorized to perform this action";
    for pos in find_all(text, PUBSUB) {
        let from = line_start(text, line_start(text, pos).saturating_sub(1));
        let to = line_end(text, line_end(text, pos) + 1);
        let near = slice(text, Span::new(from, to));
        let grpc = [
            "PermissionDenied",
            "PERMISSION_DENIED",
            "grpc_status",
            "rpc error",
        ];
        let pubsub = [
            "pubsub",
            "Pub/Sub",
            "PubSub",
            "subscription",
            "streaming pull",
        ];
        if !grpc.iter().chain(&pubsub).any(|m| near.contains(m)) {
            continue;
        }
        let span = Span::new(pos, pos + PUBSUB.len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        hits.push(h);
    }
    // google-auth-library-java's IamUtils, signing through the IAM
    // credentials API's signBlob (`Error code 403 trying to sign provided
    // bytes: ...`): the permission it needs is that one.
    const SIGN: &str = "trying to sign provided bytes";
    for pos in find_all(text, SIGN) {
        let span = Span::new(pos, pos + SIGN.len());
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.action = Some((
            "iam.serviceAccounts.signBlob".to_owned(),
            Some(span),
            P_GENERIC,
        ));
        hits.push(h);
    }
    // The Google Front End's 403 page (Cloud Run, Cloud Functions, App
    // Engine without the invoker role or an identity token): `Error:
    // Forbidden. Your client does not have permission to get URL /x from
    // this server.`
    const GFE: &str = "Your client does not have permission to get URL ";
    for pos in find_all(text, GFE) {
        let span = Span::new(pos, pos + GFE.len() - 9);
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Gcp, P_DETAIL);
        // The front end serves Google's own sites and its customers' too
        // (`http://ifconfig.me/ip`): Google Cloud only when no other host is
        // named near it.
        let near = slice(
            text,
            Span::new(
                crate::scan::floor_boundary(text, pos.saturating_sub(600)),
                crate::scan::ceil_boundary(text, (pos + 600).min(text.len())),
            ),
        );
        if !other_host(near) {
            h.provider = Some((Provider::Gcp, Some(span), P_GENERIC));
        } else {
            h.provider = Some((Provider::Http, Some(span), P_GENERIC));
        }
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        h.http_status = Some(((403, false), Some(span), P_GENERIC));
        let us = pos + GFE.len();
        if let Some(e) = find_in(text, " from this server", us, line_end(text, us)) {
            if e > us {
                Hit::set_str(&mut h.resource, text, Span::new(us, e), P_GENERIC);
            }
        }
        hits.push(h);
    }
    // gcloud's apitools error: `ResponseError: code=403, message=...`.
    const RESPONSE: &str = "ResponseError: code=";
    for pos in find_all(text, RESPONSE) {
        let s = pos + RESPONSE.len();
        let Some(st) = status_at(text, s).filter(|st| (400..500).contains(st)) else {
            continue;
        };
        let mut h = Hit::new(
            Span::new(pos, line_end(text, pos)),
            Provider::Gcp,
            P_GENERIC,
        );
        h.support = true;
        h.provider = Some((Provider::Gcp, Some(Span::new(pos, s)), P_GENERIC));
        h.status(st, Span::new(s, s + 3));
        hits.push(h);
    }
    // Workload identity federation (google-github-actions/auth and the
    // client libraries): `failed to generate Google Cloud federated token
    // for //iam.googleapis.com/projects/.../providers/P: {...}`.
    const FEDERATED: &str = "federated token for ";
    for pos in find_all(text, FEDERATED) {
        let rs = pos + FEDERATED.len();
        let t = trim_trailing(text, token(text, rs), b":,.");
        let name = slice(text, t);
        let Some(at_pool) = name
            .find("projects/")
            .filter(|_| name.contains("workloadIdentityPools/"))
        else {
            continue;
        };
        let span = Span::new(pos, rs.saturating_sub(1));
        let mut h = Hit::new(Span::new(pos, t.end), Provider::Gcp, P_GENERIC);
        h.support = true;
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        Hit::set_str(
            &mut h.resource,
            text,
            Span::new(t.start + at_pool, t.end),
            P_DETAIL,
        );
        hits.push(h);
    }
    // gcloud on a VM: the metadata server would not give the instance's
    // service account a token (`Failed to retrieve http://metadata.google.
    // internal/computeMetadata/v1/instance/service-accounts/SA/token from the
    // Google Compute Engine metadata service. Response: {'status': '404'`):
    // the account is not attached to the instance, or none is.
    const METADATA_SA: &str = "/computeMetadata/v1/instance/service-accounts/";
    for pos in find_all(text, METADATA_SA) {
        let le = line_end(text, pos);
        let Some(m) = find_in(text, "metadata service", pos, le) else {
            continue;
        };
        let start = text
            .get(..pos)
            .and_then(|b| b.rfind("Failed to retrieve "))
            .filter(|&f| f + 200 > pos)
            .unwrap_or(pos);
        let span = Span::new(start, m + "metadata service".len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
        let ss = pos + METADATA_SA.len();
        if let Some(e) = find_in(text, "/token", ss, m) {
            let sa = slice(text, Span::new(ss, e));
            if sa.contains('@') {
                Hit::set_str(&mut h.principal, text, Span::new(ss, e), P_DETAIL);
            }
        }
        // The Python dict of the response: `{'status': '404', ...`.
        if let Some(st) = find_in(text, "'status': '", m, le) {
            let s = st + "'status': '".len();
            if let Some(code) = status_at(text, s) {
                h.status(code, Span::new(s, s + 3));
            }
        }
        hits.push(h);
    }
    // A project without billing, in the words of the APIs that check it
    // (`Project P (#N) has billing disabled. Please enable it.`; Service
    // Usage's `Billing must be enabled for activation of service(s)`).
    for phrase in [
        "has billing disabled",
        "Billing must be enabled for activation",
    ] {
        for pos in find_all(text, phrase) {
            let span = Span::new(pos, pos + phrase.len());
            let mut h = Hit::new(
                Span::new(line_start(text, pos), line_end(text, pos)),
                Provider::Gcp,
                P_DETAIL,
            );
            h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
            h.gate = Some((Gate::NotAuth, Some(span), P_STRONG));
            h.fact("billingDisabled", text, span);
            hits.push(h);
        }
    }
    // Quota: `RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'M' and
    // limit 'L' of service 'S'`, in gRPC and REST alike.
    const QUOTA: &str = "Quota exceeded for quota metric ";
    for pos in find_all(text, QUOTA) {
        let span = Span::new(pos, pos + QUOTA.len() - 1);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::Gcp,
            P_GENERIC,
        );
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::NotAuth, Some(span), P_STRONG));
        h.fact("reason", text, span);
        hits.push(h);
    }
    // Cloud Build and Cloud Functions fetching sources: `Access to bucket B
    // denied. You must grant Storage Object Viewer permission to SA.` The
    // service account is the one refused (the build's, not the caller's).
    const BUCKET: &str = "Access to bucket ";
    for pos in find_all(text, BUCKET) {
        let bs = pos + BUCKET.len();
        let b = token(text, bs);
        if b.is_empty() || !at(text, b.end, " denied") {
            continue;
        }
        let le = line_end(text, pos);
        let phrase = Span::new(pos, b.end + " denied".len());
        let mut h = Hit::new(Span::new(pos, le), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.resource, text, b, P_DETAIL);
        const GRANT: &str = " permission to ";
        if let Some(g) = find_in(text, GRANT, b.end, le) {
            let who = trim_trailing(text, token(text, g + GRANT.len()), b".,;");
            if slice(text, who).contains('@') {
                Hit::set_str(&mut h.principal, text, who, P_DETAIL);
            }
            if at_phrase_before(text, g, "Storage Object Viewer") {
                h.action = Some(("storage.objects.get".to_owned(), None, P_GENERIC));
            }
        }
        hits.push(h);
    }
    // gcloud builds submit: `The user is forbidden from accessing the bucket
    // [B].`
    const FORBIDDEN_BUCKET: &str = "is forbidden from accessing the bucket [";
    for pos in find_all(text, FORBIDDEN_BUCKET) {
        let bs = pos + FORBIDDEN_BUCKET.len();
        let Some(e) = find_in(text, "]", bs, line_end(text, bs)) else {
            continue;
        };
        let phrase = Span::new(pos, bs - 1);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::Gcp,
            P_DETAIL,
        );
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.resource, text, Span::new(bs, e), P_DETAIL);
        hits.push(h);
    }
    const CALLER: &str = "The caller does not have permission";
    for pos in find_all(text, CALLER) {
        let span = Span::new(pos, pos + CALLER.len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_GENERIC));
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        h.http_status = Some(((403, false), Some(span), P_GENERIC));
        hits.push(h);
    }
    // Google's message for a token without the scope the API needs, in every
    // wrapper (`Request had insufficient authentication scopes.`): the token,
    // not the caller's roles, refused the call.
    const SCOPES: &str = "insufficient authentication scopes";
    for pos in find_all(text, SCOPES) {
        let span = Span::new(pos, pos + SCOPES.len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
        h.http_status = Some(((403, false), Some(span), P_GENERIC));
        h.fact("tokenScope", text, span);
        hits.push(h);
    }
    // `<Name> API has not been used in project <n> before or it is disabled.`:
    // sent as PERMISSION_DENIED with reason SERVICE_DISABLED, but the API is off in
    // the project, which no permission changes.
    const DISABLED: &str = "has not been used in project";
    for pos in find_all(text, DISABLED) {
        let le = line_end(text, pos);
        let Some(d) = find_in(text, "or it is disabled", pos, le + 16) else {
            continue;
        };
        let span = Span::new(pos, d + "or it is disabled".len());
        let mut h = Hit::new(span, Provider::Gcp, P_STRONG);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::NotAuth, Some(span), P_STRONG));
        // The project the API is off in: `... in project 1234 before ...`.
        let ps = skip_blank(text, pos + DISABLED.len());
        let p = trim_trailing(text, token(text, ps), b".,;");
        if !p.is_empty() && p.end <= d {
            h.resource = Some((format!("projects/{}", slice(text, p)), None, P_DETAIL));
        }
        h.fact("serviceDisabled", text, span);
        // The API's service name, from the link the message gives:
        // `.../apis/api/pubsub.googleapis.com/overview?project=1234`.
        const API: &str = "/apis/api/";
        if let Some(a) = find_in(text, API, d, le) {
            let name = token(text, a + API.len());
            let name = slice(text, name).split('/').next().unwrap_or("");
            if name.ends_with(".googleapis.com") {
                h.fact_value(
                    "service",
                    name.to_owned(),
                    Span::new(a + API.len(), a + API.len() + name.len()),
                );
            }
        }
        hits.push(h);
    }
    // Application Default Credentials that were never set up: the client
    // library found no credential to send (Google Cloud, "How Application
    // Default Credentials works"). Nothing reached Google.
    for phrase in [
        "Application default credentials have not been set up",
        "Could not automatically determine credentials",
        "Your default credentials were not found",
    ] {
        for pos in find_all(text, phrase) {
            let span = Span::new(pos, pos + phrase.len());
            let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
            h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
            h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
            h.span = Span::new(line_start(text, pos), line_end(text, pos));
            hits.push(h);
        }
    }
    // The Node client's message when the metadata server refuses the Compute
    // Engine service account a token (the instance lacks the scopes): no
    // credential reached the API, whatever `Permission denied` follows.
    const METADATA: &str = "error was returned while attempting to retrieve an access token";
    for pos in find_all(text, METADATA) {
        let span = Span::new(pos, pos + METADATA.len());
        let le = line_end(text, pos);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Gcp,
            P_DETAIL,
        );
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(span), P_STRONG));
        if at(text, pos.saturating_sub(10), "Forbidden ") {
            h.http_status = Some(((403, false), Some(span), P_GENERIC));
        }
        const ON: &str = "Permission denied on resource ";
        if let Some(r) = find_in(text, ON, pos, le) {
            let rs = r + ON.len();
            let kind = token(text, rs);
            let name = trim_trailing(text, token(text, skip_blank(text, kind.end)), b".,;");
            if !name.is_empty() && slice(text, kind) == "project" {
                Hit::set_str(
                    &mut h.resource,
                    text,
                    Span::new(kind.start, name.end),
                    P_DETAIL,
                );
            }
        }
        hits.push(h);
    }
    // `Permission denied on resource project NAME.`: the API's refusal of the
    // project it was asked to bill the call to (ErrorInfo reason
    // CONSUMER_INVALID): the project does not exist, the id is wrong (a
    // placeholder, a display name), or the caller may not use it. The name
    // may hold spaces (a display name) and ends at the sentence's period.
    const ON_PROJECT: &str = "Permission denied on resource project ";
    for pos in find_all(text, ON_PROJECT) {
        let ns = pos + ON_PROJECT.len();
        let le = line_end(text, pos);
        let line = slice(text, Span::new(ns, le));
        let cut = [". ", "\"", "'", "`"]
            .iter()
            .filter_map(|m| line.find(m))
            .min()
            .unwrap_or_else(|| line.trim_end().trim_end_matches('.').len());
        let name = line.get(..cut).unwrap_or("").trim_end_matches('.').trim();
        let span = Span::new(pos, ns.saturating_sub(1));
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Gcp,
            P_GENERIC,
        );
        h.support = true;
        h.provider = Some((Provider::Gcp, Some(span), P_GENERIC));
        if !name.is_empty() && name.len() <= 100 {
            h.resource = Some((format!("projects/{name}"), Some(span), P_GENERIC));
        }
        h.fact_value("projectRefused", name.to_owned(), span);
        hits.push(h);
    }
    // Google APIs' message for a request that carried no credential at all
    // (UNAUTHENTICATED, 401).
    const MISSING: &str = "Request is missing required authentication credential";
    for pos in find_all(text, MISSING) {
        let span = Span::new(pos, pos + MISSING.len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
        h.http_status = Some(((401, false), Some(span), P_GENERIC));
        hits.push(h);
    }
    const UNAUTH: &str = "Request had invalid authentication credentials";
    for pos in find_all(text, UNAUTH) {
        let span = Span::new(pos, pos + UNAUTH.len());
        let mut h = Hit::new(span, Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(span), P_GENERIC));
        h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
        h.http_status = Some(((401, false), Some(span), P_GENERIC));
        hits.push(h);
    }
}

/// VPC Service Controls: `Request is prohibited by organization's policy.
/// vpcServiceControlsUniqueIdentifier: <id>`.
fn vpc_sc(text: &str, hits: &mut Vec<Hit>) {
    const PROHIBITED: &str = "Request is prohibited by organization's policy";
    const ID: &str = "vpcServiceControlsUniqueIdentifier";
    // Cloud Storage's own wording (gsutil: `AccessDeniedException: 403 Request
    // violates VPC Service Controls.`). The provider is decided strongly, since
    // gsutil's exception name looks like an AWS code.
    const VIOLATES: &str = "Request violates VPC Service Controls";
    for pos in find_all(text, VIOLATES) {
        let phrase = Span::new(pos, pos + VIOLATES.len());
        let ls = line_start(text, pos);
        let mut h = Hit::new(Span::new(ls, line_end(text, pos)), Provider::Gcp, P_STRONG);
        h.provider = Some((Provider::Gcp, Some(phrase), P_STRONG));
        h.gate = Some((Gate::Authorization, Some(phrase), P_STRONG));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::GcpVpcServiceControls, Some(phrase), P_STRONG));
        // A perimeter refuses what crosses it unless an ingress or egress rule
        // lets it through, whatever IAM grants: an organization-level control
        // that overrides an Allow, which this tool reports as an explicit deny
        // (as for organization policy constraints).
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_STRONG));
        // Whatever AWS-looking code gsutil put in front of it is not an AWS code.
        h.error_code = None;
        hits.push(h);
    }
    let mut done_until = 0;
    for pos in find_all(text, PROHIBITED)
        .into_iter()
        .chain(find_all(text, ID))
    {
        if pos < done_until && pos >= line_start(text, done_until) {
            continue;
        }
        let le = line_end(text, pos);
        let phrase = if at(text, pos, ID) {
            Span::new(pos, pos + ID.len())
        } else {
            Span::new(pos, pos + PROHIBITED.len())
        };
        let mut h = Hit::new(Span::new(pos, le), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::GcpVpcServiceControls, Some(phrase), P_STRONG));
        // A perimeter refuses what crosses it unless an ingress or egress rule
        // lets it through, whatever IAM grants: an organization-level control
        // that overrides an Allow, which this tool reports as an explicit deny
        // (as for organization policy constraints).
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_STRONG));
        if let Some(i) = find_in(text, ID, pos, le + ID.len() - 1) {
            let v = i + ID.len();
            let v = if byte(text, v) == b':' { v + 1 } else { v };
            if let Some(val) = value(text, v) {
                h.fact("vpcServiceControlsUniqueIdentifier", text, val);
            }
        }
        done_until = le;
        hits.push(h);
    }
}

/// Organization policy: `constraints/...` on a line that speaks of a violation.
/// Organization policy constraints, the words that show which operation one
/// refused, and the permission of that operation (Google Cloud, "Organization
/// policy constraints": `iam.disableServiceAccountKeyCreation` blocks creating
/// service account keys, `iam.disableServiceAccountKeyUpload` uploading them;
/// `compute.vmExternalIpAccess` and `compute.requireShieldedVm` are checked when
/// an instance is created).
const CONSTRAINT_ACTIONS: &[(&str, &[&str], &str)] = &[
    (
        "iam.disableServiceAccountKeyCreation",
        &[
            "Key creation is not allowed",
            "service-accounts.keys.create",
        ],
        "iam.serviceAccountKeys.create",
    ),
    (
        "iam.disableServiceAccountKeyUpload",
        &["upload public key", "service-accounts.keys.upload"],
        "iam.serviceAccountKeys.upload",
    ),
    (
        "compute.vmExternalIpAccess",
        &[
            "instances.create",
            "creating instance",
            "creation failed",
            "Error creating",
        ],
        "compute.instances.create",
    ),
    (
        "compute.requireShieldedVm",
        &[
            "instances.create",
            "creating instance",
            "creation failed",
            "Error creating",
        ],
        "compute.instances.create",
    ),
];

fn org_policy(text: &str, hits: &mut Vec<Hit>) {
    let first = hits.len();
    let mut last_line = usize::MAX;
    for pos in find_all(text, "constraints/") {
        let line = line_of(text, pos);
        if line.start == last_line || is_word(byte(text, pos.wrapping_sub(1))) {
            continue;
        }
        // `violates constraint ...` on the line, or a PreconditionFailure's
        // `violations:` list a few lines above its `type: constraints/...`.
        let from = crate::scan::floor_boundary(text, pos.saturating_sub(400));
        // Or a FAILED_PRECONDITION answer whose details name the constraint
        // (`"status": "FAILED_PRECONDITION", "details": [... "type":
        // "constraints/..."`): the status is how the API reports a violation.
        let Some(v) = find_ci_in(text, "violat", line.start, line.end + 5)
            .or_else(|| find_ci_in(text, "violations", from, line.start))
            .or_else(|| find_in(text, "FAILED_PRECONDITION", from, line.end))
        else {
            continue;
        };
        let c = trim_trailing(text, token(text, pos), b".,;:)]");
        let mut h = Hit::new(Span::new(pos.min(v), line.end), Provider::Gcp, P_DETAIL);
        h.provider = Some((Provider::Gcp, Some(c), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(c), P_DETAIL));
        // Services report a violated constraint as FAILED_PRECONDITION (400)
        // or 412 and word it differently: a status is implied only with the code.
        if let Some(fp) = find_in(text, "FAILED_PRECONDITION", from, line.end) {
            h.http_status = Some(((400, false), Some(Span::new(fp, fp + 19)), P_GENERIC));
        }
        h.policy_type = Some((PolicyType::GcpOrgPolicy, Some(c), P_STRONG));
        h.deny = Some((DenyKind::Explicit, Some(Span::new(v, v + 6)), P_STRONG));
        h.fact("constraint", text, c);
        // A PreconditionFailure names the object in its violation's `subject`
        // (`projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com?configvalue=...`).
        if let Some(sj) = find_in(text, "subject", from, line.end) {
            let mut v = sj + "subject".len();
            while matches!(byte(text, v), b'\'' | b'"' | b':' | b' ') && v < sj + 12 {
                v += 1;
            }
            let t = token(text, v);
            let raw = slice(text, t);
            let cut = raw.find(['?', '\'', '"', ',']).unwrap_or(raw.len());
            if cut > 0 && raw.contains('/') {
                Hit::set_str(
                    &mut h.resource,
                    text,
                    Span::new(t.start, t.start + cut),
                    P_DETAIL,
                );
            }
        }
        // The operation a constraint refused, where the text's own words say
        // which of the constraint's operations it was.
        if h.action.is_none() {
            let c_text = slice(text, c);
            let around = slice(
                text,
                Span::new(
                    crate::scan::floor_boundary(text, pos.saturating_sub(600)),
                    crate::scan::ceil_boundary(text, (line.end + 400).min(text.len())),
                ),
            );
            if let Some((_, _, action)) = CONSTRAINT_ACTIONS.iter().find(|(k, words, _)| {
                c_text.ends_with(k) && words.iter().any(|w| around.contains(w))
            }) {
                h.action = Some(((*action).to_owned(), None, P_GENERIC));
            }
        }
        // Compute's wording names the instance, or the project, the
        // constraint refused: `Add instance projects/p/zones/z/instances/i to
        // the constraint ...`, `... violated for project projects/p.`.
        if h.resource.is_none() {
            if let Some(a) = find_in(text, "Add instance ", line.start, line.end) {
                let t = trim_trailing(text, token(text, a + "Add instance ".len()), b".,;");
                if slice(text, t).starts_with("projects/") {
                    Hit::set_str(&mut h.resource, text, t, P_DETAIL);
                }
            } else if let Some(a) = find_in(text, "violated for [", line.start, line.end) {
                // Secret Manager and others: `violated for [orgpolicy:projects/N]`.
                let rs = a + "violated for [".len();
                if let Some(e) = find_in(text, "]", rs, line.end) {
                    Hit::set_str(&mut h.resource, text, Span::new(rs, e), P_DETAIL);
                }
            } else if let Some(a) = find_in(text, "violated for project ", line.start, line.end) {
                let t = trim_trailing(text, token(text, a + "violated for project ".len()), b".,;");
                let p = slice(text, t);
                if p.starts_with("projects/") {
                    Hit::set_str(&mut h.resource, text, t, P_DETAIL);
                } else if !p.is_empty() {
                    h.resource = Some((format!("projects/{p}"), Some(t), P_GENERIC));
                }
            }
        }
        let start = line_start_within(text, pos, 200);
        h.span = Span::new(start.min(v), line.end);
        last_line = line.start;
        // One error body names its constraint again and again (the message,
        // the violation's `type`, its `description`): where the previous
        // mention of the same constraint is close above, this one adds what
        // it knows to that finding instead of making a second.
        if let Some(prev) = hits.get_mut(first..).and_then(|h| h.last_mut()) {
            let same = prev
                .facts
                .iter()
                .any(|x| x.key == "constraint" && x.value == slice(text, c));
            if same && h.span.start < prev.span.end + SAME_BODY {
                absorb(prev, h);
                continue;
            }
        }
        hits.push(h);
    }
}

/// How far apart two mentions of one constraint may be and still be read as
/// one error body (a PreconditionFailure with its violations and metadata).
const SAME_BODY: usize = 1500;

/// Fills what `prev` lacks from `h`, a later mention of the same error, and
/// stretches `prev` over it.
fn absorb(prev: &mut Hit, h: Hit) {
    fn fill<T>(a: &mut super::Val<T>, b: super::Val<T>) {
        if a.is_none() {
            *a = b;
        }
    }
    fill(&mut prev.http_status, h.http_status);
    fill(&mut prev.resource, h.resource);
    fill(&mut prev.action, h.action);
    fill(&mut prev.principal, h.principal);
    prev.span = Span::new(prev.span.start, prev.span.end.max(h.span.end));
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    /// Every text a reader acts on: the answer and each step with its command.
    fn advice(f: &Finding) -> String {
        let mut all = f.answer.clone();
        for c in &f.checklist {
            all.push('\n');
            all.push_str(&c.text);
            all.push_str(c.command.as_deref().unwrap_or(""));
        }
        all
    }

    // A token without the scope the API needs is refused whatever roles the
    // caller holds (googleapis error_reason.proto, ACCESS_TOKEN_SCOPE_INSUFFICIENT:
    // "the request is not authorized because the access token does not have
    // the required scopes"). Real: the Drive API through a React Native
    // wrapper (collected.jsonl gcp-scope-003,
    // https://github.com/RobinBobin/react-native-google-drive-api-wrapper/issues/37).
    #[test]
    fn a_token_without_the_scope_is_not_told_to_grant_roles() {
        let r = crate::explain("\"error\": Object {\n    \"code\": 403,\n    \"errors\": Array [\n      Object {\n        \"domain\": \"global\",\n        \"message\": \"Insufficient Permission: Request had insufficient authentication scopes.\",\n        \"reason\": \"insufficientPermissions\",\n      },\n    ],\n    \"message\": \"Insufficient Permission: Request had insufficient authentication scopes.\",\n  },\n}");
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let f = &r.findings[0];
        assert_eq!(f.provider, Provider::Gcp);
        assert_eq!(f.gate, Gate::Authorization);
        let a = advice(f);
        assert!(f.answer.contains("scope"), "{a}");
        assert!(
            !a.contains("grant the caller a role") && !a.contains("troubleshoot-policy"),
            "{a}"
        );
        assert!(f.checklist.iter().any(|c| c.command.as_deref().is_some_and(|c| c.starts_with("gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform,"))), "{a}");
        // The scope Google's challenge names goes into the command
        // (collected.jsonl gcp-scope-004,
        // https://github.com/googleapis/google-cloud-python/issues/1195).
        let r = crate::explain("Bearer realm=\"https://accounts.google.com/\", error=insufficient_scope, scope=\"https://www.googleapis.com/auth/devstorage.full_control\"");
        let f = &r.findings[0];
        assert!(f.checklist.iter().any(|c| c.command.as_deref() == Some("gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform,https://www.googleapis.com/auth/devstorage.full_control")), "{}", advice(f));
    }

    // gRPC's PermissionDenied as Go and Java clients print it, with the
    // permission and resource Spanner names in two word orders. Real:
    // https://github.com/google/truestreet/issues/7,
    // https://github.com/cloudspannerecosystem/spanner-cli/issues/10,
    // https://github.com/kelseyhightower/gif-maker/issues/2,
    // https://github.com/spring-attic/spring-cloud-gcp/issues/701.
    #[test]
    fn grpc_permission_denied_names_the_permission() {
        let cases = [
            ("2022/05/05 17:04:28 failed to set up Cloud Spanner clients : rpc error: code = PermissionDenied desc = Caller is missing IAM permission spanner.databases.list on resource projects/", "spanner.databases.list", Some("projects/")),
            ("2018/11/08 15:47:08 failed to connect to Spanner: rpc error: code = PermissionDenied desc = Resource projects/foo/instances/conversion/databases/conversion-prod is missing IAM permission: spanner.databases.get.", "spanner.databases.get", Some("projects/foo/instances/conversion/databases/conversion-prod")),
            ("2017/07/25 07:48:54 spanner: code = \"PermissionDenied\", desc = \"Access denied. Missing IAM permission: spanner.sessions.create.\"", "spanner.sessions.create", None),
            ("Caused by: io.grpc.StatusRuntimeException: PERMISSION_DENIED: Resource projects/gcp-ftd-nonprod-db/instances/testspanner is missing IAM permission: spanner.databases.list.", "spanner.databases.list", Some("projects/gcp-ftd-nonprod-db/instances/testspanner")),
        ];
        for (t, action, resource) in cases {
            let f = one(t);
            assert_eq!(
                (f.provider, f.gate),
                (Provider::Gcp, Gate::Authorization),
                "{t}"
            );
            assert_eq!(f.http_status, Some(403), "{t}");
            assert_eq!(f.action.as_deref(), Some(action), "{t}");
            assert_eq!(f.resource.as_deref(), resource, "{t}");
        }
        // gRPC's Unauthenticated is the authentication gate; a description that
        // names no Google service leaves the provider open
        // (https://github.com/binxio/gcp-get-secret/pull/3).
        let (found, _) = super::super::find("rpc error: code = Unauthenticated desc = transport: oauth2: cannot fetch token: 400 Bad Request\nResponse: {\"error\":\"invalid_scope\",\"error_description\":\"Invalid OAuth scope or ID token audience provided.\"}, no default value available");
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|f| f.gate == Gate::Authentication),
            "{found:#?}"
        );
        // The words alone, in prose, are not a status.
        assert!(
            super::super::find("the mapping uses code = PermissionDeniedError for it")
                .0
                .is_empty()
        );
    }

    // Domain restricted sharing refuses an IAM member from another customer
    // without naming its constraint (Google Cloud, "Restricting identities by
    // domain"). Real: https://github.com/MicrosoftDocs/azure-docs/issues/117449.
    #[test]
    fn a_member_from_another_customer_is_the_domain_restriction() {
        let (found, _) = super::super::find("ERROR: Policy modification failed. For a binding with condition, run \"gcloud alpha iam policies lint-condition\" to identify issues in condition.\nERROR: (gcloud.projects.add-iam-policy-binding) FAILED_PRECONDITION: One or more users named in the policy do not belong to a permitted customer.\n- '@type': type.googleapis.com/google.rpc.PreconditionFailure\n  violations:\n  - description: User mdc-agentless-scanning@guardians-prod-diskscanning.iam.gserviceaccount.com\n      is not in permitted organization.");
        let f = found
            .iter()
            .find(|f| f.policy_type == Some(PolicyType::GcpOrgPolicy))
            .expect("an organization policy finding");
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(
            fact(f, "constraint"),
            Some("constraints/iam.allowedPolicyMemberDomains")
        );
        // The Terraform provider's project check (real:
        // https://github.com/terraform-google-modules/terraform-google-project-factory/issues/555).
        let f = one("Error: the user does not have permission to access Project \"fe-q-fdse-f3as\" or it may not exist");
        assert_eq!((f.provider, f.gate), (Provider::Gcp, Gate::Authorization));
        assert_eq!(f.resource.as_deref(), Some("projects/fe-q-fdse-f3as"));
    }

    // A disabled API is not an access decision (googleapis error_reason.proto,
    // SERVICE_DISABLED: "The request is calling a disabled service for a
    // consumer"). Real: googleapiclient's retry warning and its HttpError
    // (collected.jsonl gcp-disabled-003,
    // https://github.com/taylorwilsdon/google_workspace_mcp/issues/126).
    #[test]
    fn a_disabled_api_is_enabled_not_granted() {
        let r = crate::explain("WARNING:googleapiclient.http:Encountered 403 Forbidden with reason \"accessNotConfigured\"\nERROR:core.utils:API error in get_events: <HttpError 403 when requesting https://www.googleapis.com/calendar/v3/calendars/primary/events?timeMin=2025-07-28T00%3A00%3A00Z&timeMax=2025-07-28T23%3A59%3A59Z&maxResults=25&singleEvents=true&orderBy=startTime&alt=json returned \"Google Calendar API has not been used in project {proj_id} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/calendar-json.googleapis.com/overview?project={proj_id} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.\".");
        assert!(!r.findings.is_empty());
        for f in &r.findings {
            assert_eq!(f.gate, Gate::NotAuth, "{f:#?}");
            let a = advice(f);
            assert!(a.contains("gcloud services enable"), "{a}");
            assert!(
                !a.contains("grant the caller a role") && !a.contains("Grant the caller"),
                "{a}"
            );
        }
        let last = r.findings.last().unwrap();
        assert_eq!(fact(last, "service"), Some("calendar-json.googleapis.com"));
        assert!(advice(last)
            .contains("gcloud services enable calendar-json.googleapis.com --project {proj_id}"));
    }

    /// `Permission denied on resource project NAME.` (ErrorInfo reason
    /// CONSUMER_INVALID): the project the call is for, read whole (a display
    /// name holds spaces), with the step that checks the project id. As
    /// published in GoogleCloudPlatform/mlops-with-vertex-ai#5 and
    /// GoogleCloudPlatform/training-data-analyst#1811 (gRPC's two lines, then
    /// the exception without its module).
    /// Organization policy refusals: a FAILED_PRECONDITION body naming the
    /// constraint only in its details (https://github.com/GAM-team/got-your-back/pull/537), and Compute's wording that names
    /// the instance and, through the gcloud command, the operation (https://github.com/googlecodelabs/feedback/issues/695).
    #[test]
    fn org_policy_operation_and_object() {
        // The published body is cut (`...`), so it does not parse as JSON.
        let r = crate::explain("400: b'{ \"error\": { \"code\": 400, \"message\": \"Key creation is not allowed on this service account.\", \"status\": \"FAILED_PRECONDITION\", \"details\": [ ... \"type\": \"constraints/iam.disableServiceAccountKeyCreation\" ... ] } }' - 400\nProject creation failed. Trying again.");
        let f = &r.findings[0];
        assert_eq!(f.policy_type, Some(PolicyType::GcpOrgPolicy));
        assert_eq!(f.action.as_deref(), Some("iam.serviceAccountKeys.create"));
        let r = crate::explain("$ gcloud compute instances create myinstance\nERROR: (gcloud.compute.instances.create) Could not fetch resource:\n - Constraint constraints/compute.vmExternalIpAccess violated for project 123456789. Add instance projects/project-88410/zones/us-central1-f/instances/myinstance to the constraint to use external IP with it.");
        let f = &r.findings[0];
        assert_eq!(f.action.as_deref(), Some("compute.instances.create"));
        assert_eq!(
            f.resource.as_deref(),
            Some("projects/project-88410/zones/us-central1-f/instances/myinstance")
        );
    }

    #[test]
    fn the_project_a_call_is_for() {
        let r = crate::explain("google.api_core.exceptions.PermissionDenied: 403 Permission denied on resource project {PROJECT}.");
        let f = &r.findings[0];
        assert_eq!(f.resource.as_deref(), Some("projects/{PROJECT}"));
        assert!(f.checklist.iter().any(|c| c.id == "gcp.consumer-project"));
        let t = "_InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.PERMISSION_DENIED\n\tdetails = \"Permission denied on resource project My First Project.\"\n\nPermissionDenied: 403 Permission denied on resource project My First Project. [links {\n";
        let (found, _) = super::super::find(t);
        assert!(!found.is_empty());
        for f in &found {
            assert_eq!(f.resource.as_deref(), Some("projects/My First Project"));
            assert_eq!(
                (f.http_status, f.error_code.as_deref()),
                (Some(403), Some("PERMISSION_DENIED"))
            );
        }
    }

    // Message forms from the Google Cloud IAM troubleshooting pages and the
    // gcloud / client library / Terraform output they document.

    #[test]
    fn gcloud_permission_denied() {
        let t = "ERROR: (gcloud.compute.instances.list) PERMISSION_DENIED: Permission 'compute.instances.list' denied on resource 'projects/my-proj' (or it may not exist).";
        let f = one(t);
        assert_eq!(f.provider, Provider::Gcp);
        assert_eq!(f.error_code.as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        // The message does not say which policy refused ("Troubleshoot permission
        // error messages": allow, deny or principal access boundary).
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.policy_type, None);
        assert_eq!(f.action.as_deref(), Some("compute.instances.list"));
        assert_eq!(ev(t, &f, "action"), "compute.instances.list");
        assert_eq!(f.resource.as_deref(), Some("projects/my-proj"));
        assert_eq!(ev(t, &f, "errorCode"), "PERMISSION_DENIED");
    }

    #[test]
    fn python_client_and_terraform() {
        let t = "google.api_core.exceptions.PermissionDenied: 403 Permission 'secretmanager.versions.access' denied on resource 'projects/p/secrets/s/versions/latest' (or it may not exist). [reason: \"IAM_PERMISSION_DENIED\"]";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(f.action.as_deref(), Some("secretmanager.versions.access"));
        let t = "│ Error: Error creating Topic: googleapi: Error 403: Permission 'pubsub.topics.create' denied on resource 'projects/p' (or it may not exist)., forbidden";
        let f = one(t);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.error_code, None);
        assert_eq!(f.action.as_deref(), Some("pubsub.topics.create"));
        assert_eq!(fact(&f, "reason"), Some("forbidden"));
        let t = "Error: googleapi: Error 403: The caller does not have permission, forbidden";
        let f = one(t);
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.policy_type, None);
    }

    #[test]
    fn storage_principal_and_deny_policy() {
        let t = "sa@p.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).";
        let f = one(t);
        assert_eq!(f.principal.as_deref(), Some("sa@p.iam.gserviceaccount.com"));
        assert_eq!(f.action.as_deref(), Some("storage.objects.get"));
        assert_eq!(f.resource, None);
        // The same words follow a deny policy or a principal access boundary.
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.policy_type, None);
        let t = "Permission 'iam.serviceAccounts.create' denied on resource 'projects/p' because it is denied by an IAM deny policy.";
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::GcpIamDeny));
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(ev(t, &f, "policyType"), "deny polic");
    }

    #[test]
    fn vpc_sc_and_org_policy() {
        let t = "ERROR: (gcloud.storage.ls) HTTPError 403: Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: 2RmZQ4x";
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::GcpVpcServiceControls));
        assert_eq!(
            fact(&f, "vpcServiceControlsUniqueIdentifier"),
            Some("2RmZQ4x")
        );
        let t = "ERROR: (gcloud.projects.add-iam-policy-binding) FAILED_PRECONDITION: One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy. Constraint constraints/iam.allowedPolicyMemberDomains violated for projects/p.";
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::GcpOrgPolicy));
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(
            fact(&f, "constraint"),
            Some("constraints/iam.allowedPolicyMemberDomains")
        );
    }

    #[test]
    fn gcloud_bracketed_principal() {
        let t = "ERROR: (gcloud.projects.get-iam-policy) [dev@example.com] does not have permission to access projects instance [my-proj] (or it may not exist): The caller does not have permission.";
        let f = one(t);
        assert_eq!(f.principal.as_deref(), Some("dev@example.com"));
        // Google's full resource name for a project (Resource Manager,
        // "Resource names"): the collection, then the id.
        assert_eq!(f.resource.as_deref(), Some("projects/my-proj"));
        assert_eq!(f.provider, Provider::Gcp);
    }
}
