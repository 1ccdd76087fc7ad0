//! The `harness` module of a generated crate (features `validate` and `harness`): its wire
//! contract, the validation layer, and the conformance kit bound to the crate's traits. The
//! work is done by `contract-runtime`; this is the crate-specific glue.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Api;
use crate::ir::Surface;

pub fn emit_harness(api: &Api) -> TokenStream {
    let api_checks = (!api.operations.is_empty()).then(|| api_checks(api));
    let webhook_checks = (!api.webhooks.is_empty()).then(|| {
        contract_and_layer(
            Surface::Webhooks,
            " The webhooks' wire contract (`webhooks.json`): what each delivery may carry, and\n what the receiver may answer.",
            " A layer that checks every delivery to [`crate::webhooks::router`] and every\n answer against [`webhook_contract`], like [`validation_layer`] for the API.",
        )
    });
    let module_doc = if api.operations.is_empty() {
        quote! {
            //! Contract checks: the wire contract of the webhooks this crate was generated with
            //! (`webhooks.json`) and a tower layer that validates every delivery to
            //! [`crate::webhooks::router`] and every answer against it (feature `validate`).
        }
    } else {
        quote! {
            //! Contract checks: the wire contract this crate was generated with (`contract.json`),
            //! a tower layer that validates every request and response of [`crate::server::router`]
            //! against it (feature `validate`), and the conformance kit (feature `harness`).
        }
    };
    quote! {
        #module_doc

        use std::sync::OnceLock;

        use contract_runtime::contract::Contract;
        use contract_runtime::validate::ValidationLayer;

        #api_checks
        #webhook_checks
    }
}

/// The API's contract, layer and conformance kit.
fn api_checks(api: &Api) -> TokenStream {
    let trait_names: Vec<_> = api
        .tagged(Surface::Api)
        .iter()
        .map(|(tag, _)| format_ident!("{}", tag.trait_name))
        .collect();
    let bound = quote!(#(crate::server::#trait_names)+*);
    let contract_and_layer = contract_and_layer(
        Surface::Api,
        " The wire contract: every operation's parameters, bodies, responses and security,\n with schemas in JSON Schema.",
        " A layer that checks every request and response against [`contract`]: apply it to\n [`crate::server::router`] before nesting that under the base path. It refuses\n requests that break the contract; `.report_only()` only reports them.",
    );
    quote! {
        #contract_and_layer

        /// The conformance kit for this API, to configure (seed, generated requests per
        /// operation, base path) before running it.
        #[cfg(feature = "harness")]
        pub fn kit() -> contract_runtime::harness::Kit {
            contract_runtime::harness::Kit::new(contract())
        }

        /// Drives an implementation through every operation of the contract, in process,
        /// and reports each way it breaks it. `credentials` holds a secret per security
        /// scheme the implementation accepts.
        #[cfg(feature = "harness")]
        pub async fn check<T: #bound>(
            api: T,
            credentials: contract_runtime::harness::Credentials,
        ) -> contract_runtime::harness::Report {
            kit().credentials(credentials).check_router(crate::server::router(api)).await
        }

        /// The same checks against a running server; `base_url` includes the base path.
        #[cfg(feature = "harness")]
        pub async fn check_url(
            base_url: &str,
            credentials: contract_runtime::harness::Credentials,
        ) -> contract_runtime::harness::Report {
            kit().credentials(credentials).check_url(base_url).await
        }
    }
}

/// A surface's contract, read once from the JSON file written beside the crate, and its
/// validation layer.
fn contract_and_layer(surface: Surface, contract_doc: &str, layer_doc: &str) -> TokenStream {
    let (contract, layer, file) = match surface {
        Surface::Api => ("contract", "validation_layer", "contract.json"),
        Surface::Webhooks => (
            "webhook_contract",
            "webhook_validation_layer",
            "webhooks.json",
        ),
    };
    let (contract, layer) = (format_ident!("{contract}"), format_ident!("{layer}"));
    let path = format!("../{file}");
    let expect = format!("{file} is generated together with this crate");
    let contract_doc = contract_doc.lines().map(|line| quote!(#[doc = #line]));
    let layer_doc = layer_doc.lines().map(|line| quote!(#[doc = #line]));
    quote! {
        #(#contract_doc)*
        pub fn #contract() -> &'static Contract {
            static CONTRACT: OnceLock<Contract> = OnceLock::new();
            CONTRACT.get_or_init(|| Contract::from_json(include_str!(#path)).expect(#expect))
        }

        #(#layer_doc)*
        pub fn #layer() -> ValidationLayer {
            ValidationLayer::new(#contract())
        }
    }
}
