//! The one diagnostic shape used everywhere: `{ code, severity, message, help, labels }`.
//!
//! A diagnostic points into the text the person pasted with byte spans, and each
//! label also carries the 1-based line and column of its start so that a page or a
//! terminal can show it without re-counting.

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. The levels follow IAM Access Analyzer's policy
/// validation findings (error, security warning, warning, suggestion), plus `info`
/// for notes that are not about the policy's quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The input cannot be used as written.
    Error,
    /// The input works but grants more than it probably should.
    SecurityWarning,
    /// The input works but probably not as intended.
    Warning,
    /// A change that would make the input clearer or more robust.
    Suggestion,
    /// A note about what the tool did or could not do.
    Info,
}

/// A byte range in the input, half open: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; the two are swapped if given in the wrong order.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span {
                start: end,
                end: start,
            }
        }
    }

    /// The same span moved `by` bytes to the right, for spans found inside a slice
    /// of a larger text.
    #[must_use]
    pub fn offset(self, by: usize) -> Self {
        Span {
            start: self.start.saturating_add(by),
            end: self.end.saturating_add(by),
        }
    }

    /// Number of bytes covered.
    #[must_use]
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A place in the input that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, counted in characters.
    pub column: usize,
}

impl Label {
    /// A label for `span` in `text`, with its line and column computed.
    #[must_use]
    pub fn at(text: &str, span: Span) -> Self {
        let (line, column) = line_column(text, span.start);
        Label {
            start: span.start,
            end: span.end,
            line,
            column,
        }
    }
}

/// A finding about the input, for people and for programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable identifier, for example `json.syntax` or `policy.unknown-operator`.
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong: lowercase, no trailing period, identifiers in backticks.
    pub message: String,
    /// What to do about it, when the tool knows.
    pub help: Option<String>,
    /// Where in the input.
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// A diagnostic without help or labels.
    #[must_use]
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message: message.into(),
            help: None,
            labels: Vec::new(),
        }
    }

    /// Adds the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a label for `span` in `text`.
    #[must_use]
    pub fn with_label(mut self, text: &str, span: Span) -> Self {
        self.labels.push(Label::at(text, span));
        self
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
///
/// An offset past the end, or inside a multi-byte character, is clamped to the
/// nearest character boundary before it.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // `é` is two bytes; the `\n` after it is at byte 7.
        assert_eq!(line_column(text, 7), (2, 4));
        assert_eq!(line_column(text, 8), (3, 1));
        // Past the end clamps to the end.
        assert_eq!(line_column(text, 100), (3, 2));
        // Inside `é` clamps back to its start.
        assert_eq!(line_column(text, 6), (2, 3));
    }

    #[test]
    fn span_new_orders_its_ends() {
        assert_eq!(Span::new(5, 2), Span { start: 2, end: 5 });
        assert_eq!(Span::new(2, 5).offset(10), Span { start: 12, end: 15 });
    }

    #[test]
    fn diagnostic_serializes_to_the_documented_shape() {
        let d = Diagnostic::new("json.syntax", Severity::Error, "expected `,` or `}`")
            .with_help("check the line above")
            .with_label("{\n  \"a\" 1}", Span::new(8, 9));
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "json.syntax",
                "severity": "error",
                "message": "expected `,` or `}`",
                "help": "check the line above",
                "labels": [{ "start": 8, "end": 9, "line": 2, "column": 7 }]
            })
        );
    }
}
