//! AWS policy evaluation: matching primitives.

pub mod arn;
pub mod wildcard;
