//! In-memory reference implementations of the five contracts in `specs/`, each served through
//! its generated router, with the behaviour the documentation describes: accounts, one-time
//! tokens that expire, mail in an [`Outbox`], a demo account with known credentials.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use reference_servers::{Api, DemoOptions, serve};
//!
//! let served = serve(Api::Zrok, DemoOptions::default())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("http://{}{}", listener.local_addr()?, served.base_path);
//! axum::serve(listener, served.router).await?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

pub mod clock;
pub mod outbox;
pub mod passwords;
pub mod secrets;
pub mod totp;

mod kestra;
mod persona;
mod pterodactyl;
mod soracom;
mod zrok;

pub use clock::Clock;
pub use kestra::INVITED_EMAIL as KESTRA_INVITED_EMAIL;
pub use outbox::{Mail, Outbox};
pub use pterodactyl::DEFAULT_API_KEY as PTERODACTYL_DEFAULT_API_KEY;
pub use soracom::{
    DEFAULT_AUTH_KEY as SORACOM_DEFAULT_AUTH_KEY,
    DEFAULT_AUTH_KEY_ID as SORACOM_DEFAULT_AUTH_KEY_ID,
    DEFAULT_OPERATOR_ID as SORACOM_DEFAULT_OPERATOR_ID,
};
pub use zrok::DEFAULT_ACCOUNT_TOKEN as ZROK_DEFAULT_ACCOUNT_TOKEN;

use passwords::PasswordHash;
use secrets::Tokens;

/// The demo account's e-mail address unless overridden.
pub const DEFAULT_EMAIL: &str = "demo@example.com";
/// The demo account's user name (Pterodactyl user, SORACOM SAM user) unless overridden.
pub const DEFAULT_USERNAME: &str = "demo";
/// The demo account's password unless overridden; it meets every service's password rule.
pub const DEFAULT_PASSWORD: &str = "Demo-Passw0rd";
/// How long password-reset tokens stay valid unless overridden.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(60 * 60);
/// How long invitations and registration links stay valid.
pub const INVITATION_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// One of the five contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    Zrok,
    Kestra,
    Persona,
    Pterodactyl,
    Soracom,
}

impl Api {
    pub const ALL: [Api; 5] = [
        Api::Zrok,
        Api::Kestra,
        Api::Persona,
        Api::Pterodactyl,
        Api::Soracom,
    ];

    /// The name of its spec (`specs/<name>.yaml`) and of the CLI argument.
    pub fn name(self) -> &'static str {
        match self {
            Api::Zrok => "zrok",
            Api::Kestra => "kestra",
            Api::Persona => "persona",
            Api::Pterodactyl => "pterodactyl",
            Api::Soracom => "soracom",
        }
    }

    /// The path of the spec's first server URL, under which the router is mounted (empty for
    /// Kestra, whose server is `http://localhost`). A test checks these against `specs/`.
    pub fn base_path(self) -> &'static str {
        match self {
            Api::Zrok => "/api/v2",
            Api::Kestra => "",
            Api::Persona => "/v1",
            Api::Pterodactyl => "/api/client",
            Api::Soracom => "/v1",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name given is none of the five.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownApi(pub String);

impl fmt::Display for UnknownApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Api::ALL.iter().map(|api| api.name()).collect();
        write!(
            f,
            "unknown API `{}` (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownApi {}

impl FromStr for Api {
    type Err = UnknownApi;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Api::ALL
            .into_iter()
            .find(|api| api.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownApi(name.to_string()))
    }
}

/// What the caller may choose; anything left `None` takes its default.
#[derive(Clone, Default)]
pub struct DemoOptions {
    /// Default [`DEFAULT_EMAIL`].
    pub email: Option<String>,
    /// Default [`DEFAULT_USERNAME`] (used by Pterodactyl and SORACOM).
    pub username: Option<String>,
    /// Default [`DEFAULT_PASSWORD`].
    pub password: Option<String>,
    /// zrok: the account token (`x-token`). Pterodactyl: the API key sent as bearer token,
    /// identifier (16 characters) followed by its secret. Ignored by the others.
    pub token: Option<String>,
    /// SORACOM: the demo AuthKey's id and secret.
    pub auth_key_id: Option<String>,
    pub auth_key: Option<String>,
    /// zrok: when set, `/invite` requires this `inviteToken` (zrok's invite-token mode).
    pub invite_token: Option<String>,
    /// Where links in mail point (`http://127.0.0.1:PORT`); default `http://localhost`.
    pub public_url: Option<String>,
    /// Lifetime of password-reset tokens; default [`DEFAULT_TOKEN_TTL`].
    pub token_ttl: Option<Duration>,
    /// Default [`Clock::system`].
    pub clock: Option<Clock>,
    /// Default [`Outbox::stderr`].
    pub outbox: Option<Outbox>,
}

impl DemoOptions {
    /// The defaults, with mail kept in the outbox but not logged: for tests.
    pub fn silent() -> Self {
        DemoOptions {
            outbox: Some(Outbox::silent()),
            ..DemoOptions::default()
        }
    }
}

impl fmt::Debug for DemoOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("DemoOptions")
            .field("email", &self.email)
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("token", &redacted(&self.token))
            .field("auth_key_id", &self.auth_key_id)
            .field("auth_key", &redacted(&self.auth_key))
            .field("invite_token", &redacted(&self.invite_token))
            .field("public_url", &self.public_url)
            .field("token_ttl", &self.token_ttl)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// The demo account a server starts with, and how to authenticate as it.
#[derive(Clone, PartialEq, Eq)]
pub struct Demo {
    pub email: String,
    pub username: Option<String>,
    pub password: String,
    /// Raw secrets by the spec's `securitySchemes` name: zrok `key` (the `x-token` header),
    /// Pterodactyl `bearer`. Empty for APIs without security schemes.
    pub credentials: Vec<(String, String)>,
    /// Other known values: SORACOM `operatorId`, `authKeyId`, `authKey`, `samUserName`;
    /// Kestra `invitationId` and `invitedEmail` (a pending invitation); zrok `inviteToken`.
    pub extras: Vec<(String, String)>,
}

impl Demo {
    /// The raw secret for security scheme `scheme`.
    pub fn credential(&self, scheme: &str) -> Option<&str> {
        lookup(&self.credentials, scheme)
    }

    pub fn extra(&self, key: &str) -> Option<&str> {
        lookup(&self.extras, key)
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
}

impl fmt::Debug for Demo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| -> Vec<String> {
            pairs.iter().map(|(name, _)| name.clone()).collect()
        };
        f.debug_struct("Demo")
            .field("email", &self.email)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("credentials", &names(&self.credentials))
            .field("extras", &names(&self.extras))
            .finish()
    }
}

/// A ready server: its router (already under its base path), the demo account, the mail it sends.
pub struct Served {
    pub api: Api,
    /// Already nested under [`Served::base_path`]; serve it as it is.
    pub router: axum::Router,
    pub base_path: String,
    pub demo: Demo,
    pub outbox: Outbox,
    pub clock: Clock,
    store: Arc<dyn Store>,
}

impl Served {
    /// The in-memory store as `Debug` prints it (passwords appear only as redacted hashes).
    pub fn store_debug(&self) -> String {
        format!("{:?}", self.store)
    }

    /// Whether `login` (an e-mail address, or a user name where the API has them) currently
    /// has `password`: for APIs whose contract has no login operation (Kestra, Persona).
    pub async fn password_matches(&self, login: &str, password: &str) -> bool {
        match self.store.password_hash(login) {
            Some(hash) => passwords::verify(hash, password.to_string()).await,
            None => false,
        }
    }
}

impl fmt::Debug for Served {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Served")
            .field("api", &self.api)
            .field("base_path", &self.base_path)
            .field("demo", &self.demo)
            .field("outbox", &self.outbox)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// A server could not be set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// The operating system gave no randomness.
    Randomness(String),
    /// The demo password could not be hashed.
    Hash,
    /// An option is unusable, e.g. a Pterodactyl token too short to hold an identifier.
    InvalidOption(String),
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::Randomness(err) => write!(f, "no randomness from the OS: {err}"),
            SetupError::Hash => f.write_str("the demo password could not be hashed"),
            SetupError::InvalidOption(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SetupError {}

/// Builds `api`'s server with its demo account.
pub fn serve(api: Api, options: DemoOptions) -> Result<Served, SetupError> {
    let tokens = Tokens::from_os().map_err(|err| SetupError::Randomness(err.0))?;
    let ctx = Context {
        outbox: options.outbox.clone().unwrap_or_default(),
        clock: options.clock.clone().unwrap_or_default(),
        tokens,
        public_url: options
            .public_url
            .clone()
            .unwrap_or_else(|| "http://localhost".to_string())
            .trim_end_matches('/')
            .to_string(),
        token_ttl: options.token_ttl.unwrap_or(DEFAULT_TOKEN_TTL),
    };
    let email = options
        .email
        .clone()
        .unwrap_or_else(|| DEFAULT_EMAIL.to_string());
    if !plausible_email(&email) {
        return Err(SetupError::InvalidOption(format!(
            "`{email}` is not an e-mail address"
        )));
    }
    let password = options
        .password
        .clone()
        .unwrap_or_else(|| DEFAULT_PASSWORD.to_string());
    let settings = DemoSettings {
        password_hash: passwords::hash_now(&password).map_err(|_| SetupError::Hash)?,
        email: email.clone(),
        username: options
            .username
            .clone()
            .unwrap_or_else(|| DEFAULT_USERNAME.to_string()),
        token: options.token.clone(),
        auth_key_id: options.auth_key_id.clone(),
        auth_key: options.auth_key.clone(),
        invite_token: options.invite_token.clone(),
    };
    let built = match api {
        Api::Zrok => zrok::build(ctx.clone(), settings),
        Api::Kestra => kestra::build(ctx.clone(), settings),
        Api::Persona => persona::build(ctx.clone(), settings),
        Api::Pterodactyl => pterodactyl::build(ctx.clone(), settings),
        Api::Soracom => soracom::build(ctx.clone(), settings),
    }?;
    // Behind the contract's validation layer, as a production service would be: requests
    // that break the contract in ways the types cannot see (bounds, formats, lengths) are
    // refused before a handler runs, with a status and body the operation documents, so
    // that every answer is one the contract describes.
    let validation = match api {
        Api::Zrok => zrok_api::harness::validation_layer(),
        Api::Kestra => kestra_api::harness::validation_layer(),
        Api::Persona => persona_api::harness::validation_layer(),
        Api::Pterodactyl => pterodactyl_api::harness::validation_layer(),
        Api::Soracom => soracom_api::harness::validation_layer(),
    };
    let router = built.router.layer(validation.documented_refusals());
    let base_path = api.base_path();
    let router = if base_path.is_empty() {
        router
    } else {
        axum::Router::new()
            .nest(base_path, router)
            .fallback(contract_runtime::server::not_found)
    };
    Ok(Served {
        api,
        router,
        base_path: base_path.to_string(),
        demo: Demo {
            email,
            username: built.username,
            password,
            credentials: built.credentials,
            extras: built.extras,
        },
        outbox: ctx.outbox,
        clock: ctx.clock,
        store: built.store,
    })
}

/// What every service shares: where mail goes, the time, the token generator, link base.
#[derive(Clone, Debug)]
pub(crate) struct Context {
    pub outbox: Outbox,
    pub clock: Clock,
    pub tokens: Tokens,
    pub public_url: String,
    pub token_ttl: Duration,
}

/// The demo account's resolved settings; each service adds its own defaults for the rest.
pub(crate) struct DemoSettings {
    pub email: String,
    pub username: String,
    pub password_hash: PasswordHash,
    pub token: Option<String>,
    pub auth_key_id: Option<String>,
    pub auth_key: Option<String>,
    pub invite_token: Option<String>,
}

/// What a service module hands back to [`serve`]: its router and store, and what its demo
/// account has besides the e-mail address and password every demo has.
pub(crate) struct Built {
    pub router: axum::Router,
    pub store: Arc<dyn Store>,
    /// The demo's user name, for APIs that have them.
    pub username: Option<String>,
    /// As [`Demo::credentials`].
    pub credentials: Vec<(String, String)>,
    /// As [`Demo::extras`].
    pub extras: Vec<(String, String)>,
}

impl Built {
    /// `service` behind `router`, with a demo account of e-mail address and password alone.
    pub fn new<S: Accounts + 'static>(router: axum::Router, service: Service<S>) -> Self {
        Self {
            router,
            store: Arc::new(service),
            username: None,
            credentials: Vec::new(),
            extras: Vec::new(),
        }
    }
}

/// A service's store as the library shows it.
pub(crate) trait Store: fmt::Debug + Send + Sync {
    /// The current password hash of the account `login` names.
    fn password_hash(&self, login: &str) -> Option<PasswordHash>;
}

/// One service: its state behind one lock, and what every service shares. The generated
/// API traits are implemented on it, one `Service<State>` per module.
pub(crate) struct Service<S> {
    pub state: Arc<Mutex<S>>,
    pub ctx: Context,
}

impl<S> Service<S> {
    pub fn new(state: S, ctx: Context) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
            ctx,
        }
    }
}

// Not derived: the state is shared, not cloned, so `S` need not be `Clone`.
impl<S> Clone for Service<S> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            ctx: self.ctx.clone(),
        }
    }
}

/// What a service's state tells [`Served`] about its accounts.
pub(crate) trait Accounts: fmt::Debug + Send {
    /// The current password hash of the account `login` names.
    fn password_hash(&self, login: &str) -> Option<PasswordHash>;
}

impl<S: Accounts> fmt::Debug for Service<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("state", &*lock(&self.state))
            .finish()
    }
}

impl<S: Accounts> Store for Service<S> {
    fn password_hash(&self, login: &str) -> Option<PasswordHash> {
        lock(&self.state).password_hash(login)
    }
}

/// Locks, recovering the data if another thread panicked while holding the lock: every store
/// update is a single assignment or push, so the data is consistent either way.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An account found by its e-mail address.
pub(crate) trait Addressed {
    fn address(&self) -> &str;
}

/// The index of the account whose address is `email`, compared case-insensitively as mail
/// addresses are.
pub(crate) fn by_email<T: Addressed>(accounts: &[T], email: &str) -> Option<usize> {
    accounts
        .iter()
        .position(|account| account.address().eq_ignore_ascii_case(email))
}

/// A light syntactic check (one `@`, a dotted domain, no spaces), like the services' own.
pub(crate) fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_round_trip() {
        for api in Api::ALL {
            assert_eq!(api.name().parse::<Api>(), Ok(api));
        }
        assert!("ZROK".parse::<Api>().is_ok());
        assert!("github".parse::<Api>().is_err());
    }

    /// The base paths are the path part of each spec's first server URL.
    #[test]
    fn base_paths_match_the_specs() {
        for api in Api::ALL {
            let path = format!(
                "{}/../../specs/{}.yaml",
                env!("CARGO_MANIFEST_DIR"),
                api.name()
            );
            let spec = std::fs::read_to_string(&path).expect("spec");
            let servers = spec.split("\nservers:").nth(1).expect("servers");
            let url = servers
                .lines()
                .find_map(|line| line.trim().strip_prefix("- url:"))
                .expect("first server")
                .trim();
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            let base = if url.contains("://") {
                rest.find('/').map_or("", |slash| &rest[slash..])
            } else {
                rest
            };
            assert_eq!(api.base_path(), base.trim_end_matches('/'), "{api}");
        }
    }

    #[test]
    fn emails() {
        assert!(plausible_email("a@example.com"));
        assert!(!plausible_email("a@example"));
        assert!(!plausible_email("a example@example.com"));
        assert!(!plausible_email("@example.com"));
        assert!(!plausible_email("a@b@example.com"));
    }
}
