//! AWS: the `User: ... is not authorized to perform: ...` message in all its
//! policy-type variants (AWS IAM User Guide, "Troubleshoot access denied error
//! messages"), CLI and SDK wrappers, XML error bodies, encoded authorization
//! failure messages and the bare S3 `Access Denied`.

use super::{code_info, Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{DenyKind, Gate, PolicyType, Provider};
use crate::scan::{
    at, at_phrase, byte, find_all, find_in, is_word, line_end, line_start, line_start_within,
    next_line, quoted, skip_blank, skip_ws, slice, status_at, token, trim_trailing, value,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    detail(text, hits);
    cli(text, hits);
    old_cli(text, hits);
    php(text, hits);
    java(text, hits);
    go(text, hits);
    code_colon(text, hits);
    encoded(text, hits);
    bare_access_denied(text, hits);
    api_gateway(text, hits);
    xml(text, hits);
    s3_chain(text, hits);
    ruby_and_dotnet(text, hits);
    resource_denied(text, hits);
    decoded_text(text, hits);
    role_cannot_be_assumed(text, hits);
    console(text, hits);
    credential_messages(text, hits);
    ami_launch_permission(text, hits);
    cdk_cannot_assume(text, hits);
    cfn_api_access_denied(text, hits);
    sdk_call_log(text, hits);
    service_cannot_assume(text, hits);
    model_access(text, hits);
    kotlin_sdk(text, hits);
    soto_status(text, hits);
    code_message_pairs(text, hits);
    hadoop_s3a(text, hits);
    lake_formation(text, hits);
    state_backends(text, hits);
    appsync_permission(text, hits);
}

/// AppSync sends `UnauthorizedException` both for a credential it cannot use
/// and for a field or operation the caller's authorization mode or the
/// schema's rules do not allow; the message tells which: `Permission denied`
/// and `Not Authorized to access F on type T` are authorization (AppSync
/// Developer Guide, "Configuring authorization and authentication").
fn appsync_permission(text: &str, hits: &mut Vec<Hit>) {
    // `Not Authorized to access syncReviews on type ModelReviewConnection`:
    // AppSync's own sentence, the field the resource.
    const FIELD: &str = "Not Authorized to access ";
    for pos in find_all(text, FIELD) {
        let field = token(text, pos + FIELD.len());
        if field.is_empty() || !at(text, field.end, " on type ") {
            continue;
        }
        let phrase = Span::new(pos, field.end + " on type".len());
        let mut h = Hit::new(
            Span::new(pos, line_end(text, pos)),
            Provider::Aws,
            P_GENERIC,
        );
        h.provider = Some((Provider::Aws, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_STRONG));
        h.fact_value("service", "AWS AppSync".to_owned(), phrase);
        Hit::set_str(&mut h.resource, text, field, P_DETAIL);
        hits.push(h);
    }
    for pos in find_all(text, "UnauthorizedException") {
        let to = crate::scan::ceil_boundary(text, (pos + 200).min(text.len()));
        for phrase_text in ["Permission denied", "Not Authorized to access "] {
            let Some(m) = find_in(text, phrase_text, pos, to) else {
                continue;
            };
            // The message of this error, not of a later one.
            if text
                .get(pos..m)
                .is_some_and(|b| b.contains("errorType") || b.matches("Exception").count() > 1)
            {
                continue;
            }
            let phrase = Span::new(m, m + phrase_text.len());
            let mut h = Hit::new(Span::new(pos, line_end(text, m)), Provider::Aws, P_GENERIC);
            h.provider = Some((Provider::Aws, Some(Span::new(pos, pos + 21)), P_DETAIL));
            h.gate = Some((Gate::Authorization, Some(phrase), P_STRONG));
            h.http_status = Some(((401, false), Some(phrase), P_DETAIL));
            h.fact_value("service", "AWS AppSync".to_owned(), phrase);
            hits.push(h);
            break;
        }
    }
}

/// Infrastructure tools' state in S3 name what they were doing when S3
/// refused: Terraform's S3 backend (`Error saving state: failed to upload
/// state: AccessDenied`, `Unable to access object "terraform.tfstate" in S3
/// bucket "B"`) and Pulumi's blob storage (`blob (key ".pulumi/...")
/// (code=Unknown): AccessDenied`). They only add the action or the object to
/// S3's own refusal on the same line; alone they are not a denial.
fn state_backends(text: &str, hits: &mut Vec<Hit>) {
    // (lead, the S3 permission the step needs, the quoted value after the lead is the object)
    const LEADS: [(&str, Option<&str>, bool); 4] = [
        ("failed to upload state: ", Some("s3:PutObject"), false),
        ("Unable to access object ", None, true),
        ("blob (key ", None, true),
        ("Error loading state: ", None, false),
    ];
    for (lead, action, object) in LEADS {
        for pos in find_all(text, lead) {
            let le = line_end(text, pos);
            let end = pos + lead.len();
            // S3's refusal on the same line (`AccessDenied`, a 403).
            if find_in(text, "AccessDenied", end, le).is_none()
                && find_in(text, "StatusCode: 403", end, le).is_none()
            {
                continue;
            }
            let mut h = Hit::new(Span::new(pos, le), Provider::Aws, P_GENERIC);
            h.support = true;
            if let Some(a) = action {
                h.action = Some((a.to_owned(), Some(Span::new(pos, end - 2)), P_DETAIL));
            }
            if object {
                if let Some(v) = value(text, end) {
                    Hit::set_str(&mut h.resource, text, v, P_DETAIL);
                }
            }
            hits.push(h);
        }
    }
}

/// Hadoop's S3A connector turns S3's refusal into
/// `java.nio.file.AccessDeniedException: PATH: OPERATION on PATH: <the SDK's
/// exception>` (`S3AUtils.translateException`): the path (`s3a://bucket/key`,
/// or the bucket alone) is the resource, and an operation named as S3's
/// (`getBucketLocation()`) the action; S3A's own (`getFileStatus`) is left
/// alone, since several S3 calls stand behind it. Only supports the SDK's
/// refusal it wraps.
fn hadoop_s3a(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "AccessDeniedException: ";
    for pos in find_all(text, ANCHOR) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        if find_in(text, "S3Exception", pos, le).is_none() {
            continue;
        }
        let ps = pos + ANCHOR.len();
        let path = trim_trailing(text, token(text, ps), b":");
        let p = slice(text, path);
        if p.is_empty() || !at(text, path.end, ": ") {
            continue;
        }
        // `OPERATION on PATH:` next, naming the same path.
        let op = token(text, path.end + 2);
        let on = op.end;
        if !at(text, on, " on ") || !at(text, on + 4, p) || !at(text, on + 4 + p.len(), ":") {
            continue;
        }
        let mut h = Hit::new(Span::new(ls, le), Provider::Aws, P_GENERIC);
        h.provider = None;
        h.support = true;
        Hit::set_str(&mut h.resource, text, path, P_DETAIL);
        let name = slice(text, op).trim_end_matches("()");
        let mut chars = name.chars();
        if let Some(first) = chars.next() {
            let operation = format!("{}{}", first.to_ascii_uppercase(), chars.as_str());
            if let Some(("s3", action)) = crate::catalogue::aws_operation(&operation) {
                h.action = Some((format!("s3:{action}"), Some(op), P_DETAIL));
            }
        }
        hits.push(h);
    }
}

/// Lake Formation's refusal as Glue and Athena return it, inside their
/// `AccessDeniedException`: `Insufficient Lake Formation permission(s) on
/// NAME` names the database or table refused (Lake Formation Developer
/// Guide, "Troubleshooting"). Only supports the code's finding.
fn lake_formation(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Insufficient Lake Formation permission(s) on ";
    for pos in find_all(text, ANCHOR) {
        let r = trim_trailing(text, token(text, pos + ANCHOR.len()), b".,;:");
        if r.is_empty() {
            continue;
        }
        let mut h = Hit::new(Span::new(pos, r.end), Provider::Aws, P_GENERIC);
        h.support = true;
        Hit::set_str(&mut h.resource, text, r, P_DETAIL);
        hits.push(h);
    }
}

/// The service principals of the services that name themselves when they
/// cannot assume a role they were given (`... cannot be assumed by Lambda.`).
const SERVICE_PRINCIPALS: &[(&str, &str)] = &[("Lambda", "lambda.amazonaws.com")];

/// A service that could not assume the role it was handed, which is what a
/// role's trust policy decides: Lambda's `InvalidParameterValueException`
/// (HTTP 400, Lambda API reference, "CreateFunction") `The role defined for
/// the function cannot be assumed by Lambda.`, and Step Functions' `Neither
/// the global service principal states.amazonaws.com, nor the regional one is
/// authorized to assume the provided role.` The trust policy does not name the
/// service as a principal (or the role is too new to be seen yet, IAM being
/// eventually consistent).
fn service_cannot_assume(text: &str, hits: &mut Vec<Hit>) {
    const BY: &str = "cannot be assumed by ";
    for pos in find_all(text, BY) {
        let name = trim_trailing(text, token(text, pos + BY.len()), b".,;\\\"'");
        let Some(&(_, principal)) = SERVICE_PRINCIPALS
            .iter()
            .find(|(n, _)| *n == slice(text, name))
        else {
            continue;
        };
        let ls = line_start(text, pos);
        let phrase = Span::new(pos, name.end);
        let mut h = Hit::new(Span::new(ls, line_end(text, pos)), Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(name), P_DETAIL));
        // The sentence decides over what its generic code implies.
        h.gate = Some((Gate::Authorization, Some(phrase), P_STRONG));
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::Trust, Some(phrase), P_DETAIL));
        h.fact_value("servicePrincipal", principal.to_owned(), name);
        // Lambda sends the message as `InvalidParameterValueException`, a 400.
        const CODE: &str = "InvalidParameterValueException";
        let back = crate::scan::floor_boundary(text, pos.saturating_sub(512));
        if let Some(c) = find_in(text, CODE, back, pos) {
            let cs = Span::new(c, c + CODE.len());
            h.error_code = Some((CODE.to_owned(), Some(cs), P_CODE));
            h.http_status = Some(((400, false), Some(cs), P_CODE));
            h.span.start = h.span.start.min(line_start(text, c));
            // The CLI's `when calling the CreateFunction operation`.
            const OP: &str = "when calling the ";
            if let Some(o) = find_in(text, OP, c, pos) {
                let op = token(text, o + OP.len());
                if at(text, op.end, " operation") {
                    h.fact("operation", text, op);
                }
            }
        }
        hits.push(h);
    }
    const ASSUME: &str = "authorized to assume the provided role";
    const SP: &str = "service principal ";
    for pos in find_all(text, ASSUME) {
        let ls = line_start(text, pos);
        let Some(s) = find_in(text, SP, ls, pos) else {
            continue;
        };
        let who = trim_trailing(text, token(text, s + SP.len()), b",.");
        if !slice(text, who).ends_with(".amazonaws.com") {
            continue;
        }
        let phrase = Span::new(pos, pos + ASSUME.len());
        let mut h = Hit::new(Span::new(ls, line_end(text, pos)), Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(who), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        h.policy_type = Some((PolicyType::Trust, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.principal, text, who, P_DETAIL);
        h.action = Some(("sts:AssumeRole".to_owned(), None, P_GENERIC));
        h.fact("servicePrincipal", text, who);
        hits.push(h);
    }
}

/// Services' own sentences for a refusal that names neither code nor
/// action, with the action each stands for and the status it comes with:
/// Amazon Bedrock's `AccessDeniedException` (HTTP 403) when the account has not
/// been granted access to the model (Bedrock User Guide, "Access Amazon
/// Bedrock foundation models").
const REFUSAL_SENTENCES: &[(&str, &str, u16, &str)] = &[(
    "You don't have access to the model with the specified model ID",
    "bedrock:InvokeModel",
    403,
    "modelAccess",
)];

fn model_access(text: &str, hits: &mut Vec<Hit>) {
    for &(sentence, action, status, fact) in REFUSAL_SENTENCES {
        for pos in find_all(text, sentence) {
            let phrase = Span::new(pos, pos + sentence.len());
            let mut h = Hit::new(phrase, Provider::Aws, P_DETAIL);
            h.provider = Some((Provider::Aws, Some(phrase), P_DETAIL));
            h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
            h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
            h.action = Some((action.to_owned(), None, P_GENERIC));
            // A client that prints the status just before: `API Error: 403 You ...`.
            let st = pos.wrapping_sub(4);
            match status_at(text, st).filter(|_| byte(text, pos.wrapping_sub(1)) == b' ') {
                Some(s) if !is_word(byte(text, st.wrapping_sub(1))) => {
                    h.status(s, Span::new(st, st + 3));
                    h.span.start = st;
                }
                _ => h.http_status = Some(((status, false), Some(phrase), P_DETAIL)),
            }
            h.fact(fact, text, phrase);
            hits.push(h);
        }
    }
}

/// The AWS SDK for Kotlin: `HttpResponse(status=403: Forbidden, headers=...)`
/// in its debug output, with the body on the next line (the response is one
/// error: the body's message and the headers' error type are read together),
/// and `<Service>Exception: Service returned error code 403: Forbidden` for an
/// error it has no model for, where the stack names the operation in its
/// deserializer (`HeadObjectOperationDeserializer`).
fn kotlin_sdk(text: &str, hits: &mut Vec<Hit>) {
    const RESPONSE: &str = "HttpResponse(status=";
    for pos in find_all(text, RESPONSE) {
        let st = pos + RESPONSE.len();
        let Some(status) = status_at(text, st).filter(|s| (400..500).contains(s)) else {
            continue;
        };
        let le = line_end(text, pos);
        if find_in(text, "x-amzn-", pos, le).is_none() {
            continue;
        }
        let mut h = Hit::new(
            Span::new(line_start(text, pos), le),
            Provider::Aws,
            P_GENERIC,
        );
        h.support = true;
        h.status(status, Span::new(st, st + 3));
        if let Some(n) = next_line(text, le).filter(|&n| byte(text, skip_blank(text, n)) == b'{') {
            h.span.end = line_end(text, n);
        }
        hits.push(h);
    }
    const RETURNED: &str = "Service returned error code ";
    for pos in find_all(text, RETURNED) {
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let Some(k) = find_in(text, "aws.sdk.kotlin.services.", ls, pos) else {
            continue;
        };
        let st = pos + RETURNED.len();
        let Some(status) = status_at(text, st) else {
            continue;
        };
        let gate = match status {
            401 => Gate::Authentication,
            403 => Gate::Authorization,
            _ => continue,
        };
        let ss = Span::new(st, st + 3);
        let mut h = Hit::new(Span::new(ls, le), Provider::Aws, P_CODE);
        h.provider = Some((Provider::Aws, Some(Span::new(k, k + 14)), P_CODE));
        h.status(status, ss);
        h.gate = Some((gate, Some(ss), P_GENERIC));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Unknown, Some(ss), P_GENERIC));
        }
        // The operation, from the first deserializer the stack names.
        const DESER: &str = "OperationDeserializer";
        let reach = crate::scan::floor_boundary(text, (le + 2048).min(text.len()));
        if let Some(d) = find_in(text, DESER, le, reach) {
            let mut s = d;
            while s > le && byte(text, s - 1).is_ascii_alphanumeric() {
                s -= 1;
            }
            if s < d && byte(text, s).is_ascii_uppercase() {
                h.fact("operation", text, Span::new(s, d));
            }
        }
        hits.push(h);
    }
}

/// Soto, the Swift AWS SDK, prints the response status as `Status Code:
/// http_status_403`: the status of the error around it.
fn soto_status(text: &str, hits: &mut Vec<Hit>) {
    const LEAD: &str = "Status Code: http_status_";
    for pos in find_all(text, LEAD) {
        let st = pos + LEAD.len();
        let Some(status) = status_at(text, st) else {
            continue;
        };
        let mut h = Hit {
            span: Span::new(line_start(text, pos), line_end(text, pos)),
            support: true,
            ..Hit::default()
        };
        h.status(status, Span::new(st, st + 3));
        hits.push(h);
    }
}

/// `Status: 400. Code: Throttling, Message: Rate exceeded`: an AWS code and
/// message as some deployment tools print them (the Elastic Beanstalk deploy
/// action), with the status before them.
fn code_message_pairs(text: &str, hits: &mut Vec<Hit>) {
    const CODE: &str = "Code: ";
    for pos in find_all(text, CODE) {
        if is_word(byte(text, pos.wrapping_sub(1))) {
            continue;
        }
        let code = token(text, pos + CODE.len());
        let code = trim_trailing(text, code, b",");
        if !at(text, code.end, ", Message: ")
            || !code_info(slice(text, code)).is_some_and(|i| i.provider == Provider::Aws)
        {
            continue;
        }
        let ls = line_start(text, pos);
        let le = line_end(text, pos);
        let mut h = Hit::new(Span::new(ls, le), Provider::Aws, P_CODE);
        h.code(text, code, P_CODE);
        const STATUS: &str = "Status: ";
        if let Some(s) = find_in(text, STATUS, ls, pos) {
            let v = s + STATUS.len();
            if let Some(st) = status_at(text, v) {
                h.status(st, Span::new(v, v + 3));
            }
        }
        hits.push(h);
    }
}

/// The AWS CDK's warning when it cannot use its bootstrap roles: `current
/// credentials could not be used to assume '<role-arn>', but are for the right
/// account. Proceeding anyway.` STS refused the assumption: the role's trust
/// policy or the caller's own permissions (CDK Developer Guide,
/// "Troubleshooting", bootstrapping).
fn cdk_cannot_assume(text: &str, hits: &mut Vec<Hit>) {
    const LEAD: &str = "could not be used to assume '";
    for pos in find_all(text, LEAD) {
        let rs = pos + LEAD.len();
        let Some(re) = find_in(text, "'", rs, (rs + 300).min(line_end(text, rs))) else {
            continue;
        };
        let role = Span::new(rs, re);
        if !slice(text, role).starts_with("arn:") {
            continue;
        }
        let start = line_start(text, pos);
        let phrase = Span::new(pos, rs - 2);
        let mut h = Hit::new(
            Span::new(start, line_end(text, pos)),
            Provider::Aws,
            P_DETAIL,
        );
        h.provider = Some((Provider::Aws, Some(role), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC));
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        h.action = Some(("sts:AssumeRole".to_owned(), None, P_GENERIC));
        Hit::set_str(&mut h.resource, text, role, P_DETAIL);
        h.confidence = Some(crate::model::Confidence::Likely);
        hits.push(h);
    }
}

/// A CloudFormation stack event that names the call and S3's message:
/// `API: s3:PutBucketPolicy Access Denied`.
fn cfn_api_access_denied(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "API:") {
        let Some(a) = bare_action(text, pos + 4) else {
            continue;
        };
        let m = skip_blank(text, a.end);
        if !at(text, m, "Access Denied") {
            continue;
        }
        let phrase = Span::new(m, m + "Access Denied".len());
        let mut h = Hit::new(Span::new(pos, phrase.end), Provider::Aws, P_DETAIL);
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_GENERIC));
        Hit::set_str(&mut h.action, text, a, P_DETAIL);
        hits.push(h);
    }
}

/// SDK call logs that name the operation in the SDK's own spelling with its
/// parameters: the JavaScript SDK v2 as the AWS CDK prints it (`Call failed:
/// getBucketLocation({"Bucket":"..."}) => Access Denied (code=AccessDenied)`)
/// and the Ruby SDK's log formatter (`[Aws::STS::Client 403 0.29 0 retries]
/// assume_role(role_arn:"...",...) Aws::STS::Errors::AccessDenied ...`).
/// The operation becomes a fact (the action follows from it and the service),
/// the named resource parameter the resource.
fn sdk_call_log(text: &str, hits: &mut Vec<Hit>) {
    // Parameters that name the resource, in either SDK's spelling.
    const PARAMS: &[&str] = &[
        "\"Bucket\":\"",
        "\"RoleArn\":\"",
        "\"QueueUrl\":\"",
        "\"FunctionName\":\"",
        "\"TableName\":\"",
        "\"SecretId\":\"",
        "role_arn:\"",
        "bucket:\"",
        "queue_url:\"",
        "function_name:\"",
        "table_name:\"",
        "secret_id:\"",
    ];
    let mut calls: Vec<(usize, Span, Option<&'static str>)> = Vec::new();
    for pos in find_all(text, "Call failed: ") {
        let os = pos + "Call failed: ".len();
        let oe = os
            + text.get(os..).map_or(0, |r| {
                r.bytes().take_while(u8::is_ascii_alphanumeric).count()
            });
        if oe > os && byte(text, oe) == b'(' && byte(text, os).is_ascii_lowercase() {
            calls.push((pos, Span::new(os, oe), None));
        }
    }
    for pos in find_all(text, "[Aws::") {
        let le = line_end(text, pos);
        let Some(close) = find_in(text, "] ", pos, (pos + 120).min(le)) else {
            continue;
        };
        let head = slice(text, Span::new(pos + 6, close));
        let Some((svc, rest)) = head.split_once("::Client ") else {
            continue;
        };
        if !rest.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let os = close + 2;
        let oe = os
            + text.get(os..).map_or(0, |r| {
                r.bytes()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
                    .count()
            });
        if oe > os && byte(text, oe) == b'(' {
            let svc = crate::catalogue::aws_service_prefix(svc);
            calls.push((pos, Span::new(os, oe), svc));
        }
    }
    for (pos, op, svc) in calls {
        let le = line_end(text, pos);
        // `getBucketLocation` and `assume_role` in the API's spelling.
        let mut name = String::new();
        let mut upper = true;
        for c in slice(text, op).chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                name.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                name.push(c);
            }
        }
        let mut h = Hit::new(Span::new(pos, le), Provider::Aws, P_GENERIC);
        h.support = true;
        h.fact_value("operation", name, op);
        if let Some(svc) = svc {
            h.fact_value("service", svc.to_owned(), op);
        }
        for p in PARAMS {
            if let Some(at_p) = find_in(text, p, op.end, le) {
                let vs = at_p + p.len();
                if let Some(ve) = find_in(text, "\"", vs, le) {
                    if ve > vs {
                        Hit::set_str(&mut h.resource, text, Span::new(vs, ve), P_GENERIC);
                    }
                }
                break;
            }
        }
        hits.push(h);
    }
}

/// EC2's `AuthFailure: Not authorized for images: [ami-...]`: despite the code,
/// the credentials were accepted; the account may not launch the AMI, which is
/// private or not shared with it (EC2 User Guide, "Share an AMI with specific
/// AWS accounts"). An authorization refusal by the AMI's launch permissions.
fn ami_launch_permission(text: &str, hits: &mut Vec<Hit>) {
    const P: &str = "Not authorized for images: ";
    for pos in find_all(text, P) {
        let phrase = Span::new(pos, pos + P.len() - 2);
        let r = skip_ws(text, pos + P.len());
        let ids = Span::new(
            r + usize::from(byte(text, r) == b'['),
            find_in(text, "]", r, line_end(text, r)).unwrap_or_else(|| token(text, r).end),
        );
        let mut h = Hit::new(Span::new(pos, line_end(text, pos)), Provider::Aws, P_DETAIL);
        h.gate = Some((Gate::Authorization, Some(phrase), P_STRONG));
        h.deny = Some((DenyKind::Unknown, Some(phrase), P_DETAIL));
        if slice(text, ids).starts_with("ami-") {
            Hit::set_str(&mut h.resource, text, ids, P_DETAIL);
        }
        h.fact_value(
            "launchPermission",
            "the AMI's launch permissions".to_owned(),
            phrase,
        );
        hits.push(h);
    }
}

/// The AWS Management Console's banner for a refused page: `You don't have
/// permission to access billing information for this account. Contact your AWS
/// administrator ...`. It names neither the principal nor the action, and on
/// the Billing pages an account setting can refuse as well as IAM.
fn console(text: &str, hits: &mut Vec<Hit>) {
    for lead in [
        "You don't have permission to ",
        "You do not have permission to ",
    ] {
        for pos in find_all(text, lead) {
            let le = line_end(text, pos);
            let Some(admin) = find_in(
                text,
                "your AWS administrator",
                pos,
                (pos + 400).min(le.max(pos)),
            ) else {
                continue;
            };
            let phrase = Span::new(pos, pos + lead.len() - 1);
            let mut h = Hit::new(Span::new(pos, le), Provider::Aws, P_DETAIL);
            h.provider = Some((
                Provider::Aws,
                Some(Span::new(admin + 10, admin + 13)),
                P_DETAIL,
            ));
            h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC));
            h.confidence = Some(crate::model::Confidence::Likely);
            hits.push(h);
        }
    }
}

/// `aws sts decode-authorization-message` output read as text, for a copy cut
/// short or reformatted so that it no longer parses as JSON: `"allowed": false`,
/// then `"explicitDeny"` and the request context's `principal`, `action` and
/// `resource`. A copy that parses is read as JSON, with the same result.
fn decoded_text(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "\"allowed\"") {
        let p = skip_ws(text, pos + 9);
        if byte(text, p) != b':' || !at(text, skip_ws(text, p + 1), "false") {
            continue;
        }
        let limit = (pos + 4096).min(text.len());
        let Some(x) = find_in(text, "\"explicitDeny\"", pos, limit) else {
            continue;
        };
        // The key's colon, then its value; a key not followed by one is not
        // this field (and one byte past it may be inside a character).
        let colon = skip_ws(text, x + 14);
        if byte(text, colon) != b':' {
            continue;
        }
        let xv = skip_ws(text, colon + 1);
        let explicit = at(text, xv, "true");
        let mut h = Hit::new(Span::new(pos, xv), Provider::Aws, P_DETAIL);
        let allowed = Span::new(pos, skip_ws(text, p + 1) + 5);
        h.provider = Some((Provider::Aws, Some(allowed), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(allowed), P_DETAIL));
        let d = if explicit {
            DenyKind::Explicit
        } else {
            DenyKind::Implicit
        };
        h.deny = Some((d, Some(Span::new(x, xv)), P_DETAIL));
        let string_after = |key: &str, from: usize| -> Option<Span> {
            let k = find_in(text, key, from, limit)?;
            let c = skip_ws(text, k + key.len());
            if byte(text, c) != b':' {
                return None;
            }
            let v = skip_ws(text, c + 1);
            quoted(text, v)
        };
        if let Some(ctx) = find_in(text, "\"context\"", x, limit) {
            if let Some(pr) = find_in(text, "\"principal\"", ctx, limit) {
                if let Some(a) = string_after("\"arn\"", pr) {
                    Hit::set_str(&mut h.principal, text, a, P_DETAIL);
                }
            }
            if let Some(a) = string_after("\"action\"", ctx) {
                Hit::set_str(&mut h.action, text, a, P_DETAIL);
                h.span.end = h.span.end.max(a.end);
            }
            if let Some(r) = string_after("\"resource\"", ctx) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
                h.span.end = h.span.end.max(r.end);
            }
        }
        hits.push(h);
    }
}

/// Terraform's and the AWS CLI's own wording when `AssumeRole` fails before
/// the SDK prints AWS's message: `The role "arn:aws:iam::1:role/r" cannot be
/// assumed.` The causes it lists include invalid credentials, so the gate is
/// the one AWS's refusal would have, with the credentials a caveat.
fn role_cannot_be_assumed(text: &str, hits: &mut Vec<Hit>) {
    const TAIL: &str = "\" cannot be assumed";
    const HEAD: &str = "The role \"";
    for pos in find_all(text, HEAD) {
        let rs = pos + HEAD.len();
        let Some(re) = find_in(text, TAIL, rs, (rs + 300).min(line_end(text, rs))) else {
            continue;
        };
        let role = Span::new(rs, re);
        if !slice(text, role).starts_with("arn:") {
            continue;
        }
        let phrase = Span::new(pos, re + TAIL.len());
        let mut h = Hit::new(phrase, Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(role), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_GENERIC));
        h.action = Some(("sts:AssumeRole".to_owned(), None, P_GENERIC));
        Hit::set_str(&mut h.resource, text, role, P_DETAIL);
        h.confidence = Some(crate::model::Confidence::Likely);
        hits.push(h);
    }
}

/// SQS's denial, which names only the queue's endpoint: `Access to the resource
/// https://sqs.eu-west-1.amazonaws.com/ is denied.`
fn resource_denied(text: &str, hits: &mut Vec<Hit>) {
    const LEAD: &str = "Access to the resource ";
    for pos in find_all(text, LEAD) {
        let r = trim_trailing(text, token(text, pos + LEAD.len()), b".,;");
        let res = slice(text, r);
        if !(res.contains(".amazonaws.com") || res.starts_with("arn:aws")) {
            continue;
        }
        let Some(end) = at_phrase(text, skip_ws(text, r.end), "is denied") else {
            continue;
        };
        let phrase = Span::new(pos, end);
        let mut h = Hit::new(phrase, Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(r), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.resource, text, r, P_DETAIL);
        hits.push(h);
    }
}

/// The Ruby SDK's error classes, `Access Denied (Aws::S3::Errors::AccessDenied)`,
/// and the .NET SDK's message for a response without an error body, `Error
/// making request with Error Code Forbidden and Http Status Code Forbidden.`
fn ruby_and_dotnet(text: &str, hits: &mut Vec<Hit>) {
    const ERRORS: &str = "::Errors::";
    for pos in find_all(text, ERRORS) {
        let ls = line_start_within(text, pos, 64);
        let Some(a) = find_in(text, "Aws::", ls, pos) else {
            continue;
        };
        let cs = pos + ERRORS.len();
        let mut ce = cs;
        while is_word(byte(text, ce)) && ce < cs + 64 {
            ce += 1;
        }
        let code = Span::new(cs, ce);
        if !code_info(slice(text, code)).is_some_and(|i| i.provider == Provider::Aws) {
            continue;
        }
        let mut h = Hit::new(Span::new(line_start(text, pos), ce), Provider::Aws, P_CODE);
        h.code(text, code, P_CODE);
        h.provider = Some((Provider::Aws, Some(Span::new(a, a + 3)), P_CODE));
        hits.push(h);
    }
    const NET: &str = "Error making request with Error Code ";
    const STATUS: &str = " and Http Status Code ";
    for pos in find_all(text, NET) {
        let cs = pos + NET.len();
        let code = token(text, cs);
        let Some(ss) = Some(code.end).filter(|&e| at(text, e, STATUS)) else {
            continue;
        };
        let st = trim_trailing(text, token(text, ss + STATUS.len()), b".,");
        // .NET names the status by its `HttpStatusCode` member.
        let (status, gate) = match slice(text, st) {
            "Forbidden" => (403, Gate::Authorization),
            "Unauthorized" => (401, Gate::Authentication),
            _ => continue,
        };
        let mut h = Hit::new(Span::new(pos, st.end), Provider::Aws, P_CODE);
        h.provider = Some((Provider::Aws, None, P_CODE));
        h.status(status, st);
        h.gate = Some((gate, Some(st), P_GENERIC));
        // The status name standing in for a missing code is not an AWS code.
        if slice(text, code) != slice(text, st) {
            h.code(text, code, P_CODE);
        }
        hits.push(h);
    }
}

/// API Gateway's 403 body when the policy a Lambda authorizer returned refuses the
/// call: `{"message":"User is not authorized to access this resource"}` for an
/// implicit deny, with ` with an explicit deny` appended for an explicit one (AWS
/// Knowledge Center, "403 errors from an API Gateway Lambda authorizer").
fn api_gateway(text: &str, hits: &mut Vec<Hit>) {
    const PHRASE: &str = "User is not authorized to access this resource";
    for pos in find_all(text, PHRASE) {
        let mut span = Span::new(pos, pos + PHRASE.len());
        let mut h = Hit::new(span, Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(span), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(span), P_DETAIL));
        h.http_status = Some(((403, false), Some(span), P_DETAIL));
        if let Some(e) = at_phrase(text, span.end, " with an explicit deny") {
            let d = Span::new(span.end + 1, e);
            h.deny = Some((DenyKind::Explicit, Some(d), P_DETAIL));
            span.end = e;
        } else {
            h.deny = Some((DenyKind::Implicit, Some(span), P_DETAIL));
        }
        h.span = span;
        h.fact_value("service", "execute-api".to_owned(), span);
        hits.push(h);
    }
}

/// Reads a value that may be wrapped across lines: a quoted string, or tokens
/// joined while one ends in `:` or `/` or the next starts with `/` (ARNs and
/// actions never hold whitespace, so a break inside one is a wrap).
fn joined(text: &str, pos: usize, limit: usize) -> Option<(String, Span)> {
    let p = skip_ws(text, pos);
    if p >= limit {
        return None;
    }
    if let Some(q) = quoted(text, p) {
        return Some((slice(text, q).to_owned(), q));
    }
    let mut t = if at(text, p, "arn:") {
        let mut a = crate::scan::arn(text, p);
        // An ARN may end in `:` (`...:log-group:NAME:log-stream:`); IAM's
        // sentence goes on with ` because` or ` with`, so a colon before those
        // is the ARN's own.
        if byte(text, a.end) == b':'
            && [" because ", " with "]
                .iter()
                .any(|w| text.get(a.end + 1..).is_some_and(|r| r.starts_with(w)))
        {
            a = Span::new(a.start, a.end + 1);
        }
        a
    } else if byte(text, p) == b'<' {
        // A placeholder the author put in (`<resource-arn>`, `<account id>`).
        let close = find_in(text, ">", p, (p + 64).min(line_end(text, p)));
        Span::new(p, close.map_or(p, |c| c + 1))
    } else {
        token(text, p)
    };
    if t.is_empty() {
        return None;
    }
    // IAM writes some resources as a type and a name: `on resource: role NAME`.
    let word = slice(text, t);
    if matches!(
        word,
        "role" | "user" | "group" | "policy" | "instance-profile"
    ) && byte(text, t.end) == b' '
    {
        let name = token(text, t.end + 1);
        if !name.is_empty() && !matches!(slice(text, name), "because" | "with") {
            t = trim_trailing(text, Span::new(t.start, name.end), b".,;");
            return Some((slice(text, t).to_owned(), t));
        }
    }
    let mut s = slice(text, t).to_owned();
    let start = t.start;
    for _ in 0..8 {
        let next = skip_ws(text, t.end);
        let gap = slice(text, Span::new(t.end, next));
        // Only a line break is a wrap; a space ends the value.
        if gap.matches('\n').count() != 1 || next >= limit {
            break;
        }
        let n = token(text, next);
        let nt = slice(text, n);
        // A terminal wraps at a fixed width, anywhere in an ARN: after `:` or
        // `/`, before `:` or `/`, or in a name, which shows as the next line
        // reaching exactly to where the value must end (`User: ...CronJo` /
        // `bServiceRole.../session is not authorized`).
        let fills_to_limit = n.end.saturating_add(1) >= limit && n.end < limit;
        // An action wrapped inside its service prefix (`cloudforma` /
        // `tion:DescribeStacks`): a lower-case word without a colon, and a
        // next token of the rest of the prefix, a colon and an operation.
        let split_action = !s.contains(':')
            && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && nt.split_once(':').is_some_and(|(pre, op)| {
                !pre.is_empty()
                    && pre.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && op.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
            });
        if split_action {
            s.push_str(nt);
            t = n;
            continue;
        }
        if n.is_empty()
            || nt.starts_with('(')
            || !(s.ends_with(':')
                || s.ends_with('/')
                || nt.starts_with('/')
                || (nt.starts_with(':') && s.starts_with("arn:"))
                || (fills_to_limit && s.starts_with("arn:")))
        {
            break;
        }
        s.push_str(nt);
        t = n;
    }
    let trimmed = trim_trailing(text, Span::new(start, t.end), b".,;");
    // An elision (`User: ... is not authorized`) stays as written: trimmed
    // away, it would end the value before it starts.
    if trimmed.is_empty() {
        return Some((s, Span::new(start, t.end)));
    }
    let cut = t.end - trimmed.end;
    s.truncate(s.len().saturating_sub(cut));
    Some((s, trimmed))
}

/// `span` without whitespace at either end.
fn trim_ws(text: &str, span: Span) -> Span {
    let mut s = span.start;
    let mut e = span.end;
    while s < e && byte(text, s).is_ascii_whitespace() {
        s += 1;
    }
    while e > s && byte(text, e - 1).is_ascii_whitespace() {
        e -= 1;
    }
    Span::new(s, e)
}

fn policy_kind(phrase: &str) -> Option<PolicyType> {
    // The words joined by single spaces. Pushed by hand: `[&str]::join` would
    // be a second copy of the standard join next to the `[String]` one.
    let mut p = String::new();
    for w in phrase.split_whitespace() {
        if !p.is_empty() {
            p.push(' ');
        }
        p.push_str(w);
    }
    p.make_ascii_lowercase();
    let t = if p.contains("identity") {
        PolicyType::Identity
    } else if p.contains("resource control") {
        PolicyType::Rcp
    } else if p.contains("resource") {
        PolicyType::Resource
    } else if p.contains("boundary") {
        PolicyType::PermissionsBoundary
    } else if p.contains("session") {
        PolicyType::Session
    } else if p.contains("service control") {
        PolicyType::Scp
    } else if p.contains("vpc endpoint") {
        PolicyType::VpcEndpoint
    } else if p.contains("trust") {
        PolicyType::Trust
    } else if p.contains("key policy") || p.contains("kms") {
        PolicyType::KmsKey
    } else {
        return None;
    };
    Some(t)
}

/// An IAM action (`service:Operation`) after one blank at `pos`, without trailing
/// punctuation.
fn bare_action(text: &str, pos: usize) -> Option<Span> {
    if byte(text, pos) != b' ' {
        return None;
    }
    let t = trim_trailing(text, token(text, pos + 1), b".,;:\"'");
    let (service, op) = slice(text, t).split_once(':')?;
    let ok = !service.is_empty()
        && service
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && op.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        && op.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'*');
    ok.then_some(t)
}

/// `User: <arn> is not authorized to perform: <action> [on resource: <arn>] [context]`.
fn detail(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "authorized to perform";
    let mut prev_end = 0;
    for apos in find_all(text, "authorized") {
        // CI logs and Terraform wrap long messages, so the words may be split
        // over lines, `not` and `authorized` included.
        let Some(after) = at_phrase(text, apos, ANCHOR) else {
            continue;
        };
        let mut pos = apos;
        while pos > 0 && apos - pos < 64 && byte(text, pos - 1).is_ascii_whitespace() {
            pos -= 1;
        }
        if pos == apos || pos < 3 || !(at(text, pos - 3, "not") || at(text, pos - 3, "Not")) {
            continue;
        }
        pos -= 3;
        if pos < prev_end {
            continue;
        }
        let phrase = Span::new(pos, after);
        if byte(text, after) != b':' {
            // EC2's "You are not authorized to perform this operation."
            if at(text, after, " this operation") {
                let mut start = line_start_within(text, pos, 8);
                let mut end = after + 15;
                // The encoded message that usually follows belongs to this denial.
                let next = skip_ws(text, end + usize::from(byte(text, end) == b'.'));
                let encoded = at(text, next, "Encoded authorization failure message:");
                if encoded {
                    end = next + 1;
                }
                // CloudFormation's stack events name the call before the
                // service's message: `API: ec2:RunInstances You are not
                // authorized to perform this operation.`
                let api = text
                    .get(line_start_within(text, start, 160)..start)
                    .and_then(|w| w.rfind("API:").map(|i| start - w.len() + i))
                    .and_then(|i| bare_action(text, i + 4).map(|a| (i, a)))
                    .filter(|(_, a)| skip_blank(text, a.end) == start);
                let mut h = Hit::new(Span::new(start, end), Provider::Aws, P_GENERIC);
                if let Some((i, a)) = api {
                    start = i;
                    h.span.start = i;
                    Hit::set_str(&mut h.action, text, a, P_DETAIL);
                }
                h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
                // With the encoded message this is EC2's `UnauthorizedOperation`,
                // which is always 403 (EC2 API Reference, "Error codes").
                if encoded {
                    h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
                }
                hits.push(h);
                prev_end = after.max(start);
            } else if let Some(a) = bare_action(text, after) {
                // STS words a refused web-identity or SAML assumption without the
                // principal: `Not authorized to perform sts:AssumeRoleWithWebIdentity`.
                let mut h = Hit::new(Span::new(pos, a.end), Provider::Aws, P_DETAIL);
                h.provider = Some((Provider::Aws, Some(phrase), P_DETAIL));
                h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
                Hit::set_str(&mut h.action, text, a, P_DETAIL);
                // A web-identity or SAML caller has no AWS identity policies:
                // only the role's trust policy can let it in (IAM User Guide,
                // "Create a role for OpenID Connect federation").
                let act = slice(text, a);
                if act.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity")
                    || act.eq_ignore_ascii_case("sts:AssumeRoleWithSAML")
                {
                    h.policy_type = Some((PolicyType::Trust, Some(a), P_CODE));
                }
                hits.push(h);
                prev_end = a.end;
            }
            continue;
        }
        let mut h = Hit::new(phrase, Provider::Aws, P_DETAIL);
        h.provider = Some((Provider::Aws, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        let mut start = pos;
        // The principal: between `User:` and `is not`, possibly wrapped.
        let is_start = pos
            .checked_sub(3)
            .filter(|&p| at(text, p, "is "))
            .unwrap_or(pos);
        let look_from = pos.saturating_sub(1024).max(prev_end);
        let window = text.get(look_from..is_start).unwrap_or("");
        if let Some(u) = window.rfind("User:").map(|u| u + look_from) {
            start = u;
            if let Some((p, span)) = joined(text, u + 5, is_start) {
                // `User: [obfuscated]` names nobody.
                let masked_whole = (p.starts_with('[') && p.ends_with(']'))
                    || (p.starts_with('<') && p.ends_with('>'));
                if span.end <= is_start && !masked_whole {
                    h.principal = Some((p, Some(span), P_DETAIL));
                }
            }
        } else {
            let before = text.get(..is_start).unwrap_or("").trim_end();
            let ts = before
                .rfind(|c: char| c.is_ascii_whitespace())
                .map_or(0, |i| i + 1)
                .max(look_from);
            let t = Span::new(ts, before.len());
            if slice(text, t).starts_with("arn:") {
                start = t.start;
                Hit::set_str(&mut h.principal, text, t, P_DETAIL);
            }
        }
        let limit = text.len().min(after + 4096);
        let mut end = after + 1;
        if let Some((a, span)) = joined(text, after + 1, limit) {
            h.action = Some((a, Some(span), P_DETAIL));
            end = span.end
                + usize::from(byte(text, span.end) == b'"' || byte(text, span.end) == b'\'');
        }
        let mut i = skip_ws(text, end);
        if let Some(mut r) = at_phrase(text, i, "on resource") {
            if byte(text, r) == b':' {
                r += 1;
            }
            if let Some((res, span)) = joined(text, r, limit) {
                end = span.end;
                // `on resource: <resource-arn>`: the author's placeholder names nothing.
                let placeholder = res.starts_with('<') && res.ends_with('>');
                while matches!(byte(text, end), b'"' | b'\'' | b'\\') && end < span.end + 2 {
                    end += 1;
                }
                if !placeholder {
                    h.resource = Some((res, Some(span), P_DETAIL));
                }
                i = skip_ws(text, end);
            }
        }
        // The IAM User Guide prints one implicit example as `because the role
        // trust policy allows` (its heading says a missing Allow): read it so.
        let because = at_phrase(text, i, "because no").or_else(|| {
            at_phrase(text, i, "because the")
                .filter(|&p| find_in(text, "policy allows", p, (p + 80).min(text.len())).is_some())
        });
        if let Some(ph) = because {
            let ph = skip_ws(text, ph);
            let allows = find_in(text, "allows", ph, ph + 80 + 5)
                .filter(|&a| a > ph && byte(text, a - 1).is_ascii_whitespace());
            if let Some(allows) = allows {
                let phrase_span = trim_ws(text, Span::new(ph, allows));
                h.deny = Some((DenyKind::Implicit, Some(Span::new(i, ph)), P_DETAIL));
                if let Some(t) = policy_kind(slice(text, phrase_span)) {
                    h.policy_type = Some((t, Some(phrase_span), P_DETAIL));
                }
                end = allows + "allows".len();
                if let Some(a) = find_in(
                    text,
                    " action",
                    end,
                    (end + 307).min(line_end(text, end) + 7),
                ) {
                    end = a + " action".len();
                }
            }
        } else if let Some(de) = at_phrase(text, i, "with an explicit deny") {
            let deny_span = Span::new(i, de);
            h.deny = Some((DenyKind::Explicit, Some(deny_span), P_DETAIL));
            end = deny_span.end;
            let mut p = skip_ws(text, end);
            if at(text, p, "in") && byte(text, p + 2).is_ascii_whitespace() {
                let q = p + 2;
                p = skip_ws(text, q);
                for art in ["an", "a", "the"] {
                    if at(text, p, art) && byte(text, p + art.len()).is_ascii_whitespace() {
                        p = skip_ws(text, p + art.len());
                        break;
                    }
                }
                let stop = [
                    find_in(text, "policy", p, p + 86),
                    find_in(text, "boundary", p, p + 88),
                ]
                .into_iter()
                .flatten()
                .filter(|&s| s < p + 80)
                .min();
                if let Some(s) = stop {
                    let word_end = if at(text, s, "policy") { s + 6 } else { s + 8 };
                    let phrase_span = Span::new(p, word_end);
                    if let Some(t) = policy_kind(slice(text, phrase_span)) {
                        h.policy_type = Some((t, Some(phrase_span), P_DETAIL));
                    }
                    end = word_end;
                    // Newer messages name the policy after a colon: `... in a
                    // service control policy: arn:aws:organizations::111122223333:
                    // policy/o-.../service_control_policy/p-...`.
                    if byte(text, end) == b':' {
                        let a = skip_ws(text, end + 1);
                        if at(text, a, "arn:") {
                            let mut e = a;
                            while e < text.len() && !byte(text, e).is_ascii_whitespace() {
                                e += 1;
                            }
                            while e > a
                                && matches!(
                                    byte(text, e - 1),
                                    b'.' | b',' | b';' | b')' | b'"' | b'\'' | b'\\'
                                )
                            {
                                e -= 1;
                            }
                            h.fact("policyArn", text, Span::new(a, e));
                            end = e;
                        }
                    }
                    let q = skip_ws(text, end);
                    const VIA: &str = "transitively through a service control policy";
                    if let Some(ve) = at_phrase(text, q, VIA) {
                        // The compound names the endpoint first, but the Deny
                        // statement is in an SCP: the IAM troubleshooting page
                        // sends the reader to the SCPs for this message. The SCP
                        // is the policy type; the endpoint is recorded as `via`.
                        let scp = Span::new(q, ve);
                        h.policy_type = Some((PolicyType::Scp, Some(scp), P_DETAIL));
                        h.fact_value("via", "vpc_endpoint".to_owned(), scp);
                        end = ve;
                    }
                }
            }
        }
        h.span = Span::new(start, end);
        prev_end = end;
        hits.push(h);
    }
}

/// The CLI and botocore line: `An error occurred (Code) when calling the Op operation: message`.
fn cli(text: &str, hits: &mut Vec<Hit>) {
    // botocore writes `An error occurred (`; hand-written wrappers copy it with
    // other capitals or spelling (`An Error occured (`), so the anchor is the
    // middle of the phrase and both ends are checked around it.
    for mid in find_all(text, "rror occur") {
        let Some(pos) = mid.checked_sub(4).filter(|&p| {
            text.get(p..mid)
                .is_some_and(|w| w.eq_ignore_ascii_case("an e"))
        }) else {
            continue;
        };
        let tail = mid + "rror occur".len();
        let cs = if at(text, tail, "red (") {
            tail + 5
        } else if at(text, tail, "ed (") {
            tail + 4
        } else {
            continue;
        };
        let Some(ce) = find_in(text, ")", cs, (cs + 80).min(line_end(text, cs) + 1)) else {
            continue;
        };
        let code = Span::new(cs, ce);
        let mut h = Hit::new(Span::new(pos, ce + 1), Provider::Aws, P_CODE);
        let c = slice(text, code);
        if let Some(st) = status_at(text, cs).filter(|_| c.len() == 3) {
            if !matches!(st, 401 | 403) {
                continue;
            }
            h.status(st, code);
            let gate = if st == 401 {
                Gate::Authentication
            } else {
                Gate::Authorization
            };
            h.gate = Some((gate, Some(code), P_GENERIC));
        } else {
            if code_info(c).is_none() {
                continue;
            }
            h.code(text, code, P_CODE);
        }
        let mut le = line_end(text, pos);
        const CALL: &str = " when calling the ";
        if at(text, ce + 1, CALL) {
            let os = ce + 1 + CALL.len();
            let op = token(text, os);
            if !op.is_empty() {
                h.fact("operation", text, op);
            }
        }
        // A message that starts on the next line still belongs to this error.
        let line = slice(text, Span::new(ce, le));
        if line.trim_end().ends_with(':') {
            if let Some(n) = next_line(text, le) {
                le = line_end(text, n);
            }
        }
        h.span = Span::new(pos, le);
        hits.push(h);
    }
}

/// The AWS CLI's first form (version 1 before botocore's wording changed):
/// `A client error (AccessDenied) occurred when calling the PutObject operation: Access Denied`.
fn old_cli(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "A client error (";
    const CALL: &str = ") occurred when calling the ";
    for pos in find_all(text, ANCHOR) {
        let cs = pos + ANCHOR.len();
        let le = line_end(text, pos);
        let Some(ce) = find_in(text, ")", cs, (cs + 80).min(le)) else {
            continue;
        };
        let code = Span::new(cs, ce);
        if code_info(slice(text, code)).is_none() {
            continue;
        }
        let mut h = Hit::new(Span::new(pos, le), Provider::Aws, P_CODE);
        h.code(text, code, P_CODE);
        if at(text, ce, CALL) {
            let op = token(text, ce + CALL.len());
            if !op.is_empty() {
                h.fact("operation", text, op);
            }
        }
        hits.push(h);
    }
}

/// The PHP SDK's exception: `Error executing "PutObject" on "https://b.s3.
/// ap-south-1.amazonaws.com/k"; AWS HTTP error: Client error: ... 403 Forbidden
/// ... AccessDenied (client): Access Denied - <xml>`. Guzzle prints the
/// response over the next lines; the finding reaches the `(client)` line so the
/// body and code below join it.
fn php(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Error executing ";
    for pos in find_all(text, ANCHOR) {
        // The message as printed (`"CreateBucket"`), or inside a JSON log
        // line, where its quotes are escaped (`\"CreateBucket\"`).
        let q = if at(text, pos + ANCHOR.len(), "\\\"") {
            "\\\""
        } else if at(text, pos + ANCHOR.len(), "\"") {
            "\""
        } else {
            continue;
        };
        let os = pos + ANCHOR.len() + q.len();
        let le = line_end(text, pos);
        let Some(oe) = find_in(text, q, os, (os + 64).min(le)) else {
            continue;
        };
        let op = Span::new(os, oe);
        if !slice(text, op).bytes().all(|c| c.is_ascii_alphanumeric()) || op.is_empty() {
            continue;
        }
        let mut h = Hit::new(Span::new(pos, le), Provider::Aws, P_GENERIC);
        h.support = true;
        h.fact("operation", text, op);
        let on = format!("{q} on {q}");
        if at(text, oe, &on) {
            let us = oe + on.len();
            if let Some(ue) = find_in(text, q, us, le) {
                // An endpoint alone (`https://cognito-idp.us-east-1.amazonaws.com`)
                // is where the call went, not what it was about.
                let url = slice(text, Span::new(us, ue));
                let path = url.split_once("://").map_or("", |(_, r)| r);
                if path.trim_end_matches('/').contains('/') {
                    Hit::set_str(&mut h.resource, text, Span::new(us, ue), P_GENERIC);
                }
            }
        }
        let mut end = le;
        let mut cur = le;
        for _ in 0..8 {
            let Some(n) = next_line(text, cur) else { break };
            cur = line_end(text, n);
            let l = slice(text, Span::new(n, cur));
            if l.contains(" (client): ") || l.contains(" (server): ") {
                end = cur;
                break;
            }
        }
        h.span = Span::new(pos, end);
        hits.push(h);
    }
}

/// The Java SDK tail: `... Exception: message (Service: S3, Status Code: 403, Request ID: ...)`
/// (v2 separates with commas, v1 with semicolons and adds `Error Code`).
fn java(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "(Service: ";
    let mut prev = 0;
    for pos in find_all(text, ANCHOR) {
        // Looking back no further than the previous tail keeps the work linear
        // when many tails share one huge line.
        let back = (pos - prev).min(crate::scan::BACK_CAP);
        prev = pos;
        // The tail is short; a bounded search keeps many anchors on one huge
        // line linear.
        // A tail cut off where the paste ends (or wrapped by the terminal) has
        // no `)`: it then ends with its line.
        let le = line_end(text, pos);
        let close = find_in(text, ")", pos, pos + 512)
            .filter(|&c| c <= le)
            .unwrap_or(le);
        if close <= pos + ANCHOR.len() {
            continue;
        }
        let ls = line_start_within(text, pos, back);
        // Past the `)` when there is one; a tail cut off ends where its line does.
        let end = if byte(text, close) == b')' {
            close + 1
        } else {
            close
        };
        let mut h = Hit::new(Span::new(ls, end), Provider::Aws, P_CODE);
        let mut status = None;
        let mut i = pos + 1;
        while i < close {
            let part_end = [find_in(text, ";", i, close), find_in(text, ",", i, close)]
                .into_iter()
                .flatten()
                .filter(|&e| e < close)
                .min()
                .unwrap_or(close);
            let part = Span::new(skip_blank(text, i), part_end);
            let s = slice(text, part);
            if let Some((k, _)) = s.split_once(": ") {
                let vs = Span::new(part.start + k.len() + 2, part.end);
                match k {
                    "Status Code" => {
                        if let Some(st) = status_at(text, vs.start) {
                            h.status(st, vs);
                            status = Some(st);
                        }
                    }
                    // A response without a body (S3 answers HEAD so) gets the
                    // status as its code: `Error Code: 403 Forbidden`.
                    "Error Code" if !byte(text, vs.start).is_ascii_digit() => {
                        h.code(text, vs, P_CODE);
                    }
                    "Request ID" => h.fact("requestId", text, vs),
                    "Service" => h.fact("service", text, vs),
                    _ => {}
                }
            }
            i = part_end + 1;
        }
        if h.error_code.is_none() {
            // The exception class may itself be a code (`AccessDeniedException: ...`).
            let head = text.get(ls..pos).unwrap_or("");
            if let Some(e) = head.find("Exception: ") {
                let name_end = ls + e + "Exception".len();
                let mut s = name_end;
                while s > ls && (is_word(byte(text, s - 1))) {
                    s -= 1;
                }
                let name = Span::new(s, name_end);
                if code_info(slice(text, name)).is_some() {
                    h.code(text, name, P_CODE);
                }
            }
        }
        let known = h.error_code.is_some();
        match status {
            Some(401) => h.gate = Some((Gate::Authentication, None, P_GENERIC)),
            Some(403) if !known => h.gate = Some((Gate::Authorization, None, P_GENERIC)),
            _ if known => {}
            // Another status with no code (DynamoDB answers a denial with 400):
            // the tail still carries the status and request id of a message on
            // the same line, but alone it is not a denial.
            Some(_) => h.support = true,
            None => continue,
        }
        hits.push(h);
    }
}

/// The Go SDK v2 line: `operation error S3: GetObject, https response error
/// StatusCode: 403, RequestID: ..., api error AccessDenied: Access Denied`.
fn go(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "operation error ";
    for pos in find_all(text, ANCHOR) {
        let le = line_end(text, pos);
        let line = Span::new(pos, le);
        let mut h = Hit::new(line, Provider::Aws, P_CODE);
        let ss = pos + ANCHOR.len();
        if let Some(colon) = find_in(text, ": ", ss, le.min(ss + 40) + 1) {
            // The SDK's service id (`S3`, `Lambda`, `Secrets Manager`) names the
            // service, and so the IAM prefix the operation's action takes.
            h.fact("service", text, Span::new(ss, colon));
            let op = trim_trailing(text, token(text, colon + 2), b",");
            if !op.is_empty() {
                h.fact("operation", text, op);
            }
        }
        let mut status = None;
        if let Some(s) = find_in(text, "StatusCode: ", pos, le + 11) {
            let vs = s + "StatusCode: ".len();
            if let Some(st) = status_at(text, vs) {
                h.status(st, Span::new(vs, vs + 3));
                status = Some(st);
            }
        }
        if let Some(r) = find_in(text, "RequestID: ", pos, le + 10) {
            let v = trim_trailing(text, token(text, r + "RequestID: ".len()), b",");
            h.fact("requestId", text, v);
        }
        if let Some(a) = find_in(text, "api error ", pos, le + 9) {
            let cs = a + "api error ".len();
            let c = trim_trailing(text, token(text, cs), b":");
            // Only AWS's own codes: S3 answers a HEAD with the bare status
            // word (`api error Forbidden: Forbidden`), which is not
            // Kubernetes' `Forbidden` reason.
            if code_info(slice(text, c)).is_some_and(|i| i.provider == Provider::Aws) {
                h.code(text, c, P_CODE);
            } else {
                Hit::set_str(&mut h.error_code, text, c, P_CODE);
            }
        }
        if !code_info(h.error_code.as_ref().map_or("", |c| c.0.as_str()))
            .is_some_and(|i| i.provider == Provider::Aws)
        {
            match status {
                Some(401) => h.gate = Some((Gate::Authentication, None, P_GENERIC)),
                Some(403) => h.gate = Some((Gate::Authorization, None, P_GENERIC)),
                Some(_) => h.support = true,
                None => continue,
            }
        }
        hits.push(h);
    }
}

/// A known AWS code followed by `: ` — Go SDK v1, JavaScript SDK v3, Terraform,
/// and exception classes (`botocore.errorfactory.AccessDeniedException: ...`).
fn code_colon(text: &str, hits: &mut Vec<Hit>) {
    let mut found: Vec<Span> = Vec::new();
    for colon in find_all(text, ": ") {
        let mut s = colon;
        while s > 0 && colon - s < 64 && is_word(byte(text, s - 1)) {
            s -= 1;
        }
        if s == colon || byte(text, s.wrapping_sub(1)) == b'(' {
            continue;
        }
        let code = Span::new(s, colon);
        let c = slice(text, code);
        // `Client.UnauthorizedOperation` keeps its prefix.
        let code = if s >= 7 && at(text, s - 7, "Client.") {
            Span::new(s - 7, colon)
        } else {
            code
        };
        if code_info(c).is_some_and(|i| i.provider == Provider::Aws) {
            found.push(code);
        }
    }
    for (n, code) in found.iter().enumerate() {
        let next = found.get(n + 1).map_or(text.len(), |s| s.start);
        let le = line_end(text, code.end);
        let mut h = Hit::new(Span::new(code.start, le), Provider::Aws, P_CODE);
        h.code(text, *code, P_CODE);
        let mut end = le;
        // A wrapped message starts on the next line (`AccessDenied: ` / `User:
        // ... is not authorized ...`): the code and that line are one error.
        if slice(text, Span::new((code.end + 1).min(le), le))
            .trim()
            .is_empty()
        {
            if let Some(nl) = next_line(text, le) {
                end = line_end(text, nl);
            }
        }
        // gsutil prints the status right after the code: `AccessDeniedException: 403 ...`.
        if let Some(st) = status_at(text, code.end + 2).filter(|s| (400..500).contains(s)) {
            h.status(st, Span::new(code.end + 2, code.end + 5));
        }
        // Go SDK v1 puts `status code: 403, request id: ...` after the message,
        // on the next line or (where the logger joined them) on the same one.
        let same = find_in(text, " status code: ", code.end, le).map(|p| p + 1);
        if let Some(p) = same.or_else(|| next_line(text, le).map(|nl| skip_blank(text, nl))) {
            if at(text, p, "status code: ") {
                let vs = p + "status code: ".len();
                if let Some(st) = status_at(text, vs) {
                    h.status(st, Span::new(vs, vs + 3));
                }
                let nle = line_end(text, p);
                if let Some(r) = find_in(text, "request id: ", p, nle + 11) {
                    let v = trim_trailing(text, token(text, r + 12), b",");
                    h.fact("requestId", text, v);
                }
                end = nle;
            }
        }
        // The JavaScript SDK v3 prints `$metadata: { httpStatusCode: 403, requestId: '...' }`
        // after the stack trace; v2 prints the error's own properties
        // `{ code: '...', requestId: '...', statusCode: 403, ... }`.
        let limit = next.min(code.end + 4096);
        let js = find_in(text, "tatusCode: ", le, limit + 10)
            .map(|m| m.saturating_sub(1))
            .filter(|&m| {
                (at(text, m, "s") && !is_word(byte(text, m.wrapping_sub(1))))
                    || (at(text, m, "S") && m >= 4 && at(text, m - 4, "http"))
            });
        if let Some(m) = js {
            let vs = m + "StatusCode: ".len();
            if let Some(st) = status_at(text, vs) {
                h.status(st, Span::new(vs, vs + 3));
                end = line_end(text, vs);
            }
            let block = line_start(text, m).min(find_in(text, "{", le, m).unwrap_or(m));
            if let Some(r) = find_in(text, "requestId: ", block, limit + 10) {
                if let Some(v) = value(text, r + "requestId: ".len()) {
                    h.fact("requestId", text, v);
                    end = end.max(line_end(text, v.end));
                }
            }
        }
        h.span = Span::new(code.start, end);
        hits.push(h);
    }
}

/// The fixed messages AWS sends with its credential errors, which SDKs print
/// without the code (Java SDK v2: `StsException: The security token included
/// in the request is expired (Service: Sts, Status Code: 403, ...)`), with the
/// code each belongs to (AWS API reference, "Common errors"; Amazon S3 "Error
/// responses").
const CREDENTIAL_MESSAGES: &[(&str, &str)] = &[
    (
        "The security token included in the request is expired",
        "ExpiredToken",
    ),
    (
        "The security token included in the request is invalid",
        "InvalidClientTokenId",
    ),
    (
        "The request signature we calculated does not match the signature you provided",
        "SignatureDoesNotMatch",
    ),
    (
        "The AWS Access Key Id you provided does not exist in our records",
        "InvalidAccessKeyId",
    ),
    ("Signature expired: ", "SignatureExpired"),
    // S3's message for `ExpiredToken` (S3 API reference, "Error responses"),
    // which some SDKs print without the code.
    ("The provided token has expired", "ExpiredToken"),
    // botocore's IAM Identity Center (SSO) token errors, named by their
    // exception classes (botocore `exceptions.py`): the cached SSO token is
    // gone or expired, so no AWS credentials could be made.
    (
        "Error when retrieving token from sso",
        "TokenRetrievalError",
    ),
    ("Error loading SSO Token", "SSOTokenLoadError"),
    // The body services behind the REST gateway (WorkDocs) send, under an
    // `AccessDeniedException` error type, when the SigV4 signature or its
    // credentials cannot be verified: an authentication failure whatever the
    // type says.
    ("Invalid SigV4 credentials", ""),
    // The CLI's wording ends `... has expired or is otherwise invalid`; the
    // JavaScript SDK v3's `... has expired. To refresh this SSO session run
    // aws sso login`.
    (
        "The SSO session associated with this profile has expired",
        "UnauthorizedSSOTokenError",
    ),
    // The IAM Identity Center portal's answer to GetRoleCredentials with a
    // cached access token it no longer accepts (`UnauthorizedException`).
    (
        "Session token not found or invalid",
        "UnauthorizedException",
    ),
    // AppSync without a usable credential (`UnauthorizedException`, 401).
    (
        "Valid authorization header not provided",
        "UnauthorizedException",
    ),
    // The EKS Pod Identity agent given a projected token it cannot read.
    ("Service account token cannot be parsed", ""),
];

/// An AWS refusal whose code says authorization but whose message says the
/// credential itself failed: STS answers a wrong MFA code with `AccessDenied`
/// and `MultiFactorAuthentication failed with invalid MFA one time pass code`
/// (STS API reference, GetSessionToken and AssumeRole, `TokenCode`). The
/// message decides, over the code.
const AUTHENTICATION_DESPITE_CODE: &[&str] = &["MultiFactorAuthentication failed"];

fn credential_messages(text: &str, hits: &mut Vec<Hit>) {
    for &message in AUTHENTICATION_DESPITE_CODE {
        for pos in find_all(text, message) {
            let span = Span::new(pos, pos + message.len());
            let mut h = Hit::new(span, Provider::Aws, P_GENERIC);
            h.provider = Some((Provider::Aws, Some(span), P_DETAIL));
            h.gate = Some((Gate::Authentication, Some(span), P_STRONG));
            h.fact("reason", text, span);
            hits.push(h);
        }
    }
    for &(message, code) in CREDENTIAL_MESSAGES {
        for pos in find_all(text, message) {
            let span = Span::new(pos, pos + message.len());
            let mut h = Hit::new(span, Provider::Aws, P_GENERIC);
            h.provider = Some((Provider::Aws, Some(span), P_DETAIL));
            h.gate = Some((Gate::Authentication, Some(span), P_DETAIL));
            if !code.is_empty() {
                h.fact_value("messageOf", code.to_owned(), span);
            }
            hits.push(h);
        }
    }
}

/// `Encoded authorization failure message: <blob>` (EC2 and others). The blob can
/// only be read with `aws sts decode-authorization-message`.
fn encoded(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Encoded authorization failure message:";
    for pos in find_all(text, ANCHOR) {
        let b = token(text, skip_ws(text, pos + ANCHOR.len()));
        let b = trim_trailing(text, b, b".,;");
        let mut h = Hit::new(
            Span::new(pos, b.end.max(pos + ANCHOR.len())),
            Provider::Aws,
            P_GENERIC,
        );
        h.provider = Some((
            Provider::Aws,
            Some(Span::new(pos, pos + ANCHOR.len())),
            P_GENERIC,
        ));
        h.gate = Some((
            Gate::Authorization,
            Some(Span::new(pos, pos + ANCHOR.len())),
            P_GENERIC,
        ));
        if !b.is_empty() {
            h.fact("encodedMessage", text, b);
        }
        // The message decoded and pasted under it (`The decoded message is as
        // follows:` then the JSON of `aws sts decode-authorization-message`) is
        // the same denial: reach to it so that the two are read as one.
        let from = b.end.max(pos + ANCHOR.len());
        if let Some(d) = find_in(text, "\"allowed\"", from, (from + 400).min(text.len())) {
            let between = slice(text, Span::new(from, d));
            if between.matches('\n').count() <= 8 && !between.contains("is not authorized") {
                h.span = Span::new(h.span.start, d + 1);
            }
        }
        hits.push(h);
    }
}

/// The bare S3 message `Access Denied`, which S3 sends for `AccessDenied` with no
/// detail (for example to callers outside the bucket owner's organization).
fn bare_access_denied(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Access Denied";
    for pos in find_all(text, ANCHOR) {
        let end = pos + ANCHOR.len();
        let before = pos.checked_sub(1).map_or(b' ', |p| byte(text, p));
        if is_word(before) {
            continue;
        }
        let after = skip_blank(text, end);
        let c = byte(text, after);
        let ends = c == 0
            || matches!(
                c,
                b'\n' | b'\r' | b'.' | b'<' | b'"' | b'\'' | b'(' | b')' | b',' | b'\\' | b';'
            );
        // After an error label a wrapper may run the next sentence on without a
        // period: `S3 error: Access Denied For more information check ...`.
        let labelled_sentence =
            after > end && c.is_ascii_uppercase() && bare_denial_context(text, pos);
        if !(ends || labelled_sentence) {
            continue;
        }
        let span = Span::new(pos, end);
        let mut h = Hit::new(span, Provider::Aws, P_GENERIC);
        h.code(text, span, P_GENERIC);
        h.error_code = Some(("AccessDenied".to_owned(), Some(span), P_GENERIC));
        h.provider = Some((Provider::Aws, Some(span), P_GENERIC));
        h.http_status = Some(((403, false), Some(span), P_GENERIC));
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        // The words alone are common in unrelated log lines; they stand as a
        // denial only with some context that an error is being reported.
        h.support = !bare_denial_context(text, pos);
        hits.push(h);
    }
}

/// Whether `Access Denied` at `pos` is reported as an error: the whole paste,
/// an XML `<Message>`, or the message after an error or exception label on its
/// line (`fatal error: Access Denied`, `S3Exception: Access Denied`).
fn bare_denial_context(text: &str, pos: usize) -> bool {
    if text.trim().trim_end_matches('.') == "Access Denied" {
        return true;
    }
    if pos >= 9 && at(text, pos - 9, "<Message>") {
        return true;
    }
    let ls = line_start(text, pos);
    let head = text.get(ls..pos).unwrap_or("").trim_end();
    let Some(label) = head.strip_suffix(':') else {
        return false;
    };
    let word = label
        .rsplit(|c: char| c.is_ascii_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ["error", "exception", "failed", "denied", "forbidden", "403"]
        .iter()
        .any(|w| word.contains(w))
}

/// An XML error body whose `<Message>` (`m`) is `Request has expired`: the
/// presigned URL's signature is no longer valid, so the gate is authentication
/// (S3 and the services that copy its API answer so). The same body carries the
/// URL's lifetime, when it ran out and the time the request arrived.
pub(super) fn expired_presigned(text: &str, from: usize, to: usize, m: Span, h: &mut Hit) {
    h.gate = Some((Gate::Authentication, Some(m), P_STRONG));
    h.fact("reason", text, m);
    for (tag, key) in [
        ("X-Amz-Expires", "xAmzExpires"),
        ("Expires", "expiresAt"),
        ("ServerTime", "serverTime"),
    ] {
        if let Some(v) = xml_tag(text, from, to, tag) {
            h.fact(key, text, v);
        }
    }
}

/// The text of `<tag>...</tag>` between `from` and `to`.
pub(super) fn xml_tag(text: &str, from: usize, to: usize, tag: &str) -> Option<Span> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let s = find_in(text, &open, from, to + open.len() - 1)? + open.len();
    let e = find_in(text, &close, s, to + close.len())?;
    Some(Span::new(s, e))
}

/// XML error bodies: S3 `<Error><Code>..</Code><Message>..</Message><RequestId>..`,
/// the Query APIs' `<ErrorResponse><Error>...</Error><RequestId>`, EC2's
/// `<Response><Errors><Error>...` and Azure Storage's `<Error><Code>...`.
/// An S3 client's error chain ending in S3's own message for `AccessDenied`
/// (`upload s3 object: Access Denied`, as minio-go and the Go SDK print it in
/// Thanos, Loki, Cortex and others): the code is not printed, the words are
/// S3's, capitalised as S3 writes them. Only at the end of a chain (before a
/// quote, a period or the end of the line) and with an object store named on
/// the line, since Windows and databases say "Access Denied" too.
fn s3_chain(text: &str, hits: &mut Vec<Hit>) {
    const WORDS: &str = ": Access Denied";
    for pos in find_all(text, WORDS) {
        let end = pos + WORDS.len();
        if !matches!(byte(text, end), b'"' | b'.' | b'\n' | b'\r' | 0) {
            continue;
        }
        let ls = line_start(text, pos);
        let line = slice(text, Span::new(ls, line_end(text, pos)));
        let lower = line.to_ascii_lowercase();
        if !["s3", "bucket", "object"].iter().any(|w| lower.contains(w)) {
            continue;
        }
        let span = Span::new(pos + 2, end);
        let mut h = Hit::new(span, Provider::Aws, P_GENERIC);
        h.provider = Some((Provider::Aws, Some(span), P_GENERIC));
        h.gate = Some((Gate::Authorization, Some(span), P_GENERIC));
        h.http_status = Some(((403, false), Some(span), P_GENERIC));
        h.confidence = Some(crate::model::Confidence::Possible);
        hits.push(h);
    }
}

fn xml(text: &str, hits: &mut Vec<Hit>) {
    for pos in find_all(text, "<Error>") {
        let Some(close) = find_in(text, "</Error>", pos, pos + 16_384 + 7) else {
            continue;
        };
        let Some(code) = xml_tag(text, pos, close, "Code") else {
            continue;
        };
        let Some(info) = code_info(slice(text, code)) else {
            continue;
        };
        let mut end = close + "</Error>".len();
        let mut h = Hit::new(Span::new(pos, end), info.provider, P_CODE);
        h.code(text, code, P_CODE);
        if info.provider == Provider::Kubernetes {
            // `<Code>Unauthorized</Code>` is an S3-compatible service's
            // (Cloudflare R2's answer to SigV2), never Kubernetes', which
            // answers in JSON: the provider stays open.
            h.provider = None;
        }
        if slice(text, code) == "AuthenticationFailed" {
            // Azure Storage answers AuthenticationFailed with 403, not ARM's 401.
            h.http_status = Some(((403, false), Some(code), P_CODE));
        }
        let tail = text.len().min(end + 512);
        let rid = xml_tag(text, pos, close, "RequestId")
            .or_else(|| xml_tag(text, end, tail, "RequestId"))
            .or_else(|| xml_tag(text, end, tail, "RequestID"));
        if let Some(r) = rid {
            h.fact("requestId", text, r);
            end = end.max(r.end);
        }
        if let Some(r) = xml_tag(text, pos, close, "Resource") {
            Hit::set_str(&mut h.resource, text, r, P_CODE);
        }
        // S3 answers an expired presigned URL with `AccessDenied` and the message
        // `Request has expired` (S3 "Sharing objects with presigned URLs"): the
        // signed request is no longer valid, so the failed gate is authentication.
        if let Some(m) = xml_tag(text, pos, close, "Message") {
            if slice(text, m).starts_with("Request has expired") {
                expired_presigned(text, pos, close, m, &mut h);
            }
        }
        h.span = Span::new(pos, end);
        hits.push(h);
    }
}

#[cfg(test)]
mod tests {
    use super::super::find as find_all_findings;
    use super::super::test_util::*;
    use crate::model::*;

    // AWS's credential messages without their codes, as the Java SDK v2
    // prints them (real: https://github.com/aws/aws-sdk-java-v2/issues/1649):
    // authentication, with the advice of the code the message belongs to.
    #[test]
    fn credential_messages_without_a_code_are_authentication() {
        let r = crate::explain("Caused by: software.amazon.awssdk.services.sts.model.StsException: The security token included in the request is expired (Service: Sts, Status Code: 403, Request ID: 69d599e0-7b94-4cf4-a564-fc698225471f)");
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let f = &r.findings[0];
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Aws, Gate::Authentication, Some(403))
        );
        assert_eq!(f.error_code, None, "the code is not in the text");
        assert!(
            f.checklist
                .iter()
                .any(|c| c.id == "aws.refresh-credentials"),
            "{:?}",
            f.checklist
        );
    }

    // An elided message keeps reading past the elisions (real:
    // https://github.com/CrowdStrike/terraform-aws-cloud-registration/pull/106).
    #[test]
    fn elided_values_do_not_end_the_message() {
        let f = one("User: ... is not authorized to perform: iam:CreateRole on resource: ...\nwith an explicit deny in a permissions boundary: ...");
        assert_eq!(f.action.as_deref(), Some("iam:CreateRole"));
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(f.policy_type, Some(PolicyType::PermissionsBoundary));
    }

    // Messages below follow the examples on the AWS IAM User Guide page
    // "Troubleshoot access denied error messages".

    #[test]
    fn a_decoded_message_key_without_its_colon_is_not_read() {
        // Found by fuzzing: `"explicitDeny"` followed by U+FFFD, not `:`; one
        // byte past the key fell inside the character.
        let t = "{\n  \"allowed\": false,\n  \"explicitDeny\"\u{fffd}\u{fffd} :false\n}";
        assert_on_boundaries(t, &crate::explain(t).findings);
    }

    #[test]
    fn every_policy_type_from_the_troubleshooting_page() {
        let cases: &[(&str, DenyKind, PolicyType, &str)] = &[
            (
                "because no service control policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Scp,
                "service control policy",
            ),
            (
                "with an explicit deny in a service control policy",
                DenyKind::Explicit,
                PolicyType::Scp,
                "service control policy",
            ),
            (
                "because no VPC endpoint policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::VpcEndpoint,
                "VPC endpoint policy",
            ),
            (
                "with an explicit deny in a VPC endpoint policy",
                DenyKind::Explicit,
                PolicyType::VpcEndpoint,
                "VPC endpoint policy",
            ),
            (
                "because no permissions boundary allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::PermissionsBoundary,
                "permissions boundary",
            ),
            (
                "with an explicit deny in a permissions boundary",
                DenyKind::Explicit,
                PolicyType::PermissionsBoundary,
                "permissions boundary",
            ),
            (
                "because no session policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Session,
                "session policy",
            ),
            (
                "with an explicit deny in a sessions policy",
                DenyKind::Explicit,
                PolicyType::Session,
                "sessions policy",
            ),
            (
                "because no resource-based policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Resource,
                "resource-based policy",
            ),
            (
                "with an explicit deny in a resource-based policy",
                DenyKind::Explicit,
                PolicyType::Resource,
                "resource-based policy",
            ),
            (
                "because no role trust policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Trust,
                "role trust policy",
            ),
            (
                "with an explicit deny in the role trust policy",
                DenyKind::Explicit,
                PolicyType::Trust,
                "role trust policy",
            ),
            (
                "because no identity-based policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Identity,
                "identity-based policy",
            ),
            (
                "with an explicit deny in an identity-based policy",
                DenyKind::Explicit,
                PolicyType::Identity,
                "identity-based policy",
            ),
            (
                "because no resource control policy allows the codecommit:ListRepositories action",
                DenyKind::Implicit,
                PolicyType::Rcp,
                "resource control policy",
            ),
            (
                "with an explicit deny in a resource control policy",
                DenyKind::Explicit,
                PolicyType::Rcp,
                "resource control policy",
            ),
        ];
        for (ctx, deny, pt, phrase) in cases {
            let t = format!("User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories {ctx}");
            let f = one(&t);
            assert_eq!(f.provider, Provider::Aws, "{ctx}");
            assert_eq!(f.gate, Gate::Authorization);
            assert_eq!(f.deny, Some(*deny), "{ctx}");
            assert_eq!(f.policy_type, Some(*pt), "{ctx}");
            assert_eq!(
                f.principal.as_deref(),
                Some("arn:aws:iam::123456789012:user/JohnDoe")
            );
            assert_eq!(f.action.as_deref(), Some("codecommit:ListRepositories"));
            assert_eq!(f.resource, None);
            assert_eq!(f.error_code, None);
            assert_eq!(f.http_status, None);
            assert_eq!(ev(&t, &f, "policyType"), *phrase);
            assert_eq!(
                ev(&t, &f, "principal"),
                "arn:aws:iam::123456789012:user/JohnDoe"
            );
            assert_eq!(f.span, crate::diag::Span::new(0, t.len()), "{ctx}");
        }
    }

    #[test]
    fn resource_and_wrapped_compound_message() {
        let t = "User: arn:aws:sts::111122223333:assumed-role/\nrole-name\n/role-session-name\nis not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2\nwith an explicit deny in a VPC endpoint policy transitively through a service control policy";
        let f = one(t);
        assert_eq!(
            f.principal.as_deref(),
            Some("arn:aws:sts::111122223333:assumed-role/role-name/role-session-name")
        );
        assert_eq!(f.action.as_deref(), Some("SNS:Publish"));
        assert_eq!(
            f.resource.as_deref(),
            Some("arn:aws:sns:us-east-1:444455556666:role-name-2")
        );
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert_eq!(f.policy_type, Some(PolicyType::Scp));
        assert_eq!(fact(&f, "via"), Some("vpc_endpoint"));
        assert_eq!(ev(t, &f, "deny"), "with an explicit deny");
        assert_eq!(f.span.end, t.len());
    }

    /// A terminal wrap inside the service prefix of the action (field corpus
    /// `aws-boto3-004`, https://github.com/scopely-devops/skew/issues/81).
    #[test]
    fn action_wrapped_inside_its_prefix() {
        let t = "ClientError: An error occurred (AccessDenied) when calling the DescribeStacks operation: User: arn:aws:iam::<ID>:user/<NAME> is not authorized to perform: cloudforma\ntion:DescribeStacks";
        assert_eq!(
            one(t).action.as_deref(),
            Some("cloudformation:DescribeStacks")
        );
    }

    #[test]
    fn console_example_wrapped_without_context() {
        let t = "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: widgets:\nGetWidget\non resource:my-example-widget";
        let f = one(t);
        assert_eq!(f.action.as_deref(), Some("widgets:GetWidget"));
        assert_eq!(f.resource.as_deref(), Some("my-example-widget"));
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.policy_type, None);
    }

    #[test]
    fn cli_with_quoted_resource_on_following_lines() {
        let t = "An error occurred (AccessDeniedException) when calling the GetObject operation:\nUser: arn:aws:iam::123456789012:user/deploy-bot is not authorized to perform:\ns3:GetObject on resource: \"arn:aws:s3:::my-prod-bucket/config.json\"\nbecause no identity-based policy allows the s3:GetObject action\n";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDeniedException"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(
            f.resource.as_deref(),
            Some("arn:aws:s3:::my-prod-bucket/config.json")
        );
        assert_eq!(
            ev(t, &f, "resource"),
            "arn:aws:s3:::my-prod-bucket/config.json"
        );
        assert_eq!(f.policy_type, Some(PolicyType::Identity));
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(fact(&f, "operation"), Some("GetObject"));
        assert_eq!(ev(t, &f, "errorCode"), "AccessDeniedException");
    }

    #[test]
    fn botocore_bare_access_denied() {
        let t = "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\nbotocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n";
        let f = one(t);
        assert_eq!(f.provider, Provider::Aws);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(ev(t, &f, "errorCode"), "AccessDenied");
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.deny, Some(DenyKind::Unknown));
    }

    #[test]
    fn java_v2_and_v1() {
        let t = "software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: 4XJ8Y2KQ, Extended Request ID: abc=)";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(fact(&f, "requestId"), Some("4XJ8Y2KQ"));
        let t = "com.amazonaws.services.identitymanagement.model.AmazonIdentityManagementException: User: arn:aws:iam::1:user/x is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::1:role/ (Service: AmazonIdentityManagement; Status Code: 400; Error Code: AccessDenied; Request ID: r-1; Proxy: null)";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.http_status, Some(400));
        assert_eq!(f.action.as_deref(), Some("iam:ListRoles"));
        assert_eq!(f.resource.as_deref(), Some("arn:aws:iam::1:role/"));
    }

    #[test]
    fn javascript_v3_metadata() {
        let t = "AccessDenied: Access Denied\n    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:840:20)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n  '$fault': 'client',\n  '$metadata': {\n    httpStatusCode: 403,\n    requestId: 'ABCD1234',\n    attempts: 1\n  },\n  Code: 'AccessDenied'\n}";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(fact(&f, "requestId"), Some("ABCD1234"));
    }

    /// Forms that name the operation and the object outside the CLI's line, each
    /// as published (the sources are the field corpus's, `collected.jsonl`): the
    /// action comes from the operation and the service the text shows, the
    /// resource from the transfer or the request URL.
    #[test]
    fn operation_and_object_outside_the_cli_line() {
        let read = |t: &str| {
            let r = crate::explain(t);
            let f = r.findings.into_iter().next().expect("a finding");
            (f.action, f.resource, f.gate)
        };
        // aws-oldcli-001, https://github.com/aws/aws-cli/issues/813 (the old CLI form).
        let (a, r, _) = read("upload failed: ./baz to s3://mybucket/foo/bar/baz A client error (AccessDenied) occurred when calling the PutObject operation: Access Denied");
        assert_eq!(a.as_deref(), Some("s3:PutObject"));
        assert_eq!(r.as_deref(), Some("s3://mybucket/foo/bar/baz"));
        // A download's object is its source (the CLI's `download failed: SRC to DST`;
        // constructed from that documented form).
        let (a, r, _) = read("download failed: s3://bucket/reports/q3.csv to ./q3.csv An error occurred (403) when calling the HeadObject operation: Forbidden");
        assert_eq!(a.as_deref(), Some("s3:GetObject"));
        assert_eq!(r.as_deref(), Some("s3://bucket/reports/q3.csv"));
        // aws-boto3-002: boto3's transfer manager.
        let (_, r, _) = read("boto3.exceptions.S3UploadFailedError: Failed to upload uploads/voice1.mp3 to flaskdrive/uploads/voice1.mp3: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied");
        assert_eq!(r.as_deref(), Some("flaskdrive/uploads/voice1.mp3"));
        // aws-php-002: the PHP SDK, S3 reached at a virtual-hosted endpoint.
        let (a, r, _) = read("ERROR: copy /var/lib/sitedata/filedir/17/51/xxxx to s3://sitedata-xxx-moodle/17/51/xxxxx: Error executing \"PutObject\" on \"https://sitedata-xxxx-moodle.s3.ap-southeast-2.amazonaws.com/17/51/xxxx\"; AWS HTTP error: Client error: `PUT https://sitedata-xxxx-moodle.s3.ap-southeast-2.amazonaws.com/17/51/xxxx` resulted in a `403 Forbidden` response:\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>xxxxx (truncated...)\n AccessDenied (client): Access Denied - <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>xxxxxxx</RequestId><HostId>xxxxx</HostId></Error>");
        assert_eq!(a.as_deref(), Some("s3:PutObject"));
        assert_eq!(
            r.as_deref(),
            Some("https://sitedata-xxxx-moodle.s3.ap-southeast-2.amazonaws.com/17/51/xxxx")
        );
        // aws-expired-003: the Go SDK names the service before the operation.
        let (a, _, g) = read("operation error Lambda: ListProvisionedConcurrencyConfigs, https response error StatusCode: 403, RequestID: xxxx, api error ExpiredTokenException: The security token included in the request is expired");
        assert_eq!(
            a.as_deref(),
            Some("lambda:ListProvisionedConcurrencyConfigs")
        );
        assert_eq!(g, Gate::Authentication);
        // aws-cognito-001: a user pool refusing a password names no IAM action,
        // and an endpoint is not a resource.
        let (a, r, _) = read("Error executing \"AdminInitiateAuth\" on \"https://cognito-idp.us-east-1.amazonaws.com\"; AWS HTTP error: Client error: `POST https://cognito-idp.us-east-1.amazonaws.com` resulted in a `400 Bad Request` response: {\"__type\":\"NotAuthorizedException\",\"message\":\"Incorrect username or password.\"} NotAuthorizedException (client): Incorrect username or password.");
        assert_eq!((a, r), (None, None));
    }

    /// CloudTrail records pasted as text that does not parse (cut short as
    /// published in https://github.com/hashicorp/packer-plugin-amazon/issues/280, and wrapped by CloudWatch Logs in https://github.com/DataBiosphere/azul/issues/7632): the caller,
    /// the action and the bucket come from the record's own fields.
    #[test]
    fn cloudtrail_records_that_do_not_parse() {
        let r = crate::explain("{\n    \"eventVersion\": \"1.08\",\n    \"userIdentity\": {\n        \"type\": \"AssumedRole\",\n        \"principalId\": \"ABCD:user\",\n        \"arn\": \"arn:aws:sts::12345678:assumed-role/AWSReservedSSO_ALZP-WL-Owner_23c018da2d675a5b/user\",\n        \"accountId\": \"12345678\",\n        \"accessKeyId\": \"ABCD\",\n        \"sessionContext\": {\n            \"sessionIssuer\": {\n                \"type\": \"Role\",\n                \"principalId\": \"AROA246JDOTKFOTIYBO3D\",\n                \"arn\": \"arn:aws:iam::12345678:role/aws-reserved/sso.amazonaws.com/eu-west-1/username\",\n                \"accountId\": \"12345678\",\n                \"userName\": \"username\"\n            },\n            \"webIdFederationData\": {},\n            \"attributes\": {\n                \"creationDate\": \"2022-10-14T15:54:56Z\",\n                \"mfaAuthenticated\": \"false\"\n            }\n        }\n    },\n    \"eventTime\": \"2022-10-14T16:03:08Z\",\n    \"eventSource\": \"ec2.amazonaws.com\",\n    \"eventName\": \"RunInstances\",\n    \"awsRegion\": \"eu-central-1\",\n    \"sourceIPAddress\": \"86.151.246.20\",\n    \"userAgent\": \"APN/1.0 HashiCorp/1.0 packer-plugin-amazon/1.1.2 (+https://www.packer.io/docs/builders/amazon) Packer/1.8.3 (+https://www.packer.io) aws-sdk-go/1.42.29 (go1.17.11; windows; 386)\",\n    \"errorCode\": \"Client.UnauthorizedOperation\",");
        let f = &r.findings[0];
        assert_eq!(f.principal.as_deref(), Some("arn:aws:sts::12345678:assumed-role/AWSReservedSSO_ALZP-WL-Owner_23c018da2d675a5b/user"));
        assert_eq!(f.action.as_deref(), Some("ec2:RunInstances"));
        let r = crate::explain("[\n    {\n        \"eventTime\": \"2025-12-08T09:46:53Z\",\n        \"@message\": {\n            \"eventVersion\": \"1.11\",\n            \"userIdentity\": {\n                \"type\": \"AWSService\",\n                \"invokedBy\": \"s3.amazonaws.com\"\n            },\n            \"eventTime\": \"2025-12-08T09:46:53Z\",\n            \"eventSource\": \"s3.amazonaws.com\",\n            \"eventName\": \"PutObject\",\n            \"awsRegion\": \"us-east-1\",\n            \"sourceIPAddress\": \"s3.amazonaws.com\",\n            \"userAgent\": \"s3.amazonaws.com\",\n            \"errorCode\": \"AccessDenied\",\n            \"errorMessage\": \"Access Denied\",\n            \"requestParameters\": {\n                \"bucketName\": \"edu-ucsc-gi-platform-hca-prod-logs.us-east-1\",\n                \"Host\": \"edu-ucsc-gi-platform-hca-prod-logs.us-east-1.s3.us-east-1.amazonaws.com\",\n                \"x-amz-acl\": \"bucket-owner-full-control\",\n                \"key\": \"inventory/edu-ucsc-gi-platform-hca-prod-storage-prod.us-east-1/azul-inventory-prod/data/\"\n            },\n            \"responseElements\": null,");
        let f = &r.findings[0];
        assert_eq!(f.principal.as_deref(), Some("s3.amazonaws.com"));
        assert_eq!(f.action.as_deref(), Some("s3:PutObject"));
        assert_eq!(
            f.resource.as_deref(),
            Some("edu-ucsc-gi-platform-hca-prod-logs.us-east-1")
        );
    }

    /// A Java SDK tail cut off where the paste ends (found by fuzzing): the
    /// finding ends with the text, not one byte past it.
    #[test]
    fn a_java_tail_cut_at_the_end_of_the_paste_stays_inside_it() {
        let t = "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: ";
        let r = crate::explain(t);
        assert!(!r.findings.is_empty());
        assert_on_boundaries(t, &r.findings);
    }

    #[test]
    fn go_v2_and_v1() {
        let t = "operation error S3: GetObject, https response error StatusCode: 403, RequestID: 7RZ1, HostID: h==, api error AccessDenied: Access Denied";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(fact(&f, "operation"), Some("GetObject"));
        assert_eq!(fact(&f, "requestId"), Some("7RZ1"));
        let t = "Error: creating EC2 Instance: UnauthorizedOperation: You are not authorized to perform this operation. Encoded authorization failure message: AbC-12_x\n\tstatus code: 403, request id: 9f1c";
        let f = one(t);
        assert_eq!(f.error_code.as_deref(), Some("UnauthorizedOperation"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(fact(&f, "encodedMessage"), Some("AbC-12_x"));
        assert_eq!(fact(&f, "requestId"), Some("9f1c"));
    }

    // Real: a cfncluster stack event (tests/fixtures/field/collected.jsonl,
    // aws-cfn-001, https://github.com/aws/aws-parallelcluster/issues/372),
    // blob cut short here. CloudFormation names the call before EC2's message.
    #[test]
    fn cloudformation_event_names_the_call() {
        let t = "  - AWS::EC2::Instance MasterServer API: ec2:RunInstances You are not authorized to perform this operation. Encoded authorization failure message: rHU-pVHMSckD0OAc5l3r9-gKN1XZ";
        let f = one(t);
        assert_eq!(f.action.as_deref(), Some("ec2:RunInstances"));
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(
            fact(&f, "encodedMessage"),
            Some("rHU-pVHMSckD0OAc5l3r9-gKN1XZ")
        );
        // Without `API:` right before the message, no action is read.
        let f = one("Note API: ec2:RunInstances was retried. You are not authorized to perform this operation.");
        assert_eq!(f.action, None);
        assert_eq!(f.http_status, None);
    }

    #[test]
    fn client_unauthorized_operation_keeps_prefix() {
        let t = "Client.UnauthorizedOperation: You are not authorized to perform this operation. Encoded authorization failure message: 4Bd1";
        let f = one(t);
        assert_eq!(
            f.error_code.as_deref(),
            Some("Client.UnauthorizedOperation")
        );
        assert_eq!(fact(&f, "encodedMessage"), Some("4Bd1"));
    }

    #[test]
    fn authentication_codes() {
        for (code, status) in [
            ("SignatureDoesNotMatch", 403),
            ("InvalidClientTokenId", 403),
            ("InvalidAccessKeyId", 403),
            // Amazon S3 error responses: ExpiredToken, 400 Bad Request.
            ("ExpiredToken", 400),
            ("UnrecognizedClientException", 400),
            ("RequestExpired", 400),
            ("IncompleteSignature", 400),
            ("MissingAuthenticationToken", 403),
        ] {
            let t = format!(
                "An error occurred ({code}) when calling the ListBuckets operation: something"
            );
            let f = one(&t);
            assert_eq!(f.gate, Gate::Authentication, "{code}");
            assert_eq!(f.deny, None);
            assert_eq!(f.http_status, Some(status), "{code}");
        }
        // Services send ExpiredTokenException with 400 or 403 (Timestream's
        // published responses print 403; the common-errors pages differ by
        // service), so without a printed status none is implied.
        let f = one(
            "An error occurred (ExpiredTokenException) when calling the ListBuckets operation: x",
        );
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.http_status, None);
    }

    #[test]
    fn s3_xml_body_in_http_response_is_one_finding() {
        let t = "HTTP/1.1 403 Forbidden\nContent-Type: application/xml\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>";
        let f = one(t);
        assert_eq!(f.provider, Provider::Aws);
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(ev(t, &f, "errorCode"), "AccessDenied");
        assert_eq!(f.http_status, Some(403));
        assert_eq!(ev(t, &f, "httpStatus"), "403");
        assert_eq!(fact(&f, "requestId"), Some("R1"));
        let t = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>";
        assert_eq!(one(t).gate, Gate::Authentication);
    }

    #[test]
    fn query_api_400_access_denied() {
        let t = "HTTP/1.1 400 Bad Request\n\n<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>x</Message></Error><RequestId>q1</RequestId></ErrorResponse>";
        let f = one(t);
        assert_eq!(f.http_status, Some(400));
        assert_eq!(f.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(fact(&f, "requestId"), Some("q1"));
    }

    #[test]
    fn access_denied_in_prose_is_not_s3() {
        assert!(
            find_all_findings("ERROR 1045 (28000): Access Denied for user 'root'@'localhost'")
                .0
                .is_empty()
        );
    }
}
