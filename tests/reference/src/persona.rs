//! Persona's password recovery: `forgot` mails a reset token, `check-token` says whether it is
//! still valid, `reset` sets the new password. Each token works at most once and expires after
//! the configured lifetime.
//!
//! The success status is undocumented upstream (the contract allows 200 or 204); this server
//! answers 204, as servant's no-content endpoints do. Refusals are the documented 400 body.

use std::time::SystemTime;

use persona_api::models::{
    InlineResponse400, InlineResponse400HttpStatus, InlineResponse400InvalidRequestBody,
};
use persona_api::operations::{
    account_password_check_token_post as check_token, account_password_forgot_post as forgot,
    account_password_reset_post as reset,
};

use crate::outbox::Mail;
use crate::passwords::{self, PasswordHash};
use crate::secrets::{Pending, position_of};
use crate::{
    Accounts, Addressed, Built, Context, DemoSettings, Service, SetupError, by_email, lock,
};

#[derive(Debug)]
struct User {
    email: String,
    password: PasswordHash,
}

impl Addressed for User {
    fn address(&self) -> &str {
        &self.email
    }
}

#[derive(Debug, Default)]
struct State {
    users: Vec<User>,
    resets: Vec<Pending>,
}

impl State {
    fn live_token(&self, token: &str, now: SystemTime) -> Option<usize> {
        position_of(&self.resets, token.trim(), |pending| &pending.token)
            .filter(|&index| self.resets[index].is_live(now))
    }
}

impl Accounts for State {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        let index = by_email(&self.users, login)?;
        Some(self.users[index].password.clone())
    }
}

pub(crate) fn build(ctx: Context, demo: DemoSettings) -> Result<Built, SetupError> {
    let state = State {
        users: vec![User {
            email: demo.email.clone(),
            password: demo.password_hash,
        }],
        resets: Vec::new(),
    };
    let persona = Service::new(state, ctx);
    let router = persona_api::server::router(persona.clone());
    Ok(Built::new(router, persona))
}

/// The documented 400 body. `description` is left out: its only allowed value says the body
/// could not be parsed, which is not what these refusals are about.
fn bad_request(message: &str) -> InlineResponse400 {
    InlineResponse400 {
        http_code: Some(400),
        http_status: Some(InlineResponse400HttpStatus::BadRequest),
        invalid_request_body: Some(InlineResponse400InvalidRequestBody {
            description: None,
            message: Some(message.to_string()),
        }),
    }
}

const INVALID_TOKEN: &str = "the password reset token is invalid, used or expired";

type Persona = Service<State>;

impl persona_api::server::AccountApi for Persona {
    async fn account_password_check_token_post(
        &self,
        request: check_token::Request,
    ) -> check_token::Response {
        let now = self.ctx.clock.now();
        let mut state = lock(&self.state);
        state.resets.retain(|pending| pending.is_live(now));
        // Checking does not spend the token; only a successful reset does.
        match state.live_token(&request.body, now) {
            Some(_) => check_token::Response::NoContent,
            None => check_token::Response::BadRequest(bad_request(INVALID_TOKEN)),
        }
    }

    async fn account_password_forgot_post(&self, request: forgot::Request) -> forgot::Response {
        let now = self.ctx.clock.now();
        let mut state = lock(&self.state);
        state.resets.retain(|pending| pending.is_live(now));
        // No content either way, so the answer does not reveal who has an account.
        let Some(index) = by_email(&state.users, request.body.email.trim()) else {
            return forgot::Response::NoContent;
        };
        let email = state.users[index].email.clone();
        let token = self.ctx.tokens.uuid();
        Pending::issue(&mut state.resets, &email, &token, now + self.ctx.token_ttl);
        drop(state);
        let link = format!("{}/password/reset?token={token}", self.ctx.public_url);
        self.ctx.outbox.send(Mail {
            to: email,
            subject: "Reset your password".into(),
            body: format!("Set a new password at {link}"),
            token: Some(token),
            link: Some(link),
        });
        forgot::Response::NoContent
    }

    async fn account_password_reset_post(&self, request: reset::Request) -> reset::Response {
        let now = self.ctx.clock.now();
        let body = request.body;
        if lock(&self.state).live_token(&body.token, now).is_none() {
            return reset::Response::BadRequest(bad_request(INVALID_TOKEN));
        }
        // A mismatch or a weak password leaves the token usable for another try.
        if body.password != body.confirm_password {
            return reset::Response::BadRequest(bad_request(
                "password and confirmPassword do not match",
            ));
        }
        if let Err(message) = passwords::check_length(&body.password) {
            return reset::Response::BadRequest(bad_request(&message));
        }
        let Ok(hash) = passwords::hash(body.password).await else {
            return reset::Response::BadRequest(bad_request("the password could not be stored"));
        };
        let mut state = lock(&self.state);
        let Some(index) = state.live_token(&body.token, now) else {
            return reset::Response::BadRequest(bad_request(INVALID_TOKEN));
        };
        let spent = state.resets.remove(index);
        let Some(user) = by_email(&state.users, &spent.email) else {
            return reset::Response::BadRequest(bad_request(INVALID_TOKEN));
        };
        state.users[user].password = hash;
        reset::Response::NoContent
    }
}
