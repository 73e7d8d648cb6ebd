//! Azure: `AuthorizationFailed` messages (ARM JSON, az CLI, SDKs, Terraform),
//! deny assignments, Azure Policy refusals, token failures and the Storage
//! data-plane codes.

use super::{code_info, Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{DenyKind, Gate, PolicyType, Provider};
use crate::scan::{
    at, byte, find_all, find_in, is_word, line_end, line_start, next_line, skip_blank, slice,
    status_at, token, value,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    message(text, hits);
    paren_codes(text, hits);
    labelled_codes(text, hits);
    quoted_codes(text, hits);
    policy(text, hits);
    storage(text, hits);
    keyvault(text, hits);
    entra(text, hits);
    phrases(text, hits);
    cosmos(text, hits);
    locks(text, hits);
    graph_permissions(text, hits);
    sharepoint_tokens(text, hits);
    devops_git(text, hits);
}

/// The `service` fact of an Azure DevOps refusal.
pub(crate) const DEVOPS: &str = "Azure DevOps";

/// Azure Repos' permission check: `TF401027: You need the Git
/// 'GenericContribute' permission to perform this action. Details: identity
/// 'Build\\<guid>', scope 'repository'.` A pipeline's identity (the
/// project's or collection's Build Service) or a user lacks the repository
/// permission; Azure role assignments play no part.
fn devops_git(text: &str, hits: &mut Vec<Hit>) {
    const NEED: &str = "TF401027: You need the Git ";
    for pos in find_all(text, NEED) {
        let code = Span::new(pos, pos + "TF401027".len());
        let mut h = Hit::phrase(text, code, Provider::Azure, Gate::Authorization);
        h.error_code = Some(("TF401027".to_owned(), Some(code), P_CODE));
        h.deny = Some((DenyKind::Implicit, Some(code), P_DETAIL));
        h.fact_value("service", DEVOPS.to_owned(), code);
        if let Some(p) = value(text, pos + NEED.len()) {
            Hit::set_str(&mut h.action, text, p, P_DETAIL);
        }
        let le = line_end(text, pos);
        if let Some(i) = find_in(text, "identity ", pos, le) {
            if let Some(v) = value(text, i + "identity ".len()) {
                Hit::set_str(&mut h.principal, text, v, P_DETAIL);
            }
        }
        if let Some(i) = find_in(text, "scope ", pos, le) {
            if let Some(v) = value(text, i + "scope ".len()) {
                h.fact("scope", text, v);
            }
        }
        // Over git, the server's `remote:` lines come before git's own
        // `fatal: unable to access 'URL': The requested URL returned error:
        // 403`: the status and the repository.
        let to = crate::scan::ceil_boundary(text, (le + 600).min(text.len()));
        if let Some(r) = find_in(text, "The requested URL returned error: ", le, to) {
            let st = r + "The requested URL returned error: ".len();
            if let Some(code) = status_at(text, st) {
                h.status(code, Span::new(st, st + 3));
                let fl = line_start(text, r);
                if let Some(u) = find_in(text, "unable to access ", fl, r) {
                    if let Some(v) = value(text, u + "unable to access ".len()) {
                        Hit::set_str(&mut h.resource, text, v, P_DETAIL);
                    }
                }
                h.span = Span::new(h.span.start, line_end(text, r));
            }
        }
        hits.push(h);
    }
}

/// Microsoft Graph's refusal of a token without the permission an API needs:
/// `Missing scope permissions on the request. API requires one of
/// 'ChannelMessage.Read.All'. Scopes on the request '...'` (a delegated
/// token's scopes) or `Missing role permissions on the request. API requires
/// one of 'Teamwork.Migrate.All'. Roles on the request '...'` (an
/// application's roles). Quotes may come JSON-escaped as `\u0027`.
fn graph_permissions(text: &str, hits: &mut Vec<Hit>) {
    for (lead, kind) in [
        (
            "Missing scope permissions on the request. API requires one of ",
            "delegated",
        ),
        (
            "Missing role permissions on the request. API requires one of ",
            "application",
        ),
    ] {
        for pos in find_all(text, lead) {
            let phrase = Span::new(pos, pos + lead.find('.').unwrap_or(0));
            let mut h = Hit::phrase(text, phrase, Provider::Azure, Gate::Authorization);
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_DETAIL));
            h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
            h.fact_value("service", GRAPH.to_owned(), phrase);
            h.fact_value(
                "permissionModel",
                format!("Microsoft Graph {kind} permissions"),
                phrase,
            );
            let v = pos + lead.len();
            let (open, close) = if at(text, v, "\\u0027") {
                (6, "\\u0027")
            } else {
                (1, "'")
            };
            let le = line_end(text, v);
            if let Some(end) = find_in(text, close, v + open, le) {
                // One of a list: the first is the narrowest the API names.
                let list = Span::new(v + open, end);
                let first = slice(text, list).split(',').next().unwrap_or("").trim();
                if !first.is_empty() {
                    let fs = list.start + slice(text, list).find(first).unwrap_or(0);
                    Hit::set_str(
                        &mut h.action,
                        text,
                        Span::new(fs, fs + first.len()),
                        P_DETAIL,
                    );
                }
            }
            hits.push(h);
        }
    }
}

/// SharePoint Online's token refusals, as its REST API sends them in
/// `error_description`: `Unsupported security token.` and `Invalid issuer or
/// signature.` (a token for another audience, such as one issued for
/// Microsoft Graph, or an app-only token SharePoint does not accept).
fn sharepoint_tokens(text: &str, hits: &mut Vec<Hit>) {
    for phrase_text in [
        "Unsupported security token.",
        "Invalid issuer or signature.",
    ] {
        for pos in find_all(text, phrase_text) {
            let ls = line_start(text, pos);
            let from = crate::scan::floor_boundary(text, ls.saturating_sub(200));
            if find_in(text, "error_description", from, pos).is_none() {
                continue;
            }
            let phrase = Span::new(pos, pos + phrase_text.len() - 1);
            let mut h = Hit::phrase(text, phrase, Provider::Azure, Gate::Authentication);
            h.fact_value("service", "SharePoint Online".to_owned(), phrase);
            h.fact("reason", text, phrase);
            // PnPjs puts the status in brackets before it: `[401] Unauthorized`.
            if let Some(b) = find_in(text, "[401]", ls, pos) {
                h.status(401, Span::new(b + 1, b + 4));
            }
            hits.push(h);
        }
    }
}

/// The `service` fact of a Microsoft Graph refusal.
pub(crate) const GRAPH: &str = "Microsoft Graph";

/// A management lock's refusal (`ScopeLocked`, 409): `The scope 'S' cannot
/// perform delete operation because following scope(s) are locked: 'L'.
/// Please remove the lock and try again.` A lock (CanNotDelete or ReadOnly)
/// applies to every caller whatever their roles (Azure Resource Manager, "Lock
/// your resources to protect your infrastructure"): an explicit refusal that
/// no role assignment changes.
fn locks(text: &str, hits: &mut Vec<Hit>) {
    const LOCKED: &str = " because following scope(s) are locked";
    for pos in find_all(text, LOCKED) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let phrase = Span::new(pos + " because ".len(), pos + LOCKED.len());
        let mut h = Hit::phrase(text, phrase, Provider::Azure, Gate::Authorization);
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.http_status = Some(((409, false), Some(phrase), P_GENERIC));
        h.error_code = Some(("ScopeLocked".to_owned(), Some(phrase), P_GENERIC));
        // `cannot perform delete operation` just before: the refused operation.
        if let Some(c) = text.get(ls..pos).and_then(|b| b.rfind(" cannot perform ")) {
            let vs = ls + c + " cannot perform ".len();
            let op = token(text, vs);
            if !op.is_empty() && at(text, op.end, " operation") {
                Hit::set_str(&mut h.action, text, op, P_DETAIL);
            }
            if let Some(sc) = text.get(ls..ls + c).and_then(|b| b.rfind("The scope ")) {
                if let Some(v) = value(text, ls + sc + "The scope ".len()) {
                    Hit::set_str(&mut h.resource, text, v, P_DETAIL);
                    h.fact("scope", text, v);
                }
            }
        }
        let after = skip_blank(text, pos + LOCKED.len() + 1);
        if let Some(l) = value(text, after) {
            h.fact("lockedScope", text, l);
        }
        h.span = Span::new(h.span.start, le);
        hits.push(h);
    }
}

/// The `[...]`-enclosed value right at `pos` (Cosmos DB's messages bracket
/// what they name), on the same line.
fn bracketed(text: &str, pos: usize) -> Option<Span> {
    if byte(text, pos) != b'[' {
        return None;
    }
    let e = find_in(text, "]", pos + 1, line_end(text, pos))?;
    Some(Span::new(pos + 1, e))
}

/// Cosmos DB's data plane. Its role-based access control names all three
/// (`Request is blocked because principal [ID] does not have required RBAC
/// permissions to perform action [A] on resource [R]`); a key-only account
/// refusing a Microsoft Entra token names the account (`Request blocked by
/// Auth ACCOUNT : The given request [POST /dbs] cannot be authorized by AAD
/// token in data plane`).
fn cosmos(text: &str, hits: &mut Vec<Hit>) {
    const PRINCIPAL: &str = "because principal ";
    const ACTION: &str = " does not have required RBAC permissions to perform action ";
    const ON: &str = " on resource ";
    for pos in find_all(text, PRINCIPAL) {
        let Some(p) = bracketed(text, pos + PRINCIPAL.len()) else {
            continue;
        };
        if !at(text, p.end + 1, ACTION) {
            continue;
        }
        let Some(a) = bracketed(text, p.end + 1 + ACTION.len()) else {
            continue;
        };
        let mut h = Hit::new(Span::new(pos, a.end + 1), Provider::Azure, P_DETAIL);
        h.provider = Some((
            Provider::Azure,
            Some(Span::new(p.end + 2, p.end + 1 + ACTION.len())),
            P_DETAIL,
        ));
        h.gate = Some((Gate::Authorization, Some(a), P_DETAIL));
        // Cosmos DB's own role assignments decide, not Azure RBAC's.
        h.deny = Some((DenyKind::Implicit, Some(a), P_GENERIC));
        h.fact_value(
            "permissionModel",
            super::checklist::COSMOS_ROLES.to_owned(),
            Span::new(p.end + 2, p.end + 1 + ACTION.len()),
        );
        Hit::set_str(&mut h.principal, text, p, P_DETAIL);
        Hit::set_str(&mut h.action, text, a, P_DETAIL);
        if at(text, a.end + 1, ON) {
            if let Some(r) = bracketed(text, a.end + 1 + ON.len()) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
                h.span = Span::new(pos, r.end + 1);
            }
        }
        hits.push(h);
    }
    const BLOCKED: &str = "Request blocked by Auth ";
    const AAD: &str = "cannot be authorized by AAD token in data plane";
    for pos in find_all(text, BLOCKED) {
        let le = line_end(text, pos);
        let Some(m) = find_in(text, AAD, pos, le) else {
            continue;
        };
        let span = Span::new(m, m + AAD.len());
        let mut h = Hit::new(Span::new(pos, span.end), Provider::Azure, P_DETAIL);
        h.provider = Some((Provider::Azure, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        let rs = pos + BLOCKED.len();
        let name = crate::scan::token(text, rs);
        if !name.is_empty() && name.end < m {
            Hit::set_str(&mut h.resource, text, name, P_DETAIL);
        }
        hits.push(h);
    }
}

/// Sentences Azure services use for a refusal when no code is printed with
/// them, each with what it settles.
const PHRASES: &[(&str, Gate, Option<u16>)] = &[
    // Microsoft Graph's message for Authorization_RequestDenied (Microsoft
    // Graph, "Error responses"): the caller lacks a directory role or Graph
    // permission.
    (
        "Insufficient privileges to complete the operation",
        Gate::Authorization,
        Some(403),
    ),
    // The Key Vault SDK's exception for a 403 whose body it did not print.
    (
        "KeyVaultErrorException: Access denied",
        Gate::Authorization,
        Some(403),
    ),
    (
        "KeyVaultErrorException: Operation returned an invalid status code 'Forbidden'",
        Gate::Authorization,
        Some(403),
    ),
    // Key Vault's firewall: the caller's network is not allowed (Azure Key
    // Vault, "Configure Azure Key Vault networking settings").
    (
        "is not authorized and caller is not a trusted service",
        Gate::Authorization,
        Some(403),
    ),
    // Azure Identity (the SDKs' credential chain) found no credential to use,
    // so nothing reached Azure ("Troubleshoot Azure Identity authentication
    // issues"): `DefaultAzureCredential failed to retrieve a token from the
    // included credentials`, `ManagedIdentityCredential authentication
    // unavailable`, `EnvironmentCredential authentication unavailable`.
    (
        "DefaultAzureCredential failed to retrieve a token",
        Gate::Authentication,
        None,
    ),
    (
        "Credential authentication unavailable",
        Gate::Authentication,
        None,
    ),
    // Service Bus and Event Hubs: the SAS rule or role assignment lacks the
    // claim the operation needs (`Unauthorized access. 'Send' claim(s) are
    // required to perform this operation.`).
    (
        "claim(s) are required to perform this operation",
        Gate::Authorization,
        None,
    ),
    // Cosmos DB's data plane, refused by its own role-based access control
    // (Azure Cosmos DB, "Configure role-based access control ... for data").
    (
        "does not have required RBAC permissions to perform action",
        Gate::Authorization,
        None,
    ),
    // Azure AI services' data plane (`(PermissionDenied) The principal ...
    // lacks the required data action ...`), sent with 401.
    ("lacks the required data action", Gate::Authorization, None),
    // App Service's page for a stopped app ("Troubleshoot HTTP 403 errors in
    // Azure App Service"): nothing about the caller.
    ("This web app is stopped", Gate::NotAuth, Some(403)),
];

fn phrases(text: &str, hits: &mut Vec<Hit>) {
    // The Azure SDK's RequestFailedException prints `Status: 401
    // (PermissionDenied)`: Azure AI services answer a missing data action with
    // 401 and the code as its reason, an authorization refusal whatever the
    // status says.
    const PD: &str = " (PermissionDenied)";
    for pos in find_all(text, "Status: ") {
        let s = pos + "Status: ".len();
        let Some(st) = status_at(text, s) else {
            continue;
        };
        if !at(text, s + 3, PD) {
            continue;
        }
        let code = Span::new(s + 5, s + 3 + PD.len() - 1);
        // The exception's record goes on with `ErrorCode:` and `Content:` (the
        // response body) on the next lines: the same error.
        let mut end = line_end(text, pos);
        for _ in 0..3 {
            let Some(n) = next_line(text, end) else { break };
            let l = slice(text, Span::new(n, line_end(text, n)));
            if l.starts_with("ErrorCode:") || l.starts_with("Content:") || l.trim().is_empty() {
                end = line_end(text, n);
            } else {
                break;
            }
        }
        let mut h = Hit::new(
            Span::new(line_start(text, pos), end),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(code), P_DETAIL));
        h.status(st, Span::new(s, s + 3));
        h.gate = Some((Gate::Authorization, Some(code), P_STRONG));
        h.error_code = Some(("PermissionDenied".to_owned(), Some(code), P_CODE));
        hits.push(h);
    }
    // Azure AI services: `The principal P lacks the required data action A
    // to perform GET /path operation.`
    const LACKS: &str = " lacks the required data action ";
    for pos in find_all(text, LACKS) {
        let ls = line_start(text, pos);
        let Some(p) = text.get(ls..pos).and_then(|b| b.rfind("principal ")) else {
            continue;
        };
        let ps = ls + p + "principal ".len();
        // Bare or in backticks (the Python SDK's message).
        let who = value(text, ps);
        let Some(a) = value(text, pos + LACKS.len()).filter(|a| slice(text, *a).contains('/'))
        else {
            continue;
        };
        let mut h = Hit::new(Span::new(ls + p, a.end), Provider::Azure, P_DETAIL);
        h.provider = Some((
            Provider::Azure,
            Some(Span::new(pos + 1, pos + LACKS.len() - 1)),
            P_DETAIL,
        ));
        h.gate = Some((Gate::Authorization, Some(a), P_DETAIL));
        h.deny = Some((DenyKind::Implicit, Some(a), P_GENERIC));
        h.policy_type = Some((PolicyType::AzureRbac, Some(a), P_GENERIC));
        // The services send this refusal with 401 (`Status: 401
        // (PermissionDenied)`), not Resource Manager's 403.
        h.http_status = Some(((401, false), Some(a), P_GENERIC));
        if let Some(who) = who.filter(|w| w.end <= pos && pos - w.end <= 1) {
            Hit::set_str(&mut h.principal, text, who, P_DETAIL);
        }
        Hit::set_str(&mut h.action, text, a, P_DETAIL);
        hits.push(h);
    }
    // Service Bus and Event Hubs: `Unauthorized access. 'Send' claim(s) are
    // required to perform this operation. Resource: 'sb://ns/entity'.` The
    // claims are the rights the SAS rule or role lacks (Send, Listen, Manage).
    const CLAIMS: &str = "' claim(s) are required to perform this operation";
    for pos in find_all(text, CLAIMS) {
        let ls = line_start(text, pos);
        let Some(q) = text.get(ls..pos).and_then(|b| b.rfind('\'')) else {
            continue;
        };
        let claims = Span::new(ls + q + 1, pos);
        let cv = slice(text, claims);
        if cv.is_empty() || !cv.bytes().all(|b| b.is_ascii_alphabetic() || b == b',') {
            continue;
        }
        let mut h = Hit::new(
            Span::new(claims.start, pos + CLAIMS.len()),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((
            Provider::Azure,
            Some(Span::new(pos + 1, pos + CLAIMS.len())),
            P_DETAIL,
        ));
        h.gate = Some((Gate::Authorization, Some(claims), P_DETAIL));
        h.deny = Some((DenyKind::Implicit, Some(claims), P_GENERIC));
        Hit::set_str(&mut h.action, text, claims, P_DETAIL);
        h.fact_value(
            "permissionModel",
            super::checklist::MESSAGING_CLAIMS.to_owned(),
            Span::new(pos + 1, pos + CLAIMS.len()),
        );
        const RES: &str = " Resource: '";
        let after = pos + CLAIMS.len();
        if let Some(r) = find_in(
            text,
            RES,
            after,
            (after + 2 + RES.len()).min(line_end(text, after)),
        ) {
            let rs = r + RES.len();
            if let Some(e) = find_in(text, "'", rs, line_end(text, rs)) {
                Hit::set_str(&mut h.resource, text, Span::new(rs, e), P_DETAIL);
                h.span = Span::new(h.span.start, e + 1);
            }
        }
        hits.push(h);
    }
    // Azure SQL refusing a Microsoft Entra token login (error 18456 with the
    // placeholder name SQL uses for a token): with a reason about the token,
    // the token itself (wrong audience, server without an Entra admin);
    // without one, most often no database user exists for the identity.
    const SQL: &str = "Login failed for user '<token-identified principal>'";
    for pos in find_all(text, SQL) {
        let phrase = Span::new(pos, pos + SQL.len());
        let le = line_end(text, pos);
        let after = slice(text, Span::new(phrase.end, le.min(phrase.end + 120)));
        let token_problem = after.contains("token");
        let mut h = Hit::new(Span::new(pos, le), Provider::Azure, P_DETAIL);
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        let gate = if token_problem {
            Gate::Authentication
        } else {
            Gate::Authorization
        };
        h.gate = Some((gate, Some(phrase), P_DETAIL));
        h.fact_value("service", "Azure SQL Database".to_owned(), phrase);
        hits.push(h);
    }
    // Azure Pipelines: a step names a service connection that does not
    // exist, is disabled, or is not authorized for this pipeline.
    const CONN: &str = "references service connection ";
    for pos in find_all(text, CONN) {
        let le = line_end(text, pos);
        let Some(w) = find_in(text, " which could not be found", pos, le) else {
            continue;
        };
        let name = Span::new(pos + CONN.len(), w);
        let phrase = Span::new(pos, w + " which could not be found".len());
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC));
        if !name.is_empty() {
            Hit::set_str(&mut h.resource, text, name, P_DETAIL);
        }
        h.fact_value("service", "Azure Pipelines".to_owned(), phrase);
        hits.push(h);
    }
    // The Azure SDKs for .NET generated by AutoRest (and so Az PowerShell's
    // older cmdlets): `Operation returned an invalid status code 'Forbidden'`.
    const AUTOREST: &str = "Operation returned an invalid status code '";
    for pos in find_all(text, AUTOREST) {
        let rs = pos + AUTOREST.len();
        let (status, gate) = if at(text, rs, "Forbidden'") {
            (403, Gate::Authorization)
        } else if at(text, rs, "Unauthorized'") {
            (401, Gate::Authentication)
        } else {
            continue;
        };
        let phrase = Span::new(pos, rs);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(phrase), P_GENERIC));
        h.gate = Some((gate, Some(phrase), P_GENERIC));
        h.http_status = Some(((status, false), Some(phrase), P_GENERIC));
        hits.push(h);
    }
    // Resource Manager's throttling text, without its code
    // (SubscriptionRequestsThrottled): `Number of requests for subscription
    // 'S' and operation 'O' exceeded the backend storage limit.`
    const THROTTLED: &str = "exceeded the backend storage limit";
    for pos in find_all(text, THROTTLED) {
        let span = Span::new(pos, pos + THROTTLED.len());
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(span), P_DETAIL));
        h.gate = Some((Gate::NotAuth, Some(span), P_STRONG));
        h.fact("reason", text, span);
        hits.push(h);
    }
    for (phrase, gate, status) in PHRASES {
        for pos in find_all(text, phrase) {
            let span = Span::new(pos, pos + phrase.len());
            let mut h = Hit::new(
                Span::new(pos, line_end(text, pos)),
                Provider::Azure,
                P_GENERIC,
            );
            h.provider = Some((Provider::Azure, Some(span), P_DETAIL));
            h.gate = Some((*gate, Some(span), P_GENERIC));
            if let Some(st) = status {
                h.http_status = Some(((*st, false), Some(span), P_GENERIC));
            }
            if *gate == Gate::NotAuth {
                // Said in the page's own words, and it outranks the 403 beside it.
                h.gate = Some((*gate, Some(span), super::P_STRONG));
                h.fact("reason", text, span);
            }
            hits.push(h);
        }
    }
}

/// Microsoft Entra ID token service errors, `AADSTS<number>: <message>` (az CLI,
/// MSAL, the Azure SDKs), as listed on 'Microsoft Entra authentication and
/// authorization error codes'. The codes cover both gates, so only those whose
/// meaning is a failed sign-in (bad or expired credentials, an expired grant)
/// are given the authentication gate; the rest keep the code and an unknown gate.
fn entra(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "AADSTS";
    for pos in find_all(text, ANCHOR) {
        if is_word(byte(text, pos.wrapping_sub(1))) {
            continue;
        }
        let ds = pos + ANCHOR.len();
        let mut de = ds;
        while byte(text, de).is_ascii_digit() && de < ds + 10 {
            de += 1;
        }
        if de == ds || byte(text, de) != b':' {
            continue;
        }
        let code = Span::new(pos, de);
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Azure, P_CODE);
        h.provider = Some((Provider::Azure, Some(code), P_CODE));
        h.error_code = Some((slice(text, code).to_owned(), Some(code), P_CODE));
        // The token endpoint answers these codes with 400 (OAuth 2.0, RFC 6749
        // section 5.2), but the same codes also reach people on the sign-in
        // page, which shows no status: 400 only where the text is the token
        // endpoint's response (`error_description`, an OAuth error word) or
        // says the request was bad.
        let near = slice(
            text,
            Span::new(
                crate::scan::floor_boundary(text, pos.saturating_sub(400)),
                crate::scan::ceil_boundary(text, (de + 200).min(text.len())),
            ),
        );
        if [
            "error_description",
            "invalid_grant",
            "invalid_client",
            "invalid_request",
            "interaction_required",
            "unauthorized_client",
            "bad request",
            "Bad Request",
        ]
        .iter()
        .any(|w| near.contains(w))
        {
            h.http_status = Some(((400, false), Some(code), P_GENERIC));
        }
        // The gate each code stands for is the catalogue's (Microsoft Entra
        // authentication and authorization error codes); a code it lacks keeps
        // an unknown gate, as the codes cover both.
        if let Some(info) = super::code_info(slice(text, code)) {
            h.gate = Some((info.gate, Some(code), P_CODE));
            if let Some(d) = info.deny {
                h.deny = Some((d, Some(code), P_CODE));
            }
            if let (Some(s), None) = (info.status, &h.http_status) {
                h.http_status = Some(((s, false), Some(code), P_GENERIC));
            }
        }
        // Who and where, in the messages that name them: AADSTS700016
        // `Application with identifier '<app>' was not found in the directory
        // '<tenant>'`, AADSTS50020 `User account '<user>' from identity provider
        // '<idp>' does not exist in tenant '<tenant>'`, AADSTS90002 `Tenant
        // '<tenant>' not found`.
        let line_end_here = line_end(text, pos);
        let quoted_after = |label: &str| -> Option<Span> {
            let i = find_in(text, label, de, line_end_here)?;
            let vs = i + label.len();
            let ve = find_in(text, "'", vs, line_end_here)?;
            (ve > vs).then(|| Span::new(vs, ve))
        };
        for (who, label) in [
            (true, "Application with identifier '"),
            (true, "User account '"),
            (false, "in the directory '"),
            (false, "in tenant '"),
            (false, "Tenant '"),
        ] {
            if let Some(v) = quoted_after(label) {
                let slot = if who {
                    &mut h.principal
                } else {
                    &mut h.resource
                };
                if slot.is_none() {
                    Hit::set_str(slot, text, v, P_DETAIL);
                }
            }
        }
        // The values these messages carry: the app (`app '<id>'`), and for a
        // federated token its issuer, subject and audience, written
        // `Assertion Subject: '<s>'` (70021) or `presented assertion subject
        // '<s>'` (700211, 700213).
        let le = line_end(text, pos);
        for (label, key) in [
            ("app '", "appId"),
            ("Assertion Issuer: '", "assertionIssuer"),
            ("Assertion Subject: '", "assertionSubject"),
            ("Assertion Audience: '", "assertionAudience"),
            ("presented assertion issuer '", "assertionIssuer"),
            ("presented assertion subject '", "assertionSubject"),
        ] {
            if h.facts.iter().any(|f| f.key == key) {
                continue;
            }
            if let Some(i) = find_in(text, label, pos, le) {
                let vs = i + label.len();
                if let Some(ve) = find_in(text, "'", vs, le) {
                    if ve > vs {
                        h.fact(key, text, Span::new(vs, ve));
                    }
                }
            }
        }
        hits.push(h);
    }
}

/// The `oid=` part of a Key Vault caller (`appid=...;oid=...;iss=...`): the
/// object id is the principal (what an access policy or role assignment
/// names); the whole caller string stays as the `caller` fact. An empty or
/// placeholder id (`oid=;`, `oid=<...>`) names no one.
fn object_id(text: &str, who: Span, h: &mut Hit) {
    if let Some(o) = find_in(text, "oid=", who.start, who.end) {
        let oe = find_in(text, ";", o, who.end).unwrap_or(who.end);
        let id = Span::new(o + 4, oe);
        h.fact("objectId", text, id);
        h.fact("caller", text, who);
        let v = slice(text, id);
        if v.is_empty() || v.starts_with('<') {
            h.principal = None;
        } else {
            Hit::set_str(&mut h.principal, text, id, P_DETAIL);
        }
    }
}

/// A labelled value at `p`: quoted, parenthesised (`(not found)`), or up to a
/// blank or a backslash (a JSON body's escaped `\r\n`).
fn label_value(text: &str, p: usize, limit: usize) -> Option<Span> {
    let close = match byte(text, p) {
        b'\'' => Some(b'\''),
        b'"' => Some(b'"'),
        b'(' => Some(b')'),
        _ => None,
    };
    let mut e = p + usize::from(close.is_some());
    while e < limit {
        let c = byte(text, e);
        match close {
            Some(q) if c == q => return Some(Span::new(p, e + 1)),
            Some(_) if c == b'\n' => return None,
            None if c.is_ascii_whitespace() || c == b'\\' => break,
            _ => e += 1,
        }
    }
    (close.is_none() && e > p).then(|| Span::new(p, e))
}

/// A value without the quotes around it.
fn unquoted(text: &str, v: Span) -> Span {
    let q = byte(text, v.start);
    if v.end > v.start + 1 && matches!(q, b'\'' | b'"') && byte(text, v.end - 1) == q {
        Span::new(v.start + 1, v.end - 1)
    } else {
        v
    }
}

/// Key Vault data-plane refusals, printed under `(Forbidden)` by the az CLI and
/// the SDKs. With the Azure RBAC permission model: `Caller is not authorized to
/// perform action on resource.` followed by `Caller:`, `Action:`, `Resource:`,
/// `Assignment:` and `DenyAssignmentId:` lines and the inner code
/// `ForbiddenByRbac`. With the legacy access policy model: `The user, group or
/// application '<who>' does not have <perms> permission on key vault
/// '<vault>;location=<region>'` (Key Vault, 'Troubleshooting Azure Key Vault
/// access policy issues').
fn keyvault(text: &str, hits: &mut Vec<Hit>) {
    const RBAC: &str = "Caller is not authorized to perform action on resource";
    let anchors = find_all(text, RBAC);
    let mut done = 0;
    for (k, &pos) in anchors.iter().enumerate() {
        if pos < done {
            continue;
        }
        let phrase = Span::new(pos, pos + RBAC.len());
        let ls = line_start(text, pos);
        let mut h = Hit::new(
            Span::new(ls, line_end(text, pos)),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        if let Some(f) = find_in(text, "(Forbidden)", ls, pos) {
            h.error_code = Some((
                "Forbidden".to_owned(),
                Some(Span::new(f + 1, f + 10)),
                P_CODE,
            ));
            h.span.start = f;
        }
        // The details follow on their own lines, or on one line when a JSON
        // body keeps its `\r\n` escaped: look for the labels in a bounded
        // window that stops at the next message.
        let limit = anchors
            .get(k + 1)
            .copied()
            .unwrap_or(text.len())
            .min(pos + 2048);
        let mut last = phrase.end;
        for label in [
            "Caller: ",
            "Action: ",
            "Resource: ",
            "Assignment: ",
            "DenyAssignmentId: ",
        ] {
            let Some(l) = find_in(text, label, phrase.end, limit) else {
                continue;
            };
            let Some(v) = label_value(text, l + label.len(), limit) else {
                continue;
            };
            last = last.max(v.end);
            let inner = unquoted(text, v);
            match label {
                "Caller: " => {
                    Hit::set_str(&mut h.principal, text, v, P_DETAIL);
                    object_id(text, v, &mut h);
                }
                "Action: " => Hit::set_str(&mut h.action, text, inner, P_DETAIL),
                "Resource: " => Hit::set_str(&mut h.resource, text, inner, P_DETAIL),
                // No role assignment grants the action.
                "Assignment: " if slice(text, v) == "(not found)" => {
                    h.deny = Some((DenyKind::Implicit, Some(v), P_DETAIL));
                    h.policy_type = Some((PolicyType::AzureRbac, Some(v), P_DETAIL));
                }
                "DenyAssignmentId: " if !matches!(slice(text, inner), "" | "null") => {
                    h.deny = Some((DenyKind::Explicit, Some(v), P_STRONG));
                    h.policy_type = Some((PolicyType::AzureDenyAssignment, Some(v), P_STRONG));
                }
                _ => {}
            }
        }
        // The CLI and SDK lines that close the record (the CLI repeats the
        // message under `Message:`) belong to the same denial.
        let mut cur = line_end(text, last);
        let mut blank_run = 0;
        // The .NET `RequestFailedException` prints the body again after
        // `Content:`, then `Headers:`.
        let mut body_next = false;
        for _ in 0..24 {
            let Some(n) = next_line(text, cur) else { break };
            let p = skip_blank(text, n);
            let le = line_end(text, p);
            if p >= le {
                blank_run += 1;
                if blank_run > 1 {
                    break;
                }
                cur = le;
                continue;
            }
            blank_run = 0;
            let body = body_next && matches!(byte(text, p), b'{' | b'<');
            body_next = at(text, p, "Content:");
            if body
                || [
                    "DecisionReason:",
                    "Vault:",
                    "Status:",
                    "ErrorCode:",
                    "Code:",
                    "Message:",
                    "Inner error:",
                    "Content:",
                    "\"code\":",
                    "}",
                ]
                .iter()
                .any(|w| at(text, p, w))
            {
                cur = le;
                last = le;
            } else {
                break;
            }
        }
        h.span.end = line_end(text, last).max(h.span.end);
        if let Some(r) = find_in(text, "ForbiddenByRbac", phrase.end, limit.max(h.span.end)) {
            let v = Span::new(r, r + 15);
            h.fact("reason", text, v);
            h.span.end = h.span.end.max(v.end);
            if h.policy_type.is_none() {
                h.policy_type = Some((PolicyType::AzureRbac, Some(v), P_CODE));
            }
        }
        done = h.span.end;
        hits.push(h);
    }
    const POLICY: &str = "The user, group or application '";
    const ON: &str = " permission on key vault '";
    for pos in find_all(text, POLICY) {
        let ws = pos + POLICY.len();
        // The SDKs wrap this sentence; the principal's closing quote may end a
        // line and `does not have` start the next.
        let le =
            next_line(text, line_end(text, pos)).map_or(line_end(text, pos), |n| line_end(text, n));
        let Some(dn) = find_in(text, "does not have ", ws, le) else {
            continue;
        };
        let mut we = dn;
        while we > ws && byte(text, we - 1).is_ascii_whitespace() {
            we -= 1;
        }
        if we <= ws || byte(text, we - 1) != b'\'' {
            continue;
        }
        we -= 1;
        let ps = dn + "does not have ".len();
        let Some(pe) = find_in(text, ON, ps, (ps + 120).min(le)) else {
            continue;
        };
        let vs = pe + ON.len();
        let Some(ve) = find_in(text, "'", vs, le) else {
            continue;
        };
        let phrase = Span::new(dn, pe + ON.len() - 2);
        let mut h = Hit::new(Span::new(pos, ve + 1), Provider::Azure, P_DETAIL);
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        let who = Span::new(ws, we);
        Hit::set_str(&mut h.principal, text, who, P_DETAIL);
        object_id(text, who, &mut h);
        Hit::set_str(&mut h.action, text, Span::new(ps, pe), P_DETAIL);
        h.fact_value("permissionModel", "access policy".to_owned(), phrase);
        // On the access policy model the vault's own access policies are what
        // grant data-plane permissions (Azure Key Vault, "Assign a Key Vault
        // access policy"): none of them grants this one.
        h.deny = Some((DenyKind::Implicit, Some(phrase), P_DETAIL));
        h.policy_type = Some((PolicyType::Resource, Some(phrase), P_DETAIL));
        // `kv-prod-01;location=westeurope`: the vault is the part before `;`.
        let vault_end = find_in(text, ";", vs, ve).unwrap_or(ve);
        Hit::set_str(&mut h.resource, text, Span::new(vs, vault_end), P_DETAIL);
        if let Some(f) = find_in(text, "(Forbidden)", line_start(text, pos), pos) {
            h.error_code = Some((
                "Forbidden".to_owned(),
                Some(Span::new(f + 1, f + 10)),
                P_CODE,
            ));
            h.span.start = f;
        }
        h.span.end = extend_cli_block(text, le);
        hits.push(h);
    }
}

fn azure_code(text: &str, span: Span) -> bool {
    code_info(slice(text, span)).is_some_and(|i| i.provider == Provider::Azure)
}

/// `The client '<who>' with object id '<oid>' does not have authorization to perform
/// action '<action>' over scope '<scope>' ...`, and the deny-assignment form
/// `... has permission to perform action '...' on scope '...'; however, the access is
/// denied because of the deny assignment with name '...' and Id '...'`.
fn message(text: &str, hits: &mut Vec<Hit>) {
    const PORTAL_FORMS: [&str; 3] = [
        "You don\u{2019}t have authorization to perform action",
        "You don't have authorization to perform action",
        "You do not have authorization to perform action",
    ];
    let mut anchors: Vec<usize> = find_all(text, "does not have authorization to perform action");
    anchors.extend(find_all(text, "deny assignment with name"));
    // LinkedAuthorizationFailed: `... has permission to perform action 'A' on
    // scope 'S'; however, it does not have permission to perform action 'B' on
    // the linked scope(s) 'L'` (or `... is blocked by deny assignments on the
    // linked scope(s) 'L'`): the refused action is the linked one.
    anchors.extend(find_all(text, "does not have permission to perform action"));
    // The portal's notice for the same refusal: `You don’t have authorization
    // to perform action 'Microsoft.Resources/deployments/validate/action'.`
    for form in PORTAL_FORMS {
        anchors.extend(find_all(text, form));
    }
    crate::scan::sort_by_key(&mut anchors, |&a| (a, 0, 0));
    let mut done = 0;
    for pos in anchors {
        if pos < done {
            continue;
        }
        let ls = line_start(text, pos);
        // A terminal or a log may wrap the sentence: it ends at `or the scope
        // is invalid` when that follows within a few lines.
        // Only when the line stops right after `perform action`: a complete
        // sentence is never joined to the next error.
        let le = {
            let one = line_end(text, pos);
            let wrapped = find_in(text, "perform action", pos, one).is_some_and(|a| {
                text.get(a + "perform action".len()..one)
                    .is_some_and(|rest| rest.trim().is_empty())
            });
            let reach = crate::scan::ceil_boundary(text, (one + 400).min(text.len()));
            match find_in(text, "or the scope is invalid", pos, reach) {
                Some(e) if wrapped && e > one => line_end(text, e),
                _ => one,
            }
        };
        let mut h = Hit::new(Span::new(ls, le), Provider::Azure, P_DETAIL);
        let mut start = pos;
        if let Some(c) = text
            .get(ls..pos)
            .and_then(|s| s.rfind("The client "))
            .map(|i| i + ls)
        {
            start = c;
            if let Some(v) = value(text, c + "The client ".len()) {
                Hit::set_str(&mut h.principal, text, v, P_DETAIL);
            }
        }
        let mut status_start = None;
        // The portal and some SDKs put the status in front: `(403) - The client ...`.
        if let Some(o) = find_in(text, "(", ls, start) {
            if byte(text, o + 4) == b')' && o + 5 <= start {
                if let Some(st) = status_at(text, o + 1) {
                    h.status(st, Span::new(o + 1, o + 4));
                    status_start = Some(o);
                }
            }
        }
        let get = |label: &str| -> Option<Span> {
            let p = find_in(text, label, start, le + label.len() - 1)?;
            value(text, crate::scan::skip_ws(text, p + label.len()))
        };
        if let Some(o) = get("with object id ") {
            h.fact("objectId", text, o);
            // The object id names the principal exactly (role assignments take
            // it: `az role assignment create --assignee-object-id`); the client
            // name before it is a UPN, an app id or nothing at all (`The client
            // with object id '...'`). A masked id (`xxxxx`) says less than the
            // name, which then stays.
            let oid = slice(text, o);
            let masked = oid
                .bytes()
                .all(|b| matches!(b, b'x' | b'X' | b'*' | b'-' | b'.'))
                && oid.bytes().filter(|&b| b == b'-').count() != 4;
            if !oid.is_empty() && !masked {
                if let Some((name, span, _)) = h.principal.take() {
                    if let Some(sp) = span {
                        h.fact("client", text, sp);
                    } else {
                        h.fact_value("client", name, o);
                    }
                }
                Hit::set_str(&mut h.principal, text, o, P_DETAIL);
            }
        }
        // In the linked form the first `perform action` is the one allowed.
        let linked = text
            .get(pos..le)
            .is_some_and(|t| t.contains("linked scope"));
        let get_from = |from: usize, label: &str| -> Option<Span> {
            let p = find_in(text, label, from, le + label.len() - 1)?;
            value(text, p + label.len())
        };
        let (action, scope) = if linked {
            let blocked = find_in(text, "blocked by deny assignments", pos, le);
            let linked_scope = find_in(text, "linked scope(s) ", blocked.unwrap_or(pos), le)
                .and_then(|p| {
                    // `on the '2' linked scope(s) '...'`, or `... '' or the linked
                    // scope(s) are invalid`: the next quoted, non-empty value.
                    let v = value(text, p + "linked scope(s) ".len())?;
                    (!v.is_empty() && slice(text, v) != "are").then_some(v)
                });
            if let Some(b) = blocked {
                let phrase = Span::new(b, b + "blocked by deny assignments".len());
                h.deny = Some((DenyKind::Explicit, Some(phrase), P_STRONG));
                h.policy_type = Some((PolicyType::AzureDenyAssignment, Some(phrase), P_STRONG));
            }
            (get_from(pos, "perform action "), linked_scope)
        } else {
            (
                get("perform action"),
                get("over scope").or_else(|| get("on scope")),
            )
        };
        if let Some(a) = action {
            Hit::set_str(&mut h.action, text, a, P_DETAIL);
        }
        if let Some(s) = scope {
            Hit::set_str(&mut h.resource, text, s, P_DETAIL);
            h.fact("scope", text, s);
        }
        if h.deny.is_some() {
            let phrase = Span::new(pos, pos + "does not have".len());
            h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        } else if let Some(d) = find_in(text, "deny assignment with name", start, le + 24) {
            let phrase = Span::new(d, d + "deny assignment".len());
            h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
            h.deny = Some((DenyKind::Explicit, Some(phrase), P_STRONG));
            h.policy_type = Some((PolicyType::AzureDenyAssignment, Some(phrase), P_STRONG));
            if let Some(n) = value(text, d + "deny assignment with name ".len()) {
                h.fact("denyAssignment", text, n);
            }
        } else {
            let end =
                find_in(text, "authorization", pos, le).map_or(pos, |a| a + "authorization".len());
            let phrase = Span::new(pos, end);
            h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_DETAIL));
            h.policy_type = Some((PolicyType::AzureRbac, Some(phrase), P_DETAIL));
        }
        h.provider = Some((Provider::Azure, None, P_DETAIL));
        h.span = Span::new(status_start.unwrap_or(start), le);
        // autorest wraps `Status=403 Code="AuthorizationFailed" Message=`
        // and puts the quoted sentence on the next line: one error.
        if ls > 0 {
            let prev = line_start(text, ls - 1);
            if text
                .get(prev..ls)
                .is_some_and(|l| l.trim_end().ends_with("Message="))
            {
                h.span = Span::new(prev, le);
            }
        }
        done = le;
        hits.push(h);
    }
}

/// Extends a code line through the az CLI's `Code:` / `Message:` lines that repeat it.
fn extend_cli_block(text: &str, mut end: usize) -> usize {
    for _ in 0..4 {
        let Some(n) = next_line(text, end) else { break };
        let p = skip_blank(text, n);
        if at(text, p, "Code:") || at(text, p, "Message:") || at(text, p, "Target:") {
            end = line_end(text, p);
        } else {
            break;
        }
    }
    end
}

/// `(AuthorizationFailed) The client ...` as printed by the az CLI.
fn paren_codes(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "(") {
        let cs = pos + 1;
        let mut ce = cs;
        while is_word(byte(text, ce)) && ce < cs + 64 {
            ce += 1;
        }
        if byte(text, ce) != b')' || !azure_code(text, Span::new(cs, ce)) {
            continue;
        }
        let end = extend_cli_block(text, line_end(text, pos));
        let mut h = Hit::new(Span::new(pos, end), Provider::Azure, P_CODE);
        h.code(text, Span::new(cs, ce), P_CODE);
        hits.push(h);
    }
}

/// A Resource Manager code quoted in prose, as the portal shows it: `... encountered
/// an error: 'DenyAssignmentAuthorizationFailed'`. When the code ends its line,
/// the message on the next non-blank line is the same error.
fn quoted_codes(text: &str, hits: &mut Vec<Hit>) {
    const CODES: [&str; 7] = [
        "AuthorizationFailed",
        "LinkedAuthorizationFailed",
        "DenyAssignmentAuthorizationFailed",
        "RequestDisallowedByPolicy",
        "InvalidAuthenticationToken",
        "ExpiredAuthenticationToken",
        "AuthorizationPermissionMismatch",
    ];
    for code in CODES {
        for pos in find_all(text, code) {
            let q = byte(text, pos.wrapping_sub(1));
            let end = pos + code.len();
            if !matches!(q, b'\'' | b'"') || byte(text, end) != q {
                continue;
            }
            let span = Span::new(pos, end);
            let mut stop = line_end(text, pos);
            if skip_blank(text, end + 1) >= stop {
                let mut next = next_line(text, stop);
                for _ in 0..3 {
                    let Some(n) = next else { break };
                    let e = line_end(text, n);
                    if skip_blank(text, n) < e {
                        stop = e;
                        break;
                    }
                    next = next_line(text, e);
                }
            }
            let mut h = Hit::new(Span::new(pos - 1, stop), Provider::Azure, P_CODE);
            h.code(text, span, P_CODE);
            hits.push(h);
        }
    }
}

/// `Code: X` (az CLI), `ERROR CODE: X` (Go SDK), `ErrorCode:X` (Storage SDKs),
/// `Code="X"` (autorest, as Terraform prints it).
fn labelled_codes(text: &str, hits: &mut Vec<Hit>) {
    for label in [
        "Code: ",
        "ERROR CODE: ",
        "ErrorCode:",
        "Code=\"",
        "\"code\":\"",
        "\"code\": \"",
        "\\\"code\\\":\\\"",
    ] {
        for pos in find_all(text, label) {
            if is_word(byte(text, pos.wrapping_sub(1))) && label != "ErrorCode:" {
                continue;
            }
            let json_like = label.ends_with('"');
            let cs = if label == "ErrorCode:" {
                skip_blank(text, pos + label.len())
            } else {
                pos + label.len()
            };
            let mut ce = cs;
            while is_word(byte(text, ce)) && ce < cs + 64 {
                ce += 1;
            }
            let code = Span::new(cs, ce);
            if !azure_code(text, code) {
                continue;
            }
            let ls = line_start(text, pos);
            let mut start = if label == "Code: " { ls } else { pos };
            let mut end = if label == "Code: " {
                extend_cli_block(text, line_end(text, pos))
            } else {
                line_end(text, pos)
            };
            // az prints `(Code) message` and then `Code: Code` below it: the
            // line above that names the same code is the same error.
            if label == "Code: " {
                if let Some(prev) = ls.checked_sub(1).map(|p| line_start(text, p)) {
                    let above = slice(text, Span::new(prev, ls));
                    if above.contains(slice(text, code)) {
                        start = prev;
                    }
                }
            }
            let mut h = Hit::new(Span::new(start, end), Provider::Azure, P_CODE);
            h.code(text, code, P_CODE);
            if json_like {
                // An error object as text (escaped in an activity-log string, or
                // cut so that it does not parse): its `message` may start on a
                // later line and belongs to the same error.
                if let Some(m) = find_in(text, "message", ce, ce + 512) {
                    end = end.max(line_end(text, m));
                }
            }
            if label == "ErrorCode:" && skip_blank(text, ls) == pos {
                // PowerShell and the .NET / Python SDKs print one response as a
                // record of labelled lines: one error, one finding.
                let (s, e) = record_block(text, ls, &mut h);
                start = s;
                end = e;
            }
            if label == "ERROR CODE: " {
                // The Go SDK prints `RESPONSE 403: 403 Forbidden` on the line above and
                // the JSON body after a rule of dashes.
                if let Some(prev) = ls.checked_sub(1).map(|p| line_start(text, p)) {
                    if at(text, prev, "RESPONSE ") {
                        if let Some(st) = status_at(text, prev + 9) {
                            h.status(st, Span::new(prev + 9, prev + 12));
                            start = prev;
                        }
                    }
                }
                if let Some(n) = next_line(text, end) {
                    if at(text, n, "-----") {
                        if let Some(m) = next_line(text, n) {
                            if byte(text, skip_blank(text, m)) == b'{' {
                                end = m + 1;
                            }
                        }
                    }
                }
            }
            // autorest: `StatusCode=403` or `Status=403` earlier on the same line.
            for sl in ["StatusCode=", "Status="] {
                if let Some(s) = find_in(text, sl, ls, pos + sl.len() - 1) {
                    if let Some(st) = status_at(text, s + sl.len()) {
                        h.status(st, Span::new(s + sl.len(), s + sl.len() + 3));
                        break;
                    }
                }
            }
            h.span = Span::new(start, end);
            hits.push(h);
        }
    }
}

fn starts_with_any(text: &str, pos: usize, labels: &[&str]) -> bool {
    let p = skip_blank(text, pos);
    labels.iter().any(|l| at(text, p, l))
}

/// The record an SDK prints for one failed response around its `ErrorCode:` line
/// at `ls`: PowerShell's `StatusCode:` / `ReasonPhrase:` / `ErrorMessage:`, and the
/// .NET `RequestFailedException` with `Status:`, `Content:` and `Headers:`
/// sections. Returns its start and end and records a carried status.
fn record_block(text: &str, ls: usize, h: &mut Hit) -> (usize, usize) {
    const ABOVE: [&str; 5] = [
        "StatusCode:",
        "ReasonPhrase:",
        "Status:",
        "RequestId:",
        "Time:",
    ];
    const BELOW: [&str; 4] = [
        "ErrorMessage:",
        "ErrorTarget:",
        "AdditionalInfo",
        "authenticationerrordetail:",
    ];
    const SECTIONS: [&str; 2] = ["Content:", "Headers:"];
    let mut start = ls;
    for _ in 0..8 {
        let Some(prev) = start.checked_sub(1).map(|p| line_start(text, p)) else {
            break;
        };
        if prev >= start {
            break;
        }
        let p = skip_blank(text, prev);
        if starts_with_any(text, prev, &ABOVE) {
            for label in ["StatusCode:", "Status:"] {
                if at(text, p, label) {
                    let v = skip_blank(text, p + label.len());
                    if let Some(st) = status_at(text, v) {
                        h.status(st, Span::new(v, v + 3));
                    }
                }
            }
            start = prev;
        } else {
            // The headline: the exception or cmdlet with the message.
            if line_end(text, prev) > p {
                start = prev;
            }
            break;
        }
    }
    let mut end = line_end(text, ls);
    let mut in_section = false;
    for _ in 0..200 {
        let Some(n) = next_line(text, end) else { break };
        let e = line_end(text, n);
        let blank = skip_blank(text, n) >= e;
        if blank {
            // A blank line ends a section; the record goes on if another follows.
            in_section = false;
            let after = next_line(text, e).filter(|&m| starts_with_any(text, m, &SECTIONS));
            match after {
                Some(_) => {
                    end = e;
                    continue;
                }
                None => break,
            }
        }
        if starts_with_any(text, n, &SECTIONS) {
            in_section = true;
        } else if at(text, skip_blank(text, n), "at ") && n != skip_blank(text, n) {
            // A stack trace follows the record.
            break;
        } else if !in_section && !starts_with_any(text, n, &BELOW) {
            break;
        }
        end = e;
    }
    (start, end)
}

/// `Resource 'x' was disallowed by policy.` (RequestDisallowedByPolicy).
fn policy(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "was disallowed by policy";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let mut h = Hit::new(
            Span::new(pos, line_end(text, pos)),
            Provider::Azure,
            P_DETAIL,
        );
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.policy_type = Some((PolicyType::AzurePolicy, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_DETAIL - 2));
        if let Some(r) = text
            .get(ls..pos)
            .and_then(|s| s.rfind("Resource "))
            .map(|i| i + ls)
        {
            if let Some(v) = value(text, r + "Resource ".len()) {
                Hit::set_str(&mut h.resource, text, v, P_DETAIL);
                h.span.start = r;
            }
        }
        hits.push(h);
    }
    // The older wording: `The resource action 'Microsoft.Network/publicIpAddresses/write'
    // is disallowed by one or more policies.`
    const OLDER: &str = "is disallowed by one or more policies";
    for pos in find_all(text, OLDER) {
        let ls = line_start(text, pos);
        let phrase = Span::new(pos, pos + OLDER.len());
        let mut h = Hit::new(phrase, Provider::Azure, P_DETAIL);
        h.provider = Some((Provider::Azure, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.policy_type = Some((PolicyType::AzurePolicy, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        const ACTION: &str = "resource action ";
        if let Some(a) = text
            .get(ls..pos)
            .and_then(|s| s.rfind(ACTION))
            .map(|i| i + ls)
        {
            if let Some(v) = value(text, a + ACTION.len()) {
                Hit::set_str(&mut h.action, text, v, P_DETAIL);
                h.span.start = a;
            }
        }
        hits.push(h);
    }
}

/// Storage data plane messages.
fn storage(text: &str, hits: &mut Vec<Hit>) {
    const MISMATCH: &str =
        "This request is not authorized to perform this operation using this permission";
    const FAILURE: &str = "This request is not authorized to perform this operation.";
    // Storage answers AuthenticationFailed with 403 (Storage "Common REST API
    // error codes"), where Resource Manager's code of the same name is a 401.
    const AUTHN: &str = "Server failed to authenticate the request";
    for (phrase, code) in [
        (MISMATCH, "AuthorizationPermissionMismatch"),
        (FAILURE, "AuthorizationFailure"),
        (AUTHN, "AuthenticationFailed"),
    ] {
        for pos in find_all(text, phrase) {
            let span = Span::new(pos, pos + phrase.len());
            let mut h = Hit::new(span, Provider::Azure, P_DETAIL);
            h.provider = Some((Provider::Azure, Some(span), P_DETAIL));
            if code == "AuthenticationFailed" {
                h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
                h.http_status = Some(((403, false), Some(span), P_DETAIL));
            } else {
                h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
                h.http_status = Some(((403, false), Some(span), 1));
            }
            h.error_code = Some((code.to_owned(), None, 1));
            if code == "AuthorizationPermissionMismatch" {
                h.policy_type = Some((PolicyType::AzureRbac, Some(span), P_DETAIL));
                h.deny = Some((DenyKind::Implicit, Some(span), P_DETAIL));
            }
            // The SDKs print `RequestId:`, `Time:` and `ErrorCode:` lines after it.
            let mut cur = span.end;
            for _ in 0..4 {
                let Some(n) = next_line(text, cur) else { break };
                if at(text, n, "RequestId:") {
                    let v = crate::scan::token(text, n + 10);
                    h.fact("requestId", text, v);
                } else if !(at(text, n, "Time:") || at(text, n, "ErrorCode:")) {
                    break;
                }
                cur = line_end(text, n);
                h.span.end = cur;
            }
            hits.push(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // Azure Identity found no credential: nothing reached Azure. Real:
    // https://github.com/Azure/AppConfiguration/issues/201,
    // https://github.com/AzureAD/microsoft-identity-web/issues/2644;
    // App Service's stopped-app page is no access decision:
    // https://github.com/alan-turing-institute/AutSPACEs/issues/703.
    #[test]
    fn credential_chain_failures_and_a_stopped_app() {
        for t in ["CredentialUnavailableException: ManagedIdentityCredential authentication unavailable. No Managed Identity endpoint found.\nAzure.Identity.ManagedIdentityClient.AuthenticateAsync(bool async, TokenRequestContext context, CancellationToken cancellationToken)\nSystem.Threading.Tasks.ValueTask<TResult>.get_Result()\nSystem.Runtime.CompilerServices.ConfiguredValueTaskAwaitable<TResult>+ConfiguredValueTaskAwaiter.GetResult()\nAzure.Identity.ManagedIdentityCredential.GetTokenImplAsync(bool async, TokenRequestContext requestContext, CancellationToken cancellationToken)", "DefaultAzureCredential failed to retrieve a token from the included credentials. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/defaultazurecredential/troubleshoot\n- EnvironmentCredential authentication unavailable. Environment variables are not fully configured. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/environmentcredential/troubleshoot\n- WorkloadIdentityCredential authentication unavailable. The workload options are not fully configured. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/workloadidentitycredential/troubleshoot\n- ManagedIdentityCredential authentication unavailable. Multiple attempts failed to obtain a token from the managed identity endpoint.\n- Process \"C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise\\Common7\\IDE\\CommonExtensions\\Microsoft\\Asal\\TokenService\\Microsoft.Asal.TokenService.exe\" has failed with unexpected error: TS003: Error, TS001: This account 'phsignor@microsoft.com' needs re-authentication. Please go to Tools->Options->Azure Services Authentication, and re-authenticate the account you want to use.."] {
            let r = crate::explain(t);
            assert!(!r.findings.is_empty(), "{t}");
            let f = &r.findings[0];
            assert_eq!((f.provider, f.gate), (Provider::Azure, Gate::Authentication), "{t}");
        }
        let f = one("Error 403 - This web app is stopped.\nThe web app you have attempted to reach is currently stopped and does not accept any requests. Please try to reload the page or visit it again soon.\nIf you are the web app administrator, please find the common 403 error scenarios and resolution [here](https://go.microsoft.com/fwlink/?linkid=2095007). For further troubleshooting tools and recommendations, please visit [Azure Portal](https://portal.azure.com/).");
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Azure, Gate::NotAuth, Some(403))
        );
    }

    // Entra codes take their gate from the catalogue. Real:
    // https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/1333
    // (50105: signed in, but not assigned to the app: authorization).
    #[test]
    fn entra_codes_take_the_catalogue_gate() {
        let f = one("AADSTS50105: The signed in user 'sathish.rs@HCL.COM' is not assigned to a role for the application 'de8bc8b5-d9f9-48b1-a8ad-b748da725064'(Graph Explorer).");
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Implicit));
    }

    /// Entra's sign-in codes shown on the sign-in page carry no status; the
    /// token endpoint's JSON answer is 400 (RFC 6749, 5.2). The messages name
    /// the app and tenant, or the user and tenant. Sign-in pages as published
    /// in https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/267 and https://github.com/firecrawl/firecrawl/issues/2374.
    #[test]
    fn entra_sign_in_codes_name_who_and_where() {
        let f = one("Sign in\nSorry, but we\u{2019}re having trouble signing you in.\n\nAADSTS700016: Application with identifier '3bd1b8f2-452b-4ac3-a11d-12345e32e2f0' was not found in the directory 'a0343913-a606-4477-8d29-12345eb4cb08'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        assert_eq!(f.http_status, None);
        assert_eq!(
            f.principal.as_deref(),
            Some("3bd1b8f2-452b-4ac3-a11d-12345e32e2f0")
        );
        assert_eq!(
            f.resource.as_deref(),
            Some("a0343913-a606-4477-8d29-12345eb4cb08")
        );
        let f = one("Request Id: 785a37cc-ed23-4ff9-a0d9-c42344605600\nCorrelation Id: 94c54230-0c50-4e9b-81b1-3a7a9c2a6520\nTimestamp: 2025-11-07T05:57:24Z\nMessage: AADSTS50020: User account 'mpyramidsgrb@gmail.com' from identity provider 'live.com' does not exist in tenant 'Microsoft' and cannot access the application '499b84ac-1321-427f-aa17-267ca6975798'(Azure DevOps) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.");
        assert_eq!(f.http_status, None);
        assert_eq!(f.principal.as_deref(), Some("mpyramidsgrb@gmail.com"));
        assert_eq!(f.resource.as_deref(), Some("Microsoft"));
        // The token endpoint's answer (constructed from RFC 6749's error format).
        let f = one("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50126: Error validating credentials due to invalid username or password.\"}");
        assert_eq!(f.http_status, Some(400));
    }

    // Message forms from Microsoft Learn: "Troubleshoot Azure RBAC", "Azure
    // deny assignments", "Azure Resource Manager error codes" and the Storage
    // REST error codes.

    const MSG: &str = "The client 'dev@contoso.com' with object id 'aaaaaaaa-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/read' over scope '/subscriptions/0000/resourceGroups/rg' or the scope is invalid. If access was recently granted, please refresh your credentials.";

    #[test]
    fn az_cli_output_is_one_finding() {
        let t = format!(
            "ERROR: (AuthorizationFailed) {MSG}\nCode: AuthorizationFailed\nMessage: {MSG}\n"
        );
        let f = one(&t);
        assert_eq!(f.provider, Provider::Azure);
        assert_eq!(f.error_code.as_deref(), Some("AuthorizationFailed"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(f.policy_type, Some(PolicyType::AzureRbac));
        // The object id is the principal; the client's name stays as a fact.
        assert_eq!(
            f.principal.as_deref(),
            Some("aaaaaaaa-0000-0000-0000-000000000001")
        );
        assert_eq!(
            ev(&t, &f, "principal"),
            "aaaaaaaa-0000-0000-0000-000000000001"
        );
        assert_eq!(fact(&f, "client"), Some("dev@contoso.com"));
        assert_eq!(
            f.action.as_deref(),
            Some("Microsoft.Storage/storageAccounts/read")
        );
        assert_eq!(
            f.resource.as_deref(),
            Some("/subscriptions/0000/resourceGroups/rg")
        );
        assert_eq!(
            fact(&f, "objectId"),
            Some("aaaaaaaa-0000-0000-0000-000000000001")
        );
        assert_eq!(ev(&t, &f, "errorCode"), "AuthorizationFailed");
    }

    #[test]
    fn deny_assignment() {
        let t = "The client 'ops@contoso.com' with object id 'bbbb' has permission to perform action 'Microsoft.Storage/storageAccounts/delete' on scope '/subscriptions/1/resourceGroups/rg'; however, the access is denied because of the deny assignment with name 'System deny assignment created by managed application' and Id 'dddd' at scope '/subscriptions/1'.";
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::AzureDenyAssignment));
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(
            f.action.as_deref(),
            Some("Microsoft.Storage/storageAccounts/delete")
        );
        assert_eq!(
            f.resource.as_deref(),
            Some("/subscriptions/1/resourceGroups/rg")
        );
        assert_eq!(
            fact(&f, "denyAssignment"),
            Some("System deny assignment created by managed application")
        );
    }

    #[test]
    fn policy_and_tokens() {
        let t = r#"{"error":{"code":"RequestDisallowedByPolicy","target":"st1","message":"Resource 'st1' was disallowed by policy. Policy identifiers: ''."}}"#;
        let f = one(t);
        assert_eq!(f.policy_type, Some(PolicyType::AzurePolicy));
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(f.resource.as_deref(), Some("st1"));
        assert_eq!(f.http_status, Some(403));
        for code in [
            "InvalidAuthenticationToken",
            "ExpiredAuthenticationToken",
            "AuthenticationFailed",
        ] {
            let t = format!("{{\"error\":{{\"code\":\"{code}\",\"message\":\"x\"}}}}");
            let f = one(&t);
            assert_eq!(f.gate, Gate::Authentication, "{code}");
            assert_eq!(f.http_status, Some(401));
            assert_eq!(f.deny, None);
        }
    }

    #[test]
    fn storage_data_plane() {
        let t = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.\nRequestId:5d7f\nTime:2024-01-01T00:00:00Z</Message></Error>";
        let f = one(t);
        assert_eq!(f.provider, Provider::Azure);
        assert_eq!(
            f.error_code.as_deref(),
            Some("AuthorizationPermissionMismatch")
        );
        assert_eq!(ev(t, &f, "errorCode"), "AuthorizationPermissionMismatch");
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.policy_type, Some(PolicyType::AzureRbac));
        let t = "azure.core.exceptions.HttpResponseError: This request is not authorized to perform this operation.\nRequestId:77\nTime:2024\nErrorCode:AuthorizationFailure";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AuthorizationFailure"));
        assert_eq!(f.gate, Gate::Authorization);
    }

    #[test]
    fn terraform_autorest() {
        let t = "Error: authorization.RoleAssignmentsClient#Create: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code=\"AuthorizationFailed\" Message=\"x\"";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AuthorizationFailed"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
    }

    /// A Key Vault refusal whose `DenyAssignmentId:` names a deny assignment is
    /// an explicit denial by it, whatever `Assignment:` says.
    #[test]
    fn keyvault_named_deny_assignment_is_explicit() {
        let t = "Caller is not authorized to perform action on resource.\nCaller: appid=a;oid=b;iss=c\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\nResource: '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv'\nAssignment: (not found)\nDenyAssignmentId: /subscriptions/s/providers/Microsoft.Authorization/denyAssignments/d1\nDecisionReason: null\nVault: kv;location=eastus\n";
        let f = one(t);
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(f.policy_type, Some(PolicyType::AzureDenyAssignment));
        assert_eq!(f.principal.as_deref(), Some("b"));
        assert_eq!(fact(&f, "objectId"), Some("b"));
        // A JSON body's escaped line breaks end the values.
        let t = r#"{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.\r\nCaller: appid=a;oid=b;iss=c\r\nAction: 'Microsoft.KeyVault/vaults/keys/read'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\n"}}"#;
        let f = one(t);
        assert_eq!(f.principal.as_deref(), Some("b"));
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(f.policy_type, Some(PolicyType::AzureRbac));
    }
}
