//! Swagger 2.0 to OpenAPI 3.0, on load, by the rules users know from swagger2openapi:
//!
//! - `host`, `basePath` and `schemes` become `servers` (`https` when no scheme is given, the
//!   scheme a 2.0 document is most often served over; `basePath` alone without a host);
//! - `consumes` and `produces` (the operation's, else the document's) become the media types
//!   of the request body and of each response with a schema (`application/json` when neither
//!   says; swagger2openapi writes `*/*` for responses, which would leave them untyped);
//! - `in: body` becomes `requestBody`; `in: formData` becomes one object schema of
//!   `application/x-www-form-urlencoded`, or `multipart/form-data` when `consumes` says so or a
//!   parameter is `type: file` (a `binary` string);
//! - a parameter's `type`, `format`, `items` and constraints become its `schema`, and
//!   `collectionFormat` becomes `style`/`explode` (`csv` is `form` without explode in a query,
//!   `simple` in a path or header; `ssv` `spaceDelimited`; `pipes` `pipeDelimited`; `multi`
//!   exploded `form`);
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` become their
//!   `components` (global body parameters become `requestBodies`), with `$ref`s rewritten;
//! - in schemas, `x-nullable` becomes `nullable`, `type: file` a `binary` string and a
//!   discriminator name a `propertyName`;
//! - `basic` security is `http`/`basic`; OAuth2's `application` flow is `clientCredentials`
//!   and `accessCode` `authorizationCode`.
//!
//! Every part moved is recorded in the returned [`Layer`], so diagnostics about the converted
//! document point into the 2.0 document the user wrote.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostics, Layer, Origin, push_pointer, unescape_token};

/// Parameter keywords that describe the value and move into its `schema`.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "pattern",
    "enum",
    "default",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Converts a (bundled) Swagger 2.0 document in place.
pub fn convert(root: &mut Value, diagnostics: &mut Diagnostics) -> Layer {
    let input = match std::mem::take(root) {
        Value::Object(map) => map,
        other => {
            *root = other;
            return Layer::default();
        }
    };
    let mut converter = Converter {
        input: &input,
        layer: Layer::default(),
        diagnostics,
    };
    *root = Value::Object(converter.document());
    converter.layer
}

struct Converter<'a, 'd> {
    input: &'a Map<String, Value>,
    layer: Layer,
    diagnostics: &'d mut Diagnostics,
}

fn moved(pointer: &str) -> Origin {
    Origin {
        file: None,
        pointer: pointer.to_string(),
    }
}

/// Where a reference to a global 2.0 parameter goes once converted.
enum ParameterTarget {
    Parameter,
    Body,
    Form,
}

impl<'a> Converter<'a, '_> {
    fn document(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        self.layer.record("/openapi", moved("/swagger"));
        for key in ["info", "tags", "externalDocs", "security"] {
            if let Some(value) = self.input.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        for (key, value) in self.input {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        let paths = self.paths();
        out.insert("paths".into(), Value::Object(paths));
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out
    }

    fn servers(&mut self) -> Option<Value> {
        let base_path = self
            .input
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        let Some(host) = self.input.get("host").and_then(Value::as_str) else {
            if base_path.is_empty() {
                return None;
            }
            self.layer.record("/servers", moved("/basePath"));
            return Some(json!([{ "url": base_path }]));
        };
        self.layer.record("/servers", moved("/host"));
        let schemes: Vec<&str> = self
            .input
            .get("schemes")
            .and_then(Value::as_array)
            .map(|schemes| schemes.iter().filter_map(Value::as_str).collect())
            .filter(|schemes: &Vec<&str>| !schemes.is_empty())
            .unwrap_or_else(|| vec!["https"]);
        // Plain HTTP last: the first server is the client's default.
        let mut ordered: Vec<&str> = schemes
            .iter()
            .copied()
            .filter(|scheme| scheme.eq_ignore_ascii_case("https"))
            .collect();
        ordered.extend(
            schemes
                .iter()
                .filter(|scheme| !scheme.eq_ignore_ascii_case("https")),
        );
        Some(Value::Array(
            ordered
                .into_iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
                .collect(),
        ))
    }

    /// The media types a document-level or operation-level list gives.
    fn media_types(&self, operation: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
        let list = operation
            .and_then(|operation| operation.get(key))
            .or_else(|| self.input.get(key));
        match list {
            Some(Value::Array(items)) => {
                let mut out: Vec<String> = Vec::new();
                for item in items.iter().filter_map(Value::as_str) {
                    if !out.iter().any(|known| known == item) {
                        out.push(item.to_string());
                    }
                }
                out
            }
            Some(Value::String(single)) => vec![single.clone()],
            _ => Vec::new(),
        }
    }

    /// A 2.0 section whose entries convert one by one (`definitions` to `schemas`), moved
    /// under `components`.
    fn move_section(
        &mut self,
        components: &mut Map<String, Value>,
        from: &str,
        to: &str,
        convert: fn(&Value) -> Value,
    ) {
        let Some(Value::Object(entries)) = self.input.get(from) else {
            return;
        };
        self.layer
            .record(format!("/components/{to}"), moved(&format!("/{from}")));
        let converted: Map<String, Value> = entries
            .iter()
            .map(|(name, entry)| (name.clone(), convert(entry)))
            .collect();
        components.insert(to.into(), Value::Object(converted));
    }

    fn components(&mut self) -> Map<String, Value> {
        let mut components = Map::new();
        self.move_section(&mut components, "definitions", "schemas", schema_of);
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        if let Some(Value::Object(globals)) = self.input.get("parameters") {
            for (name, parameter) in globals {
                let from = push_pointer("/parameters", name);
                match parameter.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let to = push_pointer("/components/requestBodies", name);
                        let body =
                            self.body(parameter, &self.media_types(None, "consumes"), &from, &to);
                        bodies.insert(name.clone(), body);
                    }
                    // Merged into the form body of each operation that refers to it.
                    Some("formData") => {}
                    _ => {
                        let to = push_pointer("/components/parameters", name);
                        if let Some(converted) = self.parameter(parameter, &from, &to) {
                            parameters.insert(name.clone(), converted);
                        }
                    }
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
        if let Some(Value::Object(responses)) = self.input.get("responses") {
            let produces = self.media_types(None, "produces");
            let mut out = Map::new();
            for (name, response) in responses {
                let from = push_pointer("/responses", name);
                let to = push_pointer("/components/responses", name);
                out.insert(name.clone(), self.response(response, &produces, &from, &to));
            }
            components.insert("responses".into(), Value::Object(out));
        }
        self.move_section(
            &mut components,
            "securityDefinitions",
            "securitySchemes",
            security_scheme,
        );
        components
    }

    fn paths(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        let Some(Value::Object(paths)) = self.input.get("paths") else {
            return out;
        };
        for (path, item) in paths {
            let from = push_pointer("/paths", path);
            let Value::Object(item) = item else {
                out.insert(path.clone(), item.clone());
                continue;
            };
            let mut converted = Map::new();
            // Path-level body and form parameters belong to each operation's body.
            let shared: Vec<(usize, &Value)> = item
                .get("parameters")
                .and_then(Value::as_array)
                .map(|list| list.iter().enumerate().collect())
                .unwrap_or_default();
            let mut path_parameters = Vec::new();
            let mut shared_body = Vec::new();
            for (index, parameter) in &shared {
                let parameter_from =
                    push_pointer(&push_pointer(&from, "parameters"), &index.to_string());
                match self.classify(parameter) {
                    ParameterTarget::Parameter => {
                        path_parameters.push((parameter_from, *parameter))
                    }
                    _ => shared_body.push((parameter_from, *parameter)),
                }
            }
            if !path_parameters.is_empty() {
                let base = push_pointer(&push_pointer("/paths", path), "parameters");
                let list = self.parameter_list(&path_parameters, &base);
                converted.insert("parameters".into(), Value::Array(list));
            }
            for (key, value) in item {
                if key == "parameters" {
                    continue;
                }
                let to = push_pointer(&push_pointer("/paths", path), key);
                match (METHODS.contains(&key.as_str()), value) {
                    (true, Value::Object(operation)) => {
                        let operation_from = push_pointer(&from, key);
                        let operation =
                            self.operation(operation, &shared_body, &operation_from, &to);
                        converted.insert(key.clone(), Value::Object(operation));
                    }
                    _ => {
                        converted.insert(key.clone(), value.clone());
                    }
                }
            }
            out.insert(path.clone(), Value::Object(converted));
        }
        out
    }

    /// Where a parameter (or a reference to a global one) goes.
    fn classify(&self, parameter: &Value) -> ParameterTarget {
        let resolved = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix("#/parameters/")
                .and_then(|name| self.input.get("parameters")?.get(unescape_token(name)))
                .unwrap_or(parameter),
            None => parameter,
        };
        match resolved.get("in").and_then(Value::as_str) {
            Some("body") => ParameterTarget::Body,
            Some("formData") => ParameterTarget::Form,
            _ => ParameterTarget::Parameter,
        }
    }

    fn parameter_list(&mut self, parameters: &[(String, &Value)], base: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (from, parameter) in parameters {
            let to = push_pointer(base, &out.len().to_string());
            if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
                self.layer.record(to, moved(from));
                out.push(json!({ "$ref": rewrite_ref(reference) }));
            } else if let Some(converted) = self.parameter(parameter, from, &to) {
                out.push(converted);
            }
        }
        out
    }

    fn operation(
        &mut self,
        operation: &'a Map<String, Value>,
        shared_body: &[(String, &'a Value)],
        from: &str,
        to: &str,
    ) -> Map<String, Value> {
        let consumes = self.media_types(Some(operation), "consumes");
        let produces = self.media_types(Some(operation), "produces");
        let own: Vec<(String, &Value)> = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(index, parameter)| {
                (
                    push_pointer(&push_pointer(from, "parameters"), &index.to_string()),
                    parameter,
                )
            })
            .collect();
        let mut plain = Vec::new();
        let mut body: Option<(String, &Value)> = None;
        let mut form: Vec<(String, &Value)> = Vec::new();
        for (pointer, parameter) in shared_body.iter().cloned().chain(own) {
            match self.classify(parameter) {
                ParameterTarget::Parameter => plain.push((pointer, parameter)),
                ParameterTarget::Body => {
                    if body.is_some() {
                        self.diagnostics.error(
                            pointer.clone(),
                            "a second `in: body` parameter: Swagger 2.0 allows one body per operation",
                        );
                    }
                    body = Some((pointer, parameter));
                }
                ParameterTarget::Form => form.push((pointer, parameter)),
            }
        }
        if body.is_some() && !form.is_empty() {
            self.diagnostics.error(
                from.to_string(),
                "an operation with both `in: body` and `in: formData` parameters: Swagger 2.0 allows one or the other",
            );
        }
        let mut out = Map::new();
        for (key, value) in operation {
            match key.as_str() {
                "parameters" | "consumes" | "produces" | "schemes" | "responses" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if !plain.is_empty() {
            let base = push_pointer(to, "parameters");
            let list = self.parameter_list(&plain, &base);
            out.insert("parameters".into(), Value::Array(list));
        }
        let body_to = push_pointer(to, "requestBody");
        if let Some((pointer, parameter)) = body {
            let converted = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    self.layer.record(body_to.clone(), moved(&pointer));
                    let name = reference.strip_prefix("#/parameters/").unwrap_or(reference);
                    json!({ "$ref": format!("#/components/requestBodies/{name}") })
                }
                None => self.body(parameter, &consumes, &pointer, &body_to),
            };
            out.insert("requestBody".into(), converted);
        } else if !form.is_empty() {
            out.insert(
                "requestBody".into(),
                self.form_body(&form, &consumes, &body_to),
            );
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            let mut converted = Map::new();
            for (status, response) in responses {
                let response_from = push_pointer(&push_pointer(from, "responses"), status);
                let response_to = push_pointer(&push_pointer(to, "responses"), status);
                converted.insert(
                    status.clone(),
                    self.response(response, &produces, &response_from, &response_to),
                );
            }
            out.insert("responses".into(), Value::Object(converted));
        }
        out
    }

    /// A non-body parameter: its type keywords become a schema, `collectionFormat` a style.
    fn parameter(&mut self, parameter: &Value, from: &str, to: &str) -> Option<Value> {
        let Value::Object(parameter) = parameter else {
            return Some(parameter.clone());
        };
        self.layer.record(to.to_string(), moved(from));
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in parameter {
            if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                schema.insert(key.clone(), value.clone());
            } else if !matches!(
                key.as_str(),
                "collectionFormat" | "allowEmptyValue" | "x-example"
            ) {
                out.insert(key.clone(), value.clone());
            }
        }
        if let Some(example) = parameter.get("x-example") {
            out.insert("example".into(), example.clone());
        }
        if let Some(allow) = parameter.get("allowEmptyValue")
            && location == "query"
        {
            out.insert("allowEmptyValue".into(), allow.clone());
        }
        if !schema.contains_key("type") {
            self.diagnostics.repair(
                to.to_string(),
                "a Swagger 2.0 parameter without `type`",
                "read as a string",
            );
            schema.insert("type".into(), json!("string"));
        }
        let collection = parameter
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            let style = match (collection, location) {
                ("csv", "query" | "cookie") => Some(("form", false)),
                ("csv", _) => Some(("simple", false)),
                ("ssv", "query") => Some(("spaceDelimited", false)),
                ("pipes", "query") => Some(("pipeDelimited", false)),
                ("multi", "query" | "formData") => Some(("form", true)),
                (other, _) => {
                    self.diagnostics.repair(
                        push_pointer(to, "style"),
                        &format!("`collectionFormat: {other}` has no OpenAPI 3 equivalent in a {location} parameter"),
                        "read as comma-separated",
                    );
                    Some(if location == "query" {
                        ("form", false)
                    } else {
                        ("simple", false)
                    })
                }
            };
            if let Some((style, explode)) = style {
                out.insert("style".into(), json!(style));
                out.insert("explode".into(), json!(explode));
            }
        }
        let schema_to = push_pointer(to, "schema");
        self.layer.record(schema_to, moved(from));
        out.insert("schema".into(), schema_of(&Value::Object(schema)));
        Some(Value::Object(out))
    }

    fn body(&mut self, parameter: &Value, consumes: &[String], from: &str, to: &str) -> Value {
        self.layer.record(to.to_string(), moved(from));
        let media_types = if consumes.is_empty() {
            vec!["application/json".to_string()]
        } else {
            consumes.to_vec()
        };
        let schema = parameter.get("schema").map(schema_of).unwrap_or_else(|| {
            self.diagnostics.repair(
                from.to_string(),
                "an `in: body` parameter without `schema`",
                "any JSON value is accepted",
            );
            json!({})
        });
        let mut content = Map::new();
        for media_type in &media_types {
            let schema_to = push_pointer(
                &push_pointer(&push_pointer(to, "content"), media_type),
                "schema",
            );
            self.layer
                .record(schema_to, moved(&push_pointer(from, "schema")));
            content.insert(media_type.clone(), json!({ "schema": schema.clone() }));
        }
        let mut out = Map::new();
        if let Some(description) = parameter.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if parameter.get("required") == Some(&Value::Bool(true)) {
            out.insert("required".into(), json!(true));
        }
        for (key, value) in parameter.as_object().into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    /// `in: formData` parameters as one object schema.
    fn form_body(
        &mut self,
        parameters: &[(String, &'a Value)],
        consumes: &[String],
        to: &str,
    ) -> Value {
        let has_file = parameters.iter().any(|(_, parameter)| {
            self.resolve_parameter(parameter)
                .and_then(|parameter| parameter.get("type"))
                .and_then(Value::as_str)
                == Some("file")
        });
        let media_type = if has_file
            || consumes
                .iter()
                .any(|media| media.starts_with("multipart/form-data"))
        {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_to = push_pointer(
            &push_pointer(&push_pointer(to, "content"), media_type),
            "schema",
        );
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (pointer, parameter) in parameters {
            let (parameter, from) = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.resolve_parameter(parameter) {
                    Some(found) => (
                        found,
                        reference.strip_prefix('#').unwrap_or(reference).to_string(),
                    ),
                    None => {
                        self.diagnostics.error(
                            push_pointer(pointer, "$ref"),
                            format!("dangling $ref `{reference}`: no such parameter"),
                        );
                        continue;
                    }
                },
                None => (*parameter, pointer.clone()),
            };
            let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut property = Map::new();
            for (key, value) in parameter.as_object().into_iter().flatten() {
                if SCHEMA_KEYWORDS.contains(&key.as_str()) || key == "description" {
                    property.insert(key.clone(), value.clone());
                }
            }
            let property_to = push_pointer(&push_pointer(&schema_to, "properties"), name);
            self.layer.record(property_to, moved(&from));
            properties.insert(name.to_string(), schema_of(&Value::Object(property)));
            if parameter.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut body = Map::new();
        body.insert(
            "content".into(),
            json!({ media_type: { "schema": Value::Object(schema) } }),
        );
        if any_required {
            body.insert("required".into(), json!(true));
        }
        Value::Object(body)
    }

    fn resolve_parameter(&self, parameter: &'a Value) -> Option<&'a Value> {
        match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.strip_prefix("#/parameters/")?;
                self.input.get("parameters")?.get(unescape_token(name))
            }
            None => Some(parameter),
        }
    }

    fn response(&mut self, response: &Value, produces: &[String], from: &str, to: &str) -> Value {
        let Value::Object(response) = response else {
            return response.clone();
        };
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            self.layer.record(to.to_string(), moved(from));
            return json!({ "$ref": rewrite_ref(reference) });
        }
        self.layer.record(to.to_string(), moved(from));
        let mut out = Map::new();
        for (key, value) in response {
            match key.as_str() {
                "schema" | "examples" | "headers" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let examples = response.get("examples").and_then(Value::as_object);
        let mut content = Map::new();
        if let Some(schema) = response.get("schema") {
            let converted = schema_of(schema);
            let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
            let media_types = if !produces.is_empty() {
                produces.to_vec()
            } else if is_file {
                vec!["application/octet-stream".to_string()]
            } else {
                vec!["application/json".to_string()]
            };
            for media_type in media_types {
                let media_to = push_pointer(&push_pointer(to, "content"), &media_type);
                self.layer.record(
                    push_pointer(&media_to, "schema"),
                    moved(&push_pointer(from, "schema")),
                );
                let mut media = Map::new();
                media.insert("schema".into(), converted.clone());
                if let Some(example) = examples.and_then(|examples| examples.get(&media_type)) {
                    media.insert("example".into(), example.clone());
                }
                content.insert(media_type, Value::Object(media));
            }
        }
        // Examples for media types not in `produces`.
        for (media_type, example) in examples.into_iter().flatten() {
            if !content.contains_key(media_type) {
                content.insert(media_type.clone(), json!({ "example": example }));
            }
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let mut converted = Map::new();
            for (name, header) in headers {
                let header_from = push_pointer(&push_pointer(from, "headers"), name);
                let header_to = push_pointer(&push_pointer(to, "headers"), name);
                converted.insert(name.clone(), self.header(header, &header_from, &header_to));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        Value::Object(out)
    }

    fn header(&mut self, header: &Value, from: &str, to: &str) -> Value {
        let Value::Object(header) = header else {
            return header.clone();
        };
        self.layer.record(to.to_string(), moved(from));
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in header {
            if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                schema.insert(key.clone(), value.clone());
            } else if key != "collectionFormat" {
                out.insert(key.clone(), value.clone());
            }
        }
        self.layer.record(push_pointer(to, "schema"), moved(from));
        out.insert("schema".into(), schema_of(&Value::Object(schema)));
        Value::Object(out)
    }
}

/// A 2.0 `$ref` to its 3.0 place.
fn rewrite_ref(reference: &str) -> String {
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = reference.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    reference.to_string()
}

/// A 2.0 schema (or items object) in 3.0 terms, recursively.
fn schema_of(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let reference = value.as_str().map(rewrite_ref);
                out.insert(key.clone(), reference.map_or(value.clone(), Value::String));
            }
            "x-nullable" => {
                if value == &Value::Bool(true) {
                    out.insert("nullable".into(), json!(true));
                }
            }
            "type" if value.as_str() == Some("file") => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            "discriminator" => match value {
                Value::String(property) => {
                    out.insert(key.clone(), json!({ "propertyName": property }));
                }
                other => {
                    out.insert(key.clone(), other.clone());
                }
            },
            "collectionFormat" => {}
            "properties" | "patternProperties" => {
                let converted = value
                    .as_object()
                    .map(|entries| {
                        entries
                            .iter()
                            .map(|(name, child)| (name.clone(), schema_of(child)))
                            .collect::<Map<String, Value>>()
                    })
                    .map_or(value.clone(), Value::Object);
                out.insert(key.clone(), converted);
            }
            "items" | "additionalProperties" | "not" => {
                let converted = match value {
                    Value::Array(items) => Value::Array(items.iter().map(schema_of).collect()),
                    other => schema_of(other),
                };
                out.insert(key.clone(), converted);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let converted = value
                    .as_array()
                    .map(|items| Value::Array(items.iter().map(schema_of).collect()))
                    .unwrap_or_else(|| value.clone());
                out.insert(key.clone(), converted);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if out.get("format").and_then(Value::as_str) == Some("binary") && !out.contains_key("type") {
        out.insert("type".into(), json!("string"));
    }
    Value::Object(out)
}

fn security_scheme(scheme: &Value) -> Value {
    let Value::Object(map) = scheme else {
        return scheme.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        if key == "description" || key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    match map.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            for key in ["name", "in"] {
                if let Some(value) = map.get(key) {
                    out.insert(key.into(), value.clone());
                }
            }
        }
        Some("oauth2") => {
            out.insert("type".into(), json!("oauth2"));
            let flow = match map.get("flow").and_then(Value::as_str) {
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                Some("password") => "password",
                _ => "implicit",
            };
            let mut details = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(value) = map.get(key) {
                    details.insert(key.into(), value.clone());
                }
            }
            details.insert(
                "scopes".into(),
                map.get("scopes").cloned().unwrap_or_else(|| json!({})),
            );
            out.insert("flows".into(), json!({ flow: Value::Object(details) }));
        }
        _ => {
            for (key, value) in map {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(document: Value) -> (Value, Vec<String>) {
        let mut root = document;
        let mut diagnostics = Diagnostics::default();
        convert(&mut root, &mut diagnostics);
        let sources = crate::diagnostics::Sources::new(crate::diagnostics::SourceFile::new(
            "t.json".into(),
            String::new(),
        ));
        let messages = diagnostics
            .locate(&sources)
            .into_iter()
            .map(|d| d.message)
            .collect();
        (root, messages)
    }

    #[test]
    fn servers_bodies_forms_and_references() {
        let (doc, messages) = converted(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com",
            "basePath": "/v1/",
            "schemes": ["http", "https"],
            "consumes": ["application/json"],
            "paths": {
                "/pets": {
                    "post": {
                        "parameters": [
                            {"name": "limit", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
                            {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
                        ],
                        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}, "headers": {"X-Rate": {"type": "integer"}}}}
                    },
                    "put": {
                        "consumes": ["multipart/form-data"],
                        "parameters": [
                            {"name": "file", "in": "formData", "type": "file", "required": true},
                            {"name": "note", "in": "formData", "type": "string"}
                        ],
                        "responses": {"204": {"description": "done"}}
                    }
                }
            },
            "definitions": {"Pet": {"type": "object", "properties": {"tag": {"type": "string", "x-nullable": true}}}},
            "securityDefinitions": {"basic": {"type": "basic"}, "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}}}
        }));
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        let post = &doc["paths"]["/pets"]["post"];
        assert_eq!(
            post["parameters"][0],
            json!({"name": "limit", "in": "query", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "integer"}}})
        );
        assert_eq!(
            post["requestBody"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            post["responses"]["200"]["headers"]["X-Rate"],
            json!({"schema": {"type": "integer"}})
        );
        let put = &doc["paths"]["/pets"]["put"];
        assert_eq!(
            put["requestBody"]["content"]["multipart/form-data"]["schema"],
            json!({"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}, "required": ["file"]})
        );
        assert_eq!(
            doc["components"]["schemas"]["Pet"]["properties"]["tag"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["basic"],
            json!({"type": "http", "scheme": "basic"})
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["oauth"]["flows"]["authorizationCode"]["tokenUrl"],
            "https://t"
        );
    }
}
