//! Prints how `explain` scales on the pathological families of issue 11: the
//! time at 1 MB and 4 MB and their ratio (linear work gives about 4), the time
//! at 10 MB, the size of the JSON answer, and (on Linux) the most memory the
//! 10 MB run held beyond what the process held before it. Not a test: figures,
//! not verdicts.
//!
//! Run with `./dev bench` (or `cargo run --release --example pathological`).
//! With `--seeds <dir>` it writes each family, cut to the fuzzers' input
//! size, as seeds for the fuzz targets instead (`<dir>/<target>/<family>`).

use std::time::{Duration, Instant};

#[path = "../tests/support/pathological.rs"]
mod pathological;

#[path = "../tests/support/memory.rs"]
mod memory;

fn time(text: &str) -> (Duration, usize, usize) {
    let t = Instant::now();
    let report = denial_explainer::explain(std::hint::black_box(text));
    let took = t.elapsed();
    let json = serde_json::to_string(&report).map_or(0, |s| s.len());
    (took, report.findings.len(), json)
}

/// Writes the families as fuzz seeds: whole inputs of 60 KB for `explain`
/// and `explain_policies`, and for `explain_repeat` a repeat count byte and
/// one 2 KB unit.
fn seeds(dir: &std::path::Path) -> std::io::Result<()> {
    for f in pathological::FAMILIES {
        let text = (f.build)(60 * 1024);
        for target in ["explain", "explain_policies"] {
            let d = dir.join(target);
            std::fs::create_dir_all(&d)?;
            std::fs::write(d.join(format!("pathological-{}.txt", f.name)), &text)?;
        }
        let unit = (f.build)(2048);
        let d = dir.join("explain_repeat");
        std::fs::create_dir_all(&d)?;
        let mut seed = vec![9u8];
        seed.extend_from_slice(unit.as_bytes());
        std::fs::write(d.join(format!("pathological-{}.bin", f.name)), seed)?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let (Some("--seeds"), Some(dir)) = (args.get(1).map(String::as_str), args.get(2)) {
        if let Err(e) = seeds(std::path::Path::new(dir)) {
            eprintln!("pathological: cannot write seeds: {e}");
            std::process::exit(1);
        }
        return;
    }
    let mb = 1024 * 1024;
    println!(
        "{:<26} {:>9} {:>9} {:>6} {:>9} {:>9} {:>10} {:>10}",
        "family", "1 MB", "4 MB", "ratio", "10 MB", "findings", "JSON", "memory"
    );
    for f in pathological::FAMILIES {
        let (t1, _, _) = time(&(f.build)(mb));
        let (t4, _, _) = time(&(f.build)(4 * mb));
        let text = (f.build)(10 * mb);
        let before = memory::reset_peak();
        let (t10, n, json) = time(&text);
        let held = match (before, memory::status_bytes("VmHWM")) {
            (Some(b), Some(peak)) => format!("{:.0}MB", peak.saturating_sub(b) as f64 / 1e6),
            _ => "n/a".to_owned(),
        };
        println!(
            "{:<26} {:>7.0}ms {:>7.0}ms {:>6.1} {:>7.0}ms {:>9} {:>8.2}MB {:>10}",
            f.name,
            t1.as_secs_f64() * 1e3,
            t4.as_secs_f64() * 1e3,
            t4.as_secs_f64() / t1.as_secs_f64().max(1e-9),
            t10.as_secs_f64() * 1e3,
            n,
            json as f64 / 1e6,
            held
        );
    }
}
