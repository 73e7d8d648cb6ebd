//! The answer `explain` gives: findings, secrets and the redacted text.
//!
//! These types are the JSON contract that the command line, the wasm API and the
//! page share. Field names serialize in camelCase, absent values as `null`, and
//! the enumerations as the lowercase names listed on each variant.

use crate::diag::{Diagnostic, Span};
use serde::{Deserialize, Serialize};

/// Which system produced the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services: `aws`.
    Aws,
    /// Google Cloud: `gcp`.
    Gcp,
    /// Microsoft Azure: `azure`.
    Azure,
    /// Kubernetes API server: `kubernetes`.
    Kubernetes,
    /// A bare HTTP response with no provider-specific body: `http`.
    Http,
    /// GitHub's REST or GraphQL API, or `git` over HTTPS to GitHub: `github`.
    Github,
    /// A container or package registry (the OCI distribution API, Docker Hub,
    /// npm, PyPI, GitLab, Artifactory): `registry`.
    Registry,
    /// A storage service that speaks the S3 API but is not AWS (Cloudflare R2,
    /// MinIO, Alibaba OSS, ...): `s3-compatible`.
    #[serde(rename = "s3-compatible")]
    S3Compatible,
    /// Recognised as a denial, but not whose: `unknown`.
    Unknown,
}

/// The gate the request failed at. This is not always what the status suggests:
/// `SignatureDoesNotMatch` is a 403 and an authentication failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gate {
    /// The caller's identity was not established (401-like): `authentication`.
    Authentication,
    /// The caller is known but not permitted (403-like): `authorization`.
    Authorization,
    /// The server refused to act on a request that could be replayed (425): `replay`.
    Replay,
    /// A refusal that is not an access-control decision, such as a browser CORS
    /// failure or a service opt-in: `not-auth`.
    NotAuth,
    /// A refusal whose gate the text does not settle: `unknown`.
    Unknown,
}

/// How sure a finding is that the text holds this denial, and of its gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A bare signal, such as a status number in an unfamiliar wrapper or a
    /// phrase that also appears outside access errors: `possible`.
    Possible,
    /// A status line or a generic phrase whose meaning is settled, without a
    /// provider's error code or message: `likely`.
    Likely,
    /// A provider's own error code or message: `certain`.
    Certain,
}

/// Whether an authorization denial came from a `Deny` statement or from the
/// absence of any `Allow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DenyKind {
    /// A statement denied the request: `explicit`.
    Explicit,
    /// Nothing allowed the request: `implicit`.
    Implicit,
    /// The text does not say which: `unknown`.
    Unknown,
}

/// The kind of policy that decided (or would decide) a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyType {
    /// AWS identity-based policy (attached to a user, group or role).
    Identity,
    /// AWS resource-based policy (bucket policy, queue policy, ...).
    Resource,
    /// AWS permissions boundary.
    PermissionsBoundary,
    /// AWS session policy passed when the session was created.
    Session,
    /// AWS Organizations service control policy.
    Scp,
    /// AWS Organizations resource control policy.
    Rcp,
    /// AWS VPC endpoint policy.
    VpcEndpoint,
    /// AWS IAM role trust policy.
    Trust,
    /// AWS KMS key policy.
    KmsKey,
    /// Google Cloud IAM allow policy.
    GcpIamAllow,
    /// Google Cloud IAM deny policy.
    GcpIamDeny,
    /// Google Cloud VPC Service Controls perimeter.
    GcpVpcServiceControls,
    /// Google Cloud organization policy constraint.
    GcpOrgPolicy,
    /// Azure role-based access control role assignment.
    AzureRbac,
    /// Azure deny assignment.
    AzureDenyAssignment,
    /// Azure Policy assignment.
    AzurePolicy,
    /// Kubernetes RBAC (Role, ClusterRole and their bindings).
    K8sRbac,
}

impl PolicyType {
    /// The JSON name of this policy type, as in `policyType`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::PermissionsBoundary => "permissions_boundary",
            PolicyType::Session => "session",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::VpcEndpoint => "vpc_endpoint",
            PolicyType::Trust => "trust",
            PolicyType::KmsKey => "kms_key",
            PolicyType::GcpIamAllow => "gcp_iam_allow",
            PolicyType::GcpIamDeny => "gcp_iam_deny",
            PolicyType::GcpVpcServiceControls => "gcp_vpc_service_controls",
            PolicyType::GcpOrgPolicy => "gcp_org_policy",
            PolicyType::AzureRbac => "azure_rbac",
            PolicyType::AzureDenyAssignment => "azure_deny_assignment",
            PolicyType::AzurePolicy => "azure_policy",
            PolicyType::K8sRbac => "k8s_rbac",
        }
    }

    /// The policy type for a JSON name, the inverse of [`PolicyType::as_str`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_POLICY_TYPES
            .iter()
            .copied()
            .find(|t| t.as_str() == name)
    }
}

/// The AWS policy types, the ones a scenario may name, in the order the
/// scenario format lists them.
pub const AWS_POLICY_TYPES: [PolicyType; 9] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::Scp,
    PolicyType::Rcp,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::VpcEndpoint,
    PolicyType::Trust,
    PolicyType::KmsKey,
];

/// Every policy type, in declaration order.
pub const ALL_POLICY_TYPES: [PolicyType; 17] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
    PolicyType::VpcEndpoint,
    PolicyType::Trust,
    PolicyType::KmsKey,
    PolicyType::GcpIamAllow,
    PolicyType::GcpIamDeny,
    PolicyType::GcpVpcServiceControls,
    PolicyType::GcpOrgPolicy,
    PolicyType::AzureRbac,
    PolicyType::AzureDenyAssignment,
    PolicyType::AzurePolicy,
    PolicyType::K8sRbac,
];

/// The phrase in the pasted text that decided one field of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The finding field it decided, by its JSON name: `provider`, `errorCode`,
    /// `httpStatus`, `gate`, `deny`, `policyType`, `principal`, `action`, `resource`.
    pub field: String,
    /// Where the phrase is in the input.
    pub span: Span,
}

/// Where a checklist item sits in the work of fixing a denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Collect what is needed before changing anything.
    Capture,
    /// Find the policy or setting that refused.
    Diagnose,
    /// Change it, as narrowly as possible.
    Fix,
    /// Prove the change worked and granted no more than intended.
    Verify,
    /// Keep it from happening again.
    Prevent,
}

/// One step of the remediation checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable identifier, for example `aws.simulate-principal-policy`.
    pub id: String,
    /// Where the step sits.
    pub stage: Stage,
    /// What to do, for people, with the extracted values filled in.
    pub text: String,
    /// A ready-to-run command, when one applies.
    pub command: Option<String>,
}

/// Something the message cannot tell, which the reader should keep in mind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caveat {
    /// Stable identifier, for example `aws.one-policy-type-reported`.
    pub code: String,
    /// The caveat, for people.
    pub text: String,
}

/// An extra value read from the message that is not one of the fixed fields:
/// a Kubernetes namespace, an Azure scope, a request id, a GCP constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// Stable key, camelCase: `namespace`, `apiGroup`, `verb`, `scope`, `objectId`,
    /// `requestId`, `reason`, `constraint`, `encodedMessage`, `via`, `operation`,
    /// `region`, `wwwAuthenticate`, `expiresAt`, `serverTime`, `xAmzExpires`,
    /// `policyArn`, `vpcServiceControlsUniqueIdentifier`, `appId`,
    /// `assertionIssuer`, `assertionSubject`, `assertionAudience`, ...
    pub key: String,
    /// The value exactly as it appears in the text, trimmed of quotes.
    pub value: String,
    /// Where it is in the input.
    pub span: Span,
}

/// One denial found in the pasted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Which system produced it.
    pub provider: Provider,
    /// The provider's error code (`AccessDenied`, `PERMISSION_DENIED`, ...).
    pub error_code: Option<String>,
    /// The status the response carried, or the one the error code implies.
    pub http_status: Option<u16>,
    /// The gate that failed.
    pub gate: Gate,
    /// How sure the finding is.
    pub confidence: Confidence,
    /// Explicit or implicit; `None` when this is not an authorization denial.
    pub deny: Option<DenyKind>,
    /// The policy type the text names, if it names one.
    pub policy_type: Option<PolicyType>,
    /// Who made the request, exactly as in the text.
    pub principal: Option<String>,
    /// What they tried to do, exactly as in the text.
    pub action: Option<String>,
    /// What they tried to do it to, exactly as in the text.
    pub resource: Option<String>,
    /// A one-line statement of what happened, for people.
    pub summary: String,
    /// One line a support engineer can paste into a chat: what refused the
    /// request and who can change that (with the pasted policies' verdict when
    /// they were evaluated). Identifiers in backticks.
    #[serde(default)]
    pub answer: String,
    /// Where the finding is in the input.
    pub span: Span,
    /// The phrase that decided each field.
    pub evidence: Vec<Evidence>,
    /// Other values read from the message.
    pub facts: Vec<Fact>,
    /// Ordered remediation steps.
    pub checklist: Vec<ChecklistItem>,
    /// What the message cannot tell.
    pub caveats: Vec<Caveat>,
    /// How many identical denials this finding stands for: the same fields and
    /// facts (request ids aside) at different places in the text. 1 when it
    /// appears once.
    #[serde(default = "one")]
    pub count: usize,
    /// Where each of those identical denials is, in input order (the first is
    /// `span`); at most the first 1,000, `count` giving the full number.
    #[serde(default)]
    pub occurrences: Vec<Span>,
    /// The pasted policies evaluated against this finding's request; `null`
    /// when no policies were given or this is not an AWS authorization denial.
    /// Output only: deserializing a finding leaves it `None`.
    #[serde(default, skip_deserializing)]
    pub evaluation: Option<FindingEvaluation>,
}

/// What the pasted policies say about the request a finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The pasted policies deny the request too: `reproduces`. Whether the deny
    /// kind and policy type agree with the message is in
    /// [`FindingEvaluation::deny_matches`] and [`FindingEvaluation::policy_type_matches`].
    Reproduces,
    /// The pasted policies allow it, so the denial comes from a policy that was
    /// not pasted: `allows`.
    Allows,
    /// The pasted policies do not settle it (missing context, something the
    /// engine cannot evaluate, unreadable policies): `unknown`.
    Unknown,
    /// The message does not name the principal, the action or the resource, so
    /// nothing was evaluated: `incomplete-request`.
    IncompleteRequest,
}

impl Verdict {
    /// The JSON name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reproduces => "reproduces",
            Verdict::Allows => "allows",
            Verdict::Unknown => "unknown",
            Verdict::IncompleteRequest => "incomplete-request",
        }
    }
}

/// The request a finding names, in the scenario format's `request` shape. The
/// message never carries the request context, so `context` is empty and
/// `contextComplete` is `false`: a condition on any key makes the decision
/// `Unknown` rather than a wrong `Allowed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatedRequest {
    /// Who made it, as in the message.
    pub principal: Option<String>,
    /// The action, as in the message.
    pub action: Option<String>,
    /// The resource, as in the message.
    pub resource: Option<String>,
    /// Always `null`: the account is read from the resource ARN when it has one.
    pub resource_account: Option<String>,
    /// Always empty.
    pub context: std::collections::BTreeMap<String, serde_json::Value>,
    /// Always `false`.
    pub context_complete: bool,
}

/// The pasted policies evaluated against the request a finding names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingEvaluation {
    /// What the evaluation says about the denial.
    pub verdict: Verdict,
    /// One or two sentences for people.
    pub text: String,
    /// The request that was evaluated.
    pub request: EvaluatedRequest,
    /// The request fields the message does not name (`principal`, `action`,
    /// `resource`), for `incomplete-request`; empty otherwise.
    pub missing: Vec<String>,
    /// For `reproduces`: whether the deny kind (explicit or implicit) is the one
    /// the message reports; `null` when the message does not say.
    pub deny_matches: Option<bool>,
    /// For `reproduces`: whether a policy of the type the message names is among
    /// those that denied; `null` when the message names no type.
    pub policy_type_matches: Option<bool>,
    /// For `allows`: the policy type to ask for, the one the message names.
    pub ask_for: Option<PolicyType>,
    /// Policy types of which nothing was pasted and which were taken to allow
    /// the request, so that the pasted ones could decide it (AWS's evaluation
    /// needs an identity-side Allow, and cross-account a resource-side one).
    pub assumed: Vec<PolicyType>,
    /// The full simulation, as `simulate` returns it for a scenario holding
    /// [`FindingEvaluation::request`] and the pasted policies (plus one
    /// full-access policy per type in `assumed`, listed last); `null` for
    /// `incomplete-request` or when the policies could not be read.
    pub result: Option<crate::policy::SimulationResult>,
}

/// Something in the input that looks like a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// What it looks like, kebab-case: `aws-access-key-id`, `aws-secret-access-key`,
    /// `aws-session-token`, `aws-presigned-signature`, `aws-presigned-security-token`,
    /// `jwt`, `bearer-token`, `basic-auth`, `azure-sas-signature`, `azure-account-key`,
    /// `gcp-service-account-key`, `gcp-signed-url-signature`, `pem-private-key`,
    /// `url-password`.
    pub kind: String,
    /// Where it is in the input.
    pub span: Span,
    /// The masked form that replaces it in the redacted text.
    pub masked: String,
    /// When the credential stops working, if the text says (a JWT's `exp`, a
    /// presigned URL's `X-Amz-Date` plus `X-Amz-Expires`), as `YYYY-MM-DDTHH:MM:SSZ`.
    /// Read, never verified.
    pub expires_at: Option<String>,
    /// Whether it had expired at the time of analysis, when that time is known.
    pub expired: Option<bool>,
    /// Whether finding it should alarm: `true` for a credential that can be
    /// used (a key, a token, a password, a signature), `false` for an
    /// identifier that only names one (an AWS access key id, `AKIA...` or
    /// `ASIA...`, which CloudTrail records and denial messages show). Both are
    /// masked in `redacted`.
    #[serde(default = "alarm_by_default")]
    pub alarm: bool,
}

fn one() -> usize {
    1
}

fn alarm_by_default() -> bool {
    true
}

/// Everything `explain` says about one paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// One finding per denial, in the order they appear.
    pub findings: Vec<Finding>,
    /// Credentials found in the input.
    pub secrets: Vec<Secret>,
    /// The input with every secret masked; this is what may leave the page.
    pub redacted: String,
    /// A short answer for people: what was found, or that nothing was.
    pub summary: String,
    /// Problems with the input itself (too large, malformed JSON), with where.
    pub diagnostics: Vec<Diagnostic>,
}
