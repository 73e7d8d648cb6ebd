//! `denial-explainer triage`, run as a real process over CloudTrail written by
//! `tools/gen-cloudtrail.py` (constructed from documented formats; its planted
//! patterns are described at the top of the script), a real published event,
//! and bad input.

// Test setup: a failure there should fail the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_denial-explainer");

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "denial-explainer-triage-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn generate(out: &Path, extra: &[&str]) {
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/gen-cloudtrail.py"))
        .arg(out)
        .args(["--background", "4000"])
        .args(extra)
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
}

fn triage_json(args: &[&Path]) -> Value {
    let out = Command::new(BIN)
        .arg("triage")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(g: &Value) -> Vec<&str> {
    g["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect()
}

fn find<'a>(groups: &'a [Value], principal_end: &str, code: &str) -> &'a Value {
    groups
        .iter()
        .find(|g| {
            g["principal"].as_str().unwrap().ends_with(principal_end)
                && g["errorCode"].as_str().unwrap().contains(code)
        })
        .unwrap_or_else(|| panic!("no group for {principal_end} {code}"))
}

#[test]
fn finds_and_ranks_the_planted_patterns() {
    let d = dir("planted");
    generate(&d, &[]);
    let r = triage_json(&[&d]);
    let groups = r["groups"].as_array().unwrap();
    assert!(
        r["errors"].as_array().unwrap().is_empty(),
        "{}",
        r["errors"]
    );

    // Enumeration: one long-term key denied on 40 services within minutes, from an
    // address with no successful call. Its denials fold into one group, ranked first.
    let e = &groups[0];
    assert!(e["principal"]
        .as_str()
        .unwrap()
        .ends_with(":user/build-bot"));
    assert_eq!(e["action"], "*");
    let services: std::collections::BTreeSet<&str> = e["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["action"].as_str().unwrap().split(':').next().unwrap())
        .collect();
    assert_eq!(services.len(), 40);
    assert_eq!(e["count"], 84);
    let c = codes(e);
    for want in ["enumeration", "long-term-key", "unfamiliar-network"] {
        assert!(c.contains(&want), "{c:?}");
    }
    let text = e["signals"][0]["text"].as_str().unwrap();
    assert!(text.contains("a pattern worth a look"), "{text}");
    assert!(!text.to_lowercase().contains("attack"), "{text}");

    // The root user's failed console sign-ins come next: authentication, root.
    let root = &groups[1];
    assert!(root["principal"].as_str().unwrap().ends_with(":root"));
    assert_eq!(root["kind"], "authentication");
    assert_eq!(root["count"], 5);
    assert!(codes(root).contains(&"root"));

    // The expired-token storm: one group for the role (not its four sessions),
    // new in the window, ranked above the older misconfiguration.
    let storm = find(groups, ":role/reporting-etl", "ExpiredToken");
    assert_eq!(storm["kind"], "authentication");
    assert_eq!(storm["count"], 3000);
    assert_eq!(storm["resource"], "arn:aws:s3:::reports/*");
    assert!(codes(storm).contains(&"new"));
    assert!(codes(storm).contains(&"volume"));
    assert_eq!(storm["firstSeen"], "2026-11-20T16:00:00Z");

    // The misconfigured role: 10,000 denials from three sessions, one group.
    let role = find(groups, ":role/orders-worker", "AccessDeniedException");
    assert_eq!(
        role["principal"],
        "arn:aws:iam::111122223333:role/orders-worker"
    );
    assert_eq!(role["count"], 10000);
    assert_eq!(role["policyType"], "identity");
    assert_eq!(role["deny"], "implicit");
    assert!(codes(role).contains(&"volume"));
    assert!(!codes(role).contains(&"new"), "present from the start");
    assert!(!codes(role).contains(&"unfamiliar-network"));
    assert!(storm["rank"].as_u64() < role["rank"].as_u64());
    // Explained once, as a pasted error would be.
    assert_eq!(role["explanation"]["gate"], "authorization");
    assert_eq!(role["explanation"]["action"], "dynamodb:GetItem");

    // The SCP deny is read from the message.
    let scp = find(groups, ":user/ana", "UnauthorizedOperation");
    assert_eq!(scp["policyType"], "scp");
    assert_eq!(scp["deny"], "explicit");

    // Every denial is in one group.
    let total: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(r["summary"]["denials"].as_u64().unwrap(), total);
    // A failed console sign-in with its outcome only in `responseElements`.
    let signin = find(groups, ":user/Anaya", "ConsoleLogin");
    assert_eq!(signin["kind"], "authentication");
    assert_eq!(signin["count"], 3);
    assert_eq!(total, 10000 + 3000 + 84 + 5 + 3 + 40 + 25);
}

#[test]
fn a_real_published_event_is_grouped_and_its_key_masked() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/triage/pastebin-kbjzVe51-listobjects.json");
    let out = Command::new(BIN)
        .arg("triage")
        .arg(&f)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains("AKIARSCCN4A3WD4RO4P4"),
        "the access key id is masked"
    );
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let g = &r["groups"][0];
    assert_eq!(g["principal"], "arn:aws:iam::107513503799:user/temp-user");
    assert_eq!(g["action"], "s3:ListObjects");
    assert_eq!(g["errorCode"], "AccessDenied");
    assert_eq!(g["keyTypes"][0], "long-term");
    assert!(codes(g).contains(&"long-term-key"));
}

#[test]
fn bad_files_are_named_with_the_byte_and_do_not_lose_the_others() {
    let d = dir("bad");
    generate(&d.join("good"), &["--role-denials", "100", "--storm", "10"]);
    // A gzip file cut in the middle.
    let some =
        std::fs::read_dir(d.join("good/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
    let bytes = std::fs::read(&some).unwrap();
    std::fs::write(d.join("cut.json.gz"), &bytes[..bytes.len() / 2]).unwrap();
    // JSON that is not CloudTrail (constructed).
    std::fs::write(
        d.join("other.json"),
        r#"{"name":"not an event","items":[1,2,3]}"#,
    )
    .unwrap();
    // Not JSON at all.
    std::fs::write(d.join("notes.csv"), "hello,world\n1,2\n").unwrap();
    let good = triage_json(&[&d.join("good")]);
    let r = triage_json(&[&d]);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let cut = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("cut.json.gz"))
        .unwrap();
    assert!(
        cut["message"].as_str().unwrap().contains("ends early"),
        "{cut}"
    );
    assert!(cut["offset"].as_u64().unwrap() > 0);
    let other = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("other.json"))
        .unwrap();
    assert_eq!(
        other["message"],
        "holds JSON that is not CloudTrail events: no object has `eventSource` and `eventName`"
    );
    let csv = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("notes.csv"))
        .unwrap();
    assert!(csv["message"]
        .as_str()
        .unwrap()
        .starts_with("neither CloudTrail JSON nor a query result"));
    // The good files' denials are all there, plus what the cut file held before the cut.
    assert!(r["summary"]["denials"].as_u64() >= good["summary"]["denials"].as_u64());
}

#[test]
fn a_directory_of_mostly_successful_calls_is_read_with_bounded_memory() {
    // 60,000 successful events and a handful of denials; the reader keeps one
    // event at a time, so the peak memory stays far below the data's size.
    let d = dir("quiet");
    generate(
        &d,
        &[
            "--background",
            "60000",
            "--role-denials",
            "10",
            "--storm",
            "5",
        ],
    );
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(BIN)
        .arg("triage")
        .arg(&d)
        .args(["--format", "json"])
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    };
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["summary"]["events"].as_u64().unwrap() > 60_000);
    let kb: u64 = String::from_utf8_lossy(&out.stderr)
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    let data: u64 = r["summary"]["bytes"].as_u64().unwrap() / 1024;
    assert!(
        kb < data / 2 || kb < 64 * 1024,
        "peak {kb} KB for {data} KB of events"
    );
}

#[test]
fn reads_the_other_shapes() {
    // Constructed from the CloudTrail record contents reference: one event as an
    // array, as JSON lines, and as `lookup-events` output (the event as a string).
    let ev = r#"{"eventTime":"2026-11-20T10:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","errorCode":"AccessDeniedException","errorMessage":"User: arn:aws:iam::111122223333:user/u is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k because no identity-based policy allows the kms:Decrypt action","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u"},"requestID":"r1"}"#;
    let d = dir("shapes");
    std::fs::write(d.join("array.json"), format!("[{ev}]")).unwrap();
    std::fs::write(d.join("lines.jsonl"), format!("{ev}\n{ev}\n")).unwrap();
    let lookup =
        serde_json::json!({"Events":[{"EventId":"x","EventName":"Decrypt","CloudTrailEvent": ev}]});
    std::fs::write(d.join("lookup.json"), lookup.to_string()).unwrap();
    // An Athena result of `SELECT *` (constructed): struct columns in Athena's notation.
    let mut f = std::fs::File::create(d.join("athena.csv")).unwrap();
    writeln!(f, "\"eventtime\",\"eventsource\",\"eventname\",\"awsregion\",\"errorcode\",\"errormessage\",\"useridentity\",\"requestid\"").unwrap();
    writeln!(f, "\"2026-11-20T10:05:00Z\",\"kms.amazonaws.com\",\"Decrypt\",\"us-east-1\",\"AccessDeniedException\",\"User: arn:aws:iam::111122223333:user/u is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k because no identity-based policy allows the kms:Decrypt action\",\"{{type=IAMUser, principalid=AIDA, arn=arn:aws:iam::111122223333:user/u, accountid=111122223333}}\",\"r2\"").unwrap();
    drop(f);
    // CloudTrail Lake's GetQueryResults (constructed from its response syntax:
    // `QueryResultRows` is a list of rows, each a list of one-member maps).
    let lake = serde_json::json!({"QueryStatus":"FINISHED","QueryResultRows":[[
        {"eventTime":"2026-11-20T10:06:00.000Z"},{"eventSource":"kms.amazonaws.com"},{"eventName":"Decrypt"},
        {"errorCode":"AccessDeniedException"},
        {"errorMessage":"User: arn:aws:iam::111122223333:user/u is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k because no identity-based policy allows the kms:Decrypt action"},
        {"userIdentity.type":"IAMUser"},{"userIdentity.arn":"arn:aws:iam::111122223333:user/u"}]]});
    std::fs::write(d.join("lake.json"), lake.to_string()).unwrap();
    let r = triage_json(&[&d]);
    assert!(
        r["errors"].as_array().unwrap().is_empty(),
        "{}",
        r["errors"]
    );
    let g = &r["groups"].as_array().unwrap();
    assert_eq!(g.len(), 1, "{g:#?}");
    assert_eq!(g[0]["count"], 6);
    assert_eq!(g[0]["resource"], "arn:aws:kms:us-east-1:111122223333:key/k");
}
