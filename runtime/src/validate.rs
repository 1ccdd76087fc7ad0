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

use crate::contract::{Contract, RequestView, ResponseView, Violation};

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
    documented_refusals: bool,
}

impl std::fmt::Debug for ValidationLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationLayer")
            .field("contract", &self.contract)
            .field("mode", &self.mode)
            .field("base_path", &self.base_path)
            .field("body_limit", &self.body_limit)
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

    /// Refuses with a status and body the operation documents, where the plain refusal's
    /// status (400, 401, 415) is not documented: the nearest documented client error, else a
    /// `4XX` or `default` response, else the operation's first documented 4xx. For services
    /// whose every answer must be in the contract (checked by tools such as schemathesis),
    /// at the price of statuses that can fit the fault less well (a malformed login may get
    /// the login's documented 401).
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
            let Ok(body) = collect(body, layer.body_limit).await else {
                return Ok(Refusal {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "body_too_large".into(),
                    message: format!("the request body exceeds {} bytes", layer.body_limit),
                }
                .plain());
            };
            let path = parts.uri.path();
            let path = path.strip_prefix(&layer.base_path).unwrap_or(path);
            let path = if path.is_empty() { "/" } else { path };
            let operation = layer.contract.find(parts.method.as_str(), path);
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
                    .for_each(|violation| (layer.reporter)(violation));
                request_broken = !violations.is_empty();
                if request_broken && layer.mode == Mode::Enforce {
                    let refusal = refusal(&violations);
                    return Ok(if layer.documented_refusals {
                        documented_refusal(&layer.contract, index, refusal)
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
                    .for_each(|violation| (layer.reporter)(violation));
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
                    (layer.reporter)(&Violation {
                        operation: layer.contract.operations()[index].id.clone(),
                        direction: crate::contract::Direction::Response,
                        pointer: "/body".into(),
                        reason: "the response body failed while being read".into(),
                    });
                    Bytes::new()
                }
            };
            let status = parts.status.as_u16();
            // The router refused what the contract allows but its types do not (`1.0` for
            // an integer, say): shaped like the layer's own refusals when asked to.
            if layer.documented_refusals
                && parts.status.is_client_error()
                && crate::contract::documented_response(&layer.contract.operations()[index], status)
                    .is_none()
                && let Some(refusal) = Refusal::read(parts.status, &body)
            {
                return Ok(documented_refusal(&layer.contract, index, refusal));
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
                    .for_each(|violation| (layer.reporter)(violation));
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
        .is_some_and(|value| crate::essence(value).eq_ignore_ascii_case("text/event-stream"))
}

async fn collect(body: Body, limit: usize) -> Result<Bytes, ()> {
    http_body_util::Limited::new(body, limit)
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(|_| ())
}

/// A refusal before it is shaped: the layer's own, or one the router gave.
struct Refusal {
    status: StatusCode,
    code: String,
    message: String,
}

impl Refusal {
    /// The routers' error shape (`contract_runtime::server::Rejection`), with this status.
    fn shape(&self, status: StatusCode) -> Value {
        serde_json::json!({
            "error": { "status": status.as_u16(), "code": self.code, "message": self.message },
        })
    }

    fn plain(self) -> Response {
        json_response(
            self.status,
            "application/json",
            self.shape(self.status).to_string(),
        )
    }

    /// A router's refusal, read back from its error shape (`None` for any other body).
    fn read(status: StatusCode, body: &[u8]) -> Option<Self> {
        let json: Value = serde_json::from_slice(body).ok()?;
        let error = json.get("error")?;
        Some(Self {
            status,
            code: error.get("code")?.as_str()?.to_string(),
            message: error.get("message")?.as_str()?.to_string(),
        })
    }
}

/// The refusal a router would give: 401 for missing credentials, 415 for an undocumented
/// media type, 400 for the rest, in the routers' error shape.
fn refusal(violations: &[Violation]) -> Refusal {
    let message = violations
        .iter()
        .map(|violation| format!("{}: {}", violation.pointer, violation.reason))
        .collect::<Vec<_>>()
        .join("; ");
    let (status, code) = if violations.iter().any(|v| v.pointer == "/credentials") {
        (StatusCode::UNAUTHORIZED, "missing_credentials")
    } else if violations
        .iter()
        .any(|v| v.pointer == "/header/content-type" && v.reason.contains("not documented"))
    {
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    } else {
        (StatusCode::BAD_REQUEST, "contract_violation")
    };
    Refusal {
        status,
        code: code.to_string(),
        message,
    }
}

/// The refusal as the operation documents it ([`ValidationLayer::documented_refusals`]): the
/// refusal's own status where documented, else the nearest documented client error
/// (401 → 403; 415 → 400 → 422; 400 → 422), else a `4XX` or `default` response, else the
/// operation's first documented 4xx. Its body is the error shape when the documented body
/// allows it, else the message as a JSON string, else a value built from the documented
/// schema; no body where none is documented. An operation that documents no client error at
/// all gets the plain refusal.
fn documented_refusal(contract: &Contract, index: usize, refusal: Refusal) -> Response {
    let Some(operation) = contract.operations().get(index) else {
        return refusal.plain();
    };
    let preferred: &[u16] = match refusal.status.as_u16() {
        401 => &[401, 403],
        415 => &[415, 400, 422],
        _ => &[400, 422],
    };
    let position_of = |status: &str| {
        operation
            .responses
            .iter()
            .position(|response| response.status.eq_ignore_ascii_case(status))
    };
    let own = refusal.status.as_u16();
    let chosen = preferred
        .iter()
        .find_map(|code| position_of(&code.to_string()).map(|position| (position, *code)))
        .or_else(|| position_of("4XX").map(|position| (position, own)))
        .or_else(|| position_of("default").map(|position| (position, own)))
        .or_else(|| {
            operation
                .responses
                .iter()
                .enumerate()
                .filter_map(|(position, response)| {
                    let code: u16 = response.status.parse().ok()?;
                    (400..500).contains(&code).then_some((position, code))
                })
                .min_by_key(|(_, code)| *code)
        });
    let Some((position, code)) = chosen else {
        return refusal.plain();
    };
    let status = StatusCode::from_u16(code).unwrap_or(refusal.status);
    let content = &operation.responses[position].content;
    if content.is_empty() {
        return status.into_response();
    }
    let error_shape = refusal.shape(status);
    for (media, spec) in content.iter().enumerate() {
        let essence = crate::essence(&spec.media_type).to_ascii_lowercase();
        if essence.starts_with("text/") {
            return json_response(status, &spec.media_type, refusal.message);
        }
        if !crate::contract::is_json(&essence) {
            continue;
        }
        let mut sample = crate::values::sample(
            &spec.schema,
            contract.definitions(),
            &mut crate::values::Rng::new(1),
        );
        let generated = sample.clone();
        fill_error_fields(&mut sample, &refusal);
        let candidates = [
            error_shape.clone(),
            Value::String(refusal.message.clone()),
            sample,
            generated,
        ];
        if let Some(body) = candidates
            .into_iter()
            .find(|candidate| contract.fits_response(index, position, media, candidate))
        {
            return json_response(status, &spec.media_type, body.to_string());
        }
    }
    Refusal { status, ..refusal }.plain()
}

/// Puts the refusal's message and code into the string fields of a documented error shape
/// that are named for them (`message`, `detail`, `code`, ...), so the body says what went
/// wrong; a field whose schema refuses the text keeps its generated value (the caller checks).
fn fill_error_fields(value: &mut Value, refusal: &Refusal) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                match (key.to_ascii_lowercase().as_str(), &*field) {
                    (
                        "message" | "detail" | "error" | "description" | "title" | "reason",
                        Value::String(_),
                    ) => {
                        *field = Value::String(refusal.message.clone());
                    }
                    ("code", Value::String(_)) => *field = Value::String(refusal.code.clone()),
                    _ => fill_error_fields(field, refusal),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| fill_error_fields(item, refusal)),
        _ => {}
    }
}

/// A response with a body already serialised for `media_type`.
fn json_response(status: StatusCode, media_type: &str, body: String) -> Response {
    let mut response = (status, body).into_response();
    if let Ok(value) = axum::http::HeaderValue::try_from(media_type) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, value);
    }
    response
}
