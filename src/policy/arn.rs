//! Amazon Resource Names: parsing, `Resource` matching, ARN condition matching
//! and `Principal` matching.
//!
//! The ARN layout is the one in the IAM User Guide pages "Identify AWS
//! resources with Amazon Resource Names (ARNs)" and "IAM identifiers":
//! `arn:partition:service:region:account-id:resource`, where the resource part
//! may itself contain `:` and `/` (`log-group:name:log-stream:x`,
//! `user/path/name`).

use super::wildcard;

/// The five fixed fields of an ARN and its resource part, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: &'a str,
    /// The service namespace (`s3`, `iam`, `sts`).
    pub service: &'a str,
    /// The region; empty for global services.
    pub region: &'a str,
    /// The 12-digit account id; empty for S3 buckets and objects.
    pub account: &'a str,
    /// Everything after the fifth colon, colons and slashes included.
    pub resource: &'a str,
}

/// Parses `arn:partition:service:region:account:resource`.
///
/// Returns `None` unless the text starts with `arn:` and has at least five
/// colons; the resource part is everything after the fifth colon.
#[must_use]
pub fn parse(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// Whether the `Resource` (or `NotResource`) entry `pattern` matches the
/// request's resource `arn`.
///
/// Rules from the IAM User Guide, "IAM JSON policy elements: Resource":
/// - `*` alone matches every resource;
/// - matching is case-sensitive;
/// - `*` and `?` may appear within any colon-separated segment and do not
///   cross a colon, except that a `*` which is the last character of a
///   segment "can expand to match beyond the colon boundaries"; from such a
///   segment on, the rest of the pattern is matched against the rest of the
///   ARN as a plain glob (so `arn:aws:iam::*` covers every IAM ARN);
/// - within a segment, `*` spans characters such as `/` that a service uses as
///   separators (`arn:aws:s3:::bucket/*` covers every object at any depth).
///
/// A pattern that does not start with `arn:` (which AWS would reject when the
/// policy is saved) is compared as a plain case-sensitive glob.
///
/// Simplification: after a segment ending in `*`, a `*` in the middle of a
/// later segment is also allowed to cross colons.
#[must_use]
pub fn resource_matches(pattern: &str, arn: &str) -> bool {
    resource_matches_with_literals(pattern, &[], arn)
}

/// [`resource_matches`] for a pattern produced by policy-variable
/// substitution: the `*` and `?` at the byte offsets in `literal` (sorted) are
/// literal characters (see `variables::Substituted`).
#[must_use]
pub fn resource_matches_with_literals(pattern: &str, literal: &[usize], arn: &str) -> bool {
    if pattern == "*" && literal.is_empty() {
        return true;
    }
    if !pattern.starts_with("arn:") {
        return wildcard::matches_with_literals(pattern, literal, arn, false);
    }
    // Without `*` or `?` every segment must be equal, which is plain equality
    // (literal `*` and `?` compare as themselves either way).
    let Some(first_wild) = pattern.bytes().position(|b| b == b'*' || b == b'?') else {
        return pattern == arn;
    };
    if literal.is_empty() {
        // Every segment before the first wildcard's is compared whole and that
        // segment's literal start with the text's, so a match starts with the
        // pattern's literal prefix. When the one wildcard is a `*` ending the
        // pattern, that prefix is also enough (the trailing `*` takes the rest).
        let prefix = pattern.as_bytes().get(..first_wild).unwrap_or_default();
        if !arn.as_bytes().starts_with(prefix) {
            return false;
        }
        if first_wild + 1 == pattern.len() && pattern.ends_with('*') {
            return true;
        }
    }
    // Literal offsets relative to a suffix of the pattern starting at `from`.
    let shifted = |from: usize, to: usize| -> Vec<usize> {
        literal
            .iter()
            .filter(|&&i| i >= from && i < to)
            .map(|&i| i - from)
            .collect()
    };
    let mut offset = 0usize;
    let mut pat_rest = pattern;
    let mut text_rest = arn;
    loop {
        let (pat_seg, pat_tail) = split_colon(pat_rest);
        let seg_end = offset + pat_seg.len();
        let trailing_star =
            pat_seg.ends_with('*') && literal.binary_search(&(seg_end.saturating_sub(1))).is_err();
        if trailing_star {
            let lits = if literal.is_empty() {
                Vec::new()
            } else {
                shifted(offset, usize::MAX)
            };
            return wildcard::matches_with_literals(pat_rest, &lits, text_rest, false);
        }
        let (text_seg, text_tail) = split_colon(text_rest);
        let lits = if literal.is_empty() {
            Vec::new()
        } else {
            shifted(offset, seg_end)
        };
        if !wildcard::matches_with_literals(pat_seg, &lits, text_seg, false) {
            return false;
        }
        match (pat_tail, text_tail) {
            (None, None) => return true,
            (Some(p), Some(t)) => {
                pat_rest = p;
                text_rest = t;
                offset = seg_end + 1;
            }
            _ => return false,
        }
    }
}

/// Splits at the first colon: the segment and what follows the colon.
fn split_colon(s: &str) -> (&str, Option<&str>) {
    // A byte scan: `:` is ASCII, so the cut is on a character boundary.
    match s.bytes().position(|b| b == b':') {
        Some(i) => (
            s.get(..i).unwrap_or(s),
            Some(s.get(i.saturating_add(1)..).unwrap_or("")),
        ),
        None => (s, None),
    }
}

/// Whether `value` matches `pattern` under the `ArnLike` / `ArnEquals`
/// condition operators.
///
/// IAM User Guide, "IAM JSON policy elements: Condition operators", ARN
/// condition operators: case-sensitive; each of the six colon-delimited
/// components (`arn`, partition, service, region, account, resource) is checked
/// separately and may contain `*` and `?`. The resource component is everything
/// after the fifth colon, so a wildcard there may span `:` and `/`. A value
/// that is not an ARN matches only a pattern that is not an ARN either, by
/// plain glob (this keeps `"*"` meaning "any value").
#[must_use]
pub fn arn_like(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let mut p = pattern.splitn(6, ':');
    let mut v = value.splitn(6, ':');
    let mut fields = 0;
    loop {
        match (p.next(), v.next()) {
            (Some(ps), Some(vs)) => {
                if !wildcard::matches(ps, vs, false) {
                    return false;
                }
                fields += 1;
            }
            (None, None) => return fields == 6 || !pattern.starts_with("arn:"),
            _ => return false,
        }
    }
}

/// The account id of an ARN (`None` when it is not an ARN or the account
/// field is empty, as in S3 bucket ARNs).
#[must_use]
pub fn account_of(arn: &str) -> Option<&str> {
    parse(arn).map(|a| a.account).filter(|a| !a.is_empty())
}

/// Whether `s` is a 12-digit AWS account id.
#[must_use]
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// What kind of principal a string names.
///
/// Forms from the IAM User Guide, "AWS JSON policy elements: Principal" and
/// "IAM identifiers".
/// Fields borrow the ARN parts they are named after; `name` and `role` are the
/// last path component (the friendly name).
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind<'a> {
    /// `*`: everyone, including anonymous requests.
    Everyone,
    /// A bare 12-digit account id (`123456789012`).
    Account { account: &'a str },
    /// `arn:aws:iam::123456789012:root`.
    AccountRoot {
        partition: &'a str,
        account: &'a str,
    },
    /// `arn:aws:iam::123456789012:user/path/name`; `name` is the last path part.
    User {
        partition: &'a str,
        account: &'a str,
        name: &'a str,
    },
    /// `arn:aws:iam::123456789012:role/path/name`; `name` is the last path part.
    Role {
        partition: &'a str,
        account: &'a str,
        name: &'a str,
    },
    /// `arn:aws:sts::123456789012:assumed-role/role-name/session-name`.
    AssumedRole {
        partition: &'a str,
        account: &'a str,
        role: &'a str,
        session: &'a str,
    },
    /// `arn:aws:sts::123456789012:federated-user/name`.
    FederatedUser {
        partition: &'a str,
        account: &'a str,
        name: &'a str,
    },
    /// A service principal such as `s3.amazonaws.com`.
    Service { name: &'a str },
    /// A 64-hex-digit Amazon S3 canonical user id.
    CanonicalUser { id: &'a str },
    /// Any other ARN (an identity provider, a group, ...).
    OtherArn,
    /// Anything else.
    Unknown,
}

/// Classifies a principal string.
#[must_use]
pub fn classify_principal(s: &str) -> PrincipalKind<'_> {
    if s == "*" {
        return PrincipalKind::Everyone;
    }
    if is_account_id(s) {
        return PrincipalKind::Account { account: s };
    }
    if let Some(a) = parse(s) {
        let (partition, account) = (a.partition, a.account);
        return match (a.service, a.resource.split_once('/')) {
            ("iam", None) if a.resource == "root" => {
                PrincipalKind::AccountRoot { partition, account }
            }
            ("iam", Some(("user", path))) => PrincipalKind::User {
                partition,
                account,
                name: last_part(path),
            },
            ("iam", Some(("role", path))) => PrincipalKind::Role {
                partition,
                account,
                name: last_part(path),
            },
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session)) => PrincipalKind::AssumedRole {
                    partition,
                    account,
                    role,
                    session,
                },
                None => PrincipalKind::OtherArn,
            },
            ("sts", Some(("federated-user", name))) => PrincipalKind::FederatedUser {
                partition,
                account,
                name,
            },
            _ => PrincipalKind::OtherArn,
        };
    }
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return PrincipalKind::CanonicalUser { id: s };
    }
    if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") {
        return PrincipalKind::Service { name: s };
    }
    PrincipalKind::Unknown
}

fn last_part(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The role ARN behind an assumed-role session ARN:
/// `arn:aws:sts::111122223333:assumed-role/Dev/alice` becomes
/// `arn:aws:iam::111122223333:role/Dev`.
///
/// The session ARN does not carry the role's path, so the result has none;
/// compare with [`principal_matches`], which matches by role name.
#[must_use]
pub fn session_role_arn(session_arn: &str) -> Option<String> {
    match classify_principal(session_arn) {
        PrincipalKind::AssumedRole {
            partition,
            account,
            role,
            ..
        } => Some(format!("arn:{partition}:iam::{account}:role/{role}")),
        _ => None,
    }
}

/// The account a principal belongs to, when the string says.
#[must_use]
pub fn principal_account(principal: &str) -> Option<&str> {
    match classify_principal(principal) {
        PrincipalKind::Account { account }
        | PrincipalKind::AccountRoot { account, .. }
        | PrincipalKind::User { account, .. }
        | PrincipalKind::Role { account, .. }
        | PrincipalKind::AssumedRole { account, .. }
        | PrincipalKind::FederatedUser { account, .. } => Some(account),
        _ => None,
    }
}

/// Whether a `Principal: {"AWS": pattern}` entry names the request's
/// `principal` (an ARN such as a user, role, session or root ARN).
///
/// From the IAM User Guide, "AWS JSON policy elements: Principal":
/// - `*` matches every principal;
/// - an account id or `arn:aws:iam::<account>:root` names the account, and so
///   matches every principal of that account (the account then decides through
///   its identity-based policies; that delegation is the evaluator's concern);
/// - a role ARN matches the role and every session of that role
///   (`assumed-role/<role-name>/<session>`), by partition, account and role
///   name, since the session ARN does not carry the role's path;
/// - a user, session or federated-user ARN matches that exact principal.
///
/// Wildcards: the Principal page and the AWS Knowledge Center ("Invalid
/// principal in policy") say a `*` cannot match part of a principal name or
/// ARN; only the whole value `*` is a wildcard. A pattern such as
/// `arn:aws:iam::123456789012:role/*` is therefore compared literally here and
/// matches no real principal (use `aws:PrincipalArn` with `ArnLike` instead).
#[must_use]
pub fn principal_matches(pattern: &str, principal: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if pattern == principal {
        return true;
    }
    let target = classify_principal(principal);
    match classify_principal(pattern) {
        PrincipalKind::Account { account } => principal_account(principal) == Some(account),
        PrincipalKind::AccountRoot { partition, account } => {
            principal_account(principal) == Some(account)
                && principal_partition(&target).map_or(true, |p| p == partition)
        }
        PrincipalKind::Role {
            partition,
            account,
            name,
        } => match target {
            // A role principal equal to the pattern was accepted above; a role
            // with another path or name is another role.
            PrincipalKind::AssumedRole {
                partition: p,
                account: a,
                role,
                ..
            } => p == partition && a == account && role == name,
            _ => false,
        },
        _ => false,
    }
}

fn principal_partition<'a>(kind: &PrincipalKind<'a>) -> Option<&'a str> {
    match *kind {
        PrincipalKind::AccountRoot { partition, .. }
        | PrincipalKind::User { partition, .. }
        | PrincipalKind::Role { partition, .. }
        | PrincipalKind::AssumedRole { partition, .. }
        | PrincipalKind::FederatedUser { partition, .. } => Some(partition),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arns_with_colons_in_the_resource() {
        // "Identify AWS resources with Amazon Resource Names (ARNs)": the
        // resource part may contain colons and slashes.
        let a = parse("arn:aws:logs:us-east-1:123456789012:log-group:my:log-stream:x").unwrap();
        assert_eq!(a.partition, "aws");
        assert_eq!(a.service, "logs");
        assert_eq!(a.region, "us-east-1");
        assert_eq!(a.account, "123456789012");
        assert_eq!(a.resource, "log-group:my:log-stream:x");
        let s3 = parse("arn:aws:s3:::bucket/key/with:colon").unwrap();
        assert_eq!((s3.region, s3.account), ("", ""));
        assert_eq!(s3.resource, "bucket/key/with:colon");
        assert!(parse("arn:aws:s3::").is_none());
        assert!(parse("urn:aws:s3:::b").is_none());
        assert_eq!(
            account_of("arn:aws:iam::123456789012:user/Bob"),
            Some("123456789012")
        );
        assert_eq!(account_of("arn:aws:s3:::bucket"), None);
    }

    #[test]
    fn a_final_star_or_a_literal_prefix_decides_like_the_segment_walk() {
        // IAM JSON policy elements: Resource — a `*` ending a segment may take
        // the colons after it; a literal part must match exactly.
        for (pattern, arn, want) in [
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/x", false),
            ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/x", true),
            ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/xy", false),
            ("arn:aws:iam::*:role/x", "arn:aws:iam::123:role/x", true),
            ("arn:aws:iam::1*:role/x", "arn:aws:iam::2:role/x", false),
        ] {
            assert_eq!(resource_matches(pattern, arn), want, "{pattern} {arn}");
        }
    }

    #[test]
    fn resource_element_examples() {
        // IAM User Guide, "IAM JSON policy elements: Resource".
        assert!(resource_matches("*", "arn:aws:s3:::anything"));
        assert!(resource_matches(
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            "arn:aws:sqs:us-east-2:123456789012:queue1"
        ));
        // "In the Resource element, the IAM user name is case sensitive."
        assert!(!resource_matches(
            "arn:aws:iam::123456789012:user/Bob",
            "arn:aws:iam::123456789012:user/bob"
        ));
        // All users whose path is /accounting.
        let accounting = "arn:aws:iam::123456789012:user/accounting/*";
        assert!(resource_matches(
            accounting,
            "arn:aws:iam::123456789012:user/accounting/Ann"
        ));
        assert!(resource_matches(
            accounting,
            "arn:aws:iam::123456789012:user/accounting/eu/Ann"
        ));
        assert!(!resource_matches(
            accounting,
            "arn:aws:iam::123456789012:user/sales/Ann"
        ));
        // All items in a bucket; `*` spans `/`.
        let bucket = "arn:aws:s3:::amzn-s3-demo-bucket/*";
        assert!(resource_matches(
            bucket,
            "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt"
        ));
        assert!(!resource_matches(
            bucket,
            "arn:aws:s3:::amzn-s3-demo-bucket"
        ));
        assert!(resource_matches(
            "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*",
            "arn:aws:s3:::amzn-s3-demo-bucket/1/test/object.jpg"
        ));
        assert!(resource_matches(
            "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*",
            "arn:aws:s3:::amzn-s3-demo-bucket/1/2/test/3/object.jpg"
        ));
        // Wildcards within segments.
        assert!(resource_matches(
            "arn:aws:ec2:us-east-?:*:instance/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"
        ));
        assert!(!resource_matches(
            "arn:aws:ec2:us-west-?:*:instance/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"
        ));
        // A trailing `*` of a segment can expand beyond the colon boundary.
        assert!(resource_matches(
            "arn:aws:iam::*",
            "arn:aws:iam::123456789012:user/Bob"
        ));
        assert!(resource_matches(
            "arn:aws:logs:us-east-1:123456789012:log-group:app*",
            "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:x"
        ));
        // A `*` in the middle of a segment does not cross a colon.
        assert!(!resource_matches(
            "arn:aws:ec2:us-*-1:123456789012:instance/i",
            "arn:aws:ec2:us-east:x-1:123456789012:instance/i"
        ));
        // Segment counts must agree when no segment ends with `*`.
        assert!(!resource_matches(
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            "arn:aws:sqs:us-east-2:123456789012:queue1:extra"
        ));
        assert!(!resource_matches(
            "arn:aws:sqs:us-east-2",
            "arn:aws:sqs:us-east-2:1:q"
        ));
    }

    #[test]
    fn literal_wildcards_from_escapes() {
        // `${*}` in a Resource ("IAM policy elements: Variables and tags").
        let pattern = "arn:aws:s3:::bucket/a*b/*";
        assert!(resource_matches_with_literals(
            pattern,
            &[21],
            "arn:aws:s3:::bucket/a*b/c"
        ));
        assert!(!resource_matches_with_literals(
            pattern,
            &[21],
            "arn:aws:s3:::bucket/aXb/c"
        ));
        assert!(resource_matches(pattern, "arn:aws:s3:::bucket/aXb/c"));
        // A literal star at the end of a segment does not expand.
        assert!(!resource_matches_with_literals(
            "arn:aws:iam::*",
            &[13],
            "arn:aws:iam::1:user/x"
        ));
        assert!(resource_matches_with_literals(
            "arn:aws:iam::*:x",
            &[13],
            "arn:aws:iam::*:x"
        ));
    }

    #[test]
    fn arn_like_checks_six_components() {
        // "IAM JSON policy elements: Condition operators", ARN operators: each
        // of the six colon-delimited components is checked separately.
        assert!(arn_like(
            "arn:aws:cloudtrail:*:111122223333:trail/*",
            "arn:aws:cloudtrail:us-east-2:111122223333:trail/main"
        ));
        assert!(!arn_like(
            "arn:aws:cloudtrail:*:111122223333:trail/*",
            "arn:aws:cloudtrail:us-east-2:444455556666:trail/main"
        ));
        assert!(arn_like(
            "arn:aws:sns:*:*:topic:*",
            "arn:aws:sns:us-east-1:123456789012:topic:a:b"
        ));
        assert!(!arn_like(
            "arn:aws:iam::*",
            "arn:aws:iam::123456789012:user/Bob"
        ));
        assert!(arn_like("*", "not-an-arn"));
        assert!(!arn_like("arn:aws:s3:::b", "ARN:aws:s3:::b"));
    }

    #[test]
    fn classifies_principals() {
        // "AWS JSON policy elements: Principal" and "IAM identifiers".
        assert_eq!(classify_principal("*"), PrincipalKind::Everyone);
        assert_eq!(
            classify_principal("123456789012"),
            PrincipalKind::Account {
                account: "123456789012"
            }
        );
        assert_eq!(
            classify_principal("arn:aws:iam::123456789012:root"),
            PrincipalKind::AccountRoot {
                partition: "aws",
                account: "123456789012"
            }
        );
        assert_eq!(
            classify_principal("arn:aws:iam::123456789012:user/division/Bob"),
            PrincipalKind::User {
                partition: "aws",
                account: "123456789012",
                name: "Bob"
            }
        );
        assert_eq!(
            classify_principal("arn:aws:iam::123456789012:role/service-role/Dev"),
            PrincipalKind::Role {
                partition: "aws",
                account: "123456789012",
                name: "Dev"
            }
        );
        assert_eq!(
            classify_principal("arn:aws:sts::111122223333:assumed-role/Dev/alice"),
            PrincipalKind::AssumedRole {
                partition: "aws",
                account: "111122223333",
                role: "Dev",
                session: "alice"
            }
        );
        assert_eq!(
            classify_principal("arn:aws:sts::111122223333:federated-user/carol"),
            PrincipalKind::FederatedUser {
                partition: "aws",
                account: "111122223333",
                name: "carol"
            }
        );
        assert_eq!(
            classify_principal("s3.amazonaws.com"),
            PrincipalKind::Service {
                name: "s3.amazonaws.com"
            }
        );
        let canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
        assert_eq!(
            classify_principal(canonical),
            PrincipalKind::CanonicalUser { id: canonical }
        );
        assert_eq!(
            classify_principal("arn:aws:iam::123456789012:saml-provider/Okta"),
            PrincipalKind::OtherArn
        );
        assert_eq!(classify_principal("bob"), PrincipalKind::Unknown);
        assert_eq!(
            session_role_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice").as_deref(),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert_eq!(session_role_arn("arn:aws:iam::111122223333:role/Dev"), None);
    }

    #[test]
    fn principal_matching() {
        // "AWS JSON policy elements: Principal".
        let session = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
        let user = "arn:aws:iam::111122223333:user/Bob";
        assert!(principal_matches("*", session));
        // The account (id or root ARN) covers every principal in it.
        assert!(principal_matches("111122223333", session));
        assert!(principal_matches("111122223333", user));
        assert!(principal_matches("arn:aws:iam::111122223333:root", user));
        assert!(!principal_matches("arn:aws:iam::444455556666:root", user));
        assert!(!principal_matches(
            "arn:aws-cn:iam::111122223333:root",
            user
        ));
        // A role covers its sessions, whatever the role's path.
        assert!(principal_matches(
            "arn:aws:iam::111122223333:role/Dev",
            session
        ));
        assert!(principal_matches(
            "arn:aws:iam::111122223333:role/team/Dev",
            session
        ));
        assert!(!principal_matches(
            "arn:aws:iam::111122223333:role/Ops",
            session
        ));
        assert!(!principal_matches(
            "arn:aws:iam::444455556666:role/Dev",
            session
        ));
        // A session ARN names exactly that session.
        assert!(principal_matches(session, session));
        assert!(!principal_matches(
            "arn:aws:sts::111122223333:assumed-role/Dev/bob",
            session
        ));
        assert!(principal_matches(user, user));
        assert!(!principal_matches(
            "arn:aws:iam::111122223333:user/Alice",
            user
        ));
        // Partial wildcards are not wildcards in Principal (only `*` alone is).
        assert!(!principal_matches("arn:aws:iam::111122223333:user/*", user));
        assert!(!principal_matches(
            "arn:aws:iam::111122223333:role/*",
            session
        ));
        assert!(principal_matches("s3.amazonaws.com", "s3.amazonaws.com"));
    }
}
