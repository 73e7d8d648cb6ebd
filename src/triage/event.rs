//! One CloudTrail event read into what triage groups and ranks by.
//!
//! Field names follow the CloudTrail "record contents" reference; the lowercase
//! aliases are the column names of the Athena CloudTrail table (and CloudTrail
//! Lake's JSON results), so their JSON-lines exports read the same way.

use serde::Deserialize;
use std::borrow::Cow;

/// Which gate a denial failed at, as far as its error code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The caller's credentials were not accepted: `authentication`.
    Authentication,
    /// The caller is known but was not permitted: `authorization`.
    Authorization,
}

impl Kind {
    /// The JSON name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Authentication => "authentication",
            Kind::Authorization => "authorization",
        }
    }
}

/// The error codes CloudTrail records for a refused request, and the gate each
/// names. From the AWS "Common errors" API reference (`AccessDeniedException`,
/// `ExpiredTokenException`, `IncompleteSignature`, `InvalidClientTokenId`,
/// `MissingAuthenticationToken`, `SignatureDoesNotMatch`...), the Amazon S3
/// error responses (`AccessDenied`, `InvalidAccessKeyId`, `ExpiredToken`,
/// `RequestTimeTooSkewed`), the Amazon EC2 error codes
/// (`UnauthorizedOperation`, `AuthFailure`; CloudTrail writes EC2's with a
/// `Client.` prefix), and Amazon SNS (`AuthorizationError`).
pub const DENIAL_CODES: &[(&str, Kind)] = &[
    ("AccessDenied", Kind::Authorization),
    ("AccessDeniedException", Kind::Authorization),
    ("UnauthorizedOperation", Kind::Authorization),
    ("AuthorizationError", Kind::Authorization),
    ("AuthorizationErrorException", Kind::Authorization),
    ("UnauthorizedAccess", Kind::Authorization),
    ("SignatureDoesNotMatch", Kind::Authentication),
    ("IncompleteSignature", Kind::Authentication),
    ("InvalidSignatureException", Kind::Authentication),
    ("InvalidClientTokenId", Kind::Authentication),
    ("InvalidAccessKeyId", Kind::Authentication),
    ("UnrecognizedClientException", Kind::Authentication),
    ("ExpiredToken", Kind::Authentication),
    ("ExpiredTokenException", Kind::Authentication),
    ("TokenRefreshRequired", Kind::Authentication),
    ("InvalidToken", Kind::Authentication),
    ("MissingAuthenticationToken", Kind::Authentication),
    ("MissingAuthenticationTokenException", Kind::Authentication),
    ("RequestExpired", Kind::Authentication),
    ("RequestTimeTooSkewed", Kind::Authentication),
    ("AuthFailure", Kind::Authentication),
];

/// The gate an error code names, when it is a denial. `Client.` and `Server.`
/// prefixes (EC2) are ignored; codes ending in `AccessDenied` or
/// `AccessDeniedException` (a service's own prefix, as in
/// `KMS.AccessDeniedException`) are authorization denials.
#[must_use]
pub fn denial_kind(code: &str) -> Option<Kind> {
    let bare = code
        .strip_prefix("Client.")
        .or_else(|| code.strip_prefix("Server."))
        .unwrap_or(code);
    DENIAL_CODES
        .iter()
        .find(|(c, _)| *c == bare)
        .map(|(_, k)| *k)
        .or_else(|| {
            (bare.ends_with("AccessDenied") || bare.ends_with("AccessDeniedException"))
                .then_some(Kind::Authorization)
        })
}

/// The policy types an IAM denial message names, in the wording of the IAM
/// "Troubleshooting access denied error messages" page ("... with an explicit
/// deny in a service control policy", "... because no identity-based policy
/// allows ..."), with their JSON names. The first phrase found decides.
pub const POLICY_PHRASES: &[(&str, &str)] = &[
    ("service control policy", "scp"),
    ("resource control policy", "rcp"),
    ("permissions boundary", "permissions_boundary"),
    ("session policy", "session"),
    ("VPC endpoint policy", "vpc_endpoint"),
    ("resource-based policy", "resource"),
    ("identity-based policy", "identity"),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawEvent<'a> {
    #[serde(borrow, rename = "eventTime", alias = "eventtime")]
    pub event_time: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "eventSource", alias = "eventsource")]
    pub event_source: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "eventName", alias = "eventname")]
    pub event_name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "awsRegion", alias = "awsregion")]
    pub aws_region: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "sourceIPAddress", alias = "sourceipaddress")]
    pub source_ip: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "userAgent", alias = "useragent")]
    pub user_agent: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "errorCode", alias = "errorcode")]
    pub error_code: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "errorMessage", alias = "errormessage")]
    pub error_message: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "requestID", alias = "requestid")]
    pub request_id: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "userIdentity", alias = "useridentity")]
    pub user_identity: Option<RawIdentity<'a>>,
    #[serde(borrow)]
    pub resources: Option<Vec<RawResource<'a>>>,
    #[serde(rename = "responseElements", alias = "responseelements")]
    pub response_elements: Option<serde_json::Value>,
    /// `aws cloudtrail lookup-events` output holds the event as a JSON string.
    #[serde(borrow, rename = "CloudTrailEvent")]
    pub cloudtrail_event: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawIdentity<'a> {
    #[serde(borrow, rename = "type")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "principalId", alias = "principalid")]
    pub principal_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub arn: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "accountId", alias = "accountid")]
    pub account_id: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "accessKeyId", alias = "accesskeyid")]
    pub access_key_id: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "invokedBy", alias = "invokedby")]
    pub invoked_by: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "sessionContext", alias = "sessioncontext")]
    pub session_context: Option<RawSessionContext<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawSessionContext<'a> {
    #[serde(borrow, rename = "sessionIssuer", alias = "sessionissuer")]
    pub session_issuer: Option<RawIssuer<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawIssuer<'a> {
    #[serde(borrow)]
    pub arn: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawResource<'a> {
    #[serde(borrow, rename = "ARN", alias = "arn")]
    pub arn: Option<Cow<'a, str>>,
}

/// A denial, reduced to what triage groups and ranks by.
#[derive(Debug, Clone, Default)]
pub struct Denial {
    /// Authentication or authorization.
    pub kind: Option<Kind>,
    /// The principal, as its role for a role session.
    pub principal: String,
    /// `userIdentity.type`.
    pub principal_type: String,
    /// The access key's kind: `long-term` (AKIA), `temporary` (ASIA), or empty.
    pub key_type: &'static str,
    /// `service:eventName`.
    pub action: String,
    /// The resource, with an S3 object's key replaced by `*`.
    pub resource: String,
    /// `errorCode`, or `ConsoleLogin` for a failed console sign-in.
    pub error_code: String,
    /// The policy type the message names (`scp`, `identity`, ...), or empty.
    pub policy_type: &'static str,
    /// `explicit`, `implicit`, or empty when the message does not say.
    pub deny: &'static str,
    /// Milliseconds since the epoch.
    pub time: Option<i64>,
    /// The last time, for a grouped row read back from the Athena query.
    pub last_time: Option<i64>,
    /// How many events this stands for (1 for an event).
    pub count: u64,
    /// `sourceIPAddress`.
    pub source_ips: Vec<String>,
    /// `userAgent`.
    pub user_agents: Vec<String>,
    /// `awsRegion`.
    pub regions: Vec<String>,
    /// `requestID`.
    pub request_ids: Vec<String>,
    /// `errorMessage`.
    pub message: String,
    /// The service, `eventSource`'s first label.
    pub service: String,
    /// A compact event holding the fields `explain` reads.
    pub example: String,
}

/// What one parsed object turned out to be.
pub(crate) enum Parsed {
    Denial(Box<Denial>),
    /// A CloudTrail event that is not a denial.
    Other,
    /// JSON that is not a CloudTrail event.
    NotCloudTrail,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, serde_json::Error> {
    let raw: RawEvent<'_> = serde_json::from_slice(bytes)?;
    if let Some(inner) = &raw.cloudtrail_event {
        return parse(inner.as_bytes());
    }
    Ok(from_raw(&raw))
}

fn s<'b>(v: &'b Option<Cow<'_, str>>) -> &'b str {
    v.as_deref().unwrap_or_default()
}

pub(crate) fn from_raw(raw: &RawEvent<'_>) -> Parsed {
    let (Some(source), Some(name)) = (&raw.event_source, &raw.event_name) else {
        return Parsed::NotCloudTrail;
    };
    let code = s(&raw.error_code);
    let message = s(&raw.error_message);
    let console_failure = name == "ConsoleLogin"
        && (message == "Failed authentication"
            || raw
                .response_elements
                .as_ref()
                .and_then(|r| r.get("ConsoleLogin"))
                .and_then(|v| v.as_str())
                == Some("Failure"));
    let kind = if console_failure {
        Kind::Authentication
    } else {
        match denial_kind(code) {
            Some(k) => k,
            None => return Parsed::Other,
        }
    };
    let ui = raw.user_identity.as_ref();
    let principal_type = ui.map(|u| s(&u.kind)).unwrap_or_default().to_owned();
    let principal = ui.map(principal_of).unwrap_or_default();
    let key = ui.map(|u| s(&u.access_key_id)).unwrap_or_default();
    let key_type = if key.starts_with("AKIA") {
        "long-term"
    } else if key.starts_with("ASIA") {
        "temporary"
    } else {
        ""
    };
    let service = source.split('.').next().unwrap_or_default().to_owned();
    let resource = raw
        .resources
        .as_ref()
        .and_then(|r| r.first())
        .and_then(|r| r.arn.as_deref())
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .or_else(|| message_resource(message))
        .map(|r| resource_pattern(&r))
        .unwrap_or_default();
    let (policy_type, deny) = policy_of(message);
    let opt = |v: &Option<Cow<'_, str>>| v.as_deref().map(str::to_owned).into_iter().collect();
    let example = example_json(raw);
    Parsed::Denial(Box::new(Denial {
        kind: Some(kind),
        principal,
        principal_type,
        key_type,
        action: format!("{service}:{name}"),
        resource,
        error_code: if console_failure && code.is_empty() {
            "ConsoleLogin".to_owned()
        } else {
            code.to_owned()
        },
        policy_type,
        deny,
        time: raw
            .event_time
            .as_deref()
            .and_then(crate::time::parse_datetime),
        last_time: None,
        count: 1,
        source_ips: opt(&raw.source_ip),
        user_agents: opt(&raw.user_agent),
        regions: opt(&raw.aws_region),
        request_ids: opt(&raw.request_id),
        message: message.to_owned(),
        service,
        example,
    }))
}

/// The principal one fix would address: a role session's role, not the session.
fn principal_of(u: &RawIdentity<'_>) -> String {
    let arn = s(&u.arn);
    match s(&u.kind) {
        "AssumedRole" => {
            let issuer = u
                .session_context
                .as_ref()
                .and_then(|c| c.session_issuer.as_ref())
                .map(|i| s(&i.arn))
                .unwrap_or_default();
            if issuer.is_empty() {
                role_of_session(arn)
            } else {
                issuer.to_owned()
            }
        }
        "AWSService" => s(&u.invoked_by).to_owned(),
        _ if !arn.is_empty() => arn.to_owned(),
        _ if !s(&u.principal_id).is_empty() => s(&u.principal_id).to_owned(),
        _ if !s(&u.account_id).is_empty() => format!("account {}", s(&u.account_id)),
        _ => String::new(),
    }
}

/// `arn:aws:sts::111122223333:assumed-role/Name/session` to
/// `arn:aws:iam::111122223333:role/Name` (a role's path is not in the session ARN).
pub fn role_of_session(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [a, partition, "sts", _, account, rest] if rest.starts_with("assumed-role/") => {
            let name = rest.split('/').nth(1).unwrap_or_default();
            format!("{a}:{partition}:iam::{account}:role/{name}")
        }
        _ => arn.to_owned(),
    }
}

/// The resource an IAM message names after `on resource: `, unquoted.
fn message_resource(message: &str) -> Option<String> {
    let at = message.find("on resource: ")? + "on resource: ".len();
    let rest = message.get(at..)?;
    let rest = rest.strip_prefix('"').unwrap_or(rest);
    let end = rest.find(['"', ' ']).unwrap_or(rest.len());
    let r = rest.get(..end)?;
    (!r.is_empty()).then(|| r.to_owned())
}

/// An S3 object ARN becomes its bucket's objects (`arn:aws:s3:::b/*`): one
/// bucket policy or grant covers them all. Other ARNs are kept as they are.
pub fn resource_pattern(arn: &str) -> String {
    if let Some(rest) = arn.strip_prefix("arn:aws:s3:::") {
        if let Some((bucket, _)) = rest.split_once('/') {
            return format!("arn:aws:s3:::{bucket}/*");
        }
    }
    arn.to_owned()
}

fn policy_of(message: &str) -> (&'static str, &'static str) {
    let policy = POLICY_PHRASES
        .iter()
        .find(|(p, _)| message.contains(p))
        .map_or("", |(_, t)| t);
    let deny = if message.contains("explicit deny") {
        "explicit"
    } else if message.contains("because no ") {
        "implicit"
    } else {
        ""
    };
    (policy, deny)
}

/// The fields of `raw` that `explain` reads, as a compact CloudTrail event.
fn example_json(raw: &RawEvent<'_>) -> String {
    let mut event = serde_json::Map::new();
    let mut put = |k: &str, v: &Option<Cow<'_, str>>| {
        if let Some(v) = v {
            event.insert(k.to_owned(), serde_json::Value::String(v.to_string()));
        }
    };
    put("eventTime", &raw.event_time);
    put("eventSource", &raw.event_source);
    put("eventName", &raw.event_name);
    put("awsRegion", &raw.aws_region);
    put("errorCode", &raw.error_code);
    put("errorMessage", &raw.error_message);
    put("requestID", &raw.request_id);
    if let Some(u) = &raw.user_identity {
        let mut ui = serde_json::Map::new();
        for (k, v) in [
            ("type", &u.kind),
            ("principalId", &u.principal_id),
            ("arn", &u.arn),
            ("accountId", &u.account_id),
            ("accessKeyId", &u.access_key_id),
            ("invokedBy", &u.invoked_by),
        ] {
            if let Some(v) = v {
                ui.insert(k.to_owned(), serde_json::Value::String(v.to_string()));
            }
        }
        event.insert("userIdentity".to_owned(), serde_json::Value::Object(ui));
    }
    if let Some(arn) = raw
        .resources
        .as_ref()
        .and_then(|r| r.first())
        .and_then(|r| r.arn.as_deref())
    {
        event.insert("resources".to_owned(), serde_json::json!([{ "ARN": arn }]));
    }
    serde_json::Value::Object(event).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denial(t: &str) -> Denial {
        match parse(t.as_bytes()).unwrap() {
            Parsed::Denial(d) => *d,
            _ => panic!("not a denial: {t}"),
        }
    }

    #[test]
    fn codes_from_the_error_references() {
        assert_eq!(denial_kind("AccessDenied"), Some(Kind::Authorization));
        assert_eq!(
            denial_kind("Client.UnauthorizedOperation"),
            Some(Kind::Authorization)
        );
        assert_eq!(denial_kind("ExpiredToken"), Some(Kind::Authentication));
        assert_eq!(
            denial_kind("SignatureDoesNotMatch"),
            Some(Kind::Authentication)
        );
        assert_eq!(denial_kind("NoSuchKey"), None);
        assert_eq!(denial_kind("ThrottlingException"), None);
    }

    #[test]
    fn a_role_session_is_grouped_as_its_role() {
        // userIdentity of type AssumedRole, as in the CloudTrail userIdentity element reference.
        let d = denial(
            r#"{"eventTime":"2026-11-20T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::111122223333:assumed-role/App/i-0abc is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::data/reports/a.csv\" because no identity-based policy allows the s3:GetObject action","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/i-0abc","accessKeyId":"ASIAEXAMPLE"}}"#,
        );
        assert_eq!(d.principal, "arn:aws:iam::111122223333:role/App");
        assert_eq!(d.action, "s3:GetObject");
        assert_eq!(d.resource, "arn:aws:s3:::data/*");
        assert_eq!(d.policy_type, "identity");
        assert_eq!(d.deny, "implicit");
        assert_eq!(d.key_type, "temporary");
        assert_eq!(d.time, crate::time::parse_datetime("2026-11-20T10:00:00Z"));
    }

    #[test]
    fn console_sign_in_failure_is_authentication() {
        // "AWS Management Console sign-in events": a failure carries
        // `"errorMessage": "Failed authentication"` and `"ConsoleLogin": "Failure"`.
        let d = denial(
            r#"{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/Anaya"}}"#,
        );
        assert_eq!(d.kind, Some(Kind::Authentication));
        assert_eq!(d.error_code, "ConsoleLogin");
    }

    #[test]
    fn non_denials_and_non_cloudtrail() {
        assert!(matches!(
            parse(br#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"NoSuchKey"}"#).unwrap(),
            Parsed::Other
        ));
        assert!(matches!(
            parse(br#"{"name":"x","errorCode":"AccessDenied"}"#).unwrap(),
            Parsed::NotCloudTrail
        ));
    }
}
