//! The `explain` fixture corpus: one JSON file per pasted message under
//! `tests/fixtures/explain/`, each with the findings the public documentation says
//! the message carries.
//!
//! Every case is checked and every failure is collected, so one run lists all the
//! cases that disagree (the way cedar runs its JSON corpus). The format of a case,
//! and the decisions behind the expectations, are in `tests/fixtures/explain/README.md`.

use denial_explainer::explain;
use serde_json::{Map, Value};
use std::fmt::Write as _;

mod common;

/// The issue asks for at least this many real-world-shaped messages.
const MINIMUM_CASES: usize = 120;

const FINDING_KEYS: [&str; 11] = [
    "provider",
    "confidence",
    "errorCode",
    "httpStatus",
    "gate",
    "deny",
    "policyType",
    "principal",
    "action",
    "resource",
    "facts",
];
const PROVIDERS: [&str; 9] = [
    "aws",
    "gcp",
    "azure",
    "kubernetes",
    "http",
    "github",
    "registry",
    "s3-compatible",
    "unknown",
];
const GATES: [&str; 5] = [
    "authentication",
    "authorization",
    "replay",
    "not-auth",
    "unknown",
];
const DENY_KINDS: [&str; 3] = ["explicit", "implicit", "unknown"];
const FACT_KEYS: [&str; 26] = [
    "rayId",
    "permission",
    "service",
    "documentationUrl",
    "namespace",
    "apiGroup",
    "verb",
    "scope",
    "objectId",
    "requestId",
    "reason",
    "constraint",
    "encodedMessage",
    "via",
    "operation",
    "region",
    "wwwAuthenticate",
    "expiresAt",
    "serverTime",
    "xAmzExpires",
    "policyArn",
    "permissionModel",
    "appId",
    "assertionIssuer",
    "assertionSubject",
    "assertionAudience",
];

/// Checks that the case file itself is well formed, so that a typo in a fixture
/// is reported as such instead of silently checking nothing.
fn check_case_shape(case: &Value, problems: &mut Vec<String>) {
    let Some(object) = case.as_object() else {
        problems.push("the case is not a JSON object".into());
        return;
    };
    for key in object.keys() {
        if !["description", "input", "findings"].contains(&key.as_str()) {
            problems.push(format!("unknown top-level key `{key}`"));
        }
    }
    if !object.get("description").is_some_and(Value::is_string) {
        problems.push("`description` must be a string".into());
    }
    if !object.get("input").is_some_and(Value::is_string) {
        problems.push("`input` must be a string".into());
    }
    let Some(findings) = object.get("findings").and_then(Value::as_array) else {
        problems.push("`findings` must be an array".into());
        return;
    };
    for (i, finding) in findings.iter().enumerate() {
        let Some(finding) = finding.as_object() else {
            problems.push(format!("expected finding {i} is not an object"));
            continue;
        };
        for (key, value) in finding {
            let allowed: Option<&[&str]> = match key.as_str() {
                "provider" => Some(&PROVIDERS),
                "gate" => Some(&GATES),
                "deny" if !value.is_null() => Some(&DENY_KINDS),
                "policyType" if !value.is_null() => {
                    let name = value.as_str().unwrap_or_default();
                    if denial_explainer::model::PolicyType::from_name(name).is_none() {
                        problems.push(format!("expected finding {i}: unknown policyType `{name}`"));
                    }
                    None
                }
                _ => None,
            };
            if !FINDING_KEYS.contains(&key.as_str()) {
                problems.push(format!("expected finding {i}: unknown key `{key}`"));
            }
            if let Some(allowed) = allowed {
                let name = value.as_str().unwrap_or_default();
                if !allowed.contains(&name) {
                    problems.push(format!(
                        "expected finding {i}: `{key}` has unknown value {value}"
                    ));
                }
            }
            if key == "facts" {
                match value.as_object() {
                    Some(facts) => {
                        for (fact_key, fact_value) in facts {
                            if !FACT_KEYS.contains(&fact_key.as_str()) {
                                problems.push(format!(
                                    "expected finding {i}: unknown fact key `{fact_key}`"
                                ));
                            }
                            if !fact_value.is_string() {
                                problems.push(format!(
                                    "expected finding {i}: fact `{fact_key}` must be a string"
                                ));
                            }
                        }
                    }
                    None => {
                        problems.push(format!("expected finding {i}: `facts` must be an object"))
                    }
                }
            }
        }
    }
}

/// A span `{ start, end }` read from the report JSON, checked against `input`.
fn check_span(
    input: &str,
    span: Option<&Value>,
    what: &str,
    problems: &mut Vec<String>,
) -> Option<(usize, usize)> {
    let start = span.and_then(|s| s.get("start")).and_then(Value::as_u64);
    let end = span.and_then(|s| s.get("end")).and_then(Value::as_u64);
    let (Some(start), Some(end)) = (start, end) else {
        problems.push(format!("{what}: span is missing or malformed"));
        return None;
    };
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    if start > end || end > input.len() {
        problems.push(format!(
            "{what}: span {start}..{end} is not within the input of {} bytes",
            input.len()
        ));
        return None;
    }
    if !input.is_char_boundary(start) || !input.is_char_boundary(end) {
        problems.push(format!(
            "{what}: span {start}..{end} does not lie on character boundaries"
        ));
        return None;
    }
    Some((start, end))
}

/// Invariants every finding must meet, whatever the case expects.
fn check_finding_invariants(
    input: &str,
    index: usize,
    finding: &Value,
    problems: &mut Vec<String>,
) {
    check_span(
        input,
        finding.get("span"),
        &format!("finding {index}"),
        problems,
    );
    for (j, evidence) in finding
        .get("evidence")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let field = evidence.get("field").and_then(Value::as_str).unwrap_or("?");
        let what = format!("finding {index} evidence {j} (`{field}`)");
        let Some((start, end)) = check_span(input, evidence.get("span"), &what, problems) else {
            continue;
        };
        if start == end {
            problems.push(format!("{what}: span is empty"));
            continue;
        }
        if ["principal", "action", "resource"].contains(&field) {
            if let Some(value) = finding.get(field).and_then(Value::as_str) {
                let phrase = input.get(start..end).unwrap_or_default();
                // A value put together from the phrase's parts (a Kubernetes
                // object, `deployments/web in namespace prod`, from
                // `deployments.apps "web" ... in the namespace "prod"`) shows
                // each of them.
                let mut parts = value.split(['/', ' ']).filter(|p| !p.is_empty());
                if !phrase.contains(value) && !parts.all(|p| phrase.contains(p)) {
                    problems.push(format!(
                        "{what}: evidence text {phrase:?} does not contain the value {value:?}"
                    ));
                }
            }
        }
    }
    for (j, fact) in finding
        .get("facts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        check_span(
            input,
            fact.get("span"),
            &format!("finding {index} fact {j}"),
            problems,
        );
    }
}

fn compare_finding(
    index: usize,
    expected: &Map<String, Value>,
    actual: &Value,
    problems: &mut Vec<String>,
) {
    for (key, want) in expected {
        if key == "facts" {
            let facts = actual.get("facts").and_then(Value::as_array);
            for (fact_key, fact_value) in want.as_object().into_iter().flatten() {
                let found = facts.into_iter().flatten().any(|fact| {
                    fact.get("key").and_then(Value::as_str) == Some(fact_key.as_str())
                        && fact.get("value") == Some(fact_value)
                });
                if !found {
                    let have: Vec<String> = facts
                        .into_iter()
                        .flatten()
                        .map(|f| {
                            format!(
                                "{}={}",
                                f.get("key").unwrap_or(&Value::Null),
                                f.get("value").unwrap_or(&Value::Null)
                            )
                        })
                        .collect();
                    problems.push(format!(
                        "finding {index}: no fact `{fact_key}` = {fact_value} (facts: [{}])",
                        have.join(", ")
                    ));
                }
            }
            continue;
        }
        let got = actual.get(key).unwrap_or(&Value::Null);
        if got != want {
            problems.push(format!(
                "finding {index}: `{key}` expected {want}, got {got}"
            ));
        }
    }
}

/// Checks one case; returns what is wrong with it, empty when it passes.
fn check_case(case: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    check_case_shape(case, &mut problems);
    if !problems.is_empty() {
        return problems;
    }
    let input = case
        .get("input")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let expected = case
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    let report = explain(input);
    let report = match serde_json::to_value(&report) {
        Ok(value) => value,
        Err(error) => return vec![format!("the report does not serialize: {error}")],
    };
    // Identical denials come back as one finding with a `count` (issue 11);
    // the fixtures list each occurrence, so each finding stands for `count`.
    let actual: Vec<Value> = report
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .flat_map(|f| {
            let n = f.get("count").and_then(Value::as_u64).unwrap_or(1);
            std::iter::repeat(f).take(usize::try_from(n).unwrap_or(1))
        })
        .collect();

    if report
        .get("summary")
        .and_then(Value::as_str)
        .map_or(true, |s| s.trim().is_empty())
    {
        problems.push("the report has an empty `summary`".into());
    }
    for (i, finding) in actual.iter().enumerate() {
        check_finding_invariants(input, i, finding, &mut problems);
    }
    for (i, diagnostic) in report
        .get("diagnostics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (j, label) in diagnostic
            .get("labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            check_span(
                input,
                Some(label),
                &format!("diagnostic {i} label {j}"),
                &mut problems,
            );
        }
    }
    if actual.len() != expected.len() {
        let seen: Vec<String> = actual
            .iter()
            .map(|f| {
                format!(
                    "{}/{}",
                    f.get("provider").unwrap_or(&Value::Null),
                    f.get("errorCode").unwrap_or(&Value::Null)
                )
            })
            .collect();
        problems.push(format!(
            "expected {} finding(s), got {} [{}]",
            expected.len(),
            actual.len(),
            seen.join(", ")
        ));
    }
    for (i, (want, got)) in expected.iter().zip(actual.iter()).enumerate() {
        if let Some(want) = want.as_object() {
            compare_finding(i, want, got, &mut problems);
        }
    }
    problems
}

#[test]
fn explain_fixture_corpus() {
    let files = common::fixture_files("explain").expect("the fixture folder is readable");
    let mut failures = String::new();
    let mut failed = 0usize;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let problems = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                serde_json::from_str::<Value>(&text).map_err(|e| format!("not valid JSON: {e}"))
            }) {
            Ok(case) => check_case(&case),
            Err(error) => vec![error],
        };
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(failures, "{name}:");
            for problem in problems {
                let _ = writeln!(failures, "    {problem}");
            }
        }
    }
    assert!(
        files.len() >= MINIMUM_CASES,
        "the corpus holds {} cases; the issue asks for at least {MINIMUM_CASES}",
        files.len()
    );
    assert!(
        failed == 0,
        "{failed} of {} fixture cases failed:\n{failures}",
        files.len()
    );
}

/// A denial pasted from a log sits between other log lines, without blank
/// lines around it. Each fixture, followed by a log line and the next fixture,
/// must still give its own findings: nothing a recogniser reads as part of one
/// error (an HTTP response's headers and body, a JSON body) may run on into the next.
#[test]
fn adjacent_fixtures_separated_by_a_log_line_stay_separate() {
    let files = common::fixture_files("explain").expect("fixture folder readable");
    let cases: Vec<(String, String, usize)> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable fixture");
            let case: Value = serde_json::from_str(&text).expect("valid fixture JSON");
            let input = case["input"].as_str().expect("input").to_owned();
            let count = case["findings"].as_array().expect("findings").len();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, input, count)
        })
        .collect();
    let separator = "\n2026-11-22T10:00:00Z INFO worker-3 processed batch in 41ms\n";
    let mut failures = String::new();
    for pair in cases.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let text = format!("{}{separator}{}", a.1, b.1);
        let got: usize = explain(&text).findings.iter().map(|f| f.count).sum();
        if got != a.2 + b.2 {
            let _ = writeln!(
                failures,
                "{} + {}: expected {} findings, got {got}",
                a.0,
                b.0,
                a.2 + b.2
            );
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures ran into each other:\n{failures}"
    );
}
