//! Resolve and validate: the one `$ref` helper (local references into any part of the
//! document), and a walk over the whole document that reports, all together and located,
//! everything lowering relies on: dangling references, keywords of the wrong type, unknown
//! parameter locations and security schemes, ambiguous paths. The schema-level defects real
//! specs carry are reported here as repairs (warnings, errors under `--strict`) and read by
//! the schema view and [`Resolver::schema`] the same way everywhere.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::diagnostics::Trail;
use crate::diagnostics::{Diagnostics, push_pointer, unescape_token};
use crate::document::role::Role;
use crate::document::schema::JsonType;
use crate::document::{Dialect, Document, Method, Obj};
use crate::ir::PathTemplate;
use crate::load::bundle::percent_decode;

/// What a `$ref` lookup failed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefError {
    /// Not `#/...` (other files are brought in by `load`; this one could not be).
    NotLocal,
    Dangling,
    Cycle,
}

impl RefError {
    pub fn describe(self, reference: &str) -> String {
        match self {
            RefError::NotLocal => format!(
                "unsupported $ref `{reference}`: only references to other files (`./x.yaml#/...`) and into this document (`#/...`) are read"
            ),
            RefError::Dangling => {
                format!("dangling $ref `{reference}`: the document has nothing there")
            }
            RefError::Cycle => {
                format!("$ref `{reference}` leads back to itself without naming anything")
            }
        }
    }
}

/// A schema a reference names, and what kind of object it was found in.
#[derive(Debug, Clone)]
pub struct SchemaTarget<'a> {
    /// The pointer of the schema itself (inside the response, say, for a repaired reference).
    pub pointer: String,
    pub value: &'a Value,
    /// Set when the reference named a response, parameter, header, media type or request
    /// body where a schema belongs, and its schema is used instead.
    pub repaired_from: Option<Role>,
}

/// Follows local references in one document.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    root: &'a Value,
    dialect: Dialect,
}

/// The pointer a local `$ref` names (`#/a/b` is `/a/b`, percent-decoded).
pub fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    Some(percent_decode(fragment))
}

/// The name of the component at `pointer`, when it is one (`/components/schemas/Pet`).
pub fn component_name(pointer: &str, section: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    (!name.contains('/')).then(|| unescape_token(name))
}

/// The role of the node at a pointer, from the document's structure.
pub fn role_at(pointer: &str, dialect: Dialect) -> Role {
    pointer
        .split('/')
        .skip(1)
        .fold(Role::Document, |role, token| {
            role.child(&unescape_token(token), dialect)
        })
}

impl<'a> Resolver<'a> {
    pub fn new(document: &'a Document) -> Self {
        Self {
            root: &document.root,
            dialect: document.dialect,
        }
    }

    /// One hop: the node a reference names.
    pub fn target(&self, reference: &str) -> Result<(String, &'a Value), RefError> {
        let pointer = ref_pointer(reference).ok_or(RefError::NotLocal)?;
        let value = self.root.pointer(&pointer).ok_or(RefError::Dangling)?;
        Ok((pointer, value))
    }

    /// Follows references to references to the object they end at.
    pub fn follow(&self, reference: &str) -> Result<(String, &'a Value), RefError> {
        let mut current = reference.to_string();
        for _ in 0..64 {
            let (pointer, value) = self.target(&current)?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(next) => current = next.to_string(),
                None => return Ok((pointer, value)),
            }
        }
        Err(RefError::Cycle)
    }

    /// An object, or the object a reference in its place names, with its pointer.
    pub fn object(&self, value: &'a Value, pointer: &str) -> Option<(Obj<'a>, String)> {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let (pointer, value) = self.follow(reference).ok()?;
                Some((Obj::of(value)?, pointer))
            }
            None => Some((Obj::of(value)?, pointer.to_string())),
        }
    }

    /// What a schema reference names (one hop: each component is a type of its own). A
    /// response, parameter, header, media type or request body where a schema belongs is read
    /// as its schema.
    pub fn schema(&self, reference: &str) -> Result<SchemaTarget<'a>, RefError> {
        let (pointer, value) = self.target(reference)?;
        let role = role_at(&pointer, self.dialect);
        let inner = match role {
            Role::Response | Role::RequestBody | Role::Parameter | Role::Header => {
                self.schema_of_object(value, &pointer)
            }
            Role::MediaType => value
                .get("schema")
                .map(|schema| (push_pointer(&pointer, "schema"), schema)),
            _ => None,
        };
        Ok(match inner {
            Some((pointer, value)) => SchemaTarget {
                pointer,
                value,
                repaired_from: Some(role),
            },
            None => SchemaTarget {
                pointer,
                value,
                repaired_from: None,
            },
        })
    }

    /// The schema of a response, request body, parameter or header (its own, or its first
    /// media type's).
    fn schema_of_object(&self, value: &'a Value, pointer: &str) -> Option<(String, &'a Value)> {
        let (object, pointer) = self.object(value, pointer)?;
        if let Some(schema) = object.value("schema") {
            return Some((push_pointer(&pointer, "schema"), schema));
        }
        let (media_type, media) = object.entries("content").next()?;
        let schema = media.get("schema")?;
        Some((
            push_pointer(
                &push_pointer(&push_pointer(&pointer, "content"), media_type),
                "schema",
            ),
            schema,
        ))
    }
}

/// A `oneOf`/`anyOf` whose discriminator picks one member by a tag property.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminated {
    pub property: String,
    /// Every tag with the component it selects: the mapping's, and for a member the mapping
    /// does not name, the component's own name.
    pub tags: Vec<(String, String)>,
}

impl Resolver<'_> {
    /// How a discriminated union dispatches, decided once for the types and the contract
    /// alike: only where every member (but the "or null" ones) is a reference to a component.
    /// `None` otherwise, and then the members are tried in order.
    pub fn discriminated(&self, schema: &crate::document::Schema<'_>) -> Option<Discriminated> {
        let (property, mapping) = schema.discriminator()?;
        let members = if schema.one_of().is_empty() {
            schema.any_of()
        } else {
            schema.one_of()
        };
        let mut components = Vec::new();
        for member in members {
            match crate::document::SchemaUse::of(member, schema.json_schema)? {
                crate::document::SchemaUse::Inline(inline) if inline.is_null_only() => continue,
                crate::document::SchemaUse::Ref { reference, .. } => {
                    let target = self.schema(reference).ok()?;
                    components.push(component_name(&target.pointer, "schemas")?);
                }
                _ => return None,
            }
        }
        if components.is_empty() {
            return None;
        }
        let mut tags = Vec::new();
        let mut mapped = BTreeSet::new();
        for (tag, target) in mapping {
            if let Ok(found) = self.schema(&mapping_reference(target))
                && let Some(component) = component_name(&found.pointer, "schemas")
                && components.contains(&component)
            {
                mapped.insert(component.clone());
                tags.push((tag.to_string(), component));
            }
        }
        for component in components {
            if !mapped.contains(&component) && !tags.iter().any(|(_, known)| *known == component) {
                tags.push((component.clone(), component));
            }
        }
        Some(Discriminated {
            property: property.to_string(),
            tags,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// Checks what lowering relies on and reports every problem found.
pub fn validate(document: &Document, diagnostics: &mut Diagnostics) {
    let scheme_names: BTreeSet<String> = document
        .components("securitySchemes")
        .map(|(name, _)| name.to_string())
        .collect();
    let mut walk = Walk {
        document,
        resolver: Resolver::new(document),
        diagnostics,
        scheme_names,
    };
    walk.document();
}

struct Walk<'a, 'd> {
    document: &'a Document,
    resolver: Resolver<'a>,
    diagnostics: &'d mut Diagnostics,
    scheme_names: BTreeSet<String>,
}

/// The JSON type a value has, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    String,
    Bool,
    Number,
    Array,
    Object,
    /// A schema: a mapping, or (3.1) a boolean.
    Schema,
    /// A schema or a boolean in every dialect (`additionalProperties`).
    SchemaOrBool,
}

impl Expect {
    fn accepts(self, value: &Value, json_schema: bool) -> bool {
        match self {
            Expect::String => value.is_string(),
            Expect::Bool => value.is_boolean(),
            Expect::Number => value.is_number(),
            Expect::Array => value.is_array(),
            Expect::Object => value.is_object(),
            Expect::Schema => value.is_object() || (json_schema && value.is_boolean()),
            Expect::SchemaOrBool => value.is_object() || value.is_boolean(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Expect::String => "a string",
            Expect::Bool => "a boolean",
            Expect::Number => "a number",
            Expect::Array => "a list",
            Expect::Object => "a mapping",
            Expect::Schema => "a schema (a mapping)",
            Expect::SchemaOrBool => "a schema (a mapping) or a boolean",
        }
    }
}

/// The JSON type a fixed field must have, where lowering reads it.
fn expected(role: Role, key: &str) -> Option<Expect> {
    use Expect::*;
    Some(match (role, key) {
        (Role::Info, "title" | "version") => String,
        (Role::Server, "url") => String,
        (Role::PathItem, "parameters") => Array,
        (Role::Operation, "operationId" | "summary") => String,
        (Role::Operation, "tags" | "parameters" | "security") => Array,
        (Role::Operation, "responses" | "requestBody" | "callbacks") => Object,
        (Role::Operation, "deprecated") => Bool,
        (Role::Parameter, "name" | "in" | "style") => String,
        (Role::Parameter, "required" | "explode" | "deprecated" | "allowReserved") => Bool,
        (Role::Parameter, "content") => Object,
        (Role::RequestBody, "content") => Object,
        (Role::RequestBody, "required") => Bool,
        (Role::Response, "content" | "headers" | "links") => Object,
        (Role::Header, "required" | "deprecated") => Bool,
        (Role::SecurityScheme, "type" | "scheme" | "name" | "in" | "openIdConnectUrl") => String,
        (Role::Schema, "properties" | "patternProperties" | "$defs" | "dependentRequired") => {
            Object
        }
        (Role::Schema, "required") => Array,
        (Role::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => Array,
        (Role::Schema, "enum") => Array,
        (Role::Schema, "additionalProperties") => SchemaOrBool,
        // `items` and `additionalItems` also have older list and boolean forms.
        (Role::Schema, "items" | "additionalItems") => return None,
        (Role::Schema, key) if crate::document::role::is_subschema_keyword(key) => Schema,
        (Role::Schema, "format" | "pattern" | "title" | "$ref") => String,
        (Role::Schema, "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems") => {
            Bool
        }
        (
            Role::Schema,
            "minimum" | "maximum" | "multipleOf" | "minLength" | "maxLength" | "minItems"
            | "maxItems" | "minProperties" | "maxProperties",
        ) => Number,
        _ => return None,
    })
}

impl<'a> Walk<'a, '_> {
    fn json_schema(&self) -> bool {
        self.document.dialect.json_schema()
    }

    fn dialect(&self) -> Dialect {
        self.document.dialect
    }

    fn document(&mut self) {
        let root = &self.document.root;
        let at = Trail::root();
        let object = self.document.root();
        if object.value("info").is_none() {
            self.diagnostics.repair(
                "/info",
                "the document has no `info`",
                "the API is named `API`, version `0`",
            );
        }
        if object.value("paths").is_none()
            && object.value("webhooks").is_none()
            && self.dialect() == Dialect::OpenApi30
        {
            self.diagnostics.repair(
                "/paths",
                "an OpenAPI 3.0 document needs `paths`",
                "read as having no operations",
            );
        }
        if let Some(dialect) = object.str("jsonSchemaDialect")
            && !dialect.starts_with("https://spec.openapis.org/oas/3.")
            && !dialect.starts_with("https://json-schema.org/draft/2020-12/")
        {
            self.diagnostics.repair(
                "/jsonSchemaDialect",
                &format!("schemas are declared in the dialect `{dialect}`, which this generator does not know"),
                "read as JSON Schema 2020-12 with OpenAPI's vocabulary",
            );
        }
        self.node(root, Role::Document, &at);
        self.paths();
        if let Some(global) = object.value("security") {
            self.security(global, "/security");
        }
    }

    /// Visits one node and everything below it.
    fn node(&mut self, value: &'a Value, role: Role, at: &Trail<'_>) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    if role == Role::Schema {
                        self.schema_reference(reference, map, at);
                    } else if !matches!(role, Role::Data | Role::Other | Role::Text) {
                        self.reference(reference, role, at);
                        // Siblings of a non-schema reference are ignored (3.1 allows
                        // `summary`/`description`); nothing under them is read.
                        return;
                    }
                }
                if role == Role::Schema {
                    self.schema_keywords(map, at);
                }
                for (key, child) in map {
                    let child_role = role.child(key, self.dialect());
                    if child_role == Role::Data {
                        continue;
                    }
                    let child_at = at.key(key);
                    let expect = if child_role == Role::Text {
                        Some(Expect::String)
                    } else {
                        expected(role, key)
                    };
                    if let Some(expect) = expect
                        && !expect.accepts(child, self.json_schema())
                    {
                        self.diagnostics.error(
                            child_at.pointer(),
                            format!(
                                "`{key}` must be {}, not {}",
                                expect.describe(),
                                kind_of(child)
                            ),
                        );
                        continue;
                    }
                    // `additionalProperties: false` is OpenAPI 3.0 too.
                    if child.is_boolean()
                        && matches!(key.as_str(), "additionalProperties" | "additionalItems")
                    {
                        continue;
                    }
                    self.node(child, child_role, &child_at);
                }
                match role {
                    Role::Parameter => self.parameter(map, at),
                    Role::Response => self.response(map, at),
                    Role::SecurityScheme => self.security_scheme(map, at),
                    Role::Content => self.content(map, at),
                    _ => {}
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let child_role = role.child(&index.to_string(), self.dialect());
                    if child_role == Role::Data {
                        continue;
                    }
                    let child_at = at.index(index);
                    if child_role == Role::Schema
                        && !Expect::Schema.accepts(child, self.json_schema())
                    {
                        self.diagnostics.error(
                            child_at.pointer(),
                            format!("a schema must be a mapping, not {}", kind_of(child)),
                        );
                        continue;
                    }
                    self.node(child, child_role, &child_at);
                }
            }
            // Kept as its own arm: a boolean schema under 3.1 must not reach the next one.
            #[allow(clippy::collapsible_match)]
            Value::Bool(_) if role == Role::Schema => {
                if !self.json_schema() {
                    self.diagnostics.error(
                        at.pointer(),
                        "a boolean schema needs OpenAPI 3.1 or later; write `{}` (anything) or `{not: {}}` (nothing)",
                    );
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)
                if matches!(
                    role,
                    Role::Schema
                        | Role::Parameter
                        | Role::Response
                        | Role::Operation
                        | Role::PathItem
                        | Role::RequestBody
                        | Role::Header
                        | Role::MediaType
                ) =>
            {
                self.diagnostics.error(
                    at.pointer(),
                    format!("expected a mapping here, not {}", kind_of(value)),
                );
            }
            _ => {}
        }
    }

    /// A `$ref` where a parameter, response, path item… stands.
    fn reference(&mut self, reference: &Value, role: Role, at: &Trail<'_>) {
        let pointer = || push_pointer(&at.pointer(), "$ref");
        let Some(reference) = reference.as_str() else {
            self.diagnostics.error(pointer(), "`$ref` must be a string");
            return;
        };
        match self.resolver.follow(reference) {
            Ok((target, _)) => {
                let found = role_at(&target, self.dialect());
                if found != role && !matches!(found, Role::Other | Role::Data) {
                    self.diagnostics.error(
                        pointer(),
                        format!(
                            "$ref `{reference}` names {}, where {} belongs",
                            describe_role(found),
                            describe_role(role)
                        ),
                    );
                }
            }
            // A reference to another file that is still here could not be brought in, and
            // the bundler said why.
            Err(RefError::NotLocal) if !reference.starts_with('#') => {}
            Err(err) => self.diagnostics.error(pointer(), err.describe(reference)),
        }
    }

    fn schema_reference(
        &mut self,
        reference: &Value,
        map: &serde_json::Map<String, Value>,
        at: &Trail<'_>,
    ) {
        let pointer = || push_pointer(&at.pointer(), "$ref");
        let Some(reference) = reference.as_str() else {
            self.diagnostics.error(pointer(), "`$ref` must be a string");
            return;
        };
        match self.resolver.schema(reference) {
            Ok(target) => {
                if let Some(role) = target.repaired_from {
                    self.diagnostics.repair(
                        pointer(),
                        &format!(
                            "$ref `{reference}` names {} where a schema belongs",
                            describe_role(role)
                        ),
                        &format!("its schema (#{}) is used", target.pointer),
                    );
                } else if !Expect::Schema.accepts(target.value, self.json_schema()) {
                    self.diagnostics.error(
                        pointer(),
                        format!(
                            "$ref `{reference}` names {}, not a schema",
                            kind_of(target.value)
                        ),
                    );
                }
            }
            Err(RefError::NotLocal) if !reference.starts_with('#') => {}
            Err(err) => self.diagnostics.error(pointer(), err.describe(reference)),
        }
        // In 3.0, keywords beside `$ref` are ignored by the specification; real specs mean
        // them, so they are read (as an `allOf`) with a warning.
        if !self.json_schema() && !crate::document::schema::annotates_only(map) {
            let siblings: Vec<&str> = map
                .keys()
                .map(String::as_str)
                .filter(|key| *key != "$ref" && !key.starts_with("x-"))
                .collect();
            self.diagnostics.repair(
                at.pointer(),
                &format!(
                    "keywords beside `$ref` ({}) are ignored by OpenAPI 3.0",
                    siblings.join(", ")
                ),
                "read as `allOf` of the reference and them",
            );
        }
    }

    fn schema_keywords(&mut self, map: &serde_json::Map<String, Value>, at: &Trail<'_>) {
        if let Some(ty) = map.get("type") {
            let listed = ty.is_array();
            let names: Vec<&Value> = match ty {
                Value::Array(names) => {
                    if !self.json_schema() {
                        self.diagnostics.repair(
                            push_pointer(&at.pointer(), "type"),
                            "a list of types needs OpenAPI 3.1",
                            "read as JSON Schema 2020-12 would",
                        );
                    }
                    names.iter().collect()
                }
                other => vec![other],
            };
            for name in names {
                match name.as_str() {
                    Some("file") => self.diagnostics.repair(
                        push_pointer(&at.pointer(), "type"),
                        "`type: file` is Swagger 2.0",
                        "read as a binary string",
                    ),
                    Some("null") if !self.json_schema() && !listed => self.diagnostics.repair(
                        push_pointer(&at.pointer(), "type"),
                        "`type: null` needs OpenAPI 3.1",
                        "read as `nullable: true`",
                    ),
                    Some(known) if JsonType::parse(known).is_some() => {}
                    Some(other) => self.diagnostics.error(
                        push_pointer(&at.pointer(), "type"),
                        format!("unknown schema type `{other}` (JSON Schema has string, number, integer, boolean, array, object and null)"),
                    ),
                    None => self.diagnostics.error(
                        push_pointer(&at.pointer(), "type"),
                        format!("`type` must name a type, not {}", kind_of(name)),
                    ),
                }
            }
        }
        if self.json_schema() && map.get("nullable") == Some(&Value::Bool(true)) {
            self.diagnostics.repair(
                push_pointer(&at.pointer(), "nullable"),
                "`nullable` is OpenAPI 3.0; 3.1 writes `type: [..., \"null\"]`",
                "read as allowing null",
            );
        }
        if let Some(Value::Array(values)) = map.get("enum")
            && values.is_empty()
        {
            self.diagnostics.repair(
                push_pointer(&at.pointer(), "enum"),
                "`enum: []` allows no value at all",
                "read as no constraint",
            );
        }
        if let Some(Value::Array(required)) = map.get("required")
            && let Some(bad) = required.iter().find(|name| !name.is_string())
        {
            self.diagnostics.error(
                push_pointer(&at.pointer(), "required"),
                format!("`required` lists property names, not {}", kind_of(bad)),
            );
        }
        if let Some(Value::Object(discriminator)) = map.get("discriminator") {
            for (tag, target) in discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let Some(target) = target.as_str() else {
                    continue;
                };
                let reference = mapping_reference(target);
                if let Err(err) = self.resolver.schema(&reference) {
                    self.diagnostics.error(
                        push_pointer(
                            &push_pointer(&push_pointer(&at.pointer(), "discriminator"), "mapping"),
                            tag,
                        ),
                        err.describe(target),
                    );
                }
            }
        }
    }

    fn parameter(&mut self, map: &serde_json::Map<String, Value>, at: &Trail<'_>) {
        if map.contains_key("$ref") {
            return;
        }
        let name = map.get("name").and_then(Value::as_str);
        if name.is_none() {
            self.diagnostics
                .error(at.pointer(), "a parameter needs a `name`");
        }
        let location = map.get("in").and_then(Value::as_str);
        match location {
            Some("path" | "query" | "header" | "cookie") => {}
            Some("querystring") if self.dialect() >= Dialect::OpenApi32 => {}
            Some("body" | "formData") => self.diagnostics.error(
                push_pointer(&at.pointer(), "in"),
                format!(
                    "`in: {}` is Swagger 2.0; OpenAPI 3 has `requestBody`",
                    location.unwrap_or_default()
                ),
            ),
            Some(other) => self.diagnostics.error(
                push_pointer(&at.pointer(), "in"),
                format!("unknown parameter location `{other}` (path, query, header or cookie)"),
            ),
            None => self
                .diagnostics
                .error(at.pointer(), "a parameter needs `in`"),
        }
        if let (Some(style), Some(location)) = (map.get("style").and_then(Value::as_str), location)
        {
            let allowed: &[&str] = match location {
                "path" => &["simple", "label", "matrix"],
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                "cookie" => &["form", "cookie"],
                _ => &[],
            };
            if !allowed.is_empty() && !allowed.contains(&style) {
                self.diagnostics.error(
                    push_pointer(&at.pointer(), "style"),
                    format!(
                        "style `{style}` is not allowed for a {location} parameter (allowed: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        match (
            map.get("schema"),
            map.get("content").and_then(Value::as_object),
        ) {
            (Some(_), Some(_)) => self.diagnostics.error(
                at.pointer(),
                "a parameter has either `schema` or `content`, not both",
            ),
            (None, Some(content)) if content.len() != 1 => self.diagnostics.error(
                push_pointer(&at.pointer(), "content"),
                format!(
                    "a parameter's `content` names exactly one media type, not {}",
                    content.len()
                ),
            ),
            _ => {}
        }
    }

    fn response(&mut self, map: &serde_json::Map<String, Value>, at: &Trail<'_>) {
        if map.contains_key("$ref") {
            return;
        }
        if !map.contains_key("description") && !self.json_schema_allows_no_description() {
            self.diagnostics.repair(
                at.pointer(),
                "a response needs a `description`",
                "read as having none",
            );
        }
    }

    /// 3.2 makes a response's description optional.
    fn json_schema_allows_no_description(&self) -> bool {
        self.dialect() >= Dialect::OpenApi32
    }

    fn content(&mut self, map: &serde_json::Map<String, Value>, at: &Trail<'_>) {
        for media_type in map.keys() {
            if contract_wire::media::essence(media_type).is_none() {
                self.diagnostics.error(
                    push_pointer(&at.pointer(), media_type),
                    format!("`{media_type}` is not a media type (type/subtype)"),
                );
            }
        }
    }

    fn security_scheme(&mut self, map: &serde_json::Map<String, Value>, at: &Trail<'_>) {
        if map.contains_key("$ref") {
            return;
        }
        let pointer = at.pointer();
        match map.get("type").and_then(Value::as_str) {
            Some("apiKey") => {
                if !map.get("name").is_some_and(Value::is_string) {
                    self.diagnostics.error(pointer.clone(), "an `apiKey` scheme needs `name`");
                }
                match map.get("in").and_then(Value::as_str) {
                    Some("header" | "query" | "cookie") => {}
                    other => self.diagnostics.error(
                        push_pointer(&pointer, "in"),
                        format!("an `apiKey` scheme is `in` header, query or cookie, not {}", other.map_or("nothing".to_string(), |o| format!("`{o}`"))),
                    ),
                }
            }
            Some("http") => {
                match map.get("scheme").and_then(Value::as_str) {
                    Some(scheme) if !scheme.trim().is_empty() => {
                        if !crate::document::Method::is_token(scheme.trim()) {
                            self.diagnostics.error(
                                push_pointer(&pointer, "scheme"),
                                format!("`{scheme}` is not an HTTP authentication scheme name"),
                            );
                        }
                    }
                    _ => self
                        .diagnostics
                        .error(pointer.clone(), "an `http` scheme needs `scheme` (such as bearer or basic)"),
                }
            }
            Some("oauth2" | "openIdConnect") => {}
            Some("mutualTLS") if self.json_schema() => {}
            Some(other) => self.diagnostics.error(
                push_pointer(&pointer, "type"),
                format!("unknown security scheme type `{other}` (apiKey, http, oauth2, openIdConnect{})", if self.json_schema() { ", mutualTLS" } else { "" }),
            ),
            None => self.diagnostics.error(pointer, "a security scheme needs `type`"),
        }
    }

    fn paths(&mut self) {
        let document = self.document;
        // Templates that differ only in parameter names (`/a/{x}`, `/a/{y}`) are one path
        // (OpenAPI forbids them); paths that differ in text around parameters are told
        // apart at run time, most specific first.
        let mut routes: HashMap<(String, Method), String> = HashMap::new();
        for (path, item) in document.paths() {
            let path_pointer = push_pointer("/paths", path);
            let Some((item, _)) = self.resolver.object(item, &path_pointer) else {
                continue;
            };
            if PathTemplate::parse(path).is_err() {
                self.diagnostics.error(
                    path_pointer.clone(),
                    format!("malformed path template `{path}`: each `{{` needs a name and a closing `}}`"),
                );
                continue;
            }
            let shape = PathTemplate::parse(path)
                .map(|t| t.shape())
                .unwrap_or_default();
            for (method, operation, pointer) in document.operations(item, &path_pointer) {
                if let Method::Other(name) = &method
                    && !Method::is_token(name)
                {
                    self.diagnostics.error(
                        pointer.clone(),
                        format!("`{name}` is not an HTTP method name"),
                    );
                }
                if let Some(first) = routes.get(&(shape.clone(), method.clone())) {
                    self.diagnostics.error(
                        pointer.clone(),
                        format!(
                            "`{} {path}` is the same template as #{first} with other parameter names, which OpenAPI forbids",
                            method.as_str()
                        ),
                    );
                } else {
                    routes.insert((shape.clone(), method.clone()), pointer.clone());
                }
                if let Some(security) = operation.value("security") {
                    self.security(security, &push_pointer(&pointer, "security"));
                }
            }
        }
        for (name, item) in document.webhooks() {
            let item_pointer = push_pointer("/webhooks", name);
            let Some((item, _)) = self.resolver.object(item, &item_pointer) else {
                continue;
            };
            for (_, operation, pointer) in document.operations(item, &item_pointer) {
                if let Some(security) = operation.value("security") {
                    self.security(security, &push_pointer(&pointer, "security"));
                }
            }
        }
    }

    fn security(&mut self, requirements: &Value, pointer: &str) {
        let Some(requirements) = requirements.as_array() else {
            return;
        };
        for (index, requirement) in requirements.iter().enumerate() {
            let Some(requirement) = requirement.as_object() else {
                self.diagnostics.error(
                    push_pointer(pointer, &index.to_string()),
                    "a security requirement is a mapping of scheme names to scopes",
                );
                continue;
            };
            for name in requirement.keys() {
                if !self.scheme_names.contains(name) {
                    self.diagnostics.error(
                        push_pointer(&push_pointer(pointer, &index.to_string()), name),
                        format!("security requirement names `{name}`, which is not in components/securitySchemes"),
                    );
                }
            }
        }
    }
}

/// A discriminator mapping value: a `$ref`, or a bare schema name.
pub fn mapping_reference(target: &str) -> String {
    if target.starts_with('#') {
        target.to_string()
    } else {
        format!(
            "#/components/schemas/{}",
            crate::load::bundle::escape_fragment(&target.replace('~', "~0").replace('/', "~1"))
        )
    }
}

fn describe_role(role: Role) -> &'static str {
    match role {
        Role::Schema => "a schema",
        Role::Parameter => "a parameter",
        Role::Response => "a response",
        Role::RequestBody => "a request body",
        Role::Header => "a header",
        Role::MediaType => "a media type",
        Role::PathItem => "a path item",
        Role::Operation => "an operation",
        Role::Example => "an example",
        Role::Link => "a link",
        Role::SecurityScheme => "a security scheme",
        Role::Content => "a content map",
        _ => "something else",
    }
}
