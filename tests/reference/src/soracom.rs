//! SORACOM's authentication API for one operator: API key and token by e-mail and password
//! (root user), by AuthKey id and secret, or by operator id, SAM user name and password; and
//! password reset by a mailed token, which expires (`404`) after the configured lifetime.

use std::time::{Duration, SystemTime};

use soracom_api::models::{APIError, AuthResponse};
use soracom_api::operations::{auth, issue_password_reset_token, verify_password_reset_token};

use crate::outbox::Mail;
use crate::passwords::{self, PasswordHash};
use crate::secrets::{Pending, SecretDigest, position_of};
use crate::{Accounts, Built, Context, DemoSettings, Service, SetupError, lock};

pub const DEFAULT_OPERATOR_ID: &str = "OP0000000001";
pub const DEFAULT_AUTH_KEY_ID: &str = "keyId-DemoAuthKey0000000000000000";
pub const DEFAULT_AUTH_KEY: &str = "secret-DemoAuthKeySecret000000000000000000000000000000";
/// The documented bounds of `tokenTimeoutSeconds` (SORACOM's minimum is 180 seconds).
const TOKEN_TIMEOUT: std::ops::RangeInclusive<i64> = 180..=172_800;
const DEFAULT_TOKEN_TIMEOUT: i64 = 86_400;
/// Expired reset tokens are remembered this long, to answer "expired" (404) rather than
/// "invalid" (400).
const EXPIRED_MEMORY: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug)]
struct AuthKey {
    id: String,
    secret: SecretDigest,
}

#[derive(Debug)]
struct SamUser {
    name: String,
    password: PasswordHash,
}

#[derive(Debug)]
struct State {
    operator_id: String,
    email: String,
    password: PasswordHash,
    auth_keys: Vec<AuthKey>,
    sam_users: Vec<SamUser>,
    resets: Vec<Pending>,
}

impl State {
    /// The root user's password hash, if `email` is the operator's address.
    fn root_password(&self, email: &str) -> Option<PasswordHash> {
        self.email
            .eq_ignore_ascii_case(email)
            .then(|| self.password.clone())
    }

    /// The password hash of SAM user `user_name` of operator `operator_id`.
    fn sam_user_password(&self, operator_id: &str, user_name: &str) -> Option<PasswordHash> {
        if self.operator_id != operator_id {
            return None;
        }
        let user = self.sam_users.iter().find(|user| user.name == user_name)?;
        Some(user.password.clone())
    }

    /// The index of the reset `token` names, while it is live. An unknown token is invalid
    /// (400); an expired one is forgotten and answered as expired (404).
    fn live_reset(
        &mut self,
        token: &str,
        now: SystemTime,
    ) -> Result<usize, verify_password_reset_token::Response> {
        use verify_password_reset_token::Response;
        let Some(index) = position_of(&self.resets, token, |pending| &pending.token) else {
            return Err(Response::BadRequest(invalid_token()));
        };
        if !self.resets[index].is_live(now) {
            self.resets.remove(index);
            return Err(Response::NotFound);
        }
        Ok(index)
    }
}

impl Accounts for State {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        self.root_password(login)
    }
}

pub(crate) fn build(ctx: Context, demo: DemoSettings) -> Result<Built, SetupError> {
    let auth_key_id = demo
        .auth_key_id
        .unwrap_or_else(|| DEFAULT_AUTH_KEY_ID.to_string());
    let auth_key = demo
        .auth_key
        .unwrap_or_else(|| DEFAULT_AUTH_KEY.to_string());
    if auth_key_id.is_empty() || auth_key.is_empty() {
        return Err(SetupError::InvalidOption(
            "the SORACOM AuthKey id and secret must not be empty".into(),
        ));
    }
    let state = State {
        operator_id: DEFAULT_OPERATOR_ID.to_string(),
        email: demo.email.clone(),
        password: demo.password_hash.clone(),
        auth_keys: vec![AuthKey {
            id: auth_key_id.clone(),
            secret: SecretDigest::of(&auth_key),
        }],
        sam_users: vec![SamUser {
            name: demo.username.clone(),
            password: demo.password_hash,
        }],
        resets: Vec::new(),
    };
    let soracom = Service::new(state, ctx);
    Ok(Built {
        username: Some(demo.username.clone()),
        extras: vec![
            ("operatorId".into(), DEFAULT_OPERATOR_ID.into()),
            ("authKeyId".into(), auth_key_id),
            ("authKey".into(), auth_key),
            ("samUserName".into(), demo.username),
        ],
        ..Built::new(soracom_api::server::router(soracom.clone()), soracom)
    })
}

/// Who a request authenticates as.
enum Principal {
    Root,
    SamUser(String),
}

fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

type Soracom = Service<State>;

impl Soracom {
    async fn authenticate(&self, body: &soracom_api::models::AuthRequest) -> Option<Principal> {
        if let (Some(id), Some(secret)) = (given(&body.auth_key_id), body.auth_key.as_deref()) {
            let state = lock(&self.state);
            let key = state.auth_keys.iter().find(|key| key.id == id)?;
            return key.secret.matches(secret).then_some(Principal::Root);
        }
        let password = body.password.clone().filter(|p| !p.is_empty())?;
        if let Some(email) = given(&body.email) {
            let stored = lock(&self.state).root_password(email);
            return passwords::verify_if_found(stored, password)
                .await
                .then_some(Principal::Root);
        }
        if let (Some(operator_id), Some(user_name)) =
            (given(&body.operator_id), given(&body.user_name))
        {
            let stored = lock(&self.state).sam_user_password(operator_id, user_name);
            return passwords::verify_if_found(stored, password)
                .await
                .then(|| Principal::SamUser(user_name.to_string()));
        }
        None
    }
}

/// SORACOM's error body.
fn api_error(code: &str, message: &str) -> APIError {
    APIError {
        code: code.to_string(),
        message: message.to_string(),
    }
}

fn invalid_token() -> APIError {
    api_error("COM0001", "Invalid token.")
}

impl soracom_api::server::AuthApi for Soracom {
    async fn auth(&self, request: auth::Request) -> auth::Response {
        let body = request.body;
        let timeout = body.token_timeout_seconds.unwrap_or(DEFAULT_TOKEN_TIMEOUT);
        // Out of the documented range: a malformed request, not a failed authentication (the
        // validation layer refuses it first; this is the handler's own guard).
        if !TOKEN_TIMEOUT.contains(&timeout) {
            return auth::Response::BadRequest(api_error(
                "COM0001",
                "tokenTimeoutSeconds is out of range",
            ));
        }
        let Some(principal) = self.authenticate(&body).await else {
            return auth::Response::Unauthorized(api_error(
                "AUM0001",
                "Authentication failed: invalid credentials",
            ));
        };
        // The API key and token authenticate the rest of SORACOM's API, which this contract
        // does not include, so nothing here accepts them and they are not stored.
        auth::Response::Ok(AuthResponse {
            api_key: Some(format!("api-{}", self.ctx.tokens.uuid())),
            operator_id: Some(lock(&self.state).operator_id.clone()),
            token: Some(self.ctx.tokens.alnum(64)),
            user_name: match principal {
                Principal::Root => None,
                Principal::SamUser(name) => Some(name),
            },
        })
    }

    async fn issue_password_reset_token(
        &self,
        request: issue_password_reset_token::Request,
    ) -> issue_password_reset_token::Response {
        use issue_password_reset_token::Response;
        let email = request.body.email.trim().to_string();
        if !crate::plausible_email(&email) {
            return Response::BadRequest(api_error("COM0001", "Invalid email address."));
        }
        let now = self.ctx.clock.now();
        let mut state = lock(&self.state);
        state
            .resets
            .retain(|pending| pending.is_live(now.checked_sub(EXPIRED_MEMORY).unwrap_or(now)));
        // OK whether or not the address is the operator's, so the answer reveals nothing.
        if !state.email.eq_ignore_ascii_case(&email) {
            return Response::Ok;
        }
        let email = state.email.clone();
        // The operator's is the only address, so this is the one live token.
        let token = self.ctx.tokens.hex(32);
        Pending::issue(&mut state.resets, &email, &token, now + self.ctx.token_ttl);
        drop(state);
        self.ctx.outbox.send(Mail {
            to: email,
            subject: "SORACOM password reset".into(),
            body: format!(
                "Your password reset token is {token}. Send it with your new password to \
                 /v1/auth/password_reset_token/verify."
            ),
            token: Some(token),
            link: None,
        });
        Response::Ok
    }

    async fn verify_password_reset_token(
        &self,
        request: verify_password_reset_token::Request,
    ) -> verify_password_reset_token::Response {
        use verify_password_reset_token::Response;
        let body = request.body;
        let now = self.ctx.clock.now();
        let token = body.token.trim().to_string();
        if let Err(refusal) = lock(&self.state).live_reset(&token, now) {
            return refusal;
        }
        // A weak password leaves the token usable for another try.
        if let Err(message) = passwords::check_length(&body.password) {
            return Response::BadRequest(api_error("COM0001", &message));
        }
        let Ok(hash) = passwords::hash(body.password).await else {
            return Response::BadRequest(api_error("COM0001", "the password could not be stored"));
        };
        let mut state = lock(&self.state);
        let index = match state.live_reset(&token, now) {
            Ok(index) => index,
            Err(refusal) => return refusal,
        };
        state.resets.remove(index);
        state.password = hash;
        Response::Ok
    }
}
