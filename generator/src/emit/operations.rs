//! The `operations` and `security` modules: per operation, the request it takes and the
//! per-status response enum that both the server (which sends it) and the client (which
//! decodes it) use; per security scheme, the credentials type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs;
use crate::emit::models::{ModelsEmitter, ident};
use crate::emit::shapes::{self, CredentialShape, RequestFieldKind};
use crate::ir::{Api, Operation, SecuritySchemeKind, Status};

/// The short doc lines for an operation's trait and client methods: its summary (else the
/// first sentence of its description), method and path, and a link to its module, where the
/// whole description is said once.
pub fn operation_summary(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    let summary = operation
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|summary| !summary.is_empty())
        .map(str::to_string)
        .or_else(|| operation.description.as_deref().and_then(first_sentence));
    if let Some(summary) = summary {
        docs::push_prose(&mut lines, &summary);
        lines.push(String::new());
    }
    let module = operation.rust_name.trim_start_matches("r#");
    lines.push(format!(
        "`{} {}`: see [`crate::operations::{module}`].",
        operation.method.as_str(),
        operation.path.as_str(),
    ));
    if operation.deprecated {
        lines.push(String::new());
        lines.push("**Deprecated** in the spec.".into());
    }
    lines
}

/// The first sentence of prose (up to the first `. ` or line break), when there is one.
fn first_sentence(text: &str) -> Option<String> {
    let text = text.trim();
    let first_line = text.lines().next()?.trim();
    let sentence = match first_line.find(". ") {
        Some(end) => &first_line[..=end],
        None => first_line,
    };
    let sentence = sentence.trim();
    // Markup (a heading, a list, a table, a fence) does not read as a summary.
    (!sentence.is_empty() && !sentence.starts_with(['#', '|', '-', '*', '`', '<']))
        .then(|| sentence.to_string())
}

/// The doc lines for an operation: summary, description, method and path.
pub fn operation_docs(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(summary) = operation
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        docs::push_prose(&mut lines, summary);
    }
    if let Some(description) = operation
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        docs::push_prose(&mut lines, description);
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "`{} {}` (operationId `{}`).",
        operation.method.as_str(),
        operation.path.as_str(),
        operation.id
    ));
    if operation.deprecated {
        lines.push(String::new());
        lines.push("**Deprecated** in the spec.".into());
    }
    lines
}

/// `operations.rs`: a module per operation (and per webhook), each built (and formatted) on
/// any thread.
pub fn emit_operations(
    api: &Api,
    tag_features: Option<std::sync::Arc<crate::emit::tag_features::TagFeatures>>,
) -> crate::emit::ItemsFile<'_> {
    let head = if api.webhooks.is_empty() {
        quote! {
            //! One module per operation: its `Request`, and its `Response` with one variant per
            //! documented status, shared by the server and the client.
        }
    } else {
        quote! {
            //! One module per operation and per webhook: its `Request`, and its `Response` with
            //! one variant per documented status, shared by both sides.
        }
    };
    crate::emit::ItemsFile {
        head,
        count: api.operations.len() + api.webhooks.len(),
        item: Box::new(move |index| {
            let (operation, cfg) = match api.operations.get(index) {
                Some(operation) => (
                    operation,
                    tag_features
                        .as_ref()
                        .map(|features| features.operation_cfg(index)),
                ),
                // Webhooks belong to no tag feature: they compile with every tag.
                None => (
                    &api.webhooks[index - api.operations.len()],
                    tag_features
                        .as_ref()
                        .map(|features| features.all_tags_cfg()),
                ),
            };
            let module = operation_module(api, operation, &mut ModelsEmitter::qualified(api));
            match cfg {
                Some(cfg) => crate::emit::tag_features::gate(module, &cfg),
                None => module,
            }
        }),
    }
}

fn operation_module(
    api: &Api,
    operation: &Operation,
    models: &mut ModelsEmitter<'_>,
) -> TokenStream {
    let module = shapes::module(operation);
    let module_doc = docs::attrs(&operation_docs(operation));
    let fields = shapes::request_fields(operation);
    let mut extra_items = Vec::new();
    let mut all_optional = true;
    // (field, type, required) for the constructor.
    let mut constructor: Vec<(proc_macro2::Ident, TokenStream, bool)> = Vec::new();
    let field_tokens: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            let name = &field.field;
            match &field.kind {
                RequestFieldKind::Parameter(index) => {
                    let parameter = &operation.parameters[*index];
                    let ty = models.type_tokens(parameter.ty.non_null());
                    constructor.push((name.clone(), ty.clone(), parameter.required));
                    let ty = if parameter.required {
                        all_optional = false;
                        ty
                    } else {
                        quote!(Option<#ty>)
                    };
                    let mut lines = docs::lines(&parameter.docs);
                    if !lines.is_empty() {
                        lines.push(String::new());
                    }
                    lines.push(format!(
                        "{} parameter `{}`{}.",
                        heck::ToUpperCamelCase::to_upper_camel_case(shapes::location_str(
                            parameter.location
                        )),
                        parameter.wire_name,
                        if parameter.required { ", required" } else { "" }
                    ));
                    let doc = docs::attrs(&lines);
                    quote!(#doc pub #name: #ty,)
                }
                RequestFieldKind::Body(shape) => {
                    let body = operation.body.as_ref();
                    let required = body.is_some_and(|body| body.required);
                    if let Some(definition) =
                        shape.definition(models, "The request body, in one of its media types.")
                    {
                        extra_items.push(definition);
                    }
                    let ty = shape.type_tokens(models);
                    constructor.push((name.clone(), ty.clone(), required));
                    let ty = if required {
                        all_optional = false;
                        ty
                    } else {
                        quote!(Option<#ty>)
                    };
                    let media: Vec<String> = shape
                        .variants
                        .iter()
                        .map(|(_, c)| format!("`{}`", c.media_type))
                        .collect();
                    let mut lines = Vec::new();
                    if let Some(description) = body.and_then(|body| body.description.as_deref()) {
                        docs::push_prose(&mut lines, description);
                        lines.push(String::new());
                    }
                    lines.push(format!(
                        "The request body ({}){}.",
                        media.join(", "),
                        if required { ", required" } else { "" }
                    ));
                    let doc = docs::attrs(&lines);
                    quote!(#doc pub #name: #ty,)
                }
            }
        })
        .collect();
    let request = (!fields.is_empty()).then(|| {
        let default = all_optional.then(|| quote!(Default,));
        let doc = format!(" The inputs of `{}`.", operation.id);
        // With both required and optional inputs, `new` takes the required ones and leaves the
        // optional ones unset; with only optional ones, `Default` does that.
        let has_optional = constructor.iter().any(|(_, _, required)| !required);
        let new = (has_optional && !all_optional).then(|| {
            let arguments = constructor.iter().filter(|(_, _, required)| *required).map(|(name, ty, _)| quote!(#name: #ty));
            let values = constructor.iter().map(|(name, _, required)| if *required { quote!(#name) } else { quote!(#name: None) });
            quote! {
                impl Request {
                    /// The required inputs; the optional ones start unset.
                    #[allow(clippy::too_many_arguments, reason = "one argument per required input of the operation")]
                    pub fn new(#(#arguments),*) -> Self {
                        Self { #(#values),* }
                    }
                }
            }
        });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct Request { #(#field_tokens)* }
            #new
        }
    });

    let variants: Vec<TokenStream> = shapes::response_variants(operation)
        .iter()
        .map(|variant| {
            let name = &variant.name;
            let status = match variant.status {
                Status::Code(code) => code.to_string(),
                Status::Range(leading) => format!("{leading}XX"),
                Status::Default => "default".into(),
            };
            let mut lines = Vec::new();
            let description = variant.description.trim();
            lines.push(if description.is_empty() {
                format!("`{status}`.")
            } else {
                format!("`{status}`: {description}")
            });
            let doc = docs::attrs(&lines);
            if let Some(body) = &variant.body
                && let Some(definition) = body.definition(
                    models,
                    &format!("The body of the `{status}` response, in one of its media types."),
                )
            {
                extra_items.push(definition);
            }
            if variant.is_unit() {
                return quote!(#doc #name,);
            }
            let body_ty = variant.body.as_ref().map(|body| body.type_tokens(models));
            if variant.is_tuple() {
                return quote!(#doc #name(#body_ty),);
            }
            let status_field = variant.has_status().then(|| {
                quote!(
                    /// The status code actually sent.
                    status: u16,
                )
            });
            let body_field = body_ty.map(|ty| {
                quote!(
                    /// The response body.
                    body: #ty,
                )
            });
            let header_fields = variant.headers.iter().map(|header| {
                let field = &header.field;
                let ty = models.type_tokens(header.ty.non_null());
                let ty = if header.required {
                    ty
                } else {
                    quote!(Option<#ty>)
                };
                let mut lines = header.doc.clone();
                if !lines.is_empty() {
                    lines.push(String::new());
                }
                lines.push(format!("Response header `{}`.", header.wire_name));
                let doc = docs::attrs(&lines);
                quote!(#doc #field: #ty,)
            });
            quote!(#doc #name { #status_field #body_field #(#header_fields)* },)
        })
        .collect();
    let response_doc = format!(
        " The responses of `{}`, one variant per documented status.",
        operation.id
    );
    let credentials = match shapes::credentials(operation) {
        CredentialShape::Local(alternatives) => Some(credentials_enum(api, &alternatives)),
        _ => None,
    };
    quote! {
        #module_doc
        pub mod #module {
            #request
            #[doc = #response_doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum Response { #(#variants)* }
            #credentials
            #(#extra_items)*
        }
    }
}

fn credentials_enum(api: &Api, alternatives: &[Vec<usize>]) -> TokenStream {
    let variants = alternatives.iter().map(|schemes| {
        let name = shapes::alternative_name(api, schemes);
        let types = schemes.iter().map(|index| shapes::scheme_type(api, *index));
        quote!(#name(#(#types),*),)
    });
    quote! {
        /// The credentials the operation accepts: one variant per alternative in its `security`.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Credentials { #(#variants)* }
    }
}

/// An HTTP authentication scheme as it is written in `Authorization` (`Bearer`, `Digest`).
pub fn http_scheme_label(scheme: &str) -> String {
    let mut chars = scheme.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn emit_security(api: &Api) -> TokenStream {
    let items = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.rust_name);
        let label = scheme.rust_name.as_str();
        let (what, fields, debug) = match &scheme.kind {
            SecuritySchemeKind::ApiKey { location, name } => (
                format!("An API key, sent in {} `{name}`.", shapes::location_str(*location)),
                quote!((pub String);),
                quote!(f.debug_tuple(#label).field(&"<redacted>").finish()),
            ),
            SecuritySchemeKind::Http { scheme, .. } if scheme == "basic" => (
                "HTTP Basic credentials.".to_string(),
                quote!({ pub username: String, pub password: String }),
                quote!(f.debug_struct(#label).field("username", &self.username).field("password", &"<redacted>").finish()),
            ),
            SecuritySchemeKind::Http { scheme, .. } => (
                if scheme == "bearer" {
                    "A token sent as `Authorization: Bearer <token>`.".to_string()
                } else {
                    format!("Credentials sent as `Authorization: {} <credentials>`.", http_scheme_label(scheme))
                },
                quote!((pub String);),
                quote!(f.debug_tuple(#label).field(&"<redacted>").finish()),
            ),
            SecuritySchemeKind::OAuth2 | SecuritySchemeKind::OpenIdConnect { .. } => (
                "An access token, sent as `Authorization: Bearer <token>`.".to_string(),
                quote!((pub String);),
                quote!(f.debug_tuple(#label).field(&"<redacted>").finish()),
            ),
        };
        let mut lines = Vec::new();
        if let Some(description) = &scheme.description {
            docs::push_prose(&mut lines, description);
            lines.push(String::new());
        }
        lines.push(format!("Scheme `{}`: {what} `Debug` never shows the secret.", scheme.name));
        let doc = docs::attrs(&lines);
        quote! {
            #doc
            #[derive(Clone, PartialEq, Eq)]
            pub struct #name #fields
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { #debug }
            }
        }
    });
    quote! {
        //! Credentials, one type per security scheme of the spec.
        #(#items)*
    }
}
