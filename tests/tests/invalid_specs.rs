//! Invalid specs: every diagnostic names the file, the JSON pointer and (where the source
//! allows) the line, and nothing panics. One golden message per fixture.

use std::path::Path;

use contractgen::{Settings, Source};

fn diagnose(name: &str) -> String {
    let label = format!("fixtures/invalid/{name}");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&label);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let settings = Settings {
        crate_name: "fixture".into(),
        spec_label: label.clone(),
        command: "test".into(),
        runtime_path: "../../runtime".into(),
        strict: false,
    };
    match contractgen::generate(&Source::new(&label, text), &settings) {
        Ok(_) => panic!("{name} was accepted"),
        Err(error) => {
            for diagnostic in &error.diagnostics {
                assert_eq!(diagnostic.file, Path::new(&label));
            }
            error.to_string()
        }
    }
}

macro_rules! invalid {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), diagnose($file));
        }
    )*};
}

invalid! {
    malformed_yaml => "malformed_yaml.yaml",
    dangling_ref => "dangling_ref.yaml",
    unsupported_version => "unsupported_version.yaml",
    swagger_1_2 => "swagger_1_2.json",
    wrong_keyword_type => "wrong_keyword_type.yaml",
    several_problems => "several_problems.yaml",
    remote_ref => "remote_ref.yaml",
    missing_fragment => "missing_fragment.yaml",
    ambiguous_paths => "ambiguous_paths.yaml",
    ref_cycle => "ref_cycle.yaml",
}

#[test]
fn every_invalid_fixture_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid");
    let count = std::fs::read_dir(dir).unwrap().count();
    assert_eq!(count, 10, "add a line to `invalid!` for each new fixture");
}
