//! HashiCorp Vault's refusals, as its clients print them.
//!
//! Vault answers a token whose policies do not grant the path's capability
//! with 403 and `{"errors":["permission denied"]}`, and an auth method that
//! refuses a login (a Kubernetes service account or namespace the role does
//! not bind, a JWT whose claims do not match) with 403 (500 in older
//! releases) and its reason ("Vault API", HTTP status codes; "Kubernetes auth
//! method"). Vault has no provider of its own here: the findings are
//! `unknown` with the fact `service: HashiCorp Vault`, which the summary and
//! the checklist read.

use super::{Hit, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{Gate, Provider};
use crate::scan::{at, find_all, find_in, line_end, line_start, slice, status_at, token};

/// The value of the `service` fact on a Vault finding.
pub(crate) const VAULT: &str = "HashiCorp Vault";

/// How far after `Error making API request.` the client's `URL:`, `Code:` and
/// `* reason` lines reach (a few lines, whether real or `\n`-escaped).
const REACH: usize = 600;

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    go_client(text, hits);
    ruby_client(text, hits);
    node_client(text, hits);
    server_log(text, hits);
}

/// node-vault: `ApiResponseError: 1 error occurred:\n\t* permission denied`,
/// its stack through node-vault's `handleVaultResponse`.
fn node_client(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "ApiResponseError: ";
    for pos in find_all(text, ANCHOR) {
        let to = crate::scan::ceil_boundary(text, (pos + REACH).min(text.len()));
        if find_in(text, "node-vault", pos, to).is_none() {
            continue;
        }
        let Some((why, gate)) = reason(text, pos, to) else {
            continue;
        };
        let c = Span::new(pos, pos + ANCHOR.len() - 2);
        let mut h = Hit::new(Span::new(pos, why.end), Provider::Unknown, P_DETAIL);
        h.provider = Some((Provider::Unknown, Some(c), P_DETAIL));
        h.gate = Some((gate, Some(why), P_DETAIL));
        h.error_code = Some((slice(text, c).to_owned(), Some(c), P_GENERIC));
        h.fact_value("service", VAULT.to_owned(), c);
        h.fact("reason", text, why);
        // The error object logged below it carries the status.
        if let Some(sc) = find_in(text, "statusCode: ", why.end, to) {
            let ss = sc + "statusCode: ".len();
            if let Some(st) = status_at(text, ss) {
                h.status(st, Span::new(ss, ss + 3));
                h.span = Span::new(pos, ss + 3);
            }
        }
        hits.push(h);
    }
}

/// The reason Vault gave, from its `* reason` list, and the gate it means.
fn reason(text: &str, from: usize, to: usize) -> Option<(Span, Gate)> {
    const REASONS: [(&str, Gate); 8] = [
        ("permission denied", Gate::Authorization),
        ("service account name not authorized", Gate::Authorization),
        ("namespace not authorized", Gate::Authorization),
        ("error validating claims", Gate::Authentication),
        ("invalid token", Gate::Authentication),
        ("missing client token", Gate::Authentication),
        ("bad token", Gate::Authentication),
        ("invalid role name", Gate::Authentication),
    ];
    REASONS.iter().find_map(|(r, gate)| {
        let p = find_in(text, &format!("* {r}"), from, to)?;
        Some((Span::new(p + 2, p + 2 + r.len()), *gate))
    })
}

/// Go's `api` package (the `vault` CLI, operators, Terraform's provider):
/// `Error making API request.\n\nURL: PUT http://vault:8200/v1/PATH\nCode: 403.
/// Errors:\n\n* permission denied`.
fn go_client(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Error making API request.";
    for pos in find_all(text, ANCHOR) {
        let to = crate::scan::ceil_boundary(text, (pos + REACH).min(text.len()));
        let Some(c) = find_in(text, "Code: ", pos, to) else {
            continue;
        };
        let Some(st) = status_at(text, c + "Code: ".len()) else {
            continue;
        };
        let Some((why, gate)) = reason(text, c, to) else {
            continue;
        };
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let mut h = Hit::new(
            Span::new(line_start(text, pos), why.end),
            Provider::Unknown,
            P_DETAIL,
        );
        h.provider = Some((Provider::Unknown, Some(phrase), P_DETAIL));
        h.status(st, Span::new(c + 6, c + 9));
        h.gate = Some((gate, Some(why), P_DETAIL));
        h.fact_value("service", VAULT.to_owned(), phrase);
        h.fact("reason", text, why);
        if let Some(u) = find_in(text, "URL: ", pos, c) {
            // `URL: METHOD http://host:8200/v1/path`: the path is the resource
            // Vault's policies name.
            let method = token(text, u + "URL: ".len());
            let url = token(text, method.end + 1);
            // A JSON-escaped line break (`\n`) ends the URL too.
            let v = slice(text, url);
            let v = v.split('\\').next().unwrap_or("");
            if let Some(p) = v.find("/v1/") {
                let path = Span::new(url.start + p + 4, url.start + v.len());
                if !path.is_empty() {
                    Hit::set_str(&mut h.resource, text, path, P_DETAIL);
                }
            }
            if !method.is_empty() && slice(text, method).bytes().all(|b| b.is_ascii_uppercase()) {
                h.fact("method", text, method);
            }
        }
        hits.push(h);
    }
}

/// The Ruby gem: `Vault::HTTPClientError: The Vault server at `URL' responded
/// with a 403.`, the reason listed below.
fn ruby_client(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "The Vault server at ";
    const WITH: &str = "responded with a ";
    for pos in find_all(text, ANCHOR) {
        let le = line_end(text, pos);
        let Some(w) = find_in(text, WITH, pos, le) else {
            continue;
        };
        let Some(st) = status_at(text, w + WITH.len()) else {
            continue;
        };
        let to = crate::scan::ceil_boundary(text, (le + REACH).min(text.len()));
        let phrase = Span::new(pos, pos + ANCHOR.len() - 1);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Unknown,
            P_DETAIL,
        );
        h.provider = Some((Provider::Unknown, Some(phrase), P_DETAIL));
        h.status(st, Span::new(w + WITH.len(), w + WITH.len() + 3));
        h.fact_value("service", VAULT.to_owned(), phrase);
        const CLASS: &str = "Vault::HTTPClientError: ";
        if pos >= CLASS.len() && at(text, pos - CLASS.len(), CLASS) {
            let c = Span::new(pos - CLASS.len(), pos - 2);
            h.error_code = Some((slice(text, c).to_owned(), Some(c), P_GENERIC));
        }
        match reason(text, le, to) {
            Some((why, gate)) => {
                h.gate = Some((gate, Some(why), P_DETAIL));
                h.fact("reason", text, why);
                h.span = Span::new(h.span.start, why.end);
            }
            None if st == 403 => h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC)),
            None if st == 401 => h.gate = Some((Gate::Authentication, Some(phrase), P_GENERIC)),
            None => continue,
        }
        hits.push(h);
    }
}

/// The Vault server's own log of a refused Kubernetes login: `login
/// unauthorized due to: lookup failed: service account unauthorized`, the
/// service account's token failing the TokenReview.
fn server_log(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "login unauthorized due to: ";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        if !slice(text, Span::new(ls, pos)).contains("auth.") {
            continue;
        }
        let phrase = Span::new(pos, pos + ANCHOR.len() - 2);
        let mut h = Hit::new(
            Span::new(ls, line_end(text, pos)),
            Provider::Unknown,
            P_DETAIL,
        );
        h.provider = Some((Provider::Unknown, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(phrase), P_DETAIL));
        h.fact_value("service", VAULT.to_owned(), phrase);
        let rs = pos + ANCHOR.len();
        let r = Span::new(rs, crate::scan::line_end(text, rs));
        let r = crate::scan::trim_trailing(text, r, b". ");
        if !r.is_empty() {
            h.fact("reason", text, r);
        }
        hits.push(h);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // Vault API, "HTTP status codes": 403 for a request the token's policies
    // do not allow. Constructed from the Go client's documented format.
    #[test]
    fn the_go_client_names_the_path_the_status_and_the_reason() {
        let f = one("Error writing data to secret/data/app: Error making API request.\n\nURL: PUT http://127.0.0.1:8200/v1/secret/data/app\nCode: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied\n");
        assert_eq!(
            (f.provider, f.gate),
            (Provider::Unknown, Gate::Authorization)
        );
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.resource.as_deref(), Some("secret/data/app"));
        assert_eq!(fact(&f, "service"), Some(super::VAULT));
    }

    // The same, escaped inside a JSON log line.
    #[test]
    fn escaped_newlines_are_read_too() {
        let f = one("{\"error\":\"Error making API request.\\n\\nURL: PUT http://vault:8200/v1/auth/kubernetes/login\\nCode: 403. Errors:\\n\\n* service account name not authorized\"}");
        assert_eq!(f.resource.as_deref(), Some("auth/kubernetes/login"));
        assert_eq!(
            fact(&f, "reason"),
            Some("service account name not authorized")
        );
    }

    #[test]
    fn an_api_request_without_a_reason_vault_gives_is_not_read_here() {
        let r = crate::explain("Error making API request.\n\nURL: GET http://vault:8200/v1/sys/health\nCode: 503. Errors:\n\n* Vault is sealed");
        assert!(
            r.findings.iter().all(|f| fact(f, "service").is_none()),
            "{:#?}",
            r.findings
        );
    }
}
