//! The input document model: the normalised document `load` returns and typed, borrowed views
//! over it. Whatever dialect the user wrote (Swagger 2.0, OpenAPI 3.0, 3.1, 3.2) and however
//! many files it spanned, the stages after `load` see one tree in OpenAPI 3.x shape. Views read
//! it leniently (a keyword of the wrong type reads as absent); `resolve::validate` reports such
//! keywords, located.
//!
//! **Invariant:** only the front end (`load`, `resolve`, `lower`) sees this module's types.

pub mod role;
pub mod schema;

use serde_json::{Map, Value};

use crate::diagnostics::{Sources, push_pointer};
pub use crate::ir::Method;

pub use schema::{Schema, SchemaUse, TypeSet};

/// The dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dialect {
    Swagger2,
    OpenApi30,
    OpenApi31,
    OpenApi32,
}

impl Dialect {
    /// `2.0`, `3.0`, `3.1` or `3.2`.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::Swagger2 => "2.0",
            Dialect::OpenApi30 => "3.0",
            Dialect::OpenApi31 => "3.1",
            Dialect::OpenApi32 => "3.2",
        }
    }

    /// Whether schemas are JSON Schema 2020-12 (3.1 and later) rather than OpenAPI 3.0's
    /// subset with `nullable` (2.0 and 3.0, and documents converted from 2.0).
    pub fn json_schema(self) -> bool {
        matches!(self, Dialect::OpenApi31 | Dialect::OpenApi32)
    }
}

/// A loaded spec: one JSON tree in OpenAPI 3.x shape, and where each part of it came from.
#[derive(Debug)]
pub struct Document {
    pub root: Value,
    /// The dialect the user wrote.
    pub written: Dialect,
    /// The dialect of `root`: 3.0 for converted Swagger 2.0 documents, else as written.
    pub dialect: Dialect,
    /// Every file read, and how pointers into `root` map back to them.
    pub sources: Sources,
    /// Operations whose `operationId` the repairs made up (pointers to the operations), for
    /// tools that compare what was written.
    pub derived_operation_ids: Vec<String>,
}

impl Document {
    pub fn root(&self) -> Obj<'_> {
        Obj::of(&self.root).unwrap_or(Obj::empty())
    }

    /// The node at a JSON pointer into the normalised document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.root.pointer(pointer)
    }

    /// The path items under `paths`, in document order (extensions left out).
    pub fn paths(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.root()
            .entries("paths")
            .filter(|(key, _)| !key.starts_with("x-"))
    }

    /// The path items under `webhooks` (3.1), in document order.
    pub fn webhooks(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.root()
            .entries("webhooks")
            .filter(|(key, _)| !key.starts_with("x-"))
    }

    /// The entries of one `components` section, in document order.
    pub fn components(&self, section: &str) -> impl Iterator<Item = (&str, &Value)> {
        self.root()
            .obj("components")
            .unwrap_or(Obj::empty())
            .entries(section)
    }

    /// The operations of a path item: the fixed methods, then 3.2's `query` and
    /// `additionalOperations`, each with its method and pointer.
    pub fn operations<'a>(
        &self,
        item: Obj<'a>,
        item_pointer: &str,
    ) -> Vec<(Method, Obj<'a>, String)> {
        let mut out = Vec::new();
        for (key, method) in Method::FIXED {
            if let Some(operation) = item.obj(key) {
                out.push((method.clone(), operation, push_pointer(item_pointer, key)));
            }
        }
        if self.dialect >= Dialect::OpenApi32 {
            if let Some(operation) = item.obj("query") {
                out.push((
                    Method::Query,
                    operation,
                    push_pointer(item_pointer, "query"),
                ));
            }
            let base = push_pointer(item_pointer, "additionalOperations");
            for (key, value) in item.entries("additionalOperations") {
                if let Some(operation) = Obj::of(value) {
                    out.push((Method::parse(key), operation, push_pointer(&base, key)));
                }
            }
        }
        out
    }
}

/// A JSON object of the document, read leniently: a key whose value has the wrong JSON type
/// reads as absent (validation reports it).
#[derive(Debug, Clone, Copy)]
pub struct Obj<'a>(pub &'a Map<String, Value>);

static EMPTY_MAP: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> Obj<'a> {
    /// An object without keys, for absent sections.
    pub fn empty() -> Obj<'static> {
        Obj(&EMPTY_MAP)
    }

    pub fn of(value: &'a Value) -> Option<Self> {
        value.as_object().map(Obj)
    }

    pub fn value(self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    pub fn str(self, key: &str) -> Option<&'a str> {
        self.0.get(key).and_then(Value::as_str)
    }

    pub fn bool(self, key: &str) -> Option<bool> {
        self.0.get(key).and_then(Value::as_bool)
    }

    pub fn obj(self, key: &str) -> Option<Obj<'a>> {
        self.0.get(key).and_then(Obj::of)
    }

    pub fn array(self, key: &str) -> &'a [Value] {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The strings of the array under `key` (anything else in it is passed over).
    pub fn strings(self, key: &str) -> Vec<String> {
        self.array(key)
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    }

    /// The entries of the object under `key`, in document order.
    pub fn entries(self, key: &str) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        self.0
            .get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.as_str(), value))
    }

    /// `$ref`, when this object is a reference.
    pub fn reference(self) -> Option<&'a str> {
        self.str("$ref")
    }

    /// A non-empty, trimmed string.
    pub fn text(self, key: &str) -> Option<&'a str> {
        self.str(key).map(str::trim).filter(|text| !text.is_empty())
    }
}
