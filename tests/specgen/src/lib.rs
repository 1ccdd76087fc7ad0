//! OpenAPI documents built from unstructured bytes, for the `generate_structured` fuzz target
//! and `cargo xtask fuzz-compile`.
//!
//! Random bytes rarely make a document that gets past the parser, so the fuzzer would spend
//! its time in `load`. [`build`] reads the bytes as choices instead (with [`arbitrary`]):
//! the dialect (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2), components, paths and operations,
//! parameters of every location and style, request bodies and responses of several media
//! types, `$ref`s (most of them valid, some dangling), `allOf`/`oneOf`/`anyOf`,
//! discriminators, nullable schemas, enums, security schemes and requirements, webhooks.
//! Names come from small pools with awkward members (Rust keywords, digits first, case
//! collisions), so most documents are valid and reach lowering and emit, and the ones that
//! are not exercise validation. The same bytes always give the same document.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

/// The dialect a document is written in, as the generator names it.
pub use contractgen::document::Dialect;

/// A built document: its text (YAML or JSON), and how it was written.
#[derive(Debug, Clone)]
pub struct Spec {
    pub text: String,
    pub json: bool,
    pub dialect: Dialect,
    /// Generate with `--strict` (every repair an error).
    pub strict: bool,
}

impl Spec {
    /// A file name with the extension that says how to parse it.
    pub fn file_name(&self) -> &'static str {
        if self.json { "spec.json" } else { "spec.yaml" }
    }
}

/// Builds one document from the bytes. Runs out of bytes gracefully: what is left is
/// decided by defaults, so any input gives a document.
pub fn build(u: &mut Unstructured<'_>) -> Result<Spec> {
    let dialect = *u.choose(&[
        Dialect::OpenApi30,
        Dialect::OpenApi31,
        Dialect::Swagger2,
        Dialect::OpenApi32,
    ])?;
    let json = u.ratio(1, 3)?;
    let strict = u.ratio(1, 8)?;
    let mut builder = Builder {
        u,
        dialect,
        schemas: Vec::new(),
        shared: false,
    };
    let root = builder.document()?;
    let text = if json {
        serde_json::to_string_pretty(&root).expect("a JSON value serialises")
    } else {
        serde_yaml::to_string(&root).expect("a JSON value serialises as YAML")
    };
    Ok(Spec {
        text,
        json,
        dialect,
        strict,
    })
}

/// `len` pseudo-random bytes from `seed` (splitmix64): the soundness check's inputs, and
/// the fuzzer's first seeds, without a random number crate.
pub fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Component schema names: ordinary, colliding once cased, keywords, digits first.
const SCHEMA_NAMES: &[&str] = &[
    "User", "Pet", "Error", "Item", "Node", "user", "Self", "type", "2fa", "Option", "Page",
    "Event", "a-b", "Box", "Result", "String",
];
const PROPERTY_NAMES: &[&str] = &[
    "id",
    "name",
    "type",
    "self",
    "kind",
    "created_at",
    "createdAt",
    "value",
    "items",
    "next",
    "async",
    "the value",
    "_",
    "2fa",
    "password",
    "token",
    "x-y",
    "ref",
    "Id",
    "r#type",
];
const SEGMENTS: &[&str] = &[
    "users", "pets", "items", "v1", "me", "search", "a.b", "user-s",
];
const PATH_PARAMS: &[&str] = &["id", "name", "userId", "user_id", "type", "self", "x"];
const PARAM_NAMES: &[&str] = &[
    "limit",
    "offset",
    "q",
    "filter",
    "tags",
    "X-Request-Id",
    "session",
    "type",
    "sort",
    "id",
    "page[size]",
    "api_key",
];
const OPERATION_IDS: &[&str] = &[
    "listUsers",
    "getUser",
    "createUser",
    "list_users",
    "delete",
    "type",
    "fn",
    "get-user",
    "Get User",
    "self",
];
const TAGS: &[&str] = &["users", "pets", "admin", "Users", "type", "a b"];
const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "application/vnd.api+json",
    "application/problem+json",
    "*/*",
    "application/xml",
    "text/event-stream",
    "application/json; charset=utf-8",
];
const STATUSES: &[&str] = &[
    "200", "201", "202", "204", "301", "400", "401", "403", "404", "409", "422", "4XX", "5XX",
    "default",
];
const SECURITY_NAMES: &[&str] = &[
    "bearer", "key", "basic", "oauth", "oidc", "cookie", "digest",
];
const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "uuid",
    "byte",
    "binary",
    "password",
    "email",
    "uri",
    "int32",
    "int64",
    "float",
    "double",
    "ipv4",
    "hostname",
];

/// Adds `value` under `key`, unless it has no entries (an empty section is left out).
fn insert_unless_empty(map: &mut Map<String, Value>, key: &str, value: Map<String, Value>) {
    if !value.is_empty() {
        map.insert(key.into(), Value::Object(value));
    }
}

struct Builder<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    dialect: Dialect,
    /// The component schemas declared so far (references mostly name these).
    schemas: Vec<String>,
    /// Whether `components` has the shared parameter and response that operations may name.
    shared: bool,
}

impl Builder<'_, '_> {
    fn v3(&self) -> bool {
        self.dialect != Dialect::Swagger2
    }

    fn json_schema(&self) -> bool {
        self.dialect.json_schema()
    }

    fn pick(&mut self, pool: &[&'static str]) -> Result<&'static str> {
        Ok(*self.u.choose(pool)?)
    }

    fn count(&mut self, max: usize) -> Result<usize> {
        self.u.int_in_range(0..=max)
    }

    fn document(&mut self) -> Result<Value> {
        let mut root = Map::new();
        match self.dialect {
            Dialect::Swagger2 => root.insert("swagger".into(), json!("2.0")),
            Dialect::OpenApi30 => root.insert("openapi".into(), json!("3.0.3")),
            Dialect::OpenApi31 => root.insert("openapi".into(), json!("3.1.0")),
            Dialect::OpenApi32 => root.insert("openapi".into(), json!("3.2.0")),
        };
        let title = self.pick(&["Fuzzed", "the API", "type", "Ünïcödé API", ""])?;
        root.insert("info".into(), json!({"title": title, "version": "1.0.0"}));

        // Component names first, so that schemas can refer to each other (and to themselves).
        let count = self.count(6)?;
        for _ in 0..count {
            let name = self.pick(SCHEMA_NAMES)?;
            if !self.schemas.iter().any(|known| known == name) {
                self.schemas.push(name.to_string());
            }
        }
        let mut schemas = Map::new();
        for name in self.schemas.clone() {
            let schema = self.schema(0)?;
            schemas.insert(name, schema);
        }

        let security_schemes = self.security_schemes()?;
        if self.u.ratio(1, 3)? {
            let requirement = self.security_requirement(&security_schemes)?;
            root.insert("security".into(), requirement);
        }

        match self.dialect {
            Dialect::Swagger2 => {
                if self.u.arbitrary()? {
                    root.insert("host".into(), json!("api.example.com"));
                    root.insert("basePath".into(), json!("/v2"));
                    root.insert("schemes".into(), json!(["https", "http"]));
                }
                if self.u.arbitrary()? {
                    let media = self.pick(MEDIA_TYPES)?;
                    root.insert("consumes".into(), json!([media]));
                }
                if self.u.arbitrary()? {
                    let media = self.pick(MEDIA_TYPES)?;
                    root.insert("produces".into(), json!([media]));
                }
            }
            _ => {
                if self.u.arbitrary()? {
                    let url = self.pick(&["https://api.example.com/v1", "/api", "{scheme}://x"])?;
                    root.insert("servers".into(), json!([{"url": url}]));
                }
            }
        }

        self.shared = self.v3() && self.u.ratio(1, 4)?;
        let paths = self.paths(&security_schemes)?;
        let webhooks = if self.json_schema() && self.u.ratio(1, 4)? {
            Some(self.webhooks(&security_schemes)?)
        } else {
            None
        };
        if webhooks.is_none() || self.u.arbitrary()? {
            root.insert("paths".into(), paths);
        }
        if let Some(webhooks) = webhooks {
            root.insert("webhooks".into(), webhooks);
        }

        if self.v3() {
            let mut components = Map::new();
            insert_unless_empty(&mut components, "schemas", schemas);
            insert_unless_empty(&mut components, "securitySchemes", security_schemes);
            if self.shared {
                let parameter = self.parameter(None)?;
                components.insert("parameters".into(), json!({ "Shared": parameter }));
                let response = self.response()?;
                components.insert("responses".into(), json!({ "Problem": response }));
            }
            insert_unless_empty(&mut root, "components", components);
        } else {
            insert_unless_empty(&mut root, "definitions", schemas);
            insert_unless_empty(&mut root, "securityDefinitions", security_schemes);
        }
        if self.u.ratio(1, 5)? {
            let tag = self.pick(TAGS)?;
            root.insert(
                "tags".into(),
                json!([{"name": tag, "description": "A *tag*"}]),
            );
        }
        Ok(Value::Object(root))
    }

    // -----------------------------------------------------------------------------------
    // Schemas

    fn reference(&mut self) -> Result<Value> {
        let prefix = if self.v3() {
            "#/components/schemas/"
        } else {
            "#/definitions/"
        };
        // Mostly a declared component; now and then a dangling name.
        let target = if !self.schemas.is_empty() && !self.u.ratio(1, 64)? {
            let index = self.u.choose_index(self.schemas.len())?;
            self.schemas[index].clone()
        } else {
            self.pick(&["Missing", "a~1b"])?.to_string()
        };
        Ok(json!({ "$ref": format!("{prefix}{target}") }))
    }

    fn schema(&mut self, depth: usize) -> Result<Value> {
        let leaf = depth >= 3;
        let choice = if leaf {
            self.u.int_in_range(0..=6)?
        } else {
            self.u.int_in_range(0..=15)?
        };
        let mut schema = match choice {
            0 => self.string_schema()?,
            1 => self.integer_schema()?,
            2 => json!({"type": "number"}),
            3 => json!({"type": "boolean"}),
            4 | 5 if !self.schemas.is_empty() => self.reference()?,
            4 => self.string_enum()?,
            6 => self.string_enum()?,
            7 | 8 => self.object_schema(depth)?,
            9 => {
                let items = self.schema(depth + 1)?;
                let mut array = json!({"type": "array", "items": items});
                if self.u.ratio(1, 4)? {
                    array["minItems"] = json!(1);
                    array["maxItems"] = json!(self.u.int_in_range(1..=10u32)?);
                }
                if self.u.ratio(1, 6)? {
                    array["uniqueItems"] = json!(true);
                }
                array
            }
            10 => {
                let values = if self.u.arbitrary()? {
                    json!(true)
                } else {
                    self.schema(depth + 1)?
                };
                json!({"type": "object", "additionalProperties": values})
            }
            11 => self.composition(depth, "allOf")?,
            12 => self.composition(depth, "oneOf")?,
            13 => self.composition(depth, "anyOf")?,
            14 => json!({}),
            _ => self.dialect_specific(depth)?,
        };
        if schema.get("$ref").is_none() {
            self.decorate(&mut schema)?;
        } else if self.u.ratio(1, 8)? {
            // Keywords beside a `$ref` (a repair in 3.0, JSON Schema in 3.1).
            schema["description"] = json!("beside a reference");
        }
        Ok(schema)
    }

    fn string_schema(&mut self) -> Result<Value> {
        let mut schema = json!({"type": "string"});
        if self.u.ratio(1, 2)? {
            schema["format"] = json!(self.pick(FORMATS)?);
        }
        if self.u.ratio(1, 5)? {
            schema["minLength"] = json!(self.u.int_in_range(0..=3u32)?);
            schema["maxLength"] = json!(self.u.int_in_range(3..=64u32)?);
        }
        if self.u.ratio(1, 8)? {
            schema["pattern"] = json!(self.pick(&["^[a-z]+$", "\\d{3}", "(unclosed", ".*"])?);
        }
        Ok(schema)
    }

    fn integer_schema(&mut self) -> Result<Value> {
        let mut schema = json!({"type": "integer"});
        if self.u.ratio(1, 2)? {
            schema["format"] = json!(self.pick(&["int32", "int64", "uint8", "weird"])?);
        }
        if self.u.ratio(1, 4)? {
            let minimum: i64 = self.u.arbitrary()?;
            schema["minimum"] = json!(minimum);
        }
        if self.u.ratio(1, 4)? {
            let maximum = *self.u.choose(&[10.0, 1e300, -1.5, 4_294_967_295.0])?;
            schema["maximum"] = json!(maximum);
            if self.json_schema() && self.u.arbitrary()? {
                schema["exclusiveMaximum"] = json!(maximum);
            } else if self.u.ratio(1, 3)? {
                schema["exclusiveMaximum"] = json!(true);
            }
        }
        Ok(schema)
    }

    fn string_enum(&mut self) -> Result<Value> {
        let pool = [
            "active",
            "inactive",
            "ACTIVE",
            "a-b",
            "a_b",
            "",
            "1",
            "type",
            "Self",
            "with space",
            "ünï",
        ];
        // `enum: []` now and then (a repair).
        let count = if self.u.ratio(1, 16)? {
            0
        } else {
            self.u.int_in_range(1..=4)?
        };
        let mut values = Vec::new();
        for _ in 0..count {
            values.push(json!(self.pick(&pool)?));
        }
        if self.u.ratio(1, 6)? {
            // Integer enums.
            return Ok(json!({"type": "integer", "enum": [1, 2, -3]}));
        }
        Ok(json!({"type": "string", "enum": values}))
    }

    fn object_schema(&mut self, depth: usize) -> Result<Value> {
        let count = self.count(5)?;
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..count {
            let name = self.pick(PROPERTY_NAMES)?;
            let schema = self.schema(depth + 1)?;
            if self.u.arbitrary()? {
                required.push(json!(name));
            }
            properties.insert(name.to_string(), schema);
        }
        if self.u.ratio(1, 10)? {
            // A required property that is not declared.
            required.push(json!("undeclared"));
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            required.dedup();
            schema["required"] = Value::Array(required);
        }
        if self.u.ratio(1, 5)? {
            schema["additionalProperties"] = json!(false);
        }
        Ok(schema)
    }

    fn composition(&mut self, depth: usize, keyword: &str) -> Result<Value> {
        let count = self.u.int_in_range(1..=3)?;
        let mut members = Vec::new();
        for _ in 0..count {
            let member = if self.u.arbitrary()? && !self.schemas.is_empty() {
                self.reference()?
            } else {
                self.schema(depth + 1)?
            };
            members.push(member);
        }
        let mut schema = json!({ keyword: members });
        if keyword != "allOf" && self.u.ratio(1, 2)? {
            let property = self.pick(&["type", "kind", "petType"])?;
            let mut discriminator = json!({"propertyName": property});
            if self.u.arbitrary()? && !self.schemas.is_empty() {
                let index = self.u.choose_index(self.schemas.len())?;
                let prefix = if self.v3() {
                    "#/components/schemas/"
                } else {
                    "#/definitions/"
                };
                let target = format!("{prefix}{}", self.schemas[index]);
                let tag = self.pick(&["dog", "cat", "Dog", "1", ""])?;
                discriminator["mapping"] = json!({ tag: target });
            }
            schema["discriminator"] = discriminator;
        }
        Ok(schema)
    }

    /// What only one dialect says: `nullable`, `x-nullable`, type lists, `const`,
    /// `prefixItems`, `patternProperties`, boolean schemas, `type: file`.
    fn dialect_specific(&mut self, depth: usize) -> Result<Value> {
        Ok(match self.dialect {
            Dialect::Swagger2 => {
                if self.u.arbitrary()? {
                    json!({"type": "file"})
                } else {
                    json!({"type": "string", "x-nullable": true})
                }
            }
            Dialect::OpenApi30 => {
                let mut inner = self.schema(depth + 1)?;
                if inner.get("$ref").is_some() {
                    json!({"allOf": [inner], "nullable": true})
                } else {
                    inner["nullable"] = json!(true);
                    inner
                }
            }
            Dialect::OpenApi31 | Dialect::OpenApi32 => match self.u.int_in_range(0..=5)? {
                0 => json!({"type": ["string", "null"]}),
                1 => json!({"type": ["string", "integer"]}),
                2 => json!({"const": self.pick(&["fixed", "a-b", ""])?}),
                3 => {
                    json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false})
                }
                4 => json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
                _ => json!(self.u.arbitrary::<bool>()?),
            },
        })
    }

    fn decorate(&mut self, schema: &mut Value) -> Result<()> {
        let Value::Object(map) = schema else {
            return Ok(());
        };
        if self.u.ratio(1, 4)? {
            let text = self.pick(&[
                "A value.",
                "*/ closes a comment",
                "```rust\nfn main() {}\n```",
                "Line one\n\nLine two with `code` and [a link](http://x)",
                "#[doc = \"x\"]",
                "\\ backslash \" quote",
            ])?;
            map.insert("description".into(), json!(text));
        }
        if self.u.ratio(1, 10)? {
            map.insert(
                "title".into(),
                json!(self.pick(&["Thing", "type", "A title"])?),
            );
        }
        if self.u.ratio(1, 10)? {
            map.insert("readOnly".into(), json!(true));
        } else if self.u.ratio(1, 12)? {
            map.insert("writeOnly".into(), json!(true));
        }
        if self.u.ratio(1, 10)? {
            map.insert("deprecated".into(), json!(true));
        }
        if self.u.ratio(1, 8)? {
            let example = self
                .u
                .choose(&[json!("text"), json!(3), json!({"id": 1}), json!(null)])?
                .clone();
            map.insert("example".into(), example);
        }
        if self.u.ratio(1, 12)? {
            map.insert("default".into(), json!(self.pick(&["x", "active"])?));
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Paths and operations

    fn paths(&mut self, schemes: &Map<String, Value>) -> Result<Value> {
        let count = self.count(5)?;
        let mut paths = Map::new();
        for _ in 0..count {
            let (template, params) = self.template()?;
            let item = self.path_item(&params, schemes)?;
            paths.insert(template, item);
        }
        Ok(Value::Object(paths))
    }

    fn template(&mut self) -> Result<(String, Vec<&'static str>)> {
        let count = self.count(3)?;
        let mut template = String::new();
        let mut params = Vec::new();
        for _ in 0..count {
            template.push('/');
            match self.u.int_in_range(0..=5)? {
                0 | 1 => {
                    let name = self.pick(PATH_PARAMS)?;
                    template.push_str(&format!("{{{name}}}"));
                    params.push(name);
                }
                2 if self.u.ratio(1, 4)? => {
                    // Two parameters in one segment, or a `:colon` parameter.
                    if self.u.arbitrary()? {
                        template.push_str("{base}...{head}");
                        params.extend(["base", "head"]);
                    } else {
                        template.push_str(":slug");
                    }
                }
                _ => template.push_str(self.pick(SEGMENTS)?),
            }
        }
        if template.is_empty() {
            template.push('/');
        }
        Ok((template, params))
    }

    fn path_item(
        &mut self,
        path_params: &[&'static str],
        schemes: &Map<String, Value>,
    ) -> Result<Value> {
        let mut item = Map::new();
        let methods: &[&str] = match self.dialect {
            Dialect::OpenApi32 => &[
                "get", "put", "post", "delete", "patch", "head", "options", "trace", "query",
            ],
            _ => &[
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ],
        };
        // An empty path item now and then (a repair).
        let count = if self.u.ratio(1, 16)? {
            0
        } else {
            self.u.int_in_range(1..=3)?
        };
        for _ in 0..count {
            let method = self.pick(methods)?;
            let operation = self.operation(method, path_params, schemes)?;
            item.insert(method.to_string(), operation);
        }
        if self.dialect == Dialect::OpenApi32 && self.u.ratio(1, 6)? {
            let operation = self.operation("copy", path_params, schemes)?;
            item.insert(
                "additionalOperations".into(),
                json!({ self.pick(&["COPY", "PURGE", "LINK"])?: operation }),
            );
        }
        if self.u.ratio(1, 6)? {
            item.insert("description".into(), json!("A path item."));
        }
        if self.u.ratio(1, 6)? && !path_params.is_empty() {
            // Path-level parameters.
            let parameter = self.path_parameter(path_params[0])?;
            item.insert("parameters".into(), json!([parameter]));
        }
        Ok(Value::Object(item))
    }

    fn operation(
        &mut self,
        method: &str,
        path_params: &[&'static str],
        schemes: &Map<String, Value>,
    ) -> Result<Value> {
        let mut operation = Map::new();
        if !self.u.ratio(1, 8)? {
            operation.insert("operationId".into(), json!(self.pick(OPERATION_IDS)?));
        }
        if self.u.arbitrary()? {
            let tag = self.pick(TAGS)?;
            operation.insert("tags".into(), json!([tag]));
        }
        if self.u.ratio(1, 4)? {
            operation.insert("summary".into(), json!("Does a thing."));
        }
        if self.u.ratio(1, 10)? {
            operation.insert("deprecated".into(), json!(true));
        }
        let mut parameters = Vec::new();
        for name in path_params {
            // Sometimes left out (a repair: a required string).
            if !self.u.ratio(1, 10)? {
                parameters.push(self.path_parameter(name)?);
            }
        }
        let count = self.count(4)?;
        for _ in 0..count {
            if self.shared && self.u.ratio(1, 10)? {
                parameters.push(json!({"$ref": "#/components/parameters/Shared"}));
            } else {
                parameters.push(self.parameter(None)?);
            }
        }
        let has_body =
            matches!(method, "post" | "put" | "patch" | "query" | "copy") || self.u.ratio(1, 10)?;
        if has_body {
            if self.v3() {
                let body = self.request_body()?;
                operation.insert("requestBody".into(), body);
            } else {
                parameters.push(self.swagger_body_parameter()?);
            }
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        let mut responses = Map::new();
        let count = self.u.int_in_range(0..=3)?;
        for _ in 0..count {
            let status = self.pick(STATUSES)?;
            let response = if self.shared && self.u.ratio(1, 10)? {
                json!({"$ref": "#/components/responses/Problem"})
            } else {
                self.response()?
            };
            responses.insert(status.to_string(), response);
        }
        operation.insert("responses".into(), Value::Object(responses));
        if self.u.ratio(1, 3)? {
            let requirement = self.security_requirement(schemes)?;
            operation.insert("security".into(), requirement);
        }
        if self.dialect == Dialect::Swagger2 && self.u.ratio(1, 4)? {
            let media = self.pick(MEDIA_TYPES)?;
            operation.insert("consumes".into(), json!([media]));
        }
        Ok(Value::Object(operation))
    }

    fn path_parameter(&mut self, name: &str) -> Result<Value> {
        let mut parameter = json!({"name": name, "in": "path"});
        if !self.u.ratio(1, 10)? {
            parameter["required"] = json!(true);
        }
        let schema = match self.u.int_in_range(0..=4)? {
            0 => json!({"type": "integer", "format": "int64"}),
            1 => json!({"type": "string", "format": "uuid"}),
            2 => json!({"type": "array", "items": {"type": "integer"}}),
            3 if !self.schemas.is_empty() => self.reference()?,
            _ => json!({"type": "string"}),
        };
        if self.v3() {
            if self.u.ratio(1, 4)? {
                // `form` is not a path style: refused, now and then.
                let styles: &[&str] = if self.u.ratio(1, 32)? {
                    &["form"]
                } else {
                    &["simple", "label", "matrix"]
                };
                parameter["style"] = json!(self.pick(styles)?);
                parameter["explode"] = json!(self.u.arbitrary::<bool>()?);
            }
            parameter["schema"] = schema;
        } else {
            self.swagger_inline(&mut parameter, &schema)?;
        }
        Ok(parameter)
    }

    fn parameter(&mut self, location: Option<&str>) -> Result<Value> {
        let location = match location {
            Some(location) => location,
            None if self.v3() => self.pick(&["query", "query", "header", "cookie"])?,
            // Form data only instead of a body (two kinds of body are refused).
            None => self.pick(&["query", "query", "header"])?,
        };
        let name = self.pick(PARAM_NAMES)?;
        let mut parameter = json!({"name": name, "in": location});
        if self.u.ratio(1, 3)? {
            parameter["required"] = json!(true);
        }
        if self.u.ratio(1, 6)? {
            parameter["description"] = json!("A parameter.");
        }
        let schema = match self.u.int_in_range(0..=6)? {
            0 => json!({"type": "integer", "minimum": 0}),
            1 => json!({"type": "array", "items": {"type": "string"}}),
            2 => json!({"type": "array", "items": {"type": "integer", "format": "int32"}}),
            3 => {
                json!({"type": "object", "properties": {"color": {"type": "string"}, "size": {"type": "integer"}}})
            }
            4 => json!({"type": "boolean"}),
            5 => self.schema(2)?,
            _ => json!({"type": "string"}),
        };
        if self.v3() {
            if self.u.ratio(1, 8)? {
                let media = self.pick(&["application/json", "text/plain"])?;
                parameter["content"] = json!({ media: {"schema": schema} });
            } else {
                if self.u.ratio(1, 2)? {
                    // A style the location does not allow, now and then (refused).
                    let styles: &[&str] = match location {
                        _ if self.u.ratio(1, 32)? => &["simple", "form", "matrix"],
                        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                        "header" => &["simple"],
                        _ => &["form"],
                    };
                    parameter["style"] = json!(self.pick(styles)?);
                }
                if self.u.ratio(1, 2)? {
                    parameter["explode"] = json!(self.u.arbitrary::<bool>()?);
                }
                if self.u.ratio(1, 10)? {
                    parameter["allowReserved"] = json!(true);
                }
                parameter["schema"] = schema;
            }
            if self.dialect == Dialect::OpenApi32 && self.u.ratio(1, 100)? {
                parameter["in"] = json!("querystring");
            }
        } else {
            self.swagger_inline(&mut parameter, &schema)?;
        }
        Ok(parameter)
    }

    /// A Swagger 2.0 non-body parameter carries its schema's keywords inline.
    fn swagger_inline(&mut self, parameter: &mut Value, schema: &Value) -> Result<()> {
        if self.u.ratio(1, 12)? {
            // Without `type` (a repair: a string).
            return Ok(());
        }
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .filter(|ty| *ty != "object")
            .unwrap_or("string");
        parameter["type"] = json!(ty);
        if let Some(format) = schema.get("format") {
            parameter["format"] = format.clone();
        }
        if ty == "array" {
            parameter["items"] = schema
                .get("items")
                .filter(|items| items.get("$ref").is_none())
                .cloned()
                .unwrap_or(json!({"type": "string"}));
            if self.u.arbitrary()? {
                parameter["collectionFormat"] =
                    json!(self.pick(&["csv", "ssv", "tsv", "pipes", "multi"])?);
            }
        }
        if self.u.ratio(1, 10)? {
            parameter["type"] = json!("file");
        }
        Ok(())
    }

    fn swagger_body_parameter(&mut self) -> Result<Value> {
        if self.u.ratio(1, 4)? {
            // Form data instead of a body.
            let mut parameter = self.parameter(Some("formData"))?;
            if self.u.ratio(1, 3)? {
                parameter["type"] = json!("file");
            }
            return Ok(parameter);
        }
        let schema = self.schema(1)?;
        let mut parameter = json!({"name": "body", "in": "body", "schema": schema});
        if self.u.arbitrary()? {
            parameter["required"] = json!(true);
        }
        Ok(parameter)
    }

    fn content(&mut self) -> Result<Value> {
        let count = self.u.int_in_range(1..=3)?;
        let mut content = Map::new();
        for _ in 0..count {
            let media = self.pick(MEDIA_TYPES)?;
            let mut entry = Map::new();
            if !self.u.ratio(1, 8)? {
                entry.insert("schema".into(), self.schema(1)?);
            }
            if self.u.ratio(1, 8)? {
                entry.insert("example".into(), json!({"id": 1, "name": "x"}));
            }
            if self.dialect == Dialect::OpenApi32 && self.u.ratio(1, 8)? {
                entry.insert("itemSchema".into(), self.schema(2)?);
            }
            if media == "multipart/form-data" && self.u.ratio(1, 3)? {
                entry.insert(
                    "encoding".into(),
                    json!({"file": {"contentType": "image/png"}}),
                );
            }
            content.insert(media.to_string(), Value::Object(entry));
        }
        Ok(Value::Object(content))
    }

    fn request_body(&mut self) -> Result<Value> {
        let content = self.content()?;
        let mut body = json!({ "content": content });
        if self.u.arbitrary()? {
            body["required"] = json!(true);
        }
        Ok(body)
    }

    fn response(&mut self) -> Result<Value> {
        let mut response = Map::new();
        if !self.u.ratio(1, 10)? {
            response.insert("description".into(), json!("A response."));
        }
        if self.u.arbitrary()? {
            if self.v3() {
                response.insert("content".into(), self.content()?);
            } else {
                response.insert("schema".into(), self.schema(1)?);
            }
        }
        if self.u.ratio(1, 4)? {
            let name = self.pick(&["X-Rate-Limit", "Location", "Content-Type", "ETag", "x"])?;
            let header = if self.v3() {
                let schema = self.schema(2)?;
                json!({"schema": schema, "required": self.u.arbitrary::<bool>()?})
            } else {
                json!({"type": self.pick(&["string", "integer"])?})
            };
            response.insert("headers".into(), json!({ name: header }));
        }
        Ok(Value::Object(response))
    }

    fn webhooks(&mut self, schemes: &Map<String, Value>) -> Result<Value> {
        let count = self.u.int_in_range(1..=2)?;
        let mut webhooks = Map::new();
        for _ in 0..count {
            let name = self.pick(&["newPet", "user.created", "type", "on-event"])?;
            let operation = self.operation("post", &[], schemes)?;
            webhooks.insert(name.to_string(), json!({ "post": operation }));
        }
        Ok(Value::Object(webhooks))
    }

    // -----------------------------------------------------------------------------------
    // Security

    fn security_schemes(&mut self) -> Result<Map<String, Value>> {
        let count = self.count(3)?;
        let mut schemes = Map::new();
        for _ in 0..count {
            let name = self.pick(SECURITY_NAMES)?;
            let scheme = match (self.u.int_in_range(0..=6)?, self.v3()) {
                (0, _) => json!({"type": "apiKey", "in": "header", "name": "X-Api-Key"}),
                (1, _) => json!({"type": "apiKey", "in": "query", "name": "api_key"}),
                (2, true) => json!({"type": "apiKey", "in": "cookie", "name": "session"}),
                (3, true) => {
                    json!({"type": "http", "scheme": self.pick(&["bearer", "basic", "Digest", "Bearer", "hoba"])?})
                }
                (3, false) | (2, false) => json!({"type": "basic"}),
                (4, true) => json!({"type": "oauth2", "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://example.com/auth",
                        "tokenUrl": "https://example.com/token",
                        "scopes": {"read": "read", "write": "write"}
                    }
                }}),
                (4, false) => {
                    json!({"type": "oauth2", "flow": self.pick(&["accessCode", "implicit", "password", "application"])?,
                    "authorizationUrl": "https://example.com/auth", "tokenUrl": "https://example.com/token",
                    "scopes": {"read": "read"}})
                }
                (5, true) => {
                    json!({"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known"})
                }
                (6, true) if self.dialect != Dialect::OpenApi30 => json!({"type": "mutualTLS"}),
                _ => json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
            };
            schemes.insert(name.to_string(), scheme);
        }
        Ok(schemes)
    }

    fn security_requirement(&mut self, schemes: &Map<String, Value>) -> Result<Value> {
        let names: Vec<&String> = schemes.keys().collect();
        let count = self.count(2)?;
        let mut alternatives = Vec::new();
        for _ in 0..count {
            let mut requirement = Map::new();
            let members = self.count(2)?;
            for _ in 0..members {
                // A scheme that is not declared, now and then (refused).
                let name = if self.u.ratio(1, 48)? {
                    "undeclared".to_string()
                } else if names.is_empty() {
                    break;
                } else {
                    names[self.u.choose_index(names.len())?].clone()
                };
                let scopes = if self.u.ratio(1, 4)? {
                    json!(["read"])
                } else {
                    json!([])
                };
                requirement.insert(name, scopes);
            }
            alternatives.push(Value::Object(requirement));
        }
        Ok(Value::Array(alternatives))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes give the same document; different bytes reach every dialect.
    #[test]
    fn deterministic_and_varied() {
        let mut dialects = std::collections::BTreeSet::new();
        for seed in 0..200 {
            let bytes = seed_bytes(seed, 4096);
            let first = build(&mut Unstructured::new(&bytes)).unwrap();
            let again = build(&mut Unstructured::new(&bytes)).unwrap();
            assert_eq!(first.text, again.text);
            dialects.insert(first.dialect.label());
        }
        assert_eq!(dialects.len(), 4, "{dialects:?}");
    }

    #[test]
    fn empty_input_is_a_document() {
        let spec = build(&mut Unstructured::new(&[])).unwrap();
        assert!(spec.text.contains("openapi"), "{}", spec.text);
    }
}
