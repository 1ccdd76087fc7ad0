//! Scratch workspaces of generated crates (`target/corpus/`, `target/fuzz-compile/`), where
//! `corpus` and `fuzz-compile` compile what the generator wrote, warnings denied.

use std::fs;
use std::path::Path;
use std::process::Command;

/// How many lines of cargo's output a failed compilation reports.
const SHOWN_LINES: usize = 80;

/// The cargo running xtask, so that the crates are compiled by the same toolchain.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Makes `dir` a workspace of its own with the crates under `dir/crates/` as members, so that
/// they are not taken for members of ours.
pub fn create_workspace(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|err| err.to_string())?;
    fs::write(
        dir.join("Cargo.toml"),
        concat!(
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n",
            // Only whether the crates compile matters here: no debug info, no incremental state.
            "\n[profile.dev]\ndebug = false\nincremental = false\n",
        ),
    )
    .map_err(|err| err.to_string())
}

/// `cargo clippy --all-features -p CRATE -- -D warnings` in the scratch workspace `dir` (with
/// its own target folder); on failure, the start of what cargo said.
pub fn clippy(dir: &Path, crate_name: &str) -> Result<(), String> {
    let output = Command::new(cargo())
        .args(["clippy", "--quiet", "--all-features", "-p", crate_name])
        .args(["--", "-D", "warnings"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let shown: Vec<&str> = stderr.lines().take(SHOWN_LINES).collect();
        Err(shown.join("\n"))
    }
}
