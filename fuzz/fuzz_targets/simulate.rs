//! Policy parsing and evaluation must answer any scenario without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = denial_explainer::simulate(&text);
});
