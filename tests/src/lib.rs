//! Contract tests live under `tests/`; the crate exists to own them. This library holds only
//! what several of them share and that needs no generated crate.

use std::path::{Path, PathBuf};

/// The entries of the fixture folder `tests/fixtures/<folder>`, sorted, so that tests and their
/// snapshots meet the fixtures in one order everywhere.
pub fn fixture_entries(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
}
