//! zrok's account API: invite → verify → register, login with the account token it returns,
//! password change (authenticated by `x-token`), password reset by mailed token, and account
//! token regeneration.

use zrok_api::models::{RegenerateAccountToken200Response, Verify200Response};
use zrok_api::operations::{
    change_password, invite, login, regenerate_account_token, register, reset_password,
    reset_password_request, verify,
};
use zrok_api::security::Key;

use crate::outbox::Mail;
use crate::passwords::{self, PasswordHash};
use crate::secrets::{Pending, Secret, position_of};
use crate::{
    Accounts, Addressed, Built, Context, DemoSettings, INVITATION_TTL, Service, SetupError,
    by_email, lock,
};

/// The demo account token unless overridden.
pub const DEFAULT_ACCOUNT_TOKEN: &str = "demo-account-token";
/// zrok's account tokens are 12 letters and digits.
const ACCOUNT_TOKEN_LENGTH: usize = 12;
/// Registration and reset tokens are longer: they travel by mail and are used once.
const ONE_TIME_TOKEN_LENGTH: usize = 24;

#[derive(Debug)]
struct Account {
    email: String,
    password: PasswordHash,
    token: Secret,
}

impl Addressed for Account {
    fn address(&self) -> &str {
        &self.email
    }
}

/// Why a one-time token could not be redeemed.
enum Refused {
    UnknownToken,
    Password(String),
    Hashing,
}

/// `register` and `resetPassword` document the same answers to a refused redemption.
macro_rules! answer_refusals {
    ($($response:ty),*) => {$(
        impl From<Refused> for $response {
            fn from(refused: Refused) -> Self {
                match refused {
                    Refused::UnknownToken => Self::NotFound,
                    Refused::Password(message) => Self::UnprocessableEntity(message),
                    Refused::Hashing => Self::InternalServerError,
                }
            }
        }
    )*};
}

answer_refusals!(register::Response, reset_password::Response);

#[derive(Debug, Default)]
struct State {
    accounts: Vec<Account>,
    /// Invitations waiting for `register` (zrok calls them registration requests).
    registrations: Vec<Pending>,
    resets: Vec<Pending>,
    /// zrok's invite-token mode: `/invite` must present this token.
    invite_token: Option<Secret>,
}

impl State {
    fn account_by_token(&self, token: &str) -> Option<usize> {
        position_of(&self.accounts, token, |account| &account.token)
    }

    fn forget_expired(&mut self, now: std::time::SystemTime) {
        self.registrations.retain(|pending| pending.is_live(now));
        self.resets.retain(|pending| pending.is_live(now));
    }
}

impl Accounts for State {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        let index = by_email(&self.accounts, login)?;
        Some(self.accounts[index].password.clone())
    }
}

pub(crate) fn build(ctx: Context, demo: DemoSettings) -> Result<Built, SetupError> {
    let token = demo
        .token
        .unwrap_or_else(|| DEFAULT_ACCOUNT_TOKEN.to_string());
    if token.is_empty() {
        return Err(SetupError::InvalidOption(
            "the zrok account token must not be empty".into(),
        ));
    }
    let mut extras = Vec::new();
    if let Some(invite_token) = &demo.invite_token {
        extras.push(("inviteToken".to_string(), invite_token.clone()));
    }
    let state = State {
        accounts: vec![Account {
            email: demo.email.clone(),
            password: demo.password_hash,
            token: Secret::new(token.clone()),
        }],
        invite_token: demo.invite_token.map(Secret::new),
        ..State::default()
    };
    let zrok = Service::new(state, ctx);
    Ok(Built {
        credentials: vec![("key".to_string(), token)],
        extras,
        ..Built::new(zrok_api::server::router(zrok.clone()), zrok)
    })
}

fn present(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

type Zrok = Service<State>;

impl Zrok {
    fn now(&self) -> std::time::SystemTime {
        self.ctx.clock.now()
    }

    /// The index of the live one-time token `token` in `list`.
    /// What `register` and `resetPassword` share: a live one-time token from `list`, then a
    /// password that meets the rule, hashed. The token is spent only once all of that holds;
    /// it is looked up again after hashing, since the lock is not held across it.
    async fn redeem(
        &self,
        list: fn(&mut State) -> &mut Vec<Pending>,
        token: Option<String>,
        password: Option<String>,
    ) -> Result<(Pending, PasswordHash), Refused> {
        let token = present(token).ok_or(Refused::UnknownToken)?;
        let now = self.now();
        if Self::live_pending(list(&mut lock(&self.state)), &token, now).is_none() {
            return Err(Refused::UnknownToken);
        }
        let password =
            password.ok_or_else(|| Refused::Password("a password is required".into()))?;
        passwords::check_length(&password).map_err(Refused::Password)?;
        let hash = passwords::hash(password)
            .await
            .map_err(|_| Refused::Hashing)?;
        let mut state = lock(&self.state);
        let pending = list(&mut state);
        let index = Self::live_pending(pending, &token, now).ok_or(Refused::UnknownToken)?;
        Ok((pending.remove(index), hash))
    }

    fn live_pending(list: &[Pending], token: &str, now: std::time::SystemTime) -> Option<usize> {
        position_of(list, token, |pending| &pending.token).filter(|&index| list[index].is_live(now))
    }
}

/// The refusal of an `x-token` that belongs to no account, as zrok's security handler words it.
const UNKNOWN_TOKEN: &str = "unauthenticated: the x-token matches no account";

impl zrok_api::server::AccountApi for Zrok {
    async fn change_password(
        &self,
        credentials: Key,
        request: change_password::Request,
    ) -> change_password::Response {
        use change_password::Response;
        let (email, stored) = {
            let state = lock(&self.state);
            let Some(index) = state.account_by_token(&credentials.0) else {
                return Response::Unauthorized(UNKNOWN_TOKEN.into());
            };
            let account = &state.accounts[index];
            (account.email.clone(), account.password.clone())
        };
        let Some(body) = request.body else {
            return Response::BadRequest(
                "a body with email, oldPassword and newPassword is required".into(),
            );
        };
        let (Some(given_email), Some(old), Some(new)) = (
            present(body.email),
            body.old_password.filter(|p| !p.is_empty()),
            body.new_password.filter(|p| !p.is_empty()),
        ) else {
            return Response::BadRequest("email, oldPassword and newPassword are required".into());
        };
        // The token says who is asking; the body must name the same account.
        if !given_email.eq_ignore_ascii_case(&email)
            || !passwords::verify(stored.clone(), old).await
        {
            return Response::Unauthorized("the email or the old password is wrong".into());
        }
        if let Err(message) = passwords::check_length(&new) {
            return Response::UnprocessableEntity(message);
        }
        let Ok(hash) = passwords::hash(new).await else {
            return Response::InternalServerError;
        };
        let mut state = lock(&self.state);
        match state.account_by_token(&credentials.0) {
            // Unchanged since the old password was checked: no concurrent change slipped in.
            Some(index) if state.accounts[index].password == stored => {
                state.accounts[index].password = hash;
                Response::Ok
            }
            _ => Response::Unauthorized("the password changed meanwhile; try again".into()),
        }
    }

    async fn invite(&self, request: invite::Request) -> invite::Response {
        use invite::Response;
        let body = request.body.unwrap_or_default();
        let now = self.now();
        let mut state = lock(&self.state);
        if let Some(required) = &state.invite_token {
            let given = body.invite_token.unwrap_or_default();
            if !required.matches(given.trim()) {
                return Response::Unauthorized;
            }
        }
        let Some(email) = present(body.email).filter(|email| crate::plausible_email(email)) else {
            return Response::BadRequest("a valid email address is required".into());
        };
        if by_email(&state.accounts, &email).is_some() {
            return Response::BadRequest(
                "an account with that email address already exists".into(),
            );
        }
        state.forget_expired(now);
        let token = self.ctx.tokens.alnum(ONE_TIME_TOKEN_LENGTH);
        Pending::issue(
            &mut state.registrations,
            &email,
            &token,
            now + INVITATION_TTL,
        );
        drop(state);
        let link = format!("{}/register/{token}", self.ctx.public_url);
        self.ctx.outbox.send(Mail {
            to: email,
            subject: "Welcome to zrok!".into(),
            body: format!(
                "Finish creating your zrok account at {link}\nYour registration token is {token}."
            ),
            token: Some(token),
            link: Some(link),
        });
        Response::Created
    }

    async fn login(&self, request: login::Request) -> login::Response {
        use login::Response;
        let body = request.body.unwrap_or_default();
        let (Some(email), Some(password)) = (present(body.email), body.password) else {
            return Response::Unauthorized;
        };
        let stored = {
            let state = lock(&self.state);
            by_email(&state.accounts, &email).map(|index| state.accounts[index].password.clone())
        };
        if !passwords::verify_if_found(stored.clone(), password).await {
            return Response::Unauthorized;
        }
        let state = lock(&self.state);
        match by_email(&state.accounts, &email) {
            Some(index) if Some(&state.accounts[index].password) == stored.as_ref() => {
                Response::Ok(state.accounts[index].token.expose().to_string())
            }
            _ => Response::Unauthorized,
        }
    }

    async fn regenerate_account_token(
        &self,
        credentials: Key,
        request: regenerate_account_token::Request,
    ) -> regenerate_account_token::Response {
        use regenerate_account_token::Response;
        let mut state = lock(&self.state);
        let Some(index) = state.account_by_token(&credentials.0) else {
            return Response::Unauthorized(UNKNOWN_TOKEN.into());
        };
        let named = request.body.and_then(|body| present(body.email_address));
        if let Some(email) = named {
            if !email.eq_ignore_ascii_case(&state.accounts[index].email) {
                return Response::NotFound;
            }
        }
        let token = self.ctx.tokens.alnum(ACCOUNT_TOKEN_LENGTH);
        state.accounts[index].token = Secret::new(token.clone());
        Response::Ok(RegenerateAccountToken200Response {
            account_token: Some(token),
        })
    }

    async fn register(&self, request: register::Request) -> register::Response {
        use register::Response;
        let body = request.body.unwrap_or_default();
        let (registration, hash) = match self
            .redeem(
                |state| &mut state.registrations,
                body.register_token,
                body.password,
            )
            .await
        {
            Ok(redeemed) => redeemed,
            Err(refused) => return refused.into(),
        };
        let mut state = lock(&self.state);
        if by_email(&state.accounts, &registration.email).is_some() {
            return Response::NotFound;
        }
        let account_token = self.ctx.tokens.alnum(ACCOUNT_TOKEN_LENGTH);
        state.accounts.push(Account {
            email: registration.email,
            password: hash,
            token: Secret::new(account_token.clone()),
        });
        Response::Ok(RegenerateAccountToken200Response {
            account_token: Some(account_token),
        })
    }

    async fn reset_password(&self, request: reset_password::Request) -> reset_password::Response {
        use reset_password::Response;
        let body = request.body.unwrap_or_default();
        let (reset, hash) = match self
            .redeem(|state| &mut state.resets, body.reset_token, body.password)
            .await
        {
            Ok(redeemed) => redeemed,
            Err(refused) => return refused.into(),
        };
        let mut state = lock(&self.state);
        match by_email(&state.accounts, &reset.email) {
            Some(account) => {
                state.accounts[account].password = hash;
                Response::Ok
            }
            None => Response::NotFound,
        }
    }

    async fn reset_password_request(
        &self,
        request: reset_password_request::Request,
    ) -> reset_password_request::Response {
        use reset_password_request::Response;
        let Some(email) = request
            .body
            .and_then(|body| present(body.email_address))
            .filter(|email| crate::plausible_email(email))
        else {
            return Response::BadRequest("a valid emailAddress is required".into());
        };
        let now = self.now();
        let mut state = lock(&self.state);
        state.forget_expired(now);
        // Created whether or not the account exists, so the answer does not reveal accounts.
        let Some(index) = by_email(&state.accounts, &email) else {
            return Response::Created;
        };
        let email = state.accounts[index].email.clone();
        let token = self.ctx.tokens.alnum(ONE_TIME_TOKEN_LENGTH);
        Pending::issue(&mut state.resets, &email, &token, now + self.ctx.token_ttl);
        drop(state);
        let link = format!("{}/resetPassword/{token}", self.ctx.public_url);
        self.ctx.outbox.send(Mail {
            to: email,
            subject: "Reset your zrok password".into(),
            body: format!("Choose a new password at {link}\nYour reset token is {token}."),
            token: Some(token),
            link: Some(link),
        });
        Response::Created
    }

    async fn verify(&self, request: verify::Request) -> verify::Response {
        use verify::Response;
        let Some(token) = request.body.and_then(|body| present(body.register_token)) else {
            return Response::NotFound;
        };
        let state = lock(&self.state);
        match Self::live_pending(&state.registrations, &token, self.now()) {
            Some(index) => Response::Ok(Verify200Response {
                email: Some(state.registrations[index].email.clone()),
            }),
            None => Response::NotFound,
        }
    }
}
