//! `load` (and validation and lowering after it) on arbitrary bytes read as a YAML file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The generator reads text; bytes that are not UTF-8 are read as the text they give.
    let text = String::from_utf8_lossy(data);
    contractgen_fuzz::lower_text("fuzzed.yaml", &text, false);
});
