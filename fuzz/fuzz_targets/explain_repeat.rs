//! Large structured inputs without waiting for libFuzzer to grow them: the
//! first byte says how many times (up to 4,096) the rest is repeated, up to
//! 256 KB in all. Repetition is what a retry loop's log, a HAR or a hostile
//! share link produces, and what made earlier scans quadratic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, unit)) = data.split_first() else {
        return;
    };
    if unit.is_empty() {
        return;
    }
    let times = (1usize << (n % 13)).min((256 << 10) / unit.len()).max(1);
    let text = String::from_utf8_lossy(unit).repeat(times);
    let report = denial_explainer::explain(&text);
    denial_explainer_fuzz::check(&text, &report);
});
