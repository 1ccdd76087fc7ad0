//! `cargo xtask fuzz`: the cargo-fuzz targets of `fuzz/`, one after another, each for a
//! bounded time with the committed seed corpus; and `cargo xtask fuzz-compile`: crates
//! generated from the `generate_structured` corpus, compiled with warnings denied.
//!
//! Each target runs as `cargo +nightly fuzz run TARGET WORK SEEDS -- ...`: libFuzzer writes
//! what it finds to `target/fuzz/TARGET/corpus` (WORK, kept between runs) and only reads the
//! committed seeds (`fuzz/corpus/TARGET`); crashes, timeouts and out-of-memory inputs go to
//! `target/fuzz/TARGET/artifacts/`. One job at a time (`-jobs` is not passed), with a
//! per-input timeout and a memory limit, so that a hang or an unbounded allocation is a
//! finding and not a stuck run.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use contractgen::{Settings, Source};

use crate::codegen::{workspace_root, write_crate};
use crate::scratch::{clippy, create_workspace};

pub const TARGETS: [&str; 5] = [
    "load_yaml",
    "load_json",
    "generate_structured",
    "param_decode",
    "validate_request",
];

/// How a target is built: with AddressSanitizer (the default), or without one in a target
/// directory of its own. `generate_structured` feeds the pipeline documents it wrote itself
/// (well-formed YAML and JSON, safe Rust after the parser) and runs about eight times faster
/// without ASan; the byte-level targets keep it, for the YAML parser's C-derived code.
fn build_args(target: &str) -> Vec<&'static str> {
    if target == "generate_structured" {
        vec![
            "--sanitizer",
            "none",
            "--target-dir",
            "fuzz/target/no-sanitizer",
        ]
    } else {
        Vec::new()
    }
}

/// Seconds an input may take before libFuzzer calls it a hang.
const INPUT_TIMEOUT: u32 = 10;
/// Resident memory (MiB) beyond which libFuzzer calls an input an out-of-memory.
const RSS_LIMIT_MB: u32 = 2048;
/// Largest input libFuzzer makes (the seed specs are cut below 64 KiB).
const MAX_LEN: u32 = 65536;

/// What one target's run gave, read from libFuzzer's output.
#[derive(Debug, Default)]
struct Figures {
    executions: Option<u64>,
    coverage: Option<u64>,
    features: Option<u64>,
    corpus: Option<String>,
    peak_rss_mb: Option<u64>,
    /// What libFuzzer said stopped it: a crash, a timeout, an out-of-memory.
    failure: Option<String>,
    /// Files written to the artifacts folder during the run.
    artifacts: Vec<PathBuf>,
    seconds: f64,
}

/// `cargo +nightly ARGS` through rustup, without what the running (stable) cargo passed
/// down, which would pin the stable toolchain.
fn nightly(args: &[&str]) -> Command {
    let mut command = Command::new("cargo");
    command.arg("+nightly").args(args);
    for variable in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "CARGO_TARGET_DIR",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Whether `cargo +nightly` and `cargo fuzz` are there; the error says how to get them.
fn tools_present(root: &Path) -> Result<(), String> {
    // `cargo +nightly` goes through rustup; the `cargo` xtask runs under may be the
    // toolchain's own binary, which knows no `+toolchain`.
    let found = nightly(&["--version"]).current_dir(root).output();
    match found {
        Ok(output) if output.status.success() => {}
        _ => {
            return Err(
                "cargo xtask fuzz needs the nightly toolchain (libFuzzer's instrumentation): \
                 `rustup toolchain install nightly --profile minimal`"
                    .into(),
            );
        }
    }
    let fuzz = nightly(&["fuzz", "--version"]).current_dir(root).output();
    match fuzz {
        Ok(output) if output.status.success() => Ok(()),
        _ => Err(
            "cargo xtask fuzz needs cargo-fuzz: `cargo install cargo-fuzz --locked --version 0.13.2`"
                .into(),
        ),
    }
}

pub fn run(seconds: u64, only: Option<&str>) -> Result<(), String> {
    let root = workspace_root();
    let targets: Vec<&str> = match only {
        Some(name) if TARGETS.contains(&name) => vec![name],
        Some(name) => {
            return Err(format!(
                "no fuzz target `{name}`; the targets are {}",
                TARGETS.join(", ")
            ));
        }
        None => TARGETS.to_vec(),
    };
    tools_present(&root)?;

    // Build them all first, so that the time given is spent fuzzing.
    for target in &targets {
        println!("== building {target} (cargo +nightly fuzz build)");
        let status = nightly(&["fuzz", "build"])
            .args(build_args(target))
            .arg(target)
            .current_dir(&root)
            .status()
            .map_err(|err| format!("cannot run cargo fuzz: {err}"))?;
        if !status.success() {
            return Err(format!("the fuzz target {target} does not build"));
        }
    }

    let mut results = Vec::new();
    for target in targets {
        println!("== {target}: {seconds} s");
        let figures = run_target(&root, target, seconds)?;
        print_figures(target, &figures);
        results.push((target, figures));
    }

    println!(
        "\n{:<20} {:>8} {:>12} {:>7} {:>8} {:>7}  result",
        "target", "seconds", "executions", "cov", "ft", "rss MB"
    );
    for (target, figures) in &results {
        let show = |value: Option<u64>| value.map_or("-".to_string(), |value| value.to_string());
        println!(
            "{target:<20} {:>8.0} {:>12} {:>7} {:>8} {:>7}  {}",
            figures.seconds,
            show(figures.executions),
            show(figures.coverage),
            show(figures.features),
            show(figures.peak_rss_mb),
            figures.failure.as_deref().unwrap_or("no crash"),
        );
    }
    let failed: Vec<&(&str, Figures)> = results
        .iter()
        .filter(|(_, figures)| figures.failure.is_some())
        .collect();
    if failed.is_empty() {
        println!("fuzz: {} passed, 0 failed", results.len());
        Ok(())
    } else {
        for (target, figures) in &failed {
            for artifact in &figures.artifacts {
                eprintln!(
                    "{target}: reproduce with `cargo +nightly fuzz run {} {target} {}`",
                    build_args(target).join(" "),
                    artifact.display()
                );
            }
        }
        Err(format!(
            "fuzz: {} passed, {} failed",
            results.len() - failed.len(),
            failed.len()
        ))
    }
}

fn run_target(root: &Path, target: &str, seconds: u64) -> Result<Figures, String> {
    let work = root.join("target/fuzz").join(target);
    let corpus = work.join("corpus");
    let artifacts = work.join("artifacts");
    fs::create_dir_all(&corpus).map_err(|err| err.to_string())?;
    fs::create_dir_all(&artifacts).map_err(|err| err.to_string())?;
    let seeds = root.join("fuzz/corpus").join(target);
    let before = list(&artifacts);
    let log_path = work.join("last-run.log");

    let started = Instant::now();
    let mut child = nightly(&["fuzz", "run"])
        .args(build_args(target))
        .arg(target)
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg(format!("-malloc_limit_mb={RSS_LIMIT_MB}"))
        .arg(format!("-max_len={MAX_LEN}"))
        // LeakSanitizer's report at exit names glibc's bookkeeping of the worker threads'
        // thread-locals (32 bytes from `__cxa_thread_atexit_impl`), not memory of ours; memory
        // that grows is caught by the limits above.
        .arg("-detect_leaks=0")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run cargo fuzz: {err}"))?;

    // libFuzzer reports on stderr; keep all of it in a log, show its status lines.
    let mut figures = Figures::default();
    let mut log = String::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            read_line(&line, &mut figures);
            if line.contains("INITED") || line.contains("DONE") || line.contains("==ERROR") {
                println!("  {line}");
            }
            log.push_str(&line);
            log.push('\n');
        }
    }
    let status = child.wait().map_err(|err| err.to_string())?;
    figures.seconds = started.elapsed().as_secs_f64();
    fs::write(&log_path, &log).map_err(|err| err.to_string())?;
    figures.artifacts = list(&artifacts)
        .into_iter()
        .filter(|path| !before.contains(path))
        .collect();
    if figures.failure.is_none() && !status.success() {
        figures.failure = Some(format!("{status} (see {})", log_path.display()));
    }
    if figures.failure.is_none() && !figures.artifacts.is_empty() {
        figures.failure = Some("artifacts written".into());
    }
    Ok(figures)
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

/// Reads libFuzzer's status lines (`#4096 pulse cov: 123 ft: 456 corp: 78/9Kb ...`), its
/// final stats and its failure summaries.
fn read_line(line: &str, figures: &mut Figures) {
    if let Some(rest) = line.strip_prefix("stat::number_of_executed_units:") {
        figures.executions = rest.trim().parse().ok();
    } else if let Some(rest) = line.strip_prefix("stat::peak_rss_mb:") {
        figures.peak_rss_mb = rest.trim().parse().ok();
    } else if line.starts_with('#') {
        let words: Vec<&str> = line.split_whitespace().collect();
        let after = |key: &str| {
            words
                .iter()
                .position(|word| *word == key)
                .and_then(|index| words.get(index + 1))
        };
        if let Some(count) = words[0]
            .strip_prefix('#')
            .and_then(|count| count.parse().ok())
        {
            figures.executions = Some(count);
        }
        if let Some(cov) = after("cov:").and_then(|value| value.parse().ok()) {
            figures.coverage = Some(cov);
        }
        if let Some(ft) = after("ft:").and_then(|value| value.parse().ok()) {
            figures.features = Some(ft);
        }
        if let Some(corpus) = after("corp:") {
            figures.corpus = Some(corpus.to_string());
        }
    } else if let Some(summary) = line.strip_prefix("SUMMARY: libFuzzer: ") {
        figures.failure = Some(summary.trim().to_string());
    } else if line.contains("==ERROR: libFuzzer:") && figures.failure.is_none() {
        figures.failure = line
            .split("libFuzzer:")
            .nth(1)
            .map(|reason| reason.trim().to_string());
    }
}

fn print_figures(target: &str, figures: &Figures) {
    let show = |value: Option<u64>| value.map_or("-".to_string(), |value| value.to_string());
    println!(
        "  {target}: {} executions in {:.0} s, cov {} ft {}, corpus {}, peak rss {} MB, {}",
        show(figures.executions),
        figures.seconds,
        show(figures.coverage),
        show(figures.features),
        figures.corpus.as_deref().unwrap_or("-"),
        show(figures.peak_rss_mb),
        match &figures.failure {
            Some(failure) => format!("FAILED: {failure}"),
            None => "no crash".into(),
        }
    );
    for artifact in &figures.artifacts {
        println!("  artifact: {}", artifact.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Soundness

/// One spec of the sample and what became of it.
struct Sample {
    input: PathBuf,
    dialect: &'static str,
    crate_name: String,
    generated: Result<(), String>,
    compiled: Option<Result<(), String>>,
}

/// Generates a crate for each of the first `count` inputs of the `generate_structured`
/// corpus (the committed seeds, then what the fuzzer kept) and compiles each with clippy,
/// warnings denied, in a scratch workspace under `target/fuzz-compile/`.
pub fn compile(count: usize, dirs: Vec<PathBuf>) -> Result<(), String> {
    let root = workspace_root();
    let dirs = if dirs.is_empty() {
        vec![
            root.join("fuzz/corpus/generate_structured"),
            root.join("target/fuzz/generate_structured/corpus"),
        ]
    } else {
        dirs
    };
    let mut inputs = Vec::new();
    for dir in &dirs {
        inputs.extend(list(dir).into_iter().filter(|path| path.is_file()));
    }
    if inputs.is_empty() {
        return Err(format!(
            "no inputs in {}",
            dirs.iter()
                .map(|dir| dir.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let scratch = root.join("target/fuzz-compile");
    let crates = scratch.join("crates");
    let _ = fs::remove_dir_all(&crates);
    fs::create_dir_all(&crates).map_err(|err| err.to_string())?;
    create_workspace(&scratch)?;

    let mut samples = Vec::new();
    for input in inputs.iter().take(count) {
        let index = samples.len();
        let bytes = fs::read(input).map_err(|err| err.to_string())?;
        let mut unstructured = arbitrary::Unstructured::new(&bytes);
        let spec = contract_specgen::build(&mut unstructured).map_err(|err| err.to_string())?;
        let crate_name = format!("fuzzed-{index:03}");
        let out = crates.join(&crate_name);
        let source = Source::new(spec.file_name(), spec.text.as_str());
        let settings = Settings {
            crate_name: crate_name.clone(),
            spec_label: format!("{} (from {})", spec.file_name(), input.display()),
            command: "cargo xtask fuzz-compile".into(),
            runtime_path: crate::codegen::runtime_path(),
            strict: spec.strict,
        };
        let generated = match contractgen::generate(&source, &settings) {
            Ok(generated) => {
                write_crate(&out, &generated.files).map_err(|err| err.to_string())?;
                fs::write(out.join(spec.file_name()), &spec.text).map_err(|err| err.to_string())?;
                Ok(())
            }
            Err(error) => Err(error.to_string()),
        };
        samples.push(Sample {
            input: input.clone(),
            dialect: spec.dialect.label(),
            crate_name,
            generated,
            compiled: None,
        });
    }

    let generated = samples
        .iter()
        .filter(|sample| sample.generated.is_ok())
        .count();
    println!(
        "== {generated} of {} specs generated; compiling each with clippy -D warnings",
        samples.len()
    );
    for sample in samples.iter_mut().filter(|sample| sample.generated.is_ok()) {
        let started = Instant::now();
        let result = clippy(&scratch, &sample.crate_name);
        println!(
            "{:<12} {} {:<4} {:>6.1} s  {}",
            sample.crate_name,
            file_label(&sample.input),
            sample.dialect,
            started.elapsed().as_secs_f64(),
            if result.is_ok() { "compiles" } else { "FAILS" }
        );
        sample.compiled = Some(result);
    }
    let compiled = samples
        .iter()
        .filter(|sample| matches!(sample.compiled, Some(Ok(()))))
        .count();
    let refused: Vec<&Sample> = samples.iter().filter(|s| s.generated.is_err()).collect();
    if !refused.is_empty() {
        println!("\nrefused (a located error, not a failure):");
        for sample in refused {
            let first = sample
                .generated
                .as_ref()
                .err()
                .and_then(|message| {
                    message
                        .lines()
                        .find(|line| line.trim_start().starts_with("error:"))
                })
                .unwrap_or_default();
            println!(
                "  {} {}: {}",
                file_label(&sample.input),
                sample.dialect,
                first.trim()
            );
        }
    }
    println!(
        "\n{} tried, {generated} generated, {compiled} of those compiled",
        samples.len()
    );
    let failures: Vec<&Sample> = samples
        .iter()
        .filter(|sample| matches!(sample.compiled, Some(Err(_))))
        .collect();
    if failures.is_empty() {
        println!("{compiled} passed, 0 failed");
        return Ok(());
    }
    for sample in &failures {
        if let Some(Err(message)) = &sample.compiled {
            eprintln!(
                "\n{} ({}, crate in {}):\n{message}",
                sample.crate_name,
                sample.input.display(),
                crates.join(&sample.crate_name).display()
            );
        }
    }
    Err(format!("{compiled} passed, {} failed", failures.len()))
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().chars().take(16).collect())
        .unwrap_or_default()
}
