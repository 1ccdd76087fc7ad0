//! The runtime's parameter decoding (`contract_runtime::server` over `params::Raw`), every
//! location, style and explode, into a few target types; and the property that what the
//! client encodes (`params::encode`) the server decodes back.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use contract_runtime::params::{self, Encoded, Layout, Query, Select};
use contract_runtime::server;
use contract_runtime::Style;
use http::{HeaderMap, HeaderName, HeaderValue, header};
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

#[derive(Debug, Clone, Copy, Arbitrary)]
enum StyleChoice {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl StyleChoice {
    fn style(self) -> Style {
        match self {
            StyleChoice::Simple => Style::Simple,
            StyleChoice::Label => Style::Label,
            StyleChoice::Matrix => Style::Matrix,
            StyleChoice::Form => Style::Form,
            StyleChoice::SpaceDelimited => Style::SpaceDelimited,
            StyleChoice::PipeDelimited => Style::PipeDelimited,
            StyleChoice::DeepObject => Style::DeepObject,
        }
    }
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
    style: StyleChoice,
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
    let style = input.style.style();
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
            let _ = server::api_key(&headers, Some(&input.query), "cookie", name);
            let _ = server::api_key(&headers, Some(&input.query), "query", name);
        }
    }
}

/// What the client lays out for a value: `None` where the codec has nothing to send.
fn encoded<T: Serialize>(
    name: &str,
    location: contract_runtime::Location,
    style: Style,
    explode: bool,
    value: &T,
) -> Option<Encoded> {
    let value = params::to_value(value).ok()?;
    Some(params::encode(name, Layout::new(location, style, explode), &value))
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
    let style = input.style.style();
    let explode = input.explode;
    let decoded: Option<T> = match input.location {
        Location::Path => {
            if !matches!(style, Style::Simple | Style::Label | Style::Matrix) {
                return;
            }
            let Some(Encoded::Path(segment)) =
                encoded(name, contract_runtime::Location::Path, style, explode, value)
            else {
                return;
            };
            // axum captures the segment and percent-decodes it.
            let captures = vec![(name.to_string(), percent_decode(&segment))];
            server::path::<T>(&captures, name, style, explode).unwrap_or_else(|rejection| {
                panic!("{style:?} explode={explode}: {segment:?} does not decode: {rejection:?}")
            })
        }
        Location::Query => {
            if matches!(style, Style::Simple | Style::Label | Style::Matrix) {
                return;
            }
            let Some(Encoded::Query(pairs)) =
                encoded(name, contract_runtime::Location::Query, style, explode, value)
            else {
                return;
            };
            let query = params::query_string(&pairs);
            let parsed = Query::parse(Some(&query));
            // An exploded form object is its properties, as the generated router reads it.
            let object = params::to_value(value).is_ok_and(|value| value.is_object());
            let decoded = if object && style == Style::Form && explode {
                server::query_object::<T>(&parsed, name, Select::Properties(&["color", "size", "tags"]), false)
            } else {
                server::query::<T>(&parsed, name, style, explode, false)
            };
            decoded.unwrap_or_else(|rejection| {
                panic!("{style:?} explode={explode}: {query:?} does not decode: {rejection:?}")
            })
        }
        Location::Header => {
            let Some(Encoded::Header(text)) =
                encoded(name, contract_runtime::Location::Header, Style::Simple, explode, value)
            else {
                return;
            };
            let mut headers = HeaderMap::new();
            let Ok(header_value) = HeaderValue::from_str(&text) else {
                return;
            };
            headers.insert("p", header_value);
            server::header::<T>(&headers, name, explode, false)
                .unwrap_or_else(|rejection| panic!("header {text:?}: {rejection:?}"))
        }
        Location::Cookie => {
            let Some(Encoded::Cookie(text)) =
                encoded(name, contract_runtime::Location::Cookie, Style::Form, explode, value)
            else {
                return;
            };
            let mut headers = HeaderMap::new();
            let Ok(header_value) = HeaderValue::from_str(&format!("{name}={text}")) else {
                return;
            };
            headers.insert(header::COOKIE, header_value);
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
