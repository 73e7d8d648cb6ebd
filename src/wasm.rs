//! The WebAssembly binding: converts types and calls the core, nothing else.
//!
//! Provisional version written on the `web` branch so the page can be built;
//! the lead's version replaces it at merge.

use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// Installs the panic hook so that a bug reads as a message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Explains every denial in `text`. `policies` is accepted for the future
/// evaluation step and ignored for now.
#[wasm_bindgen]
pub fn explain(text: &str, policies: JsValue) -> JsValue {
    let _ = policies;
    to_js(&crate::explain(text))
}

#[derive(Serialize)]
struct Failure {
    #[serde(rename = "type")]
    kind: &'static str,
    errors: Vec<crate::diag::Diagnostic>,
}

/// Evaluates a scenario. Until the engine lands this always answers with a
/// failure that says so.
#[wasm_bindgen]
pub fn simulate(scenario: JsValue) -> JsValue {
    let _ = scenario;
    let diagnostic = crate::diag::Diagnostic::new(
        "simulate.unavailable",
        crate::diag::Severity::Info,
        "policy evaluation is not available in this build",
    );
    to_js(&Failure {
        kind: "failure",
        errors: vec![diagnostic],
    })
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
