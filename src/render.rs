//! Rendering a [`Report`] for people: plain text for terminals and Markdown for
//! pasting into a support chat or a ticket.
//!
//! Both renderers treat every value that came from the pasted text as hostile:
//! control characters and bidirectional overrides are neutralised (a value must not
//! be able to move the terminal cursor or reorder what is shown), Markdown values
//! sit in code spans whose fences they cannot close, and a table cell's `|` is
//! escaped. A field, fact or command value whose evidence overlaps a credential
//! found in the input is replaced by `REDACTED` before anything is rendered, so the
//! output carries only what the redacted copy of the input shows.

use crate::diag::{Diagnostic, Severity, Span};
use crate::explain::checklist::{caveats, checklist, code_span, is_dangerous, summary};
use crate::model::{
    DenyKind, Finding, FindingEvaluation, Gate, PolicyType, Provider, Report, Secret, Stage,
};
use crate::policy::eval::{DeniedBy, TypeOutcome};
use crate::policy::parse::type_words;
use crate::policy::{Decision, Simulation, SimulationResult};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The value that replaces anything overlapping a credential.
const REDACTED: &str = "REDACTED";

/// One line saying what the whole report found: "No access denial recognised in
/// the text.", "1 denial found: ….", or "3 denials found: 2 from AWS, 1 from
/// Kubernetes.".
#[must_use]
pub fn report_summary(findings: &[Finding]) -> String {
    match findings {
        [] => "No access denial recognised in the text.".to_owned(),
        [only] => {
            let s = finding_summary(only);
            let s = s.trim_end_matches('.');
            // Our sentences that open with "The server" or "The browser" continue
            // the line in lower case.
            let s = match s.strip_prefix("The ") {
                Some(rest) => Cow::Owned(format!("the {rest}")),
                None => Cow::Borrowed(s),
            };
            format!("1 denial found: {s}.")
        }
        many => {
            let mut counts: Vec<(Provider, usize)> = Vec::new();
            for f in many {
                match counts.iter_mut().find(|(p, _)| *p == f.provider) {
                    Some((_, n)) => *n = n.saturating_add(1),
                    None => counts.push((f.provider, 1)),
                }
            }
            let parts: Vec<String> = counts
                .iter()
                .map(|(p, n)| format!("{n} from {}", provider_label(*p)))
                .collect();
            format!("{} denials found: {}.", many.len(), parts.join(", "))
        }
    }
}

/// The report as plain text for a terminal. No colour codes; values from the
/// pasted text have control characters replaced, so they cannot drive the terminal.
#[must_use]
pub fn text(report: &Report) -> String {
    let views = redacted_views(report);
    let mut out = String::new();
    out.push_str(&one_line(&report_summary(&views)));
    out.push('\n');
    if !report.secrets.is_empty() {
        out.push('\n');
        out.push_str("Warning: ");
        out.push_str(&secrets_warning(&report.secrets, false));
        out.push('\n');
    }
    let total = views.len();
    for (i, f) in views.iter().enumerate() {
        out.push('\n');
        let _ = writeln!(
            out,
            "Finding {} of {total}: {}, {}",
            i.saturating_add(1),
            provider_of(f),
            gate_label(f.gate)
        );
        let _ = writeln!(out, "  {}", one_line(&answer_of(f)));
        out.push('\n');
        for (label, value) in fields(f) {
            let _ = writeln!(out, "  {:<13} {}", one_line(&label), one_line(&value));
        }
        if let Some(e) = &f.evaluation {
            out.push_str(&evaluation_block(e, false));
        }
        let items = items_of(f);
        if !items.is_empty() {
            out.push_str("\n  What to do\n");
            for (n, item) in items.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  {:>2}. [{}] {}",
                    n.saturating_add(1),
                    stage_label(item.stage),
                    one_line(&item.text)
                );
                if let Some(cmd) = &item.command {
                    for line in cmd.lines() {
                        let _ = writeln!(out, "        $ {}", one_line(line));
                    }
                }
            }
        }
        let cav = caveats_of(f);
        if !cav.is_empty() {
            out.push_str("\n  What the message cannot tell\n");
            for c in cav.iter() {
                let _ = writeln!(out, "   - {}", one_line(&c.text));
            }
        }
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\nNotes\n");
        for d in &report.diagnostics {
            let _ = writeln!(
                out,
                "  {}: {} [{}]",
                severity_label(d.severity),
                one_line(&d.message),
                one_line(&d.code)
            );
            if let Some(h) = &d.help {
                let _ = writeln!(out, "    help: {}", one_line(h));
            }
        }
    }
    out
}

/// The report as Markdown for a support chat: a heading per finding, a table of
/// its fields, the checklist as `- [ ]` task items with commands in fenced code
/// blocks, the caveats, and a warning when the input held credentials.
#[must_use]
pub fn markdown(report: &Report) -> String {
    let views = redacted_views(report);
    let mut out = String::new();
    out.push_str(&md_line(&report_summary(&views)));
    out.push('\n');
    if !report.secrets.is_empty() {
        out.push('\n');
        out.push_str("> **Warning:** ");
        out.push_str(&secrets_warning(&report.secrets, true));
        out.push('\n');
    }
    for (i, f) in views.iter().enumerate() {
        out.push('\n');
        let _ = writeln!(
            out,
            "## Finding {}: {}, {}",
            i.saturating_add(1),
            provider_of(f),
            gate_label(f.gate)
        );
        out.push('\n');
        out.push_str(&md_line(&answer_of(f)));
        out.push_str("\n\n| Field | Value |\n| --- | --- |\n");
        for (label, value) in fields(f) {
            let _ = writeln!(
                out,
                "| {} | {} |",
                md_escape(&label),
                table_cell(&code_span(&value))
            );
        }
        if let Some(e) = &f.evaluation {
            out.push_str(&evaluation_block(e, true));
        }
        let items = items_of(f);
        if !items.is_empty() {
            out.push_str("\n### What to do\n\n");
            for item in items.iter() {
                let _ = writeln!(
                    out,
                    "- [ ] **{}.** {}",
                    stage_title(item.stage),
                    md_line(&item.text)
                );
                if let Some(cmd) = &item.command {
                    fenced_command(&mut out, cmd, "  ");
                }
            }
        }
        let cav = caveats_of(f);
        if !cav.is_empty() {
            out.push_str("\n### What the message cannot tell\n\n");
            for c in cav.iter() {
                let _ = writeln!(out, "- {}", md_line(&c.text));
            }
        }
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\n## Notes\n\n");
        for d in &report.diagnostics {
            out.push_str(&md_diagnostic(d));
        }
    }
    out
}

/// The short form for a support chat (Slack, Teams, a ticket): per finding (at
/// most three), the one-line answer, the key facts with the request id, the two
/// or three steps that fit it, and the lines of the pasted text around the
/// error, with credentials masked. No tables, headings or task boxes, which chat
/// tools show raw. The page's "Copy for chat" writes the same shape.
#[must_use]
pub fn chat(report: &Report, text: &str) -> String {
    let views = redacted_views(report);
    let mut out = String::new();
    if views.is_empty() {
        out.push_str("No access denial recognised in this text.\n");
    }
    let many = views.len() > 1;
    for (i, f) in views.iter().take(3).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let number = if many {
            format!("{}. ", i.saturating_add(1))
        } else {
            String::new()
        };
        let count = if f.count > 1 {
            format!(" (\u{d7}{})", f.count)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "**{number}{}{count}:** {}",
            chat_label(f.gate),
            md_line(&answer_of(f))
        );
        for (label, value) in key_facts(f) {
            let _ = writeln!(out, "\u{2022} {label}: {value}");
        }
        let items = items_of(f);
        let steps = top_steps(&items);
        if !steps.is_empty() {
            out.push_str("\n**Next steps**\n");
            for (n, item) in steps.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n.saturating_add(1), md_line(&item.text));
                if let Some(cmd) = &item.command {
                    fenced_command(&mut out, cmd, "");
                }
            }
        }
        if let Some((line, around)) = excerpt(text, f.span, 2, &report.secrets) {
            let fence = fence_for(&around);
            let _ = write!(
                out,
                "\n**Error (line {line})**\n{fence}text\n{around}\n{fence}\n"
            );
        }
    }
    if views.len() > 3 {
        let _ = write!(
            out,
            "\n\u{2026}and {} more denials in the text.\n",
            views.len().saturating_sub(3)
        );
    }
    if !report.secrets.is_empty() {
        out.push_str("\n_Credentials in the text are masked above._\n");
    }
    out
}

/// A shell command as a fenced `sh` block, each line indented by `indent`.
fn fenced_command(out: &mut String, cmd: &str, indent: &str) {
    let fence = fence_for(cmd);
    let _ = writeln!(out, "{indent}{fence}sh");
    for line in cmd.lines() {
        let _ = writeln!(out, "{indent}{}", neutralise(line));
    }
    let _ = writeln!(out, "{indent}{fence}");
}

/// The facts a chat reader needs first: the error and status, who, what, on
/// what, and the request id the provider's support asks for.
fn key_facts(f: &Finding) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    match (&f.error_code, f.http_status) {
        (Some(c), Some(s)) => facts.push(("Error", format!("{} (HTTP {s})", code_span(c)))),
        (Some(c), None) => facts.push(("Error", code_span(c))),
        (None, Some(s)) => facts.push(("HTTP", s.to_string())),
        (None, None) => {}
    }
    for (label, v) in [
        ("Principal", &f.principal),
        ("Action", &f.action),
        ("Resource", &f.resource),
    ] {
        if let Some(v) = v {
            facts.push((label, code_span(&one_line(v))));
        }
    }
    for (key, label) in [
        ("requestId", "Request id"),
        ("policyArn", "Policy ARN"),
        ("region", "Region"),
        ("namespace", "Namespace"),
    ] {
        if let Some(fact) = f.facts.iter().find(|x| x.key == key && !x.value.is_empty()) {
            facts.push((label, code_span(&one_line(&fact.value))));
        }
    }
    facts
}

/// The two or three steps to do first: the fix steps, led by the diagnosis
/// specific to this finding when there are fewer than two fixes; the first two
/// steps when there is neither.
fn top_steps(items: &[crate::model::ChecklistItem]) -> Vec<&crate::model::ChecklistItem> {
    let mut fix: Vec<_> = items
        .iter()
        .filter(|i| i.stage == Stage::Fix)
        .take(3)
        .collect();
    if fix.len() < 2 {
        let diagnose = items.iter().filter(|i| i.stage == Stage::Diagnose);
        let specific = diagnose.clone().filter(|i| !i.id.starts_with("general."));
        let general = diagnose.filter(|i| i.id.starts_with("general."));
        let mut lead: Vec<_> = specific
            .chain(general)
            .take(2usize.saturating_sub(fix.len()))
            .collect();
        lead.append(&mut fix);
        fix = lead;
    }
    if fix.is_empty() {
        fix = items.iter().take(2).collect();
    }
    fix
}

/// The lines around `span` in `text` (`around` either side, at most 15 lines,
/// each cut at 400 characters), with every credential in them masked, and the
/// 1-based line the span starts on.
fn excerpt(text: &str, span: Span, around: usize, secrets: &[Secret]) -> Option<(usize, String)> {
    let start = span.start.min(text.len());
    let head = text.get(..start)?;
    let line = head
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        .saturating_add(1);
    // Back to the start of the span's line, then `around` lines further up.
    let mut from = head.rfind('\n').map_or(0, |nl| nl.saturating_add(1));
    for _ in 0..around {
        if from == 0 {
            break;
        }
        from = text
            .get(..from.saturating_sub(1))?
            .rfind('\n')
            .map_or(0, |nl| nl.saturating_add(1));
    }
    // Forward to the end of the span's last line, then `around` lines further down.
    let end = span.end.clamp(start, text.len());
    let line_end = |at: usize| {
        text.get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |nl| at.saturating_add(nl))
    };
    let mut to = line_end(end);
    for _ in 0..around {
        if to >= text.len() {
            break;
        }
        to = line_end(to.saturating_add(1));
    }
    let mut masked = String::new();
    let mut at = from;
    let mut order: Vec<&Secret> = secrets
        .iter()
        .filter(|s| s.span.start < to && s.span.end > from)
        .collect();
    crate::scan::sort_by_key(&mut order, |s| (s.span.start, s.span.end, 0));
    for s in order {
        let (a, b) = (s.span.start.max(from), s.span.end.min(to));
        if a < at {
            continue;
        }
        masked.push_str(text.get(at..a)?);
        masked.push_str(&s.masked);
        at = b;
    }
    masked.push_str(text.get(at..to)?);
    let lines: Vec<String> = masked
        .trim_end_matches('\n')
        .lines()
        .take(15)
        .map(|l| match l.char_indices().nth(400) {
            Some((cut, _)) => format!("{} \u{2026}", neutralise(l.get(..cut).unwrap_or(l))),
            None => neutralise(l),
        })
        .collect();
    Some((line, lines.join("\n")))
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

fn finding_summary(f: &Finding) -> Cow<'_, str> {
    if f.summary.trim().is_empty() {
        Cow::Owned(summary(f))
    } else {
        Cow::Borrowed(f.summary.as_str())
    }
}

/// The finding's one-line answer; built here for a finding that comes without
/// one (deserialized from an older report).
fn answer_of(f: &Finding) -> Cow<'_, str> {
    if f.answer.trim().is_empty() {
        let mut view = f.clone();
        view.summary = finding_summary(f).into_owned();
        Cow::Owned(crate::explain::answer::line(&view))
    } else {
        Cow::Borrowed(f.answer.as_str())
    }
}

fn items_of(f: &Finding) -> Cow<'_, [crate::model::ChecklistItem]> {
    if f.checklist.is_empty() {
        Cow::Owned(checklist(f))
    } else {
        Cow::Borrowed(f.checklist.as_slice())
    }
}

fn caveats_of(f: &Finding) -> Cow<'_, [crate::model::Caveat]> {
    if f.caveats.is_empty() {
        Cow::Owned(caveats(f))
    } else {
        Cow::Borrowed(f.caveats.as_slice())
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// `f` with every value whose evidence overlaps a credential replaced by
/// `REDACTED`; when anything was replaced, the summary, checklist and caveats are
/// computed again from the cleaned values so that none of them repeats the secret.
/// Every finding of `report` as [`redacted_view`] shows it.
fn redacted_views(report: &Report) -> Vec<Finding> {
    report
        .findings
        .iter()
        .map(|f| redacted_view(f, &report.secrets))
        .collect()
}

fn redacted_view(f: &Finding, secrets: &[Secret]) -> Finding {
    let mut view = f.clone();
    if secrets.is_empty() {
        return view;
    }
    let hit = |span: Span| secrets.iter().any(|s| overlaps(s.span, span));
    let mut changed = false;
    let mut replaced: Vec<String> = Vec::new();
    for e in &f.evidence {
        if !hit(e.span) {
            continue;
        }
        let slot = match e.field.as_str() {
            "principal" => &mut view.principal,
            "action" => &mut view.action,
            "resource" => &mut view.resource,
            "errorCode" => &mut view.error_code,
            _ => continue,
        };
        if let Some(original) = slot.replace(REDACTED.to_owned()) {
            if original != REDACTED {
                replaced.push(original);
            }
            changed = true;
        }
    }
    for fact in &mut view.facts {
        if hit(fact.span) {
            fact.value = REDACTED.to_owned();
            changed = true;
        }
    }
    if let Some(e) = view.evaluation.as_mut().filter(|_| changed) {
        // The evaluation repeats the request's values throughout (the fix's JSON,
        // the trace): keep only its verdict and sentence, with the values masked.
        for original in replaced.iter().filter(|o| !o.is_empty()) {
            e.text = e.text.replace(original.as_str(), REDACTED);
            for v in [
                &mut e.request.principal,
                &mut e.request.action,
                &mut e.request.resource,
            ]
            .into_iter()
            .flatten()
            {
                if v == original {
                    REDACTED.clone_into(v);
                }
            }
        }
        e.result = None;
    }
    if changed {
        view.summary = summary(&view);
        view.checklist = checklist(&view);
        view.caveats = caveats(&view);
        view.answer = crate::explain::answer::line(&view);
    }
    view
}

fn secrets_warning(secrets: &[Secret], md: bool) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for s in secrets {
        if !kinds.contains(&s.kind.as_str()) {
            kinds.push(s.kind.as_str());
        }
    }
    let kinds: Vec<String> = kinds
        .iter()
        .map(|k| if md { code_span(k) } else { neutralise(k) })
        .collect();
    let count = secrets.len();
    let noun = if count == 1 {
        "value that looks"
    } else {
        "values that look"
    };
    format!(
        "the pasted text contains {count} {noun} like a credential ({}). This output leaves them out, and only the redacted copy of the text should be shared. If they are real, treat them as exposed: revoke and replace them.",
        kinds.join(", ")
    )
}

/// The rows of the field table, in a fixed order; absent values are left out.
fn fields(f: &Finding) -> Vec<(String, String)> {
    let mut rows = vec![("Provider".to_owned(), provider_json(f.provider).to_owned())];
    let mut push = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((label.to_owned(), v));
        }
    };
    push("Error code", f.error_code.clone());
    push("HTTP status", f.http_status.map(|s| s.to_string()));
    push("Gate", Some(gate_json(f.gate).to_owned()));
    push("Deny", f.deny.map(|d| deny_json(d).to_owned()));
    push(
        "Confidence",
        Some(
            match f.confidence {
                crate::model::Confidence::Certain => "certain",
                crate::model::Confidence::Likely => "likely",
                crate::model::Confidence::Possible => "possible",
            }
            .to_owned(),
        ),
    );
    push(
        "Policy type",
        f.policy_type.map(|t| PolicyType::as_str(t).to_owned()),
    );
    push("Principal", f.principal.clone());
    push("Action", f.action.clone());
    push("Resource", f.resource.clone());
    for fact in &f.facts {
        // Kubernetes' core API group is the empty string; say so rather than print nothing.
        let value = if fact.key == "apiGroup" && fact.value.is_empty() {
            "\"\" (core)".to_owned()
        } else {
            fact.value.clone()
        };
        push(fact_label(&fact.key), Some(value));
    }
    rows
}

/// The label for a fact key, as the page shows it.
fn fact_label(key: &str) -> &str {
    match key {
        "namespace" => "Namespace",
        "apiGroup" => "API group",
        "verb" => "Verb",
        "scope" => "Scope",
        "objectId" => "Object id",
        "requestId" => "Request id",
        "reason" => "Reason",
        "constraint" => "Constraint",
        "encodedMessage" => "Encoded message",
        "via" => "Via",
        "podSecurity" => "Pod Security level",
        "podSecurityWarning" => "Pod Security level (warned)",
        "admissionPlugin" => "Admission plugin",
        "subresource" => "Subresource",
        "admissionWebhook" => "Admission webhook",
        "operation" => "Operation",
        "region" => "Region",
        "wwwAuthenticate" => "WWW-Authenticate",
        "proxyAuthenticate" => "Proxy-Authenticate",
        "expiresAt" => "Expires at",
        "serverTime" => "Server time",
        "policyArn" => "Policy ARN",
        "appId" => "App id",
        "assertionIssuer" => "Token issuer",
        "assertionSubject" => "Token subject",
        "assertionAudience" => "Token audience",
        "xAmzExpires" => "X-Amz-Expires (seconds)",
        "vpcServiceControlsUniqueIdentifier" => "VPC-SC unique identifier",
        "service" => "Service",
        "domain" => "Domain",
        "name" => "Name",
        "origin" => "Origin",
        "mayConceal" => "May conceal",
        "denyAssignment" => "Deny assignment",
        "eventSource" => "Event source",
        "permissionModel" => "Permissions",
        "method" => "HTTP method",
        "caller" => "Caller",
        "client" => "Client",
        "documentationUrl" => "Documentation",
        "githubMessage" => "GitHub says",
        "permission" => "Permission",
        "rateLimitRemaining" => "Rate limit remaining",
        "rayId" => "Cloudflare Ray ID",
        "server" => "Server",
        "sshRefusal" => "SSH refusal",
        "shellCutUrl" => "Cut before",
        "argoResource" => "Argo CD kind",
        "tokenScope" => "Token scope",
        "serviceDisabled" => "Disabled API",
        "credentialPlugin" => "Credential plugin",
        "phrase" => "Words",
        "launchPermission" => "Decided by",
        "project" => "Project",
        "billingDisabled" => "Billing disabled",
        "lockedScope" => "Locked scope",
        "messageOf" => "Message of the code",
        "packageClient" => "Package client",
        "projectRefused" => "Project refused",
        "protectedBranch" => "Protected branch",
        "registryError" => "Registry error",
        "rpc" => "RPC method",
        "servicePrincipal" => "Service principal",
        "dbError" => "Database error",
        "objectType" => "Object type",
        "host" => "Client host",
        "role" => "Role",
        "database" => "Database",
        "schema" => "Schema",
        "vhost" => "Virtual host",
        "anonymous" => "Anonymous",
        other => other,
    }
}

/// The provider's name, or for a service with no provider of its own
/// (HashiCorp Vault) its `service` fact.
fn provider_of(f: &Finding) -> &str {
    match f.provider {
        Provider::Unknown => f
            .facts
            .iter()
            .find(|x| x.key == "service")
            .map_or(provider_label(f.provider), |x| x.value.as_str()),
        p => provider_label(p),
    }
}

fn provider_label(p: Provider) -> &'static str {
    match p {
        Provider::Aws => "AWS",
        Provider::Gcp => "Google Cloud",
        Provider::Azure => "Azure",
        Provider::Kubernetes => "Kubernetes",
        Provider::Http => "HTTP",
        Provider::Github => "GitHub",
        Provider::Registry => "a package or container registry",
        Provider::S3Compatible => "an S3-compatible storage service",
        Provider::Unknown => "an unknown service",
    }
}

fn provider_json(p: Provider) -> &'static str {
    match p {
        Provider::Aws => "aws",
        Provider::Gcp => "gcp",
        Provider::Azure => "azure",
        Provider::Kubernetes => "kubernetes",
        Provider::Http => "http",
        Provider::Github => "github",
        Provider::Registry => "registry",
        Provider::S3Compatible => "s3-compatible",
        Provider::Unknown => "unknown",
    }
}

fn gate_label(g: Gate) -> &'static str {
    match g {
        Gate::Authentication => "authentication failure",
        Gate::Authorization => "authorization failure",
        Gate::Replay => "replay protection",
        Gate::NotAuth => "not an access-control failure",
        Gate::Unknown => "gate unknown",
    }
}

fn gate_json(g: Gate) -> &'static str {
    match g {
        Gate::Authentication => "authentication",
        Gate::Authorization => "authorization",
        Gate::Replay => "replay",
        Gate::NotAuth => "not-auth",
        Gate::Unknown => "unknown",
    }
}

fn deny_json(d: DenyKind) -> &'static str {
    match d {
        DenyKind::Explicit => "explicit",
        DenyKind::Implicit => "implicit",
        DenyKind::Unknown => "unknown",
    }
}

fn stage_label(s: Stage) -> &'static str {
    match s {
        Stage::Capture => "capture",
        Stage::Diagnose => "diagnose",
        Stage::Fix => "fix",
        Stage::Verify => "verify",
        Stage::Prevent => "prevent",
    }
}

fn stage_title(s: Stage) -> &'static str {
    match s {
        Stage::Capture => "Capture",
        Stage::Diagnose => "Diagnose",
        Stage::Fix => "Fix",
        Stage::Verify => "Verify",
        Stage::Prevent => "Prevent",
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::SecurityWarning => "security warning",
        Severity::Warning => "warning",
        Severity::Suggestion => "suggestion",
        Severity::Info => "note",
    }
}

/// `s` with every dangerous character, newlines included, replaced by U+FFFD.
fn neutralise(s: &str) -> String {
    s.chars()
        .map(|c| if is_dangerous(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// `s` on one line for a terminal: newlines and tabs become spaces, other
/// dangerous characters U+FFFD.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_dangerous(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Prose that this crate wrote (values inside it are already code spans) on one
/// Markdown line: newlines become spaces so it cannot start a new block.
fn md_line(s: &str) -> String {
    one_line(s)
}

/// Backslash-escapes every ASCII punctuation character that Markdown gives a
/// meaning (CommonMark allows escaping any ASCII punctuation), turns `&` into
/// `&amp;` so it cannot start an entity, and puts everything on one line.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '-' | '.' | '!' | '|' | '~' | '"' | '\'' | '=' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A table cell: pipes escaped (GitHub-flavoured Markdown splits cells on `|`
/// even inside code spans unless it is escaped).
fn table_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A code fence longer than any run of backticks in `s`, and at least three long.
fn fence_for(s: &str) -> String {
    let mut longest = 0usize;
    let mut run = 0usize;
    for c in s.chars() {
        if c == '`' {
            run = run.saturating_add(1);
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat(longest.saturating_add(1).max(3))
}

fn md_diagnostic(d: &Diagnostic) -> String {
    let mut line = format!(
        "- **{}** {} ({})",
        severity_label(d.severity),
        md_escape(&d.message),
        code_span(&d.code)
    );
    if let Some(h) = &d.help {
        line.push_str(" — ");
        line.push_str(&md_escape(h));
    }
    line.push('\n');
    line
}

// ---------------------------------------------------------------------------
// Simulations

/// A simulation as plain text for a terminal.
#[must_use]
pub fn simulation_text(sim: &Simulation) -> String {
    render_simulation(sim, false)
}

/// A simulation as Markdown, for a support chat or a ticket.
#[must_use]
pub fn simulation_markdown(sim: &Simulation) -> String {
    render_simulation(sim, true)
}

/// One sentence saying what the evaluation decided and what decided it.
#[must_use]
pub fn decision_sentence(result: &SimulationResult) -> String {
    let who = |d: &DeniedBy| {
        let mut s = format!("the {} policy", type_words(d.policy_type));
        if let Some(name) = &d.policy_name {
            let _ = write!(s, " `{}`", one_line(name));
        }
        if let Some(level) = &d.level {
            let _ = write!(s, " at level `{}`", one_line(level));
        }
        s
    };
    match result.decision {
        Decision::Allowed => "Allowed: the pasted policies allow this request.".to_owned(),
        Decision::ExplicitlyDenied => {
            let parts: Vec<String> = result
                .denied_by
                .iter()
                .filter(|d| d.kind == DenyKind::Explicit)
                .map(|d| {
                    let statement = match (&d.sid, d.statement) {
                        (Some(sid), _) => format!("statement `{}`", one_line(sid)),
                        (None, Some(i)) => format!("statement {i}"),
                        (None, None) => "a statement".to_owned(),
                    };
                    format!("{statement} of {}", who(d))
                })
                .collect();
            format!(
                "Explicitly denied by {}.",
                join_or(&parts, "a Deny statement")
            )
        }
        Decision::ImplicitlyDenied => {
            let parts: Vec<String> = result.denied_by.iter().map(who).collect();
            format!(
                "Implicitly denied: nothing allows the request in {}.",
                join_or(&parts, "the policies given")
            )
        }
        Decision::Unknown => {
            let keys: Vec<String> = result
                .missing_context
                .iter()
                .map(|m| format!("`{}`", one_line(&m.key)))
                .collect();
            if keys.is_empty() {
                "Unknown: part of the policies could not be evaluated, so the tool will not say Allowed."
                    .to_owned()
            } else {
                format!(
                    "Unknown: the decision depends on {}, which the request does not give.",
                    keys.join(", ")
                )
            }
        }
    }
}

fn join_or(parts: &[String], empty: &str) -> String {
    match parts {
        [] => empty.to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn render_simulation(sim: &Simulation, md: bool) -> String {
    let line = |s: &str| if md { md_line(s) } else { neutralise(s) };
    let mut out = String::new();
    let result = match sim {
        Simulation::Failure { errors } => {
            out.push_str(&line("The scenario could not be evaluated:"));
            out.push('\n');
            for d in errors {
                out.push_str(&list_diagnostic(d, md));
            }
            return out;
        }
        Simulation::Success(result) => result,
    };
    if md {
        let _ = writeln!(out, "## Decision: {}\n", result.decision.as_str());
    } else {
        let _ = writeln!(out, "Decision: {}", result.decision.as_str());
    }
    out.push_str(&line(&decision_sentence(result)));
    out.push('\n');
    simulation_body(result, md, 3, &mut out);
    out
}

/// A diagnostic as one list item, ending with a newline.
fn list_diagnostic(d: &Diagnostic, md: bool) -> String {
    if md {
        md_diagnostic(d)
    } else {
        format!("- {}\n", text_diagnostic(d))
    }
}

/// Everything a simulation says after its decision: missing context, what was
/// not evaluated, each policy type, the fix and the problems in the policies.
/// Markdown section headings are at level `depth`.
fn simulation_body(result: &SimulationResult, md: bool, depth: usize, out: &mut String) {
    let line = |s: &str| if md { md_line(s) } else { neutralise(s) };
    let heading = |title: &str| {
        if md {
            format!("\n{} {title}\n\n", "#".repeat(depth))
        } else {
            format!("\n{title}:\n")
        }
    };
    for m in &result.missing_context {
        for o in &m.outcomes {
            let _ = writeln!(
                out,
                "- {}",
                line(&format!(
                    "{} if `{}` satisfies `{}`, otherwise {}",
                    o.when_true.as_str(),
                    one_line(&m.key),
                    one_line(&o.condition),
                    o.when_false.as_str()
                ))
            );
        }
    }
    for u in result.unevaluated.iter().filter(|u| u.matters) {
        let _ = writeln!(out, "- {}", line(&format!("not evaluated: {}", u.message)));
    }
    if !result.by_policy_type.is_empty() {
        out.push_str(&heading("By policy type"));
        for t in &result.by_policy_type {
            let level = t
                .level
                .as_deref()
                .map(|l| format!(" ({})", one_line(l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {}",
                line(&format!(
                    "{}{level}: {}",
                    type_words(t.policy_type),
                    outcome_words(t.result)
                ))
            );
        }
    }
    if let Some(fix) = &result.fix {
        out.push_str(&heading("Fix"));
        out.push_str(&line(&fix.summary));
        out.push('\n');
        for change in &fix.changes {
            let _ = writeln!(out, "- {}", line(&change.note));
            if change.json.is_null() {
                // `remove-statement`: the note says it all.
                continue;
            }
            // Neutralised line by line: the newlines are ours, the values are not.
            let json = serde_json::to_string_pretty(&change.json)
                .unwrap_or_default()
                .lines()
                .map(neutralise)
                .collect::<Vec<_>>()
                .join("\n");
            if md {
                let fence = fence_for(&json);
                let _ = writeln!(out, "\n  {fence}json\n{}\n  {fence}", indent(&json, "  "));
            } else {
                let _ = writeln!(out, "{}", indent(&json, "    "));
            }
        }
        for w in &fix.warnings {
            let _ = writeln!(out, "- {}", line(&format!("Note: {w}")));
        }
    }
    if !result.diagnostics.is_empty() {
        out.push_str(&heading("Problems in the policies"));
        for d in &result.diagnostics {
            out.push_str(&list_diagnostic(&d.diagnostic, md));
        }
    }
}

/// What the pasted policies say about one finding: the verdict, its sentence,
/// and the simulation behind it. Text is indented to sit under a finding;
/// Markdown uses `###` for its heading and `####` below it.
fn evaluation_block(e: &FindingEvaluation, md: bool) -> String {
    let mut out = String::new();
    if md {
        let _ = writeln!(
            out,
            "\n### Pasted policies: {}\n",
            code_span(e.verdict.as_str())
        );
        out.push_str(&md_line(&e.text));
        out.push('\n');
        if let Some(r) = &e.result {
            let _ = writeln!(out, "\n**Decision:** {}", code_span(r.decision.as_str()));
            simulation_body(r, true, 4, &mut out);
        }
        return out;
    }
    let _ = writeln!(out, "\n  Pasted policies: {}", e.verdict.as_str());
    let _ = writeln!(out, "    {}", one_line(&e.text));
    if let Some(r) = &e.result {
        let mut body = format!("Decision: {}\n", r.decision.as_str());
        simulation_body(r, false, 0, &mut body);
        for l in body.lines() {
            if l.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {l}");
            }
        }
    }
    out
}

fn indent(s: &str, by: &str) -> String {
    s.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn outcome_words(o: TypeOutcome) -> &'static str {
    match o {
        TypeOutcome::Allow => "allows",
        TypeOutcome::ExplicitDeny => "denies (explicit Deny)",
        TypeOutcome::NoAllow => "no statement allows (implicit deny)",
        TypeOutcome::Unknown => "unknown",
        TypeOutcome::NotApplicable => "does not apply",
    }
}

fn text_diagnostic(d: &Diagnostic) -> String {
    let mut s = format!("{}: {}", severity_label(d.severity), neutralise(&d.message));
    if let Some(l) = d.labels.first() {
        let _ = write!(s, " (line {}, column {})", l.line, l.column);
    }
    if let Some(help) = &d.help {
        let _ = write!(s, "; {}", neutralise(help));
    }
    s
}

/// Catalogue rows for the command line's `code` command: one block a row, the
/// service-specific rows after the general one.
#[must_use]
pub fn catalogue_rows(rows: &[&crate::catalogue::Entry]) -> String {
    let mut out = String::new();
    for e in rows {
        let scope = if e.service.is_empty() {
            String::new()
        } else {
            format!(" (from {})", e.service)
        };
        let _ = writeln!(out, "{}{scope}: {}", e.code, e.meaning);
        let _ = writeln!(out, "  provider     {}", provider_label(e.provider));
        let status = e.status.map_or_else(
            || "not implied: it depends on the service".to_owned(),
            |s| s.to_string(),
        );
        let _ = writeln!(out, "  HTTP status  {status}");
        let _ = writeln!(out, "  gate         {}", gate_label(e.gate));
        if let Some(d) = e.deny {
            let _ = writeln!(out, "  deny         {}", deny_json(d));
        }
        if let Some(p) = e.policy {
            let _ = writeln!(
                out,
                "  policy type  {}",
                crate::explain::checklist::policy_type_phrase(p)
            );
        }
        let _ = writeln!(out, "  source       {}\n", e.source);
    }
    out
}

/// The short form's label for a finding: what kind of refusal it is, in the
/// words a support engineer would use (only an authorization failure is an
/// "access denied"; a refused credential or a rate limit is not).
fn chat_label(gate: Gate) -> &'static str {
    match gate {
        Gate::Authorization => "Access denied",
        Gate::Authentication => "Credentials refused",
        Gate::Replay | Gate::NotAuth | Gate::Unknown => "Refused",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Fact};

    fn aws_finding() -> Finding {
        // The identity-based implicit form from the AWS IAM User Guide,
        // "Troubleshoot access denied error messages".
        let mut f = Finding {
            provider: Provider::Aws,
            error_code: Some("AccessDenied".to_owned()),
            http_status: Some(403),
            gate: Gate::Authorization,
            confidence: crate::model::Confidence::Certain,
            deny: Some(DenyKind::Implicit),
            policy_type: Some(PolicyType::Identity),
            principal: Some("arn:aws:iam::123456789012:user/alice".to_owned()),
            action: Some("s3:GetObject".to_owned()),
            resource: Some("arn:aws:s3:::b/k".to_owned()),
            summary: String::new(),
            answer: String::new(),
            span: Span::new(0, 100),
            evidence: Vec::new(),
            facts: Vec::new(),
            checklist: Vec::new(),
            caveats: Vec::new(),
            count: 1,
            occurrences: Vec::new(),
            evaluation: None,
        };
        f.summary = summary(&f);
        f.checklist = checklist(&f);
        f.caveats = caveats(&f);
        f
    }

    fn report(findings: Vec<Finding>, secrets: Vec<Secret>) -> Report {
        Report {
            findings,
            secrets,
            redacted: String::new(),
            summary: String::new(),
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn report_summary_counts() {
        assert_eq!(
            report_summary(&[]),
            "No access denial recognised in the text."
        );
        let f = aws_finding();
        assert_eq!(
            report_summary(std::slice::from_ref(&f)),
            "1 denial found: AWS denied `s3:GetObject` on `arn:aws:s3:::b/k` for `arn:aws:iam::123456789012:user/alice`: no identity-based policy allows it (implicit deny)."
        );
        let mut k = aws_finding();
        k.provider = Provider::Kubernetes;
        assert_eq!(
            report_summary(&[f.clone(), k, f]),
            "3 denials found: 2 from AWS, 1 from Kubernetes."
        );
    }

    #[test]
    fn markdown_has_heading_table_tasks_and_fenced_commands() {
        let md = markdown(&report(vec![aws_finding()], Vec::new()));
        assert!(
            md.contains("## Finding 1: AWS, authorization failure\n"),
            "{md}"
        );
        assert!(
            md.contains("| Field | Value |\n| --- | --- |\n| Provider | `aws` |\n"),
            "{md}"
        );
        assert!(
            md.contains("| Principal | `arn:aws:iam::123456789012:user/alice` |\n"),
            "{md}"
        );
        assert!(md.contains("- [ ] **Capture.** "), "{md}");
        assert!(
            md.contains("  ```sh\n  aws sts get-caller-identity\n  ```\n"),
            "{md}"
        );
        assert!(md.contains(
            "  ```sh\n  aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice --action-names s3:GetObject --resource-arns arn:aws:s3:::b/k\n  ```\n"
        ));
        assert!(md.contains("### What the message cannot tell\n"), "{md}");
        assert!(!md.contains("Warning"), "no secrets, no warning: {md}");
    }

    #[test]
    fn facts_are_labelled_for_people_and_the_core_api_group_is_named() {
        let mut f = aws_finding();
        f.provider = Provider::Kubernetes;
        f.facts = vec![
            Fact {
                key: "apiGroup".to_owned(),
                value: String::new(),
                span: Span::new(0, 0),
            },
            Fact {
                key: "namespace".to_owned(),
                value: "prod".to_owned(),
                span: Span::new(0, 4),
            },
        ];
        let t = text(&report(vec![f], Vec::new()));
        assert!(t.contains("  API group     \"\" (core)\n"), "{t}");
        assert!(t.contains("  Namespace     prod\n"), "{t}");
    }

    #[test]
    fn markdown_values_cannot_inject_markup() {
        let mut f = aws_finding();
        f.resource = Some("x` | **bold** | [link](http://evil)\n# heading ``` `".to_owned());
        f.principal = Some("a|b".to_owned());
        f.facts.push(Fact {
            key: "namespace".to_owned(),
            value: "<script>alert(1)</script>".to_owned(),
            span: Span::new(0, 1),
        });
        f.summary = summary(&f);
        f.checklist = checklist(&f);
        let md = markdown(&report(vec![f], Vec::new()));
        // The resource row: a code span with a four-backtick fence (the value holds
        // a run of three), padded because it ends with a backtick, pipes escaped.
        assert!(
            md.contains("| Resource | ```` x` \\| **bold** \\| [link](http://evil) # heading ``` ` ```` |\n"),
            "{md}"
        );
        assert!(md.contains("| Principal | `a\\|b` |\n"), "{md}");
        // No line of the output starts a heading except ours.
        for line in md.lines() {
            if line.starts_with('#') {
                assert!(
                    line.starts_with("## Finding") || line.starts_with("### What"),
                    "{line}"
                );
            }
        }
        // The HTML only ever appears inside a code span.
        assert!(md.contains("`<script>alert(1)</script>`"), "{md}");
    }

    #[test]
    fn fences_outgrow_backticks_in_commands() {
        assert_eq!(fence_for("aws x"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }

    #[test]
    fn secrets_warning_and_redaction_of_overlapping_values() {
        let mut f = aws_finding();
        // A presigned URL as the resource, its signature found as a secret.
        f.resource = Some("https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123".to_owned());
        f.evidence.push(Evidence {
            field: "resource".to_owned(),
            span: Span::new(50, 110),
        });
        f.summary = summary(&f);
        f.checklist = checklist(&f);
        let secret = Secret {
            kind: "aws-presigned-signature".to_owned(),
            span: Span::new(90, 110),
            masked: "X-Amz-Signature=****".to_owned(),
            expires_at: None,
            expired: None,
            alarm: true,
        };
        let r = report(vec![f], vec![secret]);
        for out in [markdown(&r), text(&r)] {
            assert!(!out.contains("abcdef0123"), "{out}");
            assert!(out.contains("REDACTED"), "{out}");
            assert!(
                out.contains("`aws-presigned-signature`")
                    || out.contains("(aws-presigned-signature)"),
                "{out}"
            );
            assert!(out.contains("treat them as exposed"), "{out}");
        }
        assert!(markdown(&r).contains(
            "> **Warning:** the pasted text contains 1 value that looks like a credential"
        ));
    }

    #[test]
    fn text_is_plain_and_neutralises_terminal_escapes() {
        let mut f = aws_finding();
        f.principal = Some("arn:aws:iam::123456789012:user/\u{1b}[31mred\u{202e}x".to_owned());
        f.summary = summary(&f);
        f.checklist = checklist(&f);
        let t = text(&report(vec![f], Vec::new()));
        assert!(!t.contains('\u{1b}'), "{t}");
        assert!(!t.contains('\u{202e}'), "{t}");
        assert!(t.starts_with("1 denial found: "), "{t}");
        assert!(
            t.contains("Finding 1 of 1: AWS, authorization failure\n"),
            "{t}"
        );
        assert!(t.contains("  Principal     "), "{t}");
        assert!(t.contains("   1. [capture] "), "{t}");
        assert!(t.contains("        $ aws sts get-caller-identity\n"), "{t}");
    }

    #[test]
    fn empty_report_renders_the_short_answer() {
        let r = report(Vec::new(), Vec::new());
        assert_eq!(text(&r), "No access denial recognised in the text.\n");
        assert_eq!(markdown(&r), "No access denial recognised in the text.\n");
    }

    #[test]
    fn fact_labels_are_escaped_once_in_tables() {
        let mut f = aws_finding();
        f.facts.push(Fact {
            key: "a|b".to_owned(),
            value: "v".to_owned(),
            span: Span::new(0, 0),
        });
        let md = markdown(&report(vec![f], Vec::new()));
        assert!(md.contains("| a\\|b | `v` |\n"), "{md}");
    }

    #[test]
    fn evaluation_renders_under_its_finding() {
        // The explicit identity-based deny example from AWS's "Troubleshoot access
        // denied error messages" page, with a policy that denies it.
        let text = "User: arn:aws:iam::123456789012:role/HR is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy";
        let policies = serde_json::json!([{ "type": "identity", "name": "HR", "document": {
            "Version": "2012-10-17",
            "Statement": [{ "Sid": "NoDeployments", "Effect": "Deny", "Action": "codedeploy:*", "Resource": "*" }]
        } }]);
        let report = crate::explain_with(
            text,
            &crate::ExplainOptions {
                now_millis: None,
                policies: Some(policies),
            },
        );
        let t = super::text(&report);
        assert!(
            t.contains("\n  Pasted policies: reproduces\n    The pasted policies reproduce the denial. Explicitly denied by statement `NoDeployments` of the identity-based policy `HR`.\n    Decision: ExplicitlyDenied\n"),
            "{t}"
        );
        assert!(t.find("Pasted policies").unwrap() < t.find("What to do").unwrap());
        let md = markdown(&report);
        assert!(
            md.contains(
                "\n### Pasted policies: `reproduces`\n\nThe pasted policies reproduce the denial."
            ),
            "{md}"
        );
        assert!(md.contains("\n**Decision:** `ExplicitlyDenied`\n"), "{md}");
        assert!(md.contains("\n#### Fix\n"), "{md}");
        assert!(md.contains("  ```json\n  {\n"), "{md}");
    }

    #[test]
    fn simulation_text_keeps_the_fix_json_on_its_lines() {
        let scenario = serde_json::json!({
            "request": { "principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333" },
            "policies": [{ "type": "identity", "name": "p", "document": { "Version": "2012-10-17", "Statement": [] } }]
        });
        let t = simulation_text(&crate::simulate(&scenario.to_string()));
        assert!(
            t.contains("\n    {\n      \"Action\": \"s3:GetObject\",\n"),
            "{t}"
        );
        assert!(!t.contains('\u{FFFD}'), "{t}");
        let failure = simulation_markdown(&crate::simulate("{"));
        assert!(failure.contains("\n- **error** "), "{failure}");
        assert!(!failure.contains("- - "), "{failure}");
    }

    #[test]
    fn md_escape_escapes_markup() {
        assert_eq!(
            md_escape("a*b_[c](d)<e>&#|"),
            "a\\*b\\_\\[c\\]\\(d\\)\\<e\\>&amp;\\#\\|"
        );
    }

    // The short form labels a refusal by its gate: only an authorization
    // failure is "access denied". Real messages: a throttled call
    // (https://github.com/aws/aws-sdk-js/issues/2432, the first line of its
    // paste) and an expired session token (AWS "Common errors", ExpiredToken).
    #[test]
    fn the_short_form_names_the_kind_of_refusal() {
        let t = "{ ThrottlingException: Rate exceeded";
        let out = chat(&crate::explain(t), t);
        assert!(
            out.starts_with("**Refused:** Not an access-control denial"),
            "{out}"
        );
        let t = "An error occurred (ExpiredToken) when calling the GetObject operation: The provided token has expired.";
        let out = chat(&crate::explain(t), t);
        assert!(out.starts_with("**Credentials refused:**"), "{out}");
    }
}
