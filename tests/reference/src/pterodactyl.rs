//! Pterodactyl's client account API for one account: details, API keys (the secret is shown
//! once, at creation), e-mail and password changes checked against the current password, and
//! TOTP two-factor authentication (RFC 6238) with recovery tokens.
//!
//! Authentication: `Authorization: Bearer <identifier><secret>`, the key's 16-character
//! identifier followed by the `secret_token` shown at creation (as the panel builds it). The
//! contract documents no 401 for any operation, so a wrong key is refused by a layer in front
//! of the handlers with the router's own 401 (`code: invalid_credentials`), the answer the
//! router already gives for missing credentials; handlers only run for valid keys.
//!
//! Refusals are the panel's: 400 for a wrong current password, 422 (`ValidationException`,
//! with `meta.source_field` and `meta.rule`) for input its validation rules refuse, such as a
//! confirmation that does not match, a password shorter than 8 characters or an
//! `allowed_ips` entry that is no IP address or CIDR range.

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use contract_runtime::server::{self as rt, RefusalKind, Rejection};
use pterodactyl_api::models::{
    AccountAttributes, AccountDetails, AccountDetailsObject, ApiKey as ApiKeyModel,
    ApiKeyAttributes, ApiKeyCreated, ApiKeyCreatedMeta, ApiKeyCreatedObject, ApiKeyList,
    ApiKeyListObject, ApiKeyObject, ErrorMeta, ErrorObject, ErrorResponse, ErrorSource,
    RecoveryTokens, RecoveryTokensAttributes, RecoveryTokensObject, TwoFactorDetails,
    TwoFactorImageData,
};
use pterodactyl_api::operations::{
    create_api_key, disable_two_factor, enable_two_factor, get_account, get_two_factor_details,
    list_api_keys, update_email, update_password,
};
use pterodactyl_api::security::Bearer;

use crate::passwords::{self, PasswordHash};
use crate::secrets::{Secret, SecretDigest};
use crate::{Accounts, Built, Context, DemoSettings, Service, SetupError, lock, totp};

/// The demo API key unless overridden: identifier `DemoApiKey000001`, then its secret.
pub const DEFAULT_API_KEY: &str = "DemoApiKey000001DemoSecret0000000000000000000000";
const IDENTIFIER_LENGTH: usize = 16;
const SECRET_LENGTH: usize = 32;
const RECOVERY_TOKENS: usize = 10;
const RECOVERY_TOKEN_LENGTH: usize = 10;
/// 160-bit TOTP secrets, as RFC 4226 recommends (32 base32 characters, like the docs' example).
const TOTP_SECRET_BYTES: usize = 20;

#[derive(Debug)]
struct ApiKey {
    identifier: String,
    description: String,
    allowed_ips: Vec<String>,
    last_used_at: Option<DateTime<FixedOffset>>,
    created_at: DateTime<FixedOffset>,
    /// Only a digest: the secret itself is shown once, in the creation response.
    secret: SecretDigest,
}

#[derive(Debug)]
struct Account {
    id: i64,
    admin: bool,
    username: String,
    email: String,
    first_name: String,
    last_name: String,
    language: String,
    password: PasswordHash,
}

#[derive(Debug, Default)]
struct TwoFactor {
    enabled: bool,
    /// The active secret (raw bytes, kept to check codes).
    secret: Option<Secret>,
    /// Handed out by `GET /account/two-factor`, active once a code for it is confirmed.
    pending: Option<Secret>,
    recovery: Vec<SecretDigest>,
}

#[derive(Debug)]
struct AccountState {
    account: Account,
    keys: Vec<ApiKey>,
    two_factor: TwoFactor,
}

impl Accounts for AccountState {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        let account = &self.account;
        (account.email.eq_ignore_ascii_case(login) || account.username == login)
            .then(|| account.password.clone())
    }
}

/// Splits a bearer token into identifier and secret (`None` if too short to hold both).
fn split_token(token: &str) -> Option<(&str, &str)> {
    let identifier = token.get(..IDENTIFIER_LENGTH)?;
    let secret = token.get(IDENTIFIER_LENGTH..)?;
    (!secret.is_empty()).then_some((identifier, secret))
}

pub(crate) fn build(ctx: Context, demo: DemoSettings) -> Result<Built, SetupError> {
    let token = demo.token.unwrap_or_else(|| DEFAULT_API_KEY.to_string());
    let usable = token.chars().all(|c| c.is_ascii_graphic());
    let Some((identifier, secret)) = split_token(&token).filter(|_| usable) else {
        return Err(SetupError::InvalidOption(format!(
            "a Pterodactyl API key is a {IDENTIFIER_LENGTH}-character identifier followed by its \
             secret, printable ASCII without spaces"
        )));
    };
    let created_at = timestamp(&ctx);
    let state = AccountState {
        account: Account {
            id: 1,
            admin: false,
            username: demo.username.clone(),
            email: demo.email.clone(),
            first_name: "Demo".into(),
            last_name: "User".into(),
            language: "en".into(),
            password: demo.password_hash,
        },
        keys: vec![ApiKey {
            identifier: identifier.to_string(),
            description: "Demo key".into(),
            allowed_ips: Vec::new(),
            last_used_at: None,
            created_at,
            secret: SecretDigest::of(secret),
        }],
        two_factor: TwoFactor::default(),
    };
    let pterodactyl = Service::new(state, ctx);
    let router = pterodactyl_api::server::router(pterodactyl.clone()).route_layer(
        middleware::from_fn_with_state(pterodactyl.clone(), authenticate),
    );
    Ok(Built {
        username: Some(demo.username),
        extras: vec![("apiKeyIdentifier".into(), identifier.to_string())],
        credentials: vec![("bearer".into(), token)],
        ..Built::new(router, pterodactyl)
    })
}

fn timestamp(ctx: &Context) -> DateTime<FixedOffset> {
    let seconds = i64::try_from(ctx.clock.unix_seconds()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        .fixed_offset()
}

/// Refuses a bearer token that is present but matches no key; lets a missing one through to
/// the router, which answers it with its `missing_credentials` 401.
async fn authenticate(
    State(pterodactyl): State<Pterodactyl>,
    request: Request,
    next: Next,
) -> Response {
    if let Ok(token) = rt::bearer(request.headers()) {
        if !pterodactyl.use_key(&token) {
            return Rejection {
                challenge: Some("Bearer"),
                ..Rejection::new(
                    RefusalKind::InvalidCredentials,
                    "the bearer token matches no API key of this panel",
                )
            }
            .into_response();
        }
    }
    next.run(request).await
}

fn error(code: &str, detail: &str, field: Option<&str>) -> ErrorResponse {
    ErrorResponse {
        errors: vec![ErrorObject {
            code: code.to_string(),
            status: field.is_none().then(|| "400".to_string()),
            detail: detail.to_string(),
            source: field.map(|field| ErrorSource {
                field: field.to_string(),
            }),
            meta: None,
        }],
    }
}

/// The panel's 422 for a validation rule (`app/Exceptions/Handler.php`, `invalidJson`).
fn invalid(field: &str, rule: &str, detail: &str) -> ErrorResponse {
    ErrorResponse {
        errors: vec![ErrorObject {
            code: "ValidationException".into(),
            status: Some("422".into()),
            detail: detail.to_string(),
            source: None,
            meta: Some(ErrorMeta {
                source_field: Some(field.to_string()),
                rule: Some(rule.to_string()),
            }),
        }],
    }
}

/// Whether `text` is an IPv4 or IPv6 address, or a CIDR range of one (as the panel's
/// `Range::parse` accepts).
fn is_ip_or_range(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let Ok(address) = address.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|prefix| {
        prefix.chars().all(|c| c.is_ascii_digit())
            && prefix.parse::<u8>().is_ok_and(|bits| bits <= max)
    })
}

fn key_attributes(key: &ApiKey) -> ApiKeyAttributes {
    ApiKeyAttributes {
        identifier: key.identifier.clone(),
        description: key.description.clone(),
        allowed_ips: key.allowed_ips.clone(),
        last_used_at: key.last_used_at,
        created_at: key.created_at,
    }
}

type Pterodactyl = Service<AccountState>;

impl Pterodactyl {
    /// Whether `token` is a valid key; records its use.
    fn use_key(&self, token: &str) -> bool {
        let Some((identifier, secret)) = split_token(token) else {
            return false;
        };
        let now = timestamp(&self.ctx);
        let mut state = lock(&self.state);
        let key = state
            .keys
            .iter_mut()
            .find(|key| key.identifier == identifier);
        match key {
            Some(key) if key.secret.matches(secret) => {
                key.last_used_at = Some(now);
                true
            }
            _ => false,
        }
    }

    fn password(&self) -> PasswordHash {
        lock(&self.state).account.password.clone()
    }
}

// Every handler runs behind `authenticate`, so the bearer token has been checked already.
impl pterodactyl_api::server::AccountAccountApi for Pterodactyl {
    async fn get_account(&self, _credentials: Bearer) -> get_account::Response {
        let state = lock(&self.state);
        let account = &state.account;
        get_account::Response::Ok(AccountDetails {
            object: AccountDetailsObject::User,
            attributes: AccountAttributes {
                id: account.id,
                admin: account.admin,
                username: account.username.clone(),
                email: account.email.clone(),
                first_name: account.first_name.clone(),
                last_name: account.last_name.clone(),
                language: account.language.clone(),
            },
        })
    }

    async fn list_api_keys(&self, _credentials: Bearer) -> list_api_keys::Response {
        let state = lock(&self.state);
        list_api_keys::Response::Ok(ApiKeyList {
            object: ApiKeyListObject::List,
            data: state
                .keys
                .iter()
                .map(|key| ApiKeyModel {
                    object: ApiKeyObject::ApiKey,
                    attributes: key_attributes(key),
                })
                .collect(),
        })
    }

    async fn create_api_key(
        &self,
        _credentials: Bearer,
        request: create_api_key::Request,
    ) -> create_api_key::Response {
        let body = request.body;
        let ips: Vec<String> = body
            .allowed_ips
            .iter()
            .map(|ip| ip.trim().to_string())
            .filter(|ip| !ip.is_empty())
            .collect();
        if let Some(position) = ips.iter().position(|ip| !is_ip_or_range(ip)) {
            let field = format!("allowed_ips.{position}");
            return create_api_key::Response::UnprocessableEntity(invalid(
                &field,
                &field,
                &format!(
                    "\"{}\" is not a valid IP address or CIDR range.",
                    ips[position]
                ),
            ));
        }
        let identifier = self.ctx.tokens.alnum(IDENTIFIER_LENGTH);
        let secret = self.ctx.tokens.alnum(SECRET_LENGTH);
        let key = ApiKey {
            identifier,
            description: body.description.trim().to_string(),
            allowed_ips: ips,
            last_used_at: None,
            created_at: timestamp(&self.ctx),
            secret: SecretDigest::of(&secret),
        };
        let attributes = key_attributes(&key);
        lock(&self.state).keys.push(key);
        create_api_key::Response::Created(ApiKeyCreated {
            object: ApiKeyCreatedObject::ApiKey,
            attributes,
            meta: ApiKeyCreatedMeta {
                secret_token: secret,
            },
        })
    }

    async fn update_email(
        &self,
        _credentials: Bearer,
        request: update_email::Request,
    ) -> update_email::Response {
        use update_email::Response;
        let body = request.body;
        let email = body.email.trim().to_string();
        // Validation first, then the password, as the panel's form request does.
        if !crate::plausible_email(&email) {
            return Response::BadRequest(error(
                "email",
                "The email must be a valid email address.",
                Some("email"),
            ));
        }
        let stored = self.password();
        if !passwords::verify(stored.clone(), body.password).await {
            return Response::BadRequest(error(
                "InvalidPasswordProvidedException",
                "The password provided was invalid for this account.",
                None,
            ));
        }
        let mut state = lock(&self.state);
        if state.account.password != stored {
            return Response::BadRequest(error(
                "InvalidPasswordProvidedException",
                "The password provided was invalid for this account.",
                None,
            ));
        }
        state.account.email = email;
        Response::NoContent
    }

    async fn update_password(
        &self,
        _credentials: Bearer,
        request: update_password::Request,
    ) -> update_password::Response {
        use update_password::Response;
        let body = request.body;
        let wrong_password = || {
            Response::BadRequest(error(
                "InvalidPasswordProvidedException",
                "The password provided was invalid for this account.",
                None,
            ))
        };
        // The panel checks the current password first (the form request's `authorize`), then
        // its rules: `password` required, `confirmed`, `min:8`.
        let stored = self.password();
        if !passwords::verify(stored.clone(), body.current_password).await {
            return wrong_password();
        }
        if body.password != body.password_confirmation {
            return Response::UnprocessableEntity(invalid(
                "password",
                "confirmed",
                "The password confirmation does not match.",
            ));
        }
        if passwords::check_length(&body.password).is_err() {
            return Response::UnprocessableEntity(invalid(
                "password",
                "min",
                &format!(
                    "The password must be between {} and {} characters.",
                    passwords::MIN_LENGTH,
                    passwords::MAX_LENGTH
                ),
            ));
        }
        let Ok(hash) = passwords::hash(body.password).await else {
            return Response::UnprocessableEntity(invalid(
                "password",
                "string",
                "The password could not be stored.",
            ));
        };
        let mut state = lock(&self.state);
        if state.account.password != stored {
            return wrong_password();
        }
        state.account.password = hash;
        Response::NoContent
    }

    async fn get_two_factor_details(
        &self,
        _credentials: Bearer,
    ) -> get_two_factor_details::Response {
        let secret = totp::encode_secret(&self.ctx.tokens.bytes::<TOTP_SECRET_BYTES>());
        let mut state = lock(&self.state);
        // The panel refuses to issue a new secret while 2FA is on (TwoFactorController::index).
        if state.two_factor.enabled {
            return get_two_factor_details::Response::BadRequest(error(
                "BadRequestHttpException",
                "Two-factor authentication is already enabled on this account.",
                None,
            ));
        }
        // A fresh secret each time; it replaces the active one only once a code proves the
        // user's authenticator has it.
        state.two_factor.pending = Some(Secret::new(secret.clone()));
        let uri = totp::provisioning_uri("Pterodactyl", &state.account.email, &secret);
        get_two_factor_details::Response::Ok(TwoFactorDetails {
            data: TwoFactorImageData {
                image_url_data: uri,
            },
        })
    }

    async fn enable_two_factor(
        &self,
        _credentials: Bearer,
        request: enable_two_factor::Request,
    ) -> enable_two_factor::Response {
        use enable_two_factor::Response;
        let now = self.ctx.clock.unix_seconds();
        let mut state = lock(&self.state);
        if state.two_factor.enabled {
            return Response::BadRequest(error(
                "BadRequestHttpException",
                "Two-factor authentication is already enabled on this account.",
                None,
            ));
        }
        let valid = state
            .two_factor
            .pending
            .as_ref()
            .and_then(|secret| totp::decode_secret(secret.expose()))
            .is_some_and(|secret| totp::verify(&secret, &request.body.code, now));
        if !valid {
            return Response::BadRequest(error(
                "TwoFactorAuthenticationTokenInvalid",
                "The token provided is not valid.",
                None,
            ));
        }
        let tokens: Vec<String> = (0..RECOVERY_TOKENS)
            .map(|_| self.ctx.tokens.alnum(RECOVERY_TOKEN_LENGTH))
            .collect();
        let two_factor = &mut state.two_factor;
        two_factor.enabled = true;
        two_factor.secret = two_factor.pending.take();
        two_factor.recovery = tokens.iter().map(|token| SecretDigest::of(token)).collect();
        Response::Ok(RecoveryTokens {
            object: RecoveryTokensObject::RecoveryTokens,
            attributes: RecoveryTokensAttributes { tokens },
        })
    }

    async fn disable_two_factor(
        &self,
        _credentials: Bearer,
        request: disable_two_factor::Request,
    ) -> disable_two_factor::Response {
        use disable_two_factor::Response;
        let stored = self.password();
        let refused = || {
            Response::BadRequest(error(
                "BadRequestHttpException",
                "The password provided was not valid.",
                None,
            ))
        };
        if !passwords::verify(stored.clone(), request.body.password).await {
            return refused();
        }
        let mut state = lock(&self.state);
        if state.account.password != stored {
            return refused();
        }
        state.two_factor = TwoFactor::default();
        Response::NoContent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_key_is_identifier_then_secret() {
        assert_eq!(
            split_token(DEFAULT_API_KEY).map(|(id, secret)| (id.len(), secret.len())),
            Some((IDENTIFIER_LENGTH, SECRET_LENGTH))
        );
        assert_eq!(split_token("0123456789abcdef"), None);
        assert_eq!(split_token("short"), None);
    }
}
