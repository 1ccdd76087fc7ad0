//! Sample values for any IR type: what tests and conformance checks send when they need a
//! value of a type. Deterministic, shaped by the schema (every field, the first enum value,
//! the first union member with its discriminator tag), bounded on recursive types.

use serde_json::{Map, Value, json};

use crate::ir::{Api, EnumValue, Primitive, TypeKind, TypeRef};

/// Beyond this depth optional fields are left out and arrays are empty, so recursive schemas
/// end.
const MAX_DEPTH: usize = 3;

pub fn sample(api: &Api, ty: &TypeRef) -> Value {
    sample_at(api, ty, 0)
}

fn sample_at(api: &Api, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(structure) => {
                let mut object = Map::new();
                for field in &structure.fields {
                    if depth >= MAX_DEPTH && !field.required {
                        continue;
                    }
                    object.insert(
                        field.wire_name.clone(),
                        sample_at(api, field.ty.non_null(), depth + 1),
                    );
                }
                if let Some(additional) = &structure.additional
                    && !object.contains_key("extra")
                {
                    object.insert(
                        "extra".into(),
                        sample_at(api, additional.non_null(), depth + 1),
                    );
                }
                Value::Object(object)
            }
            TypeKind::Enum(values) => {
                values
                    .variants
                    .first()
                    .map_or(Value::Null, |variant| match &variant.value {
                        EnumValue::String(text) => Value::String(text.clone()),
                        EnumValue::Integer(number) => Value::from(*number),
                    })
            }
            TypeKind::Union(union) => {
                let Some(first) = union.variants.first() else {
                    return Value::Null;
                };
                let mut value = sample_at(api, &first.ty, depth + 1);
                if let (Some(discriminator), Some(tag), Value::Object(object)) =
                    (&union.discriminator, first.tags.first(), &mut value)
                {
                    object.insert(discriminator.property.clone(), Value::String(tag.clone()));
                }
                value
            }
            TypeKind::Alias { target, .. } => sample_at(api, target, depth),
        },
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String => json!("sample value"),
            Primitive::Bool => json!(true),
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => json!(7),
            Primitive::F32 | Primitive::F64 => json!(1.5),
            Primitive::DateTime => json!("2024-01-15T10:30:00+01:00"),
            Primitive::Date => json!("2024-01-15"),
            Primitive::Uuid => json!("4b9e0a5c-8f1e-4d2a-9c3b-2a1f0e9d8c7b"),
            Primitive::Base64 => json!("aGVsbG8="),
            Primitive::Binary => json!([104, 105]),
            Primitive::Null => Value::Null,
        },
        TypeRef::Array(_) if depth >= MAX_DEPTH => json!([]),
        TypeRef::Array(inner) => json!([sample_at(api, inner.non_null(), depth + 1)]),
        TypeRef::Map(inner) => json!({ "key": sample_at(api, inner.non_null(), depth + 1) }),
        TypeRef::Nullable(inner) => sample_at(api, inner, depth),
        TypeRef::Tuple(members) => Value::Array(
            members
                .iter()
                .map(|member| sample_at(api, member, depth + 1))
                .collect(),
        ),
        TypeRef::Any => json!({ "any": "value" }),
    }
}
