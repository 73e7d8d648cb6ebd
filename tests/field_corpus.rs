//! Recognition measured on real messages: every line of the `.jsonl` files under
//! `tests/fixtures/field/` is an error message as someone published it (the
//! `source` names where), with labels judged from its text and the provider's
//! documentation (`tests/fixtures/field/README.md`). None was written for this
//! project, so unlike the fixture corpus the recognisers were not shaped to them.
//!
//! The test prints the accuracy of each label and the cases that miss, and fails
//! when a label falls below its floor. The floors only ever go up.

// A test reads its fixtures with `expect` and indexing: a panic names the case.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use denial_explainer::explain;
use serde_json::Value;
use std::fmt::Write as _;

/// The labels scored.
const FIELDS: [&str; 8] = [
    "gate",
    "deny_kind",
    "policy_type",
    "provider",
    "http_status",
    "principal",
    "action",
    "resource",
];

/// The lowest accuracy (in percent) allowed for each label, per file:
/// `cases.jsonl` is the shared development set (`../shared/field-corpus/`),
/// `collected.jsonl` the messages this project collected from public issue
/// threads and documentation afterwards, each with its source. The floors only
/// ever go up.
/// The last number is how many denials may go without any finding (the
/// target is none).
/// `collected-2.jsonl` and `collected-3.jsonl` are later collections, each
/// scored first against the tool as it stood (gate 87.5% and 11 denials
/// without a finding; gate 77.6% and 12) and then used to find what general
/// forms were missing. `collected-4.jsonl` (60 AWS messages: SDKs in ten
/// languages, wrappers, and lookalikes such as throttling and missing
/// resources) scored gate 86.7%, provider 70% and action 75%, with 6 denials
/// without a finding, before the forms it exposed were added.
/// `collected-5.jsonl` (125: Google Cloud, Azure, Kubernetes, GitHub, GitLab,
/// registries, package managers, Vault) arrived late in a session: scored
/// first at gate 78.4%, provider 51.2%, resource 61.6% with 27 denials
/// without a finding; the named refusals and Google's sentences it showed were
/// added (gate 94.4%, 3 silent), and its floors hold that until the rest is
/// worked through (the target is every file at none silent). The next
/// session's Google Cloud, Azure, Kubernetes, Git hosting and package-client
/// forms took it to gate 99.2%, provider 89.6%, resource 87.2%, one silent
/// (Terraform Enterprise's bare `resource not found`), which the session
/// after it read as a possible refusal hidden behind a 404 (provider 93.6%,
/// none silent); that session also read client errors' URLs, S3A paths, Lake
/// Formation names and Argo CD's RBAC refusal (collected-6 principal 96.5%,
/// action 93.9%, resource 86.1%; collected-7 gate 100%, resource 90.8%).
/// `collected-6.jsonl` (115: AWS and Google Cloud in tools and languages the
/// others lack, Azure data planes, Kubernetes tools, Vault, web servers,
/// identity services, package clients) scored first at gate 80.0%, provider
/// 67.0%, resource 75.7% with 21 denials without a finding; now gate 99.1%,
/// provider 87.8%, resource 80.9%, none silent.
/// `collected-7.jsonl` (65: AWS SDKs in Swift, Kotlin and Objective-C, HTTP
/// clients, registry and package clients such as skopeo, Podman, Buildah,
/// Helm, NuGet, Maven and Cargo, service trust refusals) scored first at gate
/// 84.6%, provider 72.3%, resource 61.5% with 7 denials without a finding; now
/// gate 96.9%, provider 98.5%, resource 80.0%, none silent.
/// `collected-8.jsonl` (62: Firebase, Google Cloud tools, Azure locks and
/// deployments, Kubernetes operators, Consul, Nomad, Vault, identity servers)
/// scored first at gate 79.0%, provider 46.8%, resource 72.6% with 14 denials
/// without a finding; now gate 98.4%, provider 80.6%, resource 90.3%, none.
/// `collected-9.jsonl` (65: Git hosting, Kubernetes tools, Microsoft identity
/// in applications) scored first at gate 78.5%, provider 53.8%, resource
/// 64.6% with 13 denials without a finding; now gate 98.5%, provider 89.2%,
/// resource 92.3%, none. `collected-10.jsonl` (62: CI and infrastructure logs
/// full of noise) scored first at gate 90.3%, provider 71.0%, 4 silent; now
/// gate 96.8%, provider 87.1%, resource 88.7%, none. `collected-12.jsonl`
/// (66: AWS and Google Cloud services and SDK forms the others lack) scored
/// first at gate 83.3%, provider 68.2%, 9 silent; now gate 98.5%, provider
/// 83.3%, none. `collected-11.jsonl` (65: databases, gateways and edges)
/// scored first at gate 49.2%, provider 12.3%, 35 silent; now gate 98.5%,
/// provider 69.2%, 1 silent (Apigee's fault code in a proxy's debug log).
const FLOORS: [(&str, [f64; 8], usize); 13] = [
    (
        "cases.jsonl",
        [99.5, 98.0, 98.5, 99.5, 97.5, 97.5, 98.5, 95.0],
        0,
    ),
    (
        "collected.jsonl",
        [99.5, 98.0, 99.0, 99.5, 94.5, 97.5, 96.0, 96.5],
        0,
    ),
    (
        "collected-2.jsonl",
        [100.0, 100.0, 98.0, 95.0, 94.0, 92.0, 96.0, 85.5],
        0,
    ),
    (
        "collected-3.jsonl",
        [98.0, 96.5, 100.0, 91.0, 96.5, 93.0, 87.5, 86.0],
        0,
    ),
    (
        "collected-4.jsonl",
        [100.0, 100.0, 100.0, 95.0, 95.0, 98.0, 90.0, 95.0],
        0,
    ),
    (
        "collected-5.jsonl",
        [99.0, 99.0, 99.5, 93.5, 96.5, 99.5, 97.5, 87.0],
        0,
    ),
    (
        "collected-6.jsonl",
        [98.5, 97.0, 100.0, 87.5, 95.5, 96.0, 93.5, 86.0],
        0,
    ),
    (
        "collected-7.jsonl",
        [99.5, 98.0, 100.0, 98.0, 98.0, 98.0, 95.0, 90.5],
        0,
    ),
    (
        "collected-8.jsonl",
        [98.0, 98.0, 100.0, 80.5, 93.5, 98.0, 95.0, 90.0],
        0,
    ),
    (
        "collected-9.jsonl",
        [98.0, 98.0, 100.0, 89.0, 89.0, 100.0, 100.0, 92.0],
        0,
    ),
    (
        "collected-10.jsonl",
        [96.5, 96.5, 100.0, 87.0, 96.5, 100.0, 91.5, 88.5],
        0,
    ),
    (
        "collected-11.jsonl",
        [98.0, 98.0, 100.0, 69.0, 96.5, 100.0, 100.0, 95.0],
        1,
    ),
    (
        "collected-12.jsonl",
        [98.0, 96.5, 98.0, 87.5, 93.5, 95.0, 93.5, 87.5],
        0,
    ),
];

/// A label in the corpus's vocabulary, from the tool's answer. The corpus says
/// `other` for what the tool calls `not-auth` and for providers the tool names
/// more finely (`registry`, `s3-compatible`); it says `not_applicable` where the
/// tool has no deny kind, and `not_applicable` or `unknown` where it names no
/// policy type (its README: "both a tool's `null`").
fn tool_label(field: &str, finding: Option<&Value>) -> Value {
    let Some(f) = finding else {
        return match field {
            "gate" => "other".into(),
            "deny_kind" => "not_applicable".into(),
            _ => Value::Null,
        };
    };
    let key = match field {
        "deny_kind" => "deny",
        "policy_type" => "policyType",
        "http_status" => "httpStatus",
        other => other,
    };
    let v = f.get(key).cloned().unwrap_or(Value::Null);
    match (field, v.as_str()) {
        ("gate", Some("not-auth")) => "other".into(),
        ("provider", Some("registry" | "s3-compatible" | "unknown")) => "other".into(),
        ("deny_kind", None) => "not_applicable".into(),
        _ => v,
    }
}

/// The corpus's label, folded the same way.
fn corpus_label(field: &str, v: &Value) -> Value {
    match (field, v.as_str()) {
        ("policy_type", Some("not_applicable" | "unknown")) => Value::Null,
        ("policy_type", Some("gcp_vpc_sc")) => "gcp_vpc_service_controls".into(),
        _ => v.clone(),
    }
}

/// The finding a person reads first for this paste: the surest one, the
/// earliest among equals.
fn primary(findings: &[Value]) -> Option<&Value> {
    let rank = |f: &Value| match f["confidence"].as_str() {
        Some("certain") => 2,
        Some("likely") => 1,
        _ => 0,
    };
    let best = findings.iter().map(rank).max()?;
    findings.iter().find(|f| rank(f) == best)
}

/// The ids of `pinned.txt`: cases that must be right on every label.
fn pinned() -> Vec<String> {
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field/pinned.txt");
    std::fs::read_to_string(file)
        .expect("tests/fixtures/field/pinned.txt exists")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Scores one file of cases; returns the report and what fell below the floors.
fn score(
    name: &str,
    cases: &[Value],
    floors: &[f64; 8],
    max_silent: usize,
) -> (String, Vec<String>) {
    let mut right = [0usize; FIELDS.len()];
    let mut misses = String::new();
    let mut silent = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("?");
        let report = explain(case["message"].as_str().expect("message is a string"));
        let report = serde_json::to_value(&report).expect("the report serialises");
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let finding = primary(&findings);
        if finding.is_none() && case["expected"]["gate"].as_str() != Some("other") {
            silent.push(id.to_owned());
        }
        for (i, field) in FIELDS.iter().enumerate() {
            let expected = if *field == "provider" {
                case["provider"].clone()
            } else {
                case["expected"][*field].clone()
            };
            let mut accepted = vec![corpus_label(field, &expected)];
            if let Some(more) = case["accept"][*field].as_array() {
                accepted.extend(more.iter().map(|v| corpus_label(field, v)));
            }
            let got = tool_label(field, finding);
            if accepted.contains(&got) {
                right[i] += 1;
            } else {
                let _ = writeln!(misses, "  {id}: {field} is {got}, expected {expected}");
            }
        }
    }
    let mut below = Vec::new();
    let pinned = pinned();
    for line in misses.lines() {
        let id = line.trim().split(':').next().unwrap_or("");
        if pinned.iter().any(|p| p == id) {
            below.push(format!("pinned case {}", line.trim()));
        }
    }
    let mut table = format!("{name}: {} real messages\n", cases.len());
    for (i, field) in FIELDS.iter().enumerate() {
        let pct = 100.0 * right[i] as f64 / cases.len().max(1) as f64;
        let floor = floors.get(i).copied().unwrap_or(100.0);
        let _ = writeln!(
            table,
            "  {field:<12} {:>3}/{} {pct:5.1}%  (floor {floor}%)",
            right[i],
            cases.len()
        );
        if pct < floor {
            below.push(format!("{name}: {field} {pct:.1}% < {floor}%"));
        }
    }
    let _ = writeln!(
        table,
        "  denials with no finding: {} {silent:?}",
        silent.len()
    );
    if silent.len() > max_silent {
        below.push(format!(
            "{name}: {} denials with no finding (at most {max_silent}): {silent:?}",
            silent.len()
        ));
    }
    (format!("{table}misses:\n{misses}"), below)
}

#[test]
fn field_corpus_accuracy() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, floors, max_silent) in &FLOORS {
        let file = dir.join(name);
        let text = std::fs::read_to_string(&file).expect("readable corpus file");
        let mut cases = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let case: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}:{}: {e}", n + 1));
            assert!(
                case["source"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}:{}: every real message names its source",
                n + 1
            );
            cases.push(case);
        }
        total += cases.len();
        let (report, below) = score(name, &cases, floors, *max_silent);
        println!("{report}");
        failures.extend(below);
    }
    assert!(total >= 171 + 268, "the corpus shrank to {total}");
    assert!(failures.is_empty(), "{failures:#?}");
}
