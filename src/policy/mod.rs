//! AWS policy evaluation: reading policies, evaluating requests against them
//! the way AWS's documented policy evaluation logic does, and explaining why.

pub mod arn;
pub mod ip;
pub mod parse;
pub mod wildcard;
