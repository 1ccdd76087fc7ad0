//! The runtime's parameter decoding (`contract_runtime::server` over `params::Raw`), every
//! location, style and explode, into a few target types; and the property that what the
//! client encodes (`params::encode`) the server decodes back.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use contract_runtime::Style;
use contract_runtime::params::{self, Encoded, Layout, Query, Select};
use contract_runtime::server;
use http::header::{self, IntoHeaderName};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Arbitrary)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// One of the seven styles, drawn as `#[derive(Arbitrary)]` draws an enum's variant (the
/// runtime's `Style` has no `Arbitrary`), so that the committed seeds keep their meaning.
fn style(u: &mut Unstructured<'_>) -> arbitrary::Result<Style> {
    const STYLES: [Style; 7] = [
        Style::Simple,
        Style::Label,
        Style::Matrix,
        Style::Form,
        Style::SpaceDelimited,
        Style::PipeDelimited,
        Style::DeepObject,
    ];
    let index = (u64::from(u32::arbitrary(u)?) * STYLES.len() as u64) >> 32;
    Ok(STYLES[index as usize])
}

#[derive(Debug, Arbitrary)]
enum Target {
    I64,
    U8,
    F64,
    Bool,
    Text,
    VecI64,
    VecText,
    OptionU32,
    OptionVecBool,
    Filter,
    Sort,
    Map,
    Char,
    Tuple,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Filter {
    color: String,
    size: i32,
    // As the generated models do: an absent optional field is not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Sort {
    Asc,
    Desc,
}

/// A text that survives every style unchanged: no delimiter, no `=`, no brackets.
#[derive(Debug, Arbitrary)]
struct Word(Vec<u8>);

impl Word {
    fn text(&self) -> String {
        let alphabet = b"abcXYZ019-_~";
        let text: String = self
            .0
            .iter()
            .take(12)
            .map(|byte| alphabet[usize::from(*byte) % alphabet.len()] as char)
            .collect();
        if text.is_empty() { "x".into() } else { text }
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    location: Location,
    #[arbitrary(with = style)]
    style: Style,
    explode: bool,
    required: bool,
    name: String,
    target: Target,
    /// A path (relative to the router), a header value or a `Cookie` header.
    raw: String,
    template: String,
    query: String,
    /// For the round trips.
    numbers: Vec<i64>,
    filter_color: Word,
    filter_size: i32,
    filter_tags: Option<Vec<Word>>,
}

fn decode_as<T: DeserializeOwned>(input: &Input) {
    let style = input.style;
    let name = input.name.as_str();
    match input.location {
        Location::Path => {
            if let Ok(captures) = server::path_values(&input.raw, &input.template) {
                let _ = server::path::<T>(&captures, name, style, input.explode);
            }
            let captures = vec![(name.to_string(), input.raw.clone())];
            let _ = server::path::<T>(&captures, name, style, input.explode);
        }
        Location::Query => {
            let query = Query::parse(Some(&input.query));
            let _ = server::query::<T>(&query, name, style, input.explode, input.required);
            let _ = server::query_object::<T>(&query, name, Select::AllBut(&["p"]), input.required);
            let _ = server::query_object::<T>(
                &query,
                name,
                Select::Properties(&["color", "size", "tags"]),
                input.required,
            );
            let _ = server::query_json::<T>(&query, name, input.required);
        }
        Location::Header => {
            let mut headers = HeaderMap::new();
            if let (Ok(header_name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&input.raw),
            ) {
                headers.insert(header_name, value);
            }
            let _ = server::header::<T>(&headers, name, input.explode, input.required);
            let _ = server::header_json::<T>(&headers, name, input.required);
        }
        Location::Cookie => {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&input.raw) {
                headers.insert(header::COOKIE, value.clone());
                headers.insert(header::AUTHORIZATION, value);
            }
            let _ = server::cookie::<T>(&headers, name, input.explode, input.required);
            let _ = server::cookie_json::<T>(&headers, name, input.required);
            // Credentials read the same headers.
            let _ = server::basic(&headers);
            let _ = server::bearer(&headers);
            let _ = server::http_credentials(&headers, "Digest");
            let _ = server::api_key(
                &headers,
                Some(&input.query),
                server::ApiKeyLocation::Cookie,
                name,
            );
            let _ = server::api_key(
                &headers,
                Some(&input.query),
                server::ApiKeyLocation::Query,
                name,
            );
        }
    }
}

/// A header map with one header, `None` where `value` cannot be a header's value.
fn one_header(name: impl IntoHeaderName, value: &str) -> Option<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_str(value).ok()?);
    Some(headers)
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// What the client encodes, the server decodes to the same value.
fn round_trip<T>(input: &Input, value: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let name = "p";
    let explode = input.explode;
    // A path takes simple, label and matrix, a query the other styles; headers are sent
    // simple and cookies form.
    let path_style = matches!(input.style, Style::Simple | Style::Label | Style::Matrix);
    let (location, style) = match input.location {
        Location::Path if path_style => (contract_runtime::Location::Path, input.style),
        Location::Query if !path_style => (contract_runtime::Location::Query, input.style),
        Location::Header => (contract_runtime::Location::Header, Style::Simple),
        Location::Cookie => (contract_runtime::Location::Cookie, Style::Form),
        Location::Path | Location::Query => return,
    };
    let Ok(json) = params::to_value(value) else {
        return;
    };
    let layout = Layout::new(location, style, explode);
    let decoded: Option<T> = match params::encode(name, layout, &json) {
        Encoded::Path(segment) => {
            // axum captures the segment and percent-decodes it.
            let captures = vec![(name.to_string(), percent_decode(&segment))];
            server::path::<T>(&captures, name, style, explode).unwrap_or_else(|rejection| {
                panic!("{style:?} explode={explode}: {segment:?} does not decode: {rejection:?}")
            })
        }
        Encoded::Query(pairs) => {
            let query = params::query_string(&pairs);
            let parsed = Query::parse(Some(&query));
            // An exploded form object is its properties, as the generated router reads it.
            let decoded = if json.is_object() && style == Style::Form && explode {
                server::query_object::<T>(
                    &parsed,
                    name,
                    Select::Properties(&["color", "size", "tags"]),
                    false,
                )
            } else {
                server::query::<T>(&parsed, name, style, explode, false)
            };
            decoded.unwrap_or_else(|rejection| {
                panic!("{style:?} explode={explode}: {query:?} does not decode: {rejection:?}")
            })
        }
        Encoded::Header(text) => {
            let Some(headers) = one_header(name, &text) else {
                return;
            };
            server::header::<T>(&headers, name, explode, false)
                .unwrap_or_else(|rejection| panic!("header {text:?}: {rejection:?}"))
        }
        Encoded::Cookie(text) => {
            let Some(headers) = one_header(header::COOKIE, &format!("{name}={text}")) else {
                return;
            };
            server::cookie::<T>(&headers, name, explode, false)
                .unwrap_or_else(|rejection| panic!("cookie {text:?}: {rejection:?}"))
        }
    };
    // An empty list or object may be sent as nothing at all.
    if let Some(decoded) = decoded {
        assert_eq!(&decoded, value, "{style:?} explode={explode}");
    }
}

fuzz_target!(|input: Input| {
    match input.target {
        Target::I64 => decode_as::<i64>(&input),
        Target::U8 => decode_as::<u8>(&input),
        Target::F64 => decode_as::<f64>(&input),
        Target::Bool => decode_as::<bool>(&input),
        Target::Text => decode_as::<String>(&input),
        Target::VecI64 => decode_as::<Vec<i64>>(&input),
        Target::VecText => decode_as::<Vec<String>>(&input),
        Target::OptionU32 => decode_as::<Option<u32>>(&input),
        Target::OptionVecBool => decode_as::<Option<Vec<bool>>>(&input),
        Target::Filter => decode_as::<Filter>(&input),
        Target::Sort => decode_as::<Sort>(&input),
        Target::Map => decode_as::<BTreeMap<String, String>>(&input),
        Target::Char => decode_as::<char>(&input),
        Target::Tuple => decode_as::<(i32, String)>(&input),
    }

    round_trip(&input, &input.numbers);
    if !input.numbers.is_empty() {
        round_trip(&input, &input.numbers[0]);
    }
    let filter = Filter {
        color: input.filter_color.text(),
        size: input.filter_size,
        tags: input
            .filter_tags
            .as_ref()
            .map(|tags| tags.iter().map(Word::text).collect()),
    };
    // Objects: deepObject and form in the query; simple in a path or header.
    if filter.tags.is_none() {
        round_trip(&input, &filter);
    }
});
