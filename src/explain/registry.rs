//! Container and package registries (the OCI distribution API as Docker, Podman
//! and containerd print it, Docker Hub, GHCR, ECR, GitLab, npm, PyPI,
//! Artifactory) and storage services that speak the S3 API without being AWS.
//!
//! The codes, messages and hosts are tables; the scanning is shared.

use super::aws::{expired_presigned, xml_tag};
use super::{Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{Confidence, DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{
    at, byte, find_all, find_ci_in, find_in, is_word, line_end, line_start, next_line, quoted,
    skip_blank, slice, status_at, token, trim_trailing,
};

/// The OCI distribution specification's error codes that concern access, as
/// the JSON body names them and as Docker and containerd print them
/// (`unauthorized: authentication required`), with the status the
/// specification's error-code table and the Docker Registry HTTP API V2 give
/// each and the gate it stands for. `NAME_UNKNOWN` is a 404 that a registry
/// also answers for a repository the caller may not see.
pub(crate) const OCI_CODES: [(&str, &str, u16, Gate); 4] = [
    ("UNAUTHORIZED", "unauthorized", 401, Gate::Authentication),
    ("DENIED", "denied", 403, Gate::Authorization),
    ("NAME_UNKNOWN", "name unknown", 404, Gate::Unknown),
    ("TOOMANYREQUESTS", "toomanyrequests", 429, Gate::NotAuth),
];

/// Messages that settle the gate whatever code carries them, with the
/// provider when the message is a provider's own (ECR's expired token).
const MESSAGES: [(&str, Gate, Option<Provider>); 13] = [
    // GitHub Container Registry: a token or workflow without the package
    // permission (`denied: permission_denied: write_package`,
    // `denied: installation not allowed to Write organization package`).
    ("permission_denied: ", Gate::Authorization, None),
    ("installation not allowed to", Gate::Authorization, None),
    // Amazon ECR, 'Troubleshooting Amazon ECR': the token from
    // `get-login-password` lasts 12 hours.
    (
        "Your authorization token has expired",
        Gate::Authentication,
        Some(Provider::Aws),
    ),
    ("no basic auth credentials", Gate::Authentication, None),
    ("incorrect username or password", Gate::Authentication, None),
    ("authentication required", Gate::Authentication, None),
    ("HTTP Basic: Access denied", Gate::Authentication, None),
    (
        "User cannot be authenticated with the token provided",
        Gate::Authentication,
        None,
    ),
    // PyPI, 'Help: Why am I getting a "Invalid or non-existent authentication
    // information." error when uploading files?': a 403 for a bad token.
    (
        "Invalid or non-existent authentication information",
        Gate::Authentication,
        None,
    ),
    // PyPI's refusal of an API token it cannot verify or whose restrictions
    // it cannot meet (`Invalid API Token: token is expired`, `... token with
    // user restriction without a user`): the token, not the account's rights.
    ("Invalid API Token: ", Gate::Authentication, None),
    (
        "isn't allowed to upload to project",
        Gate::Authorization,
        None,
    ),
    (
        "requested access to the resource is denied",
        Gate::Authorization,
        None,
    ),
    // Quay's refusal of an action the (known) account may not take on the
    // repository, sent with a 401 and the `unauthorized` code.
    (
        "access to the requested resource is not authorized",
        Gate::Authorization,
        None,
    ),
];

/// Hosts that name the registry; a registry of a cloud provider is that provider's.
const REGISTRY_HOSTS: [(&str, Provider); 14] = [
    (".dkr.ecr.", Provider::Aws),
    ("public.ecr.aws", Provider::Aws),
    (".azurecr.io", Provider::Azure),
    ("gcr.io", Provider::Gcp),
    ("-docker.pkg.dev", Provider::Gcp),
    ("ghcr.io", Provider::Registry),
    ("docker.io", Provider::Registry),
    ("registry.gitlab.com", Provider::Registry),
    ("quay.io", Provider::Registry),
    ("registry.npmjs.org", Provider::Registry),
    ("npm.pkg.github.com", Provider::Registry),
    ("upload.pypi.org", Provider::Registry),
    ("jfrog.io", Provider::Registry),
    ("artifactory", Provider::Registry),
];

/// Storage services that answer in S3's XML but are not AWS: a host in the
/// text, or in the error's `<HostId>`, names them. IAM has no say over them.
pub(crate) const S3_COMPATIBLE: [(&str, &str); 11] = [
    (".r2.cloudflarestorage.com", "Cloudflare R2"),
    (".aliyuncs.com", "Alibaba Cloud OSS"),
    (".backblazeb2.com", "Backblaze B2"),
    (".wasabisys.com", "Wasabi"),
    (".digitaloceanspaces.com", "DigitalOcean Spaces"),
    (".linodeobjects.com", "Linode Object Storage"),
    ("storage.dev", "Tigris"),
    (".tigris.dev", "Tigris"),
    (".myqcloud.com", "Tencent Cloud COS"),
    ("minio", "MinIO"),
    ("wasabi", "Wasabi"),
];

/// Where each registry host of [`REGISTRY_HOSTS`] occurs, by position: found
/// once, so that each error looks its host up by binary search.
struct Hosts(Vec<(usize, usize)>);

impl Hosts {
    fn new(text: &str) -> Self {
        let mut v: Vec<(usize, usize)> = REGISTRY_HOSTS
            .iter()
            .enumerate()
            .flat_map(|(i, (host, _))| find_all(text, host).into_iter().map(move |p| (p, i)))
            .collect();
        crate::scan::sort_by_key(&mut v, |&(p, i)| (p, i, 0));
        Hosts(v)
    }

    /// The first host between `from` and `to`, with its provider.
    fn within(&self, from: usize, to: usize) -> Option<(Span, Provider)> {
        let i = self.0.partition_point(|&(p, _)| p < from);
        let &(p, k) = self.0.get(i).filter(|&&(p, _)| p < to)?;
        let (host, provider) = REGISTRY_HOSTS.get(k)?;
        Some((Span::new(p, p + host.len()), *provider))
    }
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    let hosts = Hosts::new(text);
    standalone(text, &hosts, hits);
    oci_cli(text, &hosts, hits);
    oci_json(text, &hosts, hits);
    pull_access(text, hits);
    client_status(text, &hosts, hits);
    npm(text, hits);
    npm_publish(text, hits);
    pypi(text, hits);
    host_lines(text, hits);
    s3_compatible(text, hits);
    pnpm(text, hits);
    gradle(text, hits);
    dependabot(text, hits);
    gitlab_protected(text, hits);
    bare_denied(text, &hosts, hits);
    nuget(text, hits);
    maven_transfer(text, hits);
    cargo_publish(text, hits);
}

/// Docker Hub's sentence without a code before it, as containers/image
/// (skopeo, Podman, Buildah) prints it after the step that failed:
/// `reading manifest test in docker.io/library/tagless: requested access to
/// the resource is denied`. Docker Hub answers so for a repository that does
/// not exist as for one the caller may not read, so no status is implied.
fn bare_denied(text: &str, hosts: &Hosts, hits: &mut Vec<Hit>) {
    const M: &str = "requested access to the resource is denied";
    for pos in find_all(text, M) {
        let before = text.get(line_start(text, pos)..pos).unwrap_or("");
        if !before.ends_with(": ") || before.trim_end().ends_with("denied:") {
            continue;
        }
        let le = line_end(text, pos);
        let s = Span::new(pos, pos + M.len());
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Registry,
            P_DETAIL,
        );
        h.provider = Some((Provider::Registry, Some(s), P_CODE));
        h.gate = Some((Gate::Authorization, Some(s), P_DETAIL));
        h.deny = Some((DenyKind::Unknown, Some(s), P_DETAIL));
        h.fact_value("registryError", "DENIED".to_owned(), s);
        h.fact_value("mayConceal", "404".to_owned(), s);
        details(text, hosts, pos, pos, le, &mut h);
        hits.push(h);
    }
}

/// Whether a NuGet client wrote the lines around `pos`.
fn nuget_near(text: &str, pos: usize) -> bool {
    let from = crate::scan::floor_boundary(text, pos.saturating_sub(1024));
    let to = line_end(text, pos);
    ["NuGet", "nuget", "FindPackagesByIdAsync"]
        .iter()
        .any(|t| find_in(text, t, from, to).is_some())
}

/// NuGet's refusal by a package source: `Unable to load the service index for
/// source <url>.` (in the SDK's language) then .NET's `Response status code
/// does not indicate success: 401 (Unauthorized).`, or `Retrying
/// 'FindPackagesByIdAsync' for source '<url>'.` before it. The source is the
/// `.../index.json` URL on the line or the line before.
fn nuget(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Response status code does not indicate success: ";
    for pos in find_all(text, ANCHOR) {
        if !nuget_near(text, pos) {
            continue;
        }
        let st = pos + ANCHOR.len();
        let Some(status) = status_at(text, st) else {
            continue;
        };
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let ss = Span::new(st, st + 3);
        let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
        h.provider = Some((Provider::Registry, Some(ss), P_DETAIL));
        h.support = true;
        h.fact_value("packageClient", "NuGet".to_owned(), Span::new(pos, st));
        let _ = status;
        // The source: the last `index.json` URL on this line before the
        // status, else on the line before.
        let prev = ls.checked_sub(1).map_or(ls, |p| line_start(text, p));
        for (from, to) in [(ls, pos), (prev, ls)] {
            let url = find_all_in(text, "http", from, to)
                .into_iter()
                .map(|u| trim_trailing(text, token(text, u), b".,'\")"))
                .rfind(|u| slice(text, *u).ends_with("index.json"));
            if let Some(u) = url {
                Hit::set_str(&mut h.resource, text, u, P_DETAIL);
                break;
            }
        }
        hits.push(h);
    }
}

/// The starts of `needle` between `from` and `to`.
fn find_all_in(text: &str, needle: &str, from: usize, to: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut p = from;
    while let Some(f) = find_in(text, needle, p, to) {
        out.push(f);
        p = f + needle.len();
    }
    out
}

/// Maven's resolver: `Could not transfer artifact <gav> from/to <repo-id>
/// (<url>): status code: 401, reason phrase: Unauthorized (401)`, under
/// `Failed to deploy artifacts:` for a deploy.
fn maven_transfer(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Could not transfer artifact ";
    const STATUS: &str = "status code: ";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let Some(sc) = find_in(text, STATUS, pos, le) else {
            continue;
        };
        let st = sc + STATUS.len();
        let Some(status) = status_at(text, st) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            429 => Gate::NotAuth,
            _ => continue,
        };
        let ss = Span::new(st, st + 3);
        let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
        h.provider = Some((Provider::Registry, Some(Span::new(pos, pos + 26)), P_DETAIL));
        h.status(status, ss);
        h.gate = Some((gate, Some(ss), P_DETAIL));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(ss), P_DETAIL));
        }
        if let Some(u) = find_in(text, " (http", pos, sc) {
            if let Some(e) = find_in(text, ")", u, sc) {
                Hit::set_str(&mut h.resource, text, Span::new(u + 2, e), P_DETAIL);
            }
        }
        const DEPLOY: &str = "Failed to deploy artifacts";
        if let Some(d) = find_in(text, DEPLOY, ls, pos) {
            h.action = Some((
                "deploy".to_owned(),
                Some(Span::new(d + 10, d + 16)),
                P_DETAIL,
            ));
        }
        h.fact_value(
            "packageClient",
            "Maven".to_owned(),
            Span::new(pos, pos + 26),
        );
        hits.push(h);
    }
}

/// Cargo's refusal by a registry on publish: `failed to publish to registry at
/// <url>`, then under `Caused by:` `the remote server responded with an error
/// (status 429 Too Many Requests): ...`.
fn cargo_publish(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "failed to publish to registry at ";
    const STATUS: &str = "responded with an error (status ";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let url = trim_trailing(text, token(text, pos + ANCHOR.len()), b".,:");
        let mut end = le;
        let mut found = None;
        for _ in 0..4 {
            let Some(n) = next_line(text, end) else { break };
            end = line_end(text, n);
            if let Some(s) = find_in(text, STATUS, n, end) {
                found = Some(s + STATUS.len());
                break;
            }
        }
        let Some(st) = found else { continue };
        let Some(status) = status_at(text, st) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            429 => Gate::NotAuth,
            _ => continue,
        };
        let ss = Span::new(st, st + 3);
        let phrase = Span::new(pos, pos + ANCHOR.len() - 1);
        let mut h = Hit::new(Span::new(ls, end), Provider::Registry, P_DETAIL);
        h.provider = Some((Provider::Registry, Some(phrase), P_DETAIL));
        h.status(status, ss);
        h.gate = Some((gate, Some(ss), P_DETAIL));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(ss), P_DETAIL));
        }
        h.action = Some((
            "publish".to_owned(),
            Some(Span::new(pos + 7, pos + 14)),
            P_DETAIL,
        ));
        Hit::set_str(&mut h.resource, text, url, P_DETAIL);
        h.fact_value("packageClient", "Cargo".to_owned(), phrase);
        hits.push(h);
    }
}

/// pnpm's fetch failure: `ERR_PNPM_FETCH_401  GET <url>: Unauthorized - 401`
/// (pnpm, 'Error codes'), then what it found in `.npmrc` for that registry.
fn pnpm(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "ERR_PNPM_FETCH_";
    for pos in find_all(text, ANCHOR) {
        let st = pos + ANCHOR.len();
        let Some(status) = status_at(text, st).filter(|_| !is_word(byte(text, st + 3))) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            429 => Gate::NotAuth,
            _ => continue,
        };
        let code = Span::new(pos, st + 3);
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(pos, le), Provider::Registry, P_DETAIL);
        h.provider = Some((Provider::Registry, Some(code), P_DETAIL));
        h.error_code = Some((slice(text, code).to_owned(), Some(code), P_DETAIL));
        h.http_status = Some(((status, true), Some(Span::new(st, st + 3)), P_DETAIL));
        h.gate = Some((gate, Some(code), P_DETAIL));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(code), P_DETAIL));
        }
        h.fact_value("registryError", slice(text, code).to_owned(), code);
        let m = skip_blank(text, code.end);
        if ["GET ", "PUT ", "HEAD "].iter().any(|w| at(text, m, w)) {
            let u = trim_trailing(
                text,
                token(text, skip_blank(text, token(text, m).end)),
                b":",
            );
            Hit::set_str(&mut h.resource, text, u, P_DETAIL);
        }
        hits.push(h);
    }
}

/// Gradle's refusal by a Maven repository: `Could not GET '<url>'. Received
/// status code 401 from server: Unauthorized` (also `HEAD`, `PUT`).
fn gradle(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Received status code ";
    for pos in find_all(text, ANCHOR) {
        let st = pos + ANCHOR.len();
        let Some(status) = status_at(text, st).filter(|_| at(text, st + 3, " from server")) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            429 => Gate::NotAuth,
            _ => continue,
        };
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let ss = Span::new(st, st + 3);
        let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
        h.provider = Some((Provider::Registry, Some(Span::new(pos, st)), P_DETAIL));
        h.status(status, ss);
        h.gate = Some((gate, Some(ss), P_DETAIL));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(ss), P_DETAIL));
        }
        for verb in ["Could not GET '", "Could not HEAD '", "Could not PUT '"] {
            if let Some(c) = find_in(text, verb, ls, pos) {
                if let Some(u) = quoted(text, c + verb.len() - 1) {
                    Hit::set_str(&mut h.resource, text, u, P_DETAIL);
                }
            }
        }
        h.fact_value("packageClient", "Gradle".to_owned(), Span::new(pos, st));
        provider_of_resource(&mut h);
        hits.push(h);
    }
}

/// Dependabot's notice that a private registry refused its credentials:
/// `Dependabot couldn't authenticate with registry.npmjs.org.`
fn dependabot(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Dependabot couldn't authenticate with ";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len() - 1);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::Registry,
            P_DETAIL,
        );
        h.provider = Some((Provider::Registry, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(phrase), P_DETAIL));
        let host = trim_trailing(text, token(text, pos + ANCHOR.len()), b".,");
        Hit::set_str(&mut h.resource, text, host, P_DETAIL);
        hits.push(h);
    }
}

/// GitLab's pre-receive refusal of a push to a protected branch: `GitLab: You
/// are not allowed to push code to protected branches on this project.` (or
/// `force push code to a protected branch`), with the repository on git's
/// `To <url>` and `failed to push some refs to '<url>'` lines below.
fn gitlab_protected(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "GitLab: You are not allowed to ";
    for pos in find_all(text, ANCHOR) {
        let v = pos + ANCHOR.len();
        let le = line_end(text, pos);
        if find_in(text, "protected branch", v, le).is_none() {
            continue;
        }
        let action = if at(text, v, "force push") {
            "force push"
        } else {
            "push"
        };
        let phrase = Span::new(pos, le);
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Registry,
            P_DETAIL,
        );
        h.provider = Some((Provider::Registry, Some(Span::new(pos, pos + 6)), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.action = Some((action.to_owned(), Some(phrase), P_DETAIL));
        h.fact_value("protectedBranch", "GitLab".to_owned(), phrase);
        let mut cur = le;
        for _ in 0..3 {
            let Some(n) = next_line(text, cur) else { break };
            let ne = line_end(text, n);
            // git's `error: failed to push some refs to '<url>'`, in any
            // language git speaks: the quoted value of its `error:` line.
            let url = if at(text, n, "To ") {
                Some(token(text, n + 3))
            } else if at(text, n, "error: ") {
                find_in(text, "'", n, ne).and_then(|q| quoted(text, q))
            } else {
                None
            };
            if let Some(u) = url.filter(|u| u.end > u.start) {
                Hit::set_str(&mut h.resource, text, u, P_DETAIL);
            }
            h.span.end = ne;
            cur = ne;
            if h.resource.is_some() {
                break;
            }
        }
        hits.push(h);
    }
}

/// Whether `pos` starts a field of a `: `-separated error chain (or a line).
fn chain_start(text: &str, pos: usize) -> bool {
    pos == 0
        || matches!(byte(text, pos - 1), b'\n' | b'"' | b'`' | b'\'')
        || (byte(text, pos - 1) == b' ' && byte(text, pos.wrapping_sub(2)) == b':')
        || (byte(text, pos - 1) == b' ' && line_start(text, pos) == pos - 1)
}

/// `unauthorized: authentication required`, `denied: requested access to the
/// resource is denied`, `toomanyrequests: ...`, `name unknown: ...` as Docker,
/// Podman and containerd print a registry's error.
fn oci_cli(text: &str, hosts: &Hosts, hits: &mut Vec<Hit>) {
    for (code, word, status, gate) in OCI_CODES {
        let anchor_len = word.len() + 2;
        // The same code again within the stretch the previous one covers is
        // one error chain (`denied: denied`), read once.
        let mut covered = 0;
        for pos in find_all(text, word) {
            if pos < covered || !at(text, pos + word.len(), ": ") || !chain_start(text, pos) {
                continue;
            }
            let msg = pos + anchor_len;
            let le = line_end(text, pos);
            let code_span = Span::new(pos, pos + word.len());
            let mut h = Hit::new(
                Span::new(line_start(text, pos), le),
                Provider::Registry,
                P_CODE,
            );
            h.provider = Some((Provider::Registry, Some(code_span), P_CODE));
            h.error_code = Some((word.to_owned(), Some(code_span), P_CODE));
            // Docker's `pull access denied for ...` wraps both a 401 and a 404:
            // the code does not settle the status there.
            let back = line_start(text, pos).max(pos.saturating_sub(256));
            if find_in(text, "pull access denied for ", back, pos).is_none() {
                h.http_status = Some(((status, false), Some(code_span), P_CODE));
            }
            // Docker's `errors:` list may end with the status it could not
            // read a body for: `error parsing HTTP 401 response body: ...`.
            if let Some(n) = next_line(text, le) {
                const EP: &str = "error parsing HTTP ";
                if at(text, n, EP) {
                    if let Some(st) = status_at(text, n + EP.len()) {
                        h.status(st, Span::new(n + EP.len(), n + EP.len() + 3));
                    }
                }
            }
            h.gate = Some((gate, Some(code_span), P_CODE));
            if status == 404 {
                h.fact_value("mayConceal", "403".to_owned(), code_span);
            }
            // Without a registry in sight, a lower-case `denied:` is only likely.
            let ls = line_start(text, pos);
            let known = MESSAGES.iter().any(|m| at(text, msg, m.0))
                || find_in(text, "daemon", ls.max(pos.saturating_sub(64)), pos).is_some()
                || hosts.within(ls, le).is_some();
            if !known {
                h.confidence = Some(Confidence::Likely);
            }
            h.fact_value("registryError", code.to_owned(), code_span);
            let reason = trim_trailing(text, Span::new(msg, le), b" .");
            if reason.end > reason.start {
                h.fact("reason", text, reason);
            }
            details(text, hosts, pos, msg, le, &mut h);
            covered = le;
            hits.push(h);
        }
    }
}

/// Messages Docker prints without a registry code before them: `no basic auth
/// credentials` (the daemon had no credentials for the registry that asked
/// for them, typically ECR before `docker login`), ECR's expired token, and
/// GitLab's `HTTP Basic: Access denied`.
const STANDALONE: [&str; 3] = [
    "no basic auth credentials",
    "Your authorization token has expired",
    "HTTP Basic: Access denied",
];

fn standalone(text: &str, hosts: &Hosts, hits: &mut Vec<Hit>) {
    for m in STANDALONE {
        for pos in find_all(text, m) {
            let ls = line_start(text, pos);
            let le = line_end(text, pos);
            // After a code, `oci_cli` reads it.
            let coded = OCI_CODES.iter().any(|c| {
                text.get(ls..pos)
                    .is_some_and(|b| b.trim_end().ends_with(&format!("{}:", c.1)))
            });
            if coded {
                continue;
            }
            let s = Span::new(pos, pos + m.len());
            let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
            h.provider = Some((Provider::Registry, Some(s), P_CODE));
            h.fact_value("registryError", "UNAUTHORIZED".to_owned(), s);
            details(text, hosts, pos, pos, le, &mut h);
            h.gate = Some((Gate::Authentication, Some(s), P_DETAIL));
            // git's own line after GitLab's: `fatal: Authentication failed
            // for '<url>'` names the repository.
            if let Some(n) = next_line(text, le) {
                let ne = line_end(text, n);
                const GIT: &str = "Authentication failed for ";
                // Some terminals print two blanks before the quote.
                if let Some(u) = find_in(text, GIT, n, ne)
                    .and_then(|f| quoted(text, skip_blank(text, f + GIT.len())))
                {
                    Hit::set_str(&mut h.resource, text, u, P_DETAIL);
                    h.span.end = ne;
                }
            }
            hits.push(h);
        }
    }
}

/// `{"errors":[{"code":"DENIED","message":"..."}]}`: the OCI distribution
/// error body.
fn oci_json(text: &str, hosts: &Hosts, hits: &mut Vec<Hit>) {
    for (code, _, status, gate) in OCI_CODES {
        for q in find_all(text, code) {
            if byte(text, q.wrapping_sub(1)) != b'"' || byte(text, q + code.len()) != b'"' {
                continue;
            }
            let ls = line_start(text, q);
            let before = text.get(ls.max(q.saturating_sub(16))..q).unwrap_or("");
            if !before.contains("\"code\"") {
                continue;
            }
            let le = line_end(text, q);
            let c = Span::new(q, q + code.len());
            let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_CODE);
            h.provider = Some((Provider::Registry, Some(c), P_CODE));
            h.error_code = Some((code.to_owned(), Some(c), P_CODE));
            h.http_status = Some(((status, false), Some(c), P_CODE));
            h.gate = Some((gate, Some(c), P_CODE));
            h.fact_value("registryError", code.to_owned(), c);
            if let Some(m) = find_in(text, "\"message\":", q, le) {
                if let Some(v) = quoted(text, skip_blank(text, m + 10)) {
                    details(text, hosts, q, v.start, v.end, &mut h);
                }
            }
            hits.push(h);
        }
    }
}

/// What the message after a registry code says: a message that settles the
/// gate, GHCR's missing permission, the URL or image it names.
fn details(text: &str, hosts: &Hosts, anchor: usize, msg: usize, le: usize, h: &mut Hit) {
    // The message follows the code directly.
    let _ = le;
    for (m, gate, provider) in MESSAGES {
        if at(text, msg, m) {
            let p = msg;
            let s = Span::new(p, p + m.len());
            h.gate = Some((gate, Some(s), P_DETAIL));
            if gate != Gate::Authorization {
                h.deny = None;
            }
            if let Some(pr) = provider {
                h.provider = Some((pr, Some(s), P_STRONG));
            }
            break;
        }
    }
    // GHCR: `denied: permission_denied: write_package`.
    const GHCR: &str = "permission_denied: ";
    if let Some(p) = Some(msg).filter(|&p| at(text, p, GHCR)) {
        let v = token(text, p + GHCR.len());
        if slice(text, v)
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_')
            && v.end > v.start
        {
            h.fact("permission", text, v);
        }
    }
    // `Get https://registry-1.docker.io/v2/x/manifests/latest: unauthorized: ...`,
    // `Head "https://ghcr.io/v2/...": denied: ...`.
    // The URL and the host stand just before the code.
    let ls = line_start(text, anchor).max(crate::scan::floor_boundary(
        text,
        anchor.saturating_sub(256),
    ));
    if let Some(u) =
        find_in(text, "https://", ls, anchor).or_else(|| find_in(text, "http://", ls, anchor))
    {
        let t = trim_trailing(text, token(text, u), b":\"'");
        Hit::set_str(&mut h.resource, text, t, P_GENERIC);
    }
    // `initiating layer upload to /v2/<name>/blobs/uploads/ in ghcr.io: denied`:
    // without a URL, the repository of the path.
    if h.resource.is_none() {
        if let Some(r) = v2_name(text, ls, anchor) {
            Hit::set_str(&mut h.resource, text, r, P_GENERIC);
        }
    }
    if let Some((s, provider)) = hosts.within(ls, line_end(text, anchor).min(anchor + 256)) {
        let prio = if provider == Provider::Registry {
            P_CODE
        } else {
            P_STRONG
        };
        h.provider = Some((provider, Some(s), prio));
    }
    chain_steps(text, anchor, h);
    command_before(text, ls, h);
    provider_of_resource(h);
}

/// The steps containers/image (skopeo, Podman, Buildah) names before a
/// registry's error, outermost first on the line: the action each stands for,
/// and where the image or repository stands after it (`None`: the step names
/// none).
const CHAIN_STEPS: [(&str, &str, Option<StepValue>); 8] = [
    ("error pushing image ", "push", Some(StepValue::Quoted)),
    (
        "Error copying image to the remote destination",
        "push",
        None,
    ),
    (
        "Error initializing image from source ",
        "pull",
        Some(StepValue::Token),
    ),
    ("initializing source ", "pull", Some(StepValue::Token)),
    ("reading manifest ", "pull", Some(StepValue::AfterIn)),
    ("writing blob", "push", None),
    (
        "initiating layer upload to ",
        "push",
        Some(StepValue::Token),
    ),
    (" exists in ", "push", Some(StepValue::Token)),
];

#[derive(Clone, Copy)]
enum StepValue {
    /// A quoted image right after the step.
    Quoted,
    /// A token right after the step.
    Token,
    /// The token after ` in ` (`reading manifest <tag> in <repository>`).
    AfterIn,
}

/// The action and the image of the error chain before `anchor`: on its line,
/// and on the line before when that one ends in Docker's `errors:`.
fn chain_steps(text: &str, anchor: usize, h: &mut Hit) {
    let mut from = line_start(text, anchor);
    if let Some(p) = from.checked_sub(1) {
        let prev = line_start(text, p);
        if text
            .get(prev..p)
            .is_some_and(|l| l.trim_end().ends_with("errors:"))
        {
            from = prev;
        }
    }
    let from = from.max(crate::scan::floor_boundary(
        text,
        anchor.saturating_sub(2048),
    ));
    // The outermost step (first in the text) decides the action; the
    // innermost that names an image decides the resource: it is what the
    // registry was asked for (`reading manifest test in docker.io/library/x`
    // rather than the `docker://x:test` the command named).
    let mut steps: Vec<(usize, &str, Option<StepValue>, usize)> = CHAIN_STEPS
        .iter()
        .filter_map(|&(m, a, v)| find_in(text, m, from, anchor).map(|p| (p, a, v, p + m.len())))
        .collect();
    crate::scan::sort_by_key(&mut steps, |s| (s.0, 0, 0));
    if let Some(&(p, a, _, e)) = steps.first() {
        if h.action.as_ref().map_or(true, |v| v.2 < P_DETAIL) {
            // Derived from the step, not read: no evidence span of its own.
            let _ = (p, e);
            h.action = Some((a.to_owned(), None, P_DETAIL));
        }
    }
    for &(_, _, v, e) in steps.iter().rev() {
        let span = match v {
            Some(StepValue::Quoted) => quoted(text, e),
            Some(StepValue::Token) => Some(trim_trailing(text, token(text, e), b":,")),
            Some(StepValue::AfterIn) => {
                let t = token(text, e);
                at(text, t.end, " in ").then(|| trim_trailing(text, token(text, t.end + 4), b":,"))
            }
            None => None,
        };
        if let Some(sp) = span.filter(|s| s.end > s.start) {
            if h.resource.as_ref().map_or(true, |r| r.2 < P_DETAIL) {
                Hit::set_str(&mut h.resource, text, sp, P_DETAIL);
            }
            break;
        }
    }
}

/// The registry's host in the image or repository the hit names: its provider.
fn provider_of_resource(h: &mut Hit) {
    if let Some((r, Some(rs), _)) = h.resource.clone() {
        for (host, provider) in REGISTRY_HOSTS {
            if let Some(i) = r.find(host) {
                let s = Span::new(rs.start + i, rs.start + i + host.len());
                let prio = if provider == Provider::Registry {
                    P_CODE
                } else {
                    P_STRONG
                };
                if h.provider.as_ref().map_or(true, |p| p.2 <= prio) {
                    h.provider = Some((provider, Some(s), prio));
                }
                break;
            }
        }
    }
}

/// `docker pull <image>` (or `push`, `podman`, `nerdctl`) on one of the three
/// lines above: the action and the image. `The push refers to repository [x]`
/// names the repository of a push.
fn command_before(text: &str, ls: usize, h: &mut Hit) {
    let mut cur = ls;
    // Up to twelve lines besides the layers Docker lists between the command
    // and the refusal (`5f70bf18a086: Preparing`), of which there may be dozens.
    let mut other = 0;
    for _ in 0..128 {
        // Only whole lines: `line_start` stops looking back after a while.
        if cur > 0 && byte(text, cur - 1) != b'\n' {
            return;
        }
        let Some(prev) = cur.checked_sub(1).map(|p| line_start(text, p)) else {
            return;
        };
        let pe = line_end(text, prev);
        let line = text
            .get(prev..pe)
            .unwrap_or("")
            .trim_start_matches([' ', '>']);
        let layer = line.len() > 14
            && line
                .as_bytes()
                .get(..12)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && line.get(12..14) == Some(": ");
        if !layer {
            other += 1;
            // A line holding another refusal belongs to an earlier error.
            let refusal = STANDALONE.iter().any(|m| line.contains(m))
                || OCI_CODES
                    .iter()
                    .any(|c| line.contains(&format!("{}: ", c.1)));
            if other > 12 || refusal {
                return;
            }
        }
        for tool in ["docker ", "podman ", "nerdctl "] {
            let Some(t) = find_in(text, tool, prev, pe) else {
                continue;
            };
            let verb = skip_blank(text, t + tool.len());
            for v in ["pull", "push"] {
                if at(text, verb, v) && byte(text, verb + 4) == b' ' {
                    let img = token(text, skip_blank(text, verb + 5));
                    Hit::set_str(&mut h.action, text, Span::new(verb, verb + 4), P_DETAIL);
                    Hit::set_str(&mut h.resource, text, img, P_DETAIL);
                    h.span.start = h.span.start.min(prev);
                    return;
                }
            }
        }
        if helm_command(text, prev, pe, h) {
            return;
        }
        // `The push refers to repository [x]` (older Docker: `to a repository`).
        let push = [
            "The push refers to repository [",
            "The push refers to a repository [",
        ]
        .iter()
        .find_map(|m| find_in(text, m, prev, pe).map(|p| (p, m.len())));
        if let Some((p, len)) = push {
            let r = p + len;
            if let Some(e) = find_in(text, "]", r, pe) {
                Hit::set_str(&mut h.action, text, Span::new(p + 4, p + 8), P_DETAIL);
                Hit::set_str(&mut h.resource, text, Span::new(r, e), P_DETAIL);
                h.span.start = h.span.start.min(prev);
                return;
            }
        }
        cur = prev;
    }
}

/// `helm pull <oci-ref>`, `helm install <release> <oci-ref>`, `helm push
/// <chart> <oci-ref>` (also as a container, `alpine/helm:3.13.0 pull ...`):
/// the action and the chart's OCI reference.
fn helm_command(text: &str, ls: usize, le: usize, h: &mut Hit) -> bool {
    let Some(t) = find_in(text, "helm", ls, le) else {
        return false;
    };
    let mut p = t + 4;
    // `helm:3.13.0` names the image of a containerised Helm.
    if byte(text, p) == b':' {
        p = token(text, p).end;
    }
    if byte(text, p) != b' ' || is_word(byte(text, t.wrapping_sub(1))) {
        return false;
    }
    let verb = token(text, skip_blank(text, p));
    let action = match slice(text, verb) {
        "push" => "push",
        "pull" | "install" | "upgrade" | "template" | "show" => "pull",
        _ => return false,
    };
    let Some(r) = find_in(text, "oci://", verb.end, le) else {
        return false;
    };
    let r = token(text, r);
    let shown = (slice(text, verb) == action).then_some(verb);
    h.action = Some((action.to_owned(), shown, P_DETAIL));
    // The chart reference the user typed, rather than the API path of the
    // step that failed.
    Hit::set_str(&mut h.resource, text, r, P_DETAIL);
    h.span.start = h.span.start.min(ls);
    true
}

/// What registry clients print when a registry answers with a status and no
/// error code they can read: containerd and BuildKit's `unexpected status from
/// PUT request to <url>: 403 Forbidden`, Docker's `error parsing HTTP 403
/// response body: ...`. The status is the text's; the repository is the one
/// the push names (`failed to push <ref>:`, `The push refers to repository
/// [x]`) or the `/v2/<name>/` path of the URL.
/// The token step of the same clients fails the same way: skopeo's `unable to
/// retrieve auth token: 401 unauthorized`, containerd's (and Helm's) `failed to
/// fetch anonymous token: unexpected status: 401 Unauthorized`.
/// Older Buildah: `Error initiating layer upload to /v2/<name>/blobs/uploads/,
/// status 401`.
const CLIENT_STATUS: [&str; 5] = [
    "unexpected status from ",
    "error parsing HTTP ",
    "unable to retrieve auth token: ",
    "token: unexpected status: ",
    "/blobs/uploads/, status ",
];

fn client_status(text: &str, hosts: &Hosts, hits: &mut Vec<Hit>) {
    for m in CLIENT_STATUS {
        for pos in find_all(text, m) {
            // Each look stays within 2 KiB of the phrase, so that many of them
            // on one long line cost linear time.
            let ls = line_start(text, pos)
                .max(crate::scan::floor_boundary(text, pos.saturating_sub(2048)));
            let le = line_end(text, pos).min(crate::scan::floor_boundary(text, pos + 2048));
            // The status: right after `error parsing HTTP `, or after the URL
            // of `unexpected status from <METHOD> request to <url>: `.
            let st = if !m.starts_with("unexpected") {
                Some(pos + m.len())
            } else {
                find_in(text, " request to ", pos, le)
                    .and_then(|r| find_in(text, ": ", r, le))
                    .map(|c| c + 2)
            };
            let Some(st) = st else { continue };
            let Some(status) = status_at(text, st).filter(|s| matches!(s, 401 | 403)) else {
                continue;
            };
            if is_word(byte(text, st + 3)) {
                continue;
            }
            let ss = Span::new(st, st + 3);
            let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
            h.provider = Some((
                Provider::Registry,
                Some(Span::new(pos, pos + m.len())),
                P_DETAIL,
            ));
            h.status(status, ss);
            if status == 401 {
                h.gate = Some((Gate::Authentication, Some(ss), P_DETAIL));
            } else {
                h.gate = Some((Gate::Authorization, Some(ss), P_DETAIL));
                h.deny = Some((DenyKind::Unknown, Some(ss), P_DETAIL));
            }
            chain_steps(text, pos, &mut h);
            if let Some(f) = find_in(text, "failed to push ", ls, pos) {
                let r = trim_trailing(text, token(text, f + 15), b":");
                Hit::set_str(&mut h.action, text, Span::new(f + 10, f + 14), P_DETAIL);
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
            } else if let Some(r) = v2_name(text, pos, le) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
            }
            if let Some((s, provider)) = hosts.within(ls, le) {
                h.provider = Some((provider, Some(s), P_STRONG));
            }
            command_before(text, ls, &mut h);
            provider_of_resource(&mut h);
            hits.push(h);
        }
    }
}

/// The repository of an OCI distribution path between `from` and `to`:
/// `/v2/<name>/manifests/...`, `/v2/<name>/blobs/...`, `/v2/<name>/tags/...`.
fn v2_name(text: &str, from: usize, to: usize) -> Option<Span> {
    let v = find_in(text, "/v2/", from, to)? + 4;
    let end = ["/manifests/", "/blobs/", "/tags/"]
        .iter()
        .filter_map(|k| find_in(text, k, v, to))
        .min()?;
    (end > v && !slice(text, Span::new(v, end)).contains(char::is_whitespace))
        .then(|| Span::new(v, end))
}

/// Docker's `pull access denied for <image>, repository does not exist or may
/// require 'docker login'`: Docker Hub answers the same for a repository that
/// does not exist and one the caller may not pull, so no status is implied.
fn pull_access(text: &str, hits: &mut Vec<Hit>) {
    const P: &str = "pull access denied for ";
    for pos in find_all(text, P) {
        let r = pos + P.len();
        let le = line_end(text, pos);
        let img = trim_trailing(text, token(text, r), b",");
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Registry,
            P_DETAIL,
        );
        let phrase = Span::new(pos, pos + P.len() - 5);
        // A registry that says why (ECR: `denied: User: ... is not authorized to
        // perform: ecr:BatchGetImage on resource: ...`) settles what Docker's
        // wording leaves open: its detail decides the request and the deny.
        let explained = text
            .get(pos..le)
            .is_some_and(|l| l.contains(" is not authorized to perform: "));
        let prio = if explained { P_GENERIC } else { P_DETAIL };
        h.provider = Some((Provider::Registry, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((
            DenyKind::Unknown,
            Some(phrase),
            if explained { P_GENERIC } else { P_STRONG },
        ));
        // Beats the `denied` code's implied 403: the text does not settle it.
        h.http_status = None;
        Hit::set_str(&mut h.action, text, Span::new(pos, pos + 4), prio);
        Hit::set_str(&mut h.resource, text, img, prio);
        if !explained {
            h.fact_value("mayConceal", "404".to_owned(), phrase);
        }
        hits.push(h);
    }
}

/// npm: `npm ERR! code E403` / `npm error code E401`, and npm-registry-fetch's
/// `<status> <status text> - <METHOD> <url> - <message>` line (npm Docs,
/// 'Common errors').
fn npm(text: &str, hits: &mut Vec<Hit>) {
    for (code, gate, status) in [
        ("E401", Gate::Authentication, 401),
        ("E403", Gate::Authorization, 403),
        ("E429", Gate::NotAuth, 429),
    ] {
        // Lerna and other wrappers print npm's code right after their own
        // `ERR!`: `lerna ERR! E403 Permission permission_denied: ...`.
        for lead in ["npm ERR! code ", "npm error code ", "ERR! "] {
            for pos in find_all(text, lead) {
                let c = pos + lead.len();
                if !at(text, c, code) || is_word(byte(text, c + 4)) {
                    continue;
                }
                let cs = Span::new(c, c + 4);
                let mut end = line_end(text, pos);
                // The lines npm prints after the code belong to it, across the
                // blank line old npm versions leave before the message.
                let mut n = 0;
                let mut cur = end;
                while let Some(l) = next_line(text, cur) {
                    n += 1;
                    let le = line_end(text, l);
                    if n > 20 {
                        break;
                    }
                    if slice(text, Span::new(l, le)).trim().is_empty() {
                        cur = le;
                        continue;
                    }
                    if !(at(text, l, "npm ERR!") || at(text, l, "npm error"))
                        || at(text, l, "npm ERR! code ")
                        || at(text, l, "npm error code ")
                    {
                        break;
                    }
                    end = le;
                    cur = le;
                }
                let mut h = Hit::new(Span::new(pos, end), Provider::Registry, P_CODE);
                h.provider = Some((Provider::Registry, Some(cs), P_CODE));
                h.error_code = Some((code.to_owned(), Some(cs), P_CODE));
                h.gate = Some((gate, Some(cs), P_CODE));
                h.http_status = Some(((status, false), Some(cs), P_CODE));
                h.fact_value("registryError", code.to_owned(), cs);
                hits.push(h);
            }
        }
    }
    const METHODS: [&str; 6] = ["GET ", "PUT ", "POST ", "DELETE ", "PATCH ", "HEAD "];
    for (phrase, status, gate) in [
        (" Forbidden - ", 403u16, Gate::Authorization),
        (" Unauthorized - ", 401, Gate::Authentication),
        (" Too Many Requests - ", 429, Gate::NotAuth),
    ] {
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
            let st_span = Span::new(st, st + 3);
            let le = line_end(text, pos);
            let mut h = Hit::new(Span::new(st, le), Provider::Registry, P_GENERIC);
            h.status(status, st_span);
            h.gate = Some((gate, Some(st_span), P_GENERIC));
            let url = token(text, ms + m.len());
            Hit::set_str(&mut h.resource, text, url, P_GENERIC);
            if !slice(text, url).contains("npm")
                && find_in(text, "npm ", line_start(text, pos), pos).is_none()
            {
                h.provider = Some((Provider::Http, None, P_GENERIC));
            } else if let Some(a) = npm_action(m).filter(|_| gate != Gate::NotAuth) {
                // The registry API's methods: a PUT of a package document is
                // `npm publish`, a GET fetches it for `npm install`, a DELETE
                // unpublishes (npm registry API, 'package endpoints').
                h.action = Some((a.to_owned(), None, P_GENERIC));
            }
            hits.push(h);
        }
    }
}

/// Whether the finding is npm's: its `E4xx` codes or the npm commands.
fn is_npm(f: &Finding) -> bool {
    f.error_code
        .as_deref()
        .is_some_and(|c| c.len() == 4 && c.starts_with("E4"))
        || matches!(f.action.as_deref(), Some("publish" | "unpublish"))
}

/// The npm command a registry method stands for.
fn npm_action(method: &str) -> Option<&'static str> {
    match method.trim_end() {
        "PUT" => Some("publish"),
        "GET" => Some("install"),
        "DELETE" => Some("unpublish"),
        _ => None,
    }
}

/// npm's own sentence, old and new: `you do not have permission to publish
/// "NAME". Are you logged in as the correct user?`: the package named is the
/// resource, publishing the action.
fn npm_publish(text: &str, hits: &mut Vec<Hit>) {
    for lead in [
        "you do not have permission to publish ",
        "You do not have permission to publish ",
    ] {
        for pos in find_all(text, lead) {
            let q = pos + lead.len();
            let Some(name) = quoted(text, q) else {
                continue;
            };
            let s = Span::new(pos, pos + lead.len());
            let mut h = Hit::new(
                Span::new(line_start(text, pos), line_end(text, pos)),
                Provider::Registry,
                P_DETAIL,
            );
            h.provider = Some((Provider::Registry, Some(s), P_DETAIL));
            h.gate = Some((Gate::Authorization, Some(s), P_DETAIL));
            h.action = Some(("publish".to_owned(), Some(s), P_DETAIL));
            Hit::set_str(&mut h.resource, text, name, P_DETAIL);
            hits.push(h);
        }
    }
}

/// PyPI's upload refusals as twine prints them: `HTTPError: 403 Forbidden from
/// https://upload.pypi.org/legacy/` and the reason on the next line.
fn pypi(text: &str, hits: &mut Vec<Hit>) {
    pypi_wrapped(text, hits);
    for (m, gate, _) in MESSAGES {
        if !(m.starts_with("Invalid or non-existent")
            || m.starts_with("Invalid API Token")
            || m.starts_with("isn't allowed"))
        {
            continue;
        }
        // The previous copy of this message, if it was read here.
        let mut last: Option<usize> = None;
        for pos in find_all(text, m) {
            let ls = line_start(text, pos);
            let le = line_end(text, pos);
            let s = Span::new(pos, pos + m.len());
            let mut h = Hit::new(Span::new(ls, le), Provider::Registry, P_DETAIL);
            h.provider = Some((Provider::Registry, Some(s), P_DETAIL));
            h.gate = Some((gate, Some(s), P_DETAIL));
            h.http_status = Some(((403, false), Some(s), P_GENERIC));
            if gate == Gate::Authorization {
                // `The user 'x' isn't allowed to upload to project 'y'.`
                if let Some(u) = find_in(text, "The user ", ls, pos) {
                    if let Some(q) = quoted(text, u + 9) {
                        Hit::set_str(&mut h.principal, text, q, P_DETAIL);
                    }
                }
                if let Some(q) = quoted(text, skip_blank(text, pos + m.len())) {
                    Hit::set_str(&mut h.resource, text, q, P_DETAIL);
                }
                h.action = Some(("upload".to_owned(), None, P_DETAIL));
            }
            // The status line twine prints just above.
            if let Some(prev) = ls.checked_sub(1).map(|p| line_start(text, p)) {
                if let Some(f) = find_in(text, " Forbidden from ", prev, ls) {
                    h.span.start = prev;
                    if let Some(st) = status_at(text, f.saturating_sub(3)) {
                        h.status(st, Span::new(f - 3, f));
                    }
                    // The project the reason names is what was refused;
                    // the upload URL only where the reason names none.
                    if h.resource.is_none() {
                        let u = trim_trailing(text, token(text, f + 16), b".");
                        Hit::set_str(&mut h.resource, text, u, P_GENERIC);
                    }
                }
            }
            // Twine's `--verbose` prints the response page (its title, its
            // heading, its text) before its own `HTTPError` line: one
            // refusal, read once, with what the last copy adds.
            let page = |p: &Hit| {
                p.span.end <= h.span.start
                    && h.span.start - p.span.end < 1024
                    && (text
                        .get(p.span.start..p.span.end)
                        .is_some_and(|l| l.contains('<'))
                        || find_in(text, "</html>", p.span.end, h.span.start).is_some())
            };
            if let Some(prev) = last.and_then(|i| hits.get_mut(i)).filter(|p| page(p)) {
                h.span.start = prev.span.start;
                if h.resource.is_none() {
                    h.resource = prev.resource.take();
                }
                *prev = h;
                continue;
            }
            last = Some(hits.len());
            hits.push(h);
        }
    }
}

/// PyPI's reason as twine prints it in a narrow terminal, one or two words
/// per padded line (`Invalid or           \n         non-existent ...`):
/// the same words with any run of blanks and line breaks between them.
fn pypi_wrapped(text: &str, hits: &mut Vec<Hit>) {
    const WORD: &str = "non-existent";
    for pos in find_all(text, WORD) {
        // The one-line form is read by `pypi`.
        if at(text, pos.saturating_sub(11), "Invalid or ") {
            continue;
        }
        let Some(start) = words_before(text, pos, &["Invalid", "or"]) else {
            continue;
        };
        let Some(end) = words_after(text, pos + WORD.len(), &["authentication", "information"])
        else {
            continue;
        };
        let s = Span::new(start, end);
        let mut h = Hit::new(
            Span::new(line_start(text, start), line_end(text, end)),
            Provider::Registry,
            P_DETAIL,
        );
        h.provider = Some((Provider::Registry, Some(s), P_DETAIL));
        h.gate = Some((Gate::Authentication, Some(s), P_DETAIL));
        h.http_status = Some(((403, false), Some(s), P_GENERIC));
        // Twine's `HTTPError: 403 ... Forbidden from <url>` a few lines above
        // is the same refusal.
        let mut ls = line_start(text, start);
        for _ in 0..8 {
            let Some(prev) = ls.checked_sub(1).map(|p| line_start(text, p)) else {
                break;
            };
            if find_in(text, "HTTPError: ", prev, ls).is_some() {
                h.span.start = prev;
                break;
            }
            ls = prev;
        }
        hits.push(h);
    }
}

/// Where `words` start when they stand, in order and separated by blanks or
/// line breaks, right before `pos`. Looks back at most 64 bytes per gap.
fn words_before(text: &str, pos: usize, words: &[&str]) -> Option<usize> {
    let mut p = pos;
    for w in words.iter().rev() {
        let mut q = p;
        while q > 0 && p - q < 64 && byte(text, q - 1).is_ascii_whitespace() {
            q -= 1;
        }
        if q == p || q < w.len() || !at(text, q - w.len(), w) {
            return None;
        }
        p = q - w.len();
    }
    Some(p)
}

/// Where `words` end when they follow `pos`, in order, separated by blanks or
/// line breaks. Looks ahead at most 64 bytes per gap.
fn words_after(text: &str, pos: usize, words: &[&str]) -> Option<usize> {
    let mut p = pos;
    for w in words {
        let mut q = p;
        while q - p < 64 && byte(text, q).is_ascii_whitespace() {
            q += 1;
        }
        if q == p || !at(text, q, w) {
            return None;
        }
        p = q + w.len();
    }
    Some(p)
}

/// A registry's host on a line joins whatever denial that line holds
/// (Maven's `status code: 401` for an Artifactory URL), as its provider.
fn host_lines(text: &str, hits: &mut Vec<Hit>) {
    for (host, provider) in REGISTRY_HOSTS {
        if provider != Provider::Registry {
            continue;
        }
        for pos in find_all(text, host) {
            let s = Span::new(pos, pos + host.len());
            let mut h = Hit::new(
                Span::new(line_start(text, pos), line_end(text, pos)),
                provider,
                P_CODE,
            );
            h.provider = Some((provider, Some(s), P_CODE));
            h.support = true;
            hits.push(h);
        }
    }
}

/// The S3-compatible service a text names, if any: a host from
/// [`S3_COMPATIBLE`], or a `<HostId>` MinIO fills with a SHA-256 of its node's
/// name (64 hex digits; AWS's is base64), or a `<RequestId>` of 19 or more
/// decimal digits (a nanosecond clock, which Tigris uses; S3's request ids
/// are 16 characters of hex).
fn s3_tell(text: &str, from: usize, to: usize) -> Option<(Span, &'static str)> {
    for (host, name) in S3_COMPATIBLE {
        let found = if matches!(host, "minio" | "wasabi") {
            find_ci_in(text, host, from, to)
        } else {
            find_in(text, host, from, to)
        };
        if let Some(p) = found {
            return Some((Span::new(p, p + host.len()), name));
        }
    }
    if let Some(v) = xml_tag(text, from, to, "HostId") {
        let s = slice(text, v);
        if s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Some((v, "MinIO"));
        }
    }
    if let Some(v) = xml_tag(text, from, to, "RequestId") {
        let s = slice(text, v);
        if s.len() >= 19 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Some((v, "an S3-compatible service"));
        }
        // Ceph's RADOS Gateway (behind DigitalOcean Spaces, Linode Object
        // Storage and many private clouds) numbers requests `tx` + hex + `-`.
        if s.starts_with("tx0000") && s.contains('-') {
            return Some((v, "a Ceph-based S3-compatible service"));
        }
    }
    None
}

/// The content of `<tag>...</tag>` between `from` and `to`.
/// S3-style XML errors from services that are not AWS. The body is read here
/// (with or without its `<Error>` wrapper) and the service named as provider
/// with the strongest priority, so that AWS's reading of the same `<Code>`
/// does not send the reader to IAM. A line naming such a host joins the
/// denial on it the same way.
fn s3_compatible(text: &str, hits: &mut Vec<Hit>) {
    let mut covered = 0;
    for pos in find_all(text, "<Code>") {
        // A `<Code>` inside the block just read is part of it.
        if pos < covered {
            continue;
        }
        // The XML block: from `<Error>` to `</Error>` when both are near,
        // else the lines around that start with `<`.
        let floor = crate::scan::floor_boundary(text, pos.saturating_sub(1024));
        let open = text
            .get(floor..pos)
            .and_then(|b| b.rfind("<Error>"))
            .map(|i| floor + i);
        let close = find_in(text, "</Error>", pos, pos + 4096);
        if let (Some(open), Some(close)) = (open, close) {
            covered = close + "</Error>".len();
            s3_xml(text, pos, Span::new(open, covered), hits);
            continue;
        }
        let mut start = line_start(text, pos);
        for _ in 0..8 {
            if start > 0 && byte(text, start - 1) != b'\n' {
                break;
            }
            let Some(prev) = start.checked_sub(1).map(|p| line_start(text, p)) else {
                break;
            };
            if byte(text, skip_blank(text, prev)) != b'<' {
                break;
            }
            start = prev;
        }
        let mut end = line_end(text, pos);
        let mut n = 0;
        while let Some(l) = next_line(text, end) {
            n += 1;
            if n > 30 || byte(text, skip_blank(text, l)) != b'<' {
                break;
            }
            end = line_end(text, l);
        }
        covered = end.max(pos + 1);
        s3_xml(text, pos, Span::new(start, end), hits);
    }
    // A host on a line of its own error (an SDK's message with the endpoint),
    // and MinIO's `Server: MinIO` response header.
    for (host, name) in S3_COMPATIBLE {
        if matches!(host, "minio" | "wasabi") {
            continue;
        }
        for pos in find_all(text, host) {
            s3_support(text, Span::new(pos, pos + host.len()), name, hits);
        }
    }
    for pos in find_all(text, "Server: MinIO") {
        s3_support(text, Span::new(pos + 8, pos + 13), "MinIO", hits);
    }
    oss_sdk(text, hits);
}

/// Alibaba Cloud OSS SDKs' error forms, which name the service by
/// themselves: Go SDK v2's `Error returned by Service.` followed by `Http
/// Status Code: 403.`, `Error Code: AccessDenied.`, `Message: ...`, `Request
/// Endpoint: POST https://...aliyuncs.com/...` lines, and Go SDK v1's `oss:
/// service returned error: StatusCode=403, ErrorCode=AccessDenied, ...`.
fn oss_sdk(text: &str, hits: &mut Vec<Hit>) {
    const V2: &str = "Error returned by Service.";
    for pos in find_all(text, V2) {
        let tell = Span::new(pos, pos + V2.len());
        let mut h = Hit::new(
            Span::new(line_start(text, pos), line_end(text, pos)),
            Provider::S3Compatible,
            P_STRONG,
        );
        let mut end = line_end(text, pos);
        let mut n = 0;
        while let Some(l) = next_line(text, end) {
            n += 1;
            let e = line_end(text, l);
            let line = text.get(l..e).unwrap_or("");
            if n > 12 || !line.contains(": ") {
                break;
            }
            let p = skip_blank(text, l);
            for (label, what) in [
                ("Http Status Code: ", 0),
                ("Error Code: ", 1),
                ("Request Endpoint: ", 2),
            ] {
                if !crate::scan::at(text, p, label) {
                    continue;
                }
                let v = p + label.len();
                match what {
                    0 => {
                        if let Some(st) = status_at(text, v) {
                            h.status(st, Span::new(v, v + 3));
                        }
                    }
                    1 => {
                        let c = trim_trailing(text, token(text, v), b".");
                        h.code(text, c, P_CODE);
                    }
                    _ => {
                        if let Some(u) = find_in(text, "http", v, e) {
                            Hit::set_str(
                                &mut h.resource,
                                text,
                                trim_trailing(text, token(text, u), b"."),
                                P_GENERIC,
                            );
                        }
                    }
                }
            }
            end = e;
        }
        h.span.end = end;
        h.provider = Some((Provider::S3Compatible, Some(tell), P_STRONG));
        h.fact_value("service", "Alibaba Cloud OSS".to_owned(), tell);
        hits.push(h);
    }
    const V1: &str = "oss: service returned error: ";
    for pos in find_all(text, V1) {
        let le = line_end(text, pos);
        let tell = Span::new(pos, pos + 3);
        let mut h = Hit::new(Span::new(pos, le), Provider::S3Compatible, P_STRONG);
        h.provider = Some((Provider::S3Compatible, Some(tell), P_STRONG));
        h.fact_value("service", "Alibaba Cloud OSS".to_owned(), tell);
        if let Some(c) = find_in(text, "ErrorCode=", pos, le) {
            let c = trim_trailing(text, token(text, c + 10), b",");
            h.code(text, c, P_CODE);
            h.provider = Some((Provider::S3Compatible, Some(tell), P_STRONG));
        }
        hits.push(h);
    }
}

/// A line naming an S3-compatible service: it names the provider of whatever
/// denial the line holds, and alone is nothing.
fn s3_support(text: &str, s: Span, name: &'static str, hits: &mut Vec<Hit>) {
    // The error bodies an SDK prints on the next lines (the AWS SDK for PHP
    // repeats the XML after the code) belong to the same response.
    let mut end = line_end(text, s.start);
    for _ in 0..3 {
        let Some(l) = next_line(text, end) else {
            break;
        };
        let e = line_end(text, l);
        if find_in(text, "<Error>", l, e).is_none() && find_in(text, "<Code>", l, e).is_none() {
            break;
        }
        end = e;
    }
    let mut h = Hit::new(
        Span::new(line_start(text, s.start), end),
        Provider::S3Compatible,
        P_STRONG,
    );
    h.provider = Some((Provider::S3Compatible, Some(s), P_STRONG));
    h.fact_value("service", name.to_owned(), s);
    h.support = true;
    hits.push(h);
}

/// The S3-style error body `block` (its `<Code>` at `pos`), when the block
/// names a service that is not AWS.
fn s3_xml(text: &str, pos: usize, block: Span, hits: &mut Vec<Hit>) {
    let (start, end) = (block.start, block.end);
    let Some((tell, name)) = s3_tell(text, start, end) else {
        return;
    };
    let Some(code) = xml_tag(text, pos, end, "Code") else {
        return;
    };
    if super::code_info(slice(text, code)).is_none() {
        return;
    }
    let mut h = Hit::new(Span::new(start, end), Provider::S3Compatible, P_CODE);
    h.code(text, code, P_CODE);
    h.provider = Some((Provider::S3Compatible, Some(tell), P_STRONG));
    h.fact_value("service", name.to_owned(), tell);
    if let Some(r) = xml_tag(text, start, end, "RequestId") {
        h.fact("requestId", text, r);
    }
    if let Some(r) = xml_tag(text, start, end, "Resource") {
        Hit::set_str(&mut h.resource, text, r, P_CODE);
    }
    if let Some(m) = xml_tag(text, start, end, "Message") {
        // Alibaba Cloud OSS, like S3, answers an expired presigned URL with
        // `AccessDenied` / `Request has expired.`, `<Expires>` and
        // `<ServerTime>`: the signature is no longer valid.
        if slice(text, m)
            .trim_start()
            .starts_with("Request has expired")
        {
            expired_presigned(text, start, end, m, &mut h);
        }
    }
    hits.push(h);
}

// --- Advice --------------------------------------------------------------------

/// Whether the registry advice applies to `f`: a registry's or an
/// S3-compatible service's finding, or a cloud registry's (ECR) error.
pub(crate) fn applies(f: &Finding) -> bool {
    matches!(f.provider, Provider::Registry | Provider::S3Compatible)
        || f.facts.iter().any(|x| x.key == "registryError")
}

fn fact<'a>(f: &'a Finding, key: &str) -> Option<&'a str> {
    f.facts
        .iter()
        .find(|x| x.key == key)
        .map(|x| x.value.as_str())
}

/// The advice for registry and S3-compatible findings: id, stage, text, and
/// which findings it is for.
const ADVICE: [(Topic, &str, Stage, &str); 19] = [
    (Topic::Maven, "registry.maven-credentials", Stage::Fix,
     "The Maven repository wants credentials Gradle did not send, or did not accept them: give the `maven { url ... }` repository a `credentials { username ...; password ... }` block (from `gradle.properties` or the environment, not the build file). GitHub Packages needs a token with `read:packages` even for public packages; JitPack needs its auth token for private repositories (Gradle User Manual, 'Declaring repositories': supported repository transport protocols)."),
    (Topic::GitProtected, "registry.gitlab-protected-branch", Stage::Diagnose,
     "The branch is protected: GitLab lets only the roles its protection names push to it (Maintainers by default) and refuses force pushes unless the protection allows them. See Settings, Repository, Protected branches (GitLab Docs, 'Protected branches')."),
    (Topic::GitProtected, "registry.gitlab-merge-request", Stage::Fix,
     "Push to a new branch and open a merge request; rewrite history on a protected branch only if a Maintainer lets force pushes through for it (or unprotects it for the change and protects it again)."),
    (Topic::Login, "registry.login", Stage::Fix,
     "Log in to the registry the image lives on, with the registry's host name: `docker login <registry>` (Docker Hub needs no host). Use an access token rather than the account password where the registry offers one; stale credentials in `~/.docker/config.json` or a credential helper are sent even to public images, and `docker logout <registry>` clears them (Docker Docs, 'docker login')."),
    (Topic::Login, "registry.verify-login", Stage::Verify,
     "Repeat the pull or push; `docker login` printing 'Login Succeeded' shows the credentials are accepted, and a `denied` afterwards is a permission problem, not a login one."),
    (Topic::Ecr, "registry.ecr-login", Stage::Fix,
     "Log in to Amazon ECR again: `aws ecr get-login-password --region <region> | docker login --username AWS --password-stdin <account>.dkr.ecr.<region>.amazonaws.com`. The token is valid for 12 hours; the AWS identity that fetches it also needs `ecr:GetAuthorizationToken` and the repository's pull or push actions (Amazon ECR User Guide, 'Private registry authentication')."),
    (Topic::Denied, "registry.repository-access", Stage::Diagnose,
     "The registry knows who you are and refused the action on this repository. Check the repository name first (on Docker Hub the namespace must be your user or an organization you belong to), then that the account or token has the role the action needs: pull needs read, push needs write."),
    (Topic::Denied, "registry.token-scopes", Stage::Fix,
     "Grant the missing access: on Docker Hub an access token with Read & Write for push, or membership in a team with write access; on GitLab a token with `read_registry` / `write_registry`; on Artifactory a permission target that covers the repository."),
    (Topic::Ghcr, "registry.ghcr-packages", Stage::Fix,
     "GitHub Container Registry: a classic personal access token needs `write:packages` to push and `read:packages` to pull private images; in GitHub Actions, give the job `permissions: packages: write` and, for an existing package, add the repository under the package's 'Manage Actions access' settings (GitHub Docs, 'Working with the Container registry': https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry)."),
    (Topic::PullConcealed, "registry.pull-name", Stage::Diagnose,
     "Docker answers 'pull access denied ... repository does not exist or may require docker login' both for an image that does not exist and for a private one: check the spelling of the image and its namespace first (official images have none, `nginx`; others are `<user-or-org>/<name>`), then log in if the repository is private."),
    (Topic::RateLimit, "registry.rate-limit", Stage::Diagnose,
     "This is the registry's rate limit, not an access decision: Docker Hub limits anonymous pulls per IP address and authenticated pulls per account. Log in (a higher limit), pull through a mirror or cache, or wait; the `ratelimit-remaining` response header shows what is left (Docker Docs, 'Docker Hub usage and limits')."),
    (Topic::Npm, "registry.npm-auth", Stage::Fix,
     "npm: E401 means the registry did not accept the token in `.npmrc` (missing, expired, or for another registry): run `npm login` or set `//registry.npmjs.org/:_authToken`. E403 on publish means the account may not publish this name: the package or its scope belongs to someone else, the organization has not given you write access, or the package requires a one-time password (`--otp`) (npm Docs, 'Common errors')."),
    (Topic::Pypi, "registry.pypi-token", Stage::Fix,
     "PyPI: upload with an API token, user name `__token__` and the token (with its `pypi-` prefix) as password; passwords are not accepted. A token scoped to a project only uploads that project, and a new project needs an account-wide token or a trusted publisher (PyPI Help, 'Invalid or non-existent authentication information')."),
    (Topic::S3Compatible, "s3compat.not-iam", Stage::Diagnose,
     "This service speaks the S3 API but is not AWS: IAM policies, SCPs and bucket policies in AWS have no effect on it. Its own access keys and permissions decide: Cloudflare R2 API tokens (Object Read or Read & Write, per bucket), MinIO user and group policies (`mc admin policy`), Alibaba Cloud RAM policies and bucket ACLs for OSS, Backblaze application key capabilities."),
    (Topic::S3Compatible, "s3compat.endpoint", Stage::Diagnose,
     "Check the client's endpoint, region and addressing: the endpoint must be the service's (for example `https://<account>.r2.cloudflarestorage.com`), the region the one it expects (`auto` for R2), and many services need path-style addressing and Signature Version 4. A key used against the wrong endpoint fails as a bad signature or an unknown key."),
    (Topic::S3Compatible, "s3compat.verify", Stage::Verify,
     "Repeat the request with the service's own command-line tool or console to separate a key problem from a client configuration problem."),
    (Topic::S3Expired, "s3compat.presigned-expired", Stage::Fix,
     "The presigned URL has expired: `<Expires>` is before `<ServerTime>`. Generate a new URL with a validity long enough for the download, and check that the clock of the machine that signs URLs is right."),
    (Topic::NameUnknown, "registry.name-unknown", Stage::Diagnose,
     "The registry does not know this repository name, or hides it from this caller: check the name and the registry host, then whether the account may see the repository."),
    (Topic::Denied, "registry.verify", Stage::Verify,
     "Repeat the pull or push after the change; on registries that issue short-lived tokens, log in again so the new token carries the new access."),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    Maven,
    GitProtected,
    Login,
    Ecr,
    Denied,
    Ghcr,
    PullConcealed,
    RateLimit,
    Npm,
    Pypi,
    S3Compatible,
    S3Expired,
    NameUnknown,
}

fn topics(f: &Finding) -> Vec<Topic> {
    let code = fact(f, "registryError").unwrap_or("");
    let mut t = Vec::new();
    if fact(f, "packageClient") == Some("Gradle") {
        return vec![Topic::Maven];
    }
    if fact(f, "protectedBranch").is_some() {
        return vec![Topic::GitProtected];
    }
    if f.provider == Provider::S3Compatible {
        t.push(Topic::S3Compatible);
        if fact(f, "reason").is_some_and(|r| r.starts_with("Request has expired")) {
            t.push(Topic::S3Expired);
        }
        return t;
    }
    let ghcr = f.resource.as_deref().is_some_and(|r| r.contains("ghcr.io"))
        || fact(f, "permission").is_some()
        || fact(f, "reason").is_some_and(|r| r.contains("organization package"));
    if code.starts_with('E') {
        t.push(Topic::Npm);
    } else if f.provider == Provider::Aws {
        t.push(Topic::Ecr);
    } else {
        match f.gate {
            Gate::Authentication => t.push(Topic::Login),
            Gate::NotAuth => t.push(Topic::RateLimit),
            Gate::Unknown => t.push(Topic::NameUnknown),
            _ => {
                if fact(f, "mayConceal") == Some("404") {
                    t.push(Topic::PullConcealed);
                }
                t.push(Topic::Denied);
            }
        }
    }
    if ghcr {
        t.push(Topic::Ghcr);
    }
    if f.resource
        .as_deref()
        .is_some_and(|r| r.contains("pypi.org"))
    {
        t = vec![Topic::Pypi];
    }
    t
}

/// The checklist items for a registry or S3-compatible finding.
pub(crate) fn checklist(f: &Finding, add: &mut dyn FnMut(&str, Stage, String)) {
    for topic in topics(f) {
        for (t, id, stage, text) in ADVICE {
            if t == topic {
                add(id, stage, text.to_owned());
            }
        }
    }
}

/// One sentence for a registry or S3-compatible finding.
pub(crate) fn summary(f: &Finding) -> String {
    let code_span = super::checklist::code_span;
    let name = match f.provider {
        Provider::S3Compatible => fact(f, "service").map_or_else(
            || "The storage service".to_owned(),
            |s| {
                // The table's names start a sentence: `a Ceph-based ...`.
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            },
        ),
        Provider::Aws => "Amazon ECR".to_owned(),
        _ => "The registry".to_owned(),
    };
    let what = match (f.action.as_deref(), f.resource.as_deref()) {
        (Some(a), Some(r)) => format!(" to {} {}", code_span(a), code_span(r)),
        (None, Some(r)) => format!(" on {}", code_span(r)),
        (Some(a), None) => format!(" to {}", code_span(a)),
        (None, None) => String::new(),
    };
    let code = f
        .error_code
        .as_deref()
        .map_or_else(String::new, |c| format!(" ({})", code_span(c)));
    if fact(f, "protectedBranch").is_some() {
        return format!(
            "GitLab refused to {} to a protected branch{}: the branch's protection decides who may push and whether force pushes are allowed; write access to the repository is not enough",
            f.action.as_deref().unwrap_or("push"),
            f.resource.as_deref().map_or_else(String::new, |r| format!(" of {}", code_span(r))),
        );
    }
    match f.gate {
        Gate::Authentication if f.provider == Provider::S3Compatible && fact(f, "reason").is_some() => {
            format!("{name} refused the request{code}: the presigned URL has expired; this is not AWS, so IAM is not involved")
        }
        Gate::Authentication => format!("{name} could not authenticate the request{what}{code}: the credentials were missing, wrong or expired"),
        Gate::NotAuth => format!("{name} refused the request{what}{code} because of a rate limit: this is not an access decision"),
        Gate::Unknown => format!("{name} does not know the repository{what}{code}, or hides it from this caller"),
        _ if fact(f, "mayConceal") == Some("404") => format!("The registry refused the request{what}: the repository does not exist or the caller may not pull it (Docker does not say which)"),
        _ if f.provider == Provider::S3Compatible => format!("{name} denied the request{what}{code}; this is not AWS, so the service's own keys and permissions decide, not IAM"),
        // OCI distribution's DENIED is the access controller's refusal; Docker Hub
        // also answers it to a push made without `docker login`, so the account
        // it saw may be none.
        _ if is_npm(f) => format!("{name} denied the request{what}{code}: the account it saw may not do this with the package (or it saw none: check `npm login` or the token in `.npmrc` for this registry), or the name or its scope belongs to another owner"),
        _ => format!("{name} denied the request{what}{code}: the account it saw may not do this on the repository (or it saw none: check the login for this registry, `docker login` for an image), or the repository is in a namespace that account does not own"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // npm's code after a wrapper's own `ERR!` (lerna). Real:
    // https://github.com/algoan/nestjs-components/pull/829.
    #[test]
    fn npm_codes_after_a_wrappers_err() {
        let (found, _) = super::super::find("lerna WARN notice Package failed to publish: @algoan/nestjs-custom-decorators\nlerna ERR! E403 Permission permission_denied: The token provided does not match expected scopes.\nlerna ERR! errno \"undefined\" is not a valid exit code - exiting with code 1\nError: Process completed with exit code 1.");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].error_code.as_deref(), Some("E403"));
        assert_eq!(found[0].gate, crate::model::Gate::Authorization);
    }

    /// OCI distribution specification, 'Error Codes' table, and the Docker
    /// Registry HTTP API V2 statuses: UNAUTHORIZED (401) "authentication
    /// required", DENIED (403) "requested access to the resource is denied",
    /// NAME_UNKNOWN (404) "repository name not known to registry",
    /// TOOMANYREQUESTS (429) "too many requests".
    #[test]
    fn oci_error_codes_from_the_specification() {
        let cases = [
            (
                "UNAUTHORIZED",
                "authentication required",
                401,
                Gate::Authentication,
            ),
            (
                "DENIED",
                "requested access to the resource is denied",
                403,
                Gate::Authorization,
            ),
            (
                "NAME_UNKNOWN",
                "repository name not known to registry",
                404,
                Gate::Unknown,
            ),
            ("TOOMANYREQUESTS", "too many requests", 429, Gate::NotAuth),
        ];
        for (code, message, status, gate) in cases {
            let t = format!("{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"{message}\",\"detail\":null}}]}}");
            let f = one(&t);
            assert_eq!(f.provider, Provider::Registry, "{t}");
            assert_eq!(f.error_code.as_deref(), Some(code));
            assert_eq!(f.http_status, Some(status), "{t}");
            assert_eq!(f.gate, gate, "{t}");
        }
    }

    #[test]
    fn docker_cli_forms() {
        // Constructed from the documented format: Docker prints the OCI code in
        // lower case before the message.
        let t = "Error response from daemon: unauthorized: authentication required";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Registry, Gate::Authentication, Some(401))
        );
        assert_eq!(f.confidence, Confidence::Certain);
        let t = "The push refers to repository [docker.io/acme/app]\n5f70bf18a086: Preparing\ndenied: requested access to the resource is denied";
        let f = one(t);
        assert_eq!(f.action.as_deref(), Some("push"));
        assert_eq!(f.resource.as_deref(), Some("docker.io/acme/app"));
        assert_eq!(f.gate, Gate::Authorization);
        assert!(super::super::find("bash: /x: Permission denied: y")
            .0
            .is_empty());
    }

    #[test]
    fn ecr_expired_token_is_aws_authentication() {
        // Amazon ECR User Guide, 'Troubleshooting': "denied: Your authorization
        // token has expired. Reauthenticate and try again."
        let t = "denied: Your authorization token has expired. Reauthenticate and try again.";
        let f = one(t);
        assert_eq!(f.provider, Provider::Aws);
        assert_eq!(f.gate, Gate::Authentication);
        let r = crate::explain(t);
        assert!(r.findings[0]
            .checklist
            .iter()
            .any(|c| c.id == "registry.ecr-login"));
    }

    /// npm Docs, 'Common errors': E401 is an authentication failure against
    /// the registry, E403 a refusal (publishing a name one may not publish).
    #[test]
    fn npm_codes() {
        let f = one("npm ERR! code E401\nnpm ERR! Unable to authenticate, need: Basic realm=\"GitHub Package Registry\"\n");
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Registry, Gate::Authentication, Some(401))
        );
        let t = "npm error code E403\nnpm error 403 403 Forbidden - PUT https://registry.npmjs.org/x - You do not have permission to publish \"x\".\n";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Registry, Gate::Authorization, Some(403))
        );
        // The package npm names is the resource; the PUT is a publish.
        assert_eq!(f.resource.as_deref(), Some("x"));
        assert_eq!(f.action.as_deref(), Some("publish"));
        // Without npm's sentence the URL is all there is, and a GET is an install.
        let f = one("npm ERR! code E403\nnpm ERR! 403 403 Forbidden - GET https://registry.example.com/left-pad\n");
        assert_eq!(
            f.resource.as_deref(),
            Some("https://registry.example.com/left-pad")
        );
        assert_eq!(f.action.as_deref(), Some("install"));
        let r = crate::explain(t);
        assert!(r.findings[0]
            .checklist
            .iter()
            .any(|c| c.id == "registry.npm-auth"));
    }

    /// Docker's 'pull access denied ... repository does not exist or may
    /// require docker login' covers both a missing and a private repository:
    /// no status is implied and the advice starts with the name.
    #[test]
    fn pull_access_denied() {
        let t = "Error response from daemon: pull access denied for utils, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
        let f = one(t);
        assert_eq!(f.action.as_deref(), Some("pull"));
        assert_eq!(f.resource.as_deref(), Some("utils"));
        assert_eq!(f.http_status, None);
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.error_code.as_deref(), Some("denied"));
        let r = crate::explain(t);
        let ids: Vec<&str> = r.findings[0]
            .checklist
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids.first(), Some(&"registry.pull-name"), "{ids:?}");
    }

    /// PyPI Help, 'invalid-auth': PyPI answers a bad or missing token with
    /// 403 and 'Invalid or non-existent authentication information'.
    #[test]
    fn pypi_bad_token_is_authentication_behind_a_403() {
        let t = "HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\nInvalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Registry, Gate::Authentication, Some(403))
        );
        let r = crate::explain(t);
        assert!(r.findings[0]
            .checklist
            .iter()
            .any(|c| c.id == "registry.pypi-token"));
    }

    /// Real messages (field corpus `reg-ecr-001`, `reg-acr-001`): a registry
    /// answering a push with a bare status, as BuildKit and Docker print it.
    #[test]
    fn client_printed_statuses_are_registry_answers() {
        // https://github.com/medic/cht-core/issues/9175
        let t = "ERROR: failed to push 720541322708.dkr.ecr.eu-west-2.amazonaws.com/medic/cht-api:4.9.0-alpha.9462328284: failed commit on ref \"manifest-sha256:fdcb9b1b802acfcf184946ea5e6cc782a5c545866f2d154e6663252aa06f6948\": unexpected status from PUT request to https://720541322708.dkr.ecr.eu-west-2.amazonaws.com/v2/medic/cht-api/manifests/sha256:fdcb9b1b802acfcf184946ea5e6cc782a5c545866f2d154e6663252aa06f6948: 403 Forbidden";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Aws, Gate::Authorization, Some(403))
        );
        assert_eq!(
            f.resource.as_deref(),
            Some(
                "720541322708.dkr.ecr.eu-west-2.amazonaws.com/medic/cht-api:4.9.0-alpha.9462328284"
            )
        );
        // https://github.com/spotify/docker-maven-plugin/issues/364
        let t = "The push refers to repository [myregistry.azurecr.io/asadzoot/asp.netcoreimage]\nb370636613f1: Preparing\nerror parsing HTTP 403 response body: unexpected end of JSON input: \"\"";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Azure, Gate::Authorization, Some(403))
        );
        assert_eq!(
            f.resource.as_deref(),
            Some("myregistry.azurecr.io/asadzoot/asp.netcoreimage")
        );
    }

    /// twine in a narrow terminal breaks PyPI's reason over padded lines
    /// (https://github.com/pypa/packaging-problems/issues/702).
    #[test]
    fn pypi_reason_wrapped_over_lines() {
        let t = "ERROR    HTTPError: 403       \n         Forbidden from       \n         https://upload.pypi.o\n         rg/legacy/           \n         Invalid or           \n         non-existent         \n         authentication       \n         information. See     \n         https://pypi.org/help\n         /#invalid-auth for   \n         more information.";
        let f = one(t);
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Registry, Gate::Authentication, Some(403))
        );
    }

    /// containers/image names the repository only in the upload path
    /// (https://github.com/tuna-os/tunaOS/issues/642): the path as printed,
    /// which holds it, and the step's action.
    #[test]
    fn v2_path_names_the_repository() {
        let t = "Error: writing blob: initiating layer upload to /v2/tuna-os/flounder-sid/blobs/uploads/ in ghcr.io: denied: permission_denied: write_package";
        let f = one(t);
        assert_eq!(
            f.resource.as_deref(),
            Some("/v2/tuna-os/flounder-sid/blobs/uploads/")
        );
        assert_eq!(f.action.as_deref(), Some("push"));
        assert_eq!(f.gate, Gate::Authorization);
    }

    #[test]
    fn ghcr_gets_package_permissions_advice() {
        let t = "buildx failed with: ERROR: denied: permission_denied: write_package";
        let r = crate::explain(t);
        let f = &r.findings[0];
        assert_eq!(f.provider, Provider::Registry);
        assert_eq!(f.gate, Gate::Authorization);
        let item = f
            .checklist
            .iter()
            .find(|c| c.id == "registry.ghcr-packages")
            .unwrap();
        assert!(item.text.contains("packages: write"), "{}", item.text);
    }

    /// An expired presigned URL from OSS answers like S3's (AccessDenied,
    /// `Request has expired.`, `<Expires>`, `<ServerTime>`): authentication,
    /// and the service is not AWS.
    #[test]
    fn oss_expired_presigned_url() {
        let t = "<Code>AccessDenied</Code>\n<Message>Request has expired.</Message>\n<RequestId>R1</RequestId>\n<HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId>\n<Expires>2017-02-07T01:30:29.000Z</Expires>\n<ServerTime>2017-02-08T01:55:28.000Z</ServerTime>";
        let f = one(t);
        assert_eq!(f.provider, Provider::S3Compatible);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(fact(&f, "expiresAt"), Some("2017-02-07T01:30:29.000Z"));
        assert_eq!(ev(t, &f, "provider"), ".aliyuncs.com");
        let r = crate::explain(t);
        let f = &r.findings[0];
        assert!(f
            .checklist
            .iter()
            .any(|c| c.id == "s3compat.presigned-expired"));
        assert!(
            !f.checklist.iter().any(|c| c.id.starts_with("aws.")),
            "{:?}",
            f.checklist
        );
        assert!(f.summary.contains("not AWS"), "{}", f.summary);
    }

    #[test]
    fn aws_s3_body_stays_aws() {
        // S3's own request ids are 16 characters and its HostId is base64.
        let t = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>LxB/UIJOlFkn3aNR/hcqgf1H6k1JCseQP5LJv6NDjbY0pKSlRVicZQEck4D1e566hOP0SsapPW0=</HostId></Error>";
        assert_eq!(one(t).provider, Provider::Aws);
    }

    /// Every anchor of the HTTP, GitHub and registry recognisers repeated
    /// about a megabyte, on one line and on many: each must stay linear (a
    /// quadratic scan would take minutes here). Run with an optimised
    /// profile: `cargo test --release --lib repeated_anchors -- --ignored`.
    #[test]
    #[ignore = "timing; run with an optimised profile"]
    fn repeated_anchors_stay_linear() {
        let pieces = [
            "Bad credentials api.github.com ",
            "Resource not accessible by integration \"status\": \"403\" ",
            "\"message\": \"Not Found\" docs.github.com ",
            "denied: ",
            "unauthorized: authentication required ",
            "pull access denied for x, ",
            "<Code>AccessDenied</Code><HostId>minio</HostId> ",
            "<Error><Code>AccessDenied</Code> r2.cloudflarestorage.com ",
            "HTTP 403 Forbidden ",
            "\"code\": 403, ",
            "error=\"invalid_token\" ",
            "Permission to a/b.git denied to u. ",
            "GithubException.X: 403 {",
            "HttpError: x status: 403 ",
            "npm ERR! code E401 ",
            "Error 1020 Ray ID: 1 ",
            "The push refers to repository [x] ",
            "Error returned by Service. ",
            "failed to push x: unexpected status from PUT request to ",
            "error parsing HTTP 403 response body /v2/ ",
            "\"errors\":[{\"path\":[\"a\"],\"message\":\"Resource not accessible by integration\"}",
            "Octokit::Forbidden curl https://api.github.com ",
            "Return code is: 401 Error code: 1020 HTTPError: 403 ",
            "Invalid or \n non-existent ",
        ];
        for piece in pieces {
            for sep in ["", "\n"] {
                let one = format!("{piece}{sep}");
                let text = one.repeat(1_000_000 / one.len());
                let t0 = std::time::Instant::now();
                let _ = crate::explain(&text);
                let took = t0.elapsed();
                eprintln!("{piece:?} sep {sep:?}: {took:?}");
                assert!(took.as_secs() < 5, "{piece:?} sep {sep:?}: {took:?}");
            }
        }
    }

    #[test]
    fn s3_compatible_hosts_are_not_aws() {
        let t = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><HostId>mybucket.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
        let f = one(t);
        assert_eq!(f.provider, Provider::S3Compatible);
        let r = crate::explain(t);
        let ids: Vec<&str> = r.findings[0]
            .checklist
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert!(ids.contains(&"s3compat.not-iam"), "{ids:?}");
        assert!(!ids.iter().any(|i| i.starts_with("aws.")), "{ids:?}");
    }
}
