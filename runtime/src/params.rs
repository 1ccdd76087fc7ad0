//! Parameters on the wire (OpenAPI 3.0 `style` / `explode`): encoding for clients, and a serde
//! deserializer for servers that parses raw text into whatever type the parameter has.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Serialize, forward_to_deserialize_any};
use serde_json::Value;

/// How a parameter value is laid out (the spec's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    fn delimiter(self) -> char {
        match self {
            Style::SpaceDelimited => ' ',
            Style::PipeDelimited => '|',
            _ => ',',
        }
    }
}

/// RFC 3986 unreserved characters stay; everything else in a path segment is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn scalar_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

fn to_value(value: &impl Serialize) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|err| err.to_string())
}

/// A path parameter, percent-encoded, in the given style (`simple`, `label` or `matrix`).
pub fn encode_path(
    name: &str,
    value: &impl Serialize,
    style: Style,
    explode: bool,
) -> Result<String, String> {
    let value = to_value(value)?;
    let encode = |text: &str| utf8_percent_encode(text, SEGMENT).to_string();
    let (prefix, separator) = match (style, explode) {
        (Style::Label, false) => (".".to_string(), ","),
        (Style::Label, true) => (".".to_string(), "."),
        (Style::Matrix, _) => (format!(";{}=", encode(name)), ","),
        _ => (String::new(), ","),
    };
    let body = match &value {
        Value::Array(items) => {
            if style == Style::Matrix && explode {
                let parts: Vec<String> = items
                    .iter()
                    .map(|item| format!(";{}={}", encode(name), encode(&scalar_text(item))))
                    .collect();
                return Ok(parts.concat());
            }
            items
                .iter()
                .map(|item| encode(&scalar_text(item)))
                .collect::<Vec<_>>()
                .join(separator)
        }
        // `;k=v;k=v`: each property its own parameter.
        Value::Object(fields) if style == Style::Matrix && explode => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(key, item)| format!(";{}={}", encode(key), encode(&scalar_text(item))))
                .collect();
            return Ok(parts.concat());
        }
        Value::Object(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(key, item)| {
                    if explode {
                        format!("{}={}", encode(key), encode(&scalar_text(item)))
                    } else {
                        format!("{},{}", encode(key), encode(&scalar_text(item)))
                    }
                })
                .collect();
            parts.join(separator)
        }
        scalar => encode(&scalar_text(scalar)),
    };
    Ok(format!("{prefix}{body}"))
}

/// A query parameter as `(name, value)` pairs, not yet percent-encoded.
pub fn encode_query(
    name: &str,
    value: &impl Serialize,
    style: Style,
    explode: bool,
) -> Result<Vec<(String, String)>, String> {
    let value = to_value(value)?;
    Ok(match &value {
        Value::Null => Vec::new(),
        Value::Array(items) if style == Style::Form && explode => items
            .iter()
            .map(|item| (name.to_string(), scalar_text(item).into_owned()))
            .collect(),
        Value::Array(items) => {
            let joined = items
                .iter()
                .map(|item| scalar_text(item).into_owned())
                .collect::<Vec<_>>()
                .join(&style.delimiter().to_string());
            vec![(name.to_string(), joined)]
        }
        Value::Object(fields) if style == Style::DeepObject => fields
            .iter()
            .filter(|(_, item)| !item.is_null())
            .map(|(key, item)| (format!("{name}[{key}]"), scalar_text(item).into_owned()))
            .collect(),
        Value::Object(fields) if explode => fields
            .iter()
            .filter(|(_, item)| !item.is_null())
            .map(|(key, item)| (key.clone(), scalar_text(item).into_owned()))
            .collect(),
        Value::Object(fields) => {
            let joined = fields
                .iter()
                .flat_map(|(key, item)| [key.clone(), scalar_text(item).into_owned()])
                .collect::<Vec<_>>()
                .join(",");
            vec![(name.to_string(), joined)]
        }
        scalar => vec![(name.to_string(), scalar_text(scalar).into_owned())],
    })
}

/// A header (or cookie) value: `simple` style, arrays comma-separated.
pub fn encode_simple(value: &impl Serialize) -> Result<String, String> {
    let value = to_value(value)?;
    Ok(match &value {
        Value::Array(items) => items
            .iter()
            .map(|item| scalar_text(item).into_owned())
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, item)| [key.clone(), scalar_text(item).into_owned()])
            .collect::<Vec<_>>()
            .join(","),
        scalar => scalar_text(scalar).into_owned(),
    })
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// The raw text of one parameter as it arrived, ready to be read as any type.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// Every value given under the parameter's name (repeated for exploded form arrays).
    pub values: Vec<String>,
    /// `name[key]=value` entries (deepObject) or `key=value` pairs of an exploded object.
    pub entries: Vec<(String, String)>,
    /// The delimiter between items of a non-exploded array.
    pub delimiter: Option<char>,
    /// Every pair of the query, for an exploded `form` parameter: an object's properties are
    /// then the query's own keys (`color=red&size=2`), which only the target type knows (a
    /// struct's fields). Read only when nothing is given under the parameter's own name.
    pub loose: Vec<(String, String)>,
}

impl Raw {
    pub fn single(text: impl Into<String>, style: Style) -> Self {
        Self {
            values: vec![text.into()],
            entries: Vec::new(),
            delimiter: Some(style.delimiter()),
            loose: Vec::new(),
        }
    }

    /// A path parameter's segment (already percent-decoded) in its style: `5`, `.5`, `;id=5`;
    /// arrays `1,2`, `.1.2` (label, exploded), `;id=1;id=2` (matrix, exploded); objects
    /// `k,v,k,v`, or `k=v,k=v` / `.k=v.k=v` / `;k=v;k=v` exploded.
    pub fn from_path(text: &str, name: &str, style: Style, explode: bool) -> Self {
        match (style, explode) {
            (Style::Label, _) => {
                let rest = text.strip_prefix('.').unwrap_or(text);
                Self::delimited(rest, if explode { '.' } else { ',' }, explode)
            }
            (Style::Matrix, false) => {
                let rest = text
                    .strip_prefix(';')
                    .and_then(|rest| rest.strip_prefix(name))
                    .and_then(|rest| rest.strip_prefix('='))
                    .unwrap_or(text);
                Self::delimited(rest, ',', false)
            }
            (Style::Matrix, true) => {
                let Some(rest) = text.strip_prefix(';') else {
                    return Self::delimited(text, ',', false);
                };
                let prefix = format!("{name}=");
                let parts: Vec<&str> = rest.split(';').collect();
                Self {
                    // `;id=1;id=2`: each item under the name; `;k=v;k=v`: an object.
                    values: parts
                        .iter()
                        .filter_map(|part| part.strip_prefix(prefix.as_str()))
                        .map(str::to_string)
                        .collect(),
                    entries: key_values(&parts),
                    delimiter: None,
                    loose: Vec::new(),
                }
            }
            _ => Self::delimited(text, ',', explode),
        }
    }

    /// One text whose array items are split at `delimiter`; exploded, its `k=v` parts are
    /// also an object's entries.
    fn delimited(text: &str, delimiter: char, explode: bool) -> Self {
        let entries = if explode {
            key_values(&text.split(delimiter).collect::<Vec<_>>())
        } else {
            Vec::new()
        };
        Self {
            values: vec![text.to_string()],
            entries,
            delimiter: Some(delimiter),
            loose: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.entries.is_empty()
    }

    /// Collects a query parameter from the request's pairs.
    pub fn from_query(pairs: &[(String, String)], name: &str, style: Style, explode: bool) -> Self {
        let values = pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect();
        let entries = if style == Style::DeepObject {
            let prefix = format!("{name}[");
            pairs
                .iter()
                .filter_map(|(key, value)| {
                    let inner = key.strip_prefix(&prefix)?.strip_suffix(']')?;
                    Some((inner.to_string(), value.clone()))
                })
                .collect()
        } else {
            Vec::new()
        };
        let loose = if style == Style::Form && explode {
            pairs.to_vec()
        } else {
            Vec::new()
        };
        Self {
            values,
            entries,
            delimiter: (!explode || style != Style::Form).then(|| style.delimiter()),
            loose,
        }
    }

    /// Reads the parameter as `T`; the error says what was wrong with the text.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(RawDeserializer {
            raw: self,
            loose_only: false,
        })
        .map_err(|err| err.message)
    }

    /// Reads the parameter as `T` if it is there: `None` when nothing is given under its name
    /// and the query's other pairs are not its properties either (`T` reads none of them).
    pub fn parse_present<T: DeserializeOwned>(&self) -> Result<Option<T>, String> {
        if self.is_empty() && self.loose.is_empty() {
            return Ok(None);
        }
        let deserializer = RawDeserializer {
            raw: self,
            loose_only: self.is_empty(),
        };
        match T::deserialize(deserializer) {
            Ok(value) => Ok(Some(value)),
            Err(err) if err.absent => Ok(None),
            Err(err) => Err(err.message),
        }
    }
}

/// `k=v` parts as entries; none unless every part is one.
fn key_values(parts: &[&str]) -> Vec<(String, String)> {
    parts
        .iter()
        .map(|part| {
            part.split_once('=')
                .map(|(key, value)| (key.to_string(), value.to_string()))
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// Errors from reading parameter text.
#[derive(Debug)]
pub struct ParamError {
    message: String,
    /// Nothing was given for the parameter (not an error of its text).
    absent: bool,
}

impl ParamError {
    fn absent() -> Self {
        Self {
            message: "no value given".into(),
            absent: true,
        }
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

impl de::Error for ParamError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self {
            message: msg.to_string(),
            absent: false,
        }
    }
}

struct RawDeserializer<'a> {
    raw: &'a Raw,
    /// Only the query's loose pairs are there: a struct or map may read them; any other
    /// type finds the parameter absent.
    loose_only: bool,
}

impl RawDeserializer<'_> {
    /// The loose pairs a struct with these fields (or, without fields, a map) reads.
    fn loose_pairs(
        &self,
        fields: Option<&[&str]>,
    ) -> Result<Vec<(Text<'_>, Text<'_>)>, ParamError> {
        let pairs: Vec<(Text<'_>, Text<'_>)> = self
            .raw
            .loose
            .iter()
            .filter(|(key, _)| fields.is_none_or(|fields| fields.contains(&key.as_str())))
            .map(|(key, value)| (Text(key), Text(value)))
            .collect();
        if pairs.is_empty() {
            Err(ParamError::absent())
        } else {
            Ok(pairs)
        }
    }
}

impl<'de> de::Deserializer<'de> for RawDeserializer<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.first()?.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.raw.is_empty() && !self.loose_only {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.loose_only {
            return Err(ParamError::absent());
        }
        let items: Vec<&str> = match (self.raw.values.as_slice(), self.raw.delimiter) {
            ([single], Some(_)) if single.is_empty() => Vec::new(),
            ([single], Some(delimiter)) => single.split(delimiter).collect(),
            (values, _) => values.iter().map(String::as_str).collect(),
        };
        visitor.visit_seq(de::value::SeqDeserializer::new(items.into_iter().map(Text)))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.loose_only {
            let pairs = self.loose_pairs(None)?;
            return visitor.visit_map(de::value::MapDeserializer::new(pairs.into_iter()));
        }
        let pairs: Vec<(String, String)> = if !self.raw.entries.is_empty() {
            self.raw.entries.clone()
        } else {
            // Non-exploded form/simple object: `key,value,key,value`.
            let text = self
                .raw
                .values
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let parts: Vec<&str> = text.split(',').collect();
            if parts.len() % 2 != 0 {
                return Err(de::Error::custom(format!(
                    "`{text}` is not a list of key,value pairs"
                )));
            }
            parts
                .chunks(2)
                .map(|pair| (pair[0].to_string(), pair[1].to_string()))
                .collect()
        };
        visitor.visit_map(de::value::MapDeserializer::new(
            pairs.iter().map(|(key, value)| (Text(key), Text(value))),
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        if self.loose_only {
            // An exploded form object: the query's keys that are its fields.
            let pairs = self.loose_pairs(Some(fields))?;
            return visitor.visit_map(de::value::MapDeserializer::new(pairs.into_iter()));
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.first()?.deserialize_enum(name, variants, visitor)
    }

    forward_scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct identifier
        ignored_any
    }
}

/// Scalars read the first value with that value's own parsing rules.
macro_rules! forward_scalars {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            self.first()?.$method(visitor)
        }
    )*};
}
use forward_scalars;

impl RawDeserializer<'_> {
    fn first(&self) -> Result<Text<'_>, ParamError> {
        self.raw
            .values
            .first()
            .map(|text| Text(text))
            .ok_or_else(ParamError::absent)
    }
}

/// One piece of text, parsed on demand into the scalar the target type asks for.
struct Text<'a>(&'a str);

impl<'de> IntoDeserializer<'de, ParamError> for Text<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parse_scalar {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            let parsed: $ty = self.0.parse().map_err(|_| {
                de::Error::custom(format!("`{}` is not a valid {}", self.0, stringify!($ty)))
            })?;
            visitor.$visit(parsed)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Text<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_string(self.0.to_string())
    }

    parse_scalar! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_enum(self.0.to_string().into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Filter {
        color: String,
        size: i32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Sort {
        Asc,
        Desc,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn query_styles_decode() {
        let query = pairs(&[
            ("id", "3"),
            ("id", "4"),
            ("tags", "a,b"),
            ("f[color]", "red"),
            ("f[size]", "2"),
            ("sort", "desc"),
        ]);
        let ids: Vec<i64> = Raw::from_query(&query, "id", Style::Form, true)
            .parse()
            .unwrap();
        assert_eq!(ids, vec![3, 4]);
        let tags: Vec<String> = Raw::from_query(&query, "tags", Style::Form, false)
            .parse()
            .unwrap();
        assert_eq!(tags, vec!["a", "b"]);
        let filter: Filter = Raw::from_query(&query, "f", Style::DeepObject, true)
            .parse()
            .unwrap();
        assert_eq!(
            filter,
            Filter {
                color: "red".into(),
                size: 2
            }
        );
        let sort: Sort = Raw::from_query(&query, "sort", Style::Form, true)
            .parse()
            .unwrap();
        assert_eq!(sort, Sort::Desc);
        let missing: Option<i64> = Raw::from_query(&query, "nope", Style::Form, true)
            .parse()
            .unwrap();
        assert_eq!(missing, None);
        let err = Raw::from_query(&query, "tags", Style::Form, true)
            .parse::<i64>()
            .unwrap_err();
        assert_eq!(err, "`a,b` is not a valid i64");
    }

    #[test]
    fn encoding_matches_decoding() {
        assert_eq!(
            encode_query("id", &vec![3, 4], Style::Form, true).unwrap(),
            pairs(&[("id", "3"), ("id", "4")])
        );
        assert_eq!(
            encode_query("t", &vec!["a", "b"], Style::PipeDelimited, false).unwrap(),
            pairs(&[("t", "a|b")])
        );
        assert_eq!(
            encode_query(
                "f",
                &serde_json::json!({"color": "red", "size": 2}),
                Style::DeepObject,
                true
            )
            .unwrap(),
            pairs(&[("f[color]", "red"), ("f[size]", "2")])
        );
        assert_eq!(
            encode_path("id", &"a b/c", Style::Simple, false).unwrap(),
            "a%20b%2Fc"
        );
        assert_eq!(
            encode_path("id", &vec![1, 2], Style::Label, false).unwrap(),
            ".1,2"
        );
        assert_eq!(
            encode_path("id", &5, Style::Matrix, false).unwrap(),
            ";id=5"
        );
        let round: Vec<i64> = Raw::single("1,2", Style::Simple).parse().unwrap();
        assert_eq!(round, vec![1, 2]);
    }
}
