//! The smallest change that would turn a denial into the intended answer.
//!
//! For an implicit deny: one `Allow` statement granting exactly the denied
//! action on the denied resource, for each gate that lacked one (for a
//! cross-account request, both sides). For an explicit deny: the deciding
//! statement and the narrowest change to it — removing this action from it,
//! or an exception for this principal — with a warning that SCP, RCP and
//! permissions boundary denies are usually guardrails owned by someone else.

use super::eval::{Decision, DeniedBy, Evaluation, Request};
use super::parse::ParsedPolicy;
use super::{arn, wildcard};
use crate::diag::Span;
use crate::model::{DenyKind, PolicyType};
use serde::Serialize;
use serde_json::Value;

/// A proposed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// `add-allow`, `change-deny`, or `provide-context`.
    pub kind: String,
    /// One line for people.
    pub summary: String,
    /// The edits, one per policy to change.
    pub changes: Vec<FixChange>,
    /// What to keep in mind before applying them.
    pub warnings: Vec<String>,
}

/// One edit to one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FixChange {
    /// `add-statement`, `remove-action`, `remove-statement`, `add-condition`.
    pub action: String,
    /// Which policy type to edit.
    pub policy_type: PolicyType,
    /// SCP/RCP level.
    pub level: Option<String>,
    /// The policy to edit, when one was given.
    pub policy_name: Option<String>,
    /// Its index in the input.
    pub policy_index: Option<usize>,
    /// The statement to edit (explicit denies).
    pub statement: Option<usize>,
    /// Its span.
    pub span: Option<Span>,
    /// The JSON to add: a statement, a `Condition` block to merge into the
    /// statement, or the statement's new `Action` value.
    pub json: Value,
    /// What the change does, for people.
    pub note: String,
}

fn sid_for(action: &str) -> String {
    let mut s = String::from("Allow");
    let mut upper = true;
    for c in action.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                s.push(c.to_ascii_uppercase());
            } else {
                s.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    s
}

/// The ARN a resource-based policy should name for this principal: the role for
/// a role session (sessions come and go), otherwise the principal itself.
fn principal_to_name(principal: &str) -> String {
    arn::session_role_arn(principal).unwrap_or_else(|| principal.to_owned())
}

/// A JSON object from its entries. Built by hand rather than with `json!`,
/// which converts each value with `serde_json::to_value(..).unwrap()`: that
/// brings a panic path (and the `Debug` formatting of serde_json's error, with
/// its Unicode tables) into the wasm for conversions that cannot fail.
pub(crate) fn object(entries: Vec<(&str, Value)>) -> Value {
    // Inserted one by one: collecting would sort with a stable sort of its own.
    let mut map = serde_json::Map::new();
    for (k, v) in entries {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn allow_statement(t: PolicyType, req: &Request) -> Value {
    let sid = Value::String(sid_for(&req.action));
    let allow = || string("Allow");
    let principal = || match arn::classify_principal(&req.principal) {
        arn::PrincipalKind::Service { name } => object(vec![("Service", string(name))]),
        _ => object(vec![(
            "AWS",
            Value::String(principal_to_name(&req.principal)),
        )]),
    };
    match t {
        PolicyType::Resource => object(vec![
            ("Sid", sid),
            ("Effect", allow()),
            ("Principal", principal()),
            ("Action", string(&req.action)),
            ("Resource", string(&req.resource)),
        ]),
        PolicyType::Trust => object(vec![
            ("Sid", sid),
            ("Effect", allow()),
            ("Principal", principal()),
            ("Action", string(&req.action)),
        ]),
        // In a key policy, "Resource": "*" means this key.
        PolicyType::KmsKey => object(vec![
            ("Sid", sid),
            ("Effect", allow()),
            (
                "Principal",
                object(vec![(
                    "AWS",
                    Value::String(principal_to_name(&req.principal)),
                )]),
            ),
            ("Action", string(&req.action)),
            ("Resource", string("*")),
        ]),
        PolicyType::Rcp | PolicyType::VpcEndpoint => object(vec![
            ("Sid", sid),
            ("Effect", allow()),
            ("Principal", string("*")),
            ("Action", string(&req.action)),
            ("Resource", string(&req.resource)),
        ]),
        _ => object(vec![
            ("Sid", sid),
            ("Effect", allow()),
            ("Action", string(&req.action)),
            ("Resource", string(&req.resource)),
        ]),
    }
}

fn where_words(d: &DeniedBy) -> String {
    let t = super::parse::type_words(d.policy_type);
    match (&d.policy_name, &d.level) {
        (Some(n), Some(l)) => format!("the {t} policy `{n}` at level `{l}`"),
        (Some(n), None) => format!("the {t} policy `{n}`"),
        (None, Some(l)) => format!("a {t} policy at level `{l}`"),
        (None, None) => match d.policy_type {
            PolicyType::Identity => "an identity-based policy attached to the principal".to_owned(),
            _ => format!("the {t} policy"),
        },
    }
}

fn guardrail(t: PolicyType) -> bool {
    matches!(
        t,
        PolicyType::Scp | PolicyType::Rcp | PolicyType::PermissionsBoundary
    )
}

const GUARDRAIL_WARNING: &str = "SCP, RCP and permissions boundary denies are usually deliberate guardrails owned by someone else (the organization or account administrators); ask them before changing one";

/// Proposes a fix for `eval`, or `None` when the request is allowed.
#[must_use]
pub fn propose(req: &Request, policies: &[ParsedPolicy], eval: &Evaluation) -> Option<Fix> {
    match eval.decision {
        Decision::Allowed => None,
        Decision::Unknown => {
            if eval.missing_context.is_empty() {
                return None;
            }
            let keys: Vec<String> = eval
                .missing_context
                .iter()
                .map(|m| format!("`{}`", m.key))
                .collect();
            Some(Fix {
                kind: "provide-context".into(),
                summary: format!("the decision depends on {}; give their values in the request context, or set `contextComplete`", keys.join(", ")),
                changes: Vec::new(),
                warnings: Vec::new(),
            })
        }
        Decision::ImplicitlyDenied => {
            let mut changes = Vec::new();
            let mut warnings = Vec::new();
            for d in eval
                .denied_by
                .iter()
                .filter(|d| d.kind == DenyKind::Implicit)
            {
                let statement = allow_statement(d.policy_type, req);
                let note = format!("add this statement to {}", where_words(d));
                if guardrail(d.policy_type) && !warnings.iter().any(|w| w == GUARDRAIL_WARNING) {
                    warnings.push(GUARDRAIL_WARNING.to_owned());
                }
                changes.push(FixChange {
                    action: "add-statement".into(),
                    policy_type: d.policy_type,
                    level: d.level.clone(),
                    policy_name: d.policy_name.clone(),
                    policy_index: d.policy_index,
                    statement: None,
                    span: None,
                    json: statement,
                    note,
                });
            }
            if eval.same_account == Some(false) && changes.len() > 1 {
                warnings.push("this is a cross-account request: both the principal's account and the resource's account must allow it".into());
            }
            Some(Fix {
                kind: "add-allow".into(),
                summary: format!(
                    "allow `{}` on `{}` in every policy listed",
                    req.action, req.resource
                ),
                changes,
                warnings,
            })
        }
        Decision::ExplicitlyDenied => {
            let mut changes = Vec::new();
            let mut warnings = Vec::new();
            for d in eval
                .denied_by
                .iter()
                .filter(|d| d.kind == DenyKind::Explicit)
            {
                let Some(st) = d
                    .policy_index
                    .and_then(|i| policies.get(i))
                    .and_then(|p| d.statement.and_then(|s| p.statements.get(s)))
                else {
                    continue;
                };
                if guardrail(d.policy_type) && !warnings.iter().any(|w| w == GUARDRAIL_WARNING) {
                    warnings.push(GUARDRAIL_WARNING.to_owned());
                }
                let mut change = FixChange {
                    action: String::new(),
                    policy_type: d.policy_type,
                    level: d.level.clone(),
                    policy_name: d.policy_name.clone(),
                    policy_index: d.policy_index,
                    statement: d.statement,
                    span: d.span,
                    json: Value::Null,
                    note: String::new(),
                };
                // Narrowest first: if the statement names this exact action among
                // others, take it out; otherwise exempt this principal.
                let exact = st.action.as_ref().filter(|a| !a.not).map(|a| {
                    let hits: Vec<&str> = a
                        .values
                        .iter()
                        .filter(|v| wildcard::matches(&v.text, &req.action, true))
                        .map(|v| &*v.text)
                        .collect();
                    (a, hits)
                });
                // A guardrail (SCP, RCP, boundary) applies to every principal it
                // covers and is rarely removed: lead with the narrow exception.
                let exact = if guardrail(d.policy_type) {
                    None
                } else {
                    exact
                };
                match exact {
                    Some((a, hits))
                        if hits.len() == 1
                            && hits.iter().all(|h| h.eq_ignore_ascii_case(&req.action)) =>
                    {
                        let rest: Vec<&str> = a
                            .values
                            .iter()
                            .map(|v| &*v.text)
                            .filter(|v| !v.eq_ignore_ascii_case(&req.action))
                            .collect();
                        if rest.is_empty() {
                            change.action = "remove-statement".into();
                            change.note = format!(
                                "statement {} of `{}` denies only `{}`; remove it",
                                st.index + 1,
                                d.policy_name.as_deref().unwrap_or(""),
                                req.action
                            );
                        } else {
                            change.action = "remove-action".into();
                            change.json = Value::Array(rest.into_iter().map(string).collect());
                            change.note =
                                format!("remove `{}` from the statement's `Action`", req.action);
                        }
                    }
                    _ => {
                        let who = principal_to_name(&req.principal);
                        change.action = "add-condition".into();
                        change.json = object(vec![(
                            "ArnNotEquals",
                            object(vec![("aws:PrincipalArn", string(&who))]),
                        )]);
                        let mut note = format!("exempt `{who}` from the deny with this condition (merge it into the statement's `Condition`)");
                        if guardrail(d.policy_type) {
                            note.push_str("; this is the narrow change: the statement is a guardrail that applies to every principal it covers, so removing it or its action would lift it for all of them, which is why guardrails are rarely removed");
                        }
                        if arn::session_role_arn(&req.principal).is_some() {
                            note.push_str("; if the role has a path, write it in the ARN (`role/PATH/NAME`): a session ARN does not show it");
                        }
                        change.note = note;
                    }
                }
                changes.push(change);
            }
            Some(Fix {
                kind: "change-deny".into(),
                summary: format!(
                    "an explicit deny decided; change the deciding statement{} or ask its owner",
                    if changes.len() > 1 { "s" } else { "" }
                ),
                changes,
                warnings,
            })
        }
    }
}
