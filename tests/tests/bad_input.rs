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

fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

/// The refusal: status, `application/json`, the error code, and the handler untouched.
fn assert_refused(answer: &Answer, status: StatusCode, code: &str, double: &Double) {
    assert_eq!(answer.status, status, "{}", answer.json);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(answer.json["error"]["status"], status.as_u16());
    assert_eq!(answer.json["error"]["code"], code, "{}", answer.json);
    assert_eq!(double.calls(), 0, "the handler ran");
}

const ZROK_JSON: &str = "application/zrok.v1+json";

#[tokio::test]
async fn missing_api_key_is_401() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        post("/changePassword", ZROK_JSON, "{}"),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::UNAUTHORIZED,
        "missing_credentials",
        &double,
    );
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("x-token")
    );
}

#[tokio::test]
async fn missing_or_wrong_bearer_is_401_with_challenge() {
    for authorization in [None, Some("Basic dXNlcjpwYXNz"), Some("Bearer ")] {
        let double = Arc::new(Double::default());
        let mut request = Request::get("/account");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let answer = send(
            pterodactyl::router(double.clone()),
            request.body(Body::empty()).unwrap(),
        )
        .await;
        assert_refused(
            &answer,
            StatusCode::UNAUTHORIZED,
            "missing_credentials",
            &double,
        );
        assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}

#[tokio::test]
async fn malformed_json_is_400() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        post("/login", ZROK_JSON, r#"{"email": "#),
    )
    .await;
    assert_refused(&answer, StatusCode::BAD_REQUEST, "invalid_body", &double);
}

#[tokio::test]
async fn wrong_shape_names_the_field() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        post("/login", ZROK_JSON, r#"{"email": 5}"#),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::BAD_REQUEST,
        "invalid_body_shape",
        &double,
    );
    let message = answer.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("`email`"), "{message}");
}

#[tokio::test]
async fn trailing_garbage_is_400() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        post("/login", ZROK_JSON, r#"{} {}"#),
    )
    .await;
    assert_refused(&answer, StatusCode::BAD_REQUEST, "invalid_body", &double);
}

#[tokio::test]
async fn unsupported_media_type_is_415() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        post("/login", "text/plain", r#"{}"#),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        &double,
    );
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains(ZROK_JSON)
    );
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
    let answer = send(router.clone(), post("/login", ZROK_JSON, body.clone())).await;
    assert_refused(
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        &double,
    );
    // Without a Content-Length (streamed), the limit still holds.
    let stream = Body::from_stream(futures_stream(body));
    let answer = send(router, post("/login", ZROK_JSON, stream)).await;
    assert_refused(
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        &double,
    );
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
async fn required_body_missing_is_400() {
    let double = Arc::new(Double::default());
    let answer = send(
        persona::router(double.clone()),
        post(
            "/account/password/forgot",
            "application/json;charset=utf-8",
            "",
        ),
    )
    .await;
    assert_refused(&answer, StatusCode::BAD_REQUEST, "invalid_body", &double);
}

#[tokio::test]
async fn unknown_route_is_404() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        Request::get("/nope").body(Body::empty()).unwrap(),
    )
    .await;
    assert_refused(&answer, StatusCode::NOT_FOUND, "not_found", &double);
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let double = Arc::new(Double::default());
    let answer = send(
        zrok::router(double.clone()),
        Request::get("/login").body(Body::empty()).unwrap(),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        &double,
    );
    assert_eq!(answer.headers[header::ALLOW], "POST");
}

#[tokio::test]
async fn missing_required_query_parameter_is_400() {
    let double = Arc::new(Double::default());
    let answer = send(
        kestra::router(double.clone()),
        Request::get("/api/v1/forgotten-password")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
        &double,
    );
    assert_eq!(
        answer.json["error"]["message"],
        "query parameter `username`: is required"
    );
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
    let double = Arc::new(Double::default());
    let request = |body: &'static str| {
        Request::post("/account/api-keys")
            .header(header::AUTHORIZATION, "Bearer key")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let answer = send(
        pterodactyl::router(double.clone()),
        request(r#"{"description": 5, "allowed_ips": []}"#),
    )
    .await;
    assert_refused(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body_shape",
        &double,
    );
    let answer = send(
        pterodactyl::router(double.clone()),
        request(r#"{"description": "#),
    )
    .await;
    assert_refused(&answer, StatusCode::BAD_REQUEST, "invalid_body", &double);
}
