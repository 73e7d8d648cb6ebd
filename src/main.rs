//! The `denial-explainer` command line.

fn main() {
    std::process::exit(2);
}
