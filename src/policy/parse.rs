//! IAM policy documents: the syntax tree with spans, and the diagnostics found
//! while reading it.
//!
//! The grammar is the one in the IAM User Guide ("IAM JSON policy element
//! reference" and "Grammar of the IAM JSON policy language"): a document has
//! `Version`, `Id` and `Statement`; `Statement` is one object or an array of
//! them; each statement has `Sid`, `Effect`, one of `Action`/`NotAction`, one of
//! `Resource`/`NotResource`, optionally one of `Principal`/`NotPrincipal`, and
//! `Condition`. Single strings and arrays of strings are accepted wherever AWS
//! accepts them.
//!
//! Reading never stops at the first problem: each statement is read as far as
//! possible, and a statement that cannot be used as written is marked
//! [`Statement::broken`] so that evaluation treats its effect as unknown instead
//! of guessing.

use crate::diag::{Diagnostic, Severity, Span};
use crate::json::{Kind, Member, Value};
use crate::model::PolicyType;
use std::rc::Rc;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The statement grants.
    Allow,
    /// The statement refuses.
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`, as written in a policy.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A string with the span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The decoded text. Shared, so that the trace of every request refers to
    /// it without copying.
    pub text: Rc<str>,
    /// Where it is.
    pub span: Span,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: the patterns and whether
/// the element is the negated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternList {
    /// `true` for `NotAction` / `NotResource` / `NotPrincipal`.
    pub not: bool,
    /// The patterns.
    pub values: Vec<Spanned>,
    /// Span of the whole element (key and value).
    pub span: Span,
}

/// Which kind of principal identifier a `Principal` entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `"Principal": "*"`: everyone, including anonymous callers.
    Everyone,
    /// `AWS`: accounts, users, roles, sessions, or `*`.
    Aws,
    /// `Service`: service principals such as `s3.amazonaws.com`.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

/// One principal identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// Its kind.
    pub kind: PrincipalKind,
    /// The identifier (empty for [`PrincipalKind::Everyone`]).
    pub value: Spanned,
}

impl PrincipalEntry {
    /// Whether the entry names every principal: `"*"`, or `{"AWS": "*"}`,
    /// which the IAM User Guide ("AWS JSON policy elements: Principal", "All
    /// principals") gives as equivalent.
    #[must_use]
    pub fn names_everyone(&self) -> bool {
        self.kind == PrincipalKind::Everyone
            || (self.kind == PrincipalKind::Aws && &*self.value.text == "*")
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalBlock {
    /// `true` for `NotPrincipal`.
    pub not: bool,
    /// The identifiers.
    pub entries: Vec<PrincipalEntry>,
    /// Span of the whole element.
    pub span: Span,
}

/// One `operator: { key: values }` test of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionEntry {
    /// The operator as written, for example `ForAnyValue:StringLikeIfExists`.
    pub operator: Spanned,
    /// The condition key as written.
    pub key: Spanned,
    /// The key in lowercase, for lookups (condition keys are case-insensitive).
    pub key_lower: String,
    /// The values, as strings (numbers and booleans keep their JSON text).
    pub values: Vec<Spanned>,
    /// The same values without spans, ready for the operator.
    pub texts: Vec<String>,
    /// The parsed operator, or why it is not one.
    pub op: Result<super::condition::Operator, super::condition::OperatorError>,
    /// Whether any value contains `${`, so that substitution may change it.
    pub has_variables: bool,
    /// Span of `"key": values`.
    pub span: Span,
    /// `{"operator":…,"key":…` as JSON, written once for every trace of this
    /// test (see [`super::write::ConditionHead`]).
    pub head: Rc<super::write::ConditionHead>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 0-based position in the policy.
    pub index: usize,
    /// `Sid`, if any (shared with the trace, like [`Spanned::text`]).
    pub sid: Option<Rc<str>>,
    /// Span of the statement object.
    pub span: Span,
    /// `Effect`; `None` when missing or invalid.
    pub effect: Option<Effect>,
    /// `Action` / `NotAction`.
    pub action: Option<PatternList>,
    /// `Resource` / `NotResource`.
    pub resource: Option<PatternList>,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalBlock>,
    /// The condition tests, in order.
    pub conditions: Vec<ConditionEntry>,
    /// Whether an error makes the statement impossible to evaluate as written;
    /// its applicability is then unknown.
    pub broken: bool,
    /// `,"sid":…,"effect":…` as JSON, written once when the policy is read
    /// (see [`super::write::StatementHead`]).
    pub head: Option<Rc<super::write::StatementHead>>,
}

/// A policy read from its document.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    /// What kind of policy it is.
    pub policy_type: PolicyType,
    /// Its name, as given (or `policy N`).
    pub name: Rc<str>,
    /// For SCPs and RCPs, the organization level (`root`, an OU, the account).
    pub level: Option<Rc<str>>,
    /// `Version`, if given.
    pub version: Option<Rc<str>>,
    /// Whether policy variables are substituted (only with `Version` `2012-10-17`).
    pub variables_enabled: bool,
    /// The statements. Shared, so that a policy read once can be used by many
    /// requests (see [`crate::policy::scenario::Batch`]) without copying.
    pub statements: Rc<Vec<Statement>>,
    /// Added to every span inside [`Self::statements`] to place it in the text
    /// the policy was read from (see [`Self::text_span`]); 0 unless the
    /// statements were read once from an identical document at another offset.
    pub span_offset: usize,
    /// Problems found, with labels into the text the spans refer to.
    pub diagnostics: Vec<Diagnostic>,
    /// `false` when the document could not be read at all (invalid JSON or not
    /// an object); evaluation then treats every statement of it as unknown.
    pub usable: bool,
}

impl ParsedPolicy {
    /// `span` (from one of [`Self::statements`]) as a span of the text the
    /// policy was read from.
    #[must_use]
    pub fn text_span(&self, span: Span) -> Span {
        Span {
            start: span.start.saturating_add(self.span_offset),
            end: span.end.saturating_add(self.span_offset),
        }
    }
}

/// Errors that do not make a statement unreadable: the evaluator handles them
/// (an unknown operator is one unknown test; a stray `Principal` is ignored).
const SOFT_ERRORS: [&str; 4] = [
    "policy.principal-not-allowed",
    "policy.unknown-operator",
    "policy.unknown-set-qualifier",
    "policy.null-if-exists",
];

const DOC_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STMT_ELEMENTS: [&str; 10] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "Id",
];

/// Whether statements of this policy type select principals with `Principal`.
#[must_use]
pub fn uses_principal(t: PolicyType) -> bool {
    matches!(
        t,
        PolicyType::Resource
            | PolicyType::Trust
            | PolicyType::KmsKey
            | PolicyType::Rcp
            | PolicyType::VpcEndpoint
    )
}

/// Whether statements of this policy type must have `Principal`/`NotPrincipal`.
fn requires_principal(t: PolicyType) -> bool {
    matches!(
        t,
        PolicyType::Resource | PolicyType::Trust | PolicyType::KmsKey | PolicyType::Rcp
    )
}

/// Guesses the policy type of a document the person did not label: a
/// `Principal` element means a resource-based policy, or a role trust policy
/// when its actions are `sts:AssumeRole*`; otherwise identity-based.
#[must_use]
pub fn guess_type(doc: &Value) -> PolicyType {
    let mut statements: Vec<&Value> = Vec::new();
    match doc.get("Statement") {
        Some(v) if v.as_object().is_some() => statements.push(v),
        Some(v) => statements.extend(v.as_array().unwrap_or(&[])),
        None => {}
    }
    let has_principal = statements
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
    if !has_principal {
        return PolicyType::Identity;
    }
    let any_assume = statements.iter().any(|s| {
        let actions: Vec<&str> = match s.get("Action") {
            Some(v) => match &v.kind {
                Kind::String(a) => vec![a.as_ref()],
                Kind::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        actions
            .iter()
            .any(|a| a.to_ascii_lowercase().starts_with("sts:assumerole"))
    });
    if any_assume {
        PolicyType::Trust
    } else {
        PolicyType::Resource
    }
}

/// Small Levenshtein distance, for did-you-mean suggestions on short names.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = super::lowercase::chars(a, usize::MAX);
    let b = super::lowercase::chars(b, usize::MAX);
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(usize::MAX)
}

/// The closest of `candidates` to `name`, if it is close enough to be a typo.
#[must_use]
pub fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

struct Reader<'t> {
    text: &'t str,
    diagnostics: Vec<Diagnostic>,
    policy_type: PolicyType,
}

impl Reader<'_> {
    fn diag(
        &mut self,
        code: &str,
        severity: Severity,
        message: String,
        help: Option<String>,
        span: Span,
    ) {
        let mut d = Diagnostic::new(code, severity, message).with_label(self.text, span);
        d.help = help;
        self.diagnostics.push(d);
    }

    fn duplicate_keys(&mut self, members: &[Member], what: &dyn Fn() -> String) {
        // Objects in policies have a handful of keys: the quadratic scan is bounded
        // by the object's size, and only run on keys, which are short.
        if members.len() > 256 {
            return;
        }
        for (i, m) in members.iter().enumerate() {
            if members.iter().take(i).any(|p| p.key == m.key) {
                self.diag(
                    "policy.duplicate-key",
                    Severity::Error,
                    format!("{} has the key `{}` more than once", what(), m.key),
                    Some("JSON readers disagree about which one counts; keep one and merge the values".into()),
                    m.key_span,
                );
            }
        }
    }

    /// A string, or an array of strings: the form of `Action`, `Resource` and
    /// principal lists. Returns `None` (after a diagnostic) on a wrong type.
    fn strings(&mut self, v: &Value, element: &str, allow_scalars: bool) -> Option<Vec<Spanned>> {
        let one = |x: &Value| -> Option<Spanned> {
            match &x.kind {
                Kind::String(s) => Some(Spanned {
                    text: Rc::from(s.as_ref()),
                    span: x.span,
                }),
                Kind::Number(n) if allow_scalars => Some(Spanned {
                    text: Rc::from(n.raw),
                    span: x.span,
                }),
                Kind::Bool(b) if allow_scalars => Some(Spanned {
                    text: Rc::from(b.to_string()),
                    span: x.span,
                }),
                _ => None,
            }
        };
        match &v.kind {
            Kind::Array(items) => {
                if items.is_empty() {
                    self.diag(
                        "policy.empty-array",
                        Severity::Warning,
                        format!("`{element}` is an empty array, so it matches nothing"),
                        Some("list at least one value, or remove the element".into()),
                        v.span,
                    );
                }
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    match one(x) {
                        Some(s) => out.push(s),
                        None => {
                            self.diag(
                                "policy.wrong-type",
                                Severity::Error,
                                format!(
                                    "`{element}` values must be strings, found {}",
                                    x.kind_name()
                                ),
                                None,
                                x.span,
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => match one(v) {
                Some(s) => Some(vec![s]),
                None => {
                    self.diag(
                        "policy.wrong-type",
                        Severity::Error,
                        format!(
                            "`{element}` must be a string or an array of strings, found {}",
                            v.kind_name()
                        ),
                        None,
                        v.span,
                    );
                    None
                }
            },
        }
    }

    fn statement(&mut self, index: usize, v: &Value, variables_enabled: bool) -> Statement {
        let mut st = Statement {
            head: None,
            index,
            sid: None,
            span: v.span,
            effect: None,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            broken: false,
        };
        let Some(members) = v.as_object() else {
            self.diag(
                "policy.wrong-type",
                Severity::Error,
                format!(
                    "statement {index} must be an object, found {}",
                    v.kind_name()
                ),
                None,
                v.span,
            );
            st.broken = true;
            return st;
        };
        self.duplicate_keys(members, &|| format!("statement {index}"));
        let errors_before = self.error_count();
        let diags_before = self.diagnostics.len();
        let mut effect_seen = false;
        for m in members {
            let element_span = Span::new(m.key_span.start, m.value.span.end);
            match m.key.as_ref() {
                "Sid" => match m.value.as_str() {
                    Some(s) => st.sid = Some(Rc::from(s)),
                    None => self.diag(
                        "policy.wrong-type",
                        Severity::Error,
                        format!("`Sid` must be a string, found {}", m.value.kind_name()),
                        None,
                        m.value.span,
                    ),
                },
                "Id" => {}
                "Effect" => {
                    effect_seen = true;
                    match m.value.as_str() {
                        Some("Allow") => st.effect = Some(Effect::Allow),
                        Some("Deny") => st.effect = Some(Effect::Deny),
                        other => {
                            let help = other
                                .and_then(|o| suggest(o, &["Allow", "Deny"]))
                                .map(|s| format!("did you mean `{s}`?"));
                            self.diag(
                                "policy.invalid-effect",
                                Severity::Error,
                                match other {
                                    Some(o) => {
                                        format!("`Effect` must be `Allow` or `Deny`, found `{o}`")
                                    }
                                    None => format!(
                                        "`Effect` must be `Allow` or `Deny`, found {}",
                                        m.value.kind_name()
                                    ),
                                },
                                help.or_else(|| Some("the value is case-sensitive".into())),
                                m.value.span,
                            );
                        }
                    }
                }
                "Action" | "NotAction" | "Resource" | "NotResource" => {
                    let not = m.key.starts_with("Not");
                    let is_action = m.key.ends_with("Action");
                    let slot_taken = if is_action {
                        st.action.is_some()
                    } else {
                        st.resource.is_some()
                    };
                    if slot_taken {
                        let pair = if is_action {
                            "`Action` and `NotAction`"
                        } else {
                            "`Resource` and `NotResource`"
                        };
                        self.diag(
                            "policy.conflicting-elements",
                            Severity::Error,
                            format!("statement has both {pair}"),
                            Some("use one of the two".into()),
                            element_span,
                        );
                        continue;
                    }
                    if let Some(values) = self.strings(&m.value, &m.key, false) {
                        if is_action {
                            for a in &values {
                                if &*a.text != "*" && !a.text.contains(':') {
                                    self.diag(
                                        "policy.invalid-action",
                                        Severity::Error,
                                        format!("action `{}` has no service prefix", a.text),
                                        Some("write actions as `service:Action`, for example `s3:GetObject`".into()),
                                        a.span,
                                    );
                                }
                                if variables_enabled && a.text.contains("${") {
                                    self.diag(
                                        "policy.variable-not-allowed",
                                        Severity::Error,
                                        "policy variables cannot be used in `Action`".into(),
                                        None,
                                        a.span,
                                    );
                                }
                            }
                        }
                        let list = PatternList {
                            not,
                            values,
                            span: element_span,
                        };
                        if is_action {
                            st.action = Some(list);
                        } else {
                            st.resource = Some(list);
                        }
                    } else if is_action {
                        st.action = Some(PatternList {
                            not,
                            values: Vec::new(),
                            span: element_span,
                        });
                    } else {
                        st.resource = Some(PatternList {
                            not,
                            values: Vec::new(),
                            span: element_span,
                        });
                    }
                }
                "Principal" | "NotPrincipal" => {
                    if st.principal.is_some() {
                        self.diag(
                            "policy.conflicting-elements",
                            Severity::Error,
                            "statement has both `Principal` and `NotPrincipal`".into(),
                            Some("use one of the two".into()),
                            element_span,
                        );
                        continue;
                    }
                    let not = m.key == "NotPrincipal";
                    st.principal = Some(self.principal(&m.value, not, element_span, &m.key));
                }
                "Condition" => self.condition(&m.value, &mut st.conditions),
                other => {
                    let help =
                        suggest(other, &STMT_ELEMENTS).map(|s| format!("did you mean `{s}`?"));
                    self.diag(
                        "policy.unknown-element",
                        Severity::Error,
                        format!("statement uses unknown element `{other}`"),
                        help.or_else(|| {
                            Some(format!("statements may use {}", list_names(&STMT_ELEMENTS)))
                        }),
                        m.key_span,
                    );
                }
            }
        }
        // Diagnostics about an element also point at the statement it is in.
        for d in self.diagnostics.iter_mut().skip(diags_before) {
            if d.labels.len() == 1 && d.labels.first().is_some_and(|l| l.start != v.span.start) {
                d.labels.push(crate::diag::Label::at(self.text, v.span));
            }
        }
        if !effect_seen {
            self.diag(
                "policy.missing-effect",
                Severity::Error,
                "statement has no `Effect`".into(),
                Some("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`".into()),
                v.span,
            );
        }
        if st.action.is_none() {
            self.diag(
                "policy.missing-action",
                Severity::Error,
                "statement has neither `Action` nor `NotAction`".into(),
                None,
                v.span,
            );
        }
        let needs_resource = !matches!(self.policy_type, PolicyType::Trust);
        if st.resource.is_none() && needs_resource {
            // Role trust policies have no Resource (the role is the resource);
            // every other type needs one (KMS key policies use "*").
            self.diag(
                "policy.missing-resource",
                Severity::Error,
                "statement has neither `Resource` nor `NotResource`".into(),
                Some("add `\"Resource\"` with the ARNs the statement is about".into()),
                v.span,
            );
        }
        match (&st.principal, requires_principal(self.policy_type)) {
            (None, true) => self.diag(
                "policy.missing-principal",
                Severity::Error,
                format!("statement in a {} policy has neither `Principal` nor `NotPrincipal`", type_words(self.policy_type)),
                Some("resource-based policies say whom they apply to with `Principal`".into()),
                v.span,
            ),
            (Some(p), false) if !uses_principal(self.policy_type) => self.diag(
                "policy.principal-not-allowed",
                Severity::Error,
                format!("a {} policy cannot have `Principal` or `NotPrincipal`", type_words(self.policy_type)),
                Some("the principal of an identity-based policy is the identity it is attached to; the element is ignored here".into()),
                p.span,
            ),
            _ => {}
        }
        if let (Some(Effect::Allow), Some(p)) = (st.effect, &st.principal) {
            if p.not {
                self.diag(
                    "policy.allow-with-not-principal",
                    Severity::SecurityWarning,
                    "`Allow` with `NotPrincipal` grants access to every principal not listed, including anonymous ones".into(),
                    Some("name the principals to allow in `Principal` instead".into()),
                    p.span,
                );
            }
        }
        if self.policy_type == PolicyType::Rcp && st.effect == Some(Effect::Allow) {
            // AWS Organizations, "RCP syntax": only the AWS-managed `RCPFullAWSAccess`
            // may use `Allow`, and it is attached everywhere, so every RCP level allows.
            self.diag(
                "policy.rcp-allow",
                Severity::Warning,
                "an `Allow` statement in an RCP has no effect: every RCP level already allows through the AWS-managed `RCPFullAWSAccess`".into(),
                Some("RCPs restrict with `Deny` statements; write the exception as a condition on a `Deny`".into()),
                st.span,
            );
        }
        if self.error_count() > errors_before {
            // Missing pieces and wrong types mean AWS would reject this policy; we
            // cannot know what the author meant, so the statement's effect is unknown.
            st.broken = true;
        }
        if st.effect.is_none() || st.action.is_none() || (st.resource.is_none() && needs_resource) {
            st.broken = true;
        }
        st
    }

    fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && !SOFT_ERRORS.contains(&d.code.as_str()))
            .count()
    }

    fn principal(&mut self, v: &Value, not: bool, span: Span, element: &str) -> PrincipalBlock {
        let mut block = PrincipalBlock {
            not,
            entries: Vec::new(),
            span,
        };
        match &v.kind {
            Kind::String(s) if s == "*" => {
                block.entries.push(PrincipalEntry {
                    kind: PrincipalKind::Everyone,
                    value: Spanned {
                        text: "*".into(),
                        span: v.span,
                    },
                });
            }
            Kind::Object(members) => {
                self.duplicate_keys(members, &|| format!("`{element}`"));
                for m in members {
                    let kind = match m.key.as_ref() {
                        "AWS" => PrincipalKind::Aws,
                        "Service" => PrincipalKind::Service,
                        "Federated" => PrincipalKind::Federated,
                        "CanonicalUser" => PrincipalKind::CanonicalUser,
                        other => {
                            let help =
                                suggest(other, &["AWS", "Service", "Federated", "CanonicalUser"])
                                    .map(|s| format!("did you mean `{s}`?"));
                            self.diag(
                                "policy.unknown-principal-type",
                                Severity::Error,
                                format!("`{element}` uses unknown principal type `{other}`"),
                                help.or_else(|| {
                                    Some(
                                        "use `AWS`, `Service`, `Federated` or `CanonicalUser`"
                                            .into(),
                                    )
                                }),
                                m.key_span,
                            );
                            continue;
                        }
                    };
                    if let Some(values) = self.strings(&m.value, element, false) {
                        for value in values {
                            if value.text.contains("${") {
                                self.diag(
                                    "policy.variable-not-allowed",
                                    Severity::Error,
                                    format!("policy variables cannot be used in `{element}`"),
                                    None,
                                    value.span,
                                );
                            }
                            block.entries.push(PrincipalEntry { kind, value });
                        }
                    }
                }
            }
            _ => self.diag(
                "policy.wrong-type",
                Severity::Error,
                format!(
                    "`{element}` must be `\"*\"` or an object such as `{{\"AWS\": ...}}`, found {}",
                    describe(v)
                ),
                None,
                v.span,
            ),
        }
        block
    }

    fn condition(&mut self, v: &Value, out: &mut Vec<ConditionEntry>) {
        let Some(ops) = v.as_object() else {
            self.diag(
                "policy.wrong-type",
                Severity::Error,
                format!("`Condition` must be an object, found {}", v.kind_name()),
                None,
                v.span,
            );
            return;
        };
        self.duplicate_keys(ops, &|| "`Condition`".to_owned());
        for op in ops {
            let Some(keys) = op.value.as_object() else {
                self.diag(
                    "policy.wrong-type",
                    Severity::Error,
                    format!(
                        "condition operator `{}` must map to an object of keys, found {}",
                        op.key,
                        op.value.kind_name()
                    ),
                    None,
                    op.value.span,
                );
                continue;
            };
            self.duplicate_keys(keys, &|| format!("condition operator `{}`", op.key));
            if keys.is_empty() {
                self.diag(
                    "policy.empty-condition",
                    Severity::Warning,
                    format!("condition operator `{}` lists no keys", op.key),
                    None,
                    op.value.span,
                );
            }
            for k in keys {
                let values = match &k.value.kind {
                    Kind::Null => {
                        self.diag(
                            "policy.wrong-type",
                            Severity::Error,
                            format!("condition key `{}` has a null value", k.key),
                            None,
                            k.value.span,
                        );
                        continue;
                    }
                    _ => match self.strings(&k.value, &k.key, true) {
                        Some(v) => v,
                        None => continue,
                    },
                };
                if k.key.contains("${") {
                    self.diag(
                        "policy.variable-not-allowed",
                        Severity::Error,
                        "policy variables cannot be used in condition key names".into(),
                        None,
                        k.key_span,
                    );
                }
                let parsed = self.check_operator(&op.key, op.key_span, &k.key, &values);
                let texts: Vec<String> = values.iter().map(|v| v.text.to_string()).collect();
                let has_variables = texts.iter().any(|t| t.contains("${"));
                let operator: Rc<str> = Rc::from(op.key.as_ref());
                let key: Rc<str> = Rc::from(k.key.as_ref());
                out.push(ConditionEntry {
                    texts,
                    op: parsed,
                    has_variables,
                    head: super::write::ConditionHead::new(&operator, &key),
                    operator: Spanned {
                        text: operator,
                        span: op.key_span,
                    },
                    key: Spanned {
                        text: key,
                        span: k.key_span,
                    },
                    key_lower: super::condition::canonical_key(&k.key),
                    values,
                    span: Span::new(k.key_span.start, k.value.span.end),
                });
            }
        }
    }
}

impl Reader<'_> {
    /// Unknown or misspelt operators, and wildcards where they are literal.
    fn check_operator(
        &mut self,
        name: &str,
        span: Span,
        key: &str,
        values: &[Spanned],
    ) -> Result<super::condition::Operator, super::condition::OperatorError> {
        let parsed = super::condition::parse_operator(name);
        match &parsed {
            Err(e) => {
                // The statement stays readable: the evaluator treats this one test
                // as unknown (IAM JSON policy elements: Condition operators).
                self.diag(
                    e.code(),
                    Severity::Error,
                    format!("condition uses {e}"),
                    e.help(),
                    span,
                );
            }
            Ok(op) => {
                let exact_string = matches!(
                    op.base,
                    super::condition::BaseOp::StringEquals
                        | super::condition::BaseOp::StringNotEquals
                        | super::condition::BaseOp::StringEqualsIgnoreCase
                        | super::condition::BaseOp::StringNotEqualsIgnoreCase
                );
                if exact_string {
                    for v in values
                        .iter()
                        .filter(|v| v.text.contains('*') || v.text.contains('?'))
                    {
                        let like = name.replace("Equals", "Like").replace("IgnoreCase", "");
                        self.diag(
                            "policy.wildcard-in-exact-operator",
                            Severity::Warning,
                            format!("`{name}` compares `{key}` exactly, so `*` and `?` in `{}` are literal characters", v.text),
                            Some(format!("use `{like}` for wildcard matching")),
                            v.span,
                        );
                    }
                }
            }
        }
        parsed
    }
}

fn describe(v: &Value) -> String {
    match &v.kind {
        Kind::String(s) => format!("`\"{s}\"`"),
        _ => v.kind_name().to_owned(),
    }
}

fn list_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words for a policy type in messages.
#[must_use]
pub fn type_words(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "identity-based",
        PolicyType::Resource => "resource-based",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::Session => "session",
        PolicyType::Scp => "service control",
        PolicyType::Rcp => "resource control",
        PolicyType::VpcEndpoint => "VPC endpoint",
        PolicyType::Trust => "role trust",
        PolicyType::KmsKey => "KMS key",
        _ => "non-AWS",
    }
}

/// Reads a policy document that has already been parsed as JSON.
///
/// `text` is the text the spans of `doc` point into; diagnostics get their line
/// and column from it.
#[must_use]
pub fn read_policy(
    doc: &Value,
    text: &str,
    policy_type: PolicyType,
    name: &str,
    level: Option<&str>,
) -> ParsedPolicy {
    let mut r = Reader {
        text,
        diagnostics: Vec::new(),
        policy_type,
    };
    let mut policy = ParsedPolicy {
        policy_type,
        name: name.into(),
        level: level.map(Rc::from),
        version: None,
        variables_enabled: false,
        statements: Rc::default(),
        span_offset: 0,
        diagnostics: Vec::new(),
        usable: true,
    };
    let Some(members) = doc.as_object() else {
        r.diag(
            "policy.not-an-object",
            Severity::Error,
            format!(
                "a policy document must be a JSON object, found {}",
                doc.kind_name()
            ),
            None,
            doc.span,
        );
        policy.usable = false;
        policy.diagnostics = r.diagnostics;
        return policy;
    };
    r.duplicate_keys(members, &|| "the policy".to_owned());
    let mut statement_value: Option<&Value> = None;
    let mut version_span = None;
    for m in members {
        match m.key.as_ref() {
            "Version" => match m.value.as_str() {
                Some(v @ ("2012-10-17" | "2008-10-17")) => {
                    policy.version = Some(Rc::from(v));
                    version_span = Some(m.value.span);
                }
                _ => r.diag(
                    "policy.invalid-version",
                    Severity::Error,
                    format!("`Version` must be `\"2012-10-17\"` or `\"2008-10-17\"`, found {}", describe(&m.value)),
                    Some("use `\"2012-10-17\"`; it is a fixed date naming the language version, not today's date".into()),
                    m.value.span,
                ),
            },
            "Id" => {}
            "Statement" => statement_value = Some(&m.value),
            other => {
                let help = suggest(other, &DOC_ELEMENTS).map(|s| format!("did you mean `{s}`?"));
                r.diag(
                    "policy.unknown-element",
                    Severity::Error,
                    format!("policy uses unknown top-level element `{other}`"),
                    help.or_else(|| Some(format!("a policy document has {}", list_names(&DOC_ELEMENTS)))),
                    m.key_span,
                );
            }
        }
    }
    // IAM JSON policy elements: Version — without `2012-10-17`, variables such as
    // `${aws:username}` are not substituted but read as literal text.
    policy.variables_enabled = policy.version.as_deref() == Some("2012-10-17");
    let uses_variables = text
        .get(doc.span.start..doc.span.end)
        .is_some_and(|t| t.contains("${"));
    match (&policy.version, uses_variables) {
        (None, true) => r.diag(
            "policy.missing-version",
            Severity::Warning,
            "policy has no `Version`, so its policy variables are read as literal text".into(),
            Some("add `\"Version\": \"2012-10-17\"` at the top of the policy".into()),
            doc.span,
        ),
        (None, false) => r.diag(
            "policy.missing-version",
            Severity::Suggestion,
            "policy has no `Version`; it is read with the 2008-10-17 rules".into(),
            Some("add `\"Version\": \"2012-10-17\"` at the top of the policy".into()),
            doc.span,
        ),
        (Some(v), true) if &**v == "2008-10-17" => r.diag(
            "policy.old-version-with-variables",
            Severity::Warning,
            "policy variables need `Version` `2012-10-17`; with `2008-10-17` they are literal text"
                .into(),
            Some("change `Version` to `\"2012-10-17\"`".into()),
            version_span.unwrap_or(doc.span),
        ),
        _ => {}
    }
    let statements: Vec<&Value> = match statement_value {
        None => {
            r.diag(
                "policy.missing-statement",
                Severity::Error,
                "policy has no `Statement`".into(),
                None,
                doc.span,
            );
            Vec::new()
        }
        Some(v) => match &v.kind {
            Kind::Object(_) => vec![v],
            Kind::Array(items) => {
                if items.is_empty() {
                    r.diag(
                        "policy.empty-array",
                        Severity::Warning,
                        "`Statement` is an empty array, so the policy allows and denies nothing"
                            .into(),
                        None,
                        v.span,
                    );
                }
                items.iter().collect()
            }
            _ => {
                r.diag(
                    "policy.wrong-type",
                    Severity::Error,
                    format!(
                        "`Statement` must be an object or an array of objects, found {}",
                        v.kind_name()
                    ),
                    None,
                    v.span,
                );
                policy.usable = false;
                Vec::new()
            }
        },
    };
    let mut read: Vec<Statement> = Vec::with_capacity(statements.len());
    for (i, s) in statements.iter().enumerate() {
        let mut st = r.statement(i, s, policy.variables_enabled);
        st.head = Some(super::write::StatementHead::new(
            st.sid.as_ref(),
            st.effect.map(Effect::as_str),
        ));
        read.push(st);
    }
    policy.statements = Rc::new(read);
    // Sids must be unique within a policy. A set of the Sids seen so far: the
    // pairwise comparison this replaced was quadratic (50 million comparisons
    // for a 10,000-statement policy, issue 11).
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for s in policy.statements.iter() {
        if let Some(sid) = &s.sid {
            if !seen.insert(sid) {
                r.diag(
                    "policy.duplicate-sid",
                    Severity::Error,
                    format!("`Sid` `{sid}` is used by more than one statement"),
                    Some("give each statement its own `Sid`".into()),
                    s.span,
                );
            }
        }
    }
    policy.diagnostics = r.diagnostics;
    policy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn read(text: &str, t: PolicyType) -> ParsedPolicy {
        read_policy(&parse(text).unwrap(), text, t, "p", None)
    }

    fn codes(p: &ParsedPolicy) -> Vec<&str> {
        p.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn reads_every_element_with_spans() {
        let text = r#"{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":["blue",7]}}}}"#;
        let p = read(text, PolicyType::Identity);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert!(p.variables_enabled);
        let s = &p.statements[0];
        assert_eq!(s.sid.as_deref(), Some("A"));
        assert_eq!(s.effect, Some(Effect::Allow));
        let a = s.action.as_ref().unwrap();
        assert!(!a.not);
        assert_eq!(
            &text[a.values[1].span.start..a.values[1].span.end],
            "\"s3:List*\""
        );
        assert_eq!(
            &text[a.span.start..a.span.end],
            r#""Action":["s3:GetObject","s3:List*"]"#
        );
        let c = &s.conditions[0];
        assert_eq!(c.key_lower, "aws:principaltag/team");
        assert_eq!(
            c.values.iter().map(|v| v.text.as_ref()).collect::<Vec<_>>(),
            ["blue", "7"]
        );
        assert!(!s.broken);
    }

    #[test]
    fn unknown_elements_get_did_you_mean() {
        // IAM JSON policy element reference: element names are fixed.
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Efect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Identity,
        );
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "policy.unknown-element")
            .unwrap();
        assert_eq!(d.message, "statement uses unknown element `Efect`");
        assert_eq!(d.help.as_deref(), Some("did you mean `Effect`?"));
        assert_eq!((d.labels[0].line, d.labels[0].column), (1, 39));
        // The second label is the statement the element is in.
        assert_eq!((d.labels[1].line, d.labels[1].column), (1, 38));
        assert!(p.statements[0].broken);
    }

    #[test]
    fn effect_must_be_allow_or_deny() {
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Identity,
        );
        assert_eq!(codes(&p), ["policy.invalid-effect"]);
        assert_eq!(
            p.diagnostics[0].help.as_deref(),
            Some("did you mean `Allow`?")
        );
        assert!(p.statements[0].broken);
    }

    #[test]
    fn missing_version_disables_variables() {
        // IAM JSON policy elements: Version — variables need 2012-10-17.
        let p = read(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#,
            PolicyType::Identity,
        );
        assert!(!p.variables_enabled);
        assert_eq!(codes(&p), ["policy.missing-version"]);
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
        let p = read(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}]}"#,
            PolicyType::Identity,
        );
        assert_eq!(codes(&p), ["policy.old-version-with-variables"]);
        let p = read(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Identity,
        );
        assert_eq!(p.diagnostics[0].severity, Severity::Suggestion);
    }

    #[test]
    fn allow_with_not_principal_is_a_security_warning() {
        // IAM JSON policy elements: NotPrincipal — Allow with NotPrincipal is discouraged.
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Resource,
        );
        let d = &p.diagnostics[0];
        assert_eq!(d.code, "policy.allow-with-not-principal");
        assert_eq!(d.severity, Severity::SecurityWarning);
        assert!(p.statements[0].principal.as_ref().unwrap().not);
    }

    #[test]
    fn required_elements_per_policy_type() {
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#,
            PolicyType::Identity,
        );
        assert_eq!(codes(&p), ["policy.missing-resource"]);
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Resource,
        );
        assert_eq!(codes(&p), ["policy.missing-principal"]);
        // A trust policy has no Resource: the role is the resource.
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            PolicyType::Trust,
        );
        assert!(p.diagnostics.is_empty());
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            PolicyType::Identity,
        );
        assert_eq!(codes(&p), ["policy.missing-action"]);
    }

    #[test]
    fn wrong_types_empty_arrays_duplicates() {
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":[],"Resource":5},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*","Resource":"x"}]}"#,
            PolicyType::Identity,
        );
        let c = codes(&p);
        assert!(c.contains(&"policy.empty-array"));
        assert!(c.contains(&"policy.wrong-type"));
        assert!(c.contains(&"policy.duplicate-key"));
        assert!(c.contains(&"policy.duplicate-sid"));
        assert!(c.contains(&"policy.conflicting-elements"));
    }

    #[test]
    fn principal_forms() {
        let p = read(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/R"],"Service":"s3.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"s3:*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Resource,
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let kinds: Vec<_> = p.statements[0]
            .principal
            .as_ref()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                PrincipalKind::Aws,
                PrincipalKind::Aws,
                PrincipalKind::Service,
                PrincipalKind::Federated,
                PrincipalKind::CanonicalUser
            ]
        );
        assert_eq!(
            p.statements[1].principal.as_ref().unwrap().entries[0].kind,
            PrincipalKind::Everyone
        );
    }

    #[test]
    fn guesses_types() {
        let g = |t: &str| guess_type(&parse(t).unwrap());
        assert_eq!(
            g(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#),
            PolicyType::Identity
        );
        assert_eq!(
            g(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#
            ),
            PolicyType::Resource
        );
        assert_eq!(
            g(
                r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"x"},"Action":["sts:AssumeRole","sts:TagSession"]}}"#
            ),
            PolicyType::Trust
        );
        assert_eq!(
            g(
                r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"x"},"Action":"sts:AssumeRoleWithWebIdentity"}}"#
            ),
            PolicyType::Trust
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("Resorce", &STMT_ELEMENTS), Some("Resource"));
        assert_eq!(suggest("Zebra", &STMT_ELEMENTS), None);
    }
}
