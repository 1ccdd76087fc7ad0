//! The wire contract a generated crate ships (`contract.json`), and the checks of one request
//! or one response against it. The validation layer and the conformance kit both use these
//! checks, so they agree on what a violation is.
//!
//! Schemas in the contract are JSON Schema (draft 2020-12): the generator has already
//! translated OpenAPI 3.0's `nullable`, `readOnly`/`writeOnly`, discriminators and integer
//! formats. Validators are compiled with the `jsonschema` crate the first time a schema is
//! needed, and kept.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use base64::Engine as _;
use jsonschema::Validator;
use serde_json::{Map, Value};

use contract_wire::media::Kind as MediaKind;

use crate::params::{Layout, Query, Raw, Select};

/// A generated crate's wire contract, ready to check requests and responses. Cheap to clone.
#[derive(Clone)]
pub struct Contract {
    inner: Arc<Inner>,
}

struct Inner {
    document: Document,
    /// Property names whose values are secrets by their schema (`format: password`,
    /// `writeOnly`), wherever they occur in the contract.
    secret_properties: BTreeSet<String>,
    /// Compiled validators by slot (operation index and where in it).
    validators: Mutex<HashMap<Slot, Arc<Validator>>>,
}

impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Contract")
            .field("title", &self.inner.document.title)
            .field("operations", &self.inner.document.operations.len())
            .finish_non_exhaustive()
    }
}

/// The typed contract, as the generator wrote it.
type Document = contract_wire::Contract;

pub use contract_wire::{
    Body, Header as HeaderSpec, Location, Media, Operation, Parameter, Response as ResponseSpec,
    SecurityScheme, Status, Style,
};

/// Where a schema sits in the contract, to key its compiled validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Parameter(usize, usize),
    RequestBody(usize, usize),
    ResponseBody(usize, usize, usize),
    ResponseHeader(usize, usize, usize),
}

/// Which way a message was going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Request,
    Response,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Request => "request",
            Direction::Response => "response",
        })
    }
}

/// What kind of difference a [`Violation`] is: the validation layer answers a broken
/// request by the kinds of its violations, never by their wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationKind {
    /// None of the operation's security requirements is met.
    MissingCredentials,
    /// A required parameter, header or body is absent.
    Missing,
    /// `Content-Type` is missing on a body, or names a media type that is not documented.
    UndocumentedMediaType,
    /// The body is not in its media type's syntax (JSON that does not parse, text that is
    /// not UTF-8).
    MalformedBody,
    /// A body where the operation documents none.
    UndocumentedBody,
    /// A value that does not decode in its style, or that breaks its schema.
    Invalid,
    /// A status the operation does not document.
    UndocumentedStatus,
    /// The contract's own schema cannot be compiled (a generator bug).
    UnusableSchema,
}

/// One way a message differs from the contract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Violation {
    pub operation: String,
    pub direction: Direction,
    /// Where in the message: `/body/email`, `/query/limit`, `/header/content-type`,
    /// `/status`, `/credentials`.
    pub pointer: String,
    pub kind: ViolationKind,
    pub reason: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.operation, self.direction, self.pointer, self.reason
        )
    }
}

/// The parts of a request that the contract speaks about.
#[derive(Debug, Clone, Copy)]
pub struct RequestView<'a> {
    pub method: &'a str,
    /// Relative to the server's base path, still percent-encoded.
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The parts of a response that the contract speaks about.
#[derive(Debug, Clone, Copy)]
pub struct ResponseView<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The contract could not be read: a generated crate and its runtime disagree.
#[derive(Debug, thiserror::Error)]
#[error("the wire contract does not parse: {0}")]
pub struct ContractError(#[from] serde_json::Error);

impl Contract {
    /// Reads a `contract.json` written by the generator.
    pub fn from_json(text: &str) -> Result<Self, ContractError> {
        Ok(Self::new(serde_json::from_str(text)?))
    }

    /// A contract already read (or built by the generator).
    pub fn new(document: contract_wire::Contract) -> Self {
        let mut secret_properties = BTreeSet::new();
        for schema in schemas(&document) {
            collect_secret_properties(schema, &mut secret_properties);
        }
        Self {
            inner: Arc::new(Inner {
                document,
                secret_properties,
                validators: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn title(&self) -> &str {
        &self.inner.document.title
    }

    pub fn version(&self) -> &str {
        &self.inner.document.version
    }

    /// The servers' URLs, as the spec lists them.
    pub fn servers(&self) -> &[String] {
        &self.inner.document.servers
    }

    pub fn operations(&self) -> &[Operation] {
        &self.inner.document.operations
    }

    /// A security scheme by name.
    pub fn security_scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.inner.document.security_schemes.get(name)
    }

    /// The component schemas (`$defs`), for resolving `$ref`s.
    pub fn definitions(&self) -> &Map<String, Value> {
        &self.inner.document.defs
    }

    /// The API's error shape for a refusal with `status` that its operation does not
    /// document: the JSON schema the contract's operations document most for that status,
    /// else for any 4xx (ties go to the first met), with its media type. `None` when no
    /// operation documents a JSON error body.
    pub fn error_schema(&self, status: u16) -> Option<(String, Value)> {
        let mut counts: Vec<(String, Value, usize, usize)> = Vec::new();
        for operation in self.operations() {
            for response in &operation.responses {
                let client_error = match response.status {
                    Status::Code(code) => (400..500).contains(&code),
                    Status::Range(leading) => leading == 4,
                    Status::Default => false,
                };
                if !client_error {
                    continue;
                }
                let exact = usize::from(response.status == Status::Code(status));
                for media in &response.content {
                    if !contract_wire::media::is_json(&media.media_type) {
                        continue;
                    }
                    match counts
                        .iter_mut()
                        .find(|(_, schema, _, _)| *schema == media.schema)
                    {
                        Some(entry) => {
                            entry.2 += exact;
                            entry.3 += 1;
                        }
                        None => {
                            counts.push((media.media_type.clone(), media.schema.clone(), exact, 1))
                        }
                    }
                }
            }
        }
        let best = counts
            .iter()
            .enumerate()
            .max_by_key(|(position, (_, _, exact, all))| (*exact, *all, usize::MAX - position))?;
        Some((best.1.0.clone(), best.1.1.clone()))
    }

    /// The `WWW-Authenticate` challenge for a request to operation `index` without
    /// credentials: `Bearer` or `Basic` where one of its schemes is HTTP bearer or basic (as
    /// the routers answer), else none.
    pub fn challenge(&self, index: usize) -> Option<&'static str> {
        let operation = self.operations().get(index)?;
        operation
            .security
            .iter()
            .flatten()
            .filter_map(|name| self.security_scheme(name))
            .find_map(|scheme| match scheme {
                SecurityScheme::Http { scheme } if scheme == "bearer" => Some("Bearer"),
                SecurityScheme::Http { scheme } if scheme == "basic" => Some("Basic"),
                _ => None,
            })
    }

    /// Whether a value at `pointer` (`/body/credentials/password`, `/header/x-token`) is a
    /// secret: a property the contract marks `format: password` or `writeOnly`, a name that
    /// says password, secret, token or key, or a header or cookie that carries credentials.
    pub fn is_secret_location(&self, pointer: &str) -> bool {
        let mut segments = pointer.trim_start_matches('/').split('/');
        let location = segments.next().unwrap_or_default();
        let segments: Vec<String> = segments
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect();
        if matches!(location, "header" | "cookie" | "query")
            && let Some(name) = segments.first()
            && self.is_credential_parameter(location, name)
        {
            return true;
        }
        segments.iter().any(|segment| self.is_secret_name(segment))
    }

    /// Whether `value` holds a secret anywhere inside it (a property named for one).
    pub fn holds_secret(&self, value: &Value) -> bool {
        match value {
            Value::Object(map) => map
                .iter()
                .any(|(key, value)| self.is_secret_name(key) || self.holds_secret(value)),
            Value::Array(items) => items.iter().any(|item| self.holds_secret(item)),
            _ => false,
        }
    }

    fn is_secret_name(&self, name: &str) -> bool {
        self.inner.secret_properties.contains(name) || is_secret_name(name)
    }

    fn is_credential_parameter(&self, location: &str, name: &str) -> bool {
        if location == "header"
            && ["authorization", "cookie", "proxy-authorization"]
                .iter()
                .any(|header| header.eq_ignore_ascii_case(name))
        {
            return true;
        }
        self.inner
            .document
            .security_schemes
            .values()
            .any(|scheme| match scheme {
                SecurityScheme::ApiKey {
                    location: key_location,
                    name: key_name,
                } => key_location.as_str() == location && key_name.eq_ignore_ascii_case(name),
                _ => false,
            })
            || is_secret_name(name)
    }

    /// The operation a request is for: its method and a path template that matches, the
    /// template with the most literal text winning (`/users/me` over `/users/{id}`).
    pub fn find(&self, method: &str, path: &str) -> Option<usize> {
        self.operations()
            .iter()
            .enumerate()
            .filter(|(_, operation)| operation.method.eq_ignore_ascii_case(method))
            .filter(|(_, operation)| operation.path.match_path(path).is_some())
            .max_by_key(|(index, operation)| (operation.path.literal_len(), usize::MAX - index))
            .map(|(index, _)| index)
    }

    /// Every way a request to operation `index` breaks the contract.
    pub fn check_request(&self, index: usize, request: &RequestView<'_>) -> Vec<Violation> {
        let Some(operation) = self.operations().get(index) else {
            return Vec::new();
        };
        let mut found = Findings::new(&operation.id, Direction::Request);
        if !self.credentials_present(operation, request) {
            found.push(
                "/credentials",
                ViolationKind::MissingCredentials,
                self.credentials_expected(operation),
            );
        }
        let path_values = operation.path.match_path(request.path).unwrap_or_default();
        let query = Query::parse(request.query);
        for (position, parameter) in operation.parameters.iter().enumerate() {
            let raw =
                self.raw_parameter(operation, parameter, &path_values, &query, request.headers);
            let pointer = format!("/{}/{}", parameter.location, parameter.name);
            if raw.is_absent() {
                if parameter.required {
                    found.push(&pointer, ViolationKind::Missing, "is required".into());
                }
                continue;
            }
            let value = match self.parameter_value(parameter, &raw) {
                Ok(value) => value,
                Err(message) => {
                    found.push(&pointer, ViolationKind::Invalid, message);
                    continue;
                }
            };
            self.validate(
                Slot::Parameter(index, position),
                &parameter.schema,
                &value,
                &pointer,
                &mut found,
            );
        }
        match &operation.request_body {
            Some(body) => self.check_body(
                request.headers,
                request.body,
                body.required,
                &body.content,
                |media| Slot::RequestBody(index, media),
                &mut found,
            ),
            None if !request.body.is_empty() => {
                found.push(
                    "/body",
                    ViolationKind::UndocumentedBody,
                    "the operation documents no request body".into(),
                );
            }
            None => {}
        }
        found.into_vec()
    }

    /// Every way a response of operation `index` breaks the contract.
    pub fn check_response(&self, index: usize, response: &ResponseView<'_>) -> Vec<Violation> {
        self.response_violations(
            index,
            response.status,
            response.headers,
            Some(response.body),
        )
    }

    /// The status and declared headers of a response whose body is not read (an event
    /// stream, or a body larger than the layer reads).
    pub fn check_response_head(
        &self,
        index: usize,
        status: u16,
        headers: &HeaderMap,
    ) -> Vec<Violation> {
        self.response_violations(index, status, headers, None)
    }

    fn response_violations(
        &self,
        index: usize,
        status: u16,
        headers: &HeaderMap,
        body: Option<&[u8]>,
    ) -> Vec<Violation> {
        let Some(operation) = self.operations().get(index) else {
            return Vec::new();
        };
        let mut found = Findings::new(&operation.id, Direction::Response);
        let Some((position, spec)) = operation.response_for(status) else {
            let documented: Vec<String> = operation
                .responses
                .iter()
                .map(|response| response.status.to_string())
                .collect();
            found.push(
                "/status",
                ViolationKind::UndocumentedStatus,
                format!(
                    "{} is not documented (documented: {})",
                    status,
                    documented.join(", ")
                ),
            );
            return found.into_vec();
        };
        for (header_index, header) in spec.headers.iter().enumerate() {
            // Content-Type is described by `content`, not as a header (OpenAPI says so).
            if header.name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let pointer = format!("/header/{}", header.name);
            let values: Vec<String> = headers
                .get_all(header.name.as_str())
                .iter()
                .filter_map(|value| value.to_str().ok())
                .map(str::to_string)
                .collect();
            if values.is_empty() {
                if header.required {
                    found.push(&pointer, ViolationKind::Missing, "is required".into());
                }
                continue;
            }
            let value = header_value(&values.join(","), &header.schema, self.definitions());
            self.validate(
                Slot::ResponseHeader(index, position, header_index),
                &header.schema,
                &value,
                &pointer,
                &mut found,
            );
        }
        let Some(body) = body else {
            // Unread body: its media type can still be checked.
            if let Some(given) = headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                && !spec.content.is_empty()
                && matching_media(&spec.content, given).is_none()
            {
                found.undocumented_media(given, &spec.content);
            }
            return found.into_vec();
        };
        if spec.content.is_empty() {
            if !body.is_empty() {
                found.push(
                    "/body",
                    ViolationKind::UndocumentedBody,
                    format!(
                        "no body is documented for {}, got {} bytes",
                        spec.status,
                        body.len()
                    ),
                );
            }
        } else {
            self.check_body(
                headers,
                body,
                true,
                &spec.content,
                |media| Slot::ResponseBody(index, position, media),
                &mut found,
            );
        }
        found.into_vec()
    }

    /// Whether `value` fits the schema of response `position`'s media type `media` of
    /// operation `index`.
    pub(crate) fn fits_response(
        &self,
        index: usize,
        position: usize,
        media: usize,
        value: &Value,
    ) -> bool {
        let Some(schema) = self
            .operations()
            .get(index)
            .and_then(|operation| operation.responses.get(position))
            .and_then(|response| response.content.get(media))
            .map(|media| &media.schema)
        else {
            return false;
        };
        self.validator(Slot::ResponseBody(index, position, media), schema)
            .is_ok_and(|validator| validator.is_valid(value))
    }

    fn credentials_present(&self, operation: &Operation, request: &RequestView<'_>) -> bool {
        if operation.security.is_empty() {
            return true;
        }
        operation.security.iter().any(|alternative| {
            alternative
                .iter()
                .all(|scheme| self.scheme_present(scheme, request))
        })
    }

    fn scheme_present(&self, scheme: &str, request: &RequestView<'_>) -> bool {
        let Some(scheme) = self.security_scheme(scheme) else {
            return false;
        };
        match scheme {
            SecurityScheme::ApiKey { location, name } => {
                crate::server::api_key_value(request.headers, request.query, *location, name)
                    .is_some()
            }
            // HTTP schemes name themselves; OAuth 2 and OpenID Connect tokens travel as
            // bearer tokens.
            other => other.authorization_scheme().is_some_and(|expected| {
                crate::server::authorization(request.headers)
                    .is_some_and(|(given, _)| given.eq_ignore_ascii_case(expected))
            }),
        }
    }

    fn credentials_expected(&self, operation: &Operation) -> String {
        let alternatives: Vec<String> = operation
            .security
            .iter()
            .map(|alternative| {
                alternative
                    .iter()
                    .map(|scheme| match self.security_scheme(scheme) {
                        Some(SecurityScheme::ApiKey { location, name }) => {
                            format!("{} `{name}`", location.as_str())
                        }
                        Some(SecurityScheme::Http { scheme }) => {
                            format!("Authorization `{scheme}`")
                        }
                        _ => "a bearer token".to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        format!("credentials are required ({})", alternatives.join(", or "))
    }

    fn check_body(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        required: bool,
        content: &[Media],
        slot: impl Fn(usize) -> Slot,
        found: &mut Findings<'_>,
    ) {
        if body.is_empty() {
            // An empty body is no body: fine unless one is required (or a JSON `null` would
            // have been sent, which is not empty).
            if required {
                let documented: Vec<&str> = content.iter().map(|m| m.media_type.as_str()).collect();
                found.push(
                    "/body",
                    ViolationKind::Missing,
                    format!("a body is required ({})", documented.join(", ")),
                );
            }
            return;
        }
        let Some(given) = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
        else {
            found.push(
                "/header/content-type",
                ViolationKind::UndocumentedMediaType,
                "missing, but the message has a body".into(),
            );
            return;
        };
        let Some(position) = matching_media(content, given) else {
            found.undocumented_media(given, content);
            return;
        };
        let media = &content[position];
        let value = match contract_wire::media::kind(given) {
            MediaKind::Json => match serde_json::from_slice::<Value>(body) {
                Ok(value) => value,
                Err(err) => {
                    found.push(
                        "/body",
                        ViolationKind::MalformedBody,
                        format!("not valid JSON: {err}"),
                    );
                    return;
                }
            },
            MediaKind::Form => form_value(body, &media.schema, self.definitions()),
            MediaKind::Text => match std::str::from_utf8(body) {
                Ok(text) => Value::String(text.to_string()),
                Err(_) => {
                    found.push(
                        "/body",
                        ViolationKind::MalformedBody,
                        "text that is not UTF-8".into(),
                    );
                    return;
                }
            },
            // Binary, multipart and other media types carry no schema a JSON validator can
            // check.
            MediaKind::Multipart | MediaKind::Binary => return,
        };
        self.validate(slot(position), &media.schema, &value, "/body", found);
    }

    /// A parameter as it arrived, read by the codec the generated servers use.
    fn raw_parameter(
        &self,
        operation: &Operation,
        parameter: &Parameter,
        path_values: &[(String, String)],
        query: &Query,
        headers: &HeaderMap,
    ) -> Raw {
        let name = parameter.name.as_str();
        let layout = Layout::new(parameter.location, parameter.style, parameter.explode);
        match parameter.location {
            Location::Path => {
                let text = path_values
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str());
                Raw::from_path(name, layout, text)
            }
            Location::Query => {
                let schema = resolve(&parameter.schema, self.definitions());
                if parameter.media_type.is_none()
                    && parameter.style == Style::Form
                    && parameter.explode
                    && schema_type(schema) == Some("object")
                {
                    // No name on the wire: the properties are the query's own pairs.
                    let properties: Vec<&str> = schema
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|properties| properties.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let others: Vec<&str> = operation
                        .parameters
                        .iter()
                        .filter(|other| other.location == Location::Query && other.name != name)
                        .map(|other| other.name.as_str())
                        .collect();
                    let select = if properties.is_empty() {
                        Select::AllBut(&others)
                    } else {
                        Select::Properties(&properties)
                    };
                    return Raw::from_query_object(name, query, select);
                }
                Raw::from_query(name, layout, query)
            }
            Location::Header => {
                let values: Vec<&str> = headers
                    .get_all(name)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .collect();
                Raw::from_header(name, layout, &values)
            }
            Location::Cookie => {
                let value = crate::server::cookie_value(headers, name);
                Raw::from_cookie(name, layout, value.as_deref())
            }
        }
    }

    /// A parameter's value as JSON, shaped as its schema asks (text coerced to numbers and
    /// booleans where the schema says so).
    fn parameter_value(&self, parameter: &Parameter, raw: &Raw) -> Result<Value, String> {
        if parameter
            .media_type
            .as_deref()
            .is_some_and(contract_wire::media::is_json)
        {
            let text = raw.scalar()?;
            return Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)));
        }
        let defs = self.definitions();
        let schema = resolve(&parameter.schema, defs);
        Ok(match schema_type(schema) {
            Some("array") => {
                let items = schema.get("items").map_or(&Value::Null, |items| items);
                Value::Array(
                    raw.items()?
                        .iter()
                        .map(|part| coerce(part, items, defs))
                        .collect(),
                )
            }
            Some("object") => {
                let properties = schema.get("properties");
                Value::Object(
                    raw.entries()?
                        .into_iter()
                        .map(|(key, value)| {
                            let property = properties
                                .and_then(|properties| properties.get(&key))
                                .unwrap_or(&Value::Null);
                            let coerced = coerce(&value, property, defs);
                            (key, coerced)
                        })
                        .collect(),
                )
            }
            _ => coerce(&raw.scalar()?, &parameter.schema, defs),
        })
    }

    fn validate(
        &self,
        slot: Slot,
        schema: &Value,
        value: &Value,
        pointer: &str,
        found: &mut Findings<'_>,
    ) {
        match self.validator(slot, schema) {
            Ok(validator) => {
                for error in validator.iter_errors(value) {
                    let at = format!("{pointer}{}", error.instance_path().as_str());
                    // Say where a secret was and what was wrong with it, never what it was.
                    let reason =
                        if self.is_secret_location(&at) || self.holds_secret(error.instance()) {
                            error.masked_with("the value").to_string()
                        } else {
                            error.to_string()
                        };
                    found.push(&at, ViolationKind::Invalid, reason);
                }
            }
            Err(message) => found.push(
                pointer,
                ViolationKind::UnusableSchema,
                format!("the contract's schema is unusable: {message}"),
            ),
        }
    }

    fn validator(&self, slot: Slot, schema: &Value) -> Result<Arc<Validator>, String> {
        if let Ok(cache) = self.inner.validators.lock()
            && let Some(validator) = cache.get(&slot)
        {
            return Ok(validator.clone());
        }
        let validator = Arc::new(compile(schema, self.definitions())?);
        if let Ok(mut cache) = self.inner.validators.lock() {
            cache.insert(slot, validator.clone());
        }
        Ok(validator)
    }
}

/// Every schema a contract holds: definitions, parameters, bodies, response bodies and
/// headers.
fn schemas(document: &Document) -> impl Iterator<Item = &Value> {
    let operations = document.operations.iter().flat_map(|operation| {
        let parameters = operation
            .parameters
            .iter()
            .map(|parameter| &parameter.schema);
        let body = operation
            .request_body
            .iter()
            .flat_map(|body| body.content.iter().map(|media| &media.schema));
        let responses = operation.responses.iter().flat_map(|response| {
            response
                .content
                .iter()
                .map(|media| &media.schema)
                .chain(response.headers.iter().map(|header| &header.schema))
        });
        parameters.chain(body).chain(responses)
    });
    document.defs.values().chain(operations)
}

/// A name that says it holds a secret: a password, secret, token, credential, one-time code
/// or key (`apiKey`, `authKey`; not `authKeyId`).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "otp",
    ]
    .iter()
    .any(|word| lower.contains(word))
        || lower.ends_with("key")
}

/// Property names whose schema marks a secret (`format: password`, `writeOnly: true`).
fn collect_secret_properties(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                for (name, property) in properties {
                    let marked = property.get("format").and_then(Value::as_str) == Some("password")
                        || property.get("writeOnly") == Some(&Value::Bool(true));
                    if marked {
                        out.insert(name.clone());
                    }
                }
            }
            map.values()
                .for_each(|value| collect_secret_properties(value, out));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_secret_properties(item, out)),
        _ => {}
    }
}

/// Compiles one schema with the definitions it reaches (not all of them: large specs have
/// thousands).
pub(crate) fn compile(schema: &Value, defs: &Map<String, Value>) -> Result<Validator, String> {
    let mut reached = BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(current) = pending.pop() {
        let mut refs = Vec::new();
        collect_refs(current, &mut refs);
        for key in refs {
            if let Some(target) = defs.get(&key)
                && reached.insert(key)
            {
                pending.push(target);
            }
        }
    }
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        other => {
            let mut wrapper = Map::new();
            wrapper.insert("allOf".into(), Value::Array(vec![other.clone()]));
            wrapper
        }
    };
    let reached: Map<String, Value> = reached
        .into_iter()
        .filter_map(|key| defs.get(&key).map(|target| (key, target.clone())))
        .collect();
    root.insert("$defs".into(), Value::Object(reached));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("byte", |text: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .is_ok()
        })
        .build(&Value::Object(root))
        .map_err(|err| err.to_string())
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(key) = map.get("$ref").and_then(Value::as_str).and_then(def_key) {
                out.push(key);
            }
            map.values().for_each(|child| collect_refs(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, out)),
        _ => {}
    }
}

/// The `$defs` key a `#/$defs/...` reference names.
pub(crate) fn def_key(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/$defs/")?;
    let decoded = percent_encoding::percent_decode_str(token).decode_utf8_lossy();
    Some(decoded.replace("~1", "/").replace("~0", "~"))
}

/// Follows `$ref`s to the schema they name (for the shape of parameters; validation itself
/// resolves references in the validator).
pub(crate) fn resolve<'a>(schema: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    let mut current = schema;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(def_key)
            .and_then(|key| defs.get(&key))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// The non-null JSON type a schema names, looking through `anyOf` with `null`.
pub(crate) fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(ty)) => Some(ty),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|ty| *ty != "null"),
        _ if schema.get("properties").is_some() => Some("object"),
        _ => None,
    }
}

/// A parameter's text as the JSON value its schema expects, where it reads as one; text
/// that does not is left a string, for the validator to report.
fn coerce(text: &str, schema: &Value, defs: &Map<String, Value>) -> Value {
    let schema = resolve(schema, defs);
    let schema = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|members| {
            members
                .iter()
                .find(|member| member.get("type") != Some(&Value::from("null")))
        })
        .map_or(schema, |member| resolve(member, defs));
    match schema_type(schema) {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.into())),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(text.into()), Value::Number),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ if text == "null" && schema_allows_null(schema) => Value::Null,
        _ => Value::String(text.into()),
    }
}

fn schema_allows_null(schema: &Value) -> bool {
    matches!(schema.get("type"), Some(Value::Array(types)) if types.contains(&Value::from("null")))
}

/// A header's text as its schema expects: `simple` style, so arrays are comma-separated.
fn header_value(text: &str, schema: &Value, defs: &Map<String, Value>) -> Value {
    let resolved = resolve(schema, defs);
    if schema_type(resolved) == Some("array") {
        let items = resolved.get("items").unwrap_or(&Value::Null);
        Value::Array(
            text.split(',')
                .map(|part| coerce(part.trim(), items, defs))
                .collect(),
        )
    } else {
        coerce(text, schema, defs)
    }
}

fn form_value(body: &[u8], schema: &Value, defs: &Map<String, Value>) -> Value {
    let schema = resolve(schema, defs);
    let properties = schema.get("properties");
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(body) {
        let property = properties
            .and_then(|properties| properties.get(key.as_ref()))
            .unwrap_or(&Value::Null);
        let coerced = coerce(&value, property, defs);
        match object.get_mut(key.as_ref()) {
            // A repeated key is an array.
            Some(Value::Array(items)) => items.push(coerced),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, coerced]);
            }
            None => {
                object.insert(key.into_owned(), coerced);
            }
        }
    }
    Value::Object(object)
}

/// The documented media type (or range) a `Content-Type` matches: exactly, else the most
/// specific range.
pub(crate) fn matching_media(content: &[Media], given: &str) -> Option<usize> {
    contract_wire::media::best_match(content.iter().map(|media| media.media_type.as_str()), given)
}

/// Violations of one message, deduplicated and in a stable order.
struct Findings<'a> {
    operation: &'a str,
    direction: Direction,
    found: BTreeSet<Violation>,
}

impl<'a> Findings<'a> {
    fn new(operation: &'a str, direction: Direction) -> Self {
        Self {
            operation,
            direction,
            found: BTreeSet::new(),
        }
    }

    fn push(&mut self, pointer: &str, kind: ViolationKind, reason: String) {
        self.found.insert(Violation {
            operation: self.operation.to_string(),
            direction: self.direction,
            pointer: pointer.to_string(),
            kind,
            reason,
        });
    }

    /// A `Content-Type` that none of `content`'s media types admits.
    fn undocumented_media(&mut self, given: &str, content: &[Media]) {
        let documented: Vec<&str> = content.iter().map(|m| m.media_type.as_str()).collect();
        self.push(
            "/header/content-type",
            ViolationKind::UndocumentedMediaType,
            format!(
                "`{given}` is not documented (documented: {})",
                documented.join(", ")
            ),
        );
    }

    fn into_vec(self) -> Vec<Violation> {
        self.found.into_iter().collect()
    }
}
