//! The wire validation layer: what it refuses, what it reports, and how it reads OpenAPI 3.0
//! schemas (nullable, readOnly, writeOnly, discriminator, formats) as JSON Schema.

mod support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use contract_runtime::contract::{Contract, Direction, RequestView, ResponseView, Violation};
use contract_runtime::validate::{ValidationLayer, ViolationLog};
use http_body_util::BodyExt;
use support::*;
use tower::ServiceExt;

async fn send(router: axum::Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn auth_request(body: &str) -> Request<Body> {
    post("/auth", "application/json", body.to_string())
}

/// `tokenTimeoutSeconds` has `maximum: 172800`: an `i64` accepts more, the contract does not.
const TOO_LONG: &str =
    r#"{"email": "a@example.com", "password": "p", "tokenTimeoutSeconds": 999999}"#;

#[tokio::test]
async fn enforcing_refuses_what_the_types_would_accept() {
    let double = Arc::new(Double::default());
    let router = soracom::router(double.clone()).layer(soracom_api::harness::validation_layer());
    let (status, body) = send(router, auth_request(TOO_LONG)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "contract_violation");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("/body/tokenTimeoutSeconds"), "{message}");
    assert!(message.contains("172800"), "{message}");
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn enforcing_answers_401_and_415_like_the_router() {
    let double = Arc::new(Double::default());
    let router = zrok::router(double.clone()).layer(zrok_api::harness::validation_layer());
    let request = post("/changePassword", "application/zrok.v1+json", "{}");
    let (status, body) = send(router.clone(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("x-token")
    );

    let request = post("/login", "text/plain", "hello");
    let (status, body) = send(router, request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(double.calls(), 0, "the handler ran");
}

/// A body sent without `Content-Type` is refused as the router refuses it (415), by the kind
/// of the violation rather than by its wording.
#[tokio::test]
async fn a_body_without_a_content_type_is_415_from_layer_and_router_alike() {
    let double = Arc::new(Double::default());
    let without_content_type = || {
        Request::post("/login")
            .body(Body::from(r#"{"email": "a@example.com", "password": "p"}"#))
            .unwrap()
    };
    let router = zrok::router(double.clone());
    let (status, body) = send(router.clone(), without_content_type()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "router: {body}");
    assert_eq!(
        body["error"]["code"], "unsupported_media_type",
        "router: {body}"
    );

    let layered = router.layer(zrok_api::harness::validation_layer());
    let (status, body) = send(layered, without_content_type()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "layer: {body}");
    assert_eq!(
        body["error"]["code"], "unsupported_media_type",
        "layer: {body}"
    );
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn report_only_lets_the_request_through_and_names_the_violation() {
    let double = Arc::new(Double::default());
    double.respond(
        "auth",
        soracom_api::operations::auth::Response::Unauthorized(soracom_api::models::APIError {
            code: "AUM0001".into(),
            message: "Authentication failed.".into(),
        }),
    );
    let log = ViolationLog::new();
    let router = soracom::router(double.clone()).layer(
        soracom_api::harness::validation_layer()
            .report_only()
            .collect_into(&log),
    );
    let (status, _) = send(router, auth_request(TOO_LONG)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(double.calls(), 1);
    let violations = log.take();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].operation, "auth");
    assert_eq!(violations[0].direction, Direction::Request);
    assert_eq!(violations[0].pointer, "/body/tokenTimeoutSeconds");
    assert!(
        violations[0]
            .to_string()
            .starts_with("auth request /body/tokenTimeoutSeconds: ")
    );
}

/// `router` behind its validation `layer`, answering with documented refusals and reporting
/// into `log`.
fn refusing(router: axum::Router, layer: ValidationLayer, log: &ViolationLog) -> axum::Router {
    router.layer(layer.documented_refusals().collect_into(log))
}

/// A hand-written handler behind the layer, answering `/auth` with `response`, report-only:
/// responses the generated router could never send.
fn layered(
    response: impl Fn() -> axum::response::Response + Clone + Send + Sync + 'static,
    log: &ViolationLog,
) -> axum::Router {
    axum::Router::new()
        .route(
            "/auth",
            axum::routing::post(move || {
                let response = response.clone();
                async move { response() }
            }),
        )
        .layer(
            soracom_api::harness::validation_layer()
                .report_only()
                .collect_into(log),
        )
}

/// A response a hand-written handler sends.
fn response(status: StatusCode, content_type: &str, body: Body) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .unwrap()
}

/// What the report-only layer says of `response`, answered to a valid `/auth` request.
async fn response_violations(
    status: StatusCode,
    content_type: &'static str,
    body: &'static str,
) -> Vec<Violation> {
    let log = ViolationLog::new();
    let valid = r#"{"email": "a@example.com", "password": "p"}"#;
    let handler = move || response(status, content_type, body.into());
    // The response is checked as its body is read.
    let answer = through_layer(handler, &log, valid).await;
    answer.into_body().collect().await.unwrap();
    log.take()
}

/// The answer to `/auth` with `body` from a handler answering `response`, through the
/// report-only layer reporting into `log`.
async fn through_layer(
    response: impl Fn() -> axum::response::Response + Clone + Send + Sync + 'static,
    log: &ViolationLog,
    body: &str,
) -> axum::response::Response {
    layered(response, log)
        .oneshot(auth_request(body))
        .await
        .unwrap()
}

#[tokio::test]
async fn responses_are_checked_too() {
    let ok = response_violations(
        StatusCode::OK,
        "application/json",
        r#"{"apiKey": "k", "token": "t"}"#,
    )
    .await;
    assert!(ok.is_empty(), "{ok:?}");

    let undocumented = response_violations(StatusCode::CREATED, "application/json", "{}").await;
    assert_eq!(undocumented.len(), 1);
    assert_eq!(undocumented[0].pointer, "/status");
    assert_eq!(undocumented[0].direction, Direction::Response);
    assert!(
        undocumented[0]
            .reason
            .contains("201 is not documented (documented: 200, 400, 401, 415)"),
        "{}",
        undocumented[0].reason
    );

    let wrong_type =
        response_violations(StatusCode::OK, "application/json", r#"{"apiKey": 5}"#).await;
    assert_eq!(wrong_type.len(), 1);
    assert_eq!(wrong_type[0].pointer, "/body/apiKey");

    let media = response_violations(StatusCode::OK, "text/plain", "token").await;
    assert_eq!(media.len(), 1);
    assert_eq!(media[0].pointer, "/header/content-type");

    let not_json = response_violations(StatusCode::OK, "application/json", "{").await;
    assert_eq!(not_json[0].pointer, "/body");
    assert!(not_json[0].reason.starts_with("not valid JSON"));

    // 401 documents SORACOM's error body, which `{}` is not.
    let body = response_violations(StatusCode::UNAUTHORIZED, "application/json", "{}").await;
    assert_eq!(body[0].pointer, "/body");
}

/// OpenAPI 3.0 keywords that are not JSON Schema, read the way the spec means them.
const TRANSLATION: &str = include_str!("translation.yaml");

fn translation_contract() -> Contract {
    let api =
        contractgen::lower(&contractgen::Source::new("translation.yaml", TRANSLATION)).unwrap();
    Contract::new(api.wire)
}

fn request_violations(
    contract: &Contract,
    path: &str,
    query: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<String> {
    let mut map = HeaderMap::new();
    map.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
    for (name, value) in headers {
        map.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    let method = if path.starts_with("/pets") {
        "PUT"
    } else {
        "POST"
    };
    let index = contract.find(method, path).expect("an operation");
    contract
        .check_request(
            index,
            &RequestView {
                method,
                path,
                query,
                headers: &map,
                body: body.as_bytes(),
            },
        )
        .into_iter()
        .map(|v| v.pointer)
        .collect()
}

const TRACE: (&str, &str) = ("x-trace", "3f2a1000-0c1d-4e5f-8a9b-0c1d2e3f4a5b");

#[test]
fn requests_read_openapi_keywords() {
    let contract = translation_contract();
    let check = |path: &str, query: Option<&str>, body: &str| {
        request_violations(&contract, path, query, &[TRACE], body)
    };
    // Valid: readOnly `id` is not required in a request, writeOnly `secret` is; null name.
    assert_eq!(
        check(
            "/pets/7",
            Some("tags=a,b"),
            r#"{"name": null, "secret": "s"}"#
        ),
        Vec::<String>::new()
    );
    // readOnly must not be sent.
    assert_eq!(
        check("/pets/7", None, r#"{"id": 1, "name": "n", "secret": "s"}"#),
        ["/body/id"]
    );
    // int32 and minimum on the path, enum items in a non-exploded query array.
    assert_eq!(
        check("/pets/0", None, r#"{"name": "n", "secret": "s"}"#),
        ["/path/id"]
    );
    assert_eq!(
        check("/pets/3000000000", None, r#"{"name": "n", "secret": "s"}"#),
        ["/path/id"]
    );
    assert_eq!(
        check(
            "/pets/7",
            Some("tags=a,c"),
            r#"{"name": "n", "secret": "s"}"#
        ),
        ["/query/tags/1"]
    );
    // Formats and exclusive bounds.
    assert_eq!(
        check(
            "/pets/7",
            None,
            r#"{"name": "n", "secret": "s", "born": "yesterday", "photo": "%%%", "weight": 0}"#
        ),
        ["/body/born", "/body/photo", "/body/weight"]
    );
    // A required header, and a format on it.
    assert_eq!(
        request_violations(
            &contract,
            "/pets/7",
            None,
            &[],
            r#"{"name": "n", "secret": "s"}"#
        ),
        ["/header/X-Trace"]
    );
    assert_eq!(
        request_violations(
            &contract,
            "/pets/7",
            None,
            &[("x-trace", "nope")],
            r#"{"name": "n", "secret": "s"}"#
        ),
        ["/header/X-Trace"]
    );
    // The discriminator picks the schema: a circle is checked as a circle only.
    assert_eq!(
        check("/shapes", None, r#"{"kind": "Circle", "radius": 1}"#),
        Vec::<String>::new()
    );
    assert_eq!(
        check("/shapes", None, r#"{"kind": "Circle", "side": 1}"#),
        ["/body"]
    );
    assert_eq!(
        check("/shapes", None, r#"{"kind": "Triangle"}"#),
        ["/body/kind"]
    );
}

#[test]
fn responses_read_openapi_keywords() {
    let contract = translation_contract();
    let index = contract.find("PUT", "/pets/7").unwrap();
    let check = |rate: Option<&str>, body: &str| -> Vec<String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        if let Some(rate) = rate {
            headers.insert("x-rate-limit", rate.parse().unwrap());
        }
        contract
            .check_response(
                index,
                &ResponseView {
                    status: 200,
                    headers: &headers,
                    body: body.as_bytes(),
                },
            )
            .into_iter()
            .map(|v| v.pointer)
            .collect()
    };
    // readOnly `id` is required in a response; writeOnly `secret` is not.
    assert_eq!(
        check(Some("10"), r#"{"id": 1, "name": "n"}"#),
        Vec::<String>::new()
    );
    assert_eq!(check(Some("10"), r#"{"name": "n"}"#), ["/body"]);
    // writeOnly must not come back.
    assert_eq!(
        check(Some("10"), r#"{"id": 1, "name": "n", "secret": "s"}"#),
        ["/body/secret"]
    );
    // Declared headers: required, and typed.
    assert_eq!(
        check(None, r#"{"id": 1, "name": "n"}"#),
        ["/header/X-Rate-Limit"]
    );
    assert_eq!(
        check(Some("many"), r#"{"id": 1, "name": "n"}"#),
        ["/header/X-Rate-Limit"]
    );
}

async fn send_raw(
    router: axum::Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn documented_refusals_use_the_refusals_own_status_and_the_documented_body() {
    // SORACOM's /auth documents 400 with its APIError: a malformed request is refused 400 in
    // that shape, not with the 401 for failed authentication.
    let double = Arc::new(Double::default());
    let router = soracom::router(double.clone())
        .layer(soracom_api::harness::validation_layer().documented_refusals());
    for (content_type, body) in [
        ("application/json", TOO_LONG),
        ("application/json", "{not json"),
        ("application/json", r#"{"email": 5}"#),
    ] {
        let request = post("/auth", content_type, body);
        let (status, body) = send(router.clone(), request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let decoded: soracom_api::models::APIError = serde_json::from_value(body.clone()).unwrap();
        assert!(decoded.message.contains("/body"), "{body}");
    }
    let request = post("/auth", "text/plain", "hello");
    let (status, body) = send(router.clone(), request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(body["code"], "unsupported_media_type");

    // Pterodactyl's updateEmail documents 400 with its ErrorResponse: the refusal fits it
    // and carries the message.
    let router = pterodactyl::router(double.clone())
        .layer(pterodactyl_api::harness::validation_layer().documented_refusals());
    let request = Request::put("/account/email")
        .header(header::AUTHORIZATION, "Bearer token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email": 5, "password": "p"}"#))
        .unwrap();
    let (status, body) = send(router.clone(), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["code"], "contract_violation", "{body}");
    assert_eq!(body["errors"][0]["status"], "400", "{body}");
    let detail = body["errors"][0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("/body/email: 5 is not of type"),
        "{detail}"
    );

    // Missing credentials: the documented 401, in the same envelope, with the challenge.
    let request = Request::put("/account/email")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email": "a@example.com", "password": "p"}"#))
        .unwrap();
    let (status, headers, bytes) = send_raw(router, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["errors"][0]["status"], "401", "{body}");

    // zrok's regenerateAccountToken without x-token: 401 with zrok's error body (a JSON
    // string), not the 404 "account not found".
    let router = zrok::router(double.clone())
        .layer(zrok_api::harness::validation_layer().documented_refusals());
    let request = post("/regenerateAccountToken", "application/zrok.v1+json", "{}");
    let (status, body) = send(router.clone(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        body.as_str().is_some_and(|text| text.contains("x-token")),
        "{body}"
    );
    // zrok's login with broken JSON: 400, never the login's 401.
    let request = post("/login", "application/zrok.v1+json", "{\"email\": ");
    let (status, body) = send(router, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.is_string(), "{body}");
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn persona_refusals_decode_into_its_documented_error_models() {
    let double = Arc::new(Double::default());
    let router = persona::router(double.clone())
        .layer(persona_api::harness::validation_layer().documented_refusals());
    let request = post(
        "/account/password/forgot",
        "application/json;charset=utf-8",
        r#"{"email": 5}"#,
    );
    let (status, body) = send(router.clone(), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let decoded: persona_api::models::InlineResponse400 =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.http_code, Some(400), "{body}");
    let invalid = decoded.invalid_request_body.expect("invalid_request_body");
    assert!(
        invalid
            .message
            .is_some_and(|message| message.contains("/body/email")),
        "{body}"
    );

    let request = post("/account/password/forgot", "text/plain", "hello");
    let (status, body) = send(router, request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let decoded: persona_api::models::InlineResponse415 =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.http_code, Some(415), "{body}");
    assert!(decoded.unsupported_media_type.is_some(), "{body}");
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn where_no_documented_status_fits_the_standard_one_is_answered_and_reported() {
    // Pterodactyl's getAccount documents 200 and 401: a body it does not take is a 400 (in
    // the API's error envelope), reported as a gap in the contract, never a 200 or a 401.
    let double = Arc::new(Double::default());
    let log = ViolationLog::new();
    let layer = pterodactyl_api::harness::validation_layer();
    let router = refusing(pterodactyl::router(double.clone()), layer, &log);
    let request = Request::get("/account")
        .header(header::AUTHORIZATION, "Bearer token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let (status, body) = send(router, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["status"], "400", "{body}");
    let violations = log.take();
    assert!(
        violations
            .iter()
            .any(|violation| violation.direction == Direction::Response
                && violation.pointer == "/status"
                && violation.reason.contains("400")),
        "{violations:?}"
    );
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn refusals_and_reports_never_contain_a_secret() {
    const SECRET: &str = "Demo-Passw0rd";
    let double = Arc::new(Double::default());
    let log = ViolationLog::new();
    let kestra_layer = kestra_api::harness::validation_layer();
    let kestra_router = refusing(kestra::router(double.clone()), kestra_layer, &log);
    let pterodactyl_layer = pterodactyl_api::harness::validation_layer();
    let pterodactyl_router = refusing(pterodactyl::router(double.clone()), pterodactyl_layer, &log);
    let plain_router = pterodactyl::router(double.clone());
    let nested = format!(r#"{{"p": "{SECRET}"}}"#);
    let cases = [
        (
            kestra_router.clone(),
            Request::post("/api/v1/invitation/create/abc"),
            format!(r#"{{"firstName": "a", "lastName": "b", "password": {nested}}}"#),
        ),
        (
            kestra_router,
            Request::post("/api/v1/reset-password"),
            format!(r#"{{"token": ["{SECRET}"], "password": 5}}"#),
        ),
        (
            pterodactyl_router.clone(),
            Request::put("/account/email"),
            format!(r#"{{"email": "a@example.com", "password": {nested}}}"#),
        ),
        // A root-level error (a required field missing) quotes the whole body.
        (
            pterodactyl_router.clone(),
            Request::put("/account/email"),
            format!(r#"{{"password": "{SECRET}"}}"#),
        ),
        (
            pterodactyl_router,
            Request::put("/account/password"),
            format!(
                r#"{{"current_password": "{SECRET}", "password": 12345678, "password_confirmation": ["{SECRET}"]}}"#
            ),
        ),
        // The router alone (serde's messages quote values too).
        (
            plain_router,
            Request::put("/account/password"),
            format!(
                r#"{{"current_password": 5, "password": "{SECRET}", "password_confirmation": true}}"#
            ),
        ),
    ];
    for (router, builder, body) in cases {
        let request = builder
            .header(header::AUTHORIZATION, "Bearer token")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let (status, _, bytes) = send_raw(router, request).await;
        let text = String::from_utf8_lossy(&bytes);
        assert!(status.is_client_error(), "{status} {text}");
        assert!(!text.contains(SECRET), "{body} was refused with {text}");
        assert!(!text.contains("12345678"), "{body} was refused with {text}");
    }
    let violations = log.take();
    assert!(!violations.is_empty());
    for violation in &violations {
        assert!(!violation.to_string().contains(SECRET), "{violation}");
        assert!(!format!("{violation:?}").contains(SECRET), "{violation:?}");
        assert!(!violation.reason.contains("12345678"), "{violation}");
    }
    // A non-secret value is still quoted, which helps.
    assert!(
        violations
            .iter()
            .any(|violation| violation.reason.contains('5')
                && violation.pointer.ends_with("firstName"))
            || violations
                .iter()
                .any(|violation| violation.pointer == "/body/password"),
        "{violations:?}"
    );
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn a_broken_request_body_is_400_and_a_slow_one_408() {
    let double = Arc::new(Double::default());
    let layer = || soracom_api::harness::validation_layer().documented_refusals();
    // A body that fails while being read (as hyper reports a malformed chunk size): not 413.
    let broken = futures_util::stream::iter([
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"email\"")),
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "invalid chunk size",
        )),
    ]);
    let request = Request::post("/auth")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(broken))
        .unwrap();
    let (status, body) = send(soracom::router(double.clone()).layer(layer()), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(!body.to_string().contains("2097152"), "{body}");

    // A body shorter than its Content-Length: the rest never comes.
    let short = futures_util::StreamExt::chain(
        futures_util::stream::iter([Ok::<_, std::io::Error>(axum::body::Bytes::from_static(
            b"{",
        ))]),
        futures_util::stream::pending(),
    );
    let request = Request::post("/auth")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "100")
        .body(Body::from_stream(short))
        .unwrap();
    let router = soracom::router(double.clone())
        .layer(layer().body_read_timeout(std::time::Duration::from_millis(200)));
    let started = std::time::Instant::now();
    let (status, _, _) = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        send_raw(router, request),
    )
    .await
    .expect("answered");
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(double.calls(), 0, "the handler ran");
}

#[tokio::test]
async fn a_body_larger_than_the_limit_passes_through_whole() {
    fn large() -> axum::response::Response {
        let body = format!(r#"{{"apiKey": "{}"}}"#, "k".repeat(3 * 1024 * 1024));
        response(StatusCode::OK, "application/json", body.into())
    }
    let log = ViolationLog::new();
    let response = through_layer(large, &log, r#"{"email": "a@example.com"}"#).await;
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        bytes.len(),
        large()
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .len()
    );
    assert!(bytes.starts_with(br#"{"apiKey": "kkk"#));
    assert_eq!(log.take(), Vec::new());
}

#[tokio::test]
async fn an_event_stream_passes_through_unread() {
    fn events() -> axum::response::Response {
        // One event, then a stream that never ends: buffering it would hang.
        let first = futures_util::stream::iter([Ok::<_, std::io::Error>("data: 1\n\n")]);
        let never = futures_util::stream::pending();
        let body = Body::from_stream(futures_util::StreamExt::chain(first, never));
        response(StatusCode::OK, "text/event-stream", body)
    }
    let log = ViolationLog::new();
    let response = through_layer(events, &log, r#"{"email": "a@example.com"}"#).await;
    let mut body = response.into_body();
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("the first event arrives")
        .unwrap()
        .unwrap();
    assert_eq!(frame.into_data().unwrap(), "data: 1\n\n");
    // Its media type is still checked: /auth documents JSON only.
    let violations = log.take();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].pointer, "/header/content-type");
}
