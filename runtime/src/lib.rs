//! `contract-runtime`: the hand-written code generated crates share, so that parameter
//! encoding, request validation and response decoding are written (and tested) once instead
//! of being copied into every crate.
//!
//! - [`params`]: OpenAPI `style`/`explode` encoding and decoding (always available);
//! - [`server`] (feature `server`): extraction helpers and the JSON error shape for axum routers;
//! - [`client`] (feature `client`): request building and response decoding for reqwest clients.

pub mod params;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod server;

pub use params::Style;

/// The essence of a media type: `type/subtype` without parameters (`application/json` for
/// `application/json;charset=utf-8`), as written; compare it case-insensitively.
pub fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}
