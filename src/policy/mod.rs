//! AWS policy evaluation: matching primitives.

pub mod arn;
pub mod ip;
pub mod wildcard;
