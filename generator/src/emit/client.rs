//! The `client` module (feature `client`): a reqwest `Client` with one async method per
//! operation, returning the same `Response` enums the server sends.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{self, operation_summary};
use crate::emit::tokens::{self, ident};
use crate::ir::{
    Api, ApiKeyLocation, BodyShape, Content, Location, MediaKind, Method, Operation, PathSegment,
    RequestFieldKind, ResponseVariant, SecuritySchemeKind, Status,
};

/// The field of `Client` holding one scheme's credentials.
fn credential_field(api: &Api, index: usize) -> proc_macro2::Ident {
    ident(&api.security_schemes[index].field)
}

pub fn emit_client(
    api: &Api,
    tag_features: Option<std::sync::Arc<crate::emit::tag_features::TagFeatures>>,
) -> crate::emit::tokens::ItemsFile<'_> {
    let fields = (0..api.security_schemes.len()).map(|index| {
        let field = credential_field(api, index);
        let ty = tokens::scheme_type(api, index);
        quote!(#field: Option<#ty>,)
    });
    let inits = (0..api.security_schemes.len()).map(|index| {
        let field = credential_field(api, index);
        quote!(#field: None,)
    });
    let setters = (0..api.security_schemes.len()).map(|index| {
        let field = credential_field(api, index);
        let setter = ident(&api.security_schemes[index].setter);
        let ty = tokens::scheme_type(api, index);
        let doc = format!(
            " Credentials for scheme `{}`, attached to the operations that require it.",
            api.security_schemes[index].name
        );
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, credentials: #ty) -> Self {
                self.#field = Some(credentials);
                self
            }
        }
    });
    // One `impl` block per tag: they read as sections, and are built in parallel.
    let tags = api.tagged(crate::ir::Surface::Api);
    let method_block = move |index: usize| {
        let (tag, operations) = &tags[index];
        let methods = operations.iter().map(|operation| method(api, operation));
        let doc = format!(" Operations tagged `{}`.", tag.name);
        let cfg = tag_features
            .as_ref()
            .map(|features| features.tag_cfg(index));
        quote! {
            #cfg
            #[doc = #doc]
            impl Client {
                #(#methods)*
            }
        }
    };
    let base = base_url_items(api);
    let new_example = match api.servers.first() {
        Some(server) if server.is_absolute() => server.default_url(),
        Some(server) => format!("http://127.0.0.1:8080{}", server.default_url()),
        None => "http://127.0.0.1:8080".to_string(),
    };
    let new_doc = docs::attrs(&[
        format!("A client for `base_url` (such as `{new_example}`),"),
        "with a default `reqwest::Client`.".to_string(),
    ]);
    let default_server = api
        .servers
        .first()
        .filter(|server| server.is_absolute())
        .map(|_| {
            quote! {
                /// A client for [`DEFAULT_BASE_URL`], the spec's first server.
                pub fn for_default_server() -> Self {
                    Self::new(DEFAULT_BASE_URL)
                }
            }
        });
    let head = quote! {
        //! Client side: [`Client`] calls every operation over HTTP with reqwest.
        //!
        //! Each method returns the documented response for the status the server sent, or
        //! [`ClientError`] for an undocumented status, a body that does not decode, or a
        //! transport failure.

        pub use contract_runtime::client::ClientError;
        use contract_runtime::client as rt;

        #base

        /// Calls the API at a base URL. Timeouts, proxies and TLS belong to the
        /// `reqwest::Client` it is given; credentials are set once, per security scheme.
        #[derive(Debug, Clone)]
        pub struct Client {
            base_url: String,
            http: reqwest::Client,
            #(#fields)*
        }

        impl Client {
            #new_doc
            pub fn new(base_url: impl Into<String>) -> Self {
                Self::with_http_client(base_url, reqwest::Client::new())
            }

            #default_server

            /// A client that sends through `http`, configured as the caller wants.
            pub fn with_http_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
                Self { base_url: base_url.into(), http, #(#inits)* }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #(#setters)*
        }
    };
    crate::emit::tokens::ItemsFile {
        head,
        count: api.tags.len(),
        item: Box::new(method_block),
    }
}

/// The spec's first server as a constant: `DEFAULT_BASE_URL` when it names a host (its
/// variables at their defaults), `BASE_PATH` when it is a path on whatever host serves the
/// API, nothing when the spec names no server.
fn base_url_items(api: &Api) -> TokenStream {
    let Some(server) = api.servers.first() else {
        return TokenStream::new();
    };
    let url = server.default_url();
    let mut lines = Vec::new();
    if server.is_absolute() {
        lines.push(format!("The spec's first server: `{}`.", server.url));
    } else {
        lines.push(format!(
            "The path the spec's first server (`{}`) serves the API under, on whatever host serves it.",
            server.url
        ));
    }
    if let Some(description) = &server.description {
        lines.push(String::new());
        docs::push_prose(&mut lines, description);
    }
    if !server.variables.is_empty() {
        lines.push(String::new());
        lines.push("Its variables, here at their defaults:".into());
        for variable in &server.variables {
            let mut line = format!("- `{}` = `{}`", variable.name, variable.default);
            if !variable.values.is_empty() {
                let values: Vec<String> = variable
                    .values
                    .iter()
                    .map(|value| format!("`{value}`"))
                    .collect();
                line.push_str(&format!(" (one of {})", values.join(", ")));
            }
            if let Some(description) = &variable.description {
                line.push_str(&format!(": {}", description.trim()));
            }
            lines.push(line);
        }
    }
    let doc = docs::attrs(&lines);
    if server.is_absolute() {
        quote! { #doc pub const DEFAULT_BASE_URL: &str = #url; }
    } else {
        quote! { #doc pub const BASE_PATH: &str = #url; }
    }
}

/// A parameter given as `content` with a JSON media type: sent as its JSON text.
fn is_json_content(parameter: &crate::ir::Parameter) -> bool {
    parameter
        .content_type
        .as_deref()
        .is_some_and(contract_wire::media::is_json)
}

/// reqwest's constant for a standard method (`reqwest::Method::GET`); others by name.
fn method_tokens(method: &Method) -> TokenStream {
    match method {
        Method::Query | Method::Other(_) => {
            let name = method.as_str();
            quote!(rt::method(#name)?)
        }
        standard => {
            let constant = ident(standard.as_str());
            quote!(reqwest::Method::#constant)
        }
    }
}

fn encode_body(operation: &Operation, shape: &BodyShape, value: TokenStream) -> TokenStream {
    let module = tokens::module(operation);
    let encode = |content: &Content, inner: TokenStream| {
        let media_type = &content.media_type;
        match content.kind {
            MediaKind::Json => quote!(rt::json_body(builder, #media_type, #inner)?),
            MediaKind::Form => quote!(rt::form_body(builder, #media_type, #inner)?),
            MediaKind::Text => {
                quote!(rt::raw_body(builder, #media_type, ToString::to_string(#inner)))
            }
            MediaKind::Multipart | MediaKind::Binary => {
                quote!(rt::raw_body(builder, #media_type, Clone::clone(#inner)))
            }
        }
    };
    match &shape.enum_name {
        None => encode(&shape.variants[0].content, value),
        Some(name) => {
            let name = ident(name);
            let arms = shape.variants.iter().map(|body_variant| {
                let encode = encode(&body_variant.content, quote!(inner));
                let variant = ident(&body_variant.name);
                quote!(crate::operations::#module::#name::#variant(inner) => #encode,)
            });
            quote!(match #value { #(#arms)* })
        }
    }
}

/// Decodes a body, checking that the server sent the documented media type.
fn decode_content(content: &Content) -> TokenStream {
    let media_type = &content.media_type;
    match content.kind {
        MediaKind::Json => quote!(received.json(#media_type)?),
        MediaKind::Form => quote!(received.form(#media_type)?),
        MediaKind::Text => quote!(received.text(#media_type)?),
        MediaKind::Multipart | MediaKind::Binary => quote!(received.bytes(#media_type)?),
    }
}

fn decode_variant(operation: &Operation, variant: &ResponseVariant) -> TokenStream {
    let module = tokens::module(operation);
    let name = ident(&variant.name);
    let body = variant.body.as_ref().map(|shape| match &shape.enum_name {
        None => decode_content(&shape.variants[0].content),
        Some(enum_name) => {
            let enum_name = ident(enum_name);
            // Matched as the server and the contract match media types: an exact type first,
            // else the most specific documented range (`text/*`).
            let documented = shape
                .variants
                .iter()
                .map(|variant| &variant.content.media_type);
            let last = shape.variants.len() - 1;
            let arms = shape.variants.iter().enumerate().map(|(index, body_variant)| {
                let decode = decode_content(&body_variant.content);
                let variant = ident(&body_variant.name);
                if index == last {
                    quote!(_ => crate::operations::#module::#enum_name::#variant(#decode),)
                } else {
                    quote!(Some(#index) => crate::operations::#module::#enum_name::#variant(#decode),)
                }
            });
            quote!(match received.media_index(&[#(#documented),*]) { #(#arms)* })
        }
    });
    let response = quote!(Response::#name);
    if variant.is_unit() {
        return quote!(#response);
    }
    if variant.is_tuple() {
        return quote!(#response(#body));
    }
    let status = variant
        .has_status()
        .then(|| quote!(status: received.status.as_u16(),));
    let body = body.map(|body| quote!(body: #body,));
    let headers = variant.headers.iter().map(|header| {
        let field = ident(&header.field);
        let wire = &header.wire_name;
        if header.required {
            quote!(#field: received.required_header(#wire)?,)
        } else {
            quote!(#field: received.header(#wire)?,)
        }
    });
    quote!(#response { #status #body #(#headers)* })
}

fn method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let module = tokens::module(operation);
    let fields = &operation.shape.request;
    let mut lines = operation_summary(operation);
    if !fields.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "`request` carries the parameters and body; see [`crate::operations::{}::Request`].",
            operation.rust_name.trim_start_matches("r#")
        ));
    }
    let doc = docs::attrs(&lines);
    let argument =
        (!fields.is_empty()).then(|| quote!(request: &crate::operations::#module::Request));

    let path = operation.path.segments().iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(parts.literal(#text);),
        PathSegment::Param(wire) => {
            let field = fields.iter().find_map(|field| match field.kind {
                RequestFieldKind::Parameter(index)
                    if operation.parameters[index].wire_name == *wire
                        && operation.parameters[index].location == Location::Path =>
                {
                    Some((ident(&field.name), &operation.parameters[index]))
                }
                _ => None,
            });
            match field {
                Some((field, parameter)) if is_json_content(parameter) => {
                    quote!(parts.json(contract_runtime::Location::Path, #wire, &request.#field)?;)
                }
                Some((field, parameter)) => {
                    let style = tokens::style(parameter.style);
                    let explode = parameter.explode;
                    quote!(parts.path(#wire, &request.#field, #style, #explode)?;)
                }
                // Validation guarantees every placeholder is declared.
                None => quote!(),
            }
        }
    });
    let params = fields.iter().filter_map(|field| {
        let RequestFieldKind::Parameter(index) = field.kind else {
            return None;
        };
        let parameter = &operation.parameters[index];
        let name = ident(&field.name);
        let wire = &parameter.wire_name;
        let style = tokens::style(parameter.style);
        let explode = parameter.explode;
        let add = match parameter.location {
            Location::Path => return None,
            location if is_json_content(parameter) => {
                let location = tokens::location(location);
                quote!(parts.json(#location, #wire, value)?;)
            }
            Location::Query => quote!(parts.query(#wire, value, #style, #explode)?;),
            Location::Header => quote!(parts.header(#wire, value, #explode)?;),
            Location::Cookie => quote!(parts.cookie(#wire, value, #explode)?;),
        };
        Some(if parameter.required {
            quote!({ let value = &request.#name; #add })
        } else {
            quote!(if let Some(value) = &request.#name { #add })
        })
    });

    // Credentials for every scheme the operation accepts that the client has.
    let mut scheme_indices: Vec<usize> = operation
        .security
        .iter()
        .flat_map(|r| r.schemes.iter().map(|(index, _)| *index))
        .collect();
    scheme_indices.sort_unstable();
    scheme_indices.dedup();
    let part_credentials = scheme_indices.iter().filter_map(|index| {
        let field = credential_field(api, *index);
        match &api.security_schemes[*index].kind {
            SecuritySchemeKind::ApiKey { location, name } => Some(match location {
                ApiKeyLocation::Query => quote!(if let Some(key) = &self.#field { parts.query(#name, &key.0, contract_runtime::Style::Form, true)?; }),
                ApiKeyLocation::Cookie => quote!(if let Some(key) = &self.#field { parts.cookie(#name, &key.0, false)?; }),
                ApiKeyLocation::Header => quote!(if let Some(key) = &self.#field { parts.header(#name, &key.0, false)?; }),
            }),
            _ => None,
        }
    });
    let builder_credentials = scheme_indices.iter().filter_map(|index| {
        let field = credential_field(api, *index);
        let scheme = &api.security_schemes[*index];
        match &scheme.kind {
            SecuritySchemeKind::ApiKey { .. } => None,
            SecuritySchemeKind::Http { .. } if scheme.is_basic() => Some(quote!(
                if let Some(basic) = &self.#field { builder = builder.basic_auth(&basic.username, Some(&basic.password)); }
            )),
            SecuritySchemeKind::Http { scheme, .. } if scheme != "bearer" => {
                let label = crate::emit::tokens::http_scheme_label(scheme);
                Some(quote!(
                    if let Some(credentials) = &self.#field { builder = rt::authorization(builder, #label, &credentials.0)?; }
                ))
            }
            _ => Some(quote!(if let Some(token) = &self.#field { builder = builder.bearer_auth(&token.0); })),
        }
    });
    let body = fields.iter().find_map(|field| match &field.kind {
        RequestFieldKind::Body(shape) => Some((ident(&field.name), shape)),
        RequestFieldKind::Parameter(_) => None,
    });
    let body = body.map(|(field, shape)| {
        let required = operation.body.as_ref().is_some_and(|body| body.required);
        if required {
            let encode = encode_body(operation, shape, quote!(&request.#field));
            quote!(builder = #encode;)
        } else {
            let encode = encode_body(operation, shape, quote!(body));
            quote!(if let Some(body) = &request.#field { builder = #encode; })
        }
    });

    let variants = &operation.shape.responses;
    let exact = variants.iter().filter_map(|variant| match variant.status {
        Status::Code(code) => {
            let build = decode_variant(operation, variant);
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            Some(quote!(#code => #build,))
        }
        _ => None,
    });
    let ranges = variants.iter().filter_map(|variant| match variant.status {
        Status::Range(leading) => {
            let low = proc_macro2::Literal::u16_unsuffixed(leading * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(leading * 100 + 99);
            let build = decode_variant(operation, variant);
            Some(quote!(#low..=#high => #build,))
        }
        _ => None,
    });
    let default = variants
        .iter()
        .find(|variant| variant.status == Status::Default)
        .map(|variant| decode_variant(operation, variant));
    let only_default = variants
        .iter()
        .all(|variant| variant.status == Status::Default);
    // A `match` with one catch-all arm reads worse than its body.
    let decode = match (default, only_default) {
        (Some(build), true) => quote!(Ok(#build)),
        (None, true) => quote!(Err(received.unexpected())),
        (Some(build), false) => quote!(Ok(match received.status.as_u16() {
            #(#exact)*
            #(#ranges)*
            _ => #build,
        })),
        (None, false) => quote!(Ok(match received.status.as_u16() {
            #(#exact)*
            #(#ranges)*
            _ => return Err(received.unexpected()),
        })),
    };
    // Without a documented response nothing names the enum's variants.
    let import = (!variants.is_empty()).then(|| quote!(use crate::operations::#module::Response;));
    let method = method_tokens(&operation.method);
    let builder_binding = if body.is_some()
        || scheme_indices.iter().any(|index| {
            !matches!(
                api.security_schemes[*index].kind,
                SecuritySchemeKind::ApiKey { .. }
            )
        }) {
        quote!(mut builder)
    } else {
        quote!(builder)
    };
    quote! {
        #doc
        pub async fn #name(&self, #argument) -> Result<crate::operations::#module::Response, ClientError> {
            #import
            let mut parts = rt::RequestParts::new();
            #(#path)*
            #(#params)*
            #(#part_credentials)*
            let #builder_binding = parts.build(&self.http, #method, &self.base_url);
            #(#builder_credentials)*
            #body
            let received = rt::Received::read(builder.send().await?).await?;
            #decode
        }
    }
}
