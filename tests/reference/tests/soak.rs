//! A burst of concurrent logins against the zrok reference server keeps its memory and threads
//! bounded: password hashes run at most `max_concurrent_hashes()` at a time, so waiting logins
//! hold neither a blocking-pool thread nor a hash's memory. Its own test binary, so that the
//! process's resident memory is this test's alone. Bounded: 1,500 logins, 120 s at most.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use reference_servers::{Api, DemoOptions, passwords, serve};
use tower::ServiceExt;

const LOGINS: usize = 1500;
/// Resident memory the burst may add, in KiB. Measured on 2 cores (debug build): about +10 MiB
/// and 11 threads with the bound; without it +75 MiB and 517 threads (tokio's blocking pool
/// grew to its 512-thread limit).
const CEILING_KIB: u64 = 24 * 1024;

/// `VmRSS` and `Threads` from /proc/self/status.
fn rss_and_threads() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("Threads:"))
}

#[test]
fn a_login_burst_keeps_memory_and_threads_bounded() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("no /proc: resident memory cannot be read here");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let served = serve(Api::Zrok, DemoOptions::silent()).expect("server");
        let demo = served.demo.clone();
        let router = served.router;
        // Warm up: one login, so lazily built state is not counted as the burst's.
        let login = |password: String| {
            let router = router.clone();
            let body = serde_json::json!({"email": demo.email, "password": password}).to_string();
            async move {
                let request = Request::post("/api/v2/login")
                    .header(header::CONTENT_TYPE, "application/zrok.v1+json")
                    .body(Body::from(body))
                    .expect("request");
                let response = router.oneshot(request).await.expect("response");
                let status = response.status().as_u16();
                let _ = response.into_body().collect().await;
                status
            }
        };
        assert_eq!(login(demo.password.clone()).await, 200);
        let (baseline_rss, baseline_threads) = rss_and_threads();

        let done = Arc::new(AtomicBool::new(false));
        let peak_rss = Arc::new(AtomicU64::new(baseline_rss));
        let peak_threads = Arc::new(AtomicU64::new(baseline_threads));
        let sampler = {
            let (done, peak_rss, peak_threads) =
                (done.clone(), peak_rss.clone(), peak_threads.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    let (rss, threads) = rss_and_threads();
                    peak_rss.fetch_max(rss, Ordering::Relaxed);
                    peak_threads.fetch_max(threads, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        let burst = (0..LOGINS).map(|n| {
            let password = if n % 2 == 0 {
                demo.password.clone()
            } else {
                format!("wrong-password-{n}")
            };
            tokio::spawn(login(password))
        });
        let tasks: Vec<_> = burst.collect();
        let mut statuses = Vec::new();
        for task in tasks {
            let status = tokio::time::timeout(Duration::from_secs(120), task)
                .await
                .expect("the burst finished in time")
                .expect("task");
            statuses.push(status);
        }
        done.store(true, Ordering::Relaxed);
        sampler.join().expect("sampler");
        assert_eq!(
            statuses.iter().filter(|status| **status == 200).count(),
            LOGINS / 2
        );
        assert_eq!(
            statuses.iter().filter(|status| **status == 401).count(),
            LOGINS / 2
        );

        let grown = peak_rss
            .load(Ordering::Relaxed)
            .saturating_sub(baseline_rss);
        let threads = peak_threads.load(Ordering::Relaxed);
        eprintln!(
            "{LOGINS} logins: resident memory {baseline_rss} KiB before, peak +{grown} KiB \
             (ceiling +{CEILING_KIB} KiB); threads {baseline_threads} before, peak {threads}"
        );
        assert!(grown <= CEILING_KIB, "resident memory grew by {grown} KiB");
        // A blocking-pool thread per permit, more that finished a hash but were not yet idle
        // when the next permit's task was spawned (on a loaded machine, several per permit),
        // and the sampler. Without the bound the pool grew to its 512 threads; this ceiling
        // tells the two apart with a wide margin either way.
        let allowed = baseline_threads + 8 * passwords::max_concurrent_hashes() as u64 + 8;
        assert!(threads <= allowed, "{threads} threads (allowed {allowed})");
    });
}
