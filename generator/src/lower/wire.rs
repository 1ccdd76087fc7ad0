//! The wire contract: what may cross the wire for each operation, with every schema in JSON
//! Schema (draft 2020-12), for the runtime's validation layer and conformance kit.
//!
//! Its structure (which operations, their ids, methods, paths, parameters in their override
//! order, bodies, responses and security) comes from the IR, so the contract and the code
//! agree by construction; each schema comes from the document, by the pointer the IR keeps.
//!
//! OpenAPI 3.1 and 3.2 schemas already are JSON Schema 2020-12 and are carried as written; only
//! what OpenAPI adds to them is applied. OpenAPI 3.0 schemas (and converted Swagger 2.0 ones)
//! are translated, once: `nullable` becomes a `null` type (or an `anyOf` with `null`), and
//! boolean `exclusiveMinimum` and `exclusiveMaximum` become the numeric keywords. In every
//! dialect, a `readOnly` property must not be sent in a request and a `writeOnly` one must not
//! come back in a response (neither is required in that direction); a discriminator
//! dispatches on its tag instead of "exactly one of" (where every member is a named schema, as
//! the IR requires for a tagged enum); `int32` and `int64` become bounds; `enum: []` (a
//! defect) is dropped. `$ref`s become references into `$defs`: a component by its name, any
//! other schema by its pointer (`components/schemas/A/properties/b`). Schemas whose
//! translation depends on the direction (they hold, or refer to, `readOnly`/`writeOnly`
//! properties) get one definition per direction; the rest are shared.

use std::collections::{BTreeMap, BTreeSet};

use contract_wire::{
    Body, Contract, Header, Media, Operation, Parameter, Response, SecurityScheme,
};
use serde_json::{Map, Value, json};

use crate::document::{Document, Obj};
use crate::ir::{self, Api, SecuritySchemeKind};
use crate::resolve::{Resolver, component_name};

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

/// The wire contracts of an API: its operations, and its webhooks (the requests it sends,
/// checked on a subscriber's receiver).
pub struct WireContracts {
    pub operations: Contract,
    pub webhooks: Contract,
}

/// The schema definitions (`$defs`) of a document, translated: the costly part of the
/// contract, built on another core while the document is lowered.
pub struct Definitions<'a> {
    translator: Translator<'a>,
    defs: Map<String, Value>,
}

/// Translates every schema a `$ref` names.
pub fn definitions(document: &Document) -> Definitions<'_> {
    let translator = Translator::new(document);
    let defs = translator.definitions();
    Definitions { translator, defs }
}

/// The contracts of a lowered API.
pub fn contracts(document: &Document, api: &Api, definitions: Definitions<'_>) -> WireContracts {
    let Definitions { translator, defs } = definitions;
    let security_schemes: indexmap::IndexMap<String, SecurityScheme> = api
        .security_schemes
        .iter()
        .map(|scheme| (scheme.name.clone(), security_scheme(&scheme.kind)))
        .collect();
    let root = document.root();
    let servers: Vec<String> = root
        .array("servers")
        .iter()
        .filter_map(|server| server.get("url").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let contract = |operations: &[ir::Operation], defs: Map<String, Value>| Contract {
        title: api.title.clone(),
        version: api.version.clone(),
        servers: servers.clone(),
        security_schemes: security_schemes.clone(),
        operations: operations
            .iter()
            .map(|operation| translator.operation(api, operation))
            .collect(),
        defs,
    };
    // The definitions are large (about 30 MiB of values for the GitHub spec): copied only for
    // an API that has webhooks too.
    let webhook_defs = if api.webhooks.is_empty() {
        Map::new()
    } else {
        defs.clone()
    };
    WireContracts {
        webhooks: contract(&api.webhooks, webhook_defs),
        operations: contract(&api.operations, defs),
    }
}

/// Only what a client or validator needs to place a credential.
fn security_scheme(kind: &SecuritySchemeKind) -> SecurityScheme {
    match kind {
        SecuritySchemeKind::ApiKey { location, name } => SecurityScheme::ApiKey {
            location: *location,
            name: name.clone(),
        },
        SecuritySchemeKind::Http { scheme, .. } => SecurityScheme::Http {
            scheme: scheme.clone(),
        },
        SecuritySchemeKind::OAuth2 => SecurityScheme::OAuth2,
        SecuritySchemeKind::OpenIdConnect { .. } => SecurityScheme::OpenIdConnect,
    }
}

/// Translates schemas, knowing which definitions need one per direction.
struct Translator<'a> {
    document: &'a Document,
    resolver: Resolver<'a>,
    /// 3.1 and later: schemas are JSON Schema already.
    json_schema: bool,
    /// Definitions by key: components by name, other schemas a `$ref` names by pointer.
    definitions: BTreeMap<String, &'a Value>,
    /// Definitions whose translation differs between requests and responses.
    split: BTreeSet<String>,
}

impl<'a> Translator<'a> {
    fn new(document: &'a Document) -> Self {
        let resolver = Resolver::new(document);
        let mut translator = Self {
            document,
            resolver,
            json_schema: document.dialect.json_schema(),
            definitions: BTreeMap::new(),
            split: BTreeSet::new(),
        };
        for (name, schema) in document.components("schemas") {
            translator.definitions.insert(name.to_string(), schema);
        }
        // Every schema a `$ref` names, transitively.
        let mut pending: Vec<&'a Value> = vec![&document.root];
        let mut references: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        while let Some(value) = pending.pop() {
            let mut found = Vec::new();
            collect_refs(value, &mut found);
            for reference in found {
                if let Some((key, target)) = translator.definition_of(reference)
                    && !translator.definitions.contains_key(&key)
                {
                    translator.definitions.insert(key, target);
                    pending.push(target);
                }
            }
        }
        // A definition is split when it marks something readOnly or writeOnly itself, or
        // refers (transitively) to one that does.
        for (key, schema) in &translator.definitions {
            let mut found = Vec::new();
            collect_refs(schema, &mut found);
            let keys = found
                .into_iter()
                .filter_map(|reference| translator.definition_of(reference).map(|(key, _)| key))
                .collect();
            references.insert(key.clone(), keys);
            if marks_direction(schema) {
                translator.split.insert(key.clone());
            }
        }
        loop {
            let before = translator.split.len();
            for (key, refs) in &references {
                if !translator.split.contains(key)
                    && refs.iter().any(|target| translator.split.contains(target))
                {
                    translator.split.insert(key.clone());
                }
            }
            if translator.split.len() == before {
                break;
            }
        }
        translator
    }

    /// The `$defs` key and schema a reference names.
    fn definition_of(&self, reference: &str) -> Option<(String, &'a Value)> {
        let target = self.resolver.schema(reference).ok()?;
        let key = match component_name(&target.pointer, "schemas") {
            Some(name) => name,
            None => target.pointer.trim_start_matches('/').to_string(),
        };
        Some((key, target.value))
    }

    fn definitions(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, schema) in &self.definitions {
            if self.split.contains(key) {
                for direction in [Direction::Request, Direction::Response] {
                    out.insert(
                        format!("{key}{}", direction.suffix()),
                        self.schema(schema, direction),
                    );
                }
            } else {
                // Direction does not matter for it: any will do.
                out.insert(key.clone(), self.schema(schema, Direction::Request));
            }
        }
        out
    }

    fn reference(&self, reference: &str, direction: Direction) -> Value {
        let Some((key, _)) = self.definition_of(reference) else {
            // Validation refused what does not resolve.
            return json!({});
        };
        let key = if self.split.contains(&key) {
            format!("{key}{}", direction.suffix())
        } else {
            key
        };
        json!({ "$ref": format!("#/$defs/{}", fragment_token(&key)) })
    }

    /// One operation of the IR on the wire.
    fn operation(&self, api: &Api, operation: &ir::Operation) -> Operation {
        let document = self.document;
        let mut security: Vec<Vec<String>> = operation
            .security
            .iter()
            .map(|requirement| {
                requirement
                    .schemes
                    .iter()
                    .map(|(index, _)| api.security_schemes[*index].name.clone())
                    .collect()
            })
            .collect();
        if operation.credentials_optional() {
            security.push(Vec::new());
        }
        let parameters = operation
            .parameters
            .iter()
            .map(|parameter| {
                let object = document.at(&parameter.pointer).and_then(Obj::of);
                let mut examples = Vec::new();
                if let Some(object) = object {
                    examples.extend(object.value("example").cloned());
                    examples.extend(example_values(object.value("examples")));
                }
                Parameter {
                    name: parameter.wire_name.clone(),
                    location: parameter.location,
                    required: parameter.required,
                    style: parameter.style,
                    explode: parameter.explode,
                    schema: self.schema_at(parameter.schema_pointer.as_deref(), Direction::Request),
                    examples,
                    media_type: parameter.content_type.clone(),
                }
            })
            .collect();
        let request_body = operation.body.as_ref().map(|body| Body {
            required: body.required,
            content: body
                .content
                .iter()
                .map(|content| self.media(content, Direction::Request))
                .collect(),
        });
        let responses = operation
            .responses
            .iter()
            .map(|response| Response {
                status: response.status,
                headers: response
                    .headers
                    .iter()
                    .map(|header| Header {
                        name: header.wire_name.clone(),
                        required: header.required,
                        schema: self
                            .schema_at(header.schema_pointer.as_deref(), Direction::Response),
                    })
                    .collect(),
                content: response
                    .content
                    .iter()
                    .map(|content| self.media(content, Direction::Response))
                    .collect(),
            })
            .collect();
        Operation {
            id: operation.id.clone(),
            method: operation.method.as_str().to_string(),
            path: operation.path.clone(),
            security,
            parameters,
            request_body,
            responses,
        }
    }

    /// The schema at a pointer of the document, translated; anything for none.
    fn schema_at(&self, pointer: Option<&str>, direction: Direction) -> Value {
        pointer
            .and_then(|pointer| self.document.at(pointer))
            .map_or(json!({}), |schema| self.schema(schema, direction))
    }

    /// One media type of a body or response, with its schema and examples.
    fn media(&self, content: &ir::Content, direction: Direction) -> Media {
        let media = self
            .document
            .at(&content.pointer)
            .and_then(Obj::of)
            .unwrap_or(Obj::empty());
        let mut examples = Vec::new();
        // Examples matter to the side that sends them: the kit sends requests.
        if direction == Direction::Request {
            examples.extend(media.value("example").cloned());
            examples.extend(example_values(media.value("examples")));
            if examples.is_empty()
                && let Some(schema) = media.obj("schema")
            {
                match schema.value("example") {
                    Some(example) => examples.push(example.clone()),
                    None => examples.extend(schema.array("examples").first().cloned()),
                }
            }
        }
        Media {
            media_type: content.media_type.clone(),
            schema: media
                .value("schema")
                .map_or(json!({}), |schema| self.schema(schema, direction)),
            examples,
        }
    }

    fn is_forbidden(&self, property: &Value, direction: Direction) -> bool {
        let keyword = direction.forbidden();
        if property.get(keyword) == Some(&Value::Bool(true)) {
            return true;
        }
        // `$ref` to a schema that is itself read- or write-only.
        property
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| self.definition_of(reference))
            .is_some_and(|(_, target)| target.get(keyword) == Some(&Value::Bool(true)))
    }

    fn schema(&self, schema: &Value, direction: Direction) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = self.reference(reference, direction);
            let nullable = map.get("nullable") == Some(&Value::Bool(true));
            let mut rest = map.clone();
            rest.remove("$ref");
            rest.remove("nullable");
            let combined = if !self.json_schema && crate::document::schema::annotates_only(map) {
                // 3.0 ignores the siblings of `$ref` (real specs mean `nullable`, read below).
                target
            } else if !self.json_schema {
                // Structure beside a 3.0 `$ref`: read as `allOf` of both (a defect, warned
                // about by validation).
                json!({ "allOf": [target, self.schema(&Value::Object(rest), direction)] })
            } else if rest.is_empty() {
                target
            } else {
                // 2020-12: `$ref` applies beside its siblings.
                match self.schema(&Value::Object(rest), direction) {
                    Value::Object(mut translated) => {
                        if let Some(reference) = target.get("$ref") {
                            translated.insert("$ref".into(), reference.clone());
                        }
                        Value::Object(translated)
                    }
                    other => other,
                }
            };
            return if nullable {
                json!({ "anyOf": [combined, { "type": "null" }] })
            } else {
                combined
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
                "properties" | "nullable" | "discriminator" | "example" | "xml"
                | "externalDocs" | "$id" | "$schema" | "$anchor" | "$dynamicAnchor"
                | "$comment" => {}
                "exclusiveMinimum" | "exclusiveMaximum" if !value.is_number() => {}
                key if key.starts_with("x-") => {}
                "enum" if value.as_array().is_some_and(Vec::is_empty) => {}
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
                "type" if value.as_str() == Some("file") => {
                    out.insert(key.clone(), json!("string"));
                }
                keyword if crate::document::role::is_subschema_keyword(keyword) => {
                    let translated = match value {
                        Value::Object(_) => self.schema(value, direction),
                        Value::Array(items) => Value::Array(
                            items
                                .iter()
                                .map(|item| self.schema(item, direction))
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), translated);
                }
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                    let members = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|member| self.schema(member, direction))
                        .collect();
                    out.insert(key.clone(), Value::Array(members));
                }
                "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                    let translated = value
                        .as_object()
                        .map(|entries| {
                            entries
                                .iter()
                                .map(|(name, child)| (name.clone(), self.schema(child, direction)))
                                .collect::<Map<String, Value>>()
                        })
                        .map_or(value.clone(), Value::Object);
                    out.insert(key.clone(), translated);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // 3.0: the bound is `minimum` with a flag.
        for (flag, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if map.get(flag) == Some(&Value::Bool(true))
                && let Some(limit) = out.remove(bound)
            {
                out.insert(flag.into(), limit);
            }
        }
        // A 3.0 `type: null` is `nullable`.
        let null_type =
            !self.json_schema && map.get("type").and_then(Value::as_str) == Some("null");
        if null_type {
            out.remove("type");
        }
        integer_bounds(&mut out);
        if map.contains_key("discriminator") {
            self.dispatch(&mut out, map, direction);
        }
        if map.get("nullable") == Some(&Value::Bool(true)) || null_type {
            return allow_null(out);
        }
        Value::Object(out)
    }

    /// `oneOf`/`anyOf` with a discriminator: the tag property is required, must be one of
    /// the known tags, and picks the one schema the value is checked against.
    fn dispatch(
        &self,
        out: &mut Map<String, Value>,
        schema: &Map<String, Value>,
        direction: Direction,
    ) {
        let view = crate::document::Schema {
            map: schema,
            json_schema: self.json_schema,
        };
        // The types decide the same way: a union of named members only (else untagged).
        let Some(found) = self.resolver.discriminated(&view) else {
            return;
        };
        if map_take_members(out).is_none() {
            return;
        }
        let property = found.property.as_str();
        let mut all_of: Vec<Value> = match out.remove("allOf") {
            Some(Value::Array(existing)) => existing,
            _ => Vec::new(),
        };
        all_of.push(json!({
            "required": [property],
            "properties": { property: { "enum": found.tags.iter().map(|(tag, _)| tag).collect::<Vec<_>>() } },
        }));
        for (tag, component) in &found.tags {
            let reference = format!("#/components/schemas/{}", fragment_token(component));
            all_of.push(json!({
                "if": { "properties": { property: { "const": tag } } },
                "then": self.reference(&reference, direction),
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
    let is_integer = match out.get("type") {
        Some(Value::String(ty)) => ty == "integer",
        Some(Value::Array(types)) => types.iter().any(|ty| ty == "integer"),
        _ => false,
    };
    if !is_integer {
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
    match out.get("type").cloned() {
        Some(Value::String(ty)) => {
            out.insert("type".into(), json!([ty, "null"]));
            Value::Object(out)
        }
        Some(Value::Array(mut types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            out.insert("type".into(), Value::Array(types));
            Value::Object(out)
        }
        _ if out.is_empty() => Value::Object(out),
        _ => json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
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

/// The `$ref`s of a schema tree (not inside examples and other data).
fn collect_refs<'v>(value: &'v Value, found: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                found.push(reference);
            }
            for (key, child) in map {
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) || key.starts_with("x-")
                {
                    continue;
                }
                collect_refs(child, found);
            }
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
                || map.iter().any(|(key, child)| {
                    !matches!(key.as_str(), "example" | "examples" | "default")
                        && marks_direction(child)
                })
        }
        Value::Array(items) => items.iter().any(marks_direction),
        _ => false,
    }
}

/// A `$defs` key as a URI fragment: JSON-pointer escaped, then percent-encoded where a
/// fragment may not hold the character as is.
fn fragment_token(key: &str) -> String {
    crate::load::bundle::escape_fragment(&key.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Source;

    fn contract(yaml: &str) -> Value {
        let api = crate::lower_with(&Source::new("t.yaml", yaml), &crate::LoadOptions::default())
            .expect("test spec loads")
            .api;
        serde_json::to_value(&api.wire).unwrap()
    }

    /// Parameters, bodies, headers and schemas with the 3.0 keywords the contract translates.
    const SPEC: &str = include_str!("testdata/wire.yaml");

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
    fn json_schema_is_carried_as_written_and_refs_reach_anywhere() {
        let contract = contract(
            r##"
openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Box/properties/inner' }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: [object, "null"]
                prefixItems: [{ type: string }]
                properties:
                  n: { type: integer, exclusiveMinimum: 0, const: 3 }
                  tags: { $ref: '#/components/schemas/Tags', description: 'the tags' }
                dependentRequired: { a: [b] }
components:
  schemas:
    Box:
      type: object
      properties:
        inner: { type: string, enum: [] }
    Tags: { type: array, items: { type: string } }
"##,
        );
        let operation = &contract["operations"][0];
        assert_eq!(
            operation["request_body"]["content"][0]["schema"],
            json!({ "$ref": "#/$defs/components~1schemas~1Box~1properties~1inner" })
        );
        assert_eq!(
            contract["$defs"]["components/schemas/Box/properties/inner"],
            json!({ "type": "string" })
        );
        assert_eq!(
            operation["responses"][0]["content"][0]["schema"],
            json!({
                "type": ["object", "null"],
                "prefixItems": [{ "type": "string" }],
                "properties": {
                    "n": { "type": "integer", "exclusiveMinimum": 0, "const": 3 },
                    "tags": { "$ref": "#/$defs/Tags", "description": "the tags" },
                },
                "dependentRequired": { "a": ["b"] },
            })
        );
    }

    #[test]
    fn fragments_escape_what_a_uri_fragment_cannot_hold() {
        assert_eq!(fragment_token("a/b~c d"), "a~1b~0c%20d");
        assert_eq!(fragment_token("Pet@request"), "Pet@request");
    }
}
