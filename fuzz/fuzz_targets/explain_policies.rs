//! `explain` with policies: the text before the first NUL byte is the paste,
//! the rest the `policies` array (the scenario format's shape). When the rest
//! is not JSON, a fixed set of policies with conditions, wildcards and a
//! boundary is used, so the engine always runs against what the paste names.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FALLBACK: &str = r#"[
 {"type":"identity","name":"app","document":{"Version":"2012-10-17","Statement":[
   {"Effect":"Allow","Action":["s3:Get*","sqs:*"],"Resource":"arn:aws:s3:::*/*","Condition":{"StringLike":{"aws:userid":"AROA*:*"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
   {"Effect":"Deny","NotAction":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}},
 {"type":"permissions_boundary","name":"b","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}},
 {"type":"scp","level":"root","name":"FullAWSAccess","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}
]"#;

fuzz_target!(|data: &[u8]| {
    let (paste, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(paste);
    let policies = serde_json::from_slice(rest)
        .ok()
        .or_else(|| serde_json::from_str(FALLBACK).ok());
    let options = denial_explainer::ExplainOptions {
        now_millis: Some(1_796_392_000_000),
        policies,
    };
    let report = denial_explainer::explain_with(&text, &options);
    denial_explainer_fuzz::check(&text, &report);
});
