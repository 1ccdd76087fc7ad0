//! Resolve and validate: one helper for `$ref` lookup, a flattened view over openapiv3's
//! schema variants, and a walk over the whole document that reports every dangling or
//! unsupported reference, duplicate operationId and path-template mismatch before lowering.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostics::{Diagnostics, push_pointer};

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

/// RFC 6901 unescaping of one reference token (`~1` is `/`, `~0` is `~`), plus the
/// percent-decoding that URI fragments allow.
pub(crate) fn unescape_token(token: &str) -> String {
    let decoded = percent_decode(token);
    decoded.replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a `$ref` lookup failed on.
pub enum RefError {
    Unsupported,
    Dangling,
    Cycle,
}

impl RefError {
    pub fn describe(&self, reference: &str, section: &str) -> String {
        match self {
            RefError::Unsupported => format!(
                "unsupported $ref `{reference}`: only local references of the form `#/components/{section}/<name>` are supported here"
            ),
            RefError::Dangling => format!("dangling $ref `{reference}`: no such component"),
            RefError::Cycle => format!("$ref `{reference}` refers to itself"),
        }
    }
}

macro_rules! lookup {
    ($fn_name:ident, $section:literal, $field:ident, $ty:ty) => {
        /// Follows a reference (and references to references) to the component it names,
        /// returning the component's name with it.
        pub fn $fn_name(&self, reference: &str) -> Result<(String, &'a $ty), RefError> {
            let mut current = reference.to_string();
            for _ in 0..32 {
                let token = split_ref(&current, $section).ok_or(RefError::Unsupported)?;
                let name = unescape_token(token);
                let entry = self
                    .components
                    .and_then(|components| components.$field.get(&name))
                    .ok_or(RefError::Dangling)?;
                match entry {
                    ReferenceOr::Item(item) => return Ok((name, item)),
                    ReferenceOr::Reference { reference } => current = reference.clone(),
                }
            }
            Err(RefError::Cycle)
        }
    };
}

impl<'a> Resolver<'a> {
    pub fn new(document: &'a OpenAPI) -> Self {
        Self {
            components: document.components.as_ref(),
        }
    }

    lookup!(schema, "schemas", schemas, Schema);
    lookup!(parameter, "parameters", parameters, Parameter);
    lookup!(response, "responses", responses, openapiv3::Response);
    lookup!(
        request_body,
        "requestBodies",
        request_bodies,
        openapiv3::RequestBody
    );
    lookup!(header, "headers", headers, openapiv3::Header);
}

/// The JSON pointer a local `$ref` names, for messages and memoisation.
pub fn ref_pointer(reference: &str) -> String {
    reference.strip_prefix('#').unwrap_or(reference).to_string()
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
    pub data: &'a SchemaData,
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

fn push_constraint<T: std::fmt::Display>(out: &mut Vec<String>, name: &str, value: Option<T>) {
    if let Some(value) = value {
        out.push(format!("{name}: `{value}`"));
    }
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
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
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = format_str(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                view.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                push_constraint(c, "minimum", n.minimum);
                push_constraint(c, "maximum", n.maximum);
                push_constraint(c, "multipleOf", n.multiple_of);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = format_str(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                view.enumeration = i
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                push_constraint(c, "minimum", i.minimum);
                push_constraint(c, "maximum", i.maximum);
                push_constraint(c, "multipleOf", i.multiple_of);
            }
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

// ---------------------------------------------------------------------------------------------
// Validation

/// Checks what lowering relies on and reports every problem found.
pub fn validate(document: &OpenAPI, diagnostics: &mut Diagnostics) {
    let resolver = Resolver::new(document);
    let mut walk = Walk {
        resolver: &resolver,
        diagnostics,
    };
    walk.components(document);
    walk.paths(document);
}

struct Walk<'r, 'a, 'd> {
    resolver: &'r Resolver<'a>,
    diagnostics: &'d mut Diagnostics,
}

impl<'r, 'a> Walk<'r, 'a, '_> {
    fn reference<T>(
        &mut self,
        reference: &str,
        section: &str,
        lookup: impl FnOnce(&'r Resolver<'a>, &str) -> Result<T, RefError>,
        pointer: &str,
    ) -> Option<T> {
        match lookup(self.resolver, reference) {
            Ok(found) => Some(found),
            Err(err) => {
                self.diagnostics.error(
                    push_pointer(pointer, "$ref"),
                    err.describe(reference, section),
                );
                None
            }
        }
    }

    fn schema(&mut self, schema: SchemaRef<'_>, pointer: &str) {
        match schema {
            SchemaRef::Ref(reference) => {
                self.reference(
                    reference,
                    "schemas",
                    |r, s| r.schema(s).map(|_| ()),
                    pointer,
                );
            }
            SchemaRef::Inline(schema) => {
                let view = View::of(schema);
                if let Some(discriminator) = &view.data.discriminator {
                    let base = push_pointer(pointer, "discriminator");
                    for (value, target) in &discriminator.mapping {
                        // Mapping values are either `$ref`s or bare schema names.
                        let reference = if target.starts_with('#') {
                            target.clone()
                        } else {
                            format!("#/components/schemas/{target}")
                        };
                        if let Err(err) = self.resolver.schema(&reference) {
                            self.diagnostics.error(
                                push_pointer(&push_pointer(&base, "mapping"), value),
                                err.describe(target, "schemas"),
                            );
                        }
                    }
                }
                for (child, child_pointer) in view.children(pointer) {
                    self.schema(child, &child_pointer);
                }
            }
        }
    }

    fn content(&mut self, content: &IndexMap<String, openapiv3::MediaType>, pointer: &str) {
        let base = push_pointer(pointer, "content");
        for (media_type, media) in content {
            if let Some(schema) = &media.schema {
                let media_pointer = push_pointer(&base, media_type);
                self.schema(schema.into(), &push_pointer(&media_pointer, "schema"));
            }
        }
    }

    fn parameter(&mut self, parameter: &openapiv3::ParameterData, pointer: &str) {
        match &parameter.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.schema(schema.into(), &push_pointer(pointer, "schema"))
            }
            ParameterSchemaOrContent::Content(content) => self.content(content, pointer),
        }
    }

    fn header(&mut self, header: &ReferenceOr<openapiv3::Header>, pointer: &str) {
        match header {
            ReferenceOr::Reference { reference } => {
                self.reference(
                    reference,
                    "headers",
                    |r, s| r.header(s).map(|_| ()),
                    pointer,
                );
            }
            ReferenceOr::Item(header) => match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schema(schema.into(), &push_pointer(pointer, "schema"))
                }
                ParameterSchemaOrContent::Content(content) => self.content(content, pointer),
            },
        }
    }

    fn response(&mut self, response: &ReferenceOr<openapiv3::Response>, pointer: &str) {
        match response {
            ReferenceOr::Reference { reference } => {
                self.reference(
                    reference,
                    "responses",
                    |r, s| r.response(s).map(|_| ()),
                    pointer,
                );
            }
            ReferenceOr::Item(response) => {
                let base = push_pointer(pointer, "headers");
                for (name, header) in &response.headers {
                    self.header(header, &push_pointer(&base, name));
                }
                self.content(&response.content, pointer);
            }
        }
    }

    fn components(&mut self, document: &OpenAPI) {
        let Some(components) = &document.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let pointer = push_pointer("/components/schemas", name);
            self.schema(schema.into(), &pointer);
        }
        for (name, parameter) in &components.parameters {
            let pointer = push_pointer("/components/parameters", name);
            match parameter {
                ReferenceOr::Reference { reference } => {
                    self.reference(
                        reference,
                        "parameters",
                        |r, s| r.parameter(s).map(|_| ()),
                        &pointer,
                    );
                }
                ReferenceOr::Item(parameter) => {
                    self.parameter(parameter.parameter_data_ref(), &pointer)
                }
            }
        }
        for (name, response) in &components.responses {
            self.response(response, &push_pointer("/components/responses", name));
        }
        for (name, body) in &components.request_bodies {
            let pointer = push_pointer("/components/requestBodies", name);
            match body {
                ReferenceOr::Reference { reference } => {
                    self.reference(
                        reference,
                        "requestBodies",
                        |r, s| r.request_body(s).map(|_| ()),
                        &pointer,
                    );
                }
                ReferenceOr::Item(body) => self.content(&body.content, &pointer),
            }
        }
        for (name, header) in &components.headers {
            self.header(header, &push_pointer("/components/headers", name));
        }
        for (name, scheme) in &components.security_schemes {
            if let ReferenceOr::Reference { .. } = scheme {
                self.diagnostics.error(
                    push_pointer("/components/securitySchemes", name),
                    "a security scheme given as a $ref is not supported; define it inline",
                );
            }
        }
    }

    fn paths(&mut self, document: &OpenAPI) {
        let scheme_names: BTreeSet<&str> = document
            .components
            .iter()
            .flat_map(|components| components.security_schemes.keys())
            .map(String::as_str)
            .collect();
        let mut operation_ids: HashMap<&str, String> = HashMap::new();
        // Templates that differ only in parameter names (`/a/{x}`, `/a/{y}`) are one path
        // (OpenAPI forbids them); paths that differ in text around parameters are told apart
        // at run time, most specific first.
        let mut routes: HashMap<(String, &str), String> = HashMap::new();
        if let Some(global) = &document.security {
            self.security(global, &scheme_names, "/security");
        }
        for (path, item) in document.paths.iter() {
            let path_pointer = push_pointer("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.diagnostics.error(
                        push_pointer(&path_pointer, "$ref"),
                        "a path item given as a $ref is not supported; define it inline",
                    );
                    continue;
                }
            };
            if !path.starts_with('/') {
                self.diagnostics.error(
                    path_pointer.clone(),
                    format!("path `{path}` must start with `/`"),
                );
            }
            let template_params = path_template_params(path);
            if template_params.iter().any(|name| name.is_empty()) {
                self.diagnostics.error(
                    path_pointer.clone(),
                    format!("malformed path template `{path}`"),
                );
            }
            let shared =
                self.parameters(&item.parameters, &push_pointer(&path_pointer, "parameters"));
            for (method, operation) in item.iter() {
                let pointer = push_pointer(&path_pointer, method);
                if let Some(first) = routes.get(&(template_shape(path), method)) {
                    self.diagnostics.error(
                        pointer.clone(),
                        format!("`{method} {path}` is the same template as #{first} with other parameter names, which OpenAPI forbids"),
                    );
                } else {
                    routes.insert((template_shape(path), method), pointer.clone());
                }
                if let Some(id) = &operation.operation_id {
                    if let Some(first) = operation_ids.get(id.as_str()) {
                        self.diagnostics.error(
                            push_pointer(&pointer, "operationId"),
                            format!("duplicate operationId `{id}`: already used at #{first}"),
                        );
                    } else {
                        operation_ids.insert(id, pointer.clone());
                    }
                }
                let own =
                    self.parameters(&operation.parameters, &push_pointer(&pointer, "parameters"));
                let mut declared: BTreeSet<&str> = BTreeSet::new();
                for (location_is_path, name) in shared.iter().chain(own.iter()) {
                    if *location_is_path {
                        declared.insert(name);
                    }
                }
                for name in &template_params {
                    if !name.is_empty() && !declared.contains(name.as_str()) {
                        self.diagnostics.error(
                            pointer.clone(),
                            format!("path parameter `{name}` of `{path}` is not declared in `parameters`"),
                        );
                    }
                }
                for name in declared {
                    if !template_params.iter().any(|p| p == name) {
                        self.diagnostics.error(
                            push_pointer(&pointer, "parameters"),
                            format!("path parameter `{name}` does not appear in the path template `{path}`"),
                        );
                    }
                }
                if let Some(body) = &operation.request_body {
                    let body_pointer = push_pointer(&pointer, "requestBody");
                    match body {
                        ReferenceOr::Reference { reference } => {
                            self.reference(
                                reference,
                                "requestBodies",
                                |r, s| r.request_body(s).map(|_| ()),
                                &body_pointer,
                            );
                        }
                        ReferenceOr::Item(body) => self.content(&body.content, &body_pointer),
                    }
                }
                let responses_pointer = push_pointer(&pointer, "responses");
                if let Some(default) = &operation.responses.default {
                    self.response(default, &push_pointer(&responses_pointer, "default"));
                }
                for (status, response) in &operation.responses.responses {
                    self.response(
                        response,
                        &push_pointer(&responses_pointer, &status.to_string()),
                    );
                }
                if let Some(security) = &operation.security {
                    self.security(security, &scheme_names, &push_pointer(&pointer, "security"));
                }
            }
        }
    }

    /// Checks a parameter list; returns (is path parameter, name) for each that resolved.
    fn parameters(
        &mut self,
        parameters: &[ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        for (index, parameter) in parameters.iter().enumerate() {
            let pointer = push_pointer(pointer, &index.to_string());
            let parameter = match parameter {
                ReferenceOr::Item(parameter) => parameter,
                ReferenceOr::Reference { reference } => {
                    match self.reference(reference, "parameters", |r, s| r.parameter(s), &pointer) {
                        Some((_, parameter)) => parameter,
                        None => continue,
                    }
                }
            };
            let data = parameter.parameter_data_ref();
            let is_path = matches!(parameter, Parameter::Path { .. });
            if is_path && !data.required {
                self.diagnostics.error(
                    push_pointer(&pointer, "required"),
                    format!("path parameter `{}` must have `required: true`", data.name),
                );
            }
            self.parameter(data, &pointer);
            out.push((is_path, data.name.clone()));
        }
        out
    }

    fn security(
        &mut self,
        requirements: &[openapiv3::SecurityRequirement],
        known: &BTreeSet<&str>,
        pointer: &str,
    ) {
        for (index, requirement) in requirements.iter().enumerate() {
            for name in requirement.keys() {
                if !known.contains(name.as_str()) {
                    self.diagnostics.error(
                        push_pointer(&push_pointer(pointer, &index.to_string()), name),
                        format!("security requirement names `{name}`, which is not in components/securitySchemes"),
                    );
                }
            }
        }
    }
}

/// The axum route for a spec path: each segment holding parameters becomes one capture named
/// by its position (`/repos/{owner}` is `/repos/{s2}`), so that templates naming the same
/// position differently share one route tree.
pub fn route_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(index, segment)| {
            if segment.contains('{') {
                format!("{{s{index}}}")
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A template with its parameter names erased: `/a/{x}.json` is `/a/{}.json`.
fn template_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `{name}` placeholders of a path template, in order.
pub fn path_template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            out.push(String::new());
            break;
        };
        out.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}
