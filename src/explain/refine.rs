//! What a finished finding's fields imply once they are read together, from the
//! catalogue: the AWS service (from the action, the SDK's service name, the
//! exception class or the endpoint), the action an operation name stands for,
//! and the status a code implies for that service.

use crate::catalogue::{aws_action_for, aws_operation, aws_service_prefix, lookup};
use crate::diag::Span;
use crate::model::{Finding, Gate, PolicyType, Provider};
use crate::scan::{find_ci_in, slice};

/// The status AWS services answer a refused (authorization) request with when
/// the text prints none and no code says otherwise. JSON-protocol services send
/// `AccessDeniedException` as 400 (the KMS, DynamoDB, Secrets Manager and
/// Systems Manager API references); S3, the query APIs (IAM, STS, EC2, SNS) and
/// API Gateway send 403 (Amazon S3 error responses, EC2 error codes, SNS common
/// errors, API Gateway "resource policy" documentation).
const AWS_REFUSAL_STATUS: &[(&str, u16)] = &[
    ("s3", 403),
    ("sts", 403),
    ("iam", 403),
    ("ec2", 403),
    ("sns", 403),
    ("execute-api", 403),
    ("lambda", 403),
    ("kms", 400),
    ("dynamodb", 400),
    ("secretsmanager", 400),
    ("ssm", 400),
];

/// Exception-class fragments that name an AWS service, as the SDKs write them.
const AWS_CLASS_HINTS: &[(&str, &str)] = &[
    ("AmazonS3Exception", "s3"),
    ("S3Exception", "s3"),
    ("S3ServiceException", "s3"),
    ("Aws::S3::", "s3"),
    ("Aws\\S3\\", "s3"),
    ("Amazon.S3", "s3"),
    ("services.s3.", "s3"),
    ("AWS::SES", "ses"),
    ("Aws::SES::", "ses"),
    ("AmazonDynamoDB", "dynamodb"),
    ("services.dynamodb.", "dynamodb"),
    ("AWSKMS", "kms"),
    ("services.kms.", "kms"),
    ("AmazonSQS", "sqs"),
    ("AmazonSNS", "sns"),
    ("AWSSecurityTokenService", "sts"),
    ("services.sts.", "sts"),
    ("AmazonIdentityManagement", "iam"),
    ("AmazonEC2", "ec2"),
    // boto3's transfer manager, and the CLI's `aws s3` URLs.
    ("S3UploadFailedError", "s3"),
    ("S3TransferFailedError", "s3"),
    (" to s3://", "s3"),
    ("failed: s3://", "s3"),
    // KMS's own wording for a key the caller may not use.
    ("customer master key", "kms"),
];

/// Whether the finding sits in a response body or an SDK exception: a JSON
/// object around it or an exception class before it.
fn in_response(text: &str, f: &Finding) -> bool {
    let before = text
        .get(crate::scan::floor_boundary(text, f.span.start.saturating_sub(256))..f.span.start)
        .unwrap_or("");
    let line = text
        .get(crate::scan::line_start(text, f.span.start)..f.span.start)
        .unwrap_or("");
    // STS's own message for a refused web-identity or SAML assumption.
    let sts = slice(text, f.span).starts_with("Not authorized to perform sts:");
    let json_value = line.contains("\": \"") || line.contains("\":\"");
    sts || json_value || before.contains('{') || line.contains("Exception")
}

/// Refines `f`, found in `text`, from what its fields say together. `carried`
/// says whether the text printed the status, which then always stands.
pub(super) fn refine(text: &str, f: &mut Finding, carried: bool) {
    match f.provider {
        Provider::Aws => refine_aws(text, f, carried),
        Provider::Kubernetes => refine_kubernetes(f, carried),
        // Azure Resource Manager, Key Vault, Storage and Microsoft Graph answer
        // an authorization failure with 403 Forbidden (ARM's AuthorizationFailed,
        // LinkedAuthorizationFailed, RequestDisallowedByPolicy and deny
        // assignments alike).
        // Not Entra's sign-in codes (`AADSTS...`): those come from the token
        // endpoint or the sign-in page, not from a resource provider.
        // Service Bus and Event Hubs refuse a missing claim over AMQP, where
        // there is no HTTP status at all.
        Provider::Azure
            if !carried
                && f.http_status.is_none()
                && f.gate == Gate::Authorization
                && !slice(text, f.span).contains("claim(s) are required")
                // Azure SQL and Azure Pipelines refuse outside HTTP.
                && !f.facts.iter().any(|x| x.key == "service")
                && !f
                    .error_code
                    .as_deref()
                    .is_some_and(|c| c.starts_with("AADSTS")) =>
        {
            f.http_status = Some(403);
        }
        // A bare status or phrase whose request went to a provider's API
        // endpoint (a debug log's `https://management.azure.com:443 "PUT ..."
        // 403`), or that a provider's own tool printed, is that provider's
        // refusal.
        // A database's refusal is the database's, whatever cloud host
        // (`*.rds.amazonaws.com`) its connection names.
        Provider::Http | Provider::Unknown
            if f.error_code.is_none() && !super::databases::applies(f) =>
        {
            // gcloud names its own command on the line of every error it
            // prints (`ERROR: (gcloud.auth.login) ...`), on the finding's line
            // or the one after it (a wrapper's stderr, then gcloud's own).
            let last = crate::scan::line_end(text, f.span.end.saturating_sub(1));
            let lines = Span::new(
                crate::scan::line_start(text, f.span.start),
                crate::scan::line_end(text, last + 1),
            );
            if slice(text, lines).contains("ERROR: (gcloud.") {
                f.provider = Provider::Gcp;
            } else if let Some(p) = endpoint_provider(around(text, f, 512, 512)) {
                f.provider = p;
            }
        }
        // gcloud names the command that failed, `(gcloud.compute.instances.create)`;
        // for the services whose permissions are named like their commands
        // (`compute.instances.create`), that is the permission it needed.
        Provider::Gcp if f.action.is_none() => {
            if let Some(a) = gcloud_permission(text, f) {
                f.action = Some(a);
            }
        }
        // Token-endpoint errors only: a resource server's `WWW-Authenticate`
        // error names its realm, which is not the provider of the API.
        Provider::Http
            if f.error_code.as_deref().is_some_and(|c| {
                matches!(
                    c,
                    "invalid_grant" | "invalid_client" | "unauthorized_client" | "invalid_target"
                )
            }) =>
        {
            // OAuth 2.0 token-endpoint errors are the same words at every
            // provider; the endpoint or the library says whose they are.
            let around = around(text, f, 512, 512);
            if [
                "googleapis.com",
                "accounts.google.com",
                "google.auth",
                "oauth2client",
                "workloadIdentityPools",
                "google-github-actions",
            ]
            .iter()
            .any(|h| around.contains(h))
            {
                f.provider = Provider::Gcp;
            } else if ["login.microsoftonline.com", "AADSTS"]
                .iter()
                .any(|h| around.contains(h))
            {
                f.provider = Provider::Azure;
            }
        }
        _ => {}
    }
}

/// The permission a gcloud command on the finding's first lines stands for,
/// for the services whose permission names follow the command's words
/// (Compute Engine, GKE, Pub/Sub, Cloud Run, Cloud Storage): `(gcloud.compute.
/// instances.create)` is `compute.instances.create`; `describe` reads as `get`.
fn gcloud_permission(text: &str, f: &Finding) -> Option<String> {
    const SERVICES: &[&str] = &["compute", "container", "pubsub", "run", "storage"];
    let ls = crate::scan::line_start(text, f.span.start);
    let head = text.get(ls.saturating_sub(300)..(f.span.start + 200).min(text.len()))?;
    let i = head.find("(gcloud.")?;
    let rest = head.get(i + 8..)?;
    let cmd = rest.get(..rest.find(')')?)?;
    let parts: Vec<&str> = cmd.split('.').collect();
    let [service, resource, verb] = parts.as_slice() else {
        return None;
    };
    if !SERVICES.contains(service)
        || !resource.bytes().all(|b| b.is_ascii_lowercase())
        || !matches!(
            *verb,
            "create" | "delete" | "update" | "list" | "describe" | "get" | "start" | "stop"
        )
    {
        return None;
    }
    let verb = if *verb == "describe" { "get" } else { verb };
    Some(format!("{service}.{resource}.{verb}"))
}

/// The provider whose API host appears in `around`, when exactly one does.
fn endpoint_provider(around: &str) -> Option<Provider> {
    const HOSTS: &[(&str, Provider)] = &[
        ("management.azure.com", Provider::Azure),
        ("graph.microsoft.com", Provider::Azure),
        (".vault.azure.net", Provider::Azure),
        (".core.windows.net", Provider::Azure),
        (".googleapis.com", Provider::Gcp),
        (".amazonaws.com", Provider::Aws),
        ("api.github.com", Provider::Github),
        // Amazon S3's `Server` response header (S3-compatible services send
        // their own: `MinIO`, `cloudflare`), and the EC2 API's SDK classes:
        // EC2 has no compatible clones.
        ("\"server\": \"AmazonS3\"", Provider::Aws),
        ("erver: AmazonS3", Provider::Aws),
        ("Amazon.EC2.", Provider::Aws),
        ("AmazonEC2Exception", Provider::Aws),
        // App Service and Functions hosts, and the Go SDK's error package.
        (".azurewebsites.net", Provider::Azure),
        ("autorest/azure", Provider::Azure),
    ];
    let mut found = HOSTS
        .iter()
        .filter(|(h, _)| around.contains(h))
        .map(|(_, p)| *p);
    let first = found.next()?;
    found.all(|p| p == first).then_some(first)
}

/// The user the API server gives a request that carried no credential it
/// accepted (Kubernetes, "Authenticating": anonymous requests).
const K8S_ANONYMOUS: &str = "system:anonymous";

fn refine_kubernetes(f: &mut Finding, carried: bool) {
    // A refusal of `system:anonymous` is an authorization decision about a
    // request no credential reached: the fix is to authenticate, not a role.
    if f.principal.as_deref() == Some(K8S_ANONYMOUS) && f.gate == Gate::Authorization {
        f.gate = Gate::Authentication;
    }
    // The API server sends `Forbidden` as 403 and `Unauthorized` as 401
    // (Kubernetes API concepts, Status kind). A credential plugin that failed
    // sent nothing, so no status was answered.
    let unsent = f.facts.iter().any(|x| x.key == "credentialPlugin");
    if !carried && !unsent && f.http_status.is_none() {
        f.http_status = match f.gate {
            Gate::Authorization => Some(403),
            Gate::Authentication if f.principal.as_deref() == Some(K8S_ANONYMOUS) => Some(403),
            Gate::Authentication => Some(401),
            _ => None,
        };
    }
}

fn refine_aws(text: &str, f: &mut Finding, carried: bool) {
    // `is not authorized to perform: null`: the service failed to name it.
    if f.action.as_deref() == Some("null") {
        f.action = None;
        f.evidence.retain(|e| e.field != "action");
    }
    let service = aws_service(text, f);
    // A Cognito user pool refusing a sign-in (`NotAuthorizedException:
    // Incorrect username or password.`) judged the end user's password, not an
    // IAM permission: the operation names no action that was refused.
    let user_pool_sign_in = f.gate == Gate::Authentication && service == Some("cognito-idp");
    if f.action.is_none() && !user_pool_sign_in {
        if let Some(op) = f.facts.iter().find(|x| x.key == "operation") {
            // An operation the table knows names its own service more surely
            // than a service named nearby: SSM's `GetParameter` refused with
            // KMS's `(Service: AWSKMS ...)` tail is still `ssm:GetParameter`.
            let svc = aws_operation(&op.value).map(|(s, _)| s).or(service);
            if let Some(svc) = svc {
                if op
                    .value
                    .bytes()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
                    && op.value.bytes().all(|c| c.is_ascii_alphanumeric())
                {
                    // Derived, not read: the `operation` fact holds the
                    // phrase, so the action gets no evidence span of its own.
                    f.action = Some(aws_action_for(svc, &op.value));
                }
            }
        }
    }
    // Terraform and SDK wrappers name the action they were calling:
    // `error calling sts:GetCallerIdentity: InvalidClientTokenId: ...`.
    if f.action.is_none() {
        let ls = crate::scan::line_start(text, f.span.start);
        let line = text
            .get(ls..crate::scan::line_end(text, f.span.start))
            .unwrap_or("");
        if let Some(i) = line.find("calling ") {
            let rest = line.get(i + 8..).unwrap_or("");
            let word: &str = rest
                .split(|c: char| c.is_whitespace() || c == ',')
                .next()
                .unwrap_or("")
                .trim_end_matches(':');
            if let Some((svc, op)) = word.split_once(':') {
                let ok = !svc.is_empty()
                    && svc.bytes().all(|c| c.is_ascii_lowercase() || c == b'-')
                    && op.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
                    && op.bytes().all(|c| c.is_ascii_alphanumeric());
                if ok {
                    f.action = Some(word.to_owned());
                }
            }
        }
    }
    if f.action.is_none() || f.principal.is_none() {
        cloudtrail_fields(text, f);
    }
    if f.resource.is_none() {
        if let Some(span) = transfer_object(text, f) {
            f.resource = Some(slice(text, span).to_owned());
            f.evidence.push(crate::model::Evidence {
                field: "resource".to_owned(),
                span,
            });
        }
    }
    let service = service.or_else(|| {
        f.action
            .as_deref()
            .and_then(|a| a.split_once(':'))
            .map(|(s, _)| s)
            .and_then(|s| {
                let s = s.to_ascii_lowercase();
                AWS_REFUSAL_STATUS
                    .iter()
                    .map(|(k, _)| *k)
                    .chain(crate::catalogue::ENTRIES.iter().map(|e| e.service))
                    .find(|k| *k == s)
            })
    });
    // KMS calls the key policy a resource-based policy in its messages (AWS KMS
    // Developer Guide, "Troubleshooting key access").
    if service == Some("kms") && f.policy_type == Some(PolicyType::Resource) {
        f.policy_type = Some(PolicyType::KmsKey);
    }
    if carried {
        return;
    }
    let implied = f
        .error_code
        .as_deref()
        .and_then(|code| lookup(code, service))
        .and_then(|e| e.status);
    let implied = match implied {
        Some(s) => Some(s),
        // A bare message (the IAM User Guide's examples, a CloudFormation event)
        // shows no response, so it implies no status; one inside a response
        // body or an SDK exception came back with the service's refusal status.
        None if f.gate == Gate::Authorization
            && (f.error_code.is_some() || in_response(text, f)) =>
        {
            service.and_then(|s| {
                AWS_REFUSAL_STATUS
                    .iter()
                    .find(|(k, _)| *k == s)
                    .map(|(_, st)| *st)
            })
        }
        None => f.http_status.filter(|_| f.error_code.is_none()),
    };
    f.http_status = implied;
}

/// The IAM prefix of the service the finding is about, when the text says it
/// (other than through the action, which the caller reads itself).
fn aws_service(text: &str, f: &Finding) -> Option<&'static str> {
    if let Some(s) = f.facts.iter().find(|x| x.key == "service") {
        let v = s.value.trim().trim_end_matches(':');
        if let Some(p) = aws_service_prefix(v) {
            return Some(p);
        }
    }
    // A CloudTrail event's source is the service's endpoint name, which is its
    // IAM prefix (`s3.amazonaws.com`).
    if let Some(src) = f.facts.iter().find(|x| x.key == "eventSource") {
        if let Some(first) = src.value.split('.').next() {
            if let Some(p) = aws_service_prefix(first) {
                return Some(p);
            }
        }
    }
    if let Some(r) = f.resource.as_deref() {
        if let Some(rest) = r
            .strip_prefix("arn:aws:")
            .or_else(|| r.strip_prefix("arn:aws-"))
        {
            let svc = rest.split(':').nth(usize::from(r.starts_with("arn:aws-")));
            if let Some(p) = svc.and_then(aws_service_prefix) {
                return Some(p);
            }
        }
    }
    let span = Span::new(
        f.span.start.saturating_sub(256),
        (f.span.end + 256).min(text.len()),
    );
    let window = slice(text, widen(text, span));
    for (hint, svc) in AWS_CLASS_HINTS {
        if window.contains(hint) {
            return Some(svc);
        }
    }
    // An endpoint: `https://sqs.eu-west-1.amazonaws.com/`.
    if let Some(at) = find_ci_in(window, ".amazonaws.com", 0, window.len()) {
        let head = window.get(..at).unwrap_or("");
        let host_start = head
            .rfind(|c: char| c == '/' || c.is_ascii_whitespace() || c == '`' || c == '"')
            .map_or(0, |i| i + 1);
        let host = head.get(host_start..).unwrap_or("");
        // `sqs.eu-west-1`, and S3's virtual-hosted style, where the bucket comes
        // first: `my-bucket.s3.ap-south-1`, `my-bucket.s3-us-west-2`.
        for label in host.split('.') {
            let label = if label.starts_with("s3-") {
                "s3"
            } else {
                label
            };
            if let Some(p) = aws_service_prefix(label) {
                return Some(p);
            }
        }
    }
    None
}

/// A CloudTrail record pasted as text that does not parse (cut short, or
/// wrapped by CloudWatch Logs), read field by field around the finding: the
/// action from `eventSource` and `eventName`, the caller from the
/// `userIdentity`'s `arn` (or `invokedBy` for a service), the bucket from
/// `requestParameters.bucketName` (CloudTrail User Guide, "CloudTrail record
/// contents").
fn cloudtrail_fields(text: &str, f: &mut Finding) {
    // Only a finding read from a record's `"errorCode": "..."` line: a cheap
    // test that keeps a flood of other findings from each searching the text
    // around it.
    let near = slice(
        text,
        widen(
            text,
            Span::new(
                f.span.start.saturating_sub(64),
                (f.span.start + 64).min(text.len()),
            ),
        ),
    );
    if !near.contains("\"errorCode\"") {
        return;
    }
    let from = crate::scan::floor_boundary(text, f.span.start.saturating_sub(4096));
    let to = crate::scan::ceil_boundary(text, (f.span.end + 1024).min(text.len()));
    let window = text.get(from..to).unwrap_or("");
    // The record the finding is in: its `eventName` is the last one before the
    // finding's end.
    let here = f.span.end.saturating_sub(from).min(window.len());
    // The last `key` between `after` and `before`, or the first with `first`.
    let find = |key: &str, after: usize, before: usize, first: bool| -> Option<Span> {
        let head = window.get(after..before)?;
        let i = if first {
            head.find(key)?
        } else {
            head.rfind(key)?
        };
        let vs = after + i + key.len();
        let rest = window.get(vs..)?;
        let ve = vs + rest.find('"')?;
        (ve > vs && ve - vs < 300).then(|| Span::new(from + vs, from + ve))
    };
    let value = |key: &str, after: usize, before: usize| find(key, after, before, false);
    let Some(name) = value("\"eventName\": \"", 0, here) else {
        return;
    };
    let record_start = window
        .get(..here)
        .and_then(|h| h.rfind("\"eventVersion\""))
        .unwrap_or(0);
    let mut evidence = Vec::new();
    if f.action.is_none() {
        let source = value("\"eventSource\": \"", record_start, here).and_then(|s| {
            slice(text, s)
                .split('.')
                .next()
                .and_then(aws_service_prefix)
        });
        let op = slice(text, name);
        if let Some(svc) = source {
            if op.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
                && op.bytes().all(|c| c.is_ascii_alphanumeric())
            {
                f.action = Some(aws_action_for(svc, op));
                evidence.push(("action", name));
            }
        }
    }
    if f.principal.is_none() {
        if let Some(ui) = window
            .get(record_start..here)
            .and_then(|h| h.find("\"userIdentity\""))
        {
            let ui = record_start + ui;
            // The identity's own `arn` comes first; a session's issuer (the
            // role) follows inside `sessionContext`.
            let caller = find("\"arn\": \"", ui, here, true)
                .filter(|s| slice(text, *s).starts_with("arn:"))
                .or_else(|| find("\"invokedBy\": \"", ui, here, true));
            if let Some(c) = caller {
                f.principal = Some(slice(text, c).to_owned());
                evidence.push(("principal", c));
            }
        }
    }
    if f.resource.is_none() {
        if let Some(b) = value("\"bucketName\": \"", record_start, window.len()) {
            f.resource = Some(slice(text, b).to_owned());
            evidence.push(("resource", b));
        }
    }
    for (field, span) in evidence {
        f.evidence.push(crate::model::Evidence {
            field: field.to_owned(),
            span,
        });
    }
}

/// The S3 object a failed transfer names on the finding's line, which the
/// error itself leaves out: `aws s3 cp` prints `upload failed: ./x to
/// s3://bucket/key` and `download failed: s3://bucket/key to ./x`, boto3's
/// transfer manager `Failed to upload x to bucket/key:`. The object is the
/// destination of an upload and the source of a download.
fn transfer_object(text: &str, f: &Finding) -> Option<Span> {
    let ls = crate::scan::line_start(text, f.span.start);
    let le = crate::scan::line_end(text, f.span.start);
    let line = text.get(ls..le)?;
    for (lead, upload) in [
        ("upload failed: ", true),
        ("download failed: ", false),
        ("copy failed: ", true),
        ("Failed to upload ", true),
        ("Failed to download ", false),
    ] {
        let Some(i) = line.find(lead) else {
            continue;
        };
        let from = i + lead.len();
        let rest = line.get(from..)?;
        let to = rest.find(" to ")?;
        let (src_start, src_end) = (from, from + to);
        let dst_start = src_end + 4;
        let dst_len = line
            .get(dst_start..)?
            .find(|c: char| c.is_whitespace())
            .unwrap_or(line.len() - dst_start);
        let mut dst_end = dst_start + dst_len;
        // `... to bucket/key: An error occurred`: the colon ends the path.
        if line.get(dst_end.saturating_sub(1)..dst_end) == Some(":") {
            dst_end -= 1;
        }
        let (a, b) = if upload {
            (dst_start, dst_end)
        } else {
            (src_start, src_end)
        };
        if b > a {
            return Some(Span::new(ls + a, ls + b));
        }
    }
    None
}

/// The text from `before` bytes ahead of the finding to `after` bytes past it.
fn around<'t>(text: &'t str, f: &Finding, before: usize, after: usize) -> &'t str {
    slice(
        text,
        widen(
            text,
            Span::new(
                f.span.start.saturating_sub(before),
                (f.span.end + after).min(text.len()),
            ),
        ),
    )
}

/// `span` moved onto character boundaries of `text`.
fn widen(text: &str, span: Span) -> Span {
    Span::new(
        crate::scan::floor_boundary(text, span.start),
        crate::scan::ceil_boundary(text, span.end),
    )
}
