//! Shared by the server and client tests: a test double for every generated server trait, the
//! cases `build.rs` generates from the IR, and a loopback server.
#![allow(dead_code, reason = "each test binary uses part of the support")]

use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A server implementation that records what it receives and answers what it is told.
#[derive(Default)]
pub struct Double {
    responses: Mutex<HashMap<&'static str, Box<dyn Any + Send>>>,
    requests: Mutex<HashMap<&'static str, Box<dyn Any + Send>>>,
    credentials: Mutex<HashMap<&'static str, Option<String>>>,
    calls: AtomicUsize,
}

impl Double {
    pub fn respond<R: Any + Send>(&self, operation: &'static str, response: R) {
        self.responses
            .lock()
            .unwrap()
            .insert(operation, Box::new(response));
    }

    /// Called by the trait methods: stores the inputs, returns the response set for the case.
    pub fn record<Q: Any + Send, R: Any + Send>(
        &self,
        operation: &'static str,
        credentials: Option<String>,
        request: Q,
    ) -> R {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.requests
            .lock()
            .unwrap()
            .insert(operation, Box::new(request));
        self.credentials
            .lock()
            .unwrap()
            .insert(operation, credentials);
        let response = self
            .responses
            .lock()
            .unwrap()
            .remove(operation)
            .unwrap_or_else(|| panic!("no response set for {operation}"));
        *response
            .downcast()
            .unwrap_or_else(|_| panic!("wrong response type for {operation}"))
    }

    pub fn take_request<Q: Any>(&self, operation: &'static str) -> Option<Q> {
        let request = self.requests.lock().unwrap().remove(operation)?;
        request.downcast().ok().map(|request| *request)
    }

    pub fn last_credentials(&self, operation: &'static str) -> Option<String> {
        self.credentials
            .lock()
            .unwrap()
            .get(operation)
            .cloned()
            .flatten()
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// `POST uri` with `body`, of media type `content_type`.
pub fn post(
    uri: &str,
    content_type: &str,
    body: impl Into<axum::body::Body>,
) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(uri)
        .header(axum::http::header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

/// `GET uri`, without a body.
pub fn get(uri: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap()
}

pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json)
        .unwrap_or_else(|err| panic!("sample {json} does not fit its type: {err}"))
}

include!(concat!(env!("OUT_DIR"), "/loopback.rs"));

/// Serves `router` under `base_path` on an ephemeral loopback port; returns the base URL.
pub async fn serve(router: axum::Router, base_path: &str) -> String {
    let app = if base_path.is_empty() {
        router
    } else {
        axum::Router::new().nest(base_path, router)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}{base_path}")
}
