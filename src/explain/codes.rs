//! Catalogue codes wherever they stand: one pass over the words of the text,
//! each looked up in [`crate::catalogue`]. This is the net under the
//! provider grammars: an error code in a wrapper no grammar knows (a Ruby gem
//! that glues the code to its message, an SDK's logged error object, a
//! misspelt CLI line) still yields a finding, marked `likely`, and merges with
//! whatever a grammar read around it.

use super::{Hit, P_CODE, P_GENERIC};
use crate::catalogue::{Entry, ENTRIES};
use crate::diag::Span;
use crate::model::Confidence;
use crate::scan::{line_end, line_start};

/// Whether a catalogue code is distinctive enough to be trusted outside its
/// usual wrapper: plain words (`Forbidden`, `forbidden`, `Unauthorized`) appear
/// in prose and are left to the grammars that know where they stand.
fn distinctive(code: &str) -> bool {
    let inner_upper = code.bytes().skip(1).any(|c| c.is_ascii_uppercase());
    let marked = code.bytes().any(|c| c == b'_' || c.is_ascii_digit());
    code.len() >= 6 && (inner_upper || marked)
}

/// The catalogue code `word` is, or starts with when a Ruby-style message is
/// glued to it (`InvalidClientTokenIdThe security token ...`).
fn code_in(word: &str) -> Option<(&'static Entry, usize)> {
    let first = *word.as_bytes().first()?;
    let mut best: Option<(&'static Entry, usize)> = None;
    for e in ENTRIES {
        let c = e.code.as_bytes();
        if c.first() != Some(&first) || c.len() > word.len() || !distinctive(e.code) {
            continue;
        }
        if !word.as_bytes().starts_with(c) {
            continue;
        }
        let rest = word.as_bytes().get(c.len()..).unwrap_or(&[]);
        // Glued only before a capitalised word: `...IdThe`, not `...IdX` or
        // `...Ids`; and never a class named after the code
        // (`AuthorizationFailedException` is Service Bus's, not ARM's code).
        // Numbered classes too (Jenkins' `AccessDeniedException3`).
        let class = [&b"Exception"[..], b"Error"].iter().any(|suffix| {
            rest.strip_prefix(*suffix)
                .is_some_and(|n| n.iter().all(u8::is_ascii_digit))
        });
        let glued_ok = rest.is_empty()
            || (!class
                && rest.len() >= 2
                && rest.first().is_some_and(u8::is_ascii_uppercase)
                && rest.get(1).is_some_and(u8::is_ascii_lowercase));
        if glued_ok && best.map_or(true, |(b, _)| c.len() > b.code.len()) {
            best = Some((e, c.len()));
        }
    }
    best
}

/// A plain-word code (`Unauthorized`, `Forbidden`) that is the value of a
/// Kubernetes Status object's `"reason"`: trusted there, even in a copy cut
/// short before the object closes.
fn status_reason(text: &str, s: usize, word: &str) -> Option<(&'static Entry, usize)> {
    let head = text.get(s.saturating_sub(16)..s)?;
    let key = head.trim_end_matches('"').trim_end();
    if !key.ends_with("\"reason\":") {
        return None;
    }
    ENTRIES
        .iter()
        .find(|e| e.provider == crate::model::Provider::Kubernetes && e.code == word)
        .map(|e| (e, word.len()))
}

/// A code a terminal cut at a fixed width, its end on the next, indented line
/// (`AccessDeniedE` / `        xception: User: ...`, as the AWS Copilot CLI
/// prints a task's stopped reason): the entry and where the code ends.
/// `word` ends at `end`, which must be the line's end.
fn wrapped_code(text: &str, word: &str, end: usize) -> Option<(&'static Entry, usize)> {
    let b = text.as_bytes();
    let nl = end + usize::from(b.get(end) == Some(&b'\r'));
    if b.get(nl) != Some(&b'\n') {
        return None;
    }
    let mut j = nl + 1;
    while matches!(b.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    // Indented, and going on in lower case: the middle of a word.
    if j == nl + 1 || !b.get(j).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let k = j + b
        .get(j..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let joined = format!("{word}{}", text.get(j..k)?);
    let (entry, len) = code_in(&joined)?;
    (len == joined.len()).then_some((entry, k))
}

/// How near (in bytes) a finding the grammars made must be for a code to be
/// taken as part of it rather than a denial of its own: an SDK repeats the code
/// in the lines under its message (`name: 'AccessDenied'`, `Code: 'AccessDenied'`).
const NEAR: usize = 400;

/// Adds a hit for the first catalogue code on each line that no grammar's hit
/// covers or stands near. Runs after the grammars, over their hits.
/// The hits' spans sorted by start (with whether each read a code), and the
/// largest end so far: whether any of them reaches a window is then one binary
/// search.
fn reach_index(hits: &[Hit]) -> (Vec<(usize, usize, bool)>, Vec<usize>) {
    let mut spans: Vec<(usize, usize, bool)> = hits
        .iter()
        .filter(|h| !h.support)
        .map(|h| (h.span.start, h.span.end, h.error_code.is_some()))
        .collect();
    spans.sort_unstable();
    let mut reach = Vec::with_capacity(spans.len());
    let mut max_end = 0;
    for &(_, e, _) in &spans {
        max_end = max_end.max(e);
        reach.push(max_end);
    }
    (spans, reach)
}

/// How far (in bytes) an SDK's error object may run on, under its first line,
/// before repeating its code (`code: 'ThrottlingException'` after a stack trace).
const OBJECT_REACH: usize = 4000;

/// Whether the lines from `from` to `to` continue one error object: stack
/// frames (`at ...`, indented lines) and its fields (`message: '...'`), with no
/// blank line or unindented prose between.
fn continues_object(text: &str, from: usize, to: usize) -> bool {
    let Some(between) = text.get(from..to) else {
        return false;
    };
    between.lines().skip(1).all(|l| {
        let t = l.trim_start();
        !t.is_empty()
            && (l.len() > t.len()
                || t.starts_with("at ")
                || t.split_once(": ").is_some_and(|(k, _)| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
                }))
    })
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    let (spans, reach) = reach_index(hits);
    // The grammars' coded hits (their end and index), by end: a code that
    // repeats one of them further down the same error object belongs to it.
    // Hits are only added after these, so the indices stay valid.
    let unsorted: Vec<(usize, usize)> = hits
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.support && h.error_code.is_some())
        .map(|(k, h)| (h.span.end, k))
        .collect();
    let coded: Vec<(usize, usize)> =
        crate::scan::sorted_order(unsorted.iter().map(|&(e, _)| (e, 0, 0)).collect())
            .into_iter()
            .filter_map(|i| unsorted.get(i).copied())
            .collect();
    // (the hit's end, how far its object was checked, whether it held so far)
    let mut object_memo: Option<(usize, usize, bool)> = None;
    // Whether some grammar's hit starts before `to` and ends after `from`.
    let reaches = |from: usize, to: usize| {
        let n = spans.partition_point(|&(st, _, _)| st < to);
        n > 0 && reach.get(n - 1).is_some_and(|&e| e > from)
    };
    // The hits that reach a window, the nearest few: each step back is one of
    // them, so the work per code is bounded.
    let near_hits = |from: usize, to: usize| {
        let n = spans.partition_point(|&(st, _, _)| st < to);
        spans
            .get(..n)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take(8)
            .filter(|&&(_, e, _)| e > from)
            .copied()
            .collect::<Vec<_>>()
    };
    let b = text.as_bytes();
    let mut i = 0;
    let mut line_done = 0;
    // One pass: every byte is looked at once as part of a word or a gap; each
    // word is compared with the catalogue's codes that share its first byte.
    while i < b.len() {
        let word_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        if !b.get(i).copied().is_some_and(word_byte) {
            i += 1;
            continue;
        }
        let s = i;
        while b.get(i).copied().is_some_and(word_byte) {
            i += 1;
        }
        if s < line_done {
            continue;
        }
        let word = text.get(s..i).unwrap_or("");
        if word.len() < 6 {
            continue;
        }
        let (entry, len, wrapped) = match code_in(word).or_else(|| status_reason(text, s, word)) {
            Some((e, l)) => (e, l, false),
            None => match wrapped_code(text, word, i) {
                Some((e, end)) => {
                    i = end;
                    (e, end - s, true)
                }
                None => continue,
            },
        };
        // Prose that names codes (`retry policy skips PERMISSION_DENIED`) is not
        // an error: a code counts where errors put it, after `(`, a quote, `>`,
        // `=` or `: `, or before `:`, `)`, a quote or `<`, or glued to its message.
        let before = s
            .checked_sub(1)
            .and_then(|p| b.get(p))
            .copied()
            .unwrap_or(b'\n');
        let after = b.get(s + len).copied().unwrap_or(b'\n');
        let colon_before = before == b' ' && s >= 2 && b.get(s - 2) == Some(&b':');
        let placed = matches!(before, b'(' | b'"' | b'\'' | b'>' | b'=' | b'\n' | b'`')
            || colon_before
            || matches!(
                after,
                b':' | b')' | b'"' | b'\'' | b'<' | b'`' | b'\n' | b'\r'
            )
            || len < word.len();
        if !placed {
            continue;
        }
        // EC2 prefixes its codes: `Client.UnauthorizedOperation`.
        let start = if s >= 7
            && (text.get(s - 7..s) == Some("Client.") || text.get(s - 7..s) == Some("Server."))
        {
            s - 7
        } else {
            s
        };
        let code = Span::new(start, s + len);
        let ls = line_start(text, s);
        let le = line_end(text, s);
        // On a line a grammar read, the code joins that finding. Near one but
        // apart: when that finding has its code, this is the SDK repeating it
        // under the message; when it has none (a status line, then the code on
        // the next line), the code completes it.
        // Inside a grammar's hit the code only adds itself (the finding keeps
        // the grammar's extent); elsewhere on a line it brings its line.
        let mut span = if reaches(code.start, code.end) {
            code
        } else {
            Span::new(ls, le)
        };
        if !reaches(ls, le + 1) {
            // The nearest coded hit above: the same code, with only its object's
            // lines between. What was checked is remembered, so each byte
            // between a hit and the codes under it is read once.
            let n = coded.partition_point(|&(e, _)| e <= ls);
            if let Some(&(e, k)) = n.checked_sub(1).and_then(|k| coded.get(k)) {
                let same = hits
                    .get(k)
                    .and_then(|h| h.error_code.as_ref())
                    .and_then(|c| c.0.rsplit('.').next())
                    .is_some_and(|c| c.eq_ignore_ascii_case(entry.code));
                if same && ls - e <= OBJECT_REACH {
                    let (from, ok) = match object_memo {
                        Some((me, upto, ok)) if me == e => (upto, ok),
                        _ => (e, true),
                    };
                    let ok = ok && continues_object(text, line_start(text, from), ls);
                    object_memo = Some((e, ls, ok));
                    if ok {
                        continue;
                    }
                }
            }
            let near = near_hits(ls.saturating_sub(NEAR), le + NEAR);
            if near.iter().any(|&(_, _, coded)| coded) {
                continue;
            }
            for (st, e, _) in near {
                span = Span::new(span.start.min(st), span.end.max(e));
            }
        }
        let mut h = Hit::new(span, entry.provider, 0);
        if wrapped {
            h.code_value(entry.code, code, P_GENERIC);
        } else {
            h.code(text, code, P_GENERIC);
        }
        // A provider's own code names its provider more surely than a bare
        // status line around it names `http`; a protocol's code (OAuth's
        // `invalid_client`) names no provider, and anything else decides.
        let prio = if entry.provider == crate::model::Provider::Http {
            0
        } else {
            P_CODE
        };
        h.provider = Some((entry.provider, Some(code), prio));
        // A code that means "not an access decision" (`accessNotConfigured`:
        // the API is off) says more than the 403 it came with, which services
        // send for both.
        if entry.gate == crate::model::Gate::NotAuth {
            h.gate = Some((entry.gate, Some(code), super::P_STRONG));
        }
        h.confidence = Some(Confidence::Likely);
        hits.push(h);
        line_done = le;
    }
}

/// Wording that says access was refused without naming who refused it, in
/// the words servers, operating systems and applications of every kind use,
/// with the gate it stands for. The last net, under the catalogue's: a paste
/// that holds one of these and nothing a grammar or the catalogue read still
/// yields a finding, marked `possible`, rather than "no denial recognised".
const PHRASES: &[(&str, crate::model::Gate)] = {
    use crate::model::Gate::{Authentication as N, Authorization as Z};
    &[
        // Apache's 403 page: "You don't have permission to access this resource."
        ("don't have permission to", Z),
        ("do not have permission to", Z),
        ("does not have permission to", Z),
        ("not authorized to access", Z),
        ("not authorized to perform", Z),
        ("not allowed to access", Z),
        // Not `access denied` or `permission denied`: an operating system's
        // file refusal (`bash: /x: Permission denied`), a database login
        // (MySQL's `Access denied for user`) and page names use them too, and
        // the grammars read them where a service sends them.
        ("insufficient permissions", Z),
        ("insufficient privileges", Z),
        ("authentication failed", N),
        ("authentication required", N),
        ("invalid credentials", N),
        ("invalid authentication", N),
        // Named refusals of tools whose messages carry no provider code:
        // HashiCorp Vault's body for a token or policy that does not allow the
        // path (`{"errors":["permission denied"]}`, shown by its clients as
        // `* permission denied`), protected branches (GitHub `GH006`, GitLab's
        // pre-receive refusal), pnpm's fetch codes, npm's `ENEEDAUTH`, Terraform
        // Cloud's missing token, Dependabot's registry credentials, and
        // Kubernetes RBAC's escalation check as OpenShift prints it.
        ("[\"permission denied\"]", Z),
        ("* permission denied", Z),
        ("Protected branch update failed", Z),
        ("push code to protected branches", Z),
        ("push code to a protected branch", Z),
        ("ERR_PNPM_FETCH_403", Z),
        ("ERR_PNPM_FETCH_401", N),
        ("code ENEEDAUTH", N),
        ("Required token could not be found", N),
        ("couldn't authenticate with", N),
        ("cannot grant extra privileges", Z),
        // crates.io's refusal to publish a crate the token's user does not own,
        // and Terraform Cloud's remote backend refusing its token.
        ("you don't seem to be an owner", Z),
        ("organization entitlements: unauthorized", N),
    ]
};

/// Adds a `possible` finding for each line that holds one of [`PHRASES`] and
/// that no hit so far reaches or stands near. Runs after [`find_hits`].
pub(super) fn phrase_hits(text: &str, hits: &mut Vec<Hit>) {
    let (spans, reach) = reach_index(hits);
    let near = |from: usize, to: usize| {
        let n = spans.partition_point(|&(st, _, _)| st < to);
        n > 0 && reach.get(n - 1).is_some_and(|&e| e > from)
    };
    let mut found: Vec<(usize, Hit)> = Vec::new();
    for &(phrase, gate) in PHRASES {
        let mut from = 0;
        while let Some(p) = crate::scan::find_ci(text, phrase, from) {
            from = p + phrase.len();
            let ls = line_start(text, p);
            let le = line_end(text, p);
            if near(ls.saturating_sub(NEAR), le + NEAR) || found.iter().any(|(l, _)| *l == ls) {
                from = from.max(le);
                continue;
            }
            let span = Span::new(p, p + phrase.len());
            let mut h = Hit::new(Span::new(ls, le), crate::model::Provider::Unknown, 0);
            h.gate = Some((gate, Some(span), P_GENERIC));
            h.confidence = Some(Confidence::Possible);
            h.fact("phrase", text, span);
            found.push((ls, h));
            from = from.max(le);
        }
    }
    hits.extend(found.into_iter().map(|(_, h)| h));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_not_trusted_alone() {
        assert!(!distinctive("Forbidden"));
        assert!(!distinctive("Unauthorized"));
        assert!(distinctive("AccessDenied"));
        assert!(distinctive("PERMISSION_DENIED"));
        assert!(distinctive("AADSTS50076"));
    }

    #[test]
    fn codes_count_where_errors_put_them() {
        let found = |t: &str| {
            let mut hits = Vec::new();
            find_hits(t, &mut hits);
            hits.len()
        };
        assert_eq!(
            found("WARN retry policy skips PERMISSION_DENIED and UNAUTHENTICATED codes"),
            0
        );
        // Java SDK v1's old tail, as published (aws-s3-004 in the field corpus).
        assert_eq!(
            found("AWS Error Code: AccessDenied, AWS Error Message: Access Denied"),
            1
        );
        assert_eq!(found("<Code>SignatureDoesNotMatch</Code>"), 1);
        assert_eq!(
            found("An Error occured (AccessDeniedException) when calling"),
            1
        );
    }

    // The last net: wording no grammar owns still yields a finding, marked
    // possible, so that a real denial is never "not recognised". Real:
    // https://github.com/Azure/azure-cli/issues/29250 (Azure DevOps TF400813).
    #[test]
    fn denial_wording_without_a_grammar_is_a_possible_finding() {
        let (found, _) = crate::explain::find("ERROR: cli.azure.cli.core.azclierror: TF400813: The user 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' is not authorized to access this resource.");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].confidence, Confidence::Possible);
        assert_eq!(found[0].gate, crate::model::Gate::Authorization);
        // The summary says what the words say and no more.
        let r = crate::explain("ERROR: cli.azure.cli.core.azclierror: TF400813: The user 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' is not authorized to access this resource.");
        assert!(
            r.findings[0]
                .summary
                .starts_with("The text says access was refused (`not authorized to access`)"),
            "{}",
            r.findings[0].summary
        );
        // One finding for a line, and none where a grammar already read the
        // error: the S3 message below is AWS's, not the net's.
        let (found, _) = crate::explain::find("User: arn:aws:iam::123456789012:user/a is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action. Access denied.");
        assert_eq!(found.len(), 1);
        assert_ne!(found[0].confidence, Confidence::Possible);
        // Text without such wording stays without a finding.
        assert!(
            crate::explain::find("deployment finished in 3.2 s; 14 objects uploaded")
                .0
                .is_empty()
        );
    }

    #[test]
    fn glued_codes_are_split_before_a_capitalised_word() {
        // A Ruby SDK message as published (aws-ses-001 in the field corpus).
        let (e, n) = code_in("InvalidClientTokenIdThe").unwrap();
        assert_eq!((e.code, n), ("InvalidClientTokenId", 20));
        assert!(code_in("AccessDeniedX").is_none());
        assert!(code_in("AccessDeniedness").is_none());
        // The longest code wins: `AccessDeniedException`, not `AccessDenied`.
        assert_eq!(
            code_in("AccessDeniedException").unwrap().0.code,
            "AccessDeniedException"
        );
    }
}
