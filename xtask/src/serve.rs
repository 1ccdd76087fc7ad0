//! `cargo xtask serve <api>`: runs the reference implementation of one API (crate
//! `reference-servers`, under `tests/reference`) so a person can try it with curl. The server
//! sets a header read timeout (also the keep-alive idle timeout), a connection limit and a
//! body read timeout; `-- --header-read-timeout S --max-connections N` change the first two.
//!
//! It is a child `cargo run` rather than a dependency: xtask must build even when
//! `generated/` is stale, and the servers are built on the generated crates.

use std::process::Command;

use crate::codegen::workspace_root;

pub fn run(api: &str, port: Option<u16>, rest: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(&root)
        .args(["run", "--quiet", "-p", "reference-servers", "--"])
        .arg(api);
    if let Some(port) = port {
        command.args(["--port", &port.to_string()]);
    }
    command.args(rest);
    let status = command
        .status()
        .map_err(|err| format!("could not run cargo: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the reference server exited with {status}"))
    }
}
