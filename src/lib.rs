//! denial-explainer: paste an access-denied error, learn which gate failed, why,
//! and what to do — computed entirely on the reader's machine.
//!
//! The core is pure Rust (std, serde, serde_json) and is compiled both natively
//! (the `denial-explainer` command) and to WebAssembly (the page and the widget).

pub mod diag;
pub mod model;
pub mod time;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use model::Report;

/// Explains every denial found in `text`.
///
/// Placeholder until the recognisers land: returns an empty report.
#[must_use]
pub fn explain(text: &str) -> Report {
    Report {
        findings: Vec::new(),
        secrets: Vec::new(),
        redacted: text.to_owned(),
        summary: String::new(),
        diagnostics: Vec::new(),
    }
}
