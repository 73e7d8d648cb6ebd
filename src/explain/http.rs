//! Plain HTTP: status lines and the headers and body that follow them, and
//! browser CORS failures.

use super::{code_info, Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{Confidence, DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{
    at, at_ci, byte, find_all, find_in, is_word, json_value_end, line_end, line_start, next_line,
    skip_blank, slice, status_at, token, value,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    status_lines(text, hits);
    one_liners(text, hits);
    bare_statuses(text, hits);
    bearer_errors(text, hits);
    cloudflare(text, hits);
    cors(text, hits);
    apache(text, hits);
    access_logs(text, hits);
    cargo_download(text, hits);
    ssh_publickey(text, hits);
    okhttp(text, hits);
    status_named(text, hits);
    aiohttp(text, hits);
    shell_cut_url(text, hits);
}

/// Windows `cmd` splitting an unquoted signed URL at each `&`: it runs the
/// client with the URL cut before its signing parameters, then tries each
/// parameter as a command (`'Signature' is not recognized as an internal or
/// external command`, `'Key-Pair-Id' ...`). The server got the request
/// without its signature, so the refusal printed above is about the missing
/// credential. Only supports a status it stands under: the lines from the
/// command (the last line above holding `://`) down to the phrase.
fn shell_cut_url(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "' is not recognized as an internal or external command";
    let mut done = 0;
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        if ls < done {
            continue;
        }
        let Some(q) = text
            .get(ls..pos)
            .and_then(|l| l.rfind('\''))
            .map(|i| ls + i + 1)
        else {
            continue;
        };
        let name = slice(text, Span::new(q, pos));
        if !(super::bound::is_signing_param(name) || name.eq_ignore_ascii_case("sig")) {
            continue;
        }
        // The command line: the nearest line above naming a URL.
        let mut cur = ls;
        let mut command = None;
        for _ in 0..30 {
            let Some(prev) = cur.checked_sub(1).map(|p| line_start(text, p)) else {
                break;
            };
            if text.get(prev..cur).is_some_and(|l| l.contains("://")) {
                command = Some(prev);
                break;
            }
            cur = prev;
        }
        let Some(start) = command else {
            continue;
        };
        let phrase = Span::new(q.saturating_sub(1), pos + ANCHOR.len());
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(start, le), Provider::Http, P_GENERIC);
        h.provider = None;
        h.gate = Some((Gate::Authentication, Some(phrase), P_DETAIL));
        h.fact("shellCutUrl", text, Span::new(q, pos));
        h.support = true;
        done = le;
        hits.push(h);
    }
}

/// Clients that name the status by its reason rather than its number:
/// RestSharp's `Request failed with status code Unauthorized` (it prints .NET's
/// `HttpStatusCode` member).
fn status_named(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Request failed with status code ";
    for pos in find_all(text, ANCHOR) {
        let r = pos + ANCHOR.len();
        let Some(&(status, reason, gate)) = STATUSES.iter().find(|(_, reason, _)| {
            let name: String = reason.split(' ').collect();
            at(text, r, &name) && !is_word(byte(text, r + name.len()))
        }) else {
            continue;
        };
        let name_len = reason.split(' ').map(str::len).sum::<usize>();
        let rs = Span::new(r, r + name_len);
        let mut h = Hit::new(
            Span::new(pos, line_end(text, pos)),
            Provider::Http,
            P_GENERIC,
        );
        h.http_status = Some(((status, true), Some(rs), P_STRONG));
        h.gate = Some((gate, Some(rs), P_GENERIC));
        hits.push(h);
    }
}

/// aiohttp's `ClientResponseError: 403, message='Forbidden', url='<url>'` (newer
/// versions print `url=URL('<url>')`).
fn aiohttp(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "ClientResponseError: ";
    for pos in find_all(text, ANCHOR) {
        let st = pos + ANCHOR.len();
        let Some(&(status, _, gate)) = status_at(text, st)
            .filter(|_| at(text, st + 3, ", message="))
            .and_then(|s| STATUSES.iter().find(|x| x.0 == s))
        else {
            continue;
        };
        let le = line_end(text, pos);
        let ss = Span::new(st, st + 3);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Http,
            P_GENERIC,
        );
        h.status(status, ss);
        h.gate = Some((gate, Some(ss), P_GENERIC));
        // With a provider's body in `message=`, that body's reader names
        // the resource; the URL stands for it only after a bare reason.
        let url = find_in(text, "url=", st, le).filter(|&u| find_in(text, "{", st, u).is_none());
        if let Some(u) = url {
            let v = u + 4;
            let v = if at(text, v, "URL(") { v + 4 } else { v };
            if let Some(q) = crate::scan::quoted(text, v) {
                Hit::set_str(&mut h.resource, text, q, P_GENERIC);
            }
        }
        hits.push(h);
    }
}

/// OkHttp's `Response.toString()`, which Android apps and Retrofit log for a
/// failed call: `Response{protocol=h2, code=403, message=, url=https://...}`.
/// HTTP/2 has no reason phrase, so `message=` is often empty.
fn okhttp(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Response{protocol=";
    for pos in find_all(text, ANCHOR) {
        let le = line_end(text, pos);
        let Some(close) = find_in(text, "}", pos, le) else {
            continue;
        };
        let Some(c) = find_in(text, ", code=", pos, close) else {
            continue;
        };
        let st = c + ", code=".len();
        let Some(status) =
            status_at(text, st).filter(|_| !crate::scan::is_word(byte(text, st + 3)))
        else {
            continue;
        };
        let gate = match status {
            401 | 407 => Gate::Authentication,
            403 => Gate::Authorization,
            429 | 451 | 511 => Gate::NotAuth,
            _ => continue,
        };
        let st_span = Span::new(st, st + 3);
        let mut h = Hit::new(Span::new(pos, close + 1), Provider::Http, P_GENERIC);
        h.status(status, st_span);
        h.gate = Some((gate, Some(st_span), P_GENERIC));
        if let Some(u) = find_in(text, ", url=", st, close) {
            Hit::set_str(
                &mut h.resource,
                text,
                Span::new(u + ", url=".len(), close),
                P_GENERIC,
            );
        }
        hits.push(h);
    }
}

/// A web server's or proxy's access log line, `"GET /headers HTTP/1.1" 403`
/// (the Common Log Format and those built on it: nginx, Apache, Envoy,
/// oauth2-proxy), with the requested path as the resource. A log of a busy
/// server holds 403s by the hundred, so such a line stands as a denial only
/// where it says why: Envoy's `rbac_access_denied_matched_policy[<policy>]`,
/// an explicit deny by its RBAC filter. Otherwise it only lends its status and
/// path to a finding it stands beside.
fn access_logs(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, " HTTP/") {
        let mut i = pos + 6;
        while byte(text, i).is_ascii_digit() || byte(text, i) == b'.' {
            i += 1;
        }
        if byte(text, i) != b'"' || byte(text, i + 1) != b' ' {
            continue;
        }
        let Some(status) = status_at(text, i + 2) else {
            continue;
        };
        let gate = match status {
            401 | 407 => Gate::Authentication,
            403 => Gate::Authorization,
            _ => continue,
        };
        let st = Span::new(i + 2, i + 5);
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(ls, le), Provider::Http, P_GENERIC);
        h.status(status, st);
        h.gate = Some((gate, Some(st), P_GENERIC));
        h.confidence = Some(crate::model::Confidence::Likely);
        h.support = true;
        // The request line before it: `"METHOD PATH`. A client's debug log
        // (urllib3's `https://host:443 "PUT /path HTTP/1.1" 403`) logs its own
        // calls, of which this may not be the one refused: no resource then.
        let client_log = text.get(ls..pos).is_some_and(|l| l.contains("://"));
        if let Some(q) = text
            .get(ls..pos)
            .and_then(|l| l.rfind('"'))
            .map(|q| ls + q + 1)
            .filter(|_| !client_log)
        {
            let method = token(text, q);
            let path = token(text, skip_blank(text, method.end));
            if !method.is_empty() && path.end == pos && byte(text, path.start) == b'/' {
                Hit::set_str(&mut h.resource, text, path, P_GENERIC);
            }
        }
        const RBAC: &str = "rbac_access_denied_matched_policy[";
        if let Some(r) = find_in(text, RBAC, st.end, le) {
            let end = find_in(text, "]", r, le).map_or(r + RBAC.len(), |e| e + 1);
            let code = Span::new(r, end);
            h.error_code = Some((slice(text, code).to_owned(), Some(code), P_CODE));
            h.deny = Some((DenyKind::Explicit, Some(code), P_CODE));
            h.gate = Some((Gate::Authorization, Some(code), P_CODE));
            h.support = false;
        }
        hits.push(h);
    }
}

/// Cargo's download failure: `failed to get 200 response from <url>, got 403`
/// (the URL may be in backticks).
fn cargo_download(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "failed to get 200 response from ";
    for pos in find_all(text, ANCHOR) {
        let le = line_end(text, pos);
        let Some(g) = find_in(text, ", got ", pos, le) else {
            continue;
        };
        let Some(status) = status_at(text, g + 6) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            _ => continue,
        };
        let st = Span::new(g + 6, g + 9);
        let mut h = Hit::new(Span::new(pos, le), Provider::Http, P_GENERIC);
        h.status(status, st);
        h.gate = Some((gate, Some(st), P_GENERIC));
        let u = crate::scan::trim_trailing(text, Span::new(pos + ANCHOR.len(), g), b"`");
        let u = Span::new(u.start + usize::from(byte(text, u.start) == b'`'), u.end);
        if slice(text, u).contains("://") {
            Hit::set_str(&mut h.resource, text, u, P_GENERIC);
        }
        hits.push(h);
    }
}

/// SSH refusing every key offered: `git@github.com: Permission denied
/// (publickey).` The server did not accept the key (or none was offered), so
/// this is authentication, on GitHub when the host says so.
fn ssh_publickey(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Permission denied (publickey";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len());
        let ls = line_start(text, pos);
        let mut h = Hit::new(Span::new(ls, line_end(text, pos)), Provider::Unknown, 0);
        h.gate = Some((Gate::Authentication, Some(phrase), P_DETAIL));
        let head = text.get(ls..pos).unwrap_or("");
        if head.contains("github.com") {
            h.provider = Some((Provider::Github, Some(phrase), P_DETAIL));
        }
        h.fact("sshRefusal", text, phrase);
        hits.push(h);
    }
}

/// Apache httpd's built-in 403 page, often pasted as rendered text without
/// its status: `Forbidden` / `You don't have permission to access this
/// resource.` (2.4) or `... to access /path on this server.` (older).
fn apache(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "You don't have permission to access ";
    for pos in find_all(text, ANCHOR) {
        let rest = pos + ANCHOR.len();
        let le = line_end(text, pos);
        let path = if at(text, rest, "this resource.") {
            None
        } else if let Some(e) = find_in(text, " on this server.", rest, le) {
            // Apache names the path (`/admin/`); other servers copying the page
            // put an escaped URL there, which is left alone.
            Some(Span::new(rest, e)).filter(|_| byte(text, rest) == b'/')
        } else {
            continue;
        };
        let phrase = Span::new(pos, pos + ANCHOR.len() - 1);
        let mut h = Hit::new(Span::new(pos, le), Provider::Http, P_DETAIL);
        h.provider = Some((Provider::Http, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        if let Some(p) = path {
            Hit::set_str(&mut h.resource, text, p, P_DETAIL);
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
                // RFC 6585 and RFC 7725: a rate limit, a captive portal, a
                // legal block; not access decisions about the caller.
                429 | 451 | 511 => Gate::NotAuth,
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
            if let Some(u) = called_url(text, st_pos + 3, le) {
                Hit::set_str(&mut h.resource, text, u, P_GENERIC);
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
                    // A JSON body pasted without the blank line before it.
                    if matches!(byte(text, p), b'{' | b'[') {
                        end = body_end(text, p, e);
                        body_error(text, p, end, &mut h);
                    }
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
        h.span = Span::new(request_line(text, ls, &mut h).unwrap_or(pos), end);
        hits.push(h);
    }
}

/// The request pasted above a response (`GET /api/x HTTP/1.1`, then its
/// header fields): its start, with the request target as the resource.
fn request_line(text: &str, status_ls: usize, h: &mut Hit) -> Option<usize> {
    const METHODS: [&str; 7] = [
        "GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD ", "OPTIONS ",
    ];
    let mut cur = status_ls;
    for _ in 0..30 {
        let prev = line_start(text, cur.checked_sub(1)?);
        let line = text.get(prev..cur).unwrap_or("").trim_end();
        let body = line.trim_start_matches([' ', '>']);
        if let Some(m) = METHODS.iter().find(|m| body.starts_with(**m)) {
            if !body.contains(" HTTP/") {
                return None;
            }
            let off = prev + (line.len() - body.len()) + m.len();
            let target = token(text, off);
            Hit::set_str(&mut h.resource, text, target, P_GENERIC);
            return Some(prev);
        }
        if !is_header_field(body) {
            return None;
        }
        cur = prev;
    }
    None
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
        h.fact("reason", text, phrase);
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
        h.fact("reason", text, phrase);
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

// --- Statuses in any wrapper --------------------------------------------------

/// The statuses this tool explains when the text shows no provider body: each
/// with its reason phrase and the gate it stands for. RFC 9110 section 15.5
/// (401 Unauthorized, 403 Forbidden, 407 Proxy Authentication Required), RFC
/// 8470 section 5.2 (425 Too Early), RFC 6585 sections 4 and 6 (429 Too Many
/// Requests, 511 Network Authentication Required) and RFC 7725 section 3 (451
/// Unavailable For Legal Reasons). 429, 451 and 511 are not access decisions
/// about the caller: a rate limit, a legal block, a captive portal.
pub(super) const STATUSES: [(u16, &str, Gate); 7] = [
    (401, "Unauthorized", Gate::Authentication),
    (403, "Forbidden", Gate::Authorization),
    (407, "Proxy Authentication Required", Gate::Authentication),
    (425, "Too Early", Gate::Replay),
    (429, "Too Many Requests", Gate::NotAuth),
    (451, "Unavailable For Legal Reasons", Gate::NotAuth),
    (511, "Network Authentication Required", Gate::NotAuth),
];

/// What may stand right before a status number for it to be read as one,
/// compared ignoring case, and whether it settles that the number is a status
/// (`true`) or only suggests it (`false`). `(` and `**` also need their closing
/// mark after the number.
const STATUS_LEADS: [(&str, bool); 32] = [
    ("HTTP ", true),
    // Python clients' exception name (twine, aiohttp): `HTTPError: 403`.
    ("HTTPError: ", true),
    ("HTTP/1.0 ", true),
    ("HTTP/1.1 ", true),
    ("HTTP/2 ", true),
    ("HTTP/2.0 ", true),
    ("HTTP/3 ", true),
    ("HTTP Error ", true),
    ("status ", true),
    ("status: ", true),
    ("status=", true),
    ("\"status\": ", true),
    ("\"status\":", true),
    ("\"status\": \"", true),
    ("\"status\":\"", true),
    ("statusCode: ", true),
    ("statusCode=", true),
    ("\"statusCode\": ", true),
    ("\"statusCode\":", true),
    ("status_code=", true),
    ("status_code: ", true),
    ("code ", true),
    ("code: ", false),
    ("\"code\": ", false),
    ("\"code\":", false),
    ("response ", true),
    ("returned ", true),
    ("error ", false),
    ("returned error: ", true),
    // Maven's wagon: `Return code is: 401, ReasonPhrase: Unauthorized.`
    ("Return code is: ", true),
    ("(", false),
    ("**", false),
];

/// Client libraries whose name on a status's line (their log target) says
/// which service answered: octocrab, the Rust client for GitHub's API, logs
/// `DEBUG octocrab] HTTP; http.status_code=403`.
const CLIENT_TELLS: [(&str, Provider); 1] = [("octocrab", Provider::Github)];

/// Words around a `425` that say the server reused it for "not ready yet"
/// rather than RFC 8470's early-data refusal.
const NOT_READY: [&str; 4] = ["not_ready", "not ready", "not yet ready", "notready"];

/// A status number in a wrapper: `HTTP 403`, `StatusCode: 403`, `"code": 403`,
/// `returned 403`, `(403)`, `Response code 403 (Forbidden)`, `403 Forbidden`
/// alone on a line or in an HTML error page (nginx, Apache). The finding is
/// `likely` when a status word or the reason phrase surrounds the number,
/// `possible` when only a bracket or a generic word does.
fn bare_statuses(text: &str, hits: &mut Vec<Hit>) {
    let mut mine = Vec::new();
    for (status, reason, gate) in STATUSES {
        let digits = [
            b'0' + (status / 100) as u8,
            b'0' + (status / 10 % 10) as u8,
            b'0' + (status % 10) as u8,
        ];
        let Ok(needle) = std::str::from_utf8(&digits) else {
            continue;
        };
        // A status repeated inside the stretch the previous one covers is
        // the same response (and re-reading it would cost quadratic time).
        let mut covered = 0;
        for pos in find_all(text, needle) {
            if pos < covered {
                continue;
            }
            let before = byte(text, pos.wrapping_sub(1));
            let after = byte(text, pos + 3);
            // Not part of a longer number, a version, a path or a time.
            if is_word(before)
                || is_word(after)
                || matches!(before, b'.' | b'/' | b'-' | b'#')
                || (before == b':' && byte(text, pos.wrapping_sub(2)).is_ascii_digit())
                || (matches!(after, b'.' | b'/' | b':') && is_word(byte(text, pos + 4)))
            {
                continue;
            }
            if let Some(h) = bare_status(text, pos, status, reason, gate) {
                covered = h.span.end;
                mine.push(h);
            }
        }
    }
    join_neighbours(text, &mut mine, hits);
    hits.extend(mine);
}

fn bare_status(text: &str, pos: usize, status: u16, reason: &str, gate: Gate) -> Option<Hit> {
    let st_span = Span::new(pos, pos + 3);
    // The reason phrase after the number: `403 Forbidden`, `403 (Forbidden)`,
    // `HTTP Error 403: Forbidden`, `403 - Forbidden`.
    let mut r = pos + 3;
    for sep in [" - ", ": ", " (", " "] {
        if at(text, r, sep) {
            r += sep.len();
            break;
        }
    }
    let reason_end = (at_ci(text, r, reason) && !is_word(byte(text, r + reason.len())))
        .then_some(r + reason.len());
    let lead = STATUS_LEADS.iter().find(|(l, _)| {
        let ls = pos.wrapping_sub(l.len());
        pos >= l.len()
            && at_ci(text, ls, l)
            // A word lead is a whole word: not the `code` of `errcode 403`.
            && (!is_word(byte(text, ls.wrapping_sub(1)))
                || !l.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()))
    });
    let lead = match lead {
        Some(&("(", _)) if byte(text, pos + 3) != b')' => None,
        Some(&("**", _)) if !at(text, pos + 3, "**") => None,
        l => l,
    };
    let confidence = match (lead, reason_end) {
        (_, Some(_)) | (Some((_, true)), None) => Confidence::Likely,
        (Some((_, false)), None) => Confidence::Possible,
        (None, None) => return None,
    };
    let ls = line_start(text, pos);
    let le = line_end(text, pos);
    let mut h = Hit::new(
        Span::new(
            ls.max(crate::scan::ceil_boundary(text, pos.saturating_sub(512))),
            le,
        ),
        Provider::Http,
        P_GENERIC,
    );
    h.confidence = Some(confidence);
    h.status(status, st_span);
    let gate_span = Span::new(
        lead.map_or(pos, |(l, _)| pos - l.len()),
        reason_end.unwrap_or(pos + 3),
    );
    h.gate = Some((gate, Some(gate_span), P_GENERIC));
    if status == 425 {
        for w in NOT_READY {
            if let Some(p) =
                crate::scan::find_ci_in(text, w, ls.max(pos.saturating_sub(256)), le.min(pos + 256))
            {
                h.gate = Some((Gate::NotAuth, Some(Span::new(p, p + w.len())), P_DETAIL));
                break;
            }
        }
    }
    // What else the line says is read near the status only, so that a huge
    // line of statuses costs linear time.
    let (near_s, near_e) = (
        ls.max(crate::scan::floor_boundary(text, pos.saturating_sub(256))),
        le.min(crate::scan::floor_boundary(text, pos + 256))
            .max(pos),
    );
    body_error(text, near_s, near_e, &mut h);
    for (tell, provider) in CLIENT_TELLS {
        if let Some(t) = find_in(text, tell, near_s, pos) {
            h.provider = Some((provider, Some(Span::new(t, t + tell.len())), P_DETAIL));
        }
    }
    // A request target written in backquotes on the same line (`/messages`).
    if let Some(q) = find_in(text, "`/", near_s, near_e) {
        if let Some(v) = crate::scan::quoted(text, q) {
            if !slice(text, v).contains(' ') {
                Hit::set_str(&mut h.resource, text, v, P_GENERIC);
            }
        }
    }
    // The URL the client says it called.
    if h.resource.is_none() {
        if let Some(u) = called_url(text, pos + 3, near_e) {
            Hit::set_str(&mut h.resource, text, u, P_GENERIC);
        }
    }
    // An HTML error page (nginx, Apache) repeats the status in its title and
    // heading: the page is one response.
    let mut end = le;
    if byte(text, skip_blank(text, ls)) == b'<' {
        let mut n = 0;
        while let Some(l) = next_line(text, end) {
            n += 1;
            if byte(text, skip_blank(text, l)) != b'<' || n > 40 {
                break;
            }
            end = line_end(text, l);
            if let Some(p) = find_in(text, "<center>nginx", l, end) {
                let v = p + "<center>".len();
                let ve = find_in(text, "</center>", v, end).unwrap_or(end);
                h.fact("server", text, Span::new(v, ve));
            }
        }
    }
    // A body on the next lines (after at most one blank line when the status
    // stands alone): an XML error or a JSON object belongs to this status.
    if end == le {
        let alone = text.get(ls..le).is_some_and(|l| {
            let t = l.trim();
            t.len() <= 3 + 2 + reason.len() + 1 && reason_end.is_some()
        });
        let mut l = next_line(text, le);
        if alone {
            if let Some(n) = l {
                if text
                    .get(n..line_end(text, n))
                    .is_some_and(|x| x.trim().is_empty())
                {
                    l = next_line(text, n);
                }
            }
        }
        if let Some(n) = l {
            let p = skip_blank(text, n);
            match byte(text, p) {
                b'<' => {
                    end = line_end(text, n);
                    let mut k = 0;
                    while let Some(m) = next_line(text, end) {
                        k += 1;
                        if byte(text, skip_blank(text, m)) != b'<' || k > 60 {
                            break;
                        }
                        end = line_end(text, m);
                    }
                }
                b'{' | b'[' => {
                    if let Some(e) = object_end(text, p) {
                        end = e;
                    }
                }
                _ => {}
            }
        }
    }
    h.span.end = end;
    // A status member of a JSON object (`"code": 403`, or `code: 401,` on a
    // line of its own in a printed object) stands for the whole object, which
    // other recognisers read in parts.
    let member = lead.is_some_and(|(l, _)| {
        l.starts_with('"')
            || (l.ends_with(": ") && text.get(ls..pos).is_some_and(|b| b.trim() == l.trim()))
    });
    if member {
        if let Some(open) = object_start(text, pos) {
            if let Some(e) = object_end(text, open) {
                h.span.start = h.span.start.min(line_start(text, open));
                h.span.end = h.span.end.max(e);
            }
        }
    }
    Some(h)
}

/// Where a client's error names the URL it called, relative to the status
/// it reports: the words right before the URL, whether an HTTP method stands
/// between them and the URL, and whether they follow the status on its line
/// or stand on a line above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlAt {
    /// After the status on its line; the URL may wrap to the next line.
    After,
    /// On the status's line before it, or on one of the few lines above.
    Above,
}

/// The forms a client error names its URL in, compared ignoring case. The
/// URL must hold `://`: a path alone or a placeholder is left alone.
const URL_LEADS: [(&str, bool, UrlAt); 4] = [
    // Python requests' `raise_for_status()`: `403 Client Error: Forbidden for
    // url: <url>`; httpx's `Client error '403 Forbidden' for url '<url>'`
    // (which a rich traceback wraps onto the next line); Java's
    // HttpURLConnection: `Server returned HTTP response code: 403 for URL: <url>`.
    (" for url", false, UrlAt::After),
    // Spring WebClient: `401 Unauthorized from GET <url>`.
    (" from ", true, UrlAt::After),
    // A request named in brackets above its status, as swagger-generated Go
    // clients print it: `Operation: GetClusters (GET <url>)` / `Status: 401`.
    ("(", true, UrlAt::Above),
    // GNU wget: `--2024-12-23 19:00:27--  <url>`, then the lookup, the
    // connection and `HTTP request sent, awaiting response... 403 Forbidden`.
    ("--  ", false, UrlAt::Above),
];

/// Request methods as clients print them before a URL.
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// How many lines above a status [`UrlAt::Above`] forms are looked for.
const URL_LINES_ABOVE: usize = 4;

/// The URL a client error around the status ending at `after` names as the
/// one it called (the first of [`URL_LEADS`] that holds one): after the
/// status up to `to`, else on the lines above it, nearest first, up to a
/// blank line.
fn called_url(text: &str, after: usize, to: usize) -> Option<Span> {
    for (lead, method, place) in URL_LEADS {
        if place == UrlAt::After {
            if let Some(u) = url_after_lead(text, lead, method, after, to.max(after), true) {
                return Some(u);
            }
        }
    }
    let ls = line_start(text, after);
    let mut from = ls;
    let mut upto = after;
    for _ in 0..=URL_LINES_ABOVE {
        // A long line is read near its end only, so that a paste of long
        // lines costs linear time.
        let near = from.max(crate::scan::floor_boundary(text, upto.saturating_sub(1024)));
        for (lead, method, place) in URL_LEADS {
            if place == UrlAt::Above {
                if let Some(u) = url_after_lead(text, lead, method, near, upto, false) {
                    return Some(u);
                }
            }
        }
        let prev = from.checked_sub(1).map(|p| line_start(text, p))?;
        if text.get(prev..from).is_some_and(|l| l.trim().is_empty()) {
            return None;
        }
        upto = from;
        from = prev;
    }
    None
}

/// The URL after the first `lead` between `from` and `to` (after a request
/// method when `method`), quoted or not; with `wrap`, on the next line when
/// the lead ends its line.
fn url_after_lead(
    text: &str,
    lead: &str,
    method: bool,
    from: usize,
    to: usize,
    wrap: bool,
) -> Option<Span> {
    let mut at_pos = from;
    while let Some(l) = crate::scan::find_ci_in(text, lead, at_pos, to) {
        at_pos = l + lead.len();
        let mut v = at_pos;
        if method {
            let Some(m) = METHODS.iter().find(|m| at(text, v, m)) else {
                continue;
            };
            v += m.len();
            if byte(text, v) != b' ' {
                continue;
            }
        }
        if byte(text, v) == b':' {
            v += 1;
        }
        v = skip_blank(text, v);
        if wrap && v == line_end(text, v) {
            if let Some(n) = next_line(text, v) {
                v = skip_blank(text, n);
            }
        }
        let Some(u) = value(text, v) else {
            continue;
        };
        let u = crate::scan::trim_trailing(text, u, b".,;)]");
        let url = slice(text, u);
        if url.contains("://") && !url.starts_with("://") {
            return Some(u);
        }
    }
    None
}

/// Widens each bare-status hit whose line breaks off mid-message over the
/// lines between it and a provider's hit up to three lines on, with no blank
/// line between: a status inside
/// an SDK's wrapped message (`https response error StatusCode: 403,
/// RequestID:` then `api error AccessDenied: ...` on the next line) belongs
/// to that message. `others` are the hits found before this module ran.
fn join_neighbours(text: &str, mine: &mut [Hit], others: &[Hit]) {
    let mut spans: Vec<Span> = others
        .iter()
        .filter(|h| !h.support && !matches!(h.provider, Some((Provider::Http, ..))))
        .map(|h| h.span)
        .collect();
    crate::scan::sort_by_key(&mut spans, |s| (s.start, 0, 0));
    let no_blank = |a: usize, b: usize| {
        text.get(a.min(b)..b).is_some_and(|g| {
            g.matches('\n').count() <= 3 && !g.lines().skip(1).any(|l| l.trim().is_empty())
        })
    };
    for h in mine.iter_mut() {
        // The first provider hit starting after this one's start.
        let i = spans.partition_point(|s| s.start <= h.span.start);
        // Only a line that breaks off mid-message (`RequestID:`, `...,`) goes on.
        let last = text.get(..h.span.end).unwrap_or("").trim_end();
        if !last.ends_with([':', ',', '(']) {
            continue;
        }
        if let Some(next) = spans.get(i) {
            if next.start >= h.span.end && no_blank(h.span.end, next.start) {
                h.span.end = next.start + 1;
            }
        }
    }
}

/// The most this module walks to find the edges of a JSON object around a status.
const OBJECT_REACH: usize = 16_384;

/// The `{` of the innermost object holding `pos`, counting braces back (at
/// most [`OBJECT_REACH`] bytes). Braces inside strings are rare enough in
/// error bodies to be counted as they come.
fn object_start(text: &str, pos: usize) -> Option<usize> {
    let b = text.as_bytes();
    // The opening brace of an error body is near its status: a few KB and
    // forty lines at most.
    let floor = pos.saturating_sub(OBJECT_REACH / 4);
    let mut depth = 0usize;
    let mut lines = 0;
    let mut i = pos;
    while i > floor {
        i -= 1;
        match b.get(i) {
            Some(b'\n') => {
                lines += 1;
                if lines > 40 {
                    return None;
                }
            }
            Some(b'}') => depth += 1,
            Some(b'{') => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// The end of the line holding the `}` that closes the object opened at
/// `open`, skipping strings; the end of the text (or of the reach) when the
/// paste stops before it.
fn object_end(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let limit = (open + OBJECT_REACH).min(b.len());
    let mut depth = 0usize;
    let mut in_str = false;
    let mut i = open;
    while i < limit {
        let c = *b.get(i)?;
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' || c == b'\n' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(line_end(text, i));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    // A paste that stops inside the object: it runs as far as the lines that
    // still read as its members.
    let mut end = line_end(text, open);
    let mut n = 0;
    while let Some(l) = next_line(text, end) {
        n += 1;
        let e = line_end(text, l);
        if n > 60 || !super::github::json_like(text.get(l..e).unwrap_or("")) {
            break;
        }
        end = e;
    }
    Some(end)
}

/// An API's own error code in a JSON body, `{"error": "token_expired"}` (OAuth
/// 2.0, RFC 6749 section 5.2, uses the same member): the string value of an
/// `error` member between `from` and `to`, when it reads as a code (no spaces).
/// It is more specific than a `WWW-Authenticate` challenge's RFC 6750 code.
pub(super) fn body_error(text: &str, from: usize, to: usize, h: &mut Hit) {
    let Some(k) = find_in(text, "\"error\"", from, to) else {
        return;
    };
    let mut p = skip_blank(text, k + 7);
    if byte(text, p) != b':' {
        return;
    }
    p = skip_blank(text, p + 1);
    let Some(v) = crate::scan::quoted(text, p) else {
        return;
    };
    let code = slice(text, v);
    if !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':'))
    {
        h.error_code = Some((code.to_owned(), Some(v), P_CODE));
    }
}

/// RFC 6750 section 3.1: the error codes of a Bearer challenge, with the status
/// the section gives each and the gate it stands for. `insufficient_scope` is
/// a token that authenticated but does not carry the scope: an authorization
/// failure with nothing granted (implicit).
pub(super) const BEARER_ERRORS: [(&str, u16, Gate, Option<DenyKind>); 3] = [
    ("invalid_request", 400, Gate::Authentication, None),
    ("invalid_token", 401, Gate::Authentication, None),
    (
        "insufficient_scope",
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
];

/// `WWW-Authenticate: Bearer ..., error="invalid_token"` wherever it stands,
/// and httr2's rendering of the same challenge, `* OAuth error: insufficient_scope`.
/// The challenge belongs to the status printed just before it, so the finding
/// reaches back over up to three adjacent lines that show one.
fn bearer_errors(text: &str, hits: &mut Vec<Hit>) {
    // RFC 7235 lets an auth-param's value be a token as well as a quoted
    // string: `Bearer realm="...", error=insufficient_scope`. Unquoted, it is
    // read only inside a challenge (`Bearer` or `realm=` on the line).
    for anchor in ["error=\"", "OAuth error: ", "error="] {
        for pos in find_all(text, anchor) {
            if anchor.starts_with('e') && is_word(byte(text, pos.wrapping_sub(1))) {
                continue;
            }
            if anchor == "error=" {
                let line = slice(text, Span::new(line_start(text, pos), line_end(text, pos)));
                if byte(text, pos + anchor.len()) == b'"'
                    || !(line.contains("Bearer ") || line.contains("realm="))
                {
                    continue;
                }
            }
            let v = pos + anchor.len();
            let Some(&(code, status, gate, deny)) = BEARER_ERRORS
                .iter()
                .find(|(c, ..)| at(text, v, c) && !is_word(byte(text, v + c.len())))
            else {
                continue;
            };
            let code_span = Span::new(v, v + code.len());
            let ls = line_start(text, pos);
            let le = line_end(text, pos);
            let mut h = Hit::new(Span::new(ls, le), Provider::Http, P_GENERIC);
            h.error_code = Some((code.to_owned(), Some(code_span), P_GENERIC));
            h.http_status = Some(((status, false), Some(code_span), P_GENERIC));
            h.gate = Some((gate, Some(code_span), P_CODE));
            if let Some(d) = deny {
                h.deny = Some((d, Some(code_span), P_CODE));
            }
            if let Some(s) = find_in(text, "scope=\"", ls, le) {
                if let Some(q) = crate::scan::quoted(text, s + 6) {
                    h.fact("scope", text, q);
                }
            }
            // The issuer the challenge names tells whose token it was: Google
            // (`realm="https://accounts.google.com/"`, OAuth scopes under
            // `googleapis.com/auth/`) or Microsoft Entra ID
            // (`authorization_uri="https://login.microsoftonline.com/..."`).
            for (host, provider) in [
                ("accounts.google.com", Provider::Gcp),
                ("www.googleapis.com/auth/", Provider::Gcp),
                ("login.microsoftonline.com", Provider::Azure),
                ("login.windows.net", Provider::Azure),
            ] {
                if let Some(p) = find_in(text, host, ls, le) {
                    h.provider = Some((provider, Some(Span::new(p, p + host.len())), P_DETAIL));
                    break;
                }
            }
            let mut cur = ls;
            for _ in 0..3 {
                let Some(prev) = cur.checked_sub(1).map(|p| line_start(text, p)) else {
                    break;
                };
                let line = text.get(prev..cur).unwrap_or("");
                if line.trim().is_empty() {
                    break;
                }
                // `HTTP/1.1 401`, or a client's own line that prints the status
                // the challenge comes with (`fetch failed: 401 Unauthorized`).
                if line.contains("HTTP") || has_status_word(line, status) {
                    h.span.start = prev;
                    break;
                }
                cur = prev;
            }
            hits.push(h);
        }
    }
}

/// Whether `line` shows `status` as a number of its own (not inside a longer
/// number or word: `401` in `fetch failed: 401 Unauthorized`, not in `14015`).
fn has_status_word(line: &str, status: u16) -> bool {
    let digits = status.to_string();
    let b = line.as_bytes();
    line.match_indices(digits.as_str()).any(|(i, _)| {
        let before = i.checked_sub(1).and_then(|j| b.get(j)).copied();
        let after = b.get(i.saturating_add(digits.len())).copied();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

// --- Advice for what is not an access decision, and for proxies and scopes ---

/// Remedies keyed by status (and, for 403, by what the text showed): id,
/// stage, text. RFC 6585 (429, 511), RFC 7725 (451), RFC 9110 section 15.5.8
/// (407), RFC 6750 section 3.1 (`insufficient_scope`).
const ADVICE: [(u16, &str, &str, Stage, &str); 10] = [
    (429, "", "http.rate-limit", Stage::Diagnose,
     "429 Too Many Requests is a rate limit (RFC 6585, section 4), not an authentication or authorization failure: the credentials and permissions are fine. Changing them will not help."),
    (429, "", "http.rate-limit-fix", Stage::Fix,
     "Wait as long as the `Retry-After` header says (seconds or a date) before retrying, then back off exponentially, send fewer requests in parallel, and cache answers."),
    (451, "", "http.legal-block", Stage::Diagnose,
     "451 Unavailable For Legal Reasons (RFC 7725): the server, or a network between you and it, blocks this resource because of a legal demand. A `Link` header with `rel=\"blocked-by\"` may name who blocks it. Credentials and permissions do not change it."),
    (511, "", "http.captive-portal", Stage::Fix,
     "511 Network Authentication Required (RFC 6585, section 6) comes from the network, not from the server: a captive portal (hotel, airport, guest Wi-Fi) or a proxy wants you to sign in to it first. Open any web page in a browser on this network, complete its sign-in, then retry."),
    (425, "not-ready", "http.not-ready", Stage::Diagnose,
     "This service reuses 425 for 'not ready yet', not for RFC 8470's refusal of TLS early data: credentials, permissions and 0-RTT are not involved. Wait until the service reports it is ready (its readiness endpoint or the step its documentation requires first, such as an initialization call), then retry."),
    (407, "", "http.proxy-authentication", Stage::Fix,
     "407 Proxy Authentication Required comes from a proxy between you and the server, not from the server (RFC 9110, section 15.5.8): send credentials for the proxy, in the scheme its `Proxy-Authenticate` header names. Most tools read them from the proxy URL (`HTTPS_PROXY=http://user:password@proxy:port`) or their proxy settings; a proxy that wants Negotiate or NTLM needs a client that speaks it."),
    (403, "insufficient_scope", "http.insufficient-scope", Stage::Fix,
     "The token was accepted but does not carry the scope this resource requires (RFC 6750, section 3.1, `insufficient_scope`). The challenge's `scope` attribute names the scopes needed: request a new token with them; for a service account or app, the scope must also be allowed in its consent or client configuration."),
    (403, "cloudflare", "http.cloudflare-block", Stage::Diagnose,
     "Cloudflare blocked the request before it reached the site: a firewall or WAF rule of the site's owner matched it (IP address, country, user agent, bot score). Only the site's owner can change the rule; give them the Ray ID and the time, or, for your own site, look the Ray ID up in Security, Events."),
    (403, "cut-url", "http.quote-signed-url", Stage::Fix,
     "The shell cut the URL at its first `&` (Windows `cmd` then tried each signing parameter as a command), so the request went out without its signature. Put the whole URL in double quotes and run the command again; a signed URL that has expired meanwhile must be signed again."),
    (403, "cloudflare", "http.cloudflare-verify", Stage::Verify,
     "Retry from another network or with a browser's normal user agent to see whether the rule keys on them; automated clients are often what the rule targets."),
];

/// What selects the advice: the status, and a tag from the finding.
fn advice_key(f: &Finding) -> Option<(u16, &'static str)> {
    let status = f.http_status?;
    let tag = if f
        .facts
        .iter()
        .any(|x| x.key == "rayId" || (x.key == "server" && x.value.contains("cloudflare")))
    {
        "cloudflare"
    } else if f.facts.iter().any(|x| x.key == "shellCutUrl") {
        "cut-url"
    } else if f.error_code.as_deref() == Some("insufficient_scope") {
        "insufficient_scope"
    } else if status == 425 && f.gate == Gate::NotAuth {
        "not-ready"
    } else {
        ""
    };
    ADVICE
        .iter()
        .any(|a| a.0 == status && a.1 == tag)
        .then_some((status, tag))
}

/// Whether [`checklist`] has advice for `f`.
pub(crate) fn has_advice(f: &Finding) -> bool {
    advice_key(f).is_some()
}

/// The checklist items for the bare HTTP statuses this module knows remedies for.
pub(crate) fn checklist(f: &Finding, add: &mut dyn FnMut(&str, Stage, String)) {
    let Some((status, tag)) = advice_key(f) else {
        return;
    };
    for (s, t, id, stage, text) in ADVICE {
        if s == status && t == tag {
            add(id, stage, text.to_owned());
        }
    }
}

/// One sentence for the statuses that are not access decisions, a proxy's
/// 407 and a Cloudflare block; `None` for the others.
pub(crate) fn summary(f: &Finding) -> Option<String> {
    if f.provider != Provider::Http {
        return None;
    }
    let (status, tag) = advice_key(f)?;
    Some(match (status, tag) {
        (429, _) => "The server refused the request because the client sent too many (HTTP 429 Too Many Requests): a rate limit, not an access decision".to_owned(),
        (451, _) => "The resource is blocked for legal reasons (HTTP 451): not an access decision about the caller".to_owned(),
        (511, _) => "A network between the client and the server wants you to sign in to it first (HTTP 511, a captive portal): not the server's decision".to_owned(),
        (425, _) => "The server answered 425 to say it is not ready yet: this is neither TLS early-data replay protection nor an access decision".to_owned(),
        (407, _) => "A proxy between the client and the server wants credentials (HTTP 407 Proxy Authentication Required)".to_owned(),
        (_, "insufficient_scope") => "The server refused the request (HTTP 403): the access token is valid but lacks the scope this resource requires (`insufficient_scope`)".to_owned(),
        (_, "cut-url") => "The server refused the request (HTTP 403) because it arrived without its signature: the shell cut the signed URL at an `&`".to_owned(),
        (_, "cloudflare") => "Cloudflare blocked the request with a firewall rule of the site (HTTP 403) before it reached the site".to_owned(),
        _ => return None,
    })
}

/// Cloudflare's block page and its plain-text form: a rule of the site's
/// owner refused the request, explicitly.
const CLOUDFLARE: [&str; 6] = [
    "used Cloudflare to restrict access",
    "Sorry, you have been blocked",
    "Why have I been blocked?",
    "error code: 1020",
    // The newer block page's details, copied as text.
    "Error code: 1020",
    "Error 1020",
];

fn cloudflare(text: &str, hits: &mut Vec<Hit>) {
    for phrase in CLOUDFLARE {
        for pos in find_all(text, phrase) {
            let ls = line_start(text, pos);
            let le = line_end(text, pos);
            let s = Span::new(pos, pos + phrase.len());
            let mut h = Hit::new(Span::new(ls, le), Provider::Http, P_DETAIL);
            h.provider = Some((Provider::Http, Some(s), P_DETAIL));
            h.gate = Some((Gate::Authorization, Some(s), P_DETAIL));
            h.deny = Some((DenyKind::Explicit, Some(s), P_DETAIL));
            h.http_status = Some(((403, false), Some(s), P_GENERIC));
            h.fact_value("server", "cloudflare".to_owned(), s);
            // The Ray ID the page prints, within the next lines.
            let limit = (le + 4096).min(text.len());
            if let Some(r) = find_in(text, "Ray ID: ", pos, limit) {
                let mut v = skip_blank(text, r + 8);
                if at(text, v, "<strong>") {
                    v += "<strong>".len();
                }
                let mut e = v;
                while byte(text, e).is_ascii_alphanumeric() {
                    e += 1;
                }
                if e > v {
                    h.fact("rayId", text, Span::new(v, e));
                    h.span.end = h.span.end.max(line_end(text, e));
                }
            }
            hits.push(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // An access log line carries its status and path; Envoy's RBAC detail is
    // an explicit deny (https://github.com/istio/istio/issues/40944). Cargo's download
    // failure (https://github.com/rust-lang/crates.io/issues/1177). SSH refusing the key on
    // GitHub (https://github.com/kaist-cp/cs220/issues/35).
    #[test]
    fn access_logs_cargo_and_ssh() {
        let f = one("[2022-09-30T11:31:37.335Z] \"GET /headers HTTP/1.1\" 403 - rbac_access_denied_matched_policy[default-deny-all-due-to-bad-CUSTOM-action] - \"-\" 0 19 0 - \"-\" \"curl/7.85.0-DEV\" \"176ba93b-d2a5-9c58-97aa-cf4a7d70f30a\" \"httpbin.foo:8000\" \"-\" inbound|80|| - 192.168.24.67:80 192.168.54.235:57754 outbound_.8000_._.httpbin.foo.svc.cluster.local -");
        assert_eq!(
            (f.gate, f.http_status, f.deny),
            (Gate::Authorization, Some(403), Some(DenyKind::Explicit))
        );
        assert_eq!(f.resource.as_deref(), Some("/headers"));
        let f = one("Caused by:\n  failed to get 200 response from `https://d19xqa3lc3clo8.cloudfront.net/crates/glib-2-0-sys/glib-2-0-sys-0.0.1.crate`, got 403");
        assert_eq!((f.gate, f.http_status), (Gate::Authorization, Some(403)));
        assert_eq!(f.resource.as_deref(), Some("https://d19xqa3lc3clo8.cloudfront.net/crates/glib-2-0-sys/glib-2-0-sys-0.0.1.crate"));
        let f = one("Cloning into 'cs220'...\ngit@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.");
        assert_eq!(
            (f.provider, f.gate),
            (Provider::Github, Gate::Authentication)
        );
        // A client's own debug log names its request, not necessarily the
        // refused one (pinned field case azure-cli-004 holds the whole form).
        let (found, _) = super::super::find("urllib3.connectionpool: https://management.azure.com:443 \"PUT /subscriptions/1/resourcegroups/r?api-version=2024-11-01 HTTP/1.1\" 403 439\ncli.azure.cli.core.sdk.policies: Response status: 403");
        assert!(found.iter().all(|f| f.resource.is_none()), "{found:#?}");
    }

    // Apache httpd's 403 page pasted as rendered text (real:
    // https://github.com/24eme/signaturepdf/issues/138) and its older wording.
    #[test]
    fn apache_forbidden_page() {
        let f = one("Forbidden\nYou don't have permission to access this resource.\n\nApache/2.4.62 (Debian) Server at 172.16.101.7 Port 8084");
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Http, Gate::Authorization, Some(403))
        );
        let f = one("You don't have permission to access /admin/ on this server.");
        assert_eq!(f.resource.as_deref(), Some("/admin/"));
    }

    /// A status far into a long line of multi-byte characters: the finding
    /// starts on a character boundary (a fuzz input, U+FFFD from invalid bytes).
    #[test]
    fn a_long_line_of_wide_characters_keeps_spans_on_boundaries() {
        let t = format!(
            "curl: {}(22) The resuqeted URL returned error: 401\n",
            "\u{FFFD}".repeat(200)
        );
        let r = crate::explain(&t);
        assert!(!r.findings.is_empty());
        assert_on_boundaries(&t, &r.findings);
    }

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

    /// RFC 6750 section 3.1: "invalid_request ... The resource server SHOULD
    /// respond with the HTTP 400 (Bad Request) status code"; "invalid_token
    /// ... SHOULD respond with the HTTP 401 (Unauthorized) status code";
    /// "insufficient_scope: The request requires higher privileges than
    /// provided by the access token. The resource server SHOULD respond with
    /// the HTTP 403 (Forbidden) status code".
    #[test]
    fn bearer_error_codes_follow_rfc_6750() {
        for (code, status, gate) in [
            ("invalid_request", 400, Gate::Authentication),
            ("invalid_token", 401, Gate::Authentication),
            ("insufficient_scope", 403, Gate::Authorization),
        ] {
            let t = format!("WWW-Authenticate: Bearer realm=\"example\", error=\"{code}\"");
            let f = one(&t);
            assert_eq!(f.error_code.as_deref(), Some(code), "{t}");
            assert_eq!(f.http_status, Some(status), "{t}");
            assert_eq!(f.gate, gate, "{t}");
            assert_eq!(ev(&t, &f, "gate"), code);
        }
        // A token without the scope: nothing granted it.
        // A client's own status line (constructed from RFC 6750's challenge
        // format) joins the challenge printed below it: one finding, not two.
        let (found, _) = super::super::find("fetch failed: 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"example\", error=\"invalid_token\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].error_code.as_deref(), Some("invalid_token"));
        assert!(!super::has_status_word("job 14015 failed", 401));
        assert!(super::has_status_word("status=401.", 401));
        // An unquoted value (RFC 7235 allows a token), as published in the
        // field corpus's gcp-scope-004.
        let f = one("Bearer realm=\"https://accounts.google.com/\", error=insufficient_scope, scope=\"https://www.googleapis.com/auth/devstorage.full_control\"");
        assert_eq!(f.error_code.as_deref(), Some("insufficient_scope"));
        assert_eq!((f.gate, f.http_status), (Gate::Authorization, Some(403)));
        // Google's realm says whose token lacked the scope.
        assert_eq!(f.provider, Provider::Gcp);
        let f = one("HTTP/1.1 403 Forbidden\nWWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"repo\"\n");
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(fact(&f, "scope"), Some("repo"));
        // `error=` inside a longer word is not a challenge.
        assert!(super::super::find("myerror=\"invalid_token\"").0.is_empty());
    }

    /// RFC 9110 section 15.5.8: "The 407 (Proxy Authentication Required)
    /// status code is similar to 401 (Unauthorized), but it indicates that the
    /// client needs to authenticate itself in order to use a proxy". RFC 6585
    /// section 4 (429 Too Many Requests: "the user has sent too many requests
    /// in a given amount of time") and section 6 (511 Network Authentication
    /// Required: "the client needs to authenticate to gain network access"),
    /// RFC 7725 section 3 (451: "a legal demand to deny access"): none of the
    /// last three is the server's access decision about the caller.
    #[test]
    fn reason_phrases_alone_on_a_line() {
        for (t, status, gate) in [
            ("403 Forbidden", 403, Gate::Authorization),
            ("HTTP 401 Unauthorized", 401, Gate::Authentication),
            (
                "407 Proxy Authentication Required",
                407,
                Gate::Authentication,
            ),
            ("425 Too Early", 425, Gate::Replay),
            ("429 Too Many Requests", 429, Gate::NotAuth),
            ("451 Unavailable For Legal Reasons", 451, Gate::NotAuth),
            ("511 Network Authentication Required", 511, Gate::NotAuth),
        ] {
            let f = one(t);
            assert_eq!(
                (f.provider, f.http_status, f.gate),
                (Provider::Http, Some(status), gate),
                "{t}"
            );
            assert_eq!(f.confidence, Confidence::Likely, "{t}");
            assert_eq!(
                ev(t, &f, "httpStatus"),
                &t[t.len() - t.trim_start_matches(|c: char| !c.is_ascii_digit()).len()..][..3]
            );
        }
    }

    #[test]
    fn statuses_in_wrappers() {
        for (t, conf) in [
            ("upload failed: StatusCode: 403", Confidence::Likely),
            ("{\"code\": 403}", Confidence::Possible),
            ("the server returned 403 for this call", Confidence::Likely),
            ("Forbidden (403)", Confidence::Possible),
            (
                "AxiosError: Request failed with status code 403",
                Confidence::Likely,
            ),
            (
                "HTTPError: Response code 403 (Forbidden)",
                Confidence::Likely,
            ),
        ] {
            let f = one(t);
            assert_eq!(f.http_status, Some(403), "{t}");
            assert_eq!(f.gate, Gate::Authorization, "{t}");
            assert_eq!(f.confidence, conf, "{t}");
        }
        // Numbers that are not statuses: a port, a path, a version, a count.
        for t in [
            "listening on :4030",
            "GET /issues/403 200",
            "version 1.403.2",
            "processed 403 records",
            "10.0.0.1 - - \"GET /x HTTP/1.1\" 403 12",
        ] {
            assert!(super::super::find(t).0.is_empty(), "{t}");
        }
    }

    /// RFC 8470 section 5.2: 425 "indicates that the server is unwilling to
    /// risk processing a request that might be replayed". A service that
    /// reuses 425 for "not ready" says so, and that is neither replay nor an
    /// access decision.
    #[test]
    fn too_early_reused_for_not_ready() {
        let t = "premature calls return **425** `{ \"error\":\"mcp_not_ready\" }`";
        let f = one(t);
        assert_eq!(f.http_status, Some(425));
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.error_code.as_deref(), Some("mcp_not_ready"));
        assert_eq!(ev(t, &f, "gate"), "not_ready");
        let r = crate::explain(t);
        assert!(r.findings[0]
            .checklist
            .iter()
            .any(|c| c.id == "http.not-ready"));
        assert!(
            r.findings[0].summary.contains("not ready yet"),
            "{}",
            r.findings[0].summary
        );
        assert!(!r.findings[0]
            .checklist
            .iter()
            .any(|c| c.id == "http.too-early"));
    }

    #[test]
    fn a_status_inside_a_provider_body_joins_it() {
        // google.rpc.Status as Google APIs return it: one finding, the
        // provider's, however the status is written.
        let t = "{\n  \"error\": {\n    \"code\": 403,\n    \"message\": \"Permission 'a.b.c' denied on resource 'projects/p' (or it may not exist).\",\n    \"status\": \"PERMISSION_DENIED\"\n  }\n}";
        let f = one(t);
        assert_eq!(f.provider, Provider::Gcp);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.confidence, Confidence::Certain);
    }

    #[test]
    fn request_line_above_a_response_names_the_resource() {
        let t = "GET /api/protected HTTP/1.1\nHost: api.example.com\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"\nContent-Type: application/json\n{\"error\": \"token_expired\"}";
        let f = one(t);
        assert_eq!(f.resource.as_deref(), Some("/api/protected"));
        // The body's own code is more specific than the challenge's.
        assert_eq!(f.error_code.as_deref(), Some("token_expired"));
        assert_eq!(f.gate, Gate::Authentication);
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
