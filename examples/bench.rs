//! Prints how fast the core is natively. Not a test: figures, not verdicts.
//!
//! For `simulate` it prints three figures on the same 10,000 scenarios: one
//! `simulate` call per scenario (what the page and the wasm API do), the same
//! through a `Batch` (which reads each distinct policy document once, as
//! `simulate --batch` does), and the whole `--batch` path including writing each
//! result as a JSON line. The first round checks that the `Batch` results equal
//! the `simulate` results.
//!
//! Run with `./dev bench` (or `cargo run --release --example bench`).
//! It also writes its inputs to `target/bench/` so that the wasm benchmark in
//! Node (`tools/bench-wasm.mjs`) measures exactly the same work.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// One message of each common shape; `{n}` is replaced to vary them.
const MESSAGES: [&str; 10] = [
    "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::123456789012:user/deploy-{n} is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::prod-bucket-{n}/config.json\" because no identity-based policy allows the s3:GetObject action",
    "User: arn:aws:iam::777788889999:user/JohnDoe{n} is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F{n}</RequestId></Error>",
    "{\"error\":{\"code\":403,\"message\":\"Permission 'storage.objects.get' denied on resource (or it may not exist).\",\"status\":\"PERMISSION_DENIED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"IAM_PERMISSION_DENIED\",\"domain\":\"iam.googleapis.com\",\"metadata\":{\"permission\":\"storage.objects.get\",\"resource\":\"projects/_/buckets/b{n}/objects/o\"}}]}}",
    "(AuthorizationFailed) The client 'dev{n}@contoso.com' with object id '00000000-0000-0000-0000-00000000000{d}' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/read' over scope '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg{n}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
    "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:team{n}:builder\" cannot list resource \"pods\" in API group \"\" in the namespace \"team{n}\"",
    "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api{n}\", error=\"invalid_token\"",
    "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation: The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    "HTTP/2 425 Too Early",
    "2026-11-22T10:00:0{d}Z INFO worker-{n} processed batch in 41ms, 0 errors",
];

/// Message shape `shape % 10`, varied by `n`.
fn message(shape: usize, n: usize) -> String {
    let template = MESSAGES
        .get(shape % MESSAGES.len())
        .copied()
        .unwrap_or_default();
    template
        .replace("{n}", &n.to_string())
        .replace("{d}", &(n % 10).to_string())
}

/// A paste of about 1 MB holding exactly 1,000 errors of the nine error shapes
/// above, each followed by lines of log noise (the tenth shape among them).
fn mixed_paste() -> String {
    let mut paste = String::with_capacity(1 << 20);
    let errors = MESSAGES.len() - 1;
    for i in 0..1000 {
        let _ = writeln!(paste, "{}", message(i % errors, i));
        let mut j = 0;
        while paste.len() < (i + 1) * 1000 {
            let _ = writeln!(paste, "{}", message(errors, i * 7 + j));
            j += 1;
        }
    }
    paste
}

/// A scenario with a realistic amount of policy: an identity policy of about
/// twenty statements with conditions, a bucket policy, an SCP and a boundary.
fn scenario(i: usize) -> String {
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "dynamodb:GetItem",
        "sqs:SendMessage",
        "kms:Decrypt",
        "ec2:StartInstances",
    ];
    let action = actions
        .get(i % actions.len())
        .copied()
        .unwrap_or("s3:GetObject");
    // One scenario in four asks for an action its identity policy does not grant.
    let granted = if i % 4 == 0 { "s3:ListBucket" } else { action };
    let mut identity = Vec::new();
    for s in 0..20 {
        let effect = if s % 7 == 3 { "Deny" } else { "Allow" };
        identity.push(format!(
            r#"{{"Sid":"S{s}","Effect":"{effect}","Action":["s3:Get*","dynamodb:Query","sqs:Send{s}*"],"Resource":"arn:aws:s3:::bucket-{s}/*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"team-{s}"}},"IpAddress":{{"aws:SourceIp":["10.{s}.0.0/16","2001:db8::/32"]}}}}}}"#
        ));
    }
    identity.push(format!(
        r#"{{"Sid":"Main","Effect":"Allow","Action":"{granted}","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"true"}},"StringLike":{{"aws:userid":"AROA*:*"}}}}}}"#
    ));
    format!(
        r#"{{"request":{{"principal":"arn:aws:sts::111122223333:assumed-role/App{r}/session-{i}","action":"{action}","resource":"arn:aws:s3:::bucket-{b}/key-{i}","resourceAccount":"111122223333","context":{{"aws:SourceIp":"10.{b}.3.{h}","aws:PrincipalTag/team":"team-{b}","aws:SecureTransport":"true","aws:userid":"AROAEXAMPLE:session-{i}"}},"contextComplete":true}},"policies":[{{"type":"identity","name":"app","document":{{"Version":"2012-10-17","Statement":[{stmts}]}}}},{{"type":"resource","name":"bucket","document":{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket-{b}/*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}}},{{"type":"scp","level":"root","name":"FullAWSAccess","document":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}}]}}}},{{"type":"permissions_boundary","name":"boundary","document":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}]}}}}]}}"#,
        r = i % 5,
        b = i % 20,
        h = i % 250,
        stmts = identity.join(",")
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Issue 11's policy-engine inputs, at the sizes in its table: each should
/// take well under a second.
fn bounds() {
    let time = |f: &dyn Fn() -> String| {
        let mut best = Duration::MAX;
        let mut out = String::new();
        for _ in 0..3 {
            let t = Instant::now();
            out = f();
            best = best.min(t.elapsed());
        }
        (out, best)
    };
    let decide = |s: &str| {
        serde_json::to_value(denial_explainer::simulate(s))
            .ok()
            .and_then(|v| {
                v.get("decision")
                    .and_then(|d| d.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "failure".to_owned())
    };
    let user = "arn:aws:iam::111122223333:user/alice";
    let lit = "ab".repeat(16 * 1024);
    let long_value = format!("{}{lit}", "ab".repeat(16 * 1024 - 1) + "a");
    for (op, pattern, value) in [
        (
            "StringLike",
            format!("x*{lit}*y"),
            format!("x{long_value}y"),
        ),
        (
            "ArnLike",
            format!("arn:aws:s3:::b*{lit}*"),
            format!("arn:aws:s3:::b{long_value}x"),
        ),
    ] {
        let s = serde_json::json!({
            "request": { "principal": user, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333", "context": { "aws:SourceArn": value }, "contextComplete": true },
            "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { op: { "aws:SourceArn": pattern } } }] } }]
        }).to_string();
        let (d, t) = time(&|| decide(&s));
        println!(
            "bounds: {op}, 32 KB literal segment vs 64 KB value:   {:>8.2} ms  ({d}; target < 1 s)",
            t.as_secs_f64() * 1e3
        );
    }
    let s = serde_json::json!({
        "request": { "principal": user, "action": format!("s3:Get{lit}"), "resource": format!("arn:aws:s3:::b/{long_value}x"), "resourceAccount": "111122223333", "contextComplete": true },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": format!("s3:*{lit}"), "Resource": format!("arn:aws:s3:::b/*{lit}*") }] } }]
    }).to_string();
    let (d, t) = time(&|| decide(&s));
    println!(
        "bounds: Action and Resource, 32 KB segment vs 64 KB:  {:>8.2} ms  ({d}; target < 1 s)",
        t.as_secs_f64() * 1e3
    );
    let values: Vec<String> = (0..5000).map(|i| format!("tag-{i}-value")).collect();
    let patterns: Vec<String> = (0..5000).map(|i| format!("tag-{i}-*")).collect();
    let s = serde_json::json!({
        "request": { "principal": user, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333", "context": { "aws:TagKeys": values }, "contextComplete": true },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "ForAllValues:StringLike": { "aws:TagKeys": patterns } } }] } }]
    }).to_string();
    let (d, t) = time(&|| decide(&s));
    println!(
        "bounds: ForAllValues:StringLike, 5,000 x 5,000:        {:>8.2} ms  ({d}; target < 1 s)",
        t.as_secs_f64() * 1e3
    );
    let statements: Vec<serde_json::Value> = (0..40)
        .map(|i| serde_json::json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { format!("aws:PrincipalTag/k{i}"): "v" } } }))
        .collect();
    let s = serde_json::json!({
        "request": { "principal": user, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333" },
        "policies": [{ "type": "identity", "name": "id", "document": { "Version": "2012-10-17", "Statement": statements } }]
    }).to_string();
    let (d, t) = time(&|| decide(&s));
    println!("bounds: 40 unknown context keys:                      {:>8.2} ms  ({d}; was a shift overflow)", t.as_secs_f64() * 1e3);
    let text: String = (0..100)
        .map(|i| format!("User: arn:aws:iam::111122223333:user/u{i} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-{i}/key because no identity-based policy allows the s3:GetObject action\n"))
        .collect();
    let stmts: Vec<serde_json::Value> = (0..10_000)
        .map(|k| serde_json::json!({ "Sid": format!("S{k}"), "Effect": "Allow", "Action": ["s3:GetObject", format!("ec2:Describe{k}")], "Resource": format!("arn:aws:s3:::bucket-{k}/*") }))
        .collect();
    let options = denial_explainer::ExplainOptions {
        policies: Some(
            serde_json::json!([{ "type": "identity", "name": "big", "document": { "Version": "2012-10-17", "Statement": stmts } }]),
        ),
        ..denial_explainer::ExplainOptions::default()
    };
    let t = Instant::now();
    let report = denial_explainer::explain_with(&text, &options);
    let took = t.elapsed();
    let traces: usize = report
        .findings
        .iter()
        .filter_map(|f| f.evaluation.as_ref().and_then(|e| e.result.as_ref()))
        .map(|r| r.trace.len())
        .sum();
    println!(
        "bounds: explain --policies, 100 denials x 10,000 statements: {:>8.2} ms  ({traces} traces kept, at most {} a result; target < 1 s)",
        took.as_secs_f64() * 1e3,
        denial_explainer::policy::eval::MAX_TRACE
    );
}

fn main() -> std::io::Result<()> {
    bounds();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir)?;

    let single = message(0, 0);
    std::fs::write(dir.join("single.txt"), &single)?;
    let samples: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(denial_explainer::explain(std::hint::black_box(&single)));
            t.elapsed()
        })
        .collect();
    println!(
        "explain, one typical message:      median {:>9.1} µs  (target < 1 ms as wasm)",
        median(samples).as_secs_f64() * 1e6
    );

    let paste = mixed_paste();
    std::fs::write(dir.join("paste-1mb.txt"), &paste)?;
    let found = denial_explainer::explain(&paste).findings.len();
    let samples: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(denial_explainer::explain(std::hint::black_box(&paste)));
            t.elapsed()
        })
        .collect();
    println!(
        "explain, {:.2} MB paste ({found} findings): median {:>7.1} ms  (target < 100 ms)",
        paste.len() as f64 / 1e6,
        median(samples).as_secs_f64() * 1e3
    );

    let scenarios: Vec<String> = (0..10_000).map(scenario).collect();
    std::fs::write(dir.join("scenarios.jsonl"), scenarios.join("\n"))?;
    let mut best = Duration::MAX;
    let mut decisions = std::collections::BTreeMap::<String, usize>::new();
    for round in 0..5 {
        let t = Instant::now();
        for s in &scenarios {
            let result = denial_explainer::simulate(std::hint::black_box(s));
            if round == 0 {
                let v = serde_json::to_value(&result).unwrap_or_default();
                let d = v
                    .get("decision")
                    .and_then(|d| d.as_str())
                    .unwrap_or("failure")
                    .to_owned();
                *decisions.entry(d).or_default() += 1;
            }
        }
        best = best.min(t.elapsed());
    }
    println!(
        "simulate, one call per scenario, 10,000 scenarios (one core): {:>9.0} scenarios/s  decisions: {decisions:?}",
        10_000.0 / best.as_secs_f64()
    );

    // `simulate --batch`: a `Batch` reads each distinct policy document once,
    // and every result is written as a JSON line (into memory here, so that the
    // figure is the engine's and not the disk's).
    let mut best_batch = Duration::MAX;
    let mut best_lines = Duration::MAX;
    let mut out = Vec::with_capacity(1 << 20);
    let mut bytes = 0usize;
    for round in 0..5 {
        let mut batch = denial_explainer::policy::scenario::Batch::new();
        let t = Instant::now();
        for s in &scenarios {
            let result = batch.simulate(std::hint::black_box(s));
            if round == 0 && result != denial_explainer::simulate(s) {
                println!("batch result differs from simulate: {s}");
                return Ok(());
            }
            std::hint::black_box(result);
        }
        if round > 0 {
            best_batch = best_batch.min(t.elapsed());
        }
        let mut batch = denial_explainer::policy::scenario::Batch::new();
        let t = Instant::now();
        for s in &scenarios {
            out.clear();
            let result = batch.simulate(std::hint::black_box(s));
            denial_explainer::policy::write::write_simulation(&mut out, &result)
                .map_err(std::io::Error::from)?;
            out.push(b'\n');
            bytes += out.len();
        }
        best_lines = best_lines.min(t.elapsed());
    }
    println!(
        "simulate with a Batch (policies read once): {:>9.0} scenarios/s",
        10_000.0 / best_batch.as_secs_f64()
    );
    println!(
        "simulate --batch with JSON output:          {:>9.0} scenarios/s  (target ≥ 100,000; {:.1} KB per result line)",
        10_000.0 / best_lines.as_secs_f64(),
        bytes as f64 / 50_000.0 / 1e3
    );
    Ok(())
}
