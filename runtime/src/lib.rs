//! `contract-runtime`: the hand-written code generated crates share, so that parameter
//! encoding, request validation and response decoding are written (and tested) once instead
//! of being copied into every crate.
//!
//! - [`params`]: OpenAPI `style`/`explode` encoding and decoding (always available);
//! - [`server`] (feature `server`): extraction helpers and the JSON error shape for axum routers;
//! - [`client`] (feature `client`): request building and response decoding for reqwest clients;
//! - [`contract`] and [`validate`] (feature `validate`): the wire contract, and a tower layer
//!   checking every request and response of a router against it;
//! - [`harness`] (feature `harness`): the conformance kit;
//! - [`serve`] (feature `serve`): serving a router over TCP with header-read and idle
//!   timeouts and a connection limit.

pub mod params;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "validate")]
pub mod contract;
#[cfg(feature = "harness")]
pub mod harness;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "validate")]
pub mod validate;
#[cfg(feature = "validate")]
mod values;

pub use params::{Location, Style};
