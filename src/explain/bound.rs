//! Keeping the answer bounded and free of credentials, whatever was pasted.
//!
//! - [`Grouper`]: identical denials (a retry loop's log, a pasted HAR) become
//!   one finding with a `count` and their positions, and past [`MAX_FINDINGS`]
//!   distinct findings the rest are counted in a diagnostic instead of listed.
//! - [`cap_secrets`]: past [`MAX_SECRETS`] the secrets list is cut, with a
//!   diagnostic; the redacted text still masks every one.
//! - [`scrub`]: a finding's values come from the pasted text, so a credential
//!   inside one (a presigned URL as the `resource`) would reach the checklist's
//!   commands and every Copy button. Each secret's text is replaced by its mask
//!   in every field, and a resource loses its signing query parameters: the
//!   resource is the object, not the signed request.
//!
//! The grouper takes each finding as the merge makes it; the others are
//! post-passes over the findings. The recognisers stay as they are.

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{Finding, Secret};
use std::collections::BTreeMap;

/// The most distinct findings listed: each carries its checklist (a few KB of
/// JSON), so 200 keep the answer to about a megabyte beyond the redacted text.
pub const MAX_FINDINGS: usize = 200;
/// The most positions listed in one finding's `occurrences`; `count` keeps
/// the full number.
pub const MAX_OCCURRENCES: usize = 1000;
/// The most secrets listed.
pub const MAX_SECRETS: usize = 1000;

/// What makes two findings the same denial: the same text (two uploads that
/// fail with the same message are two occurrences of one denial) and the same
/// classified fields and facts. Positions differ.
fn identity(text: &str, f: &Finding) -> String {
    // Written out by hand rather than serialized: a `serde_json` serializer
    // for these types would add its own code to the wasm. `\u{1}` cannot
    // occur in a value read from a paste as a separator would need to.
    let mut key = String::new();
    let mut add = |v: &str| {
        key.push_str(v);
        key.push('\u{1}');
    };
    add(crate::scan::slice(text, f.span));
    let code = |n: Option<u8>| n.map_or(String::new(), |n| n.to_string());
    add(&code(Some(f.provider as u8)));
    add(&code(Some(f.gate as u8)));
    add(&code(f.deny.map(|d| d as u8)));
    add(&code(f.policy_type.map(|p| p as u8)));
    add(&f.http_status.map_or(String::new(), |s| s.to_string()));
    for v in [&f.error_code, &f.principal, &f.action, &f.resource] {
        add(v.as_deref().unwrap_or("\u{2}"));
    }
    for x in &f.facts {
        add(&x.key);
        add(&x.value);
    }
    key
}

/// FNV-1a, 64 bits: the map holds a hash per distinct finding, not its text,
/// so remembering the findings past the cap costs 16 bytes each.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Merges identical findings into the first of them (its `count` and
/// `occurrences` cover all), and keeps at most [`MAX_FINDINGS`] distinct ones.
///
/// Findings are pushed one at a time as the merge makes them, so a flood of
/// one denial (455,000 `403 Forbidden` lines in 10 MB) holds one finding, not
/// one per line. Linear in the text the findings cover: each finding's
/// identity is built and hashed once, and a listed finding's identity is kept
/// to compare on a hash hit; times the log of the distinct ones for the map.
#[derive(Default)]
pub struct Grouper {
    /// Hash to the index of the listed finding, or `None` past the cap.
    seen: BTreeMap<u64, Option<usize>>,
    out: Vec<Finding>,
    /// The identity of each listed finding, by index.
    keys: Vec<String>,
    dropped: usize,
    dropped_repeats: usize,
}

impl Grouper {
    /// Adds one finding of `text`, in text order.
    pub fn push(&mut self, text: &str, mut f: Finding) {
        let key = identity(text, &f);
        let hash = fnv(&key);
        match self.seen.get(&hash) {
            // A hash collision between different denials must not merge
            // them: compare the identities.
            Some(Some(i)) if self.keys.get(*i) == Some(&key) => {
                if let Some(first) = self.out.get_mut(*i) {
                    first.count += f.count.max(1);
                    if first.occurrences.len() < MAX_OCCURRENCES {
                        first.occurrences.push(f.span);
                    }
                    return;
                }
            }
            Some(None) => {
                self.dropped_repeats += f.count.max(1);
                return;
            }
            _ => {}
        }
        if self.out.len() >= MAX_FINDINGS {
            self.dropped += 1;
            self.dropped_repeats += f.count.max(1);
            self.seen.insert(hash, None);
            return;
        }
        f.count = f.count.max(1);
        if f.occurrences.is_empty() {
            f.occurrences.push(f.span);
        }
        self.seen.entry(hash).or_insert(Some(self.out.len()));
        self.out.push(f);
        self.keys.push(key);
    }

    /// The listed findings, with a diagnostic when some were left out.
    #[must_use]
    pub fn finish(self, diags: &mut Vec<Diagnostic>) -> Vec<Finding> {
        let Grouper {
            out,
            dropped,
            dropped_repeats,
            ..
        } = self;
        if dropped > 0 {
            diags.push(
                Diagnostic::new(
                    "output.findings-capped",
                    Severity::Warning,
                    format!(
                        "and {dropped} more distinct denials ({dropped_repeats} occurrences) not listed: only the first {MAX_FINDINGS} are"
                    ),
                )
                .with_help("paste the lines around one denial rather than the whole log"),
            );
        }
        out
    }
}

/// Cuts the secrets list to [`MAX_SECRETS`], with a diagnostic. Call after
/// redacting: the redacted text masks them all.
pub fn cap_secrets(secrets: &mut Vec<Secret>, diags: &mut Vec<Diagnostic>) {
    if secrets.len() > MAX_SECRETS {
        let more = secrets.len() - MAX_SECRETS;
        secrets.truncate(MAX_SECRETS);
        diags.push(
            Diagnostic::new(
                "output.secrets-capped",
                Severity::Warning,
                format!(
                    "and {more} more credentials not listed: only the first {MAX_SECRETS} are; all are masked in the redacted text"
                ),
            )
            .with_help("treat every credential in this paste as exposed and rotate them"),
        );
    }
}

/// Query parameters that sign a request rather than name what it is for:
/// AWS SigV4 (`X-Amz-*`, S3 API Reference, "Authenticating Requests: Using
/// Query Parameters"), S3 SigV2 (`AWSAccessKeyId`, `Expires`, `Signature`),
/// CloudFront (`Policy`, `Key-Pair-Id`), Cloud Storage V4 (`X-Goog-*`).
pub(crate) fn is_signing_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("x-amz-")
        || n.starts_with("x-goog-")
        || matches!(
            n.as_str(),
            "signature" | "expires" | "awsaccesskeyid" | "key-pair-id" | "policy"
        )
}

/// Azure shared access signature parameters (Microsoft Learn, "Create a
/// service SAS"), dropped when the query holds a `sig`.
fn is_sas_param(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "sig"
            | "sv"
            | "ss"
            | "srt"
            | "sp"
            | "se"
            | "st"
            | "sr"
            | "spr"
            | "sip"
            | "si"
            | "sdd"
            | "skoid"
            | "sktid"
            | "skt"
            | "ske"
            | "sks"
            | "skv"
    )
}

/// `url` without its signing query parameters (AWS SigV4 and SigV2,
/// CloudFront, Cloud Storage V4, and an Azure SAS when the query has a `sig`); other parameters and the fragment stay. A value with no
/// query is returned as it is. Linear: the query is split once.
#[must_use]
pub fn strip_signing_params(url: &str) -> String {
    let Some((base, rest)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    // `&amp;` (HTML) and `\u0026` (JSON) separate parameters as `&` does.
    let normal = query.replace("&amp;", "&").replace("\\u0026", "&");
    let name = |p: &str| p.split('=').next().unwrap_or_default().to_owned();
    let params: Vec<&str> = normal.split('&').collect();
    let sas = params.iter().any(|p| name(p).eq_ignore_ascii_case("sig"));
    let kept: Vec<&str> = params
        .into_iter()
        .filter(|p| {
            let n = name(p);
            let signing = is_signing_param(&n) || (sas && is_sas_param(&n));
            !p.is_empty() && !signing
        })
        .collect();
    let mut out = base.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The forms a secret's text may take in a finding's value: as pasted, with
/// JSON escapes undone, and percent-decoded (recognisers unescape values).
fn forms(original: &str) -> Vec<String> {
    let mut out = vec![original.to_owned()];
    let json = original.replace("\\/", "/").replace("\\u0026", "&");
    let percent = percent_decode(original);
    for f in [json, percent] {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out.retain(|f| f.len() >= 4);
    out
}

fn percent_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(u8::is_ascii);
        match hex {
            Some(x) if c == b'%' => {
                out.push(x);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| v.to_owned())
}

/// The secrets whose spans meet `lo..hi`. `secrets` is sorted by start and
/// free of overlaps (as [`crate::secrets::scan`] returns it), so those that
/// meet a range are contiguous: one binary search finds the first.
fn within(secrets: &[Secret], lo: usize, hi: usize) -> &[Secret] {
    let first = secrets.partition_point(|s| s.span.end <= lo);
    let rest = secrets.get(first..).unwrap_or_default();
    let n = rest.partition_point(|s| s.span.start < hi);
    rest.get(..n).unwrap_or_default()
}

/// The range of the text a finding's values were read from.
fn reach(f: &Finding) -> (usize, usize) {
    let spans = std::iter::once(f.span)
        .chain(f.evidence.iter().map(|e| e.span))
        .chain(f.facts.iter().map(|x| x.span));
    spans.fold((usize::MAX, 0), |(lo, hi), s: Span| {
        (lo.min(s.start), hi.max(s.end))
    })
}

/// Replaces every form of each secret in `value` by its mask, and a part of
/// one where `value` is cut inside it: a value read from the text may stop
/// (or start) in the middle of a secret, as a long `reason` does at its cap.
///
/// Longest form first: one secret's text may hold another's (a signature
/// value read across an escaped `\/` runs into the next parameter's), and
/// masking the shorter first would leave the longer one no longer whole.
fn mask_in(value: &mut String, masks: &[(Vec<String>, &str)]) {
    let mut pairs: Vec<(&str, &str)> = masks
        .iter()
        .flat_map(|(forms, masked)| forms.iter().map(move |f| (f.as_str(), *masked)))
        .collect();
    crate::scan::sort_by_key(&mut pairs, |(form, _)| (usize::MAX - form.len(), 0, 0));
    for (form, masked) in pairs {
        if value.contains(form) {
            *value = value.replace(form, masked);
        }
        mask_cut_ends(value, form, masked);
    }
}

/// The fewest characters of a secret a value may end or start with before
/// they are masked: fewer tell nothing about it.
const CUT_MIN: usize = 4;

/// Masks the whole of `value` when it lies inside `form`, its end when it is
/// the start of `form` (the value was cut inside the secret), and its start
/// when it is the end of `form`. Each place where the first (or last)
/// [`CUT_MIN`] bytes of `form` occur is tried once, longest overlap first, so
/// the cost is the value's length times those places.
fn mask_cut_ends(value: &mut String, form: &str, masked: &str) {
    // A value wholly inside the secret (read from the middle of a key block)
    // is part of it.
    if value.len() >= CUT_MIN && value.as_str() != masked && form.contains(value.as_str()) {
        masked.clone_into(value);
        return;
    }
    let (Some(head), Some(tail)) = (
        form.get(..CUT_MIN),
        form.len().checked_sub(CUT_MIN).and_then(|i| form.get(i..)),
    ) else {
        return;
    };
    // The end: a start of `form` running to the end of `value`.
    let from = crate::scan::floor_boundary(value, value.len().saturating_sub(form.len()));
    let end_cut = overlapping(value.get(from..).unwrap_or(""), head)
        .map(|i| from + i)
        .find(|&at| value.get(at..).is_some_and(|rest| form.starts_with(rest)));
    if let Some(at) = end_cut {
        value.truncate(at);
        value.push_str(masked);
    }
    // The start: an end of `form` running from the start of `value`.
    let upto = crate::scan::ceil_boundary(value, form.len().min(value.len()));
    let start_cut = overlapping(value.get(..upto).unwrap_or(""), tail)
        .map(|i| i + tail.len())
        .filter(|&end| value.get(..end).is_some_and(|lead| form.ends_with(lead)))
        .last();
    if let Some(end) = start_cut {
        value.replace_range(..end, masked);
    }
}

/// Every place `needle` occurs in `hay`, overlapping ones included: in a run
/// of dashes (the end of a PEM block) the place the secret ends is not the
/// first of the matches `str::match_indices` would give.
fn overlapping<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + hay.get(from..)?.find(needle)?;
        from = at + hay.get(at..)?.chars().next().map_or(1, char::len_utf8);
        Some(at)
    })
}

/// The masks that apply to `f`: each secret in the text it was read from, in
/// each of its forms, with its mask.
fn masks_for<'s>(f: &Finding, text: &str, secrets: &'s [Secret]) -> Vec<(Vec<String>, &'s str)> {
    let (lo, hi) = reach(f);
    let near = within(secrets, lo, hi);
    let mut masks: Vec<(Vec<String>, &'s str)> = near
        .iter()
        .filter_map(|s| {
            let original = text.get(s.span.start..s.span.end)?;
            Some((forms(original), s.masked.as_str()))
        })
        .collect();
    // A value can hold text from beyond the spans it was read from (a URL
    // whose query repeats a parameter, a value joined across an escape):
    // any other secret that stands in one of the values, in any form of 8
    // characters or more, is masked too. Bounded: at most `MAX_SECRETS`
    // secrets against a finding's few short values.
    let values: Vec<&str> = [&f.principal, &f.action, &f.resource, &f.error_code]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .chain(f.facts.iter().map(|x| x.value.as_str()))
        .collect();
    let (first, last) = (
        near.first().map_or(usize::MAX, |s| s.span.start),
        near.last().map_or(0, |s| s.span.end),
    );
    for s in secrets {
        if s.span.start >= first && s.span.end <= last {
            continue;
        }
        let Some(original) = text.get(s.span.start..s.span.end) else {
            continue;
        };
        let fs: Vec<String> = forms(original)
            .into_iter()
            .filter(|x| x.len() >= 8)
            .collect();
        if fs
            .iter()
            .any(|x| values.iter().any(|v| v.contains(x.as_str())))
        {
            masks.push((fs, s.masked.as_str()));
        }
    }
    masks
}

/// Strips signing parameters from each resource and masks every secret found
/// in the text that each finding's values were read from. Call before the
/// checklist and the evaluation are built, so that they see masked values.
///
/// Cost: per finding, the secrets in its reach times the length of its
/// values; findings are capped by [`Grouper`] and their values are short.
pub fn scrub(findings: &mut [Finding], text: &str, secrets: &[Secret]) {
    for f in findings {
        if let Some(r) = f.resource.as_mut() {
            if r.contains('?') {
                *r = strip_signing_params(r);
            }
        }
        let masks = masks_for(f, text, secrets);
        if masks.is_empty() {
            continue;
        }
        for v in [
            &mut f.principal,
            &mut f.action,
            &mut f.resource,
            &mut f.error_code,
        ]
        .into_iter()
        .flatten()
        {
            mask_in(v, &masks);
        }
        for x in &mut f.facts {
            mask_in(&mut x.value, &masks);
        }
    }
}

/// The same masking over what was built from the values (summary, checklist
/// text and commands, caveats), as a second line of defence.
pub fn scrub_built(findings: &mut [Finding], text: &str, secrets: &[Secret]) {
    for f in findings {
        let masks = masks_for(f, text, secrets);
        if masks.is_empty() {
            continue;
        }
        mask_in(&mut f.summary, &masks);
        mask_in(&mut f.answer, &masks);
        for c in &mut f.checklist {
            mask_in(&mut c.text, &masks);
            if let Some(cmd) = c.command.as_mut() {
                mask_in(cmd, &masks);
            }
        }
        for c in &mut f.caveats {
            mask_in(&mut c.text, &masks);
        }
        if let Some(e) = f.evaluation.as_mut() {
            mask_in(&mut e.text, &masks);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_holding_another_is_masked_whole() {
        // Found by fuzzing: a signature read across an escaped `\/` holds the
        // next signature; masking that one first broke the longer one.
        let inner = "aeeed9bbccd4d02ee5c0109b86d86835";
        let outer = format!("{inner}40\\/X-Amz-Signature={inner}");
        let masks = vec![
            (vec![inner.to_owned()], "[redacted]"),
            (vec![outer.clone()], "[redacted]"),
        ];
        let mut v = format!("reason: X-Amz-Signature={outer}&X-Amz-Date=1");
        mask_in(&mut v, &masks);
        assert_eq!(v, "reason: X-Amz-Signature=[redacted]&X-Amz-Date=1");
    }

    #[test]
    fn a_secret_beyond_the_spans_a_value_was_read_from_is_masked_too() {
        // Found by fuzzing: a resource whose text ran past its evidence kept
        // a second security token that stood outside the finding's spans.
        let text = "resource ok here\nlater: token=Zm9vYmFyYmF6cXV4cXV1eA";
        let token_at = text.find("Zm9v").unwrap_or(0);
        let secrets = vec![Secret {
            kind: "token".to_owned(),
            span: Span::new(token_at, text.len()),
            masked: "[redacted]".to_owned(),
            expires_at: None,
            expired: None,
            alarm: true,
        }];
        let mut f = crate::explain(
            "User: arn:aws:iam::1:user/a is not authorized to perform: s3:GetObject",
        )
        .findings
        .remove(0);
        f.span = Span::new(0, 16);
        f.evidence.clear();
        f.facts.clear();
        f.resource = Some("https://b/k?x=Zm9vYmFyYmF6cXV4cXV1eA".to_owned());
        scrub(std::slice::from_mut(&mut f), text, &secrets);
        assert_eq!(f.resource.as_deref(), Some("https://b/k?x=[redacted]"));
    }

    #[test]
    fn a_value_cut_inside_a_secret_keeps_none_of_it() {
        // A `reason` capped in the middle of a presigned URL's signature, and
        // one that starts in the middle of it.
        let masks = vec![(
            vec!["aeeed9bbccd4d02ee5c0109b86d8".to_owned()],
            "[redacted]",
        )];
        let mut cut = "denied: X-Amz-Signature=aeeed9bbccd4".to_owned();
        mask_in(&mut cut, &masks);
        assert_eq!(cut, "denied: X-Amz-Signature=[redacted]");
        let mut start = "0109b86d8&X-Amz-Date=20130524T000000Z".to_owned();
        mask_in(&mut start, &masks);
        assert_eq!(start, "[redacted]&X-Amz-Date=20130524T000000Z");
        // A value read from the middle of it.
        let mut inside = "d4d02ee5c01".to_owned();
        mask_in(&mut inside, &masks);
        assert_eq!(inside, "[redacted]");
        // Three characters tell nothing: left as they are.
        let mut short = "key aee".to_owned();
        mask_in(&mut short, &masks);
        assert_eq!(short, "key aee");
        // A value that merely shares a few letters with the secret elsewhere.
        let mut other = "aeeed is a word, 9bbc another".to_owned();
        mask_in(&mut other, &masks);
        assert_eq!(other, "aeeed is a word, 9bbc another");
    }

    #[test]
    fn a_value_starting_inside_a_key_block_is_masked_up_to_its_last_dash() {
        // The block ends in five dashes; the four-byte tail `----` matches
        // first one byte before the end, which is not where the block ends
        // (fuzz find: a `reason` read from the middle of a key block kept it).
        let block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
        let masks = vec![(vec![block.to_owned()], "[redacted key]")];
        let mut start = "MIIEow\n-----END RSA PRIVATE KEY----- then the reason".to_owned();
        mask_in(&mut start, &masks);
        assert_eq!(start, "[redacted key] then the reason");
        let mut end = "reason: -----BEGIN RSA PRIVATE KEY-----\nMII".to_owned();
        mask_in(&mut end, &masks);
        assert_eq!(end, "reason: [redacted key]");
    }

    #[test]
    fn signing_parameters_leave_the_resource() {
        // S3 API Reference, "Authenticating Requests: Using Query Parameters (AWS
        // Signature Version 4)": the example URL's parameters, all of them signing ones.
        let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        assert_eq!(
            strip_signing_params(url),
            "https://examplebucket.s3.amazonaws.com/test.txt"
        );
        // Other parameters stay; SigV2 and `&amp;` forms go.
        assert_eq!(
            strip_signing_params("https://b.s3.amazonaws.com/k?versionId=3&amp;AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&amp;Expires=1&amp;Signature=abc%3D#x"),
            "https://b.s3.amazonaws.com/k?versionId=3#x"
        );
        // An Azure SAS loses every SAS parameter; `se` alone is not a SAS.
        assert_eq!(
            strip_signing_params("https://a.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&se=2026-12-05T00%3A00%3A00Z&sig=abc%3D&comp=list"),
            "https://a.blob.core.windows.net/c/b?comp=list"
        );
        assert_eq!(
            strip_signing_params("https://example.com/search?se=1&q=x"),
            "https://example.com/search?se=1&q=x"
        );
        assert_eq!(strip_signing_params("arn:aws:s3:::b/k"), "arn:aws:s3:::b/k");
    }

    #[test]
    fn identical_denials_become_one_finding_with_their_positions() {
        let line = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k\n";
        let text = line.repeat(2500);
        let (findings, diags) = crate::explain::find(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.count, 2500);
        assert_eq!(f.occurrences.len(), MAX_OCCURRENCES);
        assert_eq!(f.occurrences[1].start, line.len());
        assert_eq!(f.occurrences[0], f.span);
    }

    #[test]
    fn distinct_denials_past_the_cap_are_counted_not_listed() {
        let mut text = String::new();
        for i in 0..(MAX_FINDINGS + 7) {
            text.push_str(&format!(
                "User: arn:aws:iam::123456789012:user/u{i} is not authorized to perform: s3:GetObject\n"
            ));
        }
        // The first one again: a repeat of a listed finding.
        text.push_str(
            "User: arn:aws:iam::123456789012:user/u0 is not authorized to perform: s3:GetObject\n",
        );
        // And a repeat of one past the cap.
        text.push_str(&format!("User: arn:aws:iam::123456789012:user/u{MAX_FINDINGS} is not authorized to perform: s3:GetObject\n"));
        let (findings, diags) = crate::explain::find(&text);
        assert_eq!(findings.len(), MAX_FINDINGS);
        assert_eq!(findings[0].count, 2);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "output.findings-capped");
        assert_eq!(
            diags[0].message,
            "and 7 more distinct denials (8 occurrences) not listed: only the first 200 are"
        );
        // The same message for two different objects, when the message does
        // not name them, is one denial twice.
        let t = "upload failed: a.js An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\nupload failed: b.js An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n";
        let (findings, _) = crate::explain::find(t);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].count, 2);
    }

    #[test]
    fn secrets_in_values_are_masked_everywhere() {
        let sig = "b95afef686affd412e4412e069d490154bb2b0b2926779294a7984c5f79bd72b";
        let text = format!("requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://b.s3.amazonaws.com/k?X-Amz-Date=20261204T100000Z&X-Amz-Expires=60&X-Amz-Signature={sig}&token=Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Ng\n");
        let r = crate::explain(&text);
        let f = &r.findings[0];
        assert_eq!(
            f.resource.as_deref(),
            Some("https://b.s3.amazonaws.com/k?token=[redacted]")
        );
        let json = serde_json::to_string(&r.findings).unwrap();
        assert!(!json.contains(sig) && !json.contains("Zm9vYmFy"), "{json}");
    }
}
