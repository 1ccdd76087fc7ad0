//! The `server` module (feature `server`): one trait per tag, a handler per operation that
//! checks credentials and decodes every input before the trait is called, the responses'
//! `IntoResponse`, and `router`, which mounts everything on one axum `Router`. The `webhooks`
//! module is the same for the requests the API sends to its subscribers: a receiver's traits
//! and router.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs;
use crate::emit::models::ident;
use crate::emit::operations::operation_docs;
use crate::emit::shapes::{self, BodyShape, CredentialShape, RequestFieldKind};
use crate::ir::{
    Api, Content, MediaKind, Method, Operation, ParameterLocation, SecuritySchemeKind, StatusCode,
    TypeKind, TypeRef,
};
use crate::names;

/// The axum route for a spec path: each segment holding parameters becomes one capture named
/// by its position (`/repos/{owner}` is `/repos/{s2}`), so that templates naming the same
/// position differently share one route tree.
pub fn route_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(index, segment)| {
            if segment.contains('{') {
                format!("{{s{index}}}")
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Which requests a router serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The API's operations (`server`).
    Api,
    /// The webhooks the API sends, as a subscriber receives them (`webhooks`).
    Webhooks,
}

impl Surface {
    pub fn operations(self, api: &Api) -> &[Operation] {
        match self {
            Surface::Api => &api.operations,
            Surface::Webhooks => &api.webhooks,
        }
    }

    /// The trait for a tag: `AccountApi`, or `AccountWebhooks` (`Webhooks` untagged).
    pub fn trait_name(self, tag: &str) -> String {
        match self {
            Surface::Api => trait_name(tag),
            Surface::Webhooks if tag == DEFAULT_TAG => "Webhooks".to_string(),
            Surface::Webhooks => {
                let base = names::type_name(tag);
                let base = base.strip_suffix("Model").unwrap_or(&base).to_string();
                format!("{base}Webhooks")
            }
        }
    }
}

/// The trait of each tag, in order: tags that differ only in case or punctuation (`users`,
/// `Users`) would name one trait, so later ones are numbered (`UsersApi2`).
pub fn trait_names(surface: Surface, tags: &[(String, Vec<&Operation>)]) -> Vec<String> {
    let mut scope = names::Scope::default();
    tags.iter()
        .map(|(tag, _)| scope.claim(surface.trait_name(tag)))
        .collect()
}

/// The tag of operations that have none.
const DEFAULT_TAG: &str = "default";

/// Tags in first-use order, each with its operations; untagged operations go to `Default`.
pub fn tags(api: &Api) -> Vec<(String, Vec<&Operation>)> {
    tags_of(&api.operations)
}

/// [`tags`] of any list of operations.
pub fn tags_of(operations: &[Operation]) -> Vec<(String, Vec<&Operation>)> {
    let mut tags: Vec<(String, Vec<&Operation>)> = Vec::new();
    for operation in operations {
        let tag = operation
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| DEFAULT_TAG.into());
        match tags.iter_mut().find(|(name, _)| *name == tag) {
            Some((_, operations)) => operations.push(operation),
            None => tags.push((tag, vec![operation])),
        }
    }
    tags
}

/// The trait name for a tag: `account` is `AccountApi`.
pub fn trait_name(tag: &str) -> String {
    let base = names::type_name(tag);
    let base = base.strip_suffix("Model").unwrap_or(&base).to_string();
    if base.ends_with("Api") {
        base
    } else {
        format!("{base}Api")
    }
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
        let methods = routes.entry(route_path(&operation.path.raw)).or_default();
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

pub fn emit_server(api: &Api, surface: Surface) -> crate::emit::ItemsFile<'_> {
    let operations = surface.operations(api);
    let tags = tags_of(operations);
    let trait_names = trait_names(surface, &tags);
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
            !shapes::request_fields(operation).is_empty()
                || !matches!(shapes::credentials(operation), CredentialShape::None)
        }
        ServerItem::Dispatcher(_) | ServerItem::Methods(_) => true,
        _ => false,
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
    crate::emit::ItemsFile {
        head: quote! {
            #module_doc

            use std::future::Future;
            use std::sync::Arc;

            #extract
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
                let doc = match surface {
                    Surface::Api => format!(
                        " The operations tagged `{tag}`. Implement it and mount it with [`router`]."
                    ),
                    Surface::Webhooks if tag == DEFAULT_TAG => {
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

/// `(capture, segment template)` for each parameter-holding segment of a path.
fn path_segments(path: &str) -> Vec<(String, String)> {
    path.split('/')
        .enumerate()
        .filter(|(_, segment)| segment.contains('{'))
        .map(|(index, segment)| (format!("s{index}"), segment.to_string()))
        .collect()
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
    let literal_len = |operation: &Operation| {
        operation
            .path
            .segments
            .iter()
            .map(|segment| match segment {
                crate::ir::PathSegment::Literal(text) => text.len(),
                crate::ir::PathSegment::Param(_) => 0,
            })
            .sum::<usize>()
    };
    ordered.sort_by_key(|operation| std::cmp::Reverse(literal_len(operation)));
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
        let template = &operation.path.raw;
        let handler = handler_ident(operation);
        quote! {
            if rt::path_matches(request.uri().path(), #template) {
                return #handler(State(shared), request).await;
            }
        }
    });
    let last_handler = handler_ident(last);
    let doc = format!(
        " Routes `{}` to the operation whose template matches.",
        ordered
            .iter()
            .map(|operation| operation.path.raw.as_str())
            .collect::<Vec<_>>()
            .join("` or `")
    );
    quote! {
        #[doc = #doc]
        async fn #name<T: #bound>(
            State(shared): State<Arc<Shared<T>>>,
            request: Request,
        ) -> Result<Response, rt::Rejection> {
            #(#tries)*
            #last_handler(State(shared), request).await
        }
    }
}

/// axum's router function for a method; `None` for methods it has none for.
fn method_fn(method: &Method) -> Option<proc_macro2::Ident> {
    Some(ident(match method {
        Method::Get => "get",
        Method::Put => "put",
        Method::Post => "post",
        Method::Delete => "delete",
        Method::Options => "options",
        Method::Head => "head",
        Method::Patch => "patch",
        Method::Trace => "trace",
        Method::Query | Method::Other(_) => return None,
    }))
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
    let doc = format!(
        " Dispatches `{}` by method name (axum routes only the standard methods).",
        methods
            .iter()
            .map(|(method, _)| method.as_str())
            .collect::<Vec<_>>()
            .join("`, `")
    );
    quote! {
        #[doc = #doc]
        async fn #name<T: #bound>(
            State(shared): State<Arc<Shared<T>>>,
            request: Request,
        ) -> Result<Response, rt::Rejection> {
            match request.method().as_str() {
                #(#arms)*
                _ => Err(rt::method_not_allowed().await),
            }
        }
    }
}

fn credentials_type(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let module = shapes::module(operation);
    match shapes::credentials(operation) {
        CredentialShape::None => None,
        CredentialShape::Single(index) => Some(shapes::scheme_type(api, index)),
        CredentialShape::Local(_) => Some(quote!(crate::operations::#module::Credentials)),
    }
}

fn trait_method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let module = shapes::module(operation);
    let doc = docs::attrs(&operation_docs(operation));
    let credentials = credentials_type(api, operation).map(|ty| quote!(credentials: #ty,));
    let request = (!shapes::request_fields(operation).is_empty())
        .then(|| quote!(request: crate::operations::#module::Request,));
    quote! {
        #doc
        fn #name(&self, #credentials #request) -> impl Future<Output = crate::operations::#module::Response> + Send;
    }
}

/// The expression extracting one scheme's credentials (`?` on failure).
fn scheme_extraction(api: &Api, index: usize) -> TokenStream {
    let scheme = &api.security_schemes[index];
    let ty = shapes::scheme_type(api, index);
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { location, name } => {
            let location = shapes::location_str(*location);
            quote!(#ty(rt::api_key(&parts.headers, parts.uri.query(), #location, #name)?))
        }
        SecuritySchemeKind::Http { .. } if shapes::is_basic(api, index) => quote!({
            let (username, password) = rt::basic(&parts.headers)?;
            #ty { username, password }
        }),
        // Any other HTTP scheme (`Digest`, a vendor's): the credentials after its name, for
        // the handler to verify.
        SecuritySchemeKind::Http { scheme, .. } if scheme != "bearer" => {
            let label = crate::emit::operations::http_scheme_label(scheme);
            quote!(#ty(rt::http_credentials(&parts.headers, #label)?))
        }
        _ => quote!(#ty(rt::bearer(&parts.headers)?)),
    }
}

fn credentials_extraction(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let module = shapes::module(operation);
    match shapes::credentials(operation) {
        CredentialShape::None => None,
        CredentialShape::Single(index) => {
            let extraction = scheme_extraction(api, index);
            Some(quote!(let credentials = #extraction;))
        }
        CredentialShape::Local(alternatives) => {
            // Each alternative is tried in order; when none holds, the last one's refusal answers.
            let attempts: Vec<TokenStream> = alternatives
                .iter()
                .map(|schemes| {
                    let variant = shapes::alternative_name(api, schemes);
                    let extractions = schemes.iter().map(|index| scheme_extraction(api, *index));
                    quote!((|| -> Result<crate::operations::#module::Credentials, rt::Rejection> {
                    Ok(crate::operations::#module::Credentials::#variant(#(#extractions),*))
                })())
                })
                .collect();
            // Alternatives are tried in order; when none is satisfied the last refusal answers.
            let first = &attempts[0];
            let rest = &attempts[1..];
            Some(quote! {
                let credentials = #first #(.or_else(|_| #rest))*?;
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
            .any(|response| response.status == StatusCode::Code(code))
    };
    let shape_status = if documents(422) && !documents(400) {
        ShapeStatus::Unprocessable
    } else {
        ShapeStatus::BadRequest
    };
    let module = shapes::module(operation);
    let required = operation.body.as_ref().is_some_and(|body| body.required);
    let accepted: Vec<&str> = shape
        .variants
        .iter()
        .map(|(_, content)| content.media_type.as_str())
        .collect();
    let media = if shape.enum_name.is_some() {
        quote!(media)
    } else {
        quote!(_)
    };
    let (decode, decode_result) = match &shape.enum_name {
        None => (
            decode_content(api, &shape.variants[0].1, shape_status),
            decode_content_result(api, &shape.variants[0].1, shape_status),
        ),
        Some(name) => {
            let last = shape.variants.len() - 1;
            let arms = shape
                .variants
                .iter()
                .enumerate()
                .map(|(index, (variant, content))| {
                    let decode = decode_content(api, content, shape_status);
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
    let module = shapes::module(operation);
    let fields = shapes::request_fields(operation);
    let needs_query = operation
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Query);
    let needs_path = operation
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Path);
    let query = needs_query.then(|| quote!(let query = rt::query_pairs(parts.uri.query());));
    let path = needs_path.then(|| {
        let segments = path_segments(&operation.path.raw)
            .into_iter()
            .map(|(capture, template)| quote!((#capture, #template)));
        quote!(let captures = rt::captures(&mut parts, &[#(#segments),*]).await?;)
    });
    let credentials = credentials_extraction(api, operation);
    let has_body = fields
        .iter()
        .any(|field| matches!(field.kind, RequestFieldKind::Body(_)));
    let field_values = fields.iter().map(|field| {
        let name = &field.field;
        let value = match &field.kind {
            RequestFieldKind::Parameter(index) => {
                let parameter = &operation.parameters[*index];
                let wire = &parameter.wire_name;
                let style = shapes::style_tokens(parameter.style);
                let explode = parameter.explode;
                let required = parameter.required;
                let location = shapes::location_str(parameter.location);
                let found = match parameter.location {
                    ParameterLocation::Query => {
                        quote!(rt::query(&query, #wire, #style, #explode, #required))
                    }
                    ParameterLocation::Path => {
                        quote!(rt::path(&captures, #wire, #style, #explode))
                    }
                    ParameterLocation::Header => {
                        quote!(rt::header(&parts.headers, #wire, #required))
                    }
                    ParameterLocation::Cookie => {
                        quote!(rt::cookie(&parts.headers, #wire, #required))
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
    let parts_binding = if needs_path {
        quote!(mut parts)
    } else {
        quote!(parts)
    };
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
        operation.path.raw,
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

fn status_expr(status: StatusCode) -> TokenStream {
    match status {
        StatusCode::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(rt::status(#code))
        }
        StatusCode::Range(_) | StatusCode::Default => quote!(rt::status(status)),
    }
}

fn encode_content(content: &Content, status: &TokenStream, value: TokenStream) -> TokenStream {
    let media_type = &content.media_type;
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
    let module = shapes::module(operation);
    let arms = shapes::response_variants(operation).into_iter().map(|variant| {
        let name = &variant.name;
        let status = status_expr(variant.status);
        let build = match &variant.body {
            None => quote!(rt::empty_response(#status)),
            Some(shape) => match &shape.enum_name {
                None => encode_content(&shape.variants[0].1, &status, quote!(body)),
                Some(enum_name) => {
                    let arms = shape.variants.iter().map(|(variant, content)| {
                        let encode = encode_content(content, &status, quote!(inner));
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
        let header_names: Vec<_> = variant.headers.iter().map(|header| &header.field).collect();
        if variant.headers.is_empty() {
            return quote!(Self::#name { #status_binding #body_binding } => #build,);
        }
        let set_headers = variant.headers.iter().map(|header| {
            let field = &header.field;
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
