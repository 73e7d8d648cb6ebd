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

use crate::diag::{Diagnostic, Severity};
use crate::model::{
    DenyKind, EvaluatedRequest, Finding, FindingEvaluation, Gate, PolicyType, Provider, Verdict,
};
use crate::policy::scenario::{self, PolicySet};
use crate::policy::{Decision, Request, SimulationResult};

/// How a policy type is called in running text.
fn phrase(t: PolicyType) -> &'static str {
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
        _ => "policy",
    }
}

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
    let entries: Vec<serde_json::Value> = types
        .iter()
        .map(|t| {
            serde_json::json!({
                "type": t.as_str(),
                "name": format!("assumed {} (not pasted)", phrase(*t)),
                "document": assumed_document(*t),
            })
        })
        .collect();
    serde_json::Value::Array(entries).to_string()
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
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
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
        let names: Vec<&str> = assumed.iter().map(|t| phrase(*t)).collect();
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
                    (Some(d), Some(t)) => format!("an {} deny in a {}", deny_word(d), phrase(t)),
                    (Some(d), None) => format!("an {} deny", deny_word(d)),
                    (None, Some(t)) => format!("a denial by a {}", phrase(t)),
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
                    p = phrase(t),
                    level = if matches!(t, PolicyType::Scp | PolicyType::Rcp) {
                        " (another level of the organization, or another policy at a level)"
                    } else {
                        ""
                    }
                ),
                Some(t) => format!(
                    "The pasted policies allow this request, so the denial comes from a policy that was not pasted. The message names a {}: {}.{assumed_note}",
                    phrase(t),
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
                    .map(phrase)
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
                format!(
                    "The pasted policies do not settle this request: the decision depends on {}, which the error message does not carry. Give their values in the request context to decide.{assumed_note}",
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
