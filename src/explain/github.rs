//! GitHub: the REST and GraphQL APIs' messages, `git` over HTTPS refusals, and
//! the exceptions of the client libraries that carry them (Octokit for
//! JavaScript and Ruby, PyGithub, go-github's one-line form).
//!
//! What GitHub says is data: [`MESSAGES`] maps each message to its kind, and
//! [`KINDS`] gives each kind its status, gate, deny kind and remedy.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{Confidence, DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{
    at, byte, find_all, find_in, is_word, line_end, line_start, next_line, quoted, skip_blank,
    slice, status_at, token, trim_trailing, value,
};

/// What a GitHub message means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A GitHub App installation token or a workflow's `GITHUB_TOKEN` lacks the permission.
    Integration,
    /// A fine-grained personal access token lacks the repository or the permission.
    FineGrained,
    /// The token lacks an OAuth scope (classic tokens, GraphQL).
    Scopes,
    /// The organization enforces SAML single sign-on and the token is not authorized for it.
    Saml,
    /// The organization restricts OAuth apps and has not approved this one.
    OauthApp,
    /// The endpoint needs the admin role on the repository.
    Admin,
    /// `git push` refused: the account has no write access.
    PushDenied,
    /// The token, or the password, was not accepted.
    BadCredentials,
    /// No credentials were sent.
    NoCredentials,
    /// The rate limit, not an access decision.
    RateLimit,
    /// 404, which GitHub also answers for private resources the caller may not see.
    NotFound,
    /// A bare 403 from GitHub.
    Forbidden,
    /// The organization's IP allow list does not include the caller's address:
    /// the credentials are fine, the network location is not.
    IpAllowList,
    /// The organization refuses fine-grained tokens whose lifetime is longer
    /// than its policy allows.
    TokenLifetime,
    /// The endpoint needs write ('push') access to the repository (the
    /// traffic API, for example).
    WriteRole,
    /// `git push` refused by a branch protection rule or a ruleset (`GH006`,
    /// `GH013`): the account may write, but not this way to this branch.
    ProtectedBranch,
}

/// GitHub's messages, each with its kind and whether it names GitHub on its
/// own (`false`: the text must also show a GitHub host or library nearby).
/// Sources: GitHub REST API 'Troubleshooting the REST API', 'Rate limits for
/// the REST API', 'Authorizing a personal access token for use with SAML single
/// sign-on', 'About OAuth app access restrictions', and the `git` remote
/// messages quoted in 'Troubleshooting cloning errors'.
pub(crate) const MESSAGES: [(&str, Kind, bool); 24] = [
    // 'Managing allowed IP addresses for your organization': a request from
    // an address outside the list is refused, credentials or not.
    (
        "organization has an IP allow list enabled",
        Kind::IpAllowList,
        true,
    ),
    // 'Setting a personal access token policy for your organization': a
    // maximum lifetime for fine-grained tokens. The words wrap in logs, so
    // the phrase stops before `access tokens`.
    (
        "forbids access via a fine-grained personal",
        Kind::TokenLifetime,
        true,
    ),
    ("Must have push access to repository", Kind::WriteRole, true),
    // GitHub Docs, 'About protected branches' and 'About rulesets': the
    // pre-receive hook's codes, printed as `remote: error: GH006: ...`.
    (
        "GH006: Protected branch update failed",
        Kind::ProtectedBranch,
        true,
    ),
    (
        "GH013: Repository rule violations found",
        Kind::ProtectedBranch,
        true,
    ),
    (
        "Resource not accessible by integration",
        Kind::Integration,
        true,
    ),
    (
        "Resource not accessible by personal access token",
        Kind::FineGrained,
        true,
    ),
    (
        "Your token has not been granted the required scopes",
        Kind::Scopes,
        true,
    ),
    (
        "Resource protected by organization SAML enforcement",
        Kind::Saml,
        true,
    ),
    (
        "has enabled OAuth App access restrictions",
        Kind::OauthApp,
        true,
    ),
    ("Must have admin rights to Repository", Kind::Admin, true),
    (
        "Write access to repository not granted",
        Kind::PushDenied,
        true,
    ),
    ("without `workflows` permission", Kind::Integration, true),
    ("without `workflow` scope", Kind::Scopes, true),
    (
        "Support for password authentication was removed",
        Kind::BadCredentials,
        true,
    ),
    (
        "Password authentication is not supported for Git operations",
        Kind::BadCredentials,
        true,
    ),
    ("API rate limit exceeded", Kind::RateLimit, false),
    (
        "You have exceeded a secondary rate limit",
        Kind::RateLimit,
        true,
    ),
    ("Bad credentials", Kind::BadCredentials, false),
    ("Requires authentication", Kind::NoCredentials, false),
    ("Not Found", Kind::NotFound, false),
    ("Octokit::NotFound", Kind::NotFound, true),
    ("Octokit::Forbidden", Kind::Forbidden, true),
    ("Octokit::Unauthorized", Kind::BadCredentials, true),
];

/// PyGithub's exception classes (`github.GithubException.<Class>`) and the kind
/// each is raised for (PyGithub, `github/GithubException.py`).
const PYGITHUB: [(&str, Kind); 4] = [
    ("BadCredentialsException", Kind::BadCredentials),
    ("TwoFactorException", Kind::BadCredentials),
    ("RateLimitExceededException", Kind::RateLimit),
    ("UnknownObjectException", Kind::NotFound),
];

/// Each kind's status, gate and deny kind. GitHub answers 401 for bad or
/// missing credentials, 403 for a permission, SSO or rate-limit refusal, and
/// 404 instead of 403 for private resources ('Troubleshooting the REST API').
const KINDS: [(Kind, u16, Gate, Option<DenyKind>); 16] = [
    // Both are rules the organization set, refusing whatever the token's
    // permissions allow: explicit.
    (
        Kind::IpAllowList,
        403,
        Gate::Authorization,
        Some(DenyKind::Explicit),
    ),
    (
        Kind::TokenLifetime,
        403,
        Gate::Authorization,
        Some(DenyKind::Explicit),
    ),
    (
        Kind::WriteRole,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    // A push over SSH has no status; over HTTPS the hook's refusal is not
    // an HTTP error either. The status is dropped where the hit is made.
    (
        Kind::ProtectedBranch,
        403,
        Gate::Authorization,
        Some(DenyKind::Explicit),
    ),
    (
        Kind::Integration,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    (
        Kind::FineGrained,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    (
        Kind::Scopes,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    (Kind::Saml, 403, Gate::Authorization, None),
    (Kind::OauthApp, 403, Gate::Authorization, None),
    (
        Kind::Admin,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    (
        Kind::PushDenied,
        403,
        Gate::Authorization,
        Some(DenyKind::Implicit),
    ),
    (Kind::BadCredentials, 401, Gate::Authentication, None),
    (Kind::NoCredentials, 401, Gate::Authentication, None),
    (Kind::RateLimit, 403, Gate::NotAuth, None),
    (Kind::NotFound, 404, Gate::Authorization, None),
    (Kind::Forbidden, 403, Gate::Authorization, None),
];

/// What shows that a text comes from GitHub when the message alone does not.
const TELLS: [&str; 8] = [
    "api.github.com",
    "docs.github.com",
    "developer.github.com",
    "github.com/",
    "GithubException",
    "Octokit",
    "x-github-request-id",
    "X-GitHub-Request-Id",
];

/// Hosts whose URLs are GitHub's documentation, never the resource.
const DOC_HOSTS: [&str; 2] = ["docs.github.com", "developer.github.com"];

fn kind_info(kind: Kind) -> (u16, Gate, Option<DenyKind>) {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map_or((403, Gate::Authorization, None), |k| (k.1, k.2, k.3))
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    let mut mine = Vec::new();
    messages(text, &mut mine);
    push_denied(text, &mut mine);
    pygithub(text, &mut mine);
    octokit_js(text, &mut mine);
    // A message repeated a few lines on (an exception's text, then the
    // response body that carries it) is one refusal.
    crate::scan::sort_by_key(&mut mine, |h| (h.span.start, 0, 0));
    let mut i = 1;
    while i < mine.len() {
        let msg = |h: &Hit| {
            h.facts
                .iter()
                .find(|f| f.key == "githubMessage")
                .map(|f| f.value.clone())
        };
        let (prev_end, next, graphql, same) = match (mine.get(i - 1), mine.get(i)) {
            (Some(a), Some(b)) => (
                a.span.end,
                b.span,
                b.http_status.is_none() && b.error_code.is_some(),
                msg(a).is_some() && msg(a) == msg(b),
            ),
            _ => break,
        };
        let gap = text.get(prev_end.min(next.start)..next.start).unwrap_or("");
        if same
            && next.start >= prev_end
            && gap.len() < 2048
            && !gap.contains("\n\n")
            && !gap.contains("\n\r\n")
            && gap.matches('\n').count() <= 8
        {
            if let Some(a) = mine.get_mut(i - 1) {
                a.span.end = next.end;
                if graphql && !a.http_status.as_ref().is_some_and(|s| s.0 .1) {
                    a.http_status = None;
                }
            }
        }
        i += 1;
    }
    hits.extend(mine);
}

/// The end of the line `n` lines below the one ending at `le`.
fn lines_down(text: &str, le: usize, n: usize) -> usize {
    let mut cur = le;
    for _ in 0..n {
        match next_line(text, cur) {
            Some(l) => cur = line_end(text, l),
            None => break,
        }
    }
    cur
}

/// Whether a line continues a JSON object or a printed error object: it opens
/// or closes one, or is a member.
pub(super) fn json_like(line: &str) -> bool {
    let t = line.trim();
    t.starts_with(['{', '}', '[', ']', '"'])
        || t.ends_with('{')
        || t.ends_with('[')
        || (t.contains(": ") && t.bytes().next().is_some_and(|b| b.is_ascii_lowercase()))
}

/// The lines a message at `pos` belongs to: its own line, the JSON object
/// around it (up to 8 lines above and 40 below), and one line above that
/// shows the status (`Unexpected HTTP response 401`).
fn extent(text: &str, pos: usize) -> Span {
    let ls = line_start(text, pos);
    let le = line_end(text, pos);
    let mut start = ls;
    let this = text.get(ls..le).unwrap_or("");
    if json_like(this) && !this.contains('{') {
        for _ in 0..8 {
            if start > 0 && byte(text, start - 1) != b'\n' {
                break;
            }
            let Some(prev) = start.checked_sub(1).map(|p| line_start(text, p)) else {
                break;
            };
            let line = text.get(prev..start).unwrap_or("");
            if !json_like(line) {
                break;
            }
            start = prev;
            if line.trim_start().starts_with('{') {
                break;
            }
        }
    }
    if let Some(prev) = start.checked_sub(1).map(|p| line_start(text, p)) {
        let line = text.get(prev..start).unwrap_or("");
        if status_before(text, prev, prev + line.len()).is_some() && !line.contains("\n\n") {
            start = prev;
        }
    }
    let mut end = le;
    let mut n = 0;
    while let Some(l) = next_line(text, end) {
        n += 1;
        let e = line_end(text, l);
        let line = text.get(l..e).unwrap_or("");
        if n > 40 || line.trim().is_empty() || !json_like(line) {
            break;
        }
        end = e;
    }
    Span::new(start, end)
}

/// The status nearest before `to` on the stretch from `from`: a 4xx number
/// standing as a word, not inside a path or a query (`: 403 Resource ...`,
/// `HTTP 403: ...`, `do not retry: 403 {"message": ...`).
pub(super) fn status_before(text: &str, from: usize, to: usize) -> Option<(u16, Span)> {
    let b = text.as_bytes();
    let from = from.max(to.saturating_sub(128));
    let mut i = to;
    while i > from + 2 {
        i -= 1;
        let s = i - 2;
        if b.get(s..=i)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && byte(text, s) == b'4'
            && !is_word(byte(text, i + 1))
            && !matches!(byte(text, i + 1), b'/' | b'.')
            && (s == 0 || !matches!(byte(text, s - 1), b'/' | b'=' | b'.' | b'-' | b'&' | b'#'))
            && !is_word(byte(text, s.wrapping_sub(1)))
        {
            return status_at(text, s).map(|st| (st, Span::new(s, s + 3)));
        }
    }
    None
}

/// A `"status"` member (`"status": "403"`, `"status": 403`, `status: 403`)
/// between `from` and `to`, when it holds a client error.
fn status_member(text: &str, from: usize, to: usize) -> Option<(u16, Span)> {
    for key in ["\"status\":", "status:"] {
        let mut at_ = from;
        while let Some(k) = find_in(text, key, at_, to) {
            at_ = k + key.len();
            let mut v = skip_blank(text, k + key.len());
            if matches!(byte(text, v), b'"' | b'\'') {
                v += 1;
            }
            if let Some(st) = status_at(text, v) {
                if (400..500).contains(&st) {
                    return Some((st, Span::new(v, v + 3)));
                }
            }
        }
    }
    None
}

/// The `path` of the GraphQL error object whose message is at `pos`
/// (`{"type":"FORBIDDEN","path":["viewer","projectsV2","nodes",0],...,
/// "message":"..."}`), or of the first error of an `"errors":[` array that
/// follows a summary of the message on its line (Octokit's
/// `GraphqlResponseError`), written with dots: `viewer.projectsV2.nodes.0`.
/// Looks at most 600 bytes back and 8 KiB ahead on the message's line.
fn graphql_path(text: &str, ls: usize, pos: usize, le: usize) -> Option<(String, Span)> {
    const PATH: &str = "\"path\":[";
    let from = crate::scan::floor_boundary(text, ls.max(pos.saturating_sub(600)));
    let window = text.get(from..pos)?;
    let open = match window.rfind(PATH) {
        // Not the path of an earlier error object.
        Some(k) if !window.get(k..)?.contains("},{") => from + k + PATH.len(),
        _ => {
            let to = le.min(crate::scan::floor_boundary(text, pos + 8192));
            let e = find_in(text, "\"errors\":[", pos, to)?;
            find_in(text, PATH, e, to)? + PATH.len()
        }
    };
    let close = find_in(text, "]", open, le)?;
    let parts: Vec<&str> = text
        .get(open..close)?
        .split(',')
        .map(|p| p.trim().trim_matches('"'))
        .collect();
    if parts.iter().any(|p| p.is_empty()) || close - open > 512 {
        return None;
    }
    Some((parts.join("."), Span::new(open, close)))
}

/// The `"url":"https://..."` member between `from` and `to`, when it is not
/// a documentation link.
fn request_url(text: &str, from: usize, to: usize) -> Option<Span> {
    const URL: &str = "\"url\":\"";
    let v = find_in(text, URL, from, to)? + URL.len();
    let q = quoted(text, v - 1)?;
    let url = slice(text, q);
    (url.starts_with("http") && !DOC_HOSTS.iter().any(|d| url.contains(d))).then_some(q)
}

/// The first URL between `from` and `to` that is not a documentation link,
/// without the punctuation that ends it in prose (`<url>: 403`, `(<url>)`).
fn resource_url(text: &str, from: usize, to: usize) -> Option<Span> {
    let mut p = from;
    while let Some(u) = find_in(text, "http", p, to) {
        p = u + 4;
        // A Markdown link's target (`[app](https://logs...)`) is where the
        // paste was copied from, not what was refused.
        if !(at(text, u, "https://") || at(text, u, "http://"))
            || is_word(byte(text, u.wrapping_sub(1)))
            || at(text, u.wrapping_sub(2), "](")
        {
            continue;
        }
        let t = trim_trailing(text, token(text, u), b".,;:)'\"]");
        let url = slice(text, t);
        // A settings page (`/settings/tokens`, `/settings/personal-access-tokens/N`)
        // is where to fix the token, not what was refused.
        if DOC_HOSTS.iter().any(|d| url.contains(d)) || url.contains("github.com/settings/") {
            continue;
        }
        return Some(t);
    }
    None
}

/// The nearest REST API URL on the lines from `from` up to the line that
/// starts at `ls`, nearest first: the request a tool logged before the
/// response (`GET https://api.github.com/...`, `unable to download '<url>'`,
/// `403 Forbidden on <url>`).
fn api_url_above(text: &str, from: usize, ls: usize) -> Option<Span> {
    let mut cur = ls;
    while cur > from {
        let prev = line_start(text, cur - 1);
        if let Some(u) = resource_url(text, prev, cur - 1) {
            if slice(text, u).contains("api.github.com/") {
                return Some(u);
            }
        }
        cur = prev;
    }
    None
}

fn new_hit(text: &str, pos: usize, len: usize, kind: Kind, phrase_prio: u8) -> Hit {
    let span = extent(text, pos);
    let phrase = Span::new(pos, pos + len);
    let (status, gate, deny) = kind_info(kind);
    let mut h = Hit::new(span, Provider::Github, phrase_prio);
    h.provider = Some((Provider::Github, Some(phrase), phrase_prio));
    h.gate = Some((gate, Some(phrase), phrase_prio));
    if let Some(d) = deny {
        h.deny = Some((d, Some(phrase), phrase_prio));
    }
    h.http_status = Some(((status, false), Some(phrase), phrase_prio));
    // SAML enforcement asks for the token's SSO authorization; no allow or
    // deny policy decided it (GitHub Docs, 'Authorizing a personal access
    // token for use with SAML single sign-on').
    h.no_deny_kind = kind == Kind::Saml;
    if kind == Kind::NotFound {
        // GitHub answers 404 for a wrong URL too: the refusal is only possible.
        h.confidence = Some(Confidence::Possible);
        h.fact_value("mayConceal", "403".to_owned(), phrase);
    }
    // The status the text carries: on the message's line before it, or a
    // `status` member of the object around it.
    let ls = line_start(text, pos);
    let carried = status_before(text, ls, pos)
        .or_else(|| status_member(text, span.start, span.end))
        .or_else(|| status_before(text, span.start, ls));
    if let Some((st, s)) = carried {
        h.status(st, s);
    }
    let le = line_end(text, pos);
    // A GraphQL error names the field it refused by its `path`; URLs in the
    // partial `data` beside it are content, not the resource.
    if let Some((path, s)) = graphql_path(text, ls, pos, le) {
        h.resource = Some((path, Some(s), P_DETAIL));
    } else if let Some(u) = request_url(text, ls, le) {
        // A serialised Octokit error names its request's `"url"`; other URLs
        // on the line are the request's body.
        Hit::set_str(&mut h.resource, text, u, P_GENERIC);
    } else if let Some(u) = resource_url(text, ls, le) {
        Hit::set_str(&mut h.resource, text, u, P_GENERIC);
    } else {
        // `curl ... https://api.github.com/user` or `HTTP Status 403 for
        // request POST https://api.github.com/...` a few lines above the body.
        let up = crate::scan::lines_up(text, span.start, 8);
        let lead = find_in(text, "curl ", up, span.start)
            .or_else(|| find_in(text, " for request ", up, span.start));
        if let Some(c) = lead {
            if let Some(u) = resource_url(text, c, line_end(text, c)) {
                Hit::set_str(&mut h.resource, text, u, P_GENERIC);
            }
        } else if let Some(u) = api_url_above(text, up, ls) {
            // `GET <url>` or the URL a tool logged before the response.
            Hit::set_str(&mut h.resource, text, u, P_GENERIC);
        }
    }
    if let Some(d) = find_in(text, "documentation_url", span.start, span.end) {
        if let Some(v) = find_in(text, "http", d, line_end(text, d)) {
            let t = trim_trailing(text, token(text, v), b".,;)'\"");
            h.fact("documentationUrl", text, t);
        }
    }
    // GraphQL reports the refusal as an error `type` (the response is 200).
    if let Some(t) = find_in(text, "\"type\": \"", span.start, span.end)
        .map(|t| t + 9)
        .or_else(|| find_in(text, "\"type\":\"", span.start, span.end).map(|t| t + 8))
    {
        let mut e = t;
        while byte(text, e).is_ascii_uppercase() || byte(text, e) == b'_' {
            e += 1;
        }
        if e > t && byte(text, e) == b'"' {
            h.error_code = Some((
                slice(text, Span::new(t, e)).to_owned(),
                Some(Span::new(t, e)),
                P_CODE,
            ));
            // GraphQL answers its errors with 200 ('Forming calls with
            // GraphQL'): no refusal status is implied.
            if !h.http_status.as_ref().is_some_and(|s| s.0 .1) {
                h.http_status = None;
            }
        }
    }
    // Other marks of a GraphQL response: its scope message ("to execute this
    // query"), Octokit's `GraphqlResponseError`, and an error object as the
    // browser's devtools show it (`type: "FORBIDDEN", path: [...]`). Its
    // answer is 200 too.
    let around = slice(
        text,
        Span::new(
            crate::scan::floor_boundary(text, ls.saturating_sub(400)),
            crate::scan::ceil_boundary(text, le.min(text.len())),
        ),
    );
    // The GitHub CLI prints a GraphQL error as `GraphQL: <message> (<path>)`;
    // bots log `responded to GraphQL request with errors: <message>`.
    if [
        "execute this query",
        "GraphqlResponseError",
        "type: \"FORBIDDEN\"",
        "GraphQL: ",
        "GraphQL request",
    ]
    .iter()
    .any(|m| around.contains(m))
        && !h.http_status.as_ref().is_some_and(|s| s.0 .1)
    {
        h.http_status = None;
    }
    if let Some(r) = find_in(
        text,
        "X-RateLimit-Remaining: 0",
        span.start.saturating_sub(1024),
        span.end,
    ) {
        h.fact("rateLimitRemaining", text, Span::new(r + 23, r + 24));
    }
    h.fact("githubMessage", text, phrase);
    h
}

/// GitHub's messages from [`MESSAGES`], wherever they stand.
fn messages(text: &str, out: &mut Vec<Hit>) {
    // Every tell once, so that each message looks its tells up by binary
    // search: many messages on one line cost linear time.
    let mut tells: Vec<usize> = TELLS.iter().flat_map(|t| find_all(text, t)).collect();
    crate::scan::sort_by_key(&mut tells, |&p| (p, 0, 0));
    for (phrase, kind, alone) in MESSAGES {
        let mut covered = 0;
        for pos in find_all(text, phrase) {
            if pos < covered {
                // Inside the lines of the previous one: the same refusal.
                continue;
            }
            let ls = line_start(text, pos);
            let le = line_end(text, pos);
            let window = Span::new(crate::scan::lines_up(text, ls, 3), lines_down(text, le, 3));
            let i = tells.partition_point(|&p| p < window.start);
            let github = tells.get(i).filter(|&&p| p < window.end);
            if !alone && github.is_none() {
                // Without a GitHub tell, `Bad credentials` is a generic
                // authentication refusal (Spring Security, JFrog Artifactory
                // use the same words); other phrases are not denials alone.
                if kind == Kind::BadCredentials
                    && text
                        .get(ls..le)
                        .is_some_and(|l| l.contains("\"message\"") || l.contains("message:"))
                {
                    let mut h = Hit::new(Span::new(ls, le), Provider::Http, P_GENERIC);
                    let p = Span::new(pos, pos + phrase.len());
                    h.gate = Some((Gate::Authentication, Some(p), P_GENERIC));
                    h.confidence = Some(Confidence::Likely);
                    out.push(h);
                }
                continue;
            }
            if kind == Kind::NotFound
                && !(byte(text, pos.wrapping_sub(1)) == b'"'
                    || at(text, pos.wrapping_sub(2), "- ")
                    || at(text, pos.wrapping_sub(4), "404 "))
                && !phrase.starts_with("Octokit")
            {
                // `Not Found` as GitHub's message or status text, not in prose.
                continue;
            }
            let prio = if alone { P_DETAIL } else { P_CODE };
            let mut h = new_hit(text, pos, phrase.len(), kind, prio);
            covered = h.span.end;
            // `refusing to allow a GitHub App to create or update workflow
            // `.github/workflows/x.yml` without `workflows` permission`: the
            // workflow file is what was refused. A `git push` says so in its
            // `[remote rejected]` line and the API in its message; neither
            // prints a status, so none is implied.
            if phrase.starts_with("without `workflow") {
                if let Some(w) = find_in(text, "workflow `", ls, pos) {
                    let ws = w + "workflow `".len();
                    if let Some(we) = find_in(text, "`", ws, pos) {
                        h.resource = Some((
                            slice(text, Span::new(ws, we)).to_owned(),
                            Some(Span::new(ws, we)),
                            P_DETAIL,
                        ));
                    }
                }
                if !h.http_status.as_ref().is_some_and(|s| s.0 .1) {
                    h.http_status = None;
                }
            }
            // `GH006: Protected branch update failed for refs/heads/main.`:
            // the ref is what was refused, by a rule, not for want of access.
            if kind == Kind::ProtectedBranch {
                let code = Span::new(pos, pos + 5);
                h.error_code = Some((slice(text, code).to_owned(), Some(code), P_DETAIL));
                if let Some(f) = find_in(text, " for ", pos, le) {
                    let r = trim_trailing(text, token(text, f + 5), b".");
                    if r.end > r.start {
                        h.resource = Some((slice(text, r).to_owned(), Some(r), P_DETAIL));
                    }
                }
                h.action = Some(("push".to_owned(), None, P_DETAIL));
                if !h.http_status.as_ref().is_some_and(|s| s.0 .1) {
                    h.http_status = None;
                }
            }
            if phrase.starts_with("Octokit::") {
                let c = Span::new(pos, pos + phrase.len());
                h.error_code = Some((phrase.to_owned(), Some(c), P_DETAIL));
                // The class name alone on its line (as error trackers show
                // it): its message `POST <url>: 403 - ...` is the next line.
                if h.resource.is_none() {
                    if let Some(n) = next_line(text, le) {
                        let ne = line_end(text, n);
                        if let Some(u) = resource_url(text, n, ne) {
                            Hit::set_str(&mut h.resource, text, u, P_GENERIC);
                            h.span.end = h.span.end.max(ne);
                        }
                    }
                }
            }
            out.push(h);
        }
    }
}

/// `remote: Permission to <owner>/<repo>.git denied to <user>.`, which `git`
/// prints before `fatal: unable to access '<url>': The requested URL returned
/// error: 403` when the account cannot push.
fn push_denied(text: &str, out: &mut Vec<Hit>) {
    const P: &str = "Permission to ";
    for pos in find_all(text, P) {
        let r = pos + P.len();
        let le = line_end(text, pos);
        // `denied to <user>.`, or `denied.` when git sent no user name.
        let (d, named) = match find_in(text, " denied to ", r, le) {
            Some(d) => (d, true),
            None => match find_in(text, " denied.", r, le) {
                Some(d) if at(text, pos.wrapping_sub(8), "remote: ") => (d, false),
                _ => continue,
            },
        };
        let repo = Span::new(r, d);
        if slice(text, repo).contains(' ') || repo.start == repo.end {
            continue;
        }
        let len = if named { d + 10 - pos } else { d + 7 - pos };
        let mut h = new_hit(text, pos, len, Kind::PushDenied, P_DETAIL);
        Hit::set_str(&mut h.resource, text, repo, P_DETAIL);
        if named {
            let u = trim_trailing(text, token(text, d + 11), b".");
            Hit::set_str(&mut h.principal, text, u, P_DETAIL);
        }
        // The `fatal:` line that follows belongs to the same refusal. Over
        // SSH (`ERROR: Permission to ...`, then `fatal: Could not read from
        // remote repository.`) there is no HTTP status.
        if let Some(n) = next_line(text, le) {
            let ne = line_end(text, n);
            if find_in(text, "fatal:", n, ne).is_some() {
                h.span.end = h.span.end.max(ne);
                if find_in(text, "Could not read from remote repository", n, ne).is_some()
                    && !h.http_status.as_ref().is_some_and(|s| s.0 .1)
                {
                    h.http_status = None;
                }
            }
        }
        out.push(h);
    }
    // `fatal: unable to access 'https://github.com/...': The requested URL
    // returned error: 403` alone: the curl one-liner reads the status; the
    // GitHub URL names the provider and the resource.
    const F: &str = "fatal: unable to access ";
    for pos in find_all(text, F) {
        let Some(q) = quoted(text, pos + F.len()) else {
            continue;
        };
        if !slice(text, q).contains("github.com") {
            continue;
        }
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(pos, le), Provider::Github, P_CODE);
        h.provider = Some((Provider::Github, Some(q), P_CODE));
        Hit::set_str(&mut h.resource, text, q, P_GENERIC);
        out.push(h);
    }
    // Older git (before 1.7.10): `error: The requested URL returned error:
    // 403 while accessing https://github.com/<owner>/<repo>.git/info/refs`.
    const W: &str = " while accessing ";
    for pos in find_all(text, W) {
        let u = trim_trailing(text, token(text, pos + W.len()), b".,");
        let ls = line_start(text, pos);
        if !slice(text, u).contains("github.com")
            || find_in(text, "The requested URL returned error", ls, pos).is_none()
        {
            continue;
        }
        let mut h = Hit::new(Span::new(ls, u.end), Provider::Github, P_CODE);
        h.provider = Some((Provider::Github, Some(u), P_CODE));
        Hit::set_str(&mut h.resource, text, u, P_GENERIC);
        out.push(h);
    }
}

/// PyGithub: `github.GithubException.RateLimitExceededException: 403 {...}`,
/// `github.GithubException.GithubException: 403 {...}`.
fn pygithub(text: &str, out: &mut Vec<Hit>) {
    const G: &str = "GithubException.";
    let mut covered = 0;
    for pos in find_all(text, G) {
        if pos < covered {
            continue;
        }
        let c = pos + G.len();
        let mut e = c;
        while is_word(byte(text, e)) {
            e += 1;
        }
        let class = Span::new(c, e);
        let name = slice(text, class);
        let kind = PYGITHUB.iter().find(|(n, _)| *n == name).map(|k| k.1);
        let s = skip_blank(text, e + 1);
        let status = if byte(text, e) == b':' {
            status_at(text, s)
        } else {
            None
        };
        let kind = match (kind, status) {
            (Some(k), _) => k,
            (None, Some(401)) => Kind::BadCredentials,
            (None, Some(403)) => Kind::Forbidden,
            (None, Some(404)) => Kind::NotFound,
            _ => continue,
        };
        let mut h = new_hit(text, c, name.len(), kind, P_CODE);
        h.error_code = Some((name.to_owned(), Some(class), P_DETAIL));
        h.span.start = h.span.start.min(line_start(text, pos));
        if let Some(st) = status {
            h.status(st, Span::new(s, s + 3));
        }
        covered = h.span.end;
        out.push(h);
    }
}

/// Octokit for JavaScript: `HttpError: <message>` followed by the error object
/// Node prints, with `status: 403,` and the response's `url: '...'` (GitHub REST
/// API, 'Troubleshooting the REST API'). The provider is GitHub when the object
/// or the message shows it (a GitHub URL, a GitHub message); else the server.
fn octokit_js(text: &str, out: &mut Vec<Hit>) {
    // `HttpError: <message>`, or `RequestError [HttpError]: <message>` as
    // newer Octokit versions print the class.
    const OCTO: &str = "HttpError";
    for pos in find_all(text, OCTO) {
        if !(at(text, pos + OCTO.len(), ": ") || at(text, pos + OCTO.len(), "]: ")) {
            continue;
        }
        // The object follows the stack: only `at ...` frames and the
        // object's own lines may stand between the message and `status:`.
        let mut limit = line_end(text, pos);
        let mut n = 0;
        while let Some(l) = next_line(text, limit) {
            n += 1;
            let e = line_end(text, l);
            let t = text.get(l..e).unwrap_or("").trim();
            if n > 60 || !(t.starts_with("at ") || json_like(t)) {
                break;
            }
            limit = e;
        }
        let Some(s) = find_in(text, "status: ", pos, limit) else {
            continue;
        };
        let vs = s + "status: ".len();
        let Some(status) = status_at(text, vs) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            _ => continue,
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
                if slice(text, v).contains("api.github.com") {
                    h.provider = Some((Provider::Github, Some(v), P_CODE));
                }
            }
        }
        out.push(h);
    }
}

// --- Advice --------------------------------------------------------------------

/// The kind of a GitHub finding, from the message it recorded.
fn finding_kind(f: &Finding) -> Option<Kind> {
    let msg = f.facts.iter().find(|x| x.key == "githubMessage")?;
    if msg.value.starts_with("Permission to ") {
        return Some(Kind::PushDenied);
    }
    MESSAGES
        .iter()
        .find(|m| m.0 == msg.value)
        .map(|m| m.1)
        .or_else(|| PYGITHUB.iter().find(|p| p.0 == msg.value).map(|p| p.1))
}

/// The remedy for each kind: item id, stage and text. Every text names the
/// GitHub documentation page it follows.
const ADVICE: [(Kind, &str, Stage, &str); 29] = [
    (Kind::IpAllowList, "github.ip-allow-list", Stage::Diagnose,
     "The organization allows requests only from the addresses on its IP allow list, and this request came from another one: the token and its permissions are fine. Find the address the request leaves from (a CI runner, a cloud NAT, a VPN, a developer's machine) (GitHub Docs, 'Managing allowed IP addresses for your organization': https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/managing-allowed-ip-addresses-for-your-organization)."),
    (Kind::IpAllowList, "github.ip-allow-list-fix", Stage::Fix,
     "Ask an organization owner to add that address (or range) to the allow list, or run the call from an address already on it: a self-hosted or larger runner with a static address, or a GitHub App that the organization lets through because 'Allow access by GitHub Apps' applies its own list."),
    (Kind::TokenLifetime, "github.token-lifetime", Stage::Fix,
     "The organization refuses fine-grained personal access tokens that live longer than its policy allows (the message gives the maximum). Create a new fine-grained token whose expiration is within that limit, for this organization as resource owner, and replace the old one where it is stored; a token's expiration cannot be shortened after it is made (GitHub Docs, 'Setting a personal access token policy for your organization': https://docs.github.com/en/organizations/managing-programmatic-access-to-your-organization/setting-a-personal-access-token-policy-for-your-organization)."),
    (Kind::WriteRole, "github.write-role", Stage::Fix,
     "This endpoint needs write ('push') access to the repository: the repository's traffic, for example, is shown only to those who may push. Use a token of an account with the Write role or above on the repository (a classic token with `repo`, or a fine-grained token with the repository and 'Administration: read' for traffic), or ask a maintainer to read it for you (GitHub Docs, 'Repository roles for an organization': https://docs.github.com/en/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/repository-roles-for-an-organization)."),
    (Kind::IpAllowList, "github.verify", Stage::Verify,
     "Repeat the call from the allowed address; `curl https://api.ipify.org` run where the call runs shows the address GitHub sees."),
    (Kind::ProtectedBranch, "github.protected-branch-rules", Stage::Diagnose,
     "Read the `remote:` lines under `GH006` or `GH013`: each names a rule this push breaks (changes must be made through a pull request, required status checks, signed commits, linear history, no force push). The branch's rules are under the repository's Settings, Branches (and Rules, Rulesets) (GitHub Docs, 'About protected branches': https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches)."),
    (Kind::ProtectedBranch, "github.protected-branch-pr", Stage::Fix,
     "Push the commits to a new branch and open a pull request into this one, so the required reviews and checks run. Only if the rule should not apply to this push, a repository admin can add the account, team or app to the rule's bypass list; granting write access changes nothing."),
    (Kind::Integration, "github.token-permissions", Stage::Diagnose,
     "The token is a GitHub App installation token or a workflow's `GITHUB_TOKEN`, and its permissions do not cover this endpoint. The response header `X-Accepted-GitHub-Permissions` names the permission the endpoint needs; endpoints about a user (`GET /user`) cannot be called with an installation token at all (GitHub Docs, 'Troubleshooting the REST API': https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api)."),
    (Kind::Integration, "github.workflow-permissions", Stage::Fix,
     "In a workflow, grant the permission in a `permissions:` block of the workflow or job, for example `contents: write` for releases and pushes, `issues: write`, `pull-requests: write`, `packages: write`; the repository or organization setting 'Workflow permissions' sets the default, and pull requests from forks get a read-only token. For a GitHub App, add the permission in the app's settings and accept it on the installation (GitHub Docs, 'Automatic token authentication': https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication)."),
    (Kind::FineGrained, "github.fine-grained-token", Stage::Fix,
     "The fine-grained personal access token does not cover this: edit it (Settings, Developer settings, Personal access tokens, Fine-grained tokens) so that its repository access includes this repository and it has the permission the endpoint needs (`X-Accepted-GitHub-Permissions` names it). For an organization's repositories, the token's resource owner must be the organization, which may have to approve the token (GitHub Docs, 'Managing your personal access tokens': https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens)."),
    (Kind::Scopes, "github.token-scopes", Stage::Fix,
     "The token lacks an OAuth scope this call needs (the message or the `X-Accepted-OAuth-Scopes` header names it; `workflow` to change files under `.github/workflows`, `read:org` for organization data, `repo` for private repositories). Create a token with that scope, or grant the equivalent permission to a fine-grained token (GitHub Docs, 'Scopes for OAuth apps': https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps)."),
    (Kind::Saml, "github.sso-authorize", Stage::Fix,
     "The organization enforces SAML single sign-on and this token has not been authorized for it: the token's scopes and your role are not the problem. Authorize it: Settings, Developer settings, Personal access tokens, then 'Configure SSO' next to the token and 'Authorize' for the organization (an SSH key has the same button). A token authorized before your SSO session ended may need authorizing again (GitHub Docs, 'Authorizing a personal access token for use with SAML single sign-on': https://docs.github.com/en/authentication/authenticating-with-saml-single-sign-on/authorizing-a-personal-access-token-for-use-with-saml-single-sign-on)."),
    (Kind::OauthApp, "github.oauth-app-approval", Stage::Fix,
     "The organization restricts OAuth apps and has not approved the app that issued this token. Request approval from the app's authorization page, or ask an organization owner to approve it under the organization's Settings, Third-party access (GitHub Docs, 'About OAuth app access restrictions': https://docs.github.com/en/organizations/managing-oauth-access-to-your-organizations-data/about-oauth-app-access-restrictions)."),
    (Kind::Admin, "github.admin-role", Stage::Fix,
     "This endpoint needs the admin role on the repository (settings, webhooks, branch protection, collaborators). Ask an organization owner or repository admin to give the account, or the team it is in, the Admin role, or have an admin make the change (GitHub Docs, 'Repository roles for an organization': https://docs.github.com/en/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/repository-roles-for-an-organization)."),
    (Kind::PushDenied, "github.push-account", Stage::Diagnose,
     "Check which account `git` authenticated as: the message names it after 'denied to'. If it is not the account that should push, the credential helper holds another account's token (`git credential reject`, or the OS keychain, clears it) or an SSH key of another account is loaded (`ssh -T git@github.com` names the account)."),
    (Kind::PushDenied, "github.push-access", Stage::Fix,
     "Give that account write access to the repository (the Write role, directly or through a team), or use a token that carries it: a classic token with the `repo` scope, or a fine-grained token with this repository and 'Contents: write'. A deploy key needs 'Allow write access' (GitHub Docs, 'Troubleshooting cloning errors': https://docs.github.com/en/repositories/creating-and-managing-repositories/troubleshooting-cloning-errors)."),
    (Kind::BadCredentials, "github.new-token", Stage::Fix,
     "GitHub did not accept the token: it is mistyped, expired, revoked (GitHub revokes tokens found in public commits) or not a token at all. GitHub accepts no account passwords for the API or for Git over HTTPS. Create a new personal access token, or for an app a new installation token (they expire after an hour), and send it as `Authorization: Bearer <token>` (GitHub Docs, 'Authenticating to the REST API': https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api)."),
    (Kind::BadCredentials, "github.check-token", Stage::Verify,
     "Check the new token with `curl -H \"Authorization: Bearer $TOKEN\" https://api.github.com/rate_limit`: a 200 means GitHub accepts it."),
    (Kind::NoCredentials, "github.send-token", Stage::Fix,
     "The request reached GitHub without credentials. Send a token in the `Authorization` header, and check that the variable holding it is set where the request runs (an unset secret is an empty string in GitHub Actions) (GitHub Docs, 'Authenticating to the REST API': https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api)."),
    (Kind::RateLimit, "github.rate-limit", Stage::Diagnose,
     "This 403 is GitHub's rate limit, not a permission problem: the token and its access are fine. `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset` (a Unix time) in the response say when requests are allowed again; a secondary limit sends `Retry-After` (GitHub Docs, 'Rate limits for the REST API': https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api)."),
    (Kind::RateLimit, "github.rate-limit-fix", Stage::Fix,
     "Wait until the reset time, then slow down: authenticate (unauthenticated calls get 60 requests an hour, a token 5,000), make requests one after another rather than in parallel, and use conditional requests (`If-None-Match`), which do not count against the limit when the answer is 304."),
    (Kind::NotFound, "github.not-found-private", Stage::Diagnose,
     "Check the URL first (owner, repository and path). GitHub answers 404 Not Found, not 403, for a private resource the caller may not see, so that its existence is not revealed (GitHub Docs, 'Troubleshooting the REST API': https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api)."),
    (Kind::NotFound, "github.not-found-token", Stage::Fix,
     "If the resource exists, give the token access to it: a classic token needs the `repo` scope for private repositories, a fine-grained token must list the repository, a GitHub App must be installed on it, and an organization with SAML single sign-on must have authorized the token."),
    (Kind::Forbidden, "github.forbidden", Stage::Diagnose,
     "GitHub refused the request for the identity the token stands for. The response's `message` and its `X-Accepted-GitHub-Permissions` or `X-Accepted-OAuth-Scopes` header name what is missing (GitHub Docs, 'Troubleshooting the REST API': https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api)."),
    (Kind::Integration, "github.verify", Stage::Verify,
     "Re-run the job or the call: a new `GITHUB_TOKEN` or installation token carries the new permissions; one issued before the change does not."),
    (Kind::FineGrained, "github.verify", Stage::Verify,
     "Repeat the call with the edited token; its changes apply at once."),
    (Kind::Scopes, "github.verify", Stage::Verify,
     "Repeat the call; the response's `X-OAuth-Scopes` header lists the scopes the token now has."),
    (Kind::Saml, "github.verify", Stage::Verify,
     "Repeat the call; if it is still refused, check that the token is authorized for this organization and not only for another."),
    (Kind::PushDenied, "github.verify", Stage::Verify,
     "Push again; `git ls-remote` against the repository shows whether the credential can at least read it."),
];

/// The checklist items for a GitHub finding; a finding without a known
/// message gets the advice for its gate and status.
pub(crate) fn checklist(f: &Finding, add: &mut dyn FnMut(&str, Stage, String)) {
    let kind = finding_kind(f).unwrap_or(match (f.gate, f.http_status) {
        (Gate::Authentication, _) => Kind::BadCredentials,
        (_, Some(404)) => Kind::NotFound,
        (Gate::NotAuth, _) => Kind::RateLimit,
        _ => Kind::Forbidden,
    });
    for (k, id, stage, text) in ADVICE {
        if k == kind {
            add(id, stage, text.to_owned());
        }
    }
}

/// One sentence for a GitHub finding.
pub(crate) fn summary(f: &Finding) -> String {
    let on = f.resource.as_deref().map_or_else(String::new, |r| {
        format!(" on {}", super::checklist::code_span(r))
    });
    let who = f.principal.as_deref().map_or_else(String::new, |p| {
        format!(" for {}", super::checklist::code_span(p))
    });
    match finding_kind(f) {
        Some(Kind::Integration) => format!("GitHub refused the request{on}: the GitHub App or workflow token (`GITHUB_TOKEN`) does not have the permission it needs (implicit deny)"),
        Some(Kind::FineGrained) => format!("GitHub refused the request{on}: the fine-grained personal access token does not cover this repository or permission (implicit deny)"),
        Some(Kind::Scopes) => format!("GitHub refused the request{on}: the token lacks an OAuth scope it needs (implicit deny)"),
        Some(Kind::Saml) => format!("GitHub refused the request{on}: the organization enforces SAML single sign-on and the token is not authorized for it"),
        Some(Kind::OauthApp) => format!("GitHub refused the request{on}: the organization restricts OAuth apps and has not approved this one"),
        Some(Kind::Admin) => format!("GitHub refused the request{on}: it needs the admin role on the repository (implicit deny)"),
        Some(Kind::PushDenied) => format!("GitHub refused the push{on}{who}: the account has no write access to the repository (implicit deny)"),
        Some(Kind::BadCredentials) => "GitHub could not authenticate the request (HTTP 401): the token or password was not accepted".to_owned(),
        Some(Kind::NoCredentials) => "GitHub could not authenticate the request (HTTP 401): no credentials were sent".to_owned(),
        Some(Kind::RateLimit) => "GitHub refused the request because the rate limit is exhausted: this is not an access decision".to_owned(),
        Some(Kind::IpAllowList) => format!("GitHub refused the request{on}: the organization's IP allow list does not include the address it came from; the credentials are fine (explicit deny by the organization's setting)"),
        Some(Kind::TokenLifetime) => format!("GitHub refused the request{on}: the organization does not accept fine-grained personal access tokens that live this long; make a token with a shorter expiration (explicit deny by the organization's policy)"),
        Some(Kind::WriteRole) => format!("GitHub refused the request{on}: the endpoint needs write (push) access to the repository, which this account or token does not have (implicit deny)"),
        Some(Kind::ProtectedBranch) => format!("GitHub refused the push{on}: a branch protection rule or ruleset requires what this push does not do (the `remote:` lines after the code say what: a pull request, passing status checks, signed commits); write access alone is not enough"),
        Some(Kind::NotFound) => format!("GitHub answered 404 Not Found{on}, which it also answers for private resources the caller may not see"),
        Some(Kind::Forbidden) | None => match f.gate {
            Gate::NotAuth => format!("GitHub refused the request{on}{}: a rate limit or another refusal that is not an access decision", f.http_status.map_or_else(String::new, |s| format!(" (HTTP {s})"))),
            Gate::Authentication => "GitHub could not authenticate the request: the credentials were missing, invalid or expired".to_owned(),
            _ => format!("GitHub refused the request{on}{who}: the caller was identified but is not permitted"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    /// GitHub Docs, 'Forming calls with GraphQL': errors come in an
    /// `errors` array beside partial `data`, each with the `path` of the
    /// field. Real message: https://github.com/raycast/extensions/issues/24028
    /// (shortened to one error; the avatar URL is data, not the resource).
    #[test]
    fn graphql_path_is_the_resource() {
        let t = "Error: Resource not accessible by personal access token: {\"response\":{\"data\":{\"viewer\":{\"avatarUrl\":\"https://avatars.githubusercontent.com/u/24323?v=4\"}},\"errors\":[{\"type\":\"FORBIDDEN\",\"path\":[\"viewer\",\"projectsV2\",\"nodes\",0],\"message\":\"Resource not accessible by personal access token\"}],\"status\":200}}";
        let f = one(t);
        assert_eq!(f.resource.as_deref(), Some("viewer.projectsV2.nodes.0"));
    }

    /// An error tracker shows Octokit's class on one line and its message on
    /// the next (https://github.com/osunyorg/admin/issues/2409).
    #[test]
    fn octokit_class_line_takes_the_url_below() {
        let t = "**Octokit::Forbidden** in **Communication::Website::SyncWithGitJob@elephant**\nPOST https://api.github.com/repos/julieSalha/juliesalha-music/git/trees: 403 - Resource not accessible by personal access token // See: https://docs.github.com/rest/git/trees#create-a-tree";
        let f = one(t);
        assert_eq!(
            f.resource.as_deref(),
            Some("https://api.github.com/repos/julieSalha/juliesalha-music/git/trees")
        );
    }

    /// The request's URL, not a URL in its body (https://github.com/iterative/cml/issues/1431,
    /// shortened), and the URL of `HTTP Status 403 for request POST <url>` above a
    /// body (https://github.com/drdoctr/doctr/issues/377).
    #[test]
    fn request_url_is_the_resource() {
        let t = "{\"level\":\"error\",\"message\":\"Resource not accessible by integration\",\"name\":\"HttpError\",\"request\":{\"body\":\"![](https://cml.dev/watermark.png)\",\"method\":\"POST\",\"url\":\"https://api.github.com/repos/o/r/issues/1/comments\"}}";
        assert_eq!(
            one(t).resource.as_deref(),
            Some("https://api.github.com/repos/o/r/issues/1/comments")
        );
        let t = "**Error**: HTTP Status 403 for request POST https://api.github.com/repos/o/r/dependency-graph/snapshots\n**Error**: Response body:\n{\n  \"message\": \"Resource not accessible by integration\",\n  \"documentation_url\": \"https://docs.github.com/rest\"\n}";
        let f = crate::explain(t);
        assert!(f.findings.iter().any(|f| f.provider == Provider::Github
            && f.resource.as_deref()
                == Some("https://api.github.com/repos/o/r/dependency-graph/snapshots")));
    }

    #[test]
    fn documented_statuses() {
        // GitHub Docs, 'Troubleshooting the REST API': "If you receive a 401
        // Unauthorized error with the message 'Bad credentials', the token is
        // invalid"; "Resource not accessible by integration" comes with 403; a
        // private resource the token cannot see answers 404.
        let t = "{\n  \"message\": \"Bad credentials\",\n  \"documentation_url\": \"https://docs.github.com/rest\"\n}";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Github, Gate::Authentication, Some(401))
        );
        let t = "{\"message\":\"Resource not accessible by integration\",\"documentation_url\":\"https://docs.github.com/rest/issues/comments#create-an-issue-comment\",\"status\":\"403\"}";
        let f = one(t);
        assert_eq!(
            (f.gate, f.deny, f.http_status),
            (Gate::Authorization, Some(DenyKind::Implicit), Some(403))
        );
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(
            fact(&f, "documentationUrl"),
            Some("https://docs.github.com/rest/issues/comments#create-an-issue-comment")
        );
    }

    #[test]
    fn rate_limit_is_not_an_access_decision() {
        // GitHub Docs, 'Rate limits for the REST API': exceeding the primary
        // rate limit gets a 403 or 429 with `x-ratelimit-remaining: 0`.
        let t = "HTTP/2 403\nx-ratelimit-remaining: 0\n\n{\"message\":\"API rate limit exceeded for user ID 1.\",\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.deny, f.http_status),
            (Provider::Github, Gate::NotAuth, None, Some(403))
        );
    }

    #[test]
    fn git_push_denied() {
        // The remote's message as 'Troubleshooting cloning errors' quotes it
        // (constructed from that documented format).
        let t = "remote: Permission to octo-org/octo-repo.git denied to octocat.\nfatal: unable to access 'https://github.com/octo-org/octo-repo.git/': The requested URL returned error: 403";
        let f = one(t);
        assert_eq!(f.provider, Provider::Github);
        assert_eq!(f.principal.as_deref(), Some("octocat"));
        assert_eq!(f.resource.as_deref(), Some("octo-org/octo-repo.git"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
    }

    /// GitHub Docs, 'Troubleshooting the REST API', '404 error for an existing
    /// repository': "You might expect to see a 403 Forbidden in these cases.
    /// However, since we don't want to provide any information about private
    /// repositories, the API returns a 404 error instead."
    #[test]
    fn not_found_from_github_may_hide_a_refusal() {
        let t = "GET https://api.github.com/repos/o/r/pulls: 404 - Not Found // See: https://developer.github.com/v3 (Octokit::NotFound)";
        let f = one(t);
        assert_eq!(f.provider, Provider::Github);
        assert_eq!(f.http_status, Some(404));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.confidence, Confidence::Possible);
        assert_eq!(
            f.resource.as_deref(),
            Some("https://api.github.com/repos/o/r/pulls")
        );
        let r = crate::explain(t);
        let ids: Vec<&str> = r.findings[0]
            .checklist
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert!(ids.contains(&"github.not-found-private"), "{ids:?}");
    }

    /// A GitHub App token without the `workflows` permission, refused on a
    /// push: the workflow file is the resource, and no status is printed.
    /// Real: https://github.com/repo-sync/github-sync/issues/23.
    #[test]
    fn workflow_permission_names_the_file() {
        let f = one("To https://github.com/IceCodeNew/v2ray-core\n ! [remote rejected]   tmp_upstream/master -> master (refusing to allow a GitHub App to create or update workflow `.github/workflows/dlc.yml` without `workflows` permission)\nerror: failed to push some refs to '***github.com/IceCodeNew/v2ray-core'");
        assert_eq!(f.resource.as_deref(), Some(".github/workflows/dlc.yml"));
        assert_eq!(f.http_status, None);
    }

    /// Octokit's GraphQL error carries the scope message and no status (the
    /// response was 200). Real: https://github.com/kunalnagarco/action-cve/issues/68.
    #[test]
    fn octokit_graphql_scope_error_carries_no_status() {
        let f = one("GraphqlResponseError: Request failed due to following response errors:\n - Your token has not been granted the required scopes to execute this query. The 'id' field requires one of the following scopes: ['public_repo'], but your token has only been granted the: [''] scopes. Please modify your token's scopes at:");
        assert_eq!(f.provider, Provider::Github);
        assert_eq!(f.http_status, None);
        assert_eq!(f.gate, Gate::Authorization);
    }

    /// GraphQL reports a refusal inside a 200 response ('Forming calls with
    /// GraphQL'): the error `type` is the code and no status is implied.
    #[test]
    fn graphql_forbidden_carries_no_status() {
        let t = "{\"data\":{\"repository\":null},\"errors\":[{\"type\":\"FORBIDDEN\",\"message\":\"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.\"}]}";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("FORBIDDEN"));
        assert_eq!(f.http_status, None);
        assert_eq!(f.gate, Gate::Authorization);
    }

    #[test]
    fn each_kind_gets_its_own_remedy() {
        // GitHub Docs: 'Automatic token authentication' (permissions block),
        // 'Authorizing a personal access token for use with SAML single
        // sign-on', 'Managing your personal access tokens', 'Rate limits for
        // the REST API'.
        for (t, id, must) in [
            ("HttpError: Resource not accessible by integration", "github.workflow-permissions", "permissions:"),
            ("{\"message\":\"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.\"}", "github.sso-authorize", "Authorize"),
            ("Error: Resource not accessible by personal access token", "github.fine-grained-token", "repository access"),
            ("HttpError: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "github.rate-limit", "not a permission problem"),
            ("{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}", "github.new-token", "GitHub did not accept the token"),
        ] {
            let r = crate::explain(t);
            assert_eq!(r.findings.len(), 1, "{t}");
            let f = &r.findings[0];
            assert_eq!(f.provider, Provider::Github, "{t}");
            let item = f.checklist.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{t}: {:?}", f.checklist));
            assert!(item.text.contains(must), "{}", item.text);
            assert!(item.text.contains("docs.github.com") || item.stage != Stage::Fix || id == "github.rate-limit", "{}", item.text);
            assert!(!f.summary.is_empty());
        }
    }

    #[test]
    fn pygithub_exception_names_the_code() {
        let t = "github.GithubException.RateLimitExceededException: 403 {\"message\": \"API rate limit exceeded for 1.2.3.4.\", \"documentation_url\": \"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting\"}";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("RateLimitExceededException"));
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.http_status, Some(403));
    }

    #[test]
    fn words_without_github_are_not_github() {
        assert!(super::super::find("the page said Not Found").0.is_empty());
        let (f, _) = super::super::find("message: Requires authentication");
        assert!(f.is_empty());
    }
}
