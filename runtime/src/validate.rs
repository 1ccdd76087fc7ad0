//! A tower layer that checks every request and response crossing a router against the wire
//! contract.
//!
//! Apply it to a generated `router(api)` before nesting it under the base path, so the paths
//! it sees are the spec's (or set [`ValidationLayer::base_path`]):
//!
//! ```ignore
//! let app = Router::new().nest("/api/v1", router(api).layer(harness::validation_layer()));
//! ```
//!
//! In [`Mode::Enforce`] (the default) a request that breaks the contract never reaches the
//! router: missing credentials get 401, an undocumented media type 415, anything else 400,
//! each with the JSON error shape of [`crate::server::Rejection`]. With
//! [`ValidationLayer::documented_refusals`], a refusal uses a status and body the operation
//! documents instead, so that every answer is one the contract describes. In
//! [`Mode::Report`] everything passes
//! and violations are only reported, which suits production. Response violations are always
//! only reported: replacing a response would hide what the implementation did.
//!
//! Response bodies are read up to the body limit and checked; a larger body, or an event
//! stream (which may never end), passes through unread, with its status, media type and
//! headers still checked.
//!
//! Violations go to `tracing` (target `contract_runtime::validate`, level WARN) unless
//! [`ValidationLayer::on_violation`] or [`ValidationLayer::collect_into`] says otherwise.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::Value;

use crate::contract::{Contract, RequestView, ResponseView, Status, Violation, ViolationKind};
use crate::server::RefusalKind;

/// What the layer does with a request that breaks the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Refuse it with a 4xx before it reaches the router.
    #[default]
    Enforce,
    /// Let it through; only report.
    Report,
}

type Reporter = Arc<dyn Fn(&Violation) + Send + Sync>;

/// Collected violations, shared between a layer and whoever reads them (a test).
#[derive(Debug, Clone, Default)]
pub struct ViolationLog {
    violations: Arc<Mutex<Vec<Violation>>>,
}

impl ViolationLog {
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&self, violation: &Violation) {
        if let Ok(mut violations) = self.violations.lock() {
            violations.push(violation.clone());
        }
    }

    /// Everything recorded so far.
    pub fn snapshot(&self) -> Vec<Violation> {
        self.violations
            .lock()
            .map(|violations| violations.clone())
            .unwrap_or_default()
    }

    /// Everything recorded so far, emptying the log.
    pub fn take(&self) -> Vec<Violation> {
        self.violations
            .lock()
            .map(|mut violations| std::mem::take(&mut *violations))
            .unwrap_or_default()
    }
}

/// The layer; see the module docs.
#[derive(Clone)]
pub struct ValidationLayer {
    contract: Contract,
    mode: Mode,
    reporter: Reporter,
    base_path: String,
    body_limit: usize,
    body_read_timeout: std::time::Duration,
    documented_refusals: bool,
}

impl std::fmt::Debug for ValidationLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationLayer")
            .field("contract", &self.contract)
            .field("mode", &self.mode)
            .field("base_path", &self.base_path)
            .field("body_limit", &self.body_limit)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("documented_refusals", &self.documented_refusals)
            .finish_non_exhaustive()
    }
}

impl ValidationLayer {
    pub fn new(contract: &Contract) -> Self {
        Self {
            contract: contract.clone(),
            mode: Mode::Enforce,
            reporter: Arc::new(|violation: &Violation| {
                tracing::warn!(
                    operation = %violation.operation,
                    direction = %violation.direction,
                    pointer = %violation.pointer,
                    "contract violation: {}",
                    violation.reason
                );
            }),
            base_path: String::new(),
            body_limit: crate::server::ServerConfig::default().body_limit,
            body_read_timeout: crate::server::ServerConfig::default().body_read_timeout,
            documented_refusals: false,
        }
    }

    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// [`Mode::Report`]: nothing is refused, violations are only reported.
    pub fn report_only(self) -> Self {
        self.mode(Mode::Report)
    }

    /// Sends each violation to `report` instead of `tracing`.
    pub fn on_violation(mut self, report: impl Fn(&Violation) + Send + Sync + 'static) -> Self {
        self.reporter = Arc::new(report);
        self
    }

    /// Records each violation in `log` instead of `tracing`.
    pub fn collect_into(self, log: &ViolationLog) -> Self {
        let log = log.clone();
        self.on_violation(move |violation| log.push(violation))
    }

    /// A prefix to strip from request paths, when the layer wraps the router after nesting.
    pub fn base_path(mut self, base_path: impl Into<String>) -> Self {
        self.base_path = base_path.into().trim_end_matches('/').to_string();
        self
    }

    /// Refuses in the contract's terms: with the refusal's own status where the operation
    /// documents it (or one that fits as well: 422 for input the server cannot process, 400
    /// or 422 for an undocumented media type), else its `4XX` or `default` response, with the
    /// documented error body. Where no documented status fits, the refusal keeps its standard
    /// status and the gap is reported as a violation: a malformed request is never answered
    /// with a success, a 401 or a 404 just because the contract lists those. Refusals with
    /// no documented body use the API's error shape (the error schema its operations
    /// document most), so that one API answers in one shape. The router's own refusals are
    /// reshaped the same way.
    pub fn documented_refusals(mut self) -> Self {
        self.documented_refusals = true;
        self
    }

    /// Largest body (request or response) the layer reads to check; a larger request gets
    /// 413, as the router would answer. Defaults to the routers' own limit.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Longest time reading a request body may take; a slower body gets 408, as the router
    /// would answer. Defaults to the routers' own (30 s).
    pub fn body_read_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    fn report(&self, violation: &Violation) {
        (self.reporter)(violation);
    }
}

impl<S> tower::Layer<S> for ValidationLayer {
    type Service = ValidationService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ValidationService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ValidationLayer`] wraps around a router.
#[derive(Clone)]
pub struct ValidationService<S> {
    inner: S,
    layer: ValidationLayer,
}

impl<S> tower::Service<Request<Body>> for ValidationService<S>
where
    S: tower::Service<Request<Body>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The clone that was polled ready is the one to call (tower's usual swap).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let path = parts.uri.path();
            let path = path.strip_prefix(&layer.base_path).unwrap_or(path);
            let path = if path.is_empty() { "/" } else { path };
            let operation = layer.contract.find(parts.method.as_str(), path);
            let config = crate::server::ServerConfig {
                body_limit: layer.body_limit,
                body_read_timeout: layer.body_read_timeout,
            };
            let body = match crate::server::collect_body(&parts.headers, body, &config).await {
                Ok(body) => body,
                Err(error) => {
                    let refusal = Refusal::from(crate::server::Rejection::from(error));
                    return Ok(match operation {
                        Some(index) if layer.documented_refusals => {
                            documented_refusal(&layer, index, refusal)
                        }
                        _ => refusal.plain(),
                    });
                }
            };
            let mut request_broken = false;
            if let Some(index) = operation {
                let violations = layer.contract.check_request(
                    index,
                    &RequestView {
                        method: parts.method.as_str(),
                        path,
                        query: parts.uri.query(),
                        headers: &parts.headers,
                        body: &body,
                    },
                );
                violations
                    .iter()
                    .for_each(|violation| layer.report(violation));
                request_broken = !violations.is_empty();
                if request_broken && layer.mode == Mode::Enforce {
                    let mut refusal = refusal(&violations);
                    if refusal.status == StatusCode::UNAUTHORIZED {
                        refusal.challenge = layer
                            .contract
                            .challenge(index)
                            .map(axum::http::HeaderValue::from_static);
                    }
                    return Ok(if layer.documented_refusals {
                        documented_refusal(&layer, index, refusal)
                    } else {
                        refusal.plain()
                    });
                }
            }
            let response = inner
                .call(Request::from_parts(parts, Body::from(body)))
                .await?;
            let Some(index) = operation else {
                return Ok(response);
            };
            let (parts, body) = response.into_parts();
            let report_head = || {
                let violations = layer.contract.check_response_head(
                    index,
                    parts.status.as_u16(),
                    &parts.headers,
                );
                violations
                    .iter()
                    .for_each(|violation| layer.report(violation));
            };
            // An event stream may never end: it passes through unread.
            if is_event_stream(&parts.headers) {
                report_head();
                return Ok(Response::from_parts(parts, body));
            }
            let body = match read_up_to(body, layer.body_limit).await {
                Ok(Read::Whole(bytes)) => bytes,
                // Larger than the layer reads: passed on whole, its body unchecked.
                Ok(Read::Larger(body)) => {
                    report_head();
                    return Ok(Response::from_parts(parts, body));
                }
                Err(()) => {
                    layer.report(&Violation {
                        operation: layer.contract.operations()[index].id.clone(),
                        direction: crate::contract::Direction::Response,
                        pointer: "/body".into(),
                        kind: ViolationKind::MalformedBody,
                        reason: "the response body failed while being read".into(),
                    });
                    Bytes::new()
                }
            };
            let status = parts.status.as_u16();
            // The router (or a middleware in front of the handlers) refused in the runtime's
            // error shape: reshaped like the layer's own refusals when asked to.
            if layer.documented_refusals
                && parts.status.is_client_error()
                && let Some(mut refusal) = Refusal::read(parts.status, &body)
            {
                refusal.challenge = parts
                    .headers
                    .get(axum::http::header::WWW_AUTHENTICATE)
                    .cloned();
                return Ok(documented_refusal(&layer, index, refusal));
            }
            // A request that broke the contract may rightly get an undocumented 4xx (the
            // router's own refusal); everything else about the response is still checked.
            let excused = request_broken && (400..500).contains(&status);
            if !excused {
                let violations = layer.contract.check_response(
                    index,
                    &ResponseView {
                        status,
                        headers: &parts.headers,
                        body: &body,
                    },
                );
                violations
                    .iter()
                    .for_each(|violation| layer.report(violation));
            }
            Ok(Response::from_parts(parts, Body::from(body)))
        })
    }
}

/// A response body, read up to a limit.
enum Read {
    Whole(Bytes),
    /// Over the limit: what was read, followed by the rest, still to be streamed.
    Larger(Body),
}

async fn read_up_to(mut body: Body, limit: usize) -> Result<Read, ()> {
    let mut read = bytes::BytesMut::new();
    while let Some(frame) = body.frame().await {
        // Trailers carry nothing the contract describes.
        let Ok(data) = frame.map_err(|_| ())?.into_data() else {
            continue;
        };
        read.extend_from_slice(&data);
        if read.len() > limit {
            let prefix =
                futures_util::stream::once(std::future::ready(Ok::<_, axum::Error>(read.freeze())));
            let rest = futures_util::StreamExt::chain(prefix, body.into_data_stream());
            return Ok(Read::Larger(Body::from_stream(rest)));
        }
    }
    Ok(Read::Whole(read.freeze()))
}

fn is_event_stream(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(contract_wire::media::essence)
        .is_some_and(|essence| essence == "text/event-stream")
}

/// A refusal before it is shaped: the layer's own, or one the router gave.
struct Refusal {
    status: StatusCode,
    kind: RefusalKind,
    message: String,
    /// The `WWW-Authenticate` challenge of a 401.
    challenge: Option<axum::http::HeaderValue>,
    /// Where the (first) fault was, for error bodies with a field for it.
    pointer: Option<String>,
}

impl From<crate::server::Rejection> for Refusal {
    fn from(rejection: crate::server::Rejection) -> Self {
        Self {
            status: rejection.status,
            kind: rejection.kind,
            message: rejection.message,
            challenge: rejection
                .challenge
                .map(axum::http::HeaderValue::from_static),
            pointer: None,
        }
    }
}

impl Refusal {
    /// The routers' error shape (`contract_runtime::server::Rejection`), with this status.
    fn shape(&self, status: StatusCode) -> Value {
        serde_json::json!({
            "error": { "status": status.as_u16(), "code": self.kind.code(), "message": self.message },
        })
    }

    fn plain(self) -> Response {
        let body = self.shape(self.status).to_string();
        self.respond(self.status, "application/json", body)
    }

    /// A response with this refusal's challenge (on a 401) and a body already serialised.
    fn respond(&self, status: StatusCode, media_type: &str, body: String) -> Response {
        let mut response = json_response(status, media_type, body);
        if status == StatusCode::UNAUTHORIZED
            && let Some(challenge) = &self.challenge
        {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, challenge.clone());
        }
        response
    }

    /// A router's refusal, read back from its error shape (`None` for any other body, and
    /// for a code the runtime does not give).
    fn read(status: StatusCode, body: &[u8]) -> Option<Self> {
        let json: Value = serde_json::from_slice(body).ok()?;
        let error = json.get("error")?;
        Some(Self {
            status,
            kind: RefusalKind::from_code(error.get("code")?.as_str()?)?,
            message: error.get("message")?.as_str()?.to_string(),
            challenge: None,
            pointer: None,
        })
    }

    /// The statuses that describe this refusal, best first. 401 only for credentials; never
    /// a 2xx, a 404, or a 401 for malformed input.
    fn fitting_statuses(&self) -> Vec<u16> {
        let own = self.status.as_u16();
        match own {
            // Input the server cannot process: 400 is the generic answer, 422 the one for
            // content it could not process (services that validate unreadable JSON as empty
            // input, such as Laravel's, answer 422).
            400 => vec![400, 422],
            422 => vec![422, 400],
            // 400 is the generic client error, so it describes an unsupported media type too.
            415 => vec![415, 400, 422],
            _ => vec![own],
        }
    }
}

/// The refusal a router would give: 401 for missing credentials, 415 for an undocumented
/// media type, 400 for the rest (`invalid_body` for malformed JSON, `contract_violation` for
/// well-formed input that breaks the schema), in the routers' error shape.
fn refusal(violations: &[Violation]) -> Refusal {
    let message = violations
        .iter()
        .map(|violation| format!("{}: {}", violation.pointer, violation.reason))
        .collect::<Vec<_>>()
        .join("; ");
    let has = |kind: ViolationKind| violations.iter().any(|violation| violation.kind == kind);
    let kind = if has(ViolationKind::MissingCredentials) {
        RefusalKind::MissingCredentials
    } else if has(ViolationKind::UndocumentedMediaType) {
        RefusalKind::UnsupportedMediaType
    } else if has(ViolationKind::MalformedBody) {
        RefusalKind::InvalidBody
    } else {
        RefusalKind::ContractViolation
    };
    Refusal {
        status: kind.status(),
        kind,
        message,
        challenge: None,
        pointer: violations
            .first()
            .map(|violation| violation.pointer.clone()),
    }
}

/// The refusal in the contract's terms ([`ValidationLayer::documented_refusals`]): the first
/// fitting status the operation documents (exactly, then as `4XX`, then `default`), with a
/// body of the documented error schema; where none fits, the refusal's own status with a body
/// in the API's error shape, and a violation reporting the gap.
fn documented_refusal(layer: &ValidationLayer, index: usize, refusal: Refusal) -> Response {
    let contract = &layer.contract;
    let Some(operation) = contract.operations().get(index) else {
        return refusal.plain();
    };
    let position_of = |status: Status| {
        operation
            .responses
            .iter()
            .position(|response| response.status == status)
    };
    let own = refusal.status.as_u16();
    let chosen = refusal
        .fitting_statuses()
        .into_iter()
        .find_map(|code| position_of(Status::Code(code)).map(|position| (position, code)))
        .or_else(|| position_of(Status::Range(own / 100)).map(|position| (position, own)))
        .or_else(|| position_of(Status::Default).map(|position| (position, own)));
    let Some((position, code)) = chosen else {
        let documented: Vec<String> = operation
            .responses
            .iter()
            .map(|response| response.status.to_string())
            .collect();
        layer.report(&Violation {
            operation: operation.id.clone(),
            direction: crate::contract::Direction::Response,
            pointer: "/status".into(),
            kind: ViolationKind::UndocumentedStatus,
            reason: format!(
                "the request was refused with {own} ({}), which the contract does not document \
                 for this operation (documented: {}); no documented status fits",
                refusal.kind,
                documented.join(", ")
            ),
        });
        return match contract.error_schema(own) {
            Some((media_type, schema)) => {
                let body = error_body(&schema, contract, &refusal, own);
                refusal.respond(refusal.status, &media_type, body.to_string())
            }
            None => refusal.plain(),
        };
    };
    let status = StatusCode::from_u16(code).unwrap_or(refusal.status);
    let content = &operation.responses[position].content;
    if content.is_empty() {
        return refusal.respond(status, "application/json", String::new());
    }
    for (media, spec) in content.iter().enumerate() {
        match contract_wire::media::kind(&spec.media_type) {
            contract_wire::media::Kind::Text => {
                return refusal.respond(status, &spec.media_type, refusal.message.clone());
            }
            contract_wire::media::Kind::Json => {}
            _ => continue,
        }
        let built = error_body(&spec.schema, contract, &refusal, code);
        let generated = crate::values::sample(
            &spec.schema,
            contract.definitions(),
            &mut crate::values::Rng::new(1),
        );
        let candidates = [
            built,
            Value::String(refusal.message.clone()),
            refusal.shape(status),
            generated,
        ];
        if let Some(body) = candidates
            .into_iter()
            .find(|candidate| contract.fits_response(index, position, media, candidate))
        {
            return refusal.respond(status, &spec.media_type, body.to_string());
        }
    }
    Refusal { status, ..refusal }.plain()
}

/// A value of an error schema that says what went wrong: every property present (so a client
/// decoding it finds the message), arrays with one item, the refusal's message in the fields
/// named for one (`message`, `detail`, ...), its code in `code`, its status in `status` or
/// `http_code`; everything else a schema-valid sample.
fn error_body(schema: &Value, contract: &Contract, refusal: &Refusal, status: u16) -> Value {
    build_error(schema, contract, refusal, status, None, 0)
}

fn build_error(
    schema: &Value,
    contract: &Contract,
    refusal: &Refusal,
    status: u16,
    key: Option<&str>,
    depth: usize,
) -> Value {
    let defs = contract.definitions();
    let schema = crate::contract::resolve(schema, defs);
    if depth > 6 {
        return crate::values::sample(schema, defs, &mut crate::values::Rng::new(1));
    }
    if schema.get("enum").is_some() || schema.get("const").is_some() {
        return crate::values::sample(schema, defs, &mut crate::values::Rng::new(1));
    }
    let key = key.map(str::to_ascii_lowercase);
    let key = key.as_deref();
    match crate::contract::schema_type(schema) {
        Some("object") | None if schema.get("properties").is_some() => {
            let mut out = serde_json::Map::new();
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, property) in properties {
                    if *property == Value::Bool(false) {
                        continue;
                    }
                    out.insert(
                        name.clone(),
                        build_error(property, contract, refusal, status, Some(name), depth + 1),
                    );
                }
            }
            Value::Object(out)
        }
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Bool(true));
            Value::Array(vec![build_error(
                items,
                contract,
                refusal,
                status,
                key,
                depth + 1,
            )])
        }
        Some("string") => match key {
            Some("code" | "rule" | "type" | "kind") => Value::String(refusal.kind.code().into()),
            Some("status" | "http_code" | "statuscode" | "status_code") => {
                Value::String(status.to_string())
            }
            Some("field" | "source_field" | "path" | "pointer" | "parameter" | "param") => {
                Value::String(refusal.pointer.clone().unwrap_or_default())
            }
            Some(
                "message" | "detail" | "details" | "description" | "title" | "reason" | "error"
                | "error_description" | "msg",
            )
            | None => Value::String(refusal.message.clone()),
            _ => crate::values::sample(schema, defs, &mut crate::values::Rng::new(1)),
        },
        Some("integer" | "number")
            if matches!(
                key,
                Some("status" | "http_code" | "code" | "statuscode" | "status_code")
            ) =>
        {
            Value::from(status)
        }
        _ => crate::values::sample(schema, defs, &mut crate::values::Rng::new(1)),
    }
}

/// A response with a body already serialised for `media_type`.
fn json_response(status: StatusCode, media_type: &str, body: String) -> Response {
    let empty = body.is_empty();
    let mut response = (status, body).into_response();
    if empty {
        response
            .headers_mut()
            .remove(axum::http::header::CONTENT_TYPE);
    } else if let Ok(value) = axum::http::HeaderValue::try_from(media_type) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, value);
    }
    response
}
