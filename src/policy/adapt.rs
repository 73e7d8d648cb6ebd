//! The seam between the evaluator and the matching primitives: condition
//! operators and policy variables.
//!
//! The evaluator calls only these functions, so the operator and variable
//! modules can change shape without touching the evaluation logic.

/// A parsed condition operator (placeholder until the operator module lands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondOp {
    name: String,
}

/// Why an operator name was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// What is wrong.
    pub message: String,
    /// The closest known operator, if any.
    pub suggestion: Option<String>,
}

/// Parses a condition operator name such as `ForAnyValue:StringLikeIfExists`.
///
/// # Errors
///
/// Returns an [`OpError`] for names that are not operators.
pub fn parse_operator(name: &str) -> Result<CondOp, OpError> {
    Err(OpError { message: format!("unknown condition operator `{name}`"), suggestion: None })
}

/// Whether the operator matches the request's values (`None`: key absent).
#[must_use]
pub fn evaluate(_op: &CondOp, _policy_values: &[String], _request: Option<&[String]>) -> bool {
    false
}

/// Whether the operator compares strings exactly (so `*` in its values is literal).
#[must_use]
pub fn is_exact_string(_op: &CondOp) -> bool {
    false
}

/// What substituting policy variables into a text gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Substituted {
    /// The text with every variable replaced.
    Text(String),
    /// A variable names a key the request does not have, and no default is given:
    /// the value matches nothing.
    Missing(String),
    /// A variable names a key whose value is unknown (not given, context incomplete).
    Unknown(String),
}

/// The value of a context key for variable substitution.
pub enum VarValue<'a> {
    /// The key has these values (a variable needs exactly one).
    Present(&'a [String]),
    /// The key is absent from the request.
    Absent,
    /// Whether the key is present, and its value, are not known.
    Unknown,
}

/// Substitutes `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`,
/// `${$}` in `text`, looking keys up (lowercased) with `lookup`.
///
/// IAM User Guide, "IAM policy elements: Variables and tags": a variable whose
/// key is missing, with no default, makes the element not match; a key with
/// several values cannot be used as a variable.
pub fn substitute<'a>(text: &str, lookup: &dyn Fn(&str) -> VarValue<'a>) -> Substituted {
    if !text.contains("${") {
        return Substituted::Text(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 2..).unwrap_or("");
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(at..).unwrap_or(""));
            rest = "";
            break;
        };
        let inner = after.get(..close).unwrap_or("");
        rest = after.get(close + 1..).unwrap_or("");
        match inner {
            "*" => out.push('*'),
            "?" => out.push('?'),
            "$" => out.push('$'),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        let d = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')).unwrap_or(d);
                        (k.trim(), Some(d))
                    }
                    None => (inner.trim(), None),
                };
                let lower = key.to_ascii_lowercase();
                match lookup(&lower) {
                    VarValue::Present([one]) => out.push_str(one),
                    VarValue::Unknown => return Substituted::Unknown(key.to_owned()),
                    _ => match default {
                        Some(d) => out.push_str(d),
                        None => return Substituted::Missing(key.to_owned()),
                    },
                }
            }
        }
    }
    out.push_str(rest);
    Substituted::Text(out)
}
