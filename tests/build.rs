//! Writes two files into `$OUT_DIR`, both driven by the generator's own IR so that a new
//! example or operation is tested without editing any test:
//! - `examples.rs`: every example in `specs/`, with the generated type it must round-trip
//!   through;
//! - `loopback.rs`: per spec, a test double implementing every server trait, and a case per
//!   operation and documented status that sends a sample request through the generated
//!   client to the generated server and compares what each side received.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use contractgen::emit::{Types, ident};
use contractgen::ir::{Api, CredentialShape, Operation, RequestFieldKind, Status, Surface};
use contractgen::samples::sample;
use proc_macro2::TokenStream;
use quote::quote;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let specs = Path::new(&manifest_dir).join("../specs");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&specs)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    let mut examples = String::from("fn cases() -> Vec<Case> {\n    vec![\n");
    let mut loopback = TokenStream::new();
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = contractgen::Source::read(&path).unwrap_or_else(|err| panic!("{err}"));
        let api = contractgen::lower(&source).unwrap_or_else(|err| panic!("{err}"));
        write_examples(&mut examples, &stem, &api);
        loopback.extend(loopback_module(&stem, &api));
    }
    examples.push_str("    ]\n}\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("examples.rs"), examples).unwrap();
    // Laid out like source, so that lints and compiler messages read as they would there.
    let file: syn::File = syn::parse2(loopback).unwrap();
    std::fs::write(out_dir.join("loopback.rs"), prettyplease::unparse(&file)).unwrap();
}

fn write_examples(out: &mut String, stem: &str, api: &Api) {
    let label = format!("specs/{stem}.yaml");
    let types = Types::local(api);
    for example in &api.examples {
        let ty = types
            .of(&example.ty)
            .to_string()
            .replace("crate ::", &format!("{stem}_api ::"));
        let json = serde_json::to_string(&example.value).unwrap();
        writeln!(
            out,
            "        Case {{ spec: {label:?}, pointer: {pointer:?}, rust_type: {ty_text:?}, json: {json:?}, round_trip: |json| {{ #[allow(unused_imports)] use {stem}_api::models::*; round_trip::<{ty}>(json) }} }},",
            pointer = example.pointer,
            ty_text = ty,
        )
        .unwrap();
    }
}

/// `from_json("...")`: a sample value, typed by inference at the use site.
fn json_expr(value: &serde_json::Value) -> TokenStream {
    let text = serde_json::to_string(value).unwrap();
    quote!(super::from_json(#text))
}

/// `krate::security::Scheme` for one scheme, as seen from the test crate.
fn scheme_type_in(krate: &proc_macro2::Ident, api: &Api, index: usize) -> TokenStream {
    let name = ident(&api.security_schemes[index].rust_name);
    quote!(#krate::security::#name)
}

/// The secret text of one scheme's credentials value (`user:password` for basic).
fn secret_of(api: &Api, index: usize, value: TokenStream) -> TokenStream {
    if api.security_schemes[index].is_basic() {
        quote!(format!("{}:{}", #value.username, #value.password))
    } else {
        quote!(#value.0.clone())
    }
}

/// The credentials value the client is configured with, as the double records it.
fn credential_text(api: &Api, index: usize) -> String {
    let scheme = &api.security_schemes[index];
    if scheme.is_basic() {
        "test-user:test-password".into()
    } else {
        format!("test-secret-{}", scheme.name)
    }
}

fn loopback_module(stem: &str, api: &Api) -> TokenStream {
    let module = ident(stem);
    let krate = ident(&format!("{stem}_api"));
    let base_path = api
        .servers
        .first()
        .map(|server| base_path(&server.url))
        .unwrap_or_default();

    // The double: records what each operation received and answers what the case set.
    let trait_impls = api.tagged(Surface::Api).into_iter().map(|(tag, operations)| {
        let trait_ident = ident(&tag.trait_name);
        let methods = operations.iter().map(|operation| {
            let name = ident(&operation.rust_name);
            let op_module = ident(&operation.rust_name);
            let id = &operation.id;
            let optional = operation.credentials_optional();
            let (credentials_arg, credentials_text) = match &operation.shape.credentials {
                CredentialShape::None => (quote!(), quote!(None)),
                &CredentialShape::Single(index) if optional => {
                    let ty = scheme_type_in(&krate, api, index);
                    let secret = secret_of(api, index, quote!(credentials));
                    (quote!(credentials: Option<#ty>,), quote!(credentials.map(|credentials| #secret)))
                }
                &CredentialShape::Single(index) => {
                    let ty = scheme_type_in(&krate, api, index);
                    let secret = secret_of(api, index, quote!(credentials));
                    (quote!(credentials: #ty,), quote!(Some(#secret)))
                }
                CredentialShape::Local(alternatives) => {
                    // The secrets of whichever alternative the router accepted, joined by `+`.
                    let arms = alternatives.iter().map(|alternative| {
                        let schemes = &alternative.schemes;
                        let variant = ident(&alternative.name);
                        let bindings: Vec<_> = (0..schemes.len()).map(|n| ident(&format!("scheme_{n}"))).collect();
                        let secrets = schemes.iter().zip(&bindings).map(|(index, binding)| secret_of(api, *index, quote!(#binding)));
                        quote!(#krate::operations::#op_module::Credentials::#variant(#(#bindings),*) => [#(#secrets),*].join("+"),)
                    });
                    if optional {
                        (
                            quote!(credentials: Option<#krate::operations::#op_module::Credentials>,),
                            quote!(credentials.map(|credentials| match credentials { #(#arms)* })),
                        )
                    } else {
                        (
                            quote!(credentials: #krate::operations::#op_module::Credentials,),
                            quote!(Some(match credentials { #(#arms)* })),
                        )
                    }
                }
            };
            let has_request = !operation.shape.request.is_empty();
            let request_arg = has_request.then(|| quote!(request: #krate::operations::#op_module::Request,));
            let request_value = if has_request { quote!(request) } else { quote!(()) };
            quote! {
                fn #name(&self, #credentials_arg #request_arg) -> impl std::future::Future<Output = #krate::operations::#op_module::Response> + Send {
                    let response = self.0.record(#id, #credentials_text, #request_value);
                    async move { response }
                }
            }
        });
        quote! {
            impl #krate::server::#trait_ident for Api {
                #(#methods)*
            }
        }
    });

    let mut client_setup = quote!(#krate::client::Client::new(base_url));
    for (index, scheme) in api.security_schemes.iter().enumerate() {
        let setter = ident(&scheme.setter);
        let ty = scheme_type_in(&krate, api, index);
        let value = if api.security_schemes[index].is_basic() {
            quote!(#ty { username: "test-user".into(), password: "test-password".into() })
        } else {
            let secret = credential_text(api, index);
            quote!(#ty(#secret.into()))
        };
        client_setup = quote!(#client_setup.#setter(#value));
    }

    let cases: Vec<TokenStream> = api
        .operations
        .iter()
        .flat_map(|operation| operation_cases(&krate, api, operation))
        .collect();
    let unauthenticated: Vec<TokenStream> = api
        .operations
        .iter()
        .filter(|operation| !operation.security.is_empty())
        .map(|operation| unauthenticated_case(&krate, api, operation))
        .collect();

    let unauthenticated_body = if unauthenticated.is_empty() {
        quote!(let _ = (base_url, double); (0, Vec::new()))
    } else {
        quote! {
            let client = #krate::client::Client::new(base_url);
            let mut failures: Vec<String> = Vec::new();
            let mut cases = 0usize;
            #(#unauthenticated)*
            (cases, failures)
        }
    };
    quote! {
        pub mod #module {
            use std::sync::Arc;

            pub use super::Double;

            /// The double, as the server traits see it.
            pub struct Api(pub Arc<Double>);

            #(#trait_impls)*

            pub const BASE_PATH: &str = #base_path;

            pub fn router(double: Arc<Double>) -> axum::Router {
                #krate::server::router(Api(double))
            }

            /// The router with the contract's validation layer, reporting into `log`.
            pub fn validated_router(double: Arc<Double>, log: &contract_runtime::validate::ViolationLog) -> axum::Router {
                router(double).layer(#krate::harness::validation_layer().report_only().collect_into(log))
            }

            /// Every operation and documented status, through client and server.
            pub async fn run(base_url: &str, double: &Double) -> (usize, Vec<String>) {
                let client = #client_setup;
                let mut failures: Vec<String> = Vec::new();
                let mut cases = 0usize;
                #(#cases)*
                (cases, failures)
            }

            /// Every secured operation, called by a client without credentials.
            pub async fn run_unauthenticated(base_url: &str, double: &Double) -> (usize, Vec<String>) {
                #unauthenticated_body
            }
        }
    }
}

/// The path part of a server URL (`https://api.soracom.io/v1` is `/v1`).
fn base_path(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        without_scheme
            .find('/')
            .map_or("", |slash| &without_scheme[slash..])
    } else {
        without_scheme
    };
    path.trim_end_matches('/').to_string()
}

fn request_expr(
    krate: &proc_macro2::Ident,
    api: &Api,
    operation: &Operation,
) -> Option<TokenStream> {
    let fields = &operation.shape.request;
    if fields.is_empty() {
        return None;
    }
    let op_module = ident(&operation.rust_name);
    let values = fields.iter().map(|field| {
        let name = ident(&field.name);
        match &field.kind {
            RequestFieldKind::Parameter(index) => {
                let parameter = &operation.parameters[*index];
                let value = json_expr(&sample(api, parameter.ty.non_null()));
                if parameter.required {
                    quote!(#name: #value,)
                } else {
                    quote!(#name: Some(#value),)
                }
            }
            RequestFieldKind::Body(shape) => {
                let variant = ident(&shape.variants[0].name);
                let content = &shape.variants[0].content;
                let value = match &content.ty {
                    Some(ty)
                        if matches!(
                            content.kind,
                            contractgen::ir::MediaKind::Json | contractgen::ir::MediaKind::Form
                        ) =>
                    {
                        sample(api, ty)
                    }
                    _ if matches!(content.kind, contractgen::ir::MediaKind::Text) => {
                        serde_json::json!("sample text")
                    }
                    Some(_) | None if matches!(content.kind, contractgen::ir::MediaKind::Json) => {
                        serde_json::json!({"any": "value"})
                    }
                    _ => serde_json::json!([104, 105]),
                };
                let mut value = json_expr(&value);
                if let Some(enum_name) = &shape.enum_name {
                    let enum_name = ident(enum_name);
                    value = quote!(#krate::operations::#op_module::#enum_name::#variant(#value));
                }
                if operation.body.as_ref().is_some_and(|body| body.required) {
                    quote!(#name: #value,)
                } else {
                    quote!(#name: Some(#value),)
                }
            }
        }
    });
    Some(quote!(#krate::operations::#op_module::Request { #(#values)* }))
}

fn operation_cases(
    krate: &proc_macro2::Ident,
    api: &Api,
    operation: &Operation,
) -> Vec<TokenStream> {
    let op_module = ident(&operation.rust_name);
    let method = ident(&operation.rust_name);
    let id = &operation.id;
    let documented: Vec<u16> = operation
        .responses
        .iter()
        .filter_map(|response| match response.status {
            Status::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    let request = request_expr(krate, api, operation);
    let expected_credentials = match &operation.shape.credentials {
        &CredentialShape::Single(index) => {
            let text = credential_text(api, index);
            quote!(Some(#text.to_string()))
        }
        CredentialShape::None => quote!(None),
        // The client sends every scheme it has, so the router accepts the first alternative.
        CredentialShape::Local(alternatives) => {
            let text = alternatives[0]
                .schemes
                .iter()
                .map(|index| credential_text(api, *index))
                .collect::<Vec<_>>()
                .join("+");
            quote!(Some(#text.to_string()))
        }
    };
    operation
        .shape
        .responses
        .iter()
        .map(|variant| {
            let name = ident(&variant.name);
            // A status for ranges and `default` that no exact entry claims.
            let status = match variant.status {
                Status::Code(code) => code,
                Status::Range(leading) => (leading * 100..leading * 100 + 100).rev().find(|code| !documented.contains(code)).unwrap_or(leading * 100),
                Status::Default => [599u16, 598, 597, 418].into_iter().find(|code| !documented.contains(code)).unwrap(),
            };
            let body = variant.body.as_ref().map(|shape| {
                let body_variant = ident(&shape.variants[0].name);
                let content = &shape.variants[0].content;
                let value = match (&content.ty, content.kind) {
                    (_, contractgen::ir::MediaKind::Text) => serde_json::json!("sample text"),
                    (_, contractgen::ir::MediaKind::Binary | contractgen::ir::MediaKind::Multipart) => serde_json::json!([104, 105]),
                    (Some(ty), _) => sample(api, ty),
                    (None, _) => serde_json::json!({"any": "value"}),
                };
                let value = json_expr(&value);
                match shape.enum_name.as_deref().map(ident) {
                    Some(enum_name) => quote!(#krate::operations::#op_module::#enum_name::#body_variant(#value)),
                    None => value,
                }
            });
            let response = quote!(#krate::operations::#op_module::Response::#name);
            let expected = if variant.is_unit() {
                response
            } else if variant.is_tuple() {
                quote!(#response(#body))
            } else {
                let status_field = variant.has_status().then(|| quote!(status: #status,));
                let body_field = body.map(|body| quote!(body: #body,));
                let headers = variant.headers.iter().map(|header| {
                    let field = ident(&header.field);
                    let value = json_expr(&sample(api, header.ty.non_null()));
                    if header.required {
                        quote!(#field: #value,)
                    } else {
                        quote!(#field: Some(#value),)
                    }
                });
                quote!(#response { #status_field #body_field #(#headers)* })
            };
            let label = format!("{id} {}", variant.name);
            let (call, recorded) = match &request {
                Some(request) => (
                    quote!(let request = #request; let result = client.#method(&request).await;),
                    quote!(double.take_request::<#krate::operations::#op_module::Request>(#id).as_ref() == Some(&request)),
                ),
                None => (quote!(let result = client.#method().await;), quote!(double.take_request::<()>(#id).is_some())),
            };
            quote! {
                {
                    cases += 1;
                    let label = #label;
                    let expected = #expected;
                    double.respond(#id, expected.clone());
                    #call
                    match result {
                        Ok(got) if got == expected => {}
                        Ok(got) => failures.push(format!("{label}: the server sent {expected:?}, the client decoded {got:?}")),
                        Err(err) => failures.push(format!("{label}: {err}")),
                    }
                    let received_what_was_sent = #recorded;
                    if !received_what_was_sent {
                        failures.push(format!("{label}: the handler did not receive the request the client sent"));
                    }
                    let expected_credentials: Option<String> = #expected_credentials;
                    if double.last_credentials(#id) != expected_credentials {
                        failures.push(format!("{label}: the handler received credentials {:?}", double.last_credentials(#id)));
                    }
                }
            }
        })
        .collect()
}

fn unauthenticated_case(
    krate: &proc_macro2::Ident,
    api: &Api,
    operation: &Operation,
) -> TokenStream {
    let method = ident(&operation.rust_name);
    let id = &operation.id;
    let op_module = ident(&operation.rust_name);
    let call = match request_expr(krate, api, operation) {
        Some(request) => quote!(client.#method(&#request).await),
        None => quote!(client.#method().await),
    };
    let unauthorized = operation
        .shape
        .responses
        .iter()
        .find(|variant| variant.status == Status::Code(401))
        .map(|variant| {
            let name = ident(&variant.name);
            if variant.is_unit() {
                quote!(#name)
            } else if variant.is_tuple() {
                quote!(#name(_))
            } else {
                quote!(#name { .. })
            }
        });
    // The documented 401 variant, or (when the spec documents none, or a body our refusal does
    // not match) an error that still carries the 401.
    let documented_arm = unauthorized
        .map(|pattern| quote!(Ok(#krate::operations::#op_module::Response::#pattern) => {}));
    let accepted = quote! {
        #documented_arm
        Err(#krate::client::ClientError::UnexpectedStatus { status, .. }) if status.as_u16() == 401 => {}
        Err(#krate::client::ClientError::Decode { status, .. }) if status.as_u16() == 401 => {}
    };
    quote! {
        {
            cases += 1;
            let calls = double.calls();
            let result = #call;
            if double.calls() != calls {
                failures.push(format!("{}: the handler ran without credentials", #id));
            }
            match result {
                #accepted
                other => failures.push(format!("{}: expected a 401 without credentials, got {other:?}", #id)),
            }
        }
    }
}
