//! Lowering schemas to IR types: one arena, ids pre-assigned to every component (so recursive
//! schemas resolve), inline schemas named from their context and memoised by JSON pointer.

use std::collections::{BTreeSet, HashMap, HashSet};

use openapiv3::{AdditionalProperties, OpenAPI, Schema};
use serde_json::Value;

use crate::diagnostics::{Diagnostics, push_pointer};
use crate::ir::{
    Discriminator, Docs, EnumVariant, Example, Field, Primitive, StringEnum, Struct, TypeDef,
    TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{self, Scope};
use crate::resolve::{Resolver, SchemaRef, View, ref_pointer, split_ref};

pub struct SchemaLowering<'a> {
    pub resolver: Resolver<'a>,
    types: Vec<Option<TypeDef>>,
    type_names: Scope,
    components: HashMap<&'a str, TypeId>,
    /// The Rust name reserved for each component, indexed by its id.
    component_names: Vec<String>,
    nullable_components: HashSet<TypeId>,
    memo: HashMap<String, TypeRef>,
    pub examples: Vec<Example>,
}

/// What a schema lowers to: a definition of its own, or a use of an existing type.
enum Shape {
    Def(TypeKind, Docs),
    Use(TypeRef),
}

/// Properties collected from an object schema and everything it `allOf`s.
#[derive(Default)]
struct Merged<'a> {
    properties: Vec<(String, SchemaRef<'a>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
    /// allOf members that are not objects, kept to decide between alias and refusal.
    others: Vec<(SchemaRef<'a>, String)>,
}

impl<'a> SchemaLowering<'a> {
    /// Reserves an id and a name for every component schema, in document order.
    pub fn new(document: &'a OpenAPI) -> Self {
        let mut lowering = Self {
            resolver: Resolver::new(document),
            types: Vec::new(),
            type_names: Scope::default(),
            components: HashMap::new(),
            component_names: Vec::new(),
            nullable_components: HashSet::new(),
            memo: HashMap::new(),
            examples: Vec::new(),
        };
        if let Some(components) = &document.components {
            for (name, schema) in &components.schemas {
                let id = TypeId(lowering.types.len());
                lowering.types.push(None);
                let rust_name = lowering.type_names.claim(names::type_name(name));
                lowering.component_names.push(rust_name);
                lowering.components.insert(name, id);
                if let openapiv3::ReferenceOr::Item(schema) = schema
                    && schema.schema_data.nullable
                {
                    lowering.nullable_components.insert(id);
                }
            }
        }
        lowering
    }

    /// Lowers every component schema into its reserved slot.
    pub fn lower_components(&mut self, document: &'a OpenAPI, diagnostics: &mut Diagnostics) {
        let Some(components) = &document.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let id = self.components[name.as_str()];
            let type_name = self.component_names[id.0].clone();
            let pointer = push_pointer("/components/schemas", name);
            let shape = match schema {
                openapiv3::ReferenceOr::Reference { reference } => Shape::Use(self.lower(
                    SchemaRef::Ref(reference),
                    &pointer,
                    &type_name,
                    diagnostics,
                )),
                openapiv3::ReferenceOr::Item(schema) => {
                    let shape = self.shape(schema, &pointer, &type_name, diagnostics);
                    let mut ty = TypeRef::Named(id);
                    if schema.schema_data.nullable {
                        ty = ty.nullable();
                    }
                    self.record_example(schema, &pointer, ty);
                    shape
                }
            };
            let def = match shape {
                Shape::Def(kind, docs) => TypeDef {
                    name: type_name,
                    origin: pointer,
                    docs,
                    kind,
                },
                Shape::Use(target) => TypeDef {
                    name: type_name,
                    docs: match schema {
                        openapiv3::ReferenceOr::Item(schema) => docs_of(&View::of(schema)),
                        openapiv3::ReferenceOr::Reference { .. } => Docs::default(),
                    },
                    origin: pointer,
                    kind: TypeKind::Alias {
                        target: target.non_null().clone(),
                        recursive: false,
                    },
                },
            };
            self.types[id.0] = Some(def);
        }
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Example>) {
        let types = self
            .types
            .into_iter()
            .map(|slot| slot.expect("every reserved type id is filled by lower_components"))
            .collect();
        (types, self.examples)
    }

    /// Lowers a schema use. `hint` is the PascalCase name an inline definition gets.
    pub fn lower(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => match split_ref(reference, "schemas").and_then(|name| {
                self.components.get(name).copied().or_else(|| {
                    self.resolver
                        .schema(reference)
                        .ok()
                        .and_then(|(name, _)| self.components.get(name.as_str()).copied())
                })
            }) {
                Some(id) if self.nullable_components.contains(&id) => TypeRef::Named(id).nullable(),
                Some(id) => TypeRef::Named(id),
                None => {
                    // Validation reports dangling refs; this guards lowering on its own.
                    diagnostics.error(pointer, format!("cannot resolve $ref `{reference}`"));
                    TypeRef::Any
                }
            },
            SchemaRef::Inline(schema) => {
                if let Some(done) = self.memo.get(pointer) {
                    return done.clone();
                }
                let ty = match self.shape(schema, pointer, hint, diagnostics) {
                    Shape::Use(ty) => ty,
                    Shape::Def(kind, docs) => {
                        let name = self.type_names.claim(names::type_name(hint));
                        TypeRef::Named(self.push(TypeDef {
                            name,
                            origin: pointer.to_string(),
                            docs,
                            kind,
                        }))
                    }
                };
                let ty = if schema.schema_data.nullable {
                    ty.nullable()
                } else {
                    ty
                };
                self.record_example(schema, pointer, ty.clone());
                self.memo.insert(pointer.to_string(), ty.clone());
                ty
            }
        }
    }

    fn push(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(Some(def));
        id
    }

    fn record_example(&mut self, schema: &Schema, pointer: &str, ty: TypeRef) {
        if let Some(example) = &schema.schema_data.example {
            self.examples.push(Example {
                pointer: push_pointer(pointer, "example"),
                ty,
                value: example.clone(),
            });
        }
    }

    pub fn record_media_example(&mut self, pointer: &str, ty: TypeRef, value: &Value) {
        self.examples.push(Example {
            pointer: push_pointer(pointer, "example"),
            ty,
            value: value.clone(),
        });
    }

    fn shape(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        name: &str,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let view = View::of(schema);
        let docs = docs_of(&view);

        if !view.all_of.is_empty() {
            return self.all_of(&view, pointer, name, docs, diagnostics);
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return self.union(&view, pointer, name, docs, diagnostics);
        }
        if !view.enumeration.is_empty()
            && view
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null())
            && matches!(view.typ, None | Some("string"))
        {
            let variants = enum_variants(&view.enumeration);
            if !variants.is_empty() {
                return Shape::Def(TypeKind::Enum(StringEnum { variants }), docs);
            }
        }
        match view.typ {
            Some("string") => Shape::Use(TypeRef::Primitive(string_primitive(view.format))),
            Some("integer") => Shape::Use(TypeRef::Primitive(match view.format {
                Some("int32") => Primitive::I32,
                Some("uint32") => Primitive::U32,
                Some("uint64") => Primitive::U64,
                _ => Primitive::I64,
            })),
            Some("number") => Shape::Use(TypeRef::Primitive(match view.format {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            })),
            Some("boolean") => Shape::Use(TypeRef::Primitive(Primitive::Bool)),
            Some("array") => Shape::Use(self.array(&view, pointer, name, diagnostics)),
            Some("object") => self.object(&view, pointer, name, docs, diagnostics),
            Some(other) => {
                diagnostics.error(
                    push_pointer(pointer, "type"),
                    format!("unknown schema type `{other}` (OpenAPI 3.0 allows string, number, integer, boolean, array, object)"),
                );
                Shape::Use(TypeRef::Any)
            }
            None if view.properties.is_some() || view.additional.is_some() => {
                self.object(&view, pointer, name, docs, diagnostics)
            }
            None if view.items.is_some() => {
                Shape::Use(self.array(&view, pointer, name, diagnostics))
            }
            None => Shape::Use(TypeRef::Any),
        }
    }

    fn array(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        name: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        let item = match view.items {
            Some(items) => self.lower(
                items.into(),
                &push_pointer(pointer, "items"),
                &format!("{name}Item"),
                diagnostics,
            ),
            None => TypeRef::Any,
        };
        TypeRef::Array(Box::new(item))
    }

    fn object(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let mut merged = Merged::default();
        merge_object(view, pointer, &mut merged);
        self.structure(merged, name, docs, diagnostics)
    }

    fn structure(
        &mut self,
        merged: Merged<'a>,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let additional = merged
            .additional
            .map(|(additional, add_pointer)| match additional {
                AdditionalProperties::Any(true) => Some(TypeRef::Any),
                AdditionalProperties::Any(false) => None,
                AdditionalProperties::Schema(schema) => Some(self.lower(
                    schema.as_ref().into(),
                    &add_pointer,
                    &format!("{name}Value"),
                    diagnostics,
                )),
            });
        if merged.properties.is_empty() {
            // A map, or a free-form object.
            let value = additional.flatten().unwrap_or(TypeRef::Any);
            return Shape::Use(TypeRef::Map(Box::new(value)));
        }
        let mut field_names = Scope::default();
        let mut fields = Vec::with_capacity(merged.properties.len());
        for (wire_name, schema, prop_pointer) in merged.properties {
            let hint = format!("{name}{}", names::type_name(&wire_name));
            let ty = self.lower(schema, &prop_pointer, &hint, diagnostics);
            let target = self.target_view(schema);
            let (field_docs, secret, read_only, write_only, default) = match &target {
                Some(view) => {
                    let mut field_docs = docs_of(view);
                    // A `$ref` property's own docs live on the referenced type.
                    if matches!(schema, SchemaRef::Ref(_)) {
                        field_docs = Docs::default();
                    }
                    (
                        field_docs,
                        view.data.write_only || view.format == Some("password"),
                        view.data.read_only,
                        view.data.write_only,
                        view.data.default.clone(),
                    )
                }
                None => (Docs::default(), false, false, false, None),
            };
            let mut field_docs = field_docs;
            if let Some(default) = &default {
                field_docs.notes.push(format!("Default: `{default}`."));
            }
            if read_only {
                field_docs
                    .notes
                    .push("Read-only: sent by the server, ignored in requests.".into());
            }
            if write_only {
                field_docs
                    .notes
                    .push("Write-only: sent by clients, never returned.".into());
            }
            fields.push(Field {
                rust_name: field_names.claim(names::value_name(&wire_name)),
                required: merged.required.contains(&wire_name),
                wire_name,
                ty,
                boxed: false,
                secret,
                read_only,
                write_only,
                default,
                docs: field_docs,
            });
        }
        let mut docs = docs;
        for (_, other_pointer) in &merged.others {
            docs.notes.push(format!(
                "The schema also requires `#{other_pointer}`, which is not an object; it is not checked by this type."
            ));
        }
        Shape::Def(
            TypeKind::Struct(Struct {
                fields,
                additional: additional.flatten(),
            }),
            docs,
        )
    }

    /// The view of a schema use, following a `$ref`.
    fn target_view(&self, schema: SchemaRef<'a>) -> Option<View<'a>> {
        match schema {
            SchemaRef::Inline(schema) => Some(View::of(schema)),
            SchemaRef::Ref(reference) => self
                .resolver
                .schema(reference)
                .ok()
                .map(|(_, schema)| View::of(schema)),
        }
    }

    fn all_of(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let mut merged = Merged::default();
        self.merge_all_of(view, pointer, &mut merged, 0);
        if merged.properties.is_empty() && merged.additional.is_none() {
            // `allOf: [$ref]` (often used to attach a description): the member itself.
            match merged.others.len() {
                0 => return Shape::Use(TypeRef::Map(Box::new(TypeRef::Any))),
                1 => {
                    let (member, member_pointer) = merged.others.remove(0);
                    return Shape::Use(self.lower(member, &member_pointer, name, diagnostics));
                }
                _ => {
                    diagnostics.error(
                        push_pointer(pointer, "allOf"),
                        "allOf over several schemas that are not objects cannot be expressed as one Rust type",
                    );
                    return Shape::Use(TypeRef::Any);
                }
            }
        }
        self.structure(merged, name, docs, diagnostics)
    }

    fn merge_all_of(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        merged: &mut Merged<'a>,
        depth: usize,
    ) {
        merge_object(view, pointer, merged);
        if depth > 32 {
            return;
        }
        let base = push_pointer(pointer, "allOf");
        for (index, member) in view.all_of.iter().enumerate() {
            let member_ref = SchemaRef::from(member);
            let (member_schema, member_pointer) = match member_ref {
                SchemaRef::Inline(schema) => (schema, push_pointer(&base, &index.to_string())),
                SchemaRef::Ref(reference) => match self.resolver.schema(reference) {
                    Ok((_, schema)) => (schema, ref_pointer(reference)),
                    Err(_) => continue,
                },
            };
            let member_view = View::of(member_schema);
            let is_object = member_view.properties.is_some()
                || member_view.typ == Some("object")
                || !member_view.all_of.is_empty();
            let is_annotation = member_view.typ.is_none()
                && member_view.properties.is_none()
                && member_view.items.is_none()
                && member_view.one_of.is_empty()
                && member_view.any_of.is_empty()
                && member_view.enumeration.is_empty()
                && member_view.additional.is_none();
            if is_object {
                self.merge_all_of(&member_view, &member_pointer, merged, depth + 1);
            } else if !is_annotation {
                merged.others.push((member_ref, member_pointer));
            }
        }
    }

    fn union(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        name: &str,
        mut docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let (keyword, members) = if view.one_of.is_empty() {
            ("anyOf", view.any_of)
        } else {
            ("oneOf", view.one_of)
        };
        let base = push_pointer(pointer, keyword);
        let mut nullable = false;
        let mut lowered = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_ref = SchemaRef::from(member);
            // `{nullable: true}` or `{enum: [null]}` members only make the union nullable.
            if let SchemaRef::Inline(schema) = member_ref {
                let member_view = View::of(schema);
                if member_view.typ.is_none()
                    && member_view.properties.is_none()
                    && member_view.all_of.is_empty()
                    && member_view.one_of.is_empty()
                    && member_view.any_of.is_empty()
                    && member_view.enumeration.iter().all(Value::is_null)
                    && (schema.schema_data.nullable || !member_view.enumeration.is_empty())
                {
                    nullable = true;
                    continue;
                }
            }
            let member_pointer = push_pointer(&base, &index.to_string());
            let ty = self.lower(
                member_ref,
                &member_pointer,
                &format!("{name}Variant{}", index + 1),
                diagnostics,
            );
            let component = match member_ref {
                SchemaRef::Ref(reference) => {
                    self.resolver.schema(reference).ok().map(|(name, _)| name)
                }
                SchemaRef::Inline(_) => None,
            };
            lowered.push((ty, component));
        }
        if lowered.len() == 1 {
            let (ty, _) = lowered.remove(0);
            return Shape::Use(if nullable { ty.nullable() } else { ty });
        }
        let mut variant_names = Scope::default();
        let mut variants: Vec<UnionVariant> = lowered
            .into_iter()
            .map(|(ty, component)| UnionVariant {
                rust_name: variant_names.claim(self.variant_name(&ty)),
                ty,
                boxed: false,
                tags: component.into_iter().collect(),
            })
            .collect();
        let mut discriminator = None;
        if let Some(found) = &view.data.discriminator {
            // Explicit mapping replaces the implicit component-name tag of its target.
            let mut explicit: HashMap<String, Vec<String>> = HashMap::new();
            for (value, target) in &found.mapping {
                let reference = if target.starts_with('#') {
                    target.clone()
                } else {
                    format!("#/components/schemas/{target}")
                };
                if let Ok((component, _)) = self.resolver.schema(&reference) {
                    explicit.entry(component).or_default().push(value.clone());
                }
            }
            for variant in &mut variants {
                if let Some(component) = variant.tags.first().cloned()
                    && let Some(values) = explicit.get(&component)
                {
                    variant.tags = values.clone();
                }
            }
            if variants.iter().all(|variant| !variant.tags.is_empty()) {
                discriminator = Some(Discriminator {
                    property: found.property_name.clone(),
                });
            } else {
                docs.notes.push(format!(
                    "The spec names `{}` as discriminator, but not every member is a named schema, so the members are tried in order.",
                    found.property_name
                ));
            }
        }
        if discriminator.is_none() {
            for variant in &mut variants {
                variant.tags.clear();
            }
        }
        let shape = Shape::Def(
            TypeKind::Union(Union {
                variants,
                discriminator,
            }),
            docs,
        );
        if nullable {
            let ty = match shape {
                Shape::Def(kind, docs) => {
                    let type_name = self.type_names.claim(names::type_name(name));
                    TypeRef::Named(self.push(TypeDef {
                        name: type_name,
                        origin: pointer.to_string(),
                        docs,
                        kind,
                    }))
                }
                Shape::Use(ty) => ty,
            };
            return Shape::Use(ty.nullable());
        }
        shape
    }

    fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => match self.types[id.0].as_ref() {
                Some(def) => def.name.clone(),
                None => self.component_names[id.0].clone(),
            },
            TypeRef::Primitive(Primitive::String) => "String".into(),
            TypeRef::Primitive(Primitive::Bool) => "Boolean".into(),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "Number".into(),
            TypeRef::Primitive(
                Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64,
            ) => "Integer".into(),
            TypeRef::Primitive(other) => format!("{other:?}"),
            TypeRef::Array(_) => "Array".into(),
            TypeRef::Map(_) => "Object".into(),
            TypeRef::Nullable(inner) => self.variant_name(inner),
            TypeRef::Any => "Value".into(),
        }
    }
}

fn merge_object<'a>(view: &View<'a>, pointer: &str, merged: &mut Merged<'a>) {
    if let Some(properties) = view.properties {
        let base = push_pointer(pointer, "properties");
        for (name, schema) in properties {
            let entry = (
                name.clone(),
                SchemaRef::from(schema),
                push_pointer(&base, name),
            );
            match merged
                .properties
                .iter_mut()
                .find(|(existing, ..)| existing == name)
            {
                Some(slot) => *slot = entry,
                None => merged.properties.push(entry),
            }
        }
    }
    merged.required.extend(view.required.iter().cloned());
    if let Some(additional) = view.additional {
        merged.additional = Some((additional, push_pointer(pointer, "additionalProperties")));
    }
}

fn string_primitive(format: Option<&str>) -> Primitive {
    match format {
        Some("date-time") => Primitive::DateTime,
        Some("date") => Primitive::Date,
        Some("uuid") => Primitive::Uuid,
        Some("byte") => Primitive::Base64,
        _ => Primitive::String,
    }
}

fn enum_variants(values: &[Value]) -> Vec<EnumVariant> {
    let mut scope = Scope::default();
    let mut seen = HashSet::new();
    values
        .iter()
        .filter_map(Value::as_str)
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            rust_name: scope.claim(names::variant_name(value)),
            wire_value: value.to_string(),
        })
        .collect()
}

/// Documentation for a schema: its title and description, constraints as notes.
pub fn docs_of(view: &View<'_>) -> Docs {
    let mut notes = Vec::new();
    if !view.constraints.is_empty() {
        notes.push(format!("Constraints: {}.", view.constraints.join(", ")));
    }
    if let Some(format) = view.format
        && !matches!(
            format,
            "date-time" | "date" | "uuid" | "byte" | "int32" | "int64" | "float" | "double"
        )
    {
        notes.push(format!("Format: `{format}`."));
    }
    if !view.enumeration.is_empty() && !matches!(view.typ, None | Some("string")) {
        let values: Vec<String> = view.enumeration.iter().map(Value::to_string).collect();
        notes.push(format!("Allowed values: {}.", values.join(", ")));
    }
    Docs {
        title: view.data.title.clone(),
        description: view.data.description.clone(),
        deprecated: view.data.deprecated,
        notes,
    }
}
