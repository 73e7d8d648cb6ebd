//! Policy variables: `${aws:username}` and friends in `Resource` entries and
//! condition values.
//!
//! IAM User Guide, "IAM policy elements: Variables and tags":
//! - a variable is `${key}` where `key` is any request context key
//!   (`${aws:username}`, `${aws:PrincipalTag/team}`, `${aws:SourceIp}`);
//! - a default is written after a comma, in single quotes:
//!   `${aws:PrincipalTag/team, 'company-wide'}`; it is used when the key is
//!   absent from the request;
//! - `${*}`, `${?}` and `${$}` stand for the literal characters `*`, `?` and
//!   `$`, so a policy can name a resource containing them;
//! - variables are substituted only in policies with `"Version": "2012-10-17"`
//!   (the caller decides; with an older or missing version the text is
//!   literal);
//! - if a key is absent and there is no default, the value does not match;
//! - multivalued context keys cannot be used as variables ("Single-valued vs.
//!   multivalued context keys"): the caller's lookup should return `None` for
//!   them, which makes the value unresolved.
//!
//! The result keeps track of which `*` and `?` characters are literal (from the
//! escapes, or from substituted request values, which are data and never
//! widen a pattern), so that wildcard matching does not treat them as wildcards.

use super::wildcard;

/// A substituted value: its text and the byte offsets of the `*` and `?`
/// characters in it that are literal rather than wildcards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substituted {
    /// The value with every variable replaced.
    pub text: String,
    /// Sorted byte offsets of literal `*` / `?` in `text`.
    pub literal: Vec<usize>,
}

impl Substituted {
    /// Glob-matches `candidate` against this value, honouring literal
    /// characters (see [`wildcard::matches_with_literals`]).
    #[must_use]
    pub fn matches(&self, candidate: &str, case_insensitive: bool) -> bool {
        wildcard::matches_with_literals(&self.text, &self.literal, candidate, case_insensitive)
    }
}

/// The outcome of substituting the variables of one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Every variable resolved (or there were none).
    Value(Substituted),
    /// The variable `variable` (the key as written) is absent from the
    /// request and has no default: the value matches nothing.
    Unresolved {
        /// The context key named by the variable, as written in the policy.
        variable: String,
    },
}

/// Whether `text` contains anything that looks like a policy variable; when
/// it does not, [`substitute`] would return it unchanged and callers can skip
/// the allocation.
#[must_use]
pub fn has_variables(text: &str) -> bool {
    text.contains("${")
}

/// Replaces the policy variables in `text`, looking context keys up with
/// `lookup` (which receives the key as written, e.g. `aws:PrincipalTag/team`,
/// and should compare key names case-insensitively).
///
/// A `${` without a closing `}` is kept as literal text.
#[must_use]
pub fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Resolved {
    let mut out = String::with_capacity(text.len());
    let mut literal = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, from_dollar) = rest.split_at(start);
        out.push_str(before);
        let inner_and_after = from_dollar.get(2..).unwrap_or("");
        let Some(end) = inner_and_after.find('}') else {
            out.push_str(from_dollar);
            rest = "";
            break;
        };
        let inner = inner_and_after.get(..end).unwrap_or("");
        rest = inner_and_after.get(end + 1..).unwrap_or("");
        match inner {
            "*" | "?" => {
                literal.push(out.len());
                out.push_str(inner);
            }
            "$" => out.push('$'),
            _ => {
                let (key, default) = split_default(inner);
                let value = match lookup(key) {
                    Some(v) => v,
                    None => match default {
                        Some(d) => d.to_owned(),
                        None => {
                            return Resolved::Unresolved {
                                variable: key.to_owned(),
                            }
                        }
                    },
                };
                // Substituted data is literal: mark its wildcard characters.
                for (i, b) in value.bytes().enumerate() {
                    if b == b'*' || b == b'?' {
                        literal.push(out.len() + i);
                    }
                }
                out.push_str(&value);
            }
        }
    }
    out.push_str(rest);
    Resolved::Value(Substituted { text: out, literal })
}

/// Splits `key, 'default'` into the key and the default (without quotes).
/// Without a well-formed quoted default, the whole text (trimmed) is the key.
fn split_default(inner: &str) -> (&str, Option<&str>) {
    if let Some((key, tail)) = inner.split_once(',') {
        let tail = tail.trim();
        if let Some(d) = tail.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            return (key.trim(), Some(d));
        }
    }
    (inner.trim(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(key: &str) -> Option<String> {
        match key.to_ascii_lowercase().as_str() {
            "aws:username" => Some("alice".to_owned()),
            "aws:principaltag/team" => Some("blue".to_owned()),
            "aws:sourceip" => Some("203.0.113.7".to_owned()),
            "odd" => Some("a*b".to_owned()),
            _ => None,
        }
    }

    fn value(text: &str) -> Substituted {
        match substitute(text, &ctx) {
            Resolved::Value(v) => v,
            Resolved::Unresolved { variable } => panic!("unresolved {variable}"),
        }
    }

    #[test]
    fn substitutes_context_keys() {
        // "IAM policy elements: Variables and tags": the home-folder example.
        let v = value("arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*");
        assert_eq!(v.text, "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/*");
        assert!(v.literal.is_empty());
        assert!(v.matches(
            "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/notes.txt",
            false
        ));
        assert!(!v.matches("arn:aws:s3:::amzn-s3-demo-bucket/home/bob/notes.txt", false));
        assert_eq!(value("team-${aws:PrincipalTag/team}").text, "team-blue");
        assert_eq!(value("${aws:SourceIp}").text, "203.0.113.7");
        // Key names are looked up case-insensitively by the caller.
        assert_eq!(value("${AWS:UserName}").text, "alice");
        assert_eq!(value("no variables").text, "no variables");
        assert!(!has_variables("no variables"));
        assert!(has_variables("${aws:username}"));
    }

    #[test]
    fn defaults() {
        // "IAM policy elements: Variables and tags": default values are in
        // single quotes after a comma and space.
        assert_eq!(
            value("${aws:PrincipalTag/owner, 'company-wide'}").text,
            "company-wide"
        );
        assert_eq!(
            value("${aws:PrincipalTag/team, 'company-wide'}").text,
            "blue"
        );
        assert_eq!(value("${aws:PrincipalTag/owner,'x'}").text, "x");
        assert_eq!(value("${aws:PrincipalTag/owner, ''}").text, "");
    }

    #[test]
    fn unresolved_variables_name_the_key() {
        assert_eq!(
            substitute("home/${aws:PrincipalTag/owner}/*", &ctx),
            Resolved::Unresolved {
                variable: "aws:PrincipalTag/owner".to_owned()
            }
        );
        // A default without quotes is not a default.
        assert_eq!(
            substitute("${aws:PrincipalTag/owner, x}", &ctx),
            Resolved::Unresolved {
                variable: "aws:PrincipalTag/owner, x".to_owned()
            }
        );
    }

    #[test]
    fn escapes_are_literal() {
        // "IAM policy elements: Variables and tags": ${*}, ${?} and ${$}.
        let v = value("file${*}name${?}${$}");
        assert_eq!(v.text, "file*name?$");
        assert_eq!(v.literal, vec![4, 9]);
        assert!(v.matches("file*name?$", false));
        assert!(!v.matches("fileXname?$", false));
        assert!(!v.matches("file*nameX$", false));
        // Escapes and real wildcards side by side.
        let v = value("a${*}*");
        assert!(v.matches("a*anything", false));
        assert!(!v.matches("ab", false));
        // Substituted values are data: their `*` is literal too.
        let v = value("x/${odd}");
        assert!(v.matches("x/a*b", false));
        assert!(!v.matches("x/aZZb", false));
        // An unterminated variable stays as text.
        assert_eq!(value("a${aws:username").text, "a${aws:username");
    }
}
