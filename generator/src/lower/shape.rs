//! The Rust shape of each operation, decided once: the request struct's fields, the response
//! enum's variants with their header fields, and how credentials reach the handler. Every
//! name is claimed here, in the scope it lives in, so emitters and tests only read it.

use crate::ir::{
    BodyShape, BodyVariant, Content, CredentialAlternative, CredentialShape, HeaderField,
    Operation, OperationShape, RequestField, RequestFieldKind, ResponseVariant, SecurityScheme,
};
use crate::names::{self, Scope};

/// The shape of `operation`, whose schemes index into `schemes`.
pub fn shape(operation: &Operation, schemes: &[SecurityScheme]) -> OperationShape {
    OperationShape {
        request: request_fields(operation),
        responses: response_variants(operation),
        credentials: credentials(operation, schemes),
    }
}

/// Parameters (already named apart in lowering), then the body, as `body` unless a
/// parameter took that name.
fn request_fields(operation: &Operation) -> Vec<RequestField> {
    let mut scope = Scope::default();
    let mut fields: Vec<RequestField> = operation
        .parameters
        .iter()
        .enumerate()
        .map(|(index, parameter)| RequestField {
            name: scope.claim(parameter.rust_name.clone()),
            kind: RequestFieldKind::Parameter(index),
        })
        .collect();
    if let Some(body) = &operation.body
        && let Some(shape) = body_shape(&body.content, "RequestBody")
    {
        let name = if scope.is_taken("body") {
            scope.claim("request_body".to_string())
        } else {
            scope.claim("body".to_string())
        };
        fields.push(RequestField {
            name,
            kind: RequestFieldKind::Body(shape),
        });
    }
    fields
}

/// One variant per media type when there are several, named by the essence (parameters
/// such as `; charset=utf-8` do not name a variant).
fn body_shape(contents: &[Content], enum_name: &str) -> Option<BodyShape> {
    match contents {
        [] => None,
        [only] => Some(BodyShape {
            enum_name: None,
            variants: vec![BodyVariant {
                name: "Body".to_string(),
                content: only.clone(),
            }],
        }),
        several => {
            let mut scope = Scope::default();
            Some(BodyShape {
                enum_name: Some(enum_name.to_string()),
                variants: several
                    .iter()
                    .map(|content| BodyVariant {
                        name: scope.claim(names::variant_name(
                            &contract_wire::media::essence(&content.media_type)
                                .unwrap_or_else(|| content.media_type.clone()),
                        )),
                        content: content.clone(),
                    })
                    .collect(),
            })
        }
    }
}

/// A variant per status, named by its reason phrase (`Ok`, `NotFound`); its header fields
/// never take `status` or `body`, which a struct variant has of its own.
fn response_variants(operation: &Operation) -> Vec<ResponseVariant> {
    let mut scope = Scope::default();
    operation
        .responses
        .iter()
        .map(|response| {
            let name = scope.claim(names::status_name(response.status));
            let mut header_names = Scope::default();
            for reserved in ["status", "body"] {
                header_names.claim(reserved.to_string());
            }
            ResponseVariant {
                body: body_shape(&response.content, &format!("{name}Body")),
                name,
                status: response.status,
                description: response.description.clone(),
                headers: response
                    .headers
                    .iter()
                    // Content-Type is described by `content`; the runtime sets it.
                    .filter(|header| !header.wire_name.eq_ignore_ascii_case("content-type"))
                    .map(|header| HeaderField {
                        field: header_names.claim(header.rust_name.clone()),
                        wire_name: header.wire_name.to_ascii_lowercase(),
                        ty: header.ty.clone(),
                        required: header.required,
                        docs: header.docs.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn credentials(operation: &Operation, schemes: &[SecurityScheme]) -> CredentialShape {
    match operation.security.as_slice() {
        [] => CredentialShape::None,
        [only] if only.schemes.len() == 1 => CredentialShape::Single(only.schemes[0].0),
        alternatives => {
            let mut scope = Scope::default();
            CredentialShape::Local(
                alternatives
                    .iter()
                    .map(|requirement| {
                        let schemes_used: Vec<usize> = requirement
                            .schemes
                            .iter()
                            .map(|(index, _)| *index)
                            .collect();
                        let joined = schemes_used
                            .iter()
                            .map(|index| schemes[*index].rust_name.as_str())
                            .collect::<Vec<_>>()
                            .join("And");
                        CredentialAlternative {
                            name: scope.claim(joined),
                            schemes: schemes_used,
                        }
                    })
                    .collect(),
            )
        }
    }
}
