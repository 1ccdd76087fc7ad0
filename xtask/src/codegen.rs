//! Generate-or-check: the only code that knows where specs and generated crates live.
//!
//! **Invariant:** every spec is generated in memory before anything is written, so a spec
//! with errors leaves `generated/` exactly as it was; each file is replaced atomically
//! (temporary file + rename) and only when its contents change.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use contractgen::{Generated, GeneratedFile, Settings, Source};

/// The command every generated file names in its preamble.
pub const GENERATE_COMMAND: &str = "cargo xtask generate";

/// The runtime crate, by absolute path, for crates generated outside the workspace.
pub fn runtime_path() -> String {
    let runtime = workspace_root().join("runtime");
    runtime
        .canonicalize()
        .unwrap_or(runtime)
        .display()
        .to_string()
}

pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// One crate produced from one spec of `specs/`.
pub struct SpecOutput {
    /// `zrok` for `specs/zrok.yaml`: names both the crate folder and the package.
    pub stem: String,
    pub generated: Generated,
    pub elapsed: std::time::Duration,
}

/// Spec files in `specs/`, sorted so output order never depends on the file system.
pub fn spec_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// The specs of a corpus folder: its YAML and JSON files, and the entry document of each
/// subfolder (a multi-file spec: the top-level file of the subfolder that declares `openapi`
/// or `swagger`; the files it refers to are read from there).
pub fn corpus_specs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs = spec_paths(dir)?;
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        for candidate in spec_paths(&folder)? {
            let head: String = fs::read_to_string(&candidate)
                .unwrap_or_default()
                .lines()
                .take(5)
                .collect::<Vec<_>>()
                .join("\n");
            if head.contains("openapi") || head.contains("swagger") {
                specs.push(candidate);
            }
        }
    }
    Ok(specs)
}

/// A path's file name as text, for labels and filters.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Generates every spec of `specs/` in memory; all errors of all specs are reported together.
pub fn generate_specs(root: &Path) -> Result<Vec<SpecOutput>, String> {
    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    for path in spec_paths(&root.join("specs"))? {
        let stem = stem_of(&path);
        let label = format!("specs/{}", file_name(&path));
        let settings = Settings {
            crate_name: format!("{stem}-api"),
            spec_label: label.clone(),
            command: GENERATE_COMMAND.to_string(),
            runtime_path: "../../runtime".to_string(),
            // The contracts are ours: a defect the generator would repair is an error.
            strict: true,
        };
        let started = Instant::now();
        let result = fs::read_to_string(&path)
            .map_err(|err| format!("{label}: cannot read: {err}"))
            .and_then(|text| {
                contractgen::generate(&Source::new(&label, text), &settings)
                    .map_err(|err| err.to_string())
            });
        match result {
            Ok(generated) => outputs.push(SpecOutput {
                stem,
                generated,
                elapsed: started.elapsed(),
            }),
            Err(message) => errors.push(message),
        }
    }
    if errors.is_empty() {
        Ok(outputs)
    } else {
        Err(format!("{}\nNothing was written.", errors.join("\n")))
    }
}

pub fn generate_all() -> Result<(), String> {
    let root = workspace_root();
    let outputs = generate_specs(&root)?;
    let generated_dir = root.join("generated");
    for output in &outputs {
        let dir = generated_dir.join(&output.stem);
        let counts = write_crate(&dir, &output.generated.files)
            .map_err(|err| format!("writing {}: {err}", dir.display()))?;
        println!(
            "{:<12} {:>3} operations {:>4} types  {} written, {} unchanged, {} removed  {:.1} ms",
            output.stem,
            output.generated.operations,
            output.generated.types,
            counts.written,
            counts.unchanged,
            counts.removed,
            output.elapsed.as_secs_f64() * 1000.0,
        );
    }
    for stale in stale_crates(&generated_dir, &outputs) {
        fs::remove_dir_all(&stale).map_err(|err| format!("removing {}: {err}", stale.display()))?;
        println!("removed {} (its spec is gone)", stale.display());
    }
    Ok(())
}

/// `--spec PATH --out DIR`: a crate for any spec a user brings. Repaired defects are printed
/// as warnings (errors with `strict`).
pub fn generate_one(
    spec: &Path,
    out: &Path,
    name: Option<String>,
    strict: bool,
) -> Result<(), String> {
    let source = Source::read(spec).map_err(|err| err.to_string())?;
    let stem = stem_of(spec);
    let settings = Settings {
        crate_name: name.unwrap_or_else(|| format!("{}-api", stem.replace(['.', '_'], "-"))),
        spec_label: spec.display().to_string(),
        command: format!(
            "cargo xtask generate --spec {} --out {}",
            spec.display(),
            out.display()
        ),
        runtime_path: runtime_path(),
        strict,
    };
    let started = Instant::now();
    let generated = contractgen::generate(&source, &settings).map_err(|err| err.to_string())?;
    let elapsed = started.elapsed();
    print_warnings(&generated.warnings);
    println!(
        "the crate depends on contract-runtime at {}",
        settings.runtime_path
    );
    let counts = write_crate(out, &generated.files)
        .map_err(|err| format!("writing {}: {err}", out.display()))?;
    println!(
        "{} (OpenAPI {}, {} file{}): {} operations, {} types, {} lines; {} written, {} unchanged, {} removed in {}; {:.1} ms",
        spec.display(),
        generated.dialect,
        generated.files_read,
        if generated.files_read == 1 { "" } else { "s" },
        generated.operations,
        generated.types,
        generated.lines(),
        counts.written,
        counts.unchanged,
        counts.removed,
        out.display(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// The repairs made while generating, one per line, located like errors.
pub fn print_warnings(warnings: &[contractgen::Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    eprintln!(
        "{} warning{} (defects read anyway; --strict makes them errors):",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    for warning in warnings {
        eprintln!("  warning: {warning}");
    }
}

pub fn check_all() -> Result<(), String> {
    check(&workspace_root())?;
    println!("generated/ matches specs/");
    Ok(())
}

/// Compares what `specs/` produce with `generated/`; the error is the full report.
pub fn check(root: &Path) -> Result<(), String> {
    let outputs = generate_specs(root)?;
    let generated_dir = root.join("generated");
    let mut report = Vec::new();
    for output in &outputs {
        let dir = generated_dir.join(&output.stem);
        report.extend(drift(root, &dir, &output.generated.files));
    }
    for stale in stale_crates(&generated_dir, &outputs) {
        report.push(format!(
            "extra crate {} has no spec in specs/\n",
            relative(root, &stale)
        ));
    }
    if report.is_empty() {
        return Ok(());
    }
    Err(format!(
        "generated/ is out of date with specs/:\n\n{}\nFix: run `{GENERATE_COMMAND}` and commit the result (edit specs/, never generated/).",
        report.join("\n")
    ))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Differences between one crate on disk and in memory, as readable reports.
fn drift(root: &Path, dir: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut report = Vec::new();
    let mut expected = BTreeSet::new();
    for file in files {
        let path = dir.join(&file.path);
        let shown = relative(root, &path);
        expected.insert(path.clone());
        match fs::read_to_string(&path) {
            Ok(on_disk) if on_disk == file.contents => {}
            Ok(on_disk) => {
                let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
                let unified = diff
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{shown} (on disk)"),
                        &format!("{shown} (from the spec)"),
                    )
                    .to_string();
                report.push(format!("changed {shown}:\n{unified}"));
            }
            Err(_) => report.push(format!("missing {shown}\n")),
        }
    }
    for path in files_under(dir) {
        if !expected.contains(&path) {
            report.push(format!(
                "unexpected {} (not generated from any spec)\n",
                relative(root, &path)
            ));
        }
    }
    report
}

/// Crate folders in `generated/` whose spec no longer exists.
fn stale_crates(generated_dir: &Path, outputs: &[SpecOutput]) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(generated_dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .filter(|path| !outputs.iter().any(|output| stem_of(path) == output.stem))
        .collect();
    stale.sort();
    stale
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[derive(Default)]
pub struct WriteCounts {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Writes a crate's files, each atomically and only when changed, and removes files the
/// generator no longer produces.
pub fn write_crate(dir: &Path, files: &[GeneratedFile]) -> io::Result<WriteCounts> {
    let mut counts = WriteCounts::default();
    let mut expected = BTreeSet::new();
    for file in files {
        let path = dir.join(&file.path);
        expected.insert(path.clone());
        if fs::read(&path).is_ok_and(|on_disk| on_disk == file.contents.as_bytes()) {
            counts.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut temporary = path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        fs::write(&temporary, &file.contents)?;
        fs::rename(&temporary, &path)?;
        counts.written += 1;
    }
    for path in files_under(dir) {
        if !expected.contains(&path) {
            fs::remove_file(&path)?;
            counts.removed += 1;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The drift gate, as a plain test: `cargo test` fails when generated/ is stale.
    #[test]
    fn generated_crates_match_specs() {
        if let Err(report) = check(&workspace_root()) {
            panic!("{report}");
        }
    }

    #[test]
    fn check_reports_edits_missing_and_extra_files() {
        let root = std::env::temp_dir().join(format!("contractgen-drift-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("specs")).unwrap();
        fs::copy(
            workspace_root().join("specs/zrok.yaml"),
            root.join("specs/zrok.yaml"),
        )
        .unwrap();
        assert!(
            check(&root)
                .unwrap_err()
                .contains("missing generated/zrok/src/models.rs")
        );

        let outputs = generate_specs(&root).unwrap();
        write_crate(&root.join("generated/zrok"), &outputs[0].generated.files).unwrap();
        check(&root).unwrap();

        let models = root.join("generated/zrok/src/models.rs");
        let edited =
            fs::read_to_string(&models)
                .unwrap()
                .replacen("pub struct", "pub(crate) struct", 1);
        fs::write(&models, edited).unwrap();
        fs::write(root.join("generated/zrok/src/extra.rs"), "// stray\n").unwrap();
        let report = check(&root).unwrap_err();
        assert!(
            report.contains("changed generated/zrok/src/models.rs"),
            "{report}"
        );
        assert!(report.contains("-pub(crate) struct"), "{report}");
        assert!(report.contains("+pub struct"), "{report}");
        assert!(
            report.contains("unexpected generated/zrok/src/extra.rs"),
            "{report}"
        );
        assert!(
            report.contains("Fix: run `cargo xtask generate`"),
            "{report}"
        );

        // Rewriting restores the crate and removes the stray file.
        let counts =
            write_crate(&root.join("generated/zrok"), &outputs[0].generated.files).unwrap();
        assert_eq!((counts.written, counts.removed), (1, 1));
        check(&root).unwrap();

        // A spec change is drift too, and a broken spec writes nothing.
        let spec = root.join("specs/zrok.yaml");
        let text = fs::read_to_string(&spec).unwrap();
        fs::write(
            &spec,
            text.replace(
                "description: zrok client access",
                "description: zrok client access, revised",
            ),
        )
        .unwrap();
        assert!(
            check(&root)
                .unwrap_err()
                .contains("+//! zrok client access, revised")
        );
        fs::write(
            &spec,
            text.replace(
                "$ref: '#/components/schemas/LoginRequest'",
                "$ref: '#/components/schemas/Nope'",
            ),
        )
        .unwrap();
        let error = generate_specs(&root).err().unwrap();
        assert!(error.contains("dangling $ref"), "{error}");
        assert!(error.contains("Nothing was written."), "{error}");
        let _ = fs::remove_dir_all(&root);
    }
}
