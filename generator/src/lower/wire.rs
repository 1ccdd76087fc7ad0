//! The wire contract: what may cross the wire for each operation, with every schema in JSON
//! Schema (draft 2020-12), for the runtime's validation layer and conformance kit.
//!
//! OpenAPI 3.0 schemas are not quite JSON Schema, so they are translated here, once:
//! `nullable` becomes a `null` type (or an `anyOf` with `null`); boolean `exclusiveMinimum`
//! and `exclusiveMaximum` become the numeric keywords; a `readOnly` property must not be
//! sent in a request and a `writeOnly` one must not come back in a response (neither is
//! required in that direction); a discriminator dispatches on its tag instead of "exactly one
//! of"; `int32` and `int64` become bounds. Component schemas whose translation depends on the
//! direction (they hold, or refer to, `readOnly`/`writeOnly` properties) get one definition
//! per direction; the rest are shared.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::resolve::{Resolver, split_ref, unescape_token};

/// Which side of an exchange a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

impl Direction {
    fn suffix(self) -> &'static str {
        match self {
            Direction::Request => "@request",
            Direction::Response => "@response",
        }
    }

    /// The keyword marking properties that must not appear in this direction.
    fn forbidden(self) -> &'static str {
        match self {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        }
    }
}

/// Builds the wire contract of a validated document.
pub fn wire_contract(document: &OpenAPI) -> Value {
    let translator = Translator::new(document);
    let resolver = Resolver::new(document);
    let global_security = document.security.as_ref();

    let mut operations = Vec::new();
    for (path, item) in document.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let mut parameters: Vec<Value> = Vec::new();
            // Operation parameters override path-item ones with the same name and location.
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                let Some(parameter) = resolve(parameter, |r| resolver.parameter(r)) else {
                    continue;
                };
                let wire = translator.parameter(&to_value(parameter));
                parameters.retain(|existing| {
                    existing["name"] != wire["name"] || existing["in"] != wire["in"]
                });
                parameters.push(wire);
            }
            let request_body = operation
                .request_body
                .as_ref()
                .and_then(|body| resolve(body, |r| resolver.request_body(r)))
                .map(|body| {
                    json!({
                        "required": body.required,
                        "content": translator.content(&to_value(&body.content), Direction::Request),
                    })
                });
            let mut responses = Vec::new();
            let statuses = operation
                .responses
                .responses
                .iter()
                .map(|(status, response)| (status.to_string(), response))
                .chain(
                    operation
                        .responses
                        .default
                        .iter()
                        .map(|response| ("default".to_string(), response)),
                );
            for (status, response) in statuses {
                let Some(response) = resolve(response, |r| resolver.response(r)) else {
                    continue;
                };
                let mut headers = Vec::new();
                for (name, header) in &response.headers {
                    let Some(header) = resolve(header, |r| resolver.header(r)) else {
                        continue;
                    };
                    let header = to_value(header);
                    headers.push(json!({
                        "name": name,
                        "required": header.get("required").cloned().unwrap_or(Value::Bool(false)),
                        "schema": translator.parameter_schema(&header, Direction::Response),
                    }));
                }
                responses.push(json!({
                    "status": status,
                    "headers": headers,
                    "content": translator.content(&to_value(&response.content), Direction::Response),
                }));
            }
            let security = operation.security.as_ref().or(global_security);
            let security: Vec<Vec<&String>> = security
                .map(|alternatives| {
                    alternatives
                        .iter()
                        .map(|requirement| requirement.keys().collect())
                        .collect()
                })
                .unwrap_or_default();
            operations.push(json!({
                "id": operation
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {path}", method.to_ascii_uppercase())),
                "method": method.to_ascii_uppercase(),
                "path": path,
                "security": security,
                "parameters": parameters,
                "request_body": request_body,
                "responses": responses,
            }));
        }
    }

    let security_schemes: Map<String, Value> = document
        .components
        .iter()
        .flat_map(|components| &components.security_schemes)
        .filter_map(|(name, scheme)| match scheme {
            ReferenceOr::Item(scheme) => Some((name.clone(), security_scheme(&to_value(scheme)))),
            ReferenceOr::Reference { .. } => None,
        })
        .collect();

    json!({
        "title": document.info.title,
        "version": document.info.version,
        "servers": document.servers.iter().map(|server| &server.url).collect::<Vec<_>>(),
        "security_schemes": security_schemes,
        "operations": operations,
        "$defs": translator.definitions(),
    })
}

fn to_value(value: &impl Serialize) -> Value {
    // openapiv3's types serialise to plain JSON; nothing in them can fail to.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn resolve<'a, T, E>(
    item: &'a ReferenceOr<T>,
    lookup: impl Fn(&str) -> Result<(String, &'a T), E>,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => lookup(reference).ok().map(|(_, item)| item),
    }
}

/// Only what a client or validator needs to place a credential.
fn security_scheme(scheme: &Value) -> Value {
    let mut out = Map::new();
    for key in ["type", "in", "name", "scheme"] {
        if let Some(value) = scheme.get(key) {
            let value = match (key, value) {
                // HTTP auth scheme names are case-insensitive.
                ("scheme", Value::String(text)) => Value::String(text.to_ascii_lowercase()),
                _ => value.clone(),
            };
            out.insert(key.to_string(), value);
        }
    }
    Value::Object(out)
}

/// Translates OpenAPI schemas, knowing which components need a definition per direction.
struct Translator {
    /// Component schemas as OpenAPI JSON, by name.
    components: BTreeMap<String, Value>,
    /// Components whose translation differs between requests and responses.
    split: BTreeSet<String>,
}

impl Translator {
    fn new(document: &OpenAPI) -> Self {
        let components: BTreeMap<String, Value> = document
            .components
            .iter()
            .flat_map(|components| &components.schemas)
            .map(|(name, schema)| (name.clone(), to_value(schema)))
            .collect();
        // A component is split when it marks something readOnly or writeOnly itself, or
        // refers (transitively) to a component that does.
        let mut references: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut split: BTreeSet<String> = BTreeSet::new();
        for (name, schema) in &components {
            let mut found = BTreeSet::new();
            collect_refs(schema, &mut found);
            references.insert(name, found);
            if marks_direction(schema) {
                split.insert(name.clone());
            }
        }
        loop {
            let before = split.len();
            for (name, refs) in &references {
                if !split.contains(*name) && refs.iter().any(|target| split.contains(target)) {
                    split.insert((*name).to_string());
                }
            }
            if split.len() == before {
                break;
            }
        }
        Self { components, split }
    }

    fn definitions(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, schema) in &self.components {
            if self.split.contains(name) {
                for direction in [Direction::Request, Direction::Response] {
                    out.insert(
                        format!("{name}{}", direction.suffix()),
                        self.schema(schema, direction),
                    );
                }
            } else {
                // Direction does not matter for it: any will do.
                out.insert(name.clone(), self.schema(schema, Direction::Request));
            }
        }
        out
    }

    fn reference(&self, name: &str, direction: Direction) -> Value {
        let key = if self.split.contains(name) {
            format!("{name}{}", direction.suffix())
        } else {
            name.to_string()
        };
        json!({ "$ref": format!("#/$defs/{}", fragment_token(&key)) })
    }

    /// A parameter as the runtime needs it: where, how encoded, and its schema.
    fn parameter(&self, parameter: &Value) -> Value {
        let location = parameter["in"].as_str().unwrap_or("query");
        let style = parameter
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(match location {
                "path" | "header" => "simple",
                _ => "form",
            });
        let explode = parameter
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let mut examples = Vec::new();
        if let Some(example) = parameter.get("example") {
            examples.push(example.clone());
        }
        examples.extend(example_values(parameter.get("examples")));
        let mut out = json!({
            "name": parameter["name"],
            "in": location,
            "required": parameter.get("required").cloned().unwrap_or(Value::Bool(false)),
            "style": style,
            "explode": explode,
            "schema": self.parameter_schema(parameter, Direction::Request),
            "examples": examples,
        });
        // A parameter given as `content` is serialised with that media type (JSON, in
        // practice) instead of a style.
        if let Some(media) = parameter
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.keys().next())
        {
            out["media_type"] = Value::String(media.clone());
        }
        out
    }

    fn parameter_schema(&self, parameter: &Value, direction: Direction) -> Value {
        let schema = parameter.get("schema").or_else(|| {
            parameter
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.values().next())
                .and_then(|media| media.get("schema"))
        });
        schema.map_or(json!({}), |schema| self.schema(schema, direction))
    }

    /// Media types in order, each with its schema and examples.
    fn content(&self, content: &Value, direction: Direction) -> Value {
        let Some(content) = content.as_object() else {
            return json!([]);
        };
        content
            .iter()
            .map(|(media_type, media)| {
                let mut examples = Vec::new();
                if let Some(example) = media.get("example") {
                    examples.push(example.clone());
                }
                examples.extend(example_values(media.get("examples")));
                if examples.is_empty()
                    && let Some(example) = media.get("schema").and_then(|s| s.get("example"))
                {
                    examples.push(example.clone());
                }
                json!({
                    "media_type": media_type,
                    "schema": media.get("schema").map_or(json!({}), |schema| self.schema(schema, direction)),
                    // Examples matter to the side that sends them: the kit sends requests.
                    "examples": if direction == Direction::Request { examples } else { Vec::new() },
                })
            })
            .collect()
    }

    fn is_forbidden(&self, property: &Value, direction: Direction) -> bool {
        let keyword = direction.forbidden();
        if property.get(keyword) == Some(&Value::Bool(true)) {
            return true;
        }
        // `$ref` to a component that is itself read- or write-only.
        property
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| split_ref(reference, "schemas"))
            .and_then(|token| self.components.get(&unescape_token(token)))
            .is_some_and(|target| target.get(keyword) == Some(&Value::Bool(true)))
    }

    fn schema(&self, schema: &Value, direction: Direction) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            // Validation has refused every other kind of reference; siblings of `$ref` are
            // ignored in OpenAPI 3.0.
            return match split_ref(reference, "schemas") {
                Some(token) => self.reference(&unescape_token(token), direction),
                None => json!({}),
            };
        }
        let mut out = Map::new();
        let mut forbidden: BTreeSet<&str> = BTreeSet::new();
        if let Some(Value::Object(properties)) = map.get("properties") {
            let mut translated = Map::new();
            for (name, property) in properties {
                if self.is_forbidden(property, direction) {
                    forbidden.insert(name);
                    translated.insert(name.clone(), Value::Bool(false));
                } else {
                    translated.insert(name.clone(), self.schema(property, direction));
                }
            }
            out.insert("properties".into(), Value::Object(translated));
        }
        for (key, value) in map {
            match key.as_str() {
                // `readOnly`/`writeOnly` stay as JSON Schema annotations (they assert nothing),
                // so the runtime can tell write-only (secret) fields.
                "properties" | "nullable" | "discriminator" | "example" | "xml"
                | "externalDocs" | "deprecated" | "exclusiveMinimum" | "exclusiveMaximum" => {}
                key if key.starts_with("x-") => {}
                "required" => {
                    let required: Vec<Value> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|name| !name.as_str().is_some_and(|n| forbidden.contains(n)))
                        .cloned()
                        .collect();
                    if !required.is_empty() {
                        out.insert(key.clone(), Value::Array(required));
                    }
                }
                "items" | "not" => {
                    out.insert(key.clone(), self.schema(value, direction));
                }
                "additionalProperties" => {
                    let translated = match value {
                        Value::Object(_) => self.schema(value, direction),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), translated);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let members = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|member| self.schema(member, direction))
                        .collect();
                    out.insert(key.clone(), Value::Array(members));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        for (flag, bound, exclusive) in [
            ("exclusiveMinimum", "minimum", "exclusiveMinimum"),
            ("exclusiveMaximum", "maximum", "exclusiveMaximum"),
        ] {
            if map.get(flag) == Some(&Value::Bool(true))
                && let Some(limit) = out.remove(bound)
            {
                out.insert(exclusive.into(), limit);
            }
        }
        integer_bounds(&mut out);
        if let Some(discriminator) = map.get("discriminator") {
            self.dispatch(&mut out, discriminator, direction);
        }
        if map.get("nullable") == Some(&Value::Bool(true)) {
            return allow_null(out);
        }
        Value::Object(out)
    }

    /// `oneOf`/`anyOf` with a discriminator: the tag property is required, must be one of
    /// the known tags, and picks the one schema the value is checked against.
    fn dispatch(&self, out: &mut Map<String, Value>, discriminator: &Value, direction: Direction) {
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return;
        };
        let members = map_take_members(out);
        let Some((keyword, members)) = members else {
            return;
        };
        let mut tags: Vec<(String, String)> = Vec::new();
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        for (tag, target) in mapping.into_iter().flatten() {
            if let Some(name) = target
                .as_str()
                .and_then(|target| split_ref(target, "schemas").map(unescape_token))
                .or_else(|| target.as_str().map(str::to_string))
            {
                tags.push((tag.clone(), name));
            }
        }
        // Members not named by the mapping are tagged with their component name.
        for member in &members {
            if let Some(name) = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.rsplit_once('/'))
                .map(|(_, key)| key.to_string())
            {
                let name = unescape_token(&name);
                let name = name
                    .rsplit_once('@')
                    .map_or(name.clone(), |(n, _)| n.into());
                if !tags.iter().any(|(_, target)| *target == name) {
                    tags.push((name.clone(), name));
                }
            }
        }
        if tags.is_empty() {
            out.insert(keyword, Value::Array(members));
            return;
        }
        let mut all_of: Vec<Value> = match out.remove("allOf") {
            Some(Value::Array(existing)) => existing,
            _ => Vec::new(),
        };
        all_of.push(json!({
            "required": [property],
            "properties": { property: { "enum": tags.iter().map(|(tag, _)| tag).collect::<Vec<_>>() } },
        }));
        for (tag, target) in &tags {
            all_of.push(json!({
                "if": { "properties": { property: { "const": tag } } },
                "then": self.reference(target, direction),
            }));
        }
        out.insert("allOf".into(), Value::Array(all_of));
    }
}

fn map_take_members(out: &mut Map<String, Value>) -> Option<(String, Vec<Value>)> {
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = out.remove(keyword) {
            return Some((keyword.to_string(), members));
        }
    }
    None
}

/// `int32` and `int64` are bounds in JSON Schema terms.
fn integer_bounds(out: &mut Map<String, Value>) {
    let (low, high): (Value, Value) = match out.get("format").and_then(Value::as_str) {
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("int64") => (i64::MIN.into(), i64::MAX.into()),
        _ => return,
    };
    if out.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    if !out.contains_key("minimum") && !out.contains_key("exclusiveMinimum") {
        out.insert("minimum".into(), low);
    }
    if !out.contains_key("maximum") && !out.contains_key("exclusiveMaximum") {
        out.insert("maximum".into(), high);
    }
}

/// `nullable`: `null` joins a `type` (and an `enum`, which would otherwise exclude it); a
/// schema without a single `type` becomes `anyOf` itself or `null`.
fn allow_null(mut out: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = out.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match out.get("type").and_then(Value::as_str).map(str::to_string) {
        Some(ty) => {
            out.insert("type".into(), json!([ty, "null"]));
            Value::Object(out)
        }
        None => json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
    }
}

/// Inline `examples` values (references to example components are left out).
fn example_values(examples: Option<&Value>) -> Vec<Value> {
    examples
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, example)| example.get("value").cloned())
        .collect()
}

fn collect_refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(token) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| split_ref(reference, "schemas"))
            {
                found.insert(unescape_token(token));
            }
            map.values().for_each(|child| collect_refs(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, found)),
        _ => {}
    }
}

fn marks_direction(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("readOnly") == Some(&Value::Bool(true))
                || map.get("writeOnly") == Some(&Value::Bool(true))
                || map.values().any(marks_direction)
        }
        Value::Array(items) => items.iter().any(marks_direction),
        _ => false,
    }
}

/// A `$defs` key as a URI fragment: JSON-pointer escaped, then percent-encoded where a
/// fragment may not hold the character as is.
fn fragment_token(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c if c.is_ascii_alphanumeric() || "-._!$&'()*+,;=:@".contains(c) => out.push(c),
            c => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(yaml: &str) -> Value {
        let document: OpenAPI = serde_yaml::from_str(yaml).expect("test spec parses");
        wire_contract(&document)
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /pets/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: integer, format: int32 } }
    put:
      operationId: putPet
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            example: { name: Rex }
      responses:
        "200":
          description: ok
          headers:
            X-Rate: { required: true, schema: { type: integer } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
        default: { description: error }
components:
  schemas:
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string, nullable: true, maxLength: 10 }
        secret: { type: string, writeOnly: true }
        owner: { $ref: '#/components/schemas/Owner' }
    Owner:
      type: object
      properties:
        age: { type: integer, minimum: 0, exclusiveMinimum: true }
        kind: { type: string, enum: [a, b], nullable: true }
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        propertyName: kind
        mapping:
          round: '#/components/schemas/Circle'
    Circle: { type: object, properties: { r: { type: number } } }
    Square: { type: object, properties: { side: { type: number } } }
"##;

    #[test]
    fn directions_split_only_where_read_or_write_only_matters() {
        let contract = contract(SPEC);
        let defs = contract["$defs"].as_object().expect("defs");
        let keys: Vec<&String> = defs.keys().collect();
        assert_eq!(
            keys,
            [
                "Circle",
                "Owner",
                "Pet@request",
                "Pet@response",
                "Shape",
                "Square"
            ]
        );
        let request = &defs["Pet@request"];
        assert_eq!(request["required"], json!(["name", "secret"]));
        assert_eq!(request["properties"]["id"], json!(false));
        let response = &defs["Pet@response"];
        assert_eq!(response["required"], json!(["id", "name"]));
        assert_eq!(response["properties"]["secret"], json!(false));
        assert_eq!(
            response["properties"]["name"],
            json!({ "type": ["string", "null"], "maxLength": 10 })
        );
        assert_eq!(
            response["properties"]["owner"],
            json!({ "$ref": "#/$defs/Owner" })
        );
    }

    #[test]
    fn keywords_are_translated() {
        let contract = contract(SPEC);
        let owner = &contract["$defs"]["Owner"]["properties"];
        assert_eq!(
            owner["age"],
            json!({ "type": "integer", "exclusiveMinimum": 0 })
        );
        assert_eq!(
            owner["kind"],
            json!({ "type": ["string", "null"], "enum": ["a", "b", null] })
        );
        let shape = &contract["$defs"]["Shape"];
        assert_eq!(
            shape["allOf"],
            json!([
                { "required": ["kind"], "properties": { "kind": { "enum": ["round", "Square"] } } },
                { "if": { "properties": { "kind": { "const": "round" } } }, "then": { "$ref": "#/$defs/Circle" } },
                { "if": { "properties": { "kind": { "const": "Square" } } }, "then": { "$ref": "#/$defs/Square" } },
            ])
        );
    }

    #[test]
    fn operations_carry_parameters_bodies_and_responses() {
        let contract = contract(SPEC);
        let operation = &contract["operations"][0];
        assert_eq!(operation["id"], "putPet");
        assert_eq!(operation["method"], "PUT");
        assert_eq!(
            operation["parameters"][0]["schema"],
            json!({ "type": "integer", "format": "int32", "minimum": i32::MIN, "maximum": i32::MAX })
        );
        assert_eq!(operation["parameters"][0]["style"], "simple");
        assert_eq!(
            operation["request_body"]["content"][0]["schema"],
            json!({ "$ref": "#/$defs/Pet@request" })
        );
        assert_eq!(
            operation["request_body"]["content"][0]["examples"],
            json!([{ "name": "Rex" }])
        );
        assert_eq!(operation["responses"][0]["status"], "200");
        assert_eq!(operation["responses"][0]["headers"][0]["name"], "X-Rate");
        assert_eq!(operation["responses"][1]["status"], "default");
    }

    #[test]
    fn fragments_escape_what_a_uri_fragment_cannot_hold() {
        assert_eq!(fragment_token("a/b~c d"), "a~1b~0c%20d");
        assert_eq!(fragment_token("Pet@request"), "Pet@request");
    }
}
