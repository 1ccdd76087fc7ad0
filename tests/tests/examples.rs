//! Every example in `specs/` deserialises into its generated type and serialises back to the
//! same JSON. The serialised forms are snapshotted per spec.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

struct Case {
    spec: &'static str,
    pointer: &'static str,
    rust_type: &'static str,
    json: &'static str,
    round_trip: fn(&str) -> Result<Value, String>,
}

fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<Value, String> {
    let typed: T =
        serde_json::from_str(json).map_err(|err| format!("does not deserialise: {err}"))?;
    serde_json::to_value(&typed).map_err(|err| format!("does not serialise: {err}"))
}

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

#[test]
fn examples_round_trip_through_generated_types() {
    let cases = cases();
    assert!(
        cases.len() >= 50,
        "expected the specs' examples, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut snapshots: std::collections::BTreeMap<&str, String> = Default::default();
    for case in &cases {
        let original: Value = serde_json::from_str(case.json).unwrap();
        match (case.round_trip)(case.json) {
            Ok(back) if back == original => {
                let entry = snapshots.entry(case.spec).or_default();
                entry.push_str(&format!(
                    "#{} as {}\n{}\n\n",
                    case.pointer,
                    case.rust_type,
                    serde_json::to_string_pretty(&back).unwrap()
                ));
            }
            Ok(back) => failures.push(format!(
                "{} #{} ({}): round trip changed the value\n  before: {original}\n  after:  {back}",
                case.spec, case.pointer, case.rust_type
            )),
            Err(err) => failures.push(format!(
                "{} #{} ({}): {err}",
                case.spec, case.pointer, case.rust_type
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (spec, text) in snapshots {
        let name = spec
            .trim_start_matches("specs/")
            .trim_end_matches(".yaml")
            .to_string();
        insta::assert_snapshot!(format!("examples_{name}"), text);
    }
}
