//! What to do about a finding: the remediation checklist, the caveats (what the
//! message cannot tell) and the one-sentence summary.
//!
//! Everything here is computed from the typed fields of a [`Finding`]; nothing
//! re-reads the pasted text. Every value that came from that text is untrusted:
//! in commands it is quoted for POSIX shells with [`shell_quote`], in prose it is
//! wrapped with [`code_span`], so that it can neither run as shell code nor break
//! out of Markdown.
//!
//! Facts behind the advice, by page:
//! - AWS IAM User Guide, "Troubleshoot access denied error messages": the message
//!   forms, "only one policy type is reported", "the number of same-type policies
//!   is not given", cross-account access needs both sides.
//! - AWS IAM User Guide, "Policy evaluation logic" and "The difference between
//!   explicit and implicit denies".
//! - Amazon S3 User Guide, "Troubleshoot access denied (403 Forbidden) errors":
//!   the extra context (policy type, reason) is only given for requests from the
//!   same account or the same organization.
//! - AWS CLI reference: `sts get-caller-identity`, `sts decode-authorization-message`,
//!   `iam simulate-principal-policy`, `organizations list-policies-for-target`,
//!   `accessanalyzer validate-policy`.
//! - gcloud reference: `policy-intelligence troubleshoot-policy iam RESOURCE
//!   --principal-email=EMAIL --permission=PERMISSION`, `org-policies describe
//!   CONSTRAINT --project=PROJECT_ID --effective`.
//! - Azure docs, "List Azure role assignments using Azure CLI": `--assignee`,
//!   `--scope`, `--include-inherited`, `--include-groups`; "Understand Azure deny
//!   assignments".
//! - Kubernetes reference, `kubectl auth can-i VERB TYPE --as=... -n ...` and
//!   `--list`; service accounts impersonated as `system:serviceaccount:NS:NAME`.
//! - RFC 8470 (425 Too Early), RFC 9110 (401 and `WWW-Authenticate`, 403, 404),
//!   the Fetch standard (CORS).

use crate::model::{
    Caveat, ChecklistItem, Confidence, DenyKind, Finding, FindingEvaluation, Gate, PolicyType,
    Provider, Stage, Verdict,
};

/// Longest value shown in prose; longer values are cut with an ellipsis.
/// Commands always carry the whole value.
const MAX_SHOWN_CHARS: usize = 200;

// ---------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------

/// Quotes `value` as one word for POSIX shells (sh, bash, zsh, dash).
///
/// A value made only of characters that no POSIX shell treats specially
/// (`A-Z a-z 0-9 @ % + = : , . / _ -`) is returned as is; anything else is put in
/// single quotes, inside which the shell interprets nothing, and each embedded
/// single quote is written as `'\''`. The empty string becomes `''`.
#[must_use]
pub fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '_' | '-')
        });
    if plain {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len().saturating_add(2));
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Wraps `value` as Markdown inline code that cannot break out of itself.
///
/// Control characters (newlines included) and bidirectional overrides become spaces, so that the value cannot
/// start a new Markdown block; values longer than 200 characters are cut with `…`;
/// the fence is one backtick longer than the longest run of backticks inside, and
/// padded with a space when the value starts or ends with a backtick (CommonMark,
/// "Code spans"). The result also reads well as plain text.
#[must_use]
pub fn code_span(value: &str) -> String {
    let shown = shorten(value);
    let mut longest = 0usize;
    let mut run = 0usize;
    for c in shown.chars() {
        if c == '`' {
            run = run.saturating_add(1);
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    if shown.is_empty() {
        return "` `".to_owned();
    }
    let fence = "`".repeat(longest.saturating_add(1));
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// Whether `c` could change how a terminal or a page shows text: control
/// characters and the Unicode bidirectional overrides, isolates and marks.
pub(crate) fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `value` with dangerous characters turned into spaces and cut to the display limit.
fn shorten(value: &str) -> String {
    let mut out = String::new();
    for (count, c) in value.chars().enumerate() {
        if count >= MAX_SHOWN_CHARS {
            out.push('…');
            break;
        }
        out.push(if is_dangerous(c) { ' ' } else { c });
    }
    out
}

/// Whether a value from the pasted text can go into a command: not empty, no
/// control characters (a multi-line value is never a real ARN, email or name),
/// and not starting with `-`, which a command would read as an option however it
/// is quoted.
/// A byte of the identifiers providers issue (`p-examp1e`, a VPC-SC unique id):
/// values made only of these need no quoting anywhere they are put.
fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A value a command can take as it is: not empty, not an option, and not a
/// mask (`***`, `...`) that stood for the value in a published message.
fn usable(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.starts_with('-')
        && !v.chars().any(char::is_control)
        && v.chars().any(char::is_alphanumeric)
}

/// The shell word for `value`, or `placeholder` (written unquoted, as `<...>`) when
/// the message gave no usable value.
fn arg(value: Option<&str>, placeholder: &str) -> String {
    match value {
        Some(v) if usable(v) => shell_quote(v.trim()),
        _ => placeholder.to_owned(),
    }
}

/// `value` as inline code, or the placeholder as inline code.
fn shown(value: Option<&str>, placeholder: &str) -> String {
    match value {
        Some(v) if !v.trim().is_empty() => code_span(v.trim()),
        _ => code_span(placeholder),
    }
}

// ---------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------

pub(crate) fn fact<'a>(f: &'a Finding, key: &str) -> Option<&'a str> {
    f.facts
        .iter()
        .find(|x| x.key == key)
        .map(|x| x.value.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The parts of an ARN: partition, service, region, account, resource.
struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    account: &'a str,
    resource: &'a str,
}

fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.trim().splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        account,
        resource,
    })
}

/// The 12-digit account of an ARN, when it has one (S3 bucket ARNs do not).
fn arn_account(value: &str) -> Option<&str> {
    let arn = parse_arn(value)?;
    (arn.account.len() == 12 && arn.account.bytes().all(|b| b.is_ascii_digit()))
        .then_some(arn.account)
}

/// What kind of IAM principal an ARN names, for the simulator.
enum SimSource {
    /// A user, group or role ARN, usable as is.
    Direct(String),
    /// A role session, turned into its role ARN.
    FromSession { role_arn: String },
    /// Something the simulator cannot take (root, federated user, service, not an ARN).
    Unusable,
}

fn simulation_source(principal: Option<&str>) -> SimSource {
    let Some(p) = principal else {
        return SimSource::Unusable;
    };
    let Some(arn) = parse_arn(p) else {
        return SimSource::Unusable;
    };
    match arn.service {
        "iam"
            if ["user/", "role/", "group/"]
                .iter()
                .any(|k| arn.resource.starts_with(k)) =>
        {
            SimSource::Direct(p.trim().to_owned())
        }
        "sts" => {
            let Some(rest) = arn.resource.strip_prefix("assumed-role/") else {
                return SimSource::Unusable;
            };
            let role = rest.split('/').next().unwrap_or("");
            if role.is_empty() {
                return SimSource::Unusable;
            }
            SimSource::FromSession {
                role_arn: format!("arn:{}:iam::{}:role/{}", arn.partition, arn.account, role),
            }
        }
        _ => SimSource::Unusable,
    }
}

/// The last path segment of an IAM user or role ARN: the name the IAM API wants.
fn iam_name<'a>(value: &'a str, kind: &str) -> Option<&'a str> {
    let arn = parse_arn(value)?;
    if arn.service != "iam" {
        return None;
    }
    let rest = arn.resource.strip_prefix(kind)?.strip_prefix('/')?;
    rest.rsplit('/').next().filter(|s| !s.is_empty())
}

/// The service prefix of an action (`s3` for `s3:GetObject`), lowercased.
fn action_service(action: Option<&str>) -> Option<String> {
    let a = action?;
    let (service, _) = a.split_once(':')?;
    Some(service.trim().to_ascii_lowercase())
}

/// The API name of an action (`GetObject` for `s3:GetObject`).
fn action_name(action: Option<&str>) -> Option<&str> {
    action?
        .split_once(':')
        .map(|(_, n)| n.trim())
        .filter(|n| !n.is_empty())
}

fn is_assume_role(action: Option<&str>) -> bool {
    action.is_some_and(|a| a.trim().to_ascii_lowercase().starts_with("sts:assumerole"))
}

fn code_is(f: &Finding, names: &[&str]) -> bool {
    // A provider's fixed message stands for its code when the code itself is
    // not in the text (`messageOf`, set by the grammar that read the message).
    f.error_code
        .as_deref()
        .or_else(|| fact(f, "messageOf"))
        .is_some_and(|c| {
            let c = c.trim();
            // SDKs sometimes prefix the code: `Client.UnauthorizedOperation`.
            let bare = c.rsplit('.').next().unwrap_or(c);
            names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(c) || n.eq_ignore_ascii_case(bare))
        })
}

/// The scheme of a `WWW-Authenticate` value: its first token (RFC 9110, 11.6.1).
fn auth_scheme(header: &str) -> &str {
    header
        .split_whitespace()
        .next()
        .map_or(header, |t| t.trim_end_matches(','))
}

fn is_cors(f: &Finding) -> bool {
    f.error_code
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("cors"))
        || fact(f, "reason").is_some_and(|r| r.contains("CORS") || r.contains("Cross-Origin"))
}

/// The email that gcloud's troubleshooter wants: `user:a@b` and
/// `serviceAccount:a@b` lose their prefix.
fn gcp_email(principal: Option<&str>) -> Option<&str> {
    let p = principal?.trim();
    let p = p.split_once(':').map_or(p, |(kind, rest)| {
        if ["user", "serviceaccount", "group", "principal"]
            .contains(&kind.to_ascii_lowercase().as_str())
        {
            rest
        } else {
            p
        }
    });
    p.contains('@').then_some(p)
}

/// The full resource name for the troubleshooter: `//service.googleapis.com/...`
/// as is; a bare `projects/ID` as a Resource Manager project.
fn gcp_full_resource(resource: Option<&str>) -> Option<String> {
    let r = resource?.trim();
    if r.starts_with("//") {
        return Some(r.to_owned());
    }
    let id = r.strip_prefix("projects/")?;
    (!id.is_empty() && !id.contains('/'))
        .then(|| format!("//cloudresourcemanager.googleapis.com/{r}"))
}

/// The project id in a GCP resource name, if it names one.
fn gcp_project(resource: Option<&str>) -> Option<&str> {
    let r = resource?;
    let (_, after) = r.split_once("projects/")?;
    after
        .split('/')
        .next()
        .filter(|p| !p.is_empty() && *p != "_")
}

pub(crate) fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Aws => "AWS",
        Provider::Gcp => "Google Cloud",
        Provider::Azure => "Azure",
        Provider::Kubernetes => "Kubernetes",
        Provider::Http => "The server",
        Provider::Github => "GitHub",
        Provider::Registry => "The registry",
        Provider::S3Compatible => "The storage service",
        Provider::Unknown => "The service",
    }
}

/// How a policy type is called in running text.
pub(crate) fn policy_type_phrase(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "identity-based policy",
        PolicyType::Resource => "resource-based policy",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::Session => "session policy",
        PolicyType::Scp => "service control policy (SCP)",
        PolicyType::Rcp => "resource control policy (RCP)",
        PolicyType::VpcEndpoint => "VPC endpoint policy",
        PolicyType::Trust => "role trust policy",
        PolicyType::KmsKey => "KMS key policy",
        PolicyType::GcpIamAllow => "IAM allow policy",
        PolicyType::GcpIamDeny => "IAM deny policy",
        PolicyType::GcpVpcServiceControls => "VPC Service Controls perimeter",
        PolicyType::GcpOrgPolicy => "organization policy constraint",
        PolicyType::AzureRbac => "role assignment",
        PolicyType::AzureDenyAssignment => "deny assignment",
        PolicyType::AzurePolicy => "Azure Policy assignment",
        PolicyType::K8sRbac => "RBAC Role or ClusterRole",
    }
}

// ---------------------------------------------------------------------------
// The checklist
// ---------------------------------------------------------------------------

/// The checklist being built: one item an id, in the order added.
pub(super) struct List {
    items: Vec<ChecklistItem>,
}

impl List {
    pub(super) fn add(&mut self, id: &str, stage: Stage, text: String, command: Option<String>) {
        if self.items.iter().any(|i| i.id == id) {
            return;
        }
        self.items.push(ChecklistItem {
            id: id.to_owned(),
            stage,
            text,
            command,
        });
    }
}

fn stage_rank(s: Stage) -> u8 {
    match s {
        Stage::Capture => 0,
        Stage::Diagnose => 1,
        Stage::Fix => 2,
        Stage::Verify => 3,
        Stage::Prevent => 4,
    }
}

/// The ordered remediation steps for `f`: capture, diagnose, fix, verify, prevent.
///
/// The steps depend on the gate (an authentication failure gets credential, clock
/// and signature steps and no policy steps; an authorization failure gets a warning
/// that rotating credentials will not help), the deny kind, the policy type, the
/// provider and the values the message named. Each item has a stable `id`; where a
/// command applies it is ready to run, with the extracted values quoted for POSIX
/// shells, or a `<placeholder>` where the message did not name the value.
#[must_use]
pub fn checklist(f: &Finding) -> Vec<ChecklistItem> {
    let mut list = List { items: Vec::new() };
    if let Some(id) = fact(f, "requestId") {
        list.add(
            "general.keep-request-id",
            Stage::Capture,
            format!(
                "Keep the request id {} with the time of the error: it is what the provider's logs and support need to find this exact call.",
                code_span(id)
            ),
            None,
        );
    }
    match (f.provider, f.gate) {
        (_, Gate::Replay) => http_replay(&mut list),
        (Provider::Github, _) => {
            super::github::checklist(f, &mut |i, s, t| list.add(i, s, t, None))
        }
        _ if super::git_hosts::applies(f) => super::git_hosts::checklist(f, &mut list),
        _ if fact(f, "service") == Some(super::vault::VAULT) => vault_items(f, &mut list),
        _ if super::firebase::applies(f) => super::firebase::checklist(f, &mut list),
        _ if super::consul::applies(f) => super::consul::checklist(f, &mut list),
        _ if super::databases::applies(f) => super::databases::checklist(f, &mut list),
        _ if fact(f, "service") == Some(super::servers::JENKINS) => {
            super::servers::jenkins_items(f, &mut list)
        }
        _ if fact(f, "service") == Some(super::servers::CLOUDFRONT) => {
            super::servers::cloudfront_items(f, &mut list)
        }
        _ if fact(f, "service") == Some(super::servers::ARGO_CD) => {
            super::servers::argo_cd_checklist(f, &mut |i, s, t| list.add(i, s, t, None));
        }
        (Provider::Azure, _) if fact(f, "service") == Some("Azure SQL Database") => {
            azure_sql_items(f, &mut list);
        }
        (Provider::Azure, _) if fact(f, "service") == Some(super::azure::DEVOPS) => {
            devops_items(f, &mut list);
        }
        (Provider::Azure, _) if fact(f, "service") == Some("Azure Pipelines") => {
            azure_pipelines_items(f, &mut list);
        }
        _ if super::registry::applies(f) => {
            super::registry::checklist(f, &mut |i, s, t| list.add(i, s, t, None))
        }
        (Provider::Http, _) if super::http::has_advice(f) => {
            super::http::checklist(f, &mut |i, s, t| list.add(i, s, t, None))
        }
        (Provider::Http | Provider::Unknown, Gate::NotAuth) if is_cors(f) => http_cors(&mut list),
        (Provider::Aws, Gate::Authentication) if fact(f, "operation") == Some("ConsoleLogin") => {
            aws_console_sign_in(f, &mut list);
        }
        (Provider::Aws, Gate::Authentication) => aws_authentication(f, &mut list),
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_SUBSCRIPTION) => aws_opt_in(f, &mut list),
        (Provider::Aws, Gate::Authorization) if fact(f, "launchPermission").is_some() => {
            aws_ami_launch(f, &mut list);
        }
        (Provider::Aws, Gate::Authorization) if fact(f, "modelAccess").is_some() => {
            aws_model_access(f, &mut list);
        }
        (Provider::Aws, Gate::Authorization)
            if fact(f, "servicePrincipal").is_some()
                && f.policy_type == Some(PolicyType::Trust) =>
        {
            aws_service_trust(f, &mut list);
        }
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_THROTTLING) => aws_throttled(f, &mut list),
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_NOT_FOUND) => aws_not_found(f, &mut list),
        (Provider::Kubernetes, _) if k8s_plugin(f).is_some() => k8s_plugin_items(f, &mut list),
        (Provider::Gcp, Gate::NotAuth) if gcp_api_disabled(f) => gcp_enable_api(f, &mut list),
        (Provider::Gcp, Gate::NotAuth) if gcp_billing(f) => gcp_billing_items(f, &mut list),
        (Provider::Gcp, Gate::NotAuth) if gcp_rate(f) => gcp_rate_items(f, &mut list),
        (Provider::Gcp, Gate::Authorization) if gcp_token_scope(f) => gcp_scope_items(f, &mut list),
        (_, Gate::NotAuth) => not_access_control(&mut list),
        (Provider::Aws, _) => aws_authorization(f, &mut list),
        (Provider::Gcp, Gate::Authentication) => gcp_authentication(&mut list),
        (Provider::Gcp, _) => gcp_authorization(f, &mut list),
        (Provider::Azure, Gate::Authentication) => azure_authentication(f, &mut list),
        (Provider::Azure, _) => azure_authorization(f, &mut list),
        (Provider::Kubernetes, Gate::Authentication) => k8s_authentication(f, &mut list),
        (Provider::Kubernetes, _) if k8s_admission_refusal(f) => k8s_admission(f, &mut list),
        (Provider::Kubernetes, _) if k8s_escalation(f) => k8s_escalation_items(f, &mut list),
        (Provider::Kubernetes, _) => k8s_authorization(f, &mut list),
        (Provider::Http | Provider::Unknown | Provider::Registry | Provider::S3Compatible, _) => {
            http_generic(f, &mut list)
        }
    }
    if let Some(e) = &f.evaluation {
        evaluation_items(e, &mut list);
    }
    let mut items = list.items;
    // Stable: items keep their relative order within a stage.
    crate::scan::sort_by_key(&mut items, |i| (usize::from(stage_rank(i.stage)), 0, 0));
    items
}

/// Steps that follow from evaluating the pasted policies: get the policy that
/// was not pasted, or fill in what the message left out.
fn evaluation_items(e: &FindingEvaluation, list: &mut List) {
    match e.verdict {
        Verdict::Allows => {
            let text = match e.ask_for {
                Some(t) => format!(
                    "The pasted policies allow this request, so the {} that refused it is not among them: {}. Then paste it here with the others to see which statement decides.",
                    policy_type_phrase(t),
                    super::evaluate::how_to_get(t)
                ),
                None => "The pasted policies allow this request, so the policy that refused it is not among them. Collect the other policies that apply to this request (SCPs, RCPs, a permissions boundary, a session policy, the resource-based policy, a VPC endpoint policy) and paste them here.".to_owned(),
            };
            list.add("aws.get-unpasted-policy", Stage::Diagnose, text, None);
        }
        Verdict::IncompleteRequest => {
            let missing: Vec<String> = e.missing.iter().map(|m| format!("the {m}")).collect();
            list.add(
                "aws.complete-request",
                Stage::Capture,
                format!(
                    "Find {} of the failed request (CloudTrail records it) and fill it in, so that the pasted policies can be evaluated against the request.",
                    missing.join(" and ")
                ),
                None,
            );
        }
        Verdict::Reproduces | Verdict::Unknown => {}
    }
}

/// The warning against rotating credentials, for authorization failures; when the
/// gate is not settled, a step that settles it instead.
fn do_not_rotate(list: &mut List, gate: Gate, who: &str) {
    if gate != Gate::Authorization {
        list.add(
            "general.identify-gate",
            Stage::Diagnose,
            "The message does not settle whether the credentials were rejected (authentication) or the identity lacks permission (authorization). Check the identity first: if that check fails, fix the credentials; if it succeeds, rotating them will not help and the policy steps below apply.".to_owned(),
            None,
        );
        return;
    }
    list.add(
        "general.do-not-rotate",
        Stage::Diagnose,
        format!(
            "Do not rotate or re-issue credentials for this: it is an authorization failure. The service knew who {who} was and refused the action, so new keys or tokens for the same identity get the same answer. The fix is in a policy or role assignment."
        ),
        None,
    );
}

fn check_clock(list: &mut List, stage: Stage) {
    list.add(
        "general.check-clock",
        stage,
        "Check the clock of the machine that signs or obtains the credentials: signed requests and tokens are only accepted within a few minutes of the server's time. Enable time synchronisation (NTP) rather than setting the clock by hand.".to_owned(),
        None,
    );
}

// --- AWS --------------------------------------------------------------------

fn aws_caller_identity(f: &Finding, list: &mut List, authn: bool) {
    let expected =
        nonempty(&f.principal).map_or_else(|| "the identity you expect".to_owned(), code_span);
    let text = if authn {
        "Run this with the same profile, environment variables and machine as the failing code. If it fails the same way, the credentials themselves are at fault; if it succeeds, the failing code is picking up different credentials than your shell.".to_owned()
    } else {
        format!(
            "Run this with the same profile, environment variables and machine as the failing code, and check that the `Arn` it prints is {expected}. Code on EC2, Lambda, ECS or in CI often runs as a different role than people assume."
        )
    };
    list.add(
        "aws.get-caller-identity",
        Stage::Capture,
        text,
        Some("aws sts get-caller-identity".to_owned()),
    );
}

/// S3's answer to a presigned URL used after its lifetime: `AccessDenied` with
/// the message `Request has expired` (S3 User Guide, "Sharing objects with
/// presigned URLs").
fn presigned_url_expired(f: &Finding) -> bool {
    code_is(f, &["AccessDenied"])
        && fact(f, "reason").is_some_and(|r| r.starts_with("Request has expired"))
}

/// A length of time for people: `2 h 31 min`, `45 s`, `3 days 4 h`.
fn duration_text(millis: i64) -> String {
    let s = millis / 1000;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".to_owned(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

// The limits: `aws s3 presign --expires-in` takes at most 604,800 seconds
// (AWS CLI reference, `s3 presign`), and a URL signed with temporary
// credentials ends with them (AWS Knowledge Center, "Why does my presigned URL
// for an Amazon S3 bucket expire before the expiration time that I specified?").
fn presigned_expired(f: &Finding, list: &mut List) {
    let expires = fact(f, "expiresAt");
    let server = fact(f, "serverTime");
    let when = match (expires, server) {
        (Some(e), Some(t)) => {
            let late = crate::time::parse_datetime(e)
                .zip(crate::time::parse_datetime(t))
                .and_then(|(e, t)| t.checked_sub(e))
                .filter(|d| *d > 0)
                .map_or_else(String::new, |d| {
                    format!(", {} after it expired", duration_text(d))
                });
            format!(
                " It was valid until {} and reached S3 at {} by S3's clock{late}.",
                code_span(e),
                code_span(t)
            )
        }
        (Some(e), None) => format!(" It was valid until {}.", code_span(e)),
        (None, Some(t)) => format!(" It reached S3 at {} by S3's clock.", code_span(t)),
        (None, None) => String::new(),
    };
    let seconds = fact(f, "xAmzExpires")
        .filter(|v| !v.is_empty() && v.len() <= 7 && v.bytes().all(|b| b.is_ascii_digit()));
    let lifetime = seconds.map_or_else(String::new, |v| {
        format!(" It was signed to last {v} seconds (`X-Amz-Expires`).")
    });
    let object = nonempty(&f.resource)
        .filter(|r| r.starts_with("arn:aws:s3:::"))
        .map(|r| format!("s3://{}", r.trim_start_matches("arn:aws:s3:::")));
    let fill = if object.is_none() {
        " The message does not name the object: fill in `s3://<bucket>/<key>`."
    } else {
        ""
    };
    let command = format!(
        "aws s3 presign {} --expires-in {}",
        arg(object.as_deref(), "s3://<bucket>/<key>"),
        seconds.unwrap_or("3600")
    );
    list.add(
        "aws.presigned-url-expired",
        Stage::Fix,
        format!(
            "The presigned URL has expired: S3 refuses it once its lifetime has passed.{when}{lifetime} Generate a new URL and use it within its lifetime. With Signature Version 4 a URL can last at most 7 days, and a URL signed with temporary credentials (a role session) stops working when those credentials expire, whatever its `X-Amz-Expires` says. The command makes a download (`GET`) URL; a URL for an upload comes from the SDK's presign call for `PutObject`.{fill}"
        ),
        Some(command),
    );
}

/// STS refused the MFA code (`MultiFactorAuthentication failed`).
fn mfa_refused(f: &Finding) -> bool {
    f.provider == Provider::Aws
        && fact(f, "reason").is_some_and(|r| r.starts_with("MultiFactorAuthentication failed"))
}

fn aws_authentication(f: &Finding, list: &mut List) {
    if mfa_refused(f) {
        list.add(
            "aws.mfa-code",
            Stage::Diagnose,
            "STS rejected the MFA code, not a permission: use a fresh code (each is valid once, for about 30 seconds), and check that the serial number the request sends (`--serial-number`, the profile's `mfa_serial`) is the ARN of an MFA device assigned to this user. A code from a device whose clock has drifted is also refused.".to_owned(),
            Some("aws iam list-mfa-devices".to_owned()),
        );
        return;
    }
    if presigned_url_expired(f) {
        // The URL's own lifetime ran out: the caller's credentials and how
        // they are resolved are not in question, so none of that is listed.
        presigned_expired(f, list);
        list.add(
            "aws.presigned-clock",
            Stage::Diagnose,
            "If the URL expired sooner than it should have, check the clock of the machine that signed it: the lifetime counts from the `X-Amz-Date` that machine wrote into the URL, so a clock running behind shortens it.".to_owned(),
            None,
        );
        list.add(
            "aws.verify-presigned",
            Stage::Verify,
            "Try the new URL once before handing it out, with the method it was signed for: a URL signed for `GET` is refused for `HEAD`, so use `curl -o /dev/null -w '%{http_code}'` with the URL in quotes rather than `curl -I`. A working URL answers 200.".to_owned(),
            None,
        );
        list.add(
            "aws.prevent-presigned",
            Stage::Prevent,
            "Create presigned URLs when they are about to be used rather than in advance, with a lifetime that covers the expected use and no more.".to_owned(),
            None,
        );
        return;
    }
    aws_caller_identity(f, list, true);
    list.add(
        "aws.credential-source",
        Stage::Capture,
        "See which credentials the CLI resolves and where they come from: environment variables win over the shared config and credentials files, which win over instance or container roles. A stale `AWS_SESSION_TOKEN` or `AWS_PROFILE` in the environment is a common cause.".to_owned(),
        Some("aws configure list".to_owned()),
    );
    let signature = code_is(f, &["SignatureDoesNotMatch"]);
    let key = code_is(
        f,
        &[
            "InvalidClientTokenId",
            "InvalidAccessKeyId",
            "UnrecognizedClientException",
            "InvalidToken",
        ],
    );
    let expired = code_is(
        f,
        &[
            "ExpiredToken",
            "ExpiredTokenException",
            "TokenRefreshRequired",
        ],
    );
    let time = code_is(
        f,
        &[
            "RequestExpired",
            "RequestTimeTooSkewed",
            "SignatureExpired",
            "AuthorizationQueryParametersError",
        ],
    );
    let sso = code_is(
        f,
        &[
            "TokenRetrievalError",
            "SSOTokenLoadError",
            "UnauthorizedSSOTokenError",
        ],
    );
    if sso {
        list.add(
            "aws.sso-login",
            Stage::Fix,
            "The IAM Identity Center (SSO) sign-in of this profile has expired or was never made, so the SDK could not get AWS credentials and nothing reached AWS. Sign in again with the profile the program uses; sign-ins last as long as the session duration the Identity Center administrator set.".to_owned(),
            Some("aws sso login --profile <profile>".to_owned()),
        );
    }
    let known = signature || key || expired || time || sso;
    if signature || !known {
        list.add(
            "aws.check-signature",
            Stage::Diagnose,
            "AWS computed the request signature from the secret key it holds for this access key id and got a different result. Check that the secret key belongs to this access key id (a copy error or a trailing space or newline is enough), that nothing (a proxy, a rewritten header or body) changed the request after signing, and, if you sign by hand, the region, service name and canonical request.".to_owned(),
            None,
        );
    }
    if key || !known {
        list.add(
            "aws.check-access-key",
            Stage::Diagnose,
            "AWS does not recognise the access key id. It may have been deleted or deactivated, belong to another partition (China or GovCloud) or an opt-in Region that is not enabled, or be a temporary key (starting with `ASIA`) sent without its session token.".to_owned(),
            None,
        );
    }
    if expired || !known {
        let when = fact(f, "expiresAt").map_or_else(String::new, |t| {
            format!(" The message says they expired at {}.", code_span(t))
        });
        list.add(
            "aws.refresh-credentials",
            Stage::Fix,
            format!(
                "The temporary credentials have expired.{when} Get new ones (assume the role again, or `aws sso login` for IAM Identity Center), and let long-running jobs use a credential provider that refreshes them instead of copying keys into the environment."
            ),
            None,
        );
    }
    if time || signature || !known {
        check_clock(list, Stage::Diagnose);
    }
    if time {
        list.add(
            "aws.presigned-expiry",
            Stage::Diagnose,
            "For a presigned URL, compare `X-Amz-Date` plus `X-Amz-Expires` with the time of use: once that moment has passed the URL is refused, and it also stops working when the credentials that signed it expire. `X-Amz-Expires` can be at most 604800 seconds (seven days) with SigV4.".to_owned(),
            None,
        );
    }
    list.add(
        "aws.verify-authentication",
        Stage::Verify,
        "Run `aws sts get-caller-identity` again with the fixed credentials, then repeat the original request. If it now fails with an authorization error instead, authentication works and the next step is the policy.".to_owned(),
        None,
    );
    list.add(
        "aws.short-lived-credentials",
        Stage::Prevent,
        "Prefer roles (instance profiles, task and execution roles, IAM Identity Center, OIDC federation for CI) to long-term access keys, keep keys out of code and environment files, and rotate any key that was exposed.".to_owned(),
        None,
    );
}

/// A Google access token that lacks an OAuth scope the API needs
/// (googleapis `error_reason.proto`, `ACCESS_TOKEN_SCOPE_INSUFFICIENT`; RFC
/// 6750's `insufficient_scope` from Google's token challenge; the message
/// "Request had insufficient authentication scopes").
pub(super) fn gcp_token_scope(f: &Finding) -> bool {
    f.provider == Provider::Gcp
        && (code_is(
            f,
            &["ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficient_scope"],
        ) || fact(f, "reason") == Some("ACCESS_TOKEN_SCOPE_INSUFFICIENT")
            || fact(f, "tokenScope").is_some())
}

fn gcp_scope_items(f: &Finding, list: &mut List) {
    // gcloud asks for `cloud-platform` with any other scope for Application
    // Default Credentials; the API's own scope is in its documentation when
    // the message does not name it.
    const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
    let scopes = match fact(f, "scope") {
        Some(s) if s == CLOUD => CLOUD.to_owned(),
        Some(s) => format!("{CLOUD},{s}"),
        None => format!("{CLOUD},<api-scope>"),
    };
    list.add(
        "gcp.token-scope-fix",
        Stage::Fix,
        format!(
            "Get a token that carries the scope. With your own account and Application Default Credentials, log in again asking for it. On a Compute Engine VM or a GKE node the token's scopes are the instance's access scopes: change them (the instance must be stopped), or give it {} and control access with IAM roles. For an OAuth app, add the scope to its consent request and have the user consent again.",
            code_span(CLOUD)
        ),
        Some(format!("gcloud auth application-default login --scopes={scopes}")),
    );
    list.add(
        "gcp.token-scope-check",
        Stage::Verify,
        "Read the scopes the new token carries before retrying; Google's token information endpoint lists them.".to_owned(),
        Some("curl -s \"https://oauth2.googleapis.com/tokeninfo?access_token=$(gcloud auth application-default print-access-token)\"".to_owned()),
    );
}

/// A Google API that is off in the calling project (googleapis
/// `error_reason.proto`, `SERVICE_DISABLED`; the JSON API's older
/// `accessNotConfigured`).
fn gcp_api_disabled(f: &Finding) -> bool {
    code_is(f, &["SERVICE_DISABLED", "accessNotConfigured"])
        || fact(f, "reason") == Some("SERVICE_DISABLED")
        || fact(f, "serviceDisabled").is_some()
}

fn gcp_enable_api(f: &Finding, list: &mut List) {
    let service = fact(f, "service").unwrap_or("<service>.googleapis.com");
    let project = gcp_project(f.resource.as_deref()).unwrap_or("<project>");
    list.add(
        "gcp.enable-api",
        Stage::Fix,
        "Enable the API in the project that makes the call: for a service account, its own project; for an OAuth client or an API key, the project that owns it (often not the one holding the data). Someone with `serviceusage.services.enable` on that project can do it.".to_owned(),
        Some(format!("gcloud services enable {service} --project {project}")),
    );
    list.add(
        "gcp.verify-api-enabled",
        Stage::Verify,
        "Check that the API is listed as enabled, then retry after a few minutes: enabling takes a while to reach every Google system.".to_owned(),
        Some(format!("gcloud services list --enabled --project {project}")),
    );
}

/// Google's codes for a project whose billing is off or whose billing
/// account is closed (catalogue: `BILLING_DISABLED`, the JSON API's
/// `accountDisabled`, Cloud Storage XML's `UserProjectAccountProblem`).
fn gcp_billing(f: &Finding) -> bool {
    code_is(
        f,
        &[
            "BILLING_DISABLED",
            "accountDisabled",
            "UserProjectAccountProblem",
        ],
    ) || fact(f, "reason") == Some("BILLING_DISABLED")
        || fact(f, "billingDisabled").is_some()
}

/// Google's codes for a request over a rate or a quota (catalogue).
const GCP_RATE: &[&str] = &[
    "RATE_LIMIT_EXCEEDED",
    "RESOURCE_EXHAUSTED",
    "rateLimitExceeded",
    "userRateLimitExceeded",
    "dailyLimitExceeded",
    "quotaExceeded",
];

/// A Google rate or quota refusal: by its code, or by the quota sentence.
fn gcp_rate(f: &Finding) -> bool {
    code_is(f, GCP_RATE) || fact(f, "reason").is_some_and(|r| r.starts_with("Quota exceeded"))
}

fn gcp_billing_items(f: &Finding, list: &mut List) {
    let project = gcp_project(f.resource.as_deref()).unwrap_or("<project>");
    list.add(
        "gcp.billing",
        Stage::Diagnose,
        "Google Cloud refused the request because the project that pays for it has no open billing account (billing was never enabled, was turned off, or its billing account is closed or suspended). Roles and credentials are not the cause. With Cloud Storage, that project is the bucket's own project, or the one named as `userProject` on a Requester Pays bucket.".to_owned(),
        Some(format!("gcloud billing projects describe {project}")),
    );
    list.add(
        "gcp.billing-fix",
        Stage::Fix,
        "Link the project to an open billing account (Billing > Account management in the console); it takes someone with the Billing Account User role on that account and the Project Billing Manager role on the project. Then retry: the change can take a few minutes to reach every service.".to_owned(),
        Some(format!("gcloud billing projects link {project} --billing-account=<billing-account-id>")),
    );
}

fn gcp_rate_items(f: &Finding, list: &mut List) {
    let daily = code_is(f, &["dailyLimitExceeded", "quotaExceeded"])
        || fact(f, "reason").is_some_and(|r| r.starts_with("Quota exceeded"));
    list.add(
        "gcp.rate",
        Stage::Diagnose,
        if daily {
            "The project used up a quota of this API (for a daily quota, until it resets at midnight Pacific time). The credentials and permissions are fine: changing them will not help.".to_owned()
        } else {
            "The request went over a rate limit of this API (per project, or per user of the project). The credentials and permissions are fine: changing them will not help.".to_owned()
        },
        None,
    );
    list.add(
        "gcp.rate-fix",
        Stage::Fix,
        "Retry with exponential backoff (the Google client libraries do this for rate errors), spread the calls over time, and where the limit is a quota, read its usage and ask for more on the API's Quotas page in the console.".to_owned(),
        None,
    );
}

fn not_access_control(list: &mut List) {
    list.add(
        "general.not-access-control",
        Stage::Diagnose,
        "This refusal is not an access-control decision: neither the credentials nor the permissions are the cause, so changing them will not help. Look up the error code in the service's documentation for the condition it reports.".to_owned(),
        None,
    );
}

/// AWS codes for an account not signed up for a service or Region (catalogue).
const AWS_SUBSCRIPTION: &[&str] = &[
    "OptInRequired",
    "SubscriptionRequiredException",
    "NotSignedUp",
];
/// AWS codes for a request refused for its rate (catalogue).
const AWS_THROTTLING: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "SlowDown",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
];
/// AWS codes for a resource that does not exist (catalogue).
const AWS_NOT_FOUND: &[&str] = &[
    "ResourceNotFoundException",
    "NotFoundException",
    "NoSuchBucket",
    "NoSuchKey",
    "NoSuchEntity",
];

/// A request AWS refused for its rate. The AWS SDKs retry throttling errors
/// with backoff by themselves ("Retry behavior", AWS SDKs and Tools Reference
/// Guide); S3 scales per prefix (S3 User Guide, "Best practices design
/// patterns: optimizing Amazon S3 performance").
fn aws_throttled(f: &Finding, list: &mut List) {
    list.add(
        "aws.throttled",
        Stage::Diagnose,
        "AWS limits how fast an account may call each API (per Region, and for Amazon S3 per key prefix); this request went over that rate. The credentials and permissions are fine: changing them will not help.".to_owned(),
        None,
    );
    let s3 = code_is(f, &["SlowDown"]);
    list.add(
        "aws.throttled-fix",
        Stage::Fix,
        if s3 {
            "Retry with exponential backoff (the AWS SDKs do this; raise their retry attempts or use the adaptive retry mode), and spread the load over more key prefixes: Amazon S3 scales request rates per prefix.".to_owned()
        } else {
            "Retry with exponential backoff and jitter (the AWS SDKs do this; raise their retry attempts or use the adaptive retry mode), spread bursts of calls over time, and where the limit is a quota, ask for more in Service Quotas.".to_owned()
        },
        None,
    );
}

/// EC2's `Not authorized for images`: the AMI's launch permissions (EC2 User
/// Guide, "Share an AMI with specific AWS accounts"; AMIs are Regional).
fn aws_ami_launch(f: &Finding, list: &mut List) {
    let ami = nonempty(&f.resource).unwrap_or("<ami-id>");
    list.add(
        "aws.ami-launch-permission",
        Stage::Diagnose,
        format!("Check that {} exists in the Region the instance is launched in (an AMI id belongs to one Region) and that this account may launch it: it must be public, owned by this account, or shared with it by its owner.", code_span(ami)),
        Some(format!("aws ec2 describe-images --image-ids {ami} --query 'Images[].[OwnerId,Public,State]'")),
    );
    list.add(
        "aws.ami-share",
        Stage::Fix,
        "Ask the AMI's owner to share it with this account (its launch permissions), or copy it into this account and Region and launch the copy. An AMI encrypted with a customer managed KMS key also needs that key shared.".to_owned(),
        None,
    );
}

/// Amazon Bedrock's refusal of a model the account has no access to: model
/// access is granted per account and Region in Bedrock itself, apart from IAM
/// (Bedrock User Guide, "Access Amazon Bedrock foundation models").
fn aws_model_access(f: &Finding, list: &mut List) {
    list.add(
        "aws.bedrock-model-access",
        Stage::Diagnose,
        "Check that the model ID is one Bedrock offers in the Region the call went to (`AWS_REGION` or the profile's Region), spelled exactly as listed, and that this account has been granted access to that model there: Bedrock grants model access per account and Region, apart from IAM.".to_owned(),
        Some("aws bedrock list-foundation-models --query 'modelSummaries[].modelId'".to_owned()),
    );
    list.add(
        "aws.bedrock-request-access",
        Stage::Fix,
        "Request access to the model on the Model access page of the Amazon Bedrock console, in that Region (some providers' models ask for a use-case form first), or call a model the account already has access to. The caller's IAM policies must also allow the invoke action on the model.".to_owned(),
        None,
    );
    let _ = f;
}

/// A service that could not assume the role it was handed: the role's trust
/// policy, not the caller's permissions, decides.
fn aws_service_trust(f: &Finding, list: &mut List) {
    aws_trust_policy(f, list);
    let service = fact(f, "servicePrincipal").unwrap_or_default();
    list.add(
        "aws.trust-policy-service-fix",
        Stage::Fix,
        format!(
            "Add a statement that lets {} assume the role (`\"Principal\":{{\"Service\":{}}}` with `\"Action\":\"sts:AssumeRole\"`), or pass a role made for this service. Whoever passes the role also needs `iam:PassRole` on it.",
            code_span(service),
            serde_json::to_string(service).unwrap_or_default()
        ),
        None,
    );
}

/// A resource AWS says does not exist: usually a name, Region or account that
/// is not the one meant.
fn aws_not_found(f: &Finding, list: &mut List) {
    let what = nonempty(&f.resource).map_or_else(|| "the resource".to_owned(), code_span);
    list.add(
        "aws.not-found",
        Stage::Diagnose,
        format!("Check that {what} exists under exactly this name, in the Region the call was sent to (the SDK's or profile's Region, `AWS_REGION`) and in the account the credentials belong to: a resource in another Region or account reads as not found. This is not a permissions problem."),
        None,
    );
    list.add(
        "aws.not-found-account",
        Stage::Diagnose,
        "See which account and identity made the call.".to_owned(),
        Some("aws sts get-caller-identity".to_owned()),
    );
}

fn aws_opt_in(f: &Finding, list: &mut List) {
    let region =
        fact(f, "region").map_or_else(String::new, |r| format!(" (Region {})", code_span(r)));
    list.add(
            "aws.opt-in",
            Stage::Diagnose,
            format!(
                "The account is not subscribed to this service, or the Region{region} is an opt-in Region that has not been enabled for the account. This is not a permissions problem: no policy change will fix it. Enable the Region or service for the account (account settings, or ask the account owner), then retry."
            ),
            None,
        );
    list.add(
            "aws.verify-opt-in",
            Stage::Verify,
            "Repeat the request once the Region or service shows as enabled; enabling a Region can take a while to complete.".to_owned(),
            None,
        );
}

fn aws_authorization(f: &Finding, list: &mut List) {
    let principal = nonempty(&f.principal);
    let action = nonempty(&f.action);
    let resource = nonempty(&f.resource);
    let service = action_service(action);
    let encoded = fact(f, "encodedMessage");

    aws_caller_identity(f, list, false);
    if encoded.is_some() || code_is(f, &["UnauthorizedOperation"]) {
        list.add(
            "aws.decode-authorization-message",
            Stage::Capture,
            "The error carries an encoded authorization message that only AWS STS can decode (it cannot be read offline). Decode it with an identity allowed `sts:DecodeAuthorizationMessage`: the result says whether the deny was explicit, which statements matched, and the full request context. Paste the decoded JSON here for a complete explanation.".to_owned(),
            Some(format!(
                "aws sts decode-authorization-message --encoded-message {} --query DecodedMessage --output text",
                arg(encoded, "<encoded-message>")
            )),
        );
    }
    let event = action_name(action);
    let cloudtrail_text = format!(
        "Find the failed call in CloudTrail near the time of the error: its `errorCode`, `errorMessage` and `userIdentity` confirm the principal, action and resource AWS evaluated.{} Event history only holds management events of the last 90 days; S3 object-level calls such as `GetObject` appear only in a trail with data events enabled.",
        if event.is_none() { " The message did not name the action, so fill in the event name." } else { "" }
    );
    list.add(
        "aws.cloudtrail-event",
        Stage::Capture,
        cloudtrail_text,
        Some(format!(
            "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue={}",
            arg(event, "<event-name>")
        )),
    );

    let who = principal.map_or_else(|| "the caller".to_owned(), code_span);
    do_not_rotate(list, f.gate, &who);

    let ptype = f.policy_type;
    let deny = f.deny.unwrap_or(DenyKind::Unknown);
    match ptype {
        Some(PolicyType::Scp) if fact(f, "via") != Some("vpc_endpoint") => {
            aws_check_org_policy(f, list, true);
        }
        Some(PolicyType::Rcp) => aws_check_org_policy(f, list, false),
        Some(PolicyType::PermissionsBoundary) => aws_permissions_boundary(f, list),
        Some(PolicyType::Session) => list.add(
            "aws.session-policy",
            Stage::Diagnose,
            "Inspect the session policy: the inline `Policy` or the `PolicyArns` passed when the session was created (`AssumeRole`, `AssumeRoleWithWebIdentity`, `GetFederationToken`, or the tool that did it for you). The session can only do what both the role's policies and the session policy allow, so a role with broad permissions can still be denied here.".to_owned(),
            None,
        ),
        Some(PolicyType::Scp) => {
            // "... in a VPC endpoint policy transitively through a service control
            // policy": the IAM troubleshooting page sends the reader to the SCPs
            // for the Deny statement, not to the endpoint.
            list.add(
                "aws.vpc-endpoint-via-scp",
                Stage::Diagnose,
                "The request went through a VPC endpoint, but the explicit deny came from a service control policy that applies to the caller's account (the message says \"transitively through a service control policy\"). Look for the `Deny` statement in the SCPs first; the endpoint's own policy is not what refused.".to_owned(),
                None,
            );
            aws_check_org_policy(f, list, true);
        }
        Some(PolicyType::VpcEndpoint) => list.add(
            "aws.vpc-endpoint-policy",
            Stage::Diagnose,
            "The request went through a VPC endpoint whose policy did not let it pass. Find the endpoint the caller's route uses for this service and read its policy: it must allow this principal, action and resource.".to_owned(),
            Some("aws ec2 describe-vpc-endpoints --query 'VpcEndpoints[].[VpcEndpointId,ServiceName,PolicyDocument]'".to_owned()),
        ),
        Some(PolicyType::Resource) => aws_resource_policy(f, list),
        Some(PolicyType::Identity) => aws_identity_policies(f, list),
        Some(PolicyType::Trust) | Some(PolicyType::KmsKey) => {}
        None => list.add(
            "aws.policy-type-unknown",
            Stage::Diagnose,
            "The message does not say which kind of policy refused the request. Check, in this order: service and resource control policies (ask the organization's administrators), a permissions boundary on the identity, a session policy, the identity-based policies, the resource-based policy (bucket, key, queue or topic policy), and a VPC endpoint policy if the call goes through one.".to_owned(),
            None,
        ),
        Some(_) => {}
    }
    if ptype == Some(PolicyType::Trust) || is_assume_role(action) {
        aws_trust_policy(f, list);
    }

    aws_simulate(f, list, Stage::Diagnose);

    if let (Some(p), Some(r)) = (principal, resource) {
        if let (Some(pa), Some(ra)) = (arn_account(p), arn_account(r)) {
            if pa != ra {
                list.add(
                    "aws.cross-account-both-sides",
                    Stage::Diagnose,
                    format!(
                        "This is a cross-account request: the caller is in account {} and the resource in account {}. Both sides must allow it: an identity-based policy in the caller's account, and the resource-based policy (bucket, key, queue or topic policy, or the role's trust policy) in the resource's account. Check both; either one alone is not enough.",
                        code_span(pa),
                        code_span(ra)
                    ),
                    None,
                );
            }
        }
    }
    // KMS can refuse underneath only a call that reads or writes encrypted
    // data (an S3 object, a queue message, a secret, a parameter, an item); and
    // such a call, once this denial is fixed, still needs the key. Bucket
    // settings such as `s3:PutBucketPolicy` never touch a key.
    let kms_key_resource = resource
        .and_then(parse_arn)
        .is_some_and(|a| a.service == "kms");
    let data_call = match nonempty(&f.action) {
        Some(a) => KMS_DATA_ACTIONS.iter().any(|d| d.eq_ignore_ascii_case(a)),
        // Without the action, an S3 denial may still be on an object.
        None => matches!(service.as_deref(), Some("s3")),
    };
    let kms_related = ptype == Some(PolicyType::KmsKey)
        || kms_key_resource
        || matches!(service.as_deref(), Some("kms"))
        // An explicit Deny the message places in a named policy is the cause;
        // the key is not.
        || (data_call && !(f.deny == Some(DenyKind::Explicit) && ptype.is_some()));
    if kms_related {
        aws_kms(f, list);
    }
    list.add(
        "aws.condition-keys",
        Stage::Diagnose,
        "Compare every `Condition` in the statements that should allow this (or that deny it) with what the request actually carried: network (`aws:SourceIp`, `aws:SourceVpc`, `aws:SourceVpce`), MFA (`aws:MultiFactorAuthPresent`), tags (`aws:PrincipalTag/...`, `aws:ResourceTag/...`, `aws:RequestTag/...`), organization (`aws:PrincipalOrgID`) and Region (`aws:RequestedRegion`). A condition that does not match turns an Allow off, and a Deny written with a negated condition (`StringNotEquals`, `Bool` false) on. Condition key names are case-insensitive, so keys that differ only by case collide.".to_owned(),
        None,
    );

    match deny {
        DenyKind::Explicit => aws_narrow_deny(f, list),
        DenyKind::Implicit => aws_add_allow(f, list),
        DenyKind::Unknown => {
            aws_narrow_deny(f, list);
            aws_add_allow(f, list);
        }
    }

    list.add(
        "aws.eventual-consistency",
        Stage::Verify,
        "IAM is eventually consistent: a policy change can take a short while to apply everywhere. Wait a little before concluding that a change did not work, and avoid stacking further changes in the meantime.".to_owned(),
        None,
    );
    list.add(
        "aws.replay-request",
        Stage::Verify,
        format!(
            "Repeat the exact request as {who} and confirm it succeeds, then check that CloudTrail no longer records a denial for it. Also try one action that should stay denied, to be sure the change granted no more than intended."
        ),
        None,
    );
    // The policy types `validate-policy` takes (IAM Access Analyzer API
    // reference, ValidatePolicy); a trust policy is a resource policy of the
    // resource type `AWS::IAM::AssumeRolePolicyDocument`.
    let policy_type_arg = match ptype {
        Some(PolicyType::Scp) => "SERVICE_CONTROL_POLICY",
        Some(PolicyType::Rcp) => "RESOURCE_CONTROL_POLICY",
        Some(PolicyType::Trust) => {
            "RESOURCE_POLICY --validate-policy-resource-type AWS::IAM::AssumeRolePolicyDocument"
        }
        Some(PolicyType::Resource | PolicyType::KmsKey) => "RESOURCE_POLICY",
        _ => "IDENTITY_POLICY",
    };
    list.add(
        "aws.validate-policy",
        Stage::Prevent,
        "Check every policy change with IAM Access Analyzer policy validation before it ships (save the policy as `policy.json`), and keep policies in version control with these checks in CI.".to_owned(),
        Some(format!("aws accessanalyzer validate-policy --policy-type {policy_type_arg} --policy-document file://policy.json")),
    );
    list.add(
        "general.policy-as-code",
        Stage::Prevent,
        "Write the permissions a workload needs as tests (simulate the calls it makes) so that a missing Allow or an unintended Deny fails in CI rather than in production.".to_owned(),
        None,
    );
    list.add(
        "aws.alarm-on-denials",
        Stage::Prevent,
        "Alert on denials: a CloudWatch metric filter or EventBridge rule on CloudTrail events whose `errorCode` is `AccessDenied`, `AccessDeniedException` or `UnauthorizedOperation`, grouped by principal and action, and log the request id with every failure.".to_owned(),
        None,
    );
}

fn aws_check_org_policy(f: &Finding, list: &mut List, scp: bool) {
    let (id, name, filter) = if scp {
        (
            "aws.check-scp",
            "service control policies (SCPs)",
            "SERVICE_CONTROL_POLICY",
        )
    } else {
        (
            "aws.check-rcp",
            "resource control policies (RCPs)",
            "RESOURCE_CONTROL_POLICY",
        )
    };
    // SCPs apply to the caller's account, RCPs to the resource's account.
    let account = if scp {
        nonempty(&f.principal).and_then(arn_account)
    } else {
        nonempty(&f.resource).and_then(arn_account)
    };
    let whose = if scp { "caller's" } else { "resource's" };
    let missing = if account.is_none() {
        format!(" The message did not show the {whose} account id: fill in `<account-id>`.")
    } else {
        String::new()
    };
    let general = format!(
        "The refusal came from the organization's {name}. These are set by the AWS Organizations administrators, usually as deliberate guardrails, and cannot be seen or changed from a member account. They apply at every level from the root through each OU to the account: a Deny at any level refuses, and so does a level with no Allow."
    );
    // `arn:aws:organizations::<management account>:policy/o-<org>/<type>/p-<id>`
    // (AWS Organizations, "Resource types defined by AWS Organizations").
    let named = fact(f, "policyArn").and_then(|a| {
        let arn = parse_arn(a)?;
        let policy_id = arn.resource.rsplit('/').next()?;
        let shaped = arn.service == "organizations"
            && arn.resource.starts_with("policy/")
            && policy_id.starts_with("p-")
            && policy_id.len() > 2
            && policy_id.bytes().all(id_byte);
        shaped.then_some((a, arn.account, policy_id))
    });
    if let Some((a, management, policy_id)) = named {
        let from = if management.is_empty() {
            String::new()
        } else {
            format!(" (account {})", code_span(management))
        };
        list.add(
            id,
            Stage::Diagnose,
            format!(
                "{general} The message names the policy that denied: {}. Send it with the principal, action, resource and time to the organization administrators; from the management account{from} or a delegated administrator, the command shows its statements, and the `Deny` that matches this action is the one to change or to add an exception to.",
                code_span(a)
            ),
            Some(format!(
                "aws organizations describe-policy --policy-id {policy_id} --query Policy.Content --output text"
            )),
        );
        return;
    }
    list.add(
        id,
        Stage::Diagnose,
        format!(
            "{general} Send the principal, action, resource and time to the organization administrators; from the management account (or a delegated administrator) they can list the policies attached to the account, and with the same command those attached to each parent OU and the root.{missing}"
        ),
        Some(format!(
            "aws organizations list-policies-for-target --target-id {} --filter {filter}",
            arg(account, "<account-id>")
        )),
    );
}

fn aws_permissions_boundary(f: &Finding, list: &mut List) {
    let principal = nonempty(&f.principal);
    let role = principal
        .and_then(|p| iam_name(p, "role"))
        .map(str::to_owned)
        .or_else(|| match simulation_source(principal) {
            SimSource::FromSession { role_arn } => iam_name(&role_arn, "role").map(str::to_owned),
            _ => None,
        });
    let user = principal.and_then(|p| iam_name(p, "user"));
    let command = match (role.as_deref(), user) {
        (_, Some(u)) => format!(
            "aws iam get-user --user-name {} --query User.PermissionsBoundary",
            arg(Some(u), "<user-name>")
        ),
        (r, None) => format!(
            "aws iam get-role --role-name {} --query Role.PermissionsBoundary",
            arg(r, "<role-name>")
        ),
    };
    list.add(
        "aws.permissions-boundary",
        Stage::Diagnose,
        "The identity has a permissions boundary, which caps what its identity-based policies can grant: the request must be allowed by both. Find the boundary policy and look for the action there.".to_owned(),
        Some(command),
    );
}

fn aws_identity_policies(f: &Finding, list: &mut List) {
    let principal = nonempty(&f.principal);
    let user = principal.and_then(|p| iam_name(p, "user"));
    let role = principal
        .and_then(|p| iam_name(p, "role"))
        .map(str::to_owned)
        .or_else(|| match simulation_source(principal) {
            SimSource::FromSession { role_arn } => iam_name(&role_arn, "role").map(str::to_owned),
            _ => None,
        });
    let command = match (user, role.as_deref()) {
        (Some(u), _) => Some(format!(
            "aws iam list-attached-user-policies --user-name {}",
            arg(Some(u), "<user-name>")
        )),
        (None, Some(r)) => Some(format!(
            "aws iam list-attached-role-policies --role-name {}",
            arg(Some(r), "<role-name>")
        )),
        (None, None) => None,
    };
    list.add(
        "aws.identity-policies",
        Stage::Diagnose,
        "Read the identity-based policies of the caller: managed policies attached to it, its inline policies, and for a user the policies of its groups. Look for a statement whose Action and Resource cover this request and whose conditions hold.".to_owned(),
        command,
    );
}

fn aws_resource_policy(f: &Finding, list: &mut List) {
    let resource = nonempty(&f.resource);
    let bucket = resource
        .and_then(parse_arn)
        .filter(|a| a.service == "s3")
        .and_then(|a| {
            let b = a.resource.split('/').next().unwrap_or("");
            (!b.is_empty()).then_some(b)
        });
    let command = bucket.map(|b| {
        format!(
            "aws s3api get-bucket-policy --bucket {} --query Policy --output text",
            arg(Some(b), "<bucket>")
        )
    });
    list.add(
        "aws.resource-policy",
        Stage::Diagnose,
        "Read the resource-based policy on the target (bucket, key, queue, topic, secret or function policy). In the same account either it or the caller's identity-based policy can allow the request; across accounts both must.".to_owned(),
        command,
    );
}

fn aws_trust_policy(f: &Finding, list: &mut List) {
    let resource = nonempty(&f.resource);
    let role = resource.and_then(|r| iam_name(r, "role"));
    if let Some(service) = fact(f, "servicePrincipal") {
        let stmt = format!(
            "{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":{}}},\"Action\":\"sts:AssumeRole\"}}",
            serde_json::to_string(service).unwrap_or_default()
        );
        list.add(
            "aws.trust-policy-service",
            Stage::Diagnose,
            format!(
                "A service assumes the role it is given only if the role's trust policy names it as a `Service` principal: check that the trust policy of the role passed to the call holds {} (and that any `Condition` in it, such as `aws:SourceAccount` or `aws:SourceArn`, matches this call). A role created moments before can also be refused until IAM has made it visible: retry after a few seconds.",
                code_span(&stmt)
            ),
            Some(format!(
                "aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument",
                arg(role, "<role-name>")
            )),
        );
        return;
    }
    let who = nonempty(&f.principal).map_or_else(|| "the caller".to_owned(), code_span);
    let missing = if role.is_none() {
        " The message did not name the role: fill in `<role-name>`."
    } else {
        ""
    };
    list.add(
        "aws.trust-policy",
        Stage::Diagnose,
        format!(
            "Assuming a role needs two allows: the caller's own policies must allow `sts:AssumeRole` on the role, and the role's trust policy must name {who} (or its account) as `Principal`, with every `Condition` met (`sts:ExternalId`, MFA, source identity, session tags).{missing}"
        ),
        Some(format!(
            "aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument",
            arg(role, "<role-name>")
        )),
    );
}

/// A failed console sign-in (CloudTrail `ConsoleLogin` with `Failure`): the
/// password or the MFA code was refused, so access keys and policies are beside
/// the point (AWS Sign-In User Guide, "Troubleshooting AWS account sign-in").
fn aws_console_sign_in(f: &Finding, list: &mut List) {
    let who = nonempty(&f.principal).map_or_else(|| "the user".to_owned(), code_span);
    list.add(
        "aws.console-sign-in-check",
        Stage::Diagnose,
        format!(
            "The AWS console refused the sign-in of {who}: a wrong password, a wrong MFA code (check the device's clock), or the sign-in page of another account. IAM users sign in at the account's own sign-in URL (`https://<account-id-or-alias>.signin.aws.amazon.com/console`); the root user signs in with the account's email address."
        ),
        None,
    );
    list.add(
        "aws.console-sign-in-fix",
        Stage::Fix,
        "If the password is forgotten or expired, an administrator sets a new one in the IAM console (or with `aws iam update-login-profile`) and requires a reset at the next sign-in; a lost MFA device is deactivated by an administrator before a new one is assigned.".to_owned(),
        None,
    );
    list.add(
        "aws.console-sign-in-pattern",
        Stage::Verify,
        "Many failures for one user in a short time, or from an unfamiliar network, are a pattern worth a look: check the events' `sourceIPAddress` and `userAgent`.".to_owned(),
        None,
    );
}

/// Actions that read or write data a KMS key may encrypt (Amazon S3 SSE-KMS,
/// SQS, Secrets Manager, Systems Manager SecureString, DynamoDB and SNS
/// server-side encryption): a refusal by the key can surface as theirs.
const KMS_DATA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:CopyObject",
    "s3:RestoreObject",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:CreateSecret",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:PutParameter",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "sns:Publish",
];

fn aws_kms(f: &Finding, list: &mut List) {
    let resource = nonempty(&f.resource);
    let key = resource.filter(|r| parse_arn(r).is_some_and(|a| a.service == "kms"));
    list.add(
        "aws.kms-key-policy",
        Stage::Diagnose,
        "If the data is encrypted with a KMS key (SSE-KMS objects, encrypted queues, secrets, volumes), the caller also needs `kms:Decrypt` to read and `kms:GenerateDataKey` to write, and the key policy must allow that too; a refusal by KMS can surface as the service's own access denied. Read the key policy.".to_owned(),
        Some(format!("aws kms get-key-policy --key-id {} --policy-name default --output text", arg(key, "<key-id>"))),
    );
}

fn aws_simulate(f: &Finding, list: &mut List, stage: Stage) {
    let principal = nonempty(&f.principal);
    let action = nonempty(&f.action);
    let resource = nonempty(&f.resource);
    let (source, note) = match simulation_source(principal) {
        SimSource::Direct(arn) => (Some(arn), String::new()),
        SimSource::FromSession { role_arn } => {
            let note = format!(
                " The message names a role session; the simulator only accepts users, groups and roles, so the command uses the session's role {}. A role path (`role/path/name`) is not visible in a session ARN: add it if the role has one. Session policies and session tags are not part of this simulation.",
                code_span(&role_arn)
            );
            (Some(role_arn), note)
        }
        SimSource::Unusable => (
            None,
            match principal {
                Some(p) => format!(
                    " The caller {} is not a user, group or role ARN, which is all the simulator accepts: fill in the user or role behind it.",
                    code_span(p)
                ),
                None => " The message did not name the caller: fill in its user or role ARN.".to_owned(),
            },
        ),
    };
    let mut missing = String::new();
    if action.is_none() {
        missing.push_str(" The message did not name the action: fill in `<action>`.");
    }
    if resource.is_none() {
        missing.push_str(" The message did not name the resource: fill in `<resource-arn>`.");
    }
    list.add(
        "aws.simulate-principal-policy",
        stage,
        format!(
            "Ask the IAM policy simulator whether the identity may make this request. It evaluates the policies attached to the identity; a resource-based policy is only included when you pass it with `--resource-policy`.{note}{missing}"
        ),
        Some(format!(
            "aws iam simulate-principal-policy --policy-source-arn {} --action-names {} --resource-arns {}",
            arg(source.as_deref(), "<principal-arn>"),
            arg(action, "<action>"),
            arg(resource, "<resource-arn>")
        )),
    );
}

/// A minimal policy statement as one line of JSON. Values are JSON-escaped.
fn statement(action: Option<&str>, resource: Option<&str>, principal: Option<&str>) -> String {
    let js = |v: Option<&str>, ph: &str| {
        serde_json::to_string(v.unwrap_or(ph)).unwrap_or_else(|_| format!("\"{ph}\""))
    };
    let mut out = String::from("{\"Effect\":\"Allow\",");
    if let Some(p) = principal {
        out.push_str(&format!("\"Principal\":{{\"AWS\":{}}},", js(Some(p), "")));
    }
    out.push_str(&format!(
        "\"Action\":{},\"Resource\":{}}}",
        js(action, "<action>"),
        js(resource, "<resource-arn>")
    ));
    out
}

fn aws_add_allow(f: &Finding, list: &mut List) {
    let principal = nonempty(&f.principal);
    let action = nonempty(&f.action);
    let resource = nonempty(&f.resource);
    let role_for_principal = match simulation_source(principal) {
        SimSource::Direct(a) => Some(a),
        SimSource::FromSession { role_arn } => Some(role_arn),
        SimSource::Unusable => principal.map(str::to_owned),
    };
    let act = shown(action, "<action>");
    let res = shown(resource, "<resource-arn>");
    let mut missing = String::new();
    if resource.is_none() {
        missing.push_str(" The message did not name the resource: replace `<resource-arn>` with the narrowest ARN the workload needs, not `*`.");
    }
    if action.is_none() {
        missing.push_str(" The message did not name the action: replace `<action>`.");
    }
    let text = match f.policy_type {
        Some(PolicyType::Trust) if fact(f, "servicePrincipal").is_some() => {
            let service = fact(f, "servicePrincipal").unwrap_or_default();
            let stmt = format!(
                "{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":{}}},\"Action\":\"sts:AssumeRole\"}}",
                serde_json::to_string(service).unwrap_or_default()
            );
            format!(
                "Add {} to the trust policy of the role the call passes, scoped with `aws:SourceAccount` or `aws:SourceArn` if you require: {}. The caller that passes the role also needs `iam:PassRole` on it.",
                code_span(service),
                code_span(&stmt)
            )
        }
        Some(PolicyType::Trust) => {
            let who = role_for_principal.as_deref().map_or_else(|| code_span("<principal-arn>"), code_span);
            let stmt = format!(
                "{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":{}}},\"Action\":\"sts:AssumeRole\"}}",
                serde_json::to_string(role_for_principal.as_deref().unwrap_or("<principal-arn>")).unwrap_or_default()
            );
            format!(
                "Add {who} to the role's trust policy, with any conditions you require (for example `sts:ExternalId` for a third party): {}. The caller also needs `sts:AssumeRole` on the role in its own policies.",
                code_span(&stmt)
            )
        }
        Some(PolicyType::Resource) => format!(
            "Add a statement to the resource-based policy that allows exactly {act} on {res} for the caller, and nothing wider: {}.{missing}",
            code_span(&statement(action, resource, Some(role_for_principal.as_deref().unwrap_or("<principal-arn>"))))
        ),
        Some(PolicyType::Scp) => format!(
            "Ask the organization administrators to allow {act} in the SCPs at every level from the root to this account (an SCP Allow grants nothing by itself; it only stops SCPs from blocking): {}.{missing}",
            code_span(&statement(action, resource, None))
        ),
        Some(PolicyType::Rcp) => format!(
            "Ask the organization administrators to allow {act} on {res} in the resource control policies that apply to the resource's account: {}.{missing}",
            code_span(&statement(action, resource, None))
        ),
        Some(PolicyType::PermissionsBoundary) => format!(
            "Add {act} on {res} to the permissions boundary, and make sure an identity-based policy allows it too (both must): {}.{missing}",
            code_span(&statement(action, resource, None))
        ),
        Some(PolicyType::Session) => format!(
            "Create the session with a session policy that also allows {act} on {res}, or without a session policy if the role's own permissions are the intended limit: {}.{missing}",
            code_span(&statement(action, resource, None))
        ),
        Some(PolicyType::VpcEndpoint) => format!(
            "Add a statement to the VPC endpoint policy that lets this principal make this call (endpoint policies need a `Principal`): {}.{missing}",
            code_span(&statement(action, resource, Some(role_for_principal.as_deref().unwrap_or("*"))))
        ),
        Some(PolicyType::KmsKey) => format!(
            "Allow the caller to use the key in the key policy (or in its identity-based policy, if the key policy delegates to IAM): {}.{missing}",
            code_span(&statement(action, resource, Some(role_for_principal.as_deref().unwrap_or("<principal-arn>"))))
        ),
        _ => format!(
            "Add a least-privilege statement to an identity-based policy of the caller that allows exactly {act} on {res}, and nothing wider: {}.{missing}",
            code_span(&statement(action, resource, None))
        ),
    };
    list.add("aws.add-allow", Stage::Fix, text, None);
}

fn aws_narrow_deny(f: &Finding, list: &mut List) {
    let act = shown(nonempty(&f.action), "<action>");
    let res = shown(nonempty(&f.resource), "<resource-arn>");
    // A VPC endpoint denial "transitively through a service control policy" has its
    // Deny in the SCPs (IAM troubleshooting page).
    let effective = f.policy_type;
    let place = effective.map_or("policies that apply", policy_type_phrase);
    let guardrail = if matches!(effective, Some(PolicyType::Scp | PolicyType::Rcp)) {
        " Organization policies like this are usually deliberate guardrails: ask their owners whether this request should be an exception before asking for a change."
    } else {
        ""
    };
    list.add(
        "aws.narrow-deny",
        Stage::Fix,
        format!(
            "Find the `Deny` statement in the {place} that matches {act} on {res} (mind `NotAction`, `NotResource` and conditions). No Allow anywhere can override it. If the request is legitimate, narrow that statement, for example with an exception on `aws:PrincipalArn`, rather than deleting it.{guardrail}"
        ),
        None,
    );
}

// --- Google Cloud -------------------------------------------------------------

fn gcp_active_account(list: &mut List) {
    list.add(
        "gcp.active-account",
        Stage::Capture,
        "Check which account makes the call. gcloud uses its active account; client libraries and Terraform use Application Default Credentials, which can be a different account or an attached service account.".to_owned(),
        Some("gcloud auth list".to_owned()),
    );
}

fn gcp_authentication(list: &mut List) {
    gcp_active_account(list);
    list.add(
        "gcp.check-credentials",
        Stage::Diagnose,
        "Google did not accept the credentials: none were sent, the access token expired (they last about an hour), or the token is not an OAuth access token for Google APIs. This is not a permissions problem. Check that Application Default Credentials resolve (the command fails if they do not), and sign in again if needed: `gcloud auth login` for gcloud, `gcloud auth application-default login` for libraries on a workstation.".to_owned(),
        Some("gcloud auth application-default print-access-token > /dev/null".to_owned()),
    );
    check_clock(list, Stage::Diagnose);
    list.add(
        "gcp.verify-authentication",
        Stage::Verify,
        "Repeat the request with fresh credentials. If it now fails with `PERMISSION_DENIED`, authentication works and the next step is IAM.".to_owned(),
        None,
    );
    list.add(
        "gcp.prevent-authentication",
        Stage::Prevent,
        "Use attached service accounts or workload identity federation instead of downloaded service account keys, and let the client library refresh tokens rather than passing tokens around by hand.".to_owned(),
        None,
    );
}

fn gcp_authorization(f: &Finding, list: &mut List) {
    let principal = nonempty(&f.principal);
    let permission = nonempty(&f.action);
    let resource = nonempty(&f.resource);
    gcp_active_account(list);
    let who = principal.map_or_else(|| "the caller".to_owned(), code_span);
    do_not_rotate(list, f.gate, &who);
    // Google APIs answer `Permission denied on resource project X` (ErrorInfo
    // reason CONSUMER_INVALID) for the project a call is billed to.
    if let Some(project) = fact(f, "projectRefused") {
        list.add(
            "gcp.consumer-project",
            Stage::Diagnose,
            format!(
                "The API refused the project the call is made for, {}: check that it is the project *id* (not its display name, and not a placeholder such as `{{PROJECT}}` or `YOUR-PROJECT-ID`), that the project exists, and that {who} holds `serviceusage.services.use` on it (the role Service Usage Consumer). The client takes the project from its code, `GOOGLE_CLOUD_PROJECT`, or the active gcloud configuration.",
                code_span(project)
            ),
            Some("gcloud config get-value project && gcloud projects list --limit=20".to_owned()),
        );
    }

    match f.policy_type {
        Some(PolicyType::GcpVpcServiceControls) => {
            // The identifier is the key to the Policy Denied audit log entry,
            // `protoPayload.metadata.vpcServiceControlsUniqueId` (Google Cloud,
            // "VPC Service Controls audit logging" and "Retrieve VPC Service
            // Controls errors from audit logs").
            let id = fact(f, "vpcServiceControlsUniqueIdentifier");
            let (id_text, command) = match id {
                Some(v) => (
                    format!(
                        " The error's unique identifier {} finds the audit log entry that names the perimeter, the violation reason, the service and the method: run the command in the project inside the perimeter (for a request leaving a perimeter, the caller's project).",
                        code_span(v)
                    ),
                    // Only an identifier of the shape Google issues goes into
                    // a command: anything else would need quoting twice (for
                    // the shell and inside the Logging filter).
                    v.bytes()
                        .all(id_byte)
                        .then(|| format!("gcloud logging read 'protoPayload.metadata.vpcServiceControlsUniqueId=\"{v}\"' --freshness=30d --limit=1 --format=json")),
                ),
                None => (
                    " The message carries no unique identifier (gcloud prints one as `vpcServiceControlsUniqueIdentifier`); look for Policy Denied entries of the caller in the audit logs of the project inside the perimeter around the time of the request.".to_owned(),
                    None,
                ),
            };
            list.add(
                "gcp.vpc-service-controls",
                Stage::Diagnose,
                format!(
                    "A VPC Service Controls perimeter blocked the request because it crossed the perimeter's boundary. IAM roles cannot fix this.{id_text} The perimeter's administrators can add an ingress or egress rule that covers exactly this identity, service and method, or an access level for the caller's network."
                ),
                command,
            );
        }
        Some(PolicyType::GcpOrgPolicy) => {
            let constraint = fact(f, "constraint");
            let project = gcp_project(resource);
            let missing = match (constraint, project) {
                (None, _) => " The message did not name the constraint: fill in `<constraint>`.",
                (Some(_), None) => " The message did not name the project: fill in `<project-id>`.",
                _ => "",
            };
            list.add(
                "gcp.org-policy",
                Stage::Diagnose,
                format!(
                    "An organization policy constraint forbids this request; it is a rule about what may be configured, not about who may act, so no IAM role overrides it. Read the effective policy, then either change the request to comply or ask the organization policy administrators for an exception (a conditional rule or a project-level override).{missing}"
                ),
                Some(format!(
                    "gcloud org-policies describe {} --project={} --effective",
                    arg(constraint, "<constraint>"),
                    arg(project, "<project-id>")
                )),
            );
        }
        Some(PolicyType::GcpIamDeny) => list.add(
            "gcp.deny-policy",
            Stage::Diagnose,
            "An IAM deny policy refused the permission. Deny policies are attached to the organization, a folder or the project, and they win over any role granted in allow policies. Find the deny rule that names this permission and principal (the troubleshooter below shows it).".to_owned(),
            None,
        ),
        _ => {}
    }
    if f.policy_type != Some(PolicyType::GcpVpcServiceControls)
        && f.policy_type != Some(PolicyType::GcpOrgPolicy)
    {
        let full = gcp_full_resource(resource);
        let email = gcp_email(principal);
        let mut missing = String::new();
        if full.is_none() {
            match resource {
                Some(r) => missing.push_str(&format!(
                    " The message names the resource as {}; the troubleshooter needs its full resource name, such as `//storage.googleapis.com/projects/_/buckets/BUCKET`.",
                    code_span(r)
                )),
                None => missing.push_str(" The message did not name the resource: fill in its full resource name."),
            }
        }
        if email.is_none() {
            missing.push_str(" The message did not give the caller's email: fill in the user or service account email.");
        }
        if permission.is_none() {
            missing.push_str(" The message did not name the permission: fill in `<permission>`.");
        }
        list.add(
            "gcp.troubleshoot-policy",
            Stage::Diagnose,
            format!(
                "Ask Policy Troubleshooter why the principal lacks the permission: it evaluates the allow policies on the resource and its ancestors and the deny policies, and names the bindings and rules that decided.{missing}"
            ),
            Some(format!(
                "gcloud policy-intelligence troubleshoot-policy iam {} --principal-email={} --permission={}",
                arg(full.as_deref(), "<full-resource-name>"),
                arg(email, "<principal-email>"),
                arg(permission, "<permission>")
            )),
        );
        list.add(
            "gcp.conditions",
            Stage::Diagnose,
            "If a binding that should apply has an IAM condition (time, resource name or type, tags), check that this request meets it; a binding whose condition is false grants nothing.".to_owned(),
            None,
        );
    }

    let perm = shown(permission, "<permission>");
    let res = shown(resource, "<resource>");
    match f.policy_type {
        Some(PolicyType::GcpIamDeny) => list.add(
            "gcp.narrow-deny",
            Stage::Fix,
            format!(
                "If the request is legitimate, narrow the deny rule for {perm} (an exception principal or a denial condition) rather than removing it; granting roles will not help while the deny applies."
            ),
            None,
        ),
        Some(PolicyType::GcpVpcServiceControls | PolicyType::GcpOrgPolicy) => {}
        _ => list.add(
            "gcp.grant-role",
            Stage::Fix,
            format!(
                "{}Grant {who} the narrowest role that contains {perm}, on {res} itself rather than the whole project where the resource supports it. Prefer a predefined role with few permissions or a custom role; avoid Owner and Editor.",
                if f.policy_type.is_none() {
                    "If the troubleshooter shows that no allow binding grants the permission (rather than a deny policy or a principal access boundary): "
                } else {
                    ""
                }
            ),
            None,
        ),
    }
    let propagation = if f.policy_type == Some(PolicyType::GcpVpcServiceControls) {
        // "Service perimeter changes can take up to 30 minutes to propagate"
        // (Google Cloud, "Retrieve VPC Service Controls errors from audit logs").
        "A change to a service perimeter can take up to 30 minutes to take effect; wait before concluding it did not work, then repeat the request."
    } else {
        "IAM changes usually apply within a few minutes but can take longer; wait before concluding a change did not work. Then run the troubleshooter again and repeat the request."
    };
    list.add(
        "gcp.propagation",
        Stage::Verify,
        propagation.to_owned(),
        None,
    );
    list.add(
        "gcp.prevent",
        Stage::Prevent,
        "Manage IAM bindings in code with review, use the role recommender to remove permissions nobody uses, and alert on permission-denied entries in the audit logs.".to_owned(),
        None,
    );
}

// --- Azure --------------------------------------------------------------------

fn azure_account(list: &mut List) {
    list.add(
        "azure.account-show",
        Stage::Capture,
        "Check which tenant, subscription and identity the CLI is signed in to; a wrong subscription or tenant looks like a missing permission.".to_owned(),
        Some("az account show".to_owned()),
    );
}

/// What a Microsoft Entra sign-in error code says, for the summary.
fn entra_reason(f: &Finding) -> Option<&'static str> {
    let code = nonempty(&f.error_code)?.strip_prefix("AADSTS")?;
    Some(match code {
        "700082" | "50173" | "70043" => "the saved sign-in is no longer accepted; sign in again",
        "50126" => "the user name or password was refused",
        "7000215" => "the client secret is not one of the app's current secrets",
        "7000222" => "the app's client secret has expired",
        "70021" | "700211" | "700213" => {
            "no federated credential of the app matches the token it was given"
        }
        "700024" => "the client assertion is outside its valid time range",
        _ => return None,
    })
}

/// Microsoft Entra sign-in errors (`AADSTS<n>`) whose meaning and remedy are
/// specific ('Microsoft Entra authentication and authorization error codes').
/// Returns whether an item was added.
fn entra_sign_in(f: &Finding, list: &mut List) -> bool {
    let Some(code) = nonempty(&f.error_code).and_then(|c| c.strip_prefix("AADSTS")) else {
        return false;
    };
    let app = fact(f, "appId");
    let app_arg = arg(app, "<app-id>");
    let fill_app = if app.is_none() {
        " The message does not name the app: fill in its application (client) id for `<app-id>`."
    } else {
        ""
    };
    match code {
        "700082" | "50173" | "70043" => {
            let why = match code {
                "700082" => "it expired after a long time unused",
                "50173" => "it was revoked, for example by a password change or an administrator",
                _ => "a Conditional Access sign-in frequency policy requires signing in again",
            };
            list.add(
                "azure.entra-sign-in-again",
                Stage::Fix,
                format!("The saved sign-in (refresh token) is no longer accepted: {why}. Sign in again; in a pipeline, use a service principal with workload identity federation or a managed identity instead of a person's saved sign-in."),
                Some("az login".to_owned()),
            );
        }
        "50126" => list.add(
            "azure.entra-password",
            Stage::Fix,
            "Microsoft Entra ID refused the user name and password. Check the account and its password (and that the account is in this tenant); automation should sign in as a service principal or a managed identity rather than with a user's password.".to_owned(),
            None,
        ),
        "7000215" => list.add(
            "azure.entra-client-secret",
            Stage::Fix,
            format!(
                "The client secret sent is not a current secret of the app{}. A frequent cause is sending the secret's ID (a GUID) instead of its value, which is shown only once, when the secret is created. List the app's secrets (their hints and end dates) and, if the value is lost, add a new secret and update the application's configuration.{fill_app}",
                app.map_or_else(String::new, |a| format!(" {}", code_span(a)))
            ),
            Some(format!("az ad app credential list --id {app_arg}")),
        ),
        "7000222" => list.add(
            "azure.entra-client-secret-expired",
            Stage::Fix,
            format!(
                "The app's client secret has expired{}. Add a new secret (`--append` keeps the other credentials), update the application's configuration with its value, then remove the expired one; better, move the app to workload identity federation or a managed identity, which have no secret to expire.{fill_app}",
                app.map_or_else(String::new, |a| format!(" (app {})", code_span(a)))
            ),
            Some(format!("az ad app credential reset --id {app_arg} --append")),
        ),
        "70021" | "700211" | "700213" => {
            let issuer = fact(f, "assertionIssuer");
            let subject = fact(f, "assertionSubject");
            let audience = fact(f, "assertionAudience");
            let mut presented = Vec::new();
            if let Some(v) = issuer {
                presented.push(format!("issuer {}", code_span(v)));
            }
            if let Some(v) = subject {
                presented.push(format!("subject {}", code_span(v)));
            }
            if let Some(v) = audience {
                presented.push(format!("audience {}", code_span(v)));
            }
            let presented = if presented.is_empty() {
                String::new()
            } else {
                format!(" The token presented {}.", presented.join(", "))
            };
            list.add(
                "azure.entra-federated-credential",
                Stage::Fix,
                format!(
                    "Workload identity federation: no federated credential of the app (or user-assigned managed identity) matches the external token exactly.{presented} Issuer, subject and audience must all equal a federated credential's values, character for character and case-sensitively; the subject changes with the trigger (a branch, a tag, a pull request, a GitHub environment, a Kubernetes namespace and service account). List the app's federated credentials and add one for exactly this subject.{fill_app}"
                ),
                Some(format!("az ad app federated-credential list --id {app_arg}")),
            );
        }
        "700024" => list.add(
            "azure.entra-assertion-time",
            Stage::Fix,
            "The client assertion (a signed JWT, such as the token a CI system issues for workload identity federation) is outside its valid time range: it expired before it was exchanged, or the clock of the machine that made it is off. Request a new token right before signing in, and check that machine's clock.".to_owned(),
            None,
        ),
        _ => return false,
    }
    true
}

fn azure_authentication(f: &Finding, list: &mut List) {
    // A failed sign-in leaves no account for `az account show` to report, so
    // these go straight to the remedy.
    if entra_sign_in(f, list) {
        list.add(
            "azure.verify-authentication",
            Stage::Verify,
            "Sign in again and repeat the request. If it now fails with `AuthorizationFailed`, authentication works and the next step is a role assignment.".to_owned(),
            None,
        );
        list.add(
            "azure.prevent-authentication",
            Stage::Prevent,
            "Use managed identities or workload identity federation instead of client secrets and account keys, and let the SDK acquire and refresh tokens.".to_owned(),
            None,
        );
        return;
    }
    azure_account(list);
    let expired = code_is(f, &["ExpiredAuthenticationToken"]);
    let storage = code_is(f, &["AuthenticationFailed"]);
    let text = if expired {
        "The access token has expired. Get a new one (sign in again, or let the SDK's credential refresh it) instead of reusing a saved token.".to_owned()
    } else if storage {
        "The storage service could not authenticate the request: a shared key signature that does not match (wrong account key, or a header changed after signing), an expired or malformed SAS token, or a clock too far off.".to_owned()
    } else {
        "Azure did not accept the token. Check its audience (a token for Microsoft Graph is refused by Azure Resource Manager, which wants `https://management.azure.com/`), its tenant (the token must come from the tenant that owns the subscription), its expiry, and that the `Authorization: Bearer` header is well formed.".to_owned()
    };
    list.add("azure.check-token", Stage::Diagnose, text, None);
    check_clock(list, Stage::Diagnose);
    list.add(
        "azure.verify-authentication",
        Stage::Verify,
        "Repeat the request with a new token. If it now fails with `AuthorizationFailed`, authentication works and the next step is a role assignment.".to_owned(),
        None,
    );
    list.add(
        "azure.prevent-authentication",
        Stage::Prevent,
        "Use managed identities or workload identity federation instead of client secrets and account keys, and let the SDK acquire and refresh tokens.".to_owned(),
        None,
    );
}

fn azure_authorization(f: &Finding, list: &mut List) {
    let object_id = fact(f, "objectId").or_else(|| nonempty(&f.principal));
    let scope = fact(f, "scope").or_else(|| nonempty(&f.resource));
    let action = nonempty(&f.action);
    azure_account(list);
    let who = object_id.map_or_else(|| "the caller".to_owned(), code_span);
    do_not_rotate(list, f.gate, &who);
    let mut missing = String::new();
    if object_id.is_none() {
        missing
            .push_str(" The message did not give the caller's object id: fill in `<object-id>`.");
    }
    if scope.is_none() {
        missing.push_str(" The message did not name the scope: fill in `<scope>`.");
    }
    if code_is(f, &["ScopeLocked"]) {
        azure_lock(f, list);
        return;
    }
    if fact(f, "service") == Some(super::azure::GRAPH) {
        graph_permission(f, list);
        return;
    }
    if fact(f, "permissionModel") == Some("access policy") {
        key_vault_access_policy(f, object_id, list);
        return;
    }
    if fact(f, "permissionModel") == Some(COSMOS_ROLES) {
        cosmos_data_roles(f, object_id, list);
        return;
    }
    if fact(f, "permissionModel") == Some(MESSAGING_CLAIMS) {
        messaging_claims(f, object_id, list);
        return;
    }
    let data_plane = code_is(f, &["AuthorizationPermissionMismatch"]);
    match f.policy_type {
        Some(PolicyType::AzureDenyAssignment) => list.add(
            "azure.deny-assignment",
            Stage::Diagnose,
            "A deny assignment blocks this action even where a role assignment allows it. Deny assignments cannot be created or removed directly: they come from Azure managed applications, Deployment Stacks or Azure Blueprints. Find what created it (the Access control page of the scope lists deny assignments) and change it there, or run the action as a principal it excludes.".to_owned(),
            None,
        ),
        Some(PolicyType::AzurePolicy) => list.add(
            "azure.policy",
            Stage::Diagnose,
            format!(
                "An Azure Policy assignment with a `deny` effect refused the request (`RequestDisallowedByPolicy`); no role can override it. The error details name the policy assignment and definition: change the request to comply, or ask the policy owners for an exemption.{missing}"
            ),
            Some(format!("az policy assignment list --scope {}", arg(scope, "<scope>"))),
        ),
        _ => {}
    }
    if data_plane {
        list.add(
            "azure.data-plane-role",
            Stage::Diagnose,
            "Reading or writing data in a storage account with Microsoft Entra credentials needs a data role such as Storage Blob Data Reader or Storage Blob Data Contributor. Owner and Contributor manage the account but do not grant data access this way.".to_owned(),
            None,
        );
    }
    if !matches!(f.policy_type, Some(PolicyType::AzurePolicy)) {
        list.add(
            "azure.role-assignment-list",
            Stage::Diagnose,
            format!(
                "List the caller's role assignments that apply at the scope: assignments at the scope itself and at any parent (resource group, subscription, management group) count. Add `--include-groups` to include assignments made to the caller's groups.{missing}"
            ),
            Some(format!(
                "az role assignment list --assignee {} --scope {} --include-inherited",
                arg(object_id, "<object-id>"),
                arg(scope, "<scope>")
            )),
        );
    }
    if !matches!(
        f.policy_type,
        Some(PolicyType::AzurePolicy | PolicyType::AzureDenyAssignment)
    ) {
        let act = shown(action, "<action>");
        list.add(
            "azure.assign-role",
            Stage::Fix,
            format!(
                "Assign the narrowest built-in or custom role whose actions include {act}, at the narrowest scope that works (the resource or its resource group, not the subscription). Replace `<role-name>` with that role.{missing}"
            ),
            Some(format!(
                "az role assignment create --assignee {} --role <role-name> --scope {}",
                arg(object_id, "<object-id>"),
                arg(scope, "<scope>")
            )),
        );
    }
    list.add(
        "azure.refresh-token",
        Stage::Verify,
        "Role assignment changes can take several minutes to apply, and a token issued before the change may not reflect it: sign in again (or let the application get a new token) before retrying the request.".to_owned(),
        None,
    );
    list.add(
        "azure.prevent",
        Stage::Prevent,
        "Keep role assignments in infrastructure code with review, prefer just-in-time elevation (Privileged Identity Management) for broad roles, and alert on authorization failures in the activity log.".to_owned(),
        None,
    );
}

/// A vault on the legacy access policy model: role assignments do not reach its
/// keys, secrets and certificates, its own access policies do (Azure Key Vault,
/// 'Assign a Key Vault access policy').
/// The `permissionModel` fact of a Cosmos DB data-plane refusal: its own role
/// definitions and assignments, kept in the account, decide (Azure Cosmos DB,
/// "Use data plane role-based access control").
pub(super) const COSMOS_ROLES: &str = "Cosmos DB data-plane roles";

/// The `permissionModel` fact of a Service Bus or Event Hubs refusal for a
/// missing claim: a shared access policy's rights or a data role decide.
pub(super) const MESSAGING_CLAIMS: &str = "Service Bus or Event Hubs claims";

fn messaging_claims(f: &Finding, object_id: Option<&str>, list: &mut List) {
    let resource = nonempty(&f.resource).unwrap_or("");
    // `sb://NAMESPACE.servicebus.windows.net/entity/...` for both services;
    // consumer groups and partitions are Event Hubs'.
    let namespace = resource
        .strip_prefix("sb://")
        .and_then(|r| r.split('.').next())
        .filter(|n| !n.is_empty());
    let event_hubs = resource.contains("/consumergroups/") || resource.contains("/partitions/");
    let (cli, service) = if event_hubs {
        ("eventhubs", "Azure Event Hubs")
    } else {
        ("servicebus", "Azure Service Bus")
    };
    let claims = nonempty(&f.action).unwrap_or("<claim>");
    let role = if claims.contains("Manage") {
        "Data Owner"
    } else if claims.contains("Listen") {
        "Data Receiver"
    } else {
        "Data Sender"
    };
    list.add(
        "azure.messaging-claims",
        Stage::Diagnose,
        format!(
            "The credential the client connected with lacks the {} right. With a connection string or SAS token, that is the shared access policy it names (`SharedAccessKeyName=`): a policy grants Send, Listen or Manage (Manage includes the other two), on the namespace or on one entity. With Microsoft Entra ID, the identity needs a data role on the namespace or the entity; management roles such as Contributor do not send or receive.",
            code_span(claims)
        ),
        Some(format!(
            "az {cli} namespace authorization-rule list --namespace-name {} --resource-group <resource-group>",
            arg(namespace, "<namespace>")
        )),
    );
    list.add(
        "azure.messaging-fix",
        Stage::Fix,
        format!(
            "Either use a shared access policy that has {} (or add the right to the policy), or assign the identity the {service} {role} role at the namespace or the entity.",
            code_span(claims)
        ),
        Some(format!(
            "az role assignment create --assignee {} --role \"{service} {role}\" --scope $(az {cli} namespace show --name {} --resource-group <resource-group> --query id -o tsv)",
            arg(object_id, "<object-id>"),
            arg(namespace, "<namespace>")
        )),
    );
}

fn cosmos_data_roles(f: &Finding, object_id: Option<&str>, list: &mut List) {
    let who = arg(object_id, "<principal-id>");
    list.add(
        "azure.cosmos-role-list",
        Stage::Diagnose,
        "Cosmos DB checks data requests (reading metadata, items, containers) against its own role assignments, kept in the account, not against Azure role assignments: Owner or Contributor on the account does not grant them. List the account's data-plane role assignments and look for the caller's principal id.".to_owned(),
        Some("az cosmosdb sql role assignment list --account-name <account> --resource-group <resource-group>".to_owned()),
    );
    list.add(
        "azure.cosmos-role-assign",
        Stage::Fix,
        format!(
            "Assign the caller a data-plane role that includes {}: the built-in Cosmos DB Built-in Data Reader (`00000000-0000-0000-0000-000000000001`) to read, Data Contributor (`00000000-0000-0000-0000-000000000002`) to write, at the narrowest scope (`/dbs/<database>` or `/dbs/<database>/colls/<container>`; `/` is the whole account). Creating it takes `Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments/write` on the account.",
            shown(nonempty(&f.action), "the action")
        ),
        Some(format!(
            "az cosmosdb sql role assignment create --account-name <account> --resource-group <resource-group> --scope {} --principal-id {who} --role-definition-id 00000000-0000-0000-0000-000000000001",
            arg(nonempty(&f.resource), "/")
        )),
    );
}

fn key_vault_access_policy(f: &Finding, object_id: Option<&str>, list: &mut List) {
    let vault = nonempty(&f.resource);
    list.add(
        "azure.key-vault-access-policies",
        Stage::Diagnose,
        "This vault uses the access policy permission model: Azure role assignments do not grant access to its keys, secrets and certificates, an access policy for the caller does. List the vault's access policies and look for the caller's object id.".to_owned(),
        Some(format!(
            "az keyvault show --name {} --query properties.accessPolicies",
            arg(vault, "<vault>")
        )),
    );
    // `secrets get` names the kind of item and the permission.
    let (kind, perm) = nonempty(&f.action)
        .and_then(|a| a.split_once(' '))
        .map_or((None, None), |(k, p)| (Some(k), Some(p)));
    let flag = match kind {
        Some("keys") => "--key-permissions",
        Some("secrets") => "--secret-permissions",
        Some("certificates") => "--certificate-permissions",
        Some("storage") => "--storage-permissions",
        _ => "--<kind>-permissions",
    };
    list.add(
        "azure.key-vault-set-policy",
        Stage::Fix,
        format!(
            "Add an access policy for the caller with the missing permission, {}. Access policies apply to the whole vault.",
            shown(nonempty(&f.action), "<permission>")
        ),
        Some(format!(
            "az keyvault set-policy --name {} --object-id {} {flag} {}",
            arg(vault, "<vault>"),
            arg(object_id, "<object-id>"),
            arg(perm.filter(|p| !p.contains(' ')), "<permission>")
        )),
    );
    list.add(
        "azure.key-vault-prevent",
        Stage::Prevent,
        "Consider moving the vault to the Azure RBAC permission model, where access is granted with role assignments that can be scoped to a single key, secret or certificate.".to_owned(),
        None,
    );
}

// --- Kubernetes -----------------------------------------------------------------

fn k8s_whoami(list: &mut List) {
    list.add(
        "k8s.whoami",
        Stage::Capture,
        "See the user name and groups the API server sees for your current credentials (kubectl 1.28 or later).".to_owned(),
        Some("kubectl auth whoami".to_owned()),
    );
}

fn k8s_authentication(f: &Finding, list: &mut List) {
    k8s_kubelet_api(f, list);
    if fact(f, "credentialPlugin").is_some_and(|p| p.starts_with("azure (")) {
        list.add(
            "k8s.azure-auth-provider",
            Stage::Diagnose,
            "kubectl's built-in `azure` auth provider could not get a token from Microsoft Entra ID, so nothing was sent to the API server. That provider is deprecated and removed from recent kubectl: convert the kubeconfig to kubelogin (`kubelogin convert-kubeconfig -l azurecli`, after `az login`), or fetch it again with `az aks get-credentials`.".to_owned(),
            Some("kubectl config view --minify --output jsonpath='{.users[0].user.auth-provider}'".to_owned()),
        );
    } else if let Some(plugin) = fact(f, "credentialPlugin") {
        list.add(
            "k8s.credential-plugin",
            Stage::Diagnose,
            format!(
                "kubectl runs {} to get a credential, and it failed, so nothing was sent to the API server. The lines it printed just before this error say why (no profile or login, an expired SSO session, a CLI missing from `PATH`). Read the exec section of the kubeconfig's user and run that command yourself to see its error.",
                code_span(plugin)
            ),
            Some("kubectl config view --minify --output jsonpath='{.users[0].user.exec}'".to_owned()),
        );
    }
    k8s_whoami(list);
    list.add(
        "k8s.check-credentials",
        Stage::Diagnose,
        "The API server did not accept the credentials: an expired token or client certificate, a kubeconfig context that points at another cluster, or a credential plugin (a cloud CLI) that needs you to sign in again. Check the current context and its user.".to_owned(),
        Some("kubectl config view --minify".to_owned()),
    );
    check_clock(list, Stage::Diagnose);
    list.add(
        "k8s.verify-authentication",
        Stage::Verify,
        "Run `kubectl auth whoami` again; once it answers, repeat the original command.".to_owned(),
        None,
    );
    list.add(
        "k8s.prevent-authentication",
        Stage::Prevent,
        "Use short-lived credentials from the cluster's identity integration or bound service account tokens rather than long-lived static tokens.".to_owned(),
        None,
    );
}

/// The built-in admission plugin that refused, when one did.
fn k8s_plugin(f: &Finding) -> Option<&'static super::k8s::Plugin> {
    fact(f, "admissionPlugin").and_then(super::k8s::plugin)
}

fn k8s_plugin_items(f: &Finding, list: &mut List) {
    let Some(p) = k8s_plugin(f) else { return };
    list.add(
        "k8s.admission-plugin-fix",
        Stage::Fix,
        p.fix.to_owned(),
        Some(p.command.to_owned()),
    );
    if p.name != "ProjectRequestLimit" && p.name != "NamespaceLifecycle" {
        list.add(
            "k8s.admission-plugin-dry-run",
            Stage::Verify,
            "Check the changed manifest with a server-side dry run, which runs admission without creating anything.".to_owned(),
            Some("kubectl apply --dry-run=server -f <manifest>".to_owned()),
        );
    }
}

/// Whether admission control, not an authorizer, refused the request.
fn k8s_admission_refusal(f: &Finding) -> bool {
    fact(f, "admissionWebhook").is_some() || fact(f, "podSecurity").is_some()
}

/// Whether RBAC refused a role or binding because it grants more than the
/// caller holds (privilege-escalation prevention).
fn k8s_escalation(f: &Finding) -> bool {
    fact(f, "reason").is_some_and(|r| r.contains("grant"))
}

/// Kubernetes, "Using RBAC Authorization", privilege escalation prevention: "You
/// can only create/update a role if at least one of the following things is
/// true: 1. You already have all the permissions contained in the role, at the
/// same scope as the object being modified [...] 2. You are granted explicit
/// permission to perform the `escalate` verb on the `roles` or `clusterroles`
/// resource in the `rbac.authorization.k8s.io` API group." Bindings likewise
/// need the permissions or the `bind` verb.
fn k8s_escalation_items(f: &Finding, list: &mut List) {
    let who = f
        .principal
        .as_deref()
        .map_or_else(|| "the caller".to_owned(), code_span);
    list.add(
        "k8s.escalation",
        Stage::Fix,
        format!(
            "RBAC lets {who} create or update a role only with permissions it already holds, at the same scope; the message lists the rules it lacks. Apply the role as a cluster administrator, or grant {who} those permissions first, or (deliberately, as it lets it grant anything) the `escalate` verb on `roles`/`clusterroles` in the `rbac.authorization.k8s.io` API group; for a binding the verb is `bind`."
        ),
        None,
    );
    list.add(
        "k8s.escalation-can-i",
        Stage::Diagnose,
        format!("List what {who} holds, to compare with the rules the role grants."),
        Some(format!(
            "kubectl auth can-i --list{}",
            f.principal
                .as_deref()
                .map_or_else(String::new, |p| format!(" --as='{}'", p.replace('\'', "")))
        )),
    );
}

/// A validating admission webhook or Pod Security Admission refused what the
/// request asked to create (Kubernetes, "Dynamic Admission Control" and "Pod
/// Security Admission"): the object must change, or the policy, not a role.
fn k8s_admission(f: &Finding, list: &mut List) {
    if let Some(level) = fact(f, "podSecurity") {
        list.add(
            "k8s.pod-security-fix-spec",
            Stage::Fix,
            format!(
                "Change the pod's `securityContext` until it meets the {} Pod Security level: the message lists each setting that violates it. No Role or RoleBinding can lift this refusal; only the pod spec or the namespace's `pod-security.kubernetes.io/enforce` label can.",
                code_span(level)
            ),
            None,
        );
        list.add(
            "k8s.pod-security-namespace-label",
            Stage::Diagnose,
            "See which level the namespace enforces. Lowering it is a security decision for the cluster's owners; prefer fixing the pod.".to_owned(),
            Some("kubectl get namespace <namespace> --show-labels".to_owned()),
        );
        list.add(
            "k8s.pod-security-dry-run",
            Stage::Verify,
            "Check the changed manifest against the namespace's policy before applying it."
                .to_owned(),
            Some("kubectl apply --dry-run=server -f <manifest>".to_owned()),
        );
    } else if let Some(hook) = fact(f, "admissionWebhook") {
        list.add(
            "k8s.admission-webhook-reason",
            Stage::Diagnose,
            format!(
                "The admission webhook {} refused the object's content after the request was authorized: read the reason after `denied the request` and find the policy it enforces (Kyverno, Gatekeeper, an image-signature check). Granting roles does not help.",
                code_span(hook)
            ),
            Some("kubectl get validatingwebhookconfigurations".to_owned()),
        );
        list.add(
            "k8s.admission-webhook-fix",
            Stage::Fix,
            "Change the object so that it meets the policy, or ask the policy's owners for an exception for this object; then apply it again with `--dry-run=server` to check.".to_owned(),
            Some("kubectl apply --dry-run=server -f <manifest>".to_owned()),
        );
    }
}

/// The kubelet's own refusal (`Forbidden (user=..., verb=..., resource=nodes,
/// subresource=proxy)`): Kubernetes, "Kubelet authentication/authorization".
/// The kubelet asks the API server whether the caller may use the node's API;
/// the API server's own client certificate (`--kubelet-client-certificate`)
/// needs the built-in ClusterRole `system:kubelet-api-admin`, and a caller
/// the kubelet sees as `system:anonymous` sent no certificate it accepts.
fn k8s_kubelet_api(f: &Finding, list: &mut List) {
    if fact(f, "subresource").is_none() || f.resource.as_deref() != Some("nodes") {
        return;
    }
    let user = nonempty(&f.principal);
    if user == Some("system:anonymous") {
        list.add(
            "k8s.kubelet-client-certificate",
            Stage::Diagnose,
            "The kubelet refused the call (logs, exec, port-forward and metrics go through it) because it did not accept the caller's client certificate, so it saw `system:anonymous`. For the API server, check that `--kubelet-client-certificate` and `--kubelet-client-key` are set and that the kubelet's `--client-ca-file` holds the CA that signed them.".to_owned(),
            None,
        );
        return;
    }
    let who = user.map_or_else(|| "the caller".to_owned(), code_span);
    list.add(
        "k8s.kubelet-api",
        Stage::Fix,
        format!(
            "The kubelet refused the call (logs, exec, port-forward and metrics go through it) after asking the API server whether {who} may use the node's API. When {who} is the API server's own kubelet client (`--kubelet-client-certificate`), bind it to the built-in ClusterRole `system:kubelet-api-admin`, which grants that API."
        ),
        Some(format!(
            "kubectl create clusterrolebinding <binding-name> --clusterrole=system:kubelet-api-admin --user={}",
            arg(user, "<user>")
        )),
    );
}

fn k8s_authorization(f: &Finding, list: &mut List) {
    let user = nonempty(&f.principal);
    let verb = fact(f, "verb").or_else(|| nonempty(&f.action));
    let namespace = fact(f, "namespace");
    let group = fact(f, "apiGroup").filter(|g| !g.trim().is_empty());
    // `secrets/camunda` names the object; the role grants on its type, and
    // `can-i` takes `TYPE.GROUP/NAME`. The kubelet names its subresource apart.
    let name = fact(f, "name");
    let object = nonempty(&f.resource).map(|r| match namespace {
        Some(ns) => r.strip_suffix(&format!(" in namespace {ns}")).unwrap_or(r),
        None => r,
    });
    let (kind, named) = match (object, name) {
        (Some(r), Some(n)) => match r.strip_suffix(n).and_then(|k| k.strip_suffix('/')) {
            Some(k) => (Some(k), Some(n)),
            None => (Some(r), None),
        },
        (r, _) => (r, None),
    };
    let subresource = fact(f, "subresource").map_or_else(String::new, |s| format!("/{s}"));
    let resource_type = kind.map(|r| match group {
        Some(g) if !r.contains('.') => format!("{r}.{}{subresource}", g.trim()),
        _ => format!("{r}{subresource}"),
    });
    let resource = resource_type
        .as_deref()
        .map(|k| named.map_or_else(|| k.to_owned(), |n| format!("{k}/{n}")));
    k8s_whoami(list);
    let who = user.map_or_else(|| "the caller".to_owned(), code_span);
    do_not_rotate(list, f.gate, &who);
    let ns_flag = namespace.map_or_else(String::new, |n| {
        format!(" -n {}", arg(Some(n), "<namespace>"))
    });
    let scope_note = if namespace.is_none() {
        " The message names no namespace, so the check is for the cluster scope; add `-n NAMESPACE` if the request was namespaced."
    } else {
        ""
    };
    let mut missing = String::new();
    if user.is_none() {
        missing.push_str(" The message did not name the user: fill in `<user>`.");
    }
    if verb.is_none() {
        missing.push_str(" The message did not name the verb: fill in `<verb>`.");
    }
    if resource.is_none() {
        missing.push_str(" The message did not name the resource: fill in `<resource>`.");
    }
    list.add(
        "k8s.auth-can-i",
        Stage::Diagnose,
        format!(
            "Ask the API server whether the subject may do this (impersonation needs the `impersonate` permission; service accounts are written `system:serviceaccount:NAMESPACE:NAME`). Kubernetes RBAC only adds permissions and has no deny rules, so \"no\" means no Role or ClusterRole bound to the subject allows it.{scope_note}{missing}"
        ),
        Some(format!(
            "kubectl auth can-i {} {} --as {}{ns_flag}",
            arg(verb, "<verb>"),
            arg(resource.as_deref(), "<resource>"),
            arg(user, "<user>")
        )),
    );
    k8s_kubelet_api(f, list);
    list.add(
        "k8s.auth-can-i-list",
        Stage::Diagnose,
        "List everything the subject may do in the namespace, to see what it has and what is missing.".to_owned(),
        Some(format!("kubectl auth can-i --list --as {}{ns_flag}", arg(user, "<user>"))),
    );
    list.add(
        "k8s.rbac-bindings",
        Stage::Diagnose,
        "Find the RoleBindings and ClusterRoleBindings that name the subject, one of its groups, or its service account, and the Roles they point to.".to_owned(),
        Some("kubectl get rolebindings,clusterrolebindings --all-namespaces -o wide".to_owned()),
    );
    let sa = user.and_then(|u| u.trim().strip_prefix("system:serviceaccount:"));
    let subject = match sa {
        Some(rest) => format!("--serviceaccount={}", arg(Some(rest), "<namespace>:<name>")),
        None => format!("--user={}", arg(user, "<user>")),
    };
    let (kind, bind) = if namespace.is_some() {
        ("role", "rolebinding")
    } else {
        ("clusterrole", "clusterrolebinding")
    };
    list.add(
        "k8s.create-role",
        Stage::Fix,
        format!(
            "Create a {} that allows only this verb on this resource; use a Role and RoleBinding for namespaced resources, and a ClusterRole only for cluster-scoped ones. Choose a name for `<role-name>`.",
            if namespace.is_some() { "Role in the namespace" } else { "ClusterRole" }
        ),
        Some(format!(
            "kubectl create {kind} <role-name> --verb={} --resource={}{ns_flag}",
            arg(verb, "<verb>"),
            arg(resource_type.as_deref(), "<resource>")
        )),
    );
    list.add(
        "k8s.create-rolebinding",
        Stage::Fix,
        "Bind the role to the subject, and only to it. Choose a name for `<binding-name>`."
            .to_owned(),
        Some(format!(
            "kubectl create {bind} <binding-name> --{kind}=<role-name> {subject}{ns_flag}"
        )),
    );
    list.add(
        "k8s.verify",
        Stage::Verify,
        "Run the `kubectl auth can-i` check again: it should now answer yes. Check one neighbouring verb that should stay forbidden, then repeat the original request.".to_owned(),
        None,
    );
    list.add(
        "k8s.prevent",
        Stage::Prevent,
        "Keep RBAC manifests in version control with review, grant service accounts only what their workload uses, and watch the API server audit log for forbidden responses.".to_owned(),
        None,
    );
}

// --- HTTP ---------------------------------------------------------------------

fn http_replay(list: &mut List) {
    list.add(
        "http.too-early",
        Stage::Diagnose,
        "HTTP 425 Too Early is replay protection, not an access problem: the server refused to act on a request sent in TLS 1.3 early data (0-RTT), which an attacker could replay. Credentials and permissions are not involved.".to_owned(),
        None,
    );
    list.add(
        "http.retry-after-handshake",
        Stage::Fix,
        "Retry the request after the TLS handshake has completed; clients that follow RFC 8470 do this automatically. Do not send requests that change state in early data: turn off 0-RTT in the client or proxy for them.".to_owned(),
        None,
    );
    list.add(
        "http.verify-replay",
        Stage::Verify,
        "Repeat the request on an established connection and confirm it succeeds.".to_owned(),
        None,
    );
}

fn http_cors(list: &mut List) {
    list.add(
        "http.cors",
        Stage::Diagnose,
        "This is a browser CORS refusal, not an authentication or authorization failure: the server's response did not allow this page's origin to read it. Only the server (or the proxy or CDN in front of it) can fix this, by sending `Access-Control-Allow-Origin` with this origin (and, for requests with cookies or credentials, `Access-Control-Allow-Credentials: true` with an explicit origin rather than `*`), including on the `OPTIONS` preflight response. Changing credentials or permissions will not help.".to_owned(),
        None,
    );
    list.add(
        "http.cors-inspect",
        Stage::Capture,
        "Open the browser's network panel and look at the preflight (`OPTIONS`) and the actual request: their status and response headers show which header is missing. An error response (401, 403, 500) without CORS headers is reported by the browser as a CORS failure too.".to_owned(),
        None,
    );
    list.add(
        "http.verify-cors",
        Stage::Verify,
        "Reload the page and check that the response now carries the CORS headers and the script can read it.".to_owned(),
        None,
    );
}

/// Azure SQL, "Microsoft Entra authentication": a token login needs the
/// server's Microsoft Entra admin set, a token for
/// `https://database.windows.net/`, and a database user created for the
/// identity `FROM EXTERNAL PROVIDER`.
/// Microsoft Graph's refusal for a missing permission: Microsoft Graph
/// documentation, "Microsoft Graph permissions overview" (delegated
/// permissions are scopes a user's token carries, application permissions are
/// app roles; both are requested by the app registration and consented to).
fn graph_permission(f: &Finding, list: &mut List) {
    let application = fact(f, "permissionModel").is_some_and(|m| m.contains("application"));
    let perm = shown(nonempty(&f.action), "<permission>");
    let (kind, claim) = if application {
        ("an application permission", "`roles`")
    } else {
        ("a delegated permission", "`scp`")
    };
    list.add(
        "azure.graph-token",
        Stage::Diagnose,
        format!("Microsoft Graph checks the permissions in the access token itself (its {claim} claim), not Azure role assignments. Decode the token on this machine (its middle part is base64url-encoded JSON; do not paste a live token into a website) and look for {perm} in that claim."),
        None,
    );
    list.add(
        "azure.graph-add-permission",
        Stage::Fix,
        format!("In the app registration (Microsoft Entra admin center, App registrations, API permissions), add {perm} as {kind} of Microsoft Graph and have an administrator grant consent for the tenant. Then get a new token: a token keeps the permissions it was issued with."),
        Some("az ad app permission list --id <app-id>".to_owned()),
    );
}

/// A management lock's refusal (`ScopeLocked`): roles do not matter; the lock
/// does (Azure Resource Manager, "Lock your resources to protect your
/// infrastructure").
fn azure_lock(f: &Finding, list: &mut List) {
    let locked = fact(f, "lockedScope").or_else(|| nonempty(&f.resource));
    let op = nonempty(&f.action).map_or_else(
        || "this operation".to_owned(),
        |a| format!("the {} operation", code_span(a)),
    );
    let on = locked.map_or_else(|| "the resource or a scope above it".to_owned(), code_span);
    // `/subscriptions/S/resourceGroups/G[/...]`: the resource group's name.
    let group = locked.and_then(|l| {
        let lower = l.to_ascii_lowercase();
        let at = lower.find("/resourcegroups/")? + "/resourcegroups/".len();
        let name = l.get(at..)?.split('/').next()?;
        (!name.is_empty()).then_some(name)
    });
    let list_cmd = group.map_or_else(
        || "az lock list --output table".to_owned(),
        |g| {
            format!(
                "az lock list --resource-group {} --output table",
                arg(Some(g), "<resource-group>")
            )
        },
    );
    list.add(
        "azure.lock-list",
        Stage::Diagnose,
        format!(
            "A management lock on {on} blocks {op} for every caller, Owners included: no role assignment changes that. List the locks that apply (those on the resource, its resource group and its subscription all count) and note which is `CanNotDelete` and which `ReadOnly`."
        ),
        Some(list_cmd),
    );
    list.add(
        "azure.lock-remove",
        Stage::Fix,
        "If the operation is intended, ask the lock's owner: a lock usually protects production on purpose. Someone allowed to manage locks (`Microsoft.Authorization/locks/*`, which Owner and User Access Administrator have) deletes it, runs the operation, and creates the lock again.".to_owned(),
        Some(format!(
            "az lock delete --name <lock-name> --resource-group {}",
            arg(group, "<resource-group>")
        )),
    );
    list.add(
        "azure.lock-readonly",
        Stage::Verify,
        "A `ReadOnly` lock also refuses operations that change nothing but are sent as a POST, such as listing a storage account's keys: if such a call fails with `ScopeLocked`, that is the lock, not a missing role.".to_owned(),
        None,
    );
}

/// Azure Repos' repository permissions (Azure DevOps documentation, "Set Git
/// repository permissions"; a pipeline runs as the project's or the
/// collection's Build Service identity).
fn devops_items(f: &Finding, list: &mut List) {
    let build = nonempty(&f.principal).is_some_and(|p| p.starts_with("Build\\"));
    let perm = shown(nonempty(&f.action), "<permission>");
    if build {
        list.add(
            "devops.build-identity",
            Stage::Diagnose,
            "The identity `Build\\<id>` is a pipeline's Build Service account: `<Project> Build Service (<organization>)` for project-scoped jobs, `Project Collection Build Service (<organization>)` otherwise. That account, not the person who queued the run, needs the permission.".to_owned(),
            None,
        );
    }
    list.add(
        "devops.grant",
        Stage::Fix,
        format!("In Project settings, Repositories, choose the repository (or All repositories), Security, find the identity and set {perm} to Allow (in the portal it is named in words: `GenericContribute` is Contribute, `PullRequestContribute` is Contribute to pull requests, `CreateBranch` is Create branch). Branch policies can still refuse a push to a protected branch."),
        None,
    );
}

fn azure_sql_items(f: &Finding, list: &mut List) {
    if f.gate == Gate::Authentication {
        list.add(
            "azure.sql-token",
            Stage::Diagnose,
            "Azure SQL did not accept the Microsoft Entra token: it must be issued for `https://database.windows.net/` (not Resource Manager's audience), be unexpired, and the server must have a Microsoft Entra admin set, without which it accepts no Entra login.".to_owned(),
            Some("az sql server ad-admin list --resource-group <resource-group> --server-name <server>".to_owned()),
        );
    } else {
        list.add(
            "azure.sql-user",
            Stage::Diagnose,
            "The token was accepted but the database has no user for this identity (or the user may not connect to that database): Azure RBAC roles on the server do not create database users. Connected as the Microsoft Entra admin, create a user for the identity in the database it opens and give it a database role.".to_owned(),
            Some("sqlcmd -S <server>.database.windows.net -d <database> -G -Q \"CREATE USER [<identity-name>] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [<identity-name>];\"".to_owned()),
        );
    }
}

/// Azure Pipelines, "Pipeline resource protection": a service connection
/// must exist, be enabled, and be authorized for the pipeline that uses it.
fn azure_pipelines_items(f: &Finding, list: &mut List) {
    list.add(
        "azure.service-connection",
        Stage::Diagnose,
        format!(
            "The pipeline names the service connection {} and may not use it: check that one with exactly that name exists in the project (a variable that did not expand leaves a name that matches none), that it is enabled, and that this pipeline is authorized to use it (Project settings > Service connections > the connection > Security, or approve the pipeline's first run).",
            shown(nonempty(&f.resource), "in the step's input")
        ),
        None,
    );
}

/// A Vault path the refusal names, and whether it is an auth method's login.
fn vault_path(f: &Finding) -> (Option<&str>, bool) {
    let path = nonempty(&f.resource);
    (
        path,
        path.is_some_and(|p| p.starts_with("auth/") && p.ends_with("/login")),
    )
}

fn vault_summary(f: &Finding) -> String {
    let (path, login) = vault_path(f);
    let status = f
        .http_status
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    let why = fact(f, "reason").map_or_else(String::new, |r| format!(" ({})", code_span(r)));
    match (f.gate, login) {
        (Gate::Authorization, true) => format!(
            "HashiCorp Vault refused the login at {}{status}: the auth method's role does not bind this identity{why}",
            path.map_or_else(|| "its auth method".to_owned(), code_span),
        ),
        (Gate::Authorization, false) => format!(
            "HashiCorp Vault refused the request{}{status}: the token's policies do not grant the capability it needs{why}",
            path.map_or_else(String::new, |p| format!(" on {}", code_span(p))),
        ),
        _ => format!(
            "HashiCorp Vault did not accept the credential{status}: the token is missing, expired or revoked, or the login's own credential failed its check{why}"
        ),
    }
}

/// Vault's documentation: "Policies" (capabilities per path, `vault token
/// capabilities`), "KV secrets engine - version 2" (`data/` in the API path),
/// "Kubernetes auth method" (a role's bound service account names and
/// namespaces).
fn vault_items(f: &Finding, list: &mut List) {
    let (path, login) = vault_path(f);
    match (f.gate, login) {
        (Gate::Authorization, true) => {
            let method = path
                .and_then(|p| p.strip_prefix("auth/"))
                .and_then(|p| p.strip_suffix("/login"))
                .unwrap_or("<method>");
            list.add(
                "vault.login-role",
                Stage::Diagnose,
                format!("The {} auth method checked the login against the role it names and refused it: for Kubernetes, the role's `bound_service_account_names` and `bound_service_account_namespaces` must include the pod's service account and namespace. Read the role and compare.", code_span(method)),
                Some(format!("vault read auth/{method}/role/<role>")),
            );
            list.add(
                "vault.login-role-fix",
                Stage::Fix,
                "Log in with a role that binds this service account and namespace, or have a Vault administrator add them to the role's bindings. `vault write` on a role replaces it whole: write it back with every setting `vault read` showed, the new names added.".to_owned(),
                None,
            );
        }
        (Gate::Authorization, false) => {
            let p = path.unwrap_or("<path>");
            list.add(
                "vault.capabilities",
                Stage::Diagnose,
                format!("Vault allows a request only when one of the token's policies grants the capability it needs (read, create, update, list, delete) on the path. See what the token may do on {} and which policies it carries.", code_span(p)),
                Some(format!("vault token capabilities {p}")),
            );
            list.add(
                "vault.policy-fix",
                Stage::Fix,
                "Add the capability for this path to one of the token's policies, or use a token that carries such a policy. With the KV version 2 engine, policies name the API path with `data/` (`secret/data/app`, not `secret/app`) and `metadata/` for listing. A token keeps the policies it was issued with: log in again after changing which policies it gets.".to_owned(),
                Some("vault token lookup".to_owned()),
            );
        }
        _ => list.add(
            "vault.token",
            Stage::Diagnose,
            "Vault did not accept the credential: check that a token is sent (`VAULT_TOKEN` or the client's token setting), that it has not expired or been revoked, and for a login that the JWT or service account token it presents is valid for the auth method's configuration.".to_owned(),
            Some("vault token lookup".to_owned()),
        ),
    }
}

fn http_generic(f: &Finding, list: &mut List) {
    match (f.gate, f.http_status) {
        (Gate::Authentication, _) | (_, Some(401)) => {
            let header = fact(f, "wwwAuthenticate");
            let text = match header {
                Some(h) => format!(
                    "The server did not accept the request's credentials. Its `WWW-Authenticate` header ({}) asks for the {} scheme: send credentials in that scheme. If a token was sent, check that it has not expired, is meant for this service (audience), and reaches the server (proxies sometimes drop the `Authorization` header).",
                    code_span(h),
                    code_span(auth_scheme(h))
                ),
                None => "The server did not accept the request's credentials. Read the `WWW-Authenticate` response header: it names the scheme the server expects. If a token was sent, check that it has not expired, is meant for this service (audience), and reaches the server (proxies sometimes drop the `Authorization` header).".to_owned(),
            };
            list.add("http.www-authenticate", Stage::Diagnose, text, None);
            check_clock(list, Stage::Diagnose);
            list.add(
                "http.verify-authentication",
                Stage::Verify,
                "Repeat the request with the corrected credentials; a 403 afterwards means authentication now works and the identity lacks permission.".to_owned(),
                None,
            );
        }
        (_, Some(404)) => {
            list.add(
                "http.404-may-hide-403",
                Stage::Diagnose,
                "Check that the URL is right first. Then keep in mind that some services answer 404 instead of 403 so as not to reveal that a resource exists to callers who may not see it: check whether this identity is allowed to access the resource.".to_owned(),
                None,
            );
            list.add(
                "http.verify",
                Stage::Verify,
                "Repeat the request as an identity known to have access; if that succeeds, the 404 was hiding a permission problem.".to_owned(),
                None,
            );
        }
        _ => {
            // Only where a service's own words say who refused: a reading
            // from bare wording could as well be a credential problem.
            if f.confidence != Confidence::Possible {
                do_not_rotate(list, f.gate, "the caller");
            }
            list.add(
                "http.forbidden",
                Stage::Diagnose,
                "The server identified the caller and refused the action. Find out which permission, role or OAuth scope the endpoint requires (its documentation or owner), and compare it with what the caller's token carries (scopes, roles, group claims).".to_owned(),
                None,
            );
            list.add(
                "http.verify",
                Stage::Verify,
                "After the grant, get a new token if the permission travels inside it (scopes and roles are fixed when a token is issued), then repeat the request.".to_owned(),
                None,
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Caveats
// ---------------------------------------------------------------------------

fn caveat(out: &mut Vec<Caveat>, code: &str, text: String) {
    out.push(Caveat {
        code: code.to_owned(),
        text,
    });
}

/// What the message behind `f` cannot tell, each with a stable `code`.
#[must_use]
pub fn caveats(f: &Finding) -> Vec<Caveat> {
    let mut out = Vec::new();
    let authz = f.gate == Gate::Authorization;
    match f.provider {
        Provider::Aws if authz => {
            if f.policy_type.is_some() {
                caveat(
                    &mut out,
                    "aws.one-policy-type-reported",
                    "When several policy types deny a request, AWS names only one of them in the message. After fixing this one, the request may still be denied by another.".to_owned(),
                );
                caveat(
                    &mut out,
                    "aws.same-type-count-not-given",
                    "When several policies of the same type deny the request, the message does not say how many; check all of them.".to_owned(),
                );
            }
            if matches!(f.policy_type, Some(PolicyType::Scp | PolicyType::Rcp)) {
                caveat(
                    &mut out,
                    "aws.org-policy-deny-kind",
                    "Take the explicit or implicit wording of an SCP or RCP denial as a hint, not proof: organization policies refuse both through `Deny` statements and through a level of the organization that lacks an Allow, and the message may not tell the two apart. Ask the administrators to check both.".to_owned(),
                );
            }
            if f.policy_type.is_none() {
                caveat(
                    &mut out,
                    "aws.no-policy-type",
                    "The message names no policy type. Amazon S3 adds the policy type and reason only for requests from the same account or the same organization, so a caller from another organization gets a bare `Access Denied`; some services never include the detail.".to_owned(),
                );
            }
            if nonempty(&f.principal).is_some_and(|p| p.contains(":assumed-role/")) {
                caveat(
                    &mut out,
                    "aws.session-details-hidden",
                    "The caller is a role session. The message shows neither the role's path nor any session policy or session tags that limited the session.".to_owned(),
                );
            }
            if fact(f, "encodedMessage").is_some() {
                caveat(
                    &mut out,
                    "aws.encoded-message-offline",
                    "The encoded authorization message cannot be decoded offline; only AWS STS can decode it, for an identity allowed `sts:DecodeAuthorizationMessage`.".to_owned(),
                );
            }
            caveat(
                &mut out,
                "aws.cloudtrail-may-omit",
                "CloudTrail may not add much: event history holds only management events, S3 object-level calls are logged only as data events in a trail configured for them, and an event's `errorMessage` rarely says more than the error.".to_owned(),
            );
        }
        Provider::Aws if f.gate == Gate::Authentication => caveat(
            &mut out,
            "general.authentication-hides-authorization",
            "The request failed before any permission check, so the message says nothing about permissions: once authentication works, the same request may still be denied by policy.".to_owned(),
        ),
        Provider::Gcp if f.policy_type == Some(PolicyType::GcpVpcServiceControls) => caveat(
            &mut out,
            "gcp.vpc-sc-details-in-logs",
            "The error does not say which perimeter or rule refused the request; the audit log entry for its unique identifier does.".to_owned(),
        ),
        // Google Cloud, "Troubleshoot permission error messages".
        Provider::Gcp if authz && f.policy_type.is_none() => caveat(
            &mut out,
            "gcp.cause-not-named",
            "Google Cloud shows the same message for a missing role, an IAM deny policy, a principal access boundary that excludes the resource, and a resource that does not exist; only Policy Troubleshooter or the audit log tells which.".to_owned(),
        ),
        Provider::Azure if authz && fact(f, "permissionModel") == Some("access policy") => caveat(
            &mut out,
            "azure.access-policy-groups",
            "An access policy can name a group the caller belongs to; the message does not show the caller's groups, so check them before adding a policy for the caller alone.".to_owned(),
        ),
        Provider::Azure if authz => caveat(
            &mut out,
            "azure.groups-not-shown",
            "The message does not show the caller's group memberships or assignments at parent scopes, which also grant roles.".to_owned(),
        ),
        Provider::Kubernetes if authz && !k8s_admission_refusal(f) => caveat(
            &mut out,
            "k8s.authorizer-not-named",
            "The message does not say which authorizer refused the request; on clusters that also use a webhook authorizer, RBAC may not be the only thing to check.".to_owned(),
        ),
        _ => {}
    }
    if f.gate == Gate::Authentication && f.provider != Provider::Aws {
        caveat(
            &mut out,
            "general.authentication-hides-authorization",
            "The request failed before any permission check, so the message says nothing about permissions: once authentication works, the same request may still be denied.".to_owned(),
        );
    }
    if authz {
        caveat(
            &mut out,
            "general.first-failure-only",
            "The service reports the first check that failed. The operation may need further permissions that will be refused once this one is granted.".to_owned(),
        );
    }
    if f.http_status == Some(404) {
        caveat(
            &mut out,
            "http.404-may-hide-403",
            "A 404 can stand in for a 403: some services hide the existence of resources from callers who may not see them.".to_owned(),
        );
    }
    if is_cors(f) && f.gate == Gate::NotAuth {
        caveat(
            &mut out,
            "http.cors-opaque",
            "Browsers hide a CORS-blocked response from the page's script, so the real status is not in this message; the network panel or the server's logs show it.".to_owned(),
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

/// One sentence, for people, saying what happened, e.g. "AWS denied `s3:GetObject`
/// on `arn:aws:s3:::b/k` for `arn:aws:iam::1:user/a`: no identity-based policy
/// allows it (implicit deny)". Values appear as inline code (see [`code_span`]).
#[must_use]
pub fn summary(f: &Finding) -> String {
    if let Some(s) = super::http::summary(f) {
        return s;
    }
    match (f.provider, f.gate) {
        (Provider::Github, _) => super::github::summary(f),
        _ if super::git_hosts::applies(f) => super::git_hosts::summary(f),
        _ if fact(f, "service") == Some(super::vault::VAULT) => vault_summary(f),
        _ if super::firebase::applies(f) => super::firebase::summary(f),
        _ if super::consul::applies(f) => super::consul::summary(f),
        _ if super::databases::applies(f) => super::databases::summary(f),
        _ if fact(f, "service") == Some(super::servers::JENKINS) => super::servers::jenkins_summary(f),
        _ if fact(f, "service") == Some(super::servers::CLOUDFRONT) => super::servers::cloudfront_summary(f),
        (Provider::Azure, Gate::Authentication) if fact(f, "service") == Some("Azure SQL Database") => "Azure SQL refused the Microsoft Entra token login: the token is not one it accepts (its audience must be `https://database.windows.net/`, and the server needs a Microsoft Entra admin); Azure role assignments do not change this".to_owned(),
        (Provider::Azure, _) if fact(f, "service") == Some("Azure SQL Database") => "Azure SQL accepted the Microsoft Entra token but refused the login: the database has no user for this identity; create one `FROM EXTERNAL PROVIDER` and give it a database role (Azure role assignments do not create database users)".to_owned(),
        (Provider::Azure, _) if fact(f, "service") == Some(super::azure::DEVOPS) => format!(
            "Azure DevOps refused {} the Git permission {} on this repository: grant it in the repository's security settings (Azure role assignments do not apply)",
            nonempty(&f.principal).map_or_else(|| "the caller".to_owned(), code_span),
            nonempty(&f.action).map_or_else(|| "it needs".to_owned(), code_span),
        ),
        (Provider::Azure, _) if fact(f, "service") == Some("Azure Pipelines") => format!(
            "Azure Pipelines would not let the pipeline use the service connection {}: it does not exist under that name, is disabled, or is not authorized for this pipeline",
            nonempty(&f.resource).map_or_else(|| "it names".to_owned(), code_span)
        ),
        _ if super::registry::applies(f) => super::registry::summary(f),
        (_, Gate::Replay) => "The server declined to process a request sent in TLS early data (HTTP 425 Too Early): this is replay protection, not an access problem".to_owned(),
        (Provider::Http | Provider::Unknown, Gate::NotAuth) if is_cors(f) => "The browser blocked the response because the server did not allow this page's origin (CORS): this is neither an authentication nor an authorization failure".to_owned(),
        (_, Gate::Authentication) => authentication_summary(f),
        (Provider::Kubernetes, _) if k8s_plugin(f).is_some() => {
            k8s_plugin(f).map_or_else(String::new, |p| p.summary.to_owned())
        }
        (Provider::Gcp, Gate::Authorization) if gcp_token_scope(f) => format!(
            "Google Cloud refused the call because the OAuth access token was issued without a scope this API needs{}: scopes limit a token whatever the caller's IAM roles allow, so get a token with the scope; granting roles will not help",
            fact(f, "scope").map_or_else(String::new, |s| format!(" ({})", code_span(s))),
        ),
        (Provider::Gcp, Gate::NotAuth) if gcp_api_disabled(f) => format!(
            "{} is not enabled in {}, so Google Cloud refused the call before any permission was checked: enable the API; no role or credential change helps",
            fact(f, "service").map_or_else(|| "The API".to_owned(), |s| format!("The API {}", code_span(s))),
            gcp_project(f.resource.as_deref()).map_or_else(|| "the project that makes the call".to_owned(), |p| format!("project {}", code_span(p))),
        ),
        (Provider::Kubernetes, Gate::Authorization) if k8s_escalation(f) => format!(
            "Kubernetes refused to let {} {} a role or binding that grants permissions it does not hold itself (RBAC privilege-escalation prevention)",
            f.principal.as_deref().map_or_else(|| "the caller".to_owned(), code_span),
            f.action.as_deref().unwrap_or("create or update"),
        ),
        (Provider::Kubernetes, _) if k8s_admission_refusal(f) => match fact(f, "podSecurity") {
            Some(level) => format!("Pod Security Admission refused the pod because it violates the {} level: the request was authorized, but the pod spec breaks the namespace's policy (this is not RBAC)", code_span(level)),
            None => format!(
                "The admission webhook {} refused the object after the request was authorized: its content breaks a policy the webhook enforces (this is not RBAC)",
                fact(f, "admissionWebhook").map_or_else(|| "`<webhook>`".to_owned(), code_span)
            ),
        },
        (Provider::Gcp, Gate::NotAuth) if gcp_billing(f) => format!(
            "Google Cloud refused the request because {} has no open billing account{}: link one; roles and credentials are not the cause",
            gcp_project(f.resource.as_deref()).map_or_else(|| "the project that pays for it".to_owned(), |p| format!("project {}", code_span(p))),
            code_in_parens(f),
        ),
        (Provider::Gcp, Gate::NotAuth) if gcp_rate(f) => format!(
            "Google Cloud refused the request because it went over a rate limit or quota of the API{}: retry with backoff or raise the quota; the credentials and permissions are not the cause",
            code_in_parens(f),
        ),
        (Provider::Aws, Gate::NotAuth) if code_is(f, &["OptInRequired"]) => "AWS refused the request because the account is not subscribed to the service or has not enabled the Region (`OptInRequired`): this is not a permissions problem".to_owned(),
        (Provider::Aws, Gate::Authorization) if fact(f, "modelAccess").is_some() => format!(
            "Amazon Bedrock refused {}: this account has no access to the model with that ID in this Region (Bedrock's model access, granted apart from IAM), or the ID is not one Bedrock offers there",
            nonempty(&f.action).map_or_else(|| "the call".to_owned(), code_span),
        ),
        (Provider::Aws, Gate::Authorization) if fact(f, "servicePrincipal").is_some() && f.policy_type == Some(PolicyType::Trust) => format!(
            "The service {} could not assume the role it was given: the role's trust policy does not let that service principal assume it (`sts:AssumeRole`), or the role is so new that IAM has not made it visible yet",
            fact(f, "servicePrincipal").map_or_else(String::new, code_span),
        ),
        (Provider::Aws, Gate::Authorization) if fact(f, "launchPermission").is_some() => format!(
            "EC2 refused to launch {} for this account: the AMI is private, or not shared with this account, or not in this Region (its launch permissions decide, not IAM)",
            nonempty(&f.resource).map_or_else(|| "the image".to_owned(), code_span),
        ),
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_SUBSCRIPTION) => format!(
            "AWS refused the request because the account is not signed up for the service{}: this is not a permissions problem",
            code_in_parens(f),
        ),
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_THROTTLING) => format!(
            "AWS refused the request because too many were sent{}{}: a rate limit; the credentials and permissions are not the cause",
            nonempty(&f.action).map_or_else(String::new, |a| format!(" for {}", code_span(a))),
            code_in_parens(f),
        ),
        (Provider::Aws, Gate::NotAuth) if code_is(f, AWS_NOT_FOUND) => format!(
            "AWS answered that {} does not exist{}; check its name, the Region and the account the call went to",
            nonempty(&f.resource).map_or_else(|| "the resource".to_owned(), code_span),
            code_in_parens(f),
        ),
        (Provider::Unknown, _) if fact(f, "phrase").is_some() => format!(
            "The text says {} ({}), but it names no service this tool knows, so who refused the request and why is not stated",
            if f.gate == Gate::Authentication { "the credentials were not accepted" } else { "access was refused" },
            fact(f, "phrase").map_or_else(String::new, code_span),
        ),
        (Provider::Http | Provider::Unknown, _) if f.http_status == Some(404) && f.gate != Gate::NotAuth => "The server answered 404 Not Found, which some services send instead of 403 to hide that a resource exists".to_owned(),
        (Provider::Http | Provider::Unknown, _) if f.gate != Gate::NotAuth => {
            let status = f.http_status.map_or_else(String::new, |s| format!(" (HTTP {s})"));
            // RFC 9110, 15.5.4: "The 403 (Forbidden) status code indicates that
            // the server understood the request but refuses to fulfill it. [...]
            // If authentication credentials were provided in the request, the
            // server considers them insufficient to grant access." No identity
            // is implied: a server also answers 403 to clients it blocks.
            format!("{} refused the request{status}: it understood the request but will not carry it out for this caller; any credentials sent do not grant access, or the server blocks this client", provider_name(f.provider))
        }
        // Any other refusal that is not an access decision: say so, with the
        // words or code that show it.
        (_, Gate::NotAuth) => format!(
            "{} refused the request{}{}, and not because of the credentials or the permissions{}",
            provider_name(f.provider),
            f.http_status.map_or_else(String::new, |s| format!(" (HTTP {s})")),
            nonempty(&f.error_code).map_or_else(String::new, |c| format!(" with {}", code_span(c))),
            fact(f, "reason").map_or_else(String::new, |r| format!(": {}", code_span(r))),
        ),
        _ => authorization_summary(f),
    }
}

/// ` (`Code`)` after a sentence, or nothing when the text names no code.
fn code_in_parens(f: &Finding) -> String {
    nonempty(&f.error_code).map_or_else(String::new, |c| format!(" ({})", code_span(c)))
}

fn authentication_summary(f: &Finding) -> String {
    if f.provider == Provider::Aws && fact(f, "operation") == Some("ConsoleLogin") {
        return format!(
            "The AWS console refused the sign-in{}: the password or the MFA code was not accepted",
            nonempty(&f.principal).map_or_else(String::new, |p| format!(" of {}", code_span(p)))
        );
    }
    let code = code_in_parens(f);
    let status = if code.is_empty() {
        f.http_status
            .map_or_else(String::new, |s| format!(" (HTTP {s})"))
    } else {
        String::new()
    };
    let reason = if let Some(r) = entra_reason(f) {
        r
    } else if presigned_url_expired(f) {
        "the presigned URL has expired"
    } else if code_is(f, &["SignatureDoesNotMatch"]) {
        "the signature AWS computed with its copy of the secret key does not match the one sent"
    } else if code_is(
        f,
        &[
            "InvalidClientTokenId",
            "InvalidAccessKeyId",
            "UnrecognizedClientException",
        ],
    ) {
        "the access key id or security token is not recognised"
    } else if code_is(
        f,
        &[
            "ExpiredToken",
            "ExpiredTokenException",
            "ExpiredAuthenticationToken",
        ],
    ) {
        "the credentials have expired"
    } else if code_is(f, &["RequestExpired", "RequestTimeTooSkewed"]) {
        "the request's timestamp is too far from the server's clock"
    } else if code_is(f, &["InvalidAuthenticationToken"]) {
        "the token is invalid for this service (audience, tenant or format)"
    } else if let Some(s) = fact(f, "wwwAuthenticate") {
        return format!(
            "{} did not accept the request's credentials{code}{status}; it asks for {} credentials",
            provider_name(f.provider),
            code_span(auth_scheme(s))
        );
    } else {
        "the credentials were missing, invalid or expired"
    };
    format!(
        "{} could not authenticate the request{code}{status}: {reason}",
        provider_name(f.provider)
    )
}

fn authorization_summary(f: &Finding) -> String {
    let principal = nonempty(&f.principal);
    let action = nonempty(&f.action);
    let resource = nonempty(&f.resource);
    let mut s = String::from(provider_name(f.provider));
    s.push_str(" denied ");
    match (f.provider, action) {
        (Provider::Kubernetes, Some(verb)) => {
            s.push_str(&code_span(verb));
            if let Some(r) = resource {
                s.push_str(" on ");
                // The kubelet names the subresource apart: `nodes/proxy`.
                match fact(f, "subresource") {
                    Some(sub) => s.push_str(&code_span(&format!("{r}/{sub}"))),
                    None => s.push_str(&code_span(r)),
                }
            }
        }
        (_, Some(a)) => {
            s.push_str(&code_span(a));
            if let Some(r) = resource {
                s.push_str(" on ");
                s.push_str(&code_span(r));
            }
        }
        (_, None) => {
            s.push_str("a request");
            if let Some(r) = resource {
                s.push_str(" on ");
                s.push_str(&code_span(r));
            }
        }
    }
    if f.provider == Provider::Kubernetes {
        // `secrets/x in namespace y` says it already.
        let said = resource.is_some_and(|r| r.contains(" in namespace "));
        if let Some(ns) = fact(f, "namespace").filter(|_| !said) {
            s.push_str(" in namespace ");
            s.push_str(&code_span(ns));
        }
    }
    if let Some(p) = principal {
        s.push_str(" for ");
        s.push_str(&code_span(p));
    }
    s.push_str(": ");
    s.push_str(&reason_clause(f));
    s
}

/// Why, from the policy type and deny kind: "no identity-based policy allows it
/// (implicit deny)".
fn reason_clause(f: &Finding) -> String {
    let deny = f.deny.unwrap_or(DenyKind::Unknown);
    let Some(t) = f.policy_type else {
        if fact(f, "permissionModel") == Some(COSMOS_ROLES) {
            return "no Cosmos DB data-plane role assignment grants it (implicit deny); Azure role assignments do not reach the data".to_owned();
        }
        if fact(f, "permissionModel") == Some(MESSAGING_CLAIMS) {
            return "neither the shared access policy the client used nor a data role gives it this right (implicit deny)".to_owned();
        }
        return match (f.provider, deny) {
            // Any authorizer (Node, RBAC, ABAC, a webhook) refuses in the same
            // words, and a request no authorizer has an opinion on is refused
            // (Kubernetes, "Authorization"): only the `RBAC:` suffix names RBAC.
            (Provider::Kubernetes, _) => {
                "no authorizer allowed it (on a cluster that authorizes with RBAC, as most do: no Role or ClusterRole bound to it allows this)".to_owned()
            }
            (_, DenyKind::Explicit) => {
                "a policy explicitly denies it (explicit deny); the message does not say which kind"
                    .to_owned()
            }
            (_, DenyKind::Implicit) => {
                "no policy allows it (implicit deny); the message does not say which kind"
                    .to_owned()
            }
            (_, DenyKind::Unknown) => "the message does not say which policy refused it".to_owned(),
        };
    };
    match t {
        PolicyType::Resource if fact(f, "permissionModel") == Some("access policy") => {
            return "none of the key vault's access policies grants it (implicit deny)".to_owned()
        }
        PolicyType::GcpVpcServiceControls => {
            return "a VPC Service Controls perimeter blocks it".to_owned()
        }
        PolicyType::GcpOrgPolicy => {
            return match fact(f, "constraint") {
                Some(c) => format!(
                    "the organization policy constraint {} forbids it",
                    code_span(c)
                ),
                None => "an organization policy constraint forbids it".to_owned(),
            }
        }
        PolicyType::GcpIamDeny => return "an IAM deny policy denies it".to_owned(),
        PolicyType::GcpIamAllow => {
            return "no IAM allow policy grants it a role with this permission".to_owned()
        }
        PolicyType::AzureRbac => {
            return "no role assignment at this scope or a parent scope grants it".to_owned()
        }
        PolicyType::AzureDenyAssignment => return "a deny assignment blocks it".to_owned(),
        PolicyType::AzurePolicy => return "an Azure Policy assignment disallows it".to_owned(),
        PolicyType::K8sRbac => return "no Role or ClusterRole bound to it allows this".to_owned(),
        _ => {}
    }
    let article = |phrase: &str| {
        if phrase.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        }
    };
    let phrase = policy_type_phrase(t);
    // "... in a VPC endpoint policy transitively through a service control policy":
    // the IAM troubleshooting page locates the Deny in the SCPs. Only the known
    // value is acted on: the fact's text is untrusted.
    let via_endpoint = fact(f, "via") == Some("vpc_endpoint");
    match deny {
        DenyKind::Explicit if via_endpoint && t == PolicyType::Scp => {
            "a service control policy explicitly denies it on a request made through a VPC endpoint (explicit deny)".to_owned()
        }
        DenyKind::Explicit => format!(
            "{} {phrase} explicitly denies it (explicit deny)",
            article(phrase)
        ),
        DenyKind::Implicit => format!("no {phrase} allows it (implicit deny)"),
        DenyKind::Unknown => format!(
            "{} {phrase} refused it; the message does not say whether by a Deny or a missing Allow",
            article(phrase)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::model::Fact;

    fn finding(provider: Provider, gate: Gate) -> Finding {
        Finding {
            provider,
            error_code: None,
            http_status: None,
            gate,
            confidence: crate::model::Confidence::Certain,
            deny: None,
            policy_type: None,
            principal: None,
            action: None,
            resource: None,
            summary: String::new(),
            answer: String::new(),
            span: Span::new(0, 0),
            evidence: Vec::new(),
            facts: Vec::new(),
            checklist: Vec::new(),
            caveats: Vec::new(),
            count: 1,
            occurrences: Vec::new(),
            evaluation: None,
        }
    }

    fn with_fact(mut f: Finding, key: &str, value: &str) -> Finding {
        f.facts.push(Fact {
            key: key.to_owned(),
            value: value.to_owned(),
            span: Span::new(0, 0),
        });
        f
    }

    fn aws_authz(
        principal: Option<&str>,
        action: Option<&str>,
        resource: Option<&str>,
        deny: DenyKind,
        policy: Option<PolicyType>,
    ) -> Finding {
        let mut f = finding(Provider::Aws, Gate::Authorization);
        f.error_code = Some("AccessDenied".to_owned());
        f.http_status = Some(403);
        f.deny = Some(deny);
        f.policy_type = policy;
        f.principal = principal.map(str::to_owned);
        f.action = action.map(str::to_owned);
        f.resource = resource.map(str::to_owned);
        f
    }

    fn ids(items: &[ChecklistItem]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    fn item<'a>(items: &'a [ChecklistItem], id: &str) -> &'a ChecklistItem {
        match items.iter().find(|i| i.id == id) {
            Some(i) => i,
            None => panic!("no item {id} in {:?}", ids(items)),
        }
    }

    fn command<'a>(items: &'a [ChecklistItem], id: &str) -> &'a str {
        item(items, id).command.as_deref().unwrap_or("")
    }

    fn codes(c: &[Caveat]) -> Vec<&str> {
        c.iter().map(|c| c.code.as_str()).collect()
    }

    fn assert_stages_ordered(items: &[ChecklistItem]) {
        let ranks: Vec<u8> = items.iter().map(|i| stage_rank(i.stage)).collect();
        let mut sorted = ranks.clone();
        sorted.sort_unstable();
        assert_eq!(ranks, sorted, "stages out of order: {:?}", ids(items));
    }

    // --- quoting ---------------------------------------------------------------

    #[test]
    fn plain_tokens_stay_unquoted() {
        assert_eq!(
            shell_quote("arn:aws:iam::123456789012:user/alice"),
            "arn:aws:iam::123456789012:user/alice"
        );
        assert_eq!(shell_quote("alice@example.com"), "alice@example.com");
        assert_eq!(shell_quote("a-b_c.d,e+f=g%h"), "a-b_c.d,e+f=g%h");
    }

    #[test]
    fn everything_else_is_single_quoted() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("arn:aws:s3:::b/*"), "'arn:aws:s3:::b/*'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(shell_quote("`id`"), "'`id`'");
        assert_eq!(shell_quote("a;b"), "'a;b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("'"), "''\\'''");
        assert_eq!(shell_quote("~root"), "'~root'");
    }

    /// Runs `printf '%s\n' WORD...` in a real POSIX shell and returns the words it
    /// received: proof that quoting kept each value one inert word.
    fn words_seen_by_sh(args: &str) -> Vec<String> {
        let script = format!("printf '%s\\n' {args}");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output();
        let out = match out {
            Ok(o) => o,
            Err(e) => panic!("cannot run sh: {e}"),
        };
        assert!(
            out.status.success(),
            "sh failed for {script:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let s = String::from_utf8_lossy(&out.stdout).into_owned();
        s.strip_suffix('\n')
            .unwrap_or(&s)
            .split('\n')
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn hostile_values_round_trip_through_a_real_shell() {
        let hostile = [
            "$(rm -rf /)",
            "`rm -rf /`",
            "a; rm -rf / #",
            "x' ; echo pwned ; '",
            "\"double\" and 'single'",
            "back\\slash\\",
            "glob*?[a]",
            "tab\there",
            "!history $HOME ${PATH} &bg |pipe >out <in",
            "ünïcødé ✓",
            "'",
            "''",
        ];
        for v in hostile {
            assert_eq!(
                words_seen_by_sh(&shell_quote(v)),
                vec![v.to_owned()],
                "value {v:?}"
            );
        }
        // A newline inside single quotes is part of the word, not a new command.
        let nl = "line1\nrm -rf /";
        let script = format!("printf '%s' {}", shell_quote(nl));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output();
        if let Ok(o) = out {
            assert_eq!(String::from_utf8_lossy(&o.stdout), nl);
        }
    }

    #[test]
    fn hostile_values_in_generated_commands_stay_single_words() {
        let principal = "arn:aws:iam::123456789012:user/$(touch /tmp/pwned)";
        let action = "s3:GetObject`id`";
        let resource = "arn:aws:s3:::b/k'; rm -rf / ; echo '";
        let f = aws_authz(
            Some(principal),
            Some(action),
            Some(resource),
            DenyKind::Implicit,
            Some(PolicyType::Identity),
        );
        let items = checklist(&f);
        let cmd = command(&items, "aws.simulate-principal-policy");
        let args = cmd.strip_prefix("aws ").unwrap_or(cmd);
        assert_eq!(
            words_seen_by_sh(args),
            vec![
                "iam",
                "simulate-principal-policy",
                "--policy-source-arn",
                principal,
                "--action-names",
                action,
                "--resource-arns",
                resource
            ]
        );
        let blob = "AbC'$(reboot)`x`;\"";
        let f = with_fact(
            aws_authz(
                None,
                Some("ec2:RunInstances"),
                None,
                DenyKind::Unknown,
                None,
            ),
            "encodedMessage",
            blob,
        );
        let items = checklist(&f);
        let cmd = command(&items, "aws.decode-authorization-message");
        let args = cmd.strip_prefix("aws ").unwrap_or(cmd);
        assert_eq!(
            words_seen_by_sh(args),
            vec![
                "sts",
                "decode-authorization-message",
                "--encoded-message",
                blob,
                "--query",
                "DecodedMessage",
                "--output",
                "text"
            ]
        );
    }

    #[test]
    fn multi_line_or_option_like_values_become_placeholders() {
        let f = aws_authz(
            Some("arn:aws:iam::123456789012:user/a\nrm -rf /"),
            Some("--profile=evil"),
            Some("arn:aws:s3:::b/k"),
            DenyKind::Implicit,
            Some(PolicyType::Identity),
        );
        let items = checklist(&f);
        assert_eq!(
            command(&items, "aws.simulate-principal-policy"),
            "aws iam simulate-principal-policy --policy-source-arn <principal-arn> --action-names <action> --resource-arns arn:aws:s3:::b/k"
        );
        for i in &items {
            if let Some(c) = &i.command {
                assert!(!c.contains('\n'), "{c}");
            }
        }
    }

    #[test]
    fn code_span_cannot_be_closed_by_the_value() {
        assert_eq!(code_span("s3:GetObject"), "`s3:GetObject`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x``"), "``` `x`` ```");
        assert_eq!(code_span("two\nlines"), "`two lines`");
        assert_eq!(code_span(""), "` `");
        let long = "x".repeat(500);
        assert_eq!(code_span(&long), format!("`{}…`", "x".repeat(200)));
    }

    // --- AWS authorization --------------------------------------------------------

    #[test]
    fn aws_identity_implicit_deny_without_resource() {
        // "Access denied due to identity-based policies – implicit denial", AWS IAM
        // User Guide, "Troubleshoot access denied error messages".
        let f = aws_authz(
            Some("arn:aws:iam::123456789012:role/HR"),
            Some("codecommit:ListRepositories"),
            None,
            DenyKind::Implicit,
            Some(PolicyType::Identity),
        );
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "aws.get-caller-identity",
                "aws.cloudtrail-event",
                "general.do-not-rotate",
                "aws.identity-policies",
                "aws.simulate-principal-policy",
                "aws.condition-keys",
                "aws.add-allow",
                "aws.eventual-consistency",
                "aws.replay-request",
                "aws.validate-policy",
                "general.policy-as-code",
                "aws.alarm-on-denials",
            ]
        );
        assert_stages_ordered(&items);
        assert_eq!(
            item(&items, "aws.get-caller-identity").stage,
            Stage::Capture
        );
        assert_eq!(item(&items, "general.do-not-rotate").stage, Stage::Diagnose);
        assert_eq!(item(&items, "aws.add-allow").stage, Stage::Fix);
        assert_eq!(
            command(&items, "aws.get-caller-identity"),
            "aws sts get-caller-identity"
        );
        assert_eq!(
            command(&items, "aws.simulate-principal-policy"),
            "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/HR --action-names codecommit:ListRepositories --resource-arns <resource-arn>"
        );
        assert!(item(&items, "aws.simulate-principal-policy")
            .text
            .contains("The message did not name the resource"));
        assert_eq!(
            command(&items, "aws.identity-policies"),
            "aws iam list-attached-role-policies --role-name HR"
        );
        assert_eq!(
            command(&items, "aws.cloudtrail-event"),
            "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ListRepositories"
        );
        assert_eq!(
            item(&items, "aws.add-allow").text,
            "Add a least-privilege statement to an identity-based policy of the caller that allows exactly `codecommit:ListRepositories` on `<resource-arn>`, and nothing wider: `{\"Effect\":\"Allow\",\"Action\":\"codecommit:ListRepositories\",\"Resource\":\"<resource-arn>\"}`. The message did not name the resource: replace `<resource-arn>` with the narrowest ARN the workload needs, not `*`."
        );
        assert_eq!(
            item(&items, "general.do-not-rotate").text,
            "Do not rotate or re-issue credentials for this: it is an authorization failure. The service knew who `arn:aws:iam::123456789012:role/HR` was and refused the action, so new keys or tokens for the same identity get the same answer. The fix is in a policy or role assignment."
        );
        assert_eq!(
            summary(&f),
            "AWS denied `codecommit:ListRepositories` for `arn:aws:iam::123456789012:role/HR`: no identity-based policy allows it (implicit deny)"
        );
        assert_eq!(
            codes(&caveats(&f)),
            vec![
                "aws.one-policy-type-reported",
                "aws.same-type-count-not-given",
                "aws.cloudtrail-may-omit",
                "general.first-failure-only"
            ]
        );
    }

    #[test]
    fn aws_s3_get_object_summary_and_kms_item() {
        let f = aws_authz(
            Some("arn:aws:iam::1:user/a"),
            Some("s3:GetObject"),
            Some("arn:aws:s3:::b/k"),
            DenyKind::Implicit,
            Some(PolicyType::Identity),
        );
        assert_eq!(
            summary(&f),
            "AWS denied `s3:GetObject` on `arn:aws:s3:::b/k` for `arn:aws:iam::1:user/a`: no identity-based policy allows it (implicit deny)"
        );
        let items = checklist(&f);
        assert_eq!(
            command(&items, "aws.kms-key-policy"),
            "aws kms get-key-policy --key-id <key-id> --policy-name default --output text"
        );
        assert_eq!(
            command(&items, "aws.identity-policies"),
            "aws iam list-attached-user-policies --user-name a"
        );
    }

    #[test]
    fn no_kms_advice_for_bucket_settings() {
        // Amazon S3 "Protecting data with server-side encryption": SSE-KMS
        // encrypts objects; a bucket policy change reads and writes no object.
        let f = aws_authz(
            Some("arn:aws:iam::1:user/a"),
            Some("s3:PutBucketPolicy"),
            Some("arn:aws:s3:::b"),
            DenyKind::Implicit,
            Some(PolicyType::Identity),
        );
        let ids: Vec<String> = checklist(&f).into_iter().map(|i| i.id).collect();
        assert!(!ids.iter().any(|i| i == "aws.kms-key-policy"), "{ids:?}");
    }

    #[test]
    fn aws_session_principal_becomes_its_role_and_cross_account_is_flagged() {
        // "Access is denied when a VPC request fails due to another policy", AWS IAM
        // User Guide, "Troubleshoot access denied error messages".
        let f = with_fact(
            aws_authz(
                Some("arn:aws:sts::111122223333:assumed-role/role-name/role-session-name"),
                Some("SNS:Publish"),
                Some("arn:aws:sns:us-east-1:444455556666:role-name-2"),
                DenyKind::Explicit,
                Some(PolicyType::Scp),
            ),
            "via",
            "vpc_endpoint",
        );
        let items = checklist(&f);
        // The page's advice for this message is to find the Deny in the SCPs.
        assert_eq!(
            ids(&items),
            vec![
                "aws.get-caller-identity",
                "aws.cloudtrail-event",
                "general.do-not-rotate",
                "aws.vpc-endpoint-via-scp",
                "aws.check-scp",
                "aws.simulate-principal-policy",
                "aws.cross-account-both-sides",
                "aws.condition-keys",
                "aws.narrow-deny",
                "aws.eventual-consistency",
                "aws.replay-request",
                "aws.validate-policy",
                "general.policy-as-code",
                "aws.alarm-on-denials",
            ]
        );
        assert_eq!(
            command(&items, "aws.simulate-principal-policy"),
            "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/role-name --action-names SNS:Publish --resource-arns arn:aws:sns:us-east-1:444455556666:role-name-2"
        );
        let sim = &item(&items, "aws.simulate-principal-policy").text;
        assert!(
            sim.contains("only accepts users, groups and roles"),
            "{sim}"
        );
        assert!(
            sim.contains("`arn:aws:iam::111122223333:role/role-name`"),
            "{sim}"
        );
        assert!(
            sim.contains("A role path (`role/path/name`) is not visible in a session ARN"),
            "{sim}"
        );
        assert!(item(&items, "aws.cross-account-both-sides")
            .text
            .contains("`111122223333`"));
        assert!(item(&items, "aws.cross-account-both-sides")
            .text
            .contains("`444455556666`"));
        assert_eq!(
            summary(&f),
            "AWS denied `SNS:Publish` on `arn:aws:sns:us-east-1:444455556666:role-name-2` for `arn:aws:sts::111122223333:assumed-role/role-name/role-session-name`: a service control policy explicitly denies it on a request made through a VPC endpoint (explicit deny)"
        );
        assert!(codes(&caveats(&f)).contains(&"aws.session-details-hidden"));
    }

    #[test]
    fn aws_scp_explicit_goes_to_the_organization() {
        // "Access denied due to a Service Control Policy – explicit denial".
        let f = aws_authz(
            Some("arn:aws:iam::777788889999:user/JohnDoe"),
            Some("codecommit:ListRepositories"),
            None,
            DenyKind::Explicit,
            Some(PolicyType::Scp),
        );
        let items = checklist(&f);
        assert_eq!(
            command(&items, "aws.check-scp"),
            "aws organizations list-policies-for-target --target-id 777788889999 --filter SERVICE_CONTROL_POLICY"
        );
        assert!(item(&items, "aws.check-scp")
            .text
            .contains("usually as deliberate guardrails"));
        assert!(item(&items, "aws.narrow-deny")
            .text
            .contains("deliberate guardrails"));
        assert!(!ids(&items).contains(&"aws.add-allow"));
        assert_eq!(command(&items, "aws.validate-policy"), "aws accessanalyzer validate-policy --policy-type SERVICE_CONTROL_POLICY --policy-document file://policy.json");
        assert_eq!(
            summary(&f),
            "AWS denied `codecommit:ListRepositories` for `arn:aws:iam::777788889999:user/JohnDoe`: a service control policy (SCP) explicitly denies it (explicit deny)"
        );
        assert!(codes(&caveats(&f)).contains(&"aws.org-policy-deny-kind"));
    }

    #[test]
    fn aws_trust_policy_implicit() {
        // "Access denied due to role trust policies – implicit denial".
        let f = aws_authz(
            Some("arn:aws:iam::123456789012:user/JohnDoe"),
            Some("sts:AssumeRole"),
            Some("arn:aws:iam::123456789012:role/Deploy"),
            DenyKind::Implicit,
            Some(PolicyType::Trust),
        );
        let items = checklist(&f);
        assert_eq!(
            command(&items, "aws.trust-policy"),
            "aws iam get-role --role-name Deploy --query Role.AssumeRolePolicyDocument"
        );
        assert_eq!(
            item(&items, "aws.add-allow").text,
            "Add `arn:aws:iam::123456789012:user/JohnDoe` to the role's trust policy, with any conditions you require (for example `sts:ExternalId` for a third party): `{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/JohnDoe\"},\"Action\":\"sts:AssumeRole\"}`. The caller also needs `sts:AssumeRole` on the role in its own policies."
        );
        assert_eq!(
            summary(&f),
            "AWS denied `sts:AssumeRole` on `arn:aws:iam::123456789012:role/Deploy` for `arn:aws:iam::123456789012:user/JohnDoe`: no role trust policy allows it (implicit deny)"
        );
    }

    #[test]
    fn aws_resource_policy_gets_bucket_command_and_principal_statement() {
        let f = aws_authz(
            Some("arn:aws:sts::111122223333:assumed-role/Reader/s1"),
            Some("s3:GetObject"),
            Some("arn:aws:s3:::bucket-x/path/k.txt"),
            DenyKind::Implicit,
            Some(PolicyType::Resource),
        );
        let items = checklist(&f);
        assert_eq!(
            command(&items, "aws.resource-policy"),
            "aws s3api get-bucket-policy --bucket bucket-x --query Policy --output text"
        );
        assert!(item(&items, "aws.add-allow").text.contains(
            "`{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/Reader\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket-x/path/k.txt\"}`"
        ));
    }

    #[test]
    fn aws_bare_access_denied_checks_everything() {
        let mut f = finding(Provider::Aws, Gate::Authorization);
        f.error_code = Some("AccessDenied".to_owned());
        f.http_status = Some(403);
        f.deny = Some(DenyKind::Unknown);
        let items = checklist(&f);
        let got = ids(&items);
        for want in [
            "aws.policy-type-unknown",
            "aws.narrow-deny",
            "aws.add-allow",
            "general.do-not-rotate",
        ] {
            assert!(got.contains(&want), "{want} missing from {got:?}");
        }
        assert_eq!(
            command(&items, "aws.simulate-principal-policy"),
            "aws iam simulate-principal-policy --policy-source-arn <principal-arn> --action-names <action> --resource-arns <resource-arn>"
        );
        assert_eq!(
            summary(&f),
            "AWS denied a request: the message does not say which policy refused it"
        );
        assert!(codes(&caveats(&f)).contains(&"aws.no-policy-type"));
        assert_stages_ordered(&items);
    }

    #[test]
    fn aws_encoded_message_gets_the_decode_command() {
        let mut f = with_fact(
            aws_authz(None, None, None, DenyKind::Unknown, None),
            "encodedMessage",
            "Xyz-123_abc",
        );
        f.error_code = Some("Client.UnauthorizedOperation".to_owned());
        let items = checklist(&f);
        assert_eq!(ids(&items).first(), Some(&"aws.get-caller-identity"));
        assert_eq!(
            command(&items, "aws.decode-authorization-message"),
            "aws sts decode-authorization-message --encoded-message Xyz-123_abc --query DecodedMessage --output text"
        );
        assert_eq!(
            item(&items, "aws.decode-authorization-message").stage,
            Stage::Capture
        );
        assert!(codes(&caveats(&f)).contains(&"aws.encoded-message-offline"));
        // Without the blob, the code alone still asks for it, with a placeholder.
        let mut g = aws_authz(None, None, None, DenyKind::Unknown, None);
        g.error_code = Some("UnauthorizedOperation".to_owned());
        assert_eq!(
            command(&checklist(&g), "aws.decode-authorization-message"),
            "aws sts decode-authorization-message --encoded-message <encoded-message> --query DecodedMessage --output text"
        );
    }

    // --- AWS authentication and not-auth -------------------------------------------

    #[test]
    fn aws_signature_mismatch_gets_credential_steps_and_no_policy_steps() {
        let mut f = finding(Provider::Aws, Gate::Authentication);
        f.error_code = Some("SignatureDoesNotMatch".to_owned());
        f.http_status = Some(403);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "aws.get-caller-identity",
                "aws.credential-source",
                "aws.check-signature",
                "general.check-clock",
                "aws.verify-authentication",
                "aws.short-lived-credentials",
            ]
        );
        assert_eq!(
            command(&items, "aws.credential-source"),
            "aws configure list"
        );
        assert_eq!(
            summary(&f),
            "AWS could not authenticate the request (`SignatureDoesNotMatch`): the signature AWS computed with its copy of the secret key does not match the one sent"
        );
        assert_eq!(
            codes(&caveats(&f)),
            vec!["general.authentication-hides-authorization"]
        );
    }

    #[test]
    fn aws_expired_token_is_fixed_by_refreshing() {
        let mut f = with_fact(
            finding(Provider::Aws, Gate::Authentication),
            "expiresAt",
            "2026-01-01T00:00:00Z",
        );
        f.error_code = Some("ExpiredToken".to_owned());
        let items = checklist(&f);
        let refresh = item(&items, "aws.refresh-credentials");
        assert_eq!(refresh.stage, Stage::Fix);
        assert!(refresh
            .text
            .contains("The message says they expired at `2026-01-01T00:00:00Z`."));
        assert!(!ids(&items).contains(&"aws.check-signature"));
        assert!(!ids(&items).contains(&"general.do-not-rotate"));
        assert_eq!(
            summary(&f),
            "AWS could not authenticate the request (`ExpiredToken`): the credentials have expired"
        );
    }

    #[test]
    fn aws_opt_in_is_not_a_policy_problem() {
        let mut f = with_fact(
            finding(Provider::Aws, Gate::NotAuth),
            "region",
            "af-south-1",
        );
        f.error_code = Some("OptInRequired".to_owned());
        let items = checklist(&f);
        assert_eq!(ids(&items), vec!["aws.opt-in", "aws.verify-opt-in"]);
        assert!(item(&items, "aws.opt-in")
            .text
            .contains("(Region `af-south-1`)"));
        assert!(item(&items, "aws.opt-in")
            .text
            .contains("no policy change will fix it"));
    }

    // --- Google Cloud ---------------------------------------------------------------

    #[test]
    fn gcp_permission_denied_uses_the_troubleshooter() {
        let mut f = finding(Provider::Gcp, Gate::Authorization);
        f.error_code = Some("PERMISSION_DENIED".to_owned());
        f.http_status = Some(403);
        f.deny = Some(DenyKind::Implicit);
        f.policy_type = Some(PolicyType::GcpIamAllow);
        f.principal = Some("user:alice@example.com".to_owned());
        f.action = Some("resourcemanager.projects.get".to_owned());
        f.resource = Some("projects/my-project".to_owned());
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "gcp.active-account",
                "general.do-not-rotate",
                "gcp.troubleshoot-policy",
                "gcp.conditions",
                "gcp.grant-role",
                "gcp.propagation",
                "gcp.prevent",
            ]
        );
        // gcloud reference, `policy-intelligence troubleshoot-policy iam`.
        assert_eq!(
            command(&items, "gcp.troubleshoot-policy"),
            "gcloud policy-intelligence troubleshoot-policy iam //cloudresourcemanager.googleapis.com/projects/my-project --principal-email=alice@example.com --permission=resourcemanager.projects.get"
        );
        assert_eq!(
            summary(&f),
            "Google Cloud denied `resourcemanager.projects.get` on `projects/my-project` for `user:alice@example.com`: no IAM allow policy grants it a role with this permission"
        );
    }

    #[test]
    fn gcp_bucket_resource_needs_a_full_name() {
        let mut f = finding(Provider::Gcp, Gate::Authorization);
        f.principal = Some("sa@p.iam.gserviceaccount.com".to_owned());
        f.action = Some("storage.objects.get".to_owned());
        f.resource = Some("b/my-bucket/o/file".to_owned());
        let items = checklist(&f);
        assert_eq!(
            command(&items, "gcp.troubleshoot-policy"),
            "gcloud policy-intelligence troubleshoot-policy iam <full-resource-name> --principal-email=sa@p.iam.gserviceaccount.com --permission=storage.objects.get"
        );
        assert!(item(&items, "gcp.troubleshoot-policy")
            .text
            .contains("`b/my-bucket/o/file`"));
    }

    #[test]
    fn gcp_org_policy_and_vpc_sc_are_not_iam() {
        let mut f = with_fact(
            finding(Provider::Gcp, Gate::Authorization),
            "constraint",
            "constraints/compute.vmExternalIpAccess",
        );
        f.policy_type = Some(PolicyType::GcpOrgPolicy);
        f.resource = Some("projects/p1/zones/us-central1-a/instances/vm".to_owned());
        let items = checklist(&f);
        assert_eq!(
            command(&items, "gcp.org-policy"),
            "gcloud org-policies describe constraints/compute.vmExternalIpAccess --project=p1 --effective"
        );
        assert!(!ids(&items).contains(&"gcp.grant-role"));
        assert!(!ids(&items).contains(&"gcp.troubleshoot-policy"));
        assert_eq!(
            summary(&f),
            "Google Cloud denied a request on `projects/p1/zones/us-central1-a/instances/vm`: the organization policy constraint `constraints/compute.vmExternalIpAccess` forbids it"
        );

        let mut v = finding(Provider::Gcp, Gate::Authorization);
        v.policy_type = Some(PolicyType::GcpVpcServiceControls);
        let items = checklist(&v);
        assert!(ids(&items).contains(&"gcp.vpc-service-controls"));
        assert_eq!(command(&items, "gcp.vpc-service-controls"), "");
        assert!(!ids(&items).contains(&"gcp.grant-role"));
        assert!(codes(&caveats(&v)).contains(&"gcp.vpc-sc-details-in-logs"));
        assert!(item(&items, "gcp.propagation").text.contains("30 minutes"));
    }

    #[test]
    fn an_expired_presigned_url_gets_its_own_times_and_a_fresh_url() {
        // S3's body for an expired presigned URL (S3 User Guide, "Sharing
        // objects with presigned URLs"; the error carries `X-Amz-Expires`,
        // `Expires` and `ServerTime`).
        let report = crate::explain(
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>2024-06-04T09:00:00Z</Expires><ServerTime>2024-06-05T11:31:07Z</ServerTime><RequestId>R1</RequestId></Error>",
        );
        let f = report.findings.first().expect("one finding");
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(
            summary(f),
            "AWS could not authenticate the request (`AccessDenied`): the presigned URL has expired"
        );
        let fix = item(&f.checklist, "aws.presigned-url-expired");
        assert!(
            fix.text.contains("It was valid until `2024-06-04T09:00:00Z` and reached S3 at `2024-06-05T11:31:07Z` by S3's clock, 1 day 2 h after it expired. It was signed to last 3600 seconds"),
            "{}",
            fix.text
        );
        assert_eq!(
            command(&f.checklist, "aws.presigned-url-expired"),
            "aws s3 presign s3://<bucket>/<key> --expires-in 3600"
        );
        // The caller's credentials are not what failed.
        let got = ids(&f.checklist);
        for absent in [
            "aws.get-caller-identity",
            "aws.credential-source",
            "aws.check-signature",
            "aws.check-access-key",
            "aws.refresh-credentials",
        ] {
            assert!(!got.contains(&absent), "{absent} in {got:?}");
        }
        assert_stages_ordered(&f.checklist);

        // Without the times, the item still stands, without invented values.
        let bare = crate::explain(
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        );
        let f = bare.findings.first().expect("one finding");
        let fix = item(&f.checklist, "aws.presigned-url-expired");
        assert!(!fix.text.contains("valid until"), "{}", fix.text);
        assert_eq!(
            command(&f.checklist, "aws.presigned-url-expired"),
            "aws s3 presign s3://<bucket>/<key> --expires-in 3600"
        );
    }

    #[test]
    fn an_scp_named_by_arn_is_looked_up_by_its_id() {
        // The form of explicit-deny messages that name the SCP after a colon,
        // `... in a service control policy: arn:aws:organizations::<management
        // account>:policy/o-<org>/service_control_policy/p-<id>` (the ARN format
        // from AWS Organizations' resource types).
        let report = crate::explain(
            "User: arn:aws:iam::444455556666:user/dev is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::logs-archive\" with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-a1b2c3d4e5/service_control_policy/p-examp1e.",
        );
        let f = report.findings.first().expect("one finding");
        assert_eq!(f.policy_type, Some(PolicyType::Scp));
        assert_eq!(
            fact(f, "policyArn"),
            Some("arn:aws:organizations::111122223333:policy/o-a1b2c3d4e5/service_control_policy/p-examp1e")
        );
        assert_eq!(
            command(&f.checklist, "aws.check-scp"),
            "aws organizations describe-policy --policy-id p-examp1e --query Policy.Content --output text"
        );
        assert!(item(&f.checklist, "aws.check-scp")
            .text
            .contains("from the management account (account `111122223333`)"));

        // An ARN of another shape is shown but not turned into a command.
        let odd = crate::explain(
            "User: arn:aws:iam::444455556666:user/dev is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::logs-archive\" with an explicit deny in a service control policy: arn:aws:iam::aws:policy/Odd",
        );
        let f = odd.findings.first().expect("one finding");
        assert_eq!(fact(f, "policyArn"), Some("arn:aws:iam::aws:policy/Odd"));
        assert!(command(&f.checklist, "aws.check-scp")
            .starts_with("aws organizations list-policies-for-target --target-id 444455556666"));
    }

    #[test]
    fn validate_policy_gets_the_type_access_analyzer_expects() {
        // IAM Access Analyzer API reference, ValidatePolicy: IDENTITY_POLICY |
        // RESOURCE_POLICY | SERVICE_CONTROL_POLICY | RESOURCE_CONTROL_POLICY.
        for (t, expected) in [
            (PolicyType::Scp, "--policy-type SERVICE_CONTROL_POLICY "),
            (PolicyType::Rcp, "--policy-type RESOURCE_CONTROL_POLICY "),
            (PolicyType::Identity, "--policy-type IDENTITY_POLICY "),
            (PolicyType::Resource, "--policy-type RESOURCE_POLICY "),
            (
                PolicyType::Trust,
                "--policy-type RESOURCE_POLICY --validate-policy-resource-type AWS::IAM::AssumeRolePolicyDocument ",
            ),
        ] {
            let f = aws_authz(
                Some("arn:aws:iam::111122223333:user/a"),
                Some("s3:GetObject"),
                Some("arn:aws:s3:::b/k"),
                DenyKind::Explicit,
                Some(t),
            );
            let items = checklist(&f);
            let c = command(&items, "aws.validate-policy");
            assert!(c.contains(expected), "{t:?}: {c}");
        }
    }

    #[test]
    fn entra_sign_in_errors_get_their_own_remedy() {
        // Microsoft Entra 'authentication and authorization error codes'.
        let federated = crate::explain(
            "Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:example-org/api:ref:refs/heads/main'. Trace ID: 1",
        );
        let f = federated.findings.first().expect("one finding");
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(
            summary(f),
            "Azure could not authenticate the request (`AADSTS700213`): no federated credential of the app matches the token it was given"
        );
        let fix = item(&f.checklist, "azure.entra-federated-credential");
        assert!(
            fix.text.contains(
                "The token presented subject `repo:example-org/api:ref:refs/heads/main`."
            ),
            "{}",
            fix.text
        );
        assert_eq!(
            command(&f.checklist, "azure.entra-federated-credential"),
            "az ad app federated-credential list --id <app-id>"
        );
        assert!(!ids(&f.checklist).contains(&"azure.check-token"));
        assert!(!ids(&f.checklist).contains(&"azure.account-show"));
        assert!(fix
            .text
            .ends_with("fill in its application (client) id for `<app-id>`."));

        let secret = crate::explain(
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '3c4d5e6f-1111-2222-3333-444455556666'.",
        );
        let f = secret.findings.first().expect("one finding");
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(
            command(&f.checklist, "azure.entra-client-secret"),
            "az ad app credential list --id 3c4d5e6f-1111-2222-3333-444455556666"
        );

        let expired = crate::explain(
            "AADSTS7000222: The provided client secret keys for app '3c4d5e6f-1111-2222-3333-444455556666' are expired.",
        );
        let f = expired.findings.first().expect("one finding");
        assert_eq!(
            command(&f.checklist, "azure.entra-client-secret-expired"),
            "az ad app credential reset --id 3c4d5e6f-1111-2222-3333-444455556666 --append"
        );

        let inactive =
            crate::explain("ERROR: AADSTS700082: The refresh token has expired due to inactivity.");
        let f = inactive.findings.first().expect("one finding");
        assert_eq!(
            command(&f.checklist, "azure.entra-sign-in-again"),
            "az login"
        );
        assert_stages_ordered(&f.checklist);

        // A code without a specific remedy keeps the general items.
        let other = crate::explain("AADSTS90002: Tenant 'contoso.example' not found.");
        let f = other.findings.first().expect("one finding");
        assert!(!ids(&f.checklist)
            .iter()
            .any(|i| i.starts_with("azure.entra-")));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration_text(45_000), "45 s");
        assert_eq!(duration_text(9_151_000), "2 h 32 min");
        assert_eq!(duration_text(7_200_000), "2 h");
        assert_eq!(duration_text(60_000), "1 min");
        assert_eq!(duration_text(86_400_000), "1 day");
        assert_eq!(
            duration_text(3 * 86_400_000 + 4 * 3_600_000 + 59_000),
            "3 days 4 h"
        );
    }

    #[test]
    fn gcp_vpc_sc_identifier_from_the_message_reaches_the_log_query() {
        // The gcloud form from Google Cloud's "Retrieve VPC Service Controls
        // errors from audit logs": the identifier keys the audit log entry.
        let report = crate::explain(
            "ERROR: (gcloud.storage.ls) HTTPError 403: Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: 2RmZQ4xKv8",
        );
        let f = report.findings.first().expect("one finding");
        assert_eq!(f.policy_type, Some(PolicyType::GcpVpcServiceControls));
        assert_eq!(
            command(&f.checklist, "gcp.vpc-service-controls"),
            "gcloud logging read 'protoPayload.metadata.vpcServiceControlsUniqueId=\"2RmZQ4xKv8\"' --freshness=30d --limit=1 --format=json"
        );
        assert!(item(&f.checklist, "gcp.vpc-service-controls")
            .text
            .contains("`2RmZQ4xKv8`"));

        // An identifier that is not of Google's shape stays out of the command.
        let mut odd = with_fact(
            finding(Provider::Gcp, Gate::Authorization),
            "vpcServiceControlsUniqueIdentifier",
            "x'$(id)",
        );
        odd.policy_type = Some(PolicyType::GcpVpcServiceControls);
        assert_eq!(command(&checklist(&odd), "gcp.vpc-service-controls"), "");
        assert!(item(&checklist(&odd), "gcp.vpc-service-controls")
            .text
            .contains("`x'$(id)`"));
    }

    #[test]
    fn gcp_deny_policy_is_narrowed_not_granted() {
        let mut f = finding(Provider::Gcp, Gate::Authorization);
        f.deny = Some(DenyKind::Explicit);
        f.policy_type = Some(PolicyType::GcpIamDeny);
        let items = checklist(&f);
        let got = ids(&items);
        assert!(
            got.contains(&"gcp.deny-policy")
                && got.contains(&"gcp.narrow-deny")
                && !got.contains(&"gcp.grant-role"),
            "{got:?}"
        );
    }

    #[test]
    fn gcp_unauthenticated() {
        let mut f = finding(Provider::Gcp, Gate::Authentication);
        f.error_code = Some("UNAUTHENTICATED".to_owned());
        f.http_status = Some(401);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "gcp.active-account",
                "gcp.check-credentials",
                "general.check-clock",
                "gcp.verify-authentication",
                "gcp.prevent-authentication"
            ]
        );
        assert_eq!(
            summary(&f),
            "Google Cloud could not authenticate the request (`UNAUTHENTICATED`): the credentials were missing, invalid or expired"
        );
    }

    // --- Azure ------------------------------------------------------------------------

    fn azure_failed() -> Finding {
        let mut f = finding(Provider::Azure, Gate::Authorization);
        f.error_code = Some("AuthorizationFailed".to_owned());
        f.http_status = Some(403);
        f.deny = Some(DenyKind::Implicit);
        f.policy_type = Some(PolicyType::AzureRbac);
        f.principal = Some("11111111-2222-3333-4444-555555555555".to_owned());
        f.action = Some("Microsoft.Compute/virtualMachines/read".to_owned());
        f.resource = Some("/subscriptions/0000/resourceGroups/rg1".to_owned());
        let f = with_fact(f, "objectId", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        with_fact(f, "scope", "/subscriptions/0000/resourceGroups/rg1")
    }

    #[test]
    fn azure_authorization_failed_lists_and_assigns_roles() {
        let f = azure_failed();
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "azure.account-show",
                "general.do-not-rotate",
                "azure.role-assignment-list",
                "azure.assign-role",
                "azure.refresh-token",
                "azure.prevent"
            ]
        );
        assert_eq!(
            command(&items, "azure.role-assignment-list"),
            "az role assignment list --assignee aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee --scope /subscriptions/0000/resourceGroups/rg1 --include-inherited"
        );
        assert_eq!(
            command(&items, "azure.assign-role"),
            "az role assignment create --assignee aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee --role <role-name> --scope /subscriptions/0000/resourceGroups/rg1"
        );
        assert!(item(&items, "azure.refresh-token")
            .text
            .contains("a token issued before the change may not reflect it"));
        assert_eq!(
            summary(&f),
            "Azure denied `Microsoft.Compute/virtualMachines/read` on `/subscriptions/0000/resourceGroups/rg1` for `11111111-2222-3333-4444-555555555555`: no role assignment at this scope or a parent scope grants it"
        );
    }

    #[test]
    fn azure_deny_assignment_and_policy() {
        let mut f = azure_failed();
        f.policy_type = Some(PolicyType::AzureDenyAssignment);
        f.deny = Some(DenyKind::Explicit);
        let items = checklist(&f);
        assert!(item(&items, "azure.deny-assignment")
            .text
            .contains("cannot be created or removed directly"));
        assert!(!ids(&items).contains(&"azure.assign-role"));

        let mut p = azure_failed();
        p.error_code = Some("RequestDisallowedByPolicy".to_owned());
        p.policy_type = Some(PolicyType::AzurePolicy);
        let items = checklist(&p);
        assert_eq!(
            command(&items, "azure.policy"),
            "az policy assignment list --scope /subscriptions/0000/resourceGroups/rg1"
        );
        assert!(!ids(&items).contains(&"azure.role-assignment-list"));
        assert_eq!(
            summary(&p),
            "Azure denied `Microsoft.Compute/virtualMachines/read` on `/subscriptions/0000/resourceGroups/rg1` for `11111111-2222-3333-4444-555555555555`: an Azure Policy assignment disallows it"
        );
    }

    #[test]
    fn azure_storage_data_plane_needs_a_data_role() {
        let mut f = azure_failed();
        f.error_code = Some("AuthorizationPermissionMismatch".to_owned());
        assert!(ids(&checklist(&f)).contains(&"azure.data-plane-role"));
    }

    /// Azure Key Vault, 'Assign a Key Vault access policy': a vault on the access
    /// policy model is fixed with `az keyvault set-policy`, not a role assignment.
    #[test]
    fn azure_key_vault_access_policy_is_fixed_with_set_policy() {
        let mut f = finding(Provider::Azure, Gate::Authorization);
        f.error_code = Some("Forbidden".to_owned());
        f.action = Some("secrets get".to_owned());
        f.resource = Some("kv-prod-01".to_owned());
        f.facts.push(Fact {
            key: "permissionModel".to_owned(),
            value: "access policy".to_owned(),
            span: Span::new(0, 1),
        });
        f.facts.push(Fact {
            key: "objectId".to_owned(),
            value: "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".to_owned(),
            span: Span::new(0, 1),
        });
        let c = checklist(&f);
        let got = ids(&c);
        assert!(got.contains(&"azure.key-vault-set-policy"));
        assert!(!got.contains(&"azure.assign-role"));
        let fix = c
            .iter()
            .find(|i| i.id == "azure.key-vault-set-policy")
            .unwrap();
        assert_eq!(
            fix.command.as_deref(),
            Some("az keyvault set-policy --name kv-prod-01 --object-id 9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff --secret-permissions get")
        );
    }

    #[test]
    fn azure_invalid_token() {
        let mut f = finding(Provider::Azure, Gate::Authentication);
        f.error_code = Some("InvalidAuthenticationToken".to_owned());
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "azure.account-show",
                "azure.check-token",
                "general.check-clock",
                "azure.verify-authentication",
                "azure.prevent-authentication"
            ]
        );
        assert!(item(&items, "azure.check-token").text.contains("audience"));
    }

    // --- Kubernetes -------------------------------------------------------------------

    #[test]
    fn k8s_forbidden_service_account() {
        let mut f = finding(Provider::Kubernetes, Gate::Authorization);
        f.http_status = Some(403);
        f.deny = Some(DenyKind::Implicit);
        f.policy_type = Some(PolicyType::K8sRbac);
        f.principal = Some("system:serviceaccount:default:builder".to_owned());
        f.action = Some("list".to_owned());
        f.resource = Some("deployments".to_owned());
        let f = with_fact(
            with_fact(with_fact(f, "verb", "list"), "apiGroup", "apps"),
            "namespace",
            "prod",
        );
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "k8s.whoami",
                "general.do-not-rotate",
                "k8s.auth-can-i",
                "k8s.auth-can-i-list",
                "k8s.rbac-bindings",
                "k8s.create-role",
                "k8s.create-rolebinding",
                "k8s.verify",
                "k8s.prevent",
            ]
        );
        // kubectl reference: `kubectl auth can-i list deployments.apps`,
        // `--as=system:serviceaccount:dev:foo -n prod`.
        assert_eq!(
            command(&items, "k8s.auth-can-i"),
            "kubectl auth can-i list deployments.apps --as system:serviceaccount:default:builder -n prod"
        );
        assert_eq!(
            command(&items, "k8s.auth-can-i-list"),
            "kubectl auth can-i --list --as system:serviceaccount:default:builder -n prod"
        );
        assert_eq!(
            command(&items, "k8s.create-role"),
            "kubectl create role <role-name> --verb=list --resource=deployments.apps -n prod"
        );
        assert_eq!(
            command(&items, "k8s.create-rolebinding"),
            "kubectl create rolebinding <binding-name> --role=<role-name> --serviceaccount=default:builder -n prod"
        );
        assert_eq!(
            summary(&f),
            "Kubernetes denied `list` on `deployments` in namespace `prod` for `system:serviceaccount:default:builder`: no Role or ClusterRole bound to it allows this"
        );
    }

    #[test]
    fn k8s_forbidden_without_the_rbac_suffix_does_not_claim_rbac() {
        let report = crate::explain(
            "Error from server (Forbidden): pods is forbidden: User \"jane@example.com\" cannot list resource \"pods\" in API group \"\" in the namespace \"payments\"",
        );
        let f = report.findings.first().expect("one finding");
        assert_eq!(f.policy_type, None);
        assert_eq!(
            summary(f),
            "Kubernetes denied `list` on `pods` in namespace `payments` for `jane@example.com`: no authorizer allowed it (on a cluster that authorizes with RBAC, as most do: no Role or ClusterRole bound to it allows this)"
        );
    }

    #[test]
    fn k8s_cluster_scope_user() {
        let mut f = finding(Provider::Kubernetes, Gate::Authorization);
        f.principal = Some("jane".to_owned());
        f.action = Some("get".to_owned());
        f.resource = Some("nodes".to_owned());
        let items = checklist(&f);
        assert_eq!(
            command(&items, "k8s.auth-can-i"),
            "kubectl auth can-i get nodes --as jane"
        );
        assert_eq!(command(&items, "k8s.create-rolebinding"), "kubectl create clusterrolebinding <binding-name> --clusterrole=<role-name> --user=jane");
    }

    #[test]
    fn k8s_unauthorized() {
        let mut f = finding(Provider::Kubernetes, Gate::Authentication);
        f.http_status = Some(401);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "k8s.whoami",
                "k8s.check-credentials",
                "general.check-clock",
                "k8s.verify-authentication",
                "k8s.prevent-authentication"
            ]
        );
        assert_eq!(summary(&f), "Kubernetes could not authenticate the request (HTTP 401): the credentials were missing, invalid or expired");
    }

    // --- HTTP -------------------------------------------------------------------------

    #[test]
    fn http_401_reads_the_scheme() {
        let mut f = with_fact(
            finding(Provider::Http, Gate::Authentication),
            "wwwAuthenticate",
            "Bearer realm=\"api\"",
        );
        f.http_status = Some(401);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "http.www-authenticate",
                "general.check-clock",
                "http.verify-authentication"
            ]
        );
        assert!(item(&items, "http.www-authenticate")
            .text
            .contains("header (`Bearer realm=\"api\"`) asks for the `Bearer` scheme"));
        assert_eq!(
            summary(&f),
            "The server did not accept the request's credentials (HTTP 401); it asks for `Bearer` credentials"
        );
        let r = crate::render::report_summary(std::slice::from_ref(&f));
        assert!(
            r.starts_with("1 denial found: the server did not accept"),
            "{r}"
        );
    }

    #[test]
    fn http_403_warns_against_rotation() {
        let mut f = finding(Provider::Http, Gate::Authorization);
        f.http_status = Some(403);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec!["general.do-not-rotate", "http.forbidden", "http.verify"]
        );
        assert_eq!(summary(&f), "The server refused the request (HTTP 403): it understood the request but will not carry it out for this caller; any credentials sent do not grant access, or the server blocks this client");
    }

    #[test]
    fn http_425_is_replay_protection() {
        // RFC 8470, section 5.2.
        let mut f = finding(Provider::Http, Gate::Replay);
        f.http_status = Some(425);
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec![
                "http.too-early",
                "http.retry-after-handshake",
                "http.verify-replay"
            ]
        );
        assert!(item(&items, "http.retry-after-handshake")
            .text
            .contains("after the TLS handshake has completed"));
        assert!(!ids(&items).contains(&"general.do-not-rotate"));
        assert_eq!(
            summary(&f),
            "The server declined to process a request sent in TLS early data (HTTP 425 Too Early): this is replay protection, not an access problem"
        );
    }

    #[test]
    fn http_404_may_hide_403() {
        let mut f = finding(Provider::Http, Gate::Unknown);
        f.http_status = Some(404);
        let items = checklist(&f);
        assert_eq!(ids(&items), vec!["http.404-may-hide-403", "http.verify"]);
        assert_eq!(codes(&caveats(&f)), vec!["http.404-may-hide-403"]);
    }

    #[test]
    fn cors_is_fixed_by_the_server() {
        let mut f = finding(Provider::Http, Gate::NotAuth);
        f.error_code = Some("CORS".to_owned());
        let items = checklist(&f);
        assert_eq!(
            ids(&items),
            vec!["http.cors-inspect", "http.cors", "http.verify-cors"]
        );
        assert!(item(&items, "http.cors")
            .text
            .contains("`Access-Control-Allow-Origin`"));
        assert!(item(&items, "http.cors")
            .text
            .contains("Changing credentials or permissions will not help"));
        assert_eq!(codes(&caveats(&f)), vec!["http.cors-opaque"]);
        assert_eq!(
            summary(&f),
            "The browser blocked the response because the server did not allow this page's origin (CORS): this is neither an authentication nor an authorization failure"
        );
    }

    #[test]
    fn request_id_is_captured_first() {
        let f = with_fact(azure_failed(), "requestId", "abc-123");
        let items = checklist(&f);
        assert_eq!(ids(&items).first(), Some(&"general.keep-request-id"));
        assert!(item(&items, "general.keep-request-id")
            .text
            .contains("`abc-123`"));
    }

    #[test]
    fn every_combination_is_ordered_and_has_unique_ids() {
        let providers = [
            Provider::Aws,
            Provider::Gcp,
            Provider::Azure,
            Provider::Kubernetes,
            Provider::Http,
            Provider::Unknown,
        ];
        let gates = [
            Gate::Authentication,
            Gate::Authorization,
            Gate::Replay,
            Gate::NotAuth,
            Gate::Unknown,
        ];
        let denies = [
            None,
            Some(DenyKind::Explicit),
            Some(DenyKind::Implicit),
            Some(DenyKind::Unknown),
        ];
        let mut types: Vec<Option<PolicyType>> = vec![None];
        types.extend(crate::model::ALL_POLICY_TYPES.iter().copied().map(Some));
        for p in providers {
            for g in gates {
                for d in denies {
                    for t in &types {
                        let mut f = finding(p, g);
                        f.deny = d;
                        f.policy_type = *t;
                        let items = checklist(&f);
                        assert!(!items.is_empty(), "{p:?} {g:?} {d:?} {t:?}");
                        assert_stages_ordered(&items);
                        let mut seen = ids(&items);
                        seen.sort_unstable();
                        seen.dedup();
                        assert_eq!(seen.len(), items.len(), "duplicate ids");
                        let authn = g == Gate::Authentication;
                        assert_eq!(
                            ids(&items).contains(&"general.do-not-rotate"),
                            g == Gate::Authorization,
                            "{p:?} {g:?}: {:?}",
                            ids(&items)
                        );
                        if authn {
                            assert!(!ids(&items).iter().any(|i| i.contains("simulate")
                                || i.contains("add-allow")
                                || i.contains("role-assignment")));
                        }
                        assert!(!summary(&f).is_empty());
                        let _ = caveats(&f);
                    }
                }
            }
        }
    }
}
