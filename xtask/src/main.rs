//! `cargo xtask`: the project's front end. `generate` writes `generated/` from `specs/`,
//! `check` fails when they differ, `corpus` tries the generator on real-world specs,
//! `fuzz` runs the fuzz targets and `fuzz-compile` compiles crates generated from the
//! fuzzer's specs,
//! `breaking` classifies the changes between two versions of a spec, `serve` runs a reference
//! implementation.

mod bench;
mod breaking;
mod codegen;
mod corpus;
mod fuzz;
mod scratch;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate and check the crates in generated/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every crate in generated/ from specs/ (or one crate from --spec into --out).
    Generate {
        /// A spec of your own (YAML or JSON); needs --out.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Where to write the crate generated from --spec.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Cargo package name for --spec (default: the spec's file stem + `-api`).
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// Refuse defects that are otherwise repaired with a warning (the specs in specs/
        /// are always generated this way).
        #[arg(long, requires = "spec")]
        strict: bool,
    },
    /// Fail, with a diff, when generated/ is not what specs/ produce.
    Check,
    /// Time the generator (per phase), its peak memory and its output, per spec.
    Bench {
        /// Runs per spec; the medians are reported.
        #[arg(long, default_value_t = 5)]
        iterations: usize,
        /// Only specs whose file name contains this text.
        #[arg(long)]
        only: Option<String>,
    },
    /// One spec's figures, in a process of its own (used by `bench`).
    #[command(hide = true)]
    BenchOne {
        #[arg(long, default_value_t = 5)]
        iterations: usize,
        spec: PathBuf,
    },
    /// Generate and compile a crate for every spec in ../shared/corpus (or DIR).
    Corpus {
        /// Folder of specs (default: ../shared/corpus beside the workspace).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Only specs whose file name contains this text.
        #[arg(long)]
        only: Option<String>,
        /// Generate only; skip `cargo build`.
        #[arg(long)]
        no_build: bool,
        /// Print every warning (each repaired defect), not only their count.
        #[arg(long)]
        verbose: bool,
    },
    /// Classify spec changes (against a git revision, or between two files) as breaking,
    /// possibly breaking or non-breaking; fails on unacknowledged breaking changes.
    Breaking(breaking::Args),
    /// Run each cargo-fuzz target of fuzz/ in turn (nightly and cargo-fuzz needed) with the
    /// committed seed corpus; prints executions, coverage and crashes per target.
    Fuzz {
        /// Seconds per target.
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        /// Only this target (load_yaml, load_json, generate_structured, param_decode,
        /// validate_request).
        #[arg(long)]
        target: Option<String>,
    },
    /// Generate a crate for each of N inputs of the generate_structured corpus and compile
    /// it with clippy, warnings denied; reports how many generated and compiled.
    FuzzCompile {
        /// How many inputs to try.
        #[arg(long, default_value_t = 40)]
        count: usize,
        /// Corpus folders to read (default: fuzz/corpus/generate_structured, then
        /// target/fuzz/generate_structured/corpus).
        #[arg(long)]
        dir: Vec<PathBuf>,
    },
    /// Serve the reference implementation of one API on 127.0.0.1, with a demo account.
    Serve {
        /// zrok, kestra, persona, pterodactyl or soracom.
        api: String,
        /// Port to listen on (default: any free one; the URL is printed).
        #[arg(long)]
        port: Option<u16>,
        /// Passed on to the server (e.g. --email, --password).
        #[arg(last = true)]
        rest: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            spec: Some(spec),
            out: Some(out),
            name,
            strict,
        } => codegen::generate_one(&spec, &out, name, strict),
        Command::Generate { .. } => codegen::generate_all(),
        Command::Check => codegen::check_all(),
        Command::Bench { iterations, only } => bench::run(iterations, only.as_deref()),
        Command::BenchOne { iterations, spec } => bench::run_one(&spec, iterations),
        Command::Corpus {
            dir,
            only,
            no_build,
            verbose,
        } => corpus::run(dir, only.as_deref(), !no_build, verbose),
        // Its own exit status: 1 for breaking changes, 2 for unreadable input.
        Command::Breaking(args) => return breaking::run(&args),
        Command::Fuzz { seconds, target } => fuzz::run(seconds, target.as_deref()),
        Command::FuzzCompile { count, dir } => fuzz::compile(count, dir),
        Command::Serve { api, port, rest } => serve::run(&api, port, &rest),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
