//! The intermediate representation: everything the emitters need to know about an API, with
//! names already decided and every `$ref` already resolved.
//!
//! **Invariant:** nothing here mentions the input document model; emitters read only these
//! types.

use serde_json::Value;

/// The wire vocabulary the IR shares with the runtime: where parameters are and how they are
/// laid out, path templates, statuses.
pub use contract_wire::contract::ApiKeyLocation;
pub use contract_wire::{Location, PathSegment, PathTemplate, Status, Style};

/// A whole API, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// 3.1's `info.summary`.
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The dialect the spec was written in: `2.0`, `3.0`, `3.1` or `3.2`.
    pub dialect: &'static str,
    pub servers: Vec<Server>,
    /// The type arena. A [`TypeId`] indexes it; ids are assigned before any type is lowered,
    /// so recursive schemas refer to themselves by id.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The operations' tags, in first-use order: one server trait each.
    pub tags: Vec<Tag>,
    /// 3.1's `webhooks`: requests the API sends to its subscribers. Each has the path
    /// `/{name}` on the receiver's router.
    pub webhooks: Vec<Operation>,
    /// The webhooks' tags: one receiver trait each.
    pub webhook_tags: Vec<Tag>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Every example found in the spec, with the type it must deserialise into.
    pub examples: Vec<Example>,
    /// What may cross the wire per operation, schemas in JSON Schema: the generated crate
    /// ships it for the runtime's validation layer and conformance kit.
    pub wire: contract_wire::Contract,
    /// The same for the webhooks, checked on a subscriber's receiver.
    pub webhook_wire: contract_wire::Contract,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// A surface's operations.
    pub fn operations_of(&self, surface: Surface) -> &[Operation] {
        match surface {
            Surface::Api => &self.operations,
            Surface::Webhooks => &self.webhooks,
        }
    }

    /// A surface's tags.
    pub fn tags_of(&self, surface: Surface) -> &[Tag] {
        match surface {
            Surface::Api => &self.tags,
            Surface::Webhooks => &self.webhook_tags,
        }
    }

    /// A surface's tags, each with its operations.
    pub fn tagged(&self, surface: Surface) -> Vec<(&Tag, Vec<&Operation>)> {
        let operations = self.operations_of(surface);
        self.tags_of(surface)
            .iter()
            .map(|tag| {
                let members = tag.operations.iter().map(|index| &operations[*index]);
                (tag, members.collect())
            })
            .collect()
    }
}

/// Which requests a router serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The API's operations (`server`).
    Api,
    /// The webhooks the API sends, as a subscriber receives them (`webhooks`).
    Webhooks,
}

/// A tag (the first of an operation's tags; `default` for operations without one), with the
/// trait its operations are grouped in.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    /// `AccountApi`, `Webhooks`: unique in its module.
    pub trait_name: String,
    /// Its cargo feature (`tag-account`), when the crate has a feature per tag.
    pub feature: String,
    /// Indices of its operations (in `Api::operations` or `Api::webhooks`).
    pub operations: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Server {
    /// As the spec writes it, `{variables}` included.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL with each `{variable}` replaced by its default.
    pub fn default_url(&self) -> String {
        self.variables
            .iter()
            .fold(self.url.clone(), |url, variable| {
                url.replace(&format!("{{{}}}", variable.name), &variable.default)
            })
    }

    /// Whether the URL names a host (`https://api.example.com/v1`), rather than a path on
    /// the host that serves the spec (`/api/v2`).
    pub fn is_absolute(&self) -> bool {
        let url = self.default_url();
        url.contains("://") || url.starts_with("//")
    }
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The allowed values, when the spec lists them.
    pub values: Vec<String>,
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
    /// An array of fixed length, one type per position (`prefixItems` with `items: false`).
    Tuple(Vec<TypeRef>),
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
    /// `type: "null"` alone: `()`.
    Null,
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
    Enum(Enum),
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

/// A closed set of values: strings (`enum`, a string `const`), or integers named by the
/// spec (`oneOf` of titled `const`s).
#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
}

impl Enum {
    /// Whether the values are integers (serialised as numbers).
    pub fn is_integer(&self) -> bool {
        self.variants
            .iter()
            .any(|variant| matches!(variant.value, EnumValue::Integer(_)))
    }
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: EnumValue,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValue {
    String(String),
    Integer(i64),
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

/// An HTTP method.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// 3.2's `QUERY`: a safe request with a body.
    Query,
    /// A method of 3.2's `additionalOperations`, upper-cased as sent (`LINK`, `PURGE`).
    Other(String),
}

impl Method {
    /// The methods every OpenAPI version has, by their key in a path item, in spec order.
    pub const FIXED: [(&'static str, Method); 8] = [
        ("get", Method::Get),
        ("put", Method::Put),
        ("post", Method::Post),
        ("delete", Method::Delete),
        ("options", Method::Options),
        ("head", Method::Head),
        ("patch", Method::Patch),
        ("trace", Method::Trace),
    ];

    /// A method by name, any case.
    pub fn parse(name: &str) -> Method {
        let upper = name.to_ascii_uppercase();
        match upper.as_str() {
            "GET" => Method::Get,
            "PUT" => Method::Put,
            "POST" => Method::Post,
            "DELETE" => Method::Delete,
            "OPTIONS" => Method::Options,
            "HEAD" => Method::Head,
            "PATCH" => Method::Patch,
            "TRACE" => Method::Trace,
            "QUERY" => Method::Query,
            _ => Method::Other(upper),
        }
    }

    /// The method as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }

    /// A token a method may be (RFC 9110's `tchar`s).
    pub fn is_token(name: &str) -> bool {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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
    /// An empty requirement (`{}`, or one only the transport checks) is among the
    /// alternatives: credentials may be left out.
    pub security_optional: bool,
    pub pointer: String,
    /// Its Rust shape, decided once (in `lower::shape`) and read by every emitter.
    pub shape: OperationShape,
}

impl Operation {
    /// Whether the operation's credentials may be left out (`security: [{}, ...]`): the
    /// handler receives them as an `Option`, `None` when none of the alternatives was given.
    pub fn credentials_optional(&self) -> bool {
        self.security_optional && !self.security.is_empty()
    }
}

/// The Rust shape of an operation, every name in it already claimed: the request struct's
/// fields, the response enum's variants, and how credentials reach the handler. Server,
/// client and the tests all read this one decision, which is what makes them agree.
#[derive(Debug, Clone, Default)]
pub struct OperationShape {
    /// The request struct's fields: parameters in order, then the body.
    pub request: Vec<RequestField>,
    /// One variant per documented status.
    pub responses: Vec<ResponseVariant>,
    pub credentials: CredentialShape,
}

#[derive(Debug, Clone)]
pub struct RequestField {
    /// The field's name (`r#type` included).
    pub name: String,
    pub kind: RequestFieldKind,
}

#[derive(Debug, Clone)]
pub enum RequestFieldKind {
    /// The operation's parameter at this index.
    Parameter(usize),
    Body(BodyShape),
}

/// A body: its type directly for one media type, an enum of one variant per media type for
/// several.
#[derive(Debug, Clone)]
pub struct BodyShape {
    /// `None` for a single media type.
    pub enum_name: Option<String>,
    pub variants: Vec<BodyVariant>,
}

#[derive(Debug, Clone)]
pub struct BodyVariant {
    /// Named by the media type's essence (`ApplicationJson`); `Body` for a single type.
    pub name: String,
    pub content: Content,
}

/// One documented status of an operation, as a variant of its `Response` enum.
#[derive(Debug, Clone)]
pub struct ResponseVariant {
    /// `Ok`, `NotFound`, `Status4xx`, `Default`.
    pub name: String,
    pub status: Status,
    pub body: Option<BodyShape>,
    /// The documented headers (not `Content-Type`, which `content` describes).
    pub headers: Vec<HeaderField>,
    pub description: String,
}

impl ResponseVariant {
    /// Carries the actual status (for ranges and `default`).
    pub fn has_status(&self) -> bool {
        !matches!(self.status, Status::Code(_))
    }

    /// A tuple variant `Ok(body)` when the body is all there is; otherwise a struct variant.
    pub fn is_tuple(&self) -> bool {
        self.body.is_some() && self.headers.is_empty() && !self.has_status()
    }

    pub fn is_unit(&self) -> bool {
        self.body.is_none() && self.headers.is_empty() && !self.has_status()
    }
}

#[derive(Debug, Clone)]
pub struct HeaderField {
    /// The variant's field (never `status` or `body`, which the variant has of its own).
    pub field: String,
    /// Lowercase, as `http` names headers.
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

/// How an operation's handler receives credentials.
#[derive(Debug, Clone, Default)]
pub enum CredentialShape {
    #[default]
    None,
    /// One scheme: the argument is that scheme's type.
    Single(usize),
    /// Alternatives (or schemes required together): an operation-local `Credentials` enum.
    Local(Vec<CredentialAlternative>),
}

#[derive(Debug, Clone)]
pub struct CredentialAlternative {
    /// The `Credentials` variant: its schemes' names joined (`KeyAndBearer`).
    pub name: String,
    /// Indices into `Api::security_schemes`.
    pub schemes: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire_name: String,
    pub rust_name: String,
    pub location: Location,
    pub ty: TypeRef,
    pub required: bool,
    pub style: Style,
    pub explode: bool,
    /// Given as `content`: the value is this media type's text (JSON, in practice) rather
    /// than laid out by a style.
    pub content_type: Option<String>,
    pub docs: Docs,
    /// JSON pointer of the parameter object (after following a `$ref`), and of its schema.
    pub pointer: String,
    pub schema_pointer: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub content: Vec<Content>,
}

/// How a media type is put on the wire (JSON, form, multipart, text or bytes).
pub use contract_wire::media::Kind as MediaKind;

#[derive(Debug, Clone)]
pub struct Content {
    /// The media type as the spec first writes it.
    pub media_type: String,
    /// Other spellings of the same media type (parameters aside) the spec lists, read as
    /// this one: `application/json; charset=utf-8` beside `application/json`.
    pub aliases: Vec<String>,
    pub kind: MediaKind,
    /// `None` when the spec gives no schema.
    pub ty: Option<TypeRef>,
    /// 3.2's `itemSchema`: the type of each item of a sequential media type (JSON Lines,
    /// server-sent events). The body itself is carried as bytes or text for now.
    pub item_ty: Option<TypeRef>,
    /// JSON pointer of the media type object.
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
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
    /// JSON pointer of its schema, when it has one.
    pub schema_pointer: Option<String>,
}

impl SecurityScheme {
    /// Whether its credentials are a user name and password (HTTP `basic`).
    pub fn is_basic(&self) -> bool {
        matches!(&self.kind, SecuritySchemeKind::Http { scheme, .. } if scheme == "basic")
    }
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub name: String,
    /// PascalCase name for generated credential types.
    pub rust_name: String,
    /// The client's setter (`with_api_key`) and field (`credentials_api_key`) for it.
    pub setter: String,
    pub field: String,
    pub kind: SecuritySchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    ApiKey {
        location: ApiKeyLocation,
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
