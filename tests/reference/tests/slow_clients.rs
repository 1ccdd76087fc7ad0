//! Slow, half-open and idle clients against a reference server served the way
//! `reference-server` (and so `cargo xtask serve`) serves it: over TCP on 127.0.0.1 with
//! `contract_runtime::serve`, short timeouts so the tests stay quick. Every loop is bounded.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use contract_runtime::serve::{ServeConfig, serve as serve_tcp};
use reference_servers::{Api, DemoOptions, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(config: ServeConfig) -> SocketAddr {
    let served = serve(Api::Soracom, DemoOptions::silent()).expect("server");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve_tcp(listener, served.router, config));
    address
}

/// Reads until the peer closes or `limit` passes; what was read and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut read = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return (read, false),
            Ok(Ok(0)) | Ok(Err(_)) => return (read, true),
            Ok(Ok(n)) => read.extend_from_slice(&buffer[..n]),
        }
    }
}

/// What the server answered on one connection.
struct Exchange {
    text: String,
    /// Whether the server closed the connection within the limit.
    closed: bool,
    /// From the end of sending to the close (or the limit).
    elapsed: Duration,
}

impl Exchange {
    #[track_caller]
    fn assert_status(&self, status: u16) {
        let status_line = format!("HTTP/1.1 {status}");
        assert!(self.text.starts_with(&status_line), "{}", self.text);
    }

    /// The server closed the connection, within `bound` of the end of the request.
    #[track_caller]
    fn assert_closed_within(&self, bound: Duration, what: &str) {
        assert!(self.closed, "{what} was kept open");
        assert!(
            self.elapsed < bound,
            "{what} closed after {:?}",
            self.elapsed
        );
    }
}

/// Connects, sends `request` and reads until the server closes or `limit` passes.
async fn exchange(address: SocketAddr, request: &[u8], limit: Duration) -> Exchange {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let started = Instant::now();
    let (read, closed) = read_until_closed(&mut stream, limit).await;
    Exchange {
        text: String::from_utf8_lossy(&read).into_owned(),
        closed,
        elapsed: started.elapsed(),
    }
}

fn config(header_read_timeout: Duration, max_connections: usize) -> ServeConfig {
    ServeConfig {
        header_read_timeout,
        max_connections,
    }
}

#[tokio::test]
async fn a_half_open_request_is_closed_after_the_header_read_timeout() {
    let address = start(config(Duration::from_millis(500), 64)).await;
    let request = b"POST /v1/auth HTTP/1.1\r\nHost: x\r\n";
    let answer = exchange(address, request, Duration::from_secs(10)).await;
    answer.assert_closed_within(Duration::from_secs(5), "the half-open request");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let address = start(config(Duration::from_millis(500), 64)).await;
    let body = r#"{"email": "nobody@example.com", "password": "wrong-password"}"#;
    let request = format!(
        "POST /v1/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = exchange(address, request.as_bytes(), Duration::from_secs(10)).await;
    answer.assert_status(401);
    answer.assert_closed_within(Duration::from_secs(5), "the idle connection");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_gets_408() {
    let address = start(config(Duration::from_secs(5), 64)).await;
    // The router's own body read timeout is 30 s by default; this test sends a body that
    // never completes and checks the answer comes, with 408, within that bound.
    let request = b"POST /v1/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\"";
    exchange(address, request, Duration::from_secs(40))
        .await
        .assert_status(408);
}

#[tokio::test]
async fn a_malformed_chunk_size_is_400_not_413() {
    let address = start(config(Duration::from_secs(5), 64)).await;
    let request = b"POST /v1/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    let answer = exchange(address, request, Duration::from_secs(10)).await;
    answer.assert_status(400);
    assert!(!answer.text.contains("2097152"), "{}", answer.text);
}

#[tokio::test]
async fn connections_past_the_limit_wait() {
    let address = start(config(Duration::from_secs(2), 2)).await;
    // Two connections hold both permits (idle, within the header read timeout).
    let _first = TcpStream::connect(address).await.expect("connect");
    let _second = TcpStream::connect(address).await.expect("connect");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(address).await.expect("connect");
    third
        .write_all(b"POST /v1/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    let first_byte = tokio::time::timeout(Duration::from_secs(10), third.read(&mut buffer))
        .await
        .expect("answered once the others timed out")
        .expect("read");
    assert!(first_byte > 0);
    // Served only after the two idle connections were closed by the header read timeout.
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}
