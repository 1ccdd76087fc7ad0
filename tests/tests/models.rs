//! Model generation, one small adversarial spec per schema feature: the generated code is
//! snapshotted, and all of it must compile cleanly (`cargo clippy -D warnings`).

use std::path::{Path, PathBuf};
use std::process::Command;

use contractgen::{Generated, Settings, Source};

/// A fixture: a spec file, or a folder whose `openapi.yaml` refers to the files beside it.
struct Fixture {
    /// `inline`, `multifile`: names the snapshot, the crate and its behaviour test.
    name: String,
    /// The entry file, read from disk (so that `$ref`s to other files resolve).
    entry: PathBuf,
    /// As the preamble names it.
    label: String,
    strict: bool,
}

fn fixtures_in(folder: &str, strict: bool) -> Vec<Fixture> {
    contract_tests::fixture_entries(folder)
        .into_iter()
        .map(|path| {
            let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
            let (entry, label) = if path.is_dir() {
                (
                    path.join("openapi.yaml"),
                    format!("fixtures/{folder}/{file_name}/openapi.yaml"),
                )
            } else {
                (path.clone(), format!("fixtures/{folder}/{file_name}"))
            };
            Fixture {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                entry,
                label,
                strict,
            }
        })
        .collect()
}

/// The model fixtures, defect-free (generated with `--strict`).
fn fixtures() -> Vec<Fixture> {
    fixtures_in("models", true)
}

fn generate(fixture: &Fixture) -> Generated {
    let stem = fixture.name.replace('_', "-");
    let settings = Settings {
        crate_name: format!("fixture-{stem}"),
        spec_label: fixture.label.clone(),
        command: "cargo test -p contract-tests --test models".into(),
        runtime_path: Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../runtime")
            .display()
            .to_string(),
        strict: fixture.strict,
    };
    let source = Source::read(&fixture.entry).unwrap_or_else(|err| panic!("{err}"));
    contractgen::generate(&source, &settings).unwrap_or_else(|err| panic!("{err}"))
}

fn rust_files(generated: &Generated) -> String {
    generated
        .files
        .iter()
        .filter(|file| file.path.ends_with(".rs") && file.path != "src/lib.rs")
        .map(|file| format!("==> {}\n{}", file.path, file.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn model_snapshots() {
    for fixture in fixtures() {
        let name = &fixture.name;
        insta::assert_snapshot!(format!("models_{name}"), rust_files(&generate(&fixture)));
    }
}

#[test]
fn generation_is_deterministic() {
    for fixture in fixtures() {
        let first = generate(&fixture).files;
        let second = generate(&fixture).files;
        assert_eq!(first, second, "{}", fixture.label);
    }
}

/// The profile of the scratch workspaces generated crates are built in (both share
/// `target/fixture-target`): the fixture crates' test binaries link there, and without debug
/// info and incremental state they take a few GiB of disk rather than tens.
const SCRATCH_PROFILE: &str = "\n[profile.dev]\ndebug = false\nincremental = false\n";

/// Every fixture crate, built together in a scratch workspace with warnings denied, then
/// exercised by the behaviour tests in `fixtures/behaviour/` (copied in as the crate's tests).
#[test]
fn fixture_crates_compile_without_warnings_and_behave() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let scratch = root.join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n{SCRATCH_PROFILE}"),
    )
    .unwrap();
    // The repaired fixtures too: what a defective spec gives must compile as well.
    let repaired = fixtures_in("repairs", false)
        .into_iter()
        .map(|mut fixture| {
            fixture.name = format!("repaired_{}", fixture.name);
            fixture
        });
    for fixture in fixtures().into_iter().chain(repaired) {
        let stem = fixture.name.clone();
        let dir = scratch.join("crates").join(&stem);
        for file in generate(&fixture).files {
            let target = dir.join(&file.path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, file.contents).unwrap();
        }
        let behaviour = root
            .join("tests/fixtures/behaviour")
            .join(format!("{stem}.rs"));
        if behaviour.exists() {
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).unwrap();
            let manifest = dir.join("Cargo.toml");
            let mut text = std::fs::read_to_string(&manifest).unwrap();
            text.push_str(concat!(
                "\n[dev-dependencies]\nserde_json = \"1\"\n",
                "tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\"] }\n",
                "axum = { version = \"0.8\", default-features = false, features = [\"tokio\", \"http1\"] }\n",
                "tower = { version = \"0.5\", default-features = false, features = [\"util\"] }\n",
                "reqwest = { version = \"0.13\", default-features = false }\n",
            ));
            std::fs::write(manifest, text).unwrap();
        }
        if let Some(test) = examples_test(&fixture) {
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            std::fs::write(dir.join("tests/examples.rs"), test).unwrap();
        }
    }
    let cargo = |args: &[&str]| {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", root.join("target/fixture-target"))
            .output()
            .expect("cargo runs")
    };
    let clippy = cargo(&[
        "clippy",
        "--quiet",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        clippy.status.success(),
        "fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
    let test = cargo(&["test", "--quiet", "--workspace", "--all-features"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "fixture behaviour tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    // Every test of the behaviour files must really have run.
    let expected: usize = std::fs::read_dir(root.join("tests/fixtures/behaviour"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .map(|text| {
            text.lines()
                .filter(|line| matches!(line.trim(), "#[test]" | "#[tokio::test]"))
                .count()
        })
        .sum();
    let passed: usize = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(
        passed >= expected && expected >= 26,
        "expected the {expected} behaviour tests to run, saw {passed} passing:\n{stdout}"
    );
}

/// A test for a fixture crate: every example of its spec deserialises into the type the
/// generator gave it and serialises back to the same JSON (numbers compared by value, so that
/// `2` and `2.0` agree). `None` for a spec without examples.
fn examples_test(fixture: &Fixture) -> Option<String> {
    let source = Source::read(&fixture.entry).unwrap();
    let api = contractgen::lower_with(
        &source,
        &contractgen::LoadOptions {
            strict: fixture.strict,
        },
    )
    .unwrap_or_else(|err| panic!("{err}"))
    .api;
    if api.examples.is_empty() {
        return None;
    }
    let krate = format!("fixture_{}", fixture.name);
    let types = contractgen::emit::Types::qualified(&api);
    let mut cases = String::new();
    for example in &api.examples {
        let ty = types
            .of(&example.ty)
            .to_string()
            .replace("crate ::", &format!("{krate} ::"));
        let json = serde_json::to_string(&example.value).unwrap();
        cases.push_str(&format!(
            "    check::<{ty}>({pointer:?}, {json:?});\n",
            pointer = example.pointer
        ));
    }
    Some(format!(
        r##"//! Every example of the fixture, through its generated type and back (written by tests/models.rs).

fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {{
    use serde_json::Value;
    match (a, b) {{
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (Value::Object(a), Value::Object(b)) => {{
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same(value, other)))
        }}
        (a, b) => a == b,
    }}
}}

fn check<T: serde::Serialize + serde::de::DeserializeOwned>(pointer: &str, json: &str) {{
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let typed: T = serde_json::from_str(json).unwrap_or_else(|err| panic!("#{{pointer}} does not deserialise: {{err}}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert!(same(&original, &back), "#{{pointer}}: {{original}} came back as {{back}}");
}}

#[test]
fn examples_round_trip() {{
{cases}}}
"##
    ))
}

/// A spec past `TAG_FEATURES_FROM` operations, written here: tags `pets` and `stores`, a model
/// per tag, one both use, and one no operation uses.
fn tagged_spec() -> String {
    let operations = contractgen::emit::TAG_FEATURES_FROM / 2;
    let mut paths = String::new();
    for (tag, model) in [("pets", "Pet"), ("stores", "Store")] {
        for n in 0..operations {
            paths.push_str(&format!(
                "  /{tag}/{n}:\n    get:\n      operationId: get_{tag}_{n}\n      tags: [{tag}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{ $ref: '#/components/schemas/{model}' }}\n"
            ));
        }
    }
    format!(
        "openapi: 3.0.3\ninfo: {{ title: tagged, version: '1' }}\npaths:\n{paths}components:\n  schemas:\n    Owner: {{ type: object, properties: {{ name: {{ type: string }} }} }}\n    Pet: {{ type: object, properties: {{ owner: {{ $ref: '#/components/schemas/Owner' }} }} }}\n    Store: {{ type: object, properties: {{ owner: {{ $ref: '#/components/schemas/Owner' }} }} }}\n    Orphan: {{ type: object, properties: {{ at: {{ type: string, format: date-time }} }} }}\n"
    )
}

/// Large specs get a feature per tag: each model is compiled only for the tags that use it,
/// and a crate with one tag enabled builds cleanly on its own.
#[test]
fn large_specs_get_a_feature_per_tag() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let settings = Settings {
        crate_name: "fixture-tagged".into(),
        spec_label: "tagged.yaml".into(),
        command: "cargo test -p contract-tests --test models".into(),
        runtime_path: root.join("runtime").display().to_string(),
        strict: false,
    };
    let generated = contractgen::generate(&Source::new("tagged.yaml", tagged_spec()), &settings)
        .unwrap_or_else(|err| panic!("{err}"));
    let file = |path: &str| {
        generated
            .files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.contents.clone())
            .unwrap()
    };
    let manifest = file("Cargo.toml");
    assert!(manifest.contains("default = [\"all-tags\"]"), "{manifest}");
    assert!(
        manifest.contains("all-tags = [\n    \"tag-pets\",\n    \"tag-stores\",\n]"),
        "{manifest}"
    );
    assert!(manifest.contains("server = [\"all-tags\", "), "{manifest}");
    let models = file("src/models.rs");
    for (cfg, model) in [
        ("#[cfg(feature = \"tag-pets\")]", "pub struct Pet "),
        ("#[cfg(feature = \"tag-stores\")]", "pub struct Store "),
        (
            "#[cfg(any(feature = \"tag-pets\", feature = \"tag-stores\"))]",
            "pub struct Owner ",
        ),
        ("#[cfg(feature = \"all-tags\")]", "pub struct Orphan "),
    ] {
        let at = models
            .find(model)
            .unwrap_or_else(|| panic!("{model} missing"));
        let before = &models[..at];
        let last_cfg = before.rfind("#[cfg(").unwrap();
        assert!(
            before[last_cfg..].starts_with(cfg),
            "{model}: {}",
            &before[last_cfg..]
        );
    }

    let scratch = root.join("target/tagged-crate");
    let _ = std::fs::remove_dir_all(&scratch);
    for file in &generated.files {
        let target = scratch.join(&file.path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.contents).unwrap();
    }
    let manifest_path = scratch.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest_path).unwrap();
    text.push_str(&format!("\n[workspace]\n{SCRATCH_PROFILE}"));
    std::fs::write(&manifest_path, text).unwrap();
    for features in ["tag-pets,client", "tag-stores", ""] {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["clippy", "--quiet", "--no-default-features"])
            .args(["--features", features])
            .args(["--", "-D", "warnings"])
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", root.join("target/fixture-target"))
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the crate with features `{features}` does not build cleanly:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
