//! The wasm binding, tested in a real headless browser with wasm-bindgen-test.
//!
//! Each test calls an export the way JavaScript does, checks the shape of the
//! JavaScript value (plain objects, camelCase names, `null` for absent), and
//! round-trips it back into the core's Rust types to compare with the native answer.
//!
//! Compiled only for wasm32: natively this file is empty, so `./dev test` checks
//! that the browser run reported tests passing.
#![cfg(target_arch = "wasm32")]

use denial_explainer::model::{DenyKind, Gate, PolicyType, Provider, Report};
use denial_explainer::wasm;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// The SCP explicit-deny example from AWS's "Troubleshoot access denied error messages" page.
const SCP_EXPLICIT: &str =
    "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: \
codecommit:ListRepositories with an explicit deny in a service control policy";

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).expect("readable property")
}

#[wasm_bindgen_test]
fn explain_returns_a_plain_camel_case_object() {
    let value = wasm::explain(SCP_EXPLICIT, JsValue::UNDEFINED).expect("explain answers");
    assert!(value.is_object());
    // json_compatible(): findings is a real JS array, not a Map.
    let findings = get(&value, "findings");
    assert!(js_sys::Array::is_array(&findings));
    let first = js_sys::Array::from(&findings).get(0);
    assert_eq!(
        get(&first, "policyType").as_string().as_deref(),
        Some("scp")
    );
    assert_eq!(
        get(&first, "gate").as_string().as_deref(),
        Some("authorization")
    );
    // The message names no resource: the field is present and null, not undefined.
    assert!(get(&first, "resource").is_null());
    assert!(get(&first, "policy_type").is_undefined());
}

#[wasm_bindgen_test]
fn explain_round_trips_into_the_same_report_as_native() {
    let value = wasm::explain(SCP_EXPLICIT, JsValue::UNDEFINED).expect("explain answers");
    let report: Report = serde_wasm_bindgen::from_value(value).expect("a Report");
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(f.provider, Provider::Aws);
    assert_eq!(f.gate, Gate::Authorization);
    assert_eq!(f.deny, Some(DenyKind::Explicit));
    assert_eq!(f.policy_type, Some(PolicyType::Scp));
    assert_eq!(
        f.principal.as_deref(),
        Some("arn:aws:iam::777788889999:user/JohnDoe")
    );
    assert_eq!(f.action.as_deref(), Some("codecommit:ListRepositories"));
    assert!(!f.checklist.is_empty());
    // The native core gives the same findings for the same text.
    let native = denial_explainer::explain(SCP_EXPLICIT);
    assert_eq!(report.findings, native.findings);
}

#[wasm_bindgen_test]
fn text_with_no_denial_is_an_answer_not_an_error() {
    let value = wasm::explain("deployed version 1.2.3 in 41s", JsValue::UNDEFINED)
        .expect("explain answers");
    let report: Report = serde_wasm_bindgen::from_value(value).expect("a Report");
    assert!(report.findings.is_empty());
    assert!(!report.summary.is_empty());
}

#[wasm_bindgen_test]
fn a_jwt_past_its_exp_is_reported_expired_by_the_browser_clock() {
    // header {"alg":"HS256","typ":"JWT"}, payload {"sub":"x","exp":1000000000} (2001-09-09).
    let text = "HTTP/1.1 401 Unauthorized\nAuthorization: Bearer \
eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZXhwIjoxMDAwMDAwMDAwfQ.c2lnbmF0dXJl";
    let report: Report =
        serde_wasm_bindgen::from_value(wasm::explain(text, JsValue::UNDEFINED).expect("answers"))
            .expect("a Report");
    let jwt = report
        .secrets
        .iter()
        .find(|s| s.kind == "jwt")
        .expect("the JWT is found");
    assert_eq!(jwt.expires_at.as_deref(), Some("2001-09-09T01:46:40Z"));
    assert_eq!(jwt.expired, Some(true));
    assert!(!report.redacted.contains("c2lnbmF0dXJl"));
}

// The scenario from issue 3's format section, reduced: an SCP that denies S3 at the root.
const SCENARIO: &str = r#"{
  "request": {
    "principal": "arn:aws:iam::111122223333:user/alice",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::example-bucket/report.csv",
    "resourceAccount": "111122223333"
  },
  "policies": [
    { "type": "identity", "name": "ReadReports", "document": { "Version": "2012-10-17",
      "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*" }] } },
    { "type": "scp", "level": "root", "name": "NoS3", "document": { "Version": "2012-10-17",
      "Statement": [{ "Sid": "DenyS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*" }] } }
  ]
}"#;

#[wasm_bindgen_test]
fn simulate_takes_json_text_or_an_object_and_agrees_with_native() {
    // Policy evaluation logic: an explicit deny in an SCP overrides the identity allow.
    let from_text = wasm::simulate(JsValue::from_str(SCENARIO)).expect("simulate answers");
    assert_eq!(
        get(&from_text, "type").as_string().as_deref(),
        Some("success")
    );
    assert_eq!(
        get(&from_text, "decision").as_string().as_deref(),
        Some("ExplicitlyDenied")
    );
    let denied = js_sys::Array::from(&get(&from_text, "deniedBy")).get(0);
    assert_eq!(
        get(&denied, "policyType").as_string().as_deref(),
        Some("scp")
    );
    assert_eq!(get(&denied, "sid").as_string().as_deref(), Some("DenyS3"));

    let object = js_sys::JSON::parse(SCENARIO).expect("valid JSON");
    let from_object = wasm::simulate(object).expect("simulate answers");
    assert_eq!(
        get(&from_object, "decision").as_string().as_deref(),
        Some("ExplicitlyDenied")
    );

    let native = serde_json::to_value(denial_explainer::simulate(SCENARIO)).expect("serializable");
    let wasm_value: serde_json::Value =
        serde_wasm_bindgen::from_value(from_text).expect("JSON-compatible");
    assert_eq!(wasm_value, native);
}

#[wasm_bindgen_test]
fn simulate_answers_bad_json_with_a_failure_not_an_exception() {
    let value =
        wasm::simulate(JsValue::from_str("{\n  \"request\": ")).expect("an answer, not a throw");
    assert_eq!(get(&value, "type").as_string().as_deref(), Some("failure"));
    let error = js_sys::Array::from(&get(&value, "errors")).get(0);
    let label = js_sys::Array::from(&get(&error, "labels")).get(0);
    assert_eq!(get(&label, "line").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
}

// The explicit identity-based deny example from AWS's "Troubleshoot access denied
// error messages" page, with a pasted policy (document as a string) that denies it.
#[wasm_bindgen_test]
fn explain_with_policies_evaluates_the_request_the_message_names() {
    let text = "User: arn:aws:iam::123456789012:role/HR is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy";
    let document = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoListing","Effect":"Deny","Action":"codedeploy:ListDeployments","Resource":"*"}]}"#;
    let policies = js_sys::JSON::parse(
        &serde_json::json!([{ "type": "identity", "name": "HR", "document": document }])
            .to_string(),
    )
    .expect("JSON");
    let value = wasm::explain(text, policies).expect("explain answers");
    let finding = js_sys::Array::from(&get(&value, "findings")).get(0);
    let evaluation = get(&finding, "evaluation");
    assert_eq!(
        get(&evaluation, "verdict").as_string().as_deref(),
        Some("reproduces")
    );
    let result = get(&evaluation, "result");
    assert_eq!(
        get(&result, "decision").as_string().as_deref(),
        Some("ExplicitlyDenied")
    );
    // The same request and policy through `simulate` give the same decision.
    let scenario = serde_json::json!({
        "request": { "principal": "arn:aws:iam::123456789012:role/HR", "action": "codedeploy:ListDeployments", "resource": "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*" },
        "policies": [{ "type": "identity", "name": "HR", "document": document }]
    });
    let simulated =
        wasm::simulate(JsValue::from_str(&scenario.to_string())).expect("simulate answers");
    assert_eq!(
        get(&simulated, "type").as_string().as_deref(),
        Some("success")
    );
    assert_eq!(
        get(&simulated, "decision").as_string(),
        get(&result, "decision").as_string()
    );
}
