//! What generated axum routers call: request extraction that answers bad input with a clear
//! 4xx before any handler runs, credential checks, and responses in the documented media type.
//!
//! Every refusal has the same JSON shape:
//! `{"error": {"status": 400, "code": "invalid_parameter", "message": "..."}}`.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use contract_wire::PathTemplate;

use crate::params::{Encoded, Layout, Location, Raw, Style};
pub use crate::params::{Query, Select};

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

/// Why a request was refused before its handler ran. Each kind has a stable code (the
/// `code` of the error body) and the status it is answered with unless an operation
/// documents a better one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    /// None of the operation's security requirements was met: 401.
    MissingCredentials,
    /// Credentials were given but are not valid (a middleware's refusal): 401.
    InvalidCredentials,
    /// No route matches the path: 404.
    NotFound,
    /// The path matches, the method does not: 405.
    MethodNotAllowed,
    /// A parameter is missing, or does not decode in its style into its type: 400.
    InvalidParameter,
    /// `Content-Type` is missing or not one the operation documents: 415.
    UnsupportedMediaType,
    /// The body is larger than the limit: 413.
    BodyTooLarge,
    /// The body did not arrive within the read timeout: 408.
    BodyTimeout,
    /// The transfer itself was broken (a malformed chunk): 400.
    UnreadableBody,
    /// The body is not in its media type's syntax, or is required and absent: 400.
    InvalidBody,
    /// Well-formed JSON of the wrong shape: 400, or 422 where only that is documented.
    InvalidBodyShape,
    /// Well-formed input that breaks the contract's schema (the validation layer's): 400.
    ContractViolation,
    /// A route whose template does not parse (a generator bug): 500.
    InvalidRoute,
    /// The handler's response cannot be put on the wire: 500.
    UnserialisableResponse,
}

impl RefusalKind {
    pub const ALL: [RefusalKind; 14] = [
        Self::MissingCredentials,
        Self::InvalidCredentials,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::InvalidParameter,
        Self::UnsupportedMediaType,
        Self::BodyTooLarge,
        Self::BodyTimeout,
        Self::UnreadableBody,
        Self::InvalidBody,
        Self::InvalidBodyShape,
        Self::ContractViolation,
        Self::InvalidRoute,
        Self::UnserialisableResponse,
    ];

    /// The stable machine-readable code, e.g. `missing_credentials`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::MissingCredentials => "missing_credentials",
            Self::InvalidCredentials => "invalid_credentials",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidParameter => "invalid_parameter",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::BodyTooLarge => "body_too_large",
            Self::BodyTimeout => "body_timeout",
            Self::UnreadableBody => "unreadable_body",
            Self::InvalidBody => "invalid_body",
            Self::InvalidBodyShape => "invalid_body_shape",
            Self::ContractViolation => "contract_violation",
            Self::InvalidRoute => "invalid_route",
            Self::UnserialisableResponse => "unserialisable_response",
        }
    }

    /// The status this kind is answered with by default.
    pub const fn status(self) -> StatusCode {
        match self {
            Self::MissingCredentials | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::InvalidParameter
            | Self::UnreadableBody
            | Self::InvalidBody
            | Self::InvalidBodyShape
            | Self::ContractViolation => StatusCode::BAD_REQUEST,
            Self::InvalidRoute | Self::UnserialisableResponse => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

impl std::fmt::Display for RefusalKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A request refused before it reached the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The kind's status, or the one an operation documents for it.
    pub status: StatusCode,
    pub kind: RefusalKind,
    pub message: String,
    /// `WWW-Authenticate` challenge for 401s.
    pub challenge: Option<&'static str>,
}

impl Rejection {
    /// A refusal of this kind, with its default status.
    pub fn new(kind: RefusalKind, message: impl Into<String>) -> Self {
        Self {
            status: kind.status(),
            kind,
            message: message.into(),
            challenge: None,
        }
    }

    fn unauthorized(message: impl Into<String>, challenge: Option<&'static str>) -> Self {
        Self {
            challenge,
            ..Self::new(RefusalKind::MissingCredentials, message)
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
                code: self.kind.code(),
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
        RefusalKind::NotFound,
        "no operation is defined at this path",
    )
}

/// The router's fallback for a known path with another method (axum adds `Allow`).
pub async fn method_not_allowed() -> Rejection {
    Rejection::new(
        RefusalKind::MethodNotAllowed,
        "this path does not support the method; see the Allow header",
    )
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// The path parameters of a request, by their spec names, as `template` (the operation's
/// path in the spec) matches the request path (still percent-encoded: the codec splits a
/// style's separators before it decodes). Routes capture whole segments under positional
/// names (`{s2}`), so that templates naming one position differently (`/repos/{owner}` and
/// `/repos/{template_owner}/generate`) share one route tree; the template tells them apart,
/// and splits a segment such as `{base}...{head}` by its literal text.
pub fn path_values(path: &str, template: &str) -> Result<Vec<(String, String)>, Rejection> {
    let template = PathTemplate::parse(template)
        .map_err(|err| Rejection::new(RefusalKind::InvalidRoute, err.to_string()))?;
    template.match_path(path).ok_or_else(|| {
        Rejection::new(
            RefusalKind::InvalidParameter,
            format!("the path does not match `{template}`"),
        )
    })
}

/// Whether a request path (relative to the router) fits a spec path template, literal text
/// included.
pub fn path_matches(path: &str, template: &str) -> bool {
    PathTemplate::parse(template).is_ok_and(|template| template.match_path(path).is_some())
}

/// A request's query, split into pairs but not yet decoded (see [`Query`]).
pub fn query_string(query: Option<&str>) -> Query {
    Query::parse(query)
}

/// Query pairs, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A parameter as read from a request: absent (`None`), present, or refused with a 400.
pub type Param<T> = Result<Option<T>, Rejection>;

fn param_rejection(location: &str, name: &str, message: &str) -> Rejection {
    Rejection::new(
        RefusalKind::InvalidParameter,
        format!("{location} parameter `{name}`: {message}"),
    )
}

/// A parameter's raw value, read by `read` when it is there: absent is `None`, or a 400 when
/// it is required.
fn parse_with<T>(
    raw: &Raw,
    required: bool,
    read: impl FnOnce(&Raw) -> Result<T, String>,
) -> Param<T> {
    let name = raw.name();
    let location = raw.location();
    if raw.is_absent() {
        return if required {
            Err(param_rejection(location.as_str(), name, "is required"))
        } else {
            Ok(None)
        };
    }
    read(raw)
        .map(Some)
        .map_err(|message| param_rejection(location.as_str(), name, &without_values(&message)))
}

fn parse_raw<T: DeserializeOwned>(raw: &Raw, required: bool) -> Param<T> {
    parse_with(raw, required, Raw::parse)
}

/// A parameter given as `content` with a JSON media type: its text is JSON.
fn parse_json<T: DeserializeOwned>(raw: &Raw, required: bool) -> Param<T> {
    parse_with(raw, required, |raw| {
        let text = raw.scalar()?;
        serde_json::from_str(&text).map_err(|err| format!("is not the JSON documented: {err}"))
    })
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
    query: &Query,
    name: &str,
    style: Style,
    explode: bool,
    required: bool,
) -> Param<T> {
    let layout = Layout::new(Location::Query, style, explode);
    parse_raw(&Raw::from_query(name, layout, query), required)
}

/// An object query parameter of an exploded form (OpenAPI's default for objects): its
/// properties are the query's own pairs, picked by `select`.
pub fn query_object<T: DeserializeOwned>(
    query: &Query,
    name: &str,
    select: Select<'_>,
    required: bool,
) -> Param<T> {
    parse_raw(&Raw::from_query_object(name, query, select), required)
}

/// A path parameter, from [`path_values`].
pub fn path<T: DeserializeOwned>(
    values: &[(String, String)],
    name: &str,
    style: Style,
    explode: bool,
) -> Param<T> {
    let text = values
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str());
    let layout = Layout::new(Location::Path, style, explode);
    parse_raw(&Raw::from_path(name, layout, text), true)
}

fn header_raw(headers: &HeaderMap, name: &str, explode: bool) -> Result<Raw, Rejection> {
    let mut values = Vec::new();
    for value in headers.get_all(name) {
        values.push(
            value
                .to_str()
                .map_err(|_| param_rejection("header", name, "is not visible ASCII"))?,
        );
    }
    let layout = Layout::new(Location::Header, Style::Simple, explode);
    Ok(Raw::from_header(name, layout, &values))
}

pub fn header<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    explode: bool,
    required: bool,
) -> Param<T> {
    parse_raw(&header_raw(headers, name, explode)?, required)
}

/// The value of the cookie `name`, from every `Cookie` header (parsed by the `cookie` crate,
/// as RFC 6265 writes them: `a=1; b=2`).
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    cookies(headers)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

/// Every cookie the request carries.
pub(crate) fn cookies(headers: &HeaderMap) -> impl Iterator<Item = cookie::Cookie<'_>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
}

pub fn cookie<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    explode: bool,
    required: bool,
) -> Param<T> {
    let layout = Layout::new(Location::Cookie, Style::Form, explode);
    let raw = Raw::from_cookie(name, layout, cookie_value(headers, name).as_deref());
    parse_raw(&raw, required)
}

/// A parameter given as `content` with a JSON media type, in the query.
pub fn query_json<T: DeserializeOwned>(query: &Query, name: &str, required: bool) -> Param<T> {
    let layout = Layout::new(Location::Query, Style::Form, true);
    parse_json(&Raw::from_query(name, layout, query), required)
}

/// A parameter given as `content` with a JSON media type, in the path.
pub fn path_json<T: DeserializeOwned>(values: &[(String, String)], name: &str) -> Param<T> {
    let text = values
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str());
    let layout = Layout::new(Location::Path, Style::Simple, false);
    parse_json(&Raw::from_path(name, layout, text), true)
}

/// A parameter given as `content` with a JSON media type, in a header.
pub fn header_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    required: bool,
) -> Param<T> {
    parse_json(&header_raw(headers, name, false)?, required)
}

/// A parameter given as `content` with a JSON media type, in a cookie.
pub fn cookie_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    required: bool,
) -> Param<T> {
    let layout = Layout::new(Location::Cookie, Style::Form, false);
    let value = cookie_value(headers, name);
    parse_json(&Raw::from_cookie(name, layout, value.as_deref()), required)
}

// ---------------------------------------------------------------------------------------------
// Credentials

pub use contract_wire::contract::ApiKeyLocation;

/// The API key a request carries in the header, query parameter or cookie `name`; an empty
/// one is none. The router and the validation layer both look for keys through this.
pub fn api_key_value(
    headers: &HeaderMap,
    query: Option<&str>,
    location: ApiKeyLocation,
    name: &str,
) -> Option<String> {
    let found = match location {
        ApiKeyLocation::Header => headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string),
        ApiKeyLocation::Query => query_pairs(query)
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value),
        ApiKeyLocation::Cookie => cookie_value(headers, name),
    };
    found.filter(|key| !key.is_empty())
}

/// An API key from a header, query parameter or cookie; 401 without one.
pub fn api_key(
    headers: &HeaderMap,
    query: Option<&str>,
    location: ApiKeyLocation,
    name: &str,
) -> Result<String, Rejection> {
    api_key_value(headers, query, location, name).ok_or_else(|| {
        Rejection::unauthorized(
            format!(
                "this operation needs an API key in {} `{name}`",
                location.as_str()
            ),
            None,
        )
    })
}

/// The scheme and credentials of `Authorization` (RFC 7235's `auth-scheme 1*SP credentials`).
pub(crate) fn authorization(headers: &HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.split_once(' ')?;
    Some((scheme, credentials.trim()))
}

/// A bearer token from `Authorization: Bearer ...` (parsed by the `headers` crate).
pub fn bearer(headers: &HeaderMap) -> Result<String, Rejection> {
    use headers::HeaderMapExt as _;
    headers
        .typed_get::<headers::Authorization<headers::authorization::Bearer>>()
        .map(|authorization| authorization.token().trim().to_string())
        .filter(|token| !token.is_empty())
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
    authorization(headers)
        .filter(|(given, credentials)| {
            given.eq_ignore_ascii_case(scheme) && !credentials.is_empty()
        })
        .map(|(_, credentials)| credentials)
        .map(str::to_string)
        .ok_or_else(|| {
            Rejection::unauthorized(
                format!("this operation needs `Authorization: {scheme} <credentials>`"),
                Some(scheme),
            )
        })
}

/// User name and password from `Authorization: Basic ...` (decoded by the `headers` crate).
pub fn basic(headers: &HeaderMap) -> Result<(String, String), Rejection> {
    use headers::HeaderMapExt as _;
    let basic = headers
        .typed_get::<headers::Authorization<headers::authorization::Basic>>()
        .ok_or_else(|| {
            Rejection::unauthorized(
                "this operation needs `Authorization: Basic <credentials>`",
                Some("Basic"),
            )
        })?;
    Ok((basic.username().to_string(), basic.password().to_string()))
}

// ---------------------------------------------------------------------------------------------
// Bodies

/// Which of the documented request media types (or ranges, `text/*`) the request's
/// `Content-Type` is: the index into `accepted` (an exact type first, else the most specific
/// range), or 415.
pub fn content_type(headers: &HeaderMap, accepted: &[&str]) -> Result<usize, Rejection> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let position =
        given.and_then(|given| contract_wire::media::best_match(accepted.iter().copied(), given));
    position.ok_or_else(|| {
        Rejection::new(
            RefusalKind::UnsupportedMediaType,
            format!(
                "Content-Type {} is not accepted here; send one of: {}",
                given.map_or("(none)".to_string(), |given| format!(
                    "`{}`",
                    contract_wire::media::essence(given)
                        .unwrap_or_else(|| given.to_ascii_lowercase())
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
                RefusalKind::BodyTooLarge,
                format!("the request body is larger than {limit} bytes"),
            ),
            BodyError::TimedOut(timeout) => Rejection::new(
                RefusalKind::BodyTimeout,
                format!(
                    "the request body did not arrive within {} ms",
                    timeout.as_millis()
                ),
            ),
            BodyError::Broken(reason) => Rejection::new(
                RefusalKind::UnreadableBody,
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
    Rejection::new(RefusalKind::InvalidBody, message)
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
            rejection.kind = RefusalKind::InvalidBodyShape;
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
        rejection.kind = RefusalKind::InvalidBodyShape;
        return Err(rejection);
    }
    json_body(bytes)
}

/// For operations that document 422 but not 400: well-formed JSON of the wrong shape is
/// refused with the documented 422; malformed JSON stays a 400.
pub fn unprocessable_shape(rejection: Rejection) -> Rejection {
    if rejection.kind == RefusalKind::InvalidBodyShape {
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
        RefusalKind::UnserialisableResponse,
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
    let layout = Layout::new(Location::Header, Style::Simple, false);
    if let Ok(value) = crate::params::to_value(value)
        && let Encoded::Header(text) = crate::params::encode(name, layout, &value)
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
    #[test]
    fn paths_match_their_templates() {
        assert!(super::path_matches(
            "/compare/main...dev",
            "/compare/{base}...{head}"
        ));
        assert!(!super::path_matches(
            "/compare/main",
            "/compare/{base}...{head}"
        ));
        assert!(super::path_matches("/compare/main", "/compare/{basehead}"));
        assert_eq!(
            super::path_values("/reports/a%20b.json", "/reports/{name}.json").unwrap(),
            vec![("name".to_string(), "a%20b".to_string())]
        );
        assert!(super::path_values("/reports/a.xml", "/reports/{name}.json").is_err());
    }
}
