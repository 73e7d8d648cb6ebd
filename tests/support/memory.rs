//! The process's resident memory, from Linux's `/proc/self/status`: what
//! `tests/memory.rs` holds `explain` to and `examples/pathological.rs` prints.

/// A line of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`), when there is one.
pub fn status_bytes(key: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: usize = line
        .trim_start_matches(key)
        .trim_start_matches(':')
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Resets the peak resident set (`VmHWM`) and returns the resident set now,
/// when the system allows it (`/proc/self/clear_refs`, Linux 4.0 and later).
pub fn reset_peak() -> Option<usize> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_bytes("VmRSS")
}
