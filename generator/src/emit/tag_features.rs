//! A cargo feature per tag, for large specs. Compiling a generated crate is mostly compiling
//! its models (GitHub: 7,009 types, about 400 s of a 490 s build), yet a client usually
//! calls a few tags, and each tag reaches a small part of the models (GitHub's largest tag,
//! `repos`, reaches 163 of its 969 component schemas). So past [`TAG_FEATURES_FROM`]
//! operations, every model, operation module and client method block is compiled only when a
//! tag that uses it is enabled. `all-tags` (the default) enables every tag; the server needs
//! every trait, so it enables `all-tags` itself.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// Operations from which a spec gets a feature per tag.
pub const TAG_FEATURES_FROM: usize = 300;

/// The feature that enables every tag, and the default.
pub const ALL_TAGS: &str = "all-tags";

/// Which tag features compile what.
#[derive(Debug, Clone)]
pub struct TagFeatures {
    /// Feature names, in the order of [`tags`].
    pub features: Vec<String>,
    /// Per type (by arena index): the tags whose operations reach it.
    type_tags: Vec<BTreeSet<usize>>,
    /// Per operation (by index): its tag.
    operation_tag: Vec<usize>,
}

impl TagFeatures {
    /// `None` for specs below the threshold, or with a single tag.
    pub fn of(api: &Api) -> Option<Self> {
        let tags = api.tagged(crate::ir::Surface::Api);
        if api.operations.len() < TAG_FEATURES_FROM || tags.len() < 2 {
            return None;
        }
        let features = api.tags.iter().map(|tag| tag.feature.clone()).collect();
        let mut operation_tag = vec![0; api.operations.len()];
        let mut type_tags = vec![BTreeSet::new(); api.types.len()];
        for (tag_index, (_, operations)) in tags.iter().enumerate() {
            let mut pending: Vec<TypeId> = Vec::new();
            for operation in operations {
                if let Some(index) = api
                    .operations
                    .iter()
                    .position(|candidate| std::ptr::eq(candidate, *operation))
                {
                    operation_tag[index] = tag_index;
                }
                let parameters = operation.parameters.iter().map(|p| &p.ty);
                let bodies = operation
                    .body
                    .iter()
                    .flat_map(|body| &body.content)
                    .filter_map(|content| content.ty.as_ref());
                let responses = operation.responses.iter().flat_map(|response| {
                    response
                        .content
                        .iter()
                        .filter_map(|content| content.ty.as_ref())
                        .chain(response.headers.iter().map(|header| &header.ty))
                });
                for ty in parameters.chain(bodies).chain(responses) {
                    named(ty, &mut pending);
                }
            }
            // Everything those types reach, through fields, variants and aliases.
            while let Some(id) = pending.pop() {
                if !type_tags[id.0].insert(tag_index) {
                    continue;
                }
                match &api.ty(id).kind {
                    TypeKind::Struct(structure) => {
                        for field in &structure.fields {
                            named(&field.ty, &mut pending);
                        }
                        if let Some(additional) = &structure.additional {
                            named(additional, &mut pending);
                        }
                    }
                    TypeKind::Union(union) => {
                        for variant in &union.variants {
                            named(&variant.ty, &mut pending);
                        }
                    }
                    TypeKind::Alias { target, .. } => named(target, &mut pending),
                    TypeKind::Enum(_) => {}
                }
            }
        }
        Some(Self {
            features,
            type_tags,
            operation_tag,
        })
    }

    /// The `cfg` of a model type: the tags that use it; `all-tags` for a type no operation
    /// uses.
    pub fn type_cfg(&self, id: TypeId) -> TokenStream {
        let features: Vec<&str> = self.type_tags[id.0]
            .iter()
            .map(|tag| self.features[*tag].as_str())
            .collect();
        match features.as_slice() {
            [] => quote!(#[cfg(feature = #ALL_TAGS)]),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }

    /// The `cfg` of an operation's module.
    pub fn operation_cfg(&self, index: usize) -> TokenStream {
        self.tag_cfg(self.operation_tag[index])
    }

    /// The `cfg` of what compiles with every tag only.
    pub fn all_tags_cfg(&self) -> TokenStream {
        quote!(#[cfg(feature = #ALL_TAGS)])
    }

    /// The `cfg` of a tag's code.
    pub fn tag_cfg(&self, tag_index: usize) -> TokenStream {
        let feature = &self.features[tag_index];
        quote!(#[cfg(feature = #feature)])
    }
}

fn named(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner, out),
        TypeRef::Tuple(members) => members.iter().for_each(|member| named(member, out)),
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

/// Puts `cfg` on every top-level item of `tokens` (a type's struct and its impls go
/// together). Items end after a `;`, or after a `{ ... }` body not followed by `;`.
pub fn gate(tokens: TokenStream, cfg: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut at_start = true;
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        if at_start {
            out.extend(cfg.clone());
        }
        let ends_item = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        out.extend([tree]);
        at_start = ends_item;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_cfg() {
        let cfg = quote!(#[cfg(feature = "tag-a")]);
        let gated = gate(
            quote! {
                /// A pet.
                pub struct Pet { name: String }
                impl Pet { fn f() {} }
                pub type Name = String;
            },
            &cfg,
        );
        let text = gated.to_string();
        assert_eq!(text.matches("cfg").count(), 3, "{text}");
        assert!(
            text.starts_with("# [cfg (feature = \"tag-a\")] # [doc"),
            "{text}"
        );
    }
}
