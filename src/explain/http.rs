//! Plain HTTP: status lines and the headers and body that follow them, and
//! browser CORS failures.

use super::{code_info, Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{Gate, Provider};
use crate::scan::{
    at, at_ci, byte, find_all, find_in, is_word, json_value_end, line_end, line_start, next_line,
    skip_blank, slice, status_at, value,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    status_lines(text, hits);
    one_liners(text, hits);
    npm_and_octokit(text, hits);
    cors(text, hits);
}

/// The gate a client error status stands for, if it is one this tool explains.
fn status_gate(status: u16) -> Option<Gate> {
    match status {
        401 | 407 => Some(Gate::Authentication),
        403 => Some(Gate::Authorization),
        _ => None,
    }
}

/// npm's registry errors, `npm ERR! 403 403 Forbidden - PUT <url> - <message>`
/// (npm-registry-fetch words them `<status> <status text> - <METHOD> <url>`), and
/// Octokit's `HttpError: <message>` followed by the error object with `status:
/// 403` and `url: '...'` (GitHub REST API, 'Troubleshooting the REST API': 403
/// `Resource not accessible by integration`).
fn npm_and_octokit(text: &str, hits: &mut Vec<Hit>) {
    const METHODS: [&str; 6] = ["GET ", "PUT ", "POST ", "DELETE ", "PATCH ", "HEAD "];
    for (phrase, status) in [(" Forbidden - ", 403u16), (" Unauthorized - ", 401)] {
        for pos in find_all(text, phrase) {
            let st = pos.saturating_sub(3);
            if pos < 3
                || status_at(text, st) != Some(status)
                || is_word(byte(text, st.wrapping_sub(1)))
            {
                continue;
            }
            let ms = pos + phrase.len();
            let Some(m) = METHODS.iter().find(|m| at(text, ms, m)) else {
                continue;
            };
            let Some(gate) = status_gate(status) else {
                continue;
            };
            let st_span = Span::new(st, st + 3);
            let le = line_end(text, pos);
            let mut h = Hit::new(Span::new(st, le), Provider::Http, P_GENERIC);
            h.status(status, st_span);
            h.gate = Some((gate, Some(st_span), P_GENERIC));
            let url = crate::scan::token(text, ms + m.len());
            Hit::set_str(&mut h.resource, text, url, P_GENERIC);
            hits.push(h);
        }
    }
    const OCTO: &str = "HttpError: ";
    for pos in find_all(text, OCTO) {
        // The error object Node prints after the stack: `status: 403,` and the
        // response's `url: '...'`, within a bounded window.
        let limit = (pos + 2048).min(text.len());
        let Some(s) = find_in(text, "status: ", pos, limit) else {
            continue;
        };
        let vs = s + "status: ".len();
        let Some(status) = status_at(text, vs) else {
            continue;
        };
        let Some(gate) = status_gate(status) else {
            continue;
        };
        let st_span = Span::new(vs, vs + 3);
        let mut h = Hit::new(
            Span::new(pos, line_end(text, vs)),
            Provider::Http,
            P_GENERIC,
        );
        h.status(status, st_span);
        h.gate = Some((gate, Some(st_span), P_GENERIC));
        if let Some(u) = find_in(text, "url: ", pos, limit) {
            if let Some(v) = value(text, u + "url: ".len()) {
                Hit::set_str(&mut h.resource, text, v, P_GENERIC);
                h.span.end = h.span.end.max(line_end(text, v.end));
            }
        }
        hits.push(h);
    }
}

/// Clients that report a failed response in one line:
/// - curl `--fail`: `curl: (22) The requested URL returned error: 403`;
/// - Python requests `raise_for_status()`: `403 Client Error: Forbidden for url: <url>`;
/// - .NET `HttpClient.EnsureSuccessStatusCode()`: `Response status code does not
///   indicate success: 403 (Forbidden).`
fn one_liners(text: &str, hits: &mut Vec<Hit>) {
    const CURL: &str = "The requested URL returned error: ";
    const DOTNET: &str = "Response status code does not indicate success: ";
    const REQUESTS: &str = " Client Error: ";
    for (anchor, status_at_end) in [(CURL, true), (DOTNET, true), (REQUESTS, false)] {
        for pos in find_all(text, anchor) {
            let (st_pos, start) = if status_at_end {
                let p = pos + anchor.len();
                (p, pos)
            } else {
                let Some(p) = pos.checked_sub(3) else {
                    continue;
                };
                (p, p)
            };
            if crate::scan::is_word(byte(text, st_pos + 3))
                || (!status_at_end && crate::scan::is_word(byte(text, st_pos.wrapping_sub(1))))
            {
                continue;
            }
            let Some(status) = status_at(text, st_pos) else {
                continue;
            };
            let gate = match status {
                401 | 407 => Gate::Authentication,
                403 => Gate::Authorization,
                425 => Gate::Replay,
                404 => Gate::Unknown,
                _ => continue,
            };
            let st_span = Span::new(st_pos, st_pos + 3);
            let le = line_end(text, pos);
            let mut h = Hit::new(Span::new(start, le), Provider::Http, P_GENERIC);
            h.status(status, st_span);
            h.gate = Some((gate, Some(st_span), P_GENERIC));
            if status == 404 {
                h.fact_value("mayConceal", "403".to_owned(), st_span);
            }
            const FOR_URL: &str = " for url: ";
            if let Some(u) = find_in(text, FOR_URL, pos, le + FOR_URL.len() - 1) {
                if let Some(v) = value(text, u + FOR_URL.len()) {
                    Hit::set_str(&mut h.resource, text, v, P_GENERIC);
                }
            }
            hits.push(h);
        }
    }
}

/// `HTTP/1.1 401 Unauthorized`, `HTTP/2 403`, `< HTTP/1.1 425 Too Early` (curl -v) at
/// the start of a line. The finding covers the headers and the body up to the next
/// blank line after the body, so a provider body inside it merges with it.
fn status_lines(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "HTTP/") {
        let ls = line_start(text, pos);
        let lead = text
            .get(ls..pos)
            .unwrap_or("")
            .trim_start_matches([' ', '\t', '<', '>']);
        if !lead.is_empty() {
            continue;
        }
        let mut i = pos + 5;
        while byte(text, i).is_ascii_digit() || byte(text, i) == b'.' {
            i += 1;
        }
        if byte(text, i) != b' ' {
            continue;
        }
        let Some(status) = status_at(text, i + 1) else {
            continue;
        };
        let st_span = Span::new(i + 1, i + 4);
        // Other 4xx statuses only carry their status into a provider body below
        // them (the Query APIs' 400 AccessDenied); alone they are not denials.
        let (gate, support) = match status {
            401 | 407 => (Gate::Authentication, false),
            403 => (Gate::Authorization, false),
            425 => (Gate::Replay, false),
            404 => (Gate::Unknown, false),
            400..=499 => (Gate::Unknown, true),
            _ => continue,
        };
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(pos, le), Provider::Http, P_GENERIC);
        h.status(status, st_span);
        h.support = support;
        if !support {
            h.gate = Some((gate, Some(Span::new(pos, le)), P_GENERIC));
        }
        if status == 404 {
            // A 404 may hide a 403: services such as GitHub and S3 (without
            // s3:ListBucket) answer "not found" to callers who may not know.
            h.fact_value("mayConceal", "403".to_owned(), st_span);
        }
        // Headers until a blank line, then the body until the next blank line.
        let mut end = le;
        let mut blank_seen = 0;
        let mut line = next_line(text, le);
        let mut n = 0;
        while let Some(l) = line {
            n += 1;
            let e = line_end(text, l);
            let content = text.get(l..e).unwrap_or("").trim();
            if content.is_empty() || content == "<" || content == ">" {
                blank_seen += 1;
                if blank_seen == 2 || n > 200 {
                    break;
                }
            } else {
                if content.starts_with("HTTP/") || content.starts_with("< HTTP/") {
                    break;
                }
                if blank_seen > 0 {
                    // The body is one document; what follows it in a log is not
                    // part of this response.
                    end = body_end(text, skip_blank(text, l), e);
                    break;
                }
                let p = skip_blank(text, l);
                let p = if matches!(byte(text, p), b'<' | b'>') {
                    skip_blank(text, p + 1)
                } else {
                    p
                };
                // Before the blank line only header fields belong to the response
                // (RFC 9110 field syntax, `name: value`); anything else, such as
                // the next line of a log, ends it.
                if blank_seen == 0 && !is_header_field(text.get(p..e).unwrap_or("")) {
                    break;
                }
                for (header, key) in [
                    ("www-authenticate:", "wwwAuthenticate"),
                    ("proxy-authenticate:", "proxyAuthenticate"),
                    // Request ids as AWS (JSON protocols, S3) and Azure return them.
                    ("x-amzn-requestid:", "requestId"),
                    ("x-amz-request-id:", "requestId"),
                    ("x-ms-request-id:", "requestId"),
                ] {
                    if blank_seen == 0 && at_ci(text, p, header) {
                        let v = skip_blank(text, p + header.len());
                        h.fact(key, text, Span::new(v, e));
                    }
                }
                // AWS REST-JSON services (Lambda, API Gateway) put the error code in
                // `x-amzn-ErrorType`, optionally followed by `:` and a URL.
                const ERROR_TYPE: &str = "x-amzn-errortype:";
                if blank_seen == 0 && at_ci(text, p, ERROR_TYPE) {
                    let v = skip_blank(text, p + ERROR_TYPE.len());
                    let mut ce = v;
                    while is_word(byte(text, ce)) || byte(text, ce) == b'.' {
                        ce += 1;
                    }
                    let code = Span::new(v, ce);
                    if code_info(slice(text, code)).is_some() {
                        h.code(text, code, P_CODE);
                        h.support = false;
                        if let Some(st) = h.http_status.as_mut() {
                            // The status line above still decides the status.
                            *st = ((status, true), Some(st_span), P_STRONG);
                        }
                    }
                }
                end = e;
            }
            if n > 400 {
                break;
            }
            line = next_line(text, e);
        }
        h.span = Span::new(pos, end);
        hits.push(h);
    }
}

/// The end of a response body that starts at `pos` on a line ending at `line_end`:
/// a JSON value, an XML document (its lines start with `<`), or else one line.
fn body_end(text: &str, pos: usize, first_line_end: usize) -> usize {
    match byte(text, pos) {
        b'{' | b'[' => json_value_end(text, pos).map_or(first_line_end, |e| line_end(text, e)),
        b'<' => {
            let mut end = first_line_end;
            while let Some(l) = next_line(text, end) {
                let p = skip_blank(text, l);
                if byte(text, p) != b'<' {
                    break;
                }
                end = line_end(text, l);
            }
            end
        }
        _ => first_line_end,
    }
}

/// Whether `line` is an HTTP header field: a name of token characters starting
/// with a letter, then `:`.
fn is_header_field(line: &str) -> bool {
    let name = line.split(':').next().unwrap_or("");
    name.len() < line.len()
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
}

/// Chrome's `Access to fetch at '<url>' from origin '<origin>' has been blocked by
/// CORS policy: ...` and Firefox's `Cross-Origin Request Blocked: ...`. The browser
/// withheld the response; this is not an access-control decision by the server.
fn cors(text: &str, hits: &mut Vec<Hit>) {
    const CHROME: &str = "has been blocked by CORS policy";
    for pos in find_all(text, CHROME) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let phrase = Span::new(pos, pos + CHROME.len());
        let start = text
            .get(ls..pos)
            .and_then(|s| s.rfind("Access to "))
            .map_or(pos, |i| ls + i);
        let mut h = Hit::new(Span::new(start, le), Provider::Http, P_DETAIL);
        h.provider = Some((Provider::Http, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::NotAuth, Some(phrase), P_DETAIL));
        h.error_code = None;
        if start < pos {
            if let Some(a) = find_in(text, " at ", start, pos + 3) {
                if let Some(u) = value(text, a + 4) {
                    crate::explain::Hit::set_str(&mut h.resource, text, u, P_DETAIL);
                }
            }
            if let Some(o) = find_in(text, "from origin ", start, pos + 11) {
                if let Some(u) = value(text, o + 12) {
                    h.fact("origin", text, u);
                }
            }
        }
        status_in_line(text, pos, le, &mut h);
        hits.push(h);
    }
    const FIREFOX: &str = "Cross-Origin Request Blocked";
    for pos in find_all(text, FIREFOX) {
        let le = line_end(text, pos);
        let phrase = Span::new(pos, pos + FIREFOX.len());
        let mut h = Hit::new(Span::new(pos, le), Provider::Http, P_DETAIL);
        h.provider = Some((Provider::Http, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::NotAuth, Some(phrase), P_DETAIL));
        if let Some(r) = find_in(text, "remote resource at ", pos, le + 18) {
            if let Some(u) = value(text, r + 19) {
                crate::explain::Hit::set_str(&mut h.resource, text, u, P_DETAIL);
            }
        }
        status_in_line(text, pos, le, &mut h);
        hits.push(h);
    }
}

fn status_in_line(text: &str, from: usize, to: usize, h: &mut Hit) {
    for label in ["Status code: ", "HTTP status code ", "status code "] {
        if let Some(s) = find_in(text, label, from, to + label.len() - 1) {
            let v = s + label.len();
            if let Some(st) = status_at(text, v) {
                h.status(st, Span::new(v, v + 3));
                return;
            }
        }
    }
    let _ = at(text, from, "");
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // Status semantics from RFC 9110 (401, 403, 404) and RFC 8470 (425 Too Early).

    #[test]
    fn unauthorized_with_www_authenticate() {
        let t = "HTTP/1.1 401 Unauthorized\nContent-Length: 0\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\n\n";
        let f = one(t);
        assert_eq!(f.provider, Provider::Http);
        assert_eq!(f.http_status, Some(401));
        assert_eq!(ev(t, &f, "httpStatus"), "401");
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.deny, None);
        assert_eq!(
            fact(&f, "wwwAuthenticate"),
            Some("Bearer realm=\"api\", error=\"invalid_token\"")
        );
    }

    #[test]
    fn forbidden_too_early_and_not_found() {
        let f = one("< HTTP/2 403\n< content-type: text/html\n");
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        let f = one("HTTP/1.1 425 Too Early\n");
        assert_eq!(f.gate, Gate::Replay);
        assert_eq!(f.deny, None);
        let t = "HTTP/1.1 404 Not Found\n";
        let f = one(t);
        assert_eq!(f.gate, Gate::Unknown);
        assert_eq!(fact(&f, "mayConceal"), Some("403"));
        assert_eq!(ev(t, &f, "gate"), "HTTP/1.1 404 Not Found");
    }

    /// A status line in a log with no blank line after it must not swallow the
    /// errors logged after it: only header fields continue a response.
    #[test]
    fn a_response_ends_at_the_first_line_that_is_not_a_header() {
        let t = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\"\n\
2026-11-22T10:06:00Z DEBUG request 6-0 took 6ms\n\
User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy\n\
HTTP/2 425 Too Early\n\
2026-11-22T10:07:00Z DEBUG request 7-0 took 7ms\n\
pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"dev\"";
        let (findings, _) = super::super::find(t);
        let gates: Vec<(Option<u16>, Gate)> =
            findings.iter().map(|f| (f.http_status, f.gate)).collect();
        assert_eq!(findings.len(), 4, "{gates:?}");
        assert_eq!(findings[0].http_status, Some(401));
        assert_eq!(findings[0].gate, Gate::Authentication);
        assert!(findings[0].facts.iter().any(|f| f.key == "wwwAuthenticate"));
        assert_eq!(findings[1].provider, Provider::Aws);
        assert_eq!(findings[2].gate, Gate::Replay);
        assert_eq!(findings[3].provider, Provider::Kubernetes);
    }

    #[test]
    fn access_log_lines_are_not_status_lines() {
        assert!(
            super::super::find("10.0.0.1 - - \"GET /x HTTP/1.1\" 403 12")
                .0
                .is_empty()
        );
        assert!(super::super::find("HTTP/1.1 200 OK\n").0.is_empty());
    }

    #[test]
    fn cors_failures() {
        let t = "Access to fetch at 'https://api.example.com/data' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
        let f = one(t);
        assert_eq!(f.provider, Provider::Http);
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.http_status, None);
        assert_eq!(f.resource.as_deref(), Some("https://api.example.com/data"));
        assert_eq!(fact(&f, "origin"), Some("https://app.example.com"));
        assert_eq!(ev(t, &f, "gate"), "has been blocked by CORS policy");
        let t = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS header 'Access-Control-Allow-Origin' missing). Status code: 403.";
        let f = one(t);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.resource.as_deref(), Some("https://api.example.com/x"));
    }
}
