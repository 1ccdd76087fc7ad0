//! The conformance kit: the reference implementations pass it with zero violations, in
//! process and over TCP; deliberately broken implementations (wrong status, missing required
//! field, wrong media type, skipped authentication, a 500 on bad input) are each reported.
//! A kit that passes the broken ones is broken itself.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use contract_runtime::harness::{Credentials, Finding, Kit, Report};
use http_body_util::BodyExt;
use reference_servers::{Api, DemoOptions, Served, serve};

fn served(api: Api) -> Served {
    serve(api, DemoOptions::silent()).expect("the reference server starts")
}

fn kit(api: Api, served: &Served) -> Kit {
    let kit = match api {
        Api::Zrok => zrok_api::harness::kit(),
        Api::Kestra => kestra_api::harness::kit(),
        Api::Persona => persona_api::harness::kit(),
        Api::Pterodactyl => pterodactyl_api::harness::kit(),
        Api::Soracom => soracom_api::harness::kit(),
    };
    let credentials = served
        .demo
        .credentials
        .iter()
        .fold(Credentials::new(), |credentials, (scheme, secret)| {
            credentials.with(scheme, secret)
        });
    kit.base_path(&served.base_path)
        .credentials(credentials)
        .generated_per_operation(12)
}

#[tokio::test]
async fn reference_implementations_honour_their_contracts() {
    let mut failures = Vec::new();
    for api in Api::ALL {
        let served = served(api);
        let report = kit(api, &served).check_router(served.router.clone()).await;
        let operations = report.operations;
        eprint!("{report}");
        // Every operation gets its examples or generated requests, a no-credentials call
        // when secured, and invalid input.
        assert!(
            report.requests >= operations * 3,
            "{}: only {} requests for {operations} operations",
            api.name(),
            report.requests
        );
        if !report.is_clean() || !report.skipped.is_empty() {
            failures.push(report.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_kit_checks_a_server_at_a_url() {
    let served = served(Api::Zrok);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = served.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let credentials = Credentials::new().with("key", &served.demo.credentials[0].1);
    let report = zrok_api::harness::check_url(
        &format!("http://{address}{}", served.base_path),
        credentials,
    )
    .await;
    assert!(report.is_clean(), "{report}");
    assert!(report.requests > 8, "{report}");
}

/// Runs the kit on a reference implementation with `fault` in front of it.
async fn with_fault<F, Fut>(api: Api, fault: F) -> Report
where
    F: Fn(Request, Next) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let served = served(api);
    let router = served.router.clone().layer(middleware::from_fn(fault));
    kit(api, &served).check_router(router).await
}

/// The report has a finding for `operation` that `matches`, and none for other operations.
fn assert_caught(report: &Report, operation: &str, matches: impl Fn(&Finding) -> bool) {
    assert!(
        report
            .findings
            .iter()
            .any(|finding| finding.operation == operation && matches(finding)),
        "the kit missed the fault in {operation}:\n{report}"
    );
    assert_eq!(report.operations_with_findings(), [operation], "{report}");
}

/// A finding about `expected` (the part of the contract it names) that saw `actual`.
fn says(expected: &'static str, actual: &'static str) -> impl Fn(&Finding) -> bool {
    move |finding| finding.expected.contains(expected) && finding.actual.contains(actual)
}

#[tokio::test]
async fn a_wrong_status_is_caught() {
    let report = with_fault(Api::Zrok, |request: Request, next: Next| async move {
        let login = request.uri().path().ends_with("/login");
        let mut response = next.run(request).await;
        if login {
            *response.status_mut() = StatusCode::CREATED;
        }
        response
    })
    .await;
    let caught = says("/status", "201 is not documented");
    assert_caught(&report, "login", caught);
}

/// Rewrites the JSON body of `GET /account` responses.
async fn edit_account_body(
    request: Request,
    next: Next,
    edit: fn(&mut serde_json::Value),
) -> Response {
    let account = request.method() == "GET" && request.uri().path().ends_with("/account");
    let response = next.run(request).await;
    if !account || response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    edit(&mut json);
    Response::from_parts(parts, json.to_string().into())
}

#[tokio::test]
async fn a_missing_required_field_is_caught() {
    let report = with_fault(Api::Pterodactyl, |request: Request, next: Next| {
        edit_account_body(request, next, |json| {
            json["attributes"].as_object_mut().unwrap().remove("email");
        })
    })
    .await;
    let caught = says("/body/attributes", "\"email\" is a required property");
    assert_caught(&report, "getAccount", caught);
}

#[tokio::test]
async fn a_wrong_media_type_is_caught() {
    let report = with_fault(
        Api::Pterodactyl,
        |request: Request, next: Next| async move {
            let account = request.uri().path().ends_with("/account");
            let mut response = next.run(request).await;
            if account && response.status() == StatusCode::OK {
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            }
            response
        },
    )
    .await;
    let caught = says("/header/content-type", "`text/plain` is not documented");
    assert_caught(&report, "getAccount", caught);
}

#[tokio::test]
async fn skipped_authentication_is_caught() {
    let token = served(Api::Pterodactyl).demo.credentials[0].1.clone();
    let report = with_fault(Api::Pterodactyl, move |mut request: Request, next: Next| {
        // The bug: a request without a token is treated as the demo user's.
        let account = request.method() == "GET" && request.uri().path().ends_with("/account");
        if account && !request.headers().contains_key(header::AUTHORIZATION) {
            let value = HeaderValue::try_from(format!("Bearer {token}")).unwrap();
            request.headers_mut().insert(header::AUTHORIZATION, value);
        }
        next.run(request)
    })
    .await;
    assert_caught(&report, "getAccount", |finding| {
        finding.expected.ends_with("no credentials were sent") && finding.actual.starts_with("200")
    });
}

#[tokio::test]
async fn a_500_on_bad_input_is_caught() {
    let report = with_fault(Api::Zrok, |request: Request, next: Next| async move {
        let login = request.uri().path().ends_with("/login");
        let mut response = next.run(request).await;
        // The bug: the service falls over where it should refuse.
        if login && response.status().is_client_error() {
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        }
        response
    })
    .await;
    assert_caught(&report, "login", |finding| {
        finding.expected.starts_with("a 4xx for invalid input") && finding.actual.starts_with("500")
    });
}
