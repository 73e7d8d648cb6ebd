//! Firebase's client SDK refusals: Cloud Firestore, Cloud Storage for Firebase
//! and the Realtime Database, as web, Android and Flutter apps print them.
//!
//! A request from a client SDK (not the Admin SDK, which IAM decides) is
//! checked against the product's Firebase Security Rules; when no `allow`
//! matches the path and operation for this user, Firestore answers
//! `permission-denied` "Missing or insufficient permissions.", Storage
//! `storage/unauthorized` with HTTP 403 ("User does not have permission to
//! access ..."; Android's `StorageException` code -13021), and the Realtime
//! Database `permission_denied` (Firebase documentation, "Handle errors" for
//! each product and "Understand Firebase Security Rules"). The findings are
//! Google Cloud's, with the fact `service` naming the product, which the
//! summary and the checklist read: the answer is a rule, not an IAM role.

use super::{Hit, P_DETAIL, P_GENERIC};
use crate::diag::Span;
use crate::model::{Finding, Gate, Provider, Stage};
use crate::scan::{at, find_all, find_in, line_end, line_start, slice, token, value};

/// The `service` fact of a Cloud Firestore refusal.
pub(crate) const FIRESTORE: &str = "Cloud Firestore";
/// The `service` fact of a Cloud Storage for Firebase refusal.
pub(crate) const STORAGE: &str = "Cloud Storage for Firebase";
/// The `service` fact of a Realtime Database refusal.
pub(crate) const RTDB: &str = "Firebase Realtime Database";

/// Whether a finding is one of these products' rules refusals.
pub(crate) fn applies(f: &Finding) -> bool {
    super::checklist::fact(f, "service").is_some_and(|s| [FIRESTORE, STORAGE, RTDB].contains(&s))
}

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    firestore(text, hits);
    storage(text, hits);
    database(text, hits);
}

/// A hit for a rules refusal at `phrase`, its line the span.
fn rules_hit(text: &str, phrase: Span, service: &str) -> Hit {
    let mut h = Hit::phrase(text, phrase, Provider::Gcp, Gate::Authorization);
    h.fact_value("service", service.to_owned(), phrase);
    h
}

/// `FirebaseError: [code=permission-denied]: Missing or insufficient
/// permissions.`, Android's `Status{code=PERMISSION_DENIED,
/// description=Missing or insufficient permissions., ...}` after `Listen for
/// Query(target=Query(PATH order by ...)`, and FlutterFire's
/// `[cloud_firestore/permission-denied] The caller does not have permission`.
fn firestore(text: &str, hits: &mut Vec<Hit>) {
    const MISSING: &str = "Missing or insufficient permissions";
    const FLUTTER: &str = "[cloud_firestore/permission-denied]";
    let mut anchors: Vec<(usize, usize)> = find_all(text, MISSING)
        .into_iter()
        .map(|p| (p, MISSING.len()))
        .collect();
    anchors.extend(
        find_all(text, FLUTTER)
            .into_iter()
            .map(|p| (p, FLUTTER.len())),
    );
    for (pos, len) in anchors {
        let phrase = Span::new(pos, pos + len);
        let (ls, le) = (line_start(text, pos), line_end(text, pos));
        let mut h = rules_hit(text, phrase, FIRESTORE);
        for code in [
            "code=permission-denied",
            "code=PERMISSION_DENIED",
            "cloud_firestore/permission-denied",
        ] {
            if let Some(c) = find_in(text, code, ls, le) {
                let s = c + code.find('=').map_or(0, |i| i + 1);
                h.error_code = Some((
                    slice(text, Span::new(s, c + code.len())).to_owned(),
                    Some(Span::new(s, c + code.len())),
                    P_DETAIL,
                ));
                break;
            }
        }
        // Android's listener names the query's collection path.
        if let Some(q) = find_in(text, "Query(target=Query(", ls, le) {
            let p = token(text, q + "Query(target=Query(".len());
            let path = slice(text, p).trim_end_matches([')', ';', ',']);
            if !path.is_empty() {
                let span = Span::new(p.start, p.start + path.len());
                Hit::set_str(&mut h.resource, text, span, P_DETAIL);
            }
            if text.get(ls..q).is_some_and(|b| b.contains("Listen for")) {
                h.fact_value("operation", "listen".to_owned(), phrase);
            }
        }
        hits.push(h);
    }
}

/// `Firebase Storage: User does not have permission to access 'PATH'.
/// (storage/unauthorized)` (the web SDK, the code in the text or its
/// `code_` field), and Android's `StorageException`: `User does not have
/// permission to access this object.` then `Code: -13021 HttpResult: 403`.
fn storage(text: &str, hits: &mut Vec<Hit>) {
    const WEB: &str = "Firebase Storage: User does not have permission to access ";
    for pos in find_all(text, WEB) {
        let phrase = Span::new(pos, pos + WEB.len() - 1);
        let mut h = rules_hit(text, phrase, STORAGE);
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        if let Some(v) = value(text, pos + WEB.len()) {
            Hit::set_str(&mut h.resource, text, v, P_DETAIL);
        }
        let to = crate::scan::ceil_boundary(text, (pos + 400).min(text.len()));
        let from = crate::scan::floor_boundary(text, pos.saturating_sub(400));
        const CODE: &str = "storage/unauthorized";
        if let Some(c) = find_in(text, CODE, pos, to).or_else(|| find_in(text, CODE, from, pos)) {
            h.error_code = Some((
                CODE.to_owned(),
                Some(Span::new(c, c + CODE.len())),
                P_DETAIL,
            ));
        }
        hits.push(h);
    }
    const ANDROID: &str = "User does not have permission to access this object.";
    for pos in find_all(text, ANDROID) {
        let ls = line_start(text, pos);
        let before = crate::scan::floor_boundary(text, ls.saturating_sub(200));
        if find_in(text, "StorageException", before, pos).is_none() {
            continue;
        }
        let phrase = Span::new(pos, pos + ANDROID.len() - 1);
        let mut h = rules_hit(text, phrase, STORAGE);
        let to = crate::scan::ceil_boundary(text, (pos + 300).min(text.len()));
        if let Some(c) = find_in(text, "Code: ", pos, to) {
            let v = token(text, c + "Code: ".len());
            if slice(text, v).starts_with('-') {
                h.error_code = Some((slice(text, v).to_owned(), Some(v), P_DETAIL));
                h.span = Span::new(h.span.start, line_end(text, c));
            }
        }
        if let Some(r) = find_in(text, "HttpResult: ", pos, to) {
            let s = r + "HttpResult: ".len();
            if let Some(st) = crate::scan::status_at(text, s) {
                h.status(st, Span::new(s, s + 3));
            }
        } else {
            h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        }
        hits.push(h);
    }
}

/// The Realtime Database: `permission_denied at /PATH: Client doesn't have
/// permission to access the desired data.` and `FIREBASE WARNING: set at
/// /PATH failed: permission_denied`.
fn database(text: &str, hits: &mut Vec<Hit>) {
    const AT: &str = "permission_denied at /";
    for pos in find_all(text, AT) {
        let phrase = Span::new(pos, pos + "permission_denied".len());
        let mut h = rules_hit(text, phrase, RTDB);
        h.error_code = Some(("permission_denied".to_owned(), Some(phrase), P_DETAIL));
        let p = token(text, pos + AT.len() - 1);
        let path = slice(text, p).trim_end_matches([':', ',', '.', '"']);
        if !path.is_empty() {
            Hit::set_str(
                &mut h.resource,
                text,
                Span::new(p.start, p.start + path.len()),
                P_DETAIL,
            );
        }
        hits.push(h);
    }
    const WARNING: &str = "FIREBASE WARNING: ";
    for pos in find_all(text, WARNING) {
        let le = line_end(text, pos);
        let Some(d) = find_in(text, " failed: permission_denied", pos, le) else {
            continue;
        };
        let phrase = Span::new(
            d + " failed: ".len(),
            d + " failed: permission_denied".len(),
        );
        let mut h = rules_hit(text, phrase, RTDB);
        h.error_code = Some(("permission_denied".to_owned(), Some(phrase), P_DETAIL));
        // `set at /users/x failed`: the operation, then the path.
        let op = token(text, pos + WARNING.len());
        if at(text, op.end, " at /") {
            Hit::set_str(&mut h.action, text, op, P_DETAIL);
            let p = Span::new(op.end + " at ".len(), d);
            Hit::set_str(&mut h.resource, text, p, P_DETAIL);
        }
        hits.push(h);
    }
}

/// The product's name, its rules file and the deploy target for `firebase deploy --only`.
fn product(f: &Finding) -> (&'static str, &'static str, &'static str) {
    match super::checklist::fact(f, "service") {
        Some(STORAGE) => (STORAGE, "storage.rules", "storage"),
        Some(RTDB) => (RTDB, "database.rules.json", "database"),
        _ => (FIRESTORE, "firestore.rules", "firestore:rules"),
    }
}

/// One sentence: which product's rules refused what.
pub(crate) fn summary(f: &Finding) -> String {
    let (name, _, _) = product(f);
    let what = match (f.action.as_deref(), f.resource.as_deref()) {
        (Some(a), Some(r)) => format!(" the client's `{a}` on `{r}`"),
        (None, Some(r)) => format!(" the client's request for `{r}`"),
        _ => " the client's request".to_owned(),
    };
    format!("{name} refused{what}: its Firebase Security Rules do not allow this operation for this user (IAM roles do not decide client SDK requests)")
}

/// What to check and change: the rules, the client's sign-in, a test in the
/// Rules Playground or the emulator.
pub(crate) fn checklist(f: &Finding, list: &mut super::checklist::List) {
    let mut add = |id: &str, stage: Stage, text: String, command: Option<String>| {
        list.add(id, stage, text, command)
    };
    let (name, file, target) = product(f);
    let (rule, open) = if name == RTDB {
        ("the `.read` and `.write` rules on", "`\".read\": true`")
    } else {
        (
            "the `match` blocks and `allow` rules that cover",
            "`allow read, write: if true`",
        )
    };
    let path = f.resource.as_deref().map_or_else(
        || "the path in the request".to_owned(),
        |r| format!("`{r}`"),
    );
    add(
        "firebase.rules",
        Stage::Diagnose,
        format!("Requests from the Firebase client SDKs (web, Android, Apple, Flutter) are decided by {name}'s Security Rules, not by IAM. Open the rules (the Firebase console's Rules tab, or `{file}` in the project) and find {rule} {path}: none grants this operation to this user."),
        None,
    );
    add(
        "firebase.auth-state",
        Stage::Diagnose,
        "If the rule needs a signed-in user (`request.auth != null`, or a check on `request.auth.uid`), make sure the request ran after sign-in finished and with that user: a listener started before sign-in, or after sign-out, carries no `request.auth`.".to_owned(),
        None,
    );
    add(
        "firebase.playground",
        Stage::Verify,
        "Reproduce the request in the Rules Playground (console, Rules tab) or the Local Emulator Suite with the same path, operation and user, and read which rule refused it.".to_owned(),
        Some("firebase emulators:start".to_owned()),
    );
    add(
        "firebase.rules-fix",
        Stage::Fix,
        format!("Change the rule to allow this operation on {path} for the users who should have it, as narrowly as the data allows (never {open} outside a test), then deploy the rules."),
        Some(format!("firebase deploy --only {target}")),
    );
}
