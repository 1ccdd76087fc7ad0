//! Lowering schemas to IR types: one arena, ids pre-assigned to every component (so recursive
//! schemas resolve), inline schemas named from their context and memoised by JSON pointer.
//! A reference into any other part of the document (`…/properties/y`, `$defs`, `allOf/0`) is
//! lowered where it points, once; one that is met again while it is still being lowered (a
//! cycle outside `components`) gets a named slot on the spot.
//!
//! JSON Schema says more than Rust types can; what Rust cannot express gets the nearest
//! faithful type (a note says what it leaves unchecked), and the wire contract keeps the
//! schema itself, so the validation layer still checks it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::diagnostics::{Diagnostics, push_pointer};
use crate::document::schema::JsonType;
use crate::document::{Document, Schema, SchemaUse};
use crate::ir::{
    Discriminator, Docs, Enum, EnumValue, EnumVariant, Example, Field, Primitive, Struct, TypeDef,
    TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{self, Scope};
use crate::resolve::{Resolver, component_name};

pub struct SchemaLowering<'a> {
    pub document: &'a Document,
    pub resolver: Resolver<'a>,
    json_schema: bool,
    types: Vec<Option<TypeDef>>,
    type_names: Scope,
    components: HashMap<String, TypeId>,
    /// The Rust name reserved for each component, indexed by its id.
    component_names: Vec<String>,
    nullable_components: HashSet<TypeId>,
    memo: HashMap<String, TypeRef>,
    /// Pointers being lowered right now, and the slot one got when it was met again.
    in_progress: HashSet<String>,
    reserved: HashMap<String, TypeId>,
    pub examples: Vec<Example>,
}

/// What a schema lowers to: a definition of its own, or a use of an existing type.
enum Shape {
    Def(TypeKind, Docs),
    Use(TypeRef),
}

/// A schema met as a member or property: its use and its JSON pointer.
#[derive(Clone)]
struct Member<'a> {
    schema: SchemaUse<'a>,
    pointer: String,
}

/// Properties collected from an object schema and everything it `allOf`s.
#[derive(Default)]
struct Merged<'a> {
    properties: Vec<(String, Member<'a>)>,
    required: BTreeSet<String>,
    additional: Option<Member<'a>>,
    /// Properties given as `false`: they must never be present.
    forbidden: Vec<String>,
    /// allOf members that are not objects, kept to decide between alias and refusal.
    others: Vec<Member<'a>>,
}

impl<'a> SchemaLowering<'a> {
    /// Reserves an id and a name for every component schema, in document order.
    pub fn new(document: &'a Document) -> Self {
        let mut lowering = Self {
            document,
            resolver: Resolver::new(document),
            json_schema: document.dialect.json_schema(),
            types: Vec::new(),
            type_names: Scope::default(),
            components: HashMap::new(),
            component_names: Vec::new(),
            nullable_components: HashSet::new(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            reserved: HashMap::new(),
            examples: Vec::new(),
        };
        for (name, schema) in document.components("schemas") {
            let id = TypeId(lowering.types.len());
            lowering.types.push(None);
            let rust_name = lowering.type_names.claim(names::type_name(name));
            lowering.component_names.push(rust_name);
            lowering.components.insert(name.to_string(), id);
            if let Some(SchemaUse::Inline(schema)) = SchemaUse::of(schema, lowering.json_schema)
                && schema.nullable()
            {
                lowering.nullable_components.insert(id);
            }
        }
        lowering
    }

    pub fn use_of(&self, value: &'a Value) -> Option<SchemaUse<'a>> {
        SchemaUse::of(value, self.json_schema)
    }

    /// Lowers every component schema into its reserved slot.
    pub fn lower_components(&mut self, diagnostics: &mut Diagnostics) {
        for (name, schema) in self.document.components("schemas") {
            let id = self.components[name];
            let type_name = self.component_names[id.0].clone();
            let pointer = push_pointer("/components/schemas", name);
            let Some(schema_use) = self.use_of(schema) else {
                self.types[id.0] = Some(alias(type_name, pointer, Docs::default(), TypeRef::Any));
                continue;
            };
            let shape = match schema_use {
                SchemaUse::Inline(schema) => {
                    let shape = self.shape(schema, &pointer, &type_name, diagnostics);
                    let mut ty = TypeRef::Named(id);
                    if schema.nullable() {
                        ty = ty.nullable();
                    }
                    self.record_examples(schema, &pointer, ty);
                    shape
                }
                other => Shape::Use(self.lower_use(other, &pointer, &type_name, diagnostics)),
            };
            let def = match shape {
                Shape::Def(kind, docs) => TypeDef {
                    name: type_name,
                    origin: pointer,
                    docs,
                    kind,
                },
                Shape::Use(target) => {
                    let docs = schema_use
                        .object()
                        .map(|schema| docs_of(&schema))
                        .unwrap_or_default();
                    alias(type_name, pointer, docs, target.non_null().clone())
                }
            };
            self.types[id.0] = Some(def);
        }
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Example>) {
        let types = self
            .types
            .into_iter()
            .enumerate()
            .map(|(index, slot)| {
                // Every slot is filled; a slot left empty would be a bug, and is an
                // unconstrained value rather than a panic.
                slot.unwrap_or_else(|| {
                    alias(
                        format!("Unfilled{index}"),
                        String::new(),
                        Docs::default(),
                        TypeRef::Any,
                    )
                })
            })
            .collect();
        (types, self.examples)
    }

    /// Lowers a schema given as a JSON value. `hint` is the PascalCase name an inline
    /// definition gets.
    pub fn lower(
        &mut self,
        value: &'a Value,
        pointer: &str,
        hint: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        match self.use_of(value) {
            Some(schema) => self.lower_use(schema, pointer, hint, diagnostics),
            // Validation reported it.
            None => TypeRef::Any,
        }
    }

    fn lower_use(
        &mut self,
        schema: SchemaUse<'a>,
        pointer: &str,
        hint: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        match schema {
            SchemaUse::Bool(_) => TypeRef::Any,
            SchemaUse::Ref {
                reference,
                siblings,
            } => {
                let ty = self.lower_reference(reference, pointer, hint, diagnostics);
                if siblings.nullable() {
                    ty.nullable()
                } else {
                    ty
                }
            }
            SchemaUse::Inline(schema) => self.lower_inline(schema, pointer, hint, diagnostics),
        }
    }

    /// A `$ref`: a component's type, or the type of the schema it points into.
    fn lower_reference(
        &mut self,
        reference: &str,
        pointer: &str,
        hint: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        let target = match self.resolver.schema(reference) {
            Ok(target) => target,
            Err(err) => {
                // Validation reports dangling references; this guards lowering on its own.
                diagnostics.error(push_pointer(pointer, "$ref"), err.describe(reference));
                return TypeRef::Any;
            }
        };
        if let Some(name) = component_name(&target.pointer, "schemas")
            && let Some(id) = self.components.get(&name).copied()
        {
            return if self.nullable_components.contains(&id) {
                TypeRef::Named(id).nullable()
            } else {
                TypeRef::Named(id)
            };
        }
        // A schema inside something else: named after its own key under `$defs`, else
        // after where it is used.
        let mut tokens = target.pointer.rsplit('/');
        let last = tokens.next().unwrap_or_default();
        let hint = match tokens.next() {
            Some("$defs" | "definitions") => {
                names::type_name(&crate::diagnostics::unescape_token(last))
            }
            _ => hint.to_string(),
        };
        let target_pointer = target.pointer.clone();
        self.lower(target.value, &target_pointer, &hint, diagnostics)
    }

    fn lower_inline(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        hint: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        if let Some(done) = self.memo.get(pointer) {
            return done.clone();
        }
        if self.in_progress.contains(pointer) {
            // Met again while being lowered: a cycle through a schema outside components.
            let id = match self.reserved.get(pointer) {
                Some(id) => *id,
                None => {
                    // A placeholder holding the name until the schema is lowered into it.
                    let name = self.type_names.claim(names::type_name(hint));
                    let id = self.push(alias(
                        name,
                        pointer.to_string(),
                        Docs::default(),
                        TypeRef::Any,
                    ));
                    self.reserved.insert(pointer.to_string(), id);
                    id
                }
            };
            return TypeRef::Named(id);
        }
        self.in_progress.insert(pointer.to_string());
        let shape = self.shape(schema, pointer, hint, diagnostics);
        self.in_progress.remove(pointer);
        let ty = match (self.reserved.remove(pointer), shape) {
            (Some(id), shape) => {
                let name = self.types[id.0]
                    .as_ref()
                    .map(|def| def.name.clone())
                    .unwrap_or_else(|| self.type_names.claim(names::type_name(hint)));
                self.types[id.0] = Some(match shape {
                    Shape::Def(kind, docs) => TypeDef {
                        name,
                        origin: pointer.to_string(),
                        docs,
                        kind,
                    },
                    Shape::Use(target) => alias(
                        name,
                        pointer.to_string(),
                        docs_of(&schema),
                        target.non_null().clone(),
                    ),
                });
                TypeRef::Named(id)
            }
            (None, Shape::Use(ty)) => ty,
            (None, Shape::Def(kind, docs)) => {
                let name = self.type_names.claim(names::type_name(hint));
                TypeRef::Named(self.push(TypeDef {
                    name,
                    origin: pointer.to_string(),
                    docs,
                    kind,
                }))
            }
        };
        let ty = if schema.nullable() { ty.nullable() } else { ty };
        self.record_examples(schema, pointer, ty.clone());
        self.memo.insert(pointer.to_string(), ty.clone());
        ty
    }

    fn push(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(Some(def));
        id
    }

    fn record_examples(&mut self, schema: Schema<'a>, pointer: &str, ty: TypeRef) {
        let example = schema.map.get("example");
        if let Some(example) = example {
            self.examples.push(Example {
                pointer: push_pointer(pointer, "example"),
                ty: ty.clone(),
                value: example.clone(),
            });
        }
        // 3.1's `examples` (a list in a schema).
        if let Some(Value::Array(values)) = schema.map.get("examples") {
            let base = push_pointer(pointer, "examples");
            for (index, value) in values.iter().enumerate() {
                self.examples.push(Example {
                    pointer: push_pointer(&base, &index.to_string()),
                    ty: ty.clone(),
                    value: value.clone(),
                });
            }
        }
    }

    pub fn record_media_example(&mut self, pointer: &str, ty: TypeRef, value: &Value) {
        self.examples.push(Example {
            pointer: pointer.to_string(),
            ty,
            value: value.clone(),
        });
    }

    fn shape(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        name: &str,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let docs = docs_of(&schema);

        // A `$ref` with structure beside it is one more `allOf` member.
        if !schema.all_of().is_empty() || schema.reference().is_some() {
            return self.all_of(schema, pointer, name, docs, diagnostics);
        }
        if !schema.one_of().is_empty() || !schema.any_of().is_empty() {
            if let Some(named) = self.named_constants(schema, pointer) {
                return Shape::Def(TypeKind::Enum(named), docs);
            }
            return self.union(schema, pointer, name, docs, diagnostics);
        }
        if let Some(constant) = schema.constant() {
            return match constant {
                Value::String(text) => Shape::Def(
                    TypeKind::Enum(Enum {
                        variants: vec![EnumVariant {
                            rust_name: names::variant_name(text),
                            value: EnumValue::String(text.clone()),
                            docs: Docs::default(),
                        }],
                    }),
                    docs,
                ),
                other => {
                    let mut docs = docs;
                    docs.notes.push(format!("Always `{other}`."));
                    let ty = match other {
                        Value::Bool(_) => TypeRef::Primitive(Primitive::Bool),
                        Value::Number(number) if number.is_i64() || number.is_u64() => {
                            TypeRef::Primitive(Primitive::I64)
                        }
                        Value::Number(_) => TypeRef::Primitive(Primitive::F64),
                        Value::Null => TypeRef::Primitive(Primitive::Null),
                        _ => TypeRef::Any,
                    };
                    Shape::Use(ty)
                }
            };
        }
        let types = schema.types().map(|types| types.without_null());
        if let Some(values) = schema.enumeration()
            && values.iter().all(|v| v.is_string() || v.is_null())
            && values.iter().any(Value::is_string)
            && types.is_none_or(|types| types.single() == Some(JsonType::String))
        {
            let variants = string_variants(values);
            return Shape::Def(TypeKind::Enum(Enum { variants }), docs);
        }
        match types {
            Some(types) if types.len() > 1 => {
                self.type_union(schema, types, pointer, name, docs, diagnostics)
            }
            Some(types) if types.is_empty() => Shape::Use(TypeRef::Primitive(Primitive::Null)),
            Some(types) => match types.single() {
                Some(ty) => self.single_type(schema, ty, pointer, name, docs, diagnostics),
                None => Shape::Use(TypeRef::Any),
            },
            None if schema.properties().is_some()
                || schema.additional_properties().is_some()
                || schema.pattern_properties().is_some() =>
            {
                self.structure(Merged::of_object(schema, pointer), name, docs, diagnostics)
            }
            None if schema.items().is_some() || !schema.prefix_items().is_empty() => {
                Shape::Use(self.array(schema, pointer, name, diagnostics))
            }
            None => Shape::Use(TypeRef::Any),
        }
    }

    fn single_type(
        &mut self,
        schema: Schema<'a>,
        ty: JsonType,
        pointer: &str,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        match ty {
            JsonType::String => Shape::Use(TypeRef::Primitive(string_primitive(schema.format()))),
            JsonType::Integer => Shape::Use(TypeRef::Primitive(match schema.format() {
                Some("int32") => Primitive::I32,
                Some("uint32") => Primitive::U32,
                Some("uint64") => Primitive::U64,
                _ => Primitive::I64,
            })),
            JsonType::Number => Shape::Use(TypeRef::Primitive(match schema.format() {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            })),
            JsonType::Boolean => Shape::Use(TypeRef::Primitive(Primitive::Bool)),
            JsonType::Array => Shape::Use(self.array(schema, pointer, name, diagnostics)),
            JsonType::Object => {
                self.structure(Merged::of_object(schema, pointer), name, docs, diagnostics)
            }
            JsonType::Null => Shape::Use(TypeRef::Primitive(Primitive::Null)),
        }
    }

    /// `type: [string, integer]`: an untagged enum with a variant per type.
    fn type_union(
        &mut self,
        schema: Schema<'a>,
        types: crate::document::TypeSet,
        pointer: &str,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let mut variants = Vec::new();
        let mut variant_names = Scope::default();
        // Integers first: an untagged enum tries variants in order, and `1` is also a number.
        let order = [
            JsonType::Boolean,
            JsonType::Integer,
            JsonType::Number,
            JsonType::String,
            JsonType::Array,
            JsonType::Object,
        ];
        for ty in order.into_iter().filter(|ty| types.contains(*ty)) {
            let variant_hint = format!("{name}{}", names::type_name(ty.name()));
            let lowered = match self.single_type(
                schema,
                ty,
                pointer,
                &variant_hint,
                Docs::default(),
                diagnostics,
            ) {
                Shape::Use(ty) => ty,
                Shape::Def(kind, docs) => {
                    let type_name = self.type_names.claim(names::type_name(&variant_hint));
                    TypeRef::Named(self.push(TypeDef {
                        name: type_name,
                        origin: pointer.to_string(),
                        docs,
                        kind,
                    }))
                }
            };
            variants.push(UnionVariant {
                rust_name: variant_names.claim(names::variant_name(ty.name())),
                ty: lowered,
                boxed: false,
                tags: Vec::new(),
            });
        }
        Shape::Def(
            TypeKind::Union(Union {
                variants,
                discriminator: None,
            }),
            docs,
        )
    }

    fn array(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        name: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        let prefix = schema.prefix_items();
        if !prefix.is_empty() {
            let closed = matches!(schema.items(), Some(Value::Bool(false)))
                || matches!(schema.map.get("additionalItems"), Some(Value::Bool(false)));
            let exact = schema
                .number("minItems")
                .and_then(|n| n.as_u64())
                .is_some_and(|min| min as usize >= prefix.len());
            if closed && exact {
                let key = if schema.map.contains_key("prefixItems") {
                    "prefixItems"
                } else {
                    "items"
                };
                let base = push_pointer(pointer, key);
                let members = prefix
                    .iter()
                    .enumerate()
                    .map(|(index, member)| {
                        self.lower(
                            member,
                            &push_pointer(&base, &index.to_string()),
                            &format!("{name}Item{}", index + 1),
                            diagnostics,
                        )
                    })
                    .collect();
                return TypeRef::Tuple(members);
            }
            // Open or optional positions: any items (the contract checks each position).
            return TypeRef::Array(Box::new(TypeRef::Any));
        }
        let item = match schema.items() {
            Some(items) => self.lower(
                items,
                &push_pointer(pointer, "items"),
                &format!("{name}Item"),
                diagnostics,
            ),
            None => TypeRef::Any,
        };
        TypeRef::Array(Box::new(item))
    }

    fn structure(
        &mut self,
        merged: Merged<'a>,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let additional = match &merged.additional {
            Some(member) => match member.schema {
                SchemaUse::Bool(true) => Some(TypeRef::Any),
                SchemaUse::Bool(false) => None,
                schema => Some(self.lower_use(
                    schema,
                    &member.pointer,
                    &format!("{name}Value"),
                    diagnostics,
                )),
            },
            None => None,
        };
        let mut docs = docs;
        for property in &merged.forbidden {
            docs.notes
                .push(format!("Property `{property}` must not be present."));
        }
        if merged.properties.is_empty() {
            // A map, or a free-form object.
            let value = additional.unwrap_or(TypeRef::Any);
            return Shape::Use(TypeRef::Map(Box::new(value)));
        }
        let mut field_names = Scope::default();
        let mut fields = Vec::with_capacity(merged.properties.len());
        for (wire_name, member) in merged.properties {
            let hint = format!("{name}{}", names::type_name(&wire_name));
            let ty = self.lower_use(member.schema, &member.pointer, &hint, diagnostics);
            let target = self.target_schema(member.schema);
            let (field_docs, secret, read_only, write_only, default) = match target {
                Some(view) => {
                    // A `$ref` property's own docs live on the referenced type; its siblings
                    // (3.1 allows a description beside it) describe the field.
                    let field_docs = match member.schema {
                        SchemaUse::Ref { siblings, .. } => docs_of(&siblings),
                        _ => docs_of(&view),
                    };
                    let siblings = member.schema.object();
                    let read_only = view.read_only() || siblings.is_some_and(|s| s.read_only());
                    let write_only = view.write_only() || siblings.is_some_and(|s| s.write_only());
                    (
                        field_docs,
                        write_only || view.format() == Some("password"),
                        read_only,
                        write_only,
                        siblings
                            .and_then(|s| s.default())
                            .or(view.default())
                            .cloned(),
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
        for other in &merged.others {
            docs.notes.push(format!(
                "The schema also requires `#{}`, which is not an object; it is not checked by this type.",
                other.pointer
            ));
        }
        Shape::Def(TypeKind::Struct(Struct { fields, additional }), docs)
    }

    /// The schema a use stands for, following a `$ref`.
    fn target_schema(&self, schema: SchemaUse<'a>) -> Option<Schema<'a>> {
        match schema {
            SchemaUse::Inline(schema) => Some(schema),
            SchemaUse::Ref { reference, .. } => {
                let target = self.resolver.schema(reference).ok()?;
                match self.use_of(target.value)? {
                    SchemaUse::Inline(schema) => Some(schema),
                    SchemaUse::Ref { siblings, .. } => Some(siblings),
                    SchemaUse::Bool(_) => None,
                }
            }
            SchemaUse::Bool(_) => None,
        }
    }

    fn all_of(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        name: &str,
        docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let mut merged = Merged::default();
        let mut visited = HashSet::new();
        self.merge_all_of(schema, pointer, &mut merged, &mut visited, diagnostics);
        if merged.properties.is_empty() && merged.additional.is_none() {
            // `allOf: [$ref]` (often used to attach a description): the member itself.
            let mut others = std::mem::take(&mut merged.others);
            match others.len() {
                0 => return Shape::Use(TypeRef::Map(Box::new(TypeRef::Any))),
                1 => {
                    let member = others.remove(0);
                    return Shape::Use(self.lower_use(
                        member.schema,
                        &member.pointer,
                        name,
                        diagnostics,
                    ));
                }
                _ => return self.scalar_all_of(others, pointer, name, diagnostics),
            }
        }
        self.structure(merged, name, docs, diagnostics)
    }

    /// `allOf` over several members that are not objects: they must agree on one type, and
    /// the type is the first named one (a `$ref` to an enum, say), else that type.
    fn scalar_all_of(
        &mut self,
        members: Vec<Member<'a>>,
        pointer: &str,
        name: &str,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let mut kinds: BTreeSet<JsonType> = BTreeSet::new();
        for member in &members {
            if let Some(ty) = self
                .target_schema(member.schema)
                .and_then(|schema| schema.single_type())
            {
                kinds.insert(ty);
            }
        }
        // An integer also satisfies `type: number`.
        if kinds.contains(&JsonType::Integer) {
            kinds.remove(&JsonType::Number);
        }
        if kinds.len() > 1 {
            let names: Vec<&str> = kinds.iter().map(|ty| ty.name()).collect();
            diagnostics.error(
                push_pointer(pointer, "allOf"),
                format!(
                    "allOf over schemas of different types ({}) allows no value",
                    names.join(" and ")
                ),
            );
            return Shape::Use(TypeRef::Any);
        }
        let chosen = members
            .iter()
            .find(|member| matches!(member.schema, SchemaUse::Ref { .. }))
            .or_else(|| {
                members.iter().find(|member| {
                    self.target_schema(member.schema).is_some_and(|schema| {
                        schema.types().is_some() || schema.enumeration().is_some()
                    })
                })
            })
            .unwrap_or(&members[0])
            .clone();
        Shape::Use(self.lower_use(chosen.schema, &chosen.pointer, name, diagnostics))
    }

    fn merge_all_of(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        merged: &mut Merged<'a>,
        visited: &mut HashSet<String>,
        diagnostics: &mut Diagnostics,
    ) {
        merge_object(schema, pointer, merged);
        if !visited.insert(pointer.to_string()) {
            // allOf that reaches itself: its properties are merged once.
            return;
        }
        let mut members: Vec<Member<'a>> = Vec::new();
        if let Some(reference) = schema.reference() {
            members.push(Member {
                schema: SchemaUse::Ref {
                    reference,
                    siblings: Schema {
                        map: &EMPTY,
                        json_schema: self.json_schema,
                    },
                },
                pointer: pointer.to_string(),
            });
        }
        let base = push_pointer(pointer, "allOf");
        for (index, member) in schema.all_of().iter().enumerate() {
            if let Some(use_) = self.use_of(member) {
                members.push(Member {
                    schema: use_,
                    pointer: push_pointer(&base, &index.to_string()),
                });
            }
        }
        for member in members {
            let (member_schema, member_pointer) = match member.schema {
                SchemaUse::Inline(schema) => (schema, member.pointer.clone()),
                SchemaUse::Ref { reference, .. } => match self.resolver.schema(reference) {
                    Ok(target) => match self.use_of(target.value) {
                        Some(SchemaUse::Inline(schema)) => (schema, target.pointer),
                        Some(SchemaUse::Ref { .. }) => {
                            merged.others.push(member);
                            continue;
                        }
                        _ => continue,
                    },
                    Err(err) => {
                        diagnostics.error(
                            push_pointer(&member.pointer, "$ref"),
                            err.describe(reference),
                        );
                        continue;
                    }
                },
                SchemaUse::Bool(_) => continue,
            };
            let is_object = member_schema.properties().is_some()
                || member_schema.single_type() == Some(JsonType::Object)
                || !member_schema.all_of().is_empty()
                || (member_schema.reference().is_some() && member_schema.types().is_none());
            let is_annotation = member_schema.types().is_none()
                && member_schema.properties().is_none()
                && member_schema.items().is_none()
                && member_schema.one_of().is_empty()
                && member_schema.any_of().is_empty()
                && member_schema.enumeration().is_none()
                && member_schema.constant().is_none()
                && member_schema.additional_properties().is_none();
            if is_object {
                self.merge_all_of(member_schema, &member_pointer, merged, visited, diagnostics);
            } else if !is_annotation {
                merged.others.push(member);
            }
        }
    }

    /// `oneOf` (or `anyOf`) whose members are all titled constants of one type: a named enum
    /// (Discord writes its integer enums this way).
    fn named_constants(&self, schema: Schema<'a>, _pointer: &str) -> Option<Enum> {
        let members = if schema.one_of().is_empty() {
            schema.any_of()
        } else {
            schema.one_of()
        };
        let mut variants = Vec::new();
        let mut scope = Scope::default();
        let mut seen = HashSet::new();
        let mut integer = None;
        for member in members {
            let map = member.as_object()?;
            let value = map.get("const").or_else(|| match map.get("enum") {
                Some(Value::Array(values)) if values.len() == 1 => values.first(),
                _ => None,
            })?;
            // Only annotations beside the constant.
            if map.keys().any(|key| {
                !matches!(
                    key.as_str(),
                    "const" | "enum" | "title" | "description" | "type" | "format" | "deprecated"
                ) && !key.starts_with("x-")
            }) {
                return None;
            }
            let (value, is_integer) = match value {
                Value::String(text) => (EnumValue::String(text.clone()), false),
                Value::Number(number) => (EnumValue::Integer(number.as_i64()?), true),
                _ => return None,
            };
            if *integer.get_or_insert(is_integer) != is_integer || !seen.insert(value.clone()) {
                return None;
            }
            let title = map.get("title").and_then(Value::as_str);
            let label = match (&value, title) {
                (_, Some(title)) => title.to_string(),
                (EnumValue::String(text), None) => text.clone(),
                (EnumValue::Integer(number), None) => number.to_string(),
            };
            let member_schema = Schema {
                map,
                json_schema: self.json_schema,
            };
            let mut docs = docs_of(&member_schema);
            docs.title = None;
            variants.push(EnumVariant {
                rust_name: scope.claim(names::variant_name(&label)),
                value,
                docs,
            });
        }
        (!variants.is_empty()).then_some(Enum { variants })
    }

    fn union(
        &mut self,
        schema: Schema<'a>,
        pointer: &str,
        name: &str,
        mut docs: Docs,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let (keyword, members) = if schema.one_of().is_empty() {
            ("anyOf", schema.any_of())
        } else {
            ("oneOf", schema.one_of())
        };
        let base = push_pointer(pointer, keyword);
        let mut nullable = false;
        let mut lowered = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let Some(member_use) = self.use_of(member) else {
                continue;
            };
            // `{nullable: true}`, `{type: "null"}` or `{enum: [null]}` members only make the
            // union nullable.
            if let SchemaUse::Inline(member_schema) = member_use
                && member_schema.is_null_only()
            {
                nullable = true;
                continue;
            }
            let member_pointer = push_pointer(&base, &index.to_string());
            let ty = self.lower_use(
                member_use,
                &member_pointer,
                &format!("{name}Variant{}", index + 1),
                diagnostics,
            );
            let component = member_use
                .reference()
                .and_then(|reference| self.resolver.schema(reference).ok())
                .and_then(|target| component_name(&target.pointer, "schemas"));
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
        match self.resolver.discriminated(&schema) {
            Some(found) => {
                for variant in &mut variants {
                    if let Some(component) = variant.tags.first().cloned() {
                        variant.tags = found
                            .tags
                            .iter()
                            .filter(|(_, target)| *target == component)
                            .map(|(tag, _)| tag.clone())
                            .collect();
                    }
                }
                discriminator = Some(Discriminator {
                    property: found.property,
                });
            }
            None => {
                if let Some((property, _)) = schema.discriminator() {
                    docs.notes.push(format!(
                        "The spec names `{property}` as discriminator, but not every member is a named schema, so the members are tried in order."
                    ));
                }
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
            TypeRef::Named(id) => match self.types.get(id.0).and_then(Option::as_ref) {
                Some(def) => def.name.clone(),
                None => self
                    .component_names
                    .get(id.0)
                    .cloned()
                    .unwrap_or_else(|| format!("Variant{}", id.0)),
            },
            TypeRef::Primitive(Primitive::String) => "String".into(),
            TypeRef::Primitive(Primitive::Bool) => "Boolean".into(),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "Number".into(),
            TypeRef::Primitive(
                Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64,
            ) => "Integer".into(),
            TypeRef::Primitive(other) => format!("{other:?}"),
            TypeRef::Array(_) | TypeRef::Tuple(_) => "Array".into(),
            TypeRef::Map(_) => "Object".into(),
            TypeRef::Nullable(inner) => self.variant_name(inner),
            TypeRef::Any => "Value".into(),
        }
    }
}

static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

fn alias(name: String, origin: String, docs: Docs, target: TypeRef) -> TypeDef {
    TypeDef {
        name,
        origin,
        docs,
        kind: TypeKind::Alias {
            target,
            recursive: false,
        },
    }
}

impl<'a> Merged<'a> {
    /// An object schema's own properties and keywords.
    fn of_object(schema: Schema<'a>, pointer: &str) -> Self {
        let mut merged = Merged::default();
        merge_object(schema, pointer, &mut merged);
        merged
    }
}

fn merge_object<'a>(schema: Schema<'a>, pointer: &str, merged: &mut Merged<'a>) {
    if let Some(properties) = schema.properties() {
        let base = push_pointer(pointer, "properties");
        for (name, property) in properties {
            let Some(use_) = SchemaUse::of(property, schema.json_schema) else {
                continue;
            };
            if matches!(use_, SchemaUse::Bool(false)) {
                merged.forbidden.push(name.clone());
                merged.properties.retain(|(existing, _)| existing != name);
                continue;
            }
            let entry = (
                name.clone(),
                Member {
                    schema: use_,
                    pointer: push_pointer(&base, name),
                },
            );
            match merged
                .properties
                .iter_mut()
                .find(|(existing, _)| existing == name)
            {
                Some(slot) => *slot = entry,
                None => merged.properties.push(entry),
            }
        }
    }
    merged
        .required
        .extend(schema.required().map(str::to_string));
    match schema.additional_properties() {
        Some(Value::Bool(false)) => {}
        Some(additional) => {
            if let Some(use_) = SchemaUse::of(additional, schema.json_schema) {
                merged.additional = Some(Member {
                    schema: use_,
                    pointer: push_pointer(pointer, "additionalProperties"),
                });
            }
        }
        None => {}
    }
    // Properties named by pattern only: a map of the one pattern's schema (several patterns
    // leave values unconstrained here).
    if let Some(patterns) = schema.pattern_properties()
        && merged.additional.is_none()
    {
        let member = if patterns.len() == 1 {
            patterns.iter().next().and_then(|(pattern, value)| {
                Some(Member {
                    schema: SchemaUse::of(value, schema.json_schema)?,
                    pointer: push_pointer(&push_pointer(pointer, "patternProperties"), pattern),
                })
            })
        } else {
            None
        };
        merged.additional = Some(member.unwrap_or(Member {
            schema: SchemaUse::Bool(true),
            pointer: pointer.to_string(),
        }));
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

fn string_variants(values: &[Value]) -> Vec<EnumVariant> {
    let mut scope = Scope::default();
    let mut seen = HashSet::new();
    values
        .iter()
        .filter_map(Value::as_str)
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            rust_name: scope.claim(names::variant_name(value)),
            value: EnumValue::String(value.to_string()),
            docs: Docs::default(),
        })
        .collect()
}

/// Documentation for a schema: its title and description, constraints as notes.
pub fn docs_of(schema: &Schema<'_>) -> Docs {
    let mut notes = Vec::new();
    let constraints = schema.constraints();
    if !constraints.is_empty() {
        notes.push(format!("Constraints: {}.", constraints.join(", ")));
    }
    if let Some(format) = schema.format()
        && !matches!(
            format,
            "date-time" | "date" | "uuid" | "byte" | "int32" | "int64" | "float" | "double"
        )
    {
        notes.push(format!("Format: `{format}`."));
    }
    let types = schema.types().map(|types| types.without_null());
    if let Some(values) = schema.enumeration()
        && types.is_some_and(|types| types.single() != Some(JsonType::String))
    {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        notes.push(format!("Allowed values: {}.", values.join(", ")));
    }
    if let Some(encoding) = schema.string("contentEncoding") {
        notes.push(format!("Content encoding: `{encoding}`."));
    }
    if let Some(media_type) = schema.string("contentMediaType") {
        notes.push(format!("Content media type: `{media_type}`."));
    }
    Docs {
        title: schema.title().map(str::to_string),
        description: schema.description().map(str::to_string),
        deprecated: schema.deprecated(),
        notes,
    }
}
