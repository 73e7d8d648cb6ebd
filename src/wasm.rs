//! The WebAssembly binding: converts JavaScript values to the core's inputs and
//! the core's answers to plain JSON-compatible objects. Nothing else lives here.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook so that a bug reads as a message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

// Values cross the boundary as JSON text (serde_json here, `JSON.parse` and
// `JSON.stringify` there) rather than through serde-wasm-bindgen: the result is
// the same plain object with camelCase names and `null` for absent values, and
// the wasm is about 20 KB smaller for not carrying a second serializer and
// serde's float formatting. Our answers never hold NaN, `undefined` or BigInt,
// the cases where the two ways differ.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&json)
}

fn from_js(value: &JsValue) -> Result<serde_json::Value, JsValue> {
    let json = JsValue::from(js_sys::JSON::stringify(value)?)
        .as_string()
        .ok_or_else(|| JsValue::from_str("expected JSON data (an object, array or string)"))?;
    serde_json::from_str(&json).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Explains every denial found in `text`. `policies`, when given, is an array of
/// policies in the scenario format (`{ type, name, level, document }`), evaluated
/// against each finding's request. Expired tokens are judged against the
/// browser's clock.
///
/// # Errors
///
/// Only for programmer errors: `policies` holding values JSON cannot represent,
/// or an answer that cannot be converted.
#[wasm_bindgen]
pub fn explain(text: &str, policies: JsValue) -> Result<JsValue, JsValue> {
    let policies = if policies.is_undefined() || policies.is_null() {
        None
    } else {
        Some(from_js(&policies)?)
    };
    let options = crate::ExplainOptions {
        now_millis: Some(js_sys::Date::now() as i64),
        policies,
    };
    to_js(&crate::explain_with(text, &options))
}

#[cfg(feature = "policy")]
/// Evaluates a scenario given as an object or as its JSON text. Bad input is an
/// answer (`{ type: "failure", errors }`), not an exception.
///
/// # Errors
///
/// Only for programmer errors, as for [`explain`].
#[wasm_bindgen]
pub fn simulate(scenario: JsValue) -> Result<JsValue, JsValue> {
    match scenario.as_string() {
        Some(text) => to_js(&crate::simulate(&text)),
        None => to_js(&crate::simulate_value(&from_js(&scenario)?)),
    }
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Triages CloudTrail events pasted or read from a file (a `{"Records": [...]}`
/// file, an array, one event a line, or a query result as CSV): the denials
/// grouped, ranked and explained, as `denial-explainer triage --format json`
/// prints them. The page gunzips `.json.gz` files with `DecompressionStream`.
///
/// # Errors
///
/// Only for programmer errors, as for [`explain`].
#[cfg(feature = "triage-wasm")]
#[wasm_bindgen]
pub fn triage(text: &str) -> Result<JsValue, JsValue> {
    let mut t = crate::triage::Triage::new();
    t.read("input", text.as_bytes());
    to_js(&t.finish(&crate::triage::TriageOptions::default()))
}

/// The Athena query `denial-explainer triage --athena-sql` writes: CloudTrail
/// denials in `table` from `start` to `end` (`YYYY-MM-DD`, inclusive), grouped
/// as triage groups them, for logs too large to bring to the page.
///
/// # Errors
///
/// The reason, as a string, when the table name or a date is not in that form.
#[cfg(feature = "triage-wasm")]
#[wasm_bindgen(js_name = athenaSql)]
pub fn athena_sql(table: &str, start: &str, end: &str) -> Result<String, JsValue> {
    crate::triage::sql::athena(table.trim(), start.trim(), end.trim())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Triage read file by file, for the page's worker: `new TriageSession()`, then
/// `read(name, bytes)` once per file (already gunzipped), `fail(name, offset,
/// message)` for a file the browser could not read or gunzip, and `finish()`
/// once. Only the groups are kept between files, never the text, so the memory
/// used does not grow with the number of files.
#[cfg(feature = "triage-wasm")]
#[wasm_bindgen]
pub struct TriageSession {
    inner: Option<crate::triage::Triage>,
}

#[cfg(feature = "triage-wasm")]
impl Default for TriageSession {
    /// An empty session, as [`TriageSession::new`] makes (a derived default
    /// would be one already finished).
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "triage-wasm")]
#[wasm_bindgen]
impl TriageSession {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Some(crate::triage::Triage::new()),
        }
    }

    /// Reads one file's uncompressed bytes; problems become the report's errors.
    pub fn read(&mut self, name: &str, bytes: &[u8]) {
        if let Some(t) = self.inner.as_mut() {
            t.read(name, bytes);
        }
    }

    /// Records a file that could not be read or gunzipped.
    pub fn fail(&mut self, name: &str, offset: f64, message: &str) {
        if let Some(t) = self.inner.as_mut() {
            t.record_error(crate::triage::FileError {
                file: name.to_owned(),
                offset: if offset.is_finite() && offset > 0.0 {
                    offset as u64
                } else {
                    0
                },
                message: message.to_owned(),
                events_kept: 0,
            });
        }
    }

    /// Events read so far.
    #[must_use]
    pub fn events(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |t| t.events() as f64)
    }

    /// The report, as `denial-explainer triage --format json` prints it. A
    /// second call answers `null`.
    ///
    /// # Errors
    ///
    /// Only for programmer errors, as for [`explain`].
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        match self.inner.take() {
            Some(t) => to_js(&t.finish(&crate::triage::TriageOptions::default())),
            None => Ok(JsValue::NULL),
        }
    }
}
