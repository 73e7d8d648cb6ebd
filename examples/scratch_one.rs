#[path = "../tests/support/pathological.rs"]
mod pathological;
fn main() {
    let which: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let f = &pathological::FAMILIES[which];
    let mb: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let t = (f.build)(mb * 1024 * 1024);
    let r = denial_explainer::explain(&t);
    println!("{}", r.secrets.len());
}
