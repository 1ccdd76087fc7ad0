//! Every documented flow, end to end through each server's HTTP router (the generated router
//! under its base path, driven with `tower::ServiceExt::oneshot`), plus the CLI over TCP.
//! Each test also checks that no password it used appears in the store's `Debug` output or in
//! the outbox's log lines.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use reference_servers::{Api, Clock, DemoOptions, Outbox, Served, serve, totp};
use serde_json::{Value, json};
use tower::ServiceExt;

const ZROK_JSON: &str = "application/zrok.v1+json";
const PERSONA_JSON: &str = "application/json;charset=utf-8";
const JSON: &str = "application/json";

/// A server, the lines its outbox logged, and the media type its requests use.
struct Harness {
    served: Served,
    log: Arc<Mutex<Vec<String>>>,
    media_type: &'static str,
}

struct Reply {
    status: StatusCode,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.body))
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The status, and a body exactly when there should be one, in the expected media type.
    #[track_caller]
    fn expect(&self, status: u16, media_type: Option<&str>) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        match media_type {
            Some(expected) => assert_eq!(self.content_type.as_deref(), Some(expected)),
            None => assert!(self.body.is_empty(), "unexpected body {}", self.text()),
        }
        self
    }
}

fn harness_with(api: Api, mut options: DemoOptions) -> Harness {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    options.outbox = Some(Outbox::with_logger(move |line| {
        sink.lock().expect("log").push(line.to_string());
    }));
    let served = serve(api, options).expect("server");
    let media_type = match api {
        Api::Zrok => ZROK_JSON,
        Api::Persona => PERSONA_JSON,
        _ => JSON,
    };
    Harness {
        served,
        log,
        media_type,
    }
}

fn harness(api: Api) -> Harness {
    harness_with(api, DemoOptions::default())
}

fn manual_clock() -> Clock {
    Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

impl Harness {
    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let uri = format!("{}{path}", self.served.base_path);
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, self.media_type);
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        let response = self
            .served
            .router
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            content_type,
            body,
        }
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, &[], Some(body)).await
    }

    fn token_to(&self, email: &str) -> String {
        self.served
            .outbox
            .last_token_to(email)
            .unwrap_or_else(|| panic!("no mail with a token to {email}"))
    }

    /// No password appears in clear in the store's `Debug` output or in the mail log.
    fn assert_no_clear_passwords(&self, passwords: &[&str]) {
        let store = self.served.store_debug();
        let log = self.log.lock().expect("log").join("\n");
        let served = format!("{:?}", self.served);
        for password in passwords
            .iter()
            .chain([&self.served.demo.password.as_str()])
        {
            assert!(!store.contains(password), "store shows {password}: {store}");
            assert!(!log.contains(password), "mail log shows {password}: {log}");
            assert!(!served.contains(password), "Served shows {password}");
        }
        assert!(
            store.contains("PasswordHash(argon2id, <redacted>)"),
            "{store}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// zrok

#[tokio::test]
async fn zrok_invite_verify_register_login_change_password() {
    let zrok = harness(Api::Zrok);
    zrok.post("/invite", json!({"email": "bob@example.com"}))
        .await
        .expect(201, None);
    let mail = zrok.served.outbox.last_to("bob@example.com").expect("mail");
    let token = mail.token.clone().expect("token");
    assert!(
        mail.link
            .as_deref()
            .is_some_and(|link| link.ends_with(&token))
    );

    let verified = zrok.post("/verify", json!({"registerToken": token})).await;
    verified.expect(200, Some(ZROK_JSON));
    assert_eq!(verified.json(), json!({"email": "bob@example.com"}));
    zrok.post("/verify", json!({"registerToken": "nope"}))
        .await
        .expect(404, None);

    let weak = zrok
        .post(
            "/register",
            json!({"registerToken": token, "password": "short"}),
        )
        .await;
    weak.expect(422, Some(ZROK_JSON));
    assert!(weak.json().is_string(), "errorMessage is a bare string");

    let registered = zrok
        .post(
            "/register",
            json!({"registerToken": token, "password": "bobs-first-password"}),
        )
        .await;
    registered.expect(200, Some(ZROK_JSON));
    let account_token = registered.json()["accountToken"]
        .as_str()
        .expect("accountToken")
        .to_string();
    // The registration is spent.
    zrok.post(
        "/register",
        json!({"registerToken": token, "password": "bobs-first-password"}),
    )
    .await
    .expect(404, None);
    zrok.post("/verify", json!({"registerToken": token}))
        .await
        .expect(404, None);

    let login = zrok
        .post(
            "/login",
            json!({"email": "bob@example.com", "password": "bobs-first-password"}),
        )
        .await;
    login.expect(200, Some(ZROK_JSON));
    assert_eq!(login.json(), json!(account_token));

    let change = |old: &'static str, new: &'static str, token: String| {
        let zrok = &zrok;
        async move {
            zrok.send(
                "POST",
                "/changePassword",
                &[("x-token", &token)],
                Some(json!({"email": "bob@example.com", "oldPassword": old, "newPassword": new})),
            )
            .await
        }
    };
    change(
        "wrong-old-password",
        "bobs-second-password",
        account_token.clone(),
    )
    .await
    .expect(401, Some(ZROK_JSON));
    change(
        "bobs-first-password",
        "bobs-second-password",
        "not-a-token".into(),
    )
    .await
    .expect(401, Some(ZROK_JSON));
    change("bobs-first-password", "tiny", account_token.clone())
        .await
        .expect(422, Some(ZROK_JSON));
    zrok.send(
        "POST",
        "/changePassword",
        &[("x-token", &account_token)],
        Some(json!({"email": "bob@example.com"})),
    )
    .await
    .expect(400, Some(ZROK_JSON));
    change(
        "bobs-first-password",
        "bobs-second-password",
        account_token.clone(),
    )
    .await
    .expect(200, None);

    zrok.post(
        "/login",
        json!({"email": "bob@example.com", "password": "bobs-first-password"}),
    )
    .await
    .expect(401, None);
    zrok.post(
        "/login",
        json!({"email": "bob@example.com", "password": "bobs-second-password"}),
    )
    .await
    .expect(200, Some(ZROK_JSON));

    zrok.assert_no_clear_passwords(&[
        "bobs-first-password",
        "bobs-second-password",
        "wrong-old-password",
    ]);
}

#[tokio::test]
async fn zrok_invite_refusals_and_invite_token_mode() {
    let zrok = harness(Api::Zrok);
    let existing = zrok
        .post("/invite", json!({"email": "demo@example.com"}))
        .await;
    existing.expect(400, Some(ZROK_JSON));
    assert_eq!(
        existing.json(),
        json!("an account with that email address already exists")
    );
    zrok.post("/invite", json!({"email": "not an address"}))
        .await
        .expect(400, Some(ZROK_JSON));
    zrok.send("POST", "/invite", &[], None)
        .await
        .expect(400, Some(ZROK_JSON));

    let gated = harness_with(
        Api::Zrok,
        DemoOptions {
            invite_token: Some("let-me-in".into()),
            ..DemoOptions::default()
        },
    );
    assert_eq!(gated.served.demo.extra("inviteToken"), Some("let-me-in"));
    gated
        .post("/invite", json!({"email": "carol@example.com"}))
        .await
        .expect(401, None);
    gated
        .post(
            "/invite",
            json!({"email": "carol@example.com", "inviteToken": "wrong"}),
        )
        .await
        .expect(401, None);
    gated
        .post(
            "/invite",
            json!({"email": "carol@example.com", "inviteToken": "let-me-in"}),
        )
        .await
        .expect(201, None);
    assert!(gated.served.outbox.last_to("carol@example.com").is_some());
}

#[tokio::test]
async fn zrok_password_reset() {
    let zrok = harness(Api::Zrok);
    let demo = zrok.served.demo.clone();
    zrok.post(
        "/resetPasswordRequest",
        json!({"emailAddress": "nobody@example.com"}),
    )
    .await
    .expect(201, None);
    assert!(
        zrok.served.outbox.messages().is_empty(),
        "no mail for strangers"
    );
    zrok.post("/resetPasswordRequest", json!({}))
        .await
        .expect(400, Some(ZROK_JSON));
    zrok.post("/resetPasswordRequest", json!({"emailAddress": demo.email}))
        .await
        .expect(201, None);
    let token = zrok.token_to(&demo.email);

    zrok.post(
        "/resetPassword",
        json!({"resetToken": "wrong", "password": "a-new-password"}),
    )
    .await
    .expect(404, None);
    zrok.post(
        "/resetPassword",
        json!({"resetToken": token, "password": "short"}),
    )
    .await
    .expect(422, Some(ZROK_JSON));
    zrok.post(
        "/resetPassword",
        json!({"resetToken": token, "password": "a-new-password"}),
    )
    .await
    .expect(200, None);
    zrok.post(
        "/resetPassword",
        json!({"resetToken": token, "password": "another-password"}),
    )
    .await
    .expect(404, None);

    zrok.post(
        "/login",
        json!({"email": demo.email, "password": demo.password}),
    )
    .await
    .expect(401, None);
    zrok.post(
        "/login",
        json!({"email": demo.email, "password": "a-new-password"}),
    )
    .await
    .expect(200, Some(ZROK_JSON));
    zrok.assert_no_clear_passwords(&["a-new-password"]);
}

#[tokio::test]
async fn zrok_reset_token_expires() {
    let clock = manual_clock();
    let zrok = harness_with(
        Api::Zrok,
        DemoOptions {
            clock: Some(clock.clone()),
            token_ttl: Some(Duration::from_secs(60)),
            ..DemoOptions::default()
        },
    );
    let email = zrok.served.demo.email.clone();
    zrok.post("/resetPasswordRequest", json!({"emailAddress": email}))
        .await
        .expect(201, None);
    let token = zrok.token_to(&email);
    assert!(clock.advance(Duration::from_secs(61)));
    zrok.post(
        "/resetPassword",
        json!({"resetToken": token, "password": "a-new-password"}),
    )
    .await
    .expect(404, None);
}

#[tokio::test]
async fn zrok_regenerate_account_token() {
    let zrok = harness(Api::Zrok);
    let demo = zrok.served.demo.clone();
    let old = demo.credential("key").expect("key").to_string();
    // No token: 401 with zrok's error body, as for every secured operation.
    zrok.send("POST", "/regenerateAccountToken", &[], Some(json!({})))
        .await
        .expect(401, Some(ZROK_JSON));
    zrok.send(
        "POST",
        "/regenerateAccountToken",
        &[("x-token", &old)],
        Some(json!({"emailAddress": "someone-else@example.com"})),
    )
    .await
    .expect(404, None);
    let regenerated = zrok
        .send(
            "POST",
            "/regenerateAccountToken",
            &[("x-token", &old)],
            Some(json!({"emailAddress": demo.email})),
        )
        .await;
    regenerated.expect(200, Some(ZROK_JSON));
    let new = regenerated.json()["accountToken"]
        .as_str()
        .expect("accountToken")
        .to_string();
    assert_ne!(new, old);
    zrok.send(
        "POST",
        "/regenerateAccountToken",
        &[("x-token", &old)],
        Some(json!({})),
    )
    .await
    .expect(401, Some(ZROK_JSON));
    let login = zrok
        .post(
            "/login",
            json!({"email": demo.email, "password": demo.password}),
        )
        .await;
    assert_eq!(login.json(), json!(new));
}

// ---------------------------------------------------------------------------------------------
// Kestra

#[tokio::test]
async fn kestra_invitations() {
    let kestra = harness(Api::Kestra);
    let demo = kestra.served.demo.clone();
    let invitation = demo.extra("invitationId").expect("invitation").to_string();
    let invited = demo.extra("invitedEmail").expect("invitee").to_string();
    assert_eq!(
        kestra.token_to(&invited),
        invitation,
        "the invitation was mailed"
    );

    let index = kestra.send("GET", "/api/v1/auths", &[], None).await;
    index.expect(200, Some(JSON));
    assert_eq!(index.json()["loginPassword"], json!(true));

    let path = format!("/api/v1/invitation/create/{invitation}");
    let weak = kestra
        .post(
            &path,
            json!({"firstName": "Ada", "lastName": "Lovelace", "password": "alllowercase"}),
        )
        .await;
    weak.expect(422, Some(JSON));
    assert!(
        weak.json()["message"]
            .as_str()
            .is_some_and(|message| message.contains("upper-case")),
        "{}",
        weak.text()
    );
    let created = kestra
        .post(
            &path,
            json!({"firstName": "Ada", "lastName": "Lovelace", "password": "Analytical-Engine-1843"}),
        )
        .await;
    created.expect(200, Some(JSON));
    assert_eq!(created.json()["email"], json!(invited));
    assert!(created.json().get("error").is_none());
    assert!(
        kestra
            .served
            .password_matches(&invited, "Analytical-Engine-1843")
            .await
    );
    let again = kestra
        .post(
            &path,
            json!({"firstName": "Ada", "lastName": "Lovelace", "password": "Analytical-Engine-1843"}),
        )
        .await;
    again.expect(404, Some(JSON));
    assert!(
        again.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Not Found"))
    );

    // The demo account's own invitation is accepted, once.
    let member = demo.extra("memberInvitationId").expect("member invitation");
    let accept = format!("/api/v1/invitation/accept/{member}");
    let accepted = kestra.send("POST", &accept, &[], None).await;
    accepted.expect(200, Some(JSON));
    assert_eq!(accepted.json()["status"], json!("ACCEPTED"));
    let twice = kestra.send("POST", &accept, &[], None).await;
    twice.expect(404, Some(JSON));
    assert!(
        twice.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Not Found"))
    );
    let unknown = kestra
        .send("POST", "/api/v1/invitation/accept/unknown", &[], None)
        .await;
    unknown.expect(404, Some(JSON));
    assert!(
        unknown.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Not Found"))
    );

    kestra.assert_no_clear_passwords(&["Analytical-Engine-1843", "alllowercase"]);
}

#[tokio::test]
async fn kestra_forgotten_password_and_reset() {
    let kestra = harness(Api::Kestra);
    let demo = kestra.served.demo.clone();
    let before = kestra.served.outbox.messages().len();
    kestra
        .send(
            "GET",
            "/api/v1/forgotten-password?username=nobody%40example.com",
            &[],
            None,
        )
        .await
        .expect(200, Some(JSON));
    assert_eq!(
        kestra.served.outbox.messages().len(),
        before,
        "no mail for strangers"
    );
    let forgot = kestra
        .send(
            "GET",
            "/api/v1/forgotten-password?username=demo%40example.com",
            &[],
            None,
        )
        .await;
    forgot.expect(200, Some(JSON));
    assert_eq!(forgot.json(), json!({}));
    let token = kestra.token_to(&demo.email);

    let weak = kestra
        .post(
            "/api/v1/reset-password",
            json!({"token": token, "password": "weak"}),
        )
        .await;
    weak.expect(422, Some(JSON));
    assert!(
        weak.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Invalid entity"))
    );
    // The policy failure left the token usable.
    let reset = kestra
        .post(
            "/api/v1/reset-password",
            json!({"token": token, "password": "Brand-New-Passw0rd"}),
        )
        .await;
    reset.expect(200, Some(JSON));
    assert_eq!(reset.json()["status"], json!("PASSWORD_CHANGED"));
    let reused = kestra
        .post(
            "/api/v1/reset-password",
            json!({"token": token, "password": "Another-Passw0rd"}),
        )
        .await;
    reused.expect(422, Some(JSON));
    assert!(
        reused.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("reset token"))
    );
    assert!(
        kestra
            .served
            .password_matches(&demo.email, "Brand-New-Passw0rd")
            .await
    );
    assert!(
        !kestra
            .served
            .password_matches(&demo.email, &demo.password)
            .await
    );

    let code = kestra
        .send("GET", "/api/v1/request-code/demo%40example.com", &[], None)
        .await;
    code.expect(200, Some(JSON));
    let code = kestra.token_to(&demo.email);
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| c.is_ascii_digit()));

    kestra.assert_no_clear_passwords(&["Brand-New-Passw0rd", "Another-Passw0rd"]);
}

// ---------------------------------------------------------------------------------------------
// Persona

#[tokio::test]
async fn persona_forgot_check_reset_once() {
    let persona = harness(Api::Persona);
    let demo = persona.served.demo.clone();
    persona
        .post(
            "/account/password/forgot",
            json!({"email": "nobody@example.com"}),
        )
        .await
        .expect(204, None);
    assert!(persona.served.outbox.messages().is_empty());
    persona
        .post("/account/password/forgot", json!({"email": demo.email}))
        .await
        .expect(204, None);
    let token = persona.token_to(&demo.email);

    persona
        .post("/account/password/check-token", json!(token))
        .await
        .expect(204, None);
    let bad = persona
        .post("/account/password/check-token", json!("not-a-token"))
        .await;
    bad.expect(400, Some(PERSONA_JSON));
    assert_eq!(bad.json()["http_status"], json!("Bad request"));

    let reset = |password: &'static str, confirm: &'static str| {
        let persona = &persona;
        let token = token.clone();
        async move {
            persona
                .post(
                    "/account/password/reset",
                    json!({"password": password, "confirmPassword": confirm, "token": token}),
                )
                .await
        }
    };
    reset("Hufvudstadsbladet-1864", "Hufvudstadsbladet-1865")
        .await
        .expect(400, Some(PERSONA_JSON));
    reset("Hufvudstadsbladet-1864", "Hufvudstadsbladet-1864")
        .await
        .expect(204, None);
    // Used once: neither check-token nor a second reset accepts it.
    reset("Vasabladet-1856-xyz", "Vasabladet-1856-xyz")
        .await
        .expect(400, Some(PERSONA_JSON));
    persona
        .post("/account/password/check-token", json!(token))
        .await
        .expect(400, Some(PERSONA_JSON));
    assert!(
        persona
            .served
            .password_matches(&demo.email, "Hufvudstadsbladet-1864")
            .await
    );

    persona.assert_no_clear_passwords(&[
        "Hufvudstadsbladet-1864",
        "Hufvudstadsbladet-1865",
        "Vasabladet-1856-xyz",
    ]);
}

#[tokio::test]
async fn persona_token_expires() {
    let clock = manual_clock();
    let persona = harness_with(
        Api::Persona,
        DemoOptions {
            clock: Some(clock.clone()),
            token_ttl: Some(Duration::from_secs(15 * 60)),
            ..DemoOptions::default()
        },
    );
    let email = persona.served.demo.email.clone();
    persona
        .post("/account/password/forgot", json!({"email": email}))
        .await
        .expect(204, None);
    let token = persona.token_to(&email);
    clock.advance(Duration::from_secs(14 * 60));
    persona
        .post("/account/password/check-token", json!(token))
        .await
        .expect(204, None);
    clock.advance(Duration::from_secs(2 * 60));
    persona
        .post("/account/password/check-token", json!(token))
        .await
        .expect(400, Some(PERSONA_JSON));
    persona
        .post(
            "/account/password/reset",
            json!({"password": "Too-Late-12345", "confirmPassword": "Too-Late-12345", "token": token}),
        )
        .await
        .expect(400, Some(PERSONA_JSON));
    assert!(
        !persona
            .served
            .password_matches(&email, "Too-Late-12345")
            .await
    );
}

// ---------------------------------------------------------------------------------------------
// Pterodactyl

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[tokio::test]
async fn pterodactyl_bearer_auth_and_account() {
    let ptero = harness(Api::Pterodactyl);
    let demo = ptero.served.demo.clone();
    let key = bearer(demo.credential("bearer").expect("bearer"));
    let account = ptero
        .send("GET", "/account", &[("authorization", &key)], None)
        .await;
    account.expect(200, Some(JSON));
    assert_eq!(account.json()["object"], json!("user"));
    assert_eq!(account.json()["attributes"]["email"], json!(demo.email));
    assert_eq!(
        account.json()["attributes"]["username"],
        json!(demo.username)
    );

    let wrong = ptero
        .send(
            "GET",
            "/account",
            &[("authorization", "Bearer DemoApiKey000001wrong-secret")],
            None,
        )
        .await;
    wrong.expect(401, Some(JSON));
    // The panel's error envelope, as every refusal of this API.
    assert_eq!(wrong.json()["errors"][0]["status"], json!("401"));
    assert_eq!(
        wrong.json()["errors"][0]["code"],
        json!("invalid_credentials")
    );
    ptero
        .send("GET", "/account", &[], None)
        .await
        .expect(401, Some(JSON));
}

#[tokio::test]
async fn pterodactyl_api_key_secret_shown_once() {
    let ptero = harness(Api::Pterodactyl);
    let key = bearer(ptero.served.demo.credential("bearer").expect("bearer"));
    let created = ptero
        .send(
            "POST",
            "/account/api-keys",
            &[("authorization", &key)],
            Some(json!({"description": "CI", "allowed_ips": []})),
        )
        .await;
    created.expect(201, Some(JSON));
    let created = created.json();
    let identifier = created["attributes"]["identifier"].as_str().expect("id");
    let secret = created["meta"]["secret_token"].as_str().expect("secret");
    assert_eq!((identifier.len(), secret.len()), (16, 32));
    assert_eq!(created["attributes"]["last_used_at"], Value::Null);

    let listed = ptero
        .send("GET", "/account/api-keys", &[("authorization", &key)], None)
        .await;
    listed.expect(200, Some(JSON));
    assert!(
        !listed.text().contains(secret),
        "the secret is shown once only"
    );
    assert!(!listed.text().contains("secret_token"));
    let data = listed.json()["data"].as_array().expect("data").clone();
    assert_eq!(data.len(), 2);
    assert!(
        data.iter()
            .any(|key| key["attributes"]["identifier"] == json!(identifier))
    );
    assert!(!ptero.served.store_debug().contains(secret));

    // The new key authenticates as identifier + secret, and its use is recorded.
    let new_key = bearer(&format!("{identifier}{secret}"));
    ptero
        .send("GET", "/account", &[("authorization", &new_key)], None)
        .await
        .expect(200, Some(JSON));
    let listed = ptero
        .send(
            "GET",
            "/account/api-keys",
            &[("authorization", &new_key)],
            None,
        )
        .await
        .json();
    let used = listed["data"]
        .as_array()
        .and_then(|keys| {
            keys.iter()
                .find(|key| key["attributes"]["identifier"] == json!(identifier))
        })
        .expect("listed");
    assert!(used["attributes"]["last_used_at"].is_string());
}

#[tokio::test]
async fn pterodactyl_totp_enable_and_disable() {
    let ptero = harness(Api::Pterodactyl);
    let demo = ptero.served.demo.clone();
    let key = bearer(demo.credential("bearer").expect("bearer"));
    let auth = [("authorization", key.as_str())];

    let details = ptero.send("GET", "/account/two-factor", &auth, None).await;
    details.expect(200, Some(JSON));
    let uri = details.json()["data"]["image_url_data"]
        .as_str()
        .expect("uri")
        .to_string();
    assert!(uri.starts_with("otpauth://totp/Pterodactyl:demo%40example.com?secret="));
    let secret = totp::secret_from_uri(&uri).expect("secret");
    let now = ptero.served.clock.unix_seconds();
    let right = totp::code_at(&secret, now).expect("code");
    let wrong = format!(
        "{:06}",
        (right.parse::<u32>().expect("digits") + 1) % 1_000_000
    );

    let refused = ptero
        .send(
            "POST",
            "/account/two-factor",
            &auth,
            Some(json!({"code": wrong})),
        )
        .await;
    refused.expect(400, Some(JSON));
    assert_eq!(
        refused.json()["errors"][0]["code"],
        json!("TwoFactorAuthenticationTokenInvalid")
    );
    let enabled = ptero
        .send(
            "POST",
            "/account/two-factor",
            &auth,
            Some(json!({"code": right})),
        )
        .await;
    enabled.expect(200, Some(JSON));
    assert_eq!(enabled.json()["object"], json!("recovery_tokens"));
    let tokens = enabled.json()["attributes"]["tokens"]
        .as_array()
        .expect("tokens")
        .len();
    assert_eq!(tokens, 10);
    ptero
        .send(
            "POST",
            "/account/two-factor",
            &auth,
            Some(json!({"code": right})),
        )
        .await
        .expect(400, Some(JSON));

    ptero
        .send(
            "DELETE",
            "/account/two-factor",
            &auth,
            Some(json!({"password": "not-my-password"})),
        )
        .await
        .expect(400, Some(JSON));
    ptero
        .send(
            "DELETE",
            "/account/two-factor",
            &auth,
            Some(json!({"password": demo.password})),
        )
        .await
        .expect(204, None);

    // Disabled: a new secret can be enrolled again.
    let uri = ptero
        .send("GET", "/account/two-factor", &auth, None)
        .await
        .json()["data"]["image_url_data"]
        .as_str()
        .expect("uri")
        .to_string();
    let secret = totp::secret_from_uri(&uri).expect("secret");
    let code = totp::code_at(&secret, ptero.served.clock.unix_seconds()).expect("code");
    ptero
        .send(
            "POST",
            "/account/two-factor",
            &auth,
            Some(json!({"code": code})),
        )
        .await
        .expect(200, Some(JSON));
    ptero.assert_no_clear_passwords(&["not-my-password"]);
}

#[tokio::test]
async fn pterodactyl_email_and_password_changes() {
    let ptero = harness(Api::Pterodactyl);
    let demo = ptero.served.demo.clone();
    let key = bearer(demo.credential("bearer").expect("bearer"));
    let auth = [("authorization", key.as_str())];

    let invalid = ptero
        .send(
            "PUT",
            "/account/email",
            &auth,
            Some(json!({"email": "nope", "password": demo.password})),
        )
        .await;
    invalid.expect(400, Some(JSON));
    assert_eq!(
        invalid.json()["errors"][0]["source"]["field"],
        json!("email")
    );
    let wrong = ptero
        .send(
            "PUT",
            "/account/email",
            &auth,
            Some(json!({"email": "new@example.com", "password": "wrong-password"})),
        )
        .await;
    wrong.expect(400, Some(JSON));
    assert_eq!(
        wrong.json()["errors"][0]["code"],
        json!("InvalidPasswordProvidedException")
    );
    ptero
        .send(
            "PUT",
            "/account/email",
            &auth,
            Some(json!({"email": "new@example.com", "password": demo.password})),
        )
        .await
        .expect(204, None);
    let account = ptero.send("GET", "/account", &auth, None).await.json();
    assert_eq!(account["attributes"]["email"], json!("new@example.com"));

    // Refusals are 200 with nothing changed (the contract documents no 4xx here).
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let ptero = &ptero;
        async move {
            ptero
                .send(
                    "PUT",
                    "/account/password",
                    &auth,
                    Some(json!({"current_password": current, "password": new, "password_confirmation": confirm})),
                )
                .await
        }
    };
    // Refusals are refusals (py-dactyl read the old 200 as success): 400 for a wrong current
    // password, 422 for what the panel's validation rules refuse.
    let refused = change("wrong-password", "Second-Password-1", "Second-Password-1").await;
    refused.expect(400, Some(JSON));
    assert_eq!(
        refused.json()["errors"][0]["code"],
        json!("InvalidPasswordProvidedException")
    );
    let mismatch = change(DEMO_PASSWORD, "Second-Password-1", "Second-Password-2").await;
    mismatch.expect(422, Some(JSON));
    assert_eq!(
        mismatch.json()["errors"][0]["meta"]["rule"],
        json!("confirmed")
    );
    let short = change(DEMO_PASSWORD, "Short-1", "Short-1").await;
    short.expect(422, Some(JSON));
    assert_eq!(short.json()["errors"][0]["meta"]["rule"], json!("min"));
    assert!(
        ptero
            .served
            .password_matches("new@example.com", DEMO_PASSWORD)
            .await
    );
    change(DEMO_PASSWORD, "Second-Password-1", "Second-Password-1")
        .await
        .expect(204, None);
    assert!(
        ptero
            .served
            .password_matches("new@example.com", "Second-Password-1")
            .await
    );
    assert!(
        ptero
            .served
            .password_matches(demo.username.as_deref().expect("user"), "Second-Password-1")
            .await
    );
    ptero.assert_no_clear_passwords(&["wrong-password", "Second-Password-1", "Second-Password-2"]);
}

const DEMO_PASSWORD: &str = reference_servers::DEFAULT_PASSWORD;

// ---------------------------------------------------------------------------------------------
// SORACOM

#[tokio::test]
async fn soracom_auth_by_password_auth_key_and_sam_user() {
    let soracom = harness(Api::Soracom);
    let demo = soracom.served.demo.clone();
    let root = soracom
        .post(
            "/auth",
            json!({"email": demo.email, "password": demo.password}),
        )
        .await;
    root.expect(200, Some(JSON));
    let root = root.json();
    assert!(
        root["apiKey"]
            .as_str()
            .is_some_and(|key| key.starts_with("api-"))
    );
    assert!(
        root["token"]
            .as_str()
            .is_some_and(|token| token.len() == 64)
    );
    assert_eq!(
        root["operatorId"],
        json!(demo.extra("operatorId").expect("operator"))
    );
    assert!(root.get("userName").is_none());

    soracom
        .post(
            "/auth",
            json!({"email": demo.email, "password": "wrong-password"}),
        )
        .await
        .expect(401, Some(JSON));
    soracom
        .post(
            "/auth",
            json!({"email": "nobody@example.com", "password": demo.password}),
        )
        .await
        .expect(401, Some(JSON));

    let by_key = soracom
        .post(
            "/auth",
            json!({"authKeyId": demo.extra("authKeyId"), "authKey": demo.extra("authKey")}),
        )
        .await;
    by_key.expect(200, Some(JSON));
    assert!(by_key.json()["apiKey"].is_string());
    soracom
        .post(
            "/auth",
            json!({"authKeyId": demo.extra("authKeyId"), "authKey": "secret-wrong"}),
        )
        .await
        .expect(401, Some(JSON));

    let sam = soracom
        .post(
            "/auth",
            json!({"operatorId": demo.extra("operatorId"), "userName": demo.extra("samUserName"), "password": demo.password}),
        )
        .await;
    sam.expect(200, Some(JSON));
    assert_eq!(sam.json()["userName"], json!(demo.extra("samUserName")));

    soracom
        .post(
            "/auth",
            json!({"email": demo.email, "password": demo.password, "tokenTimeoutSeconds": 999_999}),
        )
        .await
        .expect_client_error();
    soracom
        .post("/auth", json!({}))
        .await
        .expect(401, Some(JSON));
    soracom.assert_no_clear_passwords(&["wrong-password"]);
}

impl Reply {
    /// Refused with a 4xx, by the handler or by the router's validation.
    fn expect_client_error(&self) {
        assert!(
            self.status.is_client_error(),
            "{}: {}",
            self.status,
            self.text()
        );
    }
}

#[tokio::test]
async fn soracom_password_reset_token() {
    let clock = manual_clock();
    let soracom = harness_with(
        Api::Soracom,
        DemoOptions {
            clock: Some(clock.clone()),
            ..DemoOptions::default()
        },
    );
    let demo = soracom.served.demo.clone();
    soracom
        .post(
            "/auth/password_reset_token/issue",
            json!({"email": "not-an-email"}),
        )
        .await
        .expect(400, Some(JSON));
    soracom
        .post(
            "/auth/password_reset_token/issue",
            json!({"email": "nobody@example.com"}),
        )
        .await
        .expect(200, None);
    assert!(soracom.served.outbox.messages().is_empty());
    soracom
        .post(
            "/auth/password_reset_token/issue",
            json!({"email": demo.email}),
        )
        .await
        .expect(200, None);
    let token = soracom.token_to(&demo.email);

    let verify = |token: String, password: &'static str| {
        let soracom = &soracom;
        async move {
            soracom
                .post(
                    "/auth/password_reset_token/verify",
                    json!({"token": token, "password": password}),
                )
                .await
        }
    };
    verify("0000".into(), "n3w-p4ssw0rd-Example")
        .await
        .expect(400, Some(JSON));
    verify(token.clone(), "short").await.expect(400, Some(JSON));
    verify(token.clone(), "n3w-p4ssw0rd-Example")
        .await
        .expect(200, None);
    verify(token.clone(), "n3w-p4ssw0rd-Again")
        .await
        .expect(400, Some(JSON));
    soracom
        .post(
            "/auth",
            json!({"email": demo.email, "password": demo.password}),
        )
        .await
        .expect(401, Some(JSON));
    soracom
        .post(
            "/auth",
            json!({"email": demo.email, "password": "n3w-p4ssw0rd-Example"}),
        )
        .await
        .expect(200, Some(JSON));

    // An expired token is "Token expired." (404), not "Invalid token." (400).
    soracom
        .post(
            "/auth/password_reset_token/issue",
            json!({"email": demo.email}),
        )
        .await
        .expect(200, None);
    let late = soracom.token_to(&demo.email);
    clock.advance(reference_servers::DEFAULT_TOKEN_TTL + Duration::from_secs(1));
    verify(late, "n3w-p4ssw0rd-Later").await.expect(404, None);
    soracom.assert_no_clear_passwords(&["n3w-p4ssw0rd-Example", "n3w-p4ssw0rd-Again"]);
}

// ---------------------------------------------------------------------------------------------
// Library and CLI

#[test]
fn demo_overrides_apply() {
    let served = serve(
        Api::Pterodactyl,
        DemoOptions {
            email: Some("ops@example.org".into()),
            password: Some("Override-Passw0rd".into()),
            token: Some("Identifier012345TheSecretPart".into()),
            outbox: Some(Outbox::silent()),
            ..DemoOptions::default()
        },
    )
    .expect("server");
    assert_eq!(served.demo.email, "ops@example.org");
    assert_eq!(served.demo.password, "Override-Passw0rd");
    assert_eq!(
        served.demo.credential("bearer"),
        Some("Identifier012345TheSecretPart")
    );
    assert!(!format!("{:?}", served.demo).contains("Override-Passw0rd"));
    let short = serve(
        Api::Pterodactyl,
        DemoOptions {
            token: Some("too-short".into()),
            ..DemoOptions::default()
        },
    );
    assert!(short.is_err());
    assert!(
        serve(
            Api::Zrok,
            DemoOptions {
                email: Some("not-an-email".into()),
                ..DemoOptions::default()
            }
        )
        .is_err()
    );
}

/// The binary prints `listening on http://127.0.0.1:PORT<base>` first and then serves there.
#[test]
fn cli_listens_and_prints_where() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args(["kestra", "--port", "0", "--password", "Cli-Passw0rd"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let address = first
        .strip_prefix("listening on http://")
        .expect("listening line")
        .to_string();
    assert!(address.starts_with("127.0.0.1:"), "{first}");
    let rest: Vec<String> = lines.by_ref().take(3).map_while(Result::ok).collect();
    assert!(
        rest.contains(&"demo password: Cli-Passw0rd".to_string()),
        "{rest:?}"
    );

    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .write_all(b"GET /api/v1/auths HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"loginPassword\":true"), "{response}");
}
