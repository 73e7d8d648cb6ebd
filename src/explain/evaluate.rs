//! Evaluating pasted AWS policies against the request each finding names, and
//! saying whether they reproduce the denial or allow the request (so that the
//! denial comes from a policy that was not pasted).
//!
//! The policies are read once per report with the scenario reader
//! ([`crate::policy::scenario::read_policies`]) and evaluated per finding with
//! [`crate::policy::scenario::run`], so each finding's `result` is exactly what
//! `simulate` returns for a scenario holding that request and those policies.
//!
//! Facts behind the wording, by page:
//! - AWS IAM User Guide, "Troubleshoot access denied error messages": a message
//!   names one policy type, and messages often leave the resource out.
//! - AWS IAM User Guide, "Policy evaluation logic": a request needs an Allow on
//!   the identity side (and, across accounts, on the resource side); SCPs, RCPs,
//!   boundaries and session policies only limit.

use super::checklist::policy_type_phrase;
use crate::diag::{Diagnostic, Severity};
use crate::model::{
    DenyKind, EvaluatedRequest, Finding, FindingEvaluation, Gate, PolicyType, Provider, Verdict,
};
use crate::policy::scenario::{self, PolicySet};
use crate::policy::{Decision, Request, SimulationResult};

/// Where to get a policy of type `t`, as the end of a sentence.
#[must_use]
pub fn how_to_get(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Scp => "ask your organization's administrators for the SCPs that apply to the caller's account, at every level from the root through each OU to the account",
        PolicyType::Rcp => "ask your organization's administrators for the RCPs that apply to the resource's account, at every level from the root through each OU to the account",
        PolicyType::PermissionsBoundary => "get the permissions boundary set on the principal (`aws iam get-role` or `aws iam get-user` shows it), or ask the IAM administrators who set it",
        PolicyType::Session => "get the session policy passed when the session was created (the `Policy` or `PolicyArns` of the `AssumeRole` call) from whoever or whatever created the session",
        PolicyType::Identity => "collect every identity-based policy of the principal: its inline and managed policies, and for a user those of its groups",
        PolicyType::Resource => "ask the resource's owner for its resource-based policy (the bucket, key, queue or topic policy)",
        PolicyType::VpcEndpoint => "ask the network administrators for the policy of the VPC endpoint the request went through",
        PolicyType::Trust => "get the role's trust policy (`aws iam get-role` shows it as `AssumeRolePolicyDocument`)",
        PolicyType::KmsKey => "ask the key's administrators for the KMS key policy (`aws kms get-key-policy`)",
        _ => "find the policy that refused the request",
    }
}

/// A full-access policy standing in for a side of which nothing was pasted.
fn assumed_document(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Resource => {
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"AssumedAllow","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#
        }
        _ => {
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"AssumedAllow","Effect":"Allow","Action":"*","Resource":"*"}]}"#
        }
    }
}

fn assumed_policies(types: &[PolicyType]) -> String {
    use serde_json::Value;
    // Built by hand and written with `to_string` rather than with `json!` and
    // `Value`'s `Display`: the same bytes, without the panic and io-error
    // paths those two bring into the wasm.
    let entries: Vec<Value> = types
        .iter()
        .map(|t| {
            let name = format!("assumed {} (not pasted)", policy_type_phrase(*t));
            crate::policy::fix::object(vec![
                ("type", Value::String(t.as_str().to_owned())),
                ("name", Value::String(name)),
                ("document", Value::String(assumed_document(*t).to_owned())),
            ])
        })
        .collect();
    serde_json::to_string(&Value::Array(entries)).unwrap_or_default()
}

/// Whether `f` is a denial that AWS policies decide.
fn applies(f: &Finding) -> bool {
    f.provider == Provider::Aws && f.gate == Gate::Authorization
}

fn value(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn join_and(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => {
            // Pushed by hand, as in `aws::policy_kind`: no `[&str]::join`.
            let mut out = String::new();
            for (i, part) in init.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(part);
            }
            format!("{out} and {last}")
        }
    }
}

/// Evaluates `policies` (a JSON array in the scenario format's `policies`
/// shape, or a string holding one) against the request of every AWS
/// authorization finding, setting each one's `evaluation`.
///
/// Returns diagnostics for the report: problems with the array's shape (which
/// stop the evaluation, since a left-out policy could turn a denial into a
/// wrong "allows"), or a note that nothing could be evaluated. Problems inside
/// a policy document are in each evaluation's `result.diagnostics`.
pub fn evaluate_findings(
    findings: &mut [Finding],
    policies: &serde_json::Value,
) -> Vec<Diagnostic> {
    let (text, from_string) = match policies {
        serde_json::Value::String(s) => (s.clone(), true),
        v => (
            serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".to_owned()),
            false,
        ),
    };
    let (set, errors) = scenario::read_policies(&text);
    let mut notes: Vec<Diagnostic> = errors
        .into_iter()
        .map(|mut d| {
            // Labels would point into the policies, not the pasted error text
            // that the report's labels belong to: keep only where, in words.
            if from_string {
                if let Some(l) = d.labels.first() {
                    d.message = format!("{} (line {}, column {})", d.message, l.line, l.column);
                }
            }
            d.labels.clear();
            d
        })
        .collect();
    let usable = notes.is_empty();
    if !usable {
        notes.push(
            Diagnostic::new(
                "policies.not-evaluated",
                Severity::Info,
                "the pasted policies were not evaluated, because of the problems above",
            )
            .with_help(
                "fix the policies list; leaving one out could turn a denial into a wrong answer",
            ),
        );
    }
    let mut evaluated = false;
    let mut assumed_cache: Vec<(Vec<PolicyType>, PolicySet)> = Vec::new();
    for f in findings.iter_mut().filter(|f| applies(f)) {
        evaluated = true;
        f.evaluation = Some(evaluate_one(f, &set, usable, &mut assumed_cache));
    }
    if !evaluated && usable {
        notes.push(Diagnostic::new(
            "policies.not-evaluated",
            Severity::Info,
            "the pasted policies were not evaluated: the text holds no AWS authorization denial",
        ));
    }
    notes
}

fn request_of(f: &Finding) -> EvaluatedRequest {
    EvaluatedRequest {
        principal: value(&f.principal).map(str::to_owned),
        action: value(&f.action).map(str::to_owned),
        resource: value(&f.resource).map(str::to_owned),
        resource_account: None,
        context: std::collections::BTreeMap::new(),
        context_complete: false,
    }
}

fn blank(verdict: Verdict, text: String, request: EvaluatedRequest) -> FindingEvaluation {
    FindingEvaluation {
        verdict,
        text,
        request,
        missing: Vec::new(),
        deny_matches: None,
        policy_type_matches: None,
        ask_for: None,
        assumed: Vec::new(),
        result: None,
    }
}

fn evaluate_one(
    f: &Finding,
    set: &PolicySet,
    usable: bool,
    cache: &mut Vec<(Vec<PolicyType>, PolicySet)>,
) -> FindingEvaluation {
    let request = request_of(f);
    if !usable {
        return blank(
            Verdict::Unknown,
            "The pasted policies could not be read as a list (see the notes), so they were not evaluated.".to_owned(),
            request,
        );
    }
    let (Some(principal), Some(action), Some(resource)) = (
        request.principal.clone(),
        request.action.clone(),
        request.resource.clone(),
    ) else {
        let missing: Vec<&str> = [
            ("principal", &request.principal),
            ("action", &request.action),
            ("resource", &request.resource),
        ]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| *k)
        .collect();
        let words: Vec<String> = missing.iter().map(|k| format!("the {k}")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let often = if missing == ["resource"] {
            " (AWS often leaves it out of the message)"
        } else {
            ""
        };
        let text = format!(
            "The message does not name {}{often}, so the pasted policies were not evaluated: fill it in with the request fields or a `simulate` scenario to evaluate them.",
            join_and(&words)
        );
        let mut e = blank(Verdict::IncompleteRequest, text, request);
        e.missing = missing.into_iter().map(str::to_owned).collect();
        return e;
    };
    let req = Request {
        principal,
        action,
        resource,
        resource_account: None,
        context: Vec::new(),
        context_complete: false,
    };
    let mut result = scenario::run(&req, set);
    // The pasted policies cannot decide when the denial is only that a whole
    // side (identity, or the resource side across accounts) was not pasted:
    // take that side to allow, as AWS's default full-access SCP and RCP are.
    let mut assumed: Vec<PolicyType> = Vec::new();
    if result.decision == Decision::ImplicitlyDenied
        && !result.denied_by.is_empty()
        && result
            .denied_by
            .iter()
            .all(|d| d.code == "eval.no-policy-of-type")
    {
        for d in &result.denied_by {
            if !assumed.contains(&d.policy_type) {
                assumed.push(d.policy_type);
            }
        }
        let with = match cache.iter().position(|(k, _)| *k == assumed) {
            Some(i) => cache.get(i).map(|(_, s)| s),
            None => {
                let (extra, _) = scenario::read_policies(&assumed_policies(&assumed));
                let mut s = set.clone();
                let offset = s.policies.len();
                s.policies.extend(extra.policies);
                s.info.extend(extra.info.into_iter().map(|mut i| {
                    i.index = i.index.saturating_add(offset);
                    i
                }));
                cache.push((assumed.clone(), s));
                cache.last().map(|(_, s)| s)
            }
        };
        if let Some(with) = with {
            result = scenario::run(&req, with);
        }
    }
    verdict(f, request, result, assumed, set)
}

fn verdict(
    f: &Finding,
    request: EvaluatedRequest,
    result: SimulationResult,
    assumed: Vec<PolicyType>,
    set: &PolicySet,
) -> FindingEvaluation {
    let pasted = |t: PolicyType| set.policies.iter().any(|p| p.policy_type == t);
    let assumed_note = if assumed.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = assumed.iter().map(|t| policy_type_phrase(*t)).collect();
        format!(
            " No {} was pasted, so it was taken to allow the request.",
            join_and(&names)
        )
    };
    let mut e = blank(Verdict::Unknown, String::new(), request);
    let message_deny = f.deny.filter(|d| *d != DenyKind::Unknown);
    match result.decision {
        Decision::ExplicitlyDenied | Decision::ImplicitlyDenied => {
            e.verdict = Verdict::Reproduces;
            let kind = if result.decision == Decision::ExplicitlyDenied {
                DenyKind::Explicit
            } else {
                DenyKind::Implicit
            };
            e.deny_matches = message_deny.map(|d| d == kind);
            e.policy_type_matches = f
                .policy_type
                .map(|t| result.denied_by.iter().any(|d| d.policy_type == t));
            let how = crate::render::decision_sentence(&result);
            if e.deny_matches != Some(false) && e.policy_type_matches != Some(false) {
                e.text = format!("The pasted policies reproduce the denial. {how}{assumed_note}");
            } else {
                let reported = match (message_deny, f.policy_type) {
                    (Some(d), Some(t)) => {
                        format!("an {} deny in a {}", deny_word(d), policy_type_phrase(t))
                    }
                    (Some(d), None) => format!("an {} deny", deny_word(d)),
                    (None, Some(t)) => format!("a denial by a {}", policy_type_phrase(t)),
                    (None, None) => "another denial".to_owned(),
                };
                let ask = match f.policy_type {
                    Some(t) if !pasted(t) => format!(": {}", how_to_get(t)),
                    _ => String::new(),
                };
                if let Some(t) = f.policy_type.filter(|t| !pasted(*t)) {
                    e.ask_for = Some(t);
                }
                e.text = format!(
                    "The pasted policies deny the request, but not the way the message says. {how} The message reports {reported}, so the policy AWS applied is probably one that was not pasted{ask}.{assumed_note}"
                );
            }
        }
        Decision::Allowed => {
            e.verdict = Verdict::Allows;
            e.ask_for = f.policy_type;
            e.text = match f.policy_type {
                Some(t) if pasted(t) => format!(
                    "The pasted policies allow this request, including the pasted {p}, so the denial comes from a {p} that was not pasted{level}: {}.{assumed_note}",
                    how_to_get(t),
                    p = policy_type_phrase(t),
                    level = if matches!(t, PolicyType::Scp | PolicyType::Rcp) {
                        " (another level of the organization, or another policy at a level)"
                    } else {
                        ""
                    }
                ),
                Some(t) => format!(
                    "The pasted policies allow this request, so the denial comes from a policy that was not pasted. The message names a {}: {}.{assumed_note}",
                    policy_type_phrase(t),
                    how_to_get(t)
                ),
                None => {
                    let not_pasted: Vec<&str> = [
                        PolicyType::Scp,
                        PolicyType::Rcp,
                        PolicyType::PermissionsBoundary,
                        PolicyType::Session,
                        PolicyType::Resource,
                        PolicyType::VpcEndpoint,
                    ]
                    .into_iter()
                    .filter(|t| !pasted(*t))
                    .map(policy_type_phrase)
                    .collect();
                    let hint = if not_pasted.is_empty() {
                        "more policies of the types pasted".to_owned()
                    } else {
                        format!("policies of the types not pasted: {}", join_and(&not_pasted))
                    };
                    format!(
                        "The pasted policies allow this request, so the denial comes from a policy that was not pasted. The message does not say which type refused it; look for {hint}.{assumed_note}"
                    )
                }
            };
        }
        Decision::Unknown => {
            let keys: Vec<String> = result
                .missing_context
                .iter()
                .map(|m| format!("`{}`", m.key))
                .collect();
            e.text = if keys.is_empty() {
                let what = result
                    .unevaluated
                    .iter()
                    .find(|u| u.matters)
                    .map_or_else(String::new, |u| format!(": {}", u.message));
                format!(
                    "The pasted policies do not settle this request, because part of them could not be evaluated{what}.{assumed_note}"
                )
            } else {
                let give = if keys.len() == 1 {
                    "its value"
                } else {
                    "their values"
                };
                format!(
                    "The pasted policies do not settle this request: the decision depends on {}, which the error message does not carry. Give {give} in the request context to decide.{assumed_note}",
                    keys.join(", ")
                )
            };
        }
    }
    e.assumed = assumed;
    e.result = Some(result);
    e
}

fn deny_word(d: DenyKind) -> &'static str {
    match d {
        DenyKind::Explicit => "explicit",
        DenyKind::Implicit => "implicit",
        DenyKind::Unknown => "unstated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::scenario::SpanSource;
    use crate::{explain_with, ExplainOptions, Report};
    use serde_json::{json, Value};

    // The messages are the examples on AWS's "Troubleshoot access denied error
    // messages" page (IAM User Guide); the policies follow the shapes of the IAM
    // User Guide's example policies.

    const IDENTITY_EXPLICIT: &str = "User: arn:aws:iam::123456789012:role/HR is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy";
    const VPCE_EXPLICIT: &str = "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a VPC endpoint policy";
    const SESSION_EXPLICIT: &str = "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy";
    const BOUNDARY_IMPLICIT: &str = "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action";
    const SCP_EXPLICIT_NO_RESOURCE: &str = "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy";

    fn doc(statements: Value) -> Value {
        json!({ "Version": "2012-10-17", "Statement": statements })
    }

    fn allow_codedeploy() -> Value {
        doc(
            json!([{ "Sid": "CodeDeployRead", "Effect": "Allow", "Action": ["codedeploy:List*", "codedeploy:Get*"], "Resource": "*" }]),
        )
    }

    fn run(text: &str, policies: Value) -> Report {
        explain_with(
            text,
            &ExplainOptions {
                now_millis: None,
                policies: Some(policies),
            },
        )
    }

    fn evaluation(report: &Report) -> &FindingEvaluation {
        assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
        report.findings[0]
            .evaluation
            .as_ref()
            .expect("an evaluation")
    }

    #[test]
    fn reproduces_an_explicit_identity_deny_with_the_deciding_statement() {
        let policies = json!([{ "type": "identity", "name": "HRPolicy", "document": doc(json!([
            { "Sid": "CodeDeployRead", "Effect": "Allow", "Action": "codedeploy:*", "Resource": "*" },
            { "Sid": "DenyDeploymentListing", "Effect": "Deny", "Action": "codedeploy:ListDeployments", "Resource": "*" }
        ])) }]);
        let r = run(IDENTITY_EXPLICIT, policies);
        let e = evaluation(&r);
        assert_eq!(e.verdict, Verdict::Reproduces);
        assert_eq!(e.deny_matches, Some(true));
        assert_eq!(e.policy_type_matches, Some(true));
        assert_eq!(e.ask_for, None);
        assert!(e.assumed.is_empty());
        assert_eq!(
            e.text,
            "The pasted policies reproduce the denial. Explicitly denied by statement `DenyDeploymentListing` of the identity-based policy `HRPolicy`."
        );
        let result = e.result.as_ref().unwrap();
        assert_eq!(result.decision, Decision::ExplicitlyDenied);
        assert_eq!(
            result.denied_by[0].sid.as_deref(),
            Some("DenyDeploymentListing")
        );
        assert_eq!(result.denied_by[0].statement, Some(1));
        assert_eq!(
            e.request.principal.as_deref(),
            Some("arn:aws:iam::123456789012:role/HR")
        );
        assert!(e.request.context.is_empty());
        assert!(!e.request.context_complete);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn reproduces_but_not_as_the_message_says_asks_for_the_named_type() {
        // The identity policy allows only S3: the request is implicitly denied by
        // it, while AWS reported an explicit deny in a VPC endpoint policy.
        let policies = json!([{ "type": "identity", "name": "S3Only", "document": doc(json!([
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*" }
        ])) }]);
        let e = evaluation(&run(VPCE_EXPLICIT, policies)).clone();
        assert_eq!(e.verdict, Verdict::Reproduces);
        assert_eq!(e.deny_matches, Some(false));
        assert_eq!(e.policy_type_matches, Some(false));
        assert_eq!(e.ask_for, Some(PolicyType::VpcEndpoint));
        assert_eq!(
            e.text,
            format!(
                "The pasted policies deny the request, but not the way the message says. Implicitly denied: nothing allows the request in the identity-based policy `S3Only`. The message reports an explicit deny in a VPC endpoint policy, so the policy AWS applied is probably one that was not pasted: {}.",
                how_to_get(PolicyType::VpcEndpoint)
            )
        );
    }

    #[test]
    fn allows_says_which_policy_type_to_ask_for() {
        let policies =
            json!([{ "type": "identity", "name": "DevOps", "document": allow_codedeploy() }]);
        let r = run(SESSION_EXPLICIT, policies);
        let e = evaluation(&r);
        assert_eq!(e.verdict, Verdict::Allows);
        assert_eq!(e.ask_for, Some(PolicyType::Session));
        assert_eq!(e.result.as_ref().unwrap().decision, Decision::Allowed);
        assert_eq!(
            e.text,
            "The pasted policies allow this request, so the denial comes from a policy that was not pasted. The message names a session policy: get the session policy passed when the session was created (the `Policy` or `PolicyArns` of the `AssumeRole` call) from whoever or whatever created the session."
        );
        let item = r.findings[0]
            .checklist
            .iter()
            .find(|i| i.id == "aws.get-unpasted-policy")
            .expect("a checklist item asking for the session policy");
        assert_eq!(item.stage, crate::model::Stage::Diagnose);
        assert!(
            item.text
                .contains("the session policy that refused it is not among them"),
            "{}",
            item.text
        );
    }

    #[test]
    fn a_side_not_pasted_is_assumed_to_allow_so_the_pasted_ones_decide() {
        // Only the boundary is pasted. Without an identity-based policy AWS would
        // deny for lack of an identity-side Allow; the boundary itself allows.
        let policies = json!([{ "type": "permissions_boundary", "name": "DevBoundary", "document": allow_codedeploy() }]);
        let e = evaluation(&run(BOUNDARY_IMPLICIT, policies)).clone();
        assert_eq!(e.assumed, [PolicyType::Identity]);
        assert_eq!(e.verdict, Verdict::Allows);
        assert_eq!(e.ask_for, Some(PolicyType::PermissionsBoundary));
        assert!(
            e.text.starts_with("The pasted policies allow this request, including the pasted permissions boundary, so the denial comes from a permissions boundary that was not pasted: get the permissions boundary set on the principal"),
            "{}",
            e.text
        );
        assert!(
            e.text.ends_with(
                " No identity-based policy was pasted, so it was taken to allow the request."
            ),
            "{}",
            e.text
        );
        let result = e.result.unwrap();
        assert_eq!(result.policies.len(), 2);
        assert_eq!(
            &*result.policies[1].name,
            "assumed identity-based policy (not pasted)"
        );
        assert_eq!(result.policies[1].index, 1);

        // And the same boundary without the action reproduces the implicit deny.
        let policies = json!([{ "type": "permissions_boundary", "name": "S3Boundary", "document": doc(json!([
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*" }
        ])) }]);
        let e = evaluation(&run(BOUNDARY_IMPLICIT, policies)).clone();
        assert_eq!(e.verdict, Verdict::Reproduces);
        assert_eq!(
            (e.deny_matches, e.policy_type_matches),
            (Some(true), Some(true))
        );
    }

    #[test]
    fn unknown_when_a_condition_reads_context_the_message_does_not_carry() {
        // IAM User Guide example "AWS: Denies access to AWS based on the source IP",
        // turned into an Allow limited to a network.
        let policies = json!([
            { "type": "identity", "name": "FromOffice", "document": doc(json!([
                { "Effect": "Allow", "Action": "codedeploy:*", "Resource": "*", "Condition": { "IpAddress": { "aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"] } } }
            ])) },
            { "type": "permissions_boundary", "name": "Boundary", "document": allow_codedeploy() }
        ]);
        let e = evaluation(&run(BOUNDARY_IMPLICIT, policies)).clone();
        assert_eq!(e.verdict, Verdict::Unknown);
        assert_eq!(
            e.text,
            "The pasted policies do not settle this request: the decision depends on `aws:SourceIp`, which the error message does not carry. Give its value in the request context to decide."
        );
        let result = e.result.unwrap();
        assert_eq!(result.decision, Decision::Unknown);
        assert_eq!(result.missing_context[0].key, "aws:SourceIp");
        assert_eq!(
            result.missing_context[0].outcomes[0].when_true,
            Decision::Allowed
        );
        assert_eq!(
            result.missing_context[0].outcomes[0].when_false,
            Decision::ImplicitlyDenied
        );
    }

    #[test]
    fn incomplete_request_names_what_is_missing_and_does_not_guess() {
        let policies = json!([{ "type": "scp", "level": "root", "name": "FullAWSAccess", "document": doc(json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }])) }]);
        let r = run(SCP_EXPLICIT_NO_RESOURCE, policies);
        let e = evaluation(&r);
        assert_eq!(e.verdict, Verdict::IncompleteRequest);
        assert_eq!(e.missing, ["resource"]);
        assert!(e.result.is_none());
        assert_eq!(e.request.resource, None);
        assert_eq!(
            e.text,
            "The message does not name the resource (AWS often leaves it out of the message), so the pasted policies were not evaluated: fill it in with the request fields or a `simulate` scenario to evaluate them."
        );
        assert!(r.findings[0]
            .checklist
            .iter()
            .any(|i| i.id == "aws.complete-request"));
    }

    #[test]
    fn a_badly_shaped_policies_list_is_a_diagnostic_not_a_panic() {
        for bad in [
            json!({ "not": "an array" }),
            json!([42]),
            json!([{ "type": "identiy", "document": {} }]),
            json!([{ "type": "identity" }]),
            json!("[{\"type\": \"identity\", \"document\": {}"),
        ] {
            let r = run(IDENTITY_EXPLICIT, bad.clone());
            let e = evaluation(&r);
            assert_eq!(e.verdict, Verdict::Unknown, "{bad}");
            assert!(e.result.is_none());
            assert!(r.diagnostics.len() >= 2, "{bad}: {:?}", r.diagnostics);
            assert!(r.diagnostics.iter().all(|d| d.labels.is_empty()), "{bad}");
            assert_eq!(r.diagnostics.last().unwrap().code, "policies.not-evaluated");
        }
        let r = run(
            IDENTITY_EXPLICIT,
            json!("[\n  {\"type\": \"identity\",\n   \"document\": {}\n"),
        );
        assert_eq!(r.diagnostics[0].code, "scenario.invalid-json");
        assert!(
            r.diagnostics[0].message.ends_with("(line 4, column 1)"),
            "{}",
            r.diagnostics[0].message
        );
        let r = run(
            IDENTITY_EXPLICIT,
            json!([{ "type": "identiy", "document": {} }]),
        );
        assert_eq!(
            r.diagnostics[0].message,
            "policy 0 has unknown type `identiy`"
        );
        assert_eq!(
            r.diagnostics[0].help.as_deref(),
            Some("did you mean `identity`?")
        );
    }

    #[test]
    fn only_aws_authorization_findings_are_evaluated() {
        let k8s = "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"";
        let r = run(k8s, json!([]));
        assert_eq!(r.findings.len(), 1);
        assert!(r.findings[0].evaluation.is_none());
        assert_eq!(r.diagnostics[0].code, "policies.not-evaluated");
        // Without policies nothing changes: no evaluation, no note, `null` in JSON.
        let r = explain_with(IDENTITY_EXPLICIT, &ExplainOptions::default());
        assert!(r.findings[0].evaluation.is_none());
        assert!(r.diagnostics.is_empty());
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["findings"][0]["evaluation"], Value::Null);
    }

    #[test]
    fn document_strings_keep_spans_into_themselves() {
        let document = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"DenyAll\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}";
        let r = run(
            IDENTITY_EXPLICIT,
            json!([{ "type": "identity", "name": "pasted", "document": document }]),
        );
        let result = evaluation(&r).result.clone().unwrap();
        assert_eq!(result.policies[0].span_source, SpanSource::Document);
        let span = result.denied_by[0].span.unwrap();
        assert_eq!(
            &document[span.start..span.end],
            "{\"Sid\": \"DenyAll\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}"
        );
    }

    #[test]
    fn the_result_is_what_simulate_returns_for_the_same_scenario() {
        let policies = json!([
            { "type": "identity", "name": "DevOps", "document": serde_json::to_string_pretty(&allow_codedeploy()).unwrap() },
            { "type": "vpc_endpoint", "name": "Endpoint", "document": "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"codedeploy:*\",\"Resource\":\"*\"}]}" }
        ]);
        let r = run(VPCE_EXPLICIT, policies.clone());
        let e = evaluation(&r);
        assert_eq!(e.verdict, Verdict::Reproduces);
        assert_eq!(
            (e.deny_matches, e.policy_type_matches),
            (Some(true), Some(true))
        );
        let scenario =
            json!({ "request": serde_json::to_value(&e.request).unwrap(), "policies": policies });
        let mut simulated = serde_json::to_value(crate::simulate(&scenario.to_string())).unwrap();
        simulated.as_object_mut().unwrap().remove("type");
        assert_eq!(
            serde_json::to_value(e.result.as_ref().unwrap()).unwrap(),
            simulated
        );
    }

    #[test]
    fn serialized_shape_is_camel_case() {
        let r = run(SCP_EXPLICIT_NO_RESOURCE, json!([]));
        let v = serde_json::to_value(&r).unwrap();
        let e = &v["findings"][0]["evaluation"];
        assert_eq!(e["verdict"], "incomplete-request");
        for key in [
            "text",
            "request",
            "missing",
            "denyMatches",
            "policyTypeMatches",
            "askFor",
            "assumed",
            "result",
        ] {
            assert!(e.get(key).is_some(), "{key}");
        }
        assert_eq!(e["request"]["contextComplete"], false);
        assert_eq!(e["request"]["context"], json!({}));
        assert_eq!(e["request"]["resourceAccount"], Value::Null);
    }
}
