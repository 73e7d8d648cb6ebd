// Hand-written types for the denial-explainer wasm package (`--target no-modules`).
// They describe the JSON the core returns: camelCase names, `null` for absent values.

export type Provider = "aws" | "gcp" | "azure" | "kubernetes" | "http" | "github" | "registry" | "s3-compatible" | "unknown";
/** How sure a finding is: a provider's own code or message (`certain`), a status line or settled phrase (`likely`), a bare signal (`possible`). */
export type Confidence = "certain" | "likely" | "possible";
export type Gate = "authentication" | "authorization" | "replay" | "not-auth" | "unknown";
export type DenyKind = "explicit" | "implicit" | "unknown";
export type PolicyType =
  | "identity" | "resource" | "permissions_boundary" | "session" | "scp" | "rcp"
  | "vpc_endpoint" | "trust" | "kms_key"
  | "gcp_iam_allow" | "gcp_iam_deny" | "gcp_vpc_service_controls" | "gcp_org_policy"
  | "azure_rbac" | "azure_deny_assignment" | "azure_policy" | "k8s_rbac";
export type Severity = "error" | "security-warning" | "warning" | "suggestion" | "info";
export type Stage = "capture" | "diagnose" | "fix" | "verify" | "prevent";
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Unknown";

/** A byte range in the UTF-8 encoding of the input, half open. */
export interface Span { start: number; end: number }

export interface Label { start: number; end: number; line: number; column: number }

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  help: string | null;
  labels: Label[];
}

export interface Evidence { field: string; span: Span }
export interface Fact { key: string; value: string; span: Span }
export interface ChecklistItem { id: string; stage: Stage; text: string; command: string | null }
export interface Caveat { code: string; text: string }

export interface Finding {
  provider: Provider;
  errorCode: string | null;
  httpStatus: number | null;
  gate: Gate;
  confidence: Confidence;
  deny: DenyKind | null;
  policyType: PolicyType | null;
  principal: string | null;
  action: string | null;
  resource: string | null;
  summary: string;
  /** One line to paste into a chat: what refused the request and who can change that (with the pasted policies' verdict when they were evaluated); identifiers in backticks. */
  answer: string;
  span: Span;
  evidence: Evidence[];
  facts: Fact[];
  checklist: ChecklistItem[];
  caveats: Caveat[];
  /** The pasted policies evaluated against this finding's request; `null` when no
   * policies were given or this is not an AWS authorization denial. */
  evaluation: FindingEvaluation | null;
}

/** What the pasted policies say about the request a finding names. */
export type Verdict = "reproduces" | "allows" | "unknown" | "incomplete-request";

/** The request a finding names, in the scenario format's `request` shape. The message
 * never carries the request context: `context` is `{}` and `contextComplete` false. */
export interface EvaluatedRequest {
  principal: string | null;
  action: string | null;
  resource: string | null;
  resourceAccount: null;
  context: Record<string, never>;
  contextComplete: false;
}

export interface FindingEvaluation {
  /** `reproduces`: the pasted policies deny it too; `allows`: they allow it, so the
   * denial comes from a policy that was not pasted; `unknown`: they do not settle it;
   * `incomplete-request`: the message lacks the principal, action or resource. */
  verdict: Verdict;
  /** One or two sentences for people (identifiers in backticks). */
  text: string;
  request: EvaluatedRequest;
  /** For `incomplete-request`: which of `principal`, `action`, `resource` is missing. */
  missing: Array<"principal" | "action" | "resource">;
  /** For `reproduces`: whether the deny kind is the one the message reports (`null`: not stated). */
  denyMatches: boolean | null;
  /** For `reproduces`: whether the message's policy type is among those that denied. */
  policyTypeMatches: boolean | null;
  /** For `allows` (and a mismatched `reproduces`): the policy type to ask for. */
  askFor: PolicyType | null;
  /** Types of which nothing was pasted, taken to allow (a full-access policy each,
   * listed last in `result.policies`) so that the pasted ones could decide. */
  assumed: PolicyType[];
  /** Exactly what `simulate` returns (less `type`) for this request and these policies;
   * `null` for `incomplete-request` or when the policies list could not be read. */
  result: SimulationResult | null;
}

export interface Secret {
  kind: string;
  span: Span;
  masked: string;
  expiresAt: string | null;
  expired: boolean | null;
}

export interface Report {
  findings: Finding[];
  secrets: Secret[];
  redacted: string;
  summary: string;
  diagnostics: Diagnostic[];
}

// ---------- policies and simulation ----------

/** The AWS policy types a scenario accepts. */
export type AwsPolicyType =
  | "identity" | "resource" | "scp" | "rcp" | "permissions_boundary"
  | "session" | "vpc_endpoint" | "trust" | "kms_key";

/** One policy of a scenario. `type` is guessed from the document when absent. A
 * `document` given as a string keeps the spans of this policy pointing into it. */
export interface PolicyEntry {
  type?: AwsPolicyType | null;
  name?: string;
  /** For SCPs and RCPs: the organization level (`root`, an OU id, the account). */
  level?: string;
  document: string | object;
}

/** A context value: one value, several, or `null` for a key absent from the request. */
export type ContextValue = string | number | boolean | Array<string | number | boolean> | null;

export interface ScenarioRequest {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string | null;
  context?: Record<string, ContextValue>;
  /** `true`: keys not listed are absent. `false` (default): they are unknown. */
  contextComplete?: boolean;
}

export interface Scenario {
  request: ScenarioRequest;
  policies?: PolicyEntry[] | null;
}

/** Which text a policy's spans point into: the scenario's JSON text (the document
 * was an object; for an object scenario, its pretty-printed JSON), or the policy's
 * own `document` string. Spans are UTF-8 byte offsets. */
export type SpanSource = "scenario" | "document";

export interface PolicyInfo {
  /** Index among the policies that could be read (input order). */
  index: number;
  name: string;
  policyType: AwsPolicyType;
  typeGuessed: boolean;
  level: string | null;
  spanSource: SpanSource;
}

/** A diagnostic about one policy: the diagnostic's own fields, plus which policy. */
export interface PolicyDiagnostic extends Diagnostic {
  policyIndex: number | null;
  spanSource: SpanSource;
}

export interface DeniedBy {
  policyType: AwsPolicyType;
  level: string | null;
  policyName: string | null;
  policyIndex: number | null;
  /** Explicit denies: the statement's `Sid`, 0-based index and span. */
  sid: string | null;
  statement: number | null;
  /** The same statement counted from 1, as people count ("Statement 1" is the first). */
  statementNumber: number | null;
  span: Span | null;
  kind: "explicit" | "implicit";
  /** `eval.explicit-deny`, `eval.no-matching-allow`, `eval.no-policy-of-type`. */
  code: string;
}

export type TypeOutcome = "allow" | "explicit-deny" | "no-allow" | "unknown" | "not-applicable";

export interface TypeResult {
  policyType: AwsPolicyType;
  level: string | null;
  result: TypeOutcome;
  policies: string[];
}

export type Match = "yes" | "no" | "unknown" | "skipped";

export interface ElementTrace {
  matched: Match;
  by: string | null;
  resolved: string[];
  note: string | null;
}

export interface ConditionTrace {
  operator: string;
  key: string;
  policyValues: string[];
  requestValues: string[] | null;
  keyKnown: boolean;
  result: Match;
  note: string | null;
  span: Span;
}

export interface StatementTrace {
  policyType: AwsPolicyType;
  policyIndex: number;
  statement: number;
  sid: string | null;
  effect: "Allow" | "Deny" | null;
  span: Span;
  applies: Match;
  action: ElementTrace;
  resource: ElementTrace;
  principal: ElementTrace | null;
  conditions: ConditionTrace[];
}

export interface ConditionOutcome {
  /** The test in one line, e.g. `IpAddress aws:SourceIp 10.0.0.0/8`. */
  condition: string;
  operator: string;
  values: string[];
  policyIndex: number;
  policyName: string;
  policyType: AwsPolicyType;
  statement: number;
  sid: string | null;
  whenTrue: Decision;
  whenFalse: Decision;
}

/** Read as: "`whenTrue` if `key` satisfies `condition`, otherwise `whenFalse`". */
export interface MissingContext {
  key: string;
  outcomes: ConditionOutcome[];
}

export interface Unevaluated {
  code: string;
  message: string;
  policyIndex: number | null;
  statement: number | null;
  span: Span | null;
  matters: boolean;
}

export interface FixChange {
  action: "add-statement" | "remove-action" | "remove-statement" | "add-condition";
  policyType: AwsPolicyType;
  level: string | null;
  policyName: string | null;
  policyIndex: number | null;
  statement: number | null;
  span: Span | null;
  /** A statement to add, a `Condition` block to merge, or the new `Action` value;
   * `null` for `remove-statement`. */
  json: unknown;
  note: string;
}

export interface Fix {
  kind: "add-allow" | "change-deny" | "provide-context";
  summary: string;
  changes: FixChange[];
  warnings: string[];
}

export interface SimulationResult {
  decision: Decision;
  deniedBy: DeniedBy[];
  byPolicyType: TypeResult[];
  trace: StatementTrace[];
  missingContext: MissingContext[];
  unevaluated: Unevaluated[];
  diagnostics: PolicyDiagnostic[];
  fix: Fix | null;
  sameAccount: boolean | null;
  policies: PolicyInfo[];
  /** What the engine filled in that the input did not state. */
  assumed: Assumption[];
}

/** A value the engine filled in that the input did not state. A guess that
 * `matters` never leaves the decision `Allowed`: it becomes `Unknown`. */
export interface Assumption {
  /** `assume.derived-key`, `assume.absent-key`, `assume.resource-account`, `assume.policy-type`. */
  code: string;
  /** The context key, or the policy's name. */
  subject: string;
  /** The value used; `null` for a key taken as absent. */
  value: string | null;
  basis: string;
  certainty: "derived" | "guessed";
  matters: boolean;
}

export type Simulation =
  | ({ type: "success" } & SimulationResult)
  | { type: "failure"; errors: Diagnostic[] };

/** Explains every denial found in `text`. With `policies` (an array in the scenario
 * format's `policies` shape, or its JSON text), each AWS authorization finding gets
 * an `evaluation`. Never throws for bad input: problems with the list are in the
 * report's `diagnostics`. */
export function explain(text: string, policies?: PolicyEntry[] | string | null): Report;

/** Evaluates a scenario given as an object or its JSON text. Bad input is an answer
 * (`{ type: "failure", errors }`), not an exception. */
export function simulate(scenario: Scenario | string): Simulation;

/** The crate version. */
export function version(): string;

/** Full engine only (`denial-explainer-core.js`, the single file). The Athena query
 * `denial-explainer triage --athena-sql` writes: CloudTrail denials in `table` from
 * `start` to `end` (`YYYY-MM-DD`, inclusive), grouped as triage groups them. Throws a
 * string saying what is wrong when the table name or a date is not in that form. */
export function athenaSql(table: string, start: string, end: string): string;
