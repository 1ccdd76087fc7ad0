//! What the fuzz targets share: running the generator and judging its answer.
//!
//! A panic anywhere aborts the process (libFuzzer's panic hook runs before
//! `contractgen::generate`'s `catch_unwind` could catch it), so every panic is a crash the
//! fuzzer saves. A panic that was caught and reported, or any other failure of the generator
//! itself, comes back as a diagnostic starting with `internal error`: that is a crash too.

use contractgen::{Diagnostic, Error, Settings, Source};

pub fn settings(strict: bool) -> Settings {
    Settings {
        crate_name: "fuzzed-api".into(),
        spec_label: "fuzzed".into(),
        command: "cargo xtask fuzz".into(),
        runtime_path: "../../runtime".into(),
        strict,
    }
}

/// Fails (panics, so libFuzzer saves the input) if the generator reported a failure of its
/// own instead of a finding about the spec.
pub fn assert_no_internal_error(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        assert!(
            !diagnostic.message.starts_with("internal error"),
            "the generator failed internally: {diagnostic}"
        );
    }
}

/// Every diagnostic names a file; an error result holds at least one error.
pub fn judge_error(error: &Error) {
    assert_no_internal_error(&error.diagnostics);
    assert!(
        error.errors().next().is_some(),
        "an Err without an error diagnostic: {error:?}"
    );
}

/// Load, validate and lower a text as the file `name` (its extension says YAML or JSON).
pub fn lower_text(name: &str, text: &str, strict: bool) {
    let source = Source::new(name, text);
    let options = contractgen::LoadOptions { strict };
    match contractgen::lower_with(&source, &options) {
        Ok(lowered) => assert_no_internal_error(&lowered.warnings),
        Err(error) => judge_error(&error),
    }
}
