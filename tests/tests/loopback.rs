//! The loopback round trip: for every operation of every spec and every documented status, the
//! generated client calls the generated server (over TCP on 127.0.0.1, ephemeral port) whose
//! test double answers with that status; the client must decode the very response the double
//! sent, and the double must have received the very request and credentials the client sent.
//! Secured operations are also called without credentials: the handler must not run and the
//! client must see the 401. The cases themselves are generated from the IR by `build.rs`.
//!
//! The router runs behind the contract's validation layer (report-only): every request and
//! response of the authenticated cases must fit the spec's schemas, and the unauthenticated
//! calls must break it only by their missing credentials.

mod support;

use support::*;

macro_rules! loopback {
    ($($spec:ident: $min_cases:literal, $min_secured:literal;)*) => {$(
        #[tokio::test]
        async fn $spec() {
            let double = std::sync::Arc::new(Double::default());
            let log = contract_runtime::validate::ViolationLog::new();
            let base_url = serve($spec::validated_router(double.clone(), &log), $spec::BASE_PATH).await;
            let (cases, failures) = $spec::run(&base_url, &double).await;
            assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
            assert_eq!(cases, $min_cases, "cases run (one per documented status)");
            let violations: Vec<String> = log.take().iter().map(ToString::to_string).collect();
            assert!(violations.is_empty(), "contract violations on the wire:\n{}", violations.join("\n"));

            let (secured, failures) = $spec::run_unauthenticated(&base_url, &double).await;
            assert!(failures.is_empty(), "{}", failures.join("\n"));
            assert_eq!(secured, $min_secured, "secured operations checked without credentials");
            let violations = log.take();
            assert_eq!(violations.len(), secured, "one violation per unauthenticated call: {violations:?}");
            assert!(
                violations.iter().all(|v| v.pointer == "/credentials"),
                "only the missing credentials break the contract: {violations:?}"
            );
        }
    )*};
}

// Per spec: the documented statuses over all its operations (one case each), and its secured
// operations. Exact, so that a spec change that drops a response shows up here.
loopback! {
    kestra: 16, 0;
    persona: 12, 0;
    pterodactyl: 31, 8;
    soracom: 11, 0;
    zrok: 42, 2;
}
