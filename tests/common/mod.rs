//! Helpers shared by the fixture-corpus runners.

use std::path::{Path, PathBuf};

/// Every `.json` file under `tests/fixtures/<folder>`, subfolders included, sorted.
pub fn fixture_files(folder: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
