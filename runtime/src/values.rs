//! Values that fit a JSON Schema (and a few that do not): the conformance kit's requests,
//! and the validation layer's refusals where the contract documents an error body.
//! Deterministic: the same seed gives the same values.

use serde_json::{Map, Value, json};

use crate::contract::{def_key, schema_type};

/// A small deterministic generator (xorshift64*): the kit must give the same requests on
/// every run, so a report can be compared with the last one.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next() % bound }
    }

    fn chance(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// Deep enough for any real schema's required properties; recursion beyond it stops at
/// the smallest value.
const MAX_DEPTH: usize = 8;

/// A value meant to satisfy `schema`. Patterns are not inverted: a value that misses one is
/// caught by the kit's own check of the request before it is sent.
pub(crate) fn sample(schema: &Value, defs: &Map<String, Value>, rng: &mut Rng) -> Value {
    generate(schema, defs, rng, 0)
}

fn generate(schema: &Value, defs: &Map<String, Value>, rng: &mut Rng, depth: usize) -> Value {
    let schema = match schema {
        Value::Bool(_) => return json!("sample"),
        Value::Object(_) => schema,
        _ => return Value::Null,
    };
    if let Some(key) = schema.get("$ref").and_then(Value::as_str).and_then(def_key) {
        return match defs.get(&key) {
            Some(target) => generate(target, defs, rng, depth + 1),
            None => Value::Null,
        };
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        let choices: Vec<&Value> = values.iter().filter(|value| !value.is_null()).collect();
        if choices.is_empty() {
            return Value::Null;
        }
        return choices[rng.below(choices.len() as u64) as usize].clone();
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        return all_of(schema, members, defs, rng, depth);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get(keyword) {
            let choices: Vec<&Value> = members
                .iter()
                .filter(|member| member.get("type") != Some(&json!("null")))
                .collect();
            if let Some(choice) = choices.first() {
                // The first member keeps `oneOf` unambiguous more often than a random one.
                let mut value = generate(choice, defs, rng, depth + 1);
                merge_own_properties(&mut value, schema, defs, rng, depth);
                return value;
            }
        }
    }
    match schema_type(schema) {
        Some("string") => string(schema, rng),
        Some("integer") => integer(schema, rng),
        Some("number") => number(schema, rng),
        Some("boolean") => Value::Bool(rng.chance()),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Bool(true));
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let max = schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .unwrap_or(min + 2);
            let count = if depth >= MAX_DEPTH {
                min
            } else {
                (min.max(1) + rng.below(2)).min(max)
            };
            let mut out: Vec<Value> = Vec::new();
            for _ in 0..count * 4 {
                if out.len() as u64 >= count {
                    break;
                }
                let item = generate(items, defs, rng, depth + 1);
                // `uniqueItems` is common for enums: skip repeats.
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            Value::Array(out)
        }
        Some("object") => object(schema, defs, rng, depth),
        Some("null") => Value::Null,
        _ => {
            if schema.get("properties").is_some() || schema.get("required").is_some() {
                object(schema, defs, rng, depth)
            } else {
                json!("sample")
            }
        }
    }
}

fn object(schema: &Value, defs: &Map<String, Value>, rng: &mut Rng, depth: usize) -> Value {
    let mut out = Map::new();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            if *property == Value::Bool(false) {
                continue;
            }
            let wanted = required.contains(&name.as_str()) || (depth < 2 && rng.chance());
            if wanted {
                out.insert(name.clone(), generate(property, defs, rng, depth + 1));
            }
        }
    }
    for name in required {
        if !out.contains_key(name) {
            let extra = match schema.get("additionalProperties") {
                Some(Value::Object(_)) => schema.get("additionalProperties"),
                _ => None,
            };
            let value = extra.map_or(json!("sample"), |extra| {
                generate(extra, defs, rng, depth + 1)
            });
            out.insert(name.to_string(), value);
        }
    }
    Value::Object(out)
}

/// `allOf`: the members' objects merged; a discriminator's `if`/`then` members are applied
/// for the tag the merge picked.
fn all_of(
    schema: &Value,
    members: &[Value],
    defs: &Map<String, Value>,
    rng: &mut Rng,
    depth: usize,
) -> Value {
    let mut merged = Value::Object(Map::new());
    let mut dispatch: Vec<(&Value, &Value)> = Vec::new();
    for member in members {
        if let (Some(condition), Some(then)) = (member.get("if"), member.get("then")) {
            dispatch.push((condition, then));
            continue;
        }
        let value = generate(member, defs, rng, depth + 1);
        merge(&mut merged, value);
    }
    merge_own_properties(&mut merged, schema, defs, rng, depth);
    for (condition, then) in dispatch {
        let Some(Value::Object(properties)) = condition.get("properties") else {
            continue;
        };
        let matches = properties.iter().all(|(name, expected)| {
            expected
                .get("const")
                .is_some_and(|tag| merged.get(name) == Some(tag))
        });
        if matches {
            let tags: Vec<(String, Value)> = properties
                .iter()
                .filter_map(|(name, expected)| Some((name.clone(), expected.get("const")?.clone())))
                .collect();
            let value = generate(then, defs, rng, depth + 1);
            merge(&mut merged, value);
            // The branch's own schema may have generated another tag value: the tag wins.
            if let Value::Object(map) = &mut merged {
                for (name, tag) in tags {
                    map.insert(name, tag);
                }
            }
        }
    }
    if merged.as_object().is_some_and(Map::is_empty) && schema_type(schema) != Some("object") {
        // Not objects: the first member alone.
        return members
            .first()
            .map_or(Value::Null, |member| generate(member, defs, rng, depth + 1));
    }
    merged
}

/// Properties a schema declares next to its `allOf`/`oneOf`.
fn merge_own_properties(
    value: &mut Value,
    schema: &Value,
    defs: &Map<String, Value>,
    rng: &mut Rng,
    depth: usize,
) {
    if schema.get("properties").is_some() || schema.get("required").is_some() {
        let own = object(schema, defs, rng, depth);
        merge(value, own);
    }
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                into.insert(key, value);
            }
        }
        (into, from) => {
            if into.as_object().is_none_or(Map::is_empty) {
                *into = from;
            }
        }
    }
}

fn string(schema: &Value, rng: &mut Rng) -> Value {
    let n = rng.below(9000) + 1000;
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => format!("2024-0{}-1{}T12:34:56Z", 1 + n % 9, n % 10),
        Some("date") => format!("2024-0{}-1{}", 1 + n % 9, n % 10),
        Some("time") => "12:34:56Z".to_string(),
        Some("email") => format!("user{n}@example.com"),
        Some("uuid") => format!("3f2a{n:04}-0c1d-4e5f-8a9b-0c1d2e3f4a5b"),
        Some("uri") | Some("url") => format!("https://example.com/item/{n}"),
        Some("hostname") => format!("host{n}.example.com"),
        Some("ipv4") => format!("192.0.2.{}", n % 250),
        Some("ipv6") => "2001:db8::1".to_string(),
        Some("byte") => "aGVsbG8gd29ybGQ=".to_string(),
        _ => format!("sample{n}"),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|max| max as usize);
    let mut text = text;
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = max
        && text.chars().count() > max
    {
        text = text.chars().take(max.max(min)).collect();
    }
    Value::String(text)
}

fn bounds(schema: &Value) -> (Option<f64>, Option<f64>) {
    let low = schema.get("minimum").and_then(Value::as_f64).or_else(|| {
        schema
            .get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .map(|m| m + 1.0)
    });
    let high = schema.get("maximum").and_then(Value::as_f64).or_else(|| {
        schema
            .get("exclusiveMaximum")
            .and_then(Value::as_f64)
            .map(|m| m - 1.0)
    });
    (low, high)
}

fn integer(schema: &Value, rng: &mut Rng) -> Value {
    let (low, high) = bounds(schema);
    let low = low.unwrap_or(1.0).max(-1e15).ceil() as i64;
    let high = high.unwrap_or(low as f64 + 100.0).min(1e15).floor() as i64;
    if high < low {
        return Value::from(low);
    }
    let span = (high - low) as u64;
    let mut value = low + rng.below(span.min(1000) + 1) as i64;
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64)
        && step > 0
    {
        value = (value / step) * step;
        if value < low {
            value += step;
        }
    }
    Value::from(value)
}

fn number(schema: &Value, rng: &mut Rng) -> Value {
    let (low, high) = bounds(schema);
    let low = low.unwrap_or(0.0);
    let high = high.unwrap_or(low + 100.0);
    let value = low + (high - low) * (rng.below(1000) as f64 / 1000.0);
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

#[cfg(feature = "harness")]
/// Bodies that are still JSON but should not fit `schema`: the kit keeps those its
/// validator rejects.
pub(crate) fn wrong_shapes(schema: &Value, defs: &Map<String, Value>, valid: &Value) -> Vec<Value> {
    let mut out = vec![
        json!([]),
        json!("not what was asked for"),
        json!(12345),
        json!({}),
    ];
    let resolved = crate::contract::resolve(schema, defs);
    if let (Value::Object(object), Some(Value::Array(required))) = (valid, resolved.get("required"))
    {
        if let Some(name) = required.first().and_then(Value::as_str) {
            let mut missing = object.clone();
            missing.remove(name);
            out.push(Value::Object(missing));
        }
        if let Some((name, _)) = object.iter().find(|(_, value)| value.is_string()) {
            let mut retyped = object.clone();
            retyped.insert(name.clone(), json!(12345));
            out.push(Value::Object(retyped));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(schema: Value, defs: Map<String, Value>) -> bool {
        let validator = crate::contract::compile(&schema, &defs).expect("compiles");
        let mut rng = Rng::new(7);
        (0..20).all(|_| validator.is_valid(&sample(&schema, &defs, &mut rng)))
    }

    #[test]
    fn samples_fit_their_schemas() {
        let defs: Map<String, Value> = serde_json::from_value(json!({
            "Pet": {
                "type": "object",
                "required": ["name", "born", "tags", "kind"],
                "properties": {
                    "name": { "type": "string", "minLength": 12, "maxLength": 20 },
                    "born": { "type": "string", "format": "date-time" },
                    "email": { "type": ["string", "null"], "format": "email" },
                    "tags": { "type": "array", "minItems": 2, "items": { "type": "string", "enum": ["a", "b", "c"] }, "uniqueItems": true },
                    "kind": { "type": "string", "enum": ["cat", "dog"] },
                    "age": { "type": "integer", "minimum": 3, "exclusiveMaximum": 9, "multipleOf": 2 },
                    "id": false
                }
            },
            "Cat": { "type": "object", "required": ["kind", "lives"], "properties": { "kind": { "type": "string" }, "lives": { "type": "integer" } } },
            "Dog": { "type": "object", "required": ["kind", "bark"], "properties": { "kind": { "type": "string" }, "bark": { "type": "boolean" } } },
            "Animal": { "allOf": [
                { "required": ["kind"], "properties": { "kind": { "enum": ["cat", "dog"] } } },
                { "if": { "properties": { "kind": { "const": "cat" } } }, "then": { "$ref": "#/$defs/Cat" } },
                { "if": { "properties": { "kind": { "const": "dog" } } }, "then": { "$ref": "#/$defs/Dog" } }
            ] }
        }))
        .expect("defs");
        assert!(valid(json!({ "$ref": "#/$defs/Pet" }), defs.clone()));
        assert!(valid(json!({ "$ref": "#/$defs/Animal" }), defs.clone()));
        assert!(valid(json!({ "type": "string", "format": "byte" }), defs));
    }

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let schema = json!({ "type": "object", "properties": { "a": { "type": "string" }, "b": { "type": "integer" } } });
        let first = sample(&schema, &Map::new(), &mut Rng::new(3));
        let second = sample(&schema, &Map::new(), &mut Rng::new(3));
        assert_eq!(first, second);
    }
}
