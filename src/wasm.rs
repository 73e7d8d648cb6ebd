//! The WebAssembly binding: converts JavaScript values to the core's inputs and
//! the core's answers to plain JSON-compatible objects. Nothing else lives here.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook so that a bug reads as a message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Explains every denial found in `text`. Expired tokens are judged against the
/// browser's clock.
///
/// # Errors
///
/// Only if the answer cannot be converted to a JavaScript value, which is a bug.
#[wasm_bindgen]
pub fn explain(text: &str) -> Result<JsValue, JsValue> {
    let options = crate::ExplainOptions {
        now_millis: Some(js_sys::Date::now() as i64),
    };
    to_js(&crate::explain_with(text, &options))
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
