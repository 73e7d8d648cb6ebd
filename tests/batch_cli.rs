//! `simulate --batch` on several threads (issue 9, throughput): results come
//! back in input order whatever the number of lines and workers, equal to
//! `simulate` on each line, and carry `trace` only with `--trace`.

// Helpers outside #[test] functions unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_denial-explainer");

fn batch(input: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut child = Command::new(BIN)
        .args(["simulate", "--batch", "-"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let owned = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(owned.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Line `i`: a user whose name says `i`, allowed on even lines and denied on odd
/// ones, each with its own policy document.
fn line(i: usize) -> String {
    let action = if i % 2 == 0 {
        "s3:GetObject"
    } else {
        "s3:PutObject"
    };
    serde_json::json!({
        "request": { "principal": format!("arn:aws:iam::111122223333:user/u{i}"), "action": action, "resource": format!("arn:aws:s3:::b/{i}"), "resourceAccount": "111122223333", "contextComplete": true },
        "policies": [{ "type": "identity", "name": format!("p{i}"), "document": { "Version": "2012-10-17", "Statement": [{ "Sid": format!("S{i}"), "Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::b/{i}") }] } }]
    })
    .to_string()
}

#[test]
fn results_keep_input_order_across_workers() {
    let n = 1500; // several chunks of 256 lines, over every worker
    let mut input: String = (0..n).map(|i| line(i) + "\n").collect();
    input.push_str("not json\n");
    let results = batch(&input, &[]);
    assert_eq!(results.len(), n + 1);
    for (i, r) in results.iter().take(n).enumerate() {
        let want = if i % 2 == 0 {
            "Allowed"
        } else {
            "ImplicitlyDenied"
        };
        assert_eq!(r["decision"], want, "line {i}");
        assert_eq!(r["policies"][0]["name"], format!("p{i}"), "line {i}");
        assert!(r.get("trace").is_none(), "no trace without --trace");
        let mut alone = serde_json::to_value(denial_explainer::simulate(&line(i))).unwrap();
        alone.as_object_mut().unwrap().remove("trace");
        assert_eq!(*r, alone, "line {i}");
    }
    assert_eq!(results[n]["type"], "failure");
}

#[test]
fn trace_is_written_when_asked() {
    let results = batch(&(line(0) + "\n"), &["--trace"]);
    assert_eq!(results[0]["trace"][0]["sid"], "S0");
}
