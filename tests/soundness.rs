//! Issue 9: "never a wrong Allowed". One scenario per situation in which the
//! engine used to answer `Allowed` (or another wrong decision) for a request AWS
//! decides otherwise, each with the documentation that settles it.
//!
//! Where a sentence is quoted, it is quoted from the page named; where the page
//! could not be retrieved word for word, the test says so and gives the rule as
//! issue 9 states it.

// Helpers outside #[test] functions unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use denial_explainer::simulate;
use serde_json::{json, Value};

const ACCT: &str = "111122223333";
const OTHER: &str = "444455556666";

fn run(scenario: &Value) -> Value {
    let out = serde_json::to_value(simulate(&scenario.to_string())).unwrap();
    assert_eq!(out["type"], "success", "{out}");
    out
}

fn decision(out: &Value) -> &str {
    out["decision"].as_str().unwrap()
}

fn doc(statements: Value) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

fn policy(kind: &str, name: &str, statements: Value) -> Value {
    json!({ "type": kind, "name": name, "document": doc(statements) })
}

fn unevaluated<'a>(out: &'a Value, code: &str) -> Option<&'a Value> {
    out["unevaluated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
}

// 1. IAM User Guide, "How AWS enforcement code logic evaluates requests to allow
// or deny access" (reference_policies_evaluation-logic_policy-eval-denyallow):
// "Resource-based policies that grant permissions to an IAM role ARN are limited
// by an implicit deny in a permissions boundary or session policy." A role never
// makes a request itself; its sessions do, so a role ARN given as the caller is
// "some session of this role".
#[test]
fn a_role_arn_as_caller_is_a_session_limited_by_its_boundary() {
    let role = format!("arn:aws:iam::{ACCT}:role/Dev");
    let bucket = policy(
        "resource",
        "bucket",
        json!([{ "Effect": "Allow", "Principal": { "AWS": role }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]),
    );
    let boundary = policy(
        "permissions_boundary",
        "pb",
        json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }]),
    );
    let scenario = |policies: Value| json!({ "request": { "principal": role, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT }, "policies": policies });
    let out = run(&scenario(json!([bucket.clone(), boundary])));
    assert_eq!(decision(&out), "ImplicitlyDenied", "{out}");
    assert!(out["deniedBy"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["policyType"] == "permissions_boundary"));
    let session = policy(
        "session",
        "sp",
        json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }]),
    );
    assert_eq!(
        decision(&run(&scenario(json!([bucket.clone(), session])))),
        "ImplicitlyDenied"
    );
    // With neither, the role grant alone suffices within the account.
    assert_eq!(decision(&run(&scenario(json!([bucket])))), "Allowed");
}

// 2. IAM User Guide, "Update a role trust policy", Notes: "If a user is listed as
// the principal in a role's trust policy but cannot assume the role, check the
// user's permissions boundary. If a permissions boundary is set for the user,
// then it must allow the sts:AssumeRole action." The exception to "a
// resource-based grant naming an IAM user is not capped by its boundary".
#[test]
fn a_user_named_in_a_trust_policy_is_still_limited_by_its_boundary() {
    let user = format!("arn:aws:iam::{ACCT}:user/alice");
    let role = format!("arn:aws:iam::{ACCT}:role/Deploy");
    let trust = policy(
        "trust",
        "trust",
        json!([{ "Effect": "Allow", "Principal": { "AWS": user }, "Action": "sts:AssumeRole" }]),
    );
    let boundary = policy(
        "permissions_boundary",
        "pb",
        json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]),
    );
    let scenario = |policies: Value| json!({ "request": { "principal": user, "action": "sts:AssumeRole", "resource": role }, "policies": policies });
    assert_eq!(
        decision(&run(&scenario(json!([trust.clone(), boundary])))),
        "ImplicitlyDenied"
    );
    let boundary_ok = policy(
        "permissions_boundary",
        "pb",
        json!([{ "Effect": "Allow", "Action": ["s3:*", "sts:AssumeRole"], "Resource": "*" }]),
    );
    assert_eq!(
        decision(&run(&scenario(json!([trust, boundary_ok])))),
        "Allowed"
    );
}

// 3a. The denyallow page: "IAM role trust policies and KMS key policies are
// exceptions to this logic, because they must explicitly allow access for
// principals." Without the trust policy the answer is Unknown, naming it and the
// command that fetches it.
#[test]
fn assume_role_without_the_trust_policy_is_unknown() {
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "sts:AssumeRole", "resource": format!("arn:aws:iam::{ACCT}:role/ops/Deploy") },
        "policies": [policy("identity", "id", json!([{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }]))]
    }));
    assert_eq!(decision(&out), "Unknown", "{out}");
    let u = unevaluated(&out, "eval.missing-trust-policy").expect("names the missing trust policy");
    assert_eq!(u["matters"], true);
    assert!(u["message"]
        .as_str()
        .unwrap()
        .contains("`aws iam get-role --role-name Deploy --query Role.AssumeRolePolicyDocument`"));
    // A denial that holds whatever the trust policy says stays a denial.
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "sts:AssumeRole", "resource": format!("arn:aws:iam::{ACCT}:role/Deploy") },
        "policies": [policy("identity", "id", json!([{ "Effect": "Deny", "Action": "sts:*", "Resource": "*" }]))]
    }));
    assert_eq!(decision(&out), "ExplicitlyDenied");
}

// 3b. AWS KMS Developer Guide, "Key policies in AWS KMS": "Without permission
// from the key policy, IAM policies that allow permissions have no effect."
#[test]
fn kms_without_the_key_policy_is_unknown() {
    let key = format!("arn:aws:kms:us-east-1:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "kms:Decrypt", "resource": key },
        "policies": [policy("identity", "id", json!([{ "Effect": "Allow", "Action": "kms:*", "Resource": "*" }]))]
    }));
    assert_eq!(decision(&out), "Unknown", "{out}");
    let u = unevaluated(&out, "eval.missing-key-policy").expect("names the missing key policy");
    assert!(u["message"].as_str().unwrap().contains(&format!(
        "`aws kms get-key-policy --key-id {key} --policy-name default`"
    )));
    // kms:CreateKey has no key yet: no key policy takes part.
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "kms:CreateKey", "resource": "*" },
        "policies": [policy("identity", "id", json!([{ "Effect": "Allow", "Action": "kms:*", "Resource": "*" }]))]
    }));
    assert_eq!(decision(&out), "Allowed");
}

// 4. IAM User Guide, "AWS global condition context keys", aws:PrincipalArn: "For
// IAM roles, the request context returns the ARN of the role, not the ARN of the
// user that assumed the role"; "IAM identifiers": a role's ARN carries its path
// (arn:aws:iam::account:role/path/name), a session's ARN
// (arn:aws:sts::account:assumed-role/name/session) does not. The most common SCP
// guardrail exception then depends on a path the input does not give.
#[test]
fn principal_arn_of_a_session_is_unknown_without_the_role_path() {
    let scp = policy(
        "scp",
        "guard",
        json!([{ "Sid": "OnlyAdmins", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": { "ArnNotLike": { "aws:PrincipalArn": "arn:aws:iam::*:role/admin/*" } } }]),
    );
    let allow = policy(
        "identity",
        "id",
        json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]),
    );
    let full = policy(
        "scp",
        "FullAWSAccess",
        json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }]),
    );
    let scenario = |context: Value| {
        json!({ "request": { "principal": format!("arn:aws:sts::{ACCT}:assumed-role/Admin/ops"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT, "context": context, "contextComplete": true },
                "policies": [full, scp, allow] })
    };
    let out = run(&scenario(json!({})));
    assert_eq!(decision(&out), "Unknown", "{out}");
    assert_eq!(out["missingContext"][0]["key"], "aws:PrincipalArn");
    let given = run(&scenario(
        json!({ "aws:PrincipalArn": format!("arn:aws:iam::{ACCT}:role/admin/Admin") }),
    ));
    assert_eq!(decision(&given), "Allowed");
    let given = run(&scenario(
        json!({ "aws:PrincipalArn": format!("arn:aws:iam::{ACCT}:role/Admin") }),
    ));
    assert_eq!(decision(&given), "ExplicitlyDenied");
}

// 5. AWS Organizations User Guide, "Resource control policies (RCPs)": RCPs apply
// only to the services that page lists (src/policy/services.rs keeps the list and
// its sources), and AWS KMS Developer Guide, "Resource control policies in AWS
// KMS": "The kms:RetireGrant permission is not effective in an RCP, even if you
// specify an asterisk (*) as a wildcard in the Action element."
#[test]
fn rcps_apply_only_to_the_listed_services() {
    let rcp = policy(
        "rcp",
        "perimeter",
        json!([{ "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*" }]),
    );
    let allow = policy(
        "identity",
        "id",
        json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }]),
    );
    let scenario = |action: &str, resource: &str, policies: Value| json!({ "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": action, "resource": resource, "resourceAccount": ACCT }, "policies": policies });
    let out = run(&scenario(
        "ec2:DescribeInstances",
        "*",
        json!([rcp.clone(), allow.clone()]),
    ));
    assert_eq!(decision(&out), "Allowed", "{out}");
    assert!(unevaluated(&out, "eval.rcp-service-not-supported").is_some());
    let out = run(&scenario(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        json!([rcp.clone(), allow.clone()]),
    ));
    assert_eq!(decision(&out), "ExplicitlyDenied");
    let key = format!("arn:aws:kms:us-east-1:{ACCT}:key/k1");
    let key_policy = policy(
        "kms_key",
        "key",
        json!([{ "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{ACCT}:root") }, "Action": "kms:*", "Resource": "*" }]),
    );
    let out = run(&scenario(
        "kms:RetireGrant",
        &key,
        json!([rcp.clone(), allow.clone(), key_policy.clone()]),
    ));
    assert_eq!(decision(&out), "Allowed", "{out}");
    let out = run(&scenario(
        "kms:Decrypt",
        &key,
        json!([rcp, allow, key_policy]),
    ));
    assert_eq!(decision(&out), "ExplicitlyDenied");
}

// 6. AWS Organizations User Guide, "Service control policies (SCPs)": "SCPs do not
// affect service-linked roles." A service-linked role is one whose path is
// `/aws-service-role/` (IAM User Guide, "Using service-linked roles"); a session
// ARN does not show the path, so a session of a role merely named
// `AWSServiceRoleFor...` is not known to be one.
#[test]
fn a_role_named_like_a_service_linked_role_is_not_assumed_to_be_one() {
    let deny = policy(
        "scp",
        "deny",
        json!([{ "Effect": "Deny", "Action": "s3:*", "Resource": "*" }]),
    );
    let full = policy(
        "scp",
        "FullAWSAccess",
        json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }]),
    );
    let allow = policy(
        "identity",
        "id",
        json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]),
    );
    let scenario = |principal: &str| json!({ "request": { "principal": principal, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT }, "policies": [full, deny, allow] });
    let out = run(&scenario(&format!(
        "arn:aws:sts::{ACCT}:assumed-role/AWSServiceRoleForFoo/s"
    )));
    assert_eq!(decision(&out), "Unknown", "{out}");
    assert!(unevaluated(&out, "eval.service-linked-unknown").is_some());
    let out = run(&scenario(&format!(
        "arn:aws:iam::{ACCT}:role/aws-service-role/foo.amazonaws.com/AWSServiceRoleForFoo"
    )));
    assert_eq!(decision(&out), "Allowed", "{out}");
}

// The shift that numbered unknown outcomes wrapped past 32 unknowns (issue 11):
// whatever their number, the result is right or an honest Unknown.
#[test]
fn forty_unknown_keys_give_an_honest_unknown() {
    let statements: Vec<Value> = (0..40)
        .map(|i| json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { format!("aws:PrincipalTag/k{i}"): "v" } } }))
        .collect();
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT, "contextComplete": false },
        "policies": [policy("identity", "id", Value::Array(statements.clone())),
                     policy("identity", "deny", json!([{ "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalTag/k39": "x" } } }]))]
    }));
    assert_eq!(decision(&out), "Unknown");
    assert!(unevaluated(&out, "eval.too-many-unknowns").is_some());
    // A Deny that holds whatever the 40 keys are still decides.
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT, "contextComplete": false },
        "policies": [policy("identity", "id", Value::Array(statements)),
                     policy("identity", "deny", json!([{ "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*" }]))]
    }));
    assert_eq!(decision(&out), "ExplicitlyDenied");
}

#[test]
fn cross_account_is_unaffected_by_the_role_reading() {
    // Cross-account, the role's account must allow too (IAM User Guide,
    // "Cross-account policy evaluation logic").
    let role = format!("arn:aws:iam::{OTHER}:role/Dev");
    let out = run(&json!({
        "request": { "principal": role, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT },
        "policies": [policy("resource", "bucket", json!([{ "Effect": "Allow", "Principal": { "AWS": role }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]))]
    }));
    assert_eq!(decision(&out), "ImplicitlyDenied");
}

// ---------------------------------------------------------------------------
// Issue 9, "wrong in other ways".

// IAM User Guide, "AWS global condition context keys", aws:SourceIp: "If the
// request comes from a host that uses an Amazon VPC endpoint, then the
// aws:SourceIp key is not present" (rule as issue 9 states it). Given
// aws:SourceVpce, the key is absent: IpAddress is false, NotIpAddressIfExists true.
#[test]
fn through_a_vpc_endpoint_source_ip_is_absent() {
    let scenario = |op: &str| {
        json!({ "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT,
                "context": { "aws:SourceVpce": "vpce-1a2b3c4d" }, "contextComplete": false },
                "policies": [policy("identity", "id", json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { op: { "aws:SourceIp": "203.0.113.0/24" } } }]))] })
    };
    assert_eq!(decision(&run(&scenario("IpAddress"))), "ImplicitlyDenied");
    assert_eq!(decision(&run(&scenario("NotIpAddressIfExists"))), "Allowed");
}

// AWS KMS Developer Guide, "kms:CallerAccount": the key's value is the AWS
// account of the caller, which the principal ARN carries.
#[test]
fn kms_caller_account_comes_from_the_principal() {
    let key = format!("arn:aws:kms:us-east-1:{ACCT}:key/k1");
    let scenario = |account: &str| {
        json!({ "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "kms:Decrypt", "resource": key, "contextComplete": false },
                "policies": [policy("kms_key", "key", json!([{ "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "kms:Decrypt", "Resource": "*", "Condition": { "StringEquals": { "kms:CallerAccount": account } } }]))] })
    };
    let out = run(&scenario(ACCT));
    assert_eq!(decision(&out), "Allowed", "{out}");
    assert_eq!(decision(&run(&scenario(OTHER))), "ImplicitlyDenied");
}

// IAM User Guide, "Request temporary security credentials" (GetFederationToken):
// the federated user's name is chosen by the caller, so its ARN does not say which
// IAM user federated. A grant naming an IAM user of the account is Unknown for it,
// not ImplicitlyDenied.
#[test]
fn a_grant_to_the_federating_user_is_unknown_for_a_federated_user() {
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:sts::{ACCT}:federated-user/app"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT },
        "policies": [policy("resource", "bucket", json!([{ "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{ACCT}:user/bob") }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]))]
    }));
    assert_eq!(decision(&out), "Unknown", "{out}");
    assert!(unevaluated(&out, "eval.federated-user-origin").is_some());
}

// AWS Organizations User Guide, "SCP evaluation": "SCPs don't affect users or
// roles in the management account." The caveat matters when an SCP decided.
#[test]
fn the_management_account_caveat_matters_when_an_scp_decided() {
    let scenario = |deny: bool| {
        let mut policies = vec![
            policy(
                "scp",
                "FullAWSAccess",
                json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }]),
            ),
            policy(
                "identity",
                "id",
                json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]),
            ),
        ];
        if deny {
            policies.push(policy(
                "scp",
                "deny",
                json!([{ "Effect": "Deny", "Action": "s3:*", "Resource": "*" }]),
            ));
        }
        json!({ "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": ACCT }, "policies": policies })
    };
    let out = run(&scenario(true));
    assert_eq!(decision(&out), "ExplicitlyDenied");
    assert_eq!(
        unevaluated(&out, "eval.scp-management-account").unwrap()["matters"],
        true
    );
    let out = run(&scenario(false));
    assert_eq!(decision(&out), "Allowed");
    assert_eq!(
        unevaluated(&out, "eval.scp-management-account").unwrap()["matters"],
        false
    );
}

// People count statements from 1: `statementNumber` is 1-based beside the
// 0-based `statement`, and an explicit deny in a guardrail leads with the narrow
// exception rather than removing the statement.
#[test]
fn statements_are_numbered_from_one_and_guardrails_get_an_exception() {
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:DeleteBucket", "resource": "arn:aws:s3:::b", "resourceAccount": ACCT },
        "policies": [
            policy("scp", "FullAWSAccess", json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }])),
            policy("scp", "guard", json!([{ "Sid": "Other", "Effect": "Deny", "Action": "ec2:*", "Resource": "*" }, { "Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*" }])),
            policy("identity", "id", json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]))
        ]
    }));
    assert_eq!(decision(&out), "ExplicitlyDenied");
    assert_eq!(out["deniedBy"][0]["statement"], 1);
    assert_eq!(out["deniedBy"][0]["statementNumber"], 2);
    let change = &out["fix"]["changes"][0];
    assert_eq!(change["action"], "add-condition", "{change}");
    assert!(change["note"].as_str().unwrap().contains("narrow change"));
    // The same deny in an identity policy (not a guardrail) is simply removed.
    let out = run(&json!({
        "request": { "principal": format!("arn:aws:iam::{ACCT}:user/alice"), "action": "s3:DeleteBucket", "resource": "arn:aws:s3:::b", "resourceAccount": ACCT },
        "policies": [policy("identity", "id", json!([{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }, { "Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*" }]))]
    }));
    assert_eq!(out["fix"]["changes"][0]["action"], "remove-statement");
    assert!(out["fix"]["changes"][0]["note"]
        .as_str()
        .unwrap()
        .starts_with("statement 2 of `id`"));
}

// ---------------------------------------------------------------------------
// Found by the differential run against @cloud-copilot/iam-simulate
// (tools/differential.mjs) and settled by the documentation.

// IAM User Guide, "Policies and permissions in IAM", session policies: "A
// resource-based policy can specify the ARN of the user or role as a principal.
// In that case, the permissions from the resource-based policy are added to the
// role or user's identity-based policy before the session is created. The
// session policy limits the total permissions granted by the resource-based
// policy and the identity-based policy." Only a grant naming the session's own
// ARN escapes the session policy; `Principal: "*"` names neither, and the
// guide does not say which it counts as: Unknown when the readings differ
// (the engine used to read it as the session; the oracle does too).
#[test]
fn a_wildcard_principal_grant_to_a_session_is_unknown_past_a_session_policy() {
    let session = format!("arn:aws:sts::{ACCT}:assumed-role/Dev/alice");
    let scenario = |principal: Value| {
        json!({ "request": { "principal": session, "action": "s3:PutObject", "resource": "arn:aws:s3:::b/x", "resourceAccount": ACCT },
                "policies": [
                    policy("identity", "id", json!([{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*" }])),
                    policy("resource", "bucket", json!([{ "Effect": "Allow", "Principal": principal, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*" }])),
                    policy("session", "sp", json!([{ "Effect": "Allow", "Action": "ec2:*", "Resource": "*" }]))
                ] })
    };
    // Read as naming the role it is limited, read as naming the session it is
    // not; the guide does not say which `*` is: Unknown, saying why.
    // The Principal page: `"Principal": "*"` and `"Principal" : { "AWS" : "*" }`
    // are equivalent, so both spellings get the same answer.
    for everyone in [json!("*"), json!({ "AWS": "*" }), json!({ "AWS": ["*"] })] {
        let out = run(&scenario(everyone.clone()));
        assert_eq!(decision(&out), "Unknown", "{everyone}: {out}");
        assert!(
            unevaluated(&out, "eval.wildcard-principal-session").is_some(),
            "{everyone}: {out}"
        );
    }
    // Named by the role's ARN, it is limited.
    assert_eq!(
        decision(&run(&scenario(
            json!({ "AWS": format!("arn:aws:iam::{ACCT}:role/Dev") })
        ))),
        "ImplicitlyDenied"
    );
    // Named by its session ARN, the grant is not limited by the session policy.
    assert_eq!(
        decision(&run(&scenario(json!({ "AWS": session })))),
        "Allowed"
    );
}

// Documented differences with the oracle, each asserted here so that the
// differential script's list stays true (tools/differential.mjs, DOCUMENTED):
// - `rcp-unsupported-service`: `rcps_apply_only_to_the_listed_services` above;
// - `session-principal-arn`: `principal_arn_of_a_session_is_unknown_without_the_role_path`;
// - `trust-user-boundary`: `a_user_named_in_a_trust_policy_is_still_limited_by_its_boundary`;
// - `wildcard-principal-session`: `a_wildcard_principal_grant_to_a_session_is_unknown_past_a_session_policy`.

// A service principal (an SNS topic delivering to a queue) is not an IAM user or
// role of a member account. AWS Organizations User Guide, "Authorization policies
// in AWS Organizations": "SCPs are principal-centric controls. SCPs create a
// permissions guardrail, or set limits, on the maximum permissions available to
// principals in your member accounts", "which services your IAM users and IAM
// roles can access". So an SCP's Deny takes no part, and only the queue policy
// can grant: with the grant the request is allowed, without it implicitly
// denied (a service principal has no identity-based policies). The differential
// run's other evaluator applies the SCP; `tools/differential.mjs` records that
// as the documented difference `scp-service-principal`.
#[test]
fn scps_do_not_apply_to_service_principals() {
    let queue = format!("arn:aws:sqs:us-east-1:{ACCT}:queue-a");
    let scp = json!({ "type": "scp", "level": "r-root", "name": "deny-sqs", "document": doc(json!([
        { "Effect": "Allow", "Action": "*", "Resource": "*" },
        { "Effect": "Deny", "Action": "sqs:SendMessage", "Resource": "*" }
    ])) });
    let grant = policy(
        "resource",
        "queue",
        json!([{ "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" }, "Action": "sqs:SendMessage", "Resource": queue }]),
    );
    let request = json!({ "principal": "sns.amazonaws.com", "action": "sqs:SendMessage", "resource": queue, "resourceAccount": ACCT, "contextComplete": true });
    let out = run(&json!({ "request": request, "policies": [grant, scp] }));
    assert_eq!(decision(&out), "Allowed", "{out}");
    assert!(unevaluated(&out, "eval.scp-not-applied").is_some(), "{out}");

    // A grant to another service does not reach SNS; the SCP still takes no
    // part, so nothing denies explicitly.
    let other = policy(
        "resource",
        "queue",
        json!([{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Resource": queue }]),
    );
    let out = run(&json!({ "request": request, "policies": [other, scp] }));
    assert_eq!(decision(&out), "ImplicitlyDenied", "{out}");
}
