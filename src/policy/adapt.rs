//! The seam between the evaluator and the matching primitives
//! ([`super::condition`], [`super::variables`]).
//!
//! The evaluator needs one thing the variables module does not offer: a key
//! whose value is *unknown* (not given, context incomplete) rather than absent.
//! [`substitute`] adds that three-way answer on top of
//! [`super::variables::substitute`].

use super::condition::{self, Operator};
use super::variables::{self, Resolved};
use std::cell::RefCell;

/// A parsed condition operator.
pub type CondOp = Operator;

/// Whether the operator holds for the request's values (`None`: key absent).
#[must_use]
pub fn evaluate(op: &CondOp, policy_values: &[String], request: Option<&[String]>) -> bool {
    condition::evaluate(op, policy_values, request)
}

/// [`evaluate`] for `StringLike` / `StringNotLike` values that contain literal
/// `*` or `?` (from `${*}`, `${?}` or substituted data), which the operator
/// module's `evaluate` cannot be told about. `literal[i]` lists the literal
/// byte offsets of `policy_values[i]`. The absent-key, qualifier and negation
/// rules are the same as [`condition::evaluate`]'s.
#[must_use]
pub fn evaluate_like_with_literals(
    op: &CondOp,
    policy_values: &[String],
    literal: &[Vec<usize>],
    request: Option<&[String]>,
) -> bool {
    let request = request.filter(|v| !v.is_empty());
    let negated = op.base.is_negated();
    let Some(values) = request else {
        return match op.qualifier {
            Some(condition::SetQualifier::ForAllValues) => true,
            Some(condition::SetQualifier::ForAnyValue) => false,
            None => op.if_exists || negated,
        };
    };
    let matches_any = |r: &String| {
        policy_values.iter().enumerate().any(|(i, p)| {
            super::wildcard::matches_with_literals(
                p,
                literal.get(i).map_or(&[][..], Vec::as_slice),
                r,
                false,
            )
        })
    };
    let satisfies = |r: &String| matches_any(r) != negated;
    match op.qualifier {
        Some(condition::SetQualifier::ForAllValues) => values.iter().all(satisfies),
        Some(condition::SetQualifier::ForAnyValue) => values.iter().any(satisfies),
        None => values.iter().any(matches_any) != negated,
    }
}

/// What substituting policy variables into a text gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Substituted {
    /// The text with every variable replaced, and the byte offsets of the `*`
    /// and `?` in it that are literal (escapes and substituted data).
    Text(String, Vec<usize>),
    /// A variable names a key the request does not have, and no default is
    /// given: the value matches nothing.
    Missing(String),
    /// A variable names a key whose value is unknown (not given, context
    /// incomplete).
    Unknown(String),
}

/// The value of a context key, for variable substitution.
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
/// key is missing, with no default, makes the value not match; a multivalued
/// key cannot be used as a variable (treated as missing).
pub fn substitute<'a>(text: &str, lookup: &dyn Fn(&str) -> VarValue<'a>) -> Substituted {
    if !variables::has_variables(text) {
        return Substituted::Text(text.to_owned(), Vec::new());
    }
    let unknown: RefCell<Option<String>> = RefCell::new(None);
    let resolved = variables::substitute(
        text,
        &|key: &str| match lookup(&condition::canonical_key(key)) {
            VarValue::Present([one]) => Some(one.clone()),
            VarValue::Present(_) | VarValue::Absent => None,
            VarValue::Unknown => {
                let mut u = unknown.borrow_mut();
                if u.is_none() {
                    *u = Some(key.to_owned());
                }
                // A stand-in: the result is discarded below.
                Some(String::new())
            }
        },
    );
    if let Some(k) = unknown.into_inner() {
        return Substituted::Unknown(k);
    }
    match resolved {
        Resolved::Value(v) => Substituted::Text(v.text, v.literal),
        Resolved::Unresolved { variable } => Substituted::Missing(variable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_reported_as_unknown() {
        // IAM User Guide, "IAM policy elements: Variables and tags".
        let vals = vec!["alice".to_owned()];
        let look = |k: &str| match k {
            "aws:username" => VarValue::Present(&vals),
            "aws:principaltag/team" => VarValue::Absent,
            _ => VarValue::Unknown,
        };
        assert_eq!(
            substitute("home/${aws:username}/*", &look),
            Substituted::Text("home/alice/*".into(), vec![])
        );
        assert_eq!(
            substitute("${aws:PrincipalTag/team}", &look),
            Substituted::Missing("aws:PrincipalTag/team".into())
        );
        assert_eq!(
            substitute("${aws:PrincipalTag/team, 'x'}", &look),
            Substituted::Text("x".into(), vec![])
        );
        assert_eq!(
            substitute("${aws:SourceIp}", &look),
            Substituted::Unknown("aws:SourceIp".into())
        );
        assert_eq!(
            substitute("a${*}b", &look),
            Substituted::Text("a*b".into(), vec![1])
        );
    }
}
