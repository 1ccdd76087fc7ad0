//! Schema comparison: two versions of one schema (a parameter's, a body's), walked together
//! through properties, items, map values and `oneOf`/`anyOf` alternatives, following `$ref`s
//! on both sides.
//!
//! What is compared is the resolved shape, never the spelling: an inline schema moved behind
//! a `$ref` (or a component renamed) with the same shape reports nothing, and `allOf` is
//! merged into one object before comparing. Each pair of schema nodes is compared once per
//! walk, breadth first, so recursive schemas terminate and a component reached along several
//! paths of one body is reported once, at its shortest path.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::openapi::{
    Component, Resolver, SchemaRef, View, format_str, integer_format, number_format, split_ref,
    string_format,
};
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::rules::{self, Direction, Root, Rule, RuleId};

/// One side of the comparison: a document and its `$ref` resolver.
pub struct Side<'a> {
    pub doc: &'a OpenAPI,
    pub resolver: Resolver<'a>,
}

impl<'a> Side<'a> {
    pub fn new(doc: &'a OpenAPI) -> Self {
        Self {
            doc,
            resolver: Resolver::new(doc),
        }
    }

    fn resolve(&self, schema: SchemaRef<'a>) -> Option<&'a Schema> {
        match schema {
            SchemaRef::Inline(schema) => Some(schema),
            // Validation refused dangling references; one that still fails compares as nothing.
            SchemaRef::Ref(reference) => self.resolver.lookup(reference).ok().map(|(_, s)| s),
        }
    }

    /// A parameter, request body, response or header, or the component its `$ref` names
    /// (`None`, compared as nothing, where that does not resolve).
    pub fn item<T: Component>(&self, value: &'a ReferenceOr<T>) -> Option<&'a T> {
        match value {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.resolver.lookup(reference).ok().map(|(_, item)| item)
            }
        }
    }
}

/// A change found inside one schema, relative to where the walk started.
pub struct SchemaChange {
    pub rule: &'static Rule,
    /// Property path: `/address/city`, `/tags[]`, `/metadata{}`, `/pet/oneOf[Cat]/name`;
    /// empty for the root schema itself.
    pub path: String,
    pub message: String,
}

/// The component schemas whose comparison could find something: those that differ between
/// the two documents and those that reach one of them through `$ref`s. A reference to any
/// other component names the same, identical subtree on both sides and is skipped, which keeps
/// large specs (Stripe: 800 components, each reachable from hundreds of operations) fast.
pub fn affected_components(old: &OpenAPI, new: &OpenAPI) -> HashSet<String> {
    let old_schemas = old.components.as_ref().map(|c| &c.schemas);
    let new_schemas = new.components.as_ref().map(|c| &c.schemas);
    let names: BTreeSet<&String> = old_schemas
        .into_iter()
        .chain(new_schemas)
        .flat_map(|schemas| schemas.keys())
        .collect();
    let mut affected = HashSet::new();
    let mut referrers: HashMap<String, Vec<&String>> = HashMap::new();
    for name in &names {
        let old_entry = old_schemas.and_then(|schemas| schemas.get(*name));
        let new_entry = new_schemas.and_then(|schemas| schemas.get(*name));
        if old_entry != new_entry {
            affected.insert((*name).clone());
        }
        for entry in old_entry.into_iter().chain(new_entry) {
            let mut referenced = Vec::new();
            collect_refs(entry.into(), &mut referenced);
            for target in referenced {
                match component_name(target) {
                    Some(target) if names.contains(&target) => {
                        referrers.entry(target).or_default().push(name);
                    }
                    // Not a component we know: assume the worst.
                    _ => {
                        affected.insert((*name).clone());
                    }
                }
            }
        }
    }
    let mut queue: Vec<String> = affected.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for referrer in referrers.get(&name).into_iter().flatten() {
            if affected.insert((*referrer).clone()) {
                queue.push((*referrer).clone());
            }
        }
    }
    affected
}

/// Every `$ref` inside one schema, without following them.
fn collect_refs<'a>(schema: SchemaRef<'a>, out: &mut Vec<&'a str>) {
    match schema {
        SchemaRef::Ref(reference) => out.push(reference),
        SchemaRef::Inline(schema) => {
            for (child, _) in View::of(schema).children("") {
                collect_refs(child, out);
            }
        }
    }
}

/// The component a `#/components/schemas/<name>` reference names.
fn component_name(reference: &str) -> Option<String> {
    split_ref(reference, "schemas").map(|token| token.replace("~1", "/").replace("~0", "~"))
}

// ---------------------------------------------------------------------------------------------
// Shapes

/// The keywords the comparison reads, whichever openapiv3 variant holds them, with `allOf`
/// members merged in.
#[derive(Default)]
struct Shape<'a> {
    typ: Option<&'a str>,
    format: Option<&'a str>,
    nullable: bool,
    /// `enum` values other than `null` (which counts as `nullable`).
    enumeration: Vec<Value>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<&'a str>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    properties: Vec<(&'a str, SchemaRef<'a>)>,
    required: BTreeSet<&'a str>,
    additional: Option<SchemaRef<'a>>,
    items: Option<SchemaRef<'a>>,
    one_of: Vec<&'a ReferenceOr<Schema>>,
    any_of: Vec<&'a ReferenceOr<Schema>>,
}

/// `allOf` chains deeper than this are not merged further (they only occur in broken specs).
const MAX_ALL_OF_DEPTH: usize = 16;

fn list_enum<T>(values: &[Option<T>], shape: &mut Shape<'_>, to_value: impl Fn(&T) -> Value) {
    for value in values {
        match value {
            Some(value) => shape.enumeration.push(to_value(value)),
            None => shape.nullable = true,
        }
    }
}

fn properties<'a>(
    map: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
) -> Vec<(&'a str, SchemaRef<'a>)> {
    map.iter()
        .map(|(name, schema)| (name.as_str(), schema.into()))
        .collect()
}

fn additional(additional: Option<&AdditionalProperties>) -> Option<SchemaRef<'_>> {
    match additional {
        Some(AdditionalProperties::Schema(schema)) => Some(schema.as_ref().into()),
        _ => None,
    }
}

impl<'a> Shape<'a> {
    fn of(schema: &'a Schema, side: &Side<'a>, depth: usize) -> Self {
        let mut shape = Shape {
            nullable: schema.schema_data.nullable,
            ..Shape::default()
        };
        let mut all_of: &'a [ReferenceOr<Schema>] = &[];
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                shape.typ = Some("string");
                shape.format = format_str(&s.format, string_format);
                list_enum(&s.enumeration, &mut shape, |v| Value::String(v.clone()));
                shape.min_length = s.min_length;
                shape.max_length = s.max_length;
                shape.pattern = s.pattern.as_deref();
            }
            SchemaKind::Type(Type::Number(n)) => {
                shape.typ = Some("number");
                shape.format = format_str(&n.format, number_format);
                list_enum(&n.enumeration, &mut shape, |v| Value::from(*v));
                shape.minimum = n.minimum;
                shape.maximum = n.maximum;
            }
            SchemaKind::Type(Type::Integer(i)) => {
                shape.typ = Some("integer");
                shape.format = format_str(&i.format, integer_format);
                list_enum(&i.enumeration, &mut shape, |v| Value::from(*v));
                // Precision beyond 2^53 does not matter for comparing bounds.
                shape.minimum = i.minimum.map(|v| v as f64);
                shape.maximum = i.maximum.map(|v| v as f64);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                shape.typ = Some("boolean");
                list_enum(&b.enumeration, &mut shape, |v| Value::Bool(*v));
            }
            SchemaKind::Type(Type::Object(o)) => {
                shape.typ = Some("object");
                shape.properties = properties(&o.properties);
                shape.required = o.required.iter().map(String::as_str).collect();
                shape.additional = additional(o.additional_properties.as_ref());
            }
            SchemaKind::Type(Type::Array(a)) => {
                shape.typ = Some("array");
                shape.items = a.items.as_ref().map(SchemaRef::from);
                shape.min_items = a.min_items;
                shape.max_items = a.max_items;
            }
            SchemaKind::OneOf { one_of } => shape.one_of = one_of.iter().collect(),
            SchemaKind::AnyOf { any_of } => shape.any_of = any_of.iter().collect(),
            SchemaKind::AllOf { all_of: members } => all_of = members,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                shape.typ = any.typ.as_deref();
                shape.format = any.format.as_deref();
                for value in &any.enumeration {
                    if value.is_null() {
                        shape.nullable = true;
                    } else {
                        shape.enumeration.push(value.clone());
                    }
                }
                shape.min_length = any.min_length;
                shape.max_length = any.max_length;
                shape.pattern = any.pattern.as_deref();
                shape.minimum = any.minimum;
                shape.maximum = any.maximum;
                shape.min_items = any.min_items;
                shape.max_items = any.max_items;
                shape.properties = properties(&any.properties);
                shape.required = any.required.iter().map(String::as_str).collect();
                shape.additional = additional(any.additional_properties.as_ref());
                shape.items = any.items.as_ref().map(SchemaRef::from);
                shape.one_of = any.one_of.iter().collect();
                shape.any_of = any.any_of.iter().collect();
                all_of = &any.all_of;
            }
        }
        if depth < MAX_ALL_OF_DEPTH {
            for member in all_of {
                if let Some(member) = side.resolve(member.into()) {
                    shape.merge(Shape::of(member, side, depth + 1));
                }
            }
        }
        if shape.typ.is_none() {
            if !shape.properties.is_empty() {
                shape.typ = Some("object");
            } else if shape.items.is_some() {
                shape.typ = Some("array");
            }
        }
        shape
    }

    /// Adds an `allOf` member: its properties and required names join ours, and it fills in
    /// whatever keyword we leave unset.
    fn merge(&mut self, member: Shape<'a>) {
        self.typ = self.typ.or(member.typ);
        self.format = self.format.or(member.format);
        self.nullable |= member.nullable;
        if self.enumeration.is_empty() {
            self.enumeration = member.enumeration;
        }
        self.min_length = self.min_length.or(member.min_length);
        self.max_length = self.max_length.or(member.max_length);
        self.pattern = self.pattern.or(member.pattern);
        self.minimum = self.minimum.or(member.minimum);
        self.maximum = self.maximum.or(member.maximum);
        self.min_items = self.min_items.or(member.min_items);
        self.max_items = self.max_items.or(member.max_items);
        for (name, schema) in member.properties {
            if !self
                .properties
                .iter()
                .any(|(existing, _)| *existing == name)
            {
                self.properties.push((name, schema));
            }
        }
        self.required.extend(member.required);
        self.additional = self.additional.or(member.additional);
        self.items = self.items.or(member.items);
        if self.one_of.is_empty() {
            self.one_of = member.one_of;
        }
        if self.any_of.is_empty() {
            self.any_of = member.any_of;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The walk

enum Segment<'a> {
    Property(&'a str),
    Items,
    Values,
    Alternative(&'static str, String),
}

type PathId = Option<usize>;

struct Pending<'a> {
    old: SchemaRef<'a>,
    new: SchemaRef<'a>,
    path: PathId,
}

/// Compares two versions of one schema.
pub struct Walk<'w, 'a> {
    old: &'w Side<'a>,
    new: &'w Side<'a>,
    affected: &'w HashSet<String>,
    direction: Direction,
    root: Root,
    /// Pairs of schema nodes (by address) already compared in this walk.
    visited: HashSet<(usize, usize)>,
    /// Path segments, each with its parent's index.
    segments: Vec<(PathId, Segment<'a>)>,
    queue: VecDeque<Pending<'a>>,
    changes: Vec<SchemaChange>,
}

impl<'w, 'a> Walk<'w, 'a> {
    pub fn new(
        old: &'w Side<'a>,
        new: &'w Side<'a>,
        affected: &'w HashSet<String>,
        direction: Direction,
        root: Root,
    ) -> Self {
        Self {
            old,
            new,
            affected,
            direction,
            root,
            visited: HashSet::new(),
            segments: Vec::new(),
            queue: VecDeque::new(),
            changes: Vec::new(),
        }
    }

    /// Every change between `old` and `new`, in the order found.
    pub fn compare(mut self, old: SchemaRef<'a>, new: SchemaRef<'a>) -> Vec<SchemaChange> {
        self.queue.push_back(Pending {
            old,
            new,
            path: None,
        });
        while let Some(pending) = self.queue.pop_front() {
            self.node(pending);
        }
        self.changes
    }

    fn node(&mut self, Pending { old, new, path }: Pending<'a>) {
        if let (SchemaRef::Ref(a), SchemaRef::Ref(b)) = (old, new)
            && a == b
            && component_name(a).is_some_and(|name| !self.affected.contains(&name))
        {
            return;
        }
        let (Some(old), Some(new)) = (self.old.resolve(old), self.new.resolve(new)) else {
            return;
        };
        let key = (
            std::ptr::from_ref(old).addr(),
            std::ptr::from_ref(new).addr(),
        );
        if !self.visited.insert(key) {
            return;
        }
        let old = Shape::of(old, self.old, 0);
        let new = Shape::of(new, self.new, 0);
        if !self.types(&old, &new, path) {
            return;
        }
        self.nullable(&old, &new, path);
        self.enumeration(&old, &new, path);
        self.constraints(&old, &new, path);
        self.properties(&old, &new, path);
        if let (Some(old), Some(new)) = (old.items, new.items) {
            let path = self.child(path, Segment::Items);
            self.queue.push_back(Pending { old, new, path });
        }
        if let (Some(old), Some(new)) = (old.additional, new.additional) {
            let path = self.child(path, Segment::Values);
            self.queue.push_back(Pending { old, new, path });
        }
        self.alternatives("oneOf", "one-of", &old.one_of, &new.one_of, path);
        self.alternatives("anyOf", "any-of", &old.any_of, &new.any_of, path);
    }

    fn child(&mut self, parent: PathId, segment: Segment<'a>) -> PathId {
        self.segments.push((parent, segment));
        Some(self.segments.len() - 1)
    }

    fn render(&self, mut path: PathId) -> String {
        let mut parts = Vec::new();
        while let Some(index) = path {
            let (parent, segment) = &self.segments[index];
            parts.push(match segment {
                Segment::Property(name) => format!("/{name}"),
                Segment::Items => "[]".to_string(),
                Segment::Values => "{}".to_string(),
                Segment::Alternative(keyword, label) => format!("/{keyword}[{label}]"),
            });
            path = *parent;
        }
        parts.reverse();
        parts.concat()
    }

    /// Reports a schema-level change under the first of `suffixes` that has a rule here.
    fn schema_change(&mut self, path: PathId, suffixes: &[&str], message: String) {
        if let Some(id) = rules::schema_rule(self.direction, self.root, path.is_none(), suffixes) {
            self.push(id.rule(), path, message);
        }
    }

    fn push(&mut self, rule: &'static Rule, path: PathId, message: String) {
        let path = self.render(path);
        self.changes.push(SchemaChange {
            rule,
            path,
            message,
        });
    }

    /// Compares type and format; `false` when the types differ, as then nothing else compares.
    fn types(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: PathId) -> bool {
        if !self.type_keyword("type", old.typ, new.typ, path) {
            return false;
        }
        self.type_keyword("format", old.format, new.format, path);
        true
    }

    /// Compares one of `type` and `format`, named `keyword`; `false` when it changed.
    fn type_keyword(
        &mut self,
        keyword: &str,
        old: Option<&str>,
        new: Option<&str>,
        path: PathId,
    ) -> bool {
        match (old, new) {
            (Some(a), Some(b)) if a != b => {
                let message = format!("{keyword} changed from `{a}` to `{b}`");
                self.schema_change(path, &["type-changed"], message);
                return false;
            }
            // Losing a type or format accepts more (fine in a request, not in a response) and
            // gaining one accepts less.
            (Some(a), None) => {
                let message = format!("{keyword} `{a}` removed");
                self.schema_change(path, &["type-generalized", "type-changed"], message);
            }
            (None, Some(b)) => {
                let message = format!("{keyword} `{b}` added");
                self.schema_change(path, &["type-specialized", "type-changed"], message);
            }
            _ => {}
        }
        true
    }

    fn nullable(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: PathId) {
        match (old.nullable, new.nullable) {
            (false, true) => {
                self.schema_change(path, &["became-nullable"], "became nullable".into())
            }
            (true, false) => {
                self.schema_change(path, &["became-not-nullable"], "no longer nullable".into());
            }
            _ => {}
        }
    }

    fn enumeration(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: PathId) {
        match (old.enumeration.is_empty(), new.enumeration.is_empty()) {
            (true, false) => {
                let values = new.enumeration.iter().map(show).collect::<Vec<_>>();
                let message = format!("restricted to the values {}", values.join(", "));
                self.schema_change(path, &["became-enum"], message);
            }
            (false, false) => {
                for value in &old.enumeration {
                    if !new.enumeration.contains(value) {
                        let message = format!("enum value {} removed", show(value));
                        self.schema_change(path, &["enum-value-removed"], message);
                    }
                }
                for value in &new.enumeration {
                    if !old.enumeration.contains(value) {
                        let message = format!("enum value {} added", show(value));
                        self.schema_change(path, &["enum-value-added"], message);
                    }
                }
            }
            // Dropping the enum accepts (or returns) any value; oasdiff has no rule for it.
            _ => {}
        }
    }

    fn constraints(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: PathId) {
        let upper = |value: Option<usize>| value.map(|v| v as f64);
        self.bound(
            path,
            "maxLength",
            "max-length",
            Bound::Upper,
            upper(old.max_length),
            upper(new.max_length),
        );
        self.bound(
            path,
            "minLength",
            "min-length",
            Bound::Lower,
            upper(old.min_length),
            upper(new.min_length),
        );
        self.bound(
            path,
            "minimum",
            "min",
            Bound::Lower,
            old.minimum,
            new.minimum,
        );
        self.bound(
            path,
            "maximum",
            "max",
            Bound::Upper,
            old.maximum,
            new.maximum,
        );
        self.bound(
            path,
            "minItems",
            "min-items",
            Bound::Lower,
            upper(old.min_items),
            upper(new.min_items),
        );
        self.bound(
            path,
            "maxItems",
            "max-items",
            Bound::Upper,
            upper(old.max_items),
            upper(new.max_items),
        );
        match (old.pattern, new.pattern) {
            (None, Some(b)) => {
                self.schema_change(path, &["pattern-added"], format!("pattern `{b}` added"));
            }
            (Some(a), None) => {
                self.schema_change(path, &["pattern-removed"], format!("pattern `{a}` removed"));
            }
            (Some(a), Some(b)) if a != b => {
                let message = format!("pattern changed from `{a}` to `{b}`");
                self.schema_change(path, &["pattern-changed"], message);
            }
            _ => {}
        }
    }

    /// A numeric bound. Setting an upper bound is also a decrease (from unbounded) and
    /// removing one an increase; the other way round for lower bounds.
    fn bound(
        &mut self,
        path: PathId,
        keyword: &str,
        name: &str,
        bound: Bound,
        old: Option<f64>,
        new: Option<f64>,
    ) {
        let (primary, fallback) = match (old, new) {
            (Some(a), Some(b)) if b < a => ("decreased", None),
            (Some(a), Some(b)) if b > a => ("increased", None),
            (None, Some(_)) => (
                "set",
                Some(match bound {
                    Bound::Upper => "decreased",
                    Bound::Lower => "increased",
                }),
            ),
            (Some(_), None) => (
                "unset",
                Some(match bound {
                    Bound::Upper => "increased",
                    Bound::Lower => "decreased",
                }),
            ),
            _ => return,
        };
        let show = |value: Option<f64>| value.map_or("none".to_string(), |v| v.to_string());
        let message = format!("{keyword} changed from {} to {}", show(old), show(new));
        let primary = format!("{name}-{primary}");
        let fallback = fallback.map(|fallback| format!("{name}-{fallback}"));
        let suffixes: Vec<&str> = std::iter::once(primary.as_str())
            .chain(fallback.as_deref())
            .collect();
        self.schema_change(path, &suffixes, message);
    }

    /// Properties added, removed, or whose required-ness changed; common ones are compared
    /// next. Properties a side never sends (`readOnly` in requests, `writeOnly` in
    /// responses) are left out.
    fn properties(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: PathId) {
        if self.root == Root::Parameter {
            // oasdiff has no rules for the properties of a parameter's object schema.
            return;
        }
        let request = self.direction == Direction::Request;
        for (name, old_schema) in &old.properties {
            let was_required = old.required.contains(name);
            let new_schema = new
                .properties
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| *s);
            let ignored = self.ignored(self.old, *old_schema)
                || new_schema.is_some_and(|schema| self.ignored(self.new, schema));
            if ignored {
                continue;
            }
            let child = self.child(path, Segment::Property(name));
            let Some(new_schema) = new_schema else {
                let id = match (request, was_required) {
                    (true, _) => RuleId::RequestPropertyRemoved,
                    (false, true) => RuleId::ResponseRequiredPropertyRemoved,
                    (false, false) => RuleId::ResponseOptionalPropertyRemoved,
                };
                self.rule(id, child, "property removed".into());
                continue;
            };
            let now_required = new.required.contains(name);
            if was_required != now_required {
                let (id, message) = match (now_required, request) {
                    (true, true) => (RuleId::RequestPropertyBecameRequired, "became required"),
                    (true, false) => (RuleId::ResponsePropertyBecameRequired, "became required"),
                    (false, true) => (RuleId::RequestPropertyBecameOptional, "became optional"),
                    (false, false) => (RuleId::ResponsePropertyBecameOptional, "became optional"),
                };
                self.rule(id, child, message.into());
            }
            self.queue.push_back(Pending {
                old: *old_schema,
                new: new_schema,
                path: child,
            });
        }
        for (name, schema) in &new.properties {
            if old.properties.iter().any(|(n, _)| n == name) || self.ignored(self.new, *schema) {
                continue;
            }
            let child = self.child(path, Segment::Property(name));
            let id = match (request, new.required.contains(name)) {
                (true, true) => RuleId::NewRequiredRequestProperty,
                (true, false) => RuleId::NewOptionalRequestProperty,
                (false, true) => RuleId::ResponseRequiredPropertyAdded,
                (false, false) => RuleId::ResponseOptionalPropertyAdded,
            };
            self.rule(id, child, "property added".into());
        }
    }

    fn rule(&mut self, id: RuleId, path: PathId, message: String) {
        self.push(id.rule(), path, message);
    }

    /// Whether this direction never carries the property.
    fn ignored(&self, side: &Side<'a>, schema: SchemaRef<'a>) -> bool {
        side.resolve(schema)
            .is_some_and(|schema| match self.direction {
                Direction::Request => schema.schema_data.read_only,
                Direction::Response => schema.schema_data.write_only,
            })
    }

    /// `oneOf`/`anyOf` alternatives: matched by component name or title first, then the rest
    /// in order (so an inline alternative moved behind a `$ref` still pairs up).
    fn alternatives(
        &mut self,
        keyword: &'static str,
        suffix: &str,
        old: &[&'a ReferenceOr<Schema>],
        new: &[&'a ReferenceOr<Schema>],
        path: PathId,
    ) {
        let old_keys: Vec<Option<String>> = old.iter().map(|alt| alternative_key(alt)).collect();
        let new_keys: Vec<Option<String>> = new.iter().map(|alt| alternative_key(alt)).collect();
        let mut pairs = Vec::new();
        let mut old_left = Vec::new();
        let mut new_taken = vec![false; new.len()];
        for (i, key) in old_keys.iter().enumerate() {
            let found = key.as_ref().and_then(|key| {
                (0..new.len()).find(|&j| !new_taken[j] && new_keys[j].as_ref() == Some(key))
            });
            match found {
                Some(j) => {
                    new_taken[j] = true;
                    pairs.push((i, j));
                }
                None => old_left.push(i),
            }
        }
        let mut new_left: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
        // Leftovers pair up in order where one side has no name to match by; two different
        // components are a removal and an addition.
        let mut removed = Vec::new();
        for i in old_left {
            match new_left.first() {
                Some(&j) if old_keys[i].is_none() || new_keys[j].is_none() => {
                    new_left.remove(0);
                    pairs.push((i, j));
                }
                _ => removed.push(i),
            }
        }
        for i in removed {
            let message = format!("{keyword} alternative {} removed", quoted(old[i], i));
            self.schema_change(path, &[&format!("{suffix}-removed")], message);
        }
        for j in new_left {
            let message = format!("{keyword} alternative {} added", quoted(new[j], j));
            self.schema_change(path, &[&format!("{suffix}-added")], message);
        }
        pairs.sort_unstable();
        for (i, j) in pairs {
            let segment = Segment::Alternative(keyword, label(new[j], j));
            let child = self.child(path, segment);
            self.queue.push_back(Pending {
                old: old[i].into(),
                new: new[j].into(),
                path: child,
            });
        }
    }
}

#[derive(Clone, Copy)]
enum Bound {
    Upper,
    Lower,
}

/// What identifies an alternative across versions: the component it names, or its title.
fn alternative_key(alternative: &ReferenceOr<Schema>) -> Option<String> {
    match alternative {
        ReferenceOr::Reference { reference } => component_name(reference),
        ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
    }
}

/// How an alternative is named in paths and messages.
fn label(alternative: &ReferenceOr<Schema>, index: usize) -> String {
    alternative_key(alternative).unwrap_or_else(|| format!("#{index}"))
}

/// An alternative's label as messages quote it.
fn quoted(alternative: &ReferenceOr<Schema>, index: usize) -> String {
    format!("`{}`", label(alternative, index))
}

/// An enum value as it would appear in the spec.
fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => format!("`{other}`"),
    }
}
