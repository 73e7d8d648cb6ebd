//! A triage report for people: a ranked table for a terminal, Markdown for a ticket.

use super::{Group, Report};
use std::fmt::Write;

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn what(g: &Group) -> String {
    if g.members.is_empty() {
        g.action.clone()
    } else {
        let services: std::collections::BTreeSet<&str> = g
            .members
            .iter()
            .filter_map(|m| m.action.split(':').next())
            .collect();
        format!("{} actions on {} services", g.members.len(), services.len())
    }
}

fn signals(g: &Group) -> String {
    if g.signals.is_empty() {
        "-".to_owned()
    } else {
        g.signals
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn header(r: &Report, out: &mut String) {
    let s = &r.summary;
    let _ = writeln!(
        out,
        "{} denials in {} groups, from {} events in {} inputs{}",
        s.denials,
        s.groups,
        s.events,
        s.files,
        match (&s.window_start, &s.window_end) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        }
    );
}

/// A ranked table of the first `top` groups, then the signals and explanation
/// of each, for a terminal.
#[must_use]
pub fn text(r: &Report, top: usize) -> String {
    let mut out = String::new();
    header(r, &mut out);
    for e in &r.errors {
        let _ = writeln!(out, "error: {e}");
    }
    for n in &r.notes {
        let _ = writeln!(out, "note: {n}");
    }
    if r.groups.is_empty() {
        out.push_str("No denials found.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "\n{:>4} {:>5} {:>8}  {:<14} {:<28} {:<44} {:<36} signals",
        "rank", "score", "events", "gate", "error", "principal", "action"
    );
    for g in r.groups.iter().take(top) {
        let _ = writeln!(
            out,
            "{:>4} {:>5} {:>8}  {:<14} {:<28} {:<44} {:<36} {}",
            g.rank,
            g.score,
            g.count,
            g.kind,
            cut(&g.error_code, 28),
            cut(&g.principal, 44),
            cut(&what(g), 36),
            signals(g)
        );
    }
    if r.groups.len() > top {
        let _ = writeln!(out, "... and {} more groups", r.groups.len() - top);
    }
    for g in r.groups.iter().take(top) {
        let _ = writeln!(
            out,
            "\n#{} {} {} by {}",
            g.rank,
            g.error_code,
            what(g),
            g.principal
        );
        if !g.resource.is_empty() {
            let _ = writeln!(out, "  resource: {}", g.resource);
        }
        let _ = writeln!(
            out,
            "  {} events, {} to {}",
            g.count,
            g.first_seen.as_deref().unwrap_or("?"),
            g.last_seen.as_deref().unwrap_or("?")
        );
        for s in &g.signals {
            let _ = writeln!(out, "  signal {} (+{}): {}", s.code, s.weight, s.text);
        }
        if let Some(f) = &g.explanation {
            let _ = writeln!(out, "  why: {}", f.summary);
            for item in f.checklist.iter().take(3) {
                let _ = writeln!(out, "  - {}", item.text);
            }
        } else if !g.message.is_empty() {
            let _ = writeln!(out, "  message: {}", cut(&g.message, 300));
        }
        let _ = writeln!(
            out,
            "  from: {}",
            g.source_ips
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !g.request_ids.is_empty() {
            let _ = writeln!(out, "  requests: {}", g.request_ids.join(", "));
        }
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown, for a ticket.
#[must_use]
pub fn markdown(r: &Report, top: usize) -> String {
    let mut out = String::from("## Denials triage\n\n");
    header(r, &mut out);
    for e in &r.errors {
        let _ = writeln!(out, "\n> **error:** {}", md(&e.to_string()));
    }
    for n in &r.notes {
        let _ = writeln!(out, "\n> note: {}", md(n));
    }
    if r.groups.is_empty() {
        out.push_str("\nNo denials found.\n");
        return out;
    }
    out.push_str("\n| # | score | events | gate | error | principal | action | signals |\n|---|---|---|---|---|---|---|---|\n");
    for g in r.groups.iter().take(top) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | `{}` | `{}` | {} | {} |",
            g.rank,
            g.score,
            g.count,
            g.kind,
            md(&g.error_code),
            md(&g.principal),
            md(&what(g)),
            signals(g)
        );
    }
    for g in r.groups.iter().take(top) {
        let _ = writeln!(
            out,
            "\n### {}. `{}` {} by `{}`\n",
            g.rank,
            md(&g.error_code),
            md(&what(g)),
            md(&g.principal)
        );
        let _ = writeln!(
            out,
            "- {} events, {} to {}",
            g.count,
            g.first_seen.as_deref().unwrap_or("?"),
            g.last_seen.as_deref().unwrap_or("?")
        );
        if !g.resource.is_empty() {
            let _ = writeln!(out, "- resource: `{}`", md(&g.resource));
        }
        for s in &g.signals {
            let _ = writeln!(out, "- **{}**: {}", s.code, md(&s.text));
        }
        if let Some(f) = &g.explanation {
            let _ = writeln!(out, "- why: {}", md(&f.summary));
        }
        if !g.request_ids.is_empty() {
            let _ = writeln!(out, "- example requests: {}", md(&g.request_ids.join(", ")));
        }
    }
    out
}
