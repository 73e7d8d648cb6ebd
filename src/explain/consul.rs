//! HashiCorp Consul's and Nomad's ACL refusals, as their agents, command
//! lines and API clients print them.
//!
//! Both decide a request by the policies of the ACL token it carries; a
//! request without a token uses the anonymous token (Consul's accessor
//! `00000000-0000-0000-0000-000000000002`). Consul's refusal names the token,
//! the permission and the resource (`token with AccessorID 'A' lacks
//! permission 'service:write' on "web"`; older releases `... denied due to
//! ACLs`); both Go API clients print `Unexpected response code: 403
//! (Permission denied)`, and `(ACL token not found)` when the token itself is
//! unknown (Consul, "ACL system"; Nomad, "Access control lists"). Neither has
//! a provider here: the findings are `unknown` with the fact `service`.

use super::{Hit, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{find_all, find_in, line_end, line_start, slice, status_at, value};

/// The `service` fact of a Consul refusal.
pub(crate) const CONSUL: &str = "HashiCorp Consul";
/// The `service` fact of a Nomad refusal.
pub(crate) const NOMAD: &str = "HashiCorp Nomad";
/// The `service` fact when the text does not say which of the two answered
/// (their API clients print the same `Unexpected response code` line).
pub(crate) const EITHER: &str = "HashiCorp Consul or Nomad";
/// Consul's anonymous token, used when a request carries none.
const ANONYMOUS: &str = "00000000-0000-0000-0000-000000000002";

pub(crate) fn applies(f: &Finding) -> bool {
    super::checklist::fact(f, "service").is_some_and(|s| [CONSUL, NOMAD, EITHER].contains(&s))
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    lacks_permission(text, hits);
    client(text, hits);
    logs(text, hits);
}

fn acl_hit(text: &str, phrase: Span, service: &str, gate: Gate) -> Hit {
    let mut h = Hit::phrase(text, phrase, Provider::Unknown, gate);
    h.fact_value("service", service.to_owned(), phrase);
    h
}

/// Which of the two a text is about, from its own words; `None` when it names
/// neither.
fn which(text: &str, pos: usize) -> Option<&'static str> {
    let from = crate::scan::floor_boundary(text, pos.saturating_sub(1500));
    let to = crate::scan::ceil_boundary(text, (pos + 1500).min(text.len()));
    let near = text.get(from..to)?.to_ascii_lowercase();
    let consul = near.find("consul");
    let nomad = near.find("nomad");
    match (consul, nomad) {
        (Some(_), None) => Some(CONSUL),
        (None, Some(_)) => Some(NOMAD),
        (Some(c), Some(n)) => Some(if c <= n { CONSUL } else { NOMAD }),
        // Nomad's own nouns in the client's error (`Error querying jobs`,
        // `Unable to fetch allocations`).
        (None, None) if near.contains("allocation") || near.contains(" job") => Some(NOMAD),
        (None, None) => None,
    }
}

/// `token with AccessorID 'A' lacks permission 'P' on "R"`, `anonymous token
/// lacks permission 'P' on "R"`, and the older `Register of service 'S' on
/// 'N' denied due to ACLs`.
fn lacks_permission(text: &str, hits: &mut Vec<Hit>) {
    const LACKS: &str = " lacks permission ";
    for pos in find_all(text, LACKS) {
        let ls = line_start(text, pos);
        let head = text.get(ls..pos).unwrap_or("");
        let token_at = head.rfind("token with AccessorID ");
        let anonymous = head.ends_with("anonymous token");
        if token_at.is_none() && !anonymous {
            continue;
        }
        let Some(perm) = value(text, pos + LACKS.len()) else {
            continue;
        };
        if !slice(text, perm).contains(':') {
            continue;
        }
        let phrase = Span::new(pos + 1, pos + LACKS.len() - 1);
        let accessor = token_at.and_then(|t| value(text, ls + t + "token with AccessorID ".len()));
        let anon = anonymous || accessor.is_some_and(|a| slice(text, a) == ANONYMOUS);
        // The anonymous token stands for no token at all: the request was
        // not authenticated (Consul: "The anonymous token is used implicitly
        // when a request does not specify a token").
        let gate = if anon {
            Gate::Authentication
        } else {
            Gate::Authorization
        };
        let mut h = acl_hit(text, phrase, which(text, pos).unwrap_or(CONSUL), gate);
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        match accessor {
            Some(a) => Hit::set_str(&mut h.principal, text, a, P_DETAIL),
            // `anonymous token lacks permission`: the token is the principal.
            None => {
                let who = Span::new(pos - "anonymous token".len(), pos);
                Hit::set_str(&mut h.principal, text, who, P_DETAIL);
            }
        }
        Hit::set_str(&mut h.action, text, perm, P_DETAIL);
        let on = crate::scan::skip_blank(text, perm.end + 1);
        if crate::scan::at(text, on, "on ") {
            if let Some(r) = value(text, on + 3) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
            }
        }
        hits.push(h);
    }
    const DUE: &str = " denied due to ACLs";
    for pos in find_all(text, DUE) {
        let ls = line_start(text, pos);
        let phrase = Span::new(pos + 1, pos + DUE.len());
        let mut h = acl_hit(text, phrase, CONSUL, Gate::Authorization);
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_GENERIC));
        if let Some(s) = find_in(text, "of service ", ls, pos) {
            if let Some(v) = value(text, s + "of service ".len()) {
                Hit::set_str(&mut h.resource, text, v, P_DETAIL);
                h.action = Some(("service:write".to_owned(), Some(v), P_GENERIC));
            }
        }
        hits.push(h);
    }
}

/// The Go API clients: `Unexpected response code: 403 (Permission denied)`
/// and `... 403 (ACL token not found)`, in a Consul or Nomad context.
fn client(text: &str, hits: &mut Vec<Hit>) {
    const URC: &str = "Unexpected response code: ";
    for pos in find_all(text, URC) {
        let s = pos + URC.len();
        let Some(st) = status_at(text, s) else {
            continue;
        };
        let reason = s + 3;
        let (gate, why) = if crate::scan::at(text, reason, " (Permission denied)") {
            (Gate::Authorization, "Permission denied")
        } else if crate::scan::at(text, reason, " (ACL token not found)") {
            (Gate::Authentication, "ACL token not found")
        } else {
            continue;
        };
        let service = which(text, pos).unwrap_or(EITHER);
        let phrase = Span::new(reason + 2, reason + 2 + why.len());
        let mut h = acl_hit(text, phrase, service, gate);
        h.status(st, Span::new(s, s + 3));
        h.fact("reason", text, phrase);
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        }
        hits.push(h);
    }
}

/// Server and agent logs: Consul's `[ERR] http: Request GET /v1/acl/tokens,
/// error: Permission denied` and `rpc error making call: Permission denied`,
/// Nomad's `http: request failed: method=PUT path=/v1/jobs error="Permission
/// denied" code=403`.
fn logs(text: &str, hits: &mut Vec<Hit>) {
    for (anchor, path_label) in [
        (", error: Permission denied", "Request "),
        ("error=\"Permission denied\"", "path="),
        ("rpc error making call: Permission denied", "method="),
    ] {
        for pos in find_all(text, anchor) {
            let Some(service) = which(text, pos) else {
                continue;
            };
            let (ls, le) = (line_start(text, pos), line_end(text, pos));
            let d = find_in(text, "Permission denied", pos, le).unwrap_or(pos);
            let phrase = Span::new(d, d + "Permission denied".len());
            let mut h = acl_hit(text, phrase, service, Gate::Authorization);
            h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
            if let Some(p) = find_in(text, path_label, ls, le) {
                let mut v = crate::scan::token(text, p + path_label.len());
                // `Request GET /v1/...,`: the path after the method.
                if path_label == "Request " {
                    v = crate::scan::token(text, crate::scan::skip_blank(text, v.end));
                }
                let raw = slice(text, v).trim_end_matches(',');
                if !raw.is_empty() {
                    let span = Span::new(v.start, v.start + raw.len());
                    if path_label == "method=" {
                        h.fact("rpc", text, span);
                    } else {
                        Hit::set_str(&mut h.resource, text, span, P_DETAIL);
                    }
                }
            }
            if let Some(c) = find_in(text, " code=", pos, le) {
                let s = c + " code=".len();
                if let Some(st) = status_at(text, s) {
                    h.status(st, Span::new(s, s + 3));
                }
            }
            hits.push(h);
        }
    }
}

/// Whether the anonymous token (no token at all) was refused.
fn anonymous(f: &Finding) -> bool {
    matches!(f.principal.as_deref(), Some(ANONYMOUS | "anonymous token"))
}

pub(crate) fn summary(f: &Finding) -> String {
    let name = super::checklist::fact(f, "service").unwrap_or(CONSUL);
    let status = f
        .http_status
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    let what = match (f.action.as_deref(), f.resource.as_deref()) {
        (Some(a), Some(r)) => format!(" `{a}` on `{r}`"),
        (Some(a), None) => format!(" `{a}`"),
        (None, Some(r)) => format!(" the request for `{r}`"),
        _ => " the request".to_owned(),
    };
    if anonymous(f) {
        return format!("{name} refused{what}{status}: the request carried no ACL token, so the anonymous token's policies decided, and they do not grant it");
    }
    match f.gate {
        Gate::Authentication => format!("{name} did not recognise the ACL token{status}: it does not exist in this cluster (deleted, expired, or from another datacenter or cluster)"),
        _ => format!("{name} refused{what}{status}: the ACL token's policies do not grant it"),
    }
}

pub(crate) fn checklist(f: &Finding, list: &mut super::checklist::List) {
    let mut add = |id: &str, stage: Stage, text: String, command: Option<String>| {
        list.add(id, stage, text, command)
    };
    let nomad = super::checklist::fact(f, "service") == Some(NOMAD);
    let either = super::checklist::fact(f, "service") == Some(EITHER);
    let (env, read) = if nomad {
        ("NOMAD_TOKEN", "nomad acl token self".to_owned())
    } else {
        (
            "CONSUL_HTTP_TOKEN",
            match f.principal.as_deref() {
                Some(a) if a != ANONYMOUS => format!("consul acl token read -accessor-id {a}"),
                _ => "consul acl token read -self".to_owned(),
            },
        )
    };
    if anonymous(f) || f.gate == Gate::Authentication {
        add(
            "hashicorp.acl-token-sent",
            Stage::Diagnose,
            format!("Make sure the request carries a valid ACL token: `{env}`, the command's `-token` option, the `X-{}-Token` header, or the agent's own token in its configuration. Without one the anonymous token decides; a token this cluster does not know is refused outright.", if nomad { "Nomad" } else { "Consul" }),
            Some(read.clone()),
        );
    }
    if f.gate == Gate::Authorization {
        let perm = f.action.as_deref().map_or_else(
            || "the permission the request needs".to_owned(),
            |a| format!("`{a}`"),
        );
        add(
            "hashicorp.acl-policies",
            Stage::Diagnose,
            format!("A request is allowed only when one of the token's policies grants {perm}{}. Read the token to see its policies, then each policy's rules.", f.resource.as_deref().map_or_else(String::new, |r| format!(" on `{r}`"))),
            (!either).then_some(read),
        );
        if either {
            add(
                "hashicorp.which",
                Stage::Diagnose,
                "The message does not say whether Consul or Nomad answered (both clients print this line): for Consul, `consul acl token read -self`; for Nomad, `nomad acl token self`.".to_owned(),
                None,
            );
        }
        add(
            "hashicorp.acl-fix",
            Stage::Fix,
            if nomad {
                "Add the capability to a policy the token holds (`nomad acl policy apply NAME rules.hcl`; for jobs, a `namespace` block with `submit-job` or `policy = \"write\"`), or use a token that holds such a policy. Policies take effect on the token at once.".to_owned()
            } else {
                "Add a rule for this resource to a policy the token holds (for a service, `service \"NAME\" { policy = \"write\" }`; `consul acl policy update -name NAME -rules @rules.hcl`), or give the token a service identity. Policies take effect on the token at once.".to_owned()
            },
            None,
        );
    }
}
