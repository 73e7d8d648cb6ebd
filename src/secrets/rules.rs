//! The credential rules, as data: one row per documented token format, plus
//! keyword-anchored rules for secrets that have no prefix of their own.
//!
//! Each rule is what gitleaks keeps in its configuration: an `id` (the
//! secret's `kind`), a `description`, an anchor (a literal prefix of the token,
//! a literal inside it, or the key names that precede a value), the shape of
//! the token (its alphabet and length), an entropy floor in bits per character
//! that keeps words and repeated placeholders out, and an optional structural
//! check (a Docker `auth` value decodes to `user:password`). The placeholder
//! allow-list in `is_placeholder` applies to every rule.
//!
//! The engine in this file is generic: it finds each anchor with substring
//! search, then examines a bounded stretch (at most `Rule::max` bytes plus a
//! separator) after it, so a scan costs at most a constant times the input per
//! anchor kind.

use super::{is_alnum, Candidate, Kind, Source};

/// How a rule finds where a token may start.
#[derive(Debug, Clone, Copy)]
pub(super) enum Anchor {
    /// The token starts with one of these literals (case-sensitive), and the
    /// byte before it is not part of a token.
    Prefix(&'static [&'static str]),
    /// The value follows one of these key names (lowercase, matched ignoring
    /// case) and an assignment: `=`, `:`, `=>`, a JSON key's `":`, or for a
    /// `--flag` a space.
    Key(&'static [&'static str]),
    /// The token holds this literal `n` bytes after its start.
    Infix(&'static str, usize),
}

/// The bytes a token is made of.
#[derive(Debug, Clone, Copy)]
pub(super) enum Class {
    /// `[A-Za-z0-9]`.
    Alnum,
    /// `[A-Za-z0-9_]`.
    Word,
    /// `[A-Za-z0-9_.-]`.
    Dotted,
    /// `[A-Za-z0-9_-]`: base64url.
    Url,
    /// `[A-Za-z0-9+/=]`: standard base64 with its padding.
    Base64,
    /// `[A-Za-z0-9_~.-]`: Microsoft Entra client secrets.
    Tilde,
    /// A configuration value: printable ASCII up to a quote, a blank or a
    /// delimiter of the surrounding syntax (`,;&<>)]}`).
    Value,
}

impl Class {
    fn has(self, b: u8) -> bool {
        match self {
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::Word => b.is_ascii_alphanumeric() || b == b'_',
            Class::Dotted => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'),
            Class::Url => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'),
            Class::Base64 => b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
            Class::Tilde => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'~' | b'.' | b'-'),
            Class::Value => {
                b.is_ascii_graphic()
                    && !matches!(
                        b,
                        b'"' | b'\''
                            | b'`'
                            | b','
                            | b';'
                            | b'&'
                            | b'<'
                            | b'>'
                            | b')'
                            | b']'
                            | b'}'
                            | b'\\'
                    )
            }
        }
    }
}

/// What the mask keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mask {
    /// Nothing: `[redacted]` (the key before the value stays in the text).
    Value,
    /// The documented prefix, which names the kind of token, and the last four
    /// characters, which tell two tokens apart the way the providers' own
    /// consoles do: `ghp_[redacted ...Xy4Q]`.
    PrefixLast4,
}

/// One credential rule. See the module documentation.
#[derive(Debug)]
pub(super) struct Rule {
    /// The secret's `kind`.
    pub id: &'static str,
    /// What it is and where its format is documented.
    pub description: &'static str,
    pub anchor: Anchor,
    pub class: Class,
    /// The shortest and longest body: the part after a prefix, or the value.
    pub min: usize,
    pub max: usize,
    /// The lowest Shannon entropy, in bits per character, of the body.
    pub entropy: f64,
    /// A structural test of the body.
    pub check: Option<fn(&str) -> bool>,
    /// Text that, directly before a key, makes it another key: `next` before
    /// `token` is a pagination cursor.
    pub not_after: &'static [&'static str],
    pub mask: Mask,
    /// Whether finding it should alarm: a live credential. Identifiers that
    /// only name a credential do not.
    pub alarm: bool,
}

const NONE: &[&str] = &[];

/// The table. Order matters only when two rules claim the same text: the
/// earlier, more specific row wins.
pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "github-fine-grained-pat",
        description: "GitHub fine-grained personal access token, `github_pat_` (GitHub Docs, \"About authentication to GitHub\", GitHub's token formats)",
        anchor: Anchor::Prefix(&["github_pat_"]),
        class: Class::Word,
        min: 40,
        max: 255,
        entropy: 3.5,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "github-token",
        description: "GitHub personal access (`ghp_`), OAuth (`gho_`), user-to-server (`ghu_`), server-to-server (`ghs_`) and refresh (`ghr_`) tokens",
        anchor: Anchor::Prefix(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
        class: Class::Alnum,
        min: 36,
        max: 255,
        entropy: 3.5,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "gitlab-token",
        description: "GitLab personal (`glpat-`), runner (`glrt-`) and deploy (`gldt-`) tokens (GitLab Docs, \"Token overview\", token prefixes)",
        anchor: Anchor::Prefix(&["glpat-", "glrt-", "gldt-"]),
        class: Class::Dotted,
        min: 20,
        max: 255,
        entropy: 3.3,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "slack-token",
        description: "Slack bot, user, app, refresh and configuration tokens, `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-` (Slack API, \"Token types\")",
        anchor: Anchor::Prefix(&["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xoxe.xoxp-"]),
        class: Class::Url,
        min: 20,
        max: 255,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "stripe-secret-key",
        description: "Stripe secret and restricted keys, `sk_live_`, `rk_live_`, `sk_test_`, `rk_test_` (Stripe Docs, \"API keys\"); publishable `pk_` keys are public",
        anchor: Anchor::Prefix(&["sk_live_", "rk_live_", "sk_test_", "rk_test_"]),
        class: Class::Alnum,
        min: 20,
        max: 247,
        entropy: 3.5,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "npm-token",
        description: "npm access token, `npm_` and 36 characters (npm Docs, \"About access tokens\")",
        anchor: Anchor::Prefix(&["npm_"]),
        class: Class::Alnum,
        min: 36,
        max: 36,
        entropy: 3.5,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "google-oauth-access-token",
        description: "Google OAuth 2.0 access token, `ya29.` (Google Identity, \"Using OAuth 2.0 to Access Google APIs\")",
        anchor: Anchor::Prefix(&["ya29."]),
        class: Class::Dotted,
        min: 20,
        max: 4096,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "google-oauth-refresh-token",
        description: "Google OAuth 2.0 refresh token, `1//` (as the OAuth 2.0 Playground and `gcloud` credential files show them)",
        anchor: Anchor::Prefix(&["1//"]),
        class: Class::Url,
        min: 30,
        max: 1024,
        entropy: 3.5,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "azure-client-secret",
        description: "Microsoft Entra application client secret: 40 characters with `Q~` after the first four (the format Entra ID issues since 2022)",
        anchor: Anchor::Infix("Q~", 4),
        class: Class::Tilde,
        min: 31,
        max: 36,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::PrefixLast4,
        alarm: true,
    },
    Rule {
        id: "base64-pem-private-key",
        description: "A PEM private key wrapped in base64 (`LS0tLS1CRUdJTi` is `-----BEGIN`), as kubeconfig `client-key-data` and Kubernetes Secrets hold it",
        anchor: Anchor::Prefix(&["LS0tLS1CRUdJTi"]),
        class: Class::Base64,
        min: 40,
        max: 64 * 1024,
        entropy: 0.0,
        check: Some(pem_in_base64),
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "docker-config-auth",
        description: "Docker `config.json` `auth`: base64 of `user:password` (Docker Docs, `docker login`, credential stores)",
        anchor: Anchor::Key(&["\"auth"]),
        class: Class::Base64,
        min: 8,
        max: 4096,
        entropy: 2.5,
        check: Some(user_password_in_base64),
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "kubernetes-bootstrap-token",
        description: "Kubernetes bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}` (Kubernetes Docs, \"Authenticating with Bootstrap Tokens\")",
        anchor: Anchor::Key(&["token", "--token", "--discovery-token"]),
        class: Class::Dotted,
        min: 23,
        max: 23,
        entropy: 0.0,
        check: Some(bootstrap_token),
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "aws-sigv4-signature",
        description: "The `Signature=` of an AWS Signature Version 4 `Authorization` header: 64 hex digits (AWS IAM User Guide, \"Elements of an AWS API request signature\")",
        anchor: Anchor::Key(&["signature"]),
        class: Class::Alnum,
        min: 64,
        max: 64,
        entropy: 3.0,
        check: Some(hex),
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "oauth-refresh-token",
        description: "An OAuth 2.0 refresh token after its key, `refresh_token=` (RFC 6749 section 1.5)",
        anchor: Anchor::Key(&["refresh_token", "refreshtoken", "refresh-token"]),
        class: Class::Value,
        min: 16,
        max: 4096,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "oauth-client-secret",
        description: "An OAuth 2.0 client secret after its key, `client_secret=` (RFC 6749 section 2.3.1)",
        anchor: Anchor::Key(&["client_secret", "clientsecret", "client-secret"]),
        class: Class::Value,
        min: 8,
        max: 1024,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "api-key",
        description: "A value after an `api_key`, `apikey` or `x-api-key` key",
        anchor: Anchor::Key(&["api_key", "apikey", "api-key"]),
        class: Class::Value,
        min: 12,
        max: 1024,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "private-key",
        description: "A value after a `private_key` key that is not a PEM block (hex or base64 key material)",
        anchor: Anchor::Key(&["private_key", "privatekey", "private-key"]),
        class: Class::Value,
        min: 16,
        max: 8192,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "password",
        description: "A value after a `password`, `passwd` or `pwd` key: configuration files, connection strings (`Password=...;`), command lines",
        anchor: Anchor::Key(&["password", "passwd", "pwd", "--password"]),
        class: Class::Value,
        min: 6,
        max: 1024,
        entropy: 2.0,
        check: Some(not_a_path),
        not_after: &["old", "no", "require", "expire", "reset", "change", "forgot"],
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "secret",
        description: "A value after a key ending in `secret` (`app_secret`, `SECRET`, `webhook_secret`)",
        anchor: Anchor::Key(&["secret"]),
        class: Class::Value,
        min: 8,
        max: 4096,
        entropy: 3.0,
        check: None,
        not_after: NONE,
        mask: Mask::Value,
        alarm: true,
    },
    Rule {
        id: "token",
        description: "A value after a key ending in `token` (`access_token`, `auth_token`, `sessionToken`), but not a pagination cursor",
        anchor: Anchor::Key(&["token"]),
        class: Class::Value,
        min: 16,
        max: 16 * 1024,
        entropy: 3.0,
        check: None,
        not_after: &[
            "next",
            "page",
            "continuation",
            "sync",
            "pagination",
            "cursor",
            "start",
            "marker",
            "idempotency",
            "client",
            // CloudFormation's `RequestToken` names the request (published in
            // aws-secretsmanager-004 of the field corpus), as `ClientToken`
            // and `ClientRequestToken` do elsewhere.
            "request",
        ],
        mask: Mask::Value,
        alarm: true,
    },
];

/// One anchor literal of one rule.
struct Needle {
    rule: usize,
    literal: &'static str,
    /// Keys are matched in the lowercased text, prefixes and infixes as they are.
    folded: bool,
}

/// Finds every rule's candidates in `s`.
///
/// One pass over the text for all anchors at once: a table from first byte
/// to the anchors starting with it, and at each position a comparison of
/// those few anchors (each at most 20 bytes). Searching the whole text once
/// per anchor, as the other detectors do, cost a pass per each of the table's
/// forty-odd literals. Linear: every position costs at most one comparison
/// per anchor sharing its first byte, and each anchor found examines a
/// bounded stretch after it.
pub(super) fn scan(s: &Source, out: &mut Vec<Candidate>) {
    let mut needles: Vec<Needle> = Vec::new();
    for (rule, r) in RULES.iter().enumerate() {
        let mut add = |literal: &'static str, folded: bool| {
            needles.push(Needle {
                rule,
                literal,
                folded,
            });
        };
        match r.anchor {
            Anchor::Prefix(literals) => literals.iter().for_each(|l| add(l, false)),
            Anchor::Key(literals) => literals.iter().for_each(|l| add(l, true)),
            Anchor::Infix(literal, _) => add(literal, false),
        }
    }
    // For each byte value, the needles whose first byte it is.
    let mut first: Vec<Vec<usize>> = vec![Vec::new(); 256];
    for (n, needle) in needles.iter().enumerate() {
        if let Some(slot) = needle
            .literal
            .bytes()
            .next()
            .and_then(|b| first.get_mut(usize::from(b)))
        {
            slot.push(n);
        }
    }
    let lower = s.lower.as_bytes();
    let pairs = super::Pairs::new(needles.iter().map(|n| (n.literal, n.folded)));
    for (at, (&b, &l)) in s.bytes.iter().zip(lower).enumerate() {
        if !pairs.may_start(s.bytes, lower, at) {
            continue;
        }
        for byte in [b, l] {
            let Some(list) = first.get(usize::from(byte)) else {
                continue;
            };
            for needle in list.iter().filter_map(|&n| needles.get(n)) {
                let hay = if needle.folded { lower } else { s.bytes };
                // A key is lowercase, so it only matches the lowercased text;
                // a prefix compared with the text itself keeps its case.
                // Compared byte by byte: the anchors are short, and a call to
                // `memcmp` per comparison cost more than the comparison.
                let lit = needle.literal.as_bytes();
                let here = hay.get(at..).unwrap_or_default();
                if here.len() < lit.len() || !lit.iter().zip(here).all(|(a, b)| a == b) {
                    continue;
                }
                let Some(rule) = RULES.get(needle.rule) else {
                    continue;
                };
                let kind = Kind::Rule(u8::try_from(needle.rule).unwrap_or(u8::MAX));
                match rule.anchor {
                    Anchor::Prefix(_) => prefixed(s, rule, kind, needle.literal, at, out),
                    Anchor::Key(_) => keyed(s, rule, kind, needle.literal, at, out),
                    Anchor::Infix(infix, offset) => {
                        infixed(s, rule, kind, infix, offset, at, out);
                    }
                }
            }
            if b == l {
                break;
            }
        }
    }
}

/// A token that starts with `prefix` at `at`. Linear: one bounded run per
/// occurrence of the prefix, and the run stops at `max`.
fn prefixed(
    s: &Source,
    rule: &Rule,
    kind: Kind,
    prefix: &str,
    at: usize,
    out: &mut Vec<Candidate>,
) {
    // `=` ends a base64 value, so it may come before a new one (`key=LS0t...`).
    let boundary = |b: u8| {
        (rule.class.has(b) && b != b'=')
            || is_alnum(b)
            || (prefix == "1//" && matches!(b, b'/' | b':'))
    };
    if s.before(at).is_some_and(boundary) {
        return;
    }
    let start = at + prefix.len();
    let Some(end) = s.run(start, rule.max, |b| rule.class.has(b)) else {
        return;
    };
    let body = s.slice(start, end);
    if accept(rule, body, s.slice(at, end)) {
        out.push(Candidate::new(at, end, kind, mask(rule, prefix, body)));
    }
}

/// A token holding `infix` `offset` bytes after its start.
fn infixed(
    s: &Source,
    rule: &Rule,
    kind: Kind,
    infix: &str,
    offset: usize,
    at: usize,
    out: &mut Vec<Candidate>,
) {
    let Some(start) = at.checked_sub(offset) else {
        return;
    };
    let head = s.slice(start, at);
    // Entra secrets: three token characters, then a digit, then `Q~`.
    let shaped = head.len() == offset
        && head.bytes().all(|b| rule.class.has(b))
        && head.bytes().last().is_some_and(|b| b.is_ascii_digit());
    if !shaped || s.before(start).is_some_and(|b| rule.class.has(b)) {
        return;
    }
    let from = at + infix.len();
    let Some(end) = s.run(from, rule.max, |b| rule.class.has(b)) else {
        return;
    };
    let body = s.slice(from, end);
    let whole = s.slice(start, end);
    if accept(rule, body, whole) {
        out.push(Candidate::new(start, end, kind, mask(rule, "", whole)));
    }
}

/// A value after `key` found at `at`. Linear: the separator is at most a few
/// bytes, and the value at most [`Rule::max`].
fn keyed(s: &Source, rule: &Rule, kind: Kind, key: &str, at: usize, out: &mut Vec<Candidate>) {
    let before = s.lower.get(..at).unwrap_or_default();
    if rule.not_after.iter().any(|w| before.ends_with(w)) {
        return;
    }
    // A resource type in an ARN (`arn:aws:secretsmanager:...:secret:prod/db`)
    // or a path segment names a thing, not a credential.
    if matches!(s.before(at), Some(b':' | b'/')) {
        return;
    }
    // A user name in a URL (`https://x-access-token:<token>@host`): the
    // password detector covers what follows, up to the `@`.
    if in_userinfo(s, at) {
        return;
    }
    // A key quoted on its own (`"auth"`) must not continue an identifier.
    if key.starts_with('"') && s.byte(at + key.len()) != Some(b'"') {
        return;
    }
    let Some((start, quote)) = value_start(s, at + key.len(), key.starts_with("--")) else {
        return;
    };
    let end = match quote {
        Some(q) => {
            let mut i = start;
            loop {
                match s.byte(i) {
                    Some(b) if b == q && s.before(i) != Some(b'\\') => break i,
                    Some(b'\n' | b'\r') | None => return,
                    Some(_) if i - start > rule.max => return,
                    Some(_) => i += 1,
                }
            }
        }
        None => match s.run(start, rule.max, |b| rule.class.has(b)) {
            Some(e) => e,
            None => return,
        },
    };
    // A JSON-in-JSON value (`\"...\"`) ends before the backslash of its quote.
    let end = if quote == Some(b'"') && s.before(end) == Some(b'\\') {
        end - 1
    } else {
        end
    };
    // A quoted string followed by `:` is the next JSON key, not this key's
    // value (`secret= "userIdentity": {`: the key was left without a value).
    if quote.is_some() {
        let mut j = end + 1;
        while matches!(s.byte(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if s.byte(j) == Some(b':') && !matches!(s.byte(j + 1), Some(b'/')) {
            return;
        }
    }
    let value = s.slice(start, end);
    if value.starts_with("-----BEGIN")
        || !value
            .bytes()
            .all(|b| rule.class.has(b) || quote.is_some() && b == b' ')
    {
        return;
    }
    if accept(rule, value, value) {
        out.push(Candidate::new(start, end, kind, mask(rule, "", value)));
    }
}

/// Whether the key at `at` is the user name of a URL: `://` and then only
/// user name characters before it. Looks back at most 64 bytes.
fn in_userinfo(s: &Source, at: usize) -> bool {
    let mut i = at;
    while i + 64 > at {
        match s.before(i) {
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') => i -= 1,
            _ => break,
        }
    }
    i >= 3 && s.bytes.get(i - 3..i) == Some(b"://")
}

/// After a key: an optional closing quote, blanks, `=`/`:`/`=>`/`:=` (or a
/// space after a `--flag`), blanks, an optional opening quote. Returns the
/// value's start and its quote, if any.
fn value_start(s: &Source, mut i: usize, flag: bool) -> Option<(usize, Option<u8>)> {
    let start = i;
    if s.byte(i) == Some(b'\\') && s.byte(i + 1) == Some(b'"') {
        i += 2;
    } else if matches!(s.byte(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    let blanks = |mut i: usize| {
        let from = i;
        while matches!(s.byte(i), Some(b' ' | b'\t')) && i < from + 8 {
            i += 1;
        }
        i
    };
    i = blanks(i);
    match s.byte(i) {
        Some(b'=' | b':') => {
            i += 1;
            if matches!(s.byte(i), Some(b'>' | b'=')) {
                i += 1;
            }
        }
        Some(_) if flag && i > start => {}
        _ => return None,
    }
    i = blanks(i);
    if s.byte(i) == Some(b'\\') && s.byte(i + 1) == Some(b'"') {
        return Some((i + 2, Some(b'"')));
    }
    match s.byte(i) {
        Some(q @ (b'"' | b'\'')) => Some((i + 1, Some(q))),
        Some(_) => Some((i, None)),
        None => None,
    }
}

/// Length, entropy and the placeholder allow-list on the body; the rule's
/// own check on the whole token.
fn accept(rule: &Rule, body: &str, whole: &str) -> bool {
    (rule.min..=rule.max).contains(&body.len())
        && entropy(body) >= rule.entropy
        && !is_placeholder(body)
        && rule.check.map_or(true, |check| check(whole))
}

fn mask(rule: &Rule, prefix: &str, body: &str) -> String {
    match rule.mask {
        Mask::Value => "[redacted]".to_owned(),
        Mask::PrefixLast4 => {
            let tail = body.get(body.len().saturating_sub(4)..).unwrap_or_default();
            format!("{prefix}[redacted ...{tail}]")
        }
    }
}

/// Shannon entropy of `v` in bits per character.
pub(super) fn entropy(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        if let Some(c) = counts.get_mut(usize::from(b)) {
            *c += 1;
        }
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Values that stand for a credential rather than being one: template
/// variables, shell expansions, masks, documentation placeholders.
pub(super) fn is_placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    const WORDS: [&str; 22] = [
        "xxxx",
        "****",
        "....",
        "<",
        ">",
        "${",
        "$(",
        "{{",
        "%s",
        "your_",
        "your-",
        "yourtoken",
        "changeme",
        "change_me",
        "placeholder",
        "redacted",
        "example",
        "dummy",
        "replace",
        "_here",
        "process.env",
        "environ",
    ];
    WORDS.iter().any(|w| lower.contains(w))
        || lower.starts_with('$')
        || matches!(
            lower.as_str(),
            "null" | "none" | "true" | "false" | "undefined" | "string"
        )
}

fn hex(v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_hexdigit())
}

fn not_a_path(v: &str) -> bool {
    !v.starts_with(['/', '~', '.'])
}

/// `[a-z0-9]{6}.[a-z0-9]{16}`, the bootstrap token format.
fn bootstrap_token(v: &str) -> bool {
    let b = v.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    b.len() == 23
        && b.get(6) == Some(&b'.')
        && b.get(..6).is_some_and(|p| p.iter().all(ok))
        && b.get(7..).is_some_and(|p| p.iter().all(ok))
}

fn user_password_in_base64(v: &str) -> bool {
    crate::base64::decode(v)
        .and_then(|d| String::from_utf8(d).ok())
        .and_then(|d| {
            d.split_once(':')
                .map(|(u, p)| !u.is_empty() && !p.is_empty())
        })
        .unwrap_or(false)
}

fn pem_in_base64(v: &str) -> bool {
    let Some(d) = crate::base64::decode(v) else {
        // A value cut short still starts with the armour; decode its whole groups.
        let whole = v.get(..v.len() / 4 * 4).unwrap_or_default();
        return crate::base64::decode(whole).is_some_and(|d| contains(&d, b"PRIVATE KEY"));
    };
    contains(&d, b"PRIVATE KEY")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.get(..hay.len().min(128))
        .is_some_and(|h| h.windows(needle.len()).any(|w| w == needle))
}

/// Every rule's `kind` and description, in table order: what the corpus test
/// checks coverage against, and what documentation lists.
#[must_use]
pub fn catalogue() -> Vec<(&'static str, &'static str)> {
    RULES.iter().map(|r| (r.id, r.description)).collect()
}
