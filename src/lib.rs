//! denial-explainer: paste an access-denied error, learn which gate failed, why,
//! and what to do — computed entirely on the reader's machine.
//!
//! The core is pure Rust (std, serde, serde_json) and is compiled both natively
//! (the `denial-explainer` command) and to WebAssembly (the page and the widget).

pub mod diag;
pub mod explain;
pub mod model;
pub mod scan;
pub mod time;

pub use model::Report;

/// Explains every denial found in `text`.
///
/// Input past [`explain::MAX_INPUT_BYTES`] (16 MiB) is cut there and an
/// `input.too-large` diagnostic says so. Malformed JSON inside the text is
/// reported as a diagnostic with its line and column; the rest is still analysed.
#[must_use]
pub fn explain(text: &str) -> Report {
    let (findings, diagnostics) = explain::find(text);
    Report {
        findings,
        secrets: Vec::new(),
        redacted: text.to_owned(),
        summary: String::new(),
        diagnostics,
    }
}
