//! Emit: the IR becomes the files of one crate. Rust items are built with `quote!`; the
//! askama templates in `templates/` give the manifest, `lib.rs` and README their shape and
//! receive precomputed views, so they hold no logic.
//!
//! The modules form a DAG over the IR: the leaf helpers (`docs`, `tokens`) first, then
//! `tag_features`, then one emitter per file (`models`, `operations`, `server` for the API and
//! the webhook receiver, `client`, `harness`), and this module, which orders them and applies
//! the feature gates. Emitters read names and shapes from the IR; none decides one.

mod client;
mod docs;
mod harness;
mod models;
mod operations;
mod server;
mod tag_features;
mod tokens;

/// For code outside the generator that writes Rust against a generated crate (the test
/// harness's build script): identifiers and types exactly as the emitters write them.
pub use tokens::{Types, ident};

pub(crate) use tokens::ItemsFile;

/// Tag features are emitted for crates with at least this many operations.
pub use tag_features::TAG_FEATURES_FROM;

use askama::Template;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use models::Needs;

/// How the generated crate is named and how its files say they were made.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cargo package name, e.g. `zrok-api`.
    pub crate_name: String,
    /// The spec as the preamble and docs should name it, e.g. `specs/zrok.yaml`.
    pub spec_label: String,
    /// The command that regenerates the crate, for the preamble.
    pub command: String,
    /// Path from the generated crate to the `contract-runtime` crate, for its manifest.
    pub runtime_path: String,
    /// Every repair of a defect is an error (`--strict`).
    pub strict: bool,
}

/// A file before formatting.
pub enum FileBody<'a> {
    Rust(TokenStream),
    /// Most of a large crate: items built and formatted in parallel.
    Items(ItemsFile<'a>),
    /// Rust source from a template, still to be parsed and pretty-printed.
    RustText(String),
    Toml(String),
    Markdown(String),
    Json(String),
}

pub struct PendingFile<'a> {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    pub body: FileBody<'a>,
}

#[derive(Template)]
#[template(path = "crate_manifest.toml", escape = "none")]
struct ManifestView<'a> {
    preamble: &'a str,
    crate_name: &'a str,
    description: String,
    runtime_path: String,
    dependencies: Vec<&'static str>,
    /// Operations or webhooks: the crate has HTTP sides (features `server`, `client`, ...).
    has_http: bool,
    operation_count: usize,
    /// Feature per tag (large specs): their names.
    tag_features: Vec<String>,
}

#[derive(Template)]
#[template(path = "crate_lib.rs", escape = "none")]
struct LibView<'a> {
    title: &'a str,
    version: &'a str,
    spec_label: &'a str,
    description: Vec<String>,
    servers: Vec<&'a str>,
    type_count: usize,
    operation_count: usize,
    has_support: bool,
    has_security: bool,
    has_operations: bool,
    has_webhooks: bool,
    has_tag_features: bool,
    /// 3.1's `info.summary`.
    summary: Option<&'a str>,
    /// `2.0`, `3.0`, `3.1` or `3.2`.
    dialect: &'a str,
}

#[derive(Template)]
#[template(path = "crate_readme.md", escape = "none")]
struct ReadmeView<'a> {
    preamble: &'a str,
    crate_name: &'a str,
    title: &'a str,
    version: &'a str,
    spec_label: &'a str,
    description: &'a str,
    type_count: usize,
    operation_count: usize,
    command: &'a str,
}

/// Builds every file of the crate, unformatted. An error is the generator's own failure.
pub fn emit<'a>(api: &'a Api, settings: &Settings) -> Result<Vec<PendingFile<'a>>, String> {
    let tag_features = tag_features::TagFeatures::of(api).map(std::sync::Arc::new);
    let models_file = models::emit_models(api, tag_features.clone());
    let operations_file = operations::emit_operations(api, tag_features.clone());
    let server_file = server::emit_server(api, crate::ir::Surface::Api);
    let webhooks_file = server::emit_server(api, crate::ir::Surface::Webhooks);
    let client_file = client::emit_client(api, tag_features.clone());
    let needs = Needs::of(api);
    let support = support_module(needs);
    let has_security = !api.security_schemes.is_empty();
    let has_operations = !api.operations.is_empty();
    let has_webhooks = !api.webhooks.is_empty();

    let mut description_lines = Vec::new();
    if let Some(description) = &api.description {
        description_lines.push(String::new());
        docs::push_prose(&mut description_lines, description);
    }
    let lib = LibView {
        title: &api.title,
        version: &api.version,
        spec_label: &settings.spec_label,
        description: description_lines
            .into_iter()
            .map(|line| {
                if line.is_empty() {
                    line
                } else {
                    format!(" {line}")
                }
            })
            .collect(),
        servers: api
            .servers
            .iter()
            .map(|server| server.url.as_str())
            .collect(),
        type_count: api.types.len(),
        operation_count: api.operations.len(),
        has_support: support.is_some(),
        has_security,
        has_operations,
        has_webhooks,
        has_tag_features: tag_features.is_some(),
        summary: api.summary.as_deref(),
        dialect: api.dialect,
    }
    .render()
    .map_err(|err| format!("template failed: {err}"))?;

    let toml_preamble = format!("# {}", preamble_text(settings));
    let manifest = ManifestView {
        preamble: &toml_preamble,
        crate_name: &settings.crate_name,
        description: toml_string(&format!(
            "Models, server traits and client for the {}, generated from its OpenAPI contract.",
            api_name(&api.title)
        )),
        runtime_path: toml_string(&settings.runtime_path),
        dependencies: dependencies(needs),
        has_http: has_operations || has_webhooks,
        operation_count: api.operations.len(),
        tag_features: tag_features
            .as_ref()
            .map(|features| features.features.clone())
            .unwrap_or_default(),
    }
    .render()
    .map_err(|err| format!("template failed: {err}"))?;

    let markdown_preamble = format!("<!-- {} -->", preamble_text(settings));
    let readme = ReadmeView {
        preamble: &markdown_preamble,
        crate_name: &settings.crate_name,
        title: &api.title,
        version: &api.version,
        spec_label: &settings.spec_label,
        description: api.description.as_deref().unwrap_or_default().trim(),
        type_count: api.types.len(),
        operation_count: api.operations.len(),
        command: &settings.command,
    }
    .render()
    .map_err(|err| format!("template failed: {err}"))?;

    let mut files = vec![
        PendingFile {
            path: "Cargo.toml".into(),
            body: FileBody::Toml(manifest),
        },
        PendingFile {
            path: "README.md".into(),
            body: FileBody::Markdown(readme),
        },
        PendingFile {
            path: "src/lib.rs".into(),
            body: FileBody::RustText(lib),
        },
        PendingFile {
            path: "src/models.rs".into(),
            body: FileBody::Items(models_file),
        },
    ];
    files.push(PendingFile {
        path: "src/operations.rs".into(),
        body: FileBody::Items(operations_file),
    });
    // A spec without operations (only schemas) has no HTTP sides.
    if has_operations {
        files.push(PendingFile {
            path: "src/server.rs".into(),
            body: FileBody::Items(server_file),
        });
        files.push(PendingFile {
            path: "src/client.rs".into(),
            body: FileBody::Items(client_file),
        });
        files.push(PendingFile {
            path: "contract.json".into(),
            body: FileBody::Json(contract_json(&api.wire)?),
        });
    }
    if has_webhooks {
        files.push(PendingFile {
            path: "src/webhooks.rs".into(),
            body: FileBody::Items(webhooks_file),
        });
        files.push(PendingFile {
            path: "webhooks.json".into(),
            body: FileBody::Json(contract_json(&api.webhook_wire)?),
        });
    }
    if has_operations || has_webhooks {
        files.push(PendingFile {
            path: "src/harness.rs".into(),
            body: FileBody::Rust(harness::emit_harness(api)),
        });
    }
    if has_security {
        files.push(PendingFile {
            path: "src/security.rs".into(),
            body: FileBody::Rust(operations::emit_security(api)),
        });
    }
    if let Some(support) = support {
        files.push(PendingFile {
            path: "src/support.rs".into(),
            body: FileBody::Rust(support),
        });
    }
    Ok(files)
}

fn contract_json(wire: &contract_wire::Contract) -> Result<String, String> {
    serde_json::to_string_pretty(wire)
        .map_err(|err| format!("the wire contract does not serialise: {err}"))
}

/// The first line of every generated file, without comment markers.
pub fn preamble_text(settings: &Settings) -> String {
    format!(
        "@generated by `{}` from {}. Do not edit: change the spec and regenerate.",
        settings.command, settings.spec_label
    )
}

/// "the zrok API", but "the SORACOM API" rather than "the SORACOM API API".
fn api_name(title: &str) -> String {
    let title = title.trim();
    if title.to_ascii_lowercase().ends_with(" api") {
        title.to_string()
    } else {
        format!("{title} API")
    }
}

fn toml_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

fn dependencies(needs: Needs) -> Vec<&'static str> {
    let mut out = vec![
        r#"serde = { version = "1", features = ["derive"] }"#,
        r#"serde_json = "1""#,
    ];
    if needs.chrono {
        out.push(r#"chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }"#);
    }
    if needs.uuid {
        out.push(
            r#"uuid = { version = "1", default-features = false, features = ["std", "serde"] }"#,
        );
    }
    if needs.base64 {
        out.push(r#"base64 = { version = "0.22", default-features = false, features = ["std"] }"#);
    }
    out.sort_unstable();
    out
}

/// Helpers the models refer to as `crate::support::...`, emitted only when used.
fn support_module(needs: Needs) -> Option<TokenStream> {
    if !needs.base64 && !needs.double_option {
        return None;
    }
    let base64 = needs.base64.then(|| {
        quote! {
            /// Bytes carried as base64 text (`format: byte`).
            #[derive(Debug, Clone, PartialEq, Eq, Default)]
            pub struct Base64(pub Vec<u8>);

            impl Serialize for Base64 {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use base64::Engine as _;
                    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
                }
            }

            impl<'de> Deserialize<'de> for Base64 {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use base64::Engine as _;
                    let text = String::deserialize(deserializer)?;
                    base64::engine::general_purpose::STANDARD
                        .decode(text.as_bytes())
                        .map(Base64)
                        .map_err(serde::de::Error::custom)
                }
            }
        }
    });
    let double_option = needs.double_option.then(|| {
        quote! {
            /// For optional fields that may also be `null`: an absent field stays `None` (through
            /// `#[serde(default)]`), `null` becomes `Some(None)` and a value `Some(Some(v))`, so
            /// "leave unchanged" and "clear" remain different things.
            pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
            where
                T: Deserialize<'de>,
                D: Deserializer<'de>,
            {
                Option::<T>::deserialize(deserializer).map(Some)
            }
        }
    });
    let serializer_import = needs.base64.then(|| quote!(Serialize, Serializer,));
    Some(quote! {
        //! Serde helpers the models use.
        use serde::{Deserialize, Deserializer, #serializer_import};
        #base64
        #double_option
    })
}

#[cfg(test)]
mod layering {
    /// Each emit module, its source, and the emit modules it may use: the DAG that
    /// ARCHITECTURE.md states (leaves, then `tag_features`, then one emitter per file).
    const MODULES: &[(&str, &str, &[&str])] = &[
        ("docs", include_str!("docs.rs"), &[]),
        ("tokens", include_str!("tokens.rs"), &[]),
        ("tag_features", include_str!("tag_features.rs"), &[]),
        (
            "models",
            include_str!("models.rs"),
            &["docs", "tokens", "tag_features"],
        ),
        (
            "operations",
            include_str!("operations.rs"),
            &["docs", "tokens", "tag_features"],
        ),
        ("server", include_str!("server.rs"), &["docs", "tokens"]),
        (
            "client",
            include_str!("client.rs"),
            &["docs", "tokens", "tag_features"],
        ),
        ("harness", include_str!("harness.rs"), &[]),
    ];

    #[test]
    fn emitters_form_a_dag_and_read_only_the_ir() {
        let names: Vec<&str> = MODULES.iter().map(|(name, ..)| *name).collect();
        for (name, source, allowed) in MODULES {
            for other in &names {
                let used = source.contains(&format!("crate::emit::{other}"))
                    || source.contains(&format!("super::{other}"));
                assert!(
                    !used || other == name || allowed.contains(other),
                    "emit/{name}.rs uses emit/{other}.rs, outside the layering"
                );
            }
            for stage in ["document", "load", "resolve", "lower"] {
                assert!(
                    !source.contains(&format!("crate::{stage}")),
                    "emit/{name}.rs reads the front end (crate::{stage}); emitters read the IR"
                );
            }
        }
    }
}
