//! A schema, read the same way whether it is OpenAPI 3.0's subset (`nullable`, boolean
//! `exclusiveMinimum`, `example`) or JSON Schema 2020-12 (`type` lists, numeric bounds,
//! `examples`, `const`, `$ref` with siblings).

use serde_json::{Map, Number, Value};

/// One JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Null,
}

impl JsonType {
    pub const ALL: [JsonType; 7] = [
        JsonType::String,
        JsonType::Number,
        JsonType::Integer,
        JsonType::Boolean,
        JsonType::Array,
        JsonType::Object,
        JsonType::Null,
    ];

    /// A `type` name; `file` (Swagger 2.0, often left in 3.0 documents) is a string.
    pub fn parse(name: &str) -> Option<JsonType> {
        Some(match name {
            "string" | "file" => JsonType::String,
            "number" => JsonType::Number,
            "integer" => JsonType::Integer,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The types a `type` keyword allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TypeSet(u8);

impl TypeSet {
    pub fn contains(self, ty: JsonType) -> bool {
        self.0 & ty.bit() != 0
    }

    pub fn insert(&mut self, ty: JsonType) {
        self.0 |= ty.bit();
    }

    pub fn without_null(self) -> TypeSet {
        TypeSet(self.0 & !JsonType::Null.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The one type, when there is exactly one.
    pub fn single(self) -> Option<JsonType> {
        (self.len() == 1).then(|| self.iter().next()).flatten()
    }

    pub fn iter(self) -> impl Iterator<Item = JsonType> {
        JsonType::ALL
            .into_iter()
            .filter(move |ty| self.contains(*ty))
    }
}

/// An object schema of the document.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    pub map: &'a Map<String, Value>,
    /// JSON Schema 2020-12 (3.1 and later) rather than OpenAPI 3.0's subset.
    pub json_schema: bool,
}

/// A place where a schema is expected, read as what it stands for.
#[derive(Debug, Clone, Copy)]
pub enum SchemaUse<'a> {
    /// A `$ref`, with its annotation siblings (`description`, `nullable`, …) in `siblings`.
    Ref {
        reference: &'a str,
        siblings: Schema<'a>,
    },
    Inline(Schema<'a>),
    /// The boolean schemas: `true` allows anything, `false` nothing.
    Bool(bool),
}

/// Keywords that only annotate: a `$ref` with only these beside it is still just that
/// reference. `nullable` and `type` widen or restate it and are read with it.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "nullable",
    "type",
    "format",
    "$comment",
    "externalDocs",
    "xml",
];

/// Whether everything beside a `$ref` only annotates it, so the object is that reference.
pub fn annotates_only(map: &Map<String, Value>) -> bool {
    map.keys()
        .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
}

impl<'a> SchemaUse<'a> {
    /// `None` for a node that is not a schema at all (validation reports it).
    pub fn of(value: &'a Value, json_schema: bool) -> Option<Self> {
        match value {
            Value::Bool(allowed) => Some(SchemaUse::Bool(*allowed)),
            Value::Object(map) => {
                let schema = Schema { map, json_schema };
                match map.get("$ref").and_then(Value::as_str) {
                    Some(reference) if annotates_only(map) => Some(SchemaUse::Ref {
                        reference,
                        siblings: schema,
                    }),
                    _ => Some(SchemaUse::Inline(schema)),
                }
            }
            _ => None,
        }
    }

    pub fn reference(&self) -> Option<&'a str> {
        match self {
            SchemaUse::Ref { reference, .. } => Some(reference),
            _ => None,
        }
    }

    /// The schema object itself (for a reference, the object holding the `$ref`).
    pub fn object(&self) -> Option<Schema<'a>> {
        match self {
            SchemaUse::Ref { siblings, .. } => Some(*siblings),
            SchemaUse::Inline(schema) => Some(*schema),
            SchemaUse::Bool(_) => None,
        }
    }
}

/// A lower or upper bound, inclusive or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub value: Number,
    pub exclusive: bool,
}

impl<'a> Schema<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    fn list(&self, key: &str) -> &'a [Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// `$ref` of an object schema that also has structural keywords (a 3.1 `$ref` with
    /// `properties` beside it, say): it takes part as one more `allOf` member.
    pub fn reference(&self) -> Option<&'a str> {
        self.str("$ref")
    }

    /// The types `type` allows, `None` without a (readable) `type`.
    pub fn types(&self) -> Option<TypeSet> {
        let mut set = TypeSet::default();
        match self.get("type")? {
            Value::String(name) => set.insert(JsonType::parse(name)?),
            Value::Array(names) => {
                for name in names.iter().filter_map(Value::as_str) {
                    if let Some(ty) = JsonType::parse(name) {
                        set.insert(ty);
                    }
                }
            }
            _ => return None,
        }
        if self.flag("nullable") {
            set.insert(JsonType::Null);
        }
        (!set.is_empty()).then_some(set)
    }

    /// The one non-null type, when `type` names exactly one.
    pub fn single_type(&self) -> Option<JsonType> {
        self.types().and_then(|types| types.without_null().single())
    }

    /// Whether `null` is allowed by `nullable: true` or a `null` in `type`.
    pub fn nullable(&self) -> bool {
        self.flag("nullable")
            || self
                .types()
                .is_some_and(|types| types.contains(JsonType::Null))
    }

    /// `format`; Swagger's `type: file` is binary.
    pub fn format(&self) -> Option<&'a str> {
        self.str("format")
            .or_else(|| (self.str("type") == Some("file")).then_some("binary"))
    }

    /// `enum`, unless empty (`enum: []`, read as no constraint, with a warning).
    pub fn enumeration(&self) -> Option<&'a [Value]> {
        self.get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .filter(|values| !values.is_empty())
    }

    pub fn constant(&self) -> Option<&'a Value> {
        self.get("const")
    }

    pub fn properties(&self) -> Option<&'a Map<String, Value>> {
        self.get("properties").and_then(Value::as_object)
    }

    pub fn pattern_properties(&self) -> Option<&'a Map<String, Value>> {
        self.get("patternProperties").and_then(Value::as_object)
    }

    pub fn required(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.list("required").iter().filter_map(Value::as_str)
    }

    /// `additionalProperties`, as written (`true`, `false` or a schema).
    pub fn additional_properties(&self) -> Option<&'a Value> {
        self.get("additionalProperties")
    }

    /// `items` as one schema (draft-04's list form is read by [`Schema::prefix_items`]).
    pub fn items(&self) -> Option<&'a Value> {
        self.get("items").filter(|items| !items.is_array())
    }

    /// `prefixItems`, or draft-04's `items` list.
    pub fn prefix_items(&self) -> &'a [Value] {
        match self.get("items") {
            Some(Value::Array(items)) => items,
            _ => self.list("prefixItems"),
        }
    }

    pub fn all_of(&self) -> &'a [Value] {
        self.list("allOf")
    }

    pub fn one_of(&self) -> &'a [Value] {
        self.list("oneOf")
    }

    pub fn any_of(&self) -> &'a [Value] {
        self.list("anyOf")
    }

    pub fn not(&self) -> Option<&'a Value> {
        self.get("not")
    }

    /// A union member that only says "or null": `{type: "null"}`, `{enum: [null]}` or
    /// `{nullable: true}`.
    pub fn is_null_only(&self) -> bool {
        let types_null = self
            .types()
            .is_some_and(|types| types.without_null().is_empty());
        let enum_null = self
            .enumeration()
            .is_some_and(|values| values.iter().all(Value::is_null));
        let nothing_else = self.properties().is_none()
            && self.all_of().is_empty()
            && self.one_of().is_empty()
            && self.any_of().is_empty()
            && self.reference().is_none();
        nothing_else
            && (types_null || enum_null || (self.types().is_none() && self.flag("nullable")))
    }

    /// The discriminator's property and its mapping (tag to `$ref` or schema name).
    pub fn discriminator(&self) -> Option<(&'a str, Vec<(&'a str, &'a str)>)> {
        let discriminator = self.get("discriminator")?;
        // Swagger 2.0 gives the property name alone.
        if let Some(property) = discriminator.as_str() {
            return Some((property, Vec::new()));
        }
        let property = discriminator.get("propertyName")?.as_str()?;
        let mapping = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(tag, target)| Some((tag.as_str(), target.as_str()?)))
            .collect();
        Some((property, mapping))
    }

    pub fn title(&self) -> Option<&'a str> {
        self.str("title")
    }

    pub fn description(&self) -> Option<&'a str> {
        self.str("description")
    }

    pub fn deprecated(&self) -> bool {
        self.flag("deprecated")
    }

    pub fn read_only(&self) -> bool {
        self.flag("readOnly")
    }

    pub fn write_only(&self) -> bool {
        self.flag("writeOnly")
    }

    pub fn default(&self) -> Option<&'a Value> {
        self.get("default")
    }

    /// The examples of the schema: 3.0's `example` and 3.1's `examples` list.
    pub fn examples(&self) -> Vec<&'a Value> {
        let mut out: Vec<&Value> = self.get("example").into_iter().collect();
        if let Some(Value::Array(values)) = self.get("examples") {
            out.extend(values);
        }
        out
    }

    /// The lower bound, from `minimum` and either dialect's `exclusiveMinimum`.
    pub fn minimum(&self) -> Option<Bound> {
        self.bound("minimum", "exclusiveMinimum")
    }

    pub fn maximum(&self) -> Option<Bound> {
        self.bound("maximum", "exclusiveMaximum")
    }

    fn bound(&self, inclusive: &str, exclusive: &str) -> Option<Bound> {
        let plain = self.get(inclusive).and_then(Value::as_number);
        match self.get(exclusive) {
            // 2020-12: the exclusive bound is a number of its own.
            Some(Value::Number(limit)) => Some(Bound {
                value: limit.clone(),
                exclusive: true,
            }),
            // 3.0: a flag on `minimum`.
            Some(Value::Bool(true)) => plain.map(|limit| Bound {
                value: limit.clone(),
                exclusive: true,
            }),
            _ => plain.map(|limit| Bound {
                value: limit.clone(),
                exclusive: false,
            }),
        }
    }

    /// A number-valued keyword.
    pub fn number(&self, key: &str) -> Option<&'a Number> {
        self.get(key).and_then(Value::as_number)
    }

    pub fn string(&self, key: &str) -> Option<&'a str> {
        self.str(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Validation keywords, as text for documentation.
    pub fn constraints(&self) -> Vec<String> {
        let mut out = Vec::new();
        for key in ["minLength", "maxLength", "pattern"] {
            if let Some(value) = self.get(key) {
                out.push(format!("{key}: `{}`", display(value)));
            }
        }
        for (key, bound) in [("minimum", self.minimum()), ("maximum", self.maximum())] {
            if let Some(bound) = bound {
                let key = if bound.exclusive {
                    if key == "minimum" {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    }
                } else {
                    key
                };
                out.push(format!("{key}: `{}`", bound.value));
            }
        }
        for key in [
            "multipleOf",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(value) = self.get(key) {
                out.push(format!("{key}: `{}`", display(value)));
            }
        }
        if self.flag("uniqueItems") {
            out.push("uniqueItems: `true`".to_string());
        }
        out
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: &Value, json_schema: bool) -> Schema<'_> {
        Schema {
            map: value.as_object().unwrap(),
            json_schema,
        }
    }

    #[test]
    fn both_dialects_read_alike() {
        let v30 = json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true, "example": 2});
        let v31 = json!({"type": ["integer", "null"], "exclusiveMinimum": 1, "examples": [2]});
        for (value, json_schema) in [(&v30, false), (&v31, true)] {
            let schema = schema(value, json_schema);
            assert!(schema.nullable());
            assert_eq!(schema.single_type(), Some(JsonType::Integer));
            assert_eq!(
                schema.minimum(),
                Some(Bound {
                    value: 1.into(),
                    exclusive: true
                })
            );
            assert_eq!(schema.examples(), [&json!(2)]);
        }
    }

    #[test]
    fn refs_with_annotations_stay_refs_and_with_structure_do_not() {
        let plain = json!({"$ref": "#/a", "description": "d", "nullable": true});
        assert!(matches!(
            SchemaUse::of(&plain, true),
            Some(SchemaUse::Ref {
                reference: "#/a",
                ..
            })
        ));
        let structural = json!({"$ref": "#/a", "properties": {"b": {}}});
        let Some(SchemaUse::Inline(inline)) = SchemaUse::of(&structural, true) else {
            panic!("a $ref with properties is an implicit allOf");
        };
        assert_eq!(inline.reference(), Some("#/a"));
        assert!(matches!(
            SchemaUse::of(&json!(false), true),
            Some(SchemaUse::Bool(false))
        ));
        assert!(SchemaUse::of(&json!(3), true).is_none());
    }

    #[test]
    fn empty_enums_and_file_types() {
        let value = json!({"type": "file", "enum": []});
        let schema = schema(&value, false);
        assert_eq!(schema.enumeration(), None);
        assert_eq!(schema.single_type(), Some(JsonType::String));
        assert_eq!(schema.format(), Some("binary"));
    }
}
