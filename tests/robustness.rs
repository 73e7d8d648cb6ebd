//! Bad input never panics and never hangs: `explain` gives an answer (a `Report`,
//! possibly with diagnostics) for binary garbage, very large pastes, deeply nested
//! or broken JSON, odd Unicode, and many copies of one message.
//!
//! The expectations come from the contract in issue 2 ("bad input ... gives an
//! answer or a clear error, never a panic or a hang"; "text that matches nothing
//! gets an empty findings list and a short answer saying so") and from the AWS IAM
//! troubleshooting page for the one message these tests plant.

use denial_explainer::diag::line_column;
use denial_explainer::{explain, Report};

/// An AWS message from the IAM troubleshooting page's examples (SCP, explicit deny).
const AWS_MESSAGE: &str = "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy";
const AWS_PRINCIPAL: &str = "arn:aws:iam::777788889999:user/JohnDoe";
const AWS_ACTION: &str = "codecommit:ListRepositories";

/// A small xorshift generator with a fixed seed, so the garbage is the same on
/// every run and a failure can be reproduced.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 32) as u8).collect()
    }
}

/// Every span in the report lies inside `text`, on character boundaries, and every
/// diagnostic label's line and column agree with its start offset.
fn assert_spans_valid(text: &str, report: &Report) {
    let ok = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    for (i, finding) in report.findings.iter().enumerate() {
        assert!(
            ok(finding.span.start, finding.span.end),
            "finding {i} span {:?} is invalid",
            finding.span
        );
        for evidence in &finding.evidence {
            assert!(
                ok(evidence.span.start, evidence.span.end),
                "finding {i} evidence {evidence:?} is invalid"
            );
            assert!(
                !evidence.span.is_empty(),
                "finding {i} evidence {evidence:?} is empty"
            );
        }
        for fact in &finding.facts {
            assert!(
                ok(fact.span.start, fact.span.end),
                "finding {i} fact {fact:?} is invalid"
            );
        }
    }
    for secret in &report.secrets {
        assert!(
            ok(secret.span.start, secret.span.end),
            "secret span {:?} is invalid",
            secret.span
        );
    }
    for diagnostic in &report.diagnostics {
        for label in &diagnostic.labels {
            assert!(
                ok(label.start, label.end),
                "diagnostic label {label:?} is invalid"
            );
            assert_eq!(
                (label.line, label.column),
                line_column(text, label.start),
                "label {label:?}"
            );
        }
    }
}

fn assert_single_aws_finding(report: &Report) {
    assert_eq!(
        report.findings.len(),
        1,
        "expected exactly the planted AWS finding: {:#?}",
        report.findings
    );
    let Some(finding) = report.findings.first() else {
        return;
    };
    let value = serde_json::to_value(finding).unwrap_or_default();
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    assert_eq!(field("provider").as_deref(), Some("aws"));
    assert_eq!(field("gate").as_deref(), Some("authorization"));
    assert_eq!(field("deny").as_deref(), Some("explicit"));
    assert_eq!(field("policyType").as_deref(), Some("scp"));
    assert_eq!(finding.principal.as_deref(), Some(AWS_PRINCIPAL));
    assert_eq!(finding.action.as_deref(), Some(AWS_ACTION));
}

#[test]
fn binary_garbage_gives_an_answer() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for round in 0..64 {
        let size = 1 + (rng.next() % 8192) as usize;
        let bytes = rng.bytes(size);
        let text = String::from_utf8_lossy(&bytes);
        let report = explain(&text);
        assert_spans_valid(&text, &report);
        // Whatever is found, serializing the answer must work.
        serde_json::to_value(&report)
            .unwrap_or_else(|e| panic!("round {round}: report does not serialize: {e}"));
    }
}

#[test]
fn binary_garbage_around_a_message_still_finds_it() {
    let mut rng = XorShift(0x0123_4567_89AB_CDEF);
    // Garbage without newlines would glue itself to the message; keep the message
    // on lines of its own, as a person pasting a log would have it.
    let noise = |rng: &mut XorShift| {
        String::from_utf8_lossy(&rng.bytes(4096))
            .replace(['\n', '\r'], " ")
            .replace("User", "Usr")
    };
    let text = format!("{}\n{AWS_MESSAGE}\n{}", noise(&mut rng), noise(&mut rng));
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
}

#[test]
fn ten_megabytes_of_text_returns() {
    let line = "2024-06-04T08:12:44.123Z INFO request completed path=/api/v1/items status=200 duration_ms=12\n";
    let mut text = String::with_capacity(10 * 1024 * 1024 + 256);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(line);
    }
    text.push_str(AWS_MESSAGE);
    text.push('\n');
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    // Either the whole paste was read and the message at its very end was found,
    // or the paste is over a documented size limit and a diagnostic says so.
    assert!(
        report.findings.len() == 1 || !report.diagnostics.is_empty(),
        "a 10 MB paste must be analysed or refused with a diagnostic; got {} findings and no diagnostic",
        report.findings.len()
    );
    if report.findings.len() == 1 {
        assert_single_aws_finding(&report);
    }
}

#[test]
fn deeply_nested_arrays_do_not_overflow() {
    let depth = 100_000;
    let text = format!("response body:\n{}\n{AWS_MESSAGE}\n", "[".repeat(depth));
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
}

#[test]
fn deeply_nested_objects_do_not_overflow() {
    let depth = 100_000;
    let closed = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let text = format!(
        "first:\n{}\nsecond:\n{closed}\n{AWS_MESSAGE}\n",
        "{\"a\":".repeat(depth)
    );
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
}

#[test]
fn invalid_json_does_not_stop_the_analysis() {
    let broken = "{\"request\": {\"bucket\": \"exports\", \"key\": \"nightly.csv\", \"size\": 12,, \"tags\": [}\n";
    let text = format!("2024-06-04T08:12:40Z upload: response body follows\n{broken}2024-06-04T08:12:41Z retrying\n{AWS_MESSAGE}\n");
    let json_start = text.find('{').unwrap();
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
    // The broken object is reported with where it is: a diagnostic with labels,
    // each carrying the line and column of its start, pointing at the object or
    // after it (never before it).
    let labels: Vec<_> = report
        .diagnostics
        .iter()
        .flat_map(|d| d.labels.iter())
        .collect();
    assert!(
        !labels.is_empty(),
        "expected a diagnostic with a label for the broken JSON: {:#?}",
        report.diagnostics
    );
    for label in labels {
        assert!(label.line >= 2 && label.column >= 1, "label {label:?}");
        assert!(
            label.start >= json_start,
            "label {label:?} points before the broken JSON at {json_start}"
        );
    }
}

#[test]
fn odd_unicode_around_a_message() {
    let text = format!(
        "\u{1F680} deploy \u{274C} failed\n\u{200F}\u{202E}deliberately reversed\u{202C}\u{200E}\nZo\u{0065}\u{0301} cafe\u{0301} \u{0000}\u{0000}\n\
         \u{FEFF}{AWS_MESSAGE}\u{0000}\n\u{1F469}\u{200D}\u{1F4BB} \u{0E01}\u{0E34}\u{0E4A} \u{05D0}\u{05D1}\n"
    );
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
}

#[test]
fn odd_unicode_alone_finds_nothing_and_says_so() {
    let text = "\u{0000}\u{200F}\u{202E}\u{1F600}\u{0301}\u{0301}\u{0301}\u{FFFD}\u{10FFFF}\n\u{D55C}\u{AE00} \u{0627}\u{0644}\u{0639}\u{0631}\u{0628}\u{064A}\u{0629}\n";
    let report = explain(text);
    assert_spans_valid(text, &report);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(
        !report.summary.trim().is_empty(),
        "an empty result still gets a short answer"
    );
}

#[test]
fn empty_input_finds_nothing_and_says_so() {
    for text in ["", " ", "\n\n", "\t\r\n"] {
        let report = explain(text);
        assert!(
            report.findings.is_empty(),
            "{text:?}: {:#?}",
            report.findings
        );
        assert!(report
            .diagnostics
            .iter()
            .all(|d| d.labels.iter().all(|l| l.end <= text.len())));
        assert!(
            !report.summary.trim().is_empty(),
            "{text:?}: an empty result still gets a short answer"
        );
    }
}

/// Issue 11: "identical denials are one finding with a count and their
/// positions" (the page shows one card with "× 1,000").
#[test]
fn a_thousand_copies_give_one_finding_counted_a_thousand_times() {
    let copies = 1000;
    let line = format!("{AWS_MESSAGE}\n");
    let text = line.repeat(copies);
    let report = explain(&text);
    assert_spans_valid(&text, &report);
    assert_single_aws_finding(&report);
    let finding = &report.findings[0];
    assert_eq!(finding.count, copies);
    assert_eq!(finding.occurrences.len(), copies);
    let mut previous_end = 0;
    for (i, at) in finding.occurrences.iter().enumerate() {
        assert!(
            at.start >= previous_end,
            "occurrence {i} overlaps the one before it"
        );
        assert_eq!(&text[at.start..at.end], AWS_MESSAGE, "occurrence {i}");
        assert_eq!(at.start, i * line.len(), "occurrence {i}");
        previous_end = at.end;
    }
}

#[test]
fn pathological_repetition_returns() {
    // Inputs that make naive pattern matching backtrack: long runs of a prefix
    // that never completes.
    let cases = [
        "User: ".repeat(50_000),
        "is not authorized to perform: ".repeat(20_000),
        format!("User: arn:aws:iam::{}", "1".repeat(500_000)),
        "with an explicit deny in a ".repeat(20_000),
        "\"".repeat(300_000),
        "<Error><Code>".repeat(50_000),
        "Error from server (Forbidden): ".repeat(20_000),
        format!("{}}}", "{\"error\":".repeat(50_000)),
    ];
    for text in &cases {
        let report = explain(text);
        assert_spans_valid(text, &report);
    }
}
