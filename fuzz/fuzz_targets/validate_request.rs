//! The validation layer's request path: `Contract::find` and `Contract::check_request`
//! against one of the five contracts' `contract.json`, with an arbitrary method, path,
//! query, headers and body; then the same request through the tower layer
//! (`ValidationLayer`, enforcing or reporting, plain or documented refusals) in front of a
//! service answering with an arbitrary response, which the layer checks too.
#![no_main]

use std::convert::Infallible;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use axum::body::Body;
use contract_runtime::contract::{Contract, RequestView};
use contract_runtime::validate::{ValidationLayer, ViolationLog};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, header};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tower::{Layer, ServiceExt};

const CONTRACTS: [&str; 5] = [
    include_str!("../../generated/zrok/contract.json"),
    include_str!("../../generated/kestra/contract.json"),
    include_str!("../../generated/persona/contract.json"),
    include_str!("../../generated/pterodactyl/contract.json"),
    include_str!("../../generated/soracom/contract.json"),
];

fn contracts() -> &'static [Contract] {
    static CONTRACTS_READ: OnceLock<Vec<Contract>> = OnceLock::new();
    CONTRACTS_READ.get_or_init(|| {
        CONTRACTS
            .iter()
            .map(|text| Contract::from_json(text).expect("a generated contract reads"))
            .collect()
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime")
    })
}

/// A JSON value of bounded depth (the input's length bounds its size).
#[derive(Debug, Arbitrary)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Word(Word),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

#[derive(Debug, Arbitrary)]
enum Word {
    Email,
    Password,
    Token,
    Uuid,
    DateTime,
    Empty,
    Long,
}

#[derive(Debug, Arbitrary)]
enum Key {
    Known(u8),
    Other(String),
}

/// Property names the five contracts use, so that objects reach their schemas.
const KEYS: &[&str] = &[
    "email",
    "password",
    "token",
    "newPassword",
    "oldPassword",
    "name",
    "description",
    "allowed_ips",
    "username",
    "reset_token",
    "authKeyId",
    "authKey",
    "operatorId",
    "userName",
    "tokenTimeoutSeconds",
    "mfaOTPCode",
    "current_password",
    "identifier",
    "invitationId",
    "tenant",
    "id",
    "data",
    "attributes",
    "type",
    "meta",
];

impl Json {
    fn value(&self, depth: usize) -> Value {
        if depth > 6 {
            return Value::Null;
        }
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Int(i) => Value::from(*i),
            Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Text(text) => Value::String(text.clone()),
            Json::Word(word) => Value::String(
                match word {
                    Word::Email => "alice@example.com",
                    Word::Password => "Sup3r-secret!",
                    Word::Token => "0123456789abcdef0123456789abcdef",
                    Word::Uuid => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    Word::DateTime => "2026-01-01T00:00:00Z",
                    Word::Empty => "",
                    Word::Long => "a very long value that is longer than most limits in these contracts, and then some more text to be sure",
                }
                .to_string(),
            ),
            Json::Array(items) => {
                Value::Array(items.iter().map(|item| item.value(depth + 1)).collect())
            }
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            Key::Known(index) => KEYS[usize::from(*index) % KEYS.len()].to_string(),
                            Key::Other(text) => text.clone(),
                        };
                        (key, value.value(depth + 1))
                    })
                    .collect(),
            ),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum BodyInput {
    None,
    Bytes(Vec<u8>),
    Json(Json),
    /// The operation's own example, with one property replaced.
    Example {
        replace: Option<(Key, Json)>,
    },
}

#[derive(Debug, Arbitrary)]
enum MediaInput {
    None,
    /// One the operation documents (by index).
    Documented(u8),
    Json,
    Form,
    Text,
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum HeaderInput {
    Authorization(String),
    Bearer(String),
    Basic(Vec<u8>),
    Cookie(String),
    ApiKey(String),
    ContentLength(String),
    Other(String, String),
}

#[derive(Debug, Arbitrary)]
struct ResponseInput {
    status: u16,
    media: MediaInput,
    body: BodyInput,
    header: Option<(String, String)>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    contract: u8,
    /// An operation whose template the path fills, or none for `raw_path`.
    operation: Option<u8>,
    /// A method of the operation, or any.
    method: Option<String>,
    fill: Vec<String>,
    raw_path: String,
    query: Option<String>,
    headers: Vec<HeaderInput>,
    media: MediaInput,
    body: BodyInput,
    through_layer: bool,
    report_only: bool,
    documented_refusals: bool,
    response: ResponseInput,
}

fn fill_template(template: &str, fill: &[String]) -> String {
    let mut out = String::new();
    let mut values = fill.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let value = values.next().map_or("x", String::as_str);
        out.push_str(
            &percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn media_type(media: &MediaInput, documented: &[&str]) -> Option<String> {
    match media {
        MediaInput::None => None,
        MediaInput::Documented(index) if !documented.is_empty() => {
            Some(documented[usize::from(*index) % documented.len()].to_string())
        }
        MediaInput::Documented(_) | MediaInput::Json => Some("application/json".into()),
        MediaInput::Form => Some("application/x-www-form-urlencoded".into()),
        MediaInput::Text => Some("text/plain; charset=utf-8".into()),
        MediaInput::Other(text) => Some(text.clone()),
    }
}

fn body_bytes(body: &BodyInput, examples: &[&Value]) -> Vec<u8> {
    match body {
        BodyInput::None => Vec::new(),
        BodyInput::Bytes(bytes) => bytes.clone(),
        BodyInput::Json(json) => json.value(0).to_string().into_bytes(),
        BodyInput::Example { replace } => {
            let mut example = examples
                .first()
                .map_or(Value::Null, |example| (*example).clone());
            if let (Some((key, value)), Value::Object(map)) = (replace, &mut example) {
                let key = match key {
                    Key::Known(index) => {
                        match map.keys().nth(usize::from(*index) % map.len().max(1)) {
                            Some(existing) => existing.clone(),
                            None => KEYS[usize::from(*index) % KEYS.len()].to_string(),
                        }
                    }
                    Key::Other(text) => text.clone(),
                };
                map.insert(key, value.value(0));
            }
            example.to_string().into_bytes()
        }
    }
}

fn headers(input: &Input, media: Option<&str>) -> HeaderMap {
    use base64::Engine as _;
    let mut headers = HeaderMap::new();
    let mut add = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    };
    for header in &input.headers {
        match header {
            HeaderInput::Authorization(value) => add("authorization", value),
            HeaderInput::Bearer(token) => add("authorization", &format!("Bearer {token}")),
            HeaderInput::Basic(bytes) => add(
                "authorization",
                &format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                ),
            ),
            HeaderInput::Cookie(value) => add("cookie", value),
            HeaderInput::ApiKey(value) => add("x-token", value),
            HeaderInput::ContentLength(value) => add("content-length", value),
            HeaderInput::Other(name, value) => add(name, value),
        }
    }
    if let Some(media) = media {
        add("content-type", media);
    }
    headers
}

fuzz_target!(|input: Input| {
    let contracts = contracts();
    let contract = &contracts[usize::from(input.contract) % contracts.len()];
    let operations = contract.operations();
    let chosen = input
        .operation
        .map(|index| &operations[usize::from(index) % operations.len()]);
    let path = match chosen {
        Some(operation) => fill_template(operation.path.as_str(), &input.fill),
        None => input.raw_path.clone(),
    };
    let method = match (&input.method, chosen) {
        (Some(method), _) => method.clone(),
        (None, Some(operation)) => operation.method.clone(),
        (None, None) => "GET".into(),
    };
    // What the chosen operation's request body documents: its media types, their examples.
    let content = chosen
        .and_then(|operation| operation.request_body.as_ref())
        .map_or(&[][..], |body| body.content.as_slice());
    let documented: Vec<&str> = content
        .iter()
        .map(|media| media.media_type.as_str())
        .collect();
    let examples: Vec<&Value> = content.iter().flat_map(|media| &media.examples).collect();
    let media = media_type(&input.media, &documented);
    let headers = headers(&input, media.as_deref());
    let body = body_bytes(&input.body, &examples);

    // The checks themselves.
    if let Some(index) = contract.find(&method, &path) {
        let check = |headers: &HeaderMap| {
            contract.check_request(
                index,
                &RequestView {
                    method: &method,
                    path: &path,
                    query: input.query.as_deref(),
                    headers,
                    body: &body,
                },
            )
        };
        let violations = check(&headers);
        for violation in &violations {
            assert!(!violation.reason.is_empty(), "{violation:?}");
        }
        // A credential never appears in a violation: the same request with other bearer
        // tokens (of the same length) in `Authorization` gives the same reasons, where the
        // token is quoted. Only there: the same text in another header (a Content-Type of
        // `Bearer ...`) is no credential, and quoting it is fine.
        let tokens: Vec<&str> = input
            .headers
            .iter()
            .filter_map(|header| match header {
                HeaderInput::Bearer(token) if token.len() >= 4 => Some(token.as_str()),
                _ => None,
            })
            .collect();
        if !tokens.is_empty() {
            let mut other = HeaderMap::new();
            for (name, value) in &headers {
                let credential = name == header::AUTHORIZATION;
                let replaced = value.to_str().ok().filter(|_| credential).and_then(|text| {
                    let token = text.strip_prefix("Bearer ")?;
                    HeaderValue::from_str(&format!("Bearer {}", "#".repeat(token.len()))).ok()
                });
                other.append(name.clone(), replaced.unwrap_or_else(|| value.clone()));
            }
            let again = check(&other);
            for violation in &violations {
                for token in &tokens {
                    if violation.reason.contains(token) {
                        assert!(
                            again.iter().any(|other| other.reason.contains(token)),
                            "a bearer token is quoted: {violation}"
                        );
                    }
                }
            }
        }
    }

    if !input.through_layer {
        return;
    }
    // Through the tower layer, in front of a service with an arbitrary answer.
    let Ok(method) = http::Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let uri = match &input.query {
        Some(query) => format!("{path}?{query}"),
        None => path.clone(),
    };
    let Ok(uri) = uri.parse::<http::Uri>() else {
        return;
    };
    let mut request = Request::builder().method(method).uri(uri);
    *request.headers_mut().expect("a fresh builder") = headers;
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };

    let response_documented: Vec<&str> = chosen
        .map(|operation| {
            operation
                .responses
                .iter()
                .flat_map(|response| {
                    response
                        .content
                        .iter()
                        .map(|media| media.media_type.as_str())
                })
                .collect()
        })
        .unwrap_or_default();
    let response_media = media_type(&input.response.media, &response_documented);
    let response_body = body_bytes(&input.response.body, &[]);
    let status = http::StatusCode::from_u16(input.response.status.clamp(100, 999))
        .unwrap_or(http::StatusCode::OK);
    let extra = input.response.header.clone();
    let service = tower::service_fn(move |_request: Request<Body>| {
        let mut response = Response::builder().status(status);
        if let Some(media) = &response_media
            && let Ok(value) = HeaderValue::from_str(media)
        {
            response = response.header(header::CONTENT_TYPE, value);
        }
        if let Some((name, value)) = &extra
            && let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            )
        {
            response = response.header(name, value);
        }
        let response = response
            .body(Body::from(response_body.clone()))
            .expect("a response from valid parts");
        std::future::ready(Ok::<_, Infallible>(response))
    });
    let log = ViolationLog::new();
    let mut layer = ValidationLayer::new(contract).collect_into(&log);
    if input.report_only {
        layer = layer.report_only();
    }
    if input.documented_refusals {
        layer = layer.documented_refusals();
    }
    let service = layer.layer(service);
    let response = runtime().block_on(async move {
        let response = service.oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("an in-memory body").to_bytes();
        (parts, bytes)
    });
    let (parts, bytes) = response;
    // A refusal is in the error shape (or a documented body), never a 5xx of the layer's own.
    if parts.status.is_server_error() {
        assert_eq!(parts.status, status, "the layer answered {}", parts.status);
    }
    let _ = bytes;
    let _ = log.take();
});
