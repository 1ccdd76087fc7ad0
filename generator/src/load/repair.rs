//! Structural repairs: the defects real specs carry in their paths and operations, which
//! their authors' tools accept. Each is repaired in a documented, deterministic way and
//! reported as a warning (an error under `--strict`):
//!
//! - a path segment written `:id` is read as `{id}`; a path without a leading `/` gets one;
//! - an empty path item is left out;
//! - an operation without `operationId` gets one from its method and path
//!   (`get /users/{id}` is `getUsersId`); a duplicated `operationId` gets a number;
//! - a path parameter used in the template but not declared is declared (a required string);
//!   one declared but not in the template is left out; one without `required: true` is read
//!   as required.
//!
//! Schema-level defects (`nullable` in 3.1, `enum: []`, a `$ref` to a response where a schema
//! belongs) are read where schemas are read (`document::schema`, `resolve`), and reported by
//! validation.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostics, Layer, Origin, push_pointer};
use crate::document::Dialect;
use crate::ir::PathTemplate;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the repairs did that later stages may need to know.
pub struct Repaired {
    /// Where the parts moved came from.
    pub layer: Layer,
    /// Pointers of the operations whose `operationId` was made up.
    pub derived_operation_ids: Vec<String>,
}

pub fn repair(root: &mut Value, dialect: Dialect, diagnostics: &mut Diagnostics) -> Repaired {
    let mut layer = Layer::default();
    let mut derived_operation_ids = Vec::new();
    let components = root
        .pointer("/components/parameters")
        .cloned()
        .unwrap_or(Value::Null);
    let mut operation_ids: HashMap<String, String> = HashMap::new();
    // Ids the document gives are claimed first, so a derived id never takes one.
    let given: BTreeSet<String> = collect_operation_ids(root, dialect);
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = root.get_mut(section) else {
            continue;
        };
        let entries = std::mem::take(items);
        for (key, mut item) in entries {
            let pointer = push_pointer(&format!("/{section}"), &key);
            if key.starts_with("x-") {
                items.insert(key, item);
                continue;
            }
            let is_empty = match &item {
                Value::Null => true,
                Value::Object(map) => map.is_empty(),
                _ => false,
            };
            if is_empty {
                diagnostics.repair(pointer, "an empty path item", "left out");
                continue;
            }
            let key = if section == "paths" {
                let repaired = repair_path(&key);
                if repaired != key {
                    let new_pointer = push_pointer("/paths", &repaired);
                    diagnostics.repair(
                        new_pointer.clone(),
                        &format!("path `{key}` is not an OpenAPI path template"),
                        &format!("read as `{repaired}`"),
                    );
                    layer.record(
                        new_pointer,
                        Origin {
                            file: None,
                            pointer: pointer.clone(),
                        },
                    );
                }
                repaired
            } else {
                key
            };
            let item_pointer = push_pointer(&format!("/{section}"), &key);
            if let Value::Object(map) = &mut item {
                for (method, relative, operation) in operations_mut(map, dialect) {
                    let operation_pointer = format!("{item_pointer}{relative}");
                    if operation_id(
                        operation,
                        &method,
                        &key,
                        &operation_pointer,
                        &given,
                        &mut operation_ids,
                        diagnostics,
                    ) {
                        derived_operation_ids.push(operation_pointer);
                    }
                }
                if section == "paths" {
                    path_parameters(
                        map,
                        &key,
                        &item_pointer,
                        &components,
                        dialect,
                        &mut layer,
                        diagnostics,
                    );
                }
            }
            items.insert(key, item);
        }
    }
    Repaired {
        layer,
        derived_operation_ids,
    }
}

/// The operations of a path item: method, pointer relative to the item, the operation.
fn operations_mut(
    item: &mut Map<String, Value>,
    dialect: Dialect,
) -> Vec<(String, String, &mut Map<String, Value>)> {
    let mut out = Vec::new();
    for (key, value) in item.iter_mut() {
        let is_method =
            METHODS.contains(&key.as_str()) || (dialect >= Dialect::OpenApi32 && key == "query");
        let is_extra = dialect >= Dialect::OpenApi32 && key == "additionalOperations";
        let Value::Object(map) = value else {
            continue;
        };
        if is_method {
            out.push((key.clone(), push_pointer("", key), map));
        } else if is_extra {
            for (method, operation) in map.iter_mut() {
                if let Value::Object(operation) = operation {
                    let relative = push_pointer(&push_pointer("", key), method);
                    out.push((method.clone(), relative, operation));
                }
            }
        }
    }
    out
}

/// The keys of a path item that hold operations (3.2's extra ones as `additionalOperations/M`).
fn operation_keys(item: &Map<String, Value>, dialect: Dialect) -> Vec<String> {
    let mut out: Vec<String> = item
        .keys()
        .filter(|key| {
            METHODS.contains(&key.as_str())
                || (dialect >= Dialect::OpenApi32 && key.as_str() == "query")
        })
        .cloned()
        .collect();
    if dialect >= Dialect::OpenApi32
        && let Some(Value::Object(extra)) = item.get("additionalOperations")
    {
        out.extend(
            extra
                .keys()
                .map(|key| format!("additionalOperations/{key}")),
        );
    }
    out
}

fn collect_operation_ids(root: &Value, dialect: Dialect) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for section in ["paths", "webhooks"] {
        for item in root
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(_, item)| item)
        {
            let Some(map) = item.as_object() else {
                continue;
            };
            for method in operation_keys(map, dialect) {
                if let Some(id) = item
                    .pointer(&format!("/{method}"))
                    .and_then(|operation| operation.get("operationId"))
                    .and_then(Value::as_str)
                {
                    out.insert(id.to_string());
                }
            }
        }
    }
    out
}

/// `/users/:id` is `/users/{id}`; a path gets its leading `/`.
fn repair_path(path: &str) -> String {
    let mut out: String = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) if !name.is_empty() && !segment.contains('{') => format!("{{{name}}}"),
            _ => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

/// Gives the operation an id when it has none and renames a duplicate; `true` when the id
/// was made up.
#[allow(clippy::too_many_arguments)]
fn operation_id(
    operation: &mut Map<String, Value>,
    method: &str,
    path: &str,
    pointer: &str,
    given: &BTreeSet<String>,
    seen: &mut HashMap<String, String>,
    diagnostics: &mut Diagnostics,
) -> bool {
    let mut derived = false;
    let id = match operation.get("operationId").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => id.to_string(),
        _ => {
            derived = true;
            let mut name = derived_id(method, path);
            let mut number = 2;
            while given.contains(&name) || seen.contains_key(&name) {
                name = format!("{}{number}", derived_id(method, path));
                number += 1;
            }
            diagnostics.repair(
                pointer.to_string(),
                &format!(
                    "`{} {path}` has no operationId",
                    method.to_ascii_uppercase()
                ),
                &format!("named `{name}` after its method and path"),
            );
            operation.insert("operationId".into(), json!(name));
            name
        }
    };
    if let Some(first) = seen.get(&id) {
        let mut number = 2;
        let mut renamed = format!("{id}_{number}");
        while given.contains(&renamed) || seen.contains_key(&renamed) {
            number += 1;
            renamed = format!("{id}_{number}");
        }
        diagnostics.repair(
            push_pointer(pointer, "operationId"),
            &format!("duplicate operationId `{id}`: already used at #{first}"),
            &format!("this one is read as `{renamed}`"),
        );
        operation.insert("operationId".into(), json!(renamed.clone()));
        seen.insert(renamed, pointer.to_string());
        return derived;
    }
    seen.insert(id, pointer.to_string());
    derived
}

/// `get /users/{id}/keys` is `getUsersIdKeys`.
pub fn derived_id(method: &str, path: &str) -> String {
    let mut out = method.to_ascii_lowercase();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// The name, location and `required` of a parameter (following a local `$ref`).
/// The names of the path parameters a path item or an operation declares.
fn path_parameter_names<'a>(
    owner: &'a serde_json::Map<String, Value>,
    components: &'a Value,
) -> impl Iterator<Item = String> + 'a {
    owner
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|parameter| parameter_key(parameter, components))
        .filter(|(_, location, _)| *location == "path")
        .map(|(name, ..)| name.to_string())
}

fn parameter_key<'a>(
    parameter: &'a Value,
    components: &'a Value,
) -> Option<(&'a str, &'a str, bool)> {
    let resolved = match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            components.get(crate::diagnostics::unescape_token(name))?
        }
        None => parameter,
    };
    Some((
        resolved.get("name")?.as_str()?,
        resolved.get("in")?.as_str()?,
        resolved
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    ))
}

/// A path template and the placeholders it uses.
struct Placeholders<'t> {
    path: &'t str,
    used: &'t [&'t str],
}

impl Placeholders<'_> {
    /// Leaves out the path parameters of `owner` (a path item or an operation) that no
    /// placeholder uses, and marks the rest required.
    fn drop_unused(
        &self,
        owner: &mut Map<String, Value>,
        pointer: &str,
        components: &Value,
        layer: &mut Layer,
        diagnostics: &mut Diagnostics,
    ) {
        let path = self.path;
        retain_parameters(owner, pointer, components, layer, |name, location| {
            let unused = location == "path" && !self.used.contains(&name);
            if unused {
                diagnostics.repair(
                    pointer.to_string(),
                    &format!("path parameter `{name}` is declared but does not appear in `{path}`"),
                    "left out",
                );
            }
            !unused
        });
        mark_required(owner, pointer, components, path, diagnostics);
    }
}

#[allow(clippy::too_many_arguments)]
fn path_parameters(
    item: &mut Map<String, Value>,
    path: &str,
    item_pointer: &str,
    components: &Value,
    dialect: Dialect,
    layer: &mut Layer,
    diagnostics: &mut Diagnostics,
) {
    let Ok(template) = PathTemplate::parse(path) else {
        // Validation reports a malformed template.
        return;
    };
    let used: Vec<&str> = template.parameter_names().collect();
    let shared_declared: Vec<String> = path_parameter_names(&*item, components).collect();
    // Path-level parameters no template placeholder uses.
    let shared_pointer = push_pointer(item_pointer, "parameters");
    let placeholders = Placeholders { path, used: &used };
    placeholders.drop_unused(item, &shared_pointer, components, layer, diagnostics);
    for (_, relative, operation) in operations_mut(item, dialect) {
        let operation_pointer = format!("{item_pointer}{relative}");
        let own_pointer = push_pointer(&operation_pointer, "parameters");
        placeholders.drop_unused(operation, &own_pointer, components, layer, diagnostics);
        let declared: BTreeSet<String> = path_parameter_names(&*operation, components)
            .chain(shared_declared.iter().cloned())
            .collect();
        for name in &used {
            if declared.contains(*name) {
                continue;
            }
            diagnostics.repair(
                operation_pointer.clone(),
                &format!("path parameter `{name}` of `{path}` is not declared in `parameters`"),
                "declared as a required string",
            );
            let parameters = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if !parameters.is_array() {
                *parameters = Value::Array(Vec::new());
            }
            if let Value::Array(list) = parameters {
                layer.record(
                    push_pointer(&own_pointer, &list.len().to_string()),
                    Origin {
                        file: None,
                        pointer: operation_pointer.clone(),
                    },
                );
                list.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
            }
        }
    }
}

/// Keeps the parameters `keep` accepts (by name and location), recording where those that
/// moved up the list were.
fn retain_parameters(
    owner: &mut Map<String, Value>,
    pointer: &str,
    components: &Value,
    layer: &mut Layer,
    mut keep: impl FnMut(&str, &str) -> bool,
) {
    let Some(Value::Array(list)) = owner.get_mut("parameters") else {
        return;
    };
    let mut kept = Vec::with_capacity(list.len());
    for (index, parameter) in std::mem::take(list).into_iter().enumerate() {
        let accepted = match parameter_key(&parameter, components) {
            Some((name, location, _)) => keep(name, location),
            None => true,
        };
        if accepted {
            if kept.len() != index {
                layer.record(
                    push_pointer(pointer, &kept.len().to_string()),
                    Origin {
                        file: None,
                        pointer: push_pointer(pointer, &index.to_string()),
                    },
                );
            }
            kept.push(parameter);
        }
    }
    *list = kept;
}

/// Path parameters are required; one that does not say so is read as required.
fn mark_required(
    owner: &mut Map<String, Value>,
    pointer: &str,
    components: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) {
    let Some(Value::Array(list)) = owner.get_mut("parameters") else {
        return;
    };
    for (index, parameter) in list.iter_mut().enumerate() {
        let Some((name, "path", false)) = parameter_key(parameter, components) else {
            continue;
        };
        let name = name.to_string();
        let parameter_pointer = push_pointer(pointer, &index.to_string());
        diagnostics.repair(
            push_pointer(&parameter_pointer, "required"),
            &format!("path parameter `{name}` of `{path}` does not say `required: true`"),
            "read as required",
        );
        if let Value::Object(map) = parameter
            && !map.contains_key("$ref")
        {
            map.insert("required".into(), json!(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_ids() {
        assert_eq!(repair_path("/users/:id/keys"), "/users/{id}/keys");
        assert_eq!(repair_path("users"), "/users");
        assert_eq!(repair_path("/a/{b}"), "/a/{b}");
        assert_eq!(
            derived_id("get", "/users/{id}/api-keys"),
            "getUsersIdApiKeys"
        );
    }
}
