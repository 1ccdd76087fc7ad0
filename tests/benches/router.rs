//! Requests per second through a generated router against a hand-written axum handler doing
//! the same work (check the media type, read and decode the JSON body, answer JSON with the
//! vendor media type), in the same process and the same run, in alternating rounds so that
//! machine noise hits both alike. Run with `cargo bench -p contract-tests --bench router`.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use zrok_api::models::LoginRequest;
use zrok_api::operations::{
    change_password, invite, login, regenerate_account_token, register, reset_password,
    reset_password_request, verify,
};
use zrok_api::security::Key;

const MEDIA: &str = "application/zrok.v1+json";
const BODY: &str = r#"{"email": "alice@example.com", "password": "correct-horse-battery"}"#;

/// The generated router's side: `login` does the work, the other operations are never called.
struct Generated;

impl zrok_api::server::AccountApi for Generated {
    async fn change_password(
        &self,
        _: Key,
        _: change_password::Request,
    ) -> change_password::Response {
        change_password::Response::Ok
    }
    async fn invite(&self, _: invite::Request) -> invite::Response {
        invite::Response::Created
    }
    async fn login(&self, request: login::Request) -> login::Response {
        let email = request.body.and_then(|body| body.email).unwrap_or_default();
        login::Response::Ok(format!("token-for-{email}"))
    }
    async fn regenerate_account_token(
        &self,
        _: Key,
        _: regenerate_account_token::Request,
    ) -> regenerate_account_token::Response {
        regenerate_account_token::Response::NotFound
    }
    async fn register(&self, _: register::Request) -> register::Response {
        register::Response::NotFound
    }
    async fn reset_password(&self, _: reset_password::Request) -> reset_password::Response {
        reset_password::Response::NotFound
    }
    async fn reset_password_request(
        &self,
        _: reset_password_request::Request,
    ) -> reset_password_request::Response {
        reset_password_request::Response::Created
    }
    async fn verify(&self, _: verify::Request) -> verify::Response {
        verify::Response::NotFound
    }
}

/// The same work written by hand, as a team would without the generator.
async fn hand_written_login(headers: HeaderMap, body: Bytes) -> Response {
    let media_ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case(MEDIA)
        });
    if !media_ok {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let request: LoginRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let token = format!("token-for-{}", request.email.unwrap_or_default());
    (
        [(header::CONTENT_TYPE, MEDIA)],
        serde_json::to_vec(&token).unwrap(),
    )
        .into_response()
}

fn request() -> Request<Body> {
    Request::post("/login")
        .header(header::CONTENT_TYPE, MEDIA)
        .body(Body::from(BODY))
        .unwrap()
}

async fn round(router: &axum::Router, requests: usize) -> Duration {
    let started = Instant::now();
    for _ in 0..requests {
        let response = router.clone().oneshot(request()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&bytes[..], br#""token-for-alice@example.com""#);
    }
    started.elapsed()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let generated = zrok_api::server::router(Generated);
    let hand_written = axum::Router::new().route("/login", axum::routing::post(hand_written_login));
    let (rounds, per_round) = (30, 10_000);
    // Warm up both.
    round(&generated, 2_000).await;
    round(&hand_written, 2_000).await;
    let (mut generated_time, mut hand_time) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::with_capacity(rounds);
    for index in 0..rounds {
        // Alternate which goes first, so neither always runs on a warmer cache.
        let (generated_round, hand_round) = if index % 2 == 0 {
            let generated_round = round(&generated, per_round).await;
            (generated_round, round(&hand_written, per_round).await)
        } else {
            let hand_round = round(&hand_written, per_round).await;
            (round(&generated, per_round).await, hand_round)
        };
        generated_time += generated_round;
        hand_time += hand_round;
        ratios.push(hand_round.as_secs_f64() / generated_round.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let total = (rounds * per_round) as f64;
    let generated_rps = total / generated_time.as_secs_f64();
    let hand_rps = total / hand_time.as_secs_f64();
    println!(
        "zrok login, POST with a JSON body, in-process, {} requests each:",
        rounds * per_round
    );
    println!("  generated router   {generated_rps:>10.0} req/s");
    println!("  hand-written axum  {hand_rps:>10.0} req/s");
    println!(
        "  ratio (generated / hand-written): {:.3}",
        generated_rps / hand_rps
    );
}
