//! Writes `$OUT_DIR/examples.rs`: for every example in `specs/`, a case that deserialises it
//! into the generated type the generator assigned to it and serialises it back. The types come
//! from the generator's own IR, so a new example is tested without editing any test.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let specs = Path::new(&manifest_dir).join("../specs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let mut paths: Vec<_> = std::fs::read_dir(&specs)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    let mut out = String::from("fn cases() -> Vec<Case> {\n    vec![\n");
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let label = format!("specs/{stem}.yaml");
        let source = contractgen::Source::read(&path).unwrap_or_else(|err| panic!("{err}"));
        let api = contractgen::lower(&source).unwrap_or_else(|err| panic!("{err}"));
        let mut emitter = contractgen::emit::models::ModelsEmitter::new(&api);
        for example in &api.examples {
            let ty = emitter
                .type_tokens(&example.ty)
                .to_string()
                .replace("crate ::", &format!("{stem}_api ::"));
            let json = serde_json::to_string(&example.value).unwrap();
            writeln!(
                out,
                "        Case {{ spec: {label:?}, pointer: {pointer:?}, rust_type: {ty_text:?}, json: {json:?}, round_trip: |json| {{ #[allow(unused_imports)] use {stem}_api::models::*; round_trip::<{ty}>(json) }} }},",
                pointer = example.pointer,
                ty_text = ty,
            )
            .unwrap();
        }
    }
    out.push_str("    ]\n}\n");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("examples.rs"), out).unwrap();
}
