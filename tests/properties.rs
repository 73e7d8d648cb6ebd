//! Issue 9: soundness as a property, checked over generated scenarios.
//!
//! A small deterministic generator (xorshift, fixed seeds) builds scenarios with
//! policies of every type, conditions on a handful of context keys, and a request
//! context that gives some keys and leaves others unknown. Two properties:
//!
//! 1. **Completions agree.** When the engine answers anything but `Unknown`, then
//!    for every completion of the keys it did not know (each key absent, or any
//!    value from its pool, with `contextComplete: true`) the answer is the same.
//!    In particular `Allowed` only if every completion allows.
//! 2. **A matching Deny never helps.** Adding a `Deny` statement that matches the
//!    request (unconditional, or on an unknown key) never turns a non-`Allowed`
//!    into `Allowed`, and an unconditional one in an identity-based policy always
//!    gives `ExplicitlyDenied` for a principal that has identity-based policies.

// Helpers outside #[test] functions unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use denial_explainer::simulate;
use serde_json::{json, Map, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ACCT: &str = "111122223333";
const OTHER: &str = "444455556666";

/// Context keys the generated conditions read, each with the values a request
/// can carry (the completions) and the values or patterns policies compare with.
struct Key {
    name: &'static str,
    request: &'static [&'static str],
    operators: &'static [&'static str],
    policy: &'static [&'static str],
}

const KEYS: [Key; 5] = [
    Key {
        name: "aws:SourceIp",
        request: &["10.1.2.3", "192.168.1.1", "203.0.113.9"],
        operators: &[
            "IpAddress",
            "NotIpAddress",
            "IpAddressIfExists",
            "NotIpAddressIfExists",
        ],
        policy: &["10.0.0.0/8", "203.0.113.0/24", "192.168.0.0/16"],
    },
    Key {
        name: "aws:PrincipalTag/team",
        request: &["blue", "red", "green"],
        operators: &[
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringEqualsIfExists",
            "StringNotEqualsIfExists",
        ],
        policy: &["blue", "red", "b*", "*"],
    },
    Key {
        name: "aws:RequestedRegion",
        request: &["us-east-1", "eu-west-1"],
        operators: &["StringEquals", "StringNotEquals", "StringNotLike"],
        policy: &["us-east-1", "eu-*"],
    },
    Key {
        name: "aws:MultiFactorAuthPresent",
        request: &["true", "false"],
        operators: &["Bool", "BoolIfExists", "Null"],
        policy: &["true", "false"],
    },
    Key {
        name: "aws:PrincipalArn",
        // Only a role session leaves this key to the context (its role's path
        // is not in the session ARN); for other principals it is derived, and a
        // completion must not contradict the principal.
        request: &[
            "arn:aws:iam::111122223333:role/Dev",
            "arn:aws:iam::111122223333:role/admin/Dev",
        ],
        operators: &["ArnLike", "ArnNotLike", "ArnEquals"],
        policy: &[
            "arn:aws:iam::*:role/admin/*",
            "arn:aws:iam::111122223333:role/Dev",
            "arn:aws:iam::*:user/*",
        ],
    },
];

const PRINCIPALS: [&str; 6] = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/Dev/alice",
    "arn:aws:iam::111122223333:role/Dev",
    "arn:aws:iam::444455556666:user/carol",
    "arn:aws:sts::111122223333:federated-user/app",
    "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForX/s",
];

const REQUESTS: [(&str, &str); 5] = [
    ("s3:GetObject", "arn:aws:s3:::example-bucket/report.csv"),
    ("s3:PutObject", "arn:aws:s3:::example-bucket/up/x"),
    (
        "ec2:RunInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/*",
    ),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k1"),
    ("sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy"),
];

fn condition(rng: &mut Rng) -> Value {
    let key = rng.pick(&KEYS);
    let op = *rng.pick(key.operators);
    let value = if op == "Null" {
        json!(*rng.pick(&["true", "false"]))
    } else {
        json!(*rng.pick(key.policy))
    };
    let mut inner = Map::new();
    inner.insert(key.name.into(), value);
    let mut outer = Map::new();
    outer.insert(op.into(), Value::Object(inner));
    Value::Object(outer)
}

fn statement(rng: &mut Rng, with_principal: bool, action: &str) -> Value {
    let mut st = Map::new();
    st.insert(
        "Effect".into(),
        json!(if rng.chance(30) { "Deny" } else { "Allow" }),
    );
    let actions = [
        "s3:*",
        "s3:Get*",
        "*",
        "ec2:*",
        "kms:*",
        "sts:AssumeRole",
        action,
    ];
    st.insert("Action".into(), json!(*rng.pick(&actions)));
    let resources = ["*", "arn:aws:s3:::example-bucket/*", "arn:aws:s3:::other/*"];
    st.insert("Resource".into(), json!(*rng.pick(&resources)));
    if with_principal {
        let principals = [
            json!("*"),
            json!({ "AWS": ACCT }),
            json!({ "AWS": format!("arn:aws:iam::{ACCT}:role/Dev") }),
            json!({ "AWS": format!("arn:aws:iam::{ACCT}:user/alice") }),
            json!({ "AWS": format!("arn:aws:iam::{ACCT}:user/bob") }),
            json!({ "AWS": OTHER }),
        ];
        st.insert("Principal".into(), rng.pick(&principals).clone());
    }
    if rng.chance(60) {
        let mut c = condition(rng);
        if rng.chance(30) {
            if let (Value::Object(a), Value::Object(b)) = (&mut c, condition(rng)) {
                for (k, v) in b {
                    a.entry(k).or_insert(v);
                }
            }
        }
        st.insert("Condition".into(), c);
    }
    Value::Object(st)
}

fn scenario(rng: &mut Rng) -> Value {
    let principal = *rng.pick(&PRINCIPALS);
    let (action, resource) = *rng.pick(&REQUESTS);
    let mut policies = Vec::new();
    let types = [
        ("identity", false),
        ("identity", false),
        ("resource", true),
        ("scp", false),
        ("rcp", true),
        ("permissions_boundary", false),
        ("session", false),
        ("trust", true),
        ("kms_key", true),
    ];
    for i in 0..1 + rng.below(4) {
        let (t, principal_element) = *rng.pick(&types);
        let statements: Vec<Value> = (0..1 + rng.below(3))
            .map(|_| statement(rng, principal_element, action))
            .collect();
        let mut p = json!({ "type": t, "name": format!("p{i}"), "document": { "Version": "2012-10-17", "Statement": statements } });
        if t == "scp" || t == "rcp" {
            p["level"] = json!("root");
        }
        policies.push(p);
    }
    let mut context = Map::new();
    for key in KEYS.iter().filter(|k| settable(k, principal)) {
        match rng.below(3) {
            0 => {
                context.insert(key.name.into(), json!(*rng.pick(key.request)));
            }
            1 if rng.chance(30) => {
                context.insert(key.name.into(), Value::Null);
            }
            _ => {}
        }
    }
    json!({
        "request": { "principal": principal, "action": action, "resource": resource,
                     "resourceAccount": ACCT, "context": context, "contextComplete": false },
        "policies": policies
    })
}

/// How many scenarios to generate: `default`, or `PROPERTY_CASES` when set (a
/// longer run: `PROPERTY_CASES=20000 cargo test --release --test properties`).
fn cases(default: usize) -> usize {
    std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn decide(s: &Value) -> String {
    let out = serde_json::to_value(simulate(&s.to_string())).unwrap();
    assert_eq!(out["type"], "success", "{out}\n{s}");
    out["decision"].as_str().unwrap().to_owned()
}

/// Whether the request context may set `key` for `principal`: not a key the
/// engine derives from the principal ARN.
fn settable(key: &Key, principal: &str) -> bool {
    key.name != "aws:PrincipalArn" || principal.contains(":assumed-role/")
}

/// Every completion of the keys `s` leaves unknown.
fn completions(s: &Value) -> Vec<Value> {
    let given = s["request"]["context"].as_object().unwrap().clone();
    let principal = s["request"]["principal"].as_str().unwrap();
    let unknown: Vec<&Key> = KEYS
        .iter()
        .filter(|k| !given.contains_key(k.name) && settable(k, principal))
        .collect();
    let mut out = vec![given];
    for key in unknown {
        let mut next = Vec::new();
        for ctx in &out {
            let mut absent = ctx.clone();
            absent.insert(key.name.into(), Value::Null);
            next.push(absent);
            for v in key.request {
                let mut c = ctx.clone();
                c.insert(key.name.into(), json!(*v));
                next.push(c);
            }
        }
        out = next;
    }
    out.into_iter()
        .map(|ctx| {
            let mut c = s.clone();
            c["request"]["context"] = Value::Object(ctx);
            c["request"]["contextComplete"] = json!(true);
            c
        })
        .collect()
}

#[test]
fn a_decision_holds_for_every_completion_of_the_unknown_keys() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut checked = [0usize; 4];
    for n in 0..cases(300) {
        let s = scenario(&mut rng);
        let d = decide(&s);
        if d == "Unknown" {
            checked[3] += 1;
            continue;
        }
        for c in completions(&s) {
            let dc = decide(&c);
            assert_eq!(
                dc, d,
                "scenario {n}: {d} reported, but this completion gives {dc}:\n{c}"
            );
        }
        checked[["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]
            .iter()
            .position(|x| *x == d)
            .unwrap()] += 1;
    }
    // The generator must reach every decision, or the property says little.
    assert!(checked.iter().all(|&c| c > 5), "{checked:?}");
}

#[test]
fn a_matching_deny_never_turns_a_denial_into_allowed() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut flipped = 0;
    for n in 0..cases(400) {
        let s = scenario(&mut rng);
        let before = decide(&s);
        let action = s["request"]["action"].as_str().unwrap().to_owned();
        let key = rng.pick(&KEYS);
        let denies = [
            json!({ "Effect": "Deny", "Action": action, "Resource": "*" }),
            json!({ "Effect": "Deny", "Action": action, "Resource": "*", "Condition": { "StringEquals": { key.name: *rng.pick(key.request) } } }),
        ];
        for (i, deny) in denies.iter().enumerate() {
            let mut with = s.clone();
            with["policies"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "type": "identity", "name": "added-deny", "document": { "Version": "2012-10-17", "Statement": [deny] } }));
            let after = decide(&with);
            assert!(
                !(after == "Allowed" && before != "Allowed"),
                "scenario {n}: a matching Deny turned {before} into Allowed:\n{with}"
            );
            if i == 0 {
                assert_eq!(after, "ExplicitlyDenied", "scenario {n}:\n{with}");
            }
            flipped += usize::from(before == "Allowed");
        }
    }
    assert!(
        flipped > 10,
        "the generator must produce Allowed scenarios to flip"
    );
}
