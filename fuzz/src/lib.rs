//! Checks every fuzz target makes on a report: spans inside the text on
//! character boundaries, and no detected credential left readable in what can
//! leave the page (the redacted text, any finding's values or commands).

use denial_explainer::Report;

/// Panics (a finding for libFuzzer) when `report` breaks an invariant for `text`.
pub fn check(text: &str, report: &Report) {
    let ok = |s: usize, e: usize| {
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    for f in &report.findings {
        assert!(ok(f.span.start, f.span.end), "finding span {:?}", f.span);
        for e in &f.evidence {
            assert!(ok(e.span.start, e.span.end), "evidence span {:?}", e.span);
        }
        for o in &f.occurrences {
            assert!(ok(o.start, o.end), "occurrence span {:?}", o);
        }
        assert!(f.count >= 1 && f.occurrences.len() <= f.count);
    }
    let mut at = 0;
    for s in &report.secrets {
        assert!(
            ok(s.span.start, s.span.end) && s.span.start >= at,
            "secret span {:?}",
            s.span
        );
        assert!(s.masked.contains("[redacted"), "mask {:?}", s.masked);
        at = s.span.end;
    }
    // The redacted text is the text with every listed span masked.
    if report.secrets.len() < denial_explainer::explain::bound::MAX_SECRETS {
        assert_eq!(
            report.redacted,
            denial_explainer::secrets::redact(text, &report.secrets)
        );
    }
    // All findings as one JSON text, searched once per secret. The first 64
    // secrets are checked: enough to catch a redaction bug, and the cost per
    // input stays linear in its length.
    // And the values copied from the text alone: the prose (summary, answer,
    // checklist, caveats) is written from those values and the tool's own
    // words, so a secret can reach it only through them.
    let values = values_of(&report.findings);
    let copied = values_of(
        &report
            .findings
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.summary.clear();
                f.answer.clear();
                f.checklist.clear();
                f.caveats.clear();
                f
            })
            .collect::<Vec<_>>(),
    );
    // The report of the redacted text, made once when first needed.
    let mut own_values: Option<String> = None;
    // The tool's own vocabulary in a finding (its gate, provider, deny kind,
    // policy type, confidence: `"authorization"`), never copied from the
    // text: a "password" that spells one is not a secret left in a finding.
    let vocabulary: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| {
            [
                serde_json::to_string(&f.gate),
                serde_json::to_string(&f.provider),
                serde_json::to_string(&f.deny),
                serde_json::to_string(&f.policy_type),
                serde_json::to_string(&f.confidence),
            ]
        })
        .filter_map(Result::ok)
        .map(|w| w.trim_matches('"').to_owned())
        .collect();
    for s in report.secrets.iter().take(64) {
        let original = &text[s.span.start..s.span.end];
        if original.len() < 12 || s.masked.contains(original) {
            continue;
        }
        if vocabulary.iter().any(|w| w == original) {
            continue;
        }
        // Where the same characters also stand outside every detected span,
        // their presence elsewhere is not a redaction failure.
        let elsewhere = text.match_indices(original).any(|(i, _)| {
            !report
                .secrets
                .iter()
                .any(|x| x.span.start <= i && i + original.len() <= x.span.end)
        });
        if elsewhere {
            continue;
        }
        assert!(
            !report.redacted.contains(original),
            "secret {} left in the redacted text",
            s.kind
        );
        let json = serde_json::to_string(original).unwrap_or_default();
        let json = json.trim_matches('"');
        // Only where the characters stand as a value of their own: inside a
        // longer word (`dentity-based` in "identity-based") they are the
        // tool's prose, not the secret copied.
        let standalone = |values: &str| {
            values.match_indices(json).any(|(i, m)| {
                let before = values[..i].chars().next_back();
                let after = values[i + m.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        };
        // In the prose only, with every copied value clean, the characters
        // are the tool's words (a "secret" `userIdentity` in a paste, and the
        // step that says to read CloudTrail's `userIdentity`).
        if standalone(&values) && standalone(&copied) {
            // The same characters may still be the tool's own words (a
            // token `policy` after `Bearer`). The report of the redacted
            // text, where every secret is masked, shows which: there the
            // characters can only come from the tool.
            let own = own_values.get_or_insert_with(|| {
                values_of(&denial_explainer::explain(&report.redacted).findings)
            });
            assert!(own.contains(json), "secret {} left in a finding", s.kind);
        }
    }
}

/// The findings as one JSON text, a finding a line. Step ids and caveat codes
/// are left out: they are the tool's fixed names (`aws.condition-keys`), never
/// read from the text, so a "password" that happens to spell one is not a
/// value copied into a finding.
fn values_of(findings: &[denial_explainer::model::Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.checklist.iter_mut().for_each(|c| c.id.clear());
            f.caveats.iter_mut().for_each(|c| c.code.clear());
            f
        })
        .filter_map(|f| serde_json::to_string(&f).ok())
        .collect::<Vec<_>>()
        .join("\n")
}
