//! AWS policy evaluation: reading policies, evaluating requests against them
//! the way AWS's documented policy evaluation logic does, and explaining why.
//!
//! - [`simulate`] / [`simulate_value`]: a whole scenario (request and policies)
//!   in, a [`Simulation`] out — the JSON contract shared by the command line,
//!   the wasm API and the page.
//! - [`read_policy`] and [`evaluate`]: the typed API, for callers that build the
//!   [`Request`] themselves (for example from an error message).
//!
//! # Policy diagnostic codes
//!
//! Every problem found in a policy document is one [`Diagnostic`] with a stable
//! code; this table is the single list of them. Severities follow IAM Access
//! Analyzer's levels. An *error* means AWS would reject the policy: the statement
//! it is in cannot be evaluated as written and counts as unknown (except the
//! unknown-operator family and a stray `Principal`, which the evaluator handles
//! precisely).
//!
//! | code | severity | meaning |
//! | --- | --- | --- |
//! | `policy.invalid-json` | error | the document is not valid JSON |
//! | `policy.not-an-object` | error | the document is not a JSON object |
//! | `policy.duplicate-key` | error | an object repeats a key |
//! | `policy.invalid-version` | error | `Version` is neither `2012-10-17` nor `2008-10-17` |
//! | `policy.missing-version` | warning / suggestion | no `Version`: the 2008-10-17 rules apply; a warning when the policy uses `${...}` variables, which are then literal text |
//! | `policy.old-version-with-variables` | warning | `Version` `2008-10-17` with `${...}` variables, which are then literal text |
//! | `policy.missing-statement` | error | no `Statement` |
//! | `policy.empty-array` | warning | an element is an empty array |
//! | `policy.wrong-type` | error | an element has the wrong JSON type |
//! | `policy.unknown-element` | error | an element AWS does not define (with a did-you-mean) |
//! | `policy.duplicate-sid` | error | two statements share a `Sid` |
//! | `policy.invalid-effect` | error | `Effect` is not `Allow` or `Deny` |
//! | `policy.missing-effect` / `missing-action` / `missing-resource` / `missing-principal` | error | a required element is absent |
//! | `policy.conflicting-elements` | error | both `Action` and `NotAction` (or `Resource`/`NotResource`, `Principal`/`NotPrincipal`) |
//! | `policy.invalid-action` | error | an action is not `service:Action` |
//! | `policy.variable-not-allowed` | error | a policy variable where AWS does not substitute one |
//! | `policy.principal-not-allowed` | error | `Principal` in a policy type that has none (it is ignored) |
//! | `policy.unknown-principal-type` | error | a principal type other than `AWS`, `Service`, `Federated`, `CanonicalUser` |
//! | `policy.allow-with-not-principal` | security warning | `Allow` with `NotPrincipal` (not supported by AWS; grants everyone not listed) |
//! | `policy.rcp-allow` | warning | `Allow` in an RCP: only `RCPFullAWSAccess` may allow, and it is always attached |
//! | `policy.unknown-operator` | error | a misspelt or unknown condition operator |
//! | `policy.unknown-set-qualifier` | error | a set qualifier other than `ForAllValues:` / `ForAnyValue:` |
//! | `policy.null-if-exists` | error | `NullIfExists`, which AWS does not define |
//! | `policy.empty-condition` | warning | an empty `Condition` block or operator |
//! | `policy.wildcard-in-exact-operator` | warning | `*` or `?` under an operator that compares exactly |

pub mod adapt;
pub mod arn;
pub mod condition;
pub mod eval;
pub mod fix;
pub mod ip;
pub mod lowercase;
pub mod parse;
pub mod scenario;
pub mod services;
pub mod variables;
pub mod wildcard;
pub mod write;

pub use eval::{evaluate, Decision, Evaluation, Request};
pub use parse::ParsedPolicy;
pub use scenario::{Simulation, SimulationResult};

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::PolicyType;

/// A policy to read: its document as text, and what the caller knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInput {
    /// The type, or `None` to guess it from the document.
    pub policy_type: Option<PolicyType>,
    /// A name to show in results.
    pub name: String,
    /// For SCPs and RCPs, the organization level (`root`, an OU id, the account).
    pub level: Option<String>,
    /// The policy JSON.
    pub document: String,
}

/// Reads one policy; the spans and labels of the result point into
/// `input.document`. Invalid JSON gives a policy with `usable == false` and a
/// `policy.invalid-json` diagnostic.
#[must_use]
pub fn read_policy(input: &PolicyInput) -> ParsedPolicy {
    match crate::json::parse(&input.document) {
        Ok(doc) => {
            let t = input.policy_type.unwrap_or_else(|| parse::guess_type(&doc));
            parse::read_policy(
                &doc,
                &input.document,
                t,
                &input.name,
                input.level.as_deref(),
            )
        }
        Err(e) => ParsedPolicy {
            policy_type: input.policy_type.unwrap_or(PolicyType::Identity),
            name: input.name.as_str().into(),
            level: input.level.as_deref().map(std::rc::Rc::from),
            version: None,
            variables_enabled: false,
            statements: std::rc::Rc::default(),
            span_offset: 0,
            diagnostics: vec![Diagnostic::new(
                "policy.invalid-json",
                Severity::Error,
                format!("the policy is not valid JSON: {}", e.message),
            )
            .with_label(&input.document, Span::new(e.offset, e.offset))],
            usable: false,
        },
    }
}

/// Runs a scenario given as JSON text (see [`scenario`] for the format).
///
/// Never fails: an unusable scenario gives [`Simulation::Failure`] with
/// diagnostics carrying line and column.
#[must_use]
pub fn simulate(scenario: &str) -> Simulation {
    scenario::simulate(scenario)
}

/// Runs a scenario given as a JSON value (the wasm binding passes objects).
///
/// The value is written out as pretty JSON first, so spans and line/column
/// point into that text; pass the text to [`simulate`] to point into yours.
#[must_use]
pub fn simulate_value(scenario: &serde_json::Value) -> Simulation {
    match scenario {
        serde_json::Value::String(s) => simulate(s),
        v => match serde_json::to_string_pretty(v) {
            Ok(text) => simulate(&text),
            Err(e) => Simulation::Failure {
                errors: vec![Diagnostic::new(
                    "scenario.invalid-json",
                    Severity::Error,
                    e.to_string(),
                )],
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The typed API that `explain` uses: a request built from an error message,
    // evaluated against pasted policies.
    #[test]
    fn typed_api_reads_and_evaluates() {
        let identity = read_policy(&PolicyInput {
            policy_type: None,
            name: "dev".into(),
            level: None,
            document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
        });
        assert_eq!(identity.policy_type, PolicyType::Identity);
        let request = Request {
            principal: "arn:aws:iam::111122223333:user/bob".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_account: Some("111122223333".into()),
            context: Vec::new(),
            context_complete: true,
        };
        assert_eq!(
            evaluate(&request, std::slice::from_ref(&identity)).decision,
            Decision::Allowed
        );
        let put = Request {
            action: "s3:PutObject".into(),
            ..request
        };
        let e = evaluate(&put, &[identity]);
        assert_eq!(e.decision, Decision::ImplicitlyDenied);
        assert_eq!(e.denied_by[0].policy_name.as_deref(), Some("dev"));
    }

    #[test]
    fn unreadable_policy_text_is_a_diagnostic() {
        let p = read_policy(&PolicyInput {
            policy_type: Some(PolicyType::Scp),
            name: "x".into(),
            level: Some("root".into()),
            document: "{\"Version\":".into(),
        });
        assert!(!p.usable);
        assert_eq!(p.diagnostics[0].code, "policy.invalid-json");
        assert_eq!(p.diagnostics[0].labels[0].column, 12);
    }
}
