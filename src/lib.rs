//! denial-explainer: paste an access-denied error, learn which gate failed, why,
//! and what to do — computed entirely on the reader's machine.
//!
//! The core is pure Rust (std, serde, serde_json) and is compiled both natively
//! (the `denial-explainer` command) and to WebAssembly (the page and the widget).

pub mod diag;
pub mod model;
pub mod policy;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use model::Report;

/// Settings for [`explain_with`].
#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    /// The time of analysis, in milliseconds since the Unix epoch, used to say
    /// whether a token found in the text has expired. `None` leaves that open.
    pub now_millis: Option<i64>,
}

/// Explains every denial found in `text`, with default options.
#[must_use]
pub fn explain(text: &str) -> Report {
    explain_with(text, &ExplainOptions::default())
}

/// Explains every denial found in `text`.
///
/// Placeholder until the recognisers land: returns an empty report.
#[must_use]
pub fn explain_with(text: &str, _options: &ExplainOptions) -> Report {
    Report {
        findings: Vec::new(),
        secrets: Vec::new(),
        redacted: text.to_owned(),
        summary: String::new(),
        diagnostics: Vec::new(),
    }
}
