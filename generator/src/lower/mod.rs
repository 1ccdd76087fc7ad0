//! Lowering: the validated document becomes the [`ir::Api`](crate::ir::Api), in small
//! passes: component schemas, operations and webhooks (with their inline schemas), security
//! schemes, each operation's Rust shape, then the cycle pass that decides where recursion
//! needs a `Box`.

mod cycles;
mod schema;
mod shape;
pub mod wire;

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::{Diagnostics, push_pointer};
use crate::document::{Document, Method, Obj};
use crate::ir::{
    Api, ApiKeyLocation, Content, Docs, Location, MediaKind, Operation, OperationShape,
    PathTemplate, Primitive, RequestBody, Response, ResponseHeader, SecurityRequirement,
    SecurityScheme, SecuritySchemeKind, Server, ServerVariable, Status, Style, Surface, TypeRef,
};
use crate::names::{self, Scope};

use schema::{SchemaLowering, docs_of};

pub use wire::{contracts, definitions};

/// The IR of a validated document, except [`Api::wire`] and [`Api::webhook_wire`], which
/// callers build from it ([`contracts`]), with the schema [`definitions`] translated on
/// another core meanwhile.
pub fn lower(document: &Document, diagnostics: &mut Diagnostics) -> Api {
    let mut schemas = SchemaLowering::new(document);
    schemas.lower_components(diagnostics);
    // The client's methods share one namespace: its own, a setter per security scheme, then
    // a method per operation (trait methods and modules take the same names).
    let mut method_names = Scope::default();
    for own in CLIENT_METHODS {
        method_names.claim(own.to_string());
    }
    let security_schemes = security_schemes(document, &mut method_names);
    let mut type_stems = Scope::default();
    let resolver = schemas.resolver;
    // Path items, then webhooks (the receiver mounts each at its name), each with the
    // template its operations are served at; lowered in that order, so names are claimed in
    // document order.
    let mut items = Vec::new();
    for (path, item) in document.paths() {
        let Ok(template) = PathTemplate::parse(path) else {
            continue;
        };
        items.push((Surface::Api, template, push_pointer("/paths", path), item));
    }
    for (name, item) in document.webhooks() {
        let template = PathTemplate::literal(&format!("/{}", name.trim_start_matches('/')));
        items.push((
            Surface::Webhooks,
            template,
            push_pointer("/webhooks", name),
            item,
        ));
    }
    let (mut operations, mut webhooks) = (Vec::new(), Vec::new());
    for (surface, template, item_pointer, item) in items {
        let Some((item, resolved_pointer)) = resolver.object(item, &item_pointer) else {
            continue;
        };
        for (method, operation, pointer) in document.operations(item, &item_pointer) {
            let lowered = OperationLowering {
                schemas: &mut schemas,
                diagnostics,
                document,
                security_schemes: &security_schemes,
            }
            .lower(
                &template,
                method,
                (item, &resolved_pointer),
                operation,
                &pointer,
                &mut method_names,
                &mut type_stems,
            );
            match surface {
                Surface::Api => operations.push(lowered),
                Surface::Webhooks => webhooks.push(lowered),
            }
        }
    }
    for operation in operations.iter_mut().chain(webhooks.iter_mut()) {
        operation.shape = shape::shape(operation, &security_schemes);
    }
    let (mut types, examples) = schemas.finish();
    cycles::break_cycles(&mut types);
    for cycle in cycles::cycles_without_structure(&types) {
        let through: Vec<String> = cycle[1..]
            .iter()
            .map(|&index| format!("#{}", types[index].origin))
            .collect();
        let via = if through.is_empty() {
            String::new()
        } else {
            format!(" (through {})", through.join(", "))
        };
        diagnostics.error(
            types[cycle[0]].origin.clone(),
            format!(
                "this schema refers back to itself{via} only through references and \
                 oneOf/anyOf/allOf members, never through an object or an array: it \
                 describes no finite value"
            ),
        );
    }
    let tags = tags(&operations, "Api");
    let webhook_tags = tags_of_webhooks(&webhooks);
    let root = document.root();
    let info = root.obj("info").unwrap_or(Obj::empty());
    Api {
        title: info.text("title").unwrap_or("API").to_string(),
        version: info
            .value("version")
            .map(|version| match version {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "0".to_string()),
        summary: info.text("summary").map(str::to_string),
        description: info.str("description").map(str::to_string),
        dialect: document.written.label(),
        servers: servers(root),
        types,
        operations,
        tags,
        webhooks,
        webhook_tags,
        security_schemes,
        examples,
        // Built from this IR afterwards (`wire::contracts`).
        wire: contract_wire::Contract::default(),
        webhook_wire: contract_wire::Contract::default(),
    }
}

/// The methods `Client` has of its own: no operation or setter may take their names.
const CLIENT_METHODS: &[&str] = &["new", "with_http_client", "for_default_server", "base_url"];

/// The tag operations are grouped by (the first they list).
const DEFAULT_TAG: &str = "default";

/// Tags in first-use order, each with its operations and a trait name unique among them
/// (`pets` and `Pets` are `PetsApi` and `PetsApi2`).
fn tags(operations: &[Operation], suffix: &str) -> Vec<crate::ir::Tag> {
    let mut tags: Vec<crate::ir::Tag> = Vec::new();
    let mut trait_names = Scope::default();
    let mut features = Scope::default();
    for (index, operation) in operations.iter().enumerate() {
        let name = operation.tags.first().map_or(DEFAULT_TAG, String::as_str);
        match tags.iter_mut().find(|tag| tag.name == name) {
            Some(tag) => tag.operations.push(index),
            None => {
                let base = names::type_name(name);
                let base = base.strip_suffix("Model").unwrap_or(&base).to_string();
                let wanted = if suffix == "Webhooks" && name == DEFAULT_TAG {
                    // The receiver of untagged webhooks is plainly `Webhooks`.
                    suffix.to_string()
                } else if base.ends_with(suffix) {
                    base
                } else {
                    format!("{base}{suffix}")
                };
                tags.push(crate::ir::Tag {
                    name: name.to_string(),
                    trait_name: trait_names.claim(wanted),
                    feature: features.claim_with(names::feature_name(name), "-"),
                    operations: vec![index],
                });
            }
        }
    }
    tags
}

/// The webhooks' tags: `Webhooks` for the untagged, `AccountWebhooks` for the rest.
fn tags_of_webhooks(webhooks: &[Operation]) -> Vec<crate::ir::Tag> {
    tags(webhooks, "Webhooks")
}

fn servers(root: Obj<'_>) -> Vec<Server> {
    root.array("servers")
        .iter()
        .filter_map(Obj::of)
        .filter_map(|server| {
            Some(Server {
                url: server.str("url")?.to_string(),
                description: server.text("description").map(str::to_string),
                variables: server
                    .entries("variables")
                    .filter_map(|(name, variable)| {
                        let variable = Obj::of(variable)?;
                        Some(ServerVariable {
                            name: name.to_string(),
                            default: variable.str("default").unwrap_or_default().to_string(),
                            values: variable.strings("enum"),
                            description: variable.text("description").map(str::to_string),
                        })
                    })
                    .collect(),
            })
        })
        .collect()
}

fn security_schemes(document: &Document, method_names: &mut Scope) -> Vec<SecurityScheme> {
    let mut scope = Scope::default();
    // The client's fields: its own, then one per scheme.
    let mut fields = Scope::default();
    for own in ["base_url", "http"] {
        fields.claim(own.to_string());
    }
    document
        .components("securitySchemes")
        .filter_map(|(name, scheme)| {
            let scheme = Obj::of(scheme)?;
            let kind = match scheme.str("type")? {
                "apiKey" => SecuritySchemeKind::ApiKey {
                    location: match scheme.str("in")? {
                        "query" => ApiKeyLocation::Query,
                        "cookie" => ApiKeyLocation::Cookie,
                        _ => ApiKeyLocation::Header,
                    },
                    name: scheme.str("name")?.to_string(),
                },
                "http" => SecuritySchemeKind::Http {
                    scheme: scheme.str("scheme")?.trim().to_ascii_lowercase(),
                    bearer_format: scheme.text("bearerFormat").map(str::to_string),
                },
                "oauth2" => SecuritySchemeKind::OAuth2,
                "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
                    url: scheme
                        .str("openIdConnectUrl")
                        .unwrap_or_default()
                        .to_string(),
                },
                // `mutualTLS` (3.1) is the TLS layer's to check, not the router's: it has no
                // credentials type, and requirements read it as met.
                _ => return None,
            };
            let value = names::value_name(name);
            let value = value.trim_start_matches("r#");
            Some(SecurityScheme {
                name: name.to_string(),
                rust_name: scope.claim(names::type_name(name)),
                setter: method_names.claim(format!("with_{value}")),
                field: fields.claim(format!("credentials_{value}")),
                kind,
                description: scheme.text("description").map(str::to_string),
            })
        })
        .collect()
}

struct OperationLowering<'s, 'a, 'd> {
    schemas: &'s mut SchemaLowering<'a>,
    diagnostics: &'d mut Diagnostics,
    document: &'a Document,
    security_schemes: &'s [SecurityScheme],
}

impl<'a> OperationLowering<'_, 'a, '_> {
    #[allow(clippy::too_many_arguments)]
    fn lower(
        mut self,
        template: &PathTemplate,
        method: Method,
        (item, item_pointer): (Obj<'a>, &str),
        operation: Obj<'a>,
        pointer: &str,
        method_names: &mut Scope,
        type_stems: &mut Scope,
    ) -> Operation {
        let id = operation
            .text("operationId")
            .map(str::to_string)
            .unwrap_or_else(|| crate::load::repair::derived_id(method.as_str(), template.as_str()));
        let rust_name = method_names.claim(names::value_name(&id));
        let type_stem = type_stems.claim(names::type_name(&id));

        // Operation-level parameters override path-level ones with the same name and location.
        let mut merged: IndexMap<(String, String), (Obj<'a>, String)> = IndexMap::new();
        let resolver = self.schemas.resolver;
        for (list, base) in [
            (
                item.array("parameters"),
                push_pointer(item_pointer, "parameters"),
            ),
            (
                operation.array("parameters"),
                push_pointer(pointer, "parameters"),
            ),
        ] {
            for (index, parameter) in list.iter().enumerate() {
                let Some((parameter, parameter_pointer)) =
                    resolver.object(parameter, &push_pointer(&base, &index.to_string()))
                else {
                    continue;
                };
                let (Some(name), Some(location)) = (parameter.str("name"), parameter.str("in"))
                else {
                    continue;
                };
                merged.insert(
                    (name.to_string(), location.to_string()),
                    (parameter, parameter_pointer),
                );
            }
        }
        let mut parameters = Vec::new();
        let mut param_names = Scope::default();
        for (parameter, parameter_pointer) in merged.into_values() {
            if let Some(lowered) =
                self.parameter(parameter, &parameter_pointer, &type_stem, &mut param_names)
            {
                parameters.push(lowered);
            }
        }

        let body = operation.value("requestBody").and_then(|body| {
            let (body, body_pointer) =
                resolver.object(body, &push_pointer(pointer, "requestBody"))?;
            Some(RequestBody {
                required: body.bool("required").unwrap_or(false),
                description: body.text("description").map(str::to_string),
                content: self.content(body, &body_pointer, &format!("{type_stem}Request")),
            })
        });

        let mut responses = Vec::new();
        let mut default = None;
        let responses_pointer = push_pointer(pointer, "responses");
        for (key, response) in operation.entries("responses") {
            if key.starts_with("x-") {
                continue;
            }
            let response_pointer = push_pointer(&responses_pointer, key);
            let Some(status) = Status::parse(key) else {
                self.diagnostics.error(
                    response_pointer,
                    format!("`{key}` is not a status code (`200`, `4XX` or `default`)"),
                );
                continue;
            };
            let label = match status {
                Status::Code(code) => code.to_string(),
                Status::Range(range) => format!("{range}XX"),
                Status::Default => "Default".to_string(),
            };
            if let Some(lowered) =
                self.response(response, &response_pointer, &type_stem, &label, status)
            {
                if status == Status::Default {
                    default = Some(lowered);
                } else {
                    responses.push(lowered);
                }
            }
        }
        responses.extend(default);

        let (security, security_optional) = self.security(operation);
        Operation {
            id,
            rust_name,
            type_stem,
            method,
            path: template.clone(),
            tags: operation.strings("tags"),
            summary: operation.str("summary").map(str::to_string),
            description: operation.str("description").map(str::to_string),
            deprecated: operation.bool("deprecated").unwrap_or(false),
            parameters,
            body,
            responses,
            security,
            security_optional,
            pointer: pointer.to_string(),
            // Decided once every operation is lowered (`shape::shape`).
            shape: OperationShape::default(),
        }
    }

    /// Alternatives of requirements, each naming schemes known to the document, and whether
    /// credentials are optional (an empty requirement, `- {}`, or one only the transport
    /// checks, is among the alternatives). Alternatives that name the same schemes (with other
    /// scopes) are one alternative to the code.
    fn security(&self, operation: Obj<'a>) -> (Vec<SecurityRequirement>, bool) {
        let requirements = operation
            .value("security")
            .or_else(|| self.document.root().value("security"))
            .and_then(Value::as_array);
        let Some(requirements) = requirements else {
            return (Vec::new(), false);
        };
        let mut optional = false;
        let mut out: Vec<SecurityRequirement> = Vec::new();
        for requirement in requirements.iter().filter_map(Value::as_object) {
            // Empty, or only mutual TLS: met without credentials the router sees.
            if requirement.keys().all(|name| self.transport_only(name)) {
                optional = true;
                continue;
            }
            let schemes: Vec<(usize, Vec<String>)> = requirement
                .iter()
                .filter_map(|(name, scopes)| {
                    let index = self.security_schemes.iter().position(|s| &s.name == name)?;
                    let scopes = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect();
                    Some((index, scopes))
                })
                .collect();
            if schemes.is_empty() {
                continue;
            }
            let same = out.iter_mut().find(|existing| {
                let mut a: Vec<usize> = existing.schemes.iter().map(|(index, _)| *index).collect();
                let mut b: Vec<usize> = schemes.iter().map(|(index, _)| *index).collect();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            });
            match same {
                Some(existing) => {
                    for (index, scopes) in schemes {
                        if let Some((_, known)) =
                            existing.schemes.iter_mut().find(|(i, _)| *i == index)
                        {
                            for scope in scopes {
                                if !known.contains(&scope) {
                                    known.push(scope);
                                }
                            }
                        }
                    }
                }
                None => out.push(SecurityRequirement { schemes }),
            }
        }
        (out, optional)
    }

    /// A scheme the transport checks (mutual TLS), not the router.
    fn transport_only(&self, name: &str) -> bool {
        self.document
            .root()
            .obj("components")
            .and_then(|components| components.obj("securitySchemes"))
            .and_then(|schemes| schemes.obj(name))
            .and_then(|scheme| scheme.str("type"))
            == Some("mutualTLS")
    }

    fn parameter(
        &mut self,
        parameter: Obj<'a>,
        pointer: &str,
        type_stem: &str,
        names_in_scope: &mut Scope,
    ) -> Option<crate::ir::Parameter> {
        let name = parameter.str("name")?;
        let location = match parameter.str("in")? {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            "querystring" => {
                self.diagnostics.error(
                    push_pointer(pointer, "in"),
                    "`in: querystring` (OpenAPI 3.2) is not generated yet: declare the query parameters one by one",
                );
                return None;
            }
            _ => return None,
        };
        let style = match parameter.str("style") {
            Some("label") => Style::Label,
            Some("matrix") => Style::Matrix,
            Some("form" | "cookie") => Style::Form,
            Some("spaceDelimited") => Style::SpaceDelimited,
            Some("pipeDelimited") => Style::PipeDelimited,
            Some("deepObject") => Style::DeepObject,
            Some("simple") => Style::Simple,
            _ => location.default_style(),
        };
        let content_type = parameter
            .entries("content")
            .next()
            .map(|(media_type, _)| media_type.to_string());
        let (schema, schema_pointer) = match parameter.value("schema") {
            Some(schema) => (Some(schema), push_pointer(pointer, "schema")),
            None => match parameter.entries("content").next() {
                Some((media_type, media)) => (
                    media.get("schema"),
                    push_pointer(
                        &push_pointer(&push_pointer(pointer, "content"), media_type),
                        "schema",
                    ),
                ),
                None => (None, String::new()),
            },
        };
        let hint = format!("{type_stem}{}", names::type_name(name));
        let ty = match schema {
            Some(schema) => self
                .schemas
                .lower(schema, &schema_pointer, &hint, self.diagnostics),
            None => TypeRef::Primitive(Primitive::String),
        };
        let mut docs = match schema.and_then(|schema| self.schemas.use_of(schema)) {
            Some(crate::document::SchemaUse::Inline(schema)) => docs_of(&schema),
            _ => Docs::default(),
        };
        docs.description = parameter
            .str("description")
            .map(str::to_string)
            .or(docs.description);
        docs.deprecated |= parameter.bool("deprecated").unwrap_or(false);
        Some(crate::ir::Parameter {
            rust_name: names_in_scope.claim(names::value_name(name)),
            wire_name: name.to_string(),
            location,
            ty,
            // Path parameters are always required (the repair says so where the spec did not).
            required: location == Location::Path || parameter.bool("required").unwrap_or(false),
            style,
            // Form style explodes by default; every other style does not.
            explode: parameter
                .bool("explode")
                .unwrap_or(style.explodes_by_default()),
            content_type,
            docs,
            pointer: pointer.to_string(),
            schema_pointer: schema.map(|_| schema_pointer),
        })
    }

    /// The media types of a body or response. Media types that differ only in parameters
    /// (`application/json` and `application/json; charset=utf-8`) are one, under the first.
    fn content(&mut self, owner: Obj<'a>, pointer: &str, hint: &str) -> Vec<Content> {
        let base = push_pointer(pointer, "content");
        let mut by_essence: IndexMap<String, Vec<(&'a str, &'a Value)>> = IndexMap::new();
        for (media_type, media) in owner.entries("content") {
            let essence = contract_wire::media::essence(media_type)
                .unwrap_or_else(|| media_type.to_ascii_lowercase());
            by_essence
                .entry(essence)
                .or_default()
                .push((media_type, media));
        }
        let several = by_essence.len() > 1;
        let mut out = Vec::with_capacity(by_essence.len());
        for (_, spellings) in by_essence {
            let (media_type, media) = spellings[0];
            let media = Obj::of(media).unwrap_or(Obj::empty());
            let kind = contract_wire::media::kind(media_type);
            let media_pointer = push_pointer(&base, media_type);
            let hint = if several && kind != MediaKind::Json {
                format!("{hint}{}", names::type_name(media_type))
            } else {
                hint.to_string()
            };
            let ty = media.value("schema").map(|schema| {
                let schema_pointer = push_pointer(&media_pointer, "schema");
                self.body_type(schema, &schema_pointer, &hint, kind)
            });
            let item_ty = media.value("itemSchema").map(|schema| {
                self.schemas.lower(
                    schema,
                    &push_pointer(&media_pointer, "itemSchema"),
                    &format!("{hint}Item"),
                    self.diagnostics,
                )
            });
            if let (Some(ty), Some(example)) = (&ty, media.value("example"))
                && kind == MediaKind::Json
            {
                self.schemas.record_media_example(
                    &push_pointer(&media_pointer, "example"),
                    ty.clone(),
                    example,
                );
            }
            out.push(Content {
                media_type: media_type.to_string(),
                aliases: spellings[1..]
                    .iter()
                    .map(|(alias, _)| alias.to_string())
                    .collect(),
                kind,
                ty,
                item_ty,
                pointer: media_pointer,
            });
        }
        out
    }

    /// The type of a body of one media type. Bytes are bytes whatever their schema says
    /// (the schema of a multipart body still gets its model); a text body is a `String`,
    /// since an object or an enum cannot be decoded from text without a format to read.
    fn body_type(
        &mut self,
        schema: &'a Value,
        pointer: &str,
        hint: &str,
        kind: MediaKind,
    ) -> TypeRef {
        if kind == MediaKind::Binary && self.is_binary_string(schema) {
            return TypeRef::Primitive(Primitive::Binary);
        }
        let lowered = self.schemas.lower(schema, pointer, hint, self.diagnostics);
        match kind {
            MediaKind::Text if lowered.non_null() != &TypeRef::Primitive(Primitive::String) => {
                TypeRef::Primitive(Primitive::String)
            }
            _ => lowered,
        }
    }

    fn is_binary_string(&self, schema: &'a Value) -> bool {
        match self.schemas.use_of(schema) {
            Some(crate::document::SchemaUse::Inline(schema)) => {
                schema.single_type() == Some(crate::document::schema::JsonType::String)
                    && matches!(schema.format(), Some("binary") | None)
            }
            _ => false,
        }
    }

    fn response(
        &mut self,
        response: &'a Value,
        pointer: &str,
        type_stem: &str,
        status_label: &str,
        status: Status,
    ) -> Option<Response> {
        let (response, pointer) = self.schemas.resolver.object(response, pointer)?;
        // A shared response is named after its component, not after its first user.
        let hint = match crate::resolve::component_name(&pointer, "responses") {
            Some(name) => format!("{}Response", names::type_name(&name)),
            None => format!("{type_stem}{status_label}Response"),
        };
        let mut header_names = Scope::default();
        let mut headers = Vec::new();
        let headers_pointer = push_pointer(&pointer, "headers");
        for (name, header) in response.entries("headers") {
            let Some((header, header_pointer)) = self
                .schemas
                .resolver
                .object(header, &push_pointer(&headers_pointer, name))
            else {
                continue;
            };
            let schema = header
                .value("schema")
                .map(|schema| (schema, push_pointer(&header_pointer, "schema")))
                .or_else(|| {
                    let (media_type, media) = header.entries("content").next()?;
                    Some((
                        media.get("schema")?,
                        push_pointer(
                            &push_pointer(&push_pointer(&header_pointer, "content"), media_type),
                            "schema",
                        ),
                    ))
                });
            let ty = match &schema {
                Some((schema, schema_pointer)) => self.schemas.lower(
                    schema,
                    schema_pointer,
                    &format!("{hint}{}Header", names::type_name(name)),
                    self.diagnostics,
                ),
                None => TypeRef::Primitive(Primitive::String),
            };
            headers.push(ResponseHeader {
                rust_name: header_names.claim(names::value_name(name)),
                wire_name: name.to_string(),
                ty,
                required: header.bool("required").unwrap_or(false),
                docs: Docs {
                    description: header.str("description").map(str::to_string),
                    deprecated: header.bool("deprecated").unwrap_or(false),
                    ..Docs::default()
                },
                schema_pointer: schema.map(|(_, pointer)| pointer),
            });
        }
        Some(Response {
            status,
            description: response.str("description").unwrap_or_default().to_string(),
            headers,
            content: self.content(response, &pointer, &hint),
        })
    }
}
