//! The `simulate` scenario corpus: JSON files under `tests/fixtures/simulate/`,
//! each an array of cases (or a single case), each a scenario and the decision
//! the AWS documentation says it gets.
//!
//! Every case is run and every disagreement is collected, so one run lists all
//! failing cases by file and index (the way cedar runs its JSON corpus). The case
//! format, how each expectation is compared, and the diagnostic codes the corpus
//! relies on are described in `tests/fixtures/simulate/README.md`.
//!
//! Comparison rules, in short:
//! - `decision` is compared exactly;
//! - `deniedBy`, when present, must have as many entries as the result, and the
//!   entries are compared as a multiset: each expected entry must match a
//!   different actual entry on every key the expected entry names (keys it leaves
//!   out are not compared), whatever the order;
//! - `missingContext`, when present, is the set of missing keys, compared without
//!   regard to case or order (`[]` means nothing may be reported missing);
//! - `diagnosticCodes`, when present, must all appear among the result's
//!   `diagnostics[].code` (others may appear too);
//! - `failure: true` expects a `{"type": "failure"}` result.

use denial_explainer::simulate;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod common;

/// Issue 3 asks for at least 300 scenario cases.
const MINIMUM_CASES: usize = 300;

const CASE_KEYS: [&str; 4] = ["description", "scenario", "scenarioText", "expect"];
const EXPECT_KEYS: [&str; 5] = [
    "decision",
    "deniedBy",
    "missingContext",
    "diagnosticCodes",
    "failure",
];
const DECISIONS: [&str; 4] = ["Allowed", "ExplicitlyDenied", "ImplicitlyDenied", "Unknown"];
const DENIED_BY_KEYS: [&str; 7] = [
    "policyType",
    "level",
    "policyName",
    "sid",
    "statement",
    "span",
    "kind",
];
const POLICY_TYPES: [&str; 9] = [
    "identity",
    "resource",
    "scp",
    "rcp",
    "permissions_boundary",
    "session",
    "vpc_endpoint",
    "trust",
    "kms_key",
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/simulate")
}

/// Checks that a case is well formed, so that a typo in a fixture is reported
/// instead of silently checking nothing.
fn check_case_shape(case: &Value, problems: &mut Vec<String>) {
    let Some(object) = case.as_object() else {
        problems.push("the case is not a JSON object".into());
        return;
    };
    for key in object.keys() {
        if !CASE_KEYS.contains(&key.as_str()) {
            problems.push(format!("unknown case key `{key}`"));
        }
    }
    if !object
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty())
    {
        problems.push("`description` must be a non-empty string".into());
    }
    match (object.get("scenario"), object.get("scenarioText")) {
        (Some(scenario), None) => check_scenario_shape(scenario, problems),
        (None, Some(Value::String(_))) => {}
        _ => problems
            .push("give exactly one of `scenario` (object) or `scenarioText` (string)".into()),
    }
    let Some(expect) = object.get("expect").and_then(Value::as_object) else {
        problems.push("`expect` must be an object".into());
        return;
    };
    for key in expect.keys() {
        if !EXPECT_KEYS.contains(&key.as_str()) {
            problems.push(format!("unknown `expect` key `{key}`"));
        }
    }
    if expect.get("failure") == Some(&Value::Bool(true)) {
        if expect.len() != 1 {
            problems.push("a `failure` expectation takes no other keys".into());
        }
        return;
    }
    if !expect
        .get("decision")
        .and_then(Value::as_str)
        .is_some_and(|d| DECISIONS.contains(&d))
    {
        problems.push(format!("`expect.decision` must be one of {DECISIONS:?}"));
    }
    if let Some(denied_by) = expect.get("deniedBy") {
        match denied_by.as_array() {
            Some(entries) => {
                for entry in entries {
                    match entry.as_object() {
                        Some(entry) => {
                            for key in entry.keys() {
                                if !DENIED_BY_KEYS.contains(&key.as_str()) {
                                    problems.push(format!("unknown `deniedBy` key `{key}`"));
                                }
                            }
                        }
                        None => problems.push("`deniedBy` entries must be objects".into()),
                    }
                }
            }
            None => problems.push("`deniedBy` must be an array".into()),
        }
    }
    if let Some(missing) = expect.get("missingContext") {
        if !missing
            .as_array()
            .is_some_and(|keys| keys.iter().all(Value::is_string))
        {
            problems.push("`missingContext` must be an array of key names".into());
        }
    }
    if let Some(codes) = expect.get("diagnosticCodes") {
        if !codes
            .as_array()
            .is_some_and(|codes| codes.iter().all(Value::is_string))
        {
            problems.push("`diagnosticCodes` must be an array of codes".into());
        }
    }
}

fn check_scenario_shape(scenario: &Value, problems: &mut Vec<String>) {
    let Some(request) = scenario.get("request").and_then(Value::as_object) else {
        problems.push("`scenario.request` must be an object".into());
        return;
    };
    for key in ["principal", "action", "resource"] {
        if !request.get(key).is_some_and(Value::is_string) {
            problems.push(format!("`scenario.request.{key}` must be a string"));
        }
    }
    let Some(policies) = scenario.get("policies").and_then(Value::as_array) else {
        problems.push("`scenario.policies` must be an array".into());
        return;
    };
    for policy in policies {
        let kind = policy.get("type").and_then(Value::as_str).unwrap_or("");
        if !POLICY_TYPES.contains(&kind) {
            problems.push(format!(
                "policy type `{kind}` is not one of {POLICY_TYPES:?}"
            ));
        }
        if !policy
            .get("document")
            .is_some_and(|d| d.is_object() || d.is_string())
        {
            problems.push("a policy `document` must be an object or a string".into());
        }
    }
}

/// The text handed to `simulate`: `scenarioText` verbatim, or `scenario`
/// serialised (policy documents given as strings stay strings).
fn scenario_text(case: &Map<String, Value>) -> Result<String, String> {
    match (case.get("scenarioText"), case.get("scenario")) {
        (Some(Value::String(text)), _) => Ok(text.clone()),
        (_, Some(scenario)) => serde_json::to_string(scenario).map_err(|e| e.to_string()),
        _ => Err("no scenario".into()),
    }
}

/// Whether `actual` has every key of `expected` with an equal value.
fn entry_matches(expected: &Map<String, Value>, actual: &Value) -> bool {
    expected
        .iter()
        .all(|(key, want)| actual.get(key).is_some_and(|got| got == want))
}

/// Finds a one-to-one pairing of expected and actual `deniedBy` entries
/// (backtracking; the lists are a handful of entries long).
fn pair_up(expected: &[&Map<String, Value>], actual: &[Value], used: &mut [bool]) -> bool {
    let Some((first, rest)) = expected.split_first() else {
        return true;
    };
    for (index, candidate) in actual.iter().enumerate() {
        if used.get(index) == Some(&false) && entry_matches(first, candidate) {
            if let Some(slot) = used.get_mut(index) {
                *slot = true;
            }
            if pair_up(rest, actual, used) {
                return true;
            }
            if let Some(slot) = used.get_mut(index) {
                *slot = false;
            }
        }
    }
    false
}

fn lowercase_set<'a>(keys: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    keys.map(str::to_ascii_lowercase).collect()
}

/// Compares one result with its expectation; returns what disagrees.
fn compare(expect: &Map<String, Value>, actual: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let kind = actual.get("type").and_then(Value::as_str).unwrap_or("");
    if expect.get("failure") == Some(&Value::Bool(true)) {
        if kind != "failure" {
            problems.push(format!("expected a failure result, got type `{kind}`"));
        }
        return problems;
    }
    if kind != "success" {
        problems.push(format!(
            "expected a success result, got type `{kind}`: {}",
            actual.get("errors").unwrap_or(&Value::Null)
        ));
        return problems;
    }
    let want = expect.get("decision").unwrap_or(&Value::Null);
    let got = actual.get("decision").unwrap_or(&Value::Null);
    if want != got {
        problems.push(format!("decision: expected {want}, got {got}"));
    }
    if let Some(Value::Array(wanted)) = expect.get("deniedBy") {
        let empty = Vec::new();
        let actual_entries = actual
            .get("deniedBy")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let wanted: Vec<&Map<String, Value>> = wanted.iter().filter_map(Value::as_object).collect();
        let mut used = vec![false; actual_entries.len()];
        if wanted.len() != actual_entries.len() || !pair_up(&wanted, actual_entries, &mut used) {
            problems.push(format!(
                "deniedBy: expected {}, got {}",
                Value::from(
                    wanted
                        .iter()
                        .map(|m| Value::Object((*m).clone()))
                        .collect::<Vec<_>>()
                ),
                Value::from(actual_entries.clone())
            ));
        }
    }
    if let Some(Value::Array(wanted)) = expect.get("missingContext") {
        let wanted = lowercase_set(wanted.iter().filter_map(Value::as_str));
        let got = lowercase_set(
            actual
                .get("missingContext")
                .and_then(Value::as_array)
                .map(|entries| {
                    entries
                        .iter()
                        .filter_map(|e| e.get("key").and_then(Value::as_str))
                })
                .into_iter()
                .flatten(),
        );
        if wanted != got {
            problems.push(format!("missingContext: expected {wanted:?}, got {got:?}"));
        }
    }
    if let Some(Value::Array(codes)) = expect.get("diagnosticCodes") {
        let got: BTreeSet<&str> = actual
            .get("diagnostics")
            .and_then(Value::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|d| d.get("code").and_then(Value::as_str))
            })
            .into_iter()
            .flatten()
            .collect();
        for code in codes.iter().filter_map(Value::as_str) {
            if !got.contains(code) {
                problems.push(format!("diagnostics: expected code `{code}` among {got:?}"));
            }
        }
    }
    problems
}

/// Runs one case; `Err` holds every problem found.
fn run_case(case: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    check_case_shape(case, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(object) = case.as_object() else {
        return Err(vec!["the case is not a JSON object".into()]);
    };
    let text = scenario_text(object).map_err(|e| vec![e])?;
    let simulation = simulate(&text);
    let actual = serde_json::to_value(&simulation).map_err(|e| vec![e.to_string()])?;
    let empty = Map::new();
    let expect = object
        .get("expect")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let problems = compare(expect, &actual);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[test]
fn simulate_corpus() {
    let files = common::fixture_files("simulate").expect("the fixture folder is readable");
    let mut total = 0usize;
    let mut failures = String::new();
    let mut failed = 0usize;
    let mut descriptions = BTreeSet::new();
    for file in &files {
        let name = file
            .strip_prefix(fixture_dir())
            .unwrap_or(file)
            .display()
            .to_string();
        let text = std::fs::read_to_string(file).expect("fixture is readable");
        let parsed: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(error) => {
                failed += 1;
                let _ = writeln!(failures, "{name}: not valid JSON: {error}");
                continue;
            }
        };
        let cases = match parsed {
            Value::Array(cases) => cases,
            single => vec![single],
        };
        for (index, case) in cases.iter().enumerate() {
            total += 1;
            let description = case
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !descriptions.insert(description.to_owned()) {
                failed += 1;
                let _ = writeln!(
                    failures,
                    "{name}[{index}]: duplicate description `{description}`"
                );
            }
            if let Err(problems) = run_case(case) {
                failed += 1;
                let _ = writeln!(failures, "{name}[{index}] {description}");
                for problem in problems {
                    let _ = writeln!(failures, "    {problem}");
                }
            }
        }
    }
    assert!(
        total >= MINIMUM_CASES,
        "the corpus has {total} cases, fewer than {MINIMUM_CASES}"
    );
    assert!(
        failed == 0,
        "{failed} of {total} simulate cases disagree with their expectation:\n{failures}"
    );
}

/// `Batch` reuses policies read for earlier scenarios (keyed by document text);
/// it must return exactly what `simulate` returns. Every case is run through
/// one batch, twice over (the second pass hits the cache for every policy), and
/// also pretty-printed, so that the same documents appear at other offsets and
/// on other lines.
#[test]
fn batch_gives_the_same_results_as_simulate() {
    let files = common::fixture_files("simulate").expect("the fixture folder is readable");
    let mut texts = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture is readable");
        let Ok(parsed) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let cases = match parsed {
            Value::Array(cases) => cases,
            single => vec![single],
        };
        for case in &cases {
            let Some(object) = case.as_object() else {
                continue;
            };
            let Ok(text) = scenario_text(object) else {
                continue;
            };
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                texts.push(serde_json::to_string_pretty(&v).expect("serializable"));
                // Another request before the same policies moves them.
                if let Some(request) = v.get("request") {
                    let mut moved = v.clone();
                    moved["padding"] = Value::String("é".repeat(7));
                    moved["request"] = request.clone();
                    texts.push(moved.to_string());
                }
            }
            texts.push(text);
        }
    }
    // Hand-made lines around the cache's edges: documents that are not valid
    // JSON (object and string), nested too deep, with diagnostics, and the same
    // document at another offset, before and after being cached.
    let request = r#"{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111122223333","contextComplete":true}"#;
    let no_version = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"StringEqualz":{"aws:SourceIp":"x"}}}]}"#;
    for doc in [
        no_version.to_owned(),
        r#"{"Statement":[{"Effect":"Allow" "Action":"s3:*"}]}"#.to_owned(),
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*"]}]}"#.to_owned(),
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*}]}"#.to_owned(),
        r#""{\"Statement\": [}""#.to_owned(),
        serde_json::to_string(no_version).expect("a string"),
        format!("{}1{}", "[".repeat(125), "]".repeat(125)),
        format!("{}1{}", "[".repeat(126), "]".repeat(126)),
    ] {
        for pad in ["", "   ", "\n\t"] {
            texts.push(format!(
                r#"{{"request":{request},"policies":[{{"type":"identity","name":"p","document":{pad}{doc}}},{{"name":"q","document":{doc}{pad}}}]}}"#
            ));
        }
    }
    let mut batch = denial_explainer::policy::scenario::Batch::new();
    let mut differ = Vec::new();
    for round in 0..2 {
        for (i, text) in texts.iter().enumerate() {
            let result = batch.simulate(text);
            if result != simulate(text) {
                differ.push(format!("round {round}, scenario {i}"));
            }
            // `--batch` writes results with its own JSON writer: the same bytes.
            let mut fast = Vec::new();
            denial_explainer::policy::write::write_simulation(&mut fast, &result)
                .expect("writable");
            if fast != serde_json::to_vec(&result).expect("serializable") {
                differ.push(format!("round {round}, scenario {i}: written JSON"));
            }
        }
    }
    assert!(differ.is_empty(), "batch results differ: {differ:?}");
}
