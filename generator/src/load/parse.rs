//! Text to a JSON tree. YAML and JSON are read into one [`serde_json::Value`] by a visitor of
//! our own, so that what serde would otherwise do silently is seen: a key given twice (the
//! last one is kept, as most YAML tools do, and reported), a key that is not a string (YAML
//! `200:`), and YAML merge keys (`<<: *base`), which are applied.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::Trail;

/// A parsed file and what the parse noticed.
#[derive(Debug)]
pub struct Parsed {
    pub value: Value,
    /// Pointers of keys given more than once in one mapping (the last value was kept).
    pub duplicate_keys: Vec<String>,
    /// Pointers of keys written as numbers, booleans or null (read as their text).
    pub non_string_keys: Vec<String>,
}

/// A syntax error, with the line the parser gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: Option<usize>,
}

/// Whether a file is read as JSON (faster) rather than YAML.
pub fn is_json(path: &std::path::Path, text: &str) -> bool {
    path.extension().is_some_and(|ext| ext == "json") || text.trim_start().starts_with('{')
}

pub fn parse(text: &str, json: bool) -> Result<Parsed, SyntaxError> {
    let notes = Notes::default();
    let root = Trail::root();
    let value = if json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = NodeSeed {
            notes: &notes,
            path: &root,
            yaml: false,
        }
        .deserialize(&mut deserializer)
        .map_err(|err| SyntaxError {
            line: Some(err.line()).filter(|line| *line > 0),
            message: strip_position(&err.to_string()),
        })?;
        deserializer.end().map_err(|err| SyntaxError {
            line: Some(err.line()).filter(|line| *line > 0),
            message: strip_position(&err.to_string()),
        })?;
        value
    } else {
        let deserializer = serde_yaml::Deserializer::from_str(text);
        NodeSeed {
            notes: &notes,
            path: &root,
            yaml: true,
        }
        .deserialize(deserializer)
        .map_err(|err| SyntaxError {
            line: err.location().map(|location| location.line()),
            message: strip_position(&err.to_string()),
        })?
    };
    let Notes {
        duplicate_keys,
        non_string_keys,
    } = notes;
    Ok(Parsed {
        value,
        duplicate_keys: duplicate_keys.into_inner(),
        non_string_keys: non_string_keys.into_inner(),
    })
}

/// serde's messages repeat the position; the diagnostic carries the line already.
fn strip_position(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    message.trim_end_matches('.').to_string()
}

#[derive(Default)]
struct Notes {
    duplicate_keys: RefCell<Vec<String>>,
    non_string_keys: RefCell<Vec<String>>,
}

struct NodeSeed<'n, 'p> {
    notes: &'n Notes,
    path: &'p Trail<'p>,
    yaml: bool,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{value} is not a finite number")))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = self.path.index(items.len());
            let seed = NodeSeed {
                notes: self.notes,
                path: &path,
                yaml: self.yaml,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut merged: Vec<Value> = Vec::new();
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let path = self.path.key(&key.text);
            let value = access.next_value_seed(NodeSeed {
                notes: self.notes,
                path: &path,
                yaml: self.yaml,
            })?;
            if self.yaml && key.text == "<<" && key.was_string {
                merged.push(value);
                continue;
            }
            if !key.was_string {
                self.notes.non_string_keys.borrow_mut().push(path.pointer());
            }
            if map.insert(key.text.clone(), value).is_some() {
                // The later value wins; it must also sit last, where it was written.
                if let Some(value) = map.shift_remove(&key.text) {
                    map.insert(key.text.clone(), value);
                }
                self.notes.duplicate_keys.borrow_mut().push(path.pointer());
            }
        }
        // Keys written in the mapping win over merged ones; earlier merge sources win over
        // later ones.
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(entries) = source else {
                    return Err(de::Error::custom(
                        "a YAML merge key (`<<`) must name a mapping or a list of mappings",
                    ));
                };
                for (key, value) in entries {
                    map.entry(key).or_insert(value);
                }
            }
        }
        Ok(Value::Object(map))
    }
}

/// A mapping key as text, and whether it was written as a string.
struct Key {
    text: String,
    was_string: bool,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key that is a string, a number, a boolean or null")
    }

    fn visit_str<E>(self, value: &str) -> Result<Key, E> {
        Ok(Key {
            text: value.to_string(),
            was_string: true,
        })
    }

    fn visit_string<E>(self, value: String) -> Result<Key, E> {
        Ok(Key {
            text: value,
            was_string: true,
        })
    }

    fn visit_bool<E>(self, value: bool) -> Result<Key, E> {
        Ok(not_a_string(value.to_string()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Key, E> {
        Ok(not_a_string(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Key, E> {
        Ok(not_a_string(value.to_string()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Key, E> {
        Ok(not_a_string(value.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Key, E> {
        Ok(not_a_string("null".to_string()))
    }

    fn visit_none<E>(self) -> Result<Key, E> {
        Ok(not_a_string("null".to_string()))
    }
}

fn not_a_string(text: String) -> Key {
    Key {
        text,
        was_string: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_yaml_and_json_alike() {
        let yaml = parse("a: 1\nb: [x, {c: true}]\n", false).unwrap();
        let json = parse(r#"{"a": 1, "b": ["x", {"c": true}]}"#, true).unwrap();
        assert_eq!(yaml.value, json.value);
        assert_eq!(yaml.value, json!({"a": 1, "b": ["x", {"c": true}]}));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_reported() {
        let parsed = parse(
            "paths:\n  /a:\n    description: one\n    get: {}\n    description: two\n",
            false,
        )
        .unwrap();
        assert_eq!(parsed.value["paths"]["/a"]["description"], "two");
        assert_eq!(parsed.duplicate_keys, ["/paths/~1a/description"]);
        let keys: Vec<&String> = parsed.value["paths"]["/a"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["get", "description"]);
        let parsed = parse(r#"{"a": {"b": 1, "b": 2}}"#, true).unwrap();
        assert_eq!(parsed.value, json!({"a": {"b": 2}}));
        assert_eq!(parsed.duplicate_keys, ["/a/b"]);
    }

    #[test]
    fn numeric_keys_are_text_and_noted() {
        let parsed = parse("responses:\n  200: {description: ok}\n", false).unwrap();
        assert_eq!(parsed.value["responses"]["200"]["description"], "ok");
        assert_eq!(parsed.non_string_keys, ["/responses/200"]);
    }

    #[test]
    fn merge_keys_are_applied() {
        let parsed = parse(
            "base: &base {a: 1, b: 2}\nthing:\n  <<: *base\n  b: 3\n",
            false,
        )
        .unwrap();
        assert_eq!(parsed.value["thing"], json!({"b": 3, "a": 1}));
    }

    #[test]
    fn syntax_errors_have_lines() {
        let error = parse("a: [1, 2\nb: 3\n", false).unwrap_err();
        assert!(error.line.is_some(), "{error:?}");
        let error = parse("{\n\"a\": }", true).unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}
