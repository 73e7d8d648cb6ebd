//! Prints how `explain` scales on the pathological families of issue 11: the
//! time at 1 MB and 4 MB and their ratio (linear work gives about 4), the time
//! at 10 MB, and the size of the JSON answer. Not a test: figures, not verdicts.
//!
//! Run with `./dev bench` (or `cargo run --release --example pathological`).

use std::time::{Duration, Instant};

#[path = "../tests/support/pathological.rs"]
mod pathological;

fn time(text: &str) -> (Duration, usize, usize) {
    let t = Instant::now();
    let report = denial_explainer::explain(std::hint::black_box(text));
    let took = t.elapsed();
    let json = serde_json::to_string(&report).map_or(0, |s| s.len());
    (took, report.findings.len(), json)
}

fn main() {
    let mb = 1024 * 1024;
    println!(
        "{:<26} {:>9} {:>9} {:>6} {:>9} {:>9} {:>10}",
        "family", "1 MB", "4 MB", "ratio", "10 MB", "findings", "JSON"
    );
    for f in pathological::FAMILIES {
        let (t1, _, _) = time(&(f.build)(mb));
        let (t4, _, _) = time(&(f.build)(4 * mb));
        let (t10, n, json) = time(&(f.build)(10 * mb));
        println!(
            "{:<26} {:>7.0}ms {:>7.0}ms {:>6.1} {:>7.0}ms {:>9} {:>8.2}MB",
            f.name,
            t1.as_secs_f64() * 1e3,
            t4.as_secs_f64() * 1e3,
            t4.as_secs_f64() / t1.as_secs_f64().max(1e-9),
            t10.as_secs_f64() * 1e3,
            n,
            json as f64 / 1e6
        );
    }
}
