//! `contractgen`: OpenAPI documents (Swagger 2.0, OpenAPI 3.0, 3.1 and 3.2, in one file or
//! several) to Rust crates.
//!
//! The pipeline is `load → resolve/validate → lower (IR) → emit → format`; each stage is a
//! module of its own, and [`generate`] runs them in order. The library writes no files: it
//! returns them, and the caller (xtask) decides where they go.

pub mod diagnostics;
pub mod document;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod resolve;
pub mod samples;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::Settings;
pub use format::GeneratedFile;
pub use load::{LoadOptions, Source};

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
    pub webhooks: usize,
    pub types: usize,
    /// The defects repaired on the way, located.
    pub warnings: Vec<Diagnostic>,
    /// The dialect read: `2.0`, `3.0`, `3.1` or `3.2`.
    pub dialect: &'static str,
    /// How many files the spec spans (the entry and every file a `$ref` reached).
    pub files_read: usize,
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

/// A spec loaded, validated and lowered.
#[derive(Debug)]
pub struct Lowered {
    pub api: ir::Api,
    pub warnings: Vec<Diagnostic>,
    pub files_read: usize,
}

/// Loads, validates and lowers a spec with default (lenient) settings: the IR alone, for
/// tools that inspect it.
pub fn lower(source: &Source) -> Result<ir::Api, Error> {
    lower_with(source, &LoadOptions::default()).map(|lowered| lowered.api)
}

/// Loads, validates and lowers a spec.
pub fn lower_with(source: &Source, options: &LoadOptions) -> Result<Lowered, Error> {
    contained(source, || {
        lower_timed(source, options, &mut Timings::default())
    })
}

/// The stages up to the IR, each timed.
fn lower_timed(
    source: &Source,
    options: &LoadOptions,
    timings: &mut Timings,
) -> Result<Lowered, Error> {
    let started = Instant::now();
    let mut diagnostics = diagnostics::Diagnostics::new(options.strict);
    let document = load::load(source, &mut diagnostics)?;
    timings.load = started.elapsed();

    // The schema definitions of the wire contract read only the document: they are
    // translated on another core while the document is validated and lowered (and thrown
    // away if validation fails). A scoped thread, not `rayon::join`: that runs both halves on
    // the pool's workers, and the format stage that follows on the same workers was about 40%
    // slower on the GitHub spec (`cargo xtask bench --only github`, alternating runs).
    let (definitions, lowered) = std::thread::scope(|scope| {
        let definitions = scope.spawn(|| lower::definitions(&document));
        let lowered = validate_and_lower(&document, &mut diagnostics, timings);
        let definitions = definitions
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (definitions, lowered)
    });
    let mut api = lowered?;
    let started = Instant::now();
    let contracts = lower::contracts(&document, &api, definitions);
    api.wire = contracts.operations;
    api.webhook_wire = contracts.webhooks;
    timings.lower += started.elapsed();
    Ok(Lowered {
        api,
        warnings: diagnostics.locate(&document.sources),
        files_read: document.sources.files.len(),
    })
}

/// Validation, then lowering, each stopping at its errors.
fn validate_and_lower(
    document: &document::Document,
    diagnostics: &mut diagnostics::Diagnostics,
    timings: &mut Timings,
) -> Result<ir::Api, Error> {
    let started = Instant::now();
    resolve::validate(document, diagnostics);
    diagnostics.checkpoint(&document.sources)?;
    timings.resolve = started.elapsed();

    let started = Instant::now();
    let api = lower::lower(document, diagnostics);
    diagnostics.checkpoint(&document.sources)?;
    timings.lower = started.elapsed();
    Ok(api)
}

/// Runs the whole pipeline on one spec.
pub fn generate(source: &Source, settings: &Settings) -> Result<Generated, Error> {
    contained(source, || generate_inner(source, settings))
}

fn generate_inner(source: &Source, settings: &Settings) -> Result<Generated, Error> {
    let mut timings = Timings::default();
    let options = LoadOptions {
        strict: settings.strict,
    };
    let lowered = lower_timed(source, &options, &mut timings)?;
    let api = &lowered.api;

    let started = Instant::now();
    let pending = emit::emit(api, settings)
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
        webhooks: api.webhooks.len(),
        types: api.types.len(),
        dialect: api.dialect,
        files_read: lowered.files_read,
        warnings: lowered.warnings,
        timings,
    })
}

/// Runs a stage so that a panic (of the generator or of a dependency) is reported as an
/// error about the spec instead of taking the caller down.
fn contained<T>(source: &Source, run: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            Err(internal(
                source,
                format!("the generator panicked: {message}"),
            ))
        }
    }
}

/// A failure of the generator itself, reported like a diagnostic so callers handle one type.
fn internal(source: &Source, message: String) -> Error {
    Error::file(
        source.path.clone(),
        format!("internal error (please report): {message}"),
    )
}
