//! Git hosting services other than GitHub: GitLab, Gitea (and Forgejo),
//! Bitbucket and Azure Repos, as `git`, their server logs and their API
//! clients print their refusals.
//!
//! Each service decides by its own roles and branch rules, not by a policy
//! document: the findings carry the fact `service`, which the summary and the
//! checklist read. GitLab, Gitea and Bitbucket have no provider of their own
//! here (`unknown`); Azure Repos is Azure's. The messages are a table,
//! [`MESSAGES`]; reading the repository from `git`'s lines around them is
//! shared.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{Confidence, DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{at, byte, find_all, find_in, line_end, line_start, next_line, slice, status_at};

/// The `service` fact of a GitLab refusal.
pub(crate) const GITLAB: &str = "GitLab";
/// The `service` fact of a Gitea (or Forgejo) refusal.
pub(crate) const GITEA: &str = "Gitea";
/// The `service` fact of a Bitbucket refusal.
pub(crate) const BITBUCKET: &str = "Bitbucket";
/// The `service` fact of an Azure Repos refusal (Azure DevOps).
pub(crate) const AZURE_REPOS: &str = "Azure Repos";

/// What a message means, for the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    /// The account has no role that may push to the project.
    PushAccess,
    /// The account may not write to this branch (protected, or a role below it).
    BranchPush,
    /// gitlab-shell's log: the internal API refused the key's Git command.
    ShellDenied,
    /// The scope of the API token is too narrow.
    TokenScope,
    /// The service could not check the request: a server problem.
    Unreachable,
    /// A rate limit.
    RateLimit,
    /// A pull mirror, read-only for everyone.
    Mirror,
    /// Azure Repos: the repository does not exist or the caller may not see it.
    Concealed,
}

/// One message: its words, the service, what it decides, the status the
/// service sends with it, the advice topic, and the words that must be near
/// it when the message alone does not name the service (empty: it does).
struct Row {
    phrase: &'static str,
    service: &'static str,
    gate: Gate,
    deny: Option<DenyKind>,
    action: Option<&'static str>,
    status: Option<u16>,
    topic: Topic,
    tells: &'static [&'static str],
    /// Where the refused object ends when it follows the phrase directly
    /// (`TF401019: ... identifier <repo> does not exist`).
    object_until: Option<&'static str>,
}

const fn row(
    phrase: &'static str,
    service: &'static str,
    gate: Gate,
    deny: Option<DenyKind>,
    topic: Topic,
) -> Row {
    Row {
        phrase,
        service,
        gate,
        deny,
        action: None,
        status: None,
        topic,
        tells: &[],
        object_until: None,
    }
}

/// The services' refusals. GitLab's come from its `Gitlab::GitAccess` error
/// messages (sent with 403 over HTTPS, printed after `GitLab:` over SSH) and
/// its REST API ('REST API troubleshooting', 'Rate limits'); Gitea's from its
/// Git HTTP handler (403 `User permission denied`, `mirror repository is
/// read-only`) and its pre-receive hook; Bitbucket Cloud's rate limit from
/// 'API request limits'; Azure Repos' TF401019 from its Git REST API.
const MESSAGES: [Row; 10] = [
    Row {
        action: Some("push"),
        status: Some(403),
        ..row(
            "You are not allowed to push code to this project",
            GITLAB,
            Gate::Authorization,
            Some(DenyKind::Implicit),
            Topic::PushAccess,
        )
    },
    Row {
        status: Some(403),
        ..row(
            "You are not allowed to push into this branch",
            GITLAB,
            Gate::Authorization,
            Some(DenyKind::Unknown),
            Topic::BranchPush,
        )
    },
    // Older GitLab's hook: `GitLab: You are not allowed to access master!`.
    Row {
        object_until: Some("!"),
        ..row(
            "GitLab: You are not allowed to access ",
            GITLAB,
            Gate::Authorization,
            Some(DenyKind::Unknown),
            Topic::BranchPush,
        )
    },
    row(
        "gitlab-shell: Access denied for git command <",
        GITLAB,
        Gate::Authorization,
        Some(DenyKind::Unknown),
        Topic::ShellDenied,
    ),
    // The hook could not ask GitLab whether the push is allowed: no
    // decision was made.
    row(
        "Failed to authorize your Git request: internal API unreachable",
        GITLAB,
        Gate::NotAuth,
        None,
        Topic::Unreachable,
    ),
    Row {
        status: Some(429),
        ..row(
            "This endpoint has been requested too many times",
            GITLAB,
            Gate::NotAuth,
            None,
            Topic::RateLimit,
        )
    },
    Row {
        action: Some("push"),
        ..row(
            "Gitea: User permission denied for writing",
            GITEA,
            Gate::Authorization,
            Some(DenyKind::Implicit),
            Topic::PushAccess,
        )
    },
    Row {
        status: Some(403),
        ..row(
            "mirror repository is read-only",
            GITEA,
            Gate::NotAuth,
            None,
            Topic::Mirror,
        )
    },
    Row {
        status: Some(429),
        tells: &["bitbucket.org"],
        ..row(
            "Rate limit for this resource has been exceeded",
            BITBUCKET,
            Gate::NotAuth,
            None,
            Topic::RateLimit,
        )
    },
    Row {
        status: Some(404),
        object_until: Some(" does not exist"),
        ..row(
            "TF401019: The Git repository with name or identifier ",
            AZURE_REPOS,
            Gate::Authorization,
            Some(DenyKind::Unknown),
            Topic::Concealed,
        )
    },
];

/// How far above a message its tell may stand (a JSON error object's `host`).
const TELL_LINES: usize = 16;

pub(crate) fn applies(f: &Finding) -> bool {
    super::checklist::fact(f, "service")
        .is_some_and(|s| [GITLAB, GITEA, BITBUCKET, AZURE_REPOS].contains(&s))
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    for r in &MESSAGES {
        for pos in find_all(text, r.phrase) {
            if let Some(h) = message(text, pos, r) {
                hits.push(h);
            }
        }
    }
    python_gitlab(text, hits);
}

fn provider_of(service: &str) -> Provider {
    if service == AZURE_REPOS {
        Provider::Azure
    } else {
        Provider::Unknown
    }
}

fn message(text: &str, pos: usize, r: &Row) -> Option<Hit> {
    let ls = line_start(text, pos);
    let le = line_end(text, pos);
    // A tell above the message, when the message needs one.
    let mut start = ls;
    if !r.tells.is_empty() {
        let up = crate::scan::lines_up(text, ls, TELL_LINES);
        start = r
            .tells
            .iter()
            .filter_map(|t| find_in(text, t, up, le))
            .min()?;
        start = line_start(text, start);
    }
    let phrase = Span::new(pos, pos + r.phrase.len());
    let provider = provider_of(r.service);
    let mut h = Hit::phrase(text, phrase, provider, r.gate);
    h.span.start = start;
    h.fact_value("service", r.service.to_owned(), phrase);
    if let Some(d) = r.deny {
        h.deny = Some((d, Some(phrase), P_DETAIL));
    }
    if let Some(a) = r.action {
        h.action = Some((a.to_owned(), Some(phrase), P_DETAIL));
    }
    if let Some(st) = r.status {
        h.http_status = Some(((st, false), Some(phrase), P_CODE));
    }
    if r.topic == Topic::Concealed {
        // 'does not exist or you do not have permissions': a 404 either way.
        h.fact_value("mayConceal", "403".to_owned(), phrase);
        h.confidence = Some(Confidence::Likely);
        let code = Span::new(pos, pos + 8);
        h.error_code = Some((slice(text, code).to_owned(), Some(code), P_DETAIL));
    }
    // The refused object right after the phrase.
    if let Some(until) = r.object_until {
        let o = phrase.end;
        if let Some(e) = find_in(text, until, o, le) {
            let s = Span::new(o, e);
            if !slice(text, s).trim().is_empty() && !slice(text, s).contains(' ') {
                Hit::set_str(&mut h.resource, text, s, P_DETAIL);
            }
        }
    }
    if r.topic == Topic::ShellDenied {
        shell_log(text, phrase.end, le, &mut h);
    }
    // The status the text carries: `: 429 {message: ...` or `403 Forbidden -`
    // before the message on its line, `returned a 404 status code` after it.
    if let Some((st, s)) = super::github::status_before(text, ls, pos) {
        h.status(st, s);
    } else if let Some(s) = find_in(text, "returned a ", phrase.end, le).map(|s| s + 11) {
        if let Some(st) = status_at(text, s) {
            h.status(st, Span::new(s, s + 3));
        }
    }
    // The repository or URL: on the message's line, on git's lines below it,
    // in the error object's `"url"` member, or on the line above (a Go
    // client's `GET <url>: 429`).
    if h.resource.is_none() {
        if let Some(u) = url_in(text, ls, le) {
            Hit::set_str(&mut h.resource, text, u, P_GENERIC);
        }
    }
    // Nothing was refused when GitLab could not be asked: the repository
    // on git's lines is not a refused resource.
    git_tail(text, le, r.topic != Topic::Unreachable, &mut h);
    // Below a JSON member, the rest of the object belongs to it.
    if super::github::json_like(text.get(ls..le).unwrap_or("")) {
        let mut cur = h.span.end.max(le);
        for _ in 0..12 {
            let Some(n) = next_line(text, cur) else { break };
            let ne = line_end(text, n);
            let line = text.get(n..ne).unwrap_or("");
            if line.trim().is_empty() || !super::github::json_like(line) {
                break;
            }
            cur = ne;
        }
        h.span.end = h.span.end.max(cur);
    }
    if h.resource.is_none() {
        if let Some(m) = find_in(text, "\"url\": \"", h.span.start, h.span.end)
            .map(|m| m + 8)
            .or_else(|| find_in(text, "\"url\":\"", h.span.start, h.span.end).map(|m| m + 7))
        {
            if let Some(e) = find_in(text, "\"", m, line_end(text, m)) {
                Hit::set_str(&mut h.resource, text, Span::new(m, e), P_GENERIC);
            }
        }
    }
    Some(h)
}

/// gitlab-shell's log line: `Access denied for git command <git-upload-pack
/// 'group/repo.git'> by user with key key-6.`: the command, the repository
/// and the key that asked.
fn shell_log(text: &str, from: usize, le: usize, h: &mut Hit) {
    let Some(close) = find_in(text, ">", from, le) else {
        return;
    };
    let cmd = slice(text, Span::new(from, close));
    let verb_end = from + cmd.find(' ').unwrap_or(cmd.len());
    Hit::set_str(&mut h.action, text, Span::new(from, verb_end), P_DETAIL);
    if let Some(q) = find_in(text, "'", verb_end, close).and_then(|q| crate::scan::quoted(text, q))
    {
        Hit::set_str(&mut h.resource, text, q, P_DETAIL);
    }
    const KEY: &str = "by user with key ";
    if let Some(k) = find_in(text, KEY, close, le).map(|k| k + KEY.len()) {
        let t = crate::scan::trim_trailing(text, crate::scan::token(text, k), b".");
        Hit::set_str(&mut h.principal, text, t, P_DETAIL);
    }
}

/// `git`'s lines after a refusal (`remote: error: hook declined ...`, `To
/// <url>`, ` ! [remote rejected] ...`, `error: failed to push some refs to
/// '<url>'`, `fatal: ...`): they belong to it, and the URL they name is the
/// repository when nothing closer named one.
pub(super) fn git_tail(text: &str, le: usize, read_url: bool, h: &mut Hit) {
    let mut cur = le;
    for _ in 0..6 {
        let Some(n) = next_line(text, cur) else { break };
        let ne = line_end(text, n);
        let line = text.get(n..ne).unwrap_or("").trim_start();
        // Where the trimmed line starts.
        let s = ne - line.len();
        let is_git = ["remote:", "To ", "! [", "error:", "fatal:", "ERROR:"]
            .iter()
            .any(|p| line.starts_with(p));
        if !is_git {
            break;
        }
        // Over SSH there is no HTTP status: the status the message has over
        // HTTPS is not implied.
        if line.contains("Could not read from remote repository")
            && !h.http_status.as_ref().is_some_and(|s| s.0 .1)
        {
            h.http_status = None;
        }
        if read_url && h.resource.is_none() {
            let u = if line.starts_with("To ") {
                Some(until_blank(text, s + 3))
            } else if line.starts_with("error:") || line.starts_with("fatal:") {
                find_in(text, "'", s, ne).and_then(|q| crate::scan::quoted(text, q))
            } else {
                None
            };
            if let Some(u) = u.filter(|u| slice(text, *u).contains("://")) {
                Hit::set_str(&mut h.resource, text, u, P_GENERIC);
            }
        }
        h.span.end = h.span.end.max(ne);
        cur = ne;
    }
}

/// The run of bytes from `pos` to a blank or a quote: a URL with masked parts
/// (`https://host/<user>/<repo>.git`) kept whole.
fn until_blank(text: &str, pos: usize) -> Span {
    let mut e = pos;
    while !matches!(
        byte(text, e),
        0 | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\''
    ) {
        e += 1;
    }
    Span::new(pos, e.min(text.len()))
}

/// The first URL between `from` and `to`, without the punctuation that ends
/// it in prose.
fn url_in(text: &str, from: usize, to: usize) -> Option<Span> {
    let mut p = from;
    while let Some(u) = find_in(text, "http", p, to) {
        p = u + 4;
        if !(at(text, u, "https://") || at(text, u, "http://")) {
            continue;
        }
        let t = crate::scan::trim_trailing(text, until_blank(text, u), b".,;:)]}");
        if t.end > t.start + 8 {
            return Some(t);
        }
    }
    None
}

/// python-gitlab's exception line: `gitlab.exceptions.GitlabHttpError: 403:
/// insufficient_scope` (the class, the status, GitLab's message).
fn python_gitlab(text: &str, hits: &mut Vec<Hit>) {
    const P: &str = "gitlab.exceptions.";
    for pos in find_all(text, P) {
        let c = pos + P.len();
        let le = line_end(text, c);
        let Some(colon) = find_in(text, ": ", c, le) else {
            continue;
        };
        let class = Span::new(c, colon);
        let s = colon + 2;
        let Some(st) = status_at(text, s) else {
            continue;
        };
        let gate = match st {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            429 => Gate::NotAuth,
            _ => continue,
        };
        let mut h = Hit::phrase(text, class, Provider::Unknown, gate);
        h.fact_value("service", GITLAB.to_owned(), class);
        h.status(st, Span::new(s, s + 3));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(class), P_GENERIC));
        }
        // GitLab's message after the status; a code word (`insufficient_scope`)
        // is the error code, else the class is.
        let m = crate::scan::skip_blank(text, s + 4);
        let word = crate::scan::token(text, m);
        let w = slice(text, word);
        if w.len() > 3 && w.contains('_') && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            h.code(text, word, P_CODE);
            // The code names the gate; the service stays GitLab.
            h.provider = Some((Provider::Unknown, Some(class), P_DETAIL));
        } else {
            h.error_code = Some((slice(text, class).to_owned(), Some(class), P_GENERIC));
        }
        hits.push(h);
    }
}

// --- Advice --------------------------------------------------------------------

fn topic(f: &Finding) -> Topic {
    let service = super::checklist::fact(f, "service").unwrap_or("");
    if f.error_code.as_deref() == Some("insufficient_scope") {
        return Topic::TokenScope;
    }
    if service == AZURE_REPOS {
        return Topic::Concealed;
    }
    match f.gate {
        Gate::NotAuth if f.http_status == Some(429) => Topic::RateLimit,
        Gate::NotAuth if service == GITEA => Topic::Mirror,
        Gate::NotAuth => Topic::Unreachable,
        _ if f
            .principal
            .as_deref()
            .is_some_and(|p| p.starts_with("key-")) =>
        {
            Topic::ShellDenied
        }
        _ if f.action.as_deref() == Some("push") => Topic::PushAccess,
        _ => Topic::BranchPush,
    }
}

/// The advice for each topic: item id, stage, text. Each names the
/// service's documentation it follows.
const ADVICE: [(Topic, &str, Stage, &str); 14] = [
    (Topic::PushAccess, "git-host.push-role", Stage::Diagnose,
     "The account `git` authenticated as may read the repository but not push to it. Check which account that is (the credential helper or the SSH key sent another account's credentials more often than not: `ssh -T git@<host>` names it), then its role on the project: GitLab needs Developer or above to push (GitLab Docs, 'Roles and permissions'); Gitea needs write access to the repository's code, as a collaborator or through a team."),
    (Topic::PushAccess, "git-host.push-fix", Stage::Fix,
     "Have a project Maintainer or Owner (GitLab) or a repository admin (Gitea) give the account write access, or push with a token that carries it: a GitLab personal, project or group access token with `write_repository` and a role of Developer or above; a deploy key with write access enabled. If you cloned someone else's project, push to your fork instead."),
    (Topic::BranchPush, "git-host.branch-rules", Stage::Diagnose,
     "The account may not write to this branch: on GitLab a protected branch lets only the roles its protection names push (Maintainers by default), and the API's commit and file endpoints apply the same rule. See Settings, Repository, Protected branches (GitLab Docs, 'Protected branches')."),
    (Topic::BranchPush, "git-host.branch-fix", Stage::Fix,
     "Push to a new branch and open a merge request, or have a Maintainer allow the account's role (or the account, on Premium) to push to the branch; a token used by an automation needs a role the protection allows."),
    (Topic::ShellDenied, "git-host.shell-log", Stage::Diagnose,
     "gitlab-shell asked GitLab's internal API (`/api/v4/internal/allowed`) whether the SSH key may run this Git command on the project, and GitLab answered no. The key id in the log (`key-N`) is the key's id in GitLab: check which user or deploy key it belongs to, and that this account is a member of the project (`git-upload-pack` is a clone or fetch, `git-receive-pack` a push)."),
    (Topic::ShellDenied, "git-host.shell-fix", Stage::Fix,
     "Add the key's user to the project with a role that allows the command (Reporter or above to clone, Developer to push), or enable the deploy key on this project; a key that belongs to no user, or to a blocked user, is refused for every project."),
    (Topic::TokenScope, "git-host.token-scope", Stage::Fix,
     "GitLab accepted the token but its scopes do not cover this call: `read_api` only reads, `read_repository` and `write_repository` are for Git over HTTPS, and the REST API's writes need `api`. Create a token with the scope the endpoint needs (GitLab Docs, 'Personal access tokens', scopes); the token's user also needs a role that allows the action."),
    (Topic::Unreachable, "git-host.internal-api", Stage::Diagnose,
     "This is not an access decision: the Git hook could not reach GitLab's internal API to ask whether the push is allowed. On a self-managed instance, check that Puma (or Unicorn) is running and that `gitlab_url` in gitlab-shell's `config.yml` points at it (`sudo gitlab-rake gitlab:check`); the account's permissions are not the problem."),
    (Topic::RateLimit, "git-host.rate-limit", Stage::Diagnose,
     "This is the service's rate limit, not an access decision: the credentials and their permissions are fine. Wait for the window to pass (the `Retry-After` or `RateLimit-Reset` header says when), make fewer calls, or authenticate, which raises the limit on both GitLab and Bitbucket."),
    (Topic::Mirror, "git-host.mirror", Stage::Diagnose,
     "The repository is a pull mirror: Gitea refuses every push to it (with 403) whatever the account's rights, because it keeps the mirror in step with its upstream. Push to the upstream repository, or convert the mirror into a normal repository in its settings if it should take pushes."),
    (Topic::Concealed, "azure-repos.name", Stage::Diagnose,
     "Azure Repos answers TF401019 both for a repository that does not exist and for one the caller may not see: check the repository name and the organization and project in the URL first, then which identity the command ran as (`az account show`, or the pipeline's build service identity)."),
    (Topic::Concealed, "azure-repos.permissions", Stage::Fix,
     "If the repository exists, give that identity access to it under Project settings, Repositories, Security: 'Read' to clone, 'Contribute' to push. A pipeline's job token is limited to its own project unless 'Limit job authorization scope' is turned off, and a personal access token needs the Code (Read, or Read & write) scope (Azure DevOps Docs, 'Set Git repository permissions')."),
    (Topic::PushAccess, "git-host.verify", Stage::Verify,
     "Push again; `git ls-remote <url>` shows whether the same credentials can at least read the repository."),
    (Topic::BranchPush, "git-host.verify", Stage::Verify,
     "Push again after the change, or push the same commits to a new branch: if that works, the branch's protection was what refused."),
];

pub(crate) fn checklist(f: &Finding, list: &mut super::checklist::List) {
    let t = topic(f);
    for (topic, id, stage, text) in ADVICE {
        if topic == t {
            list.add(id, stage, text.to_owned(), None);
        }
    }
}

/// One sentence for a Git hosting service's finding.
pub(crate) fn summary(f: &Finding) -> String {
    let code = super::checklist::code_span;
    let name = super::checklist::fact(f, "service").unwrap_or(GITLAB);
    let on = f
        .resource
        .as_deref()
        .map_or_else(String::new, |r| format!(" on {}", code(r)));
    let status = f
        .http_status
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    match topic(f) {
        Topic::PushAccess => format!("{name} refused the push{on}{status}: the account has no role that may push to this repository (implicit deny)"),
        Topic::BranchPush => format!("{name} refused the write to the branch{on}{status}: the branch's protection or the account's role does not let it push there"),
        Topic::ShellDenied => format!(
            "GitLab refused {}{on} for the SSH key {}: the key's user or deploy key has no access to the project that allows this command",
            f.action.as_deref().map_or_else(|| "the Git command".to_owned(), code),
            f.principal.as_deref().map_or_else(|| "it names".to_owned(), code),
        ),
        Topic::TokenScope => format!("{name} refused the request{on}{status}: the access token is valid but lacks the scope this endpoint needs (`insufficient_scope`)"),
        Topic::Unreachable => format!("{name} could not check the Git request{on}: its internal API was unreachable, a server problem, not an access decision"),
        Topic::RateLimit => format!("{name} refused the request{on}{status} because of its rate limit: this is not an access decision"),
        Topic::Mirror => format!("{name} refused the push{on}{status}: the repository is a pull mirror and read-only for everyone; this is not about the account's rights"),
        Topic::Concealed => format!("Azure Repos refused the Git operation{on}{status}: the repository does not exist or the caller may not see it (TF401019 does not say which)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;

    /// Bitbucket's rate-limit words name no service alone: without a
    /// Bitbucket host near them, they are not read as Bitbucket's.
    #[test]
    fn a_phrase_that_needs_a_tell_is_not_read_without_one() {
        let (found, _) =
            crate::explain::find("body: Rate limit for this resource has been exceeded");
        assert!(
            found
                .iter()
                .all(|f| fact(f, "service") != Some(super::BITBUCKET)),
            "{found:#?}"
        );
    }

    /// GitLab's message over SSH (constructed from the documented format):
    /// git's `fatal:` line joins it, and no HTTP status is implied.
    #[test]
    fn ssh_push_has_no_status() {
        let f = one("GitLab: You are not allowed to push code to this project.\nfatal: Could not read from remote repository.");
        assert_eq!(fact(&f, "service"), Some(super::GITLAB));
        assert_eq!(f.http_status, None);
        assert_eq!(f.action.as_deref(), Some("push"));
    }
}
