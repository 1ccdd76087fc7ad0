//! What a generated client encodes (`params::encode`) a generated server decodes back
//! (`server::path_values` then `server::path`, `server::query`), for every style and explode. Found by the
//! `param_decode` fuzz target: exploded label and matrix arrays and exploded objects in a
//! path (`.1.2`, `;id=1;id=2`, `color=red,size=2`) and exploded form objects in a query
//! (`color=red&size=2`, OpenAPI's default for an object query parameter) did not decode.
#![cfg(feature = "server")]

use contract_runtime::params::{self, Encoded, Layout, Query, Select};
use contract_runtime::server;
use contract_runtime::{Location, Style};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Filter {
    color: String,
    size: i32,
}

fn filter() -> Filter {
    Filter {
        color: "red".into(),
        size: -2,
    }
}

fn encode_path<T: Serialize>(name: &str, value: &T, style: Style, explode: bool) -> String {
    let value = params::to_value(value).unwrap();
    match params::encode(name, Layout::new(Location::Path, style, explode), &value) {
        Encoded::Path(segment) => segment,
        other => panic!("a path parameter encoded as {other:?}"),
    }
}

fn encode_query<T: Serialize>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Vec<(String, String)> {
    let value = params::to_value(value).unwrap();
    match params::encode(name, Layout::new(Location::Query, style, explode), &value) {
        Encoded::Query(pairs) => pairs,
        other => panic!("a query parameter encoded as {other:?}"),
    }
}

/// Reads `f` as the generated router does: an exploded form object from the query's own
/// keys (its properties), anything else by name.
fn read_query<T: serde::de::DeserializeOwned>(
    query: &Query,
    style: Style,
    explode: bool,
    object: bool,
    required: bool,
) -> Result<Option<T>, server::Rejection> {
    if object && style == Style::Form && explode {
        server::query_object(query, "f", Select::Properties(&["color", "size"]), required)
    } else {
        server::query(query, "f", style, explode, required)
    }
}

/// The path parameters as the generated router hands them over: matched against the
/// template, still percent-encoded (the codec splits a style's separators before decoding).
fn captured(segment: &str) -> Vec<(String, String)> {
    server::path_values(&format!("/items/{segment}"), "/items/{id}")
        .unwrap_or_else(|rejection| panic!("{segment:?}: {rejection:?}"))
}

fn path_round_trip<T>(value: &T, style: Style, explode: bool)
where
    T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let segment = encode_path("id", value, style, explode);
    let decoded: T = server::path(&captured(&segment), "id", style, explode)
        .unwrap_or_else(|rejection| {
            panic!("{style:?} explode={explode}: {segment:?}: {rejection:?}")
        })
        .unwrap();
    assert_eq!(&decoded, value, "{style:?} explode={explode}: {segment:?}");
}

#[test]
fn path_parameters_round_trip_in_every_style() {
    for style in [Style::Simple, Style::Label, Style::Matrix] {
        for explode in [false, true] {
            path_round_trip(&5i64, style, explode);
            path_round_trip(&"a.b".to_string(), style, explode);
            // Characters the styles use as separators, and ones a path must escape.
            path_round_trip(&"a,b;c=d e/f%".to_string(), style, explode);
            path_round_trip(&vec![1i64, -2, 3], style, explode);
            path_round_trip(&vec![7i64], style, explode);
            path_round_trip(&filter(), style, explode);
        }
    }
}

fn query_round_trip<T>(value: &T, style: Style, explode: bool)
where
    T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let mut pairs = encode_query("f", value, style, explode);
    // Another parameter beside it, which must not be taken for one of its properties.
    pairs.push(("limit".to_string(), "10".to_string()));
    let query = params::query_string(&pairs);
    let object = params::to_value(value).unwrap().is_object();
    let decoded: T = read_query(&Query::parse(Some(&query)), style, explode, object, true)
        .unwrap_or_else(|rejection| panic!("{style:?} explode={explode}: {query:?}: {rejection:?}"))
        .unwrap();
    assert_eq!(&decoded, value, "{style:?} explode={explode}: {query:?}");
}

#[test]
fn query_parameters_round_trip_in_every_style() {
    for (style, explodes) in [
        (Style::Form, &[false, true][..]),
        (Style::SpaceDelimited, &[false][..]),
        (Style::PipeDelimited, &[false][..]),
        (Style::DeepObject, &[true][..]),
    ] {
        for &explode in explodes {
            if style != Style::DeepObject {
                query_round_trip(&vec![1i64, -2, 3], style, explode);
                query_round_trip(&4i64, style, explode);
            }
            query_round_trip(&filter(), style, explode);
        }
    }
}

#[test]
fn an_absent_exploded_object_is_absent() {
    // Only other parameters in the query: the object is not there (and not an error).
    let query = Query::parse(Some("limit=10&other=x"));
    let found: Option<Filter> = read_query(&query, Style::Form, true, true, false).unwrap();
    assert_eq!(found, None);
    let refused = read_query::<Filter>(&query, Style::Form, true, true, true).unwrap_err();
    assert!(refused.message.contains("is required"), "{refused:?}");
    // A property of the wrong type is reported as such (without its value).
    let query = Query::parse(Some("color=red&size=big"));
    let refused = read_query::<Filter>(&query, Style::Form, true, true, true).unwrap_err();
    assert!(!refused.message.contains("big"), "{refused:?}");
    // An optional scalar beside them is still absent.
    let found: Option<i64> = server::query(&query, "limit", Style::Form, true, false).unwrap();
    assert_eq!(found, None);
}
