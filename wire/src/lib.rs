//! `contract-wire`: the vocabulary of what crosses the wire, written once and shared by the
//! generator (which decides it from a spec and writes `contract.json`) and the runtime (which
//! reads it, routes, encodes, decodes and validates by it).
//!
//! - [`path`]: path templates as segments, and matching a request path against one;
//! - [`param`]: where a parameter is and how it is laid out (`in`, `style`, `explode`);
//! - [`status`]: a documented status (a code, a range, or `default`);
//! - [`media`]: media types and ranges, compared by essence (by the `mime` crate);
//! - [`contract`]: the typed wire contract of an API.

pub mod contract;
pub mod media;
pub mod param;
pub mod path;
pub mod status;

pub use contract::{Body, Contract, Header, Media, Operation, Parameter, Response, SecurityScheme};
pub use param::{Location, Style};
pub use path::{PathSegment, PathTemplate};
pub use status::Status;
