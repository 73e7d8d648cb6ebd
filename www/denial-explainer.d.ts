// Hand-written types for the denial-explainer wasm package (`--target no-modules`).
// They describe the JSON the core returns: camelCase names, `null` for absent values.

export type Provider = "aws" | "gcp" | "azure" | "kubernetes" | "http" | "unknown";
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
  deny: DenyKind | null;
  policyType: PolicyType | null;
  principal: string | null;
  action: string | null;
  resource: string | null;
  summary: string;
  span: Span;
  evidence: Evidence[];
  facts: Fact[];
  checklist: ChecklistItem[];
  caveats: Caveat[];
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

/** Explains every denial found in `text`. Never throws for bad input. */
export function explain(text: string): Report;

/** The crate version. */
export function version(): string;
