//! `contractgen`: OpenAPI 3.0 documents to Rust crates.
//!
//! The pipeline is `load → resolve/validate → lower (IR) → emit → format`; each stage is a
//! module of its own, and [`generate`] runs them in order. The library writes no files: it
//! returns them, and the caller (xtask) decides where they go.

pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod resolve;
pub mod samples;

use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Error};
pub use emit::Settings;
pub use format::GeneratedFile;
pub use load::Source;

/// Time spent in each stage of one run (wall time). Items of large files are built on the
/// format stage's worker threads; that share of its wall time is counted as emit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
}

/// The generated crate, in memory.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub operations: usize,
    pub types: usize,
    pub timings: Timings,
}

impl Generated {
    pub fn lines(&self) -> usize {
        self.files
            .iter()
            .map(|file| file.contents.lines().count())
            .sum()
    }
}

/// Loads, validates and lowers a spec: the IR alone, for tools that inspect it.
pub fn lower(source: &Source) -> Result<ir::Api, Error> {
    lower_timed(source, &mut Timings::default())
}

/// The stages up to the IR, each timed.
fn lower_timed(source: &Source, timings: &mut Timings) -> Result<ir::Api, Error> {
    let started = Instant::now();
    let document = load::load(source)?;
    timings.load = started.elapsed();

    // The wire contract reads only the document: it is built on another core while the
    // document is validated and lowered (and thrown away if validation fails).
    std::thread::scope(|scope| {
        let wire = scope.spawn(|| lower::wire_contract(&document));

        let started = Instant::now();
        let mut diagnostics = diagnostics::Diagnostics::default();
        resolve::validate(&document, &mut diagnostics);
        diagnostics.finish(&source.path, &source.text)?;
        timings.resolve = started.elapsed();

        let started = Instant::now();
        let mut diagnostics = diagnostics::Diagnostics::default();
        let mut api = lower::lower(&document, &mut diagnostics);
        diagnostics.finish(&source.path, &source.text)?;
        api.wire = wire
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        timings.lower = started.elapsed();
        Ok(api)
    })
}

/// Runs the whole pipeline on one spec.
pub fn generate(source: &Source, settings: &Settings) -> Result<Generated, Error> {
    let mut timings = Timings::default();
    let api = lower_timed(source, &mut timings)?;

    let started = Instant::now();
    let pending = emit::emit(&api, settings)
        .map_err(|err| internal(source, format!("template failed: {err}")))?;
    timings.emit = started.elapsed();

    let (files, format_timings) =
        format::format(pending, settings).map_err(|message| internal(source, message))?;
    // The format stage also builds the items it formats (on every core): its wall time is
    // shared between emit and format in proportion to the thread time each took.
    let thread_time = format_timings.building + format_timings.printing;
    let building_share = if thread_time.is_zero() {
        Duration::ZERO
    } else {
        format_timings
            .wall
            .mul_f64(format_timings.building.as_secs_f64() / thread_time.as_secs_f64())
    };
    timings.emit += building_share;
    timings.format = format_timings.wall.saturating_sub(building_share);

    Ok(Generated {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        timings,
    })
}

/// A failure of the generator itself, reported like a diagnostic so callers handle one type.
fn internal(source: &Source, message: String) -> Error {
    Error {
        diagnostics: vec![Diagnostic {
            file: source.path.clone(),
            pointer: String::new(),
            line: None,
            message: format!("internal error (please report): {message}"),
        }],
    }
}
