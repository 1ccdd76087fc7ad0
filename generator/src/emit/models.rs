//! The `models` module: one Rust item per IR type, in arena order (components in document
//! order, then inline types in the order they were met).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::docs;
use crate::emit::tokens::{Types, ident};
use crate::ir::{
    Api, Enum, EnumValue, Field, Primitive, Struct, TypeDef, TypeKind, TypeRef, Union,
};

/// What the emitted code needs from outside `std` and `serde`, so the crate's manifest and
/// support module list only that.
#[derive(Debug, Default, Clone, Copy)]
pub struct Needs {
    pub chrono: bool,
    pub uuid: bool,
    pub base64: bool,
    pub double_option: bool,
}

impl Needs {
    /// What the crate's code uses: every type reference of the models and the operations.
    /// Computed from the IR up front, because the code itself is built on several threads.
    pub fn of(api: &Api) -> Needs {
        let mut needs = Needs::default();
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(structure) => {
                    for field in &structure.fields {
                        needs.add(&field.ty);
                        if !field.required && matches!(field.ty, TypeRef::Nullable(_)) {
                            needs.double_option = true;
                        }
                    }
                    if let Some(additional) = &structure.additional {
                        needs.add(additional);
                    }
                }
                TypeKind::Union(union) => {
                    union
                        .variants
                        .iter()
                        .for_each(|variant| needs.add(&variant.ty));
                }
                TypeKind::Alias { target, .. } => needs.add(target),
                TypeKind::Enum(_) => {}
            }
        }
        // The receiver's operations too: a type only a webhook uses still needs its crate.
        for operation in api.operations.iter().chain(&api.webhooks) {
            for parameter in &operation.parameters {
                needs.add(&parameter.ty);
            }
            let bodies = operation.body.iter().flat_map(|body| &body.content);
            let responses = operation
                .responses
                .iter()
                .flat_map(|response| &response.content);
            for content in bodies.chain(responses) {
                if let Some(ty) = &content.ty {
                    needs.add(ty);
                }
            }
            for header in operation.responses.iter().flat_map(|r| &r.headers) {
                needs.add(&header.ty);
            }
        }
        needs
    }

    fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Primitive(Primitive::DateTime | Primitive::Date) => self.chrono = true,
            TypeRef::Primitive(Primitive::Uuid) => self.uuid = true,
            TypeRef::Primitive(Primitive::Base64) => self.base64 = true,
            TypeRef::Primitive(_) | TypeRef::Named(_) | TypeRef::Any => {}
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                self.add(inner)
            }
            TypeRef::Tuple(members) => members.iter().for_each(|member| self.add(member)),
        }
    }
}

/// Builds the item of one model type.
struct ModelsEmitter<'a> {
    types: Types<'a>,
}

/// `models.rs`: a type per schema, each built (and formatted) on any thread.
pub fn emit_models(
    api: &Api,
    tag_features: Option<std::sync::Arc<crate::emit::tag_features::TagFeatures>>,
) -> crate::emit::tokens::ItemsFile<'_> {
    // Aliases (`pub type A = B;`) derive nothing: a crate of only aliases needs no serde.
    let derives = api.types.iter().any(|def| {
        !matches!(
            def.kind,
            crate::ir::TypeKind::Alias {
                recursive: false,
                ..
            }
        )
    });
    let imports = derives.then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    crate::emit::tokens::ItemsFile {
        head: quote! {
            //! Model types: one per schema in the spec, named after the schema (inline
            //! schemas after where they appear).
            #imports
        },
        count: api.types.len(),
        item: Box::new(move |index| {
            let tokens = ModelsEmitter::new(api).item(&api.types[index]);
            match &tag_features {
                Some(features) => crate::emit::tag_features::gate(
                    tokens,
                    &features.type_cfg(crate::ir::TypeId(index)),
                ),
                None => tokens,
            }
        }),
    }
}

impl<'a> ModelsEmitter<'a> {
    fn new(api: &'a Api) -> Self {
        Self {
            types: Types::local(api),
        }
    }

    fn type_tokens(&self, ty: &TypeRef) -> TokenStream {
        self.types.of(ty)
    }

    fn item(&mut self, def: &TypeDef) -> TokenStream {
        let doc = docs::attrs(&docs::lines(&def.docs));
        let name = ident(&def.name);
        match &def.kind {
            TypeKind::Struct(structure) => self.structure(def, structure, doc),
            TypeKind::Enum(values) if values.is_integer() => integer_enum_item(&name, values, doc),
            TypeKind::Enum(values) => string_enum_item(&name, values, doc),
            TypeKind::Union(union) => self.union(&name, union, doc),
            TypeKind::Alias {
                target,
                recursive: false,
            } => {
                let target = self.type_tokens(target);
                quote! {
                    #doc
                    pub type #name = #target;
                }
            }
            TypeKind::Alias {
                target,
                recursive: true,
            } => {
                // A named type (nullable or not) is held inline and needs a box; containers
                // already hold their items on the heap.
                let target = match target {
                    TypeRef::Named(_) => {
                        let inner = self.type_tokens(target);
                        quote!(Box<#inner>)
                    }
                    TypeRef::Nullable(inner) if matches!(**inner, TypeRef::Named(_)) => {
                        let inner = self.type_tokens(inner);
                        quote!(Option<Box<#inner>>)
                    }
                    other => self.type_tokens(other),
                };
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #target);
                }
            }
        }
    }

    fn field_type(&mut self, field: &Field) -> TokenStream {
        let inner_ty = field.ty.non_null();
        let mut inner = self.type_tokens(inner_ty);
        if field.boxed {
            inner = quote!(Box<#inner>);
        }
        let nullable = matches!(field.ty, TypeRef::Nullable(_));
        match (field.required, nullable) {
            (true, false) => inner,
            (true, true) | (false, false) => quote!(Option<#inner>),
            (false, true) => quote!(Option<Option<#inner>>),
        }
    }

    fn structure(&mut self, def: &TypeDef, structure: &Struct, doc: TokenStream) -> TokenStream {
        let name = ident(&def.name);
        let mut fields = Vec::new();
        let mut debug_fields = Vec::new();
        let mut all_optional = true;
        let mut taken: Vec<&str> = Vec::new();
        for field in &structure.fields {
            let field_name = ident(&field.rust_name);
            let ty = self.field_type(field);
            let mut serde_args = Vec::new();
            let wire = &field.wire_name;
            if field.rust_name.trim_start_matches("r#") != wire {
                serde_args.push(quote!(rename = #wire));
            }
            let nullable = matches!(field.ty, TypeRef::Nullable(_));
            if !field.required {
                serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
                if nullable {
                    serde_args.push(quote!(deserialize_with = "crate::support::double_option"));
                }
            } else {
                all_optional = false;
            }
            let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
            let field_doc = docs::attrs(&docs::lines(&field.docs));
            fields.push(quote! {
                #field_doc
                #serde_attr
                pub #field_name: #ty,
            });
            let label = field.rust_name.trim_start_matches("r#");
            debug_fields.push(if field.secret {
                quote!(.field(#label, &"<redacted>"))
            } else {
                quote!(.field(#label, &self.#field_name))
            });
            taken.push(&field.rust_name);
        }
        if let Some(additional) = &structure.additional {
            let value = self.type_tokens(additional);
            let mut extra_name = "additional_properties".to_string();
            while taken.contains(&extra_name.as_str()) {
                extra_name.push('_');
            }
            let extra = ident(&extra_name);
            fields.push(quote! {
                /// Properties not named in the schema (`additionalProperties`).
                #[serde(flatten)]
                pub #extra: ::std::collections::BTreeMap<String, #value>,
            });
            debug_fields.push(quote!(.field(#extra_name, &self.#extra)));
        }
        let secret = structure.fields.iter().any(|field| field.secret);
        let mut derives = vec![
            quote!(Clone),
            quote!(PartialEq),
            quote!(Serialize),
            quote!(Deserialize),
        ];
        if !secret {
            derives.insert(0, quote!(Debug));
        }
        if all_optional {
            derives.push(quote!(Default));
        }
        let debug_impl = secret.then(|| {
            let label = def.name.as_str();
            quote! {
                /// Fields marked `writeOnly` or `format: password` are redacted.
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#label) #(#debug_fields)* .finish()
                    }
                }
            }
        });
        quote! {
            #doc
            #[derive(#(#derives),*)]
            pub struct #name {
                #(#fields)*
            }
            #debug_impl
        }
    }

    fn union(&mut self, name: &Ident, union: &Union, doc: TokenStream) -> TokenStream {
        let mut variants = Vec::new();
        for variant in &union.variants {
            let variant_name = ident(&variant.rust_name);
            let mut ty = self.type_tokens(&variant.ty);
            if variant.boxed {
                ty = quote!(Box<#ty>);
            }
            variants.push(quote!(#variant_name(#ty),));
        }
        let Some(discriminator) = &union.discriminator else {
            return quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#variants)*
                }
            };
        };
        // Serialised as the member itself (which carries the tag property); deserialised by
        // reading the tag first, so the error names the tag instead of "no variant matched".
        let property = &discriminator.property;
        // A tag selects the first member that claims it (`oneOf: [A, A]` names one member
        // twice); a member whose tags are all claimed already gets no arm.
        let mut claimed: Vec<&String> = Vec::new();
        let mut arms_tags: Vec<Vec<&String>> = Vec::new();
        for variant in &union.variants {
            let own: Vec<&String> = variant
                .tags
                .iter()
                .filter(|tag| !claimed.contains(tag))
                .collect();
            claimed.extend(&own);
            arms_tags.push(own);
        }
        let all_tags = &claimed;
        let arms = union.variants.iter().zip(&arms_tags).filter(|(_, tags)| !tags.is_empty()).map(|(variant, tags)| {
            let variant_name = ident(&variant.rust_name);
            let build = if variant.boxed {
                quote!(|inner| Self::#variant_name(Box::new(inner)))
            } else {
                quote!(Self::#variant_name)
            };
            quote! {
                #(#tags)|* => ::serde_json::from_value(value).map(#build).map_err(D::Error::custom),
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use serde::de::Error as _;
                    const TAGS: &[&str] = &[#(#all_tags),*];
                    let value = ::serde_json::Value::deserialize(deserializer)?;
                    let tag = value
                        .get(#property)
                        .and_then(::serde_json::Value::as_str)
                        .ok_or_else(|| D::Error::missing_field(#property))?
                        .to_owned();
                    match tag.as_str() {
                        #(#arms)*
                        other => Err(D::Error::unknown_variant(other, TAGS)),
                    }
                }
            }
        }
    }
}

fn variant_docs(variant: &crate::ir::EnumVariant) -> TokenStream {
    docs::attrs(&docs::lines(&variant.docs))
}

fn string_enum_item(name: &Ident, string_enum: &Enum, doc: TokenStream) -> TokenStream {
    let wire_values: Vec<String> = string_enum
        .variants
        .iter()
        .map(|variant| match &variant.value {
            EnumValue::String(text) => text.clone(),
            EnumValue::Integer(number) => number.to_string(),
        })
        .collect();
    let variants = string_enum
        .variants
        .iter()
        .zip(&wire_values)
        .map(|(variant, wire)| {
            let variant_name = ident(&variant.rust_name);
            let rename = (variant.rust_name != *wire).then(|| quote!(#[serde(rename = #wire)]));
            let doc = variant_docs(variant);
            quote! {
                #doc
                #rename
                #variant_name,
            }
        });
    let arms = string_enum
        .variants
        .iter()
        .zip(&wire_values)
        .map(|(variant, wire)| {
            let variant_name = ident(&variant.rust_name);
            quote!(Self::#variant_name => #wire,)
        });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as it appears on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An enum of integers: serialised as its number, and only the documented numbers decode.
fn integer_enum_item(name: &Ident, values: &Enum, doc: TokenStream) -> TokenStream {
    let numbers: Vec<i64> = values
        .variants
        .iter()
        .map(|variant| match &variant.value {
            EnumValue::Integer(number) => *number,
            EnumValue::String(_) => 0,
        })
        .collect();
    let variants = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let doc = variant_docs(variant);
        quote!(#doc #variant_name,)
    });
    let to_number = values
        .variants
        .iter()
        .zip(&numbers)
        .map(|(variant, number)| {
            let variant_name = ident(&variant.rust_name);
            quote!(Self::#variant_name => #number,)
        });
    let from_number = values
        .variants
        .iter()
        .zip(&numbers)
        .map(|(variant, number)| {
            let variant_name = ident(&variant.rust_name);
            quote!(#number => Ok(Self::#variant_name),)
        });
    let listed: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let expected = format!("one of {}", listed.join(", "));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as it appears on the wire.
            pub const fn value(&self) -> i64 {
                match self {
                    #(#to_number)*
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match i64::deserialize(deserializer)? {
                    #(#from_number)*
                    other => Err(serde::de::Error::invalid_value(
                        serde::de::Unexpected::Signed(other),
                        &#expected,
                    )),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }
    }
}
