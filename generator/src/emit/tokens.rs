//! Leaf helpers every emitter shares: identifiers, the Rust type of an IR type use or body,
//! and the runtime's names for wire vocabulary. They read the IR and decide nothing: names
//! and shapes were decided in lowering.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{
    Api, BodyShape, Content, Location, MediaKind, Operation, Parameter, Primitive, Style, TypeKind,
    TypeRef,
};

/// An identifier from a name the naming authority produced (`r#type` included).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust types of IR type uses, as written inside `models` (`Pet`) or outside it
/// (`crate::models::Pet`).
#[derive(Clone, Copy)]
pub struct Types<'a> {
    api: &'a Api,
    qualified: bool,
}

impl<'a> Types<'a> {
    /// For code inside the `models` module.
    pub fn local(api: &'a Api) -> Self {
        Self {
            api,
            qualified: false,
        }
    }

    /// For code outside `models` (operations, server, client, tests).
    pub fn qualified(api: &'a Api) -> Self {
        Self {
            api,
            qualified: true,
        }
    }

    /// The Rust type for a use of a type.
    pub fn of(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = ident(&self.api.ty(*id).name);
                if self.qualified {
                    quote!(crate::models::#name)
                } else {
                    quote!(#name)
                }
            }
            TypeRef::Primitive(primitive) => primitive_type(*primitive),
            TypeRef::Array(inner) => {
                let inner = self.of(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.of(inner);
                quote!(::std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.of(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Tuple(members) => {
                let members = members.iter().map(|member| self.of(member));
                quote!((#(#members,)*))
            }
            TypeRef::Any => quote!(::serde_json::Value),
        }
    }

    /// The type a body of one media type has in Rust.
    pub fn content(&self, content: &Content) -> TokenStream {
        match content.kind {
            MediaKind::Multipart | MediaKind::Binary => quote!(Vec<u8>),
            MediaKind::Text => match &content.ty {
                Some(ty @ TypeRef::Named(_)) => self.of(ty),
                _ => quote!(String),
            },
            MediaKind::Json | MediaKind::Form => match &content.ty {
                Some(ty) => self.of(ty),
                None => quote!(::serde_json::Value),
            },
        }
    }

    /// The Rust type of a body as a whole: its enum for several media types.
    pub fn body(&self, shape: &BodyShape) -> TokenStream {
        match &shape.enum_name {
            Some(name) => {
                let name = ident(name);
                quote!(#name)
            }
            None => self.content(&shape.variants[0].content),
        }
    }

    /// The body's enum, when it has several media types.
    pub fn body_definition(&self, shape: &BodyShape, doc: &str) -> Option<TokenStream> {
        let name = ident(shape.enum_name.as_ref()?);
        let variants = shape.variants.iter().map(|variant| {
            let name = ident(&variant.name);
            let ty = self.content(&variant.content);
            let doc = format!(" `{}`", variant.content.media_type);
            quote!(#[doc = #doc] #name(#ty),)
        });
        let doc = format!(" {doc}");
        Some(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
        })
    }
}

fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::Uuid => quote!(::uuid::Uuid),
        Primitive::Base64 => quote!(crate::support::Base64),
        Primitive::Binary => quote!(Vec<u8>),
        Primitive::Null => quote!(()),
    }
}

/// The Rust module of an operation in `operations`.
pub fn module(operation: &Operation) -> Ident {
    ident(&operation.rust_name)
}

/// The runtime's name for a style: the wire crate's variant, which the runtime re-exports
/// (its derived `Debug` is the variant's name).
pub fn style(style: Style) -> TokenStream {
    let variant = quote::format_ident!("{style:?}");
    quote!(contract_runtime::Style::#variant)
}

/// The runtime's name for a location.
pub fn location(location: Location) -> TokenStream {
    let variant = quote::format_ident!("{location:?}");
    quote!(contract_runtime::Location::#variant)
}

/// For a query parameter that is an object in an exploded form (OpenAPI's default for
/// objects), which query pairs make it up: its properties, or (a free-form object) every pair
/// but the operation's other query parameters. `None` for any other parameter.
pub fn exploded_object(
    api: &Api,
    operation: &Operation,
    parameter: &Parameter,
) -> Option<TokenStream> {
    if parameter.location != Location::Query
        || parameter.style != Style::Form
        || !parameter.explode
        || parameter.content_type.is_some()
    {
        return None;
    }
    // A free-form object: every pair but the other query parameters.
    let all_but_others = || {
        let others = operation
            .parameters
            .iter()
            .filter(|other| {
                other.location == Location::Query && other.wire_name != parameter.wire_name
            })
            .map(|other| &other.wire_name);
        Some(quote!(rt::Select::AllBut(&[#(#others),*])))
    };
    let mut ty = parameter.ty.non_null();
    // Lowering refuses alias cycles; the bound keeps a missed one from hanging here.
    for _ in 0..=api.types.len() {
        match ty {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias { target, .. } => ty = target.non_null(),
                TypeKind::Struct(structure) if structure.additional.is_none() => {
                    let names = structure.fields.iter().map(|field| &field.wire_name);
                    return Some(quote!(rt::Select::Properties(&[#(#names),*])));
                }
                TypeKind::Struct(_) => return all_but_others(),
                _ => return None,
            },
            TypeRef::Map(_) => return all_but_others(),
            _ => return None,
        }
    }
    None
}

/// The type of one scheme's credentials in `security`.
pub fn scheme_type(api: &Api, index: usize) -> TokenStream {
    let name = ident(&api.security_schemes[index].rust_name);
    quote!(crate::security::#name)
}

/// An HTTP authentication scheme as it is written in `Authorization` (`Bearer`, `Digest`).
pub fn http_scheme_label(scheme: &str) -> String {
    let mut chars = scheme.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A Rust file whose bulk is many independent top-level items. Building and formatting the
/// items of a large spec is most of the generator's time, so the format stage runs
/// [`ItemsFile::item`] on worker threads, a chunk of items each, and formats each chunk where
/// it was built.
pub struct ItemsFile<'a> {
    /// Module docs, imports and the items built up front; formatted first.
    pub head: TokenStream,
    pub count: usize,
    /// Builds item `index`. It runs on any thread, so it captures plain data only (the token
    /// types are not `Send`).
    pub item: Box<dyn Fn(usize) -> TokenStream + Sync + 'a>,
}
