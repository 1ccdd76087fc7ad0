//! `cargo xtask bench`: the generator as users run it, over the seed specs and the corpus,
//! several iterations each, one table: median time of each phase, median total, peak memory
//! and lines of output per spec. Each spec runs in a child process so that peak memory is that
//! spec's alone.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use contractgen::{Settings, Source};

use crate::codegen::{corpus_specs, file_name, runtime_path, spec_paths, workspace_root};

/// One spec's figures, as the child prints them on one line.
struct Figures {
    name: String,
    bytes: u64,
    /// Median milliseconds of load, resolve, lower, emit and format, then of the whole run.
    phases: [f64; 6],
    peak_kib: u64,
    lines: usize,
    operations: usize,
}

impl Figures {
    /// Median milliseconds of the whole run.
    fn total(&self) -> f64 {
        self.phases[5]
    }
}

pub fn run(iterations: usize, only: Option<&str>) -> Result<(), String> {
    let root = workspace_root();
    let mut specs = spec_paths(&root.join("specs"))?;
    specs.extend(corpus_specs(&root.join("../shared/corpus")).unwrap_or_default());
    let executable = std::env::current_exe().map_err(|err| err.to_string())?;
    let baseline = baseline(&specs, iterations)?;
    println!(
        "{:<26} {:>9} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8} {:>9} {:>6}",
        "spec",
        "KiB",
        "ops",
        "load",
        "resolve",
        "lower",
        "emit",
        "format",
        "total ms",
        "peak MiB",
        "lines",
        "µs/KiB",
        "÷base"
    );
    let mut seed_total = 0.0;
    for spec in specs {
        let name = file_name(&spec);
        if only.is_some_and(|only| !name.contains(only)) {
            continue;
        }
        let output = Command::new(&executable)
            .args(["bench-one", "--iterations", &iterations.to_string()])
            .arg(&spec)
            .output()
            .map_err(|err| format!("cannot run {}: {err}", executable.display()))?;
        if !output.status.success() {
            println!(
                "{name:<26} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            continue;
        }
        let figures = parse(&name, &String::from_utf8_lossy(&output.stdout))
            .ok_or_else(|| format!("unreadable figures for {name}"))?;
        if spec.starts_with(root.join("specs")) {
            seed_total += figures.total();
        }
        let [load, resolve, lower, emit, format, total] = figures.phases;
        println!(
            "{:<26} {:>9.0} {:>5} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>9.1} {:>9.1} {:>8} {:>9.1} {:>6.2}",
            figures.name,
            figures.bytes as f64 / 1024.0,
            figures.operations,
            load,
            resolve,
            lower,
            emit,
            format,
            total,
            figures.peak_kib as f64 / 1024.0,
            figures.lines,
            total * 1000.0 / (figures.bytes as f64 / 1024.0),
            total / baseline.1,
        );
    }
    println!(
        "seed specs together (sum of medians): {seed_total:.1} ms; phases in ms, medians of {iterations} runs"
    );
    println!(
        "baseline: parsing {} into a serde_json::Value took {:.1} ms (median) in this run; ÷base is a spec's total over it, comparable between runs on a noisy machine",
        baseline.0, baseline.1
    );
    Ok(())
}

/// The machine's speed in this run: the median time to parse the largest spec into a
/// `serde_json::Value`, which involves none of the generator's code.
fn baseline(specs: &[std::path::PathBuf], iterations: usize) -> Result<(String, f64), String> {
    let largest = specs
        .iter()
        .max_by_key(|spec| std::fs::metadata(spec).map_or(0, |meta| meta.len()))
        .ok_or("no specs to measure")?;
    let text = std::fs::read_to_string(largest).map_err(|err| err.to_string())?;
    let json = largest.extension().is_some_and(|ext| ext == "json");
    let mut times = Vec::new();
    for _ in 0..iterations.max(3) {
        let started = Instant::now();
        let parsed: Result<serde_json::Value, String> = if json {
            serde_json::from_str(&text).map_err(|err| err.to_string())
        } else {
            serde_yaml::from_str(&text).map_err(|err| err.to_string())
        };
        parsed?;
        times.push(started.elapsed());
    }
    Ok((file_name(largest), median(times)))
}

fn parse(name: &str, line: &str) -> Option<Figures> {
    let values: Vec<f64> = line
        .split_whitespace()
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    let [bytes, phases @ .., peak, lines, operations] = values.as_slice() else {
        return None;
    };
    Some(Figures {
        name: name.to_string(),
        bytes: *bytes as u64,
        phases: phases.try_into().ok()?,
        peak_kib: *peak as u64,
        lines: *lines as usize,
        operations: *operations as usize,
    })
}

fn median(mut values: Vec<Duration>) -> f64 {
    values.sort();
    values[values.len() / 2].as_secs_f64() * 1000.0
}

/// The child: generates one spec `iterations` times (reading the file each time, as a user's
/// run would) and prints the medians and its own peak resident memory.
pub fn run_one(spec: &Path, iterations: usize) -> Result<(), String> {
    let settings = Settings {
        crate_name: "bench-api".into(),
        spec_label: spec.display().to_string(),
        command: "cargo xtask bench".into(),
        runtime_path: runtime_path(),
        strict: false,
    };
    let bytes = std::fs::metadata(spec)
        .map_err(|err| err.to_string())?
        .len();
    let mut phases: [Vec<Duration>; 6] = Default::default();
    let mut lines = 0;
    let mut operations = 0;
    for _ in 0..iterations.max(1) {
        let started = Instant::now();
        let source = Source::read(spec).map_err(|err| err.to_string())?;
        let generated = contractgen::generate(&source, &settings).map_err(|err| err.to_string())?;
        let total = started.elapsed();
        let timings = generated.timings;
        for (slot, value) in phases.iter_mut().zip([
            timings.load,
            timings.resolve,
            timings.lower,
            timings.emit,
            timings.format,
            total,
        ]) {
            slot.push(value);
        }
        lines = generated.lines();
        operations = generated.operations;
    }
    let [load, resolve, lower, emit, format, total] = phases.map(median);
    println!(
        "{bytes} {load} {resolve} {lower} {emit} {format} {total} {} {lines} {operations}",
        peak_kib()
    );
    Ok(())
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB; 0 where unavailable.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
