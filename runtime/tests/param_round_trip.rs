//! What a generated client encodes (`params::encode_*`) a generated server decodes back
//! (`server::path`, `server::query`), for every style and explode. Found by the
//! `param_decode` fuzz target: exploded label and matrix arrays and exploded objects in a
//! path (`.1.2`, `;id=1;id=2`, `color=red,size=2`) and exploded form objects in a query
//! (`color=red&size=2`, OpenAPI's default for an object query parameter) did not decode.
#![cfg(feature = "server")]

use contract_runtime::Style;
use contract_runtime::params::{encode_path, encode_query};
use contract_runtime::server;
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

/// The segment as axum hands it over: captured and percent-decoded.
fn captured(segment: &str) -> Vec<(String, String)> {
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned();
    vec![("id".to_string(), decoded)]
}

fn path_round_trip<T>(value: &T, style: Style, explode: bool)
where
    T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let segment = encode_path("id", value, style, explode).unwrap();
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
    let pairs = encode_query("f", value, style, explode).unwrap();
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        serializer.append_pair(key, value);
    }
    // Another parameter beside it, which must not be taken for one of its properties.
    serializer.append_pair("limit", "10");
    let query = serializer.finish();
    let pairs = server::query_pairs(Some(&query));
    let decoded: T = server::query(&pairs, "f", style, explode, true)
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
    let pairs = server::query_pairs(Some("limit=10&other=x"));
    let found: Option<Filter> = server::query(&pairs, "f", Style::Form, true, false).unwrap();
    assert_eq!(found, None);
    let refused = server::query::<Filter>(&pairs, "f", Style::Form, true, true).unwrap_err();
    assert!(refused.message.contains("is required"), "{refused:?}");
    // A property of the wrong type is reported as such (without its value).
    let pairs = server::query_pairs(Some("color=red&size=big"));
    let refused = server::query::<Filter>(&pairs, "f", Style::Form, true, true).unwrap_err();
    assert!(refused.message.contains("does not fit"), "{refused:?}");
    // An optional scalar beside them is still absent.
    let found: Option<i64> = server::query(&pairs, "limit", Style::Form, true, false).unwrap();
    assert_eq!(found, None);
}
