//! # {{ title }}
//!
//! Generated from `{{ spec_label }}` (API version `{{ version }}`
{%- if dialect == "2.0" %}; Swagger 2.0, converted on load{% else if dialect != "3.0" %}; OpenAPI {{ dialect }}{% endif %}).
{%- if let Some(summary) = summary %}
//!
//! {{ summary }}
{%- endif %}
{%- for line in description %}
//!{{ line }}
{%- endfor %}
//!
//! ## Servers
//!
{%- for server in servers %}
//! - `{{ server }}`
{%- endfor %}
//!
//! ## Contents
//!
//! - [`models`]: serde types for every schema the spec uses ({{ type_count }} types);
//! - [`operations`]: per operation ({{ operation_count }}), its `Request` and its per-status
//!   `Response`, shared by both sides;
{%- if has_security %}
//! - [`security`]: one credentials type per security scheme;
{%- endif %}
{%- if has_operations %}
//! - `server` (feature `server`): one trait per tag and an axum `router`;
//! - `client` (feature `client`): a reqwest `Client` with a method per operation;
{%- endif %}
{%- if has_webhooks %}
//! - `webhooks` (feature `server`): the webhooks the API sends, as a subscriber receives
//!   them: traits and an axum `router`;
{%- endif %}
{%- if has_operations || has_webhooks %}
//! - `harness` (features `validate` and `harness`): the wire contract, a validation layer
//!   for the router{% if has_webhooks %} (and one for the webhook receiver){% endif %} and the conformance kit.
{%- endif %}
{%- if has_tag_features %}
//!
//! A feature per tag (`tag-...`, all on by default through `all-tags`) compiles only the
//! operations, client methods and models of the tags enabled: turn off the default features
//! and list the tags a client needs.
{%- endif %}
#![allow(
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::empty_docs,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    reason = "documentation is the spec's prose, kept as written"
)]
{%- if has_tag_features %}
#![cfg_attr(
    not(feature = "all-tags"),
    allow(dead_code, unused_imports, reason = "with only some tags enabled, shared helpers can go unused")
)]
{%- endif %}
#![allow(
    clippy::large_enum_variant,
    clippy::enum_variant_names,
    reason = "type shapes and names follow the spec"
)]

{#- Generated modules are laid out by prettyplease and the drift check keeps them byte-exact,
    so rustfmt must not rewrite them. #}
#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod operations;
{%- if has_security %}
#[rustfmt::skip]
pub mod security;
{%- endif %}
{%- if has_operations %}
#[cfg(feature = "server")]
#[rustfmt::skip]
pub mod server;
#[cfg(feature = "client")]
#[rustfmt::skip]
pub mod client;
{%- endif %}
{%- if has_webhooks %}
#[cfg(feature = "server")]
#[rustfmt::skip]
pub mod webhooks;
{%- endif %}
{%- if has_operations || has_webhooks %}
#[cfg(feature = "validate")]
#[rustfmt::skip]
pub mod harness;
{%- endif %}
{%- if has_support %}
#[rustfmt::skip]
pub mod support;
{%- endif %}
