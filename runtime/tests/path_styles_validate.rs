//! The validation layer reads a path parameter in its style, as the router does: a label or
//! matrix parameter (`.1.2`, `;id=1;id=2`) that a generated client sends is not a violation.
#![cfg(feature = "validate")]

use contract_runtime::contract::{Contract, RequestView};
use contract_runtime::params::{self, Encoded, Layout};
use contract_runtime::{Location, Style};
use http::HeaderMap;
use serde_json::json;

fn contract(style: &str, explode: bool, schema: serde_json::Value) -> Contract {
    let document = json!({
        "title": "t",
        "version": "1",
        "operations": [{
            "id": "get",
            "method": "GET",
            "path": "/items/{id}",
            "parameters": [{
                "name": "id", "in": "path", "required": true,
                "style": style, "explode": explode, "schema": schema
            }],
            "responses": [{"status": "200"}]
        }]
    });
    Contract::from_json(&document.to_string()).unwrap()
}

fn encode_path(name: &str, value: &serde_json::Value, style: Style, explode: bool) -> String {
    match params::encode(name, Layout::new(Location::Path, style, explode), value) {
        Encoded::Path(segment) => segment,
        other => panic!("a path parameter encoded as {other:?}"),
    }
}

fn violations(contract: &Contract, path: &str) -> Vec<String> {
    let headers = HeaderMap::new();
    let index = contract.find("GET", path).expect("the path matches");
    contract
        .check_request(
            index,
            &RequestView {
                method: "GET",
                path,
                query: None,
                headers: &headers,
                body: &[],
            },
        )
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn label_and_matrix_path_parameters_are_read_in_their_style() {
    let integers = json!({"type": "array", "items": {"type": "integer"}});
    let object = json!({
        "type": "object",
        "properties": {"color": {"type": "string"}, "size": {"type": "integer"}},
        "required": ["color", "size"]
    });
    for (style_name, style) in [
        ("simple", Style::Simple),
        ("label", Style::Label),
        ("matrix", Style::Matrix),
    ] {
        for explode in [false, true] {
            let checked = contract(style_name, explode, json!({"type": "integer"}));
            let segment = encode_path("id", &json!(5), style, explode);
            let found = violations(&checked, &format!("/items/{segment}"));
            assert!(
                found.is_empty(),
                "{style_name} explode={explode} {segment}: {found:?}"
            );

            let checked = contract(style_name, explode, integers.clone());
            let segment = encode_path("id", &json!([1, 2, 3]), style, explode);
            let found = violations(&checked, &format!("/items/{segment}"));
            assert!(
                found.is_empty(),
                "{style_name} explode={explode} {segment}: {found:?}"
            );

            let checked = contract(style_name, explode, object.clone());
            let segment = encode_path("id", &json!({"color": "red", "size": 2}), style, explode);
            let found = violations(&checked, &format!("/items/{segment}"));
            assert!(
                found.is_empty(),
                "{style_name} explode={explode} {segment}: {found:?}"
            );
        }
    }
    // A value of the wrong type is still a violation.
    let checked = contract("label", true, integers);
    assert!(!violations(&checked, "/items/.1.x").is_empty());
}
