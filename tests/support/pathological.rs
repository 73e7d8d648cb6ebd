//! Inputs a person can produce by accident (a whole log, a runaway loop's
//! output) or a hostile share link can produce on purpose: the families of
//! issue 11's table. Constructed, not real: each repeats one documented message
//! shape until the input reaches the asked size.
//!
//! Shared by `tests/pathological.rs` and `examples/pathological.rs`.

#![allow(dead_code)]

/// One family: a name and a way to build `bytes` of it.
pub struct Family {
    /// A short name for the figures.
    pub name: &'static str,
    /// Builds about `bytes` bytes of the family (never more).
    pub build: fn(usize) -> String,
}

/// Repeats `unit` (numbered by `{n}` when it holds one) while it fits in `bytes`.
fn repeat(unit: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes);
    let mut n = 0usize;
    loop {
        let piece = unit.replace("{n}", &n.to_string());
        if out.len() + piece.len() > bytes {
            break;
        }
        out.push_str(&piece);
        n += 1;
    }
    out
}

/// The IAM troubleshooting page's message shape, one line repeated unchanged
/// (a retry loop logging the same denial).
fn aws_lines(bytes: usize) -> String {
    repeat(
        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::prod-bucket/config.json because no identity-based policy allows the s3:GetObject action\n",
        bytes,
    )
}

/// The same message with a different principal on each line: distinct findings.
fn aws_distinct(bytes: usize) -> String {
    repeat(
        "User: arn:aws:iam::123456789012:user/ci-{n} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::prod-bucket/config.json\n",
        bytes,
    )
}

/// A bare status line repeated (RFC 9110 status line).
fn forbidden_lines(bytes: usize) -> String {
    repeat("HTTP/1.1 403 Forbidden\n", bytes)
}

/// An S3 REST error body (S3 API Reference, "Error responses") repeated.
fn s3_xml(bytes: usize) -> String {
    repeat(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>8YbIHsXlCh3yVbLUqhE0dPuJPZVT3xSHm5+ZdQmQuWa0C8cC6PtK0Pt/0ZiU4qNGGMTk6eSXlq0=</HostId></Error>\n",
        bytes,
    )
}

/// One presigned-style URL whose query string is `bytes` long: SigV4 query
/// parameters (S3 API Reference, "Authenticating Requests: Using Query
/// Parameters") followed by many more signature parameters.
fn presigned_query(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes);
    out.push_str("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host");
    let unit = "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    while out.len() + unit.len() <= bytes {
        out.push_str(unit);
    }
    out
}

/// One SigV2 query-authentication URL (S3 "Authenticating requests: query
/// string authentication", the older form) whose query string is `bytes` long.
fn sigv2_query(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes);
    out.push_str("https://awsexamplebucket1.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120");
    let unit = "&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D&Expires=1141889120";
    while out.len() + unit.len() <= bytes {
        out.push_str(unit);
    }
    out
}

/// Every family, in the order of issue 11's table.
pub const FAMILIES: [Family; 6] = [
    Family {
        name: "aws-not-authorized-lines",
        build: aws_lines,
    },
    Family {
        name: "aws-distinct-principals",
        build: aws_distinct,
    },
    Family {
        name: "403-forbidden-lines",
        build: forbidden_lines,
    },
    Family {
        name: "s3-xml-error-bodies",
        build: s3_xml,
    },
    Family {
        name: "presigned-query-string",
        build: presigned_query,
    },
    Family {
        name: "sigv2-query-string",
        build: sigv2_query,
    },
];
