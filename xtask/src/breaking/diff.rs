//! Document comparison: paths and operations, parameters, request bodies, responses, security
//! and components, each change named by an oasdiff rule and placed at the operation (and the
//! part of it) where clients meet it. Schemas are compared by `schema::Walk`.
//!
//! Paths are matched by their template with parameter names erased (`/users/{id}` and
//! `/users/{user_id}` are one path), and path parameters by their position in the template:
//! clients never send a path parameter's name, so renaming one changes nothing on the wire.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::openapi::{SchemaRef, parameter_schema};
use openapiv3::{
    MediaType, OpenAPI, Operation, Parameter, ParameterData, PathItem, ReferenceOr, Response,
    SecurityRequirement, SecurityScheme,
};

use super::rules::{Direction, Root, Rule, RuleId};
use super::schema::{self, SchemaChange, Side, Walk};

/// One change, before it is tied to a spec file.
pub struct Finding {
    pub rule: &'static Rule,
    /// `POST /account/login`; `None` for document-wide changes (global security, components).
    pub operation: Option<String>,
    /// Where in the operation (or document): `POST /account/login request body
    /// application/json property /email`.
    pub location: String,
    pub message: String,
}

/// Every change from `old` to `new`, in the order found (the report sorts them).
pub fn diff(old: &OpenAPI, new: &OpenAPI) -> Vec<Finding> {
    let old_side = Side::new(old);
    let new_side = Side::new(new);
    let affected = schema::affected_components(old, new);
    let mut differ = Differ {
        old: &old_side,
        new: &new_side,
        affected: &affected,
        findings: Vec::new(),
        compared: HashMap::new(),
    };
    differ.paths();
    differ.global_security();
    differ.components();
    differ.findings
}

struct Differ<'w, 'a> {
    old: &'w Side<'a>,
    new: &'w Side<'a>,
    affected: &'w HashSet<String>,
    findings: Vec<Finding>,
    /// Schema comparisons already made: operations share schemas (every Stripe operation's
    /// `default` response is `$ref: error`, which reaches hundreds of components), and the
    /// same pair compared the same way finds the same changes.
    compared: HashMap<(SchemaKey, SchemaKey, Direction, Root), Rc<Vec<SchemaChange>>>,
}

/// A schema by identity: a reference by its text (one target per document), an inline schema
/// by its address.
#[derive(PartialEq, Eq, Hash)]
enum SchemaKey {
    Ref(String),
    Inline(usize),
}

impl From<SchemaRef<'_>> for SchemaKey {
    fn from(schema: SchemaRef<'_>) -> Self {
        match schema {
            SchemaRef::Ref(reference) => SchemaKey::Ref(reference.to_string()),
            SchemaRef::Inline(schema) => SchemaKey::Inline(std::ptr::from_ref(schema).addr()),
        }
    }
}

/// A path of one document: its template with parameter names erased, as written, and the item.
struct PathEntry<'a> {
    key: String,
    path: &'a str,
    item: &'a PathItem,
}

fn path_entries(doc: &OpenAPI) -> Vec<PathEntry<'_>> {
    doc.paths
        .paths
        .iter()
        .filter_map(|(path, item)| match item {
            ReferenceOr::Item(item) => Some(PathEntry {
                key: template_key(path),
                path,
                item,
            }),
            // Path item references are refused by validation.
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

/// Pairs each old path with its new version: the same path text, or else a path of the same
/// template under other parameter names that the old document does not have (one document
/// may hold both `/a/{id}` and `/a/{name}`, each with its own methods).
fn match_paths(old: &[PathEntry<'_>], new: &[PathEntry<'_>]) -> Vec<Option<usize>> {
    let mut matches: Vec<Option<usize>> = old
        .iter()
        .map(|o| new.iter().position(|n| n.path == o.path))
        .collect();
    for (index, o) in old.iter().enumerate() {
        if matches[index].is_some() {
            continue;
        }
        let renamed = (0..new.len()).find(|&j| {
            new[j].key == o.key
                && !matches.contains(&Some(j))
                && old.iter().all(|other| other.path != new[j].path)
        });
        matches[index] = renamed;
    }
    matches
}

/// `/users/{id}/keys/{key}` → `/users/{}/keys/{}`.
fn template_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                key.push_str("{}");
            }
            '}' => in_braces = false,
            _ if in_braces => {}
            _ => key.push(c),
        }
    }
    key
}

/// The position of a path parameter in its template.
fn path_position(path: &str, name: &str) -> Option<usize> {
    path.split('{')
        .skip(1)
        .position(|rest| rest.split('}').next() == Some(name))
}

fn label(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

impl<'w, 'a> Differ<'w, 'a> {
    fn push(&mut self, id: RuleId, operation: Option<&str>, location: String, message: String) {
        self.findings.push(Finding {
            rule: id.rule(),
            operation: operation.map(str::to_string),
            location,
            message,
        });
    }

    /// A flag at `at` that was turned on (reported as `on`, a rule and its message) or off
    /// (as `off`), given as its old and new value.
    fn flag(
        &mut self,
        op: &str,
        at: &str,
        (old, new): (bool, bool),
        on: (RuleId, &str),
        off: (RuleId, &str),
    ) {
        let (id, message) = match (old, new) {
            (false, true) => on,
            (true, false) => off,
            _ => return,
        };
        self.push(id, Some(op), at.to_string(), message.to_string());
    }

    /// A change of the operation itself (not of one of its parts).
    fn on_operation(&mut self, id: RuleId, op: &str, message: String) {
        self.push(id, Some(op), op.to_string(), message);
    }

    fn paths(&mut self) {
        let old_paths = path_entries(self.old.doc);
        let new_paths = path_entries(self.new.doc);
        let matches = match_paths(&old_paths, &new_paths);
        for (old, matched) in old_paths.iter().zip(&matches) {
            let Some(new) = matched.map(|index| &new_paths[index]) else {
                for (method, operation) in old.item.iter() {
                    let rules = [
                        RuleId::ApiPathRemovedWithDeprecation,
                        RuleId::ApiPathRemovedWithoutDeprecation,
                    ];
                    let label = label(method, old.path);
                    self.removed(&label, operation, rules, "path removed");
                }
                continue;
            };
            for (method, old_operation) in old.item.iter() {
                let new_operation = new.item.iter().find(|(m, _)| *m == method);
                match new_operation {
                    Some((_, new_operation)) => {
                        let label = label(method, new.path);
                        self.operation(&label, old, old_operation, new, new_operation);
                    }
                    None => {
                        let rules = [
                            RuleId::ApiRemovedWithDeprecation,
                            RuleId::ApiRemovedWithoutDeprecation,
                        ];
                        let label = label(method, old.path);
                        self.removed(&label, old_operation, rules, "operation removed");
                    }
                }
            }
            for (method, _) in new.item.iter() {
                if old.item.iter().all(|(m, _)| m != method) {
                    self.endpoint_added(&label(method, new.path));
                }
            }
        }
        for (index, new) in new_paths.iter().enumerate() {
            if !matches.contains(&Some(index)) {
                for (method, _) in new.item.iter() {
                    self.endpoint_added(&label(method, new.path));
                }
            }
        }
    }

    /// An operation the new document lacks: the first rule if it was deprecated first, the
    /// second if not.
    fn removed(
        &mut self,
        label: &str,
        operation: &Operation,
        [deprecated, not_deprecated]: [RuleId; 2],
        message: &str,
    ) {
        let id = if operation.deprecated {
            deprecated
        } else {
            not_deprecated
        };
        self.push(id, Some(label), label.to_string(), message.to_string());
    }

    fn endpoint_added(&mut self, label: &str) {
        self.push(
            RuleId::EndpointAdded,
            Some(label),
            label.to_string(),
            "operation added".into(),
        );
    }

    fn operation(
        &mut self,
        op: &str,
        old_path: &PathEntry<'a>,
        old: &'a Operation,
        new_path: &PathEntry<'a>,
        new: &'a Operation,
    ) {
        self.flag(
            op,
            op,
            (old.deprecated, new.deprecated),
            (RuleId::EndpointDeprecated, "deprecated"),
            (RuleId::EndpointReactivated, "no longer deprecated"),
        );
        match (&old.operation_id, &new.operation_id) {
            (Some(a), Some(b)) if a != b => self.on_operation(
                RuleId::ApiOperationIdRemoved,
                op,
                format!("operationId changed from `{a}` to `{b}`"),
            ),
            (Some(a), None) => self.on_operation(
                RuleId::ApiOperationIdRemoved,
                op,
                format!("operationId `{a}` removed"),
            ),
            (None, Some(b)) => self.on_operation(
                RuleId::ApiOperationIdAdded,
                op,
                format!("operationId `{b}` added"),
            ),
            _ => {}
        }
        for tag in &old.tags {
            if !new.tags.contains(tag) {
                let message = format!("tag `{tag}` removed");
                self.on_operation(RuleId::ApiTagRemoved, op, message);
            }
        }
        for tag in &new.tags {
            if !old.tags.contains(tag) {
                let message = format!("tag `{tag}` added");
                self.on_operation(RuleId::ApiTagAdded, op, message);
            }
        }
        let old_params = parameters(self.old, old_path, old);
        let new_params = parameters(self.new, new_path, new);
        self.parameters(op, &old_params, &new_params);
        self.request_body(op, old, new);
        self.responses(op, old, new);
        self.operation_security(op, old, new);
    }

    // -----------------------------------------------------------------------------------------
    // Parameters

    /// Compares an operation's parameters, its own and its path's together.
    fn parameters(&mut self, op: &str, old_params: &[Param<'a>], new_params: &[Param<'a>]) {
        let mut removed = Vec::new();
        for old_param in old_params {
            match new_params
                .iter()
                .find(|p| p.location == old_param.location && p.key == old_param.key)
            {
                Some(new_param) => self.parameter(op, old_param, new_param),
                None => removed.push(old_param),
            }
        }
        let mut added: Vec<&Param<'a>> = new_params
            .iter()
            .filter(|new_param| {
                !old_params
                    .iter()
                    .any(|p| p.location == new_param.location && p.key == new_param.key)
            })
            .collect();
        for param in &removed {
            let id = if param.data.deprecated == Some(true) {
                RuleId::RequestParameterRemovedWithDeprecation
            } else {
                RuleId::RequestParameterRemoved
            };
            self.push(id, Some(op), param.at(op), "parameter removed".into());
        }
        for param in &added {
            // A path parameter cannot be added without changing the template (another path).
            let id = if param.data.required {
                RuleId::NewRequiredRequestParameter
            } else {
                RuleId::NewOptionalRequestParameter
            };
            self.push(id, Some(op), param.at(op), "parameter added".into());
        }
        self.moved_or_renamed(op, removed, &mut added);
    }

    /// oasdiff sees a moved or renamed parameter as one removed and one added, which is
    /// reported above; this adds what happened, as a breaking change even when the parameter
    /// is optional: an old client's value would silently stop reaching the server.
    fn moved_or_renamed(
        &mut self,
        op: &str,
        removed: Vec<&Param<'a>>,
        added: &mut Vec<&Param<'a>>,
    ) {
        let mut unmatched = Vec::new();
        for old_param in removed {
            let moved = added.iter().position(|new_param| {
                new_param.location != old_param.location
                    && new_param
                        .data
                        .name
                        .eq_ignore_ascii_case(&old_param.data.name)
            });
            match moved {
                Some(index) => {
                    let new_param = added.remove(index);
                    let message = format!(
                        "moved from the {} parameter `{}` to the {} parameter `{}`",
                        old_param.location,
                        old_param.data.name,
                        new_param.location,
                        new_param.data.name
                    );
                    self.push(
                        RuleId::RequestParameterInChanged,
                        Some(op),
                        new_param.at(op),
                        message,
                    );
                }
                None => unmatched.push(old_param),
            }
        }
        for location in ["query", "header", "cookie"] {
            let gone: Vec<_> = unmatched
                .iter()
                .filter(|p| p.location == location)
                .collect();
            let came: Vec<_> = added.iter().filter(|p| p.location == location).collect();
            if let ([old_param], [new_param]) = (gone.as_slice(), came.as_slice())
                && self.same_schema(old_param, new_param)
            {
                let message = format!(
                    "renamed from `{}` to `{}`",
                    old_param.data.name, new_param.data.name
                );
                self.push(
                    RuleId::RequestParameterRenamed,
                    Some(op),
                    new_param.at(op),
                    message,
                );
            }
        }
    }

    fn same_schema(&self, old: &Param<'a>, new: &Param<'a>) -> bool {
        match (
            parameter_schema(&old.data.format),
            parameter_schema(&new.data.format),
        ) {
            (Some(old_schema), Some(new_schema)) => self
                .walk(Direction::Request, Root::Parameter)
                .compare(old_schema, new_schema)
                .is_empty(),
            (None, None) => true,
            _ => false,
        }
    }

    fn parameter(&mut self, op: &str, old: &Param<'a>, new: &Param<'a>) {
        let at = new.at(op);
        self.flag(
            op,
            &at,
            (old.data.required, new.data.required),
            (RuleId::RequestParameterBecameRequired, "became required"),
            (RuleId::RequestParameterBecameOptional, "became optional"),
        );
        let deprecated = |param: &Param| param.data.deprecated.unwrap_or(false);
        self.flag(
            op,
            &at,
            (deprecated(old), deprecated(new)),
            (RuleId::RequestParameterDeprecated, "deprecated"),
            (RuleId::RequestParameterReactivated, "no longer deprecated"),
        );
        if let (Some(old_schema), Some(new_schema)) = (
            parameter_schema(&old.data.format),
            parameter_schema(&new.data.format),
        ) {
            self.schema(
                op,
                &at,
                Direction::Request,
                Root::Parameter,
                old_schema,
                new_schema,
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // Request bodies

    fn request_body(&mut self, op: &str, old: &'a Operation, new: &'a Operation) {
        let old_body = old.request_body.as_ref().and_then(|b| self.old.item(b));
        let new_body = new.request_body.as_ref().and_then(|b| self.new.item(b));
        let at = format!("{op} request body");
        match (old_body, new_body) {
            (None, Some(body)) => {
                let id = if body.required {
                    RuleId::RequestBodyAddedRequired
                } else {
                    RuleId::RequestBodyAddedOptional
                };
                self.push(id, Some(op), at, "request body added".into());
            }
            (Some(_), None) => {
                self.push(
                    RuleId::RequestBodyRemoved,
                    Some(op),
                    at,
                    "request body removed".into(),
                );
            }
            (Some(old_body), Some(new_body)) => {
                match (old_body.required, new_body.required) {
                    (false, true) => self.push(
                        RuleId::RequestBodyBecameRequired,
                        Some(op),
                        at.clone(),
                        "became required".into(),
                    ),
                    (true, false) => self.push(
                        RuleId::RequestBodyBecameOptional,
                        Some(op),
                        at.clone(),
                        "became optional".into(),
                    ),
                    _ => {}
                }
                self.content(
                    op,
                    &at,
                    Direction::Request,
                    &old_body.content,
                    &new_body.content,
                );
            }
            (None, None) => {}
        }
    }

    /// Media types of a body: removed, added, and the schemas of those in both.
    fn content(
        &mut self,
        op: &str,
        at: &str,
        direction: Direction,
        old: &'a indexmap::IndexMap<String, MediaType>,
        new: &'a indexmap::IndexMap<String, MediaType>,
    ) {
        let (removed, added) = match direction {
            Direction::Request => (
                RuleId::RequestBodyMediaTypeRemoved,
                RuleId::RequestBodyMediaTypeAdded,
            ),
            Direction::Response => (
                RuleId::ResponseMediaTypeRemoved,
                RuleId::ResponseMediaTypeAdded,
            ),
        };
        for (media, old_media) in old {
            let at = format!("{at} {media}");
            match new.get(media) {
                None => self.push(removed, Some(op), at, "media type removed".into()),
                Some(new_media) => {
                    if let (Some(old_schema), Some(new_schema)) =
                        (&old_media.schema, &new_media.schema)
                    {
                        self.schema(
                            op,
                            &at,
                            direction,
                            Root::Body,
                            old_schema.into(),
                            new_schema.into(),
                        );
                    }
                }
            }
        }
        for media in new.keys() {
            if !old.contains_key(media) {
                self.push(
                    added,
                    Some(op),
                    format!("{at} {media}"),
                    "media type added".into(),
                );
            }
        }
    }

    fn walk(&self, direction: Direction, root: Root) -> Walk<'_, 'a> {
        Walk::new(self.old, self.new, self.affected, direction, root)
    }

    fn schema(
        &mut self,
        op: &str,
        at: &str,
        direction: Direction,
        root: Root,
        old: SchemaRef<'a>,
        new: SchemaRef<'a>,
    ) {
        let key = (old.into(), new.into(), direction, root);
        let changes = match self.compared.get(&key) {
            Some(changes) => Rc::clone(changes),
            None => {
                let changes = Rc::new(self.walk(direction, root).compare(old, new));
                self.compared.insert(key, Rc::clone(&changes));
                changes
            }
        };
        for change in changes.iter() {
            let location = if change.path.is_empty() {
                at.to_string()
            } else {
                format!("{at} property {}", change.path)
            };
            self.findings.push(Finding {
                rule: change.rule,
                operation: Some(op.to_string()),
                location,
                message: change.message.clone(),
            });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Responses

    fn responses(&mut self, op: &str, old: &'a Operation, new: &'a Operation) {
        let old_responses = responses(old);
        let new_responses = responses(new);
        for (status, old_response) in &old_responses {
            let at = format!("{op} response {status}");
            let success = status.starts_with('2');
            let Some((_, new_response)) = new_responses.iter().find(|(s, _)| s == status) else {
                let id = if success {
                    RuleId::ResponseSuccessStatusRemoved
                } else {
                    RuleId::ResponseNonSuccessStatusRemoved
                };
                self.push(id, Some(op), at, format!("response {status} removed"));
                continue;
            };
            let (Some(old_response), Some(new_response)) =
                (self.old.item(old_response), self.new.item(new_response))
            else {
                continue;
            };
            self.headers(op, &at, old_response, new_response);
            self.content(
                op,
                &at,
                Direction::Response,
                &old_response.content,
                &new_response.content,
            );
        }
        for (status, _) in &new_responses {
            if old_responses.iter().all(|(s, _)| s != status) {
                let id = if status.starts_with('2') {
                    RuleId::ResponseSuccessStatusAdded
                } else {
                    RuleId::ResponseNonSuccessStatusAdded
                };
                let at = format!("{op} response {status}");
                self.push(id, Some(op), at, format!("response {status} added"));
            }
        }
    }

    fn headers(&mut self, op: &str, at: &str, old: &'a Response, new: &'a Response) {
        let find = |response: &'a Response, name: &str| {
            response
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        for (name, old_header) in &old.headers {
            let Some(old_header) = self.old.item(old_header) else {
                continue;
            };
            let at = format!("{at} header {name}");
            match find(new, name).and_then(|(_, header)| self.new.item(header)) {
                None => {
                    let id = if old_header.required {
                        RuleId::RequiredResponseHeaderRemoved
                    } else {
                        RuleId::OptionalResponseHeaderRemoved
                    };
                    self.push(id, Some(op), at, "header removed".into());
                }
                Some(new_header) => {
                    if old_header.required && !new_header.required {
                        self.push(
                            RuleId::ResponseHeaderBecameOptional,
                            Some(op),
                            at,
                            "became optional".into(),
                        );
                    }
                }
            }
        }
        for name in new.headers.keys() {
            if find(old, name).is_none() {
                let at = format!("{at} header {name}");
                self.push(
                    RuleId::ResponseHeaderAdded,
                    Some(op),
                    at,
                    "header added".into(),
                );
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Security

    /// An operation's own security; when neither version declares one, both inherit the global
    /// requirement, whose changes are reported once, by `global_security`.
    fn operation_security(&mut self, op: &str, old: &'a Operation, new: &'a Operation) {
        if old.security.is_none() && new.security.is_none() {
            return;
        }
        let old_alternatives =
            alternatives(old.security.as_ref().or(self.old.doc.security.as_ref()));
        let new_alternatives =
            alternatives(new.security.as_ref().or(self.new.doc.security.as_ref()));
        let ids = SecurityIds {
            removed: RuleId::ApiSecurityRemoved,
            added: RuleId::ApiSecurityAdded,
            scope_added: RuleId::ApiSecurityScopeAdded,
            scope_removed: RuleId::ApiSecurityScopeRemoved,
        };
        self.security(
            &ids,
            Some(op),
            &format!("{op} security"),
            &old_alternatives,
            &new_alternatives,
        );
    }

    fn global_security(&mut self) {
        let old_alternatives = alternatives(self.old.doc.security.as_ref());
        let new_alternatives = alternatives(self.new.doc.security.as_ref());
        let ids = SecurityIds {
            removed: RuleId::ApiGlobalSecurityRemoved,
            added: RuleId::ApiGlobalSecurityAdded,
            scope_added: RuleId::ApiGlobalSecurityScopeAdded,
            scope_removed: RuleId::ApiGlobalSecurityScopeRemoved,
        };
        self.security(&ids, None, "security", &old_alternatives, &new_alternatives);
    }

    /// Security requirements are alternatives (any one satisfies); removing one, or requiring
    /// a further scope in one, locks out the clients using it.
    fn security(
        &mut self,
        ids: &SecurityIds,
        op: Option<&str>,
        at: &str,
        old: &Alternatives,
        new: &Alternatives,
    ) {
        for (schemes, old_scopes) in old {
            let Some(new_scopes) = new.get(schemes) else {
                let message = format!("security alternative {} removed", show_alternative(schemes));
                self.push(ids.removed, op, at.to_string(), message);
                continue;
            };
            for (scheme, old_set) in old_scopes {
                let Some(new_set) = new_scopes.get(scheme) else {
                    continue;
                };
                for scope in new_set.difference(old_set) {
                    let message = format!("scope `{scope}` of `{scheme}` now required");
                    self.push(ids.scope_added, op, at.to_string(), message);
                }
                for scope in old_set.difference(new_set) {
                    let message = format!("scope `{scope}` of `{scheme}` no longer required");
                    self.push(ids.scope_removed, op, at.to_string(), message);
                }
            }
        }
        for schemes in new.keys() {
            if !old.contains_key(schemes) {
                let message = format!("security alternative {} added", show_alternative(schemes));
                self.push(ids.added, op, at.to_string(), message);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Components

    fn components(&mut self) {
        let old = self.old.doc.components.as_ref();
        let new = self.new.doc.components.as_ref();
        if let Some(old) = old {
            for name in old.schemas.keys() {
                if new.is_none_or(|new| !new.schemas.contains_key(name)) {
                    let at = format!("#/components/schemas/{name}");
                    self.push(RuleId::ApiSchemaRemoved, None, at, "schema removed".into());
                }
            }
        }
        let schemes = |components: Option<&'a openapiv3::Components>| {
            components
                .into_iter()
                .flat_map(|c| c.security_schemes.iter())
                .filter_map(|(name, scheme)| match scheme {
                    ReferenceOr::Item(scheme) => Some((name, scheme)),
                    ReferenceOr::Reference { .. } => None,
                })
                .collect::<Vec<_>>()
        };
        let (old_schemes, new_schemes) = (schemes(old), schemes(new));
        for (name, old_scheme) in &old_schemes {
            let at = format!("#/components/securitySchemes/{name}");
            match new_schemes.iter().find(|(n, _)| n == name) {
                None => self.push(
                    RuleId::ApiSecurityComponentRemoved,
                    None,
                    at,
                    "security scheme removed".into(),
                ),
                Some((_, new_scheme)) => self.security_scheme(&at, old_scheme, new_scheme),
            }
        }
        for (name, _) in &new_schemes {
            if old_schemes.iter().all(|(n, _)| n != name) {
                let at = format!("#/components/securitySchemes/{name}");
                self.push(
                    RuleId::ApiSecurityComponentAdded,
                    None,
                    at,
                    "security scheme added".into(),
                );
            }
        }
    }

    fn security_scheme(&mut self, at: &str, old: &SecurityScheme, new: &SecurityScheme) {
        let (old_kind, new_kind) = (scheme_kind(old), scheme_kind(new));
        if !old_kind.eq_ignore_ascii_case(&new_kind) {
            let message = format!("type changed from `{old_kind}` to `{new_kind}`");
            self.push(
                RuleId::ApiSecurityComponentTypeChanged,
                None,
                at.to_string(),
                message,
            );
            return;
        }
        if let (
            SecurityScheme::APIKey {
                location: old_in,
                name: old_name,
                ..
            },
            SecurityScheme::APIKey {
                location: new_in,
                name: new_name,
                ..
            },
        ) = (old, new)
            && (old_in != new_in || !old_name.eq_ignore_ascii_case(new_name))
        {
            let message = format!(
                "API key moved from {} `{old_name}` to {} `{new_name}`",
                key_location(old_in),
                key_location(new_in)
            );
            self.push(
                RuleId::ApiSecurityComponentApiKeyMoved,
                None,
                at.to_string(),
                message,
            );
        }
    }
}

/// One parameter of an operation, path-level ones included.
struct Param<'a> {
    location: &'static str,
    /// What identifies it across versions: the name (lower-cased for headers, which are
    /// case-insensitive), or the position in the template for path parameters.
    key: String,
    data: &'a ParameterData,
}

impl Param<'_> {
    fn at(&self, op: &str) -> String {
        format!("{op} {} parameter {}", self.location, self.data.name)
    }
}

/// The parameters that apply to an operation: the path item's, overridden by the
/// operation's own of the same name and location.
fn parameters<'a>(
    side: &Side<'a>,
    path: &PathEntry<'a>,
    operation: &'a Operation,
) -> Vec<Param<'a>> {
    let mut params: Vec<Param<'a>> = Vec::new();
    for parameter in path.item.parameters.iter().chain(&operation.parameters) {
        let Some(parameter) = side.item(parameter) else {
            continue;
        };
        let (location, data) = match parameter {
            Parameter::Query { parameter_data, .. } => ("query", parameter_data),
            Parameter::Header { parameter_data, .. } => ("header", parameter_data),
            Parameter::Path { parameter_data, .. } => ("path", parameter_data),
            Parameter::Cookie { parameter_data, .. } => ("cookie", parameter_data),
        };
        let key = match location {
            "path" => path_position(path.path, &data.name)
                .map_or_else(|| data.name.clone(), |position| format!("#{position}")),
            "header" => data.name.to_ascii_lowercase(),
            _ => data.name.clone(),
        };
        params.retain(|p| !(p.location == location && p.key == key));
        params.push(Param {
            location,
            key,
            data,
        });
    }
    params
}

/// Responses by status as written (`200`, `4XX`, `default`).
fn responses(operation: &Operation) -> Vec<(String, &ReferenceOr<Response>)> {
    let responses = &operation.responses;
    responses
        .responses
        .iter()
        .map(|(status, response)| (status.to_string(), response))
        .chain(
            responses
                .default
                .iter()
                .map(|response| ("default".to_string(), response)),
        )
        .collect()
}

struct SecurityIds {
    removed: RuleId,
    added: RuleId,
    scope_added: RuleId,
    scope_removed: RuleId,
}

/// Security alternatives keyed by the set of schemes each combines, with their scopes. No
/// requirement at all is the one alternative that needs nothing (anonymous access).
type Alternatives = BTreeMap<BTreeSet<String>, BTreeMap<String, BTreeSet<String>>>;

fn alternatives(requirements: Option<&Vec<SecurityRequirement>>) -> Alternatives {
    let mut alternatives = Alternatives::new();
    match requirements {
        Some(requirements) if !requirements.is_empty() => {
            for requirement in requirements {
                let schemes = requirement.keys().cloned().collect();
                let scopes = requirement
                    .iter()
                    .map(|(scheme, scopes)| (scheme.clone(), scopes.iter().cloned().collect()))
                    .collect();
                alternatives.insert(schemes, scopes);
            }
        }
        _ => {
            alternatives.insert(BTreeSet::new(), BTreeMap::new());
        }
    }
    alternatives
}

fn show_alternative(schemes: &BTreeSet<String>) -> String {
    if schemes.is_empty() {
        return "anonymous access".to_string();
    }
    schemes
        .iter()
        .map(|scheme| format!("`{scheme}`"))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A scheme's type, with the HTTP authentication scheme (`basic`, `bearer`) it uses.
fn scheme_kind(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::APIKey { .. } => "apiKey".to_string(),
        SecurityScheme::HTTP { scheme, .. } => format!("http {}", scheme.to_ascii_lowercase()),
        SecurityScheme::OAuth2 { .. } => "oauth2".to_string(),
        SecurityScheme::OpenIDConnect { .. } => "openIdConnect".to_string(),
    }
}

fn key_location(location: &openapiv3::APIKeyLocation) -> &'static str {
    match location {
        openapiv3::APIKeyLocation::Query => "query parameter",
        openapiv3::APIKeyLocation::Header => "header",
        openapiv3::APIKeyLocation::Cookie => "cookie",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_ignore_parameter_names() {
        assert_eq!(template_key("/users/{id}/keys/{key}"), "/users/{}/keys/{}");
        assert_eq!(path_position("/users/{id}/keys/{key}", "key"), Some(1));
        assert_eq!(path_position("/users/{id}", "other"), None);
    }
}
