//! The `operations` and `security` modules: per operation, the request it takes and the
//! per-status response enum that both the server (which sends it) and the client (which
//! decodes it) use; per security scheme, the credentials type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{self, operation_docs};
use crate::emit::tokens::{self, Types, ident};
use crate::ir::{
    Api, CredentialAlternative, CredentialShape, Operation, RequestFieldKind, SecuritySchemeKind,
};

/// `operations.rs`: a module per operation (and per webhook), each built (and formatted) on
/// any thread.
pub fn emit_operations(
    api: &Api,
    tag_features: Option<std::sync::Arc<crate::emit::tag_features::TagFeatures>>,
) -> crate::emit::tokens::ItemsFile<'_> {
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
    crate::emit::tokens::ItemsFile {
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
            let module = operation_module(api, operation, Types::qualified(api));
            match cfg {
                Some(cfg) => crate::emit::tag_features::gate(module, &cfg),
                None => module,
            }
        }),
    }
}

fn operation_module(api: &Api, operation: &Operation, types: Types<'_>) -> TokenStream {
    let module = tokens::module(operation);
    let module_doc = docs::attrs(&operation_docs(operation));
    let fields = &operation.shape.request;
    let mut extra_items = Vec::new();
    let mut all_optional = true;
    // (field, type, required) for the constructor.
    let mut constructor: Vec<(proc_macro2::Ident, TokenStream, bool)> = Vec::new();
    let field_tokens: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            let name = ident(&field.name);
            match &field.kind {
                RequestFieldKind::Parameter(index) => {
                    let parameter = &operation.parameters[*index];
                    let ty = types.of(parameter.ty.non_null());
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
                        heck::ToUpperCamelCase::to_upper_camel_case(parameter.location.as_str()),
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
                        types.body_definition(shape, "The request body, in one of its media types.")
                    {
                        extra_items.push(definition);
                    }
                    let ty = types.body(shape);
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
                        .map(|variant| format!("`{}`", variant.content.media_type))
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
            let arguments: Vec<TokenStream> = constructor.iter().filter(|(_, _, required)| *required).map(|(name, ty, _)| quote!(#name: #ty)).collect();
            let values = constructor.iter().map(|(name, _, required)| if *required { quote!(#name) } else { quote!(#name: None) });
            // Only where clippy would ask (more than its default of seven arguments).
            let allow = (arguments.len() > 7).then(|| {
                quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required input of the operation")])
            });
            quote! {
                impl Request {
                    /// The required inputs; the optional ones start unset.
                    #allow
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

    let variants: Vec<TokenStream> = operation
        .shape
        .responses
        .iter()
        .map(|variant| {
            let name = ident(&variant.name);
            let status = variant.status.to_string();
            let mut lines = Vec::new();
            let description = variant.description.trim();
            lines.push(if description.is_empty() {
                format!("`{status}`.")
            } else {
                format!("`{status}`: {description}")
            });
            let doc = docs::attrs(&lines);
            if let Some(body) = &variant.body
                && let Some(definition) = types.body_definition(
                    body,
                    &format!("The body of the `{status}` response, in one of its media types."),
                )
            {
                extra_items.push(definition);
            }
            if variant.is_unit() {
                return quote!(#doc #name,);
            }
            let body_ty = variant.body.as_ref().map(|body| types.body(body));
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
                let field = ident(&header.field);
                let ty = types.of(header.ty.non_null());
                let ty = if header.required {
                    ty
                } else {
                    quote!(Option<#ty>)
                };
                let mut lines = docs::lines(&header.docs);
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
    let credentials = match &operation.shape.credentials {
        CredentialShape::Local(alternatives) => Some(credentials_enum(api, alternatives)),
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

fn credentials_enum(api: &Api, alternatives: &[CredentialAlternative]) -> TokenStream {
    let variants = alternatives.iter().map(|alternative| {
        let name = ident(&alternative.name);
        let types = alternative
            .schemes
            .iter()
            .map(|index| tokens::scheme_type(api, *index));
        quote!(#name(#(#types),*),)
    });
    quote! {
        /// The credentials the operation accepts: one variant per alternative in its `security`.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Credentials { #(#variants)* }
    }
}

pub fn emit_security(api: &Api) -> TokenStream {
    let items = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.rust_name);
        let label = scheme.rust_name.as_str();
        let (what, fields, debug) = match &scheme.kind {
            SecuritySchemeKind::ApiKey { location, name } => (
                format!("An API key, sent in {} `{name}`.", location.as_str()),
                quote!((pub String);),
                quote!(f.debug_tuple(#label).field(&"<redacted>").finish()),
            ),
            SecuritySchemeKind::Http { .. } if scheme.is_basic() => (
                "HTTP Basic credentials.".to_string(),
                quote!({ pub username: String, pub password: String }),
                quote!(f.debug_struct(#label).field("username", &self.username).field("password", &"<redacted>").finish()),
            ),
            SecuritySchemeKind::Http { scheme, .. } => (
                if scheme == "bearer" {
                    "A token sent as `Authorization: Bearer <token>`.".to_string()
                } else {
                    format!("Credentials sent as `Authorization: {} <credentials>`.", tokens::http_scheme_label(scheme))
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
