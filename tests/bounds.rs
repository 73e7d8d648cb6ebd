//! Issue 11, the policy-engine rows of its bounds table: each input below must
//! be decided in time linear in its size. Asserted as growth (the input at two
//! sizes: doubling the size may at most about double the time, with room for
//! noise) and by a generous wall bound for debug builds; the release figures
//! are printed by `./dev bench` (examples/bench.rs).

// Helpers outside #[test] functions unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use denial_explainer::{explain_with, simulate, ExplainOptions};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn decision(scenario: &str) -> String {
    let out = serde_json::to_value(simulate(scenario)).unwrap();
    assert_eq!(out["type"], "success", "{}", &out.to_string()[..200]);
    out["decision"].as_str().unwrap().to_owned()
}

/// The result and the shortest of three runs (the machine is shared: the
/// shortest run is the one least disturbed).
fn timed<T>(f: impl Fn() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed());
    }
    (out.unwrap(), best)
}

/// `StringLike` / `ArnLike` with a literal segment of `seg` bytes against a
/// context value of twice that.
fn like_scenario(op: &str, seg: usize) -> String {
    let lit = "ab".repeat(seg / 2);
    let (pattern, value) = if op == "ArnLike" {
        (
            format!("arn:aws:s3:::b*{lit}*"),
            format!("arn:aws:s3:::b{}{lit}x", "ab".repeat(seg / 2 - 1) + "a"),
        )
    } else {
        (
            format!("x*{lit}*y"),
            format!("x{}{lit}y", "ab".repeat(seg / 2 - 1) + "a"),
        )
    };
    json!({
        "request": { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333",
                     "context": { "aws:SourceArn": value }, "contextComplete": true },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { op: { "aws:SourceArn": pattern } } }] } }]
    })
    .to_string()
}

/// `Action` and `Resource` patterns with a `seg`-byte segment against a
/// resource of twice that.
fn element_scenario(seg: usize) -> String {
    let lit = "ab".repeat(seg / 2);
    let resource = format!("arn:aws:s3:::b/{}{lit}x", "ab".repeat(seg / 2 - 1) + "a");
    let action = format!("s3:Get{}", "ab".repeat(seg / 2));
    json!({
        "request": { "principal": "arn:aws:iam::111122223333:user/alice", "action": action, "resource": resource, "resourceAccount": "111122223333", "contextComplete": true },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": format!("s3:*{lit}"), "Resource": format!("arn:aws:s3:::b/*{lit}*") }] } }]
    })
    .to_string()
}

/// `ForAllValues:StringLike` with `n` request values against `n` patterns.
fn for_all_values_scenario(n: usize) -> String {
    let values: Vec<String> = (0..n).map(|i| format!("tag-{i}-value")).collect();
    let patterns: Vec<String> = (0..n).map(|i| format!("tag-{i}-*")).collect();
    json!({
        "request": { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333",
                     "context": { "aws:TagKeys": values }, "contextComplete": true },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "ForAllValues:StringLike": { "aws:TagKeys": patterns } } }] } }]
    })
    .to_string()
}

fn assert_linear(name: &str, small: Duration, large: Duration) {
    assert_growth(name, small, large, 8.0);
}

/// Four times the input: linear is ~4x, quadratic ~16x. `allowed` is the most
/// growth accepted, plus a little slack for timer noise on small figures.
fn assert_growth(name: &str, small: Duration, large: Duration, allowed: f64) {
    assert!(
        large.as_secs_f64() <= allowed * small.as_secs_f64() + 0.02,
        "{name}: {small:?} at n, {large:?} at 4n: grows faster than linearly"
    );
}

#[test]
fn like_operators_with_a_long_literal_segment_are_linear() {
    for op in ["StringLike", "ArnLike"] {
        let (d, small) = timed(|| decision(&like_scenario(op, 16 * 1024)));
        assert_eq!(d, "Allowed", "{op}");
        let (d, large) = timed(|| decision(&like_scenario(op, 64 * 1024)));
        assert_eq!(d, "Allowed", "{op}");
        assert_linear(op, small, large);
        assert!(large < Duration::from_secs(5), "{op}: {large:?}");
    }
}

#[test]
fn action_and_resource_with_a_long_segment_are_linear() {
    let (d, small) = timed(|| decision(&element_scenario(16 * 1024)));
    assert_eq!(d, "Allowed");
    let (d, large) = timed(|| decision(&element_scenario(64 * 1024)));
    assert_eq!(d, "Allowed");
    assert_linear("Action/Resource", small, large);
    assert!(large < Duration::from_secs(5), "{large:?}");
}

#[test]
fn for_all_values_with_thousands_of_values_and_patterns_is_bounded() {
    let (d, small) = timed(|| decision(&for_all_values_scenario(1250)));
    assert_eq!(d, "Allowed");
    let (d, large) = timed(|| decision(&for_all_values_scenario(5000)));
    assert_eq!(d, "Allowed");
    // n values against n patterns, indexed by literal prefix: n·L·log n
    // (L the value length), so a little more than 4x for 4x the input;
    // quadratic would be 16x.
    assert_growth("ForAllValues:StringLike", small, large, 12.0);
    assert!(large < Duration::from_secs(10), "{large:?}");
}

/// `n` AWS denials (one a line) and one policy of `statements` statements.
fn many_denials(n: usize, statements: usize) -> (String, Value) {
    let text: String = (0..n)
        .map(|i| format!("User: arn:aws:iam::111122223333:user/u{i} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-{i}/key because no identity-based policy allows the s3:GetObject action\n"))
        .collect();
    let stmts: Vec<Value> = (0..statements)
        .map(|k| json!({ "Sid": format!("S{k}"), "Effect": "Allow", "Action": ["s3:GetObject", format!("ec2:Describe{k}")], "Resource": format!("arn:aws:s3:::bucket-{k}/*") }))
        .collect();
    let policies = json!([{ "type": "identity", "name": "big", "document": { "Version": "2012-10-17", "Statement": stmts } }]);
    (text, policies)
}

#[test]
fn many_denials_against_a_large_policy_keep_a_bounded_trace() {
    let (text, policies) = many_denials(100, 10_000);
    let options = ExplainOptions {
        policies: Some(policies),
        ..ExplainOptions::default()
    };
    let t = Instant::now();
    let report = explain_with(&text, &options);
    let took = t.elapsed();
    let evaluated: Vec<&denial_explainer::model::FindingEvaluation> = report
        .findings
        .iter()
        .filter_map(|f| f.evaluation.as_ref())
        .collect();
    assert!(evaluated.len() >= 50, "{}", evaluated.len());
    for e in &evaluated {
        let r = e.result.as_ref().unwrap();
        assert!(
            r.trace.len() <= denial_explainer::policy::eval::MAX_TRACE,
            "{}",
            r.trace.len()
        );
    }
    assert!(took < Duration::from_secs(30), "{took:?}");
}
