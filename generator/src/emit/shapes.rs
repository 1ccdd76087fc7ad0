//! The Rust shapes of an operation, decided once and read by every emitter: the response
//! variants the server sends and the client decodes, the request fields, and the
//! credentials. Keeping them here is what makes server and client agree.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::models::{ModelsEmitter, ident};
use crate::ir::{
    Api, Content, Location, MediaKind, Operation, SecuritySchemeKind, Status, Style, TypeRef,
};
use crate::names::{self, Scope};

/// The Rust module of an operation in `operations`.
pub fn module(operation: &Operation) -> Ident {
    ident(&operation.rust_name)
}

/// The type a body of one media type has in Rust.
pub fn content_type(models: &mut ModelsEmitter<'_>, content: &Content) -> TokenStream {
    match content.kind {
        MediaKind::Multipart | MediaKind::Binary => quote!(Vec<u8>),
        MediaKind::Text => match &content.ty {
            Some(ty @ TypeRef::Named(_)) => models.type_tokens(ty),
            _ => quote!(String),
        },
        MediaKind::Json | MediaKind::Form => match &content.ty {
            Some(ty) => models.type_tokens(ty),
            None => quote!(::serde_json::Value),
        },
    }
}

/// A body that may come in several media types: one variant each.
pub struct BodyShape {
    /// `None` for a single media type (the body is its type directly).
    pub enum_name: Option<Ident>,
    pub variants: Vec<(Ident, Content)>,
}

impl BodyShape {
    pub fn new(contents: &[Content], enum_name: &str) -> Option<Self> {
        match contents.len() {
            0 => None,
            1 => Some(Self {
                enum_name: None,
                variants: vec![(ident("Body"), contents[0].clone())],
            }),
            _ => {
                let mut scope = Scope::default();
                Some(Self {
                    enum_name: Some(ident(enum_name)),
                    variants: contents
                        .iter()
                        .map(|content| {
                            (
                                // Named by the essence: parameters (`; charset=utf-8`)
                                // do not name the variant.
                                ident(
                                    &scope.claim(names::variant_name(
                                        &contract_wire::media::essence(&content.media_type)
                                            .unwrap_or_else(|| content.media_type.clone()),
                                    )),
                                ),
                                content.clone(),
                            )
                        })
                        .collect(),
                })
            }
        }
    }

    /// The Rust type of the body as a whole.
    pub fn type_tokens(&self, models: &mut ModelsEmitter<'_>) -> TokenStream {
        match &self.enum_name {
            Some(name) => quote!(#name),
            None => content_type(models, &self.variants[0].1),
        }
    }

    /// The enum definition, when there are several media types.
    pub fn definition(&self, models: &mut ModelsEmitter<'_>, doc: &str) -> Option<TokenStream> {
        let name = self.enum_name.as_ref()?;
        let variants = self.variants.iter().map(|(variant, content)| {
            let ty = content_type(models, content);
            let doc = format!(" `{}`", content.media_type);
            quote!(#[doc = #doc] #variant(#ty),)
        });
        let doc = format!(" {doc}");
        Some(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
        })
    }
}

pub struct HeaderField {
    pub field: Ident,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Vec<String>,
}

/// One documented status of an operation.
pub struct ResponseVariant {
    pub name: Ident,
    pub status: Status,
    pub description: String,
    pub body: Option<BodyShape>,
    pub headers: Vec<HeaderField>,
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

pub fn response_variants(operation: &Operation) -> Vec<ResponseVariant> {
    let mut scope = Scope::default();
    operation
        .responses
        .iter()
        .map(|response| {
            let name = scope.claim(status_name(response.status));
            let mut header_names = Scope::default();
            for reserved in ["status", "body"] {
                header_names.claim(reserved.to_string());
            }
            ResponseVariant {
                body: BodyShape::new(&response.content, &format!("{name}Body")),
                name: ident(&name),
                status: response.status,
                description: response.description.clone(),
                headers: response
                    .headers
                    .iter()
                    // Content-Type is described by `content`; the runtime sets it.
                    .filter(|header| !header.wire_name.eq_ignore_ascii_case("content-type"))
                    .map(|header| HeaderField {
                        field: ident(&header_names.claim(header.rust_name.clone())),
                        wire_name: header.wire_name.to_ascii_lowercase(),
                        ty: header.ty.clone(),
                        required: header.required,
                        doc: crate::emit::docs::lines(&header.docs),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `200` is `Ok`, `404` is `NotFound`: the reason phrase, so matches read like HTTP.
pub fn status_name(status: Status) -> String {
    let code = match status {
        Status::Default => return "Default".into(),
        Status::Range(leading) => return format!("Status{leading}xx"),
        Status::Code(code) => code,
    };
    let name = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        other => return format!("Status{other}"),
    };
    name.into()
}

/// The request struct's fields: parameters, then the body.
pub struct RequestField {
    pub field: Ident,
    pub kind: RequestFieldKind,
}

pub enum RequestFieldKind {
    Parameter(usize),
    Body(BodyShape),
}

pub fn request_fields(operation: &Operation) -> Vec<RequestField> {
    let mut fields: Vec<RequestField> = operation
        .parameters
        .iter()
        .enumerate()
        .map(|(index, parameter)| RequestField {
            field: ident(&parameter.rust_name),
            kind: RequestFieldKind::Parameter(index),
        })
        .collect();
    if let Some(body) = &operation.body
        && let Some(shape) = BodyShape::new(&body.content, "RequestBody")
    {
        let taken = operation
            .parameters
            .iter()
            .any(|parameter| parameter.rust_name == "body");
        fields.push(RequestField {
            field: ident(if taken { "request_body" } else { "body" }),
            kind: RequestFieldKind::Body(shape),
        });
    }
    fields
}

/// The runtime's name for a style.
pub fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Simple => quote!(contract_runtime::Style::Simple),
        Style::Label => quote!(contract_runtime::Style::Label),
        Style::Matrix => quote!(contract_runtime::Style::Matrix),
        Style::Form => quote!(contract_runtime::Style::Form),
        Style::SpaceDelimited => quote!(contract_runtime::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(contract_runtime::Style::PipeDelimited),
        Style::DeepObject => quote!(contract_runtime::Style::DeepObject),
    }
}

pub fn location_str(location: Location) -> &'static str {
    location.as_str()
}

/// For a query parameter that is an object in an exploded form (OpenAPI's default for
/// objects), which query pairs make it up: its properties, or (a free-form object) every pair
/// but the operation's other query parameters. `None` for any other parameter.
pub fn exploded_object(
    api: &Api,
    operation: &Operation,
    parameter: &crate::ir::Parameter,
) -> Option<TokenStream> {
    if parameter.location != Location::Query
        || parameter.style != crate::ir::Style::Form
        || !parameter.explode
        || parameter.content_type.is_some()
    {
        return None;
    }
    let mut ty = parameter.ty.non_null();
    loop {
        match ty {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                crate::ir::TypeKind::Alias { target, .. } => ty = target.non_null(),
                crate::ir::TypeKind::Struct(structure) if structure.additional.is_none() => {
                    let names = structure.fields.iter().map(|field| &field.wire_name);
                    return Some(quote!(rt::Select::Properties(&[#(#names),*])));
                }
                crate::ir::TypeKind::Struct(_) => break,
                _ => return None,
            },
            TypeRef::Map(_) => break,
            _ => return None,
        }
    }
    let others = operation
        .parameters
        .iter()
        .filter(|other| other.location == Location::Query && other.wire_name != parameter.wire_name)
        .map(|other| &other.wire_name);
    Some(quote!(rt::Select::AllBut(&[#(#others),*])))
}

/// How an operation receives credentials.
pub enum CredentialShape {
    None,
    /// One scheme: the argument is that scheme's type.
    Single(usize),
    /// Alternatives (or schemes required together): an operation-local `Credentials` type.
    Local(Vec<Vec<usize>>),
}

/// Whether the operation's credentials may be left out (`security: [{}, ...]`): the handler
/// receives them as an `Option`, `None` when none of the alternatives was given.
pub fn credentials_optional(operation: &Operation) -> bool {
    operation.security_optional && !operation.security.is_empty()
}

pub fn credentials(operation: &Operation) -> CredentialShape {
    match operation.security.as_slice() {
        [] => CredentialShape::None,
        [only] if only.schemes.len() == 1 => CredentialShape::Single(only.schemes[0].0),
        alternatives => CredentialShape::Local(
            alternatives
                .iter()
                .map(|requirement| {
                    requirement
                        .schemes
                        .iter()
                        .map(|(index, _)| *index)
                        .collect()
                })
                .collect(),
        ),
    }
}

/// The `Credentials` variant for one alternative: its schemes' names joined (`KeyAndBearer`).
pub fn alternative_name(api: &Api, schemes: &[usize]) -> Ident {
    ident(
        &schemes
            .iter()
            .map(|index| api.security_schemes[*index].rust_name.as_str())
            .collect::<Vec<_>>()
            .join("And"),
    )
}

/// The type of one scheme's credentials in `security`.
pub fn scheme_type(api: &Api, index: usize) -> TokenStream {
    let name = ident(&api.security_schemes[index].rust_name);
    quote!(crate::security::#name)
}

/// What a scheme's credentials hold.
pub fn is_basic(api: &Api, index: usize) -> bool {
    matches!(&api.security_schemes[index].kind, SecuritySchemeKind::Http { scheme, .. } if scheme == "basic")
}
