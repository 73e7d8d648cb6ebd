//! denial-explainer: paste an access-denied error, learn which gate failed, why,
//! and what to do — computed entirely on the reader's machine.
//!
//! The core is pure Rust (std, serde, serde_json) and is compiled both natively
//! (the `denial-explainer` command) and to WebAssembly (the page and the widget).

pub mod base64;
pub mod catalogue;
pub mod diag;
pub mod explain;
pub mod json;
pub mod model;
pub mod policy;
pub mod render;
pub mod scan;
pub mod secrets;
pub mod time;
pub mod triage;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use explain::MAX_INPUT_BYTES;
pub use model::Report;
pub use policy::{simulate, simulate_value, Simulation};

/// Settings for [`explain_with`].
#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    /// The time of analysis, in milliseconds since the Unix epoch, used to say
    /// whether a token found in the text has expired. `None` leaves that open.
    pub now_millis: Option<i64>,
    /// Policies to evaluate against each finding's request, as a JSON array in
    /// the scenario format's `policies` shape (`{ type, name, level, document }`).
    pub policies: Option<serde_json::Value>,
}

/// Explains every denial found in `text`, with default options.
#[must_use]
pub fn explain(text: &str) -> Report {
    explain_with(text, &ExplainOptions::default())
}

/// Explains every denial found in `text`.
///
/// With [`ExplainOptions::policies`], each AWS authorization finding gets an
/// `evaluation`: the policies evaluated against the request the message names
/// (see [`model::FindingEvaluation`]).
///
/// Input past [`MAX_INPUT_BYTES`] (16 MiB) is cut there and an
/// `input.too-large` diagnostic says so. Malformed JSON inside the text is
/// reported as a diagnostic with its line and column; the rest is still analysed.
#[must_use]
pub fn explain_with(text: &str, options: &ExplainOptions) -> Report {
    let (mut findings, mut diagnostics) = explain::find(text);
    // Secrets first: every value a finding carries is masked before the
    // evaluation and the checklist copy it into commands and prose.
    let mut secrets = secrets::scan(text, options.now_millis);
    explain::bound::scrub(&mut findings, text, &secrets);
    // Without the `policy` feature the engine is left out of the build, which is
    // how the benchmark measures what it adds to the wasm.
    #[cfg(feature = "policy")]
    {
        if let Some(policies) = &options.policies {
            diagnostics.extend(explain::evaluate::evaluate_findings(
                &mut findings,
                policies,
            ));
        }
    }
    for f in &mut findings {
        f.summary = explain::checklist::summary(f);
        f.checklist = explain::checklist::checklist(f);
        f.caveats = explain::checklist::caveats(f);
        f.answer = explain::answer::line(f);
    }
    explain::bound::scrub_built(&mut findings, text, &secrets);
    let redacted = secrets::redact(text, &secrets);
    explain::bound::cap_secrets(&mut secrets, &mut diagnostics);
    Report {
        summary: render::report_summary(&findings),
        findings,
        secrets,
        redacted,
        diagnostics,
    }
}
