//! Bad input never reaches a handler: each case sends one malformed request straight into a
//! generated router (tower `oneshot`, no sockets) and checks the status, the JSON error shape
//! and that the test double was not called.

mod support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use support::*;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    json: serde_json::Value,
}

async fn send(router: axum::Router, request: Request<Body>) -> Answer {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        headers,
        json,
    }
}

/// The refusal: status, `application/json`, the error code, and the handler untouched.
fn assert_refused(answer: &Answer, status: StatusCode, code: &str, double: &Double) {
    assert_eq!(answer.status, status, "{}", answer.json);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(answer.json["error"]["status"], status.as_u16());
    assert_eq!(answer.json["error"]["code"], code, "{}", answer.json);
    assert_eq!(double.calls(), 0, "the handler ran");
}

/// Sends `request` to the router `router` builds around a fresh double, and checks that it is
/// refused with `status` and `code`; the answer, for what a case checks besides.
async fn refused(
    router: fn(Arc<Double>) -> axum::Router,
    request: Request<Body>,
    status: u16,
    code: &str,
) -> Answer {
    let double = Arc::new(Double::default());
    let answer = send(router(double.clone()), request).await;
    let status = StatusCode::from_u16(status).unwrap();
    assert_refused(&answer, status, code, &double);
    answer
}

impl Answer {
    fn message(&self) -> &str {
        self.json["error"]["message"].as_str().unwrap()
    }
}

const ZROK_JSON: &str = "application/zrok.v1+json";
const PERSONA_JSON: &str = "application/json;charset=utf-8";

/// A test per request that is refused for what it is alone: its router, the request, and the
/// refusal's status and code.
macro_rules! refused {
    ($($test:ident: $router:path, $request:expr => $status:literal $code:literal;)*) => {$(
        #[tokio::test]
        async fn $test() {
            refused($router, $request, $status, $code).await;
        }
    )*};
}

refused! {
    malformed_json_is_400: zrok::router, post("/login", ZROK_JSON, r#"{"email": "#) => 400 "invalid_body";
    trailing_garbage_is_400: zrok::router, post("/login", ZROK_JSON, "{} {}") => 400 "invalid_body";
    required_body_missing_is_400: persona::router, post("/account/password/forgot", PERSONA_JSON, "") => 400 "invalid_body";
    unknown_route_is_404: zrok::router, get("/nope") => 404 "not_found";
}

#[tokio::test]
async fn missing_api_key_is_401() {
    let request = post("/changePassword", ZROK_JSON, "{}");
    let answer = refused(zrok::router, request, 401, "missing_credentials").await;
    assert!(answer.message().contains("x-token"), "{}", answer.json);
}

#[tokio::test]
async fn missing_or_wrong_bearer_is_401_with_challenge() {
    for authorization in [None, Some("Basic dXNlcjpwYXNz"), Some("Bearer ")] {
        let mut request = Request::get("/account");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let request = request.body(Body::empty()).unwrap();
        let answer = refused(pterodactyl::router, request, 401, "missing_credentials").await;
        assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}

#[tokio::test]
async fn wrong_shape_names_the_field() {
    let request = post("/login", ZROK_JSON, r#"{"email": 5}"#);
    let message = refused(zrok::router, request, 400, "invalid_body_shape")
        .await
        .message()
        .to_string();
    assert!(message.contains("`email`"), "{message}");
}

#[tokio::test]
async fn unsupported_media_type_is_415() {
    let request = post("/login", "text/plain", "{}");
    let answer = refused(zrok::router, request, 415, "unsupported_media_type").await;
    assert!(answer.message().contains(ZROK_JSON), "{}", answer.json);
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let double = Arc::new(Double::default());
    let router = zrok_api::server::router_with_config(
        zrok::Api(double.clone()),
        contract_runtime::server::ServerConfig {
            body_limit: 64,
            ..Default::default()
        },
    );
    let body = format!(r#"{{"email": "{}"}}"#, "a".repeat(100));
    // With a Content-Length, and without one (streamed): the limit holds either way.
    let streamed = Body::from_stream(futures_stream(body.clone()));
    for request in [
        post("/login", ZROK_JSON, body),
        post("/login", ZROK_JSON, streamed),
    ] {
        let answer = send(router.clone(), request).await;
        assert_refused(
            &answer,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &double,
        );
    }
}

fn futures_stream(
    body: String,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send {
    struct Once(Option<Vec<u8>>);
    impl futures_core::Stream for Once {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.take().map(Ok))
        }
    }
    Once(Some(body.into_bytes()))
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let answer = refused(zrok::router, get("/login"), 405, "method_not_allowed").await;
    assert_eq!(answer.headers[header::ALLOW], "POST");
}

#[tokio::test]
async fn missing_required_query_parameter_is_400() {
    let request = get("/api/v1/forgotten-password");
    let answer = refused(kestra::router, request, 400, "invalid_parameter").await;
    assert_eq!(answer.message(), "query parameter `username`: is required");
}

#[tokio::test]
async fn path_parameters_arrive_decoded_and_exact() {
    let double = Arc::new(Double::default());
    double.respond(
        "acceptInvitation",
        kestra_api::operations::accept_invitation::Response::Ok(Default::default()),
    );
    let answer = send(
        kestra::router(double.clone()),
        Request::post("/api/v1/invitation/accept/a%20b%2Fc%C3%A9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json, serde_json::json!({}));
    let request: kestra_api::operations::accept_invitation::Request =
        double.take_request("acceptInvitation").unwrap();
    assert_eq!(request.invitation_id, "a b/cé");
}

#[tokio::test]
async fn credentials_reach_the_handler_exactly() {
    let double = Arc::new(Double::default());
    double.respond(
        "disableTwoFactor",
        pterodactyl_api::operations::disable_two_factor::Response::BadRequest(from_json(
            r#"{"errors": [{"code": "x", "status": "400", "detail": "d"}]}"#,
        )),
    );
    let token = "tok.en/with+odd=chars";
    let answer = send(
        pterodactyl::router(double.clone()),
        Request::delete("/account/two-factor")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"password": "hunter2"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        double.last_credentials("disableTwoFactor").as_deref(),
        Some(token)
    );
    let request: pterodactyl_api::operations::disable_two_factor::Request =
        double.take_request("disableTwoFactor").unwrap();
    assert_eq!(request.body.password, "hunter2");
    // A documented error body goes out with its documented media type.
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(answer.json["errors"][0]["code"], "x");
}

#[tokio::test]
async fn wrong_shape_is_422_where_the_spec_documents_422_not_400() {
    // Pterodactyl's createApiKey documents 422 (the panel's validation) and no 400.
    let request = |body: &'static str| {
        Request::post("/account/api-keys")
            .header(header::AUTHORIZATION, "Bearer key")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let wrong_shape = request(r#"{"description": 5, "allowed_ips": []}"#);
    refused(pterodactyl::router, wrong_shape, 422, "invalid_body_shape").await;
    let malformed = request(r#"{"description": "#);
    refused(pterodactyl::router, malformed, 400, "invalid_body").await;
}
