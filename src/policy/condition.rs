//! Condition operators: parsing their names and evaluating one condition key.
//!
//! The specification is the IAM User Guide: "IAM JSON policy elements:
//! Condition operators", "IAM JSON policy elements: Condition", "Conditions
//! with multiple context keys or values" and "Single-valued vs. multivalued
//! context keys". The evaluator combines keys and operators (AND); this module
//! decides one key under one operator.

use std::fmt;

use super::{arn, ip, wildcard};

/// The condition operators without `IfExists` and set qualifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the AWS operator of the same name
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl BaseOp {
    /// Every operator, in the order the IAM User Guide lists them.
    pub const ALL: [BaseOp; 27] = [
        BaseOp::StringEquals,
        BaseOp::StringNotEquals,
        BaseOp::StringEqualsIgnoreCase,
        BaseOp::StringNotEqualsIgnoreCase,
        BaseOp::StringLike,
        BaseOp::StringNotLike,
        BaseOp::NumericEquals,
        BaseOp::NumericNotEquals,
        BaseOp::NumericLessThan,
        BaseOp::NumericLessThanEquals,
        BaseOp::NumericGreaterThan,
        BaseOp::NumericGreaterThanEquals,
        BaseOp::DateEquals,
        BaseOp::DateNotEquals,
        BaseOp::DateLessThan,
        BaseOp::DateLessThanEquals,
        BaseOp::DateGreaterThan,
        BaseOp::DateGreaterThanEquals,
        BaseOp::Bool,
        BaseOp::BinaryEquals,
        BaseOp::IpAddress,
        BaseOp::NotIpAddress,
        BaseOp::ArnEquals,
        BaseOp::ArnLike,
        BaseOp::ArnNotEquals,
        BaseOp::ArnNotLike,
        BaseOp::Null,
    ];

    /// The operator's name as written in policies.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            BaseOp::StringEquals => "StringEquals",
            BaseOp::StringNotEquals => "StringNotEquals",
            BaseOp::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            BaseOp::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            BaseOp::StringLike => "StringLike",
            BaseOp::StringNotLike => "StringNotLike",
            BaseOp::NumericEquals => "NumericEquals",
            BaseOp::NumericNotEquals => "NumericNotEquals",
            BaseOp::NumericLessThan => "NumericLessThan",
            BaseOp::NumericLessThanEquals => "NumericLessThanEquals",
            BaseOp::NumericGreaterThan => "NumericGreaterThan",
            BaseOp::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            BaseOp::DateEquals => "DateEquals",
            BaseOp::DateNotEquals => "DateNotEquals",
            BaseOp::DateLessThan => "DateLessThan",
            BaseOp::DateLessThanEquals => "DateLessThanEquals",
            BaseOp::DateGreaterThan => "DateGreaterThan",
            BaseOp::DateGreaterThanEquals => "DateGreaterThanEquals",
            BaseOp::Bool => "Bool",
            BaseOp::BinaryEquals => "BinaryEquals",
            BaseOp::IpAddress => "IpAddress",
            BaseOp::NotIpAddress => "NotIpAddress",
            BaseOp::ArnEquals => "ArnEquals",
            BaseOp::ArnLike => "ArnLike",
            BaseOp::ArnNotEquals => "ArnNotEquals",
            BaseOp::ArnNotLike => "ArnNotLike",
            BaseOp::Null => "Null",
        }
    }

    /// The operator whose name is exactly `name` (case-sensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<BaseOp> {
        BaseOp::ALL.into_iter().find(|op| op.name() == name)
    }

    /// Whether this is a negated matching operator (`StringNotEquals`,
    /// `NotIpAddress`, `ArnNotLike`, ...): true when the request value matches
    /// none of the policy values, and true when the key is absent.
    #[must_use]
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            BaseOp::StringNotEquals
                | BaseOp::StringNotEqualsIgnoreCase
                | BaseOp::StringNotLike
                | BaseOp::NumericNotEquals
                | BaseOp::DateNotEquals
                | BaseOp::NotIpAddress
                | BaseOp::ArnNotEquals
                | BaseOp::ArnNotLike
        )
    }

    /// The positive operator a negated one negates (itself otherwise).
    #[must_use]
    pub fn positive(self) -> BaseOp {
        match self {
            BaseOp::StringNotEquals => BaseOp::StringEquals,
            BaseOp::StringNotEqualsIgnoreCase => BaseOp::StringEqualsIgnoreCase,
            BaseOp::StringNotLike => BaseOp::StringLike,
            BaseOp::NumericNotEquals => BaseOp::NumericEquals,
            BaseOp::DateNotEquals => BaseOp::DateEquals,
            BaseOp::NotIpAddress => BaseOp::IpAddress,
            BaseOp::ArnNotEquals => BaseOp::ArnEquals,
            BaseOp::ArnNotLike => BaseOp::ArnLike,
            other => other,
        }
    }

    /// Whether `*` and `?` in policy values are wildcards under this operator
    /// (`StringLike`, `StringNotLike` and the four ARN operators).
    #[must_use]
    pub fn supports_wildcards(self) -> bool {
        matches!(
            self,
            BaseOp::StringLike
                | BaseOp::StringNotLike
                | BaseOp::ArnEquals
                | BaseOp::ArnLike
                | BaseOp::ArnNotEquals
                | BaseOp::ArnNotLike
        )
    }

    /// Whether policy variables are substituted in this operator's values.
    /// The operators page marks the string and ARN operators as supporting
    /// variables; the others take literal values.
    #[must_use]
    pub fn supports_variables(self) -> bool {
        matches!(
            self,
            BaseOp::StringEquals
                | BaseOp::StringNotEquals
                | BaseOp::StringEqualsIgnoreCase
                | BaseOp::StringNotEqualsIgnoreCase
                | BaseOp::StringLike
                | BaseOp::StringNotLike
                | BaseOp::ArnEquals
                | BaseOp::ArnLike
                | BaseOp::ArnNotEquals
                | BaseOp::ArnNotLike
        )
    }
}

/// `ForAllValues:` / `ForAnyValue:` set qualifiers for multivalued keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must match; true when the key is absent or empty.
    ForAllValues,
    /// At least one request value must match; false when the key is absent.
    ForAnyValue,
}

impl SetQualifier {
    /// The qualifier as written, without the colon.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// A full condition operator: base, `IfExists` suffix and set qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The comparison.
    pub base: BaseOp,
    /// Whether the name ends in `IfExists`.
    pub if_exists: bool,
    /// `ForAllValues:` or `ForAnyValue:`, if present.
    pub qualifier: Option<SetQualifier>,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write!(f, "{}:", q.name())?;
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// Why an operator name was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorError {
    /// Not a known operator; `suggestion` is the closest valid spelling.
    Unknown {
        /// The name as written.
        name: String,
        /// The closest valid operator name, if one is close enough.
        suggestion: Option<String>,
    },
    /// A set qualifier that is neither `ForAllValues` nor `ForAnyValue`.
    UnknownQualifier {
        /// The qualifier as written (before the colon).
        qualifier: String,
        /// The closest valid qualifier, if one is close enough.
        suggestion: Option<String>,
    },
    /// `NullIfExists`: the operators page says `IfExists` can be added to any
    /// operator except `Null`.
    NullIfExists,
}

impl OperatorError {
    /// A stable code for diagnostics.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            OperatorError::Unknown { .. } => "policy.unknown-operator",
            OperatorError::UnknownQualifier { .. } => "policy.unknown-set-qualifier",
            OperatorError::NullIfExists => "policy.null-if-exists",
        }
    }

    /// Help text for people: the suggestion, when there is one.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            OperatorError::Unknown {
                suggestion: Some(s),
                ..
            }
            | OperatorError::UnknownQualifier {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            OperatorError::NullIfExists => {
                Some("use `Null` alone: it already tests whether the key is present".to_owned())
            }
            _ => None,
        }
    }
}

impl fmt::Display for OperatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperatorError::Unknown { name, .. } => write!(f, "unknown condition operator `{name}`"),
            OperatorError::UnknownQualifier { qualifier, .. } => {
                write!(f, "unknown set qualifier `{qualifier}`")
            }
            OperatorError::NullIfExists => f.write_str("`IfExists` cannot be added to `Null`"),
        }
    }
}

impl std::error::Error for OperatorError {}

/// Parses a condition operator name such as `StringEquals`,
/// `ForAnyValue:StringLike` or `DateLessThanIfExists`.
///
/// Names are matched exactly, case included: the IAM User Guide always
/// writes them in one spelling and documents case-insensitivity only for
/// context key names ("IAM JSON policy elements: Condition"), so a name that
/// differs only in case is reported (with the right spelling as the
/// suggestion) rather than silently accepted.
///
/// # Errors
///
/// [`OperatorError`] for an unknown operator or qualifier (with a suggestion
/// by edit distance over the valid names, ignoring case) and for
/// `NullIfExists`.
pub fn parse_operator(name: &str) -> Result<Operator, OperatorError> {
    let (qualifier, rest) = match name.split_once(':') {
        Some((q, rest)) => {
            let qualifier = match q {
                "ForAllValues" => SetQualifier::ForAllValues,
                "ForAnyValue" => SetQualifier::ForAnyValue,
                _ => {
                    return Err(OperatorError::UnknownQualifier {
                        qualifier: q.to_owned(),
                        suggestion: closest(q, ["ForAllValues", "ForAnyValue"].into_iter())
                            .map(|s| format!("{s}:{rest}")),
                    })
                }
            };
            (Some(qualifier), rest)
        }
        None => (None, name),
    };
    let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let Some(base) = BaseOp::from_name(base_name) else {
        let prefix = qualifier
            .map(|q| format!("{}:", q.name()))
            .unwrap_or_default();
        let candidates = BaseOp::ALL.iter().flat_map(|op| {
            let with = (*op != BaseOp::Null).then(|| format!("{}IfExists", op.name()));
            std::iter::once(op.name().to_owned()).chain(with)
        });
        return Err(OperatorError::Unknown {
            name: name.to_owned(),
            suggestion: closest_owned(rest, candidates).map(|s| format!("{prefix}{s}")),
        });
    };
    if base == BaseOp::Null && if_exists {
        return Err(OperatorError::NullIfExists);
    }
    Ok(Operator {
        base,
        if_exists,
        qualifier,
    })
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    closest_owned(word, candidates.map(str::to_owned))
}

/// The candidate nearest to `word` by Levenshtein distance over lowercase
/// characters, if within a third of the word's length (at least 2).
fn closest_owned(word: &str, candidates: impl Iterator<Item = String>) -> Option<String> {
    // Per character rather than `str::to_lowercase` (whose final-sigma rule
    // brings its own 4 KB of wasm): the candidates are ASCII, so a `Σ` that
    // becomes `ς` rather than `σ` differs from every one of them either way.
    let w = super::lowercase::chars(word, 64);
    let limit = (w.len() / 3).max(2);
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let cc = super::lowercase::chars(&c, usize::MAX);
        let d = levenshtein(&w, &cc);
        if d <= limit && best.as_ref().map_or(true, |(b, _)| d < *b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(0)
}

/// Normalises a condition key name for comparison.
///
/// "IAM JSON policy elements: Condition": context key names are not
/// case-sensitive (`aws:SourceIP` is the same key as `AWS:SourceIp`). The
/// whole key is folded, the tag-key part of `aws:ResourceTag/`,
/// `aws:RequestTag/` and `aws:PrincipalTag/` included: the documentation
/// states key-name case-insensitivity without exempting that part, and IAM
/// does not let one principal carry two tag keys that differ only in case.
/// Request tag values remain case-sensitive under `StringEquals`.
#[must_use]
pub fn canonical_key(key: &str) -> String {
    if key.is_ascii() {
        key.to_ascii_lowercase()
    } else {
        key.chars().map(wildcard::simple_lowercase).collect()
    }
}

/// Evaluates one condition key under `op`.
///
/// `policy_values` are the values listed in the policy for this key (already
/// variable-substituted by the caller); `request` is the key's values in the
/// request context, `None` when the key is absent. A key present with an
/// empty list of values is treated as absent.
///
/// Semantics, from the IAM User Guide pages named in the module docs:
/// - several policy values are OR'd; for a negated operator the request value
///   must match none of them (NOR);
/// - absent key: false, except that negated operators are true, `IfExists`
///   operators are true, `ForAllValues` is true and `ForAnyValue` is false;
/// - `Null`: a policy value `true` holds when the key is absent, `false` when
///   it is present (`"true"`/`"false"` compared without regard to case);
/// - `ForAllValues`: every request value satisfies the operator;
///   `ForAnyValue`: at least one does, where for a negated operator a request
///   value "satisfies" when it matches none of the policy values;
/// - no qualifier with several request values (a multivalued key used
///   without a set operator, which the "Single-valued vs. multivalued context
///   keys" page tells authors not to do; its exact result is not documented):
///   a positive operator holds when any request value matches any policy
///   value, and a negated operator is the negation of that, i.e. it holds
///   when no request value matches any policy value. For one request value
///   all readings agree.
/// - values that do not parse for the operator's type (a number, date,
///   boolean, base64 or IP address) never match; under a negated operator a
///   non-matching value therefore satisfies the condition.
#[must_use]
pub fn evaluate(op: &Operator, policy_values: &[String], request: Option<&[String]>) -> bool {
    let request = request.filter(|values| !values.is_empty());
    if op.base == BaseOp::Null {
        let absent = request.is_none();
        return policy_values.iter().any(|p| match parse_bool(p) {
            Some(want_absent) => want_absent == absent,
            None => false,
        });
    }
    let Some(values) = request else {
        return match op.qualifier {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => op.if_exists || op.base.is_negated(),
        };
    };
    let positive = op.base.positive();
    let negated = op.base.is_negated();
    // Many request values against many policy values (a multivalued key such
    // as `aws:TagKeys` under `ForAllValues:StringLike`): index the policy values
    // once, see [`StringIndex`].
    let index = (values.len().saturating_mul(policy_values.len()) > INDEX_FROM
        && matches!(positive, BaseOp::StringEquals | BaseOp::StringLike))
    .then(|| StringIndex::new(policy_values, positive == BaseOp::StringLike));
    let matches_any_policy = |r: &String| match &index {
        Some(ix) => ix.matches(r),
        None => policy_values.iter().any(|p| value_matches(positive, p, r)),
    };
    // Whether one request value satisfies the (possibly negated) operator.
    let satisfies = |r: &String| matches_any_policy(r) != negated;
    match op.qualifier {
        Some(SetQualifier::ForAllValues) => values.iter().all(satisfies),
        Some(SetQualifier::ForAnyValue) => values.iter().any(satisfies),
        None => values.iter().any(matches_any_policy) != negated,
    }
}

/// Past this many (request value, policy value) pairs, `StringEquals` and
/// `StringLike` values are looked up through a [`StringIndex`].
const INDEX_FROM: usize = 4096;

/// Policy values of `StringEquals` / `StringLike`, indexed so that a request
/// value is compared only with the values that can match it.
///
/// A value without wildcards can only equal the request value, and a pattern
/// can only match a request value that starts with the pattern's literal part
/// before its first `*` or `?`. So values are grouped by that literal prefix
/// in a sorted map, and a request value of length L looks up its L + 1
/// prefixes: O(L log P) lookups and a glob match only for the candidates,
/// instead of one glob match per policy value. With P patterns that share no
/// prefix (the usual `tag-1-*`, `tag-2-*` lists) n request values cost
/// O(n · L log P); patterns that all start with a wildcard are still each
/// tried, as before (each match is linear, see `wildcard`).
///
/// Under `StringEquals` `*` and `?` are literal: each value is its own key.
struct StringIndex<'a> {
    by_prefix: std::collections::BTreeMap<&'a str, Vec<&'a str>>,
    like: bool,
}

impl<'a> StringIndex<'a> {
    fn new(policy_values: &'a [String], like: bool) -> Self {
        let mut by_prefix: std::collections::BTreeMap<&'a str, Vec<&'a str>> =
            std::collections::BTreeMap::new();
        for p in policy_values {
            let cut = if like {
                p.find(['*', '?']).unwrap_or(p.len())
            } else {
                p.len()
            };
            by_prefix
                .entry(p.get(..cut).unwrap_or(""))
                .or_default()
                .push(p);
        }
        StringIndex { by_prefix, like }
    }

    fn matches(&self, r: &str) -> bool {
        if !self.like {
            return self.by_prefix.contains_key(r);
        }
        let cuts = r
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(r.len()));
        for cut in cuts {
            let Some(prefix) = r.get(..cut) else {
                continue;
            };
            if let Some(patterns) = self.by_prefix.get(prefix) {
                if patterns.iter().any(|p| wildcard::matches(p, r, false)) {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether the request value `r` matches the policy value `p` under a
/// positive (non-negated) operator.
#[must_use]
pub fn value_matches(op: BaseOp, p: &str, r: &str) -> bool {
    match op {
        BaseOp::StringEquals | BaseOp::StringNotEquals => p == r,
        BaseOp::StringEqualsIgnoreCase | BaseOp::StringNotEqualsIgnoreCase => eq_ignore_case(p, r),
        BaseOp::StringLike | BaseOp::StringNotLike => wildcard::matches(p, r, false),
        BaseOp::NumericEquals | BaseOp::NumericNotEquals => num_cmp(p, r, |o| o.is_eq()),
        BaseOp::NumericLessThan => num_cmp(p, r, |o| o.is_lt()),
        BaseOp::NumericLessThanEquals => num_cmp(p, r, |o| o.is_le()),
        BaseOp::NumericGreaterThan => num_cmp(p, r, |o| o.is_gt()),
        BaseOp::NumericGreaterThanEquals => num_cmp(p, r, |o| o.is_ge()),
        BaseOp::DateEquals | BaseOp::DateNotEquals => date_cmp(p, r, |o| o.is_eq()),
        BaseOp::DateLessThan => date_cmp(p, r, |o| o.is_lt()),
        BaseOp::DateLessThanEquals => date_cmp(p, r, |o| o.is_le()),
        BaseOp::DateGreaterThan => date_cmp(p, r, |o| o.is_gt()),
        BaseOp::DateGreaterThanEquals => date_cmp(p, r, |o| o.is_ge()),
        BaseOp::Bool => matches!((parse_bool(p), parse_bool(r)), (Some(a), Some(b)) if a == b),
        BaseOp::BinaryEquals => {
            matches!((crate::base64::decode(p), crate::base64::decode(r)), (Some(a), Some(b)) if a == b)
        }
        BaseOp::IpAddress | BaseOp::NotIpAddress => ip::cidr_contains(p, r) == Some(true),
        BaseOp::ArnEquals | BaseOp::ArnLike | BaseOp::ArnNotEquals | BaseOp::ArnNotLike => {
            arn::arn_like(p, r)
        }
        BaseOp::Null => false,
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    let mut x = a.chars().map(wildcard::simple_lowercase);
    let mut y = b.chars().map(wildcard::simple_lowercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c), Some(d)) if c == d => {}
            _ => return false,
        }
    }
}

/// `"true"` / `"false"`, case-insensitive.
fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Compares request `r` against policy `p`: `test(r.cmp(p))`.
fn num_cmp(p: &str, r: &str, test: fn(std::cmp::Ordering) -> bool) -> bool {
    match (parse_number(p), parse_number(r)) {
        (Some(pv), Some(rv)) => rv.partial_cmp(&pv).is_some_and(test),
        _ => false,
    }
}

fn date_cmp(p: &str, r: &str, test: fn(std::cmp::Ordering) -> bool) -> bool {
    match (
        crate::time::parse_datetime(p),
        crate::time::parse_datetime(r),
    ) {
        (Some(pv), Some(rv)) => test(rv.cmp(&pv)),
        _ => false,
    }
}

/// A decimal number: optional sign, digits, optional fraction
/// (`10`, `-3`, `0.5`, `+2.25`). Exponents, `NaN` and infinities are not
/// numbers here.
#[must_use]
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let int_ok = digits(int);
    let frac_ok = frac.map_or(true, digits);
    let has_digit = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    if !(int_ok && frac_ok && has_digit) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn op(name: &str) -> Operator {
        parse_operator(name).unwrap()
    }

    /// Evaluates `name` with policy values `p` and request values `r`
    /// (`None` = key absent).
    fn eval(name: &str, p: &[&str], r: Option<&[&str]>) -> bool {
        let rv = r.map(v);
        evaluate(&op(name), &v(p), rv.as_deref())
    }

    #[test]
    fn parses_operator_names() {
        let o = op("ForAnyValue:StringLikeIfExists");
        assert_eq!(o.base, BaseOp::StringLike);
        assert!(o.if_exists);
        assert_eq!(o.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(o.to_string(), "ForAnyValue:StringLikeIfExists");
        for base in BaseOp::ALL {
            assert_eq!(op(base.name()).base, base);
        }
        // "IAM JSON policy elements: Condition operators": IfExists can be
        // added to any operator except Null.
        assert_eq!(
            parse_operator("NullIfExists"),
            Err(OperatorError::NullIfExists)
        );
        assert!(op("DateLessThanIfExists").if_exists);
    }

    #[test]
    fn unknown_operators_get_suggestions() {
        let e = parse_operator("StringEqualz").unwrap_err();
        assert_eq!(e.to_string(), "unknown condition operator `StringEqualz`");
        assert_eq!(e.help().as_deref(), Some("did you mean `StringEquals`?"));
        assert_eq!(e.code(), "policy.unknown-operator");
        // A case-only difference is reported with the right spelling.
        let e = parse_operator("stringequals").unwrap_err();
        assert_eq!(e.help().as_deref(), Some("did you mean `StringEquals`?"));
        let e = parse_operator("ForAnyValue:StringLik").unwrap_err();
        assert_eq!(
            e.help().as_deref(),
            Some("did you mean `ForAnyValue:StringLike`?")
        );
        let e = parse_operator("IpAdressIfExists").unwrap_err();
        assert_eq!(
            e.help().as_deref(),
            Some("did you mean `IpAddressIfExists`?")
        );
        let e = parse_operator("ForAllValue:StringEquals").unwrap_err();
        assert_eq!(e.to_string(), "unknown set qualifier `ForAllValue`");
        assert_eq!(
            e.help().as_deref(),
            Some("did you mean `ForAllValues:StringEquals`?")
        );
        let e = parse_operator("Frobnicate").unwrap_err();
        assert_eq!(e.help(), None);
    }

    #[test]
    fn string_operators() {
        // "IAM JSON policy elements: Condition": StringEquals on aws:username
        // "johndoe" does not match a user named "JohnDoe"; StringEqualsIgnoreCase does.
        assert!(eval("StringEquals", &["johndoe"], Some(&["johndoe"])));
        assert!(!eval("StringEquals", &["johndoe"], Some(&["JohnDoe"])));
        assert!(eval(
            "StringEqualsIgnoreCase",
            &["johndoe"],
            Some(&["JohnDoe"])
        ));
        assert!(!eval(
            "StringNotEqualsIgnoreCase",
            &["johndoe"],
            Some(&["JOHNDOE"])
        ));
        assert!(eval("StringEqualsIgnoreCase", &["ÉTÉ"], Some(&["été"])));
        // Multiple policy values are OR'd ("Conditions with multiple context
        // keys or values").
        assert!(eval("StringEquals", &["a", "b"], Some(&["b"])));
        assert!(!eval("StringEquals", &["a", "b"], Some(&["c"])));
        // ... and NOR'd for a negated operator.
        assert!(!eval("StringNotEquals", &["a", "b"], Some(&["b"])));
        assert!(eval("StringNotEquals", &["a", "b"], Some(&["c"])));
        // StringEquals takes `*` literally.
        assert!(!eval("StringEquals", &["a*"], Some(&["ab"])));
        assert!(eval("StringEquals", &["a*"], Some(&["a*"])));
        // StringLike: case-sensitive, `*` and `?` wildcards.
        assert!(eval(
            "StringLike",
            &["home/${aws:username}/*"],
            Some(&["home/${aws:username}/x"])
        ));
        assert!(eval(
            "StringLike",
            &["arn:aws:iam::*:role/Dev?"],
            Some(&["arn:aws:iam::1:role/Dev1"])
        ));
        assert!(!eval("StringLike", &["dev*"], Some(&["Dev1"])));
        assert!(eval("StringNotLike", &["dev*"], Some(&["prod"])));
        assert!(!eval(
            "StringNotLike",
            &["dev*", "prod*"],
            Some(&["prod-1"])
        ));
    }

    #[test]
    fn absent_keys() {
        // "IAM JSON policy elements: Condition operators": an absent key does
        // not match and the condition is false, but a negated operator such
        // as StringNotLike or ArnNotLike is true; IfExists and Null test
        // presence themselves.
        for name in [
            "StringEquals",
            "StringLike",
            "NumericLessThan",
            "DateGreaterThan",
            "Bool",
            "BinaryEquals",
            "IpAddress",
            "ArnLike",
            "ArnEquals",
            "StringEqualsIgnoreCase",
        ] {
            assert!(!eval(name, &["x"], None), "{name}");
            // "If the key is not present, evaluate the condition element as true."
            assert!(
                eval(&format!("{name}IfExists"), &["x"], None),
                "{name}IfExists"
            );
        }
        for name in [
            "StringNotEquals",
            "StringNotEqualsIgnoreCase",
            "StringNotLike",
            "NumericNotEquals",
            "DateNotEquals",
            "NotIpAddress",
            "ArnNotEquals",
            "ArnNotLike",
        ] {
            assert!(eval(name, &["x"], None), "{name}");
            assert!(
                eval(&format!("{name}IfExists"), &["x"], None),
                "{name}IfExists"
            );
        }
        // An empty list is an absent key.
        assert!(!eval("StringEquals", &["x"], Some(&[])));
        // IfExists changes nothing when the key is present.
        assert!(!eval("StringEqualsIfExists", &["x"], Some(&["y"])));
        assert!(eval("StringEqualsIfExists", &["x"], Some(&["x"])));
    }

    #[test]
    fn null_operator() {
        // "Condition operator to check existence of condition keys": `true`
        // means the key is absent (or null), `false` that it is present.
        assert!(eval("Null", &["true"], None));
        assert!(!eval("Null", &["true"], Some(&["v"])));
        assert!(eval("Null", &["false"], Some(&["v"])));
        assert!(!eval("Null", &["false"], None));
        assert!(eval("Null", &["TRUE"], Some(&[])));
        assert!(!eval("Null", &["yes"], None));
    }

    #[test]
    fn numeric_operators() {
        // Operators page example: s3:max-keys NumericLessThanEquals 10.
        assert!(eval("NumericLessThanEquals", &["10"], Some(&["10"])));
        assert!(eval("NumericLessThanEquals", &["10"], Some(&["9"])));
        assert!(!eval("NumericLessThanEquals", &["10"], Some(&["11"])));
        assert!(eval("NumericLessThan", &["10"], Some(&["9.5"])));
        assert!(!eval("NumericLessThan", &["10"], Some(&["10"])));
        assert!(eval("NumericGreaterThan", &["-1"], Some(&["0"])));
        assert!(eval("NumericGreaterThanEquals", &["2.50"], Some(&["2.5"])));
        assert!(eval("NumericEquals", &["3"], Some(&["3.0"])));
        assert!(eval("NumericNotEquals", &["3"], Some(&["4"])));
        // Values that are not numbers never match.
        assert!(!eval("NumericEquals", &["3"], Some(&["three"])));
        assert!(!eval("NumericLessThan", &["1e3"], Some(&["5"])));
        assert!(!eval("NumericEquals", &["NaN"], Some(&["NaN"])));
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number(".5"), Some(0.5));
    }

    #[test]
    fn date_operators() {
        // Operators page example: aws:CurrentTime DateGreaterThan / DateLessThan
        // with ISO 8601 values; epoch seconds are accepted too.
        let after = "2020-04-01T00:00:00Z";
        assert!(eval(
            "DateGreaterThan",
            &[after],
            Some(&["2020-06-30T00:00:00Z"])
        ));
        assert!(!eval(
            "DateGreaterThan",
            &[after],
            Some(&["2020-01-01T00:00:00Z"])
        ));
        assert!(eval(
            "DateLessThan",
            &["2020-06-30T00:00:00Z"],
            Some(&["2020-04-01T12:00:00Z"])
        ));
        assert!(eval(
            "DateEquals",
            &["2020-04-01"],
            Some(&["2020-04-01T00:00:00Z"])
        ));
        assert!(eval(
            "DateEquals",
            &["1585699200"],
            Some(&["2020-04-01T00:00:00Z"])
        ));
        assert!(eval("DateLessThanEquals", &[after], Some(&[after])));
        assert!(eval("DateGreaterThanEquals", &[after], Some(&[after])));
        assert!(eval(
            "DateNotEquals",
            &[after],
            Some(&["2021-01-01T00:00:00Z"])
        ));
        assert!(!eval("DateEquals", &[after], Some(&["yesterday"])));
    }

    #[test]
    fn bool_binary_ip_arn() {
        // Bool example: aws:SecureTransport "true"; case-insensitive.
        assert!(eval("Bool", &["true"], Some(&["true"])));
        assert!(eval("Bool", &["True"], Some(&["TRUE"])));
        assert!(!eval("Bool", &["true"], Some(&["false"])));
        assert!(!eval("Bool", &["true"], Some(&["1"])));
        // BinaryEquals compares the decoded bytes of base64 values.
        assert!(eval(
            "BinaryEquals",
            &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="],
            Some(&["QmluYXJ5VmFsdWVJbkJhc2U2NA"])
        ));
        assert!(!eval("BinaryEquals", &["QUJD"], Some(&["QUJE"])));
        assert_eq!(
            crate::base64::decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert_eq!(crate::base64::decode("").unwrap(), b"");
        assert_eq!(crate::base64::decode("QQ==").unwrap(), b"A");
        assert_eq!(crate::base64::decode("QUI=").unwrap(), b"AB");
        assert_eq!(crate::base64::decode("Q"), None);
        assert_eq!(crate::base64::decode("Q!=="), None);
        // IpAddress example: aws:SourceIp 203.0.113.0/24 and 2001:DB8:1234:5678::/64.
        let blocks = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
        assert!(eval("IpAddress", &blocks, Some(&["203.0.113.9"])));
        assert!(eval(
            "IpAddress",
            &blocks,
            Some(&["2001:db8:1234:5678::99"])
        ));
        assert!(!eval("IpAddress", &blocks, Some(&["198.51.100.1"])));
        assert!(eval("NotIpAddress", &blocks, Some(&["198.51.100.1"])));
        assert!(!eval("NotIpAddress", &blocks, Some(&["203.0.113.9"])));
        assert!(!eval("IpAddress", &blocks, Some(&["garbage"])));
        // ARN operators: each of the six components checked separately,
        // case-sensitive, wildcards allowed in ArnEquals and ArnLike.
        let topic = "arn:aws:sns:us-east-1:123456789012:my-topic";
        assert!(eval(
            "ArnEquals",
            &["arn:aws:sns:*:123456789012:*"],
            Some(&[topic])
        ));
        assert!(eval(
            "ArnLike",
            &["arn:aws:sns:us-east-?:123456789012:my-*"],
            Some(&[topic])
        ));
        assert!(!eval(
            "ArnLike",
            &["arn:aws:sns:*:444455556666:*"],
            Some(&[topic])
        ));
        assert!(eval(
            "ArnNotLike",
            &["arn:aws:sns:*:444455556666:*"],
            Some(&[topic])
        ));
        assert!(!eval("ArnNotEquals", &[topic], Some(&[topic])));
        assert!(!eval(
            "ArnEquals",
            &["arn:aws:SNS:us-east-1:123456789012:my-topic"],
            Some(&[topic])
        ));
    }

    #[test]
    fn set_qualifiers() {
        // "Single-valued vs. multivalued context keys" and "Multivalued
        // context key examples".
        let allowed = ["environment", "cost-center"];
        // ForAllValues: every request value must match some policy value.
        assert!(eval(
            "ForAllValues:StringEquals",
            &allowed,
            Some(&["environment"])
        ));
        assert!(eval(
            "ForAllValues:StringEquals",
            &allowed,
            Some(&["environment", "cost-center"])
        ));
        assert!(!eval(
            "ForAllValues:StringEquals",
            &allowed,
            Some(&["environment", "owner"])
        ));
        // ... and is true when the key is absent or empty.
        assert!(eval("ForAllValues:StringEquals", &allowed, None));
        assert!(eval("ForAllValues:StringEquals", &allowed, Some(&[])));
        // ForAnyValue: at least one request value matches; false when absent.
        assert!(eval(
            "ForAnyValue:StringEquals",
            &allowed,
            Some(&["owner", "environment"])
        ));
        assert!(!eval(
            "ForAnyValue:StringEquals",
            &allowed,
            Some(&["owner"])
        ));
        assert!(!eval("ForAnyValue:StringEquals", &allowed, None));
        // ForAllValues with wildcards (the tag-key prefix example).
        assert!(eval(
            "ForAllValues:StringLike",
            &["Created*"],
            Some(&["CreatedBy", "CreatedAt"])
        ));
        assert!(!eval(
            "ForAllValues:StringLike",
            &["Created*"],
            Some(&["CreatedBy", "Owner"])
        ));
        // Negated operators under a qualifier apply per request value.
        assert!(eval(
            "ForAllValues:StringNotEquals",
            &["secret"],
            Some(&["a", "b"])
        ));
        assert!(!eval(
            "ForAllValues:StringNotEquals",
            &["secret"],
            Some(&["a", "secret"])
        ));
        assert!(eval(
            "ForAnyValue:StringNotEquals",
            &["secret"],
            Some(&["a", "secret"])
        ));
        assert!(!eval(
            "ForAnyValue:StringNotEquals",
            &["secret"],
            Some(&["secret"])
        ));
        // Multivalued key without a qualifier (undocumented; see `evaluate`).
        assert!(eval("StringEquals", &["b"], Some(&["a", "b"])));
        assert!(!eval("StringNotEquals", &["b"], Some(&["a", "b"])));
        assert!(eval("StringNotEquals", &["c"], Some(&["a", "b"])));
    }

    #[test]
    fn canonical_keys() {
        // "IAM JSON policy elements: Condition": aws:SourceIP is the same key
        // as AWS:SourceIp.
        assert_eq!(canonical_key("aws:SourceIP"), canonical_key("AWS:SourceIp"));
        assert_eq!(
            canonical_key("aws:PrincipalTag/Team"),
            "aws:principaltag/team"
        );
        assert_eq!(
            canonical_key("aws:RequestTag/Équipe"),
            "aws:requesttag/équipe"
        );
    }

    /// The index gives what comparing every pair gives, for both operators
    /// (with `*` literal under `StringEquals`).
    #[test]
    fn indexed_values_agree_with_pairwise_matching() {
        let patterns: Vec<String> = (0..120)
            .map(|i| match i % 6 {
                0 => format!("tag-{i}"),
                1 => format!("tag-{i}-*"),
                2 => format!("*-{i}"),
                3 => format!("t?g-{i}*"),
                4 => "a*b".to_owned(),
                _ => format!("tag-{}", i / 2),
            })
            .collect();
        let values: Vec<String> = (0..80)
            .map(|i| match i % 4 {
                0 => format!("tag-{i}"),
                1 => format!("tag-{i}-x"),
                2 => "a*b".to_owned(),
                _ => format!("zz-{i}"),
            })
            .collect();
        for base in [BaseOp::StringEquals, BaseOp::StringLike] {
            let ix = StringIndex::new(&patterns, base == BaseOp::StringLike);
            for v in &values {
                let direct = patterns.iter().any(|p| value_matches(base, p, v));
                assert_eq!(ix.matches(v), direct, "{base:?} {v}");
            }
        }
    }
}
