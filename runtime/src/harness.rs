//! The conformance kit: drives an implementation through every operation of its contract
//! and reports each way it breaks it.
//!
//! For each operation the kit sends schema-valid requests (the spec's examples first, then
//! generated values) and checks that the status is documented, that the media type, body and
//! declared headers match, and that no 5xx comes back; it sends the request again without
//! credentials when the operation is secured and expects a refusal (401 or 403 where the
//! operation documents one, any 4xx where it documents neither); and it sends invalid
//! input (malformed and wrong-shaped bodies, undocumented media types, missing or mistyped
//! parameters) and expects a 4xx. The target is a router in process
//! ([`Kit::check_router`]) or a server at a URL ([`Kit::check_url`]).
//!
//! A generated crate with feature `harness` wraps this in `harness::check(api, credentials)`.

use std::collections::BTreeMap;
use std::fmt;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request};
use base64::Engine as _;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::contract::{
    Contract, Location, Operation, Parameter, RequestView, ResponseView, SecurityScheme, Status,
    Violation, ViolationKind,
};
use crate::params::{self, Encoded, Layout};
use crate::values::{self, Rng};

/// Secrets by security scheme name, as the spec names them. An API key or token is given as
/// is; HTTP basic as `user:password`.
#[derive(Clone, Default)]
pub struct Credentials {
    secrets: BTreeMap<String, String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: secrets never reach logs.
        f.debug_set().entries(self.secrets.keys()).finish()
    }
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }

    /// The secret for one scheme (`securitySchemes` key).
    pub fn with(mut self, scheme: impl Into<String>, secret: impl Into<String>) -> Self {
        self.secrets.insert(scheme.into(), secret.into());
        self
    }
}

/// One way the implementation broke the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub operation: String,
    /// The request that showed it: method, URL, media type and body.
    pub request: String,
    pub expected: String,
    pub actual: String,
}

/// What a run of the kit found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub api: String,
    pub operations: usize,
    pub requests: usize,
    pub findings: Vec<Finding>,
    /// Requests the kit could not make (no credentials for a scheme, no value it could
    /// generate that fits a pattern): not violations, but not checked either.
    pub skipped: Vec<String>,
}

impl Report {
    /// No violations found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The findings' operation ids, for tests asserting what was caught.
    pub fn operations_with_findings(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.findings.iter().map(|f| f.operation.as_str()).collect();
        ids.dedup();
        ids
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "conformance of {}: {} operations, {} requests, {} violations, {} skipped",
            self.api,
            self.operations,
            self.requests,
            self.findings.len(),
            self.skipped.len()
        )?;
        for (number, finding) in self.findings.iter().enumerate() {
            writeln!(
                f,
                "{}. {}: {}",
                number + 1,
                finding.operation,
                finding.request
            )?;
            writeln!(f, "   expected: {}", finding.expected)?;
            writeln!(f, "   actual:   {}", finding.actual)?;
        }
        for skipped in &self.skipped {
            writeln!(f, "skipped: {skipped}")?;
        }
        Ok(())
    }
}

/// The kit, configured; see the module docs.
#[derive(Debug, Clone)]
pub struct Kit {
    contract: Contract,
    credentials: Credentials,
    generated: usize,
    seed: u64,
    base_path: String,
}

impl Kit {
    pub fn new(contract: &Contract) -> Self {
        Self {
            contract: contract.clone(),
            credentials: Credentials::default(),
            generated: 3,
            seed: 1,
            base_path: String::new(),
        }
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Generated requests per operation, after the spec's examples (default 3).
    pub fn generated_per_operation(mut self, count: usize) -> Self {
        self.generated = count;
        self
    }

    /// Seed of the generated values (default 1); the same seed sends the same requests.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Where the operations are mounted on the router (`/api/v1`); empty for a generated
    /// `router(api)` as is.
    pub fn base_path(mut self, base_path: impl Into<String>) -> Self {
        self.base_path = base_path.into().trim_end_matches('/').to_string();
        self
    }

    /// Checks a router in process (no socket).
    pub async fn check_router(&self, router: axum::Router) -> Report {
        self.run(&Target::Router(router)).await
    }

    /// Checks a running server; `base_url` includes the base path
    /// (`http://127.0.0.1:8080/api/v1`).
    pub async fn check_url(&self, base_url: &str) -> Report {
        let target = Target::Url {
            client: reqwest::Client::new(),
            base: base_url.trim_end_matches('/').to_string(),
        };
        self.run(&target).await
    }

    async fn run(&self, target: &Target) -> Report {
        let mut report = Report {
            api: format!("{} {}", self.contract.title(), self.contract.version()),
            operations: self.contract.operations().len(),
            ..Report::default()
        };
        for index in 0..self.contract.operations().len() {
            self.check_operation(index, target, &mut report).await;
        }
        report
    }

    async fn check_operation(&self, index: usize, target: &Target, report: &mut Report) {
        let operation = &self.contract.operations()[index];
        let credentials = self.placements(operation);
        let plans = self.valid_plans(index);

        // Valid requests: a documented, well-formed answer and no 5xx.
        let mut first_valid: Option<Plan> = None;
        match &credentials {
            None => report.skipped.push(format!(
                "{}: no credentials for its security schemes ({}); give them to the kit",
                operation.id,
                operation
                    .security
                    .iter()
                    .map(|alternative| alternative.join(" + "))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            Some(placements) => {
                for plan in &plans {
                    let mut plan = plan.clone();
                    plan.credentials = placements.clone();
                    let problems = self
                        .contract
                        .check_request(index, &plan.view_parts().view());
                    if !problems.is_empty() {
                        report.skipped.push(format!(
                            "{}: {} could not be made valid: {}",
                            operation.id,
                            plan.label,
                            join(&problems)
                        ));
                        continue;
                    }
                    first_valid.get_or_insert_with(|| plan.clone());
                    let Some(received) = self.send(target, &plan, report).await else {
                        continue;
                    };
                    for violation in self.contract.check_response(index, &received.view()) {
                        report.findings.push(finding(operation, &plan, &violation));
                    }
                    if received.status >= 500 {
                        report.findings.push(Finding {
                            operation: operation.id.clone(),
                            request: plan.describe(),
                            expected: "no 5xx for a request that fits the contract".into(),
                            actual: received.summary(),
                        });
                    }
                }
            }
        }

        // A secured operation refuses a request without credentials: with 401 or 403 where
        // the operation documents one of them, else (the contract leaves no better status)
        // with any client error.
        let secured = operation.requires_credentials();
        if secured && let Some(plan) = plans.first() {
            let mut plan = plan.clone();
            plan.credentials.clear();
            plan.label = format!("{} without credentials", plan.label);
            let documented: Vec<u16> = [401, 403]
                .into_iter()
                .filter(|code| {
                    operation
                        .responses
                        .iter()
                        .any(|response| response.status == Status::Code(*code))
                })
                .collect();
            if let Some(received) = self.send(target, &plan, report).await {
                let refused = if documented.is_empty() {
                    (400..500).contains(&received.status)
                } else {
                    documented.contains(&received.status)
                };
                if !refused {
                    let statuses: Vec<String> = documented.iter().map(u16::to_string).collect();
                    let expected = match statuses.as_slice() {
                        [] => "a 4xx".to_string(),
                        _ => statuses.join(" or "),
                    } + ": the operation is secured and no credentials were sent";
                    report.findings.push(Finding {
                        operation: operation.id.clone(),
                        request: plan.describe(),
                        expected,
                        actual: received.summary(),
                    });
                }
            }
        }

        // Invalid input gets a 4xx, never a 5xx (nor a success).
        let base = first_valid.or_else(|| plans.first().cloned());
        if let Some(base) = base {
            for (plan, what) in self.invalid_plans(index, &base) {
                let Some(received) = self.send(target, &plan, report).await else {
                    continue;
                };
                if !(400..500).contains(&received.status) {
                    report.findings.push(Finding {
                        operation: operation.id.clone(),
                        request: plan.describe(),
                        expected: format!("a 4xx for invalid input ({what})"),
                        actual: received.summary(),
                    });
                }
            }
        }
    }

    async fn send(&self, target: &Target, plan: &Plan, report: &mut Report) -> Option<Received> {
        report.requests += 1;
        match target.send(&self.base_path, plan).await {
            Ok(received) => Some(received),
            Err(message) => {
                report.findings.push(Finding {
                    operation: plan.operation.clone(),
                    request: plan.describe(),
                    expected: "an HTTP response".into(),
                    actual: message,
                });
                None
            }
        }
    }

    /// Where each credential goes for an operation, for the first alternative the kit has
    /// every secret of; `None` when it has none; empty when none is needed.
    fn placements(&self, operation: &Operation) -> Option<Vec<(Place, String)>> {
        if operation.security.is_empty() {
            return Some(Vec::new());
        }
        operation.security.iter().find_map(|alternative| {
            alternative
                .iter()
                .map(|scheme| {
                    let secret = self.credentials.secrets.get(scheme)?;
                    let found = self.contract.security_scheme(scheme)?;
                    Some(placement(found, secret))
                })
                .collect::<Option<Vec<_>>>()
        })
    }

    /// The spec's examples first, then generated values.
    fn valid_plans(&self, index: usize) -> Vec<Plan> {
        let operation = &self.contract.operations()[index];
        let defs = self.contract.definitions();
        let media = operation.request_body.as_ref().and_then(|body| {
            body.content
                .iter()
                .find(|media| contract_wire::media::is_json(&media.media_type))
                .or_else(|| body.content.first())
        });
        let body_examples = media.map_or(0, |media| media.examples.len());
        let parameter_examples = operation
            .parameters
            .iter()
            .map(|parameter| parameter.examples.len())
            .max()
            .unwrap_or(0);
        let examples = body_examples.max(parameter_examples);
        let mut rng = Rng::new(self.seed.wrapping_add(index as u64));
        let mut plans: Vec<Plan> = Vec::new();
        for round in 0..examples + self.generated {
            let from_example = round < examples;
            let label = if from_example {
                format!("example {}", round + 1)
            } else {
                format!("generated {}", round - examples + 1)
            };
            let mut plan = Plan::new(operation, label);
            for parameter in &operation.parameters {
                let example = from_example
                    .then(|| parameter.examples.get(round).or(parameter.examples.first()))
                    .flatten();
                // Optional parameters in every other generated request.
                if example.is_none() && !parameter.required && round % 2 == 0 {
                    continue;
                }
                let value = example
                    .cloned()
                    .unwrap_or_else(|| values::sample(&parameter.schema, defs, &mut rng));
                plan.set_parameter(parameter, &value);
            }
            if let Some(media) = media {
                let example = from_example
                    .then(|| media.examples.get(round).or(media.examples.first()))
                    .flatten();
                let value = example
                    .cloned()
                    .unwrap_or_else(|| values::sample(&media.schema, defs, &mut rng));
                plan.body = Some((
                    media.media_type.clone(),
                    encode_body(&media.media_type, &value),
                ));
            }
            if !plans.iter().any(|existing| existing.same_request(&plan)) {
                plans.push(plan);
            }
        }
        plans
    }

    /// Requests that break the contract, each with what is wrong with it; each is checked to
    /// be invalid by the contract before it is used.
    fn invalid_plans(&self, index: usize, base: &Plan) -> Vec<(Plan, String)> {
        let operation = &self.contract.operations()[index];
        let defs = self.contract.definitions();
        let mut candidates: Vec<(Plan, String)> = Vec::new();
        if let Some(body) = &operation.request_body {
            if let Some(media) = body
                .content
                .iter()
                .find(|media| contract_wire::media::is_json(&media.media_type))
            {
                let mut malformed = base.variant("malformed JSON body");
                malformed.body = Some((media.media_type.clone(), b"{\"unterminated".to_vec()));
                candidates.push((malformed, "a body that is not JSON".into()));
                let valid = base
                    .body
                    .as_ref()
                    .and_then(|(_, bytes)| serde_json::from_slice(bytes).ok())
                    .unwrap_or(Value::Null);
                let mut shapes = 0;
                for wrong in values::wrong_shapes(&media.schema, defs, &valid) {
                    if shapes == 3 {
                        break;
                    }
                    let mut plan = base.variant(&format!("body {}", short(&wrong.to_string())));
                    plan.body = Some((media.media_type.clone(), wrong.to_string().into_bytes()));
                    if self.breaks_contract(index, &plan) {
                        shapes += 1;
                        candidates.push((plan, "a body of the wrong shape".into()));
                    }
                }
            }
            let mut unknown = base.variant("undocumented media type");
            unknown.body = Some(("application/x-contract-kit-unknown".into(), b"x".to_vec()));
            candidates.push((
                unknown,
                "a media type the operation does not document".into(),
            ));
            if body.required {
                let mut missing = base.variant("no body");
                missing.body = None;
                candidates.push((missing, "no body where one is required".into()));
            }
        }
        for parameter in operation.parameters.iter().filter(|p| p.required) {
            // A missing path segment is another route, not a missing parameter.
            if parameter.location == Location::Path {
                continue;
            }
            let mut plan = base.variant(&format!(
                "without {} `{}`",
                parameter.location, parameter.name
            ));
            plan.remove_parameter(parameter);
            candidates.push((
                plan,
                format!("required {} parameter missing", parameter.location),
            ));
        }
        for parameter in &operation.parameters {
            let resolved = crate::contract::resolve(&parameter.schema, defs);
            if !matches!(
                crate::contract::schema_type(resolved),
                Some("integer" | "number" | "boolean")
            ) {
                continue;
            }
            let mut plan = base.variant(&format!(
                "{} `{}` not a number",
                parameter.location, parameter.name
            ));
            plan.remove_parameter(parameter);
            plan.set_parameter(parameter, &Value::String("not-a-number".into()));
            candidates.push((
                plan,
                format!("{} parameter of the wrong type", parameter.location),
            ));
        }
        candidates
            .into_iter()
            .filter(|(plan, _)| self.breaks_contract(index, plan))
            .collect()
    }

    /// The request breaks the contract for a reason other than credentials.
    fn breaks_contract(&self, index: usize, plan: &Plan) -> bool {
        self.contract
            .check_request(index, &plan.view_parts().view())
            .iter()
            .any(|violation| violation.kind != ViolationKind::MissingCredentials)
    }
}

fn finding(operation: &Operation, plan: &Plan, violation: &Violation) -> Finding {
    Finding {
        operation: operation.id.clone(),
        request: plan.describe(),
        expected: format!("response {} as the contract says", violation.pointer),
        actual: violation.reason.clone(),
    }
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|violation| format!("{}: {}", violation.pointer, violation.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

fn short(text: &str) -> String {
    if text.chars().count() <= 80 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(80).collect::<String>())
    }
}

/// Where a credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Header(String),
    Query(String),
    Cookie(String),
}

fn placement(scheme: &SecurityScheme, secret: &str) -> (Place, String) {
    use contract_wire::contract::ApiKeyLocation;
    match scheme {
        SecurityScheme::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Query => Place::Query(name.clone()),
                ApiKeyLocation::Cookie => Place::Cookie(name.clone()),
                ApiKeyLocation::Header => Place::Header(name.clone()),
            };
            (place, secret.to_string())
        }
        SecurityScheme::Http { scheme } if scheme == "basic" => (
            Place::Header("authorization".into()),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(secret)
            ),
        ),
        SecurityScheme::Http { scheme } if scheme != "bearer" => (
            Place::Header("authorization".into()),
            format!("{scheme} {secret}"),
        ),
        // Bearer tokens, and OAuth 2 and OpenID Connect access tokens.
        _ => (
            Place::Header("authorization".into()),
            format!("Bearer {secret}"),
        ),
    }
}

/// A request the kit will send, before it is bound to a target.
#[derive(Debug, Clone)]
struct Plan {
    operation: String,
    label: String,
    method: String,
    /// The path template, and the text of each path parameter set so far.
    template: contract_wire::PathTemplate,
    path_values: Vec<(String, String)>,
    /// Percent-encoded pairs.
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    credentials: Vec<(Place, String)>,
    body: Option<(String, Vec<u8>)>,
}

/// A plan flattened into the shapes the contract checks take.
struct Parts {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Parts {
    fn view(&self) -> RequestView<'_> {
        RequestView {
            method: &self.method,
            path: &self.path,
            query: (!self.query.is_empty()).then_some(self.query.as_str()),
            headers: &self.headers,
            body: &self.body,
        }
    }
}

impl Plan {
    fn new(operation: &Operation, label: String) -> Self {
        Self {
            operation: operation.id.clone(),
            label,
            method: operation.method.clone(),
            template: operation.path.clone(),
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            credentials: Vec::new(),
            body: None,
        }
    }

    fn variant(&self, label: &str) -> Self {
        Self {
            label: label.to_string(),
            ..self.clone()
        }
    }

    fn same_request(&self, other: &Plan) -> bool {
        self.path() == other.path()
            && self.query == other.query
            && self.headers == other.headers
            && self.cookies == other.cookies
            && self.body == other.body
    }

    /// The request path: the template with every path parameter set so far in place (one
    /// not set stays as `{name}`).
    fn path(&self) -> String {
        self.template
            .segments()
            .iter()
            .map(|segment| match segment {
                contract_wire::PathSegment::Literal(text) => text.clone(),
                contract_wire::PathSegment::Param(name) => self
                    .path_values
                    .iter()
                    .find(|(set, _)| set == name)
                    .map_or_else(|| format!("{{{name}}}"), |(_, text)| text.clone()),
            })
            .collect()
    }

    /// Puts a value on the wire as the parameter's layout (or media type) says, with the
    /// codec the generated clients use.
    fn set_parameter(&mut self, parameter: &Parameter, value: &Value) {
        let encoded = match &parameter.media_type {
            Some(media) if contract_wire::media::is_json(media) => {
                params::encode_text(&parameter.name, parameter.location, &value.to_string())
            }
            _ => params::encode(
                &parameter.name,
                Layout::new(parameter.location, parameter.style, parameter.explode),
                value,
            ),
        };
        match encoded {
            Encoded::Path(text) => {
                self.path_values.retain(|(name, _)| *name != parameter.name);
                self.path_values.push((parameter.name.clone(), text));
            }
            Encoded::Query(pairs) => self.query.extend(pairs),
            Encoded::Header(text) => self.headers.push((parameter.name.clone(), text)),
            Encoded::Cookie(text) => self.cookies.push((parameter.name.clone(), text)),
        }
    }

    fn remove_parameter(&mut self, parameter: &Parameter) {
        let name = &parameter.name;
        let decoded = |key: &str| {
            percent_encoding::percent_decode_str(key)
                .decode_utf8_lossy()
                .into_owned()
        };
        let deep = format!("{name}[");
        match parameter.location {
            Location::Query => self.query.retain(|(key, _)| {
                let key = decoded(key);
                key != *name && !key.starts_with(&deep)
            }),
            Location::Header => self
                .headers
                .retain(|(key, _)| !key.eq_ignore_ascii_case(name)),
            Location::Cookie => self.cookies.retain(|(key, _)| key != name),
            Location::Path => {}
        }
    }

    fn view_parts(&self) -> Parts {
        let mut query = self.query.clone();
        let mut headers = HeaderMap::new();
        let mut cookies = self.cookies.clone();
        for (place, value) in &self.credentials {
            match place {
                Place::Header(name) => {
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::try_from(name.as_str()),
                        HeaderValue::try_from(value),
                    ) {
                        headers.insert(name, value);
                    }
                }
                Place::Query(name) => {
                    let layout = Layout::new(Location::Query, contract_wire::Style::Form, true);
                    if let Encoded::Query(pairs) =
                        params::encode(name, layout, &Value::String(value.clone()))
                    {
                        query.extend(pairs);
                    }
                }
                Place::Cookie(name) => cookies.push((name.clone(), value.clone())),
            }
        }
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value),
            ) {
                headers.append(name, value);
            }
        }
        if !cookies.is_empty() {
            let line = cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            if let Ok(value) = HeaderValue::try_from(line) {
                headers.insert(axum::http::header::COOKIE, value);
            }
        }
        let mut body = Vec::new();
        if let Some((media_type, bytes)) = &self.body {
            if let Ok(value) = HeaderValue::try_from(media_type) {
                headers.insert(axum::http::header::CONTENT_TYPE, value);
            }
            body = bytes.clone();
        }
        let query = params::query_string(&query);
        Parts {
            method: self.method.clone(),
            path: self.path(),
            query,
            headers,
            body,
        }
    }

    fn describe(&self) -> String {
        let parts = self.view_parts();
        let mut out = format!("{} {}", self.method, parts.path);
        if !parts.query.is_empty() {
            out.push('?');
            out.push_str(&parts.query);
        }
        out.push_str(&format!(" ({})", self.label));
        if let Some((media_type, bytes)) = &self.body {
            out.push_str(&format!(
                " {media_type} {}",
                short(&String::from_utf8_lossy(bytes))
            ));
        }
        out
    }
}

fn encode_body(media_type: &str, value: &Value) -> Vec<u8> {
    use contract_wire::media::Kind;
    match contract_wire::media::kind(media_type) {
        Kind::Form => {
            let pairs: Vec<(String, String)> = match value {
                Value::Object(map) => map
                    .iter()
                    .map(|(key, value)| (key.clone(), params::scalar_text(value).into_owned()))
                    .collect(),
                _ => Vec::new(),
            };
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish()
                .into_bytes()
        }
        Kind::Json => value.to_string().into_bytes(),
        // Text, and bytes of any other kind: any will do.
        Kind::Text | Kind::Multipart | Kind::Binary => {
            params::scalar_text(value).into_owned().into_bytes()
        }
    }
}

/// What came back.
struct Received {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn view(&self) -> ResponseView<'_> {
        ResponseView {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
        }
    }

    fn summary(&self) -> String {
        let media = self
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("no content type");
        format!(
            "{} ({media}) {}",
            self.status,
            short(&String::from_utf8_lossy(&self.body))
        )
    }
}

enum Target {
    Router(axum::Router),
    Url {
        client: reqwest::Client,
        base: String,
    },
}

impl Target {
    async fn send(&self, base_path: &str, plan: &Plan) -> Result<Received, String> {
        let parts = plan.view_parts();
        let mut location = parts.path.clone();
        if !parts.query.is_empty() {
            location.push('?');
            location.push_str(&parts.query);
        }
        let method = Method::from_bytes(parts.method.as_bytes()).map_err(|err| err.to_string())?;
        match self {
            Target::Router(router) => {
                let mut request = Request::builder()
                    .method(method)
                    .uri(format!("{base_path}{location}"))
                    .body(Body::from(parts.body))
                    .map_err(|err| err.to_string())?;
                *request.headers_mut() = parts.headers;
                let response = router
                    .clone()
                    .oneshot(request)
                    .await
                    .map_err(|err| err.to_string())?;
                let (head, body) = response.into_parts();
                let body = body
                    .collect()
                    .await
                    .map_err(|err| err.to_string())?
                    .to_bytes();
                Ok(Received {
                    status: head.status.as_u16(),
                    headers: head.headers,
                    body,
                })
            }
            Target::Url { client, base } => {
                let response = client
                    .request(method, format!("{base}{location}"))
                    .headers(parts.headers)
                    .body(parts.body)
                    .send()
                    .await
                    .map_err(|err| format!("transport: {err}"))?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let body = response.bytes().await.map_err(|err| err.to_string())?;
                Ok(Received {
                    status,
                    headers,
                    body,
                })
            }
        }
    }
}
