//! Lowering: the validated `openapiv3` document becomes the [`ir::Api`](crate::ir::Api), in
//! small passes: component schemas, operations (with their inline schemas), security
//! schemes, then the cycle pass that decides where recursion needs a `Box`.

mod cycles;
mod schema;
pub mod wire;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};

use crate::diagnostics::{Diagnostics, push_pointer};
use crate::ir::{
    Api, Content, Docs, MediaKind, Method, Operation, ParameterLocation, ParameterStyle,
    PathSegment, PathTemplate, Primitive, RequestBody, Response, ResponseHeader,
    SecurityRequirement, SecurityScheme, SecuritySchemeKind, Server, StatusCode, TypeRef,
};
use crate::names::{self, Scope};
use crate::resolve::{SchemaRef, View, parameter_schema, ref_pointer};

use schema::{SchemaLowering, docs_of};

pub use wire::wire_contract;

/// The IR of a validated document, except [`Api::wire`] (see [`wire_contract`]), which
/// callers build on another core meanwhile.
pub fn lower(document: &OpenAPI, diagnostics: &mut Diagnostics) -> Api {
    let mut schemas = SchemaLowering::new(document);
    schemas.lower_components(document, diagnostics);
    let security_schemes = security_schemes(document);
    let mut operations = Vec::new();
    let mut method_names = Scope::default();
    let mut type_stems = Scope::default();
    for (path, item) in document.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = push_pointer(&push_pointer("/paths", path), method);
            let lowered = OperationLowering {
                schemas: &mut schemas,
                diagnostics,
                document,
                security_schemes: &security_schemes,
            }
            .lower(
                path,
                method,
                &item.parameters,
                operation,
                &pointer,
                &mut method_names,
                &mut type_stems,
            );
            operations.push(lowered);
        }
    }
    let (mut types, examples) = schemas.finish();
    cycles::break_cycles(&mut types);
    Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        servers: document
            .servers
            .iter()
            .map(|server| Server {
                url: server.url.clone(),
                description: server.description.clone(),
            })
            .collect(),
        types,
        operations,
        security_schemes,
        examples,
        wire: serde_json::Value::Null,
    }
}

fn security_schemes(document: &OpenAPI) -> Vec<SecurityScheme> {
    let mut scope = Scope::default();
    let Some(components) = &document.components else {
        return Vec::new();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| {
            let ReferenceOr::Item(scheme) = scheme else {
                return None;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    SecuritySchemeKind::ApiKey {
                        location: match location {
                            openapiv3::APIKeyLocation::Query => ParameterLocation::Query,
                            openapiv3::APIKeyLocation::Header => ParameterLocation::Header,
                            openapiv3::APIKeyLocation::Cookie => ParameterLocation::Cookie,
                        },
                        name: name.clone(),
                    },
                    description,
                ),
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } => (
                    SecuritySchemeKind::Http {
                        scheme: scheme.to_ascii_lowercase(),
                        bearer_format: bearer_format.clone(),
                    },
                    description,
                ),
                openapiv3::SecurityScheme::OAuth2 { description, .. } => {
                    (SecuritySchemeKind::OAuth2, description)
                }
                openapiv3::SecurityScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    SecuritySchemeKind::OpenIdConnect {
                        url: open_id_connect_url.clone(),
                    },
                    description,
                ),
            };
            Some(SecurityScheme {
                name: name.clone(),
                rust_name: scope.claim(names::type_name(name)),
                kind,
                description: description.clone(),
            })
        })
        .collect()
}

struct OperationLowering<'s, 'a, 'd> {
    schemas: &'s mut SchemaLowering<'a>,
    diagnostics: &'d mut Diagnostics,
    document: &'a OpenAPI,
    security_schemes: &'s [SecurityScheme],
}

impl<'a> OperationLowering<'_, 'a, '_> {
    #[allow(clippy::too_many_arguments)]
    fn lower(
        mut self,
        path: &str,
        method: &str,
        shared_parameters: &'a [ReferenceOr<Parameter>],
        operation: &'a openapiv3::Operation,
        pointer: &str,
        method_names: &mut Scope,
        type_stems: &mut Scope,
    ) -> Operation {
        let id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let rust_name = method_names.claim(names::value_name(&id));
        let type_stem = type_stems.claim(names::type_name(&id));

        // Operation-level parameters override path-level ones with the same name and location.
        let mut parameters = Vec::new();
        let mut param_names = Scope::default();
        let mut merged: IndexMap<(String, &'static str), (&'a Parameter, String)> = IndexMap::new();
        for (list, base) in [
            (
                shared_parameters,
                push_pointer(&push_pointer("/paths", path), "parameters"),
            ),
            (
                &operation.parameters[..],
                push_pointer(pointer, "parameters"),
            ),
        ] {
            for (index, parameter) in list.iter().enumerate() {
                let (parameter, parameter_pointer) = match parameter {
                    ReferenceOr::Item(parameter) => {
                        (parameter, push_pointer(&base, &index.to_string()))
                    }
                    ReferenceOr::Reference { reference } => {
                        match self.schemas.resolver.parameter(reference) {
                            Ok((_, parameter)) => (parameter, ref_pointer(reference)),
                            Err(_) => continue,
                        }
                    }
                };
                let location = match parameter {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                let name = parameter.parameter_data_ref().name.clone();
                merged.insert((name, location), (parameter, parameter_pointer));
            }
        }
        for (parameter, parameter_pointer) in merged.into_values() {
            parameters.push(self.parameter(
                parameter,
                &parameter_pointer,
                &type_stem,
                &mut param_names,
            ));
        }

        let body = operation.request_body.as_ref().and_then(|body| {
            let (body, body_pointer) = match body {
                ReferenceOr::Item(body) => (body, push_pointer(pointer, "requestBody")),
                ReferenceOr::Reference { reference } => {
                    let (_, body) = self.schemas.resolver.request_body(reference).ok()?;
                    (body, ref_pointer(reference))
                }
            };
            Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                content: self.content(&body.content, &body_pointer, &format!("{type_stem}Request")),
            })
        });

        let mut responses = Vec::new();
        let responses_pointer = push_pointer(pointer, "responses");
        for (status, response) in &operation.responses.responses {
            let (status, key) = match status {
                openapiv3::StatusCode::Code(code) => (StatusCode::Code(*code), code.to_string()),
                openapiv3::StatusCode::Range(range) => {
                    (StatusCode::Range(*range), format!("{range}XX"))
                }
            };
            if let Some(response) = self.response(
                response,
                &push_pointer(&responses_pointer, &key),
                &type_stem,
                &key,
                status,
            ) {
                responses.push(response);
            }
        }
        if let Some(default) = &operation.responses.default
            && let Some(response) = self.response(
                default,
                &push_pointer(&responses_pointer, "default"),
                &type_stem,
                "Default",
                StatusCode::Default,
            )
        {
            responses.push(response);
        }

        let requirements = operation
            .security
            .as_ref()
            .or(self.document.security.as_ref());
        let security = requirements
            .map(|requirements| {
                requirements
                    .iter()
                    .filter(|requirement| !requirement.is_empty())
                    .map(|requirement| SecurityRequirement {
                        schemes: requirement
                            .iter()
                            .filter_map(|(name, scopes)| {
                                let index =
                                    self.security_schemes.iter().position(|s| &s.name == name)?;
                                Some((index, scopes.clone()))
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // An empty requirement (`- {}`) among alternatives makes authentication optional.
        let optional_auth = requirements.is_some_and(|r| r.iter().any(|req| req.is_empty()));
        let security = if optional_auth { Vec::new() } else { security };

        Operation {
            id,
            rust_name,
            type_stem,
            method: match method {
                "get" => Method::Get,
                "put" => Method::Put,
                "post" => Method::Post,
                "delete" => Method::Delete,
                "options" => Method::Options,
                "head" => Method::Head,
                "patch" => Method::Patch,
                _ => Method::Trace,
            },
            path: path_template(path),
            tags: operation.tags.clone(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            parameters,
            body,
            responses,
            security,
            pointer: pointer.to_string(),
        }
    }

    fn parameter(
        &mut self,
        parameter: &'a Parameter,
        pointer: &str,
        type_stem: &str,
        names_in_scope: &mut Scope,
    ) -> crate::ir::Parameter {
        let data = parameter.parameter_data_ref();
        let (location, style) = match parameter {
            Parameter::Path { style, .. } => (
                ParameterLocation::Path,
                match style {
                    openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
                    openapiv3::PathStyle::Label => ParameterStyle::Label,
                    openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                },
            ),
            Parameter::Query { style, .. } => (
                ParameterLocation::Query,
                match style {
                    openapiv3::QueryStyle::Form => ParameterStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
                },
            ),
            Parameter::Header { .. } => (ParameterLocation::Header, ParameterStyle::Simple),
            Parameter::Cookie { .. } => (ParameterLocation::Cookie, ParameterStyle::Form),
        };
        let schema_pointer = match &data.format {
            ParameterSchemaOrContent::Schema(_) => push_pointer(pointer, "schema"),
            ParameterSchemaOrContent::Content(content) => {
                let media = content
                    .keys()
                    .next()
                    .map(String::as_str)
                    .unwrap_or_default();
                push_pointer(
                    &push_pointer(&push_pointer(pointer, "content"), media),
                    "schema",
                )
            }
        };
        let schema = parameter_schema(&data.format);
        let hint = format!("{type_stem}{}", names::type_name(&data.name));
        let ty = match schema {
            Some(schema) => self
                .schemas
                .lower(schema, &schema_pointer, &hint, self.diagnostics),
            None => TypeRef::Primitive(Primitive::String),
        };
        let mut docs = match schema {
            Some(SchemaRef::Inline(schema)) => docs_of(&View::of(schema)),
            _ => Docs::default(),
        };
        docs.description = data.description.clone().or(docs.description);
        docs.deprecated |= data.deprecated.unwrap_or(false);
        crate::ir::Parameter {
            rust_name: names_in_scope.claim(names::value_name(&data.name)),
            wire_name: data.name.clone(),
            location,
            ty,
            required: data.required,
            style,
            // Form style explodes by default; every other style does not.
            explode: data.explode.unwrap_or(style == ParameterStyle::Form),
            docs,
        }
    }

    fn content(
        &mut self,
        content: &'a IndexMap<String, openapiv3::MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Vec<Content> {
        let base = push_pointer(pointer, "content");
        let several = content.len() > 1;
        content
            .iter()
            .map(|(media_type, media)| {
                let kind = media_kind(media_type);
                let media_pointer = push_pointer(&base, media_type);
                let hint = if several && kind != MediaKind::Json {
                    format!("{hint}{}", names::type_name(media_type))
                } else {
                    hint.to_string()
                };
                let ty = media.schema.as_ref().map(|schema| {
                    let schema_ref = SchemaRef::from(schema);
                    if kind == MediaKind::Binary && is_binary_string(schema_ref) {
                        return TypeRef::Primitive(Primitive::Binary);
                    }
                    self.schemas.lower(
                        schema_ref,
                        &push_pointer(&media_pointer, "schema"),
                        &hint,
                        self.diagnostics,
                    )
                });
                if let (Some(ty), Some(example)) = (&ty, &media.example)
                    && kind == MediaKind::Json
                {
                    self.schemas
                        .record_media_example(&media_pointer, ty.clone(), example);
                }
                Content {
                    media_type: media_type.clone(),
                    kind,
                    ty,
                }
            })
            .collect()
    }

    fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
        type_stem: &str,
        status_label: &str,
        status: StatusCode,
    ) -> Option<Response> {
        let (response, pointer) = match response {
            ReferenceOr::Item(response) => (response, pointer.to_string()),
            ReferenceOr::Reference { reference } => {
                let (_, response) = self.schemas.resolver.response(reference).ok()?;
                (response, ref_pointer(reference))
            }
        };
        // A shared response is named after its component, not after its first user.
        let hint = match pointer.strip_prefix("/components/responses/") {
            Some(name) => format!("{}Response", names::type_name(name)),
            None => format!("{type_stem}{status_label}Response"),
        };
        let mut header_names = Scope::default();
        let mut headers = Vec::new();
        let headers_pointer = push_pointer(&pointer, "headers");
        for (name, header) in &response.headers {
            let (header, header_pointer) = match header {
                ReferenceOr::Item(header) => (header, push_pointer(&headers_pointer, name)),
                ReferenceOr::Reference { reference } => {
                    match self.schemas.resolver.header(reference) {
                        Ok((_, header)) => (header, ref_pointer(reference)),
                        Err(_) => continue,
                    }
                }
            };
            let ty = match parameter_schema(&header.format) {
                Some(schema) => self.schemas.lower(
                    schema,
                    &push_pointer(&header_pointer, "schema"),
                    &format!("{hint}{}Header", names::type_name(name)),
                    self.diagnostics,
                ),
                None => TypeRef::Primitive(Primitive::String),
            };
            headers.push(ResponseHeader {
                rust_name: header_names.claim(names::value_name(name)),
                wire_name: name.clone(),
                ty,
                required: header.required,
                docs: Docs {
                    description: header.description.clone(),
                    deprecated: header.deprecated.unwrap_or(false),
                    ..Docs::default()
                },
            });
        }
        Some(Response {
            status,
            description: response.description.clone(),
            headers,
            content: self.content(&response.content, &pointer, &hint),
        })
    }
}

fn is_binary_string(schema: SchemaRef<'_>) -> bool {
    match schema {
        SchemaRef::Inline(schema) => {
            let view = View::of(schema);
            view.typ == Some("string") && matches!(view.format, Some("binary") | None)
        }
        SchemaRef::Ref(_) => false,
    }
}

/// How a media type is carried: any `+json` suffix is JSON (zrok's `application/zrok.v1+json`).
pub fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

fn path_template(path: &str) -> PathTemplate {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_string()));
        }
        segments.push(PathSegment::Param(rest[open + 1..open + close].to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    PathTemplate {
        raw: path.to_string(),
        segments,
    }
}
