//! `reference-server <api>`: serves one reference implementation on 127.0.0.1, prints where and
//! the demo credentials on stdout, and logs the mail it sends to stderr. Connections are served
//! with a header read timeout (also the idle timeout of kept-alive connections) and a
//! connection limit, and request bodies have a read timeout, so slow or half-open clients
//! cannot hold the server.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use contract_runtime::serve::{ServeConfig, serve as serve_tcp};
use reference_servers::{Api, DemoOptions, Outbox, serve};

/// Serve an in-memory reference implementation of one contract in specs/.
#[derive(Parser)]
#[command(name = "reference-server")]
struct Args {
    /// Which API: zrok, kestra, persona, pterodactyl or soracom.
    api: Api,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, env = "REFERENCE_PORT", default_value_t = 0)]
    port: u16,
    /// Demo account e-mail address.
    #[arg(long, env = "REFERENCE_EMAIL")]
    email: Option<String>,
    /// Demo user name (Pterodactyl user, SORACOM SAM user).
    #[arg(long, env = "REFERENCE_USERNAME")]
    username: Option<String>,
    /// Demo password.
    #[arg(long, env = "REFERENCE_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// zrok account token (x-token), or Pterodactyl API key (16-character identifier + secret).
    #[arg(long, env = "REFERENCE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// SORACOM AuthKey id.
    #[arg(long, env = "REFERENCE_AUTH_KEY_ID")]
    auth_key_id: Option<String>,
    /// SORACOM AuthKey secret.
    #[arg(long, env = "REFERENCE_AUTH_KEY", hide_env_values = true)]
    auth_key: Option<String>,
    /// zrok: require this invite token on /invite.
    #[arg(long, env = "REFERENCE_INVITE_TOKEN", hide_env_values = true)]
    invite_token: Option<String>,
    /// Lifetime of password-reset tokens, in seconds.
    #[arg(long, env = "REFERENCE_TOKEN_TTL")]
    token_ttl: Option<u64>,
    /// Seconds a client may take to send a request's head, and a kept-alive connection may
    /// stay idle, before it is closed.
    #[arg(long, env = "REFERENCE_HEADER_READ_TIMEOUT", default_value_t = ServeConfig::default().header_read_timeout.as_secs())]
    header_read_timeout: u64,
    /// Most connections served at once; more wait in the listen backlog.
    #[arg(long, env = "REFERENCE_MAX_CONNECTIONS", default_value_t = ServeConfig::default().max_connections)]
    max_connections: usize,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("reference-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|err| format!("cannot listen on 127.0.0.1:{}: {err}", args.port))?;
    let address = listener
        .local_addr()
        .map_err(|err| format!("no local address: {err}"))?;
    let origin = format!("http://{address}");
    let served = serve(
        args.api,
        DemoOptions {
            email: args.email,
            username: args.username,
            password: args.password,
            token: args.token,
            auth_key_id: args.auth_key_id,
            auth_key: args.auth_key,
            invite_token: args.invite_token,
            public_url: Some(origin.clone()),
            token_ttl: args.token_ttl.map(Duration::from_secs),
            clock: None,
            outbox: Some(Outbox::stderr()),
        },
    )
    .map_err(|err| err.to_string())?;
    println!("listening on {origin}{}", served.base_path);
    let demo = &served.demo;
    println!("demo email: {}", demo.email);
    if let Some(username) = &demo.username {
        println!("demo username: {username}");
    }
    println!("demo password: {}", demo.password);
    for (scheme, secret) in &demo.credentials {
        println!("demo credential {scheme}: {secret}");
    }
    for (name, value) in &demo.extras {
        println!("demo {name}: {value}");
    }
    let config = ServeConfig {
        header_read_timeout: Duration::from_secs(args.header_read_timeout.max(1)),
        max_connections: args.max_connections.max(1),
    };
    serve_tcp(listener, served.router, config)
        .await
        .map_err(|err| format!("server stopped: {err}"))
}
