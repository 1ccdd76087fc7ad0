//! The comparison's view of a document: openapiv3's typed model of the normalised document
//! that contractgen's `load` returns (OpenAPI 3.0, and Swagger 2.0 converted to it), one
//! helper for `$ref` lookup and a flattened view over openapiv3's schema variants.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, IntegerFormat, NumberFormat, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use contractgen::diagnostics::{self, push_pointer};
use contractgen::load::bundle::percent_decode;

/// Follows local `#/components/...` references. References to other documents are refused
/// by validation, so lowering can assume every `$ref` it meets resolves.
pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

/// A component section and the part of a `$ref` that names an entry in it.
pub fn split_ref<'r>(reference: &'r str, section: &str) -> Option<&'r str> {
    let rest = reference.strip_prefix("#/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    (!name.contains('/')).then_some(name)
}

/// RFC 6901 unescaping of one reference token (`~1` is `/`, `~0` is `~`), after the
/// percent-decoding that URI fragments allow: both as the generator reads references.
pub fn unescape_token(token: &str) -> String {
    diagnostics::unescape_token(&percent_decode(token))
}

/// What a `$ref` lookup failed on.
pub enum RefError {
    Unsupported,
    Dangling,
    Cycle,
}

/// A kind of component a `$ref` can name, by the section of `components` that holds it.
pub trait Component: Sized {
    /// The section's name in a `$ref` (`#/components/SECTION/...`).
    const SECTION: &'static str;
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Schema, "schemas", schemas);
component!(Parameter, "parameters", parameters);
component!(openapiv3::Response, "responses", responses);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);
component!(openapiv3::Header, "headers", headers);

impl<'a> Resolver<'a> {
    pub fn new(document: &'a OpenAPI) -> Self {
        Self {
            components: document.components.as_ref(),
        }
    }

    /// Follows a reference (and references to references) to the component it names,
    /// returning the component's name with it.
    pub fn lookup<T: Component>(&self, reference: &str) -> Result<(String, &'a T), RefError> {
        let mut current = reference.to_string();
        for _ in 0..32 {
            let token = split_ref(&current, T::SECTION).ok_or(RefError::Unsupported)?;
            let name = unescape_token(token);
            let entry = self
                .components
                .and_then(|components| T::section(components).get(&name))
                .ok_or(RefError::Dangling)?;
            match entry {
                ReferenceOr::Item(item) => return Ok((name, item)),
                ReferenceOr::Reference { reference } => current = reference.clone(),
            }
        }
        Err(RefError::Cycle)
    }
}

// ---------------------------------------------------------------------------------------------
// A flattened view of a schema

/// A schema or a reference to one, whichever of openapiv3's two wrappers it came in.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// openapiv3 splits a schema into typed variants plus a catch-all; this puts the keywords the
/// generator reads side by side, whichever variant holds them.
pub struct View<'a> {
    pub typ: Option<&'a str>,
    pub format: Option<&'a str>,
    /// `enum` values; `Value::Null` where the list allows null.
    pub enumeration: Vec<Value>,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub not: Option<&'a ReferenceOr<Schema>>,
    /// Validation keywords, kept as text for documentation.
    pub constraints: Vec<String>,
}

const EMPTY_SCHEMAS: &[ReferenceOr<Schema>] = &[];

/// The name of a schema's `format` (a known variant, or the text of an unknown one).
pub fn format_str<T: Copy>(
    format: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(T) -> &'static str,
) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(*item)),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The wire name of one of openapiv3's known string formats.
pub fn string_format(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

/// The wire name of one of openapiv3's number formats.
pub fn number_format(format: NumberFormat) -> &'static str {
    match format {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

/// The wire name of one of openapiv3's integer formats.
pub fn integer_format(format: IntegerFormat) -> &'static str {
    match format {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

fn push_constraint<T: std::fmt::Display>(out: &mut Vec<String>, name: &str, value: Option<T>) {
    if let Some(value) = value {
        out.push(format!("{name}: `{value}`"));
    }
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: EMPTY_SCHEMAS,
            any_of: EMPTY_SCHEMAS,
            all_of: EMPTY_SCHEMAS,
            not: None,
            constraints: Vec::new(),
        };
        let c = &mut view.constraints;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_str(&s.format, string_format);
                view.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
                push_constraint(c, "minLength", s.min_length);
                push_constraint(c, "maxLength", s.max_length);
                push_constraint(c, "pattern", s.pattern.as_ref());
            }
            SchemaKind::Type(Type::Number(n)) => view.numeric(
                "number",
                format_str(&n.format, number_format),
                &n.enumeration,
                [n.minimum, n.maximum, n.multiple_of],
            ),
            SchemaKind::Type(Type::Integer(i)) => view.numeric(
                "integer",
                format_str(&i.format, integer_format),
                &i.enumeration,
                [i.minimum, i.maximum, i.multiple_of],
            ),
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enumeration = b
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
                push_constraint(c, "minProperties", o.min_properties);
                push_constraint(c, "maxProperties", o.max_properties);
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
                push_constraint(c, "minItems", a.min_items);
                push_constraint(c, "maxItems", a.max_items);
                if a.unique_items {
                    c.push("uniqueItems: `true`".to_string());
                }
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { not } => view.not = Some(not),
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.as_deref();
                view.enumeration = any.enumeration.clone();
                if !any.properties.is_empty() || view.typ == Some("object") {
                    view.properties = Some(&any.properties);
                }
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.all_of = &any.all_of;
                view.not = any.not.as_deref();
                push_constraint(c, "minLength", any.min_length);
                push_constraint(c, "maxLength", any.max_length);
                push_constraint(c, "pattern", any.pattern.as_ref());
                push_constraint(c, "minimum", any.minimum);
                push_constraint(c, "maximum", any.maximum);
                push_constraint(c, "minItems", any.min_items);
                push_constraint(c, "maxItems", any.max_items);
            }
        }
        view
    }

    /// What number and integer schemas share: a type and format, `enum` values, and the
    /// bounds `minimum`, `maximum` and `multipleOf`.
    fn numeric<T: Copy + std::fmt::Display + Into<Value>>(
        &mut self,
        typ: &'static str,
        format: Option<&'a str>,
        enumeration: &[Option<T>],
        [minimum, maximum, multiple_of]: [Option<T>; 3],
    ) {
        self.typ = Some(typ);
        self.format = format;
        self.enumeration = enumeration
            .iter()
            .map(|v| v.map_or(Value::Null, Into::into))
            .collect();
        let c = &mut self.constraints;
        push_constraint(c, "minimum", minimum);
        push_constraint(c, "maximum", maximum);
        push_constraint(c, "multipleOf", multiple_of);
    }

    /// Sub-schemas with the JSON pointer of each, for walks that visit every schema.
    pub fn children(&self, pointer: &str) -> Vec<(SchemaRef<'a>, String)> {
        let mut out = Vec::new();
        if let Some(properties) = self.properties {
            let base = push_pointer(pointer, "properties");
            for (name, schema) in properties {
                out.push((schema.into(), push_pointer(&base, name)));
            }
        }
        if let Some(AdditionalProperties::Schema(schema)) = self.additional {
            out.push((
                schema.as_ref().into(),
                push_pointer(pointer, "additionalProperties"),
            ));
        }
        if let Some(items) = self.items {
            out.push((items.into(), push_pointer(pointer, "items")));
        }
        for (keyword, list) in [
            ("oneOf", self.one_of),
            ("anyOf", self.any_of),
            ("allOf", self.all_of),
        ] {
            let base = push_pointer(pointer, keyword);
            for (index, schema) in list.iter().enumerate() {
                out.push((schema.into(), push_pointer(&base, &index.to_string())));
            }
        }
        if let Some(not) = self.not {
            out.push((not.into(), push_pointer(pointer, "not")));
        }
        out
    }
}

/// The schema of a parameter or header, when it is given as `schema` (not `content`).
pub fn parameter_schema(format: &ParameterSchemaOrContent) -> Option<SchemaRef<'_>> {
    match format {
        ParameterSchemaOrContent::Schema(schema) => Some(schema.into()),
        ParameterSchemaOrContent::Content(content) => content
            .values()
            .next()
            .and_then(|media| media.schema.as_ref())
            .map(SchemaRef::from),
    }
}
