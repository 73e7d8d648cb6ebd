//! Evaluating one request against a set of policies, the way the IAM User
//! Guide's "Policy evaluation logic" pages describe it, and recording why.
//!
//! The work has two phases. First every statement is matched once against the
//! request: action, resource, principal and each condition. Each part is true,
//! false, or — when it depends on context the request did not supply, or on
//! something the engine cannot evaluate — an *unknown*, numbered. Second, the
//! decision is combined from the statements' results following the documented
//! order (explicit deny; RCPs; SCPs; the resource-based policy; identity-based
//! policies, the permissions boundary and the session policy; with the VPC
//! endpoint policy as one more gate). With unknowns, the combination runs once
//! per assignment of true/false to them (at most [`MAX_UNKNOWNS`] of them), and
//! the decision is known only if every assignment gives the same one.

use super::adapt::{self, Substituted, VarValue};
use super::arn::{self, PrincipalKind as PK};
use super::parse::{
    Effect, ParsedPolicy, PrincipalBlock, PrincipalEntry, PrincipalKind, Statement,
};
use super::wildcard;
use crate::diag::Span;
use crate::model::{DenyKind, PolicyType};
use serde::Serialize;
use std::borrow::Cow;
use std::rc::Rc;

/// Beyond this many unknown conditions the decision is `Unknown` without
/// enumerating the outcomes (2^10 combinations of a cheap function).
pub const MAX_UNKNOWNS: usize = 10;

/// The most statements a result's `trace` lists. Past it, the trace keeps the
/// statements that apply or might, then those whose `Action` matched, and an
/// `eval.trace-trimmed` note says how many were left out: a paste of a hundred
/// denials against a policy of ten thousand statements would otherwise keep a
/// million traces (issue 11).
pub const MAX_TRACE: usize = 1000;

/// The request being decided.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// Who made it: a user, role, assumed-role session, federated user, root,
    /// service principal, or `*` / `anonymous` for an unauthenticated caller.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN (for `sts:AssumeRole`, the role's ARN).
    pub resource: String,
    /// The account that owns the resource, when the ARN does not say.
    pub resource_account: Option<String>,
    /// Request context keys, as given. `None` values are keys given as `null`:
    /// absent from the request.
    pub context: Vec<(String, Option<Vec<String>>)>,
    /// Whether keys not listed are absent (`true`) or unknown (`false`).
    pub context_complete: bool,
}

/// The final answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Decision {
    /// Every applicable gate allowed and nothing denied.
    Allowed,
    /// A `Deny` statement applied.
    ExplicitlyDenied,
    /// Some gate had no applicable `Allow`.
    ImplicitlyDenied,
    /// The answer depends on something not known or not evaluated.
    Unknown,
}

impl Decision {
    /// The JSON name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
            Decision::Unknown => "Unknown",
        }
    }
}

/// A statement or gate that decided a denial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeniedBy {
    /// The policy type.
    pub policy_type: PolicyType,
    /// The SCP or RCP level, for those types.
    pub level: Option<String>,
    /// The policy's name; for an implicit deny, set when exactly one policy of
    /// the type (and level) was given.
    pub policy_name: Option<String>,
    /// Index of that policy in the input.
    pub policy_index: Option<usize>,
    /// The statement's `Sid` (explicit denies).
    pub sid: Option<String>,
    /// 0-based statement index (explicit denies), for programs.
    pub statement: Option<usize>,
    /// The same statement numbered from 1, as people count ("statement 1" is
    /// the first).
    pub statement_number: Option<usize>,
    /// The statement's span in the text it came from (explicit denies).
    pub span: Option<Span>,
    /// `explicit` or `implicit`.
    pub kind: DenyKind,
    /// Stable code: `eval.explicit-deny`, `eval.no-matching-allow`,
    /// `eval.no-policy-of-type` (identity side or resource side missing entirely).
    pub code: std::borrow::Cow<'static, str>,
}

/// What one policy type (or SCP/RCP level) said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeOutcome {
    /// An applicable `Allow` and no applicable `Deny`.
    Allow,
    /// An applicable `Deny`.
    ExplicitDeny,
    /// No applicable statement.
    NoAllow,
    /// Depends on unknowns.
    Unknown,
    /// Given but not applied to this request (SCPs for a service-linked role).
    NotApplicable,
}

/// The result of one policy type (or level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeResult {
    /// The policy type.
    pub policy_type: PolicyType,
    /// The level, for SCPs and RCPs.
    pub level: Option<Rc<str>>,
    /// What it said.
    pub result: TypeOutcome,
    /// Names of the policies of this type (and level).
    pub policies: Vec<Rc<str>>,
}

/// Tri-state result of matching one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// Matched.
    Yes,
    /// Did not match.
    No,
    /// Depends on something unknown.
    Unknown,
    /// Not evaluated, because an earlier element already failed.
    Skipped,
}

/// How `Action`, `Resource` or `Principal` of a statement matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementTrace {
    /// The result.
    pub matched: Match,
    /// The policy value that matched (for `Not*` elements: the one that excluded).
    pub by: Option<Rc<str>>,
    /// The values after policy-variable substitution, when any were substituted.
    pub resolved: Vec<String>,
    /// Why, when not obvious (an unresolved variable, a principal facet).
    pub note: Option<std::borrow::Cow<'static, str>>,
}

/// How one condition test evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    /// The operator as written.
    pub operator: Rc<str>,
    /// The key as written.
    pub key: Rc<str>,
    /// The policy's values after variable substitution (recorded when the
    /// test failed or is unknown; empty when it held or was skipped).
    pub policy_values: Vec<String>,
    /// The request's values; `null` when the key is absent or unknown, or the
    /// test held or was skipped.
    pub request_values: Option<Vec<String>>,
    /// Whether the key was known (given, derived, or absent with complete context).
    pub key_known: bool,
    /// The result.
    pub result: Match,
    /// Why, when not obvious.
    pub note: Option<String>,
    /// Where the test is.
    pub span: Span,
    /// The operator and key already written as JSON, when they came from a
    /// parsed policy (used by the `--batch` writer only when they are still
    /// these very `operator` and `key`).
    #[serde(skip)]
    pub head: Option<Rc<super::write::ConditionHead>>,
}

/// How one statement matched the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    /// The policy type.
    pub policy_type: PolicyType,
    /// Index of the policy in the input (its name and level are in the
    /// result's `policies`).
    pub policy_index: usize,
    /// 0-based statement index.
    pub statement: usize,
    /// `Sid`.
    pub sid: Option<Rc<str>>,
    /// `Allow`, `Deny`, or `null` when unreadable.
    pub effect: Option<&'static str>,
    /// Span of the statement.
    pub span: Span,
    /// Whether the statement applies to the request.
    pub applies: Match,
    /// `Action` / `NotAction`.
    pub action: ElementTrace,
    /// `Resource` / `NotResource`.
    pub resource: ElementTrace,
    /// `Principal` / `NotPrincipal`, for policy types that have it.
    pub principal: Option<ElementTrace>,
    /// Each condition test.
    pub conditions: Vec<ConditionTrace>,
    /// `sid` and `effect` already written as JSON, when they came from a
    /// parsed policy (used by the `--batch` writer only when they still match).
    #[serde(skip)]
    pub head: Option<Rc<super::write::StatementHead>>,
}

/// Something the engine could not evaluate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unevaluated {
    /// Stable code: `eval.unknown-operator`, `eval.unreadable-statement`,
    /// `eval.unreadable-policy`, `eval.resource-account-unknown`,
    /// `eval.too-many-unknowns`, `eval.scp-not-applied`,
    /// `eval.service-specific`.
    pub code: std::borrow::Cow<'static, str>,
    /// What, for people.
    pub message: std::borrow::Cow<'static, str>,
    /// The policy concerned, by index in the input.
    pub policy_index: Option<usize>,
    /// The statement concerned.
    pub statement: Option<usize>,
    /// Where.
    pub span: Option<Span>,
    /// Whether the decision depends on it.
    pub matters: bool,
}

/// One condition whose truth depends on a context key the request did not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionOutcome {
    /// The test in one line: `IpAddress aws:SourceIp 10.0.0.0/8`.
    pub condition: String,
    /// The operator as written.
    pub operator: String,
    /// The policy's values.
    pub values: Vec<String>,
    /// The policy it is in, by index.
    pub policy_index: usize,
    /// The policy's name.
    pub policy_name: String,
    /// The policy's type.
    pub policy_type: PolicyType,
    /// The statement.
    pub statement: usize,
    /// Its `Sid`.
    pub sid: Option<String>,
    /// The decision if the test holds for the real request.
    pub when_true: Decision,
    /// The decision if it does not hold (including the key being absent, for
    /// operators that are false on an absent key).
    pub when_false: Decision,
}

/// A context key the decision depends on, and how.
///
/// Read an entry as: "`{when_true}` if `{key}` satisfies `{condition}`,
/// otherwise `{when_false}`" — for example "Allowed if `aws:SourceIp`
/// satisfies `IpAddress aws:SourceIp 10.0.0.0/8`, otherwise ImplicitlyDenied".
/// When several unknown tests exist, `when_true`/`when_false` are the decision
/// over every combination of the others, or `Unknown` if those disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingContext {
    /// The key as first written in a policy.
    pub key: String,
    /// The tests that read it.
    pub outcomes: Vec<ConditionOutcome>,
}

/// A value the engine filled in that the input did not state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assumption {
    /// Stable code: `assume.derived-key` (a context key AWS sets, filled in
    /// from the principal or resource ARN by a documented rule),
    /// `assume.absent-key` (a key AWS does not set for this request),
    /// `assume.resource-account` (the resource's account read from its ARN),
    /// `assume.policy-type` (a policy's type guessed from its document).
    pub code: Cow<'static, str>,
    /// What was filled in: the context key, or the policy's name.
    pub subject: String,
    /// The value used (`null` for a key taken as absent).
    pub value: Option<String>,
    /// Where the value comes from, for people.
    pub basis: Cow<'static, str>,
    /// `derived` (follows from the input by a documented rule) or `guessed`
    /// (could be wrong).
    pub certainty: &'static str,
    /// For a guess: whether the decision would differ if it were wrong. A guess
    /// that matters never leaves the decision `Allowed` (it becomes `Unknown`).
    pub matters: bool,
}

/// The full result of evaluating a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// What decided a denial.
    pub denied_by: Vec<DeniedBy>,
    /// The result of each policy type that was given.
    pub by_policy_type: Vec<TypeResult>,
    /// Every statement, matched against the request.
    pub trace: Vec<StatementTrace>,
    /// Context the decision depends on.
    pub missing_context: Vec<MissingContext>,
    /// What could not be evaluated.
    pub unevaluated: Vec<Unevaluated>,
    /// Whether the principal and the resource are in the same account, if known.
    pub same_account: Option<bool>,
    /// What the engine filled in that the input did not state.
    pub assumed: Vec<Assumption>,
}

// ---------------------------------------------------------------------------
// Request context

/// Result of looking a key up.
#[derive(Clone, Copy)]
enum Look<'a> {
    Present(&'a [String]),
    Absent,
    Unknown,
}

/// A context key and its values, borrowed from the request where possible.
type CtxEntry<'a> = (Cow<'a, str>, Option<CtxValues<'a>>);

/// A context key's values: the request's own, or one derived value.
enum CtxValues<'a> {
    Given(&'a [String]),
    Derived(String),
    /// A key AWS sets but whose value the input does not determine (for a role
    /// session, `aws:PrincipalArn` carries the role's path, which the session
    /// ARN does not): unknown even when the context is complete.
    Undetermined,
}

impl CtxValues<'_> {
    fn as_slice(&self) -> &[String] {
        match self {
            CtxValues::Given(v) => v,
            CtxValues::Derived(v) => std::slice::from_ref(v),
            CtxValues::Undetermined => &[],
        }
    }
}

struct Ctx<'a> {
    /// (lowercased key, values or `None` for absent), given keys first, then derived.
    entries: Vec<CtxEntry<'a>>,
    /// How many of `entries` the request gave.
    given: usize,
    complete: bool,
}

impl<'a> Ctx<'a> {
    fn new(req: &'a Request, principal: &PK<'_>, resource_account: Option<&str>) -> Self {
        let mut entries: Vec<CtxEntry<'a>> = Vec::with_capacity(req.context.len() + 8);
        entries.extend(req.context.iter().map(|(k, v)| {
            // Keys already in lowercase (the usual case) are borrowed.
            let key = if k.bytes().any(|b| b.is_ascii_uppercase()) || !k.is_ascii() {
                Cow::Owned(super::condition::canonical_key(k))
            } else {
                Cow::Borrowed(k.as_str())
            };
            (key, v.as_deref().map(CtxValues::Given))
        }));
        // Global condition context keys AWS derives from the principal itself
        // (IAM User Guide, "AWS global condition context keys"): filled in when the
        // request does not give them, in both modes.
        let via_endpoint = entries
            .iter()
            .any(|(k, v)| (k == "aws:sourcevpce" || k == "aws:sourcevpc") && v.is_some());
        let mut derive = |key: &'static str, value: Option<String>| {
            if !entries.iter().any(|(k, _)| k == key) {
                entries.push((Cow::Borrowed(key), value.map(CtxValues::Derived)));
            }
        };
        match *principal {
            PK::User {
                partition,
                account,
                name,
            } => {
                derive("aws:principalarn", Some(req.principal.clone()));
                derive("aws:principalaccount", Some(account.to_owned()));
                derive("aws:principaltype", Some("User".into()));
                derive("aws:username", Some(name.to_owned()));
                derive("aws:principalisawsservice", Some("false".into()));
                let _ = partition;
            }
            PK::AssumedRole { account, .. } => {
                // For a role session, aws:PrincipalArn is the role's ARN with its
                // path, not the session's ("AWS global condition context keys").
                // The session ARN does not carry the path, so the value is not
                // known unless the context gives it (pushed as undetermined below).
                derive("aws:principalaccount", Some(account.to_owned()));
                derive("aws:principaltype", Some("AssumedRole".into()));
                // aws:username is not present for role sessions.
                derive("aws:username", None);
                derive("aws:principalisawsservice", Some("false".into()));
            }
            PK::Role { account, .. } => {
                derive("aws:principalarn", Some(req.principal.clone()));
                derive("aws:principalaccount", Some(account.to_owned()));
                derive("aws:principaltype", Some("AssumedRole".into()));
                derive("aws:username", None);
                derive("aws:principalisawsservice", Some("false".into()));
            }
            PK::FederatedUser { account, name, .. } => {
                derive("aws:principalarn", Some(req.principal.clone()));
                derive("aws:principalaccount", Some(account.to_owned()));
                derive("aws:principaltype", Some("FederatedUser".into()));
                derive("aws:userid", Some(format!("{account}:{name}")));
                derive("aws:username", None);
                derive("aws:principalisawsservice", Some("false".into()));
            }
            PK::AccountRoot { account, .. } | PK::Account { account } => {
                derive(
                    "aws:principalarn",
                    Some(format!("arn:aws:iam::{account}:root")),
                );
                derive("aws:principalaccount", Some(account.to_owned()));
                derive("aws:principaltype", Some("Account".into()));
                derive("aws:userid", Some(account.to_owned()));
                derive("aws:username", None);
                derive("aws:principalisawsservice", Some("false".into()));
            }
            PK::Service { .. } => {
                derive("aws:principalisawsservice", Some("true".into()));
                derive("aws:principalarn", None);
                derive("aws:principalaccount", None);
            }
            PK::Everyone => {
                derive("aws:principaltype", Some("Anonymous".into()));
                derive("aws:principalarn", None);
                derive("aws:principalaccount", None);
                derive("aws:username", None);
                derive("aws:userid", None);
            }
            _ => {}
        }
        if let Some(acct) = resource_account {
            derive("aws:resourceaccount", Some(acct.to_owned()));
        }
        // kms:CallerAccount is the account of the caller (AWS KMS Developer
        // Guide, "kms:CallerAccount"), which the principal ARN carries.
        if req
            .action
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("kms:"))
        {
            if let Some(acct) = arn::principal_account(&req.principal) {
                derive("kms:calleraccount", Some(acct.to_owned()));
            }
        }
        // A request through a VPC endpoint has no aws:SourceIp ("AWS global
        // condition context keys", aws:SourceIp): given aws:SourceVpce or
        // aws:SourceVpc, the key is absent.
        if via_endpoint {
            derive("aws:sourceip", None);
        }
        if matches!(principal, PK::AssumedRole { .. })
            && !entries.iter().any(|(k, _)| k == "aws:principalarn")
        {
            entries.push((
                Cow::Borrowed("aws:principalarn"),
                Some(CtxValues::Undetermined),
            ));
        }
        Ctx {
            entries,
            given: req.context.len(),
            complete: req.context_complete,
        }
    }

    /// The keys the engine filled in, as assumptions.
    fn assumptions(&self, resource_account_given: bool) -> Vec<Assumption> {
        self.entries
            .iter()
            .skip(self.given)
            .filter_map(|(k, v)| {
                let (code, value, basis): (&'static str, Option<String>, &'static str) = match v {
                    Some(CtxValues::Undetermined) => return None,
                    Some(v) => {
                        let value = v.as_slice().join(", ");
                        if k == "aws:resourceaccount" {
                            (
                                "assume.derived-key",
                                Some(value),
                                if resource_account_given {
                                    "from `resourceAccount`"
                                } else {
                                    "from the resource ARN"
                                },
                            )
                        } else {
                            ("assume.derived-key", Some(value), "from the principal ARN")
                        }
                    }
                    None if k == "aws:sourceip" => {
                        ("assume.absent-key", None, "absent through a VPC endpoint")
                    }
                    None => (
                        "assume.absent-key",
                        None,
                        "not set for this kind of principal",
                    ),
                };
                Some(Assumption {
                    code: code.into(),
                    subject: k.to_string(),
                    value,
                    basis: basis.into(),
                    certainty: "derived",
                    matters: false,
                })
            })
            .collect()
    }

    fn look(&self, key_lower: &str) -> Look<'_> {
        match self.entries.iter().find(|(k, _)| k == key_lower) {
            Some((_, Some(CtxValues::Undetermined))) => Look::Unknown,
            Some((_, Some(v))) => Look::Present(v.as_slice()),
            Some((_, None)) => Look::Absent,
            None if self.complete => Look::Absent,
            None => Look::Unknown,
        }
    }

    fn var(&self, key_lower: &str) -> VarValue<'_> {
        match self.look(key_lower) {
            Look::Present(v) => VarValue::Present(v),
            Look::Absent => VarValue::Absent,
            Look::Unknown => VarValue::Unknown,
        }
    }
}

// ---------------------------------------------------------------------------
// Unknowns

#[derive(Debug, Clone)]
struct Unknown {
    /// Identity for deduplication: the same test written twice is one unknown.
    identity: String,
    /// Keys it depends on (as written).
    keys: Vec<String>,
    condition: String,
    operator: String,
    values: Vec<String>,
    policy: usize,
    statement: usize,
    /// Whether it stands for a missing context key (as opposed to something the
    /// engine cannot evaluate).
    context: bool,
}

impl Unknown {
    /// Something about the request or the policies the engine cannot settle
    /// that depends on no context key: a policy it could not read, a guessed
    /// account, a missing trust or key policy, a principal reading it cannot
    /// make. `policy` and `statement` say where it stands.
    fn structural(identity: String, condition: String, policy: usize, statement: usize) -> Self {
        Unknown {
            identity,
            keys: Vec::new(),
            condition,
            operator: String::new(),
            values: Vec::new(),
            policy,
            statement,
            context: false,
        }
    }
}

#[derive(Default)]
struct Unknowns {
    list: Vec<Unknown>,
}

impl Unknowns {
    fn add(&mut self, u: Unknown) -> usize {
        if let Some(i) = self.list.iter().position(|x| x.identity == u.identity) {
            return i;
        }
        self.list.push(u);
        self.list.len() - 1
    }
}

/// How strongly a resource-side `Allow` names the caller (IAM User Guide,
/// "Policy evaluation logic", resource-based policies within one account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// Names the account (`123456789012` or `arn:aws:iam::123456789012:root`):
    /// delegates to the account's identity-based policies.
    Account,
    /// Names the role of a role session: grants without an identity-based
    /// allow, but an implicit deny in the permissions boundary or the session
    /// policy still applies.
    Role,
    /// Names the user, the session, or everyone (`*`): grants on its own.
    Direct,
}

/// A statement's match, before unknowns are assigned.
struct StmtState {
    policy: usize,
    statement: usize,
    effect: Effect,
    /// `false` when some part definitely did not match.
    possible: bool,
    /// Unknowns that must all be true for it to apply.
    needs: Vec<usize>,
    strength: Strength,
}

impl StmtState {
    fn applies(&self, assign: u32) -> bool {
        self.possible && self.needs.iter().all(|&i| bit(assign, i))
    }
}

/// Whether unknown `i` is true in `assign`. An unknown past the 32 bits of an
/// assignment reads as false: assignments are enumerated only when there are
/// at most [`MAX_UNKNOWNS`] unknowns, and past that only the all-false
/// assignment is evaluated (see `evaluate_policies`), so no index ever wraps
/// onto another unknown's bit.
fn bit(assign: u32, i: usize) -> bool {
    u32::try_from(i)
        .ok()
        .and_then(|i| 1u32.checked_shl(i))
        .is_some_and(|b| assign & b != 0)
}

// ---------------------------------------------------------------------------
// Matching

fn facets_covered(block: &PrincipalBlock, principal: &str, kind: &PK<'_>) -> bool {
    // NotPrincipal (IAM User Guide, "AWS JSON policy elements: NotPrincipal"): a
    // principal is excluded only if the list names it in every form AWS checks —
    // the account, and for a session also the role and the session.
    // `"*"` names every principal in every form: "denied to all principals
    // except for the ones specified" then leaves no one.
    if block.entries.iter().any(PrincipalEntry::names_everyone) {
        return true;
    }
    let names = |pred: &dyn Fn(&str) -> bool| {
        block
            .entries
            .iter()
            .any(|e| e.kind == PrincipalKind::Aws && pred(&e.value.text))
            || block
                .entries
                .iter()
                .any(|e| e.kind != PrincipalKind::Aws && &*e.value.text == principal)
    };
    let account_named = |account: &str| {
        names(
            &|v: &str| matches!(arn::classify_principal(v), PK::Account { account: a } | PK::AccountRoot { account: a, .. } if a == account),
        )
    };
    match *kind {
        PK::AssumedRole { account, role, .. } => {
            account_named(account)
                && names(&|v: &str| v == principal)
                && names(
                    &|v: &str| matches!(arn::classify_principal(v), PK::Role { account: a, name, .. } if a == account && name == role),
                )
        }
        PK::User { account, .. } | PK::FederatedUser { account, .. } => {
            account_named(account) && names(&|v: &str| v == principal)
        }
        PK::AccountRoot { account, .. } | PK::Account { account } => account_named(account),
        _ => names(&|v: &str| v == principal),
    }
}

/// Whether a `Principal` block names the caller, and how strongly.
fn principal_match(
    block: &PrincipalBlock,
    principal: &str,
    kind: &PK<'_>,
) -> (bool, Strength, Option<Rc<str>>) {
    let everyone = (
        true,
        if matches!(kind, PK::AssumedRole { .. } | PK::Role { .. }) {
            Strength::Role
        } else {
            Strength::Direct
        },
    );
    let mut best: Option<(Strength, &Rc<str>)> = None;
    for e in &block.entries {
        let v: &str = &e.value.text;
        let (hit, strength) = match e.kind {
            // `*` names no session in particular. A grant to the role (not to
            // the session ARN) is limited by the session policy and the
            // boundary ("Session policies": permissions from a resource-based
            // policy that names the session's ARN are not limited by the
            // session policy; ones that name the role are); `*` is read as the
            // limited case, so that a session policy without an Allow is never
            // bypassed on a guess (issue 9, differential run). `{"AWS": "*"}`
            // is the same principal (the Principal page: "equivalent").
            PrincipalKind::Everyone => everyone,
            PrincipalKind::Aws if e.names_everyone() => everyone,
            PrincipalKind::Aws => {
                if !arn::principal_matches(v, principal) {
                    (false, Strength::Direct)
                } else {
                    let s = match arn::classify_principal(v) {
                        PK::Account { .. } | PK::AccountRoot { .. } => {
                            if matches!(kind, PK::AccountRoot { .. }) {
                                Strength::Direct
                            } else {
                                Strength::Account
                            }
                        }
                        // A role never makes a request itself; its sessions do.
                        // A role ARN given as the caller is read as "some
                        // session of this role" (IAM User Guide, "Policy
                        // evaluation logic").
                        PK::Role { .. }
                            if matches!(kind, PK::AssumedRole { .. } | PK::Role { .. }) =>
                        {
                            Strength::Role
                        }
                        _ => Strength::Direct,
                    };
                    (true, s)
                }
            }
            PrincipalKind::Service => (v.eq_ignore_ascii_case(principal), Strength::Direct),
            PrincipalKind::Federated | PrincipalKind::CanonicalUser => {
                (v == principal, Strength::Direct)
            }
        };
        if hit && best.as_ref().map_or(true, |(s, _)| strength > *s) {
            best = Some((strength, &e.value.text));
        }
    }
    match best {
        Some((s, by)) => (true, s, Some(Rc::clone(by))),
        None => (false, Strength::Direct, None),
    }
}

fn describe_condition(op: &str, key: &str, values: &[String]) -> String {
    format!("{op} {key} {}", values.join(", "))
}

struct Evaluator<'a> {
    req: &'a Request,
    kind: PK<'a>,
    ctx: Ctx<'a>,
    unknowns: Unknowns,
    has_boundary: bool,
}

impl Evaluator<'_> {
    /// For a federated-user caller: the first IAM user of its account the
    /// block names, who may be the user that federated.
    fn federating_user(&self, block: &PrincipalBlock) -> Option<Rc<str>> {
        let PK::FederatedUser { account, .. } = self.kind else {
            return None;
        };
        block
            .entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Aws)
            .find(|e| matches!(arn::classify_principal(&e.value.text), PK::User { account: a, .. } if a == account))
            .map(|e| Rc::clone(&e.value.text))
    }

    fn statement(
        &mut self,
        pi: usize,
        p: &ParsedPolicy,
        st: &Statement,
        states: &mut Vec<StmtState>,
    ) -> StatementTrace {
        let mut trace = StatementTrace {
            policy_type: p.policy_type,
            policy_index: pi,
            statement: st.index,
            sid: st.sid.clone(),
            effect: st.effect.map(Effect::as_str),
            head: st.head.clone(),
            span: p.text_span(st.span),
            applies: Match::No,
            action: ElementTrace {
                matched: Match::Skipped,
                by: None,
                resolved: Vec::new(),
                note: None,
            },
            resource: ElementTrace {
                matched: Match::Skipped,
                by: None,
                resolved: Vec::new(),
                note: None,
            },
            principal: None,
            conditions: Vec::with_capacity(st.conditions.len()),
        };
        if st.broken || !p.usable {
            // The statement cannot be read as written: whether it applies is unknown,
            // and so is its effect when `Effect` itself is unreadable.
            let effects: &[Effect] = match st.effect {
                Some(Effect::Allow) => &[Effect::Allow],
                Some(Effect::Deny) => &[Effect::Deny],
                None => &[Effect::Allow, Effect::Deny],
            };
            for &effect in effects {
                let u = self.unknowns.add(Unknown::structural(
                    format!("broken:{pi}:{}:{effect:?}", st.index),
                    format!(
                        "statement {} of `{}` applies as {effect:?}",
                        st.index + 1,
                        p.name
                    ),
                    pi,
                    st.index,
                ));
                states.push(StmtState {
                    policy: pi,
                    statement: st.index,
                    effect,
                    possible: true,
                    needs: vec![u],
                    strength: Strength::Account,
                });
            }
            trace.applies = Match::Unknown;
            return trace;
        }
        let Some(effect) = st.effect else {
            return trace;
        };
        let mut needs: Vec<usize> = Vec::new();
        let mut possible = true;

        // Action: case-insensitive, `*` and `?` (IAM JSON policy elements: Action).
        if let Some(a) = &st.action {
            let hit = a
                .values
                .iter()
                .find(|v| wildcard::matches(&v.text, &self.req.action, true));
            let matched = hit.is_some() != a.not;
            trace.action = ElementTrace {
                matched: if matched { Match::Yes } else { Match::No },
                by: hit.map(|h| h.text.clone()),
                resolved: Vec::new(),
                note: None,
            };
            possible &= matched;
        }

        // Resource: ARN segments, case-sensitive; variables substituted with 2012-10-17.
        match &st.resource {
            None => {
                trace.resource = ElementTrace {
                    matched: Match::Yes,
                    by: None,
                    resolved: Vec::new(),
                    note: Some("no `Resource` element: the policy's own resource".into()),
                };
            }
            Some(r) => {
                let mut hit: Option<Rc<str>> = None;
                let mut unknown_keys: Vec<String> = Vec::new();
                let mut resolved = Vec::new();
                let mut notes = Vec::new();
                for v in &r.values {
                    let (text, literal): (std::borrow::Cow<'_, str>, Vec<usize>) =
                        if p.variables_enabled && v.text.contains("${") {
                            match adapt::substitute(&v.text, &|k| self.ctx.var(k)) {
                                Substituted::Text(t, l) => (t.into(), l),
                                Substituted::Missing(k) => {
                                    notes.push(format!(
                                        "`{}` does not match: `{k}` is not in the request",
                                        v.text
                                    ));
                                    continue;
                                }
                                Substituted::Unknown(k) => {
                                    unknown_keys.push(k);
                                    continue;
                                }
                            }
                        } else {
                            (std::borrow::Cow::Borrowed(&*v.text), Vec::new())
                        };
                    if *text != *v.text {
                        resolved.push(text.to_string());
                    }
                    if arn::resource_matches_with_literals(&text, &literal, &self.req.resource) {
                        hit = Some(v.text.clone());
                        break;
                    }
                }
                let m = if hit.is_some() {
                    if r.not {
                        Match::No
                    } else {
                        Match::Yes
                    }
                } else if !unknown_keys.is_empty() {
                    Match::Unknown
                } else if r.not {
                    Match::Yes
                } else {
                    Match::No
                };
                if m == Match::Unknown {
                    unknown_keys.dedup();
                    let u = self.unknowns.add(Unknown {
                        identity: format!("res:{pi}:{}", st.index),
                        keys: unknown_keys.clone(),
                        condition: format!(
                            "{} matches `{}`",
                            if r.not { "NotResource" } else { "Resource" },
                            self.req.resource
                        ),
                        operator: if r.not {
                            "NotResource".into()
                        } else {
                            "Resource".into()
                        },
                        values: r.values.iter().map(|v| v.text.to_string()).collect(),
                        policy: pi,
                        statement: st.index,
                        context: true,
                    });
                    needs.push(u);
                    notes.push(format!(
                        "depends on {}",
                        unknown_keys
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                possible &= m != Match::No;
                trace.resource = ElementTrace {
                    matched: m,
                    by: hit,
                    resolved,
                    note: if notes.is_empty() {
                        None
                    } else {
                        Some(notes.join("; ").into())
                    },
                };
            }
        }

        // Principal, for the policy types that name one.
        let mut strength = Strength::Direct;
        if super::parse::uses_principal(p.policy_type) {
            match &st.principal {
                Some(block) => {
                    let (m, by, note) = if block.not {
                        // A Deny with NotPrincipal always applies to a principal that has a
                        // permissions boundary (IAM User Guide, "Permissions boundaries").
                        if effect == Effect::Deny && self.has_boundary {
                            (true, None, Some("`Deny` with `NotPrincipal` applies to every principal with a permissions boundary".into()))
                        } else if effect != Effect::Deny {
                            // `Allow` with `NotPrincipal` is not supported by AWS ("AWS
                            // JSON policy elements: NotPrincipal"); where it was accepted it
                            // granted every principal except those listed. A caller that
                            // the list names in any form (the principal itself, its
                            // account, or for a session its role) gets nothing from it, so
                            // the engine never turns such a statement into a grant for them.
                            let (named, _, by) =
                                principal_match(block, &self.req.principal, &self.kind);
                            (
                                !named,
                                by,
                                if named {
                                    Some("excluded by `NotPrincipal`".into())
                                } else {
                                    None
                                },
                            )
                        } else {
                            let covered = facets_covered(block, &self.req.principal, &self.kind);
                            (
                                !covered,
                                None,
                                if covered {
                                    Some("excluded by `NotPrincipal`".into())
                                } else {
                                    None
                                },
                            )
                        }
                    } else {
                        let (m, s, by) = principal_match(block, &self.req.principal, &self.kind);
                        // A user named in a role's trust policy still needs its
                        // permissions boundary to allow `sts:AssumeRole`
                        // (IAM User Guide, "Update a role trust policy": "If a
                        // permissions boundary is set for the user, then it must
                        // allow the sts:AssumeRole action.").
                        strength = if p.policy_type == PolicyType::Trust
                            && s == Strength::Direct
                            && matches!(self.kind, PK::User { .. })
                        {
                            Strength::Role
                        } else {
                            s
                        };
                        (m, by, None)
                    };
                    // A federated user (GetFederationToken) was created by an IAM
                    // user whose name the federated user's ARN does not carry
                    // (the caller chose that name): a grant naming an IAM user of
                    // the same account may be a grant to the user who federated.
                    let federating = if m || block.not {
                        None
                    } else {
                        self.federating_user(block)
                    };
                    if let Some(user) = federating {
                        let u = self.unknowns.add(Unknown::structural(
                            format!("federated:{pi}:{}", st.index),
                            format!(
                                "`{user}` is the IAM user who created the federated user session"
                            ),
                            pi,
                            st.index,
                        ));
                        needs.push(u);
                        strength = Strength::Role;
                        trace.principal = Some(ElementTrace {
                            matched: Match::Unknown,
                            by: Some(user),
                            resolved: Vec::new(),
                            note: Some("names an IAM user who may be the one that created this federated user session".into()),
                        });
                    } else {
                        trace.principal = Some(ElementTrace {
                            matched: if m { Match::Yes } else { Match::No },
                            by,
                            resolved: Vec::new(),
                            note,
                        });
                        possible &= m;
                    }
                }
                None => {
                    trace.principal = Some(ElementTrace {
                        matched: Match::Yes,
                        by: None,
                        resolved: Vec::new(),
                        note: Some("no `Principal` element".into()),
                    });
                }
            }
        }

        // Conditions: all tests must hold (AND); values within one test are OR'd
        // by the operator (IAM JSON policy elements: Condition).
        for c in &st.conditions {
            if !possible {
                trace.conditions.push(ConditionTrace {
                    operator: c.operator.text.clone(),
                    key: c.key.text.clone(),
                    policy_values: Vec::new(),
                    request_values: None,
                    key_known: false,
                    result: Match::Skipped,
                    note: None,
                    span: p.text_span(c.span),
                    head: Some(c.head.clone()),
                });
                continue;
            }
            let ct = self.condition(pi, p, st, c, &mut needs);
            if ct.result == Match::No {
                possible = false;
            }
            trace.conditions.push(ct);
        }
        trace.applies = if !possible {
            Match::No
        } else if needs.is_empty() {
            Match::Yes
        } else {
            Match::Unknown
        };
        if possible {
            // `Principal: "*"` and a role session (or a role ARN as caller): the
            // documentation says a grant naming the session's ARN is not limited
            // by the session policy or the boundary and one naming the role is,
            // but not which `*` is. Both readings are kept: the limited one, and
            // the unlimited one under an unknown (the decision is Unknown when
            // they differ).
            let wildcard_session = effect == Effect::Allow
                && strength == Strength::Role
                && matches!(self.kind, PK::AssumedRole { .. } | PK::Role { .. })
                && st.principal.as_ref().is_some_and(|b| {
                    !b.not && b.entries.iter().any(PrincipalEntry::names_everyone)
                });
            if wildcard_session {
                let u = self.unknowns.add(Unknown::structural(format!("wildcard-session:{pi}:{}", st.index), format!(
                        "statement {} of `{}` grants with `Principal: \"*\"` as if it named the session's own ARN",
                        st.index + 1,
                        p.name
                    ), pi, st.index));
                let mut direct = needs.clone();
                direct.push(u);
                states.push(StmtState {
                    policy: pi,
                    statement: st.index,
                    effect,
                    possible,
                    needs: direct,
                    strength: Strength::Direct,
                });
            }
            states.push(StmtState {
                policy: pi,
                statement: st.index,
                effect,
                possible,
                needs,
                strength,
            });
        }
        trace
    }

    fn condition(
        &mut self,
        pi: usize,
        p: &ParsedPolicy,
        st: &Statement,
        c: &super::parse::ConditionEntry,
        needs: &mut Vec<usize>,
    ) -> ConditionTrace {
        let mut ct = ConditionTrace {
            operator: c.operator.text.clone(),
            key: c.key.text.clone(),
            policy_values: Vec::new(),
            request_values: None,
            key_known: true,
            result: Match::Unknown,
            note: None,
            span: p.text_span(c.span),
            head: Some(c.head.clone()),
        };
        let op = match &c.op {
            Ok(op) => op,
            Err(e) => {
                let u = self.unknowns.add(Unknown {
                    identity: format!("op:{pi}:{}:{}:{}", st.index, c.operator.text, c.key_lower),
                    keys: Vec::new(),
                    condition: describe_condition(&c.operator.text, &c.key.text, &c.texts),
                    operator: c.operator.text.to_string(),
                    values: c.texts.clone(),
                    policy: pi,
                    statement: st.index,
                    context: false,
                });
                needs.push(u);
                ct.policy_values.clone_from(&c.texts);
                ct.note = Some(match e.help() {
                    Some(h) => format!("{e}; {h}"),
                    None => e.to_string(),
                });
                return ct;
            }
        };
        // Variables are substituted only in the operators that support them
        // (IAM JSON policy elements: Condition operators) and only with 2012-10-17.
        let substitutes = c.has_variables && p.variables_enabled && op.base.supports_variables();
        let mut substituted: Vec<String> = Vec::new();
        let mut literals: Vec<Vec<usize>> = Vec::new();
        let mut unknown_keys: Vec<String> = Vec::new();
        let mut notes = Vec::new();
        if substitutes {
            for v in &c.values {
                match adapt::substitute(&v.text, &|k| self.ctx.var(k)) {
                    Substituted::Text(t, l) => {
                        substituted.push(t);
                        literals.push(l);
                    }
                    Substituted::Missing(k) => notes.push(format!(
                        "`{}` matches nothing: `{k}` is not in the request",
                        v.text
                    )),
                    Substituted::Unknown(k) => unknown_keys.push(k),
                }
            }
        }
        let values: &[String] = if substitutes { &substituted } else { &c.texts };
        let look = self.ctx.look(&c.key_lower);
        if matches!(look, Look::Unknown) {
            unknown_keys.insert(0, c.key.text.to_string());
        }
        if !unknown_keys.is_empty() {
            ct.key_known = !matches!(look, Look::Unknown);
            ct.policy_values = values.to_vec();
            let u = self.unknowns.add(Unknown {
                identity: format!(
                    "cond:{}:{}:{}",
                    c.operator.text.to_ascii_lowercase(),
                    c.key_lower,
                    c.texts.join("\u{0}")
                ),
                keys: unknown_keys,
                condition: describe_condition(&c.operator.text, &c.key.text, &c.texts),
                operator: c.operator.text.to_string(),
                values: c.texts.clone(),
                policy: pi,
                statement: st.index,
                context: true,
            });
            needs.push(u);
            if !notes.is_empty() {
                ct.note = Some(notes.join("; "));
            }
            return ct;
        }
        let request = match look {
            Look::Present(v) => Some(v),
            _ => None,
        };
        let like = matches!(
            op.base,
            super::condition::BaseOp::StringLike | super::condition::BaseOp::StringNotLike
        );
        let ok = if like && literals.iter().any(|l| !l.is_empty()) {
            adapt::evaluate_like_with_literals(op, values, &literals, request)
        } else {
            adapt::evaluate(op, values, request)
        };
        ct.result = if ok { Match::Yes } else { Match::No };
        if !ok {
            // For a failed test, the trace shows both sides.
            ct.policy_values = values.to_vec();
            ct.request_values = request.map(<[String]>::to_vec);
            if request.is_none() {
                notes.push(format!("`{}` is not in the request", c.key.text));
            }
        }
        if !notes.is_empty() {
            ct.note = Some(notes.join("; "));
        }
        ct
    }
}

// ---------------------------------------------------------------------------
// Combining

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Group {
    Rcp,
    Scp,
    VpcEndpoint,
    Resource,
    Trust,
    KmsKey,
    Identity,
    Boundary,
    Session,
}

fn group_of(t: PolicyType) -> Option<Group> {
    Some(match t {
        PolicyType::Identity => Group::Identity,
        PolicyType::Resource => Group::Resource,
        PolicyType::PermissionsBoundary => Group::Boundary,
        PolicyType::Session => Group::Session,
        PolicyType::Scp => Group::Scp,
        PolicyType::Rcp => Group::Rcp,
        PolicyType::VpcEndpoint => Group::VpcEndpoint,
        PolicyType::Trust => Group::Trust,
        PolicyType::KmsKey => Group::KmsKey,
        _ => return None,
    })
}

/// One gate: a policy type, or one SCP/RCP level.
struct Gate {
    group: Group,
    policy_type: PolicyType,
    level: Option<Rc<str>>,
    policies: Vec<usize>,
    /// For a policy the request needs but the scenario does not give (a role's
    /// trust policy, a KMS key policy): the unknown "the missing policy allows
    /// the caller", read as a grant naming the caller itself when true.
    missing: Option<usize>,
}

struct Plan<'a> {
    policies: &'a [ParsedPolicy],
    states: Vec<StmtState>,
    gates: Vec<Gate>,
    /// `Some(true)` same account, `Some(false)` cross-account, `None` unknown —
    /// then the unknown `account_unknown` decides.
    same_account: Option<bool>,
    account_unknown: Option<usize>,
    root_user: bool,
    /// SCPs certainly do not apply (a service principal, a service-linked role
    /// known by its path).
    skip_scp: bool,
    /// RCPs certainly do not apply (a service-linked role known by its path, a
    /// service RCPs do not support, `kms:RetireGrant`).
    skip_rcp: bool,
    /// The unknown "the caller is a service-linked role" (a session of a role
    /// named like one, whose path the session ARN does not show).
    service_linked_unknown: Option<usize>,
    no_identity_side: bool,
}

struct Outcome {
    decision: Decision,
    denied_by: Vec<DeniedBy>,
    gate_results: Vec<TypeOutcome>,
}

impl Plan<'_> {
    fn gate_allows(&self, g: &Gate, assign: u32) -> bool {
        if let Some(u) = g.missing {
            return bit(assign, u);
        }
        self.states.iter().any(|s| {
            s.effect == Effect::Allow && g.policies.contains(&s.policy) && s.applies(assign)
        })
    }

    fn service_linked(&self, assign: u32) -> bool {
        self.service_linked_unknown.is_some_and(|u| bit(assign, u))
    }

    fn skips_scp(&self, assign: u32) -> bool {
        self.skip_scp || self.service_linked(assign)
    }

    fn skips_rcp(&self, assign: u32) -> bool {
        self.skip_rcp || self.service_linked(assign)
    }

    fn best_resource_strength(&self, assign: u32) -> Option<Strength> {
        self.gates
            .iter()
            .filter(|g| matches!(g.group, Group::Resource | Group::Trust | Group::KmsKey))
            .flat_map(|g| {
                self.states
                    .iter()
                    .filter(move |s| s.effect == Effect::Allow && g.policies.contains(&s.policy))
            })
            .filter(|s| s.applies(assign))
            .map(|s| s.strength)
            .chain(
                self.gates
                    .iter()
                    .filter(|g| g.missing.is_some_and(|u| bit(assign, u)))
                    .map(|_| Strength::Direct),
            )
            .max()
    }

    fn implicit(&self, g: &Gate, code: &'static str) -> DeniedBy {
        let single = if g.policies.len() == 1 {
            g.policies.first().copied()
        } else {
            None
        };
        DeniedBy {
            policy_type: g.policy_type,
            level: g.level.as_deref().map(str::to_owned),
            policy_name: single
                .and_then(|i| self.policies.get(i))
                .map(|p| p.name.to_string()),
            policy_index: single,
            sid: None,
            statement: None,
            statement_number: None,
            span: None,
            kind: DenyKind::Implicit,
            code: code.into(),
        }
    }

    fn missing(&self, t: PolicyType, code: &'static str) -> DeniedBy {
        DeniedBy {
            policy_type: t,
            level: None,
            policy_name: None,
            policy_index: None,
            sid: None,
            statement: None,
            statement_number: None,
            span: None,
            kind: DenyKind::Implicit,
            code: code.into(),
        }
    }

    fn decide(&self, assign: u32) -> Outcome {
        let mut gate_results = vec![TypeOutcome::NoAllow; self.gates.len()];
        // 1. Explicit deny in any applicable policy wins.
        let mut explicit = Vec::new();
        for s in &self.states {
            if s.effect == Effect::Deny && s.applies(assign) {
                let Some(p) = self.policies.get(s.policy) else {
                    continue;
                };
                if (self.skips_scp(assign) && p.policy_type == PolicyType::Scp)
                    || (self.skips_rcp(assign) && p.policy_type == PolicyType::Rcp)
                {
                    continue;
                }
                let st = p.statements.get(s.statement);
                explicit.push(DeniedBy {
                    policy_type: p.policy_type,
                    level: p.level.as_deref().map(str::to_owned),
                    policy_name: Some(p.name.to_string()),
                    policy_index: Some(s.policy),
                    sid: st.and_then(|x| x.sid.as_deref().map(str::to_owned)),
                    statement: Some(s.statement),
                    statement_number: Some(s.statement + 1),
                    span: st.map(|x| p.text_span(x.span)),
                    kind: DenyKind::Explicit,
                    code: "eval.explicit-deny".into(),
                });
            }
        }
        for (gi, g) in self.gates.iter().enumerate() {
            let denied = explicit
                .iter()
                .any(|d| d.policy_index.is_some_and(|i| g.policies.contains(&i)));
            if let Some(r) = gate_results.get_mut(gi) {
                *r = if (g.group == Group::Scp && self.skips_scp(assign))
                    || (g.group == Group::Rcp && self.skips_rcp(assign))
                {
                    TypeOutcome::NotApplicable
                } else if denied {
                    TypeOutcome::ExplicitDeny
                } else if g.group == Group::Rcp || self.gate_allows(g, assign) {
                    // `RCPFullAWSAccess` is attached to the root, every OU and every
                    // account and cannot be detached (AWS Organizations, "RCP
                    // evaluation"), so every RCP level allows unless a Deny applies.
                    TypeOutcome::Allow
                } else {
                    TypeOutcome::NoAllow
                };
            }
        }
        if !explicit.is_empty() {
            return Outcome {
                decision: Decision::ExplicitlyDenied,
                denied_by: explicit,
                gate_results,
            };
        }
        let allows = |group: Group| -> Option<bool> {
            let mut any = false;
            let mut all = true;
            for (gi, g) in self.gates.iter().enumerate() {
                if g.group == group {
                    any = true;
                    all &= gate_results.get(gi) == Some(&TypeOutcome::Allow);
                }
            }
            if any {
                Some(all)
            } else {
                None
            }
        };
        let mut denied_by = Vec::new();
        // 2. RCPs, then SCPs: every level that has policies must allow.
        for (gi, g) in self.gates.iter().enumerate() {
            let guard = matches!(g.group, Group::Rcp | Group::Scp | Group::VpcEndpoint);
            if guard && gate_results.get(gi) == Some(&TypeOutcome::NoAllow) {
                denied_by.push(self.implicit(g, "eval.no-matching-allow"));
            }
        }
        // 3. The principal side: identity-based policies, limited by the boundary
        // and the session policy (their intersection).
        let identity = allows(Group::Identity).unwrap_or(false) || self.root_user;
        // The account root user is not subject to permissions boundaries or session policies.
        let boundary = self.root_user || allows(Group::Boundary).unwrap_or(true);
        let session = self.root_user || allows(Group::Session).unwrap_or(true);
        let principal_side = identity && boundary && session;
        let principal_failures = |out: &mut Vec<DeniedBy>| {
            for (group, t) in [
                (Group::Identity, PolicyType::Identity),
                (Group::Boundary, PolicyType::PermissionsBoundary),
                (Group::Session, PolicyType::Session),
            ] {
                let gates: Vec<&Gate> = self.gates.iter().filter(|g| g.group == group).collect();
                if gates.is_empty() {
                    if group == Group::Identity && !self.root_user {
                        out.push(self.missing(t, "eval.no-policy-of-type"));
                    }
                    continue;
                }
                for (gi, g) in self.gates.iter().enumerate() {
                    if g.group == group
                        && gate_results.get(gi) != Some(&TypeOutcome::Allow)
                        && !self.root_user
                    {
                        out.push(self.implicit(g, "eval.no-matching-allow"));
                    }
                }
            }
        };
        // 4. The resource side.
        let strength = self.best_resource_strength(assign);
        let required: Vec<&Gate> = self
            .gates
            .iter()
            .filter(|g| matches!(g.group, Group::Trust | Group::KmsKey))
            .collect();
        let resource_failures = |out: &mut Vec<DeniedBy>| {
            let mut any = false;
            for g in self
                .gates
                .iter()
                .filter(|g| matches!(g.group, Group::Resource | Group::Trust | Group::KmsKey))
            {
                out.push(self.implicit(g, "eval.no-matching-allow"));
                any = true;
            }
            if !any {
                out.push(self.missing(PolicyType::Resource, "eval.no-policy-of-type"));
            }
        };
        let same = match self.same_account {
            Some(s) => s,
            None => self.account_unknown.is_some_and(|u| bit(assign, u)),
        };
        let allowed = if self.no_identity_side {
            // AWS service principals and anonymous callers have no identity-based
            // policies: only a resource-based policy can grant them access.
            if strength.is_none() {
                resource_failures(&mut denied_by);
            }
            strength.is_some()
        } else if same {
            // Within one account (IAM User Guide, "Policy evaluation logic"): an Allow
            // in either the identity side or the resource-based policy suffices, with
            // the documented limits by principal type. KMS key policies and role trust
            // policies must allow themselves (no implicit delegation to the account).
            if !required.is_empty() && strength.is_none() {
                resource_failures(&mut denied_by);
                false
            } else {
                match strength {
                    Some(Strength::Direct) => true,
                    Some(Strength::Role) => {
                        if !(boundary && session) {
                            principal_failures(&mut denied_by);
                            denied_by.retain(|d| d.policy_type != PolicyType::Identity);
                        }
                        boundary && session
                    }
                    Some(Strength::Account) | None => {
                        if !principal_side {
                            principal_failures(&mut denied_by);
                        }
                        principal_side
                    }
                }
            }
        } else {
            // Across accounts (IAM User Guide, "Cross-account policy evaluation
            // logic"): the principal's account and the resource's account must
            // both allow.
            if strength.is_none() {
                resource_failures(&mut denied_by);
            }
            if !principal_side {
                principal_failures(&mut denied_by);
            }
            strength.is_some() && principal_side
        };
        let decision = if denied_by.is_empty() && allowed {
            Decision::Allowed
        } else {
            Decision::ImplicitlyDenied
        };
        if decision == Decision::Allowed {
            denied_by.clear();
        }
        Outcome {
            decision,
            denied_by,
            gate_results,
        }
    }
}

fn combine(a: Decision, b: Decision) -> Decision {
    if a == b {
        a
    } else {
        Decision::Unknown
    }
}

/// Evaluates `request` against `policies`.
///
/// Policies of types outside AWS (GCP, Azure, Kubernetes) are ignored. See the
/// module documentation for the order of evaluation.
#[must_use]
pub fn evaluate(request: &Request, policies: &[ParsedPolicy]) -> Evaluation {
    let mut eval = evaluate_policies(request, policies);
    // SCPs do not apply to the management account's principals, nor RCPs to
    // its resources: the caveat matters when that type decided the result.
    for (code, t) in [
        ("eval.scp-management-account", PolicyType::Scp),
        ("eval.rcp-management-account", PolicyType::Rcp),
    ] {
        let decided = eval.denied_by.iter().any(|d| d.policy_type == t)
            || (eval.decision == Decision::Unknown
                && eval.by_policy_type.iter().any(|r| {
                    r.policy_type == t
                        && !matches!(r.result, TypeOutcome::Allow | TypeOutcome::NotApplicable)
                }));
        for u in eval.unevaluated.iter_mut().filter(|u| u.code == code) {
            u.matters = decided;
        }
    }
    // Grants outside policies that this engine does not model: they can only
    // turn an implicit deny into an allow, never override an explicit deny.
    if eval.decision == Decision::ImplicitlyDenied {
        let service = request
            .action
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let note = match service.as_str() {
            "s3" => Some(("eval.s3-acl-not-modelled", "S3 access control lists are not evaluated; on a bucket whose Object Ownership setting still enables ACLs, an ACL could grant this request")),
            "kms" => Some(("eval.kms-grant-not-modelled", "KMS grants are not evaluated; a grant on the key could allow this request")),
            _ => None,
        };
        if let Some((code, message)) = note {
            eval.unevaluated.push(Unevaluated {
                code: code.into(),
                message: message.into(),
                policy_index: None,
                statement: None,
                span: None,
                matters: false,
            });
        }
    }
    eval
}

/// The policy on the resource side that `request` cannot be allowed without:
/// the role's trust policy for `sts:AssumeRole*` on a role, the key policy for a
/// KMS action on a key. With the command that fetches it, for the message.
fn required_policy(request: &Request) -> Option<(Group, PolicyType, String)> {
    let action = request.action.to_ascii_lowercase();
    let resource = &request.resource;
    let after = |marker: &str| {
        resource
            .find(marker)
            .and_then(|i| resource.get(i + marker.len()..))
    };
    if action.starts_with("sts:assumerole") {
        let path = after(":role/")?;
        let name = path.rsplit('/').next().unwrap_or(path);
        return Some((
            Group::Trust,
            PolicyType::Trust,
            format!(
                "the trust policy of role `{name}` allows this caller; it was not given, and a role can be assumed only when its trust policy allows it (fetch it with `aws iam get-role --role-name {name} --query Role.AssumeRolePolicyDocument`)"
            ),
        ));
    }
    if action.starts_with("kms:") && (after(":key/").is_some() || after(":alias/").is_some()) {
        return Some((
            Group::KmsKey,
            PolicyType::KmsKey,
            format!(
                "the key policy of `{resource}` allows this request; it was not given, and without permission from the key policy, IAM policies that allow permissions have no effect (fetch it with `aws kms get-key-policy --key-id {resource} --policy-name default`)"
            ),
        ));
    }
    None
}

fn evaluate_policies(request: &Request, policies: &[ParsedPolicy]) -> Evaluation {
    let kind = match request.principal.as_str() {
        "anonymous" => PK::Everyone,
        p => arn::classify_principal(p),
    };
    let resource_account = request
        .resource_account
        .as_deref()
        .filter(|a| !a.is_empty())
        .or_else(|| arn::account_of(&request.resource));
    let principal_account = arn::principal_account(&request.principal);
    let ctx = Ctx::new(request, &kind, resource_account);
    let assumed = ctx.assumptions(
        request
            .resource_account
            .as_deref()
            .is_some_and(|a| !a.is_empty()),
    );
    let has_boundary = policies
        .iter()
        .any(|p| p.policy_type == PolicyType::PermissionsBoundary);
    let mut ev = Evaluator {
        req: request,
        kind,
        ctx,
        unknowns: Unknowns::default(),
        has_boundary,
    };
    let mut unevaluated = Vec::new();
    let mut trace = Vec::with_capacity(policies.iter().map(|p| p.statements.len()).sum());
    let mut states = Vec::new();
    let mut gates: Vec<Gate> = Vec::new();
    for (pi, p) in policies.iter().enumerate() {
        let Some(group) = group_of(p.policy_type) else {
            continue;
        };
        let level = if matches!(group, Group::Scp | Group::Rcp) {
            p.level.clone()
        } else {
            None
        };
        match gates
            .iter_mut()
            .find(|g| g.group == group && g.level == level)
        {
            Some(g) => g.policies.push(pi),
            None => gates.push(Gate {
                group,
                policy_type: p.policy_type,
                level,
                policies: vec![pi],
                missing: None,
            }),
        }
        if !p.usable {
            let u = ev.unknowns.add(Unknown::structural(
                format!("unusable:{pi}"),
                format!("policy `{}` could not be read", p.name),
                pi,
                0,
            ));
            for effect in [Effect::Allow, Effect::Deny] {
                states.push(StmtState {
                    policy: pi,
                    statement: 0,
                    effect,
                    possible: true,
                    needs: vec![u],
                    strength: Strength::Account,
                });
            }
            continue;
        }
        for st in p.statements.iter() {
            trace.push(ev.statement(pi, p, st, &mut states));
        }
    }
    crate::scan::sort_by_key(&mut gates, |g| (g.group as usize, 0, 0));
    if trace.len() > MAX_TRACE {
        let total = trace.len();
        let rank = |t: &StatementTrace| {
            if t.applies != Match::No {
                0
            } else if t.action.matched != Match::No {
                1
            } else {
                2
            }
        };
        // Those that apply or might first, then those whose action matched,
        // each in statement order, up to MAX_TRACE in all.
        let first = trace.iter().filter(|t| rank(t) == 0).count();
        let mut room = [MAX_TRACE, MAX_TRACE.saturating_sub(first), 0];
        trace.retain(|t| match room.get_mut(rank(t)) {
            Some(r) if *r > 0 => {
                *r -= 1;
                true
            }
            _ => false,
        });
        trace.shrink_to_fit();
        unevaluated.push(Unevaluated {
            code: "eval.trace-trimmed".into(),
            message: format!(
                "the trace lists {} of the {total} statements: those that apply or might, then those whose `Action` matches; the others do not match the action",
                trace.len()
            )
            .into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    }

    // Service-linked roles and service principals are not subject to SCPs
    // (AWS Organizations, "Service control policies"), and RCPs do not restrict
    // actions by service-linked roles (AWS Organizations, "Resource control
    // policies"). A service-linked role is one under the path
    // `/aws-service-role/`; a session ARN does not carry the role's path, so a
    // session of a role merely named `AWSServiceRoleFor...` may or may not be
    // one: that is an unknown, not a guess.
    let service_linked = request.principal.contains(":role/aws-service-role/");
    let service_linked_unknown = match ev.kind {
        PK::AssumedRole { role, .. } | PK::Role { name: role, .. }
            if !service_linked && role.starts_with("AWSServiceRoleFor") =>
        {
            Some(ev.unknowns.add(Unknown::structural(
                "service-linked".into(),
                format!("role `{role}` is a service-linked role"),
                0,
                0,
            )))
        }
        _ => None,
    };
    let skip_scp = service_linked || matches!(ev.kind, PK::Service { .. });
    let rcp_service = super::services::rcp_applies(&request.action);
    let skip_rcp = service_linked || !rcp_service;
    let has_rcp = gates.iter().any(|g| g.group == Group::Rcp);
    if has_rcp && !rcp_service {
        unevaluated.push(Unevaluated {
            code: "eval.rcp-service-not-supported".into(),
            message: format!(
                "RCPs do not apply to `{}`: RCPs affect only the services the AWS Organizations User Guide lists as supporting them",
                request.action
            )
            .into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    } else if service_linked && has_rcp {
        unevaluated.push(Unevaluated {
            code: "eval.rcp-not-applied".into(),
            message: "RCPs do not apply to actions by service-linked roles".into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    }
    if skip_scp && gates.iter().any(|g| g.group == Group::Scp) {
        unevaluated.push(Unevaluated {
            code: "eval.scp-not-applied".into(),
            message: "SCPs do not apply to service-linked roles or AWS service principals".into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    }
    if has_rcp && rcp_service {
        unevaluated.push(Unevaluated {
            code: "eval.rcp-management-account".into(),
            message: "RCPs do not apply to resources in the organization's management account; if the resource is in it, disregard the RCP results".into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    }
    if gates.iter().any(|g| g.group == Group::Scp) && !skip_scp {
        unevaluated.push(Unevaluated {
            code: "eval.scp-management-account".into(),
            message: "SCPs do not apply to principals in the organization's management account; if the principal is in it, disregard the SCP results".into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: false,
        });
    }
    // Role trust policies and KMS key policies must allow the request
    // themselves (IAM User Guide, "Policy evaluation logic"; AWS KMS Developer
    // Guide, "Key policies"): a scenario that does not give the one the request
    // needs cannot be decided as if it took no part.
    if let Some((group, policy_type, what)) = required_policy(request) {
        if !gates.iter().any(|g| g.group == group) {
            let u = ev.unknowns.add(Unknown::structural(
                format!("missing:{}", policy_type.as_str()),
                what,
                0,
                0,
            ));
            gates.push(Gate {
                group,
                policy_type,
                level: None,
                policies: Vec::new(),
                missing: Some(u),
            });
            crate::scan::sort_by_key(&mut gates, |g| (g.group as usize, 0, 0));
        }
    }
    let has_resource_side = gates
        .iter()
        .any(|g| matches!(g.group, Group::Resource | Group::Trust | Group::KmsKey));
    let same_account = match (principal_account, resource_account) {
        (Some(a), Some(b)) => Some(a == b),
        (None, _) => Some(false),
        (Some(_), None) if !has_resource_side => Some(true),
        (Some(_), None) => None,
    };
    let account_unknown = if same_account.is_none() {
        Some(ev.unknowns.add(Unknown::structural(
            "account".into(),
            "the resource is in the principal's account".into(),
            0,
            0,
        )))
    } else {
        None
    };
    let root_user = matches!(ev.kind, PK::AccountRoot { .. }) && same_account == Some(true);
    // Principals with no identity-based policies of their own: AWS services,
    // anonymous callers, identity providers (web identity, SAML) and S3
    // canonical users. Only a resource-based (or trust) policy can let them in.
    let kind_tag = match ev.kind {
        PK::Service { .. } => 1,
        PK::Everyone | PK::CanonicalUser { .. } => 2,
        PK::Unknown => 2,
        PK::OtherArn
            if request.principal.contains(":saml-provider/")
                || request.principal.contains(":oidc-provider/") =>
        {
            2
        }
        _ => 0,
    };
    let unknowns = ev.unknowns.list;
    let no_identity_side = matches!(kind_tag, 1 | 2);
    let plan = Plan {
        policies,
        states,
        gates,
        same_account,
        account_unknown,
        root_user,
        skip_scp,
        skip_rcp,
        service_linked_unknown,
        no_identity_side,
    };

    let mut eval = Evaluation {
        decision: Decision::Unknown,
        denied_by: Vec::new(),
        by_policy_type: Vec::new(),
        trace,
        missing_context: Vec::new(),
        unevaluated,
        same_account,
        assumed,
    };
    let gate_row = |gi: usize, result: TypeOutcome| {
        let g = plan.gates.get(gi);
        TypeResult {
            policy_type: g.map_or(PolicyType::Identity, |g| g.policy_type),
            level: g.and_then(|g| g.level.clone()),
            result,
            policies: g.map_or_else(Vec::new, |g| {
                g.policies
                    .iter()
                    .filter_map(|&i| policies.get(i))
                    .map(|p| p.name.clone())
                    .collect()
            }),
        }
    };
    let n = unknowns.len();
    if n == 0 {
        let o = plan.decide(0);
        eval.decision = o.decision;
        eval.denied_by = o.denied_by;
        eval.by_policy_type = o
            .gate_results
            .into_iter()
            .enumerate()
            .map(|(i, r)| gate_row(i, r))
            .collect();
        return eval;
    }
    // A Deny that applies whatever the unknowns are settles it at once.
    if n > MAX_UNKNOWNS {
        let certain = plan.decide(0);
        let forced = plan
            .states
            .iter()
            .any(|s| s.effect == Effect::Deny && s.possible && s.needs.is_empty());
        if forced {
            eval.decision = certain.decision;
            eval.denied_by = certain.denied_by;
        }
        eval.by_policy_type = certain
            .gate_results
            .iter()
            .enumerate()
            .map(|(i, _)| gate_row(i, TypeOutcome::Unknown))
            .collect();
        eval.unevaluated.push(Unevaluated {
            code: "eval.too-many-unknowns".into(),
            message: format!("the decision depends on {n} unknown conditions; more than {MAX_UNKNOWNS} are not enumerated").into(),
            policy_index: None,
            statement: None,
            span: None,
            matters: !forced,
        });
        add_unknown_notes(&mut eval, &unknowns, policies, &vec![true; n]);
        return eval;
    }
    let combos = 1u32 << n;
    let mut decisions: Vec<Decision> = Vec::with_capacity(combos as usize);
    let mut first: Option<Outcome> = None;
    let mut type_results: Vec<Option<TypeOutcome>> = Vec::new();
    for assign in 0..combos {
        let o = plan.decide(assign);
        decisions.push(o.decision);
        if type_results.is_empty() {
            type_results = o.gate_results.iter().map(|r| Some(*r)).collect();
        } else {
            for (t, r) in type_results.iter_mut().zip(o.gate_results.iter()) {
                if *t != Some(*r) {
                    *t = None;
                }
            }
        }
        if first.is_none() {
            first = Some(o);
        }
    }
    let overall = decisions
        .iter()
        .copied()
        .reduce(combine)
        .unwrap_or(Decision::Unknown);
    eval.decision = overall;
    eval.by_policy_type = type_results
        .into_iter()
        .enumerate()
        .map(|(i, r)| gate_row(i, r.unwrap_or(TypeOutcome::Unknown)))
        .collect();
    if overall != Decision::Unknown {
        if let Some(o) = first {
            eval.denied_by = o.denied_by;
        }
    }
    // Which unknowns matter: flipping it changes the decision for some assignment.
    let mut matters = vec![false; n];
    for (i, m) in matters.iter_mut().enumerate() {
        let bit = 1u32 << i;
        *m = (0..combos)
            .filter(|a| a & bit == 0)
            .any(|a| decisions.get(a as usize) != decisions.get((a | bit) as usize));
    }
    for (i, u) in unknowns.iter().enumerate() {
        if !u.context {
            continue;
        }
        if !matters.get(i).copied().unwrap_or(false) {
            continue;
        }
        let bit = 1u32 << i;
        let when_true = (0..combos)
            .filter(|a| a & bit != 0)
            .filter_map(|a| decisions.get(a as usize).copied())
            .reduce(combine)
            .unwrap_or(Decision::Unknown);
        let when_false = (0..combos)
            .filter(|a| a & bit == 0)
            .filter_map(|a| decisions.get(a as usize).copied())
            .reduce(combine)
            .unwrap_or(Decision::Unknown);
        let Some(p) = policies.get(u.policy) else {
            continue;
        };
        let outcome = ConditionOutcome {
            condition: u.condition.clone(),
            operator: u.operator.clone(),
            values: u.values.clone(),
            policy_index: u.policy,
            policy_name: p.name.to_string(),
            policy_type: p.policy_type,
            statement: u.statement,
            sid: p
                .statements
                .get(u.statement)
                .and_then(|s| s.sid.as_deref().map(str::to_owned)),
            when_true,
            when_false,
        };
        for key in &u.keys {
            match eval
                .missing_context
                .iter_mut()
                .find(|m| m.key.eq_ignore_ascii_case(key))
            {
                Some(m) => m.outcomes.push(outcome.clone()),
                None => eval.missing_context.push(MissingContext {
                    key: key.clone(),
                    outcomes: vec![outcome.clone()],
                }),
            }
        }
    }
    add_unknown_notes(&mut eval, &unknowns, policies, &matters);
    eval
}

fn add_unknown_notes(
    eval: &mut Evaluation,
    unknowns: &[Unknown],
    policies: &[ParsedPolicy],
    matters: &[bool],
) {
    for (i, u) in unknowns.iter().enumerate() {
        if u.context {
            continue;
        }
        let m = matters.get(i).copied().unwrap_or(true);
        let p = policies.get(u.policy);
        let (code, message, span, statement) = if u.identity == "account" {
            (
                "eval.resource-account-unknown",
                "neither `resourceAccount` nor the resource ARN says which account owns the resource, so same-account and cross-account rules were both tried".to_owned(),
                None,
                None,
            )
        } else if u.identity.starts_with("op:") {
            (
                "eval.unknown-operator",
                format!(
                    "condition `{}` uses an operator the engine does not know",
                    u.condition
                ),
                p.and_then(|p| p.statements.get(u.statement).map(|s| p.text_span(s.span))),
                Some(u.statement),
            )
        } else if u.identity.starts_with("unusable:") {
            ("eval.unreadable-policy", u.condition.clone(), None, None)
        } else if u.identity == "missing:trust" {
            ("eval.missing-trust-policy", u.condition.clone(), None, None)
        } else if u.identity == "missing:kms_key" {
            ("eval.missing-key-policy", u.condition.clone(), None, None)
        } else if u.identity.starts_with("wildcard-session:") {
            (
                "eval.wildcard-principal-session",
                format!("whether {}: the IAM User Guide says a grant naming the session's ARN is not limited by the session policy or the permissions boundary and one naming the role is, but not which `*` is", u.condition),
                p.and_then(|p| p.statements.get(u.statement).map(|s| p.text_span(s.span))),
                Some(u.statement),
            )
        } else if u.identity.starts_with("federated:") {
            (
                "eval.federated-user-origin",
                format!("whether {}: a federated user's ARN carries the name its creator chose, not the IAM user who called GetFederationToken", u.condition),
                p.and_then(|p| p.statements.get(u.statement).map(|s| p.text_span(s.span))),
                Some(u.statement),
            )
        } else if u.identity == "service-linked" {
            (
                "eval.service-linked-unknown",
                format!("whether {} (SCPs and RCPs do not apply to service-linked roles); a session ARN does not show the role's path, and only a role under `/aws-service-role/` is one", u.condition),
                None,
                None,
            )
        } else {
            (
                "eval.unreadable-statement",
                format!(
                    "statement {} of `{}` has errors, so whether it applies is unknown",
                    u.statement + 1,
                    p.map_or("", |p| &*p.name)
                ),
                p.and_then(|p| p.statements.get(u.statement).map(|s| p.text_span(s.span))),
                Some(u.statement),
            )
        };
        if eval
            .unevaluated
            .iter()
            .any(|x| x.code == code && x.policy_index == Some(u.policy) && x.statement == statement)
            && code != "eval.resource-account-unknown"
        {
            continue;
        }
        eval.unevaluated.push(Unevaluated {
            code: code.into(),
            message: message.into(),
            policy_index: if u.identity == "account"
                || u.identity == "service-linked"
                || u.identity.starts_with("missing:")
            {
                None
            } else {
                Some(u.policy)
            },
            statement,
            span,
            matters: m,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::scenario::{simulate, Simulation, SimulationResult};
    use serde_json::{json, Value as J};

    const ALICE: &str = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
    const BOB: &str = "arn:aws:iam::111122223333:user/bob";
    const OBJ: &str = "arn:aws:s3:::example-bucket/report.csv";

    fn doc(statements: J) -> J {
        json!({ "Version": "2012-10-17", "Statement": statements })
    }

    fn run(
        principal: &str,
        action: &str,
        resource: &str,
        account: Option<&str>,
        context: J,
        complete: bool,
        policies: J,
    ) -> SimulationResult {
        let mut request = json!({ "principal": principal, "action": action, "resource": resource, "context": context, "contextComplete": complete });
        if let Some(a) = account {
            request["resourceAccount"] = json!(a);
        }
        let scenario = json!({ "request": request, "policies": policies });
        match simulate(&scenario.to_string()) {
            Simulation::Success(r) => *r,
            Simulation::Failure { errors } => panic!("{errors:?}"),
        }
    }

    fn simple(principal: &str, policies: J) -> SimulationResult {
        run(
            principal,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            true,
            policies,
        )
    }

    fn allow_all() -> J {
        doc(json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }]))
    }

    fn identity(d: J) -> J {
        json!({ "type": "identity", "name": "id", "document": d })
    }

    fn bucket(d: J) -> J {
        json!({ "type": "resource", "name": "bucket", "document": d })
    }

    // Policy evaluation logic: by default, all requests are implicitly denied.
    #[test]
    fn nothing_given_is_an_implicit_deny_by_the_identity_side() {
        let r = simple(ALICE, json!([]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by.len(), 1);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Identity);
        assert_eq!(r.denied_by[0].kind, DenyKind::Implicit);
        assert_eq!(r.fix.unwrap().kind, "add-allow");
    }

    #[test]
    fn identity_allow_allows() {
        let r = simple(ALICE, json!([identity(allow_all())]));
        assert_eq!(r.decision, Decision::Allowed);
        assert!(r.denied_by.is_empty());
        assert!(r.fix.is_none());
    }

    // Policy evaluation logic: an explicit deny in any policy overrides any allow.
    #[test]
    fn explicit_deny_wins_and_names_the_statement() {
        let r = simple(
            ALICE,
            json!([identity(doc(json!([
                { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
                { "Sid": "NoReports", "Effect": "Deny", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*" }
            ])))]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
        let d = &r.denied_by[0];
        assert_eq!(
            (d.sid.as_deref(), d.statement, d.kind),
            (Some("NoReports"), Some(1), DenyKind::Explicit)
        );
        assert!(d.span.is_some());
        let fix = r.fix.unwrap();
        assert_eq!(fix.kind, "change-deny");
        assert_eq!(fix.changes[0].action, "remove-action");
        assert_eq!(fix.changes[0].json, json!(["s3:PutObject"]));
    }

    #[test]
    fn explicit_deny_by_wildcard_gets_an_exception_condition_and_guardrail_warning() {
        let r = simple(
            ALICE,
            json!([identity(allow_all()), { "type": "scp", "level": "root", "name": "guard", "document": doc(json!([
                { "Effect": "Allow", "Action": "*", "Resource": "*" },
                { "Effect": "Deny", "Action": "s3:*", "Resource": "*" }
            ])) }]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Scp);
        assert_eq!(r.denied_by[0].level.as_deref(), Some("root"));
        let fix = r.fix.unwrap();
        assert_eq!(fix.changes[0].action, "add-condition");
        assert_eq!(
            fix.changes[0].json,
            json!({ "ArnNotEquals": { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/Dev" } })
        );
        assert!(fix.warnings[0].contains("guardrails"));
    }

    // Service control policies: every level (root, each OU, the account) must allow.
    #[test]
    fn every_scp_level_must_allow() {
        let scp = |level: &str, action: &str| json!({ "type": "scp", "level": level, "name": format!("scp-{level}"), "document": doc(json!([{ "Effect": "Allow", "Action": action, "Resource": "*" }])) });
        let r = simple(
            ALICE,
            json!([
                identity(allow_all()),
                scp("root", "*"),
                scp("ou-prod", "ec2:*"),
                scp("account", "*")
            ]),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by.len(), 1);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Scp);
        assert_eq!(r.denied_by[0].level.as_deref(), Some("ou-prod"));
        assert_eq!(r.denied_by[0].policy_name.as_deref(), Some("scp-ou-prod"));
        let r = simple(
            ALICE,
            json!([
                identity(allow_all()),
                scp("root", "*"),
                scp("ou-prod", "s3:Get*"),
                scp("account", "*")
            ]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Service control policies: SCPs do not affect service-linked roles.
    #[test]
    fn scps_do_not_apply_to_service_linked_roles() {
        let slr = "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk";
        let r = simple(
            slr,
            json!([identity(allow_all()), { "type": "scp", "level": "root", "name": "deny", "document": doc(json!([{ "Effect": "Deny", "Action": "*", "Resource": "*" }])) }]),
        );
        assert_eq!(r.decision, Decision::Allowed);
        assert!(r
            .unevaluated
            .iter()
            .any(|u| u.code == "eval.scp-not-applied"));
    }

    // AWS Organizations, "RCP evaluation": `RCPFullAWSAccess` is attached to every
    // level and cannot be detached, so an RCP level never lacks an Allow; only a
    // Deny in an RCP restricts.
    #[test]
    fn rcp_levels_always_allow_and_deny_restricts() {
        let rcp = json!({ "type": "rcp", "level": "root", "name": "rcp", "document": doc(json!([{ "Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*" }])) });
        let r = simple(ALICE, json!([identity(allow_all()), rcp]));
        assert_eq!(r.decision, Decision::Allowed);
        let rcp = json!({ "type": "rcp", "level": "ou-1", "name": "rcp", "document": doc(json!([{ "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*" }])) });
        let r = simple(ALICE, json!([identity(allow_all()), rcp]));
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Rcp);
        // The RCP does not grant: without an identity-side Allow the request is
        // still implicitly denied, by the identity side.
        let rcp = json!({ "type": "rcp", "level": "root", "name": "rcp", "document": doc(json!([{ "Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*" }])) });
        let r = simple(ALICE, json!([rcp]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert!(r.denied_by.iter().all(|d| d.policy_type != PolicyType::Rcp));
    }

    // NotPrincipal with Allow ("AWS JSON policy elements: NotPrincipal"): not
    // supported; where accepted it granted everyone except those listed, so a
    // listed principal gets nothing from it, whatever form the list names.
    #[test]
    fn not_principal_allow_excludes_any_listed_form() {
        let allow = |list: J| {
            bucket(doc(json!([
                { "Effect": "Allow", "NotPrincipal": { "AWS": list }, "Action": "s3:*", "Resource": "*" }
            ])))
        };
        for list in [
            json!(ALICE),
            json!("arn:aws:iam::111122223333:role/Dev"),
            json!("111122223333"),
            json!("arn:aws:iam::111122223333:root"),
        ] {
            let r = simple(ALICE, json!([allow(list.clone())]));
            assert_eq!(r.decision, Decision::ImplicitlyDenied, "{list}");
        }
        let r = simple(
            ALICE,
            json!([allow(json!("arn:aws:iam::111122223333:user/bob"))]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Permissions boundaries: effective permissions are the intersection of the
    // identity-based policies and the boundary.
    #[test]
    fn boundary_limits_identity_allows() {
        let boundary = json!({ "type": "permissions_boundary", "name": "pb", "document": doc(json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }])) });
        let r = simple(ALICE, json!([identity(allow_all()), boundary]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::PermissionsBoundary);
        let fix = r.fix.unwrap();
        assert_eq!(fix.changes[0].policy_type, PolicyType::PermissionsBoundary);
        assert!(fix.warnings[0].contains("guardrails"));
    }

    // Session policies: the session's permissions are the intersection of the
    // role's identity-based policies and the session policies.
    #[test]
    fn session_policy_limits_identity_allows() {
        let session = json!({ "type": "session", "name": "sp", "document": doc(json!([{ "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*" }])) });
        let r = simple(ALICE, json!([identity(allow_all()), session]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Session);
    }

    fn bucket_allowing(principal: J) -> J {
        bucket(doc(
            json!([{ "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*" }]),
        ))
    }

    fn tight_boundary() -> J {
        json!({ "type": "permissions_boundary", "name": "pb", "document": doc(json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }])) })
    }

    // Policy evaluation logic (resource-based policies, same account): a
    // resource-based policy that names the IAM user grants without an
    // identity-based allow and is not limited by the boundary.
    #[test]
    fn same_account_resource_policy_naming_the_user_grants_directly() {
        let r = simple(
            BOB,
            json!([bucket_allowing(json!({ "AWS": BOB })), tight_boundary()]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // ... naming the role session ARN grants directly too, past boundary and session policy.
    #[test]
    fn same_account_resource_policy_naming_the_session_grants_directly() {
        let r = simple(
            ALICE,
            json!([bucket_allowing(json!({ "AWS": ALICE })), tight_boundary()]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // ... naming the role ARN: no identity allow is needed, but an implicit deny
    // in the permissions boundary or session policy still applies.
    #[test]
    fn same_account_resource_policy_naming_the_role_is_limited_by_the_boundary() {
        let role = json!({ "AWS": "arn:aws:iam::111122223333:role/Dev" });
        let r = simple(ALICE, json!([bucket_allowing(role.clone())]));
        assert_eq!(r.decision, Decision::Allowed);
        let r = simple(ALICE, json!([bucket_allowing(role), tight_boundary()]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(
            r.denied_by
                .iter()
                .map(|d| d.policy_type)
                .collect::<Vec<_>>(),
            [PolicyType::PermissionsBoundary]
        );
    }

    // ... naming the account delegates to the account's identity-based policies.
    #[test]
    fn same_account_resource_policy_naming_the_account_needs_identity_allow() {
        let r = simple(
            ALICE,
            json!([bucket_allowing(
                json!({ "AWS": "arn:aws:iam::111122223333:root" })
            )]),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Identity);
        let r = simple(
            ALICE,
            json!([
                bucket_allowing(json!({ "AWS": "111122223333" })),
                identity(allow_all())
            ]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Cross-account policy evaluation logic: both the identity-based policy in the
    // trusted account and the resource-based policy in the trusting account must allow.
    #[test]
    fn cross_account_needs_both_sides() {
        let other = "arn:aws:sts::444455556666:assumed-role/Dev/alice";
        let r = simple(other, json!([identity(allow_all())]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.same_account, Some(false));
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Resource);
        let r = simple(other, json!([bucket_allowing(json!({ "AWS": other }))]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Identity);
        let fix = r.fix.unwrap();
        assert_eq!(fix.changes[0].policy_type, PolicyType::Identity);
        let r = simple(
            other,
            json!([
                bucket_allowing(json!({ "AWS": "444455556666" })),
                identity(allow_all())
            ]),
        );
        assert_eq!(r.decision, Decision::Allowed);
        // Both sides missing: the fix adds both, with the Principal on the resource side.
        let r = simple(other, json!([]));
        let fix = r.fix.unwrap();
        assert_eq!(fix.changes.len(), 2);
        assert_eq!(
            fix.changes[0].json["Principal"],
            json!({ "AWS": "arn:aws:iam::444455556666:role/Dev" })
        );
    }

    // AWS KMS key policies: no principal has access to a key unless the key policy
    // allows it; naming the account lets IAM policies grant access.
    #[test]
    fn kms_key_policy_must_allow() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let kms = |p: J| json!({ "type": "kms_key", "name": "key", "document": doc(json!([{ "Effect": "Allow", "Principal": p, "Action": "kms:*", "Resource": "*" }])) });
        let go = |policies: J| run(ALICE, "kms:Decrypt", key, None, json!({}), true, policies);
        // The identity side alone is not enough.
        let r = go(json!([
            identity(allow_all()),
            kms(json!({ "AWS": "arn:aws:iam::111122223333:role/Other" }))
        ]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::KmsKey);
        // Account root in the key policy delegates to IAM policies.
        let r = go(json!([kms(
            json!({ "AWS": "arn:aws:iam::111122223333:root" })
        )]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Identity);
        let r = go(json!([
            identity(allow_all()),
            kms(json!({ "AWS": "arn:aws:iam::111122223333:root" }))
        ]));
        assert_eq!(r.decision, Decision::Allowed);
        // Naming the role grants without an identity-based allow.
        let r = go(json!([kms(
            json!({ "AWS": "arn:aws:iam::111122223333:role/Dev" })
        )]));
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Role trust policies: the trust policy must allow sts:AssumeRole.
    #[test]
    fn trust_policy_must_allow() {
        let role = "arn:aws:iam::111122223333:role/Deploy";
        let trust = |p: J| json!({ "type": "trust", "name": "trust", "document": doc(json!([{ "Effect": "Allow", "Principal": p, "Action": "sts:AssumeRole" }])) });
        let go = |policies: J| run(BOB, "sts:AssumeRole", role, None, json!({}), true, policies);
        let r = go(json!([
            identity(allow_all()),
            trust(json!({ "Service": "ec2.amazonaws.com" }))
        ]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::Trust);
        assert_eq!(
            r.fix.unwrap().changes[0].json,
            json!({ "Sid": "AllowStsAssumeRole", "Effect": "Allow", "Principal": { "AWS": BOB }, "Action": "sts:AssumeRole" })
        );
        let r = go(json!([trust(json!({ "AWS": BOB }))]));
        assert_eq!(r.decision, Decision::Allowed);
        let r = run(
            "ec2.amazonaws.com",
            "sts:AssumeRole",
            role,
            None,
            json!({}),
            true,
            json!([trust(json!({ "Service": "ec2.amazonaws.com" }))]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // VPC endpoint policies: when the request goes through the endpoint, its policy must allow.
    #[test]
    fn vpc_endpoint_policy_must_allow() {
        let vpce = json!({ "type": "vpc_endpoint", "name": "vpce", "document": doc(json!([{ "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "*" }])) });
        let r = simple(ALICE, json!([identity(allow_all()), vpce]));
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert_eq!(r.denied_by[0].policy_type, PolicyType::VpcEndpoint);
    }

    // NotAction / NotResource (IAM JSON policy elements: NotAction, NotResource).
    #[test]
    fn not_action_and_not_resource() {
        let r = simple(
            ALICE,
            json!([identity(doc(
                json!([{ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }])
            ))]),
        );
        assert_eq!(r.decision, Decision::Allowed);
        let r = simple(
            ALICE,
            json!([identity(doc(
                json!([{ "Effect": "Allow", "NotAction": "s3:*", "Resource": "*" }])
            ))]),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        let r = simple(
            ALICE,
            json!([identity(doc(
                json!([{ "Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::example-bucket/*" }])
            ))]),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        let r = simple(
            ALICE,
            json!([identity(doc(
                json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }, { "Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::other/*" }])
            ))]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
    }

    // Actions are case-insensitive (IAM JSON policy elements: Action).
    #[test]
    fn actions_are_case_insensitive() {
        let r = simple(
            ALICE,
            json!([identity(doc(
                json!([{ "Effect": "Allow", "Action": "S3:getobj?ct", "Resource": "*" }])
            ))]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // NotPrincipal with Deny: the principal is excluded only when its account (and
    // for a session, its role and session) are all listed.
    #[test]
    fn not_principal_deny_needs_every_form_listed() {
        let deny = |list: J| {
            bucket(doc(json!([
                { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*" },
                { "Effect": "Deny", "NotPrincipal": { "AWS": list }, "Action": "s3:*", "Resource": "*" }
            ])))
        };
        let r = simple(
            ALICE,
            json!([deny(json!(["arn:aws:iam::111122223333:role/Dev"]))]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
        let r = simple(
            ALICE,
            json!([deny(json!([
                "arn:aws:iam::111122223333:role/Dev",
                ALICE,
                "arn:aws:iam::111122223333:root"
            ]))]),
        );
        assert_eq!(r.decision, Decision::Allowed);
        // `NotPrincipal: "*"` (or `{"AWS": "*"}`) excepts every principal: the
        // Deny applies to no one (found by the differential run's generator).
        // IAM User Guide, "AWS JSON policy elements: NotPrincipal": "The syntax
        // for specifying NotPrincipal is the same as for specifying AWS JSON
        // policy elements: Principal", and with Deny "the actions specified in
        // the policy statement are explicitly denied to all principals except
        // for the ones specified"; "AWS JSON policy elements: Principal": "You
        // can use a wildcard (*) to specify all principals", with `"*"` and
        // `{ "AWS" : "*" }` "equivalent".
        for star in [json!("*"), json!({ "AWS": "*" })] {
            let st = bucket(doc(json!([
                { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*" },
                { "Effect": "Deny", "NotPrincipal": star, "Action": "s3:*", "Resource": "*" }
            ])));
            assert_eq!(simple(ALICE, json!([st])).decision, Decision::Allowed);
        }
        // Every service is not every principal: the Deny still applies.
        let st = bucket(doc(json!([
            { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*" },
            { "Effect": "Deny", "NotPrincipal": { "Service": "*" }, "Action": "s3:*", "Resource": "*" }
        ])));
        assert_eq!(
            simple(ALICE, json!([st])).decision,
            Decision::ExplicitlyDenied
        );
        // Permissions boundaries: a Deny with NotPrincipal always applies to a
        // principal that has a boundary.
        let r = simple(
            ALICE,
            json!([
                deny(json!([
                    "arn:aws:iam::111122223333:role/Dev",
                    ALICE,
                    "111122223333"
                ])),
                tight_boundary()
            ]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
    }

    // Missing context: a key the request does not list is unknown unless
    // contextComplete; the result says what happens either way.
    #[test]
    fn unknown_context_gives_unknown_with_both_outcomes() {
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "IpAddress": { "aws:SourceIp": "10.0.0.0/8" } } }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            false,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::Unknown);
        let m = &r.missing_context[0];
        assert_eq!(m.key, "aws:SourceIp");
        assert_eq!(m.outcomes[0].condition, "IpAddress aws:SourceIp 10.0.0.0/8");
        assert_eq!(
            (m.outcomes[0].when_true, m.outcomes[0].when_false),
            (Decision::Allowed, Decision::ImplicitlyDenied)
        );
        // Complete context: absent key, IpAddress is false.
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            true,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        // Given: decided. Key names are case-insensitive.
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({ "AWS:SOURCEIP": "10.1.2.3" }),
            false,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::Allowed);
        // null is absent in either mode.
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({ "aws:SourceIp": null }),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
    }

    #[test]
    fn unknown_context_that_does_not_matter_is_not_reported() {
        let p = json!([identity(doc(json!([
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "true" } } }
        ])))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::Allowed);
        assert!(r.missing_context.is_empty());
    }

    #[test]
    fn deny_on_unknown_context_makes_allow_unknown_never_allowed() {
        let p = json!([identity(doc(json!([
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
            { "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": { "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } } }
        ])))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::Unknown);
        let o = &r.missing_context[0].outcomes[0];
        assert_eq!(
            (o.when_true, o.when_false),
            (Decision::ExplicitlyDenied, Decision::Allowed)
        );
    }

    #[test]
    fn too_many_unknowns_is_unknown_without_enumerating() {
        let stmts: Vec<J> = (0..12).map(|i| json!({ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "StringEquals": { format!("aws:k{i}"): "x" } } })).collect();
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            false,
            json!([identity(doc(J::Array(stmts)))]),
        );
        assert_eq!(r.decision, Decision::Unknown);
        assert!(r
            .unevaluated
            .iter()
            .any(|u| u.code == "eval.too-many-unknowns"));
    }

    // Global condition context keys: aws:PrincipalAccount and aws:PrincipalType
    // of a role session come from its ARN. aws:PrincipalArn is the role's ARN
    // with its path, which the session ARN does not show (issue 9): it is not
    // derived, and is tested in `session_principal_arn_is_unknown_without_the_path`.
    #[test]
    fn principal_keys_are_derived_in_both_modes() {
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
            "StringEquals": { "aws:PrincipalAccount": "111122223333", "aws:PrincipalType": "AssumedRole" }
        } }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::Allowed);
        // aws:username for an IAM user.
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*" }])
        ))]);
        let r = run(
            BOB,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/home/bob/a.txt",
            Some("111122223333"),
            json!({}),
            false,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::Allowed);
        assert_eq!(
            r.trace[0].resource.resolved,
            ["arn:aws:s3:::example-bucket/home/bob/*"]
        );
        // A role session has no aws:username: the resource does not match.
        let r = run(
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/home/alice/a.txt",
            Some("111122223333"),
            json!({}),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert!(r.trace[0]
            .resource
            .note
            .as_deref()
            .unwrap()
            .contains("aws:username"));
    }

    // IAM policy elements: Version — without 2012-10-17, ${...} is literal text.
    #[test]
    fn variables_are_literal_without_version() {
        let d = json!({ "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*" }] });
        let r = run(
            BOB,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/home/bob/a.txt",
            Some("111122223333"),
            json!({}),
            false,
            json!([identity(d.clone())]),
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        assert!(r
            .diagnostics
            .iter()
            .any(|x| x.diagnostic.code == "policy.missing-version"));
        let r = run(
            BOB,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/home/${aws:username}/a.txt",
            Some("111122223333"),
            json!({}),
            false,
            json!([identity(d)]),
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    #[test]
    fn variable_on_unknown_key_makes_resource_unknown() {
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/${aws:PrincipalTag/team}/*" }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/blue/x",
            Some("111122223333"),
            json!({}),
            false,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::Unknown);
        assert_eq!(r.missing_context[0].key, "aws:PrincipalTag/team");
        let r = run(
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/blue/x",
            Some("111122223333"),
            json!({ "aws:PrincipalTag/team": "blue" }),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Unknown operators are listed and make the decision Unknown when they matter.
    #[test]
    fn unknown_operator_is_unevaluated() {
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "StringEqualz": { "aws:PrincipalTag/team": "blue" } } }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({ "aws:PrincipalTag/team": "blue" }),
            true,
            p,
        );
        assert_eq!(r.decision, Decision::Unknown);
        assert!(r
            .unevaluated
            .iter()
            .any(|u| u.code == "eval.unknown-operator" && u.matters));
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.diagnostic.code == "policy.unknown-operator")
            .unwrap();
        assert_eq!(
            d.diagnostic.help.as_deref(),
            Some("did you mean `StringEquals`?")
        );
    }

    #[test]
    fn broken_statement_with_unreadable_effect_makes_the_decision_unknown() {
        let p = json!([identity(doc(json!([
            { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
            { "Effect": "Alow", "Action": "ec2:*", "Resource": "*" }
        ])))]);
        let r = simple(ALICE, p);
        // The broken statement could be a Deny on everything: unknown.
        assert_eq!(r.decision, Decision::Unknown);
        assert!(r
            .unevaluated
            .iter()
            .any(|u| u.code == "eval.unreadable-statement"));
    }

    #[test]
    fn resource_account_unknown_tries_both() {
        let p = json!([bucket_allowing(json!({ "AWS": ALICE }))]);
        let r = run(ALICE, "s3:GetObject", OBJ, None, json!({}), true, p);
        // Same account: allowed by the bucket policy; cross-account: no identity allow.
        assert_eq!(r.decision, Decision::Unknown);
        assert!(r
            .unevaluated
            .iter()
            .any(|u| u.code == "eval.resource-account-unknown"));
        let p = json!([
            bucket_allowing(json!({ "AWS": ALICE })),
            identity(allow_all())
        ]);
        let r = run(ALICE, "s3:GetObject", OBJ, None, json!({}), true, p);
        assert_eq!(r.decision, Decision::Allowed);
    }

    // Policy evaluation logic: the account root user has full access in its account.
    #[test]
    fn root_user_needs_no_identity_policy_but_scps_apply() {
        let root = "arn:aws:iam::111122223333:root";
        assert_eq!(simple(root, json!([])).decision, Decision::Allowed);
        let scp = json!({ "type": "scp", "level": "root", "name": "s", "document": doc(json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }])) });
        assert_eq!(
            simple(root, json!([scp])).decision,
            Decision::ImplicitlyDenied
        );
    }

    #[test]
    fn trace_records_failed_conditions_with_values() {
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalTag/team": ["red", "green"] } } }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({ "aws:PrincipalTag/team": "blue" }),
            false,
            p,
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
        let c = &r.trace[0].conditions[0];
        assert_eq!(c.result, Match::No);
        assert_eq!(c.policy_values, ["red", "green"]);
        assert_eq!(c.request_values.as_deref(), Some(&["blue".to_owned()][..]));
    }

    #[test]
    fn for_all_values_is_true_on_absent_key() {
        // Condition operators: ForAllValues returns true when the key is absent.
        let p = json!([identity(doc(
            json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } } }])
        ))]);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({}),
            true,
            p.clone(),
        );
        assert_eq!(r.decision, Decision::Allowed);
        let r = run(
            ALICE,
            "s3:GetObject",
            OBJ,
            Some("111122223333"),
            json!({ "aws:TagKeys": ["a", "c"] }),
            true,
            p,
        );
        assert_eq!(r.decision, Decision::ImplicitlyDenied);
    }

    #[test]
    fn string_documents_point_spans_into_the_string() {
        let d = "{\n\"Version\":\"2012-10-17\",\n\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        let r = simple(
            ALICE,
            json!([{ "type": "identity", "name": "s", "document": d }]),
        );
        assert_eq!(r.decision, Decision::ExplicitlyDenied);
        let span = r.denied_by[0].span.unwrap();
        assert_eq!(
            &d[span.start..span.end],
            "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"
        );
        assert_eq!(
            r.policies[0].span_source,
            crate::policy::scenario::SpanSource::Document
        );
    }
}

#[cfg(test)]
mod principal_tests {
    use super::*;
    use crate::policy::scenario::{simulate, Simulation};
    use serde_json::json;

    fn decide(principal: &str, statement: serde_json::Value) -> Decision {
        let s = json!({
            "request": { "principal": principal, "action": "sts:AssumeRoleWithWebIdentity", "resource": "arn:aws:iam::111122223333:role/Web", "contextComplete": true },
            "policies": [{ "type": "trust", "name": "t", "document": { "Version": "2012-10-17", "Statement": [statement] } }]
        });
        match simulate(&s.to_string()) {
            Simulation::Success(r) => r.decision,
            Simulation::Failure { errors } => panic!("{errors:?}"),
        }
    }

    // AWS JSON policy elements: Principal — federated web identity providers.
    #[test]
    fn federated_principals_need_only_the_trust_policy() {
        let st = json!({ "Effect": "Allow", "Principal": { "Federated": "accounts.google.com" }, "Action": "sts:AssumeRoleWithWebIdentity" });
        assert_eq!(decide("accounts.google.com", st.clone()), Decision::Allowed);
        assert_eq!(decide("graph.facebook.com", st), Decision::ImplicitlyDenied);
        let oidc = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        let st = json!({ "Effect": "Allow", "Principal": { "Federated": oidc }, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": { "StringLike": { "token.actions.githubusercontent.com:sub": "repo:org/*" } } });
        assert_eq!(
            decide(oidc, st),
            Decision::ImplicitlyDenied,
            "complete context: the sub claim is absent"
        );
    }

    // AWS JSON policy elements: Principal — "*" and {"AWS": "*"} match everyone.
    #[test]
    fn wildcard_principals() {
        let p = "arn:aws:iam::444455556666:user/eve";
        let mk = |principal: serde_json::Value| json!({ "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRoleWithWebIdentity" });
        // Cross-account, so the identity side must allow too: nothing given.
        assert_eq!(decide(p, mk(json!("*"))), Decision::ImplicitlyDenied);
        assert_eq!(
            decide("accounts.google.com", mk(json!("*"))),
            Decision::Allowed
        );
        assert_eq!(
            decide("accounts.google.com", mk(json!({ "AWS": "*" }))),
            Decision::Allowed
        );
    }
}

#[cfg(test)]
mod operator_table {
    use super::*;
    use crate::policy::scenario::{simulate, Simulation};
    use serde_json::{json, Value as J};

    fn allowed(condition: J, context: J) -> Decision {
        let s = json!({
            "request": { "principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                         "resourceAccount": "111122223333", "context": context, "contextComplete": true },
            "policies": [{ "type": "identity", "name": "p", "document": { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition }
            ] } }]
        });
        match simulate(&s.to_string()) {
            Simulation::Success(r) => r.decision,
            Simulation::Failure { errors } => panic!("{errors:?}"),
        }
    }

    // IAM JSON policy elements: Condition operators — one row per operator
    // family, each with a request that satisfies it and one that does not.
    #[test]
    fn every_operator_family_end_to_end() {
        let rows: Vec<(J, J, J)> = vec![
            (
                json!({ "StringLike": { "s3:prefix": "home/*" } }),
                json!({ "s3:prefix": "home/bob" }),
                json!({ "s3:prefix": "tmp/x" }),
            ),
            (
                json!({ "StringEqualsIgnoreCase": { "aws:PrincipalTag/team": "BLUE" } }),
                json!({ "aws:PrincipalTag/team": "blue" }),
                json!({ "aws:PrincipalTag/team": "red" }),
            ),
            (
                json!({ "NumericLessThanEquals": { "s3:max-keys": "10" } }),
                json!({ "s3:max-keys": 10 }),
                json!({ "s3:max-keys": "11" }),
            ),
            (
                json!({ "DateGreaterThan": { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }),
                json!({ "aws:CurrentTime": "2026-11-22T00:00:00Z" }),
                json!({ "aws:CurrentTime": "2019-01-01T00:00:00Z" }),
            ),
            (
                json!({ "Bool": { "aws:SecureTransport": "true" } }),
                json!({ "aws:SecureTransport": true }),
                json!({ "aws:SecureTransport": false }),
            ),
            (
                json!({ "BinaryEquals": { "aws:x": "QmluYXJ5" } }),
                json!({ "aws:x": "QmluYXJ5" }),
                json!({ "aws:x": "QQ==" }),
            ),
            (
                json!({ "IpAddress": { "aws:SourceIp": "2001:db8::/32" } }),
                json!({ "aws:SourceIp": "2001:db8::1" }),
                json!({ "aws:SourceIp": "2001:db9::1" }),
            ),
            (
                json!({ "NotIpAddress": { "aws:SourceIp": "203.0.113.0/24" } }),
                json!({ "aws:SourceIp": "198.51.100.1" }),
                json!({ "aws:SourceIp": "203.0.113.9" }),
            ),
            (
                json!({ "ArnLike": { "aws:SourceArn": "arn:aws:sns:*:111122223333:topic-*" } }),
                json!({ "aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic-a" }),
                json!({ "aws:SourceArn": "arn:aws:sns:us-east-1:444455556666:topic-a" }),
            ),
            (
                json!({ "Null": { "aws:TokenIssueTime": "true" } }),
                json!({}),
                json!({ "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
            ),
            (
                json!({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["env", "team"] } }),
                json!({ "aws:TagKeys": ["x", "team"] }),
                json!({ "aws:TagKeys": ["x"] }),
            ),
            (
                json!({ "StringEqualsIfExists": { "ec2:InstanceType": "t3.micro" } }),
                json!({}),
                json!({ "ec2:InstanceType": "m5.large" }),
            ),
            // Several keys in one operator and several operators: all must hold.
            (
                json!({ "StringEquals": { "aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2" }, "Bool": { "aws:SecureTransport": "true" } }),
                json!({ "aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2", "aws:SecureTransport": "true" }),
                json!({ "aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "3", "aws:SecureTransport": "true" }),
            ),
        ];
        for (condition, yes, no) in rows {
            assert_eq!(
                allowed(condition.clone(), yes),
                Decision::Allowed,
                "{condition}"
            );
            assert_eq!(
                allowed(condition.clone(), no),
                Decision::ImplicitlyDenied,
                "{condition}"
            );
        }
    }

    // IAM policy elements: Variables and tags — variables in condition values.
    #[test]
    fn variables_in_condition_values() {
        let c = json!({ "StringEquals": { "s3:prefix": "home/${aws:username}" } });
        assert_eq!(
            allowed(c.clone(), json!({ "s3:prefix": "home/bob" })),
            Decision::Allowed
        );
        assert_eq!(
            allowed(c, json!({ "s3:prefix": "home/alice" })),
            Decision::ImplicitlyDenied
        );
        let c = json!({ "StringEquals": { "aws:ResourceTag/owner": "${aws:PrincipalTag/owner, 'nobody'}" } });
        assert_eq!(
            allowed(c, json!({ "aws:ResourceTag/owner": "nobody" })),
            Decision::Allowed
        );
        // `${*}` is a literal `*`, not a wildcard.
        let c = json!({ "StringLike": { "s3:prefix": "a${*}b*" } });
        assert_eq!(
            allowed(c.clone(), json!({ "s3:prefix": "a*b-1" })),
            Decision::Allowed
        );
        assert_eq!(
            allowed(c, json!({ "s3:prefix": "axyb-1" })),
            Decision::ImplicitlyDenied
        );
    }
}
