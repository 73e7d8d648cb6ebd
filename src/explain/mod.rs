//! Explaining findings: what to do about them and what they cannot tell.

pub mod checklist;
