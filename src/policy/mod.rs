//! AWS policy evaluation: matching primitives.

pub mod arn;
pub mod condition;
pub mod ip;
pub mod variables;
pub mod wildcard;
