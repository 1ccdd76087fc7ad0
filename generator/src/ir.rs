//! The intermediate representation: everything the emitters need to know about an API, with
//! names already decided and every `$ref` already resolved.
//!
//! **Invariant:** nothing here mentions `openapiv3`; emitters read only these types.

use serde_json::Value;

/// A whole API, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// The type arena. A [`TypeId`] indexes it; ids are assigned before any type is lowered,
    /// so recursive schemas refer to themselves by id.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Every example found in the spec, with the type it must deserialise into.
    pub examples: Vec<Example>,
    /// What may cross the wire per operation, schemas in JSON Schema: the generated crate
    /// ships it for the runtime's validation layer and conformance kit.
    pub wire: Value,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A use of a type: a named definition, a builtin, or a container of either.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys and values of one type.
    Map(Box<TypeRef>),
    /// The value may be JSON `null`.
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

impl TypeRef {
    pub fn nullable(self) -> Self {
        match self {
            already @ TypeRef::Nullable(_) => already,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }

    /// The type with a top-level `Nullable` removed.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// RFC 3339 `date-time`.
    DateTime,
    /// RFC 3339 `full-date`.
    Date,
    Uuid,
    /// `format: byte`: base64 text on the wire, bytes in Rust.
    Base64,
    /// `format: binary`: raw bytes (only meaningful as a whole body).
    Binary,
}

/// Documentation carried from the spec onto a generated item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Extra lines the generator adds (constraints, defaults, access notes).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier, unique in the crate's model module.
    pub name: String,
    /// JSON pointer of the schema this type was made from.
    pub origin: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A name for another type (`pub type A = B;`), or a transparent newtype when the alias is
    /// recursive (`recursive` is set by the cycle pass).
    Alias {
        target: TypeRef,
        recursive: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema (or `true`, as [`TypeRef::Any`]) next to named
    /// properties: collected into a flattened map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// Set by the cycle pass when the field must be boxed to give the type a finite size.
    pub boxed: bool,
    /// `writeOnly` or `format: password`: hidden from `Debug`.
    pub secret: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<Value>,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// The discriminator values that select this variant (empty when untagged).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
}

/// An example value from the spec and the type it belongs to.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub ty: TypeRef,
    pub value: Value,
}

// ---------------------------------------------------------------------------------------------
// Operations

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId (or one derived from method and path when the spec has none).
    pub id: String,
    /// snake_case method name.
    pub rust_name: String,
    /// PascalCase stem for the operation's own types (`ChangePassword`).
    pub type_stem: String,
    pub method: Method,
    pub path: PathTemplate,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives (OR) of requirements (AND of schemes). Empty: no authentication.
    pub security: Vec<SecurityRequirement>,
    pub pointer: String,
}

/// A path template as data: `/users/{id}` is `[Literal("/users/"), Param("id")]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    pub raw: String,
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParameterLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ParameterStyle,
    pub explode: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub content: Vec<Content>,
}

/// How a media type is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// `application/json` and any `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: bytes as they are.
    Binary,
}

#[derive(Debug, Clone)]
pub struct Content {
    pub media_type: String,
    pub kind: MediaKind,
    /// `None` when the spec gives no schema.
    pub ty: Option<TypeRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusCode {
    Code(u16),
    /// `2XX` and friends: the leading digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub description: String,
    pub headers: Vec<ResponseHeader>,
    pub content: Vec<Content>,
}

#[derive(Debug, Clone)]
pub struct ResponseHeader {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub name: String,
    /// PascalCase name for generated credential types.
    pub rust_name: String,
    pub kind: SecuritySchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    ApiKey {
        location: ParameterLocation,
        name: String,
    },
    Http {
        /// Lower-cased scheme name: `bearer`, `basic`, ...
        scheme: String,
        bearer_format: Option<String>,
    },
    OAuth2,
    OpenIdConnect {
        url: String,
    },
}

/// Schemes that must all be satisfied together.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// Indices into [`Api::security_schemes`], with the scopes asked for.
    pub schemes: Vec<(usize, Vec<String>)>,
}
