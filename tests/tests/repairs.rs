//! The defects real specs carry: by default each is repaired and reported as a located
//! warning, and the spec generates; with `--strict` each is an error. One fixture per repair
//! (`fixtures/repairs/`), both outcomes snapshotted. The crates the repaired fixtures give are
//! compiled with the model fixtures (`tests/models.rs`).

use std::path::{Path, PathBuf};

use contractgen::{Settings, Severity, Source};

fn fixtures() -> Vec<PathBuf> {
    contract_tests::fixture_entries("repairs")
}

fn settings(strict: bool) -> Settings {
    Settings {
        crate_name: "fixture".into(),
        spec_label: "fixture".into(),
        command: "cargo test -p contract-tests --test repairs".into(),
        runtime_path: "../../runtime".into(),
        strict,
    }
}

fn source(path: &Path) -> (String, Source) {
    let label = format!(
        "fixtures/repairs/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let text = std::fs::read_to_string(path).unwrap();
    (label.clone(), Source::new(label, text))
}

#[test]
fn each_repair_is_a_located_warning_by_default() {
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (label, source) = source(&path);
        let generated = contractgen::generate(&source, &settings(false))
            .unwrap_or_else(|err| panic!("{name} should generate with warnings:\n{err}"));
        assert!(!generated.warnings.is_empty(), "{name}: no warning");
        for warning in &generated.warnings {
            assert_eq!(warning.severity, Severity::Warning, "{name}");
            assert_eq!(warning.file, Path::new(&label), "{name}");
            assert!(warning.line.is_some(), "{name}: no line in {warning}");
        }
        let text: Vec<String> = generated
            .warnings
            .iter()
            .map(|warning| format!("warning: {warning}"))
            .collect();
        insta::assert_snapshot!(format!("repairs_{name}"), text.join("\n"));
    }
}

#[test]
fn strict_turns_each_repair_into_an_error() {
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (_, source) = source(&path);
        let error = match contractgen::generate(&source, &settings(true)) {
            Ok(_) => panic!("{name} generated under --strict"),
            Err(error) => error,
        };
        assert!(
            error
                .diagnostics
                .iter()
                .all(|diagnostic| diagnostic.severity == Severity::Error),
            "{name}: {error}"
        );
        insta::assert_snapshot!(format!("strict_{name}"), error.to_string());
    }
}

#[test]
fn the_contracts_in_specs_are_free_of_defects() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut count = 0;
    for entry in std::fs::read_dir(specs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        let source = Source::read(&path).unwrap();
        let generated = contractgen::generate(&source, &settings(false)).unwrap();
        assert!(
            generated.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            generated.warnings
        );
        count += 1;
    }
    assert_eq!(count, 5);
}
