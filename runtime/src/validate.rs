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
//! each with the JSON error shape of [`Rejection`]. In [`Mode::Report`] everything passes
//! and violations are only reported, which suits production. Response violations are always
//! only reported: replacing a response would hide what the implementation did.
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

use crate::contract::{Contract, RequestView, ResponseView, Violation};
use crate::server::Rejection;

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
}

impl std::fmt::Debug for ValidationLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationLayer")
            .field("contract", &self.contract)
            .field("mode", &self.mode)
            .field("base_path", &self.base_path)
            .field("body_limit", &self.body_limit)
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
                return Ok(Rejection::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the request body exceeds {} bytes", layer.body_limit),
                )
                .into_response());
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
                    return Ok(refusal(&violations).into_response());
                }
            }
            let response = inner
                .call(Request::from_parts(parts, Body::from(body)))
                .await?;
            let Some(index) = operation else {
                return Ok(response);
            };
            let (parts, body) = response.into_parts();
            let body = match collect(body, usize::MAX).await {
                Ok(body) => body,
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
            // A request that broke the contract may rightly get an undocumented 4xx (the
            // router's own refusal); everything else about the response is still checked.
            let status = parts.status.as_u16();
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

async fn collect(body: Body, limit: usize) -> Result<Bytes, ()> {
    http_body_util::Limited::new(body, limit)
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(|_| ())
}

/// The answer to a request that breaks the contract, in the routers' error shape.
fn refusal(violations: &[Violation]) -> Rejection {
    let message = violations
        .iter()
        .map(|violation| format!("{}: {}", violation.pointer, violation.reason))
        .collect::<Vec<_>>()
        .join("; ");
    if violations.iter().any(|v| v.pointer == "/credentials") {
        Rejection::new(StatusCode::UNAUTHORIZED, "missing_credentials", message)
    } else if violations
        .iter()
        .any(|v| v.pointer == "/header/content-type" && v.reason.contains("not documented"))
    {
        Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        )
    } else {
        Rejection::new(StatusCode::BAD_REQUEST, "contract_violation", message)
    }
}
