//! `load` (and validation and lowering after it) on arbitrary bytes read as a JSON file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    contractgen_fuzz::lower_text("fuzzed.json", &text, false);
});
