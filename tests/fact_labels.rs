//! Every fact key a reader records has a label for people, in the text and
//! Markdown renderings (src/render.rs) and on the page (www/app.js): a key
//! without one is shown raw (`lockedScope`), which reads as a bug.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;

/// The string literal keys passed to `fact(` and `fact_value(` in `source`.
fn keys(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for call in [
        ".fact(\"",
        ".fact_value(\"",
        "fact_value(\"",
        "push_fact(\"",
    ] {
        let mut rest = source;
        while let Some(i) = rest.find(call) {
            rest = &rest[i + call.len()..];
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    out.insert(key.to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn every_fact_key_has_a_label() {
    let mut all = BTreeSet::new();
    for dir in ["src/explain", "src/triage"] {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                all.extend(keys(&fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(
        all.contains("objectId") && all.contains("service"),
        "{all:?}"
    );
    let render = fs::read_to_string("src/render.rs").unwrap();
    let app = fs::read_to_string("www/app.js").unwrap();
    let labels_line = app.lines().find(|l| l.contains("var labels = {")).unwrap();
    let missing_render: Vec<_> = all
        .iter()
        .filter(|k| !render.contains(&format!("\"{k}\" =>")))
        .collect();
    let missing_page: Vec<_> = all
        .iter()
        .filter(|k| {
            !labels_line.contains(&format!(" {k}: '"))
                && !labels_line.contains(&format!("{{ {k}: '"))
        })
        .collect();
    assert!(
        missing_render.is_empty() && missing_page.is_empty(),
        "fact keys without a label: render.rs {missing_render:?}, app.js {missing_page:?}"
    );
}
