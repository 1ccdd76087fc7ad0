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
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::server::{path_params, query_pairs};

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

#[derive(Debug, Deserialize)]
struct Document {
    title: String,
    version: String,
    #[serde(default)]
    servers: Vec<String>,
    #[serde(default)]
    security_schemes: Map<String, Value>,
    operations: Vec<Operation>,
    #[serde(rename = "$defs", default)]
    defs: Map<String, Value>,
}

/// One operation as it appears on the wire.
#[derive(Debug, Deserialize)]
pub struct Operation {
    /// The operationId (or `METHOD /path` without one).
    pub id: String,
    pub method: String,
    /// The path template, relative to the server's base path.
    pub path: String,
    /// Alternatives; each names the schemes that must all be present. Empty: no security.
    #[serde(default)]
    pub security: Vec<Vec<String>>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub request_body: Option<Body>,
    #[serde(default)]
    pub responses: Vec<ResponseSpec>,
}

#[derive(Debug, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    pub style: String,
    pub explode: bool,
    pub schema: Value,
    #[serde(default)]
    pub examples: Vec<Value>,
    /// Set when the parameter is given as `content` (serialised as this media type).
    pub media_type: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Body {
    #[serde(default)]
    pub required: bool,
    pub content: Vec<Media>,
}

#[derive(Debug, Deserialize)]
pub struct Media {
    pub media_type: String,
    pub schema: Value,
    #[serde(default)]
    pub examples: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct ResponseSpec {
    /// `200`, `4XX` or `default`.
    pub status: String,
    #[serde(default)]
    pub headers: Vec<HeaderSpec>,
    #[serde(default)]
    pub content: Vec<Media>,
}

#[derive(Debug, Deserialize)]
pub struct HeaderSpec {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    pub schema: Value,
}

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

/// One way a message differs from the contract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Violation {
    pub operation: String,
    pub direction: Direction,
    /// Where in the message: `/body/email`, `/query/limit`, `/header/content-type`,
    /// `/status`, `/credentials`.
    pub pointer: String,
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
        let document: Document = serde_json::from_str(text)?;
        let mut secret_properties = BTreeSet::new();
        for schema in document.schemas() {
            collect_secret_properties(schema, &mut secret_properties);
        }
        Ok(Self {
            inner: Arc::new(Inner {
                document,
                secret_properties,
                validators: Mutex::new(HashMap::new()),
            }),
        })
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

    /// A security scheme by name (`type`, and `in`/`name` or `scheme`).
    pub fn security_scheme(&self, name: &str) -> Option<&Value> {
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
        let wanted = status.to_string();
        for operation in self.operations() {
            for response in &operation.responses {
                let code: Option<u16> = response.status.parse().ok();
                let is_error = code.is_some_and(|code| (400..500).contains(&code))
                    || response.status.eq_ignore_ascii_case("4XX");
                if !is_error {
                    continue;
                }
                let exact = usize::from(response.status == wanted);
                for media in &response.content {
                    if !is_json(&crate::essence(&media.media_type).to_ascii_lowercase()) {
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
            .filter(|scheme| scheme["type"] == "http")
            .find_map(|scheme| {
                match scheme["scheme"]
                    .as_str()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("bearer") => Some("Bearer"),
                    Some("basic") => Some("Basic"),
                    _ => None,
                }
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
        self.inner.document.security_schemes.values().any(|scheme| {
            scheme["type"] == "apiKey"
                && scheme["in"].as_str() == Some(location)
                && scheme["name"]
                    .as_str()
                    .is_some_and(|scheme_name| scheme_name.eq_ignore_ascii_case(name))
        }) || is_secret_name(name)
    }

    /// The operation a request is for: its method and a path template that matches, the
    /// template with the most literal text winning (`/users/me` over `/users/{id}`).
    pub fn find(&self, method: &str, path: &str) -> Option<usize> {
        self.operations()
            .iter()
            .enumerate()
            .filter(|(_, operation)| operation.method.eq_ignore_ascii_case(method))
            .filter(|(_, operation)| path_params(path, &operation.path).is_some())
            .max_by_key(|(index, operation)| (literal_length(&operation.path), usize::MAX - index))
            .map(|(index, _)| index)
    }

    /// Every way a request to operation `index` breaks the contract.
    pub fn check_request(&self, index: usize, request: &RequestView<'_>) -> Vec<Violation> {
        let Some(operation) = self.operations().get(index) else {
            return Vec::new();
        };
        let mut found = Findings::new(&operation.id, Direction::Request);
        if !self.credentials_present(operation, request) {
            found.push("/credentials", self.credentials_expected(operation));
        }
        let path_values = path_params(request.path, &operation.path).unwrap_or_default();
        let query = query_pairs(request.query);
        let cookies = cookies(request.headers);
        for (position, parameter) in operation.parameters.iter().enumerate() {
            let raw: Vec<String> = match parameter.location.as_str() {
                "path" => path_values
                    .iter()
                    .filter(|(name, _)| *name == parameter.name)
                    .flat_map(|(_, value)| path_parts(value, parameter, self.definitions()))
                    .collect(),
                "query" => query_values(&query, parameter, self.definitions()),
                "header" => request
                    .headers
                    .get_all(parameter.name.as_str())
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .map(str::to_string)
                    .collect(),
                _ => cookies
                    .iter()
                    .filter(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.clone())
                    .collect(),
            };
            let pointer = format!("/{}/{}", parameter.location, parameter.name);
            if raw.is_empty() {
                if parameter.required {
                    found.push(&pointer, "is required".into());
                }
                continue;
            }
            let value = self.parameter_value(parameter, &raw);
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
                found.push("/body", "the operation documents no request body".into());
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
        let Some(position) = documented_response(operation, status) else {
            let documented: Vec<&str> = operation
                .responses
                .iter()
                .map(|response| response.status.as_str())
                .collect();
            found.push(
                "/status",
                format!(
                    "{} is not documented (documented: {})",
                    status,
                    documented.join(", ")
                ),
            );
            return found.into_vec();
        };
        let spec = &operation.responses[position];
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
                    found.push(&pointer, "is required".into());
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
                let documented: Vec<&str> =
                    spec.content.iter().map(|m| m.media_type.as_str()).collect();
                found.push(
                    "/header/content-type",
                    format!(
                        "`{given}` is not documented (documented: {})",
                        documented.join(", ")
                    ),
                );
            }
            return found.into_vec();
        };
        if spec.content.is_empty() {
            if !body.is_empty() {
                found.push(
                    "/body",
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
        let name = scheme["name"].as_str().unwrap_or_default();
        match (scheme["type"].as_str(), scheme["in"].as_str()) {
            (Some("apiKey"), Some("header")) => request.headers.contains_key(name),
            (Some("apiKey"), Some("query")) => query_pairs(request.query)
                .iter()
                .any(|(key, _)| key == name),
            (Some("apiKey"), Some("cookie")) => {
                cookies(request.headers).iter().any(|(key, _)| key == name)
            }
            (Some("http"), _) => {
                let expected = scheme["scheme"].as_str().unwrap_or("bearer");
                authorization_scheme(request.headers)
                    .is_some_and(|given| given.eq_ignore_ascii_case(expected))
            }
            // OAuth 2 and OpenID Connect tokens travel as bearer tokens.
            _ => authorization_scheme(request.headers)
                .is_some_and(|given| given.eq_ignore_ascii_case("bearer")),
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
                        Some(found) if found["type"] == "apiKey" => format!(
                            "{} `{}`",
                            found["in"].as_str().unwrap_or("header"),
                            found["name"].as_str().unwrap_or_default()
                        ),
                        Some(found) if found["type"] == "http" => format!(
                            "Authorization `{}`",
                            found["scheme"].as_str().unwrap_or("bearer")
                        ),
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
                "missing, but the message has a body".into(),
            );
            return;
        };
        let Some(position) = matching_media(content, given) else {
            let documented: Vec<&str> = content.iter().map(|m| m.media_type.as_str()).collect();
            found.push(
                "/header/content-type",
                format!(
                    "`{given}` is not documented (documented: {})",
                    documented.join(", ")
                ),
            );
            return;
        };
        let media = &content[position];
        let essence = crate::essence(given).to_ascii_lowercase();
        let value = if is_json(&essence) {
            match serde_json::from_slice::<Value>(body) {
                Ok(value) => value,
                Err(err) => {
                    found.push("/body", format!("not valid JSON: {err}"));
                    return;
                }
            }
        } else if essence == "application/x-www-form-urlencoded" {
            form_value(body, &media.schema, self.definitions())
        } else if essence.starts_with("text/") {
            match std::str::from_utf8(body) {
                Ok(text) => Value::String(text.to_string()),
                Err(_) => {
                    found.push("/body", "text that is not UTF-8".into());
                    return;
                }
            }
        } else {
            // Binary and other media types carry no schema a JSON validator can check.
            return;
        };
        self.validate(slot(position), &media.schema, &value, "/body", found);
    }

    fn parameter_value(&self, parameter: &Parameter, raw: &[String]) -> Value {
        if parameter
            .media_type
            .as_deref()
            .is_some_and(|media| is_json(crate::essence(media)))
        {
            return serde_json::from_str(&raw[0]).unwrap_or_else(|_| Value::String(raw[0].clone()));
        }
        let defs = self.definitions();
        let schema = resolve(&parameter.schema, defs);
        match schema_type(schema) {
            Some("array") => {
                let items = schema.get("items").map_or(&Value::Null, |items| items);
                let parts: Vec<Value> = if parameter.explode && raw.len() > 1 {
                    raw.iter().map(|part| coerce(part, items, defs)).collect()
                } else {
                    let delimiter = match parameter.style.as_str() {
                        "spaceDelimited" => " ",
                        "pipeDelimited" => "|",
                        _ => ",",
                    };
                    raw.iter()
                        .flat_map(|text| text.split(delimiter))
                        .map(|part| coerce(part, items, defs))
                        .collect()
                };
                Value::Array(parts)
            }
            Some("object") if parameter.style == "deepObject" || parameter.explode => {
                // The query helper already gathered `key=value` (or `name[key]=value`) pairs.
                let properties = schema.get("properties");
                let mut object = Map::new();
                for pair in raw {
                    if let Some((key, value)) = pair.split_once('=') {
                        let property = properties
                            .and_then(|properties| properties.get(key))
                            .unwrap_or(&Value::Null);
                        object.insert(key.to_string(), coerce(value, property, defs));
                    }
                }
                Value::Object(object)
            }
            Some("object") => {
                // `simple`/`form` without explode: `k1,v1,k2,v2`.
                let properties = schema.get("properties");
                let parts: Vec<&str> = raw[0].split(',').collect();
                let object = parts
                    .chunks(2)
                    .filter(|pair| pair.len() == 2)
                    .map(|pair| {
                        let property = properties
                            .and_then(|properties| properties.get(pair[0]))
                            .unwrap_or(&Value::Null);
                        (pair[0].to_string(), coerce(pair[1], property, defs))
                    })
                    .collect();
                Value::Object(object)
            }
            _ => coerce(&raw[0], &parameter.schema, defs),
        }
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
                    found.push(&at, reason);
                }
            }
            Err(message) => found.push(
                pointer,
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

impl Document {
    /// Every schema the document holds: definitions, parameters, bodies, response bodies
    /// and headers.
    fn schemas(&self) -> impl Iterator<Item = &Value> {
        let operations = self.operations.iter().flat_map(|operation| {
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
        self.defs.values().chain(operations)
    }
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

/// A query parameter's raw values: every occurrence for exploded forms, `key=value` pairs
/// for objects (`name[key]` for deepObject, the properties' own names for exploded forms).
fn query_values(
    query: &[(String, String)],
    parameter: &Parameter,
    defs: &Map<String, Value>,
) -> Vec<String> {
    if parameter.style == "deepObject" {
        let prefix = format!("{}[", parameter.name);
        return query
            .iter()
            .filter_map(|(key, value)| {
                let key = key.strip_prefix(&prefix)?.strip_suffix(']')?;
                Some(format!("{key}={value}"))
            })
            .collect();
    }
    let schema = resolve(&parameter.schema, defs);
    if parameter.explode
        && parameter.media_type.is_none()
        && schema_type(schema) == Some("object")
        && let Some(properties) = schema.get("properties").and_then(Value::as_object)
    {
        return query
            .iter()
            .filter(|(key, _)| properties.contains_key(key))
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
    }
    query
        .iter()
        .filter(|(key, _)| *key == parameter.name)
        .map(|(_, value)| value.clone())
        .collect()
}

/// A path parameter's segment in its style, as the router reads it (`params::Raw::from_path`):
/// the label or matrix prefix off, and an exploded array or object in its parts (`.1.2`,
/// `;id=1;id=2`, `k=v,k=v`), as [`Contract::parameter_value`] takes them.
fn path_parts(value: &str, parameter: &Parameter, defs: &Map<String, Value>) -> Vec<String> {
    let name = parameter.name.as_str();
    let structured = matches!(
        schema_type(resolve(&parameter.schema, defs)),
        Some("array" | "object")
    );
    let explode = parameter.explode && structured;
    let parts = |text: &str, delimiter: char| -> Vec<String> {
        if explode {
            text.split(delimiter).map(str::to_string).collect()
        } else {
            vec![text.to_string()]
        }
    };
    match parameter.style.as_str() {
        "label" => {
            let rest = value.strip_prefix('.').unwrap_or(value);
            parts(rest, if parameter.explode { '.' } else { ',' })
        }
        "matrix" if parameter.explode => match value.strip_prefix(';') {
            Some(rest) => {
                let prefix = format!("{name}=");
                rest.split(';')
                    .map(|part| part.strip_prefix(prefix.as_str()).unwrap_or(part))
                    .map(str::to_string)
                    .collect()
            }
            None => vec![value.to_string()],
        },
        "matrix" => {
            let rest = value
                .strip_prefix(';')
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('='))
                .unwrap_or(value);
            vec![rest.to_string()]
        }
        _ => parts(value, ','),
    }
}

fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn authorization_scheme(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .split_whitespace()
        .next()
}

pub(crate) fn is_json(essence: &str) -> bool {
    let essence = essence.to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The documented media type a `Content-Type` matches: exactly, or by `type/*` or `*/*`.
pub(crate) fn matching_media(content: &[Media], given: &str) -> Option<usize> {
    let given = crate::essence(given).to_ascii_lowercase();
    let exact = content
        .iter()
        .position(|media| crate::essence(&media.media_type).eq_ignore_ascii_case(&given));
    exact.or_else(|| {
        content.iter().position(|media| {
            let documented = crate::essence(&media.media_type).to_ascii_lowercase();
            documented == "*/*"
                || documented
                    .strip_suffix("/*")
                    .is_some_and(|kind| given.split('/').next() == Some(kind))
        })
    })
}

/// The response entry for a status: exact, then its range (`4XX`), then `default`.
pub(crate) fn documented_response(operation: &Operation, status: u16) -> Option<usize> {
    let exact = status.to_string();
    let range = format!("{}XX", status / 100);
    let find = |wanted: &str| {
        operation
            .responses
            .iter()
            .position(|response| response.status.eq_ignore_ascii_case(wanted))
    };
    find(&exact)
        .or_else(|| find(&range))
        .or_else(|| find("default"))
}

fn literal_length(template: &str) -> usize {
    let mut inside = false;
    template
        .chars()
        .filter(|c| {
            match c {
                '{' => inside = true,
                '}' => {
                    inside = false;
                    return false;
                }
                _ => {}
            }
            !inside
        })
        .count()
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

    fn push(&mut self, pointer: &str, reason: String) {
        self.found.insert(Violation {
            operation: self.operation.to_string(),
            direction: self.direction,
            pointer: pointer.to_string(),
            reason,
        });
    }

    fn into_vec(self) -> Vec<Violation> {
        self.found.into_iter().collect()
    }
}
