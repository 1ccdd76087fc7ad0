//! The `server` module (feature `server`): one trait per tag, a handler per operation that
//! checks credentials and decodes every input before the trait is called, the responses'
//! `IntoResponse`, and `router`, which mounts everything on one axum `Router`. The `webhooks`
//! module is the same for the requests the API sends to its subscribers: a receiver's traits
//! and router.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs;
use crate::emit::docs::operation_summary;
use crate::emit::tokens::{self, ident};
use crate::ir::Surface;
use crate::ir::{
    Api, BodyShape, Content, CredentialShape, Location, MediaKind, Method, Operation,
    RequestFieldKind, SecuritySchemeKind, Status, TypeKind, TypeRef,
};

/// The axum route for a spec path: each `/`-separated part holding parameters becomes one
/// capture named by its position (`/repos/{owner}` is `/repos/{s2}`), so that templates naming
/// the same position differently share one route tree.
pub fn route_path(template: &crate::ir::PathTemplate) -> String {
    template
        .parts()
        .into_iter()
        .map(|(position, segments)| {
            if segments
                .iter()
                .any(|segment| matches!(segment, crate::ir::PathSegment::Param(_)))
            {
                format!("{{s{position}}}")
            } else {
                segments
                    .iter()
                    .map(|segment| match segment {
                        crate::ir::PathSegment::Literal(text) => text.as_str(),
                        crate::ir::PathSegment::Param(_) => "",
                    })
                    .collect()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The items of `server.rs` after its imports, each built on any thread.
enum ServerItem<'a> {
    /// The trait of tag `tag_index`.
    Trait(usize),
    /// `Shared` and the router functions.
    Router,
    /// An operation's handler, calling the trait of tag `.0`.
    Handler(usize, &'a Operation),
    /// One route and method shared by several templates.
    Dispatcher(Vec<&'a Operation>),
    /// The `IntoResponse` impl of an operation's `Response`.
    Response(&'a Operation),
    /// The methods axum has no router function for (3.2's `QUERY`, `additionalOperations`)
    /// on one route: the route's fallback, dispatching on the method name.
    Methods(Vec<(Method, Vec<&'a Operation>)>),
}

/// Operations by the route axum sees, then by method in first-seen order: one route per
/// path with every method on it, so axum sees no overlapping routes. Paths that differ only
/// in parameter names share a route.
type Routes<'a> = BTreeMap<String, Vec<(Method, Vec<&'a Operation>)>>;

fn routes(operations: &[Operation]) -> Routes<'_> {
    let mut routes: Routes<'_> = BTreeMap::new();
    for operation in operations {
        let methods = routes.entry(route_path(&operation.path)).or_default();
        match methods
            .iter_mut()
            .find(|(method, _)| *method == operation.method)
        {
            Some((_, same)) => same.push(operation),
            None => methods.push((operation.method.clone(), vec![operation])),
        }
    }
    routes
}

pub fn emit_server(api: &Api, surface: Surface) -> crate::emit::tokens::ItemsFile<'_> {
    let operations = api.operations_of(surface);
    let tags = api.tagged(surface);
    let trait_names: Vec<String> = tags.iter().map(|(tag, _)| tag.trait_name.clone()).collect();
    let routes = routes(operations);
    let mut items: Vec<ServerItem<'_>> = (0..tags.len()).map(ServerItem::Trait).collect();
    items.push(ServerItem::Router);
    for (index, (_, operations)) in tags.iter().enumerate() {
        items.extend(
            operations
                .iter()
                .map(|operation| ServerItem::Handler(index, operation)),
        );
    }
    // Templates such as `{basehead}` and `{base}...{head}` share a route and method; a
    // dispatcher picks the most specific one that matches.
    for methods in routes.values() {
        for (_, same) in methods.iter().filter(|(_, same)| same.len() > 1) {
            items.push(ServerItem::Dispatcher(same.clone()));
        }
        let custom: Vec<(Method, Vec<&Operation>)> = methods
            .iter()
            .filter(|(method, _)| method_fn(method).is_none())
            .cloned()
            .collect();
        if !custom.is_empty() {
            items.push(ServerItem::Methods(custom));
        }
    }
    items.extend(operations.iter().map(ServerItem::Response));
    let bound = move |trait_names: &[String]| {
        let idents = trait_names.iter().map(|name| ident(name));
        quote!(#(#idents)+*)
    };
    let module_doc = match surface {
        Surface::Api => quote! {
            //! Server side: implement the traits, then serve [`router`].
            //!
            //! The router decodes and checks every input before a trait method runs: credentials
            //! (401), parameters and bodies (400), media types (415), body size (413), unknown
            //! routes (404) and methods (405, with `Allow`), each answered with the JSON error
            //! shape of `contract_runtime::server::Rejection`.
        },
        Surface::Webhooks => quote! {
            //! Webhook receiver: the requests the API sends to its subscribers. Implement the
            //! traits, serve [`router`] and register its URL with the API: each webhook is
            //! mounted at `/<name>` (the key under `webhooks` in the spec).
            //!
            //! The router checks every delivery before a trait method runs, as the API's own
            //! router does: credentials (401), parameters and bodies (400), media types (415),
            //! body size (413), unknown webhooks (404) and methods (405).
        },
    };
    // Handlers without inputs take no request; only import it when something does.
    let takes_request = items.iter().any(|item| match item {
        ServerItem::Handler(_, operation) => {
            !operation.shape.request.is_empty()
                || !matches!(operation.shape.credentials, CredentialShape::None)
        }
        ServerItem::Dispatcher(_) | ServerItem::Methods(_) => true,
        _ => false,
    });
    // Standard statuses are written as `StatusCode::OK`; import it when one is.
    let status_code = operations
        .iter()
        .flat_map(|operation| &operation.shape.responses)
        .any(|variant| status_constant(variant.status).is_some())
        .then(|| {
            quote!(
                use axum::http::StatusCode;
            )
        });
    let extract = if takes_request {
        quote!(
            use axum::extract::{Request, State};
        )
    } else {
        quote!(
            use axum::extract::State;
        )
    };
    crate::emit::tokens::ItemsFile {
        head: quote! {
            #module_doc

            use std::future::Future;
            use std::sync::Arc;

            #extract
            #status_code
            use axum::response::{IntoResponse, Response};
            use contract_runtime::server as rt;
        },
        count: items.len(),
        item: Box::new(move |index| match &items[index] {
            ServerItem::Trait(tag_index) => {
                let (tag, operations) = &tags[*tag_index];
                let name = ident(&trait_names[*tag_index]);
                let methods = operations
                    .iter()
                    .map(|operation| trait_method(api, operation));
                let tag = &tag.name;
                let doc = match surface {
                    Surface::Api => format!(
                        " The operations tagged `{tag}`. Implement it and mount it with [`router`]."
                    ),
                    Surface::Webhooks if tag == "default" => {
                        " The webhooks the API sends. Implement it and mount it with [`router`]."
                            .to_string()
                    }
                    Surface::Webhooks => format!(
                        " The webhooks tagged `{tag}`. Implement it and mount it with [`router`]."
                    ),
                };
                quote! {
                    #[doc = #doc]
                    pub trait #name: Send + Sync + 'static {
                        #(#methods)*
                    }
                }
            }
            ServerItem::Router => router(surface, operations, &routes, &bound(&trait_names)),
            ServerItem::Handler(tag_index, operation) => {
                handler(api, &ident(&trait_names[*tag_index]), operation)
            }
            ServerItem::Dispatcher(operations) => dispatcher(&bound(&trait_names), operations),
            ServerItem::Response(operation) => into_response(operation),
            ServerItem::Methods(methods) => custom_methods(&bound(&trait_names), methods),
        }),
    }
}

/// `Shared` and the functions that build the router.
fn router(
    surface: Surface,
    operations: &[Operation],
    routes: &Routes<'_>,
    bound: &TokenStream,
) -> TokenStream {
    let router_doc = match surface {
        Surface::Api => quote! {
            /// All operations on one router, paths as in the spec: mount it under the server's base
            /// path (`Router::new().nest(BASE, router(api))`).
        },
        Surface::Webhooks => quote! {
            /// Every webhook on one router, each at `/<name>`: mount it where the URL you
            /// register with the API points (`Router::new().nest("/hooks", router(receiver))`).
        },
    };
    let routes = routes.iter().map(|(path, methods)| {
        let standard: Vec<_> = methods
            .iter()
            .filter_map(|(method, same)| Some((method_fn(method)?, entry_handler(same))))
            .collect();
        let mut chain = match standard.split_first() {
            Some(((method, handler), rest)) => {
                let rest = rest
                    .iter()
                    .map(|(method, handler)| quote!(.#method(#handler::<T>)));
                quote!(axum::routing::#method(#handler::<T>) #(#rest)*)
            }
            None => quote!(axum::routing::MethodRouter::new()),
        };
        if let Some(custom) = methods
            .iter()
            .find(|(method, _)| method_fn(method).is_none())
            .map(|(_, same)| custom_methods_ident(same))
        {
            chain = quote!(#chain.fallback(#custom::<T>));
        }
        quote!(.route(#path, #chain))
    });
    let config_allow = operations.iter().all(|operation| operation.body.is_none()).then(|| {
        quote!(#[allow(dead_code, reason = "no operation of this spec takes a request body")])
    });
    quote! {
        struct Shared<T> {
            api: T,
            #config_allow
            config: rt::ServerConfig,
        }

        #router_doc
        pub fn router<T: #bound>(api: T) -> axum::Router {
            router_with_config(api, rt::ServerConfig::default())
        }

        /// [`router`] with explicit settings (such as the request body limit).
        pub fn router_with_config<T: #bound>(api: T, config: rt::ServerConfig) -> axum::Router {
            let shared = Arc::new(Shared { api, config });
            axum::Router::new()
                #(#routes)*
                .fallback(rt::not_found)
                .method_not_allowed_fallback(rt::method_not_allowed)
                .with_state(shared)
        }
    }
}

fn handler_ident(operation: &Operation) -> proc_macro2::Ident {
    ident(&format!(
        "handle_{}",
        operation.rust_name.trim_start_matches("r#")
    ))
}

/// The operations sharing a route and method, most literal text first: the order a
/// dispatcher tries their templates in.
fn dispatcher_order<'a>(operations: &[&'a Operation]) -> Vec<&'a Operation> {
    let mut ordered: Vec<&Operation> = operations.to_vec();
    ordered.sort_by_key(|operation| std::cmp::Reverse(operation.path.literal_len()));
    ordered
}

/// A dispatcher is named after the operation it tries first.
fn dispatcher_ident(first: &Operation) -> proc_macro2::Ident {
    ident(&format!(
        "dispatch_{}",
        first.rust_name.trim_start_matches("r#")
    ))
}

/// A handler for several operations on one route and method: tries their templates, most
/// literal text first, and calls the first whose template matches the request path.
fn dispatcher(bound: &TokenStream, operations: &[&Operation]) -> TokenStream {
    let ordered = dispatcher_order(operations);
    let Some((last, rest)) = ordered.split_last() else {
        return TokenStream::new();
    };
    let name = dispatcher_ident(ordered[0]);
    let tries = rest.iter().map(|operation| {
        let template = operation.path.as_str();
        let handler = handler_ident(operation);
        quote! {
            if rt::path_matches(request.uri().path(), #template) {
                return #handler(State(shared), request).await;
            }
        }
    });
    let last_handler = handler_ident(last);
    let templates: Vec<&str> = ordered
        .iter()
        .map(|operation| operation.path.as_str())
        .collect();
    let doc = format!(
        " Routes `{}` to the operation whose template matches.",
        templates.join("` or `")
    );
    routing_handler(
        &doc,
        &name,
        bound,
        quote! {
            #(#tries)*
            #last_handler(State(shared), request).await
        },
    )
}

/// A handler that picks another for the request (by template or by method name).
fn routing_handler(
    doc: &str,
    name: &proc_macro2::Ident,
    bound: &TokenStream,
    body: TokenStream,
) -> TokenStream {
    quote! {
        #[doc = #doc]
        async fn #name<T: #bound>(
            State(shared): State<Arc<Shared<T>>>,
            request: Request,
        ) -> Result<Response, rt::Rejection> {
            #body
        }
    }
}

/// axum's router function for a method; `None` for methods it has none for.
fn method_fn(method: &Method) -> Option<proc_macro2::Ident> {
    match method {
        Method::Query | Method::Other(_) => None,
        standard => Some(ident(&standard.as_str().to_ascii_lowercase())),
    }
}

/// The handler a route calls for one method: the operation's, or the dispatcher of several.
fn entry_handler(same: &[&Operation]) -> proc_macro2::Ident {
    match dispatcher_order(same).first() {
        Some(first) if same.len() > 1 => dispatcher_ident(first),
        _ => handler_ident(same[0]),
    }
}

fn custom_methods_ident(first: &[&Operation]) -> proc_macro2::Ident {
    ident(&format!(
        "methods_{}",
        entry_handler(first).to_string().trim_start_matches("r#")
    ))
}

/// A route's fallback for the methods axum has no router function for: picks the handler by
/// method name, and refuses any other method with 405.
fn custom_methods(bound: &TokenStream, methods: &[(Method, Vec<&Operation>)]) -> TokenStream {
    let Some((_, first)) = methods.first() else {
        return TokenStream::new();
    };
    let name = custom_methods_ident(first);
    let arms = methods.iter().map(|(method, same)| {
        let method = method.as_str();
        let handler = entry_handler(same);
        quote!(#method => #handler(State(shared), request).await,)
    });
    let names: Vec<&str> = methods.iter().map(|(method, _)| method.as_str()).collect();
    let doc = format!(
        " Dispatches `{}` by method name (axum routes only the standard methods).",
        names.join("`, `")
    );
    routing_handler(
        &doc,
        &name,
        bound,
        quote! {
            match request.method().as_str() {
                #(#arms)*
                _ => Err(rt::method_not_allowed().await),
            }
        },
    )
}

fn credentials_type(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let module = tokens::module(operation);
    let ty = match &operation.shape.credentials {
        CredentialShape::None => return None,
        CredentialShape::Single(index) => tokens::scheme_type(api, *index),
        CredentialShape::Local(_) => quote!(crate::operations::#module::Credentials),
    };
    Some(if operation.credentials_optional() {
        quote!(Option<#ty>)
    } else {
        ty
    })
}

fn trait_method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let module = tokens::module(operation);
    let doc = docs::attrs(&operation_summary(operation));
    let credentials = credentials_type(api, operation).map(|ty| quote!(credentials: #ty,));
    let request = (!operation.shape.request.is_empty())
        .then(|| quote!(request: crate::operations::#module::Request,));
    quote! {
        #doc
        fn #name(&self, #credentials #request) -> impl Future<Output = crate::operations::#module::Response> + Send;
    }
}

/// The expression extracting one scheme's credentials (`?` on failure).
fn scheme_extraction(api: &Api, index: usize) -> TokenStream {
    let scheme = &api.security_schemes[index];
    let ty = tokens::scheme_type(api, index);
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { location, name } => {
            let location = quote::format_ident!("{location:?}");
            quote!(#ty(rt::api_key(&parts.headers, parts.uri.query(), rt::ApiKeyLocation::#location, #name)?))
        }
        SecuritySchemeKind::Http { .. } if scheme.is_basic() => quote!({
            let (username, password) = rt::basic(&parts.headers)?;
            #ty { username, password }
        }),
        // Any other HTTP scheme (`Digest`, a vendor's): the credentials after its name, for
        // the handler to verify.
        SecuritySchemeKind::Http { scheme, .. } if scheme != "bearer" => {
            let label = crate::emit::tokens::http_scheme_label(scheme);
            quote!(#ty(rt::http_credentials(&parts.headers, #label)?))
        }
        _ => quote!(#ty(rt::bearer(&parts.headers)?)),
    }
}

fn credentials_extraction(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let module = tokens::module(operation);
    // Optional credentials: whatever alternative was given, else `None` (absent or unusable
    // credentials are the anonymous case the spec allows).
    let optional = operation.credentials_optional();
    match &operation.shape.credentials {
        CredentialShape::None => None,
        &CredentialShape::Single(index) if optional => {
            let extraction = scheme_extraction(api, index);
            let ty = tokens::scheme_type(api, index);
            Some(quote! {
                let credentials = (|| -> Result<#ty, rt::Rejection> { Ok(#extraction) })().ok();
            })
        }
        &CredentialShape::Single(index) => {
            let extraction = scheme_extraction(api, index);
            Some(quote!(let credentials = #extraction;))
        }
        CredentialShape::Local(alternatives) => {
            // Each alternative is tried in order; when none holds, the last one's refusal answers.
            let attempts: Vec<TokenStream> = alternatives
                .iter()
                .map(|alternative| {
                    let variant = ident(&alternative.name);
                    let extractions = alternative
                        .schemes
                        .iter()
                        .map(|index| scheme_extraction(api, *index));
                    quote!((|| -> Result<crate::operations::#module::Credentials, rt::Rejection> {
                    Ok(crate::operations::#module::Credentials::#variant(#(#extractions),*))
                })())
                })
                .collect();
            let first = &attempts[0];
            let rest = &attempts[1..];
            Some(if optional {
                quote!(let credentials = #first #(.or_else(|_| #rest))*.ok();)
            } else {
                quote!(let credentials = #first #(.or_else(|_| #rest))*?;)
            })
        }
    }
}

fn decode_content(api: &Api, content: &Content, shape_status: ShapeStatus) -> TokenStream {
    let json = json_decoder(api, content);
    match content.kind {
        MediaKind::Json if shape_status == ShapeStatus::Unprocessable => {
            quote!(#json(&bytes).map_err(rt::unprocessable_shape)?)
        }
        MediaKind::Json => quote!(#json(&bytes)?),
        MediaKind::Form => quote!(rt::form_body(&bytes)?),
        MediaKind::Text => quote!(rt::text_body(&bytes)?),
        MediaKind::Multipart | MediaKind::Binary => quote!(bytes.to_vec()),
    }
}

/// The decoded body as a `Result`, for the optional case (`Option::map` + `transpose`).
fn decode_content_result(api: &Api, content: &Content, shape_status: ShapeStatus) -> TokenStream {
    let json = json_decoder(api, content);
    match content.kind {
        MediaKind::Json if shape_status == ShapeStatus::Unprocessable => {
            quote!(#json(&bytes).map_err(rt::unprocessable_shape))
        }
        MediaKind::Json => quote!(#json(&bytes)),
        MediaKind::Form => quote!(rt::form_body(&bytes)),
        MediaKind::Text => quote!(rt::text_body(&bytes)),
        MediaKind::Multipart | MediaKind::Binary => quote!(Ok::<_, rt::Rejection>(bytes.to_vec())),
    }
}

/// serde's derived structs also accept a JSON array (fields by position); an object body
/// must be an object on the wire, so struct bodies are decoded by a helper that says so.
fn json_decoder(api: &Api, content: &Content) -> TokenStream {
    match &content.ty {
        Some(TypeRef::Named(id)) if matches!(api.ty(*id).kind, TypeKind::Struct(_)) => {
            quote!(rt::json_object_body)
        }
        _ => quote!(rt::json_body),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ShapeStatus {
    BadRequest,
    /// The operation documents 422 and not 400, so validation failures are 422s.
    Unprocessable,
}

fn body_extraction(api: &Api, operation: &Operation, shape: &BodyShape) -> TokenStream {
    let documents = |code: u16| {
        operation
            .responses
            .iter()
            .any(|response| response.status == Status::Code(code))
    };
    let shape_status = if documents(422) && !documents(400) {
        ShapeStatus::Unprocessable
    } else {
        ShapeStatus::BadRequest
    };
    let module = tokens::module(operation);
    let required = operation.body.as_ref().is_some_and(|body| body.required);
    let accepted: Vec<&str> = shape
        .variants
        .iter()
        .map(|variant| variant.content.media_type.as_str())
        .collect();
    let media = if shape.enum_name.is_some() {
        quote!(media)
    } else {
        quote!(_)
    };
    let (decode, decode_result) = match &shape.enum_name {
        None => (
            decode_content(api, &shape.variants[0].content, shape_status),
            decode_content_result(api, &shape.variants[0].content, shape_status),
        ),
        Some(name) => {
            let name = ident(name);
            let last = shape.variants.len() - 1;
            let arms = shape
                .variants
                .iter()
                .enumerate()
                .map(|(index, body_variant)| {
                    let decode = decode_content(api, &body_variant.content, shape_status);
                    let variant = ident(&body_variant.name);
                    if index == last {
                        quote!(_ => crate::operations::#module::#name::#variant(#decode),)
                    } else {
                        quote!(#index => crate::operations::#module::#name::#variant(#decode),)
                    }
                });
            let decode = quote!(match media { #(#arms)* });
            let result = quote!(Ok::<_, rt::Rejection>(#decode));
            (decode, result)
        }
    };
    if required {
        quote!({
            let (#media, bytes) = rt::required_body(&parts.headers, body, &shared.config, &[#(#accepted),*]).await?;
            #decode
        })
    } else {
        quote!(rt::optional_body(&parts.headers, body, &shared.config, &[#(#accepted),*])
            .await?
            .map(|(#media, bytes)| #decode_result)
            .transpose()?)
    }
}

fn handler(api: &Api, trait_ident: &proc_macro2::Ident, operation: &Operation) -> TokenStream {
    let method = ident(&operation.rust_name);
    let handler = handler_ident(operation);
    let module = tokens::module(operation);
    let fields = &operation.shape.request;
    let needs_query = operation
        .parameters
        .iter()
        .any(|p| p.location == Location::Query);
    let needs_path = operation
        .parameters
        .iter()
        .any(|p| p.location == Location::Path);
    let query = needs_query.then(|| quote!(let query = rt::query_string(parts.uri.query());));
    let path = needs_path.then(|| {
        let template = operation.path.as_str();
        quote!(let path = rt::path_values(parts.uri.path(), #template)?;)
    });
    let credentials = credentials_extraction(api, operation);
    let has_body = fields
        .iter()
        .any(|field| matches!(field.kind, RequestFieldKind::Body(_)));
    let field_values = fields.iter().map(|field| {
        let name = ident(&field.name);
        let value = match &field.kind {
            RequestFieldKind::Parameter(index) => {
                let parameter = &operation.parameters[*index];
                let wire = &parameter.wire_name;
                let style = tokens::style(parameter.style);
                let explode = parameter.explode;
                let required = parameter.required;
                let location = parameter.location.as_str();
                let json = parameter
                    .content_type
                    .as_deref()
                    .is_some_and(contract_wire::media::is_json);
                let found = match (parameter.location, json) {
                    (Location::Query, true) => quote!(rt::query_json(&query, #wire, #required)),
                    (Location::Path, true) => quote!(rt::path_json(&path, #wire)),
                    (Location::Header, true) => {
                        quote!(rt::header_json(&parts.headers, #wire, #required))
                    }
                    (Location::Cookie, true) => {
                        quote!(rt::cookie_json(&parts.headers, #wire, #required))
                    }
                    (Location::Query, false) => {
                        match tokens::exploded_object(api, operation, parameter) {
                            // No name on the wire: the object's properties are query pairs.
                            Some(select) => {
                                quote!(rt::query_object(&query, #wire, #select, #required))
                            }
                            None => quote!(rt::query(&query, #wire, #style, #explode, #required)),
                        }
                    }
                    (Location::Path, false) => quote!(rt::path(&path, #wire, #style, #explode)),
                    (Location::Header, false) => {
                        quote!(rt::header(&parts.headers, #wire, #explode, #required))
                    }
                    (Location::Cookie, false) => {
                        quote!(rt::cookie(&parts.headers, #wire, #explode, #required))
                    }
                };
                if required {
                    quote!(rt::required(#found, #location, #wire)?)
                } else {
                    quote!(#found?)
                }
            }
            RequestFieldKind::Body(shape) => body_extraction(api, operation, shape),
        };
        quote!(#name: #value,)
    });
    let request = (!fields.is_empty()).then(|| {
        quote! {
            let request = crate::operations::#module::Request { #(#field_values)* };
        }
    });
    let call_credentials = credentials.as_ref().map(|_| quote!(credentials,));
    let call_request = (!fields.is_empty()).then(|| quote!(request));
    let parts_binding = quote!(parts);
    let body_binding = if has_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    // An operation without inputs takes no request at all.
    let (request_argument, split) = if credentials.is_some() || !fields.is_empty() {
        (
            quote!(request: Request,),
            quote!(let (#parts_binding, #body_binding) = request.into_parts();),
        )
    } else {
        (quote!(), quote!())
    };
    let doc = format!(
        " `{} {}`: decodes and checks the inputs, then calls [`{}::{}`].",
        operation.method.as_str(),
        operation.path.as_str(),
        trait_ident,
        operation.rust_name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        async fn #handler<T: #trait_ident>(
            State(shared): State<Arc<Shared<T>>>,
            #request_argument
        ) -> Result<Response, rt::Rejection> {
            #split
            #query
            #credentials
            #path
            #request
            Ok(shared.api.#method(#call_credentials #call_request).await.into_response())
        }
    }
}

/// `http`'s constant for a standard code (`NOT_FOUND`), named by its reason phrase.
fn status_constant(status: Status) -> Option<proc_macro2::Ident> {
    let name = crate::names::status_name(status);
    (matches!(status, Status::Code(_)) && !name.starts_with("Status")).then(|| {
        ident(&heck::ToShoutySnakeCase::to_shouty_snake_case(
            name.as_str(),
        ))
    })
}

fn status_expr(status: Status) -> TokenStream {
    if let Some(constant) = status_constant(status) {
        return quote!(StatusCode::#constant);
    }
    match status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(rt::status(#code))
        }
        Status::Range(_) | Status::Default => quote!(rt::status(status)),
    }
}

/// The media type a response is sent with: the documented one, or for a documented range a
/// type within it (`text/*` is sent as `text/plain`, `*/*` as `application/octet-stream`).
fn sent_media_type(documented: &str) -> String {
    match contract_wire::media::essence(documented).as_deref() {
        Some("text/*") => "text/plain; charset=utf-8".to_string(),
        Some("*/*" | "application/*") => "application/octet-stream".to_string(),
        _ => documented.to_string(),
    }
}

fn encode_content(content: &Content, status: &TokenStream, value: TokenStream) -> TokenStream {
    let media_type = sent_media_type(&content.media_type);
    match content.kind {
        MediaKind::Json => quote!(rt::json_response(#status, #media_type, &#value)),
        MediaKind::Form => quote!(rt::form_response(#status, #media_type, &#value)),
        MediaKind::Text => quote!(rt::text_response(#status, #media_type, #value.to_string())),
        MediaKind::Multipart | MediaKind::Binary => {
            quote!(rt::bytes_response(#status, #media_type, #value))
        }
    }
}

fn into_response(operation: &Operation) -> TokenStream {
    let module = tokens::module(operation);
    let arms = operation.shape.responses.iter().map(|variant| {
        let name = ident(&variant.name);
        let status = status_expr(variant.status);
        let build = match &variant.body {
            None => quote!(rt::empty_response(#status)),
            Some(shape) => match &shape.enum_name {
                None => encode_content(&shape.variants[0].content, &status, quote!(body)),
                Some(enum_name) => {
                    let enum_name = ident(enum_name);
                    let arms = shape.variants.iter().map(|variant| {
                        let encode = encode_content(&variant.content, &status, quote!(inner));
                        let variant = ident(&variant.name);
                        quote!(crate::operations::#module::#enum_name::#variant(inner) => #encode,)
                    });
                    quote!(match body { #(#arms)* })
                }
            },
        };
        if variant.is_unit() {
            return quote!(Self::#name => #build,);
        }
        if variant.is_tuple() {
            return quote!(Self::#name(body) => #build,);
        }
        let status_binding = variant.has_status().then(|| quote!(status,));
        let body_binding = variant.body.as_ref().map(|_| quote!(body,));
        let header_names: Vec<_> = variant
            .headers
            .iter()
            .map(|header| ident(&header.field))
            .collect();
        if variant.headers.is_empty() {
            return quote!(Self::#name { #status_binding #body_binding } => #build,);
        }
        let set_headers = variant.headers.iter().map(|header| {
            let field = ident(&header.field);
            let wire = &header.wire_name;
            if header.required {
                quote!(rt::set_header(&mut response, #wire, &#field);)
            } else {
                quote!(if let Some(value) = &#field { rt::set_header(&mut response, #wire, value); })
            }
        });
        quote!(Self::#name { #status_binding #body_binding #(#header_names,)* } => {
            let mut response = #build;
            #(#set_headers)*
            response
        })
    });
    quote! {
        impl IntoResponse for crate::operations::#module::Response {
            fn into_response(self) -> Response {
                match self { #(#arms)* }
            }
        }
    }
}
