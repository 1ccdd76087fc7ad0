//! The whole generator (load, validation, lowering, emit, format) on OpenAPI documents built
//! from the input by `contract-specgen`, so that most inputs reach lowering and emit.
#![no_main]

use arbitrary::Unstructured;
use contractgen::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(spec) = contract_specgen::build(&mut u) else {
        return;
    };
    let source = Source::new(spec.file_name(), spec.text.as_str());
    let settings = contractgen_fuzz::settings(spec.strict);
    let first = contractgen::generate(&source, &settings);
    match &first {
        Ok(generated) => {
            contractgen_fuzz::assert_no_internal_error(&generated.warnings);
            assert!(!generated.files.is_empty(), "generated no files");
        }
        Err(error) => contractgen_fuzz::judge_error(error),
    }
    // Output depends only on (spec, settings): now and then, generate again and compare.
    if u.ratio(1, 8).unwrap_or(false) {
        let again = contractgen::generate(&source, &settings);
        match (&first, &again) {
            (Ok(first), Ok(again)) => {
                assert_eq!(first.files.len(), again.files.len());
                for (a, b) in first.files.iter().zip(&again.files) {
                    assert_eq!(a.path, b.path);
                    assert!(a.contents == b.contents, "{} differs between runs", a.path);
                }
            }
            (Err(first), Err(again)) => assert_eq!(first, again),
            _ => panic!("one run generated and the other did not"),
        }
    }
});
