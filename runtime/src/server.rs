//! What generated axum routers call: request extraction that answers bad input with a clear
//! 4xx before any handler runs, credential checks, and responses in the documented media type.
//!
//! Every refusal has the same JSON shape:
//! `{"error": {"status": 400, "code": "invalid_query", "message": "..."}}`.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::params::{Raw, Style};

/// Settings every generated router takes.
#[derive(Debug, Clone, Copy)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes; larger bodies get 413.
    pub body_limit: usize,
    /// Longest time reading a whole request body may take, from the first poll of the body to
    /// its last byte; a body that takes longer (a client that stops sending, or sends less
    /// than its `Content-Length`) gets 408. 30 s by default.
    pub body_read_timeout: std::time::Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: 2 * 1024 * 1024,
            body_read_timeout: std::time::Duration::from_secs(30),
        }
    }
}

/// A request refused before it reached the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub status: StatusCode,
    /// Stable machine-readable reason, e.g. `missing_credentials`.
    pub code: &'static str,
    pub message: String,
    /// `WWW-Authenticate` challenge for 401s.
    pub challenge: Option<&'static str>,
}

impl Rejection {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            challenge: None,
        }
    }

    fn unauthorized(message: impl Into<String>, challenge: Option<&'static str>) -> Self {
        Self {
            challenge,
            ..Self::new(StatusCode::UNAUTHORIZED, "missing_credentials", message)
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code,
                message: &self.message,
            },
        };
        let mut response = json_response(self.status, "application/json", &body);
        if let Some(challenge) = self.challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

/// The router's fallback: no route matched.
pub async fn not_found() -> Rejection {
    Rejection::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no operation is defined at this path",
    )
}

/// The router's fallback for a known path with another method (axum adds `Allow`).
pub async fn method_not_allowed() -> Rejection {
    Rejection::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not support the method; see the Allow header",
    )
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// Path parameters by their spec names. Routes capture whole segments under positional names
/// (`{s2}`), so that templates naming the same position differently (`/repos/{owner}` and
/// `/repos/{template_owner}/generate`) share one route tree, and a segment such as
/// `{base}...{head}` is split here by its literal text. `segments` pairs each capture with the
/// spec's template for that segment.
pub async fn captures(
    parts: &mut axum::http::request::Parts,
    segments: &[(&str, &str)],
) -> Result<Vec<(String, String)>, Rejection> {
    use axum::extract::FromRequestParts;
    let raw = axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, &())
        .await
        .map(|axum::extract::Path(captures)| captures)
        .map_err(|err| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                format!("path: {err}"),
            )
        })?;
    let mut named = Vec::new();
    for (capture, template) in segments {
        let value = raw
            .iter()
            .find(|(key, _)| key == capture)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        split_segment(template, value, &mut named).ok_or_else(|| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                format!("a path segment does not match `{template}`"),
            )
        })?;
    }
    Ok(named)
}

/// Whether a request path (relative to the router) fits a spec path template, segment by
/// segment, literal text included.
pub fn path_matches(path: &str, template: &str) -> bool {
    path_params(path, template).is_some()
}

/// The path parameters of a request path (relative to the router, percent-encoded) under a
/// spec path template, decoded; `None` when the path does not fit the template.
pub fn path_params(path: &str, template: &str) -> Option<Vec<(String, String)>> {
    let mut path_segments = path.split('/');
    let mut template_segments = template.split('/');
    let mut params = Vec::new();
    loop {
        match (path_segments.next(), template_segments.next()) {
            (None, None) => return Some(params),
            (Some(value), Some(segment)) => {
                split_segment(segment, &percent_decode(value), &mut params)?;
            }
            _ => return None,
        }
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Matches one path segment against its template (`{base}...{head}`), pushing each
/// parameter's value; `None` when the literal parts are not there.
fn split_segment(template: &str, value: &str, out: &mut Vec<(String, String)>) -> Option<()> {
    let mut rest_template = template;
    let mut rest_value = value;
    while !rest_template.is_empty() {
        match rest_template.find('{') {
            Some(0) => {
                let close = rest_template.find('}')?;
                let name = &rest_template[1..close];
                rest_template = &rest_template[close + 1..];
                // The value runs to the next literal (or to the end).
                let literal_end = rest_template.find('{').unwrap_or(rest_template.len());
                let literal = &rest_template[..literal_end];
                let end = if literal.is_empty() {
                    rest_value.len()
                } else {
                    rest_value.find(literal)?
                };
                out.push((name.to_string(), rest_value[..end].to_string()));
                rest_value = &rest_value[end..];
            }
            found => {
                let end = found.unwrap_or(rest_template.len());
                let literal = &rest_template[..end];
                rest_value = rest_value.strip_prefix(literal)?;
                rest_template = &rest_template[end..];
            }
        }
    }
    rest_value.is_empty().then_some(())
}

/// Query pairs, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn param_rejection(location: &str, name: &str, message: &str) -> Rejection {
    Rejection::new(
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
        format!("{location} parameter `{name}`: {message}"),
    )
}

fn parse_raw<T: DeserializeOwned>(
    raw: &Raw,
    location: &str,
    name: &str,
    required: bool,
) -> Result<Option<T>, Rejection> {
    match raw.parse_present() {
        Ok(None) if required => Err(param_rejection(location, name, "is required")),
        Ok(found) => Ok(found),
        Err(message) => Err(param_rejection(location, name, &without_values(&message))),
    }
}

/// A required parameter: present and well-formed, or a 400.
pub fn required<T>(
    found: Result<Option<T>, Rejection>,
    location: &str,
    name: &str,
) -> Result<T, Rejection> {
    found?.ok_or_else(|| param_rejection(location, name, "is required"))
}

pub fn query<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
    style: Style,
    explode: bool,
    required: bool,
) -> Result<Option<T>, Rejection> {
    parse_raw(
        &Raw::from_query(pairs, name, style, explode),
        "query",
        name,
        required,
    )
}

/// A path parameter from axum's captures (already percent-decoded), in its style and explode.
pub fn path<T: DeserializeOwned>(
    captures: &[(String, String)],
    name: &str,
    style: Style,
    explode: bool,
) -> Result<Option<T>, Rejection> {
    let raw = captures
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| Raw::from_path(value, name, style, explode))
        .unwrap_or_default();
    parse_raw(&raw, "path", name, true)
}

pub fn header<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    required: bool,
) -> Result<Option<T>, Rejection> {
    let raw = match headers.get(name) {
        Some(value) => match value.to_str() {
            Ok(text) => Raw::single(text, Style::Simple),
            Err(_) => return Err(param_rejection("header", name, "is not visible ASCII")),
        },
        None => Raw::default(),
    };
    parse_raw(&raw, "header", name, required)
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

pub fn cookie<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    required: bool,
) -> Result<Option<T>, Rejection> {
    let raw = cookie_value(headers, name)
        .map(|value| Raw::single(value, Style::Form))
        .unwrap_or_default();
    parse_raw(&raw, "cookie", name, required)
}

// ---------------------------------------------------------------------------------------------
// Credentials

/// An API key from a header, query parameter or cookie.
pub fn api_key(
    headers: &HeaderMap,
    query: Option<&str>,
    location: &str,
    name: &str,
) -> Result<String, Rejection> {
    let found = match location {
        "header" => headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string),
        "query" => query_pairs(query)
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value),
        _ => cookie_value(headers, name).map(str::to_string),
    };
    found.filter(|key| !key.is_empty()).ok_or_else(|| {
        Rejection::unauthorized(
            format!("this operation needs an API key in {location} `{name}`"),
            None,
        )
    })
}

fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, credentials) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| credentials.trim())
}

/// A bearer token from `Authorization: Bearer ...`.
pub fn bearer(headers: &HeaderMap) -> Result<String, Rejection> {
    authorization(headers, "bearer")
        .filter(|token| !token.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            Rejection::unauthorized(
                "this operation needs `Authorization: Bearer <token>`",
                Some("Bearer"),
            )
        })
}

/// The credentials of any other HTTP authentication scheme (`Authorization: Digest ...`, a
/// vendor's own), as sent: the handler verifies them. `scheme` is the name as the spec
/// writes it, capitalised (`Digest`); it is matched without regard to case.
pub fn http_credentials(headers: &HeaderMap, scheme: &'static str) -> Result<String, Rejection> {
    authorization(headers, scheme)
        .filter(|credentials| !credentials.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            Rejection::unauthorized(
                format!("this operation needs `Authorization: {scheme} <credentials>`"),
                Some(scheme),
            )
        })
}

/// User name and password from `Authorization: Basic ...`.
pub fn basic(headers: &HeaderMap) -> Result<(String, String), Rejection> {
    use base64::Engine as _;
    let refuse = || {
        Rejection::unauthorized(
            "this operation needs `Authorization: Basic <credentials>`",
            Some("Basic"),
        )
    };
    let encoded = authorization(headers, "basic").ok_or_else(refuse)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| refuse())?;
    let text = String::from_utf8(decoded).map_err(|_| refuse())?;
    let (user, password) = text.split_once(':').ok_or_else(refuse)?;
    Ok((user.to_string(), password.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Bodies

use crate::essence as essence_of;

/// Whether a request's media type matches a documented one (ranges such as `text/*` included),
/// compared without allocating: this runs on every request.
fn media_matches(documented: &str, given: &str) -> bool {
    let documented = essence_of(documented);
    documented.eq_ignore_ascii_case(given)
        || documented == "*/*"
        || documented.strip_suffix("/*").is_some_and(|prefix| {
            given
                .split('/')
                .next()
                .is_some_and(|given_type| given_type.eq_ignore_ascii_case(prefix))
        })
}

/// Which of the documented request media types the request's `Content-Type` is: the index
/// into `accepted`, or 415.
pub fn content_type(headers: &HeaderMap, accepted: &[&str]) -> Result<usize, Rejection> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(essence_of);
    let position = given.and_then(|given| {
        accepted
            .iter()
            .position(|candidate| media_matches(candidate, given))
    });
    position.ok_or_else(|| {
        Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {} is not accepted here; send one of: {}",
                given.map_or("(none)".to_string(), |given| format!(
                    "`{}`",
                    given.to_ascii_lowercase()
                )),
                accepted.join(", ")
            ),
        )
    })
}

/// Why a request body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// More than the limit (declared in `Content-Length`, or sent): 413.
    TooLarge(usize),
    /// Not all of it arrived within the read timeout: 408.
    TimedOut(std::time::Duration),
    /// The transfer itself was broken (a malformed chunk, a connection that closed early): 400.
    Broken(String),
}

impl From<BodyError> for Rejection {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge(limit) => Rejection::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {limit} bytes"),
            ),
            BodyError::TimedOut(timeout) => Rejection::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the request body did not arrive within {} ms",
                    timeout.as_millis()
                ),
            ),
            BodyError::Broken(reason) => Rejection::new(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                format!("the request body could not be read: {reason}"),
            ),
        }
    }
}

/// Reads a whole body within `config`'s size limit and read timeout. The router and the
/// validation layer both read bodies through this, so they refuse alike.
pub async fn collect_body(
    headers: &HeaderMap,
    body: Body,
    config: &ServerConfig,
) -> Result<Bytes, BodyError> {
    let limit = config.body_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge(limit));
    }
    let read = tokio::time::timeout(config.body_read_timeout, axum::body::to_bytes(body, limit));
    match read.await {
        Err(_) => Err(BodyError::TimedOut(config.body_read_timeout)),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(err)) => {
            let inner = err.into_inner();
            if is_length_limit(inner.as_ref()) {
                Err(BodyError::TooLarge(limit))
            } else {
                Err(BodyError::Broken(inner.to_string()))
            }
        }
    }
}

/// Whether a body error is the length limit (and not, say, a malformed chunk), looking through
/// the sources it wraps.
fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}

/// Reads the whole body: more than the limit gets 413, a body that does not arrive within the
/// read timeout 408, a broken transfer 400.
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    config: &ServerConfig,
) -> Result<Bytes, Rejection> {
    collect_body(headers, body, config)
        .await
        .map_err(Rejection::from)
}

/// A required body: read within the limits, present, and in one of the `accepted` media
/// types, whose index is returned with the bytes.
pub async fn required_body(
    headers: &HeaderMap,
    body: Body,
    config: &ServerConfig,
    accepted: &[&str],
) -> Result<(usize, Bytes), Rejection> {
    optional_body(headers, body, config, accepted)
        .await?
        .ok_or_else(missing_body)
}

/// An optional body: `None` when the request has none.
pub async fn optional_body(
    headers: &HeaderMap,
    body: Body,
    config: &ServerConfig,
    accepted: &[&str],
) -> Result<Option<(usize, Bytes)>, Rejection> {
    let bytes = read_body(headers, body, config).await?;
    if bytes.is_empty() {
        return Ok(None);
    }
    let media = content_type(headers, accepted)?;
    Ok(Some((media, bytes)))
}

fn body_rejection(message: String) -> Rejection {
    Rejection::new(StatusCode::BAD_REQUEST, "invalid_body", message)
}

/// A JSON body (any `+json` type); the error names the JSON path that failed. The path is
/// tracked only on the way to an error, so well-formed requests pay for plain serde_json.
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Rejection> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let location = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        let mut rejection = body_rejection(format!(
            "invalid JSON body{location}: {}",
            without_values(&err.inner().to_string())
        ));
        // Well-formed JSON of the wrong shape, as opposed to malformed JSON.
        if err.inner().classify() == serde_json::error::Category::Data {
            rejection.code = "invalid_body_shape";
        }
        rejection
    })?;
    deserializer
        .end()
        .map_err(|err| body_rejection(format!("invalid JSON body: {err}")))?;
    Ok(value)
}

/// A serde message without the value it quotes: `invalid type: string "hunter2", expected
/// u32` becomes `invalid type: string, expected u32`. Refusals say where a value was and what
/// was wrong with it, never what it was: the value may be a password. Field and variant names
/// the schema itself defines (`missing field `email``) are kept.
pub fn without_values(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (unexpected, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let kind = unexpected
                .find([' ', '`', '"'])
                .filter(|_| unexpected.contains(['`', '"']))
                .map_or(unexpected, |end| &unexpected[..end]);
            // `floating point `1.5`` is two words before its value.
            let kind = if unexpected.starts_with("floating point") {
                "floating point"
            } else {
                kind
            };
            return if expected.is_empty() {
                format!("{prefix}{kind}")
            } else {
                format!("{prefix}{kind}, expected {expected}")
            };
        }
    }
    for prefix in ["unknown variant ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let after = rest.split_once(", expected ").map(|(_, expected)| expected);
            return match after {
                Some(expected) => format!("{}, expected {expected}", prefix.trim_end()),
                None => prefix.trim_end().to_string(),
            };
        }
    }
    // Field names come from the schema, not from the input.
    if ["missing field ", "unknown field ", "duplicate field "]
        .iter()
        .any(|prefix| message.starts_with(prefix))
    {
        return message.to_string();
    }
    // Anything else serde or a format parser says may quote the input: keep only text that
    // quotes nothing.
    if message.contains(['`', '"']) {
        return "the value does not fit the expected type".to_string();
    }
    message.to_string()
}

/// [`json_body`] for a body whose type is a struct: serde's derived structs also accept a
/// JSON array (fields by position), which the contract does not allow.
pub fn json_object_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Rejection> {
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if first == Some(&b'[') {
        let mut rejection =
            body_rejection("invalid JSON body: expected a JSON object, found an array".into());
        rejection.code = "invalid_body_shape";
        return Err(rejection);
    }
    json_body(bytes)
}

/// For operations that document 422 but not 400: well-formed JSON of the wrong shape is
/// refused with the documented 422; malformed JSON stays a 400.
pub fn unprocessable_shape(rejection: Rejection) -> Rejection {
    if rejection.code == "invalid_body_shape" {
        Rejection {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            ..rejection
        }
    } else {
        rejection
    }
}

/// An `application/x-www-form-urlencoded` body.
pub fn form_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Rejection> {
    serde_urlencoded::from_bytes(bytes)
        .map_err(|err| body_rejection(format!("invalid form body: {err}")))
}

/// A `text/*` body.
pub fn text_body(bytes: &[u8]) -> Result<String, Rejection> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| body_rejection("the text body is not UTF-8".into()))
}

/// The refusal for a required body that is empty.
pub fn missing_body() -> Rejection {
    body_rejection("a request body is required".into())
}

// ---------------------------------------------------------------------------------------------
// Responses

fn with_content_type(status: StatusCode, media_type: &str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The answer when a handler's value cannot be put on the wire (a map with non-string keys,
/// a float that is not finite): a 500 in the usual error shape, never a panic.
fn unserialisable(err: impl std::fmt::Display) -> Response {
    Rejection::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "unserialisable_response",
        format!("the handler's response could not be serialised: {err}"),
    )
    .into_response()
}

/// A JSON body with the documented media type (`application/zrok.v1+json` and friends).
pub fn json_response(status: StatusCode, media_type: &str, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_content_type(status, media_type, Body::from(bytes)),
        Err(err) => unserialisable(err),
    }
}

pub fn form_response(status: StatusCode, media_type: &str, body: &impl Serialize) -> Response {
    match serde_urlencoded::to_string(body) {
        Ok(text) => with_content_type(status, media_type, Body::from(text)),
        Err(err) => unserialisable(err),
    }
}

pub fn text_response(status: StatusCode, media_type: &str, body: String) -> Response {
    with_content_type(status, media_type, Body::from(body))
}

pub fn bytes_response(status: StatusCode, media_type: &str, body: Vec<u8>) -> Response {
    with_content_type(status, media_type, Body::from(body))
}

pub fn empty_response(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// Adds a declared response header (simple style); a value that is not a valid header is
/// dropped rather than sent malformed.
pub fn set_header(response: &mut Response, name: &str, value: &impl Serialize) {
    if let Ok(text) = crate::params::encode_simple(value)
        && let Ok(value) = HeaderValue::from_str(&text)
        && let Ok(name) = HeaderName::from_bytes(name.as_bytes())
    {
        response.headers_mut().insert(name, value);
    }
}

/// A status the spec documents as a range or `default`, checked to be a real status code.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::split_segment;

    #[test]
    fn segments_split_on_their_literals() {
        let mut out = Vec::new();
        split_segment("{base}...{head}", "main...feature/x", &mut out).unwrap();
        assert_eq!(
            out,
            vec![
                ("base".into(), "main".into()),
                ("head".into(), "feature/x".into())
            ]
        );
        let mut out = Vec::new();
        split_segment("{name}.json", "report.json", &mut out).unwrap();
        assert_eq!(out, vec![("name".into(), "report".into())]);
        assert!(split_segment("{name}.json", "report.xml", &mut Vec::new()).is_none());
        assert!(super::path_matches(
            "/compare/main...dev",
            "/compare/{base}...{head}"
        ));
        assert!(!super::path_matches(
            "/compare/main",
            "/compare/{base}...{head}"
        ));
        assert!(super::path_matches("/compare/main", "/compare/{basehead}"));
        let mut out = Vec::new();
        split_segment("{id}", "a b", &mut out).unwrap();
        assert_eq!(out, vec![("id".into(), "a b".into())]);
    }
}
