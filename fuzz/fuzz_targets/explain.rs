//! `explain` must answer any text without panicking, its spans must point
//! inside the text on character boundaries, and no detected credential may
//! remain readable in the redacted text or the findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = denial_explainer::explain(&text);
    denial_explainer_fuzz::check(&text, &report);
});
