//! Inputs that once made the generator (or a dependency) panic, hang or misbehave, each at the
//! public API (`contractgen::generate`): the smallest case from the report or the fuzzer, and
//! what it must give instead. No diagnostic may be an internal error: a panic caught at the
//! library's entry point is still a bug.

use std::path::Path;

use contractgen::{Diagnostic, Settings, Severity, Source};

fn settings(strict: bool) -> Settings {
    Settings {
        crate_name: "fuzz-regression".into(),
        spec_label: "regression.yaml".into(),
        command: "cargo test -p contract-tests --test fuzz_regressions".into(),
        runtime_path: "../../runtime".into(),
        strict,
    }
}

fn assert_no_internal_error(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        assert!(
            !diagnostic.message.starts_with("internal error"),
            "the generator failed internally: {diagnostic}"
        );
    }
}

/// Issue 13: openapiv3 2.2 panicked ("somehow this parsed successfully the second time") on a
/// mapping with a duplicated key where it reads a `ReferenceOr`; the smallest case is a path
/// item with two `description:` keys. Lenient: a warning at the second key's line, the last
/// value wins. Strict: an error there.
#[test]
fn path_item_with_two_descriptions() {
    let text = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    description: one
    get:
      operationId: getA
      responses: {'200': {description: ok}}
    description: two
";
    let source = Source::new("regression.yaml", text);

    let generated = contractgen::generate(&source, &settings(false))
        .unwrap_or_else(|err| panic!("should generate with a warning:\n{err}"));
    assert_no_internal_error(&generated.warnings);
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    let warning = &generated.warnings[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.file, Path::new("regression.yaml"));
    assert_eq!(warning.pointer, "/paths/~1a/description");
    assert_eq!(warning.line, Some(9), "{warning}");
    assert!(
        warning.message.contains("more than once"),
        "{}",
        warning.message
    );
    // The last value is the one used.
    let mut diagnostics = contractgen::diagnostics::Diagnostics::new(false);
    let document = contractgen::load::load(&source, &mut diagnostics).unwrap();
    assert_eq!(document.root["paths"]["/a"]["description"], "two");

    let error = contractgen::generate(&source, &settings(true))
        .expect_err("--strict refuses a duplicated key");
    assert_no_internal_error(&error.diagnostics);
    let errors: Vec<&Diagnostic> = error.errors().collect();
    assert_eq!(errors.len(), 1, "{error}");
    assert_eq!(errors[0].pointer, "/paths/~1a/description");
    assert_eq!(errors[0].line, Some(9), "{error}");
}

/// A `$ref` may name any path: one to a device or a pipe (`/dev/zero`, `/dev/stdin`) was read
/// to its end, which never comes (unbounded memory, or a hang), and one to a huge file was
/// read whole. Only regular files are read, and only up to a limit; anything else is a
/// located error naming the file.
#[test]
fn references_to_devices_and_huge_files_are_refused() {
    let spec = |target: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{target}#/X'}}\n"
        )
    };
    // /dev/null reads as nothing at all, so it is safe to try even where the check is missing.
    let source = Source::new("regression.yaml", spec("/dev/null"));
    let error = contractgen::generate(&source, &settings(false)).expect_err("not a spec file");
    assert_no_internal_error(&error.diagnostics);
    assert!(error.to_string().contains("not a regular file"), "{error}");
    let located = error.errors().next().unwrap();
    assert_eq!(located.line, Some(11), "{error}");

    // A sparse file (no disk used) larger than the limit.
    let dir = std::env::temp_dir().join(format!("contractgen-huge-ref-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let huge = dir.join("huge.yaml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(contractgen::load::MAX_REFERENCED_FILE + 1)
        .unwrap();
    drop(file);
    let source = Source::new("regression.yaml", spec(&huge.display().to_string()));
    let started = std::time::Instant::now();
    let error = contractgen::generate(&source, &settings(false)).expect_err("too large");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_no_internal_error(&error.diagnostics);
    assert!(error.to_string().contains("larger than"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
