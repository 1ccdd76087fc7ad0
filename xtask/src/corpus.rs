//! `cargo xtask corpus`: the generator on real-world specs. Each spec is generated with
//! default settings into a scratch workspace under `target/corpus/` and compiled with
//! warnings denied (`cargo clippy --all-features -- -D warnings`); one table reports, per
//! spec, the dialect read, the files read, the warnings (repaired defects), whether it
//! generated and compiled, and the generation time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use contractgen::{Settings, Source};

use crate::codegen::{corpus_specs, file_name, workspace_root, write_crate};
use crate::scratch::{clippy, create_workspace};

/// What generating one spec gave.
struct Outcome {
    dialect: &'static str,
    files_read: usize,
    warnings: Vec<contractgen::Diagnostic>,
    operations: usize,
    types: usize,
    lines: usize,
    seconds: f64,
}

struct Row {
    spec: String,
    generated: Result<Outcome, String>,
    compiled: Option<Result<f64, String>>,
}

pub fn run(
    dir: Option<PathBuf>,
    only: Option<&str>,
    build: bool,
    verbose: bool,
) -> Result<(), String> {
    let root = workspace_root();
    let dir = dir.unwrap_or_else(|| root.join("../shared/corpus"));
    let scratch = root.join("target/corpus");
    create_workspace(&scratch)?;
    let mut rows = Vec::new();
    for spec in corpus_specs(&dir)? {
        let name = spec
            .strip_prefix(&dir)
            .map(|relative| relative.display().to_string())
            .unwrap_or_else(|_| file_name(&spec));
        if only.is_some_and(|only| !name.contains(only)) {
            continue;
        }
        let stem: String = spec
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let crate_name = format!("corpus-{stem}");
        let out = scratch.join("crates").join(&stem);
        let row = generate(&spec, &out, &crate_name);
        let compiled = match (&row, build) {
            (Ok(_), true) => Some(compile(&scratch, &crate_name)),
            _ => None,
        };
        let row = Row {
            spec: name,
            generated: row,
            compiled,
        };
        print_row(&row);
        rows.push(row);
    }
    let failed = rows
        .iter()
        .filter(|row| row.generated.is_err() || matches!(row.compiled, Some(Err(_))))
        .count();
    if verbose {
        for row in &rows {
            if let Ok(outcome) = &row.generated
                && !outcome.warnings.is_empty()
            {
                println!("\n{}:", row.spec);
                for warning in &outcome.warnings {
                    println!("  warning: {warning}");
                }
            }
        }
    }
    if failed == 0 {
        println!("{} passed, 0 failed", rows.len());
        Ok(())
    } else {
        for row in &rows {
            if let Err(message) = &row.generated {
                eprintln!("\n{}: generation failed:\n{message}", row.spec);
            }
            if let Some(Err(message)) = &row.compiled {
                eprintln!("\n{}: compilation failed:\n{message}", row.spec);
            }
        }
        Err(format!("{} passed, {failed} failed", rows.len() - failed))
    }
}

fn generate(spec: &Path, out: &Path, crate_name: &str) -> Result<Outcome, String> {
    let source = Source::read(spec).map_err(|err| err.to_string())?;
    let settings = Settings {
        crate_name: crate_name.to_string(),
        spec_label: file_name(spec),
        command: "cargo xtask corpus".to_string(),
        runtime_path: crate::codegen::runtime_path(),
        strict: false,
    };
    let started = Instant::now();
    let generated = contractgen::generate(&source, &settings).map_err(|err| err.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    write_crate(out, &generated.files).map_err(|err| err.to_string())?;
    Ok(Outcome {
        dialect: generated.dialect,
        files_read: generated.files_read,
        lines: generated.lines(),
        warnings: generated.warnings,
        operations: generated.operations,
        types: generated.types,
        seconds,
    })
}

fn compile(scratch: &Path, crate_name: &str) -> Result<f64, String> {
    let started = Instant::now();
    clippy(scratch, crate_name)?;
    Ok(started.elapsed().as_secs_f64())
}

fn print_row(row: &Row) {
    let (dialect, files, warnings, generated, detail) = match &row.generated {
        Ok(outcome) => (
            outcome.dialect.to_string(),
            outcome.files_read.to_string(),
            outcome.warnings.len().to_string(),
            "yes",
            format!(
                "{:>7.1} ms {:>5} ops {:>5} types {:>7} lines",
                outcome.seconds * 1000.0,
                outcome.operations,
                outcome.types,
                outcome.lines
            ),
        ),
        Err(_) => ("-".into(), "-".into(), "-".into(), "no", String::new()),
    };
    let compiled = match &row.compiled {
        Some(Ok(seconds)) => format!("yes ({seconds:.1} s)"),
        Some(Err(_)) => "no".to_string(),
        None => "-".to_string(),
    };
    println!(
        "{:<28} dialect: {dialect:<4} files: {files:>4}  warnings: {warnings:>4}  generated: {generated:<3}  compiles: {compiled:<12} {detail}",
        row.spec
    );
}
