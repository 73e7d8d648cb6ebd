//! The command line, run as a real process: arguments, formats, exit status,
//! `explain --policies`, `simulate` and `simulate --batch`.

// The helpers below are test setup: a failure there should fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_denial-explainer");

// The explicit identity-based deny example from AWS's "Troubleshoot access
// denied error messages" page (IAM User Guide).
const MESSAGE: &str = "User: arn:aws:iam::123456789012:role/HR is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy\n";

const POLICIES: &str = r#"[
  { "type": "identity", "name": "HRPolicy", "document": {
      "Version": "2012-10-17",
      "Statement": [
        { "Sid": "ReadCodeDeploy", "Effect": "Allow", "Action": "codedeploy:*", "Resource": "*" },
        { "Sid": "NoDeploymentListing", "Effect": "Deny", "Action": "codedeploy:ListDeployments", "Resource": "*" }
      ] } }
]"#;

const SCENARIO: &str = r#"{"request":{"principal":"arn:aws:iam::111122223333:user/bob","action":"s3:GetObject","resource":"arn:aws:s3:::example-bucket/report.csv","resourceAccount":"111122223333","contextComplete":true},"policies":[{"type":"identity","name":"ReadReports","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}}]}"#;

/// A scratch directory for this test binary, one per test name.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "denial-explainer-cli-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, file: &str, bytes: &[u8]) -> String {
    let p = dir.join(file);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A process that exits before reading (bad arguments) closes the pipe: fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn explain_with_policies_in_every_format() {
    let d = dir("explain-policies");
    let policies = write(&d, "policies.json", POLICIES.as_bytes());

    let o = run(
        &["explain", "--policies", &policies, "--format", "json"],
        MESSAGE.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let e = &v["findings"][0]["evaluation"];
    assert_eq!(e["verdict"], "reproduces");
    assert_eq!(e["denyMatches"], true);
    assert_eq!(e["result"]["decision"], "ExplicitlyDenied");
    assert_eq!(e["result"]["deniedBy"][0]["sid"], "NoDeploymentListing");

    let o = run(
        &["explain", "-", "--policies", &policies],
        MESSAGE.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    let t = stdout(&o);
    assert!(t.contains("\n  Pasted policies: reproduces\n"), "{t}");
    assert!(t.contains("Explicitly denied by statement `NoDeploymentListing` of the identity-based policy `HRPolicy`."), "{t}");

    let o = run(
        &["explain", "--format=markdown", "--policies", &policies],
        MESSAGE.as_bytes(),
    );
    let md = stdout(&o);
    assert!(md.contains("### Pasted policies: `reproduces`"), "{md}");
    assert!(
        md.contains("## Finding 1: AWS, authorization failure"),
        "{md}"
    );

    // A scenario file works as the policies file too: its `policies` are used.
    let scenario = write(
        &d,
        "scenario.json",
        format!("{{\"request\":{{}},\"policies\":{POLICIES}}}").as_bytes(),
    );
    let o = run(
        &["explain", "--policies", &scenario, "-f", "json"],
        MESSAGE.as_bytes(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"][0]["evaluation"]["verdict"], "reproduces");

    // Without --policies the evaluation is null.
    let o = run(&["explain", "--format", "json"], MESSAGE.as_bytes());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"][0]["evaluation"], serde_json::Value::Null);
}

#[test]
fn invalid_json_in_policies_is_a_clear_error_with_line_and_column() {
    let d = dir("bad-policies");
    let policies = write(
        &d,
        "policies.json",
        b"[\n  { \"type\": \"identity\",\n    \"document\": { } ,\n  ]\n",
    );
    let o = run(&["explain", "--policies", &policies], MESSAGE.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with(&format!(
            "error: `{policies}` is not valid JSON at line 4, column 3: "
        )),
        "{e}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_badly_shaped_policies_list_is_reported_not_fatal() {
    let d = dir("shape");
    let policies = write(
        &d,
        "policies.json",
        br#"[{"type": "identiy", "document": {}}]"#,
    );
    let o = run(
        &["explain", "--policies", &policies, "--format", "json"],
        MESSAGE.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["diagnostics"][0]["message"],
        "policy 0 has unknown type `identiy`"
    );
    assert_eq!(v["findings"][0]["evaluation"]["verdict"], "unknown");
}

#[test]
fn simulate_in_every_format() {
    let d = dir("simulate");
    let scenario = write(&d, "scenario.json", SCENARIO.as_bytes());
    let o = run(&["simulate", &scenario, "--format", "json"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "success");
    assert_eq!(v["decision"], "Allowed");

    let o = run(&["simulate", &scenario], b"");
    assert!(
        stdout(&o)
            .starts_with("Decision: Allowed\nAllowed: the pasted policies allow this request.\n"),
        "{}",
        stdout(&o)
    );
    let o = run(&["simulate", &scenario, "--format", "markdown"], b"");
    assert!(
        stdout(&o).starts_with("## Decision: Allowed\n"),
        "{}",
        stdout(&o)
    );

    // Standard input, and a scenario that is not JSON: an answer, not an abort.
    let o = run(
        &["simulate", "-", "--format", "json"],
        b"{\n  \"request\": ",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "failure");
    assert_eq!(v["errors"][0]["code"], "scenario.invalid-json");
    assert_eq!(v["errors"][0]["labels"][0]["line"], 2);
}

#[test]
fn simulate_batch_writes_one_line_per_scenario_and_survives_bad_lines() {
    let d = dir("batch");
    let deny = SCENARIO.replace("s3:GetObject\",\"resource", "s3:PutObject\",\"resource");
    let lines = format!("{SCENARIO}\nthis is not json\n\n{deny}\n");
    let batch = write(&d, "batch.jsonl", lines.as_bytes());
    let o = run(&["simulate", "--batch", &batch], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let results: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 3, "blank lines are skipped: {out}");
    assert_eq!(results[0]["decision"], "Allowed");
    assert_eq!(results[1]["type"], "failure");
    assert_eq!(results[1]["errors"][0]["code"], "scenario.invalid-json");
    assert_eq!(results[2]["decision"], "ImplicitlyDenied");
}

#[test]
fn bad_arguments_and_unreadable_files_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["explain", "--format", "yaml"][..],
        &["explain", "--bogus"][..],
        &["explain", "a", "b"][..],
        &["explain", "--policies"][..],
        &["simulate"][..],
        &["simulate", "x.json", "--policies", "p.json"][..],
        &["explain", "--batch"][..],
    ] {
        let o = run(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).starts_with("error: "),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("usage:"), "{args:?}");
    }
    let missing = dir("missing").join("no-such-file.txt");
    let missing = missing.to_string_lossy();
    for args in [
        &["explain", &*missing][..],
        &["simulate", &*missing][..],
        &["simulate", "--batch", &*missing][..],
        &["explain", "--policies", &*missing][..],
    ] {
        let o = run(args, MESSAGE.as_bytes());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("cannot read input"), "{}", stderr(&o));
    }
    let o = run(&["--help"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("usage:"));
}

#[test]
fn invalid_utf8_input_is_answered_with_a_warning() {
    let mut bytes = b"\xff\xfe garbage ".to_vec();
    bytes.extend_from_slice(MESSAGE.as_bytes());
    let o = run(&["explain", "--format", "json"], &bytes);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o)
            .starts_with("warning: the input is not valid UTF-8 (first bad byte at offset 0)"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"][0]["policyType"], "identity");
    assert_eq!(v["findings"][0]["deny"], "explicit");
}

#[test]
fn code_prints_the_catalogue_rows_and_suggests_near_codes() {
    let o = run(&["code", "AccessDeniedException"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // KMS API Reference, "Common errors": AccessDeniedException, HTTP 400.
    assert!(out.contains("AccessDeniedException (from kms)"), "{out}");
    assert!(out.contains("HTTP status  400"), "{out}");
    // With no service known the code implies no status.
    assert!(out.contains("HTTP status  not implied"), "{out}");
    assert!(out.contains("https://docs.aws.amazon.com/kms/"), "{out}");
    let o = run(&["code", "AccesDenied"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean AccessDenied?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["code"], b"");
    assert_eq!(o.status.code(), Some(2));
}

/// `--format chat` is the short form for a support chat: the one-line answer
/// first, then the key facts, the first steps and the lines around the error in
/// a log, with any credential in those lines masked; no table, heading or task
/// box, which chat tools show raw.
#[test]
fn explain_chat_is_the_short_form_that_leads_with_the_answer() {
    let d = dir("explain-chat");
    let policies = write(&d, "policies.json", POLICIES.as_bytes());
    // The AWS documentation's message inside a CI log constructed around it,
    // with a (fake, documented example) secret key on a neighbouring line.
    let log = format!(
        "step 1: checkout\nstep 2: build\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n{MESSAGE}step 4: cleanup\nstep 5: done\nstep 6: never shown\n"
    );
    let o = run(
        &["explain", "--policies", &policies, "--format", "chat"],
        log.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let chat = stdout(&o);
    let first = chat.lines().next().unwrap();
    // What denied it, who can change it, and the pasted statement that reproduces it.
    assert_eq!(
        first,
        "**Access denied:** An explicit Deny in the identity-based policy stops `arn:aws:iam::123456789012:role/HR` from performing `codedeploy:ListDeployments` on `arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*`; an IAM administrator of the principal\u{2019}s account can change its policies. In the pasted policies, statement `NoDeploymentListing` of `HRPolicy` denies it."
    );
    // The documentation's message carries no error code or status, so none is shown.
    assert!(
        !chat.contains("Error: ") && !chat.contains("HTTP: "),
        "{chat}"
    );
    assert!(
        chat.contains("\n\u{2022} Principal: `arn:aws:iam::123456789012:role/HR`\n"),
        "{chat}"
    );
    assert!(
        chat.contains("\n\u{2022} Action: `codedeploy:ListDeployments`\n"),
        "{chat}"
    );
    assert!(chat.contains("\n**Next steps**\n1. "), "{chat}");
    // Two lines either side of the error, located by line number, and nothing else.
    assert!(
        chat.contains("**Error (line 4)**\n```text\nstep 2: build\n"),
        "{chat}"
    );
    assert!(chat.contains("step 5: done\n```"), "{chat}");
    assert!(
        !chat.contains("step 1: checkout") && !chat.contains("never shown"),
        "{chat}"
    );
    assert!(
        !chat.contains("wJalrXUtnFEMI"),
        "the secret key leaked into the chat form:\n{chat}"
    );
    assert!(
        chat.contains("_Credentials in the text are masked above._"),
        "{chat}"
    );
    for raw in ["| ---", "- [ ]", "<details", "\n## "] {
        assert!(!chat.contains(raw), "chat tools show {raw:?} raw:\n{chat}");
    }
    // The JSON carries the same sentence, and the text format leads each finding with it.
    let o = run(&["explain", "--format", "json"], MESSAGE.as_bytes());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let answer = v["findings"][0]["answer"].as_str().unwrap();
    assert!(
        answer.starts_with("An explicit Deny in the identity-based policy stops "),
        "{answer}"
    );
    let o = run(&["explain"], MESSAGE.as_bytes());
    assert!(
        stdout(&o).contains(&format!("\n  {answer}\n")),
        "{}",
        stdout(&o)
    );
}
