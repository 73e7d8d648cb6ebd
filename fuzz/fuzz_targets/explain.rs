//! `explain` must answer any text without panicking, and its spans must point
//! inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = denial_explainer::explain(&text);
    for finding in &report.findings {
        assert!(finding.span.end <= text.len());
        assert!(text.is_char_boundary(finding.span.start) && text.is_char_boundary(finding.span.end));
        for e in &finding.evidence {
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
        }
    }
    for secret in &report.secrets {
        assert!(text.is_char_boundary(secret.span.start) && text.is_char_boundary(secret.span.end));
    }
});
