//! `denial-explainer triage PATH...`: finds the files, gunzips them on the way,
//! and reads them on every core, each thread into its own
//! [`denial_explainer::triage::Triage`], merged at the end.

use denial_explainer::triage::{FileError, Report, Triage, TriageOptions};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Files in a directory that are read: CloudTrail's `.json.gz`, and JSON,
/// JSON lines and CSV, compressed or not. Digest files (`CloudTrail-Digest/`)
/// hold no events and are skipped.
fn wanted(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    [".json", ".jsonl", ".ndjson", ".csv"]
        .iter()
        .any(|ext| name.ends_with(ext))
        && !path
            .components()
            .any(|c| c.as_os_str() == "CloudTrail-Digest")
}

fn walk(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<FileError>) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    if c.is_dir() {
                        walk(&c, out, errors);
                    } else if wanted(&c) {
                        out.push(c);
                    }
                }
            }
            Err(e) => errors.push(open_error(path, &e)),
        },
        Ok(_) => out.push(path.to_owned()),
        Err(e) => errors.push(open_error(path, &e)),
    }
}

fn open_error(path: &Path, e: &std::io::Error) -> FileError {
    FileError {
        file: path.display().to_string(),
        offset: 0,
        message: format!("cannot open: {e}"),
        events_kept: 0,
    }
}

/// Counts the compressed bytes read, for the progress line.
struct Counting<R> {
    inner: R,
    done: &'static AtomicU64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

static DONE_BYTES: AtomicU64 = AtomicU64::new(0);

fn read_file(t: &mut Triage, path: &Path) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            t.record_error(open_error(path, &e));
            return;
        }
    };
    let mut r = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: file,
            done: &DONE_BYTES,
        },
    );
    // Gzip by its magic bytes, whatever the name says.
    let gz = matches!(r.fill_buf(), Ok([0x1f, 0x8b, ..]));
    // flate2 is a dependency of native builds only (the wasm has no files to
    // gunzip); a wasm32 build of this binary, which `cargo test --target
    // wasm32` compiles, reads the bytes as they are.
    #[cfg(not(target_arch = "wasm32"))]
    if gz {
        t.read(&name, flate2::bufread::MultiGzDecoder::new(r));
        return;
    }
    let _ = gz;
    t.read(&name, r);
}

/// Reads every file under `paths` and returns the ranked report.
pub fn run(paths: &[String], progress: bool) -> Report {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        walk(Path::new(p), &mut files, &mut errors);
    }
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let events = AtomicU64::new(0);
    let started = Instant::now();
    let show = progress || std::io::stderr().is_terminal();
    let mut merged = Triage::new();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut t = Triage::new();
                    while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let before = t.events();
                        read_file(&mut t, f);
                        events.fetch_add(t.events() - before, Ordering::Relaxed);
                    }
                    finished.fetch_add(1, Ordering::Relaxed);
                    t
                })
            })
            .collect();
        let mut shown = false;
        while finished.load(Ordering::Relaxed) < threads {
            std::thread::sleep(Duration::from_millis(100));
            if show && started.elapsed() > Duration::from_secs(1) {
                let done = DONE_BYTES.load(Ordering::Relaxed);
                let secs = started.elapsed().as_secs_f64();
                let n = events.load(Ordering::Relaxed);
                eprint!(
                    "\rtriage: {:>3}% of {} MB, {} events, {:.0} events/s   ",
                    (done * 100).checked_div(total).unwrap_or(100).min(100),
                    total >> 20,
                    n,
                    n as f64 / secs.max(0.001)
                );
                shown = true;
            }
        }
        for w in workers {
            if let Ok(t) = w.join() {
                merged.merge(t);
            }
        }
        if shown {
            eprintln!();
        }
    });
    for e in errors {
        merged.record_error(e);
    }
    let report = merged.finish(&TriageOptions::default());
    if show {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "triage: {} events in {:.1} s ({:.0} events/s)",
            report.summary.events,
            secs,
            report.summary.events as f64 / secs.max(0.001)
        );
        let _ = std::io::stderr().flush();
    }
    report
}
