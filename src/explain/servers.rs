//! Refusals written by web servers, proxies and identity services in their
//! own logs and bodies, where no cloud provider's code is printed: nginx's
//! `access forbidden by rule`, Apache's `AH01630`, Envoy's (and so Istio's)
//! JWT filter in an access log line, Cloudflare's API error 10000, and an
//! OAuth server's `access_denied` for scopes a client was never granted;
//! refusals whose stated reason is not an access decision (a disk block, a
//! plain-HTTP request), and Terraform Cloud's `resource not found`, which
//! may hide one.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{DenyKind, Gate, Provider};
use crate::scan::{at, find_all, find_in, line_end, line_start, slice, status_at, token};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    nginx(text, hits);
    apache(text, hits);
    envoy_jwt(text, hits);
    cloudflare(text, hits);
    oauth_scopes(text, hits);
    not_access(text, hits);
    terraform_cloud(text, hits);
    argo_cd(text, hits);
    access_log(text, hits);
    jenkins(text, hits);
    edges(text, hits);
    auth_proxies(text, hits);
    search_security(text, hits);
}

/// Refusals that name a reason that is not an access decision about the
/// caller, whatever status came with them; each phrase is the evidence.
const NOT_ACCESS: [&str; 2] = [
    // Elasticsearch's write block on an index after the disk flood-stage
    // watermark (`cluster_block_exception ... [FORBIDDEN/12/index read-only /
    // allow delete (api)]`, answered with 403 or, since 7.x, 429): the disk,
    // not the caller's rights.
    "FORBIDDEN/12/index read-only",
    // Wikimedia's API refusing a plain-HTTP request (`403 Client Error:
    // Insecure Request Forbidden - use HTTPS`, announced on
    // mediawiki-api-announce in May 2016): the transport, not the caller.
    "Insecure Request Forbidden",
];

fn not_access(text: &str, hits: &mut Vec<Hit>) {
    for anchor in NOT_ACCESS {
        for pos in find_all(text, anchor) {
            let phrase = Span::new(pos, pos + anchor.len());
            let mut h = line_hit(text, pos, phrase, Gate::NotAuth);
            h.gate = Some((Gate::NotAuth, Some(phrase), super::P_STRONG));
            h.fact("reason", text, phrase);
            hits.push(h);
        }
    }
}

/// The `service` fact of an Argo CD refusal.
pub(crate) const ARGO_CD: &str = "Argo CD";

/// Argo CD's RBAC refusal (its own Casbin policy in `argocd-rbac-cm` and the
/// project's roles, not Kubernetes RBAC): `permission denied: RESOURCE,
/// ACTION, OBJECT` and, from an API call with a token, `, sub: SUBJECT, iat:
/// TIME` (Argo CD, "RBAC Configuration": `p, SUBJECT, RESOURCE, ACTION,
/// OBJECT, EFFECT`). The object is `project/application` for applications.
fn argo_cd(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "permission denied: ";
    /// Argo CD's RBAC resources.
    const RESOURCES: [&str; 12] = [
        "applications",
        "applicationsets",
        "clusters",
        "projects",
        "repositories",
        "accounts",
        "certificates",
        "gpgkeys",
        "logs",
        "exec",
        "extensions",
        "repositories-write",
    ];
    for pos in find_all(text, ANCHOR) {
        let rs = pos + ANCHOR.len();
        let Some(resource) = RESOURCES
            .iter()
            .find(|r| at(text, rs, r) && at(text, rs + r.len(), ", "))
        else {
            continue;
        };
        let acts = rs + resource.len() + 2;
        let le = line_end(text, pos);
        let action = crate::scan::trim_trailing(text, token(text, acts), b",");
        if action.is_empty() || !at(text, action.end, ", ") {
            continue;
        }
        let object = crate::scan::trim_trailing(text, token(text, action.end + 2), b",\\");
        let phrase = Span::new(pos, pos + ANCHOR.len() - 2);
        let mut h = Hit::phrase(text, phrase, Provider::Unknown, Gate::Authorization);
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        h.fact_value("service", ARGO_CD.to_owned(), phrase);
        h.fact("argoResource", text, Span::new(rs, rs + resource.len()));
        Hit::set_str(&mut h.action, text, action, P_DETAIL);
        if !object.is_empty() && object.end <= le {
            Hit::set_str(&mut h.resource, text, object, P_DETAIL);
        }
        const SUB: &str = ", sub: ";
        if let Some(sb) = find_in(text, SUB, object.end, le.min(object.end + SUB.len() + 2)) {
            let who = crate::scan::trim_trailing(text, token(text, sb + SUB.len()), b",");
            Hit::set_str(&mut h.principal, text, who, P_DETAIL);
        }
        hits.push(h);
    }
}

/// The steps for an Argo CD refusal: a policy line for the subject.
pub(crate) fn argo_cd_checklist(
    f: &crate::model::Finding,
    add: &mut dyn FnMut(&str, crate::model::Stage, String),
) {
    use crate::model::Stage;
    let res = super::checklist::fact(f, "argoResource").unwrap_or("applications");
    let act = f.action.as_deref().unwrap_or("<action>");
    let obj = f.resource.as_deref().unwrap_or("<project>/<object>");
    let sub = f.principal.as_deref().unwrap_or("<subject>");
    add(
        "argocd.rbac-policy",
        Stage::Fix,
        format!(
            "Argo CD's own RBAC refused this, not Kubernetes RBAC. Allow it with a policy line for the user or one of their groups (the `sub` is the user's id from the identity provider; groups come from the token's `groups` claim) in the `policy.csv` of the `argocd-rbac-cm` ConfigMap, or in a role of the application's project: `p, {sub}, {res}, {act}, {obj}, allow`."
        ),
    );
    add(
        "argocd.rbac-check",
        Stage::Verify,
        format!("Check the policy before and after the change: `argocd admin settings rbac can {sub} {act} {res} {obj} --namespace argocd` (the user's group works in place of `{sub}`)."),
    );
}

/// The `service` fact of a Terraform Cloud or Enterprise refusal.
pub(crate) const TFE: &str = "HCP Terraform (Terraform Cloud) or Terraform Enterprise";

/// Words near a `resource not found` that say the Terraform Cloud or
/// Enterprise API answered it: the tfe provider's resource types (`tfe_`)
/// and the service's host and names.
const TFE_TELLS: [&str; 5] = [
    "tfe_",
    "app.terraform.io",
    "Terraform Cloud",
    "Terraform Enterprise",
    "HCP Terraform",
];

/// The Terraform Cloud and Enterprise API's `404 Not Found`, which it sends
/// both for what does not exist and for what the token may not see (API
/// documentation, "Response codes"); go-tfe, and so the tfe provider, prints
/// it as `resource not found`: `Error creating env variable NAME: resource
/// not found`. Only possible: it may be a real absence. The same message
/// repeated on the lines under it (Terraform's log) is the same refusal.
fn terraform_cloud(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = ": resource not found";
    let mut last: Option<usize> = None;
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let from = crate::scan::floor_boundary(text, ls.saturating_sub(512));
        if !TFE_TELLS
            .iter()
            .any(|t| find_in(text, t, from, le).is_some())
        {
            continue;
        }
        // The line under the previous refusal, saying it again.
        if let Some(h) = last.and_then(|i| hits.get_mut(i)) {
            if crate::scan::next_line(text, h.span.end) == Some(ls) {
                h.span.end = le;
                continue;
            }
        }
        let phrase = Span::new(pos + 2, pos + ANCHOR.len());
        let mut h = Hit::phrase(text, phrase, Provider::Unknown, Gate::Authorization);
        h.confidence = Some(crate::model::Confidence::Possible);
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        h.http_status = Some(((404, false), Some(phrase), P_GENERIC));
        h.fact_value("service", TFE.to_owned(), phrase);
        h.fact_value("mayConceal", "403".to_owned(), phrase);
        // What the call named just before the message (`env variable NAME`).
        let before = text.get(ls..pos).unwrap_or("");
        let word = before.rsplit(' ').next().unwrap_or("");
        if !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        {
            Hit::set_str(
                &mut h.resource,
                text,
                Span::new(pos - word.len(), pos),
                P_GENERIC,
            );
        }
        last = Some(hits.len());
        hits.push(h);
    }
}

fn line_hit(text: &str, pos: usize, phrase: Span, gate: Gate) -> Hit {
    let mut h = Hit::new(
        Span::new(line_start(text, pos), line_end(text, pos)),
        Provider::Http,
        P_DETAIL,
    );
    h.provider = Some((Provider::Http, Some(phrase), P_GENERIC));
    h.gate = Some((gate, Some(phrase), P_DETAIL));
    h
}

/// nginx's error log for a request its `deny` rules refused (module
/// ngx_http_access_module; the client gets 403): `access forbidden by rule,
/// client: IP, server: S, request: "POST /x HTTP/1.1"`.
fn nginx(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "access forbidden by rule";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let mut h = line_hit(text, pos, phrase, Gate::Authorization);
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        request_line(text, pos, line_end(text, pos), &mut h);
        hits.push(h);
    }
}

/// `request: "METHOD /path HTTP/1.1"` on the line: the method and the path.
fn request_line(text: &str, from: usize, to: usize, h: &mut Hit) {
    const REQ: &str = "request: \"";
    let Some(r) = find_in(text, REQ, from, to) else {
        return;
    };
    let method = token(text, r + REQ.len());
    let path = token(text, method.end + 1);
    if !method.is_empty() && slice(text, method).bytes().all(|b| b.is_ascii_uppercase()) {
        Hit::set_str(&mut h.action, text, method, P_GENERIC);
    }
    if slice(text, path).starts_with('/') {
        Hit::set_str(&mut h.resource, text, path, P_DETAIL);
    }
}

/// Apache httpd's `AH01630: client denied by server configuration: PATH`
/// (mod_authz_core: a `Require` directive refused the client; the client got
/// 403).
fn apache(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "AH01630: client denied by server configuration";
    for pos in find_all(text, ANCHOR) {
        let code = Span::new(pos, pos + 7);
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let mut h = line_hit(text, pos, phrase, Gate::Authorization);
        h.error_code = Some(("AH01630".to_owned(), Some(code), P_CODE));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        let rs = pos + ANCHOR.len();
        if at(text, rs, ": ") {
            let path = crate::scan::trim_trailing(text, token(text, rs + 2), b",");
            if !path.is_empty() {
                Hit::set_str(&mut h.resource, text, path, P_DETAIL);
            }
        }
        hits.push(h);
    }
}

/// Envoy's access log (Istio's sidecars and gateways) with the response
/// flag of its JWT filter: `"GET /hello HTTP/2" 401 - jwt_authn_access_denied{...}`.
fn envoy_jwt(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "jwt_authn_access_denied";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let ls = line_start(text, pos);
        let mut h = line_hit(text, pos, phrase, Gate::Authentication);
        h.error_code = Some((ANCHOR.to_owned(), Some(phrase), P_CODE));
        // `"METHOD /path PROTO" STATUS` before it on the line.
        if let Some(q) = find_in(text, "\" ", ls, pos) {
            if let Some(st) = status_at(text, q + 2) {
                h.status(st, Span::new(q + 2, q + 5));
            }
            let open = text
                .get(ls..q)
                .and_then(|l| l.rfind('"'))
                .map(|o| ls + o + 1);
            if let Some(o) = open {
                let method = token(text, o);
                let path = token(text, method.end + 1);
                if slice(text, path).starts_with('/') {
                    Hit::set_str(&mut h.resource, text, path, P_DETAIL);
                }
            }
        }
        hits.push(h);
    }
}

/// Cloudflare's API error 10000, `Authentication error`: the API token is
/// missing, invalid, or not allowed this call (its permissions or IP
/// filter). wrangler prints `A request to the Cloudflare API (PATH) failed.`
/// and `Authentication error [code: 10000]`; the API body is `{"code":10000,
/// "message":"Authentication error"}`.
fn cloudflare(text: &str, hits: &mut Vec<Hit>) {
    for (anchor, code_at) in [
        ("Authentication error [code: 10000]", 28),
        ("\"code\":10000,\"message\":\"Authentication error\"", 7),
    ] {
        for pos in find_all(text, anchor) {
            let phrase = Span::new(pos, pos + anchor.len());
            let mut h = line_hit(text, pos, phrase, Gate::Authentication);
            h.error_code = Some((
                "10000".to_owned(),
                Some(Span::new(pos + code_at, pos + code_at + 5)),
                P_CODE,
            ));
            h.fact_value("service", "Cloudflare API".to_owned(), phrase);
            const API: &str = "A request to the Cloudflare API (";
            let from = line_start(text, line_start(text, pos).saturating_sub(3));
            let from = line_start(text, from.saturating_sub(1));
            if let Some(a) = find_in(text, API, from, pos) {
                let ps = a + API.len();
                if let Some(e) = find_in(text, ")", ps, line_end(text, ps)) {
                    Hit::set_str(&mut h.resource, text, Span::new(ps, e), P_DETAIL);
                    h.span = Span::new(line_start(text, a), h.span.end);
                }
            }
            hits.push(h);
        }
    }
}

/// An OAuth 2.0 server refusing a client the scopes it asked for (Auth0's
/// client credentials grant: `{"error":"access_denied","error_description":
/// "Client has not been granted scopes: read:roles"}`): the client's grant
/// does not include them.
fn oauth_scopes(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "has not been granted scopes: ";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len() - 2);
        let mut h = line_hit(text, pos, phrase, Gate::Authorization);
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        let ss = pos + ANCHOR.len();
        let le = line_end(text, ss);
        let end = find_in(text, "\"", ss, le).unwrap_or(le);
        let scopes = crate::scan::trim_trailing(text, Span::new(ss, end), b".' ");
        if !scopes.is_empty() {
            Hit::set_str(&mut h.action, text, scopes, P_DETAIL);
        }
        if find_in(text, "access_denied", line_start(text, pos), pos).is_some() {
            h.error_code = Some(("access_denied".to_owned(), None, P_GENERIC));
        }
        hits.push(h);
    }
}

/// An access log line in the Common or Combined Log Format (nginx, Apache,
/// Keycloak's and most proxies' default): `IP - USER [date] "GET /path
/// HTTP/1.1" 403 SIZE`. A 401, 403 or 407 there is a refused request: the
/// method and path are what was refused, the user (when not `-`) who.
fn access_log(text: &str, hits: &mut Vec<Hit>) {
    for version in ["HTTP/1.1\" ", "HTTP/1.0\" ", "HTTP/2.0\" ", "HTTP/2\" "] {
        for pos in find_all(text, version) {
            let s = pos + version.len();
            let Some(st) = crate::scan::status_at(text, s) else {
                continue;
            };
            let gate = match st {
                401 | 407 => Gate::Authentication,
                403 => Gate::Authorization,
                _ => continue,
            };
            let ls = line_start(text, pos);
            // The request's opening quote, and the `[date]` before it.
            let Some(q) = text.get(ls..pos).and_then(|b| b.rfind('"')).map(|i| ls + i) else {
                continue;
            };
            if !text.get(ls..q).is_some_and(|b| b.trim_end().ends_with(']')) {
                continue;
            }
            let status = Span::new(s, s + 3);
            let mut h = line_hit(text, pos, status, gate);
            h.status(st, status);
            if gate == Gate::Authorization {
                h.deny = Some((DenyKind::Unknown, Some(status), P_GENERIC));
            }
            let method = crate::scan::token(text, q + 1);
            let path = crate::scan::token(text, crate::scan::skip_blank(text, method.end));
            if path.end <= pos && slice(text, path).starts_with('/') {
                // The path without its query: the resource, not one call's arguments.
                let p = slice(text, path);
                let end = p.find('?').map_or(path.end, |i| path.start + i);
                Hit::set_str(&mut h.resource, text, Span::new(path.start, end), P_DETAIL);
                h.fact("method", text, method);
            }
            // `IP IDENT USER [date]`: the third field, when a user is named.
            let fields: Vec<&str> = text
                .get(ls..q)
                .unwrap_or("")
                .split_whitespace()
                .take(3)
                .collect();
            if let Some(user) = fields.get(2).filter(|u| **u != "-" && !u.starts_with('[')) {
                if let Some(at) = text.get(ls..q).and_then(|b| b.find(user)).map(|i| ls + i) {
                    Hit::set_str(
                        &mut h.principal,
                        text,
                        Span::new(at, at + user.len()),
                        P_DETAIL,
                    );
                }
            }
            hits.push(h);
        }
    }
}

/// A gateway's or an edge's own refusal, in its fixed words: (phrase, the
/// provider, the service it names, gate, deny kind, the status it sends, its
/// code). Each from the product's documentation: Istio's RBAC filter answers
/// `RBAC: access denied` with 403 (Istio, "Authorization policy"); Kong's
/// key-auth plugin `No API key found in request` with 401 and its ACL plugin
/// `Cannot identify the consumer, add an authentication plugin to use ACL
/// plugin` when no authentication plugin identified one, and `You cannot
/// consume this service` when the consumer's group is not allowed (Kong
/// plugin hub); Cloudflare's error 1020, a custom firewall rule (Cloudflare,
/// "Error 1020: Access Denied"); CloudFront's own 403 page (CloudFront
/// Developer Guide, "HTTP 403 status code (Forbidden)").
/// One row of [`EDGE_PHRASES`].
struct Edge {
    phrase: &'static str,
    provider: Provider,
    service: &'static str,
    gate: Gate,
    deny: Option<DenyKind>,
    status: u16,
    code: Option<&'static str>,
}

const EDGE_PHRASES: [Edge; 8] = [
    Edge {
        phrase: "RBAC: access denied",
        provider: Provider::Http,
        service: "Istio (Envoy RBAC filter)",
        gate: Gate::Authorization,
        deny: Some(DenyKind::Unknown),
        status: 403,
        code: None,
    },
    Edge {
        phrase: "No API key found in request",
        provider: Provider::Http,
        service: "Kong",
        gate: Gate::Authentication,
        deny: None,
        status: 401,
        code: None,
    },
    Edge {
        phrase: "Cannot identify the consumer, add an authentication plugin to use ACL plugin",
        provider: Provider::Http,
        service: "Kong",
        gate: Gate::Authentication,
        deny: None,
        status: 403,
        code: None,
    },
    Edge {
        phrase: "You cannot consume this service",
        provider: Provider::Http,
        service: "Kong",
        gate: Gate::Authorization,
        deny: Some(DenyKind::Explicit),
        status: 403,
        code: None,
    },
    Edge {
        phrase: "Cloudflare - 1020, Access Denied",
        provider: Provider::Http,
        service: "Cloudflare",
        gate: Gate::Authorization,
        deny: Some(DenyKind::Explicit),
        status: 403,
        code: Some("1020"),
    },
    Edge {
        phrase: "Error 1020",
        provider: Provider::Http,
        service: "Cloudflare",
        gate: Gate::Authorization,
        deny: Some(DenyKind::Explicit),
        status: 403,
        code: Some("1020"),
    },
    Edge {
        phrase: "Generated by cloudfront (CloudFront)",
        provider: Provider::Aws,
        service: CLOUDFRONT,
        gate: Gate::Authorization,
        deny: Some(DenyKind::Unknown),
        status: 403,
        code: None,
    },
    Edge {
        phrase:
            "The Amazon CloudFront distribution is configured to block access from your country",
        provider: Provider::Aws,
        service: CLOUDFRONT,
        gate: Gate::Authorization,
        deny: Some(DenyKind::Explicit),
        status: 403,
        code: None,
    },
];

fn edges(text: &str, hits: &mut Vec<Hit>) {
    for Edge {
        phrase: phrase_text,
        provider,
        service,
        gate,
        deny,
        status,
        code,
    } in EDGE_PHRASES
    {
        for pos in find_all(text, phrase_text) {
            // CloudFront's page signs every error it generates: only its 403
            // page is a refusal (`<H1>403 ERROR</H1>` above the signature).
            if phrase_text.starts_with("Generated by cloudfront") {
                let from = crate::scan::floor_boundary(text, pos.saturating_sub(1500));
                if find_in(text, "403 ERROR", from, pos).is_none() {
                    continue;
                }
            }
            // `Error 1020` must be Cloudflare's page (its Ray ID or its name).
            if phrase_text == "Error 1020" {
                let from = crate::scan::floor_boundary(text, pos.saturating_sub(600));
                let to = crate::scan::ceil_boundary(text, (pos + 600).min(text.len()));
                if find_in(text, "Cloudflare", from, to).is_none()
                    && find_in(text, "Ray ID", from, to).is_none()
                {
                    continue;
                }
            }
            let phrase = Span::new(pos, pos + phrase_text.len());
            let mut h = Hit::phrase(text, phrase, provider, gate);
            h.fact_value("service", service.to_owned(), phrase);
            if let Some(d) = deny {
                h.deny = Some((d, Some(phrase), P_GENERIC));
            }
            h.http_status = Some(((status, false), Some(phrase), P_GENERIC));
            if let Some(c) = code {
                h.error_code = Some((c.to_owned(), Some(phrase), P_DETAIL));
            }
            if service == CLOUDFRONT {
                let to = crate::scan::ceil_boundary(text, (pos + 300).min(text.len()));
                if let Some(r) = find_in(text, "Request ID: ", pos, to) {
                    let v = token(text, r + "Request ID: ".len());
                    h.fact("requestId", text, v);
                    h.span = Span::new(h.span.start, line_end(text, r));
                }
            }
            hits.push(h);
        }
    }
}

/// The Elasticsearch and OpenSearch security plugins' refusal:
/// `no permissions for [indices:data/read/search] and User [name=test-user,
/// backend_roles=[], ...]` (OpenSearch) and `action [indices:data/read/search]
/// is unauthorized for user [u]` (Elasticsearch): the action and the user.
fn search_security(text: &str, hits: &mut Vec<Hit>) {
    for (lead, who) in [
        ("no permissions for [", "User [name="),
        ("action [", "is unauthorized for user ["),
    ] {
        for pos in find_all(text, lead) {
            let s = pos + lead.len();
            let le = line_end(text, pos);
            let Some(close) = find_in(text, "]", s, le) else {
                continue;
            };
            let action = Span::new(s, close);
            if !slice(text, action).contains(':') {
                continue;
            }
            let Some(w) = find_in(text, who, close, le) else {
                continue;
            };
            if lead == "action [" && w > close + 3 {
                continue;
            }
            let us = w + who.len();
            let ue = text
                .get(us..le)
                .and_then(|t| t.find([',', ']']))
                .map_or(le, |i| us + i);
            let phrase = Span::new(pos, close + 1);
            let mut h = line_hit(text, pos, phrase, Gate::Authorization);
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
            h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
            h.fact_value(
                "service",
                "Elasticsearch or OpenSearch security".to_owned(),
                phrase,
            );
            Hit::set_str(&mut h.action, text, action, P_DETAIL);
            Hit::set_str(&mut h.principal, text, Span::new(us, ue), P_DETAIL);
            hits.push(h);
        }
    }
}

/// The `service` fact of CloudFront's own refusals.
pub(crate) const CLOUDFRONT: &str = "Amazon CloudFront";

/// One sentence for a 403 page CloudFront generated itself.
pub(crate) fn cloudfront_summary(f: &crate::model::Finding) -> String {
    if f.deny == Some(DenyKind::Explicit) {
        return "Amazon CloudFront refused the request because the distribution's geographic restriction blocks the country it came from; no IAM policy is involved".to_owned();
    }
    "Amazon CloudFront itself refused the request (a 403 page it generated, not the origin's): an AWS WAF rule on the distribution, a geographic restriction, a host name the distribution does not serve, or a signed URL it requires; no IAM policy of the caller is involved".to_owned()
}

/// CloudFront Developer Guide, "HTTP 403 status code (Forbidden)" and
/// "Restrict the geographic distribution of your content".
pub(crate) fn cloudfront_items(_f: &crate::model::Finding, list: &mut super::checklist::List) {
    use crate::model::Stage;
    list.add(
        "cloudfront.owner",
        Stage::Diagnose,
        "Only the distribution's owner can change this (give them the request id: it finds this request in the distribution's logs): in the CloudFront console, check the distribution's AWS WAF web ACL (a rule that blocks the caller's IP address, country or request), its geographic restrictions, its alternate domain names (a host name not listed is refused) and whether it requires signed URLs or cookies.".to_owned(),
        None,
    );
    list.add(
        "cloudfront.not-iam",
        Stage::Verify,
        "Changing IAM policies or credentials will not help: the request was refused at the edge before it reached the origin. Try from another network only to confirm an IP or country rule, not to get around it.".to_owned(),
        None,
    );
}

/// Authentication proxies' log sentences. Authelia: `Access to URL (method
/// M) is not authorized to user U, responding with status code N` (`<anonymous>`
/// when no session came with the request: authentication; a named user:
/// authorization by its access control rules). oauth2-proxy: `email in
/// id_token (E) isn't verified` (the identity provider has not verified the
/// address, so the login is refused).
fn auth_proxies(text: &str, hits: &mut Vec<Hit>) {
    const NOT_AUTHORIZED: &str = " is not authorized to user ";
    for pos in find_all(text, NOT_AUTHORIZED) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let Some(a) = text
            .get(ls..pos)
            .and_then(|h| h.rfind("Access to "))
            .map(|i| ls + i)
        else {
            continue;
        };
        let us = pos + NOT_AUTHORIZED.len();
        let user = text
            .get(us..le)
            .and_then(|t| t.find(','))
            .map_or(token(text, us), |i| Span::new(us, us + i));
        let anonymous = slice(text, user) == "<anonymous>";
        let phrase = Span::new(pos + 1, pos + NOT_AUTHORIZED.len() - 1);
        let gate = if anonymous {
            Gate::Authentication
        } else {
            Gate::Authorization
        };
        let mut h = line_hit(text, pos, phrase, gate);
        h.provider = Some((Provider::Http, Some(phrase), P_DETAIL));
        h.fact_value("service", "Authelia".to_owned(), phrase);
        Hit::set_str(&mut h.principal, text, user, P_DETAIL);
        let url = token(text, a + "Access to ".len());
        Hit::set_str(&mut h.resource, text, url, P_DETAIL);
        if !anonymous {
            h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        }
        if let Some(c) = find_in(text, "responding with status code ", pos, le) {
            let st = c + "responding with status code ".len();
            if let Some(code) = status_at(text, st) {
                h.status(code, Span::new(st, st + 3));
            }
        }
        hits.push(h);
    }
    const UNVERIFIED: &str = "email in id_token (";
    for pos in find_all(text, UNVERIFIED) {
        let le = line_end(text, pos);
        let s = pos + UNVERIFIED.len();
        let Some(close) = find_in(text, ") isn't verified", s, le) else {
            continue;
        };
        let phrase = Span::new(pos, close + ") isn't verified".len());
        let mut h = line_hit(text, pos, phrase, Gate::Authentication);
        h.fact_value("service", "oauth2-proxy".to_owned(), phrase);
        Hit::set_str(&mut h.principal, text, Span::new(s, close), P_DETAIL);
        hits.push(h);
    }
}

/// The `service` fact of a Jenkins refusal.
pub(crate) const JENKINS: &str = "Jenkins";

/// Jenkins' permission check (`hudson.security.AccessDeniedException3`, in
/// the log, the CLI and the REST answer): `USER is missing the Overall/Read
/// permission`, the permission written `Group/Name` as Jenkins' security
/// matrix shows it. `anonymous` is a request without credentials.
fn jenkins(text: &str, hits: &mut Vec<Hit>) {
    const MISSING: &str = " is missing the ";
    for pos in find_all(text, MISSING) {
        let perm_start = pos + MISSING.len();
        let le = line_end(text, pos);
        let Some(end) = find_in(text, " permission", perm_start, le) else {
            continue;
        };
        // A localised message quotes the permission (`„Element/Build“`).
        let mut perm = Span::new(perm_start, end);
        for q in ['„', '“', '”', '"', '\'', '«', '»'] {
            let v = slice(text, perm);
            if let Some(rest) = v.strip_prefix(q) {
                perm = Span::new(perm.end - rest.len(), perm.end);
            }
            let v = slice(text, perm);
            if let Some(rest) = v.strip_suffix(q) {
                perm = Span::new(perm.start, perm.start + rest.len());
            }
        }
        let pv = slice(text, perm);
        // `Overall/Read`, `Job/Create`, `Plugin Usage View/PluginView`.
        if !pv.contains('/') || pv.len() > 60 {
            continue;
        }
        let ls = line_start(text, pos);
        let head = text.get(ls..pos).unwrap_or("");
        let who_start = head.rfind([' ', '\t']).map_or(ls, |i| ls + i + 1);
        let who = Span::new(who_start, pos);
        if who.is_empty() {
            continue;
        }
        let anonymous = slice(text, who) == "anonymous";
        let gate = if anonymous {
            Gate::Authentication
        } else {
            Gate::Authorization
        };
        let phrase = Span::new(pos + 1, end + " permission".len());
        let mut h = Hit::phrase(text, phrase, Provider::Unknown, gate);
        h.span = Span::new(h.span.start, le);
        h.fact_value("service", JENKINS.to_owned(), phrase);
        if !anonymous {
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        }
        Hit::set_str(&mut h.principal, text, who, P_DETAIL);
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        for code in ["AccessDeniedException3", "AccessDeniedException2"] {
            if let Some(c) = find_in(text, code, ls, pos) {
                h.error_code = Some((code.to_owned(), Some(Span::new(c, c + code.len())), P_CODE));
            }
        }
        hits.push(h);
    }
}
/// One sentence for a Jenkins refusal.
pub(crate) fn jenkins_summary(f: &crate::model::Finding) -> String {
    let perm = f.action.as_deref().map_or_else(
        || "a permission".to_owned(),
        |a| format!("the `{a}` permission"),
    );
    match (f.gate, f.principal.as_deref()) {
        (Gate::Authentication, _) => format!("Jenkins refused an anonymous request, which lacks {perm}: it carried no credentials, so send a user name with an API token"),
        (_, Some(who)) => format!("Jenkins refused `{who}` {perm}: the configured authorization strategy (matrix, project-based or role-based) does not grant it to this user or any group they are in"),
        _ => format!("Jenkins refused {perm}: the configured authorization strategy does not grant it"),
    }
}

/// What to check in Jenkins: the credentials sent, then the authorization
/// strategy's grants (Jenkins handbook, "Managing Security": authorization).
pub(crate) fn jenkins_items(f: &crate::model::Finding, list: &mut super::checklist::List) {
    use crate::model::Stage;
    let perm = f
        .action
        .as_deref()
        .map_or_else(|| "the permission".to_owned(), |a| format!("`{a}`"));
    if f.gate == Gate::Authentication {
        list.add(
            "jenkins.credentials",
            Stage::Diagnose,
            format!("The request reached Jenkins as `anonymous`, which lacks {perm}. Send a user name and an API token (created on the user's Security page): `curl -u USER:TOKEN`, `java -jar jenkins-cli.jar -auth USER:TOKEN`, or the tool's credentials setting. A password where a token is expected, or a token for another user, also ends up anonymous."),
            None,
        );
    }
    list.add(
        "jenkins.grant",
        Stage::Fix,
        format!("In Manage Jenkins, Security, see which authorization strategy is configured and grant {perm} to this user or to a group they belong to (with an external identity provider, the group names must match what it sends). Prefer the narrowest grant: a folder or project-level one where the strategy supports it."),
        None,
    );
}
