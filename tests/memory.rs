//! Memory bounded by the input (issue 11: "at most a small multiple of the
//! input"): the most memory `explain` holds, for each pathological family at
//! 4 MB. Measured as the rise of the process's peak resident set over what it
//! held before (Linux: `VmHWM` in `/proc/self/status`, reset between families
//! through `/proc/self/clear_refs`), which counts the allocator's slack too.
//!
//! One test in its own binary, so no other test's allocations are counted.
#![allow(clippy::unwrap_used)]

#[path = "support/memory.rs"]
mod memory;

#[path = "support/pathological.rs"]
mod pathological;

const MB: usize = 1024 * 1024;

/// The most memory `explain` may hold beyond the text, as a multiple of the
/// text: the redacted copy, the copy with log decorations blanked, the JSON
/// bodies' hits, and one window's hits and index (a fixed amount, whatever
/// the size).
const TIMES_INPUT: usize = 6;
const FIXED: usize = 96 * MB;

#[test]
fn explain_holds_at_most_a_small_multiple_of_the_input() {
    let mut table = Vec::new();
    for family in pathological::FAMILIES {
        let text = (family.build)(4 * MB);
        let before = memory::reset_peak().unwrap();
        let report = denial_explainer::explain(&text);
        let peak = memory::status_bytes("VmHWM")
            .unwrap()
            .saturating_sub(before);
        drop(report);
        table.push(format!(
            "{:<26} {:>6.1} MB peak for {:.1} MB",
            family.name,
            peak as f64 / MB as f64,
            text.len() as f64 / MB as f64
        ));
        assert!(
            peak <= TIMES_INPUT * text.len() + FIXED,
            "{}: {} bytes at the peak for {} bytes of text\n{}",
            family.name,
            peak,
            text.len(),
            table.join("\n")
        );
    }
    println!("{}", table.join("\n"));
}
