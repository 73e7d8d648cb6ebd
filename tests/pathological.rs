//! The pathological families of issue 11 (a retry loop's log, a pasted HAR,
//! a hostile share link's query string) at 1 MB and 4 MB: `explain` answers,
//! its answer stays bounded, and quadrupling the input does not do more than
//! quadruple the work.
//!
//! Bounds asserted, from issue 11 ("identical denials are one finding with a
//! count and their positions, distinct findings capped with an 'and N more'
//! diagnostic, secrets likewise; the result never exceeds a few MB"):
//! - at most `MAX_FINDINGS` findings and `MAX_SECRETS` listed secrets;
//! - the JSON answer is the redacted text (at most twice the input: a mask
//!   can be longer than a short signature) plus at most 3 MB, whatever the size;
//! - a family's findings at 4 MB repeat those at 1 MB: same number of
//!   distinct findings or the cap, with four times the count.

use denial_explainer::explain::bound::{MAX_FINDINGS, MAX_SECRETS};
use std::time::Instant;

#[path = "support/pathological.rs"]
mod pathological;

const MB: usize = 1024 * 1024;

#[test]
fn every_family_answers_with_a_bounded_result_at_1_and_4_mb() {
    for family in pathological::FAMILIES {
        let mut runs = Vec::new();
        for size in [MB, 4 * MB] {
            let text = (family.build)(size);
            assert!(
                text.len() <= size && text.len() > size - 4096,
                "{}",
                family.name
            );
            let started = Instant::now();
            let report = denial_explainer::explain(&text);
            let took = started.elapsed();
            let json = serde_json::to_string(&report).unwrap();
            assert!(report.findings.len() <= MAX_FINDINGS, "{}", family.name);
            assert!(report.secrets.len() <= MAX_SECRETS, "{}", family.name);
            // A mask may be longer than what it covers (`[redacted, expires
            // ...]` over a short signature), never by much.
            assert!(
                report.redacted.len() <= 2 * text.len(),
                "{}: redacted text of {} bytes",
                family.name,
                report.redacted.len()
            );
            let beyond = json.len().saturating_sub(report.redacted.len());
            assert!(
                beyond <= 3 * MB,
                "{} at {size}: {beyond} bytes of answer beyond the redacted text",
                family.name
            );
            let counted: usize = report.findings.iter().map(|f| f.count).sum();
            runs.push((took, report.findings.len(), counted, beyond));
        }
        let (small, large) = (&runs[0], &runs[1]);
        // Distinct findings do not grow with repetition (or are at the cap).
        assert!(
            large.1 == small.1 || large.1 == MAX_FINDINGS,
            "{}: {} distinct findings at 1 MB, {} at 4 MB",
            family.name,
            small.1,
            large.1
        );
        if small.1 > 0 && small.1 < MAX_FINDINGS {
            // Every repetition is counted: about four times as many.
            assert!(
                large.2 >= 3 * small.2 && large.2 <= 5 * small.2,
                "{}: counts {} and {}",
                family.name,
                small.2,
                large.2
            );
        }
        // The part of the answer beyond the redacted text stays about the same.
        assert!(
            large.3 <= 2 * small.3 + 64 * 1024,
            "{}: answer beyond the redacted text grew from {} to {}",
            family.name,
            small.3,
            large.3
        );
        // Linear work gives a ratio near 4; quadratic, 16. The bound is loose
        // because the machine running tests is shared, and the 1 MB run is
        // floored so that a very fast one does not make the ratio noisy.
        let ratio = large.0.as_secs_f64() / small.0.as_secs_f64().max(0.05);
        assert!(
            ratio < 9.0,
            "{}: time grew {ratio:.1}x for 4x the input",
            family.name
        );
        eprintln!(
            "{:<26} 1 MB {:>6.0} ms, 4 MB {:>6.0} ms, ratio {ratio:.1}",
            family.name,
            small.0.as_secs_f64() * 1e3,
            large.0.as_secs_f64() * 1e3
        );
    }
}
