//! Serving a router over TCP so that slow and idle clients cannot hold the server: hyper's
//! HTTP/1 connection builder (from `hyper-util`'s glue) with a header read timeout, which
//! hyper also starts whenever a kept-alive connection waits for its next request (so it is
//! the idle timeout too), and a connection limit held with tokio's `Semaphore`. Request
//! bodies have their own read timeout in the routers' `ServerConfig`.
//!
//! ```no_run
//! # async fn run(app: axum::Router) -> std::io::Result<()> {
//! use contract_runtime::serve::{ServeConfig, serve};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, app, ServeConfig::default()).await
//! # }
//! ```

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Limits for [`serve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeConfig {
    /// Longest time a client may take to send a request's head: from accepting the
    /// connection for the first request, and from the end of the last response for each
    /// next one on a kept-alive connection (the idle timeout). Then the connection is closed.
    /// 10 s by default.
    pub header_read_timeout: Duration,
    /// Most connections served at once; further clients wait in the listen backlog until
    /// one closes. 1,024 by default.
    pub max_connections: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

impl ServeConfig {
    /// The idle timeout of a kept-alive connection: the same clock as the header read
    /// timeout, which hyper restarts when a connection goes idle.
    pub fn idle_timeout(&self) -> Duration {
        self.header_read_timeout
    }
}

/// Serves `app` on `listener` until accepting fails for good. Errors of one connection (a
/// client that timed out or sent garbage) end that connection only.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    config: ServeConfig,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    loop {
        // Taken before accepting, so that past the limit clients wait in the backlog.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a little instead of spinning.
            Err(err) if is_transient(&err) => {
                drop(permit);
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(err) => return Err(err),
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(config.header_read_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            // A connection's own failure (timeout, malformed request) concerns it alone.
            let _ = connection.await;
            drop(permit);
        });
    }
}

fn is_transient(err: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
            | ErrorKind::Interrupted
            | ErrorKind::WouldBlock
            | ErrorKind::OutOfMemory
    ) || err
        .raw_os_error()
        .is_some_and(|code| code == 24 || code == 23)
}
