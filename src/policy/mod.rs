//! AWS policy evaluation: matching primitives.

pub mod wildcard;
