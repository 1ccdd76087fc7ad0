//! Kestra's authentication API: invitations (accept as an existing user, or create an account
//! from one), forgotten password and reset by mailed token, login codes by mail, and the list
//! of authentication methods.
//!
//! The contract documents a single `200` with a free-form object for every operation, so a
//! refusal (unknown invitation, weak password, spent token) is a `200` whose object carries
//! `error` and `message` instead of the result.

use std::collections::BTreeMap;
use std::time::SystemTime;

use kestra_api::models::{AuthControllerAuth, JsonError};
use kestra_api::operations::{
    accept_invitation, create_from_invitation, forgotten_password, index, request_code,
    reset_password,
};
use serde_json::Value;

use crate::outbox::Mail;
use crate::passwords::{self, PasswordHash};
use crate::secrets::{Pending, Secret, position_of};
use crate::{
    Accounts, Addressed, Built, Context, DemoSettings, INVITATION_TTL, Service, SetupError,
    by_email, lock,
};

/// The address of the demo's pending invitation for someone without an account.
pub const INVITED_EMAIL: &str = "invitee@example.com";
const LOGIN_CODE_LENGTH: usize = 6;

type Object = BTreeMap<String, Value>;

#[derive(Debug)]
struct User {
    id: String,
    email: String,
    first_name: String,
    last_name: String,
    password: PasswordHash,
}

impl Addressed for User {
    fn address(&self) -> &str {
        &self.email
    }
}

#[derive(Debug)]
struct Invitation {
    id: Secret,
    email: String,
    expires: SystemTime,
    accepted: bool,
}

#[derive(Debug, Default)]
struct State {
    users: Vec<User>,
    invitations: Vec<Invitation>,
    resets: Vec<Pending>,
    login_codes: Vec<Pending>,
}

impl State {
    /// An invitation that can still be used.
    fn open_invitation(&self, id: &str, now: SystemTime) -> Option<usize> {
        position_of(&self.invitations, id, |invitation| &invitation.id).filter(|&index| {
            let invitation = &self.invitations[index];
            !invitation.accepted && now < invitation.expires
        })
    }

    /// The open invitation `id`, if its address has an account exactly when `has_account`:
    /// an existing user accepts an invitation, a newcomer creates an account from one.
    fn usable_invitation(
        &self,
        id: &str,
        now: SystemTime,
        has_account: bool,
    ) -> Result<usize, Unusable> {
        let index = self.open_invitation(id, now).ok_or(Unusable::NotOpen)?;
        let email = &self.invitations[index].email;
        match (by_email(&self.users, email).is_some(), has_account) {
            (false, true) => Err(Unusable::Account(
                "Illegal argument: no account uses the invited address: create one from the invitation",
            )),
            (true, false) => Err(Unusable::Account(
                "Illegal argument: an account already uses the invited address: accept the invitation instead",
            )),
            _ => Ok(index),
        }
    }

    /// Marks the usable invitation `id` accepted (as [`State::usable_invitation`] decides);
    /// the invited address.
    fn accept_invitation(
        &mut self,
        id: &str,
        now: SystemTime,
        has_account: bool,
    ) -> Result<String, Unusable> {
        let index = self.usable_invitation(id, now, has_account)?;
        let invitation = &mut self.invitations[index];
        invitation.accepted = true;
        Ok(invitation.email.clone())
    }
}

impl Accounts for State {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        let index = by_email(&self.users, login)?;
        Some(self.users[index].password.clone())
    }
}

/// Why an invitation cannot be used.
enum Unusable {
    /// Unknown, accepted or expired (404).
    NotOpen,
    /// Its address has an account, or none, where the operation needs the other (422).
    Account(&'static str),
}

impl Unusable {
    /// The answer, built with the operation's two refusal variants.
    fn answer<R>(self, not_found: fn(JsonError) -> R, unprocessable: fn(JsonError) -> R) -> R {
        match self {
            Unusable::NotOpen => not_found(refusal(NO_INVITATION)),
            Unusable::Account(message) => unprocessable(refusal(message)),
        }
    }
}

pub(crate) fn build(ctx: Context, demo: DemoSettings) -> Result<Built, SetupError> {
    let state = State {
        users: vec![User {
            id: ctx.tokens.alnum(22),
            email: demo.email.clone(),
            first_name: "Demo".into(),
            last_name: "User".into(),
            password: demo.password_hash,
        }],
        ..State::default()
    };
    let kestra = Service::new(state, ctx);
    let invited_email = if demo.email.eq_ignore_ascii_case(INVITED_EMAIL) {
        "second-invitee@example.com".to_string()
    } else {
        INVITED_EMAIL.to_string()
    };
    // Invitations are created by administrators, which this contract does not cover: the demo
    // starts with one for a newcomer and one for the demo account itself, both mailed.
    let invitation_id = kestra.invite(&invited_email);
    let member_invitation_id = kestra.invite(&demo.email);
    Ok(Built {
        extras: vec![
            ("invitationId".into(), invitation_id),
            ("invitedEmail".into(), invited_email),
            ("memberInvitationId".into(), member_invitation_id),
        ],
        ..Built::new(kestra_api::server::router(kestra.clone()), kestra)
    })
}

fn object(pairs: &[(&str, Value)]) -> Object {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_string(), value.clone()))
        .collect()
}

/// Kestra's error body (Micronaut's JsonError, as its global error handler writes it).
fn refusal(message: &str) -> JsonError {
    JsonError {
        message: message.to_string(),
        links: None,
        embedded: None,
    }
}

const NO_INVITATION: &str = "Not Found: no open invitation has this id";
const BAD_TOKEN: &str = "Illegal argument: the reset token is unknown, used or expired";

/// Kestra's default password policy: 8 characters or more, with an upper-case letter and a
/// digit.
fn check_policy(password: &str) -> Result<(), String> {
    passwords::check_length(password)?;
    if !password.chars().any(char::is_uppercase) || !password.chars().any(|c| c.is_ascii_digit()) {
        return Err("password must contain an upper-case letter and a digit".into());
    }
    Ok(())
}

type Kestra = Service<State>;

impl Kestra {
    /// Creates and mails an invitation; returns its id.
    fn invite(&self, email: &str) -> String {
        let id = self.ctx.tokens.uuid();
        let expires = self.ctx.clock.now() + INVITATION_TTL;
        lock(&self.state).invitations.push(Invitation {
            id: Secret::new(id.clone()),
            email: email.to_string(),
            expires,
            accepted: false,
        });
        let link = format!("{}/ui/invitations/{id}", self.ctx.public_url);
        self.ctx.outbox.send(Mail {
            to: email.to_string(),
            subject: "You are invited to Kestra".into(),
            body: format!("Accept the invitation at {link}"),
            token: Some(id.clone()),
            link: Some(link),
        });
        id
    }

    /// Mails a one-time token to an existing user; keeps only the newest per user in `list`.
    fn mail_token(
        &self,
        email: &str,
        pick: fn(&mut State) -> &mut Vec<Pending>,
        token: String,
        mail: impl FnOnce(&str, &str) -> Mail,
    ) {
        let now = self.ctx.clock.now();
        let mut state = lock(&self.state);
        let Some(index) = by_email(&state.users, email) else {
            return;
        };
        let email = state.users[index].email.clone();
        let list = pick(&mut state);
        list.retain(|pending| pending.is_live(now));
        Pending::issue(list, &email, &token, now + self.ctx.token_ttl);
        drop(state);
        self.ctx.outbox.send(mail(&email, &token));
    }
}

impl kestra_api::server::AuthApi for Kestra {
    async fn accept_invitation(
        &self,
        request: accept_invitation::Request,
    ) -> accept_invitation::Response {
        use accept_invitation::Response;
        let now = self.ctx.clock.now();
        let accepted = lock(&self.state).accept_invitation(&request.invitation_id, now, true);
        let email = match accepted {
            Ok(email) => email,
            Err(unusable) => {
                return unusable.answer(Response::NotFound, Response::UnprocessableEntity);
            }
        };
        Response::Ok(object(&[
            ("id", request.invitation_id.into()),
            ("email", email.into()),
            ("status", "ACCEPTED".into()),
        ]))
    }

    async fn create_from_invitation(
        &self,
        request: create_from_invitation::Request,
    ) -> create_from_invitation::Response {
        use create_from_invitation::Response;
        let now = self.ctx.clock.now();
        let body = request.body;
        if let Err(unusable) =
            lock(&self.state).usable_invitation(&request.invitation_id, now, false)
        {
            return unusable.answer(Response::NotFound, Response::UnprocessableEntity);
        }
        let (first_name, last_name) = (body.first_name.trim(), body.last_name.trim());
        if first_name.is_empty() || last_name.is_empty() {
            return Response::UnprocessableEntity(refusal(
                "Invalid entity: first and last name are required",
            ));
        }
        if let Err(message) = check_policy(&body.password) {
            return Response::UnprocessableEntity(refusal(&format!("Invalid entity: {message}")));
        }
        let Ok(hash) = passwords::hash(body.password).await else {
            return Response::UnprocessableEntity(refusal(
                "Invalid entity: the password could not be stored",
            ));
        };
        // Looked up again: the lock was not held while hashing.
        let mut state = lock(&self.state);
        let email = match state.accept_invitation(&request.invitation_id, now, false) {
            Ok(email) => email,
            Err(unusable) => {
                return unusable.answer(Response::NotFound, Response::UnprocessableEntity);
            }
        };
        let user = User {
            id: self.ctx.tokens.alnum(22),
            email,
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            password: hash,
        };
        let created = object(&[
            ("id", user.id.clone().into()),
            ("username", user.email.clone().into()),
            ("email", user.email.clone().into()),
            ("firstName", user.first_name.clone().into()),
            ("lastName", user.last_name.clone().into()),
        ]);
        state.users.push(user);
        Response::Ok(created)
    }

    async fn forgotten_password(
        &self,
        request: forgotten_password::Request,
    ) -> forgotten_password::Response {
        let token = self.ctx.tokens.uuid();
        let public_url = self.ctx.public_url.clone();
        self.mail_token(
            request.username.trim(),
            |state| &mut state.resets,
            token,
            |email, token| {
                let link = format!("{public_url}/ui/reset-password?token={token}");
                Mail {
                    to: email.to_string(),
                    subject: "Reset your Kestra password".into(),
                    body: format!("Choose a new password at {link}"),
                    token: Some(token.to_string()),
                    link: Some(link),
                }
            },
        );
        // The same answer whether or not the user exists, as documented.
        forgotten_password::Response::Ok(Object::new())
    }

    async fn index(&self) -> index::Response {
        index::Response::Ok(AuthControllerAuth {
            login_password: Some(true),
            mails_enabled: Some(true),
            passwordless: Some(false),
            oauths: Some(Vec::new()),
        })
    }

    async fn request_code(&self, request: request_code::Request) -> request_code::Response {
        let code = self.ctx.tokens.digits(LOGIN_CODE_LENGTH);
        self.mail_token(
            request.email.trim(),
            |state| &mut state.login_codes,
            code,
            |email, code| Mail {
                to: email.to_string(),
                subject: "Your Kestra login code".into(),
                body: format!("Your login verification code is {code}."),
                token: Some(code.to_string()),
                link: None,
            },
        );
        request_code::Response::Ok(Object::new())
    }

    async fn reset_password(&self, request: reset_password::Request) -> reset_password::Response {
        use reset_password::Response;
        let now = self.ctx.clock.now();
        let body = request.body;
        let token = body.token.unwrap_or_default();
        let live = |state: &State| {
            position_of(&state.resets, token.trim(), |pending| &pending.token)
                .filter(|&index| state.resets[index].is_live(now))
        };
        if live(&lock(&self.state)).is_none() {
            return Response::UnprocessableEntity(refusal(BAD_TOKEN));
        }
        // A password that breaks the policy leaves the token usable: the user can retry.
        let password = body.password.unwrap_or_default();
        if let Err(message) = check_policy(&password) {
            return Response::UnprocessableEntity(refusal(&format!("Invalid entity: {message}")));
        }
        let Ok(hash) = passwords::hash(password).await else {
            return Response::UnprocessableEntity(refusal(
                "Invalid entity: the password could not be stored",
            ));
        };
        let mut state = lock(&self.state);
        let Some(index) = live(&state) else {
            return Response::UnprocessableEntity(refusal(BAD_TOKEN));
        };
        let reset = state.resets.remove(index);
        let Some(user) = by_email(&state.users, &reset.email) else {
            return Response::UnprocessableEntity(refusal(
                "Illegal argument: the account no longer exists",
            ));
        };
        state.users[user].password = hash;
        Response::Ok(object(&[("status", "PASSWORD_CHANGED".into())]))
    }
}
